//! `reply check`: a draft public reply, read against the rules.
//!
//! Word lists and patterns find wording; the built-in checks find names,
//! identifiers, words copied from the review, and what a reply should have
//! (thanks, a private route, brevity, the practice's signature). The
//! practice's own name, contact details and complaints lead are never a
//! finding.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::rules::{Builtin, Rule, Rules, Words};
use crate::config::Practice;
use crate::config::rules::national_digits;

/// What the draft is checked against besides the rules.
pub struct Context<'a> {
    pub practice: &'a Practice,
    /// The review being answered.
    pub review: Option<&'a str>,
    /// The reviewer's name as shown on the site.
    pub reviewer: Option<&'a str>,
    /// Phone numbers and email addresses of the national bodies the
    /// practice's documents print (the ombudsman, the advocacy service),
    /// which a reply may give as well as the practice's own.
    pub public: &'a [String],
}

/// One problem in a draft.
#[derive(Debug)]
pub struct Finding<'r> {
    pub rule: &'r Rule,
    /// Byte range in the draft of the words that triggered it.
    pub span: Range<usize>,
}

/// Every finding in `draft`, in order of where it starts. Characters that
/// show nothing (a zero-width space, a soft hyphen) are read as absent, so
/// "943\u{200b}476\u{200b}5919" is the NHS number a reader sees; each
/// finding's span is in `draft` as given.
pub fn check<'r>(rules: &'r Rules, draft: &str, context: &Context<'_>) -> Vec<Finding<'r>> {
    if !draft.chars().any(crate::config::rules::is_invisible) {
        return check_visible(rules, draft, context);
    }
    // Where each byte of the visible text came from, and one past the end.
    let mut visible = String::with_capacity(draft.len());
    let mut from: Vec<usize> = Vec::with_capacity(draft.len() + 1);
    for (at, c) in draft.char_indices() {
        if !crate::config::rules::is_invisible(c) {
            visible.push(c);
            from.extend((0..c.len_utf8()).map(|i| at + i));
        }
    }
    from.push(draft.len());
    let review = context.review.map(|r| {
        r.chars()
            .filter(|c| !crate::config::rules::is_invisible(*c))
            .collect::<String>()
    });
    let context = Context {
        review: review.as_deref(),
        ..*context
    };
    check_visible(rules, &visible, &context)
        .into_iter()
        .map(|finding| {
            let start = from[finding.span.start];
            let end = if finding.span.is_empty() {
                start
            } else {
                from[finding.span.end - 1] + 1
            };
            Finding {
                span: start..end,
                ..finding
            }
        })
        .collect()
}

fn check_visible<'r>(rules: &'r Rules, draft: &str, context: &Context<'_>) -> Vec<Finding<'r>> {
    let own = OwnDetails::of(context.practice, context.public, &rules.words);
    let own_spans = own.spans(draft);
    let own_details_people = own.people.clone();
    let sentences = sentences(draft);
    let mut findings: Vec<Finding<'r>> = Vec::new();
    for rule in &rules.rules {
        let applies = rule.only_if.is_empty()
            || rule
                .only_if
                .iter()
                .any(|p| p.is_match(draft) || context.review.is_some_and(|r| p.is_match(r)));
        if !applies {
            continue;
        }
        let spans = match rule.builtin {
            None => words(rule, rules, draft, &sentences),
            // A name in the signature is an error as anywhere else: it
            // singles out a member of staff. The complaints lead is not.
            Some(Builtin::StaffNames) => names(draft, context, &own, &rule.first_names),
            Some(Builtin::Identifiers) => identifiers(draft, &own, &rule.helplines),
            Some(Builtin::CopiedFromReview) => {
                let mut spans = copied(
                    draft,
                    context.review,
                    rule.words_in_a_row,
                    &rules.words.common,
                );
                spans.extend(review_details(draft, context.review, &own));
                spans.sort_by_key(|s| s.start);
                spans
            }
            Some(Builtin::Thanks) => missing(draft, &THANKS).into_iter().collect(),
            Some(Builtin::PrivateRoute) => {
                let route = own_spans.iter().any(|(_, route)| *route);
                (!route)
                    .then(|| first_sentence(draft, &sentences))
                    .into_iter()
                    .collect()
            }
            Some(Builtin::Length) => too_long(draft, &sentences, rule.max_sentences)
                .into_iter()
                .collect(),
            Some(Builtin::SignOff) => signed_by_person(draft, &own).into_iter().collect(),
        };
        // In order of where they start, so a stretch already reported is
        // one that starts before the furthest end so far.
        let mut spans = spans;
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        let mut reported_to = 0;
        for span in spans {
            // The practice's own details are never a finding, and one rule
            // reports a stretch of text once.
            let word_rule = matches!(
                rule.builtin,
                None | Some(Builtin::Identifiers | Builtin::CopiedFromReview)
            );
            // An NHS number is never the practice's own, even when a
            // config gives a phone number with the same digits.
            let nhs =
                rule.builtin == Some(Builtin::Identifiers) && nhs_number_at(draft, span.clone());
            // The lead's name and role, and the practice's name, are no
            // shelter from a rule's words: a config could otherwise carry a
            // sentence about someone's results as its "name".
            let is_own = !nhs
                && own_spans.iter().any(|(own, route)| {
                    own.start <= span.start
                        && span.end <= own.end
                        && !(word_rule
                            && (!route || own_person(&own_details_people, &draft[own.clone()])))
                });
            let seen = span.start < reported_to;
            let own_matters = !matches!(
                rule.builtin,
                Some(Builtin::Thanks | Builtin::PrivateRoute | Builtin::Length | Builtin::SignOff)
            );
            if (is_own && own_matters) || seen {
                continue;
            }
            reported_to = reported_to.max(span.end);
            findings.push(Finding { rule, span });
        }
    }
    findings.sort_by_key(|f| (f.span.start, f.span.end));
    findings
}

/// The practice's own name, phone numbers, email addresses, web addresses
/// and complaints lead, from the config.
struct OwnDetails<'w> {
    /// Lower-case text that is the practice's own, and whether it is a
    /// private route (a phone, an email, the complaints lead).
    texts: Vec<(String, bool)>,
    /// The complaints lead's name and role: a private route, and never a
    /// name finding, but no shelter for what a rule's words find ("lead
    /// role" set to a sentence about someone's test results).
    people: Vec<String>,
    /// Phone numbers as digits (`+44` read as `0`): the practice's, and
    /// the bodies' its documents name (commissioner, advocacy, LMC,
    /// defence organisations), which a reply may also give.
    phones: Vec<String>,
    emails: Vec<String>,
    lead_name: Option<String>,
    /// Words of the practice's name, role and the like, which a signature
    /// may hold without naming a person.
    signature_words: HashSet<String>,
    /// The rules' words that tell a name from other words.
    words: &'w Words,
}

