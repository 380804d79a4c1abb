//! Evaluating one profile: facts once, then every rule, waivers, score and plan.

use std::ops::Range;
use std::sync::Arc;

use rhai::{CallFnOptions, Dynamic, EvalAltResult, Scope};
use serde_json::Value;

use super::build::param_to_dynamic;
use super::sandbox::{self, DEADLINE_TOKEN};
use super::subject::Subject;
use super::verdict::Verdict;
use super::{CompiledRule, Engine};
use crate::facts::{Facts, parse_date};
use crate::model::CommunityProfile;
use crate::report::{
    EngineInfo, ProfileInfo, REPORT_VERSION, Report, RuleError, RuleProvenance, RuleResult,
    ScoreCard, score,
};
use crate::types::{Level, Outcome, Text as Message};
use crate::waiver::WaiverSet;

/// What an evaluation uses besides the profile: an evaluation date instead of the
/// profile's `as_of`, and waivers besides the profile's own. Never the wall clock.
///
/// ```
/// let options = icgs::EvalOptions::new().as_of("2026-06-30").unwrap();
/// let engine = icgs::Engine::standard().unwrap().with_options(options);
/// # let _ = engine;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvalOptions {
    as_of: Option<(chrono::NaiveDate, String)>,
    waivers: WaiverSet,
    trust_profile_waivers: bool,
}

impl EvalOptions {
    /// Options that change nothing: each profile's `as_of`, each profile's waivers.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Evaluates as of `date` (`YYYY-MM-DD`) instead of each profile's `as_of`: every time
    /// window, effective date and waiver is judged against it.
    ///
    /// # Errors
    /// [`EvaluateError::AsOfOption`] when `date` is not a date.
    pub fn as_of(mut self, date: &str) -> Result<Self, EvaluateError> {
        let parsed = (date.len() == 10)
            .then(|| parse_date(date))
            .flatten()
            .ok_or_else(|| EvaluateError::AsOfOption {
                value: date.to_owned(),
            })?;
        self.as_of = Some((parsed, date.to_owned()));
        Ok(self)
    }

    /// Adds waivers (from waiver files) to every evaluation, after the profile's own.
    #[must_use]
    pub fn waivers(mut self, waivers: WaiverSet) -> Self {
        self.waivers.extend(waivers);
        self
    }

    /// The evaluation date given, if any.
    #[must_use]
    pub fn as_of_date(&self) -> Option<&str> {
        self.as_of.as_ref().map(|(_, text)| text.as_str())
    }

    /// Applies the waivers written in each profile (`waivers[]`) too. Off by default: a
    /// community's own profile cannot waive its own failures; its waivers are reported as
    /// `untrusted` and waivers come from the approval authority's files ([`Self::waivers`]).
    #[must_use]
    pub fn trust_profile_waivers(mut self, trust: bool) -> Self {
        self.trust_profile_waivers = trust;
        self
    }

    /// The waivers added to every evaluation.
    #[must_use]
    pub const fn extra_waivers(&self) -> &WaiverSet {
        &self.waivers
    }
}

/// Input bytes could not be checked: unreadable profile or no evaluation possible.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckError {
    /// The bytes cannot be read into the profile model.
    #[error(transparent)]
    Profile(#[from] crate::ProfileError),
    /// The profile cannot be evaluated.
    #[error(transparent)]
    Evaluate(#[from] EvaluateError),
}

/// Why a rule produced no verdict.
enum Failure {
    /// The script failed (limit, deadline, throw, wrong return type).
    Script(Box<EvalAltResult>),
    /// The plugin failed, panicked or answered badly.
    Plugin(String),
}

/// A profile could not be evaluated at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvaluateError {
    /// `as_of` is not a `YYYY-MM-DD` date: no time window can be measured.
    #[error("profile `{id}`: `as_of` is `{as_of}`, expected a date like `2026-06-30`")]
    AsOf {
        /// The profile id.
        id: String,
        /// The value found.
        as_of: String,
    },
    /// The evaluation date given instead of the profile's is not a date.
    #[error("the evaluation date `{value}` is not a date like `2026-06-30`")]
    AsOfOption {
        /// The value given.
        value: String,
    },
    /// The profile's category is registered by no pack or plugin in force.
    #[error(
        "profile `{id}`: category `{category}` is registered by no pack or plugin in force; known categories: {}; a local category needs its pack or plugin loaded",
        known.join(", ")
    )]
    UnknownCategory {
        /// The profile id.
        id: String,
        /// The category declared.
        category: String,
        /// The categories the engine knows.
        known: Vec<String>,
    },
}

impl Engine {
    /// Evaluates every rule against `profile`. Per-rule failures are results with outcome
    /// `error`; `Err` only when nothing can be evaluated.
    ///
    /// Takes the profile by value or shared (`Arc`): a caller that keeps the profile
    /// shares it instead of copying it.
    ///
    /// # Errors
    /// [`EvaluateError::AsOf`] when `as_of` is not a valid date.
    pub fn evaluate(
        &self,
        profile: impl Into<Arc<CommunityProfile>>,
    ) -> Result<Report, EvaluateError> {
        self.evaluate_with(profile, &self.options)
    }

    /// Reads, checks and evaluates profile bytes: the report carries the SHA-256 of the
    /// bytes and the problems that did not stop the evaluation.
    ///
    /// # Errors
    /// [`CheckError`] when the bytes cannot be read into the model or `as_of` is invalid.
    pub fn check_bytes(
        &self,
        source_name: &str,
        bytes: &[u8],
        options: &crate::ReadOptions,
    ) -> Result<Report, CheckError> {
        self.check_bytes_with(source_name, bytes, options, &self.options)
    }

