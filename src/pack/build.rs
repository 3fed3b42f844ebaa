//! Building one practice: decide from fingerprints what changed, render the
//! changed documents in every format in memory, then write them all. A
//! practice that fails writes nothing and never stops the others.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::fingerprint;
use super::manifest::{FileEntry, PracticeEntry};
use crate::cli::Format;
use crate::config::Practice;
use crate::content::{self, DocKind, Document, Templates};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub out: PathBuf,
    pub docs: Vec<DocKind>,
    pub formats: Vec<Format>,
    /// `--templates`: wins over a config's own `templates`.
    pub templates: Option<PathBuf>,
    /// Rebuild even what has not changed.
    pub force: bool,
    /// Also write `OUT/<slug>.zip`.
    pub zip: bool,
}

/// One output file, rendered and ready to write.
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Renders every requested output of one practice, in memory.
pub fn render_practice(
    practice: &Practice,
    templates: &Templates,
    options: &BuildOptions,
) -> anyhow::Result<Vec<Output>> {
    let folder = options.out.join(&practice.slug);
    let logo = practice.logo.as_deref().map(Logo::read).transpose()?;
    let mut outputs = Vec::new();
    for &kind in &options.docs {
        if super::interrupt::requested() {
            anyhow::bail!("interrupted");
        }
        let doc = content::render(practice, kind, templates)?;
        outputs.extend(render_document(
            &doc,
            practice,
            templates,
            logo.as_ref(),
            &folder,
            &options.formats,
        )?);
    }
    Ok(outputs)
}

/// One document in every requested format.
fn render_document(
    doc: &Document,
    practice: &Practice,
    templates: &Templates,
    logo: Option<&Logo>,
    folder: &Path,
    formats: &[Format],
) -> anyhow::Result<Vec<Output>> {
    let kind = doc.kind;
    formats
        .iter()
        .map(|&format| {
            let bytes = match format {
                Format::Md => doc.markdown.clone().into_bytes(),
                Format::Html => {
                    crate::html::render(doc, practice, templates, logo.map(|l| l.data_uri.as_str()))
                        .with_context(|| format!("{kind}: cannot make the HTML"))?
                        .into_bytes()
                }
                Format::Pdf => crate::pdf::render(doc, practice, logo.map(|l| &l.image))
                    .with_context(|| format!("{kind}: cannot make the PDF"))?,
            };
            Ok(Output {
                path: folder.join(format!("{}.{}", kind.stem(), format.extension())),
                bytes,
            })
        })
        .collect()
}

/// What building one practice did.
pub struct Built {
    /// The manifest entry for the practice after this build.
    pub entry: PracticeEntry,
    /// The documents rewritten (all of them for a new practice, none if unchanged).
    pub rewritten: Vec<DocKind>,
    /// Config keys that differ from the last build (empty for a new practice).
    pub changed_keys: Vec<String>,
    /// True when the practice was not in the last build.
    pub new: bool,
    /// True when templates, fonts, the logo, the tool or the config changed
    /// (false when only missing or outdated files were made again).
    pub inputs_changed: bool,
    pub zip_written: bool,
    /// Files written, including the zip.
    pub files_written: usize,
}

