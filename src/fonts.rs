//! The fonts compiled into policypack, and which characters they can draw.
//!
//! Liberation Sans: metric-compatible with Arial, the NHS identity's
//! fallback font, under the SIL Open Font License (`assets/fonts/LICENSE`).
//! The PDF stage draws with these faces; `check` uses [`can_draw`] so that a
//! value holding a character none of them has (an emoji, Arabic or Chinese
//! letters) is reported at its line, not found out by the PDF writer.

use std::sync::OnceLock;

use skrifa::charmap::Charmap;
use skrifa::{FontRef, MetadataProvider as _};

pub const FAMILY: &str = "Liberation Sans";

/// Regular, bold, italic, bold italic: a value may be printed in any.
pub const FACES: [&[u8]; 4] = [
    include_bytes!("../assets/fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../assets/fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../assets/fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../assets/fonts/LiberationSans-BoldItalic.ttf"),
];

/// The faces' character maps, parsed once. Looking a character up in each
/// is a binary search; collecting every face's characters into a set first
/// cost a cold start about 3 ms.
fn charmaps() -> &'static [Charmap<'static>; 4] {
    static MAPS: OnceLock<[Charmap<'static>; 4]> = OnceLock::new();
    MAPS.get_or_init(|| {
        FACES.map(|bytes| FontRef::new(bytes).expect("bundled font parses").charmap())
    })
}

/// True when every face can draw `c`. Line breaks and tabs count as
/// drawable: they become space.
pub fn can_draw(c: char) -> bool {
    // Nearly every character a config holds is ASCII: looked up once, the
    // first time, not in four character maps per character.
    static ASCII: OnceLock<[bool; 128]> = OnceLock::new();
    match u8::try_from(c) {
        Ok(byte) if byte.is_ascii() => ASCII
            .get_or_init(|| std::array::from_fn(|b| looked_up(char::from(b as u8))))
            [usize::from(byte)],
        _ => looked_up(c),
    }
}

fn looked_up(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t') || charmaps().iter().all(|map| map.map(c).is_some())
}

/// The first character of `text` that the fonts cannot draw.
pub fn first_undrawable(text: &str) -> Option<char> {
    text.chars().find(|&c| !can_draw(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looking_up_each_face_agrees_with_the_intersection_of_their_character_sets() {
        use std::collections::HashSet;
        let sets: Vec<HashSet<u32>> = FACES
            .iter()
            .map(|bytes| {
                let font = FontRef::new(bytes).unwrap();
                font.charmap().mappings().map(|(c, _)| c).collect()
            })
            .collect();
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let in_all = sets.iter().all(|set| set.contains(&u32::from(c)));
            let expected = in_all || matches!(c, '\n' | '\r' | '\t');
            assert_eq!(can_draw(c), expected, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn draws_british_and_welsh_text_but_not_emoji_or_other_scripts() {
        assert_eq!(
            first_undrawable("Meddygfa Tŷ Gwyn, £5 — “Łukasz” Núñez"),
            None
        );
        assert_eq!(first_undrawable("Smile 😀 Surgery"), Some('😀'));
        assert_eq!(first_undrawable("عيادة"), Some('ع'));
        assert_eq!(first_undrawable("诊所"), Some('诊'));
    }
}
