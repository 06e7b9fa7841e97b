//! Typed views handed to templates: those that many kinds of page show (`site`, an article's
//! card and page, links to companies, terms and taxonomies). A view that only one kind of
//! page shows is defined beside that page's code (`term_pages`, `edition_pages`...).
//!
//! Each article's views are built once and serialised once; list pages reuse the serialised
//! cards instead of re-serialising articles per page.

use serde::Serialize;
use serde_json::Value;

use super::plan::{taxonomy_path, term_path, EDITIONS_INDEX};
use crate::config::{Config, AUTHORS, COMPANIES};
use crate::content::image::LeadImage;
use crate::content::markdown::TocEntry;
use crate::content::{Article, Source};
use crate::date::DateView;
use crate::images::card::CardText;
use crate::site::{Site, Term};

/// The site's settings, in every template as `site`.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// `https://example.com/ai-digest/`
    pub base_url: &'a str,
    /// `/ai-digest/`
    pub base_path: &'a str,
    pub language: &'a str,
    pub author: &'a str,
    /// `[extra]` of config.toml: the theme's own settings.
    pub extra: &'a crate::content::extra::Extra,
    /// Standalone pages, for the navigation.
    pub pages: Vec<Link>,
    /// The taxonomies other than companies (tags, models...), for the navigation.
    pub taxonomies: Vec<TaxonomyLink>,
    /// The editions index's URL, when editions are on.
    pub editions: Option<String>,
}

/// A taxonomy's index page: `name` (`tags`), `title` (`Topics`) and `url`.
#[derive(Serialize)]
pub struct TaxonomyLink {
    pub name: String,
    pub title: String,
    pub url: String,
}

/// A name and where it leads.
#[derive(Serialize, Clone)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// A company or tag as an article shows it.
#[derive(Serialize, Clone, Hash)]
pub struct TermLink {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// A company's logo (`logo` in its profile); null for other terms.
    pub logo: Option<LogoView>,
}

/// A company's logo as templates see it.
#[derive(Serialize, Clone, Hash)]
pub struct LogoView {
    /// Its URL, with the base path.
    pub src: String,
    /// Pixels, from the file; null for an SVG that states no size.
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// What lists show of an article: the `article` in lists, feeds and cards. Hashed (with
/// the article's [`EventView`]s, which timelines show) for the article's card version.
#[derive(Serialize, Hash)]
pub struct ArticleCard<'a> {
    pub title: &'a str,
    /// Site-internal URL, with the base path.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    pub date: DateView,
    pub updated: Option<DateView>,
    /// HTML.
    pub summary: &'a str,
    pub summary_text: &'a str,
    pub companies: Vec<TermLink>,
    /// Its byline: the terms of the `authors` taxonomy (when declared), as written.
    pub authors: Vec<TermLink>,
    /// `[extra]`: the theme's own fields.
    pub extra: &'a crate::content::extra::Extra,
    /// The article's terms in each other taxonomy that it uses (tags, models, people...).
    pub taxonomies: Vec<TermsOf>,
    pub reading_minutes: usize,
    /// The lead image, for a thumbnail (and the home page's lead story), or `None`.
    pub thumbnail: Option<Thumbnail>,
    /// Whether it is a scheduled story (dated after the build's clock), shown only by
    /// `digest serve` and `digest build --future`: pages mark it.
    pub scheduled: bool,
}

/// An article's lead image as lists show it (`article.thumbnail`): the `ImageView` fields a
/// `<picture>` needs, each template choosing its own `sizes`.
#[derive(Serialize, Hash)]
pub struct Thumbnail {
    pub src: String,
    pub srcset: Option<String>,
    pub webp_srcset: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub alt: String,
}

impl Thumbnail {
    fn of(config: &Config, image: &LeadImage) -> Thumbnail {
        let v = ImageView::of(config, image);
        Thumbnail {
            src: v.src,
            srcset: v.srcset,
            webp_srcset: v.webp_srcset,
            width: v.width,
            height: v.height,
            alt: v.alt.to_string(),
        }
    }
}

