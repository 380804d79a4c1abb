//! The case file format and how a case becomes profile bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use icgs::model::merge_patch;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use icgs::report::Outcome;

/// One case file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case shows, in a sentence.
    pub description: String,
    /// The profile the case starts from: a file relative to the case file.
    #[serde(default)]
    pub base: Option<String>,
    /// The profile the case starts from, inline (instead of `base`).
    #[serde(default)]
    pub profile: Option<Value>,
    /// Applied to the profile: an object is an RFC 7386 merge patch (objects merge, anything
    /// else replaces, `null` deletes); an array is an RFC 6902 JSON Patch (operations that
    /// change one element of an array, e.g. `{"op": "replace", "path": "/staff/0/hours",
    /// "value": 10}`). None leaves the profile as it is.
    #[serde(default)]
    pub patch: Option<Value>,
    /// Expected results by rule id.
    pub expect: BTreeMap<String, Expect>,
}

/// What one rule must give.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The outcome.
    pub outcome: Outcome,
    /// The observed value, when given (`null` included).
    #[serde(default, deserialize_with = "present")]
    pub observed: Option<Value>,
    /// The required value, when given (`null` included).
    #[serde(default, deserialize_with = "present")]
    pub required: Option<Value>,
    /// The result's message, when given: the exact text in each language named.
    #[serde(default)]
    pub message: Option<ExpectMessage>,
}

/// A result's message as a case expects it (`{ "zh": "…" }`, `{ "en": "…" }` or both).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectMessage {
    /// The Chinese message.
    #[serde(default)]
    pub zh: Option<String>,
    /// The English message.
    #[serde(default)]
    pub en: Option<String>,
}

