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

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use sha2::Digest as _;

use super::manifest::{Manifest, PracticeEntry, Stamp};

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

/// Where the officer's record of the index last written in `out` is kept
/// (see [`super::index::write`]): beside the manifests, in a folder of its
/// own, made private (0700) if need be. `None` without a home folder, or
/// when that folder is not one only this user may write to.
pub fn index_record(out: &Path) -> Option<PathBuf> {
    let manifest = path(out)?;
    let folder = manifest.parent()?.parent()?.join("indexes");
    make_private(&folder).ok()?;
    let path = folder.join(manifest.file_name()?);
    private_folder(&folder).then_some(path)
}

/// Makes `folder` (and any missing above it) readable by this user alone,
/// if it is not there.
fn make_private(folder: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(folder)
}

/// True for a folder of this user's that nobody else may write to.
fn private_folder(folder: &Path) -> bool {
    std::fs::symlink_metadata(folder).is_ok_and(|meta| {
        use std::os::unix::fs::MetadataExt as _;
        // SAFETY: geteuid has no preconditions and cannot fail.
        meta.is_dir() && meta.uid() == unsafe { libc::geteuid() } && meta.mode() & 0o022 == 0
    })
}

/// The recorded manifest of `out`, if there is one that only this user
/// could have written: in a folder of theirs that nobody else may write to;
/// with its path, and the size and times of the file read.
pub fn read(out: &Path) -> Option<(PathBuf, Vec<u8>, Option<Stamp>)> {
    let path = private(out)?;
    let (bytes, meta) = crate::input::read_written_with_metadata(
        &path,
        super::manifest::MAX_BYTES,
        "manifest record",
    )
    .ok()?;
    Some((path, bytes, Stamp::of(&meta)))
}

/// The record of `out`, if it is in a folder of this user's that nobody
/// else may write to, so that only policypack running as this user wrote it.
pub fn private(out: &Path) -> Option<PathBuf> {
    let path = path(out)?;
    private_folder(path.parent()?).then_some(path)
}

/// The most bytes of a record read as a stream: a record is written by
/// policypack, so only configs added by the thousand make one this large.
const MAX_STREAMED_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// The most practices kept from such a record.
const MAX_STREAMED: usize = 1_000_000;
/// The values kept of a practice whose config is gone, when its record is
/// read as a stream: whose folder it was, and the nation it was built for.
const VALUES_ALWAYS_KEPT: [&str; 2] = ["practice.ods_code", "practice.nation"];

/// The officer's own record of `out`, read as a stream one practice at a
/// time, for when it is too large to read whole (or lists more practices
/// than a manifest may): configs added by the thousand must not make
/// policypack forget whose each folder is (or a practice could then claim
/// another's slug), which files it made (or `--prune` could not take them
/// away), nor what each document's reference was (or the change report
/// could not say what to reprint).
///
/// Each practice is kept whole but for the config values (the most of a
/// record by far) of a practice whose config is gone: a build needs the
/// values of the others to say which keys changed, whether it builds them
/// now or later. So memory grows with the configs there are, as a build's
/// own does, not with what the record has gathered.
pub fn streamed(out: &Path) -> Option<(PathBuf, Manifest)> {
    use std::io::Read as _;

    let path = private(out)?;
    let file = crate::input::open_written(&path).ok()?;
    let reader = std::io::BufReader::new(file.take(MAX_STREAMED_BYTES));
    let mut stream = serde_json::Deserializer::from_reader(reader);
    let manifest = Lean.deserialize(&mut stream).ok()?;
    Some((path, manifest))
}

/// Reads a manifest without the values of configs that are gone.
struct Lean;

impl<'de> DeserializeSeed<'de> for Lean {
    type Value = Manifest;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Manifest, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Lean {
    type Value = Manifest;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a manifest")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Manifest, A::Error> {
        let mut manifest = Manifest::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "tool_version" => manifest.tool_version = map.next_value()?,
                "template_sets" => manifest.template_sets = map.next_value()?,
                "reports" => manifest.reports = map.next_value()?,
                "practices" => manifest.practices = map.next_value_seed(Practices)?,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(manifest)
    }
}

/// A manifest's practices, each read whole and then stripped of its values
/// if its config is gone, so that only one is ever held whole.
struct Practices;

impl<'de> DeserializeSeed<'de> for Practices {
    type Value = BTreeMap<String, PracticeEntry>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Practices {
    type Value = BTreeMap<String, PracticeEntry>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("practices by slug")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut practices = BTreeMap::new();
        while let Some((slug, mut entry)) = map.next_entry::<String, PracticeEntry>()? {
            if practices.len() == MAX_STREAMED {
                return Err(serde::de::Error::custom(
                    "more practices than any build makes",
                ));
            }
            if !Path::new(&entry.config).is_file() {
                entry
                    .values
                    .retain(|key, _| VALUES_ALWAYS_KEPT.contains(&key.as_str()));
            }
            practices.insert(slug, entry);
        }
        Ok(practices)
    }
}

/// Records `bytes` as the manifest of `out`.
pub fn write(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let Some(path) = path(out) else {
        return Ok(());
    };
    let parent = path.parent().expect("a file in a folder");
    make_private(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    crate::utils::fs::atomic(&path, bytes)
        .with_context(|| format!("cannot keep the record of this build in {}", path.display()))
}
