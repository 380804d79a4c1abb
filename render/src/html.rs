//! HTML: one self-contained page (styles inline, charts as inline SVG, no script, no
//! network), printable on A4. A report page for one or several reports, and the district
//! dashboard (数字驾驶舱) for a portfolio. The pages are minijinja templates
//! (`render/templates/`) filled from a context built here, with every word already in the
//! chosen language and every number already formatted.

use std::collections::BTreeMap;

use icgs::pack::Dimension;
use icgs::report::{FixReason, NextGradeStatus, Outcome, Portfolio, Report};
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, Value};
use serde::Serialize;

use super::charts::{self, BarChart, Datum, Ring};
use super::{
    Lang, dimension_label, grade_name, level_label, limit_text, origin_label, origin_marker,
    outcome_label, points, proposal_legend, value,
};

const CSS: &str = include_str!("templates/report.css");

fn environment() -> anyhow::Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("charts.j2", include_str!("templates/charts.j2"))?;
    env.add_template("report.html.j2", include_str!("templates/report.html.j2"))?;
    env.add_template(
        "portfolio.html.j2",
        include_str!("templates/portfolio.html.j2"),
    )?;
    Ok(env)
}

fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    let pairs: [(&str, &str, &str); 41] = [
        ("report", "符合性评价报告", "Conformity report"),
        ("community_id", "社区编号", "Community"),
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
    let more: [(&str, &str, &str); 2] = [
        ("which", "社区", "Which"),
        ("not_evaluated", "未能评价的输入", "Inputs not evaluated"),
    ];
    pairs
        .into_iter()
        .chain(more)
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

#[derive(Serialize)]
struct ProblemCtx {
    pointer: String,
    message: String,
    code: String,
}

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
    problems: Vec<ProblemCtx>,
    packs: String,
}

