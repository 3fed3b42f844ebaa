//! The value checks named by `format` in the config schema.
//!
//! Each check takes the text as written and either accepts it (returning
//! the normalised form where there is one) or says what is wrong and how to
//! fix it. They know nothing of files or spans; [`super::shape`] adds those.

use super::model::KeptKey;
use crate::diagnostics::did_you_mean;

/// What is wrong with a value, and how to put it right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub hint: String,
}

fn problem(message: impl Into<String>, hint: impl Into<String>) -> Problem {
    Problem {
        message: message.into(),
        hint: hint.into(),
    }
}

/// Runs the check a schema `format` names. Unknown formats accept anything.
pub fn check_format(format: &str, value: &str) -> Result<(), Problem> {
    match format {
        "uk-postcode" => normalise_postcode(value).map(drop),
        "uk-phone" => phone_digits(value).map(drop),
        "email" => check_email(value),
        "web-url" => check_web_url(value),
        "ods-code" => check_ods_code(value),
        "slug" => check_slug(value),
        "accent-colour" => check_accent_colour(value).map(drop),
        "relative-path" | "logo-path" => check_relative_path(value),
        "kept-key" => check_kept_key(value).map(drop),
        _ => Ok(()),
    }
}

/// An entry of `keep`: one of the `[practice]` keys that
/// `import epraccur --update` refreshes from ODS.
pub fn check_kept_key(value: &str) -> Result<KeptKey, Problem> {
    if let Some(key) = KeptKey::from_path(value) {
        return Ok(key);
    }
    let allowed: Vec<&str> = KeptKey::ALL.iter().map(|k| k.path()).collect();
    let list = format!(
        "keep may hold {} and {}",
        allowed[..allowed.len() - 1].join(", "),
        allowed[allowed.len() - 1]
    );
    // Close spellings are found on the key alone: every entry shares the
    // `practice.` prefix, which would make `practice.email` look like
    // `practice.name`.
    let field = value.strip_prefix("practice.");
    let hint = if let Some(key) = KeptKey::from_path(&format!("practice.{value}")) {
        format!("write the key with its table: \"{}\"", key.path())
    } else if matches!(field, Some("ods_code" | "nation")) {
        format!(
            "{value} always follows ODS: the code is how import finds the practice's config, and the nation follows from the code; {list}"
        )
    } else if matches!(
        field,
        Some("slug" | "email" | "website" | "complaints_page")
    ) {
        format!("import never changes {value}, so it needs no keep; delete this entry")
    } else if let Some(close) = did_you_mean(
        field.unwrap_or(value),
        KeptKey::ALL.iter().map(|k| k.field()),
    ) {
        format!("did you mean \"practice.{close}\"? {list}")
    } else {
        list
    };
    Err(problem(
        format!("\"{value}\" is not one of the keys keep can hold"),
        hint,
    ))
}

/// Rejects control characters, the invisible bidirectional overrides that
/// can make text read differently from what it says, and the zero-width
/// characters that make two names that look the same differ.
pub fn check_plain_text(value: &str) -> Result<(), Problem> {
    // Printable ASCII (most values) has none of these, and one script.
    if value.bytes().all(|b| matches!(b, b' '..=b'~')) {
        return Ok(());
    }
    check_mixed_scripts(value)?;
    match value.chars().find(|c| {
        c.is_control()
            || ('\u{202a}'..='\u{202e}').contains(c)
            || ('\u{2066}'..='\u{2069}').contains(c)
            || ('\u{200b}'..='\u{200f}').contains(c)
            || is_invisible(*c)
    }) {
        None => Ok(()),
        Some(c) => Err(problem(
            format!(
                "contains the {} character U+{:04X}",
                if c.is_control()
                    || ('\u{202a}'..='\u{202e}').contains(&c)
                    || ('\u{2066}'..='\u{2069}').contains(&c)
                {
                    "control"
                } else {
                    "invisible"
                },
                c as u32
            ),
            match c {
                '\n' | '\r' => {
                    "write each line as its own list item, e.g. address = [\"line 1\", \"line 2\"]"
                }
                '\t' => "replace the tab with a space",
                _ => "delete the invisible character; retyping the value is the easiest way",
            },
        )),
    }
}

