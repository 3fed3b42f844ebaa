//! Stage 3: a document → bytes, one module per output format.
//!
//! Every renderer has the same entry shape: [`Input`] (the document, its
//! [`Model`], the practice's [`Presentation`] and the [`Edition`]) in,
//! the file's bytes out. A new format is one module here and one variant
//! of [`Format`]; a new edition is one value in [`edition`].

pub mod edition;
pub mod html;
pub mod md;
pub mod pdf;
pub mod presentation;

use anyhow::Context as _;
use clap::ValueEnum;

use crate::content::{DocKind, Document, Templates};
use crate::document::Model;
pub use edition::{Edition, EditionName};
pub use presentation::Presentation;

/// The file formats policypack writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ValueEnum)]
pub enum Format {
    /// Markdown: the text every other format is made from.
    Md,
    /// A self-contained web page.
    Html,
    /// Tagged PDF/UA-1 for print.
    Pdf,
}

impl Format {
    /// What `build` writes when `--formats` is not given.
    pub const DEFAULT: [Format; 3] = [Format::Md, Format::Html, Format::Pdf];
    pub const ALL: [Format; 3] = [Format::Md, Format::Html, Format::Pdf];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }

    /// The file of document `kind` in this format and `edition`, relative
    /// to the practice's folder.
    pub fn file_name(self, kind: DocKind, edition: &Edition) -> String {
        format!("{}{}.{}", kind.stem(), edition.suffix, self.extension())
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}

/// Everything a renderer reads.
pub struct Input<'a> {
    pub doc: &'a Document,
    pub model: &'a Model,
    pub presentation: &'a Presentation,
    pub edition: &'a Edition,
    /// The page layout (`page.html`) for HTML.
    pub templates: &'a Templates,
}

/// Renders one document in one format and edition.
pub fn render(format: Format, input: &Input<'_>) -> anyhow::Result<Vec<u8>> {
    let kind = input.doc.kind;
    let bytes = match format {
        Format::Md => md::render(input),
        Format::Html => html::render(input),
        Format::Pdf => pdf::render(input),
    };
    bytes.with_context(|| {
        format!(
            "{kind}: cannot make the {}",
            format.extension().to_uppercase()
        )
    })
}
