//! Output files: every command that writes a file (`check -o`, `diff -o`, `doc --output`,
//! `migrate -o`/`--in-place`, `init`) goes through here.
//!
//! A file is written whole or not at all: a temporary file with an unpredictable name in the
//! target's directory, flushed, then renamed over the target. Only regular files are
//! replaced: a device node, FIFO, socket or directory is refused (a rename would replace the
//! node itself), so is an input of the same command (by device and inode, so a hard link or
//! another spelling of the path is caught), and a symbolic link is replaced (the link, never
//! the file it points to) only with `--force`. The new file never keeps a setuid, setgid or
//! sticky bit. Errors name the target, never the temporary file.

use std::fs::{self, Metadata};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use anyhow::bail;

/// How an output file may be written.
#[derive(Debug, Default, Clone)]
pub struct Output {
    /// Replace a symbolic link at the target (`--force`).
    pub force: bool,
    /// Files the command reads: never overwritten.
    pub inputs: Vec<PathBuf>,
}

/// Mode of a new file, before the umask: rw-r--r--.
const NEW_FILE_MODE: u32 = 0o644;

impl Output {
    /// Writes `bytes` to `path`, whole or not at all.
    ///
    /// # Errors
    /// The target is not a regular file (or a symbolic link without `force`), is an input,
    /// or cannot be written; the message names the target.
    pub fn write(&self, path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
        let mut pending = self.begin(path)?;
        pending.write_all(bytes)?;
        pending.finish()
    }

    /// Starts writing `path` for output produced piece by piece: the target is checked now,
    /// the pieces go to a temporary file beside it, and [`Pending::finish`] puts it in place.
    /// Dropped without `finish`, the temporary file is removed and the target is untouched.
    ///
    /// # Errors
    /// As [`Self::write`].
    pub fn begin(&self, path: &Path) -> anyhow::Result<Pending> {
        let mode = self.check_target(path)?;
        let named =
            |e: &io::Error| anyhow::anyhow!("cannot write `{}`: {}", path.display(), bare(e));
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".icgs-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            // The umask applies at creation, as for any new file.
            builder.permissions(fs::Permissions::from_mode(NEW_FILE_MODE));
        }
        let tmp = builder.tempfile_in(dir).map_err(|e| named(&e))?;
        #[cfg(unix)]
        if let Some(mode) = mode {
            use std::os::unix::fs::PermissionsExt as _;
            tmp.as_file()
                .set_permissions(fs::Permissions::from_mode(mode))
                .map_err(|e| named(&e))?;
        }
        #[cfg(not(unix))]
        let _ = mode;
        Ok(Pending {
            tmp: io::BufWriter::new(tmp),
            path: path.to_owned(),
        })
    }

    /// Refuses a target that is not a regular file, is an input, or is a symbolic link
    /// without `force`; the mode to keep (the old file's, without setuid, setgid and sticky
    /// bits), `None` for a new file.
    fn check_target(&self, path: &Path) -> anyhow::Result<Option<u32>> {
        let shown = path.display();
        let meta = match fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => bail!("cannot write `{shown}`: {}", bare(&e)),
        };
        let kind = meta.file_type();
        if kind.is_symlink() {
            if !self.force {
                bail!(
                    "cannot write `{shown}`: it is a symbolic link; pass --force to replace the link with the output (the file it points to is left alone)"
                );
            }
            return Ok(None);
        }
        if kind.is_dir() {
            bail!("cannot write `{shown}`: it is a directory");
        }
        if !kind.is_file() {
            bail!(
                "cannot write `{shown}`: it is not a regular file (a device, FIFO or socket); give the path of a file"
            );
        }
        if self.inputs.iter().any(|input| same_file(input, &meta)) {
            bail!("cannot write `{shown}`: it is an input of this command; choose another file");
        }
        Ok(Some(kept_mode(&meta)))
    }
}

