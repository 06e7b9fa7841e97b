//! Share cards: the 1200 x 630 picture that social networks show for an article without a
//! lead image (`og:image`), drawn by digest itself: the site's name under the theme's red
//! square, the companies in red capitals, the headline as large as fits, the date, on the
//! built-in theme's paper colour. The font (DejaVu Serif Bold, `assets/fonts/`, its licence
//! beside it) is compiled into the binary, so a card is the same on every machine and needs
//! no system font or network. A card is named by the hash of its text (`card-<hash>.png`)
//! and kept in the image cache like a variant.
//!
//! Characters the font lacks (Chinese, Japanese, Korean...) are drawn as its "missing"
//! box; a headline too long for five lines at the smallest size ends in an ellipsis.

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use std::sync::OnceLock;

/// Bumped whenever the drawing changes, so that cached cards are made again.
const CARD_VERSION: u32 = 1;
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// Left and right margin.
const MARGIN: f32 = 72.0;

type Rgb = [u8; 3];
/// The built-in theme's light colours (`templates/style.css`).
const PAPER: Rgb = [0xfd, 0xfc, 0xf9];
const INK: Rgb = [0x1b, 0x1b, 0x1f];
const ACCENT: Rgb = [0xa3, 0x26, 0x1a];
const MUTED: Rgb = [0x5b, 0x5b, 0x66];
const RULE: Rgb = [0xe2, 0xde, 0xd6];

/// Headline sizes, largest first, and the height the headline may fill.
const TITLE_SIZES: [f32; 5] = [76.0, 68.0, 60.0, 54.0, 48.0];
const TITLE_TOP: f32 = 214.0;
const TITLE_ROOM: f32 = 300.0;

/// What a card says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CardText {
    /// The site's title.
    pub site: String,
    /// The article's companies, as the kicker shows them (`OpenAI / Microsoft`).
    pub kicker: String,
    pub title: String,
    /// The date as pages write it (`3 December 2026`).
    pub date: String,
    /// Not drawn: the article's path, so that no two articles share a card file (a
    /// rebuild that replaces one article's card leaves the others' alone).
    pub article: String,
}

impl CardText {
    /// The card's file name, from its text and the drawing's version.
    pub fn name(&self) -> String {
        format!("card-{:016x}.png", crate::hash::of(&(CARD_VERSION, self)))
    }
}

fn font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| {
        FontRef::try_from_slice(include_bytes!("../../assets/fonts/DejaVuSerif-Bold.ttf"))
            .expect("the embedded font parses")
    })
}

/// The colours ink may have, by index in [`Canvas`]'s palette.
const INKS: [Rgb; 4] = [INK, ACCENT, MUTED, RULE];
/// Coverage levels of each ink: a pixel is paper or one ink at one of these levels, so
/// the card is a palette image (a quarter of the bytes of RGB to compress, and smaller).
const LEVELS: u8 = 15;

/// The card's pixels as palette indices: 0 is paper, `1 + ink * LEVELS + (level - 1)` one
/// ink at `level` of [`LEVELS`].
struct Canvas(Vec<u8>);

impl Canvas {
    fn new() -> Canvas {
        Canvas(vec![0; (WIDTH * HEIGHT) as usize])
    }

    /// The palette, as PNG's PLTE chunk wants it.
    fn palette() -> Vec<u8> {
        let mut out = PAPER.to_vec();
        for ink in INKS {
            for level in 1..=LEVELS {
                let a = f32::from(level) / f32::from(LEVELS);
                out.extend(
                    PAPER
                        .iter()
                        .zip(ink)
                        .map(|(&p, c)| (f32::from(p) * (1.0 - a) + f32::from(c) * a + 0.5) as u8),
                );
            }
        }
        out
    }

    /// Ink `ink` (an index in [`INKS`]) over the pixel at (x, y) with coverage `alpha`
    /// (0 to 1), unless the pixel already has more ink; outside the card, nothing.
    fn blend(&mut self, x: i32, y: i32, ink: u8, alpha: f32) {
        if x < 0 || y < 0 || x >= WIDTH as i32 || y >= HEIGHT as i32 {
            return;
        }
        let level = (alpha.clamp(0.0, 1.0) * f32::from(LEVELS) + 0.5) as u8;
        if level == 0 {
            return;
        }
        let pixel = &mut self.0[y as usize * WIDTH as usize + x as usize];
        let had = if *pixel == 0 {
            0
        } else {
            (*pixel - 1) % LEVELS + 1
        };
        if level > had {
            *pixel = 1 + ink * LEVELS + (level - 1);
        }
    }

    fn rect(&mut self, x: i32, y: i32, w: i32, h: i32, ink: u8) {
        for yy in y..y + h {
            for xx in x..x + w {
                self.blend(xx, yy, ink, 1.0);
            }
        }
    }

    /// `text` at `size` px with its baseline at (x, y), each letter `spacing` px apart more
    /// than the font says.
    fn text(&mut self, text: &str, x: f32, y: f32, size: f32, spacing: f32, ink: u8) {
        let font = font();
        let scaled = font.as_scaled(PxScale::from(size));
        let mut pen = x;
        let mut previous: Option<GlyphId> = None;
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(p) = previous {
                pen += scaled.kern(p, id);
            }
            let glyph = id.with_scale_and_position(size, point(pen, y));
            if let Some(outline) = font.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                let (left, top) = (bounds.min.x as i32, bounds.min.y as i32);
                outline.draw(|gx, gy, coverage| {
                    self.blend(left + gx as i32, top + gy as i32, ink, coverage)
                });
            }
            pen += scaled.h_advance(id) + spacing;
            previous = Some(id);
        }
    }
}

