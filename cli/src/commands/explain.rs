//! `icgs explain RULE`: one rule with its clause text, check, parameters and remedy, and the
//! chain of layers behind it: which pack defined it, which changed it, and which set each
//! parameter value (with documents and effective dates).

use std::fmt::Write as _;
use std::process::ExitCode;

use super::check::PackArgs;

/// Arguments of `icgs explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rule id, e.g. `6.4.3` or `C.SM.2`
    rule: String,
    #[command(flatten)]
    packs: PackArgs,
    /// Mark what is in force on this date (YYYY-MM-DD); without it every layer is listed
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
    #[command(flatten)]
    lang: super::LangArg,
}

/// Prints the rule in both languages.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if let Some(date) = &args.as_of {
        icgs::EvalOptions::new()
            .as_of(date)
            .map_err(|e| anyhow::anyhow!("--as-of: {e}"))?;
    }
    let engine = args.packs.engine()?;
    let r = find_rule(&engine, &args.rule)?;
    let m = r.meta;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {} — {} / {}",
        m.id,
        m.level.zh(),
        m.title.zh,
        m.title.en
    );
    let _ = writeln!(
        s,
        "clause {} · level {} ({}) · dimension {} · weight {}",
        m.clause,
        m.level.as_str(),
        m.level.zh(),
        m.dimension.as_str(),
        r.weight
    );
    let cats = if m.categories.is_empty() {
        "all communities".to_owned()
    } else {
        m.categories.join(", ")
    };
    let _ = writeln!(s, "applies to: {cats}");
    let o = m.origin.unwrap_or_default();
    let source = m
        .source
        .as_deref()
        .map(|x| format!(" · {x}"))
        .unwrap_or_default();
    let _ = writeln!(s, "来源  {}{source}\nOrigin {}{source}", o.zh(), o.as_str());
    if o.is_proposal() {
        let _ = writeln!(
            s,
            "      拟定：{}\n      proposal: {}",
            icgs::pack::PROPOSAL_LEGEND_ZH,
            icgs::pack::PROPOSAL_LEGEND_EN
        );
    }
    let _ = writeln!(s, "pack: {} · file: {}", r.pack, r.file);
    let _ = writeln!(s, "\n条文  {}\nText  {}", m.text.zh, m.text.en);
    let _ = writeln!(s, "\n检查  {}\nCheck {}", m.check.zh, m.check.en);
    if let Some(h) = engine.rule_history(&m.id) {
        layers(&mut s, h, args.as_of.as_deref());
    }
    parameters(&mut s, &engine, &r, args.as_of.as_deref());
    let _ = writeln!(s, "\n整改  {}\nRemedy {}", m.remedy.zh, m.remedy.en);
    super::write_stdout(&s)?;
    Ok(ExitCode::SUCCESS)
}

/// The rule `rule` (any case), or an error naming the nearest.
fn find_rule<'e>(engine: &'e icgs::Engine, rule: &str) -> anyhow::Result<icgs::RuleInfo<'e>> {
    let Some(r) = engine
        .rules()
        .find(|r| r.meta.id.eq_ignore_ascii_case(rule))
    else {
        let count = engine.rules().count();
        let (near_zh, near_en) = crate::render::rules::nearest(engine, rule)
            .map(|n| {
                (
                    format!("；是否应为“{n}”？"),
                    format!("; did you mean `{n}`?"),
                )
            })
            .unwrap_or_default();
        return Err(super::said(
            format!("没有编号为“{rule}”的规则{near_zh}（icgs rules 列出全部 {count} 条）"),
            format!("no rule `{rule}`{near_en} (`icgs rules` lists all {count})"),
        ));
    };
    Ok(r)
}

/// Each parameter with its value in force, unit and origin; the chain of layers when more
/// than one set it.
fn parameters(s: &mut String, engine: &icgs::Engine, r: &icgs::RuleInfo<'_>, as_of: Option<&str>) {
    if !r.params.is_empty() {
        let _ = writeln!(s, "\nParameters:");
        for (name, p) in r.params {
            let unit = p
                .unit
                .as_deref()
                .map(|u| format!(" {u}"))
                .unwrap_or_default();
            let from = param_origin(p);
            match engine.param_history(name) {
                Some(h) if h.steps.len() > 1 => {
                    let _ = writeln!(
                        s,
                        "  {name}{unit} (stricter: {}) · {from}",
                        h.stricter.as_str()
                    );
                    param_chain(s, h, as_of);
                }
                _ => {
                    let _ = writeln!(
                        s,
                        "  {name} = {}{unit}  (set by {}) · {from}",
                        p.value, p.layer
                    );
                }
            }
        }
    }
}

