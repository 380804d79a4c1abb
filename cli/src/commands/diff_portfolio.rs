//! `icgs diff OLD NEW` of two portfolios: two portfolio JSON files (`icgs check DIR
//! --format json --view portfolio`) or two directories of JSON reports. One line per
//! community whose score, grade or failures moved, the communities added and removed, and
//! how many went up or down a grade; grades named in the chosen language.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use icgs::report::{Portfolio, PortfolioRow, Report};
use serde::Serialize;

use super::diff::DiffFormat;
use super::{EXIT_FAILED, EXIT_OK};
use crate::render::Lang;

/// Whether `path` holds a portfolio rather than one report: a directory, or a JSON
/// object with `portfolio_version`.
pub fn is_portfolio(path: &Path) -> bool {
    path.is_dir()
        || std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .is_some_and(|v| v.get("portfolio_version").is_some())
}

/// The portfolio in `path`: a portfolio JSON file, or the JSON reports of a directory
/// (each file one report or an array of reports).
fn read(path: &Path) -> anyhow::Result<Portfolio> {
    let parse_err = |file: &Path, e: &serde_json::Error, what: &str| {
        anyhow::anyhow!(
            "`{}`:{}:{}: not {what}: {e}",
            file.display(),
            e.line(),
            e.column()
        )
    };
    if !path.is_dir() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", path.display()))?;
        return serde_json::from_str(&text).map_err(|e| {
            parse_err(
                path,
                &e,
                "a portfolio (`icgs check DIR --format json --view portfolio`)",
            )
        });
    }
    let mut files: Vec<_> = std::fs::read_dir(path)
        .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", path.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
        .collect();
    files.sort();
    let mut reports: Vec<(String, Report)> = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", file.display()))?;
        let name = file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        if text.trim_start().starts_with('[') {
            let many: Vec<Report> = serde_json::from_str(&text)
                .map_err(|e| parse_err(file, &e, "an array of JSON reports"))?;
            reports.extend(many.into_iter().map(|r| (name.clone(), r)));
        } else {
            let one: Report = serde_json::from_str(&text)
                .map_err(|e| parse_err(file, &e, "a JSON report (`icgs check --format json`)"))?;
            reports.push((name, one));
        }
    }
    if reports.is_empty() {
        anyhow::bail!(
            "`{}` holds no JSON report (*.json from `icgs check --format json`)",
            path.display()
        );
    }
    let refs: Vec<(&str, &Report)> = reports.iter().map(|(n, r)| (n.as_str(), r)).collect();
    Ok(Portfolio::new(&refs, &[]))
}

/// One community in both portfolios.
#[derive(Debug, Serialize)]
struct Moved {
    community: String,
    name: Option<String>,
    old_score: f64,
    new_score: f64,
    score_change: f64,
    old_grade: String,
    new_grade: String,
    /// +1 per grade up, −1 per grade down.
    grade_change: i64,
    old_non_conformities: u32,
    new_non_conformities: u32,
}

/// The change between two portfolios.
#[derive(Debug, Serialize)]
struct PortfolioDiff {
    old_mean_score: Option<f64>,
    new_mean_score: Option<f64>,
    /// Communities in both, by id.
    communities: Vec<Moved>,
    /// Ids only in the new portfolio.
    added: Vec<String>,
    /// Ids only in the old portfolio.
    removed: Vec<String>,
}

fn diff(old: &Portfolio, new: &Portfolio) -> PortfolioDiff {
    // Rank of a grade: 0 for the best, by the new portfolio's model.
    let rank = |g: &str| {
        new.grades
            .iter()
            .chain(&old.grades)
            .position(|x| x.grade == g)
            .and_then(|i| i64::try_from(i).ok())
            .unwrap_or(i64::MAX / 2)
    };
    let by_id = |p: &Portfolio| -> BTreeMap<String, PortfolioRow> {
        p.communities
            .iter()
            .map(|c| (c.id.clone(), c.clone()))
            .collect()
    };
    let (olds, news) = (by_id(old), by_id(new));
    let communities = news
        .values()
        .filter_map(|n| {
            olds.get(&n.id).map(|o| Moved {
                community: n.id.clone(),
                name: n.name.clone(),
                old_score: o.score,
                new_score: n.score,
                score_change: ((n.score - o.score) * 100.0).round() / 100.0,
                old_grade: o.grade.to_string(),
                new_grade: n.grade.to_string(),
                grade_change: rank(&o.grade) - rank(&n.grade),
                old_non_conformities: o.non_conformities,
                new_non_conformities: n.non_conformities,
            })
        })
        .collect();
    PortfolioDiff {
        old_mean_score: old.totals.mean_score,
        new_mean_score: new.totals.mean_score,
        communities,
        added: news
            .keys()
            .filter(|k| !olds.contains_key(*k))
            .cloned()
            .collect(),
        removed: olds
            .keys()
            .filter(|k| !news.contains_key(*k))
            .cloned()
            .collect(),
    }
}

