//! Tables: the Table Grid style, full width, equal columns, each column
//! aligned as in the Markdown, and a shaded header row that Word repeats
//! at the top of every page the table runs onto.

use docx_rust::document::{Table, TableCell, TableGrid, TableRow};
use docx_rust::formatting::{
    JustificationVal, KeepNext, ParagraphProperty, Shading, ShadingStyle, Spacing,
    TableCellProperty, TableCellWidth, TableHeader, TableProperty, TableRowProperty, TableWidth,
    TableWidthUnit,
};
use pulldown_cmark::Alignment;

use super::Theme;
use super::body::{BodyWriter, Context};
use crate::document::{Span, is_write_in};

impl BodyWriter<'_> {
    /// A table in the Table Grid style, full width, equal columns, with a
    /// shaded header row that repeats at the top of every page.
    pub(super) fn table(
        &mut self,
        align: &[Alignment],
        header: &[Vec<Span>],
        rows: &[Vec<Vec<Span>>],
        context: &Context,
    ) {
        let columns = rows
            .iter()
            .map(Vec::len)
            .chain([header.len(), 1])
            .max()
            .unwrap_or(1);
        let width = self.theme.content_width() / columns as isize;
        let property = TableProperty {
            style_id: Some("TableGrid".into()),
            width: Some(TableWidth {
                value: Some(5000),
                unit: Some(TableWidthUnit::Pct),
            }),
            ..TableProperty::default()
        };
        let mut table = Table::default().property(property);
        table.grids = TableGrid::from(vec![width; columns]);
        let shape = Columns {
            align,
            count: columns,
            width,
        };
        if !header.is_empty() {
            let mut row = self.row(header, &shape, true, context);
            row.property = TableRowProperty::default().table_header(TableHeader::default());
            table.rows.push(row);
        }
        for cells in rows {
            let row = self.row(cells, &shape, false, context);
            table.rows.push(row);
        }
        self.content.push(table.into());
    }

    fn row(
        &mut self,
        cells: &[Vec<Span>],
        shape: &Columns<'_>,
        header: bool,
        context: &Context,
    ) -> TableRow<'static> {
        let mut row = TableRow::default();
        for column in 0..shape.count {
            let spans = cells.get(column).map_or(&[][..], Vec::as_slice);
            let mut paragraph = if header {
                let bold: Vec<Span> = spans
                    .iter()
                    .map(|s| Span {
                        bold: true,
                        ..s.clone()
                    })
                    .collect();
                self.paragraph(&bold, None, context)
            } else {
                self.paragraph(spans, None, context)
            };
            let mut property = ParagraphProperty {
                justification: shape.justification(column).map(Into::into),
                ..ParagraphProperty::default()
            };
            if !header && is_write_in(cells) {
                // docx-rust has no row height (w:trHeight): an empty
                // paragraph at least as tall as the PDF's row keeps the
                // row open for a pen, and what is typed sits at its foot.
                let theme = self.theme;
                let height = 2.0 * theme.size * theme.edition.leading + 8.0;
                property.spacing = Some(Spacing {
                    before: Some(0),
                    after: Some(0),
                    line: Some(Theme::twips(height)),
                    // docx-rust does not export the rule's type, only its parsing.
                    line_rule: "atLeast".parse().ok(),
                    ..Spacing::default()
                });
            }
            if header {
                // docx-rust has no cell shading (w:tcPr/w:shd), so the
                // header's paragraphs are shaded instead.
                property.shading = Some(Shading {
                    style: Some(ShadingStyle::Clear),
                    color: Some("auto".into()),
                    fill: Some(self.theme.tint.clone().into()),
                    ..Shading::default()
                });
                property.keep_next = Some(KeepNext::default());
            }
            paragraph.property = Some(property);
            let cell = TableCell::paragraph(paragraph).property(TableCellProperty::default().wide(
                TableCellWidth {
                    value: Some(shape.width),
                    unit: Some(TableWidthUnit::Dxa),
                },
            ));
            row.cells.push(cell.into());
        }
        row
    }
}

/// A table's columns: how many, how wide (twips) and how aligned.
struct Columns<'a> {
    align: &'a [Alignment],
    count: usize,
    width: isize,
}

impl Columns<'_> {
    fn justification(&self, column: usize) -> Option<JustificationVal> {
        match self.align.get(column)? {
            Alignment::Left => Some(JustificationVal::Left),
            Alignment::Center => Some(JustificationVal::Center),
            Alignment::Right => Some(JustificationVal::Right),
            Alignment::None => None,
        }
    }
}
