//! The only `unsafe` code of the crate: opening a library and calling through its table.

#![allow(
    unsafe_code,
    reason = "the plugin boundary: dlopen and C function pointers"
)]

use std::path::{Path, PathBuf};

use icgs_plugin_api as api;

use super::{CallError, PluginError};

/// The absolute, existing path of a regular file.
pub(super) fn resolve(path: &Path) -> Result<PathBuf, PluginError> {
    let shown = path.display().to_string();
    let absolute = std::fs::canonicalize(path).map_err(|_| PluginError::NotFound {
        path: shown.clone(),
    })?;
    if !absolute.is_file() {
        return Err(PluginError::NotAFile { path: shown });
    }
    Ok(absolute)
}

/// Reads the file once, through one open handle: these bytes are hashed and loaded, and the
/// path is never read again.
pub(super) fn read(path: &Path) -> Result<Vec<u8>, PluginError> {
    use std::io::Read as _;
    let unreadable = |e: std::io::Error| PluginError::NotALibrary {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    // The open handle's type, not the path's: the path may have changed since `resolve`.
    if !file.metadata().map_err(unreadable)?.is_file() {
        return Err(PluginError::NotAFile {
            path: path.display().to_string(),
        });
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(unreadable)?;
    Ok(bytes)
}

/// The SHA-256 of `bytes`, lower-case hex.
pub(super) fn digest(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(bytes))
}

/// Compares a digest with the pinned one.
pub(super) fn check_digest(path: &Path, actual: &str, expected: &str) -> Result<(), PluginError> {
    if !actual.eq_ignore_ascii_case(expected.trim()) {
        return Err(PluginError::Digest {
            path: path.display().to_string(),
            expected: expected.trim().to_owned(),
            actual: actual.to_owned(),
        });
    }
    Ok(())
}

/// Loads `bytes` (already hashed) as a library, never reading the original path again.
///
/// On Linux the bytes go into a sealed anonymous file (`memfd_create`) opened through
/// `/proc/self/fd/N`: nobody else can name or change it, so what runs is what was hashed —
/// even against a writer who rewrites the original file in place, which loading through an
/// open handle on the original would not stop. Elsewhere (or when the kernel refuses a
/// memfd) they go into a private copy in a fresh directory only this user can enter,
/// removed once loaded.
///
/// # Safety
/// Opening runs the library's initialisers: the caller vouches for it.
#[cfg(feature = "plugins")]
pub(super) unsafe fn open_bytes(
    bytes: &[u8],
    shown: &Path,
) -> Result<&'static api::PluginV1, PluginError> {
    #[cfg(target_os = "linux")]
    if let Some(sealed) = memfd::Sealed::new(bytes) {
        // SAFETY: the caller vouches for the library.
        return unsafe { open(&sealed.path(), shown) };
    }
    let copy = PrivateCopy::new(bytes).map_err(|e| PluginError::NotALibrary {
        path: shown.display().to_string(),
        message: format!("cannot make a private copy to load: {e}"),
    })?;
    // SAFETY: the caller vouches for the library.
    unsafe { open(&copy.file, shown) }
}

/// Without the `plugins` feature there is no loader: every library is refused.
#[cfg(not(feature = "plugins"))]
pub(super) unsafe fn open_bytes(
    _bytes: &[u8],
    shown: &Path,
) -> Result<&'static api::PluginV1, PluginError> {
    Err(PluginError::NotALibrary {
        path: shown.display().to_string(),
        message: "icgs was built without its `plugins` feature: native plugins cannot be loaded"
            .to_owned(),
    })
}

#[cfg(all(target_os = "linux", feature = "plugins"))]
mod memfd {
    use std::io::Write as _;
    use std::os::fd::{AsRawFd as _, FromRawFd as _, OwnedFd};

    /// An anonymous, sealed file holding the library's bytes. Never closed: the loader
    /// knows libraries by name, and a closed descriptor's number — so its
    /// `/proc/self/fd/N` — would be reused by the next plugin, which would then be handed
    /// the library already loaded under that name. Libraries are never unloaded either.
    pub(super) struct Sealed(std::os::fd::RawFd);

    impl Sealed {
        /// `None` when the kernel refuses (no memfd, no `/proc`, executable memfds barred):
        /// the caller falls back to a private copy.
        pub(super) fn new(bytes: &[u8]) -> Option<Self> {
            if !std::path::Path::new("/proc/self/fd").is_dir() {
                return None;
            }
            // SAFETY: a valid C string and flags; the result is checked.
            let fd = unsafe {
                libc::memfd_create(
                    c"icgs-plugin".as_ptr(),
                    libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING,
                )
            };
            if fd < 0 {
                return None;
            }
            // SAFETY: a fresh descriptor nobody else owns.
            let mut file = std::fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) });
            file.write_all(bytes).ok()?;
            let seals =
                libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_WRITE | libc::F_SEAL_SEAL;
            // SAFETY: a valid descriptor; the result is checked.
            if unsafe { libc::fcntl(file.as_raw_fd(), libc::F_ADD_SEALS, seals) } != 0 {
                return None;
            }
            Some(Self(std::os::fd::IntoRawFd::into_raw_fd(file)))
        }

        pub(super) fn path(&self) -> std::path::PathBuf {
            format!("/proc/self/fd/{}", self.0).into()
        }
    }
}

/// A copy of the bytes in a new directory only this user may enter; both removed on drop.
#[cfg(feature = "plugins")]
struct PrivateCopy {
    dir: PathBuf,
    file: PathBuf,
}

