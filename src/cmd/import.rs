//! `policypack import epraccur`: NHS ODS practice list → practice configs.
//!
//! The work is in [`crate::import`]; this prints what it did. Bad rows and
//! configs that could not be updated are errors (exit 1, printed even with
//! `--quiet`); a missing CSV or an unwritable folder fails outright (exit 2).

use crate::Outcome;
use crate::cli::{GlobalArgs, ImportEpraccurArgs};
use crate::import::epraccur::{self, Action, Options};

pub fn run(args: &ImportEpraccurArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let report = epraccur::import(&Options {
        csv: &args.csv,
        into: &args.into,
        commissioners: &args.commissioners,
        postcode_prefixes: &args.postcode_prefixes,
        extends: args.extends.as_deref(),
        update: args.update,
    })?;
    let csv = args.csv.display();
    for bad in &report.bad_rows {
        eprintln!("{csv}:{}: error: row skipped: {}", bad.line, bad.reason);
    }
    for (path, action) in &report.files {
        let path = path.display();
        match action {
            Action::Failed(problem) => eprintln!("{path}: error: not updated: {problem}"),
            Action::Updated(keys) if !global.quiet => {
                println!("updated {path}: practice.{}", keys.join(", practice."));
            }
            Action::Written if global.verbose => println!("wrote {path}"),
            Action::Skipped if global.verbose => println!("skipped {path} (already exists)"),
            Action::Unchanged if global.verbose => println!("unchanged {path}"),
            _ => {}
        }
    }
    let failed = report.count(|a| matches!(a, Action::Failed(_)));
    if !global.quiet {
        let mut summary = format!(
            "written {}, skipped {} (already exist), updated {}, bad rows {}",
            report.count(|a| *a == Action::Written),
            report.count(|a| *a == Action::Skipped),
            report.count(|a| matches!(a, Action::Updated(_))),
            report.bad_rows.len(),
        );
        if args.update {
            summary += &format!("; unchanged {}", report.count(|a| *a == Action::Unchanged));
        }
        if failed > 0 {
            summary += &format!("; not updated {failed}");
        }
        println!("{summary}");
    }
    Ok(if report.bad_rows.is_empty() && failed == 0 {
        Outcome::Success
    } else {
        Outcome::InputProblems
    })
}
