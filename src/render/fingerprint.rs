//! Page fingerprints: a hash of everything a planned page shows, computed from the site
//! model without rendering. A rebuild renders only the pages whose fingerprint changed.
//!
//! Each page kind's fingerprint is made from what its page is given, by the same functions
//! that decide it for rendering (`listing`, `shown_months`, `edition_groups`, `feed_items`,
//! `term_facts`, `profile_view`, `page_view`...). Two versions per article: the *card*
//! version (a hash of its [`ArticleCard`](super::views::ArticleCard) and event views, what
//! lists, timelines and feeds' headers show) and the *full* version (the card plus the source
//! text and the lead image). Editing only an article's body changes only pages that show its
//! body.
//!
//! A fingerprint also says which articles it read (their versions, or their events): the
//! [`Readers`] of an article are the pages to fingerprint again when only that article's
//! text changed, which is how `digest serve`'s quick path finds them without hashing every
//! page (see `pipeline/session/quick.rs`).

use std::hash::{Hash, Hasher};

use super::edition_pages::{edition_groups, edition_link};
use super::feeds::feed_items;
use super::plan::{listing, Feed, PageJob, PageKind};
use super::renderer::page_view;
use super::term_pages::{company_timeline, profile_view, related_companies, term_facts};
use super::timeline_pages::shown_months;
use super::views::{article_card, card_value, event_views, ArticleCard};
use crate::config::{Config, COMPANIES};
use crate::hash::Fnv;
use crate::site::{Site, Term};
use rayon::prelude::*;
use serde_json::Value;

/// Per-article versions, computed once per rebuild.
pub struct Versions {
    /// Every article index, newest first: the home page's list.
    pub all: Vec<usize>,
    pub card: Vec<u64>,
    pub full: Vec<u64>,
    /// Per company, and per term of each other taxonomy: its `lists::TermFacts` (what
    /// its summary is made from, in the index and at the head of its pages), hashed once
    /// rather than on each of a big term's pages; a company's with its related companies.
    pub companies: Vec<u64>,
    /// Per company: the article of each entry its own timeline shows.
    pub company_timelines: Vec<Vec<usize>>,
    pub terms: Vec<Vec<u64>>,
}

impl Versions {
    /// The versions of `site`, given each article's card version (see [`cards`]).
    pub fn of(site: &Site, config: &Config, card: Vec<u64>) -> Versions {
        let full = card
            .iter()
            .zip(&site.articles)
            .map(|(c, a)| full_version(*c, a))
            .collect();
        // A company page also lists the companies named beside it.
        let company = |(id, t): (usize, &Term)| {
            let mut h = Fnv::default();
            term_facts(config, site, COMPANIES, t).hash(&mut h);
            for c in related_companies(site, id) {
                (&site.companies[c].name, &site.companies[c].slug).hash(&mut h);
            }
            h.finish()
        };
        Versions {
            all: (0..site.articles.len()).collect(),
            card,
            full,
            companies: site.companies.iter().enumerate().map(company).collect(),
            company_timelines: site
                .companies
                .iter()
                .map(|c| {
                    let months = company_timeline(site, c);
                    months
                        .iter()
                        .flat_map(|m| m.entries.iter().map(|e| e.article()))
                        .collect()
                })
                .collect(),
            terms: site
                .taxonomies
                .iter()
                .map(|g| {
                    let facts = |t| crate::hash::of(&term_facts(config, site, &g.name, t));
                    g.terms.iter().map(facts).collect()
                })
                .collect(),
        }
    }

    /// Recomputes article `i`'s versions after its `Arc<Article>` was replaced in `site`
    /// without moving it or changing its companies and terms; says whether its card changed.
    pub fn update(&mut self, config: &Config, site: &Site, i: usize) -> bool {
        let card = card_version(config, site, i);
        let changed = card != self.card[i];
        self.card[i] = card;
        self.full[i] = full_version(card, &site.articles[i]);
        changed
    }
}

/// The card version plus the body and the lead image (measured from its file, which may
/// change while the text does not).
fn full_version(card: u64, a: &crate::content::Article) -> u64 {
    crate::hash::of(&(card, a.source_hash, &a.image))
}

/// Article `i`'s card serialised for the renderer, and its card version: what lists,
/// timelines and feeds' headers show of it (its card and its events), hashed as the
/// templates are given them.
pub fn card(config: &Config, site: &Site, i: usize) -> (Value, u64) {
    let view = article_card(config, site, i);
    let version = version_of(config, site, i, &view);
    (card_value(&view), version)
}

