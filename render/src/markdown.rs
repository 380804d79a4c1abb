//! The report as Markdown (CommonMark with GitHub tables): for wikis, merge requests and
//! documents that are edited further.

use std::fmt::Write as _;

use icgs::pack::Dimension;
use icgs::report::{NextGradeStatus, Outcome, Portfolio, Report};
use icgs::types::RuleId;

use super::{
    Lang, dimension_label, grade_name, level_label, limit_text, origin_marker, outcome_label,
    points, proposal_legend, report_grade,
};

/// A table cell of the tool's own text (which may carry `**` emphasis): pipes, angle
/// brackets, square brackets and backticks escaped, so a profile value inside a message
/// can bring in neither HTML nor a link; line breaks as `<br>`.
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '|' | '<' | '>' | '[' | ']' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.replace("\r\n", "<br>").replace('\n', "<br>")
}

/// Profile text (ids, names, dates, categories, values, file names): every character that
/// starts markup escaped, line breaks as spaces.
fn profile(s: &str) -> String {
    crate::escape::markdown(s)
}

/// Running text: characters Markdown would read as markup are escaped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Renders one report.
pub fn report(r: &Report, lang: Lang) -> String {
    let mut out = String::new();
    header(&mut out, r, lang);
    input_problems(&mut out, r, lang);
    score_section(&mut out, r, lang);
    next_grade_section(&mut out, r, lang);
    plan_section(&mut out, r, lang);
    results_section(&mut out, r, lang);
    out
}

/// The title and the table of facts: date, category, score, grade, layers.
fn header(out: &mut String, r: &Report, lang: Lang) {
    let p = &r.profile;
    let s = &r.summary;
    let name = p.name.as_deref().unwrap_or(&p.id);
    let _ = writeln!(
        out,
        "# {} {}\n",
        profile(name),
        lang.pick("符合性评价报告", "conformity report")
    );
    let _ = writeln!(
        out,
        "| {} | {} |\n|---|---|",
        lang.pick("项目", "Item"),
        lang.pick("内容", "Value")
    );
    let rows = [
        (lang.pick("评价基准日", "As of"), profile(&p.as_of)),
        (
            lang.pick("类别", "Category"),
            p.category
                .as_deref()
                .map_or_else(|| "—".into(), |c| profile(&super::category_label(c, lang))),
        ),
        (
            lang.pick("总分", "Score"),
            format!("**{}**", points(s.score)),
        ),
        (
            lang.pick("等级", "Grade"),
            format!("**{}**", report_grade(r, lang)),
        ),
        (
            lang.pick("不符合项 / 偏离项", "Non-conformities / deviations"),
            format!("{} / {}", s.non_conformities, s.deviations),
        ),
        // The id is for machines and filing: after what a reader needs.
        (lang.pick("编号", "Id"), profile(&p.id)),
    ];
    for (k, v) in rows {
        // Profile values are escaped above; the rest is the tool's own text.
        let _ = writeln!(out, "| {} | {} |", cell(k), v);
    }
    if let Some(line) = crate::chain_line(r, lang) {
        let k = lang.pick("地方规范层与偏离", "Local layers and derogations");
        let _ = writeln!(out, "| {} | {} |", cell(k), cell(&line));
    }
    if let Some(sha) = &p.sha256 {
        let _ = writeln!(out, "| SHA-256 | `{sha}` |");
    }
    for pack in r.packs.iter().filter(|p| p.modified) {
        let label = lang.pick("已修改的内置规则包", "Modified built-in pack");
        let _ = writeln!(out, "| {} | {} |", cell(label), cell(&pack.label()));
    }
}

