//! The config file an import writes, and the refresh of one it wrote before.
//!
//! A new file holds the practice keys that come from ODS, the slug (so a
//! later change of name never moves the output folder) and either
//! `extends = "…"` or commented placeholders for the sections ODS cannot
//! fill, so that `policypack check` points at each one. `--update` changes
//! only the ODS keys, through `toml_edit`, so every other key, comment and
//! blank line stays as the practice left it.

use std::ops::Range;

use toml_edit::{Item, Table, Value};

use crate::config::rules::{Problem, check_kept_key, normalise_postcode, phone_digits};
use crate::config::{KeptKey, Nation};

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

/// A `[practice]` key that comes from ODS, which `--update` refreshes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OdsKey {
    Name,
    OdsCode,
    Nation,
    Address,
    Postcode,
    Phone,
}

impl OdsKey {
    /// Every one, in the order a new config writes them.
    const ALL: [OdsKey; 6] = [
        OdsKey::Name,
        OdsKey::OdsCode,
        OdsKey::Nation,
        OdsKey::Address,
        OdsKey::Postcode,
        OdsKey::Phone,
    ];

    /// The key path: `practice.phone`.
    fn path(self) -> &'static str {
        match self {
            OdsKey::Name => "practice.name",
            OdsKey::OdsCode => "practice.ods_code",
            OdsKey::Nation => "practice.nation",
            OdsKey::Address => "practice.address",
            OdsKey::Postcode => "practice.postcode",
            OdsKey::Phone => "practice.phone",
        }
    }

    /// The key within `[practice]`: `phone`.
    fn field(self) -> &'static str {
        &self.path()["practice.".len()..]
    }

    /// Its value for `practice`, as ODS gives it.
    fn value(self, practice: &Practice) -> Value {
        match self {
            OdsKey::Name => practice.name.as_str().into(),
            OdsKey::OdsCode => practice.ods_code.as_str().into(),
            OdsKey::Nation => practice.nation.key().into(),
            OdsKey::Address => Value::Array(practice.address.iter().map(String::as_str).collect()),
            OdsKey::Postcode => practice.postcode.as_str().into(),
            OdsKey::Phone => practice.phone.as_str().into(),
        }
    }
}

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
         # come from ODS: name, ods_code, nation, address, postcode and phone. A name\n\
         # or phone number you change is reported, not replaced. To keep any of name,\n\
         # address, postcode or phone as you write it, list it here, e.g.\n\
         # keep = [\"practice.phone\"]\n\
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

/// A key an import writes or changes, with its value before (None: a new
/// file, or a key that was missing) and after, as TOML values.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The key path: `practice.phone`, or `extends` in a new file.
    pub key: &'static str,
    pub old: Option<toml::Value>,
    pub new: toml::Value,
}

/// Why an update left a value that says something other than ODS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Left {
    /// The key is in `keep`.
    Kept,
    /// A name or phone number that differs by more than formatting, and
    /// `--force` was not given: reported, for a person to decide.
    Differs,
}

/// A value an update left as the config has it, though ODS says otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub key: KeptKey,
    /// The value in the config, and the one in ODS.
    pub config: toml::Value,
    pub ods: toml::Value,
    /// Where the config's value is written.
    pub span: Option<Range<usize>>,
    pub left: Left,
}

/// What an update changes, and what it leaves.
#[derive(Debug, Clone, Default)]
pub struct Update {
    /// The config's new text, when a key changed.
    pub text: Option<String>,
    pub changes: Vec<Change>,
    pub differences: Vec<Difference>,
}

/// Why a config cannot be updated, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub key: Option<String>,
    pub span: Option<Range<usize>>,
    pub hint: Option<String>,
}

impl Refusal {
    fn new(message: impl Into<String>) -> Refusal {
        Refusal {
            message: message.into(),
            key: None,
            span: None,
            hint: None,
        }
    }
}

/// A config that exists, read for an update: its text with the place of
/// every value, and its own `keep`.
#[derive(Debug)]
pub struct Existing {
    doc: toml_edit::Document<String>,
    keep: Option<Vec<KeptKey>>,
    extends: bool,
}

impl Existing {
    /// Reads a config's text. Refused when it is not TOML, or its own
    /// `keep` is not a list of keys that `keep` can hold: the update would
    /// not know what the practice meant to keep.
    pub fn parse(text: &str) -> Result<Existing, Refusal> {
        let doc = toml_edit::Document::parse(text.to_string()).map_err(|e| Refusal {
            span: e.span(),
            ..Refusal::new(format!("not valid TOML: {}", e.message().trim_end()))
        })?;
        let keep = doc.get("keep").map(read_keep).transpose()?;
        let extends = doc.contains_key("extends");
        Ok(Existing { doc, keep, extends })
    }

