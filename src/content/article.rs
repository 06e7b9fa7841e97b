//! An article: its front matter (title, date, companies, tags, sources, events...) checked
//! and typed, and its Markdown body rendered.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

use super::alias::Alias;
use super::front_matter::{self, Split};
use super::image::{body_raster, folder_assets, lead_image, Asset, LeadImage, Place, RawImage};
use super::markdown::BodyImages;
use super::markdown::{self, TocEntry};
use super::names::{self, NameList};
use super::positions;
use super::unique::UniqueIds;
use super::url;
use super::RenderEnv;
use crate::date::PostDate;
use crate::error::Diagnostic;
use crate::html::escape;
use crate::images::RasterUse;
use crate::slug::slugify;

/// Front-matter keys every article accepts; each declared taxonomy (`tags`, `models`...)
/// adds its own.
pub const KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "summary",
    "companies",
    "sources",
    "events",
    "draft",
    "slug",
    "image",
    "aliases",
    "corrections",
    "extra",
];

#[derive(Deserialize)]
struct FrontMatter {
    title: Option<Spanned<String>>,
    date: Option<Spanned<toml::Value>>,
    updated: Option<Spanned<toml::Value>>,
    summary: Option<String>,
    companies: Option<Spanned<NameList>>,
    #[serde(default)]
    sources: Vec<RawSource>,
    #[serde(default)]
    events: Vec<RawEvent>,
    #[serde(default)]
    draft: bool,
    slug: Option<Spanned<String>>,
    image: Option<Spanned<RawImage>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    corrections: Vec<super::correction::RawCorrection>,
    extra: Option<Spanned<toml::Value>>,
    /// Every other key: a declared taxonomy's names, or a mistake.
    #[serde(flatten)]
    rest: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    date: Spanned<toml::Value>,
    title: String,
    companies: Option<Spanned<NameList>>,
}

/// A `[[sources]]` entry as written, its URL located for errors.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: String,
    url: Spanned<String>,
}

/// A source the article draws on.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub url: String,
}

/// A dated fact the timeline shows, linked back to its article.
#[derive(Debug, Clone)]
pub struct Event {
    pub date: PostDate,
    pub title: String,
    /// The event's own companies, else the article's.
    pub companies: Vec<String>,
    /// The anchor of this event on its article's page.
    pub anchor: String,
}

