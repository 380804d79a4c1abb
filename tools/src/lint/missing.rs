//! `unguarded-missing`: a value of `c` that is `()` when the profile lacks the data, used in
//! arithmetic, an ordering comparison, a property access, an index, a loop or as the argument
//! of a function that takes typed values only, with no guard before it in the same function.
//! Such a rule works on complete profiles; on the first one without the data it stops with
//! "Function not found: + (i64, ())", or decides wrongly (Rhai compares `()` with a number as
//! false).
//!
//! The values that may be `()` are the properties and queries the engine declares so in its
//! registration metadata (`MAY_BE_MISSING`); a guard is `x == ()`, `x != ()`, `() == x`,
//! `type_of(x)` anywhere before the use in the same function, and `x ?? default` makes that
//! one use safe. Values passed into other functions are not followed.

use std::collections::{BTreeMap, BTreeSet};

use crate::script::{Kind, Pos, Token, lex};
use icgs::__tools::CommunityNames;

/// One use of a possibly missing value without a guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unguarded {
    /// Where the value is named at the use.
    pub pos: Pos,
    /// The value as written at the use (`c.population`, `n`).
    pub name: String,
    /// The property or query it comes from (`c.population`).
    pub source: String,
    /// What the use does with it ("arithmetic (`+`)").
    pub how: String,
    /// What `()` does there: stops the rule, or (an ordering comparison) is silently false.
    pub effect: &'static str,
}

/// What `()` does in most uses.
const STOPS: &str = "stops the rule with \"Function not found\"";
/// What `()` does in an ordering comparison: Rhai compares values of different types as false.
const FALSE: &str = "is always false: the rule decides as if the condition did not hold";

const OPERATORS: [&str; 9] = ["+", "-", "*", "/", "%", "<", ">", "<=", ">="];

/// A possibly missing expression at a token range.
struct Found {
    start: usize,
    end: usize,
    /// The guard key: the variable, or `c.name` for a property or query.
    key: String,
    source: String,
}

struct Walk<'t, 'a> {
    tokens: &'t [Token<'a>],
    community: &'t str,
    names: &'t CommunityNames,
}

impl Walk<'_, '_> {
    fn text(&self, k: usize) -> &str {
        self.tokens
            .get(k)
            .filter(|t| !matches!(t.kind, Kind::Str(_)))
            .map_or("", |t| t.text)
    }

    fn before(&self, k: usize, back: usize) -> &str {
        k.checked_sub(back).map_or("", |i| self.text(i))
    }

