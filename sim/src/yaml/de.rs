//! A deserializer over a parsed value that knows each value's path in the document, so an error
//! can be placed at its line and column. One small deserializer serves every type (manifests,
//! scenarios, lessons, patches), which keeps one copy of each type's code in the web app.
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;
use std::fmt;

/// Deserializes `value`; an error comes with the path of the value it is about.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, (String, String)> {
    T::deserialize(At {
        value,
        path: String::new(),
    })
    .map_err(|e| (e.path.unwrap_or_default(), e.message))
}

#[derive(Debug)]
pub struct DeError {
    message: String,
    /// Set by the innermost value the error passed through.
    path: Option<String>,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            path: None,
        }
    }
}

fn at_path<T>(result: Result<T, DeError>, path: &str) -> Result<T, DeError> {
    result.map_err(|mut e| {
        e.path.get_or_insert_with(|| path.to_string());
        e
    })
}

struct At {
    value: Value,
    path: String,
}

impl<'de> de::Deserializer<'de> for At {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let path = self.path;
        let result = match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => visitor.visit_i64(i),
                (_, Some(u)) => visitor.visit_u64(u),
                _ => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => visitor.visit_seq(Items {
                items: items.into_iter(),
                index: 0,
                path: path.clone(),
            }),
            Value::Object(map) => visitor.visit_map(Fields {
                fields: map.into_iter(),
                pending: None,
                path: path.clone(),
            }),
        };
        at_path(result, &path)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.value {
            // Kubernetes enums are words: `type: Recreate`.
            Value::String(s) => at_path(visitor.visit_enum(s.into_deserializer()), &self.path),
            other => Err(DeError {
                message: format!("expected a word here, found {other}"),
                path: Some(self.path),
            }),
        }
    }

    // Structs, lists and field names get only the visitor method that can apply, so the other
    // methods serde derives for every type (a struct read from a list, a field named by number)
    // are never called and drop out of the web app.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            Value::Object(map) => {
                let path = self.path;
                let fields = Fields {
                    fields: map.into_iter(),
                    pending: None,
                    path: path.clone(),
                };
                at_path(visitor.visit_map(fields), &path)
            }
            other => Err(wrong_type(&other, &visitor, self.path)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            Value::Array(items) => {
                let path = self.path;
                let items = Items {
                    items: items.into_iter(),
                    index: 0,
                    path: path.clone(),
                };
                at_path(visitor.visit_seq(items), &path)
            }
            other => Err(wrong_type(&other, &visitor, self.path)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value {
            Value::String(s) => at_path(visitor.visit_str(s), &self.path),
            other => Err(wrong_type(other, &visitor, self.path)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct
        tuple tuple_struct
    }
}

/// serde's own "invalid type" message, placed at the value.
fn wrong_type<'de, V: Visitor<'de>>(value: &Value, visitor: &V, path: String) -> DeError {
    let unexpected = match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("a number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    };
    let mut e: DeError = de::Error::invalid_type(unexpected, visitor);
    e.path = Some(path);
    e
}

struct Items {
    items: std::vec::IntoIter<Value>,
    index: usize,
    path: String,
}

impl<'de> SeqAccess<'de> for Items {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some(value) = self.items.next() else {
            return Ok(None);
        };
        let path = format!("{}[{}]", self.path, self.index);
        self.index += 1;
        at_path(
            seed.deserialize(At {
                value,
                path: path.clone(),
            }),
            &path,
        )
        .map(Some)
    }
}

struct Fields {
    fields: serde_json::map::IntoIter,
    pending: Option<(String, Value)>,
    path: String,
}

impl Fields {
    fn child(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }
}

impl<'de> MapAccess<'de> for Fields {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some((key, value)) = self.fields.next() else {
            return Ok(None);
        };
        // An unknown field is reported at its key.
        let path = self.child(&key);
        let result = at_path(
            seed.deserialize(At {
                value: Value::String(key.clone()),
                path: path.clone(),
            }),
            &path,
        );
        self.pending = Some((key, value));
        result.map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom("a value was asked for before its key"));
        };
        let path = self.child(&key);
        at_path(
            seed.deserialize(At {
                value,
                path: path.clone(),
            }),
            &path,
        )
    }
}
