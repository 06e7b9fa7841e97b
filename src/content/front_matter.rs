//! Splitting a content file into its `+++` TOML front matter and Markdown body, and parsing
//! the front matter into a typed struct with errors located in the file's own lines.

use serde::de::DeserializeOwned;
use std::path::Path;

use crate::error::Diagnostic;

/// A content file cut in two; `body` keeps the text below the closing fence.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// 1-based file line on which the front matter's first line stands.
    pub front_matter_line: usize,
    pub body: &'a str,
}

/// Cuts `text` (already free of a BOM and of `\r\n`) at its `+++` fences.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::file(
            path,
            "the file is empty: an article starts with `+++`, a front matter with at least \
             `title` and `date`, and a closing `+++`",
        ));
    }
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() != "+++" {
        return Err(Diagnostic::file(
            path,
            "missing front matter: the file must start with a `+++` line, then TOML keys \
             such as `title` and `date`, then a closing `+++` line",
        ));
    }
    let start = first_line.len() + 1;
    let mut offset = start;
    for line in text[start.min(text.len())..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok(Split {
                front_matter: &text[start..offset],
                front_matter_line: 2,
                body: &text[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::file(
        path,
        "unclosed front matter: the opening `+++` on line 1 has no closing `+++` line; \
         add one after the last TOML key",
    ))
}

/// Normalises what editors on other systems write: a UTF-8 BOM and CRLF line ends.
pub fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Parses front matter TOML into `T`, mapping TOML and type errors to file positions.
/// `known` lists the keys `T` accepts, to suggest the nearest one for an unknown key.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    split: &Split<'_>,
    known: &[&str],
) -> Result<T, Diagnostic> {
    toml::from_str(split.front_matter).map_err(|err| {
        let offset = err.span().map_or(0, |span| span.start);
        let message = explain(err.message(), known);
        Diagnostic::at_offset(
            path,
            split.front_matter,
            offset,
            split.front_matter_line,
            message,
        )
    })
}

/// Makes serde's messages friendlier: an unknown key gets the nearest known key suggested.
fn explain(message: &str, known: &[&str]) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        let allowed = known.join(", ");
        return match nearest(key, known) {
            Some(near) => {
                format!("unknown key `{key}`: did you mean `{near}`? (known keys: {allowed})")
            }
            None => format!("unknown key `{key}` (known keys: {allowed})"),
        };
    }
    format!("invalid front matter: {message}")
}

/// The known key closest to `key` by edit distance, if it is close enough to be a typo.
pub fn nearest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(key, k), *k))
        .filter(|(d, k)| *d <= k.len().max(key.len()).div_ceil(3).max(2))
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("a.md")
    }

    #[test]
    fn splits_front_matter_and_body() {
        let s = split(p(), "+++\ntitle = \"x\"\n+++\nBody\n").unwrap();
        assert_eq!(s.front_matter, "title = \"x\"\n");
        assert_eq!(s.body, "Body\n");
    }

    #[test]
    fn accepts_a_closing_fence_at_end_of_file_without_newline() {
        let s = split(p(), "+++\na = 1\n+++").unwrap();
        assert_eq!(s.front_matter, "a = 1\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn reports_missing_unclosed_and_empty() {
        assert!(split(p(), "title = 1\n")
            .unwrap_err()
            .message
            .contains("missing front matter"));
        assert!(split(p(), "+++\na = 1\n")
            .unwrap_err()
            .message
            .contains("unclosed"));
        assert!(split(p(), "\n \n").unwrap_err().message.contains("empty"));
    }

    #[test]
    fn normalizes_bom_and_crlf() {
        assert_eq!(normalize("\u{feff}+++\r\na\r\n"), "+++\na\n");
    }

    #[test]
    fn suggests_nearest_key() {
        assert_eq!(nearest("titel", &["title", "date"]), Some("title"));
        assert_eq!(
            nearest("compnies", &["companies", "tags"]),
            Some("companies")
        );
        assert_eq!(nearest("zzzzzz", &["title", "date"]), None);
    }
}
