//! Command-line paths → practice config files.
//!
//! A file is taken as given. A folder means every `*.toml` below it, except
//! files whose name starts with `_`: those are shared defaults (`_lmc.toml`)
//! reached only through `extends`.

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
        let meta =
            std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        if meta.is_dir() {
            let before = files.len();
            walk(path, &mut files, &mut skipped, true)
                .with_context(|| format!("cannot read the folder {}", path.display()))?;
            files[before..].sort();
            if files.len() == before {
                bail!(
                    "{} holds no practice configs (*.toml files not starting with _)",
                    path.display()
                );
            }
        } else {
            files.push(path.clone());
        }
    }
    Ok((files, skipped))
}

/// A file name as it may be printed: control characters (which could
/// clear a terminal or fake a line) and direction overrides as `?`.
pub fn printable(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
            {
                '?'
            } else {
                c
            }
        })
        .collect()
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
        if file_type.is_dir() {
            if !name.starts_with('.') {
                walk(&path, files, skipped, false)?;
            }
        } else if name.ends_with(".toml") && !name.starts_with('_') && !name.starts_with('.') {
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
    fn missing_path_is_an_error() {
        assert!(practice_files(&[PathBuf::from("/no/such/file.toml")]).is_err());
    }
}
