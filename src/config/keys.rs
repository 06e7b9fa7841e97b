//! Every unknown key of `config.toml` in one run, each at its own line and column: at the
//! top level, in `[editions]`, in `[images]` and in each `[[taxonomies]]` entry. (Deserializing stops at
//! the first one.)

use toml::de::{DeTable, DeValue};

use crate::content::front_matter::nearest;

/// Keys of a `[[taxonomies]]` entry.
pub const TAXONOMY_KEYS: &[&str] = &["name", "title", "paginate_by", "feed"];
/// Keys of `[editions]`.
pub const EDITIONS_KEYS: &[&str] = &["period", "enabled"];

/// (byte offset, message) of each unknown key of `text`, in the file's order; `top` lists
/// the top-level keys. Empty when the text is not TOML: the parse reports that.
pub fn unknown(text: &str, top: &[&str]) -> Vec<(usize, String)> {
    let Ok(root) = DeTable::parse(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (key, value) in root.get_ref().iter() {
        let name: &str = key.get_ref();
        match (name, value.get_ref()) {
            ("editions", DeValue::Table(table)) => {
                check(table, EDITIONS_KEYS, "[editions]", &mut found);
            }
            ("images", DeValue::Table(table)) => {
                check(table, crate::images::IMAGES_KEYS, "[images]", &mut found);
            }
            ("taxonomies", DeValue::Array(entries)) => {
                for entry in entries.iter() {
                    if let DeValue::Table(table) = entry.get_ref() {
                        check(table, TAXONOMY_KEYS, "[[taxonomies]]", &mut found);
                    }
                }
            }
            _ => {}
        }
    }
    check(root.get_ref(), top, "", &mut found);
    found.sort_unstable_by_key(|&(offset, _)| offset);
    found
}

/// Adds the keys of `table` that are not `known` to `found`; `section` names the table.
fn check(table: &DeTable<'_>, known: &[&str], section: &str, found: &mut Vec<(usize, String)>) {
    for key in table.keys() {
        let name: &str = key.get_ref();
        if known.contains(&name) {
            continue;
        }
        let place = if section.is_empty() {
            "config.toml".to_string()
        } else {
            format!("a `{section}` table")
        };
        let hint = nearest(name, known).map_or(String::new(), |k| format!(" did you mean `{k}`?"));
        found.push((
            key.span().start,
            format!(
                "unknown key `{name}` in {place};{hint} (known keys: {})",
                known.join(", ")
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::unknown;

    #[test]
    fn finds_every_unknown_key_at_every_level() {
        let text = "title = \"t\"\nzeta = 1\nalpha = 2\n[editions]\nperod = \"week\"\n\
                    [[taxonomies]]\nname = \"tags\"\nfed = true\n[[taxonomies]]\nname = \"x\"\nttle = \"X\"\n";
        let found = unknown(text, &["title", "editions", "taxonomies"]);
        let keys: Vec<&str> = found
            .iter()
            .map(|(at, _)| text[*at..].split(' ').next().unwrap())
            .collect();
        assert_eq!(keys, ["zeta", "alpha", "perod", "fed", "ttle"]);
        assert!(
            found[2]
                .1
                .contains("in a `[editions]` table; did you mean `period`?"),
            "{}",
            found[2].1
        );
        assert!(unknown("not toml [", &["title"]).is_empty());
    }
}
