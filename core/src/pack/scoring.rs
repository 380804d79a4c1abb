//! The scoring model as a layer: validated wherever it is declared, and judged for
//! loosening when a later layer replaces it (like `set_params`). What is stricter for each
//! key is documented in `docs/policy-authoring.md` (*Scoring*):
//!
//! - `grades`: the same grades in the same order, each `min` equal or higher;
//! - `shall_failure_cap`: the same grade or a lower one;
//! - `veto_rules`: the same rules or more;
//! - `veto_incident_months`: the same window or a longer one;
//! - `dimensions`, `level_weights`: no order (moving weight favours some communities over
//!   others), so every change is a derogation;
//! - `origin`: says where the values come from, changes nothing.

use serde_json::{Value, json};

use super::error::{OverlayError, OverlayErrorKind as Kind};
use super::{BuildError, Derogation, Dimension, Pack, Scoring};

/// The levels a rule weight is given for by `level_weights` (`may` is never scored).
pub const LEVELS: [&str; 3] = ["shall", "shall-not", "should"];

/// The range of a level or rule weight: enough for any sane model, far from overflow.
pub const WEIGHT_RANGE: std::ops::RangeInclusive<u32> = 1..=1000;

/// The longest veto window, in months.
const VETO_MONTHS_MAX: u32 = 120;

