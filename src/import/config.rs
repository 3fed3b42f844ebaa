//! The config file an import writes, and the refresh of one it wrote before.
//!
//! A new file holds the practice keys that come from ODS, the slug (so a
//! later change of name never moves the output folder) and either
//! `extends = "…"` or commented placeholders for the sections ODS cannot
//! fill, so that `policypack check` points at each one. `--update` changes
//! only the ODS keys, through `toml_edit`, so every other key, comment and
//! blank line stays as the practice left it.

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::config::Nation;
use crate::config::rules::{normalise_postcode, phone_digits};

/// What ODS says about a practice, made readable and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practice {
    pub name: String,
    pub slug: String,
    pub ods_code: String,
    pub nation: Nation,
    pub address: Vec<String>,
    pub postcode: String,
    pub phone: String,
}

/// The `[practice]` keys that come from ODS, which `--update` refreshes.
pub const ODS_KEYS: [&str; 6] = ["name", "ods_code", "nation", "address", "postcode", "phone"];

/// TOML basic-string form of a value: quotes and backslashes escaped.
fn quoted(value: &str) -> String {
    toml::Value::String(value.to_string()).to_string()
}

/// The text of a new config for `practice`.
pub fn new_config(practice: &Practice, extends: Option<&str>) -> String {
    let address: Vec<String> = practice.address.iter().map(|l| quoted(l)).collect();
    let mut text = format!(
        "# {name} ({ods}), imported from the NHS ODS practice list (epraccur).\n\
         # `policypack import epraccur … --update` refreshes the [practice] keys that\n\
         # come from ODS: name, ods_code, nation, address, postcode and phone.\n\
         # Everything else here is yours, and is kept.\n",
        name = practice.name,
        ods = practice.ods_code,
    );
    match extends {
        Some(path) => text.push_str(&format!("extends = {}\n", quoted(path))),
        None => text.push_str(
            "\n# Shared defaults (for example your LMC's), relative to this file:\n# extends = \"_lmc.toml\"\n",
        ),
    }
    text.push_str(&format!(
        "\n[practice]\n\
         name = {name}\n\
         slug = {slug}  # names the output folder; kept when the name changes\n\
         ods_code = {ods}\n\
         nation = {nation}\n\
         address = [{address}]\n\
         postcode = {postcode}\n\
         phone = {phone}\n\
         # email = \"\"\n\
         # website = \"https://\"\n\
         # complaints_page = \"https://\"  # printed as a link and a QR code\n",
        name = quoted(&practice.name),
        slug = quoted(&practice.slug),
        ods = quoted(&practice.ods_code),
        nation = quoted(practice.nation.key()),
        address = address.join(", "),
        postcode = quoted(&practice.postcode),
        phone = quoted(&practice.phone),
    ));
    if extends.is_none() {
        text.push_str(PLACEHOLDERS);
    }
    text
}

/// The required sections ODS cannot fill, left empty for the practice.
const PLACEHOLDERS: &str = r#"
# Fill in the empty values below, then run `policypack check` on this file.

[complaints]
lead_role = ""                  # required: who handles complaints, e.g. "Practice Manager"
# lead_name = ""
# phone = ""                    # defaults to the practice phone
# email = ""

# The commissioner: the ICB in England, the health board in Wales.
# At least one of phone, email, website.
[commissioner]
name = ""                       # required, e.g. "NHS South Yorkshire Integrated Care Board"
# phone = ""
# email = ""
# website = "https://"

# Independent complaints advocacy; in England name your area's service.
# [advocacy]
# name = ""
# phone = ""
# website = "https://"

[social_media]
monitored_by = ""               # required: the role that watches online feedback, e.g. "Practice Manager"

[policy]
# issued = 2026-11-01           # required: the date the policy is issued (no quotes)
"#;

/// Refreshes the ODS keys of an existing config. Returns the new text and
/// the keys that changed, or None when nothing did. Values that differ only
/// in case or spacing (a name whose capitals the practice corrected, a phone
/// number grouped differently) are left as the practice wrote them.
pub fn update_config(
    existing: &str,
    practice: &Practice,
) -> Result<Option<(String, Vec<&'static str>)>, String> {
    let mut doc: DocumentMut = existing
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("not valid TOML: {}", e.message()))?;
    let table = doc
        .entry("practice")
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_like_mut()
        .ok_or("[practice] is not a table")?;
    if let Some(code) = table.get("ods_code").and_then(Item::as_str)
        && code != practice.ods_code
    {
        return Err(format!(
            "it is the config of ODS code {code}, not {}; rename one of the files",
            practice.ods_code
        ));
    }
    let address: Array = practice.address.iter().map(String::as_str).collect();
    let fresh: [(&'static str, Value); 6] = [
        ("name", practice.name.as_str().into()),
        ("ods_code", practice.ods_code.as_str().into()),
        ("nation", practice.nation.key().into()),
        ("address", Value::Array(address)),
        ("postcode", practice.postcode.as_str().into()),
        ("phone", practice.phone.as_str().into()),
    ];
    let mut changed = Vec::new();
    for (key, new) in fresh {
        let old = table.get_mut(key).and_then(Item::as_value_mut);
        match old {
            Some(old) if same(key, old, &new) => {}
            Some(old) => {
                let decor = old.decor().clone();
                *old = new;
                *old.decor_mut() = decor;
                changed.push(key);
            }
            None => {
                table.insert(key, Item::Value(new));
                changed.push(key);
            }
        }
    }
    Ok((!changed.is_empty()).then(|| (doc.to_string(), changed)))
}

