//! The district dashboard (数字驾驶舱) of a portfolio: summary tiles, the grade
//! distribution, a table per district and per street, the top and bottom ten, the clauses
//! failed most often (with titles; the communities in a collapsible list), and a table of
//! every community that a small inline script sorts, filters and searches. One offline
//! file; with `--output-dir` each community links to its own report.

use std::collections::BTreeMap;

use icgs::pack::Dimension;
use icgs::report::{Portfolio, PortfolioRow};
use minijinja::Value;
use minijinja::value::Serde;
use serde::Serialize;

use super::html::{CSS, band_class, environment, finish, labels, report_file, shown_name};
use super::{Lang, charts, charts::Datum, dimension_label, level_label, points};

/// Rows in the top and the bottom lists.
const TOP: usize = 10;
/// Rows of the community table shown at once on screen (all of them printed): laying out
/// 2,000 rows took seconds in Chromium, one page of 100 takes milliseconds.
const PAGE: usize = 100;

#[derive(Serialize)]
struct Kpi {
    id: &'static str,
    label: &'static str,
    value: String,
    alert: bool,
}

#[derive(Serialize)]
struct RowCtx {
    n: usize,
    id: String,
    name: String,
    link: Option<String>,
    district: String,
    street: String,
    category: String,
    as_of: String,
    score: String,
    grade: String,
    grade_name: String,
    flag: String,
    non_conformities: u32,
    deviations: u32,
    fixes: String,
    /// The rules it fails, space-separated (the filter's data).
    failed: String,
}

/// One district, or one street of a district.
#[derive(Serialize)]
struct GroupCtx {
    district: String,
    street: String,
    count: usize,
    mean: String,
    /// Communities per grade, in the model's order.
    grades: Vec<usize>,
    with_non_conformities: usize,
}

#[derive(Serialize)]
struct FailingCtx {
    rule: String,
    level: &'static str,
    title: String,
    count: u32,
    percent: String,
    names: String,
}

#[derive(Serialize)]
struct NotEvaluatedCtx {
    source: String,
    error: String,
}

#[derive(Serialize)]
struct GradeCtx {
    grade: String,
    name: String,
}

/// The groups of `rows` by `key` (district, or district and street), in key order.
fn groups<'a>(
    rows: &[&'a PortfolioRow],
    grades: &[GradeCtx],
    key: impl Fn(&PortfolioRow) -> (String, String),
) -> Vec<GroupCtx> {
    let mut by: BTreeMap<(String, String), Vec<&'a PortfolioRow>> = BTreeMap::new();
    for r in rows {
        by.entry(key(r)).or_default().push(r);
    }
    by.into_iter()
        .map(|((district, street), rs)| {
            #[allow(clippy::cast_precision_loss, reason = "counts are small")]
            let mean = rs.iter().map(|r| r.score).sum::<f64>() / rs.len() as f64;
            GroupCtx {
                district,
                street,
                count: rs.len(),
                mean: points(mean),
                grades: grades
                    .iter()
                    .map(|g| rs.iter().filter(|r| r.grade == g.grade).count())
                    .collect(),
                with_non_conformities: rs.iter().filter(|r| r.non_conformities > 0).count(),
            }
        })
        .collect()
}

fn kpis(p: &Portfolio, lang: Lang) -> Vec<Kpi> {
    let t = &p.totals;
    vec![
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
    ]
}

/// The dashboard page; `linked`: each community links to `communities/<file>`.
pub fn page(p: &Portfolio, lang: Lang, linked: bool) -> anyhow::Result<String> {
    let env = environment()?;
    let t = &p.totals;
    let grades: Vec<GradeCtx> = p
        .grades
        .iter()
        .map(|g| GradeCtx {
            grade: g.grade.to_string(),
            name: lang.msg(&g.name).to_owned(),
        })
        .collect();
    let ranked = p.ranked();
    let rows = community_rows(p, &ranked, &grades, lang, linked);
    let none = lang.pick("（未填）", "(not given)");
    let districts = groups(&ranked, &grades, |r| {
        (
            r.district.clone().unwrap_or_else(|| none.to_owned()),
            String::new(),
        )
    });
    let any_street = p.communities.iter().any(|c| c.street.is_some());
    let streets = if any_street {
        groups(&ranked, &grades, |r| {
            (
                r.district.clone().unwrap_or_else(|| none.to_owned()),
                r.street.clone().unwrap_or_else(|| none.to_owned()),
            )
        })
    } else {
        Vec::new()
    };
    let failing = failing_clauses(p, &rows, lang);
    let mut categories: Vec<&str> = rows.iter().map(|r| r.category.as_str()).collect();
    categories.sort_unstable();
    categories.dedup();
    let mut street_names: Vec<&str> = rows.iter().map(|r| r.street.as_str()).collect();
    street_names.sort_unstable();
    street_names.dedup();
    let bottom: Vec<&RowCtx> = rows.iter().rev().take(TOP).collect();
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
            kpis => Value::from(Serde(&kpis(p, lang))),
            grades => Value::from(Serde(&grades)),
            grade_ring => Value::from(Serde(&grade_ring(p, lang))),
            dim_chart => Value::from(Serde(&dimension_chart(p, lang))),
            districts => Value::from(Serde(&districts)),
            streets => Value::from(Serde(&streets)),
            no_street => (!any_street).then(|| lang.pick(
                "档案均未填写街道，只按区汇总。",
                "No profile gives a street: grouped by district only.",
            )),
            top => Value::from(Serde(&rows.iter().take(TOP).collect::<Vec<_>>())),
            bottom => Value::from(Serde(&bottom)),
            failing => Value::from(Serde(&failing)),
            categories => Value::from(Serde(&categories)),
            street_names => Value::from(Serde(&street_names)),
            rows => Value::from(Serde(&rows)),
            page => PAGE,
            more_label => match lang {
                Lang::Zh => format!("显示更多（另有 {} 个）", rows.len().saturating_sub(PAGE)),
                Lang::En => format!("Show more ({} more)", rows.len().saturating_sub(PAGE)),
            },
            not_evaluated => Value::from(Serde(&p.not_evaluated.iter().map(|n| NotEvaluatedCtx {
                source: n.source.clone(),
                error: n.error.clone(),
            }).collect::<Vec<_>>())),
        })?;
    Ok(finish(html))
}

