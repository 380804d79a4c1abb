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
