//! Stage 3: a document → bytes, one module per output format.
//!
//! Every renderer has the same entry shape: [`Input`] (the document, its
//! [`Model`], the practice's [`Presentation`] and the [`Edition`]) in,
//! the file's bytes out. A new format is one module here and one variant
//! of [`Format`]; a new edition is one value in [`edition`].

pub mod docx;
pub mod edition;
pub mod html;
pub mod md;
pub mod pdf;
pub mod poster;
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
    /// A Word document, for practices that edit their copy.
    Docx,
}

impl Format {
    /// What `build` writes when `--formats` is not given.
    pub const DEFAULT: [Format; 3] = [Format::Md, Format::Html, Format::Pdf];
    pub const ALL: [Format; 4] = [Format::Md, Format::Html, Format::Pdf, Format::Docx];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
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

/// The model as it is printed (PDF and Word): the notice is its poster
/// ([`Model::poster`]), the notice and the leaflet carry a QR code to the
/// complaints page, and an edition that avoids italics sets emphasis in
/// bold.
pub fn printed_model(input: &Input<'_>) -> Model {
    let mut model = input.model.clone();
    if input.doc.kind == DocKind::Notice {
        model = model.poster();
    }
    if matches!(input.doc.kind, DocKind::Notice | DocKind::Leaflet)
        && let Some(url) = &input.presentation.practice.complaints_page
    {
        model = model.with_qr(url);
    }
    if !input.edition.italics {
        model = model.without_italics();
    }
    model
}

/// What a document is about, for the file's own description (the PDF's
/// and the Word file's subject).
pub fn subject(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Notice => {
            "How the practice responds to abuse of staff online, and how to give feedback or complain instead"
        }
        DocKind::Leaflet => {
            "How to make a complaint about the practice, and where else to go for help"
        }
        DocKind::Handbook => "Staff guidance on managing online and social media feedback",
    }
}

/// The words a file is found by, led by the practice's name.
pub fn keywords(practice: &str) -> Vec<String> {
    [
        practice,
        "complaints",
        "social media",
        "online feedback",
        "GP practice",
    ]
    .map(String::from)
    .to_vec()
}

/// Renders one document in one format and edition.
pub fn render(format: Format, input: &Input<'_>) -> anyhow::Result<Vec<u8>> {
    let kind = input.doc.kind;
    let bytes = match format {
        Format::Md => md::render(input),
        Format::Html => html::render(input),
        Format::Pdf => pdf::render(input),
        Format::Docx => docx::render(input),
    };
    bytes.with_context(|| {
        format!(
            "{kind}: cannot make the {}",
            format.extension().to_uppercase()
        )
    })
}