    /// As [`Engine::check_bytes`], with `eval` instead of the engine's [`EvalOptions`].
    ///
    /// # Errors
    /// [`CheckError`] when the bytes cannot be read into the model, `as_of` is invalid, or
    /// the primary category is registered by no pack or plugin in force.
    pub fn check_bytes_with(
        &self,
        source_name: &str,
        bytes: &[u8],
        options: &crate::ReadOptions,
        eval: &EvalOptions,
    ) -> Result<Report, CheckError> {
        use sha2::Digest;
        let (profile, problems) = crate::read_profile(source_name, bytes, options)?;
        // Checking a community against categories nobody loaded would only report 4.2.2 and
        // silently skip the local clauses: refuse and say what is known.
        if let Some(category) = &profile.category
            && !self.categories.contains_key(category.as_str())
        {
            return Err(EvaluateError::UnknownCategory {
                id: profile.id.clone(),
                category: category.to_string(),
                known: self.categories.keys().cloned().collect(),
            }
            .into());
        }
        let mut report = self.evaluate_read(Arc::new(profile), eval, &problems)?;
        report.profile.sha256 = Some(format!("{:x}", sha2::Sha256::digest(bytes)));
        Ok(report)
    }

    /// Evaluates a profile [`read_profile`](crate::read_profile) returned with `problems`:
    /// the report lists them, each result names those at its inputs, and a rule that read a
    /// value taken out as invalid is `insufficient-data` (REVISION-2 section E).
    ///
    /// # Errors
    /// [`EvaluateError::AsOf`] when `as_of` is not a valid date.
    pub fn evaluate_read(
        &self,
        profile: Arc<CommunityProfile>,
        eval: &EvalOptions,
        problems: &[crate::Problem],
    ) -> Result<Report, EvaluateError> {
        let problems: Vec<crate::report::ProfileProblem> = problems
            .iter()
            .map(|p| crate::report::ProfileProblem {
                pointer: p.pointer().to_owned(),
                code: p.code(),
                message: p.message().to_owned(),
                message_zh: p.message_zh().to_owned(),
                absent: p.absent_pointer().map(str::to_owned),
            })
            .collect();
        let mut report = self.evaluate_checked(profile, eval, &problems)?;
        report.profile_problems = problems;
        Ok(report)
    }

    /// Evaluates `profile` with `eval` instead of the engine's [`EvalOptions`]: another
    /// evaluation date, other waivers.
    ///
    /// # Errors
    /// [`EvaluateError::AsOf`] when the profile's `as_of` is not a valid date (and no
    /// other date is given).
    pub fn evaluate_with(
        &self,
        profile: impl Into<Arc<CommunityProfile>>,
        eval: &EvalOptions,
    ) -> Result<Report, EvaluateError> {
        self.evaluate_checked(profile.into(), eval, &[])
    }