impl<'w> OwnDetails<'w> {
    fn of(practice: &Practice, public: &[String], words: &'w Words) -> OwnDetails<'w> {
        let c = &practice.config;
        let mut texts: Vec<(String, bool)> = vec![(c.practice.name.clone(), false)];
        let phones: Vec<&str> = [
            Some(c.practice.phone.as_str()),
            c.complaints.phone.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        let emails: Vec<&str> = [c.practice.email.as_deref(), c.complaints.email.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        // Other bodies the practice's documents name: a reply may point to them.
        let commissioner = (
            c.commissioner.phone.as_deref(),
            c.commissioner.email.as_deref(),
        );
        let others: Vec<(Option<&str>, Option<&str>)> = [commissioner]
            .into_iter()
            .chain(
                c.advocacy
                    .iter()
                    .chain(&c.lmc)
                    .chain(&c.defence_organisations)
                    .map(|o| (o.phone.as_deref(), o.email.as_deref())),
            )
            .collect();
        texts.extend(phones.iter().map(|p| (p.to_string(), true)));
        texts.extend(emails.iter().map(|e| (e.to_string(), true)));
        for url in [&c.practice.website, &c.practice.complaints_page]
            .into_iter()
            .flatten()
        {
            let bare = url
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .trim_end_matches('/');
            texts.push((url.clone(), true));
            texts.push((bare.to_string(), true));
        }
        let people: Vec<String> = c
            .complaints
            .lead_name
            .iter()
            .chain([&c.complaints.lead_role])
            .filter(|t| !t.trim().is_empty())
            .map(|t| t.to_lowercase())
            .collect();
        texts.extend(people.iter().map(|p| (p.clone(), true)));
        let signature_words = [c.practice.name.as_str(), c.complaints.lead_role.as_str()]
            .iter()
            .flat_map(|t| t.split(|ch: char| !ch.is_alphanumeric()))
            .chain(words.signature.iter().map(String::as_str))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        OwnDetails {
            people,
            texts: texts
                .into_iter()
                .filter(|(t, _)| !t.trim().is_empty())
                .map(|(t, route)| (t.to_lowercase(), route))
                .collect(),
            phones: phones
                .iter()
                .copied()
                .chain(others.iter().filter_map(|c| c.0))
                .chain(
                    public
                        .iter()
                        .map(String::as_str)
                        .filter(|p| !p.contains('@')),
                )
                .map(national_digits)
                .collect(),
            emails: emails
                .iter()
                .copied()
                .chain(others.iter().filter_map(|c| c.1))
                .chain(
                    public
                        .iter()
                        .map(String::as_str)
                        .filter(|e| e.contains('@')),
                )
                .map(str::to_lowercase)
                .collect(),
            lead_name: c.complaints.lead_name.clone(),
            signature_words,
            words,
        }
    }

    /// True when `name` is the complaints lead's: the lead's name or a run
    /// of its words ("Jane Smith" of "Dr Jane Smith"), or its first or last
    /// word alone ("Jane", "Smith"). Other names made of its words ("Jane
    /// Doe", or "Tom Jones" of a lead called "Sarah Tom Daz Jones") are
    /// other people.
    fn is_lead(&self, name: &str) -> bool {
        let words = |text: &str| -> Vec<String> {
            text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’' && c != '-')
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .filter(|w| !self.is_title(w.trim_end_matches('.')))
                .collect()
        };
        let lead = words(self.lead_name.as_deref().unwrap_or(""));
        let name = words(name);
        match name.as_slice() {
            [] => false,
            [one] => lead.first() == Some(one) || lead.last() == Some(one),
            _ => lead.windows(name.len()).any(|run| run == name.as_slice()),
        }
    }

    /// True when `word` is one of the words of the lead's name.
    fn is_lead_word(&self, word: &str) -> bool {
        let word = word.to_lowercase();
        self.lead_name
            .as_deref()
            .unwrap_or("")
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’' && c != '-')
            .any(|w| w.to_lowercase() == word && !self.is_title(&word))
    }

    /// True when `word`, in lower case, is a title: "dr", "mrs".
    fn is_title(&self, word: &str) -> bool {
        self.words.titles.iter().any(|t| t == word)
    }

    /// Where the practice's own details stand in `draft`, in any case.
    fn spans(&self, draft: &str) -> Vec<(Range<usize>, bool)> {
        let mut spans = Vec::new();
        for (text, route) in &self.texts {
            let pattern = format!("(?i){}", regex::escape(text));
            if let Ok(re) = Regex::new(&pattern) {
                spans.extend(re.find_iter(draft).map(|m| (m.range(), *route)));
            }
        }
        // Phone numbers written with other spacing, or other digits.
        for (range, number) in phone_numbers(draft) {
            if self.phones.contains(&number) {
                spans.push((range, true));
            }
        }
        spans
    }
}

/// Whether `text` is the complaints lead's name or role.
fn own_person(people: &[String], text: &str) -> bool {
    people.iter().any(|p| p.eq_ignore_ascii_case(text))
}

/// A UK phone number: from 0, +44, (+44) or 0044, its digits grouped by
/// spaces, dashes, slashes, underscores or brackets (with spaces round
/// them too: "07700 - 900 - 123"), or one by one; or a number from
/// another country, from + and its code ("+353 87 123 4567").
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\(?(?:\+|\b00)44\)?[\s/_-]?(?:\(0\)[\s/_-]?)?|\(0|\b0\s?)\d(?:[\s)/_-]{0,3}\d){8,9}\b|\(?\+\d{1,3}\)?[\s/_-]?\d(?:[\s)/_-]{0,3}\d){6,12}\b",
    )
    .expect("valid")
});
static NAMED_NHS_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)nhs (?:no\.?|num|number)\W*(?:is\W*)?$").expect("valid"));
/// A rule's words that belong to the reader: "your HIV", "your cancer
/// diagnosis", "you’re 28 weeks pregnant". No sentence of general
/// information shelters them, whatever else it says.
static READERS_OWN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:your|you(?:[’']re| are| were)|you(?:[’']ve| have) (?:been|had|got))\s+(?:[\w’'-]+\s+){0,2}$")
        .expect("valid")
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    // Letters of any script, and the full-width and small at signs.
    Regex::new(r"[\p{L}\p{M}\p{N}._%+-]+[@＠﹫][\p{L}\p{M}\p{N}-]+(?:[.．。][\p{L}\p{M}\p{N}-]+)+")
        .expect("valid")
});
static THANKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:thank|thanks|thankyou|grateful|appreciate|appreciated|sorry|apologi[sz]e)\b",
    )
    .expect("valid")
});
static ROLE_THEN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?i:receptionist|nurse|doctor|gp|practice manager|manager|pharmacist|colleague|paramedic|physio|secretary|administrator|care navigator),?\s+(\p{Lu}[\p{Ll}\p{M}'’-]+)")
        .expect("valid")
});
static ROLE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\p{Lu}[\p{Ll}\p{M}'’-]+),? (?:on reception|at reception|on the desk|on the phones?|(?:our|the|a) (?:receptionist|nurse|doctor|gp|pharmacist|practice manager|manager|colleague|paramedic|physio|healthcare assistant|care navigator|secretary|administrator))\b")
        .expect("valid")
});
static REVIEW_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:\b(?:called|named|receptionist|nurse|doctor|gp|manager|pharmacist|lady|man|woman|girl|guy)\s+)(\p{Lu}[\p{Ll}\p{M}'’-]+)")
        .expect("valid")
});
static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:with\s+)?(?:(?:kind|best|warm|warmest|many|all\s+the)\s+)?(?:regards|wishes|thanks|sincerely|yours sincerely|yours faithfully|from|best)\b[,:]?\s*").expect("valid")
});

