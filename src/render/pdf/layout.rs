//! Blocks → pages: positions every line, builds the structure tree, and
//! decides page breaks (headings kept with what follows, no single line
//! left alone at the foot or head of a page, tables split between rows).
//!
//! The output, [`Laid`], is a display list per page plus the tag tree,
//! link areas and headings; [`super::draw`] turns it into a PDF.

use std::collections::HashMap;
use std::num::NonZeroU16;
use std::sync::Arc;

use krilla::tagging::{ArtifactType, Tag, TagKind};

use super::text::{Line, Lines, Run, TextContext, TextStyle};
use crate::document::{Block, Span};
use crate::render::edition::Edition;
use crate::render::presentation::Palette;

pub use crate::render::edition::Geometry;

/// Colours and sizes of a document. `size` is the body text size; the
/// proportions come from the edition, or the poster's sizes.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub size: f32,
    pub space: f32,
    pub palette: Palette,
    /// The footer's size.
    pub footer: f32,
    pub edition: &'static Edition,
    /// Heading sizes, levels 1 to 3.
    pub headings: [f32; 3],
    /// The size of a paragraph wholly in bold, set in the accent colour
    /// (a poster's practice name); `None`: the body's.
    pub lead: Option<f32>,
    /// A QR code's side, quiet zone left out.
    pub qr: f32,
    /// Line height as a multiple of the size, for body text.
    pub leading: f32,
}

impl Theme {
    pub fn body(&self) -> TextStyle {
        TextStyle {
            size: self.size,
            bold: false,
            rgb: self.palette.text,
            link_rgb: self.palette.accent,
            leading: self.leading,
            underline_links: self.edition.underline_links,
        }
    }

    fn heading(&self, level: u8) -> TextStyle {
        let size = match level {
            1..=3 => self.headings[usize::from(level) - 1],
            _ => self.size,
        };
        TextStyle {
            size,
            bold: true,
            rgb: self.palette.accent,
            link_rgb: self.palette.accent,
            leading: self.edition.heading_leading,
            underline_links: self.edition.underline_links,
        }
    }

    /// The accent mixed with white: a tint for table headers.
    fn tint(&self) -> [u8; 3] {
        self.palette.tint()
    }
}

pub type LeafId = usize;
pub type AnnotId = usize;

/// Something to draw.
#[derive(Clone)]
pub enum Draw {
    /// A glyph run with its baseline-left at (x, y).
    Glyphs {
        x: f32,
        y: f32,
        run: Run,
        text: Arc<str>,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        rgb: [u8; 3],
    },
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        image: krilla::image::Image,
    },
}

/// Drawing as tagged content (a leaf of the structure tree) or as an artifact.
#[derive(Clone, Copy)]
pub enum Content {
    Text(LeafId),
    Graphic(LeafId),
    Artifact(ArtifactType),
}

pub struct Mark {
    pub content: Content,
    pub draws: Vec<Draw>,
}

#[derive(Default)]
pub struct Page {
    pub marks: Vec<Mark>,
}

/// The structure tree, built before krilla hands out identifiers.
pub enum Node {
    Group(TagKind, Vec<Node>),
    Leaf(LeafId),
    Annot(AnnotId),
}

/// A link area: one per link and page, one rectangle per line.
pub struct Annot {
    pub page: usize,
    pub link: u32,
    pub rects: Vec<[f32; 4]>,
}

pub struct Heading {
    pub level: u8,
    /// The anchor `#links` use, from the document model.
    pub id: String,
    pub title: String,
    pub page: usize,
    pub y: f32,
}

/// A laid-out document.
pub struct Laid {
    /// Where the content ended on the last page.
    pub end_y: f32,
    /// The height of content that does not scale with the text (QR code, logo).
    pub fixed: f32,
    pub pages: Vec<Page>,
    pub links: Vec<String>,
    pub tree: Vec<Node>,
    pub annots: Vec<Annot>,
    pub headings: Vec<Heading>,
    /// The page each top-level block starts on, in order.
    pub starts: Vec<usize>,
}

pub struct Typesetter<'a> {
    pub ctx: &'a mut TextContext,
    pub geo: Geometry,
    pub theme: Theme,
    pub links: Vec<String>,
    pub pages: Vec<Page>,
    pub y: f32,
    next_leaf: LeafId,
    pub annots: Vec<Annot>,
    pub headings: Vec<Heading>,
    pub fixed: f32,
    /// The page each top-level block starts on, in order.
    pub starts: Vec<usize>,
    /// Paragraphs already broken into lines: a heading's look-ahead and a
    /// list label's keep-together check measure text that is placed later.
    laid_out: foldhash::HashMap<(usize, usize, u32, bool, u32), Arc<Lines>>,
    /// Contents entries' page numbers, drawn once the pages are known.
    pub(super) pending: Vec<super::contents::PendingNumber>,
}

