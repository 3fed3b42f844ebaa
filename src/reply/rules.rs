//! The rules of `reply check`, read from `policy-templates/reply-rules.toml`
//! (overridable with `--templates`) and compiled once.

use std::collections::HashSet;

use anyhow::{Context as _, anyhow, bail};
use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::diagnostics::Severity;
use crate::utils::source::Cites;
pub use crate::utils::source::Source;

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    general: Vec<String>,
    #[serde(default)]
    personal: Vec<String>,
    #[serde(default)]
    rule: Vec<RuleFile>,
    sources: Vec<Source>,
    #[serde(default)]
    escalate: Vec<EscalateFile>,
    unclear: EscalateFile,
    classify: ClassifyFile,
    /// The built-in file's; an override's is not read.
    words: Option<WordsFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WordsFile {
    titles: Vec<String>,
    signature: Vec<String>,
    not_names: Vec<String>,
    not_details: Vec<String>,
    common: Vec<String>,
    top_level_domains: Vec<String>,
    mail_providers: Vec<String>,
}

/// The words that tell a person's name from other words, from the
/// built-in rules file's `[words]`. An override's are not read: a longer
/// list of words that are never names, say, would let names pass.
#[derive(Debug, Clone)]
pub struct Words {
    /// Titles before a name, in lower case: "dr", "mrs".
    pub titles: Vec<String>,
    /// A title and the name after it, "Dr Patel", "Mrs J. Smith"; the name
    /// is the first group.
    pub titled_name: Regex,
    /// Words a signature may hold without naming anyone, in lower case.
    pub signature: Vec<String>,
    /// Words with a capital that are not names: sentence openers, the
    /// words of a practice's name, ways to address every reader.
    pub not_names: HashSet<String>,
    /// Words with a capital that are no detail of anyone's: days, months,
    /// the sites reviews are posted on.
    pub not_details: HashSet<String>,
    /// Words too common to tell a review's details, in lower case.
    pub common: HashSet<String>,
    /// The endings of the e-mail domains people use, in lower case: an
    /// address spelled out ("jo at gmail dot com") must end in one.
    pub top_level_domains: HashSet<String>,
    /// Mail providers, in lower case: after one, a bare " at " joins an
    /// address ("gary at hotmail.co.uk").
    pub mail_providers: HashSet<String>,
}

