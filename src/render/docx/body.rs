//! Blocks → the body of the Word document: headings with bookmarks named
//! by their anchors, paragraphs of styled runs and links, numbered and
//! bulleted lists, tables with a repeating header row, quotes, rules and
//! pictures. Relationship and picture identifiers are counted here, per
//! document, so they come out the same every time.

use docx_rust::document::{
    BodyContent, BookmarkEnd, BookmarkStart, Break, Hyperlink, Num, Paragraph, ParagraphContent,
    Run, RunContent, Text, TextSpace,
};
use docx_rust::formatting::{
    Bold, BorderStyle, Borders, BottomBorder, CharacterProperty, Italics, KeepNext, Lang,
    PageBreakBefore, ParagraphProperty, Spacing, Strike,
};

use super::package::{Media, REL_IMAGE, Relations};
use super::{Theme, picture, styles, word_lang};
use crate::document::{Block, Qr, Span};
use crate::render::presentation::Logo;

/// The QR code's side, quiet zone included: about 30 mm, as in the PDF.
const QR_SIZE: f32 = 84.0;
/// The logo's height, as in the PDF.
const LOGO_HEIGHT: f32 = 40.0;

/// Where a block sits: the language of its text, and whether it is quoted.
#[derive(Debug, Default, Clone)]
pub struct Context {
    /// Word's name for the language of a part in another language.
    lang: Option<String>,
    quoted: bool,
}

impl Context {
    /// Text in the language `tag` (`cy`).
    pub(super) fn in_language(tag: &str) -> Context {
        Context {
            lang: Some(word_lang(tag)),
            quoted: false,
        }
    }
}

/// The body as it is written, with what it refers to.
pub struct BodyWriter<'a> {
    pub(super) theme: &'a Theme,
    links: &'a [String],
    pub(super) content: Vec<BodyContent<'static>>,
    relations: Relations,
    media: Vec<Media>,
    pub(super) lists: Vec<Num>,
    bookmarks: usize,
    pictures: usize,
    /// A rule just before a top-level heading starts a new page, as in print.
    page_break: bool,
}

/// The written body and the parts it refers to.
pub struct Written {
    pub content: Vec<BodyContent<'static>>,
    pub relations: Relations,
    pub media: Vec<Media>,
    /// One numbering instance per list, in order.
    pub lists: Vec<Num>,
}

