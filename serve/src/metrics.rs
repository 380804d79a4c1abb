//! `GET /metrics`: Prometheus text format, written by hand (three families, no registry
//! needed).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the evaluation latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default)]
pub struct Metrics(Mutex<Inner>);

#[derive(Debug, Default)]
struct Inner {
    requests: BTreeMap<(String, u16), u64>,
    /// Evaluations per bucket (the last is `+Inf`), their count and total seconds.
    latency: [u64; BUCKETS.len() + 1],
    latency_count: u64,
    latency_sum: f64,
    grades: BTreeMap<String, u64>,
}

impl Metrics {
    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        // A panic while holding the lock leaves counters that are still counters.
        let mut inner = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut inner)
    }

    /// One answered request.
    pub fn request(&self, route: &str, status: u16) {
        self.with(|m| *m.requests.entry((route.to_owned(), status)).or_default() += 1);
    }

    /// One finished evaluation and the grade it gave.
    pub fn evaluated(&self, took: Duration, grade: &str) {
        let secs = took.as_secs_f64();
        self.with(|m| {
            let bucket = BUCKETS
                .iter()
                .position(|b| secs <= *b)
                .unwrap_or(BUCKETS.len());
            m.latency[bucket] += 1;
            m.latency_count += 1;
            m.latency_sum += secs;
            *m.grades.entry(grade.to_owned()).or_default() += 1;
        });
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        self.with(|m| {
            let mut s = String::new();
            let _ = writeln!(
                s,
                "# HELP icgs_http_requests_total HTTP requests answered, by route and status."
            );
            let _ = writeln!(s, "# TYPE icgs_http_requests_total counter");
            for ((route, status), n) in &m.requests {
                let _ = writeln!(
                    s,
                    "icgs_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
            let _ = writeln!(
                s,
                "# HELP icgs_evaluation_seconds Time to read and evaluate one profile."
            );
            let _ = writeln!(s, "# TYPE icgs_evaluation_seconds histogram");
            let mut cumulative = 0;
            for (i, n) in m.latency.iter().enumerate() {
                cumulative += n;
                let le = BUCKETS
                    .get(i)
                    .map_or_else(|| "+Inf".to_owned(), f64::to_string);
                let _ = writeln!(
                    s,
                    "icgs_evaluation_seconds_bucket{{le=\"{le}\"}} {cumulative}"
                );
            }
            let _ = writeln!(s, "icgs_evaluation_seconds_sum {}", m.latency_sum);
            let _ = writeln!(s, "icgs_evaluation_seconds_count {}", m.latency_count);
            let _ = writeln!(
                s,
                "# HELP icgs_profiles_evaluated_total Profiles evaluated, by grade."
            );
            let _ = writeln!(s, "# TYPE icgs_profiles_evaluated_total counter");
            for (grade, n) in &m.grades {
                let _ = writeln!(s, "icgs_profiles_evaluated_total{{grade=\"{grade}\"}} {n}");
            }
            s
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative() {
        let m = Metrics::default();
        m.evaluated(Duration::from_millis(3), "A");
        m.evaluated(Duration::from_secs(20), "B");
        m.request("/v1/check", 200);
        let text = m.render();
        assert!(
            text.contains("icgs_evaluation_seconds_bucket{le=\"0.005\"} 1\n"),
            "{text}"
        );
        assert!(
            text.contains("icgs_evaluation_seconds_bucket{le=\"10\"} 1\n"),
            "{text}"
        );
        assert!(
            text.contains("icgs_evaluation_seconds_bucket{le=\"+Inf\"} 2\n"),
            "{text}"
        );
        assert!(text.contains("icgs_evaluation_seconds_count 2\n"), "{text}");
        assert!(
            text.contains("icgs_profiles_evaluated_total{grade=\"B\"} 1\n"),
            "{text}"
        );
        assert!(text.contains("icgs_http_requests_total{route=\"/v1/check\",status=\"200\"} 1\n"));
    }
}
