//! The config file as written: serde structs that are also the JSON Schema.
//!
//! These types are the single description of what a config may contain.
//! `policypack schema` prints their schema, and [`super::shape`] walks the
//! same schema to report every unknown key, wrong type, missing key and
//! out-of-range value with its line, before serde ever sees the file. The
//! `format` values set here (`uk-phone`, `uk-postcode`…) name the checks in
//! [`super::rules`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::value::Datetime;

pub use super::nation::Nation;

/// One practice's config, after `extends` has been merged in.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "policypack practice config")]
pub struct ConfigFile {
    /// Shared defaults this file builds on, such as an LMC's `_lmc.toml`; a path relative to this file. Tables merge key by key, this file wins, arrays are replaced.
    #[schemars(length(max = 255), extend("format" = "relative-path"))]
    pub extends: Option<String>,
    /// A folder of templates that override the built-in ones file by file; a path relative to this file. Only a shared `_*.toml` file that only you can change may set it, never a practice's own config.
    #[schemars(length(max = 255), extend("format" = "relative-path"))]
    pub templates: Option<String>,
    /// `[practice]` keys that `policypack import epraccur --update` must never change, such as `["practice.phone"]`; any of practice.name, practice.address, practice.postcode, practice.phone. Merged like any list: one written here replaces one in the file this extends.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16))]
    pub keep: Vec<KeptKey>,
    /// The practice: name, address and contact details.
    pub practice: PracticeSection,
    /// Who handles complaints at the practice.
    pub complaints: ComplaintsSection,
    /// The body that commissions the practice, which patients may complain to instead: ICB (England), health board (Wales, Scotland), SPPG (Northern Ireland). Give at least one of its phone, e-mail and website.
    pub commissioner: Contact,
    /// Independent complaints advocacy; the nation's service is used when this is left out.
    pub advocacy: Option<Contact>,
    /// The Local Medical Committee, for staff support.
    pub lmc: Option<Contact>,
    /// Medical defence organisations the practice's clinicians belong to
    /// (at most 6: the UK has three large ones).
    #[serde(default)]
    #[schemars(length(max = 6))]
    pub defence_organisations: Vec<Contact>,
    /// Who watches the practice's online feedback, and how fast replies go out.
    pub social_media: SocialMediaSection,
    /// Issue date, review interval and approval of the policy.
    pub policy: PolicySection,
    /// The practice's accent colour and logo.
    pub branding: Option<BrandingSection>,
}

/// The practice itself.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PracticeSection {
    /// The practice's name as patients know it, 2–100 characters.
    #[schemars(length(min = 2, max = 100))]
    pub name: String,
    /// Output folder name, `[a-z0-9-]`; derived from the name when left out.
    #[schemars(length(min = 1, max = 80), extend("format" = "slug"))]
    pub slug: Option<String>,
    /// NHS ODS practice code, such as `C86099`.
    #[schemars(length(max = 10), extend("format" = "ods-code"))]
    pub ods_code: Option<String>,
    /// The UK nation whose NHS complaints rules apply.
    pub nation: Nation,
    /// Postal address without the postcode, 1–6 lines.
    #[schemars(length(min = 1, max = 6), inner(length(min = 1, max = 100)))]
    pub address: Vec<String>,
    /// UK postcode, such as `DN5 0AA`.
    #[schemars(length(max = 10), extend("format" = "uk-postcode"))]
    pub postcode: String,
    /// The practice's main phone number.
    #[schemars(length(max = 30), extend("format" = "uk-phone"))]
    pub phone: String,
    /// The practice's e-mail address.
    #[schemars(length(max = 254), extend("format" = "email"))]
    pub email: Option<String>,
    /// The practice website, an http(s) address.
    #[schemars(length(max = 300), extend("format" = "web-url"))]
    pub website: Option<String>,
    /// The web page about complaints; shown as a link and as a QR code.
    #[schemars(length(max = 300), extend("format" = "web-url"))]
    pub complaints_page: Option<String>,
}

/// A `[practice]` key that `import epraccur --update` refreshes from ODS
/// and that `keep` can hold back. `ods_code` and `nation` are not among
/// them: the code is how a config is matched to its practice, and the
/// nation follows from the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[schemars(extend("format" = "kept-key"))]
pub enum KeptKey {
    #[serde(rename = "practice.name")]
    Name,
    #[serde(rename = "practice.address")]
    Address,
    #[serde(rename = "practice.postcode")]
    Postcode,
    #[serde(rename = "practice.phone")]
    Phone,
}

impl KeptKey {
    pub const ALL: [KeptKey; 4] = [
        KeptKey::Name,
        KeptKey::Address,
        KeptKey::Postcode,
        KeptKey::Phone,
    ];

    /// The key path as `keep` writes it: `practice.phone`.
    pub fn path(self) -> &'static str {
        match self {
            KeptKey::Name => "practice.name",
            KeptKey::Address => "practice.address",
            KeptKey::Postcode => "practice.postcode",
            KeptKey::Phone => "practice.phone",
        }
    }

    /// The key within `[practice]`: `phone`.
    pub fn field(self) -> &'static str {
        &self.path()["practice.".len()..]
    }

    pub fn from_path(path: &str) -> Option<KeptKey> {
        KeptKey::ALL.into_iter().find(|k| k.path() == path)
    }
}

