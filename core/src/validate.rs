//! Reading and validating community profiles.
//!
//! [`validate`] reports every problem of a profile in one run, each with its JSON pointer,
//! line and column, a stable [`ProblemCode`] and a message a data clerk can act on.
//! [`read_profile`] is the entry point for evaluation: it returns the lenient typed model
//! whenever the bytes can be read into it, together with the problems that do not block an
//! evaluation (a missing field the rules will report as `insufficient-data`, a dangling id…).
//!
//! The steps, each bounded so hostile input cannot exhaust time or memory:
//! 1. size limit, before anything else ([`ReadOptions::max_bytes`]);
//! 2. UTF-8 (a UTF-8 byte order mark is accepted and ignored), then an empty file;
//! 3. a nesting pre-scan outside strings ([`ReadOptions::max_depth`]) and a check of number
//!    literals (a whole number beyond 64 bits or a number beyond a double is reported);
//! 4. JSON syntax; the top level must be an object; `schema_version`, when given as text,
//!    must be the version this crate reads ([`crate::model::SCHEMA_VERSION`]), else the
//!    profile is refused with that one problem;
//! 5. the generated JSON Schema ([`crate::profile_schema`]), compiled once into a compact
//!    structural check walked over the parsed JSON, every failure translated;
//! 6. consistency: references between lists, unique ids, real dates, dates of past events not
//!    after `as_of`, times in order (on the parsed JSON, so they run even when step 7 fails);
//! 7. the lenient typed model ([`CommunityProfile`]), read from the parsed JSON (without the
//!    values that failed) when no object repeats a key, else from the text, which refuses
//!    the repetition.

mod absent;
#[cfg(all(test, feature = "engine"))]
mod agreement;
mod consistency;
mod error;
mod parse;
mod problem;
mod scan;
mod schema_check;
mod structure;
mod typed;
pub(crate) mod words;

use std::collections::HashSet;

use serde_json::Value;

use crate::model::{CommunityProfile, SCHEMA_VERSION};

pub use error::{ProfileError, ProfileProblems};
pub use problem::{Problem, ProblemCode};

use crate::types::LineIndex;
use scan::Target;
use words::describe_found;

/// The most problems listed for one profile; the rest are counted in one last problem
/// (`too-many-problems`). Every problem still counts: a value that failed validation is
/// absent for the rules whether or not its problem is listed.
pub const MAX_PROBLEMS: usize = 1_000;

/// Limits for reading one profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Largest accepted input in bytes (default 16 MiB).
    pub max_bytes: usize,
    /// Deepest accepted nesting of arrays and objects (default 64; the profile format itself
    /// needs 5, the rest is room for `extensions`).
    pub max_depth: usize,
}

impl ReadOptions {
    /// The default size limit, 16 MiB.
    pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;
    /// The default depth limit, 64.
    pub const DEFAULT_MAX_DEPTH: usize = 64;
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            max_bytes: Self::DEFAULT_MAX_BYTES,
            max_depth: Self::DEFAULT_MAX_DEPTH,
        }
    }
}

/// The outcome of [`validate`]: every problem found, and the typed profile when the bytes
/// could be read into the lenient model.
#[derive(Debug, Clone)]
pub struct Validation {
    /// Every problem, ordered by position in the source.
    pub problems: Vec<Problem>,
    /// The lenient typed model; `None` when the bytes could not be read into it.
    pub profile: Option<CommunityProfile>,
}

