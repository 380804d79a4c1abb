//! Profile format migration: 1.0 → 2.0 (Revision 2 of the readings, section C).
//!
//! A migration never guesses and never drops a value in silence. What follows from the 1.0
//! data is rewritten ([`Migration::changes`]); what 2.0 asks for and 1.0 never recorded is
//! left as valid placeholder data (an empty visit list) or left out, and listed in
//! [`Migration::to_fill`] with the JSON pointer where it belongs. Values that 2.0 retires
//! are listed as changes with the value they held, so the record survives in the log.
//!
//! The document is rewritten as an ordered tree: keys keep the order they were written in.
//!
//! ```
//! let v1 = br#"{"schema_version": "1.0", "id": "x", "as_of": "2026-06-30",
//!               "enterprises": {"count": 3, "key": ["e1"]}}"#;
//! let m = icgs::migrate(v1).expect("a 1.0 profile");
//! assert!(m.profile.contains("\"schema_version\": \"2.0\""));
//! assert!(m.to_fill.iter().any(|n| n.pointer == "/enterprises/key/0/visits"));
//! ```

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// The profile format version a migration produces.
pub const CURRENT_FORMAT: &str = "2.0";

/// The result of [`migrate`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Migration {
    /// The format the input was in (`"1.0"` or [`CURRENT_FORMAT`]).
    pub from: String,
    /// The profile in format 2.0, pretty-printed, ending with a newline. A profile that was
    /// already 2.0 is returned as it was given.
    pub profile: String,
    /// What was rewritten, in document order.
    pub changes: Vec<MigrationNote>,
    /// What 2.0 needs that 1.0 never recorded: to be filled in by hand.
    pub to_fill: Vec<MigrationNote>,
}

impl Migration {
    /// Whether the input was already in the current format (nothing was changed).
    #[must_use]
    pub fn was_current(&self) -> bool {
        self.from == CURRENT_FORMAT
    }
}

/// One line of a migration's log: where, and what (Chinese first, then English).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MigrationNote {
    /// JSON pointer in the 2.0 profile.
    pub pointer: String,
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// Why a document could not be migrated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// The bytes are not JSON.
    #[error("not JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The document is JSON but not an object.
    #[error("a profile is a JSON object, found {found}")]
    NotAnObject {
        /// The kind of value found.
        found: &'static str,
    },
    /// `schema_version` names a format this version cannot migrate from.
    #[error("cannot migrate from profile format `{0}`: expected `1.0` (or `2.0`, already current)")]
    UnknownFormat(String),
}

