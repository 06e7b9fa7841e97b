//! The plan: every page the site publishes, as a list of jobs naming a URL path and what
//! to render there. Pagination keeps each list page bounded by `paginate_by`.
//!
//! The plan owns where pages are and how much each holds: the paths, the pagination and
//! the per-page constants below. The renderer and the fingerprints read them from here; the
//! plan reads only the config and the site model, never a renderer module.

use crate::config::{Config, COMPANIES};
use crate::site::{Edition, Site};

/// Editions listed on each page of `/editions/`.
pub const EDITIONS_PER_PAGE: usize = 26;

/// How many timeline entries a company page shows (its latest); the chart shows them all.
pub const COMPANY_TIMELINE_ENTRIES: usize = 24;

/// How many related companies a company page lists.
pub const RELATED_COMPANIES: usize = 6;

/// `/timeline/` shows whole months, newest first, until it holds at least this many entries.
pub const TIMELINE_MIN_ENTRIES: usize = 60;

/// The first page of the editions index (later pages are below it, see [`pager_path`]).
pub const EDITIONS_INDEX: &str = "editions/";

/// The page of every correction (with its feed below it).
pub const CORRECTIONS: &str = "corrections/";

/// A taxonomy's index page: `companies/`, `tags/`.
pub fn taxonomy_path(taxonomy: &str) -> String {
    format!("{taxonomy}/")
}

/// The first page of a term of a taxonomy (companies are the taxonomy `companies`):
/// `companies/openai/`, `tags/chips/`. Later pages are below it, see [`pager_path`].
pub fn term_path(taxonomy: &str, slug: &str) -> String {
    format!("{taxonomy}/{slug}/")
}

/// The Atom feed of the list whose first page is at `base`: `atom.xml` for the home page,
/// `companies/openai/atom.xml`. Also below a list's URL (`/sub/tags/chips/atom.xml`).
pub fn feed_path(base: &str) -> String {
    format!("{base}atom.xml")
}

/// One year of the timeline: `timeline/2025/`.
pub fn timeline_year_path(year: i32) -> String {
    format!("timeline/{year}/")
}

/// An edition's page: `editions/2025-W05/`.
pub fn edition_path(edition: &Edition) -> String {
    format!("{EDITIONS_INDEX}{}/", edition.key)
}

/// An edition's newsletter copy: `editions/2025-W05/email.html`.
pub fn edition_email_path(edition: &Edition) -> String {
    format!("{}email.html", edition_path(edition))
}

/// What one output page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    /// Page `page` (from 1) of the latest articles.
    Home {
        page: usize,
    },
    Article(usize),
    Page(usize),
    Companies,
    Company {
        id: usize,
        page: usize,
    },
    /// The index of taxonomy `k` of `site.taxonomies` (tags, models...).
    Taxonomy(usize),
    /// Page `page` of term `id` of taxonomy `tax`.
    Term {
        tax: usize,
        id: usize,
        page: usize,
    },
    /// Page `page` of the list of editions.
    Editions {
        page: usize,
    },
    /// Edition `i` of `site.editions` (newest first).
    Edition(usize),
    /// Edition `i`'s newsletter copy.
    EditionEmail(usize),
    /// The latest months of the timeline, with links to every year.
    Timeline,
    TimelineYear(i32),
    Feed(Feed),
    /// Every correction of the site, newest first.
    Corrections,
    Search,
    NotFound,
    /// A non-HTML theme file rendered as is (the stylesheet).
    Asset(String),
}

/// A page of each kind but assets, so that the page templates are named by
/// [`PageKind::template`] alone. A kind left out here only makes its template count as
/// shared (its edits then re-render every page), never a page left stale.
const ONE_OF_EACH: &[PageKind] = &[
    PageKind::Home { page: 1 },
    PageKind::Article(0),
    PageKind::Page(0),
    PageKind::Companies,
    PageKind::Company { id: 0, page: 1 },
    PageKind::Taxonomy(0),
    PageKind::Term {
        tax: 0,
        id: 0,
        page: 1,
    },
    PageKind::Editions { page: 1 },
    PageKind::Edition(0),
    PageKind::EditionEmail(0),
    PageKind::Timeline,
    PageKind::TimelineYear(2025),
    PageKind::Feed(Feed::Site),
    PageKind::Corrections,
    PageKind::Search,
    PageKind::NotFound,
];

