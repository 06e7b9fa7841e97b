//! Any text as an article body: Markdown rendering (headings, summaries, links, footnotes,
//! tables...) and the syntax highlighting of fenced code, in any language syntect knows,
//! must never panic nor hang.
#![no_main]

use digest::content::highlight::Highlighter;
use digest::content::markdown;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn highlighter() -> &'static Highlighter {
    static H: OnceLock<Highlighter> = OnceLock::new();
    H.get_or_init(Highlighter::default)
}

/// Languages to try on the raw input as code: common ones and a few with complex grammars.
const LANGS: &[&str] = &[
    "rust",
    "python",
    "js",
    "ts",
    "toml",
    "json",
    "yaml",
    "html",
    "sh",
    "c",
    "cpp",
    "go",
    "markdown",
    "sql",
    "Dockerfile",
    "latex",
    "ruby",
    "diff",
    "xml",
    "css",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rendered = markdown::render(text, highlighter(), "/sub/");
    assert!(rendered.summary_html.is_some() || rendered.summary_text.is_empty());
    // The first byte picks a language to highlight the rest as a code block.
    if let Some((&first, rest)) = data.split_first() {
        if let Ok(code) = std::str::from_utf8(rest) {
            let lang = LANGS[usize::from(first) % LANGS.len()];
            let html = highlighter().highlight(code, lang);
            assert!(html.starts_with("<pre"), "{html}");
        }
    }
});
