//! The terminal report: the answer first (grade, score, caps, problems with the input, the
//! next grade and the fixes to make first), then one table per chapter and how the score was
//! reached; wrapped to 80 columns or the terminal's width. And the portfolio summary.
//! Coloured only when asked (a terminal without `NO_COLOR`).

use std::fmt::Write as _;

use icgs::pack::Dimension;
use icgs::report::{GradeScale, NextGradeStatus, Outcome, Portfolio, Report, RuleResult};
use icgs::types::RuleId;

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

use anstyle::{AnsiColor, Style};

const BOLD: Style = Style::new().bold();
/// A warning heading: bold yellow.
const WARN: Style = BOLD.fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
/// An alarm heading: bold red.
const ALERT: Style = BOLD.fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));
const RED: Style = AnsiColor::Red.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();

/// Applies styles when colour is on.
struct Painter {
    on: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.on {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }
}

const fn colour_of(o: Outcome) -> Style {
    match o {
        Outcome::Pass => AnsiColor::Green.on_default(),
        Outcome::Fail => RED,
        Outcome::NotApplicable => Style::new().dimmed(),
        Outcome::InsufficientData | Outcome::Manual => YELLOW,
        Outcome::Waived => AnsiColor::Cyan.on_default(),
        Outcome::Error => AnsiColor::Magenta.on_default(),
    }
}

/// A grade's colour by its place on the scale: the best green, the next cyan, the lowest
/// (and a grade the scale does not know) red, any other yellow.
fn grade_colour(scale: &GradeScale, grade: &str) -> Style {
    let rank = scale.rank(grade);
    let colour = match rank {
        _ if rank.saturating_add(1) >= scale.bands().len() => AnsiColor::Red,
        0 => AnsiColor::Green,
        1 => AnsiColor::Cyan,
        _ => AnsiColor::Yellow,
    };
    BOLD.fg_color(Some(anstyle::Color::Ansi(colour)))
}

fn pad_left(s: &str, w: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', w.saturating_sub(width(s))).collect();
    out.push_str(s);
    out
}

/// How the text report is laid out.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// ANSI colours.
    pub colour: bool,
    /// Columns to fit (80 unless the terminal says otherwise).
    pub width: usize,
    /// Plan items shown at the top; `None` for all of them.
    pub top: Option<usize>,
}

impl TextOptions {
    /// Plan items shown when `--top` is not given.
    pub const DEFAULT_TOP: usize = 10;
}

impl Default for TextOptions {
    fn default() -> Self {
        Self {
            colour: false,
            width: 80,
            top: Some(Self::DEFAULT_TOP),
        }
    }
}

/// The width to wrap to: the terminal's (`COLUMNS`) when stdout is one, 80 otherwise.
pub fn terminal_width() -> usize {
    use std::io::IsTerminal as _;
    std::io::stdout()
        .is_terminal()
        .then(|| std::env::var("COLUMNS").ok()?.trim().parse::<usize>().ok())
        .flatten()
        .filter(|w| *w >= 40)
        .unwrap_or(80)
}

/// Writes `text` wrapped to `opts.width`, each line after `indent` spaces.
fn para(out: &mut String, text: &str, indent: usize, width: usize) {
    for line in super::wrap(text, width.saturating_sub(indent)) {
        let _ = writeln!(out, "{}{line}", " ".repeat(indent));
    }
}

/// Column where a result's message starts under its row.
const MESSAGE_INDENT: usize = 11;

fn row(out: &mut String, r: &RuleResult, lang: Lang, style: &Painter, width: usize) {
    let level = format!(
        "{}{}",
        origin_marker(r.origin, lang),
        level_label(r.level, lang)
    );
    let outcome = outcome_label(r.outcome, lang);
    let outcome_w = match lang {
        Lang::Zh => 8,
        Lang::En => 17,
    };
    let head = format!(
        "  {} {} {} ",
        pad(&r.rule, 7),
        pad(&level, 6),
        pad(outcome, outcome_w)
    );
    let title_w = width.saturating_sub(super::width(&head));
    let mut title = super::wrap(lang.msg(&r.title), title_w).into_iter();
    let _ = writeln!(
        out,
        "{}{}",
        head.replacen(
            &pad(outcome, outcome_w),
            &style.paint(colour_of(r.outcome), &pad(outcome, outcome_w)),
            1
        ),
        title.next().unwrap_or_default()
    );
    for more in title {
        let _ = writeln!(out, "{}{more}", " ".repeat(super::width(&head)));
    }
    para(out, lang.msg(&r.message), MESSAGE_INDENT, width);
    for p in &r.profile_problems {
        para(
            out,
            &format!("⚠ {}", super::touched(p, lang)),
            MESSAGE_INDENT,
            width,
        );
    }
}

