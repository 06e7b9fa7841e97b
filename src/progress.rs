//! Progress of a long build, for a status line on a terminal: the pipeline counts what it
//! has done (articles read, pages written) and a watcher thread started by the command line
//! shows it, only once a build has taken more than a second.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::time::Duration;

/// What the build is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    Starting = 0,
    Reading = 1,
    Rendering = 2,
}

static PHASE: AtomicU8 = AtomicU8::new(0);
static DONE: AtomicUsize = AtomicUsize::new(0);
static TOTAL: AtomicUsize = AtomicUsize::new(0);

/// Starts a phase of `total` steps.
pub fn start(phase: Phase, total: usize) {
    DONE.store(0, Ordering::Relaxed);
    TOTAL.store(total, Ordering::Relaxed);
    PHASE.store(phase as u8, Ordering::Relaxed);
}

/// One step of the current phase is done.
pub fn step() {
    DONE.fetch_add(1, Ordering::Relaxed);
}

/// The status line: `rendering pages 5,120/15,118`.
pub fn line() -> String {
    line_of(
        PHASE.load(Ordering::Relaxed),
        DONE.load(Ordering::Relaxed),
        TOTAL.load(Ordering::Relaxed),
    )
}

/// The status line of phase `phase` (a [`Phase`] as stored) at `done` of `total` steps.
fn line_of(phase: u8, done: usize, total: usize) -> String {
    match phase {
        1 => format!("reading articles {done}/{total}"),
        2 => format!("rendering pages {done}/{total}"),
        _ => "starting".into(),
    }
}

/// Shows the status line on stderr every 100 ms once `delay` has passed, until the
/// returned guard is dropped (which clears the line).
pub fn show_after(delay: Duration) -> ShowGuard {
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let flag = std::sync::Arc::clone(&stop);
    let thread = std::thread::spawn(move || {
        let started = std::time::Instant::now();
        let mut shown = false;
        while !flag.load(Ordering::Relaxed) {
            if started.elapsed() >= delay {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[K{}", line());
                let _ = err.flush();
                shown = true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        if shown {
            let _ = write!(std::io::stderr(), "\r\x1b[K");
        }
    });
    ShowGuard {
        stop,
        thread: Some(thread),
    }
}

pub struct ShowGuard {
    stop: std::sync::Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for ShowGuard {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The counters are the process's: other unit tests that read articles or render pages
    // step them at the same time, so only the line's making is tested here.
    #[test]
    fn the_line_names_the_phase_and_its_count() {
        assert_eq!(line_of(Phase::Rendering as u8, 2, 3), "rendering pages 2/3");
        assert_eq!(
            line_of(Phase::Reading as u8, 0, 10),
            "reading articles 0/10"
        );
        assert_eq!(line_of(Phase::Starting as u8, 0, 0), "starting");
    }
}
