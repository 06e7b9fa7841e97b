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

use super::{orientation, Format, Raster, Settings, Variant};

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
#[derive(Debug)]
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
            // would only lose quality (or, for a palette PNG, grow it). Not for a photo
            // its EXIF turns: the variants are turned, and carry no EXIF.
            let own = !v.webp
                && v.width == raster.width
                && raster.format != Format::Gif
                && raster.orientation == 1;
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
    let file = std::fs::File::open(&raster.source).map_err(|e| format!("cannot read it: {e}"))?;
    match raster.format {
        Format::Jpeg => {
            let p = decode_jpeg(file, widest, orientation::swaps(raster.orientation))?;
            let channels = if p.alpha { 4 } else { 3 };
            let (data, width, height) =
                orientation::apply(&p.data, p.width, p.height, channels, raster.orientation);
            Ok(Pixels {
                data,
                width,
                height,
                alpha: p.alpha,
            })
        }
        Format::Png => decode_png(file),
        Format::Gif => decode_gif(file),
        Format::WebP => decode_webp(file),
    }
}

/// A JPEG decoded at the smallest DCT scale that still covers `widest`, as stored (`turned`:
/// its EXIF turns it a quarter, so `widest`'s sides are the other way round in the file).
fn decode_jpeg(file: std::fs::File, widest: &Variant, turned: bool) -> Result<Pixels, String> {
    let damaged = |e: &dyn std::fmt::Display| format!("it cannot be decoded ({e})");
    let mut d = jpeg_decoder::Decoder::new(BufReader::new(file));
    d.set_max_decoding_buffer_size(MAX_ALLOC as usize);
    d.read_info().map_err(|e| damaged(&e))?;
    let want = |n: u32| u16::try_from(n).unwrap_or(u16::MAX);
    let (across, down) = if turned {
        (widest.height, widest.width)
    } else {
        (widest.width, widest.height)
    };
    let (w, h) = d.scale(want(across), want(down)).map_err(|e| damaged(&e))?;
    let format = d.info().map(|i| i.pixel_format);
    let data = d.decode().map_err(|e| damaged(&e))?;
    let (w, h) = (u32::from(w), u32::from(h));
    let data = match format {
        Some(jpeg_decoder::PixelFormat::RGB24) => data,
        Some(jpeg_decoder::PixelFormat::L8) => data.iter().flat_map(|&l| [l, l, l]).collect(),
        Some(jpeg_decoder::PixelFormat::L16) => data
            .chunks_exact(2)
            .flat_map(|l| [l[0], l[0], l[0]])
            .collect(),
        Some(jpeg_decoder::PixelFormat::CMYK32) => cmyk_to_rgb(&data),
        None => return Err(damaged(&"it has no header")),
    };
    if data.len() < w as usize * h as usize * 3 {
        return Err(damaged(&"its data is cut short"));
    }
    Ok(Pixels {
        data,
        width: w,
        height: h,
        alpha: false,
    })
}

/// A CMYK JPEG's pixels (print files; `jpeg-decoder` gives ink amounts, 0 for none) as RGB.
fn cmyk_to_rgb(data: &[u8]) -> Vec<u8> {
    data.chunks_exact(4)
        .flat_map(|p| {
            let paper = 255 - u16::from(p[3]);
            [p[0], p[1], p[2]].map(|c| ((255 - u16::from(c)) * paper / 255) as u8)
        })
        .collect()
}

fn decode_png(file: std::fs::File) -> Result<Pixels, String> {
    let damaged = |e: &dyn std::fmt::Display| format!("it cannot be decoded ({e})");
    let limits = png::Limits {
        bytes: MAX_ALLOC as usize,
    };
    let mut decoder = png::Decoder::new_with_limits(BufReader::new(file), limits);
    // Palettes, low bit depths and transparency chunks expanded, 16 bits cut to 8.
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| damaged(&e))?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| damaged(&"it is too large"))?;
    let mut data = vec![0; size];
    // An animated PNG decodes to its first frame.
    let frame = reader.next_frame(&mut data).map_err(|e| damaged(&e))?;
    data.truncate(frame.buffer_size());
    let (data, alpha) = match frame.color_type {
        png::ColorType::Rgb => (data, false),
        png::ColorType::Rgba => (data, true),
        png::ColorType::Grayscale => (data.iter().flat_map(|&l| [l, l, l]).collect(), false),
        png::ColorType::GrayscaleAlpha => (
            data.chunks_exact(2)
                .flat_map(|p| [p[0], p[0], p[0], p[1]])
                .collect(),
            true,
        ),
        png::ColorType::Indexed => return Err(damaged(&"its palette cannot be expanded")),
    };
    Ok(Pixels {
        data,
        width: frame.width,
        height: frame.height,
        alpha,
    })
}

