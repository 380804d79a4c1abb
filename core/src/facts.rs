//! Derived values, computed once per profile so that every script and plugin reads the same
//! numbers (PROFILE.md, "Derived values"; the counting rules are those of READINGS.md).
//!
//! `None` means an input the value depends on is missing (READINGS G1, G4): the rule that
//! reads it reports `insufficient-data`. Dates and instants are parsed here once; the
//! parameterised queries (windows, limits) work on the parsed records.

mod calendar;
mod enterprises;
mod gaps;
mod grids;
mod number;
mod party;
mod queries;
mod safety;
mod time;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::model::{
    Case, CaseKind, CommunityProfile, Domain, Employment, EvaluationKind, Grid, OrgKind,
    Organization, Ownership, Premise, Role, Service, ServiceKind, SpaceKind, Staff,
};
pub use calendar::{Calendar, OutsideCalendar, YearSource};
pub use enterprises::{KeyVisits, Quarter, key_visits};
pub use gaps::{
    OpenDays, SessionRule, Sessions, actions_not_closed_in_time, findings_unanswered,
    months_without_inspection, open_days, sessions, station_staffing,
};
pub use grids::{GridGap, Slot, Staffing};
pub use number::{Decimal, exact, people_per_10k, share, share_at_least};
pub use party::{PartyLevels, PartyMisfit, party_levels};
pub use queries::{Counted, Tally, Timeliness};
pub use safety::{PlanDrills, PlanGaps};
pub use time::{Clock, months_before, parse_date, parse_instant, parse_time};

/// Values derived from one profile. Serialised (without the per-record tables) into plugin
/// input and available to scripts as `c.<name>`.
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    /// The profile's reference date.
    #[serde(serialize_with = "ser_date")]
    pub as_of: NaiveDate,
    /// Σ floor area of premises, shared ones only with a written agreement (5.1.1).
    #[serde(serialize_with = "ser_opt_dec")]
    pub supporting_area_m2: Option<Decimal>,
    /// Σ area of service-activity spaces in the premises counted above (5.1.2).
    #[serde(serialize_with = "ser_opt_dec")]
    pub activity_area_m2: Option<Decimal>,
    /// `activity_area_m2 / supporting_area_m2`, rounded once to the nearest f64.
    pub activity_share: Option<f64>,
    /// Premises with ownership `shared` and no written agreement (5.1.3).
    pub shared_without_agreement: Option<u64>,
    /// Distinct space kinds over all premises (5.2.1).
    pub space_kinds: Option<Vec<SpaceKind>>,
    /// Σ area of maker spaces over all premises (C.TI.3).
    #[serde(serialize_with = "ser_opt_dec")]
    pub maker_area_m2: Option<Decimal>,
    /// Distinct weekdays on which some premise opens (5.2.3).
    pub open_weekdays: Option<u64>,
    /// Off-peak opening sessions per week (5.2.4).
    pub offpeak_sessions: Option<u64>,
    /// Staff employed full-time (6.6.1).
    pub full_time_staff: Option<u64>,
    /// Full-time staff with a certificate other than `none` (6.6.2).
    pub full_time_certified: Option<u64>,
    /// `full_time_certified / full_time_staff`.
    pub certified_share: Option<f64>,
    /// Full-time staff with role social-worker (6.4.3).
    pub full_time_social_workers: Option<u64>,
    /// Certified social workers linked to an enterprise social work station (6.4.2).
    pub station_certified_social_workers: Option<u64>,
    /// Number of grids.
    pub grid_count: Option<u64>,
    /// Buildings in no grid or in several, plus grid buildings outside the list (6.7.2).
    pub building_partition_faults: Option<u64>,
    /// Days since the most recent drill (on or before as_of) of any emergency plan.
    pub days_since_last_drill: Option<i64>,
    /// Whole calendar months since the catalogue was published.
    pub months_since_catalogue_published: Option<u32>,
    /// Closed cases without feedback to the requester (7.2.2).
    pub closed_without_feedback: Option<u64>,
    /// Σ hazards found over all inspections (7.3.3).
    pub hazards_found: Option<u64>,
    /// Σ hazards closed over all inspections (7.3.3).
    pub hazards_closed: Option<u64>,
    /// Catalogue items lacking a field 7.5.2 requires.
    pub incomplete_services: Option<u64>,
    /// Σ `records_12m.enterprises_served` over all catalogue items (informative: 7.7.4
    /// reads `enterprises.served_12m`).
    pub enterprises_served: Option<u64>,
    /// Distinct new-stratum groups among members of new-stratum organisations (6.5.2).
    pub new_stratum_groups: u64,
    /// Index of the latest dated evaluation (8.2.1).
    pub latest_evaluation: Option<usize>,
    /// Index of the evaluation before the latest (8.4.3).
    pub previous_evaluation: Option<usize>,
    #[serde(skip)]
    pub(crate) records: Records,
}

