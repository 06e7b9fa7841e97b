//! Responsive images: every local raster image a page shows (an article's lead image and
//! the images in its Markdown body, under `static/` or beside a folder article) is
//! published as a set of widths in WebP and in its own format as the fallback, so that
//! browsers fetch the smallest file that fills the space.
//!
//! The stages, one file each:
//!
//! - `settings.rs`: `[images]` in `config.toml` (the widths, the quality, `sizes`).
//! - `identify.rs`: at load time, a file's format and content hash ([`Raster`]), hashed
//!   once per process for each (path, length, modification time).
//! - [`variants`] (here): the files a [`Raster`] becomes under the settings, named by its
//!   content hash and the settings that change their bytes (`_img/<hash>-800.webp`), so a
//!   name never changes meaning and a rebuild reuses what it finds.
//! - `orientation.rs`: a JPEG's EXIF orientation, which turns its size and its pixels.
//! - `process.rs`: decoding (JPEG scaled down in the DCT), resizing and encoding, with
//!   decoding memory bounded by a pixel budget and any panic of a codec caught.
//! - `cache.rs`: the cache folder in the site (`.digest-cache/images/`): the variants
//!   missing from it are made, in parallel; the build copies the rest from it.
//! - `html.rs`: `srcset` lists and the `<picture>` of a Markdown body's image.
//! - `card.rs`: the share card drawn for an article without a lead image, kept in the
//!   same cache ([`ensure_cards`]).
//!
//! SVG is not a raster: it is published as it is, with no variants.

mod cache;
pub mod card;
mod html;
mod identify;
pub mod orientation;
mod process;
pub mod settings;

pub use cache::{ensure, ensure_cards, CacheReport, CACHE_DIR};
pub use html::{body_picture, srcset, SrcSets};
pub use identify::{identify, load_index, save_index, Format};
pub use settings::{Settings, IMAGES_KEYS};

use std::path::PathBuf;

/// The folder below the output root (and below the base path) that holds the variants.
pub const OUTPUT_DIR: &str = "_img";

/// Bumped whenever the processing changes the bytes it makes (another filter, encoder
/// options), so that old cached variants are not reused.
const PIPELINE_VERSION: u32 = 3;

/// A local raster image a page shows, as the loader found it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Raster {
    /// The file on disk.
    pub source: PathBuf,
    pub format: Format,
    /// Its content hash (see `identify.rs`).
    pub hash: u64,
    /// Pixels, from its header, as shown: turned by `orientation`.
    pub width: u32,
    pub height: u32,
    /// Its EXIF orientation (1 to 8; 1 as stored, and for formats other than JPEG).
    pub orientation: u8,
}

/// A use of a [`Raster`] in an article file, for errors: the file and where in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RasterUse {
    pub raster: Raster,
    pub line: usize,
    pub column: usize,
}

/// One file made from a [`Raster`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Its file name in the cache and in [`OUTPUT_DIR`] (`<hash>-800.webp`).
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub webp: bool,
}

impl Variant {
    /// Its path below the output root (`_img/<hash>-800.webp`).
    pub fn path(&self) -> String {
        format!("{OUTPUT_DIR}/{}", self.name)
    }
}

/// The widths `raster` is published at: every configured width below its own, and its
/// own width when that is below the largest configured one. Never wider than the file.
pub fn widths(settings: &Settings, width: u32) -> Vec<u32> {
    let mut out: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|&w| w < width)
        .collect();
    if settings.widths.last().is_none_or(|&max| width <= max) {
        out.push(width);
    }
    out
}

/// Every variant of `raster` under `settings`: for each of its [`widths`], a WebP file and
/// (unless the source is WebP) one in the fallback format, narrowest first, WebP first.
pub fn variants(settings: &Settings, raster: &Raster) -> Vec<Variant> {
    let key = crate::hash::of(&(
        raster.hash,
        raster.format,
        settings.quality,
        PIPELINE_VERSION,
    ));
    let mut out = Vec::new();
    for w in widths(settings, raster.width) {
        let h = height_at(raster, w);
        out.push(Variant {
            name: format!("{key:016x}-{w}.webp"),
            width: w,
            height: h,
            webp: true,
        });
        if let Some(ext) = raster.format.fallback_extension() {
            out.push(Variant {
                name: format!("{key:016x}-{w}.{ext}"),
                width: w,
                height: h,
                webp: false,
            });
        }
    }
    out
}

/// The height of `raster` scaled to `width`, rounded, at least 1.
fn height_at(raster: &Raster, width: u32) -> u32 {
    let h = (u64::from(raster.height) * u64::from(width) + u64::from(raster.width) / 2)
        / u64::from(raster.width.max(1));
    u32::try_from(h.max(1)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raster(width: u32, height: u32, format: Format) -> Raster {
        Raster {
            source: PathBuf::from("x"),
            format,
            hash: 7,
            width,
            height,
            orientation: 1,
        }
    }

    #[test]
    fn widths_never_upscale_and_keep_the_original_below_the_largest() {
        let s = Settings::default();
        assert_eq!(widths(&s, 2400), [480, 800, 1200, 1600]);
        assert_eq!(widths(&s, 1600), [480, 800, 1200, 1600]);
        assert_eq!(widths(&s, 1000), [480, 800, 1000]);
        assert_eq!(widths(&s, 300), [300]);
        assert_eq!(widths(&s, 480), [480]);
    }

    #[test]
    fn variants_are_named_by_hash_and_quality_and_keep_the_aspect_ratio() {
        let s = Settings::default();
        let v = variants(&s, &raster(1000, 667, Format::Jpeg));
        let names: Vec<_> = v.iter().map(|v| (v.width, v.height, v.webp)).collect();
        assert_eq!(
            names,
            [
                (480, 320, true),
                (480, 320, false),
                (800, 534, true),
                (800, 534, false),
                (1000, 667, true),
                (1000, 667, false)
            ]
        );
        assert!(v[1].name.ends_with("-480.jpg"), "{}", v[1].name);
        let other = Settings {
            quality: 50,
            ..Settings::default()
        };
        assert_ne!(
            variants(&other, &raster(1000, 667, Format::Jpeg))[0].name,
            v[0].name
        );
        // WebP sources have no second format; GIF falls back to PNG.
        assert!(variants(&s, &raster(100, 100, Format::WebP))
            .iter()
            .all(|v| v.webp));
        assert!(variants(&s, &raster(100, 100, Format::Gif))[1]
            .name
            .ends_with(".png"));
    }
}
