//! Checks that a JSON Schema cannot express: references between lists, unique ids, real
//! calendar dates, dates not after `as_of`, and times in order.
//!
//! They read the parsed JSON rather than the typed model, so that they still run when one
//! value elsewhere keeps the document from fitting the model: every problem is reported in one
//! run. Values of the wrong type are skipped here (the schema reports them).

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;

use super::Draft;
use super::problem::ProblemCode;
use super::schema_check::{
    date_message, date_message_zh, instant_message, instant_message_zh, range_hint, time_message_zh,
};
use super::words::{closest, field_zh, subject};
use crate::facts::{parse_date, parse_instant, parse_time};

/// Runs every consistency check on a profile document (a JSON object).
pub(super) fn check(doc: &Value) -> Vec<Draft> {
    let mut c = Checker {
        drafts: Vec::new(),
        as_of: None,
    };
    c.as_of = c.date(&|| "/as_of".to_owned(), text(doc, "as_of"), false);
    c.ids(doc);
    c.references(doc);
    c.dates(doc);
    c.times(doc);
    c.ranges(doc);
    c.enterprises(doc);
    c.drafts
}

/// The items of the array at `pointer`, when it is one.
fn items<'a>(doc: &'a Value, pointer: &str) -> impl Iterator<Item = (usize, &'a Value)> {
    list(doc.pointer(pointer))
}

/// The items of `value`, when it is an array.
fn list(value: Option<&Value>) -> impl Iterator<Item = (usize, &Value)> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

/// A JSON pointer, written out only when a problem is found there (most values are fine, and
/// a large profile has thousands of them).
type At<'a> = &'a dyn Fn() -> String;

/// The text of a member, when it is text.
fn text<'a>(item: &'a Value, key: &str) -> Option<&'a str> {
    item.get(key).and_then(Value::as_str)
}

/// The ids of a list, in order (for suggestions) and hashed (to look them up in constant
/// time: a profile may hold 10^5 references).
struct Known<'a> {
    ids: Vec<&'a str>,
    set: std::collections::HashSet<&'a str>,
}

impl<'a> Known<'a> {
    fn new(ids: Vec<&'a str>) -> Self {
        let set = ids.iter().copied().collect();
        Self { ids, set }
    }
}

/// The ids of the items of the list at `pointer`; `None` when the list is absent.
fn ids_of<'a>(doc: &'a Value, pointer: &str) -> Option<Known<'a>> {
    let list = doc.pointer(pointer)?.as_array()?;
    Some(Known::new(
        list.iter().filter_map(|item| text(item, "id")).collect(),
    ))
}

struct Checker {
    drafts: Vec<Draft>,
    as_of: Option<NaiveDate>,
}

impl Checker {
    /// Adds a problem worded in Chinese (`zh`) and English (`en`).
    fn push(&mut self, pointer: String, code: ProblemCode, zh: String, en: String) {
        self.drafts.push(Draft::at(&pointer, code, en).zh(zh));
    }

    /// Checks a date; `past` dates must not be after `as_of`.
    fn date(&mut self, pointer: At<'_>, value: Option<&str>, past: bool) -> Option<NaiveDate> {
        let text = value?;
        let Some(date) = parse_date(text) else {
            let pointer = pointer();
            let en = date_message(&pointer, text);
            self.push(pointer, ProblemCode::Format, date_message_zh(text), en);
            return None;
        };
        if past {
            self.not_after_as_of(pointer, text, date);
        }
        Some(date)
    }

    /// Checks the date member `key` of `item` at `at`.
    fn date_of(&mut self, at: At<'_>, item: &Value, key: &str, past: bool) -> Option<NaiveDate> {
        self.date(&|| format!("{}/{key}", at()), text(item, key), past)
    }

