//! Layer resolution: packs are ordered by layer and `extends`, then each layer's changes are
//! folded onto the layers below it. Every change is judged: tightening is allowed, loosening
//! only as a declared derogation. Every value and rule keeps the layer that set it, its
//! document and its effective dates, so a report can say where each requirement comes from.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde_json::Value;

use super::changes::{CategoryChange, Derogation, ParamChange, RuleChange, Stricter};
use super::error::{OverlayError, OverlayErrorKind as Kind};
use super::{Layer, Level, Manifest, Origin, Pack, PackError, ParamValue, Text};
use crate::facts::{Decimal, parse_date};
use crate::report::{DerogationEntry, Provenance, RuleChangeInfo};

/// A moment for judging changes: `None` is the beginning of time.
type Point = Option<NaiveDate>;

/// The days an entry applies: both ends inclusive, open when absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Window {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Window {
    fn at(self, p: Point) -> bool {
        match p {
            None => self.from.is_none(),
            Some(d) => self.from.is_none_or(|f| f <= d) && self.until.is_none_or(|u| d <= u),
        }
    }

    /// Whether `day` is inside the window.
    pub(crate) fn contains(self, day: NaiveDate) -> bool {
        self.at(Some(day))
    }

    pub(crate) const fn is_always(self) -> bool {
        self.from.is_none() && self.until.is_none()
    }

    fn intersect(self, other: Self) -> Self {
        let from = match (self.from, other.from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let until = match (self.until, other.until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Self { from, until }
    }

    fn is_empty(self) -> bool {
        matches!((self.from, self.until), (Some(f), Some(u)) if f > u)
    }

    /// The moments at which whether this window applies can change.
    fn breakpoints(self) -> impl Iterator<Item = Point> {
        [
            self.from.map(Some),
            self.until.and_then(|u| u.succ_opt()).map(Some),
        ]
        .into_iter()
        .flatten()
    }

    fn text(d: Option<NaiveDate>) -> Option<String> {
        d.map(|d| d.format("%Y-%m-%d").to_string())
    }
}

/// The history of one parameter: its declaration, then every change in layer order.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ParamHistory {
    /// Parameter name.
    pub name: String,
    /// Unit.
    pub unit: Option<String>,
    /// Which way the value is stricter.
    pub stricter: Stricter,
    /// What it means.
    pub description: Text,
    /// Whether the explanatory note fixes the value (`proposal` when undeclared).
    pub origin: Origin,
    /// Where the origin is stated.
    pub source: Option<String>,
    /// The declaration (first) and each change, in layer order.
    pub steps: Vec<ParamStep>,
}

/// One value of a parameter set by one layer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ParamStep {
    /// The value.
    pub value: ParamValue,
    /// The category it is limited to (a category pack's or `[categories.<id>.set_params]`).
    pub category: Option<String>,
    /// The layer that set it, with document and effective dates.
    pub by: Provenance,
    /// The derogation, when the value loosens the one below.
    pub derogation: Option<Derogation>,
    pub(crate) window: Window,
}

impl ParamHistory {
    /// The step in force at `as_of` for a community of `categories`. Steps apply in layer
    /// order: a step for every community replaces what came before; a step for one category
    /// replaces that category's earlier value. When several of the community's categories
    /// set the parameter, the strictest value wins (by `stricter`; for `none`, where no
    /// value is stricter, the first category listed), so a secondary category can never
    /// loosen what another category requires. A later step for every community (an overlay,
    /// judged against each category's value) decides over them all.
    pub(crate) fn at(&self, as_of: NaiveDate, categories: &[&str]) -> Option<Cow<'_, ParamStep>> {
        let mut base: Option<&ParamStep> = None;
        let mut per_category: Vec<&ParamStep> = Vec::new();
        for step in self.steps.iter().filter(|s| s.window.contains(as_of)) {
            match step.category.as_deref() {
                None => {
                    base = Some(step);
                    per_category.clear();
                }
                Some(c) if categories.contains(&c) => {
                    per_category.retain(|s| s.category != step.category);
                    per_category.push(step);
                }
                Some(_) => {}
            }
        }
        // The community's categories in the order it lists them (primary first).
        let rank = |s: &ParamStep| {
            categories
                .iter()
                .position(|c| s.category.as_deref() == Some(*c))
                .unwrap_or(usize::MAX)
        };
        per_category.sort_by_key(|s| rank(s));
        let mut decided: Option<Cow<'_, ParamStep>> = None;
        for step in per_category {
            decided = Some(match decided {
                None => Cow::Borrowed(step),
                Some(d) => combine(self.stricter, d, step),
            });
        }
        decided.or_else(|| base.map(Cow::Borrowed))
    }

    /// The index in [`Self::steps`] of the value in force on `as_of` for a community of no
    /// category: the last step for every community whose dates include `as_of`.
    #[must_use]
    pub fn step_in_force(&self, as_of: NaiveDate) -> Option<usize> {
        self.steps
            .iter()
            .rposition(|s| s.category.is_none() && s.in_force(as_of))
    }

    /// The same value for every community on every date: no dated or category step.
    pub(crate) fn is_static(&self) -> bool {
        self.steps
            .iter()
            .all(|s| s.category.is_none() && s.window.is_always())
    }
}

/// What a layer changed in a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleStepKind {
    /// A new level.
    Level(Level),
    /// Disabled (`true`) or enabled again (`false`).
    Disabled(bool),
    /// Waivable or not.
    Waivable(bool),
}

impl ParamStep {
    /// Whether the value applies on `as_of` (its layer's and its own effective dates).
    #[must_use]
    pub fn in_force(&self, as_of: NaiveDate) -> bool {
        self.window.contains(as_of)
    }
}

impl RuleStepKind {
    const fn name(self) -> &'static str {
        match self {
            Self::Level(_) => "level",
            Self::Disabled(_) => "disabled",
            Self::Waivable(_) => "waivable",
        }
    }

    fn value(self) -> Value {
        match self {
            Self::Level(l) => Value::String(l.as_str().to_owned()),
            Self::Disabled(b) | Self::Waivable(b) => Value::Bool(b),
        }
    }
}

