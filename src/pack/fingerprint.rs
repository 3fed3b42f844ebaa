//! What a document is built from, as a hash, and what changed between builds.
//!
//! A practice's fingerprint covers its merged config, the templates and
//! nation facts, the fonts and the tool version (not the build options:
//! whether each file a build asks for is there, as recorded, is checked
//! file by file): when it is unchanged, and every file asked for is there,
//! nothing of the practice is rendered. When it changes, each
//! document's own fingerprint (its Markdown plus everything else the HTML
//! and PDF show) decides which documents are rewritten, so a new complaints
//! phone number rewrites the leaflet and the notice but not a handbook that
//! does not print it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::content::TemplateSet;

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

/// One config key whose value changed, with both values as text (empty
/// when the key was added or removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyChange {
    pub key: String,
    pub old: String,
    pub new: String,
}

/// Each changed key with its value before and after.
pub fn key_changes(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Vec<KeyChange> {
    changed_keys(before, after)
        .into_iter()
        .map(|key| KeyChange {
            old: before.get(&key).cloned().unwrap_or_default(),
            new: after.get(&key).cloned().unwrap_or_default(),
            key,
        })
        .collect()
}

/// Config keys and then facts, in one list for the key columns of a CSV:
/// a fact is named "fact ombudsman.phone".
pub fn keys_and_facts(keys: &[KeyChange], facts: &[KeyChange]) -> Vec<KeyChange> {
    keys.iter()
        .cloned()
        .chain(facts.iter().map(|k| KeyChange {
            key: format!("fact {}", k.key),
            ..k.clone()
        }))
        .collect()
}

/// Why a practice's outputs are not what its inputs now give: what the
/// last build recorded against what there is today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Why {
    /// Not built before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub new: bool,
    /// Config keys whose values changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<KeyChange>,
    /// The templates or nation facts changed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub templates: bool,
    /// The facts of the practice's nation that changed, with their values
    /// before and after (when the last build recorded them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<KeyChange>,
    /// The template files whose wording changed: "complaints-leaflet.md".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wording: Vec<String>,
    /// The policypack version that made the last build, when it was another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// Nothing above, yet the inputs differ: the logo file's contents (or
    /// the fonts, which change only with policypack itself).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub logo: bool,
}

/// What a practice is built from, as recorded in the manifest.
pub struct Recorded<'a> {
    pub values: &'a BTreeMap<String, String>,
    pub templates: &'a str,
    pub tool_version: &'a str,
    pub fingerprint: &'a str,
    /// The template files and nation facts behind `templates`, when known.
    pub set: Option<&'a TemplateSet>,
    /// The practice's nation, whose facts it prints.
    pub nation: &'a str,
}

/// The facts of `nation` that changed between two template sets, and
/// the template files whose text changed (the nation's own file only when
/// none of its facts did, so a source's new date or a comment is still
/// named).
fn set_changes(
    old: &TemplateSet,
    now: &TemplateSet,
    nation: &str,
) -> (Vec<KeyChange>, Vec<String>) {
    let empty = BTreeMap::new();
    let facts = key_changes(
        old.facts.get(nation).unwrap_or(&empty),
        now.facts.get(nation).unwrap_or(&empty),
    );
    let own = format!("nations/{nation}.toml");
    let wording = old
        .files
        .keys()
        .chain(now.files.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|name| old.files.get(*name) != now.files.get(*name))
        .filter(|name| **name != own || facts.is_empty())
        .cloned()
        .collect();
    (facts, wording)
}

impl Why {
    /// Compares the last build (if any) with the inputs of today.
    pub fn between(before: Option<&Recorded>, now: &Recorded) -> Why {
        let Some(before) = before else {
            return Why {
                new: true,
                ..Why::default()
            };
        };
        let keys = key_changes(before.values, now.values);
        // A manifest from before these were recorded says nothing of them.
        let templates = !before.templates.is_empty() && before.templates != now.templates;
        // Named only when both builds recorded what their templates held,
        // and for one nation: a practice that moved nation says so by its key.
        let (facts, wording) = match (before.set, now.set) {
            (Some(old), Some(new)) if templates && before.nation == now.nation => {
                set_changes(old, new, now.nation)
            }
            _ => (Vec::new(), Vec::new()),
        };
        let tool = (!before.tool_version.is_empty() && before.tool_version != now.tool_version)
            .then(|| before.tool_version.to_string());
        let logo = keys.is_empty()
            && !templates
            && tool.is_none()
            && before.fingerprint != now.fingerprint;
        Why {
            new: false,
            keys,
            templates,
            facts,
            wording,
            tool,
            logo,
        }
    }

    /// True when nothing the outputs are built from changed.
    pub fn is_empty(&self) -> bool {
        *self == Why::default()
    }

