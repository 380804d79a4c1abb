//! The community as scripts see it: `c`, a read-only `Arc` over the profile, its facts and
//! the evaluation context, with native getters and queries (no per-rule copy of the data).

use std::sync::Arc;

use rhai::{Array, Dynamic, INT};

use super::verdict::number;
use crate::facts::{self, Calendar, Counted, Facts};
use crate::model::{
    Affiliation, CaseKind, CommunityProfile, Domain, EvaluationKind, NewStratumGroup, OrgKind, Role,
};

/// One profile under evaluation.
#[derive(Debug)]
pub(crate) struct Subject {
    pub profile: Arc<CommunityProfile>,
    pub facts: Facts,
    /// The evaluation date as written: the profile's `as_of`, or the date given instead
    /// (`--as-of`), which scripts and plugins see as the profile's.
    pub as_of: String,
    /// Whether the primary category is registered by some pack (4.2.2).
    pub category_registered: bool,
    /// Union of the 5.2.2 spaces of the registered primary and secondary categories;
    /// `None` when none of them is registered.
    pub category_spaces: Option<Vec<String>>,
    /// The profile as JSON, made on first use by `c.get(pointer)`.
    pub raw: std::sync::OnceLock<serde_json::Value>,
    /// Evaluations whose date was taken out for being after `as_of`: not yet held, so not
    /// an unknown date (REVISION-2 G).
    pub future_evaluations: usize,
}

pub(crate) type Community = Arc<Subject>;

fn opt<T: Into<Dynamic>>(v: Option<T>) -> Dynamic {
    v.map_or(Dynamic::UNIT, Into::into)
}

fn int(v: Option<u64>) -> Dynamic {
    opt(v.map(|n| n as INT))
}

fn dec(v: Option<crate::facts::Decimal>) -> Dynamic {
    v.map_or(Dynamic::UNIT, Dynamic::from_decimal)
}

fn strings<I: IntoIterator<Item = S>, S: ToString>(items: I) -> Array {
    items
        .into_iter()
        .map(|s| Dynamic::from(s.to_string()))
        .collect()
}

fn list<I: IntoIterator<Item = S>, S: ToString>(items: Option<I>) -> Dynamic {
    items.map_or(Dynamic::UNIT, |i| strings(i).into())
}

fn parse_kind<T: Copy + std::fmt::Display>(all: &[T], text: &str) -> Option<T> {
    all.iter().copied().find(|k| k.to_string() == text)
}

fn months(value: &Dynamic) -> u32 {
    number(value)
        .and_then(|d| {
            use rust_decimal::prelude::ToPrimitive;
            d.to_u32()
        })
        .unwrap_or(0)
}

/// `()` when data is missing, else `#{ in_time, counted, late: [ids], missing_year }`
/// (`missing_year` is `()` unless the calendar lacks a year the count needs).
fn timeliness(t: Option<Counted>) -> Dynamic {
    let Some(t) = t else {
        return Dynamic::UNIT;
    };
    let mut map = rhai::Map::new();
    let (in_time, counted, late, missing) = match t {
        Ok(t) => (t.in_time, t.counted, t.late, Dynamic::UNIT),
        Err(e) => (0, 0, Vec::new(), Dynamic::from(INT::from(e.year))),
    };
    map.insert("in_time".into(), Dynamic::from(in_time as INT));
    map.insert("counted".into(), Dynamic::from(counted as INT));
    map.insert("late".into(), strings(late).into());
    map.insert("missing_year".into(), missing);
    map.into()
}

/// Case kinds named in a parameter; an unknown name is an error of the rule.
fn case_kinds(names: &Array) -> Result<Vec<CaseKind>, Box<rhai::EvalAltResult>> {
    names
        .iter()
        .map(|n| {
            let text = n.to_string();
            parse_kind(CaseKind::ALL, &text).ok_or_else(|| {
                format!(
                    "`{text}` is not a case kind (one of: {})",
                    kind_names(CaseKind::ALL)
                )
                .into()
            })
        })
        .collect()
}

fn kind_names<T: std::fmt::Display>(all: &[T]) -> String {
    all.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A whole number from a script value (decimals rounded down).
fn whole(value: &Dynamic) -> Option<i64> {
    use rust_decimal::prelude::ToPrimitive;
    number(value).and_then(|d| d.floor().to_i64())
}

impl Subject {
    fn orgs(&self) -> &[crate::model::Organization] {
        self.profile.organizations.as_deref().unwrap_or_default()
    }

    fn orgs_of<'a>(&'a self, kind: &str) -> impl Iterator<Item = &'a crate::model::Organization> {
        let kind = parse_kind(OrgKind::ALL, kind);
        self.orgs().iter().filter(move |o| Some(o.kind) == kind)
    }

    fn latest(&self) -> Option<&crate::model::Evaluation> {
        let i = self.facts.latest_evaluation?;
        self.profile.evaluations.as_deref()?.get(i)
    }

    fn staff_with_role(&self, id: &str, role: Role) -> bool {
        self.profile
            .staff
            .as_deref()
            .unwrap_or_default()
            .iter()
            .any(|s| s.id == id && s.roles.contains(&role))
    }
}

