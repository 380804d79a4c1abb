//! Rules: their definitions, and the changes later layers make to them.

use serde_json::Value;

use super::context::{Ctx, check_derogation, manifest_file, pack_window};
use super::history::{Layering, RuleHistory, RuleStep, RuleStepKind};
use super::judge::DEROGATION_HINT;
use super::window::{Point, Window};
use crate::pack::changes::RuleChange;
use crate::pack::error::OverlayErrorKind as Kind;
use crate::pack::{BuildError, Level, Pack};
use crate::types::{DerogationEntry, DerogationTarget};

impl Layering {
    /// Records a rule defined by pack `index` (its metadata read from the script).
    pub(crate) fn define_rule(
        &mut self,
        pack: &Pack,
        index: usize,
        id: &str,
        level: Level,
        waivable: bool,
        own: Window,
    ) -> Result<Window, BuildError> {
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

    /// The `[rules."<id>"]` changes of every pack, in layer order.
    pub(crate) fn change_rules(&mut self, packs: &[Pack]) -> Result<(), BuildError> {
        for (index, pack) in packs.iter().enumerate() {
            let ctx = Ctx::of(pack, index)?;
            for (id, change) in &pack.manifest.rule_changes {
                self.change_rule(&ctx, packs, id, change)?;
            }
        }
        Ok(())
    }

    pub(super) fn change_rule(
        &mut self,
        ctx: &Ctx<'_>,
        packs: &[Pack],
        id: &str,
        change: &RuleChange,
    ) -> Result<(), BuildError> {
        let path = ["rules", id];
        let hist = self.rule_below(ctx, packs, id)?;
        let kinds = step_kinds(ctx, &path, change)?;
        let window = ctx.window(&path, change.effective_from, change.effective_until)?;
        let by = ctx.provenance(change.document.as_ref(), window);
        let (loosenings, disables) = loosenings(ctx, &path, hist, &kinds, window)?;
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
        declared_as_needed(ctx, &path, &loosenings, change.derogation.is_some())?;
        if let Some(d) = &change.derogation {
            check_derogation(ctx, &path, d)?;
            for l in &loosenings {
                self.derogations.push((
                    DerogationEntry {
                        by: by.clone(),
                        target: DerogationTarget::Rule,
                        id: id.to_owned(),
                        category: None,
                        change: l.kind.kind(),
                        from: l.from.clone(),
                        to: l.kind.value(),
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

    /// The history of rule `id`, which a pack below the one of `ctx` must define.
    fn rule_below(
        &self,
        ctx: &Ctx<'_>,
        packs: &[Pack],
        id: &str,
    ) -> Result<&RuleHistory, BuildError> {
        let path = ["rules", id];
        let Some(hist) = self.rules.get(id) else {
            let near = crate::suggest::closest(id, self.rules.keys())
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
        Ok(hist)
    }
}

/// One way a rule change loosens the rule below it.
struct Loosening {
    kind: RuleStepKind,
    /// The value below (level, or `false` for disabled / waivable).
    from: Value,
    /// Whether it needs a derogation (enabling what was optional does not).
    needs: bool,
}

/// The steps a `[rules."<id>"]` entry takes; it must take at least one, and not both
/// disable the rule and give it a level.
fn step_kinds(
    ctx: &Ctx<'_>,
    path: &[&str],
    change: &RuleChange,
) -> Result<Vec<RuleStepKind>, BuildError> {
    if change.disabled == Some(true) && change.level.is_some() {
        return Err(ctx.err(
            path,
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
            path,
            Kind::Conflict,
            "changes nothing: give `level`, `disabled` or `waivable`",
        ));
    }
    Ok(kinds)
}

/// How each step loosens the rule below, judged at every moment within `window` at which
/// the rule below can change, and whether a step disables the rule where it was enabled.
fn loosenings(
    ctx: &Ctx<'_>,
    path: &[&str],
    hist: &RuleHistory,
    kinds: &[RuleStepKind],
    window: Window,
) -> Result<(Vec<Loosening>, bool), BuildError> {
    let rank = Level::strength;
    let mut points: Vec<Point> = vec![window.from];
    points.extend(hist.steps.iter().flat_map(|s| s.window.breakpoints()));
    points.retain(|p| window.at(*p));
    let upto = hist.steps.len();
    let mut loosenings = Vec::new();
    let mut disables = false;
    for kind in kinds {
        let mut found: Option<(Value, bool)> = None;
        for p in &points {
            let before = hist.fold(upto, *p);
            match *kind {
                RuleStepKind::Level(l) => {
                    if before.level.is_requirement() && l.is_requirement() && l != before.level {
                        return Err(ctx.err(
                            path,
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
            loosenings.push(Loosening {
                kind: *kind,
                from,
                needs,
            });
        }
    }
    Ok((loosenings, disables))
}

/// A loosening that needs a derogation must declare one, and a derogation must loosen.
fn declared_as_needed(
    ctx: &Ctx<'_>,
    path: &[&str],
    loosenings: &[Loosening],
    declared: bool,
) -> Result<(), BuildError> {
    match (loosenings.iter().find(|l| l.needs), declared) {
        (Some(l), false) => {
            let what = match l.kind {
                RuleStepKind::Level(to) => format!(
                    "`{}` → `{}` loosens the rule",
                    l.from.as_str().unwrap_or_default(),
                    to.as_str()
                ),
                RuleStepKind::Disabled(_) => {
                    "disabling a requirement (shall / shall-not) loosens the standard".into()
                }
                RuleStepKind::Waivable(_) => {
                    "making a non-waivable rule waivable loosens it".into()
                }
            };
            Err(ctx.err(path, Kind::Loosens, format!("{what}; {DEROGATION_HINT}")))
        }
        (None, true) if loosenings.is_empty() => Err(ctx.err(
            path,
            Kind::NotLoosening,
            "is declared a derogation but loosens nothing: remove `derogation`",
        )),
        _ => Ok(()),
    }
}
