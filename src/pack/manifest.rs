//! `OUT/manifest.json`: every file written, with its SHA-256, size and the
//! fingerprint it was built from, and per practice what the next build
//! needs to decide what changed.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use super::write::Folder;
use crate::content::TemplateSet;
use crate::content::{DocKind, Reference};
use crate::render::{EditionName, Format};
use clap::ValueEnum as _;

pub const FILE_NAME: &str = "manifest.json";

/// True when `path` is one of the files a practice's build writes:
/// `<slug>/<stem>.<format>` or `<slug>.zip`.
pub fn is_output_of(slug: &str, path: &str) -> bool {
    let Some(rest) = path.strip_prefix(slug) else {
        return false;
    };
    if rest == ".zip" {
        return true;
    }
    rest.strip_prefix('/').is_some_and(|name| {
        OUTPUT_NAMES
            .binary_search_by(|n| n.as_str().cmp(name))
            .is_ok()
    })
}

/// The name of every file a practice's build may write in its folder,
/// sorted: worked out once, not for each of a national manifest's 61,000
/// files.
static OUTPUT_NAMES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    let mut names: Vec<String> = DocKind::ALL
        .iter()
        .flat_map(|&kind| {
            Format::ALL.iter().flat_map(move |&format| {
                EditionName::value_variants()
                    .iter()
                    .map(move |edition| format.file_name(kind, edition.edition()))
            })
        })
        .collect();
    names.sort();
    names
});

/// The practices' entries, each made into JSON on whichever worker thread
/// is free and then written in order: the same bytes as one after the
/// other, in less time on two cores (a national manifest is 34 MB).
fn entries_in_parallel<S: serde::Serializer>(
    practices: &BTreeMap<String, PracticeEntry>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use rayon::prelude::*;
    use serde::ser::{Error as _, SerializeMap as _};
    let entries: Vec<(&String, &PracticeEntry)> = practices.iter().collect();
    let json: Vec<Box<serde_json::value::RawValue>> = entries
        .par_iter()
        .map(|(_, entry)| serde_json::value::to_raw_value(entry))
        .collect::<Result<_, _>>()
        .map_err(S::Error::custom)?;
    let mut map = serializer.serialize_map(Some(entries.len()))?;
    for ((slug, _), json) in entries.iter().zip(&json) {
        map.serialize_entry(slug, json)?;
    }
    map.end()
}

/// True when `text` holds a control character (`char::is_control`),
/// found by its bytes: below 0x20, 0x7F, or U+0080 to U+009F (0xC2 then
/// 0x80 to 0x9F in UTF-8). A national manifest has 400,000 values.
fn has_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().any(|&b| b < 0x20 || b == 0x7f)
        || bytes
            .windows(2)
            .any(|pair| pair[0] == 0xc2 && (0x80..0xa0).contains(&pair[1]))
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub tool_version: String,
    /// By slug.
    #[serde(serialize_with = "entries_in_parallel")]
    pub practices: BTreeMap<String, PracticeEntry>,
    /// By templates fingerprint, what the templates held: the next build
    /// names the facts and files that changed. Only the fingerprints some
    /// practice was built with are kept.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub template_sets: BTreeMap<String, TemplateSet>,
    /// The change reports builds wrote (`OUT/changes/<name>.json`), by
    /// name, with their SHA-256: `changes` shows only these. None in a
    /// manifest from before reports were recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reports: Option<BTreeMap<String, String>>,
}

/// The most reports a manifest records: years of daily builds.
pub const MAX_REPORTS: usize = 10_000;

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct PracticeEntry {
    /// The practice's config file, as given on the command line.
    pub config: String,
    /// The user who owned that file: another user's file put in its place
    /// (a shared folder with the sticky bit lets a practice do so once
    /// the file is gone) is another config ([`PracticeEntry::built_by`]).
    /// Left out in a manifest written before owners were recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_owner: Option<u32>,
    pub name: String,
    pub issued: String,
    pub review_due: String,
    /// Fingerprint of everything the practice's outputs are built from.
    pub fingerprint: String,
    /// Per document stem, the fingerprint of its content.
    pub documents: BTreeMap<String, String>,
    /// Per document stem, the code of the reference its copies print
    /// ("3F9A-21C0"); read it with [`PracticeEntry::reference`]. Empty in
    /// a manifest written before references were.
    #[serde(default)]
    pub references: BTreeMap<String, String>,
    /// The merged config as `key = value`, to name the keys that change.
    pub values: BTreeMap<String, String>,
    /// The fingerprint of the templates and nation facts it was built with.
    #[serde(default)]
    pub templates: String,
    /// The policypack version that built it.
    #[serde(default)]
    pub tool_version: String,
    /// The day (UTC, `2026-11-26`) a build last changed what a document says.
    #[serde(default)]
    pub changed: String,
    pub files: Vec<FileEntry>,
}

