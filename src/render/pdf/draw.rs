//! The laid-out pages → PDF bytes with krilla: content tagged against the
//! structure tree, footers and decoration as artifacts, link annotations,
//! an outline from the headings, and metadata. krilla's PDF/UA-1 checker
//! validates the result as it is written.

use std::collections::HashMap;

use anyhow::{Context as _, anyhow};
use chrono::{Datelike, NaiveDate};
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::{NamedDestination, XyzDestination};
use krilla::geom::{PathBuilder, Point, Quadrilateral, Rect, Size, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ContentTag, Identifier, SpanTag, TagGroup, TagTree};
use krilla::{Document, SerializeSettings};

use super::layout::{Content, Draw, Geometry, Heading, Laid, Node};

/// What the PDF says about itself.
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// The creation date: the policy's issue date, never the clock.
    pub date: NaiveDate,
}

/// zlib's fastest level for the PDFs' streams (krilla's default is 6): a
/// practice's files cost about a third less CPU and its PDFs are about a
/// fifth larger (BENCHMARKS.md, "Speed, round 2"). Set in krilla's
/// `SerializeSettings` by the patch in `vendor/krilla`.
const COMPRESSION_LEVEL: u8 = 1;

pub fn write(laid: Laid, geo: Geometry, meta: &Meta) -> anyhow::Result<Vec<u8>> {
    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| anyhow!("PDF settings: {e:?}"))?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        compression_level: COMPRESSION_LEVEL,
        ..Default::default()
    };
    let mut document = Document::new_with(settings);
    let page_settings = PageSettings::from_wh(geo.width, geo.height).context("page size")?;

    let mut leaves: HashMap<usize, Identifier> = HashMap::new();
    let mut annots: HashMap<usize, Identifier> = HashMap::new();
    let anchors = anchors(&laid.headings, geo);
    for (index, page) in laid.pages.iter().enumerate() {
        let mut pdf_page = document.start_page_with(page_settings.clone());
        {
            let mut surface = pdf_page.surface();
            for mark in &page.marks {
                match mark.content {
                    Content::Text(leaf) => {
                        let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
                        draw_all(&mut surface, &mark.draws);
                        surface.end_tagged();
                        leaves.insert(leaf, id);
                    }
                    Content::Graphic(leaf) => {
                        let id = surface.start_tagged(ContentTag::Other);
                        draw_all(&mut surface, &mark.draws);
                        surface.end_tagged();
                        leaves.insert(leaf, id);
                    }
                    Content::Artifact(kind) => {
                        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
                        draw_all(&mut surface, &mark.draws);
                        surface.end_tagged();
                    }
                }
            }
            surface.finish();
        }
        for (i, annot) in laid
            .annots
            .iter()
            .enumerate()
            .filter(|(_, a)| a.page == index)
        {
            let url = &laid.links[annot.link as usize];
            let quads = annot
                .rects
                .iter()
                .filter_map(|r| Rect::from_ltrb(r[0], r[1], r[2], r[3]))
                .map(Quadrilateral::from)
                .collect();
            // A link to `#anchor` jumps to that heading inside the PDF (a
            // named destination, called as the HTML id); anything else opens.
            let target = match url.strip_prefix('#').and_then(|id| anchors.get(id)) {
                Some(destination) => Target::Destination(destination.clone().into()),
                None => Target::Action(Action::Link(LinkAction::new(url.clone()))),
            };
            let link = LinkAnnotation::new_with_quad_points(quads, target);
            let alt = super::layout::link_alt(url);
            annots.insert(
                i,
                pdf_page.add_tagged_annotation(Annotation::new_link(link, Some(alt))),
            );
        }
        pdf_page.finish();
    }

    let mut tree = TagTree::new().with_lang(Some("en-GB".into()));
    for node in laid.tree {
        if let Some(node) = to_krilla(node, &leaves, &annots) {
            tree.push(node);
        }
    }
    document.set_tag_tree(tree);
    document.set_outline(outline(&laid.headings, geo));
    let date = DateTime::new(meta.date.year() as u16)
        .month(meta.date.month() as u8)
        .day(meta.date.day() as u8)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    document.set_metadata(
        Metadata::new()
            .title(meta.title.clone())
            .authors(vec![meta.author.clone()])
            .description(meta.subject.clone())
            .keywords(meta.keywords.clone())
            .language("en-GB".into())
            .creator(format!("policypack {}", env!("CARGO_PKG_VERSION")))
            .creation_date(date),
    );
    let mut bytes = document.finish().map_err(|e| anyhow!("{}", describe(&e)))?;
    blank_suspects(&mut bytes);
    Ok(bytes)
}

/// What went wrong in krilla, in words for a user: never its debug dump.
fn describe(error: &krilla::error::KrillaError) -> String {
    use krilla::configure::ValidationError;
    use krilla::error::KrillaError;
    match error {
        KrillaError::Validation(errors) => {
            let glyphs: Vec<&str> = errors
                .iter()
                .filter_map(|(e, _)| match e {
                    ValidationError::ContainsNotDefGlyph(_, _, text) => Some(text.as_str()),
                    _ => None,
                })
                .collect();
            if glyphs.is_empty() {
                format!(
                    "the PDF failed its accessibility check in {} place(s); this is a fault in policypack, please report it",
                    errors.len()
                )
            } else {
                format!(
                    "the PDF font cannot draw the text {:?}; change the value or template that holds it",
                    glyphs.join(", ")
                )
            }
        }
        _ => "the PDF could not be written; this is a fault in policypack, please report it"
            .to_string(),
    }
}

