//! `icgs init overlay NAME`: scaffold an overlay pack a city or district fills in.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};

/// Arguments of `icgs init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
    #[command(flatten)]
    lang: super::LangArg,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// An overlay pack: a local layer on top of the standard (or of another overlay)
    Overlay(OverlayArgs),
}

#[derive(Debug, clap::Args)]
struct OverlayArgs {
    /// Pack id and directory name: lowercase letters, digits and `-`, e.g. `xihu`
    name: String,
    /// Where to create the pack's directory
    #[arg(long, value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// The pack the overlay extends (`standard`, or a province's or city's overlay)
    #[arg(long, value_name = "ID", default_value = "standard")]
    extends: String,
    /// The versions of that pack the overlay is written for (a semver requirement)
    #[arg(long = "extends-version", value_name = "REQ", default_value = "^1")]
    extends_version: String,
}

/// Creates the pack; refuses to touch an existing path.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.what {
        What::Overlay(o) => overlay(o),
    }
}

fn valid_id(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn overlay(args: &OverlayArgs) -> anyhow::Result<ExitCode> {
    if !valid_id(&args.name) {
        bail!(
            "`{}` is not a pack id: use lowercase letters, digits and `-`, starting with a letter (e.g. `xihu`)",
            args.name
        );
    }
    if !valid_id(&args.extends) {
        bail!("--extends: `{}` is not a pack id", args.extends);
    }
    semver::VersionReq::parse(&args.extends_version).with_context(|| {
        format!(
            "--extends-version: `{}` is not a semver requirement (e.g. `^1`)",
            args.extends_version
        )
    })?;
    let target = args.dir.join(&args.name);
    if target.exists() {
        bail!(
            "`{}` already exists; choose another name or directory (nothing was written)",
            target.display()
        );
    }
    if !args.dir.is_dir() {
        bail!("`{}` is not a directory", args.dir.display());
    }
    // Everything is written beside the target, in a directory with an unpredictable name,
    // then renamed into place: never half a pack.
    let staging = crate::output::staging_dir(&args.dir, &target)?;
    let written = write_pack(staging.path(), &target, args).and_then(|()| {
        if target.exists() {
            bail!(
                "`{}` appeared while writing; nothing was changed",
                target.display()
            );
        }
        fs::rename(staging.path(), &target)
            .with_context(|| format!("cannot move the new pack to `{}`", target.display()))
    });
    // On success the staging directory is now the pack; on failure it is removed.
    if written.is_ok() {
        let _ = staging.keep();
    }
    written?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "created overlay `{}` in {}",
        args.name,
        target.display()
    );
    for file in ["pack.toml", "README.md", "rules/", "tests/"] {
        let _ = writeln!(out, "  {}", target.join(file).display());
    }
    let _ = writeln!(out, "{}", next_step(args, &target));
    super::write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// The command that checks a profile with the new layer and the chain below it: the pack
/// alone on the standard, else the directory it was created in when that directory holds its
/// base chain (the chain builds), else a placeholder for the base's directory.
fn next_step(args: &OverlayArgs, target: &Path) -> String {
    let name = &args.name;
    let on_embedded = icgs::pack::Pack::embedded()
        .is_ok_and(|packs| packs.iter().any(|p| p.manifest.id == args.extends));
    let pack = if on_embedded {
        target.display().to_string()
    } else if chain_builds(&args.dir, name) {
        args.dir.display().to_string()
    } else {
        return format!(
            "next: fill in pack.toml, then `icgs check --pack BASE --pack {} --overlay {name} PROFILE`, where BASE is the directory holding `{}` and the overlays it extends",
            target.display(),
            args.extends
        );
    };
    format!("next: fill in pack.toml, then `icgs check --pack {pack} --overlay {name} PROFILE`")
}

/// Whether the packs of `dir` with the embedded ones build an engine of the chain `name`.
fn chain_builds(dir: &Path, name: &str) -> bool {
    let Ok(mut packs) = icgs::pack::Pack::embedded() else {
        return false;
    };
    let Ok(found) = icgs::pack::Pack::discover(dir) else {
        return false;
    };
    packs.extend(found);
    icgs::Engine::builder()
        .packs(packs)
        .overlay(name)
        .build()
        .is_ok()
}

/// Writes the pack's files into the staging directory `dir`; errors name them under `target`,
/// where they are meant to be.
fn write_pack(dir: &Path, target: &Path, args: &OverlayArgs) -> anyhow::Result<()> {
    let write = |name: &str, text: String| {
        let shown = target.join(name);
        fs::write(dir.join(name), text)
            .with_context(|| format!("cannot write `{}`", shown.display()))
    };
    for sub in ["rules", "tests"] {
        fs::create_dir(dir.join(sub))
            .with_context(|| format!("cannot create `{}`", target.join(sub).display()))?;
    }
    write("pack.toml", manifest(args))?;
    write("README.md", readme(args))?;
    write("rules/.gitkeep", String::new())?;
    write("tests/.gitkeep", String::new())?;
    Ok(())
}

fn manifest(args: &OverlayArgs) -> String {
    let OverlayArgs {
        name,
        extends,
        extends_version,
        ..
    } = args;
    format!(
        r#"# Overlay `{name}`: local requirements on top of `{extends}`, without forking the standard.
# As written it changes nothing: uncomment and fill in what applies. See docs/overlays.md.
id = "{name}"
name = {{ zh = "（填写）现代产业社区建设地方要求", en = "(fill in) local requirements" }}
version = "0.1.0"
requires = ">=0.1, <2"
edition = "杭州 2025 团体标准（征求意见稿编号待定）"
layer = "overlay"
extends = {{ id = "{extends}", version = "{extends_version}" }}
# The communities the layer applies to, by their profile's `city` and `district`; without
# it, it applies to every community checked with it (docs/overlays.md).
# applies_to = {{ city = "杭州市", district = "西湖区" }}
# The document this layer implements (文号); every value it sets names it in reports.
# document = "××市现代产业社区建设实施方案（×政办发〔2026〕×号）"
# First (and last) day the layer applies, judged against each profile's `as_of`.
# effective_from = 2026-01-01
# effective_until = 2028-12-31

# --- Parameters -------------------------------------------------------------------------
# Stricter values are allowed as they are (see `stricter` of each parameter in the base):
# [set_params]
# premises_min_m2 = 2000           # m², higher is stricter
# emergency_response_minutes_max = 20  # minutes, lower is stricter
#
# A value with its own document or dates:
# [set_params.closing_rate_min]
# value = 0.95
# document = "……第五条"
# effective_from = 2026-07-01
#
# A looser value is refused unless declared a derogation, listed in every report:
# [set_params.population_max]
# value = 40000
# derogation = {{ justification = "why the standard's value does not fit here", document = "the approval (文号)" }}

# --- Rules of the layers below ----------------------------------------------------------
# A recommendation becomes a requirement (宜 → 应):
# [rules."6.4.3"]
# level = "shall"
#
# A rule that does not apply here, with the reason reports show. Disabling a requirement
# (应 / 不应) is a derogation and needs `derogation = {{ justification, document }}` instead:
# [rules."5.2.4"]
# disabled = true
# justification = "why the clause does not apply here"
#
# A rule waivers may not cover:
# [rules."7.3.4"]
# waivable = false

# --- Categories ---------------------------------------------------------------------------
# One more required 5.2.2 space for a category (removing one is a derogation):
# [categories.tech-innovation]
# spaces = ["maker", "exhibition"]
#
# A local category, with values for its communities only:
# [categories.biomedical]
# name = {{ zh = "生物医药型产业社区", en = "Biomedical industrial community" }}
# spaces = ["training"]
# set_params = {{ inspections_min = 24 }}

# --- Local rules --------------------------------------------------------------------------
# Add one Rhai file per local rule under rules/ (ids like `L.XX.1`), each with its test
# cases under tests/<rule id>/ and `origin: "proposal"` in its RULE map (the explanatory
# note does not state a local clause; docs/policy-authoring.md). Parameters of local rules:
# [params.local_min_example]
# default = 1
# unit = "persons"
# stricter = "higher"
# description = {{ zh = "……", en = "…" }}
# origin = "proposal"
"#
    )
}

fn readme(args: &OverlayArgs) -> String {
    let name = &args.name;
    format!(
        r"# Overlay `{name}`

A local layer on top of `{extends}` ({extends_version}). Fill in `pack.toml`: stricter
values, rule level changes, disabled rules with their justification, category changes,
and derogations (loosenings, each with a justification and a document reference).
Local rules go in `rules/`, their test cases in `tests/`.

Check a profile with this layer (give the packs it extends too, or a directory holding
them all; `--overlay {name}` chooses this layer and the ones it extends):

```sh
icgs check --pack DIR --overlay {name} PROFILE.json
icgs explain 6.4.3 --pack DIR --overlay {name}
```

See `docs/overlays.md` of icgs for the format and the rules on tightening and derogations.
",
        extends = args.extends,
        extends_version = args.extends_version,
    )
}
