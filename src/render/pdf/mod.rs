//! PDF: the document model → a tagged, reproducible PDF/UA-1 file.
//!
//! The edition gives the paper and the type sizes. [`text`] shapes it with parley on the bundled Liberation Sans,
//! [`layout`] (with [`table`] and [`figure`]) breaks it into pages and
//! builds the structure tree, and [`draw`] writes it with krilla under its
//! PDF/UA-1 checker. Dates come from the config, so the same input gives
//! the same bytes.

pub mod containers;
pub mod draw;
pub mod figure;
pub mod layout;
pub mod table;
pub mod text;

use anyhow::bail;

use super::Input;
use super::edition::{Body, Geometry};
use crate::config::rules::parse_hex_colour;
use crate::content::Document;
use crate::document::Block;
use layout::{Content, Draw, Laid, Page, Theme, Typesetter};

/// Renders one document as PDF bytes, in the input's edition.
pub fn render(input: &Input<'_>) -> anyhow::Result<Vec<u8>> {
    let (doc, p, edition) = (input.doc, input.presentation, input.edition);
    let model = super::printed_model(input);
    let accent = parse_hex_colour(&p.accent).unwrap_or([0x00, 0x5e, 0xb8]);
    let setting = edition.setting(doc.kind);
    let theme = |size: f32| Theme {
        footer: setting.footer_size(size),
        size,
        space: (size / 12.0).min(1.0),
        text: [0x21, 0x2b, 0x32],
        accent,
        muted: [0x4c, 0x62, 0x72],
        edition: input.edition.name.edition(),
    };
    // The footer names the practice and the document; a long name in large
    // print may leave room for the practice alone.
    let footer = [p.footer(&doc.title), p.practice.name.clone()];
    let reference = doc.reference.to_string();
    let alt = format!("{} logo", p.practice.name);
    let lay = |size: f32, geo: Geometry, breaks: &[usize]| {
        text::with_context(|ctx| {
            let mut setter = Typesetter::new(ctx, geo, theme(size), model.links.clone());
            let mut tree = Vec::new();
            if let Some(logo) = &p.logo {
                setter.logo(&logo.image, &alt, &mut tree);
            }
            // Parts in another language first, then the document's own
            // language: one after the other, or side by side on a page
            // with two columns.
            let parts = model
                .blocks
                .iter()
                .take_while(|b| matches!(b, Block::Part { .. }))
                .count();
            let first_lang = match model.blocks.first() {
                Some(Block::Part { lang, .. }) => Some(lang.as_str()),
                _ => None,
            };
            let welsh_pages;
            if geo.columns == 2 && parts > 0 && parts < model.blocks.len() {
                let gutter = 2.0 * geo.margin / 3.0;
                let width = (geo.content_width() - gutter) / 2.0;
                let top = setter.y;
                let (first, second) = model.blocks.split_at(parts);
                setter.document(first, geo.margin, width, &mut tree, &[]);
                let first_end = setter.y;
                // A first column that ran over does not fit: leave it so.
                if setter.page() == 0 {
                    setter.y = top;
                }
                setter.document(second, geo.margin + width + gutter, width, &mut tree, &[]);
                if setter.page() == 0 {
                    setter.y = setter.y.max(first_end);
                }
                welsh_pages = 0;
            } else {
                // Parts in another language, then the rest, so the pages
                // that hold only the other language are known: they are
                // numbered in it ("Tudalen 1 o 4").
                let (first, second) = model.blocks.split_at(parts);
                let (before, after): (Vec<usize>, Vec<usize>) =
                    breaks.iter().partition(|&&b| b < parts);
                let after: Vec<usize> = after.iter().map(|b| b - parts).collect();
                setter.document(first, geo.margin, geo.content_width(), &mut tree, &before);
                welsh_pages = if parts > 0 && first_lang == Some("cy") {
                    setter.page()
                } else {
                    0
                };
                setter.document(second, geo.margin, geo.content_width(), &mut tree, &after);
            }
            setter.footers(&footer, &reference, welsh_pages);
            setter.finish(tree)
        })
    };
    let (laid, paper) = match setting.body {
        Body::OnePage {
            sizes,
            papers,
            bilingual_papers,
        } => {
            let papers = if doc.other_languages.is_empty() {
                papers
            } else {
                bilingual_papers
            };
            fit_one_page(doc, sizes, papers, |size, geo| lay(size, geo, &[]))?
        }
        Body::Flow(size) => (
            no_short_pages(&model.blocks, |breaks| lay(size, edition.paper, breaks)),
            edition.paper,
        ),
    };
    draw::write(laid, paper, &meta(doc, p))
}

fn meta(doc: &Document, p: &super::Presentation) -> draw::Meta {
    let name = &p.practice.name;
    draw::Meta {
        title: format!("{} — {name}", doc.title),
        author: name.to_string(),
        subject: super::subject(doc.kind).to_string(),
        keywords: super::keywords(name),
        date: p.issued,
    }
}