/// Characters that show nothing (or nothing in most fonts) yet make two
/// names that look the same differ: Unicode's default-ignorable code
/// points (the soft hyphen, the combining grapheme joiner, zero-width
/// spaces and joiners, direction marks, word joiners and invisible
/// operators, the deprecated format characters U+206A–U+206F, variation
/// selectors, the byte order mark, Hangul fillers, shorthand format
/// controls, musical formatting, tags) and the interlinear annotation
/// marks.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{061c}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fffb}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

/// The script of a letter that can pass for a Latin one: Cyrillic "о"
/// and Greek "ο" look like "o", Armenian "օ" too, Cherokee "Ꭺ" like "A",
/// the click "ǀ" (U+01C0) like "l". Latin letters that no language a
/// practice writes in needs (Latin Extended-B but for Romanian and
/// Vietnamese, Extended-C, -D and -E, full-width forms) count as look-alikes
/// too; Welsh, Gaelic, Irish and the European languages' letters do not.
fn look_alike_script(c: char) -> Option<&'static str> {
    match c {
        '\u{0370}'..='\u{03ff}' | '\u{1f00}'..='\u{1fff}' => Some("Greek"),
        '\u{0400}'..='\u{052f}' | '\u{1c80}'..='\u{1c8f}' => Some("Cyrillic"),
        '\u{0530}'..='\u{058f}' => Some("Armenian"),
        '\u{13a0}'..='\u{13ff}' | '\u{ab70}'..='\u{abbf}' => Some("Cherokee"),
        '\u{a4d0}'..='\u{a4ff}' => Some("Lisu"),
        // Phonetic letters: "ɡ" (U+0261) is not "g".
        '\u{0250}'..='\u{02af}' | '\u{1d00}'..='\u{1dbf}' => Some("phonetic"),
        '\u{ff01}'..='\u{ff5e}' => Some("full-width"),
        // Romanian ș ț, Vietnamese ơ ư.
        '\u{0218}'..='\u{021b}' | '\u{01a0}' | '\u{01a1}' | '\u{01af}' | '\u{01b0}' => None,
        '\u{0180}'..='\u{024f}'
        | '\u{2c60}'..='\u{2c7f}'
        | '\u{a720}'..='\u{a7ff}'
        | '\u{ab30}'..='\u{ab6f}' => Some("rare Latin"),
        _ => None,
    }
}

/// A combining mark (an accent put on the letter before it).
fn is_combining(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036f}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{fe20}'..='\u{fe2f}')
}

/// Refuses a value that mixes Latin letters or digits with letters that
/// can pass for Latin ones: "Thorne Mоor" with a Cyrillic "о" looks like
/// another practice's name but is not, in print, on the index and to a
/// search.
fn check_mixed_scripts(value: &str) -> Result<(), Problem> {
    use unicode_normalization::UnicodeNormalization as _;
    // A letter written as a base and a separate accent ("y" + U+0302) is
    // another string than the "ŷ" it shows: the value must be in the
    // composed form a keyboard types.
    if !unicode_normalization::is_nfc(value) {
        return Err(problem(
            "the value has an accent typed as a separate character, so it differs from the same word typed on a keyboard".to_string(),
            "retype the accented letters (ŵ, ŷ, é) on the keyboard",
        ));
    }
    // A compatibility character that stands for Latin letters or digits
    // ("ﬁ" for "fi", "ℓ", "²"): it reads as them, but is not them.
    if let Some(c) = value.chars().find(|&c| {
        !matches!(c, '\u{a0}' | '\u{202f}')
            && std::iter::once(c).nfkc().ne(std::iter::once(c))
            && std::iter::once(c).nfkc().any(|n| n.is_ascii_alphanumeric())
    }) {
        return Err(problem(
            format!(
                "the value has the character U+{:04X} (\"{c}\"), which stands for \"{}\" but is not it",
                c as u32,
                std::iter::once(c).nfkc().collect::<String>()
            ),
            "retype it with the keyboard's own letters",
        ));
    }
    // More than two accents on one letter is a smear in print, not a word.
    let mut run = 0;
    for c in value.chars() {
        run = if is_combining(c) { run + 1 } else { 0 };
        if run > 2 {
            return Err(problem(
                "the value stacks more than two accents on one letter, which prints as a smudge"
                    .to_string(),
                "retype it; accented letters such as ŵ, ŷ and é are one character each",
            ));
        }
    }
    // The whole value, not word by word: "Dr О'Brien", "A&В", "1а" and
    // "Тһе Оак Surgery" all pass for Latin text.
    let latin = value.chars().any(|c| {
        c.is_ascii_alphanumeric()
            || (('\u{00c0}'..='\u{024f}').contains(&c) && look_alike_script(c).is_none())
    });
    let other = value
        .chars()
        .find_map(|c| look_alike_script(c).map(|script| (c, script)));
    if let (true, Some((c, script))) = (latin, other) {
        let word = value
            .split(char::is_whitespace)
            .find(|w| w.contains(c))
            .unwrap_or(value);
        return Err(problem(
            format!(
                "the word \"{word}\" mixes Latin letters with the {script} letter U+{:04X}, which looks like a Latin one",
                c as u32
            ),
            "retype the word on an English (or Welsh) keyboard",
        ));
    }
    Ok(())
}

