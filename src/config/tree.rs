//! Config files as a tree of values that remember where they were written.
//!
//! Parsing keeps every key's and value's span, and `extends` is merged here,
//! at the level of the tree, so that a value inherited from `_lmc.toml` still
//! points into `_lmc.toml` when it is wrong. The merged tree goes on to
//! [`super::shape`] for checking and then to serde.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::de::{DeTable, DeValue};
use toml::value::Datetime;

use crate::diagnostics::{Diagnostic, Origin, SourceFile};

/// A value and the place it was written.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub enum Value {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
    Datetime(Datetime),
    Array(Vec<Node>),
    Table(Table),
}

/// A table's entries by key; each keeps the span of its key too.
pub type Table = BTreeMap<String, Entry>;

#[derive(Debug, Clone)]
pub struct Entry {
    pub key_origin: Origin,
    pub node: Node,
}

impl Value {
    /// The TOML name of this value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a decimal number",
            Value::Boolean(_) => "true or false",
            Value::Datetime(_) => "a date or time",
            Value::Array(_) => "a list",
            Value::Table(_) => "a table",
        }
    }
}

impl Node {
    /// Plain TOML for serde, once the tree has been checked.
    pub fn to_toml(&self) -> toml::Value {
        match &self.value {
            Value::String(s) => toml::Value::String(s.clone()),
            Value::Integer(i) => toml::Value::Integer(*i),
            Value::Float(f) => toml::Value::Float(*f),
            Value::Boolean(b) => toml::Value::Boolean(*b),
            Value::Datetime(d) => toml::Value::Datetime(*d),
            Value::Array(items) => toml::Value::Array(items.iter().map(Node::to_toml).collect()),
            Value::Table(table) => toml::Value::Table(
                table
                    .iter()
                    .map(|(k, e)| (k.clone(), e.node.to_toml()))
                    .collect(),
            ),
        }
    }
}

/// The most files one `extends` chain may hold, the practice's own included.
pub const MAX_EXTENDS_DEPTH: usize = 8;

/// A practice's config with every file of its `extends` chain merged in.
#[derive(Debug)]
pub struct MergedConfig {
    pub root: Node,
    /// The files read, the practice file first, then what it extends.
    pub chain: Vec<Arc<SourceFile>>,
    /// The practice file's path with no links or `..` in it, if it could
    /// be worked out (see [`crate::pack::build::recorded_config`]).
    pub canonical: Option<PathBuf>,
    /// The user who owns the practice file, as read (for
    /// [`load_inherited`], which reads no practice file, the shared one's).
    pub owner: u32,
}

/// Reads `path` and the files it extends, merging them.
///
/// Returns every problem found: unreadable files, TOML syntax errors (all of
/// them, not only the first), `extends` that is missing, not a string, or
/// makes a cycle.
pub fn load(path: &Path) -> Result<MergedConfig, Vec<Diagnostic>> {
    load_with(path, &Loader::default())
}

/// [`load`], with what `loader` found of the files read before.
pub fn load_with(path: &Path, loader: &Loader) -> Result<MergedConfig, Vec<Diagnostic>> {
    load_chain(path.to_path_buf(), None, loader)
}

/// What one run that reads many configs (a build or `status` of a whole
/// folder) has found out so far: each shared file (or shared logo) found
/// to be the officer's, with the file as it was then. A build reads
/// `_lmc.toml` once for each of thousands of practices, and the checks
/// that it is the officer's walk every folder above it: they are not
/// walked again for the same file, unchanged. That holds because of what
/// they found: nobody but users the check trusts (whoever runs policypack,
/// root, and the file's owner where it owns the folder or the shared file
/// that names it) may write to the file, rename it, or move a folder above
/// it; and a file written in place, or another put in its place, has
/// another ctime or inode (as on every local Linux file system; a network
/// drive that shows every file as writable by all fails the check
/// anyway). The file itself is still opened, read and checked against each
/// practice that extends it. Kept for one run only (the web app starts one
/// for each request), so a folder opened up later is walked again.
#[derive(Default)]
pub struct Loader {
    officers: std::sync::Mutex<std::collections::HashSet<Vouched>>,
}

/// A shared file [`super::officers_trusting`] found to be the officer's:
/// its path, whose file named it, and the file as it was then (any change
/// of its owner, mode or access list changes its ctime too).
#[derive(PartialEq, Eq, Hash)]
struct Vouched {
    path: PathBuf,
    named_by: Option<u32>,
    file: (u64, u64, i64, i64, u32, u32),
}

