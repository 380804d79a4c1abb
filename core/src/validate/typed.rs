//! Reading the text into the lenient typed model, with serde's error put into clerk's words.

use crate::model::CommunityProfile;

use super::Draft;
use super::problem::ProblemCode;
use super::scan::{Target, locate};
use super::words::{allowed_list, allowed_list_zh, closest, field_zh, subject};
use crate::types::LineIndex;

/// Reads the profile from its parsed document when that gives what reading the text gives,
/// that is when no object repeats a key (the document kept only the last, the text reading
/// refuses it); otherwise, or on failure, reads the text for the error's line and column.
pub(super) fn read_parsed(
    doc: serde_json::Value,
    repeated_key: bool,
    text: &str,
) -> Result<CommunityProfile, Box<Draft>> {
    if !repeated_key && let Ok(profile) = serde_json::from_value(doc) {
        return Ok(profile);
    }
    read(text)
}

/// Reads the profile; on failure, one draft located at the failing value.
pub(super) fn read(text: &str) -> Result<CommunityProfile, Box<Draft>> {
    serde_json::from_str::<CommunityProfile>(text).map_err(|error| {
        let offset = LineIndex::new(text).offset(error.line(), error.column().max(1));
        let pointer = locate(text.as_bytes(), &[Target::PointerAt(offset)])
            .into_iter()
            .next()
            .and_then(|l| l.pointer)
            .unwrap_or_default();
        let raw = error.to_string();
        let message = raw
            .rsplit_once(" at line ")
            .map_or(raw.as_str(), |(m, _)| m);
        let w = translate(&pointer, message);
        let mut draft = Draft::at(&pointer, w.code, w.en).zh(w.zh);
        draft.offset = Some(offset);
        draft.suggestion = w.suggestion;
        Box::new(draft)
    })
}

/// Every text between a pair of backticks.
fn backticked(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

/// What serde expected, in words: (Chinese, English).
fn expected_words(expected: &str) -> (String, String) {
    let whole = [
        "u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64",
    ];
    let (zh, en) = if whole.contains(&expected) {
        (
            "不带小数点的整数",
            "a whole number written without a decimal point",
        )
    } else if expected == "f64" || expected == "f32" {
        ("数字", "a number")
    } else if expected.starts_with("a string") {
        ("加双引号的文本", "text in double quotes")
    } else if expected.starts_with("a sequence") {
        ("列表 […]", "a list `[…]`")
    } else if expected.starts_with("struct") || expected.starts_with("a map") {
        ("对象 {…}", "an object `{…}`")
    } else if expected.starts_with("a boolean") {
        ("逻辑值 true/false", "`true` or `false`")
    } else {
        return (expected.to_owned(), expected.to_owned());
    };
    (zh.to_owned(), en.to_owned())
}

/// What serde found, in words: (Chinese, English).
fn found_words(found: &str) -> (String, String) {
    if let Some(rest) = found.strip_prefix("floating point ") {
        (
            format!("小数 {}", rest.trim_matches('`')),
            format!("the decimal number {rest}"),
        )
    } else if let Some(rest) = found.strip_prefix("integer ") {
        (
            format!("数字 {}", rest.trim_matches('`')),
            format!("the number {rest}"),
        )
    } else if let Some(rest) = found.strip_prefix("string ") {
        (
            format!("文本“{}”", rest.trim_matches('"')),
            format!("text `{rest}`"),
        )
    } else if let Some(rest) = found.strip_prefix("boolean ") {
        (
            format!("逻辑值 {}", rest.trim_matches('`')),
            rest.to_owned(),
        )
    } else if found == "map" {
        ("对象".to_owned(), "an object".to_owned())
    } else if found == "sequence" {
        ("列表".to_owned(), "a list".to_owned())
    } else if found == "unit value" {
        ("空值 null".to_owned(), "null".to_owned())
    } else {
        (found.to_owned(), found.to_owned())
    }
}

/// A serde error in words.
struct Worded {
    code: ProblemCode,
    en: String,
    zh: String,
    suggestion: Option<String>,
}

fn worded(code: ProblemCode, en: String, zh: String, suggestion: Option<String>) -> Worded {
    Worded {
        code,
        en,
        zh,
        suggestion,
    }
}

fn translate(pointer: &str, message: &str) -> Worded {
    let names = backticked(message);
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = rest.trim_matches('`');
        return worded(
            ProblemCode::MissingField,
            format!("missing required field `{name}`"),
            format!("缺少必填字段{}", field_zh(name)),
            None,
        );
    }
    if message.starts_with("unknown variant ") {
        let given = names.first().copied().unwrap_or_default();
        let allowed: Vec<String> = names.iter().skip(1).map(|a| (*a).to_owned()).collect();
        return worded(
            ProblemCode::Enum,
            format!(
                "text `{given}` is not an allowed value for {}; allowed: {}",
                subject(pointer),
                allowed_list(&allowed)
            ),
            format!(
                "文本“{given}”不是允许的取值；允许：{}",
                allowed_list_zh(&allowed)
            ),
            closest(given, allowed.iter().map(String::as_str)).map(str::to_owned),
        );
    }
    if message.starts_with("unknown field ") {
        let given = names.first().copied().unwrap_or_default();
        let allowed: Vec<&str> = names.iter().skip(1).copied().collect();
        return worded(
            ProblemCode::UnknownField,
            format!("unknown field `{given}`"),
            format!("未知字段“{given}”"),
            closest(given, allowed.iter().copied()).map(str::to_owned),
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let name = rest.trim_matches('`');
        return worded(
            ProblemCode::DuplicateField,
            format!("field `{name}` appears more than once in this object; keep one"),
            format!("字段“{name}”在同一对象中出现了不止一次；请只保留一个"),
            None,
        );
    }
    for (prefix, code) in [
        ("invalid type: ", ProblemCode::Type),
        ("invalid value: ", ProblemCode::Range),
    ] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((found, expected)) = rest.rsplit_once(", expected ")
        {
            let (expected_zh, expected_en) = expected_words(expected);
            let (found_zh, found_en) = found_words(found);
            return worded(
                code,
                format!(
                    "{} must be {expected_en}, found {found_en}",
                    subject(pointer)
                ),
                format!("应为{expected_zh}，实际为{found_zh}"),
                None,
            );
        }
    }
    if message.starts_with("data did not match any variant of untagged enum") {
        return worded(
            ProblemCode::Type,
            format!(
                "{} does not match any of its accepted forms",
                subject(pointer)
            ),
            "不符合任何一种可接受的写法".to_owned(),
            None,
        );
    }
    worded(
        ProblemCode::Type,
        format!(
            "{} cannot be read into the profile model: {message}",
            subject(pointer)
        ),
        format!("无法读入档案模型：{message}"),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_become_clerk_messages() {
        let w = translate(
            "/premises/0/ownership",
            "unknown variant `leesed`, expected one of `government`, `leased`, `shared`",
        );
        assert_eq!(w.code, ProblemCode::Enum);
        assert!(w.en.contains("`ownership`"), "{}", w.en);
        assert!(w.zh.starts_with("文本“leesed”不是允许的取值"), "{}", w.zh);
        assert_eq!(w.suggestion.as_deref(), Some("leased"));

        let w = translate(
            "/premises/0/opening_hours/0/weekday",
            "invalid type: floating point `3`, expected u8",
        );
        assert_eq!(w.code, ProblemCode::Type);
        assert_eq!(
            w.en,
            "`weekday` must be a whole number written without a decimal point, found the decimal number `3`"
        );
        assert_eq!(w.zh, "应为不带小数点的整数，实际为小数 3");
    }
}
