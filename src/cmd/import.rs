//! `policypack import epraccur`: NHS ODS practice list → practice configs.
//!
//! The work is in [`crate::import`]; this prints what it did, or with
//! `--dry-run` what it would do: each file written or updated, with every
//! key's old and new value. Bad rows and configs that could not be updated
//! are errors (exit 1, printed even with `--quiet`); a name or phone number
//! left as the config has it is a warning (exit 0, unless
//! `--deny-warnings`); a missing CSV or an unwritable folder fails outright
//! (exit 2).

use super::report;
use crate::Outcome;
use crate::cli::{GlobalArgs, ImportEpraccurArgs, MessageFormat};
use crate::diagnostics::{ERROR, HINT, JsonDiagnostic, Severity, WARNING};
use crate::import::config::{Change, Difference, Left, shown};
use crate::import::epraccur::{self, Options, Report};
use crate::import::write::{Action, FileReport};

pub fn run(args: &ImportEpraccurArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    // Never into a folder reached through a link someone else made.
    crate::input::no_link_of_others(&args.into)?;
    // A config may extend only a file in its own folder (see `check`): a
    // path that reaches outside would write configs none of which builds.
    if let Some(extends) = &args.extends
        && let Err(reason) = crate::input::confined(&args.into, extends)
    {
        anyhow::bail!(
            "--extends {extends}: {reason}; put the shared file in {} and give its name alone, e.g. --extends _lmc.toml",
            args.into.display()
        );
    }
    let report = epraccur::import(&Options {
        csv: &args.csv,
        into: &args.into,
        commissioners: &args.commissioners,
        postcode_prefixes: &args.postcode_prefixes,
        extends: args.extends.as_deref(),
        update: args.update,
        force: args.force,
        dry_run: args.dry_run,
    })?;
    // `extends` is written relative to each config, so it names a file in
    // the folder imported into.
    let missing_extends = args
        .extends
        .as_ref()
        .map(|shared| args.into.join(shared))
        .filter(|shared| !shared.is_file());
    let json = global.message_format == MessageFormat::Json;
    if let Some(shared) = &missing_extends {
        let message = format!(
            "--extends: {} does not exist, so the configs written will not check until it does",
            shared.display()
        );
        let hint = "create it with the LMC's shared sections ([commissioner], [lmc], [[defence_organisations]] …), or check the name; it is relative to the folder given with --into";
        if json {
            let severity = if global.deny_warnings {
                Severity::Error
            } else {
                Severity::Warning
            };
            print_json_problem(
                severity,
                &shared.display().to_string(),
                None,
                &message,
                Some(hint),
            );
        } else {
            anstream::eprintln!(
                "{WARNING}warning{WARNING:#}: {message}\n  {HINT}hint{HINT:#}: {hint}"
            );
        }
    }
    let csv = args.csv.display().to_string();
    for bad in &report.bad_rows.rows {
        let message = format!("row skipped: {}", bad.reason);
        if json {
            print_json_problem(Severity::Error, &csv, Some(bad.line), &message, None);
        } else {
            anstream::eprintln!(
                "{}:{}: {ERROR}error{ERROR:#}: {}",
                crate::diagnostics::printable(&csv),
                bad.line,
                crate::diagnostics::printable(&message)
            );
        }
    }
    let unshown = report.bad_rows.total - report.bad_rows.rows.len();
    if unshown > 0 && !json {
        anstream::eprintln!(
            "{csv}: … and {unshown} more bad rows (the first {} are shown)",
            report.bad_rows.rows.len()
        );
    }
    for file in &report.files {
        if json {
            print_json_file(file, args.dry_run);
        } else {
            print_file(file, args.dry_run, global);
        }
    }
    report::problems(report.files.iter().flat_map(|f| &f.problems), global);
    if json {
        print_json_summary(&report, args.dry_run);
    } else if !global.quiet {
        println!("{}", summary(&report, args.update, args.dry_run));
    }
    let warned = missing_extends.is_some() || report.left(Left::Differs) > 0;
    let denied = global.deny_warnings && warned;
    Ok(
        if report.bad_rows.total == 0 && report.count(Action::Failed) == 0 && !denied {
            Outcome::Success
        } else {
            Outcome::InputProblems
        },
    )
}

