//! The clause catalogue: `docs/clauses.md` is what `icgs doc` generates from the embedded
//! packs (this test fails when it is stale), and the catalogue is complete and deterministic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::path::Path;

use icgs::pack::Pack;
use icgs_render::catalogue::{html, markdown};
use icgs_tools::catalogue::{Catalogue, ClauseStatus};

fn catalogue(packs: Vec<Pack>) -> Catalogue {
    let engine = icgs::Engine::builder()
        .packs(packs.clone())
        .build()
        .unwrap();
    Catalogue::new(&engine, &packs).unwrap()
}

#[test]
fn docs_clauses_md_is_generated_from_the_packs() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/clauses.md");
    let generated = markdown(&catalogue(Pack::embedded().unwrap()));
    if let Err(e) = icgs_tests::golden::compare_or_bless(&path, &generated) {
        panic!(
            "{e}: docs/clauses.md is stale: the packs changed. \
             Regenerate it with\n    cargo run -p icgs-cli -- doc policies/standard policies/categories --output docs/clauses.md\n\
             (or ICGS_BLESS=1 cargo test -p icgs-render --test catalogue) and commit the result"
        );
    }
}

#[test]
fn every_rule_is_in_the_catalogue_once_in_clause_order() {
    let packs = Pack::embedded().unwrap();
    let cat = catalogue(packs);
    let ids: Vec<&str> = cat.clauses().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), 84);
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| icgs::clause_order(a, b));
    assert_eq!(ids, sorted);
    let chapters: Vec<&str> = cat.chapters.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        chapters,
        ["4", "5", "6", "7", "8", "C.CB", "C.CC", "C.SM", "C.TI"]
    );
    let (_, statuses) = cat.counts();
    assert_eq!(statuses.get(&ClauseStatus::Missing), None);
}

#[test]
fn the_catalogue_shows_parameters_with_unit_and_provenance() {
    let md = markdown(&catalogue(Pack::embedded().unwrap()));
    assert!(
        md.contains("### 5.1.1 应 配套用房面积 · Supporting premises area"),
        "{md}"
    );
    assert!(md.contains("| `premises_min_m2` | 1500 | m2 | 编制说明 | standard@1.0.0 |"));
    assert!(md.contains("### 4.2.3 可"));
    assert!(md.contains("**checked** permission"));
    assert!(md.contains("**checked** evidence"));
}

#[test]
fn the_catalogue_shows_each_clause_and_parameter_origin() {
    let md = markdown(&catalogue(Pack::embedded().unwrap()));
    // A clause the note states, with its section; a proposal, marked 拟 with the legend.
    assert!(
        md.contains("- **Origin** 编制说明 note (编制说明 3.2.2 第2项)"),
        "{md}"
    );
    assert!(md.contains("### 4.1.3 应 拟 "), "{md}");
    assert!(md.contains("### 8.3.1 应 拟 "), "{md}");
    assert!(md.contains("### C.TI.3 应 拟 "), "{md}");
    assert!(!md.contains("### 5.1.1 应 拟"), "{md}");
    assert!(md.contains("- **Origin** 拟定 proposal — 编制说明未规定，待标准正文确认"));
    // Parameters: the note's 1500 m², our proposed 8 full-time staff.
    assert!(
        md.contains("| `premises_min_m2` | 1500 | m2 | 编制说明 note (编制说明 3.2.2 第2项) |")
    );
    assert!(md.contains("| `full_time_staff_min` | 8 | persons | 拟定 proposal |"));
    let html = html(&catalogue(Pack::embedded().unwrap()));
    assert!(html.contains("<span class=\"tag proposal\">拟定 proposal</span>"));
}

#[test]
fn disk_and_embedded_packs_give_the_same_bytes_in_both_formats() {
    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
    let mut disk = Pack::discover(policies.join("standard")).unwrap();
    disk.extend(Pack::discover(policies.join("categories")).unwrap());
    let a = catalogue(Pack::embedded().unwrap());
    let b = catalogue(disk);
    assert_eq!(markdown(&a), markdown(&b));
    assert_eq!(html(&a), html(&b));
    assert_eq!(html(&a), html(&catalogue(Pack::embedded().unwrap())));
}

#[test]
fn html_is_one_page_with_every_clause_and_escaped_text() {
    let html = html(&catalogue(Pack::embedded().unwrap()));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert_eq!(html.matches("<article id=\"clause-").count(), 84);
    assert!(html.contains("<article id=\"clause-C-TI-3\">"));
    // 6.5.3 quotes “三驾马车” with full-width quotes, which need no escaping.
    assert!(html.contains("应建立“三驾马车”联席运行机制"));
}

#[test]
fn a_clause_listed_in_the_edition_without_a_rule_is_not_encoded() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/packs/lint-clauses");
    let mut packs = Pack::embedded().unwrap();
    packs.extend(Pack::discover(&dir).unwrap());
    let cat = catalogue(packs);
    let missing = cat.clauses().find(|c| c.id == "L.C.4").unwrap();
    assert_eq!(missing.status, ClauseStatus::Missing);
    assert!(missing.rules.is_empty());
    assert_eq!(
        missing.listed_text.as_deref(),
        Some("服务中心宜提供错时服务。")
    );
    assert!(markdown(&cat).contains("not encoded 未编码"));
}
