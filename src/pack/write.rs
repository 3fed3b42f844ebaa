//! Atomic file writes: a temporary file in the same folder, renamed into place.
//!
//! A reader (or an interrupted build) sees either the old file or the new
//! one, never half of one.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

pub fn atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".policypack-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    temp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    temp.as_file().sync_data().ok();
    temp.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}
