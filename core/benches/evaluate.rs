//! Per example profile, warm: parsing JSON into the model, full reading with validation,
//! deriving facts, evaluating every rule, writing the compact JSON report; and a portfolio of 1,000 generated profiles on one
//! thread and on all threads.
//!
//! `cargo bench -p icgs --bench evaluate`

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "benchmark")]

use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use icgs::model::CommunityProfile;
use icgs::{Engine, ReadOptions};

fn examples() -> Vec<(String, Vec<u8>)> {
    icgs_tests::example_profiles()
}

/// 1,000 profiles varied from the examples (deterministic): population, premises areas and
/// as_of shift so that outcomes differ between them.
fn portfolio(examples: &[(String, Vec<u8>)]) -> Vec<Arc<CommunityProfile>> {
    let mut seed: u64 = 0x2025;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed >> 33
    };
    (0..1000)
        .map(|i| {
            let (_, bytes) = &examples[i % examples.len()];
            let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
            v["id"] = format!("generated-{i}").into();
            if let Some(p) = v.pointer_mut("/population/industrial") {
                *p = (15_000 + next() % 20_000).into();
            }
            if let Some(premises) = v.get_mut("premises").and_then(|p| p.as_array_mut()) {
                for p in premises {
                    p["floor_area_m2"] = (200 + next() % 900).into();
                }
            }
            Arc::new(serde_json::from_value(v).unwrap())
        })
        .collect()
}

fn per_profile(c: &mut Criterion) {
    let engine = Engine::standard().unwrap();
    let opts = ReadOptions::default();
    let mut group = c.benchmark_group("profile");
    for (name, bytes) in examples() {
        group.bench_with_input(BenchmarkId::new("parse", &name), &bytes, |b, bytes| {
            b.iter(|| serde_json::from_slice::<CommunityProfile>(bytes).unwrap());
        });
        group.bench_with_input(
            BenchmarkId::new("read+validate", &name),
            &bytes,
            |b, bytes| {
                b.iter(|| icgs::read_profile(&name, bytes, &opts).unwrap());
            },
        );
        let profile: CommunityProfile = serde_json::from_slice(&bytes).unwrap();
        group.bench_with_input(BenchmarkId::new("facts", &name), &profile, |b, p| {
            b.iter(|| icgs::facts::Facts::derive(p).unwrap());
        });
        let shared = Arc::new(profile);
        group.bench_with_input(BenchmarkId::new("evaluate", &name), &shared, |b, p| {
            b.iter(|| engine.evaluate(Arc::clone(p)).unwrap());
        });
        let report = engine.evaluate(shared).unwrap();
        group.bench_with_input(BenchmarkId::new("report", &name), &report, |b, r| {
            b.iter(|| serde_json::to_vec(r).unwrap());
        });
    }
    group.finish();
}

fn portfolio_throughput(c: &mut Criterion) {
    use rayon::prelude::*;
    let engine = Engine::standard().unwrap();
    let profiles = portfolio(&examples());
    let mut group = c.benchmark_group("portfolio-1000");
    group.sample_size(10);
    group.throughput(Throughput::Elements(profiles.len() as u64));
    group.bench_function("1-thread", |b| {
        b.iter(|| {
            profiles
                .iter()
                .map(|p| engine.evaluate(Arc::clone(p)).unwrap().summary.score)
                .sum::<f64>()
        });
    });
    group.bench_function("all-threads", |b| {
        b.iter(|| {
            profiles
                .par_iter()
                .map(|p| engine.evaluate(Arc::clone(p)).unwrap().summary.score)
                .sum::<f64>()
        });
    });
    group.finish();
}

criterion_group!(benches, per_profile, portfolio_throughput);
criterion_main!(benches);
