//! Folder articles' files and lead images.
//!
//! An article may be a folder, `content/articles/YYYY/<slug>/index.md`: every other file
//! below that folder is an [`Asset`], published at the article's URL, so that a relative
//! `![](chart.png)` works. Links are followed only while they stay inside the site's folder
//! ([`crate::walk::inside_site`], the rule of `static/`).
//!
//! An article's `[image]` table names its lead image: a file beside it (folder articles) or
//! a path under `static/` (`/img/x.jpg`). The file is checked and measured here, from its
//! header only (the `imagesize` crate for JPEG, PNG, GIF and WebP; the root element's
//! `width`, `height` or `viewBox` for SVG), so that pages can give `width` and `height`.

use serde::Deserialize;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use toml::Spanned;

use super::load::{is_ignored, ARTICLES};
use crate::error::Diagnostic;
use crate::images::Raster;
use crate::walk::Skipped;

/// A file of a folder article, published at the article's URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Asset {
    /// The file on disk.
    pub source: PathBuf,
    /// Its path below the article's folder, with `/` separators (`chart.png`, `data/a.csv`).
    pub rel: String,
}

/// An article's lead image, checked and measured.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LeadImage {
    /// Its path below the site root (`2025/01/r1/lead.jpg`, `img/x.jpg`).
    pub path: String,
    /// Pixels, from the file's header; `None` for an SVG that states no size.
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// The file on disk (a rebuild re-measures it when it changes).
    pub source: PathBuf,
    /// Whether it is under `static/` rather than beside the article.
    pub in_static: bool,
    /// The file as a raster to make responsive variants of; `None` for an SVG (published
    /// as it is) and for an article read without its place on disk.
    pub raster: Option<Raster>,
}

/// `[image]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImage {
    pub src: Spanned<String>,
    pub alt: Option<Spanned<String>>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// Where an article file is on disk, for what lies beside it.
pub struct Place<'a> {
    /// The site's folder.
    pub root: &'a Path,
    /// The article file on disk.
    pub file: &'a Path,
}

impl Place<'_> {
    /// The article's own folder when it is a folder article: an `index.md` in a folder
    /// below `content/articles` (an `index.md` right in `content/articles` is a plain one).
    pub fn folder(&self) -> Option<&Path> {
        folder_of(self.root, self.file)
    }
}

/// The folder of a folder article's `index.md` at `file`, else `None`.
pub fn folder_of<'p>(root: &Path, file: &'p Path) -> Option<&'p Path> {
    let parent = file.parent()?;
    (file.file_name()? == "index.md" && parent != root.join(ARTICLES)).then_some(parent)
}

/// Every file below a folder article's `folder` except its `index.md`, in name order, and
/// the problems met (a link out of the site, an unreadable entry). Hidden and editors'
/// backup files are skipped, as everywhere in `content/`.
pub fn folder_assets(root: &Path, folder: &Path) -> (Vec<Asset>, Vec<Diagnostic>) {
    let shown = |path: &Path| crate::display_path(root, path.strip_prefix(root).unwrap_or(path));
    let mut assets = Vec::new();
    let mut problems = Vec::new();
    for entry in crate::walk::inside_site(root, folder) {
        match entry {
            Ok(e) => {
                let rel = e.path().strip_prefix(folder).unwrap_or(e.path());
                if e.depth() == 0 || rel == Path::new("index.md") {
                    continue;
                }
                let hidden = rel.components().any(|c| match c {
                    Component::Normal(s) => is_ignored(&s.to_string_lossy()),
                    _ => false,
                });
                if hidden || !e.file_type().is_file() {
                    continue;
                }
                assets.push(Asset {
                    source: e.path().to_path_buf(),
                    rel: rel.to_string_lossy().replace('\\', "/"),
                });
            }
            Err(Skipped::Unreadable(err)) => {
                let at = err.path().map_or_else(|| shown(folder), shown);
                problems.push(Diagnostic::file(&at, format!("cannot read: {err}")));
            }
            Err(Skipped::Outside { path, target }) => {
                problems.push(Diagnostic::file(
                    &shown(&path),
                    Skipped::outside_message(&target),
                ));
            }
        }
    }
    (assets, problems)
}

