//! Pictures: folder articles (`content/articles/YYYY/<slug>/index.md`) with their files
//! published beside the page, and lead images (`[image]`) measured, shown and shared.

use digest::pipeline::{Changes, Session};
use digest::serve::watch::classify;
use digest::BuildOptions;
use std::path::Path;

use crate::errors::assert_report;
use crate::support::TestSite;

/// A PNG of `w` x `h` pixels (a gradient with an opaque alpha channel); a header alone
/// when either side is 0 (which no encoder writes).
pub fn png(w: u32, h: u32) -> Vec<u8> {
    if w == 0 || h == 0 {
        return png_header(w, h);
    }
    let pixels: Vec<u8> = (0..h)
        .flat_map(|y| (0..w).flat_map(move |x| [x as u8, y as u8, 128, 255]))
        .collect();
    let mut out = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut out, w, h);
    encoder.set_color(::png::ColorType::Rgba);
    encoder.set_depth(::png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

/// A JPEG of `w` x `h` pixels.
pub fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let pixels: Vec<u8> = (0..h)
        .flat_map(|y| (0..w).flat_map(move |x| [x as u8, y as u8, 90]))
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&pixels, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// Width and height of an image file, decoded (PNG, JPEG or WebP, by its first bytes).
pub fn decoded_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    fn failed<T>(path: &Path, e: &dyn std::fmt::Display) -> T {
        panic!("{}: {e}", path.display())
    }
    let cursor = std::io::Cursor::new(&bytes);
    if bytes.starts_with(b"\x89PNG") {
        let mut reader = ::png::Decoder::new(cursor)
            .read_info()
            .unwrap_or_else(|e| failed(path, &e));
        let mut data = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader
            .next_frame(&mut data)
            .unwrap_or_else(|e| failed(path, &e));
        (frame.width, frame.height)
    } else if bytes.starts_with(b"RIFF") {
        let mut d = image_webp::WebPDecoder::new(cursor).unwrap_or_else(|e| failed(path, &e));
        let mut data = vec![0; d.output_buffer_size().unwrap()];
        d.read_image(&mut data).unwrap_or_else(|e| failed(path, &e));
        d.dimensions()
    } else {
        let mut d = jpeg_decoder::Decoder::new(cursor);
        d.decode().unwrap_or_else(|e| failed(path, &e));
        let info = d.info().unwrap();
        (u32::from(info.width), u32::from(info.height))
    }
}

/// The first bytes of a PNG of `w` x `h` pixels: the signature and the IHDR chunk, which
/// is all a header reader needs, and no pixels (a damaged file to decode).
pub fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend(w.to_be_bytes());
    bytes.extend(h.to_be_bytes());
    bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

const R1: &str = "content/articles/2025/r1";

/// The hash part of the first variant URL (`/_img/<hash>-800.webp`) in `html` (not a
/// share card's, `/_img/card-<hash>.png`).
pub fn variant_hash(html: &str) -> String {
    let at = html
        .match_indices("_img/")
        .map(|(at, _)| at + 5)
        .find(|&at| !html[at..].starts_with("card-"))
        .expect("a variant URL");
    html[at..at + 16].to_string()
}

/// A folder article `2025/r1/` dated January 2025 with `extra` front matter and `body`.
fn folder_article(site: TestSite, extra: &str, body: &str) -> TestSite {
    site.file(
        &format!("{R1}/index.md"),
        &crate::support::article("R1", "2025-01-20", extra, body),
    )
}

const LEAD: &str = "[image]\nsrc = \"lead.png\"\nalt = \"A whale\"\ncaption = \"The launch.\"\ncredit = \"Photo: Test\"";

