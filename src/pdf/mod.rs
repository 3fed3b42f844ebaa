//! Stage 3b: a [`Document`]'s Markdown → a tagged, reproducible A4 PDF.
//!
//! [`blocks`] reads the Markdown (the same text the `.md` file holds),
//! [`text`] shapes it with parley on the bundled Liberation Sans,
//! [`layout`] (with [`table`] and [`figure`]) breaks it into pages and
//! builds the structure tree, and [`draw`] writes it with krilla under its
//! PDF/UA-1 checker. Dates come from the config, so the same input gives
//! the same bytes.

pub mod blocks;
pub mod containers;
pub mod draw;
pub mod figure;
pub mod layout;
pub mod table;
pub mod text;

use anyhow::bail;

use crate::config::Practice;
use crate::config::rules::parse_hex_colour;
use crate::content::{DocKind, Document};
use blocks::Block;
use layout::{A4, Content, Draw, Geometry, Laid, Page, Theme, Typesetter};

/// Body text sizes tried for the one-page notice, largest first.
const NOTICE_SIZES: [f32; 9] = [12.0, 11.5, 11.0, 10.5, 10.0, 9.75, 9.5, 9.25, 9.0];

/// Renders one document as PDF bytes.
pub fn render(
    doc: &Document,
    practice: &Practice,
    logo: Option<&krilla::image::Image>,
) -> anyhow::Result<Vec<u8>> {
    let mut parsed = blocks::parse(&doc.markdown)?;
    if matches!(doc.kind, DocKind::Notice | DocKind::Leaflet)
        && let Some(url) = &practice.config.practice.complaints_page
    {
        insert_qr(&mut parsed.blocks, &parsed.links, url);
    }
    let accent = parse_hex_colour(&practice.accent_colour).unwrap_or([0x00, 0x5e, 0xb8]);
    let theme = |size: f32| Theme {
        size,
        space: (size / 12.0).min(1.0),
        text: [0x21, 0x2b, 0x32],
        accent,
        muted: [0x4c, 0x62, 0x72],
    };
    let footer = format!("{} — {}", practice.name(), doc.title);
    let alt = format!("{} logo", practice.name());
    let lay = |size: f32, geo: Geometry, break_before: Option<usize>| {
        text::with_context(|ctx| {
            let mut setter = Typesetter::new(ctx, geo, theme(size), parsed.links.clone());
            let mut tree = Vec::new();
            if let Some(image) = logo {
                setter.logo(image, &alt, &mut tree);
            }
            setter.document(
                &parsed.blocks,
                geo.margin,
                geo.content_width(),
                &mut tree,
                break_before,
            );
            setter.footers(&footer);
            setter.finish(tree)
        })
    };
    let laid = match doc.kind {
        DocKind::Notice => fit_one_page(|size, geo| lay(size, geo, None))?,
        DocKind::Leaflet => no_short_last_page(&parsed.blocks, |b| lay(12.0, A4, b)),
        DocKind::Handbook => no_short_last_page(&parsed.blocks, |b| lay(10.5, A4, b)),
    };
    draw::write(laid, A4, &meta(doc, practice))
}

fn meta(doc: &Document, practice: &Practice) -> draw::Meta {
    draw::Meta {
        title: format!("{} — {}", doc.title, practice.name()),
        author: practice.name().to_string(),
        subject: match doc.kind {
            DocKind::Notice => "How the practice responds to abuse of staff online, and how to give feedback or complain instead".into(),
            DocKind::Leaflet => "How to make a complaint about the practice, and where else to go for help".into(),
            DocKind::Handbook => "Staff guidance on managing online and social media feedback".into(),
        },
        keywords: vec![
            practice.name().to_string(),
            "complaints".into(),
            "social media".into(),
            "online feedback".into(),
            "GP practice".into(),
        ],
        date: practice.issued,
    }
}

/// A layout whose last page holds more than a line or two. When the last
/// page would hold only a little (the "Issued …" line, say), the block
/// before it is started on a new page instead, so it carries that little
/// with it (never a rule, or a block apart from its heading), and a few
/// blocks further back are tried before the first layout is kept. A
/// layout that needs more pages than the first is never taken.
fn no_short_last_page(blocks: &[Block], lay: impl Fn(Option<usize>) -> Laid) -> Laid {
    let first = lay(None);
    if !short_last_page(&first) {
        return first;
    }
    let last = first.pages.len() - 1;
    // The last block that starts before the last page.
    let Some(mut candidate) = first.starts.iter().rposition(|page| *page < last) else {
        return first;
    };
    for _ in 0..3 {
        // A rule belongs to what follows it, and a heading to what it heads.
        while candidate > 0
            && (matches!(blocks[candidate], Block::Rule)
                || matches!(blocks[candidate - 1], Block::Heading { .. }))
        {
            candidate -= 1;
        }
        let laid = lay(Some(candidate));
        if laid.pages.len() <= first.pages.len() && !short_last_page(&laid) {
            return laid;
        }
        if candidate == 0 {
            break;
        }
        candidate -= 1;
    }
    first
}