impl Words {
    fn compile(file: WordsFile, name: &str) -> anyhow::Result<Words> {
        let lower = |list: &[String], key: &str| -> anyhow::Result<()> {
            match list
                .iter()
                .find(|w| w.is_empty() || **w != w.to_lowercase())
            {
                Some(word) => bail!("{name}: words.{key}: {word:?} must be a word in lower case"),
                None => Ok(()),
            }
        };
        lower(&file.titles, "titles")?;
        lower(&file.signature, "signature")?;
        lower(&file.common, "common")?;
        lower(&file.top_level_domains, "top_level_domains")?;
        lower(&file.mail_providers, "mail_providers")?;
        if file.titles.is_empty() {
            bail!("{name}: words.titles is empty");
        }
        let titles: Vec<String> = file.titles.iter().map(|t| regex::escape(t)).collect();
        let titled_name = Regex::new(&format!(
            r"\b(?i:{})\.?\s+((?:\p{{Lu}}\.?\s+){{0,2}}\p{{Lu}}[\p{{L}}\p{{M}}'’-]+(?:\s+\p{{Lu}}[\p{{L}}\p{{M}}'’-]+)?)",
            titles.join("|")
        ))
        .with_context(|| format!("{name}: words.titles"))?;
        Ok(Words {
            titles: file.titles,
            titled_name,
            signature: file.signature,
            not_names: file.not_names.into_iter().collect(),
            not_details: file.not_details.into_iter().collect(),
            common: file.common.into_iter().collect(),
            top_level_domains: file.top_level_domains.into_iter().collect(),
            mail_providers: file.mail_providers.into_iter().collect(),
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    severity: Severity,
    message: String,
    why: String,
    sources: Vec<String>,
    hint: String,
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    general_ok: bool,
    builtin: Option<Builtin>,
    words_in_a_row: Option<usize>,
    max_sentences: Option<usize>,
    #[serde(default)]
    only_if: Vec<String>,
    #[serde(default)]
    first_names: Vec<String>,
    #[serde(default)]
    not_after: Vec<String>,
    #[serde(default)]
    except: Vec<String>,
    #[serde(default)]
    helplines: Vec<String>,
}

/// Checks written in code, set up from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Builtin {
    StaffNames,
    Identifiers,
    CopiedFromReview,
    Thanks,
    PrivateRoute,
    Length,
    SignOff,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EscalateFile {
    kind: String,
    reason: String,
    urgency: Urgency,
    who: String,
    tell: String,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    with: Vec<String>,
    sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassifyFile {
    complaint: Vec<String>,
    question: Vec<String>,
    positive: Vec<String>,
    negative: Vec<String>,
}

/// How soon a person must read a review that is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Urgency {
    /// Before anything else: a life or someone's safety may be at risk.
    Now,
    /// The same working day.
    Today,
}

impl Urgency {
    pub fn key(self) -> &'static str {
        match self {
            Urgency::Now => "now",
            Urgency::Today => "today",
        }
    }
}

/// One rule, ready to run.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub severity: Severity,
    pub message: String,
    pub why: String,
    /// The titles and addresses of its sources, for the `why`.
    pub sources: Vec<Source>,
    pub hint: String,
    /// Word lists and patterns, as one set of regular expressions.
    pub matchers: Vec<Regex>,
    pub general_ok: bool,
    pub builtin: Option<Builtin>,
    pub words_in_a_row: usize,
    pub max_sentences: usize,
    /// The rule applies only when one of these matches the draft or the
    /// review (none: always).
    pub only_if: Vec<Regex>,
    /// Common first names, found on their own as a person's name.
    pub first_names: Vec<String>,
    /// A match right after one of these (anchored at the end: "do not $")
    /// is not a finding.
    pub not_after: Vec<Regex>,
    /// A match that one of these matches from its first character is not
    /// a finding ("your feedback" among every "your …").
    pub except: Vec<Regex>,
    /// National helplines' phone numbers, as digits, that a reply may give
    /// besides the practice's own.
    pub helplines: Vec<String>,
}

/// A kind of post that needs a person rather than a drafted reply.
#[derive(Debug)]
pub struct Escalation {
    /// safeguarding, threat, legal, press…: what the post is.
    pub kind: String,
    /// What in the review holds it, in a few words for staff.
    pub reason: String,
    pub urgency: Urgency,
    /// Who must read it.
    pub who: String,
    /// What to do, in a sentence or two.
    pub tell: String,
    /// Any of these in the review…
    pub patterns: Vec<Regex>,
    /// …and, when there are any, one of these too.
    pub with: Vec<Regex>,
    pub sources: Vec<Source>,
}

impl Escalation {
    /// True when the review has this escalation's words.
    pub fn matches(&self, review: &str) -> bool {
        self.patterns.iter().any(|p| p.is_match(review))
            && (self.with.is_empty() || self.with.iter().any(|p| p.is_match(review)))
    }
}

/// Words that suggest what kind of review a post is.
#[derive(Debug)]
pub struct Classify {
    pub complaint: Vec<Regex>,
    pub question: Vec<Regex>,
    pub positive: Vec<Regex>,
    pub negative: Vec<Regex>,
}

/// Every rule, compiled.
#[derive(Debug)]
pub struct Rules {
    /// Which rules file this is, for `reply check` to say.
    pub origin: String,
    pub general: Vec<Regex>,
    pub personal: Vec<Regex>,
    pub rules: Vec<Rule>,
    pub escalate: Vec<Escalation>,
    /// Who reads a review whose words fit no kind of reply.
    pub unclear: Escalation,
    pub classify: Classify,
    pub words: Words,
}

/// The most text a pattern may compile to: a rules file is an LMC's
/// override and may be hostile.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

impl Rules {
    /// Reads and compiles a rules file with its own `[words]`, as the
    /// built-in one has; `name` is how problems refer to it.
    pub fn parse(text: &str, name: &str) -> anyhow::Result<Rules> {
        Rules::parse_with(text, name, None)
    }

