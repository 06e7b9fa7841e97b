//! A build session: keeps what the last build loaded and rendered, so that a rebuild after
//! a change re-reads only the changed files and re-renders only the pages whose
//! fingerprint changed. `digest build` is a session's first, full build; `digest serve`
//! keeps one session alive.

use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::{load_config, static_files, BuildOptions};
use crate::config::Config;
use crate::content::highlight::{stylesheet, Highlighter};
use crate::content::load::{load_article, ArticleFiles};
use crate::content::{
    load_articles, load_edition_intros, load_pages, load_profiles, Article, CompanyProfile,
    Content, EditionIntro, Page, RenderEnv,
};
use crate::error::{BuildError, Diagnostic, Diagnostics};
use crate::hash::Fnv;
use crate::images::card::CardText;
use crate::output::{Claim, CopiedFile, OutputFile, Sink, Staging};
use crate::render::fingerprint::{self, fingerprint, Fingerprint, Inputs, Readers, Versions};
use crate::render::renderer::Kept;
use crate::render::site_files::{self, SearchIndex};
use crate::render::views::{share_card, share_card_of, share_card_path};
use crate::render::{plan, PageJob, Renderer, Theme};
use crate::site::Site;

mod quick;

/// The built site's files: path below the output root -> bytes.
pub type SiteFiles = HashMap<String, Arc<[u8]>>;

/// What changed since the last build, as the watcher classified it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Everything: config.toml changed, or this is the first build.
    pub all: bool,
    pub templates: bool,
    /// Company profiles, standalone pages or edition intros.
    pub profiles_or_pages: bool,
    pub statics: bool,
    /// Article files (on disk) added, edited, renamed or removed.
    pub articles: Vec<PathBuf>,
}

impl Changes {
    pub fn everything() -> Changes {
        Changes {
            all: true,
            ..Changes::default()
        }
    }
}

/// One article file's parse result.
type Parsed = Result<Arc<Article>, Vec<Diagnostic>>;

/// What a full build written to disk reports.
pub struct Written {
    pub config: Config,
    pub article_count: usize,
    pub file_count: usize,
    /// Images whose responsive variants were made (not found in the cache).
    pub images_processed: usize,
    /// Share cards drawn (not found in the cache).
    pub cards_drawn: usize,
}

/// The result of a successful (re)build.
pub struct Built {
    pub config: Config,
    pub files: Arc<SiteFiles>,
    pub copies: Arc<Vec<CopiedFile>>,
    pub article_count: usize,
    /// The site model this build rendered.
    pub site: Arc<Site>,
    /// Pages rendered this time (fewer than all on an incremental rebuild).
    pub rendered: usize,
    /// Output paths whose bytes changed, were added, or went away.
    pub changed: Vec<String>,
}

/// A long-lived builder.
pub struct Session {
    options: BuildOptions,
    highlighter: Highlighter,
    /// Every article file, parsed or with its problems.
    articles: ArticleFiles,
    walk_problems: Vec<Diagnostic>,
    loaded: Option<Loaded>,
    last: Option<LastBuild>,
    /// What the last build in memory computed, for the quick path of the next one.
    model: Option<quick::Model>,
    /// What the last update's image stage did.
    images: crate::images::CacheReport,
    /// Whether `update` makes the image variants missing from the cache.
    make_images: bool,
}

/// What is loaded besides articles; replaced whole when it changes.
struct Loaded {
    config: Config,
    theme: Theme,
    profiles: Vec<CompanyProfile>,
    /// Whether `profiles` are what the files say: false after an error reading them (which
    /// a missing logo file under `static/` can be, so a change there reads them again).
    profiles_ok: bool,
    pages: Vec<Page>,
    intros: Vec<EditionIntro>,
    /// The files under `static/`.
    copies: Arc<Vec<CopiedFile>>,
    /// What the build copies: `copies` and the files of the site's folder articles (set by
    /// `update` with the site model).
    all_copies: Arc<Vec<CopiedFile>>,
    stylesheet: Arc<[u8]>,
    /// The files of `data/`.
    data: Arc<crate::content::data::Data>,
}

