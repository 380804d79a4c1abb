//! REVISION-2 section E: a value that failed validation never decides a verdict. Before the
//! typed reading, every value at a problem's pointer is taken out of the document, so each
//! rule that reads it sees it absent and reports `insufficient-data`.
//!
//! What is taken out, by kind (documented in docs/profile.md):
//! - a member of an object (`/evaluations/0/satisfaction/employee_rate`): that member;
//! - an element of a list (`/platform/dashboard_indicators/3`, `/staff/2/org_ids/0`): the
//!   whole list, because a rule that reads a list needs it whole — except a record dated
//!   after `as_of` (`date-after-as-of` on an element), which has not happened and alone is
//!   absent;
//! - when the typed model cannot stand without the value (an opening time, a space kind, an
//!   id) — also when it is missing rather than bad —, or would read its absence as an empty
//!   list, the enclosing record goes, and by the
//!   rule above the list that holds it: a bad closing time makes the premises absent, never
//!   a premise silently without opening hours.
//!
//! Not taken out: problems that are no bad value (missing or unknown fields, duplicate ids),
//! a value of the wrong JSON type (the profile stays unreadable, as before), waivers (no
//! rule reads them; the waiver judge refuses a bad one and reports why)
//! and the staff ids of a grid's "1+3+N" lists, which 6.7.1 and C.CB.1 resolve themselves
//! (REVISION-2 G: an unresolved id fails its grid in 6.7.1).

use serde::Deserialize;
use serde_json::Value;

use super::Draft;
use super::problem::ProblemCode;
use crate::model::CommunityProfile;

/// Whether a problem of `code` at `pointer` is a bad value to take out.
fn is_bad_value(code: ProblemCode, pointer: &str) -> bool {
    // A wrong JSON type (`"premises": 5`) is no value of the field at all: the profile
    // stays unreadable, as before, rather than losing the whole list silently.
    let bad = matches!(
        code,
        ProblemCode::Enum
            | ProblemCode::Range
            | ProblemCode::Format
            | ProblemCode::TooShort
            | ProblemCode::DanglingReference
            | ProblemCode::DateAfterAsOf
            | ProblemCode::TimeOrder
    );
    // Waivers are no rule input: the waiver judge refuses a bad one and says why.
    let rule_input = !pointer.is_empty() && !pointer.starts_with("/waivers/");
    let judged_by_its_rule = code == ProblemCode::DanglingReference && grid_member(pointer);
    bad && rule_input && !judged_by_its_rule
}

/// `/grids/items/N/{one,three,n}/M`.
fn grid_member(pointer: &str) -> bool {
    let parts: Vec<&str> = pointer.split('/').collect();
    matches!(
        parts.as_slice(),
        ["", "grids", "items", _, "one" | "three" | "n", _]
    )
}

fn is_index(segment: &str) -> bool {
    !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit())
}

/// The pointer without its last segment, and that segment.
fn split(pointer: &str) -> Option<(&str, &str)> {
    pointer.rsplit_once('/')
}

/// The value to take out for a bad value at `pointer`: the whole list for a list element.
fn widen(pointer: &str) -> &str {
    match split(pointer) {
        Some((parent, last)) if is_index(last) && !parent.is_empty() => parent,
        _ => pointer,
    }
}

/// The value to take out when the one at `pointer` could not go alone: its record (and
/// the record's list). `None` at the top level.
fn enclosing(pointer: &str) -> Option<&str> {
    let (parent, _) = split(pointer)?;
    (!parent.is_empty()).then(|| widen(parent))
}

