//! The working-day calendar (REVISION-2 D): official public holidays and the weekend days
//! made working days (调休), year by year from the State Council General Office's notices.
//!
//! A working day is a Monday–Friday date not in `holidays`, or a date in
//! `adjusted_workdays`. A date of a year the calendar does not list under `years` is never
//! guessed: every function that needs it answers [`OutsideCalendar`] naming the year.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use super::parse_date;

/// A date of a year the calendar does not cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutsideCalendar {
    /// The missing year.
    pub year: i32,
}

impl std::fmt::Display for OutsideCalendar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the working-day calendar does not cover {}", self.year)
    }
}

/// Where one year's dates come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearSource {
    /// The notice, e.g. 《国务院办公厅关于2026年部分节假日安排的通知》.
    pub notice: String,
    /// The notice's date (`YYYY-MM-DD`).
    pub date: String,
    /// Its document number (文号), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

/// The calendar as written in `calendar.toml` or in an overlay's `set_params.calendar`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    adjusted_workdays: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    years: BTreeMap<String, YearSource>,
}

/// Official holidays and adjusted working days, with the years they cover.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Written", into = "Written")]
pub struct Calendar {
    /// A pack file holding the calendar (`{ file = "calendar.toml" }`), replaced by its
    /// content when the pack is read.
    pub file: Option<String>,
    /// Official public holidays (every day off of the notices' ranges).
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days made working days (调休上班).
    pub adjusted_workdays: BTreeSet<NaiveDate>,
    /// The years covered, each with its notice.
    pub years: BTreeMap<i32, YearSource>,
}

impl TryFrom<Written> for Calendar {
    type Error = String;

    fn try_from(w: Written) -> Result<Self, String> {
        let dates = |list: &[String], what: &str| -> Result<BTreeSet<NaiveDate>, String> {
            list.iter()
                .map(|t| {
                    parse_date(t)
                        .ok_or_else(|| format!("`{t}` in `{what}` is not a YYYY-MM-DD date"))
                })
                .collect()
        };
        let holidays = dates(&w.holidays, "holidays")?;
        let adjusted_workdays = dates(&w.adjusted_workdays, "adjusted_workdays")?;
        let mut years = BTreeMap::new();
        for (key, source) in w.years {
            let year: i32 = key
                .parse()
                .ok()
                .filter(|_| key.len() == 4 && key.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| format!("`years.{key}` is not a four-digit year"))?;
            if parse_date(&source.date).is_none() {
                return Err(format!(
                    "`years.{key}.date` `{}` is not a YYYY-MM-DD date",
                    source.date
                ));
            }
            years.insert(year, source);
        }
        if let Some(d) = adjusted_workdays.iter().find(|d| !is_weekend(**d)) {
            return Err(format!(
                "`{d}` in `adjusted_workdays` is a {}: only a Saturday or Sunday can be made a working day",
                d.weekday()
            ));
        }
        if let Some(d) = holidays.intersection(&adjusted_workdays).next() {
            return Err(format!(
                "`{d}` is in both `holidays` and `adjusted_workdays`"
            ));
        }
        Ok(Self {
            file: w.file,
            holidays,
            adjusted_workdays,
            years,
        })
    }
}