/// One change of a rule by one layer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RuleStep {
    /// What changed.
    pub change: RuleStepKind,
    /// The layer that changed it.
    pub by: Provenance,
    /// Why, when the layer says (required to disable a rule).
    pub justification: Option<String>,
    /// The derogation, when the change loosens the rule.
    pub derogation: Option<Derogation>,
    pub(crate) window: Window,
}

impl RuleStep {
    /// Whether the change applies on `as_of` (its layer's and its own effective dates).
    #[must_use]
    pub fn in_force(&self, as_of: NaiveDate) -> bool {
        self.window.contains(as_of)
    }

    pub(crate) fn info(&self) -> RuleChangeInfo {
        RuleChangeInfo {
            by: self.by.clone(),
            change: self.change.name().to_owned(),
            value: self.change.value(),
            justification: self.justification.clone(),
            derogation: self.derogation.is_some(),
        }
    }
}

/// The history of one rule: who defined it, its own effective dates, and every change.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RuleHistory {
    /// Rule id.
    pub rule: String,
    /// The layer that defined the rule (with the rule's own effective dates).
    pub defined_by: Provenance,
    /// The level the rule was defined with.
    pub level: Level,
    /// Whether waivers may cover it as defined (veto rules may not, unless it says).
    pub waivable: bool,
    /// Changes by later layers, in layer order.
    pub steps: Vec<RuleStep>,
    pub(crate) window: Window,
    pub(crate) pack_index: usize,
}

/// A rule as it stands at one date ([`RuleHistory::state_at`]): every change in force
/// applied in layer order.
#[derive(Debug)]
#[non_exhaustive]
pub struct RuleState<'a> {
    /// The level in force.
    pub level: Level,
    /// The change that disabled the rule, when it is disabled.
    pub disabled: Option<&'a RuleStep>,
    /// Whether waivers may cover it.
    pub waivable: bool,
    /// The changes in force, in layer order.
    pub active: Vec<&'a RuleStep>,
}

impl RuleHistory {
    fn fold(&self, upto: usize, p: Point) -> RuleState<'_> {
        let mut state = RuleState {
            level: self.level,
            disabled: None,
            waivable: self.waivable,
            active: Vec::new(),
        };
        for step in self.steps.iter().take(upto).filter(|s| s.window.at(p)) {
            match step.change {
                RuleStepKind::Level(l) => state.level = l,
                RuleStepKind::Disabled(true) => state.disabled = Some(step),
                RuleStepKind::Disabled(false) => state.disabled = None,
                RuleStepKind::Waivable(w) => state.waivable = w,
            }
            state.active.push(step);
        }
        state
    }

    /// The rule as it stands at `as_of`: its level, whether it is disabled and waivable,
    /// after the changes in force that day.
    #[must_use]
    pub fn state_at(&self, as_of: NaiveDate) -> RuleState<'_> {
        self.fold(self.steps.len(), Some(as_of))
    }

    /// Whether the rule itself is in force at `as_of` (its and its pack's dates).
    #[must_use]
    pub fn in_force(&self, as_of: NaiveDate) -> bool {
        self.window.contains(as_of)
    }
}

/// The history of one category: who registered it and every change of its spaces or name.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CategoryHistory {
    /// Category id.
    pub id: String,
    /// Name as registered.
    pub name: Text,
    /// 5.2.2 spaces as registered.
    pub spaces: Vec<String>,
    /// The layer that registered it.
    pub registered_by: Provenance,
    /// The source of the registering pack (a directory or `embedded:…`).
    pub source: String,
    /// Changes by later layers.
    pub steps: Vec<CategoryStep>,
}

/// One change of a category by one layer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CategoryStep {
    /// A new name.
    pub name: Option<Text>,
    /// The new list of spaces.
    pub spaces: Option<Vec<String>>,
    /// The layer that changed it.
    pub by: Provenance,
    /// The derogation, when spaces were removed.
    pub derogation: Option<Derogation>,
    pub(crate) window: Window,
}

impl CategoryHistory {
    fn spaces_before(&self, upto: usize, p: Point) -> &[String] {
        self.steps
            .iter()
            .take(upto)
            .rev()
            .filter(|s| s.window.at(p))
            .find_map(|s| s.spaces.as_deref())
            .unwrap_or(&self.spaces)
    }

    /// The spaces in force at `as_of`.
    pub(crate) fn spaces_at(&self, as_of: NaiveDate) -> &[String] {
        self.spaces_before(self.steps.len(), Some(as_of))
    }

    /// The name in force (the last change, dates aside).
    pub(crate) fn current_name(&self) -> &Text {
        self.steps
            .iter()
            .rev()
            .find_map(|s| s.name.as_ref())
            .unwrap_or(&self.name)
    }
}

/// Everything the layers resolve to, before and after rules are compiled.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layering {
    pub params: BTreeMap<String, ParamHistory>,
    pub categories: BTreeMap<String, CategoryHistory>,
    pub rules: BTreeMap<String, RuleHistory>,
    pub derogations: Vec<(DerogationEntry, Window)>,
}

/// What one pack brings to every entry: provenance and effective window.
struct Ctx<'a> {
    manifest: &'a Manifest,
    file: String,
    window: Window,
    index: usize,
}

