//! Embeds the standard pack and the built-in category packs (`policies/standard`,
//! `policies/categories/*`) into the crate, so `Engine::standard()` needs no files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rhai" || e == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let policies = manifest_dir.join("../policies");
    println!("cargo::rerun-if-changed={}", policies.display());
    let mut files = Vec::new();
    for root in ["standard", "categories"] {
        println!("cargo::rerun-if-changed={}", policies.join(root).display());
        walk(&policies.join(root), &mut files);
    }
    files.sort();
    let mut code = String::from("&[\n");
    for file in &files {
        println!("cargo::rerun-if-changed={}", file.display());
        if let Some(parent) = file.parent() {
            println!("cargo::rerun-if-changed={}", parent.display());
        }
        let rel = file.strip_prefix(&policies).unwrap_or(file);
        let _ = writeln!(
            code,
            "    ({:?}, include_str!({:?})),",
            rel.display().to_string(),
            file.canonicalize()
                .unwrap_or_else(|_| file.clone())
                .display()
                .to_string()
        );
    }
    code.push(']');
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let _ = std::fs::write(out.join("embedded_policies.rs"), code);
}
