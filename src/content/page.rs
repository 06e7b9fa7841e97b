//! A standalone page from `content/pages/<slug>.md` (About, Contact...), served at `/<slug>/`.

use serde::Deserialize;
use std::path::{Path, PathBuf};

use super::front_matter;
use super::markdown;
use super::RenderEnv;
use crate::error::Diagnostic;
use crate::slug::slugify;

pub const KEYS: &[&str] = &["title", "summary", "slug", "draft", "aliases", "extra"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Option<String>,
    summary: Option<String>,
    slug: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    aliases: Vec<toml::Spanned<String>>,
    extra: Option<toml::Spanned<toml::Value>>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub path: PathBuf,
    pub slug: String,
    pub title: String,
    pub summary_text: String,
    pub body_html: String,
    pub draft: bool,
    /// Its old addresses (`aliases`), each published as a redirect to it.
    pub aliases: Vec<super::alias::Alias>,
    /// `[extra]`: the theme's own fields.
    pub extra: super::extra::Extra,
    /// Links in the body left out for their URL scheme, as problems for `digest check`.
    pub link_problems: Vec<Diagnostic>,
}

impl Page {
    pub fn path_in_site(&self) -> String {
        format!("{}/", self.slug)
    }
}

pub fn parse_page(path: &Path, text: &str, env: &RenderEnv<'_>) -> Result<Page, Vec<Diagnostic>> {
    let split = front_matter::split(path, text).map_err(|d| vec![d])?;
    let fm: FrontMatter = front_matter::parse(path, &split, KEYS).map_err(|d| vec![d])?;
    let Some(title) = fm
        .title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
    else {
        return Err(vec![Diagnostic::at(
            path,
            1,
            1,
            "missing `title` in the front matter: add `title = \"About\"`",
        )]);
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = slugify(fm.slug.as_deref().unwrap_or(&stem));
    if slug.is_empty() {
        return Err(vec![Diagnostic::at(
            path,
            1,
            1,
            "cannot make a URL slug for this page: add `slug = \"about\"`",
        )]);
    }
    let at = |span: std::ops::Range<usize>, message: String| split.at(path, span.start, message);
    let aliases = super::alias::aliases(&fm.aliases, path, at)?;
    let extra = match &fm.extra {
        Some(e) => {
            super::extra::Extra::from_toml(e.get_ref()).map_err(|m| vec![at(e.span(), m)])?
        }
        None => super::extra::Extra::default(),
    };
    let rendered = markdown::render(split.body, env.highlighter, env.base_path);
    Ok(Page {
        aliases,
        extra,
        path: path.to_path_buf(),
        slug,
        title,
        summary_text: fm.summary.unwrap_or(rendered.summary_text),
        body_html: rendered.html,
        link_problems: super::url::body_problems(path, &split, &rendered.unsafe_links),
        draft: fm.draft,
    })
}
