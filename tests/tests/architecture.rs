//! The map stays true: every path the layout table of `docs/architecture.md` names exists, and
//! the module graph of the core crate gains no new cycle, and that of the tools crate has none.
//!
//! Both read source text only (no build step): the layout block is the fenced `text` block
//! under `## Layout`; a module's dependencies are the `crate::NAME` paths in its code lines.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

/// The paths the layout block names: the first word of each entry line, and any other word
/// shaped like a path into the tree (`pack/chain.rs`, `docs/security.md`).
fn layout_paths(doc: &str) -> Vec<String> {
    let after = doc
        .split_once("## Layout")
        .expect("docs/architecture.md has a Layout section")
        .1;
    let block = after
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("the Layout section holds a ```text block")
        .0;
    let mut paths = Vec::new();
    for line in block.lines() {
        if !line.starts_with(' ')
            && let Some(first) = line.split_whitespace().next()
        {
            paths.push(first.to_owned());
        }
        for word in line.split(|c: char| c.is_whitespace() || "(),;:`".contains(c)) {
            let looks_like_path = word.contains('/')
                && (word.ends_with(".rs") || word.ends_with(".md") || word.ends_with('/'))
                && !word.starts_with("http");
            if looks_like_path && !paths.iter().any(|p| p == word) {
                paths.push(word.to_owned());
            }
        }
    }
    paths
}

/// A layout path exists when it names a file or folder; `x*` stands for `x.rs` and/or `x/`.
/// Short forms inside an entry (`pack/chain.rs` under `core/src/pack*`) are found under the
/// crate sources too.
fn exists(root: &Path, path: &str) -> bool {
    let candidates = |p: &str| -> bool {
        if let Some(stem) = p.strip_suffix('*') {
            root.join(format!("{stem}.rs")).is_file() || root.join(stem).is_dir()
        } else {
            root.join(p).exists()
        }
    };
    candidates(path)
        || [
            "core/src",
            "tools/src",
            "cli/src",
            "render/src",
            "serve/src",
        ]
        .iter()
        .any(|base| candidates(&format!("{base}/{path}")))
}

#[test]
fn every_path_in_the_layout_table_exists() {
    let root = root();
    let doc = fs::read_to_string(root.join("docs/architecture.md")).expect("read architecture.md");
    let paths = layout_paths(&doc);
    assert!(
        paths.len() > 20,
        "the layout block was not found whole: {paths:?}"
    );
    let missing: Vec<_> = paths.iter().filter(|p| !exists(&root, p)).collect();
    assert!(
        missing.is_empty(),
        "docs/architecture.md names paths that do not exist: {missing:?}"
    );
}

#[test]
fn a_missing_path_is_caught() {
    let doc = "## Layout\n\n```text\ncore/src/nowhere*   gone\ncore/src/engine*    here\n```\n";
    let paths = layout_paths(doc);
    assert_eq!(paths, ["core/src/nowhere*", "core/src/engine*"]);
    assert!(!exists(&root(), &paths[0]));
    assert!(exists(&root(), &paths[1]));
}

/// Top-level modules of a crate's sources (`core/src`) and the modules each one's code refers to.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut modules = BTreeSet::new();
    for entry in fs::read_dir(src).expect("read core/src") {
        let path = entry.expect("entry").path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name != "lib" && (path.is_dir() || path.extension().is_some_and(|e| e == "rs")) {
            modules.insert(name);
        }
    }
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for module in &modules {
        let mut files = Vec::new();
        let file = src.join(format!("{module}.rs"));
        if file.is_file() {
            files.push(file);
        }
        collect_rs(&src.join(module), &mut files);
        let test_only = test_only_files(&files);
        let edges = graph.entry(module.clone()).or_default();
        for file in files.iter().filter(|f| !test_only.contains(*f)) {
            let text = fs::read_to_string(file).expect("read source");
            for target in crate_references(&without_inline_tests(&text)) {
                if &target != module && modules.contains(&target) {
                    edges.insert(target);
                }
            }
        }
    }
    graph
}

