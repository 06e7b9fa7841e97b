//! Markdown to HTML with pulldown-cmark: the body, its summary, its table of contents and
//! its word count, in one pass over the event stream.
//!
//! Headings get stable ids and anchor links, fenced code is highlighted with CSS classes,
//! and root-relative links (`/about/`) are prefixed with the site's base path. A link or
//! image whose URL has a scheme other than http, https or mailto (`javascript:`, `data:`)
//! is rendered as its text only, and listed for `digest check`. Raw HTML is passed through
//! as written: the author's own markup is trusted.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::highlight::Highlighter;
use super::unique::UniqueIds;
use super::url;
use crate::html::escape;
use crate::images::{Raster, Settings};
use crate::slug::slugify;

/// What rendering one Markdown document yields.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// HTML before `<!-- more -->`, else the first paragraph; `None` for an empty body.
    pub summary_html: Option<String>,
    /// The same summary as plain text, for meta tags and feeds.
    pub summary_text: String,
    pub toc: Vec<TocEntry>,
    pub word_count: usize,
    /// Links and images left out for their URL's scheme, for `digest check` to report.
    pub unsafe_links: Vec<UnsafeLink>,
    /// The local raster images [`BodyImages`] resolved, each at its byte offset in the
    /// Markdown: the image, or why it cannot be published (then it is left as written).
    pub images: Vec<(usize, Result<Raster, String>)>,
}

/// How a body's local images become responsive `<picture>`s: `resolve` finds the raster
/// file an image URL (as written) names, `None` for one that is not a local raster.
pub struct BodyImages<'a> {
    pub resolve: &'a dyn Fn(&str) -> Option<Result<Raster, String>>,
    pub settings: &'a Settings,
}

/// A heading, for a table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

const MORE_MARKER: &str = "<!-- more -->";

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `markdown`; `base_path` (e.g. `/ai-digest/`) prefixes root-relative links.
pub fn render(markdown: &str, highlighter: &Highlighter, base_path: &str) -> Rendered {
    render_in(markdown, highlighter, base_path, None)
}

/// Renders `markdown` as [`render`] does; `folder`, a folder article's URL with the base
/// path (`/ai-digest/2025/01/r1/`), also turns its relative links and images (`chart.png`)
/// into root-relative ones (`/ai-digest/2025/01/r1/chart.png`), so that they work wherever
/// the body or its summary is shown: feeds, editions, lists.
pub fn render_in(
    markdown: &str,
    highlighter: &Highlighter,
    base_path: &str,
    folder: Option<&str>,
) -> Rendered {
    render_with(markdown, highlighter, base_path, folder, None)
}

