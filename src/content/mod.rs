//! Reading the site's `content/` folder into plain data: articles, company profiles and
//! standalone pages, each with its Markdown already rendered.

pub mod alias;
pub mod article;
pub mod controls;
pub mod correction;
pub mod data;
pub mod edition;
pub mod extra;
pub mod front_matter;
pub mod highlight;
pub mod image;
pub mod load;
pub mod markdown;
pub mod names;
pub mod page;
pub mod positions;
pub mod profile;
pub mod unique;
pub mod url;

pub use article::{Article, Event, Source};
pub use edition::EditionIntro;
pub use load::{load_articles, load_edition_intros, load_pages, load_profiles, Content};
pub use page::Page;
pub use profile::CompanyProfile;

/// What every content parser needs besides the file itself.
pub struct RenderEnv<'a> {
    pub highlighter: &'a highlight::Highlighter,
    /// The site's base path, prefixed to root-relative links in Markdown.
    pub base_path: &'a str,
    /// The declared taxonomies other than companies, whose keys articles may use.
    pub taxonomies: &'a [String],
    /// `[images]`: the widths of a body image's variants, for its `srcset`.
    pub images: &'a crate::images::Settings,
    /// The site's `timezone`, in which dates without an offset are read.
    pub timezone: &'a crate::schedule::Timezone,
}