    /// In a few words: "commissioner.phone, policy.version", "fact
    /// ombudsman.phone", "template complaints-leaflet.md changed",
    /// "templates changed", "policypack 0.8.0 → 0.9.0".
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.new {
            parts.push("not built before".into());
        }
        if !self.keys.is_empty() {
            let keys: Vec<&str> = self.keys.iter().map(|k| k.key.as_str()).collect();
            parts.push(keys.join(", "));
        }
        if !self.facts.is_empty() {
            let facts: Vec<String> = self
                .facts
                .iter()
                .map(|f| format!("fact {}", f.key))
                .collect();
            parts.push(facts.join(", "));
        }
        parts.extend(self.others());
        parts.join("; ")
    }

    /// What changed besides config keys and facts, in words: "template
    /// complaints-leaflet.md changed", "templates
    /// changed" (when the last build did not record what they held),
    /// "policypack 0.8.0 → 0.9.0", "the logo file or the fonts changed".
    pub fn others(&self) -> Vec<String> {
        let mut others = Vec::new();
        others.extend(
            self.wording
                .iter()
                .map(|name| format!("template {name} changed")),
        );
        if self.templates && self.facts.is_empty() && self.wording.is_empty() {
            others.push("templates changed".to_string());
        }
        if let Some(old) = &self.tool {
            others.push(format!("policypack {old} → {}", env!("CARGO_PKG_VERSION")));
        }
        if self.logo {
            others.push("the logo file or the fonts changed".to_string());
        }
        others
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::utils::flatten;
    use serde_json::json;

    #[test]
    fn reports_changed_added_and_removed_keys() {
        let before = flatten(&json!({ "a": "1", "b": "2", "c": "3" }));
        let after = flatten(&json!({ "a": "1", "b": "x", "d": "4" }));
        assert_eq!(changed_keys(&before, &after), ["b", "c", "d"]);
    }

    #[test]
    fn why_names_keys_with_values_templates_and_tool() {
        let before = flatten(&json!({ "lmc": { "phone": "1" }, "a": "x" }));
        let after = flatten(&json!({ "lmc": { "phone": "2" }, "b": "y" }));
        let old = Recorded {
            values: &before,
            templates: "t1",
            tool_version: "0.0.1",
            fingerprint: "f1",
            set: None,
            nation: "england",
        };
        let now = Recorded {
            values: &after,
            templates: "t2",
            tool_version: env!("CARGO_PKG_VERSION"),
            fingerprint: "f2",
            set: None,
            nation: "england",
        };
        let why = Why::between(Some(&old), &now);
        assert_eq!(
            why.keys,
            [
                KeyChange {
                    key: "a".into(),
                    old: "x".into(),
                    new: "".into()
                },
                KeyChange {
                    key: "b".into(),
                    old: "".into(),
                    new: "y".into()
                },
                KeyChange {
                    key: "lmc.phone".into(),
                    old: "1".into(),
                    new: "2".into()
                },
            ]
        );
        assert!(why.templates && !why.logo && !why.new);
        assert_eq!(why.tool.as_deref(), Some("0.0.1"));
        assert!(
            why.summary()
                .starts_with("a, b, lmc.phone; templates changed; policypack 0.0.1 → ")
        );

        let same = Recorded {
            values: &before,
            ..old
        };
        let logo = Recorded {
            fingerprint: "f3",
            ..same
        };
        let only_logo = Why::between(Some(&same), &logo);
        assert!(only_logo.logo && only_logo.keys.is_empty(), "{only_logo:?}");
        assert!(Why::between(Some(&same), &same).is_empty());
        assert!(Why::between(None, &same).new);
    }

    #[test]
    fn a_template_set_names_the_facts_and_files_that_changed() {
        let facts =
            |phone: &str| json!({ "ombudsman": { "phone": phone }, "sources": [{ "title": "x" }] });
        let old = TemplateSet::of(
            [
                ("leaflet.md", "a"),
                ("nations/england.toml", "1"),
                ("nations/wales.toml", "w"),
            ],
            [("england", facts("0345")), ("wales", facts("0300"))],
        );
        let new = TemplateSet::of(
            [
                ("leaflet.md", "b"),
                ("nations/england.toml", "2"),
                ("nations/wales.toml", "w2"),
            ],
            [("england", facts("0906")), ("wales", facts("0300"))],
        );
        let (facts_changed, wording) = set_changes(&old, &new, "england");
        assert_eq!(
            facts_changed,
            [KeyChange {
                key: "ombudsman.phone".into(),
                old: "0345".into(),
                new: "0906".into()
            }]
        );
        // The nation's own file is named by its facts; another nation's by name.
        assert_eq!(wording, ["leaflet.md", "nations/wales.toml"]);
        let (none, wales_wording) = set_changes(&old, &new, "wales");
        assert!(none.is_empty());
        assert_eq!(
            wales_wording,
            ["leaflet.md", "nations/england.toml", "nations/wales.toml"]
        );
    }
}
