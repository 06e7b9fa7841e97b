//! The quick path of a rebuild, for what `digest serve` sees on nearly every save: an
//! article edited in place (the same `Article::placement`: date, slug, companies, terms
//! and events' dates, so it keeps its place in every list), a template edited, a static file
//! rewritten.
//!
//! The full path (`Session::update` and `render_to_memory`) rebuilds the site model, the
//! plan, every page's fingerprint and every article's card, which is hundreds of
//! milliseconds at 10,000 articles even when one page changes. Here the last build's model
//! is patched instead: the edited article is swapped into its slot, only its versions and
//! search entry are recomputed (its card and timeline months are made again on first use),
//! and only the pages whose last fingerprint read it (or whose template changed) are
//! fingerprinted again. The result is the same as the full path's (see the tests).
//!
//! Anything else (an article added, removed, moved in time or regrouped; config, profiles,
//! pages; a static file added or removed; any error) returns `None` before touching the
//! session, and the full path runs.

use super::*;
use std::path::Path;

/// What a build in memory computed, kept for the next rebuild's quick path.
pub(super) struct Model {
    /// Shared only with the `Built` handed out last; the quick path needs it unshared.
    pub site: Arc<Site>,
    pub versions: Versions,
    /// Which pages show each article, from the last fingerprints of all pages.
    pub readers: Readers,
    pub jobs: Vec<PageJob>,
    /// Each article's card and the timeline months kept, for `Renderer::with_kept`.
    pub kept: Kept,
    pub search: SearchIndex,
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
            return skip("config, profiles, pages or folders changed");
        }
        let mut clock = Stopwatch::from_env();
        let root = self.options.root.clone();
        let (drafts, future) = (self.options.drafts, self.options.future);
        let Ok(now) = self.options.clock() else {
            return skip("the build's clock cannot be read");
        };
        let (Some(loaded), Some(model), Some(_)) = (
            self.loaded.as_ref(),
            self.model.as_mut(),
            self.last.as_ref(),
        ) else {
            return skip("no last build in memory");
        };
        // A story shown as scheduled has gone live since: its mark leaves every page that
        // shows it, which only a full rebuild (its cards' versions change) finds.
        let went_live = model.site.now.is_some_and(|then| {
            model.site.articles.iter().any(|a| {
                crate::schedule::is_scheduled(&a.date, then)
                    && !crate::schedule::is_scheduled(&a.date, now)
            })
        });
        if went_live {
            return skip("a scheduled story went live");
        }
        // Static files are served from disk: rewriting one changes no output, adding or
        // removing one does.
        if changes.statics {
            let Ok(copies) = static_files(&root) else {
                return skip("static files cannot be listed");
            };
            let same = copies.len() == loaded.copies.len()
                && copies
                    .iter()
                    .zip(loaded.copies.iter())
                    .all(|(a, b)| a.path == b.path && a.source == b.source);
            if !same {
                return skip("static files added or removed");
            }
        }
        let theme = if changes.templates {
            let Some(theme) = loaded.theme.updated(&root) else {
                return skip("templates added, removed or broken");
            };
            if !theme.assets().eq(loaded.theme.assets()) {
                return skip("theme assets changed");
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
            images: &loaded.config.images,
            timezone: &loaded.config.timezone,
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
            let Some(new) = new else {
                return skip("an article is gone or does not parse");
            };
            let Some(Ok(old)) = self.articles.get(path) else {
                return skip("a new article, or one that did not parse before");
            };
            // Left out of the site before or now (a draft, a scheduled story), or going
            // from scheduled to live: the site's lists change, not one page.
            let scheduled = |a: &Article| crate::schedule::is_scheduled(&a.date, now);
            let included = |a: &Article| (drafts || !a.draft) && (future || !scheduled(a));
            if !included(old) || !included(&new) || scheduled(old) != scheduled(&new) {
                return skip("a draft or a scheduled story");
            }
            let Some(index) = model.site.articles.iter().position(|a| Arc::ptr_eq(a, old)) else {
                return skip("an article not in the site model");
            };
            if !same_place(&model.site, index, old, &new)
                || edits.iter().any(|e: &Edit| e.index == index)
            {
                return skip("an article moved, or changed companies, terms or event dates");
            }
            if old
                .rasters
                .iter()
                .map(|u| &u.raster)
                .ne(new.rasters.iter().map(|u| &u.raster))
                || old.image.is_some() != new.image.is_some()
            {
                // Variants to make, and copies to add: the full path does both.
                return skip("an article shows other images");
            }
            edits.push(Edit {
                index,
                path: path.clone(),
                article: new,
            });
        }
        if Arc::get_mut(&mut model.site).is_none() {
            return skip("the last site model is still in use");
        }
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
        if let Err(e) = redraw_cards(loaded, &model.site, &edits, &root, self.make_images) {
            self.model = None;
            return Some(Err(e));
        }
        let last = self.last.as_mut().expect("checked above");
        let result = patch(loaded, model, last, &edits, changes.templates, &mut clock);
        if result.is_err() {
            self.model = None;
        }
        Some(result)
    }
}