/// An article's terms in one taxonomy.
#[derive(Serialize, Hash)]
pub struct TermsOf {
    /// The taxonomy's name (`tags`) and title (`Topics`).
    pub name: String,
    pub title: String,
    pub terms: Vec<TermLink>,
}

/// An event as an article page shows it.
#[derive(Serialize, Hash)]
pub struct EventView<'a> {
    pub date: DateView,
    pub title: &'a str,
    /// The `id` of this event on its article's page.
    pub anchor: &'a str,
    pub companies: Vec<TermLink>,
}

/// What an article page shows besides its card's fields (see [`article_view`]).
#[derive(Serialize)]
pub struct ArticleBody<'a> {
    /// The front matter's own summary, for a standfirst under the headline; `None` when
    /// the summary is the body's first paragraph (so it is not shown twice).
    pub standfirst: Option<&'a str>,
    /// The body as HTML.
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    pub word_count: usize,
    pub sources: &'a [Source],
    pub events: Vec<EventView<'a>>,
    /// JSON-LD `NewsArticle`, safe to place inside `<script>` as it is.
    pub json_ld: String,
    /// The lead image of `[image]`, or `None`.
    pub image: Option<ImageView<'a>>,
    /// The generated share card, for an article without a lead image (and
    /// `[images] share_cards` on), or `None`.
    pub share_card: Option<ShareCardView>,
    /// Its corrections, oldest first.
    pub corrections: Vec<CorrectionView<'a>>,
}

/// A correction as templates are given it (`article.corrections`, and on `/corrections/`).
#[derive(Serialize)]
pub struct CorrectionView<'a> {
    pub date: DateView,
    /// The text as HTML.
    pub html: &'a str,
    /// The text without markup.
    pub text: &'a str,
    /// The anchor on the article's page (`correction-2025-01-28`).
    pub anchor: &'a str,
    /// The article's URL with the anchor, under the base path; `permalink`, absolute.
    pub url: String,
    pub permalink: String,
}

impl<'a> CorrectionView<'a> {
    pub fn of(config: &Config, a: &Article, c: &'a crate::content::correction::Correction) -> Self {
        let at = format!("{}#{}", a.path_in_site(), c.anchor);
        CorrectionView {
            date: DateView::from(&c.date),
            html: &c.html,
            text: &c.text,
            anchor: &c.anchor,
            url: config.url(&at),
            permalink: config.permalink(&at),
        }
    }
}

/// An article's share card, as `article.share_card`.
#[derive(Serialize)]
pub struct ShareCardView {
    /// Absolute, for `og:image`.
    pub permalink: String,
    pub width: u32,
    pub height: u32,
}

/// What the share card of article `index` says, when it has one (no lead image, and
/// `[images] share_cards` on).
pub fn share_card(config: &Config, site: &Site, index: usize) -> Option<CardText> {
    share_card_of(config, site, index, &site.articles[index])
}

/// The share card of `a` in the place of article `index` of `site` (which may still hold
/// the article `a` replaces, with the same companies).
pub fn share_card_of(config: &Config, site: &Site, index: usize, a: &Article) -> Option<CardText> {
    (a.image.is_none() && config.images.share_cards).then(|| CardText {
        site: config.title.clone(),
        kicker: site.article_companies[index]
            .iter()
            .map(|&c| site.companies[c].name.as_str())
            .collect::<Vec<_>>()
            .join(" / "),
        title: a.title.clone(),
        date: DateView::from(&a.date).long,
        article: a.path_in_site(),
    })
}

/// The path of share card `card` below the output root.
pub fn share_card_path(card: &CardText) -> String {
    format!("{}/{}", crate::images::OUTPUT_DIR, card.name())
}

