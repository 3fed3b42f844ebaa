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
};

/// A4 for a poster: 12 mm margins.
pub const A4_POSTER: Geometry = Geometry {
    margin: 34.0,
    bottom: 62.0,
    ..A4
};

/// How a document's body text is sized.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// One size; the document runs to as many pages as it needs.
    Flow(f32),
    /// A poster ([`Poster`]): one page, the same sizes for every practice.
    Poster(Poster),
}

/// A poster read from across a room: one page of `paper`, at sizes that
/// never change with the text. What does not fit is an error that says
/// what to shorten: a pack's posters all look alike, and none is set in
/// smaller type because its practice has a longer name.
#[derive(Debug, Clone, Copy)]
pub struct Poster {
    pub paper: Geometry,
    /// The sizes in one language, and in two (Welsh and English, side
    /// by side, which must be smaller to fit).
    pub one_language: PosterSizes,
    pub two_languages: PosterSizes,
    /// The sign-off at the foot (issue date, approval, reference).
    pub sign_off: f32,
    /// The QR code's side without its quiet zone.
    pub qr: f32,
}

impl Poster {
    pub fn sizes(&self, languages: usize) -> PosterSizes {
        if languages > 1 {
            self.two_languages
        } else {
            self.one_language
        }
    }
}

/// A poster's type sizes in points.
#[derive(Debug, Clone, Copy)]
pub struct PosterSizes {
    pub body: f32,
    /// The headline: the level 1 heading.
    pub headline: f32,
    /// Level 2 and 3 headings.
    pub heading: f32,
    /// A paragraph wholly in bold (the practice's name beside the logo).
    pub lead: f32,
    /// Line height as a multiple of the size.
    pub leading: f32,
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
    /// How each document is set, in the order of [`DocKind::ALL`].
    pub settings: [Setting; DocKind::ALL.len()],
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
        self.settings[kind as usize]
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
    // A waiting-room poster read from the chairs: a headline of 40 pt or
    // more, text of 18 pt or more (the size large print aims at), a QR
    // code of 36 mm, on one A4 page in English alone or in Welsh and
    // English. Then the leaflet and the handbook.
    settings: [
        Setting {
            body: Body::Poster(Poster {
                paper: A4_POSTER,
                one_language: PosterSizes {
                    body: 22.0,
                    headline: 60.0,
                    heading: 26.0,
                    lead: 28.0,
                    leading: 1.3,
                },
                two_languages: PosterSizes {
                    body: 18.0,
                    headline: 40.0,
                    heading: 22.0,
                    lead: 22.0,
                    leading: 1.25,
                },
                sign_off: 10.0,
                qr: 102.0,
            }),
            footer: Some(10.0),
        },
        Setting {
            body: Body::Flow(12.0),
            footer: Some(8.5),
        },
        Setting {
            body: Body::Flow(10.5),
            footer: Some(8.5),
        },
    ],
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
    settings: [LARGE; DocKind::ALL.len()],
    // The title well above the headings (36 pt to 24 pt), which are well
    // above the body.
    heading_scale: [2.0, 1.35, 1.15],
    leading: 1.5,
    heading_leading: 1.25,
    italics: false,
    underline_links: false,
    qr_beside_text: false,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_in_the_order_of_the_documents() {
        // `Edition::setting` indexes by the kind's number.
        for (i, kind) in DocKind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, i);
        }
        assert!(matches!(
            STANDARD.setting(DocKind::Notice).body,
            Body::Poster(_)
        ));
        assert!(matches!(
            STANDARD.setting(DocKind::Handbook).body,
            Body::Flow(10.5)
        ));
    }
}
