//! Where the time of one incremental rebuild of `digest serve` goes: loads a site once, then
//! times a session's rebuild (wall and CPU time) after an edit of one article (its body, or
//! with `title` its title, as `bench/serve_latency.py` edits them; with `date` its day of
//! the month, which takes the full path), and each stage of it on its own (site model,
//! fingerprints, cards, extra files). For profiling the serve latency figures of
//! BENCHMARKS.md; `DIGEST_TIMINGS=1` adds the quick path's phases of each round.
//!
//!     cargo run --release --example rebuild_phases -- SITE_DIR [ROUNDS] [body|title|date]
//!
//! The article edited is restored at the end.

use std::path::PathBuf;
use std::time::Instant;

use digest::content::highlight::Highlighter;
use digest::content::{load_articles, Content, RenderEnv};
use digest::pipeline::{BuildOptions, Changes, Session};
use digest::render::fingerprint::{cards, fingerprint, Inputs, Versions};
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

/// User plus system CPU time of this process so far (all threads), in seconds.
fn cpu_time() -> f64 {
    // SAFETY: getrusage fills the zeroed struct it is given and reads nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: rebuild_phases SITE_DIR [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let edit = args.next().unwrap_or_else(|| "body".into());
    if !["body", "title", "date"].contains(&edit.as_str()) {
        eprintln!("unknown edit {edit}: body, title or date");
        std::process::exit(2);
    }
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
    session.prepare();
    let mut edited_files = Vec::new();
    let original = std::fs::read_to_string(&article).expect("read the article");
    for round in 1..=rounds {
        let text = match edit.as_str() {
            // The first `title = "..."` line is the article's (events have titles too).
            "title" => original.replacen("\"\n", &format!(" (edit {round})\"\n"), 1),
            // The 1st or 2nd of its month.
            "date" => {
                let day = original.find("\ndate = ").expect("a date line") + 16;
                let new_day = if round % 2 == 1 { "01" } else { "02" };
                format!("{}{new_day}{}", &original[..day], &original[day + 2..])
            }
            _ => format!("{original}\nEdit {round}.\n"),
        };
        std::fs::write(&article, &text).expect("write the article");
        let cpu = cpu_time();
        let t = Instant::now();
        let built = session
            .rebuild(&Changes {
                articles: vec![article.clone()],
                ..Changes::default()
            })
            .unwrap_or_else(|e| panic!("{e}"));
        println!(
            "round {round}: session rebuild {:.1} ms, {:.1} ms CPU ({} rendered, {} changed)",
            ms(t),
            (cpu_time() - cpu) * 1000.0,
            built.rendered,
            built.changed.len()
        );
        if round == 1 {
            println!("  changed: {}", built.changed.join(" "));
            edited_files = built.changed.clone();
        }
        // As `digest serve` does between rebuilds.
        drop(built);
        session.prepare();
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
        images: digest::images::Settings::defaults(),
        timezone: &config.timezone,
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
    let (_, card_versions) = cards(&config, &site);
    println!("cards and their versions: {:.1} ms", ms(t));
    let t = Instant::now();
    let versions = Versions::of(&site, &config, card_versions);
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
        .map(|j| fingerprint(&inputs, j, 0).hash)
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
    // The pages the first round changed, each by a renderer of its own (as a rebuild's
    // renderer, which has rendered no card yet).
    let cards: Vec<_> = (0..site.articles.len())
        .map(|i| digest::render::renderer::card(&config, &site, i))
        .collect();
    for file in &edited_files {
        let Some(job) = jobs.iter().find(|j| &j.file() == file) else {
            continue;
        };
        let renderer = digest::render::Renderer::with_cards(&config, &site, &theme, cards.clone());
        let t = Instant::now();
        renderer.render(job).expect("render");
        let cold = ms(t);
        let t = Instant::now();
        renderer.render(job).expect("render");
        println!("  render {file}: {cold:.2} ms, again {:.2} ms", ms(t));
    }
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
