//! `icgs check FILE|DIR...`: evaluate community profiles against the standard, in
//! parallel, and write the reports or the portfolio summary in one of six formats
//! (`docs/reports.md`).

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use icgs::report::{DuplicateIds, NotEvaluated, Portfolio, Problem, Report};
use icgs::{Engine, ReadOptions};
use rayon::prelude::*;

use super::inputs::{Input, expand, read_input};
use super::{EXIT_ERROR, EXIT_FAILED, EXIT_OK};
use crate::render::{self, Lang};

/// Arguments of `icgs check`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_CODES)]
pub struct Args {
    /// Profile files, or directories whose `*.json` files are checked (sorted); `-` reads
    /// standard input
    #[arg(required = true, value_name = "FILE|DIR")]
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Language of text, Markdown, HTML and JUnit output (JSON and CSV carry both)
    #[arg(long, value_enum, default_value_t = super::default_lang())]
    lang: Lang,
    /// Write the output to FILE instead of standard output; written whole or not at all
    /// (a temporary file in the same directory, then renamed). Only a regular file is
    /// replaced, never an input
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// With `--format html`: write the dashboard to DIR/index.html and each community's
    /// report to DIR/communities/ID.html, linked from the dashboard
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    output_dir: Option<PathBuf>,
    /// Replace a symbolic link at the `-o` path (the link, not the file it points to)
    #[arg(long, requires = "output")]
    force: bool,
    /// Every report, or the portfolio summary; `auto`: the summary for several profiles in
    /// text, Markdown, HTML and CSV, every report otherwise (see docs/reports.md)
    #[arg(long, value_enum, default_value_t = View::Auto)]
    view: View,
    /// Colour the text output: `auto` when standard output is a terminal and `NO_COLOR` is
    /// unset
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(flatten)]
    packs: PackArgs,
    #[command(flatten)]
    layers: super::layers::LayerArgs,
    /// Largest accepted profile in bytes
    #[arg(long, value_name = "N", default_value_t = ReadOptions::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
    /// Text: the number of fixes listed at the top (0 lists them all)
    #[arg(long, value_name = "N", default_value_t = render::text::TextOptions::DEFAULT_TOP)]
    top: usize,
    /// Text: one summary line per community (grade, score, failures, the next grade)
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Accept profiles with validation problems: exit 1 (not 2) when one has any, and 0
    /// when nothing failed and no rule read an invalid value (the values stay absent)
    #[arg(long)]
    allow_invalid: bool,
}

/// The exit codes, at the end of `icgs check --help`.
const EXIT_CODES: &str = "\
Exit codes (退出码):
  0  every profile evaluated; no non-conformity
  1  a rule failed, or read an invalid value (with --allow-invalid)
  2  a problem to deal with, listed at the top of text, Markdown and HTML output
     (须处理的问题): an input could not be read, a rule ended in error (a plugin
     that died included), a waiver was refused, two profiles share a community
     id, a profile has validation problems (unless --allow-invalid), or a usage
     error. With -o, nothing is written when no input could be evaluated.";

/// `--pack DIR`, shared by the commands that build an engine.
#[derive(Debug, clap::Args)]
pub struct PackArgs {
    /// A policy pack directory (or a directory of packs) used instead of the embedded pack
    /// with the same id; repeatable, in layer order
    #[arg(long = "pack", value_name = "DIR")]
    pub packs: Vec<PathBuf>,
    /// The overlay to apply, with the overlays it `extends`, and no other; without it each
    /// community gets the overlays whose `applies_to` matches its city and district, and
    /// overlays without `applies_to` must form one chain (docs/overlays.md)
    #[arg(long = "overlay", value_name = "ID")]
    pub overlay: Option<String>,
    #[command(flatten)]
    pub plugins: super::plugin::PluginArgs,
}

impl PackArgs {
    /// The embedded packs, with each `--pack` replacing the one of the same id.
    pub fn pack_set(&self) -> anyhow::Result<icgs::pack::PackSet> {
        let mut packs = icgs::pack::Pack::embedded().context("the embedded packs do not load")?;
        for dir in &self.packs {
            packs.extend(icgs::pack::Pack::discover(dir)?);
        }
        Ok(icgs::pack::PackSet::new(packs))
    }

    /// An engine of the `--overlay` chain, or of the one chain the overlays loaded form.
    pub fn engine(&self) -> anyhow::Result<Engine> {
        self.engine_with(&self.plugins.load_all()?)
    }

