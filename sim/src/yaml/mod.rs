//! Reading YAML written by people: Kubernetes manifests, scenario files, lesson front matter.
//!
//! This reads the part of YAML those files use — block mappings and sequences, flow `{}` and
//! `[]`, plain and quoted scalars, `|` and `>` block scalars, comments — into a JSON value, and
//! remembers where every value was written. Anything beyond that (anchors, aliases, tags,
//! multi-line plain scalars) is refused with a clear message rather than guessed at. Typed objects
//! are then read from that value by the plain functions of `read` (no serde derive: it would cost
//! a third of the web app). Every error names its line and column; no input panics.
pub mod emit;
pub mod read;

use serde_json::{Map, Number, Value};
use std::fmt;

/// A problem in a file a person wrote, placed where they can find it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    /// 1-based line in the whole file (0 when the position is unknown).
    pub line: u64,
    /// 1-based column (0 when unknown).
    pub column: u64,
    pub message: String,
}

impl SourceError {
    pub fn new(line: u64, column: u64, message: impl Into<String>) -> Self {
        SourceError {
            line,
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(
                f,
                "line {}, column {}: {}",
                self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for SourceError {}

/// Reads `text` with a hand-written reader; each error is placed at the line and column of the value (or
/// key) it is about.
pub fn read<T>(
    text: &str,
    first_line: u64,
    reader: impl FnOnce(&Value) -> Result<T, (String, String)>,
) -> Result<T, SourceError> {
    let (value, places) = parse(text, first_line)?;
    reader(&value).map_err(|(path, message)| {
        let (line, column) = if message.starts_with("unknown field") {
            places.find_key(&path)
        } else {
            places.find(&path)
        };
        SourceError::new(line, column, message)
    })
}

/// Reads a JSON value (a patched object, say) with a hand-written reader; errors name the
/// field's path.
pub fn read_value<T>(
    value: &Value,
    reader: impl FnOnce(&Value) -> Result<T, (String, String)>,
) -> Result<T, String> {
    reader(value).map_err(|(path, message)| {
        if path.is_empty() {
            message
        } else {
            format!("{path}: {message}")
        }
    })
}

/// Where each value was written, by its path (`spec.containers[0].image`), and where each key was.
#[derive(Debug, Default)]
pub struct Places(Vec<(String, u64, u64)>, Vec<(String, u64, u64)>);

impl Places {
    /// The place of the key of `path` (for "unknown field" errors), else of its value.
    pub fn find_key(&self, path: &str) -> (u64, u64) {
        match self.1.iter().find(|(k, _, _)| k == path) {
            Some((_, l, c)) => (*l, *c),
            None => self.find(path),
        }
    }

    /// The place of `path`, or of its nearest ancestor that has one.
    pub fn find(&self, path: &str) -> (u64, u64) {
        let mut p = path;
        loop {
            if let Some((_, l, c)) = self.0.iter().find(|(k, _, _)| k == p) {
                return (*l, *c);
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None if !p.is_empty() => p = "",
                None => return self.0.first().map_or((0, 0), |(_, l, c)| (*l, *c)),
            }
        }
    }
}

/// Parses one YAML document into a JSON value and the places of its parts.
pub fn parse(text: &str, first_line: u64) -> Result<(Value, Places), SourceError> {
    let mut p = Parser {
        lines: Vec::new(),
        at: 0,
        places: Places::default(),
        depth: 0,
    };
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let line = first_line + i as u64;
        if i == 0 && raw.starts_with('\u{feff}') {
            p.lines
                .push(Line::new(line, &raw['\u{feff}'.len_utf8()..])?);
        } else {
            p.lines.push(Line::new(line, raw)?);
        }
    }
    p.skip_blank();
    if p.current().is_some_and(|l| l.content == "---") {
        p.at += 1;
        p.skip_blank();
    }
    let Some(first) = p.current() else {
        return Ok((Value::Null, p.places));
    };
    let indent = first.indent;
    let value = p.block(indent, "")?;
    p.skip_blank();
    if let Some(l) = p.current() {
        if l.content != "..." {
            return Err(SourceError::new(
                l.number,
                l.indent as u64 + 1,
                "unexpected text: check the indentation of this line",
            ));
        }
    }
    Ok((value, p.places))
}

#[derive(Clone, Debug)]
struct Line {
    number: u64,
    raw: String,
    indent: usize,
    /// The line without indentation and comment; empty for blank and comment-only lines.
    content: String,
}

impl Line {
    fn new(number: u64, raw: &str) -> Result<Line, SourceError> {
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        let rest = &raw[indent..];
        if rest.starts_with('\t') && !strip_comment(rest).trim().is_empty() {
            return Err(SourceError::new(
                number,
                indent as u64 + 1,
                "tabs are not allowed for indentation in YAML: use spaces",
            ));
        }
        Ok(Line {
            number,
            raw: raw.to_string(),
            indent,
            content: strip_comment(rest).trim_end().to_string(),
        })
    }
}

/// Removes a `#` comment: one that starts the text or follows whitespace, outside quotes.
fn strip_comment(s: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match quote {
            // In double quotes a backslash escapes what follows, a quote included.
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            // A quote opens text at the start, after white space, or where flow and JSON put
            // values: after `[`, `{`, `,` and a key's `:` (`{"given":"Revision #2"}`).
            None if (c == '"' || c == '\'')
                && (prev == ' '
                    || prev == '['
                    || prev == '{'
                    || prev == ','
                    || (prev == ':' && c == '"')
                    || i == 0) =>
            {
                quote = Some(c)
            }
            None if c == '#' && (i == 0 || prev == ' ' || prev == '\t') => return &s[..i],
            None => {}
        }
        prev = c;
    }
    s
}

struct Parser {
    lines: Vec<Line>,
    at: usize,
    places: Places,
    /// Block nodes open around the current one (`limits::NESTING`).
    depth: usize,
}

impl Parser {
    fn current(&self) -> Option<&Line> {
        self.lines.get(self.at)
    }

    fn skip_blank(&mut self) {
        while self.current().is_some_and(|l| l.content.is_empty()) {
            self.at += 1;
        }
    }

    fn err<T>(
        &self,
        line: u64,
        column: usize,
        message: impl Into<String>,
    ) -> Result<T, SourceError> {
        Err(SourceError::new(line, column as u64 + 1, message))
    }

    /// A block node whose first line is the current one, at `indent`, at most
    /// `limits::NESTING` deep: deeper is no manifest, and would cost more than its size.
    fn block(&mut self, indent: usize, path: &str) -> Result<Value, SourceError> {
        if self.depth >= crate::limits::NESTING {
            let (line, column) = self.current().map_or((0, 0), |l| (l.number, l.indent));
            let why = crate::limits::too_deep();
            return self.err(line, column, why);
        }
        self.depth += 1;
        let node = self.block_node(indent, path);
        self.depth -= 1;
        node
    }

    fn block_node(&mut self, indent: usize, path: &str) -> Result<Value, SourceError> {
        self.skip_blank();
        let Some(line) = self.current().cloned() else {
            return Ok(Value::Null);
        };
        self.places
            .0
            .push((path.to_string(), line.number, line.indent as u64 + 1));
        if is_sequence_item(&line.content) {
            self.sequence(indent, path)
        } else if key_split(&line.content).is_some() {
            self.mapping(indent, path)
        } else {
            let (value, _) = self.inline_value(&line, line.indent, &line.content.clone(), path)?;
            self.at += 1;
            self.refuse_continuation(indent)?;
            Ok(value)
        }
    }

    /// After a plain scalar, a more-indented line would be a multi-line scalar: refuse it.
    fn refuse_continuation(&mut self, indent: usize) -> Result<(), SourceError> {
        self.skip_blank();
        if let Some(next) = self.current() {
            if next.indent > indent
                && !is_sequence_item(&next.content)
                && key_split(&next.content).is_none()
            {
                return self.err(
                    next.number,
                    next.indent,
                    "text continues on this line: quote it, or use `|` for text on several lines",
                );
            }
        }
        Ok(())
    }

    fn sequence(&mut self, indent: usize, path: &str) -> Result<Value, SourceError> {
        let mut items = Vec::new();
        loop {
            self.skip_blank();
            let Some(line) = self.current().cloned() else {
                break;
            };
            if line.indent != indent || !is_sequence_item(&line.content) {
                if line.indent > indent {
                    return self.err(
                        line.number,
                        line.indent,
                        "this line is indented more than the list it belongs to",
                    );
                }
                break;
            }
            let item_path = format!("{path}[{}]", items.len());
            let rest = line.content[1..].trim_start();
            if rest.is_empty() {
                // `-` alone: the item is the block below it.
                self.at += 1;
                self.skip_blank();
                let nested = self.current().map(|l| l.indent).filter(|i| *i > indent);
                match nested {
                    Some(i) => items.push(self.block(i, &item_path)?),
                    None => {
                        self.places
                            .0
                            .push((item_path, line.number, line.indent as u64 + 1));
                        items.push(Value::Null);
                    }
                }
            } else {
                // `- key: value` or `- - x`: the item starts at the text after the dash.
                let offset = line.content.len() - rest.len();
                let column = line.indent + offset;
                let l = &mut self.lines[self.at];
                l.indent = column;
                l.content = rest.to_string();
                items.push(self.block(column, &item_path)?);
            }
        }
        Ok(Value::Array(items))
    }

    fn mapping(&mut self, indent: usize, path: &str) -> Result<Value, SourceError> {
        let mut map = Map::new();
        loop {
            self.skip_blank();
            let Some(line) = self.current().cloned() else {
                break;
            };
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return self.err(
                    line.number,
                    line.indent,
                    "this line is indented more than the keys above it",
                );
            }
            if is_sequence_item(&line.content) {
                break;
            }
            let Some((key, rest)) = key_split(&line.content) else {
                return self.err(line.number, line.indent, "expected `key: value` here");
            };
            let key = unquote_key(&key)
                .map_err(|m| SourceError::new(line.number, line.indent as u64 + 1, m))?;
            if map.contains_key(&key) {
                return self.err(line.number, line.indent, format!("duplicate key `{key}`"));
            }
            let key_path = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let value_column = line.indent + line.content.len() - rest.len();
            self.places
                .0
                .push((key_path.clone(), line.number, value_column as u64 + 1));
            self.places
                .1
                .push((key_path.clone(), line.number, line.indent as u64 + 1));
            let value = if rest.is_empty() {
                self.at += 1;
                self.skip_blank();
                match self
                    .current()
                    .map(|l| (l.indent, is_sequence_item(&l.content)))
                {
                    // A list may sit at the same indentation as its key.
                    Some((i, true)) if i >= indent => self.block(i, &key_path)?,
                    Some((i, _)) if i > indent => self.block(i, &key_path)?,
                    _ => Value::Null,
                }
            } else if rest.starts_with('|') || rest.starts_with('>') {
                self.at += 1;
                self.block_scalar(&line, indent, rest)?
            } else {
                let (value, consumed) = self.inline_value(&line, value_column, rest, &key_path)?;
                self.at += consumed;
                if consumed == 1 {
                    self.refuse_continuation(indent)?;
                }
                value
            };
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }

    /// A scalar or a flow collection starting on `line` at `column`; a flow collection may span
    /// several lines. Returns the value and the number of lines used.
    fn inline_value(
        &mut self,
        line: &Line,
        column: usize,
        text: &str,
        path: &str,
    ) -> Result<(Value, usize), SourceError> {
        let first = text.chars().next().unwrap_or(' ');
        match first {
            '&' | '*' => self.err(
                line.number,
                column,
                "anchors and aliases (& and *) are not supported here: write the value out",
            ),
            '!' => self.err(
                line.number,
                column,
                "tags (!) are not supported here: write a plain value",
            ),
            '[' | '{' => {
                let mut source = text.to_string();
                let mut used = 1;
                loop {
                    let mut flow = Flow {
                        chars: source.chars().collect(),
                        at: 0,
                        depth: self.depth,
                        line: line.number,
                        column,
                        places: &mut self.places,
                        path: path.to_string(),
                    };
                    let result = flow.value(&flow.path.clone()).map(|v| {
                        flow.skip_space();
                        (v, flow.at, flow.chars.len())
                    });
                    match result {
                        Ok((v, end, len)) => {
                            if end < len {
                                return self.err(
                                    line.number,
                                    column + end,
                                    "unexpected text after the closing bracket",
                                );
                            }
                            return Ok((v, used));
                        }
                        Err(FlowError::Unclosed) => match self.lines.get(self.at + used) {
                            Some(next) => {
                                source.push(' ');
                                source.push_str(strip_comment(next.raw.trim()));
                                used += 1;
                            }
                            None => {
                                return self.err(
                                    line.number,
                                    column,
                                    "this bracket is never closed",
                                )
                            }
                        },
                        Err(FlowError::At(offset, message)) => {
                            return self.err(line.number, column + offset, message)
                        }
                    }
                }
            }
            '"' | '\'' => {
                let (s, len) = quoted(text)
                    .map_err(|m| SourceError::new(line.number, column as u64 + 1, m))?;
                if !text[len..].trim().is_empty() {
                    return self.err(
                        line.number,
                        column + len,
                        "unexpected text after the closing quote",
                    );
                }
                Ok((Value::String(s), 1))
            }
            _ => Ok((plain(text), 1)),
        }
    }

    /// `|` keeps line breaks, `>` folds them; `-` strips the final newline, `+` keeps all.
    fn block_scalar(
        &mut self,
        header: &Line,
        parent_indent: usize,
        indicator: &str,
    ) -> Result<Value, SourceError> {
        let fold = indicator.starts_with('>');
        let mut chomp = ' ';
        let mut explicit: Option<usize> = None;
        for c in indicator[1..].trim().chars() {
            match c {
                '-' | '+' => chomp = c,
                '1'..='9' => explicit = Some(c as usize - '0' as usize),
                _ => {
                    return self.err(
                        header.number,
                        header.indent,
                        format!("unexpected `{c}` after the block scalar indicator"),
                    )
                }
            }
        }
        let mut body: Vec<&str> = Vec::new();
        let mut content_indent = explicit.map(|e| parent_indent + e);
        let start = self.at;
        while let Some(l) = self.lines.get(self.at) {
            // YAML's white space is spaces and tabs only (U+0085 and friends are text).
            let blank = l.raw.trim_matches([' ', '\t']).is_empty();
            if !blank {
                let indent = l.raw.len() - l.raw.trim_start_matches(' ').len();
                let ci = *content_indent.get_or_insert(indent);
                if indent <= parent_indent || indent < ci {
                    break;
                }
            }
            self.at += 1;
        }
        let ci = content_indent.unwrap_or(parent_indent + 1);
        for l in &self.lines[start..self.at] {
            // A blank line may be shorter than the indentation, or not split at it.
            body.push(l.raw.get(ci..).unwrap_or(""));
        }
        // Trailing blank lines belong to chomping, not to the next key.
        let mut trailing = 0;
        while body.last().is_some_and(|l| l.is_empty()) {
            body.pop();
            trailing += 1;
        }
        let _ = trailing;
        let mut text = String::new();
        for (i, l) in body.iter().enumerate() {
            if i > 0 {
                let prev = body[i - 1];
                let plain_prev = !prev.is_empty() && !prev.starts_with(' ');
                if fold && plain_prev && l.is_empty() {
                    // Folding: the break before an empty line is dropped; the empty line is the '\n'.
                } else if fold && plain_prev && !l.starts_with(' ') {
                    text.push(' ');
                } else {
                    text.push('\n');
                }
            }
            text.push_str(l);
        }
        match chomp {
            '-' => {}
            '+' => {
                text.push('\n');
                text.push_str(&"\n".repeat(trailing));
            }
            _ if !body.is_empty() => text.push('\n'),
            _ => {}
        }
        Ok(Value::String(text))
    }
}

fn is_sequence_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// Splits `key: value` (or `key:`) into key and the rest; None when the line is not a key.
fn key_split(content: &str) -> Option<(String, &str)> {
    if content.starts_with('"') || content.starts_with('\'') {
        let (_, len) = quoted(content).ok()?;
        let after = &content[len..];
        let rest = after.strip_prefix(':')?;
        return (rest.is_empty() || rest.starts_with(' '))
            .then(|| (content[..len].to_string(), rest.trim_start()));
    }
    if content.starts_with(['[', '{', '&', '*', '!', '|', '>']) {
        return None;
    }
    let mut search = 0;
    while let Some(i) = content[search..].find(':') {
        let at = search + i;
        let after = &content[at + 1..];
        if after.is_empty() || after.starts_with(' ') {
            return Some((content[..at].trim_end().to_string(), after.trim_start()));
        }
        search = at + 1;
    }
    None
}

fn unquote_key(key: &str) -> Result<String, String> {
    if key.starts_with('"') || key.starts_with('\'') {
        Ok(quoted(key)?.0)
    } else if key.is_empty() {
        Err("a key is missing before `:`".into())
    } else {
        Ok(key.to_string())
    }
}

/// A quoted scalar at the start of `s`: its text and the length it used.
fn quoted(s: &str) -> Result<(String, usize), String> {
    let mut chars = s.char_indices();
    let Some((_, q)) = chars.next() else {
        return Err("expected a quote".into());
    };
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match (q, c) {
            ('\'', '\'') => {
                if s[i + 1..].starts_with('\'') {
                    out.push('\'');
                    chars.next();
                } else {
                    return Ok((out, i + 1));
                }
            }
            ('"', '"') => return Ok((out, i + 1)),
            ('"', '\\') => {
                let (_, e) = chars.next().ok_or("unfinished escape")?;
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    '0' => out.push('\0'),
                    '"' | '\\' | '/' | ' ' => out.push(e),
                    'u' => {
                        let hex: String = (0..4)
                            .filter_map(|_| chars.next().map(|(_, h)| h))
                            .collect();
                        let code = u32::from_str_radix(&hex, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or(format!("bad escape \\u{hex}"))?;
                        out.push(code);
                    }
                    other => {
                        return Err(format!(
                            "unknown escape \\{other} in a double-quoted string"
                        ))
                    }
                }
            }
            _ => out.push(c),
        }
    }
    Err(format!("this {q}quoted{q} text is never closed"))
}

/// A plain scalar, resolved as YAML 1.2's core schema does: null, booleans, numbers, or text.
fn plain(s: &str) -> Value {
    let s = s.trim();
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = s.parse::<i64>() {
            return Value::Number(n.into());
        }
        if let Ok(n) = s.parse::<u64>() {
            return Value::Number(n.into());
        }
    }
    if let Some(hex) = s.strip_prefix("0x") {
        if let Ok(n) = i64::from_str_radix(hex, 16) {
            return Value::Number(n.into());
        }
    }
    let numeric = digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.bytes().any(|b| b.is_ascii_digit());
    if numeric {
        if let Some(n) = crate::decimal::parse(s).and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(s.to_string())
}

enum FlowError {
    Unclosed,
    At(usize, String),
}

/// A flow collection (`{ app: web }`, `[a, b]`), possibly nested.
struct Flow<'a> {
    chars: Vec<char>,
    at: usize,
    /// Collections open around the current node.
    depth: usize,
    line: u64,
    column: usize,
    places: &'a mut Places,
    path: String,
}

