//! A raster file's format and content hash, found at load time so that pages can name its
//! variants before any of them is made.
//!
//! Hashing reads the whole file, so each file is hashed once for each (path, length,
//! modification time): a file shown by many articles, or unchanged between two rebuilds of
//! `digest serve`, is read once; and the hashes are kept between builds in the image cache
//! (`hashes.txt`, [`load_index`] and [`save_index`]), so a warm build reads no image.

use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

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
/// Whether a hash was computed since the index was last saved.
static DIRTY: AtomicBool = AtomicBool::new(false);

/// The file in the cache folder that keeps hashes between builds, one a line:
/// `hash format length seconds nanoseconds path`.
const INDEX: &str = "hashes.txt";

fn with_memo<T>(f: impl FnOnce(&mut Memo) -> T) -> T {
    let mut guard = HASHES.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(HashMap::new))
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Jpeg => "jpeg",
        Format::Png => "png",
        Format::Gif => "gif",
        Format::WebP => "webp",
    }
}

/// Adds the hashes an earlier build kept in `cache_dir` to the ones known. A line that
/// does not read is skipped (its file is hashed again).
pub fn load_index(cache_dir: &Path) {
    let Ok(text) = std::fs::read_to_string(cache_dir.join(INDEX)) else {
        return;
    };
    let formats = [Format::Jpeg, Format::Png, Format::Gif, Format::WebP];
    with_memo(|m| {
        for line in text.lines() {
            let parts: Vec<&str> = line.splitn(6, ' ').collect();
            let [hash, format, len, secs, nanos, path] = parts[..] else {
                continue;
            };
            let Some(format) = formats.into_iter().find(|f| format_name(*f) == format) else {
                continue;
            };
            let (Ok(hash), Ok(len), Ok(secs), Ok(nanos)) = (
                u64::from_str_radix(hash, 16),
                len.parse::<u64>(),
                secs.parse::<u64>(),
                nanos.parse::<u32>(),
            ) else {
                continue;
            };
            let Some(mtime) = SystemTime::UNIX_EPOCH.checked_add(Duration::new(secs, nanos)) else {
                continue;
            };
            m.entry((PathBuf::from(path), len, Some(mtime)))
                .or_insert((format, hash));
        }
    });
}

/// Writes the hashes of the files in `used` into `cache_dir`'s index, when any was
/// computed since the last save (so a warm build writes nothing).
pub fn save_index<'a>(cache_dir: &Path, used: impl Iterator<Item = &'a Path>) {
    if !DIRTY.swap(false, Ordering::Relaxed) {
        return;
    }
    let used: HashSet<&Path> = used.collect();
    let mut text = String::new();
    with_memo(|m| {
        for ((path, len, mtime), (format, hash)) in m.iter() {
            let since = mtime.and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok());
            let (Some(since), Some(shown)) = (since, path.to_str()) else {
                continue;
            };
            if !used.contains(path.as_path()) || shown.contains(['\n', '\r']) {
                continue;
            }
            text.push_str(&format!(
                "{hash:016x} {} {len} {} {} {shown}\n",
                format_name(*format),
                since.as_secs(),
                since.subsec_nanos()
            ));
        }
    });
    if std::fs::create_dir_all(cache_dir).is_ok() {
        let tmp = cache_dir.join(format!(".{INDEX}.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, text).is_ok() {
            let _ = std::fs::rename(&tmp, cache_dir.join(INDEX));
        }
    }
}

/// The format and content hash of the raster file at `path`; `Ok(None)` when it is not a
/// raster format (an SVG). An error says why it cannot be read.
pub fn identify(path: &Path) -> Result<Option<(Format, u64)>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    let key: Key = (path.to_path_buf(), meta.len(), meta.modified().ok());
    if let Some(found) = with_memo(|m| m.get(&key).copied()) {
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
    with_memo(|m| {
        // Bounded: a long `digest serve` forgets old entries rather than growing.
        if m.len() > 100_000 {
            m.clear();
        }
        m.insert(key, found);
    });
    DIRTY.store(true, Ordering::Relaxed);
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

    #[test]
    fn the_index_keeps_hashes_between_runs() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("kept one.png");
        std::fs::write(&a, b"\x89PNG\r\n\x1a\nkept").unwrap();
        let found = identify(&a).unwrap().unwrap();
        let cache = dir.path().join("cache");
        DIRTY.store(true, Ordering::Relaxed);
        save_index(&cache, std::iter::once(a.as_path()));
        let text = std::fs::read_to_string(cache.join(INDEX)).unwrap();
        assert!(
            text.starts_with(&format!("{:016x} png 12 ", found.1)),
            "{text}"
        );
        assert!(text.ends_with("/kept one.png\n"), "{text}");
        assert_eq!(text.lines().count(), 1, "{text}");
        // Read back, it answers without reading the file (here: a forged hash).
        let forged = text.replacen(&format!("{:016x}", found.1), "00000000000000ab", 1);
        std::fs::write(cache.join(INDEX), forged).unwrap();
        with_memo(|m| m.retain(|k, _| k.0 != a));
        load_index(&cache);
        assert_eq!(identify(&a).unwrap(), Some((Format::Png, 0xab)));
    }
}