    /// As [`Engine::evaluate_with`], for a profile read with validation `problems`: each
    /// result lists the problems at its inputs, and a rule that read a value taken out as
    /// invalid is `insufficient-data` (REVISION-2 section E), before waivers and scoring.
    fn evaluate_checked(
        &self,
        profile: Arc<CommunityProfile>,
        eval: &EvalOptions,
        problems: &[crate::report::ProfileProblem],
    ) -> Result<Report, EvaluateError> {
        // `--as-of`: the profile as if dated then (windows, effective dates, waivers); the
        // date goes with the facts and the subject, the profile stays as read.
        let (facts, as_of_text) = match &eval.as_of {
            Some((date, text)) => (Facts::derive_at(&profile, *date), text.clone()),
            None => (
                Facts::derive(&profile).ok_or_else(|| EvaluateError::AsOf {
                    id: profile.id.clone(),
                    as_of: profile.as_of.clone(),
                })?,
                profile.as_of.clone(),
            ),
        };
        let applicable: Vec<&str> = profile
            .category
            .iter()
            .chain(&profile.secondary_categories)
            .map(|c| c.as_str())
            .collect();
        let registered: Vec<&super::CategoryInfo> = applicable
            .iter()
            .filter_map(|c| self.categories.get(*c))
            .collect();
        let as_of = facts.as_of;
        let serious = facts.serious_incidents_in_last_months(self.scoring.veto_incident_months);
        let subject = Arc::new(Subject {
            category_registered: profile
                .category
                .as_ref()
                .is_some_and(|c| self.categories.contains_key(c.as_str())),
            category_spaces: self.category_spaces(&registered, as_of),
            raw: std::sync::OnceLock::new(),
            future_evaluations: future_evaluations(problems),
            facts,
            as_of: as_of_text,
            profile: Arc::clone(&profile),
        });

        let answers = super::plugins::answer(self, &subject, &applicable, &registered);
        let mut results: Vec<RuleResult> = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, rule)| self.run(rule, i, &subject, &applicable, &registered, &answers))
            .collect();
        mark_invalid_inputs(&mut results, problems);
        // G11: waivers of the profile and of the options, judged at the evaluation date.
        let policy = self.waiver_policy(as_of, registered.as_slice(), eval.trust_profile_waivers);
        let (valid, waiver_problems) = self.judge_waivers(&profile, eval, as_of, &policy);
        crate::waiver::apply(&mut results, &valid);
        let (summary, improvement_plan) = score(
            &results,
            ScoreCard {
                scoring: &self.scoring,
                serious_incidents: serious,
                proposals_cap_grade: self.proposals_cap_grade(as_of, &registered),
            },
        );
        Ok(Report {
            report_version: REPORT_VERSION.to_owned(),
            engine: EngineInfo {
                name: "icgs".into(),
                version: super::ENGINE_VERSION.into(),
            },
            profile: profile_info(&profile, &subject.as_of),
            packs: self.packs.clone(),
            results,
            summary,
            improvement_plan,
            profile_problems: Vec::new(),
            evaluated_as_of: subject.as_of.clone(),
            derogations: self.derogations_at(as_of),
            waiver_problems,
            overlay_chain: self.chain.clone(),
        })
    }

    /// The profile's and the options' waivers judged at `as_of` (G11): those that hold, and
    /// the problems of those that do not. A rule's waivability is the one in force then.
    fn judge_waivers<'a>(
        &self,
        profile: &'a CommunityProfile,
        eval: &'a EvalOptions,
        as_of: chrono::NaiveDate,
        policy: &crate::waiver::Policy,
    ) -> (
        Vec<crate::waiver::Valid<'a>>,
        Vec<crate::report::WaiverProblem>,
    ) {
        crate::waiver::judge(
            &profile.id,
            &profile.waivers,
            &eval.waivers,
            as_of,
            policy,
            |id| {
                let i = self.rules.iter().position(|r| r.meta.id == id)?;
                Some(
                    self.layers
                        .per_rule
                        .get(i)
                        .and_then(|l| l.history.as_ref())
                        .is_none_or(|h| h.state_at(as_of).waivable),
                )
            },
        )
    }

    /// The spaces that the community's registered categories ask for at `as_of` (sorted, no
    /// repeats); `None` when no category is registered.
    fn category_spaces(
        &self,
        registered: &[&super::CategoryInfo],
        as_of: chrono::NaiveDate,
    ) -> Option<Vec<String>> {
        (!registered.is_empty()).then(|| {
            let mut spaces: Vec<String> = registered
                .iter()
                .flat_map(|c| {
                    self.layers
                        .layering
                        .categories
                        .get(&c.id)
                        .map_or(c.spaces.as_slice(), |h| h.spaces_at(as_of))
                        .iter()
                        .cloned()
                })
                .collect();
            spaces.sort();
            spaces.dedup();
            spaces
        })
    }

    /// The derogations of the overlay chain, each marked in effect or not at `as_of`.
    fn derogations_at(&self, as_of: chrono::NaiveDate) -> Vec<crate::types::DerogationEntry> {
        self.layers
            .layering
            .derogations
            .iter()
            .map(|(d, window)| crate::types::DerogationEntry {
                in_effect: window.contains(as_of),
                ..d.clone()
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments, reason = "one rule's whole context")]
    fn run(
        &self,
        rule: &CompiledRule,
        index: usize,
        subject: &Arc<Subject>,
        applicable: &[&str],
        registered: &[&super::CategoryInfo],
        answers: &super::plugins::Answers,
    ) -> RuleResult {
        let meta = &rule.meta;
        let mut result = new_result(rule);
        let as_of = subject.facts.as_of;
        let layer = self.layers.per_rule.get(index);
        if let Some(message) = layer
            .and_then(|l| l.history.as_ref())
            .and_then(|h| self.apply_history(h, meta, as_of, &mut result))
        {
            result.message = message;
            fill_remedy(&mut result, rule, layer);
            return result;
        }
        // G10: a category rule applies only to its categories.
        if !meta.categories.is_empty()
            && !meta
                .categories
                .iter()
                .any(|c| applicable.contains(&c.as_str()))
        {
            result.message = Message {
                zh: "不适用：非本类别社区".into(),
                en: "not applicable: the community is not of this category".into(),
            };
            fill_remedy(&mut result, rule, layer);
            return result;
        }
        let dynamic = layer.is_some_and(|l| l.dynamic);
        let params = self.params_for(rule, dynamic, as_of, registered, &mut result);
        fill_remedy(&mut result, rule, layer);
        match self.call(rule, subject, params, answers) {
            Ok(verdict) => record_verdict(&mut result, verdict, rule),
            Err(failure) => self.record_failure(&mut result, failure, rule),
        }
        result
    }

    /// The layers' say on a rule at `as_of`: its provenance, and the level in force (with its
    /// weight) written into `result`; the message when the rule is not in force then or a
    /// layer disabled it, which makes it not applicable.
    fn apply_history(
        &self,
        h: &crate::pack::RuleHistory,
        meta: &crate::pack::RuleMeta,
        as_of: chrono::NaiveDate,
        result: &mut RuleResult,
    ) -> Option<Message> {
        let state = h.state_at(as_of);
        result.provenance = RuleProvenance {
            defined_by: h.defined_by.clone(),
            changed_by: state.active.last().map(|s| s.by.clone()),
            changes: state.active.iter().map(|s| s.info()).collect(),
        };
        if state.level != meta.level {
            result.level = state.level;
            result.weight = super::effective_weight(
                &crate::pack::RuleMeta {
                    level: state.level,
                    ..meta.clone()
                },
                &self.scoring,
            );
        }
        if !h.in_force(as_of) {
            let day = |d: Option<chrono::NaiveDate>| d.map_or("…".to_owned(), |d| d.to_string());
            let (from, until) = (
                day(h.defined_by.effective_from),
                day(h.defined_by.effective_until),
            );
            return Some(Message {
                zh: format!("不适用：本条款在 {as_of} 未生效（有效期 {from} 至 {until}）"),
                en: format!(
                    "not applicable: the rule is not in force on {as_of} (in force {from} to {until})"
                ),
            });
        }
        state.disabled.map(|step| {
            let why = step.justification.as_deref().unwrap_or_default();
            Message {
                zh: format!("不适用：已由 {} 停用（{why}）", step.by.pack_ref()),
                en: format!("not applicable: disabled by {} ({why})", step.by.pack_ref()),
            }
        })
    }

    /// The rule's verdict: its plugin's answer, or its script's `check` run in the sandbox.
    fn call(
        &self,
        rule: &CompiledRule,
        subject: &Arc<Subject>,
        params: Dynamic,
        answers: &super::plugins::Answers,
    ) -> Result<Verdict, Failure> {
        if rule.plugin.is_some() {
            return answers
                .get(&rule.meta.id)
                .cloned()
                .unwrap_or_else(|| Err("the plugin returned no result for this rule".into()))
                .map_err(Failure::Plugin);
        }
        sandbox::arm(&self.limits);
        let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
        let outcome = self.rhai.call_fn_with_options::<Verdict>(
            options,
            &mut Scope::new(),
            &rule.ast,
            "check",
            (Arc::clone(subject), params),
        );
        sandbox::disarm();
        outcome.map_err(Failure::Script)
    }

    /// A failed rule: outcome `error`, the reason in both languages, and where it failed.
    fn record_failure(&self, result: &mut RuleResult, failure: Failure, rule: &CompiledRule) {
        let (message, mut line, mut column) = match failure {
            Failure::Script(err) => self.describe(&err),
            Failure::Plugin(message) => (message, None, None),
        };
        if line.is_none() && rule.plugin.is_none() {
            (line, column) = (rule.check_line, None);
        }
        result.outcome = Outcome::Error;
        result.message = Message {
            zh: format!("规则执行错误：{message}"),
            en: format!("rule failed: {message}"),
        };
        result.error = Some(RuleError {
            message,
            file: Some(rule.file.clone()),
            line,
            column,
        });
    }

    /// The value of parameter `name` in force at `as_of` for a community of these categories.
    pub(super) fn param_at(
        &self,
        name: &str,
        as_of: chrono::NaiveDate,
        registered: &[&super::CategoryInfo],
    ) -> Option<crate::pack::ParamValue> {
        let cats: Vec<&str> = registered.iter().map(|c| c.id.as_str()).collect();
        self.layers
            .layering
            .params
            .get(name)
            .and_then(|h| h.at(as_of, &cats))
            .map(|step| step.value.clone())
    }

    /// The waiver parameters (see [`super::HOST_PARAMS`]) in force at `as_of` for a community
    /// of these categories.
    fn waiver_policy(
        &self,
        as_of: chrono::NaiveDate,
        registered: &[&super::CategoryInfo],
        trust_profile: bool,
    ) -> crate::waiver::Policy {
        use crate::pack::ParamValue;
        crate::waiver::Policy {
            max_days: match self.param_at("waiver_max_days", as_of, registered) {
                Some(ParamValue::Int(days)) => Some(days),
                _ => None,
            },
            non_waivable: match self.param_at("non_waivable_rules", as_of, registered) {
                Some(ParamValue::List(ids)) => ids,
                _ => Vec::new(),
            },
            trust_profile,
        }
    }

    /// The `proposals_cap_grade` parameter in force for this community (false when no pack
    /// declares it).
    fn proposals_cap_grade(
        &self,
        as_of: chrono::NaiveDate,
        registered: &[&super::CategoryInfo],
    ) -> bool {
        self.param_at(PROPOSALS_CAP_GRADE, as_of, registered)
            == Some(crate::pack::ParamValue::Bool(true))
    }

    /// The rule's parameters: resolved once at build time, or, when one depends on the date
    /// or the community's categories, through the layers in force at `as_of`.
    fn params_for(
        &self,
        rule: &CompiledRule,
        dynamic: bool,
        as_of: chrono::NaiveDate,
        registered: &[&super::CategoryInfo],
        result: &mut RuleResult,
    ) -> Dynamic {
        if !dynamic {
            return rule.params.clone();
        }
        let cats: Vec<&str> = registered.iter().map(|c| c.id.as_str()).collect();
        let mut map = rule.params.clone().cast::<rhai::Map>();
        for (name, used) in Arc::make_mut(&mut result.params) {
            let Some(step) = self
                .layers
                .layering
                .params
                .get(name)
                .and_then(|h| h.at(as_of, &cats))
            else {
                continue;
            };
            map.insert(name.as_str().into(), param_to_dynamic(&step.value));
            used.value = step.value.to_json();
            used.layer = step.by.pack_ref();
            used.set_by = step.by.clone();
            used.category.clone_from(&step.category);
        }
        Dynamic::from_map(map)
    }

    fn describe(&self, err: &EvalAltResult) -> (String, Option<usize>, Option<usize>) {
        // The innermost error names the real position.
        let mut inner = err;
        while let EvalAltResult::ErrorInFunctionCall(_, _, e, _)
        | EvalAltResult::ErrorInModule(_, e, _) = inner
        {
            inner = e;
        }
        let pos = inner.position();
        let message = match inner {
            EvalAltResult::ErrorTerminated(token, _) if token.to_string() == DEADLINE_TOKEN => {
                format!(
                    "wall-clock deadline of {} ms exceeded",
                    self.limits.deadline.as_millis()
                )
            }
            EvalAltResult::ErrorMismatchOutputType(_, actual, _) => {
                format!(
                    "`check` returned `{actual}`, expected a verdict (pass(), fail(), at_least(…) …)"
                )
            }
            other => {
                let mut text = other.to_string();
                if let Some(cut) = text.find(" (line ") {
                    text.truncate(cut);
                }
                text
            }
        };
        (message, pos.line(), pos.position())
    }
}

