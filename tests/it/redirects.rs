//! Redirects (issue 21): `aliases` of articles and pages and `[redirects]` of config.toml
//! write a redirect page at each old address, under the base path, left out of the sitemap
//! and the search index; an old address over a page or given twice is an error naming both.

use crate::support::{article, TestSite};

const SUB: &str = "title = \"T\"\nbase_url = \"https://example.com/sub/\"\n";

fn site(config_extra: &str) -> TestSite {
    TestSite::new()
        .file("config.toml", &format!("{SUB}{config_extra}"))
        .article(
            "2025/new-slug.md",
            &article(
                "The story",
                "2025-01-20",
                "aliases = [\"/2025/01/old-slug/\", \"/old/story.html\", \"/legacy\"]",
                "Body.",
            ),
        )
        .file(
            "content/pages/about.md",
            "+++\ntitle = \"About\"\naliases = [\"/about-us/\"]\n+++\nWho we are.\n",
        )
}

#[test]
fn each_old_address_is_a_redirect_page_under_the_base_path() {
    let site = site(
        "\n[redirects]\n\"/gone/\" = \"/2025/01/new-slug/\"\n\"/moved/\" = \"https://elsewhere.example/x/\"\n",
    );
    site.build_ok();
    for (file, url, permalink) in [
        (
            "2025/01/old-slug/index.html",
            "/sub/2025/01/new-slug/",
            "https://example.com/sub/2025/01/new-slug/",
        ),
        (
            "old/story.html",
            "/sub/2025/01/new-slug/",
            "https://example.com/sub/2025/01/new-slug/",
        ),
        (
            "legacy/index.html",
            "/sub/2025/01/new-slug/",
            "https://example.com/sub/2025/01/new-slug/",
        ),
        (
            "about-us/index.html",
            "/sub/about/",
            "https://example.com/sub/about/",
        ),
        (
            "gone/index.html",
            "/sub/2025/01/new-slug/",
            "https://example.com/sub/2025/01/new-slug/",
        ),
        (
            "moved/index.html",
            "https://elsewhere.example/x/",
            "https://elsewhere.example/x/",
        ),
    ] {
        let page = site.output(file);
        for expected in [
            format!(r#"<meta http-equiv="refresh" content="0; url={url}">"#),
            format!(r#"<link rel="canonical" href="{permalink}">"#),
            r#"<meta name="robots" content="noindex">"#.to_string(),
            format!(r#"<a href="{url}">{permalink}</a>"#),
            r#"<html lang="en">"#.to_string(),
        ] {
            assert!(page.contains(&expected), "{file}: {expected} in {page}");
        }
    }
    let sitemap = site.output("sitemap.xml");
    let search = site.output("search.json");
    for old in [
        "old-slug",
        "old/story",
        "legacy",
        "about-us",
        "gone",
        "moved",
    ] {
        assert!(!sitemap.contains(old), "{old} in the sitemap");
        assert!(!search.contains(old), "{old} in the search index");
    }
    assert!(sitemap.contains("https://example.com/sub/2025/01/new-slug/"));
}

#[test]
fn an_old_address_over_a_page_or_given_twice_is_an_error_naming_both() {
    let over_a_page = site("").article(
        "2025/other.md",
        &article(
            "Other",
            "2025-01-21",
            "aliases = [\"/2025/01/new-slug/\"]",
            "Body.",
        ),
    );
    let err = over_a_page.build_err();
    assert!(
        err.contains("content/articles/2025/other.md:4:12: the old address `/2025/01/new-slug/` is where content/articles/2025/new-slug.md is published (/2025/01/new-slug/)"),
        "{err}"
    );
    assert!(!over_a_page.exists("index.html"), "nothing written");

    let twice = site("\n[redirects]\n\"/about-us/\" = \"/\"\n");
    let err = twice.build_err();
    assert!(
        err.contains("config.toml:5:1: the old address `/about-us/` is also given at content/pages/about.md:3:12; keep it in one place"),
        "{err}"
    );

    let generated = site("\n[redirects]\n\"/companies/\" = \"/\"\n");
    let err = generated.build_err();
    assert!(err.contains("config.toml:5:1: the old address `/companies/` is where one of digest's own pages is published"), "{err}");
}

#[test]
fn a_bad_old_address_or_target_is_an_error_at_its_place() {
    let bad = TestSite::new().article(
        "2025/a.md",
        &article(
            "A",
            "2025-01-20",
            "aliases = [\"/ok/\", \"old/no-slash/\", \"/feed.xml\"]",
            "Body.",
        ),
    );
    let err = bad.build_err();
    assert!(
        err.contains("content/articles/2025/a.md:4:20: in `aliases`: `old/no-slash/` is not a path from the site's root"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/articles/2025/a.md:4:37: in `aliases`: `/feed.xml` names a `.xml` file"
        ),
        "{err}"
    );

    // `/2025/01//a/` is the page's own file on disk: refused, the page kept.
    let doubled = TestSite::new()
        .article("2025/a.md", &article("A", "2025-01-20", "", "LIVEBODY"))
        .article(
            "2025/b.md",
            &article("B", "2025-01-21", "aliases = [\"/2025/01//a/\"]", "Body."),
        );
    let err = doubled.build_err();
    assert!(
        err.contains(
            "content/articles/2025/b.md:4:12: in `aliases`: `/2025/01//a/` has an empty segment"
        ),
        "{err}"
    );

    let target = TestSite::new().file(
        "config.toml",
        &format!("{SUB}\n[redirects]\n\"/old/\" = \"new page\"\n"),
    );
    let err = target.build_err();
    assert!(
        err.contains("config.toml:5:11: in `[redirects]`: `new page` is not where a page is"),
        "{err}"
    );
}