struct LastBuild {
    fingerprints: HashMap<String, u64>,
    files: Arc<SiteFiles>,
    /// A private copy of `files`, made by [`Session::prepare`] between rebuilds.
    spare: Option<SiteFiles>,
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            highlighter: Highlighter::default(),
            articles: ArticleFiles::new(),
            walk_problems: Vec::new(),
            loaded: None,
            last: None,
            model: None,
            images: Default::default(),
            make_images: true,
        }
    }

    /// A session that never makes image variants (for `digest check`, which writes
    /// nothing): pages still name them.
    pub fn without_making_images(mut self) -> Session {
        self.make_images = false;
        self
    }

    /// Fixes "now" for the next rebuilds (`None`: the clock again), as tests move time on.
    pub fn set_now(&mut self, now: Option<i64>) {
        self.options.now = now;
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// `[images]` of the config last loaded, if one is.
    pub fn image_settings(&self) -> Option<&crate::images::Settings> {
        self.loaded.as_ref().map(|l| &l.config.images)
    }

    /// Rebuilds after `changes` into memory. On error the last good build stays as it was.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Built, BuildError> {
        let changes = &self.with_static_images(changes);
        if let Some(result) = self.quick_rebuild(changes) {
            return result;
        }
        let (site, everything) = self.update(changes)?;
        let loaded = self.loaded.as_ref().expect("loaded by update");
        let last = if everything { None } else { self.last.as_ref() };
        let (built, fingerprints, model) = render_to_memory(loaded, site, last)?;
        self.last = Some(LastBuild {
            fingerprints,
            files: Arc::clone(&built.files),
            spare: None,
        });
        self.model = Some(model);
        Ok(built)
    }

    /// `changes`, plus, when static files changed, the articles whose lead image or body
    /// images are under `static/` and those that did not parse (their image may have been
    /// missing), and the profiles when one has its logo there: they are read again, so
    /// that their images are measured and hashed again.
    fn with_static_images(&self, changes: &Changes) -> Changes {
        let mut changes = changes.clone();
        if changes.statics && !changes.all {
            changes.profiles_or_pages |= self.loaded.as_ref().is_some_and(|l| {
                !l.profiles_ok
                    || l.profiles
                        .iter()
                        .any(|p| p.logo.as_ref().is_some_and(|l| l.in_static))
            });
            let statics = self.options.root.join("static");
            for (path, parsed) in &self.articles {
                let uses_static = parsed.as_ref().map_or(true, |a| {
                    a.image.as_ref().is_some_and(|i| i.in_static)
                        || a.rasters
                            .iter()
                            .any(|u| u.raster.source.starts_with(&statics))
                });
                if uses_static && !changes.articles.contains(path) {
                    changes.articles.push(path.clone());
                }
            }
        }
        changes
    }

    /// Work done ahead for the next rebuild, for `digest serve` to call while it waits for
    /// changes: a private copy of the file table (the server shares the current one), so
    /// the next quick rebuild swaps its pages in without copying 10,000 entries first.
    pub fn prepare(&mut self) {
        if let (Some(last), Some(_)) = (self.last.as_mut(), self.model.as_ref()) {
            if last.spare.is_none() {
                last.spare = Some((*last.files).clone());
            }
        }
    }

    /// A full build written straight into `out` through a staging folder: each page goes
    /// to disk as soon as it is rendered, so memory does not grow with the output.
    /// `claim` is the output folder, found free or digest's; the rest of its check (that an
    /// earlier output holds nothing digest did not write) runs beside the loading.
    pub fn build_into(&mut self, claim: &Claim) -> Result<Written, BuildError> {
        let mut clock = Stopwatch::from_env();
        let out = claim.dir.as_path();
        let (loaded, verified) = std::thread::scope(|s| {
            let verified = s.spawn(|| claim.verify());
            let loaded = self.update(&Changes::everything());
            (loaded, verified.join())
        });
        let refused = |why: &str| {
            BuildError(vec![super::output_problem(
                &self.options,
                &claim.shown,
                why,
            )])
        };
        match verified {
            Ok(Ok(())) => {}
            Ok(Err(refusal)) => return Err(refused(&refusal.0)),
            Err(_) => return Err(refused("could not be checked")),
        }
        let (site, _) = loaded?;
        clock.lap("load content and build the site model");
        let loaded = self.loaded.as_ref().expect("loaded by update");
        let jobs = planned_jobs(loaded, &site);
        let extras = extra_files(loaded, &site, &jobs, site_files::search_index(&site))?;
        let mut paths: HashSet<String> = jobs.iter().map(PageJob::file).collect();
        paths.extend(extras.iter().map(|f| f.path.clone()));
        check_static_clashes(&paths, &loaded.all_copies)?;
        clock.lap("plan pages, sitemaps and search index");
        let io = |e: std::io::Error| {
            BuildError(vec![Diagnostic::file(
                out,
                format!("cannot write the site here: {e}"),
            )])
        };
        let mut staging = Staging::new(claim).map_err(io)?;
        let copies = loaded.all_copies.iter().map(|c| c.path.as_str());
        staging
            .prepare(paths.iter().map(String::as_str).chain(copies))
            .map_err(io)?;
        clock.lap("prepare the staging folder");
        let renderer = Renderer::new(&loaded.config, &site, &loaded.theme);
        renderer.render_into(&jobs, &staging).map_err(BuildError)?;
        // The cards were made on the pool's threads: freed there, in parallel, they cost a
        // fraction of freeing them here one by one (~50 ms at 10,000 articles).
        renderer.into_cards().into_par_iter().for_each(drop);
        clock.lap("render and write pages");
        let extra_count = extras.len();
        for f in extras {
            staging.put(f).map_err(io)?;
        }
        let cache = self.options.root.join(crate::images::CACHE_DIR);
        staging.copy(&loaded.all_copies, Some(&cache)).map_err(io)?;
        staging.commit().map_err(io)?;
        clock.lap("write the rest and swap the output in");
        Ok(Written {
            config: loaded.config.clone(),
            article_count: site.articles.len(),
            file_count: jobs.len() + extra_count + loaded.all_copies.len(),
            images_processed: self.images.processed,
            cards_drawn: self.images.cards,
        })
    }

    /// Reloads what `changes` touched and builds the site model; says whether everything
    /// was reloaded (so nothing of the last build can be reused).
    fn update(&mut self, changes: &Changes) -> Result<(Arc<Site>, bool), BuildError> {
        // The quick path's model is of the site before this update.
        self.model = None;
        let everything = changes.all || self.loaded.is_none();
        if everything {
            self.reload_all()?;
        } else if let Err(e) = self.reload_parts(changes) {
            // Part of the batch may be read and the rest not (an article edited beside a
            // broken profile): forget what is loaded, so the next rebuild reads it all.
            self.loaded = None;
            return Err(e);
        }
        let loaded = self.loaded.as_ref().expect("loaded above");
        let mut problems = Diagnostics::default();
        self.walk_problems
            .iter()
            .cloned()
            .for_each(|d| problems.push(d));
        let now = self.options.clock().map_err(|m| {
            BuildError(vec![Diagnostic::file(
                std::path::Path::new(crate::schedule::NOW_VARIABLE),
                m,
            )])
        })?;
        let mut articles = Vec::with_capacity(self.articles.len());
        for result in self.articles.values() {
            match result {
                Ok(a) if self.options.shows(a, now) => articles.push(Arc::clone(a)),
                Ok(_) => {}
                Err(ds) => ds.iter().cloned().for_each(|d| problems.push(d)),
            }
        }
        if !problems.is_empty() {
            return Err(problems.into_error());
        }
        let pages = loaded
            .pages
            .iter()
            .filter(|p| self.options.drafts || !p.draft)
            .cloned()
            .collect();
        let content = Content {
            articles,
            profiles: loaded.profiles.clone(),
            pages,
            taxonomies: loaded.config.term_taxonomy_names(),
            edition_intros: loaded.intros.clone(),
            editions: loaded.config.editions,
        };
        let mut site = Site::from_content(content).map_err(Diagnostics::into_error)?;
        // Scheduled stories are only in the site when asked for: then they are marked.
        site.now = self.options.future.then_some(now);
        site.data = Arc::clone(&loaded.data);
        let root = &self.options.root;
        let uses = site
            .articles
            .iter()
            .flat_map(|a| a.rasters.iter().map(move |u| (a.path.as_path(), u)));
        let cards: Vec<CardText> = (0..site.articles.len())
            .filter_map(|i| share_card(&loaded.config, &site, i))
            .collect();
        if self.make_images {
            self.images =
                crate::images::ensure(root, &loaded.config.images, uses).map_err(BuildError)?;
            self.images.cards = crate::images::ensure_cards(root, &cards).map_err(BuildError)?;
            let sources = site.articles.iter().flat_map(|a| &a.rasters);
            crate::images::save_index(
                &root.join(crate::images::CACHE_DIR),
                sources.map(|u| u.raster.source.as_path()),
            );
        }
        let loaded = self.loaded.as_mut().expect("loaded above");
        loaded.all_copies = Arc::new(published_copies(
            &loaded.copies,
            &site,
            root,
            &loaded.config.images,
            &cards,
        ));
        Ok((Arc::new(site), everything))
    }

    fn reload_all(&mut self) -> Result<(), BuildError> {
        let config = load_config(&self.options)?;
        let root = self.options.root.clone();
        // The image hashes an earlier build kept: unchanged images are not read again.
        crate::images::load_index(&root.join(crate::images::CACHE_DIR));
        let taxonomies = config.term_taxonomy_names();
        let env = RenderEnv {
            highlighter: &self.highlighter,
            base_path: &config.base_path,
            taxonomies: &taxonomies,
            images: &config.images,
            timezone: &config.timezone,
        };
        let mut problems = Diagnostics::default();
        let ((theme, (articles, walk)), (profiles, pages)) = rayon::join(
            || {
                rayon::join(
                    || Theme::load(&root, &config),
                    || load_articles(&root, &env),
                )
            },
            || {
                rayon::join(
                    || load_profiles(&root, &env),
                    || (load_pages(&root, &env), load_edition_intros(&root, &env)),
                )
            },
        );
        self.articles = articles;
        self.walk_problems = walk;
        let (pages, intros) = pages;
        let (theme, profiles, pages, intros) = (
            collect(theme, &mut problems),
            collect(profiles, &mut problems),
            collect(pages, &mut problems),
            collect(intros, &mut problems),
        );
        let copies = static_files(&root)
            .map_err(|e| e.0.into_iter().for_each(|d| problems.push(d)))
            .ok();
        let data = crate::content::data::load(&root)
            .map_err(|ds| ds.into_iter().for_each(|d| problems.push(d)))
            .ok()
            .map(Arc::new);
        let (Some(mut theme), Some(profiles), Some(pages), Some(intros), Some(copies), Some(data)) =
            (theme, profiles, pages, intros, copies, data)
        else {
            // Keep the previous good state, but forget it is current: the next change
            // reloads everything again.
            self.loaded = None;
            return Err(problems.into_error());
        };
        theme.use_data(Arc::clone(&data));
        self.loaded = Some(Loaded {
            data,
            config,
            theme,
            profiles,
            profiles_ok: true,
            pages,
            intros,
            copies: Arc::new(copies),
            all_copies: Arc::default(),
            stylesheet: stylesheet().into_bytes().into(),
        });
        Ok(())
    }

    fn reload_parts(&mut self, changes: &Changes) -> Result<(), BuildError> {
        let root = self.options.root.clone();
        let loaded = self
            .loaded
            .as_mut()
            .expect("reload_parts needs a loaded session");
        let taxonomies = loaded.config.term_taxonomy_names();
        let env = RenderEnv {
            highlighter: &self.highlighter,
            base_path: &loaded.config.base_path,
            taxonomies: &taxonomies,
            images: &loaded.config.images,
            timezone: &loaded.config.timezone,
        };
        let fail = |ds: Vec<Diagnostic>| BuildError(ds);
        if changes.templates {
            loaded.theme = Theme::load(&root, &loaded.config).map_err(fail)?;
            loaded.theme.use_data(Arc::clone(&loaded.data));
        }
        if changes.profiles_or_pages {
            let profiles = load_profiles(&root, &env);
            loaded.profiles_ok = profiles.is_ok();
            loaded.profiles = profiles.map_err(fail)?;
            loaded.pages = load_pages(&root, &env).map_err(fail)?;
            loaded.intros = load_edition_intros(&root, &env).map_err(fail)?;
        }
        if changes.statics {
            loaded.copies = Arc::new(static_files(&root)?);
        }
        // A folder moved in or out: walk the articles again (cheap next to parsing, and
        // unchanged files are not re-read... they are, but only once per move).
        let moved = changes.articles.iter().any(|p| p.is_dir());
        let updates: Vec<(PathBuf, Option<Parsed>)> = changes
            .articles
            .par_iter()
            .filter(|_| !moved)
            .map(|path| {
                let parsed = path
                    .is_file()
                    .then(|| load_article(&root, path, &env).map(Arc::new));
                (path.clone(), parsed)
            })
            .collect();
        // So does a folder article's `index.md` added or removed: the Markdown files below
        // it become its files, or articles again.
        let folders_changed = updates.iter().any(|(path, parsed)| {
            crate::content::image::folder_of(&root, path).is_some()
                && parsed.is_some() != self.articles.contains_key(path)
        });
        if moved || folders_changed {
            let (articles, walk) = load_articles(&root, &env);
            self.articles = articles;
            self.walk_problems = walk;
            return Ok(());
        }
        for (path, parsed) in updates {
            match parsed {
                Some(result) => self.articles.insert(path, result),
                None => self.articles.remove(&path),
            };
        }
        Ok(())
    }
}