/// Renders `markdown` as [`render_in`] does; with `images`, each local raster image is a
/// `<picture>` of its variants (see `crate::images`), with `width`, `height`, `srcset`,
/// `sizes`, `loading="lazy"` and `decoding="async"`.
pub fn render_with(
    markdown: &str,
    highlighter: &Highlighter,
    base_path: &str,
    folder: Option<&str>,
    images: Option<&BodyImages<'_>>,
) -> Rendered {
    let mut state = State::default();
    // Resolved images, by URL as written, in order (their offsets are found after).
    let mut resolved: Vec<(String, Result<Raster, String>)> = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut parser = Parser::new_ext(markdown, options());
    while let Some(event) = parser.next() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let inner = take_until_end(&mut parser);
                state.push_heading(&mut events, level, id, inner);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(lang) => lang.into_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let code: String = take_until_end(&mut parser)
                    .into_iter()
                    .filter_map(|e| match e {
                        Event::Text(t) => Some(t.into_string()),
                        _ => None,
                    })
                    .collect();
                state.words += code.split_whitespace().count();
                events.push(Event::Html(highlighter.highlight(&code, &lang).into()));
            }
            Event::Html(ref html) if html.trim() == MORE_MARKER && state.more_at.is_none() => {
                state.more_at = Some(events.len());
            }
            Event::Start(Tag::Paragraph) if state.depth == 0 && state.first_paragraph.is_none() => {
                state.first_paragraph = Some((events.len(), 0));
                state.depth += 1;
                events.push(event);
            }
            Event::End(TagEnd::Paragraph) if state.depth == 1 => {
                state.depth -= 1;
                events.push(event);
                if let Some((start, 0)) = state.first_paragraph {
                    state.first_paragraph = Some((start, events.len()));
                }
            }
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. })
                if url::disallowed_scheme(dest_url).is_some() =>
            {
                // Not a live link: its text (an image's alt text) stays, as text.
                state.depth += 1;
                state.dropped.push(true);
                state.unsafe_links += 1;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = resolve_link(dest_url, base_path, folder);
                state.depth += 1;
                state.dropped.push(false);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let found = images.and_then(|i| Some((i, (i.resolve)(&dest_url)?)));
                if let Some((images, Ok(raster))) = &found {
                    let inner = take_until_end(&mut parser);
                    let alt = plain_text(&inner);
                    state.words += alt.split_whitespace().count();
                    let sets = crate::images::srcset(images.settings, raster, base_path);
                    state
                        .images
                        .push((events.len(), events.len(), title.to_string()));
                    events.push(Event::InlineHtml(
                        crate::images::body_picture(&sets, &images.settings.sizes, &alt, &title)
                            .into(),
                    ));
                }
                if let Some((_, result)) = found {
                    let done = result.is_ok();
                    resolved.push((dest_url.to_string(), result));
                    if done {
                        continue;
                    }
                }
                let dest_url = resolve_link(dest_url, base_path, folder);
                state.depth += 1;
                state.dropped.push(false);
                state.open_images.push((events.len(), title.to_string()));
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                state.depth = state.depth.saturating_sub(1);
                if !state.dropped.pop().unwrap_or(false) {
                    if event == Event::End(TagEnd::Image) {
                        if let Some((start, title)) = state.open_images.pop() {
                            state.images.push((start, events.len(), title));
                        }
                    }
                    events.push(event);
                }
            }
            Event::Start(_) => {
                state.depth += 1;
                events.push(event);
            }
            Event::End(_) => {
                state.depth = state.depth.saturating_sub(1);
                events.push(event);
            }
            Event::Text(ref t) => {
                state.words += t.split_whitespace().count();
                events.push(event);
            }
            _ => events.push(event),
        }
    }
    make_figures(&mut events, &state.images);
    let unsafe_links = if state.unsafe_links > 0 {
        unsafe_links(markdown)
    } else {
        Vec::new()
    };
    let images = if resolved.is_empty() {
        Vec::new()
    } else {
        image_offsets(markdown, resolved)
    };
    Rendered {
        unsafe_links,
        images,
        ..state.finish(events)
    }
}

/// Makes each image that is alone in its paragraph (`images`: its first and last event
/// and its title) a figure, as Pandoc does: `<figure>` in the place of `<p>`, with the
/// title, if any, as its caption (`![Alt text](chart.png "The caption")`).
fn make_figures(events: &mut [Event<'_>], images: &[(usize, usize, String)]) {
    for (start, end, title) in images {
        let Some(open) = start.checked_sub(1) else {
            continue;
        };
        let close = end + 1;
        let alone = matches!(events.get(open), Some(Event::Start(Tag::Paragraph)))
            && matches!(events.get(close), Some(Event::End(TagEnd::Paragraph)));
        if !alone {
            continue;
        }
        events[open] = Event::Html("<figure>".into());
        events[close] = Event::Html(
            if title.is_empty() {
                "</figure>\n".to_string()
            } else {
                format!("<figcaption>{}</figcaption></figure>\n", escape(title))
            }
            .into(),
        );
    }
}

/// The byte offset of each of `resolved` (images in document order, by URL as written):
/// a second parse, with source offsets, made only for a document that has some.
fn image_offsets(
    markdown: &str,
    resolved: Vec<(String, Result<Raster, String>)>,
) -> Vec<(usize, Result<Raster, String>)> {
    let mut starts = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                Some((dest_url.into_string(), range.start))
            }
            _ => None,
        });
    resolved
        .into_iter()
        .map(|(url, result)| {
            let at = starts
                .by_ref()
                .find(|(u, _)| *u == url)
                .map_or(0, |(_, at)| at);
            (at, result)
        })
        .collect()
}