impl From<Calendar> for Written {
    fn from(c: Calendar) -> Self {
        let text = |set: &BTreeSet<NaiveDate>| set.iter().map(ToString::to_string).collect();
        Self {
            file: c.file,
            holidays: text(&c.holidays),
            adjusted_workdays: text(&c.adjusted_workdays),
            years: c
                .years
                .into_iter()
                .map(|(y, s)| (y.to_string(), s))
                .collect(),
        }
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Calendar {
    /// A date of a year not listed under `years`, if any: every date must belong to a
    /// covered year, so the coverage says what the lists are complete for.
    #[must_use]
    pub fn uncovered_date(&self) -> Option<NaiveDate> {
        self.holidays
            .iter()
            .chain(&self.adjusted_workdays)
            .copied()
            .find(|d| self.covers(*d).is_err())
    }

    /// This calendar with `other`'s dates and years added (an overlay's local dates).
    #[must_use]
    pub fn with(&self, other: &Self) -> Self {
        let mut merged = self.clone();
        merged.holidays.extend(other.holidays.iter().copied());
        merged
            .adjusted_workdays
            .extend(other.adjusted_workdays.iter().copied());
        for (y, s) in &other.years {
            merged.years.entry(*y).or_insert_with(|| s.clone());
        }
        merged
    }

    /// Whether `self` gives fewer working days than `old` on some date `old` covers: a
    /// holiday added there, or an adjusted working day removed.
    #[must_use]
    pub fn looser_than(&self, old: &Self) -> bool {
        let added_holiday = self
            .holidays
            .difference(&old.holidays)
            .any(|d| old.is_working_day(*d).unwrap_or(false));
        let removed_workday = !old.adjusted_workdays.is_subset(&self.adjusted_workdays);
        added_holiday || removed_workday
    }

    /// A one-line summary for messages.
    #[must_use]
    pub fn summary(&self) -> String {
        let years: Vec<String> = self.years.keys().map(ToString::to_string).collect();
        format!(
            "calendar of {} ({} holidays, {} adjusted working days)",
            if years.is_empty() {
                "no year".to_owned()
            } else {
                years.join(", ")
            },
            self.holidays.len(),
            self.adjusted_workdays.len()
        )
    }

    /// `Ok` when `date`'s year is covered.
    ///
    /// # Errors
    /// [`OutsideCalendar`] naming the year.
    pub fn covers(&self, date: NaiveDate) -> Result<(), OutsideCalendar> {
        if self.years.contains_key(&date.year()) {
            Ok(())
        } else {
            Err(OutsideCalendar { year: date.year() })
        }
    }

    /// Whether `date` is a working day.
    ///
    /// # Errors
    /// [`OutsideCalendar`] when the calendar does not cover the date's year.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, OutsideCalendar> {
        self.covers(date)?;
        Ok(self.adjusted_workdays.contains(&date)
            || (!is_weekend(date) && !self.holidays.contains(&date)))
    }

    /// The first working day after `date` (`date` itself is not looked at).
    ///
    /// # Errors
    /// [`OutsideCalendar`] for the first uncovered date on the way.
    pub fn next_working_day(&self, date: NaiveDate) -> Result<NaiveDate, OutsideCalendar> {
        let mut day = date;
        loop {
            day = day
                .succ_opt()
                .ok_or(OutsideCalendar { year: date.year() })?;
            if self.is_working_day(day)? {
                return Ok(day);
            }
        }
    }

    /// The 7.2.3 deadline of a request received at `received` (a local date-time as
    /// written): on a working day, the same clock time on the next working day; on a
    /// non-working day, the clock starts at 00:00 of the next working day, so the deadline
    /// is 00:00 of the working day after that one.
    ///
    /// # Errors
    /// [`OutsideCalendar`] when a date from receipt to the deadline is not covered.
    pub fn response_deadline(
        &self,
        received: NaiveDateTime,
    ) -> Result<NaiveDateTime, OutsideCalendar> {
        let day = received.date();
        if self.is_working_day(day)? {
            Ok(self.next_working_day(day)?.and_time(received.time()))
        } else {
            let start = self.next_working_day(day)?;
            Ok(self.next_working_day(start)?.and_time(NaiveTime::MIN))
        }
    }

    /// The 7.2.4 due date: the `n`-th working day after `received` (the receipt day never
    /// counts); a request closed on or before it is closed in time.
    ///
    /// # Errors
    /// [`OutsideCalendar`] when a day after receipt up to the due date is not covered.
    pub fn due_date(&self, received: NaiveDate, n: u32) -> Result<NaiveDate, OutsideCalendar> {
        let mut day = received;
        for _ in 0..n {
            day = self.next_working_day(day)?;
        }
        Ok(day)
    }

    /// [`Calendar::response_deadline`] of an instant, as an instant at the receipt's offset.
    ///
    /// # Errors
    /// As [`Calendar::response_deadline`].
    pub fn response_deadline_at(
        &self,
        received: DateTime<FixedOffset>,
    ) -> Result<DateTime<FixedOffset>, OutsideCalendar> {
        let local = self.response_deadline(received.naive_local())?;
        // A fixed offset maps every local time to exactly one instant.
        Ok(local
            .and_local_timezone(*received.offset())
            .single()
            .unwrap_or(received))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    /// The 2026 notice's Spring Festival and National Day, with their 调休 days.
    fn cal() -> Calendar {
        let mut holidays: BTreeSet<NaiveDate> = BTreeSet::new();
        let mut day = d("2026-02-15");
        while day <= d("2026-02-23") {
            holidays.insert(day);
            day = day.succ_opt().unwrap();
        }
        let mut day = d("2026-10-01");
        while day <= d("2026-10-07") {
            holidays.insert(day);
            day = day.succ_opt().unwrap();
        }
        let source = YearSource {
            notice: "notice".into(),
            date: "2025-11-04".into(),
            document: None,
        };
        Calendar {
            file: None,
            holidays,
            adjusted_workdays: [
                d("2026-02-14"),
                d("2026-02-28"),
                d("2026-09-20"),
                d("2026-10-10"),
            ]
            .into(),
            years: [(2026, source)].into(),
        }
    }

    #[test]
    fn working_days() {
        let c = cal();
        assert!(c.is_working_day(d("2026-02-13")).unwrap(), "a Friday");
        assert!(c.is_working_day(d("2026-02-14")).unwrap(), "调休 Saturday");
        assert!(
            !c.is_working_day(d("2026-02-16")).unwrap(),
            "Spring Festival Monday"
        );
        assert!(!c.is_working_day(d("2026-02-21")).unwrap(), "a Saturday");
        assert!(c.is_working_day(d("2026-09-20")).unwrap(), "调休 Sunday");
        assert!(!c.is_working_day(d("2026-10-01")).unwrap(), "National Day");
        assert_eq!(
            c.is_working_day(d("2027-01-04")),
            Err(OutsideCalendar { year: 2027 })
        );
    }

    #[test]
    fn response_deadline_across_weekend_and_holidays() {
        let c = cal();
        // Friday 17:30 → Monday 17:30; a Monday 09:00 answer is on time.
        assert_eq!(
            c.response_deadline(at("2026-06-26 17:30")).unwrap(),
            at("2026-06-29 17:30")
        );
        // Friday before the Spring Festival → the 调休 Saturday.
        assert_eq!(
            c.response_deadline(at("2026-02-13 10:00")).unwrap(),
            at("2026-02-14 10:00")
        );
        // The 调休 Saturday → the first day after the festival.
        assert_eq!(
            c.response_deadline(at("2026-02-14 10:00")).unwrap(),
            at("2026-02-24 10:00")
        );
        // Received during the festival: the clock starts 2026-02-24 00:00, so the deadline
        // is 00:00 of the working day after it.
        assert_eq!(
            c.response_deadline(at("2026-02-18 08:00")).unwrap(),
            at("2026-02-25 00:00")
        );
        // Received on an ordinary Saturday: Monday is the first working day.
        assert_eq!(
            c.response_deadline(at("2026-06-27 11:00")).unwrap(),
            at("2026-06-30 00:00")
        );
        // National Day: 30 September → 8 October (1–7 off).
        assert_eq!(
            c.response_deadline(at("2026-09-30 16:00")).unwrap(),
            at("2026-10-08 16:00")
        );
        // The last day of a year needs the next year.
        assert_eq!(
            c.response_deadline(at("2026-12-31 09:00")),
            Err(OutsideCalendar { year: 2027 })
        );
        assert_eq!(
            c.response_deadline(at("2025-12-31 09:00")),
            Err(OutsideCalendar { year: 2025 })
        );
    }

    #[test]
    fn deadline_keeps_the_receipt_offset() {
        let c = cal();
        let received = DateTime::parse_from_rfc3339("2026-06-26T17:30:00+08:00").unwrap();
        assert_eq!(
            c.response_deadline_at(received).unwrap(),
            DateTime::parse_from_rfc3339("2026-06-29T17:30:00+08:00").unwrap()
        );
    }

    #[test]
    fn due_dates_skip_the_receipt_day_and_holidays() {
        let c = cal();
        // Friday → the 5th working day after is the next Friday.
        assert_eq!(c.due_date(d("2026-06-26"), 5).unwrap(), d("2026-07-03"));
        // Received on a Saturday: Monday is day 1.
        assert_eq!(c.due_date(d("2026-06-27"), 5).unwrap(), d("2026-07-03"));
        // Before the Spring Festival: 14 (调休), 24, 25, 26, 27.
        assert_eq!(c.due_date(d("2026-02-13"), 5).unwrap(), d("2026-02-27"));
        // Across National Day: 30 Sep; 8, 9, 10 (调休), 12, 13.
        assert_eq!(c.due_date(d("2026-09-30"), 5).unwrap(), d("2026-10-13"));
        // The receipt day's year need not be covered; the days after must be.
        assert_eq!(c.due_date(d("2025-12-31"), 1).unwrap(), d("2026-01-01"));
        assert_eq!(
            c.due_date(d("2026-12-28"), 5),
            Err(OutsideCalendar { year: 2027 })
        );
    }

    #[test]
    fn written_form_is_checked() {
        let ok: Calendar = serde_json::from_str(
            r#"{"holidays":["2026-10-01"],"adjusted_workdays":["2026-10-10"],
                "years":{"2026":{"notice":"n","date":"2025-11-04"}}}"#,
        )
        .unwrap();
        assert!(ok.uncovered_date().is_none());
        let err = |json: &str| {
            serde_json::from_str::<Calendar>(json)
                .unwrap_err()
                .to_string()
        };
        assert!(err(r#"{"holidays":["2026-10-1"]}"#).contains("not a YYYY-MM-DD date"));
        assert!(err(r#"{"adjusted_workdays":["2026-10-09"]}"#).contains("only a Saturday"));
        assert!(
            err(r#"{"holidays":["2026-10-10"],"adjusted_workdays":["2026-10-10"]}"#)
                .contains("in both")
        );
        assert!(
            err(r#"{"years":{"26":{"notice":"n","date":"2025-11-04"}}}"#).contains("four-digit")
        );
        let outside: Calendar = serde_json::from_str(r#"{"holidays":["2027-01-01"]}"#).unwrap();
        assert_eq!(outside.uncovered_date(), Some(d("2027-01-01")));
    }

    #[test]
    fn judging_added_dates() {
        let base = cal();
        let holiday: Calendar = serde_json::from_str(r#"{"holidays":["2026-06-26"]}"#).unwrap();
        assert!(
            base.with(&holiday).looser_than(&base),
            "a holiday gives more time"
        );
        let workday: Calendar =
            serde_json::from_str(r#"{"adjusted_workdays":["2026-06-27"]}"#).unwrap();
        assert!(
            !base.with(&workday).looser_than(&base),
            "a working day is stricter"
        );
        let weekend: Calendar = serde_json::from_str(r#"{"holidays":["2026-06-27"]}"#).unwrap();
        assert!(
            !base.with(&weekend).looser_than(&base),
            "a Saturday was no working day"
        );
    }
}
