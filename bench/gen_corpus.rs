//! Generates a synthetic digest site for benchmarks: `config.toml`, N articles under
//! `content/articles/YYYY/` and profiles for half of the companies under `content/companies/`.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- 10000 /tmp/corpus
//! ```
//!
//! The output is deterministic: article `i` is drawn from its own pseudo-random stream
//! (splitmix64 seeded from a constant and `i`), so the corpus is the same on every run and
//! with any number of threads. Each article has ~600 words of Markdown with `##` headings,
//! a bulleted list, links, and one fenced Rust block whose text differs from every other
//! article's, so no cache can skip highlighting. Only `std` is used.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[path = "splitmix.rs"]
mod splitmix;
use splitmix::Rng;

/// The constant every article's stream is derived from.
const SEED: u64 = 0x00D1_6E57_2019_2025;

/// 2019-01-01 and 2025-12-31 as days since 1970-01-01.
const FIRST_DAY: i64 = 17_897;
const LAST_DAY: i64 = 20_453;

/// Words per article body, roughly.
const BODY_WORDS: usize = 600;

/// Companies: name, alias (written to the profile only; articles use the name), founded,
/// headquarters. The first `PROFILED` get a profile file.
const COMPANIES: [(&str, &str, u16, &str); 40] = [
    (
        "OpenAI",
        "Open AI LP",
        2015,
        "San Francisco, California, US",
    ),
    (
        "Anthropic",
        "Anthropic PBC",
        2021,
        "San Francisco, California, US",
    ),
    ("Mistral AI", "Mistral", 2023, "Paris, France"),
    ("Google DeepMind", "DeepMind", 2010, "London, UK"),
    ("Meta AI", "FAIR", 2013, "Menlo Park, California, US"),
    (
        "Nvidia",
        "NVIDIA Corporation",
        1993,
        "Santa Clara, California, US",
    ),
    ("DeepSeek", "DeepSeek AI", 2023, "Hangzhou, China"),
    ("Cohere", "Cohere Inc", 2019, "Toronto, Canada"),
    ("xAI", "X.AI Corp", 2023, "Palo Alto, California, US"),
    ("Alibaba Cloud", "Qwen Team", 2009, "Hangzhou, China"),
    ("Hugging Face", "HF", 2016, "New York, US"),
    ("Stability AI", "Stability", 2019, "London, UK"),
    ("AI21 Labs", "AI21", 2017, "Tel Aviv, Israel"),
    (
        "Aleph Alpha",
        "Aleph Alpha GmbH",
        2019,
        "Heidelberg, Germany",
    ),
    (
        "Perplexity",
        "Perplexity AI",
        2022,
        "San Francisco, California, US",
    ),
    (
        "Cerebras",
        "Cerebras Systems",
        2015,
        "Sunnyvale, California, US",
    ),
    ("Groq", "Groq Inc", 2016, "Mountain View, California, US"),
    (
        "Databricks",
        "Mosaic ML",
        2013,
        "San Francisco, California, US",
    ),
    ("Microsoft", "MSFT", 1975, "Redmond, Washington, US"),
    ("Amazon", "AWS", 1994, "Seattle, Washington, US"),
    ("Apple", "Apple Inc", 1976, "Cupertino, California, US"),
    ("Samsung", "Samsung Electronics", 1969, "Suwon, South Korea"),
    ("TSMC", "Taiwan Semiconductor", 1987, "Hsinchu, Taiwan"),
    (
        "AMD",
        "Advanced Micro Devices",
        1969,
        "Santa Clara, California, US",
    ),
    (
        "Intel",
        "Intel Corporation",
        1968,
        "Santa Clara, California, US",
    ),
    ("Baidu", "Baidu Inc", 2000, "Beijing, China"),
    ("Zhipu AI", "Zhipu", 2019, "Beijing, China"),
    ("Moonshot AI", "Moonshot", 2023, "Beijing, China"),
    ("Reka", "Reka AI", 2022, "Sunnyvale, California, US"),
    (
        "Inflection AI",
        "Inflection",
        2022,
        "Palo Alto, California, US",
    ),
    (
        "Character AI",
        "Character",
        2021,
        "Menlo Park, California, US",
    ),
    ("Runway", "Runway ML", 2018, "New York, US"),
    (
        "Midjourney",
        "Midjourney Inc",
        2021,
        "San Francisco, California, US",
    ),
    ("Scale AI", "Scale", 2016, "San Francisco, California, US"),
    (
        "CoreWeave",
        "CoreWeave Inc",
        2017,
        "Livingston, New Jersey, US",
    ),
    ("Sakana AI", "Sakana", 2023, "Tokyo, Japan"),
    ("Adept", "Adept AI", 2022, "San Francisco, California, US"),
    ("Poolside", "Poolside AI", 2023, "Paris, France"),
    ("Figure", "Figure AI", 2022, "Sunnyvale, California, US"),
    (
        "Safe Superintelligence",
        "SSI",
        2024,
        "Palo Alto, California, US",
    ),
];

