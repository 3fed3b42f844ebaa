//! GFM tables: columns sized to their content, rows kept whole, and the
//! header row repeated (as an artifact) at the top of every new page.

use std::collections::HashMap;
use std::sync::Arc;

use krilla::tagging::{ArtifactType, TableHeaderScope, Tag};

use super::layout::{Content, Draw, Node, Typesetter, lines_draws};
use crate::document::{Span, is_write_in};

use super::text::{Lines, TextStyle};

const PAD: f32 = 4.0;

impl Typesetter<'_> {
    pub fn table(
        &mut self,
        header: &[Vec<Span>],
        rows: &[Vec<Vec<Span>>],
        x: f32,
        width: f32,
    ) -> Node {
        let columns = header
            .len()
            .max(rows.iter().map(Vec::len).max().unwrap_or(0))
            .max(1);
        let body = TextStyle {
            size: self.theme.size * 0.95,
            ..self.theme.body()
        };
        let head = TextStyle { bold: true, ..body };
        let widths = self.column_widths(header, rows, columns, &head, &body, width);

        let header_lines = self.cells(header, &widths, &head);
        let header_height = row_height(&header_lines);
        self.ensure(header_height + 2.0 * body.size * 1.35 + 2.0 * PAD);
        let mut trs = vec![self.header_row(&header_lines, &widths, x, header_height, true)];
        for row in rows {
            let lines = self.cells(row, &widths, &body);
            // A row to write in gets room for a pen: two lines' height,
            // about 12 mm in the handbook.
            let height = if is_write_in(row) {
                2.0 * body.size * body.leading + 2.0 * PAD
            } else {
                row_height(&lines)
            };
            if self.y + height > self.bottom() {
                self.new_page();
                self.header_row(&header_lines, &widths, x, header_height, false);
            }
            let top = self.y;
            let mut cells = Vec::with_capacity(columns);
            let mut cx = x;
            for (cell, w) in lines.iter().zip(&widths) {
                self.y = top + PAD;
                let mut kids = Vec::new();
                let mut links = HashMap::new();
                for line in &cell.lines {
                    self.line(line, cx + PAD, &mut kids, &mut links);
                }
                cells.push(Node::Group(Tag::TD.into(), kids));
                cx += w;
            }
            // Lines between the columns keep a name out of the signature.
            if is_write_in(row) {
                let dividers = widths[..columns - 1]
                    .iter()
                    .scan(x, |at, w| {
                        *at += w;
                        Some(*at)
                    })
                    .map(|at| Draw::Rect {
                        x: at - 0.25,
                        y: top,
                        w: 0.5,
                        h: height,
                        rgb: self.theme.palette.muted,
                    })
                    .collect();
                self.mark(Content::Artifact(ArtifactType::Layout), dividers);
            }
            self.y = top + height;
            self.rule_below(x, width);
            trs.push(Node::Group(Tag::TR.into(), cells));
        }
        self.y += self.theme.size * 0.8 * self.theme.space;
        Node::Group(Tag::Table.into(), trs)
    }

    /// The header row: tagged the first time, an artifact when repeated.
    fn header_row(
        &mut self,
        cells: &[Arc<Lines>],
        widths: &[f32],
        x: f32,
        height: f32,
        tagged: bool,
    ) -> Node {
        let width: f32 = widths.iter().sum();
        let fill = Draw::Rect {
            x,
            y: self.y,
            w: width,
            h: height,
            rgb: self.tint(),
        };
        self.mark(Content::Artifact(ArtifactType::Layout), vec![fill]);
        let top = self.y;
        let mut ths = Vec::new();
        let mut cx = x;
        for (cell, w) in cells.iter().zip(widths) {
            if tagged {
                self.y = top + PAD;
                let mut kids = Vec::new();
                let mut links = HashMap::new();
                for line in &cell.lines {
                    self.line(line, cx + PAD, &mut kids, &mut links);
                }
                ths.push(Node::Group(Tag::TH(TableHeaderScope::Column).into(), kids));
            } else {
                let draws = lines_draws(cell, cx + PAD, top + PAD);
                self.mark(Content::Artifact(ArtifactType::PaginationOther), draws);
            }
            cx += w;
        }
        self.y = top + height;
        self.rule_below(x, width);
        Node::Group(Tag::TR.into(), ths)
    }

    fn rule_below(&mut self, x: f32, width: f32) {
        let rule = Draw::Rect {
            x,
            y: self.y - 0.5,
            w: width,
            h: 0.5,
            rgb: self.theme.palette.muted,
        };
        self.mark(Content::Artifact(ArtifactType::Layout), vec![rule]);
    }

    fn cells(&mut self, row: &[Vec<Span>], widths: &[f32], style: &TextStyle) -> Vec<Arc<Lines>> {
        widths
            .iter()
            .enumerate()
            .map(
                |(i, w)| match row.get(i).filter(|spans| !spans.is_empty()) {
                    Some(spans) => self.lines(spans, style, (w - 2.0 * PAD).max(1.0)),
                    None => Arc::new(Lines {
                        lines: Vec::new(),
                        text: "".into(),
                    }),
                },
            )
            .collect()
    }

    /// Each column gets its natural width if all fit; otherwise at least its
    /// longest word, and the rest shared out by how much more it would like.
    fn column_widths(
        &mut self,
        header: &[Vec<Span>],
        rows: &[Vec<Vec<Span>>],
        columns: usize,
        head: &TextStyle,
        body: &TextStyle,
        width: f32,
    ) -> Vec<f32> {
        let all =
            || std::iter::once((header, head)).chain(rows.iter().map(|r| (r.as_slice(), body)));
        let mut measure = |wrap: Option<f32>| {
            let mut widths = vec![0.0f32; columns];
            for (row, style) in all() {
                for (i, cell) in row
                    .iter()
                    .enumerate()
                    .take(columns)
                    .filter(|(_, c)| !c.is_empty())
                {
                    widths[i] =
                        widths[i].max(self.ctx.lines(cell, style, wrap).width() + 2.0 * PAD);
                }
            }
            widths
        };
        let natural = measure(None);
        if natural.iter().sum::<f32>() <= width {
            return distribute(&natural, &natural, width);
        }
        // The longest word of each column: lay out one word per line.
        let minimum = measure(Some(1.0));
        distribute(&natural, &minimum, width)
    }
}

