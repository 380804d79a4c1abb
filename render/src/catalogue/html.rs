//! The catalogue as one self-contained HTML page: no scripts, no network, printable.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use icgs::pack::{Level, PROPOSAL_LEGEND_EN, PROPOSAL_LEGEND_ZH};
use icgs_tools::catalogue::{Catalogue, ClauseDoc, ClauseStatus, RuleDoc};

use super::markdown::{LEVELS, STATUSES, origin_text, status_text};
use super::{applies_to, show};
use crate::escape::html as esc;

/// An id attribute for a clause or chapter.
fn id_of(prefix: &str, id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{prefix}-{clean}")
}

const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','PingFang SC',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.5}\
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #c8102e;padding-bottom:.2rem}\
h3{margin:1.8rem 0 .3rem}table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}\
th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}\
td.n{text-align:right}blockquote{margin:.4rem 0;padding:.2rem .8rem;border-left:4px solid #c8102e;background:#fafafa}\
.tag{display:inline-block;border-radius:.3rem;padding:0 .4rem;font-size:.85rem;background:#eee;margin-right:.3rem}\
.automated{background:#e3f2e6}td.in-force{background:#e3f2e6}td.not-in-force{background:#f3f3f3}.evidence{background:#fff4d6}.permission{background:#e6eef9}.missing{background:#fbe0e0}\
dl{display:grid;grid-template-columns:max-content auto;gap:.1rem .8rem;margin:.4rem 0}dt{font-weight:600}dd{margin:0}\
code{font-size:.9em}@media print{body{max-width:none}h2{break-before:page}article{break-inside:avoid}}";

pub(super) fn render(cat: &Catalogue) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"generator\" content=\"icgs doc\">\n<title>条款目录 · Clause catalogue</title>\n<style>{STYLE}</style>\n</head>\n<body>"
    );
    let _ = writeln!(s, "<h1>条款目录 · Clause catalogue</h1>");
    let _ = writeln!(
        s,
        "<p>Edition: {}. Packs: {}.</p>",
        esc(&cat.edition),
        cat.packs
            .iter()
            .map(|p| format!("<code>{}</code>", esc(p)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    super::layers::html(&mut s, &cat.layers, cat.as_of.as_deref());
    summary(&mut s, cat);

    for chapter in &cat.chapters {
        let _ = writeln!(
            s,
            "<section id=\"{}\">\n<h2>{} {} {}</h2>",
            id_of("chapter", &chapter.id),
            esc(&chapter.id),
            esc(&chapter.title.zh),
            esc(&chapter.title.en)
        );
        for clause in &chapter.clauses {
            clause_article(&mut s, clause);
        }
        s.push_str("</section>\n");
    }

    parameters(&mut s, cat);
    s.push_str("</body>\n</html>\n");
    s
}

/// The summary table: clauses by level and by status, per chapter and in total.
fn summary(s: &mut String, cat: &Catalogue) {
    let _ = writeln!(
        s,
        "<table>\n<tr><th>chapter</th><th>clauses</th><th>应 shall</th><th>不应 shall-not</th><th>宜 should</th><th>可 may</th><th>automated</th><th>evidence</th><th>permission</th><th>not encoded</th></tr>"
    );
    for chapter in &cat.chapters {
        let (levels, statuses) = chapter.counts();
        let _ = write!(
            s,
            "<tr><td><a href=\"#{}\">{} {} · {}</a></td><td class=\"n\">{}</td>",
            id_of("chapter", &chapter.id),
            esc(&chapter.id),
            esc(&chapter.title.zh),
            esc(&chapter.title.en),
            chapter.clauses.len()
        );
        count_cells(s, "td", &levels, &statuses);
        s.push_str("</tr>\n");
    }
    let (levels, statuses) = cat.counts();
    let _ = write!(
        s,
        "<tr><th>total</th><th class=\"n\">{}</th>",
        cat.clauses().count()
    );
    count_cells(s, "th", &levels, &statuses);
    s.push_str("</tr>\n</table>\n");
}

/// One count cell (`td` or `th`) per level, then per status.
fn count_cells(
    s: &mut String,
    tag: &str,
    levels: &BTreeMap<Level, usize>,
    statuses: &BTreeMap<ClauseStatus, usize>,
) {
    for l in LEVELS {
        let _ = write!(
            s,
            "<{tag} class=\"n\">{}</{tag}>",
            levels.get(&l).copied().unwrap_or(0)
        );
    }
    for st in STATUSES {
        let _ = write!(
            s,
            "<{tag} class=\"n\">{}</{tag}>",
            statuses.get(&st).copied().unwrap_or(0)
        );
    }
}

/// The parameters table: defaults, values in force, who declares and who reads them.
fn parameters(s: &mut String, cat: &Catalogue) {
    let _ = writeln!(
        s,
        "<section id=\"parameters\">\n<h2>参数 Parameters</h2>\n<table>\n<tr><th>parameter</th><th>default</th><th>unit</th><th>origin</th><th>declared by</th><th>in force (set by)</th><th>read by</th><th>meaning</th></tr>"
    );
    for p in &cat.params {
        let in_force = match (&p.value, &p.layer) {
            (Some(v), Some(l)) => format!("{} ({l})", show(v)),
            _ => "—".to_owned(),
        };
        let _ = writeln!(
            s,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}<br>{}</td></tr>",
            esc(&p.name),
            esc(&show(&p.default)),
            esc(p.unit.as_deref().unwrap_or("—")),
            esc(&origin_text(p.origin, p.source.as_deref())),
            esc(&p.declared_by),
            esc(&in_force),
            esc(&p.rules.join(", ")),
            esc(&p.description.zh),
            esc(&p.description.en)
        );
    }
    s.push_str("</table>\n</section>\n");
}

fn clause_article(s: &mut String, clause: &ClauseDoc) {
    let title = clause
        .rules
        .first()
        .map(|r| format!(" {} · {}", r.meta.title.zh, r.meta.title.en))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "<article id=\"{}\">\n<h3>{} {}{}</h3>",
        id_of("clause", &clause.id),
        esc(&clause.id),
        clause.level.zh(),
        esc(&title)
    );
    let first = clause.rules.first();
    let zh = first
        .map(|r| r.meta.text.zh.as_str())
        .or(clause.listed_text.as_deref())
        .unwrap_or_default();
    let en = first.map(|r| r.meta.text.en.as_str()).unwrap_or_default();
    let _ = writeln!(s, "<blockquote lang=\"zh\">{}</blockquote>", esc(zh));
    if !en.is_empty() {
        let _ = writeln!(s, "<blockquote lang=\"en\">{}</blockquote>", esc(en));
    }
    let _ = writeln!(
        s,
        "<p><span class=\"tag {}\">{}</span> <span class=\"tag {}\">{}</span>{}</p>",
        clause.status.as_str(),
        esc(status_text(clause.status)),
        clause.origin.as_str(),
        esc(&origin_text(clause.origin, clause.source.as_deref())),
        if clause.origin.is_proposal() {
            format!(" {} · {}", PROPOSAL_LEGEND_ZH, PROPOSAL_LEGEND_EN)
        } else {
            String::new()
        }
    );
    for rule in &clause.rules {
        rule_block(s, rule, clause.rules.len() > 1);
    }
    s.push_str("</article>\n");
}

