//! `--help` and usage errors in Chinese: when the language resolved before parsing
//! ([`lang_of_args`]) is Chinese, every option's help, the headings and clap's usage errors
//! are put into Chinese from the tables below; the English help stays in the doc comments.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command};

use crate::render::Lang;

/// The help of each option in Chinese, by command and argument id; `*` applies to every
/// command that has no entry of its own for the id. Long texts say what the English doc
/// comment says.
const HELP: &[(&str, &str, &str)] = &[
    // Shared by several commands.
    ("*", "help", "显示帮助（-h 为摘要，--help 为完整说明）"),
    ("*", "version", "显示版本"),
    (
        "*",
        "lang",
        "语言（输出、提示和错误信息）：zh（中文）或 en（英文）；默认取 ICGS_LANG，其次系统区域设置",
    ),
    ("*", "format", "输出格式"),
    (
        "*",
        "output",
        "输出写入 FILE 而非标准输出；整体写入或完全不写（先写同目录下的临时文件再改名），只替换普通文件，绝不覆盖输入",
    ),
    (
        "*",
        "force",
        "替换输出路径上的符号链接（替换链接本身，而非其指向的文件）",
    ),
    ("*", "max_bytes", "可接受的最大档案字节数"),
    (
        "*",
        "packs",
        "用于替代同编号内置规则包的规则包目录（或规则包的上级目录）；可重复，按层级顺序",
    ),
    (
        "*",
        "overlay",
        "只应用此叠加层（及其 extends 的上级层）；不指定时，每个社区应用 applies_to 与其所在城市、区相符的叠加层，未写 applies_to 的叠加层须构成一条链（见 docs/overlays.md）",
    ),
    (
        "*",
        "plugins",
        "加载的原生插件库（可信代码，以本进程的权限运行）；可在末尾加 #sha256=HEX 固定其摘要；可重复",
    ),
    (
        "*",
        "plugin_deadline",
        "对插件的一次调用可用的毫秒数，超时则其规则为“出错”（放弃该次调用，见 docs/plugin-authoring.md）",
    ),
    (
        "*",
        "waivers",
        "豁免文件：豁免的 JSON 列表，字段同档案的 waivers（clause、justification、requested_by、approved_by、approved_on、expires_on 均为必填），可选 community（档案编号）；可重复",
    ),
    (
        "*",
        "trust_profile_waivers",
        "同时采纳各档案自带的豁免（waivers[]）；不加此项时，它们作为不可信豁免列出而不采纳：社区不能豁免自己的不符合项",
    ),
    (
        "*",
        "as_of",
        "以此日期（YYYY-MM-DD）而非各档案的 as_of 进行评价：时间窗口、生效日期和豁免都按此日判断（从不取系统时钟）",
    ),
    (
        "*",
        "dirs",
        "规则包目录，或规则包的上级目录（如 policies/）",
    ),
    (
        "*",
        "paths",
        "档案文件，或目录（按文件名顺序处理其中的 *.json）；- 表示读标准输入",
    ),
    ("*", "json", "输出 JSON"),
    ("*", "quiet", "只输出摘要"),
    // check
    (
        "check",
        "lang",
        "文本、Markdown、HTML 和 JUnit 输出的语言（JSON 和 CSV 同时含两种语言）：zh 或 en；默认取 ICGS_LANG，其次系统区域设置",
    ),
    (
        "check",
        "output_dir",
        "配合 --format html：将汇总看板写入 DIR/index.html，各社区报告写入 DIR/communities/编号.html，并由看板链接",
    ),
    ("check", "pretty", "JSON 输出缩进；默认仅在终端上缩进"),
    (
        "check",
        "view",
        "输出每份报告，或汇总；auto：文本、Markdown、HTML 和 CSV 在多份档案时输出汇总，否则输出每份报告（见 docs/reports.md）",
    ),
    (
        "check",
        "color",
        "文本输出着色；auto：标准输出为终端且未设置 NO_COLOR 时着色",
    ),
    ("check", "top", "文本：开头列出的整改项数（0 表示全部列出）"),
    (
        "check",
        "quiet",
        "文本：每个社区一行摘要（等级、得分、不符合项、下一等级）",
    ),
    (
        "check",
        "allow_invalid",
        "接受有校验问题的档案：有问题时退出码为 1（而非 2）；无不符合项且没有规则读到无效值时为 0（无效值仍按缺失处理）",
    ),
    // validate
    ("validate", "max_depth", "列表和对象可接受的最大嵌套层数"),
    (
        "validate",
        "lang",
        "文本输出的语言：zh 或 en（JSON 同时含两种语言）；默认取 ICGS_LANG，其次系统区域设置",
    ),
    // rules, explain
    (
        "rules",
        "lang",
        "标题的语言：zh 或 en；默认取 ICGS_LANG，其次系统区域设置",
    ),
    (
        "rules",
        "json",
        "输出 JSON（编号、条款、要求等级、来源、维度、标题、类别、规则包），而非表格",
    ),
    (
        "explain",
        "rule",
        "规则编号，如 6.4.3 或 C.SM.2（不区分大小写）",
    ),
    (
        "explain",
        "as_of",
        "标出在此日期（YYYY-MM-DD）生效的内容；不指定时列出每一层",
    ),
    // test
    (
        "test",
        "dirs",
        "规则包目录，或规则包的上级目录（如 policies/），运行其 tests/ 中的用例；按层级顺序（叠加层在其扩展的规则包之后）",
    ),
    (
        "test",
        "context",
        "加载但不测试的规则包，如被测叠加层的基础包；可重复",
    ),
    ("test", "format", "输出格式（junit 时覆盖情况写到标准错误）"),
    (
        "test",
        "coverage",
        "按规则显示用例覆盖了哪些结果，按条款显示如何检查",
    ),
    (
        "test",
        "min_coverage",
        "完全覆盖的规则少于 N% 时失败（退出码 1）",
    ),
    ("test", "filter", "只运行路径中含 TEXT 的用例（如 5.1.1）"),
    ("test", "quiet", "只输出失败的用例，以及覆盖缺少的规则"),
    // lint
    (
        "lint",
        "context",
        "只加载、不检查的规则包目录，用于解析被检查叠加层的 extends 上级层；可重复",
    ),
    ("lint", "deny_warnings", "有警告时也以退出码 1 结束"),
    // doc
    (
        "doc",
        "dirs",
        "替代同编号内置规则包的规则包目录，或规则包的上级目录（不指定：内置规则包，即生成 docs/clauses.md 所用）",
    ),
    (
        "doc",
        "output",
        "写入 FILE（原子写入：先写临时文件再改名）而非标准输出；只替换普通文件",
    ),
    (
        "doc",
        "overlay",
        "目录展示此叠加层的链（含其 extends 的各层）：每层的取值、要求等级变化、新增规则和例外规定，及其日期",
    ),
    (
        "doc",
        "as_of",
        "显示在此日期（YYYY-MM-DD）生效的取值，并标出每层的变化是否生效",
    ),
    // migrate
    (
        "migrate",
        "paths",
        "档案文件，或目录（按文件名顺序迁移其中的 *.json）；- 表示读标准输入。只有一个输入且不加选项时，2.0 档案写到标准输出",
    ),
    (
        "migrate",
        "in_place",
        "原地改写每个文件（原子写入；2.0 文件保持不动）",
    ),
    (
        "migrate",
        "output",
        "写入 OUT：一个输入时为文件，多个输入时为目录（不存在则创建）",
    ),
    ("migrate", "lang", "标准错误上日志的语言：zh 或 en"),
    // diff
    (
        "diff",
        "old",
        "较早的 JSON 报告；或汇总（check DIR --view portfolio 的 JSON，或 JSON 报告所在的目录）",
    ),
    ("diff", "new", "同一社区较晚的 JSON 报告；或较晚的汇总"),
    ("diff", "lang", "文本输出的语言：zh 或 en"),
    // serve
    (
        "serve",
        "listen",
        "监听地址；默认仅本机回环：如需为其他主机服务，请在前面加带 TLS 的反向代理",
    ),
    (
        "serve",
        "token_file",
        "存放持有者令牌（bearer token）的文件；除 /healthz 和 /readyz 外的每个路由都需要",
    ),
    (
        "serve",
        "max_bytes",
        "可接受的最大请求体字节数（一份档案或一整批）",
    ),
    (
        "serve",
        "eval_timeout",
        "一次评价的时限（秒）；超时返回 503",
    ),
    ("serve", "max_concurrency", "同时处理的请求数；其余等待"),
    // init overlay
    (
        "init overlay",
        "name",
        "规则包编号兼目录名：小写字母、数字和 -，如 xihu",
    ),
    ("init overlay", "dir", "在哪个目录下创建规则包目录"),
    (
        "init overlay",
        "extends",
        "叠加层扩展的规则包（standard，或省、市的叠加层）",
    ),
    (
        "init overlay",
        "extends_version",
        "叠加层适用的该规则包版本（semver 版本要求）",
    ),
    // plugin inspect
    ("plugin inspect", "plugin", "插件库（PATH[#sha256=HEX]）"),
    ("plugin inspect", "json", "以 JSON 输出清单"),
    (
        "plugin inspect",
        "packs",
        "构建时使用的规则包，同 icgs check --pack",
    ),
    // completions
    ("completions", "shell", "命令行外壳（shell）"),
];

