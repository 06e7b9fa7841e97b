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
