//! Rules, parameters and categories declared outside the packs, by native plugins.

use super::context::foreign;
use super::history::{CategoryHistory, Layering, ParamHistory, ParamStep, RuleHistory};
use super::judge::{loosened, number, show, typed, why};
use super::window::Window;
use crate::facts::Decimal;
use crate::pack::changes::Stricter;
use crate::pack::{BuildError, Level, Origin, PackError, ParamValue, Text};
use crate::types::PackRef;

impl Layering {
    /// Records a rule that comes from outside the packs (a native plugin), defined by
    /// `layer` (`<id>@<version>`).
    pub(crate) fn define_foreign_rule(
        &mut self,
        id: &str,
        layer: &PackRef,
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
        layer: &PackRef,
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
        set_params: impl IntoIterator<Item = (&'a String, &'a ParamValue, &'a PackRef)>,
    ) -> Result<(), BuildError> {
        if self.categories.contains_key(id) {
            return Ok(());
        }
        let refuse = |message: String| -> BuildError {
            PackError::Manifest {
                file: source.to_owned(),
                position: None,
                message: format!("category `{id}`: {message}"),
            }
            .into()
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
                    "{key}: `{}` loosens `{}` set by {} ({}); a plugin category may only tighten the standard",
                    show(&value),
                    show(&prev.value),
                    prev.by.pack_ref(),
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
                registered_by: registered_by.unwrap_or_else(|| foreign(&PackRef::parse(source))),
                source: source.to_owned(),
                steps: Vec::new(),
            },
        );
        Ok(())
    }
}
