//! The notice as a poster: one page at the poster's own sizes, which never
//! change with the text (see [`crate::render::edition::Poster`]).
//!
//! In one language the blocks run down the page as in any document. In
//! Welsh and English they are set in rows: each Welsh block on the left,
//! level with its English block on the right, so a reader of either finds
//! the same thing at the same height; a block that is the same in both
//! (the practice's name) spans the page once. The QR code, when there is
//! one, is shared: it sits in the middle of the row of the block it
//! follows (the contact details), between the two languages. Each
//! language's sign-off (its last paragraph: issue date, approval,
//! reference) is set small at the foot of the page, in place of a running
//! footer.

use anyhow::bail;
use krilla::tagging::Tag;

use super::layout::{Node, Typesetter};
use super::text::TextStyle;
use crate::document::{Block, Span};
use crate::render::poster::Side;

/// The logo's height on a poster.
pub const LOGO_HEIGHT: f32 = 64.0;

/// Lays the poster out on `setter`'s page, or says what does not fit.
/// `blocks` are the printed notice's: a Welsh part first, in Wales.
pub fn lay(
    setter: &mut Typesetter<'_>,
    blocks: &[Block],
    logo: Option<(&krilla::image::Image, &str)>,
    tree: &mut Vec<Node>,
    template: &str,
) -> anyhow::Result<()> {
    let geo = setter.geo;
    let (x, width) = (geo.margin, geo.content_width());
    let (welsh, own) = crate::render::poster::languages(blocks);
    let mut sign_offs = Vec::new();
    match &welsh {
        None => {
            // The blocks run down the page, the QR code beside the
            // paragraph it follows; the sign-off goes to the foot.
            let english = Side::of(own);
            masthead(setter, logo, english.lead, tree);
            let mut body = Vec::new();
            for (i, block) in english.blocks.iter().enumerate() {
                body.push((*block).clone());
                if let Some((code, after)) = english.qr
                    && after == i
                {
                    body.push(Block::Qr(code.clone()));
                }
            }
            setter.document(&body, x, width, tree, &[]);
            sign_offs.push((english.sign_off, x, width, None));
        }
        Some((lang, part)) => {
            let lang = lang.to_string();
            let (cymraeg, english) = (Side::of(part), Side::of(own));
            // The practice's name is the same in both languages.
            masthead(setter, logo, english.lead.or(cymraeg.lead), tree);
            let gutter = 22.0;
            let column = (width - gutter) / 2.0;
            let right = x + column + gutter;
            let (mut welsh_kids, mut english_kids) = (Vec::new(), Vec::new());
            let qr = english.qr.or(cymraeg.qr);
            let rows = cymraeg.blocks.len().max(english.blocks.len());
            for row in 0..rows {
                let (w, e) = (cymraeg.blocks.get(row), english.blocks.get(row));
                let top = setter.y;
                if let (Some(w), Some(e)) = (w, e)
                    && w == e
                {
                    // The same in both languages: once, across the page.
                    setter.blocks(std::slice::from_ref(*e), x, width, &mut english_kids);
                    continue;
                }
                // The row the QR code follows has it in its middle.
                let code = qr.filter(|(_, after)| *after == row).and_then(|(qr, _)| {
                    Some((qr, super::figure::qr_side(&qr.url, setter.theme.qr)?))
                });
                let (text, english_x) = match code {
                    Some((_, side)) => {
                        let text = (width - side) / 2.0 - QR_GAP;
                        (text, x + width - text)
                    }
                    None => (column, right),
                };
                if let Some(w) = w {
                    setter.blocks(std::slice::from_ref(*w), x, text, &mut welsh_kids);
                }
                let welsh_end = setter.y;
                setter.y = top;
                if let Some(e) = e {
                    setter.blocks(std::slice::from_ref(*e), english_x, text, &mut english_kids);
                }
                let mut end = setter.y.max(welsh_end);
                if let Some((qr, side)) = code {
                    setter.qr_code(qr, x + (width - side) / 2.0, top, &mut english_kids);
                    end = end.max(top + side);
                }
                setter.y = end;
            }
            tree.push(Node::Group(
                Tag::Div.with_lang(Some(lang.clone())).into(),
                welsh_kids,
            ));
            tree.extend(english_kids);
            sign_offs.push((cymraeg.sign_off, x, column, Some(lang.clone())));
            sign_offs.push((english.sign_off, right, column, None));
        }
    }
    sign_off(setter, &sign_offs, tree);
    if setter.pages.len() > 1 || setter.y > setter.bottom() + 0.01 {
        // The section the overflow starts in, and every one after it.
        let headings = &setter.headings;
        let first_over = headings.iter().position(|h| h.page > 0);
        let spills_from = match first_over {
            Some(i) if headings[i].y <= setter.geo.margin + 1.0 => i,
            Some(i) => i.saturating_sub(1),
            None => headings.len().saturating_sub(1),
        };
        let over: Vec<String> = headings[spills_from..]
            .iter()
            .filter(|h| h.level > 1)
            .map(|h| format!("\"{}\"", h.title))
            .collect();
        let over = if over.is_empty() {
            "the text".to_string()
        } else {
            over.join(", ")
        };
        bail!(
            "the zero-tolerance notice does not fit on one A4 poster page: {over} ran off it. \
             A poster's type sizes are the same for every practice, so the text must be shorter: \
             shorten {template} (the part before its `---` line) or the longest values it prints \
             (the practice's name, the complaints page's address, who approved it)"
        );
    }
    Ok(())
}

