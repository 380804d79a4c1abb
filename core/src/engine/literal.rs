//! A fast reader for the common shape of a rule's `const RULE = #{ … };` literal.
//!
//! Rhai's tokenizer spends hundreds of instructions on each character of a string literal,
//! and the metadata (titles, texts, messages in two languages) is most of every script:
//! parsing it was most of the cold start of `icgs check`. This reader takes the literal when
//! it keeps to a plain subset (maps, arrays, double-quoted strings with simple escapes,
//! whole and decimal numbers, `true`, `false`, `()`, `//` comments) and hands Rhai the script
//! with the literal blanked (`()` and spaces, every newline kept, so positions in `check`
//! do not move). Anything else — and any error — is left to Rhai on the whole script, so
//! errors and their positions are Rhai's own; a test holds the two readings equal on every
//! embedded rule.

use rhai::{Array, Dynamic, Map};

/// Nesting deeper than this is left to Rhai (its own depth limit applies there).
const MAX_DEPTH: usize = 8;

/// Where the literal starts: at the start of a line, as every rule is written.
const START: &str = "const RULE = #{";

/// The `RULE` value and the script with the literal blanked, when `text` declares it in
/// the plain subset; `None` leaves the whole script to Rhai.
pub(super) fn split(text: &str, limits: &super::Limits) -> Option<(Dynamic, String)> {
    // One mention of `RULE`, at a line start, with no block comment or backtick string
    // before it that could hide it: then it is the top-level constant and nothing reads it.
    if text.matches("RULE").count() != 1 {
        return None;
    }
    let at = if text.starts_with(START) {
        0
    } else {
        text.find(&format!("\n{START}"))? + 1
    };
    let before = text.get(..at)?;
    if before.contains("/*") || before.contains('`') {
        return None;
    }
    let literal = at + START.len() - 2;
    let mut reader = Reader {
        text,
        pos: literal,
        limits,
    };
    let value = reader.value(0)?;
    let end = reader.pos;
    reader.blank();
    if !text.get(reader.pos..)?.starts_with(';') {
        return None;
    }
    let mut script = String::with_capacity(text.len());
    script.push_str(text.get(..literal)?);
    script.push_str("()");
    let mut width = 2;
    for c in text.get(literal..end)?.chars() {
        if c == '\n' {
            script.push('\n');
        } else if width > 0 {
            width -= 1;
        } else {
            script.push(' ');
        }
    }
    script.push_str(text.get(end..)?);
    Some((value, script))
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    limits: &'a super::Limits,
}

/// Whether `len` reaches a Rhai limit (0: none), where Rhai might refuse the literal.
const fn reaches(len: usize, limit: usize) -> bool {
    limit > 0 && len >= limit
}

