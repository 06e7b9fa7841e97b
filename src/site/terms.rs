//! Grouping articles under names (companies, tags): spellings matched case- and
//! space-insensitively and through profile aliases, each group on one stable ASCII slug.
//!
//! Two different names on one slug, or an alias claimed by two profiles, is an error that
//! names both files. Grouping is one pass over the articles with hash lookups: O(n).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::Diagnostic;
use crate::slug::{name_key, slugify};

/// One company, tag or other named group, with its articles newest first.
#[derive(Debug, Clone)]
pub struct Term {
    pub slug: String,
    pub name: String,
    /// Indices into the site's articles, newest first, each once.
    pub articles: Vec<usize>,
    /// (article index, event index) of the events that name this term.
    pub events: Vec<(usize, usize)>,
    /// The profile index, for companies that have one.
    pub profile: Option<usize>,
}

impl Term {
    /// The order of terms that nothing else tells apart: [`by_name`].
    pub fn name_order(&self, other: &Term) -> Ordering {
        by_name((&self.name, &self.slug), (&other.name, &other.slug))
    }

    /// The `limit` newest of the term's events (which are kept in article order, not
    /// event order), newest first; events of one date in article order, then event order.
    pub fn latest_events(&self, site: &super::Site, limit: usize) -> Vec<(usize, usize)> {
        let date = |&(a, e): &(usize, usize)| site.articles[a].events[e].date;
        let mut sorted = self.events.clone();
        sorted.sort_unstable_by(|x, y| date(y).cmp(&date(x)).then_with(|| x.cmp(y)));
        sorted.truncate(limit);
        sorted
    }
}

/// How lists order terms (or their links) that nothing else tells apart: by `(name, slug)`,
/// the name ignoring case, then the slug, which is unique among a taxonomy's terms. Never
/// the order the terms were met in, which an incremental rebuild does not keep.
pub fn by_name(a: (&str, &str), b: (&str, &str)) -> Ordering {
    fn lower(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars().flat_map(char::to_lowercase)
    }
    lower(a.0).cmp(lower(b.0)).then_with(|| a.1.cmp(b.1))
}

/// Builds terms while resolving names; remembers where each key and slug came from.
#[derive(Default)]
pub struct TermRegistry {
    pub terms: Vec<Term>,
    by_key: HashMap<String, usize>,
    by_slug: HashMap<String, usize>,
    /// The file that introduced each term, for collision messages.
    origin: Vec<PathBuf>,
    /// The exact spelling that introduced each term.
    spelling: Vec<String>,
    /// Whether terms can have profiles with aliases (companies).
    profiled: bool,
}

impl TermRegistry {
    /// A registry for companies, whose profiles can declare aliases.
    pub fn profiled() -> TermRegistry {
        TermRegistry {
            profiled: true,
            ..TermRegistry::default()
        }
    }

    /// Declares a profiled term (a company profile): its slug, name and aliases. A name or
    /// alias that another profile already has (as its name or an alias, matched as names
    /// are: ignoring case and spaces) is an error naming both files.
    pub fn declare(
        &mut self,
        slug: &str,
        name: &str,
        aliases: &[String],
        profile: usize,
        path: &Path,
    ) -> Result<usize, Diagnostic> {
        if let Some(&other) = self.by_key.get(&name_key(name)) {
            return Err(self.claimed(path, "name", name, other));
        }
        let id = self.insert(slug.to_string(), name, path, Some(profile))?;
        for alias in aliases {
            let key = name_key(alias);
            match self.by_key.get(&key) {
                Some(&other) if other != id => {
                    return Err(self.claimed(path, "alias", alias, other));
                }
                _ => {
                    self.by_key.insert(key, id);
                }
            }
        }
        Ok(id)
    }

    /// The error for a profile's `what` ("name" or "alias") `spelling`, which term `other`
    /// already has.
    fn claimed(&self, path: &Path, what: &str, spelling: &str, other: usize) -> Diagnostic {
        let theirs = &self.spelling[other];
        let as_what = if name_key(theirs) == name_key(spelling) {
            "as its name".to_string()
        } else {
            format!("as an alias of \"{theirs}\"")
        };
        Diagnostic::file(
            path,
            format!(
                "the {what} \"{spelling}\" is also claimed by {} ({as_what}); a name or alias \
                 may belong to one company profile only: merge the two profiles, or keep it in \
                 one",
                self.origin[other].display()
            ),
        )
    }

