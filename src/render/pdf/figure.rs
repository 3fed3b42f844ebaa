//! Figures and page furniture: the QR code to the complaints page, the
//! practice logo, and the running footer.

use std::cell::RefCell;
use std::rc::Rc;

use krilla::tagging::{ArtifactType, Tag};
use qrcode::{Color, EcLevel, QrCode};

use super::layout::{Content, Draw, Node, Typesetter, lines_draws, plain};
use super::text::TextStyle;
use crate::document::{Qr, Span};

/// The blank modules around a QR code, on each side.
const QUIET: usize = 4;

impl Typesetter<'_> {
    /// A QR code (vector squares) with, beside it, the paragraph that
    /// gives the address (`beside`, when the code follows one) and how to
    /// use the code.
    pub fn qr(
        &mut self,
        code: &Qr,
        beside: Option<&[Span]>,
        x: f32,
        width: f32,
        out: &mut Vec<Node>,
    ) {
        let url = code.url.as_str();
        let Some(side) = qr_side(url, self.theme.qr) else {
            // Too long to encode: the address is still printed as a link.
            if let Some(spans) = beside {
                let lines = self.lines(spans, &self.theme.body(), width);
                out.push(Node::Group(Tag::P.into(), self.paragraph(&lines, x)));
                self.y += self.theme.size * 0.6 * self.theme.space;
            }
            return;
        };
        let gap = 12.0;
        let column = width - side - gap;
        let body = self.theme.body();
        let text = beside.map(|spans| self.lines(spans, &body, column));
        let how = if text.is_some() {
            &code.scan
        } else {
            &code.caption
        };
        let how = self.lines(how, &body, column);
        let between = self.theme.size * 0.3;
        let beside_height = text.as_ref().map_or(0.0, |t| t.height() + between) + how.height();
        let height = side.max(beside_height);
        self.ensure(height + 4.0);
        let top = self.y;
        self.qr_code(code, x, top, out);
        // The text beside the code, centred on it.
        self.y = top + (side - beside_height).max(0.0) / 2.0;
        if let Some(text) = &text {
            out.push(Node::Group(
                Tag::P.into(),
                self.paragraph(text, x + side + gap),
            ));
            self.y += between;
        }
        out.push(Node::Group(
            Tag::P.into(),
            self.paragraph(&how, x + side + gap),
        ));
        self.y = top + height;
        self.fixed += side.min(height);
        self.y += self.theme.size * 0.6 * self.theme.space;
    }

    /// Draws the QR code with its quiet zone's top left corner at
    /// (x, y), as a figure in `out`; its side, quiet zone included, or
    /// `None` when the address is too long to encode.
    pub fn qr_code(&mut self, code: &Qr, x: f32, y: f32, out: &mut Vec<Node>) -> Option<f32> {
        let (modules, colors) = qr_modules(&code.url)?;
        let unit = self.theme.qr / modules as f32;
        let mut draws = Vec::new();
        for row in 0..modules {
            let mut col = 0;
            while col < modules {
                if colors[row * modules + col] == Color::Light {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < modules && colors[row * modules + col] == Color::Dark {
                    col += 1;
                }
                draws.push(Draw::Rect {
                    x: x + (QUIET + start) as f32 * unit,
                    y: y + (QUIET + row) as f32 * unit,
                    w: (col - start) as f32 * unit,
                    h: unit,
                    rgb: [0, 0, 0],
                });
            }
        }
        let leaf = self.leaf();
        self.mark(Content::Graphic(leaf), draws);
        out.push(Node::Group(
            Tag::Figure(Some(code.alt.clone())).into(),
            vec![Node::Leaf(leaf)],
        ));
        Some(unit * (modules + 2 * QUIET) as f32)
    }

    /// The practice logo at the top of the first page.
    pub fn logo(
        &mut self,
        image: &krilla::image::Image,
        alt: &str,
        tallest: f32,
        out: &mut Vec<Node>,
    ) {
        let (w, h) = image.size();
        let width = (tallest * w as f32 / h.max(1) as f32).min(self.geo.content_width() / 2.0);
        let height = width * h as f32 / w.max(1) as f32;
        let leaf = self.leaf();
        let draw = Draw::Image {
            x: self.geo.margin,
            y: self.y,
            w: width,
            h: height,
            image: image.clone(),
        };
        self.mark(Content::Graphic(leaf), vec![draw]);
        out.push(Node::Group(
            Tag::Figure(Some(alt.to_string())).into(),
            vec![Node::Leaf(leaf)],
        ));
        self.y += height + 10.0;
        self.fixed += height + 10.0;
    }

    /// "Practice — Document" at the left of the foot of every page, and
    /// the document's reference and "Page N of M" at the right: on one
    /// line ("Ref 3F9A-21C0 · Page 1 of 3"), or one above the other where
    /// that leaves the label room and the bottom margin holds two lines.
    /// The label is the first of `labels` that fits the room the right
    /// side leaves (as many lines as the bottom margin holds, keeping
    /// 24 pt clear of the paper's edge), or the last one cut short with
    /// "…": the reference and the page number are never cut. The first
    /// `welsh_pages` pages, which hold only Welsh, number as "Tudalen N o M".
    pub fn footers(&mut self, labels: &[String], reference: &str, welsh_pages: usize) {
        let total = self.pages.len();
        let style = TextStyle {
            size: self.theme.footer,
            bold: false,
            rgb: self.theme.palette.muted,
            link_rgb: self.theme.palette.muted,
            leading: 1.25,
            underline_links: false,
        };
        let top = self.geo.height - self.geo.bottom + 14.0;
        let x = self.geo.margin;
        let width = self.geo.content_width();
        let max_lines = (((self.geo.bottom - 14.0 - 24.0) / (style.size * style.leading)).floor()
            as usize)
            .max(1);
        // The right side's width, measured with the widest page number.
        let number_of = |page: usize| {
            if page < welsh_pages {
                format!("Tudalen {} o {total}", page + 1)
            } else {
                format!("Page {} of {total}", page + 1)
            }
        };
        let widest = if welsh_pages > 0 {
            format!("Tudalen {total} o {total}")
        } else {
            format!("Page {total} of {total}")
        };
        let mut measure = |text: &str| self.ctx.lines(&[plain(text)], &style, None).width();
        let one_line = measure(&format!("{reference} · {widest}"));
        let stacked = measure(reference).max(measure(&widest));
        let mut sides = vec![(Side::OneLine, one_line)];
        if max_lines >= 2 {
            sides.push((Side::Stacked, stacked));
        }
        let room = |side_width: f32| Some((width - side_width - 18.0).max(1.0));
        // The fewest lines: the first label that makes a footer of one
        // line (the reference and page number on one line beside it);
        // failing that, of two lines, and so on.
        let mut chosen = None;
        'labels: for allowed in 1..=max_lines {
            for candidate in labels {
                for &(side, side_width) in &sides {
                    let side_lines = match side {
                        Side::OneLine => 1,
                        Side::Stacked => 2,
                    };
                    if side_lines > allowed {
                        continue;
                    }
                    let lines = self
                        .ctx
                        .lines(&[plain(candidate)], &style, room(side_width));
                    if lines.lines.len() <= allowed {
                        chosen = Some((lines, side));
                        break 'labels;
                    }
                }
            }
        }
        let (label, side) = match chosen {
            Some(chosen) => chosen,
            None => {
                // The narrowest right side leaves the most of the label.
                let (side, side_width) = *sides.last().expect("one side at least");
                let last: Vec<char> = labels.last().map_or(Vec::new(), |l| l.chars().collect());
                let mut keep = last.len();
                let lines = loop {
                    let text: String = last[..keep]
                        .iter()
                        .collect::<String>()
                        .trim_end()
                        .to_string()
                        + "…";
                    let lines = self.ctx.lines(&[plain(&text)], &style, room(side_width));
                    if lines.lines.len() <= max_lines || keep == 0 {
                        break lines;
                    }
                    keep -= 1;
                };
                (lines, side)
            }
        };
        let reference_lines = self.ctx.lines(&[plain(reference)], &style, None);
        let dotted = self
            .ctx
            .lines(&[plain(&format!("{reference} ·"))], &style, None);
        for page in 0..total {
            let number = number_of(page);
            let mut draws = vec![Draw::Rect {
                x,
                y: top - 6.0,
                w: width,
                h: 0.5,
                rgb: self.theme.palette.muted,
            }];
            draws.extend(lines_draws(&label, x, top));
            match side {
                Side::OneLine => {
                    // Set in two pieces, split after the dot (which no
                    // letter kerns with): the page number's is the same
                    // in every practice's copy, so a pack shapes it once.
                    let tail = self
                        .ctx
                        .lines(&[plain(&format!(" {number}"))], &style, None);
                    let tail_x = x + width - tail.width();
                    draws.extend(lines_draws(&dotted, tail_x - dotted.width(), top));
                    draws.extend(lines_draws(&tail, tail_x, top));
                }
                Side::Stacked => {
                    let number = self.ctx.lines(&[plain(&number)], &style, None);
                    draws.extend(lines_draws(&number, x + width - number.width(), top));
                    draws.extend(lines_draws(
                        &reference_lines,
                        x + width - reference_lines.width(),
                        top + number.height(),
                    ));
                }
            }
            self.pages[page].marks.push(super::layout::Mark {
                content: Content::Artifact(ArtifactType::Footer),
                draws,
            });
        }
    }
}

