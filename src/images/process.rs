//! Making a raster's variants: decode once, resize to each width, encode WebP (lossy,
//! libwebp) and the fallback format, write each file into the cache folder.
//!
//! Memory is bounded two ways. A JPEG is decoded already scaled down in the DCT
//! (`jpeg-decoder`'s `scale`: 1/2, 1/4 or 1/8, the smallest that still covers the widest
//! variant), so a 12,000 x 8,000 photo for 1,600-pixel variants is decoded at 3,000 x
//! 2,000. And every decode first takes its pixels from a budget shared by all threads
//! ([`BUDGET_PIXELS`]): images that do not fit wait for others to finish; one larger than
//! the whole budget waits until it runs alone. Codecs may panic on hostile input: a panic
//! while processing one image is caught and reported as that image's error.

use std::io::BufReader;
use std::path::Path;
use std::sync::{Condvar, Mutex};

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{ExtendedColorType, ImageEncoder};

use super::{Format, Raster, Settings, Variant};

/// Decoded pixels all threads may hold at once (about 200 MB as RGBA).
const BUDGET_PIXELS: u64 = 48_000_000;
/// The largest image decoded at all, after DCT scaling: a 12,000 x 10,000 photo.
const MAX_PIXELS: u64 = 120_000_000;
/// What one decoder may allocate.
const MAX_ALLOC: u64 = 1 << 30;

static IN_USE: Mutex<u64> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

/// Pixels taken from the budget, given back when dropped.
struct Loan(u64);

impl Loan {
    fn take(pixels: u64) -> Loan {
        let pixels = pixels.min(BUDGET_PIXELS);
        let mut used = IN_USE.lock().unwrap_or_else(|e| e.into_inner());
        while *used > 0 && *used + pixels > BUDGET_PIXELS {
            used = FREED.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += pixels;
        Loan(pixels)
    }
}

impl Drop for Loan {
    fn drop(&mut self) {
        let mut used = IN_USE.lock().unwrap_or_else(|e| e.into_inner());
        *used -= self.0;
        FREED.notify_all();
    }
}

/// Decoded pixels, 3 (RGB) or 4 (RGBA) bytes each.
struct Pixels {
    data: Vec<u8>,
    width: u32,
    height: u32,
    alpha: bool,
}

/// Makes `variants` of `raster` (all of the same source) in `dir`. An error says what is
/// wrong with the file, for a message that names it.
pub fn make(
    raster: &Raster,
    variants: &[Variant],
    settings: &Settings,
    dir: &Path,
) -> Result<(), String> {
    let Some(widest) = variants.iter().max_by_key(|v| v.width) else {
        return Ok(());
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let scale = dct_scale(raster, widest.width);
        let cost =
            u64::from(raster.width.div_ceil(scale)) * u64::from(raster.height.div_ceil(scale));
        if cost > MAX_PIXELS {
            return Err(format!(
                "it is {} x {} pixels, more than digest resizes ({} megapixels at most)",
                raster.width,
                raster.height,
                MAX_PIXELS / 1_000_000
            ));
        }
        let _loan = Loan::take(cost);
        let pixels = decode(raster, widest)?;
        let mut resizer = Resizer::new();
        for v in variants {
            // The fallback at the image's own size is the file itself: re-encoding it
            // would only lose quality (or, for a palette PNG, grow it).
            let own = !v.webp && v.width == raster.width && raster.format != Format::Gif;
            let bytes = if own {
                std::fs::read(&raster.source).map_err(|e| format!("cannot read it: {e}"))?
            } else {
                let sized = resize(&mut resizer, &pixels, v.width, v.height)?;
                encode(&sized, v, raster.format, settings.quality)?
            };
            write(dir, &v.name, &bytes).map_err(|e| format!("cannot write its variant: {e}"))?;
        }
        Ok(())
    }));
    result.unwrap_or_else(|_| Err("the decoder failed on it (the file is damaged)".into()))
}

/// The DCT scale denominator a JPEG decodes at (1, 2, 4 or 8): the largest that still
/// leaves at least `width` pixels across. 1 for other formats.
fn dct_scale(raster: &Raster, width: u32) -> u32 {
    if raster.format != Format::Jpeg {
        return 1;
    }
    [8, 4, 2]
        .into_iter()
        .find(|&d| raster.width.div_ceil(d) >= width)
        .unwrap_or(1)
}

fn decode(raster: &Raster, widest: &Variant) -> Result<Pixels, String> {
    let damaged = |e: &dyn std::fmt::Display| format!("it cannot be decoded ({e})");
    let file = std::fs::File::open(&raster.source).map_err(|e| format!("cannot read it: {e}"))?;
    if raster.format == Format::Jpeg {
        let mut d = jpeg_decoder::Decoder::new(BufReader::new(file));
        d.set_max_decoding_buffer_size(MAX_ALLOC as usize);
        d.read_info().map_err(|e| damaged(&e))?;
        let want = |n: u32| u16::try_from(n).unwrap_or(u16::MAX);
        let (w, h) = d
            .scale(want(widest.width), want(widest.height))
            .map_err(|e| damaged(&e))?;
        let format = d.info().map(|i| i.pixel_format);
        let data = d.decode().map_err(|e| damaged(&e))?;
        let (w, h) = (u32::from(w), u32::from(h));
        let n = w as usize * h as usize;
        let data = match format {
            Some(jpeg_decoder::PixelFormat::RGB24) => data,
            Some(jpeg_decoder::PixelFormat::L8) => data.iter().flat_map(|&l| [l, l, l]).collect(),
            Some(jpeg_decoder::PixelFormat::L16) => data
                .chunks_exact(2)
                .flat_map(|l| [l[0], l[0], l[0]])
                .collect(),
            // CMYK (print files): the `image` crate converts it, at full size.
            _ => return decode_with_image(raster, file_again(raster)?),
        };
        if data.len() < n * 3 {
            return Err(damaged(&"its data is cut short"));
        }
        return Ok(Pixels {
            data,
            width: w,
            height: h,
            alpha: false,
        });
    }
    decode_with_image(raster, file)
}