/// An article's lead image, as `article.image`.
#[derive(Serialize)]
pub struct ImageView<'a> {
    /// Its URL with the base path: for a raster image (JPEG, PNG, GIF, WebP) its widest
    /// variant (`/sub/_img/<hash>-1600.jpg`), for an SVG the file itself.
    pub src: String,
    /// The absolute URL of `src`, for `og:image`.
    pub permalink: String,
    /// The URL of the file as written in `[image]`, with the base path.
    pub original: String,
    /// Pixels of `src`; `None` for an SVG that states no size.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// A raster's variants in its own format (PNG for a GIF; WebP for a WebP) as a
    /// `srcset` list (`/_img/<hash>-480.jpg 480w, ...`); `None` for an SVG.
    pub srcset: Option<String>,
    /// Its WebP variants as a `srcset` list, for a `<source type="image/webp">`; `None`
    /// for an SVG and when `srcset` is already WebP.
    pub webp_srcset: Option<String>,
    /// The `sizes` attribute (`[images] sizes` in config.toml).
    pub sizes: &'a str,
    /// The MIME type of `srcset`'s files (`image/jpeg`...); `None` for an SVG.
    pub mime: Option<&'static str>,
    pub alt: &'a str,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
}

impl<'a> ImageView<'a> {
    pub fn of(config: &'a Config, image: &'a LeadImage) -> ImageView<'a> {
        let path = url_path(&image.path);
        let original = config.url(&path);
        let sets = image
            .raster
            .as_ref()
            .map(|r| crate::images::srcset(&config.images, r, &config.base_path));
        match sets {
            Some(sets) => ImageView {
                permalink: config.permalink(
                    sets.src
                        .strip_prefix(config.base_path.as_str())
                        .unwrap_or(&sets.src),
                ),
                src: sets.src,
                original,
                width: Some(sets.width),
                height: Some(sets.height),
                srcset: Some(sets.srcset),
                webp_srcset: sets.webp,
                sizes: &config.images.sizes,
                mime: Some(sets.mime),
                alt: &image.alt,
                caption: image.caption.as_deref(),
                credit: image.credit.as_deref(),
            },
            None => ImageView {
                src: original.clone(),
                permalink: config.permalink(&path),
                original,
                width: image.width,
                height: image.height,
                srcset: None,
                webp_srcset: None,
                sizes: &config.images.sizes,
                mime: None,
                alt: &image.alt,
                caption: image.caption.as_deref(),
                credit: image.credit.as_deref(),
            },
        }
    }
}

pub fn site_view<'a>(config: &'a Config, site: &Site) -> SiteView<'a> {
    SiteView {
        title: &config.title,
        description: &config.description,
        base_url: &config.base_url,
        base_path: &config.base_path,
        language: &config.language,
        author: &config.author,
        extra: &config.extra,
        pages: site
            .pages
            .iter()
            .map(|p| Link {
                name: p.title.clone(),
                url: config.url(&p.path_in_site()),
            })
            .collect(),
        taxonomies: config
            .term_taxonomies()
            .iter()
            .map(|t| taxonomy_link(config, &t.name))
            .collect(),
        editions: config.editions.map(|_| config.url(EDITIONS_INDEX)),
    }
}

impl TermLink {
    /// `(name, slug)`, for [`crate::site::terms::by_name`].
    pub fn key(&self) -> (&str, &str) {
        (&self.name, &self.slug)
    }
}

/// Taxonomy `name`'s index page, titled as declared (an undeclared one by its name).
pub fn taxonomy_link(config: &Config, name: &str) -> TaxonomyLink {
    TaxonomyLink {
        name: name.to_owned(),
        title: config
            .taxonomy(name)
            .map_or_else(|| name.to_owned(), |t| t.title.clone()),
        url: config.url(&taxonomy_path(name)),
    }
}

/// `term` of taxonomy `section` (`companies`, `tags`...) of `site`: a company with its
/// profile's logo.
pub fn term_link(config: &Config, site: &Site, section: &str, term: &Term) -> TermLink {
    let logo = (section == COMPANIES)
        .then_some(term.profile)
        .flatten()
        .and_then(|p| site.profiles[p].logo.as_ref())
        .map(|logo| LogoView {
            src: config.url(&logo.path),
            width: logo.width,
            height: logo.height,
        });
    TermLink {
        name: term.name.clone(),
        slug: term.slug.clone(),
        url: config.url(&term_path(section, &term.slug)),
        logo,
    }
}