/// Renders one report, 80 columns, the first ten fixes.
pub fn report(report: &Report, lang: Lang, colour: bool) -> String {
    report_with(
        report,
        lang,
        &TextOptions {
            colour,
            ..TextOptions::default()
        },
    )
}

/// Renders one report: the answer first (grade, score, caps, problems with the input, the
/// next grade and the top fixes), then every clause, then how the score was reached.
pub fn report_with(report: &Report, lang: Lang, opts: &TextOptions) -> String {
    let style = Painter { on: opts.colour };
    let mut out = String::new();
    header(&mut out, report, lang, &style, opts.width);
    if let Some(line) = crate::chain_line(report, lang) {
        for l in super::wrap(&line, opts.width) {
            let _ = writeln!(out, "{l}");
        }
    }
    // A modified copy of a built-in pack is named with its digest (never as the original).
    for pack in report.packs.iter().filter(|p| p.modified) {
        let line = format!(
            "{} {}",
            lang.pick("已修改的内置规则包：", "modified built-in pack:"),
            pack.label()
        );
        for l in super::wrap(&line, opts.width) {
            let _ = writeln!(out, "{l}");
        }
    }
    answer(&mut out, report, lang, &style, opts.width);
    input_problems(&mut out, report, lang, &style, opts.width);
    next_grade(&mut out, report, lang, &style, opts.width);
    plan(&mut out, report, lang, &style, opts);
    results(&mut out, report, lang, &style, opts.width);
    scoring(&mut out, report, lang, &style, opts.width);
    out
}

/// The report in one line, for `--quiet`: who, grade, score, failures, the next grade.
pub fn summary_line(report: &Report, lang: Lang) -> String {
    let p = &report.profile;
    let s = &report.summary;
    let name = p.name.as_deref().unwrap_or(&p.id);
    let next = s
        .next_grade
        .as_ref()
        .filter(|n| n.status == NextGradeStatus::Reachable);
    match lang {
        Lang::Zh => {
            let mut line = format!(
                "{name}：{}，{} 分；不符合项 {}，偏离项 {}",
                report_grade(report, lang),
                points(s.score),
                s.non_conformities,
                s.deviations
            );
            if let Some(n) = next {
                line.push_str(&format!(
                    "；整改 {} 项可达{}",
                    n.fixes.len(),
                    grade_name(&s.model, &n.grade_after, lang)
                ));
            }
            line
        }
        Lang::En => {
            let mut line = format!(
                "{name}: {}, score {}; {} non-conformities, {} deviations",
                report_grade(report, lang),
                points(s.score),
                s.non_conformities,
                s.deviations
            );
            if let Some(n) = next {
                line.push_str(&format!(
                    "; {} fixes reach {}",
                    n.fixes.len(),
                    grade_name(&s.model, &n.grade_after, lang)
                ));
            }
            line
        }
    }
}

