//! Work off the calling thread. Every thread the program starts is started here: it has a name
//! (a debugger or a crash report says what it was for), and a system that cannot start one is
//! an error the caller handles, not a panic.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError, mpsc};
use std::thread::JoinHandle;

/// Starts `work` on a new thread called `name`.
///
/// # Errors
/// When the system cannot start a thread.
pub fn spawn<T, F>(name: &str, work: F) -> std::io::Result<JoinHandle<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    #[expect(
        clippy::disallowed_methods,
        reason = "the one place threads are started, named and with errors returned"
    )]
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(work)
}

/// How many results may wait, per thread, for an earlier one still being worked on: enough to
/// keep every core busy behind a slow file (a scan), few enough that memory stays flat.
const AHEAD_PER_THREAD: usize = 64;

/// Runs `work` for every index of `0..count` on `pool`'s threads and hands each result to `emit`,
/// on the calling thread, in index order, as soon as it and every one before it are done. No
/// more than a bounded number of results wait at any time, so memory does not grow with
/// `count`. When `emit` breaks, no new work starts and that break is returned.
///
/// A panic in `work` stops the rest and is raised again here, once running work has ended.
pub fn ordered<T, W, E>(
    pool: &rayon::ThreadPool,
    count: usize,
    work: W,
    mut emit: E,
) -> ControlFlow<()>
where
    T: Send,
    W: Fn(usize) -> T + Sync,
    E: FnMut(usize, T) -> ControlFlow<()>,
{
    let threads = pool.current_num_threads().max(1);
    let ahead = threads * AHEAD_PER_THREAD;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // How many results have been emitted, and the bell rung each time it moves or work stops.
    let emitted = (Mutex::new(0_usize), Condvar::new());
    let halt = || {
        stop.store(true, Ordering::SeqCst);
        let _guard = emitted.0.lock().unwrap_or_else(PoisonError::into_inner);
        emitted.1.notify_all();
    };
    let (sender, results) = mpsc::channel::<(usize, T)>();
    let mut flow = ControlFlow::Continue(());
    pool.in_place_scope(|scope| {
        for _ in 0..threads.min(count) {
            let sender = sender.clone();
            let (next, stop, emitted, work, halt) = (&next, &stop, &emitted, &work, &halt);
            scope.spawn(move |_| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    if index >= count || stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let mut done = emitted.0.lock().unwrap_or_else(PoisonError::into_inner);
                    while index >= *done + ahead && !stop.load(Ordering::SeqCst) {
                        done = emitted.1.wait(done).unwrap_or_else(PoisonError::into_inner);
                    }
                    drop(done);
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(index))) {
                        Ok(result) => {
                            if sender.send((index, result)).is_err() {
                                return;
                            }
                        }
                        Err(panic) => {
                            halt();
                            std::panic::resume_unwind(panic);
                        }
                    }
                }
            });
        }
        drop(sender);
        let mut waiting = BTreeMap::new();
        let mut at = 0;
        for (index, result) in &results {
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&at) {
                flow = emit(at, result);
                at += 1;
                {
                    let mut done = emitted.0.lock().unwrap_or_else(PoisonError::into_inner);
                    *done = at;
                    emitted.1.notify_all();
                }
                if flow.is_break() {
                    halt();
                    return;
                }
            }
        }
    });
    flow
}

/// A pool of `threads` threads for [`ordered`] (all the machine's cores for `None`), with named
/// threads; or why the system would not start them.
///
/// # Errors
/// When the system cannot start a thread.
pub fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .thread_name(|i| format!("worker {i}"))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order_whatever_order_they_finish_in() {
        let pool = pool(Some(3)).unwrap_or_else(|e| panic!("{e}"));
        let mut seen = Vec::new();
        // Early indices take longest, so later ones finish first.
        let flow = ordered(
            &pool,
            500,
            |i| {
                std::thread::sleep(std::time::Duration::from_micros(
                    ((500 - i) % 7) as u64 * 50,
                ));
                i * 2
            },
            |i, doubled| {
                seen.push((i, doubled));
                ControlFlow::Continue(())
            },
        );
        assert!(flow.is_continue());
        assert_eq!(seen, (0..500).map(|i| (i, i * 2)).collect::<Vec<_>>());
    }

    #[test]
    fn a_break_stops_the_work() {
        let pool = pool(Some(2)).unwrap_or_else(|e| panic!("{e}"));
        let started = AtomicUsize::new(0);
        let mut seen = 0;
        let flow = ordered(
            &pool,
            100_000,
            |_| started.fetch_add(1, Ordering::SeqCst),
            |_, _| {
                seen += 1;
                if seen == 10 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert!(flow.is_break());
        assert_eq!(seen, 10);
        // No more than the results allowed to wait were worked on.
        assert!(started.load(Ordering::SeqCst) <= 10 + 2 * AHEAD_PER_THREAD + 2);
    }

    #[test]
    fn a_panic_in_the_work_is_raised_again_not_waited_for_forever() {
        let pool = pool(Some(2)).unwrap_or_else(|e| panic!("{e}"));
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            ordered(
                &pool,
                10_000,
                |i| assert!(i != 3, "the fourth"),
                |_, ()| ControlFlow::Continue(()),
            )
        }));
        assert!(outcome.is_err());
    }
}
