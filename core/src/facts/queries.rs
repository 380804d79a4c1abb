//! Parameterised queries over the parsed records: the loops policy scripts must not write.

use chrono::{Offset, TimeDelta};

use super::{Calendar, Decimal, Facts, OutsideCalendar};
use crate::model::{CaseKind, Domain, EvaluationKind, OrgKind, ServiceKind};

/// A share: how many of how many.
pub type Tally = (u64, u64);

/// Requests counted against a working-day limit (7.2.3, 7.2.4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeliness {
    /// Counted requests handled in time.
    pub in_time: u64,
    /// Requests counted.
    pub counted: u64,
    /// Ids of the counted requests that were late, in list order.
    pub late: Vec<String>,
}

impl Timeliness {
    fn count(&mut self, in_time: bool, id: &str) {
        self.counted += 1;
        if in_time {
            self.in_time += 1;
        } else {
            self.late.push(id.to_owned());
        }
    }
}

/// A count, or the year the calendar lacks to make it.
pub type Counted = Result<Timeliness, OutsideCalendar>;

fn seconds(limit: Decimal, unit: i64) -> Option<i64> {
    use rust_decimal::prelude::ToPrimitive;
    limit.checked_mul(Decimal::from(unit))?.floor().to_i64()
}

impl Facts {
    /// Meetings (any kind) of organisations of `kind` in the `months` before as_of (6.2.3).
    #[must_use]
    pub fn meetings_in_last_months(&self, kind: OrgKind, months: u32) -> u64 {
        let clock = self.clock();
        self.records
            .meetings
            .iter()
            .filter(|m| {
                m.org_kind == kind && m.date.is_some_and(|d| clock.in_last_months(d, months))
            })
            .count() as u64
    }

    /// Governance-committee meetings with enterprise attendees in the window (7.2.1).
    #[must_use]
    pub fn consultations_in_last_months(&self, months: u32) -> u64 {
        let clock = self.clock();
        self.records
            .meetings
            .iter()
            .filter(|m| {
                m.org_kind == OrgKind::GovernanceCommittee
                    && m.with_enterprises
                    && m.date.is_some_and(|d| clock.in_last_months(d, months))
            })
            .count() as u64
    }

    /// Joint meetings in the window recorded on organisations of `kinds`, one per distinct
    /// date: a meeting recorded on three organisations is one meeting (6.5.3).
    #[must_use]
    pub fn joint_meeting_dates(&self, kinds: &[OrgKind], months: u32) -> u64 {
        let clock = self.clock();
        self.records
            .meetings
            .iter()
            .filter(|m| m.joint && kinds.contains(&m.org_kind))
            .filter_map(|m| m.date)
            .filter(|d| clock.in_last_months(*d, months))
            .collect::<std::collections::BTreeSet<_>>()
            .len() as u64
    }

    /// Requests answered within one working day (7.2.3): every case but emergencies (7.3.4
    /// covers those). Counted: cases answered (in time when `responded_at` ≤ the deadline of
    /// [`Calendar::response_deadline`]) and unanswered cases whose deadline's local date is
    /// before as_of (late); an unanswered case whose deadline is still ahead is left out.
    /// `None` when cases are missing, or a case lacks its kind, a valid `received_at`, or has
    /// an invalid `responded_at`.
    #[must_use]
    pub fn requests_answered_in_time(&self, calendar: &Calendar) -> Option<Counted> {
        let cases = self.records.cases.as_deref()?;
        let mut t = Timeliness::default();
        for c in cases {
            if c.kind? == CaseKind::Emergency {
                continue;
            }
            let received = c.received?;
            if c.responded_invalid {
                return None;
            }
            let deadline = match calendar.response_deadline(received.naive_local()) {
                Ok(d) => d,
                Err(e) => return Some(Err(e)),
            };
            let on_time = match c.responded {
                Some(r) => r.naive_utc() <= deadline - received.offset().fix(),
                None if deadline.date() < self.as_of => false,
                None => continue,
            };
            t.count(on_time, &c.id);
        }
        Some(Ok(t))
    }

