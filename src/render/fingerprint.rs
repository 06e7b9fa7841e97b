//! Page fingerprints: a hash of everything a planned page shows, computed from the site
//! model without rendering. A rebuild renders only the pages whose fingerprint changed.
//!
//! Two versions per article: the *card* version (what lists, timelines and feeds' headers
//! show: title, dates, summary, companies, other terms, events) and the *full* version (the card
//! plus the body and the lead image). Editing only an article's body changes only pages that
//! show its body.

use std::hash::{Hash, Hasher};

use super::edition_pages::edition_link;
use super::plan::{listing, Feed, PageJob, PageKind, COMPANY_TIMELINE_ENTRIES};
use super::renderer::page_view;
use super::term_pages::{profile_view, related_companies};
use crate::config::Config;
use crate::hash::Fnv;
use crate::site::{Site, Term};

/// Per-article versions, computed once per rebuild.
pub struct Versions {
    /// Every article index, newest first: the home page's list.
    pub all: Vec<usize>,
    pub card: Vec<u64>,
    pub full: Vec<u64>,
    /// Per company, and per term of each other taxonomy: [`term_aggregate`], hashed once
    /// rather than on each of a big term's pages.
    pub companies: Vec<u64>,
    /// Per company: the articles of the events its timeline shows (its latest).
    pub timeline_events: Vec<Vec<usize>>,
    pub terms: Vec<Vec<u64>>,
}

impl Versions {
    pub fn of(site: &Site) -> Versions {
        let card: Vec<u64> = (0..site.articles.len())
            .map(|i| card_version(site, i))
            .collect();
        let full = card
            .iter()
            .zip(&site.articles)
            .map(|(c, a)| full_version(*c, a))
            .collect();
        let aggregate = |t: &Term| {
            let mut h = Fnv::default();
            term_aggregate(site, t, &mut h);
            h.finish()
        };
        // A company page also lists the companies named beside it.
        let company = |(id, t): (usize, &Term)| {
            let mut h = Fnv::default();
            term_aggregate(site, t, &mut h);
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
            timeline_events: site
                .companies
                .iter()
                .map(|c| {
                    c.latest_events(site, COMPANY_TIMELINE_ENTRIES)
                        .into_iter()
                        .map(|(a, _)| a)
                        .collect()
                })
                .collect(),
            terms: site
                .taxonomies
                .iter()
                .map(|g| g.terms.iter().map(aggregate).collect())
                .collect(),
        }
    }

