//! Timelines, company pages, pagination boundaries, related articles and feeds.

use crate::support::{article, TestSite};

fn with_articles(n: usize, extra: &str) -> TestSite {
    let mut site = TestSite::new();
    for i in 0..n {
        let date = format!("2025-01-{:02}", i + 1);
        site = site.article(
            &format!("a{i}.md"),
            &article(&format!("Story {i}"), &date, extra, "Body."),
        );
    }
    site
}

#[test]
fn company_pagination_boundaries() {
    // paginate_by is 2 in the test config.
    for (n, pages) in [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3)] {
        let site = with_articles(n, "companies = [\"Acme\"]");
        site.build_ok();
        assert!(site.exists("companies/acme/index.html"), "n={n}");
        for p in 2..=pages {
            assert!(
                site.exists(&format!("companies/acme/page/{p}/index.html")),
                "n={n} page {p}"
            );
        }
        assert!(
            !site.exists(&format!("companies/acme/page/{}/index.html", pages + 1)),
            "n={n}"
        );
        let first = site.output("companies/acme/index.html");
        assert_eq!(first.matches("class=\"card\"").count(), n.min(2), "n={n}");
        assert_eq!(first.contains("rel=\"next\""), pages > 1, "n={n}");
    }
}

#[test]
fn home_with_no_articles_has_one_page_and_no_pager() {
    let site = with_articles(0, "");
    site.build_ok();
    assert!(!site.output("index.html").contains("class=\"pagination\""));
    assert!(!site.exists("page/2/index.html"));
    assert!(site
        .output("timeline/index.html")
        .contains("<h1>Timeline</h1>"));
}

#[test]
fn event_names_a_company_the_article_does_not() {
    let site = TestSite::new().article(
        "a.md",
        &article(
            "Stargate announced",
            "2025-01-21",
            "companies = [\"OpenAI\"]\n[[events]]\ndate = 2025-01-21\ntitle = \"SoftBank commits funds\"\ncompanies = [\"SoftBank\"]",
            "Body.",
        ),
    );
    site.build_ok();
    let softbank = site.output("companies/softbank/index.html");
    assert!(
        softbank.contains("SoftBank commits funds"),
        "the event is on SoftBank's timeline"
    );
    assert!(softbank.contains("href=\"/2025/01/a/#event-2025-01-21-softbank-commits-funds\""));
    assert!(softbank.contains("0 articles"));
    let openai = site.output("companies/openai/index.html");
    assert!(
        !openai.contains("SoftBank commits funds"),
        "the event names only SoftBank"
    );
}

#[test]
fn timeline_groups_by_month_and_links_events_to_anchors() {
    let site = TestSite::new()
        .article("a.md", &article("Old news", "2023-06-02", "", ""))
        .article(
            "b.md",
            &article(
                "New news",
                "2025-02-03",
                "companies = \"DeepSeek\"\n[[events]]\ndate = 2025-01-20\ntitle = \"R1 ships\"",
                "",
            ),
        );
    site.build_ok();
    let tl = site.output("timeline/index.html");
    let feb = tl.find(">February 2025<").unwrap();
    let jan = tl.find(">January 2025<").unwrap();
    assert!(feb < jan, "newest month first");
    assert!(tl.contains("href=\"/2025/02/b/#event-2025-01-20-r1-ships\""));
    assert!(tl.contains("href=\"/timeline/2023/\"") && tl.contains("href=\"/timeline/2025/\""));
    let y2023 = site.output("timeline/2023/index.html");
    assert!(y2023.contains("Old news") && !y2023.contains("New news"));
    assert!(
        !site.exists("timeline/2024/index.html"),
        "no page for a year without entries"
    );
    // The anchor exists on the article page.
    assert!(site
        .output("2025/02/b/index.html")
        .contains("id=\"event-2025-01-20-r1-ships\""));
}

