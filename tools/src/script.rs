//! A small lexer for rule scripts and what lint, coverage and the catalogue read from them:
//! where `RULE`'s fields are, which properties of `c` and `params` the script reads, which
//! functions it calls. Positions are exact (line, column in characters, byte span) so that
//! problems point at the token; the script's meaning is left to Rhai.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// A position in a file: 1-based line and column (in characters), and the byte span.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    Ident,
    /// A string literal, with its value.
    Str(String),
    Number,
    Punct,
}

#[derive(Debug, Clone)]
pub(crate) struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
    pub pos: Pos,
}

/// Splits a script into tokens, skipping whitespace and comments. Unknown characters become
/// one-character punctuation: the lexer never fails (Rhai reports syntax errors).
pub(crate) fn lex(src: &str) -> Vec<Token<'_>> {
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let (mut line, mut col) = (1, 1);
    // Advances over chars[i..j], keeping line and column.
    let advance = |from: usize, to: usize, line: &mut usize, col: &mut usize| {
        for &(_, ch) in chars.get(from..to).unwrap_or_default() {
            if ch == '\n' {
                *line += 1;
                *col = 1;
            } else {
                *col += 1;
            }
        }
    };
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let offset = |k: usize| chars.get(k).map_or(src.len(), |&(o, _)| o);
    while let Some(c) = at(i) {
        if let Some(j) = skipped(&at, c, i) {
            advance(i, j, &mut line, &mut col);
            i = j;
            continue;
        }
        let (j, kind) = token_end(&at, c, i);
        let pos = Pos {
            line,
            column: col,
            span: offset(i)..offset(j),
        };
        tokens.push(Token {
            kind,
            text: src.get(offset(i)..offset(j)).unwrap_or_default(),
            pos,
        });
        advance(i, j, &mut line, &mut col);
        i = j;
    }
    tokens
}

/// Where whitespace or a comment starting at `i` (character `c`) ends; `None` when a token
/// starts there.
fn skipped(at: &impl Fn(usize) -> Option<char>, c: char, i: usize) -> Option<usize> {
    let mut j = i + 1;
    if c.is_whitespace() {
        return Some(j);
    }
    if c == '/' && at(i + 1) == Some('/') {
        while at(j).is_some_and(|c| c != '\n') {
            j += 1;
        }
        return Some(j);
    }
    if c == '/' && at(i + 1) == Some('*') {
        let mut depth = 1;
        j = i + 2;
        while depth > 0 && at(j).is_some() {
            if at(j) == Some('/') && at(j + 1) == Some('*') {
                depth += 1;
                j += 2;
            } else if at(j) == Some('*') && at(j + 1) == Some('/') {
                depth -= 1;
                j += 2;
            } else {
                j += 1;
            }
        }
        return Some(j);
    }
    None
}

/// Where the token starting at `i` (character `c`) ends, and its kind.
fn token_end(at: &impl Fn(usize) -> Option<char>, c: char, i: usize) -> (usize, Kind) {
    let mut j = i + 1;
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if c == '"' || c == '`' || c == '\'' {
        let mut value = String::new();
        while let Some(d) = at(j) {
            j += 1;
            if d == c {
                break;
            }
            if d == '\\' && c != '`' {
                match at(j) {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some('\n') => {}
                    Some(e) => value.push(e),
                    None => {}
                }
                j += 1;
            } else {
                value.push(d);
            }
        }
        return (j, Kind::Str(value));
    }
    if c.is_ascii_alphabetic() || c == '_' {
        while at(j).is_some_and(word) {
            j += 1;
        }
        return (j, Kind::Ident);
    }
    if c.is_ascii_digit() {
        while at(j).is_some_and(word) {
            j += 1;
        }
        if at(j) == Some('.') && at(j + 1).is_some_and(|c| c.is_ascii_digit()) {
            j += 1;
            while at(j).is_some_and(word) {
                j += 1;
            }
        }
        return (j, Kind::Number);
    }
    let two: String = [Some(c), at(i + 1)].into_iter().flatten().collect();
    if [
        "#{", "?.", "??", "::", "=>", "==", "!=", "<=", ">=", "&&", "||", "..",
    ]
    .contains(&two.as_str())
    {
        j = i + 2;
    }
    (j, Kind::Punct)
}

/// A value in the `RULE` literal, with where it is.
#[derive(Debug, Clone)]
pub(crate) enum Lit {
    Str(String, Pos),
    Map(MapLit),
    Array(Vec<Lit>, Pos),
    Other(Pos),
}

