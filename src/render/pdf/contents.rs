//! A table of contents: a list whose every entry is a link to a section
//! ([`crate::document::contents_entries`]) is set without bullets, each
//! entry with a dotted leader to the page its section starts on,
//! right-aligned. The page is known only once the whole document is laid
//! out, so each number is drawn then, into room kept for it
//! ([`Typesetter::number_contents`]); what the entries take up does not
//! depend on the numbers, so the pages do not move.

use std::collections::HashMap;

use krilla::tagging::{ArtifactType, Tag};

use super::layout::{Content, Draw, Mark, Node, Typesetter, plain, run_draws};
use crate::document::Span;

/// An entry's page number, to be drawn once the pages are known.
pub struct PendingNumber {
    /// The section it points to.
    anchor: String,
    page: usize,
    /// The right edge of the number, and the top of the entry's last line.
    right: f32,
    top: f32,
    /// Where the entry's text ends, so the leader starts after it.
    text_end: f32,
    leaf: usize,
}

impl Typesetter<'_> {
    /// Lays out a table of contents: `entries` are each an entry's text
    /// (a link) and the anchor of its section.
    pub(super) fn contents(&mut self, entries: &[(&[Span], String)], x: f32, width: f32) -> Node {
        let body = self.theme.body();
        // Room for a three-digit number and a gap before it.
        let number = self.ctx.lines(&[plain("888")], &body, None).width();
        let gap = self.theme.size;
        let mut items = Vec::with_capacity(entries.len());
        for (spans, anchor) in entries {
            let lines = self.lines(spans, &body, width - number - gap);
            self.ensure(lines.height());
            let mut kids = self.paragraph(&lines, x);
            let last = lines
                .lines
                .last()
                .map_or((0.0, 0.0), |l| (l.height, l.width));
            let leaf = self.leaf();
            kids.push(Node::Leaf(leaf));
            self.pending.push(PendingNumber {
                anchor: anchor.clone(),
                page: self.page(),
                right: x + width,
                top: self.y - last.0,
                text_end: x + last.1,
                leaf,
            });
            items.push(Node::Group(
                Tag::TOCI.into(),
                vec![Node::Group(Tag::P.into(), kids)],
            ));
            self.y += self.theme.size * 0.25 * self.theme.space;
        }
        Node::Group(Tag::TOC.into(), items)
    }

    /// Draws the page number of every contents entry laid out so far, with
    /// its leader, now that every heading's page is known. An entry whose
    /// section is not a heading of this document gets no number.
    pub fn number_contents(&mut self) {
        let pages: HashMap<&str, usize> = self
            .headings
            .iter()
            .map(|h| (h.id.as_str(), h.page))
            .collect();
        let body = self.theme.body();
        let pending = std::mem::take(&mut self.pending);
        for entry in pending {
            let Some(&page) = pages.get(entry.anchor.as_str()) else {
                continue;
            };
            let number = self
                .ctx
                .lines(&[plain(&(page + 1).to_string())], &body, None);
            let Some(line) = number.lines.first() else {
                continue;
            };
            let left = entry.right - line.width;
            let baseline = entry.top + line.baseline;
            let draws = line
                .runs
                .iter()
                .flat_map(|run| run_draws(run, left + run.x, baseline, &line.text))
                .collect();
            let marks = &mut self.pages[entry.page].marks;
            marks.push(Mark {
                content: Content::Text(entry.leaf),
                draws,
            });
            // The leader: dots a space apart, from after the entry's text
            // to before the number, on the baseline.
            let step = self.theme.size * 0.5;
            let dot = (self.theme.size * 0.1).max(1.0);
            // On a grid across the page, so the dots of every entry line up.
            let from = ((entry.text_end + step) / step).ceil() * step;
            let to = left - step;
            let dots = (0..)
                .map(|i| from + i as f32 * step)
                .take_while(|at| *at + dot <= to)
                .map(|at| Draw::Rect {
                    x: at,
                    y: baseline - dot,
                    w: dot,
                    h: dot,
                    rgb: self.theme.palette.muted,
                })
                .collect();
            marks.push(Mark {
                content: Content::Artifact(ArtifactType::Layout),
                draws: dots,
            });
        }
    }
}
