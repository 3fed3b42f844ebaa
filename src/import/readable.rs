//! Readable names and address lines from the capitals of the ODS files.
//!
//! ODS writes `THE MAYFLOWER MED PRACT`, `ST.JOHNS GROUP PRACTICE`,
//! `25 ST.MARY'S ROAD`. [`text`] makes these `The Mayflower Medical
//! Practice`, `St Johns Group Practice`, `25 St Mary's Road` without
//! inventing anything:
//!
//! - Words are title-cased; small joining words (`on`, `upon`, `of`…) are
//!   lower case after the first word (`Stockton on Tees`) and inside
//!   hyphenated names (`Stockton-on-Tees`, `Weston-super-Mare`).
//! - Only the abbreviations in [`EXPANSIONS`] are written out; each was found
//!   in the national file and means one thing there. Ambiguous ones keep
//!   their letters: `St` (Saint or Street), `Dr` (Doctor or Drive), `Ct`.
//! - What we cannot read stays in capitals: acronyms we know ([`ACRONYMS`]),
//!   initials after a title (`DR ME SHEIKH` → `Dr ME Sheikh`), single letters
//!   and short words without a vowel (`CHP`, `RK`), which are initials or
//!   acronyms, never words.
//! - `Mc` names get their capital (`McKenzie`); `Mac` is left alone, because
//!   `Macclesfield` and `Mace` are not `MacClesfield` and `MacE`, and
//!   `Macdonald` is a spelling in its own right. After a one-letter prefix and
//!   an apostrophe the next letter is a capital (`O'Brien`, `D'Arcy`).

/// Abbreviations written out wherever they appear, in names and addresses.
/// A dot after one is dropped (`CTR.` → `Centre`).
pub const EXPANSIONS: &[(&str, &str)] = &[
    ("AV", "Avenue"),
    ("AVE", "Avenue"),
    ("BLDG", "Building"),
    ("BLVD", "Boulevard"),
    ("BRG", "Bridge"),
    ("CENTR", "Centre"),
    ("CL", "Close"),
    ("CNTR", "Centre"),
    ("CRES", "Crescent"),
    ("CRT", "Court"),
    ("CTR", "Centre"),
    ("CTRE", "Centre"),
    ("CTRL", "Central"),
    ("CTRS", "Centres"),
    ("FAM", "Family"),
    ("FL", "Floor"),
    ("FLR", "Floor"),
    ("GDNS", "Gardens"),
    ("GND", "Ground"),
    ("GRD", "Ground"),
    ("GRN", "Green"),
    ("GRP", "Group"),
    ("GT", "Great"),
    ("HLTH", "Health"),
    ("HOSP", "Hospital"),
    ("HSE", "House"),
    ("HTH", "Health"),
    ("LN", "Lane"),
    ("LNE", "Lane"),
    ("MDDX", "Middlesex"),
    ("MDW", "Meadow"),
    ("MED", "Medical"),
    ("MKT", "Market"),
    ("MRKT", "Market"),
    ("NR", "Near"),
    ("NTH", "North"),
    ("PK", "Park"),
    ("PL", "Place"),
    ("PRAC", "Practice"),
    ("PRACT", "Practice"),
    ("PRCT", "Practice"),
    ("PRIM", "Primary"),
    ("PTNR", "Partner"),
    ("PTNRS", "Partners"),
    ("PTRS", "Partners"),
    ("RD", "Road"),
    ("RW", "Row"),
    ("SQ", "Square"),
    ("STH", "South"),
    ("STN", "Station"),
    ("SURG", "Surgery"),
    ("TCE", "Terrace"),
    ("UNIV", "University"),
    ("WLK", "Walk"),
];

/// Titles and short forms kept short, with their case; a dot after one is
/// dropped (`DR.` → `Dr`, `ST.JOHNS` → `St Johns`).
const SHORT_FORMS: &[(&str, &str)] = &[
    ("CT", "Ct"),
    ("DR", "Dr"),
    ("DRS", "Drs"),
    ("LTD", "Ltd"),
    ("MR", "Mr"),
    ("MRS", "Mrs"),
    ("MS", "Ms"),
    ("ST", "St"),
];