#[test]
fn a_folder_article_is_published_at_its_folder_name_with_its_files() {
    let site = folder_article(TestSite::new(), "", "![Chart](chart.png)")
        .bytes(&format!("{R1}/chart.png"), &png(10, 5))
        .file(&format!("{R1}/data/table.csv"), "a,b\n")
        .file(&format!("{R1}/notes.md"), "not an article")
        .file(&format!("{R1}/.hidden.png"), "x")
        .file(&format!("{R1}/index.md~"), "backup");
    site.build_ok();
    let page = site.output("2025/01/r1/index.html");
    // The body's image is a responsive picture of its variants (at its own width only:
    // never upscaled).
    let h = variant_hash(&page);
    assert!(
        page.contains(&format!(
            r#"<picture><source type="image/webp" srcset="/_img/{h}-10.webp 10w" sizes="(min-width: 44rem) 42rem, 100vw"><img src="/_img/{h}-10.png" srcset="/_img/{h}-10.png 10w" sizes="(min-width: 44rem) 42rem, 100vw" width="10" height="5" alt="Chart" loading="lazy" decoding="async"></picture>"#
        )),
        "{page}"
    );
    assert!(site.exists(&format!("_img/{h}-10.webp")));
    // Wherever the body is shown (a feed resolves links against its own URL), the image
    // is found.
    let feed = site.output("atom.xml");
    assert!(
        feed.contains(&format!(r#"src="/_img/{h}-10.png""#)),
        "{feed}"
    );
    assert_eq!(
        std::fs::read(site.out_path("2025/01/r1/chart.png")).unwrap(),
        png(10, 5)
    );
    assert_eq!(site.output("2025/01/r1/data/table.csv"), "a,b\n");
    assert_eq!(site.output("2025/01/r1/notes.md"), "not an article");
    assert!(
        !site.exists("2025/01/notes/index.html"),
        "notes.md is no article"
    );
    assert!(!site.exists("2025/01/index/index.html"));
    assert!(!site.exists("2025/01/r1/.hidden.png"));
    assert!(!site.exists("2025/01/r1/index.md~"));
    assert!(!site.exists("2025/01/r1/index.md"));
}

#[test]
fn an_explicit_slug_moves_the_folder_files_with_the_page() {
    let site = folder_article(TestSite::new(), "slug = \"deepseek-r1\"", "Body.")
        .bytes(&format!("{R1}/chart.png"), &png(10, 5));
    site.build_ok();
    assert!(site.exists("2025/01/deepseek-r1/index.html"));
    assert!(site.exists("2025/01/deepseek-r1/chart.png"));
}

#[test]
fn a_folder_file_that_would_replace_a_page_or_a_static_file_is_an_error() {
    let site = folder_article(TestSite::new(), "", "Body.")
        .file(&format!("{R1}/index.html"), "<p>mine</p>")
        .file(&format!("{R1}/x.txt"), "a")
        .file("static/2025/01/r1/x.txt", "b");
    assert_report(
        &site.build_err(),
        &[
            "./content/articles/2025/r1/index.html:1:1: this file would replace the generated /2025/01/r1/index.html; rename or remove it",
            "./content/articles/2025/r1/x.txt:1:1: this file and ./static/2025/01/r1/x.txt would both be published as /2025/01/r1/x.txt; rename or remove one",
        ],
    );
}

#[cfg(unix)]
#[test]
fn a_folder_file_linking_out_of_the_site_is_an_error() {
    let site = folder_article(TestSite::new(), "", "Body.");
    std::os::unix::fs::symlink("/etc/passwd", site.root().join(R1).join("passwd")).unwrap();
    let err = site.build_err();
    assert_report(
        &err,
        &["content/articles/2025/r1/passwd:1:1: is a link to /etc/passwd, outside the site's folder; copy the file in instead"],
    );
    assert!(!site.exists("2025/01/r1/passwd"));
}

#[test]
fn a_lead_image_is_measured_shown_and_shared() {
    let site = folder_article(TestSite::new(), LEAD, "Body.")
        .bytes(&format!("{R1}/lead.png"), &png(640, 360));
    let out = site.run(&["--base-url", "https://example.github.io/sub/"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = site.output("2025/01/r1/index.html");
    let h = variant_hash(&page);
    let sizes = "(min-width: 44rem) 42rem, 100vw";
    assert!(
        page.contains(&format!(
            r#"<picture><source type="image/webp" srcset="/sub/_img/{h}-480.webp 480w, /sub/_img/{h}-640.webp 640w" sizes="{sizes}"><img src="/sub/_img/{h}-640.png" srcset="/sub/_img/{h}-480.png 480w, /sub/_img/{h}-640.png 640w" sizes="{sizes}" alt="A whale" width="640" height="360" fetchpriority="high">"#
        )),
        "{page}"
    );
    assert!(page.contains(
        r#"<figcaption>The launch. <span class="credit">Photo: Test</span></figcaption>"#
    ));
    assert!(page.contains(&format!(
        r#"<meta property="og:image" content="https://example.github.io/sub/_img/{h}-640.png">"#
    )));
    assert!(page.contains(r#"<meta property="og:image:width" content="640">"#));
    assert!(page.contains(r#"<meta name="twitter:card" content="summary_large_image">"#));
    assert!(page.contains(r#""image":"https://example.github.io/sub/2025/01/r1/lead.png""#));
    assert!(site.exists("2025/01/r1/lead.png"));
    // A page without a lead image keeps the small card.
    let home = site.output("index.html");
    assert!(home.contains(r#"<meta name="twitter:card" content="summary">"#));
}

#[test]
fn a_lead_image_from_static_and_svg_sizes() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 630"></svg>"#;
    let site = TestSite::new()
        .file(
            "content/articles/a.md",
            &crate::support::article(
                "A",
                "2025-02-01",
                "[image]\nsrc = \"/img/my chart.svg\"\nalt = \"Chart\"",
                "Body.",
            ),
        )
        .file("static/img/my chart.svg", svg)
        .file(
            "content/articles/b.md",
            &crate::support::article(
                "B",
                "2025-02-02",
                "[image]\nsrc = \"/img/free.svg\"\nalt = \"Free\"",
                "Body.",
            ),
        )
        .file(
            "static/img/free.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
    site.build_ok();
    let a = site.output("2025/02/a/index.html");
    assert!(
        a.contains(r#"<img src="/img/my%20chart.svg" alt="Chart" width="1200" height="630" fetchpriority="high">"#),
        "{a}"
    );
    let b = site.output("2025/02/b/index.html");
    assert!(
        b.contains(r#"<img src="/img/free.svg" alt="Free" fetchpriority="high">"#),
        "{b}"
    );
    assert!(!b.contains("og:image:width"));
}

/// Builds a folder article whose front matter is `extra` with `files` beside it, expecting
/// exactly `lines` as the report.
#[track_caller]
fn fails_with(site: TestSite, extra: &str, lines: &[&str]) {
    let site = folder_article(site, extra, "Body.");
    assert_report(&site.build_err(), lines);
}

#[test]
fn a_lead_image_without_alt_is_an_error_at_its_table() {
    let site = TestSite::new().bytes(&format!("{R1}/lead.png"), &png(4, 4));
    fails_with(
        site,
        "summary = \"S\"\n[image]\nsrc = \"lead.png\"",
        &["content/articles/2025/r1/index.md:5:1: `[image]` has no `alt`: add `alt = \"...\"`, a description of the picture for readers who cannot see it"],
    );
    let site = TestSite::new().bytes(&format!("{R1}/lead.png"), &png(4, 4));
    fails_with(
        site,
        "[image]\nsrc = \"lead.png\"\nalt = \"  \"",
        &["content/articles/2025/r1/index.md:6:7: `alt` is empty: describe the picture for readers who cannot see it"],
    );
}

/// `[image] src = "<src>"` (line 5, the value at column 7) fails with `message`.
#[track_caller]
fn bad_src(site: TestSite, src: &str, message: &str) {
    let extra = format!("[image]\nsrc = \"{src}\"\nalt = \"A\"");
    let line = format!("content/articles/2025/r1/index.md:5:7: {message}");
    fails_with(site, &extra, &[&line]);
}

#[test]
fn a_missing_lead_image_is_an_error_at_its_src() {
    bad_src(
        TestSite::new(),
        "lead.jpg",
        "there is no file `content/articles/2025/r1/lead.jpg`",
    );
    bad_src(
        TestSite::new(),
        "/img/lead.jpg",
        "there is no file `static/img/lead.jpg`",
    );
    // An absolute path on disk is a path under static/.
    bad_src(
        TestSite::new(),
        "/etc/passwd",
        "there is no file `static/etc/passwd`",
    );
    bad_src(
        TestSite::new().file(&format!("{R1}/pics/a.png"), "x"),
        "pics",
        "`content/articles/2025/r1/pics` is a folder, not an image file",
    );
}

#[test]
fn a_lead_image_src_may_not_climb_out_or_name_a_url() {
    let usage = "write a file beside the article (`src = \"lead.jpg\"`, in a folder article) or a path under static/ (`src = \"/img/lead.jpg\"`)";
    for src in [
        "../../../etc/passwd",
        "/img/../../config.toml",
        "https://example.com/a.png",
        "//cdn.example.com/a.png",
        "./lead.png",
        "",
    ] {
        bad_src(
            TestSite::new(),
            src,
            &format!("`src = \"{src}\"` is not a path digest publishes: {usage}"),
        );
    }
}

#[test]
fn a_corrupt_lead_image_is_an_error_at_its_src() {
    let empty = TestSite::new().bytes(&format!("{R1}/lead.jpg"), b"");
    bad_src(
        empty,
        "lead.jpg",
        "cannot read `lead.jpg` as an image: its header is cut short or damaged; digest shows JPEG, PNG, GIF, WebP and SVG files",
    );
    let text = TestSite::new().file(&format!("{R1}/lead.png"), "this is not a picture\n");
    bad_src(
        text,
        "lead.png",
        "cannot read `lead.png` as an image: it is not a JPEG, PNG, GIF or WebP file; digest shows JPEG, PNG, GIF, WebP and SVG files",
    );
    let svg = TestSite::new().file(&format!("{R1}/lead.svg"), "<html></html>");
    bad_src(
        svg,
        "lead.svg",
        "cannot read `lead.svg` as an image: no `<svg` element at its start",
    );
    let zero = TestSite::new().bytes(&format!("{R1}/lead.png"), &png(0, 7));
    bad_src(
        zero,
        "lead.png",
        "cannot read `lead.png` as an image: its header gives a size of 0 x 7 pixels",
    );
}

#[cfg(unix)]
#[test]
fn a_lead_image_linking_out_of_the_site_is_an_error() {
    let site = folder_article(
        TestSite::new(),
        "[image]\nsrc = \"lead.png\"\nalt = \"A\"",
        "Body.",
    );
    std::os::unix::fs::symlink("/etc/passwd", site.root().join(R1).join("lead.png")).unwrap();
    let err = site.build_err();
    assert_report(
        &err,
        &[
            "content/articles/2025/r1/index.md:5:7: `content/articles/2025/r1/lead.png` is a link to /etc/passwd, outside the site's folder; copy the file in instead",
            "content/articles/2025/r1/lead.png:1:1: is a link to /etc/passwd, outside the site's folder; copy the file in instead",
        ],
    );
}

#[test]
fn a_relative_lead_image_needs_a_folder_article() {
    let site = TestSite::new().file(
        "content/articles/a.md",
        &crate::support::article(
            "A",
            "2025-02-01",
            "[image]\nsrc = \"a.png\"\nalt = \"A\"",
            "",
        ),
    );
    assert_report(
        &site.build_err(),
        &["content/articles/a.md:5:7: `src = \"a.png\"` is relative, but this article is a single file: make it a folder article (`content/articles/YYYY/<slug>/index.md` with the image beside it), or put the image under static/ and write `src = \"/img/a.png\"`"],
    );
}

pub fn session(site: &TestSite) -> Session {
    Session::new(BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    })
}

/// What `digest serve` would rebuild after `paths` changed.
pub fn changes(site: &TestSite, paths: &[&str]) -> Changes {
    let paths: Vec<_> = paths.iter().map(|p| site.root().join(p)).collect();
    classify(site.root(), &paths, Path::new("public")).expect("a change that matters")
}

pub fn page(built: &digest::pipeline::Built, path: &str) -> String {
    String::from_utf8_lossy(&built.files[path]).into_owned()
}

#[test]
fn serve_re_measures_a_lead_image_rewritten_in_place() {
    let site = folder_article(TestSite::new(), LEAD, "Body.")
        .bytes(&format!("{R1}/lead.png"), &png(640, 360))
        .file(
            "content/articles/s.md",
            &crate::support::article(
                "S",
                "2025-03-01",
                "[image]\nsrc = \"/s.png\"\nalt = \"S\"",
                "",
            ),
        )
        .bytes("static/s.png", &png(30, 20));
    let mut s = session(&site);
    let first = s.rebuild(&Changes::everything()).unwrap();
    assert!(page(&first, "2025/01/r1/index.html").contains(r#"width="640" height="360""#));
    let site = site.bytes(&format!("{R1}/lead.png"), &png(800, 450));
    let again = s
        .rebuild(&changes(&site, &[&format!("{R1}/lead.png")]))
        .unwrap();
    let r1 = page(&again, "2025/01/r1/index.html");
    assert!(r1.contains(r#"width="800" height="450""#), "{r1}");
    assert!(again.changed.contains(&"2025/01/r1/index.html".to_string()));
    // A lead image under static/, rewritten.
    let site = site.bytes("static/s.png", &png(60, 40));
    let again = s.rebuild(&changes(&site, &["static/s.png"])).unwrap();
    let s_page = page(&again, "2025/03/s/index.html");
    assert!(s_page.contains(r#"width="60" height="40""#), "{s_page}");
}

#[test]
fn serve_publishes_a_folder_file_added_and_forgets_one_removed() {
    let site =
        folder_article(TestSite::new(), "", "Body.").bytes(&format!("{R1}/a.png"), &png(1, 1));
    let mut s = session(&site);
    let copied = |b: &digest::pipeline::Built| -> Vec<String> {
        let mut paths: Vec<String> = b
            .copies
            .iter()
            .map(|c| c.path.clone())
            .filter(|p| !p.starts_with("_img/card-"))
            .collect();
        paths.sort();
        paths
    };
    let first = s.rebuild(&Changes::everything()).unwrap();
    assert_eq!(copied(&first), ["2025/01/r1/a.png"]);
    let site = site.bytes(&format!("{R1}/b.png"), &png(1, 1));
    let again = s
        .rebuild(&changes(&site, &[&format!("{R1}/b.png")]))
        .unwrap();
    assert_eq!(copied(&again), ["2025/01/r1/a.png", "2025/01/r1/b.png"]);
    std::fs::remove_file(site.root().join(R1).join("a.png")).unwrap();
    let again = s
        .rebuild(&changes(&site, &[&format!("{R1}/a.png")]))
        .unwrap();
    assert_eq!(copied(&again), ["2025/01/r1/b.png"]);
    // A file in a plain year folder belongs to no article: no rebuild.
    let site = site.file("content/articles/2025/stray.png", "x");
    let stray = [site.root().join("content/articles/2025/stray.png")];
    assert_eq!(classify(site.root(), &stray, Path::new("public")), None);
}

#[test]
fn serve_sees_a_folder_become_a_folder_article_and_back() {
    let site = TestSite::new().file(
        &format!("{R1}/notes.md"),
        &crate::support::article("Notes", "2025-01-05", "", "Body."),
    );
    let mut s = session(&site);
    let first = s.rebuild(&Changes::everything()).unwrap();
    assert!(first.files.contains_key("2025/01/notes/index.html"));
    let site = folder_article(site, "", "Body.");
    let index = format!("{R1}/index.md");
    let again = s.rebuild(&changes(&site, &[&index])).unwrap();
    assert!(again.files.contains_key("2025/01/r1/index.html"));
    assert!(!again.files.contains_key("2025/01/notes/index.html"));
    assert!(again.copies.iter().any(|c| c.path == "2025/01/r1/notes.md"));
    std::fs::remove_file(site.root().join(&index)).unwrap();
    let back = s.rebuild(&changes(&site, &[&index])).unwrap();
    assert!(back.files.contains_key("2025/01/notes/index.html"));
    assert!(!back.files.contains_key("2025/01/r1/index.html"));
    assert!(back.copies.iter().all(|c| c.path.starts_with("_img/card-")));
}

#[test]
fn check_follows_relative_links_to_a_folder_articles_files() {
    let site = folder_article(
        TestSite::new(),
        "summary = \"S\"",
        "See [the data](data/table.csv) and [a file not there](gone.csv).",
    )
    .file(&format!("{R1}/data/table.csv"), "a,b\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_digest"))
        .arg("check")
        .current_dir(site.root())
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains(
            "error: public/2025/01/r1/index.html:1:1: broken link /2025/01/r1/gone.csv: nothing is published there"
        ),
        "{report}"
    );
    assert_eq!(report.matches("broken link").count(), 1, "{report}");
}

#[test]
fn an_unknown_key_in_image_suggests_the_tables_own_keys() {
    fails_with(
        TestSite::new().bytes(&format!("{R1}/lead.png"), &png(4, 4)),
        "[image]\nsrc = \"lead.png\"\nalt = \"A\"\ncaptoin = \"C\"",
        &["content/articles/2025/r1/index.md:7:1: unknown key `captoin`: did you mean `caption`? (known keys: src, alt, caption, credit)"],
    );
}

#[test]
fn a_lead_image_is_the_home_pages_lead_picture_and_a_thumbnail_in_other_lists() {
    let site = folder_article(TestSite::new(), LEAD, "Body.")
        .bytes(&format!("{R1}/lead.png"), &png(640, 360))
        .file(
            "content/articles/older.md",
            &crate::support::article("Older", "2025-01-10", "", ""),
        )
        .file(
            "content/articles/newer.md",
            &crate::support::article("Newer", "2025-01-30", "", ""),
        );
    site.build_ok();
    let thumb = r#"<picture class="card-thumb">"#;
    // Page 1 leads with "Newer" (no picture); R1's card on it has its thumbnail, lazily.
    let home = site.output("index.html");
    assert!(!home.contains("lead-image"), "{home}");
    assert_eq!(home.matches(thumb).count(), 1, "{home}");
    let card = &home[home.find(thumb).unwrap()..];
    assert!(card[..card.find("</picture>").unwrap()]
        .contains(r#"alt="A whale" width="640" height="360" loading="lazy" decoding="async">"#));
    // Without "Newer", R1 leads: its picture large, fetched first, its thumbnail hidden.
    std::fs::remove_file(site.root().join("content/articles/newer.md")).unwrap();
    site.build_ok();
    let home = site.output("index.html");
    let lead = &home[home
        .find(r#"<div class="lead lead-pictured"><picture class="lead-image">"#)
        .expect("a pictured lead")..];
    assert!(lead[..lead.find("</picture>").unwrap()].contains(r#"fetchpriority="high">"#));
}
