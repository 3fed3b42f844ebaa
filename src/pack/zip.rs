//! `OUT/<slug>.zip`: a practice's files in one download, for an LMC to hand
//! to each practice. Entries are sorted and dated from `policy.issued`, so
//! the same files make the same zip.

use std::io::{Cursor, Write as _};

use anyhow::Context as _;
use chrono::{Datelike, NaiveDate};
use zip::{DateTime, ZipWriter};

use super::manifest::FileEntry;
use super::write::Folder;

/// The zip of a practice's files, read from its folder `folder`.
pub fn practice_zip(
    folder: &Folder,
    files: &[&FileEntry],
    issued: NaiveDate,
) -> anyhow::Result<Vec<u8>> {
    let date = DateTime::from_date_and_time(
        issued.year().clamp(1980, 2107) as u16,
        issued.month() as u8,
        issued.day() as u8,
        0,
        0,
        0,
    )
    .map_err(|e| anyhow::anyhow!("zip date: {e}"))?;
    let options = crate::utils::zip_member_options(date);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let mut files: Vec<&&FileEntry> = files.iter().filter(|f| !f.path.ends_with(".zip")).collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for file in files {
        // Only the regular file this build recorded, never a link, and no
        // more than its recorded size.
        let name = file.path.rsplit('/').next().unwrap_or(&file.path);
        anyhow::ensure!(
            folder
                .file_metadata(name)
                .is_some_and(|meta| file.is(&meta)),
            "{} changed while the zip was made; build again",
            file.path
        );
        let bytes = folder
            .read(name, file.bytes, "document")
            .with_context(|| format!("cannot read {}", file.path))?;
        // And the very bytes the build wrote.
        anyhow::ensure!(
            crate::utils::sha256(&bytes) == file.sha256,
            "{} is not the file the build wrote; build again with --force",
            file.path
        );
        zip.start_file(file.path.clone(), options)?;
        zip.write_all(&bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}
