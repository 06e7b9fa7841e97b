//! Input text may not hold control characters: NUL, escape and the other C0 controls (tab,
//! line feed and carriage return aside), nor U+FFFE or U+FFFF. They are invisible in most
//! editors, mean nothing in HTML, and would make the Atom feeds and the sitemap invalid
//! XML. A file holding one is an error at its position; the writers replace any that get
//! through anyway (`html::xml_safe`, `html::escape`).

use std::path::Path;

use crate::error::{line_col, Diagnostic};
use crate::html::first_forbidden;

/// The first forbidden character of `text` (the whole file), as an error at its position.
pub fn check(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let Some((offset, c)) = first_forbidden(text) else {
        return Ok(());
    };
    let (line, col) = line_col(text, offset);
    let name = match c {
        '\0' => " (NUL)",
        '\u{1b}' => " (escape)",
        '\u{8}' => " (backspace)",
        '\u{c}' => " (form feed)",
        _ => "",
    };
    Err(Diagnostic::at(
        path,
        line,
        col,
        format!(
            "control character U+{:04X}{name} in the text: remove it (most editors do not \
             show it; it is not allowed in HTML text nor in the Atom feeds)",
            c as u32
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_the_first_control_character() {
        let d = check(Path::new("a.md"), "+++\ntitle = \"A\u{0}B\"\n").unwrap_err();
        assert_eq!((d.line, d.col), (2, 11));
        assert!(
            d.message.starts_with("control character U+0000 (NUL)"),
            "{d}"
        );
        let d = check(Path::new("a.md"), "é\u{ffff}").unwrap_err();
        assert_eq!((d.line, d.col), (1, 2));
        assert!(d.message.contains("U+FFFF"), "{d}");
    }

    #[test]
    fn accepts_tabs_line_ends_and_other_text() {
        assert!(check(Path::new("a.md"), "a\tb\r\nc\u{fffd}\u{ff0c}\u{7f}\n").is_ok());
    }
}