/// What places an article in the site model, but for its title (see
/// [`Article::placement`]).
#[derive(Debug, PartialEq)]
pub struct Placement<'a> {
    path: &'a Path,
    slug: &'a str,
    date: PostDate,
    updated: Option<PostDate>,
    draft: bool,
    companies: &'a [String],
    terms: &'a BTreeMap<String, Vec<String>>,
    /// Each event's date and companies.
    events: Vec<(PostDate, &'a [String])>,
    assets: &'a [Asset],
    aliases: &'a [Alias],
    /// Each correction's date and anchor (its text is only shown).
    corrections: Vec<(PostDate, &'a str)>,
}

/// A loaded article, ready for the site model.
#[derive(Debug, Clone)]
pub struct Article {
    /// The file it came from, as shown in messages.
    pub path: PathBuf,
    pub slug: String,
    pub title: String,
    pub date: PostDate,
    pub updated: Option<PostDate>,
    /// Summary as HTML (from `summary`, `<!-- more -->`, or the first paragraph).
    pub summary_html: String,
    /// Summary as plain text, for meta tags and feeds.
    pub summary_text: String,
    /// Whether the summary was written in front matter (not taken from the body), so a
    /// theme can show it as a standfirst without repeating the first paragraph.
    pub summary_is_own: bool,
    pub body_html: String,
    pub toc: Vec<TocEntry>,
    pub word_count: usize,
    pub companies: Vec<String>,
    /// Names per declared taxonomy other than companies (`tags`, `models`...).
    pub terms: BTreeMap<String, Vec<String>>,
    pub sources: Vec<Source>,
    pub events: Vec<Event>,
    pub draft: bool,
    /// The lead image of `[image]`, checked and measured.
    pub image: Option<LeadImage>,
    /// A folder article's other files, published at its URL (none for a single file).
    pub assets: Vec<Asset>,
    /// Its old addresses (`aliases`), each published as a redirect to it.
    pub aliases: Vec<Alias>,
    /// Its corrections, oldest first (the latest moved `updated`).
    pub corrections: Vec<super::correction::Correction>,
    /// `[extra]`: the theme's own fields.
    pub extra: super::extra::Extra,
    /// The local raster images it shows (the lead image, then its body's), each where the
    /// file names it: the build makes their responsive variants (`crate::images`).
    pub rasters: Vec<RasterUse>,
    /// A hash of the file's text: equal hashes mean an unchanged article (for rebuilds).
    pub source_hash: u64,
    /// Links in the body left out for their URL scheme, as problems for `digest check`.
    pub link_problems: Vec<Diagnostic>,
}

impl Article {
    /// Where the article sorts among the site's: newest first, then by title, then by its
    /// file (unique), so the order is total.
    pub fn order_key(&self) -> (std::cmp::Reverse<PostDate>, &str, &Path) {
        (std::cmp::Reverse(self.date), &self.title, &self.path)
    }

    /// Where the site model places the article, but for its title (which orders it among
    /// the articles of its date, see [`Article::order_key`]): its file, URL, dates and
    /// whether it is a draft, its companies and other terms, its events' dates and
    /// companies, and a folder article's files. The site's lists, groups, related
    /// articles, timeline and editions are made from these, and the sitemap's dates and
    /// the files published beside the page; its text (title, summary, body, event
    /// titles) and its lead image are only shown.
    pub fn placement(&self) -> Placement<'_> {
        Placement {
            path: &self.path,
            slug: &self.slug,
            date: self.date,
            updated: self.updated,
            draft: self.draft,
            companies: &self.companies,
            terms: &self.terms,
            events: self
                .events
                .iter()
                .map(|e| (e.date, e.companies.as_slice()))
                .collect(),
            assets: &self.assets,
            aliases: &self.aliases,
            corrections: self
                .corrections
                .iter()
                .map(|c| (c.date, c.anchor.as_str()))
                .collect(),
        }
    }

    /// `2025/01/deepseek-r1/`: the article's path below the site root.
    pub fn path_in_site(&self) -> String {
        format!(
            "{:04}/{:02}/{}/",
            self.date.year(),
            self.date.month(),
            self.slug
        )
    }

    /// Minutes to read at 220 words a minute, at least one.
    pub fn reading_minutes(&self) -> usize {
        self.word_count.div_ceil(220).max(1)
    }
}

/// Parses one article file's text (already normalised), without looking beside it: a
/// lead image is not checked or measured, and a folder article gets no assets.
pub fn parse_article(
    path: &Path,
    text: &str,
    env: &RenderEnv<'_>,
) -> Result<Article, Vec<Diagnostic>> {
    parse_article_in(path, text, env, None)
}