impl Ctx<'_> {
    fn err(&self, path: &[&str], kind: Kind, message: impl Into<String>) -> PackError {
        let entry = path
            .iter()
            .map(|p| {
                if p.contains('.') || p.contains(' ') {
                    format!("\"{p}\"")
                } else {
                    (*p).to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(".");
        PackError::Overlay(OverlayError::new(
            self.file.clone(),
            self.manifest.locations.get(path),
            entry,
            kind,
            message,
        ))
    }

    fn provenance(&self, document: Option<&String>, window: Window) -> Provenance {
        let m = self.manifest;
        Provenance {
            pack: m.id.clone(),
            version: m.version.to_string(),
            layer: m.layer.as_str().to_owned(),
            document: Some(
                document
                    .map_or_else(|| m.document_or_edition(), String::as_str)
                    .to_owned(),
            ),
            effective_from: Window::text(window.from),
            effective_until: Window::text(window.until),
        }
    }

    /// The entry's window: its own dates within the pack's.
    fn window(
        &self,
        path: &[&str],
        from: Option<&String>,
        until: Option<&String>,
    ) -> Result<Window, PackError> {
        let own = Window {
            from: from.and_then(|d| parse_date(d)),
            until: until.and_then(|d| parse_date(d)),
        };
        if own.is_empty() {
            return Err(self.err(
                path,
                Kind::Dates,
                format!(
                    "`effective_until` {} is before `effective_from` {}",
                    until.map_or("", |s| s.as_str()),
                    from.map_or("", |s| s.as_str())
                ),
            ));
        }
        let w = self.window.intersect(own);
        if w.is_empty() {
            return Err(self.err(
                path,
                Kind::Dates,
                "the entry's effective dates lie outside the pack's own",
            ));
        }
        Ok(w)
    }
}

/// Provenance of something declared outside the packs (a native plugin).
pub(crate) fn foreign(layer: &str) -> Provenance {
    let (pack, version) = layer.split_once('@').unwrap_or((layer, ""));
    Provenance {
        pack: pack.to_owned(),
        version: version.to_owned(),
        layer: Layer::Plugin.as_str().to_owned(),
        ..Provenance::default()
    }
}

fn manifest_file(pack: &Pack) -> String {
    format!("{}/pack.toml", pack.source)
}

pub(crate) fn pack_window(pack: &Pack) -> Result<Window, PackError> {
    let m = &pack.manifest;
    let w = Window {
        from: m.effective_from.as_deref().and_then(parse_date),
        until: m.effective_until.as_deref().and_then(parse_date),
    };
    if w.is_empty() {
        return Err(PackError::Overlay(OverlayError::new(
            manifest_file(pack),
            m.locations.get(&["effective_until"]),
            "effective_until",
            Kind::Dates,
            "the pack's `effective_until` is before its `effective_from`",
        )));
    }
    Ok(w)
}

/// Orders packs: by layer (standard, category, overlay, plugin), each pack after the pack
/// it extends, otherwise in the order given. Checks every `extends`.
///
/// # Errors
/// A base that is missing, of the wrong version or of a later layer, or a cycle.
pub(crate) fn order(packs: Vec<Pack>) -> Result<Vec<Pack>, PackError> {
    let ids: BTreeMap<&str, usize> = packs
        .iter()
        .enumerate()
        .map(|(i, p)| (p.manifest.id.as_str(), i))
        .collect();
    let mut base: Vec<Option<usize>> = Vec::with_capacity(packs.len());
    for pack in &packs {
        let m = &pack.manifest;
        let Some(ext) = &m.extends else {
            base.push(None);
            continue;
        };
        let err = |kind, message: String| {
            PackError::Overlay(OverlayError::new(
                manifest_file(pack),
                m.locations.get(&["extends"]),
                "extends",
                kind,
                message,
            ))
        };
        let Some(&b) = ids.get(ext.id.as_str()) else {
            let known: Vec<&str> = ids.keys().copied().filter(|k| *k != m.id).collect();
            return Err(err(
                Kind::MissingBase,
                format!(
                    "extends `{}` `{}`, which is not among the packs loaded ({})",
                    ext.id,
                    ext.version,
                    known.join(", ")
                ),
            ));
        };
        let Some(b_pack) = packs.get(b) else {
            continue;
        };
        if !ext.version.matches(&b_pack.manifest.version) {
            return Err(err(
                Kind::BaseVersion,
                format!(
                    "extends `{}` `{}`, but `{}` is version {} ({})",
                    ext.id, ext.version, ext.id, b_pack.manifest.version, b_pack.source
                ),
            ));
        }
        if b_pack.manifest.layer > m.layer {
            return Err(err(
                Kind::BaseLayer,
                format!(
                    "a {} pack cannot extend `{}`, a pack of the later {} layer",
                    m.layer.as_str(),
                    ext.id,
                    b_pack.manifest.layer.as_str()
                ),
            ));
        }
        base.push(Some(b));
    }
    // Kahn's algorithm, always taking the available pack of the lowest (layer, position).
    let mut placed = vec![false; packs.len()];
    let mut order = Vec::with_capacity(packs.len());
    while order.len() < packs.len() {
        let next = (0..packs.len())
            .filter(|&i| !placed.get(i).copied().unwrap_or(true))
            .filter(|&i| {
                base.get(i)
                    .copied()
                    .flatten()
                    .is_none_or(|b| placed.get(b).copied().unwrap_or(false))
            })
            .min_by_key(|&i| (packs.get(i).map(|p| p.manifest.layer), i));
        let Some(next) = next else {
            // Everything left waits on something left: follow `extends` to the cycle.
            let start = (0..packs.len())
                .find(|&i| !placed.get(i).copied().unwrap_or(true))
                .unwrap_or(0);
            let mut seen = vec![start];
            let mut at = start;
            while let Some(b) = base.get(at).copied().flatten() {
                if let Some(pos) = seen.iter().position(|&s| s == b) {
                    seen.drain(..pos);
                    seen.push(b);
                    break;
                }
                seen.push(b);
                at = b;
            }
            let names: Vec<String> = seen
                .iter()
                .filter_map(|&i| packs.get(i))
                .map(|p| format!("`{}`", p.manifest.id))
                .collect();
            let first = seen.first().and_then(|&i| packs.get(i));
            let (file, pos) = first.map_or((String::new(), None), |p| {
                (manifest_file(p), p.manifest.locations.get(&["extends"]))
            });
            return Err(PackError::Overlay(OverlayError::new(
                file,
                pos,
                "extends",
                Kind::Cycle,
                format!("packs extend each other in a cycle: {}", names.join(" → ")),
            )));
        };
        if let Some(p) = placed.get_mut(next) {
            *p = true;
        }
        order.push(next);
    }
    let mut slots: Vec<Option<Pack>> = packs.into_iter().map(Some).collect();
    Ok(order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect())
}

fn number(v: &ParamValue) -> Option<Decimal> {
    match v {
        ParamValue::Int(i) => Some(Decimal::from(*i)),
        ParamValue::Decimal(d) => Some(*d),
        ParamValue::Bool(b) => Some(Decimal::from(u8::from(*b))),
        ParamValue::Text(_) | ParamValue::List(_) | ParamValue::Calendar(_) => None,
    }
}

/// Whether `new` is looser than `old` for a parameter whose stricter side is `dir`.
fn looser(dir: Stricter, new: &ParamValue, old: &ParamValue) -> bool {
    let set = |v: &ParamValue| -> BTreeSet<String> {
        match v {
            ParamValue::List(l) => l.iter().cloned().collect(),
            _ => BTreeSet::new(),
        }
    };
    if let (ParamValue::Calendar(n), ParamValue::Calendar(o)) = (new, old) {
        return match dir {
            Stricter::More => n.looser_than(o),
            _ => n != o,
        };
    }
    match dir {
        Stricter::Higher => matches!((number(new), number(old)), (Some(n), Some(o)) if n < o),
        Stricter::Lower => matches!((number(new), number(old)), (Some(n), Some(o)) if n > o),
        Stricter::More => !set(old).is_subset(&set(new)),
        Stricter::Fewer => !set(new).is_subset(&set(old)),
        Stricter::None => !same(new, old),
    }
}

/// Two categories' values of one parameter for a community of both: the stricter; for
/// lists neither of which holds the other, the union of required elements (`more`) or the
/// intersection of allowed ones (`fewer`), attributed to both categories.
fn combine<'a>(
    dir: Stricter,
    kept: Cow<'a, ParamStep>,
    other: &'a ParamStep,
) -> Cow<'a, ParamStep> {
    if stricter_than(dir, &other.value, &kept.value) {
        return Cow::Borrowed(other);
    }
    if dir == Stricter::None || !looser(dir, &kept.value, &other.value) {
        return kept;
    }
    let (ParamValue::List(a), ParamValue::List(b)) = (&kept.value, &other.value) else {
        return kept;
    };
    let list: Vec<String> = match dir {
        Stricter::More => {
            let mut l = a.clone();
            l.extend(b.iter().filter(|x| !a.contains(x)).cloned());
            l
        }
        _ => a.iter().filter(|x| b.contains(x)).cloned().collect(),
    };
    let mut step = kept.into_owned();
    step.value = ParamValue::List(list);
    step.category = Some(format!(
        "{}+{}",
        step.category.unwrap_or_default(),
        other.category.as_deref().unwrap_or_default()
    ));
    Cow::Owned(step)
}