pub fn article_card<'a>(config: &Config, site: &'a Site, index: usize) -> ArticleCard<'a> {
    let a: &Article = &site.articles[index];
    let path = a.path_in_site();
    ArticleCard {
        title: &a.title,
        url: config.url(&path),
        permalink: config.permalink(&path),
        date: DateView::from(&a.date),
        updated: a.updated.as_ref().map(DateView::from),
        summary: &a.summary_html,
        summary_text: &a.summary_text,
        companies: site.article_companies[index]
            .iter()
            .map(|&c| term_link(config, site, COMPANIES, &site.companies[c]))
            .collect(),
        extra: &a.extra,
        authors: site.taxonomy(AUTHORS).map_or_else(Vec::new, |g| {
            g.article_terms[index]
                .iter()
                .map(|&t| term_link(config, site, AUTHORS, &g.terms[t]))
                .collect()
        }),
        taxonomies: site
            .taxonomies
            .iter()
            // The byline shows the authors.
            .filter(|g| g.name != AUTHORS && !g.article_terms[index].is_empty())
            .map(|g| TermsOf {
                name: g.name.clone(),
                title: config
                    .taxonomy(&g.name)
                    .map_or_else(|| g.name.clone(), |t| t.title.clone()),
                terms: g.article_terms[index]
                    .iter()
                    .map(|&t| term_link(config, site, &g.name, &g.terms[t]))
                    .collect(),
            })
            .collect(),
        reading_minutes: a.reading_minutes(),
        thumbnail: a.image.as_ref().map(|i| Thumbnail::of(config, i)),
        scheduled: site
            .now
            .is_some_and(|now| crate::schedule::is_scheduled(&a.date, now)),
    }
}

/// A card as templates are given it.
pub fn card_value(card: &ArticleCard<'_>) -> Value {
    serde_json::to_value(card).unwrap_or(Value::Null)
}

/// The events of article `index`, as its page shows them (and, with other words, the
/// timelines).
pub fn event_views<'a>(config: &Config, site: &'a Site, index: usize) -> Vec<EventView<'a>> {
    let a: &Article = &site.articles[index];
    a.events
        .iter()
        .zip(&site.event_companies[index])
        .map(|(e, ids)| EventView {
            date: DateView::from(&e.date),
            title: &e.title,
            anchor: &e.anchor,
            companies: ids
                .iter()
                .map(|&c| term_link(config, site, COMPANIES, &site.companies[c]))
                .collect(),
        })
        .collect()
}

/// Everything an article page shows as `article`: its `card` (already serialised for the
/// lists) with the [`ArticleBody`] fields added, so the card's fields are not built and
/// serialised a second time. Returns the view and the names of the fields added (taken off
/// again before the card goes back to the lists, see `render::loans`).
pub fn article_view(
    config: &Config,
    site: &Site,
    index: usize,
    card: Value,
) -> (Value, Vec<String>) {
    let a = &site.articles[index];
    let body = ArticleBody {
        json_ld: news_article_json_ld(config, site, index),
        image: a.image.as_ref().map(|i| ImageView::of(config, i)),
        share_card: share_card(config, site, index).map(|card| ShareCardView {
            permalink: config.permalink(&share_card_path(&card)),
            width: crate::images::card::WIDTH,
            height: crate::images::card::HEIGHT,
        }),
        standfirst: a.summary_is_own.then_some(a.summary_text.as_str()),
        content: &a.body_html,
        toc: &a.toc,
        word_count: a.word_count,
        sources: &a.sources,
        events: event_views(config, site, index),
        corrections: a
            .corrections
            .iter()
            .map(|c| CorrectionView::of(config, a, c))
            .collect(),
    };
    let mut view = card;
    let mut added = Vec::new();
    if let (Value::Object(fields), Ok(Value::Object(extra))) =
        (&mut view, serde_json::to_value(body))
    {
        for (key, value) in extra {
            added.push(key.clone());
            fields.insert(key, value);
        }
    }
    (view, added)
}