/// Parsed per-record tables the parameterised queries work on.
#[derive(Debug, Clone, Default)]
pub(crate) struct Records {
    pub meetings: Vec<MeetingRecord>,
    pub cases: Option<Vec<CaseRecord>>,
    pub inspections: Option<Vec<Option<NaiveDate>>>,
    pub drills: Option<Vec<PlanDrills>>,
    pub grids: Option<Vec<GridRecord>>,
    /// Staff by id (the first record of an id); `None` when the staff list is absent.
    pub people: Option<People>,
    pub incidents: Option<Vec<(Option<NaiveDate>, bool)>>,
    pub evaluations: Option<Vec<EvaluationRecord>>,
    pub evidence: Vec<(String, Option<NaiveDate>)>,
    pub services: Option<Vec<(Option<Domain>, Option<ServiceKind>)>>,
}

#[derive(Debug, Clone)]
pub(crate) struct MeetingRecord {
    pub org_kind: OrgKind,
    pub joint: bool,
    pub date: Option<NaiveDate>,
    pub with_enterprises: bool,
}

/// What a grid's members are known by: a staff record's roles and employment.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub roles: Vec<Role>,
    pub employment: Option<Employment>,
}

pub(crate) type People = BTreeMap<String, Person>;

#[derive(Debug, Clone)]
pub(crate) struct GridRecord {
    pub id: String,
    pub one: Vec<String>,
    pub three: Vec<String>,
    pub n: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct CaseRecord {
    pub id: String,
    pub kind: Option<CaseKind>,
    pub emergency: bool,
    pub received: Option<DateTime<FixedOffset>>,
    pub responded: Option<DateTime<FixedOffset>>,
    pub closed: Option<DateTime<FixedOffset>>,
    /// A `responded_at` / `closed_at` is given but is no valid instant.
    pub responded_invalid: bool,
    pub closed_invalid: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct EvaluationRecord {
    pub kind: Option<EvaluationKind>,
    pub date: Option<NaiveDate>,
    pub full_scores: bool,
}

fn ser_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn ser_opt_dec<S: serde::Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    use rust_decimal::prelude::ToPrimitive;
    match d.and_then(|d| d.to_f64()) {
        Some(v) => s.serialize_f64(v),
        None => s.serialize_none(),
    }
}

/// Σ of exact values; `None` if any is missing (G4).
fn exact_sum<I: IntoIterator<Item = Option<f64>>>(values: I) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(exact(v?)?))
}

fn count<T>(items: &[T], pred: impl Fn(&T) -> bool) -> u64 {
    items.iter().filter(|i| pred(i)).count() as u64
}

impl Facts {
    /// Derives every value from `profile`; `None` when `as_of` is not a valid date.
    #[must_use]
    pub fn derive(profile: &CommunityProfile) -> Option<Self> {
        Some(Self::derive_at(profile, parse_date(&profile.as_of)?))
    }