impl<'a> Typesetter<'a> {
    pub fn new(ctx: &'a mut TextContext, geo: Geometry, theme: Theme, links: Vec<String>) -> Self {
        Typesetter {
            ctx,
            geo,
            theme,
            links,
            pages: vec![Page::default()],
            y: geo.margin,
            next_leaf: 0,
            annots: Vec::new(),
            headings: Vec::new(),
            fixed: 0.0,
            starts: Vec::new(),
            laid_out: foldhash::HashMap::default(),
            pending: Vec::new(),
        }
    }

    pub fn finish(self, tree: Vec<Node>) -> Laid {
        Laid {
            end_y: self.y,
            fixed: self.fixed,
            pages: self.pages,
            links: self.links,
            tree,
            annots: self.annots,
            headings: self.headings,
            starts: self.starts,
        }
    }

    pub fn page(&self) -> usize {
        self.pages.len() - 1
    }

    pub fn bottom(&self) -> f32 {
        self.geo.height - self.geo.bottom
    }

    pub(super) fn at_top(&self) -> bool {
        self.y <= self.geo.margin + 0.01
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.geo.margin;
    }

    /// Starts a new page unless `height` fits below the cursor.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom() && !self.at_top() {
            self.new_page();
        }
    }

    pub fn leaf(&mut self) -> LeafId {
        self.next_leaf += 1;
        self.next_leaf - 1
    }

    pub fn mark(&mut self, content: Content, draws: Vec<Draw>) {
        let page = self.page();
        self.pages[page].marks.push(Mark { content, draws });
    }

    /// The lines of `spans` at `width`, laid out once per document. Keyed
    /// by the spans' address, which is stable while the blocks are laid out.
    pub fn lines(&mut self, spans: &[Span], style: &TextStyle, width: f32) -> Arc<Lines> {
        let key = (
            spans.as_ptr() as usize,
            spans.len(),
            style.size.to_bits(),
            style.bold,
            width.to_bits(),
        );
        if let Some(lines) = self.laid_out.get(&key) {
            return lines.clone();
        }
        let lines = self.ctx.lines(spans, style, Some(width));
        self.laid_out.insert(key, lines.clone());
        lines
    }

    /// Lays out a document's top-level blocks, recording the page and
    /// height each starts at, and starting a new page before each block
    /// in `breaks` (used to carry a short page's content over).
    pub fn document(
        &mut self,
        blocks: &[Block],
        x: f32,
        width: f32,
        out: &mut Vec<Node>,
        breaks: &[usize],
    ) {
        for i in 0..blocks.len() {
            if breaks.contains(&i) && !self.at_top() {
                self.new_page();
            }
            // A block starts where its first mark lands: a heading may
            // move itself to the next page before drawing anything.
            let page = self.page();
            let marks = self.pages[page].marks.len();
            self.block(blocks, i, x, width, out);
            let moved = self.pages[page].marks.len() == marks && self.page() > page;
            self.starts.push(if moved { page + 1 } else { page });
        }
    }

    /// Lays out a sequence of blocks at `x`, `width` wide.
    pub fn blocks(&mut self, blocks: &[Block], x: f32, width: f32, out: &mut Vec<Node>) {
        for i in 0..blocks.len() {
            self.block(blocks, i, x, width, out);
        }
    }

    /// Lays out `blocks[i]`; what follows it decides what is kept with it.
    fn block(&mut self, blocks: &[Block], i: usize, x: f32, width: f32, out: &mut Vec<Node>) {
        let block = &blocks[i];
        let rest = &blocks[i + 1..];
        let next = rest.first();
        match block {
            Block::Heading { level, id, spans } => {
                self.heading(*level, id, spans, x, width, rest, out)
            }
            // A paragraph that a QR code follows is set beside the code.
            Block::Paragraph(spans)
                if self.theme.edition.qr_beside_text && matches!(next, Some(Block::Qr { .. })) =>
            {
                if let Some(Block::Qr(code)) = next {
                    self.qr(code, Some(spans), x, width, out);
                }
            }
            Block::Paragraph(spans) => {
                // A contact's name stays with its details.
                if is_label(spans)
                    && matches!(next, Some(Block::List { .. }))
                    && let Some(whole) = self.kept_whole(&blocks[i..i + 2], width)
                {
                    self.ensure(whole);
                }
                let style = self.paragraph_style(spans);
                let lines = self.lines(spans, &style, width);
                out.push(Node::Group(Tag::P.into(), self.paragraph(&lines, x)));
                self.y += self.theme.size * 0.6 * self.theme.space;
            }
            Block::List { items, .. }
                if let Some(entries) = crate::document::contents_entries(items, &self.links) =>
            {
                out.push(self.contents(&entries, x, width));
                self.y += self.theme.size * 0.35 * self.theme.space;
            }
            Block::List { start, items, .. } => {
                out.push(self.list(*start, items, x, width));
                self.y += self.theme.size * 0.35 * self.theme.space;
            }
            Block::Quote(inner) => out.push(self.quote(inner, x, width)),
            Block::Table { header, rows, .. } => out.push(self.table(header, rows, x, width)),
            // A rule just before a top-level heading starts a new page
            // in print (the handbook's log, checklist and appendix
            // each get their own sheet); elsewhere it is a line.
            Block::Rule if matches!(next, Some(Block::Heading { level: 1 | 2, .. })) => {
                if !self.at_top() {
                    self.new_page();
                }
            }
            Block::Rule => self.rule(x, width),
            // Set with the paragraph before it.
            Block::Qr { .. }
                if self.theme.edition.qr_beside_text
                    && matches!(blocks[..i].last(), Some(Block::Paragraph(_))) => {}
            Block::Qr(code) => self.qr(code, None, x, width, out),
            Block::Part { lang, blocks } => {
                let mut kids = Vec::new();
                self.blocks(blocks, x, width, &mut kids);
                let tag = Tag::Div.with_lang(Some(lang.clone()));
                out.push(Node::Group(tag.into(), kids));
            }
        }
    }

    /// Places a paragraph's lines, breaking pages between lines but never
    /// leaving one line alone at the foot of a page or the head of the next.
    pub fn paragraph(&mut self, lines: &Lines, x: f32) -> Vec<Node> {
        let mut kids = Vec::new();
        let mut links: HashMap<u32, usize> = HashMap::new();
        let all = &lines.lines;
        let mut i = 0;
        while i < all.len() {
            let rest = &all[i..];
            let room = self.bottom() - self.y;
            let mut fit = 0;
            let mut used = 0.0;
            for line in rest {
                if used + line.height > room + 0.01 {
                    break;
                }
                used += line.height;
                fit += 1;
            }
            if fit < rest.len() {
                if fit < 2 && !self.at_top() {
                    self.new_page();
                    continue;
                }
                // One line would be left alone at the head of the next
                // page: take one more with it, or, if that would leave
                // one alone here, start the paragraph on the next page.
                if rest.len() - fit == 1 {
                    if fit >= 3 {
                        fit -= 1;
                    } else if !self.at_top() {
                        self.new_page();
                        continue;
                    }
                }
                fit = fit.max(1);
            }
            for line in &rest[..fit] {
                self.line(line, x, &mut kids, &mut links);
            }
            i += fit;
            if i < all.len() {
                self.new_page();
            }
        }
        kids
    }

    /// Draws one line at the cursor: one marked span per stretch of text
    /// with the same link, and link areas for the annotations.
    pub fn line(
        &mut self,
        line: &Line,
        x: f32,
        kids: &mut Vec<Node>,
        links: &mut HashMap<u32, usize>,
    ) {
        let baseline = self.y + line.baseline;
        let mut segments: Vec<(Option<u32>, Vec<Draw>, f32, f32)> = Vec::new();
        for run in &line.runs {
            let rx = x + run.x;
            let draws = run_draws(run, rx, baseline, &line.text);
            match segments.last_mut() {
                Some(segment) if segment.0 == run.ink.link => {
                    segment.1.extend(draws);
                    segment.3 = rx + run.width;
                }
                _ => segments.push((run.ink.link, draws, rx, rx + run.width)),
            }
        }
        let page = self.page();
        for (link, draws, left, right) in segments {
            let leaf = self.leaf();
            self.mark(Content::Text(leaf), draws);
            let Some(link) = link else {
                kids.push(Node::Leaf(leaf));
                continue;
            };
            let group = *links.entry(link).or_insert_with(|| {
                let alt = link_alt(&self.links[link as usize]);
                kids.push(Node::Group(
                    Tag::Link.with_alt_text(Some(alt)).into(),
                    Vec::new(),
                ));
                kids.len() - 1
            });
            let Node::Group(_, members) = &mut kids[group] else {
                unreachable!("link groups are groups")
            };
            let rect = [left, self.y, right.max(left + 1.0), self.y + line.height];
            let existing = members.iter().find_map(|n| match n {
                Node::Annot(a) if self.annots[*a].page == page => Some(*a),
                _ => None,
            });
            match existing {
                Some(a) => self.annots[a].rects.push(rect),
                None => {
                    self.annots.push(Annot {
                        page,
                        link,
                        rects: vec![rect],
                    });
                    // The annotation comes first in its Link element.
                    members.insert(0, Node::Annot(self.annots.len() - 1));
                }
            }
            members.push(Node::Leaf(leaf));
        }
        self.y += line.height;
    }

    #[allow(clippy::too_many_arguments)]
    fn heading(
        &mut self,
        level: u8,
        id: &str,
        spans: &[Span],
        x: f32,
        width: f32,
        rest: &[Block],
        out: &mut Vec<Node>,
    ) {
        let style = self.theme.heading(level);
        let space_before = if level == 1 {
            0.0
        } else {
            self.theme.size * (if level == 2 { 1.1 } else { 0.7 }) * self.theme.space
        };
        if !self.at_top() {
            self.y += space_before;
        }
        let lines = self.lines(spans, &style, width);
        // The heading, the space under it (and an H1's rule), and the
        // start of what follows must all fit, or the heading moves on.
        let under = self.theme.size * 0.45 * self.theme.space + if level == 1 { 4.5 } else { 0.0 };
        let follow = self.lead_height(rest, width);
        self.ensure(lines.height() + under + follow);
        let title: String = lines.text.to_string();
        self.headings.push(Heading {
            level,
            id: id.to_string(),
            title: title.clone(),
            page: self.page(),
            y: self.y,
        });
        let kids = self.paragraph(&lines, x);
        let tag = Tag::Hn(
            NonZeroU16::new(u16::from(level.max(1))).expect("level ≥ 1"),
            Some(title),
        );
        out.push(Node::Group(tag.into(), kids));
        if level == 1 {
            self.y += 3.0;
            let rule = Draw::Rect {
                x,
                y: self.y,
                w: width,
                h: 1.5,
                rgb: self.theme.palette.accent,
            };
            self.mark(Content::Artifact(ArtifactType::Layout), vec![rule]);
            self.y += 1.5;
        }
        self.y += self.theme.size * 0.45 * self.theme.space;
    }

    /// A paragraph's style: a paragraph all in bold is a lead where the
    /// theme sets one (the poster's).
    fn paragraph_style(&self, spans: &[Span]) -> TextStyle {
        match self.theme.lead {
            Some(size) if is_label(spans) => TextStyle {
                size,
                bold: true,
                rgb: self.theme.palette.accent,
                ..self.theme.body()
            },
            _ => self.theme.body(),
        }
    }

    /// The height of `blocks` laid out whole at `width`, when they are
    /// short enough to keep on one page (at most 40 % of it): a contact's
    /// name with its phone, email and website, a model reply with its
    /// sign-off. `None` for anything longer, and for blocks other than
    /// paragraphs, lists of paragraphs and quotes of those, which break
    /// where they must.
    fn kept_whole(&mut self, blocks: &[Block], width: f32) -> Option<f32> {
        let height = self.whole_height(blocks, width)?;
        self.short(height)
    }

    /// `height`, if it is short enough to keep on one page.
    pub(super) fn short(&self, height: f32) -> Option<f32> {
        let page = self.bottom() - self.geo.margin;
        (height <= page * 0.4).then_some(height)
    }

    /// The height of a quote of `inner` laid out whole.
    pub(super) fn quote_height(&mut self, inner: &[Block], width: f32) -> Option<f32> {
        let inner = self.whole_height(inner, width - QUOTE_INDENT)?;
        Some(self.theme.size * (0.4 + 0.3 * self.theme.space) + inner)
    }

    fn whole_height(&mut self, blocks: &[Block], width: f32) -> Option<f32> {
        let (size, space) = (self.theme.size, self.theme.space);
        let mut height = 0.0;
        for block in blocks {
            height += match block {
                Block::Paragraph(spans) => {
                    let style = self.paragraph_style(spans);
                    self.lines(spans, &style, width).height() + size * 0.6 * space
                }
                Block::List { start, items, .. } => {
                    let indent = self.list_indent(*start);
                    let body = self.theme.body();
                    let mut list = size * 0.35 * space;
                    for item in items {
                        for (i, block) in item.iter().enumerate() {
                            let Block::Paragraph(spans) = block else {
                                return None;
                            };
                            list += self.lines(spans, &body, width - indent).height();
                            if i + 1 < item.len() {
                                list += size * 0.3 * space;
                            }
                        }
                        list += size * 0.25 * space;
                    }
                    list
                }
                Block::Quote(inner) => self.quote_height(inner, width)?,
                _ => return None,
            };
        }
        Some(height)
    }

    /// How much of what follows must fit beside a heading: two lines of
    /// text, or a table's header and first row; a subheading brings its own
    /// start along, so "7. Getting support" never ends a page above
    /// "Within the practice" and its first lines.
    fn lead_height(&mut self, rest: &[Block], width: f32) -> f32 {
        let line = self.theme.size * 1.35;
        match rest.first() {
            // A contact's name and details, kept together.
            Some(Block::Paragraph(spans))
                if is_label(spans)
                    && matches!(rest.get(1), Some(Block::List { .. }))
                    && let Some(whole) = self.kept_whole(&rest[..2], width) =>
            {
                whole
            }
            Some(Block::Paragraph(spans)) => {
                let style = self.paragraph_style(spans);
                let lines = self.lines(spans, &style, width);
                first_lines(&lines)
            }
            Some(Block::List { start, items, .. }) => match items.first().map(Vec::as_slice) {
                Some([Block::Paragraph(spans), ..]) => {
                    let indent = self.list_indent(*start);
                    let lines = self.lines(spans, &self.theme.body(), width - indent);
                    first_lines(&lines)
                }
                _ => 2.0 * line,
            },
            // What a quote asks of the page before it starts (containers.rs),
            // or the heading stays behind when the quote moves on.
            Some(quote @ Block::Quote(_)) => self
                .kept_whole(std::slice::from_ref(quote), width)
                .unwrap_or(QUOTE_LEAD_LINES * line),
            Some(Block::Table { .. }) => 3.0 * line + 12.0,
            Some(Block::Qr { .. }) => self.theme.qr * 1.4,
            Some(Block::Heading { level, spans, .. }) => {
                let style = self.theme.heading(*level);
                let heading = self.lines(spans, &style, width).height();
                let space = self.theme.size * (0.7 + 0.45) * self.theme.space;
                heading + space + self.lead_height(&rest[1..], width)
            }
            _ => 0.0,
        }
    }

    pub fn tint(&self) -> [u8; 3] {
        self.theme.tint()
    }
}