/// A name the reply speaks to, with up to two more names after it: "Cheers
/// Daz!", "Thanks, Bev x", "Dear José García,", "Hi there Kemi
/// O'Neill-Adebayo", "Dear Seán Ó Murchú", "THANK YOU SO MUCH MARY JONES!".
/// A name is a capital, then letters (capitals among them: "MacDonald",
/// "O'Neill", "Jia-Hui") ending in a small one, or a word in capitals.
static VOCATIVE: LazyLock<Regex> = LazyLock::new(|| {
    const NAME: &str = r"(?:\p{Lu}(?:[\p{L}\p{M}'’-]*[\p{Ll}\p{M}])?|\p{Lu}{2,}(?:['’-]\p{Lu}+)*)";
    const PARTICLE: &str = r"(?:ap|ab|Ó|Ní|Nic|Mac|Mc|de|del|van|von|da|di|le|la|bin|binti|al|el)";
    // Greetings may run together: "Thank you, Dear Derek Smith".
    const GREETING: &str = r"(?i:(?:many )?thanks|thank you|cheers|ta|hi|hiya|hello|hey|dear|(?:good )?morning|welcome|aww|bless you|take care|love)";
    Regex::new(&format!(
        r"(?m)\b{GREETING}(?:(?:\s*,?\s+|\s+and\s+){GREETING})*(?i:\s+(?:there|again|so much|very much))?\s*,?\s+({NAME}(?:\s+(?:{PARTICLE}\s+)?{NAME}){{0,2}})(?:\s*[,!.?:;)]|\s*$|\s+(?i:for|so|and|we|x+)\b|\s+[^\w\s])"
    ))
    .expect("valid")
});

/// A capitalised word straight after another: a surname after a first name.
static FOLLOWING_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ (\p{Lu}[\p{Ll}\p{M}'’-]+)\b").expect("valid"));

static WORD_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\p{Lu}[\p{Ll}\p{M}'’-]+\b").expect("valid"));

/// "emma" → "Emma".
fn titlecase(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect()
    })
}

/// The phone numbers in `draft`, each with its digits (`+44` read as a
/// leading `0`), written in any script's digits ("٠٧٧٠٠", "𝟎𝟕𝟕𝟎𝟎",
/// full-width "０７７００"), with full-width brackets and plus signs, any
/// kind of dash, and invisible zero-width characters between them.
fn phone_numbers(draft: &str) -> Vec<(Range<usize>, String)> {
    use unicode_normalization::UnicodeNormalization as _;
    // The draft as the pattern reads it, and for each of its bytes (and
    // its end) the offset in the draft it came from.
    let mut plain = String::with_capacity(draft.len());
    let mut from = Vec::with_capacity(draft.len() + 1);
    for (at, c) in draft.char_indices() {
        let shown = if let Some(value) = digit_value(c) {
            char::from_digit(value, 10)
        } else if matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}') {
            None
        } else if c.is_ascii() {
            Some(c)
        } else if matches!(
            c,
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}'
        ) {
            Some('-')
        } else {
            let mut compatible = std::iter::once(c).nfkc();
            match (compatible.next(), compatible.next()) {
                (Some(plain @ ('(' | ')' | '+')), None) => Some(plain),
                _ => Some(c),
            }
        };
        if let Some(shown) = shown {
            plain.push(shown);
            from.extend(std::iter::repeat_n(at, shown.len_utf8()));
        }
    }
    from.push(draft.len());
    PHONE
        .find_iter(&plain)
        .map(|found| {
            (
                from[found.start()]..from[found.end()],
                national_digits(found.as_str()),
            )
        })
        .collect()
}

/// A decimal digit's value, in any script's digits (Unicode's decimal
/// digits: Arabic-Indic, Devanagari, Thai, Khmer, Tibetan, Myanmar, Tamil,
/// full-width, mathematical "𝟗" and the rest), or a character that stands
/// for one (superscript "²", circled "⑨").
fn digit_value(c: char) -> Option<u32> {
    use unicode_normalization::UnicodeNormalization as _;
    static DECIMAL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{Nd}$").expect("valid"));
    let decimal = |c: char| DECIMAL.is_match(c.encode_utf8(&mut [0; 4]));
    if c.is_ascii() {
        return c.to_digit(10);
    }
    if decimal(c) {
        // Unicode keeps each script's digits together, 0 to 9 in order, so
        // a digit's value is its distance from the start of its run.
        let mut start = c as u32;
        while let Some(before) = start.checked_sub(1).and_then(char::from_u32)
            && decimal(before)
        {
            start -= 1;
        }
        return Some((c as u32 - start) % 10);
    }
    let mut compatible = std::iter::once(c).nfkc();
    match (compatible.next(), compatible.next()) {
        (Some(digit @ '0'..='9'), None) => digit.to_digit(10),
        _ => None,
    }
}

