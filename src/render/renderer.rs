//! Rendering each planned page: one function per page kind builds its template context
//! from the typed views, then the theme renders it. Pages render in parallel.
//!
//! The other page kinds are in sibling modules named after them: `term_pages` (companies,
//! tags and the other taxonomies), `timeline_pages`, `edition_pages`, `feeds`. This one
//! holds the renderer, the article pages and the standalone pages.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use std::sync::OnceLock;
use tera::Context;

use super::loans::{put, Loan, PageContext, Shelf, ShelfId};
use super::plan::{listing, page_count, pager_path, Listing, PageJob, PageKind};
use super::templates::Theme;
use super::timeline_pages::month_view;
use super::views::{article_card, article_view, card_value, site_view};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::output::{OutputFile, Sink};
use crate::site::Site;

/// Renders pages of one site with one theme.
pub struct Renderer<'a> {
    pub(super) config: &'a Config,
    pub(super) site: &'a Site,
    pub(super) theme: &'a Theme,
    /// `site` and other globals, cloned into the contexts of cards and edition feed entries.
    base: Context,
    /// A copy of `site` for each rendering thread, lent to the page it renders.
    sites: Shelf,
    /// A copy of `data` for each rendering thread, likewise.
    datas: Shelf,
    /// Each article's card, serialised once and lent to every page that shows it.
    cards: Shelf,
    /// Each card as the theme's `card.html` renders it, made on first use: a card shows in
    /// ~9 lists at 10,000 articles (related articles, each company and term, home), and a
    /// macro call in each was up to 12-16 % of the render phase's CPU (bench/HISTORY.md).
    card_html: Vec<OnceLock<Result<Value, Diagnostic>>>,
    /// Every article index, newest first: the home page's list.
    pub(super) all: Vec<usize>,
    /// What every page of a company repeats (profile, chart, timeline, related companies),
    /// made on first use and lent, so a company's 500 pages do not remake it 500 times.
    company_heads: Shelf,
    /// The same for each term of each other taxonomy (its header and chart).
    term_heads: Vec<Shelf>,
    /// Each month of the timeline as its pages show it: made for each page that shows it,
    /// or, by a renderer [`Renderer::with_kept`], kept and lent like the cards.
    months: Shelf,
    /// Each month as the theme's `timeline-month.html` renders it, made on first use (the
    /// latest months show on `/timeline/` and on their year's page) and kept with the
    /// months: a year page shows thousands of entries, most of them in months an edit
    /// leaves as they were.
    month_html: Vec<OnceLock<Result<Value, Diagnostic>>>,
}

/// What a renderer made that stays true for the next renderer of the same site after
/// edits that keep every article in its place: each article's card, and the timeline's
/// months that were kept. `digest serve` keeps it between rebuilds, and after each edit
/// [`Kept::edited`] remakes or forgets what showed the edited article.
#[derive(Default)]
pub struct Kept {
    cards: Shelf,
    /// By index in `Timeline::months`.
    months: Shelf,
    /// Each kept month as `timeline-month.html` rendered it, by index in `Timeline::months`.
    month_html: Vec<OnceLock<Result<Value, Diagnostic>>>,
}

impl Kept {
    /// Article `i` was replaced in `site` without moving: its card and the months that
    /// show it are forgotten, to be made again on first use.
    pub fn edited(&mut self, site: &Site, i: usize) {
        self.cards.forget(i);
        for (m, month) in site.timeline.months.iter().enumerate() {
            if month.entries.iter().any(|e| e.article() == i) {
                self.months.forget(m);
                if let Some(html) = self.month_html.get_mut(m) {
                    *html = OnceLock::new();
                }
            }
        }
    }

    /// The theme's templates changed: what they rendered is forgotten.
    pub fn restyled(&mut self) {
        self.month_html.clear();
    }
}

/// Article `i`'s card, serialised once and lent to every page that shows it.
pub fn card(config: &Config, site: &Site, i: usize) -> Value {
    card_value(&article_card(config, site, i))
}

/// A standalone page as `page.html` sees it (`page`): serialised for the page, and hashed
/// for its fingerprint.
#[derive(Serialize, Hash)]
pub struct PageView<'a> {
    title: &'a str,
    summary_text: &'a str,
    content: &'a str,
    /// Site-internal, with the base path.
    url: String,
    extra: &'a crate::content::extra::Extra,
}

pub fn page_view<'p>(config: &Config, page: &'p crate::content::Page) -> PageView<'p> {
    PageView {
        title: &page.title,
        summary_text: &page.summary_text,
        content: &page.body_html,
        url: config.url(&page.path_in_site()),
        extra: &page.extra,
    }
}

/// Where a list page stands among its siblings, as `paginator` in templates.
#[derive(Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total_pages: usize,
    pub total_items: usize,
    pub first: String,
    pub last: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// A window of page links around the current one (never the whole list).
    pub pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