/// `dn50aa` → `DN5 0AA`. Accepts the shapes of UK postcodes, and GIR 0AA.
pub fn normalise_postcode(value: &str) -> Result<String, Problem> {
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bad = || {
        problem(
            format!("\"{value}\" is not a UK postcode"),
            "write the full postcode, e.g. \"DN5 0AA\" or \"CF10 1AA\"",
        )
    };
    if compact == "GIR0AA" {
        return Ok("GIR 0AA".into());
    }
    if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
        return Err(bad());
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok = {
        let b = inward.as_bytes();
        b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
    };
    // Outward: A9, A99, AA9, AA99, A9A, AA9A.
    let shape: String = outward
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                '9'
            } else if c.is_ascii_alphabetic() {
                'A'
            } else {
                '?'
            }
        })
        .collect();
    let outward_ok = matches!(
        shape.as_str(),
        "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A"
    );
    if inward_ok && outward_ok {
        Ok(format!("{outward} {inward}"))
    } else {
        Err(bad())
    }
}

/// The national digits of a UK phone number (`01144960456`), from forms such
/// as `0114 496 0456`, `(01302) 123-456` or `+44 (0)1302 123456`.
pub fn phone_digits(value: &str) -> Result<String, Problem> {
    let bad = |why: &str| {
        problem(
            format!("\"{value}\" is not a UK phone number: {why}"),
            "write the number with its area code, e.g. \"0114 496 0456\", \"0306 999 0370\" or \"+44 114 496 0456\"",
        )
    };
    let trimmed = value.trim();
    let (international, rest) = match trimmed.strip_prefix("+44") {
        Some(rest) => (true, rest.trim_start().trim_start_matches("(0)")),
        None => (false, trimmed),
    };
    if let Some(c) = rest
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')')))
    {
        return Err(bad(&format!("'{c}' is not allowed")));
    }
    if international && rest.trim_start().starts_with('0') {
        return Err(bad("after +44 leave out the first 0"));
    }
    let national = national_digits(trimmed);
    if !national.starts_with('0') {
        return Err(bad("UK numbers start with 0 or +44"));
    }
    if !(10..=11).contains(&national.len()) {
        return Err(bad(&format!(
            "it has {} digits, not 10 or 11",
            national.len()
        )));
    }
    Ok(national)
}

/// The digits of a phone number as dialled from within the UK, `+44`,
/// `(+44)` or `0044` (and a `(0)` after it) read as a leading `0`:
/// `+44 (0)114 496 0456` gives
/// `01144960456`. Nothing is checked ([`phone_digits`] checks), so a
/// number found in a reply's text is compared by these too.
pub fn national_digits(value: &str) -> String {
    let value = value.trim_start().trim_start_matches('(');
    let all: String = value.chars().filter(char::is_ascii_digit).collect();
    let abroad = match value.starts_with('+') {
        true => all.strip_prefix("44"),
        false => all.strip_prefix("0044"),
    };
    match abroad {
        Some(rest) => format!("0{}", rest.strip_prefix('0').unwrap_or(rest)),
        None => all,
    }
}

/// `tel:` link for a checked phone number: `tel:+441144960456`.
pub fn tel_uri(value: &str) -> Option<String> {
    phone_digits(value)
        .ok()
        .map(|d| format!("tel:+44{}", &d[1..]))
}

pub fn check_email(value: &str) -> Result<(), Problem> {
    let bad = || {
        problem(
            format!("\"{value}\" is not an e-mail address"),
            "write it as name@example.nhs.net, without spaces or \"mailto:\"",
        )
    };
    let (local, domain) = value.split_once('@').ok_or_else(bad)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(())
    } else {
        Err(bad())
    }
}

