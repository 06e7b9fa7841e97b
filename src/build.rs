//! The build pipeline, stage by stage: config -> content -> site model -> plan -> rendered
//! files -> output folder. `render_site` stops before the disk, so serving can reuse it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::highlight::{stylesheet, Highlighter};
use crate::content::{load_content, RenderEnv};
use crate::error::{BuildError, Diagnostic, Diagnostics};
use crate::output::{write_site, CopiedFile, OutputFile};
use crate::render::{plan, site_files, Renderer, Theme};
use crate::site::Site;

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

/// A site rendered in memory.
pub struct RenderedSite {
    pub config: Config,
    pub files: Vec<OutputFile>,
    pub copies: Vec<CopiedFile>,
    pub article_count: usize,
}

/// What a finished build reports.
#[derive(Debug)]
pub struct BuildReport {
    pub article_count: usize,
    pub file_count: usize,
    pub output_dir: PathBuf,
    pub elapsed: Duration,
}

/// Loads the config with the command line's overrides applied.
pub fn load_config(options: &BuildOptions) -> Result<Config, BuildError> {
    let fail = |d: Diagnostic| BuildError(vec![d]);
    let config = Config::load(&options.root).map_err(fail)?;
    match &options.base_url {
        Some(url) => config
            .with_base_url(url)
            .map_err(|m| fail(Diagnostic::file(Path::new("--base-url"), m))),
        None => Ok(config),
    }
}

/// Renders the whole site into memory.
pub fn render_site(options: &BuildOptions) -> Result<RenderedSite, BuildError> {
    let config = load_config(options)?;
    let root = &options.root;
    let highlighter = Highlighter::default();
    let env = RenderEnv {
        highlighter: &highlighter,
        base_path: &config.base_path,
    };
    // Templates compile while content loads; both report all their problems.
    let (theme, content) = rayon::join(
        || Theme::load(root, &config),
        || load_content(root, &env, options.drafts),
    );
    let mut problems = Diagnostics::default();
    let theme = theme.map_err(|ds| ds.into_iter().for_each(|d| problems.push(d)));
    let content = content.map_err(|ds| ds.0.into_iter().for_each(|d| problems.push(d)));
    let (Ok(theme), Ok(content)) = (theme, content) else {
        return Err(problems.into_error());
    };
    let site = Site::build(content).map_err(Diagnostics::into_error)?;
    let assets: Vec<String> = theme.assets().map(str::to_string).collect();
    let jobs = plan(&site, config.paginate_by, &assets);
    let renderer = Renderer::new(&config, &site, &theme);
    let mut files = renderer.render_all(&jobs).map_err(BuildError)?;
    files.extend(site_files::sitemaps(&config, &site, &jobs));
    files.push(site_files::robots(&config));
    files.push(site_files::search_index(&site));
    files.push(OutputFile::new("highlight.css", stylesheet().into_bytes()));
    // GitHub Pages: serve files as they are, without Jekyll.
    files.push(OutputFile::new(".nojekyll", Vec::new()));
    if let Some(domain) = &config.cname {
        files.push(OutputFile::new("CNAME", format!("{domain}\n").into_bytes()));
    }
    let copies = static_files(root, &files)?;
    Ok(RenderedSite {
        article_count: site.articles.len(),
        config,
        files,
        copies,
    })
}

/// Builds the site and swaps it into the output folder.
pub fn build(options: &BuildOptions) -> anyhow::Result<BuildReport> {
    let started = Instant::now();
    let rendered = render_site(options)?;
    let output_dir = match &options.output {
        Some(dir) => dir.clone(),
        None => crate::display_path(&options.root, &rendered.config.output_dir),
    };
    let file_count = write_site(&output_dir, &rendered.files, &rendered.copies)
        .map_err(|e| anyhow::anyhow!("cannot write the site to {}: {e}", output_dir.display()))?;
    Ok(BuildReport {
        article_count: rendered.article_count,
        file_count,
        output_dir,
        elapsed: started.elapsed(),
    })
}

/// Files under `static/`, to copy as they are. One that would replace a generated page is
/// an error, since either the author's file or the page would silently be lost.
fn static_files(root: &Path, generated: &[OutputFile]) -> Result<Vec<CopiedFile>, BuildError> {
    let dir = root.join("static");
    let mut copies = Vec::new();
    let mut problems = Diagnostics::default();
    if !dir.is_dir() {
        return Ok(copies);
    }
    let taken: std::collections::HashSet<&str> =
        generated.iter().map(|f| f.path.as_str()).collect();
    for entry in walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(&dir).unwrap_or(e.path());
                let path = rel.to_string_lossy().replace('\\', "/");
                if taken.contains(path.as_str()) {
                    let shown = crate::display_path(root, Path::new("static").join(rel));
                    problems.push(Diagnostic::file(
                        &shown,
                        format!(
                            "this file would replace the generated /{path}; rename or remove it"
                        ),
                    ));
                }
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
