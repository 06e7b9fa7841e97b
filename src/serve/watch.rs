//! Watching the site's folders, and classifying changed paths (a pure function) into what
//! a rebuild must reload. Bursts of events are gathered into one batch.
//!
//! A batch ends as soon as every file in it has been closed after writing (or renamed into
//! place, or removed) and nothing more came for [`SETTLE`]: a save is rebuilt a few
//! milliseconds after the editor closes the file, never from a half-written one. A file
//! still open for writing (only "modified" so far) holds the batch until [`QUIET`] passes
//! without events; nothing holds it longer than [`MAX_WAIT`].
//!
//! inotify forgets a folder that is deleted or moved away, and notify never watches it
//! again when it comes back: the site's root is watched on its own (not recursively) so
//! that a folder of [`FOLDERS`] appearing, disappearing or moving is seen, and
//! [`SiteWatcher::refresh`] then watches it anew. Its path classifies as "all of this part
//! changed", which also covers files written before the new watch was in place.

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::content::load::is_ignored;
use crate::pipeline::Changes;

/// Quiet time that ends a batch whose files are all complete (closed, renamed, removed).
pub const SETTLE: Duration = Duration::from_millis(5);
/// Quiet time that ends a batch while some file is still open for writing.
pub const QUIET: Duration = Duration::from_millis(25);
/// A batch never waits longer than this, even while events keep coming.
const MAX_WAIT: Duration = Duration::from_millis(1000);
/// The folders below the root watched recursively.
pub const FOLDERS: [&str; 4] = ["content", "templates", "static", "data"];

/// Changed paths, and whether the event says they are complete: closed after writing,
/// renamed into place, removed, or a folder created.
pub type WatchEvent = (Vec<PathBuf>, bool);

/// Which part of the site a path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// `config.toml`, the `content/` folder itself, or a file of `data/` (which every page
    /// may show): everything.
    Config,
    Article,
    /// Any other file under `content/articles`: a folder article's file (see
    /// [`folder_article_of`]).
    ArticleFile,
    ProfileOrPage,
    Template,
    Static,
    /// Editor swap files, the output folder, anything else: no rebuild.
    Ignored,
}

/// Classifies one changed path below `root`. `output` is the output folder's name.
pub fn classify_path(root: &Path, path: &Path, output: &Path) -> ChangeKind {
    let Ok(rel) = path.strip_prefix(root) else {
        return ChangeKind::Ignored;
    };
    let parts: Vec<&str> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    let Some(name) = parts.last() else {
        return ChangeKind::Ignored;
    };
    if parts.iter().any(|p| is_ignored(p)) || rel.starts_with(output) {
        return ChangeKind::Ignored;
    }
    // A folder (or a file without extension, such as vim's "4913" probe) inside content:
    // only folders matter, and they are seen as directories when they still exist.
    let markdown = name.ends_with(".md") || path.is_dir();
    match parts.as_slice() {
        // The folder itself created, removed or moved: everything in it changed.
        ["config.toml"] | ["content"] | ["data", ..] => ChangeKind::Config,
        ["templates"] => ChangeKind::Template,
        ["static"] => ChangeKind::Static,
        ["content", "articles", ..] if markdown && folder_article_of(root, path).is_none() => {
            ChangeKind::Article
        }
        ["content", "articles", ..] if folder_article_of(root, path).is_some() => {
            ChangeKind::ArticleFile
        }
        ["content", "companies" | "pages" | "editions", ..] if markdown => {
            ChangeKind::ProfileOrPage
        }
        // A logo beside the profiles: they are read again (and it measured again).
        ["content", "companies", _, ..] => ChangeKind::ProfileOrPage,
        ["templates", _, ..] => ChangeKind::Template,
        ["static", _, ..] => ChangeKind::Static,
        _ => ChangeKind::Ignored,
    }
}

/// The `index.md` of the folder article that `path` (a file or folder below
/// `content/articles`) is a file of, if any: the outermost folder above it holding an
/// `index.md`, as the loader decides (it skips the Markdown files below a folder article,
/// a nested `index.md` included). A folder article's own `index.md` is a file of none.
pub fn folder_article_of(root: &Path, path: &Path) -> Option<PathBuf> {
    let articles = root.join(crate::content::load::ARTICLES);
    let skip = usize::from(path.file_name().is_some_and(|n| n == "index.md")) + 1;
    path.ancestors()
        .skip(skip)
        .take_while(|dir| dir.starts_with(&articles) && *dir != articles)
        .map(|dir| dir.join("index.md"))
        .filter(|index| index.is_file())
        .last()
}