#[cfg(feature = "plugins")]
impl PrivateCopy {
    fn new(bytes: &[u8]) -> std::io::Result<Self> {
        use std::io::Write as _;
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("icgs-plugin-{}-{n}", std::process::id()));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        // Fails when the directory exists: never reuse one someone else prepared.
        builder.create(&dir)?;
        let copy = Self {
            file: dir.join(format!("plugin.{}", std::env::consts::DLL_EXTENSION)),
            dir,
        };
        std::fs::File::create_new(&copy.file)?.write_all(bytes)?;
        Ok(copy)
    }
}

#[cfg(feature = "plugins")]
impl Drop for PrivateCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.file);
        let _ = std::fs::remove_dir(&self.dir);
    }
}

/// Opens the library at `path` (never to be closed), finds the entry symbol and checks the
/// header; errors name `shown`, the file the user gave.
///
/// # Safety
/// Opening runs the library's initialisers: the caller vouches for it.
#[cfg(feature = "plugins")]
unsafe fn open(path: &Path, shown: &Path) -> Result<&'static api::PluginV1, PluginError> {
    let shown = shown.display().to_string();
    #[cfg(unix)]
    let library: libloading::Library = {
        use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};
        // SAFETY: the caller vouches for the library; RTLD_NOW makes missing symbols fail here.
        unsafe { Library::open(Some(path), RTLD_NOW | RTLD_LOCAL) }
            .map_err(|e| PluginError::NotALibrary {
                path: shown.clone(),
                message: e.to_string(),
            })?
            .into()
    };
    #[cfg(not(unix))]
    // SAFETY: the caller vouches for the library.
    let library =
        unsafe { libloading::Library::new(path) }.map_err(|e| PluginError::NotALibrary {
            path: shown.clone(),
            message: e.to_string(),
        })?;
    // Never unloaded: unloading Rust libraries with thread-locals is unsound in practice.
    let library: &'static libloading::Library = Box::leak(Box::new(library));
    // SAFETY: the symbol's type is fixed by the ABI; a wrong type is caught by the header
    // checks below before any other call.
    let entry = unsafe { library.get::<api::EntryV1>(api::ENTRY_SYMBOL_C.to_bytes_with_nul()) }
        .map_err(|_| PluginError::MissingEntry {
            path: shown.clone(),
            symbol: api::ENTRY_SYMBOL,
        })?;
    // SAFETY: calling the entry of a trusted plugin; it returns a pointer to a static table.
    let table = unsafe { entry() };
    if table.is_null() {
        return Err(PluginError::NullTable { path: shown });
    }
    // The header (four u32) is the same in every ABI version: read it before the rest.
    // SAFETY: non-null, and every ABI version starts with these four fields.
    let (major, minor, size) =
        unsafe { ((*table).abi_major, (*table).abi_minor, (*table).struct_size) };
    if major != api::ABI_MAJOR {
        return Err(PluginError::AbiMismatch {
            path: shown,
            major,
            minor,
            host_major: api::ABI_MAJOR,
        });
    }
    let needed = std::mem::size_of::<api::PluginV1>();
    if (size as usize) < needed {
        return Err(PluginError::TableTooSmall {
            path: shown,
            size,
            needed,
        });
    }
    // SAFETY: same major and a table at least as large as ABI 1.0's; it lives as long as the
    // library, which is never unloaded.
    Ok(unsafe { &*table })
}

/// Copies a returned buffer and hands it back to the plugin to free.
fn take(table: &api::PluginV1, out: api::Bytes) -> Vec<u8> {
    let bytes = if out.ptr.is_null() || out.len == 0 {
        Vec::new()
    } else {
        // SAFETY: the plugin returned `len` initialised bytes at `ptr`.
        unsafe { std::slice::from_raw_parts(out.ptr, out.len) }.to_vec()
    };
    // SAFETY: the buffer came from this plugin and is freed once, by it.
    unsafe { (table.free_bytes)(out) };
    bytes
}

/// The `message` of a `{"code", "message"}` error buffer.
fn message(bytes: &[u8]) -> Option<String> {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()?
        .get("message")?
        .as_str()
        .map(str::to_owned)
}

fn finish(table: &api::PluginV1, status: i32, out: api::Bytes) -> Result<Vec<u8>, CallError> {
    let bytes = take(table, out);
    match status {
        api::status::OK => Ok(bytes),
        // Since ABI 1.2 the glue sends the panic's message; older plugins send a fixed text.
        api::status::PANIC => Err(CallError::Panicked(message(&bytes))),
        api::status::ERR => {
            Err(CallError::Failed(message(&bytes).unwrap_or_else(|| {
                String::from_utf8_lossy(&bytes).into_owned()
            })))
        }
        other => Err(CallError::Status(other)),
    }
}

pub(super) fn call_manifest(table: &api::PluginV1) -> Result<Vec<u8>, CallError> {
    let mut out = api::Bytes::empty();
    // SAFETY: a checked table; `out` is a valid slot the plugin writes.
    let status = unsafe { (table.manifest)(&mut out) };
    finish(table, status, out)
}

pub(super) fn call_evaluate(table: &api::PluginV1, input: &[u8]) -> Result<Vec<u8>, CallError> {
    let mut out = api::Bytes::empty();
    // SAFETY: a checked table; `input` is readable for its length; `out` is a valid slot.
    let status = unsafe { (table.evaluate)(input.as_ptr(), input.len(), &mut out) };
    finish(table, status, out)
}
