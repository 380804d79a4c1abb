//! The terminal report: one table per chapter, counts, score, grade, improvement plan.

use std::fmt::Write as _;

use icgs::pack::Dimension;
use icgs::report::{Message, Outcome, Report, RuleResult};

use super::Lang;

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

fn outcome_label(o: Outcome, lang: Lang) -> &'static str {
    match (o, lang) {
        (Outcome::Pass, Lang::Zh) => "符合",
        (Outcome::Fail, Lang::Zh) => "不符合",
        (Outcome::NotApplicable, Lang::Zh) => "不适用",
        (Outcome::InsufficientData, Lang::Zh) => "数据不足",
        (Outcome::Manual, Lang::Zh) => "人工核查",
        (Outcome::Waived, Lang::Zh) => "已豁免",
        (Outcome::Error, Lang::Zh) => "错误",
        (o, Lang::En) => o.as_str(),
    }
}

fn colour_of(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "32",
        Outcome::Fail => "31",
        Outcome::NotApplicable => "2",
        Outcome::InsufficientData | Outcome::Manual => "33",
        Outcome::Waived => "36",
        Outcome::Error => "35",
    }
}

fn text(m: &Message, lang: Lang) -> &str {
    lang.pick(&m.zh, &m.en)
}

/// Display width: CJK characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_owned();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}

fn grade_name(grade: &str, lang: Lang) -> String {
    let name = match (grade, lang) {
        ("excellent", Lang::Zh) => "优秀",
        ("good", Lang::Zh) => "良好",
        ("qualified", Lang::Zh) => "合格",
        ("unqualified", Lang::Zh) => "不合格",
        (g, _) => g,
    };
    name.to_owned()
}

fn row(out: &mut String, r: &RuleResult, lang: Lang, style: &Style) {
    let level = match lang {
        Lang::Zh => r.level.zh(),
        Lang::En => r.level.as_str(),
    };
    let label = outcome_label(r.outcome, lang);
    let _ = writeln!(
        out,
        "  {} {} {} {}  {}",
        pad(&r.rule, 8),
        pad(level, 9),
        style.paint(colour_of(r.outcome), &pad(label, 17)),
        pad(text(&r.title, lang), 26),
        text(&r.message, lang)
    );
}

