//! HTML: the document model → one self-contained web page.
//!
//! The model's blocks become pulldown-cmark events again (headings with
//! their anchors, so the handbook's contents links work) and pulldown-cmark
//! writes them as HTML; tables get a scrolling wrapper for phones, parts in
//! another language a `lang` attribute, and the `page.html` template adds
//! the landmarks, skip link, inline CSS and print stylesheet.

use std::collections::HashMap;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, LinkType, Tag, TagEnd};

use super::Input;
use crate::document::{Block, Model, Span, is_write_in};

/// Renders a document as a complete HTML page.
pub fn render(input: &Input<'_>) -> anyhow::Result<Vec<u8>> {
    let body = body_html(input.model);
    let mut context = tera::Context::from_serialize(input.presentation)?;
    context.insert("title", &input.doc.title);
    context.insert("kind", input.doc.kind.stem());
    context.insert("reference", &input.doc.reference.to_string());
    context.insert("body", &body);
    let page = input.templates.render("page.html", &context)?;
    Ok(with_policy(page)?.into_bytes())
}

/// The content security policy every page carries: no script, nothing
/// fetched, images and fonts only from the page itself.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'";

/// `page` with [`CSP`] as the first thing in its head, whatever a
/// `page.html` override wrote: a policy that comes after a script does not
/// stop it, and one meta tag cannot loosen another.
fn with_policy(page: String) -> anyhow::Result<String> {
    let lower = page.to_ascii_lowercase();
    let Some(head) = lower.find("<head") else {
        anyhow::bail!("page.html has no <head>: the page's security policy goes there");
    };
    if lower[..head].contains("<script") || lower[..head].contains("<meta") {
        anyhow::bail!(
            "page.html has a script or meta tag before <head>; the security policy must come first"
        );
    }
    let Some(end) = lower[head..].find('>').map(|i| head + i + 1) else {
        anyhow::bail!("page.html's <head> tag is not closed");
    };
    let meta = format!("\n<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">");
    let mut page = page;
    page.insert_str(end, &meta);
    Ok(page)
}

/// The document as HTML, without the page around it.
pub fn body_html(model: &Model) -> String {
    let mut events = Vec::new();
    blocks_events(&model.blocks, &model.links, true, &mut events);
    let events = wrap_tables(events);
    let mut html = String::with_capacity(events.len() * 32);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// A list's items; a tight list's hold their text without paragraphs.
fn items_events<'a>(
    items: &'a [Vec<Block>],
    links: &'a [String],
    tight: bool,
    out: &mut Vec<Event<'a>>,
) {
    for item in items {
        out.push(Event::Start(Tag::Item));
        blocks_events(item, links, !tight, out);
        out.push(Event::End(TagEnd::Item));
    }
}

/// The events pulldown-cmark would have read from the Markdown. `loose`:
/// paragraphs are wrapped in `<p>` (everywhere but in a tight list's items).
fn blocks_events<'a>(
    blocks: &'a [Block],
    links: &'a [String],
    loose: bool,
    out: &mut Vec<Event<'a>>,
) {
    for block in blocks {
        match block {
            Block::Heading { level, id, spans } => {
                let level = pulldown_cmark::HeadingLevel::try_from(usize::from(*level))
                    .unwrap_or(pulldown_cmark::HeadingLevel::H6);
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::Borrowed(id)),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
                spans_events(spans, links, out);
                out.push(Event::End(TagEnd::Heading(level)));
            }
            Block::Paragraph(spans) if loose => {
                out.push(Event::Start(Tag::Paragraph));
                spans_events(spans, links, out);
                out.push(Event::End(TagEnd::Paragraph));
            }
            Block::Paragraph(spans) => spans_events(spans, links, out),
            // A table of contents: a plain list of links, without bullets.
            Block::List { tight, items, .. }
                if crate::document::contents_entries(items, links).is_some() =>
            {
                out.push(Event::Html(CowStr::Borrowed("<ul class=\"contents\">\n")));
                items_events(items, links, *tight, out);
                out.push(Event::Html(CowStr::Borrowed("</ul>\n")));
            }
            Block::List {
                start,
                tight,
                items,
            } => {
                out.push(Event::Start(Tag::List(*start)));
                items_events(items, links, *tight, out);
                out.push(Event::End(TagEnd::List(start.is_some())));
            }
            Block::Quote(inner) => {
                out.push(Event::Start(Tag::BlockQuote(None::<BlockQuoteKind>)));
                blocks_events(inner, links, true, out);
                out.push(Event::End(TagEnd::BlockQuote(None)));
            }
            Block::Table {
                align,
                header,
                rows,
            } => {
                out.push(Event::Start(Tag::Table(align.clone())));
                out.push(Event::Start(Tag::TableHead));
                for cell in header {
                    cell_events(cell, links, out);
                }
                out.push(Event::End(TagEnd::TableHead));
                for row in rows {
                    // A row to write in is marked, for the print stylesheet.
                    if is_write_in(row) {
                        let cells = "<td></td>".repeat(row.len());
                        out.push(Event::Html(CowStr::from(format!(
                            "<tr class=\"write-in\">{cells}</tr>\n"
                        ))));
                        continue;
                    }
                    out.push(Event::Start(Tag::TableRow));
                    for cell in row {
                        cell_events(cell, links, out);
                    }
                    out.push(Event::End(TagEnd::TableRow));
                }
                out.push(Event::End(TagEnd::Table));
            }
            Block::Rule => out.push(Event::Rule),
            // The web page has the address as a link; a QR code is for paper.
            Block::Qr { .. } => {}
            Block::Part { lang, blocks } => {
                let mut lang_html = String::new();
                pulldown_cmark_escape::escape_html(&mut lang_html, lang)
                    .expect("writing to a String");
                out.push(Event::Html(CowStr::from(format!(
                    "<div lang=\"{lang_html}\">\n"
                ))));
                blocks_events(blocks, links, true, out);
                out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
        }
    }
}