fn report_ctx(r: &Report, lang: Lang) -> ReportCtx {
    let s = &r.summary;
    let p = &r.profile;
    let gname = |g: &str| grade_name(&s.model, g, lang);
    let dims: Vec<(Dimension, &icgs::report::DimensionScore)> = Dimension::ALL
        .iter()
        .filter_map(|d| s.dimensions.get(d.as_str()).map(|x| (*d, x)))
        .collect();
    let dim_chart = charts::bars(
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
                        format!("{pct:.0}% · {:.2}/{}", x.score, x.weight)
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
                        band_class(pct).to_owned()
                    },
                }
            })
            .collect(),
        100.0,
        25.0,
    );
    let score_ring = charts::ring(
        lang.pick("总分", "Score"),
        &points(s.score),
        &gname(&s.grade),
        vec![(gname(&s.grade), s.score, s.grade.clone())],
        100.0,
    );
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
            rule: item.rule.clone(),
            title: lang.msg(&item.title).to_owned(),
            level: level_label(item.level, lang),
            observed: value(&item.observed),
            required: value(&item.required),
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
                label: item.rule.clone(),
                value: item.gain,
                shown: format!("+{:.2}", item.gain),
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
    let mut sections: Vec<SectionCtx> = Vec::new();
    let mut groups: Vec<(String, Vec<&icgs::report::RuleResult>)> = Dimension::ALL
        .iter()
        .map(|d| {
            (
                dimension_label(*d, lang),
                r.results
                    .iter()
                    .filter(|x| x.dimension == *d && !x.rule.starts_with("C."))
                    .collect(),
            )
        })
        .collect();
    groups.push((
        lang.pick("C 类别条款", "C Category clauses").to_owned(),
        r.results
            .iter()
            .filter(|x| x.rule.starts_with("C."))
            .collect(),
    ));
    for (title, rows) in groups.into_iter().filter(|(_, rows)| !rows.is_empty()) {
        let hidden = rows.iter().filter(|x| super::hidden(x)).count();
        sections.push(SectionCtx {
            title,
            rows: rows
                .iter()
                .filter(|x| !super::hidden(x))
                .map(|x| RowCtx {
                    rule: x.rule.clone(),
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
    let c = &s.counts;
    ReportCtx {
        profile: ProfileCtx {
            id: p.id.clone(),
            name: p.name.clone().unwrap_or_else(|| p.id.clone()),
            as_of: p.as_of.clone(),
            category: p.category.clone().unwrap_or_else(|| "—".into()),
            secondary: p.secondary_categories.join(", "),
            sha256: p.sha256.clone(),
        },
        grade: s.grade.clone(),
        grade_name: gname(&s.grade),
        score: points(s.score),
        score_grade_name: (s.score_grade != s.grade).then(|| gname(&s.score_grade)),
        counts: match lang {
            Lang::Zh => format!(
                "符合 {} · 不符合 {}（不符合项 {}，偏离项 {}）· 不适用 {} · 数据不足 {} · 人工核查 {} · 已豁免 {} · 错误 {}",
                c.pass, c.fail, s.non_conformities, s.deviations, c.not_applicable, c.insufficient_data, c.manual, c.waived, c.error
            ),
            Lang::En => format!(
                "pass {} · fail {} ({} non-conformities, {} deviations) · not applicable {} · insufficient data {} · manual {} · waived {} · error {}",
                c.pass, c.fail, s.non_conformities, s.deviations, c.not_applicable, c.insufficient_data, c.manual, c.waived, c.error
            ),
        },
        limits: s
            .caps
            .iter()
            .chain(&s.veto)
            .map(|l| limit_text(l, lang))
            .chain(s.proposal_caps.iter().map(|l| lang.msg(&l.message).to_owned()))
            .collect(),
        score_ring,
        dim_chart,
        dims: dims
            .iter()
            .map(|(d, x)| DimCtx {
                label: dimension_label(*d, lang),
                weight: x.weight,
                passed: x.passed_weight,
                applicable: x.applicable_weight,
                score: if x.counted { points(x.score) } else { "—".into() },
                points: if x.counted {
                    format!("{} / {}", points(x.points), points(x.max_points))
                } else {
                    lang.pick("不计入（无适用条款）", "left out (nothing applicable)").to_owned()
                },
            })
            .collect(),
        how: lang
            .pick(
                "维度得分 = 维度权重 × 通过权重 ÷ 适用权重；不适用与已豁免的条款不计入适用权重，数据不足、人工核查与错误计入但不得分；无适用条款的维度不计入总分，其余维度权重按比例放大至 100。",
                "Dimension score = weight × passed weight ÷ applicable weight; not-applicable and waived rules leave the applicable weight, insufficient-data, manual and error stay in it and earn nothing; a dimension with nothing applicable leaves the total and the other weights scale to 100.",
            )
            .to_owned(),
        unscored: [
            (Outcome::InsufficientData, &s.unscored.insufficient_data),
            (Outcome::Manual, &s.unscored.manual),
            (Outcome::Error, &s.unscored.error),
        ]
        .into_iter()
        .filter(|(_, rules)| !rules.is_empty())
        .map(|(o, rules)| UnscoredCtx {
            label: outcome_label(o, lang),
            rules: rules.join(", "),
        })
        .collect(),
        next: s.next_grade.as_ref().map(|n| NextCtx {
            title: match lang {
                Lang::Zh => format!("达到{}的最少整改", gname(&n.target)),
                Lang::En => format!("Fewest fixes to reach {}", gname(&n.target)),
            },
            message: lang.msg(&n.message).to_owned(),
            fixes: if n.status == NextGradeStatus::Reachable {
                n.fixes
                    .iter()
                    .map(|f| FixCtx {
                        rule: f.rule.clone(),
                        level: level_label(f.level, lang),
                        gain: points(f.gain),
                        why: match f.reason {
                            FixReason::Veto => lang.pick("一票否决条款", "veto rule"),
                            FixReason::Cap => lang.pick("应条款：解除等级上限", "shall rule: lifts the cap"),
                            FixReason::Points => lang.pick("分值", "points"),
                        },
                    })
                    .collect()
            } else {
                Vec::new()
            },
        }),
        plan,
        plan_chart,
        sections,
        legend: r
            .results
            .iter()
            .any(|x| x.origin.is_proposal() && !super::hidden(x))
            .then(|| proposal_legend(lang)),
        problems: r
            .profile_problems
            .iter()
            .map(|p| ProblemCtx {
                pointer: if p.pointer.is_empty() { "/".into() } else { p.pointer.clone() },
                message: p.message.clone(),
                code: p.code.clone(),
            })
            .collect(),
        packs: r
            .packs
            .iter()
            .map(icgs::report::PackInfo::label)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The CSS class of a share of points, by the default bands.
pub const fn band_class(percent: f64) -> &'static str {
    if percent >= 90.0 {
        "excellent"
    } else if percent >= 80.0 {
        "good"
    } else if percent >= 60.0 {
        "qualified"
    } else {
        "unqualified"
    }
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

#[derive(Serialize)]
struct Kpi {
    id: &'static str,
    label: &'static str,
    value: String,
    alert: bool,
}

#[derive(Serialize)]
struct PortfolioRowCtx {
    n: usize,
    id: String,
    name: String,
    category: String,
    as_of: String,
    score: String,
    grade: String,
    grade_name: String,
    flag: String,
    non_conformities: u32,
    deviations: u32,
    fixes: String,
}

#[derive(Serialize)]
struct FailingCtx {
    rule: String,
    level: &'static str,
    title: String,
    count: u32,
    communities: String,
}

#[derive(Serialize)]
struct NotEvaluatedCtx {
    source: String,
    error: String,
}

/// The district dashboard of a portfolio.
///
/// # Errors
/// A template fails to render (a bug: the templates are compiled into the binary).
pub fn portfolio(p: &Portfolio, lang: Lang) -> anyhow::Result<String> {
    let env = environment()?;
    let t = &p.totals;
    let gname = |grade: &str| {
        p.grades
            .iter()
            .find(|g| g.grade == grade)
            .map_or_else(|| grade.to_owned(), |g| lang.msg(&g.name).to_owned())
    };
    let kpis = vec![
        Kpi {
            id: "evaluated",
            label: lang.pick("已评价社区", "Communities evaluated"),
            value: t.evaluated.to_string(),
            alert: false,
        },
        Kpi {
            id: "mean-score",
            label: lang.pick("平均分", "Mean score"),
            value: t.mean_score.map_or("—".to_owned(), points),
            alert: false,
        },
        Kpi {
            id: "with-non-conformities",
            label: lang.pick("有不符合项的社区", "With non-conformities"),
            value: t.with_non_conformities.to_string(),
            alert: t.with_non_conformities > 0,
        },
        Kpi {
            id: "non-conformities",
            label: lang.pick("不符合项合计", "Non-conformities"),
            value: t.non_conformities.to_string(),
            alert: t.non_conformities > 0,
        },
        Kpi {
            id: "deviations",
            label: lang.pick("偏离项合计", "Deviations"),
            value: t.deviations.to_string(),
            alert: false,
        },
        Kpi {
            id: "not-evaluated",
            label: lang.pick("未能评价", "Not evaluated"),
            value: p.not_evaluated.len().to_string(),
            alert: !p.not_evaluated.is_empty(),
        },
    ];
    let evaluated = f64::from(t.evaluated);
    let grade_ring = charts::ring(
        lang.pick("等级分布", "Grade distribution"),
        &t.evaluated.to_string(),
        lang.pick("个社区", "communities"),
        p.grades
            .iter()
            .map(|g| {
                (
                    lang.msg(&g.name).to_owned(),
                    f64::from(g.count),
                    g.grade.clone(),
                )
            })
            .collect(),
        evaluated,
    );
    let dim_chart = charts::bars(
        lang.pick("各维度平均得分率", "Mean share of points by dimension"),
        Dimension::ALL
            .iter()
            .map(|d| {
                let v = t.dimensions.get(d.as_str()).copied().flatten();
                Datum {
                    label: dimension_label(*d, lang),
                    value: v.unwrap_or(0.0),
                    shown: v.map_or("—".to_owned(), |x| format!("{x:.1}%")),
                    title: dimension_label(*d, lang),
                    class: v.map_or("muted", band_class).to_owned(),
                }
            })
            .collect(),
        100.0,
        25.0,
    );
    let ranked = p.ranked();
    let rank_chart = charts::bars(
        lang.pick("社区得分排名", "Communities by score"),
        ranked
            .iter()
            .map(|c| Datum {
                label: c.name.clone().unwrap_or_else(|| c.id.clone()),
                value: c.score,
                shown: format!("{} · {}", points(c.score), gname(&c.grade)),
                title: format!("{} ({})", c.name.as_deref().unwrap_or(&c.id), c.id),
                class: c.grade.clone(),
            })
            .collect(),
        100.0,
        20.0,
    );
    let failing_chart = charts::bars(
        lang.pick("最常未满足的条款", "Clauses failed most often"),
        p.failing_clauses
            .iter()
            .take(10)
            .map(|f| Datum {
                label: f.rule.clone(),
                value: f64::from(f.count),
                shown: format!("{}/{} · {}", f.count, t.evaluated, lang.msg(&f.title)),
                title: lang.msg(&f.title).to_owned(),
                class: if f.level.is_requirement() {
                    "fail".to_owned()
                } else {
                    "should".to_owned()
                },
            })
            .collect(),
        evaluated.max(1.0),
        0.0,
    );
    let rows: Vec<PortfolioRowCtx> = ranked
        .iter()
        .enumerate()
        .map(|(i, c)| PortfolioRowCtx {
            n: i + 1,
            id: c.id.clone(),
            name: c.name.clone().unwrap_or_else(|| c.id.clone()),
            category: c.category.clone().unwrap_or_else(|| "—".into()),
            as_of: c.as_of.clone(),
            score: points(c.score),
            grade: c.grade.clone(),
            grade_name: gname(&c.grade),
            flag: if c.vetoed {
                lang.pick("一票否决", "vetoed").to_owned()
            } else if c.capped {
                lang.pick("等级受限", "capped").to_owned()
            } else {
                String::new()
            },
            non_conformities: c.non_conformities,
            deviations: c.deviations,
            fixes: c
                .fixes_to_next_grade
                .map_or("—".to_owned(), |n| n.to_string()),
        })
        .collect();
    let html = env
        .get_template("portfolio.html.j2")?
        .render(minijinja::context! {
            lang => lang.code(),
            t => Value::from(Serde(&labels(lang))),
            css => CSS,
            engine_version => icgs::ENGINE_VERSION,
            summary => match lang {
                Lang::Zh => format!("共 {} 个输入，已评价 {} 个社区", t.inputs, t.evaluated),
                Lang::En => format!("{} inputs, {} communities evaluated", t.inputs, t.evaluated),
            },
            kpis => Value::from(Serde(&kpis)),
            grade_ring => Value::from(Serde(&grade_ring)),
            dim_chart => Value::from(Serde(&dim_chart)),
            rank_chart => Value::from(Serde(&rank_chart)),
            failing_chart => Value::from(Serde(&failing_chart)),
            rows => Value::from(Serde(&rows)),
            failing => Value::from(Serde(&p.failing_clauses.iter().map(|f| FailingCtx {
                rule: f.rule.clone(),
                level: level_label(f.level, lang),
                title: lang.msg(&f.title).to_owned(),
                count: f.count,
                communities: f.communities.join(", "),
            }).collect::<Vec<_>>())),
            not_evaluated => Value::from(Serde(&p.not_evaluated.iter().map(|n| NotEvaluatedCtx {
                source: n.source.clone(),
                error: n.error.clone(),
            }).collect::<Vec<_>>())),
        })?;
    Ok(finish(html))
}

/// One final newline, no trailing spaces from the templates.
fn finish(html: String) -> String {
    let mut out: String = html
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}
