//! The NHS complaints facts and the law of each UK nation, read from
//! `policy-templates/nations/<nation>.toml`.
//!
//! Facts live in data, not in templates or Rust: time limits, response
//! times, the ombudsman, the advocacy service, the law on defamation and on
//! threatening or false messages, the arrangement for patients removed after
//! violence, the review websites and the accessible-information standard all
//! come from these files, and an LMC can override one with `--templates`.
//!
//! Every fact carries its source: a file's `[[sources]]` entries name the
//! facts they back, with a title, an address and the date they were checked.
//! A facts file with a fact that no source backs does not load, so nothing
//! unsourced reaches a document; `policypack facts` prints them all.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail};
use serde::{Deserialize, Serialize};

use crate::config::model::Contact;
use crate::utils::source::Cites;
pub use crate::utils::source::Source;

/// One nation's complaints rules and law. Text fields are Markdown written by us.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NationFacts {
    /// "England", "Wales", "Scotland", "Northern Ireland".
    pub name: String,
    /// The rules that apply, as a phrase: "the NHS complaints regulations for England (2009)".
    pub rules: String,
    /// What the nation's NHS calls a complaint, and how to say it.
    pub term: Term,
    /// Months from the event (or from becoming aware of it) to complain.
    pub time_limit_months: u8,
    /// The time limit in plain words, for patients.
    pub time_limit: String,
    /// When a later complaint can still be looked at.
    pub time_limit_extension: String,
    /// Working days to acknowledge a complaint (or a stage 2 complaint),
    /// where the rules set a number.
    pub acknowledge_working_days: Option<u8>,
    /// Working days for an early (stage 1) answer, where the nation has that stage.
    pub frontline_working_days: Option<u8>,
    /// Working days for the full written answer, where the rules set one.
    pub response_working_days: Option<u8>,
    /// What happens after a complaint is made, in plain words, as Markdown
    /// list items. `{acknowledge}`, `{frontline}` and `{response}` stand for
    /// the numbers of working days, so a config's own acknowledgement time
    /// shows everywhere.
    pub next_steps: Vec<String>,
    /// What the commissioner is called: "Integrated Care Board (ICB)".
    pub commissioner_kind: String,
    /// Its short name, for headings and running text: "ICB", "SPPG".
    pub commissioner_short: String,
    /// How the commissioner route works: in England, the practice or the ICB, not both.
    pub commissioner_route: String,
    /// The public-services ombudsman.
    pub ombudsman: Contact,
    /// When people can go to the ombudsman.
    pub ombudsman_when: String,
    /// The nation's free complaints advocacy service; England has none nationally.
    pub advocacy: Option<Contact>,
    /// What advocacy is, and what to do where no service is configured.
    pub advocacy_about: String,
    /// Who may complain for someone else and when consent is not needed.
    pub consent: Vec<String>,
    /// Where patients in this nation review GP practices, for the
    /// handbook's monitoring steps: "Google", "the NHS website".
    pub review_sites: Vec<String>,
    /// The standard for accessible information that the leaflet may name,
    /// where the nation has one that applies to GP practices.
    pub accessible_standard: Option<String>,
    /// The nation's own language besides English, which the leaflet offers
    /// itself in: "Welsh".
    pub language: Option<String>,
    /// That language's code, `cy`: a document with a template of this
    /// code (`zero-tolerance-notice.cy.md`) is printed in the language
    /// first, then in English. Only languages policypack has the words
    /// for ([`SECOND_LANGUAGES`]); not a fact, as it is never printed.
    /// The built-in file's value decides ([`crate::config::Nation`]), as
    /// for the list of nations: an override cannot drop the language.
    pub language_code: Option<String>,
    /// First letters of the ODS codes of the nation's practices (`W`), by
    /// which `import` tells which nation a practice of the ODS list is
    /// in; not a fact, as it is never printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ods_code_prefixes: Vec<String>,
    /// What happens when a patient is removed at once after violence.
    pub removal: Removal,
    /// The criminal law on threatening, abusive or false messages.
    pub offences: Offences,
    /// The law of defamation.
    pub defamation: Defamation,
    /// Where each fact above was checked.
    pub sources: Vec<Source>,
    /// Examples for `policypack new`'s comments. They illustrate the form
    /// of a value and are never printed in a document, so they are not facts.
    pub example: Example,
}

