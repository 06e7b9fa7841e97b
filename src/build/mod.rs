//! The build pipeline, stage by stage: config -> content -> site model -> plan -> rendered
//! files -> output folder. A [`Session`] runs the stages and remembers their results for
//! incremental rebuilds; `build` is one full session written to disk.

pub mod session;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::error::{BuildError, Diagnostic, Diagnostics};
use crate::output::CopiedFile;
pub use session::{Built, Changes, Session, SiteFiles, Written};

/// What `digest build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` (for previews).
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// What a finished build reports.
#[derive(Debug)]
pub struct BuildReport {
    pub article_count: usize,
    pub file_count: usize,
    pub output_dir: PathBuf,
    pub elapsed: Duration,
}

/// What a finished build reports: `built 16 articles into 73 files in 41 ms`.
pub fn built_line(articles: usize, files: usize, millis: u128) -> String {
    let s = if articles == 1 { "" } else { "s" };
    format!("built {articles} article{s} into {files} files in {millis} ms")
}

/// Loads the config with the command line's overrides applied.
pub fn load_config(options: &BuildOptions) -> Result<Config, BuildError> {
    let fail = |d: Diagnostic| BuildError(vec![d]);
    let config = Config::load(&options.root).map_err(BuildError)?;
    match &options.base_url {
        Some(url) => config
            .with_base_url(url)
            .map_err(|m| fail(Diagnostic::file(Path::new("--base-url"), m))),
        None => Ok(config),
    }
}

/// Renders the whole site into memory.
pub fn render_site(options: &BuildOptions) -> Result<Built, BuildError> {
    Session::new(options.clone()).rebuild(&Changes::everything())
}

/// Builds the site and swaps it into the output folder.
pub fn build(options: &BuildOptions) -> anyhow::Result<BuildReport> {
    let started = Instant::now();
    let config = load_config(options)?;
    let output_dir = match &options.output {
        Some(dir) => dir.clone(),
        None => crate::display_path(&options.root, &config.output_dir),
    };
    let written = Session::new(options.clone()).build_into(&output_dir)?;
    Ok(BuildReport {
        article_count: written.article_count,
        file_count: written.file_count,
        output_dir,
        elapsed: started.elapsed(),
    })
}

/// Files under `static/`, to copy as they are.
pub fn static_files(root: &Path) -> Result<Vec<CopiedFile>, BuildError> {
    let dir = root.join("static");
    let mut copies = Vec::new();
    let mut problems = Diagnostics::default();
    if !dir.is_dir() {
        return Ok(copies);
    }
    for entry in walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(&dir).unwrap_or(e.path());
                let path = rel.to_string_lossy().replace('\\', "/");
                copies.push(CopiedFile {
                    source: e.path().to_path_buf(),
                    path,
                });
            }
            Ok(_) => {}
            Err(err) => {
                let shown = err
                    .path()
                    .map_or(crate::display_path(root, "static"), |p| p.to_path_buf());
                problems.push(Diagnostic::file(&shown, format!("cannot read: {err}")));
            }
        }
    }
    if problems.is_empty() {
        Ok(copies)
    } else {
        Err(problems.into_error())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_built_line_counts_one_article_in_the_singular() {
        assert_eq!(
            super::built_line(1, 28, 15),
            "built 1 article into 28 files in 15 ms"
        );
        assert_eq!(
            super::built_line(0, 3, 2),
            "built 0 articles into 3 files in 2 ms"
        );
    }
}
