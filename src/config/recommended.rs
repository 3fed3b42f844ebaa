//! Warnings for recommended keys: a config can be valid and still print a
//! weaker document, or placeholder text such as "Not set." on paper.
//!
//! Each warning points where the key belongs. A practice's own key
//! (`complaints.lead_name`, `practice.complaints_page`) points into the
//! practice's file; a contact with only a name points at that contact, in
//! whichever file wrote it; a missing LMC-wide section (LMC, defence
//! organisations, advocacy) names the most shared file of the `extends`
//! chain, where it belongs, without a line: there is none to show. So a problem in a
//! shared `_lmc.toml` is one warning at one place, which the commands print
//! once however many practices extend it.

use std::sync::Arc;

use super::Nation;
use super::tree::{Node, Value};
use crate::diagnostics::{Diagnostic, SourceFile};

/// Every warning for a merged config. `chain` is the practice file first,
/// then the files it extends; LMC-wide sections that are missing are
/// reported at the top of its last file.
pub fn check(root: &Node, chain: &[Arc<SourceFile>]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let shared_file = &chain.last().expect("at least one file").path;
    let table = |key: &str| match super::find_node(root, key) {
        Some(
            node @ Node {
                value: Value::Table(_),
                ..
            },
        ) => Some(node),
        _ => None,
    };
    let has = |key: &str| super::find_node(root, key).is_some();

    if let Some(complaints) = table("complaints")
        && !has("complaints.lead_name")
    {
        warnings.push(
                in_practice_file(
                    complaints,
                    &chain[0],
                    "complaints.lead_name",
                    "not set: the notice and leaflet will name only the complaints lead's role",
                )
                .with_hint("add lead_name = \"Jane Smith\" under [complaints], so patients know whom to ask for")
                .warning(),
            );
    }
    if let Some(practice) = table("practice")
        && !has("practice.complaints_page")
    {
        warnings.push(
            in_practice_file(
                practice,
                &chain[0],
                "practice.complaints_page",
                "not set: the notice and leaflet will have no web link or QR code for complaints",
            )
            .with_hint("add complaints_page = \"https://…/complaints\" under [practice]")
            .warning(),
        );
    }
    // The Welsh half of the notice in Wales prints no English role words:
    // without the Welsh ones it leaves the role out.
    let nation = match super::find_node(root, "practice.nation").map(|n| &n.value) {
        Some(Value::String(nation)) => Nation::from_key(nation),
        _ => None,
    };
    // An ODS code a nation's facts file claims (Wales's `W`) with another
    // nation chosen: the leaflet would send patients down the other
    // nation's complaints route.
    if let (Some(chosen), Some(node)) = (nation, super::find_node(root, "practice.ods_code"))
        && let Value::String(code) = &node.value
        && let Some(of_code) = Nation::of_ods_code(&code.to_ascii_uppercase())
        && of_code != chosen
    {
        warnings.push(
            Diagnostic::at(
                &node.origin,
                Some("practice.ods_code"),
                format!(
                    "\"{code}\" is an ODS code of a practice in {}, but nation = \"{}\": the leaflet will print {}'s complaints route",
                    of_code.name(),
                    chosen.key(),
                    chosen.name()
                ),
            )
            .with_hint(format!(
                "check the nation; for a practice in {}, set nation = \"{}\" under [practice]",
                of_code.name(),
                of_code.key()
            ))
            .warning(),
        );
    }
    if nation.and_then(Nation::language_code) == Some("cy") {
        for (section, key, english, example, what) in [
            (
                "complaints",
                "complaints.lead_role_cy",
                "complaints.lead_role",
                "lead_role_cy = \"Rheolwr y Practis\"",
                "the Welsh half of the notice will name the complaints lead without a role",
            ),
            (
                "policy",
                "policy.approved_by_cy",
                "policy.approved_by",
                "approved_by_cy = \"Dr A Patel, Uwch Bartner\"",
                "the Welsh half of the notice will not say who approved it",
            ),
        ] {
            if let Some(table) = table(section)
                && has(english)
                && !has(key)
            {
                warnings.push(
                    in_practice_file(table, &chain[0], key, &format!("not set: {what}"))
                        .with_hint(format!(
                            "add {example} under [{section}], in Welsh (a health board's translation service can help)"
                        ))
                        .warning(),
                );
            }
        }
    }
    if let Some(nation) = nation.filter(|n| !n.has_national_advocacy())
        && !has("advocacy")
    {
        warnings.push(
            Diagnostic::file(
                shared_file,
                format!(
                    "not set: {} has no national complaints advocacy service, so the leaflet can only say \"ask us how to find a free advocate\"",
                    nation.name()
                ),
            )
            .for_key("advocacy")
            .with_hint("add [advocacy] with the service your council pays for, with its name, phone and website")
            .warning(),
        );
    }
    match table("lmc") {
        None => warnings.push(
            Diagnostic::file(
                shared_file,
                "not set: the handbook will say \"Not set.\" where staff look for the LMC's help",
            )
            .for_key("lmc")
            .with_hint("add [lmc] with name and phone or email, e.g. in the LMC's shared _lmc.toml")
            .warning(),
        ),
        Some(lmc) => no_contact(lmc, "lmc", &mut warnings),
    }
    match super::find_node(root, "defence_organisations") {
        Some(Node {
            value: Value::Array(items),
            ..
        }) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                no_contact(
                    item,
                    &format!("defence_organisations[{}]", i + 1),
                    &mut warnings,
                );
            }
        }
        // Set to an empty list: by the file that set it, which may be a
        // practice's own over the LMC's list.
        found => {
            let message = "not set: the handbook will say \"Not set.\" where staff look for a medical defence organisation";
            let at = match found {
                Some(node) => Diagnostic::at(&node.origin, Some("defence_organisations"), message),
                None => Diagnostic::file(shared_file, message).for_key("defence_organisations"),
            };
            warnings.push(
                at.with_hint(
                    "add [[defence_organisations]] with name and phone, e.g. name = \"The MDU\"",
                )
                .warning(),
            );
        }
    }
    if let Some(advocacy) = table("advocacy") {
        no_contact(advocacy, "advocacy", &mut warnings);
    }
    // Every number the documents print for patients or staff to call.
    let mut phones: Vec<(String, &Node)> = [
        "practice.phone",
        "complaints.phone",
        "commissioner.phone",
        "advocacy.phone",
        "lmc.phone",
    ]
    .into_iter()
    .filter_map(|key| super::find_node(root, key).map(|node| (key.to_string(), node)))
    .collect();
    if let Some(Node {
        value: Value::Array(items),
        ..
    }) = super::find_node(root, "defence_organisations")
    {
        for (i, item) in items.iter().enumerate() {
            if let Value::Table(table) = &item.value
                && let Some(entry) = table.get("phone")
            {
                phones.push((
                    format!("defence_organisations[{}].phone", i + 1),
                    &entry.node,
                ));
            }
        }
    }
    for (key, node) in phones {
        if let Value::String(phone) = &node.value
            && let Some(kind) = costly_number(phone)
        {
            warnings.push(
                Diagnostic::at(
                    &node.origin,
                    Some(&key),
                    format!("{phone} is {kind}: calls to it cost far more than an ordinary call, and the documents print it"),
                )
                .with_hint("give a number starting 01, 02, 03 or 080 (free), or the ordinary line")
                .warning(),
            );
        }
    }
    warnings
}

