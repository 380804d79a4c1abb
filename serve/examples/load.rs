//! Load benchmark of `icgs serve` (docs/serve.md): `POST /v1/check` of the example profiles,
//! round robin, from many client threads with keep-alive connections, then throughput and
//! latency percentiles. Loopback only, bounded in count and time.
//!
//! ```text
//! cargo run --release -p icgs-serve --example load -- [--url http://127.0.0.1:8080]
//!     [--requests 10000] [--concurrency 64] [--max-seconds 600] [DIR]
//! ```
//!
//! Without `--url` it starts a server in this process on an ephemeral port; with it, it
//! loads a running `icgs serve` (to measure that process's peak memory with
//! `/usr/bin/time -v`). Exits 1 if any request did not answer 200.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark fails loudly"
)]

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Options {
    url: Option<String>,
    requests: usize,
    concurrency: usize,
    max_seconds: u64,
    dir: PathBuf,
}

fn options() -> Options {
    let mut o = Options {
        url: None,
        requests: 10_000,
        concurrency: 64,
        max_seconds: 600,
        dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/profiles")),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().expect("a value after the flag");
        match arg.as_str() {
            "--url" => o.url = Some(value()),
            "--requests" => o.requests = value().parse().expect("a count"),
            "--concurrency" => o.concurrency = value().parse().expect("a count"),
            "--max-seconds" => o.max_seconds = value().parse().expect("seconds"),
            dir => o.dir = PathBuf::from(dir),
        }
    }
    o
}

fn profiles(dir: &PathBuf) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the profile directory")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read(f).expect("a profile"))
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn main() {
    let o = options();
    let bodies = Arc::new(profiles(&o.dir));
    assert!(
        !bodies.is_empty(),
        "no *.json profile in {}",
        o.dir.display()
    );
    let (_server, base) = match &o.url {
        Some(url) => {
            assert!(
                url.starts_with("http://127.0.0.1:") || url.starts_with("http://localhost:"),
                "loopback only"
            );
            (None, url.trim_end_matches('/').to_owned())
        }
        None => {
            let engines = icgs::pack::Engines::new(icgs::pack::PackSet::new(
                icgs::pack::Pack::embedded().expect("the embedded packs"),
            ));
            let config = icgs_serve::Config {
                listen: "127.0.0.1:0".parse().expect("an address"),
                ..icgs_serve::Config::default()
            };
            let running = icgs_serve::spawn(engines, config).expect("the server");
            let base = format!("http://{}", running.addr());
            (Some(running), base)
        }
    };
    let url = format!("{base}/v1/check?allow_invalid=true");
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(o.max_seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..o.concurrency)
        .map(|_| {
            let (next, bodies, url) = (next.clone(), bodies.clone(), url.clone());
            let requests = o.requests;
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .into();
                let (mut times, mut errors) = (Vec::new(), 0usize);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests || Instant::now() > deadline {
                        break;
                    }
                    let t = Instant::now();
                    let ok = agent
                        .post(&url)
                        .header("Content-Type", "application/json")
                        .send(&bodies[i % bodies.len()][..])
                        .ok()
                        .and_then(|mut r| {
                            let status = r.status().as_u16();
                            r.body_mut().read_to_vec().ok().map(|_| status == 200)
                        })
                        .unwrap_or(false);
                    times.push(t.elapsed());
                    errors += usize::from(!ok);
                }
                (times, errors)
            })
        })
        .collect();
    let (mut times, mut errors) = (Vec::new(), 0);
    for w in workers {
        let (t, e) = w.join().expect("a client thread");
        times.extend(t);
        errors += e;
    }
    let elapsed = started.elapsed();
    times.sort();
    println!(
        "{} requests ({} profiles, concurrency {}) in {:.2} s: {:.1} req/s; p50 {:.1} ms, p99 {:.1} ms; {errors} not 200",
        times.len(),
        bodies.len(),
        o.concurrency,
        elapsed.as_secs_f64(),
        times.len() as f64 / elapsed.as_secs_f64(),
        percentile(&times, 0.50).as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0,
    );
    if errors > 0 || times.len() < o.requests {
        std::process::exit(1);
    }
}
