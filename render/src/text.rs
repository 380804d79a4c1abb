//! The terminal report: one table per chapter, how the score and grade were reached, the
//! rules that scored nothing, the next grade and the improvement plan; and the portfolio
//! summary. Coloured only when asked (a terminal without `NO_COLOR`).

use std::fmt::Write as _;

use icgs::pack::Dimension;
use icgs::report::{NextGradeStatus, Outcome, Portfolio, Report, RuleResult};

use super::{
    Lang, dimension_label, level_label, limit_text, origin_marker, outcome_label, pad, points,
    proposal_legend, width,
};

/// A grade's name; lower case in English running text (`grade qualified`).
fn grade_name(model: &icgs::report::ScoringModel, grade: &str, lang: Lang) -> String {
    let name = super::grade_name(model, grade, lang);
    match lang {
        Lang::Zh => name,
        Lang::En => name.to_lowercase(),
    }
}

fn report_grade(report: &Report, lang: Lang) -> String {
    grade_name(&report.summary.model, &report.summary.grade, lang)
}

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

const fn colour_of(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "32",
        Outcome::Fail => "31",
        Outcome::NotApplicable => "2",
        Outcome::InsufficientData | Outcome::Manual => "33",
        Outcome::Waived => "36",
        Outcome::Error => "35",
    }
}

fn grade_colour(grade: &str) -> &'static str {
    match grade {
        "excellent" => "1;32",
        "good" => "1;36",
        "qualified" => "1;33",
        _ => "1;31",
    }
}

fn pad_left(s: &str, w: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', w.saturating_sub(width(s))).collect();
    out.push_str(s);
    out
}

fn row(out: &mut String, r: &RuleResult, lang: Lang, style: &Style) {
    let _ = writeln!(
        out,
        "  {} {} {} {} {}  {}",
        pad(&r.rule, 8),
        pad(origin_marker(r.origin, lang), 2),
        pad(level_label(r.level, lang), 9),
        style.paint(
            colour_of(r.outcome),
            &pad(outcome_label(r.outcome, lang), 17)
        ),
        pad(lang.msg(&r.title), 26),
        lang.msg(&r.message)
    );
    for p in &r.profile_problems {
        let _ = writeln!(out, "           ⚠ {}", super::touched(p, lang));
    }
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
    // A modified copy of a built-in pack is named with its digest (never as the original).
    for pack in report.packs.iter().filter(|p| p.modified) {
        let _ = writeln!(
            out,
            "{} {}",
            lang.pick("已修改的内置规则包：", "modified built-in pack:"),
            pack.label()
        );
    }
    results(&mut out, report, lang, &style);
    summary(&mut out, report, lang, &style);
    next_grade(&mut out, report, lang, &style);
    plan(&mut out, report, lang, &style);
    problems(&mut out, report, lang);
    out
}