/// Whether `new` is strictly stricter than `old`: it does not loosen `old` and differs
/// from it. Two lists may be neither stricter nor looser than each other (see `combine`).
fn stricter_than(dir: Stricter, new: &ParamValue, old: &ParamValue) -> bool {
    dir != Stricter::None && !looser(dir, new, old) && !same(new, old)
}

fn same(a: &ParamValue, b: &ParamValue) -> bool {
    match (number(a), number(b)) {
        (Some(x), Some(y)) if !matches!(a, ParamValue::Bool(_)) => x == y,
        _ => a == b,
    }
}

/// `value` as a value of the declared kind of `declared` (a whole number where a number
/// is declared is taken as one); the message names the parameter, the expected kind and
/// what was found.
fn typed(name: &str, declared: &ParamValue, value: &ParamValue) -> Result<ParamValue, String> {
    match (declared, value) {
        (ParamValue::Decimal(_), ParamValue::Int(i)) => Ok(ParamValue::Decimal(Decimal::from(*i))),
        (ParamValue::Int(_), ParamValue::Int(_))
        | (ParamValue::Decimal(_), ParamValue::Decimal(_))
        | (ParamValue::Bool(_), ParamValue::Bool(_))
        | (ParamValue::Text(_), ParamValue::Text(_))
        | (ParamValue::List(_), ParamValue::List(_))
        | (ParamValue::Calendar(_), ParamValue::Calendar(_)) => Ok(value.clone()),
        (d, v) => {
            let expected = match d {
                ParamValue::Int(_) => "a whole number",
                ParamValue::Decimal(_) => "a number",
                ParamValue::Bool(_) => "`true` or `false`",
                ParamValue::Text(_) => "a text",
                ParamValue::List(_) => "a list of texts",
                ParamValue::Calendar(_) => {
                    "a calendar (`{ holidays = [\"YYYY-MM-DD\", …], adjusted_workdays = […] }`)"
                }
            };
            Err(format!(
                "`{name}` is {expected} (declared default `{}`), found {} `{}`",
                show(d),
                v.kind(),
                show(v)
            ))
        }
    }
}

fn why(dir: Stricter) -> &'static str {
    match dir {
        Stricter::Higher => "a lower value loosens a minimum",
        Stricter::Lower => "a higher value loosens a limit",
        Stricter::More => {
            "removing a required element loosens the list; a calendar loosens when it adds a holiday"
        }
        Stricter::Fewer => "adding an allowed element loosens the list",
        Stricter::None => {
            "the parameter declares no direction (`stricter`), so every change is a derogation"
        }
    }
}

fn show(v: &ParamValue) -> String {
    match v {
        ParamValue::Text(t) => t.clone(),
        ParamValue::List(l) => format!("[{}]", l.join(", ")),
        ParamValue::Calendar(c) => c.summary(),
        other => other.to_json().to_string(),
    }
}

const DEROGATION_HINT: &str =
    "declare it a derogation: `derogation = { justification = \"…\", document = \"…\" }`";

/// The first earlier step a new step at `window` and `scope` would loosen, judged at every
/// moment its application can change and for every category it reaches.
fn loosened<'a>(
    steps: &'a [ParamStep],
    dir: Stricter,
    value: &ParamValue,
    scope: Option<&str>,
    window: Window,
) -> Option<&'a ParamStep> {
    let mut points: Vec<Point> = vec![window.from];
    points.extend(steps.iter().flat_map(|s| s.window.breakpoints()));
    points.retain(|p| window.at(*p));
    let mut scopes: Vec<Option<&str>> = vec![scope];
    if scope.is_none() {
        let cats: BTreeSet<&str> = steps.iter().filter_map(|s| s.category.as_deref()).collect();
        scopes.extend(cats.into_iter().map(Some));
    }
    for p in &points {
        for sigma in &scopes {
            let prev = steps.iter().rev().find(|s| {
                s.window.at(*p) && s.category.as_deref().is_none_or(|c| Some(c) == *sigma)
            });
            if let Some(prev) = prev
                && looser(dir, value, &prev.value)
            {
                return Some(prev);
            }
        }
    }
    None
}

fn check_derogation(ctx: &Ctx<'_>, path: &[&str], d: &Derogation) -> Result<(), PackError> {
    if d.justification.trim().is_empty() || d.document.trim().is_empty() {
        let mut p = path.to_vec();
        p.push("derogation");
        return Err(ctx.err(
            &p,
            Kind::MissingJustification,
            "a derogation needs a non-empty `justification` and `document`",
        ));
    }
    Ok(())
}

