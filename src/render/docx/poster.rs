//! The notice as a Word poster, laid out as the PDF's: the logo beside the
//! practice's name, then the body; the QR code beside the paragraph it
//! follows; in Welsh and English, each Welsh block level with its English
//! block, one borderless table row each, with the QR code in the middle of
//! its row; each language's sign-off at the foot, in the Footer style.
//! Word has no side-by-side paragraphs, so each row is a table of its own.

use docx_rust::document::{BodyContent, Paragraph, Table, TableCell, TableGrid, TableRow};
use docx_rust::formatting::{
    JustificationVal, ParagraphProperty, TableCellProperty, TableCellWidth, TableProperty,
    TableWidth, TableWidthUnit, VAlignType,
};

use super::Theme;
use super::body::{BodyWriter, Context};
use super::styles;
use crate::document::{Block, Qr, Span};
use crate::render::poster::{Side, languages};
use crate::render::presentation::Logo;

/// The logo's height, as in the PDF.
const LOGO_HEIGHT: f32 = 64.0;

/// One cell of a row: what it holds and its width in points.
type Cell = (Vec<BodyContent<'static>>, f32);

impl BodyWriter<'_> {
    /// Writes the printed notice's blocks (a Welsh part first, in Wales)
    /// as a poster.
    pub fn poster(&mut self, blocks: &[Block], logo: Option<&Logo>, alt: &str) {
        let (welsh, own) = languages(blocks);
        let english = Side::of(own);
        let width = self.theme.paper.content_width();
        let plain = Context::default();
        match welsh {
            None => {
                self.masthead(logo, alt, english.lead, &plain);
                for (i, block) in english.blocks.iter().enumerate() {
                    let beside = english.qr.filter(|(_, after)| *after == i);
                    let Some((qr, _)) = beside else {
                        self.block(block, None, &plain);
                        continue;
                    };
                    let Some(code) = self.code(qr) else {
                        self.block(block, None, &plain);
                        continue;
                    };
                    // A paragraph goes beside the code; anything else (a
                    // list, a table) before it.
                    let beside_code = matches!(block, Block::Paragraph(_));
                    if !beside_code {
                        self.block(block, None, &plain);
                    }
                    let text = self.capture(|w| {
                        if beside_code {
                            w.block(block, None, &plain);
                        }
                        let paragraph = w.paragraph(&qr.scan, None, &plain);
                        w.push(paragraph);
                    });
                    let side = self.qr_side(&qr.url);
                    self.layout_row(vec![(code, side), (text, width - side)]);
                }
                self.sign_off(english.sign_off, &plain);
            }
            Some((lang, part)) => {
                let cymraeg = Side::of(part);
                let cy = Context::in_language(lang);
                self.masthead(logo, alt, english.lead.or(cymraeg.lead), &plain);
                // Half the page each: the cells' margins keep the columns apart.
                let half = width / 2.0;
                let qr = english.qr.or(cymraeg.qr);
                let rows = cymraeg.blocks.len().max(english.blocks.len());
                for row in 0..rows {
                    let welsh = cymraeg.blocks.get(row).copied();
                    let own = english.blocks.get(row).copied();
                    let left =
                        self.capture(|w| welsh.into_iter().for_each(|b| w.block(b, None, &cy)));
                    let right =
                        self.capture(|w| own.into_iter().for_each(|b| w.block(b, None, &plain)));
                    let code = qr
                        .filter(|(_, after)| *after == row)
                        .and_then(|(qr, _)| self.code(qr));
                    let cells = match code {
                        Some(code) => {
                            let side = qr.map_or(0.0, |(qr, _)| self.qr_side(&qr.url));
                            let text = (width - side) / 2.0;
                            vec![(left, text), (code, side), (right, text)]
                        }
                        None => vec![(left, half), (right, half)],
                    };
                    self.layout_row(cells);
                }
                let left = self.capture(|w| w.sign_off(cymraeg.sign_off, &cy));
                let right = self.capture(|w| w.sign_off(english.sign_off, &plain));
                self.layout_row(vec![(left, half), (right, half)]);
            }
        }
    }

    /// A language's sign-off, in the Footer style.
    fn sign_off(&mut self, spans: Option<&[Span]>, context: &Context) {
        if let Some(spans) = spans {
            let paragraph = self.paragraph(spans, Some("Footer"), context);
            self.push(paragraph);
        }
    }

    /// The logo and, beside it, the practice's name in the lead style.
    fn masthead(&mut self, logo: Option<&Logo>, alt: &str, name: Option<&[Span]>, plain: &Context) {
        let width = self.theme.paper.content_width();
        let name = self.capture(|w| {
            if let Some(spans) = name {
                let bold: Vec<Span> = spans
                    .iter()
                    .map(|s| Span {
                        bold: true,
                        ..s.clone()
                    })
                    .collect();
                let paragraph = w.paragraph(&bold, Some("Lead"), plain);
                w.push(paragraph);
            }
        });
        let Some(logo) = logo else {
            self.content.extend(name);
            return;
        };
        let (w, h) = logo.size;
        let logo_width = (LOGO_HEIGHT * w as f32 / h.max(1) as f32).min(width / 4.0);
        let logo_height = logo_width * h as f32 / w.max(1) as f32;
        let extension = if logo.png { "png" } else { "jpeg" };
        let picture = self.picture(
            logo.bytes.clone(),
            extension,
            (logo_width, logo_height),
            alt,
        );
        let property = ParagraphProperty::default().spacing(styles::spacing(0.0, 0.0, 1.0));
        let image = vec![Paragraph::default().property(property).push(picture).into()];
        self.layout_row(vec![
            (image, logo_width + 16.0),
            (name, width - logo_width - 16.0),
        ]);
    }

    /// The QR code's side, quiet zone included, in points: the cell's
    /// margins are the room between the code and the text beside it.
    fn qr_side(&self, url: &str) -> f32 {
        crate::render::pdf::figure::qr_side(url, self.theme.qr).unwrap_or(0.0)
    }

    /// The QR code as a centred paragraph, or `None` when its address is
    /// too long to encode.
    fn code(&mut self, qr: &Qr) -> Option<Vec<BodyContent<'static>>> {
        let png = super::picture::qr_png(&qr.url)?;
        let side = self.qr_side(&qr.url);
        let picture = self.picture(png, "png", (side, side), &qr.alt);
        let property = ParagraphProperty {
            justification: Some(JustificationVal::Center.into()),
            ..ParagraphProperty::default().spacing(styles::spacing(0.0, 0.0, 1.0))
        };
        Some(vec![
            Paragraph::default().property(property).push(picture).into(),
        ])
    }

    /// One row of cells as a borderless table across the page, its cells
    /// centred top to bottom.
    fn layout_row(&mut self, cells: Vec<Cell>) {
        let property = TableProperty {
            width: Some(TableWidth {
                value: Some(5000),
                unit: Some(TableWidthUnit::Pct),
            }),
            ..TableProperty::default()
        };
        let mut table = Table::default().property(property);
        table.grids = TableGrid::from(
            cells
                .iter()
                .map(|(_, cell_width)| Theme::twips(*cell_width))
                .collect::<Vec<_>>(),
        );
        let mut row = TableRow::default();
        for (content, cell_width) in cells {
            let mut paragraphs = content.into_iter().filter_map(|c| match c {
                BodyContent::Paragraph(p) => Some(p),
                _ => None,
            });
            // A cell holds one paragraph at least.
            let first = paragraphs.next().unwrap_or_default();
            let mut table_cell = TableCell::paragraph(first).property(
                TableCellProperty::default()
                    .wide(TableCellWidth {
                        value: Some(Theme::twips(cell_width)),
                        unit: Some(TableWidthUnit::Dxa),
                    })
                    .v_align(VAlignType::Center),
            );
            for paragraph in paragraphs {
                table_cell.content.push(paragraph.into());
            }
            row.cells.push(table_cell.into());
        }
        table.rows.push(row);
        self.content.push(table.into());
    }
}