fn results(out: &mut String, report: &Report, lang: Lang, style: &Style) {
    let mut sections: Vec<(String, Vec<&RuleResult>)> = Dimension::ALL
        .iter()
        .map(|d| {
            (
                dimension_label(*d, lang),
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
        let mut hidden = 0;
        for r in rows {
            if super::hidden(r) {
                hidden += 1;
            } else {
                row(out, r, lang, style);
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
    if report
        .results
        .iter()
        .any(|r| r.origin.is_proposal() && !super::hidden(r))
    {
        let _ = writeln!(out, "\n{}", proposal_legend(lang));
    }
}

fn summary(out: &mut String, report: &Report, lang: Lang, style: &Style) {
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
    let _ = writeln!(
        out,
        "\n{}",
        style.paint("1", lang.pick("得分计算", "How the score was reached"))
    );
    for d in Dimension::ALL {
        let Some(x) = s.dimensions.get(d.as_str()) else {
            continue;
        };
        let detail = if x.counted {
            match lang {
                Lang::Zh => format!(
                    "{} × {}/{} = {:.2}/{} → {:.2}/{:.2} 分",
                    x.weight,
                    x.passed_weight,
                    x.applicable_weight,
                    x.score,
                    x.weight,
                    x.points,
                    x.max_points
                ),
                Lang::En => format!(
                    "{} × {}/{} = {:.2}/{} → {:.2}/{:.2} points",
                    x.weight,
                    x.passed_weight,
                    x.applicable_weight,
                    x.score,
                    x.weight,
                    x.points,
                    x.max_points
                ),
            }
        } else {
            lang.pick(
                "无适用条款，不计入总分（其余权重按比例放大至 100）",
                "nothing applicable: left out of the total (the other weights scale to 100)",
            )
            .to_owned()
        };
        let _ = writeln!(out, "  {}  {detail}", pad(&dimension_label(d, lang), 30));
    }
    let grade = style.paint(grade_colour(&s.grade), &report_grade(report, lang));
    let _ = writeln!(
        out,
        "{} {:.2} · {} {}",
        lang.pick("总分", "Score"),
        s.score,
        lang.pick("等级", "grade"),
        grade
    );
    if s.score_grade != s.grade {
        let _ = writeln!(
            out,
            "  {} {}",
            lang.pick("按得分应为", "the score alone earns"),
            grade_name(&s.model, &s.score_grade, lang)
        );
    }
    for why in s.caps.iter().chain(&s.veto) {
        let _ = writeln!(out, "  {}", style.paint("31", &limit_text(why, lang)));
    }
    for why in &s.proposal_caps {
        let _ = writeln!(out, "  {}", style.paint("33", lang.msg(&why.message)));
    }
    let u = &s.unscored;
    if !u.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            lang.pick(
                "未计分（不是不符合，但不得分）：",
                "Not scored (not failures, but they earn nothing):"
            )
        );
        for (label, rules) in [
            (
                outcome_label(Outcome::InsufficientData, lang),
                &u.insufficient_data,
            ),
            (outcome_label(Outcome::Manual, lang), &u.manual),
            (outcome_label(Outcome::Error, lang), &u.error),
        ] {
            if !rules.is_empty() {
                let _ = writeln!(out, "  {label}: {}", rules.join(", "));
            }
        }
    }
}

fn next_grade(out: &mut String, report: &Report, lang: Lang, style: &Style) {
    let Some(n) = &report.summary.next_grade else {
        return;
    };
    let _ = writeln!(
        out,
        "\n{}",
        style.paint(
            "1",
            &match lang {
                Lang::Zh => format!(
                    "达到{}的最少整改",
                    grade_name(&report.summary.model, &n.target, lang)
                ),
                Lang::En => format!(
                    "Fewest fixes to reach {}",
                    grade_name(&report.summary.model, &n.target, lang)
                ),
            }
        )
    );
    let _ = writeln!(out, "  {}", lang.msg(&n.message));
    if n.status == NextGradeStatus::Reachable {
        let rules: Vec<String> = n
            .fixes
            .iter()
            .map(|f| format!("{} (+{:.2})", f.rule, f.gain))
            .collect();
        let _ = writeln!(out, "  {}", rules.join(", "));
    }
}

fn plan(out: &mut String, report: &Report, lang: Lang, style: &Style) {
    if report.improvement_plan.is_empty() {
        return;
    }
    let next: Vec<&str> = report
        .summary
        .next_grade
        .iter()
        .flat_map(|n| n.fixes.iter().map(|f| f.rule.as_str()))
        .collect();
    let _ = writeln!(
        out,
        "\n{}",
        style.paint("1", lang.pick("改进计划", "Improvement plan"))
    );
    for (i, item) in report.improvement_plan.iter().enumerate() {
        let mark = if next.contains(&item.rule.as_str()) {
            "*"
        } else {
            " "
        };
        let _ = writeln!(
            out,
            " {mark}{:>2}. [{}] {} {} (+{:.2})",
            i + 1,
            level_label(item.level, lang),
            item.rule,
            lang.msg(&item.action),
            item.gain
        );
        let _ = writeln!(out, "      {}", lang.msg(&item.gap));
    }
    if !next.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            lang.pick(
                "* 属于达到下一等级的最少整改",
                "* part of the fewest fixes that reach the next grade"
            )
        );
    }
}

fn problems(out: &mut String, report: &Report, lang: Lang) {
    if report.profile_problems.is_empty() {
        return;
    }
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

/// Renders the portfolio summary: one row per community (best first), the grade
/// distribution, the clauses failed most often, and the inputs not evaluated.
pub fn portfolio(p: &Portfolio, lang: Lang, colour: bool) -> String {
    let style = Style { on: colour };
    let mut out = String::new();
    let t = &p.totals;
    let _ = writeln!(
        out,
        "{}",
        style.paint(
            "1",
            &match lang {
                Lang::Zh => format!(
                    "社区评价汇总：{} 个社区已评价（共 {} 个输入），平均分 {}，{} 个有不符合项",
                    t.evaluated,
                    t.inputs,
                    t.mean_score.map_or("—".to_owned(), points),
                    t.with_non_conformities
                ),
                Lang::En => format!(
                    "Portfolio: {} communities evaluated ({} inputs), mean score {}, {} with non-conformities",
                    t.evaluated,
                    t.inputs,
                    t.mean_score.map_or("—".to_owned(), points),
                    t.with_non_conformities
                ),
            }
        )
    );
    let _ = writeln!(
        out,
        "\n  {} {} {} {} {} {} {}",
        pad_left("#", 3),
        pad(lang.pick("社区", "Community"), 36),
        pad_left(lang.pick("得分", "Score"), 7),
        pad(lang.pick("等级", "Grade"), 12),
        pad_left(lang.pick("不符合", "Non-conf."), 9),
        pad_left(lang.pick("偏离", "Deviations"), 10),
        pad_left(lang.pick("升级需整改", "Fixes to next"), 13),
    );
    let grades = p
        .grades
        .iter()
        .map(|g| (g.grade.as_str(), &g.name))
        .collect::<Vec<_>>();
    let gname = |grade: &str| {
        grades
            .iter()
            .find(|(g, _)| *g == grade)
            .map_or_else(|| grade.to_owned(), |(_, n)| lang.msg(n).to_owned())
    };
    for (i, c) in p.ranked().iter().enumerate() {
        let who = match &c.name {
            Some(n) => format!("{n} ({})", c.id),
            None => c.id.clone(),
        };
        let _ = writeln!(
            out,
            "  {} {} {} {} {} {} {}",
            pad_left(&(i + 1).to_string(), 3),
            pad(&truncate(&who, 36), 36),
            pad_left(&points(c.score), 7),
            style.paint(grade_colour(&c.grade), &pad(&gname(&c.grade), 12)),
            pad_left(&c.non_conformities.to_string(), 9),
            pad_left(&c.deviations.to_string(), 10),
            pad_left(
                &c.fixes_to_next_grade
                    .map_or("—".to_owned(), |n| n.to_string()),
                13
            ),
        );
    }
    let _ = writeln!(
        out,
        "\n{}",
        style.paint("1", lang.pick("等级分布", "Grade distribution"))
    );
    for g in &p.grades {
        let bar: String = std::iter::repeat_n('█', g.count as usize).collect();
        let _ = writeln!(
            out,
            "  {} {} {}",
            pad(lang.msg(&g.name), 12),
            pad_left(&g.count.to_string(), 4),
            style.paint(grade_colour(&g.grade), &bar)
        );
    }
    if !p.failing_clauses.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            style.paint(
                "1",
                lang.pick("最常未满足的条款", "Clauses failed most often")
            )
        );
        for f in p.failing_clauses.iter().take(10) {
            let _ = writeln!(
                out,
                "  {} {} {} {}",
                pad(&f.rule, 8),
                pad(level_label(f.level, lang), 9),
                pad_left(&format!("{}/{}", f.count, t.evaluated), 7),
                lang.msg(&f.title)
            );
        }
    }
    if !p.not_evaluated.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            style.paint(
                "1;31",
                &match lang {
                    Lang::Zh => format!("未能评价的输入（{}）", p.not_evaluated.len()),
                    Lang::En => format!("Inputs not evaluated ({})", p.not_evaluated.len()),
                }
            )
        );
        for n in &p.not_evaluated {
            let first = n.error.lines().next().unwrap_or_default();
            let _ = writeln!(out, "  {}: {first}", n.source);
        }
    }
    out
}

fn truncate(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_owned();
    }
    let mut out = String::new();
    for c in s.chars() {
        if width(&out) + width(&c.to_string()) + 1 > w {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}