/// The value, or its problems moved into `problems`.
fn collect<T>(result: Result<T, Vec<Diagnostic>>, problems: &mut Diagnostics) -> Option<T> {
    result
        .map_err(|ds| ds.into_iter().for_each(|d| problems.push(d)))
        .ok()
}

/// Every page of the site, in plan order.
fn planned_jobs(loaded: &Loaded, site: &Site) -> Vec<PageJob> {
    let assets: Vec<String> = loaded.theme.assets().map(str::to_string).collect();
    plan(site, &loaded.config, &assets)
}

/// The files that are not pages: sitemaps, robots.txt, the search index (`search`), the
/// highlighting stylesheet, GitHub Pages' markers and the redirect pages (an old address
/// over a page, or given twice, is an error).
fn extra_files(
    loaded: &Loaded,
    site: &Site,
    jobs: &[PageJob],
    search: OutputFile,
) -> Result<Vec<OutputFile>, BuildError> {
    let config = &loaded.config;
    let mut extras =
        crate::render::redirects::redirect_files(config, site, jobs).map_err(|ds| {
            let mut all = Diagnostics::default();
            ds.into_iter().for_each(|d| all.push(d));
            all.into_error()
        })?;
    extras.extend(site_files::sitemaps(config, site, jobs));
    extras.push(site_files::robots(config));
    extras.push(search);
    // GitHub Pages: serve files as they are, without Jekyll.
    extras.push(OutputFile::new(".nojekyll", Vec::new()));
    if let Some(domain) = &config.cname {
        extras.push(OutputFile::new("CNAME", format!("{domain}\n").into_bytes()));
    }
    extras.push(OutputFile::new("highlight.css", loaded.stylesheet.to_vec()));
    Ok(extras)
}

