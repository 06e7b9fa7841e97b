//! HTML text escaping, shared by every stage that writes markup by hand, and the
//! characters that XML 1.0 forbids (so that feeds and sitemaps stay well-formed).

use std::borrow::Cow;

/// The character that stands for one that XML forbids, wherever output must stay XML.
pub const REPLACEMENT: char = '\u{fffd}';

/// Characters that may not appear in an XML 1.0 document (nor sensibly in HTML): the C0
/// controls other than tab, line feed and carriage return, and the noncharacters U+FFFE
/// and U+FFFF. (Lone surrogates cannot occur in a Rust string.)
pub fn is_forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// Whether `byte` may start a forbidden character: a C0 control, or 0xEF (the first byte
/// of U+FFFE and U+FFFF, and of other characters, so it is only a hint).
fn may_start_forbidden(byte: u8) -> bool {
    (byte < b' ' && !matches!(byte, b'\t' | b'\n' | b'\r')) || byte == 0xef
}

/// The byte offset and value of the first [`is_forbidden`] character of `text`. Every
/// input file and every article's HTML is scanned: 32 bytes at a time, without branches
/// (the compiler vectorises it), until a block may hold one.
pub fn first_forbidden(text: &str) -> Option<(usize, char)> {
    const BLOCK: usize = 32;
    let bytes = text.as_bytes();
    let clean = bytes
        .chunks(BLOCK)
        .take_while(|block| {
            !block
                .iter()
                .fold(false, |any, &b| any | may_start_forbidden(b))
        })
        .count();
    let mut start = clean * BLOCK;
    if start >= bytes.len() {
        return None;
    }
    // A block may start inside a character; the one before was clean.
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    text[start..]
        .char_indices()
        .find(|&(_, c)| is_forbidden(c))
        .map(|(i, c)| (start + i, c))
}

/// `text` with every [`is_forbidden`] character replaced by U+FFFD; borrowed when there is
/// none.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    match first_forbidden(text) {
        None => Cow::Borrowed(text),
        Some((at, _)) => {
            let mut out = String::with_capacity(text.len() + 2);
            out.push_str(&text[..at]);
            out.extend(
                text[at..]
                    .chars()
                    .map(|c| if is_forbidden(c) { REPLACEMENT } else { c }),
            );
            Cow::Owned(out)
        }
    }
}

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

/// The entity that stands for `byte` in HTML text and attributes, if it needs one. C0
/// controls (which the loader rejects anyway) become U+FFFD, so that escaped text is
/// always valid XML too: feeds and sitemaps are escaped with this. A table: one load per
/// byte.
fn entity(byte: u8) -> Option<&'static str> {
    ENTITIES[byte as usize]
}

static ENTITIES: [Option<&str>; 256] = {
    let mut table = [None; 256];
    let mut b = 0;
    while b < 0x20 {
        if !matches!(b, b'\t' | b'\n' | b'\r') {
            table[b as usize] = Some("\u{fffd}");
        }
        b += 1;
    }
    table[b'&' as usize] = Some("&amp;");
    table[b'<' as usize] = Some("&lt;");
    table[b'>' as usize] = Some("&gt;");
    table[b'"' as usize] = Some("&quot;");
    table[b'\'' as usize] = Some("&#39;");
    table
};

/// Appends `text` to `out` with each ASCII byte that `with` names replaced by what it
/// gives: the runs between those are copied whole (the bytes are ASCII, so every cut falls
/// on a character boundary), so text with none costs one scan. Used for HTML here and for
/// JSON inside `<script>` (`render::views::script_safe_json`).
pub fn substitute_into(out: &mut String, text: &str, with: impl Fn(u8) -> Option<&'static str>) {
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        if let Some(replacement) = with(byte) {
            debug_assert!(byte.is_ascii(), "only ASCII bytes can be cut out of UTF-8");
            out.push_str(&text[start..i]);
            out.push_str(replacement);
            start = i + 1;
        }
    }
    out.push_str(&text[start..]);
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping_replaces_control_characters_but_keeps_white_space() {
        assert_eq!(
            super::escape("a\u{0}b\u{1b}c\td\ne\rf"),
            "a\u{fffd}b\u{fffd}c\td\ne\rf"
        );
    }

    #[test]
    fn xml_safe_replaces_what_xml_forbids_only() {
        use std::borrow::Cow;
        assert!(matches!(
            super::xml_safe("plain \u{ff0c} text\t\n"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            super::xml_safe("a\u{0}\u{7}\u{fffe}\u{ffff}\u{fffd}z"),
            "a\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}z"
        );
    }

    #[test]
    fn first_forbidden_is_found_in_any_block() {
        for at in [0, 1, 31, 32, 33, 63, 64, 100] {
            let text = format!(
                "{}\u{0}{}",
                "é".repeat(at / 2) + &"x".repeat(at % 2),
                "y".repeat(40)
            );
            assert_eq!(super::first_forbidden(&text), Some((at, '\u{0}')), "{at}");
            let text = format!("{}\u{ffff}", "\u{ff0c}".repeat(at));
            assert_eq!(
                super::first_forbidden(&text),
                Some((at * 3, '\u{ffff}')),
                "{at}"
            );
        }
        assert_eq!(super::first_forbidden(&"\t\r\n\u{ff0c}".repeat(50)), None);
        // A block that starts inside a character.
        let text = format!("x{}\u{0}", "é".repeat(20));
        assert_eq!(super::first_forbidden(&text), Some((41, '\u{0}')));
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
