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

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value, json};

use super::error::{OverlayError, OverlayErrorKind as Kind};
use super::{BuildError, Derogation, Dimension, Pack, Scoring};
use crate::types::{Grade, RuleId, Text};

/// The levels a rule weight is given for by `level_weights` (`may` is never scored).
pub const LEVELS: [&str; 3] = ["shall", "shall-not", "should"];

/// The range of a level or rule weight: enough for any sane model, far from overflow.
pub const WEIGHT_RANGE: std::ops::RangeInclusive<u32> = 1..=1000;

/// The longest veto window, in months.
const VETO_MONTHS_MAX: u32 = 120;

/// A grade band of the scoring model in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "GradeBandInfo")]
#[non_exhaustive]
pub struct GradeBand {
    /// Grade id, e.g. `excellent`.
    pub grade: Grade,
    /// Lowest score that earns it (inclusive).
    pub min: f64,
    /// Name in both languages.
    pub name: Text,
}

impl GradeBand {
    /// The band of `grade`, from score `min` (inclusive), named `name`.
    #[must_use]
    pub fn new(grade: impl Into<Grade>, min: f64, name: Text) -> Self {
        Self {
            grade: grade.into(),
            min,
            name,
        }
    }
}

/// A band as `pack.toml` spells it: no other key (a report read back is not so strict).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StrictBand {
    grade: Grade,
    min: f64,
    name: Text,
}

/// Reads `[[scoring.grades]]`, refusing unknown keys in a band.
pub(super) fn strict_bands<'de, D: Deserializer<'de>>(d: D) -> Result<GradeScale, D::Error> {
    let bands = Vec::<StrictBand>::deserialize(d)?;
    Ok(GradeScale::new(
        bands
            .into_iter()
            .map(|b| GradeBand::new(b.grade, b.min, b.name))
            .collect(),
    ))
}

/// The grade bands of a scoring model, best first: sorted once, by their lowest score
/// (whatever the order the pack wrote them in), so that every reader agrees on the band a
/// score earns and on which grade is above another. The order as written is kept apart for
/// the checks of a pack's model ([`Scoring::problems`] wants it best first already) and
/// for writing it back. In JSON, the list of bands as written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GradeScale {
    /// Best first.
    bands: Vec<GradeBand>,
    /// For each band as written, its index in `bands`.
    written: Vec<usize>,
}

impl GradeScale {
    /// The scale of `bands`, in any order.
    #[must_use]
    pub fn new(bands: Vec<GradeBand>) -> Self {
        let mut order: Vec<usize> = (0..bands.len()).collect();
        // Stable: bands of one lowest score keep the pack's order.
        order.sort_by(|&a, &b| match (bands.get(a), bands.get(b)) {
            (Some(x), Some(y)) => y.min.total_cmp(&x.min),
            _ => a.cmp(&b),
        });
        let mut written = vec![0; bands.len()];
        for (sorted, &w) in order.iter().enumerate() {
            if let Some(slot) = written.get_mut(w) {
                *slot = sorted;
            }
        }
        let mut slots: Vec<Option<GradeBand>> = bands.into_iter().map(Some).collect();
        let bands = order
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
            .collect();
        Self { bands, written }
    }

    /// The bands, best first.
    #[must_use]
    pub fn bands(&self) -> &[GradeBand] {
        &self.bands
    }

    /// The bands in the order they were written.
    pub fn as_written(&self) -> impl Iterator<Item = &GradeBand> {
        self.written.iter().filter_map(|&i| self.bands.get(i))
    }

    /// Whether the scale has no band.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bands.is_empty()
    }

    /// The band a score earns: the best band whose lowest score it reaches (the lowest
    /// band when it reaches none); `None` only for a scale without bands.
    #[must_use]
    pub fn band_of(&self, score: f64) -> Option<&GradeBand> {
        self.bands
            .iter()
            .find(|g| score >= g.min)
            .or_else(|| self.bands.last())
    }

    /// The position of `grade` among the bands, best first (0 is the best); unknown grades
    /// rank last.
    #[must_use]
    pub fn rank(&self, grade: &str) -> usize {
        self.bands
            .iter()
            .position(|g| g.grade == grade)
            .unwrap_or(usize::MAX)
    }

    /// The lowest band.
    #[must_use]
    pub fn lowest(&self) -> Option<&GradeBand> {
        self.bands.last()
    }

    /// The band of `grade`.
    #[must_use]
    pub fn get(&self, grade: &str) -> Option<&GradeBand> {
        self.bands.iter().find(|g| g.grade == grade)
    }
}

