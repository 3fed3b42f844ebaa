//! `policypack build`: build every practice named, incrementally, and say
//! what changed and why.

use std::io::IsTerminal as _;

use super::report;
use crate::Outcome;
use crate::cli::{BuildArgs, GlobalArgs, MessageFormat};
use crate::diagnostics::ERROR;
use crate::pack::batch::{self, BatchOptions, Report};
use crate::pack::build::{BuildOptions, Built};

pub fn run(args: &BuildArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let mut formats = args.formats.clone();
    formats.sort();
    formats.dedup();
    let mut editions = args.editions.clone();
    editions.sort();
    editions.dedup();
    let mut docs = args.docs.clone();
    docs.sort();
    docs.dedup();
    if let Some(dir) = &args.templates {
        anyhow::ensure!(
            dir.is_dir(),
            "the templates folder {} does not exist",
            dir.display()
        );
    }
    let nothing = docs.iter().all(|&kind| {
        editions.iter().all(|e| {
            formats
                .iter()
                .all(|&format| !e.edition().makes(kind, format))
        })
    });
    if nothing {
        anyhow::bail!(
            "these --docs, --editions and --formats make no file: large-print makes only the zero-tolerance notice and the complaints leaflet, as pdf or docx"
        );
    }
    let options = BatchOptions {
        build: BuildOptions {
            out: args.out.clone(),
            docs,
            formats,
            editions,
            templates: args.templates.clone(),
            force: args.force,
            zip: args.zip,
            deny_warnings: global.deny_warnings,
        },
        jobs: args.jobs,
        prune: args.prune,
        deny_warnings: global.deny_warnings,
        wait: !args.no_wait,
        progress: !global.quiet
            && global.message_format == MessageFormat::Human
            && std::io::stderr().is_terminal(),
    };
    let report = batch::run(&args.paths, &options)?;
    if global.message_format == MessageFormat::Json {
        print_json(&report);
    } else {
        print_practices(&report, global);
    }
    // Problems after what was built, and the summary last, as cargo does.
    report::problems(
        report
            .warnings
            .iter()
            .chain(report.failed.iter().flat_map(|(_, problems)| problems)),
        global,
    );
    for error in &report.io_errors {
        anstream::eprintln!("{ERROR}error{ERROR:#}: {error}");
    }
    if global.message_format == MessageFormat::Human {
        if !report.failed.is_empty() {
            anstream::eprintln!("{ERROR}failed{ERROR:#}:");
            for (path, _) in &report.failed {
                anstream::eprintln!("  {}", path.display());
            }
        }
        if !global.quiet {
            print_summary(&report);
        }
    }
    if report.interrupted {
        eprintln!(
            "interrupted: every file is either as it was or complete; run the build again to finish"
        );
        return Ok(Outcome::Interrupted);
    }
    // With --deny-warnings a warning of the build's own (a folder in out/
    // no build recorded, a manifest not as the last build left it) is
    // shown as an error, and counts as one.
    let denied = global.deny_warnings && !report.warnings.is_empty();
    Ok(if report.io_failed {
        Outcome::IoProblems
    } else if report.failed.is_empty() && !denied {
        Outcome::Success
    } else {
        Outcome::InputProblems
    })
}

/// One line per practice that changed (and, with `-v`, per unchanged one),
/// then practices whose configs have gone.
fn print_practices(report: &Report, global: &GlobalArgs) {
    for done in &report.done {
        let built = &done.built;
        if !changed(built) {
            if global.verbose {
                println!("{}: unchanged", done.slug);
            }
            continue;
        }
        if global.quiet {
            continue;
        }
        let docs: Vec<&str> = built.rewritten.iter().map(|k| k.stem()).collect();
        if built.why.new {
            println!("{}: built {} (new)", done.slug, docs.join(", "));
        } else if docs.is_empty() && built.zip_written {
            println!("{}: zip written", done.slug);
        } else if docs.is_empty() {
            println!("{}: no document changed ({})", done.slug, cause(built));
        } else {
            let paper = report
                .changes
                .iter()
                .find(|c| c.slug == done.slug)
                .map(|change| {
                    let mut paper = Vec::new();
                    if change.reprint {
                        paper.push("reprint");
                    }
                    if change.sign_again {
                        paper.push("staff sign again");
                    }
                    paper
                })
                .unwrap_or_default();
            let paper = if paper.is_empty() {
                String::new()
            } else {
                format!(" ({})", paper.join("; "))
            };
            println!(
                "{}: {} — {}{paper}",
                done.slug,
                docs.join(", "),
                cause(built)
            );
        }
    }
    for gone in &report.gone {
        let why = match &gone.now {
            Some(now) => format!("{} builds {now} now", gone.config),
            None => format!("{} is no longer built", gone.config),
        };
        if gone.deleted {
            println!("{}: removed ({why})", gone.slug);
        } else {
            println!(
                "{}: {why}; its files stay until you build with --prune",
                gone.slug
            );
        }
    }
}

/// `6 practices: 2 built, 4 unchanged, 0 failed; 13 files written; 3 warnings`.
fn print_summary(report: &Report) {
    let rebuilt = report.done.iter().filter(|d| changed(&d.built)).count();
    let files: usize = report.done.iter().map(|d| d.built.written.len()).sum();
    let unchanged = report.done.len() - rebuilt;
    let total = report.done.len() + report.failed.len();
    let (_, warnings) = report::count(&report.warnings);
    let mut summary = format!(
        "{total} practice{}: {rebuilt} built, {unchanged} unchanged, {} failed; {files} file{} written",
        plural(total),
        report.failed.len(),
        plural(files),
    );
    if warnings > 0 {
        summary.push_str(&format!("; {warnings} warning{}", plural(warnings)));
    }
    println!("{summary}");
    if let Some(path) = &report.change_report {
        let reprint = report.changes.iter().filter(|c| c.reprint).count();
        let what = if reprint > 0 {
            format!("{reprint} practice{} must reprint", plural(reprint))
        } else {
            "nothing to reprint".to_string()
        };
        println!("changes: {}; {what}", path.display());
    }
}

fn changed(built: &Built) -> bool {
    !(built.rewritten.is_empty() && built.written.is_empty())
}

/// Why a practice's documents were rewritten: the config keys that changed,
/// or else what other input did.
fn cause(built: &Built) -> String {
    if built.why.is_empty() {
        "files were missing or out of date".to_string()
    } else {
        built.why.summary()
    }
}

fn print_json(report: &Report) {
    for done in &report.done {
        let built = &done.built;
        let status = if built.why.new {
            "new"
        } else if built.rewritten.is_empty() && built.written.is_empty() {
            "unchanged"
        } else {
            "changed"
        };
        let docs: Vec<&str> = built.rewritten.iter().map(|k| k.stem()).collect();
        println!(
            "{}",
            serde_json::json!({
                "slug": done.slug,
                "file": done.config.display().to_string(),
                "status": status,
                "documents": docs,
                "changed_keys": built.why.keys.iter().map(|k| &k.key).collect::<Vec<_>>(),
                "why": built.why,
                "files_written": built.written.len(),
            })
        );
    }
    for gone in &report.gone {
        println!(
            "{}",
            serde_json::json!({ "slug": gone.slug, "file": gone.config, "status": if gone.deleted { "removed" } else { "gone" }, "now": gone.now })
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
