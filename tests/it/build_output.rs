//! A good site builds into the pages, URLs and markup a reader expects.

use crate::support::{article, TestSite};

fn three_articles() -> TestSite {
    TestSite::new()
        .article(
            "2025/r1.md",
            &article(
                "DeepSeek-R1 rattles the AI industry",
                "2025-01-27",
                "companies = [\"DeepSeek\", \"Open AI\"]\ntags = [\"open-weights\"]\n[[sources]]\ntitle = \"DeepSeek: R1\"\nurl = \"https://github.com/deepseek-ai/DeepSeek-R1\"\n[[events]]\ndate = 2025-01-20\ntitle = \"R1 released\"",
                "The lede paragraph.\n\n## Market reaction\n\n```rust\nfn main() {}\n```\n",
            ),
        )
        .article("2025/o3.md", &article("o3-mini arrives", "2025-01-31", "companies = \"openai\"", "Body."))
        .article("2024/v3.md", &article("DeepSeek-V3", "\"2024-12-26\"", "companies = [\"DeepSeek\"]", "V3 body."))
        .file(
            "content/companies/openai.md",
            "+++\nname = \"OpenAI\"\naliases = [\"Open AI\"]\nwebsite = \"https://openai.com\"\nfounded = 2015\n+++\nMakers of ChatGPT.\n",
        )
        .file("content/pages/about.md", "+++\ntitle = \"About\"\n+++\nWho we are.\n")
        .file("static/img/logo.svg", "<svg/>")
}

#[test]
fn builds_every_page_kind() {
    let site = three_articles();
    let stdout = site.build_ok();
    assert!(stdout.starts_with("built 3 articles into "), "{stdout}");
    for path in [
        "index.html",
        "page/2/index.html",
        "2025/01/r1/index.html",
        "2025/01/o3/index.html",
        "2024/12/v3/index.html",
        "about/index.html",
        "companies/index.html",
        "companies/openai/index.html",
        "companies/deepseek/index.html",
        "tags/open-weights/index.html",
        "404.html",
        "style.css",
        "highlight.css",
        ".nojekyll",
        "img/logo.svg",
    ] {
        assert!(site.exists(path), "missing {path}");
    }
    assert!(!site.exists("page/3/index.html"));
}

#[test]
fn home_lists_newest_first_and_paginates() {
    let site = three_articles();
    site.build_ok();
    let home = site.output("index.html");
    let o3 = home.find("o3-mini arrives").unwrap();
    let r1 = home.find("DeepSeek-R1 rattles").unwrap();
    assert!(o3 < r1, "newest first");
    assert!(!home.contains("DeepSeek-V3"), "third article is on page 2");
    assert!(home.contains("href=\"/page/2/\""));
    assert!(site.output("page/2/index.html").contains("DeepSeek-V3"));
}

#[test]
fn article_page_shows_metadata_body_and_highlighting() {
    let site = three_articles();
    site.build_ok();
    let page = site.output("2025/01/r1/index.html");
    assert!(page.contains("<h1>DeepSeek-R1 rattles the AI industry</h1>"));
    assert!(page.contains("<time datetime=\"2025-01-27\">27 January 2025</time>"));
    assert!(page.contains("<h2 id=\"market-reaction\">"));
    assert!(
        page.contains("class=\"hl-"),
        "code is highlighted with classes"
    );
    assert!(page.contains("href=\"https://github.com/deepseek-ai/DeepSeek-R1\""));
    assert!(page.contains("id=\"event-2025-01-20-r1-released\""));
    // "Open AI" in front matter resolves to the OpenAI profile through its alias.
    assert!(page.contains("href=\"/companies/openai/\">OpenAI</a>"));
    assert!(page.contains("href=\"/tags/open-weights/\""));
    assert!(page.contains("<meta name=\"description\" content=\"The lede paragraph.\">"));
    assert!(!page.contains("&#x2F;"), "URLs are not over-escaped");
}

#[test]
fn company_page_groups_aliases_and_shows_profile() {
    let site = three_articles();
    site.build_ok();
    let openai = site.output("companies/openai/index.html");
    assert!(openai.contains("Makers of ChatGPT."));
    assert!(openai.contains("o3-mini arrives") && openai.contains("DeepSeek-R1 rattles"));
    assert!(!site.exists("companies/open-ai/index.html"));
}

#[test]
fn sub_path_base_url_prefixes_every_internal_link() {
    let site = three_articles();
    let out = site.run(&["--base-url", "https://example.github.io/ai-digest/"]);
    assert!(out.status.success());
    let home = site.output("index.html");
    assert!(home.contains("href=\"/ai-digest/style.css\""));
    assert!(home.contains("href=\"/ai-digest/2025/01/o3/\""));
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.github.io/ai-digest/\">"));
    assert!(
        !home.contains("href=\"/2025"),
        "no link escapes the sub-path"
    );
}

#[test]
fn drafts_only_with_flag() {
    let site = TestSite::new().article(
        "d.md",
        &article("Secret", "2025-01-01", "draft = true", "x"),
    );
    site.build_ok();
    assert!(!site.exists("2025/01/d/index.html"));
    assert!(site.run(&["--drafts"]).status.success());
    assert!(site.exists("2025/01/d/index.html"));
}