/// Illustrations of a config's values in this nation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub address: Vec<String>,
    pub postcode: String,
    pub phone: String,
    /// A commissioner's name, such as an ICB or a health board.
    pub commissioner: String,
    /// An advocacy service, where the nation has no national one.
    pub advocacy: Option<String>,
}

/// What the nation's NHS calls a complaint: "complaint", or in Wales "concern".
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// "complaint" or "concern".
    pub noun: String,
    /// The verb that goes with it: "make" a complaint, "raise" a concern.
    pub verb: String,
    /// The verb's -ing form: "making", "raising".
    pub verb_ing: String,
    /// A sentence for patients explaining the term, where it is not "complaint".
    pub note: Option<String>,
    /// The leaflet's title, where the nation's own word makes a better one
    /// than "Complaints leaflet": "Raising a concern".
    pub leaflet_title: Option<String>,
}

/// Removal from the list, worded from the nation's own contract rule:
/// who removes a person after violence, whom the practice tells, and when
/// it takes effect differ from nation to nation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Removal {
    /// For patients: the notice's list item on removal, after a warning and
    /// after violence where the practice gave care, and how the person
    /// still gets GP care. Never immediate removal for words online alone.
    pub notice: String,
    /// The same in Welsh, for the bilingual notice in Wales.
    pub notice_cy: Option<String>,
    /// For staff, one list item each: the rule, whom to tell and when it
    /// takes effect, and what happens to the person's care.
    pub handbook: Vec<String>,
}

/// Criminal offences for messages, in the nation's law.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Offences {
    /// For patients: a sentence fragment that follows "tell the police."
    pub notice: String,
    /// The same sentence in Welsh, for the bilingual notice in Wales.
    pub notice_cy: Option<String>,
    /// For staff: one list item per offence, with its test.
    pub handbook: Vec<String>,
}

/// The nation's law of defamation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Defamation {
    /// The statute's name: "the Defamation Act 2013".
    pub law: String,
    /// For patients: what the law asks, in one sentence.
    pub notice: String,
    /// The same sentence in Welsh, for the bilingual notice in Wales.
    pub notice_cy: Option<String>,
    /// For staff: list items on how the law works here.
    pub handbook: Vec<String>,
}

/// One fact of a nation file, with the sources that back it.
#[derive(Debug, Clone, Serialize)]
pub struct Fact<'a> {
    /// The key: `time_limit`, `ombudsman.phone`.
    pub key: String,
    pub value: toml::Value,
    pub sources: Vec<&'a Source>,
}

/// Keys of a facts file that are never printed: the sources, the examples
/// for `policypack new`, and what routes rather than prints. A change to
/// them asks no one to reprint.
pub const NOT_PRINTED: [&str; 4] = ["sources", "example", "language_code", "ods_code_prefixes"];

/// Keys of a facts file that are not facts: the nation's name, and what
/// is never printed.
fn is_fact(key: &str) -> bool {
    key != "name" && !NOT_PRINTED.contains(&key)
}

/// The languages a nation may print its documents in besides English:
/// those with the words policypack adds itself (a page's "Tudalen N o M",
/// the dates, the documents' titles) and the config keys for the
/// practice's own words in them (`complaints.lead_role_cy`).
pub const SECOND_LANGUAGES: [&str; 1] = ["cy"];

impl NationFacts {
    /// The phones and emails of the national bodies this nation's documents
    /// print, its ombudsman and advocacy service, which a reply may give as
    /// well as the practice's own (`reply::check::Context::public`).
    pub fn public_contacts(&self) -> Vec<String> {
        [Some(&self.ombudsman), self.advocacy.as_ref()]
            .into_iter()
            .flatten()
            .flat_map(|c| [c.phone.clone(), c.email.clone()])
            .flatten()
            .collect()
    }

