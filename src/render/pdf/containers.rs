//! Containers and separators: lists (label kept with its text), block
//! quotes (an accent bar on every page they cross) and rules.

use std::collections::HashMap;

use krilla::tagging::{ArtifactType, ListNumbering, Tag};

use super::layout::{
    Content, Draw, Mark, Node, QUOTE_BAR, QUOTE_GAP, QUOTE_LEAD_LINES, Typesetter, plain,
};
use crate::document::Block;

impl Typesetter<'_> {
    pub(super) fn list(
        &mut self,
        start: Option<u64>,
        items: &[Vec<Block>],
        x: f32,
        width: f32,
    ) -> Node {
        let body = self.theme.body();
        let indent = self.list_indent(start);
        let mut entries = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let label = match start {
                Some(n) => format!("{}.", n + i as u64),
                None => "•".to_string(),
            };
            let label_lines = self.ctx.lines(&[plain(&label)], &body, Some(indent));
            // Keep the label with the first lines of its text.
            let first = match item.first() {
                Some(Block::Paragraph(spans)) => {
                    let lines = self.lines(spans, &body, width - indent);
                    super::layout::first_lines(&lines)
                }
                _ => label_lines.height(),
            };
            self.ensure(first);
            let top = self.y;
            let mut label_kids = Vec::new();
            let mut no_links = HashMap::new();
            for line in &label_lines.lines {
                self.line(line, x, &mut label_kids, &mut no_links);
            }
            self.y = top;
            let mut body_kids = Vec::new();
            self.blocks_tight(item, x + indent, width - indent, &mut body_kids);
            entries.push(Node::Group(
                Tag::LI.into(),
                vec![
                    Node::Group(Tag::Lbl.into(), label_kids),
                    Node::Group(Tag::LBody.into(), body_kids),
                ],
            ));
            self.y += self.theme.size * 0.25 * self.theme.space;
        }
        let numbering = if start.is_some() {
            ListNumbering::Decimal
        } else {
            ListNumbering::Disc
        };
        Node::Group(Tag::L(numbering).into(), entries)
    }

    /// How far a list's text is set in from its labels.
    pub(super) fn list_indent(&self, start: Option<u64>) -> f32 {
        self.theme.size * if start.is_some() { 1.9 } else { 1.3 }
    }

    /// List item contents: paragraphs without the space after the last one.
    fn blocks_tight(&mut self, blocks: &[Block], x: f32, width: f32, out: &mut Vec<Node>) {
        for (i, block) in blocks.iter().enumerate() {
            match block {
                Block::Paragraph(spans) => {
                    let lines = self.lines(spans, &self.theme.body(), width);
                    out.push(Node::Group(Tag::P.into(), self.paragraph(&lines, x)));
                    if i + 1 < blocks.len() {
                        self.y += self.theme.size * 0.3 * self.theme.space;
                    }
                }
                other => self.blocks(std::slice::from_ref(other), x, width, out),
            }
        }
    }

    pub(super) fn quote(&mut self, blocks: &[Block], x: f32, width: f32) -> Node {
        let (bar, gap) = (QUOTE_BAR, QUOTE_GAP);
        let pad = self.theme.size * 0.4;
        // A short quote (a model reply and its sign-off) is kept whole;
        // a long one starts with a few lines on the page.
        let lead = self
            .quote_height(blocks, width)
            .and_then(|height| self.short(height))
            .unwrap_or(QUOTE_LEAD_LINES * self.theme.size * 1.35);
        self.ensure(lead);
        let start = (self.page(), self.y);
        self.y += pad;
        let mut kids = Vec::new();
        self.blocks(blocks, x + bar + gap, width - bar - gap, &mut kids);
        // The space after the last paragraph doubles as bottom padding.
        let end = (self.page(), self.y);
        for page in start.0..=end.0 {
            let top = if page == start.0 {
                start.1
            } else {
                self.geo.margin
            };
            let bottom = if page == end.0 { end.1 } else { self.bottom() };
            let draw = Draw::Rect {
                x,
                y: top,
                w: bar,
                h: (bottom - top).max(0.0),
                rgb: self.theme.palette.accent,
            };
            self.pages[page].marks.push(Mark {
                content: Content::Artifact(ArtifactType::Layout),
                draws: vec![draw],
            });
        }
        self.y += self.theme.size * 0.3 * self.theme.space;
        Node::Group(Tag::BlockQuote.into(), kids)
    }

    pub(super) fn rule(&mut self, x: f32, width: f32) {
        self.ensure(self.theme.size * 2.0);
        self.y += self.theme.size * 0.4;
        let draw = Draw::Rect {
            x,
            y: self.y,
            w: width,
            h: 0.75,
            rgb: self.theme.palette.muted,
        };
        self.mark(Content::Artifact(ArtifactType::Layout), vec![draw]);
        self.y += self.theme.size * 0.9;
    }
}
