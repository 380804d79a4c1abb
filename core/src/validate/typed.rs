//! Reading the text into the lenient typed model, with serde's error put into clerk's words.

use crate::model::CommunityProfile;

use super::Draft;
use super::problem::ProblemCode;
use super::scan::{LineIndex, Target, locate};
use super::words::{closest, subject};

/// Reads the profile; on failure, one draft located at the failing value.
pub(super) fn read(text: &str, lines: &LineIndex<'_>) -> Result<CommunityProfile, Box<Draft>> {
    serde_json::from_str::<CommunityProfile>(text).map_err(|error| {
        let offset = lines.offset(error.line(), error.column().max(1));
        let pointer = locate(text.as_bytes(), &[Target::PointerAt(offset)])
            .into_iter()
            .next()
            .and_then(|l| l.pointer)
            .unwrap_or_default();
        let raw = error.to_string();
        let message = raw
            .rsplit_once(" at line ")
            .map_or(raw.as_str(), |(m, _)| m);
        let (code, message, suggestion) = translate(&pointer, message);
        let mut draft = Draft::at(&pointer, code, message);
        draft.offset = Some(offset);
        draft.suggestion = suggestion;
        Box::new(draft)
    })
}

/// Every text between a pair of backticks.
fn backticked(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

fn expected_words(expected: &str) -> String {
    let whole = [
        "u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64",
    ];
    if whole.contains(&expected) {
        "a whole number written without a decimal point".to_owned()
    } else if expected == "f64" || expected == "f32" {
        "a number".to_owned()
    } else if expected.starts_with("a string") {
        "text in double quotes".to_owned()
    } else if expected.starts_with("a sequence") {
        "a list `[…]`".to_owned()
    } else if expected.starts_with("struct") || expected.starts_with("a map") {
        "an object `{…}`".to_owned()
    } else if expected.starts_with("a boolean") {
        "`true` or `false`".to_owned()
    } else {
        expected.to_owned()
    }
}

fn found_words(found: &str) -> String {
    if let Some(rest) = found.strip_prefix("floating point ") {
        format!("the decimal number {rest}")
    } else if let Some(rest) = found.strip_prefix("integer ") {
        format!("the number {rest}")
    } else if let Some(rest) = found.strip_prefix("string ") {
        format!("text `{rest}`")
    } else if let Some(rest) = found.strip_prefix("boolean ") {
        rest.to_owned()
    } else if found == "map" {
        "an object".to_owned()
    } else if found == "sequence" {
        "a list".to_owned()
    } else if found == "unit value" {
        "null".to_owned()
    } else {
        found.to_owned()
    }
}

fn translate(pointer: &str, message: &str) -> (ProblemCode, String, Option<String>) {
    let names = backticked(message);
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = rest.trim_matches('`');
        return (
            ProblemCode::MissingField,
            format!("missing required field `{name}`"),
            None,
        );
    }
    if message.starts_with("unknown variant ") {
        let given = names.first().copied().unwrap_or_default();
        let allowed: Vec<&str> = names.iter().skip(1).copied().collect();
        let list = allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        return (
            ProblemCode::Enum,
            format!(
                "text `{given}` is not an allowed value for {}; allowed: {list}",
                subject(pointer)
            ),
            closest(given, allowed.iter().copied()).map(str::to_owned),
        );
    }
    if message.starts_with("unknown field ") {
        let given = names.first().copied().unwrap_or_default();
        let allowed: Vec<&str> = names.iter().skip(1).copied().collect();
        return (
            ProblemCode::UnknownField,
            format!("unknown field `{given}`"),
            closest(given, allowed.iter().copied()).map(str::to_owned),
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let name = rest.trim_matches('`');
        return (
            ProblemCode::DuplicateField,
            format!("field `{name}` appears more than once in this object; keep one"),
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
            return (
                code,
                format!(
                    "{} must be {}, found {}",
                    subject(pointer),
                    expected_words(expected),
                    found_words(found)
                ),
                None,
            );
        }
    }
    if message.starts_with("data did not match any variant of untagged enum") {
        return (
            ProblemCode::Type,
            format!(
                "{} does not match any of its accepted forms",
                subject(pointer)
            ),
            None,
        );
    }
    (
        ProblemCode::Type,
        format!(
            "{} cannot be read into the profile model: {message}",
            subject(pointer)
        ),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_become_clerk_messages() {
        let (code, message, suggestion) = translate(
            "/premises/0/ownership",
            "unknown variant `leesed`, expected one of `government`, `leased`, `shared`",
        );
        assert_eq!(code, ProblemCode::Enum);
        assert!(message.contains("`ownership`"), "{message}");
        assert_eq!(suggestion.as_deref(), Some("leased"));

        let (code, message, _) = translate(
            "/premises/0/opening_hours/0/weekday",
            "invalid type: floating point `3`, expected u8",
        );
        assert_eq!(code, ProblemCode::Type);
        assert_eq!(
            message,
            "`weekday` must be a whole number written without a decimal point, found the decimal number `3`"
        );
    }
}
