//! Small helpers that put values and types into words for data clerks.

use serde_json::Value;

/// The candidate closest to `needle`, when it is close enough to be a likely misspelling.
///
/// Suggestions share a budget of [`SUGGESTION_COMPARISONS`] per validation (reset by
/// [`reset_suggestions`]): a profile with thousands of problems gets suggestions for the first
/// ones only, so that validation stays linear in the size of the profile.
pub fn closest<'a>(needle: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = needle.to_lowercase().replace('_', "-");
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        if candidate == needle {
            continue;
        }
        if !take_comparison() {
            return None;
        }
        let folded = candidate.to_lowercase().replace('_', "-");
        let score = if folded == lower {
            1.0
        } else {
            strsim::normalized_damerau_levenshtein(&lower, &folded)
                .max(strsim::jaro_winkler(&lower, &folded) - 0.15)
        };
        if score >= 0.7 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Candidate comparisons the suggestions of one validation may make.
pub(super) const SUGGESTION_COMPARISONS: usize = 100_000;

thread_local! {
    static COMPARISONS_LEFT: std::cell::Cell<usize> =
        const { std::cell::Cell::new(SUGGESTION_COMPARISONS) };
}

/// Gives the validation that starts on this thread a full budget of suggestions.
pub(super) fn reset_suggestions() {
    COMPARISONS_LEFT.with(|left| left.set(SUGGESTION_COMPARISONS));
}

/// Takes one comparison from the budget; `false` when it is spent.
fn take_comparison() -> bool {
    COMPARISONS_LEFT.with(|left| {
        let n = left.get();
        left.set(n.saturating_sub(1));
        n > 0
    })
}

/// A value as a short excerpt for a message: text without quotes, anything else as compact
/// JSON, cut after 60 characters.
pub(super) fn excerpt(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    shorten(&text)
}

/// Cuts a text after 60 characters.
pub(super) fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(MAX).collect();
        cut.push('…');
        cut
    }
}

/// What a value is, e.g. "text `abc`", "the number `12`", "a list".
pub(super) fn describe_found(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(_) => format!("text `{}`", excerpt(value)),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// A JSON Schema type name in words.
pub(super) fn type_name(name: &str) -> &'static str {
    match name {
        "integer" => "a whole number",
        "number" => "a number",
        "string" => "text in double quotes",
        "boolean" => "`true` or `false`",
        "array" => "a list `[…]`",
        "object" => "an object `{…}`",
        "null" => "null",
        _ => "another type",
    }
}

/// Several JSON Schema type names in words; `null` is left out when others are allowed.
pub(super) fn type_names(names: &[&str]) -> String {
    let mut words: Vec<&str> = Vec::new();
    let has_other = names.iter().any(|n| *n != "null");
    for name in names {
        if has_other && *name == "null" {
            continue;
        }
        // "number" already covers "integer".
        if *name == "integer" && names.contains(&"number") {
            continue;
        }
        let word = type_name(name);
        if !words.contains(&word) {
            words.push(word);
        }
    }
    join_or(&words)
}

/// "a", "a or b", "a, b or c".
pub(super) fn join_or(words: &[&str]) -> String {
    match words {
        [] => "a value".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The allowed values of an enumeration, each in backticks.
pub(super) fn allowed_list(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The last segment of a JSON pointer, unescaped: the field name when it is one.
pub(super) fn field_name(pointer: &str) -> Option<String> {
    let last = pointer.rsplit('/').next()?;
    if pointer.is_empty() || last.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(last.replace("~1", "/").replace("~0", "~"))
}

/// How a message names the value at a pointer: "`name`", "an item of `roles`", "the value".
pub(super) fn subject(pointer: &str) -> String {
    if let Some(field) = field_name(pointer) {
        return format!("`{field}`");
    }
    let parent = pointer.rsplit_once('/').map_or("", |(p, _)| p);
    match field_name(parent) {
        Some(list) if !pointer.is_empty() => format!("an item of `{list}`"),
        _ => "the value".to_owned(),
    }
}

/// What a value is, in Chinese: 文本“abc”, 数字 12, 列表.
pub(super) fn found_zh(value: &Value) -> String {
    match value {
        Value::Null => "空值 null".to_owned(),
        Value::Bool(b) => format!("逻辑值 {b}"),
        Value::Number(n) => format!("数字 {n}"),
        Value::String(_) => format!("文本“{}”", excerpt(value)),
        Value::Array(_) => "列表".to_owned(),
        Value::Object(_) => "对象".to_owned(),
    }
}

/// A JSON Schema type name in Chinese words.
pub(super) fn type_name_zh(name: &str) -> &'static str {
    match name {
        "integer" => "整数",
        "number" => "数字",
        "string" => "加双引号的文本",
        "boolean" => "逻辑值 true/false",
        "array" => "列表 […]",
        "object" => "对象 {…}",
        "null" => "空值 null",
        _ => "其他类型",
    }
}

/// Several JSON Schema type names in Chinese, as [`type_names`] words them in English.
pub(super) fn type_names_zh(names: &[&str]) -> String {
    let has_other = names.iter().any(|n| *n != "null");
    let mut words: Vec<&str> = Vec::new();
    for name in names {
        let redundant =
            (has_other && *name == "null") || (*name == "integer" && names.contains(&"number"));
        let word = type_name_zh(name);
        if !redundant && !words.contains(&word) {
            words.push(word);
        }
    }
    join_or_zh(&words)
}

/// "甲", "甲或乙", "甲、乙或丙".
pub(super) fn join_or_zh(words: &[&str]) -> String {
    match words {
        [] => "一个值".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{}或{last}", init.join("、")),
    }
}

/// The allowed values of an enumeration for a Chinese message: each in quotes, with its
/// words (“leased”（租赁）) when one vocabulary domain holds them all (so that the words are
/// of the right domain), since the value itself is what must be written.
pub(super) fn allowed_list_zh(values: &[String]) -> String {
    let domain = crate::vocab::DOMAINS.iter().find(|(_, entries)| {
        values
            .iter()
            .all(|v| entries.iter().any(|(code, _, _)| code == v))
    });
    values
        .iter()
        .map(|v| {
            let words = domain
                .and_then(|(_, entries)| entries.iter().find(|(code, _, _)| code == v))
                .map(|(_, zh, _)| *zh);
            match words {
                Some(zh) => format!("“{v}”（{zh}）"),
                None => format!("“{v}”"),
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// A field name for a Chinese message: “as_of”（评价基准日）, or “name” when the vocabulary
/// has no words for it.
pub(super) fn field_zh(name: &str) -> String {
    match crate::vocab::field(name) {
        Some(words) => format!("“{name}”（{words}）"),
        None => format!("“{name}”"),
    }
}

/// Escapes one JSON pointer segment.
pub(super) fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_misspellings_only() {
        let fields = ["premises", "organizations", "staff"];
        assert_eq!(closest("premisses", fields), Some("premises"));
        assert_eq!(closest("organisations", fields), Some("organizations"));
        assert_eq!(closest("Staff", fields), Some("staff"));
        assert_eq!(closest("budget", fields), None);
    }

    #[test]
    fn type_names_read_naturally() {
        assert_eq!(type_names(&["integer", "null"]), "a whole number");
        assert_eq!(
            type_names(&["object", "string"]),
            "an object `{…}` or text in double quotes"
        );
        assert_eq!(type_names_zh(&["integer", "null"]), "整数");
        assert_eq!(
            type_names_zh(&["object", "string", "boolean"]),
            "对象 {…}、加双引号的文本或逻辑值 true/false"
        );
    }
}
