//! `icgs check FILE|DIR...`: evaluate community profiles against the standard, in
//! parallel, and write the reports or the portfolio summary in one of six formats
//! (`docs/reports.md`).

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use icgs::report::{DuplicateIds, NotEvaluated, PortfolioBuilder, Problem, Report};
use icgs::{Engine, ReadOptions};

use super::inputs::{Input, Reason, expand, read_input};
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
    /// Indent JSON output; by default it is indented only on a terminal
    #[arg(long)]
    pretty: bool,
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

    /// The engines of every chain, each built the first time a community needs it; the one
    /// engine is built now when the chain is the same for every community, so that its
    /// errors come before any input is read.
    pub fn engines(&self, options: icgs::EvalOptions) -> anyhow::Result<icgs::pack::Engines> {
        let mut engines = icgs::pack::Engines::new(self.pack_set()?).options(options);
        for plugin in self.plugins.load_all()? {
            engines = engines.plugin(plugin);
        }
        if let Some(id) = &self.overlay {
            engines = engines.overlay(id);
        }
        if self.overlay.is_some() || !engines.set().has_places() {
            engines.for_profile(b"{}")?;
        }
        Ok(engines)
    }

    /// As [`Self::engine`], with plugins already loaded: the `--overlay` chain, else the one
    /// chain the overlays form.
    pub fn engine_with(&self, plugins: &[Arc<icgs::plugin::Plugin>]) -> anyhow::Result<Engine> {
        let mut builder = Engine::builder().packs(self.pack_set()?);
        if let Some(id) = &self.overlay {
            builder = builder.overlay(id);
        }
        for plugin in plugins {
            builder = builder.plugin(Arc::clone(plugin));
        }
        Ok(builder.build()?)
    }
}

/// The engines of a run: one per chain, built the first time a community needs it
/// (`applies_to`), or the `--overlay` chain for every community.
pub struct Engines(icgs::pack::Engines);

impl Engines {
    /// Loads the packs and plugins ([`PackArgs::engines`]).
    pub fn new(args: &PackArgs, layers: &super::layers::LayerArgs) -> anyhow::Result<Self> {
        Ok(Self(args.engines(layers.options()?)?))
    }