/// The share cards the edits change (a new title, say; `site` still holds the old
/// articles): drawn into the cache when `draw`, and copied in place of the old ones. An
/// article keeps having a card or not (a lead image added or removed takes the full path).
fn redraw_cards(
    loaded: &mut Loaded,
    site: &Site,
    edits: &[Edit],
    root: &Path,
    draw: bool,
) -> Result<(), BuildError> {
    let config = &loaded.config;
    let moved: Vec<(CardText, CardText)> = edits
        .iter()
        .filter_map(|e| {
            let old = share_card(config, site, e.index)?;
            let new = share_card_of(config, site, e.index, &e.article)?;
            (old != new).then_some((old, new))
        })
        .collect();
    if moved.is_empty() {
        return Ok(());
    }
    if draw {
        let new: Vec<CardText> = moved.iter().map(|(_, new)| new.clone()).collect();
        crate::images::ensure_cards(root, &new).map_err(BuildError)?;
    }
    let copies = Arc::make_mut(&mut loaded.all_copies);
    for (old, new) in &moved {
        let path = share_card_path(old);
        if let Some(copy) = copies.iter_mut().find(|c| c.path == path) {
            *copy = card_copy(root, new);
        }
    }
    Ok(())
}

/// `None`, saying why when `DIGEST_TIMINGS` is set.
fn skip<T>(why: &str) -> Option<T> {
    if std::env::var_os("DIGEST_TIMINGS").is_some() {
        eprintln!("quick path skipped: {why}");
    }
    None
}

