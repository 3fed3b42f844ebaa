//! Word's built-in styles at the edition's sizes (Normal, Title, Heading 1
//! to 3, List Bullet, List Number, List Continue, Quote, Caption, Footer,
//! Hyperlink, Table Grid). The document defaults set Arial, the text colour
//! and British English.

use docx_rust::formatting::{
    Bold, BorderStyle, Borders, BottomBorder, CharacterProperty, Color, CustomTabStop,
    CustomTabStopSet, CustomTabStopSetChoice, Fonts, Indent, InsideHorizonBorder,
    InsideVerticalBorder, JustificationVal, KeepLines, KeepNext, Lang, LeftBorder, OutlineLvl,
    ParagraphProperty, RightBorder, Size, SizeComplex, Spacing, TabStopType, TableBorders,
    TableProperty, TopBorder, Underline, UnderlineStyle,
};
use docx_rust::styles::{
    BasedOn, DefaultCharacterProperty, DefaultParagraphProperty, DefaultStyle, Next, QFormat,
    Style, StyleType, Styles,
};

use super::Theme;

/// The font Word has everywhere; LibreOffice sets it in the metrically
/// identical Liberation Sans the PDF uses.
const FONT: &str = "Arial";

/// Every style the body and the footer use.
pub fn styles(theme: &Theme) -> Styles<'static> {
    let mut styles = Styles::new();
    styles.default(defaults(theme));
    let mut normal = Style::new(StyleType::Paragraph, "Normal").name("Normal");
    normal.default = Some(true);
    normal.q_format = Some(QFormat { value: None });
    styles.push(normal);
    styles.push(title(theme));
    for level in 1..=3 {
        styles.push(heading(theme, level));
    }
    for (id, name) in [
        ("ListBullet", "List Bullet"),
        ("ListNumber", "List Number"),
        ("ListContinue", "List Continue"),
    ] {
        styles.push(list(theme, id, name));
    }
    styles.push(quote(theme));
    styles.push(caption(theme));
    styles.push(lead(theme));
    styles.push(footer_style(theme));
    styles.push(hyperlink(theme));
    styles.push(table_grid(theme));
    styles
}

/// Arial at the body size in the text colour, British English, and the
/// edition's line spacing with space after each paragraph.
fn defaults(theme: &Theme) -> DefaultStyle<'static> {
    let character = CharacterProperty {
        fonts: Some(fonts()),
        color: Some(Color::from(theme.text.clone())),
        size: Some(Size::from(Theme::half_points(theme.size))),
        size_complex: Some(SizeComplex {
            value: Some(Theme::half_points(theme.size)),
        }),
        lang: Some(
            Lang::default()
                .val("en-GB")
                .east_asia("en-GB")
                .bidi("ar-SA"),
        ),
        ..CharacterProperty::default()
    };
    let paragraph = ParagraphProperty::default()
        .spacing(spacing(0.0, theme.size * 0.6, theme.leading))
        .justification(JustificationVal::Left);
    DefaultStyle::default()
        .character(DefaultCharacterProperty::from(character))
        .paragraph(DefaultParagraphProperty::from(paragraph))
}

pub(super) fn fonts() -> Fonts {
    Fonts::default()
        .ascii(FONT)
        .h_ansi(FONT)
        .east_asia(FONT)
        .custom(FONT)
}

/// Space before and after in points, and line height as a multiple (in
/// 240ths of a line, the "auto" rule: a picture still makes its line taller).
pub fn spacing(before: f32, after: f32, leading: f32) -> Spacing {
    Spacing {
        before: Some(Theme::twips(before)),
        after: Some(Theme::twips(after)),
        line: Some((leading * 240.0).round() as isize),
        // docx-rust does not export the rule's type, only its parsing.
        line_rule: "auto".parse().ok(),
        ..Spacing::default()
    }
}

/// A paragraph style based on Normal.
fn paragraph_style(id: &'static str, name: &'static str) -> Style<'static> {
    let mut style = Style::new(StyleType::Paragraph, id).name(name);
    style.base = Some(BasedOn {
        value: "Normal".into(),
    });
    style.next = Some(Next {
        value: "Normal".into(),
    });
    style.q_format = Some(QFormat { value: None });
    style
}

