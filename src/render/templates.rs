//! The built-in theme, embedded in the binary, and a site's own `templates/` overriding any
//! file of it by name. Template errors are reported as `templates/NAME:line:col: message`.

use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tera::Tera;

use super::budget;
use crate::config::Config;
use crate::error::Diagnostic;
use crate::walk::Skipped;

/// Each built-in theme file: (name, text). Names ending in `.html` are Tera templates;
/// other files (the stylesheet) are rendered too, so they may use the site's settings.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("card.html", include_str!("../../templates/card.html")),
    (
        "timeline-month.html",
        include_str!("../../templates/timeline-month.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("page.html", include_str!("../../templates/page.html")),
    (
        "companies.html",
        include_str!("../../templates/companies.html"),
    ),
    ("company.html", include_str!("../../templates/company.html")),
    (
        "taxonomy.html",
        include_str!("../../templates/taxonomy.html"),
    ),
    ("term.html", include_str!("../../templates/term.html")),
    ("404.html", include_str!("../../templates/404.html")),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    (
        "editions.html",
        include_str!("../../templates/editions.html"),
    ),
    ("edition.html", include_str!("../../templates/edition.html")),
    (
        "edition-content.html",
        include_str!("../../templates/edition-content.html"),
    ),
    (
        "edition-email.html",
        include_str!("../../templates/edition-email.html"),
    ),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("search.html", include_str!("../../templates/search.html")),
    (
        "corrections.html",
        include_str!("../../templates/corrections.html"),
    ),
    ("search.js", include_str!("../../templates/search.js")),
    ("style.css", include_str!("../../templates/style.css")),
    ("favicon.svg", include_str!("../../templates/favicon.svg")),
];

/// Compiled templates, and where each came from (for error messages).
pub struct Theme {
    pub tera: Tera,
    sources: Vec<(String, PathBuf, String)>,
    /// Each template's path as messages show it, made once (every page's clock names it).
    shown: HashMap<String, Arc<str>>,
}

impl Theme {
    fn new(tera: Tera, sources: Vec<(String, PathBuf, String)>) -> Theme {
        let shown = sources
            .iter()
            .map(|(name, path, _)| (name.clone(), Arc::from(path.display().to_string())))
            .collect();
        Theme {
            tera,
            sources,
            shown,
        }
    }

    /// The built-in theme with `root/templates/*` laid over it.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let sources = read_sources(root)?;
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default also escapes `/`, which bloats every URL; this escapes what matters.
        tera.set_escape_fn(crate::html::escape);
        register_helpers(&mut tera, config);
        // Parse every file on its own (in parallel: the theme's parse is most of a small
        // site's fixed cost), so that each syntax error names its own file.
        let parsed: Vec<Result<tera::Template, Diagnostic>> = sources
            .par_iter()
            .map(|(name, path, text)| {
                tera::Template::new(name, None, text).map_err(|e| locate(path, text, &e))
            })
            .collect();
        let mut problems = Vec::new();
        for template in parsed {
            match template {
                Ok(t) => {
                    tera.templates.insert(t.name.clone(), t);
                }
                Err(d) => problems.push(d),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        link(&mut tera, root, &sources)?;
        Ok(Theme::new(tera, sources))
    }

    /// This theme after a save in `root/templates`: only the files whose text changed are
    /// parsed again, into a copy of the compiled templates (what `digest serve` does on a
    /// template save; parsing every template again is most of a stylesheet edit's time).
    /// `None` when a file was added or removed, or anything fails: [`Theme::load`] then
    /// reports the problem.
    pub fn updated(&self, root: &Path) -> Option<Theme> {
        let sources = read_sources(root).ok()?;
        if sources.len() != self.sources.len()
            || sources.iter().zip(&self.sources).any(|(a, b)| a.0 != b.0)
        {
            return None;
        }
        let changed: Vec<(&str, &str)> = sources
            .iter()
            .zip(&self.sources)
            .filter(|(a, b)| a.2 != b.2)
            .map(|(a, _)| (a.0.as_str(), a.2.as_str()))
            .collect();
        let mut tera = self.tera.clone();
        if !changed.is_empty() {
            for (name, text) in changed {
                let template = tera::Template::new(name, None, text).ok()?;
                tera.templates.insert(name.to_string(), template);
            }
            link(&mut tera, root, &sources).ok()?;
        }
        Some(Theme::new(tera, sources))
    }

    /// Renders `name`, mapping Tera's error to the template file and the line it names.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        let bytes = self.render_bytes(name, context)?;
        String::from_utf8(bytes)
            .map_err(|e| Diagnostic::file(Path::new(name), format!("not UTF-8 once rendered: {e}")))
    }

    /// Renders `name` as bytes, for a file: Tera writes only `str`s, so they are UTF-8
    /// already and not checked again (16,000 pages, ~300 MB, at 10,000 articles).
    pub fn render_bytes(&self, name: &str, context: &tera::Context) -> Result<Vec<u8>, Diagnostic> {
        // Within the time limit of the page being rendered, or of its own (budget.rs).
        let _clock = budget::unless_running(|| self.shown(name));
        // Into a buffer sized for a typical page, so it is not regrown (and copied) a few
        // times as it fills.
        let mut page = Vec::with_capacity(32 * 1024);
        let rendered = self
            .tera
            .render_to(name, context, budget::Timed::new(&mut page))
            .map(|()| page);
        rendered.map_err(|e| {
            let message = chain(&e);
            // Tera names the template that failed last (an included or parent one, perhaps).
            let failing = self
                .sources
                .iter()
                .filter_map(|source| {
                    message
                        .rfind(&format!("'{}'", source.0))
                        .map(|at| (at, source))
                })
                .max_by_key(|(at, _)| *at)
                .map(|(_, source)| source)
                .or_else(|| self.sources.iter().find(|(n, _, _)| n == name));
            if let Some(over) = budget::overrun() {
                let path = failing.map_or_else(|| PathBuf::from(&*over.template), |s| s.1.clone());
                return Diagnostic::file(&path, over.message());
            }
            match failing {
                Some((_, path, text)) => locate(path, text, &e),
                None => Diagnostic::file(Path::new(name), message),
            }
        })
    }

    /// Template `name`'s path as messages show it.
    pub fn shown(&self, name: &str) -> Arc<str> {
        self.shown
            .get(name)
            .cloned()
            .unwrap_or_else(|| Arc::from(name))
    }

    /// A version for each template that renders pages: a hash of its own text and of every
    /// shared template (base, macros, partials), so editing `article.html` changes only
    /// article pages' fingerprints while editing `base.html` changes all of them.
    pub fn versions(&self) -> std::collections::HashMap<String, u64> {
        use crate::render::plan::is_page_template;
        let is_page = |n: &str| is_page_template(n) || self.assets().any(|a| a == n);
        let shared = crate::hash::of(
            &self
                .sources
                .iter()
                .filter(|(n, _, _)| !is_page(n))
                .map(|(n, _, t)| (n, t))
                .collect::<Vec<_>>(),
        );
        self.sources
            .iter()
            .filter(|(n, _, _)| is_page(n))
            .map(|(n, _, t)| (n.clone(), crate::hash::of(&(shared, t))))
            .collect()
    }

    /// Template names that are not pages: the files a site's output gets as they are rendered.
    pub fn assets(&self) -> impl Iterator<Item = &str> {
        self.sources
            .iter()
            .map(|(n, _, _)| n.as_str())
            .filter(|n| !n.ends_with(".html") && *n != "atom.xml")
    }
}

/// What `Tera::add_raw_templates` does after parsing (link parents and macro files), once
/// no template extends, imports, includes or calls itself: Tera would recurse forever.
fn link(
    tera: &mut Tera,
    root: &Path,
    sources: &[(String, PathBuf, String)],
) -> Result<(), Vec<Diagnostic>> {
    let loops = super::template_loops::check(&tera.templates, sources);
    if !loops.is_empty() {
        return Err(loops);
    }
    tera.build_inheritance_chains()
        .and_then(|()| tera.check_macro_files())
        // Errors across templates: a missing parent or macro file.
        .map_err(|e| vec![missing_template(root, sources, &e)])
}

/// The built-in theme's files with `root/templates/*` laid over them: (name, path shown in
/// messages, text).
fn read_sources(root: &Path) -> Result<Vec<(String, PathBuf, String)>, Vec<Diagnostic>> {
    let mut sources: Vec<(String, PathBuf, String)> = BUILTIN
        .iter()
        .map(|(name, text)| {
            (
                name.to_string(),
                PathBuf::from(format!("(built-in theme) templates/{name}")),
                text.to_string(),
            )
        })
        .collect();
    let dir = root.join("templates");
    let mut problems = Vec::new();
    if dir.is_dir() {
        // Links are followed (a linked override is honoured) but must stay in the site.
        let shown = |path: &Path| {
            let rel = path.strip_prefix(&dir).unwrap_or(path);
            crate::display_path(root, Path::new("templates").join(rel))
        };
        for entry in crate::walk::inside_site(root, &dir) {
            let entry = match entry {
                Ok(e) => e,
                Err(Skipped::Unreadable(e)) => {
                    let path = e.path().map_or_else(|| dir.clone(), Path::to_path_buf);
                    problems.push(Diagnostic::file(&shown(&path), unreadable(&path, &e)));
                    continue;
                }
                Err(Skipped::Outside { path, target }) => {
                    let message = Skipped::outside_message(&target);
                    problems.push(Diagnostic::file(&shown(&path), message));
                    continue;
                }
            };
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if hidden && entry.file_type().is_file() {
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let name = rel.to_string_lossy().replace('\\', "/");
            let shown = shown(entry.path());
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => {
                    sources.retain(|(n, _, _)| *n != name);
                    sources.push((name, shown, text));
                }
                Err(e) => problems.push(Diagnostic::file(
                    &shown,
                    format!("cannot read the template: {e}"),
                )),
            }
        }
    }
    if problems.is_empty() {
        Ok(sources)
    } else {
        Err(problems)
    }
}

/// What went wrong walking `templates/` at `path`: most often a link to nothing.
fn unreadable(path: &Path, e: &walkdir::Error) -> String {
    match std::fs::read_link(path) {
        Ok(target) if !path.exists() => format!(
            "is a link to {}, which does not exist; point it at a template or remove it",
            target.display()
        ),
        _ if e.loop_ancestor().is_some() => {
            "is a link to a folder that contains it; remove the link".to_string()
        }
        _ => format!("cannot read the templates folder here: {e}"),
    }
}

impl Theme {
    /// Gives templates `load_data(path="data/prices.csv")`: a file of `data` (`data/`),
    /// as Zola's function of that name reads one.
    pub fn use_data(&mut self, data: std::sync::Arc<crate::content::data::Data>) {
        self.tera.register_function(
            "load_data",
            move |args: &std::collections::HashMap<String, tera::Value>| {
                let path = args.get("path").and_then(|v| v.as_str()).ok_or_else(|| {
                    tera::Error::msg("load_data() needs a `path` argument, e.g. load_data(path=\"data/prices.csv\")")
                })?;
                data.file(path).cloned().ok_or_else(|| {
                    tera::Error::msg(format!(
                        "load_data() found no data file \"{path}\"; it reads the .toml, .json and .csv files of data/, named like \"data/prices.csv\""
                    ))
                })
            },
        );
    }
}

/// Helpers templates call: `url(path="...")` gives a site-internal URL with the base path.
fn register_helpers(tera: &mut Tera, config: &Config) {
    let base_path = config.base_path.clone();
    tera.register_function(
        "url",
        move |args: &std::collections::HashMap<String, tera::Value>| {
            let path = args.get("path").and_then(|v| v.as_str()).ok_or_else(|| {
                tera::Error::msg("url() needs a `path` argument, e.g. url(path=\"tags/\")")
            })?;
            Ok(tera::Value::String(format!(
                "{}{}",
                base_path,
                path.trim_start_matches('/')
            )))
        },
    );
    // Bounded in length and time, where Tera's would allocate any length.
    tera.register_function("range", budget::range);
    tera.register_filter("cdata", Cdata);
    // `html | absolute_links`: root-relative links and images made absolute, for copies
    // read away from the site (email, feeds).
    let origin = config
        .base_url
        .strip_suffix(config.base_path.as_str())
        .unwrap_or(&config.base_url)
        .to_string();
    tera.register_filter(
        "absolute_links",
        move |value: &tera::Value, _: &std::collections::HashMap<String, tera::Value>| {
            let html = value
                .as_str()
                .ok_or_else(|| tera::Error::msg("absolute_links needs a string of HTML"))?;
            Ok(tera::Value::String(absolute_links(html, &origin)))
        },
    );
}

/// `text | cdata`: the text as an XML CDATA section, for HTML inside a feed. The same for a
/// feed reader as escaping it, but a third smaller for highlighted code (no `&lt;` for each
/// `<`) and copied instead of scanned character by character. Its output is not escaped
/// again.
struct Cdata;

impl tera::Filter for Cdata {
    fn filter(
        &self,
        value: &tera::Value,
        _: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let text = value
            .as_str()
            .ok_or_else(|| tera::Error::msg("cdata needs a string"))?;
        Ok(tera::Value::String(cdata(text)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `text` in one or more CDATA sections: a `]]>` inside would end the section, so each is
/// split between two.
pub fn cdata(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 12);
    out.push_str("<![CDATA[");
    // memchr's vectorised search: feeds wrap whole articles, tens of MB a build, and
    // `str::split` was 1.3 % of a build's instructions.
    let mut rest = text;
    while let Some(at) = memchr::memmem::find(rest.as_bytes(), b"]]>") {
        out.push_str(&rest[..at]);
        out.push_str("]]]]><![CDATA[>");
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    out.push_str("]]>");
    out
}

/// Rewrites `href="/x"` and `src="/x"` (but not `//host`) to `{origin}/x`.
pub fn absolute_links(html: &str, origin: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("=\"/") {
        let attr_start = rest[..at]
            .rfind(|c: char| !c.is_ascii_alphabetic())
            .map_or(0, |i| i + 1);
        let attr = &rest[attr_start..at];
        let after = &rest[at + 3..];
        out.push_str(&rest[..at + 2]);
        if (attr == "href" || attr == "src") && !after.starts_with('/') {
            out.push_str(origin);
        }
        out.push('/');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The whole chain of a Tera error, most specific last.
fn chain(error: &tera::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        parts.push(e.to_string());
        source = e.source();
    }
    parts.join(": ")
}

/// A template that extends or imports one that does not exist, located at the name of the
/// missing one in the template that refers to it.
fn missing_template(
    root: &Path,
    sources: &[(String, PathBuf, String)],
    e: &tera::Error,
) -> Diagnostic {
    let (current, missing, what) = match &e.kind {
        tera::ErrorKind::MissingParent { current, parent } => {
            (current.clone(), parent.clone(), "extends")
        }
        _ => {
            // "Template `a.html` loads macros from `m.html` which isn't present in Tera"
            let message = chain(e);
            let mut quoted = message.split('`').skip(1).step_by(2);
            match (quoted.next(), quoted.next()) {
                (Some(current), Some(missing)) if message.contains("loads macros from") => (
                    current.to_string(),
                    missing.to_string(),
                    "imports macros from",
                ),
                _ => {
                    return Diagnostic::file(&crate::display_path(root, "templates"), message);
                }
            }
        }
    };
    let message = format!(
        "this template {what} `{missing}`, which is neither in templates/ nor in the built-in \
         theme; create templates/{missing} or name an existing template"
    );
    match sources.iter().find(|(n, _, _)| *n == current) {
        Some((_, path, text)) => {
            let offset = text.find(&format!("\"{missing}\"")).map_or(0, |o| o + 1);
            Diagnostic::at_offset(path, text, offset, 1, message)
        }
        None => Diagnostic::file(&crate::display_path(root, "templates"), message),
    }
}

/// A Diagnostic for a template error: the line and column Tera gives (` --> 3:7`), else
/// the first place the missing variable or filter appears in the template's text.
fn locate(path: &Path, text: &str, error: &tera::Error) -> Diagnostic {
    let message = chain(error);
    if let Some(pos) = message.find("--> ") {
        let nums: Vec<usize> = message[pos + 4..]
            .split(|c: char| !c.is_ascii_digit())
            .take(2)
            .filter_map(|n| n.parse().ok())
            .collect();
        if let [line, col] = nums[..] {
            let detail = message.rsplit("= ").next().unwrap_or(&message).trim();
            return Diagnostic::at(path, line, col, format!("template syntax error: {detail}"));
        }
    }
    // What to look for in the text: Tera quotes a variable in backticks, a filter or an
    // included template in single quotes.
    let single = |prefix: &str| {
        message
            .split(prefix)
            .nth(1)
            .and_then(|r| r.split('\'').next())
            .map(|n| n.trim_matches(['[', ']']))
    };
    let quoted = message
        .split('`')
        .nth(1)
        .or_else(|| single("Filter '"))
        .or_else(|| single("Template '"))
        .unwrap_or("");
    let offset = if quoted.is_empty() {
        None
    } else {
        text.find(quoted)
    };
    let mut detail = message.split(": ").last().unwrap_or(&message).to_string();
    if detail.contains("not found in context") {
        // Tera: "Variable `page.nope` not found in context while rendering 'page.html'".
        detail = format!(
            "`{quoted}` is not defined here; check its spelling against the variables this \
             template receives (README, Templates), or write `{quoted} | default(value=\"\")`"
        );
    } else if let Some(name) = detail
        .strip_prefix("Filter '")
        .and_then(|r| r.strip_suffix("' not found"))
    {
        detail = format!(
            "there is no filter `{name}`; check its spelling against Tera's built-in filters \
             (https://keats.github.io/tera/docs/#built-in-filters)"
        );
    } else if detail.starts_with("Template '") && detail.ends_with("' not found") {
        detail = format!(
            "there is no template `{quoted}` to include; create templates/{quoted} or name an \
             existing template"
        );
    }
    match offset {
        Some(o) => Diagnostic::at_offset(path, text, o, 1, detail),
        None => Diagnostic::file(path, detail),
    }
}

#[cfg(test)]
mod tests {
    use super::{absolute_links, cdata};

    /// Links in templates/: one to nothing and one to its own folder are errors naming the
    /// link; hidden files are still skipped and a plain override still read.
    #[cfg(unix)]
    #[test]
    fn broken_and_looping_links_in_templates_are_errors() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("templates");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("page.html"), "mine").unwrap();
        std::fs::write(dir.join(".page.html.swp"), "x").unwrap();
        std::os::unix::fs::symlink("nowhere.html", dir.join("gone.html")).unwrap();
        std::os::unix::fs::symlink(".", dir.join("again")).unwrap();
        let problems: Vec<String> = match super::read_sources(root.path()) {
            Ok(_) => vec![],
            Err(p) => p.iter().map(|d| d.to_string()).collect(),
        };
        let shown = |name: &str| dir.join(name).display().to_string();
        assert_eq!(
            problems,
            [
                format!("{}:1:1: is a link to a folder that contains it; remove the link", shown("again")),
                format!(
                    "{}:1:1: is a link to nowhere.html, which does not exist; point it at a template or remove it",
                    shown("gone.html")
                ),
            ]
        );
    }

    /// Dotted and subscripted paths (also ones holding `/` or `~`, which Tera escapes as
    /// `~1` and `~0` inside a path) resolve alike, and text is printed as it is.
    #[test]
    fn tera_looks_up_plain_and_escaped_paths_alike() {
        let mut ctx = tera::Context::new();
        let a = serde_json::json!({"x/y": "slash", "x~y": "tilde", "x~1y": "raw", "b": {"c": "plain"}, "n": 7});
        ctx.insert("a", &a);
        let template =
            r#"{{ a["x/y"] }} {{ a["x~y"] }} {{ a.b.c }} {{ a["b"]["c"] }} {{ a.n }} <&>"#;
        let out = tera::Tera::one_off(template, &ctx, true).unwrap();
        assert_eq!(out, "slash tilde plain plain 7 <&>");
        assert!(tera::Tera::one_off("{{ a.missing }}", &ctx, true).is_err());
    }

    /// digest's escape function (`html::escape`, set on the theme's Tera): a value comes out
    /// escaped the same way whether printed, filtered, set, or printed in a macro, and nested
    /// objects, arrays and paths with brackets resolve alike.
    #[test]
    fn tera_prints_and_escapes_with_digests_escape() {
        let mut tera = tera::Tera::default();
        tera.set_escape_fn(crate::html::escape);
        tera.add_raw_templates([
            ("m.html", "{% macro show(v) %}[{{ v }}]{% endmacro show %}"),
            (
                "t.html",
                concat!(
                    r#"{% import "m.html" as m %}"#,
                    r#"{{ a.t }}|{{ a.t | upper }}|{{ a.t | safe }}|{% set s = a.t %}{{ s }}|"#,
                    r#"{{ m::show(v=a.t) }}|{{ a.list.1.k }}|{{ a["list"][1]["k"] }}|"#,
                    r#"{{ a.b.c }}|{% for x in a.list %}{{ x.k }}{% endfor %}|{{ a.n }}"#,
                ),
            ),
        ])
        .unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert(
            "a",
            &serde_json::json!({
                "t": "Q&A: <b>'x'</b>", "n": 7,
                "list": [{"k": "<0>"}, {"k": "it's"}], "b": {"c": "dots"},
            }),
        );
        let out = tera.render("t.html", &ctx).unwrap();
        let t = "Q&amp;A: &lt;b&gt;&#39;x&#39;&lt;/b&gt;";
        assert_eq!(
            out,
            format!(
                "{t}|Q&amp;A: &lt;B&gt;&#39;X&#39;&lt;/B&gt;|Q&A: <b>'x'</b>|{t}|[{t}]|it&#39;s|it&#39;s|dots|&lt;0&gt;it&#39;s|7"
            )
        );
    }

    #[test]
    fn cdata_keeps_any_text_including_its_own_end_marker() {
        for text in ["", "<p class=\"x\">a &amp; b</p>", "a]]>b", "]]>]]>", "x]]"] {
            let xml = format!("<c>{}</c>", cdata(text));
            let doc = roxmltree::Document::parse(&xml).expect(&xml);
            let read: String = doc
                .root_element()
                .children()
                .filter_map(|n| n.text())
                .collect();
            assert_eq!(read, text, "{xml}");
        }
    }

    #[test]
    fn absolute_links_only_touch_root_relative_urls() {
        let html = r#"<a href="/d/x/">x</a> <img src="/d/i.png"> <a href="//cdn/y">y</a> <a href="https://e/z">z</a> <a title="/not">n</a>"#;
        assert_eq!(
            absolute_links(html, "https://u.github.io"),
            r#"<a href="https://u.github.io/d/x/">x</a> <img src="https://u.github.io/d/i.png"> <a href="//cdn/y">y</a> <a href="https://e/z">z</a> <a title="/not">n</a>"#
        );
    }
}
