//! Work off the calling thread. Every thread the program starts is started here: it has a name
//! (a debugger or a crash report says what it was for), and a system that cannot start one is
//! an error the caller handles, not a panic.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

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

/// How many indices a thread takes at once while the work is quick (a text report takes a
/// tenth of a millisecond): each hand-over wakes the calling thread, which takes a core from the
/// reports while it runs, so one wake for many reports instead of one for each keeps both cores
/// on them (32 at a time, against 8, used 5 % less CPU over a folder of 10,000). At most
/// [`AHEAD_PER_THREAD`], so a chunk always fits in the window that may wait.
const QUICK_CHUNK: usize = 32;

/// Work quicker than this per index is taken [`QUICK_CHUNK`] indices at a time. An index that
/// takes longer (a scan, a PDF) is handed over at once, and the rest of its chunk handed back for
/// any thread to take, one at a time: each scan of a run of them is shown as it is read, not held
/// until the rest of its chunk is, and no thread is left with a chunk of scans to itself.
const QUICK: Duration = Duration::from_millis(2);

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
    // How many results have been emitted, how many threads wait for it to move, and the bell
    // rung for them when it moves or work stops. A thread that need not wait takes no lock.
    let emitted = AtomicUsize::new(0);
    let waiting = AtomicUsize::new(0);
    let bell = (Mutex::new(()), Condvar::new());
    let ring = || {
        let _guard = bell.0.lock().unwrap_or_else(PoisonError::into_inner);
        bell.1.notify_all();
    };
    let handed_back = HandedBack::new(threads.min(count));
    let halt = || {
        stop.store(true, Ordering::SeqCst);
        ring();
        handed_back.wake();
    };
    let (sender, results) = mpsc::channel::<Vec<(usize, T)>>();
    let mut flow = ControlFlow::Continue(());
    pool.in_place_scope(|scope| {
        for _ in 0..threads.min(count) {
            let sender = sender.clone();
            let (next, stop, emitted, waiting, bell, work, halt) =
                (&next, &stop, &emitted, &waiting, &bell, &work, &halt);
            let handed_back = &handed_back;
            scope.spawn(move |_| {
                let mut chunk = 1;
                loop {
                    // An index handed back is earlier than any not yet taken: it goes first.
                    let (first, end) = if let Some(index) = handed_back.take() {
                        (index, index + 1)
                    } else {
                        let first = next.fetch_add(chunk, Ordering::SeqCst);
                        if first < count {
                            (first, first.saturating_add(chunk).min(count))
                        } else if let Some(index) = handed_back.wait_for_one(stop) {
                            (index, index + 1)
                        } else {
                            return;
                        }
                    };
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    // The chunk's last result may wait only within the window.
                    let beyond = || end > emitted.load(Ordering::SeqCst) + ahead;
                    if beyond() {
                        let mut guard = bell.0.lock().unwrap_or_else(PoisonError::into_inner);
                        waiting.fetch_add(1, Ordering::SeqCst);
                        while beyond() && !stop.load(Ordering::SeqCst) {
                            guard = bell.1.wait(guard).unwrap_or_else(PoisonError::into_inner);
                        }
                        waiting.fetch_sub(1, Ordering::SeqCst);
                    }
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let mut done = Vec::with_capacity(end - first);
                    let mut slow = false;
                    for index in first..end {
                        let started = Instant::now();
                        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(index)))
                        {
                            Ok(result) => done.push((index, result)),
                            Err(panic) => {
                                halt();
                                std::panic::resume_unwind(panic);
                            }
                        }
                        if started.elapsed() >= QUICK {
                            slow = true;
                            handed_back.give(index + 1..end);
                            break;
                        }
                    }
                    if sender.send(done).is_err() {
                        return;
                    }
                    chunk = if slow { 1 } else { QUICK_CHUNK };
                }
            });
        }
        drop(sender);
        let mut waiting_results = BTreeMap::new();
        let mut at = 0;
        for done in &results {
            waiting_results.extend(done);
            while let Some(result) = waiting_results.remove(&at) {
                flow = emit(at, result);
                at += 1;
                emitted.store(at, Ordering::SeqCst);
                if waiting.load(Ordering::SeqCst) > 0 {
                    ring();
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

/// Indices a thread of [`ordered`] took in a chunk and handed back untouched, because one before
/// them in the chunk was slow: any thread takes them, the lowest first, before any index not yet
/// taken. A thread that finds nothing left to take waits while another may yet hand some back,
/// so the rest of a slow chunk at the end of the work (the scans or PDFs after the text reports
/// of a folder) is shared by every thread, not left to the one that took it.
struct HandedBack {
    /// The indices, and who may yet hand more back.
    handed: Mutex<Handed>,
    /// Rung when indices are handed back, when the last thread runs out of work, and when work
    /// stops.
    changed: Condvar,
    /// How many indices there are, read without the lock: almost always none.
    count: AtomicUsize,
}

/// What [`HandedBack`] keeps under its lock.
struct Handed {
    /// The indices, highest first (the lowest is popped).
    indices: Vec<usize>,
    /// How many threads are not waiting in [`HandedBack::wait_for_one`]: each may yet hand
    /// indices back.
    working: usize,
}

impl HandedBack {
    /// Nothing handed back yet, with `threads` threads working.
    fn new(threads: usize) -> HandedBack {
        HandedBack {
            handed: Mutex::new(Handed {
                indices: Vec::new(),
                working: threads,
            }),
            changed: Condvar::new(),
            count: AtomicUsize::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Handed> {
        self.handed.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The lowest index handed back, taken; `None` when there is none.
    fn take(&self) -> Option<usize> {
        if self.count.load(Ordering::SeqCst) == 0 {
            return None;
        }
        let mut handed = self.lock();
        let index = handed.indices.pop();
        self.count.store(handed.indices.len(), Ordering::SeqCst);
        index
    }

    /// Hands back `indices`, taken but not worked on.
    fn give(&self, indices: std::ops::Range<usize>) {
        let mut handed = self.lock();
        handed.indices.extend(indices);
        handed.indices.sort_unstable_by(|a, b| b.cmp(a));
        self.count.store(handed.indices.len(), Ordering::SeqCst);
        self.changed.notify_all();
    }

    /// For a thread that has found no index left to take: the lowest index another thread hands
    /// back, once there is one; `None` once every thread has run out of work too, or work stops.
    fn wait_for_one(&self, stop: &AtomicBool) -> Option<usize> {
        let mut handed = self.lock();
        handed.working -= 1;
        loop {
            if stop.load(Ordering::SeqCst) {
                return None;
            }
            if let Some(index) = handed.indices.pop() {
                self.count.store(handed.indices.len(), Ordering::SeqCst);
                handed.working += 1;
                return Some(index);
            }
            if handed.working == 0 {
                self.changed.notify_all();
                return None;
            }
            handed = self
                .changed
                .wait(handed)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Wakes the threads waiting for an index, to see that work has stopped.
    fn wake(&self) {
        let _handed = self.lock();
        self.changed.notify_all();
    }
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
        assert!(started.load(Ordering::SeqCst) <= 10 + 2 * AHEAD_PER_THREAD + 2 * QUICK_CHUNK);
    }

    #[test]
    fn a_slow_index_is_handed_over_without_waiting_for_the_rest_of_its_chunk() {
        let pool = pool(Some(2)).unwrap_or_else(|e| panic!("{e}"));
        // Quick indices, so that the threads take whole chunks, then a slow one in the middle of
        // a chunk. The index after it waits until the slow one has been emitted: held back with
        // the rest of the slow one's chunk, it would wait until it gave up.
        let slow = 3 * QUICK_CHUNK + 5;
        let emitted = AtomicUsize::new(0);
        let mut in_vain = Vec::new();
        let flow = ordered(
            &pool,
            slow + 2 * QUICK_CHUNK,
            |i| {
                if i == slow {
                    std::thread::sleep(QUICK * 3);
                } else if i == slow + 1 {
                    let given_up = Instant::now() + Duration::from_secs(10);
                    while emitted.load(Ordering::SeqCst) <= slow && Instant::now() < given_up {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    return emitted.load(Ordering::SeqCst) > slow;
                }
                true
            },
            |i, waited_for| {
                if !waited_for {
                    in_vain.push(i);
                }
                emitted.store(i + 1, Ordering::SeqCst);
                ControlFlow::Continue(())
            },
        );
        assert!(flow.is_continue());
        assert_eq!(
            in_vain,
            Vec::<usize>::new(),
            "waited in vain for the slow one"
        );
        assert_eq!(emitted.load(Ordering::SeqCst), slow + 2 * QUICK_CHUNK);
    }

    #[test]
    fn slow_work_at_the_end_is_shared_by_every_thread() {
        let pool = pool(Some(2)).unwrap_or_else(|e| panic!("{e}"));
        // Quick indices, then slow ones at the end (the scans after a folder's text reports):
        // one thread takes the chunk that holds them; the other, out of indices to take, must
        // wait for the rest of that chunk to be handed back rather than stop.
        let count = 6 * QUICK_CHUNK;
        let slow = count - 8..count;
        let on = Mutex::new(std::collections::HashSet::new());
        let mut seen = Vec::new();
        let flow = ordered(
            &pool,
            count,
            |i| {
                if slow.contains(&i) {
                    on.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .insert(std::thread::current().id());
                    std::thread::sleep(QUICK * 10);
                }
                i
            },
            |i, result| {
                assert_eq!(i, result);
                seen.push(i);
                ControlFlow::Continue(())
            },
        );
        assert!(flow.is_continue());
        assert_eq!(seen, (0..count).collect::<Vec<_>>());
        let threads = on.lock().unwrap_or_else(PoisonError::into_inner).len();
        assert_eq!(
            threads, 2,
            "the slow indices were worked on by {threads} thread(s)"
        );
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
