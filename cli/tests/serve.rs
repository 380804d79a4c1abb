//! `icgs serve` as a client uses it: a real server on an ephemeral loopback port, a real
//! HTTP client, every route and every error status, compared with what the `icgs` binary
//! prints for the same files at test time.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{icgs, root, stderr, stdout};
use serde_json::Value;

/// A server from the library, on `127.0.0.1:0`, with the embedded packs (as `icgs check`).
struct Server {
    running: icgs_serve::Running,
    agent: ureq::Agent,
    token: Option<String>,
}

impl Server {
    fn start(config: icgs_serve::Config) -> Self {
        Self::with_packs(icgs::pack::Pack::embedded().unwrap(), config)
    }

    /// A server of `packs`, each request taking its chain of overlays from them.
    fn with_packs(packs: Vec<icgs::pack::Pack>, config: icgs_serve::Config) -> Self {
        let engines = icgs::pack::Engines::new(icgs::pack::PackSet::new(packs));
        let token = config.token.clone();
        let config = icgs_serve::Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            ..config
        };
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        Self {
            running: icgs_serve::spawn(engines, config).unwrap(),
            agent,
            token,
        }
    }

    fn default() -> Self {
        Self::start(icgs_serve::Config::default())
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.running.addr())
    }

    fn get(&self, path: &str) -> Answer {
        let mut req = self.agent.get(self.url(path));
        if let Some(t) = &self.token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        Answer::from(req.call().unwrap())
    }

    fn post(&self, path: &str, content_type: &str, body: &[u8]) -> Answer {
        let mut req = self
            .agent
            .post(self.url(path))
            .header("Content-Type", content_type);
        if let Some(t) = &self.token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        Answer::from(req.send(body).unwrap())
    }

    fn post_json(&self, path: &str, body: &[u8]) -> Answer {
        self.post(path, "application/json", body)
    }
}

/// Status, content type, request id and body of one answer.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: String,
    request_id: Option<String>,
    body: String,
}

impl From<ureq::http::Response<ureq::Body>> for Answer {
    fn from(mut r: ureq::http::Response<ureq::Body>) -> Self {
        let header = |name: &str| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header("content-type").unwrap_or_default();
        let request_id = header("x-request-id");
        let status = r.status().as_u16();
        let body = r
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .unwrap();
        Self {
            status,
            content_type,
            request_id,
            body,
        }
    }
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .map_err(|e| format!("{e}: {}", self.body))
            .unwrap()
    }

    /// A problem document (RFC 9457) with this status; its JSON.
    fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.content_type, "application/problem+json");
        let p = self.json();
        assert_eq!(p["status"], status);
        assert!(p["type"].as_str().unwrap().starts_with("urn:icgs:problem:"));
        assert!(!p["title"].as_str().unwrap().is_empty());
        assert!(!p["detail"].as_str().unwrap().is_empty());
        p
    }
}

fn examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples/profiles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the example profiles");
    files
}

fn example(name: &str) -> PathBuf {
    root().join("examples/profiles").join(name)
}

/// The problems `icgs validate --format json` lists for `file`, without their `source`.
fn cli_problems(file: &Path) -> Vec<Value> {
    let o = icgs(&["validate", "--format", "json", file.to_str().unwrap()]);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    without_source(&doc["files"][0]["problems"])
}

fn without_source(problems: &Value) -> Vec<Value> {
    problems
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p.as_object_mut().unwrap().remove("source");
            p
        })
        .collect()
}

#[test]
fn the_report_is_byte_for_byte_the_cli_json_report_of_every_example() {
    let server = Server::default();
    for file in examples() {
        let path = file.to_str().unwrap();
        let bytes = std::fs::read(&file).unwrap();
        let cli = icgs(&["check", "--format", "json", "--pretty", path]);
        let problems = cli_problems(&file);
        let plain = server.post_json("/v1/check", &bytes);
        if problems.is_empty() {
            assert_eq!(plain.status, 200, "{path}: {}", plain.body);
            assert_eq!(plain.content_type, "application/json");
            assert_eq!(plain.body, stdout(&cli), "{path}");
        } else {
            // Refused as `icgs validate` would: the same problems, pointers and line:col.
            let p = plain.problem(422);
            assert_eq!(without_source(&p["problems"]), problems, "{path}");
        }
        // With `allow_invalid=true` every evaluable example gets the CLI's report.
        if matches!(cli.status.code(), Some(0 | 1)) {
            let allowed = server.post_json("/v1/check?allow_invalid=true", &bytes);
            assert_eq!(allowed.status, 200, "{path}: {}", allowed.body);
            assert_eq!(allowed.body, stdout(&cli), "{path}");
        }
    }
}

