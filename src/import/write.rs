//! One practice's config file: written new, refreshed with `--update`, or
//! in a dry run only worked out.
//!
//! [`super::epraccur`] hands each checked [`Practice`] here; the text of a
//! new config and the refresh of an existing one are [`super::config`]'s.
//! This part reads the file, finds the `keep` it inherits from what it
//! `extends` (through the same merge as `check`), writes atomically unless
//! it is a dry run, and turns what was left or refused into diagnostics.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::config::{self, Change, Difference, Left, Practice, Refusal};
use super::epraccur::Options;
use crate::config::rules::check_kept_key;
use crate::config::tree::{self, Value as TreeValue};
use crate::config::{KeptKey, find_node};
use crate::diagnostics::{Diagnostic, Origin, SourceFile};

/// What happened to one practice's config file (in a dry run: what would).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Written,
    /// It exists, and `--update` was not given.
    Skipped,
    Updated,
    Unchanged,
    /// It exists but could not be updated; [`FileReport::problems`] says why.
    Failed,
}

impl Action {
    /// The word for JSON output.
    pub fn word(self) -> &'static str {
        match self {
            Action::Written => "written",
            Action::Skipped => "skipped",
            Action::Updated => "updated",
            Action::Unchanged => "unchanged",
            Action::Failed => "failed",
        }
    }
}

/// One practice's config file: what was done, and what it changed or left.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: PathBuf,
    pub action: Action,
    /// A new file's keys (each with no old value), or the keys an update
    /// changed.
    pub changes: Vec<Change>,
    /// Values an update left although ODS says something else.
    pub differences: Vec<Difference>,
    /// Why it failed (errors), or the differences left without `--force`
    /// (warnings).
    pub problems: Vec<Diagnostic>,
}

impl FileReport {
    fn new(path: &Path, action: Action) -> FileReport {
        FileReport {
            path: path.to_path_buf(),
            action,
            changes: Vec::new(),
            differences: Vec::new(),
            problems: Vec::new(),
        }
    }
}

/// Writes a new config, or with `--update` refreshes one that exists; in
/// a dry run, works out the same and writes nothing.
pub fn write(path: &Path, practice: &Practice, options: &Options) -> anyhow::Result<FileReport> {
    if std::fs::symlink_metadata(path).is_err() {
        if !options.dry_run {
            let text = config::new_config(practice, options.extends);
            crate::utils::fs::atomic(path, text.as_bytes())?;
        }
        let mut report = FileReport::new(path, Action::Written);
        report.changes = config::new_config_keys(practice, options.extends);
        return Ok(report);
    }
    if !options.update {
        return Ok(FileReport::new(path, Action::Skipped));
    }
    let mut report = FileReport::new(path, Action::Failed);
    let not_updated = |message: String| Diagnostic::file(path, format!("not updated: {message}"));
    // Read as any practice's config is: never through a link, and the
    // owner and permissions kept are those of the file read, not of
    // whatever the path names a moment later.
    let (text, read) =
        match crate::input::read_own_with_metadata(path, crate::input::MAX_TEXT_BYTES, "config") {
            Ok((bytes, meta)) => match String::from_utf8(bytes) {
                Ok(text) => (text, meta),
                Err(_) => {
                    report
                        .problems
                        .push(not_updated("it is not UTF-8 text".into()));
                    return Ok(report);
                }
            },
            Err(refused) => {
                report.problems.push(not_updated(refused.0));
                return Ok(report);
            }
        };
    let source = Arc::new(SourceFile::new(path.to_path_buf(), text));
    let at = |refusal: Refusal| {
        let message = format!("not updated: {}", refusal.message);
        let mut diagnostic = match refusal.span {
            Some(span) => Diagnostic::at(
                &Origin {
                    file: source.clone(),
                    span,
                },
                refusal.key.as_deref(),
                message,
            ),
            None => Diagnostic::file(path, message),
        };
        diagnostic.key = refusal.key;
        diagnostic.hint = refusal.hint;
        diagnostic
    };
    let existing = match config::Existing::parse(&source.text) {
        Ok(existing) => existing,
        Err(refusal) => {
            report.problems.push(at(refusal));
            return Ok(report);
        }
    };
    let inherited = if existing.keep().is_none() && existing.extends() {
        match inherited_keep(path) {
            Ok(keep) => keep,
            Err(problems) => {
                report.problems = problems;
                return Ok(report);
            }
        }
    } else {
        Vec::new()
    };
    let keep = existing
        .keep()
        .map(<[KeptKey]>::to_vec)
        .unwrap_or_else(|| inherited.clone());
    let update = match existing.update(practice, &inherited, options.force) {
        Ok(update) => update,
        Err(refusal) => {
            report.problems.push(at(refusal));
            return Ok(report);
        }
    };
    // Another user's config, rewritten by an officer who is not root,
    // would become the officer's: `build` takes a config whose owner
    // changed for another practice's (so no one can put a file in a
    // practice's place), and the practice could no longer edit it.
    #[cfg(unix)]
    if update.text.is_some() {
        use std::os::unix::fs::MetadataExt as _;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if me != 0 && read.uid() != me {
            let keys: Vec<&str> = update.changes.iter().map(|c| c.key).collect();
            report.problems.push(
                not_updated(format!(
                    "it belongs to another user (uid {}); rewritten by you it would become yours, the practice could no longer edit it, and `build` would refuse it as another practice's config",
                    read.uid()
                ))
                .with_hint(format!(
                    "run the import as root, which keeps each config's owner, or ask the practice to change {}",
                    keys.join(", ")
                )),
            );
            report.changes = update.changes;
            return Ok(report);
        }
    }
    if let Some(text) = &update.text
        && !options.dry_run
    {
        // One file that cannot be written does not stop the others.
        let written = crate::utils::fs::atomic_replacing(path, text.as_bytes(), &read);
        if let Err(error) = written {
            report.problems.push(not_updated(format!("{error:#}")));
            return Ok(report);
        }
    }
    report.action = if update.text.is_some() {
        Action::Updated
    } else {
        Action::Unchanged
    };
    report.changes = update.changes;
    report.problems = update
        .differences
        .iter()
        .filter(|d| d.left == Left::Differs)
        .map(|d| not_replaced(&source, d, &keep))
        .collect();
    report.differences = update.differences;
    Ok(report)
}

