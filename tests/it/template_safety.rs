//! Inputs that used to crash or hang a build (issue 18, "Safety"): dates at the edge of the
//! calendar, template loops, runaway templates and symlinked template overrides. Each must
//! be a `path:line:col: message` error with exit code 1, never a panic, abort or hang.

use crate::support::{article, TestSite};

const GOOD: &str = "+++\ntitle = \"Good\"\ndate = 2025-01-01\n+++\nFine.\n";

/// A site with one good article and the given template overrides.
fn themed(templates: &[(&str, &str)]) -> TestSite {
    templates.iter().fold(
        TestSite::new().article("good.md", GOOD),
        |site, (name, text)| site.file(&format!("templates/{name}"), text),
    )
}

#[test]
fn the_last_day_of_year_9999_is_an_error_not_a_panic() {
    let err = TestSite::new()
        .article("far.md", &article("Far", "9999-12-31", "", "Body."))
        .build_err();
    assert!(
        err.contains("content/articles/far.md:3:8: `9999-12-31` is out of range: digest takes years 1 to 9998"),
        "{err}"
    );
}

#[test]
fn an_event_in_year_9999_is_an_error_not_a_panic() {
    let events = "[[events]]\ndate = 9999-12-31\ntitle = \"Later\"";
    let err = TestSite::new()
        .article("e.md", &article("E", "2025-01-01", events, "Body."))
        .build_err();
    assert!(
        err.contains(
            "content/articles/e.md:5:8: `9999-12-31` is out of range: digest takes years 1 to 9998"
        ),
        "{err}"
    );
}

#[test]
fn an_edition_intro_for_week_52_of_9999_is_an_error_not_a_panic() {
    let err = TestSite::new()
        .article("good.md", GOOD)
        .file("content/editions/9999-W52.md", "+++\n+++\nHi.\n")
        .build_err();
    assert!(
        err.contains("content/editions/9999-W52.md:1:1: `9999-W52` is out of range: digest takes years 1 to 9998"),
        "{err}"
    );
}

/// The home page uses `index.html`: an override of it reaches the templates under test.
const HOME: &str = "index.html";

#[test]
fn an_include_loop_is_an_error_naming_the_chain() {
    let err = themed(&[
        (HOME, "{% include \"a.html\" %}"),
        ("a.html", "<p>\n  {% include \"b.html\" %}\n</p>"),
        ("b.html", "{% include \"a.html\" %}"),
    ])
    .build_err();
    assert!(
        err.contains("templates/a.html:2:15: include loop: a.html -> b.html -> a.html; "),
        "{err}"
    );
    assert!(!err.contains("index.html"), "one loop, one message: {err}");
}

#[test]
fn a_template_that_includes_itself_is_an_error() {
    let err = themed(&[(HOME, "x {% include \"index.html\" %}")]).build_err();
    assert!(
        err.contains("templates/index.html:1:15: include loop: index.html -> index.html; "),
        "{err}"
    );
}

#[test]
fn a_self_recursive_macro_is_refused() {
    let err = themed(&[
        (HOME, "{% import \"m.html\" as m %}{{ m::tree(n=3) }}"),
        (
            "m.html",
            "{% macro leaf() %}.{% endmacro leaf %}\n{% macro tree(n) %}{{ self::tree(n=n) }}{% endmacro tree %}",
        ),
    ])
    .build_err();
    assert!(
        err.contains("templates/m.html:2:23: macro recursion: m.html::tree -> m.html::tree; "),
        "{err}"
    );
}

#[test]
fn macros_calling_each_other_through_an_include_are_refused() {
    let err = themed(&[
        (HOME, "{% import \"m.html\" as m %}{{ m::a() }}"),
        (
            "m.html",
            "{% macro a() %}{% include \"p.html\" %}{% endmacro a %}",
        ),
        ("p.html", "{% import \"m.html\" as m %}{{ m::a() }}"),
    ])
    .build_err();
    assert!(
        err.contains(
            "templates/m.html:1:28: include and macro loop: m.html::a -> p.html -> m.html::a; "
        ),
        "{err}"
    );
}

#[test]
fn an_import_loop_is_an_error() {
    let err = themed(&[
        (HOME, "{% import \"m1.html\" as m %}{{ m::x() }}"),
        (
            "m1.html",
            "{% import \"m2.html\" as two %}{% macro x() %}1{% endmacro x %}",
        ),
        (
            "m2.html",
            "{% import \"m1.html\" as one %}{% macro y() %}2{% endmacro y %}",
        ),
    ])
    .build_err();
    assert!(
        err.contains("templates/m1.html:1:12: import loop: m1.html -> m2.html -> m1.html; "),
        "{err}"
    );
}

