//! `icgs lint PACK_DIR... [--pack DIR]... [--overlay ID]`: check policy packs, problems
//! rendered like compiler diagnostics.

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

use icgs_tools::lint::{Diagnostic, LintReport, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use super::{EXIT_ERROR, EXIT_FAILED, EXIT_OK};

/// Arguments of `icgs lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Pack directories, or directories of packs such as `policies/`
    #[arg(required = true, value_name = "PACK_DIR")]
    dirs: Vec<PathBuf>,
    /// A pack loaded but not linted, e.g. the base of an overlay under lint, so that its
    /// `extends` chain resolves; repeatable
    #[arg(long = "pack", value_name = "DIR")]
    context: Vec<PathBuf>,
    /// The overlay whose chain the engine is built with (as `check --overlay`); without it,
    /// every chain through a linted pack, one at a time
    #[arg(long = "overlay", value_name = "ID")]
    overlay: Option<String>,
    /// Exit 1 on warnings too
    #[arg(long)]
    deny_warnings: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    plugins: super::plugin::PluginArgs,
    #[command(flatten)]
    lang: super::LangArg,
}

/// How problems are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Each problem with the offending lines, like a compiler
    Text,
    /// A JSON array of problems (severity, code, message, file, line, column, label, help)
    Json,
}

/// One diagnostic as miette sees it.
struct Shown<'a> {
    d: &'a Diagnostic,
    source: Option<NamedSource<String>>,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shown").field("d", self.d).finish()
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("lint::{}", self.d.code)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let span = SourceSpan::new(self.d.span.start.into(), self.d.span.len());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            self.d.label.clone(),
            span,
        ))))
    }
}

/// Renders every diagnostic like a compiler, then a summary line.
fn render(report: &LintReport, colour: bool) -> String {
    let theme = if colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .with_context_lines(1)
        // The header names `file:line:column` itself, the column in characters (miette
        // would count bytes, which misplaces it after Chinese text).
        .without_primary_span_start();
    let mut out = String::new();
    for d in &report.diagnostics {
        let source = report.source(&d.file).filter(|_| d.line > 0).map(|text| {
            NamedSource::new(
                format!("{}:{}:{}", d.file, d.line, d.column),
                text.to_owned(),
            )
        });
        let has_source = source.is_some();
        let shown = Shown { d, source };
        if !has_source {
            out.push_str(&format!("{}: ", d.file));
        }
        let _ = handler.render_report(&mut out, &shown);
        out.push('\n');
    }
    let (errors, warnings) = (report.errors(), report.warnings());
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    out.push_str(&if errors + warnings == 0 {
        format!(
            "lint: ok — {}, {}, no problems\n",
            plural(report.packs.len(), "pack"),
            plural(report.rules, "rule")
        )
    } else {
        format!(
            "lint: {}, {} in {} ({})\n",
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(report.packs.len(), "pack"),
            plural(report.rules, "rule")
        )
    });
    out
}

/// Lints the packs and prints the problems.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let plugins = args.plugins.load_all()?;
    let context = icgs_tools::lint::Context {
        packs: args.context.clone(),
        overlay: args.overlay.clone(),
        plugins,
    };
    let report = match icgs_tools::lint::lint_in(&args.dirs, &context) {
        Ok(r) => r,
        Err(e) => {
            super::write_stderr_line(&format!("error: {e}"));
            return Ok(ExitCode::from(EXIT_ERROR));
        }
    };
    let text = match args.format {
        Format::Text => render(&report, crate::render::colour()),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&report.diagnostics)?;
            s.push('\n');
            s
        }
    };
    super::write_stdout(&text)?;
    let failing = report.errors() > 0 || (args.deny_warnings && report.warnings() > 0);
    Ok(ExitCode::from(if failing { EXIT_FAILED } else { EXIT_OK }))
}
