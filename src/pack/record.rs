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
    let path = private(out)?;
    let bytes =
        crate::input::read_written(&path, super::manifest::MAX_BYTES, "manifest record").ok()?;
    Some((path, bytes))
}

/// The record of `out`, if it is in a folder of this user's that nobody
/// else may write to, so that only policypack running as this user wrote it.
pub fn private(out: &Path) -> Option<PathBuf> {
    let path = path(out)?;
    let parent = path.parent()?;
    let private = std::fs::symlink_metadata(parent).is_ok_and(|meta| {
        use std::os::unix::fs::MetadataExt as _;
        // SAFETY: geteuid has no preconditions and cannot fail.
        meta.is_dir() && meta.uid() == unsafe { libc::geteuid() } && meta.mode() & 0o022 == 0
    });
    private.then_some(path)
}

/// The most bytes of a record read for its owners alone: a record is
/// written by policypack, so only configs added by the thousand make one
/// this large, and each is read as a stream, keeping only who built each
/// folder (about 200 bytes a practice).
const MAX_OWNERS_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// The most practices kept from such a record.
const MAX_OWNERS: usize = 1_000_000;

/// Who built each folder of `out`, from the officer's own record when it
/// is too large to read whole (or lists more practices than a manifest
/// may): configs added by the thousand must not make policypack forget
/// whose each folder is, or a practice could then claim another's slug.
/// The entries hold the config, name and ODS code only, so everything
/// else is built again.
pub fn owners(out: &Path) -> Option<(PathBuf, super::manifest::Manifest)> {
    use std::collections::BTreeMap;
    use std::io::Read as _;

    #[derive(serde::Deserialize)]
    struct View {
        practices: BTreeMap<String, Owner>,
    }
    #[derive(serde::Deserialize)]
    struct Owner {
        config: String,
        name: String,
        #[serde(default)]
        values: Values,
    }
    #[derive(serde::Deserialize, Default)]
    struct Values {
        #[serde(rename = "practice.ods_code")]
        ods_code: Option<String>,
    }

    let path = private(out)?;
    let file = crate::input::open_written(&path).ok()?;
    let reader = std::io::BufReader::new(file.take(MAX_OWNERS_BYTES));
    let view: View = serde_json::from_reader(reader).ok()?;
    if view.practices.len() > MAX_OWNERS {
        return None;
    }
    let practices = view
        .practices
        .into_iter()
        .map(|(slug, owner)| {
            let values = owner
                .values
                .ods_code
                .map(|code| ("practice.ods_code".to_string(), code))
                .into_iter()
                .collect();
            let entry = super::manifest::PracticeEntry {
                config: owner.config,
                name: owner.name,
                values,
                ..Default::default()
            };
            (slug, entry)
        })
        .collect();
    let manifest = super::manifest::Manifest {
        practices,
        ..Default::default()
    };
    Some((path, manifest))
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