impl<'a> Renderer<'a> {
    pub fn new(config: &'a Config, site: &'a Site, theme: &'a Theme) -> Self {
        let cards = (0..site.articles.len())
            .into_par_iter()
            .map(|i| card(config, site, i))
            .collect();
        Renderer::with_cards(config, site, theme, cards)
    }

    /// A renderer reusing cards made earlier: `cards[i]` must be [`card`] of article `i`.
    /// `digest serve` keeps them between rebuilds and remakes only the edited articles'.
    pub fn with_cards(
        config: &'a Config,
        site: &'a Site,
        theme: &'a Theme,
        cards: Vec<Value>,
    ) -> Self {
        let months = Shelf::passing(site.timeline.months.len());
        Renderer::with_shelves(config, site, theme, Shelf::new(cards), months, Vec::new())
    }

    /// A renderer reusing what an earlier one of the same site kept
    /// ([`Renderer::into_kept`]), which keeps the timeline's months it makes too.
    pub fn with_kept(config: &'a Config, site: &'a Site, theme: &'a Theme, kept: Kept) -> Self {
        Renderer::with_shelves(
            config,
            site,
            theme,
            kept.cards,
            kept.months,
            kept.month_html,
        )
    }

    /// `month_html` is what an earlier renderer made, or empty.
    fn with_shelves(
        config: &'a Config,
        site: &'a Site,
        theme: &'a Theme,
        cards: Shelf,
        months: Shelf,
        mut month_html: Vec<OnceLock<Result<Value, Diagnostic>>>,
    ) -> Self {
        let month_count = site.timeline.months.len();
        if month_html.len() != month_count {
            month_html = (0..month_count).map(|_| OnceLock::new()).collect();
        }
        let mut base = Context::new();
        base.insert("site", &site_view(config, site));
        Renderer {
            sites: Shelf::empty(rayon::current_num_threads() + 1),
            datas: Shelf::empty(rayon::current_num_threads() + 1),
            config,
            site,
            theme,
            base,
            card_html: (0..cards.len()).map(|_| OnceLock::new()).collect(),
            cards,
            all: (0..site.articles.len()).collect(),
            company_heads: Shelf::empty(site.companies.len()),
            term_heads: site
                .taxonomies
                .iter()
                .map(|g| Shelf::empty(g.terms.len()))
                .collect(),
            months,
            month_html,
        }
    }

    /// The cards made, for the caller to free (`digest build` frees them on the pool's
    /// threads, which made them).
    pub fn into_cards(self) -> Vec<Value> {
        self.cards.into_values().flatten().collect()
    }

    /// Gives back what the next renderer of the site may reuse: the cards (a card still
    /// out after a failure is made again on first use) and the months kept, if any.
    pub fn into_kept(self) -> Kept {
        Kept {
            cards: self.cards,
            months: self.months.kept(),
            month_html: self.month_html,
        }
    }

    /// Renders every job and hands each page to `sink` as soon as it is done, so a build
    /// never holds the whole site in memory. All template errors are returned, not just the
    /// first; returns the number of pages rendered.
    pub fn render_into(&self, jobs: &[PageJob], sink: &dyn Sink) -> Result<usize, Vec<Diagnostic>> {
        crate::progress::start(crate::progress::Phase::Rendering, jobs.len());
        let failures: Vec<Diagnostic> = jobs
            .par_iter()
            .inspect(|_| crate::progress::step())
            .filter_map(|job| match self.render(job) {
                Err(d) => Some(d),
                Ok(file) => {
                    let path = file.path.clone();
                    sink.put(file).err().map(|e| {
                        Diagnostic::file(
                            std::path::Path::new(&path),
                            format!("cannot write this output file: {e}"),
                        )
                    })
                }
            })
            .collect();
        // One broken template fails many pages in the same way: report it once.
        let mut problems: Vec<Diagnostic> = Vec::new();
        for d in failures {
            if !problems.contains(&d) {
                problems.push(d);
            }
        }
        if problems.is_empty() {
            Ok(jobs.len())
        } else {
            Err(problems)
        }
    }

