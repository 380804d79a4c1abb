//! Emergency-plan drills (7.3.2, C.SM.2, REVISION-2 B and G): every drill is a record (the
//! same date twice is two drills); a drill after as_of has not happened and is left out.

use chrono::NaiveDate;

use super::{Facts, parse_date};
use crate::model::EmergencyPlan;

/// One plan's name (or its position) and its drills on or before as_of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDrills {
    /// The plan's name, or "#n" (1-based) when it has none.
    pub name: String,
    /// Valid drill dates on or before as_of, as listed.
    pub dates: Vec<NaiveDate>,
}

/// The plans that fall short, with the drills each has in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanGaps {
    /// Number of plans.
    pub plans: u64,
    /// The plans short of the requirement: name and drills counted.
    pub short: Vec<(String, u64)>,
}

pub(super) fn plan_drills(plans: &[EmergencyPlan], as_of: NaiveDate) -> Vec<PlanDrills> {
    plans
        .iter()
        .enumerate()
        .map(|(i, p)| PlanDrills {
            name: p
                .name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format!("#{}", i + 1)),
            dates: p
                .drills
                .iter()
                .filter_map(|d| parse_date(d))
                .filter(|d| *d <= as_of)
                .collect(),
        })
        .collect()
}

impl Facts {
    /// Plans without a drill in the `days` before as_of, as_of − days included (7.3.2);
    /// `None` when the plan list is absent.
    #[must_use]
    pub fn plans_undrilled(&self, days: i64) -> Option<PlanGaps> {
        let clock = self.clock();
        let plans = self.records.drills.as_deref()?;
        Some(PlanGaps {
            plans: plans.len() as u64,
            short: plans
                .iter()
                .filter(|p| !p.dates.iter().any(|d| clock.within_days(*d, days)))
                .map(|p| (p.name.clone(), 0))
                .collect(),
        })
    }

    /// Plans with fewer than `min` drills in the `months` before as_of (C.SM.2); `None` when
    /// the plan list is absent.
    #[must_use]
    pub fn plans_drilled_fewer_than(&self, min: u64, months: u32) -> Option<PlanGaps> {
        let clock = self.clock();
        let plans = self.records.drills.as_deref()?;
        Some(PlanGaps {
            plans: plans.len() as u64,
            short: plans
                .iter()
                .map(|p| {
                    let n = p
                        .dates
                        .iter()
                        .filter(|d| clock.in_last_months(**d, months))
                        .count();
                    (p.name.clone(), n as u64)
                })
                .filter(|(_, n)| *n < min)
                .collect(),
        })
    }
}

impl PlanGaps {
    /// 7.3.2 in words: the plans not drilled, or that there is no plan; `None` when none
    /// falls short.
    #[must_use]
    pub fn describe_undrilled(&self, days: i64) -> Option<(String, String)> {
        if self.plans == 0 {
            return Some((
                "未制定突发事件应急预案".to_owned(),
                "no emergency plan has been adopted".to_owned(),
            ));
        }
        let names = self.names()?;
        Some((
            format!(
                "近 {days} 天内未演练的应急预案 {} 项：{}",
                self.short.len(),
                names.0
            ),
            format!(
                "{} emergency plan(s) not drilled in the last {days} days: {}",
                self.short.len(),
                names.1
            ),
        ))
    }

    /// C.SM.2 in words: each plan short of `min` drills with the drills it had.
    #[must_use]
    pub fn describe_fewer(&self, min: u64, months: u32) -> Option<(String, String)> {
        if self.short.is_empty() {
            return None;
        }
        let zh: Vec<String> = self
            .short
            .iter()
            .map(|(n, k)| format!("{n}（{k} 次）"))
            .collect();
        let en: Vec<String> = self
            .short
            .iter()
            .map(|(n, k)| format!("{n} ({k})"))
            .collect();
        Some((
            format!(
                "近 {months} 个月演练不足 {min} 次的应急预案 {} 项：{}",
                self.short.len(),
                zh.join("、")
            ),
            format!(
                "{} emergency plan(s) drilled fewer than {min} times in the last {months} months: {}",
                self.short.len(),
                en.join(", ")
            ),
        ))
    }

    fn names(&self) -> Option<(String, String)> {
        if self.short.is_empty() {
            return None;
        }
        let names: Vec<&str> = self.short.iter().map(|(n, _)| n.as_str()).collect();
        Some((names.join("、"), names.join(", ")))
    }
}
