//! Publishing: every internal link and anchor resolves under a sub-path, feeds and sitemap
//! are there, and hostile titles are escaped in every output format.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::support::{article, TestSite};

fn sample() -> TestSite {
    TestSite::new()
        .article(
            "r1.md",
            &article(
                "DeepSeek-R1",
                "2025-01-27",
                "companies = [\"DeepSeek\", \"OpenAI\"]\ntags = [\"reasoning\"]\n[[events]]\ndate = 2025-01-20\ntitle = \"R1 ships\"",
                "Intro.\n\n## Details\n\nSee [the about page](/about/) and [details](#details).\n",
            ),
        )
        .article("o3.md", &article("o3-mini", "2025-01-31", "companies = \"OpenAI\"", "Body."))
        .article("v3.md", &article("V3", "2024-12-26", "companies = \"DeepSeek\"\ntags = [\"reasoning\"]", "Body."))
        .file("content/companies/openai.md", "+++\nname = \"OpenAI\"\n+++\nProfile.\n")
        .file("content/pages/about.md", "+++\ntitle = \"About\"\n+++\nAbout us.\n")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Values of `attr="..."` in `html`.
fn attrs<'h>(html: &'h str, attr: &str) -> Vec<&'h str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn every_internal_link_and_anchor_resolves_under_a_sub_path() {
    let site = sample();
    assert!(site
        .run(&["--base-url", "https://example.github.io/ai-digest/"])
        .status
        .success());
    let out = site.root().join("public");
    let html: Vec<PathBuf> = files(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    let ids: HashMap<PathBuf, HashSet<String>> = html
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            (
                p.clone(),
                attrs(&text, "id").into_iter().map(String::from).collect(),
            )
        })
        .collect();
    let mut checked = 0;
    for page in &html {
        let text = std::fs::read_to_string(page).unwrap();
        for link in attrs(&text, "href").into_iter().chain(attrs(&text, "src")) {
            if link.starts_with("http") {
                continue;
            }
            let (path, anchor) = link.split_once('#').unwrap_or((link, ""));
            let target = if path.is_empty() {
                page.clone()
            } else {
                let rel = path.strip_prefix("/ai-digest/").unwrap_or_else(|| {
                    panic!("{} links outside the sub-path: {link}", page.display())
                });
                let t = out.join(rel);
                if rel.is_empty() || rel.ends_with('/') {
                    t.join("index.html")
                } else {
                    t
                }
            };
            assert!(target.exists(), "{}: broken link {link}", page.display());
            if !anchor.is_empty() {
                assert!(
                    ids[&target].contains(anchor),
                    "{}: missing anchor {link}",
                    page.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "checked {checked} links");
}

#[test]
fn github_pages_files_sitemap_robots_and_search_index() {
    let site = sample().file(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.github.io/ai-digest/\"\ncname = \"news.example.com\"\n",
    );
    site.build_ok();
    assert!(site.exists(".nojekyll"));
    assert_eq!(site.output("CNAME"), "news.example.com\n");
    let robots = site.output("robots.txt");
    assert!(robots.contains("Sitemap: https://example.github.io/ai-digest/sitemap.xml"));
    let sitemap = site.output("sitemap.xml");
    assert!(sitemap.contains("<url><loc>https://example.github.io/ai-digest/2025/01/r1/</loc><lastmod>2025-01-27</lastmod></url>"));
    assert!(!sitemap.contains("atom.xml") && !sitemap.contains("404"));
    let index: serde_json::Value = serde_json::from_str(&site.output("search.json")).unwrap();
    assert_eq!(index["items"].as_array().unwrap().len(), 3);
    assert_eq!(index["items"][0][0], "o3-mini");
    assert!(site
        .output("search/index.html")
        .contains("data-index=\"/ai-digest/search.json\""));
    assert!(site.exists("search.js"));
}

#[test]
fn hostile_names_are_escaped_everywhere() {
    let payload = "Evil </script><script>alert(1)</script> \\\"q\\\" ]]> & 'x'";
    let site = TestSite::new().article(
        "evil.md",
        &article(
            payload,
            "2025-01-01",
            &format!(
                "summary = \"{payload}\"\ncompanies = [\"{payload}\"]\ntags = [\"{payload}\"]"
            ),
            "Body.",
        ),
    );
    site.build_ok();
    let mut scanned = 0;
    for file in files(&site.root().join("public")) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if file.extension().is_some_and(|e| e == "js") {
            continue;
        }
        assert!(
            !text.contains("<script>alert"),
            "{} has the raw payload",
            file.display()
        );
        scanned += 1;
    }
    assert!(scanned > 10);
    let page = site.output("2025/01/evil/index.html");
    let start = page.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let json = &page[start..start + page[start..].find("</script>").unwrap()];
    let value: serde_json::Value = serde_json::from_str(json).expect("JSON-LD parses");
    assert!(value["headline"]
        .as_str()
        .unwrap()
        .contains("</script><script>alert(1)"));
    let index: serde_json::Value = serde_json::from_str(&site.output("search.json")).unwrap();
    assert!(
        index["items"][0][0].as_str().unwrap().contains("<script>"),
        "JSON keeps the text; the client inserts it as text"
    );
    let feed = site.output("atom.xml");
    assert!(feed.contains("<title>Evil &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
}