/// An absolute http or https address with a host; nothing else becomes a link.
pub fn check_web_url(value: &str) -> Result<(), Problem> {
    let hint = "write the whole address, starting https://, e.g. \"https://www.ashfieldmedical.nhs.uk/complaints\"";
    if value.chars().any(char::is_whitespace) {
        return Err(problem(format!("\"{value}\" contains a space"), hint));
    }
    let url = url::Url::parse(value)
        .map_err(|e| problem(format!("\"{value}\" is not a web address ({e})"), hint))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(problem(
            format!(
                "\"{value}\" is a {}: address; only http and https are allowed",
                url.scheme()
            ),
            hint,
        ));
    }
    // Written as it is read: "https:evil.example" and "https:///evil.example"
    // are taken by browsers, but nobody could check them by reading.
    let after_scheme = value.get(url.scheme().len()..).unwrap_or_default();
    if !after_scheme.starts_with("://") || after_scheme.starts_with(":///") {
        return Err(problem(
            format!(
                "\"{value}\" does not have its website name straight after {}://",
                url.scheme()
            ),
            hint,
        ));
    }
    if value.contains('\\') {
        return Err(problem(
            format!(
                "\"{value}\" has a backslash, which browsers read as /, so it goes somewhere else"
            ),
            hint,
        ));
    }
    // "https://www.nhs.uk@evil.example" goes to evil.example.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(problem(
            format!(
                "\"{value}\" has a name and @ before its website name, so it goes somewhere else"
            ),
            hint,
        ));
    }
    if url.host_str().is_some_and(|h| h.contains('%'))
        || value.split('/').nth(2).is_some_and(|h| h.contains('%'))
    {
        return Err(problem(
            format!("\"{value}\" has % codes in its website name"),
            hint,
        ));
    }
    // A letter from another alphabet that looks like a Latin one sends
    // every printed link to another host: the name must be written as it
    // is looked up (punycode, `xn--`, is shown as such).
    if let Some(host) = url.host_str()
        && host.split('.').any(|label| label.starts_with("xn--"))
        && !value.to_ascii_lowercase().contains("xn--")
    {
        return Err(problem(
            format!("\"{value}\" has a letter that is not plain a–z in its website name ({host})"),
            "retype the website name with the keyboard's own letters; a look-alike letter from another alphabet sends readers to a different site",
        ));
    }
    // Written as people write website names: no dot at the end, no label
    // starting or ending with a hyphen ("https://www.nhs.uk./",
    // "https://-evil.example").
    if let Some(host) = url.host_str()
        && (host.ends_with('.')
            || host
                .split('.')
                .any(|label| label.starts_with('-') || label.ends_with('-')))
    {
        return Err(problem(
            format!(
                "\"{value}\" has a website name ({host}) that is not written as website names are"
            ),
            hint,
        ));
    }
    match url.host() {
        // A name ending in letters, as every website's does: not a number
        // a browser reads as an address (`https://3232235777/`,
        // `https://0x7f000001`), which nobody could check by reading it.
        Some(url::Host::Domain(host))
            if host.contains('.')
                && host
                    .trim_end_matches('.')
                    .rsplit('.')
                    .next()
                    .is_some_and(|tld| {
                        tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
                    }) =>
        {
            Ok(())
        }
        Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)) => Err(problem(
            format!("\"{value}\" is a computer's number, not a website name"),
            hint,
        )),
        _ => Err(problem(format!("\"{value}\" has no website name"), hint)),
    }
}

/// NHS ODS codes are capital letters and digits: `C86099`, `W91016`.
pub fn check_ods_code(value: &str) -> Result<(), Problem> {
    let ok = (3..=8).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && value.chars().any(|c| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(problem(
            format!("\"{value}\" is not an NHS ODS code"),
            "write the code in capitals as ODS gives it, e.g. \"C86099\"; leave ods_code out if you do not know it",
        ))
    }
}

/// Slugs name the output folder: `[a-z0-9-]`, no dots or slashes.
pub fn check_slug(value: &str) -> Result<(), Problem> {
    let ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if ok && value == crate::utils::CHANGES_FOLDER {
        Err(problem(
            format!("\"{value}\" is the name of the output folder's change reports"),
            "give the practice another slug, e.g. slug = \"changes-surgery\"",
        ))
    } else if ok && value == "new" {
        // `/practices/new` is the web app's page for adding a practice.
        Err(problem(
            format!("\"{value}\" is the name of the web app's page for adding a practice"),
            "give the practice another slug, e.g. slug = \"new-surgery\"",
        ))
    } else if ok {
        Ok(())
    } else {
        Err(problem(
            format!("\"{value}\" is not a valid slug"),
            format!(
                "use lower-case letters, digits and hyphens only, e.g. \"{}\"; or leave slug out to derive it from the name",
                slugify(value).unwrap_or_else(|| "ashfield-medical-centre".into())
            ),
        ))
    }
}

