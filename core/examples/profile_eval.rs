//! Evaluates every example profile `ROUNDS` times (default 3) with the standard engine: a
//! steady loop of `Engine::evaluate` to profile, e.g.
//! `valgrind --tool=callgrind --toggle-collect='*evaluate_checked*' target/release/examples/profile_eval`
//! (instruction counts hold on a busy machine).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "profiling harness")]
use std::sync::Arc;
fn main() {
    let engine = icgs::Engine::standard().unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/profiles");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let profiles: Vec<Arc<icgs::model::CommunityProfile>> = files
        .iter()
        .map(|p| Arc::new(serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()))
        .collect();
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let mut n = 0;
    for _ in 0..rounds {
        for p in &profiles {
            n += engine.evaluate(Arc::clone(p)).unwrap().results.len();
        }
    }
    println!("{n}");
}
