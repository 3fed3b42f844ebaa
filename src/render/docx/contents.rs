//! The contents list in Word: each entry a link to its heading, with a
//! dotted leader to a `PAGEREF` field, which LibreOffice fills in with the
//! page the heading falls on as it lays the pages out, and Word when the
//! file opens (the package asks it to update its fields). No bullets.
//!
//! Not Word's own contents field (`TOC`): LibreOffice keeps what such a
//! field shows as it was written, so every entry read "1" there.

use docx_rust::document::{Run, Tab};
use docx_rust::formatting::{
    CustomTabStop, CustomTabStopSet, CustomTabStopSetChoice, ParagraphProperty, TabLeaderCharacter,
    TabStopType,
};

use super::Theme;
use super::body::{BodyWriter, Context};
use super::footer::field;
use crate::document::Span;

impl BodyWriter<'_> {
    pub(super) fn contents(&mut self, entries: &[(&[Span], String)], context: &Context) {
        let right = CustomTabStop::default()
            .tab_stop_type(TabStopType::Right)
            .leader(TabLeaderCharacter::Dot)
            .pos(Theme::twips(self.theme.paper.content_width()));
        for (spans, anchor) in entries {
            let mut paragraph = self.paragraph(spans, None, context);
            paragraph.property = Some(ParagraphProperty {
                tabs: Some(CustomTabStopSet {
                    content: vec![CustomTabStopSetChoice::CustomTabStop(right.clone())],
                }),
                ..ParagraphProperty::default()
            });
            paragraph.content.push(Run::default().push(Tab).into());
            let target = format!("PAGEREF {} \\h", super::bookmark_name(anchor));
            paragraph.content.extend(field(target));
            self.push(paragraph);
        }
    }
}
