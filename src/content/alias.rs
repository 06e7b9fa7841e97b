//! Old addresses of a story or page (`aliases = ["/2025/01/old-slug/"]`): each becomes a
//! redirect page there, so links shared before a slug or date was fixed keep working.

use std::path::PathBuf;

/// One old address, checked, and where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alias {
    /// The file the redirect page is written to, below the output root
    /// (`2025/01/old-slug/index.html`, `old/path.html`).
    pub file: String,
    /// As written, for messages (`/2025/01/old-slug/`).
    pub written: String,
    /// Where it was written: its file, line and column.
    pub source: PathBuf,
    pub line: usize,
    pub col: usize,
}

/// The output file of an old address written as `path`: a folder (`/old/`, or `/old`
/// without an extension) gets its `index.html`, an `.html` or `.htm` file is itself. The
/// path is below the site's base path and starts with `/`; an error says what to write.
pub fn file_of(path: &str) -> Result<String, String> {
    let example = "write the old address as a path from the site's root, like \"/2025/01/old-slug/\" or \"/old/page.html\"";
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!(
            "`{path}` is not a path from the site's root: {example}"
        ));
    };
    if path.contains("://") || rest.starts_with('/') {
        return Err(format!("`{path}` is an address on another site: {example}"));
    }
    if let Some(c) = path.chars().find(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\' | '"' | '<' | '>')
    }) {
        return Err(format!(
            "`{path}` holds {c:?}, which an address path cannot: {example}"
        ));
    }
    let segments: Vec<&str> = rest.split('/').collect();
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Err(format!("`{path}` has a `.` or `..` segment: {example}"));
    }
    // `/2025//01/x/` is `/2025/01/x/` on disk: it would slip past the checks that it is
    // no page's address.
    if segments[..segments.len() - 1].iter().any(|s| s.is_empty()) {
        return Err(format!("`{path}` has an empty segment (`//`): {example}"));
    }
    if rest.is_empty() {
        return Err(format!(
            "`/` is the home page, which cannot be an old address: {example}"
        ));
    }
    let last = segments.last().copied().unwrap_or_default();
    if last.is_empty() {
        return Ok(format!("{rest}index.html"));
    }
    match last
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
    {
        Some(ext) if ext == "html" || ext == "htm" => Ok(rest.to_string()),
        Some(ext) if !ext.is_empty() && ext.chars().all(|c| c.is_ascii_alphabetic()) => Err(
            format!("`{path}` names a `.{ext}` file, where a redirect page cannot work: {example}"),
        ),
        _ => Ok(format!("{rest}/index.html")),
    }
}

/// The `aliases` of a front matter, checked; `at` places a message at a span of it (its
/// line and column are the alias's). Every bad one is reported.
pub fn aliases(
    written: &[toml::Spanned<String>],
    source: &std::path::Path,
    at: impl Fn(std::ops::Range<usize>, String) -> crate::error::Diagnostic,
) -> Result<Vec<Alias>, Vec<crate::error::Diagnostic>> {
    let mut found = Vec::with_capacity(written.len());
    let mut problems = Vec::new();
    for w in written {
        let path = w.get_ref().trim();
        match file_of(path) {
            Ok(file) => {
                let d = at(w.span(), String::new());
                found.push(Alias {
                    file,
                    written: path.to_string(),
                    source: source.to_path_buf(),
                    line: d.line,
                    col: d.col,
                });
            }
            Err(m) => problems.push(at(w.span(), format!("in `aliases`: {m}"))),
        }
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_addresses_become_the_files_a_server_answers_them_with() {
        assert_eq!(
            file_of("/2025/01/old-slug/").unwrap(),
            "2025/01/old-slug/index.html"
        );
        assert_eq!(
            file_of("/2025/01/old-slug").unwrap(),
            "2025/01/old-slug/index.html"
        );
        assert_eq!(file_of("/old/path.html").unwrap(), "old/path.html");
        assert_eq!(file_of("/Old/Page.HTM").unwrap(), "Old/Page.HTM");
        assert_eq!(file_of("/v1.2.30/").unwrap(), "v1.2.30/index.html");
        for (bad, why) in [
            ("2025/01/x/", "not a path from the site's root"),
            ("https://x.org/a/", "not a path from the site's root"),
            ("//x.org/a/", "another site"),
            ("/a b/", "holds ' '"),
            ("/a/?q=1", "holds '?'"),
            ("/a/../b/", "`..` segment"),
            ("/2025/02//live/", "empty segment"),
            ("/2025//", "empty segment"),
            ("/", "the home page"),
            ("/feed.xml", "`.xml` file"),
        ] {
            let e = file_of(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
            assert!(e.contains("\"/2025/01/old-slug/\""), "{e}");
        }
    }
}