/// A GIF's first frame, drawn where it belongs on the GIF's canvas.
fn decode_gif(file: std::fs::File) -> Result<Pixels, String> {
    let damaged = |e: &dyn std::fmt::Display| format!("it cannot be decoded ({e})");
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    options.set_memory_limit(gif::MemoryLimit::Bytes(
        std::num::NonZeroU64::new(MAX_ALLOC).expect("not zero"),
    ));
    let mut decoder = options
        .read_info(BufReader::new(file))
        .map_err(|e| damaged(&e))?;
    let (cw, ch) = (u32::from(decoder.width()), u32::from(decoder.height()));
    let frame = decoder
        .read_next_frame()
        .map_err(|e| damaged(&e))?
        .ok_or_else(|| damaged(&"it has no frame"))?;
    let (fw, fh) = (u32::from(frame.width), u32::from(frame.height));
    let (left, top) = (u32::from(frame.left), u32::from(frame.top));
    let (width, height) = if cw == 0 || ch == 0 {
        (fw, fh)
    } else {
        (cw, ch)
    };
    let mut data = vec![0u8; width as usize * height as usize * 4];
    let row = |y: u32| &frame.buffer[(y * fw * 4) as usize..((y + 1) * fw * 4) as usize];
    for y in 0..fh.min(height.saturating_sub(top)) {
        let n = fw.min(width.saturating_sub(left)) as usize * 4;
        let at = (((top + y) * width + left) * 4) as usize;
        data[at..at + n].copy_from_slice(&row(y)[..n]);
    }
    Ok(Pixels {
        data,
        width,
        height,
        alpha: true,
    })
}

fn decode_webp(file: std::fs::File) -> Result<Pixels, String> {
    let damaged = |e: &dyn std::fmt::Display| format!("it cannot be decoded ({e})");
    let mut decoder =
        image_webp::WebPDecoder::new(BufReader::new(file)).map_err(|e| damaged(&e))?;
    decoder.set_memory_limit(MAX_ALLOC as usize);
    let (width, height) = decoder.dimensions();
    let size = decoder
        .output_buffer_size()
        .ok_or_else(|| damaged(&"it is too large"))?;
    let mut data = vec![0; size];
    // An animated WebP decodes to its first frame.
    decoder.read_image(&mut data).map_err(|e| damaged(&e))?;
    Ok(Pixels {
        data,
        width,
        height,
        alpha: decoder.has_alpha(),
    })
}

/// `pixels` at `width` x `height` (a copy when it is already that size). The resizer is
/// built for four channels only (`fast_image_resize`'s `only_u8x4`, which keeps its code a
/// fraction of the size): RGB goes through it with an opaque alpha channel, left out of the
/// arithmetic and dropped again after.
fn resize(
    resizer: &mut Resizer,
    pixels: &Pixels,
    width: u32,
    height: u32,
) -> Result<Pixels, String> {
    if (width, height) == (pixels.width, pixels.height) {
        return Ok(Pixels {
            data: pixels.data.clone(),
            width,
            height,
            alpha: pixels.alpha,
        });
    }
    let padded;
    let rgba = if pixels.alpha {
        &pixels.data
    } else {
        padded = with_alpha(&pixels.data);
        &padded
    };
    let failed = |e: &dyn std::fmt::Display| format!("cannot resize it ({e})");
    let src = ImageRef::new(pixels.width, pixels.height, rgba, PixelType::U8x4)
        .map_err(|e| failed(&e))?;
    let mut dst = Image::new(width, height, PixelType::U8x4);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom))
        .use_alpha(pixels.alpha);
    resizer
        .resize(&src, &mut dst, &options)
        .map_err(|e| failed(&e))?;
    let mut data = dst.into_vec();
    if !pixels.alpha {
        data = without_alpha(&data);
    }
    Ok(Pixels {
        data,
        width,
        height,
        alpha: pixels.alpha,
    })
}

