//! Bad input: every problem is reported as `path:line:col: message`, the exit code is 1,
//! and the previous output stays exactly as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::support::{article, TestSite};

const GOOD: &str = "+++\ntitle = \"Good\"\ndate = 2025-01-01\n+++\nFine.\n";

/// Every file below `dir`: path, bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            let bytes = std::fs::read(e.path()).unwrap();
            (e.path().to_path_buf(), (bytes, meta.modified().unwrap()))
        })
        .collect()
}

/// Builds a good site, breaks it with `path`/`text`, and checks that the build fails with
/// exit code 1 while the old output survives, every file of it byte for byte, unmodified.
fn broken(path: &str, text: &[u8]) -> (TestSite, String) {
    let site = TestSite::new().article("good.md", GOOD);
    let site = fails_keeping_output(site, |site| site.bytes(path, text));
    let stderr = site.1;
    (site.0, stderr)
}

/// Builds `site`, applies `breakage`, builds again expecting failure, and checks the first
/// build's output is untouched and no staging folder is left. Returns the site and stderr.
fn fails_keeping_output(
    site: TestSite,
    breakage: impl FnOnce(TestSite) -> TestSite,
) -> (TestSite, String) {
    site.build_ok();
    let out = site.root().join("public");
    let before = snapshot(&out);
    assert!(before.len() > 10, "the good build wrote a site");
    let site = breakage(site);
    let stderr = site.build_err();
    assert!(snapshot(&out) == before, "old output untouched:\n{stderr}");
    let debris: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .collect();
    assert!(debris.is_empty(), "no staging folder left behind");
    (site, stderr)
}

/// `stderr` is exactly `lines` (each `path:line:col: message`) and the summary line.
#[track_caller]
pub fn assert_report(stderr: &str, lines: &[&str]) {
    let n = lines.len();
    let expected = format!(
        "{}\n{n} problem{} found; nothing was written\n",
        lines.join("\n"),
        if n == 1 { "" } else { "s" }
    );
    assert_eq!(stderr, expected);
}

#[test]
fn missing_front_matter() {
    let (_, err) = broken("content/articles/bad.md", b"Just text\n");
    assert_report(&err, &["content/articles/bad.md:1:1: missing front matter: the file must start with a `+++` line, then TOML keys such as `title` and `date`, then a closing `+++` line"]);
}

#[test]
fn unclosed_front_matter() {
    let (_, err) = broken("content/articles/bad.md", b"+++\ntitle = \"x\"\n");
    assert_report(&err, &["content/articles/bad.md:1:1: unclosed front matter: the opening `+++` on line 1 has no closing `+++` line; add one after the last TOML key"]);
}

#[test]
fn invalid_toml_is_located_in_the_file() {
    let (_, err) = broken(
        "content/articles/bad.md",
        b"+++\ntitle = \"x\"\ndate = 2025-01-01\ntags = [\"a\",\n+++\n",
    );
    assert_report(&err, &["content/articles/bad.md:4:13: invalid front matter: unclosed array, expected `]`; check the TOML syntax: `key = value`, text in double quotes, lists in square brackets"]);
}

#[test]
fn unquoted_text_is_invalid_toml() {
    let (_, err) = broken(
        "content/articles/bad.md",
        b"+++\ntitle = DeepSeek-R1\ndate = 2025-01-01\n+++\n",
    );
    assert_report(&err, &["content/articles/bad.md:2:9: invalid front matter: string values must be quoted, expected literal string; check the TOML syntax: `key = value`, text in double quotes, lists in square brackets"]);
}

#[test]
fn duplicate_key_is_named() {
    let (_, err) = broken(
        "content/articles/bad.md",
        b"+++\ntitle = \"x\"\ndate = 2025-01-01\ntitle = \"y\"\n+++\n",
    );
    assert_report(&err, &["content/articles/bad.md:4:1: invalid front matter: duplicate key `title`; keep only one of them"]);
}

