//! `icgs diff OLD.json NEW.json`: progress between two evaluation cycles of one community,
//! from two JSON reports (`icgs check --format json`); of a whole portfolio when given two
//! portfolio JSON files or two directories of JSON reports (`diff_portfolio`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use icgs::report::{Change, Report, ReportDiff, RuleChange};

use super::{EXIT_FAILED, EXIT_OK};
use crate::render::{Lang, level_label, outcome_label};

/// Arguments of `icgs diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The earlier JSON report; or portfolio (JSON of `check DIR --view portfolio`, or a
    /// directory of JSON reports)
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The later JSON report of the same community; or the later portfolio
    #[arg(value_name = "NEW")]
    new: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Language of the text output
    #[arg(long, value_enum, default_value_t = super::default_lang())]
    lang: Lang,
    /// Write the output to FILE (atomically) instead of standard output; only a regular
    /// file is replaced, never an input
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace a symbolic link at the output path (the link, not the file it points to)
    #[arg(long, requires = "output")]
    force: bool,
}

/// How the diff is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Fixed, new, regressed and changed rules, then the score change
    Text,
    /// Every rule with its change, and both sides' scores
    Json,
}

fn read(path: &Path) -> anyhow::Result<Report> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "`{}`:{}:{}: not a JSON report of one community (`icgs check --format json` of one profile): {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

/// Compares the two reports. Exit 1 when something regressed or failed anew, 0 otherwise.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if super::diff_portfolio::is_portfolio(&args.old)
        || super::diff_portfolio::is_portfolio(&args.new)
    {
        return super::diff_portfolio::run(
            &args.old,
            &args.new,
            args.format,
            args.lang,
            args.output.as_deref().map(|path| {
                (
                    path,
                    crate::output::Output {
                        force: args.force,
                        inputs: vec![args.old.clone(), args.new.clone()],
                    },
                )
            }),
        );
    }
    let old = read(&args.old)?;
    let new = read(&args.new)?;
    let diff = icgs::report::diff(&old, &new).map_err(|e| {
        anyhow::anyhow!(
            "cannot compare `{}` with `{}`: {e}",
            args.old.display(),
            args.new.display()
        )
    })?;
    let out = match args.format {
        DiffFormat::Json => diff.to_json()?,
        DiffFormat::Text => text(&diff, args.lang),
    };
    match &args.output {
        Some(path) => crate::output::Output {
            force: args.force,
            inputs: vec![args.old.clone(), args.new.clone()],
        }
        .write(path, out.as_bytes())?,
        None => super::write_stdout(&out)?,
    }
    let worse = diff.count(Change::Regressed) + diff.count(Change::New) > 0;
    Ok(ExitCode::from(if worse { EXIT_FAILED } else { EXIT_OK }))
}

/// A grade in words (合格 / Qualified); a grade the vocabulary does not know stays as it is.
fn grade(code: &str, lang: Lang) -> &str {
    icgs::vocab::label("grade", code).map_or(code, |l| l.pick(lang == Lang::Zh))
}

fn line(out: &mut String, r: &RuleChange, lang: Lang) {
    let was = r.old.map_or("—", |o| outcome_label(o, lang));
    let now = r.new.map_or("—", |o| outcome_label(o, lang));
    let _ = writeln!(
        out,
        "  {:<8} {} {was} → {now}  {}  {}",
        r.rule,
        // Padded by display width: a Chinese level is two columns a character.
        crate::render::pad(level_label(r.level, lang), 4),
        lang.msg(&r.title),
        lang.msg(&r.message)
    );
}

/// The diff for people.
pub fn text(d: &ReportDiff, lang: Lang) -> String {
    let mut out = String::new();
    let name = d.name.as_deref().unwrap_or(&d.community);
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::Zh => format!(
                "{name}（{}）：{} → {}",
                d.community, d.old.as_of, d.new.as_of
            ),
            Lang::En => format!(
                "{name} ({}): {} → {}",
                d.community, d.old.as_of, d.new.as_of
            ),
        }
    );
    if d.old.as_of > d.new.as_of {
        let _ = writeln!(
            out,
            "{}",
            lang.pick(
                "注意：旧报告的基准日晚于新报告",
                "note: the old report's as_of is later than the new one's"
            )
        );
    }
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::Zh => format!(
                "总分 {:.2} → {:.2}（{:+.2}）· 等级 {} → {} · 不符合项 {} → {} · 偏离项 {} → {}",
                d.old.score,
                d.new.score,
                d.score_change,
                grade(&d.old.grade, lang),
                grade(&d.new.grade, lang),
                d.old.non_conformities,
                d.new.non_conformities,
                d.old.deviations,
                d.new.deviations
            ),
            Lang::En => format!(
                "score {:.2} → {:.2} ({:+.2}) · grade {} → {} · non-conformities {} → {} · deviations {} → {}",
                d.old.score,
                d.new.score,
                d.score_change,
                grade(&d.old.grade, lang),
                grade(&d.new.grade, lang),
                d.old.non_conformities,
                d.new.non_conformities,
                d.old.deviations,
                d.new.deviations
            ),
        }
    );
    for (change, zh, en) in [
        (Change::Fixed, "已整改", "Fixed"),
        (Change::New, "新出现的未满足", "New failures"),
        (Change::Regressed, "退步", "Regressed"),
        (Change::Changed, "其他变化", "Other changes"),
    ] {
        let rules: Vec<&RuleChange> = d.with(change).collect();
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{} ({})", lang.pick(zh, en), rules.len());
        for r in rules {
            line(&mut out, r, lang);
        }
    }
    let _ = writeln!(
        out,
        "\n{} {}",
        lang.pick("未变化的条款", "Unchanged rules"),
        d.count(Change::Unchanged)
    );
    out
}
