//! Markdown: the document's text as the templates made it.

use super::Input;

pub fn render(input: &Input<'_>) -> anyhow::Result<Vec<u8>> {
    Ok(input.doc.markdown.clone().into_bytes())
}