impl<'a> BodyWriter<'a> {
    pub fn new(theme: &'a Theme, links: &'a [String]) -> BodyWriter<'a> {
        BodyWriter {
            theme,
            links,
            content: Vec::new(),
            relations: Relations::new(),
            media: Vec::new(),
            lists: Vec::new(),
            bookmarks: 0,
            pictures: 0,
            page_break: false,
        }
    }

    pub fn finish(self) -> Written {
        Written {
            content: self.content,
            relations: self.relations,
            media: self.media,
            lists: self.lists,
        }
    }

    /// The practice logo at the top of the first page.
    pub fn logo(&mut self, logo: &Logo, alt: &str) {
        let (w, h) = logo.size;
        let width =
            (LOGO_HEIGHT * w as f32 / h.max(1) as f32).min(self.theme.paper.content_width() / 2.0);
        let height = width * h as f32 / w.max(1) as f32;
        let extension = if logo.png { "png" } else { "jpeg" };
        let run = self.picture(logo.bytes.clone(), extension, (width, height), alt);
        let property = ParagraphProperty::default().spacing(styles::spacing(0.0, 10.0, 1.0));
        self.push(Paragraph::default().property(property).push(run));
    }

    pub fn blocks(&mut self, blocks: &[Block], context: &Context) {
        for (i, block) in blocks.iter().enumerate() {
            self.block(block, blocks.get(i + 1), context);
        }
    }

    /// Writes `block`; what follows it decides what a rule becomes.
    pub(super) fn block(&mut self, block: &Block, next: Option<&Block>, context: &Context) {
        match block {
            Block::Heading { level, id, spans } => self.heading(*level, id, spans, context),
            Block::Paragraph(spans) => {
                let style = context.quoted.then_some("Quote");
                let paragraph = self.paragraph(spans, style, context);
                self.push(paragraph);
            }
            Block::List { items, .. }
                if let Some(entries) = crate::document::contents_entries(items, self.links) =>
            {
                self.contents(&entries, context)
            }
            Block::List { start, items, .. } => self.list(*start, items, 0, context),
            Block::Quote(inner) => {
                let quoted = Context {
                    quoted: true,
                    ..context.clone()
                };
                self.blocks(inner, &quoted);
            }
            Block::Table {
                align,
                header,
                rows,
            } => self.table(align, header, rows, context),
            Block::Rule if matches!(next, Some(Block::Heading { level: 1 | 2, .. })) => {
                self.page_break = true;
            }
            Block::Rule => self.rule(),
            Block::Qr(code) => self.qr(code, context),
            Block::Part { lang, blocks } => {
                let part = Context {
                    lang: Some(word_lang(lang)),
                    ..context.clone()
                };
                self.blocks(blocks, &part);
            }
        }
    }

    /// Adds a paragraph, starting it on a new page if a rule asked for one.
    pub(super) fn push(&mut self, mut paragraph: Paragraph<'static>) {
        if std::mem::take(&mut self.page_break) {
            paragraph
                .property
                .get_or_insert_with(ParagraphProperty::default)
                .page_break_before = Some(PageBreakBefore::default());
        }
        self.content.push(paragraph.into());
    }

    /// Markdown's level 1 is the document's title; the levels under it are
    /// Word's headings 1 to 3. Each heading holds a bookmark named by its
    /// anchor, where the contents list's links go.
    fn heading(&mut self, level: u8, id: &str, spans: &[Span], context: &Context) {
        let style = match level {
            1 => "Title",
            2 => "Heading1",
            3 => "Heading2",
            _ => "Heading3",
        };
        let mark = self.bookmarks.to_string();
        self.bookmarks += 1;
        let mut paragraph =
            Paragraph::default().property(ParagraphProperty::default().style_id(style));
        paragraph.content.push(
            BookmarkStart::default()
                .id(mark.clone())
                .name(super::bookmark_name(id))
                .into(),
        );
        self.spans(&mut paragraph.content, spans, context);
        paragraph
            .content
            .push(BookmarkEnd::default().id(mark).into());
        self.push(paragraph);
    }

    pub(super) fn paragraph(
        &mut self,
        spans: &[Span],
        style: Option<&'static str>,
        context: &Context,
    ) -> Paragraph<'static> {
        let mut paragraph = Paragraph::default();
        if let Some(style) = style {
            paragraph.property = Some(ParagraphProperty::default().style_id(style));
        }
        self.spans(&mut paragraph.content, spans, context);
        paragraph
    }

    /// Spans as runs; a span in a link is a run inside a hyperlink.
    fn spans(
        &mut self,
        out: &mut Vec<ParagraphContent<'static>>,
        spans: &[Span],
        context: &Context,
    ) {
        let links = self.links;
        for span in spans {
            match span.link.and_then(|i| links.get(i)) {
                Some(url) => {
                    let link = self.hyperlink(url, run(span, true, context));
                    out.push(link.into());
                }
                None => out.push(run(span, false, context).into()),
            }
        }
    }

    /// `#anchor` links go to the heading's bookmark; any other address is
    /// an external relationship (https, mailto, tel).
    fn hyperlink(&mut self, url: &str, run: Run<'static>) -> Hyperlink<'static> {
        let link = Hyperlink::default().content(run);
        match url.strip_prefix('#') {
            Some(anchor) => link.anchor(super::bookmark_name(anchor)),
            None => link.id(self.relations.link(url)),
        }
    }

    /// A line across the page: an empty paragraph's bottom border.
    fn rule(&mut self) {
        let border = BottomBorder {
            style: BorderStyle::Single,
            color: Some(self.theme.muted.clone().into()),
            size: Some(6),
            space: Some(1),
            ..BottomBorder::default()
        };
        let property = ParagraphProperty::default()
            .border(Borders::default().bottom(border))
            .spacing(Spacing {
                before: Some(Theme::twips(self.theme.size * 0.4)),
                after: Some(Theme::twips(self.theme.size * 0.9)),
                ..Spacing::default()
            });
        self.push(Paragraph::default().property(property));
    }

    /// The QR code to the complaints page, with the address under it.
    fn qr(&mut self, qr: &Qr, context: &Context) {
        let Some(png) = picture::qr_png(&qr.url) else {
            return; // Too long to encode: the address is still printed as a link.
        };
        let code = self.picture(png, "png", (QR_SIZE, QR_SIZE), &qr.alt);
        // Single line spacing: a taller line would lift the picture into
        // what stands above it.
        let size = self.theme.size;
        let mut property =
            ParagraphProperty::default().spacing(styles::spacing(size * 0.6, 0.0, 1.0));
        property.keep_next = Some(KeepNext::default());
        self.push(Paragraph::default().property(property).push(code));

        let caption = self.paragraph(&qr.caption, Some("Caption"), context);
        self.push(caption);
    }

    /// An inline picture: its bytes become a part of the package and its
    /// `alt` the description a screen reader reads.
    pub(super) fn picture(
        &mut self,
        bytes: Vec<u8>,
        extension: &str,
        (width, height): (f32, f32),
        alt: &str,
    ) -> Run<'static> {
        self.pictures += 1;
        let number = self.pictures;
        let target = format!("media/image{number}.{extension}");
        let id = self.relations.add(REL_IMAGE, &target, false);
        self.media.push(Media {
            name: format!("word/{target}"),
            bytes,
        });
        let drawing = picture::inline(&id, number, alt, (emu(width), emu(height)));
        Run::default().push(drawing)
    }
}

impl BodyWriter<'_> {
    /// What `write` adds to the body, taken out of it (a table cell's
    /// paragraphs).
    pub(super) fn capture(&mut self, write: impl FnOnce(&mut Self)) -> Vec<BodyContent<'static>> {
        let before = std::mem::take(&mut self.content);
        write(self);
        std::mem::replace(&mut self.content, before)
    }
}

/// One span as a run: bold, italic, struck through, in the part's
/// language, in the Hyperlink style when it is a link's text.
fn run(span: &Span, linked: bool, context: &Context) -> Run<'static> {
    let mut property = CharacterProperty::default();
    let mut styled = false;
    if linked {
        property.style_id = Some("Hyperlink".into());
        styled = true;
    }
    if span.bold {
        property.bold = Some(Bold::default());
        styled = true;
    }
    if span.italic {
        property.italics = Some(Italics::default());
        styled = true;
    }
    if span.strike {
        property.strike = Some(Strike::default());
        styled = true;
    }
    if let Some(lang) = &context.lang {
        property.lang = Some(Lang::default().val(lang.clone()));
        styled = true;
    }
    let content = if span.is_hard_break() {
        RunContent::Break(Break::default())
    } else {
        RunContent::Text(Text {
            space: Some(TextSpace::Preserve),
            text: span.text.clone().into(),
        })
    };
    Run {
        property: styled.then_some(property),
        content: vec![content],
        ..Run::default()
    }
}

/// Points as English Metric Units, which DrawingML measures in.
fn emu(points: f32) -> u64 {
    (points.max(0.0) * 12_700.0).round() as u64
}