    /// Derives every value from `profile` as of `as_of` instead of the profile's own date
    /// (`--as-of`): every window, effective date and record is judged against it.
    #[must_use]
    pub fn derive_at(profile: &CommunityProfile, as_of: NaiveDate) -> Self {
        let clock = Clock::new(as_of);
        let premises = PremiseFacts::of(profile.premises.as_deref());
        let orgs = profile.organizations.as_deref().unwrap_or_default();
        let staff = StaffFacts::of(profile.staff.as_deref(), orgs);
        let records = Records::of(profile, as_of);
        let grids = profile.grids.as_ref().and_then(|g| g.items.as_deref());
        let buildings = profile
            .enterprises
            .as_ref()
            .and_then(|e| e.buildings.as_deref());
        let inspections = profile
            .safety
            .as_ref()
            .and_then(|s| s.inspections.as_deref());
        let catalogue = profile.service_catalogue.as_ref();
        let items = catalogue.and_then(|c| c.items.as_deref());
        let latest_evaluation = records
            .evaluations
            .as_deref()
            .and_then(|es| latest(es, None));
        let previous_evaluation = match (records.evaluations.as_deref(), latest_evaluation) {
            (Some(es), Some(l)) => es
                .get(l)
                .and_then(|e| e.date)
                .and_then(|before| latest(es, Some(before))),
            _ => None,
        };
        Self {
            as_of,
            supporting_area_m2: premises.supporting_area_m2,
            activity_area_m2: premises.activity_area_m2,
            activity_share: premises.activity_share,
            shared_without_agreement: premises.shared_without_agreement,
            space_kinds: premises.space_kinds,
            maker_area_m2: premises.maker_area_m2,
            open_weekdays: premises.open_weekdays,
            offpeak_sessions: premises.offpeak_sessions,
            full_time_staff: staff.full_time,
            full_time_certified: staff.full_time_certified,
            certified_share: staff.certified_share,
            full_time_social_workers: staff.full_time_social_workers,
            station_certified_social_workers: staff.station_certified_social_workers,
            grid_count: grids.map(|g| g.len() as u64),
            building_partition_faults: grids.zip(buildings).map(|(g, b)| partition_faults(g, b)),
            days_since_last_drill: records
                .drills
                .iter()
                .flatten()
                .flat_map(|p| &p.dates)
                .max()
                .map(|d| clock.days_since(*d)),
            months_since_catalogue_published: catalogue
                .and_then(|c| c.published_on.as_deref())
                .and_then(parse_date)
                .map(|p| {
                    (0..=1200u32)
                        .take_while(|n| !clock.within_months(p, *n))
                        .count() as u32
                }),
            closed_without_feedback: profile.cases.as_ref().map(|cs| {
                count(cs, |c| {
                    c.closed_at.is_some() && c.feedback_given != Some(true)
                })
            }),
            hazards_found: inspections.and_then(|is| is.iter().map(|i| i.hazards_found).sum()),
            hazards_closed: inspections.and_then(|is| is.iter().map(|i| i.hazards_closed).sum()),
            incomplete_services: items.map(|is| count(is, |s| !described(s))),
            enterprises_served: items.and_then(|is| {
                is.iter()
                    .map(|s| s.records_12m.as_ref().and_then(|r| r.enterprises_served))
                    .sum()
            }),
            new_stratum_groups: orgs
                .iter()
                .filter(|o| o.kind == OrgKind::NewStratumOrganization)
                .flat_map(|o| &o.members)
                .filter_map(|m| m.group)
                .collect::<BTreeSet<_>>()
                .len() as u64,
            latest_evaluation,
            previous_evaluation,
            records,
        }
    }

    /// The clock at the profile's `as_of`.
    #[must_use]
    pub const fn clock(&self) -> Clock {
        Clock::new(self.as_of)
    }
}

/// What the premises give: areas, the activity share, space kinds and opening hours.
struct PremiseFacts {
    supporting_area_m2: Option<Decimal>,
    activity_area_m2: Option<Decimal>,
    activity_share: Option<f64>,
    shared_without_agreement: Option<u64>,
    space_kinds: Option<Vec<SpaceKind>>,
    maker_area_m2: Option<Decimal>,
    open_weekdays: Option<u64>,
    offpeak_sessions: Option<u64>,
}

impl PremiseFacts {
    fn of(premises: Option<&[Premise]>) -> Self {
        let counted = |p: &&Premise| {
            p.ownership != Some(Ownership::Shared) || p.shared_agreement == Some(true)
        };
        // A premise whose ownership is absent may be shared without an agreement: whether
        // it counts is not known, so neither are the totals (never a silent inclusion).
        let undecided = |p: &Premise| p.ownership.is_none() && p.shared_agreement != Some(true);
        let premises_known = premises.filter(|ps| !ps.iter().any(undecided));
        let supporting_area_m2 = premises_known
            .and_then(|ps| exact_sum(ps.iter().filter(counted).map(|p| p.floor_area_m2)));
        let activity_area_m2 = premises_known.and_then(|ps| {
            exact_sum(
                ps.iter()
                    .filter(counted)
                    .flat_map(|p| &p.spaces)
                    .filter(|s| s.service_activity == Some(true))
                    .map(|s| s.area_m2),
            )
        });
        let activity_share = match (activity_area_m2, supporting_area_m2) {
            (Some(a), Some(s)) => share(a, s),
            _ => None,
        };
        Self {
            supporting_area_m2,
            activity_area_m2,
            activity_share,
            shared_without_agreement: premises.and_then(|ps| {
                let n = count(ps, |p| {
                    p.ownership == Some(Ownership::Shared) && p.shared_agreement != Some(true)
                });
                (n > 0 || premises_known.is_some()).then_some(n)
            }),
            space_kinds: premises.map(|ps| {
                let mut kinds: Vec<SpaceKind> =
                    ps.iter().flat_map(|p| &p.spaces).map(|s| s.kind).collect();
                kinds.sort_unstable();
                kinds.dedup();
                kinds
            }),
            maker_area_m2: premises.and_then(|ps| {
                exact_sum(
                    ps.iter()
                        .flat_map(|p| &p.spaces)
                        .filter(|s| s.kind == SpaceKind::Maker)
                        .map(|s| s.area_m2),
                )
            }),
            open_weekdays: premises.map(|ps| {
                // One bit per weekday open.
                let days = ps
                    .iter()
                    .flat_map(|p| &p.opening_hours)
                    .map(|h| h.weekday)
                    .filter(|d| (1..=7).contains(d))
                    .fold(0_u8, |days, d| days | (1 << d));
                u64::from(days.count_ones())
            }),
            offpeak_sessions: premises.map(|ps| ps.iter().map(offpeak_sessions).sum()),
        }
    }
}