/// Removes the value at `pointer`; whether something was there.
fn remove(doc: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = split(pointer) else {
        return false;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => map.remove(&key).is_some(),
        Some(Value::Array(items)) => match key.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// The largest number of widenings tried before giving up on the typed reading.
const MAX_STEPS: usize = 256;

/// Per draft, the pointer of the value to take out for it (`None`: nothing); elements dated
/// after `as_of` go alone, every other bad element takes its whole list.
pub(super) fn bad_values(drafts: &[Draft]) -> Vec<Option<String>> {
    drafts
        .iter()
        .map(|d| {
            let pointer = d.pointer.as_deref()?;
            is_bad_value(d.code, pointer).then(|| match (d.code, split(pointer)) {
                (ProblemCode::DateAfterAsOf, Some((_, last))) if is_index(last) => {
                    pointer.to_owned()
                }
                _ => widen(pointer).to_owned(),
            })
        })
        .collect()
}

/// Takes the values `taken` names ([`bad_values`] of `drafts`) out of `doc` and reads the
/// typed model from what is left. Returns the profile and, per draft, the pointer taken out
/// (`None`: nothing was; a value may have widened to its record); `None` when the model
/// still cannot be read (the caller reads the original text and reports why).
pub(super) fn read_without_bad_values(
    mut doc: Value,
    drafts: &[Draft],
    mut taken: Vec<Option<String>>,
) -> Option<(CommunityProfile, Vec<Option<String>>)> {
    // Last index first, so that the others keep their positions.
    let mut order: Vec<String> = taken.iter().flatten().cloned().collect();
    order.sort_by(|a, b| by_segments(b, a));
    order.dedup();
    for pointer in &order {
        remove(&mut doc, pointer);
    }
    for _ in 0..MAX_STEPS {
        // Read from the document itself; only a failure needs the text, for its pointer.
        let read = match CommunityProfile::deserialize(&doc) {
            Ok(profile) => Ok(profile),
            Err(_) => super::typed::read(&serde_json::to_string(&doc).ok()?),
        };
        let failed = match read {
            Ok(profile) => match reappeared(&profile, &taken) {
                None => return Some((profile, taken)),
                Some(i) => {
                    let from = taken.get(i).cloned().flatten()?;
                    widen_taken(&mut taken, &from, enclosing(&from)?)
                }
            },
            // The record cannot stand without the value: take the record.
            Err(draft) => {
                let at = draft.pointer.unwrap_or_default();
                let record = widen(&at).to_owned();
                if record.is_empty() {
                    return None;
                }
                if let Some(t) = taken
                    .iter_mut()
                    .flatten()
                    .find(|t| *t == &at || t.starts_with(&format!("{at}/")))
                {
                    t.clone_from(&record);
                } else {
                    // A record the model cannot stand without a missing field (a session
                    // without its opening time) goes too, and the rules that read the list
                    // must know: the missing field's problem names what was taken out.
                    for (d, t) in drafts.iter().zip(taken.iter_mut()) {
                        let inside = d
                            .pointer
                            .as_deref()
                            .is_some_and(|p| p == record || p.starts_with(&format!("{record}/")));
                        if t.is_none() && d.code == ProblemCode::MissingField && inside {
                            *t = Some(record.clone());
                        }
                    }
                }
                record
            }
        };
        remove(&mut doc, &failed);
    }
    None
}

/// Replaces every taken pointer equal to or under `from` by `to`; returns `to`.
fn widen_taken(taken: &mut [Option<String>], from: &str, to: &str) -> String {
    for t in taken.iter_mut().flatten() {
        if t == from || t.starts_with(&format!("{from}/")) {
            *t = to.to_owned();
        }
    }
    to.to_owned()
}

/// The first taken member the typed model filled in again with a default (an empty list,
/// a `false`), which would read as data: it must go with its record.
fn reappeared(profile: &CommunityProfile, taken: &[Option<String>]) -> Option<usize> {
    let back = serde_json::to_value(profile).ok()?;
    taken.iter().position(|t| {
        t.as_deref().is_some_and(|p| {
            let element = split(p).is_some_and(|(_, last)| is_index(last));
            !element && back.pointer(p).is_some_and(|v| !v.is_null())
        })
    })
}

/// Orders pointers segment by segment, list indices as numbers.
fn by_segments(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |p: &str| -> Vec<(u64, String)> {
        p.split('/')
            .map(|s| match s.parse::<u64>() {
                Ok(n) if is_index(s) => (n, String::new()),
                _ => (u64::MAX, s.to_owned()),
            })
            .collect()
    };
    key(a).cmp(&key(b))
}

#[cfg(test)]
#[allow(clippy::panic, reason = "tests fail loudly")]
mod tests {
    use super::*;

    #[test]
    fn list_elements_widen_to_their_list() {
        assert_eq!(widen("/staff/2/org_ids/0"), "/staff/2/org_ids");
        assert_eq!(
            widen("/premises/0/opening_hours/0/close"),
            "/premises/0/opening_hours/0/close"
        );
        assert_eq!(enclosing("/premises/0/opening_hours"), Some("/premises"));
        assert_eq!(enclosing("/premises"), None);
    }

    fn read(profile: &serde_json::Value) -> (CommunityProfile, Vec<crate::Problem>) {
        let bytes = serde_json::to_vec(profile).unwrap_or_default();
        match crate::read_profile("t.json", &bytes, &crate::ReadOptions::default()) {
            Ok(read) => read,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn a_bad_closing_time_takes_the_premises_not_just_the_hours() {
        let (profile, problems) = read(&serde_json::json!({
            "id": "t", "as_of": "2026-06-30",
            "premises": [{ "id": "p", "opening_hours": [{ "weekday": 1, "open": "09:00", "close": "25:00" }] }],
            "evaluations": [{ "id": "e", "date": "2026-01-10", "satisfaction": { "employee_rate": 1.5, "enterprise_rate": 0.9 } }]
        }));
        assert!(profile.premises.is_none(), "{:?}", profile.premises);
        let rate = profile
            .evaluations
            .as_deref()
            .and_then(|e| e.first())
            .and_then(|e| e.satisfaction.as_ref());
        assert_eq!(rate.and_then(|s| s.employee_rate), None);
        assert_eq!(
            rate.and_then(|s| s.enterprise_rate),
            Some(0.9),
            "the rest of the record stays"
        );
        let absent: Vec<Option<&str>> = problems
            .iter()
            .map(crate::Problem::absent_pointer)
            .collect();
        assert!(absent.contains(&Some("/premises")), "{absent:?}");
        assert!(
            absent.contains(&Some("/evaluations/0/satisfaction/employee_rate")),
            "{absent:?}"
        );
    }

    #[test]
    fn a_date_after_as_of_in_a_list_of_dates_goes_alone() {
        let mut doc = serde_json::json!({ "d": ["2026-01-01", "2026-07-01"] });
        assert!(remove(&mut doc, "/d/1"));
        assert_eq!(doc, serde_json::json!({ "d": ["2026-01-01"] }));
    }

    #[test]
    fn grid_members_are_left_to_their_rules() {
        assert!(!is_bad_value(
            ProblemCode::DanglingReference,
            "/grids/items/0/one/0"
        ));
        assert!(is_bad_value(
            ProblemCode::DanglingReference,
            "/staff/0/org_ids/0"
        ));
        assert!(!is_bad_value(ProblemCode::MissingField, "/evaluations/0"));
        assert!(!is_bad_value(ProblemCode::Range, ""));
    }
}