impl PracticeEntry {
    /// Whether a config read just now, whose recorded path is `recorded`
    /// ([`crate::config::Practice::recorded_config`]) and whose file was
    /// owned by `owner` as read, is the config that built this folder: the
    /// same file, owned by the user who owned it then.
    pub fn built_by(&self, recorded: &str, owner: u32) -> bool {
        recorded == self.config && self.config_owner.is_none_or(|uid| uid == owner)
    }

    /// Whether the config that built this folder is still there: a file at
    /// its path, owned by the same user. A practice that deletes or renames
    /// its config, and another that puts its own file in that place, leave
    /// it gone.
    pub fn config_present(&self) -> bool {
        let path = Path::new(&self.config);
        path.is_file() && self.owner_matches(path)
    }

    fn owner_matches(&self, path: &Path) -> bool {
        use std::os::unix::fs::MetadataExt as _;
        self.config_owner
            .is_none_or(|uid| std::fs::metadata(path).is_ok_and(|meta| meta.uid() == uid))
    }

    /// What the last build was made from, to compare with today's inputs;
    /// `sets` are the manifest's [`Manifest::template_sets`].
    pub fn recorded<'a>(
        &'a self,
        sets: &'a BTreeMap<String, TemplateSet>,
    ) -> super::fingerprint::Recorded<'a> {
        super::fingerprint::Recorded {
            values: &self.values,
            templates: &self.templates,
            tool_version: &self.tool_version,
            fingerprint: &self.fingerprint,
            set: sets.get(&self.templates),
            nation: self
                .values
                .get("practice.nation")
                .map_or("", String::as_str),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the output folder, with `/`.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    /// The fingerprint of the document (or practice, for a zip) it was built from.
    pub fingerprint: String,
    /// When the file was written, in nanoseconds since 1970. A file whose
    /// time or size differs was changed since (by a build that could not
    /// record it, say) and is made again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<u64>,
    /// When the file's inode last changed, in nanoseconds since 1970: no
    /// one but the kernel can set it, so a file copied or written over and
    /// given the recorded size and time still differs here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<u64>,
    /// The file's inode and owner: another file put in its place in the
    /// same clock tick (with the same ctime) has another inode, and one a
    /// practice wrote has the practice as its owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inode: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<u32>,
}

/// What a build checks of a regular file it keeps: its size, its
/// modification time and when its inode last changed (its ctime), both in
/// nanoseconds since 1970, its inode and its owner. Read with one `stat`
/// of the name, from the folder's handle, without following a link. A file
/// someone else put in the place of a build's file (a practice that may
/// write in `out/`) is never taken for it, even one renamed there in the
/// same clock tick, whose ctime is the same: it has another inode and
/// another owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub len: u64,
    pub modified: Option<u64>,
    pub changed: Option<u64>,
    pub inode: u64,
    pub owner: u32,
}

fn nanos(seconds: i64, nanos: i64) -> Option<u64> {
    u64::try_from(seconds)
        .ok()?
        .checked_mul(1_000_000_000)?
        .checked_add(u64::try_from(nanos).ok()?)
}

