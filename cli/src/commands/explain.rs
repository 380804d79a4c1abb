//! `icgs explain RULE`: one rule with its clause text, check, parameters and remedy.

use std::fmt::Write as _;
use std::process::ExitCode;

use super::EXIT_ERROR;
use super::check::PackArgs;

/// Arguments of `icgs explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rule id, e.g. `6.4.3` or `C.SM.2`
    rule: String,
    #[command(flatten)]
    packs: PackArgs,
}

/// Prints the rule in both languages.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let engine = args.packs.engine()?;
    let Some(r) = engine.rules().find(|r| r.meta.id == args.rule) else {
        let known: Vec<String> = engine.rules().map(|r| r.meta.id.clone()).collect();
        let near = known
            .iter()
            .min_by_key(|k| strsim::levenshtein(k, &args.rule))
            .cloned()
            .unwrap_or_default();
        eprintln!(
            "error: no rule `{}`; did you mean `{near}`? (`icgs rules` lists all {})",
            args.rule,
            known.len()
        );
        return Ok(ExitCode::from(EXIT_ERROR));
    };
    let m = r.meta;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {} — {} / {}",
        m.id,
        m.level.zh(),
        m.title.zh,
        m.title.en
    );
    let _ = writeln!(
        s,
        "clause {} · level {} ({}) · dimension {} · weight {}",
        m.clause,
        m.level.as_str(),
        m.level.zh(),
        m.dimension.as_str(),
        r.weight
    );
    let cats = if m.categories.is_empty() {
        "all communities".to_owned()
    } else {
        m.categories.join(", ")
    };
    let _ = writeln!(s, "applies to: {cats}");
    let _ = writeln!(s, "pack: {} · file: {}", r.pack, r.file);
    let _ = writeln!(s, "\n条文  {}\nText  {}", m.text.zh, m.text.en);
    let _ = writeln!(s, "\n检查  {}\nCheck {}", m.check.zh, m.check.en);
    if !r.params.is_empty() {
        let _ = writeln!(s, "\nParameters:");
        for (name, p) in r.params {
            let unit = p
                .unit
                .as_deref()
                .map(|u| format!(" {u}"))
                .unwrap_or_default();
            let _ = writeln!(s, "  {name} = {}{unit}  (set by {})", p.value, p.layer);
        }
    }
    let _ = writeln!(s, "\n整改  {}\nRemedy {}", m.remedy.zh, m.remedy.en);
    super::write_stdout(&s)?;
    Ok(ExitCode::SUCCESS)
}
