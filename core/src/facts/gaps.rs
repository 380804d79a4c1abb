//! Per-record checks that name the gap they find: which premises, stations, months,
//! findings or actions fall short (REVISION-2 section B: 5.2.3, 5.2.4, 6.4.2, 7.3.1,
//! 8.4.1, 8.4.2, C.SM.4). The loops policy scripts must not write; `None` is a missing
//! input the rule reports as `insufficient-data`.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::{Facts, months_before, parse_date, parse_time};
use crate::model::{
    Certificate, CommunityProfile, Evaluation, ImprovementAction, OrgKind, Premise, Role,
};

/// What a record is called in a message: its name, else its id.
fn label(name: Option<&String>, id: &str) -> String {
    name.filter(|n| !n.trim().is_empty())
        .map_or_else(|| id.to_owned(), Clone::clone)
}

/// Premises with opening hours, and those among them open on fewer than `min` distinct
/// weekdays (5.2.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDays {
    /// Premises with at least one opening-hours entry.
    pub with_hours: u64,
    /// Names of those open on fewer than the minimum of distinct weekdays, in list order.
    pub below: Vec<String>,
}

/// [`OpenDays`] for `premises`.
#[must_use]
pub fn open_days(premises: &[Premise], min: u64) -> OpenDays {
    let mut out = OpenDays {
        with_hours: 0,
        below: Vec::new(),
    };
    for p in premises.iter().filter(|p| !p.opening_hours.is_empty()) {
        out.with_hours += 1;
        let days: BTreeSet<u8> = p
            .opening_hours
            .iter()
            .map(|h| h.weekday)
            .filter(|d| (1..=7).contains(d))
            .collect();
        if (days.len() as u64) < min {
            out.below.push(label(p.name.as_ref(), &p.id));
        }
    }
    out
}

/// Off-peak sessions a week by kind; each session counts once, under the first kind it
/// has in the order weekend, evening, lunch (5.2.4) or weekend, evening, early (C.SM.4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sessions {
    /// Saturday or Sunday sessions.
    pub weekend: u64,
    /// Weekday sessions closing after 18:00.
    pub evening: u64,
    /// Weekday sessions open across 12:00–13:30 (5.2.4 only).
    pub lunch: u64,
    /// Weekday sessions opening before 08:00 (C.SM.4 only).
    pub early: u64,
}

impl Sessions {
    /// All sessions counted.
    #[must_use]
    pub const fn total(&self) -> u64 {
        self.weekend + self.evening + self.lunch + self.early
    }
}

/// Which sessions count as off-peak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionRule {
    /// 5.2.4: weekend, lunch (open ≤ 12:00 and close ≥ 13:30), evening (close > 18:00).
    OffPeak,
    /// C.SM.4, for shift workers: weekend, evening (close > 18:00), early (open < 08:00);
    /// a weekday opening that only spans lunch does not count.
    Shift,
}

/// Sessions of `premises` under `rule`; identical (weekday, open, close) entries of one
/// premise count once, entries of different premises separately.
#[must_use]
pub fn sessions(premises: &[Premise], rule: SessionRule) -> Sessions {
    let mut out = Sessions::default();
    for p in premises {
        let distinct: BTreeSet<(u8, &str, &str)> = p
            .opening_hours
            .iter()
            .map(|h| (h.weekday, h.open.as_str(), h.close.as_str()))
            .collect();
        for (weekday, open, close) in distinct {
            if weekday == 6 || weekday == 7 {
                out.weekend += 1;
                continue;
            }
            let (Some(o), Some(c)) = (parse_time(open, false), parse_time(close, true)) else {
                continue;
            };
            if c > 18 * 60 {
                out.evening += 1;
            } else if rule == SessionRule::OffPeak && o <= 12 * 60 && c >= 13 * 60 + 30 {
                out.lunch += 1;
            } else if rule == SessionRule::Shift && o < 8 * 60 {
                out.early += 1;
            }
        }
    }
    out
}

