//! PDF: the document model → a tagged, reproducible PDF/UA-1 file.
//!
//! The edition gives the paper and the type sizes. [`text`] shapes it with parley on the bundled Liberation Sans,
//! [`layout`] (with [`table`] and [`figure`]) breaks it into pages and
//! builds the structure tree, and [`draw`] writes it with krilla under its
//! PDF/UA-1 checker. Dates come from the config, so the same input gives
//! the same bytes.

pub mod containers;
pub mod contents;
pub mod draw;
pub mod figure;
pub mod layout;
pub mod poster;
pub mod table;
pub mod text;

use std::sync::Mutex;

use super::Input;
use super::edition::Body;
use super::presentation::Logo;
use crate::content::{DocKind, Document};
use crate::document::Block;
use layout::{Content, Draw, Laid, Page, Theme, Typesetter};

/// The logo as krilla's image, which decodes it once however many PDFs
/// show it. The last few are kept: a pack's practices mostly share the
/// LMC's logo, and a practice's documents share its own.
fn decoded(logo: &Logo) -> anyhow::Result<krilla::image::Image> {
    const KEPT: usize = 4;
    static IMAGES: Mutex<Vec<(String, krilla::image::Image)>> = Mutex::new(Vec::new());
    let key = crate::utils::sha256(&logo.bytes);
    let mut images = IMAGES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(at) = images.iter().position(|(k, _)| *k == key) {
        let found = images.remove(at);
        let image = found.1.clone();
        images.insert(0, found);
        return Ok(image);
    }
    let data = logo.bytes.clone().into();
    let image = if logo.png {
        krilla::image::Image::from_png(data, true)
    } else {
        krilla::image::Image::from_jpeg(data, true)
    }
    .map_err(|e| anyhow::anyhow!("the logo cannot be read as an image: {e}"))?;
    images.insert(0, (key, image.clone()));
    images.truncate(KEPT);
    Ok(image)
}