fn header(out: &mut String, report: &Report, lang: Lang, style: &Painter, width: usize) {
    let p = &report.profile;
    let name = p.name.as_deref().unwrap_or(&p.id);
    // The header leads with the name alone; the id, a code, ends the English facts line.
    let title = match lang {
        Lang::Zh if p.name.is_some() => name.to_owned(),
        Lang::Zh => format!("社区 {name}"),
        Lang::En => super::html::shown_name(p.name.as_deref(), p.name_en.as_deref(), &p.id, lang),
    };
    for line in super::wrap(&title, width) {
        let _ = writeln!(out, "{}", style.paint(BOLD, &line));
    }
    let category = p
        .category
        .as_deref()
        .map_or_else(|| "—".to_owned(), |c| super::category_label(c, lang));
    let mut facts = match lang {
        Lang::Zh => format!("评价基准日 {} · 类别 {category}", p.as_of),
        Lang::En => format!("as of {} · category {category}", p.as_of),
    };
    if !p.secondary_categories.is_empty() {
        let more: Vec<String> = p
            .secondary_categories
            .iter()
            .map(|c| super::category_label(c, lang))
            .collect();
        facts.push_str(&match lang {
            Lang::Zh => format!(" · 次要类别 {}", more.join("、")),
            Lang::En => format!(" · secondary {}", more.join(", ")),
        });
    }
    if lang == Lang::En && p.name.is_some() {
        facts.push_str(&format!(" · id {}", p.id));
    }
    para(out, &facts, 0, width);
}

fn answer(out: &mut String, report: &Report, lang: Lang, style: &Painter, width: usize) {
    let s = &report.summary;
    let grade = style.paint(
        grade_colour(&s.model.grades, &s.grade),
        &report_grade(report, lang),
    );
    let _ = writeln!(
        out,
        "\n{} {} · {} {} / 100",
        style.paint(BOLD, lang.pick("等级", "Grade")),
        grade,
        lang.pick("总分", "score"),
        points(s.score),
    );
    if s.score_grade != s.grade {
        para(
            out,
            &match lang {
                Lang::Zh => format!(
                    "按得分应为{}，因以下原因降为{}：",
                    grade_name(&s.model, &s.score_grade, lang),
                    report_grade(report, lang)
                ),
                Lang::En => format!(
                    "the score alone earns {}; lowered to {} by:",
                    grade_name(&s.model, &s.score_grade, lang),
                    report_grade(report, lang)
                ),
            },
            2,
            width,
        );
    }
    for why in s.caps.iter().chain(&s.veto) {
        for line in super::wrap(&limit_text(why, lang), width.saturating_sub(4)) {
            let _ = writeln!(out, "    {}", style.paint(RED, &line));
        }
    }
    for why in &s.proposal_caps {
        for line in super::wrap(lang.msg(&why.message), width.saturating_sub(4)) {
            let _ = writeln!(out, "    {}", style.paint(YELLOW, &line));
        }
    }
    let counts = crate::outcome_counts(s, lang);
    para(out, &counts, 2, width);
}

/// Problems with the input: the profile's (its invalid values were treated as absent) and
/// the waivers that were not applied.
fn input_problems(out: &mut String, report: &Report, lang: Lang, style: &Painter, width: usize) {
    let n = report.profile_problems.len() + report.waiver_problems.len();
    if n == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        style.paint(
            WARN,
            &match lang {
                Lang::Zh => format!("输入问题（{n}）：无效的值已按缺失处理，评价照常进行"),
                Lang::En => {
                    format!("Problems with the input ({n}): invalid values were treated as absent")
                }
            }
        )
    );
    for p in &report.profile_problems {
        para(
            out,
            &format!("· {}", super::problem_line(p, lang)),
            2,
            width,
        );
    }
    for w in &report.waiver_problems {
        let text = match lang {
            Lang::Zh => format!(
                "· 豁免 {}（{}）：{}",
                w.rule,
                w.source,
                lang.msg(&w.message)
            ),
            Lang::En => format!(
                "· waiver of {} ({}): {}",
                w.rule,
                w.source,
                lang.msg(&w.message)
            ),
        };
        para(out, &text, 2, width);
    }
}

fn next_grade(out: &mut String, report: &Report, lang: Lang, style: &Painter, width: usize) {
    let Some(n) = &report.summary.next_grade else {
        return;
    };
    // The heading names the grade its answer reaches (fixing a cap can skip a band).
    let target = if n.status == NextGradeStatus::Reachable {
        &n.grade_after
    } else {
        &n.target
    };
    let target = grade_name(&report.summary.model, target, lang);
    let _ = writeln!(
        out,
        "\n{}",
        style.paint(
            BOLD,
            &match lang {
                Lang::Zh => format!("如何达到{target}"),
                Lang::En => format!("How to reach {target}"),
            }
        )
    );
    para(out, lang.msg(&n.message), 2, width);
}

