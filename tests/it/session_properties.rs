//! A property of `digest serve`'s build session: whatever edits are made, in whatever
//! order, the session's in-memory output after each rebuild equals a fresh full build of
//! the same files, byte for byte, path for path.
//!
//! Each case is a seeded random sequence of edits over a small site (articles, company
//! profiles, edition intros, template overrides, `config.toml`), classified into `Changes`
//! by the watcher's own `classify`, as `digest serve` does. A few cases run in `cargo test`;
//! `DIGEST_PROPERTY_CASES=5000` runs more (seeds from `DIGEST_PROPERTY_FIRST`, 0 unless
//! set; tests/tools/session_properties.sh), and `DIGEST_PROPERTY_SEED=N` replays one case. A failing case is shrunk (steps dropped while
//! it still fails) and printed with its seed.

use std::collections::BTreeMap;
use std::path::Path;

use digest::pipeline::{Changes, Session};
use digest::serve::watch::classify;
use digest::BuildOptions;

/// Cases `cargo test` runs (about 10 s in a debug build), and steps per case.
const CASES: u64 = 25;
const STEPS: usize = 14;

/// splitmix64: small, seeded, the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// Up to `max` distinct items, in a random order.
    fn some<T: Copy + PartialEq>(&mut self, items: &[T], max: usize) -> Vec<T> {
        let mut chosen = Vec::new();
        for _ in 0..self.below(max + 1) {
            let item = self.pick(items);
            if !chosen.contains(&item) {
                chosen.push(item);
            }
        }
        chosen
    }
}

/// Few dates, so that articles often share a day, a week or a month; across two years,
/// and a week (2025-W01) that spans the new year.
const DATES: &[&str] = &[
    "2024-06-14",
    "2024-12-30",
    "2025-01-01",
    "2025-01-05",
    "2025-01-06",
    "2025-01-06",
    "2025-02-03",
    "2025-02-28",
];
/// Spellings: "Deepseek" and "DeepSeek" are one company, named by whichever comes first;
/// "OAI" is an alias of OpenAI while its profile lists it.
const COMPANIES: &[&str] = &[
    "OpenAI",
    "Anthropic",
    "Mistral AI",
    "DeepSeek",
    "Deepseek",
    "OAI",
    "OpenAI Group",
];
const TAGS: &[&str] = &["models", "chips", "Policy", "policy", "funding"];
const TITLES: &[&str] = &["Alpha", "Beta", "Gamma", "Alpha", "A new model"];
const SUMMARIES: &[Option<&str>] = &[None, Some("Short."), Some("Another summary.")];
const EVENT_TITLES: &[&str] = &["Launch", "Deal", "Launch"];
/// Weeks with articles, and one without.
const INTRO_KEYS: &[&str] = &["2025-W01", "2025-W02", "2024-W24", "2025-W10"];

#[derive(Clone)]
struct Event {
    date: &'static str,
    title: &'static str,
    companies: Vec<&'static str>,
}

#[derive(Clone)]
struct Article {
    title: &'static str,
    date: &'static str,
    companies: Vec<&'static str>,
    tags: Vec<&'static str>,
    summary: Option<&'static str>,
    body: String,
    events: Vec<Event>,
    /// A lead image: `static/img/N.svg`.
    image: Option<usize>,
}

impl Article {
    fn random(rng: &mut Rng) -> Article {
        let mut a = Article {
            title: rng.pick(TITLES),
            date: rng.pick(DATES),
            companies: rng.some(COMPANIES, 2),
            tags: rng.some(TAGS, 2),
            summary: rng.pick(SUMMARIES),
            body: String::new(),
            events: Vec::new(),
            image: rng.chance(30).then(|| rng.below(STATIC_IMAGES)),
        };
        a.body = body(rng);
        a.events = events(rng);
        a
    }

    fn text(&self) -> String {
        let list = |names: &[&str]| {
            let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
            format!("[{}]", quoted.join(", "))
        };
        let mut t = format!("+++\ntitle = {:?}\ndate = {}\n", self.title, self.date);
        if let Some(s) = self.summary {
            t += &format!("summary = {s:?}\n");
        }
        t += &format!("companies = {}\n", list(&self.companies));
        t += &format!("tags = {}\n", list(&self.tags));
        if let Some(n) = self.image {
            t += &format!("[image]\nsrc = \"/img/{n}.svg\"\nalt = \"Picture {n}\"\n");
        }
        for e in &self.events {
            t += &format!("[[events]]\ndate = {}\ntitle = {:?}\n", e.date, e.title);
            if !e.companies.is_empty() {
                t += &format!("companies = {}\n", list(&e.companies));
            }
        }
        t + "+++\n" + &self.body + "\n"
    }
}

