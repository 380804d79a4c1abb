//! Calendar dates: the one reader of a `YYYY-MM-DD` date (READINGS G8), used by
//! validation, facts and packs (re-exported as `icgs::facts::parse_date`), and the serde
//! form of an optional date in the provenance types.

use chrono::NaiveDate;

/// Parses a strict `YYYY-MM-DD` calendar date; anything else is absent (G8).
#[must_use]
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = text.get(r)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

/// An optional date on the wire: `"YYYY-MM-DD"` or absent, read by [`parse_date`].
pub(crate) mod optional {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer, de};

    pub(crate) fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(&d.format("%Y-%m-%d")),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| {
                super::parse_date(&text).ok_or_else(|| {
                    de::Error::custom(format!("`{text}` is not a date like 2026-07-01"))
                })
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::parse_date;

    #[test]
    fn only_a_strict_calendar_date_reads() {
        assert_eq!(
            parse_date("2024-02-29"),
            chrono::NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        for bad in [
            "2023-02-29",
            "2026-7-01",
            "2026-07-1 ",
            "20260701",
            "2026/07/01",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_provenance_date_is_text_on_the_wire_and_read_back_strictly() {
        let p = crate::types::Provenance {
            pack: "x".into(),
            version: "1.0.0".into(),
            effective_from: parse_date("2026-07-01"),
            ..Default::default()
        };
        let mut v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["effective_from"], "2026-07-01");
        assert!(v.get("effective_until").is_none());
        let back: crate::types::Provenance = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(back, p);
        v["effective_from"] = "2026-7-1".into();
        let err = serde_json::from_value::<crate::types::Provenance>(v).unwrap_err();
        assert!(
            err.to_string().contains("`2026-7-1` is not a date"),
            "{err}"
        );
    }
}