/// A parameter's origin: `拟定 proposal`, or `编制说明 note (source)`.
fn param_origin(p: &icgs::report::ParamUse) -> String {
    let mut s = format!("{} {}", p.origin.zh(), p.origin.as_str());
    if let Some(source) = &p.source {
        let _ = write!(s, " ({source})");
    }
    s
}

/// `pack@version (layer) · document · from … until …`.
fn origin(by: &icgs::report::Provenance) -> String {
    let mut s = format!("{} ({})", by.pack_ref(), by.layer);
    if let Some(d) = &by.document {
        let _ = write!(s, " · {d}");
    }
    match (&by.effective_from, &by.effective_until) {
        (Some(f), Some(u)) => {
            let _ = write!(s, " · {f} to {u}");
        }
        (Some(f), None) => {
            let _ = write!(s, " · from {f}");
        }
        (None, Some(u)) => {
            let _ = write!(s, " · until {u}");
        }
        (None, None) => {}
    }
    s
}

fn derogation_note(d: Option<&icgs::pack::Derogation>) -> String {
    d.map(|d| format!("\n      derogation: {} — {}", d.justification, d.document))
        .unwrap_or_default()
}

/// The rule's chain: who defined it, each change, and what is in force on `as_of`.
fn layers(s: &mut String, h: &icgs::pack::RuleHistory, as_of: Option<&str>) {
    use icgs::pack::RuleStepKind;
    // The date (checked by `run`), with its text as given.
    let as_of = as_of.and_then(|text| Some((icgs::facts::parse_date(text)?, text)));
    let _ = writeln!(s, "\nLayers:");
    let _ = writeln!(
        s,
        "  defined by {} · level {} · {}",
        origin(&h.defined_by),
        h.level.as_str(),
        if h.waivable {
            "waivable"
        } else {
            "not waivable"
        }
    );
    if let Some((day, text)) = as_of
        && !h.in_force(day)
    {
        let _ = writeln!(s, "  not in force on {text}");
    }
    for step in &h.steps {
        let what = match step.change {
            RuleStepKind::Level(l) => format!("level → {}", l.as_str()),
            RuleStepKind::Disabled(true) => "disabled".to_owned(),
            RuleStepKind::Disabled(false) => "enabled again".to_owned(),
            RuleStepKind::Waivable(w) => if w { "waivable" } else { "not waivable" }.to_owned(),
            _ => "changed".to_owned(),
        };
        let why = step
            .justification
            .as_deref()
            .map(|j| format!(" ({j})"))
            .unwrap_or_default();
        let mark = match as_of {
            Some((day, _)) if !step.in_force(day) => "  [not in force]",
            _ => "",
        };
        let _ = writeln!(
            s,
            "  changed by {}: {what}{why}{mark}{}",
            origin(&step.by),
            derogation_note(step.derogation.as_ref())
        );
    }
    if let Some((day, text)) = as_of {
        let state = h.state_at(day);
        let _ = writeln!(
            s,
            "  in force on {text}: {}{}",
            if state.disabled.is_some() {
                "disabled".to_owned()
            } else {
                format!("level {}", state.level.as_str())
            },
            if state.waivable { "" } else { ", not waivable" }
        );
    }
}

/// Each value a parameter took, layer by layer; with `as_of`, the one in force is marked.
fn param_chain(s: &mut String, h: &icgs::pack::ParamHistory, as_of: Option<&str>) {
    // The date (checked by `run`), with its text as given.
    let as_of = as_of.and_then(|text| Some((icgs::facts::parse_date(text)?, text)));
    let current = as_of.and_then(|(day, _)| h.step_in_force(day));
    for (i, step) in h.steps.iter().enumerate() {
        let value = step.value.to_json().to_string();
        let scope = step
            .category
            .as_deref()
            .map(|c| format!(" for category {c}"))
            .unwrap_or_default();
        let mark = match (as_of, current) {
            (Some((_, d)), Some(c)) if c == i => format!("  ← in force on {d}"),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "    {value:<12} {}{scope}{mark}{}",
            origin(&step.by),
            derogation_note(step.derogation.as_ref())
        );
    }
}