/// Lead images under `static/img/`, and the folder article's.
const STATIC_IMAGES: usize = 3;
const FOLDER: &str = "content/articles/2025/folder";

/// An SVG of a random size, or (one time in eight) none: a missing lead image.
fn svg(rng: &mut Rng) -> Option<String> {
    let (w, h) = (rng.pick(&[40, 60, 1200]), rng.pick(&[30, 630]));
    (!rng.chance(12)).then(|| {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\"/>")
    })
}

fn body(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => "Body.".into(),
        1 => "Another body, with *emphasis*.".into(),
        2 => "word ".repeat(700),
        _ => format!("Paragraph {}.\n\nAnd a second.", rng.below(100)),
    }
}

fn events(rng: &mut Rng) -> Vec<Event> {
    (0..rng.below(3))
        .map(|_| Event {
            date: rng.pick(DATES),
            title: rng.pick(EVENT_TITLES),
            companies: rng.some(COMPANIES, 1),
        })
        .collect()
}

/// The profile of OpenAI: its name is either spelling, both always aliases (so that
/// articles keep resolving to it), "OAI" sometimes.
#[derive(Clone)]
struct Profile {
    file: &'static str,
    name: &'static str,
    aliases: Vec<&'static str>,
    website: Option<&'static str>,
    founded: Option<u32>,
    description: &'static str,
}

impl Profile {
    fn text(&self) -> String {
        let aliases: Vec<String> = self.aliases.iter().map(|a| format!("{a:?}")).collect();
        let mut t = format!(
            "+++\nname = {:?}\naliases = [{}]\n",
            self.name,
            aliases.join(", ")
        );
        if let Some(w) = self.website {
            t += &format!("website = {w:?}\n");
        }
        if let Some(f) = self.founded {
            t += &format!("founded = {f}\n");
        }
        t + "+++\n" + self.description + "\n"
    }
}

/// The files of the site as the case has made them so far.
struct Model {
    articles: BTreeMap<String, Article>,
    profiles: Vec<Profile>,
    intros: BTreeMap<&'static str, (Option<&'static str>, &'static str)>,
    config: (usize, usize, bool),
    next_name: usize,
    /// The fewest articles deletes leave.
    min: usize,
}

/// One step: the files it writes (`None`: removes) and what it did, for the report.
#[derive(Clone)]
struct Step {
    what: String,
    writes: Vec<(String, Option<String>)>,
}

const TEMPLATES: &[&str] = &[
    "404.html",
    "card.html",
    "edition.html",
    "style.css",
    "timeline-month.html",
];

