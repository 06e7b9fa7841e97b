//! digest never deletes, moves or hides a file it did not write: an output folder that is
//! someone else's, a file, or the site's own sources is refused with nothing changed; a
//! linked output folder is built into where it points; nothing from outside the site's
//! folder is published through a link in `static/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::{article, TestSite, CONFIG};

fn site() -> TestSite {
    TestSite::new()
        .article(
            "2025/a.md",
            &article("Alpha", "2025-01-27", "companies = [\"Acme\"]", "Body."),
        )
        .file("static/robots-extra.txt", "hi")
        .file("templates/.keep", "")
}

/// Every file below `dir` (links not followed) with its bytes or link target.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            let bytes = if e.path_is_symlink() {
                std::fs::read_link(e.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
                    .into_bytes()
            } else if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                b"<dir>".to_vec()
            };
            (rel, bytes)
        })
        .collect()
}

/// Runs `digest build` with `args`, expects exit 1 and no panic; returns stderr.
fn refused(site: &TestSite, args: &[&str]) -> String {
    let out = site.run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "not refused: {args:?}\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// Refused, twice in a row, with every file below `keep` as it was.
fn refused_twice_keeping(site: &TestSite, args: &[&str], keep: &Path) -> String {
    let before = snapshot(keep);
    let stderr = refused(site, args);
    refused(site, args);
    assert_eq!(snapshot(keep), before, "files changed: {args:?}");
    stderr
}

#[test]
fn a_folder_digest_did_not_write_is_refused_and_kept() {
    let site = site()
        .file("elsewhere/notes.txt", "my notes")
        .file("elsewhere/.git/HEAD", "ref: refs/heads/gh-pages\n");
    let parent = site.root().join("elsewhere");
    let stderr = refused_twice_keeping(&site, &["-o", "elsewhere"], site.root());
    assert!(
        stderr.contains("--output:1:1: the output folder elsewhere holds files digest did not write (.git/, notes.txt)"),
        "{stderr}"
    );
    assert!(stderr.contains("git checkout"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!site.root().join(".elsewhere.previous").exists());
    assert_eq!(
        std::fs::read_to_string(parent.join("notes.txt")).unwrap(),
        "my notes"
    );
}

#[test]
fn the_configured_output_folder_is_refused_at_its_line() {
    let site = site()
        .file(
            "config.toml",
            &format!("{CONFIG}output_dir = \"site-out\"\n"),
        )
        .file("site-out/index.html", "<p>hand-made</p>");
    let stderr = refused_twice_keeping(&site, &[], site.root());
    assert!(
        stderr.contains("config.toml:4:14: the output folder site-out holds files digest did not write (index.html)"),
        "{stderr}"
    );
}

#[test]
fn a_file_put_into_digests_output_is_never_deleted() {
    let site = site();
    site.build_ok();
    site.build_ok();
    std::fs::write(site.out_path("CNAME"), "news.example.com").unwrap();
    std::fs::create_dir_all(site.out_path("mine")).unwrap();
    std::fs::write(site.out_path("mine/draft.txt"), "keep me").unwrap();
    let stderr = refused_twice_keeping(&site, &[], site.root());
    assert!(
        stderr.contains("holds files that digest did not write (CNAME, mine/draft.txt)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("static/"),
        "says where such files belong: {stderr}"
    );
    // Moved to static/, it is published; nothing else of digest's changed meanwhile.
    std::fs::remove_file(site.out_path("CNAME")).unwrap();
    std::fs::remove_dir_all(site.out_path("mine")).unwrap();
    let site = site.file("static/CNAME", "news.example.com");
    site.build_ok();
    assert_eq!(site.output("CNAME"), "news.example.com");
}

#[test]
fn an_empty_folder_may_be_the_output() {
    let site = site();
    std::fs::create_dir(site.root().join("empty")).unwrap();
    assert!(site.run(&["-o", "empty"]).status.success());
    assert!(site.root().join("empty/index.html").exists());
}

#[test]
fn the_sites_own_folders_are_never_the_output() {
    let site = site()
        .article("2025/b.md", &article("Beta", "2025-02-01", "", "B."))
        .file("templates/page.html", "{{ page.title }}");
    let root = site.root().to_path_buf();
    let parent = root.parent().unwrap().to_string_lossy().into_owned();
    let absolute = root.to_string_lossy().into_owned();
    let cases: &[(&[&str], &str)] = &[
        (&["-o", "."], "is the site's own folder"),
        (&["-o", &absolute], "is the site's own folder"),
        (&["-o", &parent], "holds the site's folder"),
        (&["-o", "content"], "is the site's `content`"),
        (
            &["-o", "content/articles"],
            "lies inside the site's `content`",
        ),
        (&["-o", "templates"], "is the site's `templates`"),
        (&["-o", "static"], "is the site's `static`"),
        (&["-o", "static/sub"], "lies inside the site's `static`"),
        (&["-o", "content/../templates"], "is the site's `templates`"),
    ];
    for (args, why) in cases {
        let stderr = refused_twice_keeping(&site, args, &root);
        assert!(stderr.contains(why), "{args:?}: {stderr}");
    }
    let md = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some("md".as_ref()))
        .count();
    assert_eq!(md, 2, "every article is still there");
    let site = site.file("config.toml", &format!("{CONFIG}output_dir = \"static\"\n"));
    let stderr = refused_twice_keeping(&site, &[], &root);
    assert!(
        stderr.contains("config.toml:4:14: the output folder static is the site's `static`"),
        "{stderr}"
    );
}

#[test]
fn a_file_is_never_replaced_by_the_output() {
    let site = site();
    let root = site.root().to_path_buf();
    let site = site.file(
        "config.toml",
        &format!("{CONFIG}output_dir = \"config.toml\"\n"),
    );
    let stderr = refused_twice_keeping(&site, &[], &root);
    assert!(stderr.contains("config.toml:4:14:"), "{stderr}");
    let site = site.file("config.toml", CONFIG).file("report.pdf", "%PDF");
    let stderr = refused_twice_keeping(&site, &["-o", "report.pdf"], &root);
    assert!(stderr.contains("is a file, not a folder"), "{stderr}");
    let stderr = refused_twice_keeping(&site, &["-o", "content/articles/2025/a.md"], &root);
    assert!(stderr.contains("the site's `content`"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(root.join("report.pdf")).unwrap(),
        "%PDF"
    );
}

#[cfg(unix)]
#[test]
fn a_linked_output_folder_is_built_into_where_it_points() {
    let site = site();
    let webroot = tempfile::tempdir().unwrap();
    let target = webroot.path().join("www");
    std::fs::create_dir(&target).unwrap();
    std::os::unix::fs::symlink(&target, site.root().join("public")).unwrap();
    site.build_ok();
    site.build_ok();
    let link = std::fs::symlink_metadata(site.root().join("public")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is kept as a link");
    assert_eq!(
        std::fs::read_link(site.root().join("public")).unwrap(),
        target
    );
    assert!(
        target.join("index.html").exists(),
        "built where the link points"
    );
    assert!(!target.join(".gitignore").exists());
    assert!(
        !site.root().join(".public.previous").exists(),
        "nothing is kept beside the link"
    );
    // A linked folder holding someone else's files is refused like any other.
    let theirs = webroot.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("index.php"), "<?php").unwrap();
    std::os::unix::fs::symlink(&theirs, site.root().join("linked")).unwrap();
    let before = snapshot(webroot.path());
    let stderr = refused(&site, &["-o", "linked"]);
    assert!(stderr.contains("(index.php)"), "{stderr}");
    assert_eq!(snapshot(webroot.path()), before);
}

#[cfg(unix)]
#[test]
fn a_link_in_static_to_outside_the_site_is_an_error() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("passwd"), "root:x:0:0").unwrap();
    std::fs::create_dir(outside.path().join("etc")).unwrap();
    std::fs::write(outside.path().join("etc/shadow"), "secret").unwrap();
    let site = site().file("notes/inside.txt", "fine");
    let link = |target: &Path, name: &str| {
        std::os::unix::fs::symlink(target, site.root().join("static").join(name)).unwrap();
    };
    link(&outside.path().join("passwd"), "passwd.txt");
    link(&outside.path().join("etc"), "etc");
    link(&site.root().join("notes/inside.txt"), "inside.txt");
    let stderr = site.build_err();
    let real = std::fs::canonicalize(outside.path()).unwrap();
    for (name, target) in [
        ("etc", real.join("etc")),
        ("passwd.txt", real.join("passwd")),
    ] {
        let line = format!(
            "static/{name}:1:1: is a link to {}, outside the site's folder",
            target.display()
        );
        assert!(stderr.contains(&line), "{line}\n{stderr}");
    }
    assert!(!stderr.contains("shadow"), "{stderr}");
    assert!(!site.exists("index.html"), "nothing was published");
    // A link inside the site's folder is followed.
    std::fs::remove_file(site.root().join("static/passwd.txt")).unwrap();
    std::fs::remove_file(site.root().join("static/etc")).unwrap();
    site.build_ok();
    assert_eq!(site.output("inside.txt"), "fine");
}
