//! Finding the cases of packs, building the engine each pack is tested with, running a case.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::case::{Case, CaseError};
use icgs::Engine;
use icgs::pack::{BuildError, Pack, PackError, PackSet};
use icgs::report::Outcome;

/// The packs to test could not be read or built: nothing was tested.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TestError {
    /// A pack cannot be read.
    #[error(transparent)]
    Pack(#[from] PackError),
    /// The engine over the packs cannot be built.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// A pack's `tests` directory cannot be listed.
    #[error("cannot list the test cases in `{path}`: {message}")]
    Cases {
        /// The directory.
        path: String,
        /// The operating system's reason.
        message: String,
    },
}

/// One pack under test: its cases and the engine they run on.
#[derive(Debug)]
pub struct Suite {
    /// The pack.
    pub pack: Pack,
    /// The pack's directory.
    pub dir: PathBuf,
    /// The embedded packs, with the context packs and every pack tested before this one
    /// (and this one) replacing those of the same id, in that order.
    pub engine: Engine,
    /// The case files, sorted.
    pub cases: Vec<PathBuf>,
}

impl Suite {
    /// `id@version` of the pack, as results name it.
    #[must_use]
    pub fn name(&self) -> String {
        self.pack.manifest.pack_ref().to_string()
    }
}

/// The packs in `dirs` (each a pack, or a directory of packs as [`Pack::discover`] finds
/// them), each with its cases and the engine to run them on, in layer order.
///
/// A pack is tested on the embedded packs, replaced (by id) by the `context` packs (read, not
/// tested), then by the named packs of lower layers (a category is tested on the standard
/// named with it), then by the packs it `extends`, directly or through others, among those
/// named, and finally by itself. So `icgs test policies/` tests the standard alone, each
/// category on that standard, and a district overlay on its city and province overlays —
/// never on a sibling or a descendant.
///
/// # Errors
/// A directory holds no pack, a pack cannot be read, its tests cannot be listed, or the
/// engine over the packs cannot be built.
pub fn suites(dirs: &[impl AsRef<Path>], context: &[PathBuf]) -> Result<Vec<Suite>, TestError> {
    suites_with_plugins(dirs, context, &[])
}

/// As [`suites`], with native plugins in every engine (a pack may test rules on a plugin's
/// categories and parameters).
///
/// # Errors
/// As [`suites`].
pub fn suites_with_plugins(
    dirs: &[impl AsRef<Path>],
    context: &[PathBuf],
    plugins: &[std::sync::Arc<icgs::plugin::Plugin>],
) -> Result<Vec<Suite>, TestError> {
    let mut base = PackSet::new(Pack::embedded()?);
    for dir in context {
        base.extend(Pack::discover(dir)?);
    }
    let mut named = PackSet::default();
    for dir in dirs {
        named.extend(Pack::discover(dir)?);
    }
    let mut named = named.into_packs();
    named.sort_by_key(|p| p.manifest.layer);

    let mut suites = Vec::new();
    for pack in &named {
        let mut packs = base.clone();
        packs.extend(
            named
                .iter()
                .filter(|p| p.manifest.layer < pack.manifest.layer)
                .cloned(),
        );
        packs.extend(ancestors(pack, &named).into_iter().rev().cloned());
        packs.insert(pack.clone());
        let builder = plugins
            .iter()
            .cloned()
            .fold(Engine::builder().packs(packs), |b, p| b.plugin(p));
        let engine = builder.build()?;
        let dir = PathBuf::from(&pack.source);
        let cases = case_files(&dir)?;
        suites.push(Suite {
            pack: pack.clone(),
            dir,
            engine,
            cases,
        });
    }
    Ok(suites)
}

/// The id a pack `extends`, read from its `pack.toml` (`extends = "id"` or
/// `extends = { id = "…", … }`).
fn extends(pack: &Pack) -> Option<String> {
    let text = std::fs::read_to_string(Path::new(&pack.source).join("pack.toml")).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    match table.get("extends")? {
        toml::Value::String(id) => Some(id.clone()),
        toml::Value::Table(t) => t.get("id")?.as_str().map(str::to_owned),
        _ => None,
    }
}

/// The packs among `named` that `pack` extends, nearest first.
fn ancestors<'a>(pack: &Pack, named: &'a [Pack]) -> Vec<&'a Pack> {
    let mut chain: Vec<&Pack> = Vec::new();
    let mut next = extends(pack);
    while let Some(id) = next {
        let Some(parent) = named.iter().find(|p| p.manifest.id == id) else {
            break;
        };
        if chain.iter().any(|p| p.manifest.id == id) || parent.manifest.id == pack.manifest.id {
            break;
        }
        chain.push(parent);
        next = extends(parent);
    }
    chain
}

