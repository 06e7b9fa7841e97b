//! The quick path of a rebuild, for what `digest serve` sees on nearly every save: an
//! article edited in place (same date, slug, companies, terms and events, so it keeps its
//! place in every list), a template edited, a static file rewritten.
//!
//! The full path (`Session::update` and `render_to_memory`) rebuilds the site model, the
//! plan, every page's fingerprint and every article's card, which is hundreds of
//! milliseconds at 10,000 articles even when one page changes. Here the last build's model
//! is patched instead: the edited article is swapped into its slot, only its versions and
//! card are recomputed, and only the pages that can show it (or whose template changed)
//! are fingerprinted again. The result is the same as the full path's (see the tests).
//!
//! Anything else (an article added, removed, moved in time or regrouped; config, profiles,
//! pages; a static file added or removed; any error) returns `None` before touching the
//! session, and the full path runs.

use super::*;
use crate::render::plan::PageKind;

/// What a build in memory computed, kept for the next rebuild's quick path.
pub(super) struct Model {
    /// Shared only with the `Built` handed out last; the quick path needs it unshared.
    pub site: Arc<Site>,
    pub versions: Versions,
    pub jobs: Vec<PageJob>,
    /// Each article's card, as `Renderer::with_cards` takes them.
    pub cards: Vec<serde_json::Value>,
    pub salt: u64,
    pub template_versions: HashMap<String, u64>,
}

/// One edited article: its index in the site, its file, and what it parsed into.
struct Edit {
    index: usize,
    path: PathBuf,
    article: Arc<Article>,
}

impl Session {
    /// Rebuilds through the quick path, or `None` (with the session untouched) when it
    /// does not apply.
    pub(super) fn quick_rebuild(&mut self, changes: &Changes) -> Option<Result<Built, BuildError>> {
        if changes.all || changes.profiles_or_pages || !self.walk_problems.is_empty() {
            return None;
        }
        let mut clock = Stopwatch::from_env();
        let root = self.options.root.clone();
        let drafts = self.options.drafts;
        let loaded = self.loaded.as_ref()?;
        let model = self.model.as_mut()?;
        self.last.as_ref()?;
        // Static files are served from disk: rewriting one changes no output, adding or
        // removing one does.
        if changes.statics {
            let copies = static_files(&root).ok()?;
            let same = copies.len() == loaded.copies.len()
                && copies
                    .iter()
                    .zip(loaded.copies.iter())
                    .all(|(a, b)| a.path == b.path && a.source == b.source);
            if !same {
                return None;
            }
        }
        let theme = if changes.templates {
            let theme = loaded.theme.updated(&root)?;
            if !theme.assets().eq(loaded.theme.assets()) {
                return None;
            }
            Some(theme)
        } else {
            None
        };
        let taxonomies = loaded.config.term_taxonomy_names();
        let env = RenderEnv {
            highlighter: &self.highlighter,
            base_path: &loaded.config.base_path,
            taxonomies: &taxonomies,
        };
        let parsed: Vec<Option<Arc<Article>>> = changes
            .articles
            .par_iter()
            .map(|path| {
                path.is_file()
                    .then(|| load_article(&root, path, &env).ok().map(Arc::new))
                    .flatten()
            })
            .collect();
        let mut edits = Vec::with_capacity(parsed.len());
        for (path, new) in changes.articles.iter().zip(parsed) {
            let new = new?;
            let Some(Ok(old)) = self.articles.get(path) else {
                return None;
            };
            let included = |a: &Article| drafts || !a.draft;
            if !included(old) || !included(&new) {
                return None;
            }
            let index = model
                .site
                .articles
                .iter()
                .position(|a| Arc::ptr_eq(a, old))?;
            if !same_place(&model.site, index, old, &new)
                || edits.iter().any(|e: &Edit| e.index == index)
            {
                return None;
            }
            edits.push(Edit {
                index,
                path: path.clone(),
                article: new,
            });
        }
        Arc::get_mut(&mut model.site)?;
        clock.lap("quick path: read and check the changed files");

        // From here on the session changes. On an error the model is dropped, so the next
        // rebuild takes the full path from what is loaded now, as after a full path's error.
        for e in &edits {
            self.articles
                .insert(e.path.clone(), Ok(Arc::clone(&e.article)));
        }
        let loaded = self.loaded.as_mut().expect("checked above");
        if let Some(theme) = theme {
            loaded.theme = theme;
        }
        let last = self.last.as_mut().expect("checked above");
        let result = patch(loaded, model, last, &edits, changes.templates, &mut clock);
        if result.is_err() {
            self.model = None;
        }
        Some(result)
    }
}

