//! One place per object field: `object!` declares an API struct together with, for each field
//! the table covers, its key in YAML and its `Codec` (how it is read, defaulted and written). The
//! reader, the writer and the list of known keys all come from that one line. Fields with a
//! shape of their own (nested objects, lists, kept unknown fields) have no key in the table and
//! are read and written by hand beside it, in `read.rs` and `write.rs`.
use crate::yaml::read::{Obj, R};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A mapping being written.
#[derive(Default)]
pub struct Out(Map<String, Value>);

impl Out {
    pub fn new() -> Out {
        Out::default()
    }
    pub fn put(mut self, key: &str, v: impl Into<Value>) -> Out {
        self.0.insert(key.to_string(), v.into());
        self
    }
    pub fn opt<T: Into<Value>>(self, key: &str, v: Option<T>) -> Out {
        match v {
            Some(v) => self.put(key, v),
            None => self,
        }
    }
    /// A true flag only: false is the default and goes unsaid.
    pub fn flag(self, key: &str, on: bool) -> Out {
        if on {
            self.put(key, true)
        } else {
            self
        }
    }
    /// Labels or annotations, left out when there are none.
    pub fn labels(self, key: &str, map: &BTreeMap<String, String>) -> Out {
        if map.is_empty() {
            return self;
        }
        self.put(key, labels(map))
    }
    pub fn list<T>(self, key: &str, items: &[T], write: impl Fn(&T) -> Value) -> Out {
        if items.is_empty() {
            return self;
        }
        self.put(key, items.iter().map(write).collect::<Vec<_>>())
    }
    /// Fields the simulation does not model, written back as they were read.
    pub fn extra(mut self, extra: &BTreeMap<String, Value>) -> Out {
        self.0
            .extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        self
    }
    pub fn done(self) -> Value {
        Value::Object(self.0)
    }
}

impl From<Out> for Value {
    fn from(o: Out) -> Value {
        o.done()
    }
}

/// A string-to-string mapping, written even when empty (a selector).
pub fn labels(map: &BTreeMap<String, String>) -> Value {
    // Inserted one by one: collecting into a map sorts first, and links a sort per use.
    let mut out = Map::new();
    for (k, v) in map {
        out.insert(k.clone(), Value::String(v.clone()));
    }
    Value::Object(out)
}

