//! Evaluates every example profile `ROUNDS` times (default 3) with the standard engine: a
//! steady loop of `Engine::evaluate` to profile, e.g.
//! `valgrind --tool=callgrind --toggle-collect='*evaluate_checked*' target/release/examples/profile_eval`
//! (instruction counts hold on a busy machine). With `WHOLE=1` each round is the whole
//! check of the bytes instead (read, validate, facts, rules, score, plan, compact JSON):
//! `--toggle-collect='*whole_check*'`; with `PARSE=1` serde_json reading the bytes into
//! `CommunityProfile`, what the ratio goals divide by: `--toggle-collect='*typed_parse*'`.
//! `ONLY=weak` keeps the examples whose name contains it.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "profiling harness")]
use std::sync::Arc;
fn main() {
    let engine = icgs::Engine::standard().unwrap();
    // `ONLY=weak`: only the examples whose name contains it.
    let only = std::env::var("ONLY").unwrap_or_default();
    let examples: Vec<(String, Vec<u8>)> = icgs_tests::example_profiles()
        .into_iter()
        .filter(|(name, _)| name.contains(&only))
        .collect();
    let profiles: Vec<Arc<icgs::model::CommunityProfile>> = examples
        .iter()
        .map(|(_, bytes)| Arc::new(serde_json::from_slice(bytes).unwrap()))
        .collect();
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let whole = std::env::var_os("WHOLE").is_some();
    let parse = std::env::var_os("PARSE").is_some();
    let mut n = 0;
    for _ in 0..rounds {
        for ((name, bytes), p) in examples.iter().zip(&profiles) {
            n += if parse {
                typed_parse(bytes)
            } else if whole {
                whole_check(&engine, name, bytes)
            } else {
                engine.evaluate(Arc::clone(p)).unwrap().results.len()
            };
        }
    }
    println!("{n}");
}

#[inline(never)]
fn whole_check(engine: &icgs::Engine, name: &str, bytes: &[u8]) -> usize {
    let report = engine
        .check_bytes(name, bytes, &icgs::ReadOptions::default())
        .unwrap();
    serde_json::to_vec(&report).unwrap().len()
}

#[inline(never)]
fn typed_parse(bytes: &[u8]) -> usize {
    let profile: icgs::model::CommunityProfile = serde_json::from_slice(bytes).unwrap();
    usize::from(profile.name.is_some())
}
