//! `icgs check FILE|DIR...`: evaluate community profiles against the standard, in
//! parallel, and write the reports or the portfolio summary in one of six formats
//! (`docs/reports.md`).

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use icgs::report::{NotEvaluated, PortfolioBuilder, Report};
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
    /// Language of text, Markdown, HTML and JUnit output (JSON and CSV carry both)
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    lang: Lang,
    /// Write the output to FILE instead of standard output; written whole or not at all
    /// (a temporary file in the same directory, then renamed)
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
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
    /// Accept profiles with validation problems: exit 1 (not 2) when one has any, and 0
    /// when nothing failed and no rule read an invalid value (the values stay absent)
    #[arg(long)]
    allow_invalid: bool,
    /// Indent JSON output; by default it is indented only on a terminal
    #[arg(long)]
    pretty: bool,
}

/// `--pack DIR`, shared by the commands that build an engine.
#[derive(Debug, clap::Args)]
pub struct PackArgs {
    /// A policy pack directory (or a directory of packs) used instead of the embedded pack
    /// with the same id; repeatable, in layer order
    #[arg(long = "pack", value_name = "DIR")]
    pub packs: Vec<PathBuf>,
    #[command(flatten)]
    pub plugins: super::plugin::PluginArgs,
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
        let mut builder = Engine::builder().packs(packs);
        for plugin in self.plugins.load_all()? {
            builder = builder.plugin(plugin);
        }
        Ok(builder.build()?)
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

/// Checks every input and writes the reports or the portfolio. Inputs are evaluated in
/// windows of a few per thread and each window is rendered or summarised before the next one
/// starts, so memory does not grow with the number of profiles (text and JSON reports and
/// every portfolio; the other formats' report views still hold every report).
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let engine = args.layers.apply(args.packs.engine()?)?;
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
    let mut out = Output::open(args.output.as_deref())?;
    let checked = if args.view.portfolio(args.format, inputs.len()) {
        let mut builder = PortfolioBuilder::default();
        let checked = stream(
            &engine,
            &inputs,
            &opts,
            |_, r| r,
            |name, r| {
                builder.add(name, &r);
                Ok(())
            },
        )?;
        let failures = checked.failures();
        let portfolio = builder.finish(&failures);
        let text = match args.format {
            Format::Text => render::text::portfolio(&portfolio, args.lang, colour),
            Format::Json => json(&portfolio, pretty)?,
            Format::Markdown => render::markdown::portfolio(&portfolio, args.lang),
            Format::Html => render::html::portfolio(&portfolio, args.lang)?,
            Format::Junit => render::junit::portfolio(&portfolio, args.lang)?,
            Format::Csv => render::csv::portfolio(&portfolio)?,
        };
        out.write(&text)?;
        checked
    } else {
        match args.format {
            Format::Text => {
                let mut first = true;
                stream(
                    &engine,
                    &inputs,
                    &opts,
                    |_, r| render::text::report(&r, args.lang, colour),
                    |_, text| {
                        if !std::mem::take(&mut first) {
                            out.write("\n")?;
                        }
                        out.write(&text)
                    },
                )?
            }
            Format::Json if inputs.len() == 1 => {
                let checked = stream(
                    &engine,
                    &inputs,
                    &opts,
                    |_, r| json(&r, pretty),
                    |_, text| out.write(&text?),
                )?;
                if !checked.failures.is_empty() {
                    out.write("[]\n")?;
                }
                checked
            }
            Format::Json => json_array(&engine, &inputs, &opts, pretty, &mut out)?,
            _ => {
                let mut reports = Vec::new();
                let checked = stream(
                    &engine,
                    &inputs,
                    &opts,
                    |_, r| r,
                    |_, r| {
                        reports.push(r);
                        Ok(())
                    },
                )?;
                out.write(&held_reports(args, &reports, &checked.failures())?)?;
                checked
            }
        }
    };
    out.finish()?;
    for (name, reason) in &checked.failures {
        super::write_stderr_line(&format!("error: cannot check `{name}`: {reason}"));
    }
    let tally = &checked.tally;
    if tally.invalid && !args.allow_invalid {
        super::write_stderr_line(
            "error: a profile has validation problems (listed in the report); its invalid values were treated as absent. Fix them, or pass --allow-invalid",
        );
    }
    let code = exit_code(
        !checked.failures.is_empty() || (tally.invalid && !args.allow_invalid),
        tally.failed || tally.touched,
    );
    Ok(ExitCode::from(code))
}