/// A problem with `[image]`: the byte range of the value at fault, and what to do.
pub type Fault = (std::ops::Range<usize>, String);

/// Checks and measures an article's `[image]`. `table` is the span of the `[image]`
/// table; `article_path` the article's path below the site root (`2025/01/r1/`);
/// `assets` the files of its folder (`place.folder()`), if it is a folder article.
pub fn lead_image(
    raw: RawImage,
    table: std::ops::Range<usize>,
    place: Option<&Place<'_>>,
    article_path: &str,
    assets: &[Asset],
) -> Result<LeadImage, Vec<Fault>> {
    let mut faults = Vec::new();
    let alt = match &raw.alt {
        Some(a) if !a.get_ref().trim().is_empty() => a.get_ref().trim().to_string(),
        Some(a) => {
            faults.push((
                a.span(),
                "`alt` is empty: describe the picture for readers who cannot see it".into(),
            ));
            String::new()
        }
        None => {
            faults.push((
                table.start..table.start,
                "`[image]` has no `alt`: add `alt = \"...\"`, a description of the picture \
                 for readers who cannot see it"
                    .into(),
            ));
            String::new()
        }
    };
    let located = place.map(|p| locate(raw.src.get_ref(), p, article_path, assets));
    let span = raw.src.span();
    let file = match located {
        Some(Ok(file)) => Some(file),
        Some(Err(m)) => {
            faults.push((span.clone(), m));
            None
        }
        // Read without a folder (the fuzz targets): nothing to check the file against.
        None => None,
    };
    let measured = file.as_ref().map(|(_, disk, _)| measure(disk));
    let (width, height) = match measured {
        Some(Ok(size)) => size,
        Some(Err(m)) => {
            faults.push((span.clone(), m));
            (None, None)
        }
        None => (None, None),
    };
    let raster = match (&file, width, height) {
        (Some((_, disk, _)), Some(w), Some(h)) => raster_of(disk, w, h)
            .map_err(|m| faults.push((span, m)))
            .ok()
            .flatten(),
        _ => None,
    };
    if !faults.is_empty() {
        return Err(faults);
    }
    let nonempty = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let (path, source, in_static) =
        file.unwrap_or_else(|| (raw.src.get_ref().clone(), PathBuf::new(), false));
    Ok(LeadImage {
        path,
        width,
        height,
        alt,
        caption: nonempty(raw.caption),
        credit: nonempty(raw.credit),
        source,
        in_static,
        raster,
    })
}

/// `disk`, measured at `width` x `height`, as a [`Raster`]; `None` when it is not a raster
/// format (an SVG).
pub fn raster_of(disk: &Path, width: u32, height: u32) -> Result<Option<Raster>, String> {
    let name = disk
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let found = crate::images::identify(disk)
        .map_err(|e| format!("cannot read `{name}` as an image: {e}"))?;
    Ok(found.map(|(format, hash)| Raster {
        source: disk.to_path_buf(),
        format,
        hash,
        width,
        height,
        orientation: match format {
            crate::images::Format::Jpeg => crate::images::orientation::of_file(disk),
            _ => 1,
        },
    }))
}

