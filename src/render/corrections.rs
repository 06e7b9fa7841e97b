//! `/corrections/` and its feed: every correction of the site's articles, newest first,
//! each with the article it corrects.

use serde::Serialize;
use serde_json::Value;
use tera::Context;

use super::feeds::{FeedEntry, FeedView};
use super::plan::CORRECTIONS;
use super::renderer::Renderer;
use super::views::CorrectionView;
use crate::content::correction::Correction;
use crate::date::DateView;
use crate::site::Site;

/// Every correction with its article's index, newest first (then by article order).
pub fn corrected(site: &Site) -> Vec<(usize, &Correction)> {
    let mut all: Vec<(usize, &Correction)> = site
        .articles
        .iter()
        .enumerate()
        .flat_map(|(i, a)| a.corrections.iter().map(move |c| (i, c)))
        .collect();
    all.sort_by_key(|(i, c)| (std::cmp::Reverse(c.date.timestamp()), *i));
    all
}

/// One correction on `/corrections/`: the correction, and the article's card (`article`).
#[derive(Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    correction: CorrectionView<'a>,
    article: Value,
}

/// A correction as a feed entry's head, shaped like an article card.
#[derive(Serialize)]
struct FeedHead {
    /// `Correction: <the article's title>`
    title: String,
    /// The correction on the article's page, also the entry's Atom id.
    permalink: String,
    date: DateView,
    /// The article's companies, as its card has them.
    companies: Value,
    summary_text: String,
}

impl Renderer<'_> {
    /// `corrections`: the list, newest first.
    pub(super) fn corrections(&self, ctx: &mut Context) {
        let listed: Vec<Listed> = corrected(self.site)
            .into_iter()
            .map(|(i, c)| Listed {
                correction: CorrectionView::of(self.config, &self.site.articles[i], c),
                article: self.card_copy(i),
            })
            .collect();
        ctx.insert("corrections", &listed);
    }

    /// The corrections' feed: the newest `feed_limit`, each its own entry.
    pub(super) fn corrections_feed(&self, ctx: &mut Context, path: &str) {
        let shown: Vec<(usize, &Correction)> = corrected(self.site)
            .into_iter()
            .take(self.config.feed_limit)
            .collect();
        let entries: Vec<FeedEntry> = shown
            .iter()
            .map(|&(i, c)| {
                let a = &self.site.articles[i];
                let view = CorrectionView::of(self.config, a, c);
                let card = self.card_copy(i);
                let head = FeedHead {
                    title: format!("Correction: {}", a.title),
                    permalink: view.permalink,
                    date: DateView::from(&c.date),
                    companies: card.get("companies").cloned().unwrap_or(Value::Null),
                    summary_text: c.text.clone(),
                };
                FeedEntry {
                    article: serde_json::to_value(head).unwrap_or(Value::Null),
                    content: &c.html,
                    updated: c.date.rfc3339(),
                }
            })
            .collect();
        let updated = entries
            .first()
            .map_or_else(|| "1970-01-01T00:00:00Z".into(), |e| e.updated.clone());
        ctx.insert(
            "feed",
            &FeedView {
                title: format!("{}: corrections", self.config.title),
                page_url: self.config.permalink(CORRECTIONS),
                feed_url: self.config.permalink(path),
                updated,
                entries,
            },
        );
    }
}
