//! The routes. Each documents itself for the OpenAPI document (`openapi.rs`).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt as _;
use icgs::report::Report;
use icgs::{CheckError, EvalOptions};
use icgs_render::Lang;
use serde::Deserialize;
use serde_json::json;
use serde_json::value::RawValue;

use crate::AppState;
use crate::problem::Problem;

type Answer = Result<Response, Problem>;

/// The name profiles carry in problems (`source`), as a file name does for `icgs validate`.
const SOURCE: &str = "request";

/// A report format (`?format=`).
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The JSON report of REPORT.md, byte for byte what `icgs check --format json` writes
    #[default]
    Json,
    /// One self-contained HTML page
    Html,
    /// Markdown with tables
    Markdown,
    /// A row per rule
    Csv,
}

/// A language (`?lang=`) for HTML and Markdown; JSON and CSV carry both.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LangParam {
    /// 中文 (authoritative)
    #[default]
    Zh,
    /// English
    En,
}

/// Query of `POST /v1/check` and `POST /v1/check/batch`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// Report format (batch: JSON only)
    format: Option<Format>,
    /// Language of HTML and Markdown
    lang: Option<LangParam>,
    /// Evaluate as of this date (YYYY-MM-DD) instead of the profile's `as_of`
    as_of: Option<String>,
    /// Evaluate a profile with problems anyway (`icgs check --allow-invalid`); invalid values
    /// decide no verdict
    allow_invalid: Option<bool>,
    /// Evaluate with this overlay and the overlays it `extends` (`icgs check --overlay`);
    /// without it, the server's `--overlay`, else the overlays whose `applies_to` matches
    /// the profile's `city` and `district`. The report's `overlay_chain` names the chain
    overlay: Option<String>,
}

/// Query of `GET /v1/rules` and `GET /v1/rules/{id}`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RulesQuery {
    /// The rules of this overlay's chain; without it, the server's `--overlay`, else the
    /// overlays that declare no `applies_to`
    overlay: Option<String>,
}

/// The overlay a request names, known to be loaded: checked before the body is read.
fn named_overlay(state: &AppState, overlay: Option<&String>) -> Result<Option<String>, Problem> {
    let Some(id) = overlay else {
        return Ok(None);
    };
    let loaded: Vec<&str> = state
        .engines
        .set()
        .packs()
        .iter()
        .filter(|p| p.manifest.layer == icgs::pack::Layer::Overlay)
        .map(|p| p.manifest.id.as_str())
        .collect();
    if loaded.contains(&id.as_str()) {
        Ok(Some(id.clone()))
    } else {
        Err(Problem::unknown_overlay(id, &loaded))
    }
}

/// The engine of one chain: the overlay named, else the server's choice for `bytes` (a
/// profile, or `{}` for no place). Builds it the first time (call on the blocking pool).
fn engine(
    state: &AppState,
    overlay: Option<&str>,
    bytes: &[u8],
) -> Result<Arc<icgs::Engine>, Problem> {
    match overlay {
        Some(id) => state.engines.named(id),
        None => state.engines.for_profile(bytes),
    }
    .map_err(|e| Problem::chain(&e))
}

impl CheckQuery {
    fn parse(query: Result<Query<Self>, QueryRejection>) -> Result<Self, Problem> {
        query
            .map(|Query(q)| q)
            .map_err(|e| Problem::bad_query(e.body_text()))
    }

    /// The evaluation options: the server's, with another date when `as_of` is given.
    fn eval(&self, state: &AppState) -> Result<Option<EvalOptions>, Problem> {
        self.as_of
            .as_deref()
            .map(|date| {
                state
                    .eval
                    .clone()
                    .as_of(date)
                    .map_err(|e| Problem::bad_query(format!("`as_of`: {e}")))
            })
            .transpose()
    }
}

/// Runs `work` on the blocking pool under the evaluation deadline: past it the answer is
/// 503, and the work finishes in the background (each rule call has its own deadline).
async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&AppState) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    let shared = state.clone();
    let task = tokio::task::spawn_blocking(move || work(&shared));
    match tokio::time::timeout(state.eval_timeout, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(Problem::internal("the evaluation stopped unexpectedly")),
        Err(_) => Err(Problem::deadline(state.eval_timeout)),
    }
}

