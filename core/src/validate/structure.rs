//! The run-time structural check: the generated profile schema compiled once into a compact
//! description (types, required, enumerations, bounds, closed objects, patterns, formats,
//! `anyOf`/`oneOf`, `$ref`), walked over the parsed JSON.
//!
//! It reports the failures a general JSON Schema validator reports, in the same order (type,
//! constants, bounds, length, required, pattern, format, members, items, alternatives,
//! reference), so that the translation into clerk's words gives the very same problems. The
//! schema stays the published contract: a keyword this walker does not know makes compiling
//! fail (an `internal` problem, and a failing unit test) rather than being skipped, and the
//! agreement test (`agreement.rs`) checks both validators against each other over a corpus of
//! valid, invalid and mutated profiles.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Number, Value};

use super::words::escape_segment;

/// A closed object's members by name.
type Members = foldhash::HashMap<&'static str, Id>;

/// One way a value breaks the profile schema.
#[derive(Debug)]
pub(super) struct Failure<'a> {
    /// Where, as a JSON pointer.
    pub(super) pointer: String,
    /// The value that failed.
    pub(super) instance: &'a Value,
    /// The schema object holding the failed keyword (for its `properties` and bounds).
    pub(super) schema: Option<&'a Value>,
    pub(super) kind: Kind<'a>,
}