/// Whether `new` takes exactly `old`'s place (article `i`) in the site model: the same
/// [`Article::placement`], and an order among its neighbours that a new title keeps.
fn same_place(site: &Site, i: usize, old: &Article, new: &Article) -> bool {
    let before = |a: &Article, b: &Article| a.order_key() < b.order_key();
    let in_order = i
        .checked_sub(1)
        .is_none_or(|j| before(&site.articles[j], new))
        && site
            .articles
            .get(i + 1)
            .is_none_or(|next| before(new, next));
    old.placement() == new.placement() && in_order
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
    let mut search_changed = false;
    let mut cards_changed = Vec::new();
    for e in edits {
        site.articles[e.index] = Arc::clone(&e.article);
        search_changed |= model.search.update(site, e.index);
        if model.versions.update(config, site, e.index) {
            cards_changed.push(e.index);
        }
        model.kept.edited(site, e.index);
    }
    let site: &Site = site;
    let old_templates = if templates {
        model.kept.restyled();
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
    // The pages whose fingerprint may have changed: those that show an edited article
    // (the edit keeps its place, so the same pages show it; only those showing its body
    // when its card is the same), and those of a changed template.
    let mut check: Vec<usize> = edits
        .iter()
        .flat_map(|e| {
            let card_changed = cards_changed.contains(&e.index);
            model.readers.of_article(e.index, card_changed)
        })
        .collect();
    if old_templates.is_some() {
        check.extend((0..model.jobs.len()).filter(|&j| template_changed(&model.jobs[j])));
    }
    check.sort_unstable();
    check.dedup();
    let check: Vec<&PageJob> = check.into_iter().map(|j| &model.jobs[j]).collect();
    let inputs = Inputs {
        site,
        versions: &model.versions,
        config,
    };
    let checked: Vec<(String, u64)> =
        fingerprints(&inputs, model.salt, &model.template_versions, &check)
            .into_iter()
            .map(|(file, print)| (file, print.hash))
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
    let rendered = if stale.is_empty() {
        0
    } else {
        let kept = std::mem::take(&mut model.kept);
        let renderer = Renderer::with_kept(config, site, &loaded.theme, kept);
        let rendered = renderer.render_into(&stale, &sink);
        model.kept = renderer.into_kept();
        rendered.map_err(BuildError)?
    };
    if search_changed {
        let _ = sink.put(model.search.file());
    }
    let fresh = sink.0.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut changed: Vec<String> = fresh
        .iter()
        .filter(|(path, bytes)| last.files.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .collect();
    changed.sort_unstable();
    // A page rendered to the same bytes had a fingerprint that changed for nothing.
    clock.lap(&format!(
        "quick path: render ({} of the files unchanged)",
        fresh.len() - changed.len()
    ));
    if !changed.is_empty() {
        let mut files = last.spare.take().unwrap_or_else(|| (*last.files).clone());
        files.extend(fresh);
        last.files = Arc::new(files);
    }
    last.fingerprints.extend(checked);
    clock.lap("quick path: swap the new files in");
    let article_count = site.articles.len();
    Ok(Built {
        config: config.clone(),
        files: Arc::clone(&last.files),
        copies: Arc::clone(&loaded.all_copies),
        article_count,
        site: Arc::clone(&model.site),
        rendered,
        changed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::path::Path;

    fn article(title: &str, date: &str, extra: &str, body: &str) -> String {
        format!("+++\ntitle = \"{title}\"\ndate = {date}\n{extra}\n+++\n{body}\n")
    }

    fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    /// A site's folder holding only `config.toml`.
    fn with_config(config: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "config.toml", config);
        dir
    }

    /// Twelve articles over three companies and two tags, all on different dates but two,
    /// a stylesheet override and a static file.
    fn site() -> tempfile::TempDir {
        let dir =
            with_config("title = \"T\"\nbase_url = \"https://example.com/sub/\"\nfeed_limit = 5\n");
        let root = dir.path();
        for i in 0..12 {
            let day = if i == 11 { 10 } else { i + 1 };
            let extra = format!(
                "summary = \"S{i}\"\ncompanies = [\"C{}\"]\ntags = [\"t{}\"]",
                i % 3,
                i % 2
            );
            write(
                root,
                &format!("content/articles/a{i}.md"),
                &article(
                    &format!("Story {i}"),
                    &format!("2025-01-{day:02}"),
                    &extra,
                    "Body.",
                ),
            );
        }
        write(root, "templates/style.css", "body { color: red }\n");
        write(root, "static/extra.css", "p { margin: 0 }\n");
        dir
    }

    fn session(root: &Path) -> Session {
        Session::new(BuildOptions {
            root: root.to_path_buf(),
            ..BuildOptions::default()
        })
    }

    /// Takes the quick path for `changes` (asserting it applies) and checks the result
    /// against a full build of the same files.
    fn quick_equals_full(s: &mut Session, root: &Path, changes: Changes) -> Built {
        let built = s
            .quick_rebuild(&changes)
            .expect("the quick path applies")
            .unwrap_or_else(|e| panic!("{e}"));
        let full = session(root).rebuild(&Changes::everything()).unwrap();
        let mut a: Vec<_> = built.files.keys().collect();
        let mut b: Vec<_> = full.files.keys().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b, "same set of files");
        for (path, bytes) in full.files.iter() {
            assert_eq!(
                String::from_utf8_lossy(&built.files[path]),
                String::from_utf8_lossy(bytes),
                "{path} differs from a full build"
            );
        }
        built
    }

    fn edit(root: &Path, i: usize, title: &str, day: usize, summary: &str, body: &str) -> Changes {
        let extra = format!(
            "summary = \"{summary}\"\ncompanies = [\"C{}\"]\ntags = [\"t{}\"]",
            i % 3,
            i % 2
        );
        let path = write(
            root,
            &format!("content/articles/a{i}.md"),
            &article(title, &format!("2025-01-{day:02}"), &extra, body),
        );
        Changes {
            articles: vec![path],
            ..Changes::default()
        }
    }

    #[test]
    fn quick_rebuilds_equal_full_builds() {
        let dir = site();
        let root = dir.path();
        let mut s = session(root);
        drop(s.rebuild(&Changes::everything()).unwrap());

        // A body edit: the article page and the feeds that carry it.
        let built = quick_equals_full(&mut s, root, edit(root, 5, "Story 5", 6, "S5", "New."));
        assert!(built.changed.contains(&"2025/01/a5/index.html".to_string()));
        assert!(!built.changed.contains(&"index.html".to_string()));
        assert!(!built.changed.contains(&"search.json".to_string()));
        drop(built);

        // A longer body changes the reading time on every card of it.
        let long = "word ".repeat(700);
        let built = quick_equals_full(&mut s, root, edit(root, 3, "Story 3", 4, "S3", &long));
        assert!(built.changed.contains(&"index.html".to_string()));
        drop(built);

        // A new title and summary: lists, neighbours and the search index.
        let built = quick_equals_full(
            &mut s,
            root,
            edit(root, 7, "Renamed", 8, "New summary", "Body."),
        );
        assert!(built.changed.contains(&"search.json".to_string()));
        drop(built);

        // A new title that keeps its place among the articles of its date.
        let built = quick_equals_full(&mut s, root, edit(root, 11, "A first", 10, "S11", "B."));
        assert!(built.changed.contains(&"index.html".to_string()));
        drop(built);

        // The stylesheet override: only style.css.
        write(root, "templates/style.css", "body { color: blue }\n");
        let changes = Changes {
            templates: true,
            ..Changes::default()
        };
        let built = quick_equals_full(&mut s, root, changes);
        assert_eq!(built.changed, vec!["style.css".to_string()]);
        drop(built);

        // A page template: every page made with it.
        write(
            root,
            "templates/404.html",
            "{% extends \"base.html\" %}{% block content %}Gone.{% endblock %}",
        );
        let changes = Changes {
            templates: true,
            ..Changes::default()
        };
        assert!(s.quick_rebuild(&changes).is_none(), "a new template file");
        drop(s.rebuild(&changes).unwrap());
        write(
            root,
            "templates/404.html",
            "{% extends \"base.html\" %}{% block content %}Gone again.{% endblock %}",
        );
        let built = quick_equals_full(&mut s, root, changes);
        assert_eq!(built.changed, vec!["404.html".to_string()]);
        drop(built);

        // A rewritten static file changes no output.
        write(root, "static/extra.css", "p { margin: 1px }\n");
        let changes = Changes {
            statics: true,
            ..Changes::default()
        };
        let built = quick_equals_full(&mut s, root, changes);
        assert!(built.changed.is_empty());
        assert_eq!(built.rendered, 0);
        drop(built);

        // An event: added (the full path), retitled (the quick path: the article's page,
        // the timeline, the company's), moved to another day (the full path).
        let event = |title: &str, day: usize| {
            let extra = format!(
                "summary = \"S6\"\ncompanies = [\"C0\"]\ntags = [\"t0\"]\n[[events]]\n\
                 date = 2025-01-{day:02}\ntitle = \"{title}\""
            );
            let path = write(
                root,
                "content/articles/a6.md",
                &article("Story 6", "2025-01-07", &extra, "Body."),
            );
            Changes {
                articles: vec![path],
                ..Changes::default()
            }
        };
        assert!(s.quick_rebuild(&event("Launch", 20)).is_none());
        drop(s.rebuild(&event("Launch", 20)).unwrap());
        let built = quick_equals_full(&mut s, root, event("Launched", 20));
        assert!(built
            .changed
            .contains(&"timeline/2025/index.html".to_string()));
        drop(built);
        assert!(s.quick_rebuild(&event("Launched", 21)).is_none());
    }

    #[test]
    fn a_title_edit_renders_only_the_pages_it_changes() {
        // 90 articles over four months, more than `/timeline/` shows; each with an event
        // a week apart in the same month, so that editions show events of articles of
        // other weeks.
        let dir = with_config("title = \"T\"\nbase_url = \"https://example.com/\"\n");
        let root = dir.path();
        let text = |i: usize, title: &str| {
            let (month, day) = (1 + i / 28, 1 + i % 28);
            let extra = format!(
                "companies = [\"C{}\"]\ntags = [\"t{}\"]\n[[events]]\ndate = 2025-{month:02}-{:02}\ntitle = \"E{i}\"",
                i % 3,
                i % 2,
                if day > 21 { day - 7 } else { day + 7 },
            );
            article(title, &format!("2025-{month:02}-{day:02}"), &extra, "Body.")
        };
        for i in 0..90 {
            write(
                root,
                &format!("content/articles/a{i}.md"),
                &text(i, &format!("Story {i}")),
            );
        }
        let mut s = session(root);
        drop(s.rebuild(&Changes::everything()).unwrap());
        for (i, title) in [
            (3, "Story 3 retitled"),
            (50, "Story 50 retitled"),
            (3, "Story 3"),
        ] {
            let path = write(root, &format!("content/articles/a{i}.md"), &text(i, title));
            let changes = Changes {
                articles: vec![path],
                ..Changes::default()
            };
            let built = quick_equals_full(&mut s, root, changes);
            let pages: Vec<&String> = built
                .changed
                .iter()
                .filter(|p| *p != "search.json")
                .collect();
            assert!(built.changed.contains(&"search.json".to_string()));
            assert!(
                pages.contains(&&"timeline/2025/index.html".to_string()),
                "{pages:?}"
            );
            assert_eq!(
                built.rendered,
                pages.len(),
                "a page rendered for nothing: {pages:?}"
            );
        }
    }

    #[test]
    fn the_full_path_takes_what_the_quick_path_cannot() {
        let dir = site();
        let root = dir.path();
        let mut s = session(root);
        drop(s.rebuild(&Changes::everything()).unwrap());
        // Moved in time.
        assert!(s
            .quick_rebuild(&edit(root, 2, "Story 2", 20, "S2", "Body."))
            .is_none());
        drop(s.rebuild(&Changes::everything()).unwrap());
        // A new title that sorts it after another article of its date (a11 and a9 are both
        // on the 10th; "Story 11" comes before "Story 9").
        assert!(s
            .quick_rebuild(&edit(root, 11, "Z last", 10, "S11", "Body."))
            .is_none());
        drop(s.rebuild(&Changes::everything()).unwrap());
        // Another company.
        let path = write(
            root,
            "content/articles/a4.md",
            &article("Story 4", "2025-01-05", "companies = [\"C9\"]", "Body."),
        );
        let changes = Changes {
            articles: vec![path],
            ..Changes::default()
        };
        assert!(s.quick_rebuild(&changes).is_none());
        // A broken article: the full path reports it, and the quick path stays off until
        // a full rebuild succeeds.
        let broken = write(root, "content/articles/a4.md", "+++\ntitle = \"x\"\n");
        let changes = Changes {
            articles: vec![broken],
            ..Changes::default()
        };
        assert!(s.quick_rebuild(&changes).is_none());
        assert!(s.rebuild(&changes).is_err());
        assert!(s
            .quick_rebuild(&edit(root, 5, "Story 5", 6, "S5", "x"))
            .is_none());
        // A `Built` still held shares the model: the full path runs.
        let fixed = edit(root, 4, "Story 4", 5, "S4", "Fixed.");
        let held = s.rebuild(&fixed).unwrap();
        assert!(s
            .quick_rebuild(&edit(root, 5, "Story 5", 6, "S5", "y"))
            .is_none());
        drop(held);
        assert!(s
            .quick_rebuild(&edit(root, 5, "Story 5", 6, "S5", "z"))
            .is_some());
    }
}