/// Titles after which short words are initials (`DR RK KUKAR`).
const TITLES: &[&str] = &["DR", "DRS", "MR", "MRS", "MS"];

/// All-capital acronyms we are sure of, kept as they are (`GPS` → `GPs`).
pub const ACRONYMS: &[(&str, &str)] = &[
    ("APMS", "APMS"),
    ("CCG", "CCG"),
    ("CIC", "CIC"),
    ("GP", "GP"),
    ("GPS", "GPs"),
    ("HC", "HC"),
    ("HCC", "HCC"),
    ("LLP", "LLP"),
    ("MC", "MC"),
    ("NHS", "NHS"),
    ("PCC", "PCC"),
    ("PCT", "PCT"),
    ("PMS", "PMS"),
    ("UK", "UK"),
];

/// Surnames without a vowel, which would otherwise stay in capitals.
const NAMES_WITHOUT_VOWELS: &[&str] = &["NG"];

/// Lower case after the first word of a name or line.
const SMALL_WORDS: &[&str] = &[
    "and", "at", "by", "for", "in", "of", "on", "the", "under", "upon",
];

/// Lower case between hyphens: `Stockton-on-Tees`, `Chapel-en-le-Frith`.
const HYPHEN_WORDS: &[&str] = &[
    "and", "at", "by", "cum", "de", "en", "in", "la", "le", "next", "of", "on", "sub", "super",
    "the", "under", "upon", "with",
];

fn lookup(table: &[(&'static str, &'static str)], word: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == word).map(|(_, v)| *v)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Sep(char),
}

/// Words are runs of letters and digits, with apostrophes inside them.
fn tokens(raw: &str) -> Vec<Token> {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let inner_apostrophe =
            c == '\'' && !word.is_empty() && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() || inner_apostrophe {
            word.extend(c.to_uppercase());
        } else {
            if !word.is_empty() {
                out.push(Token::Word(std::mem::take(&mut word)));
            }
            out.push(Token::Sep(if c.is_whitespace() { ' ' } else { c }));
        }
    }
    if !word.is_empty() {
        out.push(Token::Word(word));
    }
    out
}

/// How a word was rendered, which decides what happens to a dot after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Expanded or a short form: a following dot is dropped.
    Shortened,
    /// Kept in capitals as initials.
    Initial,
    Plain,
}