/// A text in both languages for `v.gap(…)`: `#{ zh, en }`, or `()` when there is no gap.
fn words(text: Option<(String, String)>) -> Dynamic {
    text.map_or(Dynamic::UNIT, |(zh, en)| {
        let mut m = rhai::Map::new();
        m.insert("zh".into(), zh.into());
        m.insert("en".into(), en.into());
        m.into()
    })
}

/// `#{ plans, short, gap }` for the drill queries.
fn shortfall(plans: u64, short: usize, gap: Option<(String, String)>) -> Dynamic {
    let mut m = rhai::Map::new();
    m.insert("plans".into(), Dynamic::from(plans as INT));
    m.insert("short".into(), Dynamic::from(short as INT));
    m.insert("gap".into(), words(gap));
    m.into()
}

/// The "三驾马车" (6.5.3): for every kind in `kinds`, an organisation of that kind with
/// duties; and joint meetings on organisations of those kinds, one per distinct date.
/// `#{ complete, meetings, gap }`; the gap names each missing kind and each duty-less
/// organisation, and a shortfall of meetings.
fn troika(s: &Subject, kinds: &[Dynamic], meetings_min: &Dynamic, months: u32) -> Dynamic {
    let mut zh = Vec::new();
    let mut en = Vec::new();
    let mut parsed = Vec::new();
    for code in kinds.iter().map(ToString::to_string) {
        let Some(kind) = parse_kind(OrgKind::ALL, &code) else {
            zh.push(format!("缺少：“{code}”"));
            en.push(format!("missing: \"{code}\""));
            continue;
        };
        parsed.push(kind);
        let of_kind: Vec<_> = s.orgs().iter().filter(|o| o.kind == kind).collect();
        if of_kind.is_empty() {
            zh.push(format!("缺少：{}", kind.zh()));
            en.push(format!("missing: {}", kind.en()));
        } else if of_kind.iter().all(|o| o.duties.is_empty()) {
            let names: Vec<&str> = of_kind
                .iter()
                .map(|o| o.name.as_deref().filter(|n| !n.is_empty()).unwrap_or(&o.id))
                .collect();
            zh.push(format!("职责未明确：{}", names.join("、")));
            en.push(format!("no written duties: {}", names.join(", ")));
        }
    }
    let complete = zh.is_empty();
    let meetings = s.facts.joint_meeting_dates(&parsed, months);
    let short = number(meetings_min).is_some_and(|min| crate::facts::Decimal::from(meetings) < min);
    if short {
        zh.push(format!(
            "近 {months} 个月联席会议 {meetings} 次，要求不少于 {meetings_min} 次"
        ));
        en.push(format!(
            "{meetings} joint meeting(s) in the last {months} months, at least {meetings_min} required"
        ));
    }
    let gap = (!zh.is_empty()).then(|| (zh.join("；"), en.join("; ")));
    let mut m = rhai::Map::new();
    m.insert("complete".into(), complete.into());
    m.insert("meetings".into(), Dynamic::from(meetings as INT));
    m.insert("gap".into(), words(gap));
    m.into()
}

/// The doc comment that declares, in the registration metadata, that a property or query of
/// `c` is `()` when the profile lacks its data: `icgs lint` (`unguarded-missing`) reads it
/// back to find arithmetic and comparisons on such values without a guard.
pub(crate) const MAY_BE_MISSING: &str = "/// `()` when the profile lacks the data";

/// Registers the property `name` of `c`; `maybe` declares it may be `()` ([`MAY_BE_MISSING`]).
fn getter(
    engine: &mut rhai::Engine,
    name: &str,
    maybe: bool,
    get: impl Fn(&mut Community) -> Dynamic + Send + Sync + 'static,
) {
    let comments: &[&str] = if maybe { &[MAY_BE_MISSING] } else { &[] };
    rhai::FuncRegistration::new_getter(name)
        .with_comments(comments)
        .register_into_engine(engine, get);
}

/// Registers a query of `c` declared [`MAY_BE_MISSING`]: its answer is `()` when the
/// profile lacks the data. `query!(engine, "name", |s: &mut Community, …| …)`.
macro_rules! query {
    ($engine:expr, $name:literal, $f:expr $(,)?) => {
        rhai::FuncRegistration::new($name)
            .with_comments([MAY_BE_MISSING])
            .register_into_engine($engine, $f)
    };
}

/// One line per property: `"name" => |s| value;`, or `"name" => maybe |s| value;` when the
/// value is `()` without data.
macro_rules! getters {
    ($engine:ident;) => {};
    ($engine:ident; $name:literal => maybe |$s:ident| $body:expr; $($rest:tt)*) => {
        getter($engine, $name, true, |$s: &mut Community| -> Dynamic { $body });
        getters! { $engine; $($rest)* }
    };
    ($engine:ident; $name:literal => |$s:ident| $body:expr; $($rest:tt)*) => {
        getter($engine, $name, false, |$s: &mut Community| -> Dynamic { $body });
        getters! { $engine; $($rest)* }
    };
}

