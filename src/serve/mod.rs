//! `digest serve`: build into memory, serve it, watch the site, rebuild what changed, and
//! tell the browser. A short loop over the pieces in `watch` and `server`.

pub mod host;
mod images;
pub mod server;
pub mod watch;

use anyhow::Context;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::sync::Arc;
use std::time::Instant;

use crate::pipeline::{Built, Changes, Session};
use crate::BuildOptions;
use server::{Live, Message, Snapshot};

/// `println!` that ignores a closed stdout (`digest serve | head`, a terminal gone): the
/// server must outlive its terminal.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that ignores a closed stderr.
macro_rules! complain {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// What `digest serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
}

/// Runs the server until the process is stopped.
pub fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let listener = std::net::TcpListener::bind((options.bind.as_str(), options.port))
        .map_err(|e| anyhow::anyhow!(listen_error(&options.bind, options.port, &e)))?;
    let addr: SocketAddr = listener.local_addr()?;
    let mut session = Session::new(BuildOptions {
        root: options.root.clone(),
        output: None,
        base_url: None,
        drafts: options.drafts,
        // Scheduled stories are shown, marked, so an editor can read them before they go live.
        future: true,
        now: None,
    });
    // Links must lead to this server, under the site's own base path.
    let base_path = crate::pipeline::load_config(session.options())
        .map(|c| c.base_path)
        .unwrap_or_else(|_| "/".into());
    let local = format!("http://{addr}{base_path}");
    session = Session::new(BuildOptions {
        base_url: Some(local.clone()),
        ..session.options().clone()
    });

    let started = Instant::now();
    let live = Live::new(Snapshot {
        base_path: base_path.clone(),
        building: true,
        ..Snapshot::default()
    });
    let suggest = if addr.ip().is_unspecified() {
        format!("http://127.0.0.1:{}{base_path}", addr.port())
    } else {
        local.clone()
    };
    let hosts = host::AllowedHosts::new(&options.bind, addr.ip(), suggest);
    // Answer at once, with a page that waits for the first build.
    spawn_server(listener, server::app(Arc::clone(&live), Arc::new(hosts)))?;
    // Watching before the first build: a file saved while it runs is rebuilt after it.
    let root = std::fs::canonicalize(&options.root).unwrap_or_else(|_| options.root.clone());
    let watching = watch::watch(&root).context("cannot watch the site's folders")?;
    say!("building {} for {local} ...", options.root.display());
    match rebuild(&mut session, &Changes::everything()) {
        Ok(built) => {
            say!(
                "{}",
                crate::pipeline::built_line(
                    built.article_count,
                    built.files.len(),
                    started.elapsed().as_millis()
                )
            );
            live.publish(snapshot(&built, &root), Message::Reload);
            drop(built);
            session.prepare();
        }
        Err(e) => {
            complain!("{e}");
            live.set_error(Some(e));
        }
    }
    say!(
        "serving {} at {local} (Ctrl+C to stop)",
        options.root.display()
    );
    if options.open {
        open_browser(&local);
    }
    watch_and_rebuild(&options, &root, watching, &mut session, &live);
    Ok(())
}

/// Rebuilds after each batch of changes, forever.
fn watch_and_rebuild(
    options: &ServeOptions,
    root: &Path,
    (mut watcher, events): (watch::SiteWatcher, Receiver<watch::WatchEvent>),
    session: &mut Session,
    live: &Live,
) {
    let output = PathBuf::from("public");
    let mut background = images::Background::start(&options.root, watcher.announcer());
    while let Some(paths) = watch::next_batch(&events) {
        for (folder, e) in watcher.refresh(&paths) {
            complain!(
                "warning: cannot watch {folder}/ ({e}); its changes are not seen until digest serve restarts"
            );
        }
        // Images changed: their variants are made in the background, and they come back
        // as a change of their own once made.
        let paths = background.take_images(session.image_settings(), paths);
        if paths.is_empty() {
            continue;
        }
        let Some(mut changes) = watch::classify(root, &paths, &output) else {
            continue;
        };
        // The session knows files by the root as given (`./content/...`), the watcher by
        // the canonical one.
        for path in &mut changes.articles {
            if let Ok(rel) = path.strip_prefix(root) {
                *path = options.root.join(rel);
            }
        }
        let started = Instant::now();
        let relevant: Vec<PathBuf> = paths
            .iter()
            .filter(|p| watch::classify_path(root, p, &output) != watch::ChangeKind::Ignored)
            .cloned()
            .collect();
        let what = describe(root, &relevant);
        match rebuild(session, &changes) {
            Ok(built) => {
                // Static files are served from disk, so a rewritten one is in no `changed`.
                let statics: Vec<&PathBuf> = relevant
                    .iter()
                    .filter(|p| watch::classify_path(root, p, &output) == watch::ChangeKind::Static)
                    .collect();
                let css_only = (!built.changed.is_empty() || !statics.is_empty())
                    && built.changed.iter().all(|p| p.ends_with(".css"))
                    && statics
                        .iter()
                        .all(|p| p.extension().is_some_and(|e| e == "css"));
                let message = if css_only {
                    Message::Css
                } else {
                    Message::Reload
                };
                let rendered = built.rendered;
                live.publish(snapshot(&built, root), message);
                say!(
                    "{what}: {rendered} page{} re-rendered, {} file{} changed in {} ms",
                    if rendered == 1 { "" } else { "s" },
                    built.changed.len(),
                    if built.changed.len() == 1 { "" } else { "s" },
                    started.elapsed().as_millis()
                );
                session.prepare();
            }
            Err(e) => {
                complain!("{what}: build failed, still serving the last good version\n{e}");
                live.set_error(Some(e));
            }
        }
    }
}