impl Layering {
    /// Declarations, parameter changes and categories of every pack, in layer order.
    pub(crate) fn resolve(packs: &[Pack]) -> Result<Self, PackError> {
        let mut l = Self::default();
        for (index, pack) in packs.iter().enumerate() {
            let ctx = Ctx {
                manifest: &pack.manifest,
                file: manifest_file(pack),
                window: pack_window(pack)?,
                index,
            };
            l.declare(pack, &ctx)?;
            let m = &pack.manifest;
            let scope = match (&m.category, m.layer) {
                (Some(c), Layer::Category) => Some(c.id.clone()),
                _ => None,
            };
            for (name, change) in &m.set_params {
                l.change_param(&ctx, &["set_params", name], name, change, scope.as_deref())?;
            }
            for (id, change) in &m.categories {
                l.change_category(&ctx, pack, id, change)?;
            }
        }
        Ok(l)
    }

    fn declare(&mut self, pack: &Pack, ctx: &Ctx<'_>) -> Result<(), PackError> {
        let m = &pack.manifest;
        for (name, def) in &m.params {
            if let Some(first) = self.params.get(name) {
                return Err(PackError::Duplicate {
                    what: "parameter",
                    id: name.clone(),
                    file: pack.source.clone(),
                    first: format!(
                        "{}@{}",
                        first.steps.first().map_or("", |s| s.by.pack.as_str()),
                        first.steps.first().map_or("", |s| s.by.version.as_str())
                    ),
                });
            }
            let path = ["params", name.as_str()];
            let fits = match def.stricter {
                Stricter::Higher | Stricter::Lower => number(&def.default).is_some(),
                Stricter::More => {
                    matches!(def.default, ParamValue::List(_) | ParamValue::Calendar(_))
                }
                Stricter::Fewer => matches!(def.default, ParamValue::List(_)),
                Stricter::None => true,
            };
            if !fits {
                return Err(ctx.err(
                    &path,
                    Kind::Declaration,
                    format!(
                        "`stricter = \"{}\"` does not fit a {} value: use `higher` or `lower` for numbers and flags, `more` or `fewer` for lists, `none` otherwise",
                        def.stricter.as_str(),
                        def.default.kind()
                    ),
                ));
            }
            in_range(ctx, &path, def.unit.as_deref(), &def.default, &def.default)?;
            covered(ctx, &path, &def.default)?;
            self.params.insert(
                name.clone(),
                ParamHistory {
                    name: name.clone(),
                    unit: def.unit.clone(),
                    stricter: def.stricter,
                    description: def.description.clone(),
                    origin: def.origin.unwrap_or_default(),
                    source: def.source.clone(),
                    steps: vec![ParamStep {
                        value: def.default.clone(),
                        category: None,
                        by: ctx.provenance(None, Window::default()),
                        derogation: None,
                        window: Window::default(),
                    }],
                },
            );
        }
        if let Some(cat) = &m.category {
            self.register(ctx, pack, &cat.id, &cat.name, &cat.spaces)?;
        }
        Ok(())
    }

    fn register(
        &mut self,
        ctx: &Ctx<'_>,
        pack: &Pack,
        id: &str,
        name: &Text,
        spaces: &[String],
    ) -> Result<(), PackError> {
        if let Some(first) = self.categories.get(id) {
            return Err(PackError::Duplicate {
                what: "category",
                id: id.to_owned(),
                file: pack.source.clone(),
                first: first.source.clone(),
            });
        }
        self.categories.insert(
            id.to_owned(),
            CategoryHistory {
                id: id.to_owned(),
                name: name.clone(),
                spaces: spaces.to_vec(),
                registered_by: ctx.provenance(None, Window::default()),
                source: pack.source.clone(),
                steps: Vec::new(),
            },
        );
        Ok(())
    }

    fn change_param(
        &mut self,
        ctx: &Ctx<'_>,
        path: &[&str],
        name: &str,
        change: &ParamChange,
        scope: Option<&str>,
    ) -> Result<(), PackError> {
        let Some(hist) = self.params.get(name) else {
            let near = self
                .params
                .keys()
                .min_by_key(|k| strsim::levenshtein(k, name))
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            return Err(ctx.err(
                path,
                Kind::UnknownParameter,
                format!("no pack below this one declares a parameter `{name}`{near}"),
            ));
        };
        if hist
            .steps
            .first()
            .is_some_and(|s| s.by.pack == ctx.manifest.id)
        {
            return Err(ctx.err(
                path,
                Kind::Conflict,
                format!("`{name}` is declared by this pack: change its `default` instead"),
            ));
        }
        let declared = hist.steps.first().map(|s| &s.value);
        let value = match (declared, &change.value) {
            // A calendar change adds its local dates to the calendar in force below.
            (Some(ParamValue::Calendar(_)), ParamValue::Calendar(add)) => {
                let below = hist
                    .steps
                    .iter()
                    .rev()
                    .find(|s| s.category.is_none() || s.category.as_deref() == scope)
                    .map(|s| &s.value);
                match below {
                    Some(ParamValue::Calendar(base)) => {
                        ParamValue::Calendar(Box::new(base.with(add)))
                    }
                    _ => change.value.clone(),
                }
            }
            (Some(d), v) => {
                typed(name, d, v).map_err(|message| ctx.err(path, Kind::WrongType, message))?
            }
            (None, v) => v.clone(),
        };
        if let Some(unit) = &change.unit
            && Some(unit) != hist.unit.as_ref()
        {
            return Err(ctx.err(
                path,
                Kind::WrongUnit,
                format!(
                    "`{name}` is in `{}`, not `{unit}`",
                    hist.unit.as_deref().unwrap_or("no unit")
                ),
            ));
        }
        in_range(ctx, path, hist.unit.as_deref(), &value, &change.value)?;
        covered(ctx, path, &value)?;
        let window = ctx.window(
            path,
            change.effective_from.as_ref(),
            change.effective_until.as_ref(),
        )?;
        let by = ctx.provenance(change.document.as_ref(), window);
        let loose = loosened(&hist.steps, hist.stricter, &value, scope, window);
        match (loose, &change.derogation) {
            (Some(prev), None) => {
                return Err(ctx.err(
                    path,
                    Kind::Loosens,
                    format!(
                        "`{}` loosens `{}` set by {}@{}{} ({}); {DEROGATION_HINT}",
                        show(&value),
                        show(&prev.value),
                        prev.by.pack,
                        prev.by.version,
                        prev.category
                            .as_deref()
                            .map(|c| format!(" for `{c}`"))
                            .unwrap_or_default(),
                        why(hist.stricter)
                    ),
                ));
            }
            (None, Some(_)) => {
                return Err(ctx.err(
                    path,
                    Kind::NotLoosening,
                    format!(
                        "is declared a derogation but `{}` loosens nothing (stricter = `{}`): remove `derogation`",
                        show(&value),
                        hist.stricter.as_str()
                    ),
                ));
            }
            (Some(prev), Some(d)) => {
                check_derogation(ctx, path, d)?;
                self.derogations.push((
                    DerogationEntry {
                        by: by.clone(),
                        target: "parameter".into(),
                        id: name.to_owned(),
                        category: scope.map(str::to_owned),
                        change: "value".into(),
                        from: prev.value.to_json(),
                        to: value.to_json(),
                        justification: d.justification.clone(),
                        document: d.document.clone(),
                        in_effect: false,
                    },
                    window,
                ));
            }
            (None, None) => {}
        }
        if let Some(hist) = self.params.get_mut(name) {
            hist.steps.push(ParamStep {
                value,
                category: scope.map(str::to_owned),
                by,
                derogation: change.derogation.clone(),
                window,
            });
        }
        Ok(())
    }

