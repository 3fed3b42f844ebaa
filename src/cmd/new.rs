//! `policypack new`: write a commented starter config.
//!
//! The starter fills in what the command line gave (name, nation) and leaves
//! the practice's own contact details empty, so `check` points at each one
//! still to fill in. It never overwrites a file.

use std::io::Write as _;

use anyhow::{Context as _, bail};

use crate::Outcome;
use crate::cli::{GlobalArgs, NewArgs};
use crate::config::Nation;
use crate::content::nation::NationFacts;

pub fn run(args: &NewArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    crate::input::no_link_of_others(&args.path)?;
    let nation = args.nation;
    let name = args.name.as_deref().unwrap_or("");
    if let Err(problem) = crate::config::rules::check_plain_text(name) {
        bail!("--name {}; {}", problem.message, problem.hint);
    }
    let templates = crate::content::Templates::load(None)?;
    let text = starter(name, nation, templates.nation(nation)?);
    if let Some(dir) = args.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    // create_new: refuse to overwrite, even if the file appears meanwhile.
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&args.path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!(
                "{} already exists; policypack new never overwrites a config. Choose another file name, or edit that one",
                args.path.display()
            )
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", args.path.display())),
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", args.path.display()))?;
    if !global.quiet {
        println!("wrote {}", args.path.display());
        println!(
            "next: fill in the empty values, then run  policypack check {}",
            args.path.display()
        );
    }
    Ok(Outcome::Success)
}

/// TOML basic-string form of a value: quotes and backslashes escaped.
fn quoted(value: &str) -> String {
    toml::Value::String(value.to_string()).to_string()
}

/// The starter config: examples and defaults come from the nation's facts,
/// so a practice in Wales sees a Welsh address and its health board.
fn starter(name: &str, nation: Nation, facts: &NationFacts) -> String {
    let example = &facts.example;
    let list = |items: &[String]| {
        format!(
            "[{}]",
            items
                .iter()
                .map(|i| quoted(i))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let acknowledge = match facts.acknowledge_working_days {
        Some(days) => format!(
            "# acknowledge_working_days = {days}  # defaults to the rule for {}",
            facts.name
        ),
        None => format!(
            "# acknowledge_working_days = 5  # the time your practice commits to; {} has no default here",
            facts.name
        ),
    };
    let advocacy = match &facts.advocacy {
        None => format!(
            "# {} has no national service: name your area's NHS complaints advocacy here.\n[advocacy]\nname = \"\"                       # e.g. {}\nphone = \"\"\nwebsite = \"https://\"\n",
            facts.name,
            quoted(example.advocacy.as_deref().unwrap_or("")),
        ),
        Some(service) => format!(
            "# Left out, the leaflet names the national service: {}. Uncomment to name another.\n# [advocacy]\n# name = \"\"\n",
            service.name
        ),
    };
    format!(
        r##"# policypack practice config. Every value is plain text; fill in the empty ones,
# then run `policypack check` on this file. `policypack schema` lists every key.

# Shared defaults (for example your LMC's), relative to this file:
# extends = "_lmc.toml"

[practice]
name = {name}
# slug = ""                     # output folder name; derived from the name if left out
# ods_code = ""                 # the practice's NHS ODS code, if it has one
nation = "{nation}"
address = []                    # 1-6 lines without the postcode, e.g. {address}
postcode = ""                   # e.g. {postcode}
phone = ""                      # e.g. {phone}
# email = ""
# website = "https://"
# complaints_page = "https://"  # printed as a link and a QR code

[complaints]
# lead_name = ""                # the person who handles complaints (optional)
lead_role = "Practice Manager"
# phone = ""                    # defaults to the practice phone
# email = ""
# address = []                  # defaults to the practice address
{acknowledge}

# The commissioner ({commissioner}). At least one of phone, email, website.
[commissioner]
name = ""                       # e.g. {commissioner_example}
# phone = ""
# email = ""
# website = "https://"

{advocacy}
# Your Local Medical Committee, for staff support.
# [lmc]
# name = ""
# phone = ""
# website = "https://"

# Medical defence organisations; repeat the block for each.
# [[defence_organisations]]
# name = ""
# phone = ""
# website = "https://"

[social_media]
# accounts = [{{ platform = "Facebook", url = "https://www.facebook.com/..." }}]
monitored_by = "Practice Manager"   # the role that watches online feedback
reply_within_working_days = 2

[policy]
issued = {today}               # the date the policy is issued (YYYY-MM-DD, no quotes)
review_months = 12
# approved_by = ""              # e.g. "Dr A Patel, Senior Partner"
# version = "1.0"

# [branding]
# accent_colour = "#005EB8"     # must reach 4.5:1 contrast against white
# logo = "logo.png"             # PNG or JPEG, relative to this file
"##,
        name = quoted(name),
        nation = nation.key(),
        address = list(&example.address),
        postcode = quoted(&example.postcode),
        phone = quoted(&example.phone),
        commissioner = facts.commissioner_kind,
        commissioner_example = quoted(&example.commissioner),
        today = chrono::Local::now().date_naive(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_parses_as_toml_for_every_nation() {
        let templates = crate::content::Templates::load(None).unwrap();
        for nation in Nation::all() {
            let facts = templates.nation(nation).unwrap();
            let text = starter("St John's \"Star\" Surgery", nation, facts);
            let value: toml::Table =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", nation.key()));
            assert_eq!(
                value["practice"]["name"].as_str(),
                Some("St John's \"Star\" Surgery")
            );
            assert_eq!(value["practice"]["nation"].as_str(), Some(nation.key()));
            assert!(text.contains(&facts.example.postcode), "{text}");
            assert!(text.contains(&facts.example.commissioner), "{text}");
            if nation != Nation::from_key("england").unwrap() {
                assert!(!text.contains("Doncaster"), "{}: {text}", nation.key());
            }
        }
    }
}