/// How the score was reached: the dimensions, the limits, the unscored rules.
fn score_section(out: &mut String, r: &Report, lang: Lang) {
    let s = &r.summary;
    let _ = writeln!(
        out,
        "\n## {}\n",
        lang.pick("得分计算", "How the score was reached")
    );
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|",
        lang.pick("维度", "Dimension"),
        lang.pick("权重", "Weight"),
        lang.pick("通过权重 / 适用权重", "Passed / applicable weight"),
        lang.pick("维度得分", "Dimension score"),
        lang.pick("计入总分", "Points in the total"),
    );
    for d in Dimension::ALL {
        let Some(x) = s.dimensions.get(&d) else {
            continue;
        };
        if x.counted {
            let _ = writeln!(
                out,
                "| {} | {} | {}/{} | {} | {} / {} |",
                dimension_label(d, lang),
                x.weight,
                x.passed_weight,
                x.applicable_weight,
                points(x.score),
                points(x.points),
                points(x.max_points)
            );
        } else {
            let _ = writeln!(
                out,
                "| {} | {} | 0/0 | — | {} |",
                dimension_label(d, lang),
                x.weight,
                lang.pick("不计入（无适用条款）", "left out (nothing applicable)")
            );
        }
    }
    let _ = writeln!(
        out,
        "\n{}",
        match lang {
            Lang::Zh => format!(
                "总分 **{}**，按得分应为{}，最终等级 **{}**。",
                points(s.score),
                grade_name(&s.model, &s.score_grade, lang),
                report_grade(r, lang)
            ),
            Lang::En => format!(
                "Score **{}**; the score alone earns {}; grade **{}**.",
                points(s.score),
                grade_name(&s.model, &s.score_grade, lang),
                report_grade(r, lang)
            ),
        }
    );
    for why in s.caps.iter().chain(&s.veto) {
        let _ = writeln!(out, "- {}", text(&limit_text(why, lang)));
    }
    for why in &s.proposal_caps {
        let _ = writeln!(out, "- {}", text(lang.msg(&why.message)));
    }
    if !s.unscored.is_empty() {
        let _ = writeln!(
            out,
            "\n{}\n",
            lang.pick(
                "未计分的条款（不是不符合，但不得分）：",
                "Rules that earn nothing without having failed:"
            )
        );
        for (o, rules) in [
            (Outcome::InsufficientData, &s.unscored.insufficient_data),
            (Outcome::Manual, &s.unscored.manual),
            (Outcome::Error, &s.unscored.error),
        ] {
            if !rules.is_empty() {
                let _ = writeln!(
                    out,
                    "- {}: {}",
                    outcome_label(o, lang),
                    RuleId::join(rules, ", ")
                );
            }
        }
    }
}

/// The fewest fixes that reach the next grade.
fn next_grade_section(out: &mut String, r: &Report, lang: Lang) {
    let s = &r.summary;
    if let Some(n) = &s.next_grade {
        // The heading names the grade its answer reaches (fixing a cap can skip a band).
        let target = if n.status == NextGradeStatus::Reachable {
            &n.grade_after
        } else {
            &n.target
        };
        let _ = writeln!(
            out,
            "\n## {}\n\n{}",
            match lang {
                Lang::Zh => format!("达到{}的最少整改", grade_name(&s.model, target, lang)),
                Lang::En => format!(
                    "Fewest fixes to reach {}",
                    grade_name(&s.model, target, lang)
                ),
            },
            text(lang.msg(&n.message))
        );
        if n.status == NextGradeStatus::Reachable {
            let _ = writeln!(
                out,
                "\n| {} | {} | {} | {} |\n|---|---|---:|---|",
                lang.pick("条款", "Rule"),
                lang.pick("要求", "Level"),
                lang.pick("增分", "Gain"),
                lang.pick("原因", "Why")
            );
            for f in &n.fixes {
                let why = match f.reason {
                    icgs::report::FixReason::Veto => lang.pick("一票否决条款", "veto rule"),
                    icgs::report::FixReason::Cap => {
                        lang.pick("应条款：解除等级上限", "shall rule: lifts the cap")
                    }
                    // Points, and any reason a later version adds.
                    _ => lang.pick("分值", "points"),
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | +{} | {why} |",
                    f.rule,
                    level_label(f.level, lang),
                    points(f.gain)
                );
            }
        }
    }
}

