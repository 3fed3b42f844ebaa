//! Atomic file writes: a temporary file in the same folder, renamed into place.
//!
//! Files are readable as the user's umask allows, like any file a program
//! writes, not private to the owner as temporary files usually are.
//!
//! A reader (or an interrupted or killed build) sees either the old file or
//! the new one, never half of one. There is no fsync: the rename is atomic
//! for every process, and syncing each of a national build's 61,000 files
//! would cost more than the build; a power cut mid-build is repaired by
//! building again.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

pub fn atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    atomic_as(path, bytes, None)
}

/// [`atomic`] for a file that replaces `old`: the new file keeps the old
/// one's permissions, and (when root runs policypack) its owner, so a
/// config another user keeps private stays theirs and private.
pub fn atomic_replacing(path: &Path, bytes: &[u8], old: &std::fs::Metadata) -> anyhow::Result<()> {
    atomic_as(path, bytes, Some(old))
}

fn atomic_as(path: &Path, bytes: &[u8], old: Option<&std::fs::Metadata>) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".policypack-").suffix(".tmp");
    // tempfile makes files only the owner can read (0600); outputs are for
    // web servers and colleagues too, so create them as `cp` would, with
    // 0666 less the user's umask (0644 under the usual umask 022).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    temp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    if let Some(old) = old {
        use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
        let file = temp.as_file();
        file.set_permissions(std::fs::Permissions::from_mode(old.mode() & 0o7777))
            .with_context(|| format!("cannot keep the permissions of {}", path.display()))?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        if unsafe { libc::geteuid() } == 0 {
            std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()))
                .with_context(|| format!("cannot keep the owner of {}", path.display()))?;
        }
    }
    temp.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}