fn row_height(cells: &[Arc<Lines>]) -> f32 {
    cells.iter().map(|c| c.height()).fold(0.0, f32::max) + 2.0 * PAD
}

fn distribute(natural: &[f32], minimum: &[f32], total: f32) -> Vec<f32> {
    let natural_sum: f32 = natural.iter().sum();
    if natural_sum <= total {
        return natural
            .iter()
            .map(|n| n * total / natural_sum.max(1.0))
            .collect();
    }
    let minimum_sum: f32 = minimum.iter().sum();
    if minimum_sum >= total {
        return minimum
            .iter()
            .map(|m| m * total / minimum_sum.max(1.0))
            .collect();
    }
    let flex: Vec<f32> = natural.iter().zip(minimum).map(|(n, m)| n - m).collect();
    let flex_sum: f32 = flex.iter().sum();
    minimum
        .iter()
        .zip(&flex)
        .map(|(m, f)| m + (total - minimum_sum) * f / flex_sum.max(1.0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::distribute;

    #[test]
    fn columns_share_the_width() {
        let w = distribute(&[50.0, 100.0], &[20.0, 30.0], 300.0);
        assert!((w.iter().sum::<f32>() - 300.0).abs() < 0.01);
        assert!(w[1] > w[0]);
        let w = distribute(&[200.0, 400.0], &[40.0, 60.0], 300.0);
        assert!((w.iter().sum::<f32>() - 300.0).abs() < 0.01);
        assert!(w[0] >= 40.0 && w[1] >= 60.0);
    }
}
