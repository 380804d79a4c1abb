//! Native plugins: compiled libraries that add categories and rules, loaded at run time.
//!
//! The interface is the C ABI of `icgs-plugin-api` (one entry symbol returning a table of
//! function pointers, JSON bytes in and out). Loading ([`Plugin::load`]) is the only `unsafe`
//! in this crate: a native library runs with the process's full privileges, so load only
//! libraries you trust, from paths you name (optionally pinning their SHA-256). The file is
//! read once and the bytes hashed are the bytes loaded ([`PluginFile`]). Each call runs on
//! its own thread with a deadline, and a plugin calling `exit()` ends the process with
//! status 2 ([`guard`]). Libraries are never unloaded.

mod error;
pub mod guard;
mod loader;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use error::PluginError;
use icgs_plugin_api as api;

/// A loaded, handshaken plugin.
///
/// ```no_run
/// use std::sync::Arc;
///
/// use icgs::Engine;
/// use icgs::pack::Pack;
/// use icgs::plugin::{LoadOptions, Plugin};
///
/// let options = LoadOptions { sha256: Some("<the hex digest you pinned>".into()), ..LoadOptions::default() };
/// // SAFETY: the library is a trusted icgs plugin, pinned by its digest.
/// let plugin = unsafe { Plugin::load("plugins/libicgs_plugin_biomedical.so", &options)? };
/// let engine = Engine::builder()
///     .packs(Pack::embedded()?)
///     .plugin(Arc::new(plugin))
///     .build()?;
/// assert!(engine.packs().iter().any(|p| p.layer == "plugin"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Plugin {
    path: PathBuf,
    manifest: api::Manifest,
    version: semver::Version,
    abi: (u32, u32),
    sha256: String,
    table: &'static api::PluginV1,
    /// Serialises calls into plugins that do not declare themselves thread-safe.
    lock: Option<Arc<Mutex<()>>>,
    deadline: Duration,
}

/// Options for [`Plugin::load`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Expected SHA-256 of the library file (hex); checked before the library is opened.
    pub sha256: Option<String>,
    /// How long one call into the plugin may take; [`Plugin::DEFAULT_DEADLINE`] when `None`.
    pub deadline: Option<Duration>,
}

/// A plugin file read once and hashed, not yet loaded: [`PluginFile::load`] loads these very
/// bytes, whatever happens to the file afterwards.
#[derive(Debug)]
pub struct PluginFile {
    path: PathBuf,
    bytes: Vec<u8>,
    sha256: String,
    deadline: Duration,
}

impl PluginFile {
    /// Reads the library at `path` through one open handle and checks the pinned SHA-256,
    /// if any. Runs no code of it.
    ///
    /// # Errors
    /// [`PluginError`]: not found, not a file, unreadable, or a digest mismatch.
    pub fn read(path: impl AsRef<Path>, options: &LoadOptions) -> Result<Self, PluginError> {
        let path = loader::resolve(path.as_ref())?;
        let bytes = loader::read(&path)?;
        let sha256 = loader::digest(&bytes);
        if let Some(expected) = &options.sha256 {
            loader::check_digest(&path, &sha256, expected)?;
        }
        Ok(Self {
            path,
            bytes,
            sha256,
            deadline: options.deadline.unwrap_or(Plugin::DEFAULT_DEADLINE),
        })
    }

    /// The SHA-256 of the bytes read (lower-case hex).
    #[must_use]
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Loads the bytes read, checks the ABI (major equal, table large enough) and then the
    /// manifest (well formed, `requires` matches this icgs).
    ///
    /// # Safety
    /// As [`Plugin::load`]: the bytes must be a trusted icgs plugin built for this platform.
    ///
    /// # Errors
    /// As [`Plugin::load`], after the file was read.
    #[allow(unsafe_code, reason = "loading a native library is inherently unsafe")]
    pub unsafe fn load(self) -> Result<Plugin, PluginError> {
        let Self {
            path,
            bytes,
            sha256,
            deadline,
        } = self;
        guard::arm();
        // SAFETY: the caller vouches for the library (this function's contract).
        let table = unsafe { loader::open_bytes(&bytes, &path)? };
        let abi = (table.abi_major, table.abi_minor);
        let text = guard::bounded(deadline, move || loader::call_manifest(table)).map_err(|e| {
            PluginError::ManifestCall {
                path: path.display().to_string(),
                message: e.to_string(),
            }
        })?;
        let manifest = parse_manifest(&text).map_err(|message| PluginError::Manifest {
            path: path.display().to_string(),
            message,
        })?;
        let version =
            semver::Version::parse(&manifest.version).map_err(|e| PluginError::Manifest {
                path: path.display().to_string(),
                message: format!("`version` `{}` is not semver: {e}", manifest.version),
            })?;
        let requires =
            semver::VersionReq::parse(&manifest.requires).map_err(|e| PluginError::Manifest {
                path: path.display().to_string(),
                message: format!(
                    "`requires` `{}` is not a semver requirement: {e}",
                    manifest.requires
                ),
            })?;
        let host =
            semver::Version::parse(crate::ENGINE_VERSION).unwrap_or(semver::Version::new(0, 0, 0));
        if !requires.matches(&host) {
            return Err(PluginError::HostVersion {
                plugin: manifest.id.clone(),
                requires: manifest.requires.clone(),
                host: host.to_string(),
            });
        }
        let thread_safe = table.flags & api::FLAG_THREAD_SAFE != 0;
        Ok(Plugin {
            path,
            manifest,
            version,
            abi,
            sha256,
            table,
            lock: (!thread_safe).then(|| Arc::new(Mutex::new(()))),
            deadline,
        })
    }
}

