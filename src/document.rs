//! The document model: a [`Document`]'s Markdown parsed once into blocks
//! of styled text spans, with every heading's anchor and every link target.
//! Every renderer (HTML, PDF, Word) reads this and nothing else of the
//! Markdown, so a heading's anchor, a link or a refusal of raw HTML is
//! decided once, here.
//!
//! The Markdown dialect is [`crate::markdown`]'s: headings, paragraphs of
//! bold, italic and link spans, nested lists, block quotes, GFM tables and
//! rules. A part of the document in another language (the Welsh half of a
//! bilingual notice) is a [`Block::Part`] with its language tag.

use anyhow::bail;
use pulldown_cmark::{Alignment, Event, Tag, TagEnd};

use crate::content::Document;
use crate::markdown::HeadingIds;

/// A run of text with one style.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// Written as code (`` `x` ``); printed as plain text.
    pub code: bool,
    /// Struck through (`~~x~~`); printed as plain text.
    pub strike: bool,
    /// A line break in the source that reads as a space (a soft break).
    pub soft_break: bool,
    /// Index into [`Model::links`].
    pub link: Option<usize>,
}

impl Span {
    /// Unstyled text.
    pub fn plain(text: &str) -> Span {
        Span {
            text: text.to_string(),
            ..Span::default()
        }
    }

    /// A line break the reader sees (a hard break).
    pub fn is_hard_break(&self) -> bool {
        self.text == "\n" && !self.soft_break
    }
}

/// A QR code to a web address, with the words every format prints with
/// it, so the PDF and the Word file say the same.
#[derive(Debug, Clone, PartialEq)]
pub struct Qr {
    pub url: String,
    /// What a screen reader reads for the code.
    pub alt: String,
    /// Under the code: how to use it, and the address (linked) for those
    /// who cannot.
    pub caption: Vec<Span>,
    /// Beside the code when the paragraph set with it already gives the
    /// address: how to use it.
    pub scan: Vec<Span>,
}