/// How many companies get a profile file.
const PROFILED: usize = 20;

const TAGS: [&str; 30] = [
    "reasoning",
    "chips",
    "open-weights",
    "funding",
    "regulation",
    "safety",
    "agents",
    "coding",
    "robotics",
    "datacenters",
    "benchmarks",
    "multimodal",
    "video",
    "speech",
    "search",
    "enterprise",
    "consumer",
    "china-ai",
    "europe",
    "policy",
    "lawsuits",
    "partnerships",
    "acquisitions",
    "research",
    "training",
    "inference",
    "energy",
    "talent",
    "licensing",
    "hardware",
];

const VERBS: [&str; 16] = [
    "unveils",
    "ships",
    "previews",
    "open-sources",
    "prices",
    "delays",
    "expands",
    "benchmarks",
    "retires",
    "licenses",
    "rebuilds",
    "scales up",
    "doubles down on",
    "trims",
    "tests",
    "launches",
];

const ADJECTIVES: [&str; 16] = [
    "compact",
    "multilingual",
    "long-context",
    "low-latency",
    "sparse",
    "distilled",
    "on-device",
    "open",
    "frontier",
    "efficient",
    "agentic",
    "audited",
    "quantised",
    "retrieval-backed",
    "cheaper",
    "faster",
];

const PRODUCTS: [&str; 16] = [
    "reasoning model",
    "coding assistant",
    "inference chip",
    "training cluster",
    "speech model",
    "vision model",
    "agent framework",
    "safety policy",
    "embedding model",
    "API tier",
    "data centre",
    "robot platform",
    "video generator",
    "search product",
    "licensing deal",
    "model family",
];

const AUDIENCES: [&str; 12] = [
    "developers",
    "banks",
    "hospitals",
    "schools",
    "law firms",
    "governments",
    "call centres",
    "game studios",
    "newsrooms",
    "chip designers",
    "small businesses",
    "researchers",
];

const CODENAMES: [&str; 16] = [
    "Orion", "Atlas", "Nova", "Helix", "Quill", "Ember", "Cobalt", "Lumen", "Vega", "Tessera",
    "Falcon", "Juniper", "Onyx", "Pioneer", "Sable", "Zephyr",
];

const SUBJECTS: [&str; 16] = [
    "The company",
    "Its engineers",
    "The research team",
    "Analysts",
    "Early customers",
    "Rival labs",
    "Investors",
    "Regulators",
    "The chief executive",
    "Independent testers",
    "Cloud providers",
    "Open-source maintainers",
    "The new model",
    "The technical report",
    "Partners",
    "Critics",
];

const PREDICATES: [&str; 20] = [
    "said the release would reach more customers this quarter",
    "pointed to lower prices per million tokens",
    "described the training run as the largest to date",
    "questioned how the benchmark figures were measured",
    "expect the hardware to arrive in volume next year",
    "noted that the weights are available under a permissive licence",
    "argued that evaluation practice has not kept pace",
    "reported faster responses on long documents",
    "flagged energy use as the main constraint",
    "welcomed the added documentation and model card",
    "compared the results with last year's flagship",
    "stressed that the system still makes confident mistakes",
    "plan to integrate it into existing products",
    "called the pricing aggressive",
    "published the evaluation code alongside the paper",
    "saw gains mostly on mathematics and code",
    "warned about supply of high-bandwidth memory",
    "asked for clearer rules on training data",
    "measured a drop in cost for routine tasks",
    "framed the move as a response to competition",
];

