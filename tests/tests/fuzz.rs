//! Mutation fuzzing on stable Rust, inside `cargo test`: structure-aware mutations of the
//! example profiles, waiver files, the packs' manifests, rule scripts (their `RULE` literal
//! and code) and clause lists, and plugin manifests. Every input must give a value or a typed
//! error: no panic, no hang, and a report that serialises.
//!
//! Each input comes from a seed and an iteration number, so a failure names what reproduces
//! it; the failing input is also written to `target/fuzz-failures/`. A fixed crash is kept
//! under `tests/fixtures/fuzz/<target>/`, which `replay_regressions` reads on every run.
//!
//! Bounded run (a few seconds per target in a debug build): `cargo test --workspace --test
//! fuzz`. Long run: `ICGS_FUZZ_ITERS=1000000 cargo test --workspace --release --test fuzz`
//! (`ICGS_FUZZ_SEED` starts elsewhere; `ICGS_FUZZ_SECS` caps each target's time, default 4 s,
//! or none when `ICGS_FUZZ_ITERS` is set).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, mpsc};
use std::time::{Duration, Instant};

use icgs::{Engine, EvalOptions, ReadOptions, WaiverSet};
use serde_json::Value;

/// Splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Texts that have broken readers before: invisible, reordered, decomposed, control, huge.
fn odd_strings() -> Vec<String> {
    vec![
        String::new(),
        " ".into(),
        "\u{200b}".into(),
        "区民政局\u{200b}".into(),
        "e\u{301}".into(),
        "\u{202e}cba".into(),
        "\u{0}".into(),
        "\u{feff}x".into(),
        "𝟘𝟙".into(),
        "2026-02-30".into(),
        "24:00".into(),
        "25:61".into(),
        "9999-12-31".into(),
        "0000-00-00".into(),
        "2026-06-30T09:15:00+99:00".into(),
        "=1+1".into(),
        "<script>".into(),
        "../../../etc/passwd".into(),
        "{observed}".into(),
        "x".repeat(70_000),
    ]
}

/// Number tokens a JSON value cannot hold, spliced into the text in place of a marker.
const RAW_NUMBERS: &[&str] = &[
    "1e400",
    "-1e400",
    "1e-400",
    "1499.99999999999999999",
    "18446744073709551616",
    "-9223372036854775809",
    "0.1e99999999999999999999",
    "-0",
    "1E+2",
    "123456789012345678901234567890",
];

fn raw_marker(i: usize) -> String {
    format!("@@raw{i}@@")
}

fn scalar(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => serde_json::json!(-1),
        3 => serde_json::json!(0),
        4 => serde_json::json!(1.5),
        5 => serde_json::json!(u64::MAX),
        6 => serde_json::json!(i64::MIN),
        7 => serde_json::json!(f64::MAX),
        8 => Value::String(raw_marker(rng.below(RAW_NUMBERS.len()))),
        _ => Value::String(rng.pick(&odd_strings()).clone()),
    }
}

