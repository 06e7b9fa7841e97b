//! Writing a build to disk without ever leaving a half-written site: everything goes to a
//! staging folder beside the output folder, which is swapped in only when complete.
//!
//! On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`; elsewhere two renames.
//! The output it replaces is kept beside it as `.NAME.previous` (NAME being the output
//! folder's name) and becomes the next build's staging folder: a rebuild then creates only
//! new folders and rewrites only the files whose bytes changed, instead of creating and
//! deleting every file of the site (bench/HISTORY.md, issue 6, fourth session).
//! Debris of a killed build (staging or retired folders) is reused or removed by the next.
//!
//! Only folders digest made are replaced or removed: [`guard`] decides which those are,
//! by the marker every output, staging folder and spare carries.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub mod guard;
mod tree;

pub use guard::{claim, Claim, Refusal};
use guard::{is_ours, write_marker, MARKER};
use tree::{remove_any, Expected};

/// One file of the built site, with its path relative to the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        OutputFile {
            path: path.into(),
            bytes,
        }
    }
}

/// A file copied as it is (from `static/`): source on disk, path in the output.
#[derive(Debug, Clone)]
pub struct CopiedFile {
    pub source: PathBuf,
    pub path: String,
}

/// Where rendered files go: kept in memory (`digest serve`) or written to a staging folder
/// (`digest build`). Pages are handed over as soon as they are rendered, from many threads.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> std::io::Result<()>;
}

/// The staging folder of one build, beside the output folder; [`Staging::commit`] swaps
/// it in whole. Dropped without a commit (a failed build), it is removed, or given back
/// as the spare if it was one, and the previous output stays as it was.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    /// `.NAME.previous`: the output before the current one, kept for reuse.
    spare: PathBuf,
    /// Whether `dir` is a reused tree (the spare), whose files may already be right.
    reused: bool,
    /// Every file the build writes, sorted: the marker's list.
    paths: Vec<String>,
    committed: bool,
}

