//! Command-line paths → practice config files.
//!
//! A file is taken as given. A folder means every `*.toml` below it, except
//! files whose name starts with `_`: those are shared defaults (`_lmc.toml`)
//! reached only through `extends`.

use crate::diagnostics::printable;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

/// The practice configs named by `paths`, sorted within each folder, and
/// what was passed over on the way, to warn of: a subfolder that cannot be
/// read, a name with control characters. One practice's folder never
/// stops the others' being found.
pub fn practice_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let (files, skipped) = practice_files_noting(paths)?;
    for warning in skipped {
        anstream::eprintln!(
            "{}warning{:#}: {warning}",
            crate::diagnostics::WARNING,
            crate::diagnostics::WARNING
        );
    }
    Ok(files)
}

/// [`practice_files`], with what was passed over returned, not printed.
pub fn practice_files_noting(paths: &[PathBuf]) -> anyhow::Result<(Vec<PathBuf>, Vec<String>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        crate::input::no_link_of_others(path)?;
        let meta =
            std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        if meta.is_dir() {
            crate::input::trust_folder(path);
            let before = (files.len(), skipped.len());
            walk(path, &mut files, &mut skipped, true)
                .with_context(|| format!("cannot read the folder {}", path.display()))?;
            files[before.0..].sort();
            if files.len() == before.0 {
                // What was passed over may be why: say it here, as the
                // warnings are not printed when nothing is built.
                let passed = &skipped[before.1..];
                bail!(
                    "{} holds no practice configs (*.toml files not starting with _){}",
                    path.display(),
                    if passed.is_empty() {
                        String::new()
                    } else {
                        format!("; {}", passed.join("; "))
                    }
                );
            }
        } else {
            files.push(path.clone());
        }
    }
    Ok((files, skipped))
}

fn walk(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    skipped: &mut Vec<String>,
    top: bool,
) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        // The folder named on the command line must be readable; a
        // subfolder that is not is passed over, with a warning.
        Err(error) if !top => {
            skipped.push(format!(
                "{} was passed over: {}",
                printable(&dir.display().to_string()),
                crate::input::reason(&error)
            ));
            return Ok(());
        }
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if name != printable(&name) {
            skipped.push(format!(
                "{} was passed over: its name has control characters",
                printable(&path.display().to_string())
            ));
            continue;
        }
        let shown = || printable(&path.display().to_string());
        let toml = name.to_ascii_lowercase().ends_with(".toml");
        if file_type.is_dir() {
            // Hidden folders (`.git`) hold no practices.
            if !name.starts_with('.') {
                walk(&path, files, skipped, false)?;
            }
        } else if file_type.is_symlink() && !name.starts_with('.') {
            // Not followed: a link could lead anywhere, or round in a loop.
            // Said, so that a practice left out is not a surprise.
            if toml || std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                skipped.push(format!(
                    "{} was passed over: it is a link (copy or move the practice's config here instead)",
                    shown()
                ));
            }
        } else if name.starts_with('_') || !toml {
            // Shared defaults, reached through `extends`, and other files.
        } else if name.starts_with('.') {
            skipped.push(format!(
                "{} was passed over: its name starts with a dot, so it is hidden",
                shown()
            ));
        } else if !name.ends_with(".toml") {
            skipped.push(format!(
                "{} was passed over: rename it to end in .toml, in lower case, to build it",
                shown()
            ));
        } else {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_skips_shared_defaults() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["_lmc.toml", "b.toml", "a.toml", "notes.txt"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/c.toml"), "").unwrap();
        let found = practice_files(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|p| {
                p.strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.toml", "b.toml", "sub/c.toml"]);
    }

    #[test]
    fn what_a_folder_passes_over_is_said() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.toml", "B.TOML", ".hidden.toml", "_lmc.toml", "notes.txt"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("c.toml"), "").unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("linked")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path().join("c.toml"), dir.path().join("c.toml"))
            .unwrap();
        let (found, skipped) = practice_files_noting(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(found, [dir.path().join("a.toml")]);
        let said = |name: &str, why: &str| {
            skipped
                .iter()
                .any(|s| s.contains(&format!("{name} was passed over: {why}")))
        };
        assert!(said("B.TOML", "rename it to end in .toml"), "{skipped:?}");
        assert!(
            said(".hidden.toml", "its name starts with a dot"),
            "{skipped:?}"
        );
        assert!(said("linked", "it is a link"), "{skipped:?}");
        assert!(said("c.toml", "it is a link"), "{skipped:?}");
        assert_eq!(skipped.len(), 4, "{skipped:?}");
    }

    #[test]
    fn missing_path_is_an_error() {
        assert!(practice_files(&[PathBuf::from("/no/such/file.toml")]).is_err());
    }
}
