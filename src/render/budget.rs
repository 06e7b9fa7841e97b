//! A time limit for rendering one page, since Tera has no instruction budget: a template
//! that loops for minutes must not hang a build silently, nor take `digest serve` down.
//!
//! - [`range`] replaces Tera's `range`: at most [`RANGE_MAX`] numbers (a billion would
//!   need ~32 GB and abort on the failed allocation), and an error once the page is over
//!   its time.
//! - [`Timed`], the writer a page is rendered into, fails once the page is over its time,
//!   which stops Tera at its next write.
//! - A watchdog thread notices a page still rendering [`GRACE`] after its limit without
//!   writing or calling `range` (a loop of `set`s): Tera cannot be stopped then, so
//!   `digest build` (after [`exit_on_runaway`]) reports it and exits with code 1, its
//!   output untouched (it renders into a staging folder); `digest serve` reports it and
//!   goes on serving the last good build.
//!
//! The limit is [`DEFAULT_LIMIT`] per page, or `DIGEST_RENDER_LIMIT` seconds.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};
use std::time::{Duration, Instant};

/// The default time limit for one page: a whole site of 10,000 articles renders in ~4 s,
/// so no real page comes near it, even on a slow machine or in a debug build.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(30);

/// How long past its limit a page that does not write may run before the watchdog acts.
pub const GRACE: Duration = Duration::from_secs(2);

/// The most numbers one `range(...)` gives.
pub const RANGE_MAX: usize = 100_000;

/// Checking the clock on every write would cost; every this many writes is enough.
const WRITES_PER_CHECK: u32 = 256;

/// The limit for one page: `DIGEST_RENDER_LIMIT` (seconds, e.g. `60` or `0.5`), else
/// [`DEFAULT_LIMIT`].
pub fn limit() -> Duration {
    static LIMIT: OnceLock<Duration> = OnceLock::new();
    *LIMIT.get_or_init(|| {
        std::env::var("DIGEST_RENDER_LIMIT")
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0)
            .map_or(DEFAULT_LIMIT, Duration::from_secs_f64)
    })
}

/// Makes a page the watchdog finds running away end the process with code 1 (for
/// `digest build`); without it, the watchdog only reports it (for `digest serve`).
pub fn exit_on_runaway() {
    EXIT.store(true, Ordering::Relaxed);
}

static EXIT: AtomicBool = AtomicBool::new(false);

/// What a thread is rendering, since when.
#[derive(Debug, Clone)]
struct Running {
    since: Instant,
    /// The template's path as messages show it.
    template: Arc<str>,
    /// The page's URL path, empty when not rendering a page.
    page: String,
    reported: bool,
}

type Slot = Mutex<Option<Running>>;

/// Every rendering thread's slot, for the watchdog.
static SLOTS: Mutex<Vec<Weak<Slot>>> = Mutex::new(Vec::new());

thread_local! {
    static SLOT: Arc<Slot> = register();
}

fn register() -> Arc<Slot> {
    let slot = Arc::new(Mutex::new(None));
    lock(&SLOTS).push(Arc::downgrade(&slot));
    start_watchdog();
    slot
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// While alive, this thread is rendering a page; dropping it restores what was running
/// before (a page whose rendering thread took up another job while waiting).
#[must_use]
pub struct Rendering {
    previous: Option<Running>,
}

/// Starts the clock of a page: `template` as messages show it, `page` its URL path.
pub fn page(template: Arc<str>, page: String) -> Rendering {
    let running = Running {
        since: Instant::now(),
        template,
        page,
        reported: false,
    };
    let previous = SLOT
        .try_with(|slot| lock(slot).replace(running))
        .ok()
        .flatten();
    Rendering { previous }
}

/// Starts the clock for a template rendered outside any page, if none is running.
pub fn unless_running(template: impl FnOnce() -> Arc<str>) -> Option<Rendering> {
    let idle = SLOT.try_with(|slot| lock(slot).is_none()).unwrap_or(false);
    idle.then(|| page(template(), String::new()))
}

impl Drop for Rendering {
    fn drop(&mut self) {
        let previous = self.previous.take();
        // A thread being torn down has no slot left to restore.
        let _ = SLOT.try_with(|slot| *lock(slot) = previous);
    }
}

/// The page this thread renders, when it is over its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overrun {
    pub template: Arc<str>,
    pub page: String,
    pub limit: Duration,
}