/// Who handles complaints at the practice.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintsSection {
    /// The complaints lead's name; optional, the role is always shown.
    #[schemars(length(min = 2, max = 100))]
    pub lead_name: Option<String>,
    /// The complaints lead's role, such as `Practice Manager`.
    #[schemars(length(min = 2, max = 100))]
    pub lead_role: String,
    /// The role in Welsh, such as `Rheolwr y Practis`, for the Welsh half of
    /// the notice in Wales; left out of the Welsh half when not given.
    #[schemars(length(min = 2, max = 100))]
    pub lead_role_cy: Option<String>,
    /// Phone number for complaints; the practice phone when left out.
    #[schemars(length(max = 30), extend("format" = "uk-phone"))]
    pub phone: Option<String>,
    /// E-mail address for complaints.
    #[schemars(length(max = 254), extend("format" = "email"))]
    pub email: Option<String>,
    /// Postal address for complaints, 1–6 lines; the practice address when left out.
    #[schemars(length(min = 1, max = 6), inner(length(min = 1, max = 100)))]
    pub address: Option<Vec<String>>,
    /// Working days to acknowledge a complaint, 1–10; the nation's rule when left out.
    #[schemars(range(min = 1, max = 10))]
    pub acknowledge_working_days: Option<u8>,
}

/// An organisation people can contact: the commissioner, advocacy, the LMC, a defence organisation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// The organisation's name.
    #[schemars(length(min = 2, max = 120))]
    pub name: String,
    /// Phone number.
    #[schemars(length(max = 30), extend("format" = "uk-phone"))]
    pub phone: Option<String>,
    /// E-mail address.
    #[schemars(length(max = 254), extend("format" = "email"))]
    pub email: Option<String>,
    /// Website, an http(s) address.
    #[schemars(length(max = 300), extend("format" = "web-url"))]
    pub website: Option<String>,
    /// Postal address, 1–6 lines.
    #[schemars(length(min = 1, max = 6), inner(length(min = 1, max = 100)))]
    pub address: Option<Vec<String>>,
}

/// Online feedback: accounts, who watches them, reply time.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SocialMediaSection {
    /// The practice's own social-media accounts.
    #[serde(default)]
    #[schemars(length(max = 12))]
    pub accounts: Vec<SocialAccount>,
    /// The role that watches online feedback, such as `Practice Manager`.
    #[schemars(length(min = 2, max = 100))]
    pub monitored_by: String,
    /// Working days within which a public reply is posted, 1–10 (default 2).
    #[schemars(range(min = 1, max = 10))]
    pub reply_within_working_days: Option<u8>,
}

/// One social-media account of the practice.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SocialAccount {
    /// The platform, such as `Facebook` or `X`.
    #[schemars(length(min = 1, max = 40))]
    pub platform: String,
    /// The account's address, an http(s) URL.
    #[schemars(length(max = 300), extend("format" = "web-url"))]
    pub url: String,
}

/// Issue, review and approval of the policy.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicySection {
    /// The date the policy was issued, a TOML date such as `2026-11-01`; printed on every document.
    #[schemars(with = "String", extend("format" = "date"))]
    pub issued: Datetime,
    /// Months until the policy is reviewed, 1–36 (default 12).
    #[schemars(range(min = 1, max = 36))]
    pub review_months: Option<u8>,
    /// Who approved the policy, such as `Dr A Patel, Senior Partner`.
    #[schemars(length(min = 2, max = 120))]
    pub approved_by: Option<String>,
    /// The same in Welsh, such as `Dr A Patel, Uwch Bartner`, for the Welsh
    /// half of the notice in Wales; the Welsh half leaves it out when not given.
    #[schemars(length(min = 2, max = 120))]
    pub approved_by_cy: Option<String>,
    /// The policy's version, such as `1.0`.
    #[schemars(length(min = 1, max = 20))]
    pub version: Option<String>,
}

/// Practice branding.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandingSection {
    /// Accent colour as `#RRGGBB`; must reach 4.5:1 contrast against white.
    #[schemars(length(max = 7), extend("format" = "accent-colour"))]
    pub accent_colour: Option<String>,
    /// A PNG or JPEG logo, relative to this file.
    #[schemars(length(max = 255), extend("format" = "logo-path"))]
    pub logo: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The merged config, as JSON, is what a build's fingerprint hashes: a
    /// config without `keep` must serialise as it did before `keep`
    /// existed, or every practice would be rebuilt once for nothing.
    #[test]
    fn keep_left_out_is_not_serialised() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/practice-configs/ashfield-medical-centre.toml"
        ))
        .unwrap();
        let config: ConfigFile = toml::from_str(&text).unwrap();
        assert!(config.keep.is_empty());
        let json = serde_json::to_value(&config).unwrap();
        assert!(json.get("keep").is_none(), "{json}");

        let kept: ConfigFile =
            toml::from_str(&format!("keep = [\"practice.phone\"]\n{text}")).unwrap();
        assert_eq!(kept.keep, [KeptKey::Phone]);
        let json = serde_json::to_value(&kept).unwrap();
        assert_eq!(json["keep"], serde_json::json!(["practice.phone"]));
    }
}
