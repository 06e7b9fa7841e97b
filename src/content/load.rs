//! Finding and reading every content file in parallel, collecting every problem found so
//! that one run reports all bad files at once.

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::article::{parse_article_in, Article};
use super::edition::{parse_edition_intro, EditionIntro};
use super::front_matter::normalize;
use super::image::{folder_of, Place};
use super::page::{parse_page, Page};
use super::profile::{parse_profile_in, CompanyProfile};
use super::RenderEnv;
use crate::config::Period;
use crate::error::{line_col, Diagnostic};

/// Everything under `content/`, parsed and rendered: the input of the site model.
#[derive(Debug, Default)]
pub struct Content {
    pub articles: Vec<Arc<Article>>,
    pub profiles: Vec<CompanyProfile>,
    pub pages: Vec<Page>,
    /// The declared taxonomies other than companies, in order.
    pub taxonomies: Vec<String>,
    pub edition_intros: Vec<EditionIntro>,
    /// How long an edition runs; `None` when editions are off.
    pub editions: Option<Period>,
}

/// Every article file under `content/articles`, keyed by its path on disk, each parsed or
/// with its problems; and the problems of walking the folder itself.
pub type ArticleFiles = BTreeMap<PathBuf, Result<Arc<Article>, Vec<Diagnostic>>>;

pub fn load_articles(root: &Path, env: &RenderEnv<'_>) -> (ArticleFiles, Vec<Diagnostic>) {
    let (mut files, walk_problems) = find_markdown(root, ARTICLES);
    // The Markdown files inside a folder article are its files, not articles.
    let folders: std::collections::HashSet<PathBuf> = files
        .iter()
        .filter_map(|(full, _)| folder_of(root, full).map(Path::to_path_buf))
        .collect();
    files.retain(|(full, _)| {
        !full
            .ancestors()
            .skip(1)
            .any(|dir| folders.contains(dir) && *full != dir.join("index.md"))
    });
    crate::progress::start(crate::progress::Phase::Reading, files.len());
    let parse = |full: &PathBuf, shown: &PathBuf, text: Result<String, Diagnostic>| {
        let result = text
            .map_err(|d| vec![d])
            .and_then(|text| {
                let place = Place { root, file: full };
                parse_article_in(shown, &normalize(&text), env, Some(&place))
            })
            .map(Arc::new);
        crate::progress::step();
        (full.clone(), result)
    };
    let parsed: Vec<_> = if files.len() <= WARM_UP_LIMIT {
        // On a small site, compiling a language's grammar on first use (30-40 ms for
        // bash or python) is most of the build: read everything first, then compile every
        // language seen in a code fence on its own thread while the articles parse.
        let texts: Vec<Result<String, Diagnostic>> = files
            .par_iter()
            .map(|(full, shown)| read_text(full, shown))
            .collect();
        let languages = fence_languages(texts.iter().flatten().map(String::as_str));
        rayon::join(
            || {
                languages
                    .par_iter()
                    .for_each(|l| env.highlighter.warm_up(l))
            },
            || {
                files
                    .par_iter()
                    .zip(texts)
                    .map(|((full, shown), text)| parse(full, shown, text))
                    .collect()
            },
        )
        .1
    } else {
        files
            .par_iter()
            .map(|(full, shown)| parse(full, shown, read_text(full, shown)))
            .collect()
    };
    (parsed.into_iter().collect(), walk_problems)
}

/// Up to this many articles, [`load_articles`] reads them all before parsing, to compile
/// their code languages up front; past it, compile time is lost in the parsing anyway.
const WARM_UP_LIMIT: usize = 2_000;

/// The distinct languages named by code fences (```` ```python ````, `~~~toml`) in `texts`.
fn fence_languages<'t>(texts: impl Iterator<Item = &'t str>) -> Vec<String> {
    let mut languages: Vec<String> = texts
        .flat_map(str::lines)
        .filter_map(|line| {
            let line = line.trim_start();
            let rest = line
                .strip_prefix("```")
                .or_else(|| line.strip_prefix("~~~"))?;
            let lang = rest
                .trim_start_matches(['`', '~'])
                .split([' ', ',', '{'])
                .next()?;
            (!lang.trim().is_empty()).then(|| lang.trim().to_string())
        })
        .collect();
    languages.sort_unstable();
    languages.dedup();
    languages
}

/// Company profiles from `content/companies`.
pub fn load_profiles(
    root: &Path,
    env: &RenderEnv<'_>,
) -> Result<Vec<CompanyProfile>, Vec<Diagnostic>> {
    load_dir(root, PROFILES, env, |path, text, env| {
        parse_profile_in(path, text, env, Some(root))
    })
}

/// Editors' intros to editions, from `content/editions`.
pub fn load_edition_intros(
    root: &Path,
    env: &RenderEnv<'_>,
) -> Result<Vec<EditionIntro>, Vec<Diagnostic>> {
    load_dir(root, EDITIONS, env, parse_edition_intro)
}