/// A rule's result before it runs: its metadata, not applicable, no message.
fn new_result(rule: &CompiledRule) -> RuleResult {
    let meta = &rule.meta;
    RuleResult {
        rule: meta.id.clone().into(),
        clause: meta.clause.clone(),
        level: meta.level,
        dimension: meta.dimension,
        outcome: Outcome::NotApplicable,
        observed: Value::Null,
        required: Value::Null,
        message: Message::default(),
        evidence: Vec::new(),
        params: Arc::clone(&rule.param_uses),
        waiver: None,
        error: None,
        title: Message {
            zh: meta.title.zh.clone(),
            en: meta.title.en.clone(),
        },
        // Filled by `fill_remedy`.
        remedy: Message::default(),
        pack: rule.pack.clone(),
        weight: rule.weight,
        provenance: RuleProvenance::default(),
        origin: meta.origin.unwrap_or_default(),
        source: meta.source.clone(),
        profile_problems: Vec::new(),
        record_hint: meta.record_hint.as_ref().map(|t| Message {
            zh: t.zh.clone(),
            en: t.en.clone(),
        }),
    }
}

/// A verdict into `result`: outcome, values, evidence, and the message filled in with the
/// verdict's details, the parameters and the level in force.
fn record_verdict(result: &mut RuleResult, mut v: Verdict, rule: &CompiledRule) {
    // A permission (可) never fails (GB/T 1.1 Annex C).
    if result.level == Level::May && v.outcome == Outcome::Fail {
        v.outcome = Outcome::Pass;
    }
    result.outcome = v.outcome;
    result.observed = v.observed;
    result.required = v.required;
    result.evidence = v.evidence;
    let own = v
        .message
        .take()
        .map(|(zh, en)| (Template::parse(zh, true), Template::parse(en, false)));
    let fills = Fills {
        text: v.detail_text.as_ref(),
        named: &v.detail,
        share: v.share,
    };
    let (message, done) = message_for(
        result,
        own.as_ref().unwrap_or(&rule.message),
        &fills,
        v.gap.as_ref(),
    );
    // `{param.NAME}` in a message shows the value in force, as in the remedy, and `{level}`
    // the level in force (an overlay may make a 宜 an 应): replaced while the template was
    // filled (`done`), else searched for in the whole text.
    let level = result.level;
    let finish = |text: String, done: bool, zh: bool| {
        if done {
            text
        } else {
            with_level(with_params(text, &result.params, zh), level, zh)
        }
    };
    result.message = Message {
        zh: finish(message.zh, done.0, true),
        en: finish(message.en, done.1, false),
    };
}

