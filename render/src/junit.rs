//! JUnit XML for the CI systems of standards bodies: one test suite per community, one
//! test case per rule. `fail` is a failure (type `non-conformity` or `deviation`),
//! `error` an error, `not-applicable` skipped; `insufficient-data` and `manual` are skipped
//! too, with the reason, because nothing was proven either way. An input that could not be
//! evaluated is an error in a suite of its own. No timestamps: the same reports give the
//! same bytes.

use std::io::Cursor;

use icgs::report::{NotEvaluated, Outcome, Portfolio, Report, RuleResult};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::{Lang, level_label, outcome_label, points};

type W = Writer<Cursor<Vec<u8>>>;

use super::escape::controls as clean;

fn start(w: &mut W, name: &str, attrs: &[(&str, String)]) -> std::io::Result<()> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        e.push_attribute((*k, clean(v).as_ref()));
    }
    w.write_event(Event::Start(e))
}

fn empty(w: &mut W, name: &str, attrs: &[(&str, String)]) -> std::io::Result<()> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        e.push_attribute((*k, clean(v).as_ref()));
    }
    w.write_event(Event::Empty(e))
}

fn end(w: &mut W, name: &str) -> std::io::Result<()> {
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn text(w: &mut W, s: &str) -> std::io::Result<()> {
    w.write_event(Event::Text(BytesText::new(&clean(s))))
}

fn element(w: &mut W, name: &str, attrs: &[(&str, String)], body: &str) -> std::io::Result<()> {
    start(w, name, attrs)?;
    text(w, body)?;
    end(w, name)
}

#[derive(Default)]
struct Tally {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Tally {
    fn of(report: &Report) -> Self {
        let mut t = Self::default();
        for r in &report.results {
            t.tests += 1;
            match r.outcome {
                Outcome::Fail => t.failures += 1,
                Outcome::Error => t.errors += 1,
                Outcome::NotApplicable | Outcome::InsufficientData | Outcome::Manual => {
                    t.skipped += 1;
                }
                Outcome::Pass | Outcome::Waived => {}
            }
        }
        t
    }

    fn attrs(&self, name: &str) -> Vec<(&'static str, String)> {
        vec![
            ("name", name.to_owned()),
            ("tests", self.tests.to_string()),
            ("failures", self.failures.to_string()),
            ("errors", self.errors.to_string()),
            ("skipped", self.skipped.to_string()),
        ]
    }

    fn add(&mut self, other: &Self) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }
}

fn case(w: &mut W, report: &Report, r: &RuleResult, lang: Lang) -> std::io::Result<()> {
    let attrs = [
        (
            "classname",
            format!("{}.{}", report.profile.id, r.dimension.as_str()),
        ),
        ("name", format!("{} {}", r.rule, lang.msg(&r.title))),
    ];
    let message = lang.msg(&r.message).to_owned();
    match r.outcome {
        Outcome::Pass => empty(w, "testcase", &attrs),
        Outcome::Waived => {
            start(w, "testcase", &attrs)?;
            element(w, "system-out", &[], &message)?;
            end(w, "testcase")
        }
        Outcome::Fail => {
            start(w, "testcase", &attrs)?;
            let kind = if r.level.is_requirement() {
                "non-conformity"
            } else {
                "deviation"
            };
            let body = format!(
                "{} {} [{}]\n{}: {}\n{}: {}\n{}: {}",
                r.rule,
                lang.msg(&r.title),
                level_label(r.level, lang),
                lang.pick("现状", "observed"),
                super::value(&r.observed, lang),
                lang.pick("要求", "required"),
                super::value(&r.required, lang),
                lang.pick("整改措施", "remedy"),
                lang.msg(&r.remedy)
            );
            element(
                w,
                "failure",
                &[("message", message), ("type", kind.to_owned())],
                &body,
            )?;
            end(w, "testcase")
        }
        Outcome::Error => {
            start(w, "testcase", &attrs)?;
            let body = r.error.as_ref().map_or_else(String::new, |e| {
                let mut at = e.file.clone().unwrap_or_default();
                if let Some(l) = e.line {
                    at.push_str(&format!(":{l}"));
                }
                if let Some(c) = e.column {
                    at.push_str(&format!(":{c}"));
                }
                format!("{at}: {}", e.message)
            });
            element(
                w,
                "error",
                &[("message", message), ("type", "rule-error".to_owned())],
                &body,
            )?;
            end(w, "testcase")
        }
        Outcome::NotApplicable | Outcome::InsufficientData | Outcome::Manual => {
            start(w, "testcase", &attrs)?;
            let reason = format!("{}: {message}", outcome_label(r.outcome, lang));
            empty(w, "skipped", &[("message", reason)])?;
            end(w, "testcase")
        }
    }
}

fn suite(w: &mut W, report: &Report, lang: Lang) -> std::io::Result<()> {
    let tally = Tally::of(report);
    start(w, "testsuite", &tally.attrs(&report.profile.id))?;
    start(w, "properties", &[])?;
    let s = &report.summary;
    let mut props = vec![
        ("community", report.profile.id.clone()),
        ("as_of", report.profile.as_of.clone()),
        ("score", points(s.score)),
        ("grade", s.grade.to_string()),
        ("non_conformities", s.non_conformities.to_string()),
        ("deviations", s.deviations.to_string()),
    ];
    if let Some(sha) = &report.profile.sha256 {
        props.push(("sha256", sha.clone()));
    }
    if !report.overlay_chain.overlays.is_empty() {
        props.push(("overlay_chain", report.overlay_chain.overlays.join(" > ")));
    }
    let derogations = crate::csv::derogations_in_force(report);
    if !derogations.is_empty() {
        props.push(("derogations", derogations));
    }
    for (k, v) in props {
        empty(w, "property", &[("name", k.to_owned()), ("value", v)])?;
    }
    end(w, "properties")?;
    for r in &report.results {
        case(w, report, r, lang)?;
    }
    end(w, "testsuite")
}

fn not_evaluated(w: &mut W, failures: &[NotEvaluated]) -> std::io::Result<()> {
    if failures.is_empty() {
        return Ok(());
    }
    let n = failures.len().to_string();
    start(
        w,
        "testsuite",
        &[
            ("name", "not-evaluated".to_owned()),
            ("tests", n.clone()),
            ("failures", "0".to_owned()),
            ("errors", n),
            ("skipped", "0".to_owned()),
        ],
    )?;
    for f in failures {
        start(
            w,
            "testcase",
            &[
                ("classname", "input".to_owned()),
                ("name", f.source.clone()),
            ],
        )?;
        let first = f.error.lines().next().unwrap_or_default().to_owned();
        element(
            w,
            "error",
            &[
                ("message", first),
                ("type", "unreadable-profile".to_owned()),
            ],
            &f.error,
        )?;
        end(w, "testcase")?;
    }
    end(w, "testsuite")
}

fn document(body: impl FnOnce(&mut W) -> std::io::Result<Tally>) -> anyhow::Result<String> {
    // The totals go on <testsuites>, so the suites are written first, then wrapped.
    let mut inner: W = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    let tally = body(&mut inner)?;
    let inner = String::from_utf8(inner.into_inner().into_inner())?;
    let mut w: W = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    start(&mut w, "testsuites", &tally.attrs("icgs"))?;
    let head = String::from_utf8(w.into_inner().into_inner())?;
    let mut out = head;
    out.push('\n');
    for line in inner.lines() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("</testsuites>\n");
    Ok(out)
}

/// Every report as a test suite, and the inputs not evaluated as errors.
///
/// # Errors
/// Only if the XML writer fails (it writes to memory).
pub fn reports(
    reports: &[&Report],
    failures: &[NotEvaluated],
    lang: Lang,
) -> anyhow::Result<String> {
    document(|w| {
        let mut total = Tally::default();
        for r in reports {
            suite(w, r, lang)?;
            total.add(&Tally::of(r));
        }
        not_evaluated(w, failures)?;
        total.tests += failures.len();
        total.errors += failures.len();
        Ok(total)
    })
}

/// The portfolio: one test case per community, failing when it has a non-conformity.
///
/// # Errors
/// Only if the XML writer fails (it writes to memory).
pub fn portfolio(p: &Portfolio, lang: Lang) -> anyhow::Result<String> {
    document(|w| {
        let mut t = Tally::default();
        for c in &p.communities {
            t.tests += 1;
            if c.non_conformities > 0 {
                t.failures += 1;
            }
        }
        start(w, "testsuite", &t.attrs("portfolio"))?;
        for c in &p.communities {
            let attrs = [
                ("classname", "portfolio".to_owned()),
                ("name", c.id.clone()),
            ];
            let summary = match lang {
                Lang::Zh => format!(
                    "得分 {}，等级 {}，不符合项 {}，偏离项 {}",
                    points(c.score),
                    c.grade,
                    c.non_conformities,
                    c.deviations
                ),
                Lang::En => format!(
                    "score {}, grade {}, {} non-conformities, {} deviations",
                    points(c.score),
                    c.grade,
                    c.non_conformities,
                    c.deviations
                ),
            };
            if c.non_conformities > 0 {
                start(w, "testcase", &attrs)?;
                element(
                    w,
                    "failure",
                    &[
                        ("message", summary.clone()),
                        ("type", "non-conformity".to_owned()),
                    ],
                    &summary,
                )?;
                end(w, "testcase")?;
            } else {
                start(w, "testcase", &attrs)?;
                element(w, "system-out", &[], &summary)?;
                end(w, "testcase")?;
            }
        }
        end(w, "testsuite")?;
        not_evaluated(w, &p.not_evaluated)?;
        t.tests += p.not_evaluated.len();
        t.errors += p.not_evaluated.len();
        Ok(t)
    })
}
