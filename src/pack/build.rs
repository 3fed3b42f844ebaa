//! Building one practice, in three stages that the batch build, the
//! benchmarks, the fuzz target and the web app all call:
//!
//! 1. [`plan`] compares the practice's inputs with what the last build
//!    recorded. It renders nothing, and looks in the output folder only to
//!    check that a recorded file is still the one that build wrote.
//! 2. [`Plan::render`] renders, in memory, every output of a document
//!    whose files cannot be kept.
//! 3. [`Plan::commit`] writes them, takes away what they replace (other
//!    editions of a changed document, an old zip), writes the zip and
//!    returns the practice's new manifest entry.
//!
//! A practice that fails writes nothing it does not record, and never
//! stops the others.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::fingerprint::{Recorded, Why};
use super::interrupt::{self, Interrupted};
use super::manifest::{FileEntry, PracticeEntry};
use super::write::Folder;
use crate::config::Practice;
use crate::content::TemplateSet;
use crate::content::context::long_date;
use crate::content::{self, DocKind, Document, Templates};
use crate::diagnostics::Diagnostic;
use crate::document::Model;
use clap::ValueEnum as _;

use crate::render::{self, Edition, EditionName, Format, Input, Presentation};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub out: PathBuf,
    pub docs: Vec<DocKind>,
    pub formats: Vec<Format>,
    pub editions: Vec<EditionName>,
    /// `--templates`: wins over a config's own `templates`.
    pub templates: Option<PathBuf>,
    /// Rebuild even what has not changed.
    pub force: bool,
    /// Also write `OUT/<slug>.zip`.
    pub zip: bool,
    /// Write nothing for a practice whose build warns (`--deny-warnings`).
    pub deny_warnings: bool,
}

impl BuildOptions {
    /// Every (edition, format) a document of `kind` is written in.
    pub fn outputs(&self, kind: DocKind) -> impl Iterator<Item = (&'static Edition, Format)> + '_ {
        self.editions
            .iter()
            .map(|name| name.edition())
            .flat_map(move |edition| {
                self.formats
                    .iter()
                    .filter(move |&&format| edition.makes(kind, format))
                    .map(move |&format| (edition, format))
            })
    }
}

/// One output file, rendered and ready to write.
pub struct Output {
    /// The file's name in the practice's folder.
    pub name: String,
    pub bytes: Vec<u8>,
    /// The fingerprint of the document it is a file of.
    pub fingerprint: String,
}

/// What building one practice did.
pub struct Built {
    /// The manifest entry for the practice after this build (moved into
    /// the manifest by the batch, which leaves an empty one here).
    pub entry: PracticeEntry,
    /// The documents rewritten (all of them for a new practice, none if unchanged).
    pub rewritten: Vec<DocKind>,
    /// The documents that now say or show something else: their reference
    /// changed. Printed copies of these are out of date.
    pub changed_documents: Vec<DocKind>,
    /// Of those, the ones made for the first time (built before with
    /// `--docs` that left them out): there are no printed copies yet.
    pub first_documents: Vec<DocKind>,
    /// What differs from the last build: config keys with their old and
    /// new values, templates, the tool, the logo.
    pub why: Why,
    pub zip_written: bool,
    /// The files written, including the zip, relative to the output folder.
    pub written: Vec<String>,
    /// What the build found worth saying (a changed document whose
    /// version and issue date did not change).
    pub warnings: Vec<Diagnostic>,
}

/// A practice not built because its build warned and warnings count as
/// errors (`--deny-warnings`): nothing of it was written, and its entry
/// in the manifest stays as it was.
#[derive(Debug)]
pub struct DeniedWarnings(pub Vec<Diagnostic>);

impl std::fmt::Display for DeniedWarnings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let messages: Vec<&str> = self.0.iter().map(|d| d.message.as_str()).collect();
        f.write_str(&messages.join("; "))
    }
}

impl std::error::Error for DeniedWarnings {}

