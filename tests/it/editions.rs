//! Editions (ISO weeks across a new year, empty weeks, intros, the feed and the email copy)
//! and taxonomies declared in config.toml.

use crate::support::{article, TestSite, CONFIG};

fn week_site() -> TestSite {
    TestSite::new()
        // Tuesday 31 December 2024 and Friday 3 January 2025: both in ISO week 1 of 2025.
        .article(
            "eve.md",
            &article("Year-end", "2024-12-31", "companies = [\"Acme\"]", "Eve."),
        )
        .article(
            "jan.md",
            &article(
                "New year",
                "2025-01-03",
                "companies = [\"Acme\", \"Bolt\"]\n\n[[events]]\ndate = 2025-01-02\ntitle = \"Acme ships\"",
                "Jan.",
            ),
        )
        // Sunday 29 December 2024: the last day of week 52 of 2024.
        .article(
            "sunday.md",
            &article("Sunday", "2024-12-29", "", "Sun."),
        )
        // Three weeks later, leaving weeks 2 and 3 empty.
        .article(
            "later.md",
            &article("Later", "2025-01-20", "companies = [\"Bolt\"]", "Later."),
        )
}

#[test]
fn iso_weeks_span_the_new_year_and_empty_weeks_are_skipped() {
    let site = week_site();
    site.build_ok();
    let week1 = site.output("editions/2025-W01/index.html");
    assert!(
        week1.contains("Year-end") && week1.contains("New year"),
        "{week1}"
    );
    assert!(!week1.contains(">Sunday<"), "29 December is in 2024-W52");
    assert!(
        week1.contains("30 December 2024 – 5 January 2025"),
        "{week1}"
    );
    assert!(week1.contains("Acme ships"), "events join their week");
    // Grouped by company: Acme (2 items) before Bolt... and each article once.
    let acme = week1.find(">Acme</a></h2>").expect("an Acme group");
    assert_eq!(week1.matches(">New year</a>").count(), 1);
    assert!(acme < week1.find(">New year</a>").unwrap());
    assert!(site.exists("editions/2024-W52/index.html"));
    assert!(site.exists("editions/2025-W04/index.html"));
    for empty in ["2025-W02", "2025-W03"] {
        assert!(
            !site.exists(&format!("editions/{empty}/index.html")),
            "{empty}"
        );
    }
    // Prev/next skip the empty weeks.
    let w4 = site.output("editions/2025-W04/index.html");
    assert!(w4.contains("href=\"/editions/2025-W01/\""), "{w4}");
    let index = site.output("editions/index.html");
    let order: Vec<usize> = ["2025-W04", "2025-W01", "2024-W52"]
        .iter()
        .map(|k| index.find(&format!("/editions/{k}/")).expect(k))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "newest first");
    // The home page links the latest edition.
    assert!(site
        .output("index.html")
        .contains("href=\"/editions/2025-W04/\""));
}

#[test]
fn intro_without_articles_still_makes_its_edition() {
    let site = week_site().file(
        "content/editions/2025-W02.md",
        "+++\ntitle = \"A quiet week\"\n+++\nNothing shipped; here is *why*.\n",
    );
    site.build_ok();
    let page = site.output("editions/2025-W02/index.html");
    assert!(page.contains("<h1>A quiet week</h1>"), "{page}");
    assert!(page.contains("<em>why</em>"), "{page}");
    assert!(page.contains("0 articles"), "{page}");
    assert!(!site.exists("editions/2025-W03/index.html"));
}

#[test]
fn intro_named_after_no_week_is_an_error() {
    let err = week_site()
        .file("content/editions/2025-W1.md", "+++\n+++\nHi.\n")
        .build_err();
    assert!(
        err.contains("content/editions/2025-W1.md:1:1: an edition intro's file name must name a week, like 2025-W05.md (found `2025-W1`)"),
        "{err}"
    );
}

#[test]
fn monthly_editions() {
    let site = week_site().file(
        "config.toml",
        &format!("{CONFIG}[editions]\nperiod = \"month\"\n"),
    );
    site.build_ok();
    assert!(site.exists("editions/2024-12/index.html"));
    let jan = site.output("editions/2025-01/index.html");
    assert!(
        jan.contains("January 2025") && jan.contains("Later"),
        "{jan}"
    );
    assert!(!site.exists("editions/2025-W01/index.html"));
}

