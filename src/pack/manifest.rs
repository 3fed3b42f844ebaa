//! `OUT/manifest.json`: every file written, with its SHA-256, size and the
//! fingerprint it was built from, and per practice what the next build
//! needs to decide what changed.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

pub const FILE_NAME: &str = "manifest.json";

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub tool_version: String,
    /// By slug.
    pub practices: BTreeMap<String, PracticeEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PracticeEntry {
    /// The practice's config file, as given on the command line.
    pub config: String,
    pub name: String,
    pub issued: String,
    pub review_due: String,
    /// Fingerprint of everything the practice's outputs are built from.
    pub fingerprint: String,
    /// Per document stem, the fingerprint of its content.
    pub documents: BTreeMap<String, String>,
    /// The merged config as `key = value`, to name the keys that change.
    pub values: BTreeMap<String, String>,
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the output folder, with `/`.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    /// The fingerprint of the document (or practice, for a zip) it was built from.
    pub fingerprint: String,
}

impl Manifest {
    /// The manifest in `out`, or an empty one if there is none (or it is unreadable,
    /// in which case everything is rebuilt).
    pub fn read(out: &Path) -> Manifest {
        std::fs::read(out.join(FILE_NAME))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    pub fn to_bytes(&self) -> anyhow::Result<Vec<u8>> {
        let mut bytes = serde_json::to_vec_pretty(self).context("manifest as JSON")?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}
