//! What a rule's `check` returns, built by the native helpers `pass()`, `at_least(…)` …

use rhai::{Array, Dynamic, EvalAltResult, INT};
use serde_json::Value;

use super::sandbox::{self, Budget};
use crate::facts::{Decimal, share, share_at_least};
use crate::types::Outcome;

/// A rule's answer before the host stamps it with the rule's metadata.
#[derive(Debug, Clone)]
pub(crate) struct Verdict {
    pub outcome: Outcome,
    pub observed: Value,
    pub required: Value,
    pub evidence: Vec<String>,
    /// The gap in words (Chinese, English), shown by a message's `{detail}`.
    pub detail_text: Option<(String, String)>,
    /// Named values the message shows as `{detail.name}` (the gap itself: which premises,
    /// which months); not part of the report's data.
    pub detail: serde_json::Map<String, Value>,
    /// A message for this verdict instead of the rule's, `(zh, en)`, with the same
    /// placeholders: for a case the rule's message cannot word, or a query's gap.
    pub message: Option<(String, String)>,
    /// What the rule names as the gap when it fails or lacks data (`v.gap(…)`).
    pub gap: Option<Gap>,
    /// Observed and required are shares (`share_at_least`): messages show percentages.
    pub share: bool,
}

/// Named items a failing or undecidable rule points at: "超时的诉求：c-03、c-07".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gap {
    pub zh: String,
    pub en: String,
    pub items: Vec<String>,
    /// The vocabulary domain the items are codes of (`includes(have, required, domain)`):
    /// a code such as `other` means 其他服务 as a service kind and 其他空间 as a space.
    pub domain: Option<String>,
}

impl Gap {
    /// Items shown in a message before the rest are summed up.
    const SHOWN: usize = 10;

    /// `label：a、b` (zh) or `label: a, b` (en), at most [`Gap::SHOWN`] items.
    pub(crate) fn text(&self, zh: bool) -> String {
        let (label, sep) = if zh {
            (&self.zh, "、")
        } else {
            (&self.en, ", ")
        };
        let mut items = self
            .items
            .iter()
            .take(Self::SHOWN)
            .map(|i| {
                match self
                    .domain
                    .as_deref()
                    .and_then(|d| crate::vocab::label(d, i))
                {
                    Some(l) => l.pick(zh),
                    None => crate::vocab::words(i, zh),
                }
            })
            .collect::<Vec<_>>()
            .join(sep);
        let n = self.items.len();
        if n > Self::SHOWN {
            items.push_str(&if zh {
                format!("等{n}项")
            } else {
                format!(" … ({n} in all)")
            });
        }
        if zh {
            format!("{label}：{items}")
        } else {
            format!("{label}: {items}")
        }
    }
}

impl Verdict {
    pub(crate) fn new(outcome: Outcome) -> Self {
        Self {
            outcome,
            observed: Value::Null,
            required: Value::Null,
            evidence: Vec::new(),
            detail_text: None,
            detail: serde_json::Map::new(),
            message: None,
            gap: None,
            share: false,
        }
    }

    fn with(mut self, observed: &Dynamic, required: &Dynamic) -> Fallible<Self> {
        // G12: not-applicable and insufficient-data carry no values.
        if !matches!(
            self.outcome,
            Outcome::NotApplicable | Outcome::InsufficientData
        ) {
            self.observed = to_json(observed)?;
            self.required = to_json(required)?;
        }
        Ok(self)
    }
}

/// A native function's result: a script error (the rule ends in `error`) when it fails.
type Fallible<T> = Result<T, Box<EvalAltResult>>;

/// A number from a script value: INT, decimal or float (exact decimal of the float).
pub(crate) fn number(value: &Dynamic) -> Option<Decimal> {
    if let Ok(i) = value.as_int() {
        return Some(Decimal::from(i));
    }
    if let Ok(d) = value.as_decimal() {
        return Some(d);
    }
    value.as_float().ok().and_then(crate::facts::exact)
}

/// A script value as JSON (decimals become JSON numbers), charged to the rule call's budget
/// (see [`sandbox::Limits`]) while it is converted: a script shares strings, lists and maps
/// by reference, so a small script value can expand to gigabytes; past a bound the rule
/// ends in `error` before anything larger is allocated.
pub(crate) fn to_json(value: &Dynamic) -> Fallible<Value> {
    sandbox::take_back(|budget| convert(value, 0, budget)).map_err(Into::into)
}

