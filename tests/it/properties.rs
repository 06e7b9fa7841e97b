//! Property tests, bounded to run in a few seconds in a debug build: whatever text a content
//! file holds, splitting, front-matter parsing, the article/profile/page parsers, the loader
//! and the Markdown renderer return a value or located problems, and never panic.

use std::path::Path;
use std::sync::LazyLock;

use digest::content::front_matter;
use digest::content::highlight::Highlighter;
use digest::content::{article, markdown, page, profile, RenderEnv};
use digest::Diagnostic;
use proptest::prelude::*;

/// `cases` per property, unless `PROPTEST_CASES` asks for more (for a longer search).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Taxonomies declared besides companies, so that their keys parse too.
static TAXONOMIES: LazyLock<Vec<String>> =
    LazyLock::new(|| vec!["tags".to_string(), "models".to_string()]);

fn env(highlighter: &Highlighter) -> RenderEnv<'_> {
    RenderEnv {
        highlighter,
        base_path: "/sub/",
        taxonomies: &TAXONOMIES,
        images: digest::images::Settings::defaults(),
        timezone: &digest::schedule::UTC,
    }
}

/// Every problem points inside the file.
fn located(text: &str, problems: &[Diagnostic]) -> Result<(), TestCaseError> {
    prop_assert!(!problems.is_empty());
    let lines = text.split('\n').count();
    for d in problems {
        prop_assert!(
            d.line >= 1 && d.line <= lines + 1,
            "{d} outside {lines} lines"
        );
        prop_assert!(d.col >= 1, "{d}");
        prop_assert!(!d.message.is_empty());
    }
    Ok(())
}

/// Runs every content parser on `text`, checking errors are located.
fn parse_all(text: &str) -> Result<(), TestCaseError> {
    let h = Highlighter::default();
    let env = env(&h);
    let path = Path::new("content/articles/p.md");
    let text = front_matter::normalize(text);
    if let Err(problems) = article::parse_article(path, &text, &env) {
        located(&text, &problems)?;
    }
    if let Err(problems) = profile::parse_profile(path, &text, &env) {
        located(&text, &problems)?;
    }
    if let Err(problems) = page::parse_page(path, &text, &env) {
        located(&text, &problems)?;
    }
    if let Ok(split) = front_matter::split(path, &text) {
        if let Err(d) = front_matter::parse::<toml::Table>(path, &split, article::KEYS) {
            located(&text, &[d])?;
        }
    }
    Ok(())
}

/// A front-matter value as authors write them, right or wrong.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2025-01-27".to_string()),
        Just("2025-02-30".to_string()),
        Just("\"2025-13-01\"".to_string()),
        Just("2025-01-27T09:30:00+01:00".to_string()),
        Just("1979-05-27T25:61:00".to_string()),
        Just("[\"OpenAI\", \"DeepSeek\"]".to_string()),
        Just("[\"a\", 5]".to_string()),
        Just("{ title = \"x\" }".to_string()),
        Just("true".to_string()),
        Just("\"\"\"\nmulti\nline\"\"\"".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| format!("{n:?}")),
        "\\PC{0,12}".prop_map(|s| format!("{s:?}")),
        "[^\\n]{0,12}",
    ]
}

/// A line of front matter: a key (known, misspelt or odd) with a value, a table header, or
/// anything.
fn line() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        prop::sample::select(article::KEYS.to_vec()).prop_map(String::from),
        prop::sample::select(vec![
            "name", "aliases", "website", "founded", "titel", "\"date\"", "tags", "models",
        ])
        .prop_map(String::from),
        "[a-z_]{1,8}",
    ];
    prop_oneof![
        4 => (key, value()).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => prop::sample::select(vec!["[[sources]]", "[[events]]", "[sources]", "[x", "+++", "# c"])
            .prop_map(String::from),
        1 => "\\PC{0,20}",
    ]
}