/// A readable form of one ODS name or address line.
pub fn text(raw: &str) -> String {
    let toks = tokens(raw);
    let word_at = |i: usize| match toks.get(i) {
        Some(Token::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    let sep_at = |i: usize| match toks.get(i) {
        Some(Token::Sep(c)) => Some(*c),
        _ => None,
    };
    // Index of the previous and next word, and the separators between.
    let prev_word = |i: usize| (0..i).rev().find(|&j| word_at(j).is_some());
    let next_word = |i: usize| (i + 1..toks.len()).find(|&j| word_at(j).is_some());
    let between = |a: usize, b: usize| -> String { (a + 1..b).filter_map(sep_at).collect() };

    let mut rendered: Vec<Option<(String, Kind)>> = vec![None; toks.len()];
    let mut first_in_segment = true;
    for i in 0..toks.len() {
        let Some(word) = word_at(i) else {
            let c = sep_at(i).unwrap_or(' ');
            if matches!(c, ',' | '(' | ')' | '/' | '-') {
                first_in_segment = true;
            }
            continue;
        };
        let prev = prev_word(i);
        let next = next_word(i);
        let after_title_or_initial = prev.is_some_and(|p| {
            between(p, i).chars().all(|c| c == ' ' || c == '.')
                && rendered[p].as_ref().is_some_and(|(_, kind)| {
                    *kind == Kind::Initial || TITLES.contains(&word_at(p).unwrap_or(""))
                })
        });
        let before_another_name = next.is_some_and(|n| {
            between(i, n).chars().all(|c| c == ' ' || c == '.') && word_at(n) != Some("AND")
        });
        let hyphenated = sep_at(i.wrapping_sub(1)) == Some('-') && sep_at(i + 1) == Some('-');
        let out = render(
            word,
            Context {
                first: first_in_segment,
                initials: after_title_or_initial && before_another_name,
                hyphenated,
            },
        );
        if word.chars().next().is_some_and(char::is_alphabetic) {
            first_in_segment = false;
        }
        rendered[i] = Some(out);
    }
    assemble(&toks, &rendered)
}

struct Context {
    /// The first word of the line or of a part set off by a comma or bracket.
    first: bool,
    /// Directly after a title or another initial, and followed by a name.
    initials: bool,
    /// Between two hyphens, as in `Stockton-on-Tees`.
    hyphenated: bool,
}

fn render(word: &str, cx: Context) -> (String, Kind) {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let has_vowel = word.chars().any(|c| "AEIOUY".contains(c));
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        return (number(word), Kind::Plain);
    }
    if cx.initials
        && !word.contains('\'')
        && lookup(SHORT_FORMS, word).is_none()
        && (letters <= 2 || (letters <= 4 && !has_vowel))
    {
        return (word.to_string(), Kind::Initial);
    }
    if let Some(long) = lookup(EXPANSIONS, word) {
        return (long.to_string(), Kind::Shortened);
    }
    if let Some(short) = lookup(SHORT_FORMS, word) {
        return (short.to_string(), Kind::Shortened);
    }
    if let Some(acronym) = lookup(ACRONYMS, word) {
        return (acronym.to_string(), Kind::Plain);
    }
    if letters == 1 {
        return (word.to_string(), Kind::Initial);
    }
    if letters <= 4 && !has_vowel && !word.contains('\'') && !NAMES_WITHOUT_VOWELS.contains(&word) {
        return (word.to_string(), Kind::Plain);
    }
    let lower = word.to_lowercase();
    if (cx.hyphenated && HYPHEN_WORDS.contains(&lower.as_str()))
        || (!cx.first && SMALL_WORDS.contains(&lower.as_str()))
    {
        return (lower, Kind::Plain);
    }
    (title_case(word), Kind::Plain)
}

/// `1ST` → `1st`, `83A` → `83A`.
fn number(word: &str) -> String {
    if !word.is_ascii() {
        return word.to_string();
    }
    let split = word.len().saturating_sub(2);
    let (digits, suffix) = word.split_at(split);
    let ordinal = matches!(suffix, "ST" | "ND" | "RD" | "TH")
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit());
    if ordinal {
        format!("{digits}{}", suffix.to_lowercase())
    } else {
        word.to_string()
    }
}

/// `MCKENZIE` → `McKenzie`, `O'BRIEN` → `O'Brien`, `JOHN'S` → `John's`.
fn title_case(word: &str) -> String {
    let capital = |part: &str| {
        let mut chars = part.chars();
        match chars.next() {
            Some(first) => first
                .to_uppercase()
                .chain(chars.flat_map(char::to_lowercase))
                .collect(),
            None => String::new(),
        }
    };
    let mut parts = word.split('\'');
    let first = parts.next().unwrap_or("");
    let mut out = match first.strip_prefix("MC") {
        Some(rest) if rest.chars().count() >= 2 => format!("Mc{}", capital(rest)),
        _ => capital(first),
    };
    let one_letter_prefix = first.chars().count() == 1;
    for part in parts {
        out.push('\'');
        if one_letter_prefix && part.chars().count() >= 2 {
            out.push_str(&capital(part));
        } else {
            out.push_str(&part.to_lowercase());
        }
    }
    out
}