/// Builds one practice incrementally: nothing is rendered when its inputs
/// are as last time, only changed documents are rewritten, and nothing at
/// all is written if any output fails to render.
pub fn build_practice(
    practice: &Practice,
    templates: &Templates,
    previous: Option<&PracticeEntry>,
    sets: &BTreeMap<String, TemplateSet>,
    options: &BuildOptions,
    out: &Folder,
) -> anyhow::Result<Built> {
    let plan = plan(practice, templates, previous, sets, options, out)?;
    if plan.unchanged() {
        return Ok(plan.kept_as_is());
    }
    let rendered = plan.render()?;
    if options.deny_warnings && !rendered.warnings.is_empty() {
        return Err(DeniedWarnings(rendered.warnings).into());
    }
    plan.commit(rendered)
}

/// What a build of one practice starts from: its inputs, their
/// fingerprints, and what the last build recorded of it.
pub struct Plan<'a> {
    practice: &'a Practice,
    templates: &'a Templates,
    /// The practice's entry in the manifest, if a build recorded one.
    previous: Option<&'a PracticeEntry>,
    options: &'a BuildOptions,
    presentation: Presentation,
    fps: Fingerprints,
    /// The config's values, flattened to dotted keys, as the manifest records them.
    values: BTreeMap<String, String>,
    why: Why,
    // Every read and write goes through these handles, never a path from
    // the root (see `write::Folder`): the output folder the whole build
    // holds, and the practice's, opened when first needed.
    out_folder: &'a Folder,
    practice_folder: OnceCell<Folder>,
}

/// Stage 1: what a build of `practice` has to do, given its entry in the
/// manifest (`previous`) and the template sets the manifest records.
pub fn plan<'a>(
    practice: &'a Practice,
    templates: &'a Templates,
    previous: Option<&'a PracticeEntry>,
    sets: &BTreeMap<String, TemplateSet>,
    options: &'a BuildOptions,
    out_folder: &'a Folder,
) -> anyhow::Result<Plan<'a>> {
    let presentation = Presentation::of(practice)?;
    let config = serde_json::to_value(&practice.config).context("config as JSON")?;
    let values = crate::utils::flatten(&config);
    let fps = Fingerprints::of(templates, &presentation, &config);
    let why = why_since(previous, sets, practice, templates, &values, &fps.practice);
    Ok(Plan {
        practice,
        templates,
        previous,
        options,
        presentation,
        fps,
        values,
        why,
        out_folder,
        practice_folder: OnceCell::new(),
    })
}

/// What differs between the last build of a practice (`previous`, with
/// the manifest's template `sets`) and what it is built from today: its
/// config's flattened `values`, `templates` and practice `fingerprint`.
pub fn why_since(
    previous: Option<&PracticeEntry>,
    sets: &BTreeMap<String, TemplateSet>,
    practice: &Practice,
    templates: &Templates,
    values: &BTreeMap<String, String>,
    fingerprint: &str,
) -> Why {
    Why::between(
        previous.map(|p| p.recorded(sets)).as_ref(),
        &Recorded {
            values,
            templates: templates.fingerprint(),
            tool_version: env!("CARGO_PKG_VERSION"),
            fingerprint,
            set: Some(templates.set()),
            nation: practice.nation().key(),
        },
    )
}

/// Stage 2's result: the files to write and what the practice's manifest
/// entry will say of its documents.
pub struct Rendered {
    /// Every output of every document that changed, in memory.
    pub outputs: Vec<Output>,
    /// Each document's fingerprint, by stem (those not built this time as
    /// the last build recorded them).
    documents: BTreeMap<String, String>,
    /// Each document's reference, by stem, the same way.
    references: BTreeMap<String, String>,
    rewritten: Vec<DocKind>,
    changed_documents: Vec<DocKind>,
    first_documents: Vec<DocKind>,
    /// A changed document whose version and issue date did not change.
    pub warnings: Vec<Diagnostic>,
}

