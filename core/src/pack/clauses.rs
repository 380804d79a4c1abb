//! `clauses.toml`: the provisions of an edition, as the standard states them.

use std::path::Path;

use serde::Deserialize;

use super::{Level, Pack, PackError};

/// `clauses.toml` of a pack: the clauses of its edition that make provisions.
///
/// ```toml
/// edition = "杭州 2025 团体标准（征求意见稿编号待定）"
///
/// [[clause]]
/// id = "5.1.1"
/// level = "shall"
/// text = "配套用房建筑面积应不少于1500 m²。"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseList {
    /// The edition the list is taken from.
    #[serde(default)]
    pub edition: Option<String>,
    /// The clauses, in the order written.
    #[serde(default, rename = "clause")]
    pub clauses: Vec<ClauseEntry>,
}

/// One clause of the edition.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseEntry {
    /// Clause id, e.g. `5.1.1`.
    pub id: String,
    /// Provision type.
    pub level: Level,
    /// The Chinese text as published (authoritative), when given.
    #[serde(default)]
    pub text: Option<String>,
    /// `note` when the explanatory note states the clause, else `proposal` (`icgs lint`
    /// requires it; undeclared is read as `proposal`).
    #[serde(default)]
    pub origin: Option<super::Origin>,
    /// Where the origin is stated (a document and section).
    #[serde(default)]
    pub source: Option<String>,
}

impl ClauseList {
    /// Parses `clauses.toml` text; `file` names it in errors.
    ///
    /// # Errors
    /// The text is not TOML or does not fit the format (the message has line and column).
    pub fn parse(text: &str, file: &str) -> Result<Self, PackError> {
        toml::from_str(text).map_err(|e| crate::pack::toml_error(file, text, &e))
    }

    /// The list of `pack`: `clauses.toml` in its directory, or the embedded list of an
    /// embedded pack; `None` when it has none.
    ///
    /// # Errors
    /// The file exists but cannot be read or parsed.
    pub fn for_pack(pack: &Pack) -> Result<Option<Self>, PackError> {
        if let Some(dir) = pack.source.strip_prefix("embedded:") {
            return super::embedded_file(&format!("{dir}/clauses.toml"))
                .map(|text| Self::parse(text, &format!("embedded:{dir}/clauses.toml")))
                .transpose();
        }
        let path = Path::new(&pack.source).join("clauses.toml");
        if !path.is_file() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path).map_err(|e| PackError::io(path.display(), e))?;
        Self::parse(&text, &path.display().to_string()).map(Some)
    }
}