/// The summary of the commands whose doc comment is English only, in Chinese.
const ABOUT: &[(&str, &str)] = &[
    (
        "init overlay",
        "叠加层规则包：在标准（或另一叠加层）之上的地方层",
    ),
    (
        "plugin inspect",
        "加载插件，进行握手并运行 icgs check 用该插件构建引擎时的全部检查（参数、要求等级、类别、规则元数据、编号），然后输出其清单；check 会拒绝它时退出码为 2。不做任何评价",
    ),
    ("help", "显示本说明或指定命令的帮助"),
];

/// The help template in Chinese (clap's default with the headings in Chinese).
const TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The language the command line asks for, read before clap parses it: the last
/// `--lang zh|en` (or `--lang=…`), else [`crate::commands::default_lang`].
pub fn lang_of_args(args: &[std::ffi::OsString]) -> Lang {
    let mut lang = None;
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--lang") {
            Some("") => iter.next().map(|v| v.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_owned),
            None => None,
        };
        match value.as_deref().map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("zh") => lang = Some(Lang::Zh),
            Some(v) if v.eq_ignore_ascii_case("en") => lang = Some(Lang::En),
            _ => {}
        }
    }
    lang.unwrap_or_else(crate::commands::default_lang)
}

/// The Chinese help of the argument `id` of the command at `path` (`check`, `init overlay`).
fn help_of(path: &str, id: &str) -> Option<&'static str> {
    let find = |cmd: &str| {
        HELP.iter()
            .find(|(c, i, _)| *c == cmd && *i == id)
            .map(|(_, _, h)| *h)
    };
    find(path).or_else(|| find("*"))
}

