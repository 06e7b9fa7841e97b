//! `digest serve` under hostile or careless conditions: requests for other host names
//! (DNS rebinding), site folders deleted, moved and created while it runs, a save during
//! the first build, a closed stdout, and requests while a slow rebuild runs. Each test
//! runs the real binary on a free port and talks HTTP/1.1 over a plain socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{article, TestSite};

/// Long enough for a loaded machine; a test that needs it has already failed.
const PATIENCE: Duration = Duration::from_secs(20);

/// A running `digest serve`, stopped on drop.
struct Serving {
    child: Child,
    /// `127.0.0.1:PORT`, to connect to.
    addr: String,
    port: u16,
    /// Everything it printed, for failure messages.
    log: Arc<Mutex<String>>,
}

impl Serving {
    /// Starts serve and returns once its first build is done.
    fn start(site: &TestSite, args: &[&str]) -> Serving {
        Serving::start_reading(site, args, true)
    }

    /// Starts serve; with `keep_reading` false, its stdout is closed after the first build
    /// (as by `digest serve | head -3`).
    fn start_reading(site: &TestSite, args: &[&str], keep_reading: bool) -> Serving {
        let serving = Serving::spawn(site, args, keep_reading);
        serving.wait_for("the first build", || serving.log().contains("\nserving "));
        serving
    }