/// The case files of the pack in `pack_dir`: `tests/**/*.json` except `base.json` and
/// `*.profile.json`, sorted. A pack without `tests/` has none.
///
/// # Errors
/// A directory below `tests/` cannot be listed, or a symbolic link loops.
pub fn case_files(pack_dir: &Path) -> Result<Vec<PathBuf>, TestError> {
    let tests = pack_dir.join("tests");
    if !tests.is_dir() {
        return Ok(Vec::new());
    }
    icgs::__tools::files(&tests, is_case)
        .map_err(|(path, message)| TestError::Cases { path, message })
}

fn is_case(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with(".json") && name != "base.json" && !name.ends_with(".profile.json")
}

/// What a case run came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseStatus {
    /// Every expectation holds.
    Passed,
    /// Some result differs from its expectation.
    Failed,
    /// The case cannot be run: unreadable, malformed, or its profile cannot be read.
    Broken,
}

/// Which part of a result differed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The case names a rule the packs do not have.
    Rule,
    /// The outcome.
    Outcome,
    /// The observed value.
    Observed,
    /// The required value.
    Required,
    /// The message in one language.
    Message,
}

impl Field {
    /// The field as named in diffs.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Rule => "rule",
            Self::Outcome => "outcome",
            Self::Observed => "observed",
            Self::Required => "required",
            Self::Message => "message",
        }
    }
}

/// One expectation that does not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// The rule id.
    pub rule: String,
    /// What differed.
    pub field: Field,
    /// What the case expects.
    pub expected: Value,
    /// What the rule gave; for an unknown rule, the closest rule id the packs have (a likely
    /// misspelling), else `null`.
    pub actual: Value,
}

/// A rule a case checks, with what it expects and what the rule gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The rule id.
    pub rule: String,
    /// The expected outcome.
    pub expected: Outcome,
    /// The outcome given; `None` when the packs have no such rule.
    pub actual: Option<Outcome>,
    /// The result message (zh, en), to explain a difference.
    pub message: (String, String),
    /// Where the rule failed, when its outcome is `error`.
    pub error: Option<String>,
}

/// The result of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseReport {
    /// The case file.
    pub path: PathBuf,
    /// The case's description (empty when it cannot be read).
    pub description: String,
    /// Passed, failed or broken.
    pub status: CaseStatus,
    /// Each rule the case checks.
    pub checked: Vec<Checked>,
    /// Each expectation that does not hold.
    pub mismatches: Vec<Mismatch>,
    /// Why the case is broken.
    pub error: Option<String>,
}

impl CaseReport {
    fn broken(path: &Path, description: String, error: &CaseError) -> Self {
        Self {
            path: path.to_path_buf(),
            description,
            status: CaseStatus::Broken,
            checked: Vec::new(),
            mismatches: Vec::new(),
            error: Some(error.to_string()),
        }
    }

