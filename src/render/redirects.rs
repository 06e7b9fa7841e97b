//! Redirect pages: one at each old address (`aliases` of articles and pages, `[redirects]`
//! of config.toml), sending readers and crawlers on to where the page now is. A small page
//! of its own, as Hugo and Zola write: `<meta http-equiv="refresh">` for browsers,
//! `rel=canonical` and `noindex` for search engines, and a visible link. They are not pages
//! of the plan, so the sitemap and the search index leave them out.

use std::collections::{HashMap, HashSet};

use crate::config::Config;
use crate::content::alias::Alias;
use crate::error::Diagnostic;
use crate::html::escape;
use crate::output::OutputFile;
use crate::site::Site;

use super::plan::PageJob;

/// The redirect pages of the site; `jobs` are the plan's pages. An old address that is a
/// page's, or another old address, is an error naming both.
pub fn redirect_files(
    config: &Config,
    site: &Site,
    jobs: &[PageJob],
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut redirects: Vec<(&Alias, String)> = Vec::new();
    for a in &site.articles {
        redirects.extend(a.aliases.iter().map(|x| (x, a.path_in_site())));
    }
    for p in &site.pages {
        redirects.extend(p.aliases.iter().map(|x| (x, p.path_in_site())));
    }
    redirects.extend(config.redirects.iter().map(|(x, to)| (x, to.clone())));
    if redirects.is_empty() {
        return Ok(Vec::new());
    }
    // Only now, when there are old addresses: a set of every page's file costs ~25,000
    // strings at 10,000 articles.
    let pages: HashSet<String> = jobs.iter().map(PageJob::file).collect();
    let owners = page_sources(site);
    let mut first: HashMap<&str, &Alias> = HashMap::with_capacity(redirects.len());
    let mut problems = Vec::new();
    let mut files = Vec::with_capacity(redirects.len());
    for (alias, to) in &redirects {
        let at = |m: String| Diagnostic::at(&alias.source, alias.line, alias.col, m);
        if pages.contains(&alias.file) {
            let whose = owners.get(alias.file.as_str()).map_or_else(
                || "one of digest's own pages".to_string(),
                |p| p.display().to_string(),
            );
            problems.push(at(format!(
                "the old address `{}` is where {whose} is published (/{}): a redirect there would replace it; remove it from the aliases",
                alias.written, alias.file.trim_end_matches("index.html")
            )));
            continue;
        }
        if let Some(other) = first.insert(&alias.file, alias) {
            first.insert(&other.file, other);
            problems.push(at(format!(
                "the old address `{}` is also given at {}:{}:{}; keep it in one place",
                alias.written,
                other.source.display(),
                other.line,
                other.col
            )));
            continue;
        }
        files.push(OutputFile::new(
            alias.file.clone(),
            page(config, to).into_bytes(),
        ));
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

/// Which file each article and page of the site is published from, by output file.
fn page_sources(site: &Site) -> HashMap<String, &std::path::Path> {
    let articles = site
        .articles
        .iter()
        .map(|a| (format!("{}index.html", a.path_in_site()), a.path.as_path()));
    let pages = site
        .pages
        .iter()
        .map(|p| (format!("{}index.html", p.path_in_site()), p.path.as_path()));
    articles.chain(pages).collect()
}

/// The redirect page to `to`: a path below the site's root (`2025/01/x/`, or `/new/` as
/// `[redirects]` writes it) or an `http(s)://` URL.
fn page(config: &Config, to: &str) -> String {
    let external = to.starts_with("https://") || to.starts_with("http://");
    let (url, permalink) = if external {
        (to.to_string(), to.to_string())
    } else {
        (config.url(to), config.permalink(to))
    };
    let (url, permalink) = (escape(&url), escape(&permalink));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Moved to {permalink}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{permalink}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{url}\">{permalink}</a>.</p>\n</body>\n</html>\n",
        lang = escape(&config.language)
    )
}
