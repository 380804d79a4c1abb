//! The OpenAPI 3.1 document, generated from the handlers' annotations; committed at
//! `docs/openapi.json` (a test fails when it drifts) and served at `/v1/openapi.json`.

use utoipa::OpenApi as _;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::handlers;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "icgs",
        description = "《现代产业社区治理与服务规范》 as an HTTP service: evaluate community profiles against the standard (docs/serve.md).",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        handlers::check, handlers::batch, handlers::validate, handlers::rules, handlers::rule,
        handlers::profile_schema, handlers::report_schema, handlers::openapi, handlers::metrics,
        handlers::healthz, handlers::readyz,
    ),
    components(schemas(crate::Problem, handlers::Format, handlers::LangParam)),
    modifiers(&Bearer),
    security(("bearer" = [])),
    tags(
        (name = "check", description = "Evaluate and validate profiles"),
        (name = "rules", description = "The rules in force"),
        (name = "schemas", description = "JSON Schemas and this document"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
struct Doc;

/// `Authorization: Bearer`, required on every route but the health checks when the server
/// runs with `--token-file`.
struct Bearer;

impl utoipa::Modify for Bearer {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as pretty JSON with a final newline (the bytes of `docs/openapi.json`).
#[must_use]
pub fn json() -> String {
    let mut s = Doc::openapi().to_pretty_json().unwrap_or_default();
    s.push('\n');
    s
}
