//! EXIF orientation: a camera or phone stores a photo as its sensor saw it and says in the
//! JPEG's EXIF data how to turn it (tag 0x0112, values 1 to 8). Pages give the turned
//! size, and the variants are turned before they are resized, so a portrait photo taken
//! with the phone held upright is published upright.

use std::io::Read;
use std::path::Path;

/// How much of a JPEG's start is read for its EXIF orientation: IFD0, which holds it, opens
/// the APP1 segment, which comes right after the start of the file (an embedded thumbnail
/// may follow, unread).
const HEAD: u64 = 16 * 1024;

/// The EXIF orientation of the JPEG file at `path`: 1 (as stored) when it has none, when
/// the value is not 1 to 8, or when the file cannot be read.
pub fn of_file(path: &Path) -> u8 {
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(HEAD).read_to_end(&mut head));
    read.map_or(1, |_| of_jpeg(&head))
}

/// Whether `orientation` turns the picture a quarter turn (its width and height swap).
pub fn swaps(orientation: u8) -> bool {
    (5..=8).contains(&orientation)
}

/// The EXIF orientation in a JPEG file's first bytes (1 when there is none).
pub fn of_jpeg(bytes: &[u8]) -> u8 {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return 1;
    }
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return 1;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        // Start of scan or end of image: the metadata segments are behind.
        if marker == 0xDA || marker == 0xD9 {
            return 1;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        if len < 2 {
            return 1;
        }
        // A segment longer than what was read is read as far as it goes.
        let data = &bytes[at + 4..(at + 2 + len).min(bytes.len())];
        if marker == 0xE1 {
            if let Some(tiff) = data.strip_prefix(b"Exif\0\0") {
                return of_tiff(tiff).unwrap_or(1);
            }
        }
        at += 2 + len;
    }
    1
}

/// The orientation tag of IFD0 in EXIF's TIFF structure.
fn of_tiff(tiff: &[u8]) -> Option<u8> {
    let big = match tiff.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = tiff.get(at..at + 2)?.try_into().ok()?;
        Some(if big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = tiff.get(at..at + 4)?.try_into().ok()?;
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    if u16_at(2)? != 42 {
        return None;
    }
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd)?);
    (0..count).find_map(|i| {
        let entry = ifd + 2 + i * 12;
        // Tag 0x0112, type SHORT (3): the value sits in the entry itself.
        (u16_at(entry)? == 0x0112 && u16_at(entry + 2)? == 3)
            .then(|| u16_at(entry + 8))
            .flatten()
            .and_then(|v| u8::try_from(v).ok())
            .filter(|v| (1..=8).contains(v))
    })
}

/// `data` (`width` x `height` pixels of `channels` bytes) turned as `orientation` says;
/// returns the pixels and their new width and height.
pub fn apply(
    data: &[u8],
    width: u32,
    height: u32,
    channels: usize,
    orientation: u8,
) -> (Vec<u8>, u32, u32) {
    if !(2..=8).contains(&orientation) {
        return (data.to_vec(), width, height);
    }
    let (w, h) = (width as usize, height as usize);
    let (nw, nh) = if swaps(orientation) { (h, w) } else { (w, h) };
    let mut out = Vec::with_capacity(data.len());
    for y in 0..nh {
        for x in 0..nw {
            // The stored pixel shown at (x, y).
            let (sx, sy) = match orientation {
                2 => (w - 1 - x, y),
                3 => (w - 1 - x, h - 1 - y),
                4 => (x, h - 1 - y),
                5 => (y, x),
                6 => (y, h - 1 - x),
                7 => (w - 1 - y, h - 1 - x),
                _ => (w - 1 - y, x),
            };
            let at = (sy * w + sx) * channels;
            out.extend_from_slice(&data[at..at + channels]);
        }
    }
    (out, nw as u32, nh as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG start with an APP1 EXIF segment holding `orientation` in the given order.
    fn jpeg_with(orientation: u16, big: bool) -> Vec<u8> {
        let b16 = |v: u16| {
            if big {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let b32 = |v: u32| {
            if big {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let mut tiff = if big { b"MM".to_vec() } else { b"II".to_vec() };
        tiff.extend(b16(42));
        tiff.extend(b32(8));
        tiff.extend(b16(2)); // two entries: another tag first
        for (tag, value) in [(0x010F_u16, 7_u16), (0x0112, orientation)] {
            tiff.extend(b16(tag));
            tiff.extend(b16(3));
            tiff.extend(b32(1));
            tiff.extend(b16(value));
            tiff.extend([0, 0]);
        }
        tiff.extend(b32(0));
        let mut data = b"Exif\0\0".to_vec();
        data.extend(tiff);
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0]; // an APP0 first
        out.extend([0xFF, 0xE1]);
        out.extend(((data.len() + 2) as u16).to_be_bytes());
        out.extend(data);
        out.extend([0xFF, 0xDA, 0, 2]);
        out
    }

    #[test]
    fn the_orientation_is_read_in_either_byte_order_and_defaults_to_1() {
        assert_eq!(of_jpeg(&jpeg_with(6, true)), 6);
        assert_eq!(of_jpeg(&jpeg_with(8, false)), 8);
        assert_eq!(of_jpeg(&jpeg_with(9, false)), 1);
        assert_eq!(of_jpeg(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2]), 1);
        assert_eq!(of_jpeg(b"\x89PNG"), 1);
        // Cut short anywhere: never a panic, 1.
        let whole = jpeg_with(6, true);
        for n in 0..whole.len() {
            assert!(of_jpeg(&whole[..n]) <= 8);
        }
    }

    #[test]
    fn each_orientation_turns_the_pixels() {
        // 3 x 2, one byte a pixel:  a b c / d e f
        let px = b"abcdef";
        let turned = |o| {
            let (d, w, h) = apply(px, 3, 2, 1, o);
            (String::from_utf8(d).unwrap(), w, h)
        };
        assert_eq!(turned(1), ("abcdef".into(), 3, 2));
        assert_eq!(turned(2), ("cbafed".into(), 3, 2));
        assert_eq!(turned(3), ("fedcba".into(), 3, 2));
        assert_eq!(turned(4), ("defabc".into(), 3, 2));
        assert_eq!(turned(5), ("adbecf".into(), 2, 3));
        // A quarter turn clockwise: the left column, bottom up, becomes the top row.
        assert_eq!(turned(6), ("daebfc".into(), 2, 3));
        assert_eq!(turned(7), ("fcebda".into(), 2, 3));
        assert_eq!(turned(8), ("cfbead".into(), 2, 3));
    }
}