const CLAUSES: [&str; 12] = [
    "according to people familiar with the plans",
    "in a statement on Tuesday",
    "while declining to share revenue figures",
    "after months of limited testing",
    "ahead of a wider rollout",
    "despite export restrictions",
    "in a post on the company blog",
    "citing internal measurements",
    "at a developer event",
    "in a filing seen by reporters",
    "during an earnings call",
    "with few technical details",
];

const HEADINGS: [&str; 12] = [
    "What was announced",
    "The numbers",
    "How it works",
    "Why it matters",
    "What customers say",
    "The competition",
    "Open questions",
    "Pricing and availability",
    "Under the hood",
    "Regulatory angle",
    "What comes next",
    "Background",
];

/// Article `i`'s stream of draws of `kind`.
fn stream(kind: u64, i: u64) -> Rng {
    Rng::seeded(SEED ^ kind.wrapping_mul(0xA076_1D64_78BD_642F) ^ i)
}

/// (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn write_date(out: &mut String, day: i64) {
    let (y, m, d) = civil_from_days(day);
    let _ = write!(out, "{y:04}-{m:02}-{d:02}");
}

/// Lowercase ASCII slug, words joined by `-` (the names here are ASCII already).
fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Appends `s` as a TOML basic string, quotes included.
fn toml_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn toml_list(out: &mut String, items: &[&str]) {
    out.push('[');
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        toml_str(out, item);
    }
    out.push(']');
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One sentence, appended with a trailing space; returns its word count.
fn sentence(out: &mut String, rng: &mut Rng, company: &str) -> usize {
    let before = out.len();
    let subject = if rng.below(4) == 0 {
        company
    } else {
        rng.pick(&SUBJECTS)
    };
    out.push_str(subject);
    out.push(' ');
    out.push_str(rng.pick(&PREDICATES));
    match rng.below(6) {
        0 => {
            out.push_str(", ");
            out.push_str(rng.pick(&CLAUSES));
        }
        1 => {
            let _ = write!(
                out,
                ", with *{}* throughput up {}%",
                rng.pick(&ADJECTIVES),
                rng.range(3, 140)
            );
        }
        2 => {
            let _ = write!(out, " and set `max_tokens` to {}", rng.range(1, 256) * 1024);
        }
        _ => {}
    }
    out.push_str(". ");
    out[before..].split_ascii_whitespace().count()
}

/// A paragraph of about `words` words, ending in a blank line.
fn paragraph(out: &mut String, rng: &mut Rng, company: &str, words: usize) -> usize {
    let mut n = 0;
    while n < words {
        n += sentence(out, rng, company);
    }
    out.pop();
    out.push_str("\n\n");
    n
}

/// The one Rust block: names and constants come from the article's index and stream.
fn rust_block(out: &mut String, rng: &mut Rng, i: usize, codename: &str, company: &str) {
    let lower = codename.to_ascii_lowercase();
    let mul = rng.next() | 1;
    let modulus = 1000 + rng.below(90_000);
    let params = rng.range(1, 400);
    let context = rng.range(4, 1024) * 1024;
    let threshold = rng.below(1000) as f64 / 1000.0;
    let _ = write!(
        out,
        "```rust\n\
         /// Scores a batch for {company}'s {codename} (article {i}).\n\
         pub fn score_{i}(tokens: &[u32]) -> u64 {{\n\
         \x20   let mut acc: u64 = {seed:#x};\n\
         \x20   for (i, t) in tokens.iter().enumerate() {{\n\
         \x20       acc = acc.wrapping_mul({mul:#x}).wrapping_add(u64::from(*t) ^ i as u64);\n\
         \x20   }}\n\
         \x20   acc % {modulus}\n\
         }}\n\
         \n\
         #[derive(Debug, Clone)]\n\
         struct Model {{\n\
         \x20   name: &'static str,\n\
         \x20   params_b: u32,\n\
         \x20   context: usize,\n\
         }}\n\
         \n\
         const {upper}: Model = Model {{ name: \"{lower}-{i}\", params_b: {params}, context: {context} }};\n\
         \n\
         fn main() {{\n\
         \x20   let score = score_{i}(&[{a}, {b}, {c}]);\n\
         \x20   if (score as f64) / {modulus}.0 > {threshold:.3} {{\n\
         \x20       println!(\"{{}} passes with {{score}}\", {upper}.name);\n\
         \x20   }}\n\
         }}\n\
         ```\n\n",
        seed = rng.next(),
        upper = lower.to_ascii_uppercase(),
        a = rng.below(50_000),
        b = rng.below(50_000),
        c = rng.below(50_000),
    );
}

