//! `icgs rules`: list the rules of the packs in force.

use std::fmt::Write as _;
use std::process::ExitCode;

use super::check::PackArgs;
use crate::render::{self, Lang};

/// Arguments of `icgs rules`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    packs: PackArgs,
    /// Language of titles
    #[arg(long, value_enum, default_value_t = super::default_lang())]
    lang: Lang,
    /// Print JSON (id, clause, level, origin, dimension, title, categories, pack) instead of a
    /// table
    #[arg(long)]
    json: bool,
}

/// Lists the rules in clause order.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let engine = args.packs.engine()?;
    let out = if args.json {
        let rules: Vec<serde_json::Value> =
            engine.rules().map(|r| render::rules::summary(&r)).collect();
        let mut s = serde_json::to_string_pretty(&rules)?;
        s.push('\n');
        s
    } else {
        let mut s = String::new();
        for r in engine.rules() {
            let level = match args.lang {
                Lang::Zh => r.meta.level.zh(),
                Lang::En => r.meta.level.as_str(),
            };
            let cats = if r.meta.categories.is_empty() {
                "*".to_owned()
            } else {
                r.meta.categories.join(",")
            };
            let marker = crate::render::origin_marker(r.meta.origin.unwrap_or_default(), args.lang);
            let _ = writeln!(
                s,
                "{:<8} {} {} {:<20} {}",
                r.meta.id,
                crate::render::pad(marker, 2),
                crate::render::pad(level, 9),
                cats,
                args.lang.pick(&r.meta.title.zh, &r.meta.title.en)
            );
        }
        let _ = writeln!(s, "{} rules", engine.rules().count());
        let _ = writeln!(s, "{}", crate::render::proposal_legend(args.lang));
        s
    };
    super::write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}