impl Vouched {
    fn of(path: &Path, meta: &std::fs::Metadata, named_by: Option<u32>) -> Vouched {
        use std::os::unix::fs::MetadataExt as _;
        Vouched {
            path: path.to_path_buf(),
            named_by,
            file: (
                meta.dev(),
                meta.ino(),
                meta.ctime(),
                meta.ctime_nsec(),
                meta.uid(),
                meta.mode(),
            ),
        }
    }
}

impl Loader {
    /// [`super::officers_trusting`], asked once per run for a file that
    /// has not changed since it was found to be the officer's.
    pub(crate) fn officers(
        &self,
        path: &Path,
        meta: &std::fs::Metadata,
        named_by: Option<u32>,
    ) -> bool {
        let vouched = Vouched::of(path, meta, named_by);
        let lock = || self.officers.lock().unwrap_or_else(|e| e.into_inner());
        if lock().contains(&vouched) {
            return true;
        }
        let officers = super::officers_trusting(path, meta, named_by);
        if officers {
            lock().insert(vouched);
        }
        officers
    }
}

/// What `config` inherits through `extends = "<extends>"`: the shared file
/// and what it extends, read under the rules [`load`] reads them under for
/// `config` (so never a file its writers could not read themselves).
pub fn load_inherited(config: &Path, extends: &str) -> Result<MergedConfig, Vec<Diagnostic>> {
    let origin = Origin {
        file: Arc::new(SourceFile::new(config.to_path_buf(), String::new())),
        span: 0..0,
    };
    let path = extends_target(config, extends, &origin, 1)?;
    load_chain(path, Some(origin), &Loader::default())
}

/// The file `extends = "<target>"` in the config at `from` names: a
/// `.toml` file in or below `from`'s folder, `depth` files down the chain.
fn extends_target(
    from: &Path,
    target: &str,
    origin: &Origin,
    depth: usize,
) -> Result<PathBuf, Vec<Diagnostic>> {
    // Shared defaults are config files, a few levels deep at most:
    // never `/proc/self/environ` (whose lines a TOML error would
    // print) nor a chain that costs minutes.
    if !target.ends_with(".toml") {
        return Err(vec![
            Diagnostic::at(
                origin,
                Some("extends"),
                format!("{target:?} is not a config file"),
            )
            .with_hint(
                "extends names a shared defaults file ending in .toml, such as \"_lmc.toml\"",
            ),
        ]);
    }
    if depth >= MAX_EXTENDS_DEPTH {
        return Err(vec![
            Diagnostic::at(
                origin,
                Some("extends"),
                format!("the chain of extends is more than {MAX_EXTENDS_DEPTH} files long"),
            )
            .with_hint("shared defaults need a level or two: an LMC's file, perhaps a region's"),
        ]);
    }
    let base = from.parent().unwrap_or(Path::new(""));
    crate::input::confined(base, target).map_err(|message| {
        vec![
            Diagnostic::at(origin, Some("extends"), message)
                .with_hint("keep the shared defaults file in the same folder as the configs that extend it, e.g. extends = \"_lmc.toml\""),
        ]
    })
}

