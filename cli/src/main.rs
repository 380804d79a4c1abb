//! `icgs`: validate and check industrial community profiles against the group standard
//! 现代产业社区治理与服务规范.
//!
//! Each subcommand lives in its own module under `commands/`, with an `Args` struct and a
//! `run(args) -> anyhow::Result<ExitCode>` function; adding one is a variant of [`Command`]
//! and an arm in [`main`].

mod commands;
mod output;

use icgs_render as render;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit codes, shown by `--help`.
const EXIT_CODES: &str = "退出码 / Exit codes:
  0  全部通过 / everything checked is fine
  1  有不符合或无效的内容 / something checked is not fine (a failing clause, an invalid profile)
  2  无法执行（文件无法读取、用法错误、档案有校验问题且未加 --allow-invalid）/
     could not be done (an unreadable file, a usage error, profile problems without --allow-invalid)

语言 / Language: --lang zh|en; 默认取 ICGS_LANG，其次系统区域设置（LC_ALL、LC_MESSAGES、LANG）/
  the default is ICGS_LANG, then the system locale (LC_ALL, LC_MESSAGES, LANG)";

/// Validate and check modern industrial community profiles (现代产业社区治理与服务规范).
#[derive(Debug, Parser)]
#[command(name = "icgs", version, about, long_about = None, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check community profiles against the standard: results per clause, score, grade, plan
    Check(commands::check::Args),
    /// Validate community profiles: syntax, schema, references and dates
    Validate(commands::validate::Args),
    /// List the rules of the packs in force
    Rules(commands::rules::Args),
    /// Show one rule: clause text, check, parameters with provenance, remedy
    Explain(commands::explain::Args),
    /// Print the JSON Schema of the community profile
    Schema(commands::schema::Args),
    /// Run the test cases of policy packs; `--coverage` shows what they cover
    Test(commands::test::Args),
    /// Check policy packs: metadata, levels, placeholders, parameters, properties of `c`
    Lint(commands::lint::Args),
    /// Generate the clause catalogue from the packs (Markdown or HTML)
    Doc(commands::doc::Args),
    /// Scaffold a new pack: `icgs init overlay NAME` for a province, city or district layer
    Init(commands::init::Args),
    /// Inspect a native plugin: handshake and manifest, without evaluating anything
    Plugin(commands::plugin::Args),
    /// Rewrite 1.0 profiles as format 2.0, listing what must be filled in by hand
    Migrate(commands::migrate::Args),
    /// Compare two JSON reports of one community: fixed, new, regressed, score change
    Diff(commands::diff::Args),
    /// Serve the standard over HTTP: evaluate profiles for city and district platforms
    Serve(commands::serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => commands::check::run(&args),
        Command::Validate(args) => commands::validate::run(&args),
        Command::Rules(args) => commands::rules::run(&args),
        Command::Explain(args) => commands::explain::run(&args),
        Command::Schema(args) => commands::schema::run(&args),
        Command::Test(args) => commands::test::run(&args),
        Command::Lint(args) => commands::lint::run(&args),
        Command::Doc(args) => commands::doc::run(&args),
        Command::Init(args) => commands::init::run(&args),
        Command::Plugin(args) => commands::plugin::run(&args),
        Command::Diff(args) => commands::diff::run(&args),
        Command::Migrate(args) => commands::migrate::run(&args),
        Command::Serve(args) => commands::serve::run(&args),
    };
    result.unwrap_or_else(|error| {
        commands::write_stderr_line(&format!("error: {error:#}"));
        ExitCode::from(commands::EXIT_ERROR)
    })
}
