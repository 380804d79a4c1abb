//! One field of a struct as JSON, without making JSON of the others: `c.get("/a/b")` needs
//! `a` of the profile only.

use serde::Serialize;
use serde::ser::{Error as _, Impossible, SerializeStruct, Serializer};
use serde_json::Value;

/// The field `name` of `value` as JSON: `Ok(None)` when the struct does not write it,
/// `Err` when `value` is not written as a struct (the caller then makes JSON of it whole).
pub(crate) fn field_json<T: Serialize>(value: &T, name: &str) -> Result<Option<Value>, Error> {
    value.serialize(Picker { name })
}

type Error = serde_json::Error;

/// Writes nothing but the field `name` of a struct.
struct Picker<'a> {
    name: &'a str,
}

/// The field found so far.
struct Picked<'a> {
    name: &'a str,
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
        if key == self.name {
            self.found = Some(serde_json::to_value(value)?);
        }
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
    fn serialize_none(self) -> Result<Self::Ok, Error> {
        not_a_struct()
    }
    fn serialize_some<V: ?Sized + Serialize>(self, _: &V) -> Result<Self::Ok, Error> {
        not_a_struct()
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
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/profiles");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let profile: crate::model::CommunityProfile = serde_json::from_slice(&bytes).unwrap();
            let whole = serde_json::to_value(&profile).unwrap();
            for (name, value) in whole.as_object().unwrap() {
                assert_eq!(field_json(&profile, name).unwrap().as_ref(), Some(value));
                seen += 1;
            }
            assert_eq!(field_json(&profile, "no_such_field").unwrap(), None);
        }
        assert!(seen > 50, "examples read: {seen} fields");
        assert!(
            field_json(&vec![1], "len").is_err(),
            "a list is not a struct"
        );
    }
}