/// Standalone pages from `content/pages`.
pub fn load_pages(root: &Path, env: &RenderEnv<'_>) -> Result<Vec<Page>, Vec<Diagnostic>> {
    load_dir(root, PAGES, env, parse_page)
}

pub const ARTICLES: &str = "content/articles";
pub const PROFILES: &str = "content/companies";
pub const PAGES: &str = "content/pages";
pub const EDITIONS: &str = "content/editions";

fn load_dir<T: Send>(
    root: &Path,
    dir: &str,
    env: &RenderEnv<'_>,
    parse: impl Fn(&Path, &str, &RenderEnv<'_>) -> Result<T, Vec<Diagnostic>> + Sync,
) -> Result<Vec<T>, Vec<Diagnostic>> {
    let (files, mut problems) = find_markdown(root, dir);
    let results: Vec<Result<T, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|(full, shown)| {
            let text = read_text(full, shown).map_err(|d| vec![d])?;
            parse(shown, &normalize(&text), env)
        })
        .collect();
    let mut items = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(item) => items.push(item),
            Err(ds) => problems.extend(ds),
        }
    }
    if problems.is_empty() {
        Ok(items)
    } else {
        Err(problems)
    }
}

/// Reads and parses one article file; `full` is its path on disk.
pub fn load_article(
    root: &Path,
    full: &Path,
    env: &RenderEnv<'_>,
) -> Result<Article, Vec<Diagnostic>> {
    let shown = crate::display_path(root, full.strip_prefix(root).unwrap_or(full));
    let text = read_text(full, &shown).map_err(|d| vec![d])?;
    let place = Place { root, file: full };
    parse_article_in(&shown, &normalize(&text), env, Some(&place))
}

/// Markdown files below `root/dir`, as (path to read, path to show), in a stable order.
/// Hidden files and editors' backup files are skipped; a symlink loop is a problem.
pub fn find_markdown(root: &Path, dir: &str) -> (Vec<(PathBuf, PathBuf)>, Vec<Diagnostic>) {
    let base = root.join(dir);
    let mut files = Vec::new();
    let mut problems = Vec::new();
    if !base.is_dir() {
        return (files, problems);
    }
    let walker = walkdir::WalkDir::new(&base)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => {
                let shown =
                    crate::display_path(root, e.path().strip_prefix(root).unwrap_or(e.path()));
                files.push((e.path().to_path_buf(), shown));
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().unwrap_or(&base);
                let shown = crate::display_path(root, path.strip_prefix(root).unwrap_or(path));
                let message = walk_problem(&err, path);
                problems.push(Diagnostic::file(&shown, message));
            }
        }
    }
    (files, problems)
}

/// What is wrong with a folder entry that cannot be walked, and what to do about it.
fn walk_problem(err: &walkdir::Error, path: &Path) -> String {
    if err.loop_ancestor().is_some() {
        return "symbolic link loop: this link points back to a folder that contains it; \
                remove or fix the link"
            .into();
    }
    let Some(io) = err.io_error() else {
        return format!("cannot read this folder entry: {err}");
    };
    #[cfg(unix)]
    let is_loop = io.raw_os_error() == Some(libc::ELOOP);
    #[cfg(not(unix))]
    let is_loop = false;
    if is_loop {
        return "symbolic link loop: this link leads back to itself through other links; \
                remove or fix the link"
            .into();
    }
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match io.kind() {
        std::io::ErrorKind::NotFound if is_link => {
            let target = std::fs::read_link(path)
                .map(|t| format!(" `{}`", t.display()))
                .unwrap_or_default();
            format!(
                "cannot read: this symbolic link's target{target} does not exist; \
                 fix or remove the link"
            )
        }
        std::io::ErrorKind::PermissionDenied => format!(
            "cannot read this folder entry: {io}; make it readable (e.g. `chmod -R u+rX`) \
             or move it out of content/"
        ),
        _ => format!("cannot read this folder entry: {io}"),
    }
}

/// Dot files, and the swap and backup files of vim, emacs and others.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp")
}

/// Reads a file as UTF-8, locating the first invalid byte if it is not, and the first
/// control character if it holds one.
fn read_text(full: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(full).map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::PermissionDenied => {
                "; make it readable (e.g. `chmod u+r`) or move it out of content/"
            }
            _ => "",
        };
        Diagnostic::file(shown, format!("cannot read the file: {e}{hint}"))
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
        let (line, col) = line_col(before, before.len());
        Diagnostic::at(
            shown,
            line,
            col,
            "the file is not valid UTF-8 text; save it as UTF-8 in your editor",
        )
    })?;
    super::controls::check(shown, &text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::is_ignored;

    #[test]
    fn ignores_editor_files() {
        for name in [
            ".post.md.swp",
            "post.md~",
            "#post.md#",
            ".#post.md",
            ".hidden",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("post.md"));
    }
}