/// `cmd` with its help in Chinese: every argument's help (with its default and possible
/// values said in Chinese), the headings and the usage line.
pub fn localise(mut cmd: Command) -> Command {
    cmd.build();
    localise_built(cmd, "")
}

fn localise_built(cmd: Command, path: &str) -> Command {
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .mut_args(|arg| localise_arg(arg, path));
    // clap's `help` command, at every level, has one summary.
    let key = if cmd.get_name() == "help" {
        "help"
    } else {
        path
    };
    if let Some((_, about)) = ABOUT.iter().find(|(p, _)| *p == key) {
        cmd = cmd.about(*about).long_about(None::<&str>);
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |sub| localise_built(sub, &sub_path));
    }
    cmd
}

fn localise_arg(arg: Arg, path: &str) -> Arg {
    let id = arg.get_id().as_str().to_owned();
    let Some(help) = help_of(path, &id) else {
        return arg;
    };
    let mut help = help.to_owned();
    if !arg.is_hide_possible_values_set() {
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_owned())
            .collect();
        if !values.is_empty() && id != "help" && id != "version" {
            help.push_str(&format!("（可选：{}）", values.join("、")));
        }
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() {
        help.push_str(&format!("（默认：{}）", defaults.join("、")));
    }
    let heading = if arg.is_positional() {
        "参数"
    } else {
        "选项"
    };
    arg.help(help)
        .long_help(None::<&str>)
        .hide_possible_values(true)
        .hide_default_value(true)
        .help_heading(heading)
}

