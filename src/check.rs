//! `digest check`: builds the site in memory (writing nothing), then checks what a build
//! accepts but an editor would want to know: broken internal links and anchors, near-
//! duplicate company or tag names, articles without a summary, events far from their
//! article's date, drafts, and Markdown images without alt text; and it lists scheduled stories.
//! Links in Markdown whose URL scheme is not allowed (`javascript:`, `data:`...: the build
//! shows them as text) are errors.

mod near;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::content::front_matter::{edit_distance, normalize, split};
use crate::content::markdown;
use crate::content::positions::line_cols;
use crate::error::{BuildError, Diagnostic};
use crate::pipeline::{render_site, BuildOptions, Built};
use crate::slug::name_key;

/// Events further than this from their article's date are worth a second look.
const EVENT_DISTANCE_DAYS: i64 = 365;

/// What a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Broken links: always errors.
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    pub pages_checked: usize,
    pub links_checked: usize,
    /// Scheduled stories, soonest first: each file and the moment it goes live (RFC 3339).
    pub scheduled: Vec<(PathBuf, String)>,
}

/// Builds in memory, drafts and scheduled stories included, and checks.
pub fn check(options: &BuildOptions) -> Result<Report, BuildError> {
    let built = render_site(&BuildOptions {
        drafts: true,
        future: true,
        ..options.clone()
    })?;
    let mut report = Report::default();
    check_links(&built, &mut report);
    report.errors.extend(unsafe_links(&built.site));
    check_content(&built.site, &mut report);
    report
        .warnings
        .extend(images_without_alt(&options.root, &built.site));
    Ok(report)
}

/// A warning at each Markdown image without alt text, in every Markdown file of the site.
fn images_without_alt(root: &Path, site: &crate::site::Site) -> Vec<Diagnostic> {
    let articles = site.articles.iter().map(|a| &a.path);
    let pages = site.pages.iter().map(|p| &p.path);
    let profiles = site.profiles.iter().map(|p| &p.path);
    let intros = site.edition_intros.iter().map(|i| &i.path);
    let mut warnings = Vec::new();
    for path in articles.chain(pages).chain(profiles).chain(intros) {
        // The build read and checked each of these files; one that changed since is
        // checked on the next run.
        let Ok(text) = std::fs::read_to_string(root.join(path)) else {
            continue;
        };
        let text = normalize(&text);
        let Ok(split) = split(path, &text) else {
            continue;
        };
        let images = markdown::images_without_alt(split.body);
        let offsets: Vec<usize> = images.iter().map(|(offset, _)| *offset).collect();
        for ((_, url), (line, col)) in images.iter().zip(line_cols(split.body, &offsets)) {
            warnings.push(Diagnostic::at(
                path,
                line + split.body_line - 1,
                col,
                format!(
                    "the image `{url}` has no alt text: say what it shows between the brackets, \
                     `![What the chart shows]({url})`, for readers who cannot see it"
                ),
            ));
        }
    }
    warnings
}

/// The Markdown links and images that the build left out for their URL's scheme, each at
/// its position in its file.
fn unsafe_links(site: &crate::site::Site) -> Vec<Diagnostic> {
    let articles = site.articles.iter().map(|a| &a.link_problems);
    let profiles = site.profiles.iter().map(|p| &p.link_problems);
    let pages = site.pages.iter().map(|p| &p.link_problems);
    let intros = site.edition_intros.iter().map(|i| &i.link_problems);
    articles
        .chain(profiles)
        .chain(pages)
        .chain(intros)
        .flatten()
        .cloned()
        .collect()
}

