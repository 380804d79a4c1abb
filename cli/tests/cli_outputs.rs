//! Output files and exit codes that cannot be gamed: `-o` writes only regular files, never an
//! input, never through a symbolic link without `--force`; every problem shows at the top and
//! exits 2; profile text cannot inject Markdown or spreadsheet formulas.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::{icgs, root, scratch, stderr, stdout};
use std::fs;
use std::path::{Path, PathBuf};

fn example(name: &str) -> PathBuf {
    root().join("examples/profiles").join(name)
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// A copy of a conforming example in `dir`.
fn copy_example(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    fs::copy(example("binjiang-tech-innovation.json"), &to).unwrap();
    to
}

#[cfg(unix)]
#[test]
fn output_onto_a_fifo_or_a_directory_is_refused() {
    use std::os::unix::fs::FileTypeExt as _;
    let dir = scratch("outputs-fifo");
    let fifo = dir.join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let profile = s(&example("binjiang-tech-innovation.json"));
    let o = icgs(&["check", &profile, "-o", &s(&fifo)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());

    let o = icgs(&["check", &profile, "-o", &s(&dir)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
}

#[test]
fn output_onto_the_input_is_refused_and_the_profile_is_kept() {
    let dir = scratch("outputs-input");
    let profile = copy_example(&dir, "p.json");
    let before = fs::read(&profile).unwrap();
    let o = icgs(&["check", &s(&profile), "-o", &s(&profile)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("input"), "{}", stderr(&o));
    assert_eq!(fs::read(&profile).unwrap(), before);

    // Another spelling of the same file, through a directory input.
    let other = dir.join(".").join("p.json");
    let o = icgs(&["check", &s(&dir), "-o", &s(&other), "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(fs::read(&profile).unwrap(), before);

    let o = icgs(&["migrate", &s(&profile), "-o", &s(&other)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(fs::read(&profile).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_replaced_only_with_force_and_its_target_is_untouched() {
    let dir = scratch("outputs-symlink");
    let victim = dir.join("victim.txt");
    fs::write(&victim, "keep me").unwrap();
    let link = dir.join("report.txt");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let profile = s(&example("binjiang-tech-innovation.json"));

    for cmd in [
        vec!["check", profile.as_str(), "-o"],
        vec!["doc", "--output"],
    ] {
        let mut args = cmd.clone();
        let target = s(&link);
        args.push(&target);
        let o = icgs(&args);
        assert_eq!(o.status.code(), Some(2), "{cmd:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("report.txt"),
            "names the target: {}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains(".icgs-"), "{}", stderr(&o));
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
    }

    let o = icgs(&["check", &profile, "-o", &s(&link), "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
    let names: Vec<_> = fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(names.len(), 2, "no temporary file is left behind");
}

#[cfg(unix)]
#[test]
fn a_setuid_bit_is_not_kept() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = scratch("outputs-setuid");
    let out = dir.join("report.txt");
    fs::write(&out, "old").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o4755)).unwrap();
    let profile = s(&example("binjiang-tech-innovation.json"));
    let o = icgs(&["check", &profile, "-o", &s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o755);
    assert!(!stdout(&o).contains("old"));
}
