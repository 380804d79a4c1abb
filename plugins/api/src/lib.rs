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
/// JSON it exchanges. 1: rules and parameters may declare `origin` and `source`. 2: a
/// result may carry `error` (wrong data, [`RuleResult::wrong`]); a panic's message is sent
/// with the panic status; level, dimension and outcome are enums on the Rust side (the
/// JSON strings are unchanged).
pub const ABI_MINOR: u32 = 2;
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

/// How binding a rule is (JSON: `"shall"`, `"shall-not"`, `"should"`, `"may"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// 应: required.
    Shall,
    /// 不应: forbidden.
    ShallNot,
    /// 宜: recommended.
    Should,
    /// 可: permitted; never fails.
    May,
}

/// The standard's dimension a rule belongs to (JSON: `"general"`, `"construction"`,
/// `"organisation"`, `"governance-services"`, `"evaluation"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dimension {
    /// General requirements.
    General,
    /// Construction.
    Construction,
    /// Organisation.
    Organisation,
    /// Governance and services.
    GovernanceServices,
    /// Evaluation.
    Evaluation,
}

/// A plugin rule's outcome (JSON: `"pass"`, `"fail"`, `"not-applicable"`,
/// `"insufficient-data"`, `"manual"`). `error` is not among them: a plugin reports wrong
/// data with [`RuleResult::wrong`] and failure with `Err` from [`Plugin::evaluate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The requirement is met.
    Pass,
    /// It is not met.
    Fail,
    /// It does not apply to this community.
    NotApplicable,
    /// The plugin's data is missing: never pass silently.
    InsufficientData,
    /// A person has to judge.
    Manual,
}

macro_rules! wire_text {
    ($($ty:ident { $($variant:ident => $text:literal),+ })+) => {$(
        impl $ty {
            /// The JSON text.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )+};
}

wire_text! {
    Level { Shall => "shall", ShallNot => "shall-not", Should => "should", May => "may" }
    Dimension {
        General => "general", Construction => "construction", Organisation => "organisation",
        GovernanceServices => "governance-services", Evaluation => "evaluation"
    }
    Outcome {
        Pass => "pass", Fail => "fail", NotApplicable => "not-applicable",
        InsufficientData => "insufficient-data", Manual => "manual"
    }
}

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
    /// How binding it is.
    pub level: Level,
    /// The standard's dimension.
    pub dimension: Dimension,
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

impl EvaluateInput {
    /// The data of plugin `id`, under `extensions.<id>` of the profile, with typed readers
    /// that tell missing data from wrong data.
    #[must_use]
    pub fn extension(&self, id: &str) -> Extension<'_> {
        Extension {
            base: format!("/extensions/{}", escape(id)),
            data: self
                .profile
                .get("extensions")
                .and_then(|e| e.get(id))
                .filter(|d| !d.is_null()),
        }
    }
}

/// Escapes a JSON pointer token (RFC 6901).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A plugin's own data in a profile (see [`EvaluateInput::extension`]). Each reader gives
/// `Ok(None)` when the value is absent or `null`, `Ok(Some(_))` when it has the expected
/// type and [`DataError`] when it has another: `"4"` where a number belongs is wrong, not
/// missing.
#[derive(Debug, Clone)]
pub struct Extension<'a> {
    base: String,
    data: Option<&'a serde_json::Value>,
}

/// Data of the wrong type: where, what was expected, what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    /// JSON pointer into the profile, e.g. `/extensions/xihu/x`.
    pub pointer: String,
    /// What was expected, e.g. `a number`.
    pub expected: &'static str,
    /// What was found, e.g. `the string "4"`.
    pub found: String,
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "expected {} at {}, found {}",
            self.expected, self.pointer, self.found
        )
    }
}

impl std::error::Error for DataError {}

/// A value described for a [`DataError`].
fn describe(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the flag {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", Value::String(s.clone())),
        Value::Array(a) => format!("a list of {} item(s)", a.len()),
        Value::Object(_) => "an object".into(),
    }
}

impl<'a> Extension<'a> {
    /// Whether the profile has any data for the plugin.
    #[must_use]
    pub const fn is_present(&self) -> bool {
        self.data.is_some()
    }

    /// The JSON pointer of `key`, for a result's evidence.
    #[must_use]
    pub fn pointer(&self, key: &str) -> String {
        format!("{}/{}", self.base, escape(key))
    }