/// Renders one report.
pub fn report(report: &Report, lang: Lang, colour: bool) -> String {
    let style = Style { on: colour };
    let mut out = String::new();
    let p = &report.profile;
    let name = p.name.as_deref().unwrap_or(&p.id);
    let _ = writeln!(
        out,
        "{}",
        style.paint(
            "1",
            &match lang {
                Lang::Zh => format!(
                    "{name}（{}）  基准日 {}  类别 {}",
                    p.id,
                    p.as_of,
                    p.category.as_deref().unwrap_or("—")
                ),
                Lang::En => format!(
                    "{name} ({})  as of {}  category {}",
                    p.id,
                    p.as_of,
                    p.category.as_deref().unwrap_or("—")
                ),
            }
        )
    );
    if !p.secondary_categories.is_empty() {
        let _ = writeln!(
            out,
            "{} {}",
            lang.pick("次要类别", "secondary categories"),
            p.secondary_categories.join(", ")
        );
    }
    let mut sections: Vec<(String, Vec<&RuleResult>)> = Dimension::ALL
        .iter()
        .map(|d| {
            let title = match lang {
                Lang::Zh => format!("{} {}", chapter(*d), d.zh()),
                Lang::En => format!("{} {}", chapter(*d), d.en()),
            };
            (
                title,
                report
                    .results
                    .iter()
                    .filter(|r| r.dimension == *d && !r.rule.starts_with("C."))
                    .collect(),
            )
        })
        .collect();
    sections.push((
        lang.pick("C 类别条款", "C Category clauses").to_owned(),
        report
            .results
            .iter()
            .filter(|r| r.rule.starts_with("C."))
            .collect(),
    ));
    for (title, rows) in sections.iter().filter(|(_, rows)| !rows.is_empty()) {
        let count = |o: Outcome| rows.iter().filter(|r| r.outcome == o).count();
        let _ = writeln!(
            out,
            "\n{}  ({} {} · {} {} · {} {})",
            style.paint("1", title),
            lang.pick("符合", "pass"),
            count(Outcome::Pass),
            lang.pick("不符合", "fail"),
            count(Outcome::Fail),
            lang.pick("其他", "other"),
            rows.len() - count(Outcome::Pass) - count(Outcome::Fail)
        );
        // Other categories' clauses are listed only by count.
        let mut hidden = 0;
        for r in rows {
            if r.rule.starts_with("C.") && r.outcome == Outcome::NotApplicable {
                hidden += 1;
            } else {
                row(&mut out, r, lang, &style);
            }
        }
        if hidden > 0 {
            let _ = writeln!(
                out,
                "  {}",
                match lang {
                    Lang::Zh => format!("（其他类别的 {hidden} 项条款不适用）"),
                    Lang::En => format!("({hidden} clauses of other categories not applicable)"),
                }
            );
        }
    }

    let s = &report.summary;
    let c = &s.counts;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::Zh => format!(
                "结果：符合 {} · 不符合 {}（不符合项 {}，偏离项 {}）· 不适用 {} · 数据不足 {} · 人工核查 {} · 已豁免 {} · 错误 {}",
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
                "Results: pass {} · fail {} ({} non-conformities, {} deviations) · not applicable {} · insufficient data {} · manual {} · waived {} · error {}",
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
    );
    let dims: Vec<String> = Dimension::ALL
        .iter()
        .filter_map(|d| s.dimensions.get(d.as_str()).map(|x| (d, x)))
        .map(|(d, x)| format!("{} {:.1}/{}", lang.pick(d.zh(), d.en()), x.score, x.weight))
        .collect();
    let _ = writeln!(
        out,
        "{}: {}",
        lang.pick("分项得分", "By dimension"),
        dims.join(" · ")
    );
    let grade = style.paint(
        if s.grade == "unqualified" {
            "1;31"
        } else {
            "1;32"
        },
        &grade_name(&s.grade, lang),
    );
    let _ = writeln!(
        out,
        "{} {:.2} · {} {}",
        lang.pick("总分", "Score"),
        s.score,
        lang.pick("等级", "grade"),
        grade
    );
    for why in s.caps.iter().chain(&s.veto) {
        let _ = writeln!(out, "  {}", text(why, lang));
    }
    if !report.improvement_plan.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            style.paint("1", lang.pick("改进计划", "Improvement plan"))
        );
        for (i, item) in report.improvement_plan.iter().enumerate() {
            let level = match lang {
                Lang::Zh => item.level.zh(),
                Lang::En => item.level.as_str(),
            };
            let _ = writeln!(
                out,
                "  {:>2}. [{level}] {} {} (+{:.2})",
                i + 1,
                item.rule,
                text(&item.action, lang),
                item.gain
            );
            let _ = writeln!(out, "      {}", text(&item.gap, lang));
        }
    }
    if !report.profile_problems.is_empty() {
        let _ = writeln!(
            out,
            "\n{} ({})",
            lang.pick(
                "档案数据问题（未阻止评价）",
                "Profile problems (evaluation went ahead)"
            ),
            report.profile_problems.len()
        );
        for p in &report.profile_problems {
            let _ = writeln!(
                out,
                "  {}: {} [{}]",
                if p.pointer.is_empty() {
                    "/"
                } else {
                    &p.pointer
                },
                p.message,
                p.code
            );
        }
    }
    out
}

const fn chapter(d: Dimension) -> &'static str {
    match d {
        Dimension::General => "4",
        Dimension::Construction => "5",
        Dimension::Organisation => "6",
        Dimension::GovernanceServices => "7",
        Dimension::Evaluation => "8",
    }
}