impl Staging {
    /// Clears debris of killed builds and sets up the staging folder for the output folder
    /// `claim` found: the spare tree of the last build if there is one, otherwise a new
    /// empty folder, marked as digest's at once.
    pub fn new(claim: &Claim) -> std::io::Result<Staging> {
        let out = claim.dir.as_path();
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = out
            .file_name()
            .ok_or_else(|| {
                std::io::Error::other(format!("output folder {} has no name", out.display()))
            })?
            .to_string_lossy()
            .into_owned();
        std::fs::create_dir_all(parent)?;
        let spare = parent.join(format!(".{name}.previous"));
        remove_debris(parent, &name, &spare);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if std::fs::symlink_metadata(&dir).is_ok() {
            if !is_ours(&dir) {
                return Err(std::io::Error::other(format!(
                    "{} is in the way and was not made by digest; move it away",
                    dir.display()
                )));
            }
            remove_any(&dir)?;
        }
        let reused = take(&spare, &dir);
        if !reused {
            std::fs::create_dir(&dir)?;
            write_marker(&dir, &[])?;
        }
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            spare,
            reused,
            paths: Vec::new(),
            committed: false,
        })
    }

    /// Readies the folder for exactly the files at `paths` (below the output root; pages,
    /// other files and static copies): in a reused tree, removes everything else. A new
    /// tree's folders are made as its files are written ([`Sink::put`]), on the rendering
    /// threads: at 10,000 articles that is ~15,000 folders, and making them there, between
    /// pages, keeps both cores busy where a pass of its own before rendering left one idle
    /// much of the time.
    pub fn prepare<'p>(&mut self, paths: impl IntoIterator<Item = &'p str>) -> std::io::Result<()> {
        let mut paths: Vec<&str> = paths.into_iter().collect();
        paths.sort_unstable();
        paths.dedup();
        self.paths = paths.iter().map(|p| (*p).to_owned()).collect();
        if !self.reused {
            return Ok(());
        }
        let expected = Expected::new(paths.iter().copied().chain([MARKER]));
        tree::prune(&self.dir, &expected)?;
        // `create_dir_all` tolerates another thread creating a shared parent first, and
        // a folder that is already there.
        expected
            .leaf_dirs()
            .par_iter()
            .try_for_each(|d| std::fs::create_dir_all(self.dir.join(d)))
    }

    /// Copies `copies` (static files...) in, in parallel; their folders must be prepared.
    /// Those below `linked` (digest's own image cache, whose files are never rewritten)
    /// are hard-linked instead where the file system allows, which costs no copying.
    pub fn copy(&self, copies: &[CopiedFile], linked: Option<&Path>) -> std::io::Result<()> {
        copies.par_iter().try_for_each(|c| {
            let dest = self.dir.join(&c.path);
            self.with_parent(&dest, || {
                if linked.is_some_and(|dir| c.source.starts_with(dir)) {
                    tree::link_or_copy(&c.source, &dest)
                } else if self.reused {
                    tree::copy_if_changed(&c.source, &dest)
                } else {
                    tree::copy(&c.source, &dest)
                }
            })
        })
    }

    /// Runs `write` for a file at `path`, creating its folder first if `write` finds it
    /// missing (one [`Staging::prepare`] was not told about).
    fn with_parent(
        &self,
        path: &Path,
        write: impl Fn() -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        match write() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(path.parent().unwrap_or(&self.dir))?;
                write()
            }
            done => done,
        }
    }

    /// Puts the finished folder in the place of the output folder, and keeps the output
    /// it replaces as the spare for the next build.
    pub fn commit(mut self) -> std::io::Result<()> {
        let paths: Vec<&str> = self.paths.iter().map(String::as_str).collect();
        write_marker(&self.dir, &paths)?;
        swap_in(&self.dir, &self.out, &self.spare)?;
        self.committed = true;
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        let path = self.dir.join(&file.path);
        if self.reused {
            self.with_parent(&path, || tree::write_if_changed(&path, &file.bytes))
        } else {
            // A new tree: the folder is made here (see `prepare`); another thread may be
            // making a shared parent at the same time, which `create_dir_all` allows.
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            tree::write(&path, &file.bytes)
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        // A reused tree goes back to being the spare; a new one is removed.
        if !self.reused || keep_as_spare(&self.dir, &self.spare).is_err() {
            let _ = remove_any(&self.dir);
        }
    }
}

/// Writes `files` and `copies` into `out` atomically; returns the number of files written.
#[cfg(test)]
fn write_site(out: &Path, files: &[OutputFile], copies: &[CopiedFile]) -> std::io::Result<usize> {
    let site = out.parent().unwrap_or(Path::new("."));
    let claim = claim(out, site).map_err(|r| std::io::Error::other(r.0))?;
    claim.verify().map_err(|r| std::io::Error::other(r.0))?;
    let mut staging = Staging::new(&claim)?;
    let paths = files.iter().map(|f| f.path.as_str());
    staging.prepare(paths.chain(copies.iter().map(|c| c.path.as_str())))?;
    files.par_iter().try_for_each(|f| staging.put(f.clone()))?;
    staging.copy(copies, None)?;
    staging.commit()?;
    Ok(files.len() + copies.len())
}

/// Puts `staging` in the place of `out`; the old output becomes the spare.
fn swap_in(staging: &Path, out: &Path, spare: &Path) -> std::io::Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out);
    }
    let old = if exchange(staging, out).is_ok() {
        // `staging` now holds the previous output.
        staging.to_path_buf()
    } else {
        let retired = staging.with_extension("retired");
        std::fs::rename(out, &retired)?;
        std::fs::rename(staging, out)?;
        retired
    };
    if keep_as_spare(&old, spare).is_err() {
        remove_any(&old)?;
    }
    Ok(())
}

