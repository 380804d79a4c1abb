//! Problem details (RFC 9457, `application/problem+json`): every answer that is not the
//! resource asked for.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A problem document. `title` is bilingual, Chinese first; `problems` are the profile's
/// problems exactly as `icgs validate --format json` lists them (JSON pointer, line, column,
/// code, message, suggestion).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `urn:icgs:problem:<kind>`.
    #[serde(rename = "type", serialize_with = "urn")]
    #[schema(value_type = String)]
    pub kind: &'static str,
    /// What went wrong, in Chinese then English.
    #[schema(value_type = String)]
    pub title: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// What was expected, in English.
    pub detail: String,
    /// The closest known value, when a name was not recognised (`/v1/rules/{id}`,
    /// `?overlay=`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Every problem of the profile, as `icgs validate` reports them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub problems: Vec<icgs::Problem>,
    /// Answered before the request body was read: the connection is closed after the
    /// answer (`Connection: close`), so that a client does not reuse it mid-body.
    #[serde(skip)]
    early: bool,
}

impl Problem {
    /// A problem of `kind` with `status`, bilingual `title` and `detail`.
    pub fn new(
        status: StatusCode,
        kind: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            title,
            status: status.as_u16(),
            detail: detail.into(),
            suggestion: None,
            problems: Vec::new(),
            early: false,
        }
    }

    /// With the profile's problems.
    #[must_use]
    pub fn with_problems(mut self, problems: Vec<icgs::Problem>) -> Self {
        self.problems = problems;
        self
    }

    /// A profile that cannot be read at all (not UTF-8, malformed JSON, not an object…).
    pub fn unreadable(error: &icgs::ProfileError) -> Self {
        let (status, kind, title) = match error {
            icgs::ProfileError::Unreadable(_) => (
                StatusCode::BAD_REQUEST,
                "unreadable-profile",
                "档案无法读取 / The profile cannot be read",
            ),
            _ => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-profile",
                "档案不符合格式 / The profile is invalid",
            ),
        };
        Self::new(status, kind, title, error.to_string()).with_problems(error.problems().to_vec())
    }

    /// A readable profile with problems, refused without `allow_invalid=true`.
    pub fn invalid(problems: Vec<icgs::Problem>) -> Self {
        let n = problems.len();
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-profile",
            "档案不符合格式 / The profile is invalid",
            format!(
                "the profile has {n} problem{}; fix them, or add `allow_invalid=true` to evaluate it anyway (invalid values decide no verdict)",
                if n == 1 { "" } else { "s" }
            ),
        )
        .with_problems(problems)
    }

    /// The profile was read but cannot be evaluated (its `as_of`, an unknown category).
    pub fn not_evaluable(error: &icgs::EvaluateError) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not-evaluable",
            "档案无法评估 / The profile cannot be evaluated",
            error.to_string(),
        )
    }

    /// A query parameter with a value that is not accepted.
    pub fn bad_query(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "bad-query",
            "查询参数有误 / A query parameter is not valid",
            detail,
        )
        .early()
    }

    /// An `overlay` that no pack loaded declares: the ids loaded, and the closest one.
    pub fn unknown_overlay(id: &str, loaded: &[&str]) -> Self {
        let near = icgs::suggest::closest(id, loaded.iter().copied()).map(str::to_owned);
        let mut problem = Self::new(
            StatusCode::BAD_REQUEST,
            "unknown-overlay",
            "没有该地方规范层 / No such overlay",
            format!(
                "`overlay`: no overlay `{id}` is loaded (loaded: {}){}",
                if loaded.is_empty() {
                    "none".to_owned()
                } else {
                    loaded.join(", ")
                },
                near.as_deref()
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default()
            ),
        )
        .early();
        problem.suggestion = near;
        problem
    }

    /// The overlays that apply to the profile are not one chain (two districts both
    /// match), or the chain does not build.
    pub fn chain(error: &icgs::pack::BuildError) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "overlay-chain",
            "地方规范层无法组成一条链 / The overlays cannot form one chain",
            error.to_string(),
        )
    }

    /// Answered before the body was read whole.
    #[must_use]
    const fn early(mut self) -> Self {
        self.early = true;
        self
    }

    /// The body is over the limit.
    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "请求体过大 / The request body is too large",
            format!("the body is larger than {limit} bytes, the limit of this server"),
        )
        .early()
    }

    /// The body could not be received.
    pub fn body(error: &dyn std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unreadable-body",
            "请求体无法接收 / The request body could not be received",
            error.to_string(),
        )
    }

    /// A content type this route does not take.
    pub fn unsupported_media_type(found: Option<&str>, expected: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "不支持的内容类型 / Unsupported content type",
            format!(
                "`Content-Type` is {}, expected {expected}",
                found.map_or_else(|| "missing".to_owned(), |f| format!("`{f}`"))
            ),
        )
        .early()
    }

    /// The evaluation did not finish within the deadline.
    pub fn deadline(timeout: std::time::Duration) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "deadline",
            "评估超时 / The evaluation exceeded its deadline",
            format!(
                "the evaluation did not finish within {} ms; the server is busy or the profile is very large: retry later",
                timeout.as_millis()
            ),
        )
    }

    /// Missing or wrong bearer token.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "未授权 / Unauthorized",
            "this server requires `Authorization: Bearer <token>` with the token it was started with",
        )
        .early()
    }

    /// Something that should not happen.
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误 / Internal error",
            detail,
        )
    }
}

fn urn<S: serde::Serializer>(kind: &&'static str, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("urn:icgs:problem:{kind}"))
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string_pretty(&self).unwrap_or_default() + "\n";
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response();
        if self.early {
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"icgs\""),
            );
        }
        response
    }
}