/// A run's glyphs and, for links, its underline.
pub fn run_draws(run: &Run, x: f32, baseline: f32, text: &Arc<str>) -> Vec<Draw> {
    let mut draws = vec![Draw::Glyphs {
        x,
        y: baseline,
        run: run.clone(),
        text: text.clone(),
    }];
    if let Some((offset, thickness)) = run.underline
        && run.width > 0.0
    {
        draws.push(Draw::Rect {
            x,
            y: baseline + offset,
            w: run.width,
            h: thickness,
            rgb: run.ink.rgb,
        });
    }
    draws
}

/// Every line of a paragraph as untagged drawing, top-left at (x, y).
pub fn lines_draws(lines: &Lines, x: f32, mut y: f32) -> Vec<Draw> {
    let mut draws = Vec::new();
    for line in &lines.lines {
        for run in &line.runs {
            draws.extend(run_draws(run, x + run.x, y + line.baseline, &line.text));
        }
        y += line.height;
    }
    draws
}

pub fn plain(text: &str) -> Span {
    Span::plain(text)
}

/// What a screen reader says for a link.
pub fn link_alt(url: &str) -> String {
    if let Some(address) = url.strip_prefix("mailto:") {
        format!("Email {address}")
    } else if let Some(number) = url.strip_prefix("tel:") {
        format!("Phone {number}")
    } else if let Some(anchor) = url.strip_prefix('#') {
        format!("Go to the section {}", anchor.replace('-', " "))
    } else {
        format!("Open {url}")
    }
}

/// Lines of a long quote that must fit on a page before it starts there.
pub(super) const QUOTE_LEAD_LINES: f32 = 3.0;

/// How far a quote's text is set in from its edge: the accent bar and the gap.
pub(super) const QUOTE_BAR: f32 = 3.0;
pub(super) const QUOTE_GAP: f32 = 10.0;
const QUOTE_INDENT: f32 = QUOTE_BAR + QUOTE_GAP;

/// The height of the lines a paragraph starts a page with at least: two,
/// or all three of a paragraph of three, which cannot be split without
/// leaving one line alone ([`Typesetter::paragraph`]).
pub(super) fn first_lines(lines: &Lines) -> f32 {
    let keep = if lines.lines.len() == 3 { 3 } else { 2 };
    lines.lines.iter().take(keep).map(|l| l.height).sum()
}

/// True for a paragraph all in bold: a label, such as a contact's name
/// above its details, or the poster's lead.
fn is_label(spans: &[Span]) -> bool {
    spans.iter().all(|s| s.bold || s.text.trim().is_empty())
}
