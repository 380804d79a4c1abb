//! A pack's test cases as `icgs test` finds them: a case outside `tests/` (or named like a
//! profile) is never run; a case naming a rule no pack has, or a rule of a pack this one
//! neither is layered on nor extends, tests nothing of this pack.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{D, Error, Linted, Out, Pos, Warning, closest, pos_of};
use crate::testing::{Case, CaseError};
use icgs::pack::Layer;

/// What is known of every pack: its layer and the pack it extends.
pub(super) type Packs = BTreeMap<String, (Layer, Option<String>)>;

/// The rules a case of `pack` may check: its own, those of lower layers, of the packs it
/// extends (directly or not), and of plugins (`owner` is `None`).
fn visible(pack: &str, packs: &Packs, owner: Option<&String>) -> bool {
    let Some(owner) = owner else { return true };
    let Some((layer, extends)) = packs.get(pack) else {
        return true;
    };
    if owner == pack || packs.get(owner).is_some_and(|(l, _)| l < layer) {
        return true;
    }
    let mut seen = BTreeSet::new();
    let mut next = extends.clone();
    while let Some(id) = next {
        if &id == owner {
            return true;
        }
        if !seen.insert(id.clone()) {
            break;
        }
        next = packs.get(&id).and_then(|(_, e)| e.clone());
    }
    false
}

/// Checks the cases of the linted pack `l` (id `pack`); `rules` maps every rule id known to
/// the pack that defines it (`None`: a plugin).
pub(super) fn check(
    l: &Linted,
    pack: &str,
    packs: &Packs,
    rules: &BTreeMap<String, Option<String>>,
    out: &mut Out,
) {
    let Ok(files) = icgs::__tools::files(&l.dir, |p| {
        p.extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("json"))
    }) else {
        return;
    };
    let run: BTreeSet<_> = crate::testing::case_files(&l.dir)
        .unwrap_or_default()
        .into_iter()
        .collect();
    for path in files {
        let file = path.display().to_string();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if run.contains(&path) {
            case_rules(&path, &file, &text, pack, packs, rules, out);
        } else if let Some(pos) = expect_key(&text) {
            out.push(
                D::new(
                    Warning,
                    "case-ignored",
                    (&file, &text),
                    pos,
                    format!("a test case that `icgs test` never runs: {}", why_ignored(&l.dir, &path)),
                )
                .label("never run")
                .help("cases are the `tests/**/*.json` files of a pack, except `base.json` and `*.profile.json` (profiles cases start from); move it there"),
            );
        }
    }
}

/// Why `icgs test` skips the case file `path` of the pack in `dir`.
fn why_ignored(dir: &Path, path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !path.starts_with(dir.join("tests")) {
        "it is outside the pack's `tests/` folder".to_owned()
    } else if name == "base.json" || name.ends_with(".profile.json") {
        format!("`{name}` is read as a profile cases start from, not as a case")
    } else {
        format!("`{name}` does not end in `.json`")
    }
}

/// Where a JSON object's top-level `"expect"` key is, when the text is a case-like object.
fn expect_key(text: &str) -> Option<Pos> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    value.as_object()?.get("expect")?;
    let at = text.find("\"expect\"")?;
    Some(pos_of(text, at, at + "\"expect\"".len()))
}

/// A case that does not read, and each rule it names that no pack has or that belongs to a
/// pack out of this one's reach.
fn case_rules(
    path: &Path,
    file: &str,
    text: &str,
    pack: &str,
    packs: &Packs,
    rules: &BTreeMap<String, Option<String>>,
    out: &mut Out,
) {
    let case = match Case::read(path) {
        Ok(c) => c,
        Err(e) => {
            let (pos, message) = match &e {
                CaseError::Format {
                    line,
                    column,
                    message,
                    ..
                } => (super::pos_at(text, *line, *column), message.clone()),
                other => (
                    super::pos_at(text, 1, 1),
                    other.to_string().replace(&format!("{file}: "), ""),
                ),
            };
            out.push(D::new(
                Error,
                "case-format",
                (file, text),
                pos,
                format!("the test case cannot be read: {message}"),
            ));
            return;
        }
    };
    let after = text.find("\"expect\"").unwrap_or(0);
    for rule in case.expect.keys() {
        let quoted = format!("\"{rule}\"");
        let pos = text.get(after..).and_then(|t| t.find(&quoted)).map_or_else(
            || super::pos_at(text, 1, 1),
            |i| pos_of(text, after + i, after + i + quoted.len()),
        );
        match rules.get(rule) {
            None => {
                let near = closest(rule, rules.keys());
                let mut d = D::new(
                    Error,
                    "case-unknown-rule",
                    (file, text),
                    pos,
                    format!(
                        "the case expects rule `{rule}`, which no pack defines{}",
                        near.map(|n| format!("; did you mean `{n}`?")).unwrap_or_default()
                    ),
                )
                .help("name a rule of this pack or of the packs it is layered on; a base pack not linted is given with `--pack`");
                if let Some(n) = near {
                    d = d.label(format!("did you mean `{n}`?"));
                }
                out.push(d);
            }
            Some(owner) if !visible(pack, packs, owner.as_ref()) => {
                let owner = owner.clone().unwrap_or_default();
                out.push(
                    D::new(
                        Warning,
                        "case-other-pack",
                        (file, text),
                        pos,
                        format!("the case expects rule `{rule}` of pack `{owner}`, which pack `{pack}` neither is layered on nor extends: its coverage is not counted for `{owner}`"),
                    )
                    .label(format!("a rule of `{owner}`"))
                    .help(format!("move the case to the `tests/` of pack `{owner}`")),
                );
            }
            Some(_) => {}
        }
    }
}
