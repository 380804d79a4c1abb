//! Validation against the generated JSON Schema, with every failure put into clerk's words.
//!
//! The failures come from the compiled structural check (`structure.rs`); the words are the
//! same whichever validator found them (the agreement test feeds a general JSON Schema
//! validator's errors through them too).

use std::collections::HashSet;

use serde_json::Value;

use super::Draft;
use super::problem::ProblemCode;
use super::structure::{Failure, Kind};
use super::words::{
    allowed_list, allowed_list_zh, closest, describe_found, excerpt, field_name, field_zh,
    found_zh, subject, type_name, type_name_zh, type_names, type_names_zh,
};

/// Validates `instance` against the profile schema; one or more drafts per schema failure.
pub(super) fn check(instance: &Value) -> Vec<Draft> {
    #[cfg(all(test, feature = "engine"))]
    if let Some(drafts) = super::agreement::oracle_check(instance) {
        return drafts;
    }
    match super::structure::compiled() {
        Ok(structure) => drafts_for(&structure.check(instance), structure.root()),
        Err(e) => vec![
            Draft::at(
                "",
                ProblemCode::Internal,
                format!("the built-in profile schema could not be compiled: {e}"),
            )
            .zh(format!("内置的档案结构无法编译：{e}")),
        ],
    }
}

/// The drafts for the failures of one document against the schema `root`.
pub(super) fn drafts_for(failures: &[Failure<'_>], root: &Value) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for failure in failures {
        translate(failure, root, &mut drafts);
    }
    tidy(drafts)
}

/// Drops repeats, and the other complaints about a value whose type is already wrong.
fn tidy(drafts: Vec<Draft>) -> Vec<Draft> {
    let typed: HashSet<String> = drafts
        .iter()
        .filter(|d| d.code == ProblemCode::Type)
        .filter_map(|d| d.pointer.clone())
        .collect();
    let mut seen: HashSet<(Option<String>, ProblemCode, Option<String>, String)> = HashSet::new();
    drafts
        .into_iter()
        .filter(|d| {
            let pointer = d.pointer.as_deref().unwrap_or_default();
            (d.code == ProblemCode::Type || !typed.contains(pointer))
                && seen.insert((d.pointer.clone(), d.code, d.key.clone(), d.message.clone()))
        })
        .collect()
}

fn number_text(value: &Value) -> String {
    match value {
        Value::Number(n) => n.to_string(),
        other => excerpt(other),
    }
}

fn translate(failure: &Failure<'_>, root: &Value, out: &mut Vec<Draft>) {
    let pointer = failure.pointer.as_str();
    let instance: &Value = failure.instance;
    match &failure.kind {
        Kind::AdditionalProperties(unexpected) => {
            let allowed: Vec<&str> = failure
                .schema
                .and_then(|node| node.get("properties"))
                .and_then(Value::as_object)
                .map(|props| props.keys().map(String::as_str).collect())
                .unwrap_or_default();
            for name in unexpected {
                let mut draft = Draft::at(
                    pointer,
                    ProblemCode::UnknownField,
                    format!("unknown field `{name}`"),
                )
                .zh(format!("未知字段“{name}”"));
                draft.key = Some(name.clone());
                draft.suggestion = closest(name, allowed.iter().copied()).map(str::to_owned);
                out.push(draft);
            }
        }
        Kind::Required(name) => {
            let prop = failure
                .schema
                .and_then(|node| node.get("properties")?.get(name));
            let expected = prop
                .and_then(|prop| expected_types(root, prop))
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            let expected_zh = prop
                .and_then(|prop| expected_types_zh(root, prop))
                .map(|t| format!("，应为{t}"))
                .unwrap_or_default();
            out.push(
                Draft::at(
                    pointer,
                    ProblemCode::MissingField,
                    format!("missing required field `{name}`{expected}"),
                )
                .zh(format!("缺少必填字段{}{expected_zh}", field_zh(name))),
            );
        }
        Kind::Type(names) => {
            out.push(type_draft(pointer, instance, names));
        }
        Kind::Enum(options) => {
            let values: Vec<String> = options
                .as_array()
                .map(|a| a.iter().map(excerpt).collect())
                .unwrap_or_default();
            out.push(enum_draft(pointer, instance, &values));
        }
        Kind::Constant(expected_value) => {
            out.push(enum_draft(pointer, instance, &[excerpt(expected_value)]));
        }
        Kind::Alternatives(context) => {
            translate_alternatives(failure, context, root, out);
        }
        Kind::Range => {
            out.push(range_draft(pointer, instance, failure.schema));
        }
        Kind::Format(format) => {
            out.push(format_draft(pointer, instance, format));
        }
        Kind::Pattern(pattern) => {
            out.push(pattern_draft(pointer, instance, pattern));
        }
        Kind::MinLength(limit) => {
            let (zh, en) = if *limit <= 1 {
                (
                    "不得为空".to_owned(),
                    format!("{} must not be empty", subject(pointer)),
                )
            } else {
                (
                    format!("长度至少为 {limit} 个字符"),
                    format!(
                        "{} must be at least {limit} characters long",
                        subject(pointer)
                    ),
                )
            };
            out.push(Draft::at(pointer, ProblemCode::TooShort, en).zh(zh));
        }
        Kind::Other(error) => out.push(
            Draft::at(
                pointer,
                ProblemCode::Schema,
                format!(
                    "{} does not fit the profile schema: {error}",
                    subject(pointer)
                ),
            )
            .zh(format!("不符合档案结构：{error}")),
        ),
    }
}