/// A layout in which no page that ends a stretch of pages (the last page,
/// or a page after which a rule starts a new page) holds only a line or
/// two. When such a page would hold only a little (the "Issued …" line,
/// say), the block before it is started on a new page instead, so it
/// carries that little with it (never a rule, or a block apart from its
/// heading), and a few blocks further back are tried before the layout is
/// left as it was. Stretches are put right in order, and a layout that
/// needs more pages is never taken.
fn no_short_pages(blocks: &[Block], lay: impl Fn(&[usize]) -> Laid) -> Laid {
    let mut breaks = Vec::new();
    let mut laid = lay(&breaks);
    let mut from = 0;
    while let Some(short) = short_stretch_end(&laid, blocks, from) {
        from = short + 1;
        // The last block that starts before the short page.
        let Some(mut candidate) = laid.starts.iter().rposition(|page| *page < short) else {
            continue;
        };
        for _ in 0..3 {
            // A rule belongs to what follows it, and a heading to what it heads.
            while candidate > 0
                && (matches!(blocks[candidate], Block::Rule)
                    || matches!(blocks[candidate - 1], Block::Heading { .. }))
            {
                candidate -= 1;
            }
            let mut tried = breaks.clone();
            tried.push(candidate);
            let again = lay(&tried);
            if again.pages.len() <= laid.pages.len() && !short_page(&again, short) {
                (breaks, laid) = (tried, again);
                break;
            }
            if candidate == 0 {
                break;
            }
            candidate -= 1;
        }
    }
    laid
}

/// The first page from `from` on that ends a stretch of pages and holds
/// three lines of text or fewer.
fn short_stretch_end(laid: &Laid, blocks: &[Block], from: usize) -> Option<usize> {
    let last = laid.pages.len().checked_sub(1)?;
    // Pages before one that a rule started.
    let before_breaks = blocks.windows(2).enumerate().filter_map(|(i, pair)| {
        let forced = matches!(pair, [Block::Rule, Block::Heading { level: 1 | 2, .. }]);
        let page = *laid.starts.get(i + 1)?;
        (forced && page > 0).then(|| page - 1)
    });
    let mut ends: Vec<usize> = before_breaks.chain([last]).filter(|p| *p >= from).collect();
    ends.sort_unstable();
    ends.into_iter().find(|&page| short_page(laid, page))
}

/// True when page `page` of a document of more than one page holds three
/// lines of text or fewer (footers not counted).
fn short_page(laid: &Laid, page: usize) -> bool {
    laid.pages.len() > 1 && laid.pages.get(page).is_some_and(|p| text_lines(p) <= 3)
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

/// The largest text size at which the notice fits one page, on the first
/// paper of `papers` where some size of `sizes` fits. The content's height
/// is measured once on an endless page, and the first size tried is the
/// one that height predicts: text height grows a little slower than the
/// square of the size once pagination keeps blocks whole (exponent 0.6 on
/// the height ratio, from the examples), while the QR code and logo do not
/// grow at all. Then it steps up or down to the largest size that fits.
fn fit_one_page(
    doc: &Document,
    sizes: &[f32],
    papers: &[Geometry],
    lay: impl Fn(f32, Geometry) -> Laid,
) -> anyhow::Result<(Laid, Geometry)> {
    let mut last = None;
    for &paper in papers {
        let (fitted, laid) = fit_paper(sizes, paper, &lay);
        if fitted {
            return Ok((laid, paper));
        }
        last = Some((laid, paper));
    }
    let Some((laid, paper)) = last else {
        bail!("no paper to fit {} on", doc.kind)
    };
    // The section the overflow starts in, and every one after it.
    let first_over = laid.headings.iter().position(|h| h.page > 0);
    let spills_from = match first_over {
        Some(i) if laid.headings[i].y <= paper.margin + 1.0 => i,
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
    let smallest = sizes.last().copied().unwrap_or_default();
    let templates = if doc.other_languages.is_empty() {
        format!("the template {}.md", doc.kind.stem())
    } else {
        format!(
            "the templates {stem}.cy.md and {stem}.md",
            stem = doc.kind.stem()
        )
    };
    bail!(
        "the zero-tolerance notice does not fit on one {} page, even with {smallest}pt text: {over} ran onto page 2. \
         Shorten {templates} or the longest values it prints (address, names, roles)",
        paper.name
    )
}

/// The notice laid out on one page of `paper` at the largest size that
/// fits (true), or the layout at the smallest size (false).
fn fit_paper(sizes: &[f32], paper: Geometry, lay: impl Fn(f32, Geometry) -> Laid) -> (bool, Laid) {
    let page = paper.height - paper.bottom - paper.margin;
    let endless = Geometry {
        height: 100_000.0,
        ..paper
    };
    let measured = lay(sizes[0], endless);
    let (height, fixed) = (measured.end_y - paper.margin, measured.fixed);
    let guess = sizes[0] * ((page - fixed).max(1.0) / (height - fixed).max(1.0)).powf(0.6);
    let mut at = sizes
        .iter()
        .position(|s| *s <= guess)
        .unwrap_or(sizes.len() - 1);
    let fits = |at: usize| {
        let laid = lay(sizes[at], paper);
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
        return (true, laid);
    }
    while at + 1 < sizes.len() {
        at += 1;
        let (smaller_fits, smaller) = fits(at);
        if smaller_fits {
            return (true, smaller);
        }
        laid = smaller;
    }
    (false, laid)
}