#[test]
fn html_markdown_csv_and_as_of_are_the_cli_renderings() {
    let server = Server::default();
    let file = example("binjiang-tech-innovation.json");
    let path = file.to_str().unwrap();
    let bytes = std::fs::read(&file).unwrap();
    for (format, lang, content_type) in [
        ("html", "en", "text/html; charset=utf-8"),
        ("markdown", "zh", "text/markdown; charset=utf-8"),
        ("csv", "zh", "text/csv; charset=utf-8"),
    ] {
        let cli = icgs(&["check", "--format", format, "--lang", lang, path]);
        let a = server.post_json(&format!("/v1/check?format={format}&lang={lang}"), &bytes);
        assert_eq!(a.status, 200, "{format}: {}", a.body);
        assert_eq!(a.content_type, content_type);
        assert_eq!(a.body, stdout(&cli), "{format}");
    }
    let cli = icgs(&[
        "check",
        "--format",
        "json",
        "--pretty",
        "--as-of",
        "2027-03-31",
        path,
    ]);
    let a = server.post_json("/v1/check?as_of=2027-03-31&allow_invalid=true", &bytes);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body, stdout(&cli));
}

#[test]
fn bad_queries_and_unreadable_profiles_are_problems_not_dropped_connections() {
    let server = Server::default();
    let bytes = std::fs::read(example("binjiang-tech-innovation.json")).unwrap();
    let p = server
        .post_json("/v1/check?format=pdf", &bytes)
        .problem(400);
    assert!(p["detail"].as_str().unwrap().contains("format"), "{p}");
    let p = server
        .post_json("/v1/check?as_of=2026-13-01", &bytes)
        .problem(400);
    assert!(p["detail"].as_str().unwrap().contains("as_of"), "{p}");

    // Malformed JSON: the position, as `icgs validate` gives it.
    let p = server
        .post_json("/v1/check", b"{\n  \"id\": 3,\n  \"x\": [}\n")
        .problem(400);
    assert_eq!(p["problems"][0]["code"], "syntax", "{p}");
    assert_eq!(p["problems"][0]["line"], 3, "{p}");
    assert_eq!(p["problems"][0]["column"], 9, "{p}");
    assert_eq!(p["problems"][0]["source"], "request", "{p}");

    // Readable JSON that cannot become a profile: 422, every problem located.
    let p = server
        .post_json("/v1/check", br#"{"id": 3, "name": []}"#)
        .problem(422);
    assert!(!p["problems"].as_array().unwrap().is_empty(), "{p}");
    assert!(p["problems"][0]["pointer"].is_string(), "{p}");
}

#[test]
fn wrong_content_type_is_415_and_a_body_over_the_limit_is_413() {
    let server = Server::start(icgs_serve::Config {
        max_bytes: 1024,
        ..icgs_serve::Config::default()
    });
    let bytes = std::fs::read(example("binjiang-tech-innovation.json")).unwrap();
    assert!(bytes.len() > 1024);
    for route in ["/v1/check", "/v1/check/batch", "/v1/validate"] {
        let p = server.post(route, "text/plain", b"{}").problem(415);
        assert!(p["detail"].as_str().unwrap().contains("text/plain"), "{p}");
        let p = server.post_json(route, &bytes).problem(413);
        assert!(p["detail"].as_str().unwrap().contains("1024"), "{p}");
    }
    // Still serving.
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn past_the_evaluation_deadline_the_answer_is_503_and_the_server_keeps_serving() {
    let server = Server::start(icgs_serve::Config {
        eval_timeout: Duration::ZERO,
        ..icgs_serve::Config::default()
    });
    let bytes = std::fs::read(example("binjiang-tech-innovation.json")).unwrap();
    for _ in 0..3 {
        let p = server.post_json("/v1/check", &bytes).problem(503);
        assert_eq!(p["type"], "urn:icgs:problem:deadline");
    }
    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(server.get("/readyz").status, 200);
    assert_eq!(server.get("/v1/rules").status, 200);
}

/// A report without the SHA-256 of its bytes.
fn without_hash(report: &Value) -> Value {
    let mut report = report.clone();
    assert!(report["profile"]["sha256"].is_string(), "{report}");
    report["profile"]["sha256"] = Value::Null;
    report
}

#[test]
fn batches_stream_one_ndjson_line_per_profile_in_input_order() {
    let server = Server::default();
    let files = [
        example("binjiang-tech-innovation.json"),
        example("qiantang-smart-manufacturing.json"),
    ];
    let cli: Vec<Value> = files
        .iter()
        .map(|f| {
            let o = icgs(&["check", "--format", "json", f.to_str().unwrap()]);
            serde_json::from_str(&stdout(&o)).unwrap()
        })
        .collect();
    let raw: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();

    // A JSON array of the files' bytes: the reports are the CLI's but for the SHA-256 of
    // the bytes (an element has no final newline).
    let mut array = b"[".to_vec();
    array.extend_from_slice(&raw[0]);
    array.extend_from_slice(b",\n");
    array.extend_from_slice(&raw[1]);
    array.extend_from_slice(b"]");
    let a = server.post_json("/v1/check/batch?allow_invalid=true", &array);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.content_type, "application/x-ndjson");
    let lines: Vec<Value> = a
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), cli.len());
    for (line, expected) in lines.iter().zip(&cli) {
        assert_eq!(without_hash(line), without_hash(expected));
    }

    // NDJSON: one compact profile per line, blank lines ignored, a broken line answered
    // with its problem and the rest still evaluated.
    let mut ndjson = String::new();
    for r in &raw {
        let v: Value = serde_json::from_slice(r).unwrap();
        ndjson.push_str(&v.to_string());
        ndjson.push_str("\n\n");
    }
    ndjson.push_str("{\"id\": \n");
    let a = server.post(
        "/v1/check/batch?allow_invalid=true",
        "application/x-ndjson",
        ndjson.as_bytes(),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let lines: Vec<Value> = a
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{}", a.body);
    for (line, expected) in lines.iter().zip(&cli) {
        assert_eq!(without_hash(line), without_hash(expected));
    }
    assert_eq!(lines[2]["source"], "request:5", "{}", lines[2]);
    assert_eq!(lines[2]["problem"]["status"], 400, "{}", lines[2]);
    // Positions are within the line's profile.
    assert_eq!(
        lines[2]["problem"]["problems"][0]["line"], 1,
        "{}",
        lines[2]
    );

    let p = server.post_json("/v1/check/batch", b"{}").problem(400);
    assert!(p["detail"].as_str().unwrap().contains("array"), "{p}");
    server
        .post_json("/v1/check/batch?format=html", b"[]")
        .problem(400);
}