impl<'a> Reader<'a> {
    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    /// Skips white space and `//` comments.
    fn blank(&mut self) {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.pos += rest.len() - trimmed.len();
            if trimmed.starts_with("//") {
                self.pos += trimmed.find('\n').unwrap_or(trimmed.len());
            } else {
                return;
            }
        }
    }

    fn eat(&mut self, token: &str) -> bool {
        self.blank();
        let found = self.rest().starts_with(token);
        if found {
            self.pos += token.len();
        }
        found
    }

    fn value(&mut self, depth: usize) -> Option<Dynamic> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.blank();
        let rest = self.rest();
        if rest.starts_with("#{") {
            self.pos += 2;
            return self.map(depth);
        }
        match rest.as_bytes().first()? {
            b'[' => {
                self.pos += 1;
                self.array(depth)
            }
            b'"' => self.string().map(Dynamic::from),
            b'0'..=b'9' => self.number(),
            _ if self.word("true") => Some(Dynamic::TRUE),
            _ if self.word("false") => Some(Dynamic::FALSE),
            _ if self.eat("()") => Some(Dynamic::UNIT),
            _ => None,
        }
    }

    /// `word` as a whole identifier.
    fn word(&mut self, word: &str) -> bool {
        let rest = self.rest();
        let whole = rest.starts_with(word)
            && !rest
                .as_bytes()
                .get(word.len())
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        if whole {
            self.pos += word.len();
        }
        whole
    }

    fn map(&mut self, depth: usize) -> Option<Dynamic> {
        let mut map = Map::new();
        loop {
            if self.eat("}") {
                return Some(map.into());
            }
            self.blank();
            let key = if self.rest().starts_with('"') {
                self.string()?
            } else {
                self.identifier()?
            };
            if !self.eat(":") {
                return None;
            }
            let value = self.value(depth + 1)?;
            if map.insert(key.into(), value).is_some()
                || reaches(map.len(), self.limits.max_map_size)
            {
                return None;
            }
            if !self.eat(",") {
                return self.eat("}").then(|| map.into());
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Dynamic> {
        let mut items = Array::new();
        loop {
            if self.eat("]") {
                return Some(items.into());
            }
            items.push(self.value(depth + 1)?);
            if reaches(items.len(), self.limits.max_array_size) {
                return None;
            }
            if !self.eat(",") {
                return self.eat("]").then(|| items.into());
            }
        }
    }

    fn identifier(&mut self) -> Option<String> {
        let rest = self.rest();
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let first = rest.as_bytes().first()?;
        if len == 0 || first.is_ascii_digit() {
            return None;
        }
        self.pos += len;
        rest.get(..len).map(str::to_owned)
    }

    /// A double-quoted string with `\"`, `\\`, `\n`, `\t`, `\r` escapes, on one line.
    fn string(&mut self) -> Option<String> {
        let body = self.rest().strip_prefix('"')?;
        let mut out = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    // `""` inside a string is Rhai's escaped quote: leave it to Rhai.
                    if body.get(i + 1..)?.starts_with('"')
                        || reaches(out.len(), self.limits.max_string_size)
                    {
                        return None;
                    }
                    self.pos += 1 + i + 1;
                    return Some(out);
                }
                '\\' => match chars.next()?.1 {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    _ => return None,
                },
                '\n' | '\r' => return None,
                c => out.push(c),
            }
        }
        None
    }

    /// Digits, or digits `.` digits.
    fn number(&mut self) -> Option<Dynamic> {
        let rest = self.rest();
        let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
        let whole = digits(rest);
        let after = rest.get(whole..)?;
        let (len, float) = match after.strip_prefix('.') {
            Some(fraction) if digits(fraction) > 0 => (whole + 1 + digits(fraction), true),
            _ => (whole, false),
        };
        let next = rest.as_bytes().get(len);
        if next.is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.')) {
            return None;
        }
        let number = rest.get(..len)?;
        self.pos += len;
        if float {
            number.parse::<f64>().ok().map(Dynamic::from_float)
        } else {
            number.parse::<rhai::INT>().ok().map(Dynamic::from_int)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, reason = "tests")]
    use super::split;
    use crate::engine::Limits;
    use crate::pack::RuleMeta;

    /// Every embedded rule takes the fast path, reads as Rhai reads the whole script, and
    /// its blanked script compiles with `check` on the same lines.
    #[test]
    fn every_embedded_rule_reads_as_rhai_reads_it() {
        let limits = Limits::default();
        let rhai = crate::engine::sandbox::hardened(&limits);
        let mut rules = 0;
        for pack in crate::pack::Pack::embedded().unwrap() {
            for (file, text) in &pack.rules {
                let (fast, script) =
                    split(text, &limits).unwrap_or_else(|| panic!("{file}: not in the subset"));
                let (_, slow) = super::super::build::compile_whole(&rhai, file, text).unwrap();
                let fast: RuleMeta = rhai::serde::from_dynamic(&fast).unwrap();
                let slow: RuleMeta = rhai::serde::from_dynamic(&slow).unwrap();
                assert_eq!(fast, slow, "{file}");
                assert_eq!(script.lines().count(), text.lines().count(), "{file}");
                crate::engine::sandbox::compile(&rhai, &script).unwrap();
                for (was, is) in text.lines().zip(script.lines()) {
                    assert!(
                        was == is
                            || matches!(is.trim(), "" | ";")
                            || is.starts_with("const RULE = ()"),
                        "{file}: `{is}`"
                    );
                }
                rules += 1;
            }
        }
        assert!(rules >= 84, "{rules} rules");
    }

    #[test]
    fn blanks_the_literal_and_keeps_every_line() {
        let text = "// x\nconst RULE = #{\n  id: \"a\", // c\n  n: [1, 2.5, true, ()],\n};\n\nfn check(c, p) { pass() }\n";
        let (value, script) = split(text, &Limits::default()).unwrap();
        assert_eq!(script.lines().count(), text.lines().count());
        assert!(script.starts_with("// x\nconst RULE = ()"));
        assert!(script.ends_with(";\n\nfn check(c, p) { pass() }\n"));
        let map = value.cast::<rhai::Map>();
        assert_eq!(map["id"].clone().into_string().unwrap(), "a");
        assert_eq!(map["n"].clone().into_array().unwrap().len(), 4);
    }

    #[test]
    fn leaves_anything_outside_the_plain_subset_to_rhai() {
        for text in [
            "const RULE = #{ id: `a` };",
            "const RULE = #{ id: \"a\\u0041\" };",
            "const RULE = #{ id: \"a\"\"b\" };",
            "const RULE = #{ id: \"a\", id: \"b\" };",
            "const RULE = #{ id: -1 };",
            "const RULE = #{ id: \"a\" }",
            "/* const RULE = #{}; */\nconst RULE = #{ id: \"a\" };",
            "const RULE = #{ id: \"a\" }; fn check(c, p) { RULE }",
            "let x = 1;\n  const RULE = #{ id: \"a\" };",
        ] {
            assert!(split(text, &Limits::default()).is_none(), "{text}");
        }
        let tight = Limits {
            max_string_size: 3,
            ..Limits::default()
        };
        assert!(split("const RULE = #{ id: \"abcdef\" };", &tight).is_none());
    }
}
