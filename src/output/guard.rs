//! What a build may replace. digest swaps its output folder whole, so before it builds it
//! makes sure the folder is its own: absent, empty, or marked by an earlier build with
//! [`MARKER`], a list of every file that build wrote, and holding nothing else. A folder
//! that holds anything digest did not write (notes, a `.git` checkout, a file put there by
//! hand), a file, the site's own sources or a folder above them is refused, and nothing is
//! moved. A link to a folder is followed: the build goes into the folder it points to,
//! under the same rules, and the link stays as it is.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The file in every output folder that says digest wrote it, and what.
pub const MARKER: &str = ".digest-output";

/// The first line of [`MARKER`]; what follows is one written path per line.
const MARKER_HEADER: &str = "# digest build output: a later build may replace this folder. \
It lists the files digest wrote; digest refuses to replace the folder while it holds others.";

/// Why an output folder may not be replaced: a sentence for the user, saying what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

/// The real folder a build into `out` writes: `out` with every link in it followed, and
/// with `.` and `..` taken out; the parts of it that do not exist yet are kept as given.
pub fn resolve(out: &Path) -> std::io::Result<PathBuf> {
    let mut resolved = PathBuf::new();
    for part in std::path::absolute(out)?.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => resolved.push(part),
            Component::CurDir => {}
            // `resolved` has no links in it, so its parent is the real one.
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if std::fs::symlink_metadata(&resolved).is_ok() {
                    resolved = std::fs::canonicalize(&resolved)?;
                }
            }
        }
    }
    Ok(resolved)
}

/// Refuses an output folder that is the site's folder, lies above it, or is, holds or lies
/// inside one of its sources (`content/`, `templates/`, `static/`, `config.toml`).
/// `out` and `root` are resolved paths ([`resolve`]).
pub fn outside_sources(out: &Path, root: &Path) -> Result<(), Refusal> {
    if root.starts_with(out) {
        let what = if out == root {
            "is the site's own folder"
        } else {
            "holds the site's folder"
        };
        return Err(Refusal(format!(
            "{what} ({}); digest replaces its output folder whole, which would move the \
             site away. Build into a folder of its own, such as `public`",
            root.display()
        )));
    }
    for source in [
        "content",
        "templates",
        "static",
        crate::content::data::DATA_DIR,
        "config.toml",
        ".digest-cache",
    ] {
        // A source may itself be a link to a folder elsewhere: compare where it points. One
        // that is not there yet (an optional `data/`, `static/`) is where it would be.
        let real = std::fs::canonicalize(root.join(source)).unwrap_or_else(|_| {
            std::fs::canonicalize(root).map_or_else(|_| root.join(source), |r| r.join(source))
        });
        if out.starts_with(&real) || real.starts_with(out) {
            let relation = if out == real {
                "is"
            } else if out.starts_with(&real) {
                "lies inside"
            } else {
                "holds"
            };
            return Err(Refusal(format!(
                "{relation} the site's `{source}` ({}); digest replaces its output folder \
                 whole, which would move your sources away. Build into a folder of its own, \
                 such as `public`",
                real.display()
            )));
        }
    }
    Ok(())
}

/// An output folder a build may replace, found so by [`claim`].
#[derive(Debug)]
pub struct Claim {
    /// The real folder ([`resolve`]).
    pub dir: PathBuf,
    /// The folder as the user named it, for messages.
    pub shown: PathBuf,
    /// The files an earlier build wrote there, if one did.
    listed: Option<HashSet<String>>,
}

impl Claim {
    /// The slower half of the check, to run beside other work: a folder an earlier build
    /// wrote holds nothing else ([`only_listed`]).
    pub fn verify(&self) -> Result<(), Refusal> {
        match &self.listed {
            Some(listed) => only_listed(&self.dir, listed),
            None => Ok(()),
        }
    }
}

/// Checks that a build of the site at `root` may put its output at `out`: not over the
/// site's sources, and free or digest's own ([`inspect`]; [`Claim::verify`] completes it).
pub fn claim(out: &Path, root: &Path) -> Result<Claim, Refusal> {
    let cannot = |e: std::io::Error| Refusal(format!("cannot find where it is: {e}"));
    let dir = resolve(out).map_err(cannot)?;
    outside_sources(&dir, &resolve(root).map_err(cannot)?)?;
    let listed = match inspect(&dir)? {
        Found::Free => None,
        Found::Ours(listed) => Some(listed),
    };
    Ok(Claim {
        dir,
        shown: out.to_path_buf(),
        listed,
    })
}

/// What is at the output path now.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// Nothing, or an empty folder: the build may put its output there.
    Free,
    /// A folder an earlier build wrote, with the files it listed.
    Ours(HashSet<String>),
}

