//! Lists: the bullet and number definitions (numbering.xml) and the
//! paragraphs of each list, with one numbering instance per list so a
//! numbered list starts at its own first number and nested lists go a
//! level deeper.

use docx_rust::document::{
    AbstractNum, AbstractNumId, Level, LevelJustification, LevelOverride, LevelStart, LevelText,
    MultiLevelType, Num, NumFmt, Numbering, PPr, StartOverride,
};
use docx_rust::formatting::{CharacterProperty, Indent, JustificationVal, NumberingProperty};

use super::Theme;
use super::body::{BodyWriter, Context};
use crate::document::Block;

/// The list definitions' identifiers.
pub const BULLETED: isize = 0;
pub const NUMBERED: isize = 1;
/// Word's list levels: 0 to 8.
pub const LIST_LEVELS: usize = 9;

impl BodyWriter<'_> {
    /// A list and the lists nested in it: one numbering instance per list,
    /// so each numbered list starts at its own first number.
    pub(super) fn list(
        &mut self,
        start: Option<u64>,
        items: &[Vec<Block>],
        depth: usize,
        context: &Context,
    ) {
        let depth = depth.min(LIST_LEVELS - 1);
        let num = self.instance(start, depth);
        let style = if start.is_some() {
            "ListNumber"
        } else {
            "ListBullet"
        };
        for item in items {
            let (first, rest) = match item.split_first() {
                Some((Block::Paragraph(spans), rest)) => (spans.as_slice(), rest),
                _ => (&[][..], item.as_slice()),
            };
            let mut paragraph = self.paragraph(first, Some(style), context);
            if let Some(property) = &mut paragraph.property {
                property.numbering = Some(NumberingProperty::from((num, depth as isize)));
            }
            self.push(paragraph);
            for block in rest {
                self.item_block(block, depth, context);
            }
        }
    }

    /// A list item's blocks after its first paragraph: paragraphs under the
    /// item's text, nested lists a level deeper.
    fn item_block(&mut self, block: &Block, depth: usize, context: &Context) {
        match block {
            Block::Paragraph(spans) => {
                let mut paragraph = self.paragraph(spans, Some("ListContinue"), context);
                if let Some(property) = &mut paragraph.property {
                    property.indent = Some(Indent {
                        left: Some(list_indent(self.theme, depth)),
                        ..Indent::default()
                    });
                }
                self.push(paragraph);
            }
            Block::List { start, items, .. } => self.list(*start, items, depth + 1, context),
            other => self.block(other, None, context),
        }
    }

    /// A new numbering instance of bullets or numbers; numbers restart at
    /// the list's first number at its level.
    fn instance(&mut self, start: Option<u64>, depth: usize) -> isize {
        let id = self.lists.len() as isize + 1;
        let (abstract_id, overrides) = match start {
            Some(first) => (
                NUMBERED,
                vec![LevelOverride {
                    i_level: Some(depth as isize),
                    start_override: Some(StartOverride {
                        value: Some(isize::try_from(first).unwrap_or(1)),
                    }),
                }],
            ),
            None => (BULLETED, Vec::new()),
        };
        self.lists.push(Num {
            num_id: Some(id),
            abstract_num_id: Some(AbstractNumId {
                value: Some(abstract_id),
            }),
            level_overrides: overrides,
        });
        id
    }
}

/// How far list text at `depth` sits from the margin, in twips: one step
/// per level, wide enough for "10." at the body size.
pub fn list_indent(theme: &Theme, depth: usize) -> isize {
    Theme::twips(theme.size * 1.9) * (depth as isize + 1)
}

/// The bullet and number definitions, and one instance per list.
pub fn numbering(theme: &Theme, lists: Vec<Num>) -> Numbering<'static> {
    Numbering {
        abstract_numberings: vec![
            list_definition(theme, BULLETED),
            list_definition(theme, NUMBERED),
        ],
        numberings: lists,
    }
}

fn list_definition(theme: &Theme, id: isize) -> AbstractNum<'static> {
    let levels = (0..LIST_LEVELS)
        .map(|depth| {
            let (format, text) = if id == BULLETED {
                ("bullet", ["•", "◦", "▪"][depth % 3].to_string())
            } else {
                ("decimal", format!("%{}.", depth + 1))
            };
            Level {
                i_level: Some(depth as isize),
                start: Some(LevelStart { value: Some(1) }),
                number_format: Some(NumFmt {
                    value: format.into(),
                }),
                level_text: Some(LevelText {
                    value: Some(text.into()),
                }),
                justification: Some(LevelJustification {
                    value: JustificationVal::Left,
                }),
                p_pr: Some(PPr {
                    indent: Some(Indent {
                        left: Some(list_indent(theme, depth)),
                        hanging: Some(Theme::twips(theme.size * 1.9)),
                        ..Indent::default()
                    }),
                }),
                r_pr: vec![CharacterProperty {
                    fonts: Some(super::styles::fonts()),
                    ..CharacterProperty::default()
                }],
            }
        })
        .collect();
    AbstractNum {
        abstract_num_id: Some(id),
        nsid: None,
        multi_level_type: Some(MultiLevelType {
            value: "multilevel".into(),
        }),
        levels,
    }
}