    /// The term a name refers to, creating it on first sight.
    pub fn resolve(&mut self, name: &str, path: &Path) -> Result<usize, Diagnostic> {
        if let Some(&id) = self.by_key.get(&name_key(name)) {
            return Ok(id);
        }
        let slug = slugify(name);
        if slug.is_empty() {
            return Err(Diagnostic::file(
                path,
                format!("the name \"{name}\" has no letters or digits to make a URL slug from"),
            ));
        }
        self.insert(slug, name, path, None)
    }

    fn insert(
        &mut self,
        slug: String,
        name: &str,
        path: &Path,
        profile: Option<usize>,
    ) -> Result<usize, Diagnostic> {
        if let Some(&other) = self.by_slug.get(&slug) {
            let fix = if self.profiled {
                "use one spelling, or add one as an alias in a company profile"
            } else {
                "use one spelling"
            };
            return Err(Diagnostic::file(
                path,
                format!(
                    "\"{name}\" and \"{}\" (in {}) share the URL slug `{slug}`; {fix}",
                    self.spelling[other],
                    self.origin[other].display()
                ),
            ));
        }
        let id = self.terms.len();
        self.by_slug.insert(slug.clone(), id);
        self.by_key.insert(name_key(name), id);
        self.origin.push(path.to_path_buf());
        self.spelling.push(name.to_string());
        self.terms.push(Term {
            slug,
            name: name.to_string(),
            articles: Vec::new(),
            events: Vec::new(),
            profile,
        });
        Ok(id)
    }

    /// Records that `article` names term `id`; articles arrive newest first.
    pub fn add_article(&mut self, id: usize, article: usize) {
        let articles = &mut self.terms[id].articles;
        if articles.last() != Some(&article) {
            articles.push(article);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_spellings_meet() {
        let mut r = TermRegistry::default();
        let p = Path::new("content/companies/openai.md");
        let id = r
            .declare("openai", "OpenAI", &["Open A.I.".into()], 0, p)
            .unwrap();
        for name in ["openai", "Open AI", "OPEN  ai", "open a.i."] {
            assert_eq!(r.resolve(name, Path::new("a.md")).unwrap(), id, "{name}");
        }
    }

    #[test]
    fn slug_collision_names_both_files() {
        let mut r = TermRegistry::default();
        r.resolve("Zhipu!", Path::new("a.md")).unwrap();
        let err = r.resolve("zhipu?", Path::new("b.md")).unwrap_err();
        assert_eq!(err.path, Path::new("b.md"));
        assert!(
            err.message.contains("a.md") && err.message.contains("`zhipu`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn two_profiles_with_one_name_or_a_name_as_an_alias_are_errors() {
        let mut r = TermRegistry::profiled();
        r.declare(
            "openai",
            "OpenAI",
            &["ChatGPT maker".into()],
            0,
            Path::new("a.md"),
        )
        .unwrap();
        let err = r
            .declare("open-ai", "Open AI", &[], 1, Path::new("b.md"))
            .unwrap_err();
        assert_eq!(err.path, Path::new("b.md"));
        assert!(
            err.message
                .starts_with("the name \"Open AI\" is also claimed by a.md (as its name)"),
            "{}",
            err.message
        );
        let err = r
            .declare("x", "X", &["openai".into()], 1, Path::new("c.md"))
            .unwrap_err();
        assert!(
            err.message
                .starts_with("the alias \"openai\" is also claimed by a.md (as its name)"),
            "{}",
            err.message
        );
        let err = r
            .declare("y", "chatgpt Maker", &[], 1, Path::new("d.md"))
            .unwrap_err();
        assert!(
            err.message.contains("by a.md (as an alias of \"OpenAI\")"),
            "{}",
            err.message
        );
    }

    #[test]
    fn alias_claimed_twice_is_an_error() {
        let mut r = TermRegistry::default();
        r.declare("a", "A", &["Shared".into()], 0, Path::new("a.md"))
            .unwrap();
        let err = r
            .declare("b", "B", &["shared".into()], 1, Path::new("b.md"))
            .unwrap_err();
        assert!(
            err.message.contains("also claimed by a.md"),
            "{}",
            err.message
        );
    }
}
