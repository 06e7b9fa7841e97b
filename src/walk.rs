//! Walking a folder of the site's sources (`templates/`, `static/`): links are followed, but
//! only to what lies inside the site's folder, so that nothing from elsewhere on the
//! machine is read as a template or published by mistake.

use std::path::{Path, PathBuf};

/// What a walk finds besides the entries it gives.
pub enum Skipped {
    /// An entry that could not be read (a link to nothing, a link loop, no permission).
    Unreadable(walkdir::Error),
    /// A link that resolves outside the site's folder.
    Outside { path: PathBuf, target: PathBuf },
}

impl Skipped {
    /// The message for a [`Skipped::Outside`] entry.
    pub fn outside_message(target: &Path) -> String {
        format!(
            "is a link to {}, outside the site's folder; copy the file in instead",
            target.display()
        )
    }
}

/// Every entry below `dir` in name order, following links that stay inside `root`, the
/// site's folder; a linked folder outside it is reported once and not entered.
pub fn inside_site(
    root: &Path,
    dir: &Path,
) -> impl Iterator<Item = Result<walkdir::DirEntry, Skipped>> {
    let site = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut entries = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    std::iter::from_fn(move || {
        let entry = match entries.next()? {
            Ok(e) => e,
            Err(e) => return Some(Err(Skipped::Unreadable(e))),
        };
        // Only a link can lead out: below a link that stays inside, the rest stays inside.
        let leads_out = entry
            .path_is_symlink()
            .then(|| outside(&site, entry.path()))
            .flatten();
        match leads_out {
            Some(target) => {
                if entry.file_type().is_dir() {
                    entries.skip_current_dir();
                }
                Some(Err(Skipped::Outside {
                    path: entry.path().to_path_buf(),
                    target,
                }))
            }
            None => Some(Ok(entry)),
        }
    })
}

/// Where `path` really leads, if that is outside `site` (a resolved path); `None` when it
/// is inside, or cannot be resolved (reading it then fails and is reported as such).
pub fn outside(site: &Path, path: &Path) -> Option<PathBuf> {
    let target = std::fs::canonicalize(path).ok()?;
    (!target.starts_with(site)).then_some(target)
}
