//! HTML: one self-contained page (styles inline, charts as inline SVG, no script, no
//! network), printable on A4. A report page for one or several reports, and the district
//! dashboard (数字驾驶舱) for a portfolio. The pages are minijinja templates
//! (`render/templates/`) filled from a context built here, with every word already in the
//! chosen language and every number already formatted.

use std::collections::BTreeMap;

use icgs::pack::Dimension;
use icgs::report::{FixReason, GradeScale, NextGradeStatus, Outcome, Portfolio, Report};
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, Value, escape_formatter};
use serde::Serialize;

use super::charts::{self, BarChart, Datum, Ring};
use super::{
    Lang, dimension_label, grade_name, level_label, limit_text, origin_label, origin_marker,
    outcome_label, points, proposal_legend, value,
};

pub(crate) const CSS: &str = include_str!("templates/report.css");

pub(crate) fn environment() -> anyhow::Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    // One HTML escaping: minijinja's, after the control characters HTML cannot carry
    // (`escape::html` does the same for text written outside the templates).
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(s) if !value.is_safe() => {
            let clean = super::escape::controls(s);
            match clean {
                std::borrow::Cow::Owned(c) => escape_formatter(out, state, &Value::from(c)),
                std::borrow::Cow::Borrowed(_) => escape_formatter(out, state, value),
            }
        }
        _ => escape_formatter(out, state, value),
    });
    env.add_template("charts.j2", include_str!("templates/charts.j2"))?;
    env.add_template("report.html.j2", include_str!("templates/report.html.j2"))?;
    env.add_template(
        "portfolio.html.j2",
        include_str!("templates/portfolio.html.j2"),
    )?;
    Ok(env)
}

/// The templates' labels in `lang`, by key.
// Long on purpose: a table, one line per label in both languages, read best in one place.
pub(crate) fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    let pairs: [(&str, &str, &str); 41] = [
        ("report", "符合性评价报告", "Conformity report"),
        ("community_id", "编号", "Id"),
        ("as_of", "评价基准日", "As of"),
        ("category", "类别", "Category"),
        ("score", "总分", "Score"),
        ("score_alone", "按得分应为", "the score alone earns"),
        ("dimension_scores", "分项得分", "Score by dimension"),
        ("dimension", "维度", "Dimension"),
        ("weight", "权重", "Weight"),
        (
            "passed_applicable",
            "通过 / 适用权重",
            "Passed / applicable weight",
        ),
        ("dimension_score", "维度得分", "Dimension score"),
        ("points", "计入总分", "Points in the total"),
        (
            "unscored",
            "未计分的条款（不是不符合，但不得分）：",
            "Rules that earn nothing without having failed:",
        ),
        ("plan", "改进计划", "Improvement plan"),
        ("rule", "条款", "Rule"),
        ("level", "要求", "Level"),
        ("origin", "来源", "Origin"),
        ("observed", "现状", "Observed"),
        ("required", "要求值", "Required"),
        ("action", "整改措施", "Action"),
        ("gain", "增分", "Gain"),
        ("why", "原因", "Why"),
        (
            "next_mark",
            "属于达到下一等级的最少整改",
            "part of the fewest fixes that reach the next grade",
        ),
        ("results", "逐条结果", "Results by clause"),
        ("outcome", "结果", "Outcome"),
        ("title", "名称", "Title"),
        ("message", "说明", "Message"),
        (
            "problems",
            "档案数据问题（未阻止评价）",
            "Profile problems (evaluation went ahead)",
        ),
        (
            "dashboard",
            "现代产业社区治理与服务评价驾驶舱",
            "Industrial community evaluation dashboard",
        ),
        ("grade_distribution", "等级分布", "Grade distribution"),
        (
            "dimension_means",
            "各维度平均得分率（%）",
            "Mean share of points by dimension (%)",
        ),
        ("ranking", "社区得分排名", "Communities by score"),
        ("failing", "最常未满足的条款", "Clauses failed most often"),
        ("none_failing", "没有未满足的条款", "No clause fails"),
        ("communities", "社区一览", "Communities"),
        ("community", "社区", "Community"),
        ("grade", "等级", "Grade"),
        ("non_conformities", "不符合项", "Non-conformities"),
        ("deviations", "偏离项", "Deviations"),
        ("fixes_to_next", "升级需整改", "Fixes to next grade"),
        ("communities_failing", "未满足社区数", "Communities failing"),
    ];
    let more: [(&str, &str, &str); 5] = [
        ("which", "社区", "Which"),
        ("not_evaluated", "未能评价的输入", "Inputs not evaluated"),
        ("capped", "等级受限：", "The grade is capped:"),
        (
            "not_capped",
            "等级未受上限或一票否决限制。",
            "No cap or veto limits the grade.",
        ),
        ("top_fixes", "优先整改", "Fix first"),
    ];
    let dashboard: [(&str, &str, &str); 16] = [
        ("by_district", "按区汇总", "By district"),
        ("by_street", "按街道汇总", "By street"),
        ("district", "区", "District"),
        ("street", "街道", "Street"),
        ("count", "社区数", "Communities"),
        ("mean", "平均分", "Mean score"),
        ("top", "得分最高的 10 个社区", "The 10 best scores"),
        ("bottom", "得分最低的 10 个社区", "The 10 lowest scores"),
        ("search", "按名称搜索", "Search by name"),
        ("all", "全部", "All"),
        ("failed_clause", "未满足的条款", "Failed clause"),
        ("shown", "当前显示社区数", "Communities shown"),
        ("with_nc", "有不符合项", "With non-conformities"),
        ("names", "社区名单", "Which communities"),
        ("share", "占比（%）", "Share (%)"),
        ("sort_hint", "点击表头排序", "Click a heading to sort"),
    ];
    pairs
        .into_iter()
        .chain(more)
        .chain(dashboard)
        .map(|(k, zh, en)| (k, lang.pick(zh, en)))
        .collect()
}

