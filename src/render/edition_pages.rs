//! Edition pages: `/editions/` (every edition, newest first, paginated), one page per
//! edition (`/editions/2025-W05/`: the editor's intro, then the period's articles and
//! events grouped by company), its newsletter copy (`email.html`: one file, inline CSS,
//! absolute URLs) and the editions' Atom feed (`/editions/atom.xml`, each entry a whole
//! roundup).

use crate::config::COMPANIES;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use tera::Context;

use super::feeds::{FeedEntry, FeedView};
use super::loans::{Loan, PageContext};
use super::plan::{edition_email_path, edition_path, term_path, EDITIONS_INDEX, EDITIONS_PER_PAGE};
use super::renderer::Renderer;
use super::views::{term_link, TermLink};
use crate::config::{Config, Period};
use crate::date::{month_name, DateView, PostDate};
use crate::site::{Edition, Site, Term};

/// An edition in lists and in prev/next links: serialised for pages, and hashed for the
/// fingerprints of the pages that show it.
#[derive(Serialize, Hash)]
pub struct EditionLink {
    pub key: String,
    pub title: String,
    /// `27 January – 2 February 2025`
    pub period: String,
    pub url: String,
    pub article_count: usize,
}

/// One edition, as `edition` in `edition.html` and `edition-email.html`.
#[derive(Serialize)]
struct EditionView<'a> {
    #[serde(flatten)]
    link: EditionLink,
    /// `Week 5, 2025` or `January 2025`.
    label: String,
    permalink: String,
    email_url: String,
    start: DateView,
    end: DateView,
    /// The editor's intro as HTML, if written.
    intro: Option<&'a str>,
    event_count: usize,
    /// Articles and events grouped by (first-named) company, busiest first.
    groups: Vec<Group>,
    newer: Option<EditionLink>,
    older: Option<EditionLink>,
}

/// A company's share of an edition (or, with no company, "Also this week").
#[derive(Serialize)]
pub struct Group {
    name: String,
    company: Option<TermLink>,
    /// Absolute URL of the company page, for the email copy.
    permalink: Option<String>,
    /// The articles (indices): their cards, already JSON, are lent to the view by
    /// `Renderer::edition` rather than serialised again field by field.
    #[serde(skip)]
    pub articles: Vec<usize>,
    events: Vec<EventItem>,
}

/// What the pages show of a group but its articles (whose cards fingerprints hash), for
/// the fingerprints of the pages that show the edition.
impl Hash for Group {
    fn hash<H: Hasher>(&self, h: &mut H) {
        let Group {
            name,
            company,
            permalink,
            articles: _,
            events,
        } = self;
        (name, company, permalink, events).hash(h);
    }
}

/// A group being gathered: its company, articles and (article, event) pairs.
type GroupIds = (Option<usize>, Vec<usize>, Vec<(usize, usize)>);

/// An edition as an entry of the editions feed shows it, in the place of an article card
/// (`entry.article` in `atom.xml`).
#[derive(Serialize)]
struct EditionFeedHead {
    /// The edition's title.
    title: String,
    /// The edition page's absolute URL, also the entry's Atom id.
    permalink: String,
    /// The edition's last day.
    date: DateView,
    /// Always empty: the companies of an edition are in its content.
    companies: Vec<TermLink>,
    /// `27 January – 2 February 2025: 12 articles`
    summary_text: String,
}

#[derive(Serialize, Hash)]
struct EventItem {
    date: DateView,
    title: String,
    url: String,
    permalink: String,
}

