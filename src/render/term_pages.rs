//! The company pages and the pages of the other taxonomies (tags, models, people...):
//! indexes with activity sparklines and an A-Z list, and each term's page, companies with
//! their profile, activity chart, own timeline and related companies.

use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use tera::Context;

use super::chart::{activity_chart, Activity, ChartSize};
use super::loans::{PageContext, ShelfId};
use super::plan::{feed_path, COMPANY_TIMELINE_ENTRIES, RELATED_COMPANIES};
use super::renderer::Renderer;
use super::timeline_pages::{month_views, MonthView};
use super::views::{taxonomy_link, term_link, LogoView, TaxonomyLink, TermLink};
use crate::config::{Config, COMPANIES};
use crate::date::DateView;
use crate::site::terms::by_name;
use crate::site::timeline::{by_month, Entry, Month};
use crate::site::{Site, Term};

/// A company or tag in an index list, and at the head of its own page.
#[derive(Serialize)]
pub struct TermSummary {
    #[serde(flatten)]
    link: TermLink,
    article_count: usize,
    event_count: usize,
    latest: Option<DateView>,
    feed_url: String,
    /// Inline SVG of articles and events per month.
    activity: String,
}

/// What a term's [`TermSummary`] is made from (its chart is drawn from `activity`): hashed
/// for the fingerprints of the pages that show the summary, so that they hash what the
/// pages are given.
#[derive(Hash)]
pub struct TermFacts {
    link: TermLink,
    article_count: usize,
    event_count: usize,
    latest: Option<DateView>,
    activity: Activity,
}

/// The facts of `term`, whose pages are under `section` (`companies`, `tags`...).
pub fn term_facts(config: &Config, site: &Site, section: &str, term: &Term) -> TermFacts {
    TermFacts {
        link: term_link(config, site, section, term),
        article_count: term.articles.len(),
        event_count: term.events.len(),
        latest: term
            .articles
            .first()
            .map(|&i| DateView::from(&site.articles[i].date)),
        activity: activity(site, term),
    }
}

impl TermFacts {
    /// The summary, with a chart of `size`.
    fn summary(self, size: ChartSize) -> TermSummary {
        let id = format!("activity-{}", self.link.slug);
        TermSummary {
            feed_url: feed_path(&self.link.url),
            activity: activity_chart(&self.link.name, &id, &self.activity, size),
            link: self.link,
            article_count: self.article_count,
            event_count: self.event_count,
            latest: self.latest,
        }
    }
}

/// Articles and events per month for one term.
fn activity(site: &Site, term: &Term) -> Activity {
    let mut activity = Activity::new();
    let key = |d: &crate::date::PostDate| (d.year(), d.month());
    for &a in &term.articles {
        activity
            .entry(key(&site.articles[a].date))
            .or_default()
            .articles += 1;
    }
    for &(a, e) in &term.events {
        activity
            .entry(key(&site.articles[a].events[e].date))
            .or_default()
            .events += 1;
    }
    activity
}

/// A company's profile as its pages show it (`profile`): serialised for the page, and
/// hashed for its fingerprint, so that whatever the page shows of a profile is both.
#[derive(Serialize, Hash)]
pub struct ProfileView<'a> {
    name: &'a str,
    aliases: &'a [String],
    website: &'a Option<String>,
    founded: &'a Option<String>,
    headquarters: &'a Option<String>,
    logo: Option<LogoView>,
    description: &'a str,
    summary_text: &'a str,
    extra: &'a crate::content::extra::Extra,
}

/// The profile of `company`, if it has one.
pub fn profile_view<'s>(
    config: &Config,
    site: &'s Site,
    company: &Term,
) -> Option<ProfileView<'s>> {
    company.profile.map(|p| {
        let logo = term_link(config, site, COMPANIES, company).logo;
        let p = &site.profiles[p];
        ProfileView {
            logo,
            name: &p.name,
            aliases: &p.aliases,
            website: &p.website,
            founded: &p.founded,
            headquarters: &p.headquarters,
            description: &p.description_html,
            summary_text: &p.summary_text,
            extra: &p.extra,
        }
    })
}