#[test]
fn timeline_front_page_is_bounded() {
    // 70 articles in 70 different months: the front page stops after 60 entries' worth.
    let mut site = TestSite::new();
    for i in 0..70 {
        let date = format!("{}-{:02}-01", 2015 + i / 12, i % 12 + 1);
        site = site.article(
            &format!("m{i}.md"),
            &article(&format!("Month {i}"), &date, "", ""),
        );
    }
    site.build_ok();
    let tl = site.output("timeline/index.html");
    assert_eq!(tl.matches("class=\"timeline-month\"").count(), 60);
}

#[test]
fn related_articles_prefer_shared_companies() {
    let site = TestSite::new()
        .article(
            "a.md",
            &article(
                "Main",
                "2025-01-10",
                "companies = [\"A\", \"B\"]\ntags = [\"t\"]",
                "",
            ),
        )
        .article(
            "b.md",
            &article(
                "Shares both",
                "2024-01-01",
                "companies = [\"A\", \"B\"]",
                "",
            ),
        )
        .article(
            "c.md",
            &article("Shares tag", "2025-01-09", "tags = [\"t\"]", ""),
        )
        .article(
            "d.md",
            &article("Unrelated", "2025-01-11", "companies = [\"Z\"]", ""),
        );
    site.build_ok();
    let page = site.output("2025/01/a/index.html");
    let related = &page[page
        .find("id=\"related-heading\"")
        .expect("related section")..];
    let both = related.find("Shares both").unwrap();
    let tag = related.find("Shares tag").unwrap();
    assert!(both < tag, "two shared companies outrank one shared tag");
    assert!(!related[..related.find("</aside>").unwrap()].contains("Unrelated"));
}

#[test]
fn prev_and_next_follow_time() {
    let site = with_articles(3, "");
    site.build_ok();
    let middle = site.output("2025/01/a1/index.html");
    assert!(
        middle.contains("rel=\"prev\" href=\"/2025/01/a0/\""),
        "older"
    );
    assert!(
        middle.contains("rel=\"next\" href=\"/2025/01/a2/\""),
        "newer"
    );
}

#[test]
fn company_feed_is_capped_atom() {
    let site = with_articles(5, "companies = [\"Acme\"]").file(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://e.com/sub/\"\nfeed_limit = 3\n",
    );
    site.build_ok();
    let feed = site.output("companies/acme/atom.xml");
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
    ));
    assert_eq!(feed.matches("<entry>").count(), 3);
    assert!(feed.contains("<id>https://e.com/sub/companies/acme/atom.xml</id>"));
    assert!(feed.contains(
        "<link rel=\"alternate\" type=\"text/html\" href=\"https://e.com/sub/2025/01/a4/\"/>"
    ));
    assert!(feed.contains("<content type=\"html\"><![CDATA[<p>Body.</p>"));
    assert_eq!(site.output("atom.xml").matches("<entry>").count(), 3);
}

#[test]
fn companies_index_has_activity_charts_and_a_to_z() {
    let site = TestSite::new()
        .article(
            "a.md",
            &article(
                "A",
                "2025-01-10",
                "companies = [\"Zhipu AI 智谱\", \"anthropic\"]",
                "",
            ),
        )
        .article(
            "b.md",
            &article("B", "2024-05-10", "companies = [\"Anthropic\"]", ""),
        );
    site.build_ok();
    let index = site.output("companies/index.html");
    assert!(index.contains("href=\"/companies/zhipu-ai-zhi-pu/\""));
    assert!(index.contains("id=\"letter-A\"") && index.contains("id=\"letter-Z\""));
    assert!(index.contains("<svg class=\"chart chart-spark\""));
    assert!(
        index.contains("<title id=\"activity-anthropic-title\">anthropic: 2 articles"),
        "{index}"
    );
    let company = site.output("companies/anthropic/index.html");
    assert!(company.contains("<svg class=\"chart chart-full\""));
}
