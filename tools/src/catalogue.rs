//! The clause catalogue, generated from the packs: every clause with its level, bilingual
//! text, how it is checked, the parameters it reads (default, unit, which layer set the
//! value), the categories it applies to — grouped by chapter, in clause order, so that the
//! published annex and the code cannot drift. `docs/clauses.md` is the catalogue of the
//! embedded packs as `icgs-render` writes it in Markdown (`icgs doc`).
//!
//! ```
//! let packs = icgs::pack::Pack::embedded().unwrap();
//! let engine = icgs::Engine::builder().packs(packs.clone()).build().unwrap();
//! let catalogue = icgs_tools::catalogue::Catalogue::new(&engine, &packs).unwrap();
//! let clause = catalogue.clauses().find(|c| c.id == "5.1.1").unwrap();
//! assert_eq!(clause.level, icgs::pack::Level::Shall);
//! ```
//!
//! A pack may list the provisions of its edition in `clauses.toml` (the standard pack does):
//! a listed clause no rule encodes shows as *not encoded*, and `icgs lint` holds each rule's
//! level and text against the list.

mod layers;

pub use layers::{LayerDoc, LayerEntry};

use std::collections::BTreeMap;

use serde_json::Value;

pub use icgs::pack::{ClauseEntry, ClauseList};

use crate::script::{self, Script};
use icgs::Engine;
use icgs::pack::{Dimension, Level, Origin, Pack, PackError, RuleMeta, Text};

/// How a rule checks its clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleKind {
    /// The rule decides pass or fail from the profile.
    Automated,
    /// An evidence clause: current evidence passes, otherwise a person checks (`manual`);
    /// never a fail. Known from the script calling `manual()`.
    Evidence,
    /// A permission (可): never fails.
    Permission,
}

impl RuleKind {
    /// The kind of the rule `meta`, whose script is `script`.
    pub(crate) fn of(meta: &RuleMeta, script: &Script) -> Self {
        if meta.level == Level::May {
            Self::Permission
        } else if script.asks_manual() {
            Self::Evidence
        } else {
            Self::Automated
        }
    }

    /// `automated`, `evidence` or `permission`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Automated => "automated",
            Self::Evidence => "evidence",
            Self::Permission => "permission",
        }
    }

    /// The kind in Chinese.
    #[must_use]
    pub const fn zh(self) -> &'static str {
        match self {
            Self::Automated => "自动判定",
            Self::Evidence => "佐证材料（人工核查）",
            Self::Permission => "允许性条款（不判不符合）",
        }
    }
}

/// How a clause of the catalogue is covered by rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClauseStatus {
    /// Some rule decides it from the profile.
    Automated,
    /// Its rule asks for evidence and otherwise a manual check.
    Evidence,
    /// A permission: encoded, never fails.
    Permission,
    /// Listed in the edition (`clauses.toml`), encoded by no rule.
    Missing,
}

impl ClauseStatus {
    /// `automated`, `evidence`, `permission` or `missing`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Automated => "automated",
            Self::Evidence => "evidence",
            Self::Permission => "permission",
            Self::Missing => "missing",
        }
    }

    /// The status of a clause encoded by rules of these kinds (none: missing).
    #[must_use]
    pub fn of(kinds: &[RuleKind]) -> Self {
        if kinds.is_empty() {
            Self::Missing
        } else if kinds.contains(&RuleKind::Automated) {
            Self::Automated
        } else if kinds.contains(&RuleKind::Evidence) {
            Self::Evidence
        } else {
            Self::Permission
        }
    }
}

/// The catalogue of the clauses in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    /// The packs, `id@version`, in layer order.
    pub packs: Vec<String>,
    /// The edition of the standard pack (the first pack with a `[scoring]`), or of the first.
    pub edition: String,
    /// Chapters in order: 4–8, then the category annexes, then other rules' prefixes.
    pub chapters: Vec<Chapter>,
    /// Every declared parameter, by name.
    pub params: Vec<ParamDoc>,
    /// The overlays of the engine's chain and what each changes.
    pub layers: Vec<LayerDoc>,
    /// The date values and changes are shown for (`--as-of`), when given.
    pub as_of: Option<String>,
}

/// A chapter of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    /// `4` … `8`, or a rule-id prefix such as `C.TI`.
    pub id: String,
    /// Title in both languages.
    pub title: Text,
    /// The clauses, in clause order.
    pub clauses: Vec<ClauseDoc>,
}