    /// Renders one job into its output file.
    pub fn render(&self, job: &PageJob) -> Result<OutputFile, Diagnostic> {
        // The page's time limit runs while its context is filled too (cards render then).
        let template = self.theme.shown(job.kind.template());
        let _clock = super::budget::page(template, self.config.url(&job.path));
        let mut ctx = PageContext::new(Context::new());
        // Off the pool's threads (a test, say), the last copy.
        let last = self.sites.len() - 1;
        let thread = rayon::current_thread_index().map_or(last, |t| t.min(last));
        self.lend(&mut ctx, "site", ShelfId::Sites, thread);
        self.lend(&mut ctx, "data", ShelfId::Data, thread);
        ctx.insert("page_path", &job.path);
        ctx.insert("current_url", &self.config.url(&job.path));
        ctx.insert("canonical", &self.config.permalink(&job.path));
        let filled = match &job.kind {
            PageKind::Article(i) => self.article(&mut ctx, *i),
            kind => self.fill(&mut ctx, kind, &job.path).and_then(|()| {
                self.list(&mut ctx, listing(self.site, self.config, &self.all, kind))
            }),
        };
        let bytes = filled.and_then(|()| self.theme.render_bytes(job.kind.template(), &ctx));
        self.give_back(ctx);
        Ok(OutputFile::new(job.file(), bytes?))
    }

    /// Fills the context of a page other than an article's (its list, if any, comes after).
    fn fill(&self, ctx: &mut PageContext, kind: &PageKind, path: &str) -> Result<(), Diagnostic> {
        match kind {
            PageKind::Timeline => return self.timeline(ctx),
            PageKind::TimelineYear(year) => return self.timeline_year(ctx, *year),
            PageKind::Edition(i) | PageKind::EditionEmail(i) => self.edition(ctx, *i),
            PageKind::Page(i) => self.page(ctx, *i),
            PageKind::Companies => self.companies(ctx),
            PageKind::Taxonomy(tax) => self.taxonomy_index(ctx, *tax),
            PageKind::Editions { page } => self.editions_index(ctx, *page),
            PageKind::Feed(feed) => self.feed(ctx, *feed, path),
            PageKind::Corrections => self.corrections(ctx),
            PageKind::Home { .. } => self.home(ctx),
            PageKind::Company { id, .. } => self.company(ctx, *id),
            PageKind::Term { tax, id, .. } => self.term(ctx, *tax, *id),
            PageKind::Article(_) | PageKind::Search | PageKind::NotFound | PageKind::Asset(_) => {}
        }
        Ok(())
    }

    /// What the home pages show besides their articles (see [`Renderer::list`]).
    fn home(&self, ctx: &mut Context) {
        let latest = self.site.editions.first().map(|e| self.edition_link(e));
        ctx.insert("latest_edition", &latest);
    }

    /// Lends the cards of `ids` to the page as an array at `key`, each with its `html`.
    fn lend_cards(
        &self,
        ctx: &mut PageContext,
        key: &'static str,
        ids: Vec<usize>,
    ) -> Result<(), Diagnostic> {
        self.lend_rendered(ctx, key, ShelfId::Cards, ids)
    }

    /// Lends values `ids` of `shelf` (cards or months) to the page as an array at `key`,
    /// each with its `html` as its partial template rendered it.
    pub(super) fn lend_rendered(
        &self,
        ctx: &mut PageContext,
        key: &'static str,
        shelf: ShelfId,
        ids: Vec<usize>,
    ) -> Result<(), Diagnostic> {
        let html: Vec<Value> = ids
            .iter()
            .map(|&i| self.html(shelf, i).cloned())
            .collect::<Result<_, _>>()?;
        let values = ids.iter().zip(html).map(|(&i, html)| {
            let mut value = self.take(shelf, i);
            if let Value::Object(fields) = &mut value {
                fields.insert("html".to_owned(), html);
            }
            value
        });
        let values = Value::Array(values.collect());
        ctx.lend(
            Loan::Decorated {
                key,
                shelf,
                ids,
                added: &["html"],
            },
            values,
        );
        Ok(())
    }

    /// Lends value `i` of `shelf` to the page, at `key`.
    pub(super) fn lend(&self, ctx: &mut PageContext, key: &'static str, shelf: ShelfId, i: usize) {
        ctx.lend(Loan::Whole { key, shelf, i }, self.take(shelf, i));
    }

    /// Lends value `i` of `shelf`, an object, to the page as one variable per field.
    pub(super) fn lend_fields(&self, ctx: &mut PageContext, shelf: ShelfId, i: usize) {
        ctx.lend(Loan::Spread { shelf, i }, self.take(shelf, i));
    }

    /// Value `i` of `shelf`, taken off it (or made, if it is out): the caller lends it.
    fn take(&self, shelf: ShelfId, i: usize) -> Value {
        self.shelf(shelf).take(i, || self.make(shelf, i))
    }

    /// Card `i`, taken off its shelf: the caller lends it to a page.
    pub(super) fn take_card(&self, i: usize) -> Value {
        self.take(ShelfId::Cards, i)
    }

    /// A copy of card `i`, for a view that serialises it (feeds).
    pub(super) fn card_copy(&self, i: usize) -> Value {
        self.cards.copy(i, || self.make(ShelfId::Cards, i))
    }