/// [`Stamp::of`] for either kind of metadata: they have the same fields
/// under two traits of the same name.
macro_rules! stamp_of {
    ($meta:expr, $ext:path) => {{
        use $ext as _;
        let meta = $meta;
        meta.is_file().then(|| Stamp {
            len: meta.len(),
            modified: nanos(meta.mtime(), meta.mtime_nsec()),
            changed: nanos(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
            owner: meta.uid(),
        })
    }};
}

impl Stamp {
    /// The stamp of a regular file; `None` for anything else.
    pub fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        stamp_of!(meta, std::os::unix::fs::MetadataExt)
    }

    /// [`Stamp::of`] for metadata read through a folder's handle.
    pub fn of_handle(meta: &cap_std::fs::Metadata) -> Option<Stamp> {
        stamp_of!(meta, cap_std::fs::MetadataExt)
    }

    /// True for a file owned by the user policypack runs as.
    pub fn is_mine(&self) -> bool {
        // SAFETY: geteuid has no preconditions and cannot fail.
        self.owner == unsafe { libc::geteuid() }
    }

    /// True for a file owned by the user policypack runs as, or root: one
    /// nobody else can write to in place as they please later.
    pub fn is_officers(&self) -> bool {
        self.owner == 0 || self.is_mine()
    }
}

impl PracticeEntry {
    /// The reference printed on every copy of document `kind` as last
    /// built, if the manifest holds a well-formed one.
    pub fn reference(&self, kind: DocKind) -> Option<Reference> {
        self.references
            .get(kind.stem())
            .and_then(|code| Reference::parse(code))
    }
}

impl FileEntry {
    /// True when the file at `path` is a regular file (not a link planted
    /// in its place) of the size and time this entry recorded.
    pub fn still_there(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path)
            .ok()
            .and_then(|meta| Stamp::of(&meta))
            .is_some_and(|stamp| self.is(&stamp))
    }

    /// True when `stamp` is of the file this entry recorded: its size,
    /// times, inode and owner.
    pub fn is(&self, stamp: &Stamp) -> bool {
        stamp.len == self.bytes
            && self.modified.is_none_or(|m| stamp.modified == Some(m))
            && self.changed.is_none_or(|c| stamp.changed == Some(c))
            && self.inode.is_none_or(|i| stamp.inode == i)
            // A manifest from before owners were recorded: the file must
            // be this user's.
            && match self.owner {
                Some(owner) => stamp.owner == owner,
                None => stamp.is_mine(),
            }
    }
}

/// The largest manifest read back: a national build's (6,830 practices) is
/// about 33 MB. Parsing costs about twenty times the file's size at worst,
/// so this keeps a planted manifest under about 1.3 GB.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// The most practices a manifest lists: the UK has about 7,500.
pub const MAX_PRACTICES: usize = 20_000;

impl Manifest {
    /// The manifest in `out`, or an empty one if there is none (or it is
    /// unreadable, in which case everything is rebuilt), with every entry
    /// policypack could not have written left out and described.
    ///
    /// The manifest sits in a folder others may write to (a shared drive, a
    /// web root), so nothing in it is trusted: a practice is kept only if its
    /// slug is one policypack makes, and a file only if its path is one of
    /// that practice's own outputs (`<slug>/<stem>.<format>` or
    /// `<slug>.zip`). So `--prune` can never be pointed outside `out`.
    pub fn read(out: &Path) -> (Manifest, Vec<String>) {
        let (manifest, notes, _) = Manifest::read_keeping(out);
        (manifest, notes)
    }

    /// [`Manifest::read`], keeping what a build needs to tell at its end
    /// whether the manifest it writes is the one already there.
    pub fn read_keeping(out: &Path) -> (Manifest, Vec<String>, Option<ReadBack>) {
        // The officer's own record, outside `out/`, wins over the copy in
        // it, which anyone who can write there could have changed.
        if let Some((record, bytes, stamp)) = super::record::read(out) {
            let mut notes = Vec::new();
            let published = Folder::open(out).ok().and_then(|folder| {
                folder
                    .read_with_stamp(FILE_NAME, MAX_BYTES, "manifest")
                    .ok()
            });
            let published = match published {
                // Another user's file, however right it reads now, is
                // theirs to change later: the end of the build replaces it.
                Some((published, stamp)) if published == bytes => stamp.filter(Stamp::is_officers),
                _ => {
                    notes.push(format!(
                        "{} is not as your last build here left it (another build, or someone, changed it); your own record of that build, {}, is used",
                        out.join(FILE_NAME).display(),
                        record.display()
                    ));
                    None
                }
            };
            let (manifest, mut problems) = Manifest::parse(&bytes, &record);
            if manifest.practices.is_empty()
                && let Some((manifest, notes)) = Manifest::streamed(out)
            {
                return (manifest, notes, None);
            }
            notes.append(&mut problems);
            let read_back = ReadBack {
                bytes,
                record: stamp.map(|stamp| (record, stamp)),
                published,
            };
            return (manifest, notes, Some(read_back));
        }
        if let Some((manifest, notes)) = Manifest::streamed(out) {
            return (manifest, notes, None);
        }
        let path = out.join(FILE_NAME);
        let Ok(folder) = Folder::open(out) else {
            return (Manifest::default(), Vec::new(), None);
        };
        if !folder.has(FILE_NAME) {
            return (Manifest::default(), Vec::new(), None);
        }
        // A regular file only, not a link, opened without blocking (a FIFO
        // here would otherwise hang the build while it holds the lock), and
        // bounded.
        let bytes = match folder.read(FILE_NAME, MAX_BYTES, "manifest") {
            Ok(bytes) => bytes,
            Err(refused) => {
                return (
                    Manifest::default(),
                    vec![format!("{refused}; everything is rebuilt")],
                    None,
                );
            }
        };
        let (manifest, notes) = Manifest::parse(&bytes, &path);
        (manifest, notes, None)
    }