    /// Reads and compiles a rules file; `words`, when given, are used
    /// instead of the file's own.
    fn parse_with(text: &str, name: &str, words: Option<&Words>) -> anyhow::Result<Rules> {
        let file: RulesFile =
            toml::from_str(text).with_context(|| format!("{name} is not a valid rules file"))?;
        let words = match (words, file.words) {
            (Some(words), _) => words.clone(),
            (None, Some(file)) => Words::compile(file, name)?,
            (None, None) => bail!("{name} has no [words]: the built-in rules file needs them"),
        };
        for source in &file.sources {
            source
                .check(Cites::Id)
                .with_context(|| format!("{name}: [[sources]]"))?;
        }
        let mut ids = HashSet::new();
        let mut rules = Vec::new();
        for rule in file.rule {
            let at = |what: &str| format!("{name}: rule {}: {what}", rule.id);
            if !ids.insert(rule.id.clone()) {
                bail!(at("the id is used twice"));
            }
            let sources = sourced(&file.sources, &rule.sources, &at(""))?;
            let has_words = !rule.words.is_empty() || !rule.patterns.is_empty();
            if has_words == rule.builtin.is_some() {
                bail!(at("give it either words and patterns, or a builtin check"));
            }
            let mut matchers = Vec::new();
            if !rule.words.is_empty() {
                let words: Vec<&str> = rule.words.iter().map(String::as_str).collect();
                matchers.push(compile(&words_pattern(&words)).with_context(|| at("its words"))?);
            }
            for pattern in &rule.patterns {
                matchers.push(
                    compile(pattern).with_context(|| at(&format!("the pattern {pattern:?}")))?,
                );
            }
            let mut only_if = Vec::new();
            for pattern in &rule.only_if {
                only_if
                    .push(compile(pattern).with_context(|| at(&format!("only_if {pattern:?}")))?);
            }
            let mut not_after = Vec::new();
            for pattern in &rule.not_after {
                not_after
                    .push(compile(pattern).with_context(|| at(&format!("not_after {pattern:?}")))?);
            }
            let mut except = Vec::new();
            for pattern in &rule.except {
                except.push(
                    compile(&format!("^(?:{pattern})"))
                        .with_context(|| at(&format!("except {pattern:?}")))?,
                );
            }
            let helplines = rule
                .helplines
                .iter()
                .map(|p| crate::config::rules::national_digits(p))
                .collect();
            rules.push(Rule {
                not_after,
                except,
                helplines,
                only_if,
                first_names: rule.first_names,
                id: rule.id,
                severity: rule.severity,
                message: rule.message,
                why: rule.why,
                sources,
                hint: rule.hint,
                matchers,
                general_ok: rule.general_ok,
                builtin: rule.builtin,
                words_in_a_row: rule.words_in_a_row.unwrap_or(6).max(3),
                max_sentences: rule.max_sentences.unwrap_or(5).max(1),
            });
        }
        let all = |patterns: &[String], what: &str| -> anyhow::Result<Vec<Regex>> {
            patterns
                .iter()
                .map(|p| compile(p).with_context(|| format!("{name}: {what}: the pattern {p:?}")))
                .collect()
        };
        let escalation = |e: &EscalateFile, what: String| -> anyhow::Result<Escalation> {
            Ok(Escalation {
                kind: e.kind.clone(),
                reason: e.reason.clone(),
                urgency: e.urgency,
                who: e.who.clone(),
                tell: e.tell.clone(),
                patterns: all(&e.patterns, &what)?,
                with: all(&e.with, &what)?,
                sources: sourced(&file.sources, &e.sources, &format!("{name}: {what}: "))?,
            })
        };
        let mut escalate: Vec<Escalation> = file
            .escalate
            .iter()
            .map(|e| escalation(e, format!("escalate {}", e.kind)))
            .collect::<anyhow::Result<_>>()?;
        let unclear = escalation(&file.unclear, "unclear".into())?;
        // Most urgent first; the file's order within each urgency.
        escalate.sort_by_key(|e| e.urgency);
        let c = &file.classify;
        Ok(Rules {
            origin: name.to_string(),
            general: all(&file.general, "general")?,
            personal: all(&file.personal, "personal")?,
            rules,
            escalate,
            unclear,
            classify: Classify {
                complaint: all(&c.complaint, "classify.complaint")?,
                question: all(&c.question, "classify.question")?,
                positive: all(&c.positive, "classify.positive")?,
                negative: all(&c.negative, "classify.negative")?,
            },
            words,
        })
    }