/// Registers `Community` with its getters and queries.
#[allow(
    clippy::too_many_lines,
    reason = "one line per getter reads best as a table"
)]
pub(crate) fn register(engine: &mut rhai::Engine) {
    engine.register_type_with_name::<Community>("Community");
    register_enterprises_and_party(engine);
    getters! { engine;
        // Profile values.
        "id" => |s| s.profile.id.clone().into();
        "as_of" => |s| s.as_of.clone().into();
        "category" => maybe |s| opt(s.profile.category.as_ref().map(ToString::to_string));
        "secondary_categories" => |s| strings(&s.profile.secondary_categories).into();
        "category_registered" => |s| s.category_registered.into();
        "category_spaces" => maybe |s| list(s.category_spaces.clone());
        "population" => maybe |s| int(s.profile.population.as_ref().and_then(|p| p.industrial));
        "population_source" => maybe |s| opt(s.profile.population.as_ref().and_then(|p| p.source).map(|x| x.to_string()));
        "population_as_of" => maybe |s| opt(s.profile.population.as_ref().and_then(|p| p.as_of.clone()));
        "party_members" => maybe |s| int(s.profile.population.as_ref().and_then(|p| p.party_members));
        "enterprise_count" => maybe |s| int(s.profile.enterprises.as_ref().and_then(|e| e.count));
        "key_enterprises" => maybe |s| int(s.profile.enterprises.as_ref().and_then(|e| e.key.as_ref()).map(|k| k.len() as u64));
        "bounds_given" => |s| {
            let b = s.profile.boundary.as_ref().and_then(|b| b.four_bounds.as_ref());
            let n = b.map_or(0, |b| [&b.east, &b.south, &b.west, &b.north].iter().filter(|x| x.as_deref().is_some_and(|t| !t.is_empty())).count());
            (n as INT).into()
        };
        "overlaps" => maybe |s| int(s.profile.boundary.as_ref().and_then(|b| b.overlaps.as_ref()).map(|o| o.len() as u64));
        "governance_roles_filled" => maybe |s| {
            let (Some(g), Some(orgs)) = (s.profile.governance_model.as_ref(), s.profile.organizations.as_deref()) else { return Dynamic::UNIT };
            let mut filled = 0;
            for role in [&g.party_lead, &g.government, &g.enterprise, &g.society] {
                let Some(ids) = role else { return Dynamic::UNIT };
                if ids.iter().any(|id| orgs.iter().any(|o| &o.id == id)) { filled += 1; }
            }
            Dynamic::from(filled as INT)
        };
        "has_organizations" => |s| s.profile.organizations.is_some().into();
        "has_staff" => |s| s.profile.staff.is_some().into();
        "has_evaluations" => |s| s.profile.evaluations.is_some().into();
        "has_improvement_actions" => |s| s.profile.improvement_actions.is_some().into();
        "has_previous_evaluation" => |s| s.facts.previous_evaluation.is_some().into();
        "platform_name" => maybe |s| opt(s.profile.platform.as_ref().and_then(|p| p.name.clone()));
        "dedicated_grids" => maybe |s| list(s.profile.grids.as_ref().and_then(|g| g.items.as_ref()).map(|items| {
            items.iter().filter(|g| g.kind == Some(crate::model::GridKind::Dedicated)).map(|g| g.id.clone()).collect::<Vec<_>>()
        }));
        "has_platform" => |s| s.profile.platform.is_some().into();
        "integrations" => maybe |s| list(s.profile.platform.as_ref().map(|p| &p.integrations));
        "capabilities" => maybe |s| list(s.profile.platform.as_ref().map(|p| &p.capabilities));
        // `()` also when an indicator is outside the vocabulary (REVISION-2 G 7.4.2).
        "dashboard_indicators" => maybe |s| list(s.profile.platform.as_ref().map(|p| &p.dashboard_indicators).filter(|is| {
            is.iter().all(|i| crate::model::DashboardIndicator::parse(i).is_some())
        }));
        "privacy_controls" => maybe |s| list(s.profile.platform.as_ref().map(|p| &p.privacy_controls));
        "data_refresh_days" => maybe |s| int(s.profile.platform.as_ref().and_then(|p| p.enterprise_data_refresh_days));
        "has_catalogue" => |s| s.profile.service_catalogue.is_some().into();
        "catalogue_published_on" => maybe |s| opt(s.profile.service_catalogue.as_ref().and_then(|c| c.published_on.clone()));
        "catalogue_channels" => maybe |s| int(s.profile.service_catalogue.as_ref().map(|c| c.channels.len() as u64));
        "catalogue_items" => maybe |s| int(s.profile.service_catalogue.as_ref().and_then(|c| c.items.as_ref()).map(|i| i.len() as u64));
        "highest_party_level" => maybe |s| {
            let parties: Vec<_> = s.orgs_of("party-organization").collect();
            if parties.is_empty() { return Dynamic::from("none") }
            opt(parties.iter().filter_map(|o| o.level).max().map(|l| l.to_string()))
        };
        "new_stratum_groups" => |s| (s.facts.new_stratum_groups as INT).into();
        "has_latest_evaluation" => |s| s.latest().is_some().into();
        // Evaluations without a valid date: any of them could be the latest (8.2–8.4).
        "undated_evaluations" => |s| {
            let undated = s.facts.records.evaluations.as_deref().unwrap_or_default().iter().filter(|e| e.date.is_none()).count();
            (undated.saturating_sub(s.future_evaluations) as INT).into()
        };
        "latest_enterprise_n" => maybe |s| int(s.latest().and_then(|e| e.satisfaction.as_ref()).and_then(|x| x.enterprise_n));
        "latest_employee_n" => maybe |s| int(s.latest().and_then(|e| e.satisfaction.as_ref()).and_then(|x| x.employee_n));
        "latest_enterprise_rate" => maybe |s| dec(s.latest().and_then(|e| e.satisfaction.as_ref()).and_then(|x| x.enterprise_rate).and_then(crate::facts::exact));
        "latest_employee_rate" => maybe |s| dec(s.latest().and_then(|e| e.satisfaction.as_ref()).and_then(|x| x.employee_rate).and_then(crate::facts::exact));
        "latest_veto" => |s| s.latest().is_some_and(|e| e.veto_triggered == Some(true)).into();
        "previous_actions_unresolved" => |s| {
            let evaluations = s.profile.evaluations.as_deref().unwrap_or_default();
            let (Some(prev), Some(latest)) = (s.facts.previous_evaluation.and_then(|i| evaluations.get(i)), s.latest()) else { return Dynamic::from(0 as INT) };
            let actions = s.profile.improvement_actions.as_deref().unwrap_or_default();
            let unresolved = actions.iter().filter(|a| a.evaluation_id.as_deref() == Some(prev.id.as_str())).filter(|a| {
                if a.closed_on.is_some() { return false }
                let clause = prev.findings.iter().find(|f| Some(f.id.as_str()) == a.finding_id.as_deref()).and_then(|f| f.clause.as_deref());
                !clause.is_some_and(|c| latest.findings.iter().any(|f| f.clause.as_deref() == Some(c)))
            }).count();
            (unresolved as INT).into()
        };
        // Derived facts.
        "supporting_area_m2" => maybe |s| dec(s.facts.supporting_area_m2);
        "activity_area_m2" => maybe |s| dec(s.facts.activity_area_m2);
        "shared_without_agreement" => maybe |s| int(s.facts.shared_without_agreement);
        "space_kinds" => maybe |s| list(s.facts.space_kinds.clone());
        "maker_area_m2" => maybe |s| dec(s.facts.maker_area_m2);
        "open_weekdays" => maybe |s| int(s.facts.open_weekdays);
        "offpeak_sessions" => maybe |s| int(s.facts.offpeak_sessions);
        "full_time_staff" => maybe |s| int(s.facts.full_time_staff);
        "full_time_certified" => maybe |s| int(s.facts.full_time_certified);
        "full_time_social_workers" => maybe |s| int(s.facts.full_time_social_workers);
        "station_certified_social_workers" => maybe |s| int(s.facts.station_certified_social_workers);
        "grid_count" => maybe |s| int(s.facts.grid_count);
        "grid_unresolved_ids" => maybe |s| int(s.facts.grid_unresolved_ids());
        "building_partition_faults" => maybe |s| int(s.facts.building_partition_faults);
        "closed_without_feedback" => maybe |s| int(s.facts.closed_without_feedback);
        "hazards_found" => maybe |s| int(s.facts.hazards_found);
        "hazards_closed" => maybe |s| int(s.facts.hazards_closed);
        "emergency_plans" => maybe |s| int(s.facts.emergency_plans());
        "incomplete_services" => maybe |s| int(s.facts.incomplete_services);
        "enterprises_served" => maybe |s| int(s.facts.enterprises_served);
    }

    // Any value of the profile by JSON pointer (`()` when absent): the escape hatch for
    // local rules; prefer the getters above, which do not copy data.
    query!(engine, "get", |s: &mut Community,
                           pointer: &str|
     -> Dynamic {
        // The evaluation date, which `--as-of` may set apart from the profile's.
        if pointer == "/as_of" {
            return s.as_of.clone().into();
        }
        // Only the values on the pointer's way are made JSON (the whole profile, made and
        // dropped, cost more than all the rules on it).
        let picked = super::field::pointer_json(&*s.profile, pointer);
        let found = match &picked {
            Ok(value) => value.as_ref(),
            Err(_) => s
                .raw
                .get_or_init(|| serde_json::to_value(&*s.profile).unwrap_or_default())
                .pointer(pointer),
        };
        found
            .filter(|v| !v.is_null())
            .and_then(|v| rhai::serde::to_dynamic(v).ok())
            .unwrap_or(Dynamic::UNIT)
    });

    // Queries with arguments.
    engine.register_fn("count_orgs", |s: &mut Community, kind: &str| {
        s.orgs_of(kind).count() as INT
    });
    engine.register_fn("count_orgs_with_duties", |s: &mut Community, kind: &str| {
        s.orgs_of(kind).filter(|o| !o.duties.is_empty()).count() as INT
    });
    engine.register_fn("count_members", |s: &mut Community, kind: &str| {
        s.orgs_of(kind).map(|o| o.members.len()).sum::<usize>() as INT
    });
    engine.register_fn(
        "count_members",
        |s: &mut Community, kind: &str, affiliation: &str| {
            let a = parse_kind(Affiliation::ALL, affiliation);
            s.orgs_of(kind)
                .flat_map(|o| &o.members)
                .filter(|m| m.affiliation.is_some() && m.affiliation == a)
                .count() as INT
        },
    );
    engine.register_fn("has_member_group", |s: &mut Community, group: &str| {
        let g = parse_kind(NewStratumGroup::ALL, group);
        s.orgs_of("new-stratum-organization")
            .flat_map(|o| &o.members)
            .any(|m| m.group.is_some() && m.group == g)
    });
    engine.register_fn(
        "meetings",
        |s: &mut Community, kind: &str, window: Dynamic| {
            parse_kind(OrgKind::ALL, kind)
                .map_or(0, |k| s.facts.meetings_in_last_months(k, months(&window)))
                as INT
        },
    );
    engine.register_fn("consultations", |s: &mut Community, window: Dynamic| {
        s.facts.consultations_in_last_months(months(&window)) as INT
    });
    engine.register_fn(
        "troika",
        |s: &mut Community, kinds: Array, meetings_min: Dynamic, window: Dynamic| {
            troika(s, &kinds, &meetings_min, months(&window))
        },
    );
    // Working days (REVISION-2 D): the calendar is the `calendar` parameter.
    engine.register_type_with_name::<Arc<Calendar>>("Calendar");
    query!(engine, "requests_answered_in_time", |s: &mut Community,
                                                 calendar: Arc<
        Calendar,
    >| {
        timeliness(s.facts.requests_answered_in_time(&calendar))
    },);
    query!(engine, "requests_closed_in_time", |s: &mut Community,
                                               calendar: Arc<
        Calendar,
    >,
                                               kinds: Array,
                                               days: Dynamic|
     -> Result<
        Dynamic,
        Box<rhai::EvalAltResult>,
    > {
        let kinds = case_kinds(&kinds)?;
        let days = number(&days)
            .and_then(|d| {
                use rust_decimal::prelude::ToPrimitive;
                d.to_u32()
            })
            .ok_or("the number of working days must be a whole number, at least 0")?;
        Ok(timeliness(
            s.facts.requests_closed_in_time(&calendar, &kinds, days),
        ))
    },);
    query!(
        engine,
        "late_emergencies",
        |s: &mut Community, minutes: Dynamic| {
            int(number(&minutes).and_then(|m| s.facts.late_emergencies(m)))
        }
    );
    query!(
        engine,
        "inspections",
        |s: &mut Community, window: Dynamic| {
            int(s.facts.inspections_in_last_months(months(&window)))
        }
    );
    // Plans without a drill in the `days` before as_of (7.3.2).
    query!(
        engine,
        "plans_undrilled",
        |s: &mut Community, days: Dynamic| {
            use rust_decimal::prelude::ToPrimitive;
            let Some(days) = number(&days).and_then(|d| d.floor().to_i64()) else {
                return Dynamic::UNIT;
            };
            s.facts.plans_undrilled(days).map_or(Dynamic::UNIT, |g| {
                shortfall(g.plans, g.short.len(), g.describe_undrilled(days))
            })
        }
    );
    // Plans with fewer than `min` drills in the `months` before as_of (C.SM.2).
    query!(
        engine,
        "plans_drilled_fewer_than",
        |s: &mut Community, min: Dynamic, window: Dynamic| {
            use rust_decimal::prelude::ToPrimitive;
            let Some(min) = number(&min).and_then(|d| d.ceil().to_u64()) else {
                return Dynamic::UNIT;
            };
            let window = months(&window);
            s.facts
                .plans_drilled_fewer_than(min, window)
                .map_or(Dynamic::UNIT, |g| {
                    shortfall(g.plans, g.short.len(), g.describe_fewer(min, window))
                })
        },
    );
    // "1+3+N" staffing of every grid with `slots` as the "3" (6.7.1).
    query!(
        engine,
        "grid_staffing",
        |s: &mut Community, slots: Array| {
            let slots: Vec<String> = slots.iter().map(ToString::to_string).collect();
            s.facts.grid_staffing(&slots).map_or(Dynamic::UNIT, |st| {
                let mut m = rhai::Map::new();
                m.insert("grids".into(), Dynamic::from(st.grids as INT));
                m.insert("unstaffed".into(), Dynamic::from(st.gaps.len() as INT));
                m.insert("gap".into(), words(st.describe()));
                m.into()
            })
        }
    );
    query!(
        engine,
        "serious_incidents",
        |s: &mut Community, window: Dynamic| {
            int(s.facts.serious_incidents_in_last_months(months(&window)))
        }
    );
    query!(
        engine,
        "evaluations",
        |s: &mut Community, kind: &str, window: Dynamic, full_scores: bool| {
            let k = parse_kind(EvaluationKind::ALL, kind);
            if k.is_none() && !kind.is_empty() {
                return Dynamic::from(0 as INT);
            }
            int(s
                .facts
                .evaluations_within_months(k, months(&window), full_scores))
        },
    );
    engine.register_fn(
        "evidence_current",
        |s: &mut Community, clause: &str, window: Dynamic| {
            s.facts.has_current_evidence(clause, months(&window))
        },
    );
    query!(
        engine,
        "service_kinds",
        |s: &mut Community, domain: &str| {
            let d = parse_kind(Domain::ALL, domain);
            list(s.facts.service_kinds(d))
        }
    );
    query!(
        engine,
        "count_services_by_provider",
        |s: &mut Community, provider: &str| {
            let items = s
                .profile
                .service_catalogue
                .as_ref()
                .and_then(|c| c.items.as_deref());
            int(items.map(|is| {
                is.iter()
                    .filter(|i| i.provider_kind.is_some_and(|k| k.as_str() == provider))
                    .count() as u64
            }))
        },
    );
    query!(engine, "service_domains", |s: &mut Community| {
        let items = s
            .profile
            .service_catalogue
            .as_ref()
            .and_then(|c| c.items.as_deref());
        list(items.map(|is| {
            is.iter()
                .filter_map(|i| i.domain)
                .collect::<std::collections::BTreeSet<_>>()
        }))
    });
    query!(engine, "within_months", |s: &mut Community,
                                     date: Dynamic,
                                     window: Dynamic|
     -> Dynamic {
        let Some(text) = date
            .read_lock::<rhai::ImmutableString>()
            .map(|t| t.to_string())
        else {
            return Dynamic::UNIT;
        };
        crate::facts::parse_date(&text).map_or(Dynamic::UNIT, |d| {
            s.facts.clock().within_months(d, months(&window)).into()
        })
    },);
    // Grids over either limit; `()` when a grid lacks a value (G4).
    query!(
        engine,
        "grids_over",
        |s: &mut Community, max_enterprises: Dynamic, max_population: Dynamic| {
            let grids = s.profile.grids.as_ref().and_then(|g| g.items.as_deref());
            let (Some(grids), Some(me), Some(mp)) =
                (grids, number(&max_enterprises), number(&max_population))
            else {
                return Dynamic::UNIT;
            };
            let mut over = 0;
            for g in grids {
                let (Some(e), Some(p)) = (g.enterprises, g.population) else {
                    return Dynamic::UNIT;
                };
                if crate::facts::Decimal::from(e) > me || crate::facts::Decimal::from(p) > mp {
                    over += 1;
                }
            }
            Dynamic::from(over as INT)
        },
    );
    query!(
        engine,
        "grids_over",
        |s: &mut Community, max_enterprises: Dynamic| {
            let grids = s.profile.grids.as_ref().and_then(|g| g.items.as_deref());
            let (Some(grids), Some(me)) = (grids, number(&max_enterprises)) else {
                return Dynamic::UNIT;
            };
            let mut over = 0;
            for g in grids {
                let Some(e) = g.enterprises else {
                    return Dynamic::UNIT;
                };
                if crate::facts::Decimal::from(e) > me {
                    over += 1;
                }
            }
            Dynamic::from(over as INT)
        },
    );
    // Grids with buildings but no building liaison among their members (C.CB.1):
    // `#{ count, gap }`, `()` without grids.
    query!(engine, "grids_without_liaison", |s: &mut Community| {
        let Some(grids) = s.profile.grids.as_ref().and_then(|g| g.items.as_deref()) else {
            return Dynamic::UNIT;
        };
        // (place in the list from 1, id): Chinese prose names grids by place (第3个网格).
        let missing: Vec<(usize, &str)> = grids
            .iter()
            .enumerate()
            .filter(|(_, g)| !g.buildings.is_empty())
            .filter(|(_, g)| {
                !g.one
                    .iter()
                    .chain(&g.three)
                    .chain(&g.n)
                    .any(|id| s.staff_with_role(id, Role::EnterpriseLiaison))
            })
            .map(|(i, g)| (i + 1, g.id.as_str()))
            .collect();
        let gap = (!missing.is_empty()).then(|| {
            let places: Vec<String> = missing.iter().map(|(n, _)| n.to_string()).collect();
            let ids: Vec<&str> = missing.iter().map(|(_, id)| *id).collect();
            (
                format!(
                    "未配楼宇联络员的楼宇网格 {} 个：第{}个网格",
                    missing.len(),
                    places.join("、")
                ),
                format!(
                    "{} grid(s) with buildings but no building liaison: {}",
                    missing.len(),
                    ids.join(", ")
                ),
            )
        });
        let mut m = rhai::Map::new();
        m.insert("count".into(), Dynamic::from(missing.len() as INT));
        m.insert("gap".into(), words(gap));
        m.into()
    });
    // Findings of the latest evaluation without an action with an owner and a due date
    // within `days` of the evaluation (8.4.1); `()` when an evaluation is undated.
    query!(
        engine,
        "findings_unanswered",
        |s: &mut Community, days: Dynamic| {
            let (Some(days), Some(evaluations)) = (whole(&days), s.profile.evaluations.as_deref())
            else {
                return Dynamic::UNIT;
            };
            let actions = s.profile.improvement_actions.as_deref().unwrap_or_default();
            list(facts::findings_unanswered(
                evaluations,
                s.facts.latest_evaluation,
                actions,
                days,
            ))
        }
    );
    // Actions of evaluations at least `days` old not verified and closed within `days` of
    // the evaluation (8.4.2); `()` when an action's evaluation is missing or undated.
    query!(
        engine,
        "actions_not_closed_in_time",
        |s: &mut Community, days: Dynamic| {
            let (Some(days), Some(actions)) =
                (whole(&days), s.profile.improvement_actions.as_deref())
            else {
                return Dynamic::UNIT;
            };
            let evaluations = s.profile.evaluations.as_deref().unwrap_or_default();
            list(facts::actions_not_closed_in_time(
                evaluations,
                actions,
                s.facts.as_of,
                days,
            ))
        },
    );
    // Premises with opening hours and the names of those open on fewer than `min`
    // weekdays (5.2.3): `#{ with_hours, below }`, `()` without premises.
    query!(
        engine,
        "premises_open_days",
        |s: &mut Community, min: Dynamic| {
            let (Some(min), Some(premises)) = (whole(&min), s.profile.premises.as_deref()) else {
                return Dynamic::UNIT;
            };
            let days = facts::open_days(premises, u64::try_from(min).unwrap_or(0));
            let mut map = rhai::Map::new();
            map.insert("with_hours".into(), (days.with_hours as INT).into());
            map.insert("below".into(), strings(days.below).into());
            map.into()
        }
    );
    // Off-peak sessions a week by kind (`"off-peak"`: 5.2.4, `"shift"`: C.SM.4):
    // `#{ total, weekend, evening, lunch, early }`, `()` without premises.
    query!(engine, "sessions", |s: &mut Community, rule: &str| {
        let rule = match rule {
            "off-peak" => facts::SessionRule::OffPeak,
            "shift" => facts::SessionRule::Shift,
            _ => return Dynamic::UNIT,
        };
        let Some(premises) = s.profile.premises.as_deref() else {
            return Dynamic::UNIT;
        };
        let n = facts::sessions(premises, rule);
        let mut map = rhai::Map::new();
        for (k, v) in [
            ("total", n.total()),
            ("weekend", n.weekend),
            ("evening", n.evening),
            ("lunch", n.lunch),
            ("early", n.early),
        ] {
            map.insert(k.into(), (v as INT).into());
        }
        map.into()
    });
    // Enterprise social work stations and those with fewer than `min` certified social
    // workers, as "name (count)" (6.4.2): `#{ stations, below }`, `()` without staff.
    query!(
        engine,
        "stations_below",
        |s: &mut Community, min: Dynamic| {
            let (Some(min), Some(stations)) = (whole(&min), facts::station_staffing(&s.profile))
            else {
                return Dynamic::UNIT;
            };
            let below: Vec<String> = stations
                .iter()
                .filter(|(_, n)| i64::try_from(*n).unwrap_or(i64::MAX) < min)
                .map(|(name, n)| format!("{name} ({n})"))
                .collect();
            let mut map = rhai::Map::new();
            map.insert("stations".into(), (stations.len() as INT).into());
            map.insert("below".into(), strings(below).into());
            map.into()
        }
    );
    // The monthly windows of the 12 months before as_of with fewer than `per_month`
    // inspections, oldest first, as "first–last day" (7.3.1); `()` without a register or
    // when an undated inspection could fill a short month.
    query!(
        engine,
        "months_without_inspection",
        |s: &mut Community, per_month: Dynamic| {
            let Some(n) = whole(&per_month) else {
                return Dynamic::UNIT;
            };
            list(
                facts::months_without_inspection(&s.facts, u64::try_from(n).unwrap_or(0)).map(
                    |months| {
                        months
                            .into_iter()
                            .map(|(from, to)| format!("{from}–{to}"))
                            .collect::<Vec<_>>()
                    },
                ),
            )
        },
    );
}

