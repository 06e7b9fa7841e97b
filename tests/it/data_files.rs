//! Data files (issue 21): `data/*.toml|json|csv` loaded once per build, given to every page
//! template as `data.<name>` and through `load_data(path=...)`; a file that does not parse
//! is an error at its line and column.

use digest::pipeline::{Changes, Session};
use digest::BuildOptions;

use crate::support::{article, TestSite};

const TEMPLATE: &str = "{{ data.site.motto }}|{{ data.markets.nasdaq.fell }}|{% set p = load_data(path=\"data/prices.csv\") %}{{ p.headers | join(sep=\",\") }}:{% for r in p.records %}{{ r | join(sep=\"/\") }};{% endfor %}";

fn site() -> TestSite {
    TestSite::new()
        .article("2025/a.md", &article("A", "2025-01-20", "", "Body."))
        .file("data/site.toml", "motto = \"All the news\"\n")
        .file("data/markets/nasdaq.json", "{\"fell\": 3.1}")
        .file("data/prices.csv", "model,price\n\"R1, full\",0.55\no1,15\n")
        .file("data/notes.txt", "not data")
        .file("templates/index.html", TEMPLATE)
}

#[test]
fn data_files_reach_every_page_by_name_and_by_load_data() {
    let site = site();
    site.build_ok();
    assert_eq!(
        site.output("index.html"),
        "All the news|3.1|model,price:R1, full/0.55;o1/15;"
    );
}

#[test]
fn a_data_file_that_does_not_parse_is_an_error_at_its_place() {
    for (file, text, expected) in [
        ("data/site.toml", "motto = \"x\"\nbad = \n", "data/site.toml:2:7: is not valid TOML"),
        ("data/markets/nasdaq.json", "{\n\"fell\": ,\n}", "data/markets/nasdaq.json:2:9: is not valid JSON"),
        ("data/prices.csv", "model,price\no1\n", "data/prices.csv:2:1: is not valid CSV: this row has 1 fields where the header row has 2"),
        ("data/prices.json", "{}", "another file or folder of data/ is also named `prices`"),
    ] {
        let site = site().file(file, text);
        let err = site.build_err();
        assert!(err.contains(expected), "{file}: {expected} in {err}");
    }
    let missing = site().file(
        "templates/index.html",
        "{{ load_data(path=\"data/nope.csv\") }}",
    );
    let err = missing.build_err();
    assert!(
        err.contains("templates/index.html:1:1: load_data() found no data file \"data/nope.csv\""),
        "{err}"
    );
}

#[test]
fn a_changed_data_file_re_renders_the_pages() {
    let site = site();
    let mut s = Session::new(BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    });
    let first = s.rebuild(&Changes::everything()).unwrap();
    assert!(first.files["index.html"].starts_with(b"All the news|"));
    std::fs::write(site.root().join("data/site.toml"), "motto = \"Fresh\"\n").unwrap();
    let kind = digest::serve::watch::classify_path(
        site.root(),
        &site.root().join("data/site.toml"),
        std::path::Path::new("public"),
    );
    assert_eq!(
        kind,
        digest::serve::watch::ChangeKind::Config,
        "a data file changes everything"
    );
    let again = s.rebuild(&Changes::everything()).unwrap();
    assert!(
        again.files["index.html"].starts_with(b"Fresh|"),
        "{:?}",
        again.files["index.html"]
    );
}
