//! `policypack status`: per practice, when the policy was issued, when its
//! review is due, whether that is overdue, and whether the built files are
//! current or stale (the config or templates changed since they were built).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::report;
use crate::Outcome;
use crate::cli::{GlobalArgs, MessageFormat, StatusArgs, StatusFormat};
use crate::config::Practice;
use crate::content::context::long_date;
use crate::content::templates::Trust;
use crate::content::{self, DocKind, Templates};
use crate::diagnostics::{Diagnostic, WARNING};
use crate::pack::build::Fingerprints;
use crate::pack::changes::spreadsheet_safe;
use crate::pack::discover;
use crate::pack::fingerprint::{self, KeyChange, Why};
use crate::pack::manifest::Manifest;
use crate::render::Presentation;

/// Whether a practice's outputs match its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outputs {
    Current,
    Stale,
    NotBuilt,
    /// Its folder holds the pack another config built (or one that is
    /// gone): `build` refuses this config.
    Refused,
}

impl Outputs {
    pub fn word(self) -> &'static str {
        match self {
            Outputs::Current => "current",
            Outputs::Stale => "stale",
            Outputs::NotBuilt => "not built",
            Outputs::Refused => "refused",
        }
    }
}

pub struct Row {
    pub practice: Practice,
    pub state: State,
    pub overdue: bool,
}

/// Whether a practice's outputs are current, and if not, why.
pub struct State {
    pub outputs: Outputs,
    /// What differs from the last build.
    pub why: Why,
    /// The documents whose content would change, by stem.
    pub stale_documents: Vec<String>,
    /// Files the last build wrote that are gone or were changed since.
    pub missing_files: Vec<String>,
}

impl State {
    fn simple(outputs: Outputs) -> State {
        State {
            outputs,
            why: Why::default(),
            stale_documents: Vec::new(),
            missing_files: Vec::new(),
        }
    }

    /// "complaints-leaflet, staff-handbook: commissioner.phone; templates changed".
    pub fn reason(&self) -> String {
        let mut why = self.why.summary();
        if !self.missing_files.is_empty() {
            if !why.is_empty() {
                why.push_str("; ");
            }
            why.push_str(&format!(
                "{} file{} missing or changed",
                self.missing_files.len(),
                if self.missing_files.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ));
        }
        match (self.stale_documents.is_empty(), why.is_empty()) {
            (true, _) => why,
            (false, true) => self.stale_documents.join(", "),
            (false, false) => format!("{}: {why}", self.stale_documents.join(", ")),
        }
    }
}

/// Every practice's row, and the problems found on the way (configs that
/// do not load, templates refused, folders another config holds): what
/// `status` prints, and what the web app's list shows.
pub struct Collected {
    pub rows: Vec<Row>,
    pub problems: Vec<Diagnostic>,
    /// Why the manifest was not trusted, if it was not.
    pub distrusted: Vec<String>,
    /// How many configs had a problem.
    pub failed: usize,
}

