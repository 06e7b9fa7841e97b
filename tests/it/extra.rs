//! `[extra]` (issue 21): free fields in articles, pages, company profiles and config.toml,
//! given to templates as `article.extra`, `page.extra`, `profile.extra` and `site.extra`.

use crate::support::{article, TestSite, CONFIG};

#[test]
fn extra_fields_reach_every_template() {
    let site = TestSite::new()
        .file(
            "config.toml",
            &format!("{CONFIG}\n[extra]\nmotto = \"All the news\"\nsocial = [\"@ledger\"]\n"),
        )
        .article(
            "2025/a.md",
            &article(
                "A",
                "2025-01-20",
                "companies = [\"Acme\"]\n[extra]\ncolor = \"teal\"\nscore = 4.5\nwhen = 2025-01-21\n[extra.sponsor]\nname = \"Big <Co>\"",
                "Body.",
            ),
        )
        .file(
            "content/pages/about.md",
            "+++\ntitle = \"About\"\n[extra]\nhero = \"wide\"\n+++\nUs.\n",
        )
        .file(
            "content/companies/acme.md",
            "+++\nname = \"Acme\"\n[extra]\nticker = \"ACME\"\n+++\nMakes things.\n",
        )
        .file(
            "templates/article.html",
            "{{ article.extra.color }}|{{ article.extra.score }}|{{ article.extra.when }}|{{ article.extra.sponsor.name }}|{{ site.extra.motto }}|{{ site.extra.social.0 }}",
        )
        .file("templates/page.html", "{{ page.extra.hero }}|{{ page.title }}")
        .file("templates/company.html", "{% if profile %}{{ profile.extra.ticker }}{% endif %}");
    site.build_ok();
    assert_eq!(
        site.output("2025/01/a/index.html"),
        "teal|4.5|2025-01-21|Big &lt;Co&gt;|All the news|@ledger"
    );
    assert_eq!(site.output("about/index.html"), "wide|About");
    assert_eq!(site.output("companies/acme/index.html"), "ACME");
}

#[test]
fn extra_must_be_a_table() {
    let site = TestSite::new().article(
        "2025/a.md",
        &article("A", "2025-01-20", "extra = 3", "Body."),
    );
    let err = site.build_err();
    assert!(
        err.contains("content/articles/2025/a.md:4:9: `extra` must be a table of your own fields, not an integer"),
        "{err}"
    );
}
