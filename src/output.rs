//! Writing a build to disk without ever leaving a half-written site: everything goes to a
//! fresh staging folder beside the output folder, which is swapped in only when complete.
//!
//! On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`; elsewhere two renames.
//! Debris of a killed build (staging or retired folders) is removed by the next build.

use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// A fresh folder beside the output folder that a build writes into; [`Staging::commit`]
/// swaps it in whole. Dropped without a commit (a failed build), it is removed and the
/// previous output stays as it was.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    committed: bool,
}

impl Staging {
    /// Clears debris of killed builds and creates an empty staging folder for `out`.
    pub fn new(out: &Path) -> std::io::Result<Staging> {
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
        remove_debris(parent, &name);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            committed: false,
        })
    }

    /// Creates the folders that `paths` (files below the output root) live in, so that
    /// [`Sink::put`] never has to.
    pub fn make_dirs<'p>(&self, paths: impl Iterator<Item = &'p str>) -> std::io::Result<()> {
        let mut dirs: Vec<&str> = paths
            .filter_map(|p| p.rsplit_once('/').map(|(d, _)| d))
            .collect();
        dirs.sort_unstable();
        dirs.dedup();
        // `create_dir_all` tolerates another thread creating a shared parent first.
        dirs.par_iter()
            .try_for_each(|d| std::fs::create_dir_all(self.dir.join(d)))
    }

    /// Copies `copies` (static files) in, in parallel.
    pub fn copy(&self, copies: &[CopiedFile]) -> std::io::Result<()> {
        self.make_dirs(copies.iter().map(|c| c.path.as_str()))?;
        copies
            .par_iter()
            .try_for_each(|c| std::fs::copy(&c.source, self.dir.join(&c.path)).map(|_| ()))
    }

    /// Puts the finished folder in the place of the output folder.
    pub fn commit(mut self) -> std::io::Result<()> {
        swap_in(&self.dir, &self.out)?;
        self.committed = true;
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        let path = self.dir.join(&file.path);
        let mut f = match std::fs::File::create(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A folder `make_dirs` was not told about.
                std::fs::create_dir_all(path.parent().unwrap_or(&self.dir))?;
                std::fs::File::create(&path)?
            }
            Err(e) => return Err(e),
        };
        f.write_all(&file.bytes)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes `files` and `copies` into `out` atomically; returns the number of files written.
pub fn write_site(
    out: &Path,
    files: &[OutputFile],
    copies: &[CopiedFile],
) -> std::io::Result<usize> {
    let staging = Staging::new(out)?;
    staging.make_dirs(files.iter().map(|f| f.path.as_str()))?;
    files.par_iter().try_for_each(|f| staging.put(f.clone()))?;
    staging.copy(copies)?;
    staging.commit()?;
    Ok(files.len() + copies.len())
}

/// Puts `staging` in the place of `out` and removes the old output.
fn swap_in(staging: &Path, out: &Path) -> std::io::Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out);
    }
    if exchange(staging, out).is_ok() {
        // `staging` now holds the previous output.
        return remove_tree(staging);
    }
    let retired = staging.with_extension("retired");
    std::fs::rename(out, &retired)?;
    std::fs::rename(staging, out)?;
    remove_tree(&retired)
}

/// Removes a folder tree, its subfolders in parallel (an old output has thousands of files,
/// and unlinking in different folders does not contend).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
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

/// Removes staging folders left by builds that were killed (`.public.staging-123`), and
/// restores the output if a build died between the two renames of the fallback swap.
fn remove_debris(parent: &Path, name: &str) {
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
        if file_name.ends_with(".retired") && !out.exists() {
            let _ = std::fs::rename(entry.path(), &out);
        } else {
            let _ = std::fs::remove_dir_all(entry.path());
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
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no staging debris");
    }

    #[test]
    fn removes_debris_of_killed_builds() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join(".public.staging-99/x")).unwrap();
        write_site(
            &tmp.path().join("public"),
            &[OutputFile::new("index.html", vec![])],
            &[],
        )
        .unwrap();
        assert!(!tmp.path().join(".public.staging-99").exists());
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
        std::fs::create_dir_all(live.join("x")).unwrap();
        std::fs::create_dir_all(dead.join("x")).unwrap();
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
