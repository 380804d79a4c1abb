//! The native plugin interface of icgs.
//!
//! A plugin is a `cdylib` that exports one symbol, [`ENTRY_SYMBOL`], returning a pointer to a
//! `#[repr(C)]` [`PluginV1`] table. Only C types cross the boundary: integers, pointers and
//! function pointers; data crosses as JSON bytes. Whoever allocates frees: the host copies
//! what a plugin returns and hands the buffer back to the plugin's `free_bytes`. Every
//! exported function catches panics and returns an `i32` [`status`].
//!
//! Plugin authors implement the safe [`Plugin`] trait and call [`export_plugin!`]; they write
//! no `unsafe`. The contract — what the host sends, what the plugin returns, how versions
//! are checked — is in `docs/plugin-authoring.md`.
//!
//! ```ignore
//! use icgs_plugin_api::{export_plugin, Plugin, Manifest, EvaluateInput, RuleResult};
//! struct Local;
//! impl Plugin for Local {
//!     fn manifest(&self) -> Manifest { /* name, version, requires, categories, rules */ }
//!     fn evaluate(&self, input: &EvaluateInput) -> Result<Vec<RuleResult>, String> { /* … */ }
//! }
//! export_plugin!(Local, Local);
//! ```

#![deny(missing_docs)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// ABI major version: a host accepts only plugins with the same major. Bumping it means a
/// new entry symbol.
pub const ABI_MAJOR: u32 = 1;
/// ABI minor version: raised when optional fields are appended to [`PluginV1`] or to the
/// JSON it exchanges. 1: rules and parameters may declare `origin` and `source`.
pub const ABI_MINOR: u32 = 1;
/// The symbol every plugin exports (without the trailing NUL: [`ENTRY_SYMBOL_C`]).
pub const ENTRY_SYMBOL: &str = "icgs_plugin_entry_v1";
/// [`ENTRY_SYMBOL`] as a C string, for symbol lookup.
pub const ENTRY_SYMBOL_C: &core::ffi::CStr = c"icgs_plugin_entry_v1";

/// Status codes of the exported functions.
pub mod status {
    /// Success: the output holds the answer.
    pub const OK: i32 = 0;
    /// The plugin refused or failed: the output holds `{"code", "message"}`.
    pub const ERR: i32 = 1;
    /// The plugin panicked; the panic was caught at the boundary.
    pub const PANIC: i32 = 2;
}

/// Bit of [`PluginV1::flags`]: `evaluate` may run on several threads at once.
pub const FLAG_THREAD_SAFE: u32 = 1;

/// A byte buffer allocated by the plugin; only the plugin's `free_bytes` may free it.
#[repr(C)]
#[derive(Debug)]
pub struct Bytes {
    /// Start of the buffer (null when empty).
    pub ptr: *mut u8,
    /// Bytes used.
    pub len: usize,
    /// Bytes allocated.
    pub cap: usize,
}

impl Bytes {
    /// An empty buffer.
    #[must_use]
    pub const fn empty() -> Self {
        Self {
            ptr: std::ptr::null_mut(),
            len: 0,
            cap: 0,
        }
    }

    /// Gives up a vector's allocation to the other side (which must hand it back to
    /// [`Bytes::free`] in this same library).
    #[must_use]
    pub fn from_vec(bytes: Vec<u8>) -> Self {
        let mut bytes = std::mem::ManuallyDrop::new(bytes);
        Self {
            ptr: bytes.as_mut_ptr(),
            len: bytes.len(),
            cap: bytes.capacity(),
        }
    }

    /// Frees a buffer made by [`Bytes::from_vec`] in this library.
    ///
    /// # Safety
    /// `self` must come from [`Bytes::from_vec`] of this library and not be freed before.
    #[allow(unsafe_code, reason = "reclaims the buffer handed across the C ABI")]
    pub unsafe fn free(self) {
        if !self.ptr.is_null() {
            // SAFETY: the caller guarantees the parts came from a Vec of this allocator.
            drop(unsafe { Vec::from_raw_parts(self.ptr, self.len, self.cap) });
        }
    }
}

/// The function table a plugin exports. The header fields are never reordered or removed;
/// minor versions append fields, which a host reads only when `struct_size` covers them.
#[repr(C)]
#[derive(Debug)]
pub struct PluginV1 {
    /// [`ABI_MAJOR`] as compiled into the plugin.
    pub abi_major: u32,
    /// [`ABI_MINOR`] as compiled into the plugin.
    pub abi_minor: u32,
    /// `size_of::<PluginV1>()` as compiled into the plugin.
    pub struct_size: u32,
    /// [`FLAG_THREAD_SAFE`] and future flags.
    pub flags: u32,
    /// Writes the [`Manifest`] as JSON into `out`; returns a [`status`].
    pub manifest: unsafe extern "C" fn(out: *mut Bytes) -> i32,
    /// Reads an [`EvaluateInput`] as JSON, writes an [`EvaluateOutput`] as JSON into `out`;
    /// returns a [`status`].
    pub evaluate: unsafe extern "C" fn(input: *const u8, len: usize, out: *mut Bytes) -> i32,
    /// Frees a buffer this plugin returned.
    pub free_bytes: unsafe extern "C" fn(bytes: Bytes),
}

