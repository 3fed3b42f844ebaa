//! `policypack status`: per practice, when the policy was issued, when its
//! review is due, whether that is overdue, and whether the built files are
//! current or stale (the config or templates changed since they were built).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::PathBuf;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::Outcome;
use crate::cli::{GlobalArgs, MessageFormat, StatusArgs};
use crate::config::Practice;
use crate::content::Templates;
use crate::content::context::long_date;
use crate::pack::build::Fingerprints;
use crate::pack::manifest::Manifest;
use crate::pack::{discover, report};
use crate::render::Presentation;

/// Whether a practice's outputs match its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outputs {
    Current,
    Stale,
    NotBuilt,
}

impl Outputs {
    fn word(self) -> &'static str {
        match self {
            Outputs::Current => "current",
            Outputs::Stale => "stale",
            Outputs::NotBuilt => "not built",
        }
    }
}

struct Row {
    practice: Practice,
    outputs: Outputs,
    overdue: bool,
}

pub fn run(args: &StatusArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let files = discover::practice_files(&args.paths)?;
    let (manifest, _) = Manifest::read(&args.out);
    let mut templates: HashMap<Option<PathBuf>, Templates> = HashMap::new();
    templates.insert(None, Templates::load(None)?);
    let loaded: Vec<(PathBuf, Result<Practice, _>)> = files
        .into_par_iter()
        .map(|path| {
            let result = crate::config::load(&path);
            (path, result)
        })
        .collect();

    let mut rows = Vec::new();
    let mut failed = 0;
    for (_, result) in loaded {
        match result {
            Ok(practice) => {
                let folder = practice.templates.clone();
                if let Entry::Vacant(slot) = templates.entry(folder.clone()) {
                    // A folder that cannot be loaded leaves the outputs stale.
                    if let Ok(loaded) = Templates::load(folder.as_deref()) {
                        slot.insert(loaded);
                    }
                }
                let outputs = match templates.get(&folder) {
                    Some(templates) => outputs_state(&practice, &manifest, &args.out, templates),
                    None => Outputs::Stale,
                };
                rows.push(Row {
                    overdue: today > practice.review_due,
                    practice,
                    outputs,
                });
            }
            Err(problems) => {
                failed += 1;
                report::problems(&problems, global);
            }
        }
    }
    match global.message_format {
        MessageFormat::Human => print_table(&rows, today),
        MessageFormat::Json => {
            for row in &rows {
                println!(
                    "{}",
                    serde_json::json!({
                        "slug": row.practice.slug,
                        "name": row.practice.name(),
                        "file": row.practice.path.display().to_string(),
                        "issued": row.practice.issued.to_string(),
                        "review_due": row.practice.review_due.to_string(),
                        "overdue": row.overdue,
                        "outputs": row.outputs.word(),
                    })
                );
            }
        }
    }
    let overdue = rows.iter().filter(|r| r.overdue).count();
    if failed > 0 || (args.fail_on_overdue && overdue > 0) {
        return Ok(Outcome::InputProblems);
    }
    Ok(Outcome::Success)
}

/// Current when the manifest recorded the practice with the fingerprint its
/// config, templates and fonts give today, and its files are still there.
fn outputs_state(
    practice: &Practice,
    manifest: &Manifest,
    out: &std::path::Path,
    templates: &Templates,
) -> Outputs {
    let Some(entry) = manifest.practices.get(&practice.slug) else {
        return Outputs::NotBuilt;
    };
    // A logo that cannot be read now cannot be built either.
    let Ok(presentation) = Presentation::of(practice) else {
        return Outputs::Stale;
    };
    let config = serde_json::to_value(&practice.config).unwrap_or_default();
    let fp = Fingerprints::of(templates, &presentation, &config).practice;
    let present = entry
        .files
        .iter()
        .all(|f| f.still_there(&out.join(&f.path)));
    if entry.fingerprint == fp && present {
        Outputs::Current
    } else {
        Outputs::Stale
    }
}

fn print_table(rows: &[Row], today: NaiveDate) {
    let headers = ["practice", "issued", "review due", "overdue", "outputs"];
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            [
                r.practice.slug.clone(),
                long_date(r.practice.issued),
                long_date(r.practice.review_due),
                if r.overdue {
                    format!("yes, {} days", (today - r.practice.review_due).num_days())
                } else {
                    "no".into()
                },
                r.outputs.word().to_string(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..5)
        .map(|i| {
            cells
                .iter()
                .map(|c| c[i].chars().count())
                .chain([headers[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cols: [&str; 5]| {
        let text: Vec<String> = cols
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", text.join("  ").trim_end());
    };
    line(headers);
    for c in &cells {
        line([&c[0], &c[1], &c[2], &c[3], &c[4]]);
    }
    let overdue = rows.iter().filter(|r| r.overdue).count();
    let stale = rows
        .iter()
        .filter(|r| r.outputs != Outputs::Current)
        .count();
    println!(
        "{} practices on {}: {overdue} overdue for review, {stale} with outputs to build",
        rows.len(),
        long_date(today)
    );
}