    /// The raw value at `key`; `None` when absent or `null`.
    #[must_use]
    pub fn value(&self, key: &str) -> Option<&'a serde_json::Value> {
        self.data?.get(key).filter(|v| !v.is_null())
    }

    fn typed<T>(
        &self,
        key: &str,
        expected: &'static str,
        read: impl FnOnce(&'a serde_json::Value) -> Option<T>,
    ) -> Result<Option<T>, DataError> {
        let Some(v) = self.value(key) else {
            return Ok(None);
        };
        read(v).map(Some).ok_or_else(|| DataError {
            pointer: self.pointer(key),
            expected,
            found: describe(v),
        })
    }

    /// A number.
    ///
    /// # Errors
    /// [`DataError`] when the value is not a number.
    pub fn number(&self, key: &str) -> Result<Option<f64>, DataError> {
        self.typed(key, "a number", serde_json::Value::as_f64)
    }

    /// A whole number, zero or more.
    ///
    /// # Errors
    /// [`DataError`] when the value is not a non-negative whole number.
    pub fn count(&self, key: &str) -> Result<Option<u64>, DataError> {
        self.typed(
            key,
            "a whole number, zero or more",
            serde_json::Value::as_u64,
        )
    }

    /// A flag.
    ///
    /// # Errors
    /// [`DataError`] when the value is not `true` or `false`.
    pub fn flag(&self, key: &str) -> Result<Option<bool>, DataError> {
        self.typed(key, "true or false", serde_json::Value::as_bool)
    }

    /// A text.
    ///
    /// # Errors
    /// [`DataError`] when the value is not a string.
    pub fn text(&self, key: &str) -> Result<Option<&'a str>, DataError> {
        self.typed(key, "a text", serde_json::Value::as_str)
    }

    /// A list of texts (dates are texts: `"2026-01-15"`).
    ///
    /// # Errors
    /// [`DataError`] when the value is not a list, or an item is not a string (the pointer
    /// names the item).
    pub fn texts(&self, key: &str) -> Result<Option<Vec<&'a str>>, DataError> {
        let Some(items) = self.typed(key, "a list of texts", serde_json::Value::as_array)? else {
            return Ok(None);
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                item.as_str().ok_or_else(|| DataError {
                    pointer: format!("{}/{i}", self.pointer(key)),
                    expected: "a text",
                    found: describe(item),
                })
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }
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
    /// The outcome.
    pub outcome: Outcome,
    /// The value the check saw.
    #[serde(default)]
    pub observed: serde_json::Value,
    /// What it was held against.
    #[serde(default)]
    pub required: serde_json::Value,
    /// JSON pointers to the inputs.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// Why the rule could not be judged: the data is there but wrong (ABI 1.2). The host
    /// makes the result `error` with this message; a host older than 1.2 ignores the field
    /// and sees the outcome, `insufficient-data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl RuleResult {
    /// A result with its outcome and values.
    #[must_use]
    pub fn new(
        rule: &str,
        outcome: Outcome,
        observed: serde_json::Value,
        required: serde_json::Value,
    ) -> Self {
        Self {
            rule: rule.to_owned(),
            outcome,
            observed,
            required,
            evidence: Vec::new(),
            error: None,
        }
    }

    /// The answer for a rule whose data is present but of the wrong type: an `error`
    /// result naming the place, the type expected and the value found; its evidence is
    /// that place.
    #[must_use]
    pub fn wrong(rule: &str, error: &DataError) -> Self {
        let mut result = Self::new(
            rule,
            Outcome::InsufficientData,
            serde_json::Value::Null,
            serde_json::Value::Null,
        )
        .at(&error.pointer);
        result.error = Some(error.to_string());
        result
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

    /// The text a panic was raised with, when it is one.
    fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into())
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
            Err(payload) => {
                let text = panic_text(payload.as_ref());
                let message = format!("while writing its manifest: {text}");
                write(out, error("panic", &message));
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
            Err(payload) => {
                let text = panic_text(payload.as_ref());
                write(out, error("panic", &format!("while evaluating: {text}")));
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::{Dimension, EvaluateInput, Level, Outcome};
    use serde_json::json;

    /// The enums keep ABI 1.0's JSON strings, and a typo is refused, not passed on.
    #[test]
    fn enums_speak_the_wire_strings() {
        for (level, text) in [(Level::ShallNot, "shall-not"), (Level::May, "may")] {
            assert_eq!(serde_json::to_value(level).unwrap(), json!(text));
            assert_eq!(level.as_str(), text);
        }
        assert_eq!(
            serde_json::from_value::<Dimension>(json!("governance-services")).unwrap(),
            Dimension::GovernanceServices
        );
        assert_eq!(
            serde_json::to_value(Outcome::InsufficientData).unwrap(),
            json!("insufficient-data")
        );
        assert!(serde_json::from_value::<Level>(json!("must")).is_err());
        assert!(serde_json::from_value::<Outcome>(json!("error")).is_err());
    }

    #[test]
    fn extension_readers_tell_wrong_from_missing() {
        let input = EvaluateInput {
            profile: json!({ "extensions": { "xihu": {
                "x": "4", "n": 4, "none": null, "dates": ["2026-01-01", 3]
            } } }),
            facts: json!({}),
            rules: Vec::new(),
            params: Default::default(),
        };
        let data = input.extension("xihu");
        assert_eq!(
            data.number("x").unwrap_err().to_string(),
            r#"expected a number at /extensions/xihu/x, found the string "4""#
        );
        assert_eq!(data.number("n").unwrap(), Some(4.0));
        assert_eq!(data.count("n").unwrap(), Some(4));
        assert_eq!(data.number("none").unwrap(), None);
        assert_eq!(data.number("absent").unwrap(), None);
        assert_eq!(
            data.texts("dates").unwrap_err().to_string(),
            "expected a text at /extensions/xihu/dates/1, found the number 3"
        );
        assert!(!input.extension("other").is_present());
        assert_eq!(input.extension("other").count("n").unwrap(), None);
    }
}