/// Checks that `out` (resolved) is free or digest's own output, and says which.
pub fn inspect(out: &Path) -> Result<Found, Refusal> {
    let meta = match std::fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Free),
        Err(e) => return Err(Refusal(format!("cannot look at it: {e}"))),
    };
    if !meta.is_dir() {
        return Err(Refusal(
            "is a file, not a folder; digest writes a whole folder there and will not \
             replace the file. Choose a folder for the output (such as `public`)"
                .into(),
        ));
    }
    if let Some(listed) = read_marker(out) {
        return Ok(Found::Ours(listed));
    }
    let mut entries: Vec<String> = std::fs::read_dir(out)
        .map_err(|e| Refusal(format!("cannot read the folder: {e}")))?
        .filter_map(Result::ok)
        .map(|e| shown_entry(&e))
        .collect();
    if entries.is_empty() {
        return Ok(Found::Free);
    }
    entries.sort();
    let checkout = if entries.iter().any(|e| e == ".git/") {
        " It is a git checkout: build into a folder of its own and let the GitHub Pages \
         workflow publish it (README: Deploying), or copy the output into the checkout."
    } else {
        ""
    };
    Err(Refusal(format!(
        "holds files digest did not write ({}), and digest replaces its output folder \
         whole; it never deletes what it did not write, so it will not build here.{checkout} \
         Choose another folder (`--output DIR` or `output_dir` in config.toml), or move \
         these out of it (an empty folder is fine). If it is the output of a digest from \
         before this check (which left no mark), delete it once by hand",
        listing(&entries)
    )))
}

/// Checks that the output folder `out`, an earlier build's, holds only files that build
/// listed (and the folders above them): anything else was put there by someone else.
pub fn only_listed(out: &Path, listed: &HashSet<String>) -> Result<(), Refusal> {
    let mut foreign = Vec::new();
    walk(out, "", listed, &mut foreign)
        .map_err(|e| Refusal(format!("cannot read the folder: {e}")))?;
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    Err(Refusal(format!(
        "holds files that digest did not write ({}); replacing the folder would lose them. \
         Move them out (a file to publish belongs in `static/`), or build into another \
         folder",
        listing(&foreign)
    )))
}

/// Collects below `dir` (at `rel` in the output) every entry no listed path accounts for.
fn walk(
    dir: &Path,
    rel: &str,
    listed: &HashSet<String>,
    foreign: &mut Vec<String>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let child = match (rel, name.to_str()) {
            (_, None) => {
                foreign.push(shown_entry(&entry));
                continue;
            }
            ("", Some(name)) => name.to_owned(),
            (_, Some(name)) => format!("{rel}/{name}"),
        };
        let kind = entry.file_type()?;
        if kind.is_dir() {
            // A folder holding only listed files is digest's.
            walk(&entry.path(), &child, listed, foreign)?;
        } else if !(kind.is_file() && (listed.contains(&child) || child == MARKER)) {
            // Links too: digest writes none.
            foreign.push(child);
        }
    }
    Ok(())
}

/// An entry's name as shown to the user: folders end in `/`.
fn shown_entry(entry: &std::fs::DirEntry) -> String {
    let slash = entry.file_type().is_ok_and(|t| t.is_dir());
    format!(
        "{}{}",
        entry.file_name().to_string_lossy(),
        if slash { "/" } else { "" }
    )
}

/// `a, b, c and 4 more`.
fn listing(names: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// The paths an earlier build listed in `dir`'s marker, or `None` if it has none.
pub fn read_marker(dir: &Path) -> Option<HashSet<String>> {
    let text = std::fs::read_to_string(dir.join(MARKER)).ok()?;
    let mut lines = text.lines();
    if lines.next() != Some(MARKER_HEADER) {
        return None;
    }
    Some(lines.map(str::to_owned).collect())
}

/// Whether `dir` is a folder that digest made (marked), or an empty one.
pub fn is_ours(dir: &Path) -> bool {
    // A link is not a folder digest made, whatever it points to.
    std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        && (read_marker(dir).is_some()
            || std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none()))
}