    /// As [`Self::engine`], with plugins already loaded.
    pub fn engine_with(&self, plugins: &[Arc<icgs::plugin::Plugin>]) -> anyhow::Result<Engine> {
        self.engine_for(&self.pack_set()?, None, plugins)
    }

    /// An engine of `set`: the `--overlay` chain, else the chain for `place` (a city and a
    /// district), else the one chain the overlays form.
    fn engine_for(
        &self,
        set: &icgs::pack::PackSet,
        place: Option<(Option<&str>, Option<&str>)>,
        plugins: &[Arc<icgs::plugin::Plugin>],
    ) -> anyhow::Result<Engine> {
        let mut builder = Engine::builder().packs(set.packs().to_vec());
        if let Some(id) = &self.overlay {
            builder = builder.overlay(id);
        } else if let Some((city, district)) = place {
            builder = builder.place(city, district);
        }
        for plugin in plugins {
            builder = builder.plugin(Arc::clone(plugin));
        }
        Ok(builder.build()?)
    }
}

/// The engines of a run: one when the chain is the same for every community, else one per
/// chain, built the first time a community needs it (`applies_to`).
pub struct Engines<'a> {
    args: &'a PackArgs,
    layers: &'a super::layers::LayerArgs,
    set: icgs::pack::PackSet,
    /// Loaded once, shared by the engines of every chain.
    plugins: Vec<Arc<icgs::plugin::Plugin>>,
    single: Option<std::sync::Arc<Engine>>,
    by_chain: std::sync::Mutex<std::collections::BTreeMap<String, std::sync::Arc<Engine>>>,
}

impl<'a> Engines<'a> {
    /// Loads the packs; builds the one engine now unless the chain depends on the community.
    pub fn new(args: &'a PackArgs, layers: &'a super::layers::LayerArgs) -> anyhow::Result<Self> {
        let set = args.pack_set()?;
        let plugins = args.plugins.load_all()?;
        let single = if args.overlay.is_some() || !set.has_places() {
            Some(std::sync::Arc::new(
                layers.apply(args.engine_for(&set, None, &plugins)?)?,
            ))
        } else {
            None
        };
        Ok(Self {
            args,
            layers,
            set,
            plugins,
            single,
            by_chain: std::sync::Mutex::default(),
        })
    }

    /// The engine for a profile's bytes: of the chain its `city` and `district` select.
    ///
    /// # Errors
    /// The overlays that apply are not one chain, or the chain does not build.
    pub fn for_profile(&self, bytes: &[u8]) -> Result<std::sync::Arc<Engine>, String> {
        if let Some(engine) = &self.single {
            return Ok(engine.clone());
        }
        // Only the place is read here; the profile is validated when it is evaluated.
        #[derive(serde::Deserialize)]
        struct Place {
            city: Option<serde_json::Value>,
            district: Option<serde_json::Value>,
        }
        let place = serde_json::from_slice::<Place>(bytes).ok();
        let city = place.as_ref().and_then(|p| p.city.as_ref()?.as_str());
        let district = place.as_ref().and_then(|p| p.district.as_ref()?.as_str());
        let key = self
            .set
            .for_place(city, district)
            .map_err(|e| e.to_string())?
            .key();
        let mut cache = self.by_chain.lock().map_err(|e| e.to_string())?;
        if let Some(engine) = cache.get(&key) {
            return Ok(engine.clone());
        }
        let engine = self
            .args
            .engine_for(&self.set, Some((city, district)), &self.plugins)
            .and_then(|e| self.layers.apply(e))
            .map(std::sync::Arc::new)
            .map_err(|e| format!("{e:#}"))?;
        cache.insert(key, engine.clone());
        Ok(engine)
    }
}

/// How reports are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table per chapter, how the score and grade were reached, the next grade and the
    /// improvement plan (coloured on a terminal)
    Text,
    /// The JSON report of `REPORT.md`: one object, an array for several profiles, or the
    /// portfolio object
    Json,
    /// Markdown with tables
    Markdown,
    /// One self-contained HTML page with charts, printable; the district dashboard for a
    /// portfolio
    Html,
    /// JUnit XML: a test suite per community, a test case per rule
    Junit,
    /// CSV: a row per rule and community, or a row per community for a portfolio
    Csv,
}