fn to_krilla(
    node: Node,
    leaves: &HashMap<usize, Identifier>,
    annots: &HashMap<usize, Identifier>,
) -> Option<krilla::tagging::Node> {
    match node {
        Node::Group(tag, kids) => {
            let kids: Vec<_> = kids
                .into_iter()
                .filter_map(|k| to_krilla(k, leaves, annots))
                .collect();
            Some(TagGroup::with_children(tag, kids).into())
        }
        Node::Leaf(leaf) => leaves.get(&leaf).map(|id| (*id).into()),
        Node::Annot(annot) => annots.get(&annot).map(|id| (*id).into()),
    }
}

/// Each heading's anchor, as the HTML has it, and where it is in the PDF.
fn anchors(headings: &[Heading], geo: Geometry) -> HashMap<String, NamedDestination> {
    headings
        .iter()
        .map(|heading| {
            let id = heading.id.clone();
            let place = XyzDestination::new(heading.page, Point::from_xy(geo.margin, heading.y));
            (id.clone(), NamedDestination::new(id, place))
        })
        .collect()
}

/// Bookmarks nested by heading level.
fn outline(headings: &[Heading], geo: Geometry) -> Outline {
    fn children(headings: &[Heading], level: u8, geo: Geometry) -> (Vec<OutlineNode>, usize) {
        let mut nodes = Vec::new();
        let mut i = 0;
        while i < headings.len() && headings[i].level >= level {
            let heading = &headings[i];
            let mut node = OutlineNode::new(
                heading.title.clone(),
                XyzDestination::new(heading.page, Point::from_xy(geo.margin, heading.y)),
            );
            let (kids, used) = children(&headings[i + 1..], heading.level + 1, geo);
            for kid in kids {
                node.push_child(kid);
            }
            nodes.push(node);
            i += 1 + used;
        }
        (nodes, i)
    }
    let mut outline = Outline::new();
    let top = headings.iter().map(|h| h.level).min().unwrap_or(1);
    let (nodes, _) = children(headings, top, geo);
    for node in nodes {
        outline.push_child(node);
    }
    outline
}

fn fill(rgb: [u8; 3]) -> Fill {
    Fill {
        paint: rgb::Color::new(rgb[0], rgb[1], rgb[2]).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn draw_all(surface: &mut Surface<'_>, draws: &[Draw]) {
    let mut rest = draws;
    while let Some((draw, after)) = rest.split_first() {
        rest = after;
        match draw {
            Draw::Glyphs { x, y, run, text } => {
                surface.set_fill(Some(fill(run.ink.rgb)));
                surface.draw_glyphs(
                    Point::from_xy(*x, *y),
                    &run.glyphs,
                    run.font.clone(),
                    text,
                    run.size,
                    false,
                );
            }
            Draw::Rect { rgb, .. } => {
                // Small squares that follow in the same colour (a contents
                // line's dots, a QR code's modules) are one path, filled
                // once: a path each cost a page of contents a millisecond.
                // Thinner rules stay a path each, which viewers draw
                // sharp (poppler, for one, snaps a lone thin rectangle to
                // whole pixels).
                let square = |d: &Draw| matches!(d, Draw::Rect { w, h, rgb: next, .. } if next == rgb && *w >= 1.0 && *h >= 1.0);
                let same = if square(draw) {
                    rest.iter().take_while(|d| square(d)).count()
                } else {
                    0
                };
                let mut path = PathBuilder::new();
                for draw in std::iter::once(draw).chain(&rest[..same]) {
                    if let Draw::Rect { x, y, w, h, .. } = draw
                        && let Some(rect) = Rect::from_xywh(*x, *y, *w, *h)
                    {
                        path.push_rect(rect);
                    }
                }
                rest = &rest[same..];
                if let Some(path) = path.finish() {
                    surface.set_fill(Some(fill(*rgb)));
                    surface.draw_path(&path);
                }
            }
            Draw::Image { x, y, w, h, image } => {
                let Some(size) = Size::from_wh(*w, *h) else {
                    continue;
                };
                surface.push_transform(&Transform::from_translate(*x, *y));
                surface.draw_image(image.clone(), size);
                surface.pop();
            }
        }
    }
}

/// Blanks the catalog's `/Suspects false` (krilla writes it for PDF/UA-1,
/// which allows it to be left out): poppler reads any `Suspects` that is
/// not `true` as the wrong type, so `pdfinfo` and `pdftotext` print
/// "Syntax Error: Suspects object is wrong type (boolean)" for every file,
/// which alarms whoever checks one. Spaces of the same length keep every
/// byte offset, so the cross-reference table still holds.
fn blank_suspects(pdf: &mut [u8]) {
    const MARK_INFO: &[u8] = b"/MarkInfo";
    const SUSPECTS: &[u8] = b"/Suspects false";
    let Some(at) = memchr::memmem::find(pdf, MARK_INFO) else {
        return;
    };
    let end = pdf.len().min(at + MARK_INFO.len() + 64);
    let dictionary = &mut pdf[at..end];
    let close = dictionary
        .windows(2)
        .position(|w| w == b">>")
        .unwrap_or(dictionary.len());
    if let Some(found) = dictionary[..close]
        .windows(SUSPECTS.len())
        .position(|w| w == SUSPECTS)
    {
        dictionary[found..found + SUSPECTS.len()].fill(b' ');
    }
}

#[cfg(test)]
mod suspects_tests {
    #[test]
    fn only_the_catalogs_suspects_entry_is_blanked() {
        let mut pdf =
            b"1 0 obj <</MarkInfo<</Marked true/Suspects false>>>> /Suspects false".to_vec();
        let len = pdf.len();
        super::blank_suspects(&mut pdf);
        assert_eq!(pdf.len(), len);
        let text = String::from_utf8(pdf).unwrap();
        assert_eq!(text.matches("/Suspects false").count(), 1);
        assert!(text.contains("/Marked true               >>"));
    }
}