/// Characters that may stand between the groups of an NHS number's
/// digits: anything but a letter or a digit, so spaces of every kind,
/// dashes, dots, commas, slashes and brackets in every script and width,
/// and the marks that dress a digit (the keycap "9️⃣").
fn is_digit_separator(c: char) -> bool {
    !c.is_alphanumeric() && digit_value(c).is_none()
}

/// The separators between groups as a reader compares them: each
/// character as its plain form ("－" as "-"), brackets left out, any run
/// of spaces one space.
fn separator_shape(separator: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let mut shape = String::new();
    for c in separator.nfkc() {
        if matches!(c, '(' | ')' | '[' | ']' | '{' | '}') {
            continue;
        }
        if c.is_whitespace() {
            if !shape.ends_with(' ') {
                shape.push(' ');
            }
        } else {
            shape.push(c);
        }
    }
    shape
}

/// Every stretch of the draft that holds ten digits an NHS number could
/// be, however they are grouped or separated: groups of digits (in any
/// script) with up to three separators between them. A stretch is the
/// whole of such a run of groups, or, inside a longer run ("10.30,
/// 943 476 5919"), groups whose separators are all alike.
fn ten_digit_stretches(draft: &str) -> Vec<Range<usize>> {
    // Groups of digits: (range, digits), and the separator before each.
    let mut runs: Vec<Vec<(Range<usize>, usize, String)>> = Vec::new();
    let mut run: Vec<(Range<usize>, usize, String)> = Vec::new();
    let mut separator = String::new();
    let mut group: Option<(Range<usize>, usize)> = None;
    for (at, c) in draft.char_indices() {
        let end = at + c.len_utf8();
        if digit_value(c).is_some() {
            group = Some(match group.take() {
                Some((range, n)) => (range.start..end, n + 1),
                None => (at..end, 1),
            });
            continue;
        }
        if let Some((range, n)) = group.take() {
            run.push((range, n, std::mem::take(&mut separator)));
        }
        if is_digit_separator(c) && separator.chars().count() < 3 && !run.is_empty() {
            separator.push(c);
        } else {
            separator.clear();
            runs.push(std::mem::take(&mut run));
        }
    }
    if let Some((range, n)) = group {
        run.push((range, n, separator));
    }
    runs.push(run);
    let mut stretches = Vec::new();
    for run in runs.iter().filter(|r| !r.is_empty()) {
        for first in 0..run.len() {
            let mut digits = 0;
            for last in first..run.len() {
                digits += run[last].1;
                if digits > 10 {
                    break;
                }
                if digits < 10 {
                    continue;
                }
                let whole = first == 0 && last == run.len() - 1;
                let shapes: Vec<String> = run[first + 1..=last]
                    .iter()
                    .map(|(_, _, s)| separator_shape(s))
                    .collect();
                if whole || shapes.windows(2).all(|pair| pair[0] == pair[1]) {
                    stretches.push(run[first].0.start..run[last].0.end);
                }
            }
        }
    }
    stretches
}

/// The digits of `text` when there are exactly ten, as an NHS number has.
fn nhs_digits(text: &str) -> Option<Vec<u32>> {
    let digits: Vec<u32> = text.chars().filter_map(digit_value).collect();
    (digits.len() == 10).then_some(digits)
}

/// True for a 10-digit NHS number whose last digit is its Modulus 11 check
/// digit (NHS Data Dictionary: weights 10 to 2; 11 → 0; 10 → never issued).
pub fn is_nhs_number(text: &str) -> bool {
    let Some(digits) = nhs_digits(text) else {
        return false;
    };
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(d, w)| d * w)
        .sum();
    match 11 - sum % 11 {
        11 => digits[9] == 0,
        10 => false,
        check => digits[9] == check,
    }
}

/// The sentences of a text, as byte ranges: ended by `.`, `!` or `?` and a
/// space, or by a line break.
fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let end_of_sentence = matches!(b, b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace());
        if end_of_sentence || b == b'\n' {
            let end = if b == b'\n' { i } else { i + 1 };
            if !text[start..end].trim().is_empty() {
                out.push(trimmed(text, start..end));
            }
            start = i + 1;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(trimmed(text, start..text.len()));
    }
    out
}

fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.end - (slice.len() - slice.trim_end().len());
    start..end
}

fn first_sentence(text: &str, sentences: &[Range<usize>]) -> Range<usize> {
    sentences.first().cloned().unwrap_or(0..text.len())
}

/// Matches of a rule's words and patterns; with `general_ok`, not those in
/// a sentence of general information that is not about the reader.
fn words(rule: &Rule, rules: &Rules, draft: &str, sentences: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    // Whether each sentence is general information, worked out once.
    let mut general_sentence: std::collections::HashMap<usize, bool> =
        std::collections::HashMap::new();
    for matcher in &rule.matchers {
        // The next search starts where the words found end, not where the
        // match does: a word list's pattern takes the character after a
        // word, which may be the one before the next ("scan x-ray").
        let mut at = 0;
        while let Some(captures) = matcher.captures_at(draft, at) {
            let found = captures
                .get(1)
                .unwrap_or_else(|| captures.get(0).expect("a match"));
            if found.is_empty() {
                // Step one character past it, or stop at the end.
                match draft[found.start()..].chars().next() {
                    Some(c) => at = found.start() + c.len_utf8(),
                    None => break,
                }
                continue;
            }
            at = found.end();
            // "Please do not post your date of birth" asks for nothing.
            let before = &draft[..found.start()];
            let mut from = before.len().saturating_sub(40);
            while !before.is_char_boundary(from) {
                from += 1;
            }
            let before = &before[from..];
            if rule.not_after.iter().any(|p| p.is_match(before))
                || rule
                    .except
                    .iter()
                    .any(|p| p.is_match(&draft[found.start()..]))
            {
                continue;
            }
            if rule.general_ok && !READERS_OWN.is_match(before) {
                let index = sentences
                    .iter()
                    .position(|s| s.start <= found.start() && found.start() < s.end);
                let general = *general_sentence
                    .entry(index.unwrap_or(usize::MAX))
                    .or_insert_with(|| {
                        let sentence = index.map_or(draft, |i| &draft[sentences[i].clone()]);
                        // "You can order…" is general; the "you" in it does not
                        // make the sentence about the reader.
                        let mut rest = sentence.to_string();
                        let mut general = false;
                        for pattern in &rules.general {
                            if pattern.is_match(&rest) {
                                general = true;
                                rest = pattern.replace_all(&rest, " ").into_owned();
                            }
                        }
                        general && !rules.personal.iter().any(|p| p.is_match(&rest))
                    });
                if general {
                    continue;
                }
            }
            spans.push(found.range());
        }
    }
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    spans
}