/// The raster file a Markdown body's image URL (as written) names, for a responsive
/// `<picture>`: a root-relative path under `static/` (`/img/chart.png`) or, in a folder
/// article, a file of its folder (`chart.png`). `None` for anything else (a URL, an SVG, a
/// file that is not there, which `digest check` reports), left as written; an error for a
/// file that is there but cannot be read as an image.
pub fn body_raster(
    url: &str,
    place: &Place<'_>,
    assets: &[Asset],
) -> Option<Result<Raster, String>> {
    let lower = url.to_ascii_lowercase();
    let raster_ext = [".jpg", ".jpeg", ".png", ".gif", ".webp"]
        .iter()
        .any(|x| lower.ends_with(x));
    let scheme = url
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .contains(':');
    if !raster_ext || scheme || url.starts_with("//") || url.contains(['?', '#', '\\', '\0']) {
        return None;
    }
    let disk = if let Some(rel) = url.strip_prefix('/') {
        let climbs = Path::new(rel)
            .components()
            .any(|c| !matches!(c, Component::Normal(_)));
        if climbs || rel.is_empty() {
            return None;
        }
        place.root.join("static").join(rel)
    } else {
        let folder = place.folder()?;
        let rel = url.strip_prefix("./").unwrap_or(url);
        let asset = assets.iter().find(|a| a.rel == rel)?;
        debug_assert!(asset.source.starts_with(folder));
        asset.source.clone()
    };
    if !disk.is_file() {
        return None;
    }
    let site = std::fs::canonicalize(place.root).unwrap_or_else(|_| place.root.to_path_buf());
    if crate::walk::outside(&site, &disk).is_some() {
        return None;
    }
    Some(match measure(&disk) {
        Ok((Some(w), Some(h))) => raster_of(&disk, w, h).transpose()?,
        Ok(_) => return None,
        Err(m) => Err(m),
    })
}

/// Where `src` is: (path below the site root, file on disk, whether under `static/`).
fn locate(
    src: &str,
    place: &Place<'_>,
    article_path: &str,
    assets: &[Asset],
) -> Result<(String, PathBuf, bool), String> {
    let src = src.trim();
    let usage = "write a file beside the article (`src = \"lead.jpg\"`, in a folder article) \
                 or a path under static/ (`src = \"/img/lead.jpg\"`)";
    if !publishable(src) {
        return Err(format!(
            "`src = \"{src}\"` is not a path digest publishes: {usage}"
        ));
    }
    if let Some(rel) = src.strip_prefix('/') {
        let disk = place.root.join("static").join(rel);
        check_file(place.root, &disk, &format!("static/{rel}"))?;
        return Ok((rel.to_string(), disk, true));
    }
    let Some(folder) = place.folder() else {
        return Err(format!(
            "`src = \"{src}\"` is relative, but this article is a single file: make it a folder \
             article (`content/articles/YYYY/<slug>/index.md` with the image beside it), or \
             put the image under static/ and write `src = \"/img/{src}\"`"
        ));
    };
    let disk = folder.join(src);
    let shown = crate::display_path(place.root, disk.strip_prefix(place.root).unwrap_or(&disk));
    check_file(place.root, &disk, &shown.to_string_lossy())?;
    if !assets.iter().any(|a| a.rel == src) {
        return Err(format!(
            "`{src}` is not published with the article (hidden and backup files are not); \
             rename it"
        ));
    }
    Ok((format!("{article_path}{src}"), disk, false))
}

/// Whether `src` (trimmed) is a path digest may publish a file at: not empty, no `..` or
/// `.`, no empty segment, no URL or Windows syntax.
fn publishable(src: &str) -> bool {
    let climbs = Path::new(src)
        .components()
        .any(|c| matches!(c, Component::ParentDir | Component::CurDir));
    !(src.is_empty()
        || climbs
        || src.contains(['\\', '\0', '?', '#', ':'])
        || src.starts_with("//")
        || src.split('/').skip(1).any(str::is_empty))
}

