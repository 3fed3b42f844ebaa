//! `policypack check`: load every config and report every problem.

use crate::Outcome;
use crate::cli::{CheckArgs, GlobalArgs, MessageFormat};
use crate::pack::discover;

pub fn run(args: &CheckArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let paths = discover::practice_files(&args.paths)?;
    let mut failed = 0;
    for path in &paths {
        match crate::config::load(path) {
            Ok(practice) => {
                if global.message_format == MessageFormat::Json {
                    println!(
                        "{}",
                        serde_json::json!({ "file": path.display().to_string(), "ok": true, "slug": practice.slug })
                    );
                } else if !global.quiet {
                    println!("ok: {} ({})", path.display(), practice.name());
                    if global.verbose {
                        for shared in &practice.sources[1..] {
                            println!("    extends {}", shared.path.display());
                        }
                    }
                }
            }
            Err(problems) => {
                failed += 1;
                crate::pack::report::problems(&problems, global);
            }
        }
    }
    if global.message_format == MessageFormat::Human && !global.quiet {
        let total = paths.len();
        if failed == 0 {
            println!(
                "{total} config{} checked, no problems",
                if total == 1 { "" } else { "s" }
            );
        } else {
            eprintln!(
                "{failed} of {total} config{} had problems",
                if total == 1 { "" } else { "s" }
            );
        }
    }
    Ok(if failed == 0 {
        Outcome::Success
    } else {
        Outcome::InputProblems
    })
}
