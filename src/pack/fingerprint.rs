//! What a document is built from, as a hash, and what changed between builds.
//!
//! A practice's fingerprint covers its merged config, the templates and
//! nation facts, the fonts, the tool version and the build options: when it
//! is unchanged nothing of the practice is rendered. When it changes, each
//! document's own fingerprint (its Markdown plus everything else the HTML
//! and PDF show) decides which documents are rewritten, so a new complaints
//! phone number rewrites the leaflet and the notice but not a handbook that
//! does not print it.

use std::collections::BTreeMap;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Hex SHA-256 of some parts, each length-prefixed so they cannot run together.
pub fn hash<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hex(&hasher.finalize())
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The field name under which the toml crate serialises a date.
const TOML_DATETIME: &str = "$__toml_private_datetime";

/// A config as `key.path = value` pairs, list positions counted from 1 as
/// in problem reports: `defence_organisations[2].phone`.
pub fn flatten(value: &Value) -> BTreeMap<String, String> {
    fn walk(value: &Value, path: String, out: &mut BTreeMap<String, String>) {
        match value {
            // A TOML date, as serde writes it into JSON: one value, not a table.
            Value::Object(map) if map.len() == 1 && map.contains_key(TOML_DATETIME) => {
                out.insert(path, map[TOML_DATETIME].as_str().unwrap_or("").to_string());
            }
            Value::Object(map) => {
                for (key, value) in map {
                    let path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(value, path, out);
                }
            }
            Value::Array(items) if items.iter().any(|i| i.is_object()) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{path}[{}]", i + 1), out);
                }
            }
            Value::Null => {}
            Value::String(s) => {
                out.insert(path, s.clone());
            }
            other => {
                out.insert(path, other.to_string());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(value, String::new(), &mut out);
    out
}

/// The keys whose values differ between two flattened configs, sorted.
pub fn changed_keys(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut keys: Vec<String> = before
        .iter()
        .filter(|(k, v)| after.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .chain(after.keys().filter(|k| !before.contains_key(*k)).cloned())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flattens_with_list_positions_from_one() {
        let flat = flatten(&json!({
            "practice": { "name": "A", "address": ["1", "2"], "email": null },
            "defence_organisations": [{ "name": "MDU" }, { "name": "MPS" }],
        }));
        assert_eq!(flat["practice.name"], "A");
        assert_eq!(flat["practice.address"], "[\"1\",\"2\"]");
        assert_eq!(flat["defence_organisations[2].name"], "MPS");
        assert!(!flat.contains_key("practice.email"));
    }

    #[test]
    fn a_date_is_one_key() {
        let issued: toml::value::Datetime = "2026-11-01".parse().unwrap();
        let flat = flatten(&json!({ "policy": { "issued": issued } }));
        assert_eq!(flat.len(), 1);
        assert_eq!(flat["policy.issued"], "2026-11-01");
    }

    #[test]
    fn reports_changed_added_and_removed_keys() {
        let before = flatten(&json!({ "a": "1", "b": "2", "c": "3" }));
        let after = flatten(&json!({ "a": "1", "b": "x", "d": "4" }));
        assert_eq!(changed_keys(&before, &after), ["b", "c", "d"]);
    }

    #[test]
    fn hash_parts_do_not_run_together() {
        assert_ne!(
            hash([b"ab".as_slice(), b"c"]),
            hash([b"a".as_slice(), b"bc"])
        );
    }
}
