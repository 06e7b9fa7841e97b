//! Share cards: the 1200 x 630 PNG digest draws for an article without a lead image, given
//! as its `og:image`, cached, redrawn when its text changes (in `digest serve`'s quick path
//! too), and turned off by `[images] share_cards = false`.

use digest::pipeline::Changes;

use crate::images::{changes, decoded_size, page, png, session};
use crate::support::{article, TestSite, CONFIG};

/// The `content` of the `<meta property="og:image">` in `html`, if any.
fn og_image(html: &str) -> Option<&str> {
    let at = html.find(r#"<meta property="og:image" content=""#)? + 35;
    Some(&html[at..at + html[at..].find('"')?])
}

fn site_with(title: &str) -> TestSite {
    TestSite::new()
        .file(
            "content/articles/a.md",
            &article(title, "2025-01-27", "companies = [\"DeepSeek\"]", "Text."),
        )
        .file(
            "content/articles/2025/p/index.md",
            &article(
                "With a photo",
                "2025-01-28",
                "[image]\nsrc = \"lead.png\"\nalt = \"A photo\"",
                "Text.",
            ),
        )
        .bytes("content/articles/2025/p/lead.png", &png(300, 200))
}

#[test]
fn an_article_without_a_lead_image_gets_a_card_as_its_og_image() {
    let site = site_with("DeepSeek's R1 rattles the chip makers");
    let out = site.build_ok();
    assert!(
        out.contains("(1 image resized, 1 share card drawn)"),
        "{out}"
    );
    let html = site.output("2025/01/a/index.html");
    let card = og_image(&html).expect("an og:image").to_string();
    let path = card
        .strip_prefix("https://example.com/")
        .expect("absolute, on the site");
    assert!(
        path.starts_with("_img/card-") && path.ends_with(".png"),
        "{card}"
    );
    assert_eq!(decoded_size(&site.out_path(path)), (1200, 630));
    // Published as a hard link to the cached file, not a copy.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let cached = site
            .root()
            .join(".digest-cache/images")
            .join(path.strip_prefix("_img/").unwrap());
        let (a, b) = (
            std::fs::metadata(cached).unwrap(),
            std::fs::metadata(site.out_path(path)).unwrap(),
        );
        assert_eq!((a.dev(), a.ino()), (b.dev(), b.ino()));
    }
    assert!(html.contains(r#"<meta property="og:image:width" content="1200">"#));
    assert!(html.contains(r#"<meta property="og:image:height" content="630">"#));
    assert!(html.contains(r#"<meta name="twitter:card" content="summary_large_image">"#));
    assert!(
        html.contains(&format!(r#""image":"{card}""#)),
        "the JSON-LD image"
    );
    // The article with a photo shares the photo, and gets no card.
    let photo = site.output("2025/01/p/index.html");
    assert!(og_image(&photo).is_some_and(|u| !u.contains("card-")));
    let cards = std::fs::read_dir(site.out_path("_img"))
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with("card-")
        })
        .count();
    assert_eq!(cards, 1);
}

#[test]
fn a_card_is_drawn_once_and_again_when_its_headline_changes() {
    let site = site_with("First headline");
    site.build_ok();
    let first = og_image(&site.output("2025/01/a/index.html"))
        .unwrap()
        .to_string();
    let again = site.build_ok();
    assert!(!again.contains("share card"), "from the cache: {again}");
    let site = site.file(
        "content/articles/a.md",
        &article(
            "Second headline",
            "2025-01-27",
            "companies = [\"DeepSeek\"]",
            "Text.",
        ),
    );
    assert!(site.build_ok().contains("1 share card drawn"));
    let second = og_image(&site.output("2025/01/a/index.html"))
        .unwrap()
        .to_string();
    assert_ne!(first, second);
    let old = first.strip_prefix("https://example.com/").unwrap();
    assert!(!site.exists(old), "the old card is not published");
    assert!(site.exists(second.strip_prefix("https://example.com/").unwrap()));
}

#[test]
fn cards_can_be_turned_off_and_carry_the_base_path() {
    let off = site_with("A").file(
        "config.toml",
        &format!("{CONFIG}\n[images]\nshare_cards = false\n"),
    );
    off.build_ok();
    let html = off.output("2025/01/a/index.html");
    assert_eq!(og_image(&html), None);
    assert!(html.contains(r#"<meta name="twitter:card" content="summary">"#));
    assert!(!html.contains(r#""image":"#));
    let sub = site_with("A").file(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.com/sub/\"\n",
    );
    sub.build_ok();
    let card = og_image(&sub.output("2025/01/a/index.html"))
        .unwrap()
        .to_string();
    let path = card.strip_prefix("https://example.com/sub/").expect(&card);
    assert!(sub.exists(path), "{card}");
}

#[test]
fn serve_draws_a_retitled_articles_card_and_copies_it_instead_of_the_old_one() {
    let site = site_with("Before");
    let mut s = session(&site);
    let first = s.rebuild(&Changes::everything()).unwrap();
    let card_of = |built: &digest::pipeline::Built| {
        let html = page(built, "2025/01/a/index.html");
        let url = og_image(&html).unwrap().to_string();
        url.strip_prefix("https://example.com/")
            .unwrap()
            .to_string()
    };
    let before = card_of(&first);
    let site = site.file(
        "content/articles/a.md",
        &article("After", "2025-01-27", "companies = [\"DeepSeek\"]", "Text."),
    );
    let again = s
        .rebuild(&changes(&site, &["content/articles/a.md"]))
        .unwrap();
    let after = card_of(&again);
    assert_ne!(before, after);
    let copy = again
        .copies
        .iter()
        .find(|c| c.path == after)
        .expect("the new card is copied");
    assert!(copy.source.is_file(), "drawn into the cache");
    assert!(again.copies.iter().all(|c| c.path != before));
}
