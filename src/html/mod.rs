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
use crate::markdown::HeadingIds;

/// Renders a document as a complete HTML page.
pub fn render(
    doc: &Document,
    practice: &Practice,
    templates: &Templates,
    logo_data_uri: Option<&str>,
) -> anyhow::Result<String> {
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
            "phone_href": crate::config::rules::tel_uri(&c.practice.phone),
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

/// Gives every heading the id GitHub would ([`crate::markdown::HeadingIds`]).
fn add_heading_ids(events: &mut [Event<'_>]) {
    let mut ids = HeadingIds::default();
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { id: None, .. }) = &events[i] else {
            continue;
        };
        let mut text = String::new();
        for event in &events[i + 1..] {
            match event {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
        }
        let id = ids.next(&text);
        if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
            *slot = Some(CowStr::from(id));
        }
    }
}

/// Tables scroll sideways on narrow screens instead of overflowing the
/// page. Each scrolling region is named after the heading above it, so a
/// screen reader lists "Feedback log", not a row of identical "Table"s.
fn wrap_tables(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut heading = String::new();
    let mut in_heading = false;
    let mut used: HashMap<String, usize> = HashMap::new();
    for event in events {
        match &event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(text) | Event::Code(text) if in_heading => heading.push_str(text),
            Event::Start(Tag::Table(_)) => {
                let base = if heading.is_empty() {
                    "Table".to_string()
                } else {
                    format!("Table: {heading}")
                };
                let count = used.entry(base.clone()).or_insert(0);
                *count += 1;
                let label = if *count == 1 {
                    base
                } else {
                    format!("{base} ({count})")
                };
                let mut label_html = String::new();
                pulldown_cmark_escape::escape_html(&mut label_html, &label)
                    .expect("writing to a String");
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-wrap\" role=\"region\" aria-label=\"{label_html}\" tabindex=\"0\">\n"
                ))));
            }
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html(CowStr::Borrowed("</div>\n")));
                continue;
            }
            _ => {}
        }
        out.push(event);
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
        assert!(
            html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn table_regions_are_named_after_their_heading() {
        let table = "| a | b |\n|---|---|\n| 1 | 2 |\n";
        let html = body_html(&doc(&format!("## Log & \\<notes\\>\n\n{table}\n{table}"))).unwrap();
        assert!(
            html.contains("aria-label=\"Table: Log &amp; &lt;notes&gt;\""),
            "{html}"
        );
        assert!(
            html.contains("aria-label=\"Table: Log &amp; &lt;notes&gt; (2)\""),
            "{html}"
        );
    }

    #[test]
    fn headings_get_github_ids() {
        let html = body_html(&doc(
            "## 1. Purpose and scope\n\n## Contacts\n\n## Contacts\n",
        ))
        .unwrap();
        assert!(html.contains("<h2 id=\"1-purpose-and-scope\">"), "{html}");
        assert!(html.contains("<h2 id=\"contacts-1\">"), "{html}");
    }
}
