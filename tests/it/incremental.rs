//! Incremental rebuilds (what `digest serve` runs on every save): only the pages whose
//! content changed are rendered again, and the result equals a full build's.

use digest::pipeline::{Changes, Session};
use digest::BuildOptions;

use crate::support::{article, TestSite};

fn site() -> TestSite {
    let mut site = TestSite::new();
    for i in 0..12 {
        let date = format!("2025-01-{:02}", i + 1);
        let extra = format!(
            "summary = \"S\"\ncompanies = [\"C{}\"]\ntags = [\"t{}\"]",
            i % 3,
            i % 2
        );
        site = site.article(
            &format!("a{i}.md"),
            &article(&format!("Story {i}"), &date, &extra, "Body."),
        );
    }
    site
}

fn session(site: &TestSite) -> Session {
    Session::new(BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    })
}

fn edit(site: &TestSite, name: &str, text: &str) -> Changes {
    let path = site.root().join("content/articles").join(name);
    std::fs::write(&path, text).unwrap();
    Changes {
        articles: vec![path],
        ..Changes::default()
    }
}

#[test]
fn a_body_edit_renders_only_the_pages_showing_the_body() {
    let site = site();
    let mut s = session(&site);
    let first = s.rebuild(&Changes::everything()).unwrap();
    assert!(first.rendered > 40, "{}", first.rendered);
    let changes = edit(
        &site,
        "a5.md",
        &article(
            "Story 5",
            "2025-01-06",
            "summary = \"S\"\ncompanies = [\"C2\"]\ntags = [\"t1\"]",
            "New body text.",
        ),
    );
    let again = s.rebuild(&changes).unwrap();
    // The article page and the three feeds that carry its body.
    assert_eq!(
        again.rendered, 4,
        "rendered {}: {:?}",
        again.rendered, again.changed
    );
    let page = String::from_utf8(again.files["2025/01/a5/index.html"].to_vec()).unwrap();
    assert!(page.contains("New body text."));
    assert!(again.changed.contains(&"2025/01/a5/index.html".to_string()));
    assert!(!again.changed.contains(&"index.html".to_string()));
}

#[test]
fn a_title_edit_reaches_lists_but_not_unrelated_pages() {
    let site = site();
    let mut s = session(&site);
    s.rebuild(&Changes::everything()).unwrap();
    let changes = edit(
        &site,
        "a11.md",
        &article(
            "Renamed story",
            "2025-01-12",
            "companies = [\"C2\"]\ntags = [\"t1\"]",
            "Body.",
        ),
    );
    let again = s.rebuild(&changes).unwrap();
    let home = String::from_utf8(again.files["index.html"].to_vec()).unwrap();
    assert!(home.contains("Renamed story"));
    assert!(again
        .changed
        .contains(&"companies/c2/index.html".to_string()));
    // Company pages print the card rendered by card.html: made again, not kept stale.
    let company = String::from_utf8(again.files["companies/c2/index.html"].to_vec()).unwrap();
    assert!(company.contains("Renamed story"), "{company}");
    assert!(!again
        .changed
        .contains(&"companies/c0/index.html".to_string()));
    assert!(!again.changed.contains(&"2025/01/a0/index.html".to_string()));
}

#[test]
fn incremental_result_equals_a_full_build() {
    let site = site();
    let mut s = session(&site);
    s.rebuild(&Changes::everything()).unwrap();
    let mut changes = edit(
        &site,
        "a3.md",
        &article("Moved in time", "2024-06-01", "companies = [\"C9\"]", "x"),
    );
    let gone = site.root().join("content/articles/a7.md");
    std::fs::remove_file(&gone).unwrap();
    changes.articles.push(gone);
    let incremental = s.rebuild(&changes).unwrap();
    let full = session(&site).rebuild(&Changes::everything()).unwrap();
    let mut a: Vec<_> = incremental.files.keys().collect();
    let mut b: Vec<_> = full.files.keys().collect();
    a.sort();
    b.sort();
    assert_eq!(a, b, "same set of files");
    for (path, bytes) in full.files.iter() {
        assert_eq!(
            &incremental.files[path], bytes,
            "{path} differs from a full build"
        );
    }
    assert!(
        !incremental.files.contains_key("2025/01/a7/index.html"),
        "a deleted article's page goes"
    );
}