#[derive(Serialize)]
struct ProfileCtx {
    id: String,
    name: String,
    as_of: String,
    category: String,
    secondary: String,
    sha256: Option<String>,
    /// District and street, when the profile gives them.
    place: String,
    /// The overlay chain and the derogations in force, when any.
    chain: Option<String>,
}

#[derive(Serialize)]
struct DimCtx {
    label: String,
    weight: u32,
    passed: u32,
    applicable: u32,
    score: String,
    points: String,
}

#[derive(Serialize)]
struct UnscoredCtx {
    label: &'static str,
    rules: String,
}

#[derive(Serialize)]
struct FixCtx {
    rule: String,
    level: &'static str,
    gain: String,
    why: &'static str,
}

#[derive(Serialize)]
struct NextCtx {
    title: String,
    message: String,
    fixes: Vec<FixCtx>,
}

#[derive(Serialize)]
struct PlanCtx {
    n: usize,
    rule: String,
    title: String,
    level: &'static str,
    observed: String,
    required: String,
    action: String,
    gap: String,
    gain: String,
    next: bool,
}

#[derive(Serialize)]
struct RowCtx {
    rule: String,
    /// 拟 / P on a proposal row, empty otherwise.
    marker: &'static str,
    /// The origin in words (a tooltip).
    origin: &'static str,
    level: &'static str,
    outcome: &'static str,
    outcome_label: &'static str,
    title: String,
    message: String,
}

#[derive(Serialize)]
struct SectionCtx {
    title: String,
    rows: Vec<RowCtx>,
    hidden: Option<String>,
}

/// A problem with the input: a profile problem or a waiver that was not applied.
#[derive(Serialize)]
struct ProblemCtx {
    label: String,
    pointer: String,
    message: String,
}

/// One of the first fixes of the plan, in the answer box.
#[derive(Serialize)]
struct TopCtx {
    rule: String,
    title: String,
    level: &'static str,
    gain: String,
    action: String,
}

/// Fixes shown in the answer box at the top of a report.
const TOP_FIXES: usize = 5;

#[derive(Serialize)]
struct ReportCtx {
    profile: ProfileCtx,
    grade: String,
    grade_name: String,
    score: String,
    score_grade_name: Option<String>,
    counts: String,
    limits: Vec<String>,
    score_ring: Ring,
    dim_chart: BarChart,
    dims: Vec<DimCtx>,
    how: String,
    unscored: Vec<UnscoredCtx>,
    next: Option<NextCtx>,
    plan: Vec<PlanCtx>,
    plan_chart: BarChart,
    sections: Vec<SectionCtx>,
    /// The legend of the proposal marker, when a shown row is a proposal.
    legend: Option<String>,
    problems_title: String,
    problems: Vec<ProblemCtx>,
    top: Vec<TopCtx>,
    packs: String,
    /// The named printed page of the report and its CSS: the name at the top of each page.
    page_name: String,
    page_css: String,
}

