//! The goals of the performance issue as ratios to parsing, measured in the same run so
//! that a busy machine moves numerator and denominator together: per profile, `whole`
//! (read + validate + facts + every rule + score + plan + compact JSON report written) and
//! `evaluate` (every rule on a read profile, results built) over `parse` (serde_json reading
//! the same bytes into `CommunityProfile`). Each round times the three in turn; the median
//! of the per-round ratios is printed.
//!
//! `cargo bench -p icgs --bench ratio` (`ICGS_BENCH_ROUNDS` rounds, default 30)

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "benchmark")]

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use icgs::model::CommunityProfile;
use icgs::{Engine, ReadOptions};

fn examples() -> Vec<(String, Vec<u8>)> {
    icgs_tests::example_profiles()
}

/// Profiles of 20–30 KiB generated from the two smallest examples: ids, population and
/// premises areas varied (deterministically) so that outcomes differ, then written back.
fn generated(examples: &[(String, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    let mut small: Vec<&(String, Vec<u8>)> = examples.iter().collect();
    small.sort_by_key(|(_, b)| b.len());
    small
        .iter()
        .take(2)
        .enumerate()
        .map(|(i, (name, bytes))| {
            let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
            v["id"] = format!("generated-{i}").into();
            if let Some(p) = v.pointer_mut("/population/industrial") {
                *p = (19_000 + 1_000 * i).into();
            }
            if let Some(premises) = v.get_mut("premises").and_then(|p| p.as_array_mut()) {
                for (j, p) in premises.iter_mut().enumerate() {
                    p["floor_area_m2"] = (300 + 97 * j).into();
                }
            }
            let out = serde_json::to_vec(&v).unwrap();
            (format!("generated-{name} ({} KiB)", out.len() / 1024), out)
        })
        .collect()
}

fn time<T>(f: impl FnOnce() -> T) -> Duration {
    let start = Instant::now();
    black_box(f());
    start.elapsed()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    let rounds: usize = std::env::var("ICGS_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let engine = Engine::standard().unwrap();
    let opts = ReadOptions::default();
    let examples = examples();
    let mut all = generated(&examples);
    all.splice(0..0, examples);
    println!(
        "{:<44} {:>9} {:>9} {:>9} {:>12} {:>14}",
        "profile", "parse µs", "eval µs", "whole µs", "whole/parse", "evaluate/parse"
    );
    for (name, bytes) in &all {
        let profile = Arc::new(serde_json::from_slice::<CommunityProfile>(bytes).unwrap());
        let (mut parse, mut eval, mut whole) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            parse.push(time(|| {
                serde_json::from_slice::<CommunityProfile>(bytes).unwrap()
            }));
            eval.push(time(|| engine.evaluate(Arc::clone(&profile)).unwrap()));
            whole.push(time(|| {
                let report = engine.check_bytes(name, bytes, &opts).unwrap();
                serde_json::to_vec(&report).unwrap()
            }));
        }
        let ratio = |xs: &[Duration]| {
            median(
                xs.iter()
                    .zip(&parse)
                    .map(|(x, p)| x.as_secs_f64() / p.as_secs_f64())
                    .collect(),
            )
        };
        let micros = |xs: &[Duration]| median(xs.iter().map(|d| d.as_secs_f64() * 1e6).collect());
        println!(
            "{name:<44} {:>9.0} {:>9.0} {:>9.0} {:>12.2} {:>14.2}",
            micros(&parse),
            micros(&eval),
            micros(&whole),
            ratio(&whole),
            ratio(&eval),
        );
    }
}