/// Builds one practice incrementally: nothing is rendered when its inputs
/// are as last time, only changed documents are rewritten, and nothing at
/// all is written if any output fails to render.
pub fn build_practice(
    practice: &Practice,
    templates: &Templates,
    previous: Option<&PracticeEntry>,
    options: &BuildOptions,
) -> anyhow::Result<Built> {
    let logo = practice.logo.as_deref().map(Logo::read).transpose()?;
    let config = serde_json::to_value(&practice.config).context("config as JSON")?;
    let values = fingerprint::flatten(&config);
    let inputs = inputs_fingerprint(templates, logo.as_ref().map(|l| l.bytes.as_slice()));
    let practice_fp = practice_fingerprint(&inputs, &config);
    let out = &options.out;
    let folder = out.join(&practice.slug);
    let zip_path = out.join(format!("{}.zip", practice.slug));
    let path_of = |kind: DocKind, format: Format| {
        format!("{}/{}.{}", practice.slug, kind.stem(), format.extension())
    };
    // A file can be kept when the last build recorded it from this
    // fingerprint and it is still there.
    let kept = |path: &str, fp: &str| {
        previous
            .filter(|_| !options.force)
            .and_then(|p| {
                p.files
                    .iter()
                    .find(|f| f.path == path && f.fingerprint == fp)
            })
            // A regular file, not a link planted in its place (a kept file
            // is read back into the zip), as big and as old as recorded.
            .filter(|f| f.still_there(&out.join(&f.path)))
            .cloned()
    };
    let changed_keys = previous
        .map(|p| fingerprint::changed_keys(&p.values, &values))
        .unwrap_or_default();

    let everything_kept = previous.is_some_and(|p| p.fingerprint == practice_fp)
        && options.docs.iter().all(|&kind| {
            let fp = previous.and_then(|p| p.documents.get(kind.stem()));
            fp.is_some_and(|fp| {
                options
                    .formats
                    .iter()
                    .all(|&format| kept(&path_of(kind, format), fp).is_some())
            })
        })
        && (!options.zip || kept(&format!("{}.zip", practice.slug), &practice_fp).is_some());
    if everything_kept {
        let mut entry = previous.expect("checked above").clone();
        entry.config = practice.path.display().to_string();
        return Ok(Built {
            entry,
            rewritten: Vec::new(),
            changed_keys,
            new: false,
            inputs_changed: false,
            zip_written: false,
            files_written: 0,
        });
    }

    // What the HTML and PDF show besides the Markdown.
    let c = &practice.config.practice;
    let presentation = serde_json::json!([
        c.name,
        c.phone,
        c.website,
        c.complaints_page,
        practice.accent_colour,
        practice.issued.to_string(),
        practice.review_due.to_string(),
        practice.config.policy.version,
    ])
    .to_string();
    // Entries of documents and formats this build does not make stay as they were.
    let mut documents = previous.map(|p| p.documents.clone()).unwrap_or_default();
    let mut files: BTreeMap<String, FileEntry> = previous
        .map(|p| {
            p.files
                .iter()
                .map(|f| (f.path.clone(), f.clone()))
                .collect()
        })
        .unwrap_or_default();
    let mut outputs: Vec<(Output, String)> = Vec::new();
    let mut rewritten = Vec::new();
    for &kind in &options.docs {
        if super::interrupt::requested() {
            anyhow::bail!("interrupted");
        }
        let doc = content::render(practice, kind, templates)?;
        let doc_fp = fingerprint::hash([
            inputs.as_bytes(),
            presentation.as_bytes(),
            kind.stem().as_bytes(),
            doc.markdown.as_bytes(),
        ]);
        let missing: Vec<Format> = options
            .formats
            .iter()
            .copied()
            .filter(|&format| kept(&path_of(kind, format), &doc_fp).is_none())
            .collect();
        if !missing.is_empty() {
            rewritten.push(kind);
            for output in
                render_document(&doc, practice, templates, logo.as_ref(), &folder, &missing)?
            {
                outputs.push((output, doc_fp.clone()));
            }
        }
        documents.insert(kind.stem().to_string(), doc_fp);
    }

    not_a_link(&folder)?;
    let folder_existed = folder.is_dir();
    let mut files_written = 0;
    for (output, doc_fp) in &outputs {
        if super::interrupt::requested() {
            anyhow::bail!("interrupted");
        }
        if let Err(error) = super::write::atomic(&output.path, &output.bytes) {
            // A folder this build made holds only what it wrote, and none of
            // it is recorded: take it away rather than leave half a
            // practice (and, on a full disk, free the room for the manifest).
            if !folder_existed {
                let _ = std::fs::remove_dir_all(&folder);
            }
            return Err(error);
        }
        files_written += 1;
        let entry = file_entry(out, &output.path, &output.bytes, doc_fp);
        files.insert(entry.path.clone(), entry);
    }
    let zip_name = format!("{}.zip", practice.slug);
    let mut zip_written = false;
    if options.zip {
        if files_written > 0 || kept(&zip_name, &practice_fp).is_none() {
            let members: Vec<&FileEntry> = files.values().filter(|f| f.path != zip_name).collect();
            let bytes = super::zip::practice_zip(out, &members, practice.issued)?;
            super::write::atomic(&zip_path, &bytes)?;
            files_written += 1;
            zip_written = true;
            files.insert(
                zip_name.clone(),
                file_entry(out, &zip_path, &bytes, &practice_fp),
            );
        }
    } else if files_written > 0 && files.remove(&zip_name).is_some() {
        // A zip of the old files would mislead: take it away.
        let _ = std::fs::remove_file(&zip_path);
    }
    let inputs_changed = previous.is_none_or(|p| p.fingerprint != practice_fp);
    let entry = PracticeEntry {
        config: practice.path.display().to_string(),
        name: practice.name().to_string(),
        issued: practice.issued.to_string(),
        review_due: practice.review_due.to_string(),
        fingerprint: practice_fp,
        documents,
        values,
        files: files.into_values().collect(),
    };
    Ok(Built {
        entry,
        rewritten,
        changed_keys,
        new: previous.is_none(),
        inputs_changed,
        zip_written,
        files_written,
    })
}