/// Every JSON pointer in `value`, the root first.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = k.replace('~', "~0").replace('/', "~1");
                pointers(v, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn parent_and_key(pointer: &str) -> Option<(&str, String)> {
    let (parent, key) = pointer.rsplit_once('/')?;
    Some((parent, key.replace("~1", "/").replace("~0", "~")))
}

/// One structure-aware change: delete, duplicate, retype, nest, or borrow another field's
/// value.
fn mutate_json(doc: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let target = rng.pick(&all).clone();
    let donor_at = rng.pick(&all).clone();
    let donor = doc.pointer(&donor_at).cloned().unwrap_or(Value::Null);
    let op = rng.below(7);
    if op == 0 || op == 1 {
        let Some((parent, key)) = parent_and_key(&target) else {
            return;
        };
        let Some(container) = doc.pointer_mut(parent) else {
            return;
        };
        match (container, op) {
            (Value::Object(map), 0) => {
                map.remove(&key);
            }
            (Value::Object(map), _) => {
                let copy = map.get(&key).cloned().unwrap_or(Value::Null);
                map.insert(format!("{key}_"), copy);
            }
            (Value::Array(items), 0) => {
                if let Ok(i) = key.parse::<usize>()
                    && i < items.len()
                {
                    items.remove(i);
                }
            }
            (Value::Array(items), _) => {
                if let Ok(i) = key.parse::<usize>()
                    && let Some(v) = items.get(i).cloned()
                {
                    // Many copies: same ids, long lists.
                    for _ in 0..1 + rng.below(50) {
                        items.push(v.clone());
                    }
                }
            }
            _ => {}
        }
        return;
    }
    let Some(slot) = doc.pointer_mut(&target) else {
        return;
    };
    *slot = match op {
        2 | 3 => scalar(rng),
        4 => {
            let mut v = slot.take();
            for _ in 0..1 + rng.below(200) {
                v = Value::Array(vec![v]);
            }
            v
        }
        5 => donor,
        _ => match slot.take() {
            Value::Array(a) => Value::Object(
                a.into_iter()
                    .enumerate()
                    .map(|(i, v)| (i.to_string(), v))
                    .collect(),
            ),
            Value::Object(m) => Value::Array(m.into_iter().map(|(_, v)| v).collect()),
            other => Value::Array(vec![other]),
        },
    };
}

/// Byte-level damage after the structure: truncation, a flipped byte, a repeated slice.
fn mutate_bytes(bytes: &mut Vec<u8>, rng: &mut Rng) {
    if bytes.is_empty() {
        return;
    }
    let at = rng.below(bytes.len());
    match rng.below(4) {
        0 => bytes.truncate(at),
        1 => bytes[at] ^= 1 << rng.below(8),
        2 => {
            let end = (at + rng.below(64)).min(bytes.len());
            let slice = bytes[at..end].to_vec();
            bytes.splice(at..at, slice);
        }
        _ => bytes.insert(at, *rng.pick(b"{}[]\",:\\0-e.\xff\xc3")),
    }
}

/// A mutated JSON document: one to four structural changes, raw numbers spliced in, and
/// now and then damaged bytes.
fn json_input(seed: &Value, rng: &mut Rng) -> Vec<u8> {
    let mut doc = seed.clone();
    for _ in 0..1 + rng.below(4) {
        mutate_json(&mut doc, rng);
    }
    let mut text = serde_json::to_string_pretty(&doc).unwrap();
    for (i, raw) in RAW_NUMBERS.iter().enumerate() {
        text = text.replace(&format!("\"{}\"", raw_marker(i)), raw);
    }
    let mut bytes = text.into_bytes();
    if rng.below(4) == 0 {
        mutate_bytes(&mut bytes, rng);
    }
    bytes
}

/// A mutated text (TOML, Rhai): lines deleted, repeated or swapped, literals replaced.
fn text_input(seed: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = seed.lines().map(str::to_owned).collect();
    for _ in 0..1 + rng.below(4) {
        if lines.is_empty() {
            break;
        }
        let i = rng.below(lines.len());
        match rng.below(6) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let line = lines[i].clone();
                lines.insert(i, line);
            }
            2 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            3 => lines[i] = replace_literal(&lines[i], rng),
            4 => {
                let nested = "[".repeat(1 + rng.below(300));
                lines[i] = format!("{}{nested}", lines[i]);
            }
            _ => lines[i] = lines[i].replacen(['=', ':', ',', '"'], "", 1),
        }
    }
    let mut text = lines.join("\n");
    if rng.below(4) == 0 {
        let mut bytes = text.into_bytes();
        mutate_bytes(&mut bytes, rng);
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    text
}

/// The line with its first string or number literal replaced by an odd one.
fn replace_literal(line: &str, rng: &mut Rng) -> String {
    let replacement = match rng.below(3) {
        0 => format!("{:?}", rng.pick(&odd_strings())),
        1 => (*rng.pick(RAW_NUMBERS)).to_owned(),
        _ => rng
            .pick(&["nan", "inf", "-1", "4294967297", "true", "[]", "#{}", "{}"])
            .to_string(),
    };
    if let Some(start) = line.find('"')
        && let Some(len) = line[start + 1..].find('"')
    {
        return format!(
            "{}{replacement}{}",
            &line[..start],
            &line[start + len + 2..]
        );
    }
    match line.find(|c: char| c.is_ascii_digit()) {
        Some(start) => {
            let end = line[start..]
                .find(|c: char| !c.is_ascii_digit() && c != '.')
                .map_or(line.len(), |n| start + n);
            format!("{}{replacement}{}", &line[..start], &line[end..])
        }
        None => format!("{line} {replacement}"),
    }
}

/// How many inputs a target tries, and for how long at most.
fn budget() -> (u64, Option<Duration>, u64) {
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let iters = var("ICGS_FUZZ_ITERS");
    let secs = var("ICGS_FUZZ_SECS").or(if iters.is_some() { None } else { Some(4) });
    (
        iters.unwrap_or(u64::MAX),
        secs.map(Duration::from_secs),
        var("ICGS_FUZZ_SEED").unwrap_or(0x1c95),
    )
}