fn builtin(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("templates")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

/// Variant `n` (from 1) of a template override: the built-in one with a visible change.
fn template(name: &str, n: usize) -> String {
    let text = builtin(name);
    match name {
        "404.html" => text.replace("Page not found", &format!("Page not found ({n})")),
        "edition.html" => text.replace(
            "<h1>{{ edition.title }}</h1>",
            &format!("<h1>{{{{ edition.title }}}} ({n})</h1>"),
        ),
        "style.css" => format!("{text}\n/* {n} */\n"),
        _ => format!("{text}<!-- variant {n} -->"),
    }
}

impl Model {
    fn config_text(&self) -> String {
        let (paginate_by, feed_limit, title) = self.config;
        format!(
            "title = \"{}\"\nbase_url = \"https://example.com/sub/\"\npaginate_by = {paginate_by}\nfeed_limit = {feed_limit}\n[editions]\nenabled = true\n",
            if title { "Digest" } else { "The Digest" }
        )
    }

    fn article_path(name: &str) -> String {
        format!("content/articles/{name}.md")
    }

    fn write_article(&self, name: &str) -> (String, Option<String>) {
        (Model::article_path(name), Some(self.articles[name].text()))
    }

    fn new_name(&mut self, prefix: &str) -> String {
        self.next_name += 1;
        format!("{prefix}{}", self.next_name)
    }

    /// The first step: every file of a new site.
    /// `big`: 26 to 30 articles, past what a company page's timeline (24 entries) shows.
    fn start(rng: &mut Rng, big: bool) -> (Model, Step) {
        let mut m = Model {
            articles: BTreeMap::new(),
            profiles: vec![
                Profile {
                    file: "openai",
                    name: "OpenAI",
                    aliases: vec!["OpenAI Group", "OAI"],
                    website: Some("https://openai.com"),
                    founded: Some(2015),
                    description: "A lab.",
                },
                Profile {
                    file: "anthropic",
                    name: "Anthropic",
                    aliases: Vec::new(),
                    website: None,
                    founded: Some(2021),
                    description: "Another lab.",
                },
            ],
            intros: BTreeMap::new(),
            config: (3, 5, true),
            next_name: 0,
            min: if big { 24 } else { 4 },
        };
        let mut writes = vec![("config.toml".to_string(), Some(m.config_text()))];
        let count = if big {
            26 + rng.below(5)
        } else {
            6 + rng.below(5)
        };
        for _ in 0..count {
            let name = m.new_name("a");
            m.articles.insert(name.clone(), Article::random(rng));
            writes.push(m.write_article(&name));
        }
        for p in &m.profiles {
            writes.push((format!("content/companies/{}.md", p.file), Some(p.text())));
        }
        for n in 0..STATIC_IMAGES {
            let picture =
                format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{n}1\" height=\"9\"/>");
            writes.push((format!("static/img/{n}.svg"), Some(picture)));
        }
        m.intros
            .insert("2025-W01", (Some("New year"), "The week the year turned."));
        writes.push(m.intro_write("2025-W01"));
        let what = format!("a site of {} articles", m.articles.len());
        (m, Step { what, writes })
    }

    fn intro_write(&self, key: &str) -> (String, Option<String>) {
        let path = format!("content/editions/{key}.md");
        let text = self.intros.get(key).map(|(title, body)| match title {
            Some(t) => format!("+++\ntitle = {t:?}\n+++\n{body}\n"),
            None => format!("+++\n+++\n{body}\n"),
        });
        (path, text)
    }

    fn any_article(&self, rng: &mut Rng) -> String {
        let names: Vec<&String> = self.articles.keys().collect();
        rng.pick(&names).to_string()
    }

    /// One random edit.
    fn edit(&mut self, rng: &mut Rng) -> Step {
        let name = self.any_article(rng);
        fn article<'m>(m: &'m mut Model, name: &str) -> &'m mut Article {
            m.articles.get_mut(name).unwrap()
        }
        let (what, writes) = match rng.below(18) {
            0 => {
                let title = rng.pick(TITLES);
                article(self, &name).title = title;
                (
                    format!("retitle {name} {title:?}"),
                    vec![self.write_article(&name)],
                )
            }
            1 | 2 => {
                let date = rng.pick(DATES);
                article(self, &name).date = date;
                (
                    format!("redate {name} {date}"),
                    vec![self.write_article(&name)],
                )
            }
            3 => {
                let companies = rng.some(COMPANIES, 3);
                let what = format!("companies of {name} {companies:?}");
                article(self, &name).companies = companies;
                (what, vec![self.write_article(&name)])
            }
            4 => {
                let tags = rng.some(TAGS, 3);
                let what = format!("tags of {name} {tags:?}");
                article(self, &name).tags = tags;
                (what, vec![self.write_article(&name)])
            }
            5 => {
                let summary = rng.pick(SUMMARIES);
                article(self, &name).summary = summary;
                (
                    format!("summary of {name} {summary:?}"),
                    vec![self.write_article(&name)],
                )
            }
            6 => {
                let body = body(rng);
                article(self, &name).body = body;
                (format!("body of {name}"), vec![self.write_article(&name)])
            }
            7 => {
                let events = events(rng);
                let what = format!("{} events in {name}", events.len());
                article(self, &name).events = events;
                (what, vec![self.write_article(&name)])
            }
            8 if self.articles.len() > self.min => {
                self.articles.remove(&name);
                (
                    format!("delete {name}"),
                    vec![(Model::article_path(&name), None)],
                )
            }
            9 | 8 if self.articles.len() < self.min + 8 => {
                let new = self.new_name("a");
                self.articles.insert(new.clone(), Article::random(rng));
                (format!("add {new}"), vec![self.write_article(&new)])
            }
            10 => {
                let new = self.new_name("r");
                let a = self.articles.remove(&name).unwrap();
                self.articles.insert(new.clone(), a);
                (
                    format!("rename {name} to {new}"),
                    vec![(Model::article_path(&name), None), self.write_article(&new)],
                )
            }
            11 => {
                let i = rng.below(self.profiles.len());
                let p = &mut self.profiles[i];
                let what = match rng.below(4) {
                    0 if p.file == "openai" => {
                        p.name = if p.name == "OpenAI" {
                            "OpenAI Group"
                        } else {
                            "OpenAI"
                        };
                        p.aliases = vec![if p.name == "OpenAI" {
                            "OpenAI Group"
                        } else {
                            "OpenAI"
                        }];
                        if rng.chance(50) {
                            p.aliases.push("OAI");
                        }
                        format!("profile {} named {} {:?}", p.file, p.name, p.aliases)
                    }
                    1 => {
                        p.website =
                            rng.pick(&[None, Some("https://a.example"), Some("https://b.example")]);
                        format!("profile {} website {:?}", p.file, p.website)
                    }
                    2 => {
                        p.founded = rng.pick(&[None, Some(2015), Some(2016)]);
                        format!("profile {} founded {:?}", p.file, p.founded)
                    }
                    _ => {
                        p.description =
                            rng.pick(&["A lab.", "A company that makes models.", "Gone."]);
                        format!("profile {} description", p.file)
                    }
                };
                let path = format!("content/companies/{}.md", p.file);
                (what, vec![(path, Some(p.text()))])
            }
            12 => {
                let key = rng.pick(INTRO_KEYS);
                let what = if rng.chance(10) {
                    // Broken (no front matter) until a later edit of it.
                    self.intros.remove(key);
                    let path = format!("content/editions/{key}.md");
                    return Step {
                        what: format!("break intro {key}"),
                        writes: vec![(path, Some("An intro.\n".into()))],
                    };
                } else if rng.chance(25) {
                    self.intros.remove(key);
                    format!("remove intro {key}")
                } else {
                    let title = rng.pick(&[None, Some("New year"), Some("A big week")]);
                    let body = rng.pick(&["An intro.", "Another intro, *longer*."]);
                    self.intros.insert(key, (title, body));
                    format!("intro {key} {title:?}")
                };
                (what, vec![self.intro_write(key)])
            }
            13 if rng.chance(30) => {
                let title = rng.pick(&["About", "About us"]);
                let summary = rng.pick(&[None, Some("Who we are."), Some("Us.")]);
                let body = rng.pick(&["We write.", "We write, *often*."]);
                let mut text = format!("+++\ntitle = {title:?}\n");
                if let Some(s) = summary {
                    text += &format!("summary = {s:?}\n");
                }
                text += &format!("+++\n{body}\n");
                (
                    format!("page about {title:?} {summary:?}"),
                    vec![("content/pages/about.md".to_string(), Some(text))],
                )
            }
            13 => {
                let name = rng.pick(TEMPLATES);
                let variant = rng.below(3);
                let path = format!("templates/{name}");
                let text = (variant > 0).then(|| template(name, variant));
                (
                    format!("template {name} variant {variant}"),
                    vec![(path, text)],
                )
            }
            15 => {
                let image = rng.chance(60).then(|| rng.below(STATIC_IMAGES));
                article(self, &name).image = image;
                (
                    format!("lead image of {name} {image:?}"),
                    vec![self.write_article(&name)],
                )
            }
            16 => {
                let n = rng.below(STATIC_IMAGES);
                let picture = svg(rng);
                let what = format!("static/img/{n}.svg {picture:?}");
                (what, vec![(format!("static/img/{n}.svg"), picture)])
            }
            17 => {
                // The folder article: its text, its lead image, another file of it.
                let (file, text) = match rng.below(4) {
                    0 => {
                        let lead = if rng.chance(70) {
                            "[image]\nsrc = \"lead.svg\"\nalt = \"Lead\"\n"
                        } else {
                            ""
                        };
                        let text = format!(
                            "+++\ntitle = \"Folder\"\ndate = 2025-01-06\n{lead}+++\n![Chart](chart.svg)\n"
                        );
                        ("index.md", (!rng.chance(15)).then_some(text))
                    }
                    1 | 2 => ("lead.svg", svg(rng)),
                    _ => ("chart.svg", svg(rng)),
                };
                let what = format!("{FOLDER}/{file} {text:?}");
                (what, vec![(format!("{FOLDER}/{file}"), text)])
            }
            _ => {
                self.config = (rng.pick(&[2, 3]), rng.pick(&[2, 5]), rng.chance(50));
                (
                    format!("config {:?}", self.config),
                    vec![("config.toml".to_string(), Some(self.config_text()))],
                )
            }
        };
        Step { what, writes }
    }
}