/// Keeps rendered files in a map, for `digest serve`.
#[derive(Default)]
struct MemorySink(Mutex<SiteFiles>);

impl Sink for MemorySink {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(file.path, file.bytes.into());
        Ok(())
    }
}

/// Renders into memory the pages whose fingerprints differ from `last` (all when there is
/// none), and reuses the rest of `last`.
fn render_to_memory(
    loaded: &Loaded,
    site_arc: Arc<Site>,
    last: Option<&LastBuild>,
) -> Result<(Built, HashMap<String, u64>, quick::Model), BuildError> {
    let config = &loaded.config;
    let site = &*site_arc;
    let jobs = planned_jobs(loaded, site);
    // The cards' views are made once, for the renderer and for the fingerprints.
    let (cards, card_versions) = fingerprint::cards(config, site);
    let versions = Versions::of(site, config, card_versions);
    let inputs = Inputs {
        site,
        versions: &versions,
        config,
    };
    let template_versions = loaded.theme.versions();
    let salt = global_salt(config, site);
    let prints = fingerprints(
        &inputs,
        salt,
        &template_versions,
        &jobs.iter().collect::<Vec<_>>(),
    );
    let readers = Readers::of(site.articles.len(), prints.iter().map(|(_, p)| p));
    let fingerprints: HashMap<String, u64> = prints.into_iter().map(|(f, p)| (f, p.hash)).collect();
    let stale: Vec<PageJob> = jobs
        .iter()
        .filter(|job| {
            let file = job.file();
            last.is_none_or(|l| {
                l.fingerprints.get(&file) != fingerprints.get(&file) || !l.files.contains_key(&file)
            })
        })
        .cloned()
        .collect();
    let sink = MemorySink::default();
    let renderer = Renderer::with_cards(config, site, &loaded.theme, cards);
    let rendered_count = renderer.render_into(&stale, &sink).map_err(BuildError)?;
    let kept = renderer.into_kept();
    let search = SearchIndex::of(site);
    for f in extra_files(loaded, site, &jobs, search.file())? {
        let _ = sink.put(f);
    }
    let mut files = sink.0.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(l) = last {
        for job in &jobs {
            let file = job.file();
            if let Some(bytes) = l.files.get(&file) {
                files.entry(file).or_insert_with(|| Arc::clone(bytes));
            }
        }
    }
    let paths: HashSet<String> = files.keys().cloned().collect();
    check_static_clashes(&paths, &loaded.all_copies)?;
    let changed = changed_paths(last.map(|l| &*l.files), &files);
    Ok((
        Built {
            config: config.clone(),
            files: Arc::new(files),
            copies: Arc::clone(&loaded.all_copies),
            article_count: site.articles.len(),
            site: Arc::clone(&site_arc),
            rendered: rendered_count,
            changed,
        },
        fingerprints,
        quick::Model {
            site: site_arc,
            versions,
            readers,
            jobs,
            kept,
            search,
            salt,
            template_versions,
        },
    ))
}