    /// The config's own `keep`, if it has one.
    pub fn keep(&self) -> Option<&[KeptKey]> {
        self.keep.as_deref()
    }

    /// Whether it extends shared defaults, which may set `keep` for it.
    pub fn extends(&self) -> bool {
        self.extends
    }

    /// Refreshes the ODS keys from `practice`. `inherited` is `keep` as
    /// the files this config extends set it; the config's own `keep`
    /// replaces it, as any list does. Keys in `keep` are never changed. A
    /// value that differs from ODS only in formatting (a name whose
    /// capitals or apostrophe the practice corrected, a phone number
    /// grouped differently) is left as the practice wrote it. A name or
    /// phone number that says something else is left too, and reported,
    /// unless `force`. Address and postcode follow ODS.
    pub fn update(
        self,
        practice: &Practice,
        inherited: &[KeptKey],
        force: bool,
    ) -> Result<Update, Refusal> {
        let keep = self.keep.clone().unwrap_or_else(|| inherited.to_vec());
        let spans: Vec<(&str, Range<usize>)> = OdsKey::ALL
            .iter()
            .map(|key| key.field())
            .filter_map(|key| {
                let item = self.doc.get("practice")?.as_table_like()?.get(key)?;
                Some((key, item.span()?))
            })
            .collect();
        let span_of = |key: &str| {
            spans
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, s)| s.clone())
        };
        let mut doc = self.doc.into_mut();
        let table = doc
            .entry("practice")
            .or_insert_with(|| Item::Table(Table::new()))
            .as_table_like_mut()
            .ok_or_else(|| Refusal {
                key: Some("practice".into()),
                ..Refusal::new("[practice] is not a table")
            })?;
        if let Some(code) = table.get("ods_code").and_then(Item::as_str)
            && code != practice.ods_code
        {
            return Err(Refusal {
                key: Some("practice.ods_code".into()),
                span: span_of("ods_code"),
                ..Refusal::new(format!(
                    "it is the config of ODS code {code}, not {}; rename one of the files",
                    practice.ods_code
                ))
            });
        }
        let mut update = Update::default();
        for ods_key in OdsKey::ALL {
            let (key, path, new) = (ods_key.field(), ods_key.path(), ods_key.value(practice));
            let kept = KeptKey::ALL.into_iter().find(|k| k.field() == key);
            let held = kept.filter(|k| keep.contains(k));
            // ODS is the authority for where a practice is; what it is
            // called and how patients ring it, the practice knows best.
            let guarded = kept.filter(|k| matches!(k, KeptKey::Name | KeptKey::Phone) && !force);
            match table.get_mut(key).and_then(Item::as_value_mut) {
                Some(old) if same(key, old, &new) => {}
                Some(old) if held.or(guarded).is_some() => {
                    update.differences.push(Difference {
                        key: held.or(guarded).expect("held or guarded"),
                        config: plain(old),
                        ods: plain(&new),
                        span: span_of(key),
                        left: if held.is_some() {
                            Left::Kept
                        } else {
                            Left::Differs
                        },
                    });
                }
                Some(old) => {
                    update.changes.push(Change {
                        key: path,
                        old: Some(plain(old)),
                        new: plain(&new),
                    });
                    let decor = old.decor().clone();
                    *old = new;
                    *old.decor_mut() = decor;
                }
                // A kept key is never written, even when it is missing.
                None if held.is_some() => {}
                None => {
                    update.changes.push(Change {
                        key: path,
                        old: None,
                        new: plain(&new),
                    });
                    table.insert(key, Item::Value(new));
                }
            }
        }
        if !update.changes.is_empty() {
            update.text = Some(doc.to_string());
        }
        Ok(update)
    }
}

/// `keep` as written in a config: a list of keys it can hold.
fn read_keep(item: &Item) -> Result<Vec<KeptKey>, Refusal> {
    let Some(list) = item.as_array() else {
        return Err(Refusal {
            key: Some("keep".into()),
            span: item.span(),
            hint: Some("write keep = [\"practice.phone\"]".into()),
            ..Refusal::new("expected a list in square brackets")
        });
    };
    list.iter()
        .enumerate()
        .map(|(i, entry)| {
            let key = format!("keep[{}]", i + 1);
            let problem = match entry.as_str() {
                Some(text) => check_kept_key(text),
                None => Err(Problem {
                    message: "expected text in double quotes".into(),
                    hint: "write keep = [\"practice.phone\"]".into(),
                }),
            };
            problem.map_err(|p| Refusal {
                message: p.message,
                key: Some(key),
                span: entry.span(),
                hint: Some(p.hint),
            })
        })
        .collect()
}