fn report_ctx(r: &Report, lang: Lang) -> ReportCtx {
    let s = &r.summary;
    let p = &r.profile;
    let gname = |g: &str| grade_name(&s.model, g, lang);
    let dims: Vec<(Dimension, &icgs::report::DimensionScore)> = Dimension::ALL
        .iter()
        .filter_map(|d| s.dimensions.get(d).map(|x| (*d, x)))
        .collect();
    let dim_chart = dim_chart(r, &dims, lang);
    let score_ring = charts::ring(
        lang.pick("总分", "Score"),
        &points(s.score),
        &gname(&s.grade),
        vec![(gname(&s.grade), s.score, s.grade.to_string())],
        100.0,
    );
    let (plan, plan_chart) = plan_ctx(r, lang);
    let sections = sections_ctx(r, lang);
    ReportCtx {
        profile: profile_ctx(r, lang),
        grade: s.grade.to_string(),
        grade_name: gname(&s.grade),
        score: points(s.score),
        score_grade_name: (s.score_grade != s.grade).then(|| gname(&s.score_grade)),
        counts: crate::outcome_counts(s, lang),
        limits: s
            .caps
            .iter()
            .chain(&s.veto)
            .map(|l| limit_with_titles(r, l, lang))
            .chain(s.proposal_caps.iter().map(|l| lang.msg(&l.message).to_owned()))
            .collect(),
        score_ring,
        dim_chart,
        dims: dims_ctx(&dims, lang),
        how: lang
            .pick(
                "维度得分 = 维度权重 × 通过权重 ÷ 适用权重；不适用与已豁免的条款不计入适用权重，数据不足、人工核查与错误计入但不得分；无适用条款的维度不计入总分，其余维度权重按比例放大至 100。",
                "Dimension score = weight × passed weight ÷ applicable weight; not-applicable and waived rules leave the applicable weight, insufficient-data, manual and error stay in it and earn nothing; a dimension with nothing applicable leaves the total and the other weights scale to 100.",
            )
            .to_owned(),
        unscored: unscored_ctx(r, lang),
        next: s.next_grade.as_ref().map(|n| next_ctx(n, &gname, lang)),
        plan,
        plan_chart,
        sections,
        legend: r
            .results
            .iter()
            .any(|x| x.origin.is_proposal() && !super::hidden(x))
            .then(|| proposal_legend(lang)),
        problems_title: match lang {
            Lang::Zh => format!(
                "输入数据问题 {} 项（评价照常进行，问题数据按缺失处理）",
                r.profile_problems.len() + r.waiver_problems.len()
            ),
            Lang::En => format!(
                "{} problems with the input (the evaluation went ahead without the data in question)",
                r.profile_problems.len() + r.waiver_problems.len()
            ),
        },
        problems: input_problems(r, lang),
        top: top_ctx(r, lang),
        packs: r
            .packs
            .iter()
            .map(icgs::report::PackInfo::label)
            .collect::<Vec<_>>()
            .join(", "),
        page_name: page_name(&p.id),
        page_css: page_css(
            &page_name(&p.id),
            &format!(
                "{} · {}",
                shown_name(p.name.as_deref(), p.name_en.as_deref(), &p.id, lang),
                lang.pick("符合性评价报告", "Conformity report")
            ),
        ),
    }
}

/// The bar chart of each dimension's share of its points, coloured by the band of the
/// report's grade scale the share falls in.
fn dim_chart(
    r: &Report,
    dims: &[(Dimension, &icgs::report::DimensionScore)],
    lang: Lang,
) -> BarChart {
    charts::bars(
        lang.pick("分项得分率（%）", "Share of each dimension's points (%)"),
        dims.iter()
            .map(|(d, x)| {
                let pct = if x.applicable_weight > 0 {
                    100.0 * f64::from(x.passed_weight) / f64::from(x.applicable_weight)
                } else {
                    0.0
                };
                Datum {
                    label: dimension_label(*d, lang),
                    value: pct,
                    shown: if x.counted {
                        format!("{pct:.0}% · {}/{}", points(x.score), x.weight)
                    } else {
                        lang.pick("不计入", "left out").to_owned()
                    },
                    title: format!(
                        "{} {}/{}",
                        dimension_label(*d, lang),
                        x.passed_weight,
                        x.applicable_weight
                    ),
                    class: if !x.counted {
                        "muted".to_owned()
                    } else {
                        band_class(&r.summary.model.grades, pct)
                    },
                }
            })
            .collect(),
        100.0,
        25.0,
    )
}

