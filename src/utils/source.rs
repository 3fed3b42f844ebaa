//! Where a fact or a rule was checked: one type for the nation facts files
//! (`nations/*.toml`) and the reply rules (`reply-rules.toml`), whose
//! `[[sources]]` entries are written alike.

use anyhow::bail;
use serde::{Deserialize, Serialize};
use toml::value::Datetime;

/// One `[[sources]]` entry: the page, its address and the date it was
/// checked. A facts file's entries name the facts they back (`facts`);
/// the reply rules' entries have an `id` their rules cite.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// How the reply rules cite it: `gmc-criticism`. Empty in a facts file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The facts this source backs, by key: `time_limit`, `ombudsman.phone`,
    /// or a table such as `ombudsman` for all of its keys. Empty in the
    /// reply rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<String>,
    /// The page or document, and who publishes it.
    pub title: String,
    pub url: String,
    /// The date it was last checked against the source.
    pub checked: Datetime,
    /// What the source says that the fact rests on, where it needs saying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Which file a source is in, for what it must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cites {
    /// A facts file's source names the facts it backs.
    Facts,
    /// A reply rules' source has the id its rules cite.
    Id,
}

impl Source {
    /// Checked on a date (not a time), and naming what `cites` asks for
    /// and not the other.
    pub fn check(&self, cites: Cites) -> anyhow::Result<()> {
        let title = &self.title;
        if self.checked.date.is_none() || self.checked.time.is_some() {
            bail!("the source \"{title}\" must have checked = a date, such as 2026-11-26");
        }
        match cites {
            Cites::Facts if !self.id.is_empty() => {
                bail!("the source \"{title}\" has an id: a facts file's sources name their `facts`")
            }
            Cites::Facts if self.facts.is_empty() => {
                bail!("the source \"{title}\" names no facts: add the keys it backs to `facts`")
            }
            Cites::Id if self.id.is_empty() => {
                bail!("the source \"{title}\" has no id: its rules cite it by one")
            }
            Cites::Id if !self.facts.is_empty() => {
                bail!("the source \"{title}\" names facts: the reply rules' sources have an id")
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(extra: &str, checked: &str) -> Source {
        toml::from_str(&format!(
            "title = \"T\"\nurl = \"https://example.org\"\nchecked = {checked}\n{extra}"
        ))
        .unwrap()
    }

    #[test]
    fn each_file_names_what_its_sources_must() {
        let facts = source("facts = [\"time_limit\"]", "2026-11-26");
        let id = source("id = \"gmc\"", "2026-11-26");
        assert!(facts.check(Cites::Facts).is_ok());
        assert!(id.check(Cites::Id).is_ok());
        assert!(facts.check(Cites::Id).is_err());
        assert!(id.check(Cites::Facts).is_err());
        let timed = source("id = \"gmc\"", "2026-11-26T10:00:00");
        assert!(timed.check(Cites::Id).is_err());
    }
}