#[test]
fn validate_lists_the_problems_icgs_validate_lists() {
    let server = Server::default();
    for file in examples() {
        let a = server.post_json("/v1/validate", &std::fs::read(&file).unwrap());
        assert_eq!(a.status, 200, "{}", a.body);
        let doc = a.json();
        let expected = cli_problems(&file);
        let status = if expected.is_empty() { "ok" } else { "invalid" };
        assert_eq!(doc["status"], status, "{}", file.display());
        assert_eq!(without_source(&doc["problems"]), expected);
    }
}

#[test]
fn rules_schemas_and_the_openapi_document() {
    let server = Server::default();
    let a = server.get("/v1/rules");
    assert_eq!(a.status, 200);
    let cli: Value = serde_json::from_str(&stdout(&icgs(&["rules", "--json"]))).unwrap();
    assert_eq!(a.json(), cli);

    let id = cli[0]["id"].as_str().unwrap();
    let rule = server.get(&format!("/v1/rules/{id}")).json();
    assert_eq!(rule["rule"]["id"], id);
    assert!(rule["rule"]["text"]["zh"].is_string(), "{rule}");
    assert!(rule["rule"]["remedy"]["en"].is_string(), "{rule}");
    assert!(rule["layers"]["defined_by"]["pack"].is_string(), "{rule}");
    let p = server.get(&format!("/v1/rules/{id}9")).problem(404);
    assert_eq!(p["suggestion"], id, "{p}");
    assert!(
        p["detail"].as_str().unwrap().contains("did you mean"),
        "{p}"
    );

    let a = server.get("/v1/schema/profile");
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "application/schema+json");
    assert_eq!(a.body, stdout(&icgs(&["schema"])));
    let schema = server.get("/v1/schema/report").json();
    assert!(schema["properties"]["summary"].is_object(), "{schema}");

    let a = server.get("/v1/openapi.json");
    assert_eq!(a.status, 200);
    let doc = a.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1."),
        "{doc}"
    );
    for route in [
        "/v1/check",
        "/v1/check/batch",
        "/v1/validate",
        "/v1/rules",
        "/v1/rules/{id}",
        "/v1/schema/profile",
        "/v1/schema/report",
        "/v1/openapi.json",
        "/healthz",
        "/readyz",
        "/metrics",
    ] {
        assert!(doc["paths"][route].is_object(), "{route} documented");
    }
    assert_eq!(a.body, icgs_serve::openapi::json());
}