/// Parses one article file's text (already normalised); `place` is where the file is on
/// disk, to list a folder article's files and to check and measure its lead image.
pub fn parse_article_in(
    path: &Path,
    text: &str,
    env: &RenderEnv<'_>,
    place: Option<&Place<'_>>,
) -> Result<Article, Vec<Diagnostic>> {
    let split = front_matter::split(path, text).map_err(|d| vec![d])?;
    let fm: FrontMatter = front_matter::parse(path, &split, KEYS).map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    let at = |span: std::ops::Range<usize>, message: String| split.at(path, span.start, message);
    let extra = fm.extra.as_ref().map_or_else(
        || Ok(super::extra::Extra::default()),
        |e| super::extra::Extra::from_toml(e.get_ref()).map_err(|m| problems.push(at(e.span(), m))),
    );
    let aliases = super::alias::aliases(&fm.aliases, path, at).unwrap_or_else(|ds| {
        problems.extend(ds);
        Vec::new()
    });
    let title = match &fm.title {
        Some(t) if !t.get_ref().trim().is_empty() => t.get_ref().trim().to_string(),
        Some(t) => {
            problems.push(at(
                t.span(),
                "`title` is empty: give the article a headline".into(),
            ));
            String::new()
        }
        None => {
            problems.push(missing(
                path,
                "title",
                "\"DeepSeek-R1 rattles the AI industry\"",
            ));
            String::new()
        }
    };
    // Dates without an offset are read in the site's time zone.
    let zoned = |d: PostDate| env.timezone.resolve(d);
    let date = match &fm.date {
        Some(d) => PostDate::from_toml(d.get_ref())
            .map(zoned)
            .map_err(|m| problems.push(at(d.span(), m)))
            .ok(),
        None => {
            problems.push(missing(path, "date", "2025-01-27"));
            None
        }
    };
    let updated = fm.updated.as_ref().and_then(|d| {
        PostDate::from_toml(d.get_ref())
            .map(zoned)
            .map_err(|m| problems.push(at(d.span(), m)))
            .ok()
    });
    let in_folder = match place {
        Some(p) => p.folder().is_some(),
        None => path.file_name().is_some_and(|n| n == "index.md"),
    };
    let slug = article_slug(path, fm.slug.as_ref(), in_folder).map_err(|m| {
        let span = fm.slug.as_ref().map_or(0..0, |s| s.span());
        problems.push(at(span, m));
    });
    let companies = companies(fm.companies, &mut |span, m| problems.push(at(span, m)));
    let terms = taxonomy_terms(fm.rest, env.taxonomies, &split, path, &mut problems);
    let events = parse_events(fm.events, &companies, &split, path, &mut problems)
        .into_iter()
        .map(|e| Event {
            date: zoned(e.date),
            ..e
        })
        .collect();
    let corrections = super::correction::parse(
        fm.corrections,
        env.highlighter,
        env.base_path,
        date.as_ref(),
        zoned,
        |span, m| problems.push(at(span, m)),
    );
    // The latest correction is the article's latest change.
    let updated = match (updated, corrections.last()) {
        (u, Some(c)) if u.is_none_or(|u| c.date.timestamp() > u.timestamp()) => Some(c.date),
        (u, _) => u,
    };
    let sources = fm
        .sources
        .into_iter()
        .map(|s| {
            if let Some(m) = url::problem("this source's `url`", s.url.get_ref()) {
                problems.push(at(s.url.span(), m));
            }
            Source {
                title: s.title,
                url: s.url.into_inner(),
            }
        })
        .collect();
    let (assets, asset_problems) = match place.and_then(|p| Some((p.root, p.folder()?))) {
        Some((root, folder)) => folder_assets(root, folder),
        None => (Vec::new(), Vec::new()),
    };
    problems.extend(asset_problems);
    let article_path = match (&date, &slug) {
        (Some(d), Ok(s)) => format!("{:04}/{:02}/{s}/", d.year(), d.month()),
        _ => String::new(),
    };
    let mut rasters = Vec::new();
    let image = fm.image.and_then(|raw| {
        let table = raw.span();
        let src = raw.get_ref().src.span();
        lead_image(raw.into_inner(), table, place, &article_path, &assets)
            .inspect(|image| {
                if let Some(raster) = &image.raster {
                    let d = at(src, String::new());
                    rasters.push(RasterUse {
                        raster: raster.clone(),
                        line: d.line,
                        column: d.col,
                    });
                }
            })
            .map_err(|faults| {
                for (span, m) in faults {
                    problems.push(at(span, m));
                }
            })
            .ok()
    });
    let (Some(date), Ok(slug), true) = (date, slug, problems.is_empty()) else {
        return Err(problems);
    };
    let folder = in_folder.then(|| format!("{}{article_path}", env.base_path));
    let resolve = |url: &str| body_raster(url, place?, &assets);
    let body_images = BodyImages {
        resolve: &resolve,
        settings: env.images,
    };
    let mut rendered = markdown::render_with(
        split.body,
        env.highlighter,
        env.base_path,
        folder.as_deref(),
        place.is_some().then_some(&body_images),
    );
    let offsets: Vec<usize> = rendered.images.iter().map(|(at, _)| *at).collect();
    for ((_, result), (line, col)) in std::mem::take(&mut rendered.images)
        .into_iter()
        .zip(crate::content::positions::line_cols(split.body, &offsets))
    {
        let line = line + split.body_line - 1;
        match result {
            Ok(raster) => rasters.push(RasterUse {
                raster,
                line,
                column: col,
            }),
            Err(m) => problems.push(Diagnostic::at(path, line, col, m)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (summary_html, summary_text, summary_is_own) =
        match fm.summary.map(|s| s.trim().to_string()) {
            Some(s) if !s.is_empty() => (format!("<p>{}</p>", escape(&s)), s, true),
            _ => (
                rendered.summary_html.unwrap_or_default(),
                rendered.summary_text,
                false,
            ),
        };
    Ok(Article {
        path: path.to_path_buf(),
        slug,
        title,
        date,
        updated,
        summary_html,
        summary_text,
        summary_is_own,
        body_html: rendered.html,
        link_problems: url::body_problems(path, &split, &rendered.unsafe_links),
        toc: rendered.toc,
        word_count: rendered.word_count,
        companies,
        terms,
        sources,
        events,
        draft: fm.draft,
        image,
        assets,
        aliases,
        corrections,
        extra: extra.unwrap_or_default(),
        rasters,
        source_hash: crate::hash::of(&text),
    })
}

/// The names under each declared taxonomy's key; any other key is an error at its line
/// that suggests the nearest known key and lists the declared taxonomies. Keys are located
/// in one pass over the front matter, however many are wrong.
fn taxonomy_terms(
    rest: BTreeMap<String, toml::Value>,
    taxonomies: &[String],
    split: &Split<'_>,
    path: &Path,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Vec<String>> {
    let mut terms = BTreeMap::new();
    let keys = std::cell::OnceCell::new();
    let keys = || keys.get_or_init(|| front_matter::KeyOffsets::new(split.front_matter));
    // (byte offset in the front matter, message), located together at the end.
    let mut located: Vec<(usize, String)> = Vec::new();
    for (key, value) in rest {
        if !taxonomies.contains(&key) {
            located.push((keys().key(&key), unknown_key(&key, taxonomies)));
            continue;
        }
        let kind = value.type_str();
        let in_list = value.is_array();
        match NameList::deserialize(value) {
            Ok(names) => {
                let names = names.cleaned();
                if let Some(m) = names::too_many(&key, names.len()) {
                    located.push((keys().value(&key), m));
                }
                terms.insert(key, names);
            }
            Err(err) => {
                // Worded as for `companies` (front_matter::explain), with an example of names
                // that suits any taxonomy.
                let message = match front_matter::invalid_type(err.message()) {
                    Some((found, expected)) => {
                        let expected = if expected.starts_with("a list of names") {
                            "a list of names such as [\"first\", \"second\"], or one name"
                        } else {
                            expected
                        };
                        let line = &split.front_matter[keys().key(&key)..];
                        let header = line
                            .starts_with('[')
                            .then(|| line.lines().next().unwrap_or("").trim());
                        front_matter::wrong_type(Some(&key), in_list, header, found, expected)
                    }
                    None => format!(
                        "invalid front matter: `{key}` must be a list of names such as [\"first\", \"second\"], or one name, not {kind}; write the names in double quotes"
                    ),
                };
                located.push((keys().value(&key), message));
            }
        }
    }
    let offsets: Vec<usize> = located.iter().map(|(offset, _)| *offset).collect();
    let positions = positions::line_cols(split.front_matter, &offsets);
    for ((_, message), (line, col)) in located.into_iter().zip(positions) {
        problems.push(Diagnostic::at(
            path,
            line + split.front_matter_line - 1,
            col,
            message,
        ));
    }
    terms
}

/// The message for a key that is neither an article field nor a declared taxonomy.
fn unknown_key(key: &str, taxonomies: &[String]) -> String {
    let known: Vec<&str> = KEYS
        .iter()
        .copied()
        .chain(taxonomies.iter().map(String::as_str))
        .collect();
    let hint = front_matter::nearest(key, &known)
        .map_or(String::new(), |k| format!(" did you mean `{k}`?"));
    let declared = std::iter::once(crate::config::COMPANIES)
        .chain(taxonomies.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "unknown key `{key}`:{hint} It is not an article field ({}) nor a declared taxonomy ({declared}); declare new taxonomies with [[taxonomies]] in config.toml",
        KEYS.join(", ")
    )
}

/// The names of a `companies` key, if any; more than [`names::MAX_PER_ARTICLE`] is a
/// problem at the key's value.
fn companies(
    names: Option<Spanned<NameList>>,
    problem: &mut impl FnMut(std::ops::Range<usize>, String),
) -> Vec<String> {
    let Some(names) = names else {
        return Vec::new();
    };
    let span = names.span();
    let names = names.into_inner().cleaned();
    if let Some(m) = names::too_many(crate::config::COMPANIES, names.len()) {
        problem(span, m);
    }
    names
}

fn missing(path: &Path, key: &str, example: &str) -> Diagnostic {
    Diagnostic::at(
        path,
        1,
        1,
        format!("missing `{key}` in the front matter: add `{key} = {example}`"),
    )
}

/// The slug from `slug = "..."`, else from the file name (a folder article's: the
/// folder's name).
fn article_slug(
    path: &Path,
    explicit: Option<&Spanned<String>>,
    in_folder: bool,
) -> Result<String, String> {
    match explicit {
        Some(s) => {
            let s = s.get_ref();
            if slugify(s) == *s && !s.is_empty() {
                Ok(s.clone())
            } else {
                Err(format!(
                    "`slug = \"{s}\"` is not a URL slug: use lowercase ASCII letters, digits and hyphens, e.g. \"{}\"",
                    slugify(s)
                ))
            }
        }
        None => {
            let name = match path.parent() {
                Some(folder) if in_folder => folder.file_name(),
                _ => path.file_stem(),
            };
            let stem = name.map(|s| s.to_string_lossy()).unwrap_or_default();
            let slug = slugify(&stem);
            if slug.is_empty() {
                Err(format!(
                    "cannot make a URL slug from the file name `{stem}`: add `slug = \"...\"`"
                ))
            } else {
                Ok(slug)
            }
        }
    }
}

fn parse_events(
    raw: Vec<RawEvent>,
    article_companies: &[String],
    split: &Split<'_>,
    path: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Event> {
    let mut events: Vec<Event> = Vec::with_capacity(raw.len());
    let mut anchors = UniqueIds::default();
    let mut problem =
        |span: std::ops::Range<usize>, m: String| problems.push(split.at(path, span.start, m));
    for event in raw {
        let date = match PostDate::from_toml(event.date.get_ref()) {
            Ok(d) => d,
            Err(m) => {
                problem(event.date.span(), m);
                continue;
            }
        };
        let companies = match companies(event.companies, &mut problem) {
            own if own.is_empty() => article_companies.to_vec(),
            own => own,
        };
        let anchor = anchors.unique(format!("event-{}-{}", date.iso(), slugify(&event.title)));
        events.push(Event {
            date,
            title: event.title.trim().to_string(),
            companies,
            anchor,
        });
    }
    // Events of one date by title, then anchor (unique in the article).
    events
        .sort_unstable_by(|x, y| (x.date, &x.title, &x.anchor).cmp(&(y.date, &y.title, &y.anchor)));
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::highlight::Highlighter;

    fn parse(text: &str) -> Result<Article, Vec<Diagnostic>> {
        let h = Highlighter::default();
        parse_article(
            Path::new("content/articles/My Post.md"),
            text,
            &RenderEnv {
                highlighter: &h,
                base_path: "/",
                taxonomies: &["tags".to_string(), "models".to_string()],
                images: &Default::default(),
                timezone: &crate::schedule::UTC,
            },
        )
    }

    #[test]
    fn the_placement_is_all_but_the_text() {
        let text = |title: &str, event: &str, tags: &str, body: &str| {
            format!(
                "+++\ntitle = \"{title}\"\ndate = 2025-01-27\ncompanies = \"OpenAI\"\n\
                 tags = [{tags}]\n[[events]]\ndate = {event}\n+++\n{body}\n"
            )
        };
        let a = parse(&text("T", "2025-01-20\ntitle = \"E\"", "", "Body.")).unwrap();
        let same = [
            text("New title", "2025-01-20\ntitle = \"E\"", "", "Body."),
            text("T", "2025-01-20\ntitle = \"Renamed\"", "", "Another body."),
        ];
        for t in same {
            assert_eq!(a.placement(), parse(&t).unwrap().placement(), "{t}");
        }
        let moved = [
            text("T", "2025-01-21\ntitle = \"E\"", "", "Body."),
            text(
                "T",
                "2025-01-20\ntitle = \"E\"\ncompanies = [\"Mistral\"]",
                "",
                "B.",
            ),
            text("T", "2025-01-20\ntitle = \"E\"", "\"agents\"", "Body."),
        ];
        for t in moved {
            assert_ne!(a.placement(), parse(&t).unwrap().placement(), "{t}");
        }
    }

    #[test]
    fn parses_a_full_article() {
        let a = parse(
            "+++\ntitle = \"T\"\ndate = 2025-01-27\ncompanies = \"OpenAI\"\n\n[[sources]]\ntitle = \"S\"\nurl = \"https://s\"\n\n[[events]]\ndate = 2025-01-20\ntitle = \"R1 ships\"\n+++\nBody text here.\n",
        )
        .unwrap();
        assert_eq!(a.slug, "my-post");
        assert_eq!(a.path_in_site(), "2025/01/my-post/");
        assert_eq!(a.companies, vec!["OpenAI"]);
        assert_eq!(a.events[0].companies, vec!["OpenAI"]);
        assert_eq!(a.events[0].anchor, "event-2025-01-20-r1-ships");
        assert_eq!(a.summary_text, "Body text here.");
    }

    #[test]
    fn reports_missing_title_and_bad_date_together() {
        let errs = parse("+++\ndate = \"2025-13-01\"\n+++\n").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert!(errs.iter().any(|e| e.message.contains("missing `title`")));
        let date = errs
            .iter()
            .find(|e| e.message.contains("not a date"))
            .unwrap();
        assert_eq!((date.line, date.col), (2, 8));
    }

    #[test]
    fn unknown_key_is_located_and_suggested() {
        let errs =
            parse("+++\ntitle = \"T\"\ndate = 2025-01-01\ncompany = [\"X\"]\n+++\n").unwrap_err();
        assert_eq!(errs[0].line, 4);
        assert!(
            errs[0].message.contains("did you mean `companies`?"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn taxonomy_keys_are_read_and_undeclared_ones_rejected() {
        let a = parse("+++\ntitle = \"T\"\ndate = 2025-01-01\nmodels = \"o3-mini\"\ntags = [\"a\", \" b \"]\n+++\n")
            .unwrap();
        assert_eq!(a.terms["models"], ["o3-mini"]);
        assert_eq!(a.terms["tags"], ["a", "b"]);
        let errs =
            parse("+++\ntitle = \"T\"\ndate = 2025-01-01\n\npeople = [\"X\"]\n+++\n").unwrap_err();
        assert_eq!((errs[0].line, errs[0].col), (5, 1));
        assert!(
            errs[0]
                .message
                .contains("declared taxonomy (companies, tags, models)"),
            "{}",
            errs[0].message
        );
        let errs = parse("+++\ntitle = \"T\"\ndate = 2025-01-01\nmodels = 3\n+++\n").unwrap_err();
        assert_eq!(
            errs[0].message,
            "invalid front matter: `models` must be a list of names such as [\"first\", \"second\"], or one name, not integer `3`; write the names in double quotes"
        );
        assert_eq!((errs[0].line, errs[0].col), (4, 10));
        // Worded as the same mistakes in `companies` are.
        let errs =
            parse("+++\ntitle = \"T\"\ndate = 2025-01-01\ncompanies = 3\n+++\n").unwrap_err();
        assert_eq!(
            errs[0].message,
            "invalid front matter: `companies` must be a list of names such as [\"OpenAI\", \"DeepSeek\"], or one name, not integer `3`; write the names in double quotes"
        );
        let errs =
            parse("+++\ntitle = \"T\"\ndate = 2025-01-01\ntags = [\"a\", 2]\n+++\n").unwrap_err();
        assert_eq!(
            errs[0].message,
            "invalid front matter: each item of `tags` must be a string, not integer `2`; put the text in double quotes"
        );
        let errs = parse("+++\ntitle = \"T\"\ndate = 2025-01-01\ntags = true\n+++\n").unwrap_err();
        assert!(
            errs[0]
                .message
                .ends_with("or one name, not boolean `true`; write the names in double quotes"),
            "{}",
            errs[0].message
        );
        let errs =
            parse("+++\ntitle = \"T\"\ndate = 2025-01-01\n[tags]\na = 1\n+++\n").unwrap_err();
        assert!(
            errs[0].message.contains(", not a single `[tags]` table;"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn a_script_url_in_sources_is_located() {
        let errs = parse(
            "+++\ntitle = \"T\"\ndate = 2025-01-01\n[[sources]]\ntitle = \"S\"\nurl = \" JavaScript:alert(1)\"\n+++\n",
        )
        .unwrap_err();
        assert_eq!((errs[0].line, errs[0].col), (6, 7), "{}", errs[0]);
        assert!(
            errs[0].message.contains("uses the `javascript:` scheme"),
            "{}",
            errs[0]
        );
    }

    #[test]
    fn rejects_bad_slug() {
        let errs =
            parse("+++\ntitle = \"T\"\ndate = 2025-01-01\nslug = \"A/B\"\n+++\n").unwrap_err();
        assert!(errs[0].message.contains("not a URL slug"));
    }
}