/// Words and separators back into text: `, ` after commas (not between
/// digits, as in `5,7`), ` & ` between words, dots dropped after expansions.
fn assemble(toks: &[Token], rendered: &[Option<(String, Kind)>]) -> String {
    let mut out = String::new();
    let is_word = |i: usize| matches!(toks.get(i), Some(Token::Word(_)));
    let digit_at = |i: usize, last: bool| match toks.get(i) {
        Some(Token::Word(w)) => {
            let c = if last {
                w.chars().last()
            } else {
                w.chars().next()
            };
            c.is_some_and(|c| c.is_ascii_digit())
        }
        _ => false,
    };
    let one_letter =
        |i: usize| matches!(toks.get(i), Some(Token::Word(w)) if w.chars().count() == 1);
    for (i, tok) in toks.iter().enumerate() {
        match tok {
            Token::Word(_) => {
                if let Some((text, _)) = &rendered[i] {
                    out.push_str(text);
                }
            }
            Token::Sep('.') => {
                let prev = i.checked_sub(1).and_then(|p| rendered[p].as_ref());
                match prev {
                    Some((_, Kind::Shortened)) => {}
                    Some((text, kind)) => {
                        out.push('.');
                        if is_word(i + 1) && *kind != Kind::Initial && text.chars().count() > 1 {
                            out.push(' ');
                        }
                        continue;
                    }
                    None => out.push('.'),
                }
                if is_word(i + 1) {
                    out.push(' ');
                }
            }
            Token::Sep(',') => {
                let digits = i > 0 && digit_at(i - 1, true) && digit_at(i + 1, false);
                let trimmed = out.trim_end().len();
                out.truncate(trimmed);
                out.push_str(if digits { "," } else { ", " });
            }
            Token::Sep('&') => {
                let tight = i > 0 && one_letter(i - 1) && one_letter(i + 1);
                if tight {
                    out.push('&');
                } else {
                    out.push_str(" & ");
                }
            }
            Token::Sep(c) => out.push(*c),
        }
    }
    // One space between words, none at the ends or inside brackets.
    let mut clean = out.split_whitespace().collect::<Vec<_>>().join(" ");
    for (from, to) in [("( ", "("), (" )", ")"), (" ,", ",")] {
        clean = clean.replace(from, to);
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn reads(raw: &str, expected: &str) {
        assert_eq!(text(raw), expected, "from {raw:?}");
    }

    #[test]
    fn title_cases_and_keeps_small_words_low() {
        reads("THE DENSHAM SURGERY", "The Densham Surgery");
        reads("STOCKTON-ON-TEES", "Stockton-on-Tees");
        reads("STOCKTON ON TEES", "Stockton on Tees");
        reads("NEWCASTLE UPON TYNE", "Newcastle upon Tyne");
        reads("CHAPEL-EN-LE-FRITH", "Chapel-en-le-Frith");
        reads("WESTON-SUPER-MARE", "Weston-super-Mare");
        reads("STOKE-SUB-HAMDON", "Stoke-sub-Hamdon");
        reads("8 THE GREEN", "8 The Green");
        reads(
            "CROFTON AND SHARLSTON MED PRAC",
            "Crofton and Sharlston Medical Practice",
        );
        reads("THORNILEY-WALKER", "Thorniley-Walker");
        reads("ONE MEDICARE LLP-THE LIGHT", "One Medicare LLP-The Light");
    }

    #[test]
    fn expands_only_the_table() {
        // Real rows of epraccur.csv.
        reads("THE MAYFLOWER MED PRACT", "The Mayflower Medical Practice");
        reads(
            "WHITE HOUSE FARM MED CTR",
            "White House Farm Medical Centre",
        );
        reads(
            "GOSFORTH MEMORIAL MED.CTR",
            "Gosforth Memorial Medical Centre",
        );
        reads("SOUTH GRANGE MEDICAL CTR.", "South Grange Medical Centre");
        reads("MONKWEARMOUTH HTH. CTR.", "Monkwearmouth Health Centre");
        reads(
            "THE HLTH CTR, THOROTON ST",
            "The Health Centre, Thoroton St",
        );
        reads("ASKERN RD, BENTLEY", "Askern Road, Bentley");
        reads("THOMPSON AVE, EDLINGTON", "Thompson Avenue, Edlington");
        reads("MILLFIELD LN, EASINGWOLD", "Millfield Lane, Easingwold");
        reads("THE NEW BREWERY LANE SURG", "The New Brewery Lane Surgery");
        reads("HUMSHAUGH & WARK MED GRP", "Humshaugh & Wark Medical Group");
        reads(
            "LITTLE WALTHAM & GT NOTLEY SURGERY",
            "Little Waltham & Great Notley Surgery",
        );
        reads("NR. FILEY", "Near Filey");
        reads("4 ALBION PL, BENNETTHORPE", "4 Albion Place, Bennetthorpe");
    }

    #[test]
    fn keeps_ambiguous_short_forms() {
        reads("25 ST.MARY'S ROAD", "25 St Mary's Road");
        reads("ST. JOHNS GROUP PRACTICE", "St Johns Group Practice");
        reads("ST VINCENT MEDICAL CENTRE", "St Vincent Medical Centre");
        reads("THE SURGERY,HEPSCOTT DR", "The Surgery, Hepscott Dr");
        reads("GREEN STREET GREEN MED CT", "Green Street Green Medical Ct");
    }

    #[test]
    fn keeps_acronyms_and_initials() {
        reads(
            "SUNDERLAND GP ALLIANCE SOUTH HYLTON SURG",
            "Sunderland GP Alliance South Hylton Surgery",
        );
        reads(
            "SHEPPEY NHS HEALTHCARE CENTRE",
            "Sheppey NHS Healthcare Centre",
        );
        reads(
            "DR KUMAR & PTNR - SHOEBURY HC",
            "Dr Kumar & Partner - Shoebury HC",
        );
        reads("DR J SMITH", "Dr J Smith");
        reads("DR ME SHEIKH'S PRACTICE", "Dr ME Sheikh's Practice");
        reads("DR S M CHEN & PARTNER", "Dr S M Chen & Partner");
        reads("DR THM MACKENZIE & PARTNERS", "Dr THM Mackenzie & Partners");
        reads("DR NR PULMAN'S PRACTICE", "Dr NR Pulman's Practice");
        reads("DR GT HENDOW'S PRACTICE", "Dr GT Hendow's Practice");
        reads("DRS LAMBERT & NG", "Drs Lambert & Ng");
        reads("DR. J BARRELL & PARTNERS", "Dr J Barrell & Partners");
        reads("DR. B. K. PRASHARA", "Dr B. K. Prashara");
        reads("J.W. ROBERTS", "J.W. Roberts");
        reads("CHP LTD - BRANSHOLME", "CHP Ltd - Bransholme");
        reads("WESTCOTES GP SURGERY (ONE)", "Westcotes GP Surgery (One)");
        reads(
            "CHISWICK FAMILY DRS PRACTICE",
            "Chiswick Family Drs Practice",
        );
        reads("EAGLE BRIDGE H & W CENTRE", "Eagle Bridge H & W Centre");
        reads("PARKVIEW CTR FOR H&W", "Parkview Centre for H&W");
        reads(
            "OXFORD TCE&RAWLING RD MG",
            "Oxford Terrace & Rawling Road MG",
        );
    }

    #[test]
    fn names_with_prefixes_and_apostrophes() {
        reads("DR MCMURRAY'S PRACTICE", "Dr McMurray's Practice");
        reads("MCKENZIE HOUSE", "McKenzie House");
        reads("MACCLESFIELD", "Macclesfield");
        reads("DR O'CONNELL", "Dr O'Connell");
        reads("ST JOHN'S HEALTH CENTRE", "St John's Health Centre");
        reads("CHILDREN'S CENTRE", "Children's Centre");
    }

    #[test]
    fn numbers_and_punctuation() {
        reads("1ST FL,LOXFORD POLYCLINIC", "1st Floor, Loxford Polyclinic");
        reads("83A THORNE ROAD", "83A Thorne Road");
        reads("UNITS 5,7&8 CRUSADER B PK", "Units 5,7&8 Crusader B Park");
        reads("126-128 HIGH ST,DUNSVILLE", "126-128 High St, Dunsville");
        reads("  SPACED   OUT  ", "Spaced Out");
        reads("", "");
    }
}
