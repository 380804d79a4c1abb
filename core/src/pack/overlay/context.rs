//! What one pack brings to each of its entries: the manifest file for errors, provenance,
//! and the effective window; and the checks every entry's value goes through.

use chrono::NaiveDate;

use super::judge::{number, show};
use super::window::Window;
use crate::facts::Decimal;
use crate::pack::changes::Derogation;
use crate::pack::error::{OverlayError, OverlayErrorKind as Kind};
use crate::pack::{BuildError, Layer, Manifest, Pack, ParamValue};
use crate::types::{PackRef, Provenance};

/// What one pack brings to every entry: provenance and effective window.
pub(super) struct Ctx<'a> {
    pub(super) manifest: &'a Manifest,
    pub(super) file: String,
    pub(super) window: Window,
    pub(super) index: usize,
}

impl<'a> Ctx<'a> {
    /// The context of `pack`, the `index`-th layer.
    pub(super) fn of(pack: &'a Pack, index: usize) -> Result<Self, BuildError> {
        Ok(Self {
            manifest: &pack.manifest,
            file: manifest_file(pack),
            window: pack_window(pack)?,
            index,
        })
    }

    pub(super) fn err(&self, path: &[&str], kind: Kind, message: impl Into<String>) -> BuildError {
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
        BuildError::Overlay(OverlayError::new(
            self.file.clone(),
            self.manifest.locations.get(path),
            entry,
            kind,
            message,
        ))
    }

    pub(super) fn provenance(&self, document: Option<&String>, window: Window) -> Provenance {
        let m = self.manifest;
        Provenance {
            pack: m.id.clone(),
            version: m.version.to_string(),
            layer: m.layer,
            document: Some(
                document
                    .map_or_else(|| m.document_or_edition(), String::as_str)
                    .to_owned(),
            ),
            effective_from: window.from,
            effective_until: window.until,
        }
    }

    /// The entry's window: its own dates within the pack's.
    pub(super) fn window(
        &self,
        path: &[&str],
        from: Option<NaiveDate>,
        until: Option<NaiveDate>,
    ) -> Result<Window, BuildError> {
        let own = Window { from, until };
        if own.is_empty() {
            return Err(self.err(
                path,
                Kind::Dates,
                format!(
                    "`effective_until` {} is before `effective_from` {}",
                    Window::text(until).unwrap_or_default(),
                    Window::text(from).unwrap_or_default()
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
pub(crate) fn foreign(layer: &PackRef) -> Provenance {
    Provenance {
        pack: layer.id.clone(),
        version: layer.version.clone(),
        layer: Layer::Plugin,
        ..Provenance::default()
    }
}

pub(super) fn manifest_file(pack: &Pack) -> String {
    format!("{}/pack.toml", pack.source)
}

pub(crate) fn pack_window(pack: &Pack) -> Result<Window, BuildError> {
    let m = &pack.manifest;
    let w = Window {
        from: m.effective_from,
        until: m.effective_until,
    };
    if w.is_empty() {
        return Err(BuildError::Overlay(OverlayError::new(
            manifest_file(pack),
            m.locations.get(&["effective_until"]),
            "effective_until",
            Kind::Dates,
            "the pack's `effective_until` is before its `effective_from`",
        )));
    }
    Ok(w)
}

pub(super) fn check_derogation(
    ctx: &Ctx<'_>,
    path: &[&str],
    d: &Derogation,
) -> Result<(), BuildError> {
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

/// A calendar names the year of every date it lists, so its coverage is known.
pub(super) fn covered(ctx: &Ctx<'_>, path: &[&str], value: &ParamValue) -> Result<(), BuildError> {
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
pub(super) fn in_range(
    ctx: &Ctx<'_>,
    path: &[&str],
    unit: Option<&str>,
    value: &ParamValue,
    written: &ParamValue,
) -> Result<(), BuildError> {
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