/// The types a property schema accepts, in words, following one `$ref` or `anyOf`.
fn expected_types(root: &Value, prop: &Value) -> Option<String> {
    if let Some(reference) = prop.get("$ref").and_then(Value::as_str) {
        return expected_types(root, root.pointer(reference.strip_prefix('#')?)?);
    }
    if let Some(values) = enum_values(root, prop) {
        return Some(format!("one of {}", allowed_list(&values)));
    }
    match prop.get("type")? {
        Value::String(t) => Some(type_name(t).to_owned()),
        Value::Array(ts) => {
            let names: Vec<&str> = ts.iter().filter_map(Value::as_str).collect();
            Some(type_names(&names))
        }
        _ => None,
    }
}

/// [`expected_types`] in Chinese.
fn expected_types_zh(root: &Value, prop: &Value) -> Option<String> {
    if let Some(reference) = prop.get("$ref").and_then(Value::as_str) {
        return expected_types_zh(root, root.pointer(reference.strip_prefix('#')?)?);
    }
    if let Some(values) = enum_values(root, prop) {
        return Some(format!("以下之一：{}", allowed_list_zh(&values)));
    }
    match prop.get("type")? {
        Value::String(t) => Some(type_name_zh(t).to_owned()),
        Value::Array(ts) => {
            let names: Vec<&str> = ts.iter().filter_map(Value::as_str).collect();
            Some(type_names_zh(&names))
        }
        _ => None,
    }
}

/// The allowed values of an enumeration schema (`enum`, or `oneOf` of `const`s).
fn enum_values(root: &Value, node: &Value) -> Option<Vec<String>> {
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        return enum_values(root, root.pointer(reference.strip_prefix('#')?)?);
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        return Some(values.iter().map(excerpt).collect());
    }
    let branches = node.get("oneOf")?.as_array()?;
    branches
        .iter()
        .map(|b| b.get("const").map(excerpt))
        .collect::<Option<Vec<_>>>()
}

fn type_draft(pointer: &str, instance: &Value, expected: &[&str]) -> Draft {
    let wanted = type_names(expected);
    let found = match instance {
        Value::String(s) => format!("text `\"{}\"`", super::words::shorten(s)),
        other => describe_found(other),
    };
    let mut draft = Draft::at(
        pointer,
        ProblemCode::Type,
        format!("{} must be {wanted}, found {found}", subject(pointer)),
    )
    .zh(format!(
        "应为{}，实际为{}",
        type_names_zh(expected),
        found_zh(instance)
    ));
    // "12" where a number belongs: suggest writing it without quotes.
    if let Value::String(s) = instance {
        let wants_number = expected.iter().any(|t| *t == "number" || *t == "integer");
        if wants_number && s.trim().parse::<f64>().is_ok_and(f64::is_finite) {
            draft.suggestion = Some(s.trim().to_owned());
        }
        if expected.contains(&"boolean") && matches!(s.as_str(), "true" | "false") {
            draft.suggestion = Some(s.clone());
        }
    }
    draft
}

fn enum_draft(pointer: &str, instance: &Value, allowed: &[String]) -> Draft {
    let mut draft = Draft::at(
        pointer,
        ProblemCode::Enum,
        format!(
            "{} is not an allowed value for {}; allowed: {}",
            describe_found(instance),
            subject(pointer),
            allowed_list(allowed)
        ),
    )
    .zh(format!(
        "{}不是允许的取值；允许：{}",
        found_zh(instance),
        allowed_list_zh(allowed)
    ));
    if let Value::String(s) = instance {
        draft.suggestion = closest(s, allowed.iter().map(String::as_str))
            .or_else(|| from_chinese(s, allowed))
            .map(str::to_owned);
    }
    draft
}

/// The allowed value a Chinese name stands for, for the vocabularies that have Chinese
/// names (the cockpit indicators: 产业人口 → `population`).
fn from_chinese<'a>(text: &str, allowed: &'a [String]) -> Option<&'a str> {
    let value = crate::model::DashboardIndicator::from_zh(text)?;
    allowed
        .iter()
        .map(String::as_str)
        .find(|a| *a == value.as_str())
}

