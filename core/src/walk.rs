//! Directory walks of packs (`rules/`, `tests/`): symbolic links to directories are
//! followed, as a pack may be assembled from links, but a link back to a directory being
//! walked (a loop) is an error naming it instead of an endless walk.

use std::path::{Path, PathBuf};

/// The files below `dir` (at any depth) that `keep` accepts, sorted.
///
/// # Errors
/// A directory cannot be read, or a symbolic link loops back to a directory above it:
/// (the path, what is wrong).
pub fn files(dir: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>, (String, String)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(true) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).display().to_string();
            let message = match e.loop_ancestor() {
                Some(ancestor) => format!(
                    "a symbolic link loops back to `{}`; remove the link",
                    ancestor.display()
                ),
                None => e
                    .io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string),
            };
            (path, message)
        })?;
        if entry.file_type().is_file() && keep(entry.path()) {
            out.push(entry.into_path());
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn a_symbolic_link_loop_is_an_error_not_a_hang() {
        let dir = std::env::temp_dir().join(format!("icgs-walk-loop-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::write(dir.join("a/x.rhai"), "").unwrap();
        std::os::unix::fs::symlink(&dir, dir.join("a/up")).unwrap();
        std::os::unix::fs::symlink(dir.join("a"), dir.join("a/self")).unwrap();
        let (path, message) = files(&dir, |_| true).unwrap_err();
        assert!(message.contains("loops back"), "{message}");
        assert!(path.contains("icgs-walk-loop"), "{path}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
