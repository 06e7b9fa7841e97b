//! The timeline pages: `/timeline/` (the latest months) and `/timeline/YYYY/` (one year),
//! so that no page grows with the whole archive.

use crate::config::COMPANIES;
use serde::Serialize;
use std::ops::Range;

use super::loans::{PageContext, ShelfId};
use super::plan::{timeline_year_path, TIMELINE_MIN_ENTRIES};
use super::renderer::Renderer;
use super::views::{term_link, TermLink};
use crate::date::{month_name, DateView};
use crate::error::Diagnostic;
use crate::site::timeline::{Entry, Month};
use crate::site::Site;

/// A month of a timeline, as templates see it.
#[derive(Serialize)]
pub struct MonthView {
    pub year: i32,
    pub month: u8,
    /// `January 2025`
    pub label: String,
    /// `2025-01`, for anchors.
    pub id: String,
    pub entries: Vec<EntryView>,
}

/// One line of a timeline: an article, or an event linking to its article's anchor.
#[derive(Serialize)]
pub struct EntryView {
    /// `article` or `event`.
    pub kind: &'static str,
    pub date: DateView,
    pub title: String,
    pub url: String,
    pub companies: Vec<TermLink>,
    /// For events: the article that reports it.
    pub article_title: Option<String>,
}

/// A year with a timeline page.
#[derive(Serialize)]
struct YearLink {
    year: i32,
    url: String,
    count: usize,
    current: bool,
}

impl Renderer<'_> {
    pub(super) fn timeline(&self, ctx: &mut PageContext) -> Result<(), Diagnostic> {
        ctx.insert("years", &self.year_links(None));
        ctx.insert("year", &Option::<i32>::None);
        self.lend_months(ctx, shown_months(self.site, None))
    }

    pub(super) fn timeline_year(&self, ctx: &mut PageContext, year: i32) -> Result<(), Diagnostic> {
        ctx.insert("years", &self.year_links(Some(year)));
        ctx.insert("year", &year);
        self.lend_months(ctx, shown_months(self.site, Some(year)))
    }

    /// Lends the timeline's months `months` to the page, as `months`, each with its `html`
    /// (`timeline-month.html`).
    fn lend_months(&self, ctx: &mut PageContext, months: Range<usize>) -> Result<(), Diagnostic> {
        self.lend_rendered(ctx, "months", ShelfId::Months, months.collect())
    }

    fn year_links(&self, current: Option<i32>) -> Vec<YearLink> {
        self.site
            .timeline
            .years
            .iter()
            .map(|&(year, count)| YearLink {
                year,
                url: self.config.url(&timeline_year_path(year)),
                count,
                current: current == Some(year),
            })
            .collect()
    }
}

/// The months a timeline page shows (where they are in `Timeline::months`), for rendering
/// it and for its fingerprint alike: all of `year`'s, or for `/timeline/` (no year) whole
/// months, newest first, until they hold at least `TIMELINE_MIN_ENTRIES`.
pub fn shown_months(site: &Site, year: Option<i32>) -> Range<usize> {
    let months = &site.timeline.months;
    if let Some(year) = year {
        return site.timeline.year_months(year);
    }
    let mut shown = 0;
    let mut total = 0;
    while shown < months.len() && (total < TIMELINE_MIN_ENTRIES || shown == 0) {
        total += months[shown].entries.len();
        shown += 1;
    }
    0..shown
}

/// Views of some months of entries.
pub fn month_views(r: &Renderer<'_>, months: &[Month]) -> Vec<MonthView> {
    months.iter().map(|m| month_view(r, m)).collect()
}

/// The view of one month of entries.
pub fn month_view(r: &Renderer<'_>, m: &Month) -> MonthView {
    MonthView {
        year: m.year,
        month: m.month,
        label: format!("{} {}", month_name(m.month), m.year),
        id: format!("{:04}-{:02}", m.year, m.month),
        entries: m.entries.iter().map(|e| entry_view(r, *e)).collect(),
    }
}

fn entry_view(r: &Renderer<'_>, entry: Entry) -> EntryView {
    let site = r.site;
    let a = entry.article();
    let article = &site.articles[a];
    let url = r.config.url(&article.path_in_site());
    let links = |ids: &[usize]| -> Vec<TermLink> {
        ids.iter()
            .map(|&c| term_link(r.config, site, COMPANIES, &site.companies[c]))
            .collect()
    };
    match entry {
        Entry::Article(_) => EntryView {
            kind: "article",
            date: DateView::from(&article.date),
            title: article.title.clone(),
            url,
            companies: links(&site.article_companies[a]),
            article_title: None,
        },
        Entry::Event(_, e) => {
            let event = &article.events[e];
            EntryView {
                kind: "event",
                date: DateView::from(&event.date),
                title: event.title.clone(),
                url: format!("{url}#{}", event.anchor),
                companies: links(&site.event_companies[a][e]),
                article_title: Some(article.title.clone()),
            }
        }
    }
}