    fn change_category(
        &mut self,
        ctx: &Ctx<'_>,
        pack: &Pack,
        id: &str,
        change: &CategoryChange,
    ) -> Result<(), PackError> {
        let path = ["categories", id];
        let window = ctx.window(
            &path,
            change.effective_from.as_ref(),
            change.effective_until.as_ref(),
        )?;
        let by = ctx.provenance(change.document.as_ref(), window);
        if !self.categories.contains_key(id) {
            let Some(name) = &change.name else {
                let known: Vec<&str> = self.categories.keys().map(String::as_str).collect();
                return Err(ctx.err(
                    &path,
                    Kind::MissingName,
                    format!(
                        "`{id}` is not a registered category ({}); a new category needs `name = {{ zh = \"…\", en = \"…\" }}`",
                        known.join(", ")
                    ),
                ));
            };
            if change.derogation.is_some() {
                return Err(ctx.err(
                    &path,
                    Kind::NotLoosening,
                    "a new category loosens nothing: remove `derogation`",
                ));
            }
            self.register(
                ctx,
                pack,
                id,
                name,
                change.spaces.as_deref().unwrap_or_default(),
            )?;
        } else if let Some(hist) = self.categories.get(id) {
            let upto = hist.steps.len();
            let mut removed: Option<(Vec<String>, Vec<String>)> = None;
            if let Some(spaces) = &change.spaces {
                let mut points: Vec<Point> = vec![window.from];
                points.extend(hist.steps.iter().flat_map(|s| s.window.breakpoints()));
                points.retain(|p| window.at(*p));
                for p in points {
                    let before = hist.spaces_before(upto, p);
                    let gone: Vec<String> = before
                        .iter()
                        .filter(|s| !spaces.contains(s))
                        .cloned()
                        .collect();
                    if !gone.is_empty() {
                        removed = Some((before.to_vec(), gone));
                        break;
                    }
                }
            }
            match (&removed, &change.derogation) {
                (Some((_, gone)), None) => {
                    return Err(ctx.err(
                        &path,
                        Kind::Loosens,
                        format!(
                            "removes required spaces [{}] of `{id}`; {DEROGATION_HINT}",
                            gone.join(", ")
                        ),
                    ));
                }
                (None, Some(_)) => {
                    return Err(ctx.err(
                        &path,
                        Kind::NotLoosening,
                        "is declared a derogation but removes no space: remove `derogation`",
                    ));
                }
                (Some((before, _)), Some(d)) => {
                    check_derogation(ctx, &path, d)?;
                    self.derogations.push((
                        DerogationEntry {
                            by: by.clone(),
                            target: "category".into(),
                            id: id.to_owned(),
                            category: Some(id.to_owned()),
                            change: "spaces".into(),
                            from: serde_json::json!(before),
                            to: serde_json::json!(change.spaces),
                            justification: d.justification.clone(),
                            document: d.document.clone(),
                            in_effect: false,
                        },
                        window,
                    ));
                }
                (None, None) => {}
            }
            if (change.name.is_some() || change.spaces.is_some())
                && let Some(hist) = self.categories.get_mut(id)
            {
                hist.steps.push(CategoryStep {
                    name: change.name.clone(),
                    spaces: change.spaces.clone(),
                    by: by.clone(),
                    derogation: change.derogation.clone(),
                    window,
                });
            }
        }
        for (name, pc) in &change.set_params {
            let mut pc = pc.clone();
            // The category entry's dates and document apply to its parameter changes.
            if pc.effective_from.is_none() {
                pc.effective_from.clone_from(&change.effective_from);
            }
            if pc.effective_until.is_none() {
                pc.effective_until.clone_from(&change.effective_until);
            }
            if pc.document.is_none() {
                pc.document.clone_from(&change.document);
            }
            self.change_param(
                ctx,
                &["categories", id, "set_params", name],
                name,
                &pc,
                Some(id),
            )?;
        }
        Ok(())
    }

    /// Records a rule defined by pack `index` (its metadata read from the script).
    pub(crate) fn define_rule(
        &mut self,
        pack: &Pack,
        index: usize,
        id: &str,
        level: Level,
        waivable: bool,
        dates: (Option<&str>, Option<&str>),
    ) -> Result<Window, PackError> {
        let own = Window {
            from: dates.0.and_then(parse_date),
            until: dates.1.and_then(parse_date),
        };
        let window = pack_window(pack)?.intersect(own);
        let ctx = Ctx {
            manifest: &pack.manifest,
            file: manifest_file(pack),
            window,
            index,
        };
        if window.is_empty() {
            return Err(ctx.err(
                &["effective_from"],
                Kind::Dates,
                format!("rule `{id}` is in force on no day within the pack's effective dates"),
            ));
        }
        self.rules.insert(
            id.to_owned(),
            RuleHistory {
                rule: id.to_owned(),
                defined_by: ctx.provenance(None, window),
                level,
                waivable,
                steps: Vec::new(),
                window,
                pack_index: index,
            },
        );
        Ok(window)
    }