impl Lit {
    pub(crate) const fn pos(&self) -> &Pos {
        match self {
            Self::Str(_, p) | Self::Array(_, p) | Self::Other(p) => p,
            Self::Map(m) => &m.pos,
        }
    }
}

/// An object map literal `#{ key: value, … }`.
#[derive(Debug, Clone, Default)]
pub(crate) struct MapLit {
    /// Where `#{` is.
    pub pos: Pos,
    /// Each key with its position and value, in order.
    pub entries: Vec<(String, Pos, Lit)>,
}

impl MapLit {
    /// The value of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Lit> {
        self.entries
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, _, v)| v)
    }

    /// Where `key` is written.
    pub(crate) fn key_pos(&self, key: &str) -> Option<&Pos> {
        self.entries
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, p, _)| p)
    }
}

/// A property read or method call on a name (`c.population`, `c.meetings(k, m)`).
#[derive(Debug, Clone)]
pub(crate) struct Access {
    pub name: String,
    pub pos: Pos,
    /// Number of arguments when it is a call.
    pub call: Option<usize>,
}

/// What a rule script shows without running it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Script {
    /// `const RULE = #{ … }`, when found.
    pub rule: Option<MapLit>,
    /// Where `RULE` is named.
    pub rule_pos: Option<Pos>,
    /// The names of `check`'s parameters (community, params), when found.
    pub check_params: Option<(String, String)>,
    /// Properties and methods used on the community parameter.
    pub community: Vec<Access>,
    /// Properties read on the parameters map (`params.x`, `params["x"]`).
    pub params: Vec<Access>,
    /// Whether the parameters map is used other than by reading a property (passed on).
    pub params_passed_on: bool,
    /// Functions called by name (`at_least(…)`), with each call's position.
    pub calls: BTreeMap<String, Vec<Pos>>,
    /// Methods called on any value (`.observed(…)`).
    pub methods: BTreeSet<String>,
}

/// Verdict helpers that set both the observed and the required value.
const COMPARING: [&str; 5] = [
    "at_least",
    "at_most",
    "between",
    "share_at_least",
    "includes",
];

impl Script {
    /// Whether some verdict of the script carries an observed value.
    pub(crate) fn sets_observed(&self) -> bool {
        COMPARING.iter().any(|f| self.calls.contains_key(*f)) || self.methods.contains("observed")
    }

    /// Whether some verdict of the script carries a required value.
    pub(crate) fn sets_required(&self) -> bool {
        COMPARING.iter().any(|f| self.calls.contains_key(*f)) || self.methods.contains("required")
    }

    /// Whether the script asks for a manual check (an evidence clause).
    pub(crate) fn asks_manual(&self) -> bool {
        self.calls.contains_key("manual")
    }

    /// Whether the script says `insufficient_data()` itself.
    pub(crate) fn says_insufficient(&self) -> bool {
        self.calls.contains_key("insufficient_data")
    }

    /// The literal `RULE` value at `path` (`["message", "zh"]`).
    pub(crate) fn rule_lit(&self, path: &[&str]) -> Option<&Lit> {
        let (first, rest) = path.split_first()?;
        let mut lit = self.rule.as_ref()?.get(first)?;
        for key in rest {
            let Lit::Map(m) = lit else { return None };
            lit = m.get(key)?;
        }
        Some(lit)
    }

    /// The best position for a problem with `RULE` at `path`: the value, else its key, else
    /// the closest enclosing value, else `RULE` itself.
    pub(crate) fn rule_pos_of(&self, path: &[&str]) -> Pos {
        for n in (1..=path.len()).rev() {
            if let Some(lit) = path.get(..n).and_then(|p| self.rule_lit(p)) {
                return lit.pos().clone();
            }
        }
        self.rule_pos.clone().unwrap_or_default()
    }

    /// Where the key `field` of `RULE` is written (for an unknown field).
    pub(crate) fn rule_key_pos(&self, field: &str) -> Option<Pos> {
        self.rule.as_ref()?.key_pos(field).cloned()
    }
}

