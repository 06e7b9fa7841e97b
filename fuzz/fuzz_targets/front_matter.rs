//! Any bytes as a content file and as config.toml: splitting at the `+++` fences, parsing the
//! TOML front matter of an article, a company profile and a page, and locating every error
//! must never panic, and every message must name a line and column inside the file.
#![no_main]

use digest::content::front_matter;
use digest::content::highlight::Highlighter;
use digest::content::{article, page, profile, RenderEnv};
use digest::Diagnostic;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

fn highlighter() -> &'static Highlighter {
    static H: OnceLock<Highlighter> = OnceLock::new();
    H.get_or_init(Highlighter::default)
}

/// A message points into the file: line 1..=lines+1, column 1.. (or 0:0 for "whole file").
fn check(text: &str, d: &Diagnostic) {
    let lines = text.split('\n').count();
    assert!(d.line <= lines + 1, "{d} is past the end ({lines} lines)");
    assert!(!d.message.is_empty());
    let _ = d.to_string();
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let text = front_matter::normalize(raw);
    let path = Path::new("content/articles/fuzz.md");
    if let Ok(split) = front_matter::split(path, &text) {
        assert!(text.ends_with(split.body));
        if let Err(d) = front_matter::parse::<toml::Table>(path, &split, &["title", "date"]) {
            check(&text, &d);
        }
    }
    // The body matters little here (the markdown target covers it): keep 256 bytes of it,
    // so that runs go to the front matter.
    let text = match front_matter::split(path, &text) {
        Ok(split) if split.body.len() > 256 => {
            let mut cut = text.len() - split.body.len() + 256;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text[..cut].to_string()
        }
        _ => text.into_owned(),
    };
    let taxonomies = ["tags".to_string(), "models".to_string()];
    let env = RenderEnv {
        highlighter: highlighter(),
        base_path: "/sub/",
        taxonomies: &taxonomies,
        images: digest::images::Settings::defaults(),
    };
    for result in [
        article::parse_article(path, &text, &env).map(|_| ()),
        profile::parse_profile(path, &text, &env).map(|_| ()),
        page::parse_page(path, &text, &env).map(|_| ()),
    ] {
        if let Err(problems) = result {
            assert!(!problems.is_empty());
            for d in &problems {
                check(&text, d);
            }
        }
    }
    if let Err(problems) = digest::config::Config::parse(Path::new("config.toml"), &text) {
        assert!(!problems.is_empty());
        for d in &problems {
            check(&text, d);
        }
    }
});
