//! Rule ids, ordered as the clauses of the standard.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A rule id: the clause id for the standard's rules (`6.4.3`), `C.<category>.<n>` for
/// category rules. Ordered as clauses ([`clause_order`]), not as text: `4.10` after `4.9`,
/// chapters before the `C.` category annex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RuleId(String);

impl RuleId {
    /// The id `id`.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ids of `ids` joined by `sep`, for a list in words.
    #[must_use]
    pub fn join(ids: &[Self], sep: &str) -> String {
        ids.iter().map(Self::as_str).collect::<Vec<_>>().join(sep)
    }

    /// Whether the rule belongs to a category unit (`C.TI.3`), not to a chapter of the
    /// standard.
    #[must_use]
    pub fn is_category_rule(&self) -> bool {
        self.0.starts_with("C.")
    }
}

impl Ord for RuleId {
    fn cmp(&self, other: &Self) -> Ordering {
        clause_order(&self.0, &other.0)
    }
}

impl PartialOrd for RuleId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for RuleId {
    fn from(id: &str) -> Self {
        Self::new(id)
    }
}

impl From<String> for RuleId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

/// It dereferences to the id as written, so it reads wherever a rule id was a `&str`
/// (there is no `Borrow<str>`: the order of ids is clause order, not the text's).
impl std::ops::Deref for RuleId {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for RuleId {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<RuleId> for String {
    fn eq(&self, other: &RuleId) -> bool {
        *self == other.0
    }
}

impl PartialEq<RuleId> for str {
    fn eq(&self, other: &RuleId) -> bool {
        self == other.0
    }
}

/// In a schema, a plain string where it is used.
impl schemars::JsonSchema for RuleId {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RuleId".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

impl AsRef<str> for RuleId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Orders rule (or clause) ids as clauses: numeric parts numerically (`4.10` after `4.9`),
/// chapter clauses before the `C.` category annex; ids equal in that order by their text.
/// The order of [`RuleId`], for ids held as strings.
#[must_use]
pub fn clause_order(a: &str, b: &str) -> Ordering {
    // Part by part without allocating: a number sorts before a word, numbers by value.
    let part = |p: &str| -> (u8, u64) { p.parse::<u64>().map_or((1, 0), |n| (0, n)) };
    let (mut x, mut y) = (a.split('.'), b.split('.'));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let order = part(p).cmp(&part(q)).then_with(|| {
                    if part(p).0 == 1 {
                        p.cmp(q)
                    } else {
                        Ordering::Equal
                    }
                });
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RuleId, clause_order};
    use std::cmp::Ordering;

    /// The order before it was written without allocating.
    fn by_keys(a: &str, b: &str) -> Ordering {
        let key = |s: &str| -> Vec<(u8, u64, String)> {
            s.split('.')
                .map(|p| match p.parse::<u64>() {
                    Ok(n) => (0, n, String::new()),
                    Err(_) => (1, 0, p.to_owned()),
                })
                .collect()
        };
        key(a).cmp(&key(b)).then_with(|| a.cmp(b))
    }

    #[test]
    fn clauses_sort_numerically_and_the_annex_last() {
        let mut ids: Vec<RuleId> = ["C.TI.2", "4.10", "C.CB.1", "4.9", "10.1", "4.9.1", "5"]
            .map(RuleId::from)
            .into();
        ids.sort();
        let sorted: Vec<&str> = ids.iter().map(RuleId::as_str).collect();
        assert_eq!(
            sorted,
            ["4.9", "4.9.1", "4.10", "5", "10.1", "C.CB.1", "C.TI.2"]
        );
        assert!(RuleId::from("C.TI.2").is_category_rule());
        assert!(!RuleId::from("6.4.3").is_category_rule());
    }

    #[test]
    fn the_order_is_the_order_of_part_keys() {
        let ids = [
            "",
            "4",
            "4.",
            "4.1",
            "4.01",
            "4.1.2",
            "4.a",
            "4.A",
            "a",
            "C",
            "C.1",
            "C.TI",
            "C.TI.3",
            "C.TI.10",
            "007",
            "7",
            "18446744073709551616",
            "x.1",
            "4.x.2",
        ];
        for a in ids {
            for b in ids {
                assert_eq!(clause_order(a, b), by_keys(a, b), "{a:?} vs {b:?}");
            }
        }
    }
}