/// The improvement plan.
fn plan_section(out: &mut String, r: &Report, lang: Lang) {
    if !r.improvement_plan.is_empty() {
        let _ = writeln!(out, "\n## {}\n", lang.pick("改进计划", "Improvement plan"));
        let _ = writeln!(
            out,
            "| # | {} | {} | {} | {} | {} |\n|---:|---|---|---|---|---:|",
            lang.pick("条款", "Rule"),
            lang.pick("要求", "Level"),
            lang.pick("现状与差距", "Now"),
            lang.pick("整改措施", "Action"),
            lang.pick("增分", "Gain"),
        );
        for (i, item) in r.improvement_plan.iter().enumerate() {
            let _ = writeln!(
                out,
                "| {} | {} {} | {} | {} | {} | +{} |",
                i + 1,
                item.rule,
                cell(lang.msg(&item.title)),
                level_label(item.level, lang),
                profile(lang.msg(&item.gap)),
                match super::record_hint(r, &item.rule) {
                    Some(hint) => format!(
                        "{}<br>{}{}",
                        cell(lang.msg(&item.action)),
                        lang.pick("数据填报说明：", "How to record it: "),
                        cell(lang.msg(hint))
                    ),
                    None => cell(lang.msg(&item.action)),
                },
                points(item.gain)
            );
        }
    }
}

/// Every result by chapter, then the legend of the proposal marker.
fn results_section(out: &mut String, r: &Report, lang: Lang) {
    let _ = writeln!(out, "\n## {}", lang.pick("逐条结果", "Results by clause"));
    for d in Dimension::ALL {
        let rows: Vec<_> = r
            .results
            .iter()
            .filter(|x| x.dimension == d && !super::hidden(x))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n### {}\n\n| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|",
            dimension_label(d, lang),
            lang.pick("条款", "Rule"),
            lang.pick("来源", "Origin"),
            lang.pick("要求", "Level"),
            lang.pick("结果", "Outcome"),
            lang.pick("名称", "Title"),
            lang.pick("说明", "Message"),
        );
        for x in rows {
            let outcome = outcome_label(x.outcome, lang);
            let outcome = if x.outcome == Outcome::Fail {
                format!("**{outcome}**")
            } else {
                outcome.to_owned()
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {outcome} | {} | {} |",
                x.rule,
                origin_marker(x.origin, lang),
                level_label(x.level, lang),
                cell(lang.msg(&x.title)),
                cell(&super::message_with_problems(x, lang))
            );
        }
    }
    if r.results
        .iter()
        .any(|x| x.origin.is_proposal() && !super::hidden(x))
    {
        let _ = writeln!(out, "\n{}", text(&proposal_legend(lang)));
    }
}

/// Problems with the input, right after the answer: the profile's (invalid values were
/// treated as absent) and the waivers not applied.
fn input_problems(out: &mut String, r: &Report, lang: Lang) {
    if r.profile_problems.is_empty() && r.waiver_problems.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n## {}\n",
        lang.pick(
            "输入问题（无效的值已按缺失处理，评价照常进行）",
            "Problems with the input (invalid values were treated as absent)"
        )
    );
    for p in &r.profile_problems {
        let _ = writeln!(out, "- {}", text(&super::problem_line(p, lang)));
    }
    for w in &r.waiver_problems {
        let line = match lang {
            Lang::Zh => format!("豁免 {}（{}）：{}", w.rule, w.source, lang.msg(&w.message)),
            Lang::En => format!(
                "waiver of {} ({}): {}",
                w.rule,
                w.source,
                lang.msg(&w.message)
            ),
        };
        let _ = writeln!(out, "- {}", text(&line));
    }
}

