//! Resolution of declarations, parameter changes and categories, layer by layer.

use super::context::{Ctx, check_derogation, covered, in_range};
use super::history::{CategoryHistory, CategoryStep, Layering, ParamHistory, ParamStep};
use super::judge::{DEROGATION_HINT, loosened, number, show, typed, why};
use super::window::{Point, Window};
use crate::pack::changes::{CategoryChange, ParamChange, Stricter};
use crate::pack::error::OverlayErrorKind as Kind;
use crate::pack::{BuildError, Layer, Pack, ParamValue, Text};
use crate::types::{ChangeKind, DerogationEntry, DerogationTarget, Provenance};

impl Layering {
    /// Declarations, parameter changes and categories of every pack, in layer order.
    pub(crate) fn resolve(packs: &[Pack]) -> Result<Self, BuildError> {
        let mut l = Self::default();
        for (index, pack) in packs.iter().enumerate() {
            let ctx = Ctx::of(pack, index)?;
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

    pub(super) fn declare(&mut self, pack: &Pack, ctx: &Ctx<'_>) -> Result<(), BuildError> {
        let m = &pack.manifest;
        for (name, def) in &m.params {
            if let Some(first) = self.params.get(name) {
                return Err(BuildError::Duplicate {
                    what: "parameter",
                    id: name.clone(),
                    file: pack.source.clone(),
                    first: first
                        .steps
                        .first()
                        .map(|s| s.by.pack_ref())
                        .unwrap_or_default()
                        .to_string(),
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

    pub(super) fn register(
        &mut self,
        ctx: &Ctx<'_>,
        pack: &Pack,
        id: &str,
        name: &Text,
        spaces: &[String],
    ) -> Result<(), BuildError> {
        if let Some(first) = self.categories.get(id) {
            return Err(BuildError::Duplicate {
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

    pub(super) fn change_param(
        &mut self,
        ctx: &Ctx<'_>,
        path: &[&str],
        name: &str,
        change: &ParamChange,
        scope: Option<&str>,
    ) -> Result<(), BuildError> {
        let Some(hist) = self.params.get(name) else {
            let near = crate::suggest::closest(name, self.params.keys())
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
        let value = changed_value(ctx, path, hist, change, scope)?;
        let window = ctx.window(path, change.effective_from, change.effective_until)?;
        let by = ctx.provenance(change.document.as_ref(), window);
        let loose = loosened(&hist.steps, hist.stricter, &value, scope, window);
        match (loose, &change.derogation) {
            (Some(prev), None) => {
                return Err(ctx.err(
                    path,
                    Kind::Loosens,
                    format!(
                        "`{}` loosens `{}` set by {}{} ({}); {DEROGATION_HINT}",
                        show(&value),
                        show(&prev.value),
                        prev.by.pack_ref(),
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
                        target: DerogationTarget::Parameter,
                        id: name.to_owned(),
                        category: scope.map(str::to_owned),
                        change: ChangeKind::Value,
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

    pub(super) fn change_category(
        &mut self,
        ctx: &Ctx<'_>,
        pack: &Pack,
        id: &str,
        change: &CategoryChange,
    ) -> Result<(), BuildError> {
        let path = ["categories", id];
        let window = ctx.window(&path, change.effective_from, change.effective_until)?;
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
        } else {
            self.change_spaces(ctx, id, change, window, &by)?;
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

    /// A change of a registered category's name or spaces; removing a space loosens it.
    fn change_spaces(
        &mut self,
        ctx: &Ctx<'_>,
        id: &str,
        change: &CategoryChange,
        window: Window,
        by: &Provenance,
    ) -> Result<(), BuildError> {
        let path = ["categories", id];
        let Some(hist) = self.categories.get(id) else {
            return Ok(());
        };
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
                        target: DerogationTarget::Category,
                        id: id.to_owned(),
                        category: Some(id.to_owned()),
                        change: ChangeKind::Spaces,
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
        Ok(())
    }
}

/// The value a parameter change sets, as a value of the declared kind, in the declared
/// unit, in range and (for a calendar) covering its years.
fn changed_value(
    ctx: &Ctx<'_>,
    path: &[&str],
    hist: &ParamHistory,
    change: &ParamChange,
    scope: Option<&str>,
) -> Result<ParamValue, BuildError> {
    let name = hist.name.as_str();
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
                Some(ParamValue::Calendar(base)) => ParamValue::Calendar(Box::new(base.with(add))),
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
    Ok(value)
}
