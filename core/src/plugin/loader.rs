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

/// Compares the file's SHA-256 with the pinned one, before the library is opened.
pub(super) fn check_digest(path: &Path, expected: &str) -> Result<(), PluginError> {
    use sha2::Digest;
    let bytes = std::fs::read(path).map_err(|e| PluginError::NotALibrary {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    let actual = format!("{:x}", sha2::Sha256::digest(&bytes));
    if !actual.eq_ignore_ascii_case(expected.trim()) {
        return Err(PluginError::Digest {
            path: path.display().to_string(),
            expected: expected.trim().to_owned(),
            actual,
        });
    }
    Ok(())
}

/// Opens the library (never to be closed), finds the entry symbol and checks the header.
///
/// # Safety
/// Opening runs the library's initialisers: the caller vouches for it.
pub(super) unsafe fn open(path: &Path) -> Result<&'static api::PluginV1, PluginError> {
    let shown = path.display().to_string();
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

fn finish(table: &api::PluginV1, status: i32, out: api::Bytes) -> Result<Vec<u8>, CallError> {
    let bytes = take(table, out);
    match status {
        api::status::OK => Ok(bytes),
        api::status::PANIC => Err(CallError::Panicked),
        api::status::ERR => {
            let message = serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned))
                .unwrap_or_else(|| String::from_utf8_lossy(&bytes).into_owned());
            Err(CallError::Failed(message))
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