/// One clause.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseDoc {
    /// Clause id.
    pub id: String,
    /// Its level: the edition's when listed, else the first rule's.
    pub level: Level,
    /// The edition's Chinese text, when the clause is listed in a `clauses.toml`.
    pub listed_text: Option<String>,
    /// Automated, evidence, permission or missing.
    pub status: ClauseStatus,
    /// Whether the explanatory note states it: the edition list's origin, else its first
    /// rule's.
    pub origin: Origin,
    /// Where the origin is stated.
    pub source: Option<String>,
    /// The rules that encode it.
    pub rules: Vec<RuleDoc>,
}

/// One rule, as the catalogue shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDoc {
    /// The metadata the script declares (categories include the pack's own).
    pub meta: RuleMeta,
    /// How it checks the clause.
    pub kind: RuleKind,
    /// `id@version` of its pack.
    pub pack: String,
    /// The script, relative to its pack (`rules/5.1.1.rhai`).
    pub file: String,
    /// Effective scoring weight.
    pub weight: u32,
    /// The parameters it reads, with the value in force and the layer that set it.
    pub params: Vec<ParamUseDoc>,
}

/// A parameter a rule reads.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamUseDoc {
    /// Parameter name.
    pub name: String,
    /// The value in force for every community.
    pub value: Value,
    /// Unit.
    pub unit: Option<String>,
    /// The layer that set the value (`id@version`).
    pub layer: String,
    /// What it means.
    pub description: Text,
    /// Values a category pack sets for its communities: (category, value, layer).
    pub by_category: Vec<(String, Value, String)>,
    /// Whether the explanatory note fixes the value.
    pub origin: Origin,
}

/// A declared parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamDoc {
    /// Parameter name.
    pub name: String,
    /// The default the declaring pack gives.
    pub default: Value,
    /// The value in force (after overlays), when some rule reads it.
    pub value: Option<Value>,
    /// The layer that set the value in force.
    pub layer: Option<String>,
    /// Unit.
    pub unit: Option<String>,
    /// What it means.
    pub description: Text,
    /// The pack that declares it (`id@version`).
    pub declared_by: String,
    /// The rules that read it.
    pub rules: Vec<String>,
    /// Whether the explanatory note fixes the value (`proposal` when undeclared).
    pub origin: Origin,
    /// Where the origin is stated.
    pub source: Option<String>,
}

/// Where a rule's file is inside its pack: from `rules/` on.
pub(crate) fn pack_relative(file: &str) -> String {
    let file = file.replace('\\', "/");
    match file.rfind("/rules/") {
        Some(i) => file.get(i + 1..).unwrap_or(&file).to_owned(),
        None => file,
    }
}

/// The chapter id of a clause: its first number, or its prefix before the last part
/// (`C.TI.3` → `C.TI`).
fn chapter_of(clause: &str) -> String {
    let first = clause.split('.').next().unwrap_or(clause);
    if first.chars().all(|c| c.is_ascii_digit()) {
        return first.to_owned();
    }
    clause
        .rsplit_once('.')
        .map_or(clause, |(head, _)| head)
        .to_owned()
}

fn dimension_of_chapter(chapter: &str) -> Option<Dimension> {
    Dimension::of_chapter(chapter)
}

impl Catalogue {
    /// The catalogue of the rules of `engine`, built from `packs` (their manifests, scripts and
    /// `clauses.toml`). Pass the packs the engine was built from.
    ///
    /// # Errors
    /// A pack's `clauses.toml` cannot be read or parsed.
    pub fn new(engine: &Engine, packs: &[Pack]) -> Result<Self, PackError> {
        Self::at(engine, packs, None)
    }

    /// The catalogue with the values in force on `date`, dated changes of the layers
    /// included, and each layer's changes marked in force or not on that day.
    ///
    /// # Errors
    /// A pack's `clauses.toml` cannot be read or parsed.
    pub fn at(
        engine: &Engine,
        packs: &[Pack],
        date: Option<chrono::NaiveDate>,
    ) -> Result<Self, PackError> {
        let mut catalogue = Self::build(engine, packs)?;
        catalogue.layers = layers::layers(engine, date);
        catalogue.as_of = date.map(|d| d.format("%Y-%m-%d").to_string());
        if let Some(date) = date {
            let in_force = |name: &str| {
                let step = engine.param_history(name)?.at(date, &[])?;
                Some((step.value.to_json(), step.by.pack_ref().to_string()))
            };
            for chapter in &mut catalogue.chapters {
                for rule in chapter.clauses.iter_mut().flat_map(|c| c.rules.iter_mut()) {
                    for p in &mut rule.params {
                        if let Some((value, layer)) = in_force(&p.name) {
                            (p.value, p.layer) = (value, layer);
                        }
                    }
                }
            }
            for p in &mut catalogue.params {
                if let Some((value, layer)) = in_force(&p.name) {
                    (p.value, p.layer) = (Some(value), Some(layer));
                }
            }
        }
        Ok(catalogue)
    }

