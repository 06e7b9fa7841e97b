//! `[[taxonomies]]` and `[editions]` in `config.toml`: the named lists articles are grouped
//! by (companies, tags, models, people...) and the period of the edition roundups.
//!
//! Companies are always a taxonomy, the first one: their pages carry profiles, timelines and
//! charts. Declaring `[[taxonomies]] name = "companies"` only sets its title, pagination
//! and feed. Without any `[[taxonomies]]`, a site gets [`DEFAULTS`].

use serde::Deserialize;

/// The taxonomy every digest has, with its richer pages.
pub const COMPANIES: &str = "companies";

/// The taxonomy of bylines: `authors = ["Jane Doe"]` (see `ArticleCard::authors`).
pub const AUTHORS: &str = "authors";

/// What a site without `[[taxonomies]]` declares: (name, title, feed).
pub const DEFAULTS: &[(&str, &str, bool)] = &[
    (COMPANIES, "Companies", true),
    ("tags", "Topics", true),
    ("models", "Models", false),
    ("people", "People", false),
    (AUTHORS, "Authors", true),
];

/// Top-level URL segments of the theme's own pages: no taxonomy may take one.
pub const RESERVED_SEGMENTS: &[&str] = &[
    "page", "timeline", "search", "static", "editions", "atom.xml",
];

/// A `[[taxonomies]]` entry as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTaxonomy {
    name: String,
    title: Option<String>,
    paginate_by: Option<usize>,
    #[serde(default)]
    feed: Option<bool>,
}

/// One declared taxonomy: its front-matter key and URL segment, its title, how many
/// articles a term's page lists, and whether each term gets an Atom feed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Taxonomy {
    pub name: String,
    pub title: String,
    pub paginate_by: usize,
    pub feed: bool,
}

/// How long an edition runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// ISO weeks, Monday to Sunday: `/editions/2025-W05/`.
    #[default]
    Week,
    /// Calendar months: `/editions/2025-01/`.
    Month,
}

/// `[editions]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEditions {
    #[serde(default)]
    pub period: Period,
    /// Edition roundups are generated unless `enabled = false`.
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for RawEditions {
    fn default() -> Self {
        RawEditions {
            period: Period::Week,
            enabled: true,
        }
    }
}

fn yes() -> bool {
    true
}

/// Checks the declared taxonomies; `at(needle, message)` makes an error located at the
/// first occurrence of `needle` in config.toml.
pub(super) fn check(
    raw: Option<Vec<RawTaxonomy>>,
    paginate_by: usize,
    at: impl Fn(&str, String) -> crate::error::Diagnostic,
) -> Result<Vec<Taxonomy>, crate::error::Diagnostic> {
    let Some(raw) = raw else {
        return Ok(DEFAULTS
            .iter()
            .map(|&(name, title, feed)| Taxonomy {
                name: name.into(),
                title: title.into(),
                paginate_by,
                feed,
            })
            .collect());
    };
    let mut out: Vec<Taxonomy> = Vec::with_capacity(raw.len() + 1);
    for t in raw {
        let name = t.name.trim().to_string();
        let needle = format!("\"{}\"", t.name);
        if name.is_empty() || crate::slug::slugify(&name) != name {
            return Err(at(
                &needle,
                format!(
                    "taxonomy name \"{name}\" must be a URL slug (lowercase letters, digits, hyphens), e.g. \"{}\"",
                    crate::slug::slugify(&name)
                ),
            ));
        }
        if RESERVED_SEGMENTS.contains(&name.as_str()) || name.chars().all(|c| c.is_ascii_digit()) {
            return Err(at(
                &needle,
                format!(
                    "taxonomy name \"{name}\" is taken by the theme's own pages; choose another"
                ),
            ));
        }
        if out.iter().any(|o| o.name == name) {
            return Err(at(
                &needle,
                format!(
                    "taxonomy \"{name}\" is declared twice; keep one `[[taxonomies]]` entry for it"
                ),
            ));
        }
        if t.paginate_by == Some(0) {
            return Err(at(
                &needle,
                format!("taxonomy \"{name}\": `paginate_by` must be at least 1"),
            ));
        }
        let is_companies = name == COMPANIES;
        out.push(Taxonomy {
            title: t.title.unwrap_or_else(|| title_case(&name)),
            paginate_by: t.paginate_by.unwrap_or(paginate_by),
            feed: t.feed.unwrap_or(is_companies),
            name,
        });
    }
    // Companies first, always there.
    match out.iter().position(|t| t.name == COMPANIES) {
        Some(i) => {
            let companies = out.remove(i);
            out.insert(0, companies);
        }
        None => out.insert(
            0,
            Taxonomy {
                name: COMPANIES.into(),
                title: "Companies".into(),
                paginate_by,
                feed: true,
            },
        ),
    }
    Ok(out)
}

/// `"open-models"` -> `"Open models"`.
fn title_case(name: &str) -> String {
    let spaced = name.replace('-', " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