fn load_chain(
    mut next: PathBuf,
    mut extended_from: Option<Origin>,
    loader: &Loader,
) -> Result<MergedConfig, Vec<Diagnostic>> {
    use std::os::unix::fs::MetadataExt as _;
    let mut chain: Vec<Arc<SourceFile>> = Vec::new();
    // Each file read, as (device, inode): a file with other names is
    // never read, so one seen twice makes a cycle.
    let mut seen: Vec<(u64, u64)> = Vec::new();
    // The metadata of the file that names the next, as it was read.
    let mut extender: Option<std::fs::Metadata> = None;
    let mut tables: Vec<Table> = Vec::new();
    // The practice's own file's path with no links in it (the manifest
    // records it).
    let canonical = next.canonicalize().ok();
    let mut owner = None;
    loop {
        let fail = |message: String, hint: &str| {
            Box::new(match &extended_from {
                Some(origin) => Diagnostic::at(origin, Some("extends"), message).with_hint(hint),
                None => Diagnostic::file(&next, message).with_hint(hint),
            })
        };
        let (bytes, meta) =
            read_bytes(&next, extended_from.is_some(), &fail).map_err(|d| vec![*d])?;
        if let Some(at) = seen.iter().position(|id| *id == (meta.dev(), meta.ino())) {
            let names: Vec<String> = chain[at..]
                .iter()
                .map(|f| f.path.display().to_string())
                .chain([next.display().to_string()])
                .collect();
            let origin = extended_from.expect("a cycle needs an extends");
            return Err(vec![
                Diagnostic::at(&origin, Some("extends"), format!("makes a cycle: {}", names.join(" -> ")))
                    .with_hint("shared defaults must not extend a file that extends them; remove one `extends`"),
            ]);
        }
        if let Some(origin) = &extended_from {
            // The file that names this one, as it was read; or, for
            // [`load_inherited`], the config as it is now.
            let extender = extender
                .take()
                .or_else(|| std::fs::metadata(&origin.file.path).ok());
            trusted(&next, &meta, origin, extender.as_ref(), loader, &fail)
                .map_err(|d| vec![*d])?;
        }
        let file = source(&next, bytes, &fail).map_err(|d| vec![*d])?;
        let (file, table) = match extended_from {
            // A shared file: every practice that extends it reads the same.
            Some(_) => parsed_shared(file)?,
            None => {
                let file = Arc::new(file);
                let table = parse(&file)?;
                (file, table)
            }
        };
        chain.push(file.clone());
        seen.push((meta.dev(), meta.ino()));
        owner.get_or_insert(meta.uid());
        extender = Some(meta);
        let extends = match table.get("extends") {
            None => None,
            Some(entry) => match &entry.node.value {
                Value::String(target) => Some((target.clone(), entry.node.origin.clone())),
                other => {
                    return Err(vec![
                        Diagnostic::at(
                            &entry.node.origin,
                            Some("extends"),
                            format!(
                                "expected a file path in quotes, found {}",
                                other.type_name()
                            ),
                        )
                        .with_hint("write extends = \"_lmc.toml\""),
                    ]);
                }
            },
        };
        tables.push(table);
        match extends {
            None => break,
            Some((target, origin)) => {
                next = extends_target(&file.path, &target, &origin, chain.len())?;
                extended_from = Some(origin);
            }
        }
    }

    // Merge from the most general file to the practice's own.
    let mut merged = tables.pop().expect("at least one file");
    while let Some(table) = tables.pop() {
        merge(&mut merged, table);
    }
    // Problems with the whole config (a missing table) point at the top
    // of the practice's own file.
    let root_origin = Origin {
        file: chain[0].clone(),
        span: 0..0,
    };
    Ok(MergedConfig {
        root: Node {
            value: Value::Table(merged),
            origin: root_origin,
        },
        chain,
        canonical,
        owner: owner.expect("at least one file"),
    })
}

/// A message about the file being read, at the `extends` that named it
/// (if one did), with a hint.
type Fail<'a> = dyn Fn(String, &str) -> Box<Diagnostic> + 'a;

/// A config file's bytes and the metadata of the very file read.
fn read_bytes(
    path: &Path,
    extended: bool,
    fail: &Fail<'_>,
) -> Result<(Vec<u8>, std::fs::Metadata), Box<Diagnostic>> {
    crate::input::read_own_with_metadata(path, crate::input::MAX_TEXT_BYTES, "config").map_err(
        |refused| {
            let hint = if extended {
                "check the path; `extends` is relative to the file that names it, and must name a config file"
            } else {
                "give the path of a practice's config file itself, not a link to one or another name for it"
            };
            fail(refused.0, hint)
        },
    )
}

