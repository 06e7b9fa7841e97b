//! Files made from the whole site rather than from a template: the sitemap (split into an
//! index past 50,000 URLs), `robots.txt`, `CNAME`, and the search index.

use rayon::prelude::*;
use serde::Serialize;
use std::fmt::Write;

use super::plan::{PageJob, PageKind};
use super::views::script_safe_json;
use crate::config::Config;
use crate::html::escape;
use crate::output::OutputFile;
use crate::site::Site;

/// The sitemap protocol's limit of URLs per file.
pub const SITEMAP_LIMIT: usize = 50_000;

/// `sitemap.xml` for every HTML page of the plan; an index of numbered parts when large.
pub fn sitemaps(config: &Config, site: &Site, jobs: &[PageJob]) -> Vec<OutputFile> {
    let entries: Vec<(String, Option<String>)> = jobs
        .iter()
        .filter(|j| is_listed(&j.kind))
        .map(|j| (config.permalink(&j.path), lastmod(site, &j.kind)))
        .collect();
    if entries.len() <= SITEMAP_LIMIT {
        return vec![OutputFile::new(
            "sitemap.xml",
            urlset(&entries).into_bytes(),
        )];
    }
    let mut files = Vec::new();
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (n, chunk) in entries.chunks(SITEMAP_LIMIT).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let newest = chunk.iter().filter_map(|(_, d)| d.as_ref()).max();
        let _ = write!(
            index,
            "  <sitemap><loc>{}</loc>",
            escape(&config.permalink(&name))
        );
        if let Some(d) = newest {
            let _ = write!(index, "<lastmod>{d}</lastmod>");
        }
        index.push_str("</sitemap>\n");
        files.push(OutputFile::new(name, urlset(chunk).into_bytes()));
    }
    index.push_str("</sitemapindex>\n");
    files.push(OutputFile::new("sitemap.xml", index.into_bytes()));
    files
}

fn urlset(entries: &[(String, Option<String>)]) -> String {
    let mut xml = String::with_capacity(entries.len() * 100 + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, lastmod) in entries {
        let _ = write!(xml, "  <url><loc>{}</loc>", escape(url));
        if let Some(d) = lastmod {
            let _ = write!(xml, "<lastmod>{d}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// HTML pages a search engine should know; not feeds, assets or the 404 page.
fn is_listed(kind: &PageKind) -> bool {
    !matches!(
        kind,
        PageKind::Feed(_) | PageKind::Asset(_) | PageKind::NotFound
    )
}

/// When a page last changed: its article's date, or the newest article it lists.
fn lastmod(site: &Site, kind: &PageKind) -> Option<String> {
    let newest = |articles: &[usize]| articles.first().map(|&a| newest_date(site, a));
    match kind {
        PageKind::Article(a) => Some(newest_date(site, *a)),
        PageKind::Home { .. } => (!site.articles.is_empty()).then(|| newest_date(site, 0)),
        PageKind::Company { id, .. } => newest(&site.companies[*id].articles),
        PageKind::Term { tax, id, .. } => newest(&site.taxonomies[*tax].terms[*id].articles),
        _ => None,
    }
}

fn newest_date(site: &Site, a: usize) -> String {
    let article = &site.articles[a];
    article.updated.unwrap_or(article.date).iso()
}

/// `robots.txt`, pointing crawlers at the sitemap.
pub fn robots(config: &Config) -> OutputFile {
    let text = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.permalink("sitemap.xml")
    );
    OutputFile::new("robots.txt", text.into_bytes())
}

/// One article in the search index: title, summary, path below the base, ISO date,
/// company indices, indices of its other terms (tags, models, people...).
type SearchItem<'a> = (&'a str, &'a str, String, String, &'a [usize], Vec<usize>);

/// `search.json` (title, summary, companies, other terms, date and path of every article:
/// compact arrays, names stored once), kept in parts: each article's entry is serialised
/// on its own, so that after an edit only the edited article's entry is made again.
pub struct SearchIndex {
    /// Everything before the first entry.
    head: String,
    /// Each article's entry, escaped.
    items: Vec<String>,
}

impl SearchIndex {
    pub fn of(site: &Site) -> SearchIndex {
        let terms: Vec<&str> = site
            .taxonomies
            .iter()
            .flat_map(|g| g.terms.iter().map(|t| t.name.as_str()))
            .collect();
        let companies: Vec<&str> = site.companies.iter().map(|c| c.name.as_str()).collect();
        let head = format!(
            "{{\"fields\":{},\"companies\":{},\"terms\":{},\"items\":[",
            json(&["title", "summary", "path", "date", "companies", "terms"]),
            json(&companies),
            json(&terms),
        );
        let offsets = term_offsets(site);
        SearchIndex {
            head: script_safe_json(head),
            items: (0..site.articles.len())
                .into_par_iter()
                .map(|i| search_item(site, &offsets, i))
                .collect(),
        }
    }

    /// Makes article `i`'s entry again (after its article was replaced in `site` without
    /// moving); says whether it changed.
    pub fn update(&mut self, site: &Site, i: usize) -> bool {
        let item = search_item(site, &term_offsets(site), i);
        let changed = item != self.items[i];
        self.items[i] = item;
        changed
    }

    pub fn file(&self) -> OutputFile {
        let size = self.head.len() + self.items.iter().map(|i| i.len() + 1).sum::<usize>() + 2;
        let mut json = String::with_capacity(size);
        json.push_str(&self.head);
        for (n, item) in self.items.iter().enumerate() {
            if n > 0 {
                json.push(',');
            }
            json.push_str(item);
        }
        json.push_str("]}");
        OutputFile::new("search.json", json.into_bytes())
    }
}

/// `value` as compact JSON (nothing the index holds fails to serialise).
fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Where each taxonomy's terms start in the index's one `terms` list.
fn term_offsets(site: &Site) -> Vec<usize> {
    site.taxonomies
        .iter()
        .scan(0, |next, g| {
            let start = *next;
            *next += g.terms.len();
            Some(start)
        })
        .collect()
}

/// Article `i`'s entry, escaped like inline JSON (as all of `search.json` is), so the file
/// is inert even if served or embedded as HTML.
fn search_item(site: &Site, offsets: &[usize], i: usize) -> String {
    let a = &site.articles[i];
    let item: SearchItem<'_> = (
        a.title.as_str(),
        a.summary_text.as_str(),
        a.path_in_site(),
        a.date.iso(),
        site.article_companies[i].as_slice(),
        site.taxonomies
            .iter()
            .zip(offsets)
            .flat_map(|(g, &start)| g.article_terms[i].iter().map(move |&t| start + t))
            .collect(),
    );
    script_safe_json(json(&item))
}

/// `search.json`, made whole.
pub fn search_index(site: &Site) -> OutputFile {
    SearchIndex::of(site).file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlset_escapes_and_dates() {
        let xml = urlset(&[
            ("https://e.com/a&b/".into(), Some("2025-01-27".into())),
            ("https://e.com/".into(), None),
        ]);
        assert!(xml
            .contains("<url><loc>https://e.com/a&amp;b/</loc><lastmod>2025-01-27</lastmod></url>"));
        assert!(xml.contains("<url><loc>https://e.com/</loc></url>"));
    }
}
