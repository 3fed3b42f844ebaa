//! Markdown → blocks: the document's structure, with styled text spans.
//!
//! The PDF stage reads the same Markdown as the HTML stage, through the
//! same parser, and keeps only what a printed page needs: headings,
//! paragraphs of bold/italic/link spans, nested lists, block quotes, GFM
//! tables and rules.

use anyhow::bail;
use pulldown_cmark::{Event, Tag, TagEnd};

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// Index into [`Parsed::links`].
    pub link: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        spans: Vec<Span>,
    },
    Paragraph(Vec<Span>),
    /// `start` is the first number of an ordered list.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Table {
        header: Vec<Vec<Span>>,
        rows: Vec<Vec<Vec<Span>>>,
    },
    Rule,
    /// A QR code to `url`, added by the PDF stage (not from Markdown).
    Qr {
        url: String,
    },
}

/// A document's blocks and the link targets its spans point to.
#[derive(Debug, Default)]
pub struct Parsed {
    pub blocks: Vec<Block>,
    pub links: Vec<String>,
}

/// Containers being filled while the events stream past.
enum Frame {
    Blocks(Vec<Block>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
    Table {
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

pub fn parse(markdown: &str) -> anyhow::Result<Parsed> {
    let mut links: Vec<String> = Vec::new();
    let mut stack: Vec<Frame> = vec![Frame::Blocks(Vec::new())];
    // The spans of the paragraph, heading or cell being read, if any.
    let mut spans: Option<Vec<Span>> = None;
    let (mut bold, mut italic) = (0u32, 0u32);
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

    for event in crate::markdown::parser(markdown) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph | Tag::Heading { .. } | Tag::TableCell => {
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
                        items: Vec::new(),
                    });
                }
                Tag::Item => stack.push(Frame::Item(Vec::new())),
                Tag::Table(_) => stack.push(Frame::Table {
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
                Tag::Link { dest_url, .. } => {
                    links.push(dest_url.to_string());
                    link = Some(links.len() - 1);
                }
                Tag::Image { .. } | Tag::Strikethrough | Tag::CodeBlock(_) => {}
                Tag::HtmlBlock => {
                    bail!("the Markdown contains raw HTML; templates must use Markdown only")
                }
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
                    push_block(
                        &mut stack,
                        Block::Heading {
                            level: level as u8,
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
                    if let Some(Frame::List { start, items }) = stack.pop() {
                        push_block(&mut stack, Block::List { start, items });
                    }
                }
                TagEnd::BlockQuote(_) => {
                    if let Some(Frame::Quote(blocks)) = stack.pop() {
                        push_block(&mut stack, Block::Quote(blocks));
                    }
                }
                TagEnd::Table => {
                    if let Some(Frame::Table { header, rows, .. }) = stack.pop() {
                        push_block(&mut stack, Block::Table { header, rows });
                    }
                }
                TagEnd::Strong => bold = bold.saturating_sub(1),
                TagEnd::Emphasis => italic = italic.saturating_sub(1),
                TagEnd::Link => link = None,
                _ => {}
            },
            Event::Text(text) | Event::Code(text) => {
                let span = Span {
                    text: text.to_string(),
                    bold: bold > 0,
                    italic: italic > 0,
                    link,
                };
                spans.get_or_insert_with(Vec::new).push(span);
            }
            Event::SoftBreak => {
                let span = Span {
                    text: " ".into(),
                    bold: bold > 0,
                    italic: italic > 0,
                    link,
                };
                spans.get_or_insert_with(Vec::new).push(span);
            }
            Event::HardBreak => spans.get_or_insert_with(Vec::new).push(Span {
                text: "\n".into(),
                bold: false,
                italic: false,
                link: None,
            }),
            Event::Rule => push_block(&mut stack, Block::Rule),
            Event::Html(_) | Event::InlineHtml(_) => {
                bail!("the Markdown contains raw HTML; templates must use Markdown only")
            }
            _ => {}
        }
    }
    let blocks = match stack.into_iter().next() {
        Some(Frame::Blocks(blocks)) => blocks,
        _ => Vec::new(),
    };
    Ok(Parsed { blocks, links })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn reads_nested_lists_quotes_and_tables() {
        let parsed = parse(
            "# Title\n\nSome **bold** and [a link](https://x.org).\n\n- one\n- two\n  1. inner\n\n> quoted\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n---\n",
        )
        .unwrap();
        let b = &parsed.blocks;
        assert!(matches!(&b[0], Block::Heading { level: 1, spans } if text(spans) == "Title"));
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
        let Block::List { start: None, items } = &b[2] else {
            panic!("{:?}", b[2])
        };
        assert_eq!(items.len(), 2);
        assert!(matches!(&items[1][1], Block::List { start: Some(1), .. }));
        assert!(matches!(&b[3], Block::Quote(q) if q.len() == 1));
        let Block::Table { header, rows } = &b[4] else {
            panic!()
        };
        assert_eq!((header.len(), rows.len(), rows[0].len()), (2, 1, 2));
        assert_eq!(b[5], Block::Rule);
    }

    #[test]
    fn refuses_raw_html() {
        assert!(parse("hello <b>x</b>\n").is_err());
    }
}