/// What failed.
#[derive(Debug)]
pub(super) enum Kind<'a> {
    /// Members a closed object does not define.
    AdditionalProperties(Vec<String>),
    /// A required member is absent.
    Required(String),
    /// The JSON type is not one of these (JSON Schema type names).
    Type(Vec<&'static str>),
    /// Not one of the values of this `enum` array.
    Enum(&'a Value),
    /// Not this `const` value.
    Constant(&'a Value),
    /// No branch of an `anyOf` / `oneOf` fits: each branch's failures.
    Alternatives(Vec<Vec<Failure<'a>>>),
    /// Below a minimum or above a maximum.
    Range,
    /// Not in this `format`.
    Format(&'a str),
    /// Does not match this `pattern`.
    Pattern(&'a str),
    /// Shorter than this many characters.
    MinLength(u64),
    /// Anything else, already in words.
    Other(String),
}

type Id = usize;

/// A JSON type as a bit, in the order a type list is named in messages.
const TYPES: [(&str, u8); 7] = [
    ("null", 1),
    ("boolean", 2),
    ("integer", 4),
    ("number", 8),
    ("string", 16),
    ("array", 32),
    ("object", 64),
];

/// A `pattern` or `format` as written in the schema, and the check it stands for.
type TextCheck = (&'static str, fn(&str) -> bool);

/// The patterns of the profile schema, each with the check it stands for.
const PATTERNS: [TextCheck; 4] = [
    ("^[a-z0-9]+(-[a-z0-9]+)*$", is_slug),
    ("^([01][0-9]|2[0-3]):[0-5][0-9]$", |s| is_clock(s, false)),
    ("^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$", |s| {
        is_clock(s, true)
    }),
    ("^[0-9a-f]{64}$", |s| {
        s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }),
];

/// Formats that are checked; any other format is an annotation only, as in the schema
/// validators' usual setting (`uint64`, `double`…).
const FORMATS: [TextCheck; 2] = [("date", is_date), ("date-time", is_date_time)];

/// Keywords that describe and do not constrain.
const ANNOTATIONS: [&str; 10] = [
    "$schema",
    "$id",
    "$defs",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
];

/// One compiled schema object.
#[derive(Default)]
struct Node {
    /// The schema object itself.
    json: Option<&'static Value>,
    /// Accepted types as bits (0: any), and their names for a message.
    types: u8,
    type_names: Vec<&'static str>,
    constant: Option<&'static Value>,
    options: Option<&'static Value>,
    minimum: Option<&'static Number>,
    maximum: Option<&'static Number>,
    exclusive_minimum: Option<&'static Number>,
    exclusive_maximum: Option<&'static Number>,
    min_length: Option<u64>,
    required: Vec<&'static str>,
    /// The members of a closed object (`additionalProperties: false`). Looked up once per
    /// member of every object a profile holds: a fast hash (the keys are the schema's own,
    /// fixed at compile time, so no input chooses what is inserted).
    properties: Option<Members>,
    pattern: Option<TextCheck>,
    format: Option<TextCheck>,
    items: Option<Id>,
    any_of: Vec<Id>,
    one_of: Vec<Id>,
    reference: Option<Id>,
}

/// Records a failure of the value being visited and clears `fits`; without `out` the walk
/// stops at the first failure: the enclosing step returns `false`. A macro so that the
/// failure is only built when it is kept.
macro_rules! fail {
    ($v:ident, $kind:expr) => {{
        match $v.out.as_deref_mut() {
            Some(out) => out.push(Failure {
                pointer: pointer($v.at),
                instance: $v.value,
                schema: $v.node.json,
                kind: $kind,
            }),
            None => return false,
        }
        $v.fits = false;
    }};
}

/// The compiled profile schema.
pub(super) struct Structure {
    root: &'static Value,
    nodes: Vec<Node>,
}

/// The profile schema compiled once per process.
pub(super) fn compiled() -> Result<&'static Structure, &'static str> {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    static COMPILED: OnceLock<Result<Structure, String>> = OnceLock::new();
    COMPILED
        .get_or_init(|| Structure::compile(SCHEMA.get_or_init(crate::profile_schema)))
        .as_ref()
        .map_err(String::as_str)
}

impl Structure {
    fn compile(root: &'static Value) -> Result<Self, String> {
        let mut compiler = Compiler {
            root,
            nodes: Vec::new(),
            refs: HashMap::new(),
        };
        compiler.node(root, "#")?;
        Ok(Self {
            root,
            nodes: compiler.nodes,
        })
    }

    /// The schema this was compiled from.
    pub(super) fn root(&self) -> &'static Value {
        self.root
    }

    /// Every failure of `instance` against the profile schema, in the validators' order.
    pub(super) fn check<'a>(&self, instance: &'a Value) -> Vec<Failure<'a>> {
        let mut at = Vec::new();
        if self.walk(0, instance, &mut at, None) {
            return Vec::new();
        }
        let mut failures = Vec::new();
        self.walk(0, instance, &mut at, Some(&mut failures));
        failures
    }

    /// Checks `value` against node `id`. With `out`, every failure is collected; without, the
    /// walk stops at the first one. Whether the value fits.
    fn walk<'a>(
        &self,
        id: Id,
        value: &'a Value,
        at: &mut Vec<Segment<'a>>,
        out: Option<&mut Vec<Failure<'a>>>,
    ) -> bool {
        let mut v = Visit {
            node: &self.nodes[id],
            value,
            at,
            out,
            fits: true,
        };
        // The keywords in the validators' order; each step is `false` when the walk stops.
        let walked = Self::scalar(&mut v)
            && self.members(&mut v)
            && self.items(&mut v)
            && self.branches(&mut v);
        if !walked {
            return false;
        }
        if let Some(target) = v.node.reference
            && !self.walk(target, value, v.at, v.out)
        {
            v.fits = false;
        }
        v.fits
    }

    /// Type, constant, enum, range, length, required members (when several), pattern, format.
    fn scalar(v: &mut Visit<'_, '_>) -> bool {
        let node = v.node;
        let value = v.value;
        if node.types != 0 && node.types & type_bits(value) == 0 {
            fail!(v, Kind::Type(node.type_names.clone()));
        }
        if let Some(constant) = node.constant
            && !same(value, constant)
        {
            fail!(v, Kind::Constant(constant));
        }
        if let Some(options) = node.options
            && !options
                .as_array()
                .is_some_and(|all| all.iter().any(|o| same(value, o)))
        {
            fail!(v, Kind::Enum(options));
        }
        if let Value::Number(n) = value {
            let beyond = |limit: Option<&Number>, bad: fn(Ordering) -> bool| {
                limit.is_some_and(|l| compare(n, l).is_some_and(bad))
            };
            if beyond(node.minimum, Ordering::is_lt) {
                fail!(v, Kind::Range);
            }
            if beyond(node.maximum, Ordering::is_gt) {
                fail!(v, Kind::Range);
            }
            if beyond(node.exclusive_minimum, Ordering::is_le) {
                fail!(v, Kind::Range);
            }
            if beyond(node.exclusive_maximum, Ordering::is_ge) {
                fail!(v, Kind::Range);
            }
        }
        if let (Value::String(s), Some(limit)) = (value, node.min_length)
            && (s.chars().count() as u64) < limit
        {
            fail!(v, Kind::MinLength(limit));
        }
        if let Value::Object(map) = value
            && !node.required_after()
        {
            for name in &node.required {
                if !map.contains_key(*name) {
                    fail!(v, Kind::Required((*name).to_owned()));
                }
            }
        }
        if let Value::String(s) = value {
            if let Some((pattern, matches)) = node.pattern
                && !matches(s)
            {
                fail!(v, Kind::Pattern(pattern));
            }
            if let Some((format, valid)) = node.format
                && !valid(s)
            {
                fail!(v, Kind::Format(format));
            }
        }
        true
    }

    /// The members of an object: each against its schema, none unexpected, and the single
    /// required member after them.
    fn members(&self, v: &mut Visit<'_, '_>) -> bool {
        let node = v.node;
        let (Value::Object(map), Some(properties)) = (v.value, &node.properties) else {
            return true;
        };
        let mut unexpected = Vec::new();
        for (key, member) in map {
            match properties.get(key.as_str()) {
                Some(&child) => {
                    if !self.descend(v, Segment::Key(key), child, member) {
                        return false;
                    }
                }
                None => unexpected.push(key.clone()),
            }
        }
        if !unexpected.is_empty() {
            fail!(v, Kind::AdditionalProperties(unexpected));
        }
        if node.required_after() {
            for name in &node.required {
                if !map.contains_key(*name) {
                    fail!(v, Kind::Required((*name).to_owned()));
                }
            }
        }
        true
    }

    /// Walks `value`, found at `segment` below the visit's value, against node `id`; the
    /// visit no longer fits when it does not. False when the walk stops there (at the first
    /// failure, when failures are not collected).
    fn descend<'a>(
        &self,
        v: &mut Visit<'_, 'a>,
        segment: Segment<'a>,
        id: Id,
        value: &'a Value,
    ) -> bool {
        v.at.push(segment);
        let fits = self.walk(id, value, v.at, v.out.as_deref_mut());
        v.at.pop();
        if !fits {
            v.fits = false;
        }
        fits || v.out.is_some()
    }

    /// The items of an array, each against the items' schema.
    fn items(&self, v: &mut Visit<'_, '_>) -> bool {
        let (Value::Array(items), Some(child)) = (v.value, v.node.items) else {
            return true;
        };
        for (i, item) in items.iter().enumerate() {
            if !self.descend(v, Segment::Index(i), child, item) {
                return false;
            }
        }
        true
    }

    /// `anyOf` needs one fitting branch, `oneOf` exactly one.
    fn branches(&self, v: &mut Visit<'_, '_>) -> bool {
        let value = v.value;
        for (branches, exactly_one) in [(&v.node.any_of, false), (&v.node.one_of, true)] {
            if branches.is_empty() {
                continue;
            }
            let fitting = branches
                .iter()
                .filter(|&&b| self.walk(b, value, v.at, None))
                .take(if exactly_one { 2 } else { 1 })
                .count();
            if fitting == 1 {
                continue;
            }
            if fitting > 1 {
                fail!(
                    v,
                    Kind::Other(format!(
                        "{value} is valid under more than one of the schemas listed in the 'oneOf' keyword"
                    ))
                );
                continue;
            }
            if v.out.is_none() {
                return false;
            }
            let context = branches
                .iter()
                .map(|&b| {
                    let mut branch = Vec::new();
                    self.walk(b, value, v.at, Some(&mut branch));
                    branch
                })
                .collect();
            fail!(v, Kind::Alternatives(context));
        }
        true
    }
}

/// One value being checked against one node: where it is, and where failures go.
struct Visit<'v, 'a> {
    node: &'v Node,
    value: &'a Value,
    at: &'v mut Vec<Segment<'a>>,
    /// Every failure, or `None` to stop at the first.
    out: Option<&'v mut Vec<Failure<'a>>>,
    fits: bool,
}

impl Node {
    /// A single required member is checked with the members (after them), several before.
    fn required_after(&self) -> bool {
        self.required.len() == 1 && self.properties.is_some()
    }
}

/// One step of the path from the root to the value being checked.
#[derive(Clone, Copy)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn pointer(at: &[Segment<'_>]) -> String {
    let mut out = String::new();
    for segment in at {
        out.push('/');
        match segment {
            Segment::Key(key) => out.push_str(&escape_segment(key)),
            Segment::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

struct Compiler {
    root: &'static Value,
    nodes: Vec<Node>,
    /// Nodes of `$ref` targets already compiled (or being compiled), by reference.
    refs: HashMap<&'static str, Id>,
}

impl Compiler {
    /// Compiles the schema object at `json` (found at `path`, for errors) and its children.
    fn node(&mut self, json: &'static Value, path: &str) -> Result<Id, String> {
        let id = self.nodes.len();
        self.nodes.push(Node::default());
        let map = json
            .as_object()
            .ok_or_else(|| format!("{path}: a schema must be an object"))?;
        let mut node = Node {
            json: Some(json),
            ..Node::default()
        };
        let closed = match map.get("additionalProperties") {
            None | Some(Value::Bool(true)) => false,
            Some(Value::Bool(false)) => true,
            Some(_) => return Err(format!("{path}: only `additionalProperties: bool` is read")),
        };
        for (keyword, value) in map {
            let here = format!("{path}/{keyword}");
            match keyword.as_str() {
                "type" => (node.types, node.type_names) = types(value, &here)?,
                "const" => node.constant = Some(value),
                "enum" => node.options = Some(value),
                "minimum" => node.minimum = Some(number(value, &here)?),
                "maximum" => node.maximum = Some(number(value, &here)?),
                "exclusiveMinimum" => node.exclusive_minimum = Some(number(value, &here)?),
                "exclusiveMaximum" => node.exclusive_maximum = Some(number(value, &here)?),
                "minLength" => {
                    node.min_length = Some(value.as_u64().ok_or(format!("{here}: not a count"))?);
                }
                "required" => {
                    node.required = value
                        .as_array()
                        .and_then(|names| names.iter().map(Value::as_str).collect())
                        .ok_or(format!("{here}: not a list of names"))?;
                }
                "additionalProperties" => {}
                "properties" => {
                    if !closed {
                        return Err(format!(
                            "{here}: only closed objects (`additionalProperties: false`) are read"
                        ));
                    }
                    let members = value.as_object().ok_or(format!("{here}: not an object"))?;
                    let mut properties =
                        Members::with_capacity_and_hasher(members.len(), Default::default());
                    for (name, schema) in members {
                        let child = self.node(schema, &format!("{here}/{name}"))?;
                        properties.insert(name.as_str(), child);
                    }
                    node.properties = Some(properties);
                }
                "pattern" => node.pattern = Some(known(&PATTERNS, value, "pattern", &here)?),
                "format" => {
                    let name = value.as_str().ok_or(format!("{here}: not a name"))?;
                    node.format = FORMATS.iter().find(|(f, _)| *f == name).copied();
                    if node.format.is_none() && is_checked_format(name) {
                        return Err(format!("{here}: the `{name}` format is not read"));
                    }
                }
                "items" => node.items = Some(self.node(value, &here)?),
                "anyOf" | "oneOf" => {
                    let branches = value.as_array().ok_or(format!("{here}: not a list"))?;
                    let mut ids = Vec::with_capacity(branches.len());
                    for (i, branch) in branches.iter().enumerate() {
                        ids.push(self.node(branch, &format!("{here}/{i}"))?);
                    }
                    if keyword == "anyOf" {
                        node.any_of = ids;
                    } else {
                        node.one_of = ids;
                    }
                }
                "$ref" => node.reference = Some(self.reference(value, &here)?),
                other if ANNOTATIONS.contains(&other) => {}
                other => return Err(format!("{here}: the keyword `{other}` is not read")),
            }
        }
        if closed && node.properties.is_none() {
            node.properties = Some(Members::default());
        }
        self.nodes[id] = node;
        Ok(id)
    }

    /// The node of a local `$ref` (`#/$defs/Name`), compiled on first use.
    fn reference(&mut self, value: &'static Value, here: &str) -> Result<Id, String> {
        let target = value.as_str().ok_or(format!("{here}: not a reference"))?;
        if let Some(&id) = self.refs.get(target) {
            return Ok(id);
        }
        let json = target
            .strip_prefix('#')
            .and_then(|p| self.root.pointer(p))
            .ok_or(format!("{here}: `{target}` is not in the schema"))?;
        // Registered before compiling, so that a recursive reference finds it.
        let id = self.nodes.len();
        self.refs.insert(target, id);
        let compiled = self.node(json, target)?;
        debug_assert_eq!(compiled, id);
        Ok(id)
    }
}

fn types(value: &Value, here: &str) -> Result<(u8, Vec<&'static str>), String> {
    let names: Vec<&str> = match value {
        Value::String(one) => vec![one.as_str()],
        Value::Array(several) => several.iter().filter_map(Value::as_str).collect(),
        _ => return Err(format!("{here}: not a type")),
    };
    let mut bits = 0;
    for name in &names {
        let (_, bit) = TYPES
            .iter()
            .find(|(t, _)| t == name)
            .ok_or(format!("{here}: `{name}` is not a JSON type"))?;
        bits |= bit;
    }
    // One type is named as written; several in the fixed order of JSON types.
    let named = if names.len() == 1 {
        TYPES
            .iter()
            .filter(|(_, b)| *b == bits)
            .map(|(t, _)| *t)
            .collect()
    } else {
        TYPES
            .iter()
            .filter(|(_, b)| bits & b != 0)
            .map(|(t, _)| *t)
            .collect()
    };
    Ok((bits, named))
}

fn number(value: &'static Value, here: &str) -> Result<&'static Number, String> {
    match value {
        Value::Number(n) => Ok(n),
        _ => Err(format!("{here}: not a number")),
    }
}

fn known(table: &[TextCheck], value: &Value, what: &str, here: &str) -> Result<TextCheck, String> {
    let text = value.as_str().ok_or(format!("{here}: not text"))?;
    table
        .iter()
        .find(|(t, _)| *t == text)
        .copied()
        .ok_or(format!("{here}: the {what} `{text}` is not read"))
}

/// Formats a JSON Schema validator checks by default (any other name is an annotation).
fn is_checked_format(name: &str) -> bool {
    matches!(
        name,
        "date"
            | "date-time"
            | "time"
            | "duration"
            | "email"
            | "idn-email"
            | "hostname"
            | "idn-hostname"
            | "ipv4"
            | "ipv6"
            | "uri"
            | "uri-reference"
            | "iri"
            | "iri-reference"
            | "uuid"
            | "uri-template"
            | "json-pointer"
            | "relative-json-pointer"
            | "regex"
    )
}

fn type_bits(value: &Value) -> u8 {
    match value {
        Value::Null => 1,
        Value::Bool(_) => 2,
        // An integer is also a number; a number with no fraction is also an integer.
        Value::Number(n) => {
            let whole = n.is_u64() || n.is_i64() || n.as_f64().is_some_and(|f| f.fract() == 0.0);
            if whole { 4 | 8 } else { 8 }
        }
        Value::String(_) => 16,
        Value::Array(_) => 32,
        Value::Object(_) => 64,
    }
}

/// Two numbers in order: exactly for whole numbers, else as doubles.
fn compare(a: &Number, b: &Number) -> Option<Ordering> {
    let whole = |n: &Number| n.as_u64().map(i128::from).or(n.as_i64().map(i128::from));
    match (whole(a), whole(b)) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

/// JSON equality, numbers by value (`1` equals `1.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare(x, y) == Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// `^[a-z0-9]+(-[a-z0-9]+)*$`: lowercase words joined by single hyphens.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `HH:MM` from 00:00 to 23:59, and 24:00 when `midnight_end`.
fn is_clock(s: &str, midnight_end: bool) -> bool {
    if midnight_end && s == "24:00" {
        return true;
    }
    matches!(s.as_bytes(), [h, hh, b':', m, mm]
        if h.is_ascii_digit() && hh.is_ascii_digit() && (b'0'..=b'5').contains(m)
            && mm.is_ascii_digit() && (*h < b'2' || (*h == b'2' && *hh <= b'3')))
}

fn digits(bytes: &[u8]) -> Option<u16> {
    bytes.iter().try_fold(0u16, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + u16::from(b - b'0'))
    })
}

/// A calendar date `YYYY-MM-DD` (RFC 3339 `full-date`): the crate's one date reading.
fn is_date(s: &str) -> bool {
    crate::facts::parse_date(s).is_some()
}

/// An RFC 3339 `date-time` with its offset; a leap second only at 23:59:60 UTC. Stricter
/// about leap seconds than [`crate::facts::parse_instant`] (which reads the values) because
/// it must say exactly what JSON Schema's `date-time` format says.
fn is_date_time(s: &str) -> bool {
    let Some(t) = s.bytes().position(|b| b == b'T' || b == b't') else {
        return false;
    };
    is_date(&s[..t]) && is_time(&s.as_bytes()[t + 1..])
}

fn is_time(b: &[u8]) -> bool {
    if b.len() < 9 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) =
        (digits(&b[..2]), digits(&b[3..5]), digits(&b[6..8]))
    else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut i = 8;
    if b.get(i) == Some(&b'.') {
        let fraction = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if fraction == 0 {
            return false;
        }
        i += 1 + fraction;
    }
    let leap = second == 60;
    let (sign, offset) = match b.get(i) {
        Some(b'Z' | b'z') => {
            return i == b.len() - 1 && (!leap || (hour == 23 && minute == 59));
        }
        Some(b'+') => (-1, &b[i + 1..]),
        Some(b'-') => (1, &b[i + 1..]),
        _ => return false,
    };
    let [oh, ohh, b':', om, omm] = offset else {
        return false;
    };
    let (Some(off_hour), Some(off_minute)) = (digits(&[*oh, *ohh]), digits(&[*om, *omm])) else {
        return false;
    };
    if off_hour > 23 || off_minute > 59 {
        return false;
    }
    if !leap {
        return true;
    }
    // The leap second must fall at 23:59 UTC.
    let minutes = i32::from(hour) * 60
        + i32::from(minute)
        + sign * (i32::from(off_hour) * 60 + i32::from(off_minute));
    minutes.rem_euclid(24 * 60) == 23 * 60 + 59
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn the_profile_schema_compiles() {
        let structure = compiled().unwrap();
        assert!(structure.nodes.len() > 100, "{}", structure.nodes.len());
    }

    #[test]
    fn patterns_and_formats() {
        assert!(is_slug("tech-innovation") && is_slug("a1"));
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "a b", "a\n"] {
            assert!(!is_slug(bad), "{bad:?}");
        }
        assert!(is_clock("00:00", false) && is_clock("23:59", false));
        assert!(!is_clock("24:00", false) && is_clock("24:00", true));
        for bad in ["24:01", "9:00", "12:60", "1a:00", "12:00 "] {
            assert!(!is_clock(bad, true), "{bad:?}");
        }
        assert!(is_date("2024-02-29") && !is_date("2026-02-29") && !is_date("2026-13-01"));
        assert!(!is_date("2026-1-01") && !is_date("2026-01-00") && !is_date("1900-02-29"));
        assert!(is_date_time("2026-06-30T09:15:00+08:00"));
        assert!(is_date_time("2026-06-30t09:15:00.5Z"));
        assert!(!is_date_time("2026-06-30T09:15:00"));
        assert!(!is_date_time("2026-06-30T09:15:00+99:00"));
        assert!(!is_date_time("2026-06-30 09:15:00Z"));
        assert!(is_date_time("2026-06-30T23:59:60Z"));
        assert!(is_date_time("2026-07-01T07:59:60+08:00"));
        assert!(!is_date_time("2026-06-30T12:00:60Z"));
    }

    #[test]
    fn numbers_compare_by_value() {
        let n = |v: Value| match v {
            Value::Number(n) => n,
            _ => unreachable!(),
        };
        assert_eq!(
            compare(&n(serde_json::json!(1)), &n(serde_json::json!(1.0))),
            Some(Ordering::Equal)
        );
        assert_eq!(
            compare(&n(serde_json::json!(-1)), &n(serde_json::json!(0))),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&n(serde_json::json!(u64::MAX)), &n(serde_json::json!(7))),
            Some(Ordering::Greater)
        );
        assert_eq!(type_bits(&serde_json::json!(3.0)), 4 | 8);
        assert_eq!(type_bits(&serde_json::json!(3.5)), 8);
    }
}
