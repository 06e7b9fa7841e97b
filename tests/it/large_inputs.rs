//! Large and deeply nested inputs build without stack overflow: a 5 MB article, 10,000
//! nested list levels and 10,000 nested block quotes, through the real binary (so on rayon's
//! worker threads, whose stacks are smaller than the main thread's).
//! `tests/tools/large_inputs.sh` runs bigger variants of these with the release build.

use crate::support::{article, TestSite};

const DEPTH: usize = 10_000;

/// About `bytes` of ordinary Markdown: headings, paragraphs, lists, links, emphasis and a
/// small fenced block now and then; and the number of sections.
fn big_body(bytes: usize) -> (String, usize) {
    let mut body = String::with_capacity(bytes + 1024);
    let mut i = 0;
    while body.len() < bytes {
        i += 1;
        body.push_str(&format!(
            "## Section {i}\n\nParagraph {i} with *emphasis*, **strong** text, `code`, a \
             [link](/about/) and a footnote[^{i}]. OpenAI, DeepSeek and Anthropic ship \
             models; analysts weigh the costs of training and inference at scale.\n\n\
             - point one of {i}\n- point two\n  - nested\n\n> a quote {i}\n\n[^{i}]: note {i}\n\n"
        ));
        if i % 50 == 0 {
            body.push_str("```rust\nfn main() { println!(\"hi\"); }\n```\n\n");
        }
    }
    (body, i)
}

#[test]
fn five_megabyte_article_builds() {
    let (body, sections) = big_body(5 * 1024 * 1024);
    let site = TestSite::new().article("big.md", &article("Big", "2025-01-01", "", &body));
    site.build_ok();
    let page = site.output("2025/01/big/index.html");
    assert!(page.len() > 5 * 1024 * 1024, "{} bytes", page.len());
    assert!(page.contains("id=\"section-1\""));
    assert!(page.contains(&format!("id=\"section-{sections}\"")));
}

#[test]
fn ten_thousand_nested_list_levels_build() {
    let body = format!("{}deep\n\nAfter.\n", "- ".repeat(DEPTH));
    let site = TestSite::new().article("lists.md", &article("Lists", "2025-01-01", "", &body));
    site.build_ok();
    let page = site.output("2025/01/lists/index.html");
    // The theme's own lists come on top of the article's.
    let lists = page.matches("<ul>").count();
    assert!((DEPTH..DEPTH + 10).contains(&lists), "{lists} lists");
    assert_eq!(page.matches("</ul>").count(), lists);
}

#[test]
fn ten_thousand_nested_block_quotes_build() {
    let body = format!("{}deep\n\nAfter.\n", "> ".repeat(DEPTH));
    let site = TestSite::new().article("quotes.md", &article("Quotes", "2025-01-01", "", &body));
    site.build_ok();
    let page = site.output("2025/01/quotes/index.html");
    assert_eq!(page.matches("<blockquote>").count(), DEPTH);
    assert_eq!(page.matches("</blockquote>").count(), DEPTH);
}

#[test]
fn ten_thousand_nested_mixed_containers_and_emphasis_build() {
    // Lists in quotes in lists..., then inline nesting: emphasis and links in one another.
    let containers = "> - ".repeat(DEPTH / 2);
    let inline = format!("{}x{}", "*a [".repeat(2_000), "](/y/) b*".repeat(2_000));
    let body = format!("{containers}deep\n\n{inline}\n\n{}\n", "[".repeat(DEPTH));
    let site = TestSite::new().article("mixed.md", &article("Mixed", "2025-01-01", "", &body));
    site.build_ok();
    let page = site.output("2025/01/mixed/index.html");
    assert_eq!(page.matches("<blockquote>").count(), DEPTH / 2);
}
