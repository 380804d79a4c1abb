//! Byte-level scans of the JSON text that need no parse tree: the depth and number pre-scan
//! (run before parsing, so hostile nesting never reaches a recursive parser), and the
//! locating of problems by JSON pointer on the one walk of `crate::types::json_positions`.

use std::collections::{BTreeMap, HashMap};

use crate::types::json_positions::{string_end, token_end, walk};

/// What the pre-scan found.
#[derive(Debug, Default)]
pub(super) struct PreScan {
    /// Offset of the bracket that first goes deeper than the limit.
    pub too_deep: Option<usize>,
    /// Numbers that cannot be read exactly: (offset, the number as written, is it a whole number).
    pub out_of_range: Vec<(usize, String, bool)>,
    /// Decimals a double cannot hold exactly: (offset, the number as written, as it would be
    /// read). `1499.99999999999999999` would be read as 1500 and pass "at least 1500".
    pub inexact: Vec<(usize, String, String)>,
}

/// Counts nesting outside strings and checks number tokens; never recurses, never allocates
/// per byte. Stops at the first bracket deeper than `max_depth`.
pub(super) fn pre_scan(text: &[u8], max_depth: usize) -> PreScan {
    let mut found = PreScan::default();
    let mut depth = 0usize;
    let mut i = 0usize;
    while let Some(skip) = text
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| MARKS[usize::from(b)]))
    {
        i += skip;
        let Some(&b) = text.get(i) else { break };
        match b {
            b'"' => i = string_end(text, i).unwrap_or(text.len()),
            b'{' | b'[' => {
                depth += 1;
                if depth > max_depth {
                    found.too_deep = Some(i);
                    return found;
                }
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let end = token_end(text, i);
                let token = text.get(i..end).unwrap_or_default();
                if plainly_exact(token) {
                    // Nothing to report; most numbers of a profile are such.
                } else if let Some(whole) = out_of_range(token) {
                    let written = String::from_utf8_lossy(token).into_owned();
                    found.out_of_range.push((i, written, whole));
                } else if let Some(read) = inexact(token) {
                    let written = String::from_utf8_lossy(token).into_owned();
                    found.inexact.push((i, written, read));
                }
                i = end.max(i + 1);
            }
            // Not reached: the search stops only at the bytes above.
            _ => i += 1,
        }
    }
    found
}

/// The bytes the pre-scan stops at: a string's quote, a bracket, the start of a number.
/// Everything else (white space, `:`, `,`, `true`…) is passed over in one search.
const MARKS: [bool; 256] = {
    let mut marks = [false; 256];
    let mut b = b'0';
    while b <= b'9' {
        marks[b as usize] = true;
        b += 1;
    }
    marks[b'-' as usize] = true;
    marks[b'"' as usize] = true;
    marks[b'{' as usize] = true;
    marks[b'[' as usize] = true;
    marks[b'}' as usize] = true;
    marks[b']' as usize] = true;
    marks
};

/// Whether a number token is read exactly without looking closer: at most 15 characters and
/// no exponent, so at most 15 significant digits (a double holds them, and reads back as
/// them) and a whole number well inside 64 bits.
fn plainly_exact(token: &[u8]) -> bool {
    token.len() <= 15 && !token.iter().any(|b| matches!(b, b'e' | b'E'))
}

/// `Some(true)` for a whole number outside `i64::MIN..=u64::MAX`, `Some(false)` for a number
/// too large for a double, `None` when the number is fine (or is not a number at all: the
/// parser reports that).
fn out_of_range(token: &[u8]) -> Option<bool> {
    let text = std::str::from_utf8(token).ok()?;
    let is_whole = !text.contains(['.', 'e', 'E']);
    if is_whole {
        let digits = text.strip_prefix('-').unwrap_or(text);
        if digits.is_empty() || !digits.bytes().all(|d| d.is_ascii_digit()) {
            return None;
        }
        let fits = if text.starts_with('-') {
            text.parse::<i64>().is_ok()
        } else {
            text.parse::<u64>().is_ok()
        };
        (!fits).then_some(true)
    } else {
        // Only JSON number characters: Rust would also read `inf` or `NaN`.
        let numeric = text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
        if !numeric {
            return None;
        }
        let value = text.parse::<f64>().ok()?;
        (!value.is_finite()).then_some(false)
    }
}

/// The value a decimal (with `.` or an exponent) is read as, when that is not the number
/// written: more significant digits than a double holds, or below its smallest value.
fn inexact(token: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(token).ok()?;
    if !text.contains(['.', 'e', 'E']) {
        return None;
    }
    let read = text.parse::<f64>().ok().filter(|v| v.is_finite())?;
    // `Display` gives the shortest text that reads back as the same double: the value
    // every rule sees (`facts::exact`).
    let shown = read.to_string();
    (decimal_digits(text)? != decimal_digits(&shown)?).then_some(shown)
}

