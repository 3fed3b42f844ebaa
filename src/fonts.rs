//! The fonts compiled into policypack, and which characters they can draw.
//!
//! Liberation Sans: metric-compatible with Arial, the NHS identity's
//! fallback font, under the SIL Open Font License (`assets/fonts/LICENSE`).
//! The PDF stage draws with these faces; `check` uses [`can_draw`] so that a
//! value holding a character none of them has (an emoji, Arabic or Chinese
//! letters) is reported at its line, not found out by the PDF writer.

use std::collections::HashSet;
use std::sync::OnceLock;

use skrifa::{FontRef, MetadataProvider as _};

pub const FAMILY: &str = "Liberation Sans";

/// Regular, bold, italic, bold italic: a value may be printed in any.
pub const FACES: [&[u8]; 4] = [
    include_bytes!("../assets/fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../assets/fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../assets/fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../assets/fonts/LiberationSans-BoldItalic.ttf"),
];

/// The characters every face has.
fn drawable() -> &'static HashSet<u32> {
    static SET: OnceLock<HashSet<u32>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut faces = FACES.iter().map(|bytes| {
            let font = FontRef::new(bytes).expect("bundled font parses");
            font.charmap()
                .mappings()
                .map(|(c, _)| c)
                .collect::<HashSet<u32>>()
        });
        let first = faces.next().expect("four faces");
        faces.fold(first, |all, face| {
            all.intersection(&face).copied().collect()
        })
    })
}

/// True when every face can draw `c`. Line breaks and tabs count as
/// drawable: they become space.
pub fn can_draw(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t') || drawable().contains(&u32::from(c))
}

/// The first character of `text` that the fonts cannot draw.
pub fn first_undrawable(text: &str) -> Option<char> {
    text.chars().find(|&c| !can_draw(c))
}

#[cfg(test)]
mod tests {
    use super::*;

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