/// People's names: titled names and names with a role in the draft, and
/// the reviewer's name or names from the review wherever they appear. The
/// complaints lead from the config is not a finding.
fn names(
    draft: &str,
    context: &Context<'_>,
    own: &OwnDetails,
    first_names: &[String],
) -> Vec<Range<usize>> {
    let is_lead = |name: &str| own.is_lead(name);
    let not_names = &own.words.not_names;
    let titled_name = &own.words.titled_name;
    let not_a_name =
        |word: &str| not_names.contains(word) || own.signature_words.contains(&word.to_lowercase());
    let mut spans: Vec<Range<usize>> = Vec::new();
    for pattern in [titled_name, &*ROLE_NAME, &*ROLE_THEN_NAME, &*VOCATIVE] {
        for captures in pattern.captures_iter(draft) {
            let (whole, name) = (
                captures.get(0).expect("match"),
                captures.get(1).expect("group"),
            );
            let first = name.as_str().split_whitespace().next().unwrap_or("");
            // A title, or speaking to someone, makes a person of a word of
            // the practice's own name ("Mr Thorne" or "Dear Thorne" of
            // Thorne Moor Surgery, "Dr McKenzie" of Dr J McKenzie &
            // Partners): only words that are never names are passed over
            // then. The practice's name in full is its own.
            let titled = std::ptr::eq(pattern, titled_name) || std::ptr::eq(pattern, &*VOCATIVE);
            // Words spoken to that are not a person's name ("Dear Valued
            // Patient", "Thanks Monday Team", "Hello Google Maps User")
            // have a word that is never a name, or no detail of anyone's.
            // A word in capitals counts as it would be written in small
            // letters ("DEAR PATIENT").
            let never_a_name = |w: &str| {
                let word = match w.chars().any(char::is_lowercase) {
                    true => std::borrow::Cow::Borrowed(w),
                    false => std::borrow::Cow::Owned(titlecase(w)),
                };
                not_names.contains(w)
                    || not_names.contains(word.as_ref())
                    || own.words.not_details.contains(word.as_ref())
            };
            let spoken_to_all = std::ptr::eq(pattern, &*VOCATIVE)
                && name.as_str().split_whitespace().any(never_a_name);
            let passed_over = if titled {
                not_names.contains(first) || spoken_to_all
            } else {
                not_a_name(first)
            };
            if !is_lead(name.as_str()) && !passed_over {
                // "Cheers Daz!": the name, not the greeting around it.
                let vocative = std::ptr::eq(pattern, &*VOCATIVE);
                spans.push(if vocative {
                    name.range()
                } else {
                    whole.range()
                });
            }
        }
    }
    // Common first names ("Sarah has been spoken to"), and any word of the
    // lead's name: with the capitalised words after it, the whole name is
    // the lead's or someone else's ("Jane Doe", "Mary Ann Williams").
    for word in WORD_START.find_iter(draft) {
        if !first_names.iter().any(|n| n == word.as_str()) && !own.is_lead_word(word.as_str()) {
            continue;
        }
        let mut end = word.end();
        for _ in 0..3 {
            match FOLLOWING_WORD
                .captures(&draft[end..])
                .map(|c| c.get(1).expect("group"))
                .filter(|s| !not_a_name(s.as_str()))
            {
                Some(next) => end += next.end(),
                None => break,
            }
        }
        if !is_lead(&draft[word.start()..end]) {
            spans.push(word.start()..end);
        }
    }
    let mut wanted: Vec<String> = Vec::new();
    if let Some(reviewer) = context.reviewer {
        wanted.push(reviewer.trim().to_string());
        wanted.extend(
            reviewer
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string()),
        );
    }
    if let Some(review) = context.review {
        for pattern in [titled_name, &*REVIEW_NAME, &*ROLE_THEN_NAME] {
            for captures in pattern.captures_iter(review) {
                wanted.push(captures[1].to_string());
            }
        }
    }
    for name in wanted {
        // Short words, words that are not names, and the lead are not looked for.
        let first = titlecase(name.split_whitespace().next().unwrap_or(""));
        if name.chars().count() < 2 || is_lead(&name) || not_a_name(&first) {
            continue;
        }
        // The reviewer's name in any case, but as a name in the draft it
        // starts with a capital ("Thanks, Emma"; never "we hope" for Hope).
        let pattern = format!(r"(?i)\b{}\b", regex::escape(&name));
        if let Ok(re) = Regex::new(&pattern) {
            spans.extend(
                re.find_iter(draft)
                    .filter(|m| m.as_str().chars().next().is_some_and(char::is_uppercase))
                    .map(|m| m.range()),
            );
        }
    }
    spans.sort_by_key(|s| s.start);
    spans
}

/// True when `draft[range]` is an NHS number: ten digits with a valid
/// check digit, or any ten digits called an NHS number.
fn nhs_number_at(draft: &str, range: Range<usize>) -> bool {
    let text = &draft[range.clone()];
    if nhs_digits(text).is_none() {
        return false;
    }
    let mut before = range.start.saturating_sub(24);
    while !draft.is_char_boundary(before) {
        before -= 1;
    }
    is_nhs_number(text) || NAMED_NHS_NUMBER.is_match(&draft[before..range.start])
}

/// NHS numbers, and phone numbers and email addresses that are not the practice's own.
fn identifiers(draft: &str, own: &OwnDetails, helplines: &[String]) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    for stretch in ten_digit_stretches(draft) {
        // Any ten digits called an NHS number are one, valid or not.
        if nhs_number_at(draft, stretch.clone()) {
            spans.push(stretch);
        }
    }
    for (range, number) in phone_numbers(draft) {
        if !own.phones.contains(&number)
            && !helplines.contains(&number)
            && !is_nhs_number(&draft[range.clone()])
        {
            spans.push(range);
        }
    }
    for found in EMAIL.find_iter(draft) {
        if !own.emails.contains(&found.as_str().to_lowercase()) {
            spans.push(found.range());
        }
    }
    for (range, address) in spelled_emails(draft, own.words) {
        if !own.emails.contains(&address) {
            spans.push(range);
        }
    }
    spans.sort_by_key(|s| s.start);
    spans
}