    /// The index of the `)` closing the `(` at `open`.
    fn closing(&self, open: usize) -> usize {
        let mut depth = 0usize;
        for k in open..self.tokens.len() {
            match self.text(k) {
                "(" | "[" | "{" | "#{" => depth += 1,
                ")" | "]" | "}" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return k;
                    }
                }
                _ => {}
            }
        }
        self.tokens.len().saturating_sub(1)
    }

    /// The possibly missing expression starting at `k`, if any.
    fn found(&self, k: usize, vars: &BTreeMap<String, String>) -> Option<Found> {
        let t = self.tokens.get(k)?;
        if t.kind != Kind::Ident || matches!(self.before(k, 1), "." | "?.") {
            return None;
        }
        if t.text == self.community && self.text(k + 1) == "." {
            let name = self.text(k + 2);
            if !self.names.may_be_missing.contains(name) {
                return None;
            }
            let call = self.text(k + 3) == "(";
            let end = if call { self.closing(k + 3) } else { k + 2 };
            let source = format!("{}.{name}{}", self.community, if call { "(…)" } else { "" });
            return Some(Found {
                start: k,
                end,
                key: source.clone(),
                source,
            });
        }
        let source = vars.get(t.text)?;
        (!matches!(self.text(k + 1), "=" | ":")).then(|| Found {
            start: k,
            end: k,
            key: t.text.to_owned(),
            source: source.clone(),
        })
    }

    /// Whether the expression is compared with `()` or its type asked.
    fn is_guard(&self, f: &Found) -> bool {
        let (s, e) = (f.start, f.end);
        let unit_after = matches!(self.text(e + 1), "==" | "!=")
            && self.text(e + 2) == "("
            && self.text(e + 3) == ")";
        let unit_before = matches!(self.before(s, 1), "==" | "!=")
            && self.before(s, 2) == ")"
            && self.before(s, 3) == "(";
        let type_of = self.before(s, 1) == "(" && self.before(s, 2) == "type_of";
        unit_after || unit_before || type_of
    }

    /// What the code around the expression does with it, and what `()` does there, when
    /// `()` would stop the rule or decide it wrongly.
    fn unsafe_use(&self, f: &Found) -> Option<(String, &'static str)> {
        let (s, e) = (f.start, f.end);
        if self.text(e + 1) == "??" {
            return None;
        }
        let (prev, next) = (self.before(s, 1), self.text(e + 1));
        for op in [prev, next] {
            if OPERATORS.contains(&op) {
                let (kind, effect) = if ["<", ">", "<=", ">="].contains(&op) {
                    ("an ordering comparison", FALSE)
                } else {
                    ("arithmetic", STOPS)
                };
                return Some((format!("{kind} (`{op}`)"), effect));
            }
        }
        if next == "[" {
            return Some(("an index (`[…]`)".to_owned(), STOPS));
        }
        if next == "." || next == "?." {
            let member = self.text(e + 2);
            if self.text(e + 3) != "(" {
                return Some((format!("a property access (`.{member}`)"), STOPS));
            }
            if self.names.typed_only.contains(member) {
                return Some((
                    format!("`.{member}(…)`, which takes typed values only"),
                    STOPS,
                ));
            }
        }
        if prev == "in" {
            return Some(("`in` (a loop or a membership test)".to_owned(), STOPS));
        }
        if matches!(prev, "(" | ",") && matches!(next, ")" | ",") {
            let callee = self.callee(s)?;
            if self.names.typed_only.contains(callee) {
                return Some((
                    format!("an argument of `{callee}`, which takes typed values only"),
                    STOPS,
                ));
            }
        }
        None
    }

    /// The function whose call's parentheses enclose token `k`.
    fn callee(&self, k: usize) -> Option<&str> {
        let mut depth = 0usize;
        for i in (0..k).rev() {
            match self.text(i) {
                ")" | "]" | "}" => depth += 1,
                "[" | "{" | "#{" => depth = depth.checked_sub(1)?,
                "(" if depth == 0 => {
                    let t = self.tokens.get(i.checked_sub(1)?)?;
                    return (t.kind == Kind::Ident).then_some(t.text);
                }
                "(" => depth -= 1,
                _ => {}
            }
        }
        None
    }
}

