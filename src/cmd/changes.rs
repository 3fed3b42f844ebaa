//! `policypack changes`: the change reports of earlier builds, as CSV for
//! a mail merge, JSON, or Markdown to read.

use std::io::Write as _;

use crate::Outcome;
use crate::cli::{ChangesArgs, GlobalArgs, ReportFormat};
use crate::content::escape::markdown_text;
use crate::diagnostics::{ERROR, HINT, WARNING};
use crate::pack::changes::{self, ChangeReport};

pub fn run(args: &ChangesArgs, _global: &GlobalArgs) -> anyhow::Result<Outcome> {
    crate::input::no_link_of_others(&args.out)?;
    anyhow::ensure!(
        args.out.is_dir(),
        "{} is not a folder; give the output folder of your builds with -o",
        args.out.display()
    );
    let (found, mut warnings) = changes::find(&args.out);
    let (manifest, distrusted) = crate::pack::manifest::Manifest::read(&args.out);
    warnings.extend(distrusted);
    for warning in &warnings {
        anstream::eprintln!("{WARNING}warning{WARNING:#}: {warning}");
    }
    // The newest build's report is the newest the manifest records: one
    // deleted since (by anyone who may write in `out/`) is named, never
    // stood in for by an older one, and so is any other recorded report
    // asked for that is gone. Then nothing, or only what is there, is
    // shown, and the exit code is 2.
    let folder = args.out.join(crate::utils::CHANGES_FOLDER);
    let gone_error = |name: &str| {
        format!(
            "{} was deleted or moved after its build, which recorded it, so what it said cannot be shown",
            folder.join(name).display()
        )
    };
    let newest = match changes::newest(&manifest, &found) {
        changes::Newest::At(at) => Some(at),
        changes::Newest::None => None,
        changes::Newest::Missing(name) if !args.all && args.since.is_none() => {
            anstream::eprintln!(
                "{ERROR}error{ERROR:#}: the newest build's change report is missing: {}",
                gone_error(&name)
            );
            anstream::eprintln!(
                "{HINT}hint{HINT:#}: restore it from a backup of {}; older builds' reports are shown with --all",
                folder.display()
            );
            return Ok(Outcome::IoProblems);
        }
        changes::Newest::Missing(_) => None,
    };
    let since = if args.all { None } else { args.since };
    let mut incomplete = false;
    if args.all || args.since.is_some() {
        for name in changes::missing(&manifest, &found, since) {
            anstream::eprintln!(
                "{WARNING}warning{WARNING:#}: a build's change report is missing: {}",
                gone_error(&name)
            );
            incomplete = true;
        }
    }
    let recorded = |found: &changes::Found| {
        let name = found
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        manifest
            .reports
            .as_ref()
            .is_some_and(|r| name.is_some_and(|name| r.contains_key(&name)))
    };
    // Chosen by the names, which carry the time, before any is read: one
    // report in memory at a time.
    let chosen: Vec<(bool, changes::Found)> = found
        .into_iter()
        .enumerate()
        .filter(|(i, f)| match (args.all, args.since) {
            (true, _) => true,
            (false, Some(since)) => f.time.date() >= since,
            (false, None) => Some(*i) == newest,
        })
        .map(|(i, f)| (Some(i) == newest, f))
        .collect();
    let mut stdout = std::io::stdout().lock();
    // Written first, so that no report still gives a CSV with its header.
    let mut csv = match args.format {
        ReportFormat::Csv => Some(changes::csv_writer(std::io::stdout())?),
        _ => None,
    };
    if chosen.is_empty() && args.format == ReportFormat::Md {
        let since = args
            .since
            .map(|d| format!(" since {d}"))
            .unwrap_or_default();
        writeln!(
            stdout,
            "No builds{since} recorded in {}.",
            args.out.join(crate::utils::CHANGES_FOLDER).display()
        )?;
    }
    for (is_newest, found) in chosen {
        let report = match found.read(&manifest, is_newest) {
            Ok((report, gone)) => {
                if gone > 0 {
                    anstream::eprintln!(
                        "{WARNING}warning{WARNING:#}: {}: {gone} practice{} no longer in the manifest (pruned) left out",
                        found.path.display(),
                        if gone == 1 { "" } else { "s" }
                    );
                }
                report
            }
            Err(problem) => {
                anstream::eprintln!(
                    "{WARNING}warning{WARNING:#}: {} was skipped: {problem}",
                    found.path.display()
                );
                // A report a build recorded, changed since: what it said is lost.
                incomplete |= recorded(&found);
                continue;
            }
        };
        match (&mut csv, args.format) {
            (Some(csv), _) => changes::write_csv_rows(csv, &report)?,
            (None, ReportFormat::Json) => {
                for practice in &report.practices {
                    let mut line = serde_json::to_value(practice)?;
                    line["built_at"] = report.built_at.clone().into();
                    line["message"] = practice.message().into();
                    writeln!(stdout, "{line}")?;
                }
            }
            (None, _) => write_markdown(&mut stdout, &report)?,
        }
    }
    if let Some(mut csv) = csv {
        csv.flush()?;
    }
    Ok(match incomplete {
        true => Outcome::IoProblems,
        false => Outcome::Success,
    })
}

/// A heading per build and a table row per practice.
fn write_markdown(out: &mut impl std::io::Write, report: &ChangeReport) -> std::io::Result<()> {
    let reprint = report.practices.iter().filter(|p| p.reprint).count();
    writeln!(
        out,
        "## Build of {}: {} practice{}, {reprint} to reprint\n",
        report.built_at.replace('T', " ").replace('Z', " UTC"),
        report.practices.len(),
        if report.practices.len() == 1 { "" } else { "s" },
    )?;
    if report.practices.is_empty() {
        return writeln!(
            out,
            "Nothing to tell any practice: this build made files again that say what they said before.\n"
        );
    }
    writeln!(
        out,
        "| Practice | ODS code | Reprint | What to do, and why |"
    )?;
    writeln!(out, "|---|---|---|---|")?;
    for p in &report.practices {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&p.name),
            cell(&p.ods_code),
            if p.reprint { "yes" } else { "no" },
            cell(&p.message())
        )?;
    }
    writeln!(out)
}

/// Text for a Markdown table cell: escaped (`|` too), on one line, and
/// without control characters (a report is read back with distrust, and
/// this goes to a terminal).
fn cell(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    markdown_text(&crate::diagnostics::printable(&line))
}
