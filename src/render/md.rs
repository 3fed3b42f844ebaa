//! Markdown: the document's text as the templates made it, and a last
//! line with its reference, issue date and version.

use super::Input;

pub fn render(input: &Input<'_>) -> anyhow::Result<Vec<u8>> {
    let doc = input.doc;
    let line = input.presentation.reference_line(&doc.reference);
    // The Markdown ends with a line break; a blank line keeps the last
    // line out of a table or list that ends the document.
    Ok(format!("{}\n{line}\n", doc.markdown).into_bytes())
}
