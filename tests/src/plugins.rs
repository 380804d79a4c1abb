//! Building the workspace's plugin libraries from a test.
//!
//! `cargo test` builds a `cdylib` only as a test harness, so a test asks cargo to build the
//! plugins and takes each library's path from cargo's JSON artifact messages (never by
//! guessing `target/` paths). The outer cargo has released its lock while tests run.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// Every plugin package of the workspace that tests load.
pub const PLUGIN_PACKAGES: [&str; 7] = [
    "icgs-plugin-biomedical",
    "icgs-plugin-fixture-abi-1-0",
    "icgs-plugin-fixture-misbehaving",
    "icgs-plugin-fixture-hostile",
    "icgs-plugin-fixture-bad-abi",
    "icgs-plugin-fixture-no-entry",
    "icgs-plugin-fixture-old-host",
];

fn build_all() -> Result<HashMap<String, PathBuf>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(crate::workspace_root())
        .args(["build", "--message-format=json-render-diagnostics"]);
    for p in PLUGIN_PACKAGES {
        cmd.args(["-p", p]);
    }
    let out = cmd.output().map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo build of the plugins failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut libs = HashMap::new();
    for line in out.stdout.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(line) else {
            continue;
        };
        let is_cdylib = v["reason"] == "compiler-artifact"
            && v["target"]["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "cdylib"));
        if !is_cdylib {
            continue;
        }
        let name = v["target"]["name"]
            .as_str()
            .unwrap_or_default()
            .replace('_', "-");
        let lib = v["filenames"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str())
            .map(PathBuf::from)
            .find(|f| {
                f.extension()
                    .is_some_and(|e| e == std::env::consts::DLL_EXTENSION)
            });
        if let Some(lib) = lib {
            libs.insert(name, lib);
        }
    }
    Ok(libs)
}

/// The library of a plugin package, built on first use.
///
/// # Errors
/// When cargo cannot build it or reports no library for it.
pub fn plugin_library(package: &str) -> Result<PathBuf, String> {
    static LIBS: OnceLock<Result<HashMap<String, PathBuf>, String>> = OnceLock::new();
    let libs = LIBS.get_or_init(build_all).as_ref()?;
    libs.get(package)
        .cloned()
        .ok_or_else(|| format!("cargo reported no library for `{package}`"))
}
