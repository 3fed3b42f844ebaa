//! The one place that decides which Markdown dialect policypack speaks:
//! CommonMark with GFM tables and strikethrough, nothing else.

use std::collections::HashMap;

use pulldown_cmark::{Options, Parser};

pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// A pulldown-cmark parser with our options, shared by the HTML and PDF stages.
pub fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(markdown, options())
}

/// Heading anchors as GitHub makes them: lower case, punctuation dropped,
/// spaces to hyphens, `-1`, `-2`… for repeats. The HTML ids and the PDF's
/// named destinations both come from here, so a `#anchor` link in the
/// Markdown finds its heading in every format.
#[derive(Default)]
pub struct HeadingIds {
    seen: HashMap<String, usize>,
}

impl HeadingIds {
    /// The anchor of the next heading, given its text.
    pub fn next(&mut self, text: &str) -> String {
        let base = heading_id(text);
        let count = self.seen.entry(base.clone()).or_insert(0);
        let id = if *count == 0 {
            base
        } else {
            format!("{base}-{count}")
        };
        *count += 1;
        id
    }
}

/// GitHub's heading anchor for a heading's text.
pub fn heading_id(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}