/// An output file being written: a temporary file beside the target until
/// [`Pending::finish`].
#[derive(Debug)]
pub struct Pending {
    tmp: io::BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl Pending {
    /// Appends `bytes`.
    ///
    /// # Errors
    /// The write fails; the message names the target.
    pub fn write_all(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.tmp
            .write_all(bytes)
            .map_err(|e| anyhow::anyhow!("cannot write `{}`: {}", self.path.display(), bare(&e)))
    }

    /// Flushes the file to disk and renames it over the target.
    ///
    /// # Errors
    /// The flush or the rename fails; the message names the target.
    pub fn finish(self) -> anyhow::Result<()> {
        let path = self.path;
        let named =
            |e: &io::Error| anyhow::anyhow!("cannot write `{}`: {}", path.display(), bare(e));
        let tmp = self.tmp.into_inner().map_err(|e| named(e.error()))?;
        tmp.as_file().sync_all().map_err(|e| named(&e))?;
        tmp.persist(&path).map_err(|e| named(&e.error))?;
        Ok(())
    }
}

/// Whether `input` is the file `target` describes (same device and inode).
fn same_file(input: &Path, target: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        fs::metadata(input).is_ok_and(|m| m.dev() == target.dev() && m.ino() == target.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = target;
        false
    }
}

/// The old file's permission bits, without setuid, setgid and sticky.
fn kept_mode(meta: &Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        meta.permissions().mode() & 0o777
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        NEW_FILE_MODE
    }
}

/// The operating system's reason alone: `tempfile` adds the temporary file's path, which
/// would make the message name a file the user never asked for.
fn bare(e: &io::Error) -> String {
    e.raw_os_error().map_or_else(
        || e.kind().to_string(),
        |code| io::Error::from_raw_os_error(code).to_string(),
    )
}

/// A new directory with an unpredictable name in `dir`, for staging what is then renamed
/// into place (`icgs init`); created rwxr-xr-x before the umask.
///
/// # Errors
/// `dir` cannot hold it; the message names `target`, the directory being made.
pub fn staging_dir(dir: &Path, target: &Path) -> anyhow::Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".icgs-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(fs::Permissions::from_mode(0o755));
    }
    builder
        .tempdir_in(dir)
        .map_err(|e| anyhow::anyhow!("cannot create `{}`: {}", target.display(), bare(&e)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
        Output::default().write(path, bytes)
    }

    #[test]
    fn errors_name_the_target_not_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing-dir").join("out.json");
        let e = write(&target, b"x").unwrap_err().to_string();
        assert!(e.contains("missing-dir/out.json"), "{e}");
        assert!(!e.contains(".icgs-"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn setuid_and_setgid_bits_are_dropped() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o6755)).unwrap();
        write(&target, b"new").unwrap();
        let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o755);
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_not_owner_only() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("new.txt");
        write(&target, b"new").unwrap();
        let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o7777;
        let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
        let umask = status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .and_then(|m| u32::from_str_radix(m.trim(), 8).ok())
            .unwrap_or(0o022);
        assert_eq!(
            mode,
            0o644 & !umask,
            "not the temporary file's owner-only mode"
        );
    }

    #[test]
    fn a_hard_link_to_an_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.json");
        let link = dir.path().join("link.json");
        fs::write(&input, "{}").unwrap();
        fs::hard_link(&input, &link).unwrap();
        let out = Output {
            force: true,
            inputs: vec![input.clone()],
        };
        let e = out.write(&link, b"x").unwrap_err().to_string();
        assert!(e.contains("input"), "{e}");
        assert_eq!(fs::read_to_string(&input).unwrap(), "{}");
    }

    #[test]
    fn the_staging_directory_name_is_not_predictable() {
        let dir = tempfile::tempdir().unwrap();
        let a = staging_dir(dir.path(), &dir.path().join("x")).unwrap();
        let b = staging_dir(dir.path(), &dir.path().join("x")).unwrap();
        assert_ne!(a.path(), b.path());
    }
}