/// What kind of costly number `phone` is, if it is one: 09 numbers are
/// premium rate; 070 numbers look like mobiles but are personal numbers,
/// and can cost more; 0871–0873 carry a service charge. (PhonepayPlus,
/// "Premium rate number guide", phonepayplus.org.uk, checked 2026-12-06.)
fn costly_number(phone: &str) -> Option<&'static str> {
    // +44 90…, +44 (0)90…: the 0 after +44 is not dialled from abroad.
    let digits = super::rules::national_digits(phone);
    if digits.starts_with("09") {
        Some("a premium-rate number")
    } else if digits.starts_with("070") {
        Some("a personal number (070), not a mobile")
    } else if ["0871", "0872", "0873"]
        .iter()
        .any(|p| digits.starts_with(p))
    {
        Some("a number with a service charge (0871–0873)")
    } else {
        None
    }
}

/// A contact with only a name prints "No contact details are held here".
fn no_contact(node: &Node, key: &str, warnings: &mut Vec<Diagnostic>) {
    let Value::Table(table) = &node.value else {
        return;
    };
    if !["phone", "email", "website", "address"]
        .iter()
        .any(|k| table.contains_key(*k))
    {
        warnings.push(
            Diagnostic::at(
                &node.origin,
                Some(key),
                "has only a name: the documents will say \"No contact details are held here\"",
            )
            .with_hint("add a phone, email or website")
            .warning(),
        );
    }
}

/// A missing key of one practice, reported where it belongs: at the table
/// in the practice's own file (at its first key there, if a shared file
/// opened the table), or else at the practice's file as a whole, never at a
/// shared file.
pub(crate) fn in_practice_file(
    table: &Node,
    practice: &Arc<SourceFile>,
    key: &str,
    message: &str,
) -> Diagnostic {
    if Arc::ptr_eq(&table.origin.file, practice) {
        return Diagnostic::at(&table.origin, Some(key), message);
    }
    let Value::Table(entries) = &table.value else {
        return Diagnostic::file(&practice.path, message).for_key(key);
    };
    match entries
        .values()
        .map(|entry| &entry.key_origin)
        .filter(|origin| Arc::ptr_eq(&origin.file, practice))
        .min_by_key(|origin| origin.span.start)
    {
        Some(origin) => Diagnostic::at(origin, Some(key), message),
        None => Diagnostic::file(&practice.path, message).for_key(key),
    }
}