/// Every article's [`card`] and card version, made in parallel.
pub fn cards(config: &Config, site: &Site) -> (Vec<Value>, Vec<u64>) {
    (0..site.articles.len())
        .into_par_iter()
        .map(|i| card(config, site, i))
        .unzip()
}

/// Article `i`'s card version alone.
fn card_version(config: &Config, site: &Site, i: usize) -> u64 {
    version_of(config, site, i, &article_card(config, site, i))
}

/// The card version of article `i`, whose card view is `view`.
fn version_of(config: &Config, site: &Site, i: usize, view: &ArticleCard<'_>) -> u64 {
    crate::hash::of(&(view, event_views(config, site, i)))
}

/// One page's fingerprint, and the articles it read.
pub struct Fingerprint {
    pub hash: u64,
    /// The articles whose versions or events the page shows (by index, perhaps repeated),
    /// and what of each.
    pub read: Vec<(u32, Read)>,
}

/// What a page shows of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Read {
    /// What lists show: its card version, or its events (which the card version covers).
    Card,
    /// All of it: its full version, the body too.
    Full,
}

/// The hasher of one fingerprint. An article's versions are hashed only through
/// [`Print::card`] and [`Print::full`], and its events through [`Print::read`], so that
/// every article a page shows is in [`Fingerprint::read`].
struct Print<'v> {
    h: Fnv,
    versions: &'v Versions,
    read: Vec<(u32, Read)>,
}

impl Hasher for Print<'_> {
    fn finish(&self) -> u64 {
        self.h.finish()
    }

    fn write(&mut self, bytes: &[u8]) {
        self.h.write(bytes);
    }
}

impl Print<'_> {
    /// Notes that the page shows `what` of article `i`.
    fn read(&mut self, i: usize, what: Read) {
        self.read.push((i as u32, what));
    }

    fn card(&mut self, i: usize) {
        self.read(i, Read::Card);
        self.versions.card[i].hash(&mut self.h);
    }

    fn full(&mut self, i: usize) {
        self.read(i, Read::Full);
        self.versions.full[i].hash(&mut self.h);
    }

    fn cards(&mut self, ids: &[usize]) {
        ids.iter().for_each(|&i| self.card(i));
    }
}

/// For each article, the pages (indices into the plan) whose fingerprints read it, and
/// what of it.
pub struct Readers(Vec<Vec<(u32, Read)>>);

impl Readers {
    /// The readers of `articles` articles, from the fingerprints of the plan's jobs in order.
    pub fn of<'p>(articles: usize, prints: impl Iterator<Item = &'p Fingerprint>) -> Readers {
        let mut readers = vec![Vec::new(); articles];
        for (job, print) in prints.enumerate() {
            let job = job as u32;
            for &(a, what) in &print.read {
                let pages: &mut Vec<(u32, Read)> = &mut readers[a as usize];
                // A page reads an article more than once (listed, and in its timeline).
                match pages.last_mut() {
                    Some(last) if last.0 == job => last.1 = last.1.max(what),
                    _ => pages.push((job, what)),
                }
            }
        }
        Readers(readers)
    }

    /// The pages that show article `i` (in plan order): all of them when its card version
    /// changed, else those that show all of it.
    pub fn of_article(&self, i: usize, card_changed: bool) -> impl Iterator<Item = usize> + '_ {
        self.0[i]
            .iter()
            .filter(move |&&(_, what)| card_changed || what == Read::Full)
            .map(|&(job, _)| job as usize)
    }
}

/// What fingerprints are computed against.
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub versions: &'a Versions,
    pub config: &'a Config,
}