impl Validation {
    /// Whether the profile is valid: no problem at all.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Validates one community profile and reports every problem found.
///
/// `source_name` names the input in problems (usually the file path). Never panics; time and
/// memory are bounded by `opts`.
///
/// ```
/// use icgs::{ProblemCode, ReadOptions, validate};
///
/// let v = validate("a.json", b"[1, 2]", &ReadOptions::default());
/// assert!(v.profile.is_none());
/// assert_eq!(v.problems[0].code(), ProblemCode::NotAnObject);
/// assert_eq!(v.problems[0].to_string().split(": ").next(), Some("a.json:1:1"));
/// ```
#[must_use]
pub fn validate(source_name: &str, bytes: &[u8], opts: &ReadOptions) -> Validation {
    let run = run(source_name, bytes, opts);
    Validation {
        problems: run.problems,
        profile: run.profile,
    }
}

/// Compiles the profile schema's structural check now (once per process; validation does it
/// on first use). A caller with other start-up work, such as building an engine, can call this
/// on another thread first so that the two overlap.
pub fn prepare_validation() {
    // An error here is the schema's own and is reported by the first validation.
    let _ = structure::compiled();
}

/// Reads a profile for evaluation: the lenient typed model plus the problems that do not
/// prevent evaluating it (missing fields, dangling ids, dates after `as_of`…).
///
/// # Errors
/// [`ProfileError`] when the bytes cannot be read into the typed model at all (too large, not
/// UTF-8, empty, too deep, malformed JSON, not an object, a wrong type or an unknown
/// enumerated value), or when the profile is written in another version of the format (a
/// `1.0` profile: `icgs migrate` converts it); it carries every problem found.
///
/// ```
/// use icgs::{ReadOptions, read_profile};
///
/// let err = read_profile("a.json", b"{", &ReadOptions::default()).unwrap_err();
/// assert_eq!(err.problems().len(), 1);
/// assert!(err.to_string().starts_with("cannot read profile `a.json`"));
/// ```
pub fn read_profile(
    source_name: &str,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Result<(CommunityProfile, Vec<Problem>), ProfileError> {
    let run = run(source_name, bytes, opts);
    match run.profile {
        Some(profile) => Ok((profile, run.problems)),
        None => {
            let refused = run
                .problems
                .iter()
                .any(|p| p.code() == ProblemCode::SchemaVersion);
            let detail = ProfileProblems::new(source_name, run.problems);
            Err(if refused {
                ProfileError::Version(detail)
            } else if run.parsed {
                ProfileError::Invalid(detail)
            } else {
                ProfileError::Unreadable(detail)
            })
        }
    }
}

/// A problem before it is located and stamped with its source.
#[derive(Debug, Clone)]
struct Draft {
    /// The JSON pointer, when known.
    pointer: Option<String>,
    /// For an unknown field: its name, to place line:col on the key.
    key: Option<String>,
    /// Byte offset in the text, when known.
    offset: Option<usize>,
    code: ProblemCode,
    message: String,
    /// The message in Chinese; `None` falls back to the code's label and the English message.
    zh: Option<String>,
    suggestion: Option<String>,
    /// The value taken out of the document because of this problem (section E).
    absent: Option<String>,
}

impl Draft {
    fn at(pointer: &str, code: ProblemCode, message: String) -> Self {
        Self {
            pointer: Some(pointer.to_owned()),
            key: None,
            offset: None,
            code,
            message,
            zh: None,
            suggestion: None,
            absent: None,
        }
    }

    /// The same draft with its message in Chinese.
    fn zh(mut self, message: String) -> Self {
        self.zh = Some(message);
        self
    }

    /// A problem at a byte offset whose pointer is still to be found.
    fn at_offset(offset: usize, code: ProblemCode, message: String) -> Self {
        Self {
            pointer: None,
            offset: Some(offset),
            ..Self::at("", code, message)
        }
    }

    /// Whether this problem already explains `other` (same place or inside it).
    fn covers(&self, other: &Self) -> bool {
        match (&self.pointer, &other.pointer) {
            (Some(mine), Some(theirs)) => {
                mine == theirs
                    || mine
                        .strip_prefix(theirs.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            }
            _ => false,
        }
    }
}

struct Run {
    problems: Vec<Problem>,
    profile: Option<CommunityProfile>,
    /// Whether the bytes were a JSON object (the failure, if any, is a model mismatch).
    parsed: bool,
}

const fn is_json_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn run(source: &str, bytes: &[u8], opts: &ReadOptions) -> Run {
    words::reset_suggestions();
    let unreadable = |drafts: Vec<Draft>, text: Option<&[u8]>| Run {
        problems: finish(source, drafts, text),
        profile: None,
        parsed: false,
    };

    let (bytes, text) = match decode(bytes, opts) {
        Ok(decoded) => decoded,
        Err(refusal) => {
            let (draft, text) = *refusal;
            return unreadable(vec![draft], text);
        }
    };
    let pre = scan::pre_scan(bytes, opts.max_depth);
    if let Some(offset) = pre.too_deep {
        let mut draft = Draft::at(
            "",
            ProblemCode::TooDeep,
            format!(
                "lists and objects are nested more than {} levels deep here",
                opts.max_depth
            ),
        )
        .zh(format!("列表和对象在此处嵌套超过 {} 层", opts.max_depth));
        draft.offset = Some(offset);
        return unreadable(vec![draft], Some(bytes));
    }
    let mut drafts = number_drafts(&pre);

    let parsed = match parse::parse(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            drafts.extend(syntax_draft(&e, &LineIndex::new(bytes), &pre));
            return unreadable(drafts, Some(bytes));
        }
    };
    let value = &parsed.value;
    if !value.is_object() {
        let start = text.len() - text.trim_start_matches(is_json_ws).len();
        let mut draft = Draft::at(
            "",
            ProblemCode::NotAnObject,
            format!(
                "the top level must be an object `{{…}}` describing one community, found {}",
                describe_found(value)
            ),
        )
        .zh(format!(
            "顶层应为描述一个社区的对象 {{…}}，实际为{}",
            words::found_zh(value)
        ));
        draft.offset = Some(start);
        drafts.push(draft);
        return unreadable(drafts, Some(bytes));
    }

    // Another version of the format is refused before anything else is said about it.
    if let Some(draft) = version_draft(value) {
        drafts.push(draft);
        return Run {
            problems: finish(source, drafts, Some(bytes)),
            profile: None,
            parsed: true,
        };
    }

    let profile = check_and_read(parsed, text, bytes, &mut drafts);
    Run {
        problems: finish(source, drafts, Some(bytes)),
        profile,
        parsed: true,
    }
}

/// Adds the schema's and the consistency checks' problems to the number problems, then
/// reads the profile without the values that failed.
fn check_and_read(
    parsed: parse::Parsed,
    text: &str,
    bytes: &[u8],
    drafts: &mut Vec<Draft>,
) -> Option<CommunityProfile> {
    let value = parsed.value;
    // Number problems need their pointers before the others are compared with them.
    resolve_pointers(bytes, drafts);
    drafts.extend(schema_check::check(&value));
    let mut seen: HashSet<(String, ProblemCode)> = drafts
        .iter()
        .filter_map(|d| Some((d.pointer.clone()?, d.code)))
        .collect();
    for draft in consistency::check(&value) {
        let key = (draft.pointer.clone().unwrap_or_default(), draft.code);
        if seen.insert(key) {
            drafts.push(draft);
        }
    }
    // Section E: values that failed validation are absent for every rule.
    let taken = absent::bad_values(drafts);
    let profile = if taken.iter().all(Option::is_none) {
        typed::read_parsed(value, parsed.repeated_key, text)
    } else {
        match absent::read_without_bad_values(value, drafts, taken) {
            Some((profile, taken)) => {
                for (draft, taken) in drafts.iter_mut().zip(taken) {
                    draft.absent = taken;
                }
                Ok(profile)
            }
            None => typed::read(text),
        }
    };
    match profile {
        Ok(profile) => Some(profile),
        Err(draft) => {
            if !drafts.iter().any(|d| d.covers(&draft)) {
                drafts.push(*draft);
            }
            None
        }
    }
}

/// A refusal when `schema_version` names another version of the format than
/// [`SCHEMA_VERSION`]; an absent or non-text version is left to the schema.
fn version_draft(doc: &Value) -> Option<Draft> {
    let version = doc.get("schema_version")?.as_str()?;
    if version == SCHEMA_VERSION {
        return None;
    }
    let shown = words::shorten(version);
    let (zh, en) = if version == "1" || version.starts_with("1.") {
        (
            format!(
                "档案为 {shown} 格式，本工具只读取 {SCHEMA_VERSION} 格式：请先用 icgs migrate 转换（它会列出需人工补填的内容）"
            ),
            format!(
                "the profile is in format {shown} and this icgs reads format {SCHEMA_VERSION} only: \
                 convert it first with `icgs migrate` (it lists what must be filled in by hand)"
            ),
        )
    } else {
        (
            format!("档案格式版本“{shown}”无法识别，本工具只读取 {SCHEMA_VERSION} 格式"),
            format!(
                "the profile format version `{shown}` is not known; this icgs reads format {SCHEMA_VERSION} only"
            ),
        )
    };
    Some(Draft::at("/schema_version", ProblemCode::SchemaVersion, en).zh(zh))
}

/// Fills in the pointers of drafts known only by offset.
fn resolve_pointers(text: &[u8], drafts: &mut [Draft]) {
    let wanted: Vec<(usize, Target)> = drafts
        .iter()
        .enumerate()
        .filter(|(_, d)| d.pointer.is_none())
        .filter_map(|(i, d)| Some((i, Target::PointerAt(d.offset?))))
        .collect();
    if wanted.is_empty() {
        return;
    }
    let targets: Vec<Target> = wanted.iter().map(|(_, t)| t.clone()).collect();
    for ((i, _), found) in wanted.iter().zip(scan::locate(text, &targets)) {
        if let Some(draft) = drafts.get_mut(*i) {
            draft.pointer = Some(found.pointer.unwrap_or_default());
        }
    }
}

/// Locates every draft in the text and turns it into a [`Problem`], ordered by position.
fn finish(source: &str, mut drafts: Vec<Draft>, text: Option<&[u8]>) -> Vec<Problem> {
    let mut positions: Vec<Option<(usize, usize)>> = vec![None; drafts.len()];
    if let Some(text) = text.filter(|_| !drafts.is_empty()) {
        resolve_pointers(text, &mut drafts);
        let wanted: Vec<(usize, Target)> = drafts
            .iter()
            .enumerate()
            .filter(|(_, d)| d.offset.is_none())
            .filter_map(|(i, d)| {
                let pointer = d.pointer.as_deref()?;
                Some(match &d.key {
                    Some(key) => (
                        i,
                        Target::Key(format!("{pointer}/{}", words::escape_segment(key))),
                    ),
                    None => (i, Target::Value(pointer.to_owned())),
                })
            })
            .collect();
        if !wanted.is_empty() {
            let targets: Vec<Target> = wanted.iter().map(|(_, t)| t.clone()).collect();
            for ((i, _), found) in wanted.iter().zip(scan::locate(text, &targets)) {
                if let Some(draft) = drafts.get_mut(*i) {
                    draft.offset = found.offset;
                }
            }
        }
        let lines = LineIndex::new(text);
        for (draft, position) in drafts.iter().zip(positions.iter_mut()) {
            *position = draft.offset.map(|offset| lines.position(offset));
        }
    }
    let mut problems: Vec<Problem> = drafts
        .into_iter()
        .zip(positions)
        .map(|(d, position)| {
            Problem::new(
                source,
                d.pointer.unwrap_or_default(),
                position,
                d.code,
                d.message,
                d.suggestion,
            )
            .zh(d.zh)
            .absent(d.absent)
        })
        .collect();
    problems.sort_by_key(|p| (p.line().unwrap_or(usize::MAX), p.column().unwrap_or(0)));
    if problems.len() > MAX_PROBLEMS {
        let more = problems.len() - MAX_PROBLEMS;
        problems.truncate(MAX_PROBLEMS);
        problems.push(
            Problem::new(
                source,
                String::new(),
                None,
                ProblemCode::TooManyProblems,
                format!("{more} more problems are not listed (only the first {MAX_PROBLEMS} are)"),
                None,
            )
            .zh(Some(format!(
                "另有 {more} 个问题未列出（只列出前 {MAX_PROBLEMS} 个）"
            ))),
        );
    }
    problems
}

/// serde_json's syntax messages, in words for people who do not write JSON every day:
/// (Chinese, English).
fn syntax_message(message: &str) -> (String, String) {
    let (zh, en) = match message {
        "EOF while parsing an object" => (
            "文本在对象内部结束：缺少右花括号 }",
            "the text ends inside an object: a closing `}` is missing",
        ),
        "EOF while parsing a list" => (
            "文本在列表内部结束：缺少右方括号 ]",
            "the text ends inside a list: a closing `]` is missing",
        ),
        "EOF while parsing a string" => (
            "文本在字符串内部结束：缺少右双引号 \"",
            "the text ends inside a string: a closing `\"` is missing",
        ),
        "EOF while parsing a value" => (
            "文本在应有值的地方结束",
            "the text ends where a value was expected",
        ),
        "expected `,` or `}`" => (
            "值后面应为逗号 , 或右花括号 }：两个字段之间是否缺少逗号？",
            "expected `,` or `}` after the value: is a comma missing between two fields?",
        ),
        "expected `,` or `]`" => (
            "值后面应为逗号 , 或右方括号 ]：两项之间是否缺少逗号？",
            "expected `,` or `]` after the value: is a comma missing between two items?",
        ),
        "expected `:`" => ("字段名后面应为冒号 :", "expected `:` after the field name"),
        "expected value" => (
            "此处应为一个值：加双引号的文本、数字、true、false、null、列表或对象",
            "expected a value: text in double quotes, a number, `true`, `false`, `null`, a list or an object",
        ),
        "expected ident" => (
            "此处应为 true、false 或 null",
            "expected `true`, `false` or `null`",
        ),
        "key must be a string" => (
            "字段名须为加双引号的文本",
            "field names must be text in double quotes",
        ),
        "trailing comma" => (
            "JSON 不允许在 } 或 ] 前加逗号；请删去",
            "a comma before `}` or `]` is not allowed in JSON; remove it",
        ),
        "trailing characters" => (
            "JSON 对象结束后还有多余的文本",
            "unexpected text after the end of the JSON object",
        ),
        "control character (\\u0000-\\u001F) found while parsing a string" => (
            "文本中有换行或控制字符；请写作 \\n 或删去",
            "a line break or control character inside text; write it as `\\n` or remove it",
        ),
        "invalid escape" => (
            "文本中反斜杠 \\ 后的转义无效；反斜杠本身请写作 \\\\",
            "invalid escape after `\\` in text; write a backslash as `\\\\`",
        ),
        "invalid number" => ("数字写法无效", "invalid number"),
        other => {
            return (
                format!("JSON 语法错误：{other}"),
                format!("invalid JSON: {other}"),
            );
        }
    };
    (zh.to_owned(), en.to_owned())
}

/// A profile refused before it is parsed, with the bytes its position is counted in.
type Refusal<'a> = Box<(Draft, Option<&'a [u8]>)>;

/// The profile's text: within the size limit, UTF-8 (a BOM dropped), not blank. A refusal
/// carries the bytes its position is counted in, when it has one.
fn decode<'a>(bytes: &'a [u8], opts: &ReadOptions) -> Result<(&'a [u8], &'a str), Refusal<'a>> {
    if bytes.len() > opts.max_bytes {
        let draft = Draft::at(
            "",
            ProblemCode::TooLarge,
            format!(
                "the input is larger than the limit of {} bytes; split it or raise the limit",
                opts.max_bytes
            ),
        )
        .zh(format!(
            "文件超过 {} 字节的上限；请拆分文件或提高上限",
            opts.max_bytes
        ));
        return Err(Box::new((draft, None)));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let draft = Draft::at(
            "",
            ProblemCode::NotUtf8,
            "the file is UTF-16 encoded; save it as UTF-8".to_owned(),
        )
        .zh("文件为 UTF-16 编码；请另存为 UTF-8".to_owned());
        return Err(Box::new((draft, None)));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.valid_up_to();
            let byte = bytes.get(at).copied().unwrap_or_default();
            let mut draft = Draft::at(
                "",
                ProblemCode::NotUtf8,
                format!(
                    "the file is not UTF-8 text (byte `0x{byte:02X}` cannot start a character here); save it as UTF-8"
                ),
            )
            .zh(format!(
                "文件不是 UTF-8 文本（字节 0x{byte:02X} 不能在此处开始一个字符）；请另存为 UTF-8"
            ));
            draft.offset = Some(at);
            return Err(Box::new((draft, Some(bytes))));
        }
    };
    if text.trim_matches(is_json_ws).is_empty() {
        let (zh, en) = if text.is_empty() {
            ("文件为空", "the file is empty")
        } else {
            ("文件只有空白", "the file holds only whitespace")
        };
        let draft = Draft::at(
            "",
            ProblemCode::Empty,
            format!("{en}; a profile is a JSON object `{{…}}`"),
        )
        .zh(format!("{zh}；档案应为一个 JSON 对象 {{…}}"));
        return Err(Box::new((draft, None)));
    }
    Ok((bytes, text))
}

