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

/// Markup, quotes, a CDATA end, an entity and a comment opener in one string.
const PAYLOAD: &str =
    "</script><script>alert(1)</script> \"qq7\" 'x7' ]]> & <img src=x onerror=alert(2)> <!--";

/// Reverses HTML and XML escaping (what a parser would give back).
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// Every string in a JSON value.
fn strings(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(items) => items.iter().flat_map(strings).collect(),
        serde_json::Value::Object(map) => map.values().flat_map(strings).collect(),
        _ => vec![],
    }
}

/// The JSON-LD blocks of an HTML page, as their raw text.
fn json_ld(html: &str) -> Vec<&str> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    html.match_indices(OPEN)
        .map(|(i, _)| {
            let rest = &html[i + OPEN.len()..];
            &rest[..rest.find("</script>").expect("JSON-LD block is closed")]
        })
        .collect()
}

/// Text, attribute values, JSON-LD, the search index and Atom feeds all carry hostile titles,
/// summaries, company and tag names (and the site's, a profile's and a page's) as text: no
/// output file holds the payload unescaped, and each format gives back the exact text.
#[test]
fn hostile_names_are_escaped_everywhere() {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let h = |label: &str| format!("{label} {PAYLOAD}");
    let (title, summary, company, tag) = (h("Title"), h("Summary"), h("Co"), h("Tag"));
    let site = TestSite::new()
        .file(
            "config.toml",
            &format!(
                "title = {}\ndescription = {}\nauthor = {}\nbase_url = \"https://example.com/\"\n",
                q(&h("Site")),
                q(&h("Description")),
                q(&h("Author"))
            ),
        )
        .article(
            "evil.md",
            &format!(
                "+++\ntitle = {}\ndate = 2025-01-01\nsummary = {}\ncompanies = [{}]\ntags = [{}]\nmodels = [{}]\npeople = [{}]\n\n[[sources]]\ntitle = {}\nurl = \"https://example.org/?a=1&b=2\"\n\n[[events]]\ndate = 2025-01-01\ntitle = {}\n+++\nBody.\n",
                q(&title),
                q(&summary),
                q(&company),
                q(&tag),
                q(&h("Model")),
                q(&h("Person")),
                q(&h("Source")),
                q(&h("Event"))
            ),
        )
        .file(
            "content/companies/co.md",
            &format!(
                "+++\nname = {}\nheadquarters = {}\n+++\nProfile.\n",
                q(&company),
                q(&h("HQ"))
            ),
        )
        .file(
            "content/pages/about.md",
            &format!("+++\ntitle = {}\nsummary = {}\n+++\nAbout.\n", q(&h("Page")), q(&h("PageSummary"))),
        );
    site.build_ok();

    let mut scanned = 0;
    let mut feeds = 0;
    for file in files(&site.root().join("public")) {
        let name = file.display().to_string();
        if name.ends_with(".png") {
            continue; // share cards
        }
        let text = std::fs::read_to_string(&file).unwrap();
        // A feed entry's content is a CDATA section: its end marker is the one `]]>` allowed.
        let scan = text.replace("]]></content>", "</content>");
        for raw in ["<script>alert", "<img src=x", "]]>", "\"qq7\"", "<!--"] {
            assert!(!scan.contains(raw), "{name} has `{raw}` unescaped");
        }
        match file.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                let mut outside_json = text.clone();
                for block in json_ld(&text) {
                    let value: serde_json::Value =
                        serde_json::from_str(block).expect("JSON-LD parses");
                    assert!(
                        !block.contains('<') && !block.contains('>'),
                        "{name}: {block}"
                    );
                    assert!(value.is_object());
                    outside_json = outside_json.replace(block, "");
                }
                assert!(
                    !outside_json.contains("'x7'"),
                    "{name} has a raw single quote"
                );
            }
            Some("xml") => {
                let doc = roxmltree::Document::parse(&text)
                    .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}"));
                if name.ends_with("sitemap.xml")
                    || name.contains("/editions/")
                    || name.contains("/corrections/")
                {
                    // No article text in the sitemap; an edition's feed holds it as HTML;
                    // the corrections' feed holds corrections (none here).
                    scanned += 1;
                    continue;
                }
                let texts: Vec<&str> = doc
                    .descendants()
                    .filter(|n| n.has_tag_name("title"))
                    .filter_map(|n| n.text())
                    .collect();
                assert!(texts.contains(&title.as_str()), "{name}: {texts:?}");
                let summaries: Vec<&str> = doc
                    .descendants()
                    .filter(|n| n.has_tag_name("summary"))
                    .filter_map(|n| n.text())
                    .collect();
                assert_eq!(summaries, [summary.as_str()], "{name}");
                let labels: Vec<&str> = doc
                    .descendants()
                    .filter(|n| n.has_tag_name("category"))
                    .filter_map(|n| n.attribute("label"))
                    .collect();
                assert!(labels.contains(&company.as_str()), "{name}: {labels:?}");
                feeds += 1;
            }
            _ => {}
        }
        scanned += 1;
    }
    assert!(scanned > 15, "scanned {scanned} files");
    assert!(
        feeds >= 3,
        "the site's, the company's and the tag's feed, at least"
    );

    // Attributes give back the exact text.
    let page = site.output("2025/01/evil/index.html");
    let og_title = attrs(&page, "content")
        .into_iter()
        .map(unescape)
        .find(|c| c.starts_with("Title "))
        .expect("og:title");
    assert_eq!(og_title, title);
    assert!(attrs(&page, "content")
        .into_iter()
        .any(|c| unescape(c) == summary));

    // JSON-LD gives back the exact text.
    let blocks = json_ld(&page);
    assert_eq!(blocks.len(), 1);
    let ld: serde_json::Value = serde_json::from_str(blocks[0]).unwrap();
    assert_eq!(ld["headline"], title.as_str());
    assert_eq!(ld["description"], summary.as_str());
    let texts = strings(&ld);
    assert!(texts.contains(&company) && texts.contains(&tag), "{ld}");

    // The search index is escaped like inline JSON and gives back the exact text; the
    // client inserts it as text (textContent).
    let raw_index = site.output("search.json");
    assert!(
        !raw_index.contains('<') && !raw_index.contains('>'),
        "{raw_index}"
    );
    let index: serde_json::Value = serde_json::from_str(&raw_index).unwrap();
    let texts = strings(&index);
    for text in [&title, &summary, &company, &tag] {
        assert!(
            texts.contains(text),
            "search.json lacks {text:?}: {raw_index}"
        );
    }
    let script = site.output("search.js");
    assert!(
        !script.contains("innerHTML"),
        "search.js inserts results as text"
    );
}