/// Files of modules declared under `#[cfg(…test…)]` (`mod tests;`, `mod agreement;`), and
/// the files below them: test code may use any module without making the library cyclic.
fn test_only_files(files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for file in files {
        let text = fs::read_to_string(file).expect("read source");
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for pair in lines.windows(2) {
            let name = pair[1]
                .trim_start_matches("pub ")
                .strip_prefix("mod ")
                .and_then(|rest| rest.strip_suffix(';'));
            if let (true, Some(name)) = (
                pair[0].starts_with("#[cfg(") && pair[0].contains("test"),
                name,
            ) {
                let dir = file.with_extension("");
                out.insert(dir.join(format!("{name}.rs")));
                let mut below = Vec::new();
                collect_rs(&dir.join(name), &mut below);
                out.extend(below);
            }
        }
    }
    out
}

/// The text before an inline `#[cfg(test)] mod tests { … }` (kept last in a file, by habit).
fn without_inline_tests(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .windows(2)
        .position(|pair| {
            pair[0].trim() == "#[cfg(test)]"
                && pair[1].trim_start().starts_with("mod ")
                && pair[1].contains('{')
        })
        .unwrap_or(lines.len());
    lines[..end].join("\n")
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The first segment after every `crate::` in code (comments skipped), `use crate::{a, b::c}`
/// groups included.
fn crate_references(text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `icgs_crate::…` and the like
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut segment_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => segment_start = true,
                    c if c.is_whitespace() => {}
                    _ if segment_start && depth == 1 => {
                        found.insert(ident(&group[i..]));
                        segment_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found.remove("");
    found
}

/// Strongly connected components of more than one module (Tarjan's algorithm).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<BTreeSet<String>> {
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        out: BTreeSet<BTreeSet<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in &s.graph[v] {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = BTreeSet::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.insert(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.out.insert(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: BTreeSet::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.out
}

/// The edges that close cycles in the core crate today (each joins two modules of one
/// strongly connected component), to be broken by moving shared types into a leaf module.
/// A new such edge — a new cycle, or a new path inside a known one — fails; an edge that no
/// longer closes a cycle fails too until it is taken off this list, so the list only shrinks.
const KNOWN_CYCLE_EDGES: &[(&str, &str)] = &[];

/// Every edge whose two ends lie in one cycle.
fn cycle_edges(graph: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<(String, String)> {
    let mut edges = BTreeSet::new();
    for component in cycles(graph) {
        for from in &component {
            for to in &graph[from] {
                if component.contains(to) {
                    edges.insert((from.clone(), to.clone()));
                }
            }
        }
    }
    edges
}

#[test]
fn the_core_module_graph_gains_no_new_cycle() {
    let graph = module_graph(&root().join("core/src"));
    assert!(graph.len() > 10, "core/src modules not found: {graph:?}");
    let found = cycle_edges(&graph);
    let known: BTreeSet<(String, String)> = KNOWN_CYCLE_EDGES
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    let new: Vec<_> = found.difference(&known).collect();
    let gone: Vec<_> = known.difference(&found).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "module cycles in core/src changed.\n  new edges in a cycle: {new:?}\n  edges no longer \
         in a cycle (take them off KNOWN_CYCLE_EDGES): {gone:?}\n  cycles: {:?}",
        cycles(&graph)
    );
}

#[test]
fn the_vocabulary_module_depends_on_no_other_module() {
    let graph = module_graph(&root().join("core/src"));
    let uses = graph.get("types").expect("core/src/types.rs exists");
    assert!(
        uses.is_empty(),
        "core/src/types is the leaf every module may use; it must not use {uses:?}"
    );
}

#[test]
fn the_tools_module_graph_has_no_cycle() {
    let graph = module_graph(&root().join("tools/src"));
    assert!(
        graph.contains_key("lint"),
        "tools/src modules not found: {graph:?}"
    );
    assert!(
        cycles(&graph).is_empty(),
        "module cycles in tools/src: {:?}",
        cycles(&graph)
    );
}

#[test]
fn a_cycle_is_found_and_a_chain_is_not() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in edges {
            g.entry((*a).into()).or_default().insert((*b).into());
            g.entry((*b).into()).or_default();
        }
        g
    };
    let chain = graph(&[("engine", "report"), ("report", "types")]);
    assert!(cycles(&chain).is_empty());
    let cyclic = graph(&[
        ("engine", "report"),
        ("report", "engine"),
        ("lint", "engine"),
    ]);
    let expected: BTreeSet<String> = ["engine", "report"].map(String::from).into();
    assert_eq!(cycles(&cyclic), BTreeSet::from([expected]));
    let refs = crate_references(
        "use crate::{engine::x, report};\n// crate::lint\nlet v = crate::pack::P;",
    );
    assert_eq!(refs, ["engine", "pack", "report"].map(String::from).into());
}
