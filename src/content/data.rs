//! `data/`: TOML, JSON and CSV files loaded once per build and given to every page template
//! as `data` (`data/prices.csv` is `data.prices`, `data/markets/nasdaq.toml` is
//! `data.markets.nasdaq`), and through `load_data(path="data/prices.csv")`, as Zola's
//! function reads them. A CSV file is `{headers: [...], records: [[...], ...]}`, as in Zola.

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use std::hash::{Hash, Hasher};
use std::path::{Component, Path};

use crate::error::Diagnostic;

/// The folder of data files, below the site's folder.
pub const DATA_DIR: &str = "data";

/// Every data file, as templates see them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Data {
    /// By name (nested by folder).
    tree: Map<String, Value>,
    /// By path from the site's folder (`data/prices.csv`), for `load_data`.
    files: Map<String, Value>,
    /// A hash of the files' bytes: equal for equal data (pages' fingerprints).
    hash: u64,
}

impl Data {
    /// The file at `path` (`data/prices.csv`), if it was loaded.
    pub fn file(&self, path: &str) -> Option<&Value> {
        self.files.get(path.trim_start_matches("./"))
    }
}

impl Hash for Data {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.hash.hash(state);
    }
}

impl Serialize for Data {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.tree.serialize(serializer)
    }
}

/// Loads `data/` in the site at `root`: each `.toml`, `.json` and `.csv` file (hidden and
/// backup files skipped, others ignored). A file that does not parse is an error at its
/// line and column; two files of one name (`prices.toml`, `prices.json`) are an error.
pub fn load(root: &Path) -> Result<Data, Vec<Diagnostic>> {
    let dir = root.join(DATA_DIR);
    let mut data = Data::default();
    if !dir.is_dir() {
        return Ok(data);
    }
    let mut problems = Vec::new();
    let mut hasher = crate::hash::Fnv::default();
    let mut entries: Vec<_> = crate::walk::inside_site(root, &dir).collect();
    entries.sort_by(|a, b| match (a, b) {
        (Ok(a), Ok(b)) => a.path().cmp(b.path()),
        _ => std::cmp::Ordering::Equal,
    });
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(crate::walk::Skipped::Unreadable(e)) => {
                let at = e.path().unwrap_or(&dir).to_path_buf();
                problems.push(Diagnostic::file(
                    &shown(root, &at),
                    format!("cannot read: {e}"),
                ));
                continue;
            }
            Err(crate::walk::Skipped::Outside { path, target }) => {
                problems.push(Diagnostic::file(
                    &shown(root, &path),
                    crate::walk::Skipped::outside_message(&target),
                ));
                continue;
            }
        };
        let path = entry.path();
        let rel = path.strip_prefix(&dir).unwrap_or(path);
        let hidden = rel.components().any(|c| match c {
            Component::Normal(s) => super::load::is_ignored(&s.to_string_lossy()),
            _ => false,
        });
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if hidden
            || !entry.file_type().is_file()
            || !matches!(ext.as_str(), "toml" | "json" | "csv")
        {
            continue;
        }
        let file = shown(root, path);
        let text = match std::fs::read(path).map(String::from_utf8) {
            Ok(Ok(t)) => t,
            Ok(Err(_)) => {
                problems.push(Diagnostic::file(&file, "is not UTF-8 text"));
                continue;
            }
            Err(e) => {
                problems.push(Diagnostic::file(&file, format!("cannot read: {e}")));
                continue;
            }
        };
        text.hash(&mut hasher);
        let parsed = match ext.as_str() {
            "toml" => toml_value(&text),
            "json" => json_value(&text),
            _ => csv_value(&text),
        };
        let value = match parsed {
            Ok(v) => v,
            Err((line, col, m)) => {
                problems.push(Diagnostic::at(&file, line, col, m));
                continue;
            }
        };
        let names: Vec<String> = rel
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if let Err(m) = insert(&mut data.tree, &names, value.clone()) {
            problems.push(Diagnostic::file(&file, m));
            continue;
        }
        let key = format!("{DATA_DIR}/{}", rel.to_string_lossy().replace('\\', "/"));
        data.files.insert(key, value);
    }
    data.hash = std::hash::Hasher::finish(&hasher);
    if problems.is_empty() {
        Ok(data)
    } else {
        Err(problems)
    }
}

fn shown(root: &Path, path: &Path) -> std::path::PathBuf {
    crate::display_path(root, path.strip_prefix(root).unwrap_or(path))
}

/// Puts `value` at `names` in `tree` (folders as tables); an error when the name is taken.
fn insert(tree: &mut Map<String, Value>, names: &[String], value: Value) -> Result<(), String> {
    let [name, rest @ ..] = names else {
        return Ok(());
    };
    if rest.is_empty() {
        if tree.contains_key(name) {
            return Err(format!(
                "another file or folder of data/ is also named `{name}`; give each its own name"
            ));
        }
        tree.insert(name.clone(), value);
        return Ok(());
    }
    let folder = tree
        .entry(name.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    match folder {
        Value::Object(inner) => insert(inner, rest, value),
        _ => Err(format!(
            "a file of data/ is also named `{name}`, like this folder; rename one"
        )),
    }
}

type Fault = (usize, usize, String);

fn toml_value(text: &str) -> Result<Value, Fault> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let (line, col) = crate::error::line_col(text, e.span().map_or(0, |s| s.start));
        (line, col, format!("is not valid TOML: {}", e.message()))
    })?;
    super::extra::Extra::from_toml(&toml::Value::Table(table))
        .map(super::extra::Extra::into_json)
        .map_err(|m| (1, 1, m))
}

fn json_value(text: &str) -> Result<Value, Fault> {
    serde_json::from_str(text).map_err(|e| {
        (
            e.line().max(1),
            e.column().max(1),
            format!("is not valid JSON: {e}"),
        )
    })
}

/// `{headers, records}`: the first row, and the others (each as long as the first).
fn csv_value(text: &str) -> Result<Value, Fault> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let at = |e: &csv::Error| {
        let line = e.position().map_or(1, |p| p.line() as usize);
        let why = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => {
                format!("this row has {len} fields where the header row has {expected_len}")
            }
            _ => e.to_string(),
        };
        (line, 1, format!("is not valid CSV: {why}"))
    };
    let headers: Vec<Value> = reader
        .headers()
        .map_err(|e| at(&e))?
        .iter()
        .map(|h| Value::String(h.to_string()))
        .collect();
    let mut records = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| at(&e))?;
        records.push(Value::Array(
            row.iter().map(|f| Value::String(f.to_string())).collect(),
        ));
    }
    let mut out = Map::new();
    out.insert("headers".into(), Value::Array(headers));
    out.insert("records".into(), Value::Array(records));
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_headers_and_records_and_errors_name_the_row() {
        let v = csv_value("name,price\n\"Acme, Inc.\",3\nB,\"4\"\"\"\n").unwrap();
        assert_eq!(
            v.to_string(),
            r#"{"headers":["name","price"],"records":[["Acme, Inc.","3"],["B","4\""]]}"#
        );
        let (line, _, m) = csv_value("a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(line, 3);
        assert!(m.contains("1 fields where the header row has 2"), "{m}");
    }

    #[test]
    fn json_and_toml_errors_have_their_place() {
        assert_eq!(json_value("{\n  \"a\": 1,\n}").unwrap_err().0, 3);
        let (line, col, m) = toml_value("a = 1\nb = \n").unwrap_err();
        assert_eq!((line, col), (2, 5));
        assert!(m.starts_with("is not valid TOML"), "{m}");
    }
}