#[test]
fn wrong_type_names_what_was_expected() {
    let (_, err) = broken(
        "content/articles/bad.md",
        article("T", "2025-01-01", "tags = 5", "").as_bytes(),
    );
    assert_report(&err, &["content/articles/bad.md:4:8: invalid front matter: `tags` must be a list of names such as [\"first\", \"second\"], or one name, not integer `5`; write the names in double quotes"]);
}

#[test]
fn wrong_type_of_a_flag_and_of_sources() {
    let (_, err) = broken(
        "content/articles/bad.md",
        article("T", "2025-01-01", "draft = \"yes\"", "").as_bytes(),
    );
    assert_report(&err, &["content/articles/bad.md:4:9: invalid front matter: `draft` must be a boolean, not string \"yes\"; write `true` or `false`, without quotes"]);
    let (_, err) = broken(
        "content/articles/bad.md",
        article(
            "T",
            "2025-01-01",
            "[sources]\ntitle = \"S\"\nurl = \"https://s\"",
            "",
        )
        .as_bytes(),
    );
    assert_report(&err, &["content/articles/bad.md:4:1: invalid front matter: `sources` must be a list of tables, not a single `[sources]` table; write each one as a table headed `[[...]]` (double brackets), e.g. `[[sources]]` with `title` and `url` below it"]);
}

#[test]
fn missing_key_of_a_source_names_the_table() {
    let (_, err) = broken(
        "content/articles/bad.md",
        article("T", "2025-01-01", "[[sources]]\ntitle = \"S\"", "").as_bytes(),
    );
    assert_report(&err, &["content/articles/bad.md:4:1: invalid front matter: missing `url` in this `[[sources]]` entry; add `url = ...`"]);
}

#[test]
fn a_number_as_date_is_explained() {
    let (_, err) = broken(
        "content/articles/bad.md",
        article("T", "5", "", "").as_bytes(),
    );
    assert_report(&err, &["content/articles/bad.md:3:8: `5` is an integer, not a date; write the date as YYYY-MM-DD, e.g. 2025-01-27"]);
}

#[test]
fn one_company_as_a_string_is_a_list_of_one() {
    let site = TestSite::new().article(
        "one.md",
        &article(
            "One",
            "2025-01-01",
            "companies = \"OpenAI\"\ntags = \"reasoning\"",
            "Body.",
        ),
    );
    site.build_ok();
    assert!(site.exists("companies/openai/index.html"));
    assert!(site.exists("tags/reasoning/index.html"));
    assert!(site
        .output("2025/01/one/index.html")
        .contains("href=\"/companies/openai/\""));
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
    assert_report(
        &err,
        &[
            "content/articles/bad.md:1:1: missing `title` in the front matter: add `title = \"DeepSeek-R1 rattles the AI industry\"`",
            "content/articles/bad.md:1:1: missing `date` in the front matter: add `date = 2025-01-27`",
        ],
    );
}

#[test]
fn impossible_date() {
    let (_, err) = broken(
        "content/articles/bad.md",
        article("T", "\"2025-02-30\"", "", "").as_bytes(),
    );
    assert_report(
        &err,
        &["content/articles/bad.md:3:8: `2025-02-30` is not a date: February has no day 30"],
    );
}

#[test]
fn impossible_date_without_quotes() {
    // TOML itself rejects the literal; the message still names the month's problem.
    let (_, err) = broken(
        "content/articles/bad.md",
        article("T", "2025-02-30", "", "").as_bytes(),
    );
    assert_report(
        &err,
        &["content/articles/bad.md:3:8: `2025-02-30` is not a date: February has no day 30"],
    );
    let (_, err) = broken(
        "content/articles/bad.md",
        article("T", "2025-13-01T10:00:00Z", "", "").as_bytes(),
    );
    assert_report(
        &err,
        &["content/articles/bad.md:3:8: `2025-13-01` is not a date: there is no month 13"],
    );
}