/// Numbers the pre-scan found too large to read, or not readable exactly.
fn number_drafts(pre: &scan::PreScan) -> Vec<Draft> {
    let mut drafts: Vec<Draft> = pre
        .out_of_range
        .iter()
        .map(|(offset, written, whole)| {
            let (zh, en) = if *whole {
                (
                    format!(
                        "整数 {written} 过大，无法精确读取；整数须在 -9223372036854775808 到 18446744073709551615 之间"
                    ),
                    format!(
                        "the whole number `{written}` is too large to be read exactly; whole numbers must lie between -9223372036854775808 and 18446744073709551615"
                    ),
                )
            } else {
                (
                    format!("数字 {written} 过大，无法读取；数字须小于约 1.8e308"),
                    format!(
                        "the number `{written}` is too large to be read; numbers must stay below about 1.8e308"
                    ),
                )
            };
            Draft::at_offset(*offset, ProblemCode::Range, en).zh(zh)
        })
        .collect();
    drafts.extend(pre.inexact.iter().map(|(offset, written, read)| {
        let message = format!(
            "the number `{written}` has more significant digits than can be read exactly (15 always can) and would be read as {read}; write at most 15 significant digits"
        );
        Draft::at_offset(*offset, ProblemCode::Range, message).zh(format!(
            "数字 {written} 的有效数字过多，无法精确读取（15 位以内总能精确读取），将被读作 {read}；请最多写 15 位有效数字"
        ))
    }));
    drafts
}