impl Renderer<'_> {
    fn period(&self) -> Period {
        self.config.editions.unwrap_or_default()
    }

    pub(super) fn edition_link(&self, edition: &Edition) -> EditionLink {
        edition_link(self.config, self.site, edition)
    }

    pub(super) fn editions_index(&self, ctx: &mut Context, page: usize) {
        let editions = &self.site.editions;
        let links: Vec<EditionLink> = editions
            .iter()
            .skip((page - 1) * EDITIONS_PER_PAGE)
            .take(EDITIONS_PER_PAGE)
            .map(|e| self.edition_link(e))
            .collect();
        ctx.insert("editions", &links);
        // The same pager as article lists, over editions instead of articles.
        self.paginate(ctx, EDITIONS_INDEX, editions.len(), page, EDITIONS_PER_PAGE);
        ctx.insert(
            "period",
            match self.period() {
                Period::Week => "week",
                Period::Month => "month",
            },
        );
    }

    /// The context of one edition's page and of its email copy.
    pub(super) fn edition(&self, ctx: &mut PageContext, index: usize) {
        let editions = &self.site.editions;
        let edition = &editions[index];
        let intro = edition.intro.map(|n| &self.site.edition_intros[n]);
        let path = edition_path(edition);
        let view = EditionView {
            label: match self.period() {
                Period::Week => format!(
                    "Week {}, {}",
                    edition.start.iso_week(),
                    edition.start.to_iso_week_date().0
                ),
                Period::Month => default_title(self.period(), edition),
            },
            link: self.edition_link(edition),
            permalink: self.config.permalink(&path),
            email_url: self.config.url(&edition_email_path(edition)),
            start: DateView::from(&PostDate::from(edition.start)),
            end: DateView::from(&PostDate::from(edition.end)),
            intro: intro.map(|i| i.body_html.as_str()),
            event_count: edition.events.len(),
            groups: edition_groups(self.config, self.site, edition),
            newer: index
                .checked_sub(1)
                .map(|i| self.edition_link(&editions[i])),
            older: editions.get(index + 1).map(|e| self.edition_link(e)),
        };
        let mut value = serde_json::to_value(&view).unwrap_or(Value::Null);
        let ids: Vec<Vec<usize>> = view.groups.into_iter().map(|g| g.articles).collect();
        if let Some(Value::Array(groups)) = value.get_mut("groups") {
            for (group, ids) in groups.iter_mut().zip(&ids) {
                if let Value::Object(fields) = group {
                    let cards = ids.iter().map(|&i| self.take_card(i)).collect();
                    fields.insert("articles".to_owned(), Value::Array(cards));
                }
            }
        }
        ctx.lend(
            Loan::Grouped {
                key: "edition",
                ids,
            },
            value,
        );
    }

    /// `/editions/atom.xml`: the newest editions, each entry a whole roundup.
    pub(super) fn editions_feed(&self, ctx: &mut Context, path: &str) {
        let shown: Vec<usize> = (0..self.site.editions.len().min(self.config.feed_limit)).collect();
        let heads: Vec<Value> = shown
            .iter()
            .map(|&i| {
                let e = &self.site.editions[i];
                let link = self.edition_link(e);
                let head = EditionFeedHead {
                    summary_text: format!(
                        "{}: {} article{}",
                        link.period,
                        link.article_count,
                        if link.article_count == 1 { "" } else { "s" }
                    ),
                    title: link.title,
                    permalink: self.config.permalink(&edition_path(e)),
                    date: DateView::from(&PostDate::from(e.end)),
                    companies: Vec::new(),
                };
                serde_json::to_value(head).unwrap_or(Value::Null)
            })
            .collect();
        let contents: Vec<String> = shown.iter().map(|&i| self.edition_content(i)).collect();
        let entries: Vec<FeedEntry> = heads
            .into_iter()
            .zip(&contents)
            .zip(&shown)
            .map(|((head, content), &i)| FeedEntry {
                article: head,
                content,
                updated: self.edition_updated(&self.site.editions[i]),
            })
            .collect();
        let updated = entries
            .iter()
            .map(|e| e.updated.clone())
            .max()
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        ctx.insert(
            "feed",
            &FeedView {
                title: format!("{}: editions", self.config.title),
                page_url: self.config.permalink(EDITIONS_INDEX),
                feed_url: self.config.permalink(path),
                updated,
                entries,
            },
        );
    }

    /// When an edition last changed: the newest (update of an) article in it, else its
    /// last day.
    fn edition_updated(&self, edition: &Edition) -> String {
        edition
            .articles
            .iter()
            .map(|&a| {
                let article = &self.site.articles[a];
                article.updated.unwrap_or(article.date)
            })
            .max()
            .unwrap_or_else(|| PostDate::from(edition.end))
            .rfc3339()
    }

    /// The roundup alone, as HTML (the editions feed's entry content).
    pub(super) fn edition_content(&self, index: usize) -> String {
        let mut ctx = PageContext::new(self.base_context());
        self.edition(&mut ctx, index);
        let html = self.theme.render("edition-content.html", &ctx);
        self.give_back(ctx);
        html.unwrap_or_default()
    }
}