/// Answers with the gap in words for a verdict's `.detail(zh, en)`: the map `values` plus
/// `detail_zh` and `detail_en`.
fn with_detail(values: &[(&str, usize)], (zh, en): (String, String)) -> Dynamic {
    let mut map = rhai::Map::new();
    for (name, n) in values {
        map.insert((*name).into(), Dynamic::from(*n as INT));
    }
    map.insert("detail_zh".into(), zh.into());
    map.insert("detail_en".into(), en.into());
    map.into()
}

/// Queries of REVISION-2 computed natively: party levels (6.1.2), key enterprise visits
/// (7.7.3) and enterprises served (7.7.4).
fn register_enterprises_and_party(engine: &mut rhai::Engine) {
    // `#{counted, unknown_level, misfits, detail_zh, detail_en}`, `()` without organisations.
    query!(engine, "party_levels", |s: &mut Community,
                                    general_branch_min: Dynamic,
                                    committee_min: Dynamic|
     -> Dynamic {
        use rust_decimal::prelude::ToPrimitive;
        let whole = |d: &Dynamic| number(d).and_then(|n| n.floor().to_u64());
        let (Some(branch), Some(committee)) = (whole(&general_branch_min), whole(&committee_min))
        else {
            return Dynamic::UNIT;
        };
        crate::facts::party_levels(&s.profile, branch, committee).map_or(Dynamic::UNIT, |l| {
            with_detail(
                &[
                    ("counted", l.counted),
                    ("unknown_level", l.unknown_level.len()),
                    ("misfits", l.misfits.len()),
                ],
                l.gaps(),
            )
        })
    },);
    // `#{missing, detail_zh, detail_en}`: the indicators of `required` the cockpit lacks;
    // `()` like `c.dashboard_indicators`.
    query!(engine, "missing_indicators", |s: &mut Community,
                                          required: Array|
     -> Dynamic {
        use crate::model::DashboardIndicator;
        let Some(have) = s.profile.platform.as_ref().map(|p| &p.dashboard_indicators) else {
            return Dynamic::UNIT;
        };
        if have.iter().any(|i| DashboardIndicator::parse(i).is_none()) {
            return Dynamic::UNIT;
        }
        let missing: Vec<String> = required
            .iter()
            .map(ToString::to_string)
            .filter(|r| !have.contains(r))
            .collect();
        // Named in Chinese by the vocabulary's first Chinese name.
        let zh = |codes: &[String]| -> String {
            let names: Vec<&str> = codes
                .iter()
                .map(|c| {
                    DashboardIndicator::parse(c)
                        .and_then(|i| i.zh_names().first().copied())
                        .unwrap_or(c.as_str())
                })
                .collect();
            names.join("、")
        };
        let words = if missing.is_empty() {
            let shown: Vec<String> = required.iter().map(ToString::to_string).collect();
            (
                format!("：已展示{}", zh(&shown)),
                format!(": shows {}", shown.join(", ")),
            )
        } else {
            (
                format!("：缺少{}", zh(&missing)),
                format!(": missing {}", missing.join(", ")),
            )
        };
        with_detail(&[("missing", missing.len())], words)
    },);
    // `#{keys, with_gap, detail_zh, detail_en}`, `()` when a visit cannot be placed.
    getter(engine, "key_visits", true, |s: &mut Community| -> Dynamic {
        crate::facts::key_visits(&s.profile, s.facts.clock()).map_or(Dynamic::UNIT, |v| {
            with_detail(
                &[("keys", v.keys), ("with_gap", v.with_gap.len())],
                v.gaps(),
            )
        })
    });
    // `()` when absent, or more than `enterprises.count` (invalid, so absent: REVISION-2 E).
    getter(
        engine,
        "enterprises_served_12m",
        true,
        |s: &mut Community| -> Dynamic {
            let e = s.profile.enterprises.as_ref();
            let served = e.and_then(|e| e.served_12m);
            int(served.filter(|n| e.and_then(|e| e.count).is_none_or(|count| *n <= count)))
        },
    );
}