#[test]
fn an_extends_loop_is_an_error() {
    let err = themed(&[
        (HOME, "{% extends \"x.html\" %}"),
        (
            "x.html",
            "{% extends \"x.html\" %}{% block b %}{% endblock b %}",
        ),
    ])
    .build_err();
    assert!(
        err.contains("templates/x.html:1:13: extends loop: x.html -> x.html; "),
        "{err}"
    );
}

/// Runs `digest build` with a render limit of one second, killed if it is still running
/// after `seconds`: (exit code, stderr), or `None` if it had to be killed.
fn build_with_limit(site: &TestSite, seconds: u64) -> Option<(Option<i32>, String)> {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_digest"))
        .arg("build")
        .env("DIGEST_RENDER_LIMIT", "1")
        .current_dir(site.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while std::time::Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return Some((status.code(), stderr));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    None
}

#[test]
fn range_is_bounded() {
    let err = themed(&[(HOME, "{% for i in range(end=1000000) %}{% endfor %}")]).build_err();
    assert!(
        err.contains("templates/index.html:1:13: this `range(` would count 1000000 numbers (start=0, end=1000000, step_by=1), and digest's range() gives at most 100000; "),
        "{err}"
    );
}

#[test]
fn a_page_that_writes_forever_stops_at_the_limit_naming_its_template() {
    let site = themed(&[]);
    site.build_ok();
    let before = site.output("index.html");
    let site = site.file(
        "templates/article.html",
        "{% set xs = range(end=100000) %}{% for i in xs %}{% for j in xs %}{{ j }}{% endfor %}{% endfor %}",
    );
    let (code, err) = build_with_limit(&site, 30).expect("the build stopped by itself");
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("templates/article.html:1:1: rendering /2025/01/good/ ran over 1 s, the limit for one page; look for a loop that never ends"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(site.output("index.html"), before, "old output untouched");
}

#[test]
fn a_page_that_loops_without_writing_is_reported_and_the_build_exits() {
    let site = themed(&[]);
    site.build_ok();
    let before = site.output("index.html");
    let site = site.file(
        "templates/article.html",
        "{% set xs = range(end=100000) %}{% for i in xs %}{% for j in xs %}{% set k = j %}{% endfor %}{% endfor %}",
    );
    let (code, err) = build_with_limit(&site, 30).expect("the build stopped by itself");
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("templates/article.html:1:1: rendering /2025/01/good/ ran over 1 s, the limit for one page; "),
        "{err}"
    );
    assert_eq!(site.output("index.html"), before, "old output untouched");
    // The process ended mid-build: the next build clears what it left behind.
    let site = site.file("templates/article.html", "<p>fixed</p>");
    site.build_ok();
    assert_eq!(site.output("2025/01/good/index.html"), "<p>fixed</p>");
    let debris: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .collect();
    assert!(
        debris.is_empty(),
        "no staging folder left behind: {debris:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_linked_template_override_is_honoured() {
    let site = TestSite::new()
        .article("good.md", GOOD)
        .file("theme/article.html", "<p>linked override</p>");
    std::fs::create_dir_all(site.root().join("templates")).unwrap();
    std::os::unix::fs::symlink(
        "../theme/article.html",
        site.root().join("templates/article.html"),
    )
    .unwrap();
    site.build_ok();
    assert_eq!(
        site.output("2025/01/good/index.html"),
        "<p>linked override</p>"
    );
}

#[cfg(unix)]
#[test]
fn a_template_linked_outside_the_site_is_an_error_naming_link_and_target() {
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("article.html");
    std::fs::write(&target, "<p>from elsewhere</p>").unwrap();
    let site = TestSite::new().article("good.md", GOOD);
    std::fs::create_dir_all(site.root().join("templates")).unwrap();
    std::os::unix::fs::symlink(&target, site.root().join("templates/article.html")).unwrap();
    let err = site.build_err();
    let target = std::fs::canonicalize(&target).unwrap();
    assert!(
        err.contains(&format!(
            "templates/article.html:1:1: is a link to {}, outside the site's folder; copy the file in instead",
            target.display()
        )),
        "{err}"
    );
}
