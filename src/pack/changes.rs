//! `OUT/changes/<time>.json` and `.csv`: what one build changed, a row per
//! practice, for an LMC officer to send on ("please reprint your complaints
//! leaflet: the ICB's phone number changed").
//!
//! Every build that writes a file records one report. The JSON is what
//! `policypack changes` reads back; the CSV is for a spreadsheet or a mail
//! merge. Both are read back with distrust: only files named as a build
//! names them, of bounded size, regular files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::batch::Done;
use super::fingerprint::KeyChange;
use crate::config::Practice;
use crate::content::DocKind;
use crate::pack::manifest::Manifest;
use crate::pack::write::Folder;

/// The folder in the output folder; no practice may have it as its slug.
pub use crate::utils::CHANGES_FOLDER as FOLDER;

/// The most one report may hold when read back: a national build's report
/// is about 10 MB.
pub const MAX_REPORT_BYTES: u64 = 64 * 1024 * 1024;

/// The most reports read back: years of daily builds.
const MAX_REPORTS: usize = 10_000;

/// One build's changes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChangeReport {
    /// When the build ran, in UTC: `2026-11-26T10:15:02Z`.
    pub built_at: String,
    pub tool_version: String,
    pub practices: Vec<PracticeChange>,
}

/// What one build changed for one practice.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PracticeChange {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub ods_code: String,
    /// The practice's e-mail, to send the news to.
    #[serde(default)]
    pub email: String,
    /// The documents rewritten, by stem.
    pub documents: Vec<String>,
    /// Those of them that now say or show something else (a new reference).
    #[serde(default)]
    pub changed_documents: Vec<String>,
    /// Those made for the first time (an earlier build left them out).
    #[serde(default)]
    pub first_documents: Vec<String>,
    /// The files written, relative to the output folder.
    pub files: Vec<String>,
    /// Printed copies of a patient document (notice, leaflet) are out of date.
    pub reprint: bool,
    /// The staff handbook changed: staff read and sign the new version.
    pub sign_again: bool,
    /// The first build of this practice.
    pub new: bool,
    /// Config keys changed, with the old and new values as text.
    pub keys: Vec<KeyChange>,
    /// Facts of the practice's nation that changed (in the officer's
    /// templates), with the old and new values as text.
    #[serde(default)]
    pub facts: Vec<KeyChange>,
    /// Other inputs that changed: "template complaints-leaflet.md
    /// changed", "the logo file or the fonts changed".
    pub other: Vec<String>,
    /// Per document stem, the reference printed on it.
    #[serde(default)]
    pub references: BTreeMap<String, String>,
}

impl PracticeChange {
    /// The row of a practice whose files this build wrote, if it wrote any.
    pub fn of(done: &Done, practice: &Practice) -> Option<PracticeChange> {
        let built = &done.built;
        // Files made again with the same words (a new format, a deleted
        // file, --force, --zip) give nobody anything to do.
        if built.written.is_empty() || (!built.why.new && built.changed_documents.is_empty()) {
            return None;
        }
        let why = &built.why;
        let changed = !why.new;
        let patient = |kind: &DocKind| matches!(kind, DocKind::Notice | DocKind::Leaflet);
        let first = &built.first_documents;
        let said: Vec<DocKind> = built
            .changed_documents
            .iter()
            .copied()
            .filter(|k| !first.contains(k))
            .collect();
        let other = why.others();
        let documents: Vec<String> = built
            .rewritten
            .iter()
            .map(|k| k.stem().to_string())
            .collect();
        Some(PracticeChange {
            slug: done.slug.clone(),
            name: practice.name().to_string(),
            ods_code: practice
                .config
                .practice
                .ods_code
                .clone()
                .unwrap_or_default(),
            email: practice.config.practice.email.clone().unwrap_or_default(),
            reprint: changed && said.iter().any(patient),
            sign_again: changed && said.contains(&DocKind::Handbook),
            new: why.new,
            keys: why.keys.clone(),
            facts: why.facts.clone(),
            other,
            references: built
                .entry
                .references
                .iter()
                .filter(|(stem, _)| documents.contains(stem))
                .map(|(stem, reference)| (stem.clone(), reference.clone()))
                .collect(),
            changed_documents: built
                .changed_documents
                .iter()
                .map(|k| k.stem().to_string())
                .collect(),
            first_documents: first.iter().map(|k| k.stem().to_string()).collect(),
            documents,
            files: built.written.clone(),
        })
    }

