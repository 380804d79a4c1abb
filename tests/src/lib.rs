//! Shared helpers of the workspace's cross-crate and data-driven tests.
//!
//! The pack test cases (`policies/**/tests/**/*.json`, one file one test) are read and run
//! by [`icgs_tools::testing`], the same code `icgs test` uses; `tests/policy_cases.rs` turns each
//! case file into one test named by its path.

pub mod golden;
pub mod plugins;

use std::path::{Path, PathBuf};

/// The workspace root.
#[must_use]
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The shipped pack directories whose cases `cargo test` runs, in layer order: the standard,
/// the categories and the example overlays (those that exist).
#[must_use]
pub fn shipped_pack_dirs() -> Vec<PathBuf> {
    let policies = workspace_root().join("policies");
    ["standard", "categories", "overlays"]
        .iter()
        .map(|d| policies.join(d))
        .filter(|d| d.is_dir())
        .collect()
}

/// The example profiles (`examples/profiles/*.json`), sorted: each file's stem and bytes.
///
/// # Panics
/// When the folder or a file cannot be read (a test set-up error).
#[must_use]
#[allow(clippy::unwrap_used, reason = "test set-up")]
pub fn example_profiles() -> Vec<(String, Vec<u8>)> {
    let dir = workspace_root().join("examples/profiles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&p).unwrap();
            (name, bytes)
        })
        .collect()
}

/// A path for people: relative to the workspace root, with `/` separators.
#[must_use]
pub fn display_path(path: &Path) -> String {
    let root = workspace_root();
    let root = root.canonicalize().unwrap_or(root);
    let full = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    full.strip_prefix(&root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