/// The ring of communities by grade.
fn grade_ring(p: &Portfolio, lang: Lang) -> charts::Ring {
    charts::ring(
        lang.pick("等级分布", "Grade distribution"),
        &p.totals.evaluated.to_string(),
        lang.pick("个社区", "communities"),
        p.grades
            .iter()
            .map(|g| {
                (
                    lang.msg(&g.name).to_owned(),
                    f64::from(g.count),
                    g.grade.to_string(),
                )
            })
            .collect(),
        f64::from(p.totals.evaluated),
    )
}

/// The bars of the mean share of points by dimension.
fn dimension_chart(p: &Portfolio, lang: Lang) -> charts::BarChart {
    charts::bars(
        lang.pick("各维度平均得分率", "Mean share of points by dimension"),
        Dimension::ALL
            .iter()
            .map(|d| {
                let v = p.totals.dimensions.get(d).copied().flatten();
                Datum {
                    label: dimension_label(*d, lang),
                    value: v.unwrap_or(0.0),
                    shown: v.map_or("—".to_owned(), |x| format!("{x:.1}%")),
                    title: dimension_label(*d, lang),
                    class: v.map_or_else(|| "muted".to_owned(), |x| band_class(&p.scale, x)),
                }
            })
            .collect(),
        100.0,
        25.0,
    )
}

/// One row per community, best first.
fn community_rows(
    p: &Portfolio,
    ranked: &[&PortfolioRow],
    grades: &[GradeCtx],
    lang: Lang,
    linked: bool,
) -> Vec<RowCtx> {
    let gname = |grade: &str| {
        grades
            .iter()
            .find(|g| g.grade == grade)
            .map_or_else(|| grade.to_owned(), |g| g.name.clone())
    };
    // The rules each community fails, from the clause counts (no second pass over reports).
    let mut failed: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in &p.failing_clauses {
        for id in &f.communities {
            failed.entry(id.as_str()).or_default().push(f.rule.as_str());
        }
    }
    let none = lang.pick("（未填）", "(not given)");
    ranked
        .iter()
        .enumerate()
        .map(|(i, c)| RowCtx {
            n: i + 1,
            id: c.id.clone(),
            name: shown_name(c.name.as_deref(), c.name_en.as_deref(), &c.id, lang),
            link: linked.then(|| format!("communities/{}", report_file(&c.id))),
            district: c.district.clone().unwrap_or_else(|| none.to_owned()),
            street: c.street.clone().unwrap_or_else(|| none.to_owned()),
            category: c.category.clone().unwrap_or_else(|| "—".into()),
            as_of: c.as_of.clone(),
            score: points(c.score),
            grade: c.grade.to_string(),
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
            failed: failed
                .get(c.id.as_str())
                .map_or_else(String::new, |v| v.join(" ")),
        })
        .collect()
}

/// The clauses most often failed, with the communities that fail them by name.
fn failing_clauses(p: &Portfolio, rows: &[RowCtx], lang: Lang) -> Vec<FailingCtx> {
    let names: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| (r.id.as_str(), r.name.as_str()))
        .collect();
    let evaluated = f64::from(p.totals.evaluated);
    p.failing_clauses
        .iter()
        .map(|f| FailingCtx {
            rule: f.rule.to_string(),
            level: level_label(f.level, lang),
            title: lang.msg(&f.title).to_owned(),
            count: f.count,
            percent: format!("{:.0}", 100.0 * f64::from(f.count) / evaluated.max(1.0)),
            names: f
                .communities
                .iter()
                .map(|id| names.get(id.as_str()).copied().unwrap_or(id))
                .collect::<Vec<_>>()
                .join(lang.pick("、", ", ")),
        })
        .collect()
}
