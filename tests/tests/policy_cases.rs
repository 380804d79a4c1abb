//! One test per case file of the shipped packs (`policies/**/tests/**/*.json`), named by its
//! path, run by `icgs_tools::testing` exactly as `icgs test policies/standard policies/categories
//! policies/overlays` runs them; plus one test that every rule of those packs is fully
//! covered (`icgs test --coverage --min-coverage 100`).

use std::sync::Arc;

use icgs_tools::testing::{self, CaseStatus, Suite};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let suites = match testing::suites(&icgs_tests::shipped_pack_dirs(), &[]) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("the shipped packs cannot be tested: {e}");
            std::process::exit(101);
        }
    };
    let mut trials: Vec<Trial> = Vec::new();
    for (i, suite) in suites.iter().enumerate() {
        for case in &suite.cases {
            let suites = Arc::clone(&suites);
            let path = case.clone();
            trials.push(Trial::test(icgs_tests::display_path(case), move || {
                let suite: &Suite = suites.get(i).ok_or("no such suite")?;
                let report = testing::run_case(&suite.engine, &path);
                match report.status {
                    CaseStatus::Passed => Ok(()),
                    _ => Err(Failed::from(format!(
                        "{} ({})\n{}",
                        icgs_tests::display_path(&path),
                        report.description,
                        report.diff()
                    ))),
                }
            }));
        }
    }

    trials.push(Trial::test(
        "every rule has a passing, a failing and, where an input can be missing, an insufficient-data case",
        move || {
            // Every case again, on all cores: the other trials run in parallel too.
            let jobs: Vec<(&Suite, &std::path::PathBuf)> = suites
                .iter()
                .flat_map(|s| s.cases.iter().map(move |c| (s, c)))
                .collect();
            let threads = std::thread::available_parallelism().map_or(2, usize::from);
            let chunk = jobs.len().div_ceil(threads).max(1);
            let reports: Vec<testing::CaseReport> = std::thread::scope(|scope| {
                let handles: Vec<_> = jobs
                    .chunks(chunk)
                    .map(|part| {
                        scope.spawn(move || {
                            part.iter()
                                .map(|(s, c)| testing::run_case(&s.engine, c))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_default())
                    .collect()
            });
            let coverage = testing::coverage(&suites, &reports).map_err(|e| e.to_string())?;
            let missing: Vec<String> = coverage
                .rules
                .iter()
                .filter(|r| !r.complete())
                .map(|r| format!("{} has no case where it gives {}", r.rule, r.missing().join(", ")))
                .chain(
                    coverage
                        .clauses
                        .iter()
                        .filter(|c| c.status == icgs_tools::catalogue::ClauseStatus::Missing)
                        .map(|c| format!("clause {} is encoded by no rule", c.clause)),
                )
                .collect();
            if missing.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "{}\n(`icgs test --coverage policies/standard policies/categories` shows the table)",
                    missing.join("\n")
                )
                .into())
            }
        },
    ));
    libtest_mimic::run(&args, trials).exit();
}
