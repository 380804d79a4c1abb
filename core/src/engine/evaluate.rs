//! Evaluating one profile: facts once, then every rule, waivers, score and plan.

use std::sync::Arc;

use rhai::{CallFnOptions, Dynamic, EvalAltResult, Scope};
use serde_json::Value;

use super::build::param_to_dynamic;
use super::sandbox::{self, DEADLINE_TOKEN};
use super::subject::Subject;
use super::verdict::Verdict;
use super::{CompiledRule, Engine};
use crate::facts::{Facts, parse_date};
use crate::model::{CommunityProfile, Waiver};
use crate::report::{
    EngineInfo, Message, Outcome, ProfileInfo, REPORT_VERSION, Report, RuleError, RuleResult,
    ScoreCard, score,
};

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
}

impl Engine {
    /// Evaluates every rule against `profile`. Per-rule failures are results with outcome
    /// `error`; `Err` only when nothing can be evaluated.
    ///
    /// # Errors
    /// [`EvaluateError::AsOf`] when `as_of` is not a valid date.
    pub fn evaluate(&self, profile: &CommunityProfile) -> Result<Report, EvaluateError> {
        self.evaluate_shared(Arc::new(profile.clone()))
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
        use sha2::Digest;
        let (profile, problems) = crate::read_profile(source_name, bytes, options)?;
        let mut report = self.evaluate_shared(Arc::new(profile))?;
        report.profile.sha256 = Some(format!("{:x}", sha2::Sha256::digest(bytes)));
        report.profile_problems = problems
            .iter()
            .map(|p| crate::report::ProfileProblem {
                pointer: p.pointer().to_owned(),
                code: p.code().to_string(),
                message: p.message().to_owned(),
            })
            .collect();
        Ok(report)
    }

    /// As [`Engine::evaluate`], without copying a profile the caller already shares.
    ///
    /// # Errors
    /// [`EvaluateError::AsOf`] when `as_of` is not a valid date.
    pub fn evaluate_shared(&self, profile: Arc<CommunityProfile>) -> Result<Report, EvaluateError> {
        let facts = Facts::derive(&profile).ok_or_else(|| EvaluateError::AsOf {
            id: profile.id.clone(),
            as_of: profile.as_of.clone(),
        })?;
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
        let category_spaces = (!registered.is_empty()).then(|| {
            let mut spaces: Vec<String> = registered
                .iter()
                .flat_map(|c| c.spaces.iter().cloned())
                .collect();
            spaces.sort();
            spaces.dedup();
            spaces
        });
        let serious = facts.serious_incidents_in_last_months(self.scoring.veto_incident_months);
        let subject = Arc::new(Subject {
            category_registered: profile
                .category
                .as_ref()
                .is_some_and(|c| self.categories.contains_key(c.as_str())),
            category_spaces,
            raw: std::sync::OnceLock::new(),
            facts,
            profile: Arc::clone(&profile),
        });

        let mut results: Vec<RuleResult> = self
            .rules
            .iter()
            .map(|rule| self.run(rule, &subject, &applicable, &registered))
            .collect();
        for r in &mut results {
            apply_waiver(
                r,
                &profile.waivers,
                subject.facts.as_of,
                &self.scoring.veto_rules,
            );
        }
        let (summary, improvement_plan) = score(
            &results,
            ScoreCard {
                scoring: &self.scoring,
                serious_incidents: serious,
            },
        );
        Ok(Report {
            report_version: REPORT_VERSION.to_owned(),
            engine: EngineInfo {
                name: "icgs".into(),
                version: super::ENGINE_VERSION.into(),
            },
            profile: ProfileInfo {
                id: profile.id.clone(),
                name: profile.name.clone(),
                as_of: profile.as_of.clone(),
                category: profile.category.as_ref().map(ToString::to_string),
                secondary_categories: profile
                    .secondary_categories
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                sha256: None,
            },
            packs: self.packs.clone(),
            results,
            summary,
            improvement_plan,
            profile_problems: Vec::new(),
        })
    }