/// Writes article `i` into `out`; returns its path below `content/articles/`.
fn article(out: &mut String, i: usize) -> String {
    let mut rng = stream(1, i as u64);
    let day = FIRST_DAY + rng.below((LAST_DAY - FIRST_DAY + 1) as usize) as i64;
    let (year, _, _) = civil_from_days(day);

    let (n_companies, n_tags) = (rng.range(1, 3), rng.range(1, 3));
    let company_ids = rng.distinct(n_companies, COMPANIES.len());
    let tag_ids = rng.distinct(n_tags, TAGS.len());
    let companies: Vec<&str> = company_ids.iter().map(|&c| COMPANIES[c].0).collect();
    let tags: Vec<&str> = tag_ids.iter().map(|&t| TAGS[t]).collect();
    let lead = companies[0];
    let codename = rng.pick(&CODENAMES);
    let version = rng.range(1, 9);
    let adjective = rng.pick(&ADJECTIVES);
    let product = rng.pick(&PRODUCTS);
    let audience = rng.pick(&AUDIENCES);

    // Some titles quote a code name, to exercise string escaping.
    let title = if rng.below(5) == 0 {
        format!(
            "{lead} {} \"{codename}-{version}\", a {adjective} {product}",
            rng.pick(&VERBS)
        )
    } else {
        format!(
            "{lead} {} {adjective} {product} for {audience}",
            rng.pick(&VERBS)
        )
    };
    let slug = format!("{}-{i}", slugify(&title));

    out.clear();
    out.push_str("+++\ntitle = ");
    toml_str(out, &title);
    out.push_str("\ndate = ");
    write_date(out, day);
    out.push_str("\nsummary = ");
    let summary = format!(
        "{lead}'s {codename} {version} is a {adjective} {product} aimed at {audience}; \
         {} {}.",
        rng.pick(&SUBJECTS).to_lowercase(),
        rng.pick(&PREDICATES)
    );
    toml_str(out, &summary);
    out.push_str("\ncompanies = ");
    toml_list(out, &companies);
    out.push_str("\ntags = ");
    toml_list(out, &tags);
    out.push('\n');
    for s in 0..rng.range(1, 2) {
        out.push_str("\n[[sources]]\ntitle = ");
        toml_str(
            out,
            &format!(
                "{}: {codename} {version} announcement, part {}",
                lead,
                s + 1
            ),
        );
        let _ = writeln!(
            out,
            "\nurl = \"https://example.com/sources/{slug}/{}\"",
            s + 1
        );
    }
    for _ in 0..rng.below(3) {
        out.push_str("\n[[events]]\ndate = ");
        write_date(out, (day - rng.below(30) as i64).max(FIRST_DAY));
        out.push_str("\ntitle = ");
        toml_str(
            out,
            &format!(
                "{} {} {codename} {version}",
                companies[rng.below(companies.len())],
                rng.pick(&VERBS)
            ),
        );
        out.push('\n');
    }
    out.push_str("+++\n");

    // Body: intro, four sections (one a list, one the code), ~BODY_WORDS words in all.
    let lead_slug = slugify(lead);
    let _ = write!(
        out,
        "[{lead}](/companies/{lead_slug}/) {} its {codename} {version} {product} \
         {}, and the {} {} ",
        rng.pick(&VERBS),
        rng.pick(&CLAUSES),
        rng.pick(&ADJECTIVES),
        rng.pick(&PRODUCTS)
    );
    paragraph(out, &mut rng, lead, 60);

    let headings = rng.distinct(4, HEADINGS.len());
    let per_section = (BODY_WORDS - 80) / 4;
    for (section, &h) in headings.iter().enumerate() {
        let _ = write!(out, "## {}\n\n", HEADINGS[h]);
        match section {
            1 => {
                paragraph(out, &mut rng, lead, per_section / 3);
                for item in 0..rng.range(3, 5) {
                    let t = &TAGS[rng.below(TAGS.len())];
                    let _ = writeln!(
                        out,
                        "- {} for {}: see [{t}](/tags/{t}/) and the \
                         [spec sheet](https://example.com/{lead_slug}/{i}/{item})",
                        capitalize(rng.pick(&ADJECTIVES)),
                        rng.pick(&AUDIENCES),
                    );
                }
                out.push('\n');
                paragraph(out, &mut rng, lead, per_section / 3);
            }
            2 => {
                paragraph(out, &mut rng, lead, per_section / 3);
                rust_block(out, &mut rng, i, codename, lead);
                paragraph(out, &mut rng, lead, per_section / 3);
            }
            _ => {
                paragraph(out, &mut rng, lead, per_section / 2);
                paragraph(out, &mut rng, lead, per_section / 2);
            }
        }
    }
    if companies.len() > 1 {
        let other = companies[1];
        let _ = writeln!(out, "See also [{other}](/companies/{}/).", slugify(other));
    }
    format!("{year}/{slug}.md")
}

