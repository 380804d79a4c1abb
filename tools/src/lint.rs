//! `icgs lint`: checks policy packs before anyone evaluates a profile with them.
//!
//! The engine refuses a pack that cannot work (a script that does not compile, a missing
//! field); lint also finds what works but is wrong: a property of `c` that does not exist
//! (`c.populaton` fails only when a community reaches that line), a level that contradicts the
//! verbal form of the Chinese clause text (宜 declared `shall`), message placeholders that
//! differ between the languages, a parameter without a unit or that no rule reads, an
//! invalid version. Every problem names its file, line and column.
//!
//! ```
//! let report = icgs_tools::lint::lint(&["../policies/standard"]).unwrap();
//! assert_eq!(report.errors(), 0, "{:#?}", report.diagnostics);
//! ```
//!
//! Each check has a code; `docs/policy-authoring.md` lists them with examples.

mod checks;
mod missing;
mod modal;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use icgs::pack::{BuildError, PackError};

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Wrong: the pack must be fixed (exit code 1).
    Error,
    /// Suspicious: fix it or be sure (exit code 1 only with `--deny-warnings`).
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// One problem, located in a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The check that found it, e.g. `unknown-property` (see `docs/policy-authoring.md`).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// The file, as the pack directory was given plus the path inside the pack.
    pub file: String,
    /// 1-based line (0 when the problem concerns the whole file).
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// Byte range of the offending text in the file.
    pub span: std::ops::Range<usize>,
    /// A short note at the offending text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// What lint found in some packs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintReport {
    /// The packs linted (`id@version`, or the directory when the manifest is unreadable).
    pub packs: Vec<String>,
    /// How many rule scripts were read.
    pub rules: usize,
    /// Every problem, ordered by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of each file with a problem, for rendering excerpts.
    pub sources: BTreeMap<String, String>,
}

impl LintReport {
    /// Number of errors.
    #[must_use]
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings.
    #[must_use]
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// The text of `file`, when it has a problem.
    #[must_use]
    pub fn source(&self, file: &str) -> Option<&str> {
        self.sources.get(file).map(String::as_str)
    }
}

/// A build error as a command-line user reads it (`icgs lint`, `icgs check`…): the
/// library's words, with the command line's flags where they are the remedy.
#[must_use]
pub fn command_line_text(e: &BuildError) -> String {
    match e {
        // Named by the `--overlay` flag.
        BuildError::UnknownOverlay { .. } => format!("--{e}{}", command_line_hint(e)),
        BuildError::Branches { file, position, .. } => format!(
            "{}: {}",
            icgs::pack::Location::at(file.clone(), *position),
            command_line_detail(e)
        ),
        other => format!("{other}{}", command_line_hint(other)),
    }
}

/// What is wrong ([`BuildError::detail`]) in the command line's words: the way to choose
/// one chain of overlays is `--overlay`.
fn command_line_detail(e: &BuildError) -> String {
    match e {
        BuildError::Branches { .. } => format!("`extends`: {}", e.branches_text("`--overlay`")),
        other => other.detail(),
    }
}

/// What to add on the command line for `e`, after its message (empty when nothing helps).
fn command_line_hint(e: &BuildError) -> &'static str {
    match e {
        BuildError::UnknownOverlay { .. } => "; give its directory with `--pack`",
        BuildError::Overlay(o) if o.kind() == icgs::pack::OverlayErrorKind::MissingBase => {
            "; give its directory with `--pack`, before this one"
        }
        _ => "",
    }
}

/// Lint could not start: a directory holds no pack or cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LintError {
    /// A directory is not a pack and holds none.
    #[error("`{path}`: {message}")]
    NotAPack {
        /// The directory.
        path: String,
        /// What was expected.
        message: String,
    },
    /// The embedded packs, used as context, do not load.
    #[error(transparent)]
    Embedded(#[from] PackError),
    /// A context pack (`--pack`) cannot be read.
    #[error("a pack given with `--pack` cannot be read: {0}")]
    Context(PackError),
}

/// Lints the packs in `dirs` (each a pack, or a directory of packs two levels deep, like
/// `policies/`). The embedded packs are the context: a category pack's rules may read the
/// standard's parameters; a linted pack replaces the embedded one with its id.
///
/// # Errors
/// [`LintError`] when a directory holds no pack (`pack.toml`) or cannot be listed. Problems
/// inside packs, an unreadable manifest included, are diagnostics.
pub fn lint(dirs: &[impl AsRef<Path>]) -> Result<LintReport, LintError> {
    lint_with_plugins(dirs, &[])
}

