//! `icgs doc [PACK_DIR...]`: the clause catalogue generated from the packs.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use icgs::pack::{Pack, PackSet};
use icgs_tools::catalogue::Catalogue;

use super::EXIT_ERROR;

/// Arguments of `icgs doc`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Pack directories, or directories of packs, replacing the embedded pack of the same id
    /// (none: the embedded packs, as `docs/clauses.md` is generated)
    #[arg(value_name = "PACK_DIR")]
    dirs: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
    /// Write to FILE (atomically: a temporary file renamed into place) instead of standard
    /// output; only a regular file is replaced
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    plugins: super::plugin::PluginArgs,
    /// The overlay whose chain (with the overlays it `extends`) the catalogue shows: each
    /// layer's values, level changes, added rules and derogations, with their dates
    #[arg(long, value_name = "ID")]
    overlay: Option<String>,
    /// Show the values in force on this date (YYYY-MM-DD) and mark each layer's changes in
    /// force or not
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
    /// Replace a symbolic link at the output path (the link, not the file it points to)
    #[arg(long, requires = "output")]
    force: bool,
    #[command(flatten)]
    lang: super::LangArg,
}

/// The catalogue's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown, the format of `docs/clauses.md`
    Markdown,
    /// One self-contained, printable HTML page
    Html,
}

/// Generates the catalogue.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let mut packs = PackSet::new(Pack::embedded().context("the embedded packs do not load")?);
    for dir in &args.dirs {
        match Pack::discover(dir) {
            Ok(found) => packs.extend(found),
            Err(e) => {
                super::write_stderr_line(&format!("error: {e}"));
                return Ok(ExitCode::from(EXIT_ERROR));
            }
        }
    }
    let mut builder = icgs::Engine::builder().packs(packs.clone());
    for plugin in args.plugins.load_all()? {
        builder = builder.plugin(plugin);
    }
    if let Some(id) = &args.overlay {
        builder = builder.overlay(id);
    }
    let engine = builder.build()?;
    let date =
        match args.as_of.as_deref() {
            None => None,
            Some(text) => Some(icgs::facts::parse_date(text).ok_or_else(|| {
                anyhow::anyhow!("--as-of: `{text}` is not a date like `2026-07-01`")
            })?),
        };
    let catalogue = Catalogue::at(&engine, packs.packs(), date)?;
    let text = match args.format {
        Format::Markdown => icgs_render::catalogue::markdown(&catalogue),
        Format::Html => icgs_render::catalogue::html(&catalogue),
    };
    match &args.output {
        Some(path) => {
            crate::output::Output {
                force: args.force,
                inputs: Vec::new(),
            }
            .write(path, text.as_bytes())?;
            super::write_stderr_line(&format!(
                "wrote `{}`: {} clauses in {} chapters",
                path.display(),
                catalogue.clauses().count(),
                catalogue.chapters.len()
            ));
        }
        None => super::write_stdout(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}