    /// Reads a facts file and checks that every fact has a source and
    /// every source names facts that exist.
    pub fn parse(text: &str) -> anyhow::Result<NationFacts> {
        let facts: NationFacts = toml::from_str(text)?;
        facts.facts()?;
        facts.check_placeholders()?;
        facts.check_routing()?;
        Ok(facts)
    }

    /// The keys of the facts' sentences in the nation's own language that
    /// are not given: `removal.notice_cy`.
    pub fn missing_in_own_language(&self) -> Vec<&'static str> {
        [
            ("removal.notice_cy", self.removal.notice_cy.is_none()),
            ("offences.notice_cy", self.offences.notice_cy.is_none()),
            ("defamation.notice_cy", self.defamation.notice_cy.is_none()),
        ]
        .into_iter()
        .filter_map(|(key, gone)| gone.then_some(key))
        .collect()
    }

    /// A second language is one policypack has the words for, and is
    /// named; an ODS code prefix is letters or digits.
    fn check_routing(&self) -> anyhow::Result<()> {
        if let Some(code) = &self.language_code {
            if !SECOND_LANGUAGES.contains(&code.as_str()) {
                bail!(
                    "language_code {code:?} is not a language policypack can print besides English ({}): leave it out to print in English only",
                    SECOND_LANGUAGES.join(", ")
                );
            }
            if self.language.is_none() {
                bail!(
                    "language_code is set but language is not: name the language, such as \"Welsh\""
                );
            }
        }
        for prefix in &self.ods_code_prefixes {
            let plain = (1..=3).contains(&prefix.len())
                && prefix
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if !plain {
                bail!(
                    "ods_code_prefixes has {prefix:?}: each is the first 1 to 3 capital letters or digits of an ODS code, such as \"W\""
                );
            }
        }
        Ok(())
    }

    /// A `{frontline}` or `{response}` in `next_steps` needs its number, or
    /// it would be printed as it stands. `{acknowledge}` may instead come
    /// from a practice's config, but a nation without that number must not
    /// rely on it.
    fn check_placeholders(&self) -> anyhow::Result<()> {
        let days = [
            (
                "{acknowledge}",
                "acknowledge_working_days",
                self.acknowledge_working_days,
            ),
            (
                "{frontline}",
                "frontline_working_days",
                self.frontline_working_days,
            ),
            (
                "{response}",
                "response_working_days",
                self.response_working_days,
            ),
        ];
        for (placeholder, key, value) in days {
            if value.is_none() && self.next_steps.iter().any(|s| s.contains(placeholder)) {
                bail!(
                    "next_steps uses {placeholder}, but {key} is not set: set it, or write the steps without it"
                );
            }
        }
        Ok(())
    }

    /// Every fact with its sources, in file order of keys (sorted).
    pub fn facts(&self) -> anyhow::Result<Vec<Fact<'_>>> {
        let value = toml::Value::try_from(self)?;
        let mut leaves = BTreeMap::new();
        flatten(&value, "", &mut leaves);
        let mut unsourced = Vec::new();
        let facts: Vec<Fact<'_>> = leaves
            .into_iter()
            .map(|(key, value)| {
                let sources: Vec<&Source> = self
                    .sources
                    .iter()
                    .filter(|s| s.facts.iter().any(|f| covers(f, &key)))
                    .collect();
                if sources.is_empty() {
                    unsourced.push(key.clone());
                }
                Fact {
                    key,
                    value,
                    sources,
                }
            })
            .collect();
        if !unsourced.is_empty() {
            bail!(
                "no source for {}: add it to the `facts` of a [[sources]] entry, with the date you checked it",
                unsourced.join(", ")
            );
        }
        for source in &self.sources {
            source.check(Cites::Facts)?;
            if let Some(unknown) = source
                .facts
                .iter()
                .find(|f| !facts.iter().any(|fact| covers(f, &fact.key)))
            {
                return Err(anyhow!(
                    "the source \"{}\" names `{unknown}`, which is not a fact in this file",
                    source.title
                ));
            }
        }
        Ok(facts)
    }

    /// The facts with the working-day placeholders in `next_steps` filled in.
    pub fn with_days(&self, acknowledge: Option<u8>) -> NationFacts {
        let fill = |text: &String| {
            let mut text = text.clone();
            if let Some(days) = acknowledge {
                text = text.replace("{acknowledge}", &days.to_string());
            }
            if let Some(days) = self.frontline_working_days {
                text = text.replace("{frontline}", &days.to_string());
            }
            if let Some(days) = self.response_working_days {
                text = text.replace("{response}", &days.to_string());
            }
            text
        };
        NationFacts {
            next_steps: self.next_steps.iter().map(fill).collect(),
            ..self.clone()
        }
    }
}

