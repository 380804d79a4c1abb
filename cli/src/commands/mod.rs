//! One module per subcommand.

use std::io::{self, Write};

pub mod check;
pub mod diff;
pub mod diff_portfolio;
pub mod doc;
pub mod explain;
pub mod init;
pub mod inputs;
pub mod layers;
pub mod lint;
pub mod migrate;
mod ordered;
pub mod plugin;
pub mod rules;
pub mod schema;
pub mod serve;
pub mod test;
pub mod validate;

/// Exit status: everything checked is fine.
pub const EXIT_OK: u8 = 0;
/// Exit status: something checked is not fine (an invalid profile, a failing clause…).
pub const EXIT_FAILED: u8 = 1;
/// Exit status: something could not be done at all (an unreadable file, a usage error; clap
/// uses 2 for usage errors too).
pub const EXIT_ERROR: u8 = 2;

/// `--lang` on a command whose output is bilingual or data (explain, schema, test, lint, doc,
/// init, plugin, serve, completions, man): the help, messages and errors follow it. It is
/// read before clap parses ([`crate::help_zh::lang_of_args`]), so the value here is only
/// validated; every command accepts the same option.
#[derive(Debug, clap::Args)]
pub struct LangArg {
    /// Language of help, messages and errors: zh or en; the default is ICGS_LANG, then the
    /// system locale
    #[arg(long, value_enum, default_value_t = default_lang(), global = true)]
    #[allow(
        dead_code,
        reason = "read from the command line before parsing, see help_zh"
    )]
    lang: crate::render::Lang,
}

/// The language when `--lang` is not given: `ICGS_LANG` (`zh` or `en`), else the system
/// locale (`LC_ALL`, `LC_MESSAGES`, `LANG`) when it names one of the two, else Chinese.
pub fn default_lang() -> crate::render::Lang {
    use crate::render::Lang;
    let pick = |v: &str| {
        let v = v.trim().to_ascii_lowercase();
        if v.starts_with("en") {
            Some(Lang::En)
        } else if v.starts_with("zh") {
            Some(Lang::Zh)
        } else {
            None
        }
    };
    if let Some(lang) = std::env::var("ICGS_LANG").ok().as_deref().and_then(pick) {
        return lang;
    }
    // The first locale variable that is set decides, as in POSIX.
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .as_deref()
        .and_then(pick)
        .unwrap_or(Lang::Zh)
}

/// An error the command line words itself, in Chinese and English; its `Display` is the
/// English, [`error_text`] picks the language.
#[derive(Debug)]
pub struct Said {
    pub zh: String,
    pub en: String,
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for Said {}

/// An error worded in Chinese (`zh`) and English (`en`).
pub fn said(zh: impl Into<String>, en: impl Into<String>) -> anyhow::Error {
    Said {
        zh: zh.into(),
        en: en.into(),
    }
    .into()
}

/// An error as the line `main` prints: `错误：…` / `error: …`, each cause after the
/// other, in `lang` where the command line worded it in both (library errors keep their
/// own words, a pack error with what to give on the command line); a cause the one
/// before already ends with (an operating system's error quoted) is not repeated.
pub fn error_text(error: &anyhow::Error, lang: crate::render::Lang) -> String {
    let mut causes: Vec<String> = Vec::new();
    for cause in error.chain() {
        let text = if let Some(said) = cause.downcast_ref::<Said>() {
            lang.pick(&said.zh, &said.en).to_owned()
        } else if let Some(e) = pack_error(cause) {
            icgs_tools::lint::command_line_text(e)
        } else {
            cause.to_string()
        };
        if causes.last().is_some_and(|last| last.ends_with(&text)) {
            continue;
        }
        causes.push(text);
    }
    match lang {
        crate::render::Lang::Zh => format!("错误：{}", causes.join("：")),
        crate::render::Lang::En => format!("error: {}", causes.join(": ")),
    }
}

/// The build error `cause` is or wraps transparently.
fn pack_error<'a>(
    cause: &'a (dyn std::error::Error + 'static),
) -> Option<&'a icgs::pack::BuildError> {
    match cause.downcast_ref::<icgs_tools::testing::TestError>() {
        Some(icgs_tools::testing::TestError::Build(e)) => Some(e),
        _ => cause.downcast_ref(),
    }
}

/// Writes `text` to stdout; a closed pipe (`icgs … | head`) is not an error.
pub fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Writes one line to stderr; a closed stderr is ignored (never a panic, unlike `eprintln!`).
pub fn write_stderr_line(text: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{text}");
}
