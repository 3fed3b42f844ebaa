//! Stage 3a: a [`Document`]'s Markdown → one self-contained HTML page.
//!
//! pulldown-cmark turns the Markdown into HTML; headings get ids (the same
//! ones GitHub gives them, so the handbook's contents links work in both),
//! tables get a scrolling wrapper for phones, and the `page.html` template
//! adds the landmarks, skip link, inline CSS and print stylesheet. Raw HTML
//! in a template's Markdown is refused: values are escaped before they reach
//! Markdown, and this is the second line of defence.

use std::collections::HashMap;

use anyhow::bail;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde_json::json;

use crate::config::Practice;
use crate::content::context::long_date;
use crate::content::{Document, Templates};

/// Renders a document as a complete HTML page.
pub fn render(doc: &Document, practice: &Practice, templates: &Templates, logo_data_uri: Option<&str>) -> anyhow::Result<String> {
    let body = body_html(doc)?;
    let c = &practice.config;
    let context = tera::Context::from_value(json!({
        "title": doc.title,
        "kind": doc.kind.stem(),
        "body": body,
        "accent": practice.accent_colour,
        "logo": logo_data_uri,
        "practice": {
            "name": c.practice.name,
            "phone": c.practice.phone,
            "website": c.practice.website,
        },
        "policy": {
            "issued": long_date(practice.issued),
            "issued_iso": practice.issued.to_string(),
            "review_due": long_date(practice.review_due),
            "version": c.policy.version,
        },
    }))?;
    templates.render("page.html", &context)
}

/// The document's Markdown as HTML, without the page around it.
pub fn body_html(doc: &Document) -> anyhow::Result<String> {
    let mut events: Vec<Event<'_>> = Vec::new();
    for (event, range) in crate::markdown::parser(&doc.markdown).into_offset_iter() {
        if let Event::Html(html) | Event::InlineHtml(html) = &event {
            let line = doc.markdown[..range.start].matches('\n').count() + 1;
            bail!(
                "the {} template produced raw HTML on line {line} of its Markdown ({:?}); templates must use Markdown only",
                doc.kind,
                html.trim()
            );
        }
        events.push(event);
    }
    add_heading_ids(&mut events);
    let events = wrap_tables(events);
    let mut html = String::with_capacity(doc.markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(html)
}

/// Gives every heading the id GitHub would: lower case, punctuation dropped,
/// spaces to hyphens, `-1`, `-2`… for repeats.
fn add_heading_ids(events: &mut [Event<'_>]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { id: None, .. }) = &events[i] else { continue };
        let mut text = String::new();
        for event in &events[i + 1..] {
            match event {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
        }
        let base = heading_id(&text);
        let count = seen.entry(base.clone()).or_insert(0);
        let id = if *count == 0 { base.clone() } else { format!("{base}-{count}") };
        *count += 1;
        if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
            *slot = Some(CowStr::from(id));
        }
    }
}

/// GitHub's heading anchor for a heading's text.
pub fn heading_id(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Tables scroll sideways on narrow screens instead of overflowing the page.
fn wrap_tables(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len() + 8);
    for event in events {
        match &event {
            Event::Start(Tag::Table(_)) => {
                out.push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\" role=\"region\" aria-label=\"Table\" tabindex=\"0\">\n")));
                out.push(event);
            }
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            _ => out.push(event),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::DocKind;

    fn doc(markdown: &str) -> Document {
        Document {
            kind: DocKind::Notice,
            title: "t".into(),
            markdown: markdown.into(),
        }
    }

    #[test]
    fn refuses_raw_html_from_templates() {
        let err = body_html(&doc("# Title\n\nHello <b>there</b>\n")).unwrap_err();
        assert!(err.to_string().contains("raw HTML on line 3"), "{err}");
        assert!(body_html(&doc("<div>\nblock\n</div>\n")).is_err());
    }

    #[test]
    fn escaped_values_stay_text() {
        let html = body_html(&doc("Name: \\<script\\>alert('x')\\</script\\>\n")).unwrap();
        assert!(html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"), "{html}");
    }

    #[test]
    fn headings_get_github_ids() {
        let html = body_html(&doc("## 1. Purpose and scope\n\n## Contacts\n\n## Contacts\n")).unwrap();
        assert!(html.contains("<h2 id=\"1-purpose-and-scope\">"), "{html}");
        assert!(html.contains("<h2 id=\"contacts-1\">"), "{html}");
    }
}