/// What the report says of the profile, dated `as_of` (the evaluation date).
fn profile_info(profile: &CommunityProfile, as_of: &str) -> ProfileInfo {
    ProfileInfo {
        id: profile.id.clone(),
        name: profile.name.clone(),
        as_of: as_of.to_owned(),
        category: profile.category.as_ref().map(ToString::to_string),
        secondary_categories: profile
            .secondary_categories
            .iter()
            .map(ToString::to_string)
            .collect(),
        sha256: None,
        name_en: profile.name_en.clone(),
        district: profile.district.clone(),
        street: profile.street.clone(),
    }
}

/// Lists beside each result the profile problems at its inputs; a pass or fail that read a
/// value taken out as invalid becomes `insufficient-data` naming it, because the absence may
/// be what decided it (section E: a value that failed validation never decides a verdict —
/// an unparsable `responded_at` read as "not answered" would otherwise fail 7.2.3).
///
/// Two kinds of problem are only listed: those whose value stayed (a grid's unresolved staff
/// id, which 6.7.1 judges), and a record dated after `as_of`, which is not yet a record of
/// the period at all (REVISION-2 G: a drill after as_of is absent; the others still count).
fn mark_invalid_inputs(results: &mut [RuleResult], problems: &[crate::report::ProfileProblem]) {
    if problems.is_empty() {
        return;
    }
    for result in results {
        result.profile_problems = problems
            .iter()
            .filter(|p| p.touches(&result.evidence))
            .cloned()
            .collect();
        let invalid: Vec<&str> = result
            .profile_problems
            .iter()
            .filter(|p| p.absent.is_some() && p.code != crate::ProblemCode::DateAfterAsOf)
            .map(|p| p.pointer.as_str())
            .collect();
        if invalid.is_empty() || !matches!(result.outcome, Outcome::Pass | Outcome::Fail) {
            continue;
        }
        let at = invalid.join(", ");
        let at_zh = invalid
            .iter()
            .map(|p| crate::vocab::pointer_zh(p))
            .collect::<Vec<_>>()
            .join("、");
        result.outcome = Outcome::InsufficientData;
        result.observed = Value::Null;
        result.required = Value::Null;
        result.message = Message {
            zh: format!("数据不足，无法判定：所需数据未通过校验，已按缺失处理（{at_zh}）"),
            en: format!(
                "insufficient data: an input failed validation and was treated as absent ({at})"
            ),
        };
    }
}

