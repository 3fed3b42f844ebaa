//! A document's reference, "Ref 3F9A-21C0": printed on every copy so that
//! a printed copy of one version can be told from a copy of another.
//!
//! It is the first 32 bits of a SHA-256, as 8 upper-case hex digits in two
//! groups, over what the document says and shows:
//!
//! - its kind (so two documents never share one),
//! - its Markdown as the templates wrote it, with [`PLACEHOLDER`] where a
//!   template prints the reference itself (the staff handbook's sign-off
//!   sheet), so the reference never has to cover itself,
//! - what renderers show besides the text
//!   ([`crate::render::Presentation::shown`]: the practice's name, phone,
//!   website and complaints page, the accent colour, the logo's bytes, the
//!   issue and review dates, the version).
//!
//! It does not cover the tool's version, the fonts, the page layout
//! (`page.html`), the edition or the format: a new policypack that sets the
//! same words in the same way does not ask anyone to reprint, and the
//! standard and large-print copies, the PDF, the web page, the Markdown and
//! the Word file of one document all carry the same reference.

use super::DocKind;

/// What a template's `{{ doc.reference }}` prints until the reference is
/// known. A config value cannot contain it (values have `~` escaped), and
/// it is as long as a reference, so byte ranges of the Markdown (a part
/// in Welsh) stay where they are when it is filled in.
pub const PLACEHOLDER: &str = "Ref ~~~~-~~~~";

/// A document's reference: 8 upper-case hex digits, grouped 4-4.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference(String);

impl Reference {
    /// The reference of a document of `kind` whose Markdown (placeholder
    /// not yet filled in) is `markdown`, shown with `shown`
    /// ([`crate::render::Presentation::shown`]).
    pub fn of(kind: DocKind, markdown: &str, shown: &str) -> Reference {
        let digest = crate::utils::hash([
            b"policypack reference 1".as_slice(),
            kind.stem().as_bytes(),
            markdown.as_bytes(),
            shown.as_bytes(),
        ]);
        let hex = digest[..8].to_ascii_uppercase();
        Reference(format!("{}-{}", &hex[..4], &hex[4..]))
    }

    /// A reference read back from a manifest: only a well-formed code is
    /// taken (the manifest sits in a folder others may write to).
    pub fn parse(code: &str) -> Option<Reference> {
        let bytes = code.as_bytes();
        let well_formed = bytes.len() == 9
            && bytes[4] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || matches!(b, b'0'..=b'9' | b'A'..=b'F'));
        well_formed.then(|| Reference(code.to_string()))
    }

    /// The code alone, "3F9A-21C0": what the manifest stores.
    pub fn code(&self) -> &str {
        &self.0
    }
}

/// "Ref 3F9A-21C0", as every copy prints it. "Ref" in Welsh documents
/// too: it is a code, not a word, and no Welsh speaker has checked "Cyf."
/// (which also abbreviates "Cyfyngedig", Limited) in this use.
impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Ref {}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(text: &str) -> String {
        crate::utils::hash([text.as_bytes()])
    }

    #[test]
    fn a_reference_is_eight_hex_digits_in_two_groups() {
        let reference = Reference::of(DocKind::Notice, "# Notice\n", "shown");
        let shown = reference.to_string();
        assert_eq!(shown.len(), PLACEHOLDER.len(), "{shown}");
        assert!(shown.starts_with("Ref "), "{shown}");
        assert_eq!(Reference::parse(reference.code()), Some(reference.clone()));
        assert_eq!(
            Reference::of(DocKind::Notice, "# Notice\n", "shown"),
            reference
        );
    }

    #[test]
    fn the_reference_follows_the_words_what_is_shown_and_the_document() {
        let base = Reference::of(DocKind::Notice, "# Notice\n", &sha("a"));
        assert_ne!(
            Reference::of(DocKind::Notice, "# Notice!\n", &sha("a")),
            base
        );
        assert_ne!(
            Reference::of(DocKind::Notice, "# Notice\n", &sha("b")),
            base
        );
        assert_ne!(
            Reference::of(DocKind::Leaflet, "# Notice\n", &sha("a")),
            base
        );
    }

    #[test]
    fn only_well_formed_codes_are_read_back() {
        for bad in [
            "3f9a-21c0",
            "3F9A21C0",
            "3F9A-21C",
            "<b>-</b>x",
            "3F9A-21C0 ",
        ] {
            assert_eq!(Reference::parse(bad), None, "{bad}");
        }
    }
}