/// Whether the file at `path` (`meta` describes it, as read), which the
/// config `extender` describes names at `origin`, may be taken.
fn trusted(
    path: &Path,
    meta: &std::fs::Metadata,
    origin: &Origin,
    extender: Option<&std::fs::Metadata>,
    loader: &Loader,
    fail: &Fail<'_>,
) -> Result<(), Box<Diagnostic>> {
    // What a config extends is published in its documents: it must be a
    // file whoever wrote that config could read already.
    let writers = extender.map(|extender| super::Writers::of(&origin.file.path, extender));
    if let Some(writers) = &writers
        && !writers.can_all_reach(path, meta)
    {
        return Err(fail(
            format!(
                "{} is not readable by everyone who may change the config that extends it ({}), so they could not read it",
                path.display(),
                writers.who()
            ),
            "extend the LMC's shared file, which everyone may read",
        ));
    }
    // A shared file sets values for every practice that extends it: in a
    // folder practices can write to, one could swap in its own.
    // One a shared file extends is held to the rule for what a shared file
    // names: the officer's (or the extending file's owner's), all the way.
    let named_by = extender
        .filter(|_| super::is_shared(&origin.file.path))
        .map(std::os::unix::fs::MetadataExt::uid);
    if !loader.officers(path, meta, named_by) {
        return Err(fail(
            format!(
                "{} may be changed by someone other than you, or belongs to another user, so the practices that extend it cannot trust it",
                path.display()
            ),
            "make the shared file yours and writable only by you (chmod go-w), in a folder only you may write to, or one with the sticky bit (chmod +t), so nobody else can rename a file into its place; and give each folder above it that others may write to the sticky bit too, so nobody can rename the whole folder away and put their own in its place",
        ));
    }
    Ok(())
}

/// A config file's text, from its bytes.
fn source(path: &Path, bytes: Vec<u8>, fail: &Fail<'_>) -> Result<SourceFile, Box<Diagnostic>> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        fail(
            format!(
                "{} is not UTF-8 text (bad byte on line {line})",
                path.display()
            ),
            "save the file as UTF-8 in your editor",
        )
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    if text.trim().is_empty() {
        return Err(fail(
            format!("{} is empty", path.display()),
            "start from `policypack new FILE`, which writes a commented config",
        ));
    }
    Ok(SourceFile::new(path.to_path_buf(), text))
}

/// The part of an I/O error a user can act on.
pub fn io_reason(e: &std::io::Error) -> String {
    crate::input::reason(e)
}

/// A shared file, parsed: from the last few shared files parsed when this
/// one has the same path and, as read just now, the same text (a build
/// reads `_lmc.toml` once for each of thousands of practices), else
/// parsed and kept.
fn parsed_shared(file: SourceFile) -> Result<(Arc<SourceFile>, Table), Vec<Diagnostic>> {
    use std::sync::Mutex;
    const KEPT: usize = 8;
    static PARSED: Mutex<Vec<(Arc<SourceFile>, Table)>> = Mutex::new(Vec::new());
    let kept = |parsed: &[(Arc<SourceFile>, Table)]| {
        parsed
            .iter()
            .find(|(kept, _)| kept.path == file.path && kept.text == file.text)
            .map(|(kept, table)| (kept.clone(), table.clone()))
    };
    if let Some(found) = kept(&PARSED.lock().unwrap_or_else(|e| e.into_inner())) {
        return Ok(found);
    }
    let file = Arc::new(file);
    let table = parse(&file)?;
    let mut parsed = PARSED.lock().unwrap_or_else(|e| e.into_inner());
    if parsed.len() >= KEPT {
        parsed.remove(0);
    }
    parsed.push((file.clone(), table.clone()));
    Ok((file, table))
}

fn parse(file: &Arc<SourceFile>) -> Result<Table, Vec<Diagnostic>> {
    let (parsed, errors) = DeTable::parse_recoverable(&file.text);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| {
                let span = e.span().unwrap_or(0..0);
                let origin = Origin {
                    file: file.clone(),
                    span,
                };
                Diagnostic::at(
                    &origin,
                    None,
                    format!("TOML syntax: {}", e.message().trim_end()),
                )
                .with_hint(syntax_hint(e.message()))
            })
            .collect());
    }
    Ok(convert_table(file, parsed.get_ref()))
}

fn syntax_hint(message: &str) -> &'static str {
    if message.contains("duplicate key") {
        "each key may appear once in a table; delete or rename one of them"
    } else if message.contains("string") || message.contains("quote") {
        "text values go in double quotes, e.g. name = \"Ashfield Medical Centre\""
    } else {
        "see the commented example from `policypack new`; text goes in quotes, dates as 2026-11-01"
    }
}

fn convert_table(file: &Arc<SourceFile>, table: &DeTable<'_>) -> Table {
    table
        .iter()
        .map(|(key, value)| {
            let entry = Entry {
                key_origin: Origin {
                    file: file.clone(),
                    span: key.span(),
                },
                node: convert(file, value),
            };
            (key.get_ref().to_string(), entry)
        })
        .collect()
}

