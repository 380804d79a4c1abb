//! One test per case file of the shipped packs (`policies/**/tests/*.json`), plus the rule
//! that every rule has a passing and a failing case.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let engine = match icgs::Engine::standard() {
        Ok(e) => Arc::new(e),
        Err(e) => {
            eprintln!("embedded packs do not build: {e}");
            std::process::exit(101);
        }
    };
    let files = icgs_tests::case_files();
    let root = icgs_tests::workspace_root();
    let mut trials: Vec<Trial> = files
        .iter()
        .map(|path| {
            let name = path
                .strip_prefix(&root)
                .unwrap_or(path)
                .display()
                .to_string();
            let engine = Arc::clone(&engine);
            let path = path.clone();
            Trial::test(name, move || {
                icgs_tests::run_case(&engine, &path).map_err(Failed::from)
            })
        })
        .collect();

    let engine_cov = Arc::clone(&engine);
    trials.push(Trial::test("every rule has a passing and a failing case", move || {
        let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for path in icgs_tests::case_files() {
            let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            let case: icgs_tests::Case = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            for (rule, expect) in case.expect {
                seen.entry(rule).or_default().insert(expect.outcome);
            }
        }
        let mut missing = Vec::new();
        for rule in engine_cov.rules() {
            let outcomes = seen.get(&rule.meta.id).cloned().unwrap_or_default();
            let has = |o: &str| outcomes.contains(o);
            if !has("pass") {
                missing.push(format!("{} has no case where it passes", rule.meta.id));
            }
            // A permission (可) never fails; an evidence clause never fails but asks for a
            // manual check: each still needs a case showing its other outcome.
            let may = rule.meta.level == icgs::pack::Level::May;
            if !may && !has("fail") && !has("manual") {
                missing.push(format!("{} has no case where it fails (or, for an evidence clause, asks for a manual check)", rule.meta.id));
            }
        }
        if missing.is_empty() { Ok(()) } else { Err(missing.join("\n").into()) }
    }));
    libtest_mimic::run(&args, trials).exit();
}