/// Renders one document as PDF bytes, in the input's edition.
pub fn render(input: &Input<'_>) -> anyhow::Result<Vec<u8>> {
    let (doc, p, edition) = (input.doc, input.presentation, input.edition);
    let model = super::printed_model(input);
    let image = p.logo.as_ref().map(decoded).transpose()?;
    let palette = p.palette();
    let setting = edition.setting(doc.kind);
    let theme = |size: f32| Theme {
        footer: setting.footer_size(size),
        size,
        space: (size / 12.0).min(1.0),
        palette,
        edition: input.edition.name.edition(),
        headings: edition.heading_scale.map(|scale| size * scale),
        lead: None,
        qr: QR_CODE,
        leading: edition.leading,
    };
    let alt = format!("{} logo", p.practice.name);
    if let Body::Poster(poster) = setting.body {
        let template = if doc.other_languages.is_empty() {
            format!("the template {}.md", doc.kind.stem())
        } else {
            format!(
                "the templates {stem}.cy.md and {stem}.md",
                stem = doc.kind.stem()
            )
        };
        let laid = text::with_context(|ctx| {
            let sizes = poster.sizes(1 + doc.other_languages.len());
            let theme = Theme {
                headings: [sizes.headline, sizes.heading, sizes.heading],
                lead: Some(sizes.lead),
                qr: poster.qr,
                footer: poster.sign_off,
                leading: sizes.leading,
                ..theme(sizes.body)
            };
            let mut setter = Typesetter::new(ctx, poster.paper, theme, model.links.clone());
            let mut tree = Vec::new();
            let logo = image.as_ref().map(|image| (image, alt.as_str()));
            poster::lay(&mut setter, &model.blocks, logo, &mut tree, &template)?;
            anyhow::Ok(setter.finish(tree))
        })?;
        return draw::write(laid, poster.paper, &meta(doc, p));
    }
    let Body::Flow(size) = setting.body else {
        unreachable!("a poster was laid out above")
    };
    // The footer names the practice and the document; a long name in large
    // print may leave room for the practice alone.
    let footer = [p.footer(&doc.title), p.practice.name.clone()];
    let reference = doc.reference.to_string();
    // Parts in another language first, each ending its pages (so its
    // pages are numbered in it, "Tudalen 1 o 4"), then the document's own
    // language.
    let parts = model
        .blocks
        .iter()
        .take_while(|b| matches!(b, Block::Part { .. }))
        .count();
    let welsh = matches!(model.blocks.first(), Some(Block::Part { lang, .. }) if lang == "cy");
    let two_languages = parts > 0 && parts < model.blocks.len();
    // `spread`: how much more space than usual between paragraphs, lists
    // and headings.
    let lay_spread = |breaks: &[usize], spread: f32| {
        text::with_context(|ctx| {
            let theme = Theme {
                space: theme(size).space * spread,
                ..theme(size)
            };
            let mut setter = Typesetter::new(ctx, edition.paper, theme, model.links.clone());
            let mut tree = Vec::new();
            if let Some(image) = &image {
                setter.logo(image, &alt, LOGO_HEIGHT, &mut tree);
            }
            let mut breaks = breaks.to_vec();
            if two_languages {
                breaks.push(parts);
            }
            setter.document(
                &model.blocks,
                edition.paper.margin,
                edition.paper.content_width(),
                &mut tree,
                &breaks,
            );
            let welsh_pages = match (welsh, setter.starts.get(parts)) {
                (true, Some(page)) if two_languages => *page,
                _ => 0,
            };
            setter.number_contents();
            setter.footers(&footer, &reference, welsh_pages);
            setter.finish(tree)
        })
    };
    // The pages are laid out on one thread; their paragraphs are broken
    // into lines on every core first, and found done.
    shape_ahead(&model.blocks, |ctx, blocks| {
        let mut setter = Typesetter::new(ctx, edition.paper, theme(size), model.links.clone());
        let (x, width) = (edition.paper.margin, edition.paper.content_width());
        setter.document(blocks, x, width, &mut Vec::new(), &[]);
    });
    let lay = |breaks: &[usize]| lay_spread(breaks, 1.0);
    let laid = no_short_pages(&model.blocks, two_languages.then_some(parts), lay);
    let laid = match doc.kind {
        DocKind::Leaflet => even_pages(&model.blocks, laid, lay_spread),
        _ => laid,
    };
    draw::write(laid, edition.paper, &meta(doc, p))
}

/// Breaks the paragraphs of `blocks` into lines on every core of the
/// build's thread pool, into the calling thread's text context: `lay`
/// lays out some of the blocks (on a fresh page: only the lines are
/// kept). Only while this thread has no other work queued (one practice,
/// or the last few of a pack): otherwise the other cores have practices
/// of their own, and a second look at every paragraph would only cost
/// CPU.
fn shape_ahead(blocks: &[Block], lay: impl Fn(&mut text::TextContext, &[Block]) + Sync) {
    use rayon::prelude::*;
    let threads = rayon::current_num_threads();
    let queued = rayon_core::current_thread_has_pending_tasks() != Some(false);
    if threads < 2 || blocks.len() < 2 || queued {
        return;
    }
    // Several parts a core, as paragraphs differ in length.
    let part = blocks.len().div_ceil(threads * 4);
    let shaped: Vec<text::Shaped> = blocks
        .par_chunks(part)
        .map(|blocks| text::with_context(|ctx| ctx.recording(|ctx| lay(ctx, blocks)).1))
        .collect();
    text::with_context(|ctx| shaped.into_iter().for_each(|s| ctx.adopt(s)));
}