/// The rows of the configs below `paths`, as `status` shows them on `today`.
pub fn collect(
    paths: &[PathBuf],
    out: &Path,
    templates_option: Option<&Path>,
    today: NaiveDate,
) -> anyhow::Result<Collected> {
    let files = discover::practice_files(paths)?;
    let (manifest, distrusted) = Manifest::read(out);
    let mut problems = Vec::new();
    // Each templates folder, or why it was refused.
    let mut templates: HashMap<Option<PathBuf>, Result<Templates, String>> = HashMap::new();
    templates.insert(None, Ok(Templates::load(templates_option)?));
    let loader = crate::config::Loader::default();
    let loaded: Vec<(PathBuf, Result<Practice, _>)> = files
        .into_par_iter()
        .map(|path| {
            let result = crate::config::load_with(&path, &loader);
            (path, result)
        })
        .collect();

    let mut practices = Vec::new();
    let mut failed = 0;
    for (_, result) in loaded {
        match result {
            Ok(practice) => {
                // `--templates` wins over a config's own, as in `build`.
                let folder = if templates_option.is_some() {
                    None
                } else {
                    practice.templates.clone()
                };
                let loaded = match templates.entry(folder) {
                    Entry::Occupied(slot) => slot.into_mut(),
                    Entry::Vacant(slot) => {
                        let loaded = Templates::load_as(slot.key().as_deref(), Trust::Shared)
                            .map_err(|error| format!("{error:#}"));
                        slot.insert(loaded)
                    }
                };
                // Templates refused (another user's, or writable by
                // others) are named, as `build` names them; the practice's
                // outputs cannot be said to be current.
                if let Err(problem) = loaded {
                    failed += 1;
                    problems.push(Diagnostic::file(&practice.path, problem.clone()));
                }
                practices.push(practice);
            }
            Err(found) => {
                failed += 1;
                problems.extend(found);
            }
        }
    }
    let mut rows: Vec<Row> = practices
        .into_par_iter()
        .map(|practice| {
            let folder = if templates_option.is_some() {
                None
            } else {
                practice.templates.clone()
            };
            let state = match templates.get(&folder) {
                Some(Ok(templates)) => outputs_state(&practice, &manifest, out, templates),
                _ => State::simple(Outputs::Stale),
            };
            Row {
                overdue: today > practice.review_due,
                practice,
                state,
            }
        })
        .collect();
    for row in rows.iter().filter(|r| r.state.outputs == Outputs::Refused) {
        failed += 1;
        let entry = &manifest.practices[&row.practice.slug];
        let problem = Diagnostic::file(
            &row.practice.path,
            format!(
                "slug \"{}\": {} holds the pack of {}, built from {}; build refuses this config",
                row.practice.slug,
                out.join(&row.practice.slug).display(),
                entry.name,
                crate::pack::build::shown_config(&entry.config)
            ),
        )
        .with_hint("give this practice its own slug = \"…\" under [practice]; `build` says more");
        problems.push(problem);
    }
    // Overdue reviews first, the longest overdue at the top; then by when
    // the review is due, then by name.
    rows.sort_by(|a, b| {
        (!a.overdue, a.practice.review_due, &a.practice.slug).cmp(&(
            !b.overdue,
            b.practice.review_due,
            &b.practice.slug,
        ))
    });
    Ok(Collected {
        rows,
        problems,
        distrusted,
        failed,
    })
}

pub fn run(args: &StatusArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    crate::input::no_link_of_others(&args.out)?;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let Collected {
        rows,
        problems,
        distrusted,
        failed,
    } = collect(&args.paths, &args.out, args.templates.as_deref(), today)?;
    for warning in &distrusted {
        anstream::eprintln!("{WARNING}warning{WARNING:#}: {warning}");
    }
    report::problems(&problems, global);
    let format = match (args.format, global.message_format) {
        (Some(format), _) => format,
        (None, MessageFormat::Json) => StatusFormat::Json,
        (None, MessageFormat::Human) => StatusFormat::Table,
    };
    match format {
        StatusFormat::Table => print_table(&rows, today),
        StatusFormat::Json => {
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
                        "outputs": row.state.outputs.word(),
                        "stale_documents": row.state.stale_documents,
                        "why": row.state.why,
                        "missing_files": row.state.missing_files,
                    })
                );
            }
        }
        StatusFormat::Csv => print_csv(&rows, today)?,
    }
    let overdue = rows.iter().filter(|r| r.overdue).count();
    if failed > 0 || (args.fail_on_overdue && overdue > 0) {
        return Ok(Outcome::InputProblems);
    }
    Ok(Outcome::Success)
}

