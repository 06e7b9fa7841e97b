//! The editor's commands: init, new, theme eject, check, completions; each refusal too.

use std::process::{Command, Output};

use crate::support::{self, article, TestSite};

fn digest(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_digest"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn init_new_build_check_from_an_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let init = digest(tmp.path(), &["init", "site"]);
    assert!(init.status.success(), "{}", text(&init));
    let site = tmp.path().join("site");
    for f in [
        "config.toml",
        "content/companies/openai.md",
        ".gitignore",
        ".github/workflows/pages.yml",
        "static",
    ] {
        assert!(site.join(f).exists(), "{f}");
    }
    assert!(
        !site.join("templates").exists(),
        "the built-in theme serves"
    );
    let new = digest(
        &site,
        &[
            "new",
            "Mistral ships a model",
            "--company",
            "Mistral AI",
            "--company",
            "open ai",
            "--date",
            "2025-02-03",
            "--author",
            "Maya Chen",
            "--author",
            "Tomás Ruiz",
        ],
    );
    assert!(new.status.success(), "{}", text(&new));
    assert_eq!(
        String::from_utf8_lossy(&new.stdout).trim(),
        "content/articles/2025/mistral-ships-a-model.md"
    );
    let written =
        std::fs::read_to_string(site.join("content/articles/2025/mistral-ships-a-model.md"))
            .unwrap();
    assert!(
        written.contains("companies = [\"Mistral AI\", \"OpenAI\"]"),
        "alias matched to the profile: {written}"
    );
    assert!(written.contains("date = 2025-02-03"));
    assert!(
        written.contains("authors = [\"Maya Chen\", \"Tomás Ruiz\"]"),
        "{written}"
    );
    let build = digest(&site, &["build"]);
    assert!(build.status.success(), "{}", text(&build));
    assert!(
        std::fs::read_to_string(site.join("public/2025/02/mistral-ships-a-model/index.html"))
            .unwrap()
            .contains(">Maya Chen</a> and <a"),
        "the byline"
    );
    assert!(site
        .join("public/2025/02/mistral-ships-a-model/index.html")
        .exists());
    let check = digest(&site, &["check"]);
    assert!(check.status.success(), "{}", text(&check));
    assert!(text(&check).contains("0 errors"), "{}", text(&check));
    let strict = digest(&site, &["check", "--strict"]);
    assert_eq!(
        strict.status.code(),
        Some(1),
        "the new article has no summary: a warning, an error with --strict"
    );
}

#[test]
fn init_refuses_a_non_empty_folder_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let refused = digest(tmp.path(), &["init"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused).contains("is not empty"),
        "{}",
        text(&refused)
    );
    assert!(!tmp.path().join("config.toml").exists());
    std::fs::write(
        tmp.path().join("config.toml"),
        "title = \"Mine\"\nbase_url = \"https://e.com/\"\n",
    )
    .unwrap();
    assert!(digest(tmp.path(), &["init", "--force"]).status.success());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(
        std::fs::read_to_string(tmp.path().join("config.toml"))
            .unwrap()
            .contains("Mine"),
        "kept"
    );
}

#[test]
fn new_never_overwrites_and_checks_its_date() {
    let site = TestSite::new();
    assert!(
        digest(site.root(), &["new", "Same title", "--date", "2025-01-01"])
            .status
            .success()
    );
    let again = digest(site.root(), &["new", "Same title", "--date", "2025-01-01"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again).contains("exists already"), "{}", text(&again));
    let bad = digest(site.root(), &["new", "X", "--date", "2025-02-30"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad).contains("February has no day 30"),
        "{}",
        text(&bad)
    );
}