/// A file's lines: what was (or would be) written or changed, key by key.
fn print_file(file: &FileReport, dry_run: bool, global: &GlobalArgs) {
    if global.quiet {
        return;
    }
    let path = crate::diagnostics::printable(&file.path.display().to_string());
    match file.action {
        // A dry run is asked for to see what would happen: it always shows it.
        Action::Written if dry_run => {
            println!("would write {path}");
            for change in &file.changes {
                println!("    {} = {}", change.key, shown(&change.new));
            }
        }
        Action::Written if global.verbose => println!("wrote {path}"),
        Action::Updated => {
            let keys: Vec<&str> = file.changes.iter().map(|c| c.key).collect();
            let verb = if dry_run { "would update" } else { "updated" };
            println!("{verb} {path}: {}", keys.join(", "));
            for change in &file.changes {
                println!("    {}", old_to_new(change));
            }
        }
        Action::Skipped if global.verbose => println!("skipped {path} (already exists)"),
        Action::Unchanged if global.verbose => println!("unchanged {path}"),
        _ => {}
    }
    if global.verbose {
        for kept in file.differences.iter().filter(|d| d.left == Left::Kept) {
            println!(
                "kept {path}: {} {} (ODS: {}), as keep asks",
                kept.key.path(),
                shown(&kept.config),
                shown(&kept.ods)
            );
        }
    }
}

/// `practice.phone: "01302 999999" → "01302 710326"`.
fn old_to_new(change: &Change) -> String {
    match &change.old {
        Some(old) => format!("{}: {} → {}", change.key, shown(old), shown(&change.new)),
        None => format!("{}: (not set) → {}", change.key, shown(&change.new)),
    }
}

/// `written 7, skipped 0 (already exist), updated 0, bad rows 0`, and
/// with `--update` what was left; a dry run says so first.
fn summary(report: &Report, update: bool, dry_run: bool) -> String {
    let (written, updated) = if dry_run {
        ("would write", "would update")
    } else {
        ("written", "updated")
    };
    let mut summary = format!(
        "{written} {}, skipped {} (already exist), {updated} {}, bad rows {}",
        report.count(Action::Written),
        report.count(Action::Skipped),
        report.count(Action::Updated),
        report.bad_rows.total,
    );
    if update {
        summary += &format!("; unchanged {}", report.count(Action::Unchanged));
    }
    for (count, what) in [
        (report.left(Left::Differs), "not replaced"),
        (report.left(Left::Kept), "kept"),
        (report.count(Action::Failed), "not updated"),
    ] {
        if count > 0 {
            summary += &format!("; {what} {count}");
        }
    }
    if dry_run {
        summary = format!("dry run, nothing written: {summary}");
    }
    summary
}

fn print_json_file(file: &FileReport, dry_run: bool) {
    let changes: Vec<serde_json::Value> = file
        .changes
        .iter()
        .map(|c| serde_json::json!({ "key": c.key, "old": c.old, "new": c.new }))
        .collect();
    let left = |left: Left| -> Vec<serde_json::Value> {
        file.differences
            .iter()
            .filter(|d| d.left == left)
            .map(|d: &Difference| {
                serde_json::json!({ "key": d.key.path(), "config": d.config, "ods": d.ods })
            })
            .collect()
    };
    println!(
        "{}",
        crate::diagnostics::json_line(&serde_json::json!({
            "file": file.path.display().to_string(),
            "action": file.action.word(),
            "dry_run": dry_run,
            "changes": changes,
            "not_replaced": left(Left::Differs),
            "kept": left(Left::Kept),
        }))
    );
}

fn print_json_summary(report: &Report, dry_run: bool) {
    println!(
        "{}",
        serde_json::json!({
            "summary": {
                "dry_run": dry_run,
                "written": report.count(Action::Written),
                "skipped": report.count(Action::Skipped),
                "updated": report.count(Action::Updated),
                "unchanged": report.count(Action::Unchanged),
                "not_updated": report.count(Action::Failed),
                "bad_rows": report.bad_rows.total,
                "not_replaced": report.left(Left::Differs),
                "kept": report.left(Left::Kept),
            }
        })
    );
}

/// A problem without a place in a config (a CSV row, the `--extends`
/// file), in the JSON form of every other problem.
fn print_json_problem(
    severity: Severity,
    file: &str,
    line: Option<u64>,
    message: &str,
    hint: Option<&str>,
) {
    let problem = JsonDiagnostic {
        severity,
        file: file.to_string(),
        line: line.map(|l| l as usize),
        column: None,
        key: None,
        message,
        hint,
    };
    println!("{}", crate::diagnostics::json_line(&problem));
}