    /// Recomputes article `i`'s versions after its `Arc<Article>` was replaced in `site`
    /// without moving it or changing its companies and terms; says whether its card changed.
    pub fn update(&mut self, site: &Site, i: usize) -> bool {
        let card = card_version(site, i);
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

fn card_version(site: &Site, i: usize) -> u64 {
    let a = &site.articles[i];
    let mut h = Fnv::default();
    (
        &a.title,
        a.date.timestamp(),
        a.updated.map(|d| d.timestamp()),
        &a.summary_html,
    )
        .hash(&mut h);
    (&a.slug, a.reading_minutes()).hash(&mut h);
    for &c in &site.article_companies[i] {
        (&site.companies[c].name, &site.companies[c].slug).hash(&mut h);
    }
    for group in &site.taxonomies {
        for &t in &group.article_terms[i] {
            (&group.name, &group.terms[t].name, &group.terms[t].slug).hash(&mut h);
        }
    }
    for (e, event) in a.events.iter().enumerate() {
        (event.date.timestamp(), &event.title, &event.anchor).hash(&mut h);
        for &c in &site.event_companies[i][e] {
            site.companies[c].name.hash(&mut h);
        }
    }
    h.finish()
}

/// What fingerprints are computed against.
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub versions: &'a Versions,
    pub config: &'a Config,
}

/// The fingerprint of one job's data; `salt` covers what every page shows (config,
/// navigation) and the job's templates.
pub fn fingerprint(inputs: &Inputs<'_>, job: &PageJob, salt: u64) -> u64 {
    let (site, v, config) = (inputs.site, inputs.versions, inputs.config);
    let mut h = Fnv::default();
    (salt, &job.path).hash(&mut h);
    let cards = |h: &mut Fnv, ids: &[usize]| ids.iter().for_each(|&i| v.card[i].hash(h));
    // A list page: the articles it shows, and its paginator (made of the list's length,
    // the page and the page size; its URLs are below the job's path).
    if let Some(l) = listing(site, config, &v.all, &job.kind) {
        (l.items.len(), l.page, l.per).hash(&mut h);
        cards(&mut h, l.shown());
    }
    match &job.kind {
        PageKind::Home { .. } => {
            if let Some(e) = site.editions.first() {
                edition_head(config, site, e, &mut h);
            }
        }
        PageKind::Article(i) => {
            v.full[*i].hash(&mut h);
            let neighbours = [
                i.checked_sub(1),
                Some(i + 1).filter(|&j| j < site.articles.len()),
            ];
            cards(
                &mut h,
                &neighbours.iter().flatten().copied().collect::<Vec<_>>(),
            );
            cards(&mut h, &site.related[*i]);
        }
        PageKind::Page(i) => page_view(config, &site.pages[*i]).hash(&mut h),
        PageKind::Companies => v.companies.hash(&mut h),
        PageKind::Taxonomy(tax) => v.terms[*tax].hash(&mut h),
        PageKind::Company { id, .. } => {
            let c = &site.companies[*id];
            // Its chart, and its related companies (co-mentions).
            v.companies[*id].hash(&mut h);
            profile_view(site, c).hash(&mut h);
            // The company's own timeline shows its latest articles and events.
            cards(
                &mut h,
                &c.articles[..c.articles.len().min(COMPANY_TIMELINE_ENTRIES)],
            );
            v.timeline_events[*id]
                .iter()
                .for_each(|&a| v.card[a].hash(&mut h));
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
            edition_whole(config, site, v, &editions[*i], &mut h);
            for n in [i.checked_sub(1), Some(i + 1)].into_iter().flatten() {
                if let Some(e) = editions.get(n) {
                    edition_head(config, site, e, &mut h);
                }
            }
        }
        PageKind::Timeline | PageKind::TimelineYear(_) => {
            site.timeline.years.hash(&mut h);
            let months = match job.kind {
                PageKind::TimelineYear(y) => site.timeline.year(y),
                _ => &site.timeline.months[..site.timeline.months.len().min(60)],
            };
            for m in months {
                for e in &m.entries {
                    v.card[e.article()].hash(&mut h);
                }
            }
        }
        PageKind::Feed(feed) => {
            let limit = config.feed_limit;
            if let Feed::Editions = feed {
                for e in site.editions.iter().take(config.feed_limit) {
                    edition_whole(config, site, v, e, &mut h);
                }
                return h.finish();
            }
            let term = match feed {
                Feed::Editions | Feed::Site => None,
                Feed::Company(id) => Some(&site.companies[*id]),
                Feed::Term { tax, id } => Some(&site.taxonomies[*tax].terms[*id]),
            };
            let ids: Vec<usize> = match term {
                None => (0..site.articles.len().min(limit)).collect(),
                // Its title and page are the term's, whether or not it has articles.
                Some(t) => {
                    (&t.name, &t.slug).hash(&mut h);
                    t.articles.iter().take(limit).copied().collect()
                }
            };
            ids.iter().for_each(|&i| v.full[i].hash(&mut h));
        }
        PageKind::Search | PageKind::NotFound | PageKind::Asset(_) => {}
    }
    h.finish()
}

/// What lists of editions show of one: its link, as the pages get it.
fn edition_head(config: &Config, site: &Site, e: &crate::site::Edition, h: &mut Fnv) {
    edition_link(config, site, e).hash(h);
}

/// Everything an edition's page shows: its head, intro, articles and events.
fn edition_whole(
    config: &Config,
    site: &Site,
    v: &Versions,
    e: &crate::site::Edition,
    h: &mut Fnv,
) {
    edition_head(config, site, e, h);
    e.intro.map(|n| site.edition_intros[n].source_hash).hash(h);
    for &a in &e.articles {
        v.card[a].hash(h);
    }
    for &(a, ev) in &e.events {
        (v.card[a], ev).hash(h);
    }
}

/// What a term's header and charts show: its size, and every article's and event's date.
fn term_aggregate(site: &Site, term: &Term, h: &mut Fnv) {
    (
        &term.name,
        &term.slug,
        term.articles.len(),
        term.events.len(),
    )
        .hash(h);
    for &a in &term.articles {
        site.articles[a].date.timestamp().hash(h);
    }
    for &(a, e) in &term.events {
        site.articles[a].events[e].date.timestamp().hash(h);
    }
}