/// Longest one input may take before it counts as a hang (a debug build on a busy machine).
const HANG: Duration = Duration::from_secs(60);

/// Runs `check` on `input` on its own thread: a panic or an overrun fails the test, naming
/// the file the input was saved to.
fn run_one<I: Send + 'static>(
    target: &str,
    label: &str,
    input: I,
    save: impl FnOnce(&I) -> Vec<u8>,
    check: impl FnOnce(&I) + Send + 'static,
) {
    let saved = save(&input);
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&input)));
        let _ = tx.send(outcome.is_ok());
    });
    let verdict = rx.recv_timeout(HANG);
    if verdict != Ok(true) {
        let dir = icgs_tests::workspace_root().join("target/fuzz-failures");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("{target}-{label}"));
        std::fs::write(&file, &saved).unwrap();
        let why = if verdict.is_err() { "hung" } else { "panicked" };
        panic!("{target} {label}: {why}; input saved to {}", file.display());
    }
    worker.join().unwrap();
}

/// Drives one target: mutated seeds until the iteration count or the time is spent.
fn fuzz<S: Clone>(
    target: &str,
    seeds: &[S],
    mut make: impl FnMut(&S, &mut Rng) -> Vec<u8>,
    check: impl Fn(Vec<u8>) + Send + Sync + Clone + 'static,
) -> u64 {
    let (iters, time, seed) = budget();
    let started = Instant::now();
    let mut done = 0;
    while done < iters && time.is_none_or(|t| started.elapsed() < t) {
        let mut rng = Rng(seed ^ done.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let input = make(rng.pick(seeds), &mut rng);
        let check = check.clone();
        run_one(
            target,
            &format!("{seed}-{done}"),
            input,
            Clone::clone,
            move |i| check(i.clone()),
        );
        done += 1;
    }
    assert!(done > 0, "{target}: no input tried");
    eprintln!("{target}: {done} inputs in {:?}", started.elapsed());
    done
}

fn engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    Arc::clone(ENGINE.get_or_init(|| Arc::new(Engine::standard().unwrap())))
}

fn read_dir_sorted(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == ext));
    files.sort();
    files
}

fn example_profiles() -> Vec<Value> {
    let dir = icgs_tests::workspace_root().join("examples/profiles");
    read_dir_sorted(&dir, "json")
        .iter()
        .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
        .collect()
}

fn first_example() -> icgs::model::CommunityProfile {
    let bytes = serde_json::to_vec(&example_profiles()[0]).unwrap();
    icgs::read_profile("p.json", &bytes, &ReadOptions::default())
        .unwrap()
        .0
}