/// E-mail addresses written so that a person, not a mail program, reads
/// them ("sarah.j @ gmail . com", "k.smith [at] outlook [dot] com",
/// "LMORRIS AT BTINTERNET DOT COM"), each with the address it spells.
/// An address is taken as spelled when it has an at sign with spaces
/// round it, an "at" or "dot" in brackets, or a "dot" in words, or when
/// " at " joins a part that is no plain word ("r.bentley", "jw64") or a
/// mail provider to a domain; "visit us at ashfield.nhs.uk" is none of
/// these. The domain must end in a top-level domain people use
/// (`[words] top_level_domains`; the providers are `mail_providers`).
fn spelled_emails(draft: &str, words: &Words) -> Vec<(Range<usize>, String)> {
    const PART: &str = r"[\p{L}\p{N}_%+-]+";
    const DOT: &str = r"(?i:\s*\.\s*|\s*[\[(]\s*dot\s*[\])]\s*|\s+dot\s+)";
    const AT: &str = r"(?i:\s*[@＠﹫]\s*|\s*[\[(]\s*at\s*[\])]\s*|\s+at\s+)";
    static SPELLED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)\b({PART}(?:{DOT}{PART})*)({AT})({PART}(?:{DOT}{PART})+)\b"
        ))
        .expect("valid")
    });
    static DOT_SIGN: LazyLock<Regex> = LazyLock::new(|| Regex::new(DOT).expect("valid"));
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(caps) = SPELLED.captures_at(draft, from) {
        let whole_match = caps.get(0).expect("whole match");
        // A candidate that is no address ("you at sarah.jenkins83") may
        // hide one that starts in its domain: look again from its at sign.
        // (One starting inside its name part would end at the same at
        // sign and be no address either, so each part is read once.)
        from = caps.get(2).expect("the at sign").start();
        let (whole, local, at, domain) = (&caps[0], &caps[1], &caps[2], &caps[3]);
        let labels: Vec<String> = DOT_SIGN.split(domain).map(|l| l.to_lowercase()).collect();
        if !labels
            .last()
            .is_some_and(|l| words.top_level_domains.contains(l))
        {
            continue;
        }
        let local_plain = DOT_SIGN.split(local).collect::<Vec<_>>().join(".");
        let address = format!("{}@{}", local_plain.to_lowercase(), labels.join("."));
        // Written as a mail program would read it: the plain check's.
        if whole.to_lowercase() == address {
            continue;
        }
        let word_at = at.trim().eq_ignore_ascii_case("at");
        // After a bare " at ", a full stop and a space end a sentence
        // ("open at 8 at reception. In the meantime"), not a domain's part.
        let sentence_end = DOT_SIGN
            .find_iter(domain)
            .any(|d| d.as_str().trim() == "." && d.as_str() != ".");
        if word_at && sentence_end {
            continue;
        }
        let in_words = DOT_SIGN.find_iter(whole).any(|d| d.as_str().trim() != ".")
            || (at.trim() != at && !word_at)
            || at.contains(['[', '(']);
        let telling_local = local_plain.contains(|c: char| !c.is_alphabetic());
        let provider = words.mail_providers.contains(&labels[0]);
        if in_words || (word_at && (telling_local || provider)) {
            found.push((whole_match.range(), address));
            from = whole_match.end();
        }
    }
    found
}

/// Runs of `n` or more words that the draft shares with the review.
fn copied(
    draft: &str,
    review: Option<&str>,
    n: usize,
    common: &HashSet<String>,
) -> Vec<Range<usize>> {
    let Some(review) = review else {
        return Vec::new();
    };
    let word = |text: &str| -> Vec<(Range<usize>, String)> {
        // Words joined by underscores ("waited_over_an_hour") are words.
        static WORD: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"[\p{L}\p{M}\p{N}'’]+").expect("valid"));
        WORD.find_iter(text)
            .map(|m| (m.range(), m.as_str().to_lowercase().replace('’', "'")))
            .collect()
    };
    let theirs: Vec<String> = word(review).into_iter().map(|(_, w)| w).collect();
    let grams: HashSet<&[String]> = theirs.windows(n).collect();
    let ours = word(draft);
    let words: Vec<String> = ours.iter().map(|(_, w)| w.clone()).collect();
    let mut spans: Vec<Range<usize>> = Vec::new();
    // A run of only common words ("thank you for taking the time to") is
    // politeness both sides share, not the review's details.
    let telling = |window: &[String]| {
        window
            .iter()
            .filter(|w| !common.contains(w.as_str()))
            .count()
            >= 2
    };
    for (i, window) in words.windows(n).enumerate() {
        if grams.contains(window) && telling(window) {
            let span = ours[i].0.start..ours[i + n - 1].0.end;
            match spans.last_mut() {
                Some(last) if last.end >= ours[i].0.start => last.end = span.end,
                _ => spans.push(span),
            }
        }
    }
    spans
}

