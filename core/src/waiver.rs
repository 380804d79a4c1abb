//! Waivers (READINGS G11): approved, time-limited exceptions to failing rules.
//!
//! Waivers come from waiver files an approval authority issues (`icgs check --waivers FILE`):
//! a JSON list of objects of the profile's `waivers[]` shape, optionally with `community` (a
//! profile id) to limit an entry to one community. Waivers written in the profile itself are
//! the community speaking for itself: they are applied only when the caller trusts them
//! ([`crate::EvalOptions::trust_profile_waivers`]), and otherwise reported, never applied.
//!
//! A failing result covered by a valid waiver becomes `waived`; the report keeps the
//! underlying outcome and the waiver. A waiver is listed in `waiver_problems` and not applied
//! when it lacks its requester, approver, justification or dates, is approved by its own
//! requester (names compared after NFKC, case folding, and removal of invisible characters
//! and surrounding or repeated spaces), runs longer than `waiver_max_days`, is expired or not
//! yet approved, or names an unknown rule or one the packs make non-waivable (veto rules,
//! `non_waivable_rules`, a rule's `waivable = false`). Everything is judged against the
//! evaluation date, never the wall clock.
//!
//! ```
//! let file = br#"[{ "clause": "6.4.3", "justification": "recruiting", "requested_by": "operator",
//!                   "approved_by": "district office", "approved_on": "2026-01-10",
//!                   "expires_on": "2026-12-31" }]"#;
//! let waivers = icgs::WaiverSet::from_json("waivers.json", file).unwrap();
//! assert_eq!(waivers.len(), 1);
//! ```

use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;

use crate::facts::parse_date;
use crate::model::Waiver;
use crate::report::{AppliedWaiver, RuleResult, WaiverProblem, WaiverProblemKind};
use crate::types::{JsonPositions, LineIndex, Outcome, Text as Message};

/// Fields of an entry of a waiver file.
const FIELDS: [&str; 7] = [
    "clause",
    "justification",
    "requested_by",
    "approved_by",
    "approved_on",
    "expires_on",
    "community",
];

/// Largest waiver file read (4 MiB).
const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// Waivers from waiver files, in the order read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WaiverSet {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    waiver: Waiver,
    community: Option<String>,
    source: String,
    pointer: String,
}

/// A waiver file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WaiverError {
    /// The file cannot be read.
    #[error("cannot read `{path}`: {message}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's reason.
        message: String,
    },
    /// The file is not JSON, or not a list of waiver objects of the expected shape.
    #[error("{file}:{line}:{column}: {pointer}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// JSON pointer of the entry or field (`/2/approved_on`); empty for the whole file.
        pointer: String,
        /// What is wrong and what was expected.
        message: String,
    },
}

impl WaiverSet {
    /// No waivers.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a waiver file.
    ///
    /// # Errors
    /// When the file cannot be read or is not a list of waivers (see [`Self::from_json`]).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, WaiverError> {
        use std::io::Read as _;
        let path = path.as_ref();
        let name = path.display().to_string();
        let io = |e: std::io::Error| WaiverError::Io {
            path: name.clone(),
            message: e.to_string(),
        };
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
            .map_err(io)?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(WaiverError::Io {
                path: name,
                message: format!("larger than {MAX_BYTES} bytes"),
            });
        }
        Self::from_json(&name, &bytes)
    }

    /// Reads waivers from JSON `bytes`; `source` names the file in errors and reports.
    ///
    /// The JSON is a list of objects with `clause` (the rule id), `justification`,
    /// `approved_by`, `approved_on` and `expires_on` (dates `YYYY-MM-DD`), and optionally
    /// `requested_by` and `community` (a profile id: the waiver then covers that community
    /// only).
    ///
    /// # Errors
    /// Invalid JSON, another shape, an unknown or missing field, a date that is not a
    /// date: each with line, column and JSON pointer.
    pub fn from_json(source: &str, bytes: &[u8]) -> Result<Self, WaiverError> {
        let text = std::str::from_utf8(bytes).map_err(|e| WaiverError::Invalid {
            file: source.to_owned(),
            line: 1,
            column: 1,
            pointer: String::new(),
            message: format!("not UTF-8: {e}"),
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value: Value = serde_json::from_str(text).map_err(|e| WaiverError::Invalid {
            file: source.to_owned(),
            line: e.line(),
            column: e.column(),
            pointer: String::new(),
            message: e
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_owned(),
        })?;
        let file = WaiverFile {
            source,
            spots: JsonPositions::scan(text.as_bytes(), 2),
            lines: LineIndex::new(text),
        };
        let Value::Array(items) = value else {
            return Err(file.invalid(
                String::new(),
                file.spots.value("").unwrap_or(0),
                "expected a list of waivers `[{ \"clause\": …, … }]`".into(),
            ));
        };
        let entries = items
            .iter()
            .enumerate()
            .map(|(i, item)| file.entry(i, item))
            .collect::<Result<_, _>>()?;
        Ok(Self { entries })
    }

    /// Adds the waivers of `other` after these.
    pub fn extend(&mut self, other: Self) {
        self.entries.extend(other.entries);
    }

    /// How many waivers.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The waivers, each with its source file and JSON pointer.
    pub fn iter(&self) -> impl Iterator<Item = (&Waiver, &str, &str)> {
        self.entries
            .iter()
            .map(|e| (&e.waiver, e.source.as_str(), e.pointer.as_str()))
    }
}

/// A waiver file being read: where its values are, to point at the one that is wrong.
struct WaiverFile<'a> {
    source: &'a str,
    spots: JsonPositions,
    lines: LineIndex<'a>,
}