fn cell_events<'a>(cell: &'a [Span], links: &'a [String], out: &mut Vec<Event<'a>>) {
    out.push(Event::Start(Tag::TableCell));
    spans_events(cell, links, out);
    out.push(Event::End(TagEnd::TableCell));
}

/// Inline styles that open and close around spans.
#[derive(Clone, Copy, PartialEq)]
enum Inline {
    Link(usize),
    Strong,
    Emphasis,
    Strike,
}

impl Inline {
    fn of(span: &Span) -> Vec<Inline> {
        let mut all = Vec::new();
        all.extend(span.link.map(Inline::Link));
        if span.bold {
            all.push(Inline::Strong);
        }
        if span.italic {
            all.push(Inline::Emphasis);
        }
        if span.strike {
            all.push(Inline::Strike);
        }
        all
    }

    fn start<'a>(self, links: &'a [String]) -> Event<'a> {
        Event::Start(match self {
            Inline::Link(i) => Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::Borrowed(links.get(i).map_or("", String::as_str)),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            },
            Inline::Strong => Tag::Strong,
            Inline::Emphasis => Tag::Emphasis,
            Inline::Strike => Tag::Strikethrough,
        })
    }

    fn end(self) -> Event<'static> {
        Event::End(match self {
            Inline::Link(_) => TagEnd::Link,
            Inline::Strong => TagEnd::Strong,
            Inline::Emphasis => TagEnd::Emphasis,
            Inline::Strike => TagEnd::Strikethrough,
        })
    }
}