#[test]
fn two_articles_on_one_url_name_both_files() {
    let (_, err) = broken("content/articles/other/good.md", GOOD.as_bytes());
    assert_report(&err, &["content/articles/other/good.md:1:1: this file and content/articles/good.md both publish to /2025/01/good/; give one of them another `slug` (or date)"]);
}

#[test]
fn non_utf8_file_is_located() {
    let (_, err) = broken(
        "content/articles/bad.md",
        b"+++\ntitle = \"caf\xe9\"\n+++\n",
    );
    assert_report(&err, &["content/articles/bad.md:2:13: the file is not valid UTF-8 text; save it as UTF-8 in your editor"]);
}

#[test]
fn empty_file() {
    for text in [&b""[..], b"\n  \n"] {
        let (_, err) = broken("content/articles/bad.md", text);
        assert_report(&err, &["content/articles/bad.md:1:1: the file is empty: an article starts with `+++`, a front matter with at least `title` and `date`, and a closing `+++`"]);
    }
}

#[test]
fn empty_config() {
    let (_, err) = broken("config.toml", b"");
    assert_report(&err, &["config.toml:1:1: config.toml is empty: add at least `title = \"...\"` and `base_url = \"https://...\"`"]);
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
    assert_report(&err, &["templates/article.html:4:1: template syntax error: expected `or`, `and`, `not`, `<=`, `>=`, `<`, `>`, `==`, `!=`, `+`, `-`, `*`, `/`, `%`, a filter, or a variable end (`}}`)"]);
}

#[test]
fn template_with_missing_variable_names_template_and_line() {
    let (_, err) = broken(
        "templates/article.html",
        b"{% extends \"base.html\" %}\n{% block content %}\n<p>{{ article.nope }}</p>\n{% endblock content %}\n",
    );
    assert_report(&err, &["templates/article.html:3:7: `article.nope` is not defined here; check its spelling against the variables this template receives (README, Templates), or write `article.nope | default(value=\"\")`"]);
}

#[test]
fn card_template_error_is_located_and_reported_once() {
    let (_, err) = broken("templates/card.html", b"<p>\n{{ article.titel }}</p>\n");
    assert_report(&err, &["templates/card.html:2:4: `article.titel` is not defined here; check its spelling against the variables this template receives (README, Templates), or write `article.titel | default(value=\"\")`"]);
}

#[test]
fn timeline_month_template_error_is_located_and_reported_once() {
    let (_, err) = broken(
        "templates/timeline-month.html",
        b"<p>\n{{ month.lable }}</p>\n",
    );
    assert_report(&err, &["templates/timeline-month.html:2:4: `month.lable` is not defined here; check its spelling against the variables this template receives (README, Templates), or write `month.lable | default(value=\"\")`"]);
}

#[test]
fn template_extending_a_missing_one_is_located() {
    let (_, err) = broken(
        "templates/article.html",
        b"{# my theme #}\n{% extends \"layout.html\" %}\n",
    );
    assert_report(&err, &["templates/article.html:2:13: this template extends `layout.html`, which is neither in templates/ nor in the built-in theme; create templates/layout.html or name an existing template"]);
}

#[test]
fn template_with_unknown_filter_is_located() {
    let (_, err) = broken(
        "templates/article.html",
        b"{% extends \"base.html\" %}\n{% block content %}\n<p>{{ article.title | shout }}</p>\n{% endblock content %}\n",
    );
    assert_report(&err, &["templates/article.html:3:23: there is no filter `shout`; check its spelling against Tera's built-in filters (https://keats.github.io/tera/docs/#built-in-filters)"]);
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
    let (_, err) = fails_keeping_output(site, |site| {
        std::os::unix::fs::symlink(
            site.root().join("content/articles"),
            site.root().join("content/articles/loop"),
        )
        .unwrap();
        site
    });
    assert_report(&err, &["content/articles/loop:1:1: symbolic link loop: this link points back to a folder that contains it; remove or fix the link"]);
}