/// Reads, checks and evaluates one profile, as `icgs check` does; a profile with problems
/// is refused (422, with every problem located as `icgs validate` does) unless
/// `allow_invalid`.
fn evaluate(
    state: &AppState,
    name: &str,
    bytes: &[u8],
    eval: Option<&EvalOptions>,
    allow_invalid: bool,
    overlay: Option<&str>,
) -> Result<Report, Problem> {
    let started = Instant::now();
    let eval = eval.unwrap_or(&state.eval);
    match engine(state, overlay, bytes)?.check_bytes_with(name, bytes, &state.read, eval) {
        Ok(report) if !allow_invalid && !report.profile_problems.is_empty() => Err(
            Problem::invalid(icgs::validate(name, bytes, &state.read).problems),
        ),
        Ok(report) => {
            state
                .metrics
                .evaluated(started.elapsed(), &report.summary.grade);
            Ok(report)
        }
        Err(CheckError::Profile(e)) => Err(Problem::unreadable(&e)),
        Err(CheckError::Evaluate(e)) => Err(Problem::not_evaluable(&e)),
        Err(e) => Err(Problem::internal(e.to_string())),
    }
}

/// The essence of `Content-Type` (`application/json`), lower case.
fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = value.split(';').next().unwrap_or_default().trim();
    Some(essence.to_ascii_lowercase())
}

fn is_json(media: Option<&str>) -> bool {
    media.is_some_and(|m| m == "application/json" || m.ends_with("+json"))
}

fn require_json(headers: &HeaderMap) -> Result<(), Problem> {
    let media = media_type(headers);
    if is_json(media.as_deref()) {
        Ok(())
    } else {
        Err(Problem::unsupported_media_type(
            media.as_deref(),
            "`application/json`",
        ))
    }
}

/// Bytes past the limit that are still read (and dropped) before answering 413, so that a
/// client still sending its body reads the answer instead of a reset connection.
const DRAIN: usize = 64 * 1024 * 1024;

/// The whole body, at most `limit` bytes.
async fn read_body(mut body: Body, limit: usize) -> Result<Bytes, Problem> {
    let mut buf = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| Problem::body(&e))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen > limit.saturating_add(DRAIN) {
            break;
        }
        if seen <= limit {
            buf.extend_from_slice(&data);
        }
    }
    if seen > limit {
        return Err(Problem::too_large(limit));
    }
    Ok(Bytes::from(buf))
}