/// Bold text in the accent colour at `size` points.
fn bold_accent(theme: &Theme, size: f32) -> CharacterProperty<'static> {
    CharacterProperty {
        bold: Some(Bold::default()),
        color: Some(Color::from(theme.accent.clone())),
        size: Some(Size::from(Theme::half_points(size))),
        size_complex: Some(SizeComplex {
            value: Some(Theme::half_points(size)),
        }),
        ..CharacterProperty::default()
    }
}

/// Markdown's level-1 heading: the document's title, with a rule under it
/// in the accent colour as in the PDF.
fn title(theme: &Theme) -> Style<'static> {
    let size = theme.headings[0];
    let rule = BottomBorder {
        style: BorderStyle::Single,
        color: Some(theme.accent.clone().into()),
        size: Some(12),
        space: Some(3),
        ..BottomBorder::default()
    };
    let mut paragraph = ParagraphProperty::default()
        .border(Borders::default().bottom(rule))
        .spacing(spacing(
            0.0,
            theme.size * 0.6,
            theme.edition.heading_leading,
        ));
    paragraph.keep_next = Some(KeepNext::default());
    paragraph.keep_lines = Some(KeepLines::default());
    paragraph_style("Title", "Title")
        .paragraph(paragraph)
        .character(bold_accent(theme, size))
}

/// Heading 1 to 3: Markdown's levels 2, 3 and below, kept with what
/// follows them.
fn heading(theme: &Theme, level: usize) -> Style<'static> {
    let (id, name) = match level {
        1 => ("Heading1", "heading 1"),
        2 => ("Heading2", "heading 2"),
        _ => ("Heading3", "heading 3"),
    };
    let size = theme.headings.get(level).copied().unwrap_or(theme.size);
    let before = theme.size * if level == 1 { 1.1 } else { 0.7 };
    let mut paragraph = ParagraphProperty::default().spacing(spacing(
        before,
        theme.size * 0.45,
        theme.edition.heading_leading,
    ));
    paragraph.keep_next = Some(KeepNext::default());
    paragraph.keep_lines = Some(KeepLines::default());
    paragraph.outline_lvl = Some(OutlineLvl {
        value: level as isize - 1,
    });
    paragraph_style(id, name)
        .paragraph(paragraph)
        .character(bold_accent(theme, size))
}

/// List paragraphs: a little space between items.
fn list(theme: &Theme, id: &'static str, name: &'static str) -> Style<'static> {
    let paragraph =
        ParagraphProperty::default().spacing(spacing(0.0, theme.size * 0.25, theme.leading));
    paragraph_style(id, name).paragraph(paragraph)
}

/// Quoted paragraphs: indented behind a bar in the accent colour.
fn quote(theme: &Theme) -> Style<'static> {
    let bar = LeftBorder {
        style: BorderStyle::Single,
        color: Some(theme.accent.clone().into()),
        size: Some(24),
        space: Some(10),
        ..LeftBorder::default()
    };
    let paragraph = ParagraphProperty {
        border: Some(Borders {
            left: Some(bar),
            ..Borders::default()
        }),
        indent: Some(Indent {
            left: Some(Theme::twips(13.0)),
            ..Indent::default()
        }),
        ..ParagraphProperty::default()
    };
    paragraph_style("Quote", "Quote").paragraph(paragraph)
}

/// The line under the QR code.
fn caption(theme: &Theme) -> Style<'static> {
    // Never smaller than the body in large print or on a poster.
    let large_print = theme.edition.name == crate::render::edition::EditionName::LargePrint;
    let size = if theme.poster || large_print {
        theme.size
    } else {
        theme.size * 0.85
    };
    let character = CharacterProperty {
        size: Some(Size::from(Theme::half_points(size))),
        size_complex: Some(SizeComplex {
            value: Some(Theme::half_points(size)),
        }),
        ..CharacterProperty::default()
    };
    paragraph_style("Caption", "caption").character(character)
}

