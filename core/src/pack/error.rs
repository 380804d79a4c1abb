use std::sync::Arc;

pub use crate::types::Location;

/// The operating system's error behind a [`PackError::Io`], shared so that the error stays
/// `Clone`; two are equal when their kind and message are.
#[derive(Debug, Clone)]
pub struct IoSource(pub Arc<std::io::Error>);

impl PartialEq for IoSource {
    fn eq(&self, other: &Self) -> bool {
        self.0.kind() == other.0.kind() && self.0.to_string() == other.0.to_string()
    }
}

impl std::fmt::Display for IoSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for IoSource {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl From<std::io::Error> for IoSource {
    fn from(e: std::io::Error) -> Self {
        Self(Arc::new(e))
    }
}

/// A pack could not be read or is malformed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PackError {
    /// A file or directory could not be read.
    #[error("cannot read `{path}`: {message}")]
    Io {
        /// The path.
        path: String,
        /// The reason, in words (the operating system's, when it gave one).
        message: String,
        /// The operating system's error, when there is one.
        #[source]
        source: Option<IoSource>,
    },
    /// The manifest is not valid TOML or misses a field.
    #[error("{file}: {}{message}", position_prefix(*.position))]
    Manifest {
        /// The manifest file.
        file: String,
        /// 1-based line and column, when known.
        position: Option<(usize, usize)>,
        /// What is wrong.
        message: String,
    },
    /// A rule script does not compile.
    #[error("{file}:{line}:{column}: {}", self.detail())]
    Compile {
        /// The script file.
        file: String,
        /// The rule id, or the file name when the id could not be read.
        rule: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The compiler's message.
        message: String,
    },
    /// A rule script is longer than the engine compiles.
    #[error("{file}: {}", self.detail())]
    ScriptTooLarge {
        /// The script file.
        file: String,
        /// Its size, or the limit plus one when it was not read whole.
        bytes: usize,
        /// The largest script compiled ([`crate::MAX_SCRIPT_BYTES`]).
        limit: usize,
    },
    /// A rule's `RULE` metadata is missing or invalid.
    #[error("{file}: {}", self.detail())]
    Metadata {
        /// The script file.
        file: String,
        /// The rule id, or the file name when the id could not be read.
        rule: String,
        /// What is wrong.
        message: String,
    },
}

/// An engine could not be built from packs that each read well: two packs claim one id,
/// an overlay cannot be layered, the engine is too old, the overlays asked for are not
/// loaded or not one chain, a plugin was refused; or one pack is malformed
/// ([`BuildError::Pack`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// One pack could not be read or is malformed.
    #[error("{0}")]
    Pack(#[from] PackError),
    /// Two rules, parameters, categories or packs share an id.
    #[error("{file}: {}", self.detail())]
    Duplicate {
        /// What kind of thing: rule, parameter, category, pack.
        what: &'static str,
        /// The id.
        id: String,
        /// Where the second one is.
        file: String,
        /// Where the first one is.
        first: String,
    },
    /// An overlay entry cannot be layered on the packs below it.
    #[error(transparent)]
    Overlay(#[from] OverlayError),
    /// Two overlays both apply but lie on different branches (two districts of one city):
    /// an evaluation uses one chain.
    #[error("{}: {}", Location::at(file.clone(), *position), self.detail())]
    Branches {
        /// The manifest of the overlay off the chosen line.
        file: String,
        /// 1-based line and column of its `extends`, when known.
        position: Option<(usize, usize)>,
        /// The deepest overlay of the chosen line.
        leaf: String,
        /// The overlay off that line.
        other: String,
        /// The overlay both build on; `None` when they share only the standard.
        shared: Option<String>,
    },
    /// The pack needs another engine version.
    #[error("pack `{pack}` requires icgs `{requires}`, this is {version}")]
    EngineVersion {
        /// The pack id.
        pack: String,
        /// Its requirement.
        requires: String,
        /// This engine's version.
        version: String,
    },
    /// The overlay asked for ([`crate::EngineBuilder::overlay`]) is not loaded.
    #[error(
        "overlay `{id}`: no overlay of that id is loaded (loaded: {}){}",
        list_or_none(loaded),
        closest.as_ref().map(|n| format!("; did you mean `{n}`?")).unwrap_or_default()
    )]
    UnknownOverlay {
        /// The id asked for.
        id: String,
        /// The overlays loaded.
        loaded: Vec<String>,
        /// The loaded id closest to `id`, when one is close.
        closest: Option<String>,
    },
    /// A native plugin was refused.
    #[error(transparent)]
    Plugin(#[from] crate::plugin::PluginError),
}

