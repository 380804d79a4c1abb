//! A native plugin's category parameters are judged like a category pack's `set_params`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use chrono::NaiveDate;

use super::{Layering, order};
use crate::facts::Decimal;
use crate::pack::{BuildError, Pack, ParamValue, Text};
use crate::types::PackRef;

fn standard() -> Layering {
    let packs = order(Pack::embedded().unwrap()).unwrap();
    Layering::resolve(&packs).unwrap()
}

fn adopt(l: &mut Layering, name: &str, value: ParamValue) -> Result<(), BuildError> {
    let layer = PackRef::new("bio", "1.0.0");
    let name = name.to_owned();
    l.adopt_category(
        "biomedical",
        &Text::default(),
        &[],
        "/plugins/libbio.so",
        [(&name, &value, &layer)],
    )
}

fn message(r: Result<(), BuildError>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn a_plugin_category_may_tighten_a_parameter() {
    let mut l = standard();
    adopt(&mut l, "premises_min_m2", ParamValue::Int(2000)).unwrap();
    let at = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let step = l.params["premises_min_m2"].at(at, &["biomedical"]).unwrap();
    assert_eq!(step.value, ParamValue::Int(2000));
    assert_eq!(step.category.as_deref(), Some("biomedical"));
    assert!(l.categories.contains_key("biomedical"));
}

#[test]
fn a_plugin_category_cannot_lower_a_minimum() {
    let mut l = standard();
    let m = message(adopt(&mut l, "premises_min_m2", ParamValue::Int(0)));
    assert!(m.contains("/plugins/libbio.so"), "{m}");
    assert!(m.contains("premises_min_m2"), "{m}");
    assert!(m.contains("loosens `1500`"), "{m}");
    assert!(!l.categories.contains_key("biomedical"));
}

#[test]
fn a_plugin_category_cannot_empty_a_required_list() {
    let mut l = standard();
    let m = message(adopt(
        &mut l,
        "required_spaces",
        ParamValue::List(Vec::new()),
    ));
    assert!(m.contains("required_spaces"), "{m}");
    assert!(m.contains("loosens"), "{m}");
}

#[test]
fn a_plugin_category_value_of_the_wrong_kind_is_refused() {
    let mut l = standard();
    let m = message(adopt(
        &mut l,
        "premises_min_m2",
        ParamValue::Text("lots".into()),
    ));
    assert!(m.contains("premises_min_m2"), "{m}");
    assert!(m.contains("a whole number"), "{m}");
    assert!(m.contains("`lots`"), "{m}");
}

#[test]
fn a_plugin_category_share_above_one_is_refused() {
    let mut l = standard();
    let m = message(adopt(
        &mut l,
        "activity_share_min",
        ParamValue::Decimal(Decimal::from(2)),
    ));
    assert!(m.contains("out of range"), "{m}");
}