/// A taxonomy other than companies, as `taxonomy` in `taxonomy.html` and `term.html`.
#[derive(Serialize)]
pub struct TaxonomyView {
    /// `name` (`tags`, its front-matter key and URL segment), `title` (`Topics`) and `url`
    /// (its index page, with the base path).
    #[serde(flatten)]
    link: TaxonomyLink,
    /// Whether each of its terms has an Atom feed (`term.feed_url`).
    feed: bool,
}

/// What every page of a company shows above its articles: each field is a variable of
/// `company.html`.
#[derive(Serialize)]
pub struct CompanyHead<'a> {
    /// The company's profile, or null when it has none.
    profile: Option<ProfileView<'a>>,
    /// The company as a term, with its full-size activity chart.
    company: TermSummary,
    /// Its latest articles and events (at most [`COMPANY_TIMELINE_ENTRIES`]), by month.
    timeline: Vec<MonthView>,
    /// The companies most often named in its articles, most shared first.
    related_companies: Vec<TermLink>,
}

/// Names under one initial, for the A-Z index.
#[derive(Serialize)]
struct Letter {
    letter: String,
    terms: Vec<TermLink>,
}

impl Renderer<'_> {
    pub(super) fn companies(&self, ctx: &mut Context) {
        self.term_index(ctx, COMPANIES, COMPANIES, &self.site.companies);
    }

    /// The index of a taxonomy other than companies: `taxonomy` and its `terms`.
    pub(super) fn taxonomy_index(&self, ctx: &mut Context, tax: usize) {
        let group = &self.site.taxonomies[tax];
        ctx.insert("taxonomy", &self.taxonomy_view(&group.name));
        self.term_index(ctx, "terms", &group.name, &group.terms);
    }

    /// The taxonomy's declared settings, as `taxonomy` in templates.
    fn taxonomy_view(&self, name: &str) -> TaxonomyView {
        TaxonomyView {
            link: taxonomy_link(self.config, name),
            feed: self.config.taxonomy(name).is_some_and(|t| t.feed),
        }
    }

    /// What a company's pages show besides their articles (see [`Renderer::list`]).
    pub(super) fn company(&self, ctx: &mut PageContext, id: usize) {
        self.lend_fields(ctx, ShelfId::CompanyHeads, id);
    }

    /// What every page of a company shows above its articles.
    pub(super) fn company_head(&self, id: usize) -> Value {
        let company = &self.site.companies[id];
        let head = CompanyHead {
            profile: profile_view(self.config, self.site, company),
            company: self.term_summary(COMPANIES, company, ChartSize::Full),
            timeline: self.company_timeline(company),
            related_companies: self.related_companies(id),
        };
        serde_json::to_value(head).unwrap_or(Value::Null)
    }

    /// What the pages of one term of a taxonomy other than companies show besides their
    /// articles (see [`Renderer::list`]).
    pub(super) fn term(&self, ctx: &mut PageContext, tax: usize, id: usize) {
        let group = &self.site.taxonomies[tax];
        ctx.insert("taxonomy", &self.taxonomy_view(&group.name));
        self.lend(ctx, "term", ShelfId::TermHeads(tax), id);
    }

    /// What every page of term `id` of taxonomy `tax` shows above its articles: the term
    /// with its counts and activity chart.
    pub(super) fn term_head(&self, tax: usize, id: usize) -> Value {
        let group = &self.site.taxonomies[tax];
        serde_json::to_value(self.term_summary(&group.name, &group.terms[id], ChartSize::Full))
            .unwrap_or(Value::Null)
    }

    /// A list of terms (as `var` in the context) and its A-Z index (as `letters`).
    fn term_index(&self, ctx: &mut Context, var: &str, section: &str, terms: &[Term]) {
        let mut list: Vec<TermSummary> = terms
            .iter()
            .map(|t| self.term_summary(section, t, ChartSize::Spark))
            .collect();
        // Most recently active first, then the busiest, then by name.
        list.sort_by(|a, b| {
            let latest = |t: &TermSummary| t.latest.as_ref().map(|d| d.iso.clone());
            latest(b)
                .cmp(&latest(a))
                .then_with(|| b.article_count.cmp(&a.article_count))
                .then_with(|| by_name(a.link.key(), b.link.key()))
        });
        ctx.insert(var, &list);
        ctx.insert("letters", &letters(list.iter().map(|t| &t.link)));
    }

    fn term_summary(&self, section: &str, term: &Term, size: ChartSize) -> TermSummary {
        term_facts(self.config, self.site, section, term).summary(size)
    }

    /// The company's latest articles and events, by month.
    fn company_timeline(&self, company: &Term) -> Vec<MonthView> {
        month_views(self, &company_timeline(self.site, company))
    }

    fn related_companies(&self, id: usize) -> Vec<TermLink> {
        related_companies(self.site, id)
            .into_iter()
            .map(|c| term_link(self.config, self.site, COMPANIES, &self.site.companies[c]))
            .collect()
    }
}