    fn build(engine: &Engine, packs: &[Pack]) -> Result<Self, PackError> {
        let declared = declared_params(packs);
        let mut reads = ParamReads::default();
        // Clauses: from the rules, and from each pack's list of the edition.
        let mut clauses = rule_clauses(engine, packs, &declared, &mut reads);
        for pack in packs {
            if let Some(list) = ClauseList::for_pack(pack)? {
                add_listed(&mut clauses, list);
            }
        }
        for clause in clauses.values_mut() {
            let kinds: Vec<RuleKind> = clause.rules.iter().map(|r| r.kind).collect();
            clause.status = ClauseStatus::of(&kinds);
        }
        let chapters = chapters(engine, clauses);
        let params = param_docs(declared, reads);
        let standard = packs
            .iter()
            .find(|p| p.manifest.scoring.is_some())
            .or_else(|| packs.first());
        Ok(Self {
            packs: engine
                .packs()
                .iter()
                .map(|p| p.pack_ref().to_string())
                .collect(),
            edition: standard
                .map(|p| p.manifest.edition.clone())
                .unwrap_or_default(),
            chapters,
            params,
            layers: Vec::new(),
            as_of: None,
        })
    }

    /// Every clause, in order.
    pub fn clauses(&self) -> impl Iterator<Item = &ClauseDoc> {
        self.chapters.iter().flat_map(|c| &c.clauses)
    }

    /// Clause counts: `(level counts, status counts)` over all clauses.
    #[must_use]
    pub fn counts(&self) -> (BTreeMap<Level, usize>, BTreeMap<ClauseStatus, usize>) {
        count(self.clauses())
    }
}

/// Declared parameters: name → (declaring pack `id@version`, definition); the first wins.
type Declared<'a> = BTreeMap<String, (String, &'a icgs::pack::ParamDef)>;

/// Every parameter the packs declare.
fn declared_params(packs: &[Pack]) -> Declared<'_> {
    let mut declared = Declared::new();
    for pack in packs {
        let id = pack.manifest.pack_ref().to_string();
        for (name, def) in &pack.manifest.params {
            declared.entry(name.clone()).or_insert((id.clone(), def));
        }
    }
    declared
}

/// What the rules say of the parameters they read.
#[derive(Default)]
struct ParamReads {
    /// Parameter → the rules that read it.
    readers: BTreeMap<String, Vec<String>>,
    /// Parameter → its value in force and the layer that set it.
    values: BTreeMap<String, (Value, String)>,
}

/// The clauses the rules encode, each with its rules.
fn rule_clauses(
    engine: &Engine,
    packs: &[Pack],
    declared: &Declared<'_>,
    reads: &mut ParamReads,
) -> BTreeMap<String, ClauseDoc> {
    let scripts: BTreeMap<&str, &str> = packs
        .iter()
        .flat_map(|p| p.rules.iter().map(|(f, t)| (f.as_str(), t.as_str())))
        .collect();
    let mut by_category: BTreeMap<&str, Vec<(String, Value, String)>> = BTreeMap::new();
    for cat in engine.categories() {
        for (name, (value, layer)) in &cat.set_params {
            by_category.entry(name.as_str()).or_default().push((
                cat.id.clone(),
                value.to_json(),
                layer.to_string(),
            ));
        }
    }
    let mut clauses: BTreeMap<String, ClauseDoc> = BTreeMap::new();
    for rule in engine.rules() {
        let script = script::analyse(scripts.get(rule.file).copied().unwrap_or_default());
        let kind = RuleKind::of(rule.meta, &script);
        let params = rule
            .meta
            .params
            .iter()
            .map(|name| {
                let used = rule.params.get(name);
                let def = declared.get(name);
                reads
                    .readers
                    .entry(name.clone())
                    .or_default()
                    .push(rule.meta.id.clone());
                if let Some(u) = used {
                    reads
                        .values
                        .insert(name.clone(), (u.value.clone(), u.layer.to_string()));
                }
                ParamUseDoc {
                    name: name.clone(),
                    value: used.map(|u| u.value.clone()).unwrap_or(Value::Null),
                    unit: used.and_then(|u| u.unit.clone()),
                    layer: used.map(|u| u.layer.to_string()).unwrap_or_default(),
                    description: def.map(|(_, d)| d.description.clone()).unwrap_or_default(),
                    by_category: by_category.get(name.as_str()).cloned().unwrap_or_default(),
                    origin: used.map(|u| u.origin).unwrap_or_default(),
                }
            })
            .collect();
        let doc = RuleDoc {
            meta: rule.meta.clone(),
            kind,
            pack: rule.pack.to_string(),
            file: pack_relative(rule.file),
            weight: rule.weight,
            params,
        };
        clauses
            .entry(rule.meta.clause.clone())
            .or_insert_with(|| ClauseDoc {
                id: rule.meta.clause.clone(),
                level: rule.meta.level,
                listed_text: None,
                status: ClauseStatus::Missing,
                origin: rule.meta.origin.unwrap_or_default(),
                source: rule.meta.source.clone(),
                rules: Vec::new(),
            })
            .rules
            .push(doc);
    }
    clauses
}