    /// Starts serve and returns as soon as it says where it listens, before its first
    /// build is done.
    fn spawn(site: &TestSite, args: &[&str], keep_reading: bool) -> Serving {
        let mut child = Command::new(env!("CARGO_BIN_EXE_digest"))
            .args(["serve", "--port", "0"])
            .args(args)
            .arg("--root")
            .arg(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        for (stream, tx) in [
            (Box::new(stdout) as Box<dyn Read + Send>, Some(tx)),
            (Box::new(stderr), None),
        ] {
            let log = Arc::clone(&log);
            let stop_after_start = tx.is_some() && !keep_reading;
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    log.lock().unwrap().push_str(&format!("{line}\n"));
                    if stop_after_start && line.starts_with("serving ") {
                        return;
                    }
                    // `building ROOT for http://127.0.0.1:PORT/ ...`
                    if let (Some(tx), Some((_, url))) = (&tx, line.split_once(" for http://")) {
                        let _ = tx.send(url.split('/').next().unwrap_or("").to_string());
                    }
                }
            });
        }
        let Ok(addr) = rx.recv_timeout(PATIENCE) else {
            let _ = child.kill();
            panic!("serve did not start:\n{}", log.lock().unwrap());
        };
        let port = addr.rsplit_once(':').unwrap().1.parse().unwrap();
        Serving {
            child,
            addr: format!("127.0.0.1:{port}"),
            port,
            log,
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// GET `path` with this `Host:` (none: an HTTP/1.0 request without one).
    fn get_as(&self, host: Option<&str>, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr)
            .unwrap_or_else(|e| panic!("cannot connect ({e}); serve printed:\n{}", self.log()));
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let request = match host {
            Some(host) => {
                format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
            }
            None => format!("GET {path} HTTP/1.0\r\n\r\n"),
        };
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        // An event stream never ends: its status line and headers are enough.
        let mut buf = [0; 4096];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => response.extend_from_slice(&buf[..n]),
                Err(e) => panic!(
                    "reading the answer to {path}: {e}; serve printed:\n{}",
                    self.log()
                ),
            }
            if path.ends_with("/events") && response.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {text:?}"));
        let body = text
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_string();
        (status, body)
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.get_as(Some(&self.addr), path)
    }

    /// Polls until `done` holds, failing after [`PATIENCE`] with `what` and the log.
    fn wait_for(&self, what: &str, mut done: impl FnMut() -> bool) {
        let started = Instant::now();
        while !done() {
            assert!(
                started.elapsed() < PATIENCE,
                "gave up waiting for {what}; serve printed:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Polls `path` until its body contains `text`.
    fn wait_for_text(&self, path: &str, text: &str) {
        self.wait_for(&format!("{text:?} at {path}"), || {
            let (status, body) = self.get(path);
            status == 200 && body.contains(text)
        });
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn one_article_site() -> TestSite {
    TestSite::new().article(
        "r1.md",
        &article("Old headline", "2025-01-20", "summary = \"S\"", "Body."),
    )
}

fn retitle(site: &TestSite, title: &str) {
    std::fs::write(
        site.root().join("content/articles/r1.md"),
        article(title, "2025-01-20", "summary = \"S\"", "Body."),
    )
    .unwrap();
}

#[test]
fn serve_answers_only_requests_for_its_own_host_names() {
    let site = one_article_site();
    let serve = Serving::start(&site, &[]);
    let port = serve.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("[::1]:{port}"),
    ] {
        let (status, body) = serve.get_as(Some(&host), "/");
        assert_eq!(status, 200, "{host}: {body}");
    }
    assert_eq!(serve.get_as(None, "/").0, 200, "HTTP/1.0 without Host");
    let evil = format!("rebind.evil.example:{port}");
    for path in ["/", "/__digest/events", "/__digest/reload.js", "/nope/"] {
        let (status, body) = serve.get_as(Some(&evil), path);
        assert_eq!(status, 403, "{path}: {body}");
        assert!(body.contains(&format!("\"{evil}\"")), "{body}");
        assert!(body.contains("DNS rebinding"), "{body}");
        assert!(
            body.contains(&format!("Open http://127.0.0.1:{port}/ instead")),
            "{body}"
        );
        assert!(!body.contains("Old headline"), "{body}");
    }
    // The event stream is there for the server's own name.
    assert_eq!(serve.get("/__digest/events").0, 200);
}

#[test]
fn serve_on_all_interfaces_accepts_addresses_but_no_other_names() {
    let site = one_article_site();
    let serve = Serving::start(&site, &["--bind", "0.0.0.0"]);
    let port = serve.port;
    let lan = format!("192.0.2.7:{port}");
    assert_eq!(serve.get_as(Some(&lan), "/").0, 200);
    assert_eq!(serve.get_as(Some("localhost"), "/").0, 200);
    let (status, body) = serve.get_as(Some(&format!("evil.example:{port}")), "/");
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("localhost or an IP address"), "{body}");
    assert!(
        body.contains(&format!("http://127.0.0.1:{port}/")),
        "{body}"
    );
}

#[test]
fn serve_sees_edits_after_content_is_deleted_and_restored() {
    let site = one_article_site();
    let backup = tempfile::tempdir().unwrap();
    let saved = backup.path().join("content");
    let status = Command::new("cp")
        .arg("-a")
        .arg(site.root().join("content"))
        .arg(&saved)
        .status()
        .unwrap();
    assert!(status.success());
    let serve = Serving::start(&site, &[]);
    serve.wait_for_text("/", "Old headline");
    std::fs::remove_dir_all(site.root().join("content")).unwrap();
    let status = Command::new("cp")
        .arg("-a")
        .arg(&saved)
        .arg(site.root().join("content"))
        .status()
        .unwrap();
    assert!(status.success());
    retitle(&site, "Headline after the restore");
    serve.wait_for_text("/", "Headline after the restore");
    retitle(&site, "A later headline");
    serve.wait_for_text("/", "A later headline");
}

#[test]
fn serve_sees_edits_after_content_is_moved_away_and_back() {
    let site = one_article_site();
    let serve = Serving::start(&site, &[]);
    serve.wait_for_text("/", "Old headline");
    let content = site.root().join("content");
    let away = site.root().join("away");
    std::fs::rename(&content, &away).unwrap();
    // Give the server time to see the folder go, as a person typing `mv` twice would.
    std::thread::sleep(Duration::from_millis(300));
    std::fs::rename(&away, &content).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    retitle(&site, "Headline after the move");
    serve.wait_for_text("/", "Headline after the move");
}

#[test]
fn serve_watches_a_static_folder_created_after_it_started() {
    let site = one_article_site().file(
        "config.toml",
        "title = \"Test Digest\"\nbase_url = \"https://example.com/sub/\"\n",
    );
    let serve = Serving::start(&site, &[]);
    serve.wait_for_text("/sub/", "Old headline");
    assert_eq!(serve.get("/sub/x.txt").0, 404);
    std::fs::create_dir(site.root().join("static")).unwrap();
    std::fs::write(site.root().join("static/x.txt"), "first static file").unwrap();
    serve.wait_for_text("/sub/x.txt", "first static file");
    // Added once the folder is watched: seen through the new watch itself.
    std::fs::write(site.root().join("static/y.txt"), "second static file").unwrap();
    serve.wait_for_text("/sub/y.txt", "second static file");
}

/// An index template that takes about a second to render (10 million steps) in a debug
/// build, more on a busy machine.
const SLOW_INDEX: &str = "<body>slow index{% for a in range(end=10000) %}\
    {% for b in range(end=1000) %}{% set x = b %}{% endfor %}{% endfor %}{{ articles.0.title }}</body>";

#[test]
fn serve_keeps_serving_when_its_output_is_closed() {
    let site = one_article_site();
    let mut serve = Serving::start_reading(&site, &[], false);
    for title in ["First edit, printed to no one", "Second edit"] {
        retitle(&site, title);
        serve.wait_for_text("/", title);
    }
    assert!(
        serve.child.try_wait().unwrap().is_none(),
        "serve stopped:\n{}",
        serve.log()
    );
}

#[test]
fn serve_sees_a_save_made_during_its_first_build() {
    let site = one_article_site().file("templates/index.html", SLOW_INDEX);
    let serve = Serving::spawn(&site, &[], true);
    // The article is read at the start; rendering the index takes a second after that.
    std::thread::sleep(Duration::from_millis(300));
    retitle(&site, "Saved during the first build");
    serve.wait_for_text("/", "Saved during the first build");
    assert!(
        serve.log().contains("\nserving "),
        "the first build had not finished when the save was made:\n{}",
        serve.log()
    );
}

#[test]
fn serve_answers_from_the_last_build_while_a_slow_rebuild_runs() {
    let site = one_article_site().file("templates/index.html", "<body>fast index</body>");
    let serve = Serving::start(&site, &[]);
    serve.wait_for_text("/", "fast index");
    std::fs::write(site.root().join("templates/index.html"), SLOW_INDEX).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let mut answered = 0;
    let started = Instant::now();
    loop {
        let asked = Instant::now();
        let (status, body) = serve.get("/");
        let took = asked.elapsed();
        // Done, or stopped by a render time limit: either way it has run.
        if body.contains("slow index") || serve.log().contains("build failed") {
            break;
        }
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("fast index"), "{body}");
        assert!(
            took < Duration::from_secs(1),
            "a request waited {took:?} for the rebuild"
        );
        answered += 1;
        assert!(
            started.elapsed() < 3 * PATIENCE,
            "the slow rebuild never finished:\n{}",
            serve.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Proof that the requests above ran while the rebuild did.
    assert!(
        answered >= 3,
        "the rebuild took too little time to show anything ({answered} requests answered)"
    );
}

#[cfg(unix)]
#[test]
fn serve_never_serves_a_static_file_turned_into_a_link_out_of_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), "private key").unwrap();
    let site = one_article_site().file("static/notes.txt", "public notes");
    let serve = Serving::start(&site, &[]);
    serve.wait_for_text("/notes.txt", "public notes");
    // Replaced by a link: the rebuild fails (a link out of the site), and the last good
    // build's list still names the file; what it now leads to is not served.
    let notes = site.root().join("static/notes.txt");
    std::fs::remove_file(&notes).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret"), &notes).unwrap();
    serve.wait_for("the rebuild to fail on the link", || {
        serve.log().contains("outside the site's folder")
    });
    let (status, body) = serve.get("/notes.txt");
    assert_eq!(status, 404, "{body}");
    assert!(!body.contains("private key"), "{body}");
}