/// The problem of a text that is not JSON, at its position; none for a number out of
/// range the pre-scan already reported (with the number as written).
fn syntax_draft(
    e: &serde_json::Error,
    lines: &LineIndex<'_>,
    pre: &scan::PreScan,
) -> Option<Draft> {
    let offset = lines.offset(e.line(), e.column().max(1));
    let raw = e.to_string();
    let message = raw
        .rsplit_once(" at line ")
        .map_or(raw.as_str(), |(m, _)| m);
    let mut draft = match message {
        "number out of range" => {
            let known = pre
                .out_of_range
                .iter()
                .any(|(at, written, _)| *at <= offset && offset <= at + written.len());
            return (!known).then(|| {
                Draft::at_offset(
                    offset,
                    ProblemCode::Range,
                    "a number here is too large to be read".to_owned(),
                )
                .zh("此处的数字过大，无法读取".to_owned())
            });
        }
        "recursion limit exceeded" => Draft::at(
            "",
            ProblemCode::TooDeep,
            "lists and objects are nested too deeply here".to_owned(),
        )
        .zh("列表和对象在此处嵌套过深".to_owned()),
        _ => {
            let (zh, en) = syntax_message(message);
            Draft::at("", ProblemCode::Syntax, en).zh(zh)
        }
    };
    draft.offset = Some(offset);
    Some(draft)
}
