//! Golden files: compare a generated text with its committed copy, or, under `ICGS_BLESS=1`,
//! write it. Every golden test of the workspace goes through [`compare_or_bless`].

use std::path::Path;

/// Whether this run regenerates the golden files (`ICGS_BLESS` is set).
#[must_use]
pub fn blessing() -> bool {
    std::env::var_os("ICGS_BLESS").is_some()
}

/// Under `ICGS_BLESS=1`, writes `got` to `path`; otherwise compares it with the committed
/// file (`\r\n` read as `\n`).
///
/// # Errors
/// The file differs (or is missing, or cannot be written): `PATH differs from line N`.
pub fn compare_or_bless(path: &Path, got: &str) -> Result<(), String> {
    if blessing() {
        return std::fs::write(path, got).map_err(|e| format!("{}: {e}", path.display()));
    }
    let want = std::fs::read_to_string(path)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    if want == got {
        return Ok(());
    }
    Err(format!(
        "{} differs from line {}",
        path.display(),
        first_difference(&want, got)
    ))
}

/// The 1-based line where `a` and `b` first differ (one past the shorter when one is a
/// prefix of the other).
fn first_difference(a: &str, b: &str) -> usize {
    a.lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .map_or_else(|| a.lines().count().min(b.lines().count()) + 1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::first_difference;

    #[test]
    fn the_first_differing_line_is_named() {
        assert_eq!(first_difference("a\nb\nc", "a\nx\nc"), 2);
        assert_eq!(first_difference("a\nb", "a\nb\nc"), 3);
        assert_eq!(first_difference("", "a"), 1);
    }
}