/// Whether `new` takes exactly `old`'s place (article `i`) in the site model: same URL,
/// dates, groups and events, so the order, terms, related articles and timeline stay.
fn same_place(site: &Site, i: usize, old: &Article, new: &Article) -> bool {
    let same_events = old.events.len() == new.events.len()
        && old.events.iter().zip(&new.events).all(|(a, b)| {
            a.date == b.date
                && a.title == b.title
                && a.anchor == b.anchor
                && a.companies == b.companies
        });
    // Articles of one date are ordered by title: a new title keeps the place when no
    // neighbour shares the date (the articles are sorted by date first).
    let no_tie = |j: Option<usize>| {
        j.and_then(|j| site.articles.get(j))
            .is_none_or(|other| other.date != new.date)
    };
    old.path == new.path
        && old.slug == new.slug
        && old.date == new.date
        && old.updated == new.updated
        && old.draft == new.draft
        && old.companies == new.companies
        && old.terms == new.terms
        && same_events
        && (old.title == new.title || (no_tie(i.checked_sub(1)) && no_tie(Some(i + 1))))
}

/// Swaps the edits into the model, re-renders the pages whose fingerprint changed, and
/// updates `last` to the new build.
fn patch(
    loaded: &Loaded,
    model: &mut Model,
    last: &mut LastBuild,
    edits: &[Edit],
    templates: bool,
    clock: &mut Stopwatch,
) -> Result<Built, BuildError> {
    let config = &loaded.config;
    let site = Arc::get_mut(&mut model.site).expect("checked unshared");
    let mut cards_changed = false;
    let mut search_changed = false;
    for e in edits {
        let old = std::mem::replace(&mut site.articles[e.index], Arc::clone(&e.article));
        search_changed |=
            old.title != e.article.title || old.summary_text != e.article.summary_text;
        if model.versions.update(site, e.index) {
            cards_changed = true;
            model.cards[e.index] = card(config, site, e.index);
        }
    }
    let site: &Site = site;
    let old_templates = if templates {
        let new = loaded.theme.versions();
        Some(std::mem::replace(&mut model.template_versions, new))
    } else {
        None
    };
    let template_changed = |job: &PageJob| {
        old_templates.as_ref().is_some_and(|old| {
            let name = job.kind.template();
            old.get(name) != model.template_versions.get(name)
        })
    };
    let edited = |i: usize| edits.iter().any(|e| e.index == i);
    // The pages whose fingerprint may have changed. A changed card can be on any list
    // page, so then every page is checked (still far cheaper than rebuilding the model);
    // a body shows only on its own page and in feeds.
    let check: Vec<&PageJob> = model
        .jobs
        .iter()
        .filter(|job| {
            cards_changed
                || template_changed(job)
                || match job.kind {
                    PageKind::Article(i) => edited(i),
                    PageKind::Feed(_) => !edits.is_empty(),
                    _ => false,
                }
        })
        .collect();
    let inputs = Inputs {
        site,
        versions: &model.versions,
        config,
    };
    let salt = model.salt;
    let template_versions = &model.template_versions;
    let checked: Vec<(String, u64)> = check
        .par_iter()
        .map(|job| {
            let t = template_versions
                .get(job.kind.template())
                .copied()
                .unwrap_or(0);
            (
                job.file(),
                fingerprint(&inputs, job, crate::hash::of(&(salt, t))),
            )
        })
        .collect();
    let stale: Vec<PageJob> = check
        .iter()
        .zip(&checked)
        .filter(|(_, (file, fp))| {
            last.fingerprints.get(file) != Some(fp) || !last.files.contains_key(file)
        })
        .map(|(job, _)| (*job).clone())
        .collect();
    clock.lap(&format!(
        "quick path: fingerprint {} pages, {} stale",
        checked.len(),
        stale.len()
    ));
    let sink = MemorySink::default();
    let renderer = Renderer::with_cards(
        config,
        site,
        &loaded.theme,
        std::mem::take(&mut model.cards),
    );
    let rendered = renderer.render_into(&stale, &sink);
    model.cards = renderer.into_cards();
    let rendered = rendered.map_err(BuildError)?;
    if search_changed {
        let _ = sink.put(site_files::search_index(site));
    }
    clock.lap("quick path: render");
    let fresh = sink.0.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut changed: Vec<String> = fresh
        .iter()
        .filter(|(path, bytes)| last.files.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .collect();
    changed.sort_unstable();
    if !changed.is_empty() {
        let mut files = (*last.files).clone();
        files.extend(fresh);
        last.files = Arc::new(files);
    }
    last.fingerprints.extend(checked);
    clock.lap("quick path: swap the new files in");
    let article_count = site.articles.len();
    Ok(Built {
        config: config.clone(),
        files: Arc::clone(&last.files),
        copies: Arc::clone(&loaded.copies),
        article_count,
        site: Arc::clone(&model.site),
        rendered,
        changed,
    })
}
