//! The NHS complaints facts of each UK nation, read from
//! `policy-templates/nations/<nation>.toml`.
//!
//! Facts live in data, not in templates or Rust: the ombudsman, time limits,
//! first-response times and the default advocacy service all come from
//! these files, and an LMC can override one with `--templates`.

use serde::{Deserialize, Serialize};

/// One nation's complaints rules. Text fields are Markdown written by us.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NationFacts {
    /// "England", "Wales", "Scotland", "Northern Ireland".
    pub name: String,
    /// The rules that apply, as a phrase: "the NHS complaints regulations for England (2009)".
    pub rules: String,
    /// Months from the event (or from becoming aware of it) to complain.
    pub time_limit_months: u8,
    /// The time limit in plain words, for patients.
    pub time_limit: String,
    /// When a later complaint can still be looked at.
    pub time_limit_extension: String,
    /// Default working days to acknowledge a complaint (or a stage 2 complaint).
    pub acknowledge_working_days: u8,
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
    /// How the commissioner route works: in England, the practice or the ICB, not both.
    pub commissioner_route: String,
    /// The public-services ombudsman.
    pub ombudsman: FactsContact,
    /// When people can go to the ombudsman.
    pub ombudsman_when: String,
    /// The nation's free complaints advocacy service; England has none nationally.
    pub advocacy: Option<FactsContact>,
    /// What advocacy is, and what to do where no service is configured.
    pub advocacy_about: String,
    /// Who may complain for someone else and when consent is not needed.
    pub consent: Vec<String>,
}

/// An organisation named in the nation facts.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FactsContact {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

impl NationFacts {
    /// The facts with the working-day placeholders in `next_steps` filled in.
    pub fn with_days(&self, acknowledge: u8) -> NationFacts {
        let fill = |text: &String| {
            let mut text = text.replace("{acknowledge}", &acknowledge.to_string());
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

#[cfg(test)]
mod tests {
    use crate::config::Nation;
    use crate::content::Templates;

    #[test]
    fn every_placeholder_is_filled_for_every_nation() {
        let templates = Templates::load(None).unwrap();
        for nation in Nation::ALL {
            let facts = templates.nation(nation).unwrap().with_days(4);
            for step in &facts.next_steps {
                assert!(!step.contains('{'), "{}: {step}", nation.key());
            }
        }
        let scotland = templates.nation(Nation::Scotland).unwrap().with_days(4);
        assert!(
            scotland
                .next_steps
                .iter()
                .any(|s| s.contains("within 4 working days"))
        );
    }
}
