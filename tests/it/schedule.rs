//! Scheduled stories (issue 21): an article dated after the build's clock (`DIGEST_NOW` in
//! these tests) is left out of every output until its moment; `--future` shows it, marked;
//! `digest check` lists it. Dates without an offset are read in config.toml's `timezone`.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{article, TestSite, CONFIG};

const SOON: &str = "The embargoed chip story";

/// A site in Tokyo's time zone with a live story and one dated 1 March 2025 (midnight
/// there: 15:00 UTC on 28 February), sharing a company and a tag.
fn site() -> TestSite {
    TestSite::new()
        .file(
            "config.toml",
            &format!("{CONFIG}timezone = \"Asia/Tokyo\"\n"),
        )
        .article(
            "2025/live.md",
            &article(
                "The live story",
                "2025-02-20",
                "companies = [\"Acme\"]\ntags = [\"chips\"]",
                "Out now.",
            ),
        )
        .article(
            "2025/soon.md",
            &article(
                SOON,
                "2025-03-01",
                "companies = [\"Acme\", \"Newco\"]\ntags = [\"chips\", \"embargo\"]\n\
                 aliases = [\"/embargoed/\"]\n\
                 [[events]]\ndate = 2025-03-01\ntitle = \"Newco launches its chip\"",
                "Not before Saturday.",
            ),
        )
}

fn digest(site: &TestSite, now: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_digest"))
        .args(args)
        .env("DIGEST_NOW", now)
        .current_dir(site.root())
        .output()
        .unwrap()
}

fn build_at(site: &TestSite, now: &str, args: &[&str]) {
    let out = digest(site, now, &[&["build"], args].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every output file whose text mentions `needle`.
fn files_mentioning(dir: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            if text.contains(needle) {
                found.push(
                    entry
                        .path()
                        .strip_prefix(dir)
                        .unwrap()
                        .display()
                        .to_string(),
                );
            }
        }
    }
    found
}

#[test]
fn a_scheduled_story_is_in_no_output_until_its_moment_in_the_sites_zone() {
    let site = site();
    // 14:59:59 UTC on 28 February: 23:59:59 in Tokyo, a second before.
    build_at(&site, "2025-02-28T14:59:59Z", &[]);
    let out = site.root().join("public");
    assert!(site.exists("2025/02/live/index.html"));
    assert!(!site.exists("2025/03/soon/index.html"));
    assert!(!site.exists("embargoed/index.html"), "nor its old address");
    for needle in [SOON, "2025/03/soon/", "Newco", "embargo"] {
        assert_eq!(
            files_mentioning(&out, needle),
            Vec::<String>::new(),
            "{needle}"
        );
    }
    // Counts leave it out too: the tag has the live story only.
    let tag = site.output("tags/chips/index.html");
    assert!(tag.contains("The live story"));

    // At its moment it is everywhere: page, home, feeds, sitemap, company and tag pages.
    build_at(&site, "2025-02-28T15:00:00Z", &[]);
    assert!(site.exists("2025/03/soon/index.html"));
    assert!(site.exists("embargoed/index.html"));
    let mentions = files_mentioning(&out, "2025/03/soon/");
    for expected in [
        "index.html",
        "sitemap.xml",
        "companies/newco/index.html",
        "tags/embargo/index.html",
    ] {
        assert!(
            mentions.iter().any(|m| m == expected),
            "{expected} in {mentions:?}"
        );
    }
    assert!(
        mentions
            .iter()
            .any(|m| m.ends_with(".xml") && m != "sitemap.xml"),
        "a feed: {mentions:?}"
    );
    let page = site.output("2025/03/soon/index.html");
    assert!(!page.contains("Scheduled for"), "live, not marked");
    // Read in Tokyo's zone: midnight there, with its offset, in the feeds and JSON-LD.
    assert!(page.contains("2025-03-01T00:00:00+09:00"), "{page}");
}

