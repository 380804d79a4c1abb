//! Renderers of reports for people and machines, all from the one report structure
//! (`docs/reports.md`): text, Markdown, HTML, JUnit XML and CSV, and the JSON
//! descriptions of rules; the clause catalogue in Markdown and HTML. Shared by `icgs` and
//! `icgs serve`. The JSON report is the
//! library's own serialisation. Each renderer has a single-report form and a portfolio
//! form; none reads the clock, so the same reports give the same bytes.

pub mod catalogue;
pub mod charts;
pub mod csv;
mod dashboard;
pub mod escape;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod problems;
pub mod rules;
pub mod text;

use std::io::IsTerminal as _;

use icgs::pack::{Dimension, Level, Origin, PROPOSAL_LEGEND_EN, PROPOSAL_LEGEND_ZH};
use icgs::report::{Message, Outcome, Report, ScoringModel};
use serde_json::Value;

/// Language of text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Lang {
    /// 中文 (authoritative)
    Zh,
    /// English
    En,
}

impl Lang {
    /// Picks the text in this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Zh => zh,
            Self::En => en,
        }
    }

    /// Picks the text of a bilingual message.
    pub fn msg(self, m: &Message) -> &str {
        self.pick(&m.zh, &m.en)
    }

    /// The language code (`zh-CN`, `en`) for HTML.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Zh => "zh-CN",
            Self::En => "en",
        }
    }
}

/// Whether to colour output: stdout is a terminal and `NO_COLOR` is unset.
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// An outcome in words.
pub const fn outcome_label(o: Outcome, lang: Lang) -> &'static str {
    match (o, lang) {
        (Outcome::Pass, Lang::Zh) => "符合",
        (Outcome::Fail, Lang::Zh) => "不符合",
        (Outcome::NotApplicable, Lang::Zh) => "不适用",
        (Outcome::InsufficientData, Lang::Zh) => "数据不足",
        (Outcome::Manual, Lang::Zh) => "人工核查",
        (Outcome::Waived, Lang::Zh) => "已豁免",
        (Outcome::Error, Lang::Zh) => "错误",
        (Outcome::Pass, Lang::En) => "pass",
        (Outcome::Fail, Lang::En) => "fail",
        (Outcome::NotApplicable, Lang::En) => "not applicable",
        (Outcome::InsufficientData, Lang::En) => "insufficient data",
        (Outcome::Manual, Lang::En) => "manual",
        (Outcome::Waived, Lang::En) => "waived",
        (Outcome::Error, Lang::En) => "error",
    }
}

/// A level as the standard writes it (应, 宜…) or in English.
pub const fn level_label(level: Level, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => level.zh(),
        Lang::En => level.as_str(),
    }
}

/// The marker of a proposal row (拟 / P); empty for a clause the note states.
pub const fn origin_marker(origin: Origin, lang: Lang) -> &'static str {
    match (origin, lang) {
        (Origin::Note, _) => "",
        (Origin::Proposal, Lang::Zh) => "拟",
        (Origin::Proposal, Lang::En) => "P",
    }
}

/// An origin in words: 编制说明 / 拟定, note / proposal.
pub const fn origin_label(origin: Origin, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => origin.zh(),
        Lang::En => origin.as_str(),
    }
}

