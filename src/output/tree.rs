//! Work on a folder tree that a build writes into: pruning a reused tree down to the files
//! the build will write, writing a file only when its bytes changed, removing a tree.
//!
//! Nothing here follows a symbolic link: a reused tree is the previous output, which an
//! editor may have changed by hand, and writing through a link would write outside it.

use rayon::prelude::*;
use std::collections::HashSet;
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::path::Path;

/// The files a build will write (paths below the output root, `/`-separated) and every
/// folder above them.
pub struct Expected<'p> {
    files: HashSet<&'p str>,
    dirs: HashSet<&'p str>,
}

impl<'p> Expected<'p> {
    pub fn new(paths: impl IntoIterator<Item = &'p str>) -> Self {
        let files: HashSet<&str> = paths.into_iter().collect();
        let mut dirs = HashSet::new();
        for path in &files {
            let mut rest = *path;
            while let Some((dir, _)) = rest.rsplit_once('/') {
                if !dirs.insert(dir) {
                    break;
                }
                rest = dir;
            }
        }
        Expected { files, dirs }
    }

    /// The folders that hold files directly: creating them creates the rest.
    pub fn leaf_dirs(&self) -> Vec<&'p str> {
        let mut dirs: Vec<&str> = self
            .files
            .iter()
            .filter_map(|p| p.rsplit_once('/').map(|(d, _)| d))
            .collect();
        dirs.sort_unstable();
        dirs.dedup();
        dirs
    }
}

/// Removes from the tree at `dir` everything the build will not write: files and folders
/// not in `keep`, and anything that is neither a plain file nor a folder (links, sockets).
/// What is left is only overwritten or kept as it is.
pub fn prune(dir: &Path, keep: &Expected<'_>) -> std::io::Result<()> {
    prune_below(dir, "", keep)
}

fn prune_below(dir: &Path, rel: &str, keep: &Expected<'_>) -> std::io::Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        let name = entry.file_name();
        let path = entry.path();
        let Some(name) = name.to_str() else {
            // Every output path is UTF-8: this is nothing the build writes.
            return remove_any(&path);
        };
        let child = if rel.is_empty() {
            name.to_owned()
        } else {
            format!("{rel}/{name}")
        };
        let kind = entry.file_type()?;
        if kind.is_dir() && keep.dirs.contains(child.as_str()) {
            prune_below(&path, &child, keep)
        } else if kind.is_file() && keep.files.contains(child.as_str()) {
            Ok(())
        } else {
            remove_any(&path)
        }
    })
}

/// Removes a file, a link (not what it points to) or a whole folder tree.
pub fn remove_any(path: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(path)?.is_dir() {
        remove_tree(path)
    } else {
        std::fs::remove_file(path)
    }
}

/// Removes a folder tree, its subfolders in parallel (an old output has thousands of files,
/// and unlinking in different folders does not contend). Links are removed, not followed.
pub fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

/// Writes `bytes` to `path`, creating or truncating it.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = match File::create(path) {
        Ok(f) => f,
        // A read-only file left by an editor: replace it.
        Err(e) if e.kind() == ErrorKind::PermissionDenied && path.is_file() => {
            std::fs::remove_file(path)?;
            File::create(path)?
        }
        Err(e) => return Err(e),
    };
    file.write_all(bytes)
}

/// Writes `bytes` to `path` unless the file there already holds exactly them: a rebuild
/// into a reused tree then neither rewrites nor re-dates the pages that did not change.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match compare(path, bytes) {
        Found::Same => Ok(()),
        Found::Different(file) => overwrite(file, bytes).or_else(|_| write(path, bytes)),
        Found::Nothing => write(path, bytes),
    }
}

/// What [`compare`] found at a path.
enum Found {
    /// A plain file holding exactly the bytes.
    Same,
    /// A plain file holding something else, opened for reading and writing.
    Different(File),
    /// No plain file that could be opened for both.
    Nothing,
}

/// Compares the plain file at `path` with `bytes`.
fn compare(path: &Path, bytes: &[u8]) -> Found {
    let Ok(mut file) = File::options().read(true).write(true).open(path) else {
        return Found::Nothing;
    };
    match file.metadata() {
        Ok(m) if m.is_file() => {
            if reads_as(&mut file, m.len(), bytes) {
                Found::Same
            } else {
                Found::Different(file)
            }
        }
        _ => Found::Nothing,
    }
}