/// A slug from a practice name: `St John's & Woodlands` → `st-johns-woodlands`.
/// None when the name has no letters or digits to make one from.
pub fn slugify(name: &str) -> Option<String> {
    let mut slug = String::new();
    let mut gap = false;
    for c in name.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '’' {
            gap = true;
        }
    }
    slug.truncate(80);
    let slug = slug.trim_end_matches('-').to_string();
    (!slug.is_empty()).then_some(slug)
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ŵ' | 'Ŵ' => 'w',
        'ŷ' | 'ý' | 'ÿ' | 'Ŷ' | 'Ý' => 'y',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        'ł' | 'Ł' => 'l',
        other => other,
    }
}

/// `#005EB8` → its red, green and blue, when it reaches 4.5:1 against white.
pub fn check_accent_colour(value: &str) -> Result<[u8; 3], Problem> {
    let rgb = parse_hex_colour(value).ok_or_else(|| {
        problem(
            format!("\"{value}\" is not a colour"),
            "write it as # and six hex digits, e.g. \"#005EB8\" (NHS blue)",
        )
    })?;
    let ratio = contrast_with_white(rgb);
    if ratio < 4.5 {
        return Err(problem(
            format!(
                "\"{value}\" has a contrast of {ratio:.2}:1 against white; text in it would be hard to read"
            ),
            "choose a darker colour that reaches 4.5:1, e.g. \"#005EB8\" (NHS blue) or \"#330072\" (NHS purple)",
        ));
    }
    Ok(rgb)
}