/// The warning for a name or phone number left as the config has it.
fn not_replaced(source: &Arc<SourceFile>, difference: &Difference, keep: &[KeptKey]) -> Diagnostic {
    let message = format!(
        "the config says {}, ODS says {}; not replaced",
        config::shown(&difference.config),
        config::shown(&difference.ods)
    );
    let key = difference.key.path();
    let mut diagnostic = match &difference.span {
        Some(span) => Diagnostic::at(
            &Origin {
                file: source.clone(),
                span: span.clone(),
            },
            Some(key),
            message,
        ),
        None => Diagnostic::file(&source.path, message).for_key(key),
    };
    let mut list: Vec<&str> = keep.iter().map(|k| k.path()).collect();
    list.push(key);
    let list: Vec<String> = list.iter().map(|k| format!("\"{k}\"")).collect();
    diagnostic.hint = Some(format!(
        "if the config is right, add it to keep = [{}] at the top of the file to silence this, or run with --force to take the ODS value",
        list.join(", ")
    ));
    diagnostic.warning()
}

/// `keep` as the files a config extends set it, read through the same
/// merge as `check` uses (the config's own `keep` is read by the update).
/// A chain that cannot be read may hold a `keep`, so the config is not
/// updated.
fn inherited_keep(path: &Path) -> Result<Vec<KeptKey>, Vec<Diagnostic>> {
    let merged = tree::load(path).map_err(|problems| {
        problems
            .into_iter()
            .map(|mut problem| {
                problem.message = format!("not updated: {}", problem.message);
                let why = "the files a config extends may set `keep`, so it is not updated until they can be read";
                problem.hint = Some(match problem.hint.take() {
                    Some(hint) => format!("{hint}; {why}"),
                    None => why.to_string(),
                });
                problem
            })
            .collect::<Vec<_>>()
    })?;
    let Some(node) = find_node(&merged.root, "keep") else {
        return Ok(Vec::new());
    };
    let refuse = |origin: &Origin, key: &str, message: String, hint: String| {
        Diagnostic::at(origin, Some(key), format!("not updated: {message}")).with_hint(hint)
    };
    let example = || "write keep = [\"practice.phone\"]".to_string();
    let TreeValue::Array(items) = &node.value else {
        return Err(vec![refuse(
            &node.origin,
            "keep",
            format!(
                "expected a list in square brackets, found {}",
                node.value.type_name()
            ),
            example(),
        )]);
    };
    let mut keep = Vec::new();
    let mut problems = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let key = format!("keep[{}]", i + 1);
        match &item.value {
            TreeValue::String(text) => match check_kept_key(text) {
                Ok(kept) => keep.push(kept),
                Err(p) => problems.push(refuse(&item.origin, &key, p.message, p.hint)),
            },
            other => problems.push(refuse(
                &item.origin,
                &key,
                format!(
                    "expected text in double quotes, found {}",
                    other.type_name()
                ),
                example(),
            )),
        }
    }
    if problems.is_empty() {
        Ok(keep)
    } else {
        Err(problems)
    }
}

/// A dry run creates no folder, but fails as the real run would when a
/// file is in the way of the folder.
pub fn could_create(folder: &Path) -> anyhow::Result<()> {
    nearest_folder(folder).map(drop)
}

/// Fails as the real run's first write would when nothing may be written
/// in the folder, or in the nearest folder above it that exists.
pub fn could_write_in(folder: &Path) -> anyhow::Result<()> {
    let nearest = nearest_folder(folder)?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt as _;
        let what = if nearest == folder {
            format!("cannot write in {}", folder.display())
        } else {
            format!("cannot create the folder {}", folder.display())
        };
        let path = std::ffi::CString::new(nearest.as_os_str().as_bytes())
            .map_err(|_| anyhow::anyhow!("{what}: the path holds a NUL byte"))?;
        // SAFETY: `path` is a NUL-terminated string that outlives the call.
        if unsafe { libc::access(path.as_ptr(), libc::W_OK | libc::X_OK) } != 0 {
            anyhow::bail!("{what}: no permission to write in {}", nearest.display());
        }
    }
    Ok(())
}

/// The folder itself if it exists, or the nearest one above it that does.
fn nearest_folder(folder: &Path) -> anyhow::Result<&Path> {
    let cannot =
        |why: String| anyhow::anyhow!("cannot create the folder {}: {why}", folder.display());
    let mut nearest = folder;
    loop {
        match std::fs::metadata(nearest) {
            Ok(meta) if meta.is_dir() => return Ok(nearest),
            Ok(_) if nearest == folder => return Err(cannot("it is a file".into())),
            Ok(_) => return Err(cannot(format!("{} is a file", nearest.display()))),
            Err(_) if nearest == Path::new(".") => {
                return Err(cannot("the working folder cannot be read".into()));
            }
            Err(_) => match nearest.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => nearest = parent,
                // A relative path's last parent is the working folder.
                _ => nearest = Path::new("."),
            },
        }
    }
}