/// A case: the first step makes the site, each later one edits it (sometimes two edits in
/// one batch, as the watcher gathers quick saves).
fn case(seed: u64, steps: usize) -> Vec<Step> {
    let mut rng = Rng(seed);
    // One case in eight is a bigger site.
    let (mut model, first) = Model::start(&mut rng, seed % 8 == 7);
    let mut list = vec![first];
    for _ in 0..steps {
        let mut step = model.edit(&mut rng);
        if rng.chance(20) {
            let more = model.edit(&mut rng);
            step.what = format!("{} + {}", step.what, more.what);
            step.writes.extend(more.writes);
        }
        list.push(step);
    }
    list
}

fn session(root: &Path) -> Session {
    Session::new(BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    })
}

/// Runs `steps` in a new folder: after each, the session's rebuild must equal a fresh full
/// build. Returns the index of the first step where it does not, and why.
fn run(steps: &[Step]) -> Result<(), (usize, String)> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut s = session(root);
    for (n, step) in steps.iter().enumerate() {
        let mut touched = Vec::new();
        for (rel, text) in &step.writes {
            let path = root.join(rel);
            match text {
                Some(text) => {
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(&path, text).unwrap();
                }
                None => {
                    let _ = std::fs::remove_file(&path);
                }
            }
            touched.push(path);
        }
        let changes = if n == 0 {
            Changes::everything()
        } else {
            match classify(root, &touched, Path::new("public")) {
                Some(c) => c,
                None => continue,
            }
        };
        let got = s.rebuild(&changes);
        let want = session(root).rebuild(&Changes::everything());
        match (got, want) {
            (Ok(got), Ok(want)) => {
                if let Some(why) = difference(&got.files, &want.files) {
                    return Err((n, why));
                }
                let copied = |b: &digest::pipeline::Built| {
                    let mut c: Vec<(String, std::path::PathBuf)> = b
                        .copies
                        .iter()
                        .map(|c| (c.path.clone(), c.source.clone()))
                        .collect();
                    c.sort();
                    c
                };
                if copied(&got) != copied(&want) {
                    return Err((n, "the session copies other files".into()));
                }
            }
            (Err(a), Err(b)) => {
                if a.to_string() != b.to_string() {
                    return Err((n, format!("different errors:\n{a}\nversus\n{b}")));
                }
            }
            (Ok(_), Err(e)) => {
                return Err((n, format!("the session built, a full build says:\n{e}")))
            }
            (Err(e), Ok(_)) => {
                return Err((n, format!("a full build works, the session says:\n{e}")))
            }
        }
        if n % 3 == 0 {
            s.prepare();
        }
    }
    Ok(())
}