/// The output file and fingerprint of each of `jobs`, salted with `salt` (what every page
/// shows) and the version of the job's template.
fn fingerprints(
    inputs: &Inputs<'_>,
    salt: u64,
    template_versions: &HashMap<String, u64>,
    jobs: &[&PageJob],
) -> Vec<(String, Fingerprint)> {
    jobs.par_iter()
        .map(|job| {
            let t = template_versions
                .get(job.kind.template())
                .copied()
                .unwrap_or(0);
            (
                job.file(),
                fingerprint(inputs, job, crate::hash::of(&(salt, t))),
            )
        })
        .collect()
}

/// Prints how long each phase of a build took when `DIGEST_TIMINGS` is set (for profiling;
/// see BENCHMARKS.md): wall time, the CPU time of all threads, and their ratio (how many
/// cores the phase kept busy).
struct Stopwatch(Option<(std::time::Instant, std::time::Duration)>);

impl Stopwatch {
    fn from_env() -> Stopwatch {
        Stopwatch(
            std::env::var_os("DIGEST_TIMINGS").map(|_| (std::time::Instant::now(), cpu_time())),
        )
    }

    fn lap(&mut self, phase: &str) {
        if let Some((started, cpu_before)) = self.0 {
            let cpu = cpu_time();
            self.0 = Some((std::time::Instant::now(), cpu));
            let wall = started.elapsed().as_secs_f64() * 1000.0;
            let busy = (cpu - cpu_before).as_secs_f64() * 1000.0;
            eprintln!(
                "{wall:>8.1} ms  {busy:>8.1} ms CPU  {:>4.2} cores  {phase}",
                busy / wall.max(0.001)
            );
        }
    }
}

