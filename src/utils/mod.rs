//! Small helpers every stage may use, at the bottom of the layers: they
//! import nothing of policypack's own, so config, content, render, reply and
//! import never reach up into `pack` for them (as zola's `utils` and
//! mdBook's `utils::fs`).

pub mod fs;
pub mod source;

use std::collections::BTreeMap;

use include_dir::{Dir, include_dir};
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime};

/// The templates and nation facts built into the binary from
/// `policy-templates/`.
pub static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/policy-templates");

/// The folder in an output folder that holds the change reports
/// (`OUT/changes/`); no practice may have it as its slug.
pub const CHANGES_FOLDER: &str = "changes";

/// Hex SHA-256 of some parts, each length-prefixed so they cannot run together.
pub fn hash<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hex(&hasher.finalize())
}

/// Hex SHA-256 of `bytes` as they are (a file's checksum, as `sha256sum`
/// prints it).
pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes as lower-case hex, two digits each.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// How every member of a zip policypack writes is stored: deflated, dated
/// `date` (never the clock) and readable by all, so the bytes depend on
/// nothing but the content. Practice zips and Word files both use it.
pub fn zip_member_options(date: DateTime) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(date)
        .unix_permissions(0o644)
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
    fn hash_parts_do_not_run_together() {
        assert_ne!(
            hash([b"ab".as_slice(), b"c"]),
            hash([b"a".as_slice(), b"bc"])
        );
    }
}
