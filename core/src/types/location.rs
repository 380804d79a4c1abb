//! Places in source text: a file's line and column, and the one line index that finds them.

use std::fmt;

/// Where a problem is: the file and, when known, the 1-based line and column (in characters,
/// as editors count) and the entry (`set_params.premises_min_m2`, a TOML key path) or JSON
/// pointer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Location {
    /// The file (a path, or `embedded:<pack>/…`).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based character column, when known.
    pub column: Option<usize>,
    /// The entry or JSON pointer, when the problem is about one.
    pub pointer: Option<String>,
}

impl Location {
    /// A file, without a position.
    #[must_use]
    pub fn file(file: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            ..Self::default()
        }
    }

    /// A position in `file`, when known (line, column).
    #[must_use]
    pub fn at(file: impl Into<String>, position: Option<(usize, usize)>) -> Self {
        Self {
            file: file.into(),
            line: position.map(|p| p.0),
            column: position.map(|p| p.1),
            pointer: None,
        }
    }

    /// The place of byte `offset` of `text`, the contents of `file`.
    #[must_use]
    pub fn at_offset(file: impl Into<String>, text: &str, offset: usize) -> Self {
        Self::at(file, Some(LineIndex::new(text).position(offset)))
    }

    /// The line and column, when both are known.
    #[must_use]
    pub fn position(&self) -> Option<(usize, usize)> {
        self.line.zip(self.column)
    }
}

impl fmt::Display for Location {
    /// `file:line:column`, or `file` when the position is not known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position() {
            Some((line, column)) => write!(f, "{}:{line}:{column}", self.file),
            None => f.write_str(&self.file),
        }
    }
}

/// Where each line of a text starts, so that a byte offset becomes a line and column by a
/// binary search, not a scan. Built once per text when many offsets are looked up (every
/// problem of a profile); [`LineIndex::line_column`] for one.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a [u8],
    /// Byte offset of each line's start.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// The index of `text` (a `str` or bytes that may not be UTF-8).
    #[must_use]
    pub fn new<T: AsRef<[u8]> + ?Sized>(text: &'a T) -> Self {
        let text = text.as_ref();
        let mut starts = vec![0];
        starts.extend(
            text.iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { text, starts }
    }

    /// 1-based line and column of byte `offset` of `text`, without keeping an index.
    #[must_use]
    pub fn line_column<T: AsRef<[u8]> + ?Sized>(text: &T, offset: usize) -> (usize, usize) {
        LineIndex::new(text).position(offset)
    }

    /// 1-based line and column (in characters; in bytes on a line that is not UTF-8) of a
    /// byte offset; an offset past the end is the end.
    #[must_use]
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let prefix = self.text.get(start..offset).unwrap_or_default();
        let column = match std::str::from_utf8(prefix) {
            Ok(s) => s.chars().count(),
            Err(_) => prefix.len(),
        };
        (line, column + 1)
    }

    /// Byte offset of a 1-based line and a 1-based *byte* column (as `serde_json` reports).
    #[must_use]
    pub fn offset(&self, line: usize, byte_column: usize) -> usize {
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        (start + byte_column.saturating_sub(1)).min(self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::{LineIndex, Location};

    #[test]
    fn positions_count_characters_from_one() {
        let text = "ab\n中文x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), (1, 1));
        assert_eq!(index.position(2), (1, 3));
        assert_eq!(index.position(3), (2, 1));
        assert_eq!(index.position(9), (2, 3), "after two three-byte characters");
        assert_eq!(index.position(99), (3, 1), "past the end is the end");
        assert_eq!(index.offset(2, 7), 9);
        assert_eq!(LineIndex::line_column(text.as_bytes(), 3), (2, 1));
        assert_eq!(
            Location::at_offset("f.toml", text, 9).to_string(),
            "f.toml:2:3"
        );
    }
}