#[test]
fn editions_feed_and_email_copy() {
    let site = week_site().file(
        "config.toml",
        &CONFIG.replace("https://example.com/", "https://u.github.io/ai-digest/"),
    );
    site.build_ok();
    let feed = site.output("editions/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 3, "one entry per edition");
    assert!(feed.contains("<id>https://u.github.io/ai-digest/editions/2025-W04/</id>"));
    // The whole roundup as HTML (in a CDATA section), with absolute links.
    let doc = roxmltree::Document::parse(&feed).expect("the feed is XML");
    let content: String = doc
        .descendants()
        .filter(|n| n.has_tag_name("content"))
        .flat_map(|n| n.children().filter_map(|t| t.text()))
        .collect();
    assert!(
        content.contains("<a href=\"https://u.github.io/ai-digest/2025/01/later/\">Later</a>"),
        "{feed}"
    );
    let email = site.output("editions/2025-W01/email.html");
    assert!(
        !email.contains("<link rel=\"stylesheet\""),
        "no external CSS"
    );
    assert!(email.contains("style=\""), "inline CSS");
    for href in email.split("href=\"").skip(1) {
        assert!(href.starts_with("https://u.github.io/ai-digest/"), "{href}");
    }
}

#[test]
fn editions_can_be_turned_off() {
    let site = week_site().file(
        "config.toml",
        &format!("{CONFIG}[editions]\nenabled = false\n"),
    );
    site.build_ok();
    assert!(!site.exists("editions/index.html"));
    assert!(!site.output("index.html").contains("/editions/"));
}

const TAXONOMIES: &str = "[[taxonomies]]\nname = \"models\"\npaginate_by = 1\nfeed = true\n\n[[taxonomies]]\nname = \"people\"\ntitle = \"Who's who\"\n";

#[test]
fn custom_taxonomies_get_paginated_pages_and_feeds() {
    let site = TestSite::new()
        .file("config.toml", &format!("{CONFIG}{TAXONOMIES}"))
        .article(
            "a.md",
            &article(
                "A",
                "2025-01-01",
                "models = [\"o3-mini\"]\npeople = \"Sam Altman\"",
                "A.",
            ),
        )
        .article(
            "b.md",
            &article("B", "2025-01-02", "models = [\"O3-Mini\", \"R1\"]", "B."),
        );
    site.build_ok();
    // "O3-Mini" and "o3-mini" are one model, on one slug.
    let first = site.output("models/o3-mini/index.html");
    assert!(
        first.contains(">B</a>") && !first.contains(">A</a>"),
        "{first}"
    );
    let second = site.output("models/o3-mini/page/2/index.html");
    assert!(second.contains(">A</a>"), "{second}");
    let feed = site.output("models/o3-mini/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 2);
    let index = site.output("models/index.html");
    assert!(index.contains("<h1>Models</h1>") && index.contains("/models/r1/"));
    // No feed unless asked for; the title comes from config.
    assert!(site.exists("people/sam-altman/index.html"));
    assert!(!site.exists("people/sam-altman/atom.xml"));
    assert!(site.output("people/index.html").contains("Who&#39;s who"));
    // Undeclared default taxonomies are gone.
    assert!(!site.exists("tags/index.html"));
    let article = site.output("2025/01/a/index.html");
    assert!(article.contains("href=\"/models/o3-mini/\""), "{article}");
}

#[test]
fn a_key_naming_no_declared_taxonomy_is_an_error() {
    let err = TestSite::new()
        .file("config.toml", &format!("{CONFIG}{TAXONOMIES}"))
        .article(
            "a.md",
            &article("A", "2025-01-01", "\ntags = [\"x\"]", "A."),
        )
        .build_err();
    assert!(
        err.contains("content/articles/a.md:5:1: unknown key `tags`:"),
        "{err}"
    );
    assert!(
        err.contains("nor a declared taxonomy (companies, models, people)"),
        "{err}"
    );
}

#[test]
fn two_spellings_on_one_slug_name_both_files() {
    let err = TestSite::new()
        .article(
            "a.md",
            &article("A", "2025-01-01", "models = \"o3-mini\"", "A."),
        )
        .article(
            "b.md",
            &article("B", "2025-01-02", "models = \"O3 mini\"", "B."),
        )
        .build_err();
    assert!(
        err.contains("\"O3 mini\" and \"o3-mini\" (in content/articles/a.md) share the URL slug `o3-mini`; use one spelling\n")
            || err.contains("\"o3-mini\" and \"O3 mini\" (in content/articles/b.md) share the URL slug `o3-mini`; use one spelling\n"),
        "{err}"
    );
}

#[test]
fn default_site_declares_models_and_people() {
    let site = TestSite::new().article(
        "a.md",
        &article(
            "A",
            "2025-01-01",
            "models = \"R1\"\npeople = [\"Marc Andreessen\"]\ntags = \"x\"",
            "A.",
        ),
    );
    site.build_ok();
    for page in ["models/r1/", "people/marc-andreessen/", "tags/x/"] {
        assert!(site.exists(&format!("{page}index.html")), "{page}");
    }
}
