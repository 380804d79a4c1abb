/// A pack could not be read or is malformed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PackError {
    /// A file or directory could not be read.
    #[error("cannot read `{path}`: {message}")]
    Io {
        /// The path.
        path: String,
        /// The operating system's reason.
        message: String,
    },
    /// The manifest is not valid TOML or misses a field.
    #[error("{file}: {message}")]
    Manifest {
        /// The manifest file.
        file: String,
        /// What is wrong, with line and column when known.
        message: String,
    },
    /// A rule script does not compile.
    #[error("{file}:{line}:{column}: rule `{rule}`: {message}")]
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
    #[error(
        "{file}: the rule script is {bytes} bytes, more than the limit of {limit} bytes; split the rule or move its data into parameters"
    )]
    ScriptTooLarge {
        /// The script file.
        file: String,
        /// Its size, or the limit plus one when it was not read whole.
        bytes: usize,
        /// The largest script compiled ([`crate::MAX_SCRIPT_BYTES`]).
        limit: usize,
    },
    /// A rule's `RULE` metadata is missing or invalid.
    #[error("{file}: rule `{rule}`: {message}")]
    Metadata {
        /// The script file.
        file: String,
        /// The rule id, or the file name when the id could not be read.
        rule: String,
        /// What is wrong.
        message: String,
    },
    /// Two rules, categories or packs share an id.
    #[error("{file}: duplicate {what} `{id}` (first defined in {first})")]
    Duplicate {
        /// What kind of thing: rule, category, pack.
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
    /// The overlay chain asked for cannot be chosen (`--overlay` names no loaded overlay).
    #[error("{message}")]
    Chain {
        /// What is wrong, with the overlays loaded.
        message: String,
    },
    /// A native plugin was refused.
    #[error(transparent)]
    Plugin(#[from] crate::plugin::PluginError),
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
    pub(crate) fn new(
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

impl std::fmt::Display for OverlayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column}: ", self.file)?,
            None => write!(f, "{}: ", self.file)?,
        }
        write!(f, "`{}`: {}", self.entry, self.message)
    }
}

impl std::error::Error for OverlayError {}