/// Current when the manifest recorded the practice with the fingerprint its
/// config, templates and fonts give today, and its files are still there.
/// Otherwise, which documents would change and why.
fn outputs_state(
    practice: &Practice,
    manifest: &Manifest,
    out: &std::path::Path,
    templates: &Templates,
) -> State {
    let Some(entry) = manifest.practices.get(&practice.slug) else {
        return State::simple(Outputs::NotBuilt);
    };
    // Another config's folder (another file, or another user's file in
    // its place): its outputs are not this config's to judge.
    if !entry.built_by(practice.recorded_config(), practice.owner) {
        return State::simple(Outputs::Refused);
    }
    // A logo that cannot be read now cannot be built either.
    let Ok(presentation) = Presentation::of(practice) else {
        return State::simple(Outputs::Stale);
    };
    let config = serde_json::to_value(&practice.config).unwrap_or_default();
    let fps = Fingerprints::of(templates, &presentation, &config);
    let missing_files: Vec<String> = entry
        .files
        .iter()
        .filter(|f| !f.still_there(&out.join(&f.path)))
        .map(|f| f.path.clone())
        .collect();
    // A manifest from before references: its files print none, and the
    // next build makes them again.
    let unreferenced = entry
        .documents
        .keys()
        .any(|stem| !entry.references.contains_key(stem));
    if entry.fingerprint == fps.practice && missing_files.is_empty() && !unreferenced {
        return State::simple(Outputs::Current);
    }
    let values = crate::utils::flatten(&config);
    let why = crate::pack::build::why_since(
        Some(entry),
        &manifest.template_sets,
        practice,
        templates,
        &values,
        &fps.practice,
    );
    // The documents the last build made that would now say or show
    // something else: their reference would change.
    let shown = presentation.shown();
    let stale_documents = DocKind::ALL
        .into_iter()
        .filter(|kind| entry.documents.contains_key(kind.stem()))
        .filter_map(|kind| {
            let before = entry.references.get(kind.stem());
            let now = content::render(practice, kind, templates, &shown)
                .map(|doc| doc.reference.code().to_string())
                .ok();
            (now.as_ref() != before).then(|| kind.stem().to_string())
        })
        .collect();
    State {
        outputs: Outputs::Stale,
        why,
        stale_documents,
        missing_files,
    }
}

fn print_csv(rows: &[Row], today: NaiveDate) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(std::io::stdout().lock());
    writer.write_record([
        "slug",
        "name",
        "file",
        "issued",
        "review_due",
        "overdue",
        "days_overdue",
        "outputs",
        "stale_documents",
        "changed_keys",
        "old_values",
        "new_values",
        "other_changes",
        "missing_files",
    ])?;
    for row in rows {
        let why = &row.state.why;
        let other = why.others();
        let changes = fingerprint::keys_and_facts(&why.keys, &why.facts);
        let keys: Vec<&str> = changes.iter().map(|k| k.key.as_str()).collect();
        let joined = |f: fn(&KeyChange) -> &str| {
            changes
                .iter()
                .map(|k| crate::pack::changes::joinable(f(k)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let days = if row.overdue {
            (today - row.practice.review_due).num_days().to_string()
        } else {
            String::new()
        };
        let record = [
            row.practice.slug.clone(),
            row.practice.name().to_string(),
            row.practice.path.display().to_string(),
            row.practice.issued.to_string(),
            row.practice.review_due.to_string(),
            if row.overdue { "yes" } else { "no" }.to_string(),
            days,
            row.state.outputs.word().to_string(),
            row.state.stale_documents.join("; "),
            keys.join("; "),
            joined(|k| &k.old),
            joined(|k| &k.new),
            other.join("; "),
            row.state.missing_files.join("; "),
        ];
        writer.write_record(record.iter().map(|c| spreadsheet_safe(c).into_owned()))?;
    }
    writer.flush()?;
    Ok(())
}

fn print_table(rows: &[Row], today: NaiveDate) {
    let headers = [
        "practice",
        "issued",
        "review due",
        "overdue",
        "outputs",
        "why",
    ];
    let cells: Vec<[String; 6]> = rows
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
                r.state.outputs.word().to_string(),
                r.state.reason(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..6)
        .map(|i| {
            cells
                .iter()
                .map(|c| c[i].chars().count())
                .chain([headers[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cols: [&str; 6]| {
        let text: Vec<String> = cols
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", text.join("  ").trim_end());
    };
    line(headers);
    for c in &cells {
        line([&c[0], &c[1], &c[2], &c[3], &c[4], &c[5]]);
    }
    let overdue = rows.iter().filter(|r| r.overdue).count();
    let stale = rows
        .iter()
        .filter(|r| r.state.outputs != Outputs::Current)
        .count();
    println!(
        "{} practice{} on {}: {overdue} overdue for review, {stale} with outputs to build",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        long_date(today)
    );
}