    /// The engine for a profile's bytes: of the chain its `city` and `district` select.
    ///
    /// # Errors
    /// The overlays that apply are not one chain, or the chain does not build.
    pub fn for_profile(&self, bytes: &[u8]) -> Result<std::sync::Arc<Engine>, String> {
        self.0
            .for_profile(bytes)
            .map_err(|e| icgs_tools::lint::command_line_text(&e))
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
///
/// Inputs are evaluated in windows of a few per thread ([`stream`]); the portfolio, the JSON
/// reports and the `--output-dir` pages are summarised or written as they complete, so
/// memory does not grow with the number of profiles. The other report views hold every
/// report, because the problems of the whole run lead them.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if args.output_dir.is_some() && args.format != Format::Html {
        return Err(super::said(
            "--output-dir 写出的是 HTML 页面：请同时指定 --format html",
            "--output-dir writes HTML pages: pass --format html",
        ));
    }
    // The profile schema's check compiles on the other core while the packs compile here.
    std::thread::spawn(icgs::prepare_validation);
    let engines = Engines::new(&args.packs, &args.layers)?;
    let opts = ReadOptions {
        max_bytes: args.max_bytes,
        ..ReadOptions::default()
    };
    let inputs = expand(&args.paths);
    let colour = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => args.output.is_none() && render::colour(),
    };
    // Indented JSON for a person at a terminal, compact for programs and files.
    let pretty = args.pretty || (args.output.is_none() && std::io::stdout().is_terminal());
    let target = crate::output::Output {
        force: args.force,
        inputs: inputs
            .iter()
            .filter_map(Input::path)
            .map(Path::to_path_buf)
            .collect(),
    };
    let mut run = RunProblems::new(args.allow_invalid);
    let mut out = Sink::open(
        args.output.as_deref().filter(|_| args.output_dir.is_none()),
        &target,
    )?;
    let batch = Batch {
        engines: &engines,
        inputs: &inputs,
        opts: &opts,
    };
    let checked = if let Some(dir) = &args.output_dir {
        write_site(dir, &engines, &inputs, &opts, args.lang, &target, &mut run)?
    } else if args.view.portfolio(args.format, inputs.len()) {
        check_portfolio(args, &batch, colour, pretty, &mut out, &mut run)?
    } else if args.format == Format::Json {
        check_json(args, &batch, pretty, &mut out, &mut run)?
    } else {
        check_held(args, &batch, colour, &mut out, &mut run)?
    };
    let problems = run.problems;
    match (&args.output_dir, &args.output) {
        // A report of nothing would pass for a report: with no input evaluated, no file.
        (Some(path), _) | (None, Some(path)) if checked.evaluated == 0 => {
            super::write_stderr_line(&match args.lang {
                Lang::Zh => format!("错误：未写入“{}”：没有一份输入能够评价", path.display()),
                Lang::En => format!(
                    "error: nothing written to `{}`: no input could be evaluated",
                    path.display()
                ),
            });
        }
        _ => out.finish()?,
    }
    for (name, reason) in &checked.failures {
        super::write_stderr_line(&match args.lang {
            Lang::Zh => format!("错误：无法检查“{name}”：{}", reason.zh),
            Lang::En => format!("error: cannot check `{name}`: {}", reason.en),
        });
    }
    for p in problems.iter().filter(|p| {
        !matches!(
            p.kind,
            icgs::report::ProblemKind::Unreadable | icgs::report::ProblemKind::InvalidProfile
        )
    }) {
        super::write_stderr_line(&format!(
            "{}{}",
            args.lang.pick("错误：", "error: "),
            args.lang.msg(&p.message)
        ));
    }
    let tally = &checked.tally;
    if tally.invalid && !args.allow_invalid {
        super::write_stderr_line(match args.lang {
            Lang::Zh => {
                "错误：档案有数据未通过校验（已在报告中列出），这些数据已按缺失处理。请更正；如需照常评价，请使用允许无效数据的选项（见 icgs check --help）"
            }
            Lang::En => {
                "error: a profile has validation problems (listed in the report); its invalid values were treated as absent. Fix them, or pass --allow-invalid"
            }
        });
    }
    let code = exit_code(!problems.is_empty(), tally.failed || tally.touched);
    Ok(ExitCode::from(code))
}

/// What every way of checking reads: the engines, the inputs and how to read them.
struct Batch<'a> {
    engines: &'a Engines,
    inputs: &'a [Input],
    opts: &'a ReadOptions,
}

/// Checks the inputs into one portfolio summary, written in the chosen format.
fn check_portfolio(
    args: &Args,
    batch: &Batch<'_>,
    colour: bool,
    pretty: bool,
    out: &mut Sink,
    run: &mut RunProblems,
) -> anyhow::Result<Checked> {
    let mut builder = PortfolioBuilder::default();
    let allow_invalid = run.allow_invalid;
    let checked = stream(
        batch.engines,
        batch.inputs,
        batch.opts,
        |name, r| summarised(name, &r, allow_invalid),
        |name, (row, seen)| {
            run.add_seen(name, seen);
            builder.merge(row);
            Ok(())
        },
    )?;
    let portfolio = builder.finish(&checked.failures());
    let problems = run.finish(&checked);
    let text = match args.format {
        Format::Text => {
            render::problems::text(&problems, args.lang)
                + &*render::text::portfolio(&portfolio, args.lang, colour)
        }
        Format::Json => json(&portfolio, pretty)?,
        Format::Markdown => {
            render::problems::markdown(&problems, args.lang)
                + &*render::markdown::portfolio(&portfolio, args.lang)
        }
        Format::Html => render::problems::html(
            render::html::portfolio(&portfolio, args.lang)?,
            &problems,
            args.lang,
        ),
        Format::Junit => render::junit::portfolio(&portfolio, args.lang)?,
        Format::Csv => render::csv::portfolio(&portfolio, args.lang)?,
    };
    out.write(&text)?;
    Ok(checked)
}

