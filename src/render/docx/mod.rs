//! Word: the document model → a `.docx` file (WordprocessingML).
//!
//! The parts are docx-rust's typed values, so every value from a config
//! is escaped by the XML writer, never pasted into markup. `body` turns
//! the blocks into paragraphs (with `lists`, `table` and `picture`),
//! `styles` gives them Word's built-in styles at the edition's sizes,
//! `footer` puts the practice, title and page numbers on every page, and
//! `package` writes the parts into the zip: members in a fixed order and
//! dated 1980-01-01, identifiers counted per document, and dates from the
//! config, so the same input gives the same bytes.

mod body;
mod contents;
mod footer;
mod lists;
mod package;
mod picture;
mod poster;
mod styles;
mod table;

use super::Input;
use super::edition::{Body, Edition, Geometry};
use body::BodyWriter;

/// Renders one document as a Word file, in the input's edition.
pub fn render(input: &Input<'_>) -> anyhow::Result<Vec<u8>> {
    let (doc, p) = (input.doc, input.presentation);
    let model = super::printed_model(input);
    let theme = Theme::of(input);
    let mut writer = BodyWriter::new(&theme, &model.links);
    let alt = format!("{} logo", p.practice.name);
    if theme.poster {
        writer.poster(&model.blocks, p.logo.as_ref(), &alt);
    } else {
        if let Some(logo) = &p.logo {
            writer.logo(logo, &alt);
        }
        writer.blocks(&model.blocks, &body::Context::default());
    }
    let body = writer.finish();
    let core = package::CoreProperties {
        title: format!("{} — {}", doc.title, p.practice.name),
        subject: super::subject(doc.kind).to_string(),
        creator: p.practice.name.clone(),
        keywords: super::keywords(&p.practice.name).join(", "),
        date: p.issued,
    };
    let footer = if theme.poster {
        footer::empty()
    } else {
        footer::footer(&p.footer(&doc.title), &doc.reference.to_string())
    };
    package::write(body, styles::styles(&theme), footer, &core, &theme)
}

/// Colours and sizes of one document, decided once from the edition.
pub struct Theme {
    /// Body text size in points.
    pub size: f32,
    /// Footer text size in points.
    pub footer: f32,
    pub paper: Geometry,
    /// The title's size (Markdown's level 1 heading), then Heading 1 and 2.
    pub headings: [f32; 3],
    /// A poster's sizes: the practice's name beside the logo ("Lead"),
    /// the QR code's side without its quiet zone; for other documents,
    /// the body's size and the QR code as in the PDF.
    pub poster: bool,
    pub lead: f32,
    pub qr: f32,
    /// Line spacing as a multiple of Word's single spacing.
    pub leading: f32,
    pub edition: &'static Edition,
    /// Colours as Word writes them: `rrggbb`.
    pub accent: String,
    pub text: String,
    pub muted: String,
    /// The accent mixed with white, for table headers.
    pub tint: String,
}

impl Theme {
    fn of(input: &Input<'_>) -> Theme {
        let edition = input.edition.name.edition();
        // The PDF's sizes: a poster's own, or the edition's.
        let setting = edition.setting(input.doc.kind);
        let (size, paper, headings) = match setting.body {
            Body::Poster(poster) => {
                let sizes = poster.sizes(1 + input.doc.other_languages.len());
                let headings = [sizes.headline, sizes.heading, sizes.heading];
                (sizes.body, poster.paper, headings)
            }
            Body::Flow(size) => (size, edition.paper, edition.heading_scale.map(|s| size * s)),
        };
        // Word's single spacing for Arial is about 1.15 times the size,
        // where the PDF counts from the size itself.
        let (poster, lead, qr, leading) = match setting.body {
            Body::Poster(poster) => {
                let sizes = poster.sizes(1 + input.doc.other_languages.len());
                (true, sizes.lead, poster.qr, sizes.leading / 1.15)
            }
            Body::Flow(_) => (false, size, 66.0, edition.leading),
        };
        let palette = input.presentation.palette();
        Theme {
            size,
            footer: setting.footer_size(size),
            paper,
            headings,
            poster,
            lead,
            qr,
            leading,
            edition,
            accent: hex(palette.accent),
            text: hex(palette.text),
            muted: hex(palette.muted),
            tint: hex(palette.tint()),
        }
    }

    /// A size in points as Word's half-points.
    pub fn half_points(points: f32) -> isize {
        (points * 2.0).round() as isize
    }

    /// A length in points as twentieths of a point (twips).
    pub fn twips(points: f32) -> isize {
        (points * 20.0).round() as isize
    }

    /// The width text runs in, in twips.
    pub fn content_width(&self) -> isize {
        Theme::twips(self.paper.content_width())
    }

    /// The footer's size: the edition's, or the body's.
    pub fn footer_size(&self) -> f32 {
        self.footer
    }
}

/// A heading's anchor as a Word bookmark name: Word takes only letters,
/// digits and underscores, at most 40, not starting with a digit, so the
/// anchor `5-abusive-posts` becomes `_5_abusive_posts` (a leading
/// underscore also keeps it out of Word's list of bookmarks), and a long
/// one is cut and ends with a hash of the whole anchor, so two stay apart.
pub fn bookmark_name(anchor: &str) -> String {
    let name: String = std::iter::once('_')
        .chain(
            anchor
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
        )
        .collect();
    if name.len() <= 40 {
        return name;
    }
    let hash = crate::utils::hash([anchor.as_bytes()]);
    format!("{}_{}", &name[..31], &hash[..8])
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("{r:02x}{g:02x}{b:02x}")
}

/// Word's name for a language: a region is added to a bare tag, as Word
/// files name languages by locale (`cy` → `cy-GB`).
fn word_lang(tag: &str) -> String {
    match tag {
        "cy" | "en" | "gd" => format!("{tag}-GB"),
        "ga" => "ga-IE".to_string(),
        other => other.to_string(),
    }
}