/// Moves the tree at `old` to `spare`, replacing the spare before it, and tells git to
/// ignore it (a site made before `digest init` ignored `/.public.*` would commit it).
/// Fails, leaving both alone, if something digest did not make is at `spare`.
fn keep_as_spare(old: &Path, spare: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(spare).is_ok() {
        if !is_ours(spare) {
            return Err(std::io::Error::other("not digest's"));
        }
        remove_any(spare)?;
    }
    std::fs::rename(old, spare)?;
    // Removed by the next build's pruning, unless the site itself has a `.gitignore`.
    std::fs::write(
        spare.join(".gitignore"),
        "# The previous output of `digest build`, kept to make the next build faster.\n*\n",
    )
}

/// Moves the spare tree to `dir` if there is one of digest's; says whether it did.
fn take(spare: &Path, dir: &Path) -> bool {
    match std::fs::symlink_metadata(spare) {
        Ok(m) if m.is_dir() && is_ours(spare) => std::fs::rename(spare, dir).is_ok(),
        _ => false,
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("atomic exchange is not available"))
}

/// Deals with folders left by builds that were killed (`.public.staging-123`): restores
/// the output if a build died between the two renames of the fallback swap, keeps one
/// as the spare if there is none (the next build prunes and overwrites it), removes the
/// rest.
fn remove_debris(parent: &Path, name: &str, spare: &Path) {
    let prefix = format!(".{name}.staging-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let out = parent.join(name);
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        if build_running(pid.trim_end_matches(".retired")) {
            // Another build into the same folder is writing it: removing its files now
            // would let it swap in an incomplete site.
            continue;
        }
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || !is_ours(&entry.path()) {
            // Named like digest's, but not made by it: not digest's to remove.
            continue;
        }
        if file_name.ends_with(".retired") && !out.exists() {
            let _ = std::fs::rename(entry.path(), &out);
        } else if !(std::fs::symlink_metadata(spare).is_err()
            && std::fs::rename(entry.path(), spare).is_ok())
        {
            let _ = remove_any(&entry.path());
        }
    }
}

