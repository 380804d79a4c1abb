//! `icgs serve`: the standard as an HTTP service (`docs/serve.md`). The server is the
//! `icgs-serve` library; this builds its engine and configuration from the flags `icgs
//! check` takes.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use icgs::ReadOptions;

use super::check::PackArgs;

/// Arguments of `icgs serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on; loopback by default: put a reverse proxy with TLS in front to
    /// serve other hosts
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    packs: PackArgs,
    #[command(flatten)]
    layers: super::layers::LayerArgs,
    /// A file holding the bearer token every route but /healthz and /readyz requires
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Largest accepted request body in bytes (a profile, or a whole batch)
    #[arg(long, value_name = "N", default_value_t = ReadOptions::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
    /// Deadline of one evaluation in seconds; past it the answer is 503
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    eval_timeout: f64,
    /// Requests handled at once; the others wait
    #[arg(long, value_name = "N", default_value_t = 256)]
    max_concurrency: usize,
    #[command(flatten)]
    lang: super::LangArg,
}

/// Loads the packs (and builds the engine of the default chain), then serves until SIGTERM
/// or Ctrl-C; each other chain's engine is built by the first request that needs it.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let engines = args.packs.engines(icgs::EvalOptions::new())?;
    let token = args
        .token_file
        .as_ref()
        .map(|path| {
            let token = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the token file `{}`", path.display()))?;
            let token = token.trim().to_owned();
            anyhow::ensure!(
                !token.is_empty(),
                "the token file `{}` is empty",
                path.display()
            );
            Ok(token)
        })
        .transpose()?;
    let eval_timeout = Duration::try_from_secs_f64(args.eval_timeout)
        .ok()
        .filter(|d| !d.is_zero())
        .context("--eval-timeout: expected a positive number of seconds")?;
    let config = icgs_serve::Config {
        listen: args.listen,
        max_bytes: args.max_bytes,
        eval_timeout,
        max_concurrency: args.max_concurrency,
        eval: args.layers.options()?,
        token,
        ..icgs_serve::Config::default()
    };
    icgs_serve::init_logging();
    icgs_serve::run(engines, &config)
        .with_context(|| format!("cannot serve on {}", args.listen))?;
    Ok(ExitCode::from(super::EXIT_OK))
}
