//! The sandbox stops runaway, failing and malformed rules, reports where, and keeps every
//! other rule running.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::path::Path;
use std::time::{Duration, Instant};

use icgs::pack::{BuildError, Pack, PackError};
use icgs::report::Outcome;
use icgs::{Engine, Limits};

fn fixture(name: &str) -> Pack {
    Pack::from_dir(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/packs")
            .join(name),
    )
    .unwrap()
}

fn profile() -> icgs::model::CommunityProfile {
    serde_json::from_value(serde_json::json!({
        "id": "sandbox", "as_of": "2026-06-30", "population": { "industrial": 5 }
    }))
    .unwrap()
}

#[test]
fn runaway_rules_are_stopped_and_others_still_run() {
    let limits = Limits {
        deadline: Duration::from_millis(200),
        ..Limits::default()
    };
    let engine = Engine::builder()
        .packs([fixture("sandbox")])
        .limits(limits)
        .build()
        .unwrap();
    let started = Instant::now();
    let report = engine.evaluate(profile()).unwrap();
    // Seven rules, four of them runaway: all stopped well within four deadlines plus slack.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let by_id = |id: &str| report.results.iter().find(|r| r.rule == id).unwrap();

    let infinite = by_id("T.1");
    assert_eq!(infinite.outcome, Outcome::Error);
    let err = infinite.error.as_ref().unwrap();
    assert!(
        err.message.contains("operations") || err.message.contains("deadline"),
        "{}",
        err.message
    );
    assert!(err.file.as_deref().unwrap().ends_with("T.1.rhai"));
    // No position inside a runaway loop: the `fn check` line is named.
    assert_eq!(err.line, Some(7));

    let huge_string = by_id("T.2");
    assert_eq!(huge_string.outcome, Outcome::Error);
    assert!(
        huge_string
            .error
            .as_ref()
            .unwrap()
            .message
            .to_lowercase()
            .contains("string"),
        "{:?}",
        huge_string.error
    );

    let thrown = by_id("T.3");
    assert_eq!(thrown.outcome, Outcome::Error);
    let err = thrown.error.as_ref().unwrap();
    assert!(err.message.contains("bad input"), "{}", err.message);
    assert_eq!((err.line, err.column), (Some(8), Some(5)));

    let wrong_type = by_id("T.4");
    assert_eq!(wrong_type.outcome, Outcome::Error);
    assert!(
        wrong_type
            .error
            .as_ref()
            .unwrap()
            .message
            .contains("expected a verdict")
    );

    let fine = by_id("T.5");
    assert_eq!(fine.outcome, Outcome::Pass);
    assert_eq!(fine.observed, serde_json::json!(5));
    assert_eq!(fine.evidence, vec!["/population/industrial".to_owned()]);

    let huge_array = by_id("T.6");
    assert_eq!(huge_array.outcome, Outcome::Error);

    let missing_property = by_id("T.7");
    assert_eq!(missing_property.outcome, Outcome::Error);
    assert!(
        missing_property
            .error
            .as_ref()
            .unwrap()
            .message
            .contains("no_such_property")
    );
    assert_eq!(report.summary.counts.error, 6);
}

#[test]
fn the_deadline_stops_a_loop_the_operation_limit_would_allow() {
    let limits = Limits {
        max_operations: u64::MAX / 2,
        deadline: Duration::from_millis(50),
        ..Limits::default()
    };
    let engine = Engine::builder()
        .packs([fixture("sandbox")])
        .limits(limits)
        .build()
        .unwrap();
    let started = Instant::now();
    let report = engine.evaluate(profile()).unwrap();
    let infinite = report.results.iter().find(|r| r.rule == "T.1").unwrap();
    assert!(
        infinite
            .error
            .as_ref()
            .unwrap()
            .message
            .contains("deadline of 50 ms"),
        "{:?}",
        infinite.error
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_script_that_does_not_compile_names_file_line_column_and_rule() {
    let err = Engine::builder()
        .packs([fixture("broken")])
        .build()
        .unwrap_err();
    match &err {
        BuildError::Pack(PackError::Compile {
            file,
            rule,
            line,
            column,
            ..
        }) => {
            assert!(file.ends_with("B.1.rhai"), "{file}");
            assert_eq!(rule, "B.1");
            assert_eq!((*line, *column), (8, 13));
        }
        other => panic!("expected a compile error, got {other:?}"),
    }
    assert!(
        err.to_string().contains("B.1.rhai:8:13: rule `B.1`"),
        "{err}"
    );
}

#[test]
fn eval_is_disabled() {
    let err = Engine::builder()
        .packs([fixture("eval")])
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("eval"), "{err}");
}

#[test]
fn the_engine_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
}

