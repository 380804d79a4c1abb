use serde_json::Value;

use super::{DOMAINS, label, label_any};

/// The vocabulary domain of each enumeration of the generated schemas, by where it sits
/// (a `$defs` name, or a property under it). A new enumeration must be added here and to
/// the table, or this test fails.
const PLACES: &[(&str, &str)] = &[
    ("/$defs/Capability", "capability"),
    ("/$defs/Case/properties/kind", "case-kind"),
    ("/$defs/Case/properties/source", "case-source"),
    ("/$defs/Channel", "channel"),
    ("/$defs/DashboardIndicator", "indicator"),
    ("/$defs/Evaluation/properties/kind", "evaluation-kind"),
    ("/$defs/Evidence/properties/kind", "evidence-kind"),
    ("/$defs/Grid/properties/kind", "grid-kind"),
    ("/$defs/Incident/properties/severity", "incident-severity"),
    ("/$defs/MeetingKind", "meeting-kind"),
    ("/$defs/Member/properties/affiliation", "affiliation"),
    ("/$defs/NewStratumGroup", "new-stratum-group"),
    ("/$defs/OnDemand", "on-demand"),
    ("/$defs/OrgKind", "org-kind"),
    ("/$defs/PartyLevel", "party-level"),
    ("/$defs/Period", "period"),
    ("/$defs/Premise/properties/ownership", "ownership"),
    ("/$defs/PrivacyControl", "privacy-control"),
    ("/$defs/Role", "role"),
    ("/$defs/Service/properties/domain", "service-domain"),
    ("/$defs/Service/properties/fee", "fee"),
    ("/$defs/Service/properties/kind", "service-kind"),
    ("/$defs/Service/properties/mode", "mode"),
    ("/$defs/Service/properties/provider_kind", "provider-kind"),
    ("/$defs/Service/properties/target", "target"),
    ("/$defs/SpaceKind", "space"),
    ("/$defs/Staff/properties/certificate", "certificate"),
    ("/$defs/Staff/properties/employment", "employment"),
    (
        "/properties/population/properties/source",
        "population-source",
    ),
    ("/$defs/Dimension", "dimension"),
    ("/$defs/FixReason", "fix-reason"),
    ("/$defs/Level", "level"),
    ("/$defs/LimitKind", "limit-kind"),
    ("/$defs/NextGradeStatus", "next-grade-status"),
    ("/$defs/Origin", "origin"),
    ("/$defs/Outcome", "outcome"),
    ("/$defs/WaiverProblemKind", "waiver-problem"),
];

/// Enumerated string values (`enum` and `const`) with the path of the schema node that
/// declares them, minus `oneOf/N`, `anyOf/N` and `items`.
fn enums(node: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            for v in map
                .get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(s) = v.as_str() {
                    out.push((path.to_owned(), s.to_owned()));
                }
            }
            if let Some(s) = map.get("const").and_then(Value::as_str) {
                out.push((path.to_owned(), s.to_owned()));
            }
            for (k, v) in map {
                let next = if matches!(k.as_str(), "oneOf" | "anyOf" | "items") {
                    path.to_owned()
                } else {
                    format!("{path}/{k}")
                };
                enums(v, &next, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| enums(v, path, out)),
        _ => {}
    }
}

#[test]
fn every_enumerated_value_of_both_schemas_has_both_labels() {
    let mut found = Vec::new();
    enums(&crate::profile_schema(), "", &mut found);
    enums(&crate::report::report_schema(), "", &mut found);
    assert!(found.len() > 150, "the walk found {} values", found.len());
    let mut missing = Vec::new();
    for (path, code) in &found {
        if path == "/properties/schema_version" {
            continue; // a format version, not a word
        }
        let Some((_, domain)) = PLACES.iter().find(|(p, _)| p == path) else {
            missing.push(format!("{path}: no vocabulary domain for `{code}`"));
            continue;
        };
        match label(domain, code) {
            Some(l) if !l.zh.trim().is_empty() && !l.en.trim().is_empty() => {}
            _ => missing.push(format!(
                "{domain}: `{code}` has no Chinese or English label"
            )),
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn chinese_labels_are_chinese_and_codes_unique_in_a_domain() {
    for (domain, entries) in DOMAINS {
        for (i, (code, zh, _)) in entries.iter().enumerate() {
            assert!(
                zh.chars().any(|c| (c as u32) >= 0x4e00),
                "{domain}/{code}: `{zh}` has no Chinese"
            );
            assert!(
                !entries[..i].iter().any(|(c, _, _)| c == code),
                "{domain}/{code} listed twice"
            );
        }
    }
}

#[test]
fn lookups() {
    assert_eq!(label("space", "maker").map(|l| l.zh), Some("众创空间"));
    assert_eq!(
        label("category", "smart-manufacturing").map(|l| l.zh),
        Some("智能制造型")
    );
    assert_eq!(
        label("problem", "duplicate-id").map(|l| l.zh),
        Some("编号重复")
    );
    assert_eq!(label("space", "nowhere"), None);
    // Report-only words are not guessed for a rule's values.
    assert_eq!(label_any("pass"), None);
    assert_eq!(label_any("branch").map(|l| l.zh), Some("党支部"));
}

#[test]
fn numbers_as_people_read_them() {
    use super::{NumberStyle as S, number};
    let n = |v: serde_json::Value| v.as_number().cloned().unwrap_or_else(|| 0.into());
    assert_eq!(
        number(&n(serde_json::json!(0.4615)), S::Percent, true),
        "46.2%"
    );
    assert_eq!(number(&n(serde_json::json!(0.95)), S::Percent, true), "95%");
    assert_eq!(number(&n(serde_json::json!(1700)), S::Plain, true), "1,700");
    assert_eq!(number(&n(serde_json::json!(520)), S::Plain, true), "520");
    assert_eq!(
        number(&n(serde_json::json!(-1234567)), S::Plain, false),
        "-1,234,567"
    );
    assert_eq!(number(&n(serde_json::json!(12000)), S::Wan, true), "1.2万");
    assert_eq!(number(&n(serde_json::json!(20000)), S::Wan, true), "2万");
    assert_eq!(number(&n(serde_json::json!(9999)), S::Wan, true), "9,999");
    assert_eq!(
        number(&n(serde_json::json!(12000)), S::Wan, false),
        "12,000"
    );
    assert_eq!(number(&n(serde_json::json!(2.5)), S::Plain, false), "2.5");
    // Digits grouped from the right at every length, the extremes of i64 included.
    for (value, shown) in [
        (0_i64, "0"),
        (-7, "-7"),
        (999, "999"),
        (1000, "1,000"),
        (-100_000, "-100,000"),
        (1_000_000, "1,000,000"),
        (i64::MAX, "9,223,372,036,854,775,807"),
        (i64::MIN, "-9,223,372,036,854,775,808"),
    ] {
        assert_eq!(number(&value.into(), S::Plain, true), shown);
    }
}
