//! The one place that decides which Markdown dialect policypack speaks:
//! CommonMark with GFM tables and strikethrough, nothing else.

use pulldown_cmark::{Options, Parser};

pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// A pulldown-cmark parser with our options, shared by the HTML and PDF stages.
pub fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(markdown, options())
}