#[test]
fn serve_resizes_a_changed_image_in_the_background_and_re_renders_its_page() {
    let site = one_article_site()
        .article(
            "pic.md",
            &article("Picture", "2025-01-21", "", "![Chart](/c.png)"),
        )
        .bytes("static/c.png", &crate::images::png(300, 100));
    let serve = Serving::start(&site, &[]);
    serve.wait_for_text("/2025/01/pic/", r#"width="300" height="100""#);
    let (_, before) = serve.get("/2025/01/pic/");
    let old = crate::images::variant_hash(&before);
    assert_eq!(serve.get(&format!("/_img/{old}-300.webp")).0, 200);
    // A new picture and a text edit in one save: the text is rebuilt at once, the
    // picture's page once its variants are made.
    std::fs::write(
        site.root().join("static/c.png"),
        crate::images::png(300, 200),
    )
    .unwrap();
    retitle(&site, "New headline");
    serve.wait_for_text("/", "New headline");
    serve.wait_for_text("/2025/01/pic/", r#"width="300" height="200""#);
    let (_, after) = serve.get("/2025/01/pic/");
    let new = crate::images::variant_hash(&after);
    assert_ne!(old, new);
    assert_eq!(serve.get(&format!("/_img/{new}-300.webp")).0, 200);
    assert_eq!(serve.get(&format!("/_img/{new}-300.png")).0, 200);
}