    /// Puts what a rendered page was lent back on the shelves.
    pub(super) fn give_back(&self, ctx: PageContext) {
        for (shelf, i, value) in ctx.into_returns() {
            self.shelf(shelf).give_back(i, value);
        }
    }

    fn shelf(&self, id: ShelfId) -> &Shelf {
        match id {
            ShelfId::Cards => &self.cards,
            ShelfId::CompanyHeads => &self.company_heads,
            ShelfId::TermHeads(tax) => &self.term_heads[tax],
            ShelfId::Sites => &self.sites,
            ShelfId::Data => &self.datas,
            ShelfId::Months => &self.months,
        }
    }

    /// Value `i` of shelf `id`, made anew: on first use, or while it is lent to another page.
    fn make(&self, id: ShelfId, i: usize) -> Value {
        match id {
            ShelfId::Cards => card(self.config, self.site, i),
            ShelfId::CompanyHeads => self.company_head(i),
            ShelfId::TermHeads(tax) => self.term_head(tax, i),
            ShelfId::Sites => self.base.get("site").cloned().unwrap_or(Value::Null),
            ShelfId::Data => serde_json::to_value(&*self.site.data).unwrap_or(Value::Null),
            ShelfId::Months => {
                let month = month_view(self, &self.site.timeline.months[i]);
                serde_json::to_value(month).unwrap_or(Value::Null)
            }
        }
    }

    /// Value `i` of `shelf` rendered by its partial template (a JSON string), on first use:
    /// a card by `card.html` (as `article`), a month by `timeline-month.html` (as `month`).
    fn html(&self, shelf: ShelfId, i: usize) -> Result<&Value, Diagnostic> {
        let (slot, template, key) = match shelf {
            ShelfId::Months => (&self.month_html[i], "timeline-month.html", "month"),
            _ => (&self.card_html[i], "card.html", "article"),
        };
        let html = slot.get_or_init(|| {
            let mut ctx = PageContext::new(self.base_context());
            self.lend(&mut ctx, key, shelf, i);
            // Kept for the whole build: without the 32 KB a page is rendered into.
            let html = self.theme.render(template, &ctx).map(|mut html| {
                html.shrink_to_fit();
                Value::String(html)
            });
            self.give_back(ctx);
            html
        });
        html.as_ref().map_err(Diagnostic::clone)
    }

    /// The context every page starts from: `site` and the other globals.
    pub(super) fn base_context(&self) -> Context {
        self.base.clone()
    }

    fn article(&self, ctx: &mut PageContext, i: usize) -> Result<(), Diagnostic> {
        let card = self.take_card(i);
        let (view, added) = article_view(self.config, self.site, i, card);
        ctx.lend(
            Loan::Extended {
                key: "article",
                i,
                added,
            },
            view,
        );
        // Newest first: the newer article is before this one, the older after.
        let count = self.site.articles.len();
        for (key, j) in [
            ("newer", i.checked_sub(1)),
            ("older", Some(i + 1).filter(|&j| j < count)),
        ] {
            match j {
                Some(j) => self.lend(ctx, key, ShelfId::Cards, j),
                None => put(ctx, key, Value::Null),
            }
        }
        self.lend_cards(ctx, "related", self.site.related[i].clone())
    }

    fn page(&self, ctx: &mut Context, i: usize) {
        ctx.insert("page", &page_view(self.config, &self.site.pages[i]));
    }

    /// Puts the articles `listing` shows as `articles`, and its paginator, in the context
    /// of a list page (nothing for other pages).
    pub(super) fn list(
        &self,
        ctx: &mut PageContext,
        listing: Option<Listing<'_>>,
    ) -> Result<(), Diagnostic> {
        let Some(l) = listing else {
            return Ok(());
        };
        self.lend_cards(ctx, "articles", l.shown().to_vec())?;
        self.paginate(ctx, &l.base, l.items.len(), l.page, l.per);
        Ok(())
    }

    /// Puts the paginator of page `page` of a list of `total` items (`per` a page), whose
    /// first page is at `base`, in the context.
    pub(super) fn paginate(
        &self,
        ctx: &mut Context,
        base: &str,
        total: usize,
        page: usize,
        per: usize,
    ) {
        let total_pages = page_count(total, per);
        let url = |n: usize| self.config.url(&pager_path(base, n));
        let window = page.saturating_sub(2).max(1)..=(page + 2).min(total_pages);
        ctx.insert(
            "paginator",
            &Paginator {
                current: page,
                total_pages,
                total_items: total,
                first: url(1),
                last: url(total_pages),
                prev: (page > 1).then(|| url(page - 1)),
                next: (page < total_pages).then(|| url(page + 1)),
                pages: window
                    .map(|n| PageLink {
                        number: n,
                        url: url(n),
                        current: n == page,
                    })
                    .collect(),
            },
        );
    }
}
