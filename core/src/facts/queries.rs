//! Parameterised queries over the parsed records: the loops policy scripts must not write.

use chrono::TimeDelta;

use super::{Decimal, Facts};
use crate::model::{Domain, EvaluationKind, OrgKind, ServiceKind};

/// A share: how many of how many.
pub type Tally = (u64, u64);

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

    /// Cases first answered within `hours` of receipt, of all cases (7.2.3); `None` when
    /// cases are missing or one has no valid `received_at`.
    #[must_use]
    pub fn cases_responded_within(&self, hours: Decimal) -> Option<Tally> {
        let limit = TimeDelta::seconds(seconds(hours, 3600)?);
        let cases = self.records.cases.as_deref()?;
        let mut on_time = 0;
        for c in cases {
            let received = c.received?;
            if c.responded.is_some_and(|r| r - received <= limit) {
                on_time += 1;
            }
        }
        Some((on_time, cases.len() as u64))
    }

    /// Cases closed within `days` working days, of all cases (7.2.4).
    #[must_use]
    pub fn cases_closed_within(&self, days: i64) -> Option<Tally> {
        let cases = self.records.cases.as_deref()?;
        let mut in_time = 0;
        for c in cases {
            let received = c.received?;
            if c.closed.is_some_and(|x| {
                super::working_days_between(received.date_naive(), x.date_naive()) <= days
            }) {
                in_time += 1;
            }
        }
        Some((in_time, cases.len() as u64))
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
