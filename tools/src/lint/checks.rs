//! The checks, pack by pack and rule by rule.

mod cases;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::modal::{english_form, modals};
use super::{Diagnostic, LintError, LintReport, Severity};
use crate::catalogue::{ClauseList, pack_relative};
use crate::script::{self, Lit, Pos, Script};
use icgs::pack::{Dimension, Level, Manifest, Origin, Pack, ParamDef, ParamValue, RuleMeta, Text};

/// A pack being linted, as read from its directory.
struct Linted {
    dir: PathBuf,
    manifest_file: String,
    manifest_text: Option<String>,
    manifest: Option<Manifest>,
    rules: Vec<RuleFile>,
    clauses: Option<(String, String)>,
}

/// One rule script with what could be read from it.
struct RuleFile {
    file: String,
    text: String,
    script: Script,
    meta: Option<RuleMeta>,
}

/// Collects diagnostics and the sources they point into.
#[derive(Default)]
struct Out {
    diagnostics: Vec<Diagnostic>,
    sources: BTreeMap<String, String>,
}

/// A diagnostic being built.
struct D<'a> {
    severity: Severity,
    code: &'static str,
    file: &'a str,
    text: &'a str,
    pos: Pos,
    message: String,
    label: Option<String>,
    help: Option<String>,
}

impl<'a> D<'a> {
    fn new(
        severity: Severity,
        code: &'static str,
        (file, text): (&'a str, &'a str),
        pos: Pos,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity,
            code,
            file,
            text,
            pos,
            message: message.into(),
            label: None,
            help: None,
        }
    }

    fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl Out {
    fn push(&mut self, d: D<'_>) {
        self.sources
            .entry(d.file.to_owned())
            .or_insert_with(|| d.text.to_owned());
        self.diagnostics.push(Diagnostic {
            severity: d.severity,
            code: d.code,
            message: d.message,
            file: d.file.to_owned(),
            line: d.pos.line,
            column: d.pos.column,
            span: d.pos.span,
            label: d.label,
            help: d.help,
        });
    }
}

use Severity::{Error, Warning};

/// The position of byte `start..end` in `text`.
fn pos_of(text: &str, start: usize, end: usize) -> Pos {
    let (line, column) = icgs::types::LineIndex::line_column(text, start);
    Pos {
        line,
        column,
        span: start..end.max(start),
    }
}

/// The position of 1-based `line`, `column` (characters) in `text`, one character long.
fn pos_at(text: &str, line: usize, column: usize) -> Pos {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = l
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(l.len(), |(o, _)| o);
            let start = offset + col;
            let end = text
                .get(start..)
                .and_then(|t| t.chars().next())
                .map_or(start, |c| start + c.len_utf8());
            return Pos {
                line,
                column: column.max(1),
                span: start..end,
            };
        }
        offset += l.len();
    }
    Pos {
        line: 1,
        column: 1,
        span: 0..0,
    }
}

/// The whole first line whose trimmed text starts with `prefix`, after byte `from`.
fn line_starting(text: &str, prefix: &str, from: usize) -> Option<Pos> {
    let mut offset = 0;
    for l in text.split_inclusive('\n') {
        let trimmed = l.trim_start();
        if offset >= from && trimmed.starts_with(prefix) {
            let start = offset + (l.len() - trimmed.len());
            return Some(pos_of(text, start, offset + l.trim_end().len()));
        }
        offset += l.len();
    }
    None
}

/// The quoted value of top-level key `key` (before any table header): its text and position.
fn top_level_string(text: &str, key: &str) -> Option<(String, Pos)> {
    let mut offset = 0;
    for l in text.split_inclusive('\n') {
        let trimmed = l.trim_start();
        if trimmed.starts_with('[') {
            return None;
        }
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let open = l.find('"')?;
            let close = l.get(open + 1..)?.find('"')? + open + 1;
            let value = l.get(open + 1..close)?.to_owned();
            return Some((value, pos_of(text, offset + open, offset + close + 1)));
        }
        offset += l.len();
    }
    None
}

fn has_cjk(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c))
}

/// The closest of `names` to `name`, when close enough to be a misspelling.
fn closest<'a>(name: &str, names: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    icgs::suggest::closest(name, names)
}

/// Whether a clause or rule id is well formed: dot-separated parts of ASCII letters and
/// digits, either all numbers (`5.1.1`) or an annex prefix and a number (`C.TI.3`).
fn well_formed(id: &str) -> bool {
    let parts: Vec<&str> = id.split('.').collect();
    let ok_part = |p: &&str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric());
    if !parts.iter().all(ok_part) {
        return false;
    }
    let numeric =
        |p: &str| p.chars().all(|c| c.is_ascii_digit()) && !(p.len() > 1 && p.starts_with('0'));
    let first = parts.first().copied().unwrap_or_default();
    let last = parts.last().copied().unwrap_or_default();
    if first.chars().all(|c| c.is_ascii_digit()) {
        parts.iter().all(|p| numeric(p))
    } else {
        parts.len() >= 2
            && first.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && numeric(last)
    }
}

/// The placeholders `{name}` of a message (`{name:spec}` counts as `name`).
fn placeholders(text: &str) -> BTreeSet<String> {
    placeholders_with_specs(text)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// The placeholders of a message with their display spec (`{observed:space}`).
fn placeholders_with_specs(text: &str) -> BTreeSet<(String, Option<String>)> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or_default();
        match after.find('}') {
            Some(close) => {
                let body = after.get(..close).unwrap_or_default();
                let (name, spec) = match body.split_once(':') {
                    Some((n, s)) => (n, Some(s.to_owned())),
                    None => (body, None),
                };
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    found.insert((name.to_owned(), spec));
                }
                rest = after.get(close + 1..).unwrap_or_default();
            }
            None => break,
        }
    }
    found
}