    fn not_after_as_of(&mut self, pointer: At<'_>, text: &str, date: NaiveDate) {
        if let Some(as_of) = self.as_of
            && date > as_of
        {
            let pointer = pointer();
            let subject = subject(&pointer);
            self.push(
                pointer,
                ProblemCode::DateAfterAsOf,
                format!(
                    "{text} 晚于档案的评价基准日 {as_of}；已发生的事，日期不能晚于档案所描述的日期"
                ),
                format!(
                    "{subject} is `{text}`, after the profile's `as_of` `{as_of}`; a past event cannot be dated later than the date the profile describes"
                ),
            );
        }
    }

    /// Checks an instant (RFC 3339); its local date must not be after `as_of`.
    fn instant(&mut self, pointer: At<'_>, value: Option<&str>) -> Option<DateTime<FixedOffset>> {
        let text = value?;
        let Some(instant) = parse_instant(text) else {
            let pointer = pointer();
            let en = instant_message(&pointer, text);
            self.push(pointer, ProblemCode::Format, instant_message_zh(text), en);
            return None;
        };
        self.not_after_as_of(pointer, text, instant.date_naive());
        Some(instant)
    }

    /// Ids must be unique among the items of the list at `list`.
    fn unique(&mut self, doc: &Value, list: &str) {
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (i, item) in items(doc, list) {
            let Some(id) = text(item, "id") else {
                continue;
            };
            if let Some(first) = seen.get(id) {
                self.push(
                    format!("{list}/{i}/id"),
                    ProblemCode::DuplicateId,
                    format!(
                        "编号“{id}”已被{}使用；同一列表中的编号不得重复",
                        crate::vocab::pointer_zh(&format!("{list}/{first}"))
                    ),
                    format!("id `{id}` is already used by {list}/{first}; ids must be unique in this list"),
                );
            } else {
                seen.insert(id, i);
            }
        }
    }

    fn ids(&mut self, doc: &Value) {
        for list in [
            "/premises",
            "/organizations",
            "/staff",
            "/grids/items",
            "/cases",
            "/service_catalogue/items",
            "/evaluations",
            "/improvement_actions",
        ] {
            self.unique(doc, list);
        }
        for (i, _) in items(doc, "/evaluations") {
            self.unique(doc, &format!("/evaluations/{i}/findings"));
        }
    }

    /// `id` must be one of `known`: the ids of the `what`s found `within` some list.
    fn refer(&mut self, pointer: At<'_>, id: &str, known: &Known<'_>, what: &str, within: &str) {
        if known.set.contains(id) {
            return;
        }
        let mut draft = Draft::at(
            &pointer(),
            ProblemCode::DanglingReference,
            format!("`{id}` is not the id of any {what} in {within}"),
        )
        .zh(format!("“{id}”不是{}中任何一项的编号", within_zh(within)));
        draft.suggestion = closest(id, known.ids.iter().copied()).map(str::to_owned);
        self.drafts.push(draft);
    }

    /// Every id in the list `ids` (at `pointer`) must be one of `known`.
    fn refer_all(
        &mut self,
        ids: Option<&Value>,
        pointer: At<'_>,
        known: &Known<'_>,
        what: &str,
        within: &str,
    ) {
        for (i, id) in list(ids) {
            if let Some(id) = id.as_str() {
                self.refer(&|| format!("{}/{i}", pointer()), id, known, what, within);
            }
        }
    }