/// Whether an existing value already says what ODS says.
fn same(key: &str, old: &Value, new: &Value) -> bool {
    let text = |v: &Value| {
        v.as_str()
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    match key {
        "postcode" => {
            let norm = |v: &Value| v.as_str().and_then(|s| normalise_postcode(s).ok());
            norm(old).is_some() && norm(old) == norm(new)
        }
        "phone" => {
            let digits = |v: &Value| v.as_str().and_then(|s| phone_digits(s).ok());
            digits(old).is_some() && digits(old) == digits(new)
        }
        "address" => match (old.as_array(), new.as_array()) {
            (Some(a), Some(b)) => {
                a.len() == b.len()
                    && a.iter().zip(b.iter()).all(|(x, y)| {
                        matches!((text(x), text(y)), (Some(x), Some(y)) if x.eq_ignore_ascii_case(&y))
                    })
            }
            _ => false,
        },
        "name" => matches!((text(old), text(new)), (Some(x), Some(y)) if x.eq_ignore_ascii_case(&y)),
        _ => old.as_str().is_some() && old.as_str() == new.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn practice() -> Practice {
        Practice {
            name: "St John's \"Star\" Surgery".into(),
            slug: "st-johns-star-surgery".into(),
            ods_code: "C86020".into(),
            nation: Nation::England,
            address: vec!["Greenfield Lane".into(), "Balby".into(), "Doncaster".into()],
            postcode: "DN4 0TH".into(),
            phone: "01302 854521".into(),
        }
    }

    #[test]
    fn new_config_is_toml_with_the_ods_keys() {
        for extends in [None, Some("../_lmc.toml")] {
            let text = new_config(&practice(), extends);
            let value: toml::Table = toml::from_str(&text).unwrap();
            let p = &value["practice"];
            assert_eq!(p["name"].as_str(), Some("St John's \"Star\" Surgery"));
            assert_eq!(p["slug"].as_str(), Some("st-johns-star-surgery"));
            assert_eq!(p["address"].as_array().unwrap().len(), 3);
            assert_eq!(value.get("extends").and_then(|v| v.as_str()), extends);
            assert_eq!(value.contains_key("commissioner"), extends.is_none());
        }
    }

    #[test]
    fn update_keeps_comments_and_other_keys() {
        let before = new_config(&practice(), Some("_lmc.toml")).replace(
            "# email = \"\"",
            "email = \"stjohns@nhs.net\"  # the front desk",
        ) + "\n[complaints]\nlead_name = \"Jane Smith\"\n";
        let mut moved = practice();
        moved.phone = "01302 000000".into();
        moved.address[0] = "Greenfield Road".into();
        let (after, changed) = update_config(&before, &moved).unwrap().unwrap();
        assert_eq!(changed, ["address", "phone"]);
        assert!(after.contains("email = \"stjohns@nhs.net\"  # the front desk"));
        assert!(after.contains("lead_name = \"Jane Smith\""));
        assert!(after.contains("phone = \"01302 000000\"\n"));
        assert!(after.contains("slug = \"st-johns-star-surgery\"  # names the output folder"));
        assert_eq!(
            after
                .replace("01302 000000", "01302 854521")
                .replace("Greenfield Road", "Greenfield Lane"),
            before
        );
    }

    #[test]
    fn update_leaves_the_practices_own_spelling() {
        let before = new_config(&practice(), None)
            .replace(
                "St John's \\\"Star\\\" Surgery",
                "ST JOHN'S \\\"STAR\\\" SURGERY",
            )
            .replace("01302 854521", "(01302) 854-521")
            .replace("DN4 0TH", "dn40th");
        assert!(before.contains("(01302) 854-521"));
        assert_eq!(update_config(&before, &practice()).unwrap(), None);
    }

    #[test]
    fn update_refuses_another_practices_file() {
        let before = new_config(&practice(), None);
        let mut other = practice();
        other.ods_code = "C86099".into();
        let problem = update_config(&before, &other).unwrap_err();
        assert!(problem.contains("C86020"), "{problem}");
        assert!(update_config("[practice", &practice()).is_err());
    }
}
