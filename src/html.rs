//! HTML text escaping, shared by every stage that writes markup by hand.

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

/// [`escape`], appending to `out`.
pub fn escape_into(out: &mut String, text: &str) {
    let _ = pieces(text, |piece| {
        out.push_str(piece);
        Ok::<(), std::convert::Infallible>(())
    });
}

/// [`escape`], writing to `out`: how Tera prints `{{ value }}` (see `render::templates`).
pub fn escape_to(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    pieces(text, |piece| out.write_all(piece.as_bytes()))
}

/// Hands `text`, escaped, to `put` piece by piece: the runs between special characters
/// whole (they are ASCII, so every cut falls on a character boundary), each special
/// character as its entity. Most text has none, and this runs on every page's values.
fn pieces<E>(text: &str, mut put: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        put(&text[start..i])?;
        put(entity)?;
        start = i + 1;
    }
    put(&text[start..])
}

#[cfg(test)]
mod tests {
    #[test]
    fn writes_what_it_returns() {
        for text in [
            "",
            "plain",
            "<a href=\"x\">'&'</a>",
            "caf\u{e9} & th\u{e9} <b>",
            "&&",
        ] {
            let mut written = Vec::new();
            super::escape_to(text, &mut written).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), super::escape(text));
        }
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(super::escape("é<ü>\u{1F600}&"), "é&lt;ü&gt;\u{1F600}&amp;");
        assert_eq!(super::escape("plain"), "plain");
        assert_eq!(super::escape(""), "");
    }
}