fn convert(value: &Dynamic, depth: usize, budget: &mut Budget) -> Result<Value, String> {
    use rust_decimal::prelude::ToPrimitive;
    if let Some(s) = value.read_lock::<rhai::ImmutableString>() {
        budget.charge(s.len() + 2)?;
        return Ok(Value::String(s.as_str().to_owned()));
    }
    if let Some(a) = value.read_lock::<Array>() {
        budget.enter(depth + 1)?;
        budget.charge(2)?;
        return a
            .iter()
            .map(|v| convert(v, depth + 1, budget))
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    if let Some(m) = value.read_lock::<rhai::Map>() {
        budget.enter(depth + 1)?;
        budget.charge(2)?;
        let mut object = serde_json::Map::new();
        for (k, v) in m.iter() {
            budget.charge(k.len() + 3)?;
            object.insert(k.as_str().to_owned(), convert(v, depth + 1, budget)?);
        }
        return Ok(Value::Object(object));
    }
    budget.charge(8)?;
    if value.is_unit() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Ok(i) = value.as_int() {
        return Ok(Value::from(i));
    }
    if let Ok(d) = value.as_decimal() {
        if d.fract().is_zero()
            && let Some(i) = d.to_i64()
        {
            return Ok(Value::from(i));
        }
        return Ok(d.to_f64().map_or(Value::Null, Value::from));
    }
    if let Ok(f) = value.as_float() {
        return Ok(Value::from(f));
    }
    // A host type (a verdict, the community): its name.
    let text = value.to_string();
    budget.charge(text.len())?;
    Ok(Value::String(text))
}

/// A script value as text (a string as it is, anything else as the script would print it),
/// charged like [`to_json`]: measured before it is printed.
fn to_text(value: &Dynamic) -> Fallible<String> {
    if let Some(s) = value.read_lock::<rhai::ImmutableString>() {
        charge_text(&s)?;
        return Ok(s.as_str().to_owned());
    }
    to_json(value)?;
    Ok(value.to_string())
}

/// Charges texts a script hands over (a message, a detail) to the rule call's budget.
fn charge_text(text: &str) -> Fallible<()> {
    sandbox::take_back(|budget| budget.charge(text.len())).map_err(Into::into)
}

fn compare(
    observed: &Dynamic,
    required: &Dynamic,
    ok: impl Fn(Decimal, Decimal) -> bool,
) -> Fallible<Verdict> {
    match (number(observed), number(required)) {
        (Some(o), Some(r)) => Verdict::new(Outcome::pass_if(ok(o, r))).with(observed, required),
        _ => Ok(Verdict::new(Outcome::InsufficientData)),
    }
}

/// Registers the verdict type and its constructors.
// Over 100 lines on purpose: one registration per line is the table of the script API.
pub(crate) fn register(engine: &mut rhai::Engine) {
    engine.register_type_with_name::<Verdict>("Verdict");
    engine.register_fn("pass", || Verdict::new(Outcome::Pass));
    engine.register_fn("fail", || Verdict::new(Outcome::Fail));
    engine.register_fn("insufficient_data", || {
        Verdict::new(Outcome::InsufficientData)
    });
    engine.register_fn("not_applicable", || Verdict::new(Outcome::NotApplicable));
    engine.register_fn("manual", || Verdict::new(Outcome::Manual));
    // `holds(cond)`: pass or fail; `()` (a missing input) gives insufficient-data.
    engine.register_fn("holds", |cond: Dynamic| match cond.as_bool() {
        Ok(b) => Verdict::new(Outcome::pass_if(b)),
        Err(_) => Verdict::new(Outcome::InsufficientData),
    });
    engine.register_fn("at_least", |o: Dynamic, r: Dynamic| {
        compare(&o, &r, |o, r| o >= r)
    });
    engine.register_fn("at_most", |o: Dynamic, r: Dynamic| {
        compare(&o, &r, |o, r| o <= r)
    });
    engine.register_fn("between", |o: Dynamic, min: Dynamic, max: Dynamic| {
        match (number(&o), number(&min), number(&max)) {
            (Some(x), Some(lo), Some(hi)) => {
                let range: Array = vec![min.clone(), max.clone()];
                Verdict::new(Outcome::pass_if(lo <= x && x <= hi)).with(&o, &range.into())
            }
            _ => Ok(Verdict::new(Outcome::InsufficientData)),
        }
    });
    // `share_at_least(num, den, min)`: exact; a zero denominator is not-applicable (G5).
    engine.register_fn(
        "share_at_least",
        |num: Dynamic, den: Dynamic, min: Dynamic| share_verdict(&num, &den, &min),
    );
    // `share_at_least(tally, min)` with `tally = [num, den]` from a query, or `()`.
    engine.register_fn("share_at_least", |tally: Dynamic, min: Dynamic| match tally
        .read_lock::<Array>()
        .map(|a| a.clone())
    {
        Some(a) => match (a.first(), a.get(1), a.len()) {
            (Some(num), Some(den), 2) => share_verdict(num, den, &min),
            _ => Ok(Verdict::new(Outcome::InsufficientData)),
        },
        None => Ok(Verdict::new(Outcome::InsufficientData)),
    });
    // `includes(have, required)`: every required element is in `have`; a failure names
    // what is missing ("缺少：众创空间"). `includes(have, required, domain)` names it with the
    // labels of that vocabulary domain (`service-kind`: `childcare` is 托管服务, not a space).
    engine.register_fn("includes", |have: Dynamic, required: Array| {
        includes(&have, required, None)
    });
    engine.register_fn(
        "includes",
        |have: Dynamic, required: Array, domain: &str| includes(&have, required, Some(domain)),
    );
    // `label(domain, code)`: the code's words from the vocabulary, `#{ zh, en }` (the code
    // itself when the table does not know it), for messages a rule builds.
    engine.register_fn("label", |domain: &str, code: &str| -> rhai::Map {
        let l = crate::vocab::label(domain, code);
        let mut m = rhai::Map::new();
        m.insert("zh".into(), l.map_or(code, |l| l.zh).into());
        m.insert("en".into(), l.map_or(code, |l| l.en).into());
        m
    });
    // A faster `list.contains(text)` for the lists of names getters return.
    engine.register_fn(
        "contains",
        |list: &mut Array, item: rhai::ImmutableString| {
            list.iter().any(|d| {
                d.read_lock::<rhai::ImmutableString>()
                    .is_some_and(|s| *s == item)
            })
        },
    );
    engine.register_fn(
        "observed",
        |mut v: Verdict, o: Dynamic| -> Fallible<Verdict> {
            v.observed = if matches!(
                v.outcome,
                Outcome::NotApplicable | Outcome::InsufficientData
            ) {
                Value::Null
            } else {
                to_json(&o)?
            };
            Ok(v)
        },
    );
    engine.register_fn(
        "required",
        |mut v: Verdict, r: Dynamic| -> Fallible<Verdict> {
            v.required = if matches!(
                v.outcome,
                Outcome::NotApplicable | Outcome::InsufficientData
            ) {
                Value::Null
            } else {
                to_json(&r)?
            };
            Ok(v)
        },
    );

    // `v.message(())`: a query found no gap to word, so the rule's own message stays
    // (`v.message(#{ zh, en })`, below, gives this verdict its own).
    engine.register_fn("message", |v: Verdict, _none: ()| v);
    // `v.detail(zh, en)`: what exactly is missing, for the message's `{detail}`.
    engine.register_fn(
        "detail",
        |mut v: Verdict, zh: &str, en: &str| -> Fallible<Verdict> {
            charge_text(zh)?;
            charge_text(en)?;
            v.detail_text = Some((zh.to_owned(), en.to_owned()));
            Ok(v)
        },
    );
    // `v.gap(zh_label, en_label, items)`: the items the message names when the rule fails
    // or lacks data (late requests, a missing year); nothing when `items` is empty.
    engine.register_fn(
        "gap",
        |mut v: Verdict, zh: &str, en: &str, items: Array| -> Fallible<Verdict> {
            charge_text(zh)?;
            charge_text(en)?;
            let items: Vec<String> = items.iter().map(to_text).collect::<Fallible<_>>()?;
            v.gap = (!items.is_empty()).then(|| Gap {
                zh: zh.to_owned(),
                en: en.to_owned(),
                items,
                domain: None,
            });
            Ok(v)
        },
    );
    // `v.at("/json/pointer", …)`: where the inputs came from.
    engine.register_fn("at", |mut v: Verdict, pointer: &str| -> Fallible<Verdict> {
        charge_text(pointer)?;
        v.evidence.push(pointer.to_owned());
        Ok(v)
    });
    engine.register_fn(
        "at",
        |mut v: Verdict, pointers: Array| -> Fallible<Verdict> {
            for p in &pointers {
                v.evidence.push(to_text(p)?);
            }
            Ok(v)
        },
    );
    // `v.detail(#{ premises: names })`: values for `{detail.premises}` in the message.
    engine.register_fn(
        "detail",
        |mut v: Verdict, values: rhai::Map| -> Fallible<Verdict> {
            for (k, d) in &values {
                charge_text(k)?;
                v.detail.insert(k.as_str().to_owned(), to_json(d)?);
            }
            Ok(v)
        },
    );
    // `v.message(#{ zh: …, en: … })`: this verdict's own message (same placeholders).
    engine.register_fn("message", |v: Verdict, text: rhai::Map| {
        own_message(v, &text)
    });
    // `v.on_pass(#{ zh, en })`, `v.on_fail(#{ zh, en })`: this verdict's own message only
    // when it passes (fails), so a pass states what is there and a fail names the gap.
    for (name, when) in [("on_pass", Outcome::Pass), ("on_fail", Outcome::Fail)] {
        engine.register_fn(
            name,
            move |v: Verdict, text: rhai::Map| -> Fallible<Verdict> {
                if v.outcome == when {
                    own_message(v, &text)
                } else {
                    Ok(v)
                }
            },
        );
    }
    engine.register_fn(
        "people_per_10k",
        |population: Dynamic, per_10k: Dynamic| -> Dynamic {
            match (population.as_int(), number(&per_10k)) {
                (Ok(p), Some(k)) if p >= 0 => crate::facts::people_per_10k(p as u64, k)
                    .map_or(Dynamic::UNIT, |n| Dynamic::from(n as INT)),
                _ => Dynamic::UNIT,
            }
        },
    );
}

/// `v` with its own message `#{ zh, en }`, both texts required.
fn own_message(mut v: Verdict, text: &rhai::Map) -> Fallible<Verdict> {
    let get = |lang: &str| -> Fallible<String> {
        text.get(lang)
            .and_then(|d| {
                d.read_lock::<rhai::ImmutableString>()
                    .map(|s| s.as_str().to_owned())
            })
            .filter(|s| !s.is_empty())
            .ok_or_else(|| format!("`message` needs a non-empty `{lang}` text").into())
    };
    let (zh, en) = (get("zh")?, get("en")?);
    charge_text(&zh)?;
    charge_text(&en)?;
    v.message = Some((zh, en));
    Ok(v)
}

/// `includes(have, required[, domain])`: pass when every element of `required` is in
/// `have`, insufficient-data when `have` is `()`; a failure names what is missing.
fn includes(have: &Dynamic, required: Array, domain: Option<&str>) -> Fallible<Verdict> {
    let missing: Vec<String> = match have.read_lock::<Array>() {
        Some(h) => {
            let mut missing = Vec::new();
            for r in &required {
                if !contains(&h, r)? {
                    missing.push(r.to_string());
                }
            }
            missing
        }
        None => return Ok(Verdict::new(Outcome::InsufficientData)),
    };
    let mut v = Verdict::new(Outcome::pass_if(missing.is_empty())).with(have, &required.into())?;
    v.gap = (!missing.is_empty()).then(|| Gap {
        zh: "缺少".into(),
        en: "missing".into(),
        items: missing,
        domain: domain.map(str::to_owned),
    });
    Ok(v)
}

/// Whether `list` holds `item`: strings compare as text, other values by their display.
/// Lists and maps are printed only within the budget of values taken back.
fn contains(list: &[Dynamic], item: &Dynamic) -> Fallible<bool> {
    if let Some(text) = item.read_lock::<rhai::ImmutableString>() {
        return Ok(list.iter().any(|d| {
            d.read_lock::<rhai::ImmutableString>()
                .is_some_and(|s| *s == *text)
        }));
    }
    let text = to_text(item)?;
    for d in list {
        let shown = if d.is_array() || d.is_map() {
            to_text(d)?
        } else {
            d.to_string()
        };
        if shown == text {
            return Ok(true);
        }
    }
    Ok(false)
}

fn share_verdict(num: &Dynamic, den: &Dynamic, min: &Dynamic) -> Fallible<Verdict> {
    match (number(num), number(den), number(min)) {
        (Some(n), Some(d), Some(m)) => {
            if d.is_zero() {
                return Ok(Verdict::new(Outcome::NotApplicable));
            }
            let observed = share(n, d).map_or(Dynamic::UNIT, Dynamic::from_float);
            let mut v =
                Verdict::new(Outcome::pass_if(share_at_least(n, d, m))).with(&observed, min)?;
            v.share = true;
            Ok(v)
        }
        _ => Ok(Verdict::new(Outcome::InsufficientData)),
    }
}