fn text(status: StatusCode, content_type: &'static str, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

fn render(report: &Report, format: Format, lang: Lang) -> Result<(&'static str, String), Problem> {
    let one = [report];
    let failed = |e: anyhow::Error| Problem::internal(format!("cannot render the report: {e:#}"));
    Ok(match format {
        Format::Json => (
            "application/json",
            report
                .to_json()
                .map_err(|e| Problem::internal(format!("cannot write the report as JSON: {e}")))?,
        ),
        Format::Html => (
            "text/html; charset=utf-8",
            icgs_render::html::reports(&one, lang).map_err(failed)?,
        ),
        Format::Markdown => (
            "text/markdown; charset=utf-8",
            icgs_render::markdown::reports(&one, lang),
        ),
        Format::Csv => (
            "text/csv; charset=utf-8",
            icgs_render::csv::reports(&one, lang).map_err(failed)?,
        ),
    })
}

/// Evaluate one community profile.
#[utoipa::path(
    post, path = "/v1/check", tag = "check", params(CheckQuery),
    request_body(content = Object, content_type = "application/json",
        description = "A community profile (schema: /v1/schema/profile)"),
    responses(
        (status = 200, description = "The report (schema: /v1/schema/report), or its HTML, Markdown or CSV rendering",
            content((Object = "application/json"), (String = "text/html"), (String = "text/markdown"), (String = "text/csv"))),
        (status = 400, description = "Unreadable profile or bad query; an unknown `overlay` (`suggestion` is the closest id)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over the limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `application/json`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid profile: every problem with JSON pointer and line:column; or the overlays that apply to it are not one chain", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Evaluation deadline exceeded", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn check(
    State(state): State<Arc<AppState>>,
    query: Result<Query<CheckQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    let query = CheckQuery::parse(query)?;
    require_json(&headers)?;
    let eval = query.eval(&state)?;
    let overlay = named_overlay(&state, query.overlay.as_ref())?;
    let bytes = read_body(body, state.read.max_bytes).await?;
    let format = query.format.unwrap_or_default();
    let lang = match query.lang.unwrap_or_default() {
        LangParam::Zh => Lang::Zh,
        LangParam::En => Lang::En,
    };
    let allow_invalid = query.allow_invalid.unwrap_or(false);
    let (content_type, body) = blocking(&state, move |state| {
        let report = evaluate(
            state,
            SOURCE,
            &bytes,
            eval.as_ref(),
            allow_invalid,
            overlay.as_deref(),
        )?;
        render(&report, format, lang)
    })
    .await?;
    Ok(text(StatusCode::OK, content_type, body))
}

/// Splits a batch into named profiles: the elements of a JSON array, or the non-blank lines
/// of NDJSON.
fn batch_items(bytes: &Bytes, ndjson: bool) -> Result<Vec<(String, Bytes)>, Problem> {
    if ndjson {
        let mut items = Vec::new();
        let mut start = 0;
        for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
            let end = start + line.len();
            if !line.trim_ascii().is_empty() {
                items.push((format!("{SOURCE}:{}", i + 1), bytes.slice(start..end)));
            }
            start = end + 1;
        }
        return Ok(items);
    }
    let elements: Vec<&RawValue> = serde_json::from_slice(bytes).map_err(|e| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "unreadable-batch",
            "批量请求无法读取 / The batch cannot be read",
            format!("expected a JSON array of profiles: {e}"),
        )
    })?;
    let base = bytes.as_ptr() as usize;
    Ok(elements
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let start = raw.get().as_ptr() as usize - base;
            let range = start..start + raw.get().len();
            (format!("{SOURCE}[{i}]"), bytes.slice(range))
        })
        .collect())
}

/// One NDJSON line: the compact report, or `{"source": …, "problem": …}`.
async fn batch_line(
    state: &Arc<AppState>,
    name: String,
    bytes: Bytes,
    eval: Option<Arc<EvalOptions>>,
    allow_invalid: bool,
    overlay: Option<Arc<str>>,
) -> String {
    let source = name.clone();
    let result = blocking(state, move |state| {
        let report = evaluate(
            state,
            &name,
            &bytes,
            eval.as_deref(),
            allow_invalid,
            overlay.as_deref(),
        )?;
        serde_json::to_string(&report).map_err(|e| Problem::internal(e.to_string()))
    })
    .await;
    let mut line = result
        .unwrap_or_else(|problem| json!({ "source": source, "problem": problem }).to_string());
    line.push('\n');
    line
}

