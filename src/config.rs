//! `config.toml`: the site's settings, checked strictly (an unknown key is an error naming
//! the key and its line), with the base URL split into the origin and the path prefix every
//! internal link carries.

mod keys;
mod taxonomies;

use serde::Deserialize;
use std::path::{Path, PathBuf};

pub use taxonomies::{Period, Taxonomy, AUTHORS, COMPANIES, DEFAULTS, RESERVED_SEGMENTS};

use crate::content::front_matter::nearest;
use crate::error::Diagnostic;

/// Keys accepted in `config.toml`, for suggestions on a typo.
const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "author",
    "output_dir",
    "paginate_by",
    "feed_limit",
    "cname",
    "taxonomies",
    "editions",
    "images",
    "timezone",
    "redirects",
    "extra",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    #[serde(default)]
    description: String,
    base_url: Option<String>,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    author: String,
    #[serde(default = "default_output_dir")]
    output_dir: PathBuf,
    #[serde(default = "default_paginate_by")]
    paginate_by: usize,
    #[serde(default = "default_feed_limit")]
    feed_limit: usize,
    cname: Option<String>,
    taxonomies: Option<Vec<taxonomies::RawTaxonomy>>,
    #[serde(default)]
    editions: taxonomies::RawEditions,
    #[serde(default)]
    images: crate::images::settings::RawSettings,
    timezone: Option<toml::Spanned<String>>,
    #[serde(default)]
    redirects: std::collections::BTreeMap<String, toml::Spanned<String>>,
    extra: Option<toml::Spanned<toml::Value>>,
}

fn default_feed_limit() -> usize {
    50
}

fn default_language() -> String {
    "en".into()
}

fn default_output_dir() -> PathBuf {
    "public".into()
}

fn default_paginate_by() -> usize {
    10
}

/// The site's settings, validated.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// `https://example.github.io/ai-digest/`, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`: `/ai-digest/` or `/`.
    pub base_path: String,
    pub language: String,
    pub author: String,
    /// Where output goes, relative to the site root unless absolute.
    pub output_dir: PathBuf,
    pub paginate_by: usize,
    /// Entries per Atom feed (the newest); feeds never hold the whole archive.
    pub feed_limit: usize,
    /// A custom domain for GitHub Pages, written to `CNAME` (when publishing from a branch).
    pub cname: Option<String>,
    /// The declared taxonomies, companies first.
    pub taxonomies: Vec<Taxonomy>,
    /// How long an edition runs; `None` when editions are turned off.
    pub editions: Option<Period>,
    /// `[images]`: the widths and quality of responsive image variants.
    pub images: crate::images::Settings,
    /// `timezone`: where dates written without an offset are read (UTC when unset).
    pub timezone: crate::schedule::Timezone,
    /// `[redirects]`: old addresses and where each now is, a site path (`/new/`) or a URL.
    pub redirects: Vec<(crate::content::alias::Alias, String)>,
    /// `[extra]`: the theme's own settings, as `site.extra`.
    pub extra: crate::content::extra::Extra,
}