/// One rebuild. A panic in it (a bug in digest) becomes an error like any other, so the
/// server keeps serving the last good version; the session, perhaps left half-updated, is
/// replaced by a fresh one, whose next rebuild reloads everything.
fn rebuild(session: &mut Session, changes: &Changes) -> Result<Built, String> {
    match catch_panic(|| session.rebuild(changes)) {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(panic) => {
            *session = Session::new(session.options().clone());
            Err(format!(
                "error: internal error while rebuilding: {panic}\nThis is a bug in digest; \
                 please report it. The next change rebuilds everything."
            ))
        }
    }
}

/// Runs `work`, turning a panic into its message.
fn catch_panic<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(AssertUnwindSafe(work)).map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into())
    })
}

fn snapshot(built: &Built, site: &std::path::Path) -> Snapshot {
    Snapshot {
        site: site.to_path_buf(),
        files: Arc::clone(&built.files),
        copies: built
            .copies
            .iter()
            .map(|c| (c.path.clone(), c.source.clone()))
            .collect::<HashMap<_, _>>(),
        base_path: built.config.base_path.clone(),
        error: None,
        building: false,
    }
}

/// Why `bind:port` cannot be listened on, and what to do.
fn listen_error(bind: &str, port: u16, e: &std::io::Error) -> String {
    let what = match e.kind() {
        std::io::ErrorKind::AddrInUse => {
            "another server is using the port; stop it or pick another with --port".to_string()
        }
        std::io::ErrorKind::AddrNotAvailable => format!(
            "{bind} is not an address of this machine; --bind takes one of its addresses, \
             127.0.0.1 (this machine only) or 0.0.0.0 (every network)"
        ),
        std::io::ErrorKind::PermissionDenied => {
            "ports below 1024 need extra rights; pick another with --port".to_string()
        }
        _ => format!(
            "{e}; --bind takes an address such as 127.0.0.1 (this machine only) or 0.0.0.0 \
             (every network)"
        ),
    };
    format!("cannot listen on {bind}:{port}: {what}")
}

/// `content/articles/x.md changed` or `3 files changed`.
fn describe(root: &std::path::Path, paths: &[PathBuf]) -> String {
    match paths {
        [one] => format!(
            "{} changed",
            one.strip_prefix(root).unwrap_or(one).display()
        ),
        many => format!("{} files changed", many.len()),
    }
}

fn spawn_server(listener: std::net::TcpListener, app: axum::Router) -> anyhow::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the HTTP server")?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            match tokio::net::TcpListener::from_std(listener) {
                Ok(listener) => {
                    if let Err(e) = axum::serve(listener, app).await {
                        complain!("error: the HTTP server stopped: {e}");
                    }
                }
                Err(e) => complain!("error: cannot use the listening socket: {e}"),
            }
        });
    });
    Ok(())
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        complain!("could not open a browser; visit {url}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_errors_say_what_to_do() {
        use std::io::{Error, ErrorKind};
        let busy = listen_error("127.0.0.1", 1111, &Error::from(ErrorKind::AddrInUse));
        assert!(
            busy.contains("another server") && busy.contains("--port"),
            "{busy}"
        );
        let foreign = listen_error(
            "192.0.2.55",
            1111,
            &Error::from(ErrorKind::AddrNotAvailable),
        );
        assert!(
            foreign.contains("192.0.2.55 is not an address of this machine"),
            "{foreign}"
        );
        assert!(!foreign.contains("another server"), "{foreign}");
    }

    #[test]
    fn a_panic_becomes_its_message() {
        assert_eq!(catch_panic(|| 7), Ok(7));
        assert_eq!(
            catch_panic(|| -> u8 { panic!("boom {}", 1) }),
            Err("boom 1".to_string())
        );
        assert_eq!(
            catch_panic(|| -> u8 { panic!("static boom") }),
            Err("static boom".to_string())
        );
    }
}