/// The type of the entry symbol.
pub type EntryV1 = unsafe extern "C" fn() -> *const PluginV1;

/// Text in both languages; Chinese is authoritative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Text {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// Text from both languages.
    #[must_use]
    pub fn new(zh: &str, en: &str) -> Self {
        Self {
            zh: zh.to_owned(),
            en: en.to_owned(),
        }
    }
}

/// What a plugin contributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Plugin id, e.g. `binjiang-biomedical`; its profile data lives in
    /// `extensions.<id>`.
    pub id: String,
    /// Name in both languages.
    pub name: Text,
    /// The plugin's version (semver).
    pub version: String,
    /// The icgs versions it works with (semver requirement, e.g. `>=0.1, <0.2`).
    pub requires: String,
    /// Categories it registers.
    #[serde(default)]
    pub categories: Vec<Category>,
    /// Parameters its rules read.
    #[serde(default)]
    pub params: BTreeMap<String, Param>,
    /// Its rules, with the same metadata as Rhai rules.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// A category a plugin registers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    /// Category id, e.g. `biomedical`.
    pub id: String,
    /// Name in both languages.
    pub name: Text,
    /// Category spaces for clause 5.2.2 (space kinds of the profile).
    #[serde(default)]
    pub spaces: Vec<String>,
    /// Changes to parameters of the standard for communities of this category.
    #[serde(default)]
    pub set_params: BTreeMap<String, serde_json::Value>,
}

/// A parameter declaration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// Default value (number, text, flag or list of texts).
    pub default: serde_json::Value,
    /// Unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Meaning in both languages.
    pub description: Text,
    /// `note` when the explanatory note fixes the value, `proposal` otherwise (ABI 1.1;
    /// absent, as from an older plugin: `proposal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Where the origin is stated (ABI 1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A rule's metadata (see `docs/policy-authoring.md`, the `RULE` map).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// Rule id, e.g. `C.BM.1`.
    pub id: String,
    /// Clause id.
    pub clause: String,
    /// `shall`, `shall-not`, `should` or `may`.
    pub level: String,
    /// `general`, `construction`, `organisation`, `governance-services` or `evaluation`.
    pub dimension: String,
    /// Weight; the scoring model's level weight when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// Parameters read.
    #[serde(default)]
    pub params: Vec<String>,
    /// Categories it applies to (empty: every community).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Title.
    pub title: Text,
    /// Clause text.
    pub text: Text,
    /// How it is checked.
    pub check: Text,
    /// Message with `{observed}` and `{required}`.
    pub message: Text,
    /// What to do when it fails.
    pub remedy: Text,
    /// `note` when the explanatory note states the clause, `proposal` otherwise (ABI 1.1;
    /// absent, as from an older plugin: `proposal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Where the origin is stated (ABI 1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// What the host sends to `evaluate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluateInput {
    /// The community profile, as read (JSON).
    pub profile: serde_json::Value,
    /// The derived facts (see `icgs::facts::Facts`), as JSON.
    pub facts: serde_json::Value,
    /// The rules to evaluate (the applicable ones of this plugin).
    pub rules: Vec<String>,
    /// Resolved parameter values by name (the plugin's own and any it reads).
    pub params: BTreeMap<String, serde_json::Value>,
}

/// What `evaluate` returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct EvaluateOutput {
    /// One result per evaluated rule.
    pub results: Vec<RuleResult>,
}

/// One rule's answer; the host stamps it with the rule's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleResult {
    /// Rule id (one of the plugin's own).
    pub rule: String,
    /// `pass`, `fail`, `not-applicable`, `insufficient-data` or `manual`.
    pub outcome: String,
    /// The value the check saw.
    #[serde(default)]
    pub observed: serde_json::Value,
    /// What it was held against.
    #[serde(default)]
    pub required: serde_json::Value,
    /// JSON pointers to the inputs.
    #[serde(default)]
    pub evidence: Vec<String>,
}

impl RuleResult {
    /// A result with its outcome and values.
    #[must_use]
    pub fn new(
        rule: &str,
        outcome: &str,
        observed: serde_json::Value,
        required: serde_json::Value,
    ) -> Self {
        Self {
            rule: rule.to_owned(),
            outcome: outcome.to_owned(),
            observed,
            required,
            evidence: Vec::new(),
        }
    }

    /// Adds a JSON pointer to the evidence.
    #[must_use]
    pub fn at(mut self, pointer: &str) -> Self {
        self.evidence.push(pointer.to_owned());
        self
    }
}