/// Rewrites a 1.0 profile as 2.0.
///
/// # Errors
/// The bytes are not a JSON object, or `schema_version` is neither `1.0` nor `2.0`. A
/// profile without `schema_version` is taken as 1.0 (the only format before 2.0).
pub fn migrate(bytes: &[u8]) -> Result<Migration, MigrateError> {
    let mut doc: Node = serde_json::from_slice(bytes).map_err(|e| MigrateError::Syntax {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let Node::Object(root) = &mut doc else {
        return Err(MigrateError::NotAnObject { found: doc.kind() });
    };
    let from = match get(root, "schema_version") {
        None => "1.0".to_owned(),
        Some(Node::String(v)) if v == "1.0" || v == "1" => "1.0".to_owned(),
        Some(Node::String(v)) if v == CURRENT_FORMAT => {
            return Ok(Migration {
                from: CURRENT_FORMAT.to_owned(),
                profile: String::from_utf8_lossy(bytes).into_owned(),
                changes: Vec::new(),
                to_fill: Vec::new(),
            });
        }
        Some(Node::String(other)) => return Err(MigrateError::UnknownFormat(other.clone())),
        Some(other) => return Err(MigrateError::UnknownFormat(other.to_string())),
    };
    let mut log = Log::default();
    set(
        root,
        "schema_version",
        Node::String(CURRENT_FORMAT.to_owned()),
    );
    log.change(
        "/schema_version",
        format!("格式版本 {from} → {CURRENT_FORMAT}"),
        format!("format version {from} → {CURRENT_FORMAT}"),
    );
    enterprises(root, &mut log);
    organisations(root, &mut log);
    grids(root, &mut log);
    emergency_plans(root, &mut log);
    dashboard_indicators(root, &mut log);
    staff_roles(root, &mut log);

    let mut profile = serde_json::to_string_pretty(&doc).unwrap_or_default();
    profile.push('\n');
    Ok(Migration {
        from,
        profile,
        changes: log.changes,
        to_fill: log.to_fill,
    })
}

/// `enterprises.key`: ids become objects with an empty visit list; `served_12m` is new.
fn enterprises(root: &mut Fields, log: &mut Log) {
    let Some(Node::Object(ent)) = get_mut(root, "enterprises") else {
        return;
    };
    if let Some(Node::Array(keys)) = get_mut(ent, "key") {
        let mut converted = 0;
        for (i, key) in keys.iter_mut().enumerate() {
            if let Node::String(id) = key {
                let id = std::mem::take(id);
                *key = Node::Object(vec![
                    ("id".to_owned(), Node::String(id)),
                    ("visits".to_owned(), Node::Array(Vec::new())),
                ]);
                converted += 1;
                log.fill(
                    &format!("/enterprises/key/{i}/visits"),
                    "填写该重点企业近12个月的走访日期（第7.7.3条按季度核查）".to_owned(),
                    "record the visit dates of this key enterprise in the last 12 months (7.7.3 checks every quarter)".to_owned(),
                );
            }
        }
        if converted > 0 {
            log.change(
                "/enterprises/key",
                format!("重点企业 {converted} 家由编号改为对象（id、visits）"),
                format!("{converted} key enterprises: ids became objects (id, visits)"),
            );
        }
    }
    if get(ent, "served_12m").is_none() {
        log.fill(
            "/enterprises/served_12m",
            "填写近12个月获得服务的企业数（去重，第7.7.4条）".to_owned(),
            "record the number of distinct enterprises served in the last 12 months (7.7.4)"
                .to_owned(),
        );
    }
}

/// The `troika` flag is retired (6.5.3 reads the organisation kinds); party organisations
/// gain `party_members`.
fn organisations(root: &mut Fields, log: &mut Log) {
    let Some(Node::Array(orgs)) = get_mut(root, "organizations") else {
        return;
    };
    for (i, org) in orgs.iter_mut().enumerate() {
        let Node::Object(fields) = org else { continue };
        if let Some(old) = remove(fields, "troika") {
            log.change(
                &format!("/organizations/{i}/troika"),
                format!("删除已停用的 troika 标记（原值 {old}；第6.5.3条改按组织类别认定“三驾马车”）"),
                format!("removed the retired troika flag (was {old}; 6.5.3 now reads the organisation kinds)"),
            );
        }
        let is_party =
            matches!(get(fields, "kind"), Some(Node::String(k)) if k == "party-organization");
        if is_party && get(fields, "party_members").is_none() {
            log.fill(
                &format!("/organizations/{i}/party_members"),
                "填写该党组织的党员人数（第6.1.2条据此判断组织层级）".to_owned(),
                "record this party organisation's number of members (6.1.2 judges its level by it)"
                    .to_owned(),
            );
        }
    }
}

/// Grid `visits_12m` is retired (visits are recorded on key enterprises); `one` must now
/// name a grid chief and `three` the three slots, which 1.0 never recorded.
fn grids(root: &mut Fields, log: &mut Log) {
    let Some(Node::Object(grids)) = get_mut(root, "grids") else {
        return;
    };
    let Some(Node::Array(items)) = get_mut(grids, "items") else {
        return;
    };
    for (i, grid) in items.iter_mut().enumerate() {
        let Node::Object(fields) = grid else { continue };
        if let Some(old) = remove(fields, "visits_12m") {
            log.change(
                &format!("/grids/items/{i}/visits_12m"),
                format!("删除已停用的 visits_12m（原值 {old}；走访改记在重点企业的 visits 中）"),
                format!("removed the retired visits_12m (was {old}; visits are now recorded on key enterprises)"),
            );
        }
    }
    if !items.is_empty() {
        log.fill(
            "/grids/items",
            "核对每个网格：one 为网格长（人员角色 grid-chief），three 为专职网格员、兼职网格员、网格指导员各1名（第6.7.1条）".to_owned(),
            "check every grid: one names its chief (staff role grid-chief), three a full-time grid worker, a part-time grid worker and a grid supervisor (6.7.1)".to_owned(),
        );
    }
}

/// `last_drill_on` becomes a one-drill list `drills`.
fn emergency_plans(root: &mut Fields, log: &mut Log) {
    let Some(Node::Object(safety)) = get_mut(root, "safety") else {
        return;
    };
    let Some(Node::Array(plans)) = get_mut(safety, "emergency_plans") else {
        return;
    };
    for (i, plan) in plans.iter_mut().enumerate() {
        let Node::Object(fields) = plan else { continue };
        let drills = match remove(fields, "last_drill_on") {
            Some(Node::Null) | None => Vec::new(),
            Some(date) => {
                log.change(
                    &format!("/safety/emergency_plans/{i}/drills"),
                    format!("last_drill_on {date} 改为演练记录列表 drills"),
                    format!("last_drill_on {date} became the drill list drills"),
                );
                vec![date]
            }
        };
        if get(fields, "drills").is_none() {
            set(fields, "drills", Node::Array(drills));
        }
        log.fill(
            &format!("/safety/emergency_plans/{i}/drills"),
            "补记近12个月的全部演练日期（1.0 只记最近一次；第7.3.2条、智能制造型第C.SM.2条）".to_owned(),
            "add every drill date of the last 12 months (1.0 kept only the latest; 7.3.2, smart-manufacturing C.SM.2)".to_owned(),
        );
    }
}

/// Free-text dashboard indicators become the closed vocabulary of 2.0; a text with no
/// entry in the vocabulary becomes `other`, and the log keeps the original text.
fn dashboard_indicators(root: &mut Fields, log: &mut Log) {
    let Some(Node::Object(platform)) = get_mut(root, "platform") else {
        return;
    };
    let Some(Node::Array(items)) = get_mut(platform, "dashboard_indicators") else {
        return;
    };
    for (i, item) in items.iter_mut().enumerate() {
        let Node::String(text) = item else { continue };
        let code = indicator_code(text);
        if code == text {
            continue;
        }
        let pointer = format!("/platform/dashboard_indicators/{i}");
        if code == "other" {
            log.fill(
                &pointer,
                format!("指标“{text}”不在指标表中，已改为 other（其他）：请核对"),
                format!("indicator “{text}” is not in the vocabulary and became other: check it"),
            );
        } else {
            log.change(
                &pointer,
                format!("指标“{text}” → {code}"),
                format!("indicator “{text}” → {code}"),
            );
        }
        *text = code.to_owned();
    }
}

/// The 2.0 dashboard indicator for a 1.0 text: the code itself, a Chinese name or a
/// synonym; `other` when nothing matches.
fn indicator_code(text: &str) -> &'static str {
    const TABLE: &[(&str, &[&str])] = &[
        ("population", &["产业人口", "人口", "从业人员", "就业人口"]),
        ("enterprises", &["企业", "企业数", "企业数量", "入驻企业"]),
        (
            "cases",
            &["事件", "诉求", "事件/诉求", "诉求事件", "工单", "诉求办理"],
        ),
        ("services", &["服务", "服务事项", "服务清单", "服务人次"]),
        ("satisfaction", &["满意度", "满意率"]),
        ("safety", &["安全", "安全生产", "隐患", "安全隐患"]),
        ("grids", &["网格", "网格事件", "网格巡查"]),
        ("party-building", &["党建", "党员", "党组织"]),
        ("other", &["其他"]),
    ];
    let t = text.trim();
    TABLE
        .iter()
        .find(|(code, names)| *code == t || names.contains(&t))
        .map_or("other", |(code, _)| *code)
}

/// 2.0 adds the roles `grid-chief` and `grid-supervisor`; 1.0 staff cannot hold them, so
/// the log says where to add them when no staff record does.
fn staff_roles(root: &mut Fields, log: &mut Log) {
    let Some(Node::Array(staff)) = get(root, "staff") else {
        return;
    };
    let holds = |role: &str| {
        staff.iter().any(|s| match s {
            Node::Object(f) => matches!(get(f, "roles"), Some(Node::Array(r))
                if r.iter().any(|x| matches!(x, Node::String(v) if v == role))),
            _ => false,
        })
    };
    if !holds("grid-chief") || !holds("grid-supervisor") {
        log.fill(
            "/staff",
            "为网格长加角色 grid-chief、为网格指导员加角色 grid-supervisor（2.0 新增角色；第6.7.1条）".to_owned(),
            "give grid chiefs the role grid-chief and grid supervisors grid-supervisor (roles new in 2.0; 6.7.1)".to_owned(),
        );
    }
}

/// The log a migration keeps.
#[derive(Default)]
struct Log {
    changes: Vec<MigrationNote>,
    to_fill: Vec<MigrationNote>,
}

impl Log {
    fn change(&mut self, pointer: &str, zh: String, en: String) {
        self.changes.push(MigrationNote {
            pointer: pointer.to_owned(),
            zh,
            en,
        });
    }
    fn fill(&mut self, pointer: &str, zh: String, en: String) {
        self.to_fill.push(MigrationNote {
            pointer: pointer.to_owned(),
            zh,
            en,
        });
    }
}

/// A JSON value whose objects keep their keys in the order they were written, so a
/// migrated file reads like the one it came from.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    Object(Fields),
}