    /// Records a rule that comes from outside the packs (a native plugin), defined by
    /// `layer` (`<id>@<version>`).
    pub(crate) fn define_foreign_rule(
        &mut self,
        id: &str,
        layer: &str,
        level: Level,
        waivable: bool,
    ) {
        self.rules.insert(
            id.to_owned(),
            RuleHistory {
                rule: id.to_owned(),
                defined_by: foreign(layer),
                level,
                waivable,
                steps: Vec::new(),
                window: Window::default(),
                pack_index: usize::MAX,
            },
        );
    }

    /// Takes in a parameter declared outside the packs (a native plugin) with a history of
    /// one step, set by `layer` (`<id>@<version>`).
    pub(crate) fn adopt_param(
        &mut self,
        name: &str,
        value: &ParamValue,
        unit: Option<&String>,
        layer: &str,
        origin: Origin,
    ) {
        if self.params.contains_key(name) {
            return;
        }
        self.params.insert(
            name.to_owned(),
            ParamHistory {
                name: name.to_owned(),
                unit: unit.cloned(),
                stricter: Stricter::None,
                description: Text::default(),
                origin,
                source: None,
                steps: vec![ParamStep {
                    value: value.clone(),
                    category: None,
                    by: foreign(layer),
                    derogation: None,
                    window: Window::default(),
                }],
            },
        );
    }

    /// Takes in a category registered outside the packs (a native plugin), with its
    /// parameter values as `(name, value, layer)`. Each value is judged like a category
    /// pack's `set_params`: of the declared kind, and not looser than the value in force
    /// below (a plugin cannot declare a derogation, so a loosening is refused).
    ///
    /// # Errors
    /// A value of the wrong kind, out of range, or looser than the one below, naming the
    /// plugin's file, the category and the parameter.
    pub(crate) fn adopt_category<'a>(
        &mut self,
        id: &str,
        name: &Text,
        spaces: &[String],
        source: &str,
        set_params: impl IntoIterator<Item = (&'a String, &'a ParamValue, &'a String)>,
    ) -> Result<(), PackError> {
        if self.categories.contains_key(id) {
            return Ok(());
        }
        let refuse = |message: String| PackError::Manifest {
            file: source.to_owned(),
            position: None,
            message: format!("category `{id}`: {message}"),
        };
        let mut registered_by = None;
        for (param, value, layer) in set_params {
            registered_by.get_or_insert_with(|| foreign(layer));
            let Some(h) = self.params.get_mut(param) else {
                continue;
            };
            let key = format!("set_params `{param}`");
            let value = match h.steps.first() {
                Some(first) => {
                    typed(param, &first.value, value).map_err(|m| refuse(format!("{key}: {m}")))?
                }
                None => value.clone(),
            };
            if let Some(n) = number(&value).filter(|_| !matches!(value, ParamValue::Bool(_)))
                && (n < Decimal::ZERO || (h.unit.as_deref() == Some("share") && n > Decimal::ONE))
            {
                return Err(refuse(format!("{key}: `{}` is out of range", show(&value))));
            }
            if let Some(prev) = loosened(&h.steps, h.stricter, &value, Some(id), Window::default())
            {
                return Err(refuse(format!(
                    "{key}: `{}` loosens `{}` set by {}@{} ({}); a plugin category may only tighten the standard",
                    show(&value),
                    show(&prev.value),
                    prev.by.pack,
                    prev.by.version,
                    why(h.stricter)
                )));
            }
            h.steps.push(ParamStep {
                value,
                category: Some(id.to_owned()),
                by: foreign(layer),
                derogation: None,
                window: Window::default(),
            });
        }
        self.categories.insert(
            id.to_owned(),
            CategoryHistory {
                id: id.to_owned(),
                name: name.clone(),
                spaces: spaces.to_vec(),
                registered_by: registered_by.unwrap_or_else(|| foreign(source)),
                source: source.to_owned(),
                steps: Vec::new(),
            },
        );
        Ok(())
    }

    /// The `[rules."<id>"]` changes of every pack, in layer order.
    pub(crate) fn change_rules(&mut self, packs: &[Pack]) -> Result<(), PackError> {
        for (index, pack) in packs.iter().enumerate() {
            let ctx = Ctx {
                manifest: &pack.manifest,
                file: manifest_file(pack),
                window: pack_window(pack)?,
                index,
            };
            for (id, change) in &pack.manifest.rule_changes {
                self.change_rule(&ctx, packs, id, change)?;
            }
        }
        Ok(())
    }