/// A company profile: two paragraphs.
fn profile(out: &mut String, c: usize) -> String {
    let (name, alias, founded, hq) = COMPANIES[c];
    let mut rng = stream(2, c as u64);
    let slug = slugify(name);
    out.clear();
    out.push_str("+++\nname = ");
    toml_str(out, name);
    out.push_str("\naliases = ");
    toml_list(out, &[alias]);
    let _ = write!(
        out,
        "\nwebsite = \"https://example.com/{slug}\"\nfounded = {founded}\nheadquarters = "
    );
    toml_str(out, hq);
    out.push_str("\n+++\n");
    let _ = write!(
        out,
        "{name} was founded in {founded} and is based in {hq}. "
    );
    paragraph(out, &mut rng, name, 70);
    paragraph(out, &mut rng, name, 70);
    format!("{slug}.md")
}

fn config() -> String {
    "# Generated by bench/gen_corpus.rs for benchmarks.\n\
     title = \"The Synthetic Ledger\"\n\
     description = \"A generated digest for build benchmarks.\"\n\
     base_url = \"https://example.com/\"\n\
     paginate_by = 10\n"
        .to_string()
}

fn run(n: usize, root: &Path) -> Result<(), String> {
    let content = root.join("content");
    if content.exists() {
        return Err(format!(
            "{} already exists; give an empty or new folder",
            content.display()
        ));
    }
    let articles = content.join("articles");
    let err = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    let (first_year, _, _) = civil_from_days(FIRST_DAY);
    let (last_year, _, _) = civil_from_days(LAST_DAY);
    for year in first_year..=last_year {
        let dir = articles.join(year.to_string());
        fs::create_dir_all(&dir).map_err(|e| err(&dir, e))?;
    }
    let companies = content.join("companies");
    fs::create_dir_all(&companies).map_err(|e| err(&companies, e))?;
    let config_path = root.join("config.toml");
    fs::write(&config_path, config()).map_err(|e| err(&config_path, e))?;

    let mut buf = String::new();
    for c in 0..PROFILED {
        let file = companies.join(profile(&mut buf, c));
        fs::write(&file, &buf).map_err(|e| err(&file, e))?;
    }

    // Articles in parallel: thread t writes i = t, t + threads, ...
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(n.max(1));
    let articles = &articles;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || -> Result<(), String> {
                    let mut buf = String::with_capacity(8 * 1024);
                    for i in (t..n).step_by(threads) {
                        let file: PathBuf = articles.join(article(&mut buf, i));
                        fs::write(&file, &buf).map_err(|e| err(&file, e))?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a writer thread panicked".into()))
            })
            .collect::<Result<Vec<()>, String>>()
    })?;
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (n, root) = match args.as_slice() {
        [n, root] => match n.replace('_', "").parse::<usize>() {
            Ok(n) => (n, PathBuf::from(root)),
            Err(_) => {
                eprintln!("gen_corpus: `{n}` is not a number of articles");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: cargo run --release --example gen_corpus -- N OUTDIR");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    match run(n, &root) {
        Ok(()) => {
            eprintln!(
                "wrote {n} articles and {PROFILED} company profiles into {} in {} ms",
                root.display(),
                start.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