/// `text` with each `{param.NAME}` (or `{param.NAME:spec}`) replaced by the value in force
/// of a parameter the rule reads (an overlay's 3 per 10,000 shows as 3); an unknown name
/// stays as written.
fn with_params(
    text: String,
    params: &std::collections::BTreeMap<String, crate::report::ParamUse>,
    zh: bool,
) -> String {
    // Most texts have no placeholder at all: one byte search instead of a substring one.
    if !text.contains('{') || !text.contains("{param.") {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("{param.") {
        let (before, tail) = rest.split_at(at);
        out.push_str(before);
        let name = tail
            .get("{param.".len()..)
            .and_then(|t| t.find('}').and_then(|end| t.get(..end)));
        // `{param.NAME:spec}` shows it like `{observed:spec}` (a domain, percent, wan).
        let split = name.map(|n| n.split_once(':').map_or((n, None), |(n, s)| (n, Some(s))));
        match split.and_then(|(n, spec)| params.get(n).map(|u| (n, spec, u))) {
            Some((n, spec, used)) => {
                show_into(&mut out, &used.value, Show::parse(spec), zh);
                let len = n.len() + spec.map_or(0, |s| s.len() + 1);
                rest = tail.get("{param.}".len() + len..).unwrap_or_default();
            }
            None => {
                out.push('{');
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

/// The remedy with the parameters' values (in force when the rule ran; the layers' values
/// otherwise): a remedy is shown also for a rule that did not apply. Filled once per rule
/// at build time ([`super::build::RuleLayer::remedy`]) unless a layer changed a value for
/// this community.
fn fill_remedy(
    result: &mut RuleResult,
    rule: &CompiledRule,
    layer: Option<&super::build::RuleLayer>,
) {
    result.remedy = match layer {
        Some(l) if Arc::ptr_eq(&result.params, &rule.param_uses) => l.remedy.clone(),
        _ => remedy(&rule.meta.remedy, &result.params),
    };
}

/// `remedy` with each `{param.NAME}` replaced by the value in `params`.
pub(super) fn remedy(
    remedy: &crate::types::Text,
    params: &std::collections::BTreeMap<String, crate::report::ParamUse>,
) -> Message {
    Message {
        zh: with_params(remedy.zh.clone(), params, true),
        en: with_params(remedy.en.clone(), params, false),
    }
}

/// `text` with `{level}` replaced by the modal verb of `level` (应, 宜 … / shall, should …).
fn with_level(text: String, level: Level, zh: bool) -> String {
    if !text.contains('{') || !text.contains("{level}") {
        return text;
    }
    text.replace("{level}", level_word(level, zh))
}

/// The modal verb of `level` (应, 宜 … / shall, should …).
const fn level_word(level: Level, zh: bool) -> &'static str {
    match (zh, level) {
        (true, _) => level.zh(),
        (false, Level::ShallNot) => "shall not",
        (false, _) => level.as_str(),
    }
}

/// How many evaluations lost their date for being after `as_of` (`/evaluations/<i>/date`).
fn future_evaluations(problems: &[crate::report::ProfileProblem]) -> usize {
    problems
        .iter()
        .filter(|p| p.absent.is_some() && p.code == crate::ProblemCode::DateAfterAsOf)
        .filter(|p| {
            p.pointer
                .strip_prefix("/evaluations/")
                .and_then(|rest| rest.strip_suffix("/date"))
                .is_some_and(|i| i.parse::<usize>().is_ok())
        })
        .count()
}

/// The scoring parameter that lets failed shall rules of proposal clauses cap the grade.
pub const PROPOSALS_CAP_GRADE: &str = "proposals_cap_grade";

/// What a verdict gives a message template besides observed and required.
struct Fills<'a> {
    /// `{detail}`: the gap in words, Chinese and English (`v.detail(zh, en)`).
    text: Option<&'a (String, String)>,
    /// `{detail.name}`: named values (`v.detail(#{ name: … })`).
    named: &'a serde_json::Map<String, Value>,
    /// The values are shares (`share_at_least`): shown as percentages.
    share: bool,
}

/// Fills the rule's template (or the verdict's own message) for pass and fail; other
/// outcomes have fixed wording. A failure's or a lack of data's named items (`v.gap`)
/// follow the message.
/// Also says, per language (zh, en), whether the parameters and the level are already in.
fn message_for(
    result: &RuleResult,
    template: &(Template, Template),
    fills: &Fills<'_>,
    gap: Option<&super::verdict::Gap>,
) -> (Message, (bool, bool)) {
    let (text_zh, text_en) = fills
        .text
        .map_or(("", ""), |(zh, en)| (zh.as_str(), en.as_str()));
    // `finish`: replace `{param.…}` and `{level}` while filling; not when text added after
    // the template (a gap) may hold a brace, which the search of the whole text would read.
    let fill = |lang: &Template, text: &str, finish: bool| {
        lang.fill(
            &result.observed,
            &result.required,
            text,
            fills,
            finish.then_some(Finish {
                params: &result.params,
                level: result.level,
            }),
        )
    };
    let gap_zh = gap.map(|g| g.text(true));
    let gap_en = gap.map(|g| g.text(false));
    let no_brace = |t: &Option<String>| t.as_ref().is_none_or(|t| !t.contains('{'));
    let message = match result.outcome {
        Outcome::Pass => {
            let (zh, zh_done) = fill(&template.0, text_zh, true);
            let (en, en_done) = fill(&template.1, text_en, true);
            return (Message { zh, en }, (zh_done, en_done));
        }
        Outcome::Fail => {
            let (mut zh, zh_done) = fill(&template.0, text_zh, no_brace(&gap_zh));
            let (mut en, en_done) = fill(&template.1, text_en, no_brace(&gap_en));
            if let (Some(gz), Some(ge)) = (gap_zh, gap_en) {
                zh.push_str(&format!("（{gz}）"));
                en.push_str(&format!(" ({ge})"));
            }
            return (Message { zh, en }, (zh_done, en_done));
        }
        Outcome::InsufficientData => {
            let at = result.evidence.join(", ");
            let zh_parts: Vec<String> = gap_zh
                .into_iter()
                .chain((!result.evidence.is_empty()).then(|| {
                    let words: Vec<String> = result
                        .evidence
                        .iter()
                        .map(|p| crate::vocab::pointer_zh(p))
                        .collect();
                    format!("所需数据：{}", words.join("、"))
                }))
                .collect();
            let mut en = "insufficient data".to_owned();
            if let Some(ge) = gap_en {
                en.push_str(&format!(" ({ge})"));
            }
            if !at.is_empty() {
                en.push_str(&format!(": needs {at}"));
            }
            Message {
                zh: if zh_parts.is_empty() {
                    "数据不足，无法判定".to_owned()
                } else {
                    format!("数据不足，无法判定（{}）", zh_parts.join("；"))
                },
                en,
            }
        }
        Outcome::NotApplicable => Message {
            zh: "不适用".into(),
            en: "not applicable".into(),
        },
        Outcome::Manual => Message {
            zh: "需人工核查：未提供有效期内的佐证材料".into(),
            en: "manual check: no current evidence in the profile".into(),
        },
        Outcome::Waived | Outcome::Error => Message::default(),
    };
    (message, (false, false))
}

/// A message template split once around its placeholders: the rule's at build time, a
/// verdict's own when it is filled. Pieces are ranges of the text, so splitting copies
/// nothing.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    text: String,
    pieces: Vec<Piece>,
    /// Chinese: values are shown with Chinese labels and units.
    zh: bool,
    /// No brace outside its placeholders: `{param.…}` and `{level}` can be replaced while
    /// filling, as the search of the whole filled text would replace them.
    clean: bool,
}

/// What replaces `{param.NAME}` and `{level}`: the parameters and the level in force.
#[derive(Clone, Copy)]
struct Finish<'a> {
    params: &'a std::collections::BTreeMap<String, crate::report::ParamUse>,
    level: Level,
}

/// The spec of a placeholder (`{observed:spec}`), as a range of the template's text.
type Spec = Option<Range<usize>>;

#[derive(Debug, Clone)]
enum Piece {
    Text(Range<usize>),
    Observed(Spec),
    Required(Spec),
    /// `{detail}`: the verdict's gap in words, empty when it has none.
    Detail,
    /// `{detail.name}`: a value the verdict named with `.detail(#{ name: … })`.
    Named(Range<usize>, Spec),
    /// `{param.NAME}`: the name, the spec and the whole placeholder as written.
    Param(Range<usize>, Spec, Range<usize>),
    /// `{level}`.
    Level,
}

/// How a placeholder shows its value: `{observed}` guesses (codes the vocabulary knows
/// become words, a share verdict's values percentages); `{observed:space}` labels codes of
/// that vocabulary domain; `{observed:percent}` shows a share as a percentage;
/// `{observed:wan}` a count of people (1.2万); `{required:wan-range}` a pair as 2万～3万.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show<'a> {
    Plain,
    Percent,
    Wan,
    WanRange,
    Domain(&'a str),
}

impl<'a> Show<'a> {
    fn parse(spec: Option<&'a str>) -> Self {
        match spec {
            None => Self::Plain,
            Some("percent") => Self::Percent,
            Some("wan") => Self::Wan,
            Some("wan-range") => Self::WanRange,
            Some(domain) => Self::Domain(domain),
        }
    }
}

/// The formats a placeholder may name besides vocabulary domains (for lint).
pub const SHOW_FORMATS: [&str; 3] = ["percent", "wan", "wan-range"];

/// `{name}` or `{name:spec}` at the start of `text`: the name, the spec and the length.
fn placeholder(text: &str) -> Option<(&str, Option<&str>, usize)> {
    let inner = text.strip_prefix('{')?;
    let close = inner.find('}')?;
    let body = inner.get(..close)?;
    let (name, spec) = match body.split_once(':') {
        Some((n, s)) => (n, Some(s)),
        None => (body, None),
    };
    let ok = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
    };
    (ok(name) && spec.is_none_or(ok)).then_some((name, spec, close + 2))
}