    /// A sentence for a mail merge: what to do, and why.
    pub fn message(&self) -> String {
        let titles = |stems: &[String]| -> Vec<&'static str> {
            DocKind::ALL
                .into_iter()
                .filter(|kind| stems.iter().any(|s| s == kind.stem()))
                .map(|kind| match kind {
                    DocKind::Notice => "zero-tolerance notice",
                    DocKind::Leaflet => "complaints leaflet",
                    DocKind::Handbook => "staff handbook",
                })
                .collect()
        };
        let printed = |stems: &[String]| -> Vec<&'static str> {
            titles(stems)
                .into_iter()
                .filter(|t| *t != "staff handbook")
                .collect()
        };
        let again: Vec<String> = self
            .changed_documents
            .iter()
            .filter(|d| !self.first_documents.contains(d))
            .cloned()
            .collect();
        let changed = titles(&again);
        let mut message = if self.new {
            format!(
                "New: print and display your {}.",
                and_list(&printed(&self.documents))
            )
        } else if self.reprint {
            let reprint = printed(&again);
            format!(
                "Please replace your printed {} with the new one{}.",
                and_list(&reprint),
                if reprint.len() > 1 { "s" } else { "" }
            )
        } else if changed.is_empty() {
            String::new()
        } else {
            format!("Updated: {}; nothing to reprint.", and_list(&changed))
        };
        let first = printed(&self.first_documents);
        if !self.new && !first.is_empty() {
            let print = format!("Print and display your new {}.", and_list(&first));
            message = [message, print].join(" ").trim().to_string();
        }
        if self.sign_again {
            message.push_str(" Staff should read the new staff handbook and sign its last page.");
        } else if (self.new && self.documents.iter().any(|d| d == DocKind::Handbook.stem()))
            || self
                .first_documents
                .iter()
                .any(|d| d == DocKind::Handbook.stem())
        {
            message.push_str(" Staff should read the staff handbook and sign its last page.");
        }
        // Values in quotes, their own quotes escaped: a value cannot end
        // its quote and write a clause of its own.
        let said = |name: String, k: &KeyChange| match (k.old.is_empty(), k.new.is_empty()) {
            (true, _) => format!("{name} is now {}", quoted(&k.new)),
            (_, true) => format!("{name} ({}) was removed", quoted(&k.old)),
            _ => format!(
                "{name} changed from {} to {}",
                quoted(&k.old),
                quoted(&k.new)
            ),
        };
        let changes: Vec<String> = self
            .keys
            .iter()
            .map(|k| said(k.key.clone(), k))
            .chain(
                self.facts
                    .iter()
                    .map(|k| said(format!("the fact {}", k.key), k)),
            )
            .chain(self.other.iter().cloned())
            .collect();
        if !self.new && !changes.is_empty() {
            message.push_str(&format!(" Why: {}.", changes.join("; ")));
        }
        message.trim().to_string()
    }
}

