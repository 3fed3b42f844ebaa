//! The officer's own record of each output folder's manifest, kept outside
//! `out/` (in `$XDG_STATE_HOME/policypack`, or `~/.local/state/policypack`),
//! where no member practice can write.
//!
//! Everything under `out/` may be changed by whoever can write there, the
//! manifest included: a forged one could name another config as a folder's
//! owner, or vouch for a forged change report. After each build the
//! manifest is written to the record as well, and the next build (and
//! `status`, `changes`) reads the record instead, saying so when
//! `out/manifest.json` no longer matches it. Without a home folder (a
//! service with none), the record is not kept and `out/manifest.json` is
//! read with distrust alone.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use sha2::Digest as _;

/// The folder of records, if the environment names one; made private
/// (0700) when it is made.
fn folder() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".local/state"))
        })?;
    Some(state.join("policypack").join("manifests"))
}

/// The record of `out`: named by the hash of its full path.
pub fn path(out: &Path) -> Option<PathBuf> {
    let out = out.canonicalize().ok()?;
    let digest = sha2::Sha256::digest(out.as_os_str().as_encoded_bytes());
    let mut name = crate::utils::hex(&digest);
    name.truncate(32);
    Some(folder()?.join(format!("{name}.json")))
}

/// The recorded manifest of `out`, if there is one that only this user
/// could have written: in a folder of theirs that nobody else may write to.
pub fn read(out: &Path) -> Option<(PathBuf, Vec<u8>)> {
    let path = path(out)?;
    let parent = path.parent()?;
    let private = std::fs::symlink_metadata(parent).is_ok_and(|meta| {
        use std::os::unix::fs::MetadataExt as _;
        // SAFETY: geteuid has no preconditions and cannot fail.
        meta.is_dir() && meta.uid() == unsafe { libc::geteuid() } && meta.mode() & 0o022 == 0
    });
    if !private {
        return None;
    }
    let bytes =
        crate::input::read_written(&path, super::manifest::MAX_BYTES, "manifest record").ok()?;
    Some((path, bytes))
}

/// Records `bytes` as the manifest of `out`.
pub fn write(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let Some(path) = path(out) else {
        return Ok(());
    };
    let parent = path.parent().expect("a file in a folder");
    {
        use std::os::unix::fs::DirBuilderExt as _;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    crate::utils::fs::atomic(&path, bytes)
        .with_context(|| format!("cannot keep the record of this build in {}", path.display()))
}