/// What every output of a practice depends on besides its config: the
/// tool, the templates and nation facts, the fonts and the logo.
pub fn inputs_fingerprint(templates: &Templates, logo: Option<&[u8]>) -> String {
    let logo_hash = logo
        .map(|bytes| fingerprint::hash([bytes]))
        .unwrap_or_default();
    fingerprint::hash([
        env!("CARGO_PKG_VERSION").as_bytes(),
        templates.fingerprint().as_bytes(),
        crate::pdf::text::fonts_fingerprint().as_bytes(),
        logo_hash.as_bytes(),
    ])
}

/// The practice's fingerprint: unchanged means nothing of it needs building.
pub fn practice_fingerprint(inputs: &str, config: &serde_json::Value) -> String {
    fingerprint::hash([inputs.as_bytes(), config.to_string().as_bytes()])
}

fn file_entry(out: &Path, path: &Path, bytes: &[u8], fingerprint: &str) -> FileEntry {
    let relative = path.strip_prefix(out).unwrap_or(path);
    FileEntry {
        path: relative.to_string_lossy().replace('\\', "/"),
        sha256: fingerprint::hex(&Sha256::digest(bytes)),
        bytes: bytes.len() as u64,
        fingerprint: fingerprint.to_string(),
        modified: std::fs::symlink_metadata(path)
            .ok()
            .and_then(|meta| super::manifest::modified_nanos(&meta)),
    }
}

/// A practice's logo, read once and prepared for every format.
struct Logo {
    bytes: Vec<u8>,
    data_uri: String,
    image: krilla::image::Image,
}

impl Logo {
    fn read(path: &Path) -> anyhow::Result<Logo> {
        // Checked again here: the file may have changed since it was checked.
        let bytes = crate::config::read_logo(path)
            .map_err(|problem| anyhow::anyhow!("{}; {}", problem.message, problem.hint))?;
        let png = bytes.starts_with(b"\x89PNG");
        let mime = if png { "image/png" } else { "image/jpeg" };
        let data_uri = format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&bytes)
        );
        let image = if png {
            krilla::image::Image::from_png(bytes.clone().into(), true)
        } else {
            krilla::image::Image::from_jpeg(bytes.clone().into(), true)
        }
        .map_err(|e| {
            anyhow::anyhow!(
                "the logo {} cannot be read as an image: {e}",
                path.display()
            )
        })?;
        Ok(Logo {
            bytes,
            data_uri,
            image,
        })
    }
}

/// Refuses a practice folder that is a symbolic link: whoever can write to
/// the output folder could point it anywhere, and policypack writes only
/// inside the output folder.
pub fn not_a_link(folder: &Path) -> anyhow::Result<()> {
    match std::fs::symlink_metadata(folder) {
        Ok(meta) if meta.file_type().is_symlink() => anyhow::bail!(
            "{} is a link to somewhere else; policypack writes only inside the output folder. Remove the link and build again",
            folder.display()
        ),
        Ok(meta) if !meta.is_dir() => anyhow::bail!(
            "{} is not a folder; move it away and build again",
            folder.display()
        ),
        _ => Ok(()),
    }
}
