//! Where the time of one incremental rebuild of `digest serve` goes: loads a site once, then
//! times a session's rebuild after an edit of one article's body, and each stage of it on
//! its own (site model, fingerprints, cards, extra files). For profiling the serve latency
//! figures of BENCHMARKS.md.
//!
//!     cargo run --release --example rebuild_phases -- SITE_DIR [ROUNDS]
//!
//! The article edited is restored at the end.

use std::path::PathBuf;
use std::time::Instant;

use digest::content::highlight::Highlighter;
use digest::content::{load_articles, Content, RenderEnv};
use digest::pipeline::{BuildOptions, Changes, Session};
use digest::render::fingerprint::{fingerprint, Inputs, Versions};
use digest::render::site_files;
use digest::site::Site;

/// mimalloc, as in the `digest` binary (src/allocator.rs), so that the phases are timed on
/// the allocator `digest serve` runs on.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: digest::allocator::Allocator = digest::allocator::Allocator;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: rebuild_phases SITE_DIR [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let mut session = Session::new(BuildOptions {
        root: root.clone(),
        base_url: Some("http://127.0.0.1:1111/".into()),
        ..BuildOptions::default()
    });
    let t = Instant::now();
    let first = session
        .rebuild(&Changes::everything())
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "initial build: {} articles, {} files in {:.0} ms",
        first.article_count,
        first.files.len(),
        ms(t)
    );
    let article = first.site.articles[first.article_count / 2].path.clone();
    // A `Built` still held shares the site model, and the quick path needs it unshared.
    drop(first);
    let original = std::fs::read(&article).expect("read the article");
    for round in 1..=rounds {
        let mut text = original.clone();
        text.extend_from_slice(format!("\nEdit {round}.\n").as_bytes());
        std::fs::write(&article, &text).expect("write the article");
        let t = Instant::now();
        let built = session
            .rebuild(&Changes {
                articles: vec![article.clone()],
                ..Changes::default()
            })
            .unwrap_or_else(|e| panic!("{e}"));
        println!(
            "round {round}: session rebuild {:.1} ms ({} rendered, {} changed)",
            ms(t),
            built.rendered,
            built.changed.len()
        );
    }
    std::fs::write(&article, &original).expect("restore the article");

    // The stages, on their own.
    let highlighter = Highlighter::default();
    let config = digest::config::Config::load(&root).expect("config");
    let taxonomies = config.term_taxonomy_names();
    let env = RenderEnv {
        highlighter: &highlighter,
        base_path: "/",
        taxonomies: &taxonomies,
    };
    let (files, _) = load_articles(&root, &env);
    let articles: Vec<_> = files
        .values()
        .filter_map(|r| r.as_ref().ok().cloned())
        .collect();
    let t = Instant::now();
    let site = Site::from_content(Content {
        articles: articles.clone(),
        profiles: Vec::new(),
        pages: Vec::new(),
        taxonomies: taxonomies.clone(),
        ..Default::default()
    })
    .expect("site");
    println!("Site::from_content: {:.1} ms", ms(t));
    let t = Instant::now();
    let versions = Versions::of(&site);
    println!("Versions::of: {:.1} ms", ms(t));
    let t = Instant::now();
    let jobs = digest::render::plan(&site, &config, &["style.css".to_string()]);
    println!("plan ({} jobs): {:.1} ms", jobs.len(), ms(t));
    let inputs = Inputs {
        site: &site,
        versions: &versions,
        config: &config,
    };
    let t = Instant::now();
    let n: u64 = jobs
        .iter()
        .map(|j| fingerprint(&inputs, j, 0))
        .fold(0, u64::wrapping_add);
    println!("fingerprints, one thread: {:.1} ms ({n:x})", ms(t));
    let theme = digest::render::Theme::load(&root, &config).expect("theme");
    let t = Instant::now();
    let _ = digest::render::Theme::load(&root, &config).expect("theme");
    println!("Theme::load: {:.1} ms", ms(t));
    let t = Instant::now();
    let renderer = digest::render::Renderer::new(&config, &site, &theme);
    println!("Renderer::new (all cards): {:.1} ms", ms(t));
    let t = Instant::now();
    let page = renderer.render(&jobs[1100]).expect("render");
    println!("render one page ({}): {:.1} ms", page.path, ms(t));
    let t = Instant::now();
    let s = site_files::sitemaps(&config, &site, &jobs);
    println!("sitemaps: {:.1} ms", ms(t));
    let t = Instant::now();
    let x = site_files::search_index(&site);
    println!(
        "search index: {:.1} ms ({} + {} bytes)",
        ms(t),
        s[0].bytes.len(),
        x.bytes.len()
    );
    let t = Instant::now();
    drop(site);
    println!("drop Site: {:.1} ms", ms(t));
}