/// Evaluate many profiles; one report per line, streamed as each is ready.
#[utoipa::path(
    post, path = "/v1/check/batch", tag = "check", params(CheckQuery),
    request_body(description = "A JSON array of profiles, or NDJSON: one profile per line",
        content((Object = "application/json"), (String = "application/x-ndjson"))),
    responses(
        (status = 200, description = "NDJSON, in input order: a compact report per profile, or `{\"source\", \"problem\"}` for a profile that could not be evaluated",
            content_type = "application/x-ndjson", body = String),
        (status = 400, description = "Not a JSON array, a bad query, or an unknown `overlay` (`suggestion` is the closest id)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over the limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither JSON nor NDJSON", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn batch(
    State(state): State<Arc<AppState>>,
    query: Result<Query<CheckQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    let query = CheckQuery::parse(query)?;
    if !matches!(query.format, None | Some(Format::Json)) {
        return Err(Problem::bad_query(
            "`format`: a batch answers NDJSON reports only; use `format=json`",
        ));
    }
    let media = media_type(&headers);
    let ndjson = match media.as_deref() {
        Some("application/x-ndjson" | "application/jsonl") => true,
        m if is_json(m) => false,
        m => {
            return Err(Problem::unsupported_media_type(
                m,
                "`application/json` (an array) or `application/x-ndjson`",
            ));
        }
    };
    let eval = query.eval(&state)?.map(Arc::new);
    let overlay: Option<Arc<str>> = named_overlay(&state, query.overlay.as_ref())?.map(Into::into);
    let allow_invalid = query.allow_invalid.unwrap_or(false);
    let bytes = read_body(body, state.read.max_bytes).await?;
    let items = batch_items(&bytes, ndjson)?;
    let (tx, rx) = tokio::sync::mpsc::channel::<String>(4);
    tokio::spawn(async move {
        for (name, item) in items {
            let line = batch_line(
                &state,
                name,
                item,
                eval.clone(),
                allow_invalid,
                overlay.clone(),
            )
            .await;
            if tx.send(line).await.is_err() {
                break; // the client went away
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|line| (Ok::<_, Infallible>(Bytes::from(line)), rx))
    });
    Ok((
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(stream),
    )
        .into_response())
}

/// Validate one profile: every problem, as `icgs validate --format json` lists it.
#[utoipa::path(
    post, path = "/v1/validate", tag = "check",
    request_body(content = Object, content_type = "application/json",
        description = "A community profile"),
    responses(
        (status = 200, description = "`{source, status: ok|invalid, problems}`, one file entry of `icgs validate --format json`",
            body = Object, content_type = "application/json"),
        (status = 401, description = "Missing or wrong bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over the limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `application/json`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Deadline exceeded", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn validate(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    require_json(&headers)?;
    let bytes = read_body(body, state.read.max_bytes).await?;
    let doc = blocking(&state, move |state| {
        let problems = icgs::validate(SOURCE, &bytes, &state.read).problems;
        let status = if problems.is_empty() { "ok" } else { "invalid" };
        Ok(json!({ "source": SOURCE, "status": status, "problems": problems }))
    })
    .await?;
    Ok(json_response(&doc))
}

fn json_response(doc: &serde_json::Value) -> Response {
    let body = serde_json::to_string_pretty(doc).unwrap_or_default() + "\n";
    text(StatusCode::OK, "application/json", body)
}

/// The engine of a rules request's chain, on the blocking pool (a chain's first request
/// builds it), not under the evaluation deadline: no profile is evaluated.
async fn rules_engine(
    state: &Arc<AppState>,
    query: Result<Query<RulesQuery>, QueryRejection>,
) -> Result<Arc<icgs::Engine>, Problem> {
    let query = query
        .map(|Query(q)| q)
        .map_err(|e| Problem::bad_query(e.body_text()))?;
    let overlay = named_overlay(state, query.overlay.as_ref())?;
    let shared = state.clone();
    tokio::task::spawn_blocking(move || engine(&shared, overlay.as_deref(), b"{}"))
        .await
        .map_err(|_| Problem::internal("building the chain's engine stopped unexpectedly"))?
}

/// The rules in force, in clause order (as `icgs rules --json`).
#[utoipa::path(
    get, path = "/v1/rules", tag = "rules", params(RulesQuery),
    responses(
        (status = 200, description = "id, clause, level, dimension, title, categories, pack, weight of each rule", body = Object, content_type = "application/json"),
        (status = 400, description = "An unknown `overlay` (`suggestion` is the closest id)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong bearer token", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn rules(
    State(state): State<Arc<AppState>>,
    query: Result<Query<RulesQuery>, QueryRejection>,
) -> Answer {
    let engine = rules_engine(&state, query).await?;
    let rules: Vec<serde_json::Value> = engine
        .rules()
        .map(|r| icgs_render::rules::summary(&r))
        .collect();
    Ok(json_response(&serde_json::Value::Array(rules)))
}

/// One rule: what `icgs explain` shows.
#[utoipa::path(
    get, path = "/v1/rules/{id}", tag = "rules",
    params(("id" = String, Path, description = "Rule id, e.g. `6.4.3` or `C.SM.2`"), RulesQuery),
    responses(
        (status = 200, description = "Metadata, clause text, check, remedy, parameters with the layer that set them, and the layers that changed the rule", body = Object, content_type = "application/json"),
        (status = 400, description = "An unknown `overlay` (`suggestion` is the closest id)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such rule; `suggestion` is the closest id", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn rule(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    query: Result<Query<RulesQuery>, QueryRejection>,
) -> Answer {
    let engine = rules_engine(&state, query).await?;
    let engine = &*engine;
    let Some(r) = engine.rules().find(|r| r.meta.id == id) else {
        let near = icgs_render::rules::nearest(engine, &id);
        let mut problem = Problem::new(
            StatusCode::NOT_FOUND,
            "unknown-rule",
            "没有该规则 / No such rule",
            format!(
                "no rule `{id}`{}; `GET /v1/rules` lists all {}",
                near.as_deref()
                    .map(|n| format!(", did you mean `{n}`?"))
                    .unwrap_or_default(),
                engine.rules().count()
            ),
        );
        problem.suggestion = near;
        return Err(problem);
    };
    Ok(json_response(&icgs_render::rules::detail(engine, &r)))
}

/// The JSON Schema of the community profile (as `icgs schema`).
#[utoipa::path(
    get, path = "/v1/schema/profile", tag = "schemas",
    responses((status = 200, description = "JSON Schema 2020-12", body = Object, content_type = "application/schema+json"))
)]
pub async fn profile_schema() -> Response {
    text(
        StatusCode::OK,
        "application/schema+json",
        icgs::profile_schema_json(),
    )
}

/// The JSON Schema of the report.
#[utoipa::path(
    get, path = "/v1/schema/report", tag = "schemas",
    responses((status = 200, description = "JSON Schema 2020-12", body = Object, content_type = "application/schema+json"))
)]
pub async fn report_schema() -> Response {
    let body = serde_json::to_string_pretty(&icgs::report::report_schema()).unwrap_or_default();
    text(StatusCode::OK, "application/schema+json", body + "\n")
}

/// This document.
#[utoipa::path(
    get, path = "/v1/openapi.json", tag = "schemas",
    responses((status = 200, description = "OpenAPI 3.1", body = Object, content_type = "application/json"))
)]
pub async fn openapi() -> Response {
    text(StatusCode::OK, "application/json", crate::openapi::json())
}

/// Prometheus metrics.
#[utoipa::path(
    get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Requests by route and status, evaluation latency histogram, profiles evaluated by grade", body = String, content_type = "text/plain; version=0.0.4"))
)]
pub async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    text(
        StatusCode::OK,
        "text/plain; version=0.0.4; charset=utf-8",
        state.metrics.render(),
    )
}