/// Certified social workers per enterprise social work station, in list order (6.4.2): a
/// person counts for the first station among their `org_ids`; `None` without staff.
#[must_use]
pub fn station_staffing(profile: &CommunityProfile) -> Option<Vec<(String, u64)>> {
    let staff = profile.staff.as_deref()?;
    let stations: Vec<&crate::model::Organization> = profile
        .organizations
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter(|o| o.kind == OrgKind::EnterpriseSocialWorkStation)
        .collect();
    let mut counts = vec![0u64; stations.len()];
    for s in staff {
        let certified = s.certificate.is_some_and(|c| c != Certificate::None);
        if !(certified && s.roles.contains(&Role::SocialWorker)) {
            continue;
        }
        let first = s
            .org_ids
            .iter()
            .find_map(|id| stations.iter().position(|o| &o.id == id));
        if let Some(count) = first.and_then(|i| counts.get_mut(i)) {
            *count += 1;
        }
    }
    Some(
        stations
            .iter()
            .zip(counts)
            .map(|(o, n)| (label(o.name.as_ref(), &o.id), n))
            .collect(),
    )
}

/// The monthly windows of 7.3.1 short of `per_month` inspections, oldest first, each as
/// `(first day, last day)`; `None` without a register, or when an undated inspection could
/// fill a month that is short (it is missing data, not a missing inspection).
#[must_use]
pub fn months_without_inspection(
    facts: &Facts,
    per_month: u64,
) -> Option<Vec<(NaiveDate, NaiveDate)>> {
    let inspections = facts.records.inspections.as_deref()?;
    let undated = inspections.iter().any(Option::is_none);
    let mut short = Vec::new();
    for k in (1..=12).rev() {
        let start = months_before(facts.as_of, k)?;
        let end = months_before(facts.as_of, k - 1)?;
        let held = inspections
            .iter()
            .flatten()
            .filter(|d| start < **d && **d <= end)
            .count() as u64;
        if held < per_month {
            short.push((start.succ_opt()?, end));
        }
    }
    if undated && !short.is_empty() {
        return None;
    }
    Some(short)
}

fn date_of(e: &Evaluation) -> Option<NaiveDate> {
    e.date.as_deref().and_then(parse_date)
}

/// Findings of the latest evaluation with no action that has an owner and a due date at
/// most `days` after the evaluation's date (8.4.1), by id. `None` when an evaluation is
/// undated (it could be the latest); no evaluation or no finding gives an empty list.
#[must_use]
pub fn findings_unanswered(
    evaluations: &[Evaluation],
    latest: Option<usize>,
    actions: &[ImprovementAction],
    days: i64,
) -> Option<Vec<String>> {
    if evaluations.iter().any(|e| date_of(e).is_none()) {
        return None;
    }
    let Some((latest, date)) = latest
        .and_then(|i| evaluations.get(i))
        .and_then(|e| Some((e, date_of(e)?)))
    else {
        return Some(Vec::new());
    };
    let answers = |finding: &str| {
        actions.iter().any(|a| {
            a.evaluation_id.as_deref() == Some(latest.id.as_str())
                && a.finding_id.as_deref() == Some(finding)
                && a.owner.as_deref().is_some_and(|o| !o.trim().is_empty())
                && a.due_on
                    .as_deref()
                    .and_then(parse_date)
                    .is_some_and(|due| (due - date).num_days() <= days)
        })
    };
    Some(
        latest
            .findings
            .iter()
            .filter(|f| !answers(&f.id))
            .map(|f| f.id.clone())
            .collect(),
    )
}

/// Actions of evaluations dated at least `days` before `as_of` that are not verified and
/// closed within `days` of the evaluation's date, whatever their `due_on` (8.4.2), by id.
/// `None` when an action names no evaluation, an unknown one or an undated one: whether it
/// is due cannot be told.
#[must_use]
pub fn actions_not_closed_in_time(
    evaluations: &[Evaluation],
    actions: &[ImprovementAction],
    as_of: NaiveDate,
    days: i64,
) -> Option<Vec<String>> {
    let mut overdue = Vec::new();
    for a in actions {
        let evaluated = a
            .evaluation_id
            .as_deref()
            .and_then(|id| evaluations.iter().find(|e| e.id == id))
            .and_then(date_of)?;
        if (as_of - evaluated).num_days() < days {
            continue;
        }
        let closed_in_time = a
            .closed_on
            .as_deref()
            .and_then(parse_date)
            .is_some_and(|c| (c - evaluated).num_days() <= days);
        if !(closed_in_time && a.verified == Some(true)) {
            overdue.push(a.id.clone());
        }
    }
    Some(overdue)
}
