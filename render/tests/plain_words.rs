//! Every example profile rendered in Chinese (text and Markdown) reads as Chinese: no code of
//! the vocabulary (`smart-manufacturing`, `career-development`, `branch`), no field name
//! (`shared_agreement`) and no bare ratio (`0.4615`) in the prose. Rule ids, data ids
//! (`ent-007`), JSON pointers (`/staff/2`), dates and numbers with units are allowed.

use icgs_render::{Lang, markdown, text};

fn engine() -> icgs::Engine {
    let packs = icgs::pack::Pack::embedded().unwrap_or_default();
    icgs::Engine::builder()
        .packs(packs)
        .build()
        .unwrap_or_else(|e| unreachable!("the embedded packs build: {e}"))
}

/// The raw codes in `prose`, each with its line.
fn raw_codes(prose: &str) -> Vec<String> {
    let mut found = Vec::new();
    // The line that carries field names on purpose (how to record a fix).
    for line in prose.lines().filter(|l| !l.contains("数据填报说明")) {
        // Scores are points with two decimals: in the scoring table and as gains (+0.64分).
        let points_row = line.starts_with('|') && line.contains(" / ");
        let mut rest = line;
        while let Some(start) = rest.find(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            let before = rest[..start].chars().next_back();
            let tail = &rest[start..];
            let end = tail
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')))
                .unwrap_or(tail.len());
            let t = tail[..end].trim_end_matches('.');
            let after = tail[end..].chars().next();
            rest = &tail[end..];
            if before == Some('/') || t.contains('/') {
                continue;
            }
            let ratio = t.starts_with("0.")
                && t[2..].chars().all(|c| c.is_ascii_digit())
                && before != Some('+')
                && !matches!(after, Some('分' | '%'))
                && !(points_row && t.len() == 4);
            let field = t.contains('_');
            let code = icgs::vocab::label_any(t).is_some();
            if ratio || field || code {
                found.push(format!("`{t}` in: {line}"));
            }
        }
    }
    found
}

/// The example profiles, sorted; at least the seven shipped ones.
fn example_files() -> Vec<std::path::PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/profiles");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    assert!(files.len() >= 7, "examples found: {files:?}");
    files
}

#[test]
fn examples_in_chinese_show_no_raw_code() {
    let engine = engine();
    let files = example_files();
    let mut problems = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_default();
        let name = path.display().to_string();
        let report = engine
            .check_bytes(&name, &bytes, &icgs::ReadOptions::default())
            .unwrap_or_else(|e| unreachable!("{name} evaluates: {e}"));
        let opts = text::TextOptions {
            top: None,
            ..text::TextOptions::default()
        };
        for (format, prose) in [
            ("text", text::report_with(&report, Lang::Zh, &opts)),
            ("markdown", markdown::report(&report, Lang::Zh)),
        ] {
            for p in raw_codes(&prose) {
                problems.push(format!("{name} ({format}): {p}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_scan_finds_what_it_must() {
    assert_eq!(raw_codes("类别 smart-manufacturing").len(), 1);
    assert_eq!(raw_codes("将 shared_agreement 标为 true").len(), 1);
    assert_eq!(raw_codes("比例 0.4615，宜不低于 60%").len(), 1);
    assert!(raw_codes("5.1.2 比例 46.2%（/premises/0/area_m2）ent-007 2026-03-20").is_empty());
}

#[test]
fn text_fits_eighty_columns() {
    let engine = engine();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/profiles/weak-community.json"
    );
    let bytes = std::fs::read(path).unwrap_or_default();
    let report = engine
        .check_bytes("weak", &bytes, &icgs::ReadOptions::default())
        .unwrap_or_else(|e| unreachable!("{e}"));
    for lang in [Lang::Zh, Lang::En] {
        let out = text::report(&report, lang, false);
        for line in out.lines() {
            assert!(
                icgs_render::width(line) <= 80,
                "{} columns: {line}",
                icgs_render::width(line)
            );
        }
        // The answer comes first: the grade within the first lines.
        let grade_line = out
            .lines()
            .position(|l| l.starts_with(lang.pick("等级", "Grade")));
        assert!(grade_line.is_some_and(|i| i < 5), "{out}");
        let quiet = text::summary_line(&report, lang);
        let grade = icgs_render::report_grade(&report, lang).to_lowercase();
        assert!(
            !quiet.contains('\n') && quiet.to_lowercase().contains(&grade),
            "{quiet}"
        );
    }
}

/// The ids of the profile's named records (grids, staff, organisations, premises, key
/// enterprises, buildings): Chinese prose names them by name or place, never by id.
fn record_ids(profile: &serde_json::Value) -> Vec<String> {
    let mut ids = Vec::new();
    let mut take = |list: Option<&serde_json::Value>| {
        for item in list
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
        {
            let id = item.get("id").unwrap_or(item);
            if let Some(id) = id.as_str() {
                ids.push(id.to_owned());
            }
        }
    };
    take(profile.pointer("/grids/items"));
    take(profile.pointer("/staff"));
    take(profile.pointer("/organizations"));
    take(profile.pointer("/premises"));
    take(profile.pointer("/enterprises/key"));
    take(profile.pointer("/enterprises/buildings"));
    ids
}

/// What reads badly in a Chinese message or remedy: a dash for nothing (“：—”), a record's
/// id, an English word (a run of two or more ASCII letters outside a record number such as
/// a request's `qh-250929-05`; the standard's code MZ/T is allowed).
fn unreadable(text: &str, ids: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    if text.contains("：—") {
        found.push("“：—”".to_owned());
    }
    let tokens = text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/')));
    for token in tokens
        .map(|t| t.trim_matches('-'))
        .filter(|t| !t.is_empty())
    {
        if ids.iter().any(|id| id == token) {
            found.push(format!("the id `{token}`"));
        } else if !token.chars().any(|c| c.is_ascii_digit())
            && token.chars().filter(char::is_ascii_alphabetic).count() >= 2
            && token != "MZ/T"
        {
            found.push(format!("the English `{token}`"));
        }
    }
    found
}

#[test]
fn chinese_messages_and_remedies_of_every_example_read_as_chinese() {
    let engine = engine();
    let files = example_files();
    let mut problems = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_default();
        let name = path.display().to_string();
        let profile: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        let ids = record_ids(&profile);
        assert!(!ids.is_empty(), "{name}: no record ids found");
        let report = engine
            .check_bytes(&name, &bytes, &icgs::ReadOptions::default())
            .unwrap_or_else(|e| unreachable!("{name} evaluates: {e}"));
        for r in &report.results {
            for (what, text) in [("message", &r.message.zh), ("remedy", &r.remedy.zh)] {
                for p in unreadable(text, &ids) {
                    problems.push(format!("{name} {} {what}: {p} in “{text}”", r.rule));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_message_scan_finds_what_it_must() {
    let ids = vec!["wl-g10".to_owned(), "ent-038".to_owned()];
    assert_eq!(unreadable("每周开放少于5天的场所 0 处：—", &ids).len(), 1);
    assert_eq!(unreadable("专属网格：wl-g10、wl-g11", &ids).len(), 1);
    assert_eq!(unreadable("（ent-038）", &ids).len(), 1);
    assert_eq!(unreadable("服务类型：childcare", &ids).len(), 1);
    assert!(
        unreadable(
            "超时的诉求：qh-250929-05；符合 MZ/T 071；“1+3+N”；1,500 m²",
            &ids
        )
        .is_empty()
    );
}