    /// The officer's own record read as a stream, when it is too large to
    /// read whole or lists more practices than a manifest may (see
    /// [`super::record::streamed`]), with a note saying so.
    fn streamed(out: &Path) -> Option<(Manifest, Vec<String>)> {
        let (record, manifest) = super::record::streamed(out)?;
        if manifest.practices.len() <= MAX_PRACTICES
            && std::fs::metadata(&record).is_ok_and(|m| m.len() <= MAX_BYTES)
        {
            return None;
        }
        let note = format!(
            "your record of the last build here, {}, lists {} practices in {} MB, more than policypack reads whole (look for configs added in bulk, and build with --prune once they are gone); it is read one practice at a time, without the config values of practices whose configs are gone",
            record.display(),
            manifest.practices.len(),
            std::fs::metadata(&record).map_or(0, |m| m.len() / (1024 * 1024))
        );
        let (manifest, mut notes) = manifest.sanitised();
        notes.insert(0, note);
        Some((manifest, notes))
    }

    /// A manifest's bytes, read with distrust; `path` names them in messages.
    fn parse(bytes: &[u8], path: &Path) -> (Manifest, Vec<String>) {
        match serde_json::from_slice::<Manifest>(bytes) {
            Ok(manifest) if manifest.practices.len() > MAX_PRACTICES => (
                Manifest::default(),
                vec![format!(
                    "{} lists {} practices, more than the UK has; everything is rebuilt",
                    path.display(),
                    manifest.practices.len()
                )],
            ),
            Ok(manifest) => manifest.sanitised(),
            Err(_) => (
                Manifest::default(),
                vec![format!(
                    "{} is not a manifest policypack wrote; everything is rebuilt",
                    path.display()
                )],
            ),
        }
    }

    /// The manifest without entries policypack could not have written, and
    /// what was left out.
    fn sanitised(mut self) -> (Manifest, Vec<String>) {
        let mut problems = Vec::new();
        self.practices.retain(|slug, entry| {
            if crate::config::rules::check_slug(slug).is_err() {
                problems.push(format!(
                    "manifest.json lists a practice {slug:?}, which is not a name policypack writes; it is ignored"
                ));
                return false;
            }
            entry.files.retain(|file| {
                let ok = is_output_of(slug, &file.path);
                if !ok {
                    problems.push(format!(
                        "manifest.json lists {:?} for {slug}, which is not a file policypack writes; it is ignored",
                        file.path
                    ));
                }
                ok
            });
            // Keys and values are printed (status, build, change reports):
            // a config never holds control characters, so one here was put
            // there to move a terminal's cursor or fake a line.
            let before = entry.values.len();
            entry
                .values
                .retain(|key, value| !has_control(key) && !has_control(value));
            let dropped = before - entry.values.len();
            if dropped > 0 {
                problems.push(format!(
                    "manifest.json holds {dropped} value(s) for {slug} with control characters, which no config has; they are ignored"
                ));
                // What the build compares them with is not known: build again.
                entry.fingerprint.clear();
            }
            if has_control(&entry.name) {
                entry.name = slug.clone();
                entry.fingerprint.clear();
            }
            true
        });
        // Facts are printed in change reports, so a set with a control
        // character was not written by policypack: without it the next
        // build says only "templates changed".
        let before = self.template_sets.len();
        self.template_sets.retain(|fingerprint, set| {
            let texts = std::iter::once(fingerprint)
                .chain(set.files.iter().flat_map(|(k, v)| [k, v]))
                .chain(set.facts.iter().flat_map(|(nation, facts)| {
                    std::iter::once(nation).chain(facts.iter().flat_map(|(k, v)| [k, v]))
                }));
            !texts.into_iter().any(|t| t.chars().any(char::is_control))
        });
        if self.template_sets.len() < before {
            problems.push(format!(
                "manifest.json holds {} record(s) of templates with control characters, which no template file name or fact has; they are ignored",
                before - self.template_sets.len()
            ));
        }
        if let Some(reports) = &mut self.reports {
            let before = reports.len();
            reports.retain(|name, sha| {
                super::changes::is_report(name)
                    && sha.len() == 64
                    && sha.bytes().all(|b| b.is_ascii_hexdigit())
            });
            if reports.len() < before {
                problems.push(format!(
                    "manifest.json records {} change report(s) under names or checksums policypack does not write; they are ignored",
                    before - reports.len()
                ));
            }
        }
        (self, problems)
    }