/// Whether `file`, `len` bytes long, reads as exactly `bytes` from its start to its end.
fn reads_as(file: &mut File, len: u64, bytes: &[u8]) -> bool {
    if len != bytes.len() as u64 {
        return false;
    }
    let mut buf = [0u8; 16 * 1024];
    let mut rest = bytes;
    while !rest.is_empty() {
        let n = rest.len().min(buf.len());
        if file.read_exact(&mut buf[..n]).is_err() || buf[..n] != rest[..n] {
            return false;
        }
        rest = &rest[n..];
    }
    // The file may have grown since its size was read.
    matches!(file.read(&mut buf[..1]), Ok(0))
}

/// Writes `bytes` over `file` from its start, in the blocks it already has, and cuts what
/// is left of the old content. Cheaper than truncating first: ext4 frees and reallocates
/// no blocks, and does not start writing a file out on close because it was truncated to
/// nothing (`auto_da_alloc`).
fn overwrite(mut file: File, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(0))?;
    file.write_all(bytes)?;
    file.set_len(bytes.len() as u64)
}

/// Whether the plain file at `path` holds exactly `bytes` (false on any error).
fn holds(path: &Path, bytes: &[u8]) -> bool {
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    file.metadata()
        .is_ok_and(|m| m.is_file() && reads_as(&mut file, m.len(), bytes))
}

/// Copies `source` to `dest` unless `dest` already holds the same bytes. The quick check
/// first, as rsync and make do: a `dest` of the same size and modification time as
/// `source` is taken as a copy of it ([`copy`] gives each copy its source's time), which
/// costs two `stat`s where comparing reads both files (1.1 GB for 1,000 photos). A file
/// of the same size but another time is compared byte for byte and, when equal, stamped.
pub fn copy_if_changed(source: &Path, dest: &Path) -> std::io::Result<()> {
    if let (Ok(s), Ok(d)) = (std::fs::metadata(source), std::fs::symlink_metadata(dest)) {
        if d.is_file() && s.len() == d.len() {
            let time = s.modified().ok();
            if time.is_some() && time == d.modified().ok() {
                return Ok(());
            }
            if holds(dest, &std::fs::read(source)?) {
                stamp(dest, time);
                return Ok(());
            }
        }
    }
    copy(source, dest)
}

/// Gives `dest` the modification time `time`, where it can: a copy that cannot be
/// stamped is still a good copy (the next build compares its bytes).
fn stamp(dest: &Path, time: Option<std::time::SystemTime>) {
    // Setting times needs the owner, not write access: a read-only copy takes it too.
    if let (Some(t), Ok(file)) = (time, File::open(dest)) {
        let _ = file.set_modified(t);
    }
}

/// Puts a hard link to `source` at `dest`, unless `dest` already is one: whatever else is
/// at `dest` is removed first, never written through (it may be a link to another file).
/// Copies where linking fails (another file system, or one without links).
pub fn link_or_copy(source: &Path, dest: &Path) -> std::io::Result<()> {
    if same_file(source, dest) {
        return Ok(());
    }
    match std::fs::remove_file(dest) {
        Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::hard_link(source, dest).or_else(|_| copy(source, dest))
}

/// Whether `a` and `b` are one file (`b` not followed if it is a symlink).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::symlink_metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    let _ = (a, b);
    false
}