/// A field that is present is `Some`, also when it is `null`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// A case file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// A file cannot be read.
    #[error("cannot read `{path}`: {message}")]
    Read {
        /// The file.
        path: String,
        /// The operating system's reason.
        message: String,
    },
    /// A file is not valid JSON or does not fit the case format.
    #[error("{path}:{line}:{column}: {message}")]
    Format {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The case is well formed JSON but incomplete or contradictory.
    #[error("{path}: {message}")]
    Invalid {
        /// The case file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The patched profile cannot be read into the profile model.
    #[error("{path}: the patched profile cannot be read:{message}")]
    Profile {
        /// The case file.
        path: String,
        /// The reader's problems, each on its own line (starting with a line break).
        message: String,
    },
}

impl Case {
    /// Reads and checks a case file.
    ///
    /// # Errors
    /// The file cannot be read, is not JSON, does not fit the format, names neither or both of
    /// `base` and `profile`, or expects nothing.
    pub fn read(path: &Path) -> Result<Self, CaseError> {
        let text = read_text(path)?;
        let case: Self = serde_json::from_str(&text).map_err(|e| format_error(path, &e))?;
        let invalid = |message: &str| CaseError::Invalid {
            path: path.display().to_string(),
            message: message.to_owned(),
        };
        match (&case.base, &case.profile) {
            (None, None) => {
                return Err(invalid(
                    "a case needs `base` (a profile file) or `profile` (an inline profile)",
                ));
            }
            (Some(_), Some(_)) => {
                return Err(invalid("a case has `base` or `profile`, not both"));
            }
            _ => {}
        }
        if case.expect.is_empty() {
            return Err(invalid(
                "`expect` is empty: name at least one rule and its outcome",
            ));
        }
        Ok(case)
    }

    /// The profile of the case, patched, as JSON bytes; `path` is the case file (bases are
    /// relative to it).
    ///
    /// # Errors
    /// The base file cannot be read or is not JSON, or a JSON Patch operation fails.
    pub fn profile_bytes(&self, path: &Path) -> Result<Vec<u8>, CaseError> {
        let mut profile = match (&self.base, &self.profile) {
            (Some(base), _) => {
                let base_path = confined(path, &base_path(path, base))?;
                let text = read_bounded(&base_path)?;
                serde_json::from_str(&text).map_err(|e| format_error(&base_path, &e))?
            }
            (None, Some(inline)) => inline.clone(),
            (None, None) => Value::Null,
        };
        match &self.patch {
            Some(Value::Array(ops)) => {
                super::json_patch::apply(&mut profile, ops).map_err(|message| {
                    CaseError::Invalid {
                        path: path.display().to_string(),
                        message,
                    }
                })?;
            }
            Some(patch) => merge_patch(&mut profile, patch),
            None => {}
        }
        serde_json::to_vec(&profile).map_err(|e| CaseError::Invalid {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }
}

/// The base file a case names, relative to the case file.
fn base_path(case: &Path, base: &str) -> PathBuf {
    case.parent().unwrap_or(Path::new(".")).join(base)
}

/// The base file canonicalised, when it lies in the case's own pack (the nearest directory
/// above the case holding a `pack.toml`) or under the `tests/` of a pack beside it in the
/// same tree (two levels up, as packs are discovered: `../../../../standard/tests/base.json`
/// from a category's case); anything else is refused, naming the case file.
fn confined(case: &Path, base: &Path) -> Result<PathBuf, CaseError> {
    let refuse = |why: String| CaseError::Invalid {
        path: case.display().to_string(),
        message: why,
    };
    let resolved = std::fs::canonicalize(base).map_err(|e| CaseError::Read {
        path: base.display().to_string(),
        message: e.to_string(),
    })?;
    let own = std::fs::canonicalize(case)
        .ok()
        .and_then(|c| pack_of(&c))
        .ok_or_else(|| refuse("the case is not inside a pack (no `pack.toml` above it)".into()))?;
    let tree = own.parent().and_then(Path::parent).unwrap_or(&own);
    let beside = resolved.starts_with(tree)
        && pack_of(&resolved).is_some_and(|other| resolved.starts_with(other.join("tests")));
    if resolved.starts_with(&own) || beside {
        Ok(resolved)
    } else {
        Err(refuse(format!(
            "`base` `{}` is outside the pack `{}`: a base must be a file of the pack, or of a pack beside it under its `tests/`",
            base.display(),
            own.display()
        )))
    }
}

/// The nearest directory above `path` that holds a `pack.toml`.
fn pack_of(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|d| d.join("pack.toml").is_file())
        .map(Path::to_path_buf)
}

/// Reads a base profile: a regular file of at most the profile limit
/// ([`icgs::ReadOptions::DEFAULT_MAX_BYTES`]), read through a bounded reader.
fn read_bounded(path: &Path) -> Result<String, CaseError> {
    use std::io::Read as _;
    let max = icgs::ReadOptions::DEFAULT_MAX_BYTES;
    let error = |message: String| CaseError::Read {
        path: path.display().to_string(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| error(e.to_string()))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(error("not a regular file".into()));
    }
    let mut bytes = Vec::new();
    file.take(u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| error(e.to_string()))?;
    if bytes.len() > max {
        return Err(error(format!(
            "larger than {max} bytes, the limit of a profile"
        )));
    }
    String::from_utf8(bytes).map_err(|e| error(format!("not UTF-8: {e}")))
}

fn read_text(path: &Path) -> Result<String, CaseError> {
    std::fs::read_to_string(path).map_err(|e| CaseError::Read {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

fn format_error(path: &Path, e: &serde_json::Error) -> CaseError {
    // serde_json appends " at line L column C"; the position is reported apart.
    let text = e.to_string();
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m)
        .to_owned();
    CaseError::Format {
        path: path.display().to_string(),
        line: e.line(),
        column: e.column(),
        message,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use serde_json::json;

    use super::*;

    #[test]
    fn an_expected_null_is_kept_apart_from_an_absent_value() {
        let e: Expect =
            serde_json::from_value(json!({"outcome": "not-applicable", "observed": null})).unwrap();
        assert_eq!(e.observed, Some(Value::Null));
        assert_eq!(e.required, None);
    }

    #[test]
    fn an_unknown_outcome_names_the_valid_ones() {
        let err = serde_json::from_value::<Expect>(json!({"outcome": "passes"})).unwrap_err();
        assert!(err.to_string().contains("`insufficient-data`"), "{err}");
    }
}
