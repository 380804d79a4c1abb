//! `icgs`: validate and check industrial community profiles against the group standard
//! 现代产业社区治理与服务规范.
//!
//! Each subcommand lives in its own module under `commands/`, with an `Args` struct and a
//! `run(args) -> anyhow::Result<ExitCode>` function; adding one is a variant of [`Command`]
//! and an arm in [`main`].

mod commands;
mod help_zh;
mod output;

use icgs_render as render;

use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

/// Exit codes, shown by `--help`.
const EXIT_CODES: &str = "退出码 / Exit codes:
  0  全部通过 / everything checked is fine
  1  有不符合或无效的内容 / something checked is not fine (a failing clause, an invalid profile)
  2  须处理的问题（文件无法读取、规则出错、豁免被拒、社区编号重复、用法错误、
     档案有校验问题且未加 --allow-invalid；详见 icgs check --help）/
     a problem to deal with (an unreadable file, a rule ending in error, a refused
     waiver, a duplicate community id, a usage error, profile problems without
     --allow-invalid; see icgs check --help)

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
    /// 按标准评价社区档案：逐条结果、得分、等级、改进计划 / Check community profiles against the standard: results per clause, score, grade, plan
    Check(commands::check::Args),
    /// 校验社区档案：语法、结构、引用和日期 / Validate community profiles: syntax, schema, references and dates
    Validate(commands::validate::Args),
    /// 列出生效的规则 / List the rules of the packs in force
    Rules(commands::rules::Args),
    /// 说明一条规则：条款、判定、参数及来源、整改 / Show one rule: clause text, check, parameters with provenance, remedy
    Explain(commands::explain::Args),
    /// 输出社区档案的 JSON Schema / Print the JSON Schema of the community profile
    Schema(commands::schema::Args),
    /// 运行规则包的测试用例；--coverage 显示覆盖情况 / Run the test cases of policy packs; `--coverage` shows what they cover
    Test(commands::test::Args),
    /// 检查规则包：元数据、要求等级、占位符、参数、`c` 的属性 / Check policy packs: metadata, levels, placeholders, parameters, properties of `c`
    Lint(commands::lint::Args),
    /// 由规则包生成条款目录（Markdown 或 HTML）/ Generate the clause catalogue from the packs (Markdown or HTML)
    Doc(commands::doc::Args),
    /// 新建规则包：`icgs init overlay NAME` 用于省、市、区层 / Scaffold a new pack: `icgs init overlay NAME` for a province, city or district layer
    Init(commands::init::Args),
    /// 检查原生插件：握手、清单及 check 会拒绝的内容 / Inspect a native plugin: handshake, manifest and what `check` would refuse
    Plugin(commands::plugin::Args),
    /// 将 1.0 档案改写为 2.0 格式，并列出需人工补填的内容 / Rewrite 1.0 profiles as format 2.0, listing what must be filled in by hand
    Migrate(commands::migrate::Args),
    /// 比较同一社区的两份 JSON 报告，或两份汇总 / Compare two JSON reports of one community, or two portfolios
    Diff(commands::diff::Args),
    /// 以 HTTP 服务提供评价，供市、区平台调用 / Serve the standard over HTTP: evaluate profiles for city and district platforms
    Serve(commands::serve::Args),
    /// 输出命令行补全脚本 / Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
        #[command(flatten)]
        lang: commands::LangArg,
    },
    /// 输出手册页（roff）/ Print the manual page (roff): `icgs man > icgs.1`
    Man {
        #[command(flatten)]
        lang: commands::LangArg,
    },
}

/// Parses the command line, with the help and usage errors in the language it asks for
/// (`--lang`, else `ICGS_LANG`, else the locale; Chinese by default).
fn parse() -> Result<(Cli, render::Lang), ExitCode> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = help_zh::lang_of_args(&args);
    let zh = lang == render::Lang::Zh;
    let command = if zh {
        help_zh::localise(Cli::command())
    } else {
        Cli::command()
    };
    let parsed = command
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    parsed
        .map(|cli| (cli, lang))
        .map_err(|error| match help_zh::error_zh(&error).filter(|_| zh) {
            Some(text) => {
                commands::write_stderr_line(text.trim_end());
                ExitCode::from(commands::EXIT_ERROR)
            }
            None => error.exit(),
        })
}

fn main() -> ExitCode {
    let (cli, lang) = match parse() {
        Ok(parsed) => parsed,
        Err(code) => return code,
    };
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
        Command::Completions { shell, .. } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "icgs", &mut out);
            commands::write_stdout(&String::from_utf8_lossy(&out)).map(|()| ExitCode::SUCCESS)
        }
        Command::Man { .. } => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(anyhow::Error::from)
                .and_then(|()| commands::write_stdout(&String::from_utf8_lossy(&out)))
                .map(|()| ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|error| {
        commands::write_stderr_line(&commands::error_text(&error, lang));
        ExitCode::from(commands::EXIT_ERROR)
    })
}
