//! Problems found in a config, and how they are shown.
//!
//! Every stage that reads a config reports a [`Diagnostic`]: the file, the
//! line and column, the key path (`complaints.phone`), what is wrong and a
//! hint saying how to fix it. This module turns them into the human form
//! (`file:line:col: error: key: message`, the source line, a caret, a hint)
//! or into JSON for `--message-format json`.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

/// The colours of `error:`, `warning:` and `hint:`, as cargo has them.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
pub const HINT: Style = AnsiColor::Cyan.on_default().bold();

/// A config file's path and text, kept so that problems can quote it.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    /// Where each line starts, worked out once: a file with thousands of
    /// problems would otherwise be scanned from the top for each.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        SourceFile {
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let starts = self.line_starts();
        let line = starts.partition_point(|&start| start <= offset);
        let line_start = starts[line - 1];
        let col = self.text[line_start..offset].chars().count() + 1;
        (line, col)
    }

    fn line_text(&self, line: usize) -> &str {
        let starts = self.line_starts();
        let Some(&start) = starts.get(line - 1) else {
            return "";
        };
        let end = starts.get(line).map_or(self.text.len(), |&next| next - 1);
        self.text[start..end].trim_end_matches('\r')
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where in which file something was written.
#[derive(Debug, Clone)]
pub struct Origin {
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
}

/// How much a problem matters: an error stops the practice being built
/// (exit 1); a warning is printed and the build goes on (exit 0, unless
/// `--deny-warnings`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem with a config.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    pub origin: Option<Origin>,
    /// The key path, such as `complaints.phone` or `social_media.accounts[1].url`.
    pub key: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file (unreadable, empty, not UTF-8).
    pub fn file(path: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_path_buf(),
            origin: None,
            key: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A problem at a place in a file.
    pub fn at(origin: &Origin, key: Option<&str>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path: origin.file.path.clone(),
            origin: Some(origin.clone()),
            key: key.map(str::to_owned),
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// The same problem, about a key.
    pub fn for_key(mut self, key: &str) -> Diagnostic {
        self.key = Some(key.to_string());
        self
    }

    /// The same problem as a warning.
    pub fn warning(mut self) -> Diagnostic {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// What makes two reports of a problem the same one: a shared file's
    /// problem found through many practices is printed once.
    pub fn identity(&self) -> (PathBuf, Option<(usize, usize)>, Option<String>, String) {
        (
            self.path.clone(),
            self.line_col(),
            self.key.clone(),
            self.message.clone(),
        )
    }

    pub fn line_col(&self) -> Option<(usize, usize)> {
        self.origin.as_ref().map(|o| o.file.line_col(o.span.start))
    }

    /// `file:line:col: error: key: message`, the source line with a caret,
    /// and the hint, with ANSI colours as cargo uses them (error red,
    /// warning yellow, hint cyan); [`anstream`] removes them where colour
    /// is off.
    pub fn render(&self) -> String {
        let (label, style) = match self.severity {
            Severity::Error => ("error", ERROR),
            Severity::Warning => ("warning", WARNING),
        };
        let mut out = String::new();
        let _ = write!(out, "{}", terminal_safe(&self.path.display().to_string()));
        if let Some((line, col)) = self.line_col() {
            let _ = write!(out, ":{line}:{col}");
        }
        let _ = write!(out, ": {style}{label}{style:#}: ");
        if let Some(key) = &self.key {
            let _ = write!(out, "{}: ", terminal_safe(&shortened(key, MAX_SHOWN)));
        }
        out.push_str(&terminal_safe(&shortened(&self.message, MAX_SHOWN)));
        if let (Some(origin), Some((line, col))) = (&self.origin, self.line_col()) {
            let text = origin.file.line_text(line);
            let width = line.to_string().len();
            let span_text = &origin.file.text[origin.span.clone()];
            let span_chars = span_text.lines().next().unwrap_or("").chars().count();
            let carets = span_chars
                .min(text.chars().count().saturating_sub(col - 1))
                .max(1);
            // A long line (a config written on one line) is shown as a
            // window round the column, as every problem on it would print
            // it whole again.
            let chars: Vec<char> = text.chars().collect();
            let from = (col - 1)
                .saturating_sub(WINDOW / 3)
                .min(chars.len().saturating_sub(WINDOW));
            let to = chars.len().min(from + WINDOW);
            let (col, carets) = (col - from, carets.min(to.saturating_sub(col - 1)).max(1));
            let shown: String = (from > 0)
                .then_some('…')
                .into_iter()
                .chain(chars[from..to].iter().copied())
                .chain((to < chars.len()).then_some('…'))
                .map(|c| if is_unsafe(c) { ' ' } else { c })
                .collect();
            let col = if from > 0 { col + 1 } else { col };
            let _ = write!(
                out,
                "\n {line:>width$} | {shown}\n {blank:>width$} | {pad}{style}{marks}{style:#}",
                blank = "",
                pad = " ".repeat(col - 1),
                marks = "^".repeat(carets),
            );
        }
        if let Some(hint) = &self.hint {
            let _ = write!(out, "\n  {HINT}hint{HINT:#}: {}", terminal_safe(hint));
        }
        out
    }

    pub fn to_json(&self) -> JsonDiagnostic<'_> {
        let (line, column) = self.line_col().unzip();
        JsonDiagnostic {
            severity: self.severity,
            file: self.path.display().to_string(),
            line,
            column,
            key: self.key.as_deref(),
            message: &self.message,
            hint: self.hint.as_deref(),
        }
    }
}

/// The most characters of a source line a problem shows.
const WINDOW: usize = 200;
/// The most characters of a key or message a problem shows: a key written
/// a megabyte long is still one key.
const MAX_SHOWN: usize = 400;

/// `text`, cut to `max` characters with "…" when longer.
fn shortened(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]).into(),
        None => text.into(),
    }
}

