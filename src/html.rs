//! HTML text escaping, shared by every stage that writes markup by hand.

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

/// [`escape`], appending to `out`.
pub fn escape_into(out: &mut String, text: &str) {
    substitute_into(out, text, entity);
}

/// [`escape`], writing to `out`: how Tera prints `{{ value }}` (see `render::templates`).
pub fn escape_to(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    substitute(text, entity, |piece| out.write_all(piece.as_bytes()))
}

/// The entity that stands for `byte` in HTML text and attributes, if it needs one.
fn entity(byte: u8) -> Option<&'static str> {
    match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

/// [`substitute`], appending to `out`.
pub fn substitute_into(out: &mut String, text: &str, with: impl Fn(u8) -> Option<&'static str>) {
    let _ = substitute(text, with, |piece| {
        out.push_str(piece);
        Ok::<(), std::convert::Infallible>(())
    });
}

/// Hands `text` to `put` piece by piece, each ASCII byte that `with` names replaced by what
/// it gives: the runs between those whole (the bytes are ASCII, so every cut falls on a
/// character boundary), so text with none costs one scan. Used for HTML here and for JSON
/// inside `<script>` (`render::context::script_safe_json`).
pub fn substitute<E>(
    text: &str,
    with: impl Fn(u8) -> Option<&'static str>,
    mut put: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        if let Some(replacement) = with(byte) {
            debug_assert!(byte.is_ascii(), "only ASCII bytes can be cut out of UTF-8");
            put(&text[start..i])?;
            put(replacement)?;
            start = i + 1;
        }
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