/// The logo and the practice's name at the top of the poster, side by
/// side.
fn masthead(
    setter: &mut Typesetter<'_>,
    logo: Option<(&krilla::image::Image, &str)>,
    name: Option<&[Span]>,
    tree: &mut Vec<Node>,
) {
    let (x, width, top) = (setter.geo.margin, setter.geo.content_width(), setter.y);
    let mut logo_size = (0.0, 0.0);
    if let Some((image, _)) = logo {
        let (w, h) = image.size();
        let ratio = w as f32 / h.max(1) as f32;
        let logo_width = (LOGO_HEIGHT * ratio).min(width / 4.0);
        logo_size = (logo_width, logo_width / ratio.max(f32::MIN_POSITIVE));
    }
    let gap = if logo.is_some() { 16.0 } else { 0.0 };
    let style = TextStyle {
        size: setter.theme.lead.unwrap_or(setter.theme.size),
        bold: true,
        rgb: setter.theme.palette.accent,
        ..setter.theme.body()
    };
    let lines = name.map(|spans| setter.lines(spans, &style, width - logo_size.0 - gap));
    let text_height = lines.as_ref().map_or(0.0, |l| l.height());
    let height = logo_size.1.max(text_height);
    if height == 0.0 {
        return;
    }
    if let Some((image, alt)) = logo {
        let leaf = setter.leaf();
        let draw = super::layout::Draw::Image {
            x,
            y: top + (height - logo_size.1) / 2.0,
            w: logo_size.0,
            h: logo_size.1,
            image: image.clone(),
        };
        setter.mark(super::layout::Content::Graphic(leaf), vec![draw]);
        tree.push(Node::Group(
            Tag::Figure(Some(alt.to_string())).into(),
            vec![Node::Leaf(leaf)],
        ));
    }
    if let Some(lines) = lines {
        setter.y = top + (height - text_height) / 2.0;
        let kids = setter.paragraph(&lines, x + logo_size.0 + gap);
        tree.push(Node::Group(Tag::P.into(), kids));
    }
    setter.y = top + height + setter.theme.size * 0.6;
}

/// The room between a QR code and the text beside it.
const QR_GAP: f32 = 12.0;

/// One language's sign-off: its text, where its column starts and how
/// wide it is, and its language when not the document's.
type SignOff<'a> = (Option<&'a [Span]>, f32, f32, Option<String>);

/// Each sign-off at the foot of the page, at the footer's size, bottoms
/// level; the welsh one tagged in its language.
fn sign_off(setter: &mut Typesetter<'_>, sign_offs: &[SignOff<'_>], tree: &mut Vec<Node>) {
    let style = TextStyle {
        size: setter.theme.footer,
        bold: false,
        rgb: setter.theme.palette.muted,
        link_rgb: setter.theme.palette.muted,
        leading: 1.3,
        underline_links: false,
    };
    let laid: Vec<_> = sign_offs
        .iter()
        .map(|(spans, x, width, lang)| {
            let lines = spans.map(|spans| setter.lines(spans, &style, *width));
            (lines, *x, lang.clone())
        })
        .collect();
    let height = laid
        .iter()
        .filter_map(|(lines, ..)| lines.as_ref().map(|l| l.height()))
        .fold(0.0, f32::max);
    if height == 0.0 {
        return;
    }
    // At the foot of the paper, clear of the text above it.
    let top = setter.geo.height - 22.0 - height;
    // The space after the last paragraph may fall in the gap above the
    // rule; its text may not.
    let overflow = setter.y - setter.theme.size * 0.6 + 12.0 > top;
    let line = super::layout::Draw::Rect {
        x: setter.geo.margin,
        y: top - 6.0,
        w: setter.geo.content_width(),
        h: 0.5,
        rgb: setter.theme.palette.muted,
    };
    setter.mark(
        super::layout::Content::Artifact(krilla::tagging::ArtifactType::Layout),
        vec![line],
    );
    for (lines, x, lang) in laid {
        let Some(lines) = lines else { continue };
        // Line by line: the foot is below where pages break.
        setter.y = top;
        let (mut kids, mut links) = (Vec::new(), std::collections::HashMap::new());
        for line in &lines.lines {
            setter.line(line, x, &mut kids, &mut links);
        }
        let paragraph = Node::Group(Tag::P.into(), kids);
        match lang {
            Some(lang) => tree.push(Node::Group(
                Tag::Div.with_lang(Some(lang)).into(),
                vec![paragraph],
            )),
            None => tree.push(paragraph),
        }
    }
    // Text that ran into the sign-off's room does not fit.
    setter.y = if overflow {
        setter.bottom() + 1.0
    } else {
        setter.bottom()
    };
}
