//! `TemplateSet`: what a templates fingerprint stands for, so that the
//! pack stage can name what changed between builds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::utils::{flatten, hash};

/// What a templates fingerprint stands for, so a change can be named: each
/// template file's hash, and each nation's facts as `key = value`. Kept in
/// the manifest once per fingerprint in use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSet {
    /// By file name relative to the templates folder (`nations/wales.toml`),
    /// a short hash of its text.
    pub files: BTreeMap<String, String>,
    /// By nation key, the facts of its nation file (what is never printed
    /// left out: [`super::nation::NOT_PRINTED`]).
    pub facts: BTreeMap<String, BTreeMap<String, String>>,
}

impl TemplateSet {
    /// The set of some template files and nation facts.
    pub fn of<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
        facts: impl IntoIterator<Item = (&'a str, Value)>,
    ) -> TemplateSet {
        TemplateSet {
            files: files
                .into_iter()
                .map(|(name, text)| {
                    let mut short = hash([text.as_bytes()]);
                    short.truncate(16);
                    (name.to_string(), short)
                })
                .collect(),
            facts: facts
                .into_iter()
                .map(|(nation, mut value)| {
                    if let Value::Object(map) = &mut value {
                        for key in super::nation::NOT_PRINTED {
                            map.remove(key);
                        }
                    }
                    (nation.to_string(), flatten(&value))
                })
                .collect(),
        }
    }
}