/// Every `href`/`src` into the site must name a built file, and every `#anchor` an id there.
pub fn check_links(built: &Built, report: &mut Report) {
    let base = built.config.base_path.as_str();
    let html: Vec<(&String, &[u8])> = built
        .files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, &b[..]))
        .collect();
    let ids: HashMap<&str, HashSet<String>> = html
        .iter()
        .map(|(p, b)| {
            (
                p.as_str(),
                attributes(&String::from_utf8_lossy(b), "id")
                    .into_iter()
                    .collect(),
            )
        })
        .collect();
    let statics: HashSet<&str> = built.copies.iter().map(|c| c.path.as_str()).collect();
    for (page, bytes) in &html {
        let text = String::from_utf8_lossy(bytes);
        for link in attributes(&text, "href")
            .into_iter()
            .chain(attributes(&text, "src"))
        {
            report.links_checked += 1;
            // The build writes no such link itself: it comes from raw HTML in Markdown,
            // which is passed through as written.
            let problem = crate::content::url::disallowed_scheme(&link).map(|scheme| {
                format!(
                    "the link `{link}` uses the `{scheme}:` scheme, which is not allowed: it \
                     comes from raw HTML in the Markdown, which is published as written; use \
                     an http://, https://, mailto: or site-relative URL"
                )
            });
            if let Some(problem) =
                problem.or_else(|| broken(page, &link, base, &ids, &built.files, &statics))
            {
                report.errors.push(Diagnostic::file(
                    &PathBuf::from(format!("public/{page}")),
                    problem,
                ));
            }
        }
    }
    report.pages_checked = html.len();
}

fn broken(
    page: &str,
    link: &str,
    base: &str,
    ids: &HashMap<&str, HashSet<String>>,
    files: &crate::pipeline::SiteFiles,
    statics: &HashSet<&str>,
) -> Option<String> {
    let (path, anchor) = link.split_once('#').unwrap_or((link, ""));
    let target = if path.is_empty() {
        page.to_string()
    } else if let Some(rel) = path.strip_prefix(base) {
        let rel = rel.split('?').next().unwrap_or("");
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        }
    } else if path.starts_with('/') && !path.starts_with("//") {
        return Some(format!("link {link} leaves the site's base path {base}"));
    } else if !path.contains(':') && !path.starts_with("//") {
        // Relative to the page's folder: a folder article's `chart.png`, say.
        match relative_target(page, path) {
            Some(target) => target,
            None => return Some(format!("broken link {link}: it climbs above the site")),
        }
    } else {
        return None; // external, mailto: not ours to check
    };
    if !files.contains_key(&target) && !statics.contains(target.as_str()) {
        return Some(format!("broken link {link}: nothing is published there"));
    }
    if !anchor.is_empty()
        && ids
            .get(target.as_str())
            .is_some_and(|set| !set.contains(anchor))
    {
        return Some(format!(
            "broken anchor {link}: the page has no id \"{anchor}\""
        ));
    }
    None
}

