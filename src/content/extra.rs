//! `[extra]`: free fields for themes, in articles, pages, company profiles and config.toml
//! (as Zola has them). digest reads nothing in them; templates get them as `article.extra`,
//! `page.extra`, `profile.extra` and `site.extra`.

use serde::{Serialize, Serializer};
use std::hash::{Hash, Hasher};

/// An `[extra]` table as templates see it: TOML's values as JSON's (a datetime becomes its
/// RFC 3339 text), an empty table when none was written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extra {
    value: serde_json::Map<String, serde_json::Value>,
    /// The value as JSON text: what it hashes as (for pages' fingerprints).
    text: String,
}

impl Extra {
    /// `value` as written under `extra`; an error says what to write when it is not a table.
    pub fn from_toml(value: &toml::Value) -> Result<Extra, String> {
        let toml::Value::Table(table) = value else {
            return Err(format!(
                "`extra` must be a table of your own fields, not {} {}: write `[extra]` and `key = value` lines below it",
                if value.type_str() == "integer" || value.type_str() == "array" { "an" } else { "a" },
                value.type_str()
            ));
        };
        let value: serde_json::Map<String, serde_json::Value> =
            table.iter().map(|(k, v)| (k.clone(), json(v))).collect();
        let text = serde_json::to_string(&value).unwrap_or_default();
        Ok(Extra { value, text })
    }

    /// The table as a JSON object.
    pub fn into_json(self) -> serde_json::Value {
        serde_json::Value::Object(self.value)
    }

    /// Whether no field was written.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
}

/// A TOML value as JSON's: floats that JSON cannot hold (NaN, infinities) become null.
fn json(value: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(items) => J::Array(items.iter().map(json).collect()),
        toml::Value::Table(t) => J::Object(t.iter().map(|(k, v)| (k.clone(), json(v))).collect()),
    }
}

impl Hash for Extra {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_values_become_json_for_templates() {
        let v: toml::Value =
            toml::from_str("a = 1\nb = \"x\"\nc = 2025-01-27\nd = [1.5, true]\ne = { f = nan }\n")
                .unwrap();
        let extra = Extra::from_toml(&v).unwrap();
        assert_eq!(
            serde_json::to_string(&extra).unwrap(),
            r#"{"a":1,"b":"x","c":"2025-01-27","d":[1.5,true],"e":{"f":null}}"#
        );
        assert!(!extra.is_empty());
        assert!(Extra::default().is_empty());
        let e = Extra::from_toml(&toml::Value::Integer(3)).unwrap_err();
        assert!(e.contains("not an integer"), "{e}");
    }
}