/// Display width in terminal columns (CJK characters take two), per Unicode's East Asian
/// Width.
pub fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` broken into lines of at most `max` columns: at a space in Latin text, anywhere
/// between CJK characters; a word longer than a line is cut.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(10);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_w = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if line_w + w > max {
            // Break at the last space if the line has one past its middle.
            let cut = line
                .rfind(' ')
                .filter(|&i| width(&line[..i]) > max / 2 && c != ' ');
            let rest = match cut {
                Some(i) => {
                    let rest = line[i + 1..].to_owned();
                    line.truncate(i);
                    rest
                }
                None => String::new(),
            };
            lines.push(line.trim_end().to_owned());
            line = rest;
            line_w = width(&line);
            if c == ' ' {
                continue;
            }
        }
        line.push(c);
        line_w += w;
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    lines
}

/// A category in words (科技创新型 / technology innovation), or its id when it is a
/// plugin's or a local pack's.
pub fn category_label(code: &str, lang: Lang) -> String {
    icgs::vocab::label("category", code)
        .map_or_else(|| code.to_owned(), |l| l.pick(lang == Lang::Zh).to_owned())
}

/// A profile problem on one line: where, and what is wrong (the label of its code in
/// Chinese; the validator's own sentence in English).
pub fn problem_line(p: &icgs::report::ProfileProblem, lang: Lang) -> String {
    let at = if p.pointer.is_empty() {
        "/"
    } else {
        &p.pointer
    };
    match lang {
        Lang::Zh => {
            let what =
                icgs::vocab::label("problem", p.code.as_str()).map_or("数据问题", |l| l.zh);
            format!("{}：{what}", icgs::vocab::pointer_zh(at))
        }
        Lang::En => format!("{at}: {}", p.message),
    }
}

/// The points a fix adds: `+2.81分` / `+2.81 pts`.
pub fn gain(x: f64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("+{}分", points(x)),
        Lang::En => format!("+{} pts", points(x)),
    }
}

/// `s` padded with spaces to display width `w`.
pub fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_owned();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}

/// The legend of the proposal marker.
pub fn proposal_legend(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("拟 = 拟定：{PROPOSAL_LEGEND_ZH}"),
        Lang::En => format!("P = proposal: {PROPOSAL_LEGEND_EN}"),
    }
}

/// A cap or veto in words, with its origin when it is a proposal (the veto is one).
pub fn limit_text(limit: &icgs::report::GradeLimit, lang: Lang) -> String {
    let text = lang.msg(&limit.message);
    match (limit.origin, lang) {
        (Origin::Note, _) => text.to_owned(),
        (Origin::Proposal, Lang::Zh) => format!("{text}（拟定：{PROPOSAL_LEGEND_ZH}）"),
        (Origin::Proposal, Lang::En) => format!("{text} (proposal: {PROPOSAL_LEGEND_EN})"),
    }
}

/// The chapter number of a dimension.
pub const fn chapter(d: Dimension) -> &'static str {
    d.chapter()
}

/// A dimension as `4 总则` or `4 General`.
pub fn dimension_label(d: Dimension, lang: Lang) -> String {
    format!("{} {}", chapter(d), lang.pick(d.zh(), d.en()))
}

/// A grade's name from the scoring model, in the language.
pub fn grade_name(model: &ScoringModel, grade: &str, lang: Lang) -> String {
    let name = model.grade_name(grade);
    match lang {
        Lang::Zh => name.zh,
        Lang::En => name.en,
    }
}

/// A grade's name in a report.
pub fn report_grade(report: &Report, lang: Lang) -> String {
    grade_name(&report.summary.model, &report.summary.grade, lang)
}

/// An observed or required value, short and in words: codes the vocabulary knows as
/// labels, lists joined, numbers grouped (`1,700`), null as a dash.
pub fn value(v: &Value, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match v {
        Value::Null => "—".to_owned(),
        Value::String(s) => icgs::vocab::words(s, zh).to_owned(),
        Value::Bool(b) => lang
            .pick(if *b { "是" } else { "否" }, if *b { "yes" } else { "no" })
            .to_owned(),
        Value::Array(items) if items.is_empty() => "—".to_owned(),
        Value::Array(items) => items
            .iter()
            .map(|i| value(i, lang))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", ")),
        Value::Number(n) => icgs::vocab::number(n, icgs::vocab::NumberStyle::Plain, zh),
        other => other.to_string(),
    }
}

/// A score, a share of points or a gain, with two decimals: every score the reports show
/// goes through here.
pub fn points(x: f64) -> String {
    format!("{x:.2}")
}

/// A profile problem at a rule's inputs, in words: what is wrong and, when its value was
/// taken out (section E), that it was treated as absent.
pub fn touched(p: &icgs::report::ProfileProblem, lang: Lang) -> String {
    let at = if p.pointer.is_empty() {
        "/"
    } else {
        &p.pointer
    };
    let (zh, en) = p.code.label();
    match (lang, p.absent.is_some()) {
        (Lang::Zh, true) => format!(
            "数据无效（{zh}），已按缺失处理：{}",
            icgs::vocab::pointer_zh(at)
        ),
        (Lang::Zh, false) => format!("数据问题（{zh}）：{}", icgs::vocab::pointer_zh(at)),
        (Lang::En, true) => format!("invalid data ({en}) treated as absent: {at}"),
        (Lang::En, false) => format!("data problem ({en}): {at}"),
    }
}

/// A result's message followed by the profile problems at its inputs (section E).
pub fn message_with_problems(x: &icgs::report::RuleResult, lang: Lang) -> String {
    let mut message = lang.msg(&x.message).to_owned();
    for p in &x.profile_problems {
        message.push_str(" ⚠ ");
        message.push_str(&touched(p, lang));
    }
    message
}

/// How to record a rule's fix in the profile (数据填报说明), when the rule says.
pub fn record_hint<'a>(report: &'a Report, rule: &str) -> Option<&'a Message> {
    report
        .results
        .iter()
        .find(|r| r.rule == rule)
        .and_then(|r| r.record_hint.as_ref())
}

/// Rules of a category other than the community's are listed only by count.
pub fn hidden(r: &icgs::report::RuleResult) -> bool {
    r.is_category_rule() && r.outcome == Outcome::NotApplicable
}

/// The results as the text and HTML reports list them: the standard's rules by chapter
/// (dimension), then the category rules together; groups without a result left out.
pub fn result_groups(report: &Report, lang: Lang) -> Vec<(String, Vec<&icgs::report::RuleResult>)> {
    let mut groups: Vec<(String, Vec<&icgs::report::RuleResult>)> = Dimension::ALL
        .iter()
        .map(|d| {
            (
                dimension_label(*d, lang),
                report
                    .results
                    .iter()
                    .filter(|r| r.dimension == *d && !r.is_category_rule())
                    .collect(),
            )
        })
        .collect();
    groups.push((
        lang.pick("C 类别条款", "C Category clauses").to_owned(),
        report
            .results
            .iter()
            .filter(|r| r.is_category_rule())
            .collect(),
    ));
    groups.retain(|(_, rows)| !rows.is_empty());
    groups
}

/// The overlay chain a report was evaluated with and the derogations in force on its date,
/// as one line for the top of a report; `None` when neither (the standard alone).
pub fn chain_line(report: &Report, lang: Lang) -> Option<String> {
    let chain = &report.overlay_chain;
    let in_force: Vec<&icgs::report::DerogationEntry> =
        report.derogations.iter().filter(|d| d.in_effect).collect();
    if chain.overlays.is_empty() && in_force.is_empty() {
        return None;
    }
    let names: Vec<&str> = chain.names.iter().map(|n| lang.msg(n)).collect();
    let layers = if names.is_empty() {
        lang.pick("无", "none").to_owned()
    } else {
        names.join(" → ")
    };
    let derogations = match lang {
        Lang::Zh if in_force.is_empty() => "无".to_owned(),
        Lang::Zh => {
            let mut documents: Vec<&str> = in_force.iter().map(|d| d.document.as_str()).collect();
            documents.dedup();
            format!("{} 项，依据{}", in_force.len(), documents.join("、"))
        }
        Lang::En if in_force.is_empty() => "none".to_owned(),
        Lang::En => in_force
            .iter()
            .map(|d| {
                format!(
                    "{} {} → {} ({})",
                    d.id,
                    value(&d.from, lang),
                    value(&d.to, lang),
                    d.document
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    };
    Some(match lang {
        Lang::Zh => format!("地方规范层：{layers}；生效的偏离：{derogations}"),
        Lang::En => format!("local layers: {layers}; derogations in force: {derogations}"),
    })
}

/// The outcome counts in one line (text and HTML reports).
pub(crate) fn outcome_counts(s: &icgs::report::Summary, lang: Lang) -> String {
    let c = &s.counts;
    match lang {
        Lang::Zh => format!(
            "符合 {} · 不符合 {}（不符合项 {}，偏离项 {}）· 不适用 {} · 数据不足 {} · 人工核查 {} · 已豁免 {} · 错误 {}",
            c.pass,
            c.fail,
            s.non_conformities,
            s.deviations,
            c.not_applicable,
            c.insufficient_data,
            c.manual,
            c.waived,
            c.error
        ),
        Lang::En => format!(
            "pass {} · fail {} ({} non-conformities, {} deviations) · not applicable {} · insufficient data {} · manual {} · waived {} · error {}",
            c.pass,
            c.fail,
            s.non_conformities,
            s.deviations,
            c.not_applicable,
            c.insufficient_data,
            c.manual,
            c.waived,
            c.error
        ),
    }
}
