//! Loosening judgement: whether a value is looser or stricter than another for a
//! parameter's direction, and which earlier step a new one would loosen.

use std::borrow::Cow;
use std::collections::BTreeSet;

use super::history::ParamStep;
use super::window::{Point, Window};
use crate::facts::Decimal;
use crate::pack::ParamValue;
use crate::pack::changes::Stricter;

pub(super) fn number(v: &ParamValue) -> Option<Decimal> {
    match v {
        ParamValue::Int(i) => Some(Decimal::from(*i)),
        ParamValue::Decimal(d) => Some(*d),
        ParamValue::Bool(b) => Some(Decimal::from(u8::from(*b))),
        ParamValue::Text(_) | ParamValue::List(_) | ParamValue::Calendar(_) => None,
    }
}

/// Whether `new` is looser than `old` for a parameter whose stricter side is `dir`.
pub(super) fn looser(dir: Stricter, new: &ParamValue, old: &ParamValue) -> bool {
    let set = |v: &ParamValue| -> BTreeSet<String> {
        match v {
            ParamValue::List(l) => l.iter().cloned().collect(),
            _ => BTreeSet::new(),
        }
    };
    if let (ParamValue::Calendar(n), ParamValue::Calendar(o)) = (new, old) {
        return match dir {
            Stricter::More => n.looser_than(o),
            _ => n != o,
        };
    }
    match dir {
        Stricter::Higher => matches!((number(new), number(old)), (Some(n), Some(o)) if n < o),
        Stricter::Lower => matches!((number(new), number(old)), (Some(n), Some(o)) if n > o),
        Stricter::More => !set(old).is_subset(&set(new)),
        Stricter::Fewer => !set(new).is_subset(&set(old)),
        Stricter::None => !same(new, old),
    }
}

/// Two categories' values of one parameter for a community of both: the stricter; for
/// lists neither of which holds the other, the union of required elements (`more`) or the
/// intersection of allowed ones (`fewer`), attributed to both categories.
pub(super) fn combine<'a>(
    dir: Stricter,
    kept: Cow<'a, ParamStep>,
    other: &'a ParamStep,
) -> Cow<'a, ParamStep> {
    if stricter_than(dir, &other.value, &kept.value) {
        return Cow::Borrowed(other);
    }
    if dir == Stricter::None || !looser(dir, &kept.value, &other.value) {
        return kept;
    }
    let (ParamValue::List(a), ParamValue::List(b)) = (&kept.value, &other.value) else {
        return kept;
    };
    let list: Vec<String> = match dir {
        Stricter::More => {
            let mut l = a.clone();
            l.extend(b.iter().filter(|x| !a.contains(x)).cloned());
            l
        }
        _ => a.iter().filter(|x| b.contains(x)).cloned().collect(),
    };
    let mut step = kept.into_owned();
    step.value = ParamValue::List(list);
    step.category = Some(format!(
        "{}+{}",
        step.category.unwrap_or_default(),
        other.category.as_deref().unwrap_or_default()
    ));
    Cow::Owned(step)
}

/// Whether `new` is strictly stricter than `old`: it does not loosen `old` and differs
/// from it. Two lists may be neither stricter nor looser than each other (see `combine`).
pub(super) fn stricter_than(dir: Stricter, new: &ParamValue, old: &ParamValue) -> bool {
    dir != Stricter::None && !looser(dir, new, old) && !same(new, old)
}

pub(super) fn same(a: &ParamValue, b: &ParamValue) -> bool {
    match (number(a), number(b)) {
        (Some(x), Some(y)) if !matches!(a, ParamValue::Bool(_)) => x == y,
        _ => a == b,
    }
}

/// `value` as a value of the declared kind of `declared` (a whole number where a number
/// is declared is taken as one); the message names the parameter, the expected kind and
/// what was found.
pub(super) fn typed(
    name: &str,
    declared: &ParamValue,
    value: &ParamValue,
) -> Result<ParamValue, String> {
    match (declared, value) {
        (ParamValue::Decimal(_), ParamValue::Int(i)) => Ok(ParamValue::Decimal(Decimal::from(*i))),
        (ParamValue::Int(_), ParamValue::Int(_))
        | (ParamValue::Decimal(_), ParamValue::Decimal(_))
        | (ParamValue::Bool(_), ParamValue::Bool(_))
        | (ParamValue::Text(_), ParamValue::Text(_))
        | (ParamValue::List(_), ParamValue::List(_))
        | (ParamValue::Calendar(_), ParamValue::Calendar(_)) => Ok(value.clone()),
        (d, v) => {
            let expected = match d {
                ParamValue::Int(_) => "a whole number",
                ParamValue::Decimal(_) => "a number",
                ParamValue::Bool(_) => "`true` or `false`",
                ParamValue::Text(_) => "a text",
                ParamValue::List(_) => "a list of texts",
                ParamValue::Calendar(_) => {
                    "a calendar (`{ holidays = [\"YYYY-MM-DD\", …], adjusted_workdays = […] }`)"
                }
            };
            Err(format!(
                "`{name}` is {expected} (declared default `{}`), found {} `{}`",
                show(d),
                v.kind(),
                show(v)
            ))
        }
    }
}

pub(super) fn why(dir: Stricter) -> &'static str {
    match dir {
        Stricter::Higher => "a lower value loosens a minimum",
        Stricter::Lower => "a higher value loosens a limit",
        Stricter::More => {
            "removing a required element loosens the list; a calendar loosens when it adds a holiday"
        }
        Stricter::Fewer => "adding an allowed element loosens the list",
        Stricter::None => {
            "the parameter declares no direction (`stricter`), so every change is a derogation"
        }
    }
}

pub(super) fn show(v: &ParamValue) -> String {
    match v {
        ParamValue::Text(t) => t.clone(),
        ParamValue::List(l) => format!("[{}]", l.join(", ")),
        ParamValue::Calendar(c) => c.summary(),
        other => other.to_json().to_string(),
    }
}

pub(super) const DEROGATION_HINT: &str =
    "declare it a derogation: `derogation = { justification = \"…\", document = \"…\" }`";

/// The first earlier step a new step at `window` and `scope` would loosen, judged at every
/// moment its application can change and for every category it reaches.
pub(super) fn loosened<'a>(
    steps: &'a [ParamStep],
    dir: Stricter,
    value: &ParamValue,
    scope: Option<&str>,
    window: Window,
) -> Option<&'a ParamStep> {
    let mut points: Vec<Point> = vec![window.from];
    points.extend(steps.iter().flat_map(|s| s.window.breakpoints()));
    points.retain(|p| window.at(*p));
    let mut scopes: Vec<Option<&str>> = vec![scope];
    if scope.is_none() {
        let cats: BTreeSet<&str> = steps.iter().filter_map(|s| s.category.as_deref()).collect();
        scopes.extend(cats.into_iter().map(Some));
    }
    for p in &points {
        for sigma in &scopes {
            let prev = steps.iter().rev().find(|s| {
                s.window.at(*p) && s.category.as_deref().is_none_or(|c| Some(c) == *sigma)
            });
            if let Some(prev) = prev
                && looser(dir, value, &prev.value)
            {
                return Some(prev);
            }
        }
    }
    None
}
