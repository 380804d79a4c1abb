//! One value of a struct by JSON pointer, as JSON, without making JSON of the rest:
//! `c.get("/a/b")` makes JSON of `b` of `a` of the profile only.

use serde::Serialize;
use serde::ser::{Error as _, Impossible, SerializeStruct, Serializer};
use serde_json::Value;

/// The field `name` of `value` as JSON: `Ok(None)` when the struct does not write it,
/// `Err` when `value` is not written as a struct (the caller then makes JSON of it whole).
#[cfg(test)]
pub(crate) fn field_json<T: Serialize>(value: &T, name: &str) -> Result<Option<Value>, Error> {
    value.serialize(Picker { name, rest: None })
}

/// The value at JSON `pointer` in `value`: structs are descended field by field, and only
/// the first value on the way that is no struct (a list, a map) is made JSON whole.
/// `Ok(None)` when nothing is there (or only null); `Err` when `value` is not written as a
/// struct or the pointer's first token is escaped (`~`): the caller makes JSON of it whole.
pub(crate) fn pointer_json<T: Serialize>(value: &T, pointer: &str) -> Result<Option<Value>, Error> {
    let path = pointer
        .strip_prefix('/')
        .ok_or_else(|| Error::custom("not a pointer"))?;
    pick(value, path)
}

fn pick<T: ?Sized + Serialize>(value: &T, path: &str) -> Result<Option<Value>, Error> {
    let (name, rest) = path
        .split_once('/')
        .map_or((path, None), |(n, r)| (n, Some(r)));
    if name.contains('~') {
        return Err(Error::custom("escaped token"));
    }
    value.serialize(Picker { name, rest })
}

type Error = serde_json::Error;

/// Writes nothing but the field `name` of a struct (and, with `rest`, the value at that
/// pointer below it).
struct Picker<'a> {
    name: &'a str,
    rest: Option<&'a str>,
}

/// The field found so far.
struct Picked<'a> {
    name: &'a str,
    rest: Option<&'a str>,
    found: Option<Value>,
}

impl SerializeStruct for Picked<'_> {
    type Ok = Option<Value>;
    type Error = Error;

    fn serialize_field<V: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), Error> {
        if key != self.name {
            return Ok(());
        }
        self.found = match self.rest {
            None => Some(serde_json::to_value(value)?),
            Some(rest) => match pick(value, rest) {
                Ok(found) => found,
                // No struct below (a list, a map): JSON of this field alone.
                Err(_) => serde_json::to_value(value)?
                    .pointer(&format!("/{rest}"))
                    .cloned(),
            },
        };
        Ok(())
    }

    fn end(self) -> Result<Option<Value>, Error> {
        Ok(self.found)
    }
}

fn not_a_struct<T>() -> Result<T, Error> {
    Err(Error::custom("not a struct"))
}

impl<'a> Serializer for Picker<'a> {
    type Ok = Option<Value>;
    type Error = Error;
    type SerializeSeq = Impossible<Self::Ok, Error>;
    type SerializeTuple = Impossible<Self::Ok, Error>;
    type SerializeTupleStruct = Impossible<Self::Ok, Error>;
    type SerializeTupleVariant = Impossible<Self::Ok, Error>;
    type SerializeMap = Impossible<Self::Ok, Error>;
    type SerializeStruct = Picked<'a>;
    type SerializeStructVariant = Impossible<Self::Ok, Error>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Picked<'a>, Error> {
        Ok(Picked {
            name: self.name,
            rest: self.rest,
            found: None,
        })
    }

    fn serialize_bool(self, _: bool) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_i8(self, _: i8) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_i16(self, _: i16) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_i32(self, _: i32) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_i64(self, _: i64) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_u8(self, _: u8) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_u16(self, _: u16) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_u32(self, _: u32) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_u64(self, _: u64) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_f32(self, _: f32) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_f64(self, _: f64) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_char(self, _: char) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_str(self, _: &str) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    // An optional struct is descended into; nothing is below an absent one.
    fn serialize_none(self) -> Result<Self::Ok, Error> {
        Ok(None)
    }
    fn serialize_some<V: ?Sized + Serialize>(self, value: &V) -> Result<Self::Ok, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_newtype_struct<V: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &V,
    ) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_newtype_variant<V: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &V,
    ) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        not_a_struct()
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        not_a_struct()
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        not_a_struct()
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        not_a_struct()
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        not_a_struct()
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        not_a_struct()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    /// Every top-level field of every example, picked alone, is what the whole profile
    /// made JSON holds there.
    #[test]
    fn a_field_picked_alone_equals_the_field_of_the_whole() {
        let mut seen = 0;
        for (_, bytes) in icgs_tests::example_profiles() {
            let profile: crate::model::CommunityProfile = serde_json::from_slice(&bytes).unwrap();
            let whole = serde_json::to_value(&profile).unwrap();
            for (name, value) in whole.as_object().unwrap() {
                assert_eq!(field_json(&profile, name).unwrap().as_ref(), Some(value));
                seen += 1;
            }
            assert_eq!(field_json(&profile, "no_such_field").unwrap(), None);
        }
        assert!(seen > 50, "examples read: {seen} fields");
        assert_eq!(field_json(&None::<u8>, "len").unwrap(), None);
        assert!(
            field_json(&vec![1], "len").is_err(),
            "a list is not a struct"
        );
    }

    /// Every pointer into every example (up to four tokens deep), picked alone, is what
    /// the whole profile made JSON holds there, null counted as nothing.
    #[test]
    fn a_pointer_picked_alone_equals_the_value_of_the_whole() {
        fn pointers(value: &Value, at: &str, depth: usize, out: &mut Vec<String>) {
            if depth == 0 {
                return;
            }
            let children: Vec<(String, &Value)> = match value {
                Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
                Value::Array(a) => a
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (i.to_string(), v))
                    .collect(),
                _ => Vec::new(),
            };
            for (token, child) in children {
                let pointer = format!("{at}/{token}");
                out.push(format!("{pointer}/no_such_field"));
                pointers(child, &pointer, depth - 1, out);
                out.push(pointer);
            }
        }
        let mut seen = 0;
        for (_, bytes) in icgs_tests::example_profiles() {
            let profile: crate::model::CommunityProfile = serde_json::from_slice(&bytes).unwrap();
            let whole = serde_json::to_value(&profile).unwrap();
            let mut all = vec!["/no_such_field".to_owned()];
            pointers(&whole, "", 4, &mut all);
            for pointer in all {
                let expected = whole.pointer(&pointer).filter(|v| !v.is_null());
                let picked = pointer_json(&profile, &pointer).unwrap();
                assert_eq!(
                    picked.as_ref().filter(|v| !v.is_null()),
                    expected,
                    "{pointer}"
                );
                seen += 1;
            }
        }
        assert!(seen > 1000, "pointers tried: {seen}");
        assert!(
            pointer_json(&vec![1], "/0").is_err(),
            "a list is not a struct"
        );
        assert!(pointer_json(&1, "0").is_err(), "not a pointer");
    }
}