#[test]
fn bom_and_crlf_are_tolerated() {
    let text = "\u{feff}+++\r\ntitle = \"Windows\"\r\ndate = 2025-03-01\r\n+++\r\nBody line.\r\n";
    let site = TestSite::new().article("w.md", text);
    site.build_ok();
    assert!(site
        .output("2025/03/w/index.html")
        .contains("<h1>Windows</h1>"));
}

#[test]
fn site_templates_override_the_builtin_theme() {
    let site = three_articles().file(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ article.title }}</p>{% endblock %}",
    );
    site.build_ok();
    let page = site.output("2025/01/o3/index.html");
    assert!(page.contains("<p class=\"custom\">o3-mini arrives</p>"));
    assert!(
        page.contains("<!DOCTYPE html>"),
        "the built-in base still applies"
    );
}

/// A card is rendered once by `card.html` and reused by every list: a site's own
/// `card.html` shows in related articles, company pages and term pages alike.
#[test]
fn a_site_card_template_is_used_by_every_list() {
    let site = three_articles().file(
        "templates/card.html",
        "<p class=\"my-card\">{{ article.title }} ({{ site.title }})</p>",
    );
    site.build_ok();
    let card = |title: &str| format!("<p class=\"my-card\">{title} (Test Digest)</p>");
    let related = site.output("2025/01/r1/index.html");
    assert!(related.contains(&card("DeepSeek-V3")), "{related}");
    let company = site.output("companies/deepseek/index.html");
    assert!(company.contains(&card("DeepSeek-R1 rattles the AI industry")));
    assert!(company.contains(&card("DeepSeek-V3")));
    let tag = site.output("tags/open-weights/index.html");
    assert!(tag.contains(&card("DeepSeek-R1 rattles the AI industry")));
    assert!(
        !tag.contains("class=\"card\""),
        "the built-in card is not used"
    );
}

/// Each month of the timeline is rendered once by `timeline-month.html` and shown by
/// `/timeline/` and by its year's page.
#[test]
fn a_site_timeline_month_template_is_used_by_every_timeline_page() {
    let site = three_articles().file(
        "templates/timeline-month.html",
        "<section class=\"my-month\">{{ month.label }}: {% for e in month.entries %}{{ e.title }}; {% endfor %}</section>",
    );
    site.build_ok();
    let month = "<section class=\"my-month\">January 2025: ";
    for page in ["timeline/index.html", "timeline/2025/index.html"] {
        let html = site.output(page);
        assert!(html.contains(month), "{page}: {html}");
        assert!(html.contains("o3-mini arrives; "), "{page}: {html}");
        assert!(
            !html.contains("timeline-entries"),
            "the built-in month is not used"
        );
    }
}

#[test]
fn stale_files_do_not_linger() {
    let site = three_articles();
    site.build_ok();
    std::fs::remove_file(site.root().join("content/articles/2025/o3.md")).unwrap();
    site.build_ok();
    assert!(!site.exists("2025/01/o3/index.html"));
}

/// Every folder and file below `dir`, files with their bytes.
fn tree(dir: &std::path::Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut entries: Vec<_> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).unwrap());
            (rel, bytes)
        })
        .collect();
    entries.sort();
    entries
}

#[test]
fn a_rebuild_into_the_kept_output_equals_a_fresh_build() {
    let site = three_articles();
    site.build_ok();
    site.build_ok();
    let spare = site.root().join(".public.previous");
    assert!(
        spare.join("index.html").exists(),
        "the replaced output is kept"
    );
    // Edits of every kind; the next build reuses the kept tree, a build of the first output.
    std::fs::remove_file(site.root().join("content/articles/2025/o3.md")).unwrap();
    std::fs::remove_file(site.root().join("static/img/logo.svg")).unwrap();
    let site = site
        .article(
            "2025/r1.md",
            &article(
                "R1, renamed",
                "2025-01-27",
                "companies = [\"DeepSeek\"]",
                "New body.",
            ),
        )
        .article(
            "2023/new.md",
            &article("Older news", "2023-05-01", "tags = [\"x\"]", "Hi."),
        )
        .file("static/robots-extra.txt", "extra");
    site.build_ok();
    assert!(site.run(&["--output", "fresh"]).status.success());
    let rebuilt = tree(&site.root().join("public"));
    assert_eq!(rebuilt, tree(&site.root().join("fresh")));
    assert!(rebuilt.iter().any(|(p, _)| p == "2023/05/new/index.html"));
    assert!(!site.exists("2025/01/o3/index.html") && !site.exists("img/logo.svg"));
    assert!(
        !site.exists(".gitignore"),
        "the kept output's marker is not published"
    );
    let ignore = std::fs::read_to_string(spare.join(".gitignore")).unwrap();
    assert!(
        ignore.ends_with("\n*\n"),
        "git ignores the kept output: {ignore}"
    );
}

#[test]
fn an_empty_site_still_builds_a_home_page() {
    let site = TestSite::new();
    let stdout = site.build_ok();
    assert!(stdout.starts_with("built 0 articles"));
    assert!(site.output("index.html").contains("No articles yet"));
}