#[test]
fn an_error_keeps_the_last_good_build_and_a_fix_recovers() {
    let site = site();
    let mut s = session(&site);
    s.rebuild(&Changes::everything()).unwrap();
    let broken = edit(&site, "a1.md", "+++\ntitle = \"x\"\n");
    let err = s.rebuild(&broken).err().expect("broken front matter fails");
    assert!(
        err.to_string().contains("a1.md:1:1: unclosed front matter"),
        "{err}"
    );
    let fixed = edit(&site, "a1.md", &article("Fixed", "2025-01-02", "", "ok"));
    let again = s.rebuild(&fixed).unwrap();
    assert!(
        String::from_utf8(again.files["2025/01/a1/index.html"].to_vec())
            .unwrap()
            .contains("Fixed")
    );
}

/// Pages borrow each article's card while they render (src/render/loans.rs); a rebuild in
/// which rendering fails must still give every card back, so that the next rebuild, once
/// the content is fixed, renders exactly what a full build does.
#[test]
fn a_failed_render_keeps_every_card_for_the_next_rebuild() {
    let site = site().file(
        "templates/card.html",
        "<p class=\"c\">{% if article.title == \"Boom\" %}{{ nosuch }}{% endif %}{{ article.title }} {{ article.date.iso }}</p>",
    );
    let mut s = session(&site);
    s.rebuild(&Changes::everything()).unwrap();
    let broken = edit(
        &site,
        "a4.md",
        &article("Boom", "2025-01-05", "companies = [\"C1\"]", "Body."),
    );
    let err = s
        .rebuild(&broken)
        .err()
        .expect("card.html fails on this card");
    assert!(format!("{err:?}").contains("card.html"), "{err:?}");
    let fixed = edit(
        &site,
        "a4.md",
        &article("Defused", "2025-01-05", "companies = [\"C1\"]", "Body."),
    );
    let again = s.rebuild(&fixed).unwrap();
    let full = session(&site).rebuild(&Changes::everything()).unwrap();
    assert_eq!(again.files.len(), full.files.len());
    for (path, bytes) in full.files.iter() {
        assert_eq!(
            &again.files[path], bytes,
            "{path} differs from a full build"
        );
    }
    let lists = |card: &str| {
        again
            .files
            .iter()
            .filter(|(_, b)| String::from_utf8_lossy(b).contains(card))
            .count()
    };
    assert!(lists("<p class=\"c\">Defused 2025-01-05</p>") >= 2);
    assert!(lists("<p class=\"c\">Story 7 2025-01-08</p>") >= 2);
}

#[test]
fn a_change_to_the_sites_extra_re_renders_every_page_that_shows_it() {
    let site = site()
        .file(
            "config.toml",
            &format!(
                "{}\n[extra]\nmotto = \"old motto\"\n",
                crate::support::CONFIG
            ),
        )
        .file(
            "templates/base.html",
            "{{ site.extra.motto }}|{% block content %}{% endblock content %}",
        );
    let mut s = session(&site);
    let first = s.rebuild(&Changes::everything()).unwrap();
    let page = |b: &digest::pipeline::Built| {
        String::from_utf8(b.files["2025/01/a5/index.html"].to_vec()).unwrap()
    };
    assert!(page(&first).starts_with("old motto|"));
    std::fs::write(
        site.root().join("config.toml"),
        format!(
            "{}\n[extra]\nmotto = \"new motto\"\n",
            crate::support::CONFIG
        ),
    )
    .unwrap();
    let again = s.rebuild(&Changes::everything()).unwrap();
    assert!(page(&again).starts_with("new motto|"), "{}", page(&again));
    assert!(again.files["index.html"].starts_with(b"new motto|"));
}
