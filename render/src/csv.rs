//! CSV for spreadsheets and data pipelines (RFC 4180 through the `csv` crate): one row per
//! rule and community, or one row per community for a portfolio. Both languages of every
//! message are columns, so one file serves every reader; the community's name is in the
//! chosen language (`name_en` in English where the profile gives it). The file opens with
//! a UTF-8 byte-order mark, without which Excel in a Chinese locale reads it as GBK.
//!
//! Every text cell goes through [`crate::escape::csv_cell`] (OWASP CSV injection: a cell
//! starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a
//! spreadsheet never runs profile text as a formula); numbers the tool writes (scores,
//! counts, weights, gains, shares) and JSON numbers are left as they are.

use std::borrow::Cow;

use icgs::report::{Portfolio, Report};

use super::{Lang, points};
use crate::escape::csv_cell;

/// The UTF-8 byte-order mark.
const BOM: &str = "\u{feff}";

const RULE_HEADER: [&str; 28] = [
    "community",
    "community_name",
    "district",
    "street",
    "as_of",
    "rule",
    "clause",
    "level",
    "origin",
    "origin_source",
    "dimension",
    "outcome",
    "weight",
    "observed",
    "required",
    "gain",
    "next_grade_fix",
    "title_zh",
    "title_en",
    "message_zh",
    "message_en",
    "remedy_zh",
    "remedy_en",
    "evidence",
    "score",
    "grade",
    "overlay_chain",
    "derogations",
];

/// The derogations in force on a report's date: `id from → to` each, `; ` between.
pub fn derogations_in_force(r: &Report) -> String {
    r.derogations
        .iter()
        .filter(|d| d.in_effect)
        .map(|d| format!("{} {} → {}", d.id, json_cell(&d.from), json_cell(&d.to)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A value as a cell: strings as they are, other JSON as JSON, null as empty.
fn json_cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn finish(w: csv::Writer<Vec<u8>>) -> anyhow::Result<String> {
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot write CSV: {}", e.error()))?;
    Ok(format!("{BOM}{}", String::from_utf8(bytes)?))
}

/// The name shown for a community: `name_en` in English where given, else the name.
fn name<'a>(name: Option<&'a str>, name_en: Option<&'a str>, lang: Lang) -> &'a str {
    match (lang, name_en) {
        (Lang::En, Some(en)) => en,
        _ => name.unwrap_or_default(),
    }
}

/// One row per rule of every report.
///
/// # Errors
/// Only if the CSV writer fails (it writes to memory).
pub fn reports(reports: &[&Report], lang: Lang) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(RULE_HEADER)?;
    for r in reports {
        let s = &r.summary;
        let chain = r.overlay_chain.overlays.join(" > ");
        let derogations = derogations_in_force(r);
        let next: Vec<&str> = s
            .next_grade
            .iter()
            .flat_map(|n| n.fixes.iter().map(|f| f.rule.as_str()))
            .collect();
        for x in &r.results {
            let gain = r
                .improvement_plan
                .iter()
                .find(|p| p.rule == x.rule)
                .map(|p| points(p.gain))
                .unwrap_or_default();
            let owned = |s: String| Cow::Owned(s);
            let row = [
                csv_cell(&r.profile.id),
                csv_cell(name(
                    r.profile.name.as_deref(),
                    r.profile.name_en.as_deref(),
                    lang,
                )),
                csv_cell(r.profile.district.as_deref().unwrap_or_default()),
                csv_cell(r.profile.street.as_deref().unwrap_or_default()),
                csv_cell(&r.profile.as_of),
                csv_cell(&x.rule),
                csv_cell(&x.clause),
                csv_cell(x.level.as_str()),
                csv_cell(x.origin.as_str()),
                csv_cell(x.source.as_deref().unwrap_or_default()),
                csv_cell(x.dimension.as_str()),
                csv_cell(x.outcome.as_str()),
                owned(x.weight.to_string()),
                owned(json_cell(&x.observed)),
                owned(json_cell(&x.required)),
                owned(gain),
                Cow::Borrowed(if next.contains(&x.rule.as_str()) {
                    "true"
                } else {
                    "false"
                }),
                csv_cell(&x.title.zh),
                csv_cell(&x.title.en),
                csv_cell(&x.message.zh),
                csv_cell(&x.message.en),
                csv_cell(&x.remedy.zh),
                csv_cell(&x.remedy.en),
                owned(csv_cell(&x.evidence.join(" ")).into_owned()),
                owned(points(s.score)),
                csv_cell(&s.grade),
                owned(csv_cell(&chain).into_owned()),
                owned(csv_cell(&derogations).into_owned()),
            ];
            w.write_record(row.iter().map(|c| c.as_bytes()))?;
        }
    }
    finish(w)
}

/// One row per community, then one per input that could not be evaluated (with `error`).
///
/// # Errors
/// Only if the CSV writer fails (it writes to memory).
pub fn portfolio(p: &Portfolio, lang: Lang) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let dims = icgs::pack::Dimension::ALL;
    let mut header = vec![
        "community",
        "community_name",
        "district",
        "street",
        "source",
        "as_of",
        "category",
        "score",
        "grade",
        "non_conformities",
        "deviations",
        "unscored",
        "vetoed",
        "capped",
        "fixes_to_next_grade",
    ];
    let dim_cols: Vec<String> = dims.iter().map(|d| format!("{d}_percent")).collect();
    header.extend(dim_cols.iter().map(String::as_str));
    header.push("error");
    w.write_record(&header)?;
    let text = |s: &str| csv_cell(s).into_owned();
    for c in &p.communities {
        let mut row = vec![
            text(&c.id),
            text(name(c.name.as_deref(), c.name_en.as_deref(), lang)),
            text(c.district.as_deref().unwrap_or_default()),
            text(c.street.as_deref().unwrap_or_default()),
            text(&c.source),
            text(&c.as_of),
            text(c.category.as_deref().unwrap_or_default()),
            points(c.score),
            text(&c.grade),
            c.non_conformities.to_string(),
            c.deviations.to_string(),
            c.unscored.to_string(),
            c.vetoed.to_string(),
            c.capped.to_string(),
            c.fixes_to_next_grade
                .map(|n| n.to_string())
                .unwrap_or_default(),
        ];
        for d in &dims {
            row.push(
                c.dimensions
                    .get(d)
                    .copied()
                    .flatten()
                    .map(points)
                    .unwrap_or_default(),
            );
        }
        row.push(String::new());
        w.write_record(&row)?;
    }
    for n in &p.not_evaluated {
        let mut row = vec![String::new(); header.len()];
        if let Some(cell) = row.get_mut(4) {
            *cell = csv_cell(&n.source).into_owned();
        }
        if let Some(cell) = row.last_mut() {
            *cell = csv_cell(&n.error).into_owned();
        }
        w.write_record(&row)?;
    }
    finish(w)
}