/// Copies `source` to `dest`, replacing a read-only `dest`, and gives the copy the
/// source's modification time (for [`copy_if_changed`]'s quick check).
pub fn copy(source: &Path, dest: &Path) -> std::io::Result<()> {
    match std::fs::copy(source, dest) {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::PermissionDenied && dest.is_file() => {
            std::fs::remove_file(dest)?;
            std::fs::copy(source, dest)?;
        }
        Err(e) => return Err(e),
    }
    stamp(dest, std::fs::metadata(source)?.modified().ok());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_replaces_what_was_there_without_writing_through_it() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b, dest) = (
            tmp.path().join("a"),
            tmp.path().join("b"),
            tmp.path().join("d"),
        );
        std::fs::write(&a, "a").unwrap();
        std::fs::write(&b, "b").unwrap();
        link_or_copy(&a, &dest).unwrap();
        assert!(same_file(&a, &dest));
        link_or_copy(&a, &dest).unwrap();
        // Another file in its place: `a` keeps its bytes.
        link_or_copy(&b, &dest).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"a");
        assert_eq!(std::fs::read(&dest).unwrap(), b"b");
        assert!(same_file(&b, &dest));
    }

    #[test]
    fn expected_folders_are_every_ancestor() {
        let e = Expected::new(["a/b/c/index.html", "a/x.txt", "top.txt"]);
        let mut dirs: Vec<_> = e.dirs.iter().copied().collect();
        dirs.sort_unstable();
        assert_eq!(dirs, ["a", "a/b", "a/b/c"]);
        assert_eq!(e.leaf_dirs(), ["a", "a/b/c"]);
    }

    #[test]
    fn prune_keeps_only_expected_plain_files_and_their_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for dir in ["keep/sub", "gone/deep", "file-now"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        for file in [
            "keep/sub/index.html",
            "keep/stale.html",
            "gone/deep/x",
            "dir-now",
        ] {
            std::fs::write(root.join(file), b"old").unwrap();
        }
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("precious"), b"mine").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.path(), root.join("keep/link")).unwrap();
            std::os::unix::fs::symlink(outside.path().join("precious"), root.join("linked.html"))
                .unwrap();
        }
        let keep = Expected::new([
            "keep/sub/index.html",
            "keep/link/precious",
            "linked.html",
            "file-now",
            "dir-now/index.html",
        ]);
        prune(root, &keep).unwrap();
        let mut left: Vec<String> = walkdir::WalkDir::new(root)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let rel = e.path().strip_prefix(root).unwrap().to_string_lossy();
                format!("{rel}{}", if e.file_type().is_dir() { "/" } else { "" })
            })
            .collect();
        left.sort();
        assert_eq!(left, ["keep/", "keep/sub/", "keep/sub/index.html"]);
        assert_eq!(
            std::fs::read(outside.path().join("precious")).unwrap(),
            b"mine",
            "nothing behind a link is touched"
        );
    }

    #[test]
    fn writes_only_changed_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("page.html");
        std::fs::write(&path, b"same").unwrap();
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        write_if_changed(&path, b"same").unwrap();
        let modified = || std::fs::metadata(&path).unwrap().modified().unwrap();
        assert_eq!(modified(), old, "unchanged bytes are not rewritten");
        for new in [&b"sane"[..], b"longer text", b"", b"x"] {
            write_if_changed(&path, new).unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), new);
        }
        assert_ne!(modified(), old);
    }

    #[test]
    fn copies_take_their_source_time_and_a_same_size_same_time_copy_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let (source, dest) = (tmp.path().join("photo.jpg"), tmp.path().join("out.jpg"));
        let set = |path: &Path, secs: u64| {
            let t = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs);
            File::open(path).unwrap().set_modified(t).unwrap();
        };
        let modified = |path: &Path| std::fs::metadata(path).unwrap().modified().unwrap();
        std::fs::write(&source, b"one").unwrap();
        set(&source, 1_000_000);
        copy_if_changed(&source, &dest).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"one");
        assert_eq!(
            modified(&dest),
            modified(&source),
            "a copy takes its source's time"
        );

        // The quick check: same size, same time is taken as unchanged, bytes unread.
        std::fs::write(&dest, b"two").unwrap();
        set(&dest, 1_000_000);
        copy_if_changed(&source, &dest).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"two");

        // Another time: compared, and copied over when the bytes differ...
        set(&source, 2_000_000);
        copy_if_changed(&source, &dest).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"one");
        assert_eq!(modified(&dest), modified(&source));
        // ...or only stamped when they are equal.
        set(&dest, 3_000_000);
        copy_if_changed(&source, &dest).unwrap();
        assert_eq!(modified(&dest), modified(&source));
        // Another size is copied whatever the times say.
        std::fs::write(&source, b"three").unwrap();
        set(&source, 2_000_000);
        copy_if_changed(&source, &dest).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"three");
    }

    #[test]
    fn compares_files_longer_than_the_buffer() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("big");
        let mut bytes = vec![7u8; 40_000];
        std::fs::write(&path, &bytes).unwrap();
        assert!(holds(&path, &bytes));
        bytes[39_999] = 8;
        assert!(!holds(&path, &bytes));
        assert!(!holds(&tmp.path().join("missing"), b""));
        assert!(!holds(tmp.path(), b""), "a folder holds no bytes");
    }

    #[cfg(unix)]
    #[test]
    fn replaces_read_only_files() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("locked.html");
        std::fs::write(&path, b"old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        write_if_changed(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let source = tmp.path().join("source.css");
        std::fs::write(&source, b"body{}").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        copy_if_changed(&source, &path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"body{}");
    }
}