#[cfg(unix)]
#[test]
fn symlinks_pointing_at_each_other_are_a_loop() {
    let site = TestSite::new().article("good.md", GOOD);
    let (_, err) = fails_keeping_output(site, |site| {
        let dir = site.root().join("content/articles");
        std::os::unix::fs::symlink("b.md", dir.join("a.md")).unwrap();
        std::os::unix::fs::symlink("a.md", dir.join("b.md")).unwrap();
        site
    });
    assert_report(
        &err,
        &[
            "content/articles/a.md:1:1: symbolic link loop: this link leads back to itself through other links; remove or fix the link",
            "content/articles/b.md:1:1: symbolic link loop: this link leads back to itself through other links; remove or fix the link",
        ],
    );
}

#[cfg(unix)]
#[test]
fn dangling_link_is_reported() {
    // A link to a file that is gone: unreadable even for root, unlike a mode-0 file.
    let site = TestSite::new().article("good.md", GOOD);
    let (_, err) = fails_keeping_output(site, |site| {
        std::os::unix::fs::symlink(
            "/nonexistent/post.md",
            site.root().join("content/articles/gone.md"),
        )
        .unwrap();
        site
    });
    assert_report(&err, &["content/articles/gone.md:1:1: cannot read: this symbolic link's target `/nonexistent/post.md` does not exist; fix or remove the link"]);
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    const EXPECTED: &str = "content/articles/locked.md:1:1: cannot read the file: Permission denied (os error 13); make it readable (e.g. `chmod u+r`) or move it out of content/";
    let site = TestSite::new().article("good.md", GOOD);
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        let (_, err) = fails_keeping_output(site, |site| {
            let site = site.article("locked.md", GOOD);
            let locked = site.root().join("content/articles/locked.md");
            std::fs::set_permissions(locked, std::fs::Permissions::from_mode(0o000)).unwrap();
            site
        });
        assert_report(&err, &[EXPECTED]);
        return;
    }
    // root reads a mode-000 file anyway (CAP_DAC_OVERRIDE), so the assertion above cannot
    // hold; run the failing build as the unprivileged user `nobody` instead, if allowed.
    site.build_ok();
    let before = snapshot(&site.root().join("public"));
    let site = site.article("locked.md", GOOD);
    let locked = site.root().join("content/articles/locked.md");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(site.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_digest"))
        .arg("build")
        .current_dir(site.root())
        .uid(65534)
        .gid(65534)
        .output();
    match run {
        Ok(out) if !String::from_utf8_lossy(&out.stderr).contains("config.toml") => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{stderr}");
            assert_report(&stderr, &[EXPECTED]);
            assert!(
                snapshot(&site.root().join("public")) == before,
                "old output untouched"
            );
        }
        // Not allowed to switch user (no CAP_SETUID), or `nobody` cannot reach the temp
        // folder: check the same report with a file that root cannot read either.
        _ => unreadable_even_for_root_is_reported(),
    }
}

/// A file that cannot be read, whoever reads it (root too): a link to `/proc/self/mem`,
/// which reading from its start fails with EIO. Is reported by name with the reason, and
/// the old output stays.
#[cfg(target_os = "linux")]
#[test]
fn unreadable_even_for_root_is_reported() {
    let site = TestSite::new().article("good.md", GOOD);
    let (_, err) = fails_keeping_output(site, |site| {
        std::os::unix::fs::symlink(
            "/proc/self/mem",
            site.root().join("content/articles/memory.md"),
        )
        .unwrap();
        site
    });
    assert_report(
        &err,
        &["content/articles/memory.md:1:1: cannot read the file: Input/output error (os error 5)"],
    );
}

/// Only Linux has a file that root cannot read (`/proc/self/mem`): elsewhere, a root that
/// cannot switch user cannot test an unreadable file, and says so by failing.
#[cfg(all(unix, not(target_os = "linux")))]
fn unreadable_even_for_root_is_reported() {
    panic!(
        "running as root, which reads a mode-000 file, and cannot run the build as uid \
         65534: run the tests as another user"
    );
}
