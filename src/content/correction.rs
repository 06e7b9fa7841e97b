//! Corrections: `[[corrections]]` with a `date` and a `text` (Markdown), the public record of
//! what an article got wrong and when it was put right. Each is shown on the article, dated,
//! with an anchor; the latest moves the article's `updated` date (so feeds carry the
//! corrected entry), and `/corrections/` lists every one of the site's.

use serde::Deserialize;
use toml::Spanned;

use super::highlight::Highlighter;
use super::unique::UniqueIds;
use crate::date::PostDate;

/// A `[[corrections]]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrection {
    date: Spanned<toml::Value>,
    text: Spanned<String>,
}

/// One correction, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub date: PostDate,
    /// The text as HTML.
    pub html: String,
    /// Its text without markup, for feeds' summaries.
    pub text: String,
    /// Its anchor on the article's page: `correction-2025-01-28`.
    pub anchor: String,
}

/// The article's corrections, oldest first; `problem` places a message at a span of the
/// front matter, `zoned` reads a date in the site's zone; none may be dated before the
/// article (`published`). Every bad entry is reported.
pub fn parse(
    raw: Vec<RawCorrection>,
    highlighter: &Highlighter,
    base_path: &str,
    published: Option<&PostDate>,
    zoned: impl Fn(PostDate) -> PostDate,
    mut problem: impl FnMut(std::ops::Range<usize>, String),
) -> Vec<Correction> {
    let mut found = Vec::with_capacity(raw.len());
    let mut anchors = UniqueIds::default();
    for c in raw {
        let date = match PostDate::from_toml(c.date.get_ref()) {
            Ok(d) => zoned(d),
            Err(m) => {
                problem(c.date.span(), format!("in `[[corrections]]`: {m}"));
                continue;
            }
        };
        if let Some(p) = published.filter(|p| date.date < p.date) {
            problem(
                c.date.span(),
                format!(
                    "in `[[corrections]]`: dated {}, before the article itself ({}); check the date",
                    date.iso(),
                    p.iso()
                ),
            );
            continue;
        }
        let text = c.text.get_ref().trim();
        if text.is_empty() {
            problem(
                c.text.span(),
                "in `[[corrections]]`: `text` is empty: say what was wrong and what is right"
                    .into(),
            );
            continue;
        }
        let rendered = super::markdown::render(text, highlighter, base_path);
        found.push(Correction {
            anchor: anchors.unique(format!("correction-{}", date.iso())),
            date,
            html: rendered.html,
            text: rendered.summary_text,
        });
    }
    found.sort_by_key(|c| c.date.timestamp());
    found
}