/// The safe side of a plugin. Implement it and call [`export_plugin!`].
pub trait Plugin: Send + Sync + 'static {
    /// What the plugin contributes; called once, at load.
    fn manifest(&self) -> Manifest;
    /// Evaluates the requested rules for one profile. `Err` becomes an `error` result for
    /// every requested rule, with the message.
    ///
    /// # Errors
    /// When the plugin cannot evaluate (its own data missing is not an error: answer
    /// `insufficient-data`).
    fn evaluate(&self, input: &EvaluateInput) -> Result<Vec<RuleResult>, String>;
}

/// Glue used by [`export_plugin!`]; not for direct use.
#[doc(hidden)]
pub mod glue {
    use super::{Bytes, EvaluateInput, EvaluateOutput, Plugin, status};

    fn error(code: &str, message: &str) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({ "code": code, "message": message }))
            .unwrap_or_default()
    }

    fn write(out: *mut Bytes, bytes: Vec<u8>) {
        if !out.is_null() {
            // SAFETY: the host passes a valid, writable `Bytes` slot.
            #[allow(unsafe_code, reason = "the one write into the host's out slot")]
            unsafe {
                out.write(Bytes::from_vec(bytes));
            }
        }
    }

    /// The body of the exported `manifest`.
    pub fn manifest<P: Plugin>(plugin: &P, out: *mut Bytes) -> i32 {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            serde_json::to_vec(&plugin.manifest())
        })) {
            Ok(Ok(bytes)) => {
                write(out, bytes);
                status::OK
            }
            Ok(Err(e)) => {
                write(out, error("manifest", &e.to_string()));
                status::ERR
            }
            Err(_) => {
                write(
                    out,
                    error("panic", "the plugin panicked while writing its manifest"),
                );
                status::PANIC
            }
        }
    }

    /// The body of the exported `evaluate`.
    pub fn evaluate<P: Plugin>(plugin: &P, input: &[u8], out: *mut Bytes) -> i32 {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let input: EvaluateInput =
                serde_json::from_slice(input).map_err(|e| ("input", e.to_string()))?;
            let results = plugin.evaluate(&input).map_err(|e| ("evaluate", e))?;
            serde_json::to_vec(&EvaluateOutput { results }).map_err(|e| ("output", e.to_string()))
        }));
        match run {
            Ok(Ok(bytes)) => {
                write(out, bytes);
                status::OK
            }
            Ok(Err((code, message))) => {
                write(out, error(code, &message));
                status::ERR
            }
            Err(_) => {
                write(out, error("panic", "the plugin panicked while evaluating"));
                status::PANIC
            }
        }
    }
}

/// Exports a [`Plugin`]: `export_plugin!(Type, constructor_expression)`. Generates the
/// entry symbol and the `extern "C"` functions, each catching panics.
#[macro_export]
macro_rules! export_plugin {
    ($ty:ty, $make:expr) => {
        static __ICGS_PLUGIN: ::std::sync::OnceLock<$ty> = ::std::sync::OnceLock::new();
        fn __icgs_plugin() -> &'static $ty {
            __ICGS_PLUGIN.get_or_init(|| $make)
        }
        #[allow(unsafe_code, reason = "the C ABI of the plugin interface")]
        unsafe extern "C" fn __icgs_manifest(out: *mut $crate::Bytes) -> i32 {
            $crate::glue::manifest(__icgs_plugin(), out)
        }
        #[allow(unsafe_code, reason = "the C ABI of the plugin interface")]
        unsafe extern "C" fn __icgs_evaluate(
            input: *const u8,
            len: usize,
            out: *mut $crate::Bytes,
        ) -> i32 {
            let input: &[u8] = if input.is_null() || len == 0 {
                &[]
            } else {
                // SAFETY: the host passes `len` readable bytes at `input`.
                unsafe { ::std::slice::from_raw_parts(input, len) }
            };
            $crate::glue::evaluate(__icgs_plugin(), input, out)
        }
        #[allow(unsafe_code, reason = "the C ABI of the plugin interface")]
        unsafe extern "C" fn __icgs_free(bytes: $crate::Bytes) {
            // SAFETY: the host returns only buffers this plugin handed out, once each.
            unsafe { bytes.free() }
        }
        static __ICGS_TABLE: $crate::PluginV1 = $crate::PluginV1 {
            abi_major: $crate::ABI_MAJOR,
            abi_minor: $crate::ABI_MINOR,
            struct_size: ::std::mem::size_of::<$crate::PluginV1>() as u32,
            flags: $crate::FLAG_THREAD_SAFE,
            manifest: __icgs_manifest,
            evaluate: __icgs_evaluate,
            free_bytes: __icgs_free,
        };
        /// The plugin's entry symbol.
        #[allow(unsafe_code, reason = "the exported entry symbol")]
        #[unsafe(no_mangle)]
        pub extern "C" fn icgs_plugin_entry_v1() -> *const $crate::PluginV1 {
            &__ICGS_TABLE
        }
    };
}