/// True when a document of more than one page ends with a page that holds
/// three lines of text or fewer (footers not counted).
pub fn short_last_page(laid: &Laid) -> bool {
    laid.pages.len() > 1 && laid.pages.last().is_some_and(|page| text_lines(page) <= 3)
}

/// How many lines of text a page holds: the distinct baselines of its
/// tagged text.
fn text_lines(page: &Page) -> usize {
    let mut baselines: Vec<u32> = page
        .marks
        .iter()
        .filter(|mark| matches!(mark.content, Content::Text(_)))
        .flat_map(|mark| &mark.draws)
        .filter_map(|draw| match draw {
            Draw::Glyphs { y, .. } => Some(y.to_bits()),
            _ => None,
        })
        .collect();
    baselines.sort_unstable();
    baselines.dedup();
    baselines.len()
}

/// The largest text size at which the notice fits one page. The content's
/// height is measured once on an endless page, and the first size tried is
/// the one that height predicts: text height grows a little slower than the
/// square of the size once pagination keeps blocks whole (exponent 0.6 on
/// the height ratio, from the examples), while the QR code and logo do not
/// grow at all. Then it steps up or down to the largest size that fits.
fn fit_one_page(lay: impl Fn(f32, Geometry) -> Laid) -> anyhow::Result<Laid> {
    let page = A4.height - A4.bottom - A4.margin;
    let endless = Geometry {
        height: 100_000.0,
        ..A4
    };
    let measured = lay(NOTICE_SIZES[0], endless);
    let (height, fixed) = (measured.end_y - A4.margin, measured.fixed);
    let guess = NOTICE_SIZES[0] * ((page - fixed).max(1.0) / (height - fixed).max(1.0)).powf(0.6);
    let mut at = NOTICE_SIZES
        .iter()
        .position(|s| *s <= guess)
        .unwrap_or(NOTICE_SIZES.len() - 1);
    let fits = |at: usize| {
        let laid = lay(NOTICE_SIZES[at], A4);
        (laid.pages.len() == 1, laid)
    };
    let (fitted, mut laid) = fits(at);
    if fitted {
        // It fits: take larger sizes while they still fit.
        while at > 0 {
            let (bigger_fits, bigger) = fits(at - 1);
            if !bigger_fits {
                break;
            }
            (laid, at) = (bigger, at - 1);
        }
        return Ok(laid);
    }
    while at + 1 < NOTICE_SIZES.len() {
        at += 1;
        let (smaller_fits, smaller) = fits(at);
        if smaller_fits {
            return Ok(smaller);
        }
        laid = smaller;
    }
    // The section the overflow starts in, and every one after it.
    let first_over = laid.headings.iter().position(|h| h.page > 0);
    let spills_from = match first_over {
        Some(i) if laid.headings[i].y <= A4.margin + 1.0 => i,
        Some(i) => i.saturating_sub(1),
        None => laid.headings.len().saturating_sub(1),
    };
    let over: Vec<String> = laid.headings[spills_from..]
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
        "the zero-tolerance notice does not fit on one A4 page, even with {}pt text: {over} ran onto page 2. \
         Shorten the notice template or the longest values it prints (address, names, roles)",
        NOTICE_SIZES[at]
    )
}

/// Puts the QR code after the first top-level block that links to the
/// complaints page (where the reader is told about it), or at the end.
fn insert_qr(blocks: &mut Vec<Block>, links: &[String], url: &str) {
    let links_to =
        |block: &Block| block_links(block).any(|i| links.get(i).is_some_and(|l| l == url));
    let at = blocks
        .iter()
        .position(links_to)
        .map_or(blocks.len(), |i| i + 1);
    blocks.insert(
        at,
        Block::Qr {
            url: url.to_string(),
        },
    );
}

fn block_links(block: &Block) -> Box<dyn Iterator<Item = usize> + '_> {
    let spans = |spans: &'_ [blocks::Span]| {
        spans
            .iter()
            .filter_map(|s| s.link)
            .collect::<Vec<_>>()
            .into_iter()
    };
    match block {
        Block::Heading { spans: s, .. } | Block::Paragraph(s) => Box::new(spans(s)),
        Block::List { items, .. } => Box::new(items.iter().flatten().flat_map(block_links)),
        Block::Quote(inner) => Box::new(inner.iter().flat_map(block_links)),
        Block::Table { header, rows } => Box::new(
            header
                .iter()
                .chain(rows.iter().flatten())
                .flat_map(|cell| spans(cell))
                .collect::<Vec<_>>()
                .into_iter(),
        ),
        Block::Rule | Block::Qr { .. } => Box::new(std::iter::empty()),
    }
}