/// As [`lint`], with native plugins in the context: their parameters and categories are
/// declared, and the engine built at the end includes them.
///
/// # Errors
/// As [`lint`].
pub fn lint_with_plugins(
    dirs: &[impl AsRef<Path>],
    plugins: &[std::sync::Arc<icgs::plugin::Plugin>],
) -> Result<LintReport, LintError> {
    lint_in(
        dirs,
        &Context {
            plugins: plugins.to_vec(),
            ..Context::default()
        },
    )
}

/// What the linted packs are read with, besides the embedded packs: as `icgs check` and
/// `icgs test` take them.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Packs loaded but not linted (`--pack`): the base of an overlay under lint, so that its
    /// `extends` chain resolves and its rules may read the base's parameters. Each replaces
    /// the embedded pack of the same id; a linted pack replaces both.
    pub packs: Vec<PathBuf>,
    /// The overlay whose chain the engine is built with (`--overlay`); without it, every
    /// chain that ends in a leaf overlay and passes through a linted pack, one at a time.
    pub overlay: Option<String>,
    /// Native plugins: their parameters and categories are declared, and the engine built at
    /// the end includes them.
    pub plugins: Vec<std::sync::Arc<icgs::plugin::Plugin>>,
}

/// As [`lint`], with context packs, a chosen overlay chain and plugins.
///
/// # Errors
/// As [`lint`]; also [`LintError::Context`] when a context pack cannot be read.
pub fn lint_in(dirs: &[impl AsRef<Path>], context: &Context) -> Result<LintReport, LintError> {
    let mut found = Vec::new();
    for dir in dirs {
        found.extend(pack_dirs(dir.as_ref())?);
    }
    let mut packs = Vec::new();
    for dir in &context.packs {
        packs.extend(icgs::pack::Pack::discover(dir).map_err(LintError::Context)?);
    }
    checks::run(&found, &packs, context)
}

/// The pack directories in `dir` (see [`icgs::pack::Pack::dirs`]).
fn pack_dirs(dir: &Path) -> Result<Vec<PathBuf>, LintError> {
    icgs::pack::Pack::dirs(dir).map_err(|e| match e {
        icgs::pack::PackError::Io { path, message, .. } => LintError::NotAPack { path, message },
        other => LintError::NotAPack {
            path: dir.display().to_string(),
            message: other.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn pack_errors_get_the_command_line_remedy() {
        use super::{BuildError, command_line_text};
        use icgs::pack::{OverlayError, OverlayErrorKind, PackError};
        let missing = BuildError::Overlay(OverlayError::new(
            "o/pack.toml",
            Some((8, 1)),
            "extends",
            OverlayErrorKind::MissingBase,
            "extends `x` `^1`, which is not among the packs loaded (standard)",
        ));
        assert_eq!(
            command_line_text(&missing),
            format!("{missing}; give its directory with `--pack`, before this one")
        );
        let unknown = BuildError::UnknownOverlay {
            id: "binjang".into(),
            loaded: vec!["binjiang".into()],
            closest: Some("binjiang".into()),
        };
        assert_eq!(
            command_line_text(&unknown),
            "--overlay `binjang`: no overlay of that id is loaded (loaded: binjiang); did you mean `binjiang`?; give its directory with `--pack`"
        );
        // The library names its own way to choose a chain; the command line names its flag.
        let branches = BuildError::Branches {
            file: "xihu/pack.toml".into(),
            position: Some((9, 1)),
            leaf: "binjiang".into(),
            other: "xihu".into(),
            shared: Some("hangzhou".into()),
        };
        let neutral = branches.to_string();
        assert!(!neutral.contains("--"), "{neutral}");
        assert_eq!(
            command_line_text(&branches),
            "xihu/pack.toml:9:1: `extends`: overlays `binjiang` and `xihu` both apply but are not one chain (both build on `hangzhou`); an evaluation uses one chain: choose one with `--overlay` (`EngineBuilder::overlay`), or declare `applies_to` in each so that each community matches one"
        );
        let other = BuildError::Pack(PackError::Manifest {
            file: "p/pack.toml".into(),
            position: None,
            message: "m".into(),
        });
        assert_eq!(command_line_text(&other), "p/pack.toml: m");
    }

    /// The community's properties and queries are the ones `docs/policy-authoring.md` lists:
    /// lint's suggestions and the guide name the same things.
    #[test]
    fn every_property_and_query_of_c_is_documented() {
        let doc = include_str!("../../docs/policy-authoring.md");
        let names = icgs::__tools::community_names();
        assert!(names.properties.contains("population"));
        assert!(
            names
                .methods
                .get("meetings")
                .is_some_and(|a| a.contains(&2))
        );
        let missing: Vec<String> = names
            .properties
            .iter()
            .chain(names.methods.keys())
            .filter(|n| !doc.contains(&format!("`c.{n}")) && !doc.contains(&format!("c.{n}`")))
            .cloned()
            .collect();
        assert!(
            missing.is_empty(),
            "not in docs/policy-authoring.md: {missing:?}"
        );
    }
}