/// A link or image in Markdown whose URL has a scheme links may not use (`javascript:`,
/// `data:`...; see `content::url`). It is rendered as its text, without a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsafeLink {
    /// Byte offset of the link in the Markdown.
    pub offset: usize,
    pub url: String,
}

/// Every [`UnsafeLink`] of `markdown`, in order: a second parse, with source offsets, made
/// only for a document that has some.
fn unsafe_links(markdown: &str) -> Vec<UnsafeLink> {
    Parser::new_ext(markdown, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if url::disallowed_scheme(&dest_url).is_some() =>
            {
                Some(UnsafeLink {
                    offset: range.start,
                    url: dest_url.into_string(),
                })
            }
            _ => None,
        })
        .collect()
}

/// The images of `markdown` without alt text (`![](chart.png)`), each as its byte offset and
/// URL, in order: for `digest check`, which warns of them (a screen reader has nothing to
/// say of such an image).
pub fn images_without_alt(markdown: &str) -> Vec<(usize, String)> {
    // Per open image (images may sit in another's alt text): its offset, URL and whether
    // any alt text was seen.
    let mut open: Vec<(usize, String, bool)> = Vec::new();
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                open.push((range.start, dest_url.into_string(), false));
            }
            Event::End(TagEnd::Image) => {
                if let Some((offset, url, false)) = open.pop() {
                    found.push((offset, url));
                }
            }
            Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => {
                if let Some(image) = open.last_mut() {
                    image.2 = true;
                }
            }
            _ => {}
        }
    }
    found.sort_unstable();
    found
}

/// Collects the events of the element just opened, through its end, keeping nesting.
fn take_until_end<'a>(parser: &mut Parser<'a>) -> Vec<Event<'a>> {
    let mut depth = 1usize;
    let mut inner = Vec::new();
    for event in parser.by_ref() {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        inner.push(event);
    }
    inner
}

fn resolve_link<'a>(url: CowStr<'a>, base_path: &str, folder: Option<&str>) -> CowStr<'a> {
    if url.starts_with('/') && !url.starts_with("//") && base_path != "/" {
        return format!("{}{}", base_path.trim_end_matches('/'), url).into();
    }
    match folder {
        Some(folder) if is_relative(&url) => {
            // `..` and `.` resolved, as a browser would, so `digest check` sees the target.
            let mut parts: Vec<&str> = folder.trim_end_matches('/').split('/').collect();
            for segment in url.split('/') {
                match segment {
                    "." => {}
                    ".." if parts.len() > 1 => {
                        parts.pop();
                    }
                    ".." => {}
                    s => parts.push(s),
                }
            }
            let mut joined = parts.join("/");
            if matches!(url.rsplit('/').next(), Some("." | "..")) {
                joined.push('/');
            }
            joined.into()
        }
        _ => url,
    }
}

/// A relative URL such as `chart.png` or `data/a.csv`: no scheme, not rooted, not an
/// anchor or query on the page itself.
fn is_relative(url: &str) -> bool {
    let before_path_end = url.split(['/', '?', '#']).next().unwrap_or("");
    !url.is_empty() && !url.starts_with(['/', '#', '?']) && !before_path_end.contains(':')
}

#[derive(Default)]
struct State {
    ids: UniqueIds,
    toc: Vec<TocEntry>,
    words: usize,
    depth: usize,
    more_at: Option<usize>,
    /// Per open link or image: whether it was left out (its end is left out too).
    dropped: Vec<bool>,
    unsafe_links: usize,
    /// Event range of the first top-level paragraph; end 0 while it is open.
    first_paragraph: Option<(usize, usize)>,
    /// Each image shown: the indexes of its first and last event, and its title.
    images: Vec<(usize, usize, String)>,
    /// Per open image (not left out): the index of its start, and its title.
    open_images: Vec<(usize, String)>,
}

