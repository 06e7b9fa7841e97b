//! From the site model to output files: the theme's templates, the typed views they get,
//! the plan of pages, and rendering them in parallel.

pub mod budget;
pub mod chart;
pub mod edition_pages;
pub mod feeds;
pub mod fingerprint;
pub mod loans;
pub mod plan;
pub mod renderer;
pub mod site_files;
pub mod template_loops;
pub mod templates;
pub mod term_pages;
pub mod timeline_pages;
pub mod views;

pub use plan::{plan, PageJob, PageKind};
pub use renderer::Renderer;
pub use templates::Theme;
