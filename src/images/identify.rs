//! A raster file's format and content hash, found at load time so that pages can name its
//! variants before any of them is made.
//!
//! Hashing reads the whole file, so each file is hashed once per process for each
//! (path, length, modification time): a file shown by many articles, or unchanged between
//! two rebuilds of `digest serve`, is read once.

use std::collections::HashMap;
use std::hash::Hasher;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// The raster formats digest makes variants of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    WebP,
}

impl Format {
    /// The format of a file starting with `head`, from its magic number.
    pub fn sniff(head: &[u8]) -> Option<Format> {
        if head.starts_with(b"\xff\xd8\xff") {
            Some(Format::Jpeg)
        } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Format::Png)
        } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
            Some(Format::Gif)
        } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
            Some(Format::WebP)
        } else {
            None
        }
    }

    /// The extension of the fallback variants: the format itself, PNG for GIF (its first
    /// frame, without GIF's 256-colour palette), none for WebP (its variants are WebP).
    pub fn fallback_extension(self) -> Option<&'static str> {
        match self {
            Format::Jpeg => Some("jpg"),
            Format::Png | Format::Gif => Some("png"),
            Format::WebP => None,
        }
    }

    /// The MIME type of the fallback variants.
    pub fn fallback_mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png | Format::Gif => "image/png",
            Format::WebP => "image/webp",
        }
    }
}

type Key = (PathBuf, u64, Option<SystemTime>);
type Memo = HashMap<Key, (Format, u64)>;

static HASHES: Mutex<Option<Memo>> = Mutex::new(None);

/// The format and content hash of the raster file at `path`; `Ok(None)` when it is not a
/// raster format (an SVG). An error says why it cannot be read.
pub fn identify(path: &Path) -> Result<Option<(Format, u64)>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    let key: Key = (path.to_path_buf(), meta.len(), meta.modified().ok());
    let memo = |f: &mut dyn FnMut(&mut Memo)| {
        let mut guard = HASHES.lock().unwrap_or_else(|e| e.into_inner());
        f(guard.get_or_insert_with(HashMap::new));
    };
    let mut known = None;
    memo(&mut |m| known = m.get(&key).copied());
    if let Some(found) = known {
        return Ok(Some(found));
    }
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut buf = vec![0u8; 256 * 1024];
    let mut head = Vec::new();
    let mut hash = crate::hash::Fnv::default();
    loop {
        let n = file.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        if head.len() < 16 {
            head.extend_from_slice(&buf[..n.min(16)]);
        }
        hash.write(&buf[..n]);
    }
    let Some(format) = Format::sniff(&head) else {
        return Ok(None);
    };
    let found = (format, hash.finish());
    memo(&mut |m| {
        // Bounded: a long `digest serve` forgets old entries rather than growing.
        if m.len() > 100_000 {
            m.clear();
        }
        m.insert(key.clone(), found);
    });
    Ok(Some(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_magic_and_hash_by_content() {
        assert_eq!(Format::sniff(b"\xff\xd8\xff\xe0"), Some(Format::Jpeg));
        assert_eq!(Format::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Format::WebP));
        assert_eq!(Format::sniff(b"<svg"), None);
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.png"), dir.path().join("b.png"));
        std::fs::write(&a, b"\x89PNG\r\n\x1a\nsame").unwrap();
        std::fs::write(&b, b"\x89PNG\r\n\x1a\nsame").unwrap();
        let (ia, ib) = (
            identify(&a).unwrap().unwrap(),
            identify(&b).unwrap().unwrap(),
        );
        assert_eq!(ia, ib);
        assert_eq!(ia.0, Format::Png);
        std::fs::write(&b, b"\x89PNG\r\n\x1a\nother!").unwrap();
        assert_ne!(identify(&b).unwrap().unwrap().1, ia.1);
        std::fs::write(&b, b"<svg/>").unwrap();
        assert_eq!(identify(&b).unwrap(), None);
    }
}