/// A clap usage error in Chinese, with the usage line and where to read more; `None` for
/// the kinds that are not errors (help, version) or that have no Chinese wording, which are
/// printed by clap as they are.
pub fn error_zh(error: &clap::Error) -> Option<String> {
    let text = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join("、")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let value = text(ContextKind::InvalidValue).unwrap_or_default();
    let mut message = match error.kind() {
        ErrorKind::InvalidValue => {
            let mut m = format!("{arg} 的取值“{value}”无效");
            if let Some(valid) = text(ContextKind::ValidValue) {
                m.push_str(&format!("；可选：{valid}"));
            }
            m
        }
        ErrorKind::UnknownArgument => format!("无法识别的选项或参数“{arg}”"),
        ErrorKind::InvalidSubcommand => format!("无法识别的命令“{value}”"),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_owned(),
        ErrorKind::ArgumentConflict => {
            let other = text(ContextKind::PriorArg).unwrap_or_default();
            format!("{arg} 不能与 {other} 同时使用")
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(error)
                .map(|s| format!("：{s}"))
                .unwrap_or_default();
            format!("{arg} 的取值“{value}”无效{reason}")
        }
        ErrorKind::TooManyValues => format!("{arg} 的取值“{value}”多余"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的取值个数不对")
        }
        ErrorKind::NoEquals => format!("{arg} 的取值须用 = 连接"),
        _ => return None,
    };
    for (kind, words) in [
        (ContextKind::SuggestedArg, "是否应为"),
        (ContextKind::SuggestedValue, "是否应为"),
        (ContextKind::SuggestedSubcommand, "是否应为命令"),
    ] {
        if let Some(s) = text(kind) {
            message.push_str(&format!("；{words}“{s}”？"));
        }
    }
    let usage = text(ContextKind::Usage)
        .map(|u| format!("\n\n{}", u.replacen("Usage: ", "用法：", 1).trim()))
        .unwrap_or_default();
    Some(format!(
        "错误：{message}{usage}\n\n更多信息请用 --help 查看。"
    ))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;

    /// Every argument of every command, with the path of its command.
    fn every_arg(cmd: &Command, path: &str, out: &mut Vec<(String, String)>) {
        for arg in cmd.get_arguments() {
            out.push((path.to_owned(), arg.get_id().as_str().to_owned()));
        }
        for sub in cmd.get_subcommands() {
            let sub_path = if path.is_empty() {
                sub.get_name().to_owned()
            } else {
                format!("{path} {}", sub.get_name())
            };
            every_arg(sub, &sub_path, out);
        }
    }

    #[test]
    fn every_option_has_chinese_help() {
        let mut cmd = crate::Cli::command();
        cmd.build();
        let mut args = Vec::new();
        every_arg(&cmd, "", &mut args);
        assert!(args.len() > 60, "{}", args.len());
        let missing: Vec<String> = args
            .iter()
            .filter(|(path, id)| help_of(path, id).is_none())
            .map(|(path, id)| format!("{path} {id}"))
            .collect();
        assert!(missing.is_empty(), "no Chinese help for: {missing:?}");
    }

    #[test]
    fn every_command_has_a_chinese_summary() {
        let mut cmd = crate::Cli::command();
        cmd.build();
        let mut missing = Vec::new();
        let mut stack: Vec<(String, &Command)> = vec![(String::new(), &cmd)];
        while let Some((path, c)) = stack.pop() {
            for sub in c.get_subcommands() {
                let sub_path = format!("{path} {}", sub.get_name()).trim().to_owned();
                // The commands under `help` are clap's mirror of the others.
                if path.split(' ').any(|p| p == "help") {
                    continue;
                }
                let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
                let chinese = about
                    .chars()
                    .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch));
                let key = if sub.get_name() == "help" {
                    "help"
                } else {
                    sub_path.as_str()
                };
                if !chinese && !ABOUT.iter().any(|(p, _)| *p == key) {
                    missing.push(sub_path.clone());
                }
                stack.push((sub_path, sub));
            }
        }
        assert!(missing.is_empty(), "no Chinese summary for: {missing:?}");
    }

    #[test]
    fn the_chinese_help_has_no_english_option_text() {
        let mut cmd = localise(crate::Cli::command());
        let check = cmd
            .find_subcommand_mut("check")
            .map(|c| c.render_long_help().to_string());
        let check = check.unwrap_or_default();
        assert!(check.contains("用法："), "{check}");
        assert!(check.contains("选项"), "{check}");
        assert!(check.contains("输出格式（可选：text、"), "{check}");
        assert!(check.contains("（默认：text）"), "{check}");
        for english in [
            "Output format",
            "Options:",
            "Usage:",
            "[default:",
            "Print help",
        ] {
            assert!(!check.contains(english), "{english} in {check}");
        }
    }

    #[test]
    fn the_language_is_read_before_parsing() {
        let args = |v: &[&str]| -> Vec<std::ffi::OsString> { v.iter().map(Into::into).collect() };
        assert_eq!(
            lang_of_args(&args(&["icgs", "check", "--lang", "en"])),
            Lang::En
        );
        assert_eq!(
            lang_of_args(&args(&["icgs", "check", "--lang=zh"])),
            Lang::Zh
        );
        assert_eq!(
            lang_of_args(&args(&["icgs", "check", "--", "--lang", "en", "x"])),
            crate::commands::default_lang()
        );
    }

    fn cmd_error(args: &[&str]) -> String {
        let error = localise(crate::Cli::command())
            .try_get_matches_from(args)
            .err();
        error.as_ref().and_then(error_zh).unwrap_or_default()
    }

    #[test]
    fn usage_errors_are_worded_in_chinese() {
        let cmd = localise(crate::Cli::command());
        let error = cmd
            .try_get_matches_from(["icgs", "check", "--format", "yaml", "x.json"])
            .err();
        let text = error.as_ref().and_then(error_zh).unwrap_or_default();
        assert!(
            text.starts_with("错误：--format <FORMAT> 的取值“yaml”无效；可选：text"),
            "{text}"
        );
        assert!(text.ends_with("更多信息请用 --help 查看。"), "{text}");
        let error = cmd_error(&["icgs", "check"]);
        assert!(
            error.starts_with("错误：缺少必需的参数：<FILE|DIR>"),
            "{error}"
        );
        assert!(error.contains("用法：icgs check"), "{error}");
    }
}
