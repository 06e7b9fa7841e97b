//! `srcset` lists of a raster's variants, and the `<picture>` that a Markdown body's
//! image becomes.

use super::{variants, Format, Raster, Settings, OUTPUT_DIR};
use crate::html::escape;

/// A raster's variants as `srcset` lists, with the base path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrcSets {
    /// The WebP variants, for a `<source type="image/webp">`; `None` when the source is
    /// WebP (then `srcset` lists them).
    pub webp: Option<String>,
    /// The variants in the fallback format, for the `<img>`.
    pub srcset: String,
    /// The widest fallback variant, for `src`.
    pub src: String,
    /// Its size.
    pub width: u32,
    pub height: u32,
    /// The MIME type of the fallback variants.
    pub mime: &'static str,
}

/// The `srcset` lists of `raster`'s variants, URLs below `base_path` (`/` or `/sub/`).
pub fn srcset(settings: &Settings, raster: &Raster, base_path: &str) -> SrcSets {
    let all = variants(settings, raster);
    let list = |webp: bool| {
        all.iter()
            .filter(|v| v.webp == webp)
            .map(|v| format!("{base_path}{OUTPUT_DIR}/{} {}w", v.name, v.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let is_webp = raster.format == Format::WebP;
    let widest = all
        .iter()
        .rev()
        .find(|v| v.webp == is_webp)
        .expect("every raster has at least one variant");
    SrcSets {
        webp: (!is_webp).then(|| list(true)),
        srcset: list(is_webp),
        src: format!("{base_path}{OUTPUT_DIR}/{}", widest.name),
        width: widest.width,
        height: widest.height,
        mime: raster.format.fallback_mime(),
    }
}

/// The HTML of a body image: a `<picture>` with the WebP variants and the fallback
/// `<img>`, lazily loaded (body images are below the lead).
pub fn body_picture(sets: &SrcSets, sizes: &str, alt: &str, title: &str) -> String {
    let sizes = escape(sizes);
    let mut html = String::from("<picture>");
    if let Some(webp) = &sets.webp {
        html.push_str(&format!(
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">",
            escape(webp)
        ));
    }
    html.push_str(&format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{}\"",
        escape(&sets.src),
        escape(&sets.srcset),
        sets.width,
        sets.height,
        escape(alt)
    ));
    if !title.is_empty() {
        html.push_str(&format!(" title=\"{}\"", escape(title)));
    }
    html.push_str(" loading=\"lazy\" decoding=\"async\"></picture>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srcsets_carry_the_base_path_and_widths() {
        let r = Raster {
            source: "x.jpg".into(),
            format: Format::Jpeg,
            hash: 1,
            width: 1000,
            height: 500,
            orientation: 1,
        };
        let s = srcset(&Settings::default(), &r, "/sub/");
        let webp = s.webp.as_deref().unwrap();
        assert!(
            webp.starts_with("/sub/_img/") && webp.contains("-480.webp 480w, "),
            "{webp}"
        );
        assert!(s.srcset.ends_with("-1000.jpg 1000w"), "{}", s.srcset);
        assert!(s.src.ends_with("-1000.jpg"));
        assert_eq!((s.width, s.height, s.mime), (1000, 500, "image/jpeg"));
        let html = body_picture(&s, "100vw", "A \"chart\"", "");
        assert!(html.starts_with("<picture><source type=\"image/webp\" srcset=\"/sub/_img/"));
        assert!(
            html.contains(
                "alt=\"A &quot;chart&quot;\" loading=\"lazy\" decoding=\"async\"></picture>"
            ),
            "{html}"
        );
    }
}
