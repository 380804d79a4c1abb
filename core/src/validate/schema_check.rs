//! Validation against the generated JSON Schema, with every error put into clerk's words.

use std::collections::HashSet;
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use super::Draft;
use super::problem::ProblemCode;
use super::words::{
    allowed_list, allowed_list_zh, closest, describe_found, excerpt, field_name, field_zh,
    found_zh, subject, type_name, type_name_zh, type_names, type_names_zh,
};

/// The profile schema and its compiled validator, built once per process.
struct Compiled {
    schema: Value,
    validator: Validator,
}

fn compiled() -> Result<&'static Compiled, &'static str> {
    static COMPILED: OnceLock<Result<Compiled, String>> = OnceLock::new();
    COMPILED
        .get_or_init(|| {
            let schema = crate::profile_schema();
            jsonschema::options()
                .should_validate_formats(true)
                .should_ignore_unknown_formats(true)
                .build(&schema)
                .map(|validator| Compiled { schema, validator })
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(String::as_str)
}

/// Validates `instance` against the profile schema; one or more drafts per schema error.
pub(super) fn check(instance: &Value) -> Vec<Draft> {
    let compiled = match compiled() {
        Ok(c) => c,
        Err(e) => {
            return vec![
                Draft::at(
                    "",
                    ProblemCode::Internal,
                    format!("the built-in profile schema could not be compiled: {e}"),
                )
                .zh(format!("内置的档案结构无法编译：{e}")),
            ];
        }
    };
    let mut drafts = Vec::new();
    for error in compiled.validator.iter_errors(instance) {
        translate(&error, &compiled.schema, &mut drafts);
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

/// The schema node at a keyword location, following `$ref` segments of evaluation paths.
fn schema_node<'s>(root: &'s Value, path: &str) -> Option<&'s Value> {
    let mut node = root;
    for raw in path.split('/').skip(1) {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        if segment == "$ref" {
            let reference = node.get("$ref")?.as_str()?;
            node = root.pointer(reference.strip_prefix('#')?)?;
            continue;
        }
        node = match node {
            Value::Object(map) => map.get(&segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The node holding the keyword that failed (the keyword location without its last segment).
fn parent_node<'s>(root: &'s Value, error: &ValidationError<'_>) -> Option<&'s Value> {
    let parent = |path: &str| -> Option<String> { path.rsplit_once('/').map(|(p, _)| p.into()) };
    let canonical = parent(error.schema_path().as_str())?;
    schema_node(root, &canonical).or_else(|| {
        let dynamic = parent(error.evaluation_path().as_str())?;
        schema_node(root, &dynamic)
    })
}

fn type_kind_names(kind: &TypeKind) -> Vec<&'static str> {
    match kind {
        TypeKind::Single(t) => vec![t.as_str()],
        TypeKind::Multiple(set) => set.iter().map(jsonschema::JsonType::as_str).collect(),
    }
}

fn number_text(value: &Value) -> String {
    match value {
        Value::Number(n) => n.to_string(),
        other => excerpt(other),
    }
}

fn translate(error: &ValidationError<'_>, root: &Value, out: &mut Vec<Draft>) {
    let pointer = error.instance_path().as_str().to_owned();
    let instance: &Value = error.instance();
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let allowed: Vec<&str> = parent_node(root, error)
                .and_then(|node| node.get("properties"))
                .and_then(Value::as_object)
                .map(|props| props.keys().map(String::as_str).collect())
                .unwrap_or_default();
            for name in unexpected {
                let mut draft = Draft::at(
                    &pointer,
                    ProblemCode::UnknownField,
                    format!("unknown field `{name}`"),
                )
                .zh(format!("未知字段“{name}”"));
                draft.key = Some(name.clone());
                draft.suggestion = closest(name, allowed.iter().copied()).map(str::to_owned);
                out.push(draft);
            }
        }
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned);
            let prop = parent_node(root, error).and_then(|node| node.get("properties")?.get(&name));
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
                    &pointer,
                    ProblemCode::MissingField,
                    format!("missing required field `{name}`{expected}"),
                )
                .zh(format!("缺少必填字段{}{expected_zh}", field_zh(&name))),
            );
        }
        ValidationErrorKind::Type { kind } => {
            out.push(type_draft(&pointer, instance, &type_kind_names(kind)));
        }
        ValidationErrorKind::Enum { options } => {
            let values: Vec<String> = options
                .as_array()
                .map(|a| a.iter().map(excerpt).collect())
                .unwrap_or_default();
            out.push(enum_draft(&pointer, instance, &values));
        }
        ValidationErrorKind::Constant { expected_value } => {
            out.push(enum_draft(&pointer, instance, &[excerpt(expected_value)]));
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            translate_alternatives(error, context, root, out);
        }
        ValidationErrorKind::Minimum { .. }
        | ValidationErrorKind::Maximum { .. }
        | ValidationErrorKind::ExclusiveMinimum { .. }
        | ValidationErrorKind::ExclusiveMaximum { .. } => {
            out.push(range_draft(&pointer, instance, parent_node(root, error)));
        }
        ValidationErrorKind::Format { format } => {
            out.push(format_draft(&pointer, instance, format));
        }
        ValidationErrorKind::Pattern { pattern } => {
            out.push(pattern_draft(&pointer, instance, pattern));
        }
        ValidationErrorKind::MinLength { limit } => {
            let (zh, en) = if *limit <= 1 {
                (
                    "不得为空".to_owned(),
                    format!("{} must not be empty", subject(&pointer)),
                )
            } else {
                (
                    format!("长度至少为 {limit} 个字符"),
                    format!(
                        "{} must be at least {limit} characters long",
                        subject(&pointer)
                    ),
                )
            };
            out.push(Draft::at(&pointer, ProblemCode::TooShort, en).zh(zh));
        }
        _ => out.push(
            Draft::at(
                &pointer,
                ProblemCode::Schema,
                format!(
                    "{} does not fit the profile schema: {error}",
                    subject(&pointer)
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

/// Whether every error of a branch at `path` says the value has the wrong type for it.
fn wrong_type(errors: &[ValidationError<'static>], path: &str) -> bool {
    errors.iter().any(|e| {
        e.instance_path().as_str() == path
            && match e.kind() {
                ValidationErrorKind::Type { .. } => true,
                ValidationErrorKind::AnyOf { context }
                | ValidationErrorKind::OneOfNotValid { context } => {
                    !context.is_empty() && context.iter().all(|b| wrong_type(b, path))
                }
                _ => false,
            }
    })
}

/// The types the branches of an `anyOf`/`oneOf` would accept at `path`.
fn branch_types(errors: &[ValidationError<'static>], path: &str, into: &mut Vec<&'static str>) {
    for e in errors.iter().filter(|e| e.instance_path().as_str() == path) {
        match e.kind() {
            ValidationErrorKind::Type { kind } => {
                for t in type_kind_names(kind) {
                    if !into.contains(&t) {
                        into.push(t);
                    }
                }
            }
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                for branch in context {
                    branch_types(branch, path, into);
                }
            }
            _ => {}
        }
    }
}

/// The `const` values the branches expect at `path`, when every branch is a constant.
fn branch_constants(context: &[Vec<ValidationError<'static>>], path: &str) -> Option<Vec<String>> {
    let mut values = Vec::new();
    for branch in context {
        let mut found = false;
        for e in branch.iter().filter(|e| e.instance_path().as_str() == path) {
            match e.kind() {
                ValidationErrorKind::Constant { expected_value } => {
                    values.push(excerpt(expected_value));
                    found = true;
                }
                ValidationErrorKind::Enum { options } => {
                    values.extend(options.as_array().into_iter().flatten().map(excerpt));
                    found = true;
                }
                ValidationErrorKind::AnyOf { context }
                | ValidationErrorKind::OneOfNotValid { context } => {
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
    error: &ValidationError<'_>,
    context: &[Vec<ValidationError<'static>>],
    root: &Value,
    out: &mut Vec<Draft>,
) {
    let path = error.instance_path().as_str();
    let instance: &Value = error.instance();
    let candidates: Vec<&Vec<ValidationError<'static>>> =
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
                for e in best.iter() {
                    translate(e, root, out);
                }
            }
        }
    }
}
