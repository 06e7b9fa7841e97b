//! Which URLs an author may link to: `http:`, `https:`, `mailto:` and URLs without a scheme
//! (site-relative `/about/`, relative `x/`, `#fragment`, protocol-relative `//host/`).
//! Any other scheme is refused: `javascript:` and `vbscript:` run code when clicked, and
//! `data:` can carry a whole page of script.

use std::path::Path;

use super::front_matter::Split;
use super::markdown::UnsafeLink;
use super::positions::line_cols;
use crate::error::Diagnostic;

/// Schemes a link may use.
pub const ALLOWED: &[&str] = &["http", "https", "mailto"];

/// The scheme of `url`, lowercased, when it is not an allowed one. Read as a browser reads
/// it: leading and trailing spaces and control characters do not count, nor do tabs and
/// line breaks anywhere (`java\tscript:` is `javascript:`); a scheme is a letter then
/// letters, digits, `+`, `-` or `.`, ended by `:` before any `/`, `?` or `#`; anything
/// else before a `:` makes the URL relative.
pub fn disallowed_scheme(url: &str) -> Option<String> {
    let url = url.trim_matches(|c: char| c <= ' ');
    let mut scheme = String::new();
    for c in url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        match c {
            ':' => break,
            c if c.is_ascii_alphabetic() => scheme.push(c.to_ascii_lowercase()),
            '0'..='9' | '+' | '-' | '.' if !scheme.is_empty() => scheme.push(c),
            _ => return None,
        }
    }
    // No `:` at all: `scheme` is then a relative path such as `about`.
    let has_colon = url.contains(':');
    (has_colon && !scheme.is_empty() && !ALLOWED.contains(&scheme.as_str())).then_some(scheme)
}

/// Why the URL in `what` (e.g. "`url`") cannot be used, if it cannot.
pub fn problem(what: &str, url: &str) -> Option<String> {
    disallowed_scheme(url).map(|scheme| {
        format!(
            "{what} uses the `{scheme}:` scheme, which is not allowed (`javascript:`, \
             `vbscript:` and `data:` links can run code): use an http:// or https:// address, \
             a mailto: address, or a site-relative path such as /about/"
        )
    })
}

/// The body's [`UnsafeLink`]s as problems at their file positions, for `digest check`
/// (a build renders them as text).
pub fn body_problems(path: &Path, split: &Split<'_>, links: &[UnsafeLink]) -> Vec<Diagnostic> {
    let offsets: Vec<usize> = links.iter().map(|l| l.offset).collect();
    links
        .iter()
        .zip(line_cols(split.body, &offsets))
        .map(|(link, (line, col))| {
            let what = format!("the link to `{}`", link.url.trim());
            let message = problem(&what, &link.url).unwrap_or_default();
            Diagnostic::at(
                path,
                line + split.body_line - 1,
                col,
                format!("{message}; the build shows its text without the link"),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::disallowed_scheme as d;

    #[test]
    fn refuses_script_and_data_urls_however_written() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "  javascript:alert(1)",
            "\u{1}javascript:x",
            "java\tscript:x",
            "java\nscript:x",
            "vbscript:msgbox",
            "data:text/html,<script>alert(1)</script>",
            "DATA:text/html;base64,PHNjcmlwdD4=",
            "ftp://host/",
        ] {
            assert!(d(url).is_some(), "{url:?}");
        }
        assert_eq!(d(" Java\tScript:x").as_deref(), Some("javascript"));
    }

    #[test]
    fn allows_web_mail_and_scheme_less_urls() {
        for url in [
            "https://example.com/a:b",
            "HTTP://example.com/",
            " https://example.com/ ",
            "mailto:editor@example.com",
            "/about/",
            "about/",
            "#section",
            "//cdn.example.com/x",
            "?q=a:b",
            "a/b:c",
            "notes#a:b",
            "1x:y",
            "",
        ] {
            assert_eq!(d(url), None, "{url:?}");
        }
    }
}