fn range_draft(pointer: &str, instance: &Value, node: Option<&Value>) -> Draft {
    let bound = |name: &str| node.and_then(|n| n.get(name)).map(number_text);
    let (min, max) = (bound("minimum"), bound("maximum"));
    let (xmin, xmax) = (bound("exclusiveMinimum"), bound("exclusiveMaximum"));
    let (rule_zh, rule) = match (min, max, xmin, xmax) {
        (Some(lo), Some(hi), _, _) => (
            format!("应在 {lo} 到 {hi} 之间"),
            format!("between {lo} and {hi}"),
        ),
        (Some(lo), None, _, _) if lo == "0" => ("不得小于 0".to_owned(), "zero or more".to_owned()),
        (Some(lo), None, _, _) => (format!("不得小于 {lo}"), format!("at least {lo}")),
        (None, Some(hi), _, _) => (format!("不得大于 {hi}"), format!("at most {hi}")),
        (_, _, Some(lo), _) => (format!("应大于 {lo}"), format!("more than {lo}")),
        (_, _, _, Some(hi)) => (format!("应小于 {hi}"), format!("less than {hi}")),
        _ => (
            "超出允许范围".to_owned(),
            "within its allowed range".to_owned(),
        ),
    };
    let (hint_zh, hint) = range_hint(pointer, &rule);
    Draft::at(
        pointer,
        ProblemCode::Range,
        format!(
            "{} must be {rule}{hint}, found `{}`",
            subject(pointer),
            number_text(instance)
        ),
    )
    .zh(format!(
        "{rule_zh}{hint_zh}，实际为 {}",
        number_text(instance)
    ))
}

/// What a range means for the values that need it said: (Chinese, English).
pub(super) fn range_hint(pointer: &str, rule: &str) -> (&'static str, &'static str) {
    match (field_name(pointer).as_deref(), rule) {
        (Some("weekday"), _) => ("（1 = 星期一 … 7 = 星期日）", " (1 = Monday … 7 = Sunday)"),
        (_, "between 0 and 1") => ("（比例：90% 写作 0.9）", " (a share: write 90 % as 0.9)"),
        _ => ("", ""),
    }
}

pub(super) fn date_message(pointer: &str, text: &str) -> String {
    if looks_like_date(text) {
        format!(
            "{} is `{}`, which is not a real calendar date",
            subject(pointer),
            excerpt(&Value::String(text.to_owned()))
        )
    } else {
        format!(
            "{} must be a date written `YYYY-MM-DD` (e.g. `2026-06-30`), found `{}`",
            subject(pointer),
            excerpt(&Value::String(text.to_owned()))
        )
    }
}

/// [`date_message`] in Chinese (the place is named apart).
pub(super) fn date_message_zh(text: &str) -> String {
    let shown = excerpt(&Value::String(text.to_owned()));
    if looks_like_date(text) {
        format!("“{shown}”不是真实存在的日期")
    } else {
        format!("应为 YYYY-MM-DD 格式的日期（如 2026-06-30），实际为“{shown}”")
    }
}