fn plan(out: &mut String, report: &Report, lang: Lang, style: &Painter, opts: &TextOptions) {
    let all = &report.improvement_plan;
    if all.is_empty() {
        return;
    }
    let shown = opts.top.map_or(all.len(), |n| n.min(all.len()));
    let next: Vec<&str> = report
        .summary
        .next_grade
        .iter()
        .flat_map(|n| n.fixes.iter().map(|f| f.rule.as_str()))
        .collect();
    let _ = writeln!(
        out,
        "\n{}",
        style.paint(
            BOLD,
            &match (lang, shown < all.len()) {
                (Lang::Zh, true) => format!("首要整改（{} 项中的前 {shown} 项）", all.len()),
                (Lang::Zh, false) => format!("改进计划（{} 项）", all.len()),
                (Lang::En, true) => format!("Fix first ({shown} of {})", all.len()),
                (Lang::En, false) => format!("Improvement plan ({} fixes)", all.len()),
            }
        )
    );
    for (i, item) in all.iter().take(shown).enumerate() {
        let mark = if next.contains(&item.rule.as_str()) {
            "*"
        } else {
            " "
        };
        let head = format!(
            " {mark}{:>2}. [{}] {} {}  {}",
            i + 1,
            level_label(item.level, lang),
            item.rule,
            lang.msg(&item.title),
            super::gain(item.gain, lang)
        );
        para(out, &head, 0, opts.width);
        para(
            out,
            &format!("{}{}", lang.pick("现状：", "now: "), lang.msg(&item.gap)),
            6,
            opts.width,
        );
        para(
            out,
            &format!("{}{}", lang.pick("整改：", "fix: "), lang.msg(&item.action)),
            6,
            opts.width,
        );
        if let Some(hint) = super::record_hint(report, &item.rule) {
            para(
                out,
                &format!(
                    "{}{}",
                    lang.pick("数据填报说明：", "how to record it: "),
                    lang.msg(hint)
                ),
                6,
                opts.width,
            );
        }
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
    if shown < all.len() {
        let _ = writeln!(
            out,
            "  {}",
            match lang {
                Lang::Zh => format!("另有 {} 项，用 --top 0 显示全部", all.len() - shown),
                Lang::En => format!("{} more; --top 0 shows them all", all.len() - shown),
            }
        );
    }
}

fn results(out: &mut String, report: &Report, lang: Lang, style: &Painter, width: usize) {
    let sections = super::result_groups(report, lang);
    let _ = writeln!(
        out,
        "\n{}",
        style.paint(BOLD, lang.pick("逐条结果", "Results by clause"))
    );
    for (title, rows) in &sections {
        let count = |o: Outcome| rows.iter().filter(|r| r.outcome == o).count();
        let _ = writeln!(
            out,
            "\n{}  ({} {} · {} {} · {} {})",
            style.paint(BOLD, title),
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
                row(out, r, lang, style, width);
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
        let _ = writeln!(out);
        para(out, &proposal_legend(lang), 0, width);
    }
}

fn scoring(out: &mut String, report: &Report, lang: Lang, style: &Painter, width: usize) {
    let s = &report.summary;
    let _ = writeln!(
        out,
        "\n{}",
        style.paint(BOLD, lang.pick("得分计算", "How the score was reached"))
    );
    // One column for the chapter names, as wide as the widest.
    let label_w = Dimension::ALL
        .iter()
        .map(|d| super::width(&dimension_label(*d, lang)))
        .max()
        .unwrap_or(0)
        + 2;
    for d in Dimension::ALL {
        let Some(x) = s.dimensions.get(&d) else {
            continue;
        };
        let detail = if x.counted {
            format!(
                "{} × {}/{} = {}{}",
                x.weight,
                x.passed_weight,
                x.applicable_weight,
                points(x.points),
                lang.pick("分", " pts")
            )
        } else {
            lang.pick(
                "无适用条款，不计入总分（其余权重按比例放大至 100）",
                "nothing applicable: left out (the other weights scale to 100)",
            )
            .to_owned()
        };
        para(
            out,
            &format!("{}{detail}", pad(&dimension_label(d, lang), label_w)),
            2,
            width,
        );
    }
    let _ = writeln!(
        out,
        "  {} {} / 100",
        lang.pick("合计", "total"),
        points(s.score)
    );
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
                para(
                    out,
                    &format!(
                        "{label}{}{}",
                        lang.pick("：", ": "),
                        RuleId::join(rules, ", ")
                    ),
                    2,
                    width,
                );
            }
        }
    }
}

