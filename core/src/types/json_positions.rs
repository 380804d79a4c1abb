//! The one scanner of JSON text for positions: it pairs every value's JSON pointer with the
//! byte offsets of the value and of its key, without a parse tree, so that a problem found
//! in the parsed value (a profile's, a waiver file's) is shown at its line and column.

use std::collections::HashMap;

/// Offset just after the string that starts (with `"`) at `start`.
pub(crate) fn string_end(text: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        // Strings are most of a profile's bytes: jump to the next quote or backslash.
        i += memchr::memchr2(b'"', b'\\', text.get(i..)?)?;
        match *text.get(i)? {
            b'"' => return Some(i + 1),
            _ => i += 2,
        }
    }
}

/// Offset just after a scalar token (number, `true`, …) that starts at `start`.
pub(crate) fn token_end(text: &[u8], start: usize) -> usize {
    let mut i = start;
    while let Some(&b) = text.get(i) {
        if is_delimiter(b) {
            break;
        }
        i += 1;
    }
    i
}

pub(crate) fn skip_ws(text: &[u8], mut i: usize) -> usize {
    while text.get(i).is_some_and(|&b| is_ws(b)) {
        i += 1;
    }
    i
}

pub(crate) const fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

pub(crate) const fn is_delimiter(b: u8) -> bool {
    is_ws(b) || matches!(b, b',' | b']' | b'}' | b':' | b'[' | b'{' | b'"')
}

/// The span of one JSON value in the text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    /// Offset of the member's key, when the value is an object member.
    pub key: Option<usize>,
    /// Offset of the value's first byte.
    pub start: usize,
    /// Offset just after the value.
    pub end: usize,
}

enum Container {
    Object,
    Array(usize),
}

struct Frame {
    container: Container,
    start: usize,
    key: Option<usize>,
    pointer_len: usize,
}

impl Frame {
    /// The span of the container this frame opened, closed at `end`.
    const fn span(&self, end: usize) -> Span {
        Span {
            key: self.key,
            start: self.start,
            end,
        }
    }
}

fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Reads the key string at `pos`; returns it and the offset after it.
fn read_key(text: &[u8], pos: usize) -> Option<(String, usize)> {
    if text.get(pos) != Some(&b'"') {
        return None;
    }
    let end = string_end(text, pos)?;
    let quoted = text.get(pos..end)?;
    let key = if quoted.contains(&b'\\') {
        serde_json::from_slice::<String>(quoted).ok()?
    } else {
        std::str::from_utf8(quoted.get(1..quoted.len() - 1)?)
            .ok()?
            .to_owned()
    };
    Some((key, end))
}

/// Walks a JSON text and calls `visit` once per value, innermost values first, with the
/// value's JSON pointer and span. Iterative (no recursion); stops quietly at malformed text or
/// when `visit` returns `true`.
pub(crate) fn walk(text: &[u8], visit: &mut dyn FnMut(&str, Span) -> bool) {
    let _ = walk_inner(text, visit);
}

fn walk_inner(text: &[u8], visit: &mut dyn FnMut(&str, Span) -> bool) -> Option<()> {
    let mut pointer = String::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut pos = skip_ws(text, 0);
    let mut key: Option<usize> = None;
    loop {
        // A value starts at `pos`; `pointer` and `key` describe it.
        match *text.get(pos)? {
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                stack.push(Frame {
                    container: if open == b'{' {
                        Container::Object
                    } else {
                        Container::Array(0)
                    },
                    start: pos,
                    key,
                    pointer_len: pointer.len(),
                });
                pos = skip_ws(text, pos + 1);
                if *text.get(pos)? == close {
                    pos += 1;
                    let span = stack.pop()?.span(pos);
                    if visit(&pointer, span) {
                        return Some(());
                    }
                } else {
                    if open == b'{' {
                        key = Some(pos);
                        pos = member_value(text, pos, &mut pointer)?;
                    } else {
                        key = None;
                        pointer.push_str("/0");
                    }
                    continue;
                }
            }
            first => {
                let end = if first == b'"' {
                    string_end(text, pos)?
                } else {
                    Some(token_end(text, pos)).filter(|&end| end != pos)?
                };
                if visit(
                    &pointer,
                    Span {
                        key,
                        start: pos,
                        end,
                    },
                ) {
                    return Some(());
                }
                pos = end;
            }
        }
        // A value ended at `pos`: continue in its container.
        loop {
            let frame = stack.last_mut()?;
            pointer.truncate(frame.pointer_len);
            pos = skip_ws(text, pos);
            match *text.get(pos)? {
                b',' => {
                    pos = skip_ws(text, pos + 1);
                    match &mut frame.container {
                        Container::Object => {
                            key = Some(pos);
                            pos = member_value(text, pos, &mut pointer)?;
                        }
                        Container::Array(index) => {
                            *index += 1;
                            key = None;
                            pointer.push('/');
                            pointer.push_str(&index.to_string());
                        }
                    }
                    break;
                }
                b'}' | b']' => {
                    pos += 1;
                    let span = stack.pop()?.span(pos);
                    if visit(&pointer, span) {
                        return Some(());
                    }
                }
                _ => return None,
            }
        }
    }
}

