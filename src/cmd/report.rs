//! Printing problems and results, as text or as JSON lines.

use std::collections::HashSet;

use crate::cli::{GlobalArgs, MessageFormat};
use crate::diagnostics::{Diagnostic, Severity};

/// Prints problems to stderr (or JSON lines to stdout), each once: a
/// shared file's problem reached through many practices is one problem.
/// Warnings are left out with `--quiet`, unless they count as errors.
/// The most problems shown for a person to read per call (one config, or
/// one build's); JSON has every one.
const MAX_SHOWN: usize = 100;

pub fn problems<'a>(problems: impl IntoIterator<Item = &'a Diagnostic>, global: &GlobalArgs) {
    let mut seen = HashSet::new();
    let mut hidden = 0;
    for problem in problems {
        if problem.is_warning() && global.quiet && !global.deny_warnings {
            continue;
        }
        if !seen.insert(problem.identity()) {
            continue;
        }
        // With --deny-warnings a warning is an error, and says so.
        let denied;
        let problem = if problem.is_warning() && global.deny_warnings {
            denied = Diagnostic {
                severity: Severity::Error,
                ..problem.clone()
            };
            &denied
        } else {
            problem
        };
        match global.message_format {
            MessageFormat::Human if seen.len() > MAX_SHOWN => hidden += 1,
            MessageFormat::Human => anstream::eprintln!("{}\n", problem.render()),
            MessageFormat::Json => {
                println!("{}", crate::diagnostics::json_line(&problem.to_json()))
            }
        }
    }
    if hidden > 0 {
        anstream::eprintln!(
            "… and {hidden} more problems like these; --message-format json lists every one\n"
        );
    }
}

/// How many different problems there are, and how many of them are warnings.
pub fn count<'a>(problems: impl IntoIterator<Item = &'a Diagnostic>) -> (usize, usize) {
    let mut seen = HashSet::new();
    let mut warnings = 0;
    let mut all = 0;
    for problem in problems {
        if seen.insert(problem.identity()) {
            all += 1;
            warnings += usize::from(problem.is_warning());
        }
    }
    (all, warnings)
}