impl Qr {
    /// The code to `url`, which is [`Model::links`] entry `link`.
    fn to(url: &str, link: usize) -> Qr {
        let shown = url
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/');
        Qr {
            url: url.to_string(),
            alt: format!("QR code linking to {url}"),
            caption: vec![
                Span::plain("Scan the code with your phone camera, or go to "),
                Span {
                    link: Some(link),
                    ..Span::plain(shown)
                },
            ],
            scan: vec![Span::plain("Scan the code with your phone camera.")],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        /// The anchor a `#link` uses: the same in HTML, PDF and Word.
        id: String,
        spans: Vec<Span>,
    },
    Paragraph(Vec<Span>),
    /// `start` is the first number of an ordered list. A tight list's
    /// items hold their text without paragraph spacing.
    List {
        start: Option<u64>,
        tight: bool,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    /// A GFM table. A body row whose cells are all empty is a row to fill
    /// in by hand ([`is_write_in`]: a log, a sign-off sheet): print and
    /// Word give it room for a pen, and the web page's print stylesheet
    /// too.
    Table {
        align: Vec<Alignment>,
        header: Vec<Vec<Span>>,
        rows: Vec<Vec<Vec<Span>>>,
    },
    Rule,
    /// A QR code, added for print ([`Model::with_qr`]), not from Markdown.
    Qr(Qr),
    /// Blocks in a language other than the document's (`lang` is a BCP 47
    /// tag such as `cy`).
    Part {
        lang: String,
        blocks: Vec<Block>,
    },
}

impl Block {
    /// The link targets this block's text points to, by index.
    pub fn links(&self) -> Vec<usize> {
        fn spans(spans: &[Span], out: &mut Vec<usize>) {
            out.extend(spans.iter().filter_map(|s| s.link));
        }
        fn walk(block: &Block, out: &mut Vec<usize>) {
            match block {
                Block::Heading { spans: s, .. } | Block::Paragraph(s) => spans(s, out),
                Block::List { items, .. } => items.iter().flatten().for_each(|b| walk(b, out)),
                Block::Quote(inner) | Block::Part { blocks: inner, .. } => {
                    inner.iter().for_each(|b| walk(b, out))
                }
                Block::Table { header, rows, .. } => header
                    .iter()
                    .chain(rows.iter().flatten())
                    .for_each(|cell| spans(cell, out)),
                Block::Rule | Block::Qr { .. } => {}
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }
}

/// A list that is a table of contents: every item one paragraph that is
/// one link to a section of the document (`#anchor`). Each entry's text
/// and anchor, or `None` for any other list.
pub fn contents_entries<'a>(
    items: &'a [Vec<Block>],
    links: &[String],
) -> Option<Vec<(&'a [Span], String)>> {
    items
        .iter()
        .map(|item| {
            let [Block::Paragraph(spans)] = item.as_slice() else {
                return None;
            };
            let link = spans.first()?.link?;
            if spans.iter().any(|s| s.link != Some(link)) {
                return None;
            }
            let anchor = links.get(link)?.strip_prefix('#')?;
            Some((spans.as_slice(), anchor.to_string()))
        })
        .collect::<Option<Vec<_>>>()
        .filter(|entries| entries.len() >= 2)
}

/// True when a table row is one to fill in by hand: every cell empty.
pub fn is_write_in(row: &[Vec<Span>]) -> bool {
    row.iter().all(Vec::is_empty)
}

/// A document's blocks and the link targets its spans point to.
#[derive(Debug, Default, Clone)]
pub struct Model {
    pub blocks: Vec<Block>,
    pub links: Vec<String>,
}

impl Model {
    /// Reads a document's Markdown. Raw HTML is refused: values are escaped
    /// before they reach Markdown, so raw HTML can only come from a template.
    pub fn of(doc: &Document) -> anyhow::Result<Model> {
        let mut ids = HeadingIds::default();
        let mut model = Model::default();
        let parts = doc.parts();
        for part in parts {
            let template = match part.lang {
                Some(lang) => format!("{}.{lang}.md", doc.kind.stem()),
                None => format!("{}.md", doc.kind.stem()),
            };
            let blocks = parse(part.markdown, &template, &mut ids, &mut model.links)?;
            match part.lang {
                Some(lang) => model.blocks.push(Block::Part {
                    lang: lang.to_string(),
                    blocks,
                }),
                None => model.blocks.extend(blocks),
            }
        }
        // Headings are left as written: their text is also the PDF's
        // bookmarks and the titles of its structure.
        model.each_span(Headings::Skip, &mut |span| {
            if let Some(bound) = bind_spaces(&span.text) {
                span.text = bound;
            }
        });
        Ok(model)
    }

    /// The same document with a QR code to `url` after the first block
    /// that links to it (where the reader is told about it), or at the end.
    /// In a document in two languages the code goes with the
    /// document's own language (English); a part in another language gets
    /// it only if nothing else links there.
    pub fn with_qr(mut self, url: &str) -> Model {
        let link = match self.links.iter().position(|l| l == url) {
            Some(at) => at,
            None => {
                self.links.push(url.to_string());
                self.links.len() - 1
            }
        };
        let qr = Block::Qr(Qr::to(url, link));
        let links = self.links.clone();
        let links_to = |block: &Block| {
            block
                .links()
                .into_iter()
                .any(|i| links.get(i).is_some_and(|l| l == url))
        };
        let own = self
            .blocks
            .iter()
            .position(|b| !matches!(b, Block::Part { .. }) && links_to(b));
        if let Some(at) = own {
            self.blocks.insert(at + 1, qr);
            return self;
        }
        let Some(part) = self.blocks.iter().position(links_to) else {
            self.blocks.push(qr);
            return self;
        };
        if let Block::Part { blocks, .. } = &mut self.blocks[part] {
            let at = blocks
                .iter()
                .position(links_to)
                .map_or(blocks.len(), |i| i + 1);
            blocks.insert(at, qr);
        }
        self
    }
}

impl Model {
    /// The notice as it is printed: in each language, the blocks before
    /// its first rule (`---`), the poster; what follows the rule is for
    /// the web page and the Markdown.
    pub fn poster(mut self) -> Model {
        fn cut(blocks: &mut Vec<Block>) {
            if let Some(rule) = blocks.iter().position(|b| matches!(b, Block::Rule)) {
                blocks.truncate(rule);
            }
        }
        for block in &mut self.blocks {
            if let Block::Part { blocks, .. } = block {
                cut(blocks);
            }
        }
        let own = self
            .blocks
            .iter()
            .position(|b| !matches!(b, Block::Part { .. }));
        if let Some(own) = own {
            let mut rest = self.blocks.split_off(own);
            cut(&mut rest);
            self.blocks.extend(rest);
        }
        self
    }

    /// The same document with emphasis set in bold, for editions that
    /// avoid italics (large print).
    pub fn without_italics(mut self) -> Model {
        self.each_span(Headings::Include, &mut |span| {
            if span.italic {
                span.italic = false;
                span.bold = true;
            }
        });
        self
    }

    /// Calls `f` on every span of every block, in reading order.
    fn each_span(&mut self, headings: Headings, f: &mut dyn FnMut(&mut Span)) {
        fn walk(block: &mut Block, headings: Headings, f: &mut dyn FnMut(&mut Span)) {
            match block {
                Block::Heading { spans, .. } if headings == Headings::Include => {
                    spans.iter_mut().for_each(f)
                }
                Block::Heading { .. } => {}
                Block::Paragraph(spans) => spans.iter_mut().for_each(f),
                Block::List { items, .. } => items
                    .iter_mut()
                    .flatten()
                    .for_each(|b| walk(b, headings, f)),
                Block::Quote(inner) | Block::Part { blocks: inner, .. } => {
                    inner.iter_mut().for_each(|b| walk(b, headings, f))
                }
                Block::Table { header, rows, .. } => header
                    .iter_mut()
                    .chain(rows.iter_mut().flatten())
                    .flatten()
                    .for_each(&mut *f),
                Block::Rule | Block::Qr { .. } => {}
            }
        }
        self.blocks.iter_mut().for_each(|b| walk(b, headings, f));
    }
}

/// Whether [`Model::each_span`] visits headings' spans.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Headings {
    Include,
    Skip,
}

/// Spaces a reader must never see a line break at: inside a phone number
/// ("01302 123457", "+44 29 2087 2000"), a postcode ("CF11 9AA"), "NHS 111",
/// and after a title or an initial before a name ("Dr A Patel", "J. Evans").
/// They become no-break spaces (U+00A0) in the model, which the PDF's line
/// breaker, Word and browsers all honour. A one-letter word before a
/// capitalised one ("A Patel") is taken for an initial; "A copy" is not.
fn bind_spaces(text: &str) -> Option<String> {
    use regex::Regex;
    use std::sync::LazyLock;
    // Digits, letters and word boundaries are ASCII ones (`[0-9]`,
    // `(?-u:\b)`): phone numbers and postcodes are, and Unicode classes
    // cost a cold build about half a millisecond to compile.
    // Whole runs whose every space binds.
    static RUNS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            // A UK phone number: 0 or +44, then groups of digits.
            r"(?:\+44 (?:\(0\) ?)?[0-9]|(?-u:\b)0[0-9])[0-9]*(?: [0-9]+)+(?-u:\b)",
            // A postcode.
            r"|(?-u:\b)[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}(?-u:\b)",
            r"|(?-u:\b)NHS 111(?-u:\b)",
        ))
        .expect("a valid pattern")
    });
    // A title or an initial, whose one space after it binds to the name
    // (a capital letter, which is looked at after the match: "Dr Łukasz").
    static BEFORE_NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?-u:\b)(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Rev|Sir|Dame|[A-Z])\.? ")
            .expect("a valid pattern")
    });
    let mut bind = Vec::new();
    for run in RUNS.find_iter(text) {
        let digits = run.as_str().bytes().filter(u8::is_ascii_digit).count();
        let phone = run.as_str().starts_with(['0', '+']);
        // A phone number has 10 or 11 digits (12 with +44, 13 with its 0).
        if !phone || (9..=13).contains(&digits) {
            bind.extend(
                run.as_str()
                    .match_indices(' ')
                    .map(|(i, _)| run.start() + i),
            );
        }
    }
    // Matches overlap ("Dr A Patel"), so each is looked for from the
    // space before the previous one's name.
    let mut from = 0;
    while let Some(title) = BEFORE_NAME.find_at(text, from) {
        let space = title.end() - 1;
        if text[title.end()..]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
        {
            bind.push(space);
        }
        from = space + 1;
    }
    if bind.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + bind.len());
    let mut last = 0;
    bind.sort_unstable();
    bind.dedup();
    for at in bind {
        out.push_str(&text[last..at]);
        out.push('\u{a0}');
        last = at + 1;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// Containers being filled while the events stream past.
enum Frame {
    Blocks(Vec<Block>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        tight: bool,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
    Table {
        align: Vec<Alignment>,
        header: Vec<Vec<Span>>,
        rows: Vec<Vec<Vec<Span>>>,
        in_head: bool,
    },
}

impl Frame {
    fn blocks(&mut self) -> Option<&mut Vec<Block>> {
        match self {
            Frame::Blocks(b) | Frame::Quote(b) | Frame::Item(b) => Some(b),
            _ => None,
        }
    }
}

/// How deep lists and quotes may nest: no document needs more, and every
/// renderer walks the blocks recursively.
const MAX_NESTING: usize = 32;

fn parse(
    markdown: &str,
    template: &str,
    ids: &mut HeadingIds,
    links: &mut Vec<String>,
) -> anyhow::Result<Vec<Block>> {
    let mut stack: Vec<Frame> = vec![Frame::Blocks(Vec::new())];
    // The spans of the paragraph, heading or cell being read, if any.
    let mut spans: Option<Vec<Span>> = None;
    let (mut bold, mut italic, mut strike) = (0u32, 0u32, 0u32);
    let mut link: Option<usize> = None;

    fn push_block(stack: &mut [Frame], block: Block) {
        if let Some(blocks) = stack.last_mut().and_then(Frame::blocks) {
            blocks.push(block);
        }
    }
    // Tight list items hold text without a paragraph: close it as one.
    fn close_loose_text(stack: &mut [Frame], spans: &mut Option<Vec<Span>>) {
        if matches!(stack.last(), Some(Frame::Item(_)))
            && let Some(text) = spans.take().filter(|s| !s.is_empty())
        {
            push_block(stack, Block::Paragraph(text));
        }
    }

    for (event, range) in crate::markdown::parser(markdown).into_offset_iter() {
        // The outermost frame is the document; a list level is two frames.
        let depth = stack
            .iter()
            .filter(|f| matches!(f, Frame::Quote(_) | Frame::List { .. }))
            .count();
        if depth > MAX_NESTING {
            let line = markdown[..range.start].matches('\n').count() + 1;
            bail!(
                "the template {template} nests lists or block quotes more than {MAX_NESTING} deep on line {line} of its Markdown; no document needs that many"
            );
        }
        let style = |text: &str| Span {
            text: text.to_string(),
            bold: bold > 0,
            italic: italic > 0,
            strike: strike > 0,
            link,
            ..Span::default()
        };
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => {
                    // A paragraph directly in a list item makes the list loose.
                    if let [.., Frame::List { tight, .. }, Frame::Item(_)] = stack.as_mut_slice() {
                        *tight = false;
                    }
                    close_loose_text(&mut stack, &mut spans);
                    spans = Some(Vec::new());
                }
                Tag::Heading { .. } | Tag::TableCell => {
                    close_loose_text(&mut stack, &mut spans);
                    spans = Some(Vec::new());
                }
                Tag::BlockQuote(_) => {
                    close_loose_text(&mut stack, &mut spans);
                    stack.push(Frame::Quote(Vec::new()));
                }
                Tag::List(start) => {
                    close_loose_text(&mut stack, &mut spans);
                    stack.push(Frame::List {
                        start,
                        tight: true,
                        items: Vec::new(),
                    });
                }
                Tag::Item => stack.push(Frame::Item(Vec::new())),
                Tag::Table(align) => stack.push(Frame::Table {
                    align,
                    header: Vec::new(),
                    rows: Vec::new(),
                    in_head: false,
                }),
                Tag::TableHead => {
                    if let Some(Frame::Table { in_head, .. }) = stack.last_mut() {
                        *in_head = true;
                    }
                }
                Tag::TableRow => {
                    if let Some(Frame::Table { rows, .. }) = stack.last_mut() {
                        rows.push(Vec::new());
                    }
                }
                Tag::Strong => bold += 1,
                Tag::Emphasis => italic += 1,
                Tag::Strikethrough => strike += 1,
                Tag::Link { dest_url, .. } => {
                    links.push(dest_url.to_string());
                    link = Some(links.len() - 1);
                }
                Tag::HtmlBlock => bail!(raw_html(template, markdown, range.start, "")),
                _ => {}
            },
            Event::End(end) => match end {
                TagEnd::Paragraph => {
                    if let Some(text) = spans.take() {
                        push_block(&mut stack, Block::Paragraph(text));
                    }
                }
                TagEnd::Heading(level) => {
                    let text = spans.take().unwrap_or_default();
                    let title: String = text
                        .iter()
                        .filter(|s| !s.soft_break && !s.is_hard_break())
                        .map(|s| s.text.as_str())
                        .collect();
                    push_block(
                        &mut stack,
                        Block::Heading {
                            level: level as u8,
                            id: ids.next(&title),
                            spans: text,
                        },
                    );
                }
                TagEnd::TableCell => {
                    let cell = spans.take().unwrap_or_default();
                    if let Some(Frame::Table {
                        header,
                        rows,
                        in_head,
                        ..
                    }) = stack.last_mut()
                    {
                        match (*in_head, rows.last_mut()) {
                            (true, _) => header.push(cell),
                            (false, Some(row)) => row.push(cell),
                            (false, None) => rows.push(vec![cell]),
                        }
                    }
                }
                TagEnd::TableHead => {
                    if let Some(Frame::Table { in_head, .. }) = stack.last_mut() {
                        *in_head = false;
                    }
                }
                TagEnd::Item => {
                    close_loose_text(&mut stack, &mut spans);
                    if let Some(Frame::Item(blocks)) = stack.pop()
                        && let Some(Frame::List { items, .. }) = stack.last_mut()
                    {
                        items.push(blocks);
                    }
                }
                TagEnd::List(_) => {
                    if let Some(Frame::List {
                        start,
                        tight,
                        items,
                    }) = stack.pop()
                    {
                        push_block(
                            &mut stack,
                            Block::List {
                                start,
                                tight,
                                items,
                            },
                        );
                    }
                }
                TagEnd::BlockQuote(_) => {
                    if let Some(Frame::Quote(blocks)) = stack.pop() {
                        push_block(&mut stack, Block::Quote(blocks));
                    }
                }
                TagEnd::Table => {
                    if let Some(Frame::Table {
                        align,
                        header,
                        rows,
                        ..
                    }) = stack.pop()
                    {
                        push_block(
                            &mut stack,
                            Block::Table {
                                align,
                                header,
                                rows,
                            },
                        );
                    }
                }
                TagEnd::Strong => bold = bold.saturating_sub(1),
                TagEnd::Emphasis => italic = italic.saturating_sub(1),
                TagEnd::Strikethrough => strike = strike.saturating_sub(1),
                TagEnd::Link => link = None,
                _ => {}
            },
            Event::Text(text) => spans.get_or_insert_with(Vec::new).push(style(&text)),
            Event::Code(text) => spans.get_or_insert_with(Vec::new).push(Span {
                code: true,
                ..style(&text)
            }),
            Event::SoftBreak => spans.get_or_insert_with(Vec::new).push(Span {
                soft_break: true,
                ..style(" ")
            }),
            Event::HardBreak => spans.get_or_insert_with(Vec::new).push(Span::plain("\n")),
            Event::Rule => push_block(&mut stack, Block::Rule),
            Event::Html(html) | Event::InlineHtml(html) => {
                bail!(raw_html(template, markdown, range.start, &html))
            }
            _ => {}
        }
    }
    Ok(match stack.into_iter().next() {
        Some(Frame::Blocks(blocks)) => blocks,
        _ => Vec::new(),
    })
}