/// The side of a QR code's modules outside a poster: about 23 mm.
const QR_CODE: f32 = 66.0;
/// The logo's height outside a poster.
const LOGO_HEIGHT: f32 = 40.0;

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
/// a page after which a rule starts a new page, or the last page before
/// the second language, `language_break`) holds only a line or
/// two. When such a page would hold only a little (the "Issued …" line,
/// say), the block before it is started on a new page instead, so it
/// carries that little with it (never a rule, or a block apart from its
/// heading), and a few blocks further back are tried before the layout is
/// left as it was. Stretches are put right in order, and a layout that
/// needs more pages is never taken.
fn no_short_pages(
    blocks: &[Block],
    language_break: Option<usize>,
    lay: impl Fn(&[usize]) -> Laid,
) -> Laid {
    let mut breaks = Vec::new();
    let mut laid = lay(&breaks);
    let mut from = 0;
    while let Some(short) = short_stretch_end(&laid, blocks, language_break, from) {
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

/// A leaflet is printed on both sides of its sheets, or folded: an odd
/// number of pages leaves a blank side, and a last page of a few lines
/// wastes one. When the layout comes to an odd number of pages, it is
/// spread over one page more, and when its last page is near-empty, over
/// the same pages, so that none holds less than a quarter as many lines
/// as the fullest: by more space between its paragraphs, lists and headings
/// (up to twice as much, evenly through the leaflet), with its last
/// section, or an earlier one, starting a new page. The least change that
/// works is taken: no new page and the least spacing first, then a page
/// before the last section, and so on back. If none works within 48
/// tries, the layout stays as it was. `lay` lays the blocks out with page
/// breaks before some of them and a spread of the spacing.
fn even_pages(blocks: &[Block], laid: Laid, lay: impl Fn(&[usize], f32) -> Laid) -> Laid {
    let pages = laid.pages.len();
    // An even number of pages, none of them near-empty.
    let target = pages + pages % 2;
    let even = |tried: &Laid| {
        let lines: Vec<usize> = tried.pages.iter().map(text_lines).collect();
        let fullest = lines.iter().copied().max().unwrap_or(0);
        let emptiest = lines.iter().copied().min().unwrap_or(0);
        tried.pages.len() == target && emptiest * 4 >= fullest
    };
    if pages == 1 || even(&laid) {
        return laid;
    }
    let sections = blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, Block::Heading { level: 2, .. }))
        .map(|(i, _)| vec![i])
        .rev();
    let tries = std::iter::once(Vec::new())
        .chain(sections)
        .flat_map(|breaks| [1.15, 1.4, 1.7, 2.0].map(move |spread| (breaks.clone(), spread)));
    for (breaks, spread) in tries.take(48) {
        let again = lay(&breaks, spread);
        if even(&again) {
            return again;
        }
    }
    laid
}

/// The first page from `from` on that ends a stretch of pages and holds
/// three lines of text or fewer.
fn short_stretch_end(
    laid: &Laid,
    blocks: &[Block],
    language_break: Option<usize>,
    from: usize,
) -> Option<usize> {
    let last = laid.pages.len().checked_sub(1)?;
    // The page before the second language starts.
    let language = language_break
        .and_then(|block| laid.starts.get(block))
        .and_then(|page| page.checked_sub(1));
    // Pages before one that a rule started.
    let before_breaks = blocks.windows(2).enumerate().filter_map(|(i, pair)| {
        let forced = matches!(pair, [Block::Rule, Block::Heading { level: 1 | 2, .. }]);
        let page = *laid.starts.get(i + 1)?;
        (forced && page > 0).then(|| page - 1)
    });
    let mut ends: Vec<usize> = before_breaks
        .chain(language)
        .chain([last])
        .filter(|p| *p >= from)
        .collect();
    ends.sort_unstable();
    ends.into_iter().find(|&page| short_page(laid, page))
}

/// True when page `page` of a document of more than one page holds three
/// lines of text or fewer (footers not counted), or a picture (the QR
/// code) and no more than the lines that go with it: its caption and a
/// sign-off.
fn short_page(laid: &Laid, page: usize) -> bool {
    laid.pages.len() > 1
        && laid.pages.get(page).is_some_and(|p| {
            let pictured = p
                .marks
                .iter()
                .any(|mark| matches!(mark.content, Content::Graphic(_)));
            text_lines(p) <= if pictured { 6 } else { 3 }
        })
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
