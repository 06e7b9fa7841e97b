//! The site model: articles in date order, pages, and the companies and tags that group
//! them. Knows nothing of templates or of the disk.

pub mod editions;
pub mod related;
pub mod terms;
pub mod timeline;

use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Period;
use crate::content::{Article, CompanyProfile, Content, EditionIntro, Page};
use crate::error::{Diagnostic, Diagnostics};
pub use editions::Edition;
pub use terms::Term;
use terms::TermRegistry;
pub use timeline::Timeline;

/// How many related articles each article page shows.
pub const RELATED_LIMIT: usize = 5;

/// Top-level URL segments the theme uses; a page may not take one.
pub const RESERVED: &[&str] = &[
    "page",
    "companies",
    "tags",
    "timeline",
    "search",
    "static",
    "editions",
];

/// The terms of one taxonomy other than companies.
#[derive(Debug)]
pub struct TermGroup {
    /// The taxonomy's name: its front-matter key and URL segment.
    pub name: String,
    pub terms: Vec<Term>,
    /// Per article: the indices of its terms in this taxonomy.
    pub article_terms: Vec<Vec<usize>>,
}

#[derive(Debug)]
pub struct Site {
    /// Newest first.
    pub articles: Vec<Arc<Article>>,
    pub pages: Vec<Page>,
    pub profiles: Vec<CompanyProfile>,
    pub companies: Vec<Term>,
    /// Per article: the indices of its companies.
    pub article_companies: Vec<Vec<usize>>,
    /// The other declared taxonomies (tags, models, people...), in declared order.
    pub taxonomies: Vec<TermGroup>,
    /// Per article, per event: the indices of the event's companies.
    pub event_companies: Vec<Vec<Vec<usize>>>,
    /// Per article: related articles, best first.
    pub related: Vec<Vec<usize>>,
    pub timeline: Timeline,
    /// Editors' intros, as loaded.
    pub edition_intros: Vec<EditionIntro>,
    /// Every edition, newest first (empty when editions are off).
    pub editions: Vec<Edition>,
    /// The build's clock when scheduled stories are included (`--future`, `digest
    /// serve`), so that pages can mark them; `None` when they are left out.
    pub now: Option<i64>,
    /// The files of `data/`, given to every page as `data`.
    pub data: Arc<crate::content::data::Data>,
}

impl Site {
    /// The term group of the taxonomy `name` (not companies).
    pub fn taxonomy(&self, name: &str) -> Option<&TermGroup> {
        self.taxonomies.iter().find(|t| t.name == name)
    }