/// The improvement plan and its chart of gains.
fn plan_ctx(r: &Report, lang: Lang) -> (Vec<PlanCtx>, BarChart) {
    let s = &r.summary;
    let next_rules: Vec<&str> = s
        .next_grade
        .iter()
        .flat_map(|n| n.fixes.iter().map(|f| f.rule.as_str()))
        .collect();
    let plan: Vec<PlanCtx> = r
        .improvement_plan
        .iter()
        .enumerate()
        .map(|(i, item)| PlanCtx {
            n: i + 1,
            rule: item.rule.to_string(),
            title: lang.msg(&item.title).to_owned(),
            level: level_label(item.level, lang),
            observed: value(&item.observed, lang),
            required: value(&item.required, lang),
            action: lang.msg(&item.action).to_owned(),
            gap: lang.msg(&item.gap).to_owned(),
            gain: points(item.gain),
            next: next_rules.contains(&item.rule.as_str()),
        })
        .collect();
    let max_gain = r
        .improvement_plan
        .iter()
        .map(|p| p.gain)
        .fold(0.0_f64, f64::max);
    let plan_chart = charts::bars(
        lang.pick("整改增分", "Points each fix adds"),
        r.improvement_plan
            .iter()
            .take(15)
            .map(|item| Datum {
                label: item.rule.to_string(),
                value: item.gain,
                shown: format!("+{}", points(item.gain)),
                title: lang.msg(&item.title).to_owned(),
                class: if item.level.is_requirement() {
                    "fail".to_owned()
                } else {
                    "should".to_owned()
                },
            })
            .collect(),
        max_gain.max(0.01),
        0.0,
    );
    (plan, plan_chart)
}

/// The results by chapter, then the category rules; rules of other categories counted.
fn sections_ctx(r: &Report, lang: Lang) -> Vec<SectionCtx> {
    let mut sections: Vec<SectionCtx> = Vec::new();
    let groups = super::result_groups(r, lang);
    for (title, rows) in groups {
        let hidden = rows.iter().filter(|x| super::hidden(x)).count();
        sections.push(SectionCtx {
            title,
            rows: rows
                .iter()
                .filter(|x| !super::hidden(x))
                .map(|x| RowCtx {
                    rule: x.rule.to_string(),
                    marker: origin_marker(x.origin, lang),
                    origin: origin_label(x.origin, lang),
                    level: level_label(x.level, lang),
                    outcome: x.outcome.as_str(),
                    outcome_label: outcome_label(x.outcome, lang),
                    title: lang.msg(&x.title).to_owned(),
                    message: super::message_with_problems(x, lang),
                })
                .collect(),
            hidden: (hidden > 0).then(|| match lang {
                Lang::Zh => format!("（其他类别的 {hidden} 项条款不适用）"),
                Lang::En => format!("({hidden} clauses of other categories not applicable)"),
            }),
        });
    }
    sections
}

fn profile_ctx(r: &Report, lang: Lang) -> ProfileCtx {
    let p = &r.profile;
    ProfileCtx {
        id: p.id.clone(),
        name: shown_name(p.name.as_deref(), p.name_en.as_deref(), &p.id, lang),
        as_of: p.as_of.clone(),
        category: p
            .category
            .as_deref()
            .map_or_else(|| "—".into(), |c| super::category_label(c, lang)),
        secondary: p
            .secondary_categories
            .iter()
            .map(|c| super::category_label(c, lang))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", ")),
        sha256: p.sha256.clone(),
        place: [p.district.as_deref(), p.street.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" "),
        chain: crate::chain_line(r, lang),
    }
}

fn dims_ctx(dims: &[(Dimension, &icgs::report::DimensionScore)], lang: Lang) -> Vec<DimCtx> {
    dims.iter()
        .map(|(d, x)| DimCtx {
            label: dimension_label(*d, lang),
            weight: x.weight,
            passed: x.passed_weight,
            applicable: x.applicable_weight,
            score: if x.counted {
                points(x.score)
            } else {
                "—".into()
            },
            points: if x.counted {
                format!("{} / {}", points(x.points), points(x.max_points))
            } else {
                lang.pick("不计入（无适用条款）", "left out (nothing applicable)")
                    .to_owned()
            },
        })
        .collect()
}