fn file_again(raster: &Raster) -> Result<std::fs::File, String> {
    std::fs::File::open(&raster.source).map_err(|e| format!("cannot read it: {e}"))
}

fn decode_with_image(raster: &Raster, file: std::fs::File) -> Result<Pixels, String> {
    let format = match raster.format {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
        Format::Gif => image::ImageFormat::Gif,
        Format::WebP => image::ImageFormat::WebP,
    };
    let mut reader = image::ImageReader::with_format(BufReader::new(file), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_ALLOC);
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    reader.limits(limits);
    // A GIF decodes to its first frame.
    let img = reader
        .decode()
        .map_err(|e| format!("it cannot be decoded ({e})"))?;
    let (width, height) = (img.width(), img.height());
    let alpha = img.color().has_alpha();
    let data = if alpha {
        img.into_rgba8().into_raw()
    } else {
        img.into_rgb8().into_raw()
    };
    Ok(Pixels {
        data,
        width,
        height,
        alpha,
    })
}

/// `pixels` at `width` x `height` (a copy when it is already that size).
fn resize(
    resizer: &mut Resizer,
    pixels: &Pixels,
    width: u32,
    height: u32,
) -> Result<Pixels, String> {
    let kind = if pixels.alpha {
        PixelType::U8x4
    } else {
        PixelType::U8x3
    };
    if (width, height) == (pixels.width, pixels.height) {
        return Ok(Pixels {
            data: pixels.data.clone(),
            width,
            height,
            alpha: pixels.alpha,
        });
    }
    let src = ImageRef::new(pixels.width, pixels.height, &pixels.data, kind)
        .map_err(|e| format!("cannot resize it ({e})"))?;
    let mut dst = Image::new(width, height, kind);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    resizer
        .resize(&src, &mut dst, &options)
        .map_err(|e| format!("cannot resize it ({e})"))?;
    Ok(Pixels {
        data: dst.into_vec(),
        width,
        height,
        alpha: pixels.alpha,
    })
}

fn encode(
    pixels: &Pixels,
    variant: &Variant,
    source: Format,
    quality: u8,
) -> Result<Vec<u8>, String> {
    let failed =
        |e: &dyn std::fmt::Display| format!("cannot encode its {}px variant ({e})", variant.width);
    let (w, h) = (pixels.width, pixels.height);
    let color = if pixels.alpha {
        ExtendedColorType::Rgba8
    } else {
        ExtendedColorType::Rgb8
    };
    if variant.webp {
        let layout = if pixels.alpha {
            webp::PixelLayout::Rgba
        } else {
            webp::PixelLayout::Rgb
        };
        let encoder = webp::Encoder::new(&pixels.data, layout, w, h);
        let lossy = encoder
            .encode_simple(false, f32::from(quality))
            .map_err(|e| failed(&format!("{e:?}")))?;
        // PNG and GIF are mostly charts, logos and screenshots, which lossless WebP often
        // holds in fewer bytes than lossy: the smaller of the two.
        if source != Format::Jpeg {
            if let Ok(lossless) = encoder.encode_simple(true, 75.0) {
                if lossless.len() < lossy.len() {
                    return Ok(lossless.to_vec());
                }
            }
        }
        return Ok(lossy.to_vec());
    }
    let mut out = Vec::new();
    match source {
        Format::Jpeg if !pixels.alpha => {
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
                .write_image(&pixels.data, w, h, color)
                .map_err(|e| failed(&e))?;
        }
        _ => {
            image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Best,
                image::codecs::png::FilterType::Adaptive,
            )
            .write_image(&pixels.data, w, h, color)
            .map_err(|e| failed(&e))?;
        }
    }
    Ok(out)
}

/// Writes `bytes` as `dir/name` through a temporary file (one per write, as `digest serve`
/// may make a variant on two threads), so that a killed build never leaves a partial
/// variant under its final name.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, dir.join(name)).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpegs_decode_at_the_smallest_dct_scale_that_covers_the_widest_variant() {
        let r = |width| Raster {
            source: "x".into(),
            format: Format::Jpeg,
            hash: 0,
            width,
            height: 8000,
        };
        assert_eq!(dct_scale(&r(12_000), 1600), 4);
        assert_eq!(dct_scale(&r(2400), 1600), 1);
        assert_eq!(dct_scale(&r(3200), 1600), 2);
        assert_eq!(dct_scale(&r(20_000), 1600), 8);
    }

    #[test]
    fn the_budget_lets_a_large_image_run_alone() {
        let a = Loan::take(BUDGET_PIXELS * 3);
        assert_eq!(a.0, BUDGET_PIXELS);
        drop(a);
        let _b = Loan::take(10);
    }
}
