//! Key enterprise visits by quarterly window (7.7.3, REVISION-2 B and G).

use chrono::NaiveDate;

use super::time::{Clock, months_before, parse_date};
use crate::model::CommunityProfile;

/// One quarterly window `(start, end]` and the key enterprises not visited in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarter {
    /// The last day before the window (excluded): `as_of − 3k months`.
    pub after: NaiveDate,
    /// The last day of the window (included): `as_of − 3(k−1) months`.
    pub until: NaiveDate,
    /// Ids of the key enterprises without a visit in the window, in list order.
    pub unvisited: Vec<String>,
}

/// The visits to key enterprises over the four quarterly windows before `as_of`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyVisits {
    /// Number of key enterprises listed.
    pub keys: usize,
    /// The four windows, oldest first.
    pub quarters: Vec<Quarter>,
    /// Ids of the key enterprises with at least one window unvisited, in list order.
    pub with_gap: Vec<String>,
    /// How messages name each key enterprise with a gap, by id: its name, else its place
    /// in the list (Chinese “第3家重点企业”, English its id).
    pub names: std::collections::BTreeMap<String, (String, String)>,
}

/// The quarterly windows `(as_of − 3k months, as_of − 3(k−1) months]`, k = 4…1 (oldest
/// first).
fn quarters(clock: Clock) -> Option<Vec<(NaiveDate, NaiveDate)>> {
    (1..=4u32)
        .rev()
        .map(|k| {
            let after = months_before(clock.as_of(), 3 * k)?;
            let until = months_before(clock.as_of(), 3 * (k - 1))?;
            Some((after, until))
        })
        .collect()
}

/// Key enterprise visits (7.7.3). `None` when `enterprises.key` is absent, a key
/// enterprise has no `visits` list, or a visit date is not a real date (G4: the rule cannot
/// place it). A visit after `as_of` falls in no window: it has not happened (a validation
/// problem, absent under REVISION-2 E).
#[must_use]
pub fn key_visits(profile: &CommunityProfile, clock: Clock) -> Option<KeyVisits> {
    let keys = profile.enterprises.as_ref()?.key.as_deref()?;
    let windows = quarters(clock)?;
    let mut visited: Vec<Vec<NaiveDate>> = Vec::with_capacity(keys.len());
    for key in keys {
        let dates: Option<Vec<NaiveDate>> = key
            .visits
            .as_deref()?
            .iter()
            .map(|d| parse_date(d))
            .collect();
        visited.push(dates?);
    }
    let quarters: Vec<Quarter> = windows
        .iter()
        .map(|&(after, until)| Quarter {
            after,
            until,
            unvisited: keys
                .iter()
                .zip(&visited)
                .filter(|(_, dates)| !dates.iter().any(|d| after < *d && *d <= until))
                .map(|(key, _)| key.id.clone())
                .collect(),
        })
        .collect();
    let gap_ids: std::collections::BTreeSet<&str> = quarters
        .iter()
        .flat_map(|q| q.unvisited.iter().map(String::as_str))
        .collect();
    let with_gap = keys
        .iter()
        .filter(|key| gap_ids.contains(key.id.as_str()))
        .map(|key| key.id.clone())
        .collect();
    // Only the enterprises a message can name: those with a gap.
    let names = keys
        .iter()
        .enumerate()
        .filter(|(_, k)| gap_ids.contains(k.id.as_str()))
        .map(|(i, k)| {
            let words = k.name.clone().map_or_else(
                || (format!("第{}家重点企业", i + 1), k.id.clone()),
                |n| (n.clone(), n),
            );
            (k.id.clone(), words)
        })
        .collect();
    Some(KeyVisits {
        keys: keys.len(),
        quarters,
        with_gap,
        names,
    })
}

