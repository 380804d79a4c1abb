//! Policy packs: a manifest (`pack.toml`) plus one Rhai file per rule.
//!
//! The standard itself, each built-in category and each city overlay is a pack. Packs are
//! read from a directory or from the files embedded in this crate; rule metadata is read
//! from each script's literal `RULE` constant without running the script.
//!
//! Packs are layers: the standard, then categories, then overlays (a province, a city, a
//! district), each overlay `extends` the pack below it and changes parameter values, rule
//! levels, categories, or disables rules, and adds rules of its own. A change that loosens
//! the standard must be declared a [`Derogation`]. Every value and rule keeps the layer that
//! set it ([`ParamHistory`], [`RuleHistory`]); see `docs/overlays.md`.

mod chain;
mod changes;
mod clauses;
mod engines;
mod error;
mod manifest;
mod meta;
pub(crate) mod overlay;
mod scoring;

use std::path::{Path, PathBuf};

pub use chain::{AppliesTo, Chain, PackSet};
pub use changes::{
    CategoryChange, Derogation, Extends, Locations, ParamChange, RuleChange, Stricter,
};
pub use clauses::{ClauseEntry, ClauseList};
pub use engines::Engines;
pub use error::{BuildError, IoSource, Location, OverlayError, OverlayErrorKind, PackError};
pub(crate) use manifest::toml_error;
pub use manifest::{CategoryDef, Manifest, ParamDef, ParamValue, Scoring};
pub use meta::{PROPOSAL_LEGEND_EN, PROPOSAL_LEGEND_ZH, RuleMeta};
// Moved to the vocabulary module (`crate::types`).
pub use crate::types::{Dimension, Layer, Level, Origin, Text};
pub use overlay::{
    CategoryHistory, CategoryStep, ParamHistory, ParamStep, RuleHistory, RuleState, RuleStep,
    RuleStepKind,
};
pub use scoring::{GradeBand, GradeScale, LEVELS, WEIGHT_RANGE};
pub(crate) use scoring::{
    Loosening as ScoringLoosening, error as scoring_error, judge as scoring_judge,
};

/// Reads a `YYYY-MM-DD` date of rule metadata.
pub(crate) fn changes_date_checked(text: &str) -> Result<chrono::NaiveDate, String> {
    changes::date::checked(text)
}

/// A pack's files, read but not yet compiled.
///
/// ```
/// use icgs::pack::Pack;
///
/// let standard = Pack::from_dir("../policies/standard")?;
/// assert_eq!(standard.manifest.id, "standard");
/// assert!(standard.rules.iter().any(|(path, _)| path.ends_with("4.1.1.rhai")));
/// // The same pack is compiled into the crate.
/// let embedded = Pack::embedded()?;
/// assert!(embedded.iter().any(|p| p.manifest.id == "standard"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Pack {
    /// The parsed manifest.
    pub manifest: Manifest,
    /// Where the pack came from: a directory, or `embedded:<name>`.
    pub source: String,
    /// Rule scripts, sorted by path: (path relative to the pack, text).
    pub rules: Vec<(String, String)>,
}

/// Files of the packs compiled into this crate: (path under `policies/`, text).
const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_policies.rs"));

/// An embedded file by its path under `policies/` (`standard/clauses.toml`).
pub(crate) fn embedded_file(path: &str) -> Option<&'static str> {
    EMBEDDED.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}

