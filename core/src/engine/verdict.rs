//! What a rule's `check` returns, built by the native helpers `pass()`, `at_least(…)` …

use rhai::{Array, Dynamic, INT};
use serde_json::Value;

use crate::facts::{Decimal, share, share_at_least};
use crate::report::Outcome;

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
            .map(|i| crate::vocab::words(i, zh))
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

    fn with(mut self, observed: &Dynamic, required: &Dynamic) -> Self {
        // G12: not-applicable and insufficient-data carry no values.
        if !matches!(
            self.outcome,
            Outcome::NotApplicable | Outcome::InsufficientData
        ) {
            self.observed = to_json(observed);
            self.required = to_json(required);
        }
        self
    }
}

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

/// A script value as JSON (decimals become JSON numbers).
pub(crate) fn to_json(value: &Dynamic) -> Value {
    use rust_decimal::prelude::ToPrimitive;
    if value.is_unit() {
        return Value::Null;
    }
    if let Ok(b) = value.as_bool() {
        return Value::Bool(b);
    }
    if let Ok(i) = value.as_int() {
        return Value::from(i);
    }
    if let Ok(d) = value.as_decimal() {
        if d.fract().is_zero()
            && let Some(i) = d.to_i64()
        {
            return Value::from(i);
        }
        return d.to_f64().map_or(Value::Null, Value::from);
    }
    if let Ok(f) = value.as_float() {
        return Value::from(f);
    }
    if let Some(s) = value.read_lock::<rhai::ImmutableString>() {
        return Value::String(s.to_string());
    }
    if let Some(a) = value.read_lock::<Array>() {
        return Value::Array(a.iter().map(to_json).collect());
    }
    if let Some(m) = value.read_lock::<rhai::Map>() {
        return Value::Object(m.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect());
    }
    Value::String(value.to_string())
}

fn compare(
    observed: &Dynamic,
    required: &Dynamic,
    ok: impl Fn(Decimal, Decimal) -> bool,
) -> Verdict {
    match (number(observed), number(required)) {
        (Some(o), Some(r)) => Verdict::new(Outcome::pass_if(ok(o, r))).with(observed, required),
        _ => Verdict::new(Outcome::InsufficientData),
    }
}

/// Registers the verdict type and its constructors.
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
            _ => Verdict::new(Outcome::InsufficientData),
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
            _ => Verdict::new(Outcome::InsufficientData),
        },
        None => Verdict::new(Outcome::InsufficientData),
    });
    // `includes(have, required)`: every required element is in `have`; a failure names
    // what is missing ("缺少：众创空间").
    engine.register_fn("includes", |have: Dynamic, required: Array| {
        let missing: Vec<String> = match have.read_lock::<Array>() {
            Some(h) => required
                .iter()
                .filter(|r| !contains(&h, r))
                .map(ToString::to_string)
                .collect(),
            None => return Verdict::new(Outcome::InsufficientData),
        };
        let mut v =
            Verdict::new(Outcome::pass_if(missing.is_empty())).with(&have, &required.into());
        v.gap = (!missing.is_empty()).then(|| Gap {
            zh: "缺少".into(),
            en: "missing".into(),
            items: missing,
        });
        v
    });
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
    engine.register_fn("observed", |mut v: Verdict, o: Dynamic| {
        v.observed = if matches!(
            v.outcome,
            Outcome::NotApplicable | Outcome::InsufficientData
        ) {
            Value::Null
        } else {
            to_json(&o)
        };
        v
    });
    engine.register_fn("required", |mut v: Verdict, r: Dynamic| {
        v.required = if matches!(
            v.outcome,
            Outcome::NotApplicable | Outcome::InsufficientData
        ) {
            Value::Null
        } else {
            to_json(&r)
        };
        v
    });

    // `v.message(())`: a query found no gap to word, so the rule's own message stays
    // (`v.message(#{ zh, en })`, below, gives this verdict its own).
    engine.register_fn("message", |v: Verdict, _none: ()| v);
    // `v.detail(zh, en)`: what exactly is missing, for the message's `{detail}`.
    engine.register_fn("detail", |mut v: Verdict, zh: &str, en: &str| {
        v.detail_text = Some((zh.to_owned(), en.to_owned()));
        v
    });
    // `v.gap(zh_label, en_label, items)`: the items the message names when the rule fails
    // or lacks data (late requests, a missing year); nothing when `items` is empty.
    engine.register_fn("gap", |mut v: Verdict, zh: &str, en: &str, items: Array| {
        let items: Vec<String> = items.iter().map(ToString::to_string).collect();
        v.gap = (!items.is_empty()).then(|| Gap {
            zh: zh.to_owned(),
            en: en.to_owned(),
            items,
        });
        v
    });
    // `v.at("/json/pointer", …)`: where the inputs came from.
    engine.register_fn("at", |mut v: Verdict, pointer: &str| {
        v.evidence.push(pointer.to_owned());
        v
    });
    engine.register_fn("at", |mut v: Verdict, pointers: Array| {
        v.evidence.extend(pointers.iter().map(ToString::to_string));
        v
    });
    // `v.detail(#{ premises: names })`: values for `{detail.premises}` in the message.
    engine.register_fn("detail", |mut v: Verdict, values: rhai::Map| {
        for (k, d) in &values {
            v.detail.insert(k.to_string(), to_json(d));
        }
        v
    });
    // `v.message(#{ zh: …, en: … })`: this verdict's own message (same placeholders).
    engine.register_fn(
        "message",
        |mut v: Verdict, text: rhai::Map| -> Result<Verdict, Box<rhai::EvalAltResult>> {
            let get = |lang: &str| -> Result<String, Box<rhai::EvalAltResult>> {
                text.get(lang)
                    .and_then(|d| {
                        d.read_lock::<rhai::ImmutableString>()
                            .map(|s| s.to_string())
                    })
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| format!("`message` needs a non-empty `{lang}` text").into())
            };
            v.message = Some((get("zh")?, get("en")?));
            Ok(v)
        },
    );
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

/// Whether `list` holds `item`: strings compare as text, other values by their display.
fn contains(list: &[Dynamic], item: &Dynamic) -> bool {
    match item.read_lock::<rhai::ImmutableString>() {
        Some(text) => list.iter().any(|d| {
            d.read_lock::<rhai::ImmutableString>()
                .is_some_and(|s| *s == *text)
        }),
        None => {
            let text = item.to_string();
            list.iter().any(|d| d.to_string() == text)
        }
    }
}

fn share_verdict(num: &Dynamic, den: &Dynamic, min: &Dynamic) -> Verdict {
    match (number(num), number(den), number(min)) {
        (Some(n), Some(d), Some(m)) => {
            if d.is_zero() {
                return Verdict::new(Outcome::NotApplicable);
            }
            let observed = share(n, d).map_or(Dynamic::UNIT, Dynamic::from_float);
            let mut v =
                Verdict::new(Outcome::pass_if(share_at_least(n, d, m))).with(&observed, min);
            v.share = true;
            v
        }
        _ => Verdict::new(Outcome::InsufficientData),
    }
}