impl Config {
    /// Reads `config.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = crate::display_path(root, "config.toml");
        let text = std::fs::read(root.join("config.toml")).map_err(|e| {
            Diagnostic::file(
                &path,
                format!(
                    "cannot read the site's config.toml ({e}); run digest in a site's folder or pass --root DIR"
                ),
            )
        })
        .map_err(|d| vec![d])?;
        let text = String::from_utf8(text).map_err(|_| {
            vec![Diagnostic::file(
                &path,
                "config.toml is not valid UTF-8 text",
            )]
        })?;
        crate::content::controls::check(&path, &text).map_err(|d| vec![d])?;
        Self::parse(&path, &crate::content::front_matter::normalize(&text))
    }

    /// Parses the text of a config file; `path` names it in errors. Every unknown key is
    /// reported; other problems one at a time.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let unknown = keys::unknown(text, KEYS);
        if unknown.is_empty() {
            return Self::parse_known(path, text).map_err(|d| vec![d]);
        }
        let offsets: Vec<usize> = unknown.iter().map(|(offset, _)| *offset).collect();
        let positions = crate::content::positions::line_cols(text, &offsets);
        Err(unknown
            .into_iter()
            .zip(positions)
            .map(|((_, message), (line, col))| Diagnostic::at(path, line, col, message))
            .collect())
    }

    /// [`Config::parse`] for a text whose keys are all known.
    fn parse_known(path: &Path, text: &str) -> Result<Config, Diagnostic> {
        if text.trim().is_empty() {
            return Err(Diagnostic::file(
                path,
                "config.toml is empty: add at least `title = \"...\"` and `base_url = \"https://...\"`",
            ));
        }
        let raw: RawConfig = toml::from_str(text).map_err(|err| {
            let offset = err.span().map_or(0, |s| s.start);
            Diagnostic::at_offset(path, text, offset, 1, explain(err.message()))
        })?;
        let missing = |key: &str, example: &str| {
            Diagnostic::file(path, format!("missing `{key}`: add `{key} = {example}`"))
        };
        let title = raw
            .title
            .ok_or_else(|| missing("title", "\"My AI digest\""))?;
        let base_url = raw
            .base_url
            .ok_or_else(|| missing("base_url", "\"https://example.com/\""))?;
        let (base_url, base_path) = split_base_url(&base_url).map_err(|m| {
            let offset = text.find("base_url").unwrap_or(0);
            Diagnostic::at_offset(path, text, offset, 1, m)
        })?;
        if raw.paginate_by == 0 {
            let offset = text.find("paginate_by").unwrap_or(0);
            return Err(Diagnostic::at_offset(
                path,
                text,
                offset,
                1,
                "`paginate_by` must be at least 1",
            ));
        }
        let taxonomies = taxonomies::check(raw.taxonomies, raw.paginate_by, |needle, m| {
            let offset = text.find(needle).unwrap_or(0);
            Diagnostic::at_offset(path, text, offset, 1, m)
        })?;
        let images = raw.images.check().map_err(|(key, m)| {
            let offset = text
                .find("[images]")
                .and_then(|at| text[at..].find(key).map(|k| at + k))
                .unwrap_or(0);
            Diagnostic::at_offset(path, text, offset, 1, m)
        })?;
        let timezone = match &raw.timezone {
            Some(name) => crate::schedule::Timezone::named(name.get_ref())
                .map_err(|m| Diagnostic::at_offset(path, text, name.span().start, 1, m))?,
            None => crate::schedule::Timezone::utc(),
        };
        let redirects = redirects(path, text, &raw.redirects)?;
        let extra = match &raw.extra {
            Some(e) => crate::content::extra::Extra::from_toml(e.get_ref())
                .map_err(|m| Diagnostic::at_offset(path, text, e.span().start, 1, m))?,
            None => crate::content::extra::Extra::default(),
        };
        Ok(Config {
            extra,
            redirects,
            timezone,
            taxonomies,
            images,
            editions: raw.editions.enabled.then_some(raw.editions.period),
            title,
            description: raw.description,
            base_url,
            base_path,
            language: raw.language,
            author: raw.author,
            output_dir: raw.output_dir,
            paginate_by: raw.paginate_by,
            feed_limit: raw.feed_limit.max(1),
            cname: raw
                .cname
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty()),
        })
    }

    /// Replaces the base URL, as `--base-url` does for previews.
    pub fn with_base_url(mut self, url: &str) -> Result<Config, String> {
        let (base_url, base_path) = split_base_url(url)?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(self)
    }

    /// The declared taxonomy called `name`.
    pub fn taxonomy(&self, name: &str) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.name == name)
    }

    /// The companies taxonomy: always declared, always first (`config/taxonomies.rs`).
    pub fn companies(&self) -> &Taxonomy {
        &self.taxonomies[0]
    }

    /// The taxonomies other than companies, in declared order.
    pub fn term_taxonomies(&self) -> &[Taxonomy] {
        &self.taxonomies[1..]
    }

    /// The names of [`Config::term_taxonomies`]: the front-matter keys they add.
    pub fn term_taxonomy_names(&self) -> Vec<String> {
        self.term_taxonomies()
            .iter()
            .map(|t| t.name.clone())
            .collect()
    }

    /// The site-internal link for `path` (`2025/01/x/` -> `/ai-digest/2025/01/x/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }

    /// The absolute URL for `path`, for feeds, canonical links and sitemaps.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }
}