/// A paragraph's spans as text events inside the tags that style them.
/// Spans carry their styles flat; the tags are nested again by opening
/// first the style that lasts longest, so `**bold [link](x)**` comes back
/// as `<strong>bold <a>link</a></strong>`.
fn spans_events<'a>(spans: &'a [Span], links: &'a [String], out: &mut Vec<Event<'a>>) {
    let mut open: Vec<Inline> = Vec::new();
    for (i, span) in spans.iter().enumerate() {
        let want = Inline::of(span);
        // Close from the innermost out until every open style is still wanted.
        while let Some(at) = open.iter().position(|s| !want.contains(s)) {
            for style in open.drain(at..).rev() {
                out.push(style.end());
            }
        }
        let mut new: Vec<Inline> = want.into_iter().filter(|s| !open.contains(s)).collect();
        let lasts = |style: &Inline| {
            spans[i..]
                .iter()
                .take_while(|s| Inline::of(s).contains(style))
                .count()
        };
        new.sort_by_key(|s| std::cmp::Reverse(lasts(s)));
        for style in new {
            out.push(style.start(links));
            open.push(style);
        }
        out.push(if span.soft_break {
            Event::SoftBreak
        } else if span.is_hard_break() {
            Event::HardBreak
        } else if span.code {
            Event::Code(CowStr::Borrowed(&span.text))
        } else {
            Event::Text(CowStr::Borrowed(&span.text))
        });
    }
    for style in open.into_iter().rev() {
        out.push(style.end());
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
    use crate::content::{DocKind, Document};

    fn body(markdown: &str) -> anyhow::Result<String> {
        let doc = Document::new(DocKind::Notice, markdown.into());
        Ok(body_html(&Model::of(&doc)?))
    }

    /// What pulldown-cmark makes of the Markdown directly (headings without ids).
    fn direct(markdown: &str) -> String {
        let mut html = String::new();
        let events = wrap_tables(crate::markdown::parser(markdown).collect());
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    }

    #[test]
    fn refuses_raw_html_from_templates() {
        let err = body("# Title\n\nHello <b>there</b>\n").unwrap_err();
        assert!(err.to_string().contains("raw HTML on line 3"), "{err}");
        assert!(body("<div>\nblock\n</div>\n").is_err());
    }

    #[test]
    fn escaped_values_stay_text() {
        let html = body("Name: \\<script\\>alert('x')\\</script\\>\n").unwrap();
        assert!(
            html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn the_model_gives_back_what_pulldown_cmark_writes() {
        for markdown in [
            "Some **bold [link](https://x.org) here** and *it* ~~gone~~ `code`.\nNext line  \nhard.\n",
            "- tight\n- list\n  1. nested\n  2. more\n",
            "- loose\n\n- list\n\n  second paragraph\n",
            "> quoted\n>\n> - in a list\n",
            "| A | B |\n|:--|--:|\n| [x](mailto:a@b.c) | **2** |\n",
            "[**bold link**](https://x.org)\n\n---\n\ntext\n",
        ] {
            assert_eq!(body(markdown).unwrap(), direct(markdown), "{markdown}");
        }
    }

    #[test]
    fn table_regions_are_named_after_their_heading() {
        let table = "| a | b |\n|---|---|\n| 1 | 2 |\n";
        let html = body(&format!("## Log & \\<notes\\>\n\n{table}\n{table}")).unwrap();
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
        let html = body("## 1. Purpose and scope\n\n## Contacts\n\n## Contacts\n").unwrap();
        assert!(html.contains("<h2 id=\"1-purpose-and-scope\">"), "{html}");
        assert!(html.contains("<h2 id=\"contacts-1\">"), "{html}");
    }

    #[test]
    fn a_part_in_welsh_is_marked() {
        let mut doc = Document::new(DocKind::Notice, "# Croeso\n\n# Welcome\n".into());
        doc.other_languages.push((0..10, "cy"));
        let html = body_html(&Model::of(&doc).unwrap());
        assert!(
            html.starts_with("<div lang=\"cy\">\n<h1 id=\"croeso\">Croeso</h1>\n</div>\n<h1"),
            "{html}"
        );
    }
}
