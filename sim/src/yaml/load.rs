//! YAML events to JSON values, as kubectl turns a manifest into the JSON it sends.
//!
//! The events come from saphyr's parser (YAML 1.2, conformant to the YAML test suite); this
//! module does what sigs.k8s.io/yaml's `YAMLToJSON` does on top of go-yaml v2: plain scalars are
//! resolved with go-yaml v2's table (so `on`, `yes` and `n` are booleans and `0644` is octal, as
//! a real `kubectl apply` reads them), keys are JSON strings, anchors and aliases are copied,
//! and merge keys (`<<`) fill in what a mapping does not set itself. It keeps the file position
//! of every value and key, and bounds what the input can cost: nesting (`limits::NESTING`) and
//! values, aliases counted as often as they are used (`limits::YAML_VALUES`).
use super::{Origin, Places, SourceError};
use crate::limits;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;

/// One document of a YAML stream: its value, where its parts were written, and its first line.
#[derive(Debug)]
pub struct Document {
    pub value: Value,
    pub places: Places,
    /// The file line the document starts on (its `---`, if it has one).
    pub line: u64,
}

/// Every document of `text`, empty ones left out (as kubectl skips them).
pub fn documents(text: &str, origin: Origin) -> Result<Vec<Document>, SourceError> {
    if text.len() > limits::FILE_BYTES {
        return Err(SourceError::new(
            origin.line,
            1,
            limits::too_big("the text's size"),
        ));
    }
    let mut loader = Loader {
        origin,
        documents: Vec::new(),
        stack: Vec::new(),
        anchors: BTreeMap::new(),
        places: Places::default(),
        root: None,
        line: origin.line,
        values: 0,
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let (line, column) = origin.place(*e.marker());
            // The parser's own guard against deep flow nesting (deeper than ours) says it so.
            let message = match e.info() {
                "recursion limit exceeded" => limits::too_deep(),
                info => info.to_string(),
            };
            SourceError::new(line, column, message)
        })?;
        loader.event(event, span)?;
    }
    Ok(loader.documents)
}

/// A mapping or sequence whose end has not been read yet.
struct Open {
    node: Node,
    path: String,
    /// The anchor (`&name`) it carries, 0 for none.
    anchor: usize,
    /// Values in it so far, itself included.
    size: usize,
}

enum Node {
    Sequence(Vec<Value>),
    Mapping {
        map: Map<String, Value>,
        /// The key whose value comes next, if it has been read.
        key: Option<Key>,
        /// The values of its merge keys, applied where it ends.
        merges: Vec<Value>,
    },
}

enum Key {
    Field(String),
    /// `<<`: the value's mappings fill in the keys this mapping does not set.
    Merge,
}

struct Loader {
    origin: Origin,
    documents: Vec<Document>,
    stack: Vec<Open>,
    /// Anchored values by anchor id, with the number of values in each.
    anchors: BTreeMap<usize, (Value, usize)>,
    places: Places,
    root: Option<Value>,
    line: u64,
    /// Values read so far, aliases counted as often as they are used.
    values: usize,
}

impl Loader {
    fn err<T>(&self, at: Marker, message: impl Into<String>) -> Result<T, SourceError> {
        let (line, column) = self.origin.place(at);
        Err(SourceError::new(line, column, message))
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), SourceError> {
        match event {
            Event::DocumentStart(_) => {
                self.line = self.origin.place(span.start).0;
                self.places = Places::default();
                self.root = None;
            }
            Event::DocumentEnd => {
                let places = std::mem::take(&mut self.places);
                match self.root.take() {
                    None | Some(Value::Null) => {}
                    Some(value) => self.documents.push(Document {
                        value,
                        places,
                        line: self.line,
                    }),
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                if self.expects_key() {
                    return self.key(&text, style, span.start);
                }
                let value = resolve(&text, style, tag.as_deref());
                self.remember(anchor, &value, 1);
                self.count(1, span.start)?;
                self.place(&self.next_path(), span.start);
                self.value(value, 1);
            }
            Event::Alias(id) => {
                let Some((value, size)) = self.anchors.get(&id).cloned() else {
                    return self.err(span.start, "unknown anchor");
                };
                if self.expects_key() {
                    return match value {
                        Value::String(s) => self.key(&s, ScalarStyle::SingleQuoted, span.start),
                        _ => self.err(
                            span.start,
                            "unsupported map key: an alias of a list or mapping",
                        ),
                    };
                }
                self.count(size, span.start)?;
                self.place(&self.next_path(), span.start);
                self.value(value, size);
            }
            Event::SequenceStart(anchor, _) => {
                self.open(Node::Sequence(Vec::new()), anchor, span)?
            }
            Event::MappingStart(anchor, _) => {
                let node = Node::Mapping {
                    map: Map::new(),
                    key: None,
                    merges: Vec::new(),
                };
                self.open(node, anchor, span)?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span)?,
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn expects_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Open {
                node: Node::Mapping { key: None, .. },
                ..
            })
        )
    }

    /// A mapping's key, as written. (go-yaml v2 would resolve a plain key first, so that `on:`
    /// became `"true"`; YAML 1.2 and every Kubernetes field name keep the text.)
    fn key(&mut self, text: &str, style: ScalarStyle, at: Marker) -> Result<(), SourceError> {
        let key = if style == ScalarStyle::Plain && text == "<<" {
            Key::Merge
        } else {
            Key::Field(text.to_string())
        };
        let place = self.origin.place(at);
        let Some(Open {
            node: Node::Mapping { map, key: slot, .. },
            path,
            ..
        }) = self.stack.last_mut()
        else {
            return Ok(());
        };
        if let Key::Field(name) = &key {
            if map.contains_key(name) {
                let message = format!("key {name:?} already set in map");
                return self.err(at, message);
            }
            self.places.1.push((child(path, name), place.0, place.1));
        }
        *slot = Some(key);
        Ok(())
    }