impl WaiverFile<'_> {
    /// The error for the value at `pointer`, written at byte `at`.
    fn invalid(&self, pointer: String, at: usize, message: String) -> WaiverError {
        let (line, column) = self.lines.position(at);
        WaiverError::Invalid {
            file: self.source.to_owned(),
            line,
            column,
            pointer,
            message,
        }
    }

    /// Reads waiver `i`: known fields only, every required text given, dates that are dates.
    fn entry(&self, i: usize, item: &Value) -> Result<Entry, WaiverError> {
        let here = format!("/{i}");
        let at = self.spots.value(&here).unwrap_or(0);
        let Value::Object(map) = item else {
            return Err(self.invalid(here, at, "expected a waiver object".into()));
        };
        let key_at = |k: &str| {
            self.spots
                .key(&JsonPositions::child(&here, k))
                .unwrap_or(at)
        };
        if let Some(unknown) = map.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            let near = crate::suggest::closest(unknown, FIELDS.iter().copied())
                .map(|near| format!(" (did you mean `{near}`?)"))
                .unwrap_or_default();
            return Err(self.invalid(
                format!("{here}/{unknown}"),
                key_at(unknown),
                format!(
                    "unknown field `{unknown}`{near}; expected {}",
                    FIELDS.join(", ")
                ),
            ));
        }
        let text_of = |field: &str, required: bool| -> Result<Option<String>, WaiverError> {
            match map.get(field) {
                None | Some(Value::Null) if required => {
                    Err(self.invalid(here.clone(), at, format!("missing field `{field}`")))
                }
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if s.trim().is_empty() && required => Err(self.invalid(
                    format!("{here}/{field}"),
                    key_at(field),
                    format!("`{field}` is empty"),
                )),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(self.invalid(
                    format!("{here}/{field}"),
                    key_at(field),
                    format!("`{field}` must be a text, found `{other}`"),
                )),
            }
        };
        let clause = text_of("clause", true)?.unwrap_or_default();
        let justification = text_of("justification", true)?;
        // An approval authority's file states who asked: without it self-approval cannot be
        // ruled out.
        let requested_by = text_of("requested_by", true)?;
        let approved_by = text_of("approved_by", true)?;
        let approved_on = text_of("approved_on", true)?;
        let expires_on = text_of("expires_on", true)?;
        let community = text_of("community", false)?;
        for (field, date) in [("approved_on", &approved_on), ("expires_on", &expires_on)] {
            if let Some(d) = date
                && parse_date(d).is_none()
            {
                return Err(self.invalid(
                    format!("{here}/{field}"),
                    key_at(field),
                    format!("`{d}` is not a date like `2026-06-30`"),
                ));
            }
        }
        Ok(Entry {
            waiver: Waiver {
                clause,
                justification,
                approved_by,
                requested_by,
                approved_on,
                expires_on,
            },
            community,
            source: self.source.to_owned(),
            pointer: here,
        })
    }
}

/// A waiver found valid for one evaluation.
pub(crate) struct Valid<'a> {
    waiver: &'a Waiver,
    source: &'a str,
    pointer: String,
}

/// What the packs in force and the caller say about waivers, for one evaluation.
#[derive(Debug, Clone, Default)]
pub(crate) struct Policy {
    /// `waiver_max_days`: the longest term from approval to expiry.
    pub max_days: Option<i64>,
    /// `non_waivable_rules`: rules no waiver may cover, besides veto rules.
    pub non_waivable: Vec<String>,
    /// Whether the profile's own waivers may apply.
    pub trust_profile: bool,
}