fn raw_html(template: &str, markdown: &str, at: usize, html: &str) -> String {
    let line = markdown[..at].matches('\n').count() + 1;
    format!(
        "the template {template} produced raw HTML on line {line} of its Markdown ({:?}); templates must use Markdown only",
        html.trim()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(markdown: &str) -> anyhow::Result<Model> {
        Model::of(&doc(markdown))
    }

    fn doc(markdown: &str) -> Document {
        Document::new(crate::content::DocKind::Notice, markdown.to_string())
    }

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn reads_nested_lists_quotes_and_tables() {
        let parsed = of(
            "# Title\n\nSome **bold** and [a link](https://x.org).\n\n- one\n- two\n  1. inner\n\n> quoted\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n---\n",
        )
        .unwrap();
        let b = &parsed.blocks;
        assert!(matches!(&b[0], Block::Heading { level: 1, spans, .. } if text(spans) == "Title"));
        let Block::Paragraph(spans) = &b[1] else {
            panic!()
        };
        assert!(spans.iter().any(|s| s.bold && s.text == "bold"));
        assert!(
            spans
                .iter()
                .any(|s| s.link == Some(0) && s.text == "a link")
        );
        assert_eq!(parsed.links, ["https://x.org"]);
        let Block::List {
            start: None, items, ..
        } = &b[2]
        else {
            panic!("{:?}", b[2])
        };
        assert_eq!(items.len(), 2);
        assert!(matches!(&items[1][1], Block::List { start: Some(1), .. }));
        assert!(matches!(&b[3], Block::Quote(q) if q.len() == 1));
        let Block::Table { header, rows, .. } = &b[4] else {
            panic!()
        };
        assert_eq!((header.len(), rows.len(), rows[0].len()), (2, 1, 2));
        assert_eq!(b[5], Block::Rule);
    }

    #[test]
    fn refuses_nesting_no_document_needs() {
        let deep = format!("# T\n\n{} x\n", ">".repeat(200));
        let err = of(&deep).unwrap_err().to_string();
        assert!(err.contains("more than 32 deep"), "{err}");
        let lists: String = (0..40)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect();
        assert!(of(&lists).is_err());
        let fine: String = (0..5)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect();
        assert!(of(&fine).is_ok());
    }

    #[test]
    fn binds_the_spaces_a_line_must_not_break_at() {
        let bound = |t: &str| {
            bind_spaces(t)
                .unwrap_or_else(|| t.to_string())
                .replace('\u{a0}', "~")
        };
        assert_eq!(bound("Call 01302 123457 today"), "Call 01302~123457 today");
        assert_eq!(bound("on 0300 311 22 33."), "on 0300~311~22~33.");
        assert_eq!(bound("+44 29 2087 2000"), "+44~29~2087~2000");
        assert_eq!(bound("Cardiff CF11 9AA"), "Cardiff CF11~9AA");
        assert_eq!(bound("ring NHS 111 now"), "ring NHS~111 now");
        assert_eq!(
            bound("Dr A Patel and J. R. Evans"),
            "Dr~A~Patel and J.~R.~Evans"
        );
        assert_eq!(bound("Dr Gwenllïan Ŵyn"), "Dr~Gwenllïan Ŵyn");
        assert_eq!(bound("Dr Łukasz and Mr Ŵyn"), "Dr~Łukasz and Mr~Ŵyn");
        assert_eq!(
            bound("Dr ŵyn, Mr. and Mrs smith"),
            "Dr ŵyn, Mr. and Mrs smith"
        );
        // Not a phone number, not a name, not a postcode.
        assert_eq!(
            bound("within 10 working days, 2 or 4 sides"),
            "within 10 working days, 2 or 4 sides"
        );
        assert_eq!(bound("A copy of 0 1 2"), "A copy of 0 1 2");
        assert_eq!(bound("Page 12 of 14"), "Page 12 of 14");
        assert!(bind_spaces("nothing to bind here").is_none());
    }

    #[test]
    fn the_model_carries_the_bound_spaces() {
        let model = of("Call **01302 123457** or write to Dr A Patel.\n").unwrap();
        let Block::Paragraph(spans) = &model.blocks[0] else {
            panic!()
        };
        assert_eq!(
            text(spans),
            "Call 01302\u{a0}123457 or write to Dr\u{a0}A\u{a0}Patel."
        );
    }

    #[test]
    fn refuses_raw_html() {
        assert!(Model::of(&doc("hello <b>x</b>\n")).is_err());
    }
}