/// What to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum View {
    /// The portfolio for several profiles in text, Markdown, HTML and CSV; every report
    /// otherwise
    Auto,
    /// Every report
    Reports,
    /// The portfolio summary: a row per community, grade distribution, clauses failed most
    /// often
    Portfolio,
}

/// When to colour text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal without `NO_COLOR`
    Auto,
    /// Always
    Always,
    /// Never
    Never,
}

impl View {
    /// Whether the portfolio summary is shown for `profiles` inputs in `format`.
    const fn portfolio(self, format: Format, profiles: usize) -> bool {
        match self {
            Self::Portfolio => true,
            Self::Reports => false,
            Self::Auto => {
                profiles > 1
                    && matches!(
                        format,
                        Format::Text | Format::Markdown | Format::Html | Format::Csv
                    )
            }
        }
    }
}

/// Checks every input and writes the reports or the portfolio.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if args.output_dir.is_some() && args.format != Format::Html {
        anyhow::bail!("--output-dir writes HTML pages: pass --format html");
    }
    let engines = Engines::new(&args.packs, &args.layers)?;
    let opts = ReadOptions {
        max_bytes: args.max_bytes,
        ..ReadOptions::default()
    };
    let inputs = expand(&args.paths);
    let results = evaluate(&engines, &inputs, &opts);

    let reports: Vec<(&str, &Report)> = results
        .iter()
        .filter_map(|(name, r)| r.as_ref().ok().map(|r| (name.as_str(), r)))
        .collect();
    let failures: Vec<(&str, &str)> = results
        .iter()
        .filter_map(|(name, r)| r.as_ref().err().map(|e| (name.as_str(), e.as_str())))
        .collect();
    let problems = problems(&results, args.allow_invalid);
    let colour = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => args.output.is_none() && render::colour(),
    };
    let output = if args.view.portfolio(args.format, inputs.len()) {
        let portfolio = Portfolio::new(&reports, &failures);
        match args.format {
            Format::Text => render::text::portfolio(&portfolio, args.lang, colour),
            Format::Json => portfolio.to_json(),
            Format::Markdown => render::markdown::portfolio(&portfolio, args.lang),
            Format::Html => render::problems::html(
                render::html::portfolio(&portfolio, args.lang)?,
                &problems,
                args.lang,
            ),
            Format::Junit => render::junit::portfolio(&portfolio, args.lang)?,
            Format::Csv => render::csv::portfolio(&portfolio, args.lang)?,
        }
    } else {
        let only: Vec<&Report> = reports.iter().map(|(_, r)| *r).collect();
        match args.format {
            Format::Text if args.quiet => only
                .iter()
                .map(|r| render::text::summary_line(r, args.lang) + "\n")
                .collect(),
            Format::Text => {
                let opts = render::text::TextOptions {
                    colour,
                    width: render::text::terminal_width(),
                    top: (args.top > 0).then_some(args.top),
                };
                only.iter()
                    .map(|r| render::text::report_with(r, args.lang, &opts))
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            Format::Json => match only.as_slice() {
                [one] if inputs.len() == 1 => one.to_json(),
                many => {
                    let mut s = serde_json::to_string_pretty(many)?;
                    s.push('\n');
                    s
                }
            },
            Format::Markdown => render::markdown::reports(&only, args.lang),
            Format::Html => render::problems::html(
                render::html::reports(&only, args.lang)?,
                &problems,
                args.lang,
            ),
            Format::Junit => {
                let not: Vec<NotEvaluated> = failures
                    .iter()
                    .map(|(source, error)| NotEvaluated {
                        source: (*source).to_owned(),
                        error: (*error).to_owned(),
                    })
                    .collect();
                render::junit::reports(&only, &not, args.lang)?
            }
            Format::Csv => render::csv::reports(&only, args.lang)?,
        }
    };
    // Every problem leads the text and Markdown output (HTML has it inside the page).
    let output = match args.format {
        Format::Text => render::problems::text(&problems, args.lang) + output.as_str(),
        Format::Markdown => render::problems::markdown(&problems, args.lang) + output.as_str(),
        _ => output,
    };
    let out = crate::output::Output {
        force: args.force,
        inputs: inputs
            .iter()
            .filter_map(Input::path)
            .map(Path::to_path_buf)
            .collect(),
    };
    match (&args.output_dir, &args.output) {
        // A report of nothing would pass for a report: with no input evaluated, no file.
        (Some(dir), _) if reports.is_empty() => super::write_stderr_line(&format!(
            "error: nothing written to `{}`: no input could be evaluated",
            dir.display()
        )),
        (None, Some(path)) if reports.is_empty() => super::write_stderr_line(&format!(
            "error: nothing written to `{}`: no input could be evaluated",
            path.display()
        )),
        (Some(dir), _) => write_site(dir, &reports, &failures, args.lang, &out)?,
        (None, Some(path)) => out.write(path, output.as_bytes())?,
        (None, None) => super::write_stdout(&output)?,
    }
    for (name, reason) in &failures {
        super::write_stderr_line(&format!("error: cannot check `{name}`: {reason}"));
    }
    for p in problems.iter().filter(|p| {
        !matches!(
            p.kind,
            icgs::report::ProblemKind::Unreadable | icgs::report::ProblemKind::InvalidProfile
        )
    }) {
        super::write_stderr_line(&format!("error: {}", p.message.en));
    }
    let invalid = reports.iter().any(|(_, r)| !r.profile_problems.is_empty());
    let touched = reports
        .iter()
        .any(|(_, r)| r.results.iter().any(|x| !x.profile_problems.is_empty()));
    if invalid && !args.allow_invalid {
        super::write_stderr_line(
            "error: a profile has validation problems (listed in the report); its invalid values were treated as absent. Fix them, or pass --allow-invalid",
        );
    }
    let code = exit_code(
        !problems.is_empty(),
        reports.iter().any(|(_, r)| r.has_non_conformities()) || touched,
    );
    Ok(ExitCode::from(code))
}