pub fn parse_hex_colour(value: &str) -> Option<[u8; 3]> {
    let hex = value.strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// WCAG 2 contrast ratio of a colour against white.
pub fn contrast_with_white(rgb: [u8; 3]) -> f64 {
    let channel = |v: u8| {
        let c = f64::from(v) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
    1.05 / (luminance + 0.05)
}

fn check_relative_path(value: &str) -> Result<(), Problem> {
    if value.trim().is_empty() {
        return Err(problem(
            "the path is empty",
            "write a file name such as \"_lmc.toml\", or leave the key out",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_postcode_case_and_spacing() {
        assert_eq!(normalise_postcode("dn50aa").unwrap(), "DN5 0AA");
        assert_eq!(normalise_postcode(" CF10  1AA ").unwrap(), "CF10 1AA");
        assert_eq!(normalise_postcode("ec1a 1bb").unwrap(), "EC1A 1BB");
        assert_eq!(normalise_postcode("BT1 5GS").unwrap(), "BT1 5GS");
    }

    #[test]
    fn rejects_postcode_of_wrong_shape() {
        for bad in ["DN5", "12345", "DN5 0A1", "DNNN 0AA", "DN5-0AA", "ÄN5 0AA"] {
            assert!(normalise_postcode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn keep_holds_only_the_keys_import_refreshes() {
        for key in KeptKey::ALL {
            assert_eq!(check_kept_key(key.path()), Ok(key));
        }
        let hint = |value: &str| check_kept_key(value).unwrap_err().hint;
        assert!(hint("practice.phon").starts_with("did you mean \"practice.phone\"?"));
        assert!(hint("phone").contains("\"practice.phone\""));
        assert!(hint("practice.ods_code").contains("always follows ODS"));
        assert!(hint("practice.email").contains("needs no keep"));
        assert!(!hint("practice.emial").contains("did you mean"));
        let problem = check_kept_key("complaints.phone").unwrap_err();
        assert_eq!(
            problem.message,
            "\"complaints.phone\" is not one of the keys keep can hold"
        );
        assert!(
            problem.hint.contains("practice.address"),
            "{}",
            problem.hint
        );
    }

    #[test]
    fn accepts_uk_phone_forms() {
        assert_eq!(phone_digits("0114 496 0456").unwrap(), "01144960456");
        assert_eq!(phone_digits("(01302) 123-456").unwrap(), "01302123456");
        assert_eq!(phone_digits("+44 (0)1302 123456").unwrap(), "01302123456");
        assert_eq!(phone_digits("+44 300 456 2370").unwrap(), "03004562370");
        assert_eq!(phone_digits("0800 123456").unwrap(), "0800123456");
        assert_eq!(tel_uri("0345 015 4033").unwrap(), "tel:+443450154033");
    }

    #[test]
    fn rejects_phone_with_wrong_digits_or_letters() {
        assert!(phone_digits("01302 1234").is_err());
        assert!(phone_digits("0114 496 04567").is_err());
        assert!(phone_digits("1302 123456").is_err());
        assert!(phone_digits("+44 0114 496 0456").is_err());
        assert!(phone_digits("0800 FLOWERS").is_err());
        assert!(phone_digits("+1 212 555 0100").is_err());
    }

    #[test]
    fn checks_email_shape() {
        assert!(check_email("ashfield.practice@nhs.net").is_ok());
        assert!(check_email("a+b@x.co.uk").is_ok());
        for bad in [
            "nhs.net",
            "a@b",
            "a @nhs.net",
            "mailto:a@nhs.net",
            "a@-x.com",
            "a..b@nhs.net",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn web_url_must_be_http_or_https() {
        assert!(check_web_url("https://www.ashfieldmedical.nhs.uk/complaints").is_ok());
        assert!(check_web_url("http://example.org").is_ok());
        assert!(check_web_url("https://xn--bcher-kva.example").is_ok());
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<b>x</b>",
            "ftp://example.org",
            "www.example.org",
            "https://",
            "https://exa mple.org",
            // A Cyrillic "а" in "ashfield".
            "https://www.\u{430}shfieldmedical.nhs.uk",
            "https://www.nhs.uk@evil.example/complaints",
            "https://evil.example\\@nhs.uk/",
            "https://evil%2eexample/",
            // Numbers a browser reads as addresses.
            "https://3232235777/",
            "https://0x7f000001",
            "https://192.168.1.1/complaints",
            "https://[::1]/",
            "https://localhost/",
            // Not written as browsers read them.
            "https:evil.example.com",
            "https:///evil.example.com",
            "https:\\\\evil.example.com",
            "https://www.nhs.uk./",
            "https://-evil.example.com",
        ] {
            assert!(check_web_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ods_code_is_capitals_and_digits() {
        assert!(check_ods_code("C86099").is_ok());
        assert!(check_ods_code("W91016").is_ok());
        assert!(check_ods_code("c86099").is_err());
        assert!(check_ods_code("C86-99").is_err());
        assert!(check_ods_code("ABCDEF").is_err());
    }

    #[test]
    fn slug_refuses_dots_and_separators() {
        assert!(check_slug("ashfield-medical-centre").is_ok());
        for bad in [
            "../etc", "a/b", "a.b", "Ashfield", "-a", "a-", "a_b", "", "changes", "new",
        ] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugify_folds_accents_and_drops_punctuation() {
        assert_eq!(
            slugify("St John's & Woodlands *Star* Surgery #1").unwrap(),
            "st-johns-woodlands-star-surgery-1"
        );
        assert_eq!(slugify("Meddygfa Tŷ Gwyn").unwrap(), "meddygfa-ty-gwyn");
        assert_eq!(slugify("***"), None);
    }

    #[test]
    fn accent_colour_needs_contrast_with_white() {
        assert_eq!(check_accent_colour("#005EB8").unwrap(), [0x00, 0x5e, 0xb8]);
        // The default every renderer falls back on is one.
        assert_eq!(
            check_accent_colour(crate::config::DEFAULT_ACCENT).unwrap(),
            [0x00, 0x5e, 0xb8]
        );
        assert!(check_accent_colour("#FFB81C").is_err());
        assert!(check_accent_colour("#41B6E6").is_err());
        assert!(check_accent_colour("005EB8").is_err());
        assert!(check_accent_colour("#05EB8").is_err());
        assert!((contrast_with_white([0, 0, 0]) - 21.0).abs() < 0.01);
    }

    #[test]
    fn plain_text_rejects_controls_and_bidi_overrides() {
        assert!(check_plain_text("Zoë O'Brien-Núñez {{ 7*7 }}").is_ok());
        assert!(check_plain_text("a\nb").is_err());
        assert!(check_plain_text("a\u{7}b").is_err());
        assert!(check_plain_text("a\u{202e}b").is_err());
        assert!(check_plain_text("Thorne\u{200b} Moor").is_err());
        assert!(check_plain_text("\u{feff}Thorne").is_err());
    }
}