fn list_or_none(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".to_owned()
    } else {
        ids.join(", ")
    }
}

fn position_prefix(position: Option<(usize, usize)>) -> String {
    position.map_or_else(String::new, |(line, column)| format!("{line}:{column}: "))
}

impl PackError {
    /// A file or directory that could not be read, with the operating system's error.
    pub(crate) fn io(path: impl std::fmt::Display, e: std::io::Error) -> Self {
        Self::Io {
            path: path.to_string(),
            message: e.to_string(),
            source: Some(e.into()),
        }
    }

    /// A path that is not what was expected (not a directory, no pack), without an
    /// operating system's error.
    pub(crate) fn unreadable(path: impl std::fmt::Display, message: impl Into<String>) -> Self {
        Self::Io {
            path: path.to_string(),
            message: message.into(),
            source: None,
        }
    }

    /// Where the problem is, when it is in a file: the file, and the line, column and entry
    /// when known.
    #[must_use]
    pub fn location(&self) -> Option<Location> {
        match self {
            Self::Io { path, .. } => Some(Location::file(path)),
            Self::Manifest { file, position, .. } => Some(Location::at(file, *position)),
            Self::Compile {
                file, line, column, ..
            } => Some(Location::at(file, Some((*line, *column)))),
            Self::Metadata { file, .. } | Self::ScriptTooLarge { file, .. } => {
                Some(Location::file(file))
            }
        }
    }

    /// What is wrong, without the location `Display` puts first (all of it for an error
    /// without a location, or whose message names its path in words).
    #[must_use]
    pub fn detail(&self) -> String {
        match self {
            Self::Manifest { message, .. } => message.clone(),
            Self::Compile { rule, message, .. } => format!("rule `{rule}`: {message}"),
            Self::Metadata { rule, message, .. } => format!("rule `{rule}`: {message}"),
            Self::ScriptTooLarge { bytes, limit, .. } => format!(
                "the rule script is {bytes} bytes, more than the limit of {limit} bytes; split the rule or move its data into parameters"
            ),
            Self::Io { .. } => self.to_string(),
        }
    }
}

impl BuildError {
    /// Where the problem is, when it is in a file: the file, and the line, column and entry
    /// (an overlay's entry, as the pointer) when known.
    #[must_use]
    pub fn location(&self) -> Option<Location> {
        match self {
            Self::Pack(e) => e.location(),
            Self::Duplicate { file, .. } => Some(Location::file(file)),
            Self::Overlay(o) => Some(Location {
                pointer: Some(o.entry().to_owned()),
                ..Location::at(o.file(), o.line().zip(o.column()))
            }),
            Self::Branches { file, position, .. } => Some(Location {
                pointer: Some("extends".to_owned()),
                ..Location::at(file, *position)
            }),
            Self::EngineVersion { .. } | Self::UnknownOverlay { .. } | Self::Plugin(_) => None,
        }
    }

    /// What is wrong, without the location `Display` puts first (all of it for an error
    /// without a location).
    #[must_use]
    pub fn detail(&self) -> String {
        match self {
            Self::Pack(e) => e.detail(),
            Self::Duplicate {
                what, id, first, ..
            } => format!("duplicate {what} `{id}` (first defined in {first})"),
            Self::Overlay(o) => o.detail(),
            Self::Branches { .. } => format!("`extends`: {}", self.branches_text("")),
            other => other.to_string(),
        }
    }

