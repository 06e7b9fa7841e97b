//! Rendering each planned page: one function per page kind builds its template context
//! from the typed views, then the theme renders it. Pages render in parallel.
//!
//! The page kinds are spread over sibling modules by theme: `lists` (companies, tags),
//! `timeline_pages`, `feeds`. This one holds the renderer and the article pages.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use std::sync::OnceLock;
use tera::Context;

use super::context::{article_card, article_view, site_view};
use super::plan::{page_count, pager_path, PageJob, PageKind};
use super::templates::Theme;
use crate::config::Config;
use crate::error::Diagnostic;
use crate::output::{OutputFile, Sink};
use crate::site::Site;

/// Renders pages of one site with one theme.
pub struct Renderer<'a> {
    pub(super) config: &'a Config,
    pub(super) site: &'a Site,
    pub(super) theme: &'a Theme,
    /// `site` and other globals, cloned into each page's context.
    base: Context,
    /// Each article's card, serialised once and shared by every list that shows it.
    pub(super) cards: Vec<Value>,
    /// Each card as the theme's `card.html` renders it, made on first use: a card shows in
    /// ~9 lists at 10,000 articles (related articles, each company and term, home), and a
    /// macro call in each was up to 12-16 % of the render phase's CPU (BENCHMARKS.md).
    card_html: Vec<OnceLock<Result<Value, Diagnostic>>>,
    /// Every article index, newest first: the home page's list.
    all: Vec<usize>,
    /// What every page of a company repeats (profile, chart, timeline, related companies),
    /// made on first use so a company's 500 pages do not remake it 500 times.
    pub(super) company_heads: Vec<OnceLock<Value>>,
    /// The same for each term of each other taxonomy (its header and chart).
    pub(super) term_heads: Vec<Vec<OnceLock<Value>>>,
}

/// Article `i`'s card, serialised once and shared by every page that shows it.
pub fn card(config: &Config, site: &Site, i: usize) -> Value {
    serde_json::to_value(article_card(config, site, i)).unwrap_or(Value::Null)
}

/// Puts an already serialised `value` in `ctx` as `key`: a plain clone of the JSON, where
/// `Context::insert` would serialise it again field by field (a third of an article
/// page's context time went there).
pub(super) fn put(ctx: &mut Context, key: &str, value: Value) {
    let mut one = serde_json::Map::new();
    one.insert(key.to_owned(), value);
    if let Ok(more) = Context::from_value(Value::Object(one)) {
        ctx.extend(more);
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
        let mut base = Context::new();
        base.insert("site", &site_view(config, site));
        Renderer {
            config,
            site,
            theme,
            base,
            card_html: cards.iter().map(|_| OnceLock::new()).collect(),
            cards,
            all: (0..site.articles.len()).collect(),
            company_heads: site.companies.iter().map(|_| OnceLock::new()).collect(),
            term_heads: site
                .taxonomies
                .iter()
                .map(|g| g.terms.iter().map(|_| OnceLock::new()).collect())
                .collect(),
        }
    }

    /// Gives the cards back, for the next [`Renderer::with_cards`].
    pub fn into_cards(self) -> Vec<Value> {
        self.cards
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
        let mut ctx = self.base_context();
        ctx.insert("page_path", &job.path);
        ctx.insert("current_url", &self.config.url(&job.path));
        ctx.insert("canonical", &self.config.permalink(&job.path));
        match &job.kind {
            PageKind::Home { page } => self.home(&mut ctx, *page)?,
            PageKind::Article(i) => self.article(&mut ctx, *i)?,
            PageKind::Page(i) => self.page(&mut ctx, *i),
            PageKind::Companies => self.companies(&mut ctx),
            PageKind::Company { id, page } => self.company(&mut ctx, *id, *page)?,
            PageKind::Taxonomy(tax) => self.taxonomy_index(&mut ctx, *tax),
            PageKind::Term { tax, id, page } => self.term(&mut ctx, *tax, *id, *page)?,
            PageKind::Editions { page } => self.editions_index(&mut ctx, *page),
            PageKind::Edition(i) | PageKind::EditionEmail(i) => self.edition(&mut ctx, *i),
            PageKind::Timeline => self.timeline(&mut ctx),
            PageKind::TimelineYear(year) => self.timeline_year(&mut ctx, *year),
            PageKind::Feed(feed) => self.feed(&mut ctx, *feed, &job.path),
            PageKind::Search | PageKind::NotFound | PageKind::Asset(_) => {}
        }
        let text = self.theme.render(job.kind.template(), &ctx)?;
        Ok(OutputFile::new(job.file(), text.into_bytes()))
    }

    fn home(&self, ctx: &mut Context, page: usize) -> Result<(), Diagnostic> {
        self.list(ctx, "", &self.all, page, self.config.paginate_by)?;
        let latest = self.site.editions.first().map(|e| self.edition_link(e));
        ctx.insert("latest_edition", &latest);
        Ok(())
    }

    /// The cards of `articles` (indices), as a JSON array, each with its `html`.
    pub(super) fn card_list<'i>(
        &self,
        articles: impl IntoIterator<Item = &'i usize>,
    ) -> Result<Value, Diagnostic> {
        let cards = articles.into_iter().map(|&i| {
            let mut card = self.cards[i].clone();
            if let Value::Object(fields) = &mut card {
                fields.insert("html".to_owned(), self.card_html(i)?.clone());
            }
            Ok(card)
        });
        Ok(Value::Array(cards.collect::<Result<_, Diagnostic>>()?))
    }

    /// Card `i` rendered by `card.html` (a JSON string), on first use.
    fn card_html(&self, i: usize) -> Result<&Value, Diagnostic> {
        let html = self.card_html[i].get_or_init(|| {
            let mut ctx = self.base_context();
            put(&mut ctx, "article", self.cards[i].clone());
            // Kept for the whole build: without the 32 KB a page is rendered into.
            self.theme.render("card.html", &ctx).map(|mut html| {
                html.shrink_to_fit();
                Value::String(html)
            })
        });
        html.as_ref().map_err(Diagnostic::clone)
    }

    /// The context every page starts from: `site` and the other globals.
    pub(super) fn base_context(&self) -> Context {
        self.base.clone()
    }

    fn article(&self, ctx: &mut Context, i: usize) -> Result<(), Diagnostic> {
        let view = article_view(self.config, self.site, i, &self.cards[i]);
        put(ctx, "article", view);
        // Newest first: the newer article is before this one, the older after.
        let card = |j: usize| self.cards.get(j).cloned().unwrap_or(Value::Null);
        put(ctx, "newer", i.checked_sub(1).map_or(Value::Null, card));
        put(ctx, "older", card(i + 1));
        put(ctx, "related", self.card_list(&self.site.related[i])?);
        Ok(())
    }

    fn page(&self, ctx: &mut Context, i: usize) {
        let p = &self.site.pages[i];
        ctx.insert(
            "page",
            &serde_json::json!({
                "title": p.title,
                "summary_text": p.summary_text,
                "content": p.body_html,
                "url": self.config.url(&p.path_in_site()),
            }),
        );
    }

    /// Puts page `page` of `items` (article indices, `per` a page) as `articles` and its
    /// paginator in the context.
    pub(super) fn list(
        &self,
        ctx: &mut Context,
        base: &str,
        items: &[usize],
        page: usize,
        per: usize,
    ) -> Result<(), Diagnostic> {
        let shown = items.iter().skip((page - 1) * per).take(per);
        put(ctx, "articles", self.card_list(shown)?);
        self.paginate(ctx, base, items.len(), page, per);
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