#[test]
fn new_makes_a_folder_article_that_builds_with_its_image() {
    let site = TestSite::new();
    let made = digest(
        site.root(),
        &["new", "Folder story", "--date", "2025-04-02", "--folder"],
    );
    assert!(made.status.success(), "{}", text(&made));
    assert_eq!(
        text(&made).trim(),
        "content/articles/2025/folder-story/index.md"
    );
    // The commented [image] table, uncommented, is a working lead image.
    let path = site
        .root()
        .join("content/articles/2025/folder-story/index.md");
    let written = std::fs::read_to_string(&path).unwrap();
    let lead = written
        .replace("# [image]", "[image]")
        .replace("# src = \"lead.jpg\"", "src = \"lead.jpg\"")
        .replace("# alt = ", "alt = ");
    assert_ne!(lead, written);
    let site = site
        .file("content/articles/2025/folder-story/index.md", &lead)
        .bytes(
            "content/articles/2025/folder-story/lead.jpg",
            &crate::images::jpeg(64, 32),
        );
    site.build_ok();
    let page = site.output("2025/04/folder-story/index.html");
    assert!(page.contains(r#"width="64" height="32""#), "{page}");
    // The single-file form of the same slug is refused: it would take the same URL.
    let again = digest(
        site.root(),
        &["new", "Folder story", "--date", "2025-04-02"],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again).contains("folder-story/index.md exists already"),
        "{}",
        text(&again)
    );
}

#[test]
fn new_on_a_site_without_tags_leaves_them_out_and_refuses_tag() {
    let site = TestSite::new().file(
        "config.toml",
        &format!("{}[[taxonomies]]\nname = \"models\"\n", support::CONFIG),
    );
    let refused = digest(site.root(), &["new", "No tags here", "--tag", "chips"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused).contains("this site has no `tags` taxonomy"),
        "{}",
        text(&refused)
    );
    let made = digest(
        site.root(),
        &["new", "No tags here", "--date", "2025-03-01"],
    );
    assert!(made.status.success(), "{}", text(&made));
    let written =
        std::fs::read_to_string(site.root().join("content/articles/2025/no-tags-here.md")).unwrap();
    assert!(!written.contains("tags ="), "{written}");
    assert!(written.contains("companies = []"), "{written}");
    // What `new` wrote builds on that site.
    site.build_ok();
}

#[test]
fn build_takes_the_short_options_zola_users_type() {
    let site = TestSite::new().article("a.md", &article("Short flags", "2025-01-02", "", "Body."));
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let root = site.root().to_str().unwrap();
    let built = digest(
        out.path(),
        &[
            "build",
            "-r",
            root,
            "-o",
            target.to_str().unwrap(),
            "-u",
            "https://example.org/sub/",
        ],
    );
    assert!(built.status.success(), "{}", text(&built));
    let home = std::fs::read_to_string(target.join("index.html")).unwrap();
    assert!(home.contains("href=\"/sub/2025/01/a/\""), "{home}");
    assert!(!site.root().join("public").exists(), "-o was ignored");
}

#[test]
fn build_into_a_closed_pipe_ends_quietly() {
    let site = TestSite::new().article("a.md", &article("Piped", "2025-01-02", "", "Body."));
    let mut child = Command::new(env!("CARGO_BIN_EXE_digest"))
        .arg("build")
        .current_dir(site.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Like `digest build | head -0`: nobody reads what the build prints at its end.
    drop(child.stdout.take());
    let done = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The site was built before the summary line hit the closed pipe.
    assert!(site.root().join("public/index.html").exists());
}

#[test]
fn theme_eject_copies_and_keeps_edited_files() {
    let site = TestSite::new().file("templates/article.html", "{# mine #}");
    let out = digest(site.root(), &["theme", "eject"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("kept templates/article.html"),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("templates/article.html")).unwrap(),
        "{# mine #}"
    );
    assert!(
        std::fs::read_to_string(site.root().join("templates/base.html"))
            .unwrap()
            .contains("<!DOCTYPE html>")
    );
    let unknown = digest(site.root(), &["theme", "eject", "nope.html"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(text(&unknown).contains("no built-in template is called nope.html"));
}

#[test]
fn check_reports_broken_links_and_near_duplicate_names() {
    let site = TestSite::new()
        .article(
            "a.md",
            &article(
                "A",
                "2025-01-01",
                "summary = \"s\"\ncompanies = [\"OpenAI\"]",
                "See [gone](/no-such-page/) and [anchor](/2025/01/b/#nope).",
            ),
        )
        .article(
            "b.md",
            &article(
                "B",
                "2025-01-02",
                "summary = \"s\"\ncompanies = [\"OpenAl\"]",
                "Body.",
            ),
        );
    let out = digest(site.root(), &["check"]);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("broken link /no-such-page/"), "{report}");
    assert!(
        report.contains("broken anchor /2025/01/b/#nope"),
        "{report}"
    );
    assert!(
        report.contains("looks like \"OpenAI\": did you mean \"OpenAI\"?")
            || report.contains("looks like \"OpenAl\""),
        "{report}"
    );
    assert!(!site.root().join("public").exists(), "check writes nothing");
}

#[test]
fn check_leaves_versions_and_short_words_alone() {
    let site = TestSite::new()
        .article(
            "a.md",
            &article(
                "A",
                "2025-01-01",
                "summary = \"s\"\nmodels = [\"o1-mini\", \"DeepSeek-V3\"]\ntags = [\"china\"]",
                "Body.",
            ),
        )
        .article(
            "b.md",
            &article(
                "B",
                "2025-01-02",
                "summary = \"s\"\nmodels = [\"o3-mini\", \"DeepSeek-R1\", \"Claude Sonet\"]\ntags = [\"chips\"]",
                "Body.",
            ),
        )
        .article(
            "c.md",
            &article(
                "C",
                "2025-01-03",
                "summary = \"s\"\nmodels = [\"Claude Sonnet\"]",
                "Body.",
            ),
        );
    let out = digest(site.root(), &["check"]);
    let report = text(&out);
    assert!(out.status.success(), "{report}");
    assert_eq!(report.matches("looks like").count(), 1, "{report}");
    assert!(
        (report.contains("model \"Claude Sonnet\" looks like \"Claude Sonet\"")
            || report.contains("model \"Claude Sonet\" looks like \"Claude Sonnet\""))
            && report.contains("If both are right, ignore this warning"),
        "{report}"
    );
}

#[test]
fn completions_are_generated() {
    let tmp = tempfile::tempdir().unwrap();
    let out = digest(tmp.path(), &["completions", "bash"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("_digest()"));
}

#[test]
fn check_warns_of_markdown_images_without_alt_text_at_their_position() {
    let site = TestSite::new()
        .article(
            "2025/a.md",
            &article(
                "A",
                "2025-01-01",
                "summary = \"s\"",
                "Intro.\n\nSee ![](/img/chart.svg) and ![A chart](/img/chart.svg).\n\n![ ](/img/map.svg)",
            ),
        )
        .file(
            "content/pages/about.md",
            "+++\ntitle = \"About\"\n+++\n![The team](/img/map.svg)\n",
        )
        .file("static/img/chart.svg", "<svg/>")
        .file("static/img/map.svg", "<svg/>");
    let out = digest(site.root(), &["check"]);
    let report = text(&out);
    assert!(out.status.success(), "warnings only: {report}");
    let warning = |at: &str, url: &str| {
        format!("content/articles/2025/a.md:{at}: the image `{url}` has no alt text: say what it shows between the brackets")
    };
    assert!(
        report.contains(&warning("8:5", "/img/chart.svg")),
        "{report}"
    );
    assert!(
        report.contains(&warning("10:1", "/img/map.svg")),
        "{report}"
    );
    assert_eq!(report.matches("has no alt text").count(), 2, "{report}");
    let strict = digest(site.root(), &["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "--strict fails on warnings");
}