impl Plan<'_> {
    /// What differs from the last build.
    pub fn why(&self) -> &Why {
        &self.why
    }

    /// The practice's folder, made if `create` (else `None` if there is none).
    fn practice_folder(&self, create: bool) -> anyhow::Result<Option<&Folder>> {
        if let Some(folder) = self.practice_folder.get() {
            return Ok(Some(folder));
        }
        let out = self.out_folder;
        let folder = if create {
            out.sub(&self.practice.slug)?
        } else {
            match out.existing(&self.practice.slug) {
                Ok(folder) => folder,
                Err(_) => return Ok(None),
            }
        };
        Ok(Some(self.practice_folder.get_or_init(|| folder)))
    }

    /// A file's metadata, if it is a regular file where this build writes.
    fn metadata(&self, path: &str) -> Option<super::manifest::Stamp> {
        match path.split_once('/') {
            Some((_, name)) => self.practice_folder(false).ok()??.file_metadata(name),
            None => self.out_folder.file_metadata(path),
        }
    }

    fn path_of(&self, kind: DocKind, edition: &Edition, format: Format) -> String {
        format!("{}/{}", self.practice.slug, format.file_name(kind, edition))
    }

    fn zip_name(&self) -> String {
        format!("{}.zip", self.practice.slug)
    }

    /// A file can be kept when the last build recorded it from this
    /// fingerprint and it is still there.
    fn kept(&self, path: &str, fp: &str) -> Option<FileEntry> {
        self.previous
            .filter(|_| !self.options.force)
            .and_then(|p| {
                p.files
                    .iter()
                    .find(|f| f.path == path && f.fingerprint == fp)
            })
            // A regular file, not a link planted in its place (a kept file
            // is read back into the zip), as big and as old as recorded.
            .filter(|f| self.metadata(&f.path).is_some_and(|meta| f.is(&meta)))
            .cloned()
    }

    /// A manifest from before references were recorded cannot vouch that
    /// its files print one.
    fn has_reference(&self, kind: DocKind) -> bool {
        self.previous
            .is_some_and(|p| p.references.contains_key(kind.stem()))
    }

    fn zip_recorded(&self) -> bool {
        let zip_name = self.zip_name();
        self.previous
            .is_some_and(|p| p.files.iter().any(|f| f.path == zip_name))
    }

    /// Nothing needs writing: the inputs are as last time, and every file
    /// asked for is still the one the last build wrote from them.
    pub fn unchanged(&self) -> bool {
        let options = self.options;
        self.previous
            .is_some_and(|p| p.fingerprint == self.fps.practice)
            && options.docs.iter().all(|&kind| self.has_reference(kind))
            && options.docs.iter().all(|&kind| {
                let fp = self.previous.and_then(|p| p.documents.get(kind.stem()));
                fp.is_some_and(|fp| {
                    options.outputs(kind).all(|(edition, format)| {
                        self.kept(&self.path_of(kind, edition, format), fp)
                            .is_some()
                    })
                })
            })
            // A zip the manifest records is checked even when this build
            // makes none: one changed since (a forgery planted in its place)
            // is taken away by `commit`.
            && (!(options.zip || self.zip_recorded())
                || self.kept(&self.zip_name(), &self.fps.practice).is_some())
    }

    /// The result of a build that writes nothing, for a plan that is
    /// [`unchanged`](Plan::unchanged): the last entry, with the config's
    /// path as it is now.
    pub fn kept_as_is(self) -> Built {
        let mut entry = self.previous.cloned().unwrap_or_default();
        entry.config = self.practice.recorded_config().to_string();
        entry.config_owner = Some(self.practice.owner);
        Built {
            entry,
            rewritten: Vec::new(),
            changed_documents: Vec::new(),
            first_documents: Vec::new(),
            why: self.why,
            zip_written: false,
            written: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Stage 2: renders every output of each document asked for whose
    /// files cannot be kept, in memory. Writes nothing.
    pub fn render(&self) -> anyhow::Result<Rendered> {
        let previous = self.previous;
        // Entries of documents this build does not make stay as they were.
        let mut documents = previous.map(|p| p.documents.clone()).unwrap_or_default();
        let mut references = previous.map(|p| p.references.clone()).unwrap_or_default();
        let shown = self.presentation.shown();
        let mut outputs = Vec::new();
        let mut rewritten = Vec::new();
        let mut changed_documents = Vec::new();
        let mut first_documents = Vec::new();
        for &kind in &self.options.docs {
            if interrupt::requested() {
                return Err(Interrupted.into());
            }
            let doc = content::render(self.practice, kind, self.templates, &shown)?;
            let doc_fp = self.fps.document(&doc);
            let missing: Vec<_> = self
                .options
                .outputs(kind)
                .filter(|&(edition, format)| {
                    !self.has_reference(kind)
                        || self
                            .kept(&self.path_of(kind, edition, format), &doc_fp)
                            .is_none()
                })
                .collect();
            if !missing.is_empty() {
                rewritten.push(kind);
                outputs.extend(render_document(
                    &doc,
                    &self.presentation,
                    self.templates,
                    &missing,
                    &doc_fp,
                )?);
            }
            documents.insert(kind.stem().to_string(), doc_fp);
            let code = doc.reference.code().to_string();
            // What it says changed: its reference did; or, for a manifest
            // from before references, a config key, the templates or the
            // logo did. A document the last build did not make at all is new.
            let before = previous.map(|p| (p.references.get(kind.stem()), p.references.is_empty()));
            let says_otherwise = match before {
                None => true,
                Some((Some(before), _)) => *before != code,
                Some((None, true))
                    if previous.is_some_and(|p| p.documents.contains_key(kind.stem())) =>
                {
                    !self.why.keys.is_empty() || self.why.templates || self.why.logo
                }
                Some((None, _)) => {
                    first_documents.push(kind);
                    true
                }
            };
            if says_otherwise {
                changed_documents.push(kind);
            }
            references.insert(kind.stem().to_string(), code);
        }
        let warnings = previous
            .and_then(|p| {
                unmarked_change(
                    self.practice,
                    p,
                    &self.values,
                    &references,
                    &self.options.docs,
                )
            })
            .into_iter()
            .collect();
        Ok(Rendered {
            outputs,
            documents,
            references,
            rewritten,
            changed_documents,
            first_documents,
            warnings,
        })
    }

    /// Stage 3: writes what [`render`](Plan::render) made into the
    /// practice's folder, takes away the files it replaces, writes the zip
    /// if asked, and returns the practice's new manifest entry. If a write
    /// fails, a folder this build made is taken away again.
    pub fn commit(self, rendered: Rendered) -> anyhow::Result<Built> {
        let Rendered {
            outputs,
            documents,
            references,
            rewritten,
            changed_documents,
            first_documents,
            warnings,
        } = rendered;
        let previous = self.previous;
        let options = self.options;
        let slug = &self.practice.slug;
        let zip_name = self.zip_name();
        let practice_fp = self.fps.practice.clone();
        // The files of the last build, when it was under this slug (a
        // practice whose slug changed is built from its old folder's entry,
        // whose files stay that folder's).
        let mut files: BTreeMap<String, FileEntry> = previous
            .map(|p| {
                p.files
                    .iter()
                    .filter(|f| super::manifest::is_output_of(slug, &f.path))
                    .map(|f| (f.path.clone(), f.clone()))
                    .collect()
            })
            .unwrap_or_default();

        let out_folder = self.out_folder;
        let folder_existed = self.practice_folder(false)?.is_some();
        let folder = self.practice_folder(true)?.expect("made above");
        let mut written = Vec::new();
        for output in &outputs {
            if interrupt::requested() {
                return Err(Interrupted.into());
            }
            let stamp = match folder.write(&output.name, &output.bytes) {
                Ok(stamp) => stamp,
                Err(error) => {
                    // A folder this build made holds only what it wrote, and
                    // none of it is recorded: take it away rather than leave
                    // half a practice (and, on a full disk, free the room for
                    // the manifest).
                    if !folder_existed {
                        out_folder.remove_folder(slug);
                    }
                    return Err(error);
                }
            };
            let entry = file_entry(
                format!("{slug}/{}", output.name),
                stamp,
                &output.bytes,
                &output.fingerprint,
            );
            written.push(entry.path.clone());
            files.insert(entry.path.clone(), entry);
        }
        // Files of a document that changed, in an edition or format this
        // build did not make, would be printed copies with old details: take
        // them away. Only names policypack makes are considered, never a
        // path read from the manifest.
        for &kind in &options.docs {
            let current = documents.get(kind.stem());
            for edition in EditionName::value_variants() {
                for &format in &Format::ALL {
                    let path = self.path_of(kind, edition.edition(), format);
                    let stale = files
                        .get(&path)
                        .is_some_and(|f| current.is_some_and(|fp| *fp != f.fingerprint));
                    if stale {
                        folder.remove(format.file_name(kind, edition.edition()).as_str());
                        files.remove(&path);
                    }
                }
            }
        }
        let mut zip_written = false;
        if options.zip {
            if !written.is_empty() || self.kept(&zip_name, &practice_fp).is_none() {
                let members: Vec<&FileEntry> =
                    files.values().filter(|f| f.path != zip_name).collect();
                let bytes = super::zip::practice_zip(folder, &members, self.practice.issued)?;
                let stamp = out_folder.write(&zip_name, &bytes)?;
                zip_written = true;
                written.push(zip_name.clone());
                let entry = file_entry(zip_name.clone(), stamp, &bytes, &practice_fp);
                files.insert(zip_name.clone(), entry);
            }
        } else if (!written.is_empty()
            || (self.zip_recorded() && self.kept(&zip_name, &practice_fp).is_none()))
            && files.remove(&zip_name).is_some()
        {
            // A zip of the old files would mislead, and one that is not the
            // file the build wrote may be anything: take it away.
            out_folder.remove(&zip_name);
        }
        // The day what a document says last changed: its reference changes with it.
        let changed = match previous {
            Some(p) if p.references == references && !p.changed.is_empty() => p.changed.clone(),
            _ => chrono::Utc::now().date_naive().to_string(),
        };
        // A build of some documents only (`--docs`) vouches for those alone.
        // If the inputs changed, the others may now be out of date: record
        // no practice fingerprint (so the next build looks at every
        // document) and the last values, templates and tool (so it says why).
        let partial = DocKind::ALL.iter().any(|kind| !options.docs.contains(kind))
            && previous.is_some_and(|p| p.fingerprint != practice_fp);
        let (fingerprint_now, values, templates_fp, tool_version) = match previous {
            Some(p) if partial => (
                String::new(),
                p.values.clone(),
                p.templates.clone(),
                p.tool_version.clone(),
            ),
            _ => (
                practice_fp,
                self.values,
                self.templates.fingerprint().to_string(),
                env!("CARGO_PKG_VERSION").to_string(),
            ),
        };
        let practice = self.practice;
        let entry = PracticeEntry {
            config: practice.recorded_config().to_string(),
            config_owner: Some(practice.owner),
            name: practice.name().to_string(),
            issued: practice.issued.to_string(),
            review_due: practice.review_due.to_string(),
            fingerprint: fingerprint_now,
            documents,
            references,
            values,
            templates: templates_fp,
            tool_version,
            changed,
            files: files.into_values().collect(),
        };
        Ok(Built {
            entry,
            rewritten,
            changed_documents,
            first_documents,
            why: self.why,
            zip_written,
            written,
            warnings,
        })
    }
}

/// One document in every requested edition and format. The Markdown is
/// read into the document model once, for all of them.
fn render_document(
    doc: &Document,
    presentation: &Presentation,
    templates: &Templates,
    wanted: &[(&'static Edition, Format)],
    fingerprint: &str,
) -> anyhow::Result<Vec<Output>> {
    let model = Model::of(doc)?;
    wanted
        .iter()
        .map(|&(edition, format)| {
            let input = Input {
                doc,
                model: &model,
                presentation,
                edition,
                templates,
            };
            Ok(Output {
                name: format.file_name(doc.kind, edition),
                bytes: render::render(format, &input)?,
                fingerprint: fingerprint.to_string(),
            })
        })
        .collect()
}

/// A warning when documents now say or show something else (their
/// reference changed) while `policy.version` and `policy.issued` stayed as
/// they were at the last build: printed copies of the old and the new
/// would look the same but for the reference. Nothing is said for a
/// document the last build recorded no reference for, so neither a first
/// build nor a new policypack that sets the same words warns.
fn unmarked_change(
    practice: &Practice,
    previous: &PracticeEntry,
    values: &BTreeMap<String, String>,
    references: &BTreeMap<String, String>,
    docs: &[DocKind],
) -> Option<Diagnostic> {
    const VERSION: &str = "policy.version";
    let marked = previous.values.get(VERSION) != values.get(VERSION)
        || previous.issued != practice.issued.to_string();
    if marked {
        return None;
    }
    let changed: Vec<String> = docs
        .iter()
        .filter_map(|&kind| {
            let before = previous.references.get(kind.stem())?;
            let now = references.get(kind.stem())?;
            (before != now).then(|| format!("{} (was Ref {before}, now Ref {now})", kind.stem()))
        })
        .collect();
    if changed.is_empty() {
        return None;
    }
    let version = match values.get(VERSION) {
        Some(version) => format!("version {version}"),
        None => "no version".to_string(),
    };
    let message = format!(
        "{} changed, but policy.version and policy.issued did not: new printed copies will look the same as the old ones ({version}, issued {}) except for their reference",
        changed.join(", "),
        long_date(practice.issued),
    );
    Some(
        Diagnostic::file(&practice.path, message)
            .for_key(VERSION)
            .with_hint(
                "raise policy.version, or set policy.issued to the date the new copies go up, and build again, so that everyone can tell the new copies from the old",
            )
            .warning(),
    )
}

/// The hashes that decide what needs building.
pub struct Fingerprints {
    /// The tool, the templates and nation facts, and the fonts.
    inputs: String,
    /// Everything renderers show besides the Markdown ([`Presentation`]).
    presentation: String,
    /// The practice's: unchanged means nothing of it needs building.
    pub practice: String,
}

impl Fingerprints {
    pub fn of(
        templates: &Templates,
        presentation: &Presentation,
        config: &serde_json::Value,
    ) -> Fingerprints {
        let inputs = crate::utils::hash([
            env!("CARGO_PKG_VERSION").as_bytes(),
            templates.fingerprint().as_bytes(),
            crate::render::pdf::text::fonts_fingerprint().as_bytes(),
        ]);
        let presentation = presentation.fingerprint();
        let practice = crate::utils::hash([
            inputs.as_bytes(),
            presentation.as_bytes(),
            config.to_string().as_bytes(),
        ]);
        Fingerprints {
            inputs,
            presentation,
            practice,
        }
    }

    /// A document's: unchanged means none of its files need rewriting.
    pub fn document(&self, doc: &Document) -> String {
        crate::utils::hash([
            self.inputs.as_bytes(),
            self.presentation.as_bytes(),
            doc.kind.stem().as_bytes(),
            doc.markdown.as_bytes(),
        ])
    }
}

/// A config's path as the manifest records it: absolute, so whether it
/// still exists does not depend on the folder a later build is run from.
pub fn recorded_config(path: &Path) -> String {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// A recorded config's path as a person reads it: relative to the current
/// folder when it is below it.
pub fn shown_config(recorded: &str) -> String {
    let path = Path::new(recorded);
    std::env::current_dir()
        .ok()
        .and_then(|here| here.canonicalize().ok())
        .and_then(|here| path.strip_prefix(here).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

fn file_entry(
    path: String,
    stamp: super::manifest::Stamp,
    bytes: &[u8],
    fingerprint: &str,
) -> FileEntry {
    FileEntry {
        path,
        sha256: crate::utils::sha256(bytes),
        bytes: bytes.len() as u64,
        fingerprint: fingerprint.to_string(),
        modified: stamp.modified,
        changed: stamp.changed,
        inode: Some(stamp.inode),
        owner: Some(stamp.owner),
    }
}
