//! Editions: the same document set differently on paper. An edition is
//! data (paper, margins, type sizes and scale, spacing, footer size, and
//! which documents must fit one page), never a code path: the standard
//! edition and the large-print edition are two values of [`Edition`].

use clap::ValueEnum;

use super::Format;
use crate::content::DocKind;

/// A page in points: its size, the side and top margin, and the bottom
/// margin (which leaves room for the footer).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// The paper's name, for messages: "A4".
    pub name: &'static str,
    pub width: f32,
    pub height: f32,
    pub margin: f32,
    pub bottom: f32,
    /// 2: a document in two languages is set side by side, the other
    /// language on the left.
    pub columns: u8,
}

impl Geometry {
    pub fn content_width(&self) -> f32 {
        self.width - 2.0 * self.margin
    }
}

/// A4 with 18 mm margins and room for the footer.
pub const A4: Geometry = Geometry {
    name: "A4",
    width: 595.28,
    height: 841.89,
    margin: 51.0,
    bottom: 68.0,
    columns: 1,
};

/// A4 for a poster: 14 mm margins.
pub const A4_POSTER: Geometry = Geometry {
    margin: 40.0,
    bottom: 62.0,
    ..A4
};

/// A3 landscape (twice A4), poster margins, in two columns: for a notice
/// in Welsh and English, which cannot fit A4 in clear print.
pub const A3_TWO_COLUMNS: Geometry = Geometry {
    name: "A3",
    width: 1190.55,
    height: 841.89,
    columns: 2,
    ..A4_POSTER
};

/// How a document's body text is sized.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// One size; the document runs to as many pages as it needs.
    Flow(f32),
    /// The largest of these sizes (largest first) at which the document
    /// fits one page of the first paper that takes it; a document in two
    /// languages tries `bilingual_papers` instead.
    OnePage {
        sizes: &'static [f32],
        papers: &'static [Geometry],
        bilingual_papers: &'static [Geometry],
    },
}

impl Body {
    /// The smallest size the body may be set in.
    pub fn smallest(&self) -> f32 {
        match *self {
            Body::Flow(size) => size,
            Body::OnePage { sizes, .. } => sizes.iter().copied().fold(f32::MAX, f32::min),
        }
    }
}

/// How one document is set in an edition.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub body: Body,
    /// The footer's size in points; `None`: the body's size.
    pub footer: Option<f32>,
}

impl Setting {
    pub fn footer_size(&self, body: f32) -> f32 {
        self.footer.unwrap_or(body)
    }
}

/// The edition names `--editions` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ValueEnum)]
pub enum EditionName {
    /// The documents as practices print and publish them.
    Standard,
    /// The patient documents in large print (18 pt body) for anyone who asks.
    LargePrint,
}

impl EditionName {
    pub fn edition(self) -> &'static Edition {
        match self {
            EditionName::Standard => &STANDARD,
            EditionName::LargePrint => &LARGE_PRINT,
        }
    }
}

impl std::fmt::Display for EditionName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.edition().label)
    }
}

/// How one edition sets every document it makes.
#[derive(Debug)]
pub struct Edition {
    pub name: EditionName,
    /// As `--editions` spells it.
    pub label: &'static str,
    /// Added to each file's stem: `complaints-leaflet.large-print.pdf`.
    pub suffix: &'static str,
    /// The documents this edition makes, and in which formats.
    pub documents: &'static [DocKind],
    pub formats: &'static [Format],
    pub paper: Geometry,
    /// How the notice, the leaflet and the handbook are set.
    pub notice: Setting,
    pub leaflet: Setting,
    pub handbook: Setting,
    /// Heading sizes (levels 1, 2, 3) as multiples of the body size.
    pub heading_scale: [f32; 3],
    /// Line height as a multiple of the size, for body text and headings.
    pub leading: f32,
    pub heading_leading: f32,
    /// Whether emphasis is set in italics (large print sets it in bold).
    pub italics: bool,
    /// Whether links are underlined (large print shows them in bold colour).
    pub underline_links: bool,
    /// Whether a QR code is set beside the paragraph before it (saving a
    /// poster's height) rather than under it (large print, where the
    /// paragraph needs the full width).
    pub qr_beside_text: bool,
}

impl Edition {
    pub fn setting(&self, kind: DocKind) -> Setting {
        match kind {
            DocKind::Notice => self.notice,
            DocKind::Leaflet => self.leaflet,
            DocKind::Handbook => self.handbook,
        }
    }

    /// Whether this edition makes `kind` in `format`.
    pub fn makes(&self, kind: DocKind, format: Format) -> bool {
        self.documents.contains(&kind) && self.formats.contains(&format)
    }
}

pub static STANDARD: Edition = Edition {
    name: EditionName::Standard,
    label: "standard",
    suffix: "",
    documents: &DocKind::ALL,
    formats: &Format::ALL,
    paper: A4,
    // A waiting-room notice in clear print: never under 12 pt (RNIB), its
    // footer too, on one A4 page (or A3 in Welsh and English).
    notice: Setting {
        body: Body::OnePage {
            sizes: &[16.0, 15.0, 14.0, 13.5, 13.0, 12.5, 12.0],
            papers: &[A4_POSTER],
            bilingual_papers: &[A4_POSTER, A3_TWO_COLUMNS],
        },
        footer: None,
    },
    leaflet: Setting {
        body: Body::Flow(12.0),
        footer: Some(8.5),
    },
    handbook: Setting {
        body: Body::Flow(10.5),
        footer: Some(8.5),
    },
    heading_scale: [2.0, 1.4, 1.15],
    leading: 1.35,
    heading_leading: 1.2,
    italics: true,
    underline_links: true,
    qr_beside_text: true,
};

const LARGE: Setting = Setting {
    body: Body::Flow(18.0),
    footer: None,
};

pub static LARGE_PRINT: Edition = Edition {
    name: EditionName::LargePrint,
    label: "large-print",
    suffix: ".large-print",
    documents: &[DocKind::Notice, DocKind::Leaflet],
    formats: &[Format::Pdf, Format::Docx],
    paper: Geometry { bottom: 96.0, ..A4 },
    // Large print (UKAAF, RNIB): 18 pt body, footers and page numbers as
    // large as the body; as many pages as it takes.
    notice: LARGE,
    leaflet: LARGE,
    handbook: LARGE,
    heading_scale: [1.5, 1.3, 1.15],
    leading: 1.5,
    heading_leading: 1.25,
    italics: false,
    underline_links: false,
    qr_beside_text: false,
};