    /// The path of the value that comes next.
    fn next_path(&self) -> String {
        match self.stack.last() {
            None => String::new(),
            Some(Open {
                node: Node::Sequence(items),
                path,
                ..
            }) => format!("{path}[{}]", items.len()),
            Some(Open {
                node: Node::Mapping { key, .. },
                path,
                ..
            }) => match key {
                Some(Key::Field(name)) => child(path, name),
                _ => path.clone(),
            },
        }
    }

    fn open(&mut self, node: Node, anchor: usize, span: Span) -> Result<(), SourceError> {
        if self.expects_key() {
            return self.err(span.start, "unsupported map key: a list or mapping");
        }
        if self.stack.len() >= limits::NESTING {
            return self.err(span.start, limits::too_deep());
        }
        let path = self.next_path();
        self.place(&path, span.start);
        self.stack.push(Open {
            node,
            path,
            anchor,
            size: 1,
        });
        Ok(())
    }

    fn close(&mut self, span: Span) -> Result<(), SourceError> {
        let Some(open) = self.stack.pop() else {
            return Ok(());
        };
        let value = match open.node {
            Node::Sequence(items) => Value::Array(items),
            Node::Mapping {
                mut map, merges, ..
            } => {
                for merged in merges {
                    merge(&mut map, merged).or_else(|m| self.err(span.start, m))?;
                }
                Value::Object(map)
            }
        };
        self.remember(open.anchor, &value, open.size);
        // Its contents were counted as they were read, and its place recorded where it opened.
        self.count(1, span.start)?;
        self.value(value, open.size);
        Ok(())
    }

    fn remember(&mut self, anchor: usize, value: &Value, size: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, (value.clone(), size));
        }
    }

    /// Counts `n` more values against `limits::YAML_VALUES`.
    fn count(&mut self, n: usize, at: Marker) -> Result<(), SourceError> {
        self.values = self.values.saturating_add(n);
        if self.values > limits::YAML_VALUES {
            let why = limits::exceeded("the number of values", limits::YAML_VALUES);
            return self.err(at, format!("{why} (aliases count each time they are used)"));
        }
        Ok(())
    }

    fn place(&mut self, path: &str, at: Marker) {
        let (line, column) = self.origin.place(at);
        self.places.0.push((path.to_string(), line, column));
    }

    /// A finished value of `size` values goes into whatever is open around it.
    fn value(&mut self, value: Value, size: usize) {
        let Some(open) = self.stack.last_mut() else {
            self.root = Some(value);
            return;
        };
        open.size += size;
        match &mut open.node {
            Node::Sequence(items) => items.push(value),
            Node::Mapping { map, key, merges } => match key.take() {
                Some(Key::Field(name)) => {
                    map.insert(name, value);
                }
                Some(Key::Merge) => merges.push(value),
                None => {}
            },
        }
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `<<: *base` or `<<: [*a, *b]`: keys the mapping does not set come from the merged mappings,
/// the first listed winning (go-yaml's `merge`).
fn merge(map: &mut Map<String, Value>, merged: Value) -> Result<(), &'static str> {
    let from = match merged {
        Value::Object(m) => vec![m],
        Value::Array(items) => items
            .into_iter()
            .map(|i| match i {
                Value::Object(m) => Ok(m),
                _ => Err(()),
            })
            .collect::<Result<Vec<_>, ()>>()
            .map_err(|()| "map merge requires map or sequence of maps as the value")?,
        _ => return Err("map merge requires map or sequence of maps as the value"),
    };
    for m in from {
        for (k, v) in m {
            map.entry(k).or_insert(v);
        }
    }
    Ok(())
}

/// A scalar's value: quoted and block text is a string; plain text is resolved with go-yaml
/// v2's table (`resolve.go`), which is what kubectl's decoder uses; `!!str` keeps text as text.
fn resolve(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    let core = tag
        .filter(|t| t.is_yaml_core_schema())
        .map(|t| t.suffix.as_str());
    if style != ScalarStyle::Plain || core == Some("str") {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Value::Bool(false)
        }
        _ => {}
    }
    integer(text)
        .or_else(|| float(text))
        .unwrap_or_else(|| Value::String(text.to_string()))
}

/// Go's `strconv.ParseInt(s, 0, 64)` after go-yaml removes underscores: decimal, `0x`, `0o`,
/// `0b`, and a leading `0` for octal; then the same as an unsigned 64-bit number.
fn integer(text: &str) -> Option<Value> {
    let plain = text.replace('_', "");
    let (negative, digits) = match plain.as_bytes().first()? {
        b'-' => (true, &plain[1..]),
        b'+' => (false, &plain[1..]),
        _ => (false, plain.as_str()),
    };
    let (radix, digits) = match digits.get(..2) {
        Some("0x" | "0X") => (16, &digits[2..]),
        Some("0o" | "0O") => (8, &digits[2..]),
        Some("0b" | "0B") => (2, &digits[2..]),
        _ if digits.len() > 1 && digits.starts_with('0') => (8, &digits[1..]),
        _ => (10, digits),
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if !negative {
        return Some(Value::Number(Number::from(magnitude)));
    }
    let n = 0i64.checked_sub_unsigned(magnitude)?;
    Some(Value::Number(Number::from(n)))
}

/// go-yaml v2's float pattern `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`; the
/// infinities and NaN have no JSON form and stay text.
fn float(text: &str) -> Option<Value> {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    let x: f64 = text.parse().ok()?;
    Number::from_f64(x).map(Value::Number)
}