impl From<Vec<GradeBand>> for GradeScale {
    fn from(bands: Vec<GradeBand>) -> Self {
        Self::new(bands)
    }
}

impl Serialize for GradeScale {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.as_written())
    }
}

impl<'de> Deserialize<'de> for GradeScale {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::deserialize(d).map(Self::new)
    }
}

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
        let written: Vec<&GradeBand> = self.grades.as_written().collect();
        for (i, g) in written.iter().enumerate() {
            if !g.min.is_finite() || !(0.0..=100.0).contains(&g.min) {
                out.push((
                    "grades",
                    format!(
                        "grade `{}` has `min = {}`: expected a finite score from 0 to 100",
                        g.grade, g.min
                    ),
                ));
            }
            if written.iter().take(i).any(|h| h.grade == g.grade) {
                out.push(("grades", format!("grade `{}` is listed twice", g.grade)));
            }
            if let Some(prev) = i.checked_sub(1).and_then(|p| written.get(p))
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
        if self.grades.get(&self.shall_failure_cap).is_none() {
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
            .as_written()
            .map(|g| g.grade.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn rank(&self, grade: &str) -> Option<usize> {
        self.grades.as_written().position(|g| g.grade == grade)
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
    let ids = |s: &Scoring| {
        s.grades
            .as_written()
            .map(|g| g.grade.clone())
            .collect::<Vec<_>>()
    };
    let bands = |s: &Scoring| {
        s.grades
            .as_written()
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
        .as_written()
        .zip(new.grades.as_written())
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
    let dropped: Vec<&RuleId> = old
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

#[cfg(test)]
mod tests {
    use super::{GradeBand, GradeScale};
    use crate::pack::Scoring;
    use crate::types::Text;

    fn band(grade: &str, min: f64) -> GradeBand {
        GradeBand::new(grade, min, Text::default())
    }

    fn grades(names: impl Iterator<Item = String>) -> Vec<String> {
        names.collect()
    }

    #[test]
    fn a_scale_is_sorted_once_and_keeps_the_order_written() {
        let s = GradeScale::new(vec![band("low", 0.0), band("top", 90.0), band("mid", 60.0)]);
        let best_first = grades(s.bands().iter().map(|b| b.grade.to_string()));
        assert_eq!(best_first, ["top", "mid", "low"]);
        let written = grades(s.as_written().map(|b| b.grade.to_string()));
        assert_eq!(written, ["low", "top", "mid"]);
        assert_eq!(s.rank("mid"), 1);
        assert_eq!(s.band_of(59.99).map(|b| b.grade.as_str()), Some("low"));
        assert_eq!(s.lowest().map(|b| b.grade.as_str()), Some("low"));
        // Written back as it was written: a pack's model reads back the same.
        let json = serde_json::to_value(&s).unwrap_or_default();
        assert_eq!(json[0]["grade"], "low");
        assert_eq!(serde_json::from_value::<GradeScale>(json).ok(), Some(s));
    }

    const SCORING: &str = r#"
dimensions = { general = 100 }
level_weights = { shall = 3, shall-not = 3, should = 1 }
veto_incident_months = 12
shall_failure_cap = "low"
[[grades]]
grade = "low"
min = 0.0
name = { zh = "低", en = "low" }
[[grades]]
grade = "top"
min = 90.0
name = { zh = "高", en = "top" }
"#;

    #[test]
    fn the_bands_are_checked_in_the_order_the_pack_wrote_them() {
        let s: Scoring = toml::from_str(SCORING).unwrap_or_default();
        assert_eq!(s.grades.bands().len(), 2, "parsed");
        let problems = s.problems();
        assert!(
            problems
                .iter()
                .any(|(k, m)| *k == "grades" && m.contains("`top` (min 90) follows `low` (min 0)")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_band_with_an_unknown_key_is_refused_in_pack_toml_only() {
        let text = SCORING.replace("min = 90.0", "min = 90.0\ncolour = \"red\"");
        let e = toml::from_str::<Scoring>(&text)
            .err()
            .map(|e| e.to_string());
        assert!(
            e.as_deref()
                .is_some_and(|e| e.contains("unknown field `colour`")),
            "{e:?}"
        );
        // A report read back is not so strict: the schema does not forbid other keys.
        let json = serde_json::json!({"grade": "top", "min": 90.0,
            "name": {"zh": "高", "en": "top"}, "colour": "red"});
        assert!(serde_json::from_value::<GradeBand>(json).is_ok());
    }
}