    /// The built-in rules (`built_in`, the text of the built-in
    /// `reply-rules.toml`) with the rules in use (`text`, read from
    /// `origin`: an LMC's override in `--templates`, or the built-in file
    /// itself) laid over them.
    pub fn load(built_in: &str, text: &str, origin: &str) -> anyhow::Result<Rules> {
        let base = Rules::parse(built_in, "policy-templates/reply-rules.toml (built in)")?;
        if text == built_in {
            return Ok(base);
        }
        let over = Rules::parse_with(text, origin, Some(&base.words))?;
        Ok(base.beneath(over))
    }

    /// These rules with `over` laid on top. An override may add rules,
    /// words and escalations and change wording, but cannot remove or
    /// weaken what is built in: a rule it leaves out stays, a rule it
    /// keeps keeps the built-in words as well as its own and is never less
    /// severe, and nothing it adds makes a sentence general information,
    /// a helpline allowed or a match an exception; which stock reply a
    /// review gets (`[classify]`) stays the built-in choice.
    fn beneath(mut self, over: Rules) -> Rules {
        self.origin = format!("{}, over the built-in rules", over.origin);
        let mut added = Vec::new();
        for rule in over.rules {
            match self.rules.iter_mut().find(|r| r.id == rule.id) {
                Some(base) => {
                    base.message = rule.message;
                    base.why = rule.why;
                    base.hint = rule.hint;
                    base.sources = rule.sources;
                    base.severity = base.severity.min(rule.severity);
                    add_new(&mut base.matchers, rule.matchers);
                    for name in rule.first_names {
                        if !base.first_names.contains(&name) {
                            base.first_names.push(name);
                        }
                    }
                }
                None => added.push(rule),
            }
        }
        self.rules.extend(added);
        add_new(&mut self.personal, over.personal);
        for escalation in over.escalate {
            match self
                .escalate
                .iter_mut()
                .find(|e| e.kind == escalation.kind && e.reason == escalation.reason)
            {
                Some(base) => {
                    base.who = escalation.who;
                    base.tell = escalation.tell;
                    base.sources = escalation.sources;
                    base.urgency = base.urgency.min(escalation.urgency);
                    add_new(&mut base.patterns, escalation.patterns);
                }
                None => self.escalate.push(escalation),
            }
        }
        self.escalate.sort_by_key(|e| e.urgency);
        self.unclear.who = over.unclear.who;
        self.unclear.tell = over.unclear.tell;
        // Which stock reply a review gets, if any, stays the built-in
        // choice: a wider list would draft for a review now held as unclear.
        drop(over.classify);
        self
    }
}

/// Adds to `to` the patterns of `from` it does not already have, so an
/// override that copies the whole built-in file compiles nothing twice.
fn add_new(to: &mut Vec<Regex>, from: Vec<Regex>) {
    for pattern in from {
        if !to.iter().any(|r| r.as_str() == pattern.as_str()) {
            to.push(pattern);
        }
    }
}

/// The `[[sources]]` entries with these ids: at least one, each of them
/// there. `at` starts a problem's message ("reply-rules.toml: rule x: ").
fn sourced(all: &[Source], ids: &[String], at: &str) -> anyhow::Result<Vec<Source>> {
    let sources = ids
        .iter()
        .map(|id| {
            all.iter()
                .find(|s| &s.id == id)
                .cloned()
                .ok_or_else(|| anyhow!("{at}no [[sources]] entry has id = \"{id}\""))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if sources.is_empty() {
        bail!("{at}it needs at least one source: the guidance it comes from");
    }
    Ok(sources)
}

/// Case-insensitive, an apostrophe (straight or curly: TOML's literal
/// strings cannot hold a straight one) matching either, and a bound on what
/// a pattern may compile to.
fn compile(pattern: &str) -> anyhow::Result<Regex> {
    let pattern = any_spacing(&pattern.replace(['\'', '’'], "['’]"));
    Ok(RegexBuilder::new(&pattern)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()?)
}

/// A pattern whose spaces between words match any run of spacing: two
/// spaces, a tab, a no-break space or a line break in pasted text leave
/// a phrase the phrase. A space inside `[…]` or escaped is left as it is.
fn any_spacing(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                out.extend(chars.next());
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` first in a class is the character itself.
                if let Some(next) = chars.next() {
                    out.push(next);
                    if next == '\\' {
                        out.extend(chars.next());
                    }
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            // A group, so a quantifier after the space still applies to
            // all of it: "bed ?sores" finds "bedsores" and "bed  sores".
            ' ' if !in_class => out.push_str(r"(?:\s+)"),
            _ => out.push(c),
        }
    }
    out
}

/// A word list entry as a pattern: whole words, the last one with its
/// common endings ("test" → tests, tested, testing; "study" → studies).
pub fn word_pattern(entry: &str) -> String {
    words_pattern(std::slice::from_ref(&entry))
}

/// A whole word list as one pattern, each entry as [`word_pattern`] reads
/// it: one regular expression to compile and run, not one per word.
pub fn words_pattern(entries: &[&str]) -> String {
    let alternatives: Vec<String> = entries.iter().filter_map(|e| word_forms(e)).collect();
    if alternatives.is_empty() {
        return "$^".into();
    }
    format!(
        r"(?:^|[^\w])((?:{}))(?:[^\w]|$)",
        alternatives.join(")|(?:")
    )
}

/// One entry's words, the last with its endings, as a pattern.
fn word_forms(entry: &str) -> Option<String> {
    let words: Vec<&str> = entry.split_whitespace().collect();
    let (last, first) = words.split_last()?;
    let mut forms = vec![last.to_string()];
    let ends = |s: &str| format!("{last}{s}");
    forms.extend(["s", "es", "ed", "d", "ing"].map(ends));
    if let Some(stem) = last.strip_suffix('e') {
        forms.push(format!("{stem}ing"));
        forms.push(format!("{stem}ion"));
        forms.push(format!("{stem}ions"));
    }
    if let Some(stem) = last.strip_suffix('y') {
        forms.push(format!("{stem}ies"));
        forms.push(format!("{stem}ied"));
    }
    let forms: Vec<String> = forms.iter().map(|f| regex::escape(f)).collect();
    let mut pattern = String::new();
    for word in first {
        pattern.push_str(&regex::escape(word));
        pattern.push_str(r"[\s-]+");
    }
    pattern.push_str(&format!("(?:{})", forms.join("|")));
    Some(pattern)
}

#[cfg(test)]
mod spacing_tests {
    use super::*;

    #[test]
    fn a_phrase_matches_across_any_spacing_but_a_class_keeps_its_space() {
        let re = compile("legal action|[ -]x").unwrap();
        for text in [
            "legal action",
            "legal  action",
            "legal\taction",
            "legal\u{a0}action",
            "legal\naction",
        ] {
            assert!(re.is_match(text), "{text:?}");
        }
        assert!(!re.is_match("legalaction"));
        assert!(re.is_match(" x") && re.is_match("-x"));
        assert_eq!(any_spacing(r"a\ b [^ ] c"), r"a\ b(?:\s+)[^ ](?:\s+)c");
    }

    #[test]
    fn a_space_made_optional_stays_optional() {
        let re = compile("bed ?sores?|call ?back").unwrap();
        for text in [
            "bedsores",
            "bed sores",
            "bed  sore",
            "callback",
            "call back",
        ] {
            assert!(re.is_match(text), "{text:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(entry: &str, text: &str) -> bool {
        compile(&word_pattern(entry)).unwrap().is_match(text)
    }

    #[test]
    fn words_match_whole_words_with_their_endings_in_any_case() {
        assert!(finds("test", "Your Tests came back"));
        assert!(finds("test", "we tested it"));
        assert!(finds("blood test", "two blood tests"));
        assert!(finds("vaccinate", "the vaccination"));
        assert!(finds("a&e", "sent to A&E today"));
        assert!(!finds("test", "the latest news"));
        assert!(!finds("test", "protest"));
        assert!(!finds("drug", "drugstore"));
    }

    #[test]
    fn a_word_list_finds_what_each_of_its_words_finds() {
        let list = compile(&words_pattern(&["blood test", "scan", "a&e"])).unwrap();
        for text in ["two blood tests", "the SCANS", "sent to A&E"] {
            assert!(list.is_match(text), "{text}");
        }
        assert!(!list.is_match("a protest about the scanner"));
    }

    #[test]
    fn the_built_in_rules_compile_and_every_rule_has_a_source() {
        let text = include_str!("../../policy-templates/reply-rules.toml");
        let rules = Rules::parse(text, "reply-rules.toml").unwrap();
        assert!(rules.rules.len() >= 13);
        assert!(rules.rules.iter().all(|r| !r.sources.is_empty()));
    }

    #[test]
    fn a_rule_without_a_source_or_with_a_bad_pattern_is_refused() {
        let text = include_str!("../../policy-templates/reply-rules.toml");
        let unsourced = text.replacen(
            "sources = [\"gmc-criticism\", \"ddu-press\"]",
            "sources = []",
            1,
        );
        let err = Rules::parse(&unsourced, "r.toml").unwrap_err();
        assert!(
            format!("{err:#}").contains("at least one source"),
            "{err:#}"
        );
        let bad = text
            .replacen("id = \"event-time\"", "id = \"event-time\"\n#", 1)
            .replacen("'\\bon (?:monday", "'(\\bon (?:monday", 1);
        let err = Rules::parse(&bad, "r.toml").unwrap_err();
        assert!(format!("{err:#}").contains("event-time"), "{err:#}");
    }

    /// The words that tell a name from other words are the built-in
    /// file's: an override that calls "Patel" never a name, or drops the
    /// titles, changes nothing; the built-in file must have them.
    #[test]
    fn an_overrides_words_are_not_read() {
        let text = include_str!("../../policy-templates/reply-rules.toml");
        let base = Rules::parse(text, "built in").unwrap();
        let weakened = text
            .replacen("not_names = [", "not_names = [\"Patel\", ", 1)
            .replacen("titles = [", "titles = [\"zz\"]\nold_titles = [", 1);
        assert!(
            Rules::parse(&weakened, "r.toml").is_err(),
            "an unknown key is refused"
        );
        let weakened = text.replacen("not_names = [", "not_names = [\"Patel\", ", 1);
        let over = Rules::load(text, &weakened, "lmc/reply-rules.toml").unwrap();
        assert!(!over.words.not_names.contains("Patel"));
        assert_eq!(over.words.titles, base.words.titles);
        assert!(over.words.titled_name.is_match("Dr Patel"));
        let start = text.find("\n[words]").unwrap();
        let end = start + text[start..].find("\n[[sources]]").unwrap();
        let without = format!("{}{}", &text[..start], &text[end..]);
        let err = Rules::parse(&without, "r.toml").unwrap_err();
        assert!(format!("{err:#}").contains("[words]"), "{err:#}");
        assert!(Rules::load(text, &without, "lmc/reply-rules.toml").is_ok());
    }
}