/// Where the footer's right side puts the reference and the page number.
#[derive(Debug, Clone, Copy)]
enum Side {
    /// "Ref 3F9A-21C0 · Page 1 of 3".
    OneLine,
    /// "Page 1 of 3" above "Ref 3F9A-21C0".
    Stacked,
}

/// The side of the QR code to `url`, quiet zone included, when its
/// modules take `code` points; `None` when the address is too long to
/// encode.
pub(crate) fn qr_side(url: &str, code: f32) -> Option<f32> {
    let (modules, _) = qr_modules(url)?;
    Some(code / modules as f32 * (modules + 2 * QUIET) as f32)
}

/// A QR code's side in modules and its modules, row by row (the Word
/// renderer draws the same code). The notice and the leaflet show the same
/// code one after the other, and choosing its mask is the slow part, so
/// each thread keeps the last code it made.
pub(crate) fn qr_modules(url: &str) -> Option<(usize, Rc<Vec<Color>>)> {
    type Last = Option<(String, usize, Rc<Vec<Color>>)>;
    thread_local! {
        static LAST: RefCell<Last> = const { RefCell::new(None) };
    }
    LAST.with(|last| {
        if let Some((cached, width, colors)) = &*last.borrow()
            && cached == url
        {
            return Some((*width, colors.clone()));
        }
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
        let (width, colors) = (code.width(), Rc::new(code.to_colors()));
        *last.borrow_mut() = Some((url.to_string(), width, colors.clone()));
        Some((width, colors))
    })
}
