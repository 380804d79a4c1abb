//! Exact arithmetic where the standard's wording puts a boundary (READINGS G9).
//!
//! JSON numbers arrive as `f64`; each is read back to the shortest decimal that round-trips
//! (the decimal that was written) and held as a [`Decimal`], so `0.85` is exactly 0.85 and
//! `0.8499999 ≥ 0.85` is false, as a reader of the standard expects.

pub use rust_decimal::Decimal;
use std::str::FromStr;

/// The decimal written in the JSON source for `value`, or `None` when it cannot be held
/// exactly (not finite, or beyond 28 significant digits).
#[must_use]
pub fn exact(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    Decimal::from_str(&value.to_string()).ok()
}

/// A share `num / den` rounded once to the nearest `f64`, for display (G12); `None` when
/// `den` is zero or the operands are beyond exact integer arithmetic.
#[must_use]
pub fn share(num: Decimal, den: Decimal) -> Option<f64> {
    if den.is_zero() {
        return None;
    }
    // Bring both to one scale as integers: num / den = a / b exactly.
    let scale = num.scale().max(den.scale());
    let pow = |s: u32| 10i128.checked_pow(s);
    let a = num.mantissa().checked_mul(pow(scale - num.scale())?)?;
    let b = den.mantissa().checked_mul(pow(scale - den.scale())?)?;
    let negative = (a < 0) != (b < 0);
    let q = nearest_f64(a.unsigned_abs(), b.unsigned_abs())?;
    Some(if negative { -q } else { q })
}

/// The `f64` nearest to `a / b` (ties to even), for `b > 0`.
fn nearest_f64(a: u128, b: u128) -> Option<f64> {
    const LIMIT: u128 = 1 << 53;
    if a == 0 {
        return Some(0.0);
    }
    if a <= LIMIT && b <= LIMIT {
        // Both exact as f64: IEEE division rounds the true quotient once.
        return Some(a as f64 / b as f64);
    }
    // Scale so the integer quotient has 55 or more bits, then round 53 of them with the
    // rest (and the remainder) as round and sticky bits.
    let mut shift: i32 = 0;
    let (mut a, b) = (a, b);
    while a / b < (1u128 << 55) {
        if a.leading_zeros() == 0 {
            return None;
        }
        a <<= 1;
        shift += 1;
    }
    let (q, r) = (a / b, a % b);
    let extra = 128 - q.leading_zeros() - 53; // bits below the 53 kept
    let kept = q >> extra;
    let rest = q & ((1u128 << extra) - 1);
    let half = 1u128 << (extra - 1);
    let round_up = rest > half || (rest == half && (r != 0 || kept & 1 == 1));
    let mantissa = kept + u128::from(round_up);
    let exponent = i32::try_from(extra).ok()? - shift;
    Some(mantissa as f64 * 2f64.powi(exponent))
}

/// `num / den ≥ min`, decided exactly as `num ≥ min × den` (`den` > 0).
#[must_use]
pub fn share_at_least(num: Decimal, den: Decimal, min: Decimal) -> bool {
    min.checked_mul(den).is_some_and(|bound| num >= bound)
}

/// People needed at `per_10k` per ten thousand of `population`, rounded up.
#[must_use]
pub fn people_per_10k(population: u64, per_10k: Decimal) -> Option<u64> {
    use rust_decimal::prelude::ToPrimitive;
    Decimal::from(population)
        .checked_mul(per_10k)?
        .checked_div(Decimal::from(10_000))?
        .ceil()
        .to_u64()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn floats_read_back_to_the_decimal_written() {
        assert_eq!(exact(0.85), Some(dec("0.85")));
        assert_eq!(exact(1500.0), Some(dec("1500")));
        assert_eq!(exact(0.1 + 0.2), Some(dec("0.30000000000000004")));
        assert_eq!(exact(f64::NAN), None);
        assert_eq!(exact(1e300), None);
    }

    #[test]
    fn shares_compare_exactly() {
        assert!(share_at_least(dec("900"), dec("1500"), dec("0.6")));
        assert!(!share_at_least(dec("899.99"), dec("1500"), dec("0.6")));
        assert!(!share_at_least(dec("0.8499999"), dec("1"), dec("0.85")));
        assert_eq!(share(dec("1"), dec("3")), Some(1.0 / 3.0));
        // Correctly rounded, not via a 28-digit decimal quotient.
        assert_eq!(share(dec("18"), dec("19")), Some(18.0 / 19.0));
        assert_eq!(share(dec("1400"), dec("1700")), Some(1400.0 / 1700.0));
        assert_eq!(share(dec("0.7"), dec("1.1")), Some(7.0 / 11.0));
        // Beyond 2^53 the slow path still rounds once.
        let big = dec("90071992547409931"); // 9·2^53 + …, not exact in f64
        assert_eq!(share(big, dec("9")), Some(10_007_999_171_934_436.0));
        assert_eq!(share(dec("1"), dec("0")), None);
    }

    #[test]
    fn ratios_of_people_round_up() {
        assert_eq!(people_per_10k(28_000, dec("2")), Some(6));
        assert_eq!(people_per_10k(30_000, dec("2")), Some(6));
        assert_eq!(people_per_10k(30_001, dec("2")), Some(7));
        assert_eq!(people_per_10k(0, dec("2")), Some(0));
    }
}