/// schema.org `NewsArticle` for article `index`'s page, escaped so that no value (a title
/// holding `</script>`, say) can end the script element it sits in.
fn news_article_json_ld(config: &Config, site: &Site, index: usize) -> String {
    let a = &site.articles[index];
    let permalink = config.permalink(&a.path_in_site());
    let publisher = Organization {
        kind: "Organization",
        name: &config.title,
        url: Some(&config.base_url),
    };
    let by_site = if config.author.is_empty() {
        publisher
    } else {
        Organization {
            kind: "Organization",
            name: &config.author,
            url: None,
        }
    };
    // Each author a Person with the URL of their page; the site's organisation when none.
    let people: Vec<(&str, String)> = site.taxonomy(AUTHORS).map_or_else(Vec::new, |g| {
        g.article_terms[index]
            .iter()
            .map(|&t| {
                let term = &g.terms[t];
                (
                    term.name.as_str(),
                    config.permalink(&term_path(AUTHORS, &term.slug)),
                )
            })
            .collect()
    });
    let author: Vec<Organization> = if people.is_empty() {
        vec![by_site]
    } else {
        people
            .iter()
            .map(|(name, url)| Organization {
                kind: "Person",
                name,
                url: Some(url),
            })
            .collect()
    };
    let ld = NewsArticleLd {
        context: "https://schema.org",
        kind: "NewsArticle",
        about: site.article_companies[index]
            .iter()
            .map(|&c| Organization {
                kind: "Organization",
                name: &site.companies[c].name,
                url: None,
            })
            .collect(),
        author,
        date_modified: a.updated.as_ref().unwrap_or(&a.date).rfc3339(),
        date_published: a.date.rfc3339(),
        description: &a.summary_text,
        headline: &a.title,
        image: a
            .image
            .as_ref()
            .map(|i| config.permalink(&url_path(&i.path)))
            .or_else(|| {
                share_card(config, site, index).map(|c| config.permalink(&share_card_path(&c)))
            }),
        in_language: &config.language,
        keywords: site
            .taxonomies
            .iter()
            .flat_map(|g| {
                g.article_terms[index]
                    .iter()
                    .map(|&t| g.terms[t].name.as_str())
            })
            .collect(),
        main_entity_of_page: &permalink,
        publisher,
        url: &permalink,
    };
    script_safe_json(serde_json::to_string(&ld).unwrap_or_default())
}

/// A `NewsArticle`'s JSON-LD, its fields in the order they have always been written in.
#[derive(Serialize)]
struct NewsArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'a str,
    #[serde(rename = "@type")]
    kind: &'a str,
    about: Vec<Organization<'a>>,
    author: Vec<Organization<'a>>,
    #[serde(rename = "dateModified")]
    date_modified: String,
    #[serde(rename = "datePublished")]
    date_published: String,
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    keywords: Vec<&'a str>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    publisher: Organization<'a>,
    url: &'a str,
}

#[derive(Serialize, Clone, Copy)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// A file's path below the site root as a URL path: spaces, quotes, `%`, `?`, `#` and the
/// like percent-encoded (file names may hold them), `/` kept.
fn url_path(path: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
    const SEGMENT: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'\\')
        .add(b'^')
        .add(b'|');
    utf8_percent_encode(path, SEGMENT).to_string()
}

/// JSON with `<`, `>` and `&` as Unicode escapes: still the same JSON, but inert in HTML.
pub fn script_safe_json(json: String) -> String {
    let unsafe_in_script = |byte| match byte {
        b'<' => Some("\\u003c"),
        b'>' => Some("\\u003e"),
        b'&' => Some("\\u0026"),
        _ => None,
    };
    if !json.bytes().any(|b| unsafe_in_script(b).is_some()) {
        return json;
    }
    let mut safe = String::with_capacity(json.len() + 16);
    crate::html::substitute_into(&mut safe, &json, unsafe_in_script);
    safe
}

#[cfg(test)]
mod tests {
    #[test]
    fn script_safe_json_cannot_close_the_script() {
        let json = serde_json::json!({"t": "</script><b>&"}).to_string();
        let safe = super::script_safe_json(json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["t"], "</script><b>&");
    }
}
