//! The agreement test: the run-time structural check (`structure.rs`) and a general JSON
//! Schema validator (the `jsonschema` crate, a dev-dependency) must find the same failures,
//! and so give the same problems — pointer, code, line:col, message, suggestion — over a
//! corpus of every example, every validation and fuzz fixture, every pack test case (on its
//! own and patched onto its base) and seeded mutations of the examples.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::cell::Cell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use super::Draft;
use super::schema_check::drafts_for;
use super::structure::{Failure, Kind, compiled};
use crate::test_rng::Rng;
use crate::{ReadOptions, validate};

thread_local! {
    /// Whether `schema_check::check` asks the reference validator on this thread.
    static ORACLE: Cell<bool> = const { Cell::new(false) };
}

/// The drafts of the reference validator, when a test has switched it on for this thread.
pub(super) fn oracle_check(instance: &Value) -> Option<Vec<Draft>> {
    ORACLE
        .get()
        .then(|| with_failures(instance, |failures| drafts_for(failures, root())))
}

/// Runs `f` with the reference validator in place of the structural check.
fn with_oracle<T>(f: impl FnOnce() -> T) -> T {
    ORACLE.set(true);
    let out = f();
    ORACLE.set(false);
    out
}

/// The schema both validators read (the very same value, so schema nodes compare by address).
fn root() -> &'static Value {
    compiled().unwrap().root()
}

fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::options()
            .should_validate_formats(true)
            .should_ignore_unknown_formats(true)
            .build(root())
            .unwrap()
    })
}

/// The reference validator's errors as failures, handed to `f`.
fn with_failures<T>(instance: &Value, f: impl FnOnce(&[Failure<'_>]) -> T) -> T {
    let errors: Vec<ValidationError<'_>> = validator().iter_errors(instance).collect();
    let failures: Vec<Failure<'_>> = errors.iter().map(failure).collect();
    f(&failures)
}

fn failure<'e>(error: &'e ValidationError<'_>) -> Failure<'e> {
    let kind = match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            Kind::AdditionalProperties(unexpected.clone())
        }
        ValidationErrorKind::Required { property } => Kind::Required(
            property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned),
        ),
        ValidationErrorKind::Type { kind } => Kind::Type(match kind {
            TypeKind::Single(t) => vec![t.as_str()],
            TypeKind::Multiple(set) => set.iter().map(jsonschema::JsonType::as_str).collect(),
        }),
        ValidationErrorKind::Enum { options } => Kind::Enum(options),
        ValidationErrorKind::Constant { expected_value } => Kind::Constant(expected_value),
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            Kind::Alternatives(
                context
                    .iter()
                    .map(|branch| branch.iter().map(failure).collect())
                    .collect(),
            )
        }
        ValidationErrorKind::Minimum { .. }
        | ValidationErrorKind::Maximum { .. }
        | ValidationErrorKind::ExclusiveMinimum { .. }
        | ValidationErrorKind::ExclusiveMaximum { .. } => Kind::Range,
        ValidationErrorKind::Format { format } => Kind::Format(format),
        ValidationErrorKind::Pattern { pattern } => Kind::Pattern(pattern),
        ValidationErrorKind::MinLength { limit } => Kind::MinLength(*limit),
        _ => Kind::Other(error.to_string()),
    };
    Failure {
        pointer: error.instance_path().as_str().to_owned(),
        instance: error.instance(),
        schema: parent_node(error),
        kind,
    }
}

