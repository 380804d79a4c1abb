//! `icgs serve`: the standard as an HTTP service (`docs/serve.md`).
//!
//! Every request is evaluated with the standard, the category packs and one chain of
//! overlays: the one it names (`?overlay=`), else the server's `--overlay`, else the one
//! the profile's `city` and `district` select ([`Engines`]); each chain's engine is built
//! once and shared. Evaluations run on tokio's blocking pool, sized to the cores, each
//! under a deadline. Every answer that is not a
//! report is a problem document (RFC 9457) with the same problems, JSON pointers and
//! line:column as `icgs validate`.
//!
//! [`run`] serves until SIGTERM or Ctrl-C; [`spawn`] starts a server on its own thread (for
//! tests and the load benchmark) and returns its address.

mod auth;
mod handlers;
mod metrics;
pub mod openapi;
mod problem;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use icgs::pack::Engines;
use icgs::{EvalOptions, ReadOptions};
use tower_http::timeout::TimeoutLayer;

pub use problem::Problem;

/// How the server runs: address, limits, evaluation options, token.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on; loopback unless told otherwise.
    pub listen: SocketAddr,
    /// Largest accepted request body in bytes (a profile, or a whole batch).
    pub max_bytes: usize,
    /// Deepest accepted nesting in a profile.
    pub max_depth: usize,
    /// Deadline of one evaluation, queueing on the blocking pool included; past it the
    /// answer is 503 and the server keeps serving.
    pub eval_timeout: Duration,
    /// Deadline of a whole request (a batch streams its reports within it).
    pub request_timeout: Duration,
    /// Requests handled at once; the rest wait.
    pub max_concurrency: usize,
    /// Evaluation date and waivers applied to every request (`--as-of`, `--waivers`).
    pub eval: EvalOptions,
    /// With a token, every route but `/healthz` and `/readyz` requires
    /// `Authorization: Bearer <token>`.
    pub token: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_bytes: ReadOptions::DEFAULT_MAX_BYTES,
            max_depth: ReadOptions::DEFAULT_MAX_DEPTH,
            eval_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(300),
            max_concurrency: 256,
            eval: EvalOptions::new(),
            token: None,
        }
    }
}

/// What every handler shares.
#[derive(Debug)]
struct AppState {
    engines: Engines,
    read: ReadOptions,
    eval: EvalOptions,
    eval_timeout: Duration,
    token: Option<auth::Token>,
    metrics: metrics::Metrics,
    /// False once shutdown began: `/readyz` answers 503 so balancers stop sending.
    ready: AtomicBool,
    next_id: AtomicU64,
}

/// The routes, with auth, request ids, logs, metrics, limits and the request timeout.
pub fn router(engines: Engines, config: &Config) -> Router {
    router_with_state(state(engines, config), config)
}

fn state(engines: Engines, config: &Config) -> Arc<AppState> {
    // The engine of requests that name no overlay and give no place is built now, so that
    // the first requests and `/readyz` do not wait for it.
    if let Err(e) = engines.for_profile(b"{}") {
        tracing::warn!("the default chain does not build: {e}");
    }
    Arc::new(AppState {
        engines,
        read: ReadOptions {
            max_bytes: config.max_bytes,
            max_depth: config.max_depth,
        },
        eval: config.eval.clone(),
        eval_timeout: config.eval_timeout,
        token: config.token.as_deref().map(auth::Token::new),
        metrics: metrics::Metrics::default(),
        ready: AtomicBool::new(true),
        next_id: AtomicU64::new(1),
    })
}

fn router_with_state(state: Arc<AppState>, config: &Config) -> Router {
    use handlers as h;
    let guarded = Router::new()
        .route("/v1/check", post(h::check))
        .route("/v1/check/batch", post(h::batch))
        .route("/v1/validate", post(h::validate))
        .route("/v1/rules", get(h::rules))
        .route("/v1/rules/{id}", get(h::rule))
        .route("/v1/schema/profile", get(h::profile_schema))
        .route("/v1/schema/report", get(h::report_schema))
        .route("/v1/openapi.json", get(h::openapi))
        .route("/metrics", get(h::metrics))
        .route_layer(middleware::from_fn_with_state(state.clone(), auth::require));
    Router::new()
        .merge(guarded)
        .route("/healthz", get(h::healthz))
        .route("/readyz", get(h::readyz))
        .fallback(h::not_found)
        .method_not_allowed_fallback(h::method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
            config.max_concurrency.max(1),
        ))
        .with_state(state)
}

/// Gives each request an id (`x-request-id`), logs its method, route, status and duration
/// (never its body), and counts it by route and status.
async fn observe(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let id = state.next_id.fetch_add(1, Ordering::Relaxed);
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = request.method().clone();
    let started = Instant::now();
    let span = tracing::info_span!("request", id, %method, route = %route);
    let mut response = {
        use tracing::Instrument as _;
        next.run(request).instrument(span.clone()).await
    };
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| tracing::info!(status, ms = format_args!("{ms:.1}"), "done"));
    state.metrics.request(&route, status);
    if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// Serves `engines` on `config.listen` until SIGTERM or Ctrl-C, then finishes the requests
/// in flight. Builds its own runtime, with a blocking pool sized to the cores.
///
/// # Errors
/// The address cannot be bound, or the runtime cannot start.
pub fn run(engines: Engines, config: &Config) -> std::io::Result<()> {
    runtime()?.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        let state = state(engines, config);
        serve(listener, state, config, shutdown_signal()).await
    })
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .max_blocking_threads(cores)
        .thread_name("icgs-serve")
        .enable_all()
        .build()
}

async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    config: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    tracing::info!(%addr, packs = state.engines.set().packs().len(), "listening on {addr}");
    let app = router_with_state(state.clone(), config);
    let draining = state.clone();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            draining.ready.store(false, Ordering::SeqCst);
            tracing::info!("shutting down: finishing the requests in flight");
        })
        .await?;
    tracing::info!("stopped");
    Ok(())
}

/// SIGTERM (what service managers send) or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// A server started by [`spawn`]: its address; dropping it (or [`Running::stop`]) shuts
/// it down gracefully.
#[derive(Debug)]
pub struct Running {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl Running {
    /// The address it listens on (the actual port when `config.listen` asked for port 0).
    #[must_use]
    pub const fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Shuts down gracefully and waits for the server thread.
    ///
    /// # Errors
    /// The server failed while serving.
    pub fn stop(mut self) -> std::io::Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(std::io::Error::other("the server thread panicked")),
            None => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Starts a server on its own thread and runtime, bound before this returns.
///
/// # Errors
/// The address cannot be bound, or the runtime cannot start.
pub fn spawn(engines: Engines, config: Config) -> std::io::Result<Running> {
    let rt = runtime()?;
    let listener = rt.block_on(tokio::net::TcpListener::bind(config.listen))?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("icgs-serve-main".to_owned())
        .spawn(move || {
            let state = state(engines, &config);
            rt.block_on(serve(listener, state, &config, async {
                let _ = stopped.await;
            }))
        })?;
    Ok(Running {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// Logs to standard error, one line per event with its fields (`key=value`), at `info` and
/// above; `ICGS_LOG=debug|warn|error` changes the level. Call once, from the binary.
pub fn init_logging() {
    use tracing_subscriber::filter::LevelFilter;
    let level = match std::env::var("ICGS_LOG").as_deref() {
        Ok("debug") => LevelFilter::DEBUG,
        Ok("warn") => LevelFilter::WARN,
        Ok("error") => LevelFilter::ERROR,
        Ok("off") => LevelFilter::OFF,
        _ => LevelFilter::INFO,
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