/// Read, validate and evaluate: a report that serialises, or a typed error with a message.
fn check_profile(bytes: &[u8]) {
    let v = icgs::validate("fuzz.json", bytes, &ReadOptions::default());
    for p in &v.problems {
        assert!(!p.message().is_empty());
    }
    match engine().check_bytes("fuzz.json", bytes, &ReadOptions::default()) {
        Ok(report) => {
            serde_json::to_string(&report).unwrap();
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

#[test]
fn profiles() {
    let seeds = example_profiles();
    fuzz("profile", &seeds, json_input, |b| check_profile(&b));
}

/// Waiver files: a set, or an error naming line and column; a set is then applied.
fn check_waivers(bytes: &[u8]) {
    match WaiverSet::from_json("fuzz-waivers.json", bytes) {
        Ok(set) => {
            let options = EvalOptions::new().waivers(set);
            let report = engine()
                .evaluate_with(Arc::new(first_example()), &options)
                .unwrap();
            serde_json::to_string(&report).unwrap();
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

fn waiver_seeds() -> Vec<Value> {
    let one = serde_json::json!({
        "clause": "7.4.3", "justification": "平台升级中", "approved_by": "区民政局",
        "requested_by": "社区", "community": "binjiang-tech-innovation",
        "approved_on": "2026-02-01", "expires_on": "2026-12-31"
    });
    let mut seeds = vec![
        serde_json::json!([one.clone()]),
        serde_json::json!([one.clone(), one]),
    ];
    seeds.extend(
        example_profiles()
            .into_iter()
            .filter_map(|p| p.get("waivers").cloned())
            .filter(|w| w.as_array().is_some_and(|a| !a.is_empty())),
    );
    seeds
}

#[test]
fn waivers() {
    fuzz("waivers", &waiver_seeds(), json_input, |b| {
        check_waivers(&b)
    });
}

/// The files under `policies/` whose name ends with `suffix`: (path, text), sorted.
fn pack_files(suffix: &str) -> Vec<(String, String)> {
    fn walk(dir: &Path, suffix: &str, out: &mut Vec<(String, String)>) {
        for path in std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()) {
            if path.is_dir() {
                walk(&path, suffix, out);
            } else if path.to_string_lossy().ends_with(suffix) {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &icgs_tests::workspace_root().join("policies"),
        suffix,
        &mut out,
    );
    out.sort();
    assert!(!out.is_empty(), "no seed ending in {suffix}");
    out
}

fn text_seed(seed: &(String, String), rng: &mut Rng) -> Vec<u8> {
    text_input(&seed.1, rng).into_bytes()
}

/// A manifest: parsed or refused; when parsed, an engine over it builds or is refused.
fn check_manifest(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if let Ok(manifest) = icgs::pack::Manifest::parse(&text, "fuzz/pack.toml") {
        let mut packs = icgs::pack::Pack::embedded().unwrap();
        if let Some(pack) = packs.iter_mut().find(|p| p.manifest.id == manifest.id) {
            pack.manifest = manifest;
        }
        if let Ok(engine) = Engine::builder().packs(packs).build() {
            let profile = serde_json::to_vec(&example_profiles()[0]).unwrap();
            let _ = engine.check_bytes("p.json", &profile, &ReadOptions::default());
        }
    }
}

#[test]
fn pack_manifests() {
    let seeds = pack_files("pack.toml");
    fuzz("manifest", &seeds, text_seed, |b| check_manifest(&b));
}

/// A rule script: refused with a typed error, or compiled and run on a profile (the code
/// and the `RULE` literal are both mutated).
fn check_rule(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let mut packs = icgs::pack::Pack::embedded().unwrap();
    packs.retain(|p| p.manifest.id == "standard");
    packs[0].rules = vec![("rules/fuzz.rhai".to_owned(), text)];
    match Engine::builder().packs(packs).build() {
        // Only the standard is loaded: evaluate without the category check.
        Ok(engine) => match engine.evaluate(first_example()) {
            Ok(report) => {
                serde_json::to_string(&report).unwrap();
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        },
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

#[test]
fn rule_scripts() {
    let seeds = pack_files(".rhai");
    fuzz("rule", &seeds, text_seed, |b| check_rule(&b));
}

fn check_clauses(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if let Err(e) = icgs::pack::ClauseList::parse(&text, "fuzz/clauses.toml") {
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn clause_lists() {
    let seeds = pack_files("clauses.toml");
    fuzz("clauses", &seeds, text_seed, |b| check_clauses(&b));
}

/// A plugin manifest as the loader reads it: JSON into the API's `Manifest`; what it
/// reads must serialise again.
fn check_plugin_manifest(bytes: &[u8]) {
    if let Ok(m) = serde_json::from_slice::<icgs_plugin_api::Manifest>(bytes) {
        serde_json::to_vec(&m).unwrap();
    }
}

fn plugin_seeds() -> Vec<Value> {
    let mut seeds = Vec::new();
    seeds.push(serde_json::json!({
        "id": "fuzz-plugin",
        "name": { "zh": "测试", "en": "test" },
        "version": "0.1.0",
        "requires": ">=0.1, <0.2",
        "categories": [{ "id": "fuzz", "name": { "zh": "测试", "en": "test" }, "spaces": ["lab"] }],
        "params": {},
        "rules": []
    }));
    seeds
}

#[test]
fn plugin_manifests() {
    fuzz("plugin-manifest", &plugin_seeds(), json_input, |b| {
        check_plugin_manifest(&b);
    });
}

/// Inputs that once failed, kept as they were found: each target's folder is replayed.
#[test]
fn replay_regressions() {
    let root = icgs_tests::workspace_root().join("tests/fixtures/fuzz");
    type Check = fn(&[u8]);
    let checks: [(&str, Check); 4] = [
        ("profile", check_profile),
        ("waivers", check_waivers),
        ("rule", check_rule),
        ("manifest", check_manifest),
    ];
    let mut replayed = 0;
    for (target, check) in checks {
        for entry in std::fs::read_dir(root.join(target))
            .into_iter()
            .flatten()
            .flatten()
        {
            let bytes = std::fs::read(entry.path()).unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            run_one(target, &name, bytes, Clone::clone, move |b| check(b));
            replayed += 1;
        }
    }
    assert!(
        replayed > 0,
        "no regression fixtures under {}",
        root.display()
    );
}