fn with_alpha(rgb: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgb.len() / 3 * 4);
    for p in rgb.chunks_exact(3) {
        out.extend_from_slice(&[p[0], p[1], p[2], 255]);
    }
    out
}

fn without_alpha(rgba: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgba.len() / 4 * 3);
    for p in rgba.chunks_exact(4) {
        out.extend_from_slice(&p[..3]);
    }
    out
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
            let (w, h) = (u16::try_from(w), u16::try_from(h));
            let (Ok(w), Ok(h)) = (w, h) else {
                return Err(failed(&"wider or taller than JPEG allows"));
            };
            let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
            encoder.set_optimized_huffman_tables(true);
            encoder
                .encode(&pixels.data, w, h, jpeg_encoder::ColorType::Rgb)
                .map_err(|e| failed(&e))?;
        }
        _ => {
            let mut encoder = png::Encoder::new(&mut out, w, h);
            encoder.set_color(if pixels.alpha {
                png::ColorType::Rgba
            } else {
                png::ColorType::Rgb
            });
            encoder.set_depth(png::BitDepth::Eight);
            encoder.set_compression(png::Compression::High);
            encoder.set_filter(png::Filter::Adaptive);
            let mut writer = encoder.write_header().map_err(|e| failed(&e))?;
            writer
                .write_image_data(&pixels.data)
                .map_err(|e| failed(&e))?;
            writer.finish().map_err(|e| failed(&e))?;
        }
    }
    Ok(out)
}