/// True for a character that would act on a terminal rather than show:
/// C0 and C1 controls (escape sequences that move the cursor, erase lines,
/// hide text or set the clipboard) and direction overrides.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
        // Direction marks, and the line and paragraph separators some
        // terminals break a line at.
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2028}' | '\u{2029}')
}

/// A file name as it may be printed: every character of [`is_unsafe`]
/// (control characters, which could clear a terminal or fake a line, line
/// breaks among them, and direction overrides) as `?`.
pub fn printable(name: &str) -> String {
    name.chars()
        .map(|c| if is_unsafe(c) { '?' } else { c })
        .collect()
}

/// `text` as it may be printed to a terminal: every character of
/// [`is_unsafe`] but a line break shown as `?`. Keys, paths and values
/// from a config reach messages, and a config is a member practice's.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| if c != '\n' && is_unsafe(c) { '?' } else { c })
        .collect::<String>()
        .into()
}

/// A JSON line with every character a terminal would act on (C1 controls,
/// direction overrides, characters that show nothing) written as a
/// `\uXXXX` escape, which JSON readers decode to the same text.
pub fn json_line(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).expect("JSON");
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The JSON form of a [`Diagnostic`], one object per problem.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub severity: Severity,
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub key: Option<&'a str>,
    pub message: &'a str,
    pub hint: Option<&'a str>,
}

/// "Did you mean" from a list of known names.
pub fn did_you_mean<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile::new("p.toml".into(), text.into()))
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let file = source("a = 1\nnamë = \"x\"\n");
        let offset = file.text.find('=').unwrap();
        assert_eq!(file.line_col(offset), (1, 3));
        let offset = file.text.rfind('"').unwrap();
        assert_eq!(file.line_col(offset), (2, 10));
    }

    #[test]
    fn escapes_from_a_config_never_reach_the_terminal() {
        let file = source("\"\u{1b}[2K\u{9b}31m\" = 1\n");
        let origin = Origin { file, span: 0..3 };
        let text = Diagnostic::at(
            &origin,
            Some("\u{1b}[2K\u{9b}31m"),
            "file not found: \u{1b}]52;c;x\u{7}.png",
        )
        .with_hint("\u{202e}gnp")
        .render();
        let plain = anstream::adapter::strip_str(&text).to_string();
        assert!(
            !plain.chars().any(|c| c != '\n' && is_unsafe(c)),
            "{plain:?}"
        );
        assert!(
            plain.contains("?[2K?31m: file not found: ?]52;c;x?.png"),
            "{plain:?}"
        );
    }

    #[test]
    fn renders_location_key_caret_and_hint() {
        let file = source("[complaints]\nphone = \"123\"\n");
        let start = file.text.find("\"123\"").unwrap();
        let origin = Origin {
            file,
            span: start..start + 5,
        };
        let text = Diagnostic::at(&origin, Some("complaints.phone"), "not a UK phone number")
            .with_hint("write 10 or 11 digits")
            .render();
        assert_eq!(
            anstream::adapter::strip_str(&text).to_string(),
            "p.toml:2:9: error: complaints.phone: not a UK phone number\n 2 | phone = \"123\"\n   |         ^^^^^\n  hint: write 10 or 11 digits"
        );
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_round_the_problem() {
        let line = format!("practice = {{ {} bad = 1 }}", "k = 1, ".repeat(100_000));
        let file = source(&format!("{line}\n"));
        let start = file.text.find("bad").unwrap();
        let origin = Origin {
            file,
            span: start..start + 3,
        };
        let key = "x".repeat(1_000_000);
        let text = Diagnostic::at(&origin, Some(&key), "unknown key").render();
        let plain = anstream::adapter::strip_str(&text).to_string();
        assert!(plain.len() < 2_000, "{} bytes", plain.len());
        let lines: Vec<&str> = plain.lines().collect();
        let caret = lines[2].find('^').unwrap();
        let under: String = lines[1].chars().skip(caret).take(3).collect();
        assert_eq!(under, "bad", "{plain}");
    }

    #[test]
    fn colours_the_label_like_cargo() {
        let file = source("a = 1\n");
        let origin = Origin { file, span: 0..1 };
        let error = Diagnostic::at(&origin, None, "bad").render();
        assert!(
            error.contains(&format!("{ERROR}error{ERROR:#}")),
            "{error:?}"
        );
        let warning = Diagnostic::at(&origin, None, "weak").warning().render();
        assert!(
            warning.contains(&format!("{WARNING}warning{WARNING:#}")),
            "{warning:?}"
        );
    }

    #[test]
    fn suggests_close_key() {
        assert_eq!(
            did_you_mean("postcod", ["phone", "postcode"]),
            Some("postcode")
        );
        assert_eq!(did_you_mean("zzz", ["phone", "postcode"]), None);
    }
}

#[cfg(test)]
mod json_tests {
    #[test]
    fn a_json_line_escapes_what_a_terminal_would_act_on() {
        let line = super::json_line(&"a\u{202e}b\u{9b}c\u{1F600}");
        assert_eq!(line, "\"a\\u202eb\\u009bc\u{1F600}\"");
        let back: String = serde_json::from_str(&line).unwrap();
        assert_eq!(back, "a\u{202e}b\u{9b}c\u{1F600}");
    }
}
