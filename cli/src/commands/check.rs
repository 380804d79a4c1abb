//! `icgs check FILE|DIR...`: evaluate community profiles against the standard.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use icgs::report::Report;
use icgs::{Engine, ReadOptions};
use rayon::prelude::*;

use super::inputs::{Input, expand, read_input};
use super::{EXIT_ERROR, EXIT_FAILED, EXIT_OK};
use crate::render::{self, Lang};

/// Arguments of `icgs check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Profile files, or directories whose `*.json` files are checked (sorted); `-` reads
    /// standard input
    #[arg(required = true, value_name = "FILE|DIR")]
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Language of the text output (the JSON report carries both)
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    lang: Lang,
    #[command(flatten)]
    packs: PackArgs,
    /// Largest accepted profile in bytes
    #[arg(long, value_name = "N", default_value_t = ReadOptions::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
}

/// `--pack DIR`, shared by the commands that build an engine.
#[derive(Debug, clap::Args)]
pub struct PackArgs {
    /// A policy pack directory (or a directory of packs) used instead of the embedded pack
    /// with the same id; repeatable, in layer order
    #[arg(long = "pack", value_name = "DIR")]
    pub packs: Vec<PathBuf>,
}

impl PackArgs {
    /// The embedded packs, with each `--pack` replacing the one of the same id.
    pub fn engine(&self) -> anyhow::Result<Engine> {
        let mut packs = icgs::pack::Pack::embedded().context("the embedded packs do not load")?;
        for dir in &self.packs {
            for pack in icgs::pack::Pack::discover(dir)? {
                packs.retain(|p| p.manifest.id != pack.manifest.id);
                packs.push(pack);
            }
        }
        Ok(Engine::builder().packs(packs).build()?)
    }
}

/// How reports are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table per chapter, the score, the grade and the improvement plan
    Text,
    /// The JSON report of `REPORT.md`: one object, or an array for several profiles
    Json,
}

/// Checks every input and prints the reports.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let engine = args.packs.engine()?;
    let opts = ReadOptions {
        max_bytes: args.max_bytes,
        ..ReadOptions::default()
    };
    let inputs = expand(&args.paths);
    let results: Vec<(String, Result<Report, String>)> = inputs
        .par_iter()
        .map(|input: &Input| {
            let name = input.name();
            let report = read_input(input, opts.max_bytes).and_then(|bytes| {
                engine
                    .check_bytes(&name, &bytes, &opts)
                    .map_err(|e| describe(&e))
            });
            (name, report)
        })
        .collect();

    let reports: Vec<&Report> = results
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .collect();
    let output = match args.format {
        Format::Text => reports
            .iter()
            .map(|r| render::text::report(r, args.lang, render::colour()))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json => match reports.as_slice() {
            [one] => one.to_json(),
            many => {
                let mut s = serde_json::to_string_pretty(many)?;
                s.push('\n');
                s
            }
        },
    };
    super::write_stdout(&output)?;
    for (name, result) in &results {
        if let Err(reason) = result {
            eprintln!("error: cannot check `{name}`: {reason}");
        }
    }
    let code = if results.iter().any(|(_, r)| r.is_err()) {
        EXIT_ERROR
    } else if reports.iter().any(|r| r.has_non_conformities()) {
        EXIT_FAILED
    } else {
        EXIT_OK
    };
    Ok(ExitCode::from(code))
}

/// All problems of an unreadable profile, one per line.
fn describe(error: &icgs::CheckError) -> String {
    match error {
        icgs::CheckError::Profile(e) => {
            let mut lines = vec![e.to_string()];
            lines.extend(e.problems().iter().map(|p| format!("  {p}")));
            lines.join("\n")
        }
        other => other.to_string(),
    }
}