/// `[redirects]`, checked: each old address (a key) as an alias placed at its line, and
/// its target, a path from the site's root (`/new/`) or an `http(s)://` URL.
fn redirects(
    path: &Path,
    text: &str,
    raw: &std::collections::BTreeMap<String, toml::Spanned<String>>,
) -> Result<Vec<(crate::content::alias::Alias, String)>, Diagnostic> {
    let mut found = Vec::with_capacity(raw.len());
    for (from, to) in raw {
        // The key's line is the value's: keys carry no span of their own here.
        let (line, _) = crate::error::line_col(text, to.span().start);
        let at = |m: String| Diagnostic::at(path, line, 1, m);
        let file = crate::content::alias::file_of(from.trim())
            .map_err(|m| at(format!("in `[redirects]`: {m}")))?;
        let target = to.get_ref().trim();
        let is_url = target.starts_with("https://") || target.starts_with("http://");
        if !(is_url || target.starts_with('/'))
            || target.chars().any(|c| c.is_whitespace() || c == '"')
        {
            let (l, c) = crate::error::line_col(text, to.span().start);
            return Err(Diagnostic::at(
                path,
                l,
                c,
                format!("in `[redirects]`: `{target}` is not where a page is: write a path from the site's root (\"/2025/01/new-slug/\") or a URL (\"https://...\")"),
            ));
        }
        found.push((
            crate::content::alias::Alias {
                file,
                written: from.trim().to_string(),
                source: path.to_path_buf(),
                line,
                col: 1,
            },
            target.to_string(),
        ));
    }
    Ok(found)
}

/// `https://x.github.io/ai-digest` -> (`https://x.github.io/ai-digest/`, `/ai-digest/`).
fn split_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("`base_url` must start with https:// or http://, e.g. \"https://example.com/\" (found \"{url}\")")
        })?;
    let host_end = rest.find('/').unwrap_or(rest.len());
    if host_end == 0 {
        return Err(format!("`base_url` \"{url}\" has no host name"));
    }
    let path = format!("/{}", rest[host_end..].trim_matches('/'));
    let path = if path == "/" {
        path
    } else {
        format!("{path}/")
    };
    let base = format!("{}{}", &url[..url.len() - rest.len() + host_end], path);
    Ok((base, path))
}

