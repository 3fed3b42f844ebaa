//! Markdown: the document's text as the templates made it, and a last
//! line with its reference, issue date and version.

use super::{Input, Presentation};
use crate::content::Reference;
use crate::content::escape::markdown_text;

pub fn render(input: &Input<'_>) -> anyhow::Result<Vec<u8>> {
    let doc = input.doc;
    // A document whose last line prints its reference already (the
    // notice's "Issued … Ref 3F9A-21C0") needs no second line saying so.
    let printed = doc.reference.to_string();
    if doc
        .markdown
        .trim_end()
        .lines()
        .last()
        .is_some_and(|l| l.contains(&printed))
    {
        return Ok(doc.markdown.clone().into_bytes());
    }
    let line = reference_line(input.presentation, &doc.reference);
    // The Markdown ends with a line break; a blank line keeps the last
    // line out of a table or list that ends the document.
    Ok(format!("{}\n{line}\n", doc.markdown).into_bytes())
}

/// "Ref 3F9A-21C0 · issued 1 November 2026 · version 3": the last line
/// of the Markdown, as Markdown text.
fn reference_line(p: &Presentation, reference: &Reference) -> String {
    let mut line = format!("{reference} · issued {}", p.policy.issued);
    if let Some(version) = &p.policy.version {
        line.push_str(" · version ");
        line.push_str(&markdown_text(version));
    }
    line
}