    /// Records a report a build wrote, keeping the newest
    /// [`MAX_REPORTS`].
    pub fn record_report(&mut self, name: String, sha256: String) {
        let reports = self.reports.get_or_insert_with(BTreeMap::new);
        reports.insert(name, sha256);
        while reports.len() > MAX_REPORTS {
            reports.pop_first();
        }
    }

    /// Records what `templates` held under its fingerprint, and forgets
    /// the sets no practice was built with.
    pub fn keep_sets<'a>(&mut self, in_use: impl IntoIterator<Item = (&'a str, &'a TemplateSet)>) {
        for (fingerprint, set) in in_use {
            self.template_sets
                .entry(fingerprint.to_string())
                .or_insert_with(|| set.clone());
        }
        let used: std::collections::HashSet<&str> = self
            .practices
            .values()
            .map(|p| p.templates.as_str())
            .collect();
        self.template_sets
            .retain(|fingerprint, _| used.contains(fingerprint.as_str()));
    }

    pub fn to_bytes(&self) -> anyhow::Result<Vec<u8>> {
        // Compact: a quarter smaller than pretty-printed, for the reader
        // and the disk; `jq .` shows it laid out.
        let mut bytes = serde_json::to_vec(self).context("manifest as JSON")?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// The officer's record a build read its manifest from, kept (34 MB for a
/// national build) so that at its end it can tell, without reading that
/// and `out/manifest.json` again, whether what it would write is what they
/// hold: a file whose size, times, inode and owner are as they were when
/// it was read has not been written since.
pub struct ReadBack {
    bytes: Vec<u8>,
    /// The record's path, and the stamp of the file read.
    record: Option<(std::path::PathBuf, Stamp)>,
    /// The stamp of `out/manifest.json` when it held the same bytes and
    /// was the officer's (or root's).
    published: Option<Stamp>,
}

impl ReadBack {
    /// Whether `out/manifest.json`, whose stamp is `now`, holds `bytes`:
    /// known when it is still the file read, which held what the record
    /// did and was the officer's (or root's).
    pub fn published_is(&self, bytes: &[u8], now: Option<Stamp>) -> Option<bool> {
        (self.published.is_some() && self.published == now).then(|| self.bytes == bytes)
    }

    /// Whether the officer's record holds `bytes`: known when it is still
    /// the file read.
    pub fn record_is(&self, bytes: &[u8]) -> Option<bool> {
        let (path, stamp) = self.record.as_ref()?;
        let now = std::fs::symlink_metadata(path)
            .ok()
            .and_then(|meta| Stamp::of(&meta));
        (now == Some(*stamp)).then(|| self.bytes == bytes)
    }
}

#[cfg(test)]
mod stamp_tests {
    use super::*;

    /// A file of the recorded size and times is not the one written if it
    /// has another inode (renamed into place in the same clock tick as the
    /// build's own rename, so with the same ctime) or another owner (a
    /// practice's file).
    #[test]
    fn a_file_of_another_user_or_another_inode_is_not_the_one_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.html");
        std::fs::write(&path, "made by the build").unwrap();
        let stamp = Stamp::of(&std::fs::symlink_metadata(&path).unwrap()).expect("a file");
        assert!(stamp.is_mine());
        let entry = FileEntry {
            path: "index.html".into(),
            sha256: String::new(),
            bytes: stamp.len,
            fingerprint: String::new(),
            modified: stamp.modified,
            changed: stamp.changed,
            inode: Some(stamp.inode),
            owner: Some(stamp.owner),
        };
        assert!(entry.is(&stamp));
        let inode = Stamp {
            inode: stamp.inode + 1,
            ..stamp
        };
        assert!(!entry.is(&inode), "another inode");
        let owner = Stamp {
            owner: stamp.owner + 1,
            ..stamp
        };
        assert!(!entry.is(&owner), "another owner");
        assert!(!owner.is_mine());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte test finds exactly the characters `char::is_control` does,
    /// alone and among others.
    #[test]
    fn control_characters_are_found_by_their_bytes() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let text = format!("a{c}é");
            assert_eq!(has_control(&text), c.is_control(), "U+{:04X}", c as u32);
        }
        assert!(!has_control("Meddygfa Tŷ Gwyn – ½"));
    }

    /// The manifest's entries, made into JSON on several threads, are
    /// written as one thread writes them: the same bytes.
    #[test]
    fn entries_made_in_parallel_are_the_bytes_of_one_pass() {
        let mut manifest = Manifest {
            tool_version: "0.1.0".into(),
            ..Manifest::default()
        };
        for i in 0..50 {
            let mut entry = PracticeEntry {
                config: format!("/lmc/practice \"{i}\".toml"),
                name: format!("Surgery {i}, Tŷ Gwyn – ½"),
                ..PracticeEntry::default()
            };
            entry
                .values
                .insert("practice.phone".into(), format!("0114 496 {i:04}"));
            manifest.practices.insert(format!("surgery-{i}"), entry);
        }
        let bytes = manifest.to_bytes().unwrap();
        let practices = serde_json::to_string(&manifest.practices).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let at = text.find("\"practices\":").expect("a practices key") + "\"practices\":".len();
        assert!(text[at..].starts_with(&practices), "{text}");
        assert!(
            text[at + practices.len()..].starts_with([',', '}']),
            "{text}"
        );
        let again: Manifest = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(again.to_bytes().unwrap(), bytes);
    }

    /// What was read answers at the end only while the file is the one
    /// read: one written since, even with the same bytes, is not known.
    #[test]
    fn what_was_read_answers_only_for_the_file_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("record.json");
        std::fs::write(&path, "{}").unwrap();
        let stamp = |path: &Path| Stamp::of(&std::fs::symlink_metadata(path).unwrap());
        let read = ReadBack {
            bytes: b"{}".to_vec(),
            record: Some((path.clone(), stamp(&path).unwrap())),
            published: stamp(&path),
        };
        assert_eq!(read.record_is(b"{}"), Some(true));
        assert_eq!(read.record_is(b"{ }"), Some(false));
        assert_eq!(read.published_is(b"{}", stamp(&path)), Some(true));
        // Written again in place, with the same bytes and its modification
        // time put back: its ctime differs.
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(10));
        std::fs::write(&path, "{}").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        assert_eq!(read.record_is(b"{}"), None);
        assert_eq!(read.published_is(b"{}", stamp(&path)), None);
        let none = ReadBack {
            published: None,
            ..read
        };
        assert_eq!(none.published_is(b"{}", stamp(&path)), None);
    }

    #[test]
    fn a_practices_outputs_are_its_own_files_only() {
        assert!(is_output_of("ash", "ash.zip"));
        assert!(is_output_of("ash", "ash/staff-handbook.pdf"));
        assert!(is_output_of(
            "ash",
            "ash/complaints-leaflet.large-print.html"
        ));
        for path in [
            "ash",
            "ash/",
            "ash.zipx",
            "ashx.zip",
            "ash/../manifest.json",
            "ash/staff-handbook.pdf/x",
            "ashfield/staff-handbook.pdf",
            "other/staff-handbook.pdf",
            "ash/index.html",
        ] {
            assert!(!is_output_of("ash", path), "{path}");
        }
    }
}