impl Template {
    pub(crate) fn parse(text: impl Into<String>, zh: bool) -> Self {
        let text = text.into();
        let base = text.as_ptr() as usize;
        // Where `part` (a slice of `text`) lies in it.
        let range = |part: &str| {
            let start = part.as_ptr() as usize - base;
            start..start + part.len()
        };
        let mut pieces = Vec::with_capacity(8);
        let mut rest = text.as_str();
        while let Some(at) = rest.find('{') {
            let (before, tail) = rest.split_at(at);
            let (piece, len) = match placeholder(tail) {
                Some(("observed", spec, len)) => (Piece::Observed(spec.map(range)), len),
                Some(("required", spec, len)) => (Piece::Required(spec.map(range)), len),
                Some(("detail", None, len)) => (Piece::Detail, len),
                Some((name, spec, len)) if name.starts_with("detail.") => (
                    Piece::Named(range(name.trim_start_matches("detail.")), spec.map(range)),
                    len,
                ),
                Some((name, spec, len)) if name.starts_with("param.") => (
                    Piece::Param(
                        range(name.get("param.".len()..).unwrap_or_default()),
                        spec.map(range),
                        range(tail.get(..len).unwrap_or_default()),
                    ),
                    len,
                ),
                Some(("level", None, len)) => (Piece::Level, len),
                _ => (Piece::Text(range(tail.get(..1).unwrap_or_default())), 1),
            };
            if !before.is_empty() {
                pieces.push(Piece::Text(range(before)));
            }
            pieces.push(piece);
            rest = tail.get(len..).unwrap_or_default();
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(range(rest)));
        }
        let clean = pieces.iter().all(|p| match p {
            Piece::Text(r) => !text.get(r.clone()).unwrap_or_default().contains('{'),
            _ => true,
        });
        Self {
            text,
            pieces,
            zh,
            clean,
        }
    }

    /// The template filled in, and whether `{param.…}` and `{level}` are replaced too: with
    /// `finish`, unless the template or a value shown holds a brace of its own (then the
    /// placeholders stay as written, for the search of the whole text).
    fn fill(
        &self,
        observed: &Value,
        required: &Value,
        text: &str,
        fills: &Fills<'_>,
        finish: Option<Finish<'_>>,
    ) -> (String, bool) {
        if let Some(finish) = finish.filter(|_| self.clean)
            && let Some(done) = self.render(observed, required, text, fills, Some(finish))
        {
            return (done, true);
        }
        let literal = self.render(observed, required, text, fills, None);
        (literal.unwrap_or_default(), false)
    }

    /// One pass over the pieces; `None` when `finish` is given and a value shown holds a
    /// brace.
    fn render(
        &self,
        observed: &Value,
        required: &Value,
        text: &str,
        fills: &Fills<'_>,
        finish: Option<Finish<'_>>,
    ) -> Option<String> {
        let zh = self.zh;
        let part = |r: &Range<usize>| self.text.get(r.clone()).unwrap_or_default();
        let guess = |spec: &Spec| match Show::parse(spec.as_ref().map(part)) {
            Show::Plain if fills.share => Show::Percent,
            other => other,
        };
        let mut out = String::with_capacity(96);
        for piece in &self.pieces {
            let start = out.len();
            match piece {
                Piece::Text(r) => out.push_str(part(r)),
                Piece::Observed(spec) => show_into(&mut out, observed, guess(spec), zh),
                Piece::Required(spec) => show_into(&mut out, required, guess(spec), zh),
                Piece::Detail => out.push_str(text),
                Piece::Named(name, spec) => {
                    let show = Show::parse(spec.as_ref().map(part));
                    let value = fills.named.get(part(name)).unwrap_or(&Value::Null);
                    show_into(&mut out, value, show, zh);
                }
                Piece::Param(name, spec, whole) => {
                    match finish.and_then(|f| f.params.get(part(name))) {
                        Some(used) => {
                            let show = Show::parse(spec.as_ref().map(part));
                            show_into(&mut out, &used.value, show, zh);
                        }
                        None => out.push_str(part(whole)),
                    }
                }
                Piece::Level => match finish {
                    Some(f) => out.push_str(level_word(f.level, zh)),
                    None => out.push_str("{level}"),
                },
            }
            let shown = !matches!(piece, Piece::Text(_) | Piece::Level);
            if finish.is_some() && shown && out.get(start..).is_some_and(|t| t.contains('{')) {
                return None;
            }
        }
        Some(out)
    }
}

