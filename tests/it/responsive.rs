//! Responsive images (issue 20): every local raster image is published as WebP and
//! fallback variants at the configured widths, made once into the site's image cache.

use digest::pipeline::{Changes, Session};
use digest::BuildOptions;
use std::path::Path;

use crate::images::{self, jpeg, png, png_header, variant_hash};
use crate::support::{article, TestSite};

const R1: &str = "content/articles/2025/r1";
const LEAD_JPG: &str = "[image]\nsrc = \"lead.jpg\"\nalt = \"A whale\"";

fn folder_article(site: TestSite, extra: &str, body: &str) -> TestSite {
    site.file(
        &format!("{R1}/index.md"),
        &article("R1", "2025-01-20", extra, body),
    )
}

/// Width and height of the image file at `path` in the output, decoded.
fn decoded_size(site: &TestSite, path: &str) -> (u32, u32) {
    images::decoded_size(&site.out_path(path))
}

fn cache_file(site: &TestSite, name: &str) -> std::path::PathBuf {
    site.root().join(".digest-cache/images").join(name)
}

#[test]
fn variants_have_the_configured_widths_and_are_never_upscaled() {
    let site = folder_article(TestSite::new(), LEAD_JPG, "![Small](small.png)")
        .bytes(&format!("{R1}/lead.jpg"), &jpeg(2000, 1000))
        .bytes(&format!("{R1}/small.png"), &png(1000, 400));
    let out = site.build_ok();
    assert!(out.contains("(2 images resized)"), "{out}");
    let page = site.output("2025/01/r1/index.html");
    let lead = variant_hash(&page);
    for w in [480, 800, 1200, 1600] {
        let h = w / 2;
        assert_eq!(
            decoded_size(&site, &format!("_img/{lead}-{w}.webp")),
            (w, h)
        );
        assert_eq!(decoded_size(&site, &format!("_img/{lead}-{w}.jpg")), (w, h));
    }
    assert!(!site.exists(&format!("_img/{lead}-2000.webp")));
    // The lead: a picture with both sets, the widest fallback as src, its size, high
    // priority and no lazy loading.
    assert!(page.contains(&format!(
        r#"<img src="/_img/{lead}-1600.jpg" srcset="/_img/{lead}-480.jpg 480w, /_img/{lead}-800.jpg 800w, /_img/{lead}-1200.jpg 1200w, /_img/{lead}-1600.jpg 1600w" sizes="(min-width: 44rem) 42rem, 100vw" alt="A whale" width="1600" height="800" fetchpriority="high">"#
    )), "{page}");
    // The body's 1,000-pixel PNG: 480, 800 and its own 1,000, never 1,200 or 1,600.
    let body = &page[page.find("<div class=\"prose\">").unwrap()..];
    let small = variant_hash(body);
    assert_ne!(small, lead);
    for (w, h) in [(480, 192), (800, 320), (1000, 400)] {
        assert_eq!(
            decoded_size(&site, &format!("_img/{small}-{w}.png")),
            (w, h)
        );
        assert_eq!(
            decoded_size(&site, &format!("_img/{small}-{w}.webp")),
            (w, h)
        );
    }
    assert!(!site.exists(&format!("_img/{small}-1200.png")));
    // The fallback at its own width is the file itself.
    assert_eq!(
        std::fs::read(site.out_path(&format!("_img/{small}-1000.png"))).unwrap(),
        png(1000, 400)
    );
    assert!(body.contains(&format!(
        r#"srcset="/_img/{small}-480.webp 480w, /_img/{small}-800.webp 800w, /_img/{small}-1000.webp 1000w""#
    )), "{body}");
    assert!(body.contains(
        r#"width="1000" height="400" alt="Small" loading="lazy" decoding="async"></picture>"#
    ));
    // The originals are published as they were.
    assert!(site.exists("2025/01/r1/lead.jpg"));
    // The cache ignores itself in git.
    let ignore = std::fs::read_to_string(site.root().join(".digest-cache/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "*"));
}

#[test]
fn a_rebuild_reuses_the_cache_and_a_changed_image_gets_new_variants() {
    let site = folder_article(TestSite::new(), LEAD_JPG, "Body.")
        .bytes(&format!("{R1}/lead.jpg"), &jpeg(900, 600));
    let out = site.build_ok();
    assert!(out.contains("(1 image resized)"), "{out}");
    let first = variant_hash(&site.output("2025/01/r1/index.html"));
    let cached = cache_file(&site, &format!("{first}-800.webp"));
    let made = std::fs::metadata(&cached).unwrap().modified().unwrap();
    // The images' hashes are kept too: a warm build reads no image, and writes no index.
    let index = site.root().join(".digest-cache/images/hashes.txt");
    let indexed = std::fs::metadata(&index).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = site.build_ok();
    assert_eq!(
        std::fs::metadata(&index).unwrap().modified().unwrap(),
        indexed
    );
    assert!(
        !out.contains("resized"),
        "a warm rebuild resizes nothing: {out}"
    );
    assert_eq!(
        std::fs::metadata(&cached).unwrap().modified().unwrap(),
        made
    );
    assert!(site.exists(&format!("_img/{first}-800.webp")));
    // Another picture under the same name: new variants, and the old ones leave the output.
    let site = site.bytes(&format!("{R1}/lead.jpg"), &jpeg(900, 300));
    let out = site.build_ok();
    assert!(out.contains("(1 image resized)"), "{out}");
    let page = site.output("2025/01/r1/index.html");
    let second = variant_hash(&page);
    assert_ne!(first, second);
    assert_eq!(
        decoded_size(&site, &format!("_img/{second}-800.webp")),
        (800, 267)
    );
    assert!(page.contains(r#"width="900" height="300""#), "{page}");
    assert!(!site.exists(&format!("_img/{first}-800.webp")));
    // Other quality settings are other files.
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    let site = site.file(
        "config.toml",
        &format!("{config}\n[images]\nquality = 60\n"),
    );
    let out = site.build_ok();
    assert!(out.contains("(1 image resized)"), "{out}");
    assert_ne!(variant_hash(&site.output("2025/01/r1/index.html")), second);
}

#[test]
fn widths_are_configurable_and_unknown_image_keys_are_errors() {
    let site = folder_article(TestSite::new(), LEAD_JPG, "Body.")
        .bytes(&format!("{R1}/lead.jpg"), &jpeg(700, 350));
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    let site = site.file(
        "config.toml",
        &format!("{config}\n[images]\nwidths = [600, 300]\nsizes = \"100vw\"\n"),
    );
    site.build_ok();
    let page = site.output("2025/01/r1/index.html");
    let h = variant_hash(&page);
    assert!(
        page.contains(&format!(
            r#"srcset="/_img/{h}-300.webp 300w, /_img/{h}-600.webp 600w" sizes="100vw""#
        )),
        "{page}"
    );
    let site = site.file(
        "config.toml",
        &format!("{config}\n[images]\nwidth = [600]\n"),
    );
    let err = site.build_err();
    assert!(
        err.contains("unknown key `width` in a `[images]` table; did you mean `widths`? (known keys: widths, quality, sizes, share_cards)"),
        "{err}"
    );
}

#[test]
fn an_undecodable_image_is_an_error_at_each_place_that_shows_it() {
    let site = folder_article(
        TestSite::new(),
        "[image]\nsrc = \"/broken.png\"\nalt = \"Broken\"",
        "Text.\n\nSee ![the chart](/broken.png).",
    )
    .bytes("static/broken.png", &png_header(40, 30));
    let err = site.build_err();
    let line = |n: usize, col: usize| {
        format!(
            "{R1}/index.md:{n}:{col}: cannot make the responsive sizes of `static/broken.png`: it cannot be decoded"
        )
    };
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].starts_with(&line(5, 7)), "{err}");
    assert!(lines[1].starts_with(&line(10, 5)), "{err}");
    assert!(lines[0].ends_with("replace it with a readable JPEG, PNG, GIF or WebP file"));
    assert_eq!(lines[2], "2 problems found; nothing was written");
}

#[test]
fn a_body_image_that_is_not_an_image_is_an_error_at_its_line() {
    let site = folder_article(TestSite::new(), "", "Text.\n\n![Chart](chart.png)")
        .file(&format!("{R1}/chart.png"), "not a picture");
    let err = site.build_err();
    assert!(
        err.starts_with(&format!(
            "{R1}/index.md:8:1: cannot read `chart.png` as an image"
        )),
        "{err}"
    );
}

#[test]
fn svg_and_remote_images_are_left_as_they_are() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"></svg>"#;
    let site = folder_article(
        TestSite::new(),
        "[image]\nsrc = \"chart.svg\"\nalt = \"Chart\"",
        "![Logo](logo.svg) ![Remote](https://example.com/x.png)",
    )
    .file(&format!("{R1}/chart.svg"), svg)
    .file(&format!("{R1}/logo.svg"), svg);
    let out = site.build_ok();
    assert!(!out.contains("resized"), "{out}");
    let page = site.output("2025/01/r1/index.html");
    assert!(page.contains(r#"<img src="/2025/01/r1/chart.svg" alt="Chart" width="120" height="60" fetchpriority="high">"#), "{page}");
    assert!(
        page.contains(r#"<img src="/2025/01/r1/logo.svg" alt="Logo" />"#),
        "{page}"
    );
    assert!(page.contains(r#"<img src="https://example.com/x.png" alt="Remote" />"#));
    assert!(!page.contains("<picture>"));
    assert_eq!(site.output("2025/01/r1/chart.svg"), svg);
    assert!(!site.root().join(".digest-cache").exists());
}

#[test]
fn srcsets_carry_the_base_path() {
    let site = TestSite::new()
        .file(
            "content/articles/a.md",
            &article("A", "2025-02-01", "", "![Chart](/img/c.png)"),
        )
        .bytes("static/img/c.png", &png(600, 300));
    let out = site.run(&["--base-url", "https://example.github.io/ai-digest/"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = site.output("2025/02/a/index.html");
    let h = variant_hash(&page);
    assert!(page.contains(&format!(
        r#"<source type="image/webp" srcset="/ai-digest/_img/{h}-480.webp 480w, /ai-digest/_img/{h}-600.webp 600w""#
    )), "{page}");
    assert!(page.contains(&format!(r#"<img src="/ai-digest/_img/{h}-600.png""#)));
    assert!(site.exists(&format!("_img/{h}-600.png")));
}

#[test]
fn serve_makes_the_variants_of_a_changed_image_and_re_renders_its_page() {
    let site = TestSite::new()
        .file(
            "content/articles/a.md",
            &article("A", "2025-02-01", "", "![Chart](/c.png)"),
        )
        .file(
            "content/articles/b.md",
            &article("B", "2025-02-02", "", "No picture."),
        )
        .bytes("static/c.png", &png(300, 100));
    let mut s = Session::new(BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    });
    let first = s.rebuild(&Changes::everything()).unwrap();
    let html = |b: &digest::pipeline::Built| {
        String::from_utf8_lossy(&b.files["2025/02/a/index.html"]).into_owned()
    };
    let before = variant_hash(&html(&first));
    let served = |b: &digest::pipeline::Built, name: &str| {
        b.copies
            .iter()
            .find(|c| c.path == format!("_img/{name}"))
            .map(|c| c.source.clone())
    };
    let source = served(&first, &format!("{before}-300.webp")).expect("a variant served");
    assert!(source.is_file());
    let site = site.bytes("static/c.png", &png(300, 200));
    let changes = digest::serve::watch::classify(
        site.root(),
        &[site.root().join("static/c.png")],
        Path::new("public"),
    )
    .unwrap();
    let again = s.rebuild(&changes).unwrap();
    let after = variant_hash(&html(&again));
    assert_ne!(before, after);
    assert!(html(&again).contains(r#"width="300" height="200""#));
    assert!(again.changed.contains(&"2025/02/a/index.html".to_string()));
    assert!(!again.changed.contains(&"2025/02/b/index.html".to_string()));
    assert!(served(&again, &format!("{after}-300.webp")).is_some_and(|p| p.is_file()));
    assert!(served(&again, &format!("{before}-300.webp")).is_none());
}

#[test]
fn check_writes_no_image_cache() {
    let site = folder_article(TestSite::new(), LEAD_JPG, "Body.")
        .bytes(&format!("{R1}/lead.jpg"), &jpeg(900, 600));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_digest"))
        .arg("check")
        .current_dir(site.root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!site.root().join(".digest-cache").exists());
}

/// A `w` x `h` JPEG, its left half red and its right half blue, whose EXIF says to turn it
/// as `orientation` says.
fn jpeg_turned(w: u16, h: u16, orientation: u16) -> Vec<u8> {
    let pixels: Vec<u8> = (0..h)
        .flat_map(|_| (0..w).flat_map(move |x| if x < w / 2 { [255, 0, 0] } else { [0, 0, 255] }))
        .collect();
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01".to_vec();
    exif.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    exif.extend(orientation.to_be_bytes());
    exif.extend([0, 0, 0, 0, 0, 0]);
    let mut out = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut out, 95);
    e.add_app_segment(1, exif).unwrap();
    e.encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

#[test]
fn a_photo_turned_by_its_exif_orientation_is_published_turned() {
    // Stored 600 x 400, shown a quarter turn clockwise: 400 x 600, red on top.
    let site = folder_article(TestSite::new(), LEAD_JPG, "Body.")
        .bytes(&format!("{R1}/lead.jpg"), &jpeg_turned(600, 400, 6));
    site.build_ok();
    let page = site.output("2025/01/r1/index.html");
    let h = variant_hash(&page);
    assert!(page.contains(&format!(
        r#"<img src="/_img/{h}-400.jpg" srcset="/_img/{h}-400.jpg 400w" sizes="(min-width: 44rem) 42rem, 100vw" alt="A whale" width="400" height="600""#
    )), "{page}");
    let path = site.out_path(&format!("_img/{h}-400.jpg"));
    assert_eq!(images::decoded_size(&path), (400, 600));
    // Not the file itself (which is stored sideways): red at the top, blue at the foot.
    let mut d = jpeg_decoder::Decoder::new(std::io::Cursor::new(std::fs::read(&path).unwrap()));
    let px = d.decode().unwrap();
    let at = |x: usize, y: usize| &px[(y * 400 + x) * 3..(y * 400 + x) * 3 + 3];
    assert!(
        at(200, 100)[0] > 200 && at(200, 100)[2] < 60,
        "{:?}",
        at(200, 100)
    );
    assert!(
        at(200, 500)[2] > 200 && at(200, 500)[0] < 60,
        "{:?}",
        at(200, 500)
    );
    assert_eq!(
        images::decoded_size(&site.out_path(&format!("_img/{h}-400.webp"))),
        (400, 600)
    );
}

#[test]
fn an_image_alone_in_its_paragraph_is_a_figure_with_its_title_as_caption() {
    let body = "Text.\n\n![Chart](chart.png \"Shares fell <10%> on Monday\")\n\n\
                ![Plain](plain.png)\n\nIn a sentence ![Inline](chart.png) it stays.\n\n\
                ![Logo](logo.svg \"The mark\")";
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="12" height="6"></svg>"#;
    let site = folder_article(TestSite::new(), "", body)
        .bytes(&format!("{R1}/chart.png"), &png(600, 300))
        .bytes(&format!("{R1}/plain.png"), &png(500, 300))
        .file(&format!("{R1}/logo.svg"), svg);
    site.build_ok();
    let page = site.output("2025/01/r1/index.html");
    let body = &page[page.find("<div class=\"prose\">").unwrap()..];
    let captioned = body.find("<figure><picture>").expect(body);
    let rest = &body[captioned..];
    assert!(
        rest.contains(
            r#"title="Shares fell &lt;10%&gt; on Monday" loading="lazy" decoding="async"></picture><figcaption>Shares fell &lt;10%&gt; on Monday</figcaption></figure>"#
        ),
        "{rest}"
    );
    // No title, no caption; an image among words stays inline; an SVG is a figure too.
    assert!(
        body.contains(r#"alt="Plain" loading="lazy" decoding="async"></picture></figure>"#),
        "{body}"
    );
    assert!(body.contains("<p>In a sentence <picture>"), "{body}");
    assert!(
        body.contains(r#"<figure><img src="/2025/01/r1/logo.svg" alt="Logo" title="The mark" /><figcaption>The mark</figcaption></figure>"#),
        "{body}"
    );
    assert_eq!(body.matches("<figure>").count(), 3, "{body}");
}
