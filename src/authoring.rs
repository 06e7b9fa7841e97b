//! The editor's everyday commands: `digest init` (a new digest that builds at once),
//! `digest new` (an article with its front matter filled in), and `digest theme eject`
//! (copies of the built-in templates to customise). None of them overwrites a file.

use anyhow::{bail, Context};
use std::path::{Path, PathBuf};

use crate::content::highlight::Highlighter;
use crate::content::{load_profiles, RenderEnv};
use crate::render::templates::BUILTIN;
use crate::slug::{name_key, slugify};

const INIT_CONFIG: &str = include_str!("init/config.toml");
const INIT_ARTICLE: &str = include_str!("init/article.md");
const INIT_PROFILE: &str = include_str!("init/profile.md");
const INIT_GITIGNORE: &str = "/public/\n/.public.*\n/.digest-cache/\n";
const PAGES_WORKFLOW: &str = include_str!("init/pages.yml");

/// Creates a new digest in `dir`; refuses a non-empty folder unless `force`.
pub fn init(dir: &Path, force: bool) -> anyhow::Result<Vec<PathBuf>> {
    if dir.exists() {
        let non_empty = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .next()
            .is_some();
        if non_empty && !force {
            bail!(
                "{} is not empty; choose a new folder, or pass --force to add the starter files (existing files are kept)",
                dir.display()
            );
        }
    }
    let year = crate::date::today().year();
    let files: [(String, &str); 6] = [
        ("config.toml".into(), INIT_CONFIG),
        (format!("content/articles/{year}/welcome.md"), INIT_ARTICLE),
        ("content/companies/openai.md".into(), INIT_PROFILE),
        ("static/.gitkeep".into(), ""),
        (".gitignore".into(), INIT_GITIGNORE),
        (".github/workflows/pages.yml".into(), PAGES_WORKFLOW),
    ];
    let today = crate::date::today_iso();
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        if path.exists() {
            continue; // --force adds what is missing and never overwrites
        }
        write_new(&path, &text.replace("{{today}}", &today))?;
        written.push(path);
    }
    Ok(written)
}

/// What `digest new` writes.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    pub title: String,
    pub companies: Vec<String>,
    pub tags: Vec<String>,
    /// The byline's writers (`authors`).
    pub authors: Vec<String>,
    /// `YYYY-MM-DD`; today when `None`.
    pub date: Option<String>,
    pub draft: bool,
    /// A folder article, `content/articles/YYYY/<slug>/index.md`, for files beside it.
    pub folder: bool,
}

/// Writes `content/articles/YYYY/<slug>.md` (or `.../<slug>/index.md`, a folder article)
/// below `root`; returns its path.
pub fn new_article(root: &Path, article: &NewArticle) -> anyhow::Result<PathBuf> {
    let title = article.title.trim();
    if title.is_empty() {
        bail!("give the article a title: digest new \"Mistral ships a model\"");
    }
    let date = match &article.date {
        Some(d) => {
            let value = toml::Value::String(d.clone());
            crate::date::PostDate::from_toml(&value).map_err(|m| anyhow::anyhow!("--date: {m}"))?;
            d.clone()
        }
        None => crate::date::today_iso(),
    };
    let slug = slugify(title);
    if slug.is_empty() {
        bail!("cannot make a file name from the title \"{title}\"; use letters or digits");
    }
    let year = crate::display_path(root, Path::new("content/articles").join(&date[..4]));
    let single = year.join(format!("{slug}.md"));
    let in_folder = year.join(&slug).join("index.md");
    // Either form would be published at the same URL.
    if let Some(there) = [&single, &in_folder].into_iter().find(|p| p.exists()) {
        bail!(
            "{} exists already; digest new never overwrites a file",
            there.display()
        );
    }
    let path = if article.folder { in_folder } else { single };
    // A site that does not declare `tags` would reject the key: leave it out, and refuse
    // --tag with what to do (a site without config.toml yet gets the default taxonomies).
    let has_tags = crate::config::Config::load(root)
        .map(|c| c.taxonomy("tags").is_some())
        .unwrap_or(true);
    let has_authors = crate::config::Config::load(root)
        .map(|c| c.taxonomy(crate::config::AUTHORS).is_some())
        .unwrap_or(true);
    if !has_authors && !article.authors.is_empty() {
        bail!(
            "this site has no `authors` taxonomy, so --author has nowhere to go; declare it in config.toml ([[taxonomies]] name = \"authors\") or leave --author out"
        );
    }
    if !has_tags && !article.tags.is_empty() {
        bail!(
            "this site has no `tags` taxonomy, so --tag has nowhere to go; declare it in config.toml ([[taxonomies]] name = \"tags\") or leave --tag out"
        );
    }
    let companies = match_profiles(root, &article.companies);
    let mut text = format!(
        "+++\ntitle = {}\ndate = {date}\nsummary = \"\"\n",
        toml_string(title)
    );
    text.push_str(&format!("companies = {}\n", toml_list(&companies)));
    if has_tags {
        text.push_str(&format!("tags = {}\n", toml_list(&article.tags)));
    }
    if !article.authors.is_empty() {
        text.push_str(&format!("authors = {}\n", toml_list(&article.authors)));
    }
    if article.draft {
        text.push_str("draft = true\n");
    }
    text.push_str("\n# [[sources]]\n# title = \"Publisher: headline\"\n# url = \"https://...\"\n\n# [[events]]\n# date = ");
    text.push_str(&date);
    text.push_str("\n# title = \"What happened\"\n\n# [image]");
    text.push_str(if article.folder {
        "\n# src = \"lead.jpg\"   # a file in this folder, or a path under static/: \"/img/x.jpg\""
    } else {
        "\n# src = \"/img/lead.jpg\"   # under static/ (a folder article, --folder, keeps it beside)"
    });
    text.push_str(
        "\n# alt = \"What the picture shows\"\n# caption = \"\"\n# credit = \"Photo: ...\"\n+++\nWrite the story here.\n",
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// Each name as its profile spells it, when a profile's name or alias matches.
fn match_profiles(root: &Path, names: &[String]) -> Vec<String> {
    let highlighter = Highlighter::default();
    let env = RenderEnv {
        highlighter: &highlighter,
        base_path: "/",
        taxonomies: &[],
        images: crate::images::Settings::defaults(),
        timezone: &crate::schedule::UTC,
    };
    let profiles = load_profiles(root, &env).unwrap_or_default();
    names
        .iter()
        .map(|name| {
            let key = name_key(name);
            profiles
                .iter()
                .find(|p| name_key(&p.name) == key || p.aliases.iter().any(|a| name_key(a) == key))
                .map_or_else(|| name.trim().to_string(), |p| p.name.clone())
        })
        .collect()
}

/// Copies built-in templates (all, or those named) into `root/templates/`. A file that is
/// already there is kept: `(written, kept)`.
pub fn eject(root: &Path, names: &[String]) -> anyhow::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    for name in names {
        if !BUILTIN.iter().any(|(n, _)| n == name) {
            let known: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            bail!(
                "no built-in template is called {name}; there are: {}",
                known.join(", ")
            );
        }
    }
    let (mut written, mut kept) = (Vec::new(), Vec::new());
    for (name, text) in BUILTIN
        .iter()
        .filter(|(n, _)| names.is_empty() || names.iter().any(|m| m == n))
    {
        let path = crate::display_path(root, Path::new("templates").join(name));
        if path.exists() {
            kept.push(path);
        } else {
            write_new(&path, text)?;
            written.push(path);
        }
    }
    Ok((written, kept))
}

fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| toml_string(s.trim())).collect();
    format!("[{}]", quoted.join(", "))
}
