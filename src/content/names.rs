//! A front-matter list of names that also accepts a single string: `companies = "OpenAI"`
//! is read as `["OpenAI"]`, the way an author means it.

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// The most names an article may list under one taxonomy (`companies`, `tags`...), and
/// an event under its `companies`. Each name's page shows the article's card with all its
/// names, so the pages of one article cost the square of its names: 5,000 tags took a
/// minute to build. A hundred is far more than any real article needs.
pub const MAX_PER_ARTICLE: usize = 100;

/// The error for `count` names under `key`, when that is more than [`MAX_PER_ARTICLE`].
pub fn too_many(key: &str, count: usize) -> Option<String> {
    (count > MAX_PER_ARTICLE).then(|| {
        format!(
            "`{key}` lists {count} names, more than the {MAX_PER_ARTICLE} allowed: keep the \
             ones the article is most about"
        )
    })
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameList(pub Vec<String>);

impl<'de> Deserialize<'de> for NameList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NamesVisitor;
        impl<'de> Visitor<'de> for NamesVisitor {
            type Value = NameList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of names such as [\"OpenAI\", \"DeepSeek\"], or one name")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<NameList, E> {
                Ok(NameList(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NameList, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                Ok(NameList(names))
            }
        }
        deserializer.deserialize_any(NamesVisitor)
    }
}

impl NameList {
    /// The names with surrounding space trimmed and blanks dropped.
    pub fn cleaned(self) -> Vec<String> {
        self.0
            .into_iter()
            .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|n| !n.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct T {
        n: NameList,
    }

    #[test]
    fn accepts_a_string_or_a_list() {
        let one: T = toml::from_str("n = \"OpenAI\"").unwrap();
        assert_eq!(one.n.0, vec!["OpenAI"]);
        let many: T = toml::from_str("n = [\"a\", \" b  c \", \"\"]").unwrap();
        assert_eq!(many.n.cleaned(), vec!["a", "b c"]);
    }

    #[test]
    fn rejects_numbers_with_a_clear_message() {
        let err = toml::from_str::<T>("n = 5").unwrap_err();
        assert!(
            err.message().contains("a list of names"),
            "{}",
            err.message()
        );
    }
}