#[test]
fn health_metrics_request_ids_and_unknown_routes() {
    let server = Server::default();
    let a = server.get("/healthz");
    assert_eq!((a.status, a.json()["status"].clone()), (200, "ok".into()));
    let a = server.get("/readyz");
    assert_eq!(a.status, 200);
    assert!(a.json()["rules"].as_u64().unwrap() > 50);

    let bytes = std::fs::read(example("binjiang-tech-innovation.json")).unwrap();
    let first = server.post_json("/v1/check", &bytes);
    let second = server.post_json("/v1/check", &bytes);
    assert!(first.request_id.is_some());
    assert_ne!(first.request_id, second.request_id);
    let grade = first.json()["summary"]["grade"]
        .as_str()
        .unwrap()
        .to_owned();

    let p = server.get("/v1/nothing").problem(404);
    assert!(p["detail"].as_str().unwrap().contains("/v1/nothing"), "{p}");
    server.get("/v1/check").problem(405);

    let m = server.get("/metrics");
    assert_eq!(m.status, 200);
    assert!(m.content_type.starts_with("text/plain; version=0.0.4"));
    for line in [
        "icgs_http_requests_total{route=\"/v1/check\",status=\"200\"} 2\n".to_owned(),
        "icgs_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n".to_owned(),
        "icgs_evaluation_seconds_count 2\n".to_owned(),
        format!("icgs_profiles_evaluated_total{{grade=\"{grade}\"}} 2\n"),
    ] {
        assert!(m.body.contains(&line), "{line} in\n{}", m.body);
    }
}

#[test]
fn with_a_token_every_route_but_health_requires_it() {
    let server = Server::start(icgs_serve::Config {
        token: Some("t0ken-for-tests".to_owned()),
        ..icgs_serve::Config::default()
    });
    assert_eq!(server.get("/v1/rules").status, 200);
    let client: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = |path: &str| server.url(path);
    let bare = |path: &str| Answer::from(client.get(url(path)).call().unwrap());
    for path in [
        "/v1/rules",
        "/v1/openapi.json",
        "/metrics",
        "/v1/schema/profile",
    ] {
        bare(path).problem(401);
    }
    let wrong = client
        .get(url("/v1/rules"))
        .header("Authorization", "Bearer t0ken-for-test")
        .call()
        .unwrap();
    assert_eq!(
        wrong.headers().get("www-authenticate").unwrap(),
        "Bearer realm=\"icgs\""
    );
    Answer::from(wrong).problem(401);
    let a = client
        .post(url("/v1/check"))
        .header("Content-Type", "application/json")
        .send(&b"{}"[..])
        .unwrap();
    Answer::from(a).problem(401);
    assert_eq!(bare("/healthz").status, 200);
    assert_eq!(bare("/readyz").status, 200);
}