/// Whether `name` is the template of a kind of page (assets aside): its edits change only
/// those pages, while every other template is shared by all.
pub fn is_page_template(name: &str) -> bool {
    ONE_OF_EACH.iter().any(|kind| kind.template() == name)
}

impl PageKind {
    /// The theme template that renders this kind of page.
    pub fn template(&self) -> &str {
        match self {
            PageKind::Home { .. } => "index.html",
            PageKind::Article(_) => "article.html",
            PageKind::Page(_) => "page.html",
            PageKind::Companies => "companies.html",
            PageKind::Company { .. } => "company.html",
            PageKind::Taxonomy(_) => "taxonomy.html",
            PageKind::Term { .. } => "term.html",
            PageKind::Timeline | PageKind::TimelineYear(_) => "timeline.html",
            PageKind::Editions { .. } => "editions.html",
            PageKind::Edition(_) => "edition.html",
            PageKind::EditionEmail(_) => "edition-email.html",
            PageKind::Feed(_) => "atom.xml",
            PageKind::Corrections => "corrections.html",
            PageKind::Search => "search.html",
            PageKind::NotFound => "404.html",
            PageKind::Asset(name) => name,
        }
    }
}

/// What a list page lists: page `page` (from 1) of `items`, `per` a page, under `base`.
#[derive(Debug, PartialEq, Eq)]
pub struct Listing<'s> {
    /// The path of the list's first page (`companies/x/`); later pages are below it.
    pub base: String,
    pub items: &'s [usize],
    pub page: usize,
    pub per: usize,
}

impl<'s> Listing<'s> {
    /// The items this page shows.
    pub fn shown(&self) -> &'s [usize] {
        let start = ((self.page - 1) * self.per).min(self.items.len());
        &self.items[start..(start + self.per).min(self.items.len())]
    }
}

/// The articles list page `kind` lists (the home page, a company's or a term's pages), for
/// rendering it and for its fingerprint alike; `all` is every article index in order.
pub fn listing<'s>(
    site: &'s Site,
    config: &Config,
    all: &'s [usize],
    kind: &PageKind,
) -> Option<Listing<'s>> {
    let (base, items, page, per) = match *kind {
        PageKind::Home { page } => (String::new(), all, page, config.paginate_by),
        PageKind::Company { id, page } => {
            let c = &site.companies[id];
            let per = config.companies().paginate_by;
            (term_path(COMPANIES, &c.slug), &c.articles[..], page, per)
        }
        PageKind::Term { tax, id, page } => {
            let group = &site.taxonomies[tax];
            let t = &group.terms[id];
            let per = config
                .taxonomy(&group.name)
                .map_or(config.paginate_by, |d| d.paginate_by);
            (term_path(&group.name, &t.slug), &t.articles[..], page, per)
        }
        _ => return None,
    };
    Some(Listing {
        base,
        items,
        page,
        per,
    })
}

/// Which articles an Atom feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed {
    Site,
    Company(usize),
    Term { tax: usize, id: usize },
    Editions,
    Corrections,
}

/// One page to render: its path below the site root (`2025/01/x/`, `404.html`) and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageJob {
    pub path: String,
    pub kind: PageKind,
}

impl PageJob {
    /// The output file: `index.html` inside a directory path, else the path itself.
    pub fn file(&self) -> String {
        if self.path.is_empty() || self.path.ends_with('/') {
            format!("{}index.html", self.path)
        } else {
            self.path.clone()
        }
    }
}

