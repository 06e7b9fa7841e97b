//! Corrections (issue 21): `[[corrections]]` show a dated notice with an anchor on the
//! article, move its `updated` date (and its feed entries), and are listed site-wide on
//! `/corrections/`, newest first, with a feed of their own.

use crate::support::{article, TestSite};

fn site() -> TestSite {
    TestSite::new()
        .article(
            "2025/chips.md",
            &article(
                "Chip story",
                "2025-01-20",
                "companies = [\"Acme\"]\n\
                 [[corrections]]\ndate = 2025-01-22\ntext = \"We misspelled *Acme*. See [its site](https://acme.example/).\"\n\
                 [[corrections]]\ndate = 2025-01-21\ntext = \"The price was $3,000, not $30,000.\"",
                "Body.",
            ),
        )
        .article(
            "2025/other.md",
            &article(
                "Other story",
                "2025-01-10",
                "[[corrections]]\ndate = 2025-01-25\ntext = \"The date of the launch was 9 January.\"",
                "Body.",
            ),
        )
        .article("2025/clean.md", &article("Clean story", "2025-01-05", "", "Body."))
}

#[test]
fn corrections_are_shown_dated_move_updated_and_are_listed_site_wide() {
    let site = site();
    site.build_ok();
    let page = site.output("2025/01/chips/index.html");
    // Oldest first on the article, each with its anchor.
    let first = page
        .find(r#"<div class="correction" id="correction-2025-01-21">"#)
        .unwrap_or_else(|| panic!("{page}"));
    let second = page
        .find(r#"<div class="correction" id="correction-2025-01-22">"#)
        .unwrap();
    assert!(first < second);
    assert!(page.contains("<p>We misspelled <em>Acme</em>. See <a href=\"https://acme.example/\">its site</a>.</p>"), "{page}");
    assert!(page.contains(r##"<a href="#correction-2025-01-22">Corrected <time datetime="2025-01-22">22 January 2025</time></a>"##));
    // The latest correction is the article's update: byline, meta, feed entry.
    assert!(
        page.contains(r#"updated <time datetime="2025-01-22">22 January 2025</time>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<meta property="article:modified_time" content="2025-01-22T00:00:00Z">"#)
    );
    let feed = site.output("atom.xml");
    let entry = &feed[feed.find("<title>Chip story</title>").unwrap()..];
    assert!(
        entry.contains("<updated>2025-01-22T00:00:00Z</updated>"),
        "{entry}"
    );
    // An article without corrections has none.
    assert!(!site
        .output("2025/01/clean/index.html")
        .contains("story-corrections"));

    // /corrections/: every one, newest first, with its article.
    let list = site.output("corrections/index.html");
    let order: Vec<usize> = ["The date of the launch", "We misspelled", "The price was"]
        .iter()
        .map(|t| list.find(t).unwrap_or_else(|| panic!("{t} in {list}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(
        list.contains(r##"<a href="/2025/01/chips/#correction-2025-01-22">Chip story</a>"##),
        "{list}"
    );
    // Its feed: an entry per correction, each with its own id.
    let feed = site.output("corrections/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 3);
    assert!(
        feed.contains("<id>https://example.com/2025/01/chips/#correction-2025-01-21</id>"),
        "{feed}"
    );
    assert!(feed.contains("<title>Correction: Chip story</title>"));
    assert!(feed.contains("<updated>2025-01-25T00:00:00Z</updated>"));
    assert!(site
        .output("sitemap.xml")
        .contains("<loc>https://example.com/corrections/</loc>"));
}

#[test]
fn an_empty_site_has_an_empty_corrections_page() {
    let site = TestSite::new().article("2025/a.md", &article("A", "2025-01-05", "", "Body."));
    site.build_ok();
    assert!(site
        .output("corrections/index.html")
        .contains("No corrections so far."));
    assert_eq!(
        site.output("corrections/atom.xml")
            .matches("<entry>")
            .count(),
        0
    );
}

#[test]
fn a_bad_correction_is_an_error_at_its_place() {
    let bad = TestSite::new().article(
        "2025/a.md",
        &article(
            "A",
            "2025-01-20",
            "[[corrections]]\ndate = 2025-01-19\ntext = \"Too early.\"\n\
             [[corrections]]\ndate = 2025-01-21\ntext = \"  \"\n\
             [[corrections]]\ndate = \"2025-02-30\"\ntext = \"No such day.\"",
            "Body.",
        ),
    );
    let err = bad.build_err();
    for expected in [
        "content/articles/2025/a.md:5:8: in `[[corrections]]`: dated 2025-01-19, before the article itself (2025-01-20)",
        "content/articles/2025/a.md:9:8: in `[[corrections]]`: `text` is empty",
        "content/articles/2025/a.md:11:8: in `[[corrections]]`: `2025-02-30` is not a date: February has no day 30",
    ] {
        assert!(err.contains(expected), "{expected} in {err}");
    }
    let unknown = TestSite::new().article(
        "2025/a.md",
        &article(
            "A",
            "2025-01-20",
            "[[corrections]]\ndate = 2025-01-21\nnote = \"x\"",
            "Body.",
        ),
    );
    let err = unknown.build_err();
    assert!(err.contains("content/articles/2025/a.md:"), "{err}");
    assert!(err.contains("`note`"), "{err}");
}
