//! Stage 2: a checked [`Practice`] + templates + nation facts → a [`Document`] in Markdown.
//!
//! Tera renders the wording; every value from a config reaches the templates
//! already escaped as Markdown text ([`context`]), so it prints as typed and
//! is never read as markup or template code. The Markdown is what every
//! output format consumes.

pub mod context;
pub mod escape;
pub mod nation;
pub mod reference;
pub mod set;
pub mod templates;

use clap::ValueEnum;

use crate::config::Practice;
pub use reference::Reference;
pub use set::TemplateSet;
pub use templates::Templates;

/// The documents policypack writes for each practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ValueEnum)]
pub enum DocKind {
    /// Social media zero-tolerance notice: a one-page poster and web page.
    #[value(name = "zero-tolerance-notice", alias = "notice")]
    Notice,
    /// Complaints signposting leaflet for patients.
    #[value(name = "complaints-leaflet", alias = "leaflet")]
    Leaflet,
    /// Staff guidance handbook.
    #[value(name = "staff-handbook", alias = "handbook")]
    Handbook,
}

impl DocKind {
    pub const ALL: [DocKind; 3] = [DocKind::Notice, DocKind::Leaflet, DocKind::Handbook];

    /// The file stem of every output of this document.
    pub fn stem(self) -> &'static str {
        match self {
            DocKind::Notice => "zero-tolerance-notice",
            DocKind::Leaflet => "complaints-leaflet",
            DocKind::Handbook => "staff-handbook",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            DocKind::Notice => "Social media zero-tolerance notice",
            DocKind::Leaflet => "Complaints leaflet",
            DocKind::Handbook => "Staff guidance: online and social media feedback",
        }
    }

    /// The document's title for a practice in a nation: the leaflet takes
    /// the nation's own (in Wales, "Raising a concern").
    pub fn title_in(self, nation: &nation::NationFacts) -> &str {
        match (self, &nation.term.leaflet_title) {
            (DocKind::Leaflet, Some(title)) => title,
            _ => self.title(),
        }
    }

    /// The title in a second language ([`nation::SECOND_LANGUAGES`]) of
    /// a document whose first heading is not its title (the notice's is
    /// its headline).
    pub fn title_in_language(self, code: &str) -> Option<&'static str> {
        match (self, code) {
            (DocKind::Notice, "cy") => Some("Hysbysiad dim goddefgarwch ar gyfryngau cymdeithasol"),
            _ => None,
        }
    }

    fn template(self) -> String {
        format!("{}.md", self.stem())
    }

    /// The template of the document's half in the language of `code`
    /// (`zero-tolerance-notice.cy.md`), for practices in a nation whose
    /// facts name that language.
    fn template_in(self, code: &str) -> String {
        format!("{}.{code}.md", self.stem())
    }

    /// Every template a document of this kind may be rendered from: its
    /// own and its halves in the nations' own languages.
    pub fn templates(self) -> impl Iterator<Item = String> {
        std::iter::once(self.template()).chain(
            nation::SECOND_LANGUAGES
                .into_iter()
                .map(move |code| self.template_in(code)),
        )
    }
}

impl std::fmt::Display for DocKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.stem())
    }
}

/// One document of one practice, as Markdown: the input of every output format.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: DocKind,
    pub title: String,
    pub markdown: String,
    /// Stretches of `markdown` in a language other than English (the Welsh
    /// half of a bilingual notice), as byte ranges with their language tag.
    pub other_languages: Vec<(std::ops::Range<usize>, &'static str)>,
    /// Printed on every copy, in every format and edition ([`mod@reference`]).
    pub reference: Reference,
}

/// A stretch of a document's Markdown and its language (`None`: English).
pub struct Part<'a> {
    pub lang: Option<&'static str>,
    pub markdown: &'a str,
}

impl Document {
    /// An English document, with nothing shown besides its text.
    pub fn new(kind: DocKind, markdown: String) -> Document {
        Document::referenced(kind, kind.title().to_string(), markdown, Vec::new(), "")
    }

