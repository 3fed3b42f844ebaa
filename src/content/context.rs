//! The Tera context of a document: a practice's values escaped as Markdown
//! text, ready-made links, dates in words, and the nation's facts.
//!
//! Escaping happens here, once, so a template cannot forget it: a template
//! that prints `{{ practice.name }}` prints the name exactly as typed, and
//! nothing in a config can become markup or template code.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::DocKind;
use super::escape::{link, markdown_text};
use super::nation::NationFacts;
use crate::config::model::Contact;
use crate::config::{Practice, rules};
use crate::reply::model::{ModelReplies, Values};

/// Builds the context for one document of one practice.
pub fn build(
    practice: &Practice,
    nation: &NationFacts,
    replies: &ModelReplies,
    kind: DocKind,
) -> anyhow::Result<tera::Context> {
    let c = &practice.config;
    let p = &c.practice;
    let complaints = &c.complaints;
    let complaints_address = complaints.address.as_ref().unwrap_or(&p.address);
    let complaints_phone = complaints.phone.as_deref().unwrap_or(&p.phone);
    let lead = match &complaints.lead_name {
        Some(name) => format!(
            "{}, {}",
            markdown_text(name),
            markdown_text(&complaints.lead_role)
        ),
        None => format!("the {}", markdown_text(&complaints.lead_role)),
    };
    // The Welsh half prints no English role words: the Welsh role when
    // the config gives one, otherwise the name alone, or nothing.
    let lead_cy = match (&complaints.lead_name, &complaints.lead_role_cy) {
        (Some(name), Some(role)) => {
            Some(format!("{}, {}", markdown_text(name), markdown_text(role)))
        }
        (Some(name), None) => Some(markdown_text(name)),
        (None, Some(role)) => Some(markdown_text(role)),
        (None, None) => None,
    };
    let acknowledge = complaints
        .acknowledge_working_days
        .or(nation.acknowledge_working_days);
    let advocacy = match &c.advocacy {
        Some(contact) => contact_value(contact),
        None => nation.advocacy.as_ref().map_or(Value::Null, contact_value),
    };

    let value = json!({
        "doc": {
            "kind": kind.stem(),
            "title": markdown_text(kind.title_in(nation)),
            // Filled in once the Markdown is known (content::reference).
            "reference": super::reference::PLACEHOLDER,
        },
        "practice": {
            "name": markdown_text(&p.name),
            "address": lines(&p.address),
            "postcode": markdown_text(&p.postcode),
            "address_inline": inline_address(&p.address, Some(&p.postcode)),
            "phone": markdown_text(&p.phone),
            "phone_link": phone_link(&p.phone),
            "email": p.email.as_deref().map(markdown_text),
            "email_link": p.email.as_deref().map(email_link),
            "website": p.website.as_deref().map(markdown_text),
            "website_link": p.website.as_deref().map(web_link),
            "complaints_page": p.complaints_page.as_deref().map(markdown_text),
            "complaints_page_link": p.complaints_page.as_deref().map(web_link),
            "ods_code": p.ods_code.as_deref().map(markdown_text),
            "nation": practice.nation().key(),
        },
        "complaints": {
            "lead_name": complaints.lead_name.as_deref().map(markdown_text),
            "lead_role": markdown_text(&complaints.lead_role),
            "lead": lead,
            "lead_cy": lead_cy,
            "phone": markdown_text(complaints_phone),
            "phone_link": phone_link(complaints_phone),
            "email": complaints.email.as_deref().map(markdown_text),
            "email_link": complaints.email.as_deref().map(email_link),
            "address": lines(complaints_address),
            "address_inline": inline_address(complaints_address, complaints.address.is_none().then_some(p.postcode.as_str())),
            "acknowledge_working_days": acknowledge,
        },
        "commissioner": contact_value(&c.commissioner),
        "advocacy": advocacy,
        "lmc": c.lmc.as_ref().map_or(Value::Null, contact_value),
        "defence_organisations": c.defence_organisations.iter().map(contact_value).collect::<Vec<_>>(),
        "social_media": {
            "accounts": c.social_media.accounts.iter().map(|a| json!({
                "platform": markdown_text(&a.platform),
                "url": markdown_text(&a.url),
                "link": link(&a.url, &a.url),
            })).collect::<Vec<_>>(),
            "monitored_by": markdown_text(&c.social_media.monitored_by),
            "reply_within_working_days": practice.reply_within_working_days,
        },
        "policy": {
            "issued": long_date(practice.issued),
            "issued_cy": long_date_cy(practice.issued),
            "issued_iso": practice.issued.to_string(),
            "review_due": long_date(practice.review_due),
            "review_months": c.policy.review_months.unwrap_or(crate::config::DEFAULT_REVIEW_MONTHS),
            "approved_by": c.policy.approved_by.as_deref().map(markdown_text),
            "approved_by_cy": c.policy.approved_by_cy.as_deref().map(markdown_text),
            "version": c.policy.version.as_deref().map(markdown_text),
        },
        "replies": replies.fill(&reply_values(practice, true)),
        "ombudsman": contact_value(&nation.ombudsman),
        "nation": nation.with_days(acknowledge),
    });
    Ok(tera::Context::from_value(value)?)
}