impl Overrun {
    /// `rendering /x/ ran over 30 s, ...`
    pub fn message(&self) -> String {
        let what = if self.page.is_empty() {
            "rendering this template".to_string()
        } else {
            format!("rendering {}", self.page)
        };
        format!(
            "{what} ran over {} s, the limit for one page; look for a loop that never ends \
             (a page that truly needs longer can have more time with DIGEST_RENDER_LIMIT=<seconds>)",
            self.limit.as_secs_f64()
        )
    }
}

/// `Some` once the page this thread renders has run past the limit.
pub fn overrun() -> Option<Overrun> {
    SLOT.try_with(|slot| {
        lock(slot).as_ref().and_then(|r| {
            (r.since.elapsed() > limit()).then(|| Overrun {
                template: r.template.clone(),
                page: r.page.clone(),
                limit: limit(),
            })
        })
    })
    .ok()
    .flatten()
}

/// A writer that fails once the page being rendered is over its time limit.
pub struct Timed<W> {
    out: W,
    writes: u32,
}

impl<W: Write> Timed<W> {
    pub fn new(out: W) -> Self {
        Timed { out, writes: 0 }
    }

    fn check(&mut self) -> std::io::Result<()> {
        self.writes = self.writes.wrapping_add(1);
        if self.writes.is_multiple_of(WRITES_PER_CHECK) {
            if let Some(over) = overrun() {
                return Err(std::io::Error::other(over.message()));
            }
        }
        Ok(())
    }
}

impl<W: Write> Write for Timed<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.check()?;
        self.out.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.check()?;
        self.out.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// `range(end=n)`, `range(start=a, end=n, step_by=s)`: Tera's `range`, bounded to
/// [`RANGE_MAX`] numbers and to the page's time.
pub fn range(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    if let Some(over) = overrun() {
        return Err(tera::Error::msg(over.message()));
    }
    let number = |name: &str, default: Option<usize>| -> tera::Result<usize> {
        match args.get(name) {
            Some(v) => v
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| {
                    tera::Error::msg(format!(
                        "`range(` got {name}={v}, but {name} must be a whole number, 0 or more"
                    ))
                }),
            None => {
                default.ok_or_else(|| tera::Error::msg("`range(` needs an end, e.g. range(end=10)"))
            }
        }
    };
    let start = number("start", Some(0))?;
    let end = number("end", None)?;
    let step = number("step_by", Some(1))?;
    if step == 0 {
        return Err(tera::Error::msg(
            "`range(` got step_by=0, which never reaches the end; give step_by=1 or more",
        ));
    }
    if start > end {
        return Err(tera::Error::msg(format!(
            "`range(` got start={start} after end={end}; give a start no greater than the end"
        )));
    }
    let count = (end - start).div_ceil(step);
    if count > RANGE_MAX {
        return Err(tera::Error::msg(format!(
            "this `range(` would count {count} numbers (start={start}, end={end}, \
             step_by={step}), and digest's range() gives at most {RANGE_MAX}; loop over the \
             data instead, or over a shorter range"
        )));
    }
    Ok(tera::Value::Array(
        (start..end).step_by(step).map(tera::Value::from).collect(),
    ))
}

/// Starts the watchdog thread, once per process.
fn start_watchdog() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let tick = (limit() / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
        // Without a watchdog, a runaway page still stops at its next write or `range`.
        let _ = std::thread::Builder::new()
            .name("digest-render-watchdog".into())
            .spawn(move || loop {
                std::thread::sleep(tick);
                watch();
            });
    });
}