    /// Requests of `kinds` closed within `days` working days (7.2.4): due at the end of the
    /// `days`-th working day after the receipt date ([`Calendar::due_date`]). Counted:
    /// closed cases (in time when `closed_at`'s local date ≤ the due date) and open cases
    /// due before as_of (late); an open case not yet due is left out. `None` as for
    /// [`Facts::requests_answered_in_time`], with `closed_at` for `responded_at`.
    #[must_use]
    pub fn requests_closed_in_time(
        &self,
        calendar: &Calendar,
        kinds: &[CaseKind],
        days: u32,
    ) -> Option<Counted> {
        let cases = self.records.cases.as_deref()?;
        let mut t = Timeliness::default();
        for c in cases {
            if !kinds.contains(&c.kind?) {
                continue;
            }
            let received = c.received?;
            if c.closed_invalid {
                return None;
            }
            let due = match calendar.due_date(received.naive_local().date(), days) {
                Ok(d) => d,
                Err(e) => return Some(Err(e)),
            };
            let in_time = match c.closed {
                Some(x) => x.naive_local().date() <= due,
                None if due < self.as_of => false,
                None => continue,
            };
            t.count(in_time, &c.id);
        }
        Some(Ok(t))
    }

    /// Emergency cases not answered within `minutes` (7.3.4).
    #[must_use]
    pub fn late_emergencies(&self, minutes: Decimal) -> Option<u64> {
        let limit = TimeDelta::seconds(seconds(minutes, 60)?);
        let mut late = 0;
        for c in self
            .records
            .cases
            .as_deref()?
            .iter()
            .filter(|c| c.emergency)
        {
            let received = c.received?;
            if c.responded.is_none_or(|r| r - received > limit) {
                late += 1;
            }
        }
        Some(late)
    }

    /// Inspection records in the `months` before as_of (7.3.1).
    #[must_use]
    pub fn inspections_in_last_months(&self, months: u32) -> Option<u64> {
        let clock = self.clock();
        let inspections = self.records.inspections.as_deref()?;
        Some(
            inspections
                .iter()
                .flatten()
                .filter(|d| clock.in_last_months(**d, months))
                .count() as u64,
        )
    }

    /// Number of emergency plans (7.3.2).
    #[must_use]
    pub fn emergency_plans(&self) -> Option<u64> {
        self.records.drills.as_ref().map(|d| d.len() as u64)
    }

    /// Serious incidents in the `months` before as_of (8.3.1, veto).
    #[must_use]
    pub fn serious_incidents_in_last_months(&self, months: u32) -> Option<u64> {
        let clock = self.clock();
        let incidents = self.records.incidents.as_deref()?;
        Some(
            incidents
                .iter()
                .filter(|(d, serious)| {
                    *serious && d.is_some_and(|d| clock.in_last_months(d, months))
                })
                .count() as u64,
        )
    }

    /// Evaluations (of `kind`, when given) dated at most `months` before as_of, and when
    /// `full_scores` only those scoring content, quality and performance (8.1.1, 8.1.2).
    #[must_use]
    pub fn evaluations_within_months(
        &self,
        kind: Option<EvaluationKind>,
        months: u32,
        full_scores: bool,
    ) -> Option<u64> {
        let clock = self.clock();
        let evaluations = self.records.evaluations.as_deref()?;
        Some(
            evaluations
                .iter()
                .filter(|e| kind.is_none_or(|k| e.kind == Some(k)))
                .filter(|e| !full_scores || e.full_scores)
                .filter(|e| e.date.is_some_and(|d| clock.within_months(d, months)))
                .count() as u64,
        )
    }

    /// Whether `evidence[]` holds an entry for `clause` dated at most `months` before as_of.
    #[must_use]
    pub fn has_current_evidence(&self, clause: &str, months: u32) -> bool {
        let clock = self.clock();
        self.records
            .evidence
            .iter()
            .any(|(c, d)| c == clause && d.is_some_and(|d| clock.within_months(d, months)))
    }

    /// Distinct kinds of catalogue items, of `domain` when given; `None` without items.
    #[must_use]
    pub fn service_kinds(&self, domain: Option<Domain>) -> Option<Vec<ServiceKind>> {
        let services = self.records.services.as_deref()?;
        let kinds: std::collections::BTreeSet<ServiceKind> = services
            .iter()
            .filter(|(d, _)| domain.is_none() || *d == domain)
            .filter_map(|(_, k)| *k)
            .collect();
        Some(kinds.into_iter().collect())
    }
}