fn show_set(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "none".to_owned()
    } else {
        set.iter()
            .map(|p| format!("{{{p}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn chapter_dimension(clause: &str) -> Option<Dimension> {
    Dimension::of_clause(clause)
}

/// The `*.rhai` files below `dir`; an unreadable directory or a symbolic link loop is an
/// `io` error of the lint (and no file).
fn collect_rhai(dir: &Path, files: &mut Vec<PathBuf>, out: &mut Out) {
    if !dir.is_dir() {
        return;
    }
    match icgs::__tools::files(dir, |p| p.extension().is_some_and(|x| x == "rhai")) {
        Ok(found) => files.extend(found),
        Err((path, message)) => out.push(D::new(
            Error,
            "io",
            (&path, ""),
            Pos::default(),
            format!("cannot list the rules: {message}"),
        )),
    }
}

/// The engine's compiler settings that matter for compiling (strict variables, no `eval`).
fn compiler() -> rhai::Engine {
    let limits = icgs::Limits::default();
    let mut engine = rhai::Engine::new_raw();
    engine
        .set_max_expr_depths(limits.max_expr_depth.0, limits.max_expr_depth.1)
        .set_strict_variables(true)
        // Only the `RULE` literal is read: no optimizer, whose time grows with the square of
        // a block's length.
        .set_optimization_level(rhai::OptimizationLevel::None)
        .disable_symbol("eval");
    engine
}

/// A problem found while reading a rule: position, code, message, help, label.
type Problem = (Pos, &'static str, String, Option<String>, Option<String>);

/// Reads a rule's metadata, reporting what is wrong with it.
fn read_rule(
    compiler: &rhai::Engine,
    file: String,
    text: String,
    out: Option<&mut Out>,
) -> RuleFile {
    let script = script::analyse(&text);
    let mut problems: Vec<Problem> = Vec::new();
    let meta = match compiler.compile(&text) {
        Err(e) => {
            let p = e.position();
            let pos = pos_at(&text, p.line().unwrap_or(1), p.position().unwrap_or(1));
            problems.push((
                pos,
                "compile",
                format!("the script does not compile: {}", e.err_type()),
                None,
                None,
            ));
            None
        }
        Ok(ast) => rule_meta(&ast, &script, &mut problems),
    };
    if let Some(out) = out {
        for (pos, code, message, help, label) in problems {
            let mut d = D::new(Error, code, (&file, &text), pos, message);
            if let Some(h) = help {
                d = d.help(h);
            }
            if let Some(l) = label {
                d = d.label(l);
            }
            out.push(d);
        }
    }
    RuleFile {
        file,
        text,
        script,
        meta,
    }
}

/// The metadata of a compiled rule: its literal `RULE`, beside a function `check`.
fn rule_meta(ast: &rhai::AST, script: &Script, problems: &mut Vec<Problem>) -> Option<RuleMeta> {
    let value = ast
        .iter_literal_variables(true, false)
        .find(|(name, _, _)| *name == "RULE")
        .map(|(_, _, v)| v);
    if !ast
        .iter_functions()
        .any(|f| f.name == "check" && f.params.len() == 2)
    {
        problems.push((
            Pos {
                line: 1,
                column: 1,
                span: 0..0,
            },
            "no-check",
            "no function `check(c, params)`: the engine has nothing to call".into(),
            Some(
                "add `fn check(c, params) { … }` returning a verdict such as `at_least(…)`".into(),
            ),
            None,
        ));
    }
    let Some(v) = value else {
        problems.push((
            script.rule_pos.clone().unwrap_or(Pos { line: 1, column: 1, span: 0..0 }),
            "no-rule",
            "no literal `const RULE = #{ … };` at the top level: the metadata cannot be read without running the script".into(),
            Some("declare the metadata as a literal map; see docs/policy-authoring.md, \"A rule\"".into()),
            None,
        ));
        return None;
    };
    rhai::serde::from_dynamic::<RuleMeta>(&v)
        .map_err(|e| problems.push(metadata_problem(&e.to_string(), script)))
        .ok()
}

/// Where and why the `RULE` literal does not read as metadata, from serde's message.
fn metadata_problem(message: &str, script: &Script) -> Problem {
    let message = message.split(" (line ").next().unwrap_or(message);
    let message = message
        .strip_prefix("Syntax error: ")
        .unwrap_or(message)
        .to_owned();
    let named = message.split('`').nth(1).unwrap_or_default().to_owned();
    let pos = if message.starts_with("unknown field") {
        script.rule_key_pos(&named)
    } else if message.starts_with("unknown variant") {
        ["level", "dimension"]
            .iter()
            .find_map(|f| match script.rule_lit(&[f]) {
                Some(Lit::Str(s, p)) if *s == named => Some(p.clone()),
                _ => None,
            })
    } else {
        None
    }
    .unwrap_or_else(|| script.rule_pos_of(&[]));
    // serde lists what it expected: keep the message short, suggest the nearest, list them
    // all in the help.
    let (message, expected) = message
        .split_once(", expected one of ")
        .map_or((message.as_str(), None), |(m, e)| (m, Some(e)));
    let candidates: Vec<String> = expected
        .unwrap_or_default()
        .split(", ")
        .map(|c| c.trim_matches('`').to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    let label = closest(&named, candidates.iter()).map(|n| format!("did you mean `{n}`?"));
    let help = expected.map(|e| format!("expected one of {e}"));
    (
        pos,
        "metadata",
        format!("invalid `RULE`: {message}"),
        help,
        label,
    )
}

/// Everything known about the packs together.
struct World<'a> {
    /// Declared parameters: name → (pack id, definition, manifest file).
    params: BTreeMap<String, (String, &'a ParamDef)>,
    /// Registered categories.
    categories: BTreeSet<String>,
    /// Every rule of the effective packs: (pack id, file, meta, script).
    rules: Vec<(String, &'a str, &'a RuleMeta, &'a Script)>,
}

impl<'a> World<'a> {
    /// Gathers the parameters, categories and rules of the context packs, the linted packs
    /// and the plugins; the first declaration of a parameter wins.
    fn new(
        context: &'a [Pack],
        context_rules: &'a [(String, RuleFile)],
        linted: &'a [Linted],
        plugin_params: &'a [(String, String, ParamDef)],
        plugins: &[std::sync::Arc<icgs::plugin::Plugin>],
    ) -> Self {
        let mut world = World {
            params: BTreeMap::new(),
            categories: BTreeSet::new(),
            rules: Vec::new(),
        };
        let manifests = context
            .iter()
            .map(|p| &p.manifest)
            .chain(linted.iter().filter_map(|l| l.manifest.as_ref()));
        for m in manifests {
            for (name, def) in &m.params {
                world
                    .params
                    .entry(name.clone())
                    .or_insert((m.id.clone(), def));
            }
            if let Some(c) = &m.category {
                world.categories.insert(c.id.clone());
            }
        }
        for (plugin, name, def) in plugin_params {
            world
                .params
                .entry(name.clone())
                .or_insert((plugin.clone(), def));
        }
        for p in plugins {
            world
                .categories
                .extend(p.manifest().categories.iter().map(|c| c.id.clone()));
        }
        for (pack, r) in context_rules {
            if let Some(meta) = &r.meta {
                world.rules.push((pack.clone(), &r.file, meta, &r.script));
            }
        }
        for l in linted {
            let pack = l.pack_id();
            for r in &l.rules {
                if let Some(meta) = &r.meta {
                    world.rules.push((pack.clone(), &r.file, meta, &r.script));
                }
            }
        }
        world
    }
}

impl Linted {
    /// The pack's id, or its directory when the manifest does not read.
    fn pack_id(&self) -> String {
        self.manifest
            .as_ref()
            .map_or_else(|| self.dir.display().to_string(), |m| m.id.clone())
    }
}

pub(super) fn run(
    dirs: &[PathBuf],
    given: &[Pack],
    options: &super::Context,
) -> Result<LintReport, LintError> {
    let plugins = options.plugins.as_slice();
    let compiler = compiler();
    let mut out = Out::default();
    let linted: Vec<Linted> = dirs
        .iter()
        .map(|dir| read_pack(dir, &compiler, &mut out))
        .collect();
    let context = context_packs(&linted, given)?;
    let context_rules: Vec<(String, RuleFile)> = context
        .iter()
        .flat_map(|p| {
            p.rules.iter().map(|(f, t)| {
                (
                    p.manifest.id.clone(),
                    read_rule(&compiler, f.clone(), t.clone(), None),
                )
            })
        })
        .collect();
    let plugin_params = plugin_params(plugins);
    let world = World::new(&context, &context_rules, &linted, &plugin_params, plugins);
    check_packs(&linted, &context, &world, plugins, &mut out);

    // With no error found, the engine must load the packs: report its refusal otherwise.
    if !out.diagnostics.iter().any(|d| d.severity == Error) {
        load_check(&linted, context, options, &mut out);
    }
    Ok(report(&linted, out))
}

/// Reads a linted pack from its directory: manifest, rule scripts, clause list.
fn read_pack(dir: &Path, compiler: &rhai::Engine, out: &mut Out) -> Linted {
    let manifest_path = dir.join("pack.toml");
    let manifest_file = manifest_path.display().to_string();
    let manifest_text = std::fs::read_to_string(&manifest_path).ok();
    let manifest = manifest_text
        .as_deref()
        .and_then(|t| manifest(&manifest_file, t, out));
    let mut files = Vec::new();
    collect_rhai(&dir.join("rules"), &mut files, out);
    files.sort();
    let rules = files
        .into_iter()
        .filter_map(|p| read_script(&p, compiler, out))
        .collect();
    let clauses_path = dir.join("clauses.toml");
    let clauses = std::fs::read_to_string(&clauses_path)
        .ok()
        .map(|t| (clauses_path.display().to_string(), t));
    Linted {
        dir: dir.to_path_buf(),
        manifest_file,
        manifest_text,
        manifest,
        rules,
        clauses,
    }
}

/// Reads one rule script, refusing one over the engine's size limit.
fn read_script(p: &Path, compiler: &rhai::Engine, out: &mut Out) -> Option<RuleFile> {
    let file = p.display().to_string();
    let size = std::fs::metadata(p).map_or(0, |m| m.len());
    if size > icgs::MAX_SCRIPT_BYTES as u64 {
        out.push(D::new(
            Error,
            "too-large",
            (&file, ""),
            Pos::default(),
            format!(
                "the script is {size} bytes, more than the limit of {} bytes: split the rule or move its data into parameters",
                icgs::MAX_SCRIPT_BYTES
            ),
        ));
        return None;
    }
    match std::fs::read_to_string(p) {
        Ok(text) => Some(read_rule(compiler, file, text, Some(out))),
        Err(e) => {
            out.push(D::new(
                Error,
                "io",
                (&file, ""),
                Pos::default(),
                format!("cannot read the script: {e}"),
            ));
            None
        }
    }
}

/// The context: embedded packs, replaced by the given ones of the same id, then by the
/// linted ones.
fn context_packs(linted: &[Linted], given: &[Pack]) -> Result<Vec<Pack>, LintError> {
    let linted_ids: BTreeSet<String> = linted
        .iter()
        .filter_map(|l| l.manifest.as_ref().map(|m| m.id.clone()))
        .collect();
    Ok(
        icgs::pack::PackSet::new(Pack::embedded()?.into_iter().chain(given.iter().cloned()))
            .packs()
            .iter()
            .filter(|p| !linted_ids.contains(&p.manifest.id))
            .cloned()
            .collect(),
    )
}

/// Plugin parameters as pack parameters, so that rules may read them: (plugin, name, def).
fn plugin_params(
    plugins: &[std::sync::Arc<icgs::plugin::Plugin>],
) -> Vec<(String, String, ParamDef)> {
    plugins
        .iter()
        .flat_map(|p| {
            p.manifest().params.iter().filter_map(|(name, def)| {
                let def = serde_json::json!({
                    "default": def.default, "unit": def.unit, "description": def.description,
                });
                Some((
                    p.id().to_owned(),
                    name.clone(),
                    serde_json::from_value(def).ok()?,
                ))
            })
        })
        .collect()
}

/// Checks each linted pack: its manifest, its clause list, its rules, its test cases.
fn check_packs(
    linted: &[Linted],
    context: &[Pack],
    world: &World<'_>,
    plugins: &[std::sync::Arc<icgs::plugin::Plugin>],
    out: &mut Out,
) {
    // For the test cases: each pack's layer and base, each rule's pack.
    let pack_layers: cases::Packs = context
        .iter()
        .map(|p| &p.manifest)
        .chain(linted.iter().filter_map(|l| l.manifest.as_ref()))
        .map(|m| {
            let extends = m.extends.as_ref().map(|e| e.id.clone());
            (m.id.clone(), (m.layer, extends))
        })
        .collect();
    let rule_owners: BTreeMap<String, Option<String>> = world
        .rules
        .iter()
        .map(|(pack, _, meta, _)| (meta.id.clone(), Some(pack.clone())))
        .chain(
            plugins
                .iter()
                .flat_map(|p| p.manifest().rules.iter().map(|r| (r.id.clone(), None))),
        )
        .collect();

    let names = icgs::__tools::community_names();
    for l in linted {
        if let (Some(text), Some(m)) = (&l.manifest_text, &l.manifest) {
            manifest_checks(l, text, m, world, out);
        }
        let list = l
            .clauses
            .as_ref()
            .and_then(|(file, text)| read_clause_list(file, text, world, out));
        let pack = l.pack_id();
        for r in &l.rules {
            if let Some(meta) = &r.meta {
                let cx = RuleCx {
                    pack: &pack,
                    r,
                    meta,
                    world,
                    names: &names,
                    clause_list: list.as_ref(),
                };
                rule_checks(&cx, out);
            }
        }
        cases::check(l, &pack, &pack_layers, &rule_owners, out);
    }
}

/// Reads and checks a pack's `clauses.toml`.
fn read_clause_list(
    file: &str,
    text: &str,
    world: &World<'_>,
    out: &mut Out,
) -> Option<ClauseList> {
    match ClauseList::parse(text, file) {
        Ok(list) => {
            clause_list_checks(file, text, &list, world, out);
            Some(list)
        }
        Err(e) => {
            let (pos, message) = error_position(text, &e.into());
            out.push(D::new(
                Error,
                "clauses",
                (file, text),
                pos,
                format!("`clauses.toml` does not fit the format: {message}"),
            ));
            None
        }
    }
}

/// The report: diagnostics in file order without repeats, with the sources they point into.
fn report(linted: &[Linted], out: Out) -> LintReport {
    let mut diagnostics = out.diagnostics;
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
    diagnostics.dedup();
    let files: BTreeSet<&String> = diagnostics.iter().map(|d| &d.file).collect();
    let sources = out
        .sources
        .into_iter()
        .filter(|(f, _)| files.contains(f))
        .collect();
    LintReport {
        packs: linted
            .iter()
            .map(|l| {
                l.manifest
                    .as_ref()
                    .map_or_else(|| l.dir.display().to_string(), |m| m.pack_ref().to_string())
            })
            .collect(),
        rules: linted.iter().map(|l| l.rules.len()).sum(),
        diagnostics,
        sources,
    }
}

/// Builds an engine over the context and the linted packs; reports why it refuses.
fn load_check(linted: &[Linted], context: Vec<Pack>, options: &super::Context, out: &mut Out) {
    let plugins = options.plugins.as_slice();
    let mut set = icgs::pack::PackSet::new(context);
    for l in linted {
        match Pack::from_dir(&l.dir) {
            Ok(p) => set.insert(p),
            Err(e) => {
                // Lint found nothing wrong, yet the engine cannot read the pack.
                report_load_error(linted, &e.into(), out);
                return;
            }
        }
    }
    // Each chain on its own: two sibling districts are linted, never stacked. Only chains
    // through a linted pack: a sibling given as context is not linted.
    let ids: BTreeSet<&str> = linted
        .iter()
        .filter_map(|l| l.manifest.as_ref().map(|m| m.id.as_str()))
        .collect();
    let leaves: Vec<String> = match &options.overlay {
        Some(id) => vec![id.clone()],
        None => {
            let all = set.leaves();
            let through: Vec<String> = all
                .iter()
                .filter(|leaf| {
                    set.named(leaf).is_ok_and(|chain| {
                        chain
                            .overlays
                            .overlays
                            .iter()
                            .any(|id| ids.contains(id.as_str()))
                    })
                })
                .cloned()
                .collect();
            if through.is_empty() { all } else { through }
        }
    };
    let chains: Vec<Option<&String>> = if leaves.is_empty() {
        vec![None]
    } else {
        leaves.iter().map(Some).collect()
    };
    let Some(e) = chains.into_iter().find_map(|leaf| {
        let builder = plugins
            .iter()
            .cloned()
            .fold(icgs::Engine::builder().packs(set.clone()), |b, p| {
                b.plugin(p)
            });
        match leaf {
            Some(id) => builder.overlay(id.clone()),
            None => builder,
        }
        .build()
        .err()
    }) else {
        return;
    };
    // `scoring-model` already names an unsound model at its key.
    if matches!(&e, icgs::pack::BuildError::Overlay(o) if o.kind() == icgs::pack::OverlayErrorKind::Scoring)
    {
        return;
    }
    report_load_error(linted, &e, out);
}

/// Reports the engine's refusal at the line and column it names: the entry of an overlay,
/// the position in a script, a manifest's TOML error; else the rule's `RULE` or the
/// manifest's first line.
fn report_load_error(linted: &[Linted], e: &icgs::pack::BuildError, out: &mut Out) {
    use icgs::pack::BuildError as E;
    let files = linted.iter().flat_map(|l| {
        std::iter::once((
            l.manifest_file.as_str(),
            l.manifest_text.as_deref().unwrap_or_default(),
            None,
        ))
        .chain(
            l.rules
                .iter()
                .map(|r| (r.file.as_str(), r.text.as_str(), Some(&r.script))),
        )
    });
    let named = e.location().map(|l| l.file);
    let target = files
        .clone()
        .find(|(file, _, _)| named.as_deref() == Some(*file));
    // Named in no file linted (the chain asked for, a context pack): no excerpt, rather than
    // a wrong one, and the whole message with the file it names.
    let (file, text, script) = target.unwrap_or_else(|| {
        let file = linted.first().map_or("", |l| l.manifest_file.as_str());
        (file, "", None)
    });
    let (mut pos, rest) = if text.is_empty() {
        (Pos::default(), super::command_line_text(e))
    } else {
        let (pos, detail) = error_position(text, e);
        (pos, format!("{detail}{}", super::command_line_hint(e)))
    };
    if !text.is_empty() && pos.line == 1 && pos.column == 1 {
        let found = match (e, script) {
            (E::Overlay(_) | E::Branches { .. }, _) => e
                .location()
                .and_then(|l| l.pointer)
                .and_then(|entry| entry_pos(text, &entry)),
            (E::EngineVersion { .. }, _) => top_level_string(text, "requires").map(|(_, p)| p),
            (_, Some(script)) => script.rule_pos.clone(),
            _ => None,
        };
        if let Some(found) = found {
            pos = found;
        }
    }
    out.push(
        D::new(
            Error,
            "load",
            (file, text),
            pos,
            format!("the engine refuses the packs: {rest}"),
        )
        .help("`icgs check` with these packs would stop with this error"),
    );
}

/// Where an overlay entry (`extends`, `set_params.name`, `rules."6.4.3"`, `categories.id`)
/// is written in `pack.toml`: its table header, or its `key =` line.
fn entry_pos(text: &str, entry: &str) -> Option<Pos> {
    let (table, key) = entry.split_once('.').unwrap_or((entry, ""));
    let key = key.trim_matches('"');
    if key.is_empty() {
        return line_starting(text, &format!("{table} "), 0)
            .or_else(|| line_starting(text, &format!("{table}="), 0));
    }
    let headers = [
        format!("[{table}.{key}]"),
        format!("[{table}.\"{key}\"]"),
        format!("[{table}.{key}."),
        format!("[{table}.\"{key}\"."),
    ];
    if let Some(p) = headers.iter().find_map(|h| line_starting(text, h, 0)) {
        return Some(p);
    }
    let section = line_starting(text, &format!("[{table}]"), 0)?;
    [format!("{key} "), format!("{key}="), format!("\"{key}\"")]
        .iter()
        .find_map(|k| line_starting(text, k, section.span.end))
}

/// Parses the manifest, reporting version fields and format problems.
fn manifest(file: &str, text: &str, out: &mut Out) -> Option<Manifest> {
    let mut semver_reported = false;
    if let Some((value, pos)) = top_level_string(text, "version")
        && let Err(e) = semver::Version::parse(&value)
    {
        semver_reported = true;
        out.push(
            D::new(Error, "semver", (file, text), pos, format!("`version` is `{value}`, not a semantic version: {e}"))
                .label("not MAJOR.MINOR.PATCH")
                .help("write the pack's version as MAJOR.MINOR.PATCH, e.g. \"1.2.0\"; raise MINOR for new rules, MAJOR for changed outcomes"),
        );
    }
    if let Some((value, pos)) = top_level_string(text, "requires") {
        match semver::VersionReq::parse(&value) {
            Err(e) => {
                semver_reported = true;
                out.push(
                    D::new(
                        Error,
                        "semver",
                        (file, text),
                        pos,
                        format!("`requires` is `{value}`, not a version requirement: {e}"),
                    )
                    .label("not a semver requirement")
                    .help("write the icgs versions the pack works with, e.g. \">=0.1, <2\""),
                );
            }
            Ok(req) => {
                let this = semver::Version::parse(icgs::ENGINE_VERSION)
                    .unwrap_or(semver::Version::new(0, 0, 0));
                if !req.matches(&this) {
                    out.push(
                        D::new(Error, "requires", (file, text), pos, format!("the pack requires icgs `{value}`; this is {this}, which refuses to load it"))
                            .label(format!("does not match {this}")),
                    );
                }
            }
        }
    }
    match Manifest::parse(text, file) {
        Ok(m) => Some(m),
        Err(e) => {
            let (pos, message) = error_position(text, &e.into());
            let about_semver = message.contains("version")
                || message.contains("semver")
                || message.contains("requirement");
            if !(semver_reported && about_semver) {
                out.push(
                    D::new(
                        Error,
                        "manifest",
                        (file, text),
                        pos,
                        format!("`pack.toml` does not fit the manifest format: {message}"),
                    )
                    .help("see docs/policy-authoring.md, \"The manifest\""),
                );
            }
            None
        }
    }
}

/// The position in `text` that an error of that text names (its first character when it
/// names none) and what is wrong, both read from the error's fields.
fn error_position(text: &str, e: &icgs::pack::BuildError) -> (Pos, String) {
    let (line, column) = e.location().and_then(|l| l.position()).unwrap_or((1, 1));
    (pos_at(text, line, column), super::command_line_detail(e))
}

fn text_complete(what: &str, t: &Text, file: &str, text: &str, pos: &Pos, out: &mut Out) {
    for (lang, value) in [("zh", &t.zh), ("en", &t.en)] {
        if value.trim().is_empty() {
            out.push(
                D::new(
                    Error,
                    "metadata-missing",
                    (file, text),
                    pos.clone(),
                    format!("{what} has no `{lang}` text"),
                )
                .help("every text is given in both languages, Chinese first (authoritative)"),
            );
        }
    }
    if !t.zh.trim().is_empty() && !has_cjk(&t.zh) {
        out.push(D::new(
            Warning,
            "metadata-language",
            (file, text),
            pos.clone(),
            format!("the `zh` text of {what} has no Chinese: `{}`", t.zh),
        ));
    }
}

fn manifest_checks(l: &Linted, text: &str, m: &Manifest, world: &World<'_>, out: &mut Out) {
    let file = l.manifest_file.as_str();
    let at_top = |key: &str| line_starting(text, key, 0).unwrap_or_else(|| pos_at(text, 1, 1));
    text_complete(
        "the pack's `name`",
        &m.name,
        file,
        text,
        &at_top("name"),
        out,
    );
    if m.edition.trim().is_empty() {
        out.push(D::new(
            Error,
            "metadata-missing",
            (file, text),
            at_top("edition"),
            "the pack names no `edition` of the standard",
        ));
    }
    if let Some(cat) = &m.category {
        let pos = line_starting(text, "[category]", 0).unwrap_or_else(|| at_top("category"));
        text_complete("the category's `name`", &cat.name, file, text, &pos, out);
        if cat.spaces.is_empty() {
            out.push(
                D::new(
                    Warning,
                    "category-spaces",
                    (file, text),
                    pos,
                    format!("category `{}` lists no `spaces` for clause 5.2.2", cat.id),
                )
                .help("list the category's characteristic spaces, e.g. spaces = [\"maker\"]"),
            );
        }
    }
    if let Some(scoring) = &m.scoring {
        scoring_checks(file, text, scoring, out);
    }
    let read: BTreeSet<&str> = world
        .rules
        .iter()
        .flat_map(|(_, _, meta, _)| meta.params.iter().map(String::as_str))
        .chain(icgs::__tools::HOST_PARAMS.iter().copied())
        .collect();
    for (name, def) in &m.params {
        let pos = line_starting(text, &format!("[params.{name}]"), 0)
            .or_else(|| line_starting(text, name, 0))
            .unwrap_or_else(|| pos_at(text, 1, 1));
        text_complete(
            &format!("the description of parameter `{name}`"),
            &def.description,
            file,
            text,
            &pos,
            out,
        );
        let numeric = matches!(def.default, ParamValue::Int(_) | ParamValue::Decimal(_));
        if def.unit.as_deref().is_none_or(|u| u.trim().is_empty()) {
            out.push(
                D::new(if numeric { Error } else { Warning }, "param-unit", (file, text), pos.clone(), format!("parameter `{name}` has no `unit`"))
                    .label("no unit")
                    .help("add a unit: `m2`, `persons`, `days`, `months`, `share` (0–1), `meetings per 12 months` …; a threshold without a unit cannot be read"),
            );
        }
        if def.unit.as_deref() == Some("share")
            && let ParamValue::Decimal(d) = &def.default
            && (d.is_sign_negative() || *d > icgs::facts::Decimal::ONE)
        {
            out.push(D::new(
                Warning,
                "param-range",
                (file, text),
                pos.clone(),
                format!("parameter `{name}` is a share but its default `{d}` is outside 0–1"),
            ));
        }
        if def.origin.is_none() {
            out.push(origin_missing(
                (file, text),
                pos.clone(),
                format!("parameter `{name}` declares no `origin`"),
            ));
        }
        if !read.contains(name.as_str()) && name != icgs::__tools::PROPOSALS_CAP_GRADE {
            out.push(
                D::new(
                    Warning,
                    "param-unused",
                    (file, text),
                    pos,
                    format!("parameter `{name}` is declared but no rule reads it"),
                )
                .label("read by no rule")
                .help("list it in the `params` of the rule that should read it, or remove it"),
            );
        }
    }
}

/// `origin-missing`: a clause or parameter that does not say whether the note states it.
fn origin_missing<'a>(src: (&'a str, &'a str), pos: Pos, message: String) -> D<'a> {
    D::new(Error, "origin-missing", src, pos, message)
        .label("no origin")
        .help("add `origin = \"note\"` when the explanatory note (编制说明) states it, with `source = \"编制说明 …\"`, or `origin = \"proposal\"` when it does not (REVISION-2 A)")
}

/// Every scoring parameter of `[scoring]` declares its origin, and the model is sound
/// (`scoring-model`: the engine's own check, at the key's line).
fn scoring_checks(file: &str, text: &str, scoring: &icgs::pack::Scoring, out: &mut Out) {
    let pos = line_starting(text, "[scoring]", 0).unwrap_or_else(|| pos_at(text, 1, 1));
    let locations = icgs::pack::Locations::of_toml(text);
    for (key, message) in scoring.problems() {
        let at = locations
            .get(&["scoring", key])
            .map_or_else(|| pos.clone(), |(line, column)| pos_at(text, line, column));
        out.push(
            D::new(Error, "scoring-model", (file, text), at, message)
                .help("see `docs/policy-authoring.md`, *Scoring*: the engine refuses this model"),
        );
    }
    for name in icgs::pack::Scoring::PARAMETERS {
        if !scoring.origin.contains_key(name) {
            out.push(origin_missing(
                (file, text),
                pos.clone(),
                format!("scoring parameter `{name}` declares no origin in `[scoring] origin`"),
            ));
        }
    }
}

fn clause_list_checks(file: &str, text: &str, list: &ClauseList, world: &World<'_>, out: &mut Out) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let encoded: BTreeSet<&str> = world
        .rules
        .iter()
        .map(|(_, _, m, _)| m.clause.as_str())
        .collect();
    let mut from = 0;
    for entry in &list.clauses {
        let pos = line_starting(text, &format!("id = \"{}\"", entry.id), from)
            .unwrap_or_else(|| pos_at(text, 1, 1));
        from = pos.span.end;
        if !well_formed(&entry.id) {
            out.push(D::new(Error, "clause-id", (file, text), pos.clone(), format!("clause id `{}` is not well formed", entry.id))
                .help("a clause id is numbers joined by dots (`5.1.1`), or an annex prefix and a number (`C.TI.3`)"));
        }
        if let Some(first) = seen.insert(&entry.id, pos.line) {
            out.push(D::new(
                Error,
                "duplicate-clause",
                (file, text),
                pos.clone(),
                format!(
                    "clause `{}` is listed twice (first on line {first})",
                    entry.id
                ),
            ));
        }
        if let Some(zh) = &entry.text {
            level_against_text(entry.level, zh, (file, text), &pos, &pos, out);
        }
        if entry.origin.is_none() {
            out.push(origin_missing(
                (file, text),
                pos.clone(),
                format!("clause `{}` declares no `origin`", entry.id),
            ));
        }
        if !encoded.contains(entry.id.as_str()) {
            out.push(
                D::new(Warning, "clause-not-encoded", (file, text), pos, format!("clause `{}` is in the edition but no rule encodes it", entry.id))
                    .help("add a rule `rules/<id>.rhai` for it; `icgs test --coverage` counts it as missing"),
            );
        }
    }
}

/// Holds a level against the modal verbs of a Chinese text.
fn level_against_text(
    level: Level,
    zh: &str,
    (file, text): (&str, &str),
    level_pos: &Pos,
    text_pos: &Pos,
    out: &mut Out,
) {
    let found = modals(zh);
    let forms: BTreeSet<Level> = found.iter().map(|m| m.level).collect();
    let words = found
        .iter()
        .map(|m| m.words)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
        .join("、");
    if found.is_empty() {
        out.push(
            D::new(Warning, "level-no-modal", (file, text), text_pos.clone(), "the clause text has no modal verb (应, 不应, 宜, 可): the level cannot be checked against it")
                .help("a provision states its level: 应 shall, 不应 shall-not, 宜 should, 可 may (GB/T 1.1-2020 Annex C)"),
        );
    } else if !forms.contains(&level) {
        let says = found.first().map_or(level, |m| m.level);
        out.push(
            D::new(
                Error,
                "level-text",
                (file, text),
                level_pos.clone(),
                format!(
                    "level `{}` ({}) but the clause text says {words}",
                    level.as_str(),
                    level.zh()
                ),
            )
            .label(format!("the text calls for `{}`", says.as_str()))
            .help(format!(
                "set the level to `{}` ({}), or correct the text",
                says.as_str(),
                says.zh()
            )),
        );
    } else if forms.len() > 1 {
        out.push(D::new(Warning, "level-mixed", (file, text), text_pos.clone(), format!(
            "the clause text mixes verbal forms ({words}); the level `{}` covers only one — split the clause or check the level",
            level.as_str()
        )));
    }
}

/// One rule being checked, with everything its checks read.
struct RuleCx<'a> {
    /// The id of the rule's pack (its directory when the manifest does not read).
    pack: &'a str,
    r: &'a RuleFile,
    meta: &'a RuleMeta,
    world: &'a World<'a>,
    names: &'a icgs::__tools::CommunityNames,
    clause_list: Option<&'a ClauseList>,
}

impl RuleCx<'_> {
    /// The rule's file and text, where its diagnostics point.
    fn src(&self) -> (&str, &str) {
        (self.r.file.as_str(), self.r.text.as_str())
    }

    /// The position of a key of the `RULE` literal.
    fn at(&self, path: &[&str]) -> Pos {
        self.r.script.rule_pos_of(path)
    }

    /// The position of the string `item` in the `RULE` literal's array `key`, or of the key.
    fn item_pos(&self, key: &str, item: &str) -> Pos {
        let items = match self.r.script.rule_lit(&[key]) {
            Some(Lit::Array(items, _)) => items.as_slice(),
            _ => &[],
        };
        items
            .iter()
            .find_map(|i| match i {
                Lit::Str(v, p) if v == item => Some(p.clone()),
                _ => None,
            })
            .unwrap_or_else(|| self.at(&[key]))
    }
}

/// The checks of one rule, each its own function, in the order they report.
const RULE_CHECKS: [fn(&RuleCx<'_>, &mut Out); 15] = [
    texts,
    ids,
    file_name,
    duplicates,
    level_and_dimension,
    placeholders_known,
    placeholder_formats,
    placeholders_match,
    placeholders_set,
    calls,
    params_declared,
    params_listed,
    community_accesses,
    categories,
    origin_and_edition,
];

/// Runs every check of one rule.
fn rule_checks(cx: &RuleCx<'_>, out: &mut Out) {
    for check in RULE_CHECKS {
        check(cx, out);
    }
}

/// Every text is given in both languages, the Chinese one in Chinese; only `message` may
/// show {observed} and {required}.
fn texts(cx: &RuleCx<'_>, out: &mut Out) {
    let meta = cx.meta;
    for field in ["title", "text", "check", "message", "remedy"] {
        let t = match field {
            "title" => &meta.title,
            "text" => &meta.text,
            "check" => &meta.check,
            "message" => &meta.message,
            _ => &meta.remedy,
        };
        for (lang, value) in [("zh", &t.zh), ("en", &t.en)] {
            if value.trim().is_empty() {
                out.push(
                    D::new(
                        Error,
                        "metadata-missing",
                        cx.src(),
                        cx.at(&[field, lang]),
                        format!("`{field}.{lang}` is empty"),
                    )
                    .help("every text is given in both languages, Chinese first (authoritative)"),
                );
            }
        }
        if !t.zh.trim().is_empty() && !has_cjk(&t.zh) {
            out.push(D::new(
                Warning,
                "metadata-language",
                cx.src(),
                cx.at(&[field, "zh"]),
                format!("`{field}.zh` has no Chinese"),
            ));
        }
        if field != "message" {
            for p in placeholders(&t.zh).union(&placeholders(&t.en)) {
                if p == "observed" || p == "required" {
                    out.push(D::new(
                        Warning,
                        "placeholder-unfilled",
                        cx.src(),
                        cx.at(&[field]),
                        format!("`{field}` uses {{{p}}}, but only `message` is filled in"),
                    ));
                }
            }
        }
    }
}

/// The rule id and clause id are well formed.
fn ids(cx: &RuleCx<'_>, out: &mut Out) {
    for (field, id) in [("id", &cx.meta.id), ("clause", &cx.meta.clause)] {
        if !well_formed(id) {
            out.push(
                D::new(
                    Error,
                    "clause-id",
                    cx.src(),
                    cx.at(&[field]),
                    format!("{field} `{id}` is not well formed"),
                )
                .help(
                    "numbers joined by dots (`5.1.1`), or an annex prefix and a number (`C.TI.3`)",
                ),
            );
        }
    }
}

/// The file is named after the rule.
fn file_name(cx: &RuleCx<'_>, out: &mut Out) {
    let (meta, r) = (cx.meta, cx.r);
    let stem = Path::new(&r.file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem != meta.id {
        out.push(
            D::new(
                Warning,
                "file-name",
                cx.src(),
                cx.at(&["id"]),
                format!("rule `{}` is in `{}`", meta.id, pack_relative(&r.file)),
            )
            .help(format!(
                "name the file after the rule: `rules/{}.rhai`",
                meta.id
            )),
        );
    }
}

/// No other rule has the same id, no other rule of the pack encodes the same clause.
fn duplicates(cx: &RuleCx<'_>, out: &mut Out) {
    let meta = cx.meta;
    for (other_pack, other_file, other, _) in &cx.world.rules {
        if *other_file == cx.r.file {
            continue;
        }
        if other.id == meta.id {
            out.push(
                D::new(
                    Error,
                    "duplicate-rule",
                    cx.src(),
                    cx.at(&["id"]),
                    format!(
                        "rule id `{}` is also used by `{}` of pack `{other_pack}`",
                        meta.id,
                        pack_relative(other_file)
                    ),
                )
                .label("duplicate id"),
            );
        } else if other.clause == meta.clause && other_pack == cx.pack {
            out.push(
                D::new(
                    Error,
                    "duplicate-clause",
                    cx.src(),
                    cx.at(&["clause"]),
                    format!(
                        "clause `{}` is also encoded by rule `{}` of this pack (`{}`)",
                        meta.clause,
                        other.id,
                        pack_relative(other_file)
                    ),
                )
                .label("encoded twice"),
            );
        }
    }
}

/// The level against the verbal form of the clause text, the dimension against its chapter.
fn level_and_dimension(cx: &RuleCx<'_>, out: &mut Out) {
    let (meta, src) = (cx.meta, cx.src());
    level_against_text(
        meta.level,
        &meta.text.zh,
        src,
        &cx.at(&["level"]),
        &cx.at(&["text", "zh"]),
        out,
    );
    let english = english_form(&meta.text.en);
    if !english.is_empty() && !english.contains(&meta.level) {
        out.push(D::new(
            Warning,
            "level-text-en",
            src,
            cx.at(&["text", "en"]),
            format!(
                "level `{}` but the English text says `{}`",
                meta.level.as_str(),
                english.first().map_or("", |l| l.as_str())
            ),
        ));
    }
    if let Some(expected) = chapter_dimension(&meta.clause)
        && expected != meta.dimension
    {
        out.push(
            D::new(
                Warning,
                "dimension-chapter",
                src,
                cx.at(&["dimension"]),
                format!(
                    "clause {} is in chapter {} ({}), but the dimension is `{}`",
                    meta.clause,
                    meta.clause.split('.').next().unwrap_or_default(),
                    expected.zh(),
                    meta.dimension.as_str()
                ),
            )
            .help(format!("use `dimension: \"{}\"`", expected.as_str())),
        );
    }
}

/// The message's placeholders in Chinese and in English.
fn message_placeholders(meta: &RuleMeta) -> (BTreeSet<String>, BTreeSet<String>) {
    (
        placeholders(&meta.message.zh),
        placeholders(&meta.message.en),
    )
}

/// The message uses only placeholders the engine fills.
fn placeholders_known(cx: &RuleCx<'_>, out: &mut Out) {
    let (zh, en) = message_placeholders(cx.meta);
    for (lang, set) in [("zh", &zh), ("en", &en)] {
        for p in set
            .iter()
            .filter(|p| !["observed", "required", "detail", "level"].contains(&p.as_str()))
        {
            out.push(
                D::new(
                    Error,
                    "placeholder-unknown",
                    cx.src(),
                    cx.at(&["message", lang]),
                    format!("`message.{lang}` uses {{{p}}}, which is never filled"),
                )
                .label("unknown placeholder")
                .help(
                    "a message can use {observed}, {required}, {detail}, {level} and {param.NAME}",
                ),
            );
        }
    }
}

/// Every `{value:spec}` names a vocabulary domain or a number format.
fn placeholder_formats(cx: &RuleCx<'_>, out: &mut Out) {
    let meta = cx.meta;
    for (_, spec) in placeholders_with_specs(&meta.message.zh)
        .into_iter()
        .chain(placeholders_with_specs(&meta.message.en))
    {
        let Some(spec) = spec else { continue };
        let known = icgs::__tools::SHOW_FORMATS.contains(&spec.as_str())
            || icgs::vocab::DOMAINS.iter().any(|(d, _)| *d == spec);
        if !known {
            out.push(
                D::new(
                    Error,
                    "placeholder-unknown",
                    cx.src(),
                    cx.at(&["message"]),
                    format!("`:{spec}` is neither a vocabulary domain nor a number format"),
                )
                .help(
                    "use a domain of icgs::vocab (space, service-kind…) or percent, wan, wan-range",
                ),
            );
        }
    }
}

/// Both languages show the same values.
fn placeholders_match(cx: &RuleCx<'_>, out: &mut Out) {
    let (zh, en) = message_placeholders(cx.meta);
    if zh != en {
        out.push(
            D::new(
                Error,
                "placeholder-mismatch",
                cx.src(),
                cx.at(&["message", "en"]),
                format!(
                    "the messages use different placeholders: zh {}, en {}",
                    show_set(&zh),
                    show_set(&en)
                ),
            )
            .label(format!("zh uses {}", show_set(&zh)))
            .help("both languages show the same values"),
        );
    }
}

/// `{observed}` and `{required}` are shown only when some verdict of `check` sets them.
fn placeholders_set(cx: &RuleCx<'_>, out: &mut Out) {
    let (zh, en) = message_placeholders(cx.meta);
    let s = &cx.r.script;
    for (p, set) in [
        ("observed", s.sets_observed()),
        ("required", s.sets_required()),
    ] {
        if (zh.contains(p) || en.contains(p)) && !set {
            out.push(
                D::new(Warning, "placeholder-unset", cx.src(), cx.at(&["message"]), format!(
                    "the message shows {{{p}}}, but no verdict of `check` sets it: it shows as —"
                ))
                .help(format!("use a comparing helper (at_least, at_most, between, share_at_least, includes) or `.{p}(value)`, or drop {{{p}}}")),
            );
        }
    }
}

/// The functions the script calls, the missing data it reads unguarded, its literal
/// parameter values.
fn calls(cx: &RuleCx<'_>, out: &mut Out) {
    unknown_functions(cx.r, cx.names, cx.src(), out);
    unguarded_missing(cx.r, cx.names, cx.src(), out);
    param_literals(cx.r, cx.meta, cx.world, out);
}

/// Every listed parameter is declared by a pack and read by `check`.
fn params_declared(cx: &RuleCx<'_>, out: &mut Out) {
    let s = &cx.r.script;
    let read: BTreeSet<&str> = s.params.iter().map(|a| a.name.as_str()).collect();
    for name in &cx.meta.params {
        if !cx.world.params.contains_key(name) {
            let mut d = D::new(Error, "param-undeclared", cx.src(), cx.item_pos("params", name), format!("the rule reads parameter `{name}`, which no pack declares"))
                .help("declare it in `[params.<name>]` of the pack's `pack.toml`, with default, unit and description");
            if let Some(near) = closest(name, cx.world.params.keys()) {
                d = d.label(format!("did you mean `{near}`?"));
            }
            out.push(d);
        }
        if !read.contains(name.as_str()) && !s.params_passed_on {
            out.push(
                D::new(
                    Warning,
                    "param-unread",
                    cx.src(),
                    cx.item_pos("params", name),
                    format!("parameter `{name}` is listed but `check` never reads `params.{name}`"),
                )
                .label("never read")
                .help("read it in `check`, or remove it from `params`"),
            );
        }
    }
}

/// Every parameter `check` reads is listed in the rule's `params`.
fn params_listed(cx: &RuleCx<'_>, out: &mut Out) {
    for access in &cx.r.script.params {
        if !cx.meta.params.contains(&access.name) {
            let mut d = D::new(
                Error,
                "param-unlisted",
                cx.src(),
                access.pos.clone(),
                format!(
                    "`check` reads `params.{}`, which the rule does not list in `params`: the engine stops the rule with an error when this line runs",
                    access.name
                ),
            );
            if let Some(near) = closest(&access.name, cx.meta.params.iter()) {
                d = d.label(format!("did you mean `{near}`?"));
            } else {
                d = d
                    .label("not in `params`")
                    .help(format!("add \"{}\" to the rule's `params`", access.name));
            }
            out.push(d);
        }
    }
}

/// Properties and methods of `c`: each exists, and is read or called as what it is.
fn community_accesses(cx: &RuleCx<'_>, out: &mut Out) {
    let (names, s, src) = (cx.names, &cx.r.script, cx.src());
    let all: Vec<&String> = names
        .properties
        .iter()
        .chain(names.methods.keys())
        .collect();
    let community = s.check_params.as_ref().map_or("c", |(c, _)| c.as_str());
    for access in &s.community {
        let name = &access.name;
        match access.call {
            None if names.properties.contains(name) => {}
            None if names.methods.contains_key(name) => {
                out.push(D::new(Error, "unknown-property", src, access.pos.clone(), format!("`{community}.{name}` is a query, not a property: call it with its arguments"))
                    .label("a query")
                    .help(format!("write `{community}.{name}(…)`; docs/policy-authoring.md lists its arguments")));
            }
            Some(n) if names.methods.get(name).is_some_and(|a| !a.contains(&n)) => {
                let arities = names
                    .methods
                    .get(name)
                    .map(|a| {
                        a.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(" or ")
                    })
                    .unwrap_or_default();
                out.push(
                    D::new(
                        Error,
                        "method-arity",
                        src,
                        access.pos.clone(),
                        format!("`{community}.{name}` takes {arities} argument(s), not {n}"),
                    )
                    .label(format!("called with {n}")),
                );
            }
            Some(_) if names.methods.contains_key(name) => {}
            Some(_) if names.properties.contains(name) => {
                out.push(
                    D::new(
                        Error,
                        "unknown-method",
                        src,
                        access.pos.clone(),
                        format!("`{community}.{name}` is a property, not a query"),
                    )
                    .label("a property")
                    .help(format!("write `{community}.{name}` without parentheses")),
                );
            }
            call => {
                let what = if call.is_some() { "query" } else { "property" };
                let code = if call.is_some() {
                    "unknown-method"
                } else {
                    "unknown-property"
                };
                let mut d = D::new(
                    Error,
                    code,
                    src,
                    access.pos.clone(),
                    format!(
                        "the community has no {what} `{name}`: the rule fails with an error when a community reaches this line"
                    ),
                );
                d = match closest(name, all.iter().copied()) {
                    Some(near) => d.label(format!("did you mean `{near}`?")),
                    None => d.label(format!("unknown {what}")),
                };
                out.push(d.help("docs/policy-authoring.md, \"The community `c`\", lists every property and query; `c.get(\"/json/pointer\")` reads any other field"));
            }
        }
    }
}

/// Every category the rule applies to is registered.
fn categories(cx: &RuleCx<'_>, out: &mut Out) {
    for cat in &cx.meta.categories {
        if !cx.world.categories.contains(cat) {
            let mut d = D::new(
                Error,
                "unknown-category",
                cx.src(),
                cx.item_pos("categories", cat),
                format!("category `{cat}` is registered by no pack: the rule never applies"),
            );
            if let Some(near) = closest(cat, cx.world.categories.iter()) {
                d = d.label(format!("did you mean `{near}`?"));
            }
            out.push(d);
        }
    }
}

/// The origin, and the clause against the edition's list of clauses.
fn origin_and_edition(cx: &RuleCx<'_>, out: &mut Out) {
    let (meta, src) = (cx.meta, cx.src());
    // The origin: the clause list's, which a rule may only make a proposal; the rule's own
    // when no list declares its clause.
    let listed = cx
        .clause_list
        .and_then(|l| l.clauses.iter().find(|c| c.id == meta.clause));
    match (listed.and_then(|c| c.origin), meta.origin) {
        (Some(Origin::Proposal), Some(Origin::Note)) => out.push(
            D::new(Error, "origin-clause", src, cx.at(&["origin"]), format!("origin `note`, but the edition's list makes clause {} a proposal", meta.clause))
                .label("the clause is a proposal")
                .help("a rule may read a `note` clause as a proposal, never the reverse: remove `origin` or set it to `proposal`"),
        ),
        (None, None) if listed.is_none() => out.push(origin_missing(
            src,
            cx.at(&["clause"]),
            format!("clause `{}` is in no `clauses.toml` and the rule declares no `origin`", meta.clause),
        )),
        _ => {}
    }

    // The edition's list of clauses.
    if cx.clause_list.is_none() {
        return;
    }
    let Some(entry) = listed else {
        out.push(
            D::new(
                Warning,
                "clause-unlisted",
                src,
                cx.at(&["clause"]),
                format!(
                    "clause `{}` is not in the pack's `clauses.toml`",
                    meta.clause
                ),
            )
            .help("add it to `clauses.toml` with its level and text, or correct the clause id"),
        );
        return;
    };
    if entry.level != meta.level {
        out.push(
            D::new(
                Error,
                "clause-level",
                src,
                cx.at(&["level"]),
                format!(
                    "level `{}`, but the edition gives clause {} level `{}` ({})",
                    meta.level.as_str(),
                    meta.clause,
                    entry.level.as_str(),
                    entry.level.zh()
                ),
            )
            .label(format!("the edition says `{}`", entry.level.as_str())),
        );
    }
    if let Some(published) = &entry.text
        && *published != meta.text.zh
    {
        out.push(
            D::new(
                Error,
                "clause-text",
                src,
                cx.at(&["text", "zh"]),
                "the clause text differs from the edition's (`clauses.toml`)",
            )
            .label("differs from the edition")
            .help(format!("the edition says: {published}")),
        );
    }
}

/// Rhai's keyword functions, called by name but never registered.
const KEYWORD_CALLS: [&str; 17] = [
    "if",
    "while",
    "for",
    "switch",
    "return",
    "throw",
    "loop",
    "fn",
    "Fn",
    "call",
    "curry",
    "type_of",
    "print",
    "debug",
    "is_def_var",
    "is_def_fn",
    "is_shared",
];

/// Calls of functions that neither the sandbox registers nor the script defines: at run time
/// they fail with "Function not found"; here with the nearest known name.
/// How a parameter's number may be written in prose: `1500`, `1,500`, and a share as a
/// percentage (`0.95` → `95%`). 0 and 1 are left out: "至少1项" is the clause's own count.
fn literal_forms(value: &icgs::pack::ParamValue) -> Vec<String> {
    use icgs::pack::ParamValue;
    match value {
        ParamValue::Int(n) if n.unsigned_abs() > 1 => {
            let grouped = icgs::vocab::number(
                &serde_json::Number::from(*n),
                icgs::vocab::NumberStyle::Plain,
                false,
            );
            let mut forms = vec![n.to_string()];
            if grouped != forms[0] {
                forms.push(grouped);
            }
            forms
        }
        ParamValue::Decimal(d) if !d.is_zero() && *d < icgs::facts::Decimal::ONE => {
            let percent = (*d * icgs::facts::Decimal::ONE_HUNDRED).normalize();
            vec![format!("{percent}%")]
        }
        _ => Vec::new(),
    }
}

/// Byte offsets of `needle` in `text` standing alone as a number: no digit, `.` or `,`
/// touching it (a clause id `7.3.1` or `1,500` does not contain a `3` or `500`).
fn number_at(text: &str, needle: &str) -> Vec<usize> {
    let joins = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | ','));
    text.match_indices(needle)
        .filter(|(at, _)| {
            let before = text.get(..*at).and_then(|t| t.chars().next_back());
            let after = text.get(at + needle.len()..).and_then(|t| t.chars().next());
            // `95%`: a trailing `.`/`,` that ends a sentence is punctuation.
            let after_joins = after.is_some_and(|c| c.is_ascii_digit())
                || (matches!(after, Some('.' | ','))
                    && text
                        .get(at + needle.len() + 1..)
                        .and_then(|t| t.chars().next())
                        .is_some_and(|c| c.is_ascii_digit()));
            !joins(before) && !after_joins
        })
        .map(|(at, _)| at)
        .collect()
}

/// A parameter's default written as a number in a message, remedy or check text (or a
/// string of the script, a verdict's own message) instead of `{param.NAME}`: an overlay
/// that changes the value would leave the text quoting the standard's.
fn param_literals(r: &RuleFile, meta: &RuleMeta, world: &World<'_>, out: &mut Out) {
    let src = (r.file.as_str(), r.text.as_str());
    let forms: Vec<(&String, String)> = meta
        .params
        .iter()
        .filter_map(|name| world.params.get(name).map(|(_, def)| (name, def)))
        .flat_map(|(name, def)| {
            literal_forms(&def.default)
                .into_iter()
                .map(move |f| (name, f))
        })
        .collect();
    if forms.is_empty() {
        return;
    }
    // The texts a reader sees with the values in force: RULE's message, remedy and check,
    // and the strings of the script after RULE (its own messages).
    let fields = [
        ("message", &meta.message),
        ("remedy", &meta.remedy),
        ("check", &meta.check),
    ];
    let mut texts: Vec<(String, &str, Pos)> = Vec::new();
    for (field, t) in fields {
        for (lang, value) in [("zh", t.zh.as_str()), ("en", t.en.as_str())] {
            texts.push((
                format!("`{field}.{lang}`"),
                value,
                r.script.rule_pos_of(&[field, lang]),
            ));
        }
    }
    let body_start = r.text.find("\nfn ").unwrap_or(r.text.len());
    let body = r.text.get(body_start..).unwrap_or_default();
    let mut rest = body;
    let mut offset = body_start;
    while let Some(open) = rest.find('"') {
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('"') else { break };
        let start = offset + open + 1;
        let literal = after.get(..close).unwrap_or_default();
        texts.push((
            "a text of the script".to_owned(),
            literal,
            pos_of(&r.text, start, start + close),
        ));
        offset = start + close + 1;
        rest = after.get(close + 1..).unwrap_or_default();
    }
    for (what, text, pos) in texts {
        for (name, form) in &forms {
            if number_at(text, form).is_empty() {
                continue;
            }
            out.push(
                D::new(
                    Warning,
                    "param-literal",
                    src,
                    pos.clone(),
                    format!("{what} writes {form}, the default of parameter `{name}`: under an overlay that changes it, the text would still say {form}"),
                )
                .label("a parameter's value written out")
                .help(format!("write {{param.{name}}} (the value in force), or {{required}} when the verdict carries it")),
            );
        }
    }
}

fn unknown_functions(
    r: &RuleFile,
    names: &icgs::__tools::CommunityNames,
    src: (&str, &str),
    out: &mut Out,
) {
    let defined = |name: &str| {
        r.text
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("fn {name}(")))
    };
    for (name, positions) in &r.script.calls {
        if names.functions.contains(name) || KEYWORD_CALLS.contains(&name.as_str()) || defined(name)
        {
            continue;
        }
        let near = closest(name, names.functions.iter());
        let hint = near
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        for pos in positions {
            let mut d = D::new(
                Error,
                "unknown-function",
                src,
                pos.clone(),
                format!("`{name}` is not a function rule scripts can call (it would fail at run time with \"Function not found\"){hint}"),
            )
            .help("the verdict helpers and the community's queries are listed in docs/policy-authoring.md");
            if let Some(near) = near {
                d = d.label(format!("did you mean `{near}`?"));
            }
            out.push(d);
        }
    }
}

/// Values of `c` that are `()` without data, used where `()` stops the rule (see
/// [`super::missing`]).
fn unguarded_missing(
    r: &RuleFile,
    names: &icgs::__tools::CommunityNames,
    src: (&str, &str),
    out: &mut Out,
) {
    let community = r
        .script
        .check_params
        .as_ref()
        .map_or("c", |(c, _)| c.as_str());
    for u in super::missing::unguarded(&r.text, community, names) {
        let written = u.source.strip_suffix("(…)").unwrap_or(&u.source);
        let from = if u.name.starts_with(written) {
            String::new()
        } else {
            format!(" (from `{}`)", u.source)
        };
        out.push(
            D::new(
                Error,
                "unguarded-missing",
                src,
                u.pos,
                format!(
                    "`{}`{from} is `()` when the profile lacks the data, and {} on `()` {}",
                    u.name, u.how, u.effect
                ),
            )
            .label("may be `()`")
            .help(format!(
                "guard it before the use: `if {0} == () {{ return insufficient_data(); }}`, or give a default: `{0} ?? 0`",
                u.name
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["5.1.1", "4", "C.TI.3", "C.SM.12", "ZJ.1"] {
            assert!(well_formed(ok), "{ok}");
        }
        for bad in [
            "5.1.", "5..1", "5.01.1", "c.ti.3", "C.TI", "5.1.1 ", "5.1a.1", "",
        ] {
            assert!(!well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn placeholders_are_names_in_braces() {
        let p = placeholders("共 {observed} 个，要求 {required}；{ 不是 } {x-y}");
        assert_eq!(p.into_iter().collect::<Vec<_>>(), ["observed", "required"]);
    }

    #[test]
    fn positions_from_line_and_column() {
        let text = "ab\n配套 x\n";
        let p = pos_at(text, 2, 4);
        assert_eq!((p.line, p.column), (2, 4));
        assert_eq!(text.get(p.span), Some("x"));
    }
}