/// Renders several reports, one after the other.
pub fn reports(reports: &[&Report], lang: Lang) -> String {
    reports
        .iter()
        .map(|r| report(r, lang))
        .collect::<Vec<_>>()
        .join("\n---\n\n")
}

/// Renders the portfolio summary.
pub fn portfolio(p: &Portfolio, lang: Lang) -> String {
    let mut out = String::new();
    let t = &p.totals;
    let _ = writeln!(
        out,
        "# {}\n",
        lang.pick("社区评价汇总", "Portfolio summary")
    );
    let _ = writeln!(
        out,
        "{}\n",
        match lang {
            Lang::Zh => format!(
                "已评价 {} 个社区（共 {} 个输入），平均分 {}，{} 个社区有不符合项。",
                t.evaluated,
                t.inputs,
                t.mean_score.map_or("—".to_owned(), points),
                t.with_non_conformities
            ),
            Lang::En => format!(
                "{} communities evaluated ({} inputs), mean score {}, {} with non-conformities.",
                t.evaluated,
                t.inputs,
                t.mean_score.map_or("—".to_owned(), points),
                t.with_non_conformities
            ),
        }
    );
    ranking(&mut out, p, lang);
    let _ = writeln!(
        out,
        "\n## {}\n\n| {} | {} |\n|---|---:|",
        lang.pick("等级分布", "Grade distribution"),
        lang.pick("等级", "Grade"),
        lang.pick("社区数", "Communities")
    );
    for g in &p.grades {
        let _ = writeln!(out, "| {} | {} |", lang.msg(&g.name), g.count);
    }
    if !p.failing_clauses.is_empty() {
        let _ = writeln!(
            out,
            "\n## {}\n\n| {} | {} | {} | {} |\n|---|---|---|---:|",
            lang.pick("最常未满足的条款", "Clauses failed most often"),
            lang.pick("条款", "Rule"),
            lang.pick("要求", "Level"),
            lang.pick("名称", "Title"),
            lang.pick("未满足的社区", "Communities failing")
        );
        for f in &p.failing_clauses {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {}/{} |",
                f.rule,
                level_label(f.level, lang),
                cell(lang.msg(&f.title)),
                f.count,
                t.evaluated
            );
        }
    }
    if !p.not_evaluated.is_empty() {
        let _ = writeln!(
            out,
            "\n## {}\n",
            lang.pick("未能评价的输入", "Inputs not evaluated")
        );
        for n in &p.not_evaluated {
            let _ = writeln!(
                out,
                "- {}: {}",
                profile(&n.source),
                text(&n.error.replace('\n', " "))
            );
        }
    }
    out
}

/// The communities, best first: score, grade, non-conformities, deviations, fixes.
fn ranking(out: &mut String, p: &Portfolio, lang: Lang) {
    let gname = |grade: &str| {
        p.grades
            .iter()
            .find(|g| g.grade == grade)
            .map_or_else(|| grade.to_owned(), |g| lang.msg(&g.name).to_owned())
    };
    let _ = writeln!(
        out,
        "| # | {} | {} | {} | {} | {} | {} |\n|---:|---|---:|---|---:|---:|---:|",
        lang.pick("社区", "Community"),
        lang.pick("得分", "Score"),
        lang.pick("等级", "Grade"),
        lang.pick("不符合项", "Non-conformities"),
        lang.pick("偏离项", "Deviations"),
        lang.pick("升级需整改", "Fixes to next grade"),
    );
    for (i, c) in p.ranked().iter().enumerate() {
        let who = match &c.name {
            Some(n) => format!("{} ({})", profile(n), profile(&c.id)),
            None => profile(&c.id),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            i + 1,
            who,
            points(c.score),
            gname(&c.grade),
            c.non_conformities,
            c.deviations,
            c.fixes_to_next_grade
                .map_or("—".to_owned(), |n| n.to_string())
        );
    }
}
