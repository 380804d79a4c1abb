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
}
