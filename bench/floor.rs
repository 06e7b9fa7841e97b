//! The floor figure of the speed benchmark: the time to only read, parse and render every
//! article body of a site (front matter, Markdown and syntax highlighting, on all cores),
//! with no templates, no site model and no writes. A whole `digest build` cannot be faster
//! than this; `bench/floor.sh` sets the two side by side.
//!
//!     cargo run --release --example floor -- SITE_DIR [ROUNDS]
//!
//! Prints one line per round and the median, in milliseconds. The highlighter's syntax set
//! is loaded before the first round and not counted (a build pays it once, ~5 ms).

use std::path::PathBuf;
use std::time::Instant;

use digest::content::highlight::Highlighter;
use digest::content::{load_articles, RenderEnv};

/// mimalloc, as in the `digest` binary (src/allocator.rs), so that the floor is timed on
/// the allocator a build runs on.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: digest::allocator::Allocator = digest::allocator::Allocator;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: floor SITE_DIR [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let highlighter = Highlighter::default();
    let started = Instant::now();
    highlighter.highlight("fn main() {}\n", "rust");
    eprintln!(
        "syntax set loaded in {} ms (not counted)",
        started.elapsed().as_millis()
    );
    // The default taxonomies (tags, models, people), as a site without [[taxonomies]] has.
    let taxonomies: Vec<String> = digest::config::DEFAULTS[1..]
        .iter()
        .map(|t| t.0.to_string())
        .collect();
    let env = RenderEnv {
        highlighter: &highlighter,
        base_path: "/",
        taxonomies: &taxonomies,
        images: digest::images::Settings::defaults(),
        timezone: &digest::schedule::UTC,
    };
    let mut times = Vec::with_capacity(rounds);
    for round in 1..=rounds {
        let started = Instant::now();
        let (articles, problems) = load_articles(&root, &env);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let failed = articles.values().filter(|a| a.is_err()).count();
        if failed > 0 || !problems.is_empty() {
            eprintln!("{failed} articles failed to load; fix the corpus first");
            std::process::exit(1);
        }
        println!("round {round}: {} articles in {ms:.0} ms", articles.len());
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    println!("floor median: {:.0} ms", times[times.len() / 2]);
}
