//! An editor's intro to an edition, from `content/editions/<key>.md` where the file name
//! is the edition's period (`2025-W05`, or `2025-01` for monthly editions): an optional
//! `title` and a Markdown body shown above the generated roundup.

use serde::Deserialize;
use std::path::{Path, PathBuf};

use super::front_matter;
use super::markdown;
use super::RenderEnv;
use crate::error::Diagnostic;

pub const KEYS: &[&str] = &["title"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Option<String>,
}

#[derive(Debug, Clone)]
pub struct EditionIntro {
    pub path: PathBuf,
    /// The file name without `.md`: the edition it introduces.
    pub key: String,
    /// The edition's headline, when the editor gave one.
    pub title: Option<String>,
    pub body_html: String,
    /// A hash of the file's text, for incremental rebuilds.
    pub source_hash: u64,
    /// Links in the body left out for their URL scheme, as problems for `digest check`.
    pub link_problems: Vec<Diagnostic>,
}

pub fn parse_edition_intro(
    path: &Path,
    text: &str,
    env: &RenderEnv<'_>,
) -> Result<EditionIntro, Vec<Diagnostic>> {
    let split = front_matter::split(path, text).map_err(|d| vec![d])?;
    let fm: FrontMatter = front_matter::parse(path, &split, KEYS).map_err(|d| vec![d])?;
    let key = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rendered = markdown::render(split.body, env.highlighter, env.base_path);
    Ok(EditionIntro {
        path: path.to_path_buf(),
        key,
        title: fm
            .title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        body_html: rendered.html,
        link_problems: super::url::body_problems(path, &split, &rendered.unsafe_links),
        source_hash: crate::hash::of(&text),
    })
}
