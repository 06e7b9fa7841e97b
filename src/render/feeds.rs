//! Atom feeds for the site, each company and each term of a taxonomy with feeds, holding the newest `feed_limit`
//! articles (never the whole archive), with their full content.

use serde::Serialize;
use serde_json::Value;
use tera::Context;

use super::plan::{term_path, Feed};
use super::renderer::Renderer;
use crate::config::{Config, COMPANIES};
use crate::site::Site;

/// A feed, as `feed` in `atom.xml`.
#[derive(Serialize)]
pub(super) struct FeedView<'a> {
    pub title: String,
    /// The HTML page this feed follows.
    pub page_url: String,
    /// The feed's own absolute URL, also its Atom id.
    pub feed_url: String,
    /// RFC 3339: the newest entry's date, or the Unix epoch for an empty feed.
    pub updated: String,
    pub entries: Vec<FeedEntry<'a>>,
}

#[derive(Serialize)]
pub(super) struct FeedEntry<'a> {
    /// What the entry is about, shaped like an article card (title, permalink, date,
    /// companies, summary_text).
    pub article: Value,
    /// The entry's HTML (escaped by the template into Atom's `type="html"`).
    pub content: &'a str,
    pub updated: String,
}

/// What a feed of articles holds: its title, the page it follows (a path in the site) and
/// its entries, the newest `feed_limit` articles; for rendering it and for its fingerprint
/// alike.
pub struct FeedItems<'s> {
    pub title: String,
    pub page: String,
    pub articles: &'s [usize],
}

/// What feed `feed` holds (`all`: every article index, newest first); `None` for the
/// editions' feed, which holds editions.
pub fn feed_items<'s>(
    config: &Config,
    site: &'s Site,
    all: &'s [usize],
    feed: Feed,
) -> Option<FeedItems<'s>> {
    let (title, page, articles): (String, String, &[usize]) = match feed {
        Feed::Editions | Feed::Corrections => return None,
        Feed::Site => (config.title.clone(), String::new(), all),
        Feed::Company(id) => {
            let c = &site.companies[id];
            (
                format!("{}: {}", config.title, c.name),
                term_path(COMPANIES, &c.slug),
                &c.articles,
            )
        }
        Feed::Term { tax, id } => {
            let group = &site.taxonomies[tax];
            let t = &group.terms[id];
            (
                format!("{}: {}", config.title, t.name),
                term_path(&group.name, &t.slug),
                &t.articles,
            )
        }
    };
    Some(FeedItems {
        title,
        page,
        articles: &articles[..articles.len().min(config.feed_limit)],
    })
}

impl Renderer<'_> {
    pub(super) fn feed(&self, ctx: &mut Context, feed: Feed, path: &str) {
        let site = self.site;
        let Some(FeedItems {
            title,
            page,
            articles: indices,
        }) = feed_items(self.config, site, &self.all, feed)
        else {
            return match feed {
                Feed::Corrections => self.corrections_feed(ctx, path),
                _ => self.editions_feed(ctx, path),
            };
        };
        let entries: Vec<FeedEntry> = indices
            .iter()
            .map(|&i| {
                let a = &site.articles[i];
                FeedEntry {
                    article: self.card_copy(i),
                    content: &a.body_html,
                    updated: a.updated.unwrap_or(a.date).rfc3339(),
                }
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
                title,
                page_url: self.config.permalink(&page),
                feed_url: self.config.permalink(path),
                updated,
                entries,
            },
        );
    }
}