/// The rules that earn nothing without having failed, by outcome.
fn unscored_ctx(r: &Report, lang: Lang) -> Vec<UnscoredCtx> {
    let s = &r.summary;
    [
        (Outcome::InsufficientData, &s.unscored.insufficient_data),
        (Outcome::Manual, &s.unscored.manual),
        (Outcome::Error, &s.unscored.error),
    ]
    .into_iter()
    .filter(|(_, rules)| !rules.is_empty())
    .map(|(o, rules)| UnscoredCtx {
        label: outcome_label(o, lang),
        rules: rules
            .iter()
            .map(|id| titled(r, id, lang))
            .collect::<Vec<_>>()
            .join(lang.pick("；", "; ")),
    })
    .collect()
}

/// The fewest fixes that reach the next grade.
fn next_ctx(n: &icgs::report::NextGrade, gname: &dyn Fn(&str) -> String, lang: Lang) -> NextCtx {
    NextCtx {
        title: match lang {
            Lang::Zh => format!("达到{}的最少整改", gname(&n.target)),
            Lang::En => format!("Fewest fixes to reach {}", gname(&n.target)),
        },
        message: lang.msg(&n.message).to_owned(),
        fixes: if n.status == NextGradeStatus::Reachable {
            n.fixes
                .iter()
                .map(|f| FixCtx {
                    rule: f.rule.to_string(),
                    level: level_label(f.level, lang),
                    gain: points(f.gain),
                    why: match f.reason {
                        FixReason::Veto => lang.pick("一票否决条款", "veto rule"),
                        FixReason::Cap => {
                            lang.pick("应条款：解除等级上限", "shall rule: lifts the cap")
                        }
                        // Points, and any reason a later version adds.
                        _ => lang.pick("分值", "points"),
                    },
                })
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// The first fixes of the plan, for the answer box.
fn top_ctx(r: &Report, lang: Lang) -> Vec<TopCtx> {
    r.improvement_plan
        .iter()
        .take(TOP_FIXES)
        .map(|item| TopCtx {
            rule: item.rule.to_string(),
            title: lang.msg(&item.title).to_owned(),
            level: level_label(item.level, lang),
            gain: points(item.gain),
            action: lang.msg(&item.action).to_owned(),
        })
        .collect()
}

/// A rule id with its title: `7.4.1 服务清单`.
fn titled(r: &Report, id: &str, lang: Lang) -> String {
    r.results
        .iter()
        .find(|x| x.rule == id)
        .map_or_else(|| id.to_owned(), |x| format!("{id} {}", lang.msg(&x.title)))
}

/// A cap or veto in words, followed by the titles of the rules that cause it.
fn limit_with_titles(r: &Report, l: &icgs::report::GradeLimit, lang: Lang) -> String {
    let text = limit_text(l, lang);
    if l.rules.is_empty() {
        return text;
    }
    let rules: Vec<String> = l.rules.iter().map(|id| titled(r, id, lang)).collect();
    format!(
        "{text}{}{}",
        lang.pick("：", ": "),
        rules.join(lang.pick("；", "; "))
    )
}

/// The profile problems and the waivers not applied, each with what kind of problem it is.
fn input_problems(r: &Report, lang: Lang) -> Vec<ProblemCtx> {
    let at = |p: &str| {
        if p.is_empty() {
            "/".to_owned()
        } else {
            p.to_owned()
        }
    };
    let profile = r.profile_problems.iter().map(|p| {
        let (zh, en) = p.code.label();
        // Chinese: the place in words and the Chinese detail (reports of version 1 have
        // none: the kind alone then); English: the pointer and the message.
        let (pointer, message) = match lang {
            Lang::Zh => (
                icgs::vocab::pointer_zh(&at(&p.pointer)),
                p.message_zh.clone(),
            ),
            Lang::En => (at(&p.pointer), p.message.clone()),
        };
        ProblemCtx {
            label: format!("{}{}", lang.pick(zh, en), lang.pick("：", ": ")),
            pointer,
            message,
        }
    });
    let waivers = r.waiver_problems.iter().map(|w| ProblemCtx {
        label: format!(
            "{} {}{}",
            lang.pick("豁免未生效", "waiver not applied"),
            w.rule,
            lang.pick("：", ": ")
        ),
        pointer: at(&w.pointer),
        message: lang.msg(&w.message).to_owned(),
    });
    profile.chain(waivers).collect()
}

/// A community's name in the language: `name_en` in English where the profile gives it.
pub(crate) fn shown_name(
    name: Option<&str>,
    name_en: Option<&str>,
    id: &str,
    lang: Lang,
) -> String {
    match (lang, name_en) {
        (Lang::En, Some(en)) => en.to_owned(),
        _ => name.unwrap_or(id).to_owned(),
    }
}

/// The name of the printed pages of the report of `id` (a CSS identifier).
fn page_name(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("r-{safe}")
}

/// The printed pages named `page` with `header` at the top of each (a CSS margin box,
/// which Chromium prints). The header is escaped for CSS, so nothing in it can end the
/// `<style>` element.
fn page_css(page: &str, header: &str) -> String {
    format!(
        "@page {page} {{ @top-left {{ content:\"{}\"; font-size:9pt; color:#6b7280; }} }}",
        css_string(header)
    )
}

/// Text as the inside of a CSS string: quotes, backslashes, markup and control characters
/// as escapes.
fn css_string(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '"' | '\\' | '<' | '>' | '&') {
                format!("\\{:x} ", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The CSS class of a share of points: the grade of the band of the scale it falls in, as
/// if it were a score (`muted` for a scale without bands).
pub fn band_class(scale: &GradeScale, percent: f64) -> String {
    scale
        .band_of(percent)
        .map_or_else(|| "muted".to_owned(), |b| b.grade.to_string())
}

/// One page with every report, each starting on a new printed page.
///
/// # Errors
/// A template fails to render (a bug: the templates are compiled into the binary).
pub fn reports(reports: &[&Report], lang: Lang) -> anyhow::Result<String> {
    let env = environment()?;
    let ctxs: Vec<ReportCtx> = reports.iter().map(|r| report_ctx(r, lang)).collect();
    let page_title = match reports {
        [one] => format!(
            "{} · {}",
            one.profile.name.as_deref().unwrap_or(&one.profile.id),
            lang.pick("符合性评价报告", "Conformity report")
        ),
        _ => lang.pick("符合性评价报告", "Conformity reports").to_owned(),
    };
    let html = env
        .get_template("report.html.j2")?
        .render(minijinja::context! {
            lang => lang.code(),
            t => Value::from(Serde(&labels(lang))),
            css => CSS,
            page_title => page_title,
            engine_version => icgs::ENGINE_VERSION,
            reports => Value::from(Serde(&ctxs)),
        })?;
    Ok(finish(html))
}

/// The district dashboard of a portfolio, as one file without links to the reports.
///
/// # Errors
/// A template fails to render (a bug: the templates are compiled into the binary).
pub fn portfolio(p: &Portfolio, lang: Lang) -> anyhow::Result<String> {
    super::dashboard::page(p, lang, false)
}

/// The district dashboard whose rows link to `communities/<file>` ([`report_file`]),
/// written beside it by `icgs check --output-dir`.
///
/// # Errors
/// A template fails to render (a bug: the templates are compiled into the binary).
pub fn portfolio_linked(p: &Portfolio, lang: Lang) -> anyhow::Result<String> {
    super::dashboard::page(p, lang, true)
}

/// The file name of a community's own report under `communities/`: the id with every
/// character other than ASCII letters, digits, `-` and `_` as `_`.
pub fn report_file(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.html")
}

/// One final newline, no trailing spaces from the templates.
pub(crate) fn finish(html: String) -> String {
    let mut out: String = html
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use icgs::report::{GradeBandInfo, Message};

    use super::*;

    #[test]
    fn a_share_is_coloured_by_the_band_of_the_reports_scale() {
        let band = |grade: &str, min: f64| GradeBandInfo::new(grade, min, Message::default());
        // A stricter scale than the standard's: 85 is only `fair` here.
        let scale = GradeScale::new(vec![
            band("top", 95.0),
            band("fair", 70.0),
            band("low", 0.0),
        ]);
        assert_eq!(band_class(&scale, 85.0), "fair");
        assert_eq!(band_class(&scale, 95.0), "top");
        assert_eq!(band_class(&scale, 12.5), "low");
        assert_eq!(band_class(&GradeScale::default(), 85.0), "muted");
    }
}