/// The values the model replies' placeholders stand for: as Markdown (text
/// escaped, links made) for the handbook, or as plain text for a reply to
/// post.
pub fn reply_values(practice: &Practice, markdown: bool) -> Values {
    let c = &practice.config;
    let text = |value: &str| {
        if markdown {
            markdown_text(value)
        } else {
            value.to_string()
        }
    };
    let phone = |value: &str| {
        if markdown {
            phone_link(value)
        } else {
            value.to_string()
        }
    };
    let email = |value: &str| {
        if markdown {
            email_link(value)
        } else {
            value.to_string()
        }
    };
    let web = |value: &str| {
        if markdown {
            web_link(value)
        } else {
            value
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .to_string()
        }
    };
    Values {
        practice: text(&c.practice.name),
        lead_role: text(&c.complaints.lead_role),
        phone: phone(c.complaints.phone.as_deref().unwrap_or(&c.practice.phone)),
        practice_phone: phone(&c.practice.phone),
        email: c
            .complaints
            .email
            .as_deref()
            .or(c.practice.email.as_deref())
            .map(email),
        complaints_page: c.practice.complaints_page.as_deref().map(web),
        website: c.practice.website.as_deref().map(web),
    }
}

/// `1 November 2026`.
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// `1 Tachwedd 2026`: a date in Welsh, for Welsh templates.
pub fn long_date_cy(date: NaiveDate) -> String {
    use chrono::Datelike as _;
    const MONTHS: [&str; 12] = [
        "Ionawr",
        "Chwefror",
        "Mawrth",
        "Ebrill",
        "Mai",
        "Mehefin",
        "Gorffennaf",
        "Awst",
        "Medi",
        "Hydref",
        "Tachwedd",
        "Rhagfyr",
    ];
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

fn lines(lines: &[String]) -> Vec<String> {
    lines.iter().map(|l| markdown_text(l)).collect()
}

fn inline_address(lines: &[String], postcode: Option<&str>) -> String {
    let mut parts: Vec<String> = lines.iter().map(|l| markdown_text(l)).collect();
    if let Some(postcode) = postcode {
        parts.push(markdown_text(postcode));
    }
    parts.join(", ")
}

fn phone_link(phone: &str) -> String {
    match rules::tel_uri(phone) {
        Some(uri) => link(phone, &uri),
        None => markdown_text(phone),
    }
}

fn email_link(email: &str) -> String {
    link(email, &format!("mailto:{email}"))
}

/// A web address shown without `https://`, linked to the full address.
fn web_link(url: &str) -> String {
    let shown = url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    link(shown, url)
}

fn contact_value(contact: &Contact) -> Value {
    json!({
        "name": markdown_text(&contact.name),
        "phone": contact.phone.as_deref().map(markdown_text),
        "phone_link": contact.phone.as_deref().map(phone_link),
        "email": contact.email.as_deref().map(markdown_text),
        "email_link": contact.email.as_deref().map(email_link),
        "website": contact.website.as_deref().map(markdown_text),
        "website_link": contact.website.as_deref().map(web_link),
        "address": contact.address.as_deref().map(lines),
        "address_inline": contact.address.as_deref().map(|a| inline_address(a, None)),
    })
}