fn convert(file: &Arc<SourceFile>, value: &toml::Spanned<DeValue<'_>>) -> Node {
    let origin = Origin {
        file: file.clone(),
        span: value.span(),
    };
    let value = match value.get_ref() {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .map(Value::Integer)
            // Too large for i64: keep it as a float so the range check reports it.
            .unwrap_or(Value::Float(f64::INFINITY)),
        DeValue::Float(f) => Value::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Value::Boolean(*b),
        DeValue::Datetime(d) => Value::Datetime(*d),
        DeValue::Array(items) => Value::Array(items.iter().map(|v| convert(file, v)).collect()),
        DeValue::Table(table) => Value::Table(convert_table(file, table)),
    };
    Node { value, origin }
}

/// Merges `over` into `base`: tables key by key, anything else replaced.
fn merge(base: &mut Table, over: Table) {
    for (key, entry) in over {
        match (base.get_mut(&key), entry) {
            (
                Some(Entry {
                    node:
                        Node {
                            value: Value::Table(base_table),
                            ..
                        },
                    ..
                }),
                Entry {
                    node:
                        Node {
                            value: Value::Table(over_table),
                            ..
                        },
                    ..
                },
            ) => merge(base_table, over_table),
            (_, entry) => {
                base.insert(key, entry);
            }
        }
    }
}

/// The folder relative paths in the practice file are resolved against.
pub fn base_dir(path: &Path) -> PathBuf {
    path.parent().unwrap_or(Path::new("")).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::write(path, text).unwrap();
    }

    /// A file met twice on the way up the chain makes a cycle, named file
    /// by file, whatever else is wrong with it.
    #[test]
    fn an_extends_cycle_is_named() {
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join("a.toml"), "extends = \"_b.toml\"\n");
        write(&dir.path().join("_b.toml"), "extends = \"_c.toml\"\n");
        write(&dir.path().join("_c.toml"), "extends = \"_b.toml\"\n");
        let problems = load(&dir.path().join("a.toml")).unwrap_err();
        let b = dir.path().join("_b.toml").display().to_string();
        let c = dir.path().join("_c.toml").display().to_string();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .message
                .ends_with(&format!("makes a cycle: {b} -> {c} -> {b}")),
            "{}",
            problems[0].message
        );
    }

    /// A run's loader vouches for a shared file only as it was when it was
    /// found to be the officer's: one opened up to others since is checked
    /// again, and refused.
    #[test]
    fn a_shared_file_opened_up_during_a_run_is_refused() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("_lmc.toml");
        write(&shared, "[lmc]\nname = \"Doncaster LMC\"\n");
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o644)).unwrap();
        for name in ["a.toml", "b.toml", "c.toml"] {
            write(&dir.path().join(name), "extends = \"_lmc.toml\"\n");
        }
        let loader = Loader::default();
        assert!(load_with(&dir.path().join("a.toml"), &loader).is_ok());
        assert!(load_with(&dir.path().join("b.toml"), &loader).is_ok());
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o666)).unwrap();
        let problems = load_with(&dir.path().join("c.toml"), &loader).unwrap_err();
        assert!(
            problems[0]
                .message
                .contains("may be changed by someone other than you"),
            "{problems:?}"
        );
    }

    /// A shared file parsed for one practice is not reused for the next
    /// once its text has changed (the web app loads configs for hours).
    #[test]
    fn a_shared_file_changed_since_it_was_parsed_is_parsed_again() {
        let dir = tempfile::tempdir().unwrap();
        let practice = dir.path().join("a.toml");
        let shared = dir.path().join("_lmc.toml");
        std::fs::write(&practice, "extends = \"_lmc.toml\"\n").unwrap();
        let name = |merged: &MergedConfig| match &merged.root.value {
            Value::Table(table) => match &table["lmc"].node.value {
                Value::Table(lmc) => match &lmc["name"].node.value {
                    Value::String(name) => name.clone(),
                    other => panic!("{other:?}"),
                },
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        };
        for lmc in ["Doncaster LMC", "Sheffield LMC", "Doncaster LMC"] {
            std::fs::write(&shared, format!("[lmc]\nname = \"{lmc}\"\n")).unwrap();
            let merged = load(&practice).unwrap_or_else(|p| panic!("{p:?}"));
            assert_eq!(name(&merged), lmc);
            assert_eq!(merged.chain[1].text, format!("[lmc]\nname = \"{lmc}\"\n"));
        }
    }
}
