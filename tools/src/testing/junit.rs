//! Case results as JUnit XML, the format CI systems read.

use std::fmt::Write as _;

use super::run::{CaseReport, CaseStatus, Suite};

/// Escapes text for XML content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The results of each suite as JUnit XML: one `<testsuite>` per pack, one `<testcase>` per
/// case file (`classname` the pack id and the case's directory, `name` the file), a
/// `<failure>` with the diff for a failed case and an `<error>` for a broken one. No
/// timestamps or durations: the same results give the same bytes.
#[must_use]
pub fn junit(results: &[(&Suite, &[CaseReport])]) -> String {
    let total: usize = results.iter().map(|(_, r)| r.len()).sum();
    let count = |status: CaseStatus| {
        results
            .iter()
            .flat_map(|(_, r)| r.iter())
            .filter(|r| r.status == status)
            .count()
    };
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"icgs test\" tests=\"{total}\" failures=\"{}\" errors=\"{}\">",
        count(CaseStatus::Failed),
        count(CaseStatus::Broken)
    );
    for (suite, reports) in results {
        let failures = reports
            .iter()
            .filter(|r| r.status == CaseStatus::Failed)
            .count();
        let errors = reports
            .iter()
            .filter(|r| r.status == CaseStatus::Broken)
            .count();
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">",
            esc(&suite.name()),
            reports.len()
        );
        for report in *reports {
            let relative = report
                .path
                .strip_prefix(&suite.dir)
                .unwrap_or(&report.path)
                .to_string_lossy()
                .replace('\\', "/");
            let (dir, file) = relative.rsplit_once('/').unwrap_or(("", &relative));
            let classname = if dir.is_empty() {
                suite.pack.manifest.id.clone()
            } else {
                format!("{}.{}", suite.pack.manifest.id, dir.replace('/', "."))
            };
            let _ = write!(
                s,
                "    <testcase classname=\"{}\" name=\"{}\"",
                esc(&classname),
                esc(file)
            );
            match report.status {
                CaseStatus::Passed => s.push_str("/>\n"),
                CaseStatus::Failed => {
                    let _ = writeln!(
                        s,
                        ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                        esc(&report.description),
                        esc(&report.diff())
                    );
                }
                CaseStatus::Broken => {
                    let _ = writeln!(
                        s,
                        ">\n      <error message=\"the case cannot be run\">{}</error>\n    </testcase>",
                        esc(report.error.as_deref().unwrap_or_default())
                    );
                }
            }
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}