/// The unguarded uses of possibly missing values in `src`, whose community parameter is
/// named `community`.
pub(crate) fn unguarded(src: &str, community: &str, names: &CommunityNames) -> Vec<Unguarded> {
    let tokens = lex(src);
    let walk = Walk {
        tokens: &tokens,
        community,
        names,
    };
    let mut out = Vec::new();
    // Variables bound to a possibly missing value, and the keys guarded so far; both per
    // function (functions do not nest).
    let mut vars: BTreeMap<String, String> = BTreeMap::new();
    let mut guarded: BTreeSet<String> = BTreeSet::new();
    let mut k = 0;
    while k < tokens.len() {
        if walk.text(k) == "fn" {
            vars.clear();
            guarded.clear();
        }
        // `let x = <possibly missing>;` binds; any other `let x` or `x = …` unbinds.
        let binding = if walk.text(k) == "let" || walk.text(k) == "const" {
            Some(k + 1)
        } else if walk.text(k + 1) == "="
            && tokens.get(k).is_some_and(|t| t.kind == Kind::Ident)
            && !matches!(walk.before(k, 1), "." | "?.")
        {
            Some(k)
        } else {
            None
        };
        if let Some(at) = binding
            && walk.text(at + 1) == "="
        {
            let name = walk.text(at).to_owned();
            match walk.found(at + 2, &vars) {
                Some(f) if walk.text(f.end + 1) == ";" => {
                    vars.insert(name.clone(), f.source);
                    guarded.remove(&name);
                }
                _ => {
                    vars.remove(&name);
                }
            }
        }
        if let Some(f) = walk.found(k, &vars) {
            if walk.is_guard(&f) {
                guarded.insert(f.key.clone());
            } else if !guarded.contains(&f.key)
                && let Some((how, effect)) = walk.unsafe_use(&f)
            {
                let at = tokens
                    .get(f.start)
                    .map(|t| t.pos.clone())
                    .unwrap_or_default();
                let end = tokens.get(f.end).map_or(at.span.end, |t| t.pos.span.end);
                out.push(Unguarded {
                    pos: Pos {
                        span: at.span.start..end,
                        ..at
                    },
                    name: src.get(at.span.start..end).unwrap_or_default().to_owned(),
                    source: f.source.clone(),
                    how,
                    effect,
                });
                // One finding per value and function is enough.
                guarded.insert(f.key.clone());
            }
            // A query's arguments are read on their own.
            k = if f.end > f.start && walk.text(f.start + 3) == "(" {
                f.start + 3
            } else {
                f.end + 1
            };
            continue;
        }
        k += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> CommunityNames {
        icgs::__tools::community_names()
    }

    fn found(src: &str) -> Vec<(String, String, usize, usize)> {
        unguarded(src, "c", &names())
            .into_iter()
            .map(|u| (u.name, u.how, u.pos.line, u.pos.column))
            .collect()
    }

    #[test]
    fn the_getters_declare_what_may_be_missing() {
        let n = names();
        assert!(n.may_be_missing.contains("population"));
        assert!(n.may_be_missing.contains("inspections"));
        assert!(n.may_be_missing.contains("key_visits"));
        assert!(!n.may_be_missing.contains("id"));
        assert!(!n.may_be_missing.contains("has_staff"));
        assert!(!n.may_be_missing.contains("meetings"));
        assert!(n.typed_only.contains("abs"));
        assert!(!n.typed_only.contains("at_least"));
    }

    #[test]
    fn arithmetic_and_comparison_without_a_guard_are_found() {
        let src = "fn check(c, params) {\n    let n = c.population;\n    at_least(n + 1, 3)\n}\nfn other(c) { c.grid_count > 3 }\n";
        assert_eq!(
            found(src),
            [
                ("n".into(), "arithmetic (`+`)".into(), 3, 14),
                (
                    "c.grid_count".into(),
                    "an ordering comparison (`>`)".into(),
                    5,
                    15
                ),
            ]
        );
    }

    #[test]
    fn guards_and_defaults_make_uses_safe() {
        for src in [
            "fn check(c, params) { let n = c.population; if n == () { return insufficient_data(); } at_least(n + 1, 3) }",
            "fn check(c, params) { if c.population != () && c.population > 3 { pass() } else { fail() } }",
            "fn check(c, params) { let n = c.population ?? 0; at_least(n * 2, 3) }",
            "fn check(c, params) { at_least(c.population ?? 0, 3) }",
            "fn check(c, params) { if type_of(c.inspections(12)) == \"()\" { return insufficient_data(); } holds(c.inspections(12) > 1) }",
            "fn check(c, params) { at_least(c.population, 3).observed(c.id) }",
            "fn check(c, params) { let n = c.meetings(\"x\", 12); at_least(n + 1, 3) }",
        ] {
            assert_eq!(found(src), [], "{src}");
        }
    }

    #[test]
    fn a_guard_counts_in_its_own_function_only() {
        let src = "fn a(c) { if c.population == () { return 0; } c.population }\nfn b(c) { c.population * 2 }";
        assert_eq!(found(src).len(), 1);
    }

    #[test]
    fn typed_functions_properties_and_loops_are_uses() {
        let src = "fn check(c, params) { let k = c.key_visits; let x = abs(c.population); for s in c.space_kinds { } k.keys }";
        let hows: Vec<String> = found(src).into_iter().map(|f| f.1).collect();
        assert_eq!(
            hows,
            [
                "an argument of `abs`, which takes typed values only",
                "`in` (a loop or a membership test)",
                "a property access (`.keys`)",
            ]
        );
    }
}