/// Writes `bytes` as `dir/name` through a temporary file (one per write, as `digest serve`
/// may make a variant on two threads), so that a killed build never leaves a partial
/// variant under its final name.
pub(super) fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
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
            orientation: 1,
        };
        assert_eq!(dct_scale(&r(12_000), 1600), 4);
        assert_eq!(dct_scale(&r(2400), 1600), 1);
        assert_eq!(dct_scale(&r(3200), 1600), 2);
        assert_eq!(dct_scale(&r(20_000), 1600), 8);
    }

    /// `bytes` written as a file and decoded as `format`, for variants up to `width`.
    fn decoded(bytes: &[u8], format: Format, width: u32) -> Result<Pixels, String> {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("image");
        std::fs::write(&source, bytes).unwrap();
        let raster = Raster {
            source,
            format,
            hash: 0,
            width,
            height: width,
            orientation: 1,
        };
        let widest = Variant {
            name: "x".into(),
            width,
            height: width,
            webp: true,
        };
        decode(&raster, &widest)
    }

    fn png_of(
        color: png::ColorType,
        depth: png::BitDepth,
        data: &[u8],
        extra: &[&[u8]],
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = png::Encoder::new(&mut out, 2, 1);
        e.set_color(color);
        e.set_depth(depth);
        if let [palette, trns] = extra {
            e.set_palette(palette.to_vec());
            e.set_trns(trns.to_vec());
        }
        let mut w = e.write_header().unwrap();
        w.write_image_data(data).unwrap();
        w.finish().unwrap();
        out
    }

    #[test]
    fn pngs_of_every_colour_type_decode_to_8_bit_rgb_or_rgba() {
        use png::{BitDepth::*, ColorType::*};
        let cases: [(Vec<u8>, Vec<u8>, bool); 5] = [
            (
                png_of(Grayscale, Eight, &[10, 200], &[]),
                vec![10, 10, 10, 200, 200, 200],
                false,
            ),
            (
                png_of(GrayscaleAlpha, Eight, &[10, 1, 200, 2], &[]),
                vec![10, 10, 10, 1, 200, 200, 200, 2],
                true,
            ),
            (
                png_of(Rgb, Sixteen, &[1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0], &[]),
                vec![1, 2, 3, 4, 5, 6],
                false,
            ),
            (
                png_of(Rgba, Eight, &[1, 2, 3, 4, 5, 6, 7, 8], &[]),
                vec![1, 2, 3, 4, 5, 6, 7, 8],
                true,
            ),
            (
                png_of(
                    Indexed,
                    Eight,
                    &[1, 0],
                    &[&[9, 9, 9, 50, 60, 70], &[255, 0]],
                ),
                vec![50, 60, 70, 0, 9, 9, 9, 255],
                true,
            ),
        ];
        for (bytes, want, alpha) in cases {
            let p = decoded(&bytes, Format::Png, 2).unwrap();
            assert_eq!((p.width, p.height, p.alpha), (2, 1, alpha));
            assert_eq!(p.data, want);
        }
    }

    #[test]
    fn a_gif_decodes_to_its_first_frame_drawn_where_it_belongs_on_its_canvas() {
        let mut out = Vec::new();
        {
            let mut e = gif::Encoder::new(&mut out, 3, 2, &[]).unwrap();
            let mut first =
                gif::Frame::from_palette_pixels(2, 1, [0, 1], [255, 0, 0, 0, 0, 255], None);
            (first.left, first.top) = (1, 1);
            e.write_frame(&first).unwrap();
            let second = gif::Frame::from_palette_pixels(3, 2, [0; 6], [0, 255, 0], None);
            e.write_frame(&second).unwrap();
        }
        let p = decoded(&out, Format::Gif, 3).unwrap();
        assert_eq!((p.width, p.height, p.alpha), (3, 2, true));
        let clear = [0, 0, 0, 0];
        let want: Vec<u8> = [
            clear,
            clear,
            clear,
            clear,
            [255, 0, 0, 255],
            [0, 0, 255, 255],
        ]
        .concat();
        assert_eq!(p.data, want);
    }

    #[test]
    fn a_webp_decodes_with_its_alpha() {
        let rgba = [10, 20, 30, 40, 50, 60, 70, 255];
        let bytes = webp::Encoder::from_rgba(&rgba, 2, 1)
            .encode_lossless()
            .to_vec();
        let p = decoded(&bytes, Format::WebP, 2).unwrap();
        assert_eq!((p.width, p.height, p.alpha), (2, 1, true));
        assert_eq!(p.data, rgba);
    }

    #[test]
    fn a_cmyk_jpeg_decodes_to_rgb() {
        let mut out = Vec::new();
        // A white pixel and a black one, 8 x 8 each way so that the blocks hold one colour.
        let (white, black) = ([0u8, 0, 0, 0], [0u8, 0, 0, 255]);
        let row: Vec<u8> = [[white; 8], [black; 8]].concat().concat();
        let data = row.repeat(8);
        jpeg_encoder::Encoder::new(&mut out, 100)
            .encode(&data, 16, 8, jpeg_encoder::ColorType::Cmyk)
            .unwrap();
        let p = decoded(&out, Format::Jpeg, 16).unwrap();
        assert_eq!((p.width, p.height, p.alpha), (16, 8, false));
        let near = |got: &[u8], want: u8| got.iter().all(|&c| c.abs_diff(want) < 8);
        assert!(near(&p.data[..3], 255), "{:?}", &p.data[..3]);
        assert!(near(&p.data[15 * 3..16 * 3], 0), "{:?}", &p.data[45..48]);
    }

    #[test]
    fn a_damaged_file_of_each_format_is_an_error_not_a_panic() {
        for format in [Format::Jpeg, Format::Png, Format::Gif, Format::WebP] {
            let err = decoded(b"\x89PNG\r\n\x1a\n and then nothing", format, 8).unwrap_err();
            assert!(
                err.starts_with("it cannot be decoded ("),
                "{format:?}: {err}"
            );
        }
    }

    #[test]
    fn the_budget_lets_a_large_image_run_alone() {
        let a = Loan::take(BUDGET_PIXELS * 3);
        assert_eq!(a.0, BUDGET_PIXELS);
        drop(a);
        let _b = Loan::take(10);
    }
}
