//! The one hardened Rhai engine every rule compiles and runs on.

use std::cell::Cell;
use std::time::{Duration, Instant};

use rhai::Dynamic;

/// Resource limits for each rule call. Set explicitly: Rhai's own defaults differ between
/// debug and release builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Operations per rule call.
    pub max_operations: u64,
    /// Nested function calls.
    pub max_call_depth: usize,
    /// Expression nesting (global, inside functions).
    pub max_expr_depth: (usize, usize),
    /// Bytes in one string.
    pub max_string_size: usize,
    /// Elements in one array.
    pub max_array_size: usize,
    /// Entries in one object map.
    pub max_map_size: usize,
    /// Wall-clock budget per rule call.
    pub deadline: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_operations: 200_000,
            max_call_depth: 32,
            max_expr_depth: (64, 32),
            max_string_size: 64 * 1024,
            max_array_size: 100_000,
            max_map_size: 10_000,
            deadline: Duration::from_millis(250),
        }
    }
}

thread_local! {
    /// The deadline of the rule call running on this thread; evaluation is synchronous.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Sets the deadline for the next rule call on this thread.
pub(crate) fn arm_deadline(budget: Duration) {
    DEADLINE.with(|d| d.set(Instant::now().checked_add(budget)));
}

/// Clears the deadline after a rule call.
pub(crate) fn disarm_deadline() {
    DEADLINE.with(|d| d.set(None));
}

/// Text Rhai carries when the deadline stops a script; recognised when reporting.
pub(crate) const DEADLINE_TOKEN: &str = "icgs: wall-clock deadline exceeded";

fn check_deadline(ops: u64) -> Option<Dynamic> {
    if !ops.is_multiple_of(512) {
        return None;
    }
    DEADLINE.with(|d| {
        d.get()
            .filter(|t| Instant::now() > *t)
            .map(|_| Dynamic::from(DEADLINE_TOKEN))
    })
}

/// A raw engine (no file module resolver, no print to stdout) with the language subset and
/// limits policies may use.
pub(crate) fn hardened(limits: &Limits) -> rhai::Engine {
    use rhai::packages::{Package, StandardPackage};
    let mut engine = rhai::Engine::new_raw();
    engine.register_global_module(StandardPackage::new().as_shared_module());
    engine
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_depth)
        .set_max_expr_depths(limits.max_expr_depth.0, limits.max_expr_depth.1)
        .set_max_string_size(limits.max_string_size)
        .set_max_array_size(limits.max_array_size)
        .set_max_map_size(limits.max_map_size)
        .set_max_variables(1_000)
        .set_max_functions(256)
        .set_max_modules(32)
        .set_strict_variables(true)
        .set_fail_on_invalid_map_property(true)
        .disable_symbol("eval");
    // Scripts never write to stdout: reports are the only output.
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    engine.on_progress(check_deadline);
    engine
}