/// Refreshes the ODS keys of a config that extends nothing; see
/// [`Existing::update`].
pub fn update_config(existing: &str, practice: &Practice, force: bool) -> Result<Update, Refusal> {
    Existing::parse(existing)?.update(practice, &[], force)
}

/// The keys a new config for `practice` sets, with their values.
pub fn new_config_keys(practice: &Practice, extends: Option<&str>) -> Vec<Change> {
    let mut keys = Vec::new();
    if let Some(path) = extends {
        keys.push(("extends", toml::Value::String(path.into())));
    }
    for key in OdsKey::ALL {
        keys.push((key.path(), plain(&key.value(practice))));
        if key == OdsKey::Name {
            keys.push(("practice.slug", toml::Value::String(practice.slug.clone())));
        }
    }
    keys.into_iter()
        .map(|(key, new)| Change {
            key,
            old: None,
            new,
        })
        .collect()
}

/// A `toml_edit` value as a plain TOML value, without its comments.
fn plain(value: &Value) -> toml::Value {
    let mut bare = value.clone();
    bare.decor_mut().clear();
    let text = bare.to_string();
    // A value alone is not a document; as `v = …` it is.
    toml::from_str::<toml::Table>(&format!("v = {text}\n"))
        .ok()
        .and_then(|mut table| table.remove("v"))
        .unwrap_or(toml::Value::String(text))
}

/// A value on one line, for people: text in double quotes (escaped as in
/// JSON, which TOML reads too, with every character a terminal would act
/// on as a `\uXXXX` escape: a config is a member practice's), lists in
/// square brackets.
pub fn shown(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => crate::diagnostics::json_line(text),
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(shown).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// Whether an existing value already says what ODS says: the same but for
/// case, spacing and punctuation (a name, an address line), the same
/// postcode, the same digits of a phone number.
fn same(key: &str, old: &Value, new: &Value) -> bool {
    let text = |v: &Value| v.as_str().map(loose);
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
                    && a.iter()
                        .zip(b.iter())
                        .all(|(x, y)| text(x).is_some() && text(x) == text(y))
            }
            _ => false,
        },
        "name" => text(old).is_some_and(|t| !t.is_empty()) && text(old) == text(new),
        _ => old.as_str().is_some() && old.as_str() == new.as_str(),
    }
}