/// Writes the marker into `dir`, listing `paths` (sorted, so that equal builds write
/// equal markers).
pub fn write_marker(dir: &Path, paths: &[&str]) -> std::io::Result<()> {
    let mut text = Vec::with_capacity(paths.iter().map(|p| p.len() + 1).sum::<usize>() + 200);
    writeln!(text, "{MARKER_HEADER}")?;
    for path in paths {
        writeln!(text, "{path}")?;
    }
    std::fs::write(dir.join(MARKER), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(tmp.path()).unwrap();
        (tmp, real)
    }

    #[test]
    fn resolve_takes_out_dots_in_the_part_that_does_not_exist() {
        let (_tmp, root) = temp();
        std::fs::create_dir(root.join("site")).unwrap();
        assert_eq!(
            resolve(&root.join("site/new/../public")).unwrap(),
            root.join("site/public")
        );
        assert_eq!(
            resolve(&root.join("site/./a/b/../../..")).unwrap(),
            root.clone()
        );
    }

    #[cfg(unix)]
    #[test]
    fn resolve_follows_links() {
        let (_tmp, root) = temp();
        std::fs::create_dir(root.join("webroot")).unwrap();
        std::os::unix::fs::symlink(root.join("webroot"), root.join("public")).unwrap();
        assert_eq!(resolve(&root.join("public")).unwrap(), root.join("webroot"));
        assert_eq!(
            resolve(&root.join("public/sub")).unwrap(),
            root.join("webroot/sub")
        );
    }

    #[test]
    fn sources_and_folders_above_them_are_refused() {
        let (_tmp, root) = temp();
        for d in ["content/articles", "static", "templates", "data"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::write(root.join("config.toml"), "").unwrap();
        for bad in [
            "",
            "content",
            "content/articles",
            "content/new",
            "static",
            "templates",
            "data",
            "data/more",
            "config.toml",
        ] {
            let out = root.join(bad);
            assert!(outside_sources(&out, &root).is_err(), "{bad} accepted");
        }
        assert!(outside_sources(root.parent().unwrap(), &root).is_err());
        // A source not made yet is refused too: the build would put the site in its place.
        std::fs::remove_dir_all(root.join("data")).unwrap();
        assert!(outside_sources(&root.join("data"), &root).is_err());
        assert_eq!(outside_sources(&root.join("public"), &root), Ok(()));
        assert_eq!(outside_sources(&root.join("src"), &root), Ok(()));
    }

    #[test]
    fn inspect_tells_free_ours_and_foreign_folders_apart() {
        let (_tmp, root) = temp();
        assert_eq!(inspect(&root.join("none")), Ok(Found::Free));
        std::fs::create_dir(root.join("empty")).unwrap();
        assert_eq!(inspect(&root.join("empty")), Ok(Found::Free));
        std::fs::create_dir_all(root.join("mine/.git")).unwrap();
        std::fs::write(root.join("mine/notes.txt"), "mine").unwrap();
        let refusal = inspect(&root.join("mine")).unwrap_err().0;
        assert!(refusal.contains(".git/, notes.txt"), "{refusal}");
        assert!(refusal.contains("git checkout"), "{refusal}");
        std::fs::write(root.join("file"), "x").unwrap();
        assert!(inspect(&root.join("file"))
            .unwrap_err()
            .0
            .contains("is a file"));
        std::fs::create_dir_all(root.join("built/a")).unwrap();
        write_marker(&root.join("built"), &["a/index.html", "b.txt"]).unwrap();
        let Ok(Found::Ours(listed)) = inspect(&root.join("built")) else {
            panic!("a marked folder is digest's");
        };
        assert_eq!(listed.len(), 2);
        assert!(listed.contains("a/index.html"));
    }

    #[test]
    fn only_listed_files_may_be_in_an_earlier_output() {
        let (_tmp, root) = temp();
        let out = root.join("public");
        std::fs::create_dir_all(out.join("a/empty")).unwrap();
        std::fs::write(out.join("a/index.html"), "").unwrap();
        write_marker(&out, &["a/index.html"]).unwrap();
        let listed = read_marker(&out).unwrap();
        assert_eq!(only_listed(&out, &listed), Ok(()));
        std::fs::write(out.join("a/CNAME"), "").unwrap();
        std::fs::create_dir_all(out.join("b/c")).unwrap();
        std::fs::write(out.join("b/c/d"), "").unwrap();
        let refusal = only_listed(&out, &listed).unwrap_err().0;
        assert!(refusal.contains("(a/CNAME, b/c/d)"), "{refusal}");
    }

    #[test]
    fn many_foreign_files_are_counted_not_all_listed() {
        let names: Vec<String> = (0..8).map(|i| format!("f{i}")).collect();
        assert_eq!(listing(&names), "f0, f1, f2, f3, f4 and 3 more");
    }

    #[test]
    fn a_marker_without_the_header_is_not_ours() {
        let (_tmp, root) = temp();
        std::fs::write(root.join(MARKER), "index.html\n").unwrap();
        assert!(read_marker(&root).is_none());
        assert!(!is_ours(&root));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_marked_folder_is_not_ours() {
        let (_tmp, root) = temp();
        std::fs::create_dir(root.join("built")).unwrap();
        write_marker(&root.join("built"), &[]).unwrap();
        assert!(is_ours(&root.join("built")));
        std::os::unix::fs::symlink(root.join("built"), root.join("link")).unwrap();
        assert!(!is_ours(&root.join("link")));
    }
}