    /// Orders the articles, groups them, and checks that no two outputs share a URL.
    pub fn from_content(content: Content) -> Result<Site, Diagnostics> {
        let Content {
            mut articles,
            profiles,
            pages,
            taxonomies: taxonomy_names,
            edition_intros,
            editions: period,
        } = content;
        articles.sort_unstable_by(|a, b| a.order_key().cmp(&b.order_key()));
        let mut problems = Diagnostics::default();
        check_urls(&articles, &pages, &taxonomy_names, &mut problems);

        let mut companies = TermRegistry::profiled();
        for (i, p) in profiles.iter().enumerate() {
            if let Err(d) = companies.declare(&p.slug, &p.name, &p.aliases, i, &p.path) {
                problems.push(d);
            }
        }
        let mut registries: Vec<TermRegistry> = taxonomy_names
            .iter()
            .map(|_| TermRegistry::default())
            .collect();
        let mut article_terms: Vec<Vec<Vec<usize>>> = taxonomy_names
            .iter()
            .map(|_| Vec::with_capacity(articles.len()))
            .collect();
        let mut article_companies = Vec::with_capacity(articles.len());
        let mut event_companies = Vec::with_capacity(articles.len());
        for (i, a) in articles.iter().enumerate() {
            article_companies.push(group(&mut companies, i, &a.companies, a, &mut problems));
            for (k, name) in taxonomy_names.iter().enumerate() {
                let names = a.terms.get(name).map_or(&[][..], Vec::as_slice);
                article_terms[k].push(group(&mut registries[k], i, names, a, &mut problems));
            }
            let mut per_event = Vec::with_capacity(a.events.len());
            for (e, event) in a.events.iter().enumerate() {
                let mut ids = Vec::with_capacity(event.companies.len());
                for name in &event.companies {
                    match companies.resolve(name, &a.path) {
                        Ok(id) if !ids.contains(&id) => {
                            companies.terms[id].events.push((i, e));
                            ids.push(id);
                        }
                        Ok(_) => {}
                        Err(d) => problems.push(d),
                    }
                }
                per_event.push(ids);
            }
            event_companies.push(per_event);
        }
        check_intros(&edition_intros, period, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut site = Site {
            articles,
            pages,
            profiles,
            companies: companies.terms,
            article_companies,
            taxonomies: taxonomy_names
                .into_iter()
                .zip(registries)
                .zip(article_terms)
                .map(|((name, registry), article_terms)| TermGroup {
                    name,
                    terms: registry.terms,
                    article_terms,
                })
                .collect(),
            event_companies,
            related: Vec::new(),
            timeline: Timeline::default(),
            edition_intros,
            editions: Vec::new(),
            now: None,
            data: Arc::default(),
        };
        site.related = (0..site.articles.len())
            .into_par_iter()
            .map(|i| related::related(&site, i, RELATED_LIMIT))
            .collect();
        site.timeline = Timeline::build(&site);
        if let Some(period) = period {
            site.editions = editions::editions(&site, &site.edition_intros, period);
        }
        Ok(site)
    }
}

/// A site of articles given as (file name, front matter), for unit tests: editions are
/// weekly, and `tags` is the one taxonomy besides companies.
#[cfg(test)]
pub(crate) fn test_site(articles: &[(&str, &str)]) -> Site {
    let highlighter = crate::content::highlight::Highlighter::default();
    let taxonomies = vec!["tags".to_string()];
    let env = crate::content::RenderEnv {
        highlighter: &highlighter,
        base_path: "/",
        taxonomies: &taxonomies,
        images: crate::images::Settings::defaults(),
        timezone: &crate::schedule::UTC,
    };
    let articles = articles
        .iter()
        .map(|(name, front)| {
            let path = std::path::PathBuf::from(format!("content/articles/{name}"));
            let text = format!("+++\n{front}\n+++\nBody.\n");
            let article = crate::content::article::parse_article(&path, &text, &env)
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            Arc::new(article)
        })
        .collect();
    Site::from_content(Content {
        articles,
        profiles: Vec::new(),
        pages: Vec::new(),
        taxonomies,
        edition_intros: Vec::new(),
        editions: Some(Period::Week),
    })
    .unwrap_or_else(|e| panic!("{e:?}"))
}

/// Each intro's file name must name a period: `2025-W05.md` (or `2025-01.md` for monthly
/// editions).
fn check_intros(intros: &[EditionIntro], period: Option<Period>, problems: &mut Diagnostics) {
    for intro in intros {
        let message = match period {
            None => "editions are turned off (`[editions] enabled = false` in config.toml); remove this file or turn them on".to_string(),
            Some(p) => match editions::parse_key(&intro.key, p) {
                Ok(_) => continue,
                Err(editions::KeyError::OutOfRange) => crate::date::out_of_range(&intro.key),
                Err(editions::KeyError::NotAPeriod) => {
                    let example = match p {
                        Period::Week => "a week, like 2025-W05.md",
                        Period::Month => "a month, like 2025-01.md",
                    };
                    format!(
                        "an edition intro's file name must name {example} (found `{}`)",
                        intro.key
                    )
                }
            },
        };
        problems.push(Diagnostic::file(&intro.path, message));
    }
}

fn group(
    registry: &mut TermRegistry,
    article: usize,
    names: &[String],
    a: &Article,
    problems: &mut Diagnostics,
) -> Vec<usize> {
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        match registry.resolve(name, &a.path) {
            Ok(id) if !ids.contains(&id) => {
                registry.add_article(id, article);
                ids.push(id);
            }
            Ok(_) => {}
            Err(d) => problems.push(d),
        }
    }
    ids
}

/// Two articles (or pages) on one URL is an error naming both files.
fn check_urls(
    articles: &[Arc<Article>],
    pages: &[Page],
    taxonomy_names: &[String],
    problems: &mut Diagnostics,
) {
    let mut seen: HashMap<String, &std::path::Path> = HashMap::new();
    let items = articles
        .iter()
        .map(|a| (a.path_in_site(), a.path.as_path()))
        .chain(pages.iter().map(|p| (p.path_in_site(), p.path.as_path())));
    for (url, path) in items {
        let first = url.split('/').next().unwrap_or("");
        if (RESERVED.contains(&first) || taxonomy_names.iter().any(|t| t == first))
            && url.matches('/').count() == 1
        {
            problems.push(Diagnostic::file(
                path,
                format!("the page URL /{url} is taken by the theme's own `{first}` pages; set another `slug`"),
            ));
        }
        if let Some(other) = seen.insert(url.clone(), path) {
            problems.push(Diagnostic::file(
                path,
                format!(
                    "this file and {} both publish to /{url}; give one of them another `slug` (or date)",
                    other.display()
                ),
            ));
        }
    }
}