    /// What differed, one block per rule, expected (`-`) above actual (`+`); empty when the
    /// case passed. Plain text, one line per item, no trailing newline.
    #[must_use]
    pub fn diff(&self) -> String {
        if let Some(e) = &self.error {
            return format!("cannot run: {e}");
        }
        let mut s = String::new();
        for checked in &self.checked {
            let mine: Vec<&Mismatch> = self
                .mismatches
                .iter()
                .filter(|m| m.rule == checked.rule)
                .collect();
            if mine.is_empty() {
                continue;
            }
            for (i, m) in mine.iter().enumerate() {
                let head = if i == 0 { checked.rule.as_str() } else { "" };
                if m.field == Field::Rule {
                    let near = match &m.actual {
                        Value::String(n) => format!("; did you mean `{n}`?"),
                        _ => String::new(),
                    };
                    let _ = writeln!(s, "{head:<8} no such rule in the packs under test{near}");
                    continue;
                }
                let _ = writeln!(
                    s,
                    "{head:<8} {:<9} - {}",
                    m.field.as_str(),
                    show(&m.expected)
                );
                let _ = writeln!(s, "{:<8} {:<9} + {}", "", "", show(&m.actual));
            }
            if checked.actual.is_some() {
                let _ = writeln!(s, "{:<8} {:<9}   {}", "", "message", checked.message.0);
                let _ = writeln!(s, "{:<8} {:<9}   {}", "", "", checked.message.1);
            }
            if let Some(e) = &checked.error {
                let _ = writeln!(s, "{:<8} {:<9}   {e}", "", "error");
            }
        }
        s.truncate(s.trim_end().len());
        s
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Runs one case file against `engine`. Never fails: a case that cannot be run is
/// [`CaseStatus::Broken`], with the reason.
#[must_use]
pub fn run_case(engine: &Engine, path: &Path) -> CaseReport {
    let case = match Case::read(path) {
        Ok(c) => c,
        Err(e) => return CaseReport::broken(path, String::new(), &e),
    };
    let bytes = match case.profile_bytes(path) {
        Ok(b) => b,
        Err(e) => return CaseReport::broken(path, case.description, &e),
    };
    let report = match evaluate_case(engine, path, &bytes) {
        Ok(r) => r,
        Err(message) => {
            let e = CaseError::Profile {
                path: path.display().to_string(),
                message,
            };
            return CaseReport::broken(path, case.description, &e);
        }
    };
    let mut checked = Vec::new();
    let mut mismatches = Vec::new();
    for (rule, expect) in &case.expect {
        let Some(r) = report.results.iter().find(|r| &r.rule == rule) else {
            checked.push(Checked {
                rule: rule.clone(),
                expected: expect.outcome,
                actual: None,
                message: (String::new(), String::new()),
                error: None,
            });
            let near = icgs::__tools::closest(rule, report.results.iter().map(|r| r.rule.as_str()));
            mismatches.push(Mismatch {
                rule: rule.clone(),
                field: Field::Rule,
                expected: Value::String(rule.clone()),
                actual: near.map_or(Value::Null, |n| Value::String(n.to_owned())),
            });
            continue;
        };
        checked.push(check_result(rule, expect, r, &mut mismatches));
    }
    CaseReport {
        path: path.to_path_buf(),
        description: case.description,
        status: if mismatches.is_empty() {
            CaseStatus::Passed
        } else {
            CaseStatus::Failed
        },
        checked,
        mismatches,
        error: None,
    }
}

/// Reads the case's profile and evaluates it; the error is every problem, one per line.
fn evaluate_case(
    engine: &Engine,
    path: &Path,
    bytes: &[u8],
) -> Result<icgs::report::Report, String> {
    icgs::read_profile(
        &path.display().to_string(),
        bytes,
        &icgs::ReadOptions::default(),
    )
    .map_err(|e| {
        // The patched profile is written on one line: positions would mean nothing, the
        // JSON pointers do. Every problem, one per line.
        e.problems()
            .iter()
            .map(|p| {
                let pointer = if p.pointer().is_empty() {
                    "/"
                } else {
                    p.pointer()
                };
                format!("\n  {pointer}: {}", p.message())
            })
            .collect::<String>()
    })
    .and_then(|(profile, problems)| {
        engine
            .evaluate_read(std::sync::Arc::new(profile), engine.options(), &problems)
            .map_err(|e| e.to_string())
    })
}

/// Holds one rule's result against what the case expects of it, adding each difference
/// to `mismatches`.
fn check_result(
    rule: &str,
    expect: &super::case::Expect,
    r: &icgs::report::RuleResult,
    mismatches: &mut Vec<Mismatch>,
) -> Checked {
    if r.outcome != expect.outcome {
        mismatches.push(Mismatch {
            rule: rule.to_owned(),
            field: Field::Outcome,
            expected: Value::String(expect.outcome.as_str().to_owned()),
            actual: Value::String(r.outcome.as_str().to_owned()),
        });
    }
    for (field, want, got) in [
        (Field::Observed, &expect.observed, &r.observed),
        (Field::Required, &expect.required, &r.required),
    ] {
        if let Some(want) = want
            && !json_eq(want, got)
        {
            mismatches.push(Mismatch {
                rule: rule.to_owned(),
                field,
                expected: want.clone(),
                actual: got.clone(),
            });
        }
    }
    let wanted = expect.message.as_ref();
    for (want, got) in [
        (wanted.and_then(|m| m.zh.as_ref()), &r.message.zh),
        (wanted.and_then(|m| m.en.as_ref()), &r.message.en),
    ] {
        if let Some(want) = want
            && want != got
        {
            mismatches.push(Mismatch {
                rule: rule.to_owned(),
                field: Field::Message,
                expected: Value::String(want.clone()),
                actual: Value::String(got.clone()),
            });
        }
    }
    Checked {
        rule: rule.to_owned(),
        expected: expect.outcome,
        actual: Some(r.outcome),
        message: (r.message.zh.clone(), r.message.en.clone()),
        error: r.error.as_ref().map(|e| {
            let at = match (&e.file, e.line, e.column) {
                (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}: "),
                (Some(f), Some(l), None) => format!("{f}:{l}: "),
                _ => String::new(),
            };
            format!("{at}{}", e.message)
        }),
    }
}

/// JSON equality with numbers compared by value (`1500 == 1500.0`).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}
