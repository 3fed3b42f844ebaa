//! The UK nations policypack knows: one for each facts file built in from
//! `policy-templates/nations/`, so a fifth nation is one data file.
//!
//! A config names its nation by the file's name (`wales` for
//! `nations/wales.toml`); `check`, the JSON Schema and the command line
//! take the names of the files built in. A templates folder may replace a
//! nation's facts but not add a nation: a config that checks must build
//! with any templates. The few facts-file keys that route rather than
//! print (the ODS code prefixes, the second language) are read here as
//! well; the content stage reads and checks the whole file.

use std::borrow::Cow;
use std::sync::LazyLock;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::utils::BUILT_IN;

/// A UK nation, each with its own NHS complaints rules: the name of its
/// facts file, `nations/<key>.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nation(&'static str);

/// What `check` needs of a built-in facts file before the content stage
/// reads it whole.
#[derive(Default, Deserialize)]
struct Routing {
    /// "England", "Northern Ireland".
    name: Option<String>,
    /// The nation's free complaints advocacy service, if it has one.
    advocacy: Option<toml::Table>,
    /// First letters of the ODS codes of practices in the nation.
    #[serde(default)]
    ods_code_prefixes: Vec<String>,
    /// The code of the nation's own language besides English (`cy`).
    language_code: Option<String>,
}

struct Known {
    nation: Nation,
    /// Read when first asked for: the names alone need no parsing, and
    /// every command's line (`--nation`) is checked against them at start.
    routing: LazyLock<Routing, Box<dyn FnOnce() -> Routing + Send>>,
}

/// The built-in nations, sorted by name.
static KNOWN: LazyLock<Vec<Known>> = LazyLock::new(|| {
    let mut known: Vec<Known> = BUILT_IN
        .get_dir("nations")
        .into_iter()
        .flat_map(|dir| dir.files())
        .filter_map(|file| {
            let path = file.path();
            let key = path.file_name()?.to_str()?.strip_suffix(".toml")?;
            let text = file.contents_utf8();
            // A facts file that does not parse is reported, with its
            // line, by the content stage, which reads it in full.
            let routing: Box<dyn FnOnce() -> Routing + Send> = Box::new(move || {
                text.and_then(|text| toml::from_str(text).ok())
                    .unwrap_or_default()
            });
            Some(Known {
                nation: Nation(key),
                routing: LazyLock::new(routing),
            })
        })
        .collect();
    known.sort_by_key(|k| k.nation);
    known
});

impl Nation {
    /// Every nation built in, sorted by name.
    pub fn all() -> impl Iterator<Item = Nation> {
        KNOWN.iter().map(|k| k.nation)
    }

    /// The nation of this name, if one is built in.
    pub fn from_key(key: &str) -> Option<Nation> {
        Nation::all().find(|n| n.0 == key)
    }

    /// The names of the nations built in: `england, northern-ireland, …`.
    pub fn keys() -> Vec<&'static str> {
        Nation::all().map(Nation::key).collect()
    }

    /// The name used in configs and for the nation's facts file.
    pub fn key(self) -> &'static str {
        self.0
    }

    /// The nation whose facts file claims the first letter of an ODS code
    /// (`W` for Wales), if one does.
    pub fn of_ods_code(code: &str) -> Option<Nation> {
        KNOWN
            .iter()
            .find(|k| {
                k.routing
                    .ods_code_prefixes
                    .iter()
                    .any(|p| !p.is_empty() && code.starts_with(p.as_str()))
            })
            .map(|k| k.nation)
    }

    /// The nation's name as people write it: "Northern Ireland".
    pub fn name(self) -> &'static str {
        self.known()
            .and_then(|k| k.routing.name.as_deref())
            .unwrap_or(self.0)
    }

    /// Whether the nation has a national complaints advocacy service that
    /// documents name when a config gives none.
    pub fn has_national_advocacy(self) -> bool {
        self.known().is_some_and(|k| k.routing.advocacy.is_some())
    }

    fn known(self) -> Option<&'static Known> {
        KNOWN.iter().find(|k| k.nation == self)
    }

    /// The code of the nation's own language besides English, in which
    /// documents with a template of that language are printed first:
    /// `cy` for Wales.
    pub fn language_code(self) -> Option<&'static str> {
        self.known()
            .and_then(|k| k.routing.language_code.as_deref())
    }
}

impl Serialize for Nation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Nation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Nation, D::Error> {
        let key = String::deserialize(deserializer)?;
        Nation::from_key(&key).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown nation `{key}`: one of {}",
                Nation::keys().join(", ")
            ))
        })
    }
}

impl JsonSchema for Nation {
    fn schema_name() -> Cow<'static, str> {
        "Nation".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A UK nation, each with its own NHS complaints rules: the name of a facts file in policy-templates/nations/.",
            "enum": Nation::keys(),
            "type": "string",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_facts_file_is_a_nation() {
        assert_eq!(
            Nation::keys(),
            ["england", "northern-ireland", "scotland", "wales"]
        );
        assert_eq!(Nation::from_key("wales").map(Nation::key), Some("wales"));
        assert_eq!(Nation::from_key("atlantis"), None);
    }

    #[test]
    fn routing_comes_from_the_facts_files() {
        let wales = Nation::from_key("wales").unwrap();
        assert_eq!(Nation::of_ods_code("W95010"), Some(wales));
        assert_eq!(Nation::of_ods_code("C86020"), None);
        assert_eq!(wales.language_code(), Some("cy"));
        let scotland = Nation::from_key("scotland").unwrap();
        assert_eq!(scotland.language_code(), None);
        assert!(scotland.has_national_advocacy());
        let england = Nation::from_key("england").unwrap();
        assert!(!england.has_national_advocacy());
        assert_eq!(
            Nation::from_key("northern-ireland").map(Nation::name),
            Some("Northern Ireland")
        );
    }
}