/// Turns a batch of changed paths into what to reload; `None` when nothing matters.
pub fn classify(root: &Path, paths: &[PathBuf], output: &Path) -> Option<Changes> {
    let mut changes = Changes::default();
    let mut any = false;
    for path in paths {
        let kind = classify_path(root, path, output);
        any |= kind != ChangeKind::Ignored;
        match kind {
            ChangeKind::Config => changes.all = true,
            ChangeKind::Article if !changes.articles.contains(path) => {
                changes.articles.push(path.clone())
            }
            // A folder article's file added, changed or removed: its `index.md` is read
            // again (its files listed, its lead image measured). A file in no folder
            // article is published by none.
            ChangeKind::ArticleFile => match folder_article_of(root, path) {
                Some(index) if !changes.articles.contains(&index) => changes.articles.push(index),
                _ => {}
            },
            ChangeKind::ProfileOrPage => changes.profiles_or_pages = true,
            ChangeKind::Template => changes.templates = true,
            ChangeKind::Static => changes.statics = true,
            _ => {}
        }
    }
    any.then_some(changes)
}

/// Watches `config.toml`, `content/`, `templates/` and `static/` (not the output or
/// `target/`) below one root.
pub struct SiteWatcher {
    watcher: RecommendedWatcher,
    root: PathBuf,
    /// The channel's sending end, for changes digest itself announces (an image whose
    /// variants were made in the background, `serve/images.rs`).
    tx: std::sync::mpsc::Sender<WatchEvent>,
}

/// A watcher over the site below `root`, delivering changed paths on a channel.
pub fn watch(root: &Path) -> notify::Result<(SiteWatcher, Receiver<WatchEvent>)> {
    let (tx, rx) = std::sync::mpsc::channel();
    let site_root = root.to_path_buf();
    let announce = tx.clone();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if let Some(change) = change(&site_root, event) {
                let _ = tx.send(change);
            }
        }
    })?;
    let mut site = SiteWatcher {
        watcher,
        root: root.to_path_buf(),
        tx: announce,
    };
    site.watcher.watch(root, RecursiveMode::NonRecursive)?;
    for folder in FOLDERS {
        site.rewatch(folder)?;
    }
    Ok((site, rx))
}

impl SiteWatcher {
    /// A sender of changes into the watcher's channel, as if the files had been saved.
    pub fn announcer(&self) -> std::sync::mpsc::Sender<WatchEvent> {
        self.tx.clone()
    }

    /// Watches anew each folder of [`FOLDERS`] whose own path is in `paths` (created,
    /// removed, moved away or back). Returns the folders that could not be watched, with
    /// the reason.
    pub fn refresh(&mut self, paths: &[PathBuf]) -> Vec<(&'static str, notify::Error)> {
        let touched: Vec<&'static str> = FOLDERS
            .into_iter()
            .filter(|folder| paths.contains(&self.root.join(folder)))
            .collect();
        touched
            .into_iter()
            .filter_map(|folder| self.rewatch(folder).err().map(|e| (folder, e)))
            .collect()
    }

    /// Drops whatever watch the folder had (none, after inotify lost it) and watches it
    /// again if it is there.
    fn rewatch(&mut self, folder: &str) -> notify::Result<()> {
        let path = self.root.join(folder);
        let _ = self.watcher.unwatch(&path);
        if path.is_dir() {
            self.watcher.watch(&path, RecursiveMode::Recursive)?;
        }
        Ok(())
    }
}

/// What an event changed. When events were lost (the kernel's queue overflowed during a
/// huge checkout), every watched folder and the config: watched anew and rebuilt whole.
pub fn change(root: &Path, event: notify::Event) -> Option<WatchEvent> {
    if event.need_rescan() {
        let mut all: Vec<PathBuf> = FOLDERS.iter().map(|f| root.join(f)).collect();
        all.push(root.join("config.toml"));
        return Some((all, true));
    }
    completeness(&event.kind).map(|complete| (event.paths, complete))
}

/// Whether an event of this kind leaves its file complete; `None` for reads, which are no
/// change at all (the server reads static files as it serves them).
pub fn completeness(kind: &EventKind) -> Option<bool> {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Some(true),
        EventKind::Access(_) => None,
        EventKind::Modify(ModifyKind::Name(_)) => Some(true),
        EventKind::Remove(_) => Some(true),
        EventKind::Create(CreateKind::Folder) => Some(true),
        // Created or written but not yet closed, metadata, anything else.
        _ => Some(false),
    }
}