/// Whether `text` has the shape `YYYY-MM-DD` (whether or not the date exists).
fn looks_like_date(text: &str) -> bool {
    text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// [`instant_message`] in Chinese.
pub(super) fn instant_message_zh(text: &str) -> String {
    format!(
        "应为带时区偏移的日期时间（RFC 3339，如 2026-06-30T09:15:00+08:00），实际为“{}”",
        excerpt(&Value::String(text.to_owned()))
    )
}

pub(super) fn instant_message(pointer: &str, text: &str) -> String {
    format!(
        "{} must be a date and time with its UTC offset (RFC 3339, e.g. `2026-06-30T09:15:00+08:00`), found `{}`",
        subject(pointer),
        excerpt(&Value::String(text.to_owned()))
    )
}

fn format_draft(pointer: &str, instance: &Value, format: &str) -> Draft {
    let text = instance.as_str().unwrap_or_default();
    let (zh, en) = match format {
        "date" => (date_message_zh(text), date_message(pointer, text)),
        "date-time" => (instant_message_zh(text), instant_message(pointer, text)),
        other => (
            format!("应为 {other} 格式，实际为“{}”", excerpt(instance)),
            format!(
                "{} must be in the `{other}` format, found `{}`",
                subject(pointer),
                excerpt(instance)
            ),
        ),
    };
    Draft::at(pointer, ProblemCode::Format, en).zh(zh)
}

fn pattern_draft(pointer: &str, instance: &Value, pattern: &str) -> Draft {
    let found = excerpt(instance);
    let (zh, en) = if pattern.contains("[0-5][0-9]") {
        let latest = if pattern.contains("24:00") {
            "24:00"
        } else {
            "23:59"
        };
        (
            time_message_zh(latest, &found),
            format!(
                "{} must be a time written `HH:MM` from 00:00 to {latest}, found `{found}`",
                subject(pointer)
            ),
        )
    } else if pattern.contains("{64}") {
        (
            format!("应为 64 位小写十六进制字符（SHA-256 摘要），实际为“{found}”"),
            format!(
                "{} must be 64 lowercase hexadecimal characters (a SHA-256 digest), found `{found}`",
                subject(pointer)
            ),
        )
    } else if pattern.contains("[a-z0-9]+(-[a-z0-9]+)*") {
        (
            format!(
                "应为由小写字母、数字和单个连字符组成的编号（如 tech-innovation），实际为“{found}”"
            ),
            format!(
                "{} must be a lowercase id of letters, digits and single hyphens such as `tech-innovation`, found `{found}`",
                subject(pointer)
            ),
        )
    } else {
        (
            format!("不符合要求的格式 {pattern}，实际为“{found}”"),
            format!(
                "{} does not have the required form `{pattern}`, found `{found}`",
                subject(pointer)
            ),
        )
    };
    Draft::at(pointer, ProblemCode::Format, en).zh(zh)
}

/// A time that is not `HH:MM`, in Chinese.
pub(super) fn time_message_zh(latest: &str, found: &str) -> String {
    format!("应为 HH:MM 格式的时间（00:00 至 {latest}），实际为“{found}”")
}

/// Whether every failure of a branch at `path` says the value has the wrong type for it.
fn wrong_type(failures: &[Failure<'_>], path: &str) -> bool {
    failures.iter().any(|f| {
        f.pointer == path
            && match &f.kind {
                Kind::Type(_) => true,
                Kind::Alternatives(context) => {
                    !context.is_empty() && context.iter().all(|b| wrong_type(b, path))
                }
                _ => false,
            }
    })
}

/// The types the branches of an `anyOf`/`oneOf` would accept at `path`.
fn branch_types(failures: &[Failure<'_>], path: &str, into: &mut Vec<&'static str>) {
    for f in failures.iter().filter(|f| f.pointer == path) {
        match &f.kind {
            Kind::Type(names) => {
                for t in names {
                    if !into.contains(t) {
                        into.push(t);
                    }
                }
            }
            Kind::Alternatives(context) => {
                for branch in context {
                    branch_types(branch, path, into);
                }
            }
            _ => {}
        }
    }
}

/// The `const` values the branches expect at `path`, when every branch is a constant.
fn branch_constants(context: &[Vec<Failure<'_>>], path: &str) -> Option<Vec<String>> {
    let mut values = Vec::new();
    for branch in context {
        let mut found = false;
        for f in branch.iter().filter(|f| f.pointer == path) {
            match &f.kind {
                Kind::Constant(expected_value) => {
                    values.push(excerpt(expected_value));
                    found = true;
                }
                Kind::Enum(options) => {
                    values.extend(options.as_array().into_iter().flatten().map(excerpt));
                    found = true;
                }
                Kind::Alternatives(context) => {
                    if let Some(inner) = branch_constants(context, path) {
                        values.extend(inner);
                        found = true;
                    }
                }
                _ => {}
            }
        }
        if !found && !wrong_type(branch, path) {
            return None;
        }
    }
    (!values.is_empty()).then_some(values)
}

fn translate_alternatives(
    failure: &Failure<'_>,
    context: &[Vec<Failure<'_>>],
    root: &Value,
    out: &mut Vec<Draft>,
) {
    let path = failure.pointer.as_str();
    let instance: &Value = failure.instance;
    let candidates: Vec<&Vec<Failure<'_>>> =
        context.iter().filter(|b| !wrong_type(b, path)).collect();
    // An enumeration (or an optional one): name the allowed values.
    if let Some(values) = branch_constants(context, path) {
        let mut types = Vec::new();
        for branch in context {
            branch_types(branch, path, &mut types);
        }
        if candidates.is_empty() {
            let mut draft = type_draft(path, instance, &types);
            draft.message = format!("{}; allowed: {}", draft.message, allowed_list(&values));
            draft.zh = draft
                .zh
                .map(|zh| format!("{zh}；允许：{}", allowed_list_zh(&values)));
            out.push(draft);
        } else {
            out.push(enum_draft(path, instance, &values));
        }
        return;
    }
    match candidates.as_slice() {
        [] => {
            let mut types = Vec::new();
            for branch in context {
                branch_types(branch, path, &mut types);
            }
            out.push(type_draft(path, instance, &types));
        }
        several => {
            // Follow the branch the value came closest to: the one with the fewest errors.
            if let Some(best) = several.iter().min_by_key(|b| b.len()) {
                for f in best.iter() {
                    translate(f, root, out);
                }
            }
        }
    }
}
