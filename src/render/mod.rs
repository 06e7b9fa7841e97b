//! From the site model to output files: the theme's templates, the typed views they get,
//! the plan of pages, and rendering them in parallel.

pub mod budget;
pub mod chart;
pub mod context;
pub mod editions;
pub mod feeds;
pub mod fingerprint;
pub mod lists;
pub mod loans;
pub mod pages;
pub mod plan;
pub mod site_files;
pub mod template_loops;
pub mod templates;
pub mod timeline_pages;

pub use pages::Renderer;
pub use plan::{plan, PageJob, PageKind};
pub use templates::Theme;