fn text(d: &PortfolioDiff, old: &Portfolio, new: &Portfolio, lang: Lang) -> String {
    let gname = |g: &str| {
        new.grades
            .iter()
            .chain(&old.grades)
            .find(|x| x.grade == g)
            .map_or_else(|| g.to_owned(), |x| lang.msg(&x.name).to_owned())
    };
    let mean = |m: Option<f64>| m.map_or_else(|| "—".to_owned(), |x| format!("{x:.2}"));
    let up = d.communities.iter().filter(|c| c.grade_change > 0).count();
    let down = d.communities.iter().filter(|c| c.grade_change < 0).count();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::Zh => format!(
                "平均分 {} → {} · 共有社区 {} 个：升级 {up} 个，降级 {down} 个 · 新增 {} 个，移除 {} 个",
                mean(d.old_mean_score),
                mean(d.new_mean_score),
                d.communities.len(),
                d.added.len(),
                d.removed.len()
            ),
            Lang::En => format!(
                "mean score {} → {} · {} communities in both: {up} up a grade, {down} down · {} added, {} removed",
                mean(d.old_mean_score),
                mean(d.new_mean_score),
                d.communities.len(),
                d.added.len(),
                d.removed.len()
            ),
        }
    );
    let mut moved: Vec<&Moved> = d
        .communities
        .iter()
        .filter(|c| {
            c.score_change != 0.0
                || c.grade_change != 0
                || c.old_non_conformities != c.new_non_conformities
        })
        .collect();
    // Worst news first: grades lost, then points lost.
    moved.sort_by(|a, b| {
        a.grade_change
            .cmp(&b.grade_change)
            .then(a.score_change.total_cmp(&b.score_change))
            .then_with(|| a.community.cmp(&b.community))
    });
    if !moved.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            lang.pick("变化的社区", "Communities that moved")
        );
    }
    for c in moved {
        let name = c.name.as_deref().unwrap_or(&c.community);
        let (was, now) = (gname(&c.old_grade), gname(&c.new_grade));
        let (id, o, n, delta) = (&c.community, c.old_score, c.new_score, c.score_change);
        let (onc, nnc) = (c.old_non_conformities, c.new_non_conformities);
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!(
                    "  {name}（{id}）：{was} {o:.2}分 → {now} {n:.2}分（{delta:+.2}分），不符合项 {onc} → {nnc}"
                ),
                Lang::En => format!(
                    "  {name} ({id}): {was} {o:.2} → {now} {n:.2} ({delta:+.2}), non-conformities {onc} → {nnc}"
                ),
            }
        );
    }
    for (ids, zh, en) in [
        (&d.added, "新增社区", "Added"),
        (&d.removed, "移除社区", "Removed"),
    ] {
        if !ids.is_empty() {
            let _ = writeln!(
                out,
                "\n{} ({}): {}",
                lang.pick(zh, en),
                ids.len(),
                ids.join(", ")
            );
        }
    }
    out
}

/// Compares two portfolios. Exit 1 when a community lost a grade or gained
/// non-conformities, 0 otherwise.
pub fn run(
    old_path: &Path,
    new_path: &Path,
    format: DiffFormat,
    lang: Lang,
    output: Option<(&Path, crate::output::Output)>,
) -> anyhow::Result<ExitCode> {
    let old = read(old_path)?;
    let new = read(new_path)?;
    let d = diff(&old, &new);
    let out = match format {
        DiffFormat::Json => {
            let mut s = serde_json::to_string_pretty(&d)?;
            s.push('\n');
            s
        }
        DiffFormat::Text => text(&d, &old, &new, lang),
    };
    match output {
        Some((path, target)) => target.write(path, out.as_bytes())?,
        None => super::write_stdout(&out)?,
    }
    let worse = d
        .communities
        .iter()
        .any(|c| c.grade_change < 0 || c.new_non_conformities > c.old_non_conformities);
    Ok(ExitCode::from(if worse { EXIT_FAILED } else { EXIT_OK }))
}