/// An object's members, in order.
type Fields = Vec<(String, Node)>;

fn get<'a>(fields: &'a Fields, key: &str) -> Option<&'a Node> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn get_mut<'a>(fields: &'a mut Fields, key: &str) -> Option<&'a mut Node> {
    fields.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn remove(fields: &mut Fields, key: &str) -> Option<Node> {
    let at = fields.iter().position(|(k, _)| k == key)?;
    Some(fields.remove(at).1)
}

/// Replaces the value of `key`, or appends the member.
fn set(fields: &mut Fields, key: &str, value: Node) {
    match get_mut(fields, key) {
        Some(slot) => *slot = value,
        None => fields.push((key.to_owned(), value)),
    }
}

impl Node {
    fn kind(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "a boolean",
            Self::Number(_) => "a number",
            Self::String(_) => "a string",
            Self::Array(_) => "an array",
            Self::Object(_) => "an object",
        }
    }
}

/// Compact JSON, for the log.
impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(self).map_err(|_| fmt::Error)?)
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => s.serialize_unit(),
            Self::Bool(b) => s.serialize_bool(*b),
            Self::Number(n) => n.serialize(s),
            Self::String(v) => s.serialize_str(v),
            Self::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Self::Object(fields) => {
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        serde_json::Number::from_f64(v)
            .map(Node::Number)
            .ok_or_else(|| E::custom("a number JSON cannot hold"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut fields: Fields = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Node>()? {
            // A repeated key keeps its last value, as serde_json's own map does.
            set(&mut fields, &k, v);
        }
        Ok(Node::Object(fields))
    }
}

#[cfg(test)]
mod tests;
