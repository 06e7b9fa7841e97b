//! Finding and reading every content file in parallel, collecting every problem found so
//! that one run reports all bad files at once.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

use super::article::{parse_article, Article};
use super::front_matter::normalize;
use super::page::{parse_page, Page};
use super::profile::{parse_profile, CompanyProfile};
use super::RenderEnv;
use crate::error::{line_col, Diagnostic, Diagnostics};

/// Everything under `content/`, parsed and rendered.
#[derive(Debug, Default)]
pub struct Content {
    pub articles: Vec<Article>,
    pub profiles: Vec<CompanyProfile>,
    pub pages: Vec<Page>,
}

/// Loads `content/articles`, `content/companies` and `content/pages` below `root`.
/// Drafts are left out unless `drafts` is set.
pub fn load_content(
    root: &Path,
    env: &RenderEnv<'_>,
    drafts: bool,
) -> Result<Content, Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut articles = load_dir(root, "content/articles", env, &mut problems, parse_article);
    let profiles = load_dir(root, "content/companies", env, &mut problems, parse_profile);
    let mut pages = load_dir(root, "content/pages", env, &mut problems, parse_page);
    if !problems.is_empty() {
        return Err(problems);
    }
    if !drafts {
        articles.retain(|a| !a.draft);
        pages.retain(|p| !p.draft);
    }
    Ok(Content {
        articles,
        profiles,
        pages,
    })
}

type Parse<T> = fn(&Path, &str, &RenderEnv<'_>) -> Result<T, Vec<Diagnostic>>;

fn load_dir<T: Send>(
    root: &Path,
    dir: &str,
    env: &RenderEnv<'_>,
    problems: &mut Diagnostics,
    parse: Parse<T>,
) -> Vec<T> {
    let (files, walk_problems) = find_markdown(root, dir);
    walk_problems.into_iter().for_each(|d| problems.push(d));
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
            Err(ds) => ds.into_iter().for_each(|d| problems.push(d)),
        }
    }
    items
}

/// Markdown files below `root/dir`, as (path to read, path to show), in a stable order.
/// Hidden files and editors' backup files are skipped; a symlink loop is a problem.
fn find_markdown(root: &Path, dir: &str) -> (Vec<(PathBuf, PathBuf)>, Vec<Diagnostic>) {
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
                let message = if err.loop_ancestor().is_some() {
                    "symbolic link loop: this link points back to a folder that contains it; remove or fix the link".to_string()
                } else {
                    format!(
                        "cannot read this folder entry: {}",
                        err.io_error().map_or(err.to_string(), |e| e.to_string())
                    )
                };
                problems.push(Diagnostic::file(&shown, message));
            }
        }
    }
    (files, problems)
}

/// Dot files, and the swap and backup files of vim, emacs and others.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp")
}

/// Reads a file as UTF-8, locating the first invalid byte if it is not.
fn read_text(full: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(full)
        .map_err(|e| Diagnostic::file(shown, format!("cannot read the file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
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
    })
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