/// Judges every waiver of the profile and of `extra` at `as_of`: the valid ones, and the
/// problems of the others. `rule` says whether a rule exists and, if so, whether its layers
/// let it be waived at `as_of`.
pub(crate) fn judge<'a>(
    profile_id: &str,
    own: &'a [Waiver],
    extra: &'a WaiverSet,
    as_of: NaiveDate,
    policy: &Policy,
    rule: impl Fn(&str) -> Option<bool>,
) -> (Vec<Valid<'a>>, Vec<WaiverProblem>) {
    let mut valid = Vec::new();
    let mut problems = Vec::new();
    let all = own
        .iter()
        .enumerate()
        .map(|(i, w)| (w, "profile", format!("/waivers/{i}")))
        .chain(
            extra
                .entries
                .iter()
                .filter(|e| e.community.as_deref().is_none_or(|c| c == profile_id))
                .map(|e| (&e.waiver, e.source.as_str(), e.pointer.clone())),
        );
    for (w, source, pointer) in all {
        let verdict = if source == "profile" && !policy.trust_profile {
            Some(untrusted(&w.clause))
        } else {
            problem(w, as_of, policy, &rule)
        };
        match verdict {
            None => valid.push(Valid {
                waiver: w,
                source,
                pointer,
            }),
            Some((kind, message)) => problems.push(WaiverProblem {
                source: source.to_owned(),
                pointer,
                rule: w.clause.clone(),
                problem: kind,
                message,
            }),
        }
    }
    (valid, problems)
}

fn untrusted(id: &str) -> (WaiverProblemKind, Message) {
    (
        WaiverProblemKind::Untrusted,
        Message {
            zh: format!(
                "规则 {id} 的豁免写在社区自己的档案中，未予采用：豁免应由审批机关以豁免文件（--waivers）出具"
            ),
            en: format!(
                "the waiver of `{id}` is written in the community's own profile and was not applied: waivers come from the approval authority's waiver file (--waivers)"
            ),
        },
    )
}

fn problem(
    w: &Waiver,
    as_of: NaiveDate,
    policy: &Policy,
    rule: &impl Fn(&str) -> Option<bool>,
) -> Option<(WaiverProblemKind, Message)> {
    let m = |zh: String, en: String| Message { zh, en };
    let id = &w.clause;
    let Some(waivable) = rule(id) else {
        return Some((
            WaiverProblemKind::UnknownRule,
            m(
                format!("豁免所列规则 {id} 不存在"),
                format!("the waiver names rule `{id}`, which the packs in force do not define"),
            ),
        ));
    };
    if !waivable || policy.non_waivable.contains(id) {
        return Some((
            WaiverProblemKind::NonWaivable,
            m(
                format!("规则 {id} 不可豁免（一票否决或由政策包标明）"),
                format!("rule `{id}` cannot be waived (a veto rule, or marked so by a pack)"),
            ),
        ));
    }
    people(w).or_else(|| dates(w, as_of, policy))
}

/// Who asked, why, and who approved: a waiver names all three, and not its requester as
/// its approver.
fn people(w: &Waiver) -> Option<(WaiverProblemKind, Message)> {
    let m = |zh: String, en: String| Message { zh, en };
    let id = &w.clause;
    let given = |v: &Option<String>| v.as_deref().filter(|a| !identity(a).is_empty()).is_some();
    if !given(&w.requested_by) {
        return Some((
            WaiverProblemKind::NoRequester,
            m(
                format!("规则 {id} 的豁免未注明申请人"),
                format!("the waiver of `{id}` names no requester"),
            ),
        ));
    }
    if !given(&w.justification) {
        return Some((
            WaiverProblemKind::NoJustification,
            m(
                format!("规则 {id} 的豁免未说明理由"),
                format!("the waiver of `{id}` gives no justification"),
            ),
        ));
    }
    let approver = w.approved_by.as_deref().filter(|a| !identity(a).is_empty());
    let Some(approver) = approver else {
        return Some((
            WaiverProblemKind::NoApprover,
            m(
                format!("规则 {id} 的豁免未注明批准人"),
                format!("the waiver of `{id}` names no approver"),
            ),
        ));
    };
    if w.requested_by.as_deref().map(identity) == Some(identity(approver)) {
        return Some((
            WaiverProblemKind::SelfApproved,
            m(
                format!("规则 {id} 的豁免由申请人 {approver} 自行批准"),
                format!("the waiver of `{id}` is approved by its own requester `{approver}`"),
            ),
        ));
    }
    None
}

