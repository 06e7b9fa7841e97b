//! A company profile from `content/companies/<slug>.md`: name, aliases, website, founding
//! year, headquarters, and a Markdown description.

use serde::Deserialize;
use std::path::{Path, PathBuf};

use super::front_matter;
use super::image::Logo;
use super::markdown;
use super::names::NameList;
use super::RenderEnv;
use crate::error::Diagnostic;
use crate::slug::slugify;

pub const KEYS: &[&str] = &[
    "name",
    "aliases",
    "website",
    "founded",
    "headquarters",
    "logo",
    "extra",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    name: Option<String>,
    #[serde(default)]
    aliases: NameList,
    website: Option<toml::Spanned<String>>,
    founded: Option<toml::Value>,
    headquarters: Option<String>,
    logo: Option<toml::Spanned<String>>,
    extra: Option<toml::Spanned<toml::Value>>,
}

#[derive(Debug, Clone)]
pub struct CompanyProfile {
    pub path: PathBuf,
    /// From the file name: `content/companies/openai.md` -> `openai`.
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub website: Option<String>,
    /// As written: a year, or a date.
    pub founded: Option<String>,
    pub headquarters: Option<String>,
    /// `logo`, checked and measured; `None` without one, or for a profile read without
    /// its place on disk.
    pub logo: Option<Logo>,
    pub description_html: String,
    pub summary_text: String,
    /// `[extra]`: the theme's own fields.
    pub extra: super::extra::Extra,
    /// Links in the body left out for their URL scheme, as problems for `digest check`.
    pub link_problems: Vec<Diagnostic>,
}

/// A profile read without its place on disk (its `logo` is not looked for).
pub fn parse_profile(
    path: &Path,
    text: &str,
    env: &RenderEnv<'_>,
) -> Result<CompanyProfile, Vec<Diagnostic>> {
    parse_profile_in(path, text, env, None)
}

/// A profile of the site in `root` (`None`: read without its place on disk), `path` as
/// shown in messages.
pub fn parse_profile_in(
    path: &Path,
    text: &str,
    env: &RenderEnv<'_>,
    root: Option<&Path>,
) -> Result<CompanyProfile, Vec<Diagnostic>> {
    let split = front_matter::split(path, text).map_err(|d| vec![d])?;
    let fm: FrontMatter = front_matter::parse(path, &split, KEYS).map_err(|d| vec![d])?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = slugify(&stem);
    if slug.is_empty() {
        return Err(vec![Diagnostic::file(
            path,
            "cannot make a slug from this file name; name it like `openai.md`",
        )]);
    }
    let name = match fm.name.map(|n| n.trim().to_string()) {
        Some(n) if !n.is_empty() => n,
        _ => {
            return Err(vec![Diagnostic::at(
                path,
                1,
                1,
                "missing `name` in the company profile: add `name = \"OpenAI\"`",
            )])
        }
    };
    // A problem with a front-matter value, placed at the value.
    let at =
        |span: std::ops::Range<usize>, message: String| vec![split.at(path, span.start, message)];
    if let Some(website) = &fm.website {
        if let Some(message) = super::url::problem("`website`", website.get_ref()) {
            return Err(at(website.span(), message));
        }
    }
    let extra = match &fm.extra {
        Some(e) => super::extra::Extra::from_toml(e.get_ref()).map_err(|m| at(e.span(), m))?,
        None => super::extra::Extra::default(),
    };
    let logo = match (&fm.logo, root) {
        (Some(src), Some(root)) => {
            Some(super::image::logo(src.get_ref(), root).map_err(|m| at(src.span(), m))?)
        }
        _ => None,
    };
    let founded = fm.founded.map(|v| match v {
        toml::Value::String(s) => s,
        other => other.to_string(),
    });
    let rendered = markdown::render(split.body, env.highlighter, env.base_path);
    Ok(CompanyProfile {
        path: path.to_path_buf(),
        slug,
        name,
        aliases: fm.aliases.cleaned(),
        website: fm.website.map(toml::Spanned::into_inner),
        founded,
        headquarters: fm.headquarters,
        logo,
        description_html: rendered.html,
        extra,
        link_problems: super::url::body_problems(path, &split, &rendered.unsafe_links),
        summary_text: rendered.summary_text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::highlight::Highlighter;

    #[test]
    fn a_script_website_is_located() {
        let h = Highlighter::default();
        let env = RenderEnv {
            highlighter: &h,
            base_path: "/",
            taxonomies: &[],
            images: crate::images::Settings::defaults(),
            timezone: &crate::schedule::UTC,
        };
        let text = "+++\nname = \"X\"\nwebsite = \"vbscript:msgbox(1)\"\n+++\n";
        let errs = parse_profile(Path::new("content/companies/x.md"), text, &env).unwrap_err();
        assert_eq!((errs[0].line, errs[0].col), (3, 11), "{}", errs[0]);
        assert!(errs[0].message.contains("`vbscript:`"), "{}", errs[0]);
    }
}