/// The schema node at a keyword location, following `$ref` segments of evaluation paths.
fn schema_node(path: &str) -> Option<&'static Value> {
    let root = root();
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
fn parent_node(error: &ValidationError<'_>) -> Option<&'static Value> {
    let parent = |path: &str| -> Option<String> { path.rsplit_once('/').map(|(p, _)| p.into()) };
    let canonical = parent(error.schema_path().as_str())?;
    schema_node(&canonical).or_else(|| schema_node(&parent(error.evaluation_path().as_str())?))
}

/// A failure tree in words: pointer, kind, and the schema node where the translation reads it.
fn outline(failures: &[Failure<'_>], depth: usize, out: &mut Vec<String>) {
    for f in failures {
        let reads_schema = matches!(
            f.kind,
            Kind::AdditionalProperties(_) | Kind::Required(_) | Kind::Range
        );
        let node = f
            .schema
            .filter(|_| reads_schema)
            .map(|n| format!(" @{:p}", std::ptr::from_ref(n)));
        let kind = match &f.kind {
            Kind::Alternatives(context) => {
                out.push(format!("{depth} {} alternatives", f.pointer));
                for branch in context {
                    out.push(format!("{depth} branch"));
                    outline(branch, depth + 1, out);
                }
                continue;
            }
            Kind::Enum(v) | Kind::Constant(v) => {
                format!("{:?} {v}", std::mem::discriminant(&f.kind))
            }
            other => format!("{other:?}"),
        };
        out.push(format!(
            "{depth} {} {} {kind}{}",
            f.pointer,
            f.instance,
            node.unwrap_or_default()
        ));
    }
}

/// Both validators on one document: the same failures, the same drafts. The kinds of the
/// failures found go into `seen`.
fn agree_on_value(name: &str, doc: &Value, seen: &mut BTreeSet<String>) {
    let structure = compiled().unwrap();
    let ours = structure.check(doc);
    let mut mine = Vec::new();
    outline(&ours, 0, &mut mine);
    let mut theirs = Vec::new();
    with_failures(doc, |failures| outline(failures, 0, &mut theirs));
    assert_eq!(mine, theirs, "{name}: the failures differ");
    let drafts = |d: Vec<Draft>| -> Vec<String> {
        d.iter()
            .map(|d| {
                format!(
                    "{:?} {:?} {:?} {} {:?}",
                    d.pointer, d.code, d.key, d.message, d.suggestion
                )
            })
            .collect()
    };
    let ours = drafts_for(&ours, root());
    seen.extend(ours.iter().map(|d| d.code.to_string()));
    assert_eq!(
        drafts(ours),
        drafts(oracle_check_on(doc)),
        "{name}: the drafts differ"
    );
}

fn oracle_check_on(doc: &Value) -> Vec<Draft> {
    with_oracle(|| oracle_check(doc)).unwrap()
}

/// Both validators through the whole of `validate`: the same problems, the same reading.
fn agree_on_bytes(name: &str, bytes: &[u8], seen: &mut BTreeSet<String>) {
    let opts = ReadOptions::default();
    let ours = validate(name, bytes, &opts);
    let theirs = with_oracle(|| validate(name, bytes, &opts));
    assert_eq!(
        ours.problems, theirs.problems,
        "{name}: the problems differ"
    );
    assert_eq!(ours.profile.is_some(), theirs.profile.is_some(), "{name}");
    if let Ok(doc) = serde_json::from_slice::<Value>(bytes) {
        agree_on_value(name, &doc, seen);
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn corpus(dirs: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for dir in dirs {
        json_files(&workspace().join(dir), &mut files);
    }
    files.sort();
    assert!(!files.is_empty(), "no corpus under {dirs:?}");
    files
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

/// The problem codes a corpus must have drawn from the schema, so that agreeing means
/// something.
fn assert_seen(seen: &BTreeSet<String>, codes: &[&str]) {
    for code in codes {
        assert!(seen.contains(*code), "no `{code}` in the corpus: {seen:?}");
    }
}

#[test]
fn examples_and_fixtures_agree() {
    let files = corpus(&["examples", "core/tests/fixtures", "tests/fixtures"]);
    assert!(files.len() > 60, "{}", files.len());
    let mut seen = BTreeSet::new();
    for (name, bytes) in &files {
        agree_on_bytes(name, bytes, &mut seen);
    }
    assert_seen(
        &seen,
        &[
            "type",
            "enum",
            "unknown-field",
            "missing-field",
            "range",
            "format",
        ],
    );
}

#[test]
fn pack_test_cases_agree() {
    let files = corpus(&["policies"]);
    assert!(files.len() > 500, "{}", files.len());
    let (mut seen, mut patched) = (BTreeSet::new(), 0);
    for (name, bytes) in &files {
        let Ok(case) = serde_json::from_slice::<Value>(bytes) else {
            continue;
        };
        agree_on_value(name, &case, &mut seen);
        // A case with a merge patch: the profile it describes, patched onto its base.
        let (Some(base), Some(patch)) = (case["base"].as_str(), case.get("patch")) else {
            continue;
        };
        let Ok(base) = std::fs::read(Path::new(name).parent().unwrap().join(base)) else {
            continue;
        };
        let mut doc: Value = serde_json::from_slice(&base).unwrap();
        if patch.is_object() {
            crate::model::merge_patch(&mut doc, patch);
            agree_on_value(name, &doc, &mut seen);
            patched += 1;
        }
    }
    assert!(patched > 300, "{patched}");
    assert_seen(
        &seen,
        &[
            "enum",
            "unknown-field",
            "missing-field",
            "format",
            "too-short",
        ],
    );
}

/// Values that sit on the schema's edges: wrong types, bounds, formats, patterns, near-misses.
fn edge_value(rng: &mut Rng) -> Value {
    let long = "a".repeat(64);
    let edges = [
        serde_json::json!(null),
        serde_json::json!(true),
        serde_json::json!(-1),
        serde_json::json!(0),
        serde_json::json!(1),
        serde_json::json!(1.5),
        serde_json::json!(3.0),
        serde_json::json!(8),
        serde_json::json!(101),
        serde_json::json!(u64::MAX),
        serde_json::json!(i64::MIN),
        serde_json::json!(1e300),
        serde_json::json!(""),
        serde_json::json!("12"),
        serde_json::json!("true"),
        serde_json::json!("2026-02-30"),
        serde_json::json!("2024-02-29"),
        serde_json::json!("2026-6-30"),
        serde_json::json!("2026-06-30T09:15:00"),
        serde_json::json!("2026-06-30T23:59:60+08:00"),
        serde_json::json!("24:00"),
        serde_json::json!("23:60"),
        serde_json::json!("Tech-Innovation"),
        serde_json::json!("tech--innovation"),
        serde_json::json!("leesed"),
        serde_json::json!("产业人口"),
        serde_json::json!("grid-chief"),
        serde_json::json!("on-demand"),
        serde_json::json!(long),
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!({"count": 2, "per": "month"}),
        serde_json::json!({"count": "2", "per": "fortnight"}),
    ];
    edges[rng.below(edges.len())].clone()
}

fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    out.push(at.to_owned());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, &format!("{at}/{}", super::words::escape_segment(k)), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// One change at a random place: delete, rename, replace by an edge value or another
/// place's value, wrap, or nudge a string or a number.
fn mutate(doc: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    pointers(doc, "", &mut all);
    let target = all[rng.below(all.len())].clone();
    let donor = doc.pointer(&all[rng.below(all.len())]).cloned().unwrap();
    let Some((parent, key)) = target.rsplit_once('/') else {
        return;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    let op = rng.below(7);
    if let (0 | 1, Some(Value::Object(map))) = (op, doc.pointer_mut(parent)) {
        let old = map.remove(&key).unwrap();
        if op == 1 {
            map.insert(format!("{key}s"), old);
        }
        return;
    }
    let slot = doc.pointer_mut(&target).unwrap();
    *slot = match (op, slot.take()) {
        (2 | 3, _) => edge_value(rng),
        (4, _) => donor,
        (5, old) => serde_json::json!([old]),
        (_, Value::String(s)) => Value::String(match rng.below(3) {
            0 => s.to_uppercase(),
            1 => s.chars().skip(1).collect(),
            _ => format!("{s} "),
        }),
        (_, Value::Number(n)) => serde_json::json!(-(n.as_f64().unwrap()) - 0.5),
        (_, old) => serde_json::json!({ "value": old }),
    };
}

#[test]
fn mutated_examples_agree() {
    let examples: Vec<(String, Value)> = corpus(&["examples/profiles"])
        .into_iter()
        .map(|(name, bytes)| (name, serde_json::from_slice(&bytes).unwrap()))
        .collect();
    let mut rng = Rng(0x1C65_2026);
    let mut seen = BTreeSet::new();
    for round in 0..1_000 {
        let (name, seed) = &examples[round % examples.len()];
        let mut doc = seed.clone();
        for _ in 0..1 + rng.below(4) {
            mutate(&mut doc, &mut rng);
        }
        agree_on_value(&format!("{name} mutation {round}"), &doc, &mut seen);
    }
    assert_seen(
        &seen,
        &[
            "type",
            "enum",
            "unknown-field",
            "missing-field",
            "range",
            "format",
        ],
    );
}

/// The typed model read from the parsed document (what validation does when no value was
/// taken out and no object repeats a key) equals the model read from the text, and fails
/// where that fails, over the corpus and 1,000 mutations of the examples.
#[test]
fn reading_the_parsed_document_agrees_with_reading_the_text() {
    use crate::model::CommunityProfile;
    let mut documents: Vec<(String, String)> = corpus(&[
        "examples",
        "core/tests/fixtures",
        "tests/fixtures",
        "policies",
    ])
    .into_iter()
    .filter_map(|(name, bytes)| Some((name, String::from_utf8(bytes).ok()?)))
    .collect();
    let examples: Vec<(String, Value)> = corpus(&["examples/profiles"])
        .into_iter()
        .map(|(name, bytes)| (name, serde_json::from_slice(&bytes).unwrap()))
        .collect();
    let mut rng = Rng(0x2026_1207);
    for round in 0..1_000 {
        let (name, seed) = &examples[round % examples.len()];
        let mut doc = seed.clone();
        for _ in 0..1 + rng.below(4) {
            mutate(&mut doc, &mut rng);
        }
        documents.push((format!("{name} mutation {round}"), doc.to_string()));
    }
    let (mut read, mut refused) = (0, 0);
    for (name, text) in &documents {
        let Ok(parsed) = super::parse::parse(text) else {
            continue;
        };
        assert!(!parsed.repeated_key, "{name}");
        let from_text = serde_json::from_str::<CommunityProfile>(text);
        match (
            from_text,
            serde_json::from_value::<CommunityProfile>(parsed.value),
        ) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{name}");
                read += 1;
            }
            (Err(_), Err(_)) => refused += 1,
            (a, b) => panic!(
                "{name}: from the text {:?}, from the document {:?}",
                a.err(),
                b.err()
            ),
        }
    }
    assert!(
        read > 150 && refused > 1_000,
        "{read} read, {refused} refused"
    );
}

/// A repeated field is refused as the typed reading of the text refuses it (the parsed
/// document kept only the last), and a repeated key in `extensions` is read as before.
#[test]
fn a_repeated_key_is_read_from_the_text() {
    use super::ProblemCode;
    let example = std::fs::read_to_string(
        workspace().join("examples/profiles/binjiang-tech-innovation.json"),
    )
    .unwrap();
    let repeated = example.replacen('{', r#"{"name": "另一个名称","#, 1);
    let v = validate("p.json", repeated.as_bytes(), &ReadOptions::default());
    assert!(v.profile.is_none());
    let problem = v
        .problems
        .iter()
        .find(|p| p.code() == ProblemCode::DuplicateField)
        .unwrap();
    assert!(problem.to_string().starts_with("p.json:"), "{problem}");

    let in_extensions = example.replacen('{', r#"{"extensions": {"x-note": 1, "x-note": 2},"#, 1);
    let v = validate("p.json", in_extensions.as_bytes(), &ReadOptions::default());
    let profile = v.profile.unwrap();
    assert_eq!(profile.extensions.get("x-note"), Some(&Value::from(2)));
}