impl Scoring {
    /// What is wrong with the model, as `(key, message)`: bands not sorted highest first or
    /// not finite within 0–100, no grade, a duplicate grade, a cap that is no grade, a
    /// dimension that is not one of the five chapters or weighs 0, dimension weights not
    /// adding up to 100, a level weight outside [`WEIGHT_RANGE`], a veto window outside
    /// 1–120 months. Empty when the model is sound. (That every rule's dimension and level
    /// has a weight is checked when the engine is built, against the rules.)
    #[must_use]
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.grades.is_empty() {
            out.push((
                "grades",
                "the grade list is empty: give at least one band".into(),
            ));
        }
        for (i, g) in self.grades.iter().enumerate() {
            if !g.min.is_finite() || !(0.0..=100.0).contains(&g.min) {
                out.push((
                    "grades",
                    format!(
                        "grade `{}` has `min = {}`: expected a finite score from 0 to 100",
                        g.grade, g.min
                    ),
                ));
            }
            if self.grades.iter().take(i).any(|h| h.grade == g.grade) {
                out.push(("grades", format!("grade `{}` is listed twice", g.grade)));
            }
            if let Some(prev) = i.checked_sub(1).and_then(|p| self.grades.get(p))
                && g.min.partial_cmp(&prev.min) != Some(std::cmp::Ordering::Less)
            {
                out.push((
                    "grades",
                    format!(
                        "grade `{}` (min {}) follows `{}` (min {}): list the bands highest first, each lower than the one before",
                        g.grade, g.min, prev.grade, prev.min
                    ),
                ));
            }
        }
        if !self
            .grades
            .iter()
            .any(|g| g.grade == self.shall_failure_cap)
        {
            out.push((
                "shall_failure_cap",
                format!(
                    "`{}` is not one of the grades ({})",
                    self.shall_failure_cap,
                    self.grade_list()
                ),
            ));
        }
        out.extend(self.dimension_problems());
        for level in LEVELS {
            match self.level_weights.get(level) {
                Some(w) if !WEIGHT_RANGE.contains(w) => out.push((
                    "level_weights",
                    format!(
                        "`{level} = {w}` is out of range: expected {} to {}",
                        WEIGHT_RANGE.start(),
                        WEIGHT_RANGE.end()
                    ),
                )),
                _ => {}
            }
        }
        for key in self.level_weights.keys() {
            if !LEVELS.contains(&key.as_str()) && key != "may" {
                out.push((
                    "level_weights",
                    format!("`{key}` is not a level (shall, shall-not, should)"),
                ));
            }
        }
        if !(1..=VETO_MONTHS_MAX).contains(&self.veto_incident_months) {
            out.push((
                "veto_incident_months",
                format!(
                    "`{}` is out of range: expected 1 to {VETO_MONTHS_MAX} months",
                    self.veto_incident_months
                ),
            ));
        }
        out
    }

    fn dimension_problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let known: Vec<&str> = Dimension::ALL.iter().map(|d| d.as_str()).collect();
        for key in self.dimensions.keys() {
            if !known.contains(&key.as_str()) {
                let near = crate::suggest::closest(key, known.iter().copied())
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                out.push((
                    "dimensions",
                    format!("`{key}` is not a dimension ({}){near}", known.join(", ")),
                ));
            }
        }
        for (d, w) in &self.dimensions {
            if *w == 0 {
                out.push((
                    "dimensions",
                    format!("`{d} = 0`: a chapter without weight drops out of the score"),
                ));
            }
        }
        let sum = self
            .dimensions
            .values()
            .try_fold(0_u32, |acc, w| acc.checked_add(*w));
        if sum != Some(100) {
            out.push((
                "dimensions",
                format!(
                    "the weights add up to {}, not 100",
                    sum.map_or_else(|| "more than 4294967295".to_owned(), |s| s.to_string())
                ),
            ));
        }
        out
    }

    fn grade_list(&self) -> String {
        self.grades
            .iter()
            .map(|g| g.grade.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn rank(&self, grade: &str) -> Option<usize> {
        self.grades.iter().position(|g| g.grade == grade)
    }
}

/// One loosening of the scoring model: the key, the values before and after, and why.
pub(crate) struct Loosening {
    pub key: &'static str,
    pub from: Value,
    pub to: Value,
    pub why: String,
}

/// What `new` loosens of `old`, key by key (see the module documentation).
pub(crate) fn loosenings(old: &Scoring, new: &Scoring) -> Vec<Loosening> {
    let mut out = Vec::new();
    let mut push = |key, from: Value, to: Value, why: String| {
        out.push(Loosening { key, from, to, why });
    };
    if old.dimensions != new.dimensions {
        push(
            "dimensions",
            json!(old.dimensions),
            json!(new.dimensions),
            "dimension weights have no stricter side: any change favours some communities".into(),
        );
    }
    if old.level_weights != new.level_weights {
        push(
            "level_weights",
            json!(old.level_weights),
            json!(new.level_weights),
            "level weights have no stricter side: any change favours some communities".into(),
        );
    }
    let ids = |s: &Scoring| s.grades.iter().map(|g| g.grade.clone()).collect::<Vec<_>>();
    let bands = |s: &Scoring| {
        s.grades
            .iter()
            .map(|g| (g.grade.clone(), g.min))
            .collect::<Vec<_>>()
    };
    if ids(old) != ids(new) {
        push(
            "grades",
            json!(ids(old)),
            json!(ids(new)),
            "adding, removing or reordering grades changes what each grade means".into(),
        );
    } else if let Some((o, n)) = old
        .grades
        .iter()
        .zip(&new.grades)
        .find(|(o, n)| n.min.partial_cmp(&o.min) == Some(std::cmp::Ordering::Less))
    {
        push(
            "grades",
            json!(bands(old)),
            json!(bands(new)),
            format!(
                "grade `{}` from {} instead of {}: a lower threshold loosens a band",
                n.grade, n.min, o.min
            ),
        );
    }
    if let (Some(o), Some(n)) = (
        new.rank(&old.shall_failure_cap),
        new.rank(&new.shall_failure_cap),
    ) && n < o
    {
        push(
            "shall_failure_cap",
            json!(old.shall_failure_cap),
            json!(new.shall_failure_cap),
            "a better grade as the cap loosens it".into(),
        );
    }
    let dropped: Vec<&String> = old
        .veto_rules
        .iter()
        .filter(|r| !new.veto_rules.contains(r))
        .collect();
    if !dropped.is_empty() {
        push(
            "veto_rules",
            json!(old.veto_rules),
            json!(new.veto_rules),
            format!(
                "removing veto rules ({}) loosens the veto",
                dropped
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    if new.veto_incident_months < old.veto_incident_months {
        push(
            "veto_incident_months",
            json!(old.veto_incident_months),
            json!(new.veto_incident_months),
            "a shorter window loosens the incident veto".into(),
        );
    }
    out
}

/// The manifest file of `pack` and an error at `[scoring]` key `key`.
pub(crate) fn error(pack: &Pack, key: &str, kind: Kind, message: String) -> BuildError {
    let m = &pack.manifest;
    let pos = m
        .locations
        .get(&["scoring", key])
        .or_else(|| m.locations.get(&["scoring"]));
    BuildError::Overlay(OverlayError::new(
        format!("{}/pack.toml", pack.source),
        pos,
        format!("scoring.{key}"),
        kind,
        message,
    ))
}

/// Checks `pack`'s `[scoring]` (when it has one) and judges it against `below`, the model
/// in force under it. Returns the loosenings it declares as a derogation.
///
/// # Errors
/// An unsound model, a loosening without a derogation, a derogation that loosens nothing or
/// lacks its justification or document.
pub(crate) fn judge(
    pack: &Pack,
    below: Option<&Scoring>,
) -> Result<Vec<(Loosening, Derogation)>, BuildError> {
    let Some(new) = &pack.manifest.scoring else {
        return Ok(Vec::new());
    };
    if let Some((key, message)) = new.problems().into_iter().next() {
        return Err(error(pack, key, Kind::Scoring, message));
    }
    // A standard-layer pack is a model of its own, not a change of the one below.
    let below = below.filter(|_| pack.manifest.layer != super::Layer::Standard);
    let found = below.map(|old| loosenings(old, new)).unwrap_or_default();
    match (found.first(), &new.derogation) {
        (Some(l), None) => Err(error(
            pack,
            l.key,
            Kind::Loosens,
            format!(
                "`{}` loosens `{}` ({}); declare it a derogation: `derogation = {{ justification = \"…\", document = \"…\" }}` in `[scoring]`",
                l.to, l.from, l.why
            ),
        )),
        (None, Some(_)) => Err(error(
            pack,
            "derogation",
            Kind::NotLoosening,
            "is declared a derogation but the scoring model loosens nothing: remove `derogation`"
                .into(),
        )),
        (Some(_), Some(d)) => {
            if d.justification.trim().is_empty() || d.document.trim().is_empty() {
                return Err(error(
                    pack,
                    "derogation",
                    Kind::MissingJustification,
                    "a derogation needs a non-empty `justification` and `document`".into(),
                ));
            }
            Ok(found.into_iter().map(|l| (l, d.clone())).collect())
        }
        (None, None) => Ok(Vec::new()),
    }
}