    fn references(&mut self, doc: &Value) {
        const ORG: &str = "organisation";
        const ORGS: &str = "`organizations`";
        // References into an absent list are not checked: the absence is reported already.
        if let Some(orgs) = ids_of(doc, "/organizations") {
            let model = doc.get("governance_model");
            for role in ["party_lead", "government", "enterprise", "society"] {
                let ids = model.and_then(|m| m.get(role));
                let at = || format!("/governance_model/{role}");
                self.refer_all(ids, &at, &orgs, ORG, ORGS);
            }
            for (i, member) in items(doc, "/staff") {
                let at = || format!("/staff/{i}/org_ids");
                self.refer_all(member.get("org_ids"), &at, &orgs, ORG, ORGS);
            }
            for (i, item) in items(doc, "/service_catalogue/items") {
                if let Some(id) = text(item, "provider_org") {
                    let at = || format!("/service_catalogue/items/{i}/provider_org");
                    self.refer(&at, id, &orgs, ORG, ORGS);
                }
            }
        }
        if let Some(staff) = ids_of(doc, "/staff") {
            for (i, grid) in items(doc, "/grids/items") {
                for part in ["one", "three", "n"] {
                    let at = || format!("/grids/items/{i}/{part}");
                    self.refer_all(grid.get(part), &at, &staff, "staff member", "`staff`");
                }
            }
        }
        if let Some(evaluations) = doc.pointer("/evaluations").and_then(Value::as_array) {
            let ids = Known::new(evaluations.iter().filter_map(|e| text(e, "id")).collect());
            // The first evaluation with each id, as the list is read.
            let mut by_id: std::collections::HashMap<&str, &Value> =
                std::collections::HashMap::new();
            for e in evaluations {
                if let Some(id) = text(e, "id") {
                    by_id.entry(id).or_insert(e);
                }
            }
            let mut findings_of: std::collections::HashMap<&str, Known<'_>> =
                std::collections::HashMap::new();
            for (i, action) in items(doc, "/improvement_actions") {
                let Some(evaluation_id) = text(action, "evaluation_id") else {
                    continue;
                };
                let Some(evaluation) = by_id.get(evaluation_id).copied() else {
                    let at = || format!("/improvement_actions/{i}/evaluation_id");
                    self.refer(&at, evaluation_id, &ids, "evaluation", "`evaluations`");
                    continue;
                };
                if let Some(finding_id) = text(action, "finding_id") {
                    let findings = findings_of.entry(evaluation_id).or_insert_with(|| {
                        Known::new(
                            evaluation
                                .get("findings")
                                .and_then(Value::as_array)
                                .into_iter()
                                .flatten()
                                .filter_map(|f| text(f, "id"))
                                .collect(),
                        )
                    });
                    self.refer(
                        &|| format!("/improvement_actions/{i}/finding_id"),
                        finding_id,
                        findings,
                        "finding",
                        &format!("the `findings` of evaluation `{evaluation_id}`"),
                    );
                }
            }
        }
    }

    fn dates(&mut self, doc: &Value) {
        self.date(
            &|| "/established_on".to_owned(),
            text(doc, "established_on"),
            true,
        );
        if let Some(population) = doc.get("population") {
            self.date_of(&|| "/population".to_owned(), population, "as_of", true);
        }
        for (i, org) in items(doc, "/organizations") {
            let at = || format!("/organizations/{i}");
            self.date_of(&at, org, "established_on", true);
            for (j, meeting) in list(org.get("meetings")) {
                self.date_of(&|| format!("{}/meetings/{j}", at()), meeting, "date", true);
            }
        }
        for (i, inspection) in items(doc, "/safety/inspections") {
            let at = || format!("/safety/inspections/{i}");
            self.date_of(&at, inspection, "date", true);
        }
        for (i, plan) in items(doc, "/safety/emergency_plans") {
            let at = || format!("/safety/emergency_plans/{i}");
            self.date_of(&at, plan, "approved_on", true);
            // A drill after `as_of` has not happened (REVISION-2 G, 7.3.2 and C.SM.2).
            for (j, drill) in list(plan.get("drills")) {
                self.date(&|| format!("{}/drills/{j}", at()), drill.as_str(), true);
            }
        }
        for (i, incident) in items(doc, "/safety/incidents") {
            self.date_of(&|| format!("/safety/incidents/{i}"), incident, "date", true);
        }
        if let Some(catalogue) = doc.get("service_catalogue") {
            // A later publication date passes 7.5.4 (reading): not a past-event date.
            let at = || "/service_catalogue".to_owned();
            self.date_of(&at, catalogue, "published_on", false);
        }
        for (i, evaluation) in items(doc, "/evaluations") {
            self.date_of(&|| format!("/evaluations/{i}"), evaluation, "date", true);
        }
        for (i, action) in items(doc, "/improvement_actions") {
            let at = || format!("/improvement_actions/{i}");
            self.date_of(&at, action, "due_on", false);
            self.date_of(&at, action, "closed_on", true);
        }
        for (i, evidence) in items(doc, "/evidence") {
            self.date_of(&|| format!("/evidence/{i}"), evidence, "date", true);
        }
    }