/// The names scripts can use on `c`, read back from what `register` registers: the
/// properties (`c.population`) and the methods with their numbers of arguments after `c`
/// (`c.meetings(kind, months)` → 2). Read-only and built on a throwaway engine; `icgs lint`
/// uses it to catch a misspelt property before a community does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommunityNames {
    /// Getter names, sorted.
    pub properties: std::collections::BTreeSet<String>,
    /// Method names with their argument counts (without `c`), sorted.
    pub methods: std::collections::BTreeMap<String, std::collections::BTreeSet<usize>>,
    /// Every function a rule script can call by name: the verdict helpers, the community's
    /// queries and the sandbox's standard functions.
    pub functions: std::collections::BTreeSet<String>,
    /// Properties and methods declared `MAY_BE_MISSING`.
    pub may_be_missing: std::collections::BTreeSet<String>,
    /// Functions every native overload of which takes typed values only: `()` cannot be
    /// passed to them (`abs(())` fails with "Function not found").
    pub typed_only: std::collections::BTreeSet<String>,
}

/// Lists the properties and methods of `c` (see [`CommunityNames`]).
pub fn community_names() -> CommunityNames {
    let mut engine = rhai::Engine::new_raw();
    register(&mut engine);
    let mut names = CommunityNames::default();
    let json = engine.gen_fn_metadata_to_json(false).unwrap_or_default();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    let functions = value.get("functions").and_then(serde_json::Value::as_array);
    for f in functions.into_iter().flatten() {
        let name = f.get("name").and_then(serde_json::Value::as_str);
        let arity = f.get("numParams").and_then(serde_json::Value::as_u64);
        let (Some(name), Some(arity)) = (name, arity) else {
            continue;
        };
        if !name.contains('$') {
            names.functions.insert(name.to_owned());
        }
        let comments = f.get("docComments").and_then(serde_json::Value::as_array);
        if comments.is_some_and(|c| c.iter().any(|c| c == MAY_BE_MISSING)) {
            let bare = name.strip_prefix("get$").unwrap_or(name);
            names.may_be_missing.insert(bare.to_owned());
        }
        if let Some(property) = name.strip_prefix("get$") {
            names.properties.insert(property.to_owned());
        } else if !name.starts_with("set$") {
            let arguments = usize::try_from(arity.saturating_sub(1)).unwrap_or(0);
            names
                .methods
                .entry(name.to_owned())
                .or_default()
                .insert(arguments);
        }
    }
    // The hardened sandbox the rules run on, with the verdict helpers and its packages.
    let mut sandbox = super::sandbox::hardened(&super::Limits::default());
    super::verdict::register(&mut sandbox);
    register(&mut sandbox);
    let json = sandbox.gen_fn_metadata_to_json(true).unwrap_or_default();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    let functions = value.get("functions").and_then(serde_json::Value::as_array);
    // name → whether some overload takes an untyped value (a `Dynamic`, `()` or any type).
    let mut untyped: std::collections::BTreeMap<&str, bool> = std::collections::BTreeMap::new();
    for f in functions.into_iter().flatten() {
        let Some(name) = f.get("name").and_then(serde_json::Value::as_str) else {
            continue;
        };
        if name.contains('$') {
            continue;
        }
        names.functions.insert(name.to_owned());
        let params = f.get("params").and_then(serde_json::Value::as_array);
        let takes_any = params.into_iter().flatten().any(|p| {
            p.get("type")
                .and_then(serde_json::Value::as_str)
                .is_none_or(|t| t.contains("Dynamic") || t == "()" || t == "?")
        });
        *untyped.entry(name).or_default() |= takes_any;
    }
    names.typed_only = untyped
        .into_iter()
        .filter(|(_, any)| !any)
        .map(|(n, _)| n.to_owned())
        .collect();
    names
}
