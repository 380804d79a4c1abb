//! Errors of the operations on profiles.

use std::fmt;

use super::Problem;

/// A profile could not be read into the typed model; see [`crate::read_profile`].
///
/// Every variant carries all problems found, not only the first.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The bytes are not a JSON object: too large, not UTF-8, empty, nested too deeply,
    /// malformed JSON, or an array or scalar at the top level.
    #[error("cannot read profile `{}`: {}", .0.source_name, .0)]
    Unreadable(ProfileProblems),
    /// The JSON object does not fit the profile model: a value of the wrong type, an unknown
    /// enumerated value, a missing `id` or `as_of`…
    #[error("profile `{}` does not fit the profile model: {}", .0.source_name, .0)]
    Invalid(ProfileProblems),
    /// The profile is written in another version of the format (`schema_version`); a `1.0`
    /// profile is converted with `icgs migrate`.
    #[error("profile `{}`: {}", .0.source_name, .0)]
    Version(ProfileProblems),
}

impl ProfileError {
    /// Every problem found, ordered by position.
    #[must_use]
    pub fn problems(&self) -> &[Problem] {
        &self.detail().problems
    }

    /// The name of the source, as given to [`crate::read_profile`].
    #[must_use]
    pub fn source_name(&self) -> &str {
        &self.detail().source_name
    }

    /// Takes the problems out of the error.
    #[must_use]
    pub fn into_problems(self) -> Vec<Problem> {
        match self {
            Self::Unreadable(d) | Self::Invalid(d) | Self::Version(d) => d.problems,
        }
    }

    fn detail(&self) -> &ProfileProblems {
        match self {
            Self::Unreadable(d) | Self::Invalid(d) | Self::Version(d) => d,
        }
    }
}

/// The source name and problems carried by a [`ProfileError`].
///
/// `Display` shows the first problem and how many more there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileProblems {
    source_name: String,
    problems: Vec<Problem>,
}

impl ProfileProblems {
    pub(crate) fn new(source_name: &str, problems: Vec<Problem>) -> Self {
        Self {
            source_name: source_name.to_owned(),
            problems,
        }
    }

    /// The name of the source.
    #[must_use]
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// Every problem found, ordered by position.
    #[must_use]
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for ProfileProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(first) = self.problems.first() else {
            return f.write_str("no details");
        };
        if let (Some(line), Some(column)) = (first.line(), first.column()) {
            write!(f, "{line}:{column}: ")?;
        }
        let pointer = if first.pointer().is_empty() {
            "/"
        } else {
            first.pointer()
        };
        write!(f, "{pointer}: {}", first.message())?;
        match self.problems.len() {
            1 => Ok(()),
            2 => f.write_str(" (and 1 more problem)"),
            n => write!(f, " (and {} more problems)", n - 1),
        }
    }
}