/// A value for a message as people read it: codes in words, lists joined (、 or ,),
/// numbers with thousands separators, shares as percentages, null as a dash.
fn show_into(out: &mut String, value: &Value, show: Show<'_>, zh: bool) {
    let sep = if zh { "、" } else { ", " };
    match value {
        Value::Null => out.push('—'),
        Value::String(s) => out.push_str(match show {
            Show::Domain(d) => crate::vocab::label(d, s).map_or(s.as_str(), |l| l.pick(zh)),
            _ => crate::vocab::words(s, zh),
        }),
        Value::Array(items) if items.is_empty() => out.push('—'),
        Value::Array(items) if show == Show::WanRange && items.len() == 2 => {
            show_into(out, &items[0], Show::Wan, zh);
            out.push_str(if zh { "～" } else { "–" });
            show_into(out, &items[1], Show::Wan, zh);
        }
        Value::Array(items) => {
            let inner = if show == Show::WanRange {
                Show::Wan
            } else {
                show
            };
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                show_into(out, v, inner, zh);
            }
        }
        Value::Number(n) => crate::vocab::push_number(out, n, show_number(show), zh),
        other => out.push_str(&other.to_string()),
    }
}

const fn show_number(show: Show<'_>) -> crate::vocab::NumberStyle {
    match show {
        Show::Percent => crate::vocab::NumberStyle::Percent,
        Show::Wan | Show::WanRange => crate::vocab::NumberStyle::Wan,
        _ => crate::vocab::NumberStyle::Plain,
    }
}

#[cfg(test)]
mod tests;
