//! Dates, instants and the standard's time windows (READINGS G8).
//!
//! [`parse_date`], [`parse_instant`] and [`parse_time`] are the one reading of a date, an
//! instant and a time of day for the whole crate: validation, facts and packs all use them,
//! so a value validation accepts is the value the rules read, and one it refuses is absent.

use chrono::{DateTime, FixedOffset, Months, NaiveDate};

pub use crate::types::parse_date; // moved to types

/// Parses an RFC 3339 instant with its offset and `T` between date and time (as JSON
/// Schema's `date-time`); anything else is absent (G8).
#[must_use]
pub fn parse_instant(text: &str) -> Option<DateTime<FixedOffset>> {
    if !matches!(text.as_bytes().get(10), Some(b'T' | b't')) {
        return None;
    }
    parse_date(text.get(0..10)?)?;
    DateTime::parse_from_rfc3339(text).ok()
}

/// `date − n` calendar months, clamped to the month's end (2024-02-29 − 12 = 2023-02-28).
#[must_use]
pub fn months_before(date: NaiveDate, n: u32) -> Option<NaiveDate> {
    date.checked_sub_months(Months::new(n))
}

/// The reference date and the windows measured from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    as_of: NaiveDate,
}

impl Clock {
    /// A clock at `as_of`.
    #[must_use]
    pub const fn new(as_of: NaiveDate) -> Self {
        Self { as_of }
    }

    /// The reference date.
    #[must_use]
    pub const fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// "in the N months before as_of": `as_of − N months < d ≤ as_of`.
    #[must_use]
    pub fn in_last_months(&self, d: NaiveDate, n: u32) -> bool {
        months_before(self.as_of, n).is_some_and(|start| start < d) && d <= self.as_of
    }

    /// "within / not more than N months": `d ≥ as_of − N months`, no upper bound.
    #[must_use]
    pub fn within_months(&self, d: NaiveDate, n: u32) -> bool {
        months_before(self.as_of, n).is_some_and(|start| d >= start)
    }

    /// "within N days": `as_of − d ≤ N days`, so a later date is within.
    #[must_use]
    pub fn within_days(&self, d: NaiveDate, n: i64) -> bool {
        (self.as_of - d).num_days() <= n
    }

    /// Days from `d` to as_of (negative when `d` is later).
    #[must_use]
    pub fn days_since(&self, d: NaiveDate) -> i64 {
        (self.as_of - d).num_days()
    }
}

/// Minutes since midnight of an `HH:MM` time from 00:00 to 23:59, or 24:00 (1440) when
/// `end` is set (a closing time); anything else is absent.
#[must_use]
pub fn parse_time(text: &str, end: bool) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(h) || !two_digits(m) {
        return None;
    }
    let (hours, minutes): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let valid = (hours < 24 && minutes < 60) || (end && hours == 24 && minutes == 0);
    valid.then_some(hours * 60 + minutes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-2-3").is_none());
        assert!(parse_date("2026-06-30T00:00:00Z").is_none());
        assert_eq!(
            parse_date("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
    }

    #[test]
    fn month_windows_clamp_and_bound() {
        assert_eq!(months_before(d("2024-02-29"), 12), Some(d("2023-02-28")));
        let c = Clock::new(d("2026-06-30"));
        assert!(!c.in_last_months(d("2025-06-30"), 12), "start is exclusive");
        assert!(c.in_last_months(d("2025-07-01"), 12));
        assert!(c.in_last_months(d("2026-06-30"), 12));
        assert!(
            !c.in_last_months(d("2026-07-01"), 12),
            "after as_of is outside"
        );
        assert!(
            c.within_months(d("2025-06-30"), 12),
            "exactly 12 months is within"
        );
        assert!(!c.within_months(d("2025-06-29"), 12));
        assert!(c.within_months(d("2027-01-01"), 12), "no upper bound");
        assert!(c.within_days(d("2025-06-30"), 365));
        assert!(!c.within_days(d("2025-06-29"), 365));
    }

    #[test]
    fn times_allow_midnight_only_as_an_end() {
        assert_eq!(parse_time("08:30", false), Some(510));
        assert_eq!(parse_time("24:00", true), Some(1440));
        assert_eq!(parse_time("24:00", false), None);
        assert_eq!(parse_time("24:01", true), None);
        assert_eq!(parse_time("08:60", false), None);
        assert_eq!(parse_time("8:30", false), None);
        assert_eq!(parse_time("+8:30", false), None, "a sign is not a digit");
        assert_eq!(parse_time("08:3a", false), None);
    }

    /// The edges on which validation and facts once disagreed: facts now read exactly what
    /// validation accepts.
    #[test]
    fn instants_need_a_t_an_offset_and_a_real_date() {
        assert!(parse_instant("2026-06-30T09:15:00+08:00").is_some());
        assert!(parse_instant("2026-06-30t09:15:00z").is_some());
        assert!(parse_instant("2026-06-30T09:15:00Z").is_some());
        assert!(parse_instant("2026-06-30T09:15:00.5+08:00").is_some());
        assert!(parse_instant("2026-06-30T09:15:00").is_none(), "no offset");
        assert!(
            parse_instant("2026-06-30 09:15:00+08:00").is_none(),
            "space"
        );
        assert!(parse_instant("2026-02-30T09:15:00+08:00").is_none());
        assert!(parse_instant("2026-06-30").is_none());
        assert!(parse_instant("").is_none());
    }

    #[test]
    fn dates_must_exist_in_the_calendar() {
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2026-02-29").is_none());
        assert!(parse_date("+2026-02-03").is_none());
        assert!(parse_date("2026-0a-03").is_none());
        assert!(parse_date(" 2026-02-03").is_none());
    }
}
