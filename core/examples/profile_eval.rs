//! Evaluates every example profile `ROUNDS` times (default 3) with the standard engine: a
//! steady loop of `Engine::evaluate` to profile, e.g.
//! `valgrind --tool=callgrind --toggle-collect='*evaluate_checked*' target/release/examples/profile_eval`
//! (instruction counts hold on a busy machine).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "profiling harness")]
use std::sync::Arc;
fn main() {
    let engine = icgs::Engine::standard().unwrap();
    let profiles: Vec<Arc<icgs::model::CommunityProfile>> = icgs_tests::example_profiles()
        .iter()
        .map(|(_, bytes)| Arc::new(serde_json::from_slice(bytes).unwrap()))
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
