//! The build pipeline, stage by stage: config -> content -> site model -> plan -> rendered
//! files -> output folder. A [`Session`] runs the stages and remembers their results for
//! incremental rebuilds; `build` is one full session written to disk.

pub mod session;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::error::{BuildError, Diagnostic, Diagnostics};
use crate::output::{Claim, CopiedFile};
use crate::walk::Skipped;
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
    /// Include scheduled stories: articles dated after the build's clock
    /// ([`crate::schedule::now`]); `digest build --future`, and always in `digest serve`.
    pub future: bool,
    /// "Now" for this build, in seconds since the Unix epoch, where set (tests, which must
    /// not share the process-wide `DIGEST_NOW`); else [`crate::schedule::now`].
    pub now: Option<i64>,
}

impl BuildOptions {
    /// The build's clock: [`BuildOptions::now`], else `DIGEST_NOW` or the system's.
    pub fn clock(&self) -> Result<i64, String> {
        self.now.map_or_else(crate::schedule::now, Ok)
    }

    /// Whether article `a` is published by this build at `now` (seconds since the Unix
    /// epoch): not a draft unless drafts are asked for, not scheduled unless the future is.
    pub fn shows(&self, a: &crate::content::article::Article, now: i64) -> bool {
        (self.drafts || !a.draft) && (self.future || !crate::schedule::is_scheduled(&a.date, now))
    }
}

/// What a finished build reports.
pub struct BuildReport {
    pub article_count: usize,
    pub file_count: usize,
    /// Images whose responsive variants this build made (the rest came from the cache).
    pub images_processed: usize,
    /// Share cards this build drew (the rest came from the cache).
    pub cards_drawn: usize,
    pub output_dir: PathBuf,
    pub elapsed: Duration,
    /// What the build loaded and rendered. A caller that goes on drops it; `digest build`
    /// exits without freeing it, as the system takes a process's memory back at once
    /// (freeing it piece by piece took 20-40 ms at 10,000 articles).
    pub session: Session,
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

/// Renders the whole site into memory, as `digest check` does: without making image
/// variants (it writes nothing, the image cache included), so their files are listed but
/// may not exist.
pub fn render_site(options: &BuildOptions) -> Result<Built, BuildError> {
    Session::new(options.clone())
        .without_making_images()
        .rebuild(&Changes::everything())
}

/// Builds the site and swaps it into the output folder.
pub fn build(options: &BuildOptions) -> anyhow::Result<BuildReport> {
    let started = Instant::now();
    let config = load_config(options)?;
    let output_dir = match &options.output {
        Some(dir) => dir.clone(),
        None => crate::display_path(&options.root, &config.output_dir),
    };
    let claim = claim_output(options, &output_dir)?;
    let mut session = Session::new(options.clone());
    let written = session.build_into(&claim)?;
    Ok(BuildReport {
        article_count: written.article_count,
        file_count: written.file_count,
        images_processed: written.images_processed,
        cards_drawn: written.cards_drawn,
        output_dir,
        elapsed: started.elapsed(),
        session,
    })
}

/// Checks that the build may replace `output_dir` ([`crate::output::guard`]); a refusal
/// names where the folder was chosen: `--output`, or `output_dir` in config.toml.
fn claim_output(options: &BuildOptions, output_dir: &Path) -> Result<Claim, BuildError> {
    crate::output::claim(output_dir, &options.root)
        .map_err(|refusal| BuildError(vec![output_problem(options, output_dir, &refusal.0)]))
}

/// A problem with the output folder, placed where it was chosen.
pub fn output_problem(options: &BuildOptions, output_dir: &Path, why: &str) -> Diagnostic {
    let message = format!("the output folder {} {why}", output_dir.display());
    if options.output.is_some() {
        return Diagnostic::file(Path::new("--output"), message);
    }
    let config = crate::display_path(&options.root, "config.toml");
    let text = std::fs::read_to_string(options.root.join("config.toml")).unwrap_or_default();
    let text = crate::content::front_matter::normalize(&text);
    match crate::content::front_matter::value_offset(&text, "output_dir") {
        // The default, `public`: not written in the config.
        0 => Diagnostic::file(&config, message),
        offset => Diagnostic::at_offset(&config, &text, offset, 1, message),
    }
}

/// Files under `static/`, to copy as they are. Links are followed, but only to files and
/// folders inside the site's folder: one that leads out of it (`static/passwd -> /etc/passwd`)
/// is an error, so that nothing from elsewhere on the machine is published by mistake.
pub fn static_files(root: &Path) -> Result<Vec<CopiedFile>, BuildError> {
    let dir = root.join("static");
    let mut copies = Vec::new();
    let mut problems = Diagnostics::default();
    if !dir.is_dir() {
        return Ok(copies);
    }
    let shown = |path: &Path| {
        let rel = path.strip_prefix(root).unwrap_or(path);
        crate::display_path(root, rel)
    };
    for entry in crate::walk::inside_site(root, &dir) {
        let e = match entry {
            Ok(e) => e,
            Err(Skipped::Unreadable(err)) => {
                let at = err.path().map_or(shown(&dir), shown);
                problems.push(Diagnostic::file(&at, format!("cannot read: {err}")));
                continue;
            }
            Err(Skipped::Outside { path, target }) => {
                let message = Skipped::outside_message(&target);
                problems.push(Diagnostic::file(&shown(&path), message));
                continue;
            }
        };
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&dir).unwrap_or(e.path());
            let path = rel.to_string_lossy().replace('\\', "/");
            copies.push(CopiedFile {
                source: e.path().to_path_buf(),
                path,
            });
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