impl Flow<'_> {
    fn skip_space(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    /// A flow node, at most `limits::NESTING` deep.
    fn value(&mut self, path: &str) -> Result<Value, FlowError> {
        if self.depth >= crate::limits::NESTING {
            let why = crate::limits::too_deep();
            return Err(FlowError::At(self.at, why));
        }
        self.depth += 1;
        let node = self.flow_node(path);
        self.depth -= 1;
        node
    }

    fn flow_node(&mut self, path: &str) -> Result<Value, FlowError> {
        self.skip_space();
        self.places.0.push((
            path.to_string(),
            self.line,
            (self.column + self.at) as u64 + 1,
        ));
        match self.chars.get(self.at) {
            None => Err(FlowError::Unclosed),
            Some('{') => {
                self.at += 1;
                let mut map = Map::new();
                loop {
                    self.skip_space();
                    match self.chars.get(self.at) {
                        None => return Err(FlowError::Unclosed),
                        Some('}') => {
                            self.at += 1;
                            return Ok(Value::Object(map));
                        }
                        _ => {}
                    }
                    let key = match self.scalar(true)? {
                        Value::String(s) => s,
                        Value::Null => {
                            return Err(FlowError::At(self.at, "a key is missing".into()))
                        }
                        other => other.to_string(),
                    };
                    self.skip_space();
                    let value = if self.chars.get(self.at) == Some(&':') {
                        self.at += 1;
                        let p = if path.is_empty() {
                            key.clone()
                        } else {
                            format!("{path}.{key}")
                        };
                        self.value(&p)?
                    } else {
                        Value::Null
                    };
                    if map.insert(key.clone(), value).is_some() {
                        return Err(FlowError::At(self.at, format!("duplicate key `{key}`")));
                    }
                    self.separator('}')?;
                }
            }
            Some('[') => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    match self.chars.get(self.at) {
                        None => return Err(FlowError::Unclosed),
                        Some(']') => {
                            self.at += 1;
                            return Ok(Value::Array(items));
                        }
                        _ => {}
                    }
                    let p = format!("{path}[{}]", items.len());
                    items.push(self.value(&p)?);
                    self.separator(']')?;
                }
            }
            Some(_) => self.scalar(false),
        }
    }

    fn separator(&mut self, close: char) -> Result<(), FlowError> {
        self.skip_space();
        match self.chars.get(self.at) {
            Some(',') => {
                self.at += 1;
                Ok(())
            }
            Some(c) if *c == close => Ok(()),
            None => Err(FlowError::Unclosed),
            Some(c) => Err(FlowError::At(
                self.at,
                format!("expected `,` or `{close}`, found `{c}`"),
            )),
        }
    }

    fn scalar(&mut self, is_key: bool) -> Result<Value, FlowError> {
        self.skip_space();
        let rest: String = self.chars[self.at..].iter().collect();
        if rest.starts_with('"') || rest.starts_with('\'') {
            let (s, len) = quoted(&rest).map_err(|m| FlowError::At(self.at, m))?;
            self.at += rest[..len].chars().count();
            return Ok(Value::String(s));
        }
        let mut end = self.at;
        while let Some(c) = self.chars.get(end) {
            let next = self.chars.get(end + 1).copied().unwrap_or(' ');
            if matches!(c, ',' | '}' | ']')
                || (*c == ':' && (next == ' ' || (is_key && matches!(next, ',' | '}'))))
            {
                break;
            }
            end += 1;
        }
        let text: String = self.chars[self.at..end].iter().collect();
        self.at = end;
        if text.starts_with(['&', '*', '!']) {
            return Err(FlowError::At(
                self.at,
                "anchors, aliases and tags are not supported here".into(),
            ));
        }
        Ok(if is_key {
            Value::String(text.trim().to_string())
        } else {
            plain(&text)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(text: &str) -> Value {
        parse(text, 1).unwrap_or_else(|e| panic!("{text:?}: {e}")).0
    }

    #[test]
    fn reads_what_manifests_and_scenarios_use() {
        let cases: Vec<(&str, Value)> = vec![
            ("a: 1\nb: two\nc: 1.5\nd: true\ne: ~\nf:\n", json!({"a": 1, "b": "two", "c": 1.5, "d": true, "e": null, "f": null})),
            ("# comment\nkey: value # trailing\nurl: http://x:80/a#frag\n", json!({"key": "value", "url": "http://x:80/a#frag"})),
            ("list:\n- a\n- b\nnested:\n  - x: 1\n    y: 2\n  - 3\n", json!({"list": ["a", "b"], "nested": [{"x": 1, "y": 2}, 3]})),
            ("m: { app: web, track: \"v1\" }\ns: [1, 'two', [3]]\nempty: {}\n", json!({"m": {"app": "web", "track": "v1"}, "s": [1, "two", [3]], "empty": {}})),
            ("cmd: [\"/bin/sh\", \"-c\", \"sleep 5\"]\n", json!({"cmd": ["/bin/sh", "-c", "sleep 5"]})),
            ("text: |\n  line one\n    indented\n\n  three\nnext: x\n", json!({"text": "line one\n  indented\n\nthree\n", "next": "x"})),
            ("a: |-\n  keep\n  no newline\nb: >\n  folded\n  together\n\n  para\n", json!({"a": "keep\nno newline", "b": "folded together\npara\n"})),
            ("q: 'it''s'\nd: \"tab\\tand \\\"q\\\" \\u00e9\"\n'quoted key': 1\n", json!({"q": "it's", "d": "tab\tand \"q\" é", "quoted key": 1})),
            ("---\n- - a\n  - b\n- c\n", json!([["a", "b"], "c"])),
            ("percent: 25%\nneg: -3\nver: 1.2.3\ntime: 20s\nhex: 0x1F\nbig: 18446744073709551615\n", json!({"percent": "25%", "neg": -3, "ver": "1.2.3", "time": "20s", "hex": 31, "big": u64::MAX})),
            ("flow: {\n  a: 1,\n  b: [x, y]\n}\n", json!({"flow": {"a": 1, "b": ["x", "y"]}})),
            ("", Value::Null),
            ("key:\n\n\n  - spaced\n", json!({"key": ["spaced"]})),
        ];
        for (text, want) in cases {
            assert_eq!(value(text), want, "{text:?}");
        }
    }

    #[test]
    fn characters_that_are_not_yaml_white_space_never_split_a_line() {
        // Found by fuzzing: a blank-looking line of U+0085 after `|` was sliced inside the
        // character. Whatever the reader makes of these, it answers instead of panicking.
        for text in [
            "a: |\n\u{85}",
            "a: |\n  x\n\u{85}\u{85}\n",
            "a: >\n\u{2028}\n",
            "a: |\n\u{a0}b\n",
        ] {
            let _ = parse(text, 1);
            let scenario = format!(
                "seed: 1\nduration: 1s\ntraffic: {{requestsPerSecond: 1}}\nmanifests: |\n{text}"
            );
            let _ = crate::scenario::Scenario::parse(&scenario);
        }
    }

    #[test]
    fn nesting_past_the_limit_is_refused_before_it_costs_anything() {
        let block = |n: usize| {
            (0..n)
                .map(|k| format!("{}k{k}:\n", " ".repeat(k)))
                .collect::<String>()
        };
        let flow = |n: usize| format!("a: {}{}\n", "[".repeat(n), "]".repeat(n));
        let json = |n: usize| format!("{}1{}", "{\"a\": ".repeat(n), "}".repeat(n));
        let lists = |n: usize| {
            (0..n)
                .map(|k| format!("{}- \n", "  ".repeat(k)))
                .collect::<String>()
        };
        // Indented forms grow with the square of their depth, so they are tried less deep.
        type Make = fn(usize) -> String;
        let cases: [(Make, usize); 4] = [
            (block, 1_000),
            (flow, 10_000),
            (json, 10_000),
            (lists, 1_000),
        ];
        for (make, deep) in cases {
            assert!(
                parse(&make(crate::limits::NESTING - 2), 1).is_ok(),
                "{:?}",
                make(3)
            );
            let deep = make(deep);
            let err = parse(&deep, 1).unwrap_err();
            assert!(
                err.message
                    .contains("nesting is above the simulator's limit of 64 levels"),
                "{err}"
            );
            assert!(err.line > 0, "it says where: {err}");
        }
    }

    #[test]
    fn refuses_with_line_and_column() {
        let cases = [
            ("a: 1\na: 2\n", 2, 1, "duplicate key `a`"),
            ("a:\n\tb: 1\n", 2, 1, "tabs are not allowed"),
            ("a: &x 1\n", 1, 4, "anchors and aliases"),
            ("a: !!str 1\n", 1, 4, "tags"),
            ("a: [1, 2\n", 1, 4, "never closed"),
            ("a: \"open\n", 1, 4, "never closed"),
            ("a: b\n   c\n", 2, 4, "text continues"),
            ("a:\n  b: 1\n    c: 2\n", 3, 5, "indented more"),
            ("a: {x: 1} y\n", 1, 11, "after the closing bracket"),
        ];
        for (text, line, column, message) in cases {
            let err = parse(text, 1).unwrap_err();
            assert_eq!((err.line, err.column), (line, column), "{text:?}: {err}");
            assert!(err.message.contains(message), "{text:?}: {err}");
        }
    }

    /// A reader as the object readers write them: fields, a nested list, unknown keys refused.
    fn doc(v: &Value) -> read::R<(String, u32, Option<Vec<u32>>)> {
        let o = read::Obj::new(v, "")?;
        if let Some(k) = o.unknown(&["id", "minutes", "inner"]).into_iter().next() {
            return Err((o.at(&k), format!("unknown field `{k}`")));
        }
        let inner = match o.obj("inner")? {
            Some(i) => i.scalars(
                "n",
                |v| v.as_u64().filter(|n| *n < 256).map(|n| n as u32),
                "a number below 256",
            )?,
            None => None,
        };
        Ok((
            o.required_string("id")?,
            o.uint("minutes")?.ok_or_else(|| o.missing("minutes"))?,
            inner,
        ))
    }

    #[test]
    fn type_errors_point_at_the_value() {
        let cases = [
            (
                "id: a\nminutes: x\n",
                1,
                2,
                10,
                "invalid type: string \"x\", expected a whole number",
            ),
            ("id: a\nfoo: 1\nminutes: 2", 1, 2, 1, "unknown field `foo`"),
            ("minutes: 3\n", 5, 5, 1, "missing field `id`"),
            (
                "id: a\nminutes: 1\ninner:\n  n: [1, 2, 300]\n",
                1,
                4,
                13,
                "invalid type: number `300`, expected a number below 256",
            ),
        ];
        for (text, first_line, line, column, message) in cases {
            let err = read(text, first_line, doc).unwrap_err();
            assert_eq!((err.line, err.column), (line, column), "{text:?}: {err}");
            assert!(
                err.message.starts_with(message),
                "{text:?}: {}",
                err.message
            );
        }
    }
}
