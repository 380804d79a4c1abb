//! Work on the rayon threads, results handed over in input order on the calling thread, with
//! no barrier: a thread that finishes takes the next input at once while the caller writes.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

/// How far the workers may run ahead of the sink, and whether they must stop.
#[derive(Debug, Default)]
struct Gate {
    state: Mutex<GateState>,
    moved: Condvar,
}

#[derive(Debug, Default)]
struct GateState {
    /// Results handed to the sink so far.
    done: usize,
    /// The sink failed or a thread panicked: take no more work.
    stop: bool,
}

impl Gate {
    /// Waits until item `i` is less than `window` items ahead of the sink; false when the
    /// work stopped instead.
    fn wait_for(&self, i: usize, window: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while !state.stop && i >= state.done + window {
            state = self
                .moved
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        !state.stop
    }

    fn set(&self, change: impl FnOnce(&mut GateState)) {
        change(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner));
        self.moved.notify_all();
    }
}

/// Stops the work when dropped by a panicking thread, or always (`always`): nobody waits
/// for an item that will never come.
struct StopOnDrop<'a> {
    gate: &'a Gate,
    always: bool,
}

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        if self.always || std::thread::panicking() {
            self.gate.set(|s| s.stop = true);
        }
    }
}

/// Runs `work` on every item on the rayon pool's threads and hands each result to `sink` on
/// the calling thread, in item order. A thread takes the next item as soon as it is done
/// with one (no window barrier waiting for the slowest item), but never more than `window`
/// items ahead of the sink, so at most `window` results plus one per thread are alive
/// whatever the number of items. The first error of `sink` stops the work and is returned.
pub(crate) fn for_each<I: Sync, R: Send>(
    items: &[I],
    window: usize,
    work: impl Fn(&I) -> R + Sync,
    mut sink: impl FnMut(R) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let window = window.max(1);
    let next = AtomicUsize::new(0);
    let gate = Gate::default();
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, R)>(window);
    let (next, gate, work) = (&next, &gate, &work);
    std::thread::scope(|threads| {
        let workers = threads.spawn(move || {
            rayon::scope(|pool| {
                for _ in 0..rayon::current_num_threads() {
                    let tx = tx.clone();
                    pool.spawn(move |_| {
                        let _stop = StopOnDrop {
                            gate,
                            always: false,
                        };
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(i) else { break };
                            if !gate.wait_for(i, window) || tx.send((i, work(item))).is_err() {
                                break;
                            }
                        }
                    });
                }
                drop(tx);
            });
        });
        let written = (move || {
            let _stop = StopOnDrop { gate, always: true };
            let mut waiting = BTreeMap::new();
            let mut done = 0;
            for (i, result) in rx {
                waiting.insert(i, result);
                while let Some(result) = waiting.remove(&done) {
                    sink(result)?;
                    done += 1;
                    gate.set(|s| s.done = done);
                }
            }
            anyhow::Ok(())
        })();
        if let Err(panic) = workers.join() {
            std::panic::resume_unwind(panic);
        }
        written
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn results_come_in_item_order_whatever_the_timing() {
        let items: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        for_each(
            &items,
            4,
            |&i| {
                // Early items take longest: later ones finish first.
                std::thread::sleep(std::time::Duration::from_micros((200 - i) * 20));
                i * 2
            },
            |r| {
                seen.push(r);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn workers_stay_within_the_window() {
        let items: Vec<usize> = (0..100).collect();
        let started = AtomicUsize::new(0);
        let mut written = 0;
        for_each(
            &items,
            3,
            |&i| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i| {
                // Item i is written only after i items were: at most the window ahead.
                assert!(started.load(Ordering::SeqCst) <= written + 3, "ran ahead");
                assert_eq!(i, written);
                written += 1;
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(written, 100);
    }

    #[test]
    fn an_error_of_the_sink_stops_the_work_and_is_returned() {
        let items: Vec<usize> = (0..10_000).collect();
        let started = AtomicUsize::new(0);
        let err = for_each(
            &items,
            8,
            |&i| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i| {
                anyhow::ensure!(i < 5, "closed at {i}");
                Ok(())
            },
        );
        assert_eq!(
            err.map_err(|e| e.to_string()),
            Err("closed at 5".to_owned())
        );
        assert!(started.load(Ordering::SeqCst) < 100, "work went on");
    }
}