/// A premise's distinct off-peak sessions (5.2.4).
fn offpeak_sessions(p: &Premise) -> u64 {
    let mut distinct: Vec<(u8, &str, &str)> = p
        .opening_hours
        .iter()
        .filter(|h| is_offpeak(h.weekday, &h.open, &h.close))
        .map(|h| (h.weekday, h.open.as_str(), h.close.as_str()))
        .collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() as u64
}

/// Staff counts: full-time, certified, social workers (all `None` without a staff list).
struct StaffFacts {
    full_time: Option<u64>,
    full_time_certified: Option<u64>,
    certified_share: Option<f64>,
    full_time_social_workers: Option<u64>,
    station_certified_social_workers: Option<u64>,
}

impl StaffFacts {
    fn of(staff: Option<&[Staff]>, orgs: &[Organization]) -> Self {
        let full_time = |s: &Staff| s.employment == Some(Employment::FullTime);
        let certified = |s: &Staff| {
            s.certificate
                .is_some_and(|c| c != crate::model::Certificate::None)
        };
        let full_time_staff = staff.map(|st| count(st, |s| full_time(s)));
        let full_time_certified = staff.map(|st| count(st, |s| full_time(s) && certified(s)));
        let stations: BTreeSet<&str> = orgs
            .iter()
            .filter(|o| o.kind == OrgKind::EnterpriseSocialWorkStation)
            .map(|o| o.id.as_str())
            .collect();
        Self {
            full_time: full_time_staff,
            full_time_certified,
            certified_share: match (full_time_certified, full_time_staff) {
                (Some(c), Some(t)) => share(Decimal::from(c), Decimal::from(t)),
                _ => None,
            },
            full_time_social_workers: staff.map(|st| {
                count(st, |s| {
                    full_time(s) && s.roles.contains(&Role::SocialWorker)
                })
            }),
            station_certified_social_workers: staff.map(|st| {
                count(st, |s| {
                    s.roles.contains(&Role::SocialWorker)
                        && certified(s)
                        && s.org_ids.iter().any(|o| stations.contains(o.as_str()))
                })
            }),
        }
    }
}

/// Listed buildings in no grid or in several, plus buildings of a grid that are not listed.
fn partition_faults(grids: &[Grid], buildings: &[String]) -> u64 {
    let listed: BTreeSet<&str> = buildings.iter().map(String::as_str).collect();
    let mut faults = 0u64;
    for b in &listed {
        let homes = grids
            .iter()
            .filter(|g| g.buildings.iter().any(|x| x == b))
            .count();
        if homes != 1 {
            faults += 1;
        }
    }
    let outside: BTreeSet<&str> = grids
        .iter()
        .flat_map(|g| &g.buildings)
        .map(String::as_str)
        .filter(|b| !listed.contains(b))
        .collect();
    faults + outside.len() as u64
}

/// Whether a catalogue item says what, by whom, for whom, how and how often (5.3.1).
fn described(s: &Service) -> bool {
    let nonempty = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.is_empty());
    nonempty(&s.name)
        && s.domain.is_some()
        && s.provider_kind.is_some()
        && s.target.is_some()
        && s.mode.is_some()
        && (s.frequency.is_some() || s.time_limit_working_days.is_some())
}