    fn change_rule(
        &mut self,
        ctx: &Ctx<'_>,
        packs: &[Pack],
        id: &str,
        change: &RuleChange,
    ) -> Result<(), PackError> {
        let path = ["rules", id];
        let Some(hist) = self.rules.get(id) else {
            let near = self
                .rules
                .keys()
                .min_by_key(|k| strsim::levenshtein(k, id))
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            return Err(ctx.err(
                &path,
                Kind::UnknownRule,
                format!("no pack below this one defines a rule `{id}`{near}"),
            ));
        };
        if hist.pack_index >= ctx.index {
            let owner = packs
                .get(hist.pack_index)
                .map_or_else(String::new, |p| p.manifest.id.clone());
            let message = if hist.pack_index == ctx.index {
                format!("`{id}` is defined by this pack: change its script instead")
            } else {
                format!(
                    "`{id}` is defined by `{owner}`, a later layer: only lower layers can be changed"
                )
            };
            return Err(ctx.err(&path, Kind::UnknownRule, message));
        }
        if change.disabled == Some(true) && change.level.is_some() {
            return Err(ctx.err(
                &path,
                Kind::Conflict,
                "`disabled = true` and `level` contradict each other: a disabled rule has no level",
            ));
        }
        let mut kinds = Vec::new();
        if let Some(l) = change.level {
            kinds.push(RuleStepKind::Level(l));
        }
        if let Some(d) = change.disabled {
            kinds.push(RuleStepKind::Disabled(d));
        }
        if let Some(w) = change.waivable {
            kinds.push(RuleStepKind::Waivable(w));
        }
        if kinds.is_empty() {
            return Err(ctx.err(
                &path,
                Kind::Conflict,
                "changes nothing: give `level`, `disabled` or `waivable`",
            ));
        }
        let window = ctx.window(
            &path,
            change.effective_from.as_ref(),
            change.effective_until.as_ref(),
        )?;
        let by = ctx.provenance(change.document.as_ref(), window);
        let rank = |l: Level| match l {
            Level::May => 0,
            Level::Should => 1,
            Level::Shall | Level::ShallNot => 2,
        };
        let mut points: Vec<Point> = vec![window.from];
        points.extend(hist.steps.iter().flat_map(|s| s.window.breakpoints()));
        points.retain(|p| window.at(*p));
        let upto = hist.steps.len();
        // (what, from, to, needs a derogation)
        let mut loosenings: Vec<(RuleStepKind, Value, bool)> = Vec::new();
        let mut disables = false;
        for kind in &kinds {
            let mut found: Option<(Value, bool)> = None;
            for p in &points {
                let before = hist.fold(upto, *p);
                match *kind {
                    RuleStepKind::Level(l) => {
                        if before.level.is_requirement() && l.is_requirement() && l != before.level
                        {
                            return Err(ctx.err(
                                &path,
                                Kind::Conflict,
                                format!(
                                    "`{}` cannot become `{}`: a requirement and a prohibition are different checks",
                                    before.level.as_str(),
                                    l.as_str()
                                ),
                            ));
                        }
                        if rank(l) < rank(before.level) {
                            found = Some((Value::String(before.level.as_str().into()), true));
                        }
                    }
                    RuleStepKind::Disabled(true) => {
                        if before.disabled.is_none() {
                            disables = true;
                            found = Some((Value::Bool(false), before.level.is_requirement()));
                        }
                    }
                    RuleStepKind::Disabled(false) => {}
                    RuleStepKind::Waivable(w) => {
                        if w && !before.waivable {
                            found = Some((Value::Bool(false), true));
                        }
                    }
                }
                if found.as_ref().is_some_and(|f| f.1) {
                    break;
                }
            }
            if let Some((from, needs)) = found {
                loosenings.push((*kind, from, needs));
            }
        }
        let justification = change
            .justification
            .clone()
            .filter(|j| !j.trim().is_empty())
            .or_else(|| change.derogation.as_ref().map(|d| d.justification.clone()));
        if disables && justification.as_deref().is_none_or(|j| j.trim().is_empty()) {
            return Err(ctx.err(
                &path,
                Kind::MissingJustification,
                "disabling a rule needs a `justification` (it is shown in every report)",
            ));
        }
        let needs = loosenings.iter().find(|l| l.2);
        match (needs, &change.derogation) {
            (Some((kind, from, _)), None) => {
                let what = match kind {
                    RuleStepKind::Level(l) => format!(
                        "`{}` → `{}` loosens the rule",
                        from.as_str().unwrap_or_default(),
                        l.as_str()
                    ),
                    RuleStepKind::Disabled(_) => {
                        "disabling a requirement (shall / shall-not) loosens the standard".into()
                    }
                    RuleStepKind::Waivable(_) => {
                        "making a non-waivable rule waivable loosens it".into()
                    }
                };
                return Err(ctx.err(&path, Kind::Loosens, format!("{what}; {DEROGATION_HINT}")));
            }
            (None, Some(_)) if loosenings.is_empty() => {
                return Err(ctx.err(
                    &path,
                    Kind::NotLoosening,
                    "is declared a derogation but loosens nothing: remove `derogation`",
                ));
            }
            _ => {}
        }
        if let Some(d) = &change.derogation {
            check_derogation(ctx, &path, d)?;
            for (kind, from, _) in &loosenings {
                self.derogations.push((
                    DerogationEntry {
                        by: by.clone(),
                        target: "rule".into(),
                        id: id.to_owned(),
                        category: None,
                        change: kind.name().to_owned(),
                        from: from.clone(),
                        to: kind.value(),
                        justification: d.justification.clone(),
                        document: d.document.clone(),
                        in_effect: false,
                    },
                    window,
                ));
            }
        }
        if let Some(hist) = self.rules.get_mut(id) {
            for kind in kinds {
                hist.steps.push(RuleStep {
                    change: kind,
                    by: by.clone(),
                    justification: justification.clone(),
                    derogation: change.derogation.clone(),
                    window,
                });
            }
        }
        Ok(())
    }
}

/// A calendar names the year of every date it lists, so its coverage is known.
fn covered(ctx: &Ctx<'_>, path: &[&str], value: &ParamValue) -> Result<(), PackError> {
    let ParamValue::Calendar(c) = value else {
        return Ok(());
    };
    if c.file.is_some() {
        return Err(ctx.err(
            path,
            Kind::WrongType,
            "the calendar file was not read: read packs with `Pack::from_dir` or `Pack::embedded`",
        ));
    }
    match c.uncovered_date() {
        Some(d) => Err(ctx.err(
            path,
            Kind::OutOfRange,
            format!(
                "`{d}` is of {0}, a year the calendar does not cover: add `[years.{0}]` with the notice that fixes its dates",
                chrono::Datelike::year(&d)
            ),
        )),
        None => Ok(()),
    }
}

/// Values a unit allows: a share lies in [0, 1], every other quantity is not negative.
fn in_range(
    ctx: &Ctx<'_>,
    path: &[&str],
    unit: Option<&str>,
    value: &ParamValue,
    written: &ParamValue,
) -> Result<(), PackError> {
    let Some(n) = (match value {
        ParamValue::Int(_) | ParamValue::Decimal(_) => number(value),
        _ => None,
    }) else {
        return Ok(());
    };
    let (ok, expected) = if unit == Some("share") {
        (
            n >= Decimal::ZERO && n <= Decimal::ONE,
            "a share between 0 and 1 (write 60 % as 0.6)",
        )
    } else {
        (n >= Decimal::ZERO, "not negative")
    };
    if ok {
        Ok(())
    } else {
        Err(ctx.err(
            path,
            Kind::OutOfRange,
            format!("`{}` is out of range: expected {expected}", show(written)),
        ))
    }
}

#[cfg(test)]
mod tests;