/// True when a source's `fact` names `key` or a table that holds it.
fn covers(fact: &str, key: &str) -> bool {
    key == fact
        || key
            .strip_prefix(fact)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Leaf values by dotted key; lists are one fact, tables are walked.
fn flatten(value: &toml::Value, path: &str, out: &mut BTreeMap<String, toml::Value>) {
    match value {
        toml::Value::Table(table) => {
            for (key, value) in table {
                if path.is_empty() && !is_fact(key) {
                    continue;
                }
                let path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                flatten(value, &path, out);
            }
        }
        other => {
            out.insert(path.to_string(), other.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Nation;
    use crate::content::Templates;

    #[test]
    fn every_placeholder_is_filled_for_every_nation() {
        let templates = Templates::load(None).unwrap();
        for nation in Nation::all() {
            let facts = templates.nation(nation).unwrap().with_days(Some(4));
            for step in &facts.next_steps {
                assert!(!step.contains('{'), "{}: {step}", nation.key());
            }
        }
        let scotland = templates
            .nation(Nation::from_key("scotland").unwrap())
            .unwrap()
            .with_days(Some(4));
        assert!(
            scotland
                .next_steps
                .iter()
                .any(|s| s.contains("within 4 working days"))
        );
    }

    #[test]
    fn every_fact_of_every_built_in_nation_has_a_dated_source() {
        let templates = Templates::load(None).unwrap();
        for nation in Nation::all() {
            let facts = templates.nation(nation).unwrap().facts().unwrap();
            assert!(facts.len() > 20, "{}", nation.key());
            for fact in facts {
                assert!(!fact.sources.is_empty(), "{}: {}", nation.key(), fact.key);
                for source in fact.sources {
                    assert!(source.url.starts_with("https://"), "{}", source.url);
                    assert!(source.checked.date.is_some());
                }
            }
        }
    }

    fn england() -> NationFacts {
        Templates::load(None)
            .unwrap()
            .nation(Nation::from_key("england").unwrap())
            .unwrap()
            .clone()
    }

    #[test]
    fn refuses_a_fact_without_a_source() {
        let mut facts = england();
        for source in &mut facts.sources {
            source.facts.retain(|f| f != "time_limit_extension");
        }
        let error = facts.facts().unwrap_err().to_string();
        assert!(
            error.contains("no source for time_limit_extension"),
            "{error}"
        );
    }

    #[test]
    fn refuses_a_source_naming_no_fact() {
        let mut facts = england();
        facts.sources[0].facts.push("time_limit_extensoin".into());
        let error = facts.facts().unwrap_err().to_string();
        assert!(error.contains("`time_limit_extensoin`"), "{error}");
    }

    #[test]
    fn refuses_a_placeholder_without_its_number() {
        let mut facts = england();
        facts.frontline_working_days = None;
        facts
            .next_steps
            .push("Within {frontline} working days.".into());
        let error = facts.check_placeholders().unwrap_err().to_string();
        assert!(error.contains("{frontline}"), "{error}");
        let wales = Templates::load(None)
            .unwrap()
            .nation(Nation::from_key("wales").unwrap())
            .unwrap()
            .clone();
        assert!(wales.acknowledge_working_days.is_none());
        for step in &wales.with_days(None).next_steps {
            assert!(!step.contains('{'), "{step}");
        }
    }

    #[test]
    fn a_table_name_covers_its_keys() {
        assert!(covers("ombudsman", "ombudsman.phone"));
        assert!(covers("ombudsman.phone", "ombudsman.phone"));
        assert!(!covers("ombudsman", "ombudsman_when"));
    }
}