/// The approval and expiry dates: valid, in order, within the longest period allowed, and
/// around the evaluation date.
fn dates(w: &Waiver, as_of: NaiveDate, policy: &Policy) -> Option<(WaiverProblemKind, Message)> {
    let m = |zh: String, en: String| Message { zh, en };
    let id = &w.clause;
    let approved = w.approved_on.as_deref().and_then(parse_date);
    let expires = w.expires_on.as_deref().and_then(parse_date);
    let (Some(approved), Some(expires)) = (approved, expires) else {
        return Some((
            WaiverProblemKind::InvalidDate,
            m(
                format!("规则 {id} 的豁免缺少有效的批准日期或到期日期"),
                format!("the waiver of `{id}` lacks a valid `approved_on` or `expires_on` date"),
            ),
        ));
    };
    if expires < approved {
        return Some((
            WaiverProblemKind::InvalidPeriod,
            m(
                format!("规则 {id} 的豁免到期日 {expires} 早于批准日 {approved}"),
                format!(
                    "the waiver of `{id}` expires on {expires}, before its approval on {approved}"
                ),
            ),
        ));
    }
    if let Some(max) = policy.max_days
        && (expires - approved).num_days() > max
    {
        return Some((
            WaiverProblemKind::TooLong,
            m(
                format!(
                    "规则 {id} 的豁免期限 {} 天（{approved} 至 {expires}），超过上限 {max} 天",
                    (expires - approved).num_days()
                ),
                format!(
                    "the waiver of `{id}` runs {} days ({approved} to {expires}), longer than the {max} days allowed",
                    (expires - approved).num_days()
                ),
            ),
        ));
    }
    if as_of < approved {
        return Some((
            WaiverProblemKind::Future,
            m(
                format!("规则 {id} 的豁免于 {approved} 批准，晚于评价基准日 {as_of}"),
                format!(
                    "the waiver of `{id}` is approved on {approved}, after the evaluation date {as_of}"
                ),
            ),
        ));
    }
    if expires < as_of {
        return Some((
            WaiverProblemKind::Expired,
            m(
                format!("规则 {id} 的豁免已于 {expires} 到期（评价基准日 {as_of}）"),
                format!(
                    "the waiver of `{id}` expired on {expires}, before the evaluation date {as_of}"
                ),
            ),
        ));
    }
    None
}

/// A person or office as compared for self-approval: NFKC (full-width and compatibility
/// forms folded), lower case, invisible format characters (zero-width spaces, joiners, BOM)
/// removed, and runs of white space made one space, trimmed.
fn identity(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let folded: String = name
        .nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !is_invisible(*c))
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Characters that show nothing (Unicode general category Cf and the like).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{180e}' | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}' | '\u{feff}')
}

/// Turns each failed result named by a valid waiver into `waived` (the first such waiver:
/// the profile's, then the files' in order), keeping observed and required values.
pub(crate) fn apply(results: &mut [RuleResult], valid: &[Valid<'_>]) {
    for result in results.iter_mut().filter(|r| r.outcome == Outcome::Fail) {
        let Some(v) = valid.iter().find(|v| v.waiver.clause == result.rule) else {
            continue;
        };
        let w = v.waiver;
        let approver = w.approved_by.clone().unwrap_or_default();
        let applied = AppliedWaiver {
            clause: w.clause.clone(),
            justification: w.justification.clone(),
            requested_by: w.requested_by.clone(),
            approved_by: approver.clone(),
            approved_on: w.approved_on.clone().unwrap_or_default(),
            expires_on: w.expires_on.clone().unwrap_or_default(),
            source: v.source.to_owned(),
            pointer: v.pointer.clone(),
            waived_outcome: result.outcome,
        };
        result.outcome = Outcome::Waived;
        result.message = Message {
            zh: format!(
                "已豁免（{approver}，至 {}）：{}",
                applied.expires_on, result.message.zh
            ),
            en: format!(
                "waived (approved by {approver}, until {}): {}",
                applied.expires_on, result.message.en
            ),
        };
        result.waiver = Some(applied);
    }
}

#[cfg(test)]
mod tests {
    use super::identity;

    #[test]
    fn identities_compare_past_width_case_spaces_and_invisible_characters() {
        let office = identity("District Office");
        for variant in [
            "district office",
            " District  Office ",
            "ＤＩＳＴＲＩＣＴ　ＯＦＦＩＣＥ",
            "District\u{200b} Office",
            "\u{feff}DISTRICT OFFICE\t",
        ] {
            assert_eq!(identity(variant), office, "{variant:?}");
        }
        // NFC and NFD spellings of one name are one name.
        assert_eq!(identity("Jos\u{e9}"), identity("Jose\u{301}"));
        assert_ne!(identity("district office"), identity("city office"));
        assert!(identity("\u{200b} \u{200d}").is_empty());
    }
}