fn rule_block(s: &mut String, rule: &RuleDoc, named: bool) {
    let m = &rule.meta;
    if named {
        let _ = writeln!(s, "<h4>Rule <code>{}</code></h4>", esc(&m.id));
    }
    let _ = writeln!(
        s,
        "<dl>\n<dt>Level</dt><dd>{} {}</dd>\n<dt>Checked</dt><dd>{} {}</dd>\n<dt>Applies to</dt><dd>{}</dd>\n<dt>Dimension · weight</dt><dd>{} · {}</dd>\n<dt>Rule</dt><dd><code>{}</code> · <code>{}</code> · <code>{}</code></dd>\n<dt>检查</dt><dd>{}</dd>\n<dt>Check</dt><dd>{}</dd>\n</dl>",
        m.level.zh(),
        m.level.as_str(),
        rule.kind.as_str(),
        rule.kind.zh(),
        esc(&applies_to(m).unwrap_or_else(|| "every community".to_owned())),
        m.dimension.as_str(),
        rule.weight,
        esc(&m.id),
        esc(&rule.pack),
        esc(&rule.file),
        esc(&m.check.zh),
        esc(&m.check.en)
    );
    if rule.params.is_empty() {
        return;
    }
    s.push_str("<table>\n<tr><th>parameter</th><th>value</th><th>unit</th><th>origin</th><th>set by</th><th>meaning</th></tr>\n");
    for p in &rule.params {
        let _ = writeln!(
            s,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}<br>{}</td></tr>",
            esc(&p.name),
            esc(&show(&p.value)),
            esc(p.unit.as_deref().unwrap_or("—")),
            p.origin.zh(),
            esc(&p.layer),
            esc(&p.description.zh),
            esc(&p.description.en)
        );
        for (category, value, layer) in &p.by_category {
            let _ = writeln!(
                s,
                "<tr><td><code>{}</code> ({} communities)</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td></td></tr>",
                esc(&p.name),
                esc(category),
                esc(&show(value)),
                esc(p.unit.as_deref().unwrap_or("—")),
                p.origin.zh(),
                esc(layer)
            );
        }
    }
    s.push_str("</table>\n");
}