impl State {
    fn push_heading<'a>(
        &mut self,
        events: &mut Vec<Event<'a>>,
        level: HeadingLevel,
        explicit_id: Option<CowStr<'a>>,
        inner: Vec<Event<'a>>,
    ) {
        let title = plain_text(&inner);
        self.words += title.split_whitespace().count();
        let base = explicit_id
            .map(|id| id.into_string())
            .unwrap_or_else(|| slugify(&title));
        let id = self.unique_id(if base.is_empty() {
            "section".into()
        } else {
            base
        });
        let n = level as u8;
        events.push(Event::Html(format!("<h{n} id=\"{}\">", escape(&id)).into()));
        events.extend(inner);
        events.push(Event::Html(
            format!(
                " <a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section: {}\">#</a></h{n}>\n",
                escape(&id),
                escape(&title)
            )
            .into(),
        ));
        self.toc.push(TocEntry {
            level: n,
            id,
            title,
        });
    }

    fn unique_id(&mut self, base: String) -> String {
        self.ids.unique(base)
    }

    fn finish(self, events: Vec<Event<'_>>) -> Rendered {
        let summary_range = match (self.more_at, self.first_paragraph) {
            (Some(end), _) => Some(0..end),
            (None, Some((start, end))) if end > start => Some(start..end),
            _ => None,
        };
        let (summary_html, summary_text) = match summary_range {
            Some(range) => {
                let slice = &events[range];
                let mut html = String::new();
                pulldown_cmark::html::push_html(&mut html, slice.iter().cloned());
                (Some(html), plain_text(slice).trim().to_string())
            }
            None => (None, String::new()),
        };
        let mut html = String::with_capacity(events.len() * 16);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        // Defence in depth: the loader rejects control characters, but the HTML goes
        // into the feeds as it is, which must stay XML whatever the input.
        let summary_html = summary_html.map(xml_safe);
        let mut html = xml_safe(html);
        // Every article's HTML is held until its pages are written: give back the slack
        // of the string's growth (up to half of it).
        html.shrink_to_fit();
        Rendered {
            html,
            summary_html,
            summary_text,
            toc: self.toc,
            word_count: self.words,
            unsafe_links: Vec::new(),
            images: Vec::new(),
        }
    }
}

/// `html` with the characters XML forbids replaced (see `html::xml_safe`); the same
/// string, not a copy, when it has none.
fn xml_safe(html: String) -> String {
    match crate::html::xml_safe(&html) {
        std::borrow::Cow::Borrowed(_) => html,
        std::borrow::Cow::Owned(safe) => safe,
    }
}

