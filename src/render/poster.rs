//! What the PDF and Word posters share: the notice's blocks in one
//! language, split into the practice's name (the masthead), the body, the
//! QR code's place and the sign-off.

use crate::document::{Block, Qr, Span};

/// One language's share of the poster.
pub struct Side<'m> {
    /// The practice's name: the first paragraph wholly in bold, set in
    /// the masthead.
    pub lead: Option<&'m [Span]>,
    pub blocks: Vec<&'m Block>,
    pub sign_off: Option<&'m [Span]>,
    /// The QR code, and the block it followed.
    pub qr: Option<(&'m Qr, usize)>,
}

impl<'m> Side<'m> {
    /// The blocks of one language, the QR code taken out, and the last
    /// paragraph kept apart as the sign-off.
    pub fn of(blocks: &'m [Block]) -> Side<'m> {
        let mut kept: Vec<&Block> = Vec::new();
        let (mut qr, mut lead) = (None, None);
        for block in blocks {
            match block {
                Block::Qr(code) => qr = Some((code, kept.len().saturating_sub(1))),
                Block::Paragraph(spans) if lead.is_none() && is_lead(spans) => {
                    lead = Some(spans.as_slice())
                }
                other => kept.push(other),
            }
        }
        let sign_off = match kept.last() {
            Some(Block::Paragraph(spans)) if kept.len() > 1 => Some(spans.as_slice()),
            _ => None,
        };
        if sign_off.is_some() {
            kept.pop();
        }
        Side {
            lead,
            blocks: kept,
            sign_off,
            qr,
        }
    }
}

/// True for a paragraph wholly in bold: the practice's name.
pub fn is_lead(spans: &[Span]) -> bool {
    spans.iter().any(|s| !s.text.trim().is_empty())
        && spans.iter().all(|s| s.bold || s.text.trim().is_empty())
}

/// The notice's blocks: the Welsh part's language and blocks, if it has
/// one, and the document's own.
pub fn languages(blocks: &[Block]) -> (Option<(&str, &[Block])>, &[Block]) {
    match blocks.first() {
        Some(Block::Part { lang, blocks: part }) => {
            (Some((lang.as_str(), part.as_slice())), &blocks[1..])
        }
        _ => (None, blocks),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_side_keeps_its_last_paragraph_apart_as_the_sign_off() {
        let blocks = vec![
            Block::Heading {
                level: 1,
                id: "h".into(),
                spans: vec![Span::plain("Headline")],
            },
            Block::Paragraph(vec![Span::plain("Phone")]),
            Block::Qr(Qr {
                url: "https://example.org".into(),
                alt: String::new(),
                caption: Vec::new(),
                scan: Vec::new(),
            }),
            Block::Paragraph(vec![Span::plain("Issued")]),
        ];
        let side = Side::of(&blocks);
        assert_eq!(side.blocks.len(), 2);
        assert_eq!(side.sign_off.map(|s| s[0].text.as_str()), Some("Issued"));
        assert_eq!(
            side.qr.map(|(code, after)| (code.url.as_str(), after)),
            Some(("https://example.org", 1))
        );
    }
}
