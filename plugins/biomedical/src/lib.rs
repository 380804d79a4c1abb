//! A 生物医药型 (biomedical) community category, as a district adds it without forking icgs:
//! four clauses of its own, its parameters, a stricter hazard-inspection count for biomedical
//! communities, and its data under `extensions."binjiang-biomedical"` of the profile:
//!
//! ```json
//! "extensions": { "binjiang-biomedical": {
//!     "labs": 42,
//!     "hazardous_waste_inspections": ["2026-01-15", "2026-04-15"],
//!     "biosafety_drills": ["2025-11-20", "2026-05-20"],
//!     "regulatory_services": ["registration", "clinical-trial-policy"]
//! } }
//! ```

use icgs_plugin_api::{
    Category, DataError, Dimension, EvaluateInput, Extension, Level, Manifest, Outcome, Param,
    Plugin, Rule, RuleResult, Text, export_plugin,
};
use serde_json::{Value, json};

/// The plugin id, also the key of its data under `extensions`.
const ID: &str = "binjiang-biomedical";

/// Where the category's clauses and parameters come from (an example district document).
const SOURCE: &str = "滨江区生物医药型产业社区建设指引（示例文件）";

struct Biomedical;

fn rule(id: &str, level: Level, params: &[&str], t: [(&str, &str); 5]) -> Rule {
    let [title, text, check, message, remedy] = t.map(|(zh, en)| Text::new(zh, en));
    Rule {
        id: id.into(),
        clause: id.into(),
        level,
        dimension: Dimension::GovernanceServices,
        weight: None,
        params: params.iter().map(|p| (*p).to_owned()).collect(),
        categories: vec!["biomedical".into()],
        title,
        text,
        check,
        message,
        remedy,
        // The biomedical category is a district's own: the explanatory note does not state it.
        origin: Some("proposal".into()),
        source: Some(SOURCE.into()),
    }
}

fn param(default: Value, unit: &str, zh: &str, en: &str) -> Param {
    Param {
        default,
        unit: Some(unit.into()),
        description: Text::new(zh, en),
        origin: Some("proposal".into()),
        source: Some(SOURCE.into()),
    }
}

/// `as_of − 12 months` as text (month subtraction clamps Feb 29 to Feb 28).
fn year_before(as_of: &str) -> Option<String> {
    let year: i32 = as_of.get(0..4)?.parse().ok()?;
    let rest = as_of.get(4..)?;
    let rest = if rest == "-02-29" { "-02-28" } else { rest };
    Some(format!("{:04}{rest}", year - 1))
}

/// Dates `d` in the 12 months before as_of (`start < d ≤ as_of`); ISO dates order as text.
/// `None` when the list is absent (insufficient data); an error when it is not a list of
/// texts.
fn count_in_window(data: &Extension<'_>, key: &str, as_of: &str) -> Result<Option<u64>, DataError> {
    let Some(start) = year_before(as_of) else {
        return Ok(None);
    };
    Ok(data.texts(key)?.map(|dates| {
        dates
            .iter()
            .filter(|d| d.len() == 10 && **d > start.as_str() && **d <= as_of)
            .count() as u64
    }))
}

fn at_least(
    rule: &str,
    data: &Extension<'_>,
    key: &str,
    as_of: &str,
    required: &Value,
) -> RuleResult {
    let pointer = data.pointer(key);
    match (count_in_window(data, key, as_of), required.as_u64()) {
        (Err(wrong), _) => RuleResult::wrong(rule, &wrong),
        (Ok(Some(o)), Some(r)) => {
            let outcome = if o >= r { Outcome::Pass } else { Outcome::Fail };
            RuleResult::new(rule, outcome, json!(o), json!(r)).at(&pointer)
        }
        _ => {
            RuleResult::new(rule, Outcome::InsufficientData, Value::Null, Value::Null).at(&pointer)
        }
    }
}

fn pass_or_fail(ok: bool) -> Outcome {
    if ok { Outcome::Pass } else { Outcome::Fail }
}