    fn times(&mut self, doc: &Value) {
        for (i, premise) in items(doc, "/premises") {
            for (j, hours) in list(premise.get("opening_hours")) {
                self.opening_hours(&|| format!("/premises/{i}/opening_hours/{j}"), hours);
            }
        }
        for (i, case) in items(doc, "/cases") {
            let received_text = text(case, "received_at");
            let received = self.instant(&|| format!("/cases/{i}/received_at"), received_text);
            for (field, verb) in [("responded_at", "responded to"), ("closed_at", "closed")] {
                let pointer = || format!("/cases/{i}/{field}");
                let value = text(case, field);
                let instant = self.instant(&pointer, value);
                if let (Some(received), Some(instant)) = (received, instant)
                    && instant < received
                {
                    let verb_zh = if field == "closed_at" {
                        "办结"
                    } else {
                        "答复"
                    };
                    self.push(
                        pointer(),
                        ProblemCode::TimeOrder,
                        format!(
                            "诉求的{verb_zh}时间 {} 早于受理时间 {}",
                            value.unwrap_or_default(),
                            received_text.unwrap_or_default()
                        ),
                        format!(
                            "the case is {verb} at `{}`, before it was received at `{}`",
                            value.unwrap_or_default(),
                            received_text.unwrap_or_default()
                        ),
                    );
                }
            }
        }
        for (i, waiver) in items(doc, "/waivers") {
            let at = || format!("/waivers/{i}");
            let approved = self.date_of(&at, waiver, "approved_on", true);
            let expires = self.date_of(&at, waiver, "expires_on", false);
            if let (Some(approved), Some(expires)) = (approved, expires)
                && expires < approved
            {
                self.push(
                    format!("/waivers/{i}/expires_on"),
                    ProblemCode::TimeOrder,
                    format!("豁免的到期日 {expires} 早于批准日 {approved}"),
                    format!(
                        "the waiver expires on `{expires}`, before it was approved on `{approved}`"
                    ),
                );
            }
        }
    }

    fn opening_hours(&mut self, at: At<'_>, hours: &Value) {
        if let Some(weekday) = hours.get("weekday").and_then(Value::as_f64)
            && !(1.0..=7.0).contains(&weekday)
        {
            let (hint_zh, hint) = range_hint("/weekday", "");
            self.push(
                format!("{}/weekday", at()),
                ProblemCode::Range,
                format!("应在 1 到 7 之间{hint_zh}，实际为 {weekday}"),
                format!("`weekday` must be between 1 and 7{hint}, found `{weekday}`"),
            );
        }
        let mut times = [None, None];
        for ((field, end), slot) in [("open", false), ("close", true)]
            .into_iter()
            .zip(&mut times)
        {
            let Some(value) = text(hours, field) else {
                continue;
            };
            *slot = parse_time(value, end);
            if slot.is_none() {
                let latest = if end { "24:00" } else { "23:59" };
                self.push(
                    format!("{}/{field}", at()),
                    ProblemCode::Format,
                    time_message_zh(latest, value),
                    format!("`{field}` must be a time written `HH:MM` from 00:00 to {latest}, found `{value}`"),
                );
            }
        }
        if let [Some(open), Some(close)] = times
            && open >= close
        {
            self.push(
                format!("{}/close", at()),
                ProblemCode::TimeOrder,
                format!(
                    "结束时间 {} 不晚于开始时间 {}",
                    text(hours, "close").unwrap_or_default(),
                    text(hours, "open").unwrap_or_default()
                ),
                format!(
                    "closing time `{}` is not after opening time `{}`",
                    text(hours, "close").unwrap_or_default(),
                    text(hours, "open").unwrap_or_default()
                ),
            );
        }
    }

