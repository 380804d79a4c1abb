//! Plugin calls on their own thread, with a deadline, and a process exit from inside a
//! plugin turned into exit status 2.
//!
//! A native plugin may call `exit(0)`; left alone the process would end with status 0, as
//! if every profile had passed. The first plugin load registers an `atexit` handler: when
//! the process exits from a thread running plugin code, or while any plugin call is in
//! flight, it prints why on standard error and ends the process with status 2 (`_exit`, so
//! nothing else runs). A normal exit, with no plugin call in flight, is left alone.

#![allow(
    unsafe_code,
    reason = "atexit and _exit: the only way to veto a plugin's exit()"
)]

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use super::CallError;

/// Plugin calls whose caller is still waiting.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Set on the threads that run plugin code; never cleared (each such thread is
    /// dedicated to one call and may be abandoned).
    static PLUGIN_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// The exit status a plugin's own `exit()` is turned into.
pub const EXIT_STATUS: i32 = 2;

/// Registers the `atexit` handler, once per process.
pub(super) fn arm() {
    #[cfg(all(unix, feature = "plugins"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // SAFETY: registers a plain `extern "C"` function with no captured state.
            unsafe {
                libc::atexit(on_exit);
            }
        });
    }
}

#[cfg(all(unix, feature = "plugins"))]
extern "C" fn on_exit() {
    let from_plugin = PLUGIN_THREAD.try_with(Cell::get).unwrap_or(false);
    if from_plugin || IN_FLIGHT.load(Ordering::SeqCst) > 0 {
        use std::io::Write as _;
        let _ = std::io::stderr().write_all(
            "错误：原生插件在评估中调用了 exit()，结果不可信；退出码改为 2。\nerror: a native plugin called exit() during evaluation; nothing it answered can be trusted: exit status 2\n"
                .as_bytes(),
        );
        // SAFETY: ends the process at once; running further exit handlers could let the
        // plugin's chosen status through.
        unsafe { libc::_exit(EXIT_STATUS) }
    }
}

/// Counts a call as in flight while it lives.
struct InFlight;

impl InFlight {
    fn enter() -> Self {
        IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
        Self
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `call` on a new thread and waits at most `deadline` for its answer. A call that
/// overruns is abandoned: its thread keeps running (native code cannot be stopped safely)
/// until it returns or the process ends, and the caller gets [`CallError::Deadline`].
pub(super) fn bounded<T: Send + 'static>(
    deadline: Duration,
    call: impl FnOnce() -> Result<T, CallError> + Send + 'static,
) -> Result<T, CallError> {
    let _flight = InFlight::enter();
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("icgs-plugin".into())
        .spawn(move || {
            PLUGIN_THREAD.with(|p| p.set(true));
            let _ = tx.send(call());
        })
        .map_err(|e| CallError::Failed(format!("cannot start a thread for the call: {e}")))?;
    match rx.recv_timeout(deadline) {
        Ok(answer) => answer,
        Err(RecvTimeoutError::Timeout) => Err(CallError::Deadline(deadline)),
        Err(RecvTimeoutError::Disconnected) => {
            Err(CallError::Failed("the call ended without an answer".into()))
        }
    }
}