/// A poster's practice name beside its logo: bold, in the accent colour.
fn lead(theme: &Theme) -> Style<'static> {
    let paragraph = ParagraphProperty::default().spacing(spacing(0.0, 0.0, theme.leading));
    paragraph_style("Lead", "Lead")
        .paragraph(paragraph)
        .character(bold_accent(theme, theme.lead))
}

/// The footer: small, muted, under a thin line, with the page number at
/// the right margin.
fn footer_style(theme: &Theme) -> Style<'static> {
    let size = theme.footer_size();
    let line = TopBorder {
        style: BorderStyle::Single,
        color: Some(theme.muted.clone().into()),
        size: Some(4),
        space: Some(4),
        ..TopBorder::default()
    };
    let stop = CustomTabStop::default()
        .tab_stop_type(TabStopType::Right)
        .pos(theme.content_width());
    let paragraph = ParagraphProperty {
        border: Some(Borders::default().top(line)),
        tabs: Some(CustomTabStopSet {
            content: vec![CustomTabStopSetChoice::CustomTabStop(stop)],
        }),
        // A poster's sign-off, in the body, set close as the PDF's.
        spacing: Some(spacing(0.0, 0.0, if theme.poster { 1.0 } else { 1.25 })),
        ..ParagraphProperty::default()
    };
    let character = CharacterProperty {
        color: Some(Color::from(theme.muted.clone())),
        size: Some(Size::from(Theme::half_points(size))),
        size_complex: Some(SizeComplex {
            value: Some(Theme::half_points(size)),
        }),
        ..CharacterProperty::default()
    };
    paragraph_style("Footer", "footer")
        .paragraph(paragraph)
        .character(character)
}

/// Links in the accent colour: underlined, or bold where the edition
/// shows links in bold colour (large print).
fn hyperlink(theme: &Theme) -> Style<'static> {
    let mut character = CharacterProperty {
        color: Some(Color::from(theme.accent.clone())),
        ..CharacterProperty::default()
    };
    if theme.edition.underline_links {
        character.underline = Some(Underline::from(UnderlineStyle::Single));
    } else {
        character.bold = Some(Bold::default());
    }
    Style::new(StyleType::Character, "Hyperlink")
        .name("Hyperlink")
        .character(character)
}

/// Thin lines around and between every cell.
fn table_grid(theme: &Theme) -> Style<'static> {
    let colour = || Some(theme.muted.clone().into());
    let borders = TableBorders {
        top: Some(TopBorder {
            style: BorderStyle::Single,
            color: colour(),
            size: Some(4),
            ..TopBorder::default()
        }),
        left: Some(LeftBorder {
            style: BorderStyle::Single,
            color: colour(),
            size: Some(4),
            ..LeftBorder::default()
        }),
        bottom: Some(BottomBorder {
            style: BorderStyle::Single,
            color: colour(),
            size: Some(4),
            ..BottomBorder::default()
        }),
        right: Some(RightBorder {
            style: BorderStyle::Single,
            color: colour(),
            size: Some(4),
            ..RightBorder::default()
        }),
        inside_horizon: Some(InsideHorizonBorder {
            style: BorderStyle::Single,
            color: colour(),
            size: Some(4),
            ..InsideHorizonBorder::default()
        }),
        inside_vertical: Some(InsideVerticalBorder {
            style: BorderStyle::Single,
            color: colour(),
            size: Some(4),
            ..InsideVerticalBorder::default()
        }),
    };
    // Cell margins are Word's and LibreOffice's defaults: docx-rust does
    // not export its type for w:tblCellMar.
    let table = TableProperty {
        borders: Some(borders),
        ..TableProperty::default()
    };
    let paragraph = ParagraphProperty::default().spacing(spacing(
        theme.size * 0.2,
        theme.size * 0.2,
        theme.leading,
    ));
    let mut style = Style::new(StyleType::Table, "TableGrid").name("Table Grid");
    style.table = Some(table);
    style.paragraph = Some(paragraph);
    style
}