/// The `icgs serve` subcommand: logs without profile contents, and SIGTERM finishes cleanly.
#[cfg(unix)]
#[test]
fn icgs_serve_logs_requests_without_contents_and_stops_on_sigterm() {
    let dir = common::scratch("serve-sigterm");
    let token = dir.join("token");
    std::fs::write(&token, "s3cret\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_icgs"))
        .args(["serve", "--listen", "127.0.0.1:0", "--token-file"])
        .arg(&token)
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines() {
            let _ = tx.send(line.unwrap_or_default());
        }
    });
    let mut log = Vec::new();
    let addr = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("listening");
        log.push(line.clone());
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    let bytes = std::fs::read(example("binjiang-tech-innovation.json")).unwrap();
    let profile: Value = serde_json::from_slice(&bytes).unwrap();
    let name = profile["name"].as_str().unwrap().to_owned();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let r = agent
        .post(format!("http://{addr}/v1/check"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer s3cret")
        .send(&bytes[..])
        .unwrap();
    assert_eq!(r.status(), 200);

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    log.extend(rx.iter());
    let log = log.join("\n");
    assert!(log.contains("route=/v1/check"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("stopped"), "{log}");
    assert!(
        !log.contains(&name),
        "no profile contents in the log:\n{log}"
    );
    assert!(!log.contains("s3cret"), "no token in the log:\n{log}");
}

#[test]
fn icgs_serve_refuses_an_empty_token_file() {
    let dir = common::scratch("serve-empty-token");
    let token = dir.join("token");
    std::fs::write(&token, "\n").unwrap();
    let o = icgs(&["serve", "--token-file", token.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is empty"), "{}", stderr(&o));
}

/// Binjiang's chain and its sibling Xihu's, both loaded: each request gets one chain, from
/// its profile's district or the overlay it names, never both districts.
#[test]
fn each_request_is_evaluated_with_one_chain_of_overlays() {
    let mut packs = icgs::pack::Pack::embedded().unwrap();
    for dir in [
        "policies/overlays",
        "core/tests/fixtures/packs/overlay-sibling-xihu",
    ] {
        packs.extend(icgs::pack::Pack::discover(root().join(dir)).unwrap());
    }
    let server = Server::with_packs(packs, icgs_serve::Config::default());
    let binjiang =
        std::fs::read(root().join("examples/profiles/binjiang-tech-innovation.json")).unwrap();
    let xihu = std::fs::read(root().join("examples/profiles/xihu-cultural-creative.json")).unwrap();
    let chain = |answer: &Answer| -> (Vec<String>, String) {
        assert_eq!(answer.status, 200, "{}", answer.body);
        let report = answer.json();
        let c = &report["overlay_chain"];
        (
            c["overlays"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_str().unwrap().to_owned())
                .collect(),
            c["chosen_by"].as_str().unwrap().to_owned(),
        )
    };
    let check = |query: &str, body: &[u8]| {
        server.post_json(&format!("/v1/check?allow_invalid=true{query}"), body)
    };
    let base = ["zhejiang@1.0.0", "hangzhou@1.0.0"];
    let (bj, how) = chain(&check("", &binjiang));
    assert_eq!(bj, [base[0], base[1], "binjiang@1.0.0"]);
    assert_eq!(how, "applies-to");
    let (xh, how) = chain(&check("", &xihu));
    assert_eq!(xh, [base[0], base[1], "xihu@1.0.0"]);
    assert_eq!(how, "applies-to");
    // The same as `icgs check` gives with the same packs.
    let cli = icgs(&[
        "check",
        "--format",
        "json",
        "--pack",
        &root().join("policies/overlays").display().to_string(),
        "--pack",
        &root()
            .join("core/tests/fixtures/packs/overlay-sibling-xihu")
            .display()
            .to_string(),
        "--allow-invalid",
        &root()
            .join("examples/profiles/binjiang-tech-innovation.json")
            .display()
            .to_string(),
    ]);
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    let served = check("", &binjiang).json();
    assert_eq!(served["summary"], cli["summary"]);
    assert_eq!(served["overlay_chain"], cli["overlay_chain"]);
    // Named in the request: the Xihu community with Binjiang's chain.
    let (named, how) = chain(&check("&overlay=binjiang", &xihu));
    assert_eq!(named, bj);
    assert_eq!(how, "named");
    // A batch: each profile its own chain, or the one named for all.
    let batch = format!(
        "{}\n{}\n",
        serde_json::to_string(&serde_json::from_slice::<Value>(&binjiang).unwrap()).unwrap(),
        serde_json::to_string(&serde_json::from_slice::<Value>(&xihu).unwrap()).unwrap()
    );
    let lines = |query: &str| -> Vec<Value> {
        let a = server.post(
            &format!("/v1/check/batch?allow_invalid=true{query}"),
            "application/x-ndjson",
            batch.as_bytes(),
        );
        assert_eq!(a.status, 200, "{}", a.body);
        a.body
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let leaf = |r: &Value| r["overlay_chain"]["overlays"][2].clone();
    let each = lines("");
    assert_eq!(
        each.iter().map(leaf).collect::<Vec<_>>(),
        ["binjiang@1.0.0", "xihu@1.0.0"]
    );
    let all = lines("&overlay=xihu");
    assert_eq!(
        all.iter().map(leaf).collect::<Vec<_>>(),
        ["xihu@1.0.0", "xihu@1.0.0"]
    );
    // The rules of a chain: Xihu's local rule only in Xihu's.
    let ids = |query: &str| -> Vec<String> {
        server
            .get(&format!("/v1/rules{query}"))
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(ids("?overlay=xihu").contains(&"L.XH.1".to_owned()));
    assert!(!ids("?overlay=binjiang").contains(&"L.XH.1".to_owned()));
    assert!(!ids("").contains(&"L.XH.1".to_owned()));
    // An unknown overlay: a problem naming it, with the closest id; answered before the body.
    let p = check("&overlay=binjaing", &binjiang).problem(400);
    assert_eq!(p["type"], "urn:icgs:problem:unknown-overlay");
    assert_eq!(p["suggestion"], "binjiang");
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("`binjaing`") && detail.contains("did you mean `binjiang`?"),
        "{detail}"
    );
    let p = server.get("/v1/rules/6.4.3?overlay=nowhere").problem(400);
    assert_eq!(p["type"], "urn:icgs:problem:unknown-overlay");
    let p = server
        .post(
            "/v1/check/batch?overlay=xihuu",
            "application/x-ndjson",
            batch.as_bytes(),
        )
        .problem(400);
    assert_eq!(p["suggestion"], "xihu");
}

/// Two districts that both apply to one community (neither declares `applies_to`): the
/// request is refused with a problem naming both, not evaluated with both.
#[test]
fn overlays_that_are_not_one_chain_are_a_problem_not_a_stacked_verdict() {
    let mut packs = icgs::pack::Pack::embedded().unwrap();
    for dir in [
        "policies/overlays",
        "core/tests/fixtures/packs/overlay-sibling-xihu",
    ] {
        packs.extend(icgs::pack::Pack::discover(root().join(dir)).unwrap());
    }
    for p in &mut packs {
        p.manifest.applies_to = None;
    }
    let server = Server::with_packs(packs, icgs_serve::Config::default());
    let binjiang =
        std::fs::read(root().join("examples/profiles/binjiang-tech-innovation.json")).unwrap();
    let p = server
        .post_json("/v1/check?allow_invalid=true", &binjiang)
        .problem(422);
    assert_eq!(p["type"], "urn:icgs:problem:overlay-chain");
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("binjiang") && detail.contains("xihu"),
        "{detail}"
    );
    // Naming one resolves it.
    let a = server.post_json("/v1/check?allow_invalid=true&overlay=binjiang", &binjiang);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["overlay_chain"]["overlays"][2], "binjiang@1.0.0");
}