    /// A document whose reference is worked out from its Markdown and what
    /// is `shown` with it, then filled in where the templates print it.
    fn referenced(
        kind: DocKind,
        title: String,
        markdown: String,
        other_languages: Vec<(std::ops::Range<usize>, &'static str)>,
        shown: &str,
    ) -> Document {
        let reference = Reference::of(kind, &markdown, shown);
        let printed = reference.to_string();
        // As long as the placeholder, so `other_languages` still holds.
        debug_assert_eq!(printed.len(), reference::PLACEHOLDER.len());
        let markdown = markdown.replace(reference::PLACEHOLDER, &printed);
        Document {
            kind,
            title,
            markdown,
            other_languages,
            reference,
        }
    }

    /// The Markdown in stretches of one language each, in order.
    pub fn parts(&self) -> Vec<Part<'_>> {
        let mut parts = Vec::new();
        let mut at = 0;
        for (range, lang) in &self.other_languages {
            if range.start > at {
                parts.push(Part {
                    lang: None,
                    markdown: &self.markdown[at..range.start],
                });
            }
            parts.push(Part {
                lang: Some(lang),
                markdown: &self.markdown[range.clone()],
            });
            at = range.end;
        }
        if at < self.markdown.len() || parts.is_empty() {
            parts.push(Part {
                lang: None,
                markdown: &self.markdown[at..],
            });
        }
        parts
    }
}

/// Renders one document of a practice. `shown` is what the renderers show
/// besides the text ([`crate::render::Presentation::shown`]): the
/// document's reference covers it as well as the words.
pub fn render(
    practice: &Practice,
    kind: DocKind,
    templates: &Templates,
    shown: &str,
) -> anyhow::Result<Document> {
    let nation = templates.nation(practice.nation())?;
    let context = context::build(practice, nation, templates.replies(), kind)?;
    let english = render_template(templates, &kind.template(), &context)?;
    // In a nation with its own language (Wales), a document with a
    // template in that language is bilingual, that language first. The
    // built-in facts file says which (an LMC's copy of an older one that
    // lacks `language_code` must not drop the Welsh).
    let own = practice
        .nation()
        .language_code()
        .and_then(|code| nation::SECOND_LANGUAGES.into_iter().find(|c| *c == code))
        .map(|code| (code, kind.template_in(code)))
        .filter(|(_, template)| templates.has(template));
    let Some((code, own_template)) = own else {
        let title = kind.title_in(nation).to_string();
        return Ok(Document::referenced(
            kind,
            title,
            english,
            Vec::new(),
            shown,
        ));
    };
    let own = render_template(templates, &own_template, &context)?;
    // The Welsh notice opens with its headline, as the English does; its
    // title names what it is, in both languages.
    let own_title = first_title(&own).ok_or_else(|| {
        templates.problem(
            &own_template,
            None,
            "has no title: its first heading must be a level-1 heading (`# …`)".into(),
        )
    })?;
    let markdown = format!("{own}\n{english}");
    Ok(Document::referenced(
        kind,
        format!(
            "{} / {}",
            kind.title_in_language(code).unwrap_or(&own_title),
            kind.title_in(nation)
        ),
        markdown,
        // The line break between the halves goes with the first, so the
        // English half's line numbers are its template's.
        vec![(0..own.len() + 1, code)],
        shown,
    ))
}

/// The plain text of a document's first heading, if it is a level-1 heading.
fn first_title(markdown: &str) -> Option<String> {
    use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
    let mut events = crate::markdown::parser(markdown);
    match events
        .by_ref()
        .find(|e| matches!(e, Event::Start(Tag::Heading { .. })))?
    {
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }) => {}
        _ => return None,
    }
    let mut title = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(text) | Event::Code(text) => title.push_str(&text),
            Event::SoftBreak | Event::HardBreak => title.push(' '),
            _ => {}
        }
    }
    let title = title.trim().to_string();
    (!title.is_empty()).then_some(title)
}

/// One template rendered, tidied, and checked for links it may not make.
fn render_template(
    templates: &Templates,
    name: &str,
    context: &tera::Context,
) -> anyhow::Result<String> {
    let markdown = tidy(&templates.render(name, context)?);
    if let Some(dest) = unsafe_link(&markdown) {
        let message = format!(
            "links to {dest:?}: a template may link only to https, http, mailto and tel addresses, or to #a-section"
        );
        return Err(templates.problem(name, Some(&dest), message).into());
    }
    Ok(markdown)
}

/// The first link or image whose address is not https, http, mailto, tel
/// or an in-page `#anchor`. Values from a config can never make a link
/// (they are escaped), so such a link comes from a template.
fn unsafe_link(markdown: &str) -> Option<String> {
    use pulldown_cmark::{Event, Tag};
    crate::markdown::parser(markdown).find_map(|event| match event {
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
            if !safe_address(&dest_url) =>
        {
            Some(dest_url.to_string())
        }
        _ => None,
    })
}

/// Addresses a document may link to.
pub fn safe_address(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:", "tel:", "#"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

/// Collapses the blank lines that template tags leave behind, so the
/// Markdown reads cleanly as plain text.
fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut blank = 0;
    for line in markdown.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out.push('\n');
    out
}
