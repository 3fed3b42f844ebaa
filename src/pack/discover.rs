//! Command-line paths → practice config files.
//!
//! A file is taken as given. A folder means every `*.toml` below it, except
//! files whose name starts with `_`: those are shared defaults (`_lmc.toml`)
//! reached only through `extends`.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

/// The practice configs named by `paths`, sorted within each folder.
pub fn practice_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        if meta.is_dir() {
            let before = files.len();
            walk(path, &mut files)
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
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if entry.file_type()?.is_dir() {
            if !name.starts_with('.') {
                walk(&path, files)?;
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