/// A JSON number as (negative, significant digits, power of ten): equal for equal values.
/// `None` for an exponent beyond `i64`.
fn decimal_digits(text: &str) -> Option<(bool, String, i64)> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.strip_prefix('+').unwrap_or(e).parse::<i64>().ok()?),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    let digits = digits.trim_start_matches('0');
    let trimmed = digits.trim_end_matches('0');
    if trimmed.is_empty() {
        return Some((false, String::new(), 0));
    }
    let fraction_len = i64::try_from(fraction.len()).ok()?;
    let trailing = i64::try_from(digits.len() - trimmed.len()).ok()?;
    let power = exponent.checked_sub(fraction_len)?.checked_add(trailing)?;
    Some((negative, trimmed.to_owned(), power))
}

/// What a problem needs located.
#[derive(Debug, Clone)]
pub(super) enum Target {
    /// The value at a pointer.
    Value(String),
    /// The key of the member at a pointer.
    Key(String),
    /// The pointer of the innermost value containing a byte offset.
    PointerAt(usize),
}

/// The answer for one [`Target`].
#[derive(Debug, Clone, Default)]
pub(super) struct Located {
    pub offset: Option<usize>,
    pub pointer: Option<String>,
}

/// Resolves all targets in one walk over the text.
pub(super) fn locate(text: &[u8], targets: &[Target]) -> Vec<Located> {
    let mut answers = vec![Located::default(); targets.len()];
    let mut by_pointer: HashMap<&str, Vec<(usize, bool)>> = HashMap::new();
    let mut by_offset: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, target) in targets.iter().enumerate() {
        match target {
            Target::Value(p) => by_pointer.entry(p.as_str()).or_default().push((i, false)),
            Target::Key(p) => by_pointer.entry(p.as_str()).or_default().push((i, true)),
            Target::PointerAt(offset) => by_offset.entry(*offset).or_default().push(i),
        }
    }
    let mut remaining = by_pointer.len() + by_offset.len();
    if remaining == 0 {
        return answers;
    }
    walk(text, &mut |pointer, span| {
        if let Some(waiting) = by_pointer.remove(pointer) {
            remaining -= 1;
            for (i, wants_key) in waiting {
                if let Some(answer) = answers.get_mut(i) {
                    answer.offset = Some(if wants_key {
                        span.key.unwrap_or(span.start)
                    } else {
                        span.start
                    });
                }
            }
        }
        let inside: Vec<usize> = by_offset
            .range(span.start..span.end)
            .map(|(&offset, _)| offset)
            .collect();
        for offset in inside {
            remaining -= 1;
            for i in by_offset.remove(&offset).unwrap_or_default() {
                if let Some(answer) = answers.get_mut(i) {
                    answer.pointer = Some(pointer.to_owned());
                }
            }
        }
        remaining == 0
    });
    answers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Rng;

    /// The pre-scan as it was before it searched for the bytes it acts on: every byte looked
    /// at in turn, and every number read in full (no `plainly_exact` shortcut).
    fn pre_scan_bytewise(text: &[u8], max_depth: usize) -> PreScan {
        let mut found = PreScan::default();
        let mut depth = 0usize;
        let mut i = 0usize;
        while let Some(&b) = text.get(i) {
            match b {
                b'"' => i = string_end(text, i).unwrap_or(text.len()),
                b'{' | b'[' => {
                    depth += 1;
                    if depth > max_depth {
                        found.too_deep = Some(i);
                        return found;
                    }
                    i += 1;
                }
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    i += 1;
                }
                b'-' | b'0'..=b'9' => {
                    let end = token_end(text, i);
                    let token = text.get(i..end).unwrap_or_default();
                    if let Some(whole) = out_of_range(token) {
                        let written = String::from_utf8_lossy(token).into_owned();
                        found.out_of_range.push((i, written, whole));
                    } else if let Some(read) = inexact(token) {
                        let written = String::from_utf8_lossy(token).into_owned();
                        found.inexact.push((i, written, read));
                    }
                    i = end.max(i + 1);
                }
                _ => i += 1,
            }
        }
        found
    }

    /// Seeded texts of JSON pieces (brackets, strings with escapes, numbers exact and not,
    /// blanks, literals): the pre-scan finds what the byte-by-byte scan finds.
    #[test]
    fn the_pre_scan_finds_what_a_byte_by_byte_scan_finds() {
        const PIECES: [&str; 16] = [
            "{",
            "[",
            "}",
            "]",
            "\"a\\\"b\"",
            "\"中文\"",
            " \n\t",
            ":",
            ",",
            "true",
            "-12",
            "0.5",
            "12345678901234567890",
            "1e400",
            "0.1000000000000000055511151231257827",
            "\"\\\\\"",
        ];
        let mut rng = Rng(0x5EED_0001);
        let mut seen = (0, 0, 0);
        for _ in 0..5_000 {
            let text: String = (0..40).map(|_| PIECES[rng.below(PIECES.len())]).collect();
            for depth in [3, 64] {
                let (a, b) = (
                    pre_scan(text.as_bytes(), depth),
                    pre_scan_bytewise(text.as_bytes(), depth),
                );
                assert_eq!(a.too_deep, b.too_deep, "{text}");
                assert_eq!(a.out_of_range, b.out_of_range, "{text}");
                assert_eq!(a.inexact, b.inexact, "{text}");
                seen.0 += usize::from(a.too_deep.is_some());
                seen.1 += a.out_of_range.len();
                seen.2 += a.inexact.len();
            }
        }
        // Each kind of finding was met, so the comparison compared something.
        assert!(seen.0 > 0 && seen.1 > 0 && seen.2 > 0, "{seen:?}");
    }

    /// What `pre_scan` skips is indeed fine: every short token without an exponent, from a
    /// seeded stream of digit strings with signs, points and leading zeros.
    #[test]
    fn plainly_exact_tokens_have_nothing_to_report() {
        let mut rng = Rng(0x5EED_2026);
        for _ in 0..200_000 {
            let len = 1 + rng.below(15);
            let token: String = (0..len)
                .map(|k| match rng.below(14) {
                    0 if k == 0 => '-',
                    1 => '.',
                    2 => '0',
                    d => char::from(b'0' + u8::try_from(d % 10).unwrap_or(0)),
                })
                .collect();
            assert!(plainly_exact(token.as_bytes()));
            assert_eq!(out_of_range(token.as_bytes()), None, "{token}");
            assert_eq!(inexact(token.as_bytes()), None, "{token}");
        }
        for token in [
            "999999999999999",
            "-99999999999999",
            "0.0000000000001",
            "123456789.12345",
        ] {
            assert!(plainly_exact(token.as_bytes()));
            assert_eq!(
                (out_of_range(token.as_bytes()), inexact(token.as_bytes())),
                (None, None)
            );
        }
        assert!(!plainly_exact(b"1e5") && !plainly_exact(b"1234567890123456"));
    }

    #[test]
    fn decimals_are_compared_digit_by_digit() {
        assert_eq!(inexact(b"1499.99999999999999999").as_deref(), Some("1500"));
        assert_eq!(inexact(b"1e-400").as_deref(), Some("0"));
        for exact in [
            "0.1",
            "1.50",
            "15e2",
            "1.5E+3",
            "-0.0",
            "0.30000000000000004",
            "120",
        ] {
            assert_eq!(inexact(exact.as_bytes()), None, "{exact}");
        }
        assert_eq!(decimal_digits("-12.500e1"), Some((true, "125".into(), 0)));
        assert_eq!(decimal_digits("0.00"), Some((false, String::new(), 0)));
        assert_eq!(decimal_digits("1e99999999999999999999"), None);
    }

    #[test]
    fn walk_pairs_pointers_with_spans() {
        let text = br#"{"a": [1, {"b/c": "x"}], "d~": {}, "e": []}"#;
        let mut seen = Vec::new();
        walk(text, &mut |p, s| {
            seen.push((p.to_owned(), s.start, s.end));
            false
        });
        let pointers: Vec<&str> = seen.iter().map(|(p, _, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            ["/a/0", "/a/1/b~1c", "/a/1", "/a", "/d~0", "/e", ""]
        );
        assert_eq!(seen.last().map(|s| (s.1, s.2)), Some((0, text.len())));
    }

    #[test]
    fn pre_scan_counts_depth_outside_strings() {
        assert!(pre_scan(br#"{"a": "[[[[[[["}"#, 2).too_deep.is_none());
        assert_eq!(pre_scan(br#"{"a": [[1]]}"#, 2).too_deep, Some(7));
    }

    #[test]
    fn pre_scan_finds_numbers_out_of_range() {
        let found = pre_scan(
            br#"[1e400, 18446744073709551616, 18446744073709551615, -9223372036854775809, 1.5, -0, -infinitE]"#,
            8,
        );
        let numbers: Vec<&str> = found
            .out_of_range
            .iter()
            .map(|(_, n, _)| n.as_str())
            .collect();
        assert_eq!(
            numbers,
            ["1e400", "18446744073709551616", "-9223372036854775809"]
        );
    }
}
