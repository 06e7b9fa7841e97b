//! Images in the background: when a batch of changes holds raster images (a photo added
//! to `static/` or beside a folder article, or rewritten), `digest serve` makes their
//! variants on a thread of its own instead of in the rebuild, so that a text edit saved
//! meanwhile is rebuilt at once. When an image's variants are in the cache, its path is
//! announced as changed again: that rebuild finds them made, and re-renders the pages
//! that show it.
//!
//! The worker resizes one image at a time (a one-thread pool), so the rebuilds keep the
//! other cores; decoding memory is bounded by the same budget as a build's.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::time::SystemTime;

use super::watch::WatchEvent;
use crate::images::{RasterUse, Settings};

/// The serve loop's side of the worker.
pub struct Background {
    jobs: Sender<(Settings, Vec<PathBuf>)>,
    /// Each path handed to the worker, with its modification time then: when it comes
    /// back unchanged, its variants are made and the rebuild may take it.
    handed: HashMap<PathBuf, Option<SystemTime>>,
}

impl Background {
    /// Starts the worker for the site at `root`; `announce` feeds the watcher's channel.
    pub fn start(root: &Path, announce: Sender<WatchEvent>) -> Background {
        let (jobs, rx) = std::sync::mpsc::channel();
        let root = root.to_path_buf();
        let _ = std::thread::Builder::new()
            .name("digest-images".into())
            .spawn(move || work(&root, &rx, &announce));
        Background {
            jobs,
            handed: HashMap::new(),
        }
    }

    /// Takes from `paths` the raster images whose variants are to be made first, hands
    /// them to the worker, and returns the rest, for the rebuild now.
    pub fn take_images(
        &mut self,
        settings: Option<&Settings>,
        paths: Vec<PathBuf>,
    ) -> Vec<PathBuf> {
        let Some(settings) = settings else {
            return paths;
        };
        let (images, rest): (Vec<PathBuf>, Vec<PathBuf>) = paths.into_iter().partition(|p| {
            let mtime = modified(p);
            is_raster(p) && mtime.is_some() && self.handed.get(p) != Some(&mtime)
        });
        if images.is_empty() {
            return rest;
        }
        for p in &images {
            self.handed.insert(p.clone(), modified(p));
        }
        if self.jobs.send((settings.clone(), images.clone())).is_err() {
            // No worker: the rebuild makes them.
            return images.into_iter().chain(rest).collect();
        }
        rest
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Whether `path` is named as a raster image digest makes variants of.
fn is_raster(path: &Path) -> bool {
    path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
        ["jpg", "jpeg", "png", "gif", "webp"]
            .iter()
            .any(|r| x.eq_ignore_ascii_case(r))
    })
}

fn work(root: &Path, rx: &Receiver<(Settings, Vec<PathBuf>)>, announce: &Sender<WatchEvent>) {
    let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(1).build() else {
        return;
    };
    while let Ok((settings, paths)) = rx.recv() {
        for path in &paths {
            // Whatever goes wrong (a damaged file) is the rebuild's to report.
            if let Some(raster) = raster(path) {
                let place = RasterUse {
                    raster,
                    line: 1,
                    column: 1,
                };
                let _ = pool.install(|| {
                    crate::images::ensure(
                        root,
                        &settings,
                        std::iter::once((path.as_path(), &place)),
                    )
                });
            }
        }
        if announce.send((paths, true)).is_err() {
            return;
        }
    }
}

fn raster(path: &Path) -> Option<crate::images::Raster> {
    let (Some(width), Some(height)) = crate::content::image::measure(path).ok()? else {
        return None;
    };
    crate::content::image::raster_of(path, width, height).ok()?
}