/// `--output-dir`: the dashboard as `index.html`, each community's report under
/// `communities/`, linked from it.
fn write_site(
    dir: &Path,
    reports: &[(&str, &Report)],
    failures: &[(&str, &str)],
    lang: Lang,
    out: &crate::output::Output,
) -> anyhow::Result<()> {
    let sub = dir.join("communities");
    std::fs::create_dir_all(&sub).with_context(|| format!("cannot create `{}`", sub.display()))?;
    reports.par_iter().try_for_each(|(_, r)| {
        let html = render::html::reports(&[*r], lang)?;
        out.write(
            &sub.join(render::html::report_file(&r.profile.id)),
            html.as_bytes(),
        )
    })?;
    let portfolio = Portfolio::new(reports, failures);
    let index = render::html::portfolio_linked(&portfolio, lang)?;
    out.write(&dir.join("index.html"), index.as_bytes())
}

/// 2 when there is a problem to deal with (an input could not be read, a rule ended in
/// `error`, a waiver was refused, two profiles share a community id, a profile is invalid
/// without `--allow-invalid`), 1 when a rule failed or read an invalid value, 0 otherwise.
const fn exit_code(error: bool, failed: bool) -> u8 {
    if error {
        EXIT_ERROR
    } else if failed {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// Every problem of the run, in input order, then the community ids carried by several
/// inputs.
fn problems(results: &[(String, Result<Report, String>)], allow_invalid: bool) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut ids = DuplicateIds::default();
    for (name, result) in results {
        match result {
            Ok(report) => {
                ids.add(&report.profile.id, name);
                out.extend(icgs::report::report_problems(name, report, !allow_invalid));
            }
            Err(reason) => out.push(icgs::report::unreadable(name, reason)),
        }
    }
    out.extend(ids.problems());
    out
}

/// Evaluates every input in parallel, in input order, with a progress bar on stderr when
/// it is a terminal and there is more than one input.
fn evaluate(
    engines: &Engines<'_>,
    inputs: &[Input],
    opts: &ReadOptions,
) -> Vec<(String, Result<Report, String>)> {
    let bar = if inputs.len() > 1 && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(inputs.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {pos}/{len} [{bar:40}] {elapsed_precise} {msg}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let results = inputs
        .par_iter()
        .map(|input: &Input| {
            let name = input.name();
            let report = read_input(input, opts.max_bytes).and_then(|bytes| {
                engines
                    .for_profile(&bytes)?
                    .check_bytes(&name, &bytes, opts)
                    .map_err(|e| describe(&e))
            });
            bar.inc(1);
            (name, report)
        })
        .collect();
    bar.finish_and_clear();
    results
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
