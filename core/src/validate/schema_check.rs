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
    allowed_list, closest, describe_found, excerpt, field_name, subject, type_name, type_names,
};

/// Validates `instance` against the profile schema; one or more drafts per schema failure.
pub(super) fn check(instance: &Value) -> Vec<Draft> {
    #[cfg(all(test, feature = "engine"))]
    if let Some(drafts) = super::agreement::oracle_check(instance) {
        return drafts;
    }
    match super::structure::compiled() {
        Ok(structure) => drafts_for(&structure.check(instance), structure.root()),
        Err(e) => vec![Draft::at(
            "",
            ProblemCode::Internal,
            format!("the built-in profile schema could not be compiled: {e}"),
        )],
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
                );
                draft.key = Some(name.clone());
                draft.suggestion = closest(name, allowed.iter().copied()).map(str::to_owned);
                out.push(draft);
            }
        }
        Kind::Required(name) => {
            let expected = failure
                .schema
                .and_then(|node| node.get("properties")?.get(name))
                .and_then(|prop| expected_types(root, prop))
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            out.push(Draft::at(
                pointer,
                ProblemCode::MissingField,
                format!("missing required field `{name}`{expected}"),
            ));
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
            let message = if *limit <= 1 {
                format!("{} must not be empty", subject(pointer))
            } else {
                format!(
                    "{} must be at least {limit} characters long",
                    subject(pointer)
                )
            };
            out.push(Draft::at(pointer, ProblemCode::TooShort, message));
        }
        Kind::Other(error) => out.push(Draft::at(
            pointer,
            ProblemCode::Schema,
            format!(
                "{} does not fit the profile schema: {error}",
                subject(pointer)
            ),
        )),
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
    );
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
    );
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
    let rule = match (min, max, xmin, xmax) {
        (Some(lo), Some(hi), _, _) => format!("between {lo} and {hi}"),
        (Some(lo), None, _, _) if lo == "0" => "zero or more".to_owned(),
        (Some(lo), None, _, _) => format!("at least {lo}"),
        (None, Some(hi), _, _) => format!("at most {hi}"),
        (_, _, Some(lo), _) => format!("more than {lo}"),
        (_, _, _, Some(hi)) => format!("less than {hi}"),
        _ => "within its allowed range".to_owned(),
    };
    let hint = match (field_name(pointer).as_deref(), rule.as_str()) {
        (Some("weekday"), _) => " (1 = Monday … 7 = Sunday)",
        (_, "between 0 and 1") => " (a share: write 90 % as 0.9)",
        _ => "",
    };
    Draft::at(
        pointer,
        ProblemCode::Range,
        format!(
            "{} must be {rule}{hint}, found `{}`",
            subject(pointer),
            number_text(instance)
        ),
    )
}

pub(super) fn date_message(pointer: &str, text: &str) -> String {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if shaped {
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

pub(super) fn instant_message(pointer: &str, text: &str) -> String {
    format!(
        "{} must be a date and time with its UTC offset (RFC 3339, e.g. `2026-06-30T09:15:00+08:00`), found `{}`",
        subject(pointer),
        excerpt(&Value::String(text.to_owned()))
    )
}

fn format_draft(pointer: &str, instance: &Value, format: &str) -> Draft {
    let text = instance.as_str().unwrap_or_default();
    let message = match format {
        "date" => date_message(pointer, text),
        "date-time" => instant_message(pointer, text),
        other => format!(
            "{} must be in the `{other}` format, found `{}`",
            subject(pointer),
            excerpt(instance)
        ),
    };
    Draft::at(pointer, ProblemCode::Format, message)
}

fn pattern_draft(pointer: &str, instance: &Value, pattern: &str) -> Draft {
    let found = excerpt(instance);
    let message = if pattern.contains("[0-5][0-9]") {
        let latest = if pattern.contains("24:00") {
            "24:00"
        } else {
            "23:59"
        };
        format!(
            "{} must be a time written `HH:MM` from 00:00 to {latest}, found `{found}`",
            subject(pointer)
        )
    } else if pattern.contains("{64}") {
        format!(
            "{} must be 64 lowercase hexadecimal characters (a SHA-256 digest), found `{found}`",
            subject(pointer)
        )
    } else if pattern.contains("[a-z0-9]+(-[a-z0-9]+)*") {
        format!(
            "{} must be a lowercase id of letters, digits and single hyphens such as `tech-innovation`, found `{found}`",
            subject(pointer)
        )
    } else {
        format!(
            "{} does not have the required form `{pattern}`, found `{found}`",
            subject(pointer)
        )
    };
    Draft::at(pointer, ProblemCode::Format, message)
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
