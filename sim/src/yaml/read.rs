//! Reads typed objects from the parsed YAML tree by hand, field by field. serde's derived
//! readers cost about a third of the web app's code (a visitor per type, each generic over the
//! deserializer); these readers are plain functions over one small API. Every error names the
//! path of the bad value, which `yaml::read` turns into a line and column.
use crate::intstr::IntOrString;
use serde_json::Map;
pub use serde_json::Value;
use std::collections::BTreeMap;

/// Fields kept but not modelled (`api::Extra`, which is this type).
type Extra = BTreeMap<String, Value>;

/// (path of the bad value, message), as `yaml::de` reports it.
pub type Error = (String, String);
pub type R<T> = Result<T, Error>;

/// One mapping of the document and where it is.
pub struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

/// What a value is, in serde's words (`string "three"`), for "invalid type" messages.
fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => format!("number `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

impl<'a> Obj<'a> {
    pub fn new(v: &'a Value, path: &str) -> R<Obj<'a>> {
        match v {
            Value::Object(map) => Ok(Obj {
                map,
                path: path.to_string(),
            }),
            other => Err((
                path.to_string(),
                format!("invalid type: {}, expected a mapping", kind(other)),
            )),
        }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn at(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// A field that is set (null counts as not set).
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn wrong(&self, key: &str, want: &str, v: &Value) -> Error {
        (
            self.at(key),
            format!("invalid type: {}, expected {want}", kind(v)),
        )
    }

    pub fn missing(&self, key: &str) -> Error {
        (self.path.clone(), format!("missing field `{key}`"))
    }

    /// The keys this reader does not know, for "unknown field" warnings.
    pub fn unknown(&self, known: &[&str]) -> Vec<String> {
        self.map
            .keys()
            .filter(|k| !known.contains(&k.as_str()))
            .cloned()
            .collect()
    }

    /// Fields kept but not modelled, verbatim (env, resources, volumes...).
    pub fn rest(&self, known: &[&str]) -> Extra {
        // Inserted one by one: collecting into a map sorts first, and links a sort per use.
        let mut out = Extra::new();
        for (k, v) in self
            .map
            .iter()
            .filter(|(k, _)| !known.contains(&k.as_str()))
        {
            out.insert(k.clone(), v.clone());
        }
        out
    }

    pub fn value(&self, key: &str) -> Option<Value> {
        self.get(key).cloned()
    }

    pub fn i64(&self, key: &str) -> R<Option<i64>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a whole number", v)),
        }
    }

    pub fn u64(&self, key: &str) -> R<Option<u64>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a whole number, 0 or more", v)),
        }
    }

    pub fn f64(&self, key: &str) -> R<Option<f64>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a number", v)),
        }
    }

    /// A mapping of strings to strings (labels, annotations, selectors).
    pub fn labels(&self, key: &str) -> R<BTreeMap<String, String>> {
        let Some(o) = self.obj(key)? else {
            return Ok(Default::default());
        };
        let mut out = BTreeMap::new();
        for (k, v) in o.map.iter() {
            match v {
                Value::String(s) => out.insert(k.clone(), s.clone()),
                // YAML reads `version: 2` as a number; Kubernetes wants a string there.
                other => return Err(o.wrong(k, "a string", other)),
            };
        }
        Ok(out)
    }

    /// A list of scalars, each read by `read` (a number, a string...).
    pub fn scalars<T>(
        &self,
        key: &str,
        read: impl Fn(&Value) -> Option<T>,
        want: &str,
    ) -> R<Option<Vec<T>>> {
        match self.get(key) {
            None => Ok(None),
            // Loops rather than `collect::<Result<_>>()`: that adapter costs ~1 KB of wasm per use.
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, v) in items.iter().enumerate() {
                    out.push(read(v).ok_or_else(|| {
                        (
                            format!("{}[{i}]", self.at(key)),
                            format!("invalid type: {}, expected {want}", kind(v)),
                        )
                    })?);
                }
                Ok(Some(out))
            }
            Some(v) => Err(self.wrong(key, "a list", v)),
        }
    }

    /// A duration written as `500ms`, `20s`, `2m`, or a number of seconds.
    pub fn duration(&self, key: &str) -> R<Option<crate::time::Ms>> {
        let text = match self.get(key) {
            None => return Ok(None),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => return Err(self.wrong(key, "a duration such as 20s", v)),
        };
        crate::time::parse_duration(&text)
            .map(Some)
            .map_err(|e| (self.at(key), e))
    }

    pub fn string(&self, key: &str) -> R<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(self.wrong(key, "a string", v)),
        }
    }

    pub fn required_string(&self, key: &str) -> R<String> {
        self.string(key)?.ok_or_else(|| self.missing(key))
    }

    pub fn int(&self, key: &str) -> R<Option<i32>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a whole number", v)),
        }
    }

    pub fn uint(&self, key: &str) -> R<Option<u32>> {
        Ok(match self.int(key)? {
            Some(n) if n < 0 => {
                return Err((self.at(key), format!("{n} must be 0 or more")));
            }
            n => n.map(|n| n as u32),
        })
    }

    pub fn bool(&self, key: &str) -> R<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(self.wrong(key, "true or false", v)),
        }
    }

    pub fn int_or_string(&self, key: &str) -> R<Option<IntOrString>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(IntOrString::String(s.clone()))),
            Some(v) => v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .map(|n| Some(IntOrString::Int(n)))
                .ok_or_else(|| self.wrong(key, "a number or a string", v)),
        }
    }

    pub fn obj(&self, key: &str) -> R<Option<Obj<'a>>> {
        self.get(key)
            .map(|v| Obj::new(v, &self.at(key)))
            .transpose()
    }

    /// A list of mappings, each read by `read`.
    pub fn list<T>(&self, key: &str, read: impl Fn(&Obj<'a>) -> R<T>) -> R<Vec<T>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, v) in items.iter().enumerate() {
                    out.push(read(&Obj::new(v, &format!("{}[{i}]", self.at(key)))?)?);
                }
                Ok(out)
            }
            Some(v) => Err(self.wrong(key, "a list", v)),
        }
    }

    pub fn required_obj(&self, key: &str) -> R<Obj<'a>> {
        self.obj(key)?.ok_or_else(|| self.missing(key))
    }

    /// One word out of `words`, as Argo spells it.
    pub fn word(&self, key: &str, words: &[&str]) -> R<Option<usize>> {
        match self.string(key)? {
            None => Ok(None),
            Some(w) => words.iter().position(|x| *x == w).map(Some).ok_or_else(|| {
                (
                    self.at(key),
                    format!("unknown value {w:?}: expected one of {}", words.join(", ")),
                )
            }),
        }
    }
}