fn explain(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        let hint = nearest(key, KEYS).map_or(String::new(), |k| format!(" did you mean `{k}`?"));
        return format!(
            "unknown key `{key}` in config.toml;{hint} (known keys: {})",
            KEYS.join(", ")
        );
    }
    format!("invalid config.toml: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(Path::new("config.toml"), text).map_err(|mut ds| ds.remove(0))
    }

    #[test]
    fn splits_base_url_with_sub_path() {
        let c = parse("title = \"t\"\nbase_url = \"https://u.github.io/ai-digest\"").unwrap();
        assert_eq!(c.base_url, "https://u.github.io/ai-digest/");
        assert_eq!(c.base_path, "/ai-digest/");
        assert_eq!(c.url("/2025/01/x/"), "/ai-digest/2025/01/x/");
        assert_eq!(
            c.permalink("atom.xml"),
            "https://u.github.io/ai-digest/atom.xml"
        );
    }

    #[test]
    fn root_base_url_has_root_path() {
        let c = parse("title = \"t\"\nbase_url = \"https://example.com\"").unwrap();
        assert_eq!(
            (c.base_url.as_str(), c.base_path.as_str()),
            ("https://example.com/", "/")
        );
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert_eq!(c.paginate_by, 10);
    }

    #[test]
    fn unknown_key_names_key_line_and_suggestion() {
        let e = parse("title = \"t\"\nbase_url = \"https://e.com\"\npaginate = 3\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(
            e.message.contains("unknown key `paginate`"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("did you mean `paginate_by`?"),
            "{}",
            e.message
        );
    }

    #[test]
    fn every_unknown_key_is_reported_at_its_own_line() {
        let text = "title = \"t\"\ntitel = 1\nbase_url = \"https://e.com\"\n  paginate = 3\n[editions]\nperiod = \"week\"\nenable = true\n";
        let errs = Config::parse(Path::new("config.toml"), text).unwrap_err();
        let shown: Vec<String> = errs.iter().map(|d| d.to_string()).collect();
        assert_eq!(shown.len(), 3, "{shown:#?}");
        assert!(
            shown[0].starts_with(
                "config.toml:2:1: unknown key `titel` in config.toml; did you mean `title`?"
            ),
            "{shown:#?}"
        );
        assert!(
            shown[1].starts_with("config.toml:4:3: unknown key `paginate`"),
            "{shown:#?}"
        );
        assert!(shown[2].starts_with("config.toml:7:1: unknown key `enable` in a `[editions]` table; did you mean `enabled`?"), "{shown:#?}");
    }

    #[test]
    fn taxonomies_default_and_declared() {
        let c = parse("title = \"t\"\nbase_url = \"https://e.com\"").unwrap();
        let names: Vec<&str> = c.taxonomies.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["companies", "tags", "models", "people", "authors"]);
        let c = parse(
            "title = \"t\"\nbase_url = \"https://e.com\"\n[[taxonomies]]\nname = \"labs\"\npaginate_by = 2\nfeed = true\n",
        )
        .unwrap();
        let labs = c.taxonomy("labs").unwrap();
        assert_eq!(
            (labs.title.as_str(), labs.paginate_by, labs.feed),
            ("Labs", 2, true)
        );
        assert_eq!(
            c.taxonomies[0].name, "companies",
            "companies always come first"
        );
        assert_eq!(c.term_taxonomies().len(), 1);
    }

    #[test]
    fn bad_taxonomy_names_point_at_their_line() {
        let e = parse(
            "title = \"t\"\nbase_url = \"https://e.com\"\n[[taxonomies]]\nname = \"timeline\"\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("taken by the theme"), "{}", e.message);
        let e = parse(
            "title = \"t\"\nbase_url = \"https://e.com\"\n[[taxonomies]]\nname = \"Big Labs\"\n",
        )
        .unwrap_err();
        assert!(e.message.contains("\"big-labs\""), "{}", e.message);
    }

    #[test]
    fn editions_period() {
        let c =
            parse("title = \"t\"\nbase_url = \"https://e.com\"\n[editions]\nperiod = \"month\"\n")
                .unwrap();
        assert_eq!(c.editions, Some(Period::Month));
        let c = parse("title = \"t\"\nbase_url = \"https://e.com\"").unwrap();
        assert_eq!(c.editions, Some(Period::Week), "weekly editions by default");
        let c = parse("title = \"t\"\nbase_url = \"https://e.com\"\n[editions]\nenabled = false\n")
            .unwrap();
        assert_eq!(c.editions, None);
    }

    #[test]
    fn empty_and_incomplete_configs_are_explained() {
        assert!(parse("")
            .unwrap_err()
            .message
            .contains("config.toml is empty"));
        assert!(parse("title = \"t\"")
            .unwrap_err()
            .message
            .contains("missing `base_url`"));
        assert!(parse("title = \"t\"\nbase_url = \"example.com\"")
            .unwrap_err()
            .message
            .contains("https://"));
    }
}