/// Whether token `k` is the punctuation or word `text` (not a string saying it).
fn is_text(tokens: &[Token<'_>], k: usize, text: &str) -> bool {
    tokens
        .get(k)
        .is_some_and(|t| !matches!(t.kind, Kind::Str(_)) && t.text == text)
}

/// Reads what a script shows (see [`Script`]).
pub(crate) fn analyse(src: &str) -> Script {
    let tokens = lex(src);
    let mut script = Script::default();
    let is = |k: usize, text: &str| is_text(&tokens, k, text);
    // `const RULE = #{`
    for k in 0..tokens.len() {
        if is(k, "const") && is(k + 1, "RULE") && is(k + 2, "=") && is(k + 3, "#{") {
            script.rule_pos = tokens.get(k + 1).map(|t| t.pos.clone());
            let mut at = k + 3;
            script.rule = Some(parse_map(&tokens, &mut at));
            break;
        }
    }
    script.check_params = check_params(&tokens);
    read_uses(&tokens, &mut script);
    script
}

/// The names of the parameters of `fn check(c, params)`, the last one declared.
fn check_params(tokens: &[Token<'_>]) -> Option<(String, String)> {
    let is = |k: usize, text: &str| is_text(tokens, k, text);
    let mut found = None;
    for k in 0..tokens.len() {
        if is(k, "fn")
            && is(k + 1, "check")
            && is(k + 2, "(")
            && is(k + 4, ",")
            && is(k + 6, ")")
            && let (Some(a), Some(b)) = (tokens.get(k + 3), tokens.get(k + 5))
            && a.kind == Kind::Ident
            && b.kind == Kind::Ident
        {
            found = Some((a.text.to_owned(), b.text.to_owned()));
        }
    }
    found
}

/// Marks the tokens of function headers `fn name(a, b)`: parameter names, not uses.
fn headers(tokens: &[Token<'_>]) -> Vec<bool> {
    let mut header = vec![false; tokens.len()];
    for k in 0..tokens.len() {
        if is_text(tokens, k, "fn") {
            let mut j = k;
            while let Some(flag) = header.get_mut(j) {
                *flag = true;
                if is_text(tokens, j, ")") {
                    break;
                }
                j += 1;
            }
        }
    }
    header
}

/// Reads the functions and methods called and the properties of the community and the
/// parameters used, naming them as `check` does.
fn read_uses(tokens: &[Token<'_>], script: &mut Script) {
    let tok = |k: usize| tokens.get(k);
    let is = |k: usize, text: &str| is_text(tokens, k, text);
    let header = headers(tokens);
    let (community, params) = script
        .check_params
        .clone()
        .unwrap_or_else(|| ("c".to_owned(), "params".to_owned()));
    for (k, t) in tokens.iter().enumerate() {
        // Names in function headers and map keys (`params: […]`) are not uses.
        if t.kind != Kind::Ident || header.get(k).copied().unwrap_or(false) || is(k + 1, ":") {
            continue;
        }
        let after_dot = k
            .checked_sub(1)
            .and_then(tok)
            .is_some_and(|p| p.text == "." || p.text == "?.");
        if after_dot {
            if is(k + 1, "(") {
                script.methods.insert(t.text.to_owned());
            }
            continue;
        }
        if is(k + 1, "(") {
            script
                .calls
                .entry(t.text.to_owned())
                .or_default()
                .push(t.pos.clone());
            continue;
        }
        let member = (is(k + 1, ".") || is(k + 1, "?."))
            .then(|| tok(k + 2))
            .flatten()
            .filter(|m| m.kind == Kind::Ident);
        if t.text == community {
            if let Some(m) = member {
                let call = is(k + 3, "(").then(|| count_args(tokens, k + 3));
                script.community.push(Access {
                    name: m.text.to_owned(),
                    pos: m.pos.clone(),
                    call,
                });
            }
        } else if t.text == params {
            read_params_use(tokens, k, member, script);
        }
    }
}

/// Reads a use of the parameters map at token `k`: a property read, or the map passed on.
fn read_params_use(
    tokens: &[Token<'_>],
    k: usize,
    member: Option<&Token<'_>>,
    script: &mut Script,
) {
    let is = |k: usize, text: &str| is_text(tokens, k, text);
    if let Some(m) = member {
        if is(k + 3, "(") {
            script.params_passed_on = true;
        } else {
            script.params.push(Access {
                name: m.text.to_owned(),
                pos: m.pos.clone(),
                call: None,
            });
        }
    } else if is(k + 1, "[")
        && let Some(Token {
            kind: Kind::Str(name),
            pos,
            ..
        }) = tokens.get(k + 2)
    {
        script.params.push(Access {
            name: name.clone(),
            pos: pos.clone(),
            call: None,
        });
    } else {
        // Used whole (passed to a helper, assigned): reads cannot be known.
        script.params_passed_on = true;
    }
}

/// Counts the arguments of the call whose `(` is at `open`.
fn count_args(tokens: &[Token<'_>], open: usize) -> usize {
    let mut depth = 0usize;
    let mut args = 0;
    let mut empty = true;
    for t in tokens.iter().skip(open) {
        match t.text {
            "(" | "[" | "{" | "#{" => {
                depth += 1;
                if depth > 1 {
                    empty = false;
                }
            }
            ")" | "]" | "}" => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return if empty { 0 } else { args + 1 };
                }
            }
            "," if depth == 1 => args += 1,
            _ => empty = false,
        }
    }
    args
}

/// Parses `#{ … }` starting at the `#{` token; leaves `at` after the closing `}`.
fn parse_map(tokens: &[Token<'_>], at: &mut usize) -> MapLit {
    let mut map = MapLit {
        pos: tokens.get(*at).map(|t| t.pos.clone()).unwrap_or_default(),
        entries: Vec::new(),
    };
    *at += 1;
    while let Some(t) = tokens.get(*at) {
        if t.text == "}" {
            *at += 1;
            break;
        }
        if t.text == "," {
            *at += 1;
            continue;
        }
        let key = match &t.kind {
            Kind::Str(s) => s.clone(),
            _ => t.text.to_owned(),
        };
        let key_pos = t.pos.clone();
        if tokens.get(*at + 1).map(|t| t.text) != Some(":") {
            // Not a key: skip the token (Rhai reports the syntax error).
            *at += 1;
            continue;
        }
        *at += 2;
        let value = parse_lit(tokens, at);
        map.entries.push((key, key_pos, value));
    }
    if let Some(last) = tokens.get(at.saturating_sub(1)) {
        map.pos.span.end = last.pos.span.end;
    }
    map
}

fn parse_lit(tokens: &[Token<'_>], at: &mut usize) -> Lit {
    let Some(t) = tokens.get(*at) else {
        return Lit::Other(Pos::default());
    };
    match (&t.kind, t.text) {
        (Kind::Punct, "#{") => Lit::Map(parse_map(tokens, at)),
        (Kind::Punct, "[") => {
            let mut pos = t.pos.clone();
            let mut items = Vec::new();
            *at += 1;
            while let Some(t) = tokens.get(*at) {
                if t.text == "]" {
                    pos.span.end = t.pos.span.end;
                    *at += 1;
                    break;
                }
                if t.text == "," {
                    *at += 1;
                    continue;
                }
                let before = *at;
                items.push(parse_lit(tokens, at));
                if *at == before {
                    *at += 1;
                }
            }
            Lit::Array(items, pos)
        }
        (Kind::Str(s), _) => {
            *at += 1;
            Lit::Str(s.clone(), t.pos.clone())
        }
        _ => {
            *at += 1;
            Lit::Other(t.pos.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, reason = "tests")]

    use super::*;

    const SRC: &str = r#"// 9.9.9 应 — a rule.
const RULE = #{
    id: "9.9.9",
    params: ["x_min"],
    message: #{ zh: "共 {observed} 个", en: "{observed} of them" }, // a "comment"
};

/* a block /* nested */ comment with c.nothing */
fn check(com, p) {
    let n = com.meetings("x", p.x_min);
    if com.populaton == () { return insufficient_data(); }
    at_least(n, p["y_max"]).at("/x")
}
"#;

    #[test]
    fn reads_rule_fields_accesses_and_calls_with_positions() {
        let s = analyse(SRC);
        assert_eq!(s.check_params, Some(("com".into(), "p".into())));
        let Some(Lit::Str(zh, pos)) = s.rule_lit(&["message", "zh"]) else {
            panic!("message.zh")
        };
        assert_eq!(zh, "共 {observed} 个");
        assert_eq!((pos.line, pos.column), (5, 21));
        assert_eq!(SRC.get(pos.span.clone()), Some("\"共 {observed} 个\""));
        let names: Vec<(&str, Option<usize>, usize, usize)> = s
            .community
            .iter()
            .map(|a| (a.name.as_str(), a.call, a.pos.line, a.pos.column))
            .collect();
        assert_eq!(
            names,
            [("meetings", Some(2), 10, 17), ("populaton", None, 11, 12)]
        );
        let params: Vec<&str> = s.params.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(params, ["x_min", "y_max"]);
        assert!(!s.params_passed_on);
        assert!(s.says_insufficient() && s.sets_observed() && !s.asks_manual());
        assert!(s.methods.contains("at"));
    }

    #[test]
    fn counts_arguments() {
        let s =
            analyse("fn check(c, params) { c.f(); c.g(a(1, 2), [3, 4]); c.h(#{a: 1, b: 2}, 3) }");
        let calls: Vec<Option<usize>> = s.community.iter().map(|a| a.call).collect();
        assert_eq!(calls, [Some(0), Some(2), Some(2)]);
    }

    #[test]
    fn params_passed_to_a_helper_are_noticed() {
        let s = analyse("fn check(c, params) { helper(c, params) }");
        assert!(s.params_passed_on);
    }
}
