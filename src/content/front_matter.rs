//! Splitting a content file into its `+++` TOML front matter and Markdown body, and parsing
//! the front matter into a typed struct with errors located in the file's own lines.

use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::path::Path;

use crate::error::Diagnostic;

/// A content file cut in two; `body` keeps the text below the closing fence.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// 1-based file line on which the front matter's first line stands.
    pub front_matter_line: usize,
    pub body: &'a str,
    /// 1-based file line on which the body starts.
    pub body_line: usize,
}

impl Split<'_> {
    /// A problem in the file at `path`, placed at byte `offset` of the front matter.
    pub fn at(&self, path: &Path, offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at_offset(
            path,
            self.front_matter,
            offset,
            self.front_matter_line,
            message,
        )
    }
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
    for (n, line) in text[start.min(text.len())..]
        .split_inclusive('\n')
        .enumerate()
    {
        if line.trim_end() == "+++" {
            return Ok(Split {
                front_matter: &text[start..offset],
                front_matter_line: 2,
                body: &text[offset + line.len()..],
                // Line 1 is the opening fence, line n + 2 the closing one.
                body_line: n + 3,
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
        split.at(path, offset, message)
    })
}

/// Makes TOML's and serde's messages say what is wrong and what to do: an unknown key gets
/// the nearest known key suggested, a wrong type names its key and the expected type, an
/// impossible date names the month's days. `offset` is where the error is in `source`.
fn explain(message: &str, known: &[&str], source: &str, offset: usize) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        // In a table (`[image]`, `[[sources]]`), serde lists the table's own keys.
        let own: Vec<&str> = rest
            .split_once(", expected ")
            .map(|(_, expected)| expected.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let known = if own.is_empty() { known } else { &own[..] };
        let allowed = known.join(", ");
        return match nearest(key, known) {
            Some(near) => {
                format!("unknown key `{key}`: did you mean `{near}`? (known keys: {allowed})")
            }
            None => format!("unknown key `{key}` (known keys: {allowed})"),
        };
    }
    let (line, at) = line_at(source, offset);
    let header = line.trim().starts_with('[');
    // The key whose value is at fault: the last `key =` before the error on its line.
    let (key, value_before) = if header {
        (Some(line.trim().trim_matches(['[', ']', ' '])), "")
    } else {
        match line[..at].rsplit_once('=').or_else(|| line.split_once('=')) {
            Some((k, v)) => {
                let k = k.trim_end();
                let quoted = ['"', '\''].into_iter().find_map(|q| {
                    k.strip_suffix(q)
                        .and_then(|k| k.rsplit_once(q))
                        .map(|(_, name)| name)
                });
                let bare = || {
                    let start = k
                        .char_indices()
                        .rfind(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '-'))
                        .map_or(0, |(i, c)| i + c.len_utf8());
                    &k[start..]
                };
                (Some(quoted.unwrap_or_else(bare)), v)
            }
            None => (None, ""),
        }
    };
    let key = key.filter(|k| !k.is_empty());
    if let Some((found, expected)) = invalid_type(message) {
        let in_list = value_before.contains('[');
        let header = header.then(|| line.trim());
        return wrong_type(key, in_list, header, found, expected);
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
    if message.starts_with("invalid date") || message.starts_with("invalid time") {
        // Say which day or month is impossible, as for a date written in quotes.
        let token = source[offset.min(source.len())..]
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#' | 'T'))
            .next()
            .unwrap_or("");
        if let Err(why) = crate::date::PostDate::from_toml(&toml::Value::String(token.into())) {
            if why.contains(" has no day ") || why.contains(" no month ") {
                return why;
            }
        }
        return format!(
            "invalid front matter: {message}; write a date as YYYY-MM-DD, or a date and time \
             as 2025-01-27T09:30:00Z"
        );
    }
    format!(
        "invalid front matter: {message}; check the TOML syntax: `key = value`, text in double \
         quotes, lists in square brackets"
    )
}

/// `(found, expected)` of serde's "invalid type: <found>, expected <expected>".
pub fn invalid_type(message: &str) -> Option<(&str, &str)> {
    message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
}

/// "`key` must be <expected>, not <found>; <what to do>" for serde's "invalid type: <found>,
/// expected <expected>". `in_list`: the value is inside square brackets (the fault is an
/// item); `header`: the value is a table written as this `[...]` line.
pub fn wrong_type(
    key: Option<&str>,
    in_list: bool,
    header: Option<&str>,
    found: &str,
    expected: &str,
) -> String {
    let found = match (found, header) {
        ("map", Some(header)) => format!("a single `{header}` table"),
        ("map", None) => "a table".into(),
        (other, _) => other.into(),
    };
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
            "write each one as a table headed `[[...]]` (double brackets), e.g. `[[sources]]` \
             with `title` and `url` below it",
        ),
        s if s.starts_with("a list of names") => (s, "write the names in double quotes"),
        s if s.starts_with("a sequence") => ("a list", "write the items in square brackets"),
        s => (s, "change the value"),
    };
    format!("invalid front matter: {key} must be {expected}, not {found}; {hint}")
}

