//! The profile's text parsed into a [`Value`] exactly as `serde_json::from_str` parses it,
//! noting whether an object repeats a key. `Value` keeps only the last of a repeated key
//! while the typed model refuses the repetition, so only a document without one may be read
//! into the model from the parsed value instead of from the text a second time.

use std::cell::Cell;
use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A parsed document.
pub(super) struct Parsed {
    pub(super) value: Value,
    /// Whether some object in it repeats a key.
    pub(super) repeated_key: bool,
}

/// Parses `text` as `serde_json::from_str::<Value>` does, with the same errors.
pub(super) fn parse(text: &str) -> Result<Parsed, serde_json::Error> {
    let repeated = Cell::new(false);
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed(&repeated).deserialize(&mut de)?;
    de.end()?;
    Ok(Parsed {
        value,
        repeated_key: repeated.get(),
    })
}

/// serde_json's own `Value` visitor, with the repeated-key flag.
#[derive(Clone, Copy)]
struct Seed<'a>(&'a Cell<bool>);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self)?;
            if object.insert(key, value).is_some() {
                self.0.set(true);
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn parses_as_serde_json_does() {
        for text in [
            r#"{"a": [1, -2, 3.5, 1e300, 18446744073709551615, 18446744073709551616], "b": {"c": null, "d": true, "e": "\u00e9x"}}"#,
            "[]",
            "  \"text\"  ",
        ] {
            let parsed = parse(text).unwrap();
            assert_eq!(
                parsed.value,
                serde_json::from_str::<Value>(text).unwrap(),
                "{text}"
            );
            assert!(!parsed.repeated_key);
        }
        for text in ["{", "[1,]", "{} x", "{\"a\" 1}", "", "[1e400]"] {
            let ours = parse(text).map(|p| p.value).unwrap_err().to_string();
            let theirs = serde_json::from_str::<Value>(text).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{text}");
        }
    }

    #[test]
    fn notes_a_repeated_key_at_any_depth() {
        assert!(parse(r#"{"a": 1, "a": 2}"#).unwrap().repeated_key);
        assert!(
            parse(r#"{"a": [{"b": 1, "c": 2, "b": 3}]}"#)
                .unwrap()
                .repeated_key
        );
        assert!(
            !parse(r#"{"a": {"a": 1}, "b": [{"a": 2}]}"#)
                .unwrap()
                .repeated_key
        );
    }
}