/// Renders the portfolio summary: one row per community (best first), the grade
/// distribution, the clauses failed most often, and the inputs not evaluated.
pub fn portfolio(p: &Portfolio, lang: Lang, colour: bool) -> String {
    let style = Painter { on: colour };
    let mut out = String::new();
    let t = &p.totals;
    let _ = writeln!(
        out,
        "{}",
        style.paint(
            BOLD,
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
    ranking(&mut out, p, lang, &style);
    grade_distribution(&mut out, p, lang, &style);
    if !p.failing_clauses.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            style.paint(
                BOLD,
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
                ALERT,
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

/// The communities, best first: score, grade, non-conformities, deviations, fixes.
fn ranking(out: &mut String, p: &Portfolio, lang: Lang, style: &Painter) {
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
            style.paint(grade_colour(&p.scale, &c.grade), &pad(&gname(&c.grade), 12)),
            pad_left(&c.non_conformities.to_string(), 9),
            pad_left(&c.deviations.to_string(), 10),
            pad_left(
                &c.fixes_to_next_grade
                    .map_or("—".to_owned(), |n| n.to_string()),
                13
            ),
        );
    }
}

/// One bar per grade, as long as its count of communities.
fn grade_distribution(out: &mut String, p: &Portfolio, lang: Lang, style: &Painter) {
    let _ = writeln!(
        out,
        "\n{}",
        style.paint(BOLD, lang.pick("等级分布", "Grade distribution"))
    );
    for g in &p.grades {
        let bar: String = std::iter::repeat_n('█', g.count as usize).collect();
        let _ = writeln!(
            out,
            "  {} {} {}",
            pad(lang.msg(&g.name), 12),
            pad_left(&g.count.to_string(), 4),
            style.paint(grade_colour(&p.scale, &g.grade), &bar)
        );
    }
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

#[cfg(test)]
mod tests {
    use icgs::report::{GradeBandInfo, Message};

    use super::*;

    fn scale() -> GradeScale {
        let band = |grade: &str, min: f64| GradeBandInfo::new(grade, min, Message::default());
        // Listed worst first: the scale sorts them.
        GradeScale::new(vec![
            band("unqualified", 0.0),
            band("qualified", 60.0),
            band("good", 80.0),
            band("excellent", 90.0),
        ])
    }

    #[test]
    fn grades_are_coloured_by_their_place_on_the_scale() {
        let s = scale();
        let fg = |grade: &str| grade_colour(&s, grade).get_fg_color();
        let ansi = |c: AnsiColor| Some(anstyle::Color::Ansi(c));
        assert_eq!(fg("excellent"), ansi(AnsiColor::Green));
        assert_eq!(fg("good"), ansi(AnsiColor::Cyan));
        assert_eq!(fg("qualified"), ansi(AnsiColor::Yellow));
        assert_eq!(fg("unqualified"), ansi(AnsiColor::Red));
        assert_eq!(fg("unknown"), ansi(AnsiColor::Red));
        assert!(
            grade_colour(&s, "good")
                .get_effects()
                .contains(anstyle::Effects::BOLD)
        );
    }

    #[test]
    fn colour_is_written_only_when_on() {
        assert_eq!(
            Painter { on: true }.paint(RED, "不符合"),
            "\x1b[31m不符合\x1b[0m"
        );
        assert_eq!(Painter { on: false }.paint(RED, "不符合"), "不符合");
        assert_eq!(Painter { on: true }.paint(BOLD, "x"), "\x1b[1mx\x1b[0m");
    }
}