/// The first difference between two builds' files: a path only one has, or the first
/// differing path with the lines around its first difference.
fn difference(
    got: &digest::pipeline::SiteFiles,
    want: &digest::pipeline::SiteFiles,
) -> Option<String> {
    let mut only: Vec<String> = got
        .keys()
        .filter(|p| !want.contains_key(*p))
        .map(|p| format!("only in the session: {p}"))
        .chain(
            want.keys()
                .filter(|p| !got.contains_key(*p))
                .map(|p| format!("only in the full build: {p}")),
        )
        .collect();
    only.sort();
    if let Some(first) = only.first() {
        return Some(first.clone());
    }
    let mut paths: Vec<&String> = want.keys().collect();
    paths.sort();
    let path = paths.into_iter().find(|p| got[*p] != want[*p])?;
    let (a, b) = (
        String::from_utf8_lossy(&got[path]),
        String::from_utf8_lossy(&want[path]),
    );
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let at = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let around = |lines: &[&str]| {
        lines[at.saturating_sub(2)..(at + 3).min(lines.len())]
            .iter()
            .map(|l| format!("    {}", l.chars().take(300).collect::<String>()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    Some(format!(
        "{path} differs at line {}:\n  session:\n{}\n  full build:\n{}",
        at + 1,
        around(&a),
        around(&b)
    ))
}

/// Drops steps (never the first) while the case still fails: what is left is the edits
/// the failure needs.
fn shrink(mut steps: Vec<Step>) -> (Vec<Step>, (usize, String)) {
    let mut failure = run(&steps).expect_err("shrinking a failing case");
    steps.truncate(failure.0 + 1);
    let mut i = 1;
    while i < steps.len() {
        let mut fewer = steps.clone();
        fewer.remove(i);
        match run(&fewer) {
            Err(f) => {
                fewer.truncate(f.0 + 1);
                steps = fewer;
                failure = f;
            }
            Ok(()) => i += 1,
        }
    }
    (steps, failure)
}

fn report(seed: u64, steps: Vec<Step>) -> String {
    let all: Vec<String> = steps.iter().map(|s| s.what.clone()).collect();
    let (steps, (at, why)) = shrink(steps);
    let mut text = format!(
        "seed {seed} (DIGEST_PROPERTY_SEED={seed}): an incremental rebuild differs from a full build\nsteps: {all:#?}\nshrunk to {} steps, failing at step {at}:\n",
        steps.len()
    );
    for (n, step) in steps.iter().enumerate() {
        text += &format!("  step {n}: {}\n", step.what);
        if n > 0 {
            for (path, content) in &step.writes {
                match content {
                    Some(c) => {
                        text +=
                            &format!("    write {path}:\n      {}\n", c.replace('\n', "\n      "))
                    }
                    None => text += &format!("    remove {path}\n"),
                }
            }
        }
    }
    text + &why
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
fn incremental_rebuilds_equal_full_builds_after_any_edits() {
    let steps = env_number("DIGEST_PROPERTY_STEPS").map_or(STEPS, |n| n as usize);
    let seeds: Vec<u64> = match env_number("DIGEST_PROPERTY_SEED") {
        Some(seed) => vec![seed],
        None => {
            let first = env_number("DIGEST_PROPERTY_FIRST").unwrap_or(0);
            let cases = env_number("DIGEST_PROPERTY_CASES").unwrap_or(CASES);
            (first..first + cases).collect()
        }
    };
    let many = seeds.len() as u64 > CASES;
    for (n, &seed) in seeds.iter().enumerate() {
        let steps = case(seed, steps);
        if run(&steps).is_err() {
            panic!("{}", report(seed, steps));
        }
        if many && (n + 1) % 100 == 0 {
            eprintln!("{} cases passed (up to seed {seed})", n + 1);
        }
    }
}

// Regressions: the shrunk cases of failures found, as steps written out.

/// Files a step writes: (path, text, or `None` to remove it).
type Writes<'a> = &'a [(&'a str, Option<&'a str>)];

/// A case of steps given as (what, files written).
fn steps(list: &[(&str, Writes<'_>)]) -> Vec<Step> {
    list.iter()
        .map(|(what, writes)| Step {
            what: what.to_string(),
            writes: writes
                .iter()
                .map(|(p, t)| (p.to_string(), t.map(str::to_string)))
                .collect(),
        })
        .collect()
}

const CONFIG: &str =
    "title = \"T\"\nbase_url = \"https://example.com/\"\n[editions]\nenabled = true\n";
const ARTICLE: &str =
    "+++\ntitle = \"A\"\ndate = 2025-01-06\ncompanies = [\"Anthropic\"]\n+++\nBody.\n";

fn passes(case: &[Step]) {
    if let Err((at, why)) = run(case) {
        panic!("step {at} ({}): {why}", case[at].what);
    }
}

#[test]
fn a_profile_edit_reaches_its_company_page() {
    let profile = |founded: &str| {
        format!(
            "+++\nname = \"Anthropic\"\nwebsite = \"https://a.example\"\n{founded}+++\nA lab.\n"
        )
    };
    let (before, after) = (profile("founded = 2021\n"), profile(""));
    passes(&steps(&[
        (
            "a site",
            &[
                ("config.toml", Some(CONFIG)),
                ("content/articles/a.md", Some(ARTICLE)),
                ("content/companies/anthropic.md", Some(&before)),
            ],
        ),
        (
            "founded removed",
            &[("content/companies/anthropic.md", Some(&after))],
        ),
    ]));
}

#[test]
fn a_broken_intro_neither_hides_nor_keeps_the_edits_beside_it() {
    let intro = "content/editions/2025-W02.md";
    let edited = ARTICLE.replace("Body.", "New body.");
    // Edited in one batch with the broken intro, the article was never read again.
    passes(&steps(&[
        (
            "a site",
            &[
                ("config.toml", Some(CONFIG)),
                ("content/articles/a.md", Some(ARTICLE)),
            ],
        ),
        (
            "break an intro, edit an article",
            &[
                (intro, Some("An intro.\n")),
                ("content/articles/a.md", Some(&edited)),
            ],
        ),
        ("mend the intro", &[(intro, Some("+++\n+++\nAn intro.\n"))]),
    ]));
    // Edited after it, the article built with the broken intro left out.
    passes(&steps(&[
        (
            "a site",
            &[
                ("config.toml", Some(CONFIG)),
                ("content/articles/a.md", Some(ARTICLE)),
            ],
        ),
        ("break an intro", &[(intro, Some("An intro.\n"))]),
        (
            "edit an article",
            &[("content/articles/a.md", Some(&edited))],
        ),
    ]));
}

#[test]
fn a_standalone_page_edit_reaches_its_page() {
    let page = |summary: &str| {
        format!("+++\ntitle = \"About\"\nsummary = \"{summary}\"\n+++\nWho we are.\n")
    };
    let (before, after) = (page("Us."), page("Them."));
    passes(&steps(&[
        (
            "a site",
            &[
                ("config.toml", Some(CONFIG)),
                ("content/articles/a.md", Some(ARTICLE)),
                ("content/pages/about.md", Some(&before)),
            ],
        ),
        ("new summary", &[("content/pages/about.md", Some(&after))]),
    ]));
}

#[test]
fn a_companys_new_name_reaches_its_feed_when_it_has_no_articles() {
    // DeepSeek is named only in events: "DeepSeek" in a.md, "Deepseek" in the older b.md.
    // Once a.md is gone its feed, still with no entries, is titled "Deepseek".
    let event = |title: &str, date: &str, name: &str| {
        format!("+++\ntitle = \"{title}\"\ndate = {date}\n[[events]]\ndate = {date}\ntitle = \"Launch\"\ncompanies = [\"{name}\"]\n+++\nBody.\n")
    };
    let (a, b) = (
        event("A", "2025-01-06", "DeepSeek"),
        event("B", "2025-01-05", "Deepseek"),
    );
    passes(&steps(&[
        (
            "a site",
            &[
                ("config.toml", Some(CONFIG)),
                ("content/articles/a.md", Some(&a)),
                ("content/articles/b.md", Some(&b)),
            ],
        ),
        ("delete a.md", &[("content/articles/a.md", None)]),
    ]));
}

#[test]
fn a_related_companys_new_name_reaches_a_company_page_past_its_latest_articles() {
    // 30 articles about Anthropic; only the oldest names OpenAI too, beyond what the
    // company page shows of its articles, but OpenAI is on it as a related company.
    let mut files: Vec<(String, String)> = vec![("config.toml".into(), CONFIG.into())];
    for i in 0..30 {
        let companies = if i == 0 {
            "[\"Anthropic\", \"OpenAI\"]"
        } else {
            "[\"Anthropic\"]"
        };
        files.push((
            format!("content/articles/a{i}.md"),
            format!(
                "+++\ntitle = \"A{i}\"\ndate = 2024-01-{:02}\ncompanies = {companies}\n+++\nA.\n",
                i % 28 + 1
            ),
        ));
    }
    let profile = |name: &str| {
        format!("+++\nname = \"{name}\"\naliases = [\"OpenAI\", \"OpenAI Group\"]\n+++\nA lab.\n")
    };
    let (before, after) = (profile("OpenAI"), profile("OpenAI Group"));
    files.push(("content/companies/openai.md".into(), before));
    let first: Vec<(&str, Option<&str>)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), Some(t.as_str())))
        .collect();
    passes(&steps(&[
        ("a site", &first),
        (
            "rename OpenAI",
            &[("content/companies/openai.md", Some(&after))],
        ),
    ]));
}
