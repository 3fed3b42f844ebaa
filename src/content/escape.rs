//! Config values as Markdown text: shown as typed by any CommonMark/GFM renderer.
//!
//! Only the characters that could start markup are escaped, so the Markdown
//! stays readable as plain text: `St John's & Woodlands` stays as it is,
//! `*Star*` becomes `\*Star\*`.

/// Escapes a value for use anywhere in Markdown inline text or a table cell.
pub fn markdown_text(value: &str) -> String {
    escape(value, false)
}

/// [`markdown_text`], or the text of a link (`in_link`), where GFM makes
/// no link of `www.` and `://` and they are left as they are.
fn escape(value: &str, in_link: bool) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    // Leading spaces say nothing, and four of them at the start of a line
    // would make an indented code block.
    let value = value.trim_start_matches([' ', '\t']);
    let chars: Vec<char> = value.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        // At the start, spaces and tabs before it included: Markdown
        // allows up to three before a heading or list marker.
        let at_start = out.chars().all(|c| c == ' ' || c == '\t');
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => true,
            // Only `&name;` or `&#…;` is an entity; a lone & reads fine.
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            '!' => next == Some('['),
            // Markers that only count at the start of a line.
            '#' | '+' | '-' | '=' => at_start,
            '.' | ')' if at_start_after_digits(&out) => next.is_none_or(char::is_whitespace),
            // GFM makes links of bare `https://…` and `www.…`: a value
            // that is not a checked web address must not become one.
            ':' => !in_link && chars.get(i + 1..i + 3) == Some(&['/', '/']),
            '.' => !in_link && after_www(&chars[..i]),
            // …and of `name@example.org`.
            '@' => !in_link,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// True when `before` ends in a word `www`, so a `.` next would start a
/// GFM link.
fn after_www(before: &[char]) -> bool {
    before.len() >= 3
        && before[before.len() - 3..]
            .iter()
            .all(|c| c.eq_ignore_ascii_case(&'w'))
        && before
            .len()
            .checked_sub(4)
            .is_none_or(|i| !before[i].is_alphanumeric())
}

/// True when everything written so far is digits, so `1.` would start a list.
fn at_start_after_digits(out: &str) -> bool {
    let digits = out.trim_start_matches([' ', '\t']);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// A link destination in angle brackets, for checked http(s), mailto: and tel: URLs.
pub fn link_destination(url: &str) -> String {
    let mut out = String::from("<");
    for c in url.chars() {
        match c {
            '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' ' => out.push_str("%20"),
            _ => out.push(c),
        }
    }
    out.push('>');
    out
}

/// `[text](<url>)` with the text escaped.
pub fn link(text: &str, url: &str) -> String {
    format!("[{}]({})", escape(text, true), link_destination(url))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Parser};

    /// What a renderer shows for the Markdown: the text of its events.
    fn shown(markdown: &str) -> (String, bool) {
        let mut text = String::new();
        let mut markup = false;
        for event in Parser::new_ext(markdown, crate::markdown::options()) {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::Start(pulldown_cmark::Tag::Paragraph)
                | Event::End(pulldown_cmark::TagEnd::Paragraph) => {}
                _ => markup = true,
            }
        }
        (text, markup)
    }

    #[test]
    fn hostile_values_render_as_typed() {
        for value in [
            "St John's & Woodlands *Star* Surgery #1",
            "Zoë O'Brien-Núñez {{ 7*7 }}",
            "<script>alert('x')</script>",
            "[x](javascript:alert(1))",
            "# Heading",
            "- item",
            "1. first",
            "2) second",
            "a | b | c",
            "~~gone~~ and _under_ and `code`",
            "&amp; &#169; & more",
            "![img](x.png)",
            "back\\slash",
            "===",
            "3. Three",
            "10)",
        ] {
            let (text, markup) = shown(&markdown_text(value));
            assert_eq!(text, value, "{value}");
            assert!(!markup, "{value} produced markup");
        }
    }

    /// Four spaces would start a code block; `https://` and `www.` would
    /// become links in a GFM reader (GitHub, pandoc's gfm).
    #[test]
    fn leading_spaces_and_bare_web_addresses_stay_text() {
        let (text, markup) = shown(&format!("\n{}\n", markdown_text("    Flat 4")));
        assert_eq!((text.as_str(), markup), ("Flat 4", false));
        assert_eq!(
            markdown_text("https://www.nhs.uk@evil.example"),
            "https\\://www\\.nhs.uk\\@evil.example"
        );
        assert_eq!(markdown_text("WWW.evil.example"), "WWW\\.evil.example");
        assert_eq!(markdown_text("awww.example"), "awww.example");
        assert_eq!(
            markdown_text("refunds@claim.example"),
            "refunds\\@claim.example"
        );
        let (text, markup) = shown(&markdown_text("see https://www.nhs.uk@evil.example"));
        assert_eq!(
            (text.as_str(), markup),
            ("see https://www.nhs.uk@evil.example", false)
        );
    }

    #[test]
    fn leaves_plain_punctuation_readable() {
        assert_eq!(
            markdown_text("St John's & Woodlands"),
            "St John's & Woodlands"
        );
        assert_eq!(markdown_text("0114 496 0456"), "0114 496 0456");
        assert_eq!(
            markdown_text("Dr A Patel, Senior Partner"),
            "Dr A Patel, Senior Partner"
        );
        assert_eq!(markdown_text("2.1"), "2.1");
    }

    #[test]
    fn link_keeps_url_whole() {
        let md = link("Complaints (online)", "https://example.org/a_(b)?x=1&y=<2>");
        let mut dest = None;
        for event in Parser::new_ext(&md, crate::markdown::options()) {
            if let Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) = event {
                dest = Some(dest_url.to_string());
            }
        }
        assert_eq!(dest.unwrap(), "https://example.org/a_(b)?x=1&y=<2>");
    }
}
