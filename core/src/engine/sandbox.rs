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
    /// Bytes the host takes back from one rule call (observed, required, detail, gap,
    /// evidence and message texts), counted as the values are converted: a map of shared
    /// references to one string counts the string once per reference.
    pub max_value_bytes: usize,
    /// Strings, numbers, list elements and map entries the host takes back from one rule call.
    pub max_value_elements: usize,
    /// Nesting of lists and maps in a value taken back.
    pub max_value_depth: usize,
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
            max_value_bytes: 1024 * 1024,
            max_value_elements: 100_000,
            max_value_depth: 16,
        }
    }
}

thread_local! {
    /// The deadline of the rule call running on this thread; evaluation is synchronous.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// What the host may still take back from the rule call running on this thread.
    static TAKE_BACK: Cell<Option<Budget>> = const { Cell::new(None) };
}

/// Sets the deadline and the budget of values taken back for the next rule call on this
/// thread.
pub(crate) fn arm(limits: &Limits) {
    DEADLINE.with(|d| d.set(Instant::now().checked_add(limits.deadline)));
    TAKE_BACK.with(|b| b.set(Some(Budget::new(limits))));
}

/// Clears the deadline and the budget after a rule call.
pub(crate) fn disarm() {
    DEADLINE.with(|d| d.set(None));
    TAKE_BACK.with(|b| b.set(None));
}

/// What is left of [`Limits::max_value_bytes`] and [`Limits::max_value_elements`] in one
/// rule call, and the deepest nesting allowed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    bytes: usize,
    elements: usize,
    max_depth: usize,
    limits: (usize, usize),
}

impl Budget {
    fn new(limits: &Limits) -> Self {
        Self {
            bytes: limits.max_value_bytes,
            elements: limits.max_value_elements,
            max_depth: limits.max_value_depth,
            limits: (limits.max_value_bytes, limits.max_value_elements),
        }
    }

    /// Charges one element of `bytes` bytes, or says which bound it breaks.
    pub(crate) fn charge(&mut self, bytes: usize) -> Result<(), String> {
        self.elements = self.elements.checked_sub(1).ok_or_else(|| {
            format!(
                "the value returned holds more than {} elements (the limit on what a rule returns)",
                self.limits.1
            )
        })?;
        self.bytes = self.bytes.checked_sub(bytes).ok_or_else(|| {
            format!(
                "the value returned is larger than {} bytes once expanded (the limit on what a rule returns)",
                self.limits.0
            )
        })?;
        Ok(())
    }

    /// Refuses a list or map nested deeper than allowed.
    pub(crate) fn enter(&self, depth: usize) -> Result<(), String> {
        if depth > self.max_depth {
            return Err(format!(
                "the value returned nests lists and maps deeper than {} levels (the limit on what a rule returns)",
                self.max_depth
            ));
        }
        Ok(())
    }
}

/// Runs `take` on the budget of the rule call on this thread (the default limits outside a
/// rule call), keeping what it spent.
pub(crate) fn take_back<T>(
    take: impl FnOnce(&mut Budget) -> Result<T, String>,
) -> Result<T, String> {
    TAKE_BACK.with(|cell| {
        let mut budget = cell
            .get()
            .unwrap_or_else(|| Budget::new(&Limits::default()));
        let taken = take(&mut budget);
        if cell.get().is_some() {
            cell.set(Some(budget));
        }
        taken
    })
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

/// The largest rule script compiled, in bytes: a larger file is refused before it is read
/// whole or parsed.
pub const MAX_SCRIPT_BYTES: usize = 64 * 1024;

/// Statements and blocks (counted as `;` and `{`) above which a script is compiled without
/// Rhai's optimizer, which removes and flattens statements one at a time: its time grows
/// with the square of a block's length (64 KiB of `{}` took 30 s); parsing alone is linear.
const MAX_OPTIMIZED_PIECES: usize = 2_000;

/// Why a script was not compiled.
#[derive(Debug)]
pub(crate) enum CompileError {
    /// The script is longer than [`MAX_SCRIPT_BYTES`].
    TooLarge(usize),
    /// Rhai refused it.
    Parse(rhai::ParseError),
}

/// Compiles a rule script in time linear in its size: refused above [`MAX_SCRIPT_BYTES`],
/// optimized only when short enough.
pub(crate) fn compile(engine: &rhai::Engine, text: &str) -> Result<rhai::AST, CompileError> {
    if text.len() > MAX_SCRIPT_BYTES {
        return Err(CompileError::TooLarge(text.len()));
    }
    let mut engine_ast = engine.compile(text).map_err(CompileError::Parse)?;
    let pieces = text.bytes().filter(|b| matches!(b, b';' | b'{')).count();
    if pieces <= MAX_OPTIMIZED_PIECES {
        engine_ast = engine.optimize_ast(
            &rhai::Scope::new(),
            engine_ast,
            rhai::OptimizationLevel::Simple,
        );
    }
    Ok(engine_ast)
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
        // Optimized by `compile` only when short enough.
        .set_optimization_level(rhai::OptimizationLevel::None)
        .disable_symbol("eval");
    // Scripts never write to stdout: reports are the only output.
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    engine.on_progress(check_deadline);
    engine
}
