//! The development server: serves the last good build from memory over HTTP (GET and HEAD
//! only), injects a small live-reload client into HTML pages, and pushes reload, stylesheet
//! and error messages to browsers over Server-Sent Events.
//!
//! Only files of the built site can be served: a request path is decoded, checked, and
//! looked up in the build's file table, never joined onto a folder on disk. Every request,
//! the live-reload endpoints included, must name this server in `Host:` (see `host`).

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, Response, StatusCode};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use std::collections::HashMap;
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tokio::sync::broadcast;

use super::host::AllowedHosts;
use crate::pipeline::SiteFiles;

/// URL prefix of the server's own endpoints; no site path starts with it.
pub const PREFIX: &str = "/__digest/";
const RELOAD_JS: &str = include_str!("reload.js");
/// What any page shows until the first build is done; the injected reload script reloads
/// it when the site is ready, and shows the build's errors over it if it fails.
const BUILDING_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Building the site</title></head><body style=\"font:18px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem\"><main><h1>Building the site</h1><p>digest is reading the articles. This page reloads by itself when the site is ready.</p></main></body></html>";

/// What the server serves now.
#[derive(Default)]
pub struct Snapshot {
    pub files: Arc<SiteFiles>,
    /// Static files: output path -> source file.
    pub copies: HashMap<String, PathBuf>,
    /// The site's folder, resolved: a static file is served only from inside it.
    pub site: PathBuf,
    /// `/` or `/sub/`.
    pub base_path: String,
    /// The last build's errors, shown over every page until fixed.
    pub error: Option<String>,
    /// No build has succeeded yet: pages not found are answered with a "building" page
    /// that reloads by itself when the site is ready (a 10,000-article site takes seconds).
    pub building: bool,
}

/// A message to every open page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Reload,
    /// Only stylesheets changed: swap them without reloading.
    Css,
    Error(String),
}

/// State shared by the rebuild loop and the request handlers.
pub struct Live {
    snapshot: RwLock<Arc<Snapshot>>,
    messages: broadcast::Sender<Message>,
}

impl Live {
    pub fn new(snapshot: Snapshot) -> Arc<Live> {
        let (messages, _) = broadcast::channel(16);
        Arc::new(Live {
            snapshot: RwLock::new(Arc::new(snapshot)),
            messages,
        })
    }

    /// Swaps in a new snapshot atomically: a request sees the old site or the new, whole.
    pub fn publish(&self, snapshot: Snapshot, message: Message) {
        let old = std::mem::replace(
            &mut *self.snapshot.write().unwrap_or_else(|e| e.into_inner()),
            Arc::new(snapshot),
        );
        let _ = self.messages.send(message);
        // Outside the lock and after the message: freeing a large site takes milliseconds.
        drop(old);
    }

    /// Keeps the files, sets or clears the error, and tells the pages.
    pub fn set_error(&self, error: Option<String>) {
        let current = self.current();
        let snapshot = Snapshot {
            files: Arc::clone(&current.files),
            copies: current.copies.clone(),
            site: current.site.clone(),
            base_path: current.base_path.clone(),
            error: error.clone(),
            building: current.building,
        };
        let message = error.map_or(Message::Reload, Message::Error);
        self.publish(snapshot, message);
    }

    pub fn current(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(|e| e.into_inner()))
    }
}

/// The HTTP application; it answers only requests for one of `hosts`.
pub fn app(live: Arc<Live>, hosts: Arc<AllowedHosts>) -> Router {
    let events = Arc::clone(&live);
    Router::new()
        .route(
            &format!("{PREFIX}events"),
            get(move || events_stream(Arc::clone(&events))),
        )
        .route(
            &format!("{PREFIX}reload.js"),
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    RELOAD_JS,
                )
            }),
        )
        .fallback(move |request: Request<Body>| {
            let live = Arc::clone(&live);
            async move { serve_path(&live, request.method(), request.uri().path()) }
        })
        .layer(axum::middleware::from_fn(
            move |request: Request<Body>, next: Next| {
                let hosts = Arc::clone(&hosts);
                async move {
                    match refused_host(&hosts, &request) {
                        Some(text) => forbidden(text),
                        None => next.run(request).await,
                    }
                }
            },
        ))
}