/// A company's logo (`logo` in its profile), checked and measured.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Logo {
    /// Its path below the site root: `companies/openai.svg` for a file beside the profile
    /// (published there), `img/openai.png` for one under `static/`.
    pub path: String,
    /// The file on disk.
    pub source: PathBuf,
    pub in_static: bool,
    /// Pixels, from its header; `None` for an SVG that states no size.
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// The logo file `src` names, for a profile in the site at `root`: a file beside the
/// profiles (`openai.svg`, in `content/companies/`) or a path under `static/`
/// (`/img/openai.svg`), measured like a lead image.
pub fn logo(src: &str, root: &Path) -> Result<Logo, String> {
    let src = src.trim();
    if !publishable(src) {
        return Err(format!(
            "`logo = \"{src}\"` is not a path digest publishes: write a file beside the \
             profile (`logo = \"openai.svg\"`, in content/companies/) or a path under static/ \
             (`logo = \"/img/openai.svg\"`)"
        ));
    }
    let (path, source, shown, in_static) = match src.strip_prefix('/') {
        Some(rel) => (
            rel.to_string(),
            root.join("static").join(rel),
            format!("static/{rel}"),
            true,
        ),
        None => (
            format!("companies/{src}"),
            root.join(super::load::PROFILES).join(src),
            format!("{}/{src}", super::load::PROFILES),
            false,
        ),
    };
    let hidden = Path::new(src)
        .components()
        .any(|c| is_ignored(&c.as_os_str().to_string_lossy()));
    if !in_static && hidden {
        return Err(format!(
            "`{shown}` is hidden or a backup file, which digest does not publish; rename it"
        ));
    }
    check_file(root, &source, &shown)?;
    let (width, height) = measure(&source)?;
    Ok(Logo {
        path,
        source,
        in_static,
        width,
        height,
    })
}

/// That `disk` (shown as `shown`) is a file inside the site's folder.
fn check_file(root: &Path, disk: &Path, shown: &str) -> Result<(), String> {
    let site = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if let Some(target) = crate::walk::outside(&site, disk) {
        return Err(format!("`{shown}` {}", Skipped::outside_message(&target)));
    }
    match std::fs::metadata(disk) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(m) if m.is_dir() => Err(format!("`{shown}` is a folder, not an image file")),
        Ok(_) => Err(format!("`{shown}` is not a regular file")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("there is no file `{shown}`"))
        }
        Err(e) => Err(format!("cannot read `{shown}`: {e}")),
    }
}

/// At most this much of an SVG file is read to find its root element.
const SVG_HEAD: u64 = 64 * 1024;

/// Width and height of the image file at `disk`, from its header, as shown (a JPEG turned
/// a quarter by its EXIF orientation has them swapped).
pub fn measure(disk: &Path) -> Result<(Option<u32>, Option<u32>), String> {
    let name = disk
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let cannot = |why: String| format!("cannot read `{name}` as an image: {why}");
    let file = std::fs::File::open(disk).map_err(|e| cannot(e.to_string()))?;
    let is_svg = disk
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("svg"));
    if is_svg {
        let mut head = Vec::new();
        file.take(SVG_HEAD)
            .read_to_end(&mut head)
            .map_err(|e| cannot(e.to_string()))?;
        return svg_size(&String::from_utf8_lossy(&head))
            .ok_or_else(|| cannot("no `<svg` element at its start".into()));
    }
    let mut reader = std::io::BufReader::new(file);
    // Only a JPEG has an EXIF orientation worth reading (its first bytes, peeked).
    let is_jpeg =
        std::io::BufRead::fill_buf(&mut reader).is_ok_and(|b| b.starts_with(&[0xFF, 0xD8]));
    let size = imagesize::reader_size(reader).map_err(|e| {
        let why = match e {
            imagesize::ImageError::NotSupported => "it is not a JPEG, PNG, GIF or WebP file".into(),
            imagesize::ImageError::IoError(e) if e.kind() != std::io::ErrorKind::UnexpectedEof => {
                e.to_string()
            }
            _ => "its header is cut short or damaged".into(),
        };
        cannot(format!(
            "{why}; digest shows JPEG, PNG, GIF, WebP and SVG files"
        ))
    })?;
    let px = |n: usize| u32::try_from(n).ok().filter(|&n| n > 0);
    // A JPEG turned by its EXIF orientation is shown turned: its size too.
    let turned =
        is_jpeg && crate::images::orientation::swaps(crate::images::orientation::of_file(disk));
    match (px(size.width), px(size.height)) {
        (Some(w), Some(h)) if turned => Ok((Some(h), Some(w))),
        (Some(w), Some(h)) => Ok((Some(w), Some(h))),
        _ => Err(cannot(format!(
            "its header gives a size of {} x {} pixels",
            size.width, size.height
        ))),
    }
}