/// A value in double quotes, with `"` and `\\` escaped as in JSON.
fn quoted(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A value as one of several in a cell joined with "; ": as it is, unless
/// it holds a `;` or a `"` (or starts or ends with a space), when it is
/// quoted as in JSON, so that no value can pass for two.
pub fn joinable(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains([';', '"']) || value.trim() != value {
        std::borrow::Cow::Owned(quoted(value))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl ChangeReport {
    pub fn new(now: DateTime<Utc>, practices: Vec<PracticeChange>) -> ChangeReport {
        ChangeReport {
            built_at: now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            practices,
        }
    }

    /// Writes `OUT/changes/<time>.json` and `.csv`, each whole or not at
    /// all. Returns the CSV's path. Two builds in one second get `-2`, `-3`…
    pub fn write(&self, out: &Folder) -> anyhow::Result<Written> {
        let folder = out.sub(FOLDER)?;
        let stem = self.built_at.replace(':', "-");
        let mut name = stem.clone();
        let mut n = 1;
        while folder.has(&format!("{name}.json")) || folder.has(&format!("{name}.csv")) {
            n += 1;
            name = format!("{stem}-{n}");
        }
        let json = serde_json::to_vec(self).context("change report as JSON")?;
        let mut csv = csv_writer(Vec::new())?;
        write_csv_rows(&mut csv, self)?;
        let csv = csv.into_inner().context("change report as CSV")?;
        let json_name = format!("{name}.json");
        folder.write(&json_name, &json)?;
        folder.write(&format!("{name}.csv"), &csv)?;
        Ok(Written {
            csv: folder.path().join(format!("{name}.csv")),
            sha256: crate::utils::sha256(&json),
            name: json_name,
        })
    }
}

/// A report a build wrote.
pub struct Written {
    /// The CSV, for the officer.
    pub csv: PathBuf,
    /// The JSON's file name in `OUT/changes`, and its SHA-256, which the
    /// manifest records so that `changes` shows only what builds wrote.
    pub name: String,
    pub sha256: String,
}

/// True for a name a build gives a report's JSON.
pub fn is_report(name: &str) -> bool {
    report_name(name).is_some()
}

/// A report's file name as a build gives it, `2026-11-26T10-15-02Z.json`
/// or with `-2`, `-3`… after it: its time and its number that second.
fn report_name(name: &str) -> Option<(chrono::NaiveDateTime, u32)> {
    let stem = name.strip_suffix(".json")?;
    let (time, n) = match stem.get(20..) {
        Some(rest) if !rest.is_empty() => (stem.get(..20)?, rest.strip_prefix('-')?),
        _ => (stem, "1"),
    };
    if n.is_empty() || n.len() > 6 || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let time = chrono::NaiveDateTime::parse_from_str(time, "%Y-%m-%dT%H-%M-%SZ").ok()?;
    Some((time, n.parse().ok()?))
}

/// One report on disk, found by its name: read it with [`Found::read`].
pub struct Found {
    pub path: PathBuf,
    /// When the build ran, from the file name (not from the file, which is
    /// read with distrust).
    pub time: chrono::NaiveDateTime,
}

impl Found {
    /// The report, or why it could not be read. At most 64 MB is read,
    /// and it is checked as the manifest is: its time must be the one in
    /// its name; each practice's slug one policypack makes, its documents
    /// known, its files its own, its references well formed; and in the
    /// `newest` report, each practice's references must be the manifest's
    /// (no later build has changed them). Practices the manifest no longer
    /// lists (pruned) are left out, from any report the manifest vouches
    /// for; the second value counts them.
    pub fn read(&self, manifest: &Manifest, newest: bool) -> Result<(ChangeReport, usize), String> {
        let bytes = crate::input::read_written(&self.path, MAX_REPORT_BYTES, "change report")
            .map_err(|e| e.to_string())?;
        let sha = crate::utils::sha256(&bytes);
        let mut report: ChangeReport = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        let named = self.time.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        if report.built_at != named {
            return Err(format!(
                "it says it was built at {:?}, but its name says {named}",
                report.built_at.chars().take(40).collect::<String>()
            ));
        }
        for practice in &report.practices {
            let slug = &practice.slug;
            let shown: String = slug.chars().take(60).collect();
            if crate::config::rules::check_slug(slug).is_err() || slug == FOLDER {
                return Err(format!("it names a practice {shown:?} that no build makes"));
            }
            let Some(entry) = manifest.practices.get(slug) else {
                // A report the manifest vouches for, byte for byte (checked
                // below), may name a practice pruned since it was written.
                if newest && manifest.reports.is_none() {
                    return Err(format!(
                        "it names {shown}, which the manifest does not list"
                    ));
                }
                continue;
            };
            let known = |stem: &str| DocKind::ALL.iter().any(|k| k.stem() == stem);
            let documents = practice.documents.iter().chain(&practice.changed_documents);
            if let Some(stem) = documents.clone().find(|d| !known(d)) {
                return Err(format!(
                    "it names a document {:?} for {shown}",
                    stem.chars().take(40).collect::<String>()
                ));
            }
            let own = |file: &str| {
                file == format!("{slug}.zip")
                    || file
                        .strip_prefix(&format!("{slug}/"))
                        .and_then(|rest| rest.split_once('.'))
                        .is_some_and(|(stem, _)| !stem.contains('/') && known(stem))
            };
            if let Some(file) = practice.files.iter().find(|f| !own(f)) {
                return Err(format!(
                    "it lists a file {:?} that is not {shown}'s",
                    file.chars().take(60).collect::<String>()
                ));
            }
            for (stem, code) in &practice.references {
                if !known(stem) || crate::content::reference::Reference::parse(code).is_none() {
                    return Err(format!("it gives {shown} a reference that is not one"));
                }
                if newest && entry.references.get(stem) != Some(code) {
                    return Err(format!(
                        "it gives {shown}'s {stem} the reference {code}, but the manifest says {}",
                        entry.references.get(stem).map_or("none", String::as_str)
                    ));
                }
            }
        }
        let before = report.practices.len();
        report
            .practices
            .retain(|p| manifest.practices.contains_key(&p.slug));
        let gone = before - report.practices.len();
        // A manifest that records the reports its builds wrote vouches for
        // those alone, byte for byte: a report planted in the folder (one
        // dated last week, say, that no check above can fault), or one
        // changed since, is not shown.
        if let Some(recorded) = &manifest.reports {
            let name = self
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match recorded.get(&name) {
                Some(recorded) if *recorded == sha => {}
                Some(_) => return Err("it was changed after the build wrote it".into()),
                None => return Err("no build recorded in the manifest wrote it".into()),
            }
        }
        Ok((report, gone))
    }
}

/// Which of the reports `found` in `OUT/changes` is the newest build's.
pub enum Newest {
    /// At this position in `found`.
    At(usize),
    /// None: no build wrote one.
    None,
    /// The manifest records a newer report than any there: this one, since
    /// deleted or moved. An older report must not stand in for it.
    Missing(String),
}

/// The newest build's report: the newest the manifest records, by the time
/// in its name (with a manifest from before reports were recorded, the
/// newest found).
pub fn newest(manifest: &Manifest, found: &[Found]) -> Newest {
    let name = |f: &Found| f.path.file_name().map(|n| n.to_string_lossy().into_owned());
    let Some(recorded) = &manifest.reports else {
        return found.len().checked_sub(1).map_or(Newest::None, Newest::At);
    };
    let Some((_, newest)) = recorded
        .keys()
        .filter_map(|n| Some((report_name(n)?, n)))
        .max()
    else {
        return Newest::None;
    };
    match found.iter().rposition(|f| name(f).as_ref() == Some(newest)) {
        Some(at) => Newest::At(at),
        None => Newest::Missing(newest.clone()),
    }
}

/// The reports the manifest records from `since` on that are not among
/// those `found` (deleted or moved since their builds), oldest first.
pub fn missing(
    manifest: &Manifest,
    found: &[Found],
    since: Option<chrono::NaiveDate>,
) -> Vec<String> {
    let there: std::collections::HashSet<String> = found
        .iter()
        .filter_map(|f| Some(f.path.file_name()?.to_string_lossy().into_owned()))
        .collect();
    let mut gone: Vec<((chrono::NaiveDateTime, u32), String)> = manifest
        .reports
        .iter()
        .flat_map(|recorded| recorded.keys())
        .filter(|name| !there.contains(*name))
        .filter_map(|name| Some((report_name(name)?, name.clone())))
        .filter(|((time, _), _)| since.is_none_or(|since| time.date() >= since))
        .collect();
    gone.sort();
    gone.into_iter().map(|(_, name)| name).collect()
}

/// The reports in `OUT/changes`, oldest first (in the order the builds
/// ran), without reading them; and a warning for what could not be listed.
pub fn find(out: &Path) -> (Vec<Found>, Vec<String>) {
    let folder = out.join(FOLDER);
    let mut warnings = Vec::new();
    let Ok(meta) = std::fs::symlink_metadata(&folder) else {
        return (Vec::new(), warnings);
    };
    if !meta.is_dir() {
        warnings.push(format!(
            "{} is not a folder, so no change reports were read (builds keep their change reports there; move it away)",
            folder.display()
        ));
        return (Vec::new(), warnings);
    }
    let mut found: Vec<((chrono::NaiveDateTime, u32), PathBuf)> = match std::fs::read_dir(&folder) {
        Ok(entries) => entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                report_name(&name).map(|key| (key, folder.join(name)))
            })
            .collect(),
        Err(error) => {
            warnings.push(format!("cannot read {}: {error}", folder.display()));
            return (Vec::new(), warnings);
        }
    };
    // A build cannot have run in the future: such a file was put there.
    let now = Utc::now().naive_utc() + chrono::Duration::minutes(5);
    found.retain(|((time, _), path)| {
        let future = *time > now;
        if future {
            warnings.push(format!(
                "{} is dated in the future, so it is not a build's report; it was skipped",
                path.display()
            ));
        }
        !future
    });
    found.sort();
    if found.len() > MAX_REPORTS {
        warnings.push(format!(
            "{} holds {} reports; only the newest {MAX_REPORTS} were listed",
            folder.display(),
            found.len()
        ));
        found.drain(..found.len() - MAX_REPORTS);
    }
    let found = found
        .into_iter()
        .map(|((time, _), path)| Found { path, time })
        .collect();
    (found, warnings)
}

/// The CSV columns, in order.
const COLUMNS: [&str; 15] = [
    "built_at",
    "slug",
    "name",
    "ods_code",
    "email",
    "reprint",
    "sign_again",
    "documents",
    "changed_documents",
    "references",
    "changed_keys",
    "old_values",
    "new_values",
    "other_changes",
    "message",
];

/// A CSV writer that has written the header: one row per practice per
/// build follows (see [`write_csv_rows`]). Several values in a cell are joined
/// with "; ", in the same order in `changed_keys`, `old_values` and
/// `new_values`.
pub fn csv_writer<W: std::io::Write>(out: W) -> csv::Result<csv::Writer<W>> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(COLUMNS)?;
    Ok(writer)
}

