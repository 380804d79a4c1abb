//! `--plugin PATH` for the commands that build an engine, and `icgs plugin inspect PATH`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use icgs::plugin::{LoadOptions, Plugin};

/// `--plugin PATH[#sha256=HEX]`, repeatable.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PluginArgs {
    /// A native plugin library to load (trusted code: it runs with this process's rights);
    /// append `#sha256=HEX` to pin its digest; repeatable
    #[arg(long = "plugin", value_name = "PATH")]
    pub plugins: Vec<String>,
    /// How long one call into a plugin may take, in milliseconds, before its rules are
    /// `error` (the call is abandoned; see docs/plugin-authoring.md)
    #[arg(long, value_name = "MS", default_value_t = Plugin::DEFAULT_DEADLINE.as_millis() as u64)]
    pub plugin_deadline: u64,
}

/// Splits `PATH#sha256=HEX` into the path and the pinned digest.
fn parse(spec: &str, deadline: Duration) -> (PathBuf, LoadOptions) {
    let (path, sha256) = match spec.rsplit_once("#sha256=") {
        Some((path, digest)) => (path, Some(digest.to_owned())),
        None => (spec, None),
    };
    let options = LoadOptions {
        sha256,
        deadline: Some(deadline),
    };
    (PathBuf::from(path), options)
}

/// Loads one plugin named on the command line.
pub fn load(spec: &str, deadline: Duration) -> anyhow::Result<Arc<Plugin>> {
    let (path, options) = parse(spec, deadline);
    // SAFETY: the user names the library on the command line and so vouches for it; the
    // loader checks the ABI and the manifest before calling anything else.
    #[allow(unsafe_code, reason = "loading a plugin the user named")]
    let plugin = unsafe { Plugin::load(&path, &options) }?;
    Ok(Arc::new(plugin))
}

impl PluginArgs {
    /// Loads every plugin, in order.
    pub fn load_all(&self) -> anyhow::Result<Vec<Arc<Plugin>>> {
        let deadline = Duration::from_millis(self.plugin_deadline);
        self.plugins.iter().map(|s| load(s, deadline)).collect()
    }
}

/// Arguments of `icgs plugin`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    lang: super::LangArg,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Load a plugin, run the handshake and every check `icgs check` runs when it builds an
    /// engine with the plugin (parameters, levels, categories, rule metadata, ids), then
    /// print its manifest; exit 2 when `check` would refuse it. Evaluates nothing
    Inspect {
        /// The plugin library (`PATH[#sha256=HEX]`)
        plugin: String,
        /// Print the manifest as JSON
        #[arg(long)]
        json: bool,
        /// Policy packs to build with, as `icgs check --pack`
        #[arg(long = "pack", value_name = "DIR")]
        packs: Vec<PathBuf>,
    },
}

/// Runs `icgs plugin …`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let Command::Inspect {
        plugin,
        json,
        packs,
    } = &args.command;
    let p = match load(plugin, Plugin::DEFAULT_DEADLINE) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: handshake refused: {e:#}");
            return Ok(ExitCode::from(super::EXIT_ERROR));
        }
    };
    // The very engine `check` would build: every refusal it would make is made here.
    let engine = super::check::PackArgs {
        packs: packs.clone(),
        overlay: None,
        plugins: PluginArgs::default(),
    }
    .engine_with(&[Arc::clone(&p)]);
    if let Err(e) = engine {
        eprintln!("error: `icgs check --plugin` would refuse this plugin: {e:#}");
        return Ok(ExitCode::from(super::EXIT_ERROR));
    }
    let m = p.manifest();
    if *json {
        let mut s = serde_json::to_string_pretty(m)?;
        s.push('\n');
        super::write_stdout(&s)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut s = String::new();
    let _ = writeln!(s, "{} {} — {} / {}", m.id, m.version, m.name.zh, m.name.en);
    let _ = writeln!(s, "file: {}", p.path().display());
    let (major, minor) = p.abi();
    let _ = writeln!(
        s,
        "handshake: ok (ABI {major}.{minor}; requires icgs `{}`, this is {})",
        m.requires,
        icgs::ENGINE_VERSION
    );
    let _ = writeln!(
        s,
        "engine: ok (every check of `icgs check` passed)\nsha256: {}",
        p.sha256()
    );
    let _ = writeln!(
        s,
        "thread-safe: {}",
        if p.thread_safe() {
            "yes"
        } else {
            "no (calls are serialised)"
        }
    );
    for c in &m.categories {
        let _ = writeln!(
            s,
            "category {} ({} / {}), spaces: {}",
            c.id,
            c.name.zh,
            c.name.en,
            c.spaces.join(", ")
        );
        for (name, v) in &c.set_params {
            let _ = writeln!(s, "  sets {name} = {v}");
        }
    }
    for (name, p) in &m.params {
        let _ = writeln!(
            s,
            "param {name} = {} {}",
            p.default,
            p.unit.as_deref().unwrap_or("")
        );
    }
    for r in &m.rules {
        let _ = writeln!(
            s,
            "rule {} [{}, {}] {} / {}",
            r.id,
            r.level,
            // A plugin built for ABI 1.0 declares no origin: its rules are proposals.
            r.origin.as_deref().unwrap_or("proposal"),
            r.title.zh,
            r.title.en
        );
    }
    super::write_stdout(&s)?;
    Ok(ExitCode::SUCCESS)
}