/// The report views of the formats that render every report at once.
fn held_reports(
    args: &Args,
    reports: &[Report],
    failures: &[(&str, &str)],
) -> anyhow::Result<String> {
    let only: Vec<&Report> = reports.iter().collect();
    Ok(match args.format {
        Format::Markdown => render::markdown::reports(&only, args.lang),
        Format::Html => render::html::reports(&only, args.lang)?,
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
        Format::Csv => render::csv::reports(&only)?,
        Format::Text | Format::Json => {
            anyhow::bail!("text and JSON reports are written as they complete")
        }
    })
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
    engine: &Engine,
    inputs: &[Input],
    opts: &ReadOptions,
    pretty: bool,
    out: &mut Output,
) -> anyhow::Result<Checked> {
    let mut count = 0_usize;
    let element = |_: &str, r: Report| -> anyhow::Result<String> {
        if pretty {
            // An element of an indented array is indented one level more.
            Ok(serde_json::to_string_pretty(&r)?.replace('\n', "\n  "))
        } else {
            Ok(serde_json::to_string(&r)?)
        }
    };
    let checked = stream(engine, inputs, opts, element, |_, text| {
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

/// 2 when something could not be checked or a profile is invalid (without
/// `--allow-invalid`), 1 when a rule failed or read an invalid value, 0 otherwise.
const fn exit_code(error: bool, failed: bool) -> u8 {
    if error {
        EXIT_ERROR
    } else if failed {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
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
    failures: Vec<(String, String)>,
    tally: Tally,
}

impl Checked {
    fn failures(&self) -> Vec<(&str, &str)> {
        self.failures
            .iter()
            .map(|(name, reason)| (name.as_str(), reason.as_str()))
            .collect()
    }
}

/// One input's name, and its tally and what `make` made of its report, or why it could not
/// be checked.
type Made<T> = (String, Result<(Tally, T), String>);

/// Evaluates every input, in parallel, and hands what `make` turns each report into to
/// `sink` in input order, with a progress bar on stderr when it is a terminal and there is
/// more than one input.
///
/// Inputs go through in windows of eight per thread: a window is evaluated in parallel
/// (`make` runs on the worker threads, so rendering is parallel too), then its results are
/// handed over in order before the next window starts. At most one window of reports is
/// alive at a time, whatever the number of inputs, and the output order does not depend on
/// timing.
fn stream<T: Send>(
    engine: &Engine,
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
    let window = rayon::current_num_threads().max(1) * 8;
    let mut checked = Checked::default();
    for chunk in inputs.chunks(window) {
        let done: Vec<Made<T>> = chunk
            .par_iter()
            .map(|input: &Input| {
                let name = input.name();
                let made = read_input(input, opts.max_bytes)
                    .and_then(|bytes| {
                        engine
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
            })
            .collect();
        for (name, made) in done {
            match made {
                Ok((tally, made)) => {
                    checked.tally.invalid |= tally.invalid;
                    checked.tally.touched |= tally.touched;
                    checked.tally.failed |= tally.failed;
                    sink(&name, made)?;
                }
                Err(reason) => checked.failures.push((name, reason)),
            }
        }
    }
    bar.finish_and_clear();
    Ok(checked)
}

/// Where the output goes: standard output as it is produced, or `-o FILE` whole or not at
/// all (a temporary file in the same directory, renamed over `FILE` by [`Output::finish`]).
enum Output {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    /// The temporary file and the target; `None` once the reader of stdout went away.
    File(std::io::BufWriter<tempfile::NamedTempFile>, PathBuf),
    /// Standard output was closed (`icgs … | head`): the rest is dropped.
    Closed,
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Output")
    }
}

impl Output {
    fn open(path: Option<&Path>) -> anyhow::Result<Self> {
        Ok(match path {
            None => Self::Stdout(std::io::BufWriter::new(std::io::stdout().lock())),
            Some(path) => Self::File(std::io::BufWriter::new(temp_beside(path)?), path.to_owned()),
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
            Self::File(w, path) => w
                .write_all(text.as_bytes())
                .with_context(|| format!("cannot write `{}`", path.display()))?,
            Self::Closed => {}
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        use std::io::Write as _;
        match self {
            Self::Stdout(mut w) => match w.flush() {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
                _ => Ok(()),
            },
            Self::File(w, path) => {
                let tmp = w.into_inner().map_err(|e| {
                    anyhow::anyhow!("cannot write `{}`: {}", path.display(), e.error())
                })?;
                persist(tmp, &path)
            }
            Self::Closed => Ok(()),
        }
    }
}

/// Writes `bytes` to `path` whole or not at all: a temporary file in the same directory,
/// flushed to disk, then renamed over `path`.
///
/// # Errors
/// The directory cannot hold the temporary file, or the rename fails; the message names
/// the file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut tmp = temp_beside(path)?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    persist(tmp, path)
}

/// A temporary file in the directory of `path`, to be renamed over it by [`persist`].
fn temp_beside(path: &Path) -> anyhow::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if path.is_dir() {
        anyhow::bail!("cannot write `{}`: it is a directory", path.display());
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".icgs-").suffix(".tmp");
    // A report is an ordinary file: keep the mode of the file it replaces, else rw-r--r--
    // (a temporary file is created owner-only).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot write `{}`", path.display()))
}

/// Flushes `tmp` to disk and renames it over `path`.
fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> anyhow::Result<()> {
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    tmp.persist(path)
        .map_err(|e| anyhow::anyhow!("cannot write `{}`: {}", path.display(), e.error))?;
    Ok(())
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