/// The manifest, or what is wrong with it: a rule's wrong level, dimension or outcome text
/// is named with the rule's id, not only a column of the JSON.
fn parse_manifest(bytes: &[u8]) -> Result<api::Manifest, String> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("malformed JSON: {e}"))?;
    serde_json::from_value(value.clone()).map_err(|e| {
        let rules = value.get("rules").and_then(|r| r.as_array());
        let culprit = rules.into_iter().flatten().find_map(|rule| {
            let error = serde_json::from_value::<api::Rule>(rule.clone()).err()?;
            let id = rule.get("id").and_then(|i| i.as_str()).unwrap_or("?");
            Some(format!("rule `{id}`: {error}"))
        });
        culprit.unwrap_or_else(|| e.to_string())
    })
}

/// How a plugin call went wrong; becomes `error` results for the plugin's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CallError {
    /// The plugin panicked (caught at its boundary), with its message when it sent one.
    Panicked(Option<String>),
    /// The plugin returned an error status with this message.
    Failed(String),
    /// The call returned an unknown status.
    Status(i32),
    /// The call did not return within the deadline and was abandoned.
    Deadline(Duration),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Panicked(None) => f.write_str("the plugin panicked"),
            Self::Panicked(Some(m)) => write!(f, "the plugin panicked: {m}"),
            Self::Deadline(d) => write!(
                f,
                "the plugin did not answer within {} ms (its deadline); the call was abandoned",
                d.as_millis()
            ),
            Self::Failed(m) => write!(f, "the plugin failed: {m}"),
            Self::Status(s) => write!(f, "the plugin returned unknown status {s}"),
        }
    }
}

impl Plugin {
    /// Loads the library at `path`, checks the ABI (major equal, table large enough) and
    /// then the manifest (well formed, `requires` matches this icgs) before anything else.
    ///
    /// # Safety
    /// Opening a native library runs its initialisation code, and its functions run with the
    /// process's privileges: `path` must name a trusted icgs plugin built for this platform.
    ///
    /// # Errors
    /// [`PluginError`] naming the path and the reason: not found, not a file, digest
    /// mismatch, not a loadable library, no entry symbol, ABI mismatch, a table too small,
    /// a malformed manifest, or a host version the plugin does not support.
    #[allow(unsafe_code, reason = "loading a native library is inherently unsafe")]
    pub unsafe fn load(path: impl AsRef<Path>, options: &LoadOptions) -> Result<Self, PluginError> {
        let file = PluginFile::read(path, options)?;
        // SAFETY: the caller vouches for the library (this function's contract).
        unsafe { file.load() }
    }

    /// How long a call into a plugin may take unless [`LoadOptions::deadline`] says
    /// otherwise: the plugin is called once per profile for all its rules.
    pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(5);

    /// The manifest the plugin declared.
    #[must_use]
    pub const fn manifest(&self) -> &api::Manifest {
        &self.manifest
    }

    /// The plugin id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.manifest.id
    }

    /// The plugin version.
    #[must_use]
    pub const fn version(&self) -> &semver::Version {
        &self.version
    }

    /// The library's absolute path.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The ABI version the plugin was built with (major, minor).
    #[must_use]
    pub const fn abi(&self) -> (u32, u32) {
        self.abi
    }

    /// Whether the plugin declares that it may be called from several threads at once.
    #[must_use]
    pub const fn thread_safe(&self) -> bool {
        self.lock.is_none()
    }

    /// The SHA-256 of the loaded bytes (lower-case hex).
    #[must_use]
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// How long one call may take before its rules are `error`.
    #[must_use]
    pub const fn deadline(&self) -> Duration {
        self.deadline
    }

    /// Calls `evaluate` with JSON input on its own thread; the answer bytes on success.
    /// Waiting for a non-thread-safe plugin's lock counts against the deadline.
    pub(crate) fn call_evaluate(&self, input: Vec<u8>) -> Result<Vec<u8>, CallError> {
        let (table, lock) = (self.table, self.lock.clone());
        guard::bounded(self.deadline, move || {
            let _guard = lock
                .as_ref()
                .map(|m| m.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
            loader::call_evaluate(table, &input)
        })
    }
}