/// The text of some events, without markup (for titles, summaries and ids).
fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph) => text.push(' '),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> Rendered {
        render(s, &Highlighter::default(), "/")
    }

    #[test]
    fn headings_get_unique_ids_and_anchors() {
        let r = md("## Market reaction\n\ntext\n\n## Market reaction\n");
        assert!(r.html.contains("<h2 id=\"market-reaction\">Market reaction <a class=\"anchor\" href=\"#market-reaction\""));
        assert!(r.html.contains("id=\"market-reaction-2\""));
        assert_eq!(r.toc.len(), 2);
    }

    #[test]
    fn summary_is_text_before_more_marker() {
        let r = md("First *para*.\n\nSecond.\n\n<!-- more -->\n\nThird.\n");
        let summary = r.summary_html.unwrap();
        assert!(summary.contains("<em>para</em>") && summary.contains("Second."));
        assert!(!summary.contains("Third"));
    }

    #[test]
    fn summary_falls_back_to_first_paragraph() {
        let r = md("> quote\n\nThe first \"real\" paragraph.\n\nMore.\n");
        assert_eq!(r.summary_text, "The first \u{201c}real\u{201d} paragraph.");
    }

    #[test]
    fn gfm_extensions_render() {
        let r = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ [^1]\n\n- [x] done\n\n[^1]: note\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("footnote-definition"));
    }

    #[test]
    fn code_is_highlighted_and_counted() {
        let r = md("```rust\nfn main() {}\n```\n");
        assert!(r.html.contains("hl-"));
        assert!(r.word_count >= 2);
    }

    #[test]
    fn images_without_alt_text_are_found_at_their_offsets() {
        let md = "![](a.png) and ![A chart](b.png)\n\n![ ](c.png)\n\n![`x`](d.png) ![![](f.png)](e.png)\n";
        let found = images_without_alt(md);
        let at = |needle: &str| md.find(needle).unwrap();
        assert_eq!(
            found,
            vec![
                (at("![](a.png)"), "a.png".to_string()),
                (at("![ ](c.png)"), "c.png".to_string()),
                (at("![![](f.png)](e.png)"), "e.png".to_string()),
                (at("![](f.png)"), "f.png".to_string()),
            ]
        );
    }

    #[test]
    fn script_links_and_images_are_rendered_as_text_and_listed() {
        let text = "Click [me *now*](javascript:alert(1)) or ![pic](DATA:image/svg+xml,x) \
                    or <vbscript:x> or [ok](https://e.com/).\n\n[ref]\n\n[ref]: JAVASCRIPT:y\n";
        let r = md(text);
        assert!(
            !r.html.contains("javascript") && !r.html.contains("<img"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(
                "Click me <em>now</em> or pic or vbscript:x or <a href=\"https://e.com/\">ok</a>."
            ),
            "{}",
            r.html
        );
        let offsets: Vec<usize> = r.unsafe_links.iter().map(|l| l.offset).collect();
        let starts = ["[me", "![pic", "<vbscript", "[ref]\n"].map(|s| text.find(s).unwrap());
        assert_eq!(offsets, starts, "{:?}", r.unsafe_links);
        assert_eq!(r.unsafe_links[0].url, "javascript:alert(1)");
        assert!(md("[a](https://e.com/) ![b](/i.png)")
            .unsafe_links
            .is_empty());
    }

    #[test]
    fn a_folder_articles_relative_links_and_images_lead_into_its_folder() {
        let h = Highlighter::default();
        let md =
            "![Chart](chart.png) [data](./data/a.csv) [r](../other/) [up](../../..) [top](#top) \
                  [site](/about/) [web](https://example.com/x) [mail](mailto:a@b.c)";
        let html = render_in(md, &h, "/sub/", Some("/sub/2025/01/r1/")).html;
        for expected in [
            r#"<img src="/sub/2025/01/r1/chart.png" alt="Chart" />"#,
            r#"href="/sub/2025/01/r1/data/a.csv""#,
            r#"href="/sub/2025/01/other/""#,
            r##"href="#top""##,
            r#"href="/sub/""#,
            r#"href="/sub/about/""#,
            r#"href="https://example.com/x""#,
            r#"href="mailto:a@b.c""#,
        ] {
            assert!(html.contains(expected), "{expected} in {html}");
        }
        // A single-file article's are left as written.
        let html = render(md, &h, "/sub/").html;
        assert!(html.contains(r#"<img src="chart.png""#), "{html}");
    }

    #[test]
    fn root_links_and_images_get_the_base_path() {
        let r = render(
            "[a](/about/) [b](https://x.org/) [c](//cdn/x) ![d](/img/d.png) ![e](e.png) ![f](https://x.org/f.png)",
            &Highlighter::default(),
            "/ai-digest/",
        );
        assert!(r.html.contains("href=\"/ai-digest/about/\""));
        assert!(r.html.contains("href=\"https://x.org/\""));
        assert!(r.html.contains("href=\"//cdn/x\""));
        assert!(
            r.html.contains("src=\"/ai-digest/img/d.png\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("src=\"e.png\""));
        assert!(r.html.contains("src=\"https://x.org/f.png\""));
        let at_root = render("![d](/img/d.png)", &Highlighter::default(), "/");
        assert!(at_root.html.contains("src=\"/img/d.png\""));
    }

    #[test]
    fn an_image_alone_in_its_paragraph_is_a_figure() {
        let html = md(
            "![A](/a.png \"Cap & tion\")\n\n> ![B](b.png)\n\n[![C](c.png)](/x/)\n\nx ![D](d.png)",
        )
        .html;
        assert!(
            html.contains(r#"<figure><img src="/a.png" alt="A" title="Cap &amp; tion" /><figcaption>Cap &amp; tion</figcaption></figure>"#),
            "{html}"
        );
        assert!(
            html.contains("<blockquote>\n<figure><img src=\"b.png\" alt=\"B\" /></figure>"),
            "{html}"
        );
        assert!(
            html.contains("<p><a href=\"/x/\"><img src=\"c.png\""),
            "a linked image stays: {html}"
        );
        assert!(html.contains("<p>x <img src=\"d.png\""), "{html}");
        assert_eq!(html.matches("<figure>").count(), 2);
    }
}
