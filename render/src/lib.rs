//! Renderers of reports for people and machines, all from the one report structure
//! (`docs/reports.md`): text, Markdown, HTML, JUnit XML and CSV, and the JSON
//! descriptions of rules. Shared by `icgs` and `icgs serve`. The JSON report is the
//! library's own serialisation. Each renderer has a single-report form and a portfolio
//! form; none reads the clock, so the same reports give the same bytes.

pub mod charts;
pub mod csv;
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

/// Display width: CJK characters take two columns.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
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
    match d {
        Dimension::General => "4",
        Dimension::Construction => "5",
        Dimension::Organisation => "6",
        Dimension::GovernanceServices => "7",
        Dimension::Evaluation => "8",
    }
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

/// An observed or required value, short: lists joined, decimals to four places, null as a
/// dash.
pub fn value(v: &Value) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) if items.is_empty() => "—".to_owned(),
        Value::Array(items) => items.iter().map(value).collect::<Vec<_>>().join(", "),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) => {
                let s = format!("{f:.4}");
                s.trim_end_matches('0').trim_end_matches('.').to_owned()
            }
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// A score with two decimals.
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
    let (zh, en) = icgs::ProblemCode::from_code(&p.code)
        .map_or(("数据问题", "data problem"), |c| c.label());
    match (lang, p.absent.is_some()) {
        (Lang::Zh, true) => format!("数据无效（{zh}），已按缺失处理：{at}"),
        (Lang::Zh, false) => format!("数据问题（{zh}）：{at}"),
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

/// Rules of a category other than the community's are listed only by count.
pub fn hidden(r: &icgs::report::RuleResult) -> bool {
    r.rule.starts_with("C.") && r.outcome == Outcome::NotApplicable
}