/// Text with formatting taken out: lower case, punctuation dropped,
/// spaces collapsed. `St. John's  Surgery` and `ST JOHNS SURGERY` read the
/// same; `St John Surgery` does not.
fn loose(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn practice() -> Practice {
        Practice {
            name: "St John's \"Star\" Surgery".into(),
            slug: "st-johns-star-surgery".into(),
            ods_code: "C86020".into(),
            nation: Nation::from_key("england").unwrap(),
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

    /// The practice's name as a new config writes it.
    const NAME: &str = r#""""St John's "Star" Surgery""""#;

    /// A config as imported for `practice()` with `_lmc.toml`, `top`
    /// written above it and each of `swaps` made (each must be there).
    fn imported(top: &str, swaps: &[(&str, &str)]) -> String {
        let mut text = format!("{top}{}", new_config(&practice(), Some("_lmc.toml")));
        for (from, to) in swaps {
            assert!(text.contains(from), "{from} is not in\n{text}");
            text = text.replace(from, to);
        }
        assert!(toml::from_str::<toml::Table>(&text).is_ok(), "{text}");
        text
    }

    fn text(value: &str) -> toml::Value {
        toml::Value::String(value.into())
    }

    #[test]
    fn update_keeps_comments_and_other_keys() {
        let before = imported(
            "",
            &[(
                "# email = \"\"",
                "email = \"stjohns@nhs.net\"  # the front desk",
            )],
        ) + "\n[complaints]\nlead_name = \"Jane Smith\"\n";
        let mut moved = practice();
        moved.postcode = "DN4 0AB".into();
        moved.address[0] = "Greenfield Road".into();
        let update = update_config(&before, &moved, false).unwrap();
        let after = update.text.unwrap();
        assert_eq!(
            update.changes,
            [
                Change {
                    key: "practice.address",
                    old: Some(toml::Value::Array(vec![
                        text("Greenfield Lane"),
                        text("Balby"),
                        text("Doncaster")
                    ])),
                    new: toml::Value::Array(vec![
                        text("Greenfield Road"),
                        text("Balby"),
                        text("Doncaster")
                    ]),
                },
                Change {
                    key: "practice.postcode",
                    old: Some(text("DN4 0TH")),
                    new: text("DN4 0AB"),
                },
            ]
        );
        assert!(update.differences.is_empty());
        assert!(after.contains("email = \"stjohns@nhs.net\"  # the front desk"));
        assert!(after.contains("lead_name = \"Jane Smith\""));
        assert!(after.contains("slug = \"st-johns-star-surgery\"  # names the output folder"));
        assert_eq!(
            after
                .replace("DN4 0AB", "DN4 0TH")
                .replace("Greenfield Road", "Greenfield Lane"),
            before
        );
    }

    #[test]
    fn update_leaves_the_practices_own_spelling() {
        let before = imported(
            "",
            &[
                (NAME, "'ST. JOHNS  \"STAR\" SURGERY'"),
                ("01302 854521", "(01302) 854-521"),
                ("DN4 0TH", "dn40th"),
                ("\"Balby\"", "\"BALBY,\""),
            ],
        );
        for force in [false, true] {
            let update = update_config(&before, &practice(), force).unwrap();
            assert_eq!(update.text, None, "force {force}");
            assert!(update.changes.is_empty());
            assert!(update.differences.is_empty(), "{:?}", update.differences);
        }
    }

    #[test]
    fn a_name_or_phone_that_says_something_else_is_reported_not_replaced() {
        let before = imported(
            "",
            &[(NAME, "\"Star Surgery\""), ("01302 854521", "01302 999999")],
        );
        let update = update_config(&before, &practice(), false).unwrap();
        assert_eq!(update.text, None);
        assert!(update.changes.is_empty());
        let [name, phone] = &update.differences[..] else {
            panic!("{:?}", update.differences)
        };
        assert_eq!(name.key, KeptKey::Name);
        assert_eq!(name.left, Left::Differs);
        assert_eq!(name.config, text("Star Surgery"));
        assert_eq!(name.ods, text("St John's \"Star\" Surgery"));
        assert_eq!(&before[name.span.clone().unwrap()], "\"Star Surgery\"");
        assert_eq!(phone.key, KeptKey::Phone);
        assert_eq!(phone.left, Left::Differs);
        assert_eq!(phone.config, text("01302 999999"));
        assert_eq!(phone.ods, text("01302 854521"));
        assert_eq!(&before[phone.span.clone().unwrap()], "\"01302 999999\"");
    }

    #[test]
    fn force_takes_the_ods_name_and_phone() {
        let before = imported(
            "",
            &[(NAME, "\"Star Surgery\""), ("01302 854521", "01302 999999")],
        );
        let update = update_config(&before, &practice(), true).unwrap();
        let keys: Vec<&str> = update.changes.iter().map(|c| c.key).collect();
        assert_eq!(keys, ["practice.name", "practice.phone"]);
        assert!(update.differences.is_empty());
        assert_eq!(
            update.text.unwrap(),
            new_config(&practice(), Some("_lmc.toml"))
        );
    }

    #[test]
    fn keep_is_never_overwritten_even_with_force() {
        let before = imported(
            "keep = [\"practice.phone\", \"practice.address\"]\n",
            &[
                ("01302 854521", "01302 999999"),
                ("\"Balby\"", "\"Bessacarr\""),
                (NAME, "\"Star Surgery\""),
            ],
        );
        let update = update_config(&before, &practice(), false).unwrap();
        assert_eq!(update.text, None);
        let left: Vec<(KeptKey, Left)> =
            update.differences.iter().map(|d| (d.key, d.left)).collect();
        assert_eq!(
            left,
            [
                (KeptKey::Name, Left::Differs),
                (KeptKey::Address, Left::Kept),
                (KeptKey::Phone, Left::Kept)
            ]
        );

        // --force takes the name from ODS; the kept keys stay.
        let update = update_config(&before, &practice(), true).unwrap();
        let after = update.text.unwrap();
        assert!(after.contains("phone = \"01302 999999\""), "{after}");
        assert!(after.contains("\"Bessacarr\""), "{after}");
        assert!(after.contains(&format!("name = {NAME}")), "{after}");
        let left: Vec<(KeptKey, Left)> =
            update.differences.iter().map(|d| (d.key, d.left)).collect();
        assert_eq!(
            left,
            [(KeptKey::Address, Left::Kept), (KeptKey::Phone, Left::Kept)]
        );
    }

    #[test]
    fn keep_from_shared_defaults_applies_unless_the_config_has_its_own() {
        let mut moved = practice();
        moved.postcode = "DN4 0AB".into();
        let existing = Existing::parse(&imported("", &[])).unwrap();
        assert!(existing.extends());
        assert_eq!(existing.keep(), None);
        let update = existing
            .update(&moved, &[KeptKey::Postcode], false)
            .unwrap();
        assert_eq!(update.text, None);
        assert_eq!(update.differences[0].left, Left::Kept);

        // The config's own list replaces the shared one, as lists do.
        let own = imported("keep = [\"practice.name\"]\n", &[]);
        let existing = Existing::parse(&own).unwrap();
        assert_eq!(existing.keep(), Some(&[KeptKey::Name][..]));
        let update = existing
            .update(&moved, &[KeptKey::Postcode], false)
            .unwrap();
        assert_eq!(update.changes[0].key, "practice.postcode");

        // `keep = []` keeps nothing, whatever the shared file says.
        let none = imported("keep = []\n", &[]);
        let update = Existing::parse(&none)
            .unwrap()
            .update(&moved, &[KeptKey::Postcode], false)
            .unwrap();
        assert_eq!(update.changes.len(), 1);
    }

    #[test]
    fn a_kept_key_that_is_missing_is_not_added() {
        let no_phone = ("phone = \"01302 854521\"\n", "");
        let before = imported("keep = [\"practice.phone\"]\n", &[no_phone]);
        let update = update_config(&before, &practice(), true).unwrap();
        assert_eq!(update.text, None);
        assert!(update.changes.is_empty() && update.differences.is_empty());
        // Not kept: put back.
        let before = imported("", &[no_phone]);
        let update = update_config(&before, &practice(), false).unwrap();
        assert_eq!(update.changes[0].old, None);
        assert!(update.text.unwrap().contains("phone = \"01302 854521\""));
    }

    #[test]
    fn update_refuses_a_keep_it_cannot_read() {
        let before = imported("keep = [\"practice.phone\", \"practice.phon\"]\n", &[]);
        let refusal = update_config(&before, &practice(), false).unwrap_err();
        assert_eq!(refusal.key.as_deref(), Some("keep[2]"));
        assert_eq!(&before[refusal.span.unwrap()], "\"practice.phon\"");
        assert!(
            refusal.message.contains("\"practice.phon\""),
            "{}",
            refusal.message
        );
        assert!(
            refusal
                .hint
                .unwrap()
                .contains("did you mean \"practice.phone\"?")
        );

        let before = imported("keep = \"practice.phone\"\n", &[]);
        let refusal = update_config(&before, &practice(), false).unwrap_err();
        assert_eq!(refusal.key.as_deref(), Some("keep"));
        let before = imported("keep = [1]\n", &[]);
        let refusal = update_config(&before, &practice(), false).unwrap_err();
        assert_eq!(refusal.key.as_deref(), Some("keep[1]"));
    }

    #[test]
    fn update_refuses_another_practices_file() {
        let before = new_config(&practice(), None);
        let mut other = practice();
        other.ods_code = "C86099".into();
        let refusal = update_config(&before, &other, true).unwrap_err();
        assert!(refusal.message.contains("C86020"), "{refusal:?}");
        assert_eq!(&before[refusal.span.unwrap()], "\"C86020\"");
        let refusal = update_config("[practice", &practice(), false).unwrap_err();
        assert!(refusal.message.starts_with("not valid TOML"), "{refusal:?}");
    }

    #[test]
    fn new_config_keys_are_the_keys_written() {
        let text = new_config(&practice(), Some("_lmc.toml"));
        let written: toml::Table = toml::from_str(&text).unwrap();
        let keys = new_config_keys(&practice(), Some("_lmc.toml"));
        assert_eq!(keys.len(), 8);
        for change in keys {
            assert_eq!(change.old, None);
            let value = match change.key.split_once('.') {
                Some((table, key)) => &written[table][key],
                None => &written[change.key],
            };
            assert_eq!(value, &change.new, "{}", change.key);
        }
    }

    #[test]
    fn values_are_shown_as_one_line_of_text() {
        assert_eq!(
            shown(&text("St John's \"Star\" Surgery")),
            r#""St John's \"Star\" Surgery""#
        );
        let lines = toml::Value::Array(vec![text("12 High St"), text("Doncaster")]);
        assert_eq!(shown(&lines), r#"["12 High St", "Doncaster"]"#);
        assert_eq!(shown(&toml::Value::Integer(7)), "7");
    }
}
