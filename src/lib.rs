//! digest: a static site generator for AI-industry news digests.
//!
//! The build is a pipeline of plain data (see `pipeline`): `config` -> `content` (articles,
//! company profiles and pages, Markdown rendered) -> `site` (ordered, grouped by company and
//! tag) -> `render` (a plan of pages rendered with Tera) -> `output` (an atomic swap).

#[cfg(feature = "mimalloc")]
pub mod allocator;
pub mod authoring;
pub mod check;
pub mod config;
pub mod content;
pub mod date;
pub mod error;
pub mod hash;
pub mod html;
pub mod images;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod schedule;
pub mod serve;
pub mod site;
pub mod slug;
pub mod walk;

pub use error::{BuildError, Diagnostic};
pub use pipeline::{build, render_site, BuildOptions, BuildReport};

use std::path::{Path, PathBuf};

/// How a file below the site's root is named in messages: relative to the current folder
/// when the root is `.`, else joined to the root as given.
pub fn display_path(root: &Path, rel: impl AsRef<Path>) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        rel.as_ref().to_path_buf()
    } else {
        root.join(rel)
    }
}