/// The months of a company's own timeline, which shows its latest articles and events: for
/// rendering its pages and for their fingerprints alike.
pub fn company_timeline(site: &Site, company: &Term) -> Vec<Month> {
    // Both lists are newest first, so the latest entries are among their heads.
    let entries = company
        .articles
        .iter()
        .take(COMPANY_TIMELINE_ENTRIES)
        .map(|&a| Entry::Article(a))
        .chain(
            company
                .latest_events(site, COMPANY_TIMELINE_ENTRIES)
                .into_iter()
                .map(|(a, e)| Entry::Event(a, e)),
        );
    let mut months = by_month(site, entries);
    let mut left = COMPANY_TIMELINE_ENTRIES;
    months.retain_mut(|m| {
        m.entries.truncate(left);
        left -= m.entries.len();
        !m.entries.is_empty()
    });
    months
}

/// The companies most often named in the same articles as company `id`, most shared
/// first, then by name: what its pages list as related companies.
pub fn related_companies(site: &Site, id: usize) -> Vec<usize> {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for &a in &site.companies[id].articles {
        for &other in &site.article_companies[a] {
            if other != id {
                *counts.entry(other).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(usize, usize)> = counts.into_iter().collect();
    let companies = &site.companies;
    ranked.sort_by(|&(c, n), &(d, m)| {
        m.cmp(&n)
            .then_with(|| companies[c].name_order(&companies[d]))
    });
    ranked
        .into_iter()
        .take(RELATED_COMPANIES)
        .map(|(c, _)| c)
        .collect()
}

/// Groups links by initial letter (A-Z; anything else under `#`, last), alphabetically.
fn letters<'t>(links: impl Iterator<Item = &'t TermLink>) -> Vec<Letter> {
    let initial = |name: &str| {
        deunicode::deunicode(name)
            .chars()
            .next()
            .filter(char::is_ascii_alphabetic)
            .map_or('#', |c| c.to_ascii_uppercase())
    };
    let mut sorted: Vec<(char, &TermLink)> = links.map(|l| (initial(&l.name), l)).collect();
    sorted.sort_by(|a, b| {
        ((a.0 == '#'), a.0)
            .cmp(&((b.0 == '#'), b.0))
            .then_with(|| by_name(a.1.key(), b.1.key()))
    });
    let mut letters: Vec<Letter> = Vec::new();
    for (letter, link) in sorted {
        let letter = letter.to_string();
        match letters.last_mut() {
            Some(l) if l.letter == letter => l.terms.push(link.clone()),
            _ => letters.push(Letter {
                letter,
                terms: vec![link.clone()],
            }),
        }
    }
    letters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(name: &str, slug: &str) -> TermLink {
        TermLink {
            name: name.into(),
            slug: slug.into(),
            url: format!("/tags/{slug}/"),
            logo: None,
        }
    }

    fn shown(letters: &[Letter]) -> Vec<(String, Vec<String>)> {
        letters
            .iter()
            .map(|l| {
                (
                    l.letter.clone(),
                    l.terms.iter().map(|t| t.slug.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn letters_are_in_name_order_and_ties_in_slug_order_not_input_order() {
        // "Ab" and "ab" compare equal ignoring case: their slugs decide.
        let links = [
            link("9 lives", "9-lives"),
            link("ab", "ab-2"),
            link("Beta", "beta"),
            link("Ab", "ab"),
            link("Äpfel", "apfel"),
        ];
        let expected = vec![
            (
                "A".to_string(),
                vec!["ab".into(), "ab-2".into(), "apfel".into()],
            ),
            ("B".to_string(), vec!["beta".into()]),
            ("#".to_string(), vec!["9-lives".into()]),
        ];
        assert_eq!(shown(&letters(links.iter())), expected);
        assert_eq!(shown(&letters(links.iter().rev())), expected);
    }
}
