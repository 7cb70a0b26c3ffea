//! Work off the calling thread. Every thread the program starts is started here: it has a name
//! (a debugger or a crash report says what it was for), and a system that cannot start one is
//! an error the caller handles, not a panic.

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
