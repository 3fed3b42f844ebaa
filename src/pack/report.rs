//! Printing problems and results, as text or as JSON lines.

use crate::cli::{GlobalArgs, MessageFormat};
use crate::diagnostics::Diagnostic;

/// Prints a config's problems to stderr (or JSON lines to stdout).
pub fn problems(problems: &[Diagnostic], global: &GlobalArgs) {
    for problem in problems {
        match global.message_format {
            MessageFormat::Human => eprintln!("{}\n", problem.render()),
            MessageFormat::Json => println!(
                "{}",
                serde_json::to_string(&problem.to_json()).expect("JSON")
            ),
        }
    }
}