impl KeyVisits {
    /// The gaps in words, one clause per window with an unvisited enterprise, for a
    /// message's `{detail}`: (Chinese, English), empty when there is none.
    #[must_use]
    pub fn gaps(&self) -> (String, String) {
        let (mut zh, mut en) = (Vec::new(), Vec::new());
        for q in self.quarters.iter().filter(|q| !q.unvisited.is_empty()) {
            let from = q.after.succ_opt().unwrap_or(q.after);
            let n = q.unvisited.len();
            let named = |zh: bool| -> Vec<&str> {
                q.unvisited
                    .iter()
                    .map(|id| {
                        self.names
                            .get(id)
                            .map_or(id.as_str(), |(z, e)| if zh { z } else { e })
                    })
                    .collect()
            };
            zh.push(format!(
                "{from}至{}期间{n}家未走访（{}）",
                q.until,
                named(true).join("、")
            ));
            en.push(format!(
                "{n} not visited from {from} to {} ({})",
                q.until,
                named(false).join(", ")
            ));
        }
        super::detail(&zh, &en)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use serde_json::json;

    use super::*;

    fn visits(keys: serde_json::Value) -> Option<KeyVisits> {
        let profile: CommunityProfile = serde_json::from_value(json!({
            "id": "t", "as_of": "2026-06-30", "enterprises": { "count": 10, "key": keys }
        }))
        .unwrap();
        key_visits(&profile, Clock::new(parse_date("2026-06-30").unwrap()))
    }

    #[test]
    fn windows_are_open_at_the_start_and_closed_at_the_end() {
        let v = visits(json!([{ "id": "a", "visits": ["2025-09-30", "2025-12-30", "2026-03-30", "2026-06-30"] }])).unwrap();
        assert!(v.with_gap.is_empty(), "{v:?}");
        let bounds: Vec<(String, String)> = v
            .quarters
            .iter()
            .map(|q| (q.after.to_string(), q.until.to_string()))
            .collect();
        assert_eq!(
            bounds,
            [
                ("2025-06-30", "2025-09-30"),
                ("2025-09-30", "2025-12-30"),
                ("2025-12-30", "2026-03-30"),
                ("2026-03-30", "2026-06-30"),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
        let v = visits(json!([{ "id": "a", "visits": ["2025-06-30", "2025-09-30", "2025-12-30", "2026-03-30"] }])).unwrap();
        assert_eq!(v.with_gap, ["a"], "as_of − 12 months is outside");
        assert_eq!(v.quarters[3].unvisited, ["a"]);
    }

    #[test]
    fn gaps_name_the_window_and_the_enterprises() {
        let v = visits(json!([
            { "id": "a", "visits": ["2025-08-01", "2025-11-01", "2026-02-01", "2026-05-01"] },
            { "id": "b", "name": "乙公司", "visits": ["2025-08-01", "2025-11-01", "2026-05-01", "2026-07-01"] },
            { "id": "c", "visits": [] }
        ]))
        .unwrap();
        assert_eq!(v.keys, 3);
        assert_eq!(v.with_gap, ["b", "c"], "a visit after as_of counts nowhere");
        let (zh, en) = v.gaps();
        assert!(
            zh.contains("2025-12-31至2026-03-30期间2家未走访（乙公司、第3家重点企业）"),
            "a name where given, else the place in the list: {zh}"
        );
        assert!(
            en.contains("2 not visited from 2025-12-31 to 2026-03-30 (乙公司, c)"),
            "{zh}"
        );
        assert!(
            en.starts_with(": 1 not visited from 2025-07-01 to 2025-09-30 (c)"),
            "{en}"
        );
        let named: Vec<&str> = v.names.keys().map(String::as_str).collect();
        assert_eq!(named, ["b", "c"], "only the enterprises a message names");
    }

    #[test]
    fn an_id_listed_twice_is_named_by_its_last_entry_and_shares_its_gaps() {
        let v = visits(json!([
            { "id": "a", "name": "甲一", "visits": ["2025-08-01", "2025-11-01", "2026-02-01", "2026-05-01"] },
            { "id": "a", "name": "甲二", "visits": [] }
        ]))
        .unwrap();
        assert_eq!(v.with_gap, ["a", "a"]);
        assert_eq!(v.names.get("a").map(|(zh, _)| zh.as_str()), Some("甲二"));
    }

    #[test]
    fn an_unplaceable_visit_leaves_the_rule_undecided() {
        assert!(visits(json!([{ "id": "a" }])).is_none(), "visits absent");
        assert!(visits(json!([{ "id": "a", "visits": ["2026-02-30"] }])).is_none());
        assert_eq!(visits(json!([])).map(|v| v.keys), Some(0));
    }
}