/// The fingerprint of one job's data; `salt` covers what every page shows (config,
/// navigation) and the job's templates.
pub fn fingerprint(inputs: &Inputs<'_>, job: &PageJob, salt: u64) -> Fingerprint {
    let (site, v, config) = (inputs.site, inputs.versions, inputs.config);
    let mut h = Print {
        h: Fnv::default(),
        versions: v,
        read: Vec::new(),
    };
    (salt, &job.path).hash(&mut h);
    // A list page: the articles it shows, and its paginator (made of the list's length,
    // the page and the page size; its URLs are below the job's path).
    if let Some(l) = listing(site, config, &v.all, &job.kind) {
        (l.items.len(), l.page, l.per).hash(&mut h);
        h.cards(l.shown());
    }
    match &job.kind {
        PageKind::Home { .. } => {
            if let Some(e) = site.editions.first() {
                edition_head(config, site, e, &mut h);
            }
        }
        PageKind::Article(i) => {
            h.full(*i);
            let neighbours = [
                i.checked_sub(1),
                Some(i + 1).filter(|&j| j < site.articles.len()),
            ];
            h.cards(&neighbours.iter().flatten().copied().collect::<Vec<_>>());
            h.cards(&site.related[*i]);
        }
        PageKind::Page(i) => page_view(config, &site.pages[*i]).hash(&mut h),
        PageKind::Companies => v.companies.hash(&mut h),
        PageKind::Taxonomy(tax) => v.terms[*tax].hash(&mut h),
        PageKind::Company { id, .. } => {
            let c = &site.companies[*id];
            // Its chart, and its related companies (co-mentions).
            v.companies[*id].hash(&mut h);
            profile_view(config, site, c).hash(&mut h);
            h.cards(&v.company_timelines[*id]);
        }
        PageKind::Term { tax, id, .. } => v.terms[*tax][*id].hash(&mut h),
        PageKind::Editions { page } => {
            let editions = &site.editions;
            editions.len().hash(&mut h);
            let per = super::plan::EDITIONS_PER_PAGE;
            for e in editions.iter().skip((page - 1) * per).take(per) {
                edition_head(config, site, e, &mut h);
            }
        }
        PageKind::Edition(i) | PageKind::EditionEmail(i) => {
            let editions = &site.editions;
            edition_whole(config, site, &editions[*i], &mut h);
            for n in [i.checked_sub(1), Some(i + 1)].into_iter().flatten() {
                if let Some(e) = editions.get(n) {
                    edition_head(config, site, e, &mut h);
                }
            }
        }
        PageKind::Timeline | PageKind::TimelineYear(_) => {
            site.timeline.years.hash(&mut h);
            let year = match job.kind {
                PageKind::TimelineYear(y) => Some(y),
                _ => None,
            };
            for m in &site.timeline.months[shown_months(site, year)] {
                for e in &m.entries {
                    h.card(e.article());
                }
            }
        }
        PageKind::Feed(Feed::Editions) => {
            for e in site.editions.iter().take(config.feed_limit) {
                edition_whole(config, site, e, &mut h);
            }
        }
        PageKind::Corrections | PageKind::Feed(Feed::Corrections) => {
            // Each corrected article whole: its corrections are of its text.
            for (i, _) in super::corrections::corrected(site) {
                h.full(i);
            }
        }
        PageKind::Feed(feed) => {
            if let Some(items) = feed_items(config, site, &v.all, *feed) {
                (&items.title, &items.page).hash(&mut h);
                items.articles.iter().for_each(|&i| h.full(i));
            }
        }
        PageKind::Search | PageKind::NotFound | PageKind::Asset(_) => {}
    }
    Fingerprint {
        hash: h.finish(),
        read: h.read,
    }
}

/// What lists of editions show of one: its link, as the pages get it.
fn edition_head(config: &Config, site: &Site, e: &crate::site::Edition, h: &mut Print<'_>) {
    edition_link(config, site, e).hash(h);
}

/// Everything an edition's page shows: its head, intro, and its articles and events by
/// company.
fn edition_whole(config: &Config, site: &Site, e: &crate::site::Edition, h: &mut Print<'_>) {
    edition_head(config, site, e, h);
    e.intro.map(|n| site.edition_intros[n].source_hash).hash(h);
    for group in edition_groups(config, site, e) {
        group.hash(h);
        h.cards(&group.articles);
    }
    // The events shown are their articles'.
    e.events.iter().for_each(|&(a, _)| h.read(a, Read::Card));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_are_the_pages_that_read_each_article_once_each_in_plan_order() {
        let (card, full) = (Read::Card, Read::Full);
        let print = |read: &[(u32, Read)]| Fingerprint {
            hash: 0,
            read: read.to_vec(),
        };
        let prints = [
            print(&[(2, card), (0, card), (2, full)]),
            print(&[]),
            print(&[(0, full), (0, card), (1, card)]),
        ];
        let readers = Readers::of(4, prints.iter());
        let of = |i, card_changed| readers.of_article(i, card_changed).collect::<Vec<_>>();
        assert_eq!(of(0, true), vec![0, 2]);
        assert_eq!(of(1, true), vec![2]);
        assert_eq!(of(2, true), vec![0]);
        assert!(of(3, true).is_empty());
        // A new body, the card the same: only the pages that show bodies.
        assert_eq!(of(0, false), vec![2]);
        assert!(of(1, false).is_empty());
        assert_eq!(of(2, false), vec![0]);
    }
}