/// Reports each page rendering past its limit and grace, once.
fn watch() {
    let slots: Vec<Arc<Slot>> = {
        let mut all = lock(&SLOTS);
        all.retain(|w| w.strong_count() > 0);
        all.iter().filter_map(Weak::upgrade).collect()
    };
    for slot in slots {
        let mut running = lock(&slot);
        let Some(r) = running.as_mut() else { continue };
        if r.reported || r.since.elapsed() <= limit() + GRACE {
            continue;
        }
        r.reported = true;
        let over = Overrun {
            template: r.template.clone(),
            page: r.page.clone(),
            limit: limit(),
        };
        drop(running);
        runaway(&over);
    }
}

/// A page that cannot be stopped: `digest build` ends here; `digest serve` says so.
fn runaway(over: &Overrun) {
    let diagnostic =
        crate::error::Diagnostic::file(std::path::Path::new(&*over.template), over.message());
    if EXIT.load(Ordering::Relaxed) {
        eprintln!("{}", crate::error::BuildError(vec![diagnostic]));
        std::process::exit(1);
    }
    eprintln!(
        "{diagnostic}; it cannot be stopped while it runs: fix the template, then restart \
         digest serve (the last good build is still served)"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range_of(args: &[(&str, i64)]) -> Result<Vec<u64>, String> {
        let args = args
            .iter()
            .map(|(k, v)| (k.to_string(), tera::Value::from(*v)))
            .collect();
        range(&args)
            .map(|v| {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n.as_u64().unwrap())
                    .collect()
            })
            .map_err(|e| e.to_string())
    }

    #[test]
    fn range_counts_like_teras_within_its_bound() {
        assert_eq!(range_of(&[("end", 4)]), Ok(vec![0, 1, 2, 3]));
        assert_eq!(
            range_of(&[("start", 2), ("end", 9), ("step_by", 3)]),
            Ok(vec![2, 5, 8])
        );
        assert_eq!(range_of(&[("start", 5), ("end", 5)]), Ok(vec![]));
        assert_eq!(
            range_of(&[("end", RANGE_MAX as i64)]).map(|v| v.len()),
            Ok(RANGE_MAX)
        );
    }

    #[test]
    fn range_refuses_what_would_not_end_or_not_fit() {
        let too_many = range_of(&[("end", 1_000_000_000)]).unwrap_err();
        assert!(
            too_many.contains("would count 1000000000 numbers"),
            "{too_many}"
        );
        let steps = range_of(&[("end", 10), ("step_by", 0)]).unwrap_err();
        assert!(steps.contains("step_by=0"), "{steps}");
        assert!(range_of(&[("end", -1)])
            .unwrap_err()
            .contains("whole number"));
        assert!(range_of(&[("start", 3), ("end", 1)]).is_err());
        assert!(range_of(&[]).unwrap_err().contains("needs an end"));
    }

    #[test]
    fn the_writer_fails_only_once_the_page_is_over_its_time() {
        let mut out = Vec::new();
        {
            let _page = page("t.html".into(), "/p/".into());
            let mut timed = Timed::new(&mut out);
            for _ in 0..1000 {
                timed.write_all(b"x").unwrap();
            }
            // As if the page had started long ago.
            SLOT.with(|s| lock(s).as_mut().unwrap().since -= limit() + GRACE);
            let failed = (0..WRITES_PER_CHECK).find_map(|_| timed.write_all(b"x").err());
            let message = failed.expect("stopped").to_string();
            assert!(message.starts_with("rendering /p/ ran over"), "{message}");
        }
        assert_eq!(overrun(), None, "the clock stops with the page");
        assert!(out.len() >= 1000);
    }

    #[test]
    fn a_page_rendered_inside_another_restores_the_outer_clock() {
        let outer = page("a.html".into(), "/a/".into());
        SLOT.with(|s| lock(s).as_mut().unwrap().since -= limit() * 2);
        {
            let _inner = page("b.html".into(), "/b/".into());
            assert_eq!(overrun(), None);
            assert!(unless_running(|| "c.html".into()).is_none());
        }
        assert_eq!(overrun().map(|o| o.page), Some("/a/".to_string()));
        drop(outer);
        assert!(unless_running(|| "c.html".into()).is_some());
    }
}