/// A Markdown body mixing the constructs the renderer treats specially.
fn markdown_body() -> impl Strategy<Value = String> {
    let block = prop_oneof![
        "\\PC{0,30}",
        "#{1,7} [a-zA-Z `*]{0,12}( \\{#[a-z-]{0,6}\\})?",
        prop::sample::select(vec!["rust", "toml", "python", "nope", "", "js,ts"]).prop_flat_map(
            |lang| "\\PC{0,40}".prop_map(move |code| format!("```{lang}\n{code}\n```"))
        ),
        "(> ){1,30}[a-z]{0,5}",
        "( {0,4}[-*] ){1,30}[a-z]{0,5}",
        Just("<!-- more -->".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |".to_string()),
        Just("[link](/about/) [^1]\n\n[^1]: note".to_string()),
        Just("- [x] done\n- [ ] not".to_string()),
        Just("<script>alert(1)</script>".to_string()),
    ];
    prop::collection::vec(block, 0..8).prop_map(|blocks| blocks.join("\n\n"))
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn arbitrary_text_never_panics_the_parsers(text in "\\PC{0,200}") {
        parse_all(&text)?;
        parse_all(&format!("+++\n{text}"))?;
        parse_all(&format!("+++\n{text}\n+++\n{text}"))?;
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_parsers(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        parse_all(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn structured_front_matter_never_panics(
        lines in prop::collection::vec(line(), 0..10),
        close in prop::bool::weighted(0.9),
        crlf in any::<bool>(),
        body in markdown_body(),
    ) {
        let mut text = format!("+++\n{}\n", lines.join("\n"));
        if close {
            text.push_str("+++\n");
        }
        text.push_str(&body);
        if crlf {
            text = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        }
        parse_all(&text)?;
    }

    #[test]
    fn markdown_never_panics(body in markdown_body(), raw in "\\PC{0,100}") {
        let h = Highlighter::default();
        for text in [&body, &raw] {
            let r = markdown::render(text, &h, "/sub/");
            prop_assert!(r.summary_html.is_some() || r.summary_text.is_empty());
        }
    }
}

proptest! {
    #![proptest_config(config(12))]

    /// The loader, on a folder of such files: each file is parsed or has located problems.
    #[test]
    fn loader_never_panics(files in prop::collection::vec(
        (prop::collection::vec(line(), 0..6), markdown_body()), 1..5)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let articles = dir.path().join("content/articles");
        std::fs::create_dir_all(&articles).unwrap();
        for (i, (lines, body)) in files.iter().enumerate() {
            let text = format!("+++\ntitle = \"T\"\ndate = 2025-01-01\n{}\n+++\n{body}", lines.join("\n"));
            std::fs::write(articles.join(format!("a{i}.md")), text).unwrap();
        }
        let h = Highlighter::default();
        let (parsed, walk_problems) = digest::content::load_articles(dir.path(), &env(&h));
        prop_assert!(walk_problems.is_empty());
        prop_assert_eq!(parsed.len(), files.len());
    }
}

/// The inputs the fuzz targets (fuzz/) found a bug with: each once panicked. The fuzz corpus
/// is not tracked, so they are kept here.
#[test]
fn inputs_found_by_fuzzing_are_reported() {
    // `regression-bom-inside-a-key` (the front_matter target): a byte-order mark inside a
    // key made the message code cut the key inside a character.
    let text = "+++\ntitle = \"x\"\ndate = 2025-01-01\ncomp\u{feff}anies = [\"OpenAI\", \"SoftBank\", \"Oracle\"]\n+++\nBody.\n";
    parse_all(text).unwrap();
    let h = Highlighter::default();
    let path = Path::new("content/articles/p.md");
    let problems = article::parse_article(path, text, &env(&h)).unwrap_err();
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    // Located at the mark itself: line 4, column 5.
    assert_eq!(
        shown,
        [
            "content/articles/p.md:4:5: invalid front matter: invalid unquoted key, expected \
          letters, numbers, `-`, `_`; check the TOML syntax: `key = value`, text in double \
          quotes, lists in square brackets"
        ]
    );
}
