//! Rendering each planned page: one function per page kind builds its template context
//! from the typed views, then the theme renders it. Pages render in parallel.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use tera::Context;

use super::context::{article_card, article_view, site_view, term_link, TermLink};
use super::plan::{page_count, pager_path, PageJob, PageKind};
use super::templates::Theme;
use crate::config::Config;
use crate::date::DateView;
use crate::error::Diagnostic;
use crate::output::OutputFile;
use crate::site::{Site, Term};

/// Renders pages of one site with one theme.
pub struct Renderer<'a> {
    config: &'a Config,
    site: &'a Site,
    theme: &'a Theme,
    /// `site` and other globals, cloned into each page's context.
    base: Context,
    /// Each article's card, serialised once and shared by every list that shows it.
    cards: Vec<Value>,
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

/// A company or tag in an index list.
#[derive(Serialize)]
struct TermSummary {
    #[serde(flatten)]
    link: TermLink,
    article_count: usize,
    event_count: usize,
    latest: Option<DateView>,
}

impl<'a> Renderer<'a> {
    pub fn new(config: &'a Config, site: &'a Site, theme: &'a Theme) -> Self {
        let mut base = Context::new();
        base.insert("site", &site_view(config, site));
        let cards = (0..site.articles.len())
            .into_par_iter()
            .map(|i| serde_json::to_value(article_card(config, site, i)).unwrap_or(Value::Null))
            .collect();
        Renderer {
            config,
            site,
            theme,
            base,
            cards,
        }
    }

    /// Renders every job; all template errors are returned, not just the first.
    pub fn render_all(&self, jobs: &[PageJob]) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let results: Vec<Result<OutputFile, Diagnostic>> =
            jobs.par_iter().map(|job| self.render(job)).collect();
        let mut files = Vec::with_capacity(results.len());
        let mut problems: Vec<Diagnostic> = Vec::new();
        for r in results {
            match r {
                Ok(f) => files.push(f),
                // One broken template fails many pages in the same way: report it once.
                Err(d) if !problems.contains(&d) => problems.push(d),
                Err(_) => {}
            }
        }
        if problems.is_empty() {
            Ok(files)
        } else {
            Err(problems)
        }
    }

    pub fn render(&self, job: &PageJob) -> Result<OutputFile, Diagnostic> {
        let mut ctx = self.base.clone();
        ctx.insert("page_path", &job.path);
        ctx.insert("current_url", &self.config.url(&job.path));
        ctx.insert("canonical", &self.config.permalink(&job.path));
        let template = match &job.kind {
            PageKind::Home { page } => self.home(&mut ctx, *page),
            PageKind::Article(i) => self.article(&mut ctx, *i),
            PageKind::Page(i) => self.page(&mut ctx, *i),
            PageKind::Companies => self.term_index(&mut ctx, "companies", &self.site.companies),
            PageKind::Company { id, page } => self.company(&mut ctx, *id, *page),
            PageKind::Tags => self.term_index(&mut ctx, "tags", &self.site.tags),
            PageKind::Tag { id, page } => {
                self.term_page(&mut ctx, "tags", "tag", &self.site.tags[*id], *page)
            }
            PageKind::NotFound => "404.html",
            PageKind::Asset(name) => name.as_str(),
        };
        let html = self.theme.render(template, &ctx)?;
        Ok(OutputFile::new(job.file(), html.into_bytes()))
    }

    fn home(&self, ctx: &mut Context, page: usize) -> &'static str {
        let all: Vec<usize> = (0..self.site.articles.len()).collect();
        self.list(ctx, "", &all, page);
        "index.html"
    }

    fn article(&self, ctx: &mut Context, i: usize) -> &'static str {
        ctx.insert("article", &article_view(self.config, self.site, i));
        // Newest first: the newer article is before this one, the older after.
        ctx.insert("newer", &i.checked_sub(1).map(|j| &self.cards[j]));
        ctx.insert("older", &self.cards.get(i + 1));
        "article.html"
    }

    fn page(&self, ctx: &mut Context, i: usize) -> &'static str {
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
        "page.html"
    }

    fn company(&self, ctx: &mut Context, id: usize, page: usize) -> &'static str {
        let company = &self.site.companies[id];
        let profile = company.profile.map(|p| &self.site.profiles[p]);
        ctx.insert(
            "profile",
            &profile.map(|p| {
                serde_json::json!({
                    "name": p.name, "aliases": p.aliases, "website": p.website,
                    "founded": p.founded, "headquarters": p.headquarters,
                    "description": p.description_html, "summary_text": p.summary_text,
                })
            }),
        );
        self.term_page(ctx, "companies", "company", company, page)
    }

    fn term_page(
        &self,
        ctx: &mut Context,
        section: &str,
        singular: &str,
        term: &Term,
        page: usize,
    ) -> &'static str {
        let base = format!("{section}/{}/", term.slug);
        ctx.insert(singular, &self.term_summary(section, term));
        self.list(ctx, &base, &term.articles, page);
        if singular == "company" {
            "company.html"
        } else {
            "tag.html"
        }
    }

    fn term_index(&self, ctx: &mut Context, section: &str, terms: &[Term]) -> &'static str {
        let mut list: Vec<TermSummary> = terms
            .iter()
            .map(|t| self.term_summary(section, t))
            .collect();
        list.sort_by(|a, b| {
            b.latest
                .as_ref()
                .map(|d| &d.iso)
                .cmp(&a.latest.as_ref().map(|d| &d.iso))
                .then_with(|| b.article_count.cmp(&a.article_count))
                .then_with(|| a.link.name.to_lowercase().cmp(&b.link.name.to_lowercase()))
        });
        ctx.insert(section, &list);
        if section == "companies" {
            "companies.html"
        } else {
            "tags.html"
        }
    }

    fn term_summary(&self, section: &str, term: &Term) -> TermSummary {
        TermSummary {
            link: term_link(self.config, section, term),
            article_count: term.articles.len(),
            event_count: term.events.len(),
            latest: term
                .articles
                .first()
                .map(|&i| DateView::from(&self.site.articles[i].date)),
        }
    }

    /// Puts page `page` of `items` (article indices) and its paginator in the context.
    fn list(&self, ctx: &mut Context, base: &str, items: &[usize], page: usize) {
        let per = self.config.paginate_by;
        let total_pages = page_count(items.len(), per);
        let start = (page - 1) * per;
        let shown: Vec<&Value> = items
            .iter()
            .skip(start)
            .take(per)
            .map(|&i| &self.cards[i])
            .collect();
        ctx.insert("articles", &shown);
        let url = |n: usize| self.config.url(&pager_path(base, n));
        let window = page.saturating_sub(2).max(1)..=(page + 2).min(total_pages);
        ctx.insert(
            "paginator",
            &Paginator {
                current: page,
                total_pages,
                total_items: items.len(),
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
