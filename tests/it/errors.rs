//! Bad input: every problem is reported as `path:line:col: message`, the exit code is 1,
//! and the previous output stays exactly as it was.

use crate::support::{article, TestSite};

const GOOD: &str = "+++\ntitle = \"Good\"\ndate = 2025-01-01\n+++\nFine.\n";

/// Builds a good site, breaks it with `path`/`text`, and checks the old output survives.
fn broken(path: &str, text: &[u8]) -> (TestSite, String) {
    let site = TestSite::new().article("good.md", GOOD);
    site.build_ok();
    let before = site.output("2025/01/good/index.html");
    let site = site.bytes(path, text);
    let stderr = site.build_err();
    assert_eq!(
        site.output("2025/01/good/index.html"),
        before,
        "old output untouched"
    );
    let debris: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .collect();
    assert!(debris.is_empty(), "no staging folder left behind");
    (site, stderr)
}

#[test]
fn missing_front_matter() {
    let (_, err) = broken("content/articles/bad.md", b"Just text\n");
    assert!(err.contains("content/articles/bad.md:1:1: missing front matter: the file must start with a `+++` line"), "{err}");
}

#[test]
fn unclosed_front_matter() {
    let (_, err) = broken("content/articles/bad.md", b"+++\ntitle = \"x\"\n");
    assert!(
        err.contains("content/articles/bad.md:1:1: unclosed front matter"),
        "{err}"
    );
}

#[test]
fn invalid_toml_is_located_in_the_file() {
    let (_, err) = broken(
        "content/articles/bad.md",
        b"+++\ntitle = \"x\"\ndate = 2025-01-01\ntags = [\"a\",\n+++\n",
    );
    assert!(err.contains("content/articles/bad.md:4:"), "{err}");
    assert!(err.contains("invalid front matter"), "{err}");
}

#[test]
fn wrong_type_names_what_was_expected() {
    let (_, err) = broken(
        "content/articles/bad.md",
        article("T", "2025-01-01", "tags = 5", "").as_bytes(),
    );
    assert!(
        err.contains("content/articles/bad.md:4:8: invalid front matter:"),
        "{err}"
    );
    assert!(err.contains("a list of names"), "{err}");
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let (_, err) = broken(
        "content/articles/bad.md",
        article("T", "2025-01-01", "sumary = \"x\"", "").as_bytes(),
    );
    assert!(
        err.contains("content/articles/bad.md:4:1: unknown key `sumary`: did you mean `summary`?"),
        "{err}"
    );
}

#[test]
fn missing_title_and_date() {
    let (_, err) = broken("content/articles/bad.md", b"+++\ntags = []\n+++\n");
    assert!(
        err.contains(
            "content/articles/bad.md:1:1: missing `title` in the front matter: add `title = "
        ),
        "{err}"
    );
    assert!(
        err.contains("content/articles/bad.md:1:1: missing `date` in the front matter"),
        "{err}"
    );
}

#[test]
fn impossible_date() {
    let (_, err) = broken(
        "content/articles/bad.md",
        article("T", "\"2025-02-30\"", "", "").as_bytes(),
    );
    assert!(
        err.contains(
            "content/articles/bad.md:3:8: `2025-02-30` is not a date: February has no day 30"
        ),
        "{err}"
    );
}

#[test]
fn two_articles_on_one_url_name_both_files() {
    let (_, err) = broken("content/articles/other/good.md", GOOD.as_bytes());
    assert!(err.contains("both publish to /2025/01/good/"), "{err}");
    assert!(
        err.contains("content/articles/good.md") && err.contains("content/articles/other/good.md"),
        "{err}"
    );
}

#[test]
fn non_utf8_file_is_located() {
    let (_, err) = broken(
        "content/articles/bad.md",
        b"+++\ntitle = \"caf\xe9\"\n+++\n",
    );
    assert!(
        err.contains("content/articles/bad.md:2:13: the file is not valid UTF-8 text"),
        "{err}"
    );
}

#[test]
fn empty_file() {
    let (_, err) = broken("content/articles/bad.md", b"");
    assert!(
        err.contains("content/articles/bad.md:1:1: the file is empty"),
        "{err}"
    );
}

#[test]
fn empty_config() {
    let (_, err) = broken("config.toml", b"");
    assert!(
        err.contains("config.toml:1:1: config.toml is empty"),
        "{err}"
    );
}

#[test]
fn unknown_config_key_names_key_and_line() {
    let (_, err) = broken(
        "config.toml",
        b"title = \"t\"\nbase_url = \"https://e.com/\"\ntitel = \"x\"\n",
    );
    assert!(
        err.contains("config.toml:3:1: unknown key `titel` in config.toml; did you mean `title`?"),
        "{err}"
    );
}

#[test]
fn template_syntax_error_names_template_and_line() {
    let (_, err) = broken("templates/article.html", b"{% extends \"base.html\" %}\n{% block content %}\n{{ article.title \n{% endblock content %}\n");
    assert!(err.contains("templates/article.html:4:"), "{err}");
    assert!(err.contains("template syntax error"), "{err}");
}

#[test]
fn template_with_missing_variable_names_template_and_line() {
    // page.html is only rendered when a page exists; add one to trigger it.
    let site = TestSite::new()
        .file("content/pages/about.md", "+++\ntitle = \"About\"\n+++\nx\n")
        .file("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ page.nope }}</p>\n{% endblock content %}\n");
    let err = site.build_err();
    assert!(err.contains("templates/page.html:3:7:"), "{err}");
    assert!(err.contains("page.nope"), "{err}");
}

#[test]
fn every_bad_file_is_reported_in_one_run() {
    let site = TestSite::new()
        .article("a.md", "no front matter")
        .article("b.md", "+++\ntitle = \"x\"\n")
        .article("c.md", GOOD);
    let err = site.build_err();
    assert!(
        err.contains("content/articles/a.md:1:1:") && err.contains("content/articles/b.md:1:1:"),
        "{err}"
    );
    assert!(
        err.contains("2 problems found; nothing was written"),
        "{err}"
    );
    assert!(!site.exists("index.html"));
}

#[test]
fn company_slug_collision_names_both_files() {
    let site = TestSite::new()
        .article(
            "a.md",
            &article("A", "2025-01-01", "companies = [\"Zhipu!\"]", ""),
        )
        .article(
            "b.md",
            &article("B", "2025-01-02", "companies = [\"zhipu?\"]", ""),
        );
    let err = site.build_err();
    assert!(err.contains("share the URL slug `zhipu`"), "{err}");
    assert!(
        err.contains("content/articles/a.md") && err.contains("content/articles/b.md"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported() {
    let site = TestSite::new().article("good.md", GOOD);
    std::os::unix::fs::symlink(
        site.root().join("content/articles"),
        site.root().join("content/articles/loop"),
    )
    .unwrap();
    let err = site.build_err();
    assert!(err.contains("symbolic link loop"), "{err}");
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported() {
    // A link to a file that is gone: unreadable even for root, unlike a mode-0 file.
    let site = TestSite::new().article("good.md", GOOD);
    std::os::unix::fs::symlink(
        "/nonexistent/post.md",
        site.root().join("content/articles/gone.md"),
    )
    .unwrap();
    let err = site.build_err();
    assert!(
        err.contains("content/articles/gone.md:1:1: cannot read"),
        "{err}"
    );
}