    /// The kind of overlay refusal, for an overlay entry that cannot be layered and for
    /// overlays that are not one chain ([`OverlayErrorKind::Branches`]).
    #[must_use]
    pub fn overlay_kind(&self) -> Option<OverlayErrorKind> {
        match self {
            Self::Overlay(o) => Some(o.kind()),
            Self::Branches { .. } => Some(OverlayErrorKind::Branches),
            _ => None,
        }
    }

    /// The words of a [`BuildError::Branches`], with `how` naming the way to choose one
    /// chain before the library's own (a program's flag, say); empty for another error.
    #[must_use]
    pub fn branches_text(&self, how: &str) -> String {
        let Self::Branches {
            leaf,
            other,
            shared,
            ..
        } = self
        else {
            return String::new();
        };
        let shared = shared
            .as_ref()
            .map_or_else(|| "the standard".to_owned(), |s| format!("`{s}`"));
        let how = if how.is_empty() {
            "`EngineBuilder::overlay`".to_owned()
        } else {
            format!("{how} (`EngineBuilder::overlay`)")
        };
        format!(
            "overlays `{leaf}` and `{other}` both apply but are not one chain (both build on {shared}); an evaluation uses one chain: choose one with {how}, or declare `applies_to` in each so that each community matches one"
        )
    }
}

/// An entry of a layer (`extends`, `set_params.<name>`, `rules."<id>"`, `categories.<id>`)
/// that cannot be applied: names the manifest, the entry, its line and column when known,
/// and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayError {
    file: String,
    position: Option<(usize, usize)>,
    entry: String,
    kind: OverlayErrorKind,
    message: String,
}

/// What kind of problem an [`OverlayError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OverlayErrorKind {
    /// `extends` names a pack that is not loaded.
    MissingBase,
    /// The base pack's version does not satisfy `extends.version`.
    BaseVersion,
    /// `extends` names a pack of a later layer (a category pack cannot extend an overlay).
    BaseLayer,
    /// Packs extend each other in a cycle.
    Cycle,
    /// A rule id no lower layer defines.
    UnknownRule,
    /// A parameter no lower layer declares.
    UnknownParameter,
    /// A value of another type than the parameter's (a list for a number…).
    WrongType,
    /// A unit other than the parameter's.
    WrongUnit,
    /// A value outside what the unit allows (a share above 1, a negative count).
    OutOfRange,
    /// The change loosens the standard and is not declared a derogation.
    Loosens,
    /// The entry declares a derogation but loosens nothing.
    NotLoosening,
    /// A disabled rule or a derogation without its justification or document.
    MissingJustification,
    /// A change between `shall` and `shall-not`, or contradicting fields.
    Conflict,
    /// A date that is not a date, or an effective window that ends before it starts.
    Dates,
    /// A new category without a name.
    MissingName,
    /// A parameter's `stricter` does not fit its value (a list cannot be `higher`).
    Declaration,
    /// Two overlays that both apply lie on different branches (two districts of one city):
    /// an evaluation uses one chain.
    Branches,
    /// The scoring model is unsound: bands unsorted or not finite, a cap that is no grade,
    /// an unknown or missing dimension, weights not adding up to 100 or out of range.
    Scoring,
}

impl OverlayError {
    /// An overlay refusal of `entry` in `file` (at `position`, 1-based line and column).
    #[must_use]
    pub fn new(
        file: impl Into<String>,
        position: Option<(usize, usize)>,
        entry: impl Into<String>,
        kind: OverlayErrorKind,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            position,
            entry: entry.into(),
            kind,
            message: message.into(),
        }
    }

    /// The manifest file.
    #[must_use]
    pub fn file(&self) -> &str {
        &self.file
    }

    /// 1-based line of the entry in `pack.toml`, when known.
    #[must_use]
    pub fn line(&self) -> Option<usize> {
        self.position.map(|p| p.0)
    }

    /// 1-based column of the entry, when known.
    #[must_use]
    pub fn column(&self) -> Option<usize> {
        self.position.map(|p| p.1)
    }

    /// The entry, e.g. `set_params.premises_min_m2` or `rules."6.4.3"`.
    #[must_use]
    pub fn entry(&self) -> &str {
        &self.entry
    }

    /// What kind of problem it is.
    #[must_use]
    pub const fn kind(&self) -> OverlayErrorKind {
        self.kind
    }

    /// What is wrong, in words.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl OverlayError {
    /// The entry and what is wrong with it, without the file and position.
    fn detail(&self) -> String {
        format!("`{}`: {}", self.entry, self.message)
    }
}