/// The line of `source` that holds byte `offset`, and the offset's byte position in it.
fn line_at(source: &str, offset: usize) -> (&str, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    (&source[start..end], offset - start)
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

/// Where each key is set in a TOML text, as [`key_offset`] finds it, for many keys: one
/// pass over the text, then a lookup per key (a file with thousands of unknown keys is
/// reported in linear time).
pub struct KeyOffsets<'a> {
    text: &'a str,
    first: HashMap<&'a str, usize>,
}

impl<'a> KeyOffsets<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut first = HashMap::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let lead = line.len() - trimmed.len();
            let body = trimmed.trim_start_matches('[');
            let (key, rest) = match body.strip_prefix('"') {
                Some(quoted) => quoted.split_once('"').unwrap_or_default(),
                None => {
                    let end = body
                        .find(|c: char| c.is_whitespace() || matches!(c, '=' | ']' | '.' | '"'))
                        .unwrap_or(body.len());
                    body.split_at(end)
                }
            };
            if !key.is_empty() && rest.trim_start().starts_with(['=', ']']) {
                first.entry(key).or_insert(offset + lead);
            }
            offset += line.len();
        }
        KeyOffsets { text, first }
    }

    /// Where `key` is set; 0 when it cannot be found.
    pub fn key(&self, key: &str) -> usize {
        self.first.get(key).copied().unwrap_or(0)
    }

    /// Where the value of `key` starts (after `=` and spaces), else where the key is.
    pub fn value(&self, key: &str) -> usize {
        value_after(self.text, self.key(key))
    }
}

/// Where the value of `key` starts (after `=` and spaces), else where the key is.
pub fn value_offset(toml_text: &str, key: &str) -> usize {
    value_after(toml_text, key_offset(toml_text, key))
}

/// Where the value of the key set at `at` starts, else `at`.
fn value_after(toml_text: &str, at: usize) -> usize {
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
        assert_eq!(s.body_line, 4);
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

    fn error(front_matter: &str) -> Diagnostic {
        let text = format!("+++\n{front_matter}+++\n");
        let s = split(p(), &text).unwrap();
        parse::<std::collections::BTreeMap<String, bool>>(p(), &s, &["draft"]).unwrap_err()
    }

    #[test]
    fn explains_a_wrong_type_with_its_key() {
        let d = error("draft = \"yes\"\n");
        assert_eq!(
            d.to_string(),
            "a.md:2:9: invalid front matter: `draft` must be a boolean, not string \"yes\"; \
             write `true` or `false`, without quotes"
        );
        let d = error("a = true\n\"x y\" = 5\n");
        assert!(
            d.message.starts_with("invalid front matter: `x y` must be"),
            "{d}"
        );
    }

    #[test]
    fn explains_an_impossible_date_literal() {
        let d = error("draft = 2023-02-29\n");
        assert_eq!(
            d.to_string(),
            "a.md:2:9: `2023-02-29` is not a date: February has no day 29"
        );
    }

    #[test]
    fn names_a_duplicate_key() {
        let d = error("draft = true\ndraft = false\n");
        assert_eq!(
            d.to_string(),
            "a.md:3:1: invalid front matter: duplicate key `draft`; keep only one of them"
        );
    }

    /// Found by the property test and by `cargo fuzz run front_matter` (a BOM inside a key):
    /// the key before an error was cut inside a multi-byte character.
    #[test]
    fn a_key_after_a_multibyte_character_is_cut_at_a_char_boundary() {
        let d = error("comp\u{feff}anies = [\"OpenAI\", \"SoftBank\", \"Oracle\"]\n");
        assert!(d.message.starts_with("invalid front matter"), "{d}");
        let d = error("\u{fffc}= 1\n");
        assert!(d.message.starts_with("invalid front matter"), "{d}");
        let d = error("_$hX\u{a5}\u{c90}%\u{fffd}\u{2da0}C = 1\n");
        assert!(d.message.starts_with("invalid front matter"), "{d}");
    }

    #[test]
    fn key_offsets_agree_with_key_offset() {
        let text = "title = \"T\"\n  tags = [\"a\"]\ntags2 = 1\n\"x y\" = 2\n[models]\n[[sources]]\nurl = \"u\"\nnone\n";
        let index = KeyOffsets::new(text);
        for key in [
            "title", "tags", "tags2", "x y", "models", "sources", "url", "none", "zz",
        ] {
            assert_eq!(index.key(key), key_offset(text, key), "{key}");
            assert_eq!(index.value(key), value_offset(text, key), "{key}");
        }
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