/// The plugin's parameters, each with its default, unit and meaning in both languages.
fn params() -> std::collections::BTreeMap<String, Param> {
    [
        (
            "bm_waste_inspections_min".to_owned(),
            param(
                json!(4),
                "inspections per 12 months",
                "实验室危险废物专项检查每年最少次数",
                "Minimum laboratory hazardous-waste inspections in 12 months",
            ),
        ),
        (
            "bm_biosafety_drills_min".to_owned(),
            param(
                json!(2),
                "drills per 12 months",
                "生物安全应急演练每年最少次数",
                "Minimum biosafety emergency drills in 12 months",
            ),
        ),
        (
            "bm_regulatory_services".to_owned(),
            param(
                json!(["registration", "clinical-trial-policy"]),
                "services",
                "应提供的注册申报与临床试验政策服务",
                "Regulatory and clinical-trial policy services to offer",
            ),
        ),
    ]
    .into_iter()
    .collect()
}

/// The plugin's rules: id, level, parameters read, and title, text, check, message and
/// remedy in both languages.
// Long on purpose: a table, one entry per rule, its texts side by side in both languages.
fn rules() -> Vec<Rule> {
    vec![
        rule(
            "C.BM.1",
            Level::Shall,
            &["bm_waste_inspections_min"],
            [
                (
                    "实验室危险废物专项检查",
                    "Laboratory hazardous-waste inspections",
                ),
                (
                    "生物医药型产业社区应每季度至少开展1次实验室危险废物专项检查。",
                    "Biomedical communities shall inspect laboratory hazardous waste at least quarterly.",
                ),
                (
                    "extensions.binjiang-biomedical.hazardous_waste_inspections 中基准日前12个月内的检查次数 ≥ bm_waste_inspections_min",
                    "inspections in extensions.binjiang-biomedical.hazardous_waste_inspections in the 12 months before as_of ≥ bm_waste_inspections_min",
                ),
                (
                    "近12个月危险废物专项检查 {observed} 次，要求不少于 {required} 次",
                    "{observed} hazardous-waste inspections in 12 months, at least {required} required",
                ),
                (
                    "会同生态环境部门每季度开展实验室危险废物专项检查并留存记录",
                    "Inspect laboratory hazardous waste every quarter with the environment bureau and keep the records",
                ),
            ],
        ),
        rule(
            "C.BM.2",
            Level::Shall,
            &["bm_biosafety_drills_min"],
            [
                ("生物安全应急演练", "Biosafety emergency drills"),
                (
                    "生物医药型产业社区应每年至少组织2次生物安全应急演练。",
                    "Biomedical communities shall hold at least two biosafety emergency drills a year.",
                ),
                (
                    "extensions.binjiang-biomedical.biosafety_drills 中基准日前12个月内的演练次数 ≥ bm_biosafety_drills_min",
                    "drills in extensions.binjiang-biomedical.biosafety_drills in the 12 months before as_of ≥ bm_biosafety_drills_min",
                ),
                (
                    "近12个月生物安全应急演练 {observed} 次，要求不少于 {required} 次",
                    "{observed} biosafety drills in 12 months, at least {required} required",
                ),
                (
                    "制定生物安全应急预案，每半年组织实验室企业开展1次演练",
                    "Draw up a biosafety emergency plan and drill it with the laboratory enterprises every six months",
                ),
            ],
        ),
        rule(
            "C.BM.3",
            Level::Should,
            &["bm_regulatory_services"],
            [
                (
                    "注册申报与临床试验政策服务",
                    "Regulatory and clinical-trial policy services",
                ),
                (
                    "生物医药型产业社区宜提供药械注册申报和临床试验政策服务。",
                    "Biomedical communities should offer drug and device registration and clinical-trial policy services.",
                ),
                (
                    "extensions.binjiang-biomedical.regulatory_services 包含 bm_regulatory_services 的全部服务",
                    "extensions.binjiang-biomedical.regulatory_services includes every service of bm_regulatory_services",
                ),
                (
                    "已提供：{observed}；宜提供：{required}",
                    "offered: {observed}; should offer: {required}",
                ),
                (
                    "联合药监服务站提供注册申报辅导和临床试验政策解读",
                    "Offer registration coaching and clinical-trial policy briefings with the drug-administration service station",
                ),
            ],
        ),
        rule(
            "C.BM.4",
            Level::Should,
            &[],
            [
                ("生物医药专业人才服务", "Specialised talent services"),
                (
                    "生物医药型产业社区宜提供专业人才引进和培养服务。",
                    "Biomedical communities should offer specialised talent services.",
                ),
                (
                    "服务清单中有 kind 为 talent 的服务",
                    "the service catalogue has an item of kind talent",
                ),
                ("人才服务 {observed} 项", "{observed} talent service(s)"),
                (
                    "开设生物医药人才服务专窗，对接人才政策与招聘",
                    "Open a biomedical talent desk linking talent policies and recruitment",
                ),
            ],
        ),
    ]
}