/// How one field of type `T` is read from its key (with its default) and written back.
pub trait Codec<T> {
    fn read(o: &Obj<'_>, key: &str) -> R<T>;
    fn write(out: Out, key: &str, v: &T) -> Out;
}

/// A whole number defaulting to `D`, always written (as `kubectl get -o yaml` shows defaults).
pub struct Int<const D: i64>;

impl<const D: i64> Codec<i64> for Int<D> {
    fn read(o: &Obj<'_>, key: &str) -> R<i64> {
        Ok(o.i64(key)?.unwrap_or(D))
    }
    fn write(out: Out, key: &str, v: &i64) -> Out {
        out.put(key, *v)
    }
}

impl<const D: i64> Codec<i32> for Int<D> {
    fn read(o: &Obj<'_>, key: &str) -> R<i32> {
        // D is one of the API's small defaults; it fits.
        Ok(o.int(key)?.unwrap_or(D as i32))
    }
    fn write(out: Out, key: &str, v: &i32) -> Out {
        out.put(key, *v)
    }
}

/// A whole number set to `D` when absent, and kept optional for objects built in code (a
/// Deployment's progress deadline, D-1).
pub struct SomeOr<const D: i32>;

impl<const D: i32> Codec<Option<i32>> for SomeOr<D> {
    fn read(o: &Obj<'_>, key: &str) -> R<Option<i32>> {
        Ok(Some(o.int(key)?.unwrap_or(D)))
    }
    fn write(out: Out, key: &str, v: &Option<i32>) -> Out {
        out.opt(key, *v)
    }
}

/// An optional field, written only when set.
pub struct Opt;

impl Codec<Option<i64>> for Opt {
    fn read(o: &Obj<'_>, key: &str) -> R<Option<i64>> {
        o.i64(key)
    }
    fn write(out: Out, key: &str, v: &Option<i64>) -> Out {
        out.opt(key, *v)
    }
}

impl Codec<Option<i32>> for Opt {
    fn read(o: &Obj<'_>, key: &str) -> R<Option<i32>> {
        o.int(key)
    }
    fn write(out: Out, key: &str, v: &Option<i32>) -> Out {
        out.opt(key, *v)
    }
}

impl Codec<Option<bool>> for Opt {
    fn read(o: &Obj<'_>, key: &str) -> R<Option<bool>> {
        o.bool(key)
    }
    fn write(out: Out, key: &str, v: &Option<bool>) -> Out {
        out.opt(key, *v)
    }
}

impl Codec<Option<String>> for Opt {
    fn read(o: &Obj<'_>, key: &str) -> R<Option<String>> {
        o.string(key)
    }
    fn write(out: Out, key: &str, v: &Option<String>) -> Out {
        out.opt(key, v.clone())
    }
}

/// Text that must be there.
pub struct Required;

impl Codec<String> for Required {
    fn read(o: &Obj<'_>, key: &str) -> R<String> {
        o.required_string(key)
    }
    fn write(out: Out, key: &str, v: &String) -> Out {
        out.put(key, v.clone())
    }
}

/// Text that is empty when absent, always written.
pub struct Text;

impl Codec<String> for Text {
    fn read(o: &Obj<'_>, key: &str) -> R<String> {
        Ok(o.string(key)?.unwrap_or_default())
    }
    fn write(out: Out, key: &str, v: &String) -> Out {
        out.put(key, v.clone())
    }
}

/// A flag: false unless set, written only when true.
pub struct Flag;

impl Codec<bool> for Flag {
    fn read(o: &Obj<'_>, key: &str) -> R<bool> {
        Ok(o.bool(key)?.unwrap_or(false))
    }
    fn write(out: Out, key: &str, v: &bool) -> Out {
        out.flag(key, *v)
    }
}

/// Labels or annotations: empty when absent, left out when empty.
pub struct Labels;

impl Codec<BTreeMap<String, String>> for Labels {
    fn read(o: &Obj<'_>, key: &str) -> R<BTreeMap<String, String>> {
        o.labels(key)
    }
    fn write(out: Out, key: &str, v: &BTreeMap<String, String>) -> Out {
        out.labels(key, v)
    }
}

/// Declares an API struct with its field table. A field written `pub name: Type = "key" as
/// Codec` is read and written through the table; one without `= …` is the hand-written code's.
/// The struct gets `KEYS` (the table's keys), `read_table` (fills the table's fields from a
/// mapping) and `write_table` (adds them to a mapping being written).
macro_rules! object {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty $(= $key:literal as $codec:ty)? ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $name {
            /// The keys of the fields in the table; the others are read and written by hand.
            pub const KEYS: &'static [&'static str] = &[$($($key,)?)*];

            /// The table's fields read from `o` into `self` (the others are left as they are).
            #[allow(unused_mut, unused_variables)]
            pub(crate) fn read_table(
                mut self,
                o: &$crate::yaml::read::Obj<'_>,
            ) -> $crate::yaml::read::R<Self> {
                $($( self.$field = <$codec as $crate::fields::Codec<$ty>>::read(o, $key)?; )?)*
                Ok(self)
            }

            /// The table's fields added to `out`.
            #[allow(unused_variables)]
            pub(crate) fn write_table(&self, out: $crate::fields::Out) -> $crate::fields::Out {
                $($( let out = <$codec as $crate::fields::Codec<$ty>>::write(out, $key, &self.$field); )?)*
                out
            }
        }
    };
}
pub(crate) use object;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    object! {
        #[derive(Debug, Default, PartialEq)]
        pub struct Sample {
            pub count: i64 = "count" as Int<7>,
            pub name: String = "name" as Required,
            pub note: Option<String> = "note" as Opt,
            pub on: bool = "on" as Flag,
            pub by_hand: u8,
        }
    }

    fn read(v: &Value) -> R<Sample> {
        let o = Obj::new(v, "")?;
        Sample {
            by_hand: 9,
            ..Sample::default()
        }
        .read_table(&o)
    }

    #[test]
    fn one_line_per_field_gives_the_keys_the_reader_and_the_writer() {
        assert_eq!(Sample::KEYS, ["count", "name", "note", "on"]);
        let s = read(&json!({"name": "web"})).unwrap();
        let want = Sample {
            count: 7,
            name: "web".into(),
            note: None,
            on: false,
            by_hand: 9,
        };
        assert_eq!(s, want, "defaults, and the hand-read field left alone");
        assert_eq!(
            s.write_table(Out::new()).done(),
            json!({"count": 7, "name": "web"})
        );
        let full = json!({"count": 2, "name": "web", "note": "n", "on": true});
        assert_eq!(read(&full).unwrap().write_table(Out::new()).done(), full);
        // Errors name the field: (where, what).
        let missing = read(&json!({"count": 1})).unwrap_err();
        assert!(missing.1.contains("name"), "{missing:?}");
        let wrong = read(&json!({"name": "web", "count": "many"})).unwrap_err();
        assert_eq!(wrong.0, "count", "{wrong:?}");
    }
}
