//! `policypack check`: load every config and report every problem, errors
//! and warnings, each once.

use super::report;
use crate::Outcome;
use crate::cli::{CheckArgs, GlobalArgs, MessageFormat};
use crate::diagnostics::Diagnostic;
use crate::pack::discover;

pub fn run(args: &CheckArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let paths = discover::practice_files(&args.paths)?;
    let mut failed = 0;
    let mut problems: Vec<Diagnostic> = Vec::new();
    for path in &paths {
        match crate::config::load(path) {
            Ok(practice) => {
                let refused = global.deny_warnings && !practice.warnings.is_empty();
                failed += usize::from(refused);
                if global.message_format == MessageFormat::Json {
                    println!(
                        "{}",
                        serde_json::json!({
                            "file": path.display().to_string(),
                            "ok": !refused,
                            "slug": practice.slug,
                            "warnings": practice.warnings.len(),
                        })
                    );
                } else if !global.quiet && !refused {
                    println!(
                        "ok: {} ({})",
                        crate::diagnostics::printable(&path.display().to_string()),
                        crate::diagnostics::terminal_safe(practice.name())
                    );
                    if global.verbose {
                        for shared in &practice.sources[1..] {
                            println!("    extends {}", shared.path.display());
                        }
                    }
                }
                problems.extend(practice.warnings);
            }
            Err(errors) => {
                failed += 1;
                problems.extend(errors);
            }
        }
    }
    report::problems(&problems, global);
    if global.message_format == MessageFormat::Human && !global.quiet {
        let total = paths.len();
        let configs = if total == 1 { "config" } else { "configs" };
        let (all, warnings) = report::count(&problems);
        let errors = all - warnings;
        let mut counts = Vec::new();
        if errors > 0 {
            counts.push(format!("{errors} error{}", plural(errors)));
        }
        if warnings > 0 {
            counts.push(format!("{warnings} warning{}", plural(warnings)));
        }
        let mut summary = format!("{total} {configs} checked");
        if counts.is_empty() {
            summary.push_str(", no problems");
        } else {
            summary.push_str(&format!(": {}", counts.join(", ")));
        }
        if failed > 0 {
            summary.push_str(&format!("; {failed} of {total} {configs} had problems"));
        }
        if failed > 0 {
            anstream::eprintln!("{summary}");
        } else {
            println!("{summary}");
        }
    }
    Ok(if failed == 0 {
        Outcome::Success
    } else {
        Outcome::InputProblems
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