impl Plugin for Biomedical {
    fn manifest(&self) -> Manifest {
        Manifest {
            id: ID.into(),
            name: Text::new(
                "滨江区生物医药型产业社区",
                "Binjiang biomedical industrial community",
            ),
            version: "1.0.0".into(),
            requires: ">=0.1, <2".into(),
            categories: vec![Category {
                id: "biomedical".into(),
                name: Text::new("生物医药型", "Biomedical"),
                spaces: vec!["training".into(), "health".into()],
                // Laboratories make hazards frequent: inspect twice a month.
                set_params: [("inspections_min".to_owned(), json!(24))]
                    .into_iter()
                    .collect(),
            }],
            params: params(),
            rules: rules(),
        }
    }

    fn evaluate(&self, input: &EvaluateInput) -> Result<Vec<RuleResult>, String> {
        let as_of = input
            .profile
            .get("as_of")
            .and_then(Value::as_str)
            .ok_or("the profile has no `as_of`")?;
        let data = input.extension(ID);
        let param = |name: &str| input.params.get(name).cloned().unwrap_or(Value::Null);
        let mut out = Vec::new();
        for rule in &input.rules {
            let result = match rule.as_str() {
                "C.BM.1" => at_least(
                    rule,
                    &data,
                    "hazardous_waste_inspections",
                    as_of,
                    &param("bm_waste_inspections_min"),
                ),
                "C.BM.2" => at_least(
                    rule,
                    &data,
                    "biosafety_drills",
                    as_of,
                    &param("bm_biosafety_drills_min"),
                ),
                "C.BM.3" => {
                    let required = param("bm_regulatory_services");
                    let pointer = data.pointer("regulatory_services");
                    match data.texts("regulatory_services") {
                        Err(wrong) => RuleResult::wrong(rule, &wrong),
                        Ok(None) => RuleResult::new(
                            rule,
                            Outcome::InsufficientData,
                            Value::Null,
                            Value::Null,
                        )
                        .at(&pointer),
                        Ok(Some(have)) => {
                            let ok = required.as_array().is_some_and(|r| {
                                r.iter()
                                    .all(|x| x.as_str().is_some_and(|x| have.contains(&x)))
                            });
                            RuleResult::new(rule, pass_or_fail(ok), json!(have), required)
                                .at(&pointer)
                        }
                    }
                }
                "C.BM.4" => match input
                    .profile
                    .pointer("/service_catalogue/items")
                    .and_then(Value::as_array)
                {
                    None => {
                        RuleResult::new(rule, Outcome::InsufficientData, Value::Null, Value::Null)
                    }
                    Some(items) => {
                        let n = items
                            .iter()
                            .filter(|i| i.get("kind").and_then(Value::as_str) == Some("talent"))
                            .count();
                        RuleResult::new(rule, pass_or_fail(n > 0), json!(n), json!(1))
                    }
                }
                .at("/service_catalogue/items"),
                other => return Err(format!("unknown rule `{other}`")),
            };
            out.push(result);
        }
        Ok(out)
    }
}

export_plugin!(Biomedical, Biomedical);
