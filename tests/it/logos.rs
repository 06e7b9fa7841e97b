//! Company logos: `logo` in a profile, beside it or under `static/`, published, measured
//! and shown on the company page, the companies index and the cards that name the company.

use crate::errors::assert_report;
use crate::images::{changes, page, png, session};
use crate::support::{article, TestSite};

const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40"/></svg>"#;

fn profile(logo: &str) -> String {
    format!("+++\nname = \"Acme\"\nfounded = 2020\nlogo = \"{logo}\"\n+++\nAcme makes things.\n")
}

fn acme(logo: &str) -> TestSite {
    TestSite::new()
        .file("content/companies/acme.md", &profile(logo))
        .file(
            "content/articles/a.md",
            &article(
                "Acme ships",
                "2025-02-01",
                "companies = [\"Acme\"]",
                "Text.",
            ),
        )
}

/// The `<img class="logo" ...>` tags in `html`.
fn logos(html: &str) -> Vec<&str> {
    html.match_indices(r#"<img class="logo""#)
        .map(|(at, _)| &html[at..at + html[at..].find('>').unwrap() + 1])
        .collect()
}

#[test]
fn a_logo_beside_the_profile_is_published_and_shown_wherever_the_company_is() {
    // A 200 x 100 PNG: 2:1, so each place's height gives twice its width.
    let site = acme("acme.png").bytes("content/companies/acme.png", &png(200, 100));
    site.build_ok();
    assert_eq!(
        std::fs::read(site.out_path("companies/acme.png")).unwrap(),
        png(200, 100)
    );
    let tag = |h: u32, lazy: &str| {
        format!(
            r#"<img class="logo" src="/companies/acme.png" alt="" height="{h}" width="{}"{lazy} decoding="async">"#,
            h * 2
        )
    };
    let lazy = r#" loading="lazy""#;
    let company = site.output("companies/acme/index.html");
    assert_eq!(logos(&company)[0], tag(48, ""), "{company}");
    assert!(company.contains(&format!("<h1>{}Acme</h1>", tag(48, ""))));
    let index = site.output("companies/index.html");
    assert_eq!(logos(&index), [tag(24, lazy)]);
    // The card on the home page and on the article's own page (its kicker).
    for page in ["index.html", "2025/02/a/index.html"] {
        let html = site.output(page);
        assert_eq!(logos(&html), [tag(16, lazy)], "{page}");
        assert!(
            html.contains(&format!("{}Acme</a>", tag(16, lazy))),
            "{page}"
        );
    }
}

#[test]
fn a_logo_under_static_carries_the_base_path_and_an_svg_without_a_size_gets_a_square() {
    let site = acme("/img/acme.svg")
        .file(
            "config.toml",
            "title = \"T\"\nbase_url = \"https://example.com/sub/\"\n",
        )
        .file(
            "static/img/acme.svg",
            r#"<svg xmlns="http://www.w3.org/2000/svg"><circle r="5"/></svg>"#,
        );
    site.build_ok();
    assert!(site.exists("img/acme.svg"));
    let index = site.output("companies/index.html");
    assert_eq!(
        logos(&index),
        [
            r#"<img class="logo" src="/sub/img/acme.svg" alt="" height="24" width="24" loading="lazy" decoding="async">"#
        ]
    );
}

#[test]
fn a_company_without_a_logo_shows_none() {
    let site = TestSite::new()
        .file(
            "content/companies/acme.md",
            "+++\nname = \"Acme\"\n+++\nAcme.\n",
        )
        .file(
            "content/articles/a.md",
            &article("A", "2025-02-01", "companies = [\"Acme\", \"Other\"]", ""),
        );
    site.build_ok();
    for page in [
        "index.html",
        "companies/index.html",
        "companies/acme/index.html",
    ] {
        assert!(logos(&site.output(page)).is_empty(), "{page}");
    }
}

#[test]
fn a_missing_or_broken_logo_is_an_error_at_its_value() {
    let at = "content/companies/acme.md:4:8";
    assert_report(
        &acme("acme.svg").build_err(),
        &[&format!(
            "{at}: there is no file `content/companies/acme.svg`"
        )],
    );
    assert_report(
        &acme("/img/acme.svg").build_err(),
        &[&format!("{at}: there is no file `static/img/acme.svg`")],
    );
    let text = acme("acme.png").file("content/companies/acme.png", "not a picture");
    assert_report(
        &text.build_err(),
        &[&format!("{at}: cannot read `acme.png` as an image: it is not a JPEG, PNG, GIF or WebP file; digest shows JPEG, PNG, GIF, WebP and SVG files")],
    );
    for bad in ["../acme.svg", "https://example.com/a.svg", "a//b.svg", ""] {
        let err = acme(bad).build_err();
        assert!(
            err.starts_with(&format!("{at}: `logo = \"{bad}\"` is not a path digest publishes: write a file beside the profile")),
            "{bad}: {err}"
        );
    }
    let hidden = acme(".acme.svg").file("content/companies/.acme.svg", SVG);
    assert_report(
        &hidden.build_err(),
        &[&format!("{at}: `content/companies/.acme.svg` is hidden or a backup file, which digest does not publish; rename it")],
    );
}

#[test]
fn serve_shows_a_logo_changed_added_or_fixed() {
    let site = acme("acme.png").bytes("content/companies/acme.png", &png(200, 100));
    let mut s = session(&site);
    let first = s.rebuild(&digest::pipeline::Changes::everything()).unwrap();
    assert!(page(&first, "index.html").contains(r#"height="16" width="32""#));
    // Rewritten in place, at another shape: every page that shows it is made again.
    let site = site.bytes("content/companies/acme.png", &png(100, 100));
    let again = s
        .rebuild(&changes(&site, &["content/companies/acme.png"]))
        .unwrap();
    for path in ["index.html", "2025/02/a/index.html", "companies/index.html"] {
        assert!(again.changed.contains(&path.to_string()), "{path}");
    }
    assert!(page(&again, "index.html").contains(r#"height="16" width="16""#));
    // Moved under static/ before the file is there: an error, then fixed by adding it.
    let site = site.file("content/companies/acme.md", &profile("/acme.svg"));
    assert!(s
        .rebuild(&changes(&site, &["content/companies/acme.md"]))
        .is_err());
    let site = site.file("static/acme.svg", SVG);
    let fixed = s.rebuild(&changes(&site, &["static/acme.svg"])).unwrap();
    assert!(page(&fixed, "companies/acme/index.html")
        .contains(r#"src="/acme.svg" alt="" height="48" width="48""#));
}