impl std::fmt::Display for OverlayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let location = Location::at(self.file.clone(), self.position);
        write!(f, "{location}: {}", self.detail())
    }
}

impl std::error::Error for OverlayError {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use std::error::Error as _;

    use super::*;
    use crate::pack::{Manifest, Pack, PackSet};

    #[test]
    fn a_manifest_error_carries_its_position_in_fields() {
        let e = Manifest::parse("id = \"x\"\nversion = \n", "p/pack.toml").unwrap_err();
        let at = e.location().unwrap();
        assert_eq!(
            (at.file.as_str(), at.position()),
            ("p/pack.toml", Some((2, 11)))
        );
        assert_eq!(at.to_string(), "p/pack.toml:2:11");
        // `Display` as before: the file, then the position and the message.
        assert_eq!(e.to_string(), format!("p/pack.toml: 2:11: {}", e.detail()));
        assert!(!e.detail().starts_with('2'), "{}", e.detail());
    }

    #[test]
    fn an_unreadable_pack_has_the_operating_systems_error_as_source() {
        let e = Pack::from_dir("/nonexistent/pack/dir").unwrap_err();
        let source = e.source().unwrap();
        assert!(e.to_string().ends_with(&source.to_string()), "{e}");
        assert_eq!(
            e.location().unwrap().file,
            "/nonexistent/pack/dir/pack.toml"
        );
        assert_eq!(e.clone(), e, "still Clone and PartialEq");
        // Not a directory at all: no operating system's error to give.
        let e = Pack::dirs(std::path::Path::new("/nonexistent/packs")).unwrap_err();
        assert!(e.source().is_none());
    }

    #[test]
    fn an_unknown_overlay_is_named_with_the_loaded_ones_and_no_command_line_advice() {
        let set = PackSet::new(Pack::embedded().unwrap());
        let e = set.named("binjang").unwrap_err();
        assert!(
            matches!(&e, BuildError::UnknownOverlay { id, loaded, .. } if id == "binjang" && loaded.is_empty())
        );
        assert_eq!(
            e.to_string(),
            "overlay `binjang`: no overlay of that id is loaded (loaded: none)"
        );
        assert!(e.location().is_none());
    }

    #[test]
    fn an_overlay_error_has_its_entry_as_the_pointer() {
        let e = BuildError::Overlay(OverlayError::new(
            "o/pack.toml",
            Some((8, 1)),
            "extends",
            OverlayErrorKind::MissingBase,
            "extends `x` `^1`, which is not among the packs loaded (standard)",
        ));
        let at = e.location().unwrap();
        assert_eq!(at.pointer.as_deref(), Some("extends"));
        assert_eq!(at.to_string(), "o/pack.toml:8:1");
        assert_eq!(e.to_string(), format!("o/pack.toml:8:1: {}", e.detail()));
        assert!(!e.to_string().contains("--pack"));
    }

    #[test]
    fn a_build_error_over_one_pack_reads_as_it_and_has_it_as_source() {
        let pack = Manifest::parse("id = \"x\"\nversion = \n", "p/pack.toml").unwrap_err();
        let e = BuildError::from(pack.clone());
        assert_eq!(e.to_string(), pack.to_string());
        assert_eq!(e.detail(), pack.detail());
        assert_eq!(e.location(), pack.location());
        let source = e.source().unwrap();
        assert_eq!(
            source.downcast_ref::<PackError>(),
            Some(&pack),
            "the pack's error is the source"
        );
        assert!(e.overlay_kind().is_none());
    }
}