/// An edition's articles and events grouped by company, as its pages show them (for
/// rendering them and for their fingerprints alike).
pub fn edition_groups(config: &Config, site: &Site, edition: &Edition) -> Vec<Group> {
    // Company index (or None) -> group position.
    let mut at: HashMap<Option<usize>, usize> = HashMap::new();
    let mut groups: Vec<GroupIds> = Vec::new();
    let mut slot = |company: Option<usize>| -> usize {
        *at.entry(company).or_insert_with(|| {
            groups.push((company, Vec::new(), Vec::new()));
            groups.len() - 1
        })
    };
    let mut placed: Vec<(usize, usize)> = Vec::new();
    for &a in &edition.articles {
        placed.push((slot(site.article_companies[a].first().copied()), a));
    }
    let mut placed_events: Vec<(usize, (usize, usize))> = Vec::new();
    for &(a, e) in &edition.events {
        let company = site.event_companies[a][e]
            .first()
            .or_else(|| site.article_companies[a].first())
            .copied();
        placed_events.push((slot(company), (a, e)));
    }
    for (g, a) in placed {
        groups[g].1.push(a);
    }
    for (g, ev) in placed_events {
        groups[g].2.push(ev);
    }
    busiest_first(&mut groups, &site.companies);
    groups
        .into_iter()
        .map(|(company, articles, events)| {
            let term = company.map(|c| &site.companies[c]);
            Group {
                name: term.map_or_else(|| "Also in this edition".into(), |t| t.name.clone()),
                company: term.map(|t| term_link(config, site, COMPANIES, t)),
                permalink: term.map(|t| config.permalink(&term_path(COMPANIES, &t.slug))),
                articles,
                events: events
                    .iter()
                    .map(|&(a, e)| {
                        let article = &site.articles[a];
                        let event = &article.events[e];
                        let path = format!("{}#{}", article.path_in_site(), event.anchor);
                        EventItem {
                            date: DateView::from(&event.date),
                            title: event.title.clone(),
                            url: config.url(&path),
                            permalink: config.permalink(&path),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Busiest company first, companies of one size by name; the group without a company last.
/// Never by company index: that is the order companies were first met in, which an edit
/// elsewhere on the site changes without changing this edition's page.
fn busiest_first(groups: &mut [GroupIds], companies: &[Term]) {
    let size = |g: &GroupIds| std::cmp::Reverse(g.1.len() + g.2.len());
    groups.sort_by(|x, y| {
        (x.0.is_none(), size(x))
            .cmp(&(y.0.is_none(), size(y)))
            .then_with(|| match (x.0, y.0) {
                (Some(a), Some(b)) => companies[a].name_order(&companies[b]),
                _ => std::cmp::Ordering::Equal,
            })
    });
}

/// How lists and neighbours' links show an edition.
pub fn edition_link(config: &Config, site: &Site, edition: &Edition) -> EditionLink {
    let intro = edition.intro.map(|n| &site.edition_intros[n]);
    EditionLink {
        key: edition.key.clone(),
        title: intro
            .and_then(|i| i.title.clone())
            .unwrap_or_else(|| default_title(config.editions.unwrap_or_default(), edition)),
        period: period_text(edition.start, edition.end),
        url: config.url(&edition_path(edition)),
        article_count: edition.articles.len(),
    }
}

/// An edition's title when its intro gives none.
fn default_title(period: Period, edition: &Edition) -> String {
    match period {
        Period::Week => format!("The week of {}", long_date(edition.start)),
        Period::Month => format!(
            "{} {}",
            month_name(edition.start.month() as u8),
            edition.start.year()
        ),
    }
}

/// `27 January 2025`
fn long_date(d: time::Date) -> String {
    PostDate::from(d).long()
}

/// `27 January – 2 February 2025`, `3 – 9 March 2025` or `30 December 2024 – 5 January 2025`.
fn period_text(start: time::Date, end: time::Date) -> String {
    let month = |d: time::Date| month_name(d.month() as u8);
    if start.year() != end.year() {
        format!("{} – {}", long_date(start), long_date(end))
    } else if start.month() != end.month() {
        format!(
            "{} {} – {} {} {}",
            start.day(),
            month(start),
            end.day(),
            month(end),
            end.year()
        )
    } else {
        format!(
            "{} – {} {} {}",
            start.day(),
            end.day(),
            month(end),
            end.year()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> time::Date {
        time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), day).unwrap()
    }

    fn company(name: &str) -> Term {
        Term {
            slug: crate::slug::slugify(name),
            name: name.into(),
            articles: Vec::new(),
            events: Vec::new(),
            profile: None,
        }
    }

    #[test]
    fn groups_of_one_size_are_in_name_order_whatever_the_company_indices() {
        // Index order is not name order.
        let companies = [company("Zeta"), company("Beta"), company("alpha")];
        let order = |groups: Vec<GroupIds>| {
            let mut groups = groups;
            busiest_first(&mut groups, &companies);
            groups.iter().map(|g| g.0).collect::<Vec<_>>()
        };
        let group = |c: Option<usize>, n: usize| (c, (0..n).collect(), Vec::new());
        let expected = vec![Some(0), Some(2), Some(1), None];
        // Zeta is busiest; alpha and Beta tie, and sort by name (ignoring case) in
        // whichever order they were met.
        assert_eq!(
            order(vec![
                group(None, 5),
                group(Some(2), 2),
                group(Some(1), 2),
                group(Some(0), 3)
            ]),
            expected
        );
        assert_eq!(
            order(vec![
                group(Some(1), 2),
                group(Some(0), 3),
                group(Some(2), 2),
                group(None, 5)
            ]),
            expected
        );
        // Events count as much as articles.
        let mut with_events = vec![group(Some(2), 0), group(Some(1), 1)];
        with_events[0].2 = vec![(0, 0), (1, 0)];
        assert_eq!(order(with_events), vec![Some(2), Some(1)]);
    }

    #[test]
    fn period_texts() {
        assert_eq!(
            period_text(d(2024, 12, 30), d(2025, 1, 5)),
            "30 December 2024 – 5 January 2025"
        );
        assert_eq!(
            period_text(d(2025, 1, 27), d(2025, 2, 2)),
            "27 January – 2 February 2025"
        );
        assert_eq!(
            period_text(d(2025, 3, 3), d(2025, 3, 9)),
            "3 – 9 March 2025"
        );
    }
}