/// Number of pages `items` fill at `per_page` each; an empty list still has one page.
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// The path of page `page` of a list whose first page is at `base` (`companies/x/`).
pub fn pager_path(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// Every page of the site, in a stable order.
pub fn plan(site: &Site, config: &Config, assets: &[String]) -> Vec<PageJob> {
    let per_page = config.paginate_by;
    let mut jobs = Vec::with_capacity(site.articles.len() * 2 + 16);
    let mut add = |path: String, kind: PageKind| jobs.push(PageJob { path, kind });
    for page in 1..=page_count(site.articles.len(), per_page) {
        add(pager_path("", page), PageKind::Home { page });
    }
    add(feed_path(""), PageKind::Feed(Feed::Site));
    for (i, a) in site.articles.iter().enumerate() {
        add(a.path_in_site(), PageKind::Article(i));
    }
    for (i, p) in site.pages.iter().enumerate() {
        add(p.path_in_site(), PageKind::Page(i));
    }
    add("timeline/".into(), PageKind::Timeline);
    for &(year, _) in &site.timeline.years {
        add(timeline_year_path(year), PageKind::TimelineYear(year));
    }
    if config.editions.is_some() {
        let editions = &site.editions;
        for page in 1..=page_count(editions.len(), EDITIONS_PER_PAGE) {
            add(
                pager_path(EDITIONS_INDEX, page),
                PageKind::Editions { page },
            );
        }
        add(feed_path(EDITIONS_INDEX), PageKind::Feed(Feed::Editions));
        for (i, e) in editions.iter().enumerate() {
            add(edition_email_path(e), PageKind::EditionEmail(i));
            add(edition_path(e), PageKind::Edition(i));
        }
    }
    let companies = config.companies();
    add(taxonomy_path(COMPANIES), PageKind::Companies);
    for (id, c) in site.companies.iter().enumerate() {
        let base = term_path(COMPANIES, &c.slug);
        for page in 1..=page_count(c.articles.len(), companies.paginate_by) {
            add(pager_path(&base, page), PageKind::Company { id, page });
        }
        if companies.feed {
            add(feed_path(&base), PageKind::Feed(Feed::Company(id)));
        }
    }
    for (tax, group) in site.taxonomies.iter().enumerate() {
        let Some(declared) = config.taxonomy(&group.name) else {
            continue;
        };
        add(taxonomy_path(&group.name), PageKind::Taxonomy(tax));
        for (id, t) in group.terms.iter().enumerate() {
            let base = term_path(&group.name, &t.slug);
            for page in 1..=page_count(t.articles.len(), declared.paginate_by) {
                add(pager_path(&base, page), PageKind::Term { tax, id, page });
            }
            if declared.feed {
                add(feed_path(&base), PageKind::Feed(Feed::Term { tax, id }));
            }
        }
    }
    add(CORRECTIONS.into(), PageKind::Corrections);
    add(feed_path(CORRECTIONS), PageKind::Feed(Feed::Corrections));
    add("search/".into(), PageKind::Search);
    add("404.html".into(), PageKind::NotFound);
    for name in assets {
        add(name.clone(), PageKind::Asset(name.clone()));
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_boundaries() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(1, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        assert_eq!(pager_path("tags/x/", 1), "tags/x/");
        assert_eq!(pager_path("", 3), "page/3/");
    }

    #[test]
    fn paths_of_lists_and_their_feeds() {
        assert_eq!(taxonomy_path("tags"), "tags/");
        assert_eq!(term_path("companies", "openai"), "companies/openai/");
        assert_eq!(feed_path(""), "atom.xml");
        assert_eq!(feed_path(&term_path("tags", "x")), "tags/x/atom.xml");
        assert_eq!(feed_path(EDITIONS_INDEX), "editions/atom.xml");
        assert_eq!(timeline_year_path(2025), "timeline/2025/");
    }

    #[test]
    fn a_listing_shows_its_page_of_items() {
        let items = [4, 5, 6, 7, 8];
        let page = |page: usize| Listing {
            base: String::new(),
            items: &items,
            page,
            per: 2,
        };
        assert_eq!(page(1).shown(), &[4, 5]);
        assert_eq!(page(3).shown(), &[8]);
        assert!(page(4).shown().is_empty());
    }

    #[test]
    fn page_templates_are_those_of_page_kinds_and_partials_are_not() {
        for name in [
            "index.html",
            "timeline.html",
            "atom.xml",
            "edition-email.html",
        ] {
            assert!(is_page_template(name), "{name}");
        }
        for name in [
            "base.html",
            "macros.html",
            "card.html",
            "edition-content.html",
        ] {
            assert!(!is_page_template(name), "{name}");
        }
    }

    #[test]
    fn job_files() {
        let job = |p: &str| {
            PageJob {
                path: p.into(),
                kind: PageKind::NotFound,
            }
            .file()
        };
        assert_eq!(job(""), "index.html");
        assert_eq!(job("2025/01/x/"), "2025/01/x/index.html");
        assert_eq!(job("404.html"), "404.html");
    }
}
