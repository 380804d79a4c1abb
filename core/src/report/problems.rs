//! What must be dealt with before a verdict can be trusted (须处理的问题): an input that
//! could not be read, a rule that ended in `error` (a plugin that died included), a waiver
//! that was refused, an invalid profile, two profiles of a portfolio with one community id.
//! `icgs check` exits 2 on any of them and shows them all at the top of its output.
//!
//! Every function here looks at one report or one id at a time, so a portfolio can be
//! checked while it streams.

use std::collections::BTreeMap;

use super::{Message, Outcome, Report};

/// One problem, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// The input it concerns (a file name).
    pub source: String,
    /// What kind of problem it is.
    pub kind: ProblemKind,
    /// The problem in words.
    pub message: Message,
}

impl Problem {
    /// A problem of `kind` with the input `source`, in words `message`.
    #[must_use]
    pub fn new(source: impl Into<String>, kind: ProblemKind, message: Message) -> Self {
        Self {
            source: source.into(),
            kind,
            message,
        }
    }
}

/// The kinds of [`Problem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The input could not be read or parsed: nothing was evaluated.
    Unreadable,
    /// Two profiles carry the same community id.
    DuplicateId,
    /// A rule ended in `error`.
    RuleError,
    /// A waiver was not applied.
    WaiverRefused,
    /// The profile has validation problems (its invalid values were treated as absent).
    InvalidProfile,
}

/// An input that could not be read; only the first line of `reason` is kept (the rest is
/// on standard error).
#[must_use]
pub fn unreadable(source: &str, reason: &str) -> Problem {
    let mut lines = reason.lines();
    let first = lines.next().unwrap_or_default();
    let more = lines.count();
    let (zh_more, en_more) = if more == 0 {
        (String::new(), String::new())
    } else {
        (
            format!("（另有 {more} 行说明）"),
            format!(" ({more} more lines)"),
        )
    };
    Problem {
        source: source.to_owned(),
        kind: ProblemKind::Unreadable,
        message: Message {
            zh: format!("无法读取“{source}”，未作评价：{first}{zh_more}"),
            en: format!("`{source}` could not be read and was not evaluated: {first}{en_more}"),
        },
    }
}

/// The problems of one evaluated report: rules ended in `error`, refused waivers and, when
/// `invalid_counts`, validation problems of the profile.
#[must_use]
pub fn report_problems(source: &str, report: &Report, invalid_counts: bool) -> Vec<Problem> {
    let id = &report.profile.id;
    // Chinese prose names the community; the id is a code (English keeps it).
    let who = report.profile.name.as_deref().unwrap_or(id);
    let problem = |kind, zh: String, en: String| Problem {
        source: source.to_owned(),
        kind,
        message: Message { zh, en },
    };
    let mut out = Vec::new();
    for r in report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Error)
    {
        let (why, at) = r
            .error
            .as_ref()
            .map_or((String::new(), String::new()), |e| {
                let at = match (&e.file, e.line, e.column) {
                    (Some(f), Some(l), Some(c)) => format!(" ({f}:{l}:{c})"),
                    (Some(f), ..) => format!(" ({f})"),
                    _ => String::new(),
                };
                (e.message.clone(), at)
            });
        out.push(problem(
            ProblemKind::RuleError,
            format!("“{who}”：规则 {} 执行出错，结论无效{at}：{why}", r.rule),
            format!(
                "`{id}`: rule {} ended in error, no verdict{at}: {why}",
                r.rule
            ),
        ));
    }
    for w in &report.waiver_problems {
        let from_zh = if w.source == "profile" {
            "档案内"
        } else {
            w.source.as_str()
        };
        out.push(problem(
            ProblemKind::WaiverRefused,
            format!(
                "“{who}”：规则 {} 的豁免未被采纳（{from_zh} {}）：{}",
                w.rule,
                crate::vocab::pointer_zh(&w.pointer),
                w.message.zh
            ),
            format!(
                "`{id}`: the waiver of rule {} was refused ({} {}): {}",
                w.rule, w.source, w.pointer, w.message.en
            ),
        ));
    }
    let invalid = report.profile_problems.len();
    if invalid_counts && invalid > 0 {
        out.push(problem(
            ProblemKind::InvalidProfile,
            format!("“{who}”：{invalid} 处数据未通过校验，已按缺失处理"),
            format!(
                "`{id}`: {invalid} validation problem(s); the invalid values were treated as absent"
            ),
        ));
    }
    out
}

/// Community ids seen so far in a portfolio, with the inputs that carry each.
#[derive(Debug, Default, Clone)]
pub struct DuplicateIds {
    seen: BTreeMap<String, Vec<String>>,
}

impl DuplicateIds {
    /// Notes that `source` holds the community `id`.
    pub fn add(&mut self, id: &str, source: &str) {
        self.seen
            .entry(id.to_owned())
            .or_default()
            .push(source.to_owned());
    }

    /// One problem per id carried by more than one input, in id order.
    #[must_use]
    pub fn problems(&self) -> Vec<Problem> {
        self.seen
            .iter()
            .filter(|(_, sources)| sources.len() > 1)
            .map(|(id, sources)| Problem {
                source: sources.join(", "),
                kind: ProblemKind::DuplicateId,
                message: Message {
                    zh: format!(
                        "社区编号“{id}”出现在 {} 份档案中：{}；每个社区只能有一份档案",
                        sources.len(),
                        sources.join("、")
                    ),
                    en: format!(
                        "community id `{id}` is carried by {} profiles: {}; one profile per community",
                        sources.len(),
                        sources.join(", ")
                    ),
                },
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_seen_twice_is_one_problem_naming_both_inputs() {
        let mut ids = DuplicateIds::default();
        ids.add("a", "one.json");
        ids.add("b", "two.json");
        assert!(ids.problems().is_empty());
        ids.add("a", "three.json");
        let problems = ids.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::DuplicateId);
        assert!(problems[0].message.en.contains("one.json, three.json"));
        assert!(problems[0].message.zh.contains("one.json、three.json"));
    }

    #[test]
    fn an_unreadable_input_keeps_its_first_line() {
        let p = unreadable("x.json", "line one\n  detail\n  detail");
        assert_eq!(
            p.message.en,
            "`x.json` could not be read and was not evaluated: line one (2 more lines)"
        );
        assert!(p.message.zh.starts_with("无法读取“x.json”"));
    }
}
