//! Bylines (issue 21): `authors = [...]` credits writers; each has a page
//! (`/authors/<slug>/`, paginated, with a feed), JSON-LD `author` is a `Person` with that
//! URL (the site's organisation when none), and feed entries carry `<author>`. Names match
//! as company names do (case and spaces).

use crate::support::{article, TestSite};

#[test]
fn bylines_link_to_author_pages_and_reach_json_ld_and_feeds() {
    let site = TestSite::new()
        .article(
            "2025/a.md",
            &article(
                "Two writers",
                "2025-01-20",
                "authors = [\"jane  doe\", \"Sam Roe\"]",
                "Body.",
            ),
        )
        .article(
            "2025/b.md",
            &article(
                "Three writers",
                "2025-01-21",
                "authors = [\"Jane Doe\", \"Sam Roe\", \"Ana Lima\"]",
                "Body.",
            ),
        )
        .article(
            "2025/c.md",
            &article("No byline", "2025-01-22", "", "Body."),
        );
    site.build_ok();
    // "jane  doe" is Jane Doe: one author, named as the newest article writes it.
    let a = site.output("2025/01/a/index.html");
    assert!(
        a.contains(r#"<span class="byline">By <a href="/authors/jane-doe/">Jane Doe</a> and <a href="/authors/sam-roe/">Sam Roe</a></span>"#),
        "{a}"
    );
    assert!(a.contains(r#""author":[{"@type":"Person","name":"Jane Doe","url":"https://example.com/authors/jane-doe/"},{"@type":"Person","name":"Sam Roe","url":"https://example.com/authors/sam-roe/"}]"#), "{a}");
    let b = site.output("2025/01/b/index.html");
    assert!(b.contains(r#">Jane Doe</a>, <a href="/authors/sam-roe/">Sam Roe</a> and <a href="/authors/ana-lima/">Ana Lima</a></span>"#), "{b}");
    // No chips for authors in the footer: the byline shows them.
    assert!(!b.contains(r#"aria-label="Authors""#), "{b}");
    let c = site.output("2025/01/c/index.html");
    assert!(!c.contains("class=\"byline\""));
    assert!(c.contains(r#""author":[{"@type":"Organization","name":"Test Digest","url":"https://example.com/"}]"#), "{c}");

    // One page per author, both spellings of Jane's name on hers; a feed each.
    let jane = site.output("authors/jane-doe/index.html");
    assert!(
        jane.contains("Two writers") && jane.contains("Three writers"),
        "{jane}"
    );
    assert!(!jane.contains("No byline"));
    assert!(site.output("authors/index.html").contains("Ana Lima"));
    let feed = site.output("authors/jane-doe/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 2);
    let home_feed = site.output("atom.xml");
    let entry = &home_feed[home_feed.find("<title>Three writers</title>").unwrap()..];
    let entry = &entry[..entry.find("</entry>").unwrap()];
    assert!(entry.contains("<author><name>Jane Doe</name></author>\n    <author><name>Sam Roe</name></author>\n    <author><name>Ana Lima</name></author>"), "{entry}");
}
