//! Native plugins: compiled libraries that add categories and rules, loaded at run time.
//!
//! The interface is the C ABI of `icgs-plugin-api` (one entry symbol returning a table of
//! function pointers, JSON bytes in and out). Loading ([`Plugin::load`]) is the only `unsafe`
//! in this crate: a native library runs with the process's full privileges, so load only
//! libraries you trust, from paths you name (optionally pinning their SHA-256). Libraries
//! are never unloaded.

mod error;
mod loader;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use error::PluginError;
use icgs_plugin_api as api;

/// A loaded, handshaken plugin.
#[derive(Debug)]
pub struct Plugin {
    path: PathBuf,
    manifest: api::Manifest,
    version: semver::Version,
    abi: (u32, u32),
    table: &'static api::PluginV1,
    /// Serialises calls into plugins that do not declare themselves thread-safe.
    lock: Option<Mutex<()>>,
}

/// Options for [`Plugin::load`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Expected SHA-256 of the library file (hex); checked before the library is opened.
    pub sha256: Option<String>,
}

/// How a plugin call went wrong; becomes `error` results for the plugin's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CallError {
    /// The plugin panicked (caught at its boundary).
    Panicked,
    /// The plugin returned an error status with this message.
    Failed(String),
    /// The call returned an unknown status.
    Status(i32),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Panicked => f.write_str("the plugin panicked"),
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
        let path = loader::resolve(path.as_ref())?;
        if let Some(expected) = &options.sha256 {
            loader::check_digest(&path, expected)?;
        }
        // SAFETY: the caller vouches for the library (this function's contract).
        let table = unsafe { loader::open(&path)? };
        let abi = (table.abi_major, table.abi_minor);
        let text = loader::call_manifest(table).map_err(|e| PluginError::ManifestCall {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let manifest: api::Manifest =
            serde_json::from_slice(&text).map_err(|e| PluginError::Manifest {
                path: path.display().to_string(),
                message: format!("malformed JSON: {e}"),
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
        Ok(Self {
            path,
            manifest,
            version,
            abi,
            table,
            lock: (!thread_safe).then(|| Mutex::new(())),
        })
    }

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

    /// Calls `evaluate` with JSON input; the answer bytes on success.
    pub(crate) fn call_evaluate(&self, input: &[u8]) -> Result<Vec<u8>, CallError> {
        let _guard = self
            .lock
            .as_ref()
            .map(|m| m.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        loader::call_evaluate(self.table, input)
    }
}