/// The size an SVG's root element states: `width` and `height` in pixels (bare numbers or
/// `px`), else its `viewBox`; `(None, None)` when it states neither; `None` when there is
/// no `<svg` element.
fn svg_size(text: &str) -> Option<(Option<u32>, Option<u32>)> {
    let start = text.find("<svg")?;
    let rest = &text[start + 4..];
    if !rest.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
        return None;
    }
    let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
    let attr = |name: &str| -> Option<&str> {
        let mut from = 0;
        while let Some(i) = tag[from..].find(name) {
            let at = from + i;
            from = at + name.len();
            let before_ok = tag[..at].ends_with(|c: char| c.is_whitespace());
            let after = tag[from..].trim_start();
            if before_ok && after.starts_with('=') {
                let value = after[1..].trim_start();
                let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
                let value = &value[1..];
                return value.find(quote).map(|end| &value[..end]);
            }
        }
        None
    };
    let pixels = |v: &str| -> Option<u32> {
        let v = v.trim();
        let v = v.strip_suffix("px").unwrap_or(v);
        let n: f64 = v.parse().ok()?;
        (n.is_finite() && n >= 1.0 && n <= f64::from(u32::MAX)).then(|| n.round() as u32)
    };
    let (w, h) = (
        attr("width").and_then(pixels),
        attr("height").and_then(pixels),
    );
    if let (Some(w), Some(h)) = (w, h) {
        return Some((Some(w), Some(h)));
    }
    let view: Vec<f64> = attr("viewBox")
        .unwrap_or("")
        .split([' ', ',', '\t', '\n'])
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match view.as_slice() {
        [_, _, vw, vh] => match (pixels(&vw.to_string()), pixels(&vh.to_string())) {
            (Some(w), Some(h)) => Some((Some(w), Some(h))),
            _ => Some((None, None)),
        },
        _ => Some((None, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_come_from_width_and_height_else_the_view_box() {
        assert_eq!(
            svg_size(r#"<?xml version="1.0"?><svg xmlns="x" width="640" height="360px">"#),
            Some((Some(640), Some(360)))
        );
        assert_eq!(
            svg_size(r#"<svg viewBox="0 0 1200 630" width="100%">"#),
            Some((Some(1200), Some(630)))
        );
        assert_eq!(svg_size("<svg>"), Some((None, None)));
        assert_eq!(
            svg_size(r#"<svg width="-3" height="1e400">"#),
            Some((None, None))
        );
        assert_eq!(svg_size("<svgfoo>"), None);
        assert_eq!(svg_size("hello"), None);
        assert_eq!(svg_size("<svg width=\"12"), Some((None, None)));
    }

    /// Hostile bytes behind each format's magic number: an error, never a panic.
    #[test]
    fn measuring_garbage_fails_without_panicking() {
        let dir = tempfile::tempdir().unwrap();
        let magics: [&[u8]; 6] = [
            b"\x89PNG\r\n\x1a\n",
            b"\xff\xd8\xff",
            b"GIF89a",
            b"RIFF\0\0\0\0WEBPVP8 ",
            b"RIFF\0\0\0\0WEBPVP8X",
            b"",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for (m, magic) in magics.iter().enumerate() {
            for round in 0..300 {
                let len = (next() % 64) as usize;
                let mut bytes = magic.to_vec();
                bytes.extend((0..len).map(|_| next() as u8));
                let path = dir.path().join(format!("x{m}-{round}.png"));
                std::fs::write(&path, &bytes).unwrap();
                let _ = measure(&path);
            }
        }
        let empty = dir.path().join("empty.jpg");
        std::fs::write(&empty, b"").unwrap();
        assert!(measure(&empty)
            .unwrap_err()
            .contains("cannot read `empty.jpg`"));
    }
}