#[test]
fn values_taken_back_from_a_script_are_bounded_after_expansion() {
    // Building the references takes a while in a debug build on a busy machine.
    let limits = Limits {
        deadline: Duration::from_secs(10),
        ..Limits::default()
    };
    let engine = Engine::builder()
        .packs([fixture("oversize")])
        .limits(limits)
        .build()
        .unwrap();
    let started = Instant::now();
    let report = engine.evaluate(profile()).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    let message = |id: &str| {
        let r = report.results.iter().find(|r| r.rule == id).unwrap();
        assert_eq!(r.outcome, Outcome::Error, "{id}: {:?}", r.outcome);
        r.error.as_ref().unwrap().message.clone()
    };
    // 9,999 references to one 64 KiB string: 640 MB once expanded, refused at 1 MiB.
    for id in ["O.1", "O.2", "O.3", "O.4", "O.5"] {
        let m = message(id);
        assert!(
            m.contains("larger than 1048576 bytes once expanded"),
            "{id}: {m}"
        );
    }
    let m = message("O.6");
    assert!(m.contains("deeper than 16 levels"), "O.6: {m}");
    let fine = report.results.iter().find(|r| r.rule == "O.7").unwrap();
    assert_eq!(fine.outcome, Outcome::Pass);
    assert_eq!(fine.observed.as_object().unwrap().len(), 100);
    assert_eq!(fine.observed["k7"], "名称");
}

#[test]
fn the_element_bound_counts_every_reference() {
    let limits = Limits {
        max_value_elements: 50,
        ..Limits::default()
    };
    let engine = Engine::builder()
        .packs([fixture("oversize")])
        .limits(limits)
        .build()
        .unwrap();
    let report = engine.evaluate(profile()).unwrap();
    let r = report.results.iter().find(|r| r.rule == "O.7").unwrap();
    assert_eq!(r.outcome, Outcome::Error);
    assert!(
        r.error
            .as_ref()
            .unwrap()
            .message
            .contains("more than 50 elements"),
        "{:?}",
        r.error
    );
}

/// A pack in a fresh temporary directory with one rule `G.1` whose `check` body is `body`.
fn generated_pack(name: &str, body: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("icgs-sandbox-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/sandbox");
    std::fs::copy(fixtures.join("pack.toml"), dir.join("pack.toml")).unwrap();
    let head = std::fs::read_to_string(fixtures.join("rules/T.5.rhai")).unwrap();
    let head = head.split("fn check").next().unwrap().replace("T.5", "G.1");
    std::fs::write(
        dir.join("rules/G.1.rhai"),
        format!("{head}fn check(c, params) {{\n{body}\npass()\n}}\n"),
    )
    .unwrap();
    dir
}

#[test]
fn an_oversize_script_is_refused_before_compiling_naming_file_and_size() {
    // 300,000 statements: took minutes to compile.
    let dir = generated_pack("oversize", &"1;".repeat(300_000));
    let started = Instant::now();
    let err = Pack::from_dir(&dir).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    match &err {
        PackError::ScriptTooLarge { file, bytes, limit } => {
            assert!(file.ends_with("G.1.rhai"), "{file}");
            assert!(*bytes > 600_000, "{bytes}");
            assert_eq!(*limit, 64 * 1024);
        }
        other => panic!("expected ScriptTooLarge, got {other:?}"),
    }
    assert!(
        err.to_string().contains("G.1.rhai: the rule script is"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("more than the limit of 65536 bytes")
    );

    // A pack built in memory is checked too.
    let mut pack = fixture("sandbox");
    pack.rules[0].1 = format!("{}{}", pack.rules[0].1, " ".repeat(icgs::MAX_SCRIPT_BYTES));
    let err = Engine::builder().packs([pack]).build().unwrap_err();
    assert!(
        matches!(err, BuildError::Pack(PackError::ScriptTooLarge { .. })),
        "{err:?}"
    );
    // Lint names the file without compiling it: the `lint` test of icgs-tools.
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn compiling_a_script_within_the_size_limit_is_fast_whatever_its_shape() {
    // Statements and blocks the optimizer removed or flattened one at a time: 64 KiB of `{}`
    // took about 30 s to compile.
    for (name, piece) in [("blocks", "{}"), ("units", "1;"), ("one-blocks", "{1}")] {
        let n = (icgs::MAX_SCRIPT_BYTES - 1024) / piece.len();
        let dir = generated_pack(name, &piece.repeat(n));
        let started = Instant::now();
        let engine = Engine::builder()
            .packs([Pack::from_dir(&dir).unwrap()])
            .build()
            .unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{name}: {:?}",
            started.elapsed()
        );
        let report = engine.evaluate(profile()).unwrap();
        assert_eq!(report.results[0].outcome, Outcome::Pass, "{name}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
