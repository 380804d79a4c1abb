//! `icgs migrate FILE|DIR… [--in-place | -o OUT]`: rewrite 1.0 profiles as format 2.0.
//!
//! Every input is migrated in memory first; if any cannot be, nothing is written. Each file
//! is then written whole or not at all. The log (what changed, what must be filled in by
//! hand) goes to standard error, so standard output carries only the profile.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use icgs::{Migration, ReadOptions};

use super::inputs::{Input, expand, read_input};
use super::{EXIT_ERROR, EXIT_OK};
use crate::render::Lang;

/// Arguments of `icgs migrate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Profile files, or directories whose `*.json` files are migrated (sorted); `-` reads
    /// standard input. One input and no flag: the 2.0 profile goes to standard output
    #[arg(required = true, value_name = "FILE|DIR")]
    paths: Vec<PathBuf>,
    /// Rewrite each file in place (atomically; a 2.0 file is left untouched)
    #[arg(long, conflicts_with = "output")]
    in_place: bool,
    /// Write to OUT: a file for one input, a directory (created if needed) for several
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Replace a symbolic link at an output path (the link, not the file it points to)
    #[arg(long)]
    force: bool,
    /// Language of the log on standard error
    #[arg(long, value_enum, default_value_t = super::default_lang())]
    lang: Lang,
    /// Largest accepted profile in bytes
    #[arg(long, value_name = "N", default_value_t = ReadOptions::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
}

/// One migrated input.
struct Done {
    input: Input,
    migration: Migration,
}

/// Migrates every input, then writes them all or nothing.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let inputs = expand(&args.paths);
    let several = inputs.len() > 1;
    if several && !args.in_place && args.output.is_none() {
        anyhow::bail!(
            "{} profiles given: add --in-place to rewrite them, or -o DIR to write the 2.0 copies to a directory",
            inputs.len()
        );
    }
    if args.in_place && inputs.iter().any(|i| matches!(i, Input::Stdin)) {
        anyhow::bail!("--in-place cannot rewrite standard input: use -o FILE");
    }

    let mut done = Vec::new();
    let mut failed = 0;
    for input in inputs {
        match migrate_one(&input, args.max_bytes) {
            Ok(migration) => done.push(Done { input, migration }),
            Err(reason) => {
                failed += 1;
                super::write_stderr_line(&format!("error: {}: {reason}", input.name()));
            }
        }
    }
    if failed > 0 {
        super::write_stderr_line(args.lang.pick(
            &format!("未写入任何文件：{failed} 个输入无法迁移"),
            &format!("nothing written: {failed} input(s) could not be migrated"),
        ));
        return Ok(ExitCode::from(EXIT_ERROR));
    }

    let targets = targets(&done, args, several)?;
    // `--in-place` rewrites the inputs themselves; `-o` never overwrites one.
    let output = crate::output::Output {
        force: args.force,
        inputs: if args.in_place {
            Vec::new()
        } else {
            done.iter()
                .filter_map(|d| d.input.path().map(std::path::Path::to_path_buf))
                .collect()
        },
    };
    for (item, target) in done.iter().zip(&targets) {
        log(item, args.lang);
        match target {
            Target::Stdout => super::write_stdout(&item.migration.profile)?,
            Target::File(path) => output.write(path, item.migration.profile.as_bytes())?,
            Target::Unchanged => {}
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}

fn migrate_one(input: &Input, max_bytes: usize) -> Result<Migration, String> {
    let bytes = read_input(input, max_bytes)?;
    if bytes.len() > max_bytes {
        return Err(format!("larger than {max_bytes} bytes (see --max-bytes)"));
    }
    icgs::migrate(&bytes).map_err(|e| e.to_string())
}

/// Where one migrated profile goes.
enum Target {
    Stdout,
    File(PathBuf),
    /// `--in-place` on a profile already in format 2.0.
    Unchanged,
}

/// The target of every input, decided before anything is written: two inputs never land on
/// the same file.
fn targets(done: &[Done], args: &Args, several: bool) -> anyhow::Result<Vec<Target>> {
    let mut seen: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut out = Vec::new();
    for item in done {
        let target = match (&item.input, args.in_place, &args.output) {
            (Input::File(_), true, _) if item.migration.was_current() => Target::Unchanged,
            (Input::File(path), true, _) => Target::File(path.clone()),
            (_, false, None) => Target::Stdout,
            (input, false, Some(out_path)) if several || out_path.is_dir() => {
                std::fs::create_dir_all(out_path)
                    .map_err(|e| anyhow::anyhow!("cannot create `{}`: {e}", out_path.display()))?;
                Target::File(out_path.join(file_name(input)))
            }
            (_, false, Some(out_path)) => Target::File(out_path.clone()),
            (Input::Stdin | Input::Broken(..), true, _) => {
                anyhow::bail!("--in-place cannot rewrite standard input: use -o FILE")
            }
        };
        if let Target::File(path) = &target
            && let Some(first) = seen.insert(path.clone(), item.input.name())
        {
            anyhow::bail!(
                "`{}` and `{}` would both be written to `{}`: nothing written",
                first,
                item.input.name(),
                path.display()
            );
        }
        out.push(target);
    }
    Ok(out)
}

fn file_name(input: &Input) -> PathBuf {
    match input {
        Input::File(path) => path
            .file_name()
            .map_or_else(|| PathBuf::from("profile.json"), PathBuf::from),
        Input::Stdin | Input::Broken(..) => PathBuf::from("stdin.json"),
    }
}

/// The log of one migration on standard error.
fn log(item: &Done, lang: Lang) {
    let m = &item.migration;
    let name = item.input.name();
    if m.was_current() {
        super::write_stderr_line(lang.pick(
            &format!("{name}：已是 2.0 格式，未改动"),
            &format!("{name}: already format 2.0, unchanged"),
        ));
        return;
    }
    super::write_stderr_line(lang.pick(
        &format!(
            "{name}：{} → 2.0，改写 {} 处，待人工填写 {} 处",
            m.from,
            m.changes.len(),
            m.to_fill.len()
        ),
        &format!(
            "{name}: {} → 2.0, {} changes, {} to fill in by hand",
            m.from,
            m.changes.len(),
            m.to_fill.len()
        ),
    ));
    let lines = [
        (lang.pick("  已改写", "  changed"), &m.changes),
        (lang.pick("  待填写", "  to fill"), &m.to_fill),
    ];
    for (label, notes) in lines {
        for note in notes {
            super::write_stderr_line(&format!(
                "{label}  {}  {}",
                note.pointer,
                lang.pick(&note.zh, &note.en)
            ));
        }
    }
}