/// Checks the inputs into JSON: one report, or an array of them written as they complete.
fn check_json(
    args: &Args,
    batch: &Batch<'_>,
    pretty: bool,
    out: &mut Sink,
    run: &mut RunProblems,
) -> anyhow::Result<Checked> {
    let checked = if batch.inputs.len() == 1 {
        let checked = stream(
            batch.engines,
            batch.inputs,
            batch.opts,
            |_, r| (json(&r, pretty), r),
            |name, (text, r)| {
                run.add(name, &r);
                out.write(&text?)
            },
        )?;
        if !checked.failures.is_empty() && args.output.is_none() {
            out.write("[]\n")?;
        }
        checked
    } else {
        json_array(batch.engines, batch.inputs, batch.opts, pretty, out, run)?
    };
    run.finish(&checked);
    Ok(checked)
}

/// Checks the inputs, holding every report for the views that render them at once.
fn check_held(
    args: &Args,
    batch: &Batch<'_>,
    colour: bool,
    out: &mut Sink,
    run: &mut RunProblems,
) -> anyhow::Result<Checked> {
    let mut reports = Vec::new();
    let checked = stream(
        batch.engines,
        batch.inputs,
        batch.opts,
        |_, r| r,
        |name, r| {
            run.add(name, &r);
            reports.push(r);
            Ok(())
        },
    )?;
    let problems = run.finish(&checked);
    out.write(&held_reports(
        args,
        &reports,
        &checked.failures(),
        &problems,
        colour,
    )?)?;
    Ok(checked)
}

/// The report views that render every report at once, led by the run's problems.
fn held_reports(
    args: &Args,
    reports: &[Report],
    failures: &[(&str, &str)],
    problems: &[Problem],
    colour: bool,
) -> anyhow::Result<String> {
    let only: Vec<&Report> = reports.iter().collect();
    Ok(match args.format {
        Format::Text if args.quiet => {
            render::problems::text(problems, args.lang)
                + &*only
                    .iter()
                    .map(|r| render::text::summary_line(r, args.lang) + "\n")
                    .collect::<String>()
        }
        Format::Text => {
            let opts = render::text::TextOptions {
                colour,
                width: render::text::terminal_width(),
                top: (args.top > 0).then_some(args.top),
            };
            render::problems::text(problems, args.lang)
                + &*only
                    .iter()
                    .map(|r| render::text::report_with(r, args.lang, &opts))
                    .collect::<Vec<_>>()
                    .join("\n")
        }
        Format::Markdown => {
            render::problems::markdown(problems, args.lang)
                + &*render::markdown::reports(&only, args.lang)
        }
        Format::Html => render::problems::html(
            render::html::reports(&only, args.lang)?,
            problems,
            args.lang,
        ),
        Format::Junit => {
            let not: Vec<NotEvaluated> = failures
                .iter()
                .map(|(source, error)| NotEvaluated::new(*source, *error))
                .collect();
            render::junit::reports(&only, &not, args.lang)?
        }
        Format::Csv => render::csv::reports(&only, args.lang)?,
        Format::Json => anyhow::bail!("JSON reports are written as they complete"),
    })
}