/// Adds a pack's list of the edition's clauses: the list's level, text, origin and source
/// win over the rules'.
fn add_listed(clauses: &mut BTreeMap<String, ClauseDoc>, list: ClauseList) {
    for entry in list.clauses {
        let clause = clauses
            .entry(entry.id.clone())
            .or_insert_with(|| ClauseDoc {
                id: entry.id.clone(),
                level: entry.level,
                listed_text: None,
                status: ClauseStatus::Missing,
                origin: Origin::Proposal,
                source: None,
                rules: Vec::new(),
            });
        clause.level = entry.level;
        clause.listed_text = entry.text.clone();
        clause.origin = entry.origin.unwrap_or_default();
        clause.source = entry.source.clone();
    }
}

/// The clauses grouped in chapters, in clause order. A chapter of the standard is titled by
/// its dimension, an annex chapter by the category of its first rule.
fn chapters(engine: &Engine, clauses: BTreeMap<String, ClauseDoc>) -> Vec<Chapter> {
    let mut ordered: Vec<ClauseDoc> = clauses.into_values().collect();
    ordered.sort_by(|a, b| icgs::clause_order(&a.id, &b.id));
    let category_names: BTreeMap<&str, &Text> = engine
        .categories()
        .map(|c| (c.id.as_str(), &c.name))
        .collect();
    let mut chapters: Vec<Chapter> = Vec::new();
    for clause in ordered {
        let id = chapter_of(&clause.id);
        if chapters.last().is_none_or(|c| c.id != id) {
            let title = dimension_of_chapter(&id).map_or_else(
                || {
                    clause
                        .rules
                        .first()
                        .and_then(|r| r.meta.categories.first())
                        .and_then(|c| category_names.get(c.as_str()))
                        .map_or_else(
                            || Text {
                                zh: id.clone(),
                                en: id.clone(),
                            },
                            |t| (*t).clone(),
                        )
                },
                |d| Text {
                    zh: d.zh().to_owned(),
                    en: d.en().to_owned(),
                },
            );
            chapters.push(Chapter {
                id: id.clone(),
                title,
                clauses: Vec::new(),
            });
        }
        if let Some(chapter) = chapters.last_mut() {
            chapter.clauses.push(clause);
        }
    }
    chapters
}

/// The declared parameters, with their values in force and the rules that read them.
fn param_docs(declared: Declared<'_>, mut reads: ParamReads) -> Vec<ParamDoc> {
    declared
        .into_iter()
        .map(|(name, (declared_by, def))| {
            let (value, layer) = reads
                .values
                .get(&name)
                .map(|(v, l)| (Some(v.clone()), Some(l.clone())))
                .unwrap_or_default();
            ParamDoc {
                default: def.default.to_json(),
                value,
                layer,
                unit: def.unit.clone(),
                description: def.description.clone(),
                declared_by,
                rules: reads.readers.remove(&name).unwrap_or_default(),
                origin: def.origin.unwrap_or_default(),
                source: def.source.clone(),
                name,
            }
        })
        .collect()
}

impl Chapter {
    /// Clause counts of the chapter: `(level counts, status counts)`.
    #[must_use]
    pub fn counts(&self) -> (BTreeMap<Level, usize>, BTreeMap<ClauseStatus, usize>) {
        count(self.clauses.iter())
    }
}

fn count<'a>(
    clauses: impl Iterator<Item = &'a ClauseDoc>,
) -> (BTreeMap<Level, usize>, BTreeMap<ClauseStatus, usize>) {
    let mut levels = BTreeMap::new();
    let mut statuses = BTreeMap::new();
    for c in clauses {
        *levels.entry(c.level).or_insert(0) += 1;
        *statuses.entry(c.status).or_insert(0) += 1;
    }
    (levels, statuses)
}