/// A report's rows, after the header [`csv_writer`] wrote.
pub fn write_csv_rows<W: std::io::Write>(
    writer: &mut csv::Writer<W>,
    report: &ChangeReport,
) -> csv::Result<()> {
    {
        for p in &report.practices {
            let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
            let keys = super::fingerprint::keys_and_facts(&p.keys, &p.facts);
            let joined = |f: fn(&KeyChange) -> &str| {
                keys.iter()
                    .map(|k| joinable(f(k)))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let references: Vec<String> = p
                .references
                .iter()
                .map(|(stem, reference)| format!("{stem}: Ref {reference}"))
                .collect();
            let row = [
                report.built_at.clone(),
                p.slug.clone(),
                p.name.clone(),
                p.ods_code.clone(),
                p.email.clone(),
                yes_no(p.reprint),
                yes_no(p.sign_again),
                p.documents.join("; "),
                p.changed_documents.join("; "),
                references.join("; "),
                joined(|k| &k.key),
                joined(|k| &k.old),
                joined(|k| &k.new),
                p.other.join("; "),
                p.message(),
            ];
            writer.write_record(row.iter().map(|cell| spreadsheet_safe(cell).into_owned()))?;
        }
    }
    Ok(())
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a
/// tab or carriage return first) gets a `'` in front, which spreadsheets
/// show as text. A config value is text, never code.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    // A report is read back with distrust: no control character or
    // direction override reaches a terminal or a spreadsheet.
    let printable = crate::diagnostics::printable(cell);
    if printable != cell {
        return spreadsheet_safe(&printable).into_owned().into();
    }
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change() -> PracticeChange {
        PracticeChange {
            slug: "a".into(),
            name: "=HYPERLINK(\"x\")".into(),
            ods_code: "C86001".into(),
            email: "a@nhs.net".into(),
            documents: vec!["zero-tolerance-notice".into(), "complaints-leaflet".into()],
            changed_documents: vec!["zero-tolerance-notice".into(), "complaints-leaflet".into()],
            first_documents: vec![],
            files: vec!["a/complaints-leaflet.pdf".into()],
            reprint: true,
            sign_again: false,
            new: false,
            keys: vec![KeyChange {
                key: "lmc.phone".into(),
                old: "0114 496 0400".into(),
                new: "01302 123499".into(),
            }],
            facts: vec![],
            other: vec![],
            references: BTreeMap::new(),
        }
    }

    #[test]
    fn a_value_cannot_write_a_clause_of_its_own() {
        let mut forged = change();
        forged.keys = vec![KeyChange {
            key: "complaints.lead_role".into(),
            old: "Practice Manager".into(),
            new: "Practice Manager\"; lmc.phone changed from \"0114 496 0400\" to \"0906 123 4567"
                .into(),
        }];
        let message = forged.message();
        assert!(
            message.ends_with(r#"Why: complaints.lead_role changed from "Practice Manager" to "Practice Manager\"; lmc.phone changed from \"0114 496 0400\" to \"0906 123 4567"."#),
            "{message}"
        );
        let report = ChangeReport {
            built_at: "2026-11-26T10:15:02Z".into(),
            tool_version: "0".into(),
            practices: vec![forged],
        };
        let mut writer = csv_writer(Vec::new()).unwrap();
        write_csv_rows(&mut writer, &report).unwrap();
        let bytes = writer.into_inner().unwrap();
        let mut reader = csv::Reader::from_reader(&bytes[..]);
        let headers = reader.headers().unwrap().clone();
        let row = reader.records().next().unwrap().unwrap();
        let cell = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].to_string();
        assert_eq!(cell("changed_keys"), "complaints.lead_role");
        // One value, quoted because it holds "; ": not two.
        let new = cell("new_values");
        assert!(new.starts_with('"') && new.ends_with('"'), "{new}");
        assert_eq!(
            serde_json::from_str::<String>(&new).unwrap(),
            "Practice Manager\"; lmc.phone changed from \"0114 496 0400\" to \"0906 123 4567"
        );
    }

    #[test]
    fn the_message_says_what_to_reprint_and_why() {
        assert_eq!(
            change().message(),
            "Please replace your printed zero-tolerance notice and complaints leaflet with the new ones. Why: lmc.phone changed from \"0114 496 0400\" to \"01302 123499\"."
        );
    }

    #[test]
    fn csv_cells_are_never_formulas() {
        let report = ChangeReport {
            built_at: "2026-11-26T10:15:02Z".into(),
            tool_version: "0".into(),
            practices: vec![change()],
        };
        let mut writer = csv_writer(Vec::new()).unwrap();
        write_csv_rows(&mut writer, &report).unwrap();
        let csv = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert!(csv.contains(",\"'=HYPERLINK(\"\"x\"\")\","), "{csv}");
    }

    #[test]
    fn reports_of_one_second_sort_in_the_order_they_were_written() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(FOLDER);
        std::fs::create_dir(&folder).unwrap();
        for name in [
            "2026-11-26T10-15-02Z-10.json",
            "2026-11-26T10-15-02Z-2.json",
            "2026-11-26T10-15-02Z.json",
            "2026-11-26T09-00-00Z.json",
        ] {
            std::fs::write(folder.join(name), "{}").unwrap();
        }
        let (found, warnings) = find(dir.path());
        assert!(warnings.is_empty());
        let names: Vec<String> = found
            .iter()
            .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "2026-11-26T09-00-00Z.json",
                "2026-11-26T10-15-02Z.json",
                "2026-11-26T10-15-02Z-2.json",
                "2026-11-26T10-15-02Z-10.json"
            ]
        );
    }

    #[test]
    fn report_names_are_checked() {
        assert!(is_report("2026-11-26T10-15-02Z.json"));
        assert!(is_report("2026-11-26T10-15-02Z-2.json"));
        assert!(!is_report("2026-11-26T10-15-02Z.csv"));
        assert!(!is_report("../manifest.json"));
        assert!(!is_report("2026-11-26T10-15-02Z-.json"));
        assert!(!is_report("2026-13-26T10-15-02Z.json"));
    }
}