/// `--output-dir`: each community's report under `communities/` as it completes, then the
/// dashboard as `index.html`, linking them.
fn write_site(
    dir: &Path,
    engines: &Engines,
    inputs: &[Input],
    opts: &ReadOptions,
    lang: Lang,
    target: &crate::output::Output,
    run: &mut RunProblems,
) -> anyhow::Result<Checked> {
    let sub = dir.join("communities");
    std::fs::create_dir_all(&sub).with_context(|| format!("cannot create `{}`", sub.display()))?;
    let mut builder = PortfolioBuilder::default();
    let allow_invalid = run.allow_invalid;
    let checked = stream(
        engines,
        inputs,
        opts,
        |name, r| {
            let page = render::html::reports(&[&r], lang).and_then(|html| {
                target.write(
                    &sub.join(render::html::report_file(&r.profile.id)),
                    html.as_bytes(),
                )
            });
            (page, summarised(name, &r, allow_invalid))
        },
        |name, (page, (row, seen))| {
            page?;
            run.add_seen(name, seen);
            builder.merge(row);
            Ok(())
        },
    )?;
    let portfolio = builder.finish(&checked.failures());
    let problems = run.finish(&checked);
    if checked.evaluated > 0 {
        let index = render::problems::html(
            render::html::portfolio_linked(&portfolio, lang)?,
            &problems,
            lang,
        );
        target.write(&dir.join("index.html"), index.as_bytes())?;
    }
    Ok(checked)
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

/// A report summarised into its portfolio row and what the run keeps of it, on the thread
/// that made it (see [`RunProblems::seen`]).
fn summarised(name: &str, r: &Report, allow_invalid: bool) -> (PortfolioBuilder, Seen) {
    let mut row = PortfolioBuilder::default();
    row.add(name, r);
    (row, RunProblems::seen(r, name, allow_invalid))
}

/// The part of a report [`RunProblems`] keeps: its community id and its problems.
#[derive(Debug)]
struct Seen {
    id: String,
    problems: Vec<Problem>,
}

/// Every problem of the run, gathered one report at a time: each report's own in input
/// order, then the inputs that could not be read, then the community ids carried by several
/// inputs.
#[derive(Debug)]
struct RunProblems {
    problems: Vec<Problem>,
    ids: DuplicateIds,
    allow_invalid: bool,
}

impl RunProblems {
    fn new(allow_invalid: bool) -> Self {
        Self {
            problems: Vec::new(),
            ids: DuplicateIds::default(),
            allow_invalid,
        }
    }

    fn add(&mut self, name: &str, report: &Report) {
        self.add_seen(name, Self::seen(report, name, self.allow_invalid));
    }

    /// What the run keeps of a report, taken on the thread that made it so that the report
    /// is freed there (freeing thousands of small blocks on the writing thread made the
    /// threads contend for the allocator).
    fn seen(report: &Report, name: &str, allow_invalid: bool) -> Seen {
        Seen {
            id: report.profile.id.clone(),
            problems: icgs::report::report_problems(name, report, !allow_invalid),
        }
    }

    fn add_seen(&mut self, name: &str, seen: Seen) {
        self.ids.add(&seen.id, name);
        self.problems.extend(seen.problems);
    }

    /// Adds the unreadable inputs and the duplicate ids; every problem of the run.
    fn finish(&mut self, checked: &Checked) -> Vec<Problem> {
        for (name, reason) in &checked.failures {
            let mut problem = icgs::report::unreadable(name, &reason.en);
            problem.message.zh = icgs::report::unreadable(name, &reason.zh).message.zh;
            self.problems.push(problem);
        }
        self.problems.extend(self.ids.problems());
        self.problems.clone()
    }
}

/// `value` as JSON with a final newline: indented when `pretty`, else on one line.
fn json(value: &impl serde::Serialize, pretty: bool) -> anyhow::Result<String> {
    let mut s = if pretty {
        serde_json::to_string_pretty(value)?
    } else {
        serde_json::to_string(value)?
    };
    s.push('\n');
    Ok(s)
}

/// The JSON array of every report, each serialised by the thread that evaluated it; the
/// same bytes as serialising the whole array at once.
fn json_array(
    engines: &Engines,
    inputs: &[Input],
    opts: &ReadOptions,
    pretty: bool,
    out: &mut Sink,
    run: &mut RunProblems,
) -> anyhow::Result<Checked> {
    let mut count = 0_usize;
    let allow_invalid = run.allow_invalid;
    let element = |name: &str, r: Report| -> (anyhow::Result<String>, Seen) {
        let text = if pretty {
            // An element of an indented array is indented one level more.
            serde_json::to_string_pretty(&r).map(|t| t.replace('\n', "\n  "))
        } else {
            serde_json::to_string(&r)
        };
        (
            text.map_err(Into::into),
            RunProblems::seen(&r, name, allow_invalid),
        )
    };
    let checked = stream(engines, inputs, opts, element, |name, (text, seen)| {
        run.add_seen(name, seen);
        let sep = match (count, pretty) {
            (0, true) => "[\n  ",
            (0, false) => "[",
            (_, true) => ",\n  ",
            (_, false) => ",",
        };
        count += 1;
        out.write(sep)?;
        out.write(&text?)
    })?;
    out.write(match (count, pretty) {
        (0, _) => "[]\n",
        (_, true) => "\n]\n",
        (_, false) => "]\n",
    })?;
    Ok(checked)
}

/// What the exit code needs to know of the reports, gathered as they complete.
#[derive(Debug, Default)]
struct Tally {
    /// A profile has validation problems.
    invalid: bool,
    /// A rule read an invalid value.
    touched: bool,
    /// A shall rule failed.
    failed: bool,
}

impl Tally {
    fn add(&mut self, r: &Report) {
        self.invalid |= !r.profile_problems.is_empty();
        self.touched |= r.results.iter().any(|x| !x.profile_problems.is_empty());
        self.failed |= r.has_non_conformities();
    }
}

/// The inputs that could not be checked, in input order (name, reason), and the tally.
#[derive(Debug, Default)]
struct Checked {
    failures: Vec<(String, Reason)>,
    tally: Tally,
    /// How many inputs were evaluated.
    evaluated: usize,
}

impl Checked {
    fn failures(&self) -> Vec<(&str, &str)> {
        self.failures
            .iter()
            .map(|(name, reason)| (name.as_str(), reason.en.as_str()))
            .collect()
    }
}

/// One input's name, and its tally and what `make` made of its report, or why it could not
/// be checked.
type Made<T> = (String, Result<(Tally, T), Reason>);

/// Evaluates every input, in parallel, and hands what `make` turns each report into to
/// `sink` in input order, with a progress bar on stderr when it is a terminal and there is
/// more than one input.
///
/// `make` runs on the worker threads (rendering is parallel too) and `sink` on this one
/// while the workers go on ([`super::ordered::for_each`]): no thread waits for another's
/// slowest profile. At most eight reports per thread are alive at a time, whatever the
/// number of inputs, and the output order does not depend on timing. One input, or one
/// thread, is checked on this thread alone.
fn stream<T: Send>(
    engines: &Engines,
    inputs: &[Input],
    opts: &ReadOptions,
    make: impl Fn(&str, Report) -> T + Sync,
    mut sink: impl FnMut(&str, T) -> anyhow::Result<()>,
) -> anyhow::Result<Checked> {
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
    let check = |input: &Input| -> Made<T> {
        let name = input.name();
        let made = read_input(input, opts.max_bytes)
            .and_then(|bytes| {
                engines
                    .for_profile(&bytes)
                    .map_err(|e| Reason {
                        zh: e.clone(),
                        en: e,
                    })?
                    .check_bytes(&name, &bytes, opts)
                    .map_err(|e| describe(&e))
            })
            .map(|report| {
                let mut tally = Tally::default();
                tally.add(&report);
                (tally, make(&name, report))
            });
        bar.inc(1);
        (name, made)
    };
    let mut checked = Checked::default();
    let mut hand_over = |(name, made): Made<T>| {
        match made {
            Ok((tally, made)) => {
                checked.tally.invalid |= tally.invalid;
                checked.tally.touched |= tally.touched;
                checked.tally.failed |= tally.failed;
                checked.evaluated += 1;
                sink(&name, made)?;
            }
            Err(reason) => checked.failures.push((name, reason)),
        }
        anyhow::Ok(())
    };
    let threads = rayon::current_num_threads();
    if inputs.len() < 2 || threads < 2 {
        for input in inputs {
            hand_over(check(input))?;
        }
    } else {
        super::ordered::for_each(inputs, threads * 8, check, hand_over)?;
    }
    bar.finish_and_clear();
    Ok(checked)
}

/// Where the output goes: standard output as it is produced, or `-o FILE` whole or not at
/// all ([`crate::output::Pending`]: checked first, renamed over `FILE` by [`Sink::finish`]).
#[derive(Debug)]
enum Sink {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    File(crate::output::Pending),
    /// Standard output was closed (`icgs … | head`): the rest is dropped.
    Closed,
}

impl Sink {
    fn open(path: Option<&Path>, target: &crate::output::Output) -> anyhow::Result<Self> {
        Ok(match path {
            None => Self::Stdout(std::io::BufWriter::new(std::io::stdout().lock())),
            Some(path) => Self::File(target.begin(path)?),
        })
    }

    fn write(&mut self, text: &str) -> anyhow::Result<()> {
        use std::io::Write as _;
        match self {
            Self::Stdout(w) => {
                if let Err(e) = w.write_all(text.as_bytes()) {
                    if e.kind() != std::io::ErrorKind::BrokenPipe {
                        return Err(e.into());
                    }
                    *self = Self::Closed;
                }
            }
            Self::File(pending) => pending.write_all(text.as_bytes())?,
            Self::Closed => {}
        }
        Ok(())
    }

    /// Flushes standard output, or puts the file in place. Not called, a file is never
    /// written.
    fn finish(self) -> anyhow::Result<()> {
        use std::io::Write as _;
        match self {
            Self::Stdout(mut w) => match w.flush() {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
                _ => Ok(()),
            },
            Self::File(pending) => pending.finish(),
            Self::Closed => Ok(()),
        }
    }
}

/// All problems of an unreadable profile, one per line.
fn describe(error: &icgs::CheckError) -> Reason {
    match error {
        icgs::CheckError::Profile(e) => {
            let mut en = vec![e.to_string()];
            en.extend(e.problems().iter().map(|p| format!("  {p}")));
            let mut zh = vec![profile_error_zh(e)];
            zh.extend(
                e.problems()
                    .iter()
                    .map(|p| format!("  {}", p.to_string_zh())),
            );
            Reason {
                zh: zh.join("\n"),
                en: en.join("\n"),
            }
        }
        icgs::CheckError::Evaluate(icgs::EvaluateError::UnknownCategory {
            id,
            category,
            known,
        }) => {
            // The library's words, with the flags that load a pack or a plugin.
            let text = format!(
                "profile `{id}`: category `{category}` is registered by no pack or plugin in force; known categories: {}; a local category needs its pack (`--pack`) or plugin (`--plugin`)",
                known.join(", ")
            );
            Reason {
                zh: text.clone(),
                en: text,
            }
        }
        other => Reason {
            zh: other.to_string(),
            en: other.to_string(),
        },
    }
}

/// The first line of a profile that could not be evaluated, in Chinese: why, and the first
/// problem.
fn profile_error_zh(e: &icgs::ProfileError) -> String {
    let why = match e {
        icgs::ProfileError::Version(_) => "档案格式版本不符",
        icgs::ProfileError::Invalid(_) => "档案不符合格式，无法读入",
        _ => "档案无法读取",
    };
    let first = e
        .problems()
        .first()
        .map(|p| {
            let at = p
                .line()
                .zip(p.column())
                .map(|(line, column)| format!("{line}:{column}: "))
                .unwrap_or_default();
            format!("{at}{}：{}", p.pointer_zh(), p.message_zh())
        })
        .unwrap_or_default();
    let more = e.problems().len().saturating_sub(1);
    let more = if more > 0 {
        format!("（另有 {more} 个问题）")
    } else {
        String::new()
    };
    format!("{why}：{first}{more}")
}