/// Liveness: the process answers (no token needed).
#[utoipa::path(
    get, path = "/healthz", tag = "operations", security(()),
    responses((status = 200, description = "`{\"status\": \"ok\"}`", body = Object, content_type = "application/json"))
)]
pub async fn healthz() -> Response {
    json_response(&json!({ "status": "ok" }))
}

/// Readiness: the engine is built and the server is not shutting down (no token needed).
#[utoipa::path(
    get, path = "/readyz", tag = "operations", security(()),
    responses(
        (status = 200, description = "Ready, with the number of rules in force for a profile that names no overlay and no place", body = Object, content_type = "application/json"),
        (status = 503, description = "Shutting down", body = Object, content_type = "application/json"),
    )
)]
pub async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    if state.ready.load(std::sync::atomic::Ordering::SeqCst) {
        // Built when the server started; a lookup here.
        let rules = state
            .engines
            .for_profile(b"{}")
            .map_or(0, |e| e.rules().count());
        json_response(&json!({ "status": "ready", "rules": rules }))
    } else {
        let mut response = json_response(&json!({ "status": "shutting-down" }));
        *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        response
    }
}

pub async fn not_found(uri: axum::http::Uri) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "没有该资源 / Not found",
        format!(
            "no route `{}`; `GET /v1/openapi.json` lists them",
            uri.path()
        ),
    )
}

pub async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "不支持该方法 / Method not allowed",
        format!(
            "`{method} {}` is not a route; `GET /v1/openapi.json` lists them",
            uri.path()
        ),
    )
}