/// User plus system CPU time of this process so far (all threads).
fn cpu_time() -> std::time::Duration {
    // SAFETY: getrusage fills the zeroed struct it is given and reads nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    std::time::Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

/// What every page shows: the config, the navigation and the company logos.
fn global_salt(config: &Config, site: &Site) -> u64 {
    let mut h = Fnv::default();
    (
        &config.title,
        &config.description,
        &config.base_url,
        &config.language,
        &config.author,
    )
        .hash(&mut h);
    (config.paginate_by, config.feed_limit).hash(&mut h);
    // Every page is given `site.extra` and `data`.
    config.extra.hash(&mut h);
    site.data.hash(&mut h);
    for p in &site.pages {
        (&p.title, &p.slug).hash(&mut h);
    }
    // Every link to a company carries its logo (cards, timelines, editions...): a logo
    // added, changed or removed re-renders every page rather than trusting each page's
    // fingerprint to include the links it shows.
    for p in &site.profiles {
        p.logo.hash(&mut h);
    }
    h.finish()
}

/// The static files, then each article's folder files at the article's URL, then the
/// logos beside the profiles (at `companies/<file>`), then the variants of the images
/// articles show, then the articles' share cards (from the image cache in `root`), each once.
fn published_copies(
    statics: &[CopiedFile],
    site: &Site,
    root: &std::path::Path,
    images: &crate::images::Settings,
    cards: &[CardText],
) -> Vec<CopiedFile> {
    let mut copies = statics.to_vec();
    for a in &site.articles {
        let at = a.path_in_site();
        copies.extend(a.assets.iter().map(|asset| CopiedFile {
            source: asset.source.clone(),
            path: format!("{at}{}", asset.rel),
        }));
    }
    copies.extend(
        site.profiles
            .iter()
            .filter_map(|p| p.logo.as_ref().filter(|l| !l.in_static))
            .map(|logo| CopiedFile {
                source: logo.source.clone(),
                path: logo.path.clone(),
            }),
    );
    let cache = root.join(crate::images::CACHE_DIR);
    let mut variants = HashSet::new();
    for u in site.articles.iter().flat_map(|a| &a.rasters) {
        for v in crate::images::variants(images, &u.raster) {
            if variants.insert(v.name.clone()) {
                copies.push(CopiedFile {
                    source: cache.join(&v.name),
                    path: v.path(),
                });
            }
        }
    }
    copies.extend(cards.iter().map(|card| card_copy(root, card)));
    copies
}

/// Where share card `card` is copied from (the image cache in `root`) and to.
fn card_copy(root: &std::path::Path, card: &CardText) -> CopiedFile {
    CopiedFile {
        source: root.join(crate::images::CACHE_DIR).join(card.name()),
        path: share_card_path(card),
    }
}

/// A static file or a folder article's file that would replace a generated one, or
/// another such file, is an error: one of them would be lost.
fn check_static_clashes(
    generated: &HashSet<String>,
    copies: &[CopiedFile],
) -> Result<(), BuildError> {
    let mut first: HashMap<&str, &CopiedFile> = HashMap::with_capacity(copies.len());
    let clashes: Vec<Diagnostic> = copies
        .iter()
        .filter_map(|c| {
            let message = if generated.contains(&c.path) {
                format!(
                    "this file would replace the generated /{}; rename or remove it",
                    c.path
                )
            } else if let Some(other) = first.insert(&c.path, c) {
                first.insert(&other.path, other);
                format!(
                    "this file and {} would both be published as /{}; rename or remove one",
                    other.source.display(),
                    c.path
                )
            } else {
                return None;
            };
            Some(Diagnostic::file(&c.source, message))
        })
        .collect();
    if clashes.is_empty() {
        Ok(())
    } else {
        Err(BuildError(clashes))
    }
}

fn changed_paths(old: Option<&SiteFiles>, new: &SiteFiles) -> Vec<String> {
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(path, bytes)| old.and_then(|o| o.get(*path)).is_none_or(|b| b != *bytes))
        .map(|(path, _)| path.clone())
        .collect();
    if let Some(old) = old {
        changed.extend(old.keys().filter(|p| !new.contains_key(*p)).cloned());
    }
    changed.sort_unstable();
    changed
}