impl Records {
    /// The per-record tables of `profile`, dates parsed once.
    fn of(profile: &CommunityProfile, as_of: NaiveDate) -> Self {
        let safety = profile.safety.as_ref();
        let orgs = profile.organizations.as_deref().unwrap_or_default();
        Self {
            meetings: orgs
                .iter()
                .flat_map(|o| {
                    o.meetings.iter().map(move |m| MeetingRecord {
                        org_kind: o.kind,
                        joint: m.kind == Some(crate::model::MeetingKind::Joint),
                        date: m.date.as_deref().and_then(parse_date),
                        with_enterprises: m.enterprise_attendees.is_some_and(|n| n > 0),
                    })
                })
                .collect(),
            cases: profile
                .cases
                .as_ref()
                .map(|cs| cs.iter().map(CaseRecord::of).collect()),
            inspections: safety.and_then(|s| s.inspections.as_deref()).map(|is| {
                is.iter()
                    .map(|i| i.date.as_deref().and_then(parse_date))
                    .collect()
            }),
            drills: safety
                .and_then(|s| s.emergency_plans.as_deref())
                .map(|ps| safety::plan_drills(ps, as_of)),
            grids: profile
                .grids
                .as_ref()
                .and_then(|g| g.items.as_deref())
                .map(|gs| {
                    gs.iter()
                        .map(|g| GridRecord {
                            id: g.id.clone(),
                            one: g.one.clone(),
                            three: g.three.clone(),
                            n: g.n.clone(),
                        })
                        .collect()
                }),
            people: profile.staff.as_deref().map(|st| {
                let mut people = People::new();
                for s in st {
                    people.entry(s.id.clone()).or_insert_with(|| Person {
                        roles: s.roles.clone(),
                        employment: s.employment,
                    });
                }
                people
            }),
            incidents: safety.and_then(|s| s.incidents.as_deref()).map(|is| {
                is.iter()
                    .map(|i| {
                        (
                            i.date.as_deref().and_then(parse_date),
                            i.severity == Some(crate::model::Severity::Serious),
                        )
                    })
                    .collect()
            }),
            evaluations: profile.evaluations.as_ref().map(|es| {
                es.iter()
                    .map(|e| EvaluationRecord {
                        kind: e.kind,
                        date: e.date.as_deref().and_then(parse_date),
                        full_scores: e.scores.as_ref().is_some_and(|s| {
                            s.content.is_some() && s.quality.is_some() && s.performance.is_some()
                        }),
                    })
                    .collect()
            }),
            evidence: profile
                .evidence
                .iter()
                .map(|e| (e.clause.clone(), e.date.as_deref().and_then(parse_date)))
                .collect(),
            services: profile
                .service_catalogue
                .as_ref()
                .and_then(|c| c.items.as_deref())
                .map(|is| is.iter().map(|s| (s.domain, s.kind)).collect()),
        }
    }
}

impl CaseRecord {
    fn of(c: &Case) -> Self {
        Self {
            id: c.id.clone(),
            kind: c.kind,
            emergency: c.kind == Some(CaseKind::Emergency),
            received: c.received_at.as_deref().and_then(parse_instant),
            responded: c.responded_at.as_deref().and_then(parse_instant),
            closed: c.closed_at.as_deref().and_then(parse_instant),
            responded_invalid: c
                .responded_at
                .as_deref()
                .is_some_and(|t| parse_instant(t).is_none()),
            closed_invalid: c
                .closed_at
                .as_deref()
                .is_some_and(|t| parse_instant(t).is_none()),
        }
    }
}

/// Index of the evaluation with the greatest valid date (strictly before `before` when
/// given); ties go to the first in list order, undated ones are ignored (8.2.1, 8.4.3).
fn latest(evaluations: &[EvaluationRecord], before: Option<NaiveDate>) -> Option<usize> {
    let mut best: Option<(usize, NaiveDate)> = None;
    for (i, e) in evaluations.iter().enumerate() {
        let Some(d) = e.date else { continue };
        if before.is_some_and(|b| d >= b) {
            continue;
        }
        if best.is_none_or(|(_, bd)| d > bd) {
            best = Some((i, d));
        }
    }
    best.map(|(i, _)| i)
}

/// Gaps for a message's `{detail}`: "：a；b" and ": a; b", or empty texts when there is
/// none.
fn detail(zh: &[String], en: &[String]) -> (String, String) {
    if zh.is_empty() {
        return (String::new(), String::new());
    }
    (
        format!("：{}", zh.join("；")),
        format!(": {}", en.join("; ")),
    )
}

/// An off-peak session (5.2.4): weekday 6 or 7, open across 12:00–13:30, or closing after
/// 18:00.
#[must_use]
pub fn is_offpeak(weekday: u8, open: &str, close: &str) -> bool {
    if weekday == 6 || weekday == 7 {
        return true;
    }
    match (parse_time(open, false), parse_time(close, true)) {
        (Some(o), Some(c)) => (o <= 12 * 60 && c >= 13 * 60 + 30) || c > 18 * 60,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