/// Waits for the next batch: the first event, then more until a quiet gap ([`SETTLE`] once
/// every path's last event completed it, else [`QUIET`]).
pub fn next_batch(rx: &Receiver<WatchEvent>) -> Option<Vec<PathBuf>> {
    let mut open: HashSet<PathBuf> = HashSet::new();
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut add = |(more, complete): WatchEvent, paths: &mut Vec<PathBuf>| {
        for p in &more {
            if complete {
                open.remove(p);
            } else {
                open.insert(p.clone());
            }
        }
        paths.extend(more);
        open.is_empty()
    };
    let mut settled = add(rx.recv().ok()?, &mut paths);
    let started = Instant::now();
    loop {
        let gap = if settled { SETTLE } else { QUIET };
        match rx.recv_timeout(gap) {
            Ok(more) => settled = add(more, &mut paths),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if started.elapsed() > MAX_WAIT {
            break;
        }
    }
    paths.sort();
    paths.dedup();
    Some(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(rel: &str) -> ChangeKind {
        classify_path(
            Path::new("/site"),
            &Path::new("/site").join(rel),
            Path::new("public"),
        )
    }

    #[test]
    fn classifies_site_parts() {
        assert_eq!(kind("config.toml"), ChangeKind::Config);
        assert_eq!(kind("content/articles/2025/r1.md"), ChangeKind::Article);
        assert_eq!(
            kind("content/companies/openai.md"),
            ChangeKind::ProfileOrPage
        );
        assert_eq!(kind("content/pages/about.md"), ChangeKind::ProfileOrPage);
        assert_eq!(kind("templates/article.html"), ChangeKind::Template);
        assert_eq!(kind("static/img/logo.png"), ChangeKind::Static);
    }

    #[test]
    fn a_site_folder_itself_changes_all_of_its_part() {
        assert_eq!(kind("content"), ChangeKind::Config);
        assert_eq!(kind("templates"), ChangeKind::Template);
        assert_eq!(kind("static"), ChangeKind::Static);
        assert_eq!(kind("public"), ChangeKind::Ignored);
    }

    #[test]
    fn ignores_editor_files_output_and_strangers() {
        for rel in [
            "content/articles/.r1.md.swp",
            "content/articles/r1.md~",
            "content/articles/#r1.md#",
            "content/articles/4913",
            "public/index.html",
            "target/debug/x",
            "README.md",
            "templates/.article.html.swp",
        ] {
            assert_eq!(kind(rel), ChangeKind::Ignored, "{rel}");
        }
        assert_eq!(
            classify_path(
                Path::new("/site"),
                Path::new("/elsewhere/x.md"),
                Path::new("public")
            ),
            ChangeKind::Ignored
        );
    }

    #[test]
    fn a_batch_becomes_one_change_set() {
        let root = Path::new("/site");
        let paths: Vec<PathBuf> = [
            "content/articles/a.md",
            "content/articles/a.md",
            "templates/base.html",
            "x.swp",
        ]
        .iter()
        .map(|p| root.join(p))
        .collect();
        let changes = classify(root, &paths, Path::new("public")).unwrap();
        assert_eq!(changes.articles.len(), 1);
        assert!(changes.templates && !changes.all && !changes.statics);
        assert!(classify(root, &[root.join("public/x.html")], Path::new("public")).is_none());
    }

    #[test]
    fn a_batch_waits_for_open_files_but_not_for_closed_ones() {
        let (tx, rx) = std::sync::mpsc::channel();
        let a = PathBuf::from("/site/content/articles/a.md");
        // Written and closed: the batch ends a SETTLE after the close.
        tx.send((vec![a.clone()], false)).unwrap();
        tx.send((vec![a.clone()], true)).unwrap();
        let started = Instant::now();
        assert_eq!(next_batch(&rx), Some(vec![a.clone()]));
        assert!(started.elapsed() < QUIET, "{:?}", started.elapsed());
        // Still open: the batch waits for QUIET.
        tx.send((vec![a.clone()], false)).unwrap();
        let started = Instant::now();
        assert_eq!(next_batch(&rx), Some(vec![a]));
        assert!(started.elapsed() >= QUIET);
    }

    #[test]
    fn lost_events_rebuild_and_rewatch_everything() {
        use notify::event::Flag;
        let root = Path::new("/site");
        let lost = notify::Event::new(EventKind::Other).set_flag(Flag::Rescan);
        let (paths, complete) = change(root, lost).unwrap();
        assert!(complete);
        for folder in FOLDERS {
            assert!(paths.contains(&root.join(folder)), "{folder}");
        }
        assert!(classify(root, &paths, Path::new("public")).unwrap().all);
        let read = notify::Event::new(EventKind::Access(AccessKind::Close(AccessMode::Read)))
            .add_path(root.join("static/a.css"));
        assert_eq!(change(root, read), None);
    }

    #[test]
    fn reads_are_not_changes() {
        use notify::event::{DataChange, RemoveKind};
        assert_eq!(
            completeness(&EventKind::Access(AccessKind::Open(AccessMode::Any))),
            None
        );
        assert_eq!(
            completeness(&EventKind::Access(AccessKind::Close(AccessMode::Read))),
            None
        );
        assert_eq!(
            completeness(&EventKind::Access(AccessKind::Close(AccessMode::Write))),
            Some(true)
        );
        assert_eq!(
            completeness(&EventKind::Modify(ModifyKind::Data(DataChange::Any))),
            Some(false)
        );
        assert_eq!(
            completeness(&EventKind::Remove(RemoveKind::File)),
            Some(true)
        );
    }
}
