//! `policypack changes`: the change reports of earlier builds, as CSV for
//! a mail merge, JSON, or Markdown to read.

use std::io::Write as _;

use crate::Outcome;
use crate::cli::{ChangesArgs, GlobalArgs, ReportFormat};
use crate::content::escape::markdown_text;
use crate::diagnostics::WARNING;
use crate::pack::changes::{self, ChangeReport};

pub fn run(args: &ChangesArgs, _global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let (reports, warnings) = changes::read_all(&args.out);
    for warning in &warnings {
        anstream::eprintln!("{WARNING}warning{WARNING:#}: {warning}");
    }
    let newest = reports.len().saturating_sub(1);
    let reports: Vec<ChangeReport> = reports
        .into_iter()
        .enumerate()
        .filter(|&(i, _)| args.all || args.since.is_some() || i == newest)
        .map(|(_, r)| r)
        .filter(|r| {
            args.since.is_none_or(|since| {
                r.built_at
                    .get(..10)
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .is_some_and(|day| day >= since)
            })
        })
        .collect();
    let mut stdout = std::io::stdout().lock();
    match args.format {
        ReportFormat::Csv => stdout.write_all(&changes::to_csv(&reports)?)?,
        ReportFormat::Json => {
            for report in &reports {
                for practice in &report.practices {
                    let mut line = serde_json::to_value(practice)?;
                    line["built_at"] = report.built_at.clone().into();
                    line["message"] = practice.message().into();
                    writeln!(stdout, "{line}")?;
                }
            }
        }
        ReportFormat::Md => {
            if reports.is_empty() {
                let since = args
                    .since
                    .map(|d| format!(" since {d}"))
                    .unwrap_or_default();
                writeln!(
                    stdout,
                    "No builds{since} recorded in {}.",
                    args.out.join(changes::FOLDER).display()
                )?;
            }
            for report in &reports {
                write_markdown(&mut stdout, report)?;
            }
        }
    }
    Ok(Outcome::Success)
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

/// Text for a Markdown table cell: escaped (`|` too), on one line.
fn cell(text: &str) -> String {
    markdown_text(&text.replace(['\n', '\r'], " "))
}
