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
        let message = explain(err.message(), known, split.front_matter, offset);
        Diagnostic::at_offset(
            path,
            split.front_matter,
            offset,
            split.front_matter_line,
            message,
        )
    })
}

/// Makes TOML's and serde's messages say what is wrong and what to do: an unknown key gets
/// the nearest known key suggested, a wrong type names its key and the expected type, an
/// impossible date names the month's days. `offset` is where the error is in `source`.
fn explain(message: &str, known: &[&str], source: &str, offset: usize) -> String {
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
    let line = line_at(source, offset);
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches(['"', '\'']))
        .filter(|k| !k.is_empty() && !k.starts_with('[') && !k.starts_with('#'));
    if let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        let in_list = line
            .split_once('=')
            .is_some_and(|(_, v)| v.trim_start().starts_with('['));
        let key = match key {
            Some(k) if in_list && !expected.starts_with("a sequence") => {
                format!("each item of `{k}`")
            }
            Some(k) => format!("`{k}`"),
            None => "this value".into(),
        };
        let (expected, hint) = match expected {
            "a boolean" => ("a boolean", "write `true` or `false`, without quotes"),
            "a string" => ("a string", "put the text in double quotes"),
            s if s.starts_with("a sequence") && (key == "`sources`" || key == "`events`") => (
                "a list of tables",
                "write each one as a `[[...]]` table, e.g. `[[sources]]` with `title` and `url` below it",
            ),
            s if s.starts_with("a sequence") => ("a list", "write the items in square brackets"),
            s => (s, "change the value"),
        };
        return format!("invalid front matter: {key} must be {expected}, not {found}; {hint}");
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        let table = line.trim();
        let table = if table.starts_with('[') {
            format!(" in this `{table}` entry")
        } else {
            String::new()
        };
        return format!("invalid front matter: missing `{field}`{table}; add `{field} = ...`");
    }
    if message.starts_with("duplicate key") {
        let key = key.unwrap_or_else(|| line.trim());
        return format!("invalid front matter: duplicate key `{key}`; keep only one of them");
    }
    if message.starts_with("invalid date") {
        // Say which day or month is impossible, as for a date written in quotes.
        let token = source[offset.min(source.len())..]
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#'))
            .next()
            .unwrap_or("");
        if let Err(why) = crate::date::PostDate::from_toml(&toml::Value::String(token.into())) {
            if why.contains(" has no day ") || why.contains(" no month ") {
                return why;
            }
        }
    }
    format!(
        "invalid front matter: {message}; check the TOML syntax: `key = value`, text in double \
         quotes, lists in square brackets"
    )
}

/// The line of `source` that holds byte `offset`.
fn line_at(source: &str, offset: usize) -> &str {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    &source[start..end]
}

/// The known key closest to `key` by edit distance, if it is close enough to be a typo.
/// Where `key` is set in a TOML text (`key = ...`, `[key]` or `[[key]]` at a line's start),
/// for errors about a key found by name; 0 when it cannot be found.
pub fn key_offset(toml_text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in toml_text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        let rest = trimmed
            .trim_start_matches('[')
            .strip_prefix(key)
            .or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")));
        if rest.is_some_and(|r| r.trim_start().starts_with(['=', ']'])) {
            return offset + lead;
        }
        offset += line.len();
    }
    0
}

/// Where the value of `key` starts (after `=` and spaces), else where the key is.
pub fn value_offset(toml_text: &str, key: &str) -> usize {
    let at = key_offset(toml_text, key);
    let line = toml_text[at..].lines().next().unwrap_or("");
    match line.find('=') {
        Some(eq) => at + eq + 1 + (line[eq + 1..].len() - line[eq + 1..].trim_start().len()),
        None => at,
    }
}

pub fn nearest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(key, k), *k))
        .filter(|(d, k)| *d <= k.len().max(key.len()).div_ceil(3).max(2))
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
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