    /// Key enterprises: unique ids and real visit dates not after `as_of` (a visit that has
    /// not happened yet); enterprises served in 12 months no more than there are (7.7.4).
    fn enterprises(&mut self, doc: &Value) {
        self.unique(doc, "/enterprises/key");
        for (i, enterprise) in items(doc, "/enterprises/key") {
            for (j, visit) in list(enterprise.get("visits")) {
                let at = || format!("/enterprises/key/{i}/visits/{j}");
                self.date(&at, visit.as_str(), true);
            }
        }
        let number = |key: &str| doc.pointer(&format!("/enterprises/{key}"))?.as_u64();
        if let (Some(served), Some(count)) = (number("served_12m"), number("count"))
            && served > count
        {
            self.push(
                "/enterprises/served_12m".to_owned(),
                ProblemCode::Range,
                format!(
                    "{served} 家，多于企业总数 {count} 家；此项统计服务过的不同企业，每家只计一次"
                ),
                format!(
                    "`served_12m` is `{served}`, more than the `count` of `{count}` enterprises; it counts distinct enterprises served, each once"
                ),
            );
        }
    }

    /// Mirrors the schema's ranges for the values the standard's rules compare directly.
    fn ranges(&mut self, doc: &Value) {
        let mut at_least_zero = |value: Option<&Value>, pointer: At<'_>| {
            if let Some(v) = value.and_then(Value::as_f64)
                && v < 0.0
            {
                let pointer = pointer();
                let message = format!("{} must be zero or more, found `{v}`", subject(&pointer));
                self.push(
                    pointer,
                    ProblemCode::Range,
                    format!("不得小于 0，实际为 {v}"),
                    message,
                );
            }
        };
        at_least_zero(doc.get("area_km2"), &|| "/area_km2".to_owned());
        for (i, premise) in items(doc, "/premises") {
            let area = premise.get("floor_area_m2");
            at_least_zero(area, &|| format!("/premises/{i}/floor_area_m2"));
            for (j, space) in list(premise.get("spaces")) {
                let at = || format!("/premises/{i}/spaces/{j}/area_m2");
                at_least_zero(space.get("area_m2"), &at);
            }
        }
        for (i, evaluation) in items(doc, "/evaluations") {
            let satisfaction = evaluation.get("satisfaction");
            for field in ["enterprise_rate", "employee_rate"] {
                if let Some(v) = satisfaction
                    .and_then(|s| s.get(field))
                    .and_then(Value::as_f64)
                    && !(0.0..=1.0).contains(&v)
                {
                    let pointer = format!("/evaluations/{i}/satisfaction/{field}");
                    let (hint_zh, hint) = range_hint(&pointer, "between 0 and 1");
                    self.push(
                        pointer,
                        ProblemCode::Range,
                        format!("应在 0 到 1 之间{hint_zh}，实际为 {v}"),
                        format!("`{field}` must be between 0 and 1{hint}, found `{v}`"),
                    );
                }
            }
        }
    }
}

/// Where a reference should point, in Chinese: “组织（organizations）”, “评价“e1”的发现”.
fn within_zh(within: &str) -> String {
    if let Some(evaluation) = within
        .strip_prefix("the `findings` of evaluation `")
        .and_then(|r| r.strip_suffix('`'))
    {
        return format!("评价“{evaluation}”的{}", field_zh("findings"));
    }
    field_zh(within.trim_matches('`'))
}