/// The published file a relative `path` on `page` leads to (`chart.png` on
/// `2025/01/r1/index.html`: `2025/01/r1/chart.png`), percent-decoded; `None` when it climbs
/// above the site's root.
fn relative_target(page: &str, path: &str) -> Option<String> {
    let path = path.split('?').next().unwrap_or("");
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop(); // the page's own file name
    for segment in path.split('/') {
        match segment {
            "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut target = parts.join("/");
    if matches!(path.rsplit('/').next(), Some("" | "." | "..")) {
        // A folder: its index page.
        target.truncate(target.trim_end_matches('/').len());
        if !target.is_empty() {
            target.push('/');
        }
        target.push_str("index.html");
    }
    Some(
        percent_encoding::percent_decode_str(&target)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// Values of `name="..."` attributes.
fn attributes(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
        })
        .collect()
}

/// Warnings about the content itself, and the scheduled stories (those after `site.now`).
pub fn check_content(site: &crate::site::Site, report: &mut Report) {
    for a in &site.articles {
        let warn = |m: String| Diagnostic::at(&a.path, 1, 1, m);
        if a.draft {
            report
                .warnings
                .push(warn("draft: left out of the build unless --drafts".into()));
        }
        if !a.summary_is_own {
            report.warnings.push(warn(
                "no `summary` in the front matter: lists, feeds and search show the text before `<!-- more -->`, else the first paragraph".into(),
            ));
        }
        if site
            .now
            .is_some_and(|now| crate::schedule::is_scheduled(&a.date, now))
        {
            report.scheduled.push((a.path.clone(), a.date.rfc3339()));
        }
        for e in &a.events {
            let days = (e.date.timestamp() - a.date.timestamp()).abs() / 86_400;
            if days > EVENT_DISTANCE_DAYS {
                report.warnings.push(warn(format!(
                    "the event \"{}\" ({}) is {days} days from the article's date; is its date right?",
                    e.title,
                    e.date.iso()
                )));
            }
        }
    }
    // Articles are newest first: the soonest to go live first.
    report.scheduled.reverse();
    near_duplicates(
        site.companies.iter().map(|c| (&c.name, c.articles.first())),
        "company",
        site,
        report,
    );
    for group in &site.taxonomies {
        let kind = group.name.trim_end_matches('s');
        near_duplicates(
            group.terms.iter().map(|t| (&t.name, t.articles.first())),
            kind,
            site,
            report,
        );
    }
}

/// Names one typo apart ("Open AI" vs "OpenAl") that are not aliases of one another.
fn near_duplicates<'a>(
    names: impl Iterator<Item = (&'a String, Option<&'a usize>)>,
    kind: &str,
    site: &crate::site::Site,
    report: &mut Report,
) {
    let names: Vec<(&String, Option<&usize>)> = names.collect();
    let keys: Vec<String> = names
        .iter()
        .map(|(n, _)| name_key(n).replace(['-', '_', '.'], ""))
        .collect();
    // The digits of each key, once (not twice per pair compared).
    let digits: Vec<String> = keys
        .iter()
        .map(|k| k.chars().filter(char::is_ascii_digit).collect())
        .collect();
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    let mut near = near::NearIndex::default();
    for (i, key) in keys.iter().enumerate() {
        // Same key once spaces and punctuation are gone, or one typo apart (two in long
        // names); short words one letter apart ("chips", "china") and names whose numbers
        // differ (versions: "o1-mini" and "o3-mini", "DeepSeek-V3" and "DeepSeek-R1") are
        // left alone.
        let similar = by_key.get(key.as_str()).copied().or_else(|| {
            let allowed = if key.len() >= 10 { 2 } else { 1 };
            (key.len() >= 6)
                .then(|| {
                    near.candidates(key).into_iter().find(|&j| {
                        let k = &keys[j];
                        k.len().abs_diff(key.len()) <= allowed
                            && k.len() >= 6
                            && digits[j] == digits[i]
                            && edit_distance(k, key) <= allowed
                    })
                })
                .flatten()
        });
        if let Some(j) = similar {
            let (name, other) = (names[i].0, names[j].0);
            let path = names[i]
                .1
                .map(|&a| site.articles[a].path.clone())
                .unwrap_or_default();
            report.warnings.push(Diagnostic::at(
                &path,
                1,
                1,
                format!(
                    "{kind} \"{name}\" looks like \"{other}\": did you mean \"{other}\"? {}",
                    if kind == "company" {
                        "If both are right, make one an alias in a company profile"
                    } else {
                        "If both are right, ignore this warning"
                    }
                ),
            ));
        }
        by_key.insert(key.as_str(), i);
        near.insert(key, i);
    }
}

#[cfg(test)]
mod tests {
    use super::relative_target;

    #[test]
    fn relative_links_resolve_against_the_pages_folder() {
        let page = "2025/01/r1/index.html";
        let at = |path| relative_target(page, path);
        assert_eq!(at("chart.png").as_deref(), Some("2025/01/r1/chart.png"));
        assert_eq!(
            at("./data/a%20b.csv?x=1").as_deref(),
            Some("2025/01/r1/data/a b.csv")
        );
        assert_eq!(at("../other/").as_deref(), Some("2025/01/other/index.html"));
        assert_eq!(at("..").as_deref(), Some("2025/01/index.html"));
        assert_eq!(at("../../../../etc/passwd"), None);
        assert_eq!(
            relative_target("404.html", "x/").as_deref(),
            Some("x/index.html")
        );
    }
}