/// Whether the process `pid` (from a staging folder's name), other than this one, is alive.
fn build_running(pid: &str) -> bool {
    let Ok(pid) = pid.parse::<u32>() else {
        return false;
    };
    if pid == std::process::id() {
        return false;
    }
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks that the process exists; nothing is sent.
        let rc = unsafe { libc::kill(pid, 0) };
        rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_then_replaces_without_stale_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(
            &out,
            &[
                OutputFile::new("a/index.html", b"one".to_vec()),
                OutputFile::new("old.txt", vec![]),
            ],
            &[],
        )
        .unwrap();
        write_site(
            &out,
            &[OutputFile::new("a/index.html", b"two".to_vec())],
            &[],
        )
        .unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"two");
        assert!(!out.join("old.txt").exists());
        assert_eq!(
            names(tmp.path()),
            [".public.previous", "public"],
            "no debris"
        );
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn site(files: &[(&str, &str)]) -> Vec<OutputFile> {
        files
            .iter()
            .map(|(p, b)| OutputFile::new(*p, b.as_bytes().to_vec()))
            .collect()
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_reuses_the_previous_tree_and_keeps_unchanged_files() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let spare = tmp.path().join(".public.previous");
        let static_file = tmp.path().join("logo.svg");
        std::fs::write(&static_file, "<svg/>").unwrap();
        let copies = [CopiedFile {
            source: static_file,
            path: "img/logo.svg".into(),
        }];
        let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        let first = site(&[("a/index.html", "a"), ("b/index.html", "b"), ("x.txt", "x")]);
        write_site(&out, &first, &copies).unwrap();
        let a = inode("a/index.html");
        let logo = inode("img/logo.svg");
        write_site(&out, &first, &copies).unwrap();
        assert!(
            spare.join("a/index.html").exists(),
            "the first output is kept"
        );
        assert_eq!(
            std::fs::read_to_string(spare.join(".gitignore"))
                .unwrap()
                .lines()
                .last(),
            Some("*"),
            "git ignores the kept output"
        );
        // The third build reuses the first one's tree: same files, fewer, one changed.
        let third = site(&[
            ("a/index.html", "a"),
            ("b/index.html", "B!"),
            ("new/n.html", "n"),
        ]);
        write_site(&out, &third, &copies).unwrap();
        assert_eq!(
            inode("a/index.html"),
            a,
            "an unchanged page is not rewritten"
        );
        assert_eq!(
            inode("img/logo.svg"),
            logo,
            "an unchanged static file is not copied"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "B!"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("new/n.html")).unwrap(),
            "n"
        );
        assert!(
            !out.join("x.txt").exists(),
            "a file no longer built is gone"
        );
        assert!(
            !out.join(".gitignore").exists(),
            "the spare's .gitignore is not published"
        );
        assert_eq!(
            names(tmp.path()),
            [".public.previous", "logo.svg", "public"]
        );
    }

    #[test]
    fn a_failed_build_keeps_the_output_and_gives_the_spare_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &site(&[("index.html", "one")]), &[]).unwrap();
        write_site(&out, &site(&[("index.html", "two")]), &[]).unwrap();
        {
            let claim = claim(&out, tmp.path()).unwrap();
            let mut staging = Staging::new(&claim).unwrap();
            assert!(staging.reused);
            staging.prepare(["index.html"]).unwrap();
            staging
                .put(OutputFile::new("index.html", b"broken".to_vec()))
                .unwrap();
            // Dropped without a commit: the build failed.
        }
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert_eq!(names(tmp.path()), [".public.previous", "public"]);
        write_site(&out, &site(&[("index.html", "three")]), &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "three"
        );
    }

    // Killed builds' folders are named with pids above Linux's highest (2^22), which no
    // process can have: a small one may be a live kernel thread's, and such a folder is
    // rightly kept.
    #[test]
    fn a_killed_build_folder_becomes_the_spare() {
        let tmp = tempfile::tempdir().unwrap();
        let debris = tmp.path().join(".public.staging-99999999");
        std::fs::create_dir_all(debris.join("half")).unwrap();
        write_marker(&debris, &[]).unwrap();
        std::fs::write(debris.join("index.html"), "half-writ").unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &site(&[("index.html", "whole")]), &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "whole"
        );
        assert_eq!(
            names(&out),
            [MARKER, "index.html"],
            "nothing of the killed build is left"
        );
        assert_eq!(names(tmp.path()), ["public"]);
    }

    #[test]
    fn removes_debris_of_killed_builds() {
        let tmp = tempfile::tempdir().unwrap();
        for debris in [".public.staging-99999999", ".public.staging-99999998"] {
            std::fs::create_dir_all(tmp.path().join(debris).join("x")).unwrap();
            write_marker(&tmp.path().join(debris), &[]).unwrap();
        }
        let foreign = tmp.path().join(".public.staging-99999997");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("mine.txt"), "not digest's").unwrap();
        write_site(
            &tmp.path().join("public"),
            &[OutputFile::new("index.html", vec![])],
            &[],
        )
        .unwrap();
        assert!(!tmp.path().join(".public.staging-99999999").exists());
        assert!(!tmp.path().join(".public.staging-99999998").exists());
        assert!(
            foreign.join("mine.txt").exists(),
            "a folder digest did not mark is left alone"
        );
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_staging_folder_of_a_build_still_running() {
        let tmp = tempfile::tempdir().unwrap();
        let mut running = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let mut done = std::process::Command::new("true").spawn().unwrap();
        done.wait().unwrap();
        let live = tmp.path().join(format!(".public.staging-{}", running.id()));
        let dead = tmp.path().join(format!(".public.staging-{}", done.id()));
        for dir in [&live, &dead] {
            std::fs::create_dir_all(dir.join("x")).unwrap();
            write_marker(dir, &[]).unwrap();
        }
        write_site(
            &tmp.path().join("public"),
            &[OutputFile::new("index.html", vec![])],
            &[],
        )
        .unwrap();
        running.kill().unwrap();
        running.wait().unwrap();
        assert!(live.join("x").exists(), "a running build's folder is kept");
        assert!(!dead.exists(), "a dead build's folder is removed");
    }
}