/// The width of `text` at `size` px.
fn width(text: &str, size: f32) -> f32 {
    let font = font();
    let scaled = font.as_scaled(PxScale::from(size));
    let mut w = 0.0;
    let mut previous: Option<GlyphId> = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = previous {
            w += scaled.kern(p, id);
        }
        w += scaled.h_advance(id);
        previous = Some(id);
    }
    w
}

/// `text` broken into lines no wider than `room` at `size` (a word wider than the room
/// stands on a line of its own and is cut by the card's edge).
fn wrap(text: &str, size: f32, room: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || width(&candidate, size) <= room {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The headline's size and lines: the largest size whose lines fit the room, else the
/// smallest with its last line ending in an ellipsis.
fn headline(title: &str, room: f32) -> (f32, Vec<String>) {
    for size in TITLE_SIZES {
        let lines = wrap(title, size, room);
        if lines.len() as f32 * size * 1.12 <= TITLE_ROOM {
            return (size, lines);
        }
    }
    let size = TITLE_SIZES[TITLE_SIZES.len() - 1];
    let fit = (TITLE_ROOM / (size * 1.12)) as usize;
    let mut lines = wrap(title, size, room);
    lines.truncate(fit);
    if let Some(last) = lines.last_mut() {
        while !last.is_empty() && width(&format!("{last} …"), size) > room {
            last.pop();
        }
        *last = format!("{} …", last.trim_end());
    }
    (size, lines)
}

/// The card for `text`, as a PNG file's bytes.
pub fn render(text: &CardText) -> Result<Vec<u8>, String> {
    let mut canvas = Canvas::new();
    let room = WIDTH as f32 - 2.0 * MARGIN;
    let m = MARGIN as i32;
    // The masthead: a red square, the site's name, a double rule.
    let [ink, accent, muted, rule] = [0, 1, 2, 3];
    canvas.rect(m, 62, 24, 24, accent);
    canvas.text(&text.site, MARGIN + 40.0, 86.0, 36.0, 0.0, ink);
    canvas.rect(m, 118, WIDTH as i32 - 2 * m, 2, rule);
    canvas.rect(m, 124, WIDTH as i32 - 2 * m, 2, rule);
    if !text.kicker.is_empty() {
        canvas.text(
            &text.kicker.to_uppercase(),
            MARGIN,
            184.0,
            26.0,
            1.5,
            accent,
        );
    }
    let (size, lines) = headline(&text.title, room);
    let ascent = font().as_scaled(PxScale::from(size)).ascent();
    for (i, line) in lines.iter().enumerate() {
        let baseline = TITLE_TOP + ascent + i as f32 * size * 1.12;
        canvas.text(line, MARGIN, baseline, size, 0.0, ink);
    }
    canvas.text(&text.date, MARGIN, HEIGHT as f32 - 56.0, 28.0, 0.0, muted);
    canvas.rect(0, HEIGHT as i32 - 12, WIDTH as i32, 12, accent);
    encode(&canvas)
}

fn encode(canvas: &Canvas) -> Result<Vec<u8>, String> {
    let failed = |e: png::EncodingError| format!("cannot encode a share card ({e})");
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(Canvas::palette());
    encoder.set_filter(png::Filter::NoFilter);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(&canvas.0).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(title: &str) -> CardText {
        CardText {
            site: "The AI Digest".into(),
            kicker: "DeepSeek / Nvidia".into(),
            title: title.into(),
            date: "27 January 2025".into(),
            article: "2025/01/r1/".into(),
        }
    }

    #[test]
    fn a_card_is_a_1200_by_630_png_named_by_its_text() {
        let t = text("DeepSeek's R1 wipes $589 billion off Nvidia");
        let png = render(&t).unwrap();
        let mut decoder = png::Decoder::new(std::io::Cursor::new(&png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut data = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut data).unwrap();
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
        // Paper in the corner, the red bar at the foot, ink in the headline.
        assert_eq!(&data[..3], &PAPER);
        let foot = ((HEIGHT - 1) * WIDTH * 3) as usize;
        assert_eq!(&data[foot..foot + 3], &ACCENT);
        assert!(data.chunks_exact(3).any(|p| p == INK));
        assert!(t.name().starts_with("card-") && t.name().ends_with(".png"));
        assert_eq!(t.name(), text(&t.title).name());
        assert_ne!(t.name(), text("Another headline").name());
    }

    #[test]
    fn a_headline_takes_the_largest_size_that_fits_and_a_long_one_ends_in_an_ellipsis() {
        let room = WIDTH as f32 - 2.0 * MARGIN;
        let (size, lines) = headline("Short", room);
        assert_eq!((size, lines.len()), (TITLE_SIZES[0], 1));
        let long = "word ".repeat(80);
        let (size, lines) = headline(&long, room);
        assert_eq!(size, TITLE_SIZES[TITLE_SIZES.len() - 1]);
        assert_eq!(lines.len(), 5);
        assert!(lines[4].ends_with(" …"), "{lines:?}");
        for line in &lines {
            assert!(width(line, size) <= room, "{line}");
        }
    }
}
