//! `policypack import epraccur`: NHS ODS practice list → practice configs.
//!
//! The work is in [`crate::import`]; this prints what it did. Bad rows and
//! configs that could not be updated are errors (exit 1, printed even with
//! `--quiet`); a missing CSV or an unwritable folder fails outright (exit 2).

use crate::Outcome;
use crate::cli::{GlobalArgs, ImportEpraccurArgs};
use crate::diagnostics::{ERROR, HINT, WARNING};
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
    // `extends` is written relative to each config, so it names a file in
    // the folder imported into.
    let missing_extends = args
        .extends
        .as_ref()
        .map(|shared| args.into.join(shared))
        .filter(|shared| !shared.is_file());
    if let Some(shared) = &missing_extends {
        anstream::eprintln!(
            "{WARNING}warning{WARNING:#}: --extends: {} does not exist, so the configs written will not check until it does\n  {HINT}hint{HINT:#}: create it with the LMC's shared sections ([commissioner], [lmc], [[defence_organisations]] …), or check the name; it is relative to the folder given with --into",
            shared.display()
        );
    }
    for bad in &report.bad_rows {
        anstream::eprintln!(
            "{csv}:{}: {ERROR}error{ERROR:#}: row skipped: {}",
            bad.line,
            bad.reason
        );
    }
    for (path, action) in &report.files {
        let path = path.display();
        match action {
            Action::Failed(problem) => {
                anstream::eprintln!("{path}: {ERROR}error{ERROR:#}: not updated: {problem}")
            }
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
    let denied = global.deny_warnings && missing_extends.is_some();
    Ok(if report.bad_rows.is_empty() && failed == 0 && !denied {
        Outcome::Success
    } else {
        Outcome::InputProblems
    })
}
