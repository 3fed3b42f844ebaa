//! The footer on every page: "Practice — Document" at the left and the
//! document's reference and "Page N of M" at the right margin, in the
//! Footer style.

use docx_rust::document::{
    BodyContent, CharType, FieldChar, Footer, Paragraph, ParagraphContent, Run, RunContent, Tab,
    Text, TextSpace,
};
use docx_rust::formatting::ParagraphProperty;

/// "Practice — Document" at the left and "Ref 3F9A-21C0 · Page N of M"
/// at the right of every page, the numbers as PAGE and NUMPAGES fields.
/// A poster's footer: nothing (its sign-off, at the foot of the body,
/// gives the date, approval and reference).
pub fn empty() -> Footer<'static> {
    let paragraph = Paragraph::default().property(ParagraphProperty::default().style_id("Footer"));
    Footer {
        content: vec![paragraph.into()],
    }
}

pub fn footer(label: &str, reference: &str) -> Footer<'static> {
    let mut paragraph = Paragraph::default()
        .property(ParagraphProperty::default().style_id("Footer"))
        .push(text_run(label))
        .push(Run::default().push(Tab))
        .push(text_run(&format!("{reference} · Page ")));
    paragraph.content.extend(field("PAGE"));
    paragraph.content.push(text_run(" of ").into());
    paragraph.content.extend(field("NUMPAGES"));
    Footer {
        content: vec![BodyContent::Paragraph(paragraph)],
    }
}

fn text_run(text: &str) -> Run<'static> {
    Run::default().push_text(Text {
        space: Some(TextSpace::Preserve),
        text: text.to_string().into(),
    })
}

/// A field Word and LibreOffice work out as they lay the pages out; "1"
/// stands until they do.
pub(super) fn field(instruction: impl Into<String>) -> Vec<ParagraphContent<'static>> {
    let char_run = |ty| Run::default().push(RunContent::FieldChar(FieldChar::from(ty)));
    vec![
        char_run(CharType::Begin).into(),
        // docx-rust does not export the instruction's type, only a
        // conversion from text: the instruction goes without spaces round it.
        Run::default()
            .push(RunContent::InstrText(instruction.into().into()))
            .into(),
        char_run(CharType::Separate).into(),
        text_run("1").into(),
        char_run(CharType::End).into(),
    ]
}