/// The 403 text when the request names a host other than this server's (in `Host:`, or
/// in an absolute request URI); `None` when it may be answered.
fn refused_host(hosts: &AllowedHosts, request: &Request<Body>) -> Option<String> {
    let headers = request
        .headers()
        .get_all(header::HOST)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    // An authority may carry `user@`: only what follows names the server.
    let authority = request.uri().authority().map(|a| {
        let text = a.as_str();
        text.rsplit_once('@').map_or(text, |(_, h)| h).to_string()
    });
    headers
        .chain(authority)
        .find(|host| !hosts.allows(host))
        .map(|host| hosts.refusal(&host))
}

fn forbidden(text: String) -> Response<Body> {
    (
        StatusCode::FORBIDDEN,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

async fn events_stream(live: Arc<Live>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = live.messages.subscribe();
    // On connect: the current error for the overlay, or an empty one to clear it.
    let first = Message::Error(live.current().error.clone().unwrap_or_default());
    let updates = stream::unfold(receiver, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(m) => return Some((m, rx)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let all = stream::once(async move { first })
        .chain(updates)
        .map(|m| Ok(to_event(&m)));
    Sse::new(all).keep_alive(KeepAlive::default())
}

fn to_event(message: &Message) -> Event {
    match message {
        Message::Reload => Event::default().event("reload").data("reload"),
        Message::Css => Event::default().event("css").data("css"),
        Message::Error(text) => Event::default()
            .event("error-overlay")
            .data(text.replace('\r', "")),
    }
}

/// Answers one request for a site path.
pub fn serve_path(live: &Live, method: &Method, raw_path: &str) -> Response<Body> {
    if method != Method::GET && method != Method::HEAD {
        let mut r = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let Some(path) = clean_path(raw_path) else {
        return plain(StatusCode::BAD_REQUEST, "bad path");
    };
    let snapshot = live.current();
    let base = snapshot.base_path.as_str();
    let Some(rel) = path
        .strip_prefix(base)
        .or_else(|| (path.clone() + "/").strip_prefix(base).map(|_| ""))
    else {
        if path == "/" {
            return redirect(base);
        }
        return not_found(&snapshot);
    };
    let rel = rel.to_string();
    let wants_index = rel.is_empty() || rel.ends_with('/');
    let key = if wants_index {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    if let Some(bytes) = snapshot.files.get(&key) {
        return file_response(&key, bytes.to_vec(), StatusCode::OK);
    }
    if let Some(source) = snapshot.copies.get(&key) {
        // A static file that became a link out of the site since the build is not served.
        if crate::walk::outside(&snapshot.site, source).is_some() {
            return not_found(&snapshot);
        }
        return match std::fs::read(source) {
            Ok(bytes) => file_response(&key, bytes, StatusCode::OK),
            Err(_) => not_found(&snapshot),
        };
    }
    if !wants_index && snapshot.files.contains_key(&format!("{rel}/index.html")) {
        return redirect(&format!("{base}{rel}/"));
    }
    not_found(&snapshot)
}

/// Decodes a request path and refuses anything that could climb out of the site:
/// `..` or `.` segments (also percent-encoded), backslashes, NUL, and empty segments.
pub fn clean_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if !decoded.starts_with('/') || decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let segments: Vec<&str> = decoded[1..].split('/').collect();
    let last = segments.len() - 1;
    for (i, s) in segments.iter().enumerate() {
        if *s == ".." || *s == "." || (s.is_empty() && i != last) {
            return None;
        }
    }
    Some(decoded.into_owned())
}

fn file_response(path: &str, mut bytes: Vec<u8>, status: StatusCode) -> Response<Body> {
    let kind = content_type(path);
    if kind.starts_with("text/html") {
        bytes = inject(bytes);
    }
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, kind)
        .header(header::CACHE_CONTROL, "no-cache")
        .header("x-content-type-options", "nosniff")
        .body(Body::from(bytes))
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "response"))
}

/// Adds the live-reload client before `</body>` (or at the end).
fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}reload.js\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

fn not_found(snapshot: &Snapshot) -> Response<Body> {
    if snapshot.building {
        return file_response(
            "building.html",
            BUILDING_PAGE.as_bytes().to_vec(),
            StatusCode::SERVICE_UNAVAILABLE,
        );
    }
    match snapshot.files.get("404.html") {
        Some(page) => file_response("404.html", page.to_vec(), StatusCode::NOT_FOUND),
        None => plain(StatusCode::NOT_FOUND, "not found"),
    }
}

fn redirect(to: &str) -> Response<Body> {
    let mut r = plain(StatusCode::MOVED_PERMANENTLY, "moved");
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// The Content-Type for a file name.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match (path, ext.as_str()) {
        (p, _) if p.ends_with("atom.xml") => "application/atom+xml; charset=utf-8",
        (_, "html" | "htm") => "text/html; charset=utf-8",
        (_, "css") => "text/css; charset=utf-8",
        (_, "js" | "mjs") => "text/javascript; charset=utf-8",
        (_, "json") => "application/json",
        (_, "xml") => "application/xml; charset=utf-8",
        (_, "txt") => "text/plain; charset=utf-8",
        (_, "svg") => "image/svg+xml",
        (_, "png") => "image/png",
        (_, "jpg" | "jpeg") => "image/jpeg",
        (_, "gif") => "image/gif",
        (_, "webp") => "image/webp",
        (_, "avif") => "image/avif",
        (_, "ico") => "image/x-icon",
        (_, "woff2") => "font/woff2",
        (_, "woff") => "font/woff",
        (_, "pdf") => "application/pdf",
        (_, "wasm") => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_path_refuses_traversal() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/..%2f..%2fetc",
            "/a\\..\\b",
            "/a/%5c..",
            "/a//b",
            "/./a",
            "/%00",
            "relative",
        ] {
            assert_eq!(clean_path(bad), None, "{bad}");
        }
        assert_eq!(clean_path("/2025/01/r1/").as_deref(), Some("/2025/01/r1/"));
        assert_eq!(
            clean_path("/tags/open%20weights/").as_deref(),
            Some("/tags/open weights/")
        );
    }

    #[test]
    fn injects_before_body_end() {
        let html = inject(b"<html><body><p>x</p></BODY></html>".to_vec());
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"/__digest/reload.js\"></script></BODY></html>"
        );
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("companies/x/atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("IMG.PNG"), "image/png");
        assert_eq!(content_type("x.unknown"), "application/octet-stream");
    }

    fn live() -> Arc<Live> {
        let mut files = SiteFiles::new();
        files.insert("index.html".into(), b"<body>home</body>".to_vec().into());
        files.insert("a/index.html".into(), b"<body>a</body>".to_vec().into());
        files.insert("404.html".into(), b"<body>missing</body>".to_vec().into());
        Live::new(Snapshot {
            files: Arc::new(files),
            base_path: "/sub/".into(),
            ..Snapshot::default()
        })
    }

    fn body_text(r: Response<Body>) -> String {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let bytes = runtime
            .block_on(axum::body::to_bytes(r.into_body(), usize::MAX))
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[test]
    fn answers_building_until_the_first_build_is_done() {
        let live = Live::new(Snapshot {
            base_path: "/sub/".into(),
            building: true,
            ..Snapshot::default()
        });
        let r = serve_path(&live, &Method::GET, "/sub/2025/01/a/");
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body = body_text(r);
        assert!(body.contains("Building the site"), "{body}");
        assert!(body.contains("/__digest/reload.js"), "{body}");
        // A failed first build keeps the building page (the overlay shows the errors).
        live.set_error(Some("content/articles/a.md:1:1: bad".into()));
        let r = serve_path(&live, &Method::GET, "/sub/");
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    }

    #[test]
    fn serves_under_the_base_path_with_redirects_and_404() {
        let live = live();
        assert_eq!(
            serve_path(&live, &Method::GET, "/sub/").status(),
            StatusCode::OK
        );
        assert_eq!(
            serve_path(&live, &Method::HEAD, "/sub/a/").status(),
            StatusCode::OK
        );
        let r = serve_path(&live, &Method::GET, "/sub/a");
        assert_eq!(r.status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(r.headers()[header::LOCATION], "/sub/a/");
        assert_eq!(
            serve_path(&live, &Method::GET, "/").headers()[header::LOCATION],
            "/sub/"
        );
        assert_eq!(
            serve_path(&live, &Method::GET, "/sub/nope/").status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            serve_path(&live, &Method::GET, "/sub/../sub/").status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            serve_path(&live, &Method::POST, "/sub/").status(),
            StatusCode::METHOD_NOT_ALLOWED
        );
    }
}