impl Pack {
    /// Reads a pack from its directory: `pack.toml` and every `rules/**/*.rhai`.
    ///
    /// # Errors
    /// When the directory or a file cannot be read, or the manifest is invalid.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Self, PackError> {
        let dir = dir.as_ref();
        let manifest_path = dir.join("pack.toml");
        let text = read(&manifest_path)?;
        let mut manifest = Manifest::parse(&text, &manifest_path.display().to_string())?;
        manifest.load_files(&dir.display().to_string(), |name| read(&dir.join(name)))?;
        let mut rules = Vec::new();
        let rules_dir = dir.join("rules");
        if rules_dir.is_dir() {
            collect_rhai(&rules_dir, &mut rules)?;
        }
        let mut rules: Vec<(String, String)> = rules
            .into_iter()
            .map(|(path, text)| (path.display().to_string(), text))
            .collect();
        rules.sort();
        Ok(Self {
            manifest,
            source: dir.display().to_string(),
            rules,
        })
    }

    /// The pack in `dir`, or when `dir` has no `pack.toml`, every pack below it (two levels
    /// deep, sorted), so `policies/` yields the standard and each category.
    ///
    /// # Errors
    /// When no pack is found or one cannot be read.
    pub fn discover(dir: impl AsRef<Path>) -> Result<Vec<Self>, PackError> {
        Self::dirs(dir.as_ref())?
            .iter()
            .map(Self::from_dir)
            .collect()
    }

    /// The pack directories [`Pack::discover`] reads: `dir` itself when it holds a
    /// `pack.toml`, else the directories below it (two levels) that do, sorted.
    ///
    /// # Errors
    /// When `dir` is not a directory, cannot be read, or holds no pack.
    pub fn dirs(dir: &Path) -> Result<Vec<PathBuf>, PackError> {
        if dir.join("pack.toml").is_file() {
            return Ok(vec![dir.to_path_buf()]);
        }
        if !dir.is_dir() {
            return Err(PackError::unreadable(dir.display(), "no such directory"));
        }
        let mut found = Vec::new();
        let mut level = vec![dir.to_path_buf()];
        for _ in 0..2 {
            let mut next = Vec::new();
            for d in &level {
                let entries = std::fs::read_dir(d).map_err(|e| PackError::io(d.display(), e))?;
                let mut subdirs: Vec<PathBuf> = entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_dir())
                    .collect();
                subdirs.sort();
                for sub in subdirs {
                    if sub.join("pack.toml").is_file() {
                        found.push(sub);
                    } else {
                        next.push(sub);
                    }
                }
            }
            level = next;
        }
        if found.is_empty() {
            return Err(PackError::unreadable(
                dir.display(),
                "no `pack.toml` here or in the directories below",
            ));
        }
        Ok(found)
    }

    /// Orders packs as an engine resolves them: by layer (standard, category, overlay,
    /// plugin), each pack after the pack it `extends`, otherwise in the order given; so a
    /// directory of overlays can be given in any order.
    ///
    /// # Errors
    /// An `extends` whose base is missing, of another version or of a later layer, or packs
    /// extending each other in a cycle ([`OverlayError`], naming the manifest and line).
    pub fn in_layer_order(packs: Vec<Self>) -> Result<Vec<Self>, BuildError> {
        overlay::order(packs)
    }

    /// The packs embedded in this crate: the standard and the four built-in categories.
    ///
    /// # Errors
    /// Never for a correctly built crate; an embedded pack that does not parse is reported.
    pub fn embedded() -> Result<Vec<Self>, PackError> {
        let mut packs: Vec<Self> = Vec::new();
        let mut dirs: Vec<&str> = EMBEDDED
            .iter()
            .filter_map(|(p, _)| p.strip_suffix("/pack.toml"))
            .collect();
        dirs.sort();
        for dir in dirs {
            let name = format!("embedded:{dir}");
            let manifest_text = EMBEDDED
                .iter()
                .find(|(p, _)| p.strip_suffix("/pack.toml") == Some(dir))
                .map(|(_, t)| *t)
                .unwrap_or_default();
            let mut manifest = Manifest::parse(manifest_text, &format!("{name}/pack.toml"))?;
            manifest.load_files(&name, |file| {
                let path = format!("{dir}/{file}");
                EMBEDDED
                    .iter()
                    .find(|(p, _)| *p == path)
                    .map(|(_, t)| (*t).to_owned())
                    .ok_or_else(|| {
                        PackError::unreadable(
                            format!("{name}/{file}"),
                            "no such file in the embedded pack",
                        )
                    })
            })?;
            let prefix = format!("{dir}/rules/");
            let mut rules: Vec<(String, String)> = EMBEDDED
                .iter()
                .filter(|(p, _)| p.starts_with(&prefix) && p.ends_with(".rhai"))
                .map(|(p, t)| (format!("policies/{p}"), (*t).to_owned()))
                .collect();
            rules.sort();
            packs.push(Self {
                manifest,
                source: name,
                rules,
            });
        }
        // The standard first, then categories, as the layers resolve.
        packs.sort_by_key(|p| (p.manifest.layer, p.manifest.id.clone()));
        Ok(packs)
    }
}

fn read(path: &Path) -> Result<String, PackError> {
    std::fs::read_to_string(path).map_err(|e| PackError::io(path.display(), e))
}

/// Every `*.rhai` file below `dir` with its text; a symbolic link loop is an error.
fn collect_rhai(dir: &Path, out: &mut Vec<(PathBuf, String)>) -> Result<(), PackError> {
    let files = crate::walk::files(dir, |p| p.extension().is_some_and(|e| e == "rhai"))
        .map_err(|(path, message)| PackError::unreadable(path, message))?;
    for path in files {
        let text = read_script(&path)?;
        out.push((path, text));
    }
    Ok(())
}

/// Reads a rule script, refusing one longer than the engine compiles without reading more
/// than the limit (a huge file, a device).
fn read_script(path: &Path) -> Result<String, PackError> {
    use std::io::Read;
    let limit = crate::MAX_SCRIPT_BYTES;
    let io = |e| PackError::io(path.display(), e);
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > limit {
        let bytes = std::fs::metadata(path).map_or(limit + 1, |m| {
            usize::try_from(m.len())
                .unwrap_or(usize::MAX)
                .max(limit + 1)
        });
        return Err(PackError::ScriptTooLarge {
            file: path.display().to_string(),
            bytes,
            limit,
        });
    }
    String::from_utf8(bytes)
        .map_err(|e| PackError::unreadable(path.display(), format!("not UTF-8 text: {e}")))
}
