//! The image cache: a hidden folder in the site (`.digest-cache/images/`) holding every
//! variant made, named by content hash and settings (`mod.rs`), so a build makes only the
//! variants it does not find there, and copies all of them from it into the output.
//!
//! The folder carries its own `.gitignore` (`*`), so it is never committed even in a site
//! whose `.gitignore` does not name it; the GitHub Pages workflow keeps it between runs
//! with `actions/cache`. digest only ever adds files to it: delete it whenever you like,
//! and the next build makes the variants again.

use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::card::{self, CardText};
use super::{process, variants, RasterUse, Settings, Variant};
use crate::error::Diagnostic;

/// The cache folder's path in the site.
pub const CACHE_DIR: &str = ".digest-cache/images";

/// A place that shows a raster: the article file, and where in it.
type Place<'a> = (&'a Path, &'a RasterUse);

/// What [`ensure`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheReport {
    /// Source images decoded (one or more of their variants were missing).
    pub processed: usize,
    /// Variant files written.
    pub written: usize,
    /// Share cards drawn.
    pub cards: usize,
}

/// Creates the cache folder in `root` (with its `.gitignore`) if it is not there; returns it.
fn create(root: &Path) -> Result<PathBuf, Vec<Diagnostic>> {
    let dir = root.join(CACHE_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| {
        vec![Diagnostic::file(
            &crate::display_path(root, CACHE_DIR),
            format!("cannot create the image cache folder: {e}"),
        )]
    })?;
    let ignore = root.join(".digest-cache/.gitignore");
    if !ignore.exists() {
        let _ = std::fs::write(&ignore, "# digest's image cache (safe to delete)\n*\n");
    }
    Ok(dir)
}

/// Draws the share cards of `cards` that `root`'s cache lacks, in parallel; returns how
/// many it drew.
pub fn ensure_cards(root: &Path, cards: &[CardText]) -> Result<usize, Vec<Diagnostic>> {
    let dir = root.join(CACHE_DIR);
    let mut seen = HashSet::new();
    let missing: Vec<(&CardText, String)> = cards
        .iter()
        .map(|c| (c, c.name()))
        .filter(|(_, name)| seen.insert(name.clone()) && !dir.join(name).is_file())
        .collect();
    if missing.is_empty() {
        return Ok(0);
    }
    create(root)?;
    let problems: Vec<Diagnostic> = missing
        .par_iter()
        .filter_map(|(card, name)| {
            let written = card::render(card)
                .and_then(|png| process::write(&dir, name, &png).map_err(|e| e.to_string()));
            written.err().map(|why| {
                Diagnostic::file(
                    &crate::display_path(root, CACHE_DIR),
                    format!(
                        "cannot write the share card {name} of \"{}\": {why}",
                        card.title
                    ),
                )
            })
        })
        .collect();
    if problems.is_empty() {
        Ok(missing.len())
    } else {
        Err(problems)
    }
}

/// Makes every variant of the rasters in `uses` (each with the article file that shows
/// it) that `root`'s cache lacks. A raster that cannot be processed is an error at each
/// place that shows it.
pub fn ensure<'a>(
    root: &Path,
    settings: &Settings,
    uses: impl Iterator<Item = Place<'a>>,
) -> Result<CacheReport, Vec<Diagnostic>> {
    let dir = root.join(CACHE_DIR);
    // Each distinct raster once, with every place it is shown.
    let mut wanted: HashMap<(u64, PathBuf), (&RasterUse, Vec<Place<'a>>)> = HashMap::new();
    for (file, u) in uses {
        wanted
            .entry((u.raster.hash, u.raster.source.clone()))
            .or_insert_with(|| (u, Vec::new()))
            .1
            .push((file, u));
    }
    let mut jobs: Vec<(&RasterUse, Vec<Variant>, &[Place<'a>])> = Vec::new();
    let mut seen = HashSet::new();
    for (first, places) in wanted.values() {
        let missing: Vec<Variant> = variants(settings, &first.raster)
            .into_iter()
            .filter(|v| seen.insert(v.name.clone()) && !dir.join(&v.name).is_file())
            .collect();
        if !missing.is_empty() {
            jobs.push((first, missing, places));
        }
    }
    if jobs.is_empty() {
        return Ok(CacheReport::default());
    }
    create(root)?;
    // The largest first, so that the budget keeps both cores busy to the end.
    jobs.sort_by_key(|(u, _, _)| {
        std::cmp::Reverse(u64::from(u.raster.width) * u64::from(u.raster.height))
    });
    let results: Vec<Result<usize, Vec<Diagnostic>>> = jobs
        .par_iter()
        .with_max_len(1)
        .map(|(u, missing, places)| {
            process::make(&u.raster, missing, settings, &dir)
                .map(|()| missing.len())
                .map_err(|why| {
                    let rel = u
                        .raster
                        .source
                        .strip_prefix(root)
                        .unwrap_or(&u.raster.source);
                    let shown = crate::display_path(root, rel);
                    places
                        .iter()
                        .map(|(file, at)| {
                            Diagnostic::at(
                                file,
                                at.line,
                                at.column,
                                format!(
                                    "cannot make the responsive sizes of `{}`: {why}; replace it \
                                     with a readable JPEG, PNG, GIF or WebP file",
                                    shown.display()
                                ),
                            )
                        })
                        .collect()
                })
        })
        .collect();
    let mut report = CacheReport::default();
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(n) => {
                report.processed += 1;
                report.written += n;
            }
            Err(ds) => problems.extend(ds),
        }
    }
    if problems.is_empty() {
        Ok(report)
    } else {
        problems.sort_by_key(|d| (d.path.clone(), d.line, d.col));
        Err(problems)
    }
}