#[test]
fn future_shows_scheduled_stories_marked() {
    let site = site();
    build_at(&site, "2025-02-25T00:00:00Z", &["--future"]);
    let page = site.output("2025/03/soon/index.html");
    assert!(
        page.contains(r#"<strong class="scheduled">Scheduled for</strong> <time datetime="2025-03-01T00:00:00+09:00">1 March 2025</time>"#),
        "{page}"
    );
    let home = site.output("index.html");
    assert_eq!(
        home.matches("Scheduled for").count(),
        1,
        "only the scheduled card: {home}"
    );
    // A time of day is shown in the mark.
    let site = site.article(
        "2025/later.md",
        &article("Later", "2025-03-02T09:30:00", "", "Body."),
    );
    build_at(&site, "2025-02-25T00:00:00Z", &["--future"]);
    assert!(site
        .output("2025/03/later/index.html")
        .contains(">2 March 2025, 09:30</time>"));
}

#[test]
fn check_lists_scheduled_stories_soonest_first() {
    let site = site().article(
        "2025/later.md",
        &article("Later", "2025-04-01T08:00:00Z", "", "Body."),
    );
    let out = digest(&site, "2025-02-25T00:00:00Z", &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let soon = stderr
        .find("scheduled: content/articles/2025/soon.md: goes live 2025-03-01T00:00:00+09:00;")
        .unwrap_or_else(|| panic!("{stderr}"));
    let later = stderr
        .find("scheduled: content/articles/2025/later.md: goes live 2025-04-01T08:00:00Z;")
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(soon < later, "{stderr}");
    assert!(
        !stderr.contains("scheduled: content/articles/2025/live.md"),
        "{stderr}"
    );
}

#[test]
fn a_bad_clock_or_zone_is_an_error_saying_what_to_write() {
    let site = site();
    let out = digest(&site, "next tuesday", &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("DIGEST_NOW"), "{stderr}");
    assert!(stderr.contains("2025-03-01T09:00:00Z"), "{stderr}");
    assert!(!site.exists("index.html"), "nothing written");

    let site = site.file(
        "config.toml",
        &format!("{CONFIG}timezone = \"Asia/Tokio\"\n"),
    );
    let out = digest(&site, "2025-02-25T00:00:00Z", &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("config.toml:4:12: `timezone` \"Asia/Tokio\" is not a time zone"),
        "{stderr}"
    );
}

#[test]
fn a_story_that_goes_live_while_serving_loses_its_mark_on_the_next_rebuild() {
    use digest::pipeline::{Changes, Session};
    let at = |t: &str| {
        digest::date::PostDate::from_toml(&toml::Value::String(t.into()))
            .unwrap()
            .timestamp()
    };
    let site = site();
    let options = |now: &str| digest::BuildOptions {
        root: site.root().to_path_buf(),
        future: true,
        now: Some(at(now)),
        ..Default::default()
    };
    let mut s = Session::new(options("2025-02-25T00:00:00Z"));
    let first = s.rebuild(&Changes::everything()).unwrap();
    let page =
        |b: &digest::pipeline::Built, p: &str| String::from_utf8(b.files[p].to_vec()).unwrap();
    assert!(page(&first, "2025/03/soon/index.html").contains("Scheduled for"));
    drop(first);
    // The moment passes; an unrelated story is edited (the quick path's kind of change).
    s.set_now(options("2025-03-02T00:00:00Z").now);
    let path = site.root().join("content/articles/2025/live.md");
    std::fs::write(
        &path,
        article(
            "The live story",
            "2025-02-20",
            "companies = [\"Acme\"]\ntags = [\"chips\"]",
            "Edited.",
        ),
    )
    .unwrap();
    let again = s
        .rebuild(&Changes {
            articles: vec![path],
            ..Changes::default()
        })
        .unwrap();
    for p in [
        "2025/03/soon/index.html",
        "index.html",
        "companies/newco/index.html",
    ] {
        assert!(
            !page(&again, p).contains("Scheduled for"),
            "{p} still marked"
        );
    }
}

#[test]
fn a_leap_second_in_a_zone_is_no_panic() {
    let site = site().article(
        "2016/leap.md",
        &article("Leap", "2016-12-31T23:59:60", "", "Body."),
    );
    build_at(&site, "2025-02-28T15:00:00Z", &[]);
    assert!(site.exists("2016/12/leap/index.html"));
}