    fn run(
        &self,
        rule: &CompiledRule,
        subject: &Arc<Subject>,
        applicable: &[&str],
        registered: &[&super::CategoryInfo],
    ) -> RuleResult {
        let meta = &rule.meta;
        let mut result = RuleResult {
            rule: meta.id.clone(),
            clause: meta.clause.clone(),
            level: meta.level,
            dimension: meta.dimension,
            outcome: Outcome::NotApplicable,
            observed: Value::Null,
            required: Value::Null,
            message: Message::default(),
            evidence: Vec::new(),
            params: rule.param_uses.clone(),
            waiver: None,
            error: None,
            title: Message {
                zh: meta.title.zh.clone(),
                en: meta.title.en.clone(),
            },
            remedy: Message {
                zh: meta.remedy.zh.clone(),
                en: meta.remedy.en.clone(),
            },
            pack: rule.pack.clone(),
            weight: rule.weight,
        };
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
            return result;
        }
        let params = self.params_for(rule, registered, &mut result);
        sandbox::arm_deadline(self.limits.deadline);
        let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
        let outcome = self.rhai.call_fn_with_options::<Verdict>(
            options,
            &mut Scope::new(),
            &rule.ast,
            "check",
            (Arc::clone(subject), params),
        );
        sandbox::disarm_deadline();
        match outcome {
            Ok(mut v) => {
                // A permission (可) never fails (GB/T 1.1 Annex C).
                if meta.level == crate::pack::Level::May && v.outcome == Outcome::Fail {
                    v.outcome = Outcome::Pass;
                }
                result.outcome = v.outcome;
                result.observed = v.observed;
                result.required = v.required;
                result.evidence = v.evidence;
                result.message = message_for(&result, &rule.message);
            }
            Err(err) => {
                let (message, mut line, mut column) = self.describe(&err);
                if line.is_none() {
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
        }
        result
    }

    /// The rule's parameters, with a registered category's changes applied.
    fn params_for(
        &self,
        rule: &CompiledRule,
        registered: &[&super::CategoryInfo],
        result: &mut RuleResult,
    ) -> Dynamic {
        let changes: Vec<(&String, &(crate::pack::ParamValue, String))> = registered
            .iter()
            .flat_map(|c| c.set_params.iter())
            .filter(|(name, _)| rule.param_uses.contains_key(*name))
            .collect();
        if changes.is_empty() {
            return rule.params.clone();
        }
        let mut map = rule.params.clone().cast::<rhai::Map>();
        for (name, (value, layer)) in changes {
            map.insert(name.as_str().into(), param_to_dynamic(value));
            if let Some(u) = result.params.get_mut(name) {
                u.value = value.to_json();
                u.layer = layer.clone();
            }
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

/// Fills the rule's template for pass and fail; other outcomes have fixed wording.
fn message_for(result: &RuleResult, template: &(Template, Template)) -> Message {
    let at = if result.evidence.is_empty() {
        String::new()
    } else {
        result.evidence.join(", ")
    };
    match result.outcome {
        Outcome::Pass | Outcome::Fail => Message {
            zh: template.0.fill(&result.observed, &result.required, "、"),
            en: template.1.fill(&result.observed, &result.required, ", "),
        },
        Outcome::InsufficientData => Message {
            zh: format!(
                "数据不足，无法判定{}",
                if at.is_empty() {
                    String::new()
                } else {
                    format!("（所需数据：{at}）")
                }
            ),
            en: format!(
                "insufficient data{}",
                if at.is_empty() {
                    String::new()
                } else {
                    format!(": needs {at}")
                }
            ),
        },
        Outcome::NotApplicable => Message {
            zh: "不适用".into(),
            en: "not applicable".into(),
        },
        Outcome::Manual => Message {
            zh: "需人工核查：未提供有效期内的佐证材料".into(),
            en: "manual check: no current evidence in the profile".into(),
        },
        Outcome::Waived | Outcome::Error => Message::default(),
    }
}

/// A message template split once, at build time, around its placeholders.
#[derive(Debug, Clone)]
pub(crate) struct Template(Vec<Piece>);

#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Observed,
    Required,
}

impl Template {
    pub(crate) fn parse(text: &str) -> Self {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find('{') {
            let (before, tail) = rest.split_at(at);
            let (piece, len) = if tail.starts_with("{observed}") {
                (Piece::Observed, "{observed}".len())
            } else if tail.starts_with("{required}") {
                (Piece::Required, "{required}".len())
            } else {
                (Piece::Text("{".into()), 1)
            };
            if !before.is_empty() {
                pieces.push(Piece::Text(before.to_owned()));
            }
            pieces.push(piece);
            rest = tail.get(len..).unwrap_or_default();
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_owned()));
        }
        Self(pieces)
    }

    fn fill(&self, observed: &Value, required: &Value, sep: &str) -> String {
        let mut out = String::with_capacity(96);
        for piece in &self.0 {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Observed => show_into(&mut out, observed, sep),
                Piece::Required => show_into(&mut out, required, sep),
            }
        }
        out
    }
}

/// A value for a message: lists joined, shares as at most four decimals, null as a dash.
fn show_into(out: &mut String, value: &Value, sep: &str) {
    use std::fmt::Write as _;
    match value {
        Value::Null => out.push('—'),
        Value::String(s) => out.push_str(s),
        Value::Array(items) if items.is_empty() => out.push('—'),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                show_into(out, v, sep);
            }
        }
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => {
                let _ = write!(out, "{i}");
            }
            (None, Some(f)) => {
                let s = format!("{f:.4}");
                out.push_str(s.trim_end_matches('0').trim_end_matches('.'));
            }
            _ => {
                let _ = write!(out, "{n}");
            }
        },
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// G11: a failed rule named by an approved, current waiver whose approver is not its
/// requester becomes `waived`; the observed and required values are kept.
fn apply_waiver(
    result: &mut RuleResult,
    waivers: &[Waiver],
    as_of: chrono::NaiveDate,
    non_waivable: &[String],
) {
    if result.outcome != Outcome::Fail || non_waivable.contains(&result.rule) {
        return;
    }
    let valid = |w: &&Waiver| {
        let approved = w.approved_on.as_deref().and_then(parse_date);
        let expires = w.expires_on.as_deref().and_then(parse_date);
        w.clause == result.rule
            && approved.is_some_and(|a| a <= as_of)
            && expires.is_some_and(|e| as_of <= e)
            && w.approved_by
                .as_deref()
                .is_some_and(|a| !a.is_empty() && Some(a) != w.requested_by.as_deref())
    };
    if let Some(w) = waivers.iter().find(valid) {
        result.outcome = Outcome::Waived;
        result.waiver = serde_json::to_value(w).ok();
        result.message = Message {
            zh: format!(
                "已豁免（{}）：{}",
                w.approved_by.as_deref().unwrap_or_default(),
                result.message.zh
            ),
            en: format!(
                "waived (approved by {}): {}",
                w.approved_by.as_deref().unwrap_or_default(),
                result.message.en
            ),
        };
    }
}
