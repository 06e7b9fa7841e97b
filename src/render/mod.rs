//! From the site model to output files: the theme's templates (`templates`), the plan of
//! pages (`plan`: what each page is, where it goes, how much it holds), the typed views the
//! templates get (`views`, and each page kind's own beside it), and rendering the pages in
//! parallel (`renderer`, with one module per group of page kinds: `term_pages`,
//! `timeline_pages`, `edition_pages`, `feeds`). `fingerprint` tells a rebuild which pages
//! changed.

pub mod budget;
pub mod chart;
pub mod corrections;
pub mod edition_pages;
pub mod feeds;
pub mod fingerprint;
pub mod loans;
pub mod plan;
pub mod redirects;
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