/// Details of the review found again in the draft, in any order: names
/// and places (words with a capital that do not start a sentence) and
/// numbers, such as a time or a count of days.
fn review_details(draft: &str, review: Option<&str>, own: &OwnDetails) -> Vec<Range<usize>> {
    static CAPITALISED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b\p{Lu}[\p{Ll}\p{M}'’-]{2,}\b").expect("valid"));
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b\d{1,2}[:.]\d{2}\b|\b\d{2,}\b").expect("valid"));
    let Some(review) = review else {
        return Vec::new();
    };
    let starts_sentence = |text: &str, at: usize| {
        text[..at]
            .trim_end()
            .chars()
            .last()
            .is_none_or(|c| matches!(c, '.' | '!' | '?' | '"' | '“' | ':' | '\n'))
    };
    // A word written in capitals in the draft ("WE HOPE KWAME IS BETTER")
    // is the review's word all the same.
    static IN_CAPITALS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b\p{Lu}[\p{Lu}\p{M}'’-]{2,}\b").expect("valid"));
    let mut details: HashSet<String> = HashSet::new();
    for found in CAPITALISED.find_iter(review) {
        let word = found.as_str();
        if starts_sentence(review, found.start())
            || own.words.not_names.contains(word)
            || own.words.not_details.contains(word)
            || own.signature_words.contains(&word.to_lowercase())
        {
            continue;
        }
        details.insert(word.to_lowercase());
    }
    // A number in another script's digits ("４７", "٤٧") is the same number.
    let ascii = |text: &str| -> String {
        text.chars()
            .map(|c| {
                digit_value(c)
                    .and_then(|d| char::from_digit(d, 10))
                    .unwrap_or(c)
            })
            .collect()
    };
    for found in NUMBER.find_iter(review) {
        details.insert(ascii(found.as_str()));
    }
    let mut spans: Vec<Range<usize>> = CAPITALISED
        .find_iter(draft)
        .chain(IN_CAPITALS.find_iter(draft))
        .chain(NUMBER.find_iter(draft))
        .filter(|found| details.contains(&ascii(&found.as_str().to_lowercase())))
        .map(|found| found.range())
        .collect();
    spans.sort_by_key(|s| s.start);
    spans
}

/// The whole draft's first line, when `pattern` is nowhere in it.
fn missing(draft: &str, pattern: &Regex) -> Option<Range<usize>> {
    if pattern.is_match(draft) {
        return None;
    }
    let line = draft.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let start = draft.find(line).unwrap_or(0);
    Some(start..start + line.len())
}

/// The sentences past `max`, the sign-off not counted.
fn too_long(draft: &str, sentences: &[Range<usize>], max: usize) -> Option<Range<usize>> {
    let body: Vec<&Range<usize>> = sentences
        .iter()
        .filter(|s| !is_sign_off(&draft[(*s).clone()]))
        .collect();
    let first_extra = body.get(max)?;
    Some(first_extra.start..body.last().map_or(first_extra.end, |l| l.end))
}

/// A short last line with no full stop: a signature.
fn is_sign_off(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty() && !line.ends_with(['.', '?', '!']) && line.split_whitespace().count() <= 8
}

/// The signature, when it names a person rather than the practice.
fn signed_by_person(draft: &str, own: &OwnDetails) -> Option<Range<usize>> {
    let lines: Vec<&str> = draft.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.len() < 2 {
        return None;
    }
    // The signature block: the lines after a closing such as "Kind
    // regards," near the end (the rest of its line too), or else the last
    // two lines, as a name is often followed by a role ("Kemi Adebayo /
    // Practice Manager"). Each line of it that names someone is a finding.
    let tail = lines.len().saturating_sub(5);
    let closing = (tail..lines.len())
        .rev()
        .find_map(|i| SIGN_OFF.find(lines[i]).map(|m| (i, &lines[i][m.end()..])));
    let block: Vec<&str> = match closing {
        Some((i, rest)) => std::iter::once(rest)
            .filter(|r| !r.trim().is_empty())
            .chain(lines[i + 1..].iter().copied())
            .collect(),
        // A line ending in a comma is a closing of another wording, not
        // a name.
        None => lines[lines.len() - 2..]
            .iter()
            .copied()
            .filter(|l| !l.trim_end().ends_with(','))
            .collect(),
    };
    let names_someone = |line: &str| {
        let named: Vec<&str> = line
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’' && c != '-')
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .filter(|w| !own.signature_words.contains(&w.to_lowercase()))
            .collect();
        own.words
            .titled_name
            .captures_iter(line)
            .any(|c| !own.is_lead(&c[1]))
            || (!named.is_empty() && !own.is_lead(&named.join(" ")))
    };
    let line = block
        .into_iter()
        .find(|line| is_sign_off(line) && names_someone(line))?;
    let start = draft.rfind(line).unwrap_or(0);
    Some(start..start + line.trim_end().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_addresses_spelled_out_are_read() {
        let rules = Rules::parse(
            include_str!("../../policy-templates/reply-rules.toml"),
            "reply-rules.toml",
        )
        .unwrap();
        let spelled = |draft: &str| -> Vec<String> {
            spelled_emails(draft, &rules.words)
                .into_iter()
                .map(|(_, a)| a)
                .collect()
        };
        for (draft, address) in [
            (
                "sent to you at sarah.j83 @ gmail . com today",
                "sarah.j83@gmail.com",
            ),
            ("k.okafor [at] outlook [dot] com", "k.okafor@outlook.com"),
            ("annie_b (at) outlook (dot) com", "annie_b@outlook.com"),
            ("derek dot smith at gmail dot com", "derek.smith@gmail.com"),
            (
                "LMORRIS1972 AT BTINTERNET DOT COM",
                "lmorris1972@btinternet.com",
            ),
            (
                "write to r.bentley at btinternet.com.",
                "r.bentley@btinternet.com",
            ),
            ("gary at hotmail.co.uk", "gary@hotmail.co.uk"),
        ] {
            assert_eq!(spelled(draft), [address], "{draft}");
        }
        for draft in [
            "email us at complaints.ashfield@nhs.net",
            "visit us at www.ashfieldmedical.nhs.uk",
            "find us at ashfieldmedical.nhs.uk",
            "on the dot of 8am at reception",
            "the wait at reception. Net result: better",
            "ask at reception or at the practice",
            "appointments open at 8 at reception. In the meantime, call us",
        ] {
            assert_eq!(spelled(draft), Vec::<String>::new(), "{draft}");
        }
        // The domain of a candidate that is no address is read again as
        // the name part of the next.
        assert_eq!(
            spelled("write to you at jo.b83 at gmail dot com"),
            ["jo.b83@gmail.com"]
        );
    }

    #[test]
    fn ten_digits_are_found_however_they_are_separated() {
        let found = |draft: &str| -> Vec<String> {
            ten_digit_stretches(draft)
                .into_iter()
                .map(|r| draft[r].to_string())
                .filter(|s| is_nhs_number(s))
                .collect()
        };
        for draft in [
            "943–476–5919",
            "943,476,5919",
            "(943) 476 5919",
            "943\t476\t5919",
            "9 43 47 65 91 9",
            "943 \\ 476 \\ 5919",
            "𝟗𝟒𝟑𝟒𝟕𝟔𝟓𝟗𝟏𝟗",
            "943－476－5919",
            "（943） 476 5919",
            "943⁄476⁄5919",
            "9\u{fe0f}\u{20e3}4\u{fe0f}\u{20e3}3\u{fe0f}\u{20e3} 476 5919",
            "943\u{2800}476\u{2800}5919",
            "943、476、5919",
        ] {
            assert_eq!(found(&format!("Ref {draft}.")).len(), 1, "{draft}");
        }
        // Inside a longer run, the groups whose separators are alike.
        assert_eq!(found("at 10.30, 943 476 5919 today"), ["943 476 5919"]);
        // Separators too many, or words, between the groups part them.
        assert!(found("943 and 476 and 5919").is_empty());
        assert!(found("943    476    5919").is_empty());
    }

    #[test]
    fn nhs_numbers_are_checked_with_their_modulus_11_digit() {
        assert!(is_nhs_number("943 476 5919"));
        assert!(is_nhs_number("９４３４７６５９１９"));
        assert!(is_nhs_number("9434765919"));
        assert!(!is_nhs_number("943 476 5918"));
        assert!(!is_nhs_number("0114 496 0456"));
    }

    /// Every way of writing a number from abroad the README names, with
    /// a dash, slash or underscore after the country code or a "(0)".
    #[test]
    fn phone_numbers_are_found_from_abroad_however_grouped() {
        for draft in [
            "ring 0044 (0)7700 900123 today",
            "ring 0044(0)7700900123 today",
            "ring +44-7700-900123 today",
            "ring (+44)-7700-900123 today",
            "ring +44-(0)-7700-900123 today",
            "ring 0044-7700-900123 today",
            "ring 0044–7700–900123 today",
            "ring 0044/7700/900123 today",
            "ring 0044_7700_900123 today",
            "ring (0044) 7700 900123 today",
            "ring 0 7 7 0 0 9 0 0 1 2 3 today",
        ] {
            let found = phone_numbers(draft);
            assert_eq!(found.len(), 1, "{draft}: {found:?}");
            assert_eq!(found[0].1, "07700900123", "{draft}");
        }
    }

    #[test]
    fn phone_digits_read_plus_44_as_zero() {
        assert_eq!(national_digits("+44 114 496 0456"), "01144960456");
        assert_eq!(national_digits("+44 (0)1302 123456"), "01302123456");
        assert_eq!(national_digits("0114 496 0 456"), "01144960456");
    }

    #[test]
    fn sentences_end_at_stops_and_line_breaks() {
        let text = "Thank you. We are sorry!\n\nThe team at X";
        let found: Vec<&str> = sentences(text).into_iter().map(|s| &text[s]).collect();
        assert_eq!(found, ["Thank you.", "We are sorry!", "The team at X"]);
    }

    /// The example practice and the built-in rules.
    fn example() -> (Practice, Rules) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let practice =
            crate::config::load(&root.join("practice-configs/ashfield-medical-centre.toml"))
                .expect("the example loads");
        let rules = Rules::parse(
            include_str!("../../policy-templates/reply-rules.toml"),
            "reply-rules.toml",
        )
        .unwrap();
        (practice, rules)
    }

    /// Each rule against one draft it must flag and one it must not.
    #[test]
    fn each_rule_flags_its_wording_and_only_that() {
        let (practice, rules) = example();
        let review =
            "The nurse called Tracy kept me waiting two hours in the corridor with no chair.";
        let context = Context {
            practice: &practice,
            review: Some(review),
            reviewer: Some("Emma Clarke"),
            public: &[],
        };
        let ok = "Thank you for your feedback, and we are sorry you are unhappy. Please call our Practice Manager on 0114 496 0457.";
        let cases = [
            (
                "confirms-patient",
                "Thank you for your visit. Please call 0114 496 0457.",
                ok,
            ),
            (
                "clinical-detail",
                "Thank you. Sorry about the wait for your referral letter to the hospital. Please call 0114 496 0457.",
                "Thank you. We offer flu vaccinations every autumn. Please call 0114 496 0457.",
            ),
            (
                "event-time",
                "Thank you. Sorry about Monday's wait on 3 March. Please call 0114 496 0457.",
                "Thank you. We are open from 8am, Monday to Friday. Please call 0114 496 0457.",
            ),
            (
                "names-person",
                "Thank you, Emma. Please call 0114 496 0457.",
                "Thank you. Please call Jane Smith, our Practice Manager, on 0114 496 0457.",
            ),
            (
                "defensive",
                "Thank you. That is not true. Please call 0114 496 0457.",
                ok,
            ),
            (
                "promise-or-threat",
                "Thank you. We guarantee it will be fixed. Please call 0114 496 0457.",
                ok,
            ),
            (
                "asks-details",
                "Thank you. Which nurse did you see? Please call 0114 496 0457.",
                ok,
            ),
            ("identifier", "Thank you. Please call 07700 900123.", ok),
            (
                "repeats-review",
                "Thank you. Sorry you were kept waiting two hours in the corridor with no chair. Please call 0114 496 0457.",
                ok,
            ),
            (
                "no-thanks",
                "We will look into this. Please call 0114 496 0457.",
                "We are sorry to read this. Please call 0114 496 0457.",
            ),
            (
                "no-private-route",
                "Thank you. We are sorry you are unhappy.",
                ok,
            ),
            (
                "too-long",
                "Thank you. One. Two. Three. Four. Five. Please call 0114 496 0457.",
                ok,
            ),
            (
                "signed-by-person",
                "Thank you. Sorry. Please call 0114 496 0457.\n\nBest wishes,\nDr Amir Patel",
                ok,
            ),
            (
                "number-in-words",
                "Thank you. Sorry. Please call 0114 496 0457 or zero seven seven double oh, nine double oh, one two three.",
                ok,
            ),
            (
                "needs-reading",
                "Thank you for your feedback. Good luck with your move. Please call 0114 496 0457.",
                "Thank you for your kind words. Please call 0114 496 0457.",
            ),
        ];
        for (id, flagged, clean) in cases {
            let ids = |draft: &str| -> Vec<String> {
                check(&rules, draft, &context)
                    .iter()
                    .map(|f| f.rule.id.clone())
                    .collect()
            };
            assert!(
                ids(flagged).contains(&id.to_string()),
                "{id} not found in {flagged:?}: {:?}",
                ids(flagged)
            );
            assert!(
                !ids(clean).contains(&id.to_string()),
                "{id} found in {clean:?}"
            );
        }
        assert_eq!(cases.len(), rules.rules.len(), "every rule has a case");
    }

    /// A word list is one pattern that takes the character after a word:
    /// the next word, right after it, is still found.
    #[test]
    fn words_side_by_side_are_each_found() {
        let (practice, rules) = example();
        let context = Context {
            practice: &practice,
            review: None,
            reviewer: None,
            public: &[],
        };
        let draft = "Sorry about the scan x-ray bloods.";
        let clinical: Vec<&str> = check(&rules, draft, &context)
            .iter()
            .filter(|f| f.rule.id == "clinical-detail")
            .map(|f| &draft[f.span.clone()])
            .collect();
        assert_eq!(clinical, ["scan", "x-ray", "bloods"]);
    }

    #[test]
    fn copied_words_are_found_in_runs() {
        let review = "The receptionist on the front desk was rude to my elderly mother today.";
        let draft = "We are sorry the receptionist on the front desk was rude to your mother.";
        let (_, rules) = example();
        let spans = copied(draft, Some(review), 6, &rules.words.common);
        assert_eq!(spans.len(), 1);
        assert_eq!(
            &draft[spans[0].clone()],
            "the receptionist on the front desk was rude to"
        );
    }
}