/// Reads the member key at `pos` onto `pointer`; where the member's value starts.
fn member_value(text: &[u8], pos: usize, pointer: &mut String) -> Option<usize> {
    let (name, after) = read_key(text, pos)?;
    push_segment(pointer, &name);
    let colon = skip_ws(text, after);
    if *text.get(colon)? != b':' {
        return None;
    }
    Some(skip_ws(text, colon + 1))
}

/// The positions of the values of a JSON text down to a depth, looked up by JSON pointer.
#[derive(Debug, Clone, Default)]
pub(crate) struct JsonPositions {
    spans: HashMap<String, Span>,
}

impl JsonPositions {
    /// Every value of `text` at most `depth` members or items below the root (the root is
    /// depth 0). Malformed text gives the values before the fault.
    pub(crate) fn scan(text: &[u8], depth: usize) -> Self {
        let mut spans = HashMap::new();
        walk(text, &mut |pointer, span| {
            if pointer.matches('/').count() <= depth {
                spans.insert(pointer.to_owned(), span);
            }
            false
        });
        Self { spans }
    }

    /// Offset of the value at `pointer`.
    pub(crate) fn value(&self, pointer: &str) -> Option<usize> {
        self.spans.get(pointer).map(|s| s.start)
    }

    /// Offset of the key of the member at `pointer`.
    pub(crate) fn key(&self, pointer: &str) -> Option<usize> {
        self.spans.get(pointer).and_then(|s| s.key)
    }

    /// `pointer` with one more segment, escaped as JSON pointers escape `~` and `/`.
    pub(crate) fn child(pointer: &str, segment: &str) -> String {
        let mut out = pointer.to_owned();
        push_segment(&mut out, segment);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{JsonPositions, string_end};
    use crate::test_rng::Rng;

    /// The end of a string byte by byte: what the search for quotes and backslashes
    /// must agree with.
    fn string_end_bytewise(text: &[u8], start: usize) -> Option<usize> {
        let mut i = start + 1;
        loop {
            match *text.get(i)? {
                b'\\' => i += 2,
                b'"' => return Some(i + 1),
                _ => i += 1,
            }
        }
    }

    #[test]
    fn a_string_ends_where_the_bytewise_scan_says() {
        let cases: [&[u8]; 9] = [
            br#""""#,
            br#""abc" , 1"#,
            br#""a\"b" x"#,
            br#""a\\" x"#,
            br#""\\\"" ""#,
            br#""unterminated"#,
            br#""ends in a backslash \"#,
            "\"中文\\u4e2d\"\" ,".as_bytes(),
            br#""\"#,
        ];
        for text in cases {
            assert_eq!(
                string_end(text, 0),
                string_end_bytewise(text, 0),
                "{text:?}"
            );
        }
        assert_eq!(string_end(br#""a\"b" x"#, 0), Some(6));
        assert_eq!(string_end(br#""ends in a backslash \"#, 0), None);
        // Every start in texts of quotes, backslashes and letters (seeded, repeatable).
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..2_000 {
            let text: Vec<u8> = (0..24)
                .map(|_| [b'"', b'\\', b'a', b' '][rng.below(4)])
                .collect();
            for start in 0..text.len() {
                assert_eq!(
                    string_end(&text, start),
                    string_end_bytewise(&text, start),
                    "{:?} from {start}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }

    #[test]
    fn values_and_keys_are_found_by_pointer() {
        let text = br#" [ {"clause": "6.4.3", "a/b": 1}, 7 ]"#;
        let at = JsonPositions::scan(text, 2);
        assert_eq!(at.value(""), Some(1));
        assert_eq!(at.value("/0"), Some(3));
        assert_eq!(at.key("/0/clause"), Some(4));
        assert_eq!(at.value("/0/clause"), Some(14));
        assert_eq!(at.key(&JsonPositions::child("/0", "a/b")), Some(23));
        assert_eq!(at.value("/1"), Some(34));
        assert_eq!(JsonPositions::scan(text, 1).value("/0/clause"), None);
    }
}
