//! Stage 1: a practice's TOML config (and what it extends) → a checked [`Practice`].
//!
//! Parse with spans and merge `extends` ([`tree`]), check the merged tree
//! against the schema and collect every problem ([`shape`], [`rules`]),
//! deserialise with serde ([`model`]), then check what needs several keys at
//! once and fill in defaults. Later stages only ever see a [`Practice`].

pub mod model;
pub mod nation;
pub mod recommended;
pub mod rules;
pub mod shape;
pub mod tree;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::{Months, NaiveDate};

pub use model::{ConfigFile, KeptKey, Nation};
pub use tree::Loader;

use crate::diagnostics::{Diagnostic, SourceFile};
use rules::Problem;
use tree::{Node, Value};

/// Reply time when `social_media.reply_within_working_days` is left out.
pub const DEFAULT_REPLY_WORKING_DAYS: u8 = 2;
/// Review interval when `policy.review_months` is left out.
pub const DEFAULT_REVIEW_MONTHS: u8 = 12;
/// NHS blue, used when `branding.accent_colour` is left out.
pub const DEFAULT_ACCENT: &str = "#005EB8";

/// A practice whose config has passed every check, with defaults filled in.
#[derive(Debug, Clone)]
pub struct Practice {
    /// The practice's own config file.
    pub path: PathBuf,
    /// Every file read for it: the practice file, then what it extends.
    pub sources: Vec<Arc<SourceFile>>,
    /// The merged config, postcode normalised.
    pub config: ConfigFile,
    pub slug: String,
    pub issued: NaiveDate,
    pub review_due: NaiveDate,
    pub reply_within_working_days: u8,
    pub accent_colour: String,
    /// `templates` resolved against the file that set it.
    pub templates: Option<PathBuf>,
    /// `branding.logo` resolved against the file that set it.
    pub logo: Option<PathBuf>,
    /// Who may have written the file that named the logo: the logo must
    /// be one they can all read, or the build would publish a file they
    /// cannot.
    pub logo_reader: Option<Writers>,
    /// Recommended keys that are missing: the documents build, but print
    /// placeholder text or less than they could.
    pub warnings: Vec<Diagnostic>,
    /// [`Practice::recorded_config`], worked out once.
    recorded: std::sync::OnceLock<String>,
    /// The user who owns the config file, as it was read (the manifest
    /// records it: another user's file in its place is not this config).
    pub owner: u32,
}

impl Practice {
    /// The config's path as the manifest records it
    /// ([`crate::pack::build::recorded_config`]), worked out once: a build
    /// asks for it several times, and each is a walk of the whole path.
    pub fn recorded_config(&self) -> &str {
        self.recorded
            .get_or_init(|| crate::pack::build::recorded_config(&self.path))
    }

    /// The logo, read and checked again: the file may have changed since
    /// the config was checked. Read once per build, by the build's
    /// [`crate::render::Presentation`].
    pub fn read_logo(&self) -> anyhow::Result<Option<LogoFile>> {
        let Some(path) = &self.logo else {
            return Ok(None);
        };
        read_logo(path, self.logo_reader.as_ref())
            .map(Some)
            .map_err(|problem| anyhow::anyhow!("{}; {}", problem.message, problem.hint))
    }

    pub fn nation(&self) -> Nation {
        self.config.practice.nation
    }

    pub fn name(&self) -> &str {
        &self.config.practice.name
    }
}

/// The config's JSON Schema, made once.
pub fn schema() -> &'static serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA.get_or_init(shape::config_schema)
}

/// Reads and checks one practice config, reporting every problem found.
/// A config with errors is `Err` with its warnings among them; a valid one
/// keeps its warnings in [`Practice::warnings`].
pub fn load(path: &Path) -> Result<Practice, Vec<Diagnostic>> {
    load_with(path, &Loader::default())
}

/// [`load`] for one of many configs read by one run (see [`Loader`]).
pub fn load_with(path: &Path, loader: &Loader) -> Result<Practice, Vec<Diagnostic>> {
    let merged = tree::load_with(path, loader)?;
    let mut problems = shape::check(&merged.root, schema(), &merged.chain[0]);
    let resolved = check_across_keys(&merged.root, &mut problems, loader);
    check_drawable(&merged.root, "", &mut problems);
    let warnings = recommended::check(&merged.root, &merged.chain);
    if !problems.is_empty() {
        // Errors and warnings together, in file order.
        problems.extend(warnings);
        problems.sort_by_key(|p| (p.path.clone(), p.line_col()));
        return Err(problems);
    }
    let mut config: ConfigFile =
        merged
            .root
            .to_toml()
            .try_into()
            .map_err(|e: toml::de::Error| {
                // The shape check mirrors serde; reaching here means they disagree.
                vec![Diagnostic::file(
                    path,
                    format!("config could not be read: {e}"),
                )]
            })?;
    let slug = match &config.practice.slug {
        Some(slug) => slug.clone(),
        None => rules::slugify(&config.practice.name).expect("checked across keys"),
    };
    config.practice.postcode =
        rules::normalise_postcode(&config.practice.postcode).expect("checked by shape");
    let issued = resolved.issued.expect("checked across keys");
    let review_months = config.policy.review_months.unwrap_or(DEFAULT_REVIEW_MONTHS);
    let review_due = issued
        .checked_add_months(Months::new(u32::from(review_months)))
        .unwrap_or(NaiveDate::MAX);
    let accent_colour = config
        .branding
        .as_ref()
        .and_then(|b| b.accent_colour.clone())
        .unwrap_or_else(|| DEFAULT_ACCENT.into())
        .to_ascii_uppercase();
    Ok(Practice {
        path: path.to_path_buf(),
        sources: merged.chain,
        slug,
        issued,
        review_due,
        reply_within_working_days: config
            .social_media
            .reply_within_working_days
            .unwrap_or(DEFAULT_REPLY_WORKING_DAYS),
        accent_colour,
        templates: resolved.templates,
        logo: resolved.logo,
        logo_reader: resolved.logo_reader,
        warnings,
        config,
        owner: merged.owner,
        recorded: merged
            .canonical
            .map(|path| path.display().to_string())
            .map_or_else(std::sync::OnceLock::new, std::sync::OnceLock::from),
    })
}

/// What the checks across keys found out along the way.
#[derive(Default)]
struct Resolved {
    issued: Option<NaiveDate>,
    templates: Option<PathBuf>,
    logo: Option<PathBuf>,
    logo_reader: Option<Writers>,
}

/// Who may have written a config: its owner, its group when the group may
/// write to it, everyone when everyone may. What the config names and the
/// documents publish (a logo, a file it extends) must be readable by all
/// of them, or a practice that may change a config the officer owns could
/// publish the officer's private files through it. So must it be by
/// whoever may rename files in the folders on the way to it (a folder
/// they may write to, without the sticky bit), or a practice could move
/// one of the officer's private files to the name a config gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writers {
    uid: u32,
    /// The groups whose members may change the config or rename files
    /// where it looks: its own group when the group may write to it, and
    /// the group of a folder on the way that the group may write to.
    groups: Vec<u32>,
    everyone: bool,
    /// The config's folder: what it names lies under it.
    folder: PathBuf,
    /// The config is a shared file (`_lmc.toml`): what it names reaches
    /// every practice that extends it, so must be the officer's too.
    shared: bool,
}

impl Writers {
    /// Who may have written the config at `path`. A config with an access
    /// control list (which may let any user write to it, whatever its
    /// mode bits say) counts as writable by everyone.
    pub fn of(path: &Path, config: &std::fs::Metadata) -> Writers {
        use std::os::unix::fs::MetadataExt as _;
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut writers = Writers {
            uid: config.uid(),
            groups: Vec::new(),
            everyone: config.mode() & 0o002 != 0 || has_access_list(path),
            folder,
            shared: is_shared(path),
        };
        if config.mode() & 0o020 != 0 {
            writers.groups.push(config.gid());
        }
        let folder = if writers.folder.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            writers.folder.clone()
        };
        writers.add_renamers(&folder);
        writers
    }

    /// Adds whoever may rename files in `folder`: the folder's group if it
    /// may write there, everyone if everyone may (or an access list may
    /// let anyone), unless the sticky bit lets only a file's owner rename it.
    fn add_renamers(&mut self, folder: &Path) {
        use std::os::unix::fs::MetadataExt as _;
        let Ok(meta) = std::fs::metadata(folder) else {
            self.everyone = true; // Not told: assume the worst.
            return;
        };
        if meta.mode() & 0o1000 != 0 {
            return;
        }
        if meta.mode() & 0o002 != 0 || has_access_list(folder) {
            self.everyone = true;
        }
        if meta.mode() & 0o020 != 0 && !self.groups.contains(&meta.gid()) {
            self.groups.push(meta.gid());
        }
    }

    /// Whether every one of them could reach and read the file at `path`
    /// (`meta` describes it): each folder between the config's and the
    /// file must be one they may enter, or a practice could name a file in
    /// a folder it is shut out of; and whoever may rename files in one of
    /// those folders is one of them.
    pub fn can_all_reach(&self, path: &Path, meta: &std::fs::Metadata) -> bool {
        use std::os::unix::fs::MetadataExt as _;
        // An access list may deny one of them what the mode bits allow:
        // who may read such a file cannot be told, so it is not used.
        if has_access_list(path) {
            return false;
        }
        let mut between = Vec::new();
        let mut folder = path.parent();
        while let Some(dir) = folder {
            if dir == self.folder || dir.as_os_str().is_empty() || !dir.starts_with(&self.folder) {
                break;
            }
            between.push(dir);
            folder = dir.parent();
        }
        let mut all = self.clone();
        for dir in &between {
            all.add_renamers(dir);
        }
        if !all.can_all_read(meta) {
            return false;
        }
        for dir in between {
            let Ok(dir_meta) = std::fs::metadata(dir) else {
                return false;
            };
            if has_access_list(dir) {
                return false;
            }
            if !all.all_granted(dir_meta.mode(), dir_meta.uid(), dir_meta.gid(), SEARCH) {
                return false;
            }
        }
        true
    }

    /// Whether every one of them could read the file `file` describes.
    pub fn can_all_read(&self, file: &std::fs::Metadata) -> bool {
        use std::os::unix::fs::MetadataExt as _;
        self.all_granted(file.mode(), file.uid(), file.gid(), READ)
    }

    /// Whether the permission `bit` ([`READ`] or [`SEARCH`]) of a file or
    /// folder with `mode`, owned by `uid` and the group `gid`, is granted to
    /// every one of them. The system grants it by the owner's bits to the
    /// owner, by the group's bits to the group's members, and by the
    /// others' bits to the rest, and to each person by the first of these
    /// that is theirs: a file readable by others but not by its group is
    /// one its group's members cannot read. Where who is in a group cannot
    /// be told, both the group's and the others' bits must grant it.
    fn all_granted(&self, mode: u32, uid: u32, gid: u32, bit: u32) -> bool {
        let owner = mode & (bit << 6) != 0;
        let group = mode & (bit << 3) != 0;
        let other = mode & bit != 0;
        if self.everyone {
            return owner && group && other;
        }
        // Root reads and searches whatever the bits say.
        let config_owner = self.uid == 0
            || if self.uid == uid {
                owner
            } else {
                match is_member(self.uid, gid) {
                    Some(true) => group,
                    Some(false) => other,
                    None => group && other,
                }
            };
        // Each group's members: the file's owner may be one of them, and
        // every member is in the file's group only when it is theirs.
        let members = self.groups.iter().all(|&members| {
            owner
                && if gid == members {
                    group
                } else {
                    group && other
                }
        });
        config_owner && members
    }

    /// Who they are, in words.
    pub fn who(&self) -> String {
        let owner = format!("its owner (user {})", self.uid);
        if self.everyone {
            format!(
                "{owner} and everyone, as everyone may write to it or rename files where it looks"
            )
        } else if !self.groups.is_empty() {
            let groups: Vec<String> = self.groups.iter().map(u32::to_string).collect();
            let groups = groups.join(", ");
            let noun = if self.groups.len() == 1 {
                "group"
            } else {
                "groups"
            };
            format!(
                "{owner} and the {noun} {groups}, who may change it or rename files where it looks"
            )
        } else {
            owner
        }
    }
}

/// The permission bits, as the owner's, group's and others' three bits each hold them.
const READ: u32 = 0o4;
const SEARCH: u32 = 0o1;

/// Whether the user `uid` is a member of the group `gid` (its primary
/// group or another), from the system's user and group databases; `None`
/// when the user cannot be looked up.
fn is_member(uid: u32, gid: u32) -> Option<bool> {
    let mut buffer = vec![0 as libc::c_char; 16 * 1024];
    // SAFETY: an all-zero passwd is a valid value to be filled in.
    let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: the buffer and entry outlive the call, which writes the
    // strings into the buffer and points `found` at `entry` or null.
    let status = unsafe {
        libc::getpwuid_r(
            uid,
            &mut entry,
            buffer.as_mut_ptr(),
            buffer.len(),
            &mut found,
        )
    };
    if status != 0 || found.is_null() {
        return None;
    }
    if entry.pw_gid == gid {
        return Some(true);
    }
    let mut groups = vec![0 as libc::gid_t; 256];
    let mut count = groups.len() as libc::c_int;
    // SAFETY: `pw_name` points into `buffer`, still alive; `groups` holds
    // `count` entries, and getgrouplist writes at most that many.
    let listed =
        unsafe { libc::getgrouplist(entry.pw_name, entry.pw_gid, groups.as_mut_ptr(), &mut count) };
    if listed < 0 {
        return None; // In more than 256 groups: not told.
    }
    groups.truncate(usize::try_from(count).unwrap_or(0));
    Some(groups.contains(&gid))
}

/// True when the file at `path` carries a POSIX access control list.
fn has_access_list(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt as _;
    let Ok(path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return true;
    };
    let name = c"system.posix_acl_access";
    // SAFETY: both are NUL-terminated strings; a null buffer of size 0
    // asks only for the attribute's size.
    let size = unsafe { libc::lgetxattr(path.as_ptr(), name.as_ptr(), std::ptr::null_mut(), 0) };
    size > 0
}

/// Checks that need more than one value, or the file system. They read the
/// tree rather than the typed config, so they run (and report) even when
/// the shape check has found other problems.
fn check_across_keys(root: &Node, problems: &mut Vec<Diagnostic>, loader: &Loader) -> Resolved {
    let find = |key: &str| find_node(root, key);
    let text = |key: &str| match find(key).map(|n| &n.value) {
        Some(Value::String(s)) => Some(s.as_str()),
        _ => None,
    };
    if let Some(
        commissioner @ Node {
            value: Value::Table(table),
            ..
        },
    ) = find("commissioner")
        && !["phone", "email", "website"]
            .iter()
            .any(|k| table.contains_key(*k))
    {
        problems.push(
            Diagnostic::at(
                &commissioner.origin,
                Some("commissioner"),
                "needs a way to contact it: none of phone, email or website is set",
            )
            .with_hint("add at least one, e.g. website = \"https://southyorkshire.icb.nhs.uk\""),
        );
    }
    if text("practice.slug").is_none()
        && let (Some(name), Some(node)) = (text("practice.name"), find("practice.name"))
        && rules::slugify(name).is_none()
    {
        problems.push(
            Diagnostic::at(
                &node.origin,
                Some("practice.name"),
                "has no letters or digits to name the output folder after",
            )
            .with_hint("add slug = \"my-practice\" under [practice]"),
        );
    }
    if text("practice.slug").is_none()
        && let (Some(name), Some(node)) = (text("practice.name"), find("practice.name"))
        && let Some(slug) = rules::slugify(name)
        && let Err(problem) = rules::check_slug(&slug)
    {
        problems.push(
            Diagnostic::at(&node.origin, Some("practice.name"), problem.message)
                .with_hint(problem.hint),
        );
    }
    let mut resolved = Resolved {
        templates: find("templates")
            .and_then(|node| resolve_path(node, "templates", true, problems, loader)),
        logo: find("branding.logo")
            .and_then(|node| resolve_path(node, "branding.logo", false, problems, loader)),
        logo_reader: find("branding.logo").and_then(|node| {
            let path = &node.origin.file.path;
            std::fs::metadata(path)
                .ok()
                .map(|meta| Writers::of(path, &meta))
        }),
        issued: None,
    };
    if let (Some(logo), Some(node)) = (&resolved.logo, find("branding.logo"))
        && let Err(Problem { message, hint }) =
            read_logo_with(logo, resolved.logo_reader.as_ref(), loader)
    {
        problems.push(Diagnostic::at(&node.origin, Some("branding.logo"), message).with_hint(hint));
    }
    if let Some(
        node @ Node {
            value: Value::Datetime(date),
            ..
        },
    ) = find("policy.issued")
    {
        resolved.issued = date.date.and_then(|d| {
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        });
        if date.date.is_some() && resolved.issued.is_none() {
            problems.push(
                Diagnostic::at(
                    &node.origin,
                    Some("policy.issued"),
                    format!("{date} is not a real calendar date"),
                )
                .with_hint("check the day and month, e.g. issued = 2026-11-01"),
            );
        }
        // A policy is issued when it is adopted, or soon: a date years
        // ahead would be printed as a fact and keep the practice off
        // `status`'s overdue list for as long.
        let today = chrono::Local::now().date_naive();
        if let Some(issued) = resolved.issued
            && today
                .checked_add_months(chrono::Months::new(12))
                .is_some_and(|limit| issued > limit)
        {
            problems.push(
                Diagnostic::at(
                    &node.origin,
                    Some("policy.issued"),
                    format!("{issued} is more than a year after today ({today}): the documents would print it as their issue date"),
                )
                .with_hint(format!("give the day the policy is (or will be) adopted, e.g. issued = {today}")),
            );
        }
    }
    resolved
}

/// Keys whose values are paths, never printed.
const NOT_PRINTED: [&str; 3] = ["extends", "templates", "branding.logo"];

/// Reports every printed value holding a character the PDF fonts cannot
/// draw, at the value, so `check` finds it before a build would fail.
fn check_drawable(node: &Node, path: &str, problems: &mut Vec<Diagnostic>) {
    match &node.value {
        // Control characters are reported by the shape check already.
        Value::String(text)
            if !NOT_PRINTED.contains(&path) && rules::check_plain_text(text).is_ok() =>
        {
            if let Some(c) = crate::fonts::first_undrawable(text) {
                problems.push(
                    Diagnostic::at(
                        &node.origin,
                        Some(path),
                        format!(
                            "contains {c:?} (U+{:04X}), which the printed documents' font cannot draw",
                            u32::from(c)
                        ),
                    )
                    .with_hint(
                        "use letters of the Latin alphabet (accents are fine, as in ŵ, é, Ł), digits and punctuation; leave out emoji and symbols",
                    ),
                );
            }
        }
        Value::Table(table) => {
            for (key, entry) in table {
                let path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                check_drawable(&entry.node, &path, problems);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_drawable(item, &format!("{path}[{}]", i + 1), problems);
            }
        }
        _ => {}
    }
}

/// The node at a dotted key path in the merged tree.
pub(crate) fn find_node<'a>(root: &'a Node, path: &str) -> Option<&'a Node> {
    path.split('.')
        .try_fold(root, |node, key| match &node.value {
            Value::Table(table) => table.get(key).map(|e| &e.node),
            _ => None,
        })
}

/// A relative path from a config, resolved against the file it was written in.
fn resolve_path(
    node: &Node,
    key: &str,
    folder: bool,
    problems: &mut Vec<Diagnostic>,
    loader: &Loader,
) -> Option<PathBuf> {
    let Value::String(relative) = &node.value else {
        return None;
    };
    let base = tree::base_dir(&node.origin.file.path);
    let path = match crate::input::confined(&base, relative) {
        Ok(path) => path,
        Err(message) => {
            problems.push(Diagnostic::at(&node.origin, Some(key), message).with_hint(format!(
                "put the {} in the folder of {} (or a folder inside it) and name it from there, e.g. \"logo.png\"",
                if folder { "folder" } else { "file" },
                node.origin.file.path.display()
            )));
            return None;
        }
    };
    // Templates change what every document says and what `reply check`
    // allows: only the LMC officer chooses them.
    if key == "templates" && !is_shared(&node.origin.file.path) {
        problems.push(
            Diagnostic::at(
                &node.origin,
                Some(key),
                "a practice's own config cannot choose templates",
            )
            .with_hint("templates are the LMC officer's: set them in a shared _*.toml file the practices extend, or build with --templates"),
        );
        return None;
    }
    if key == "templates" && !only_yours(&node.origin.file.path, loader) {
        problems.push(
            Diagnostic::at(
                &node.origin,
                Some(key),
                format!(
                    "{} may be changed by someone other than you, so it cannot choose templates",
                    node.origin.file.path.display()
                ),
            )
            .with_hint("make the shared file yours and writable only by you (chmod go-w), or build with --templates"),
        );
        return None;
    }
    let ok = if folder {
        path.is_dir()
    } else {
        path.is_file()
    };
    if ok {
        return Some(path);
    }
    let what = if folder { "folder" } else { "file" };
    problems.push(
        Diagnostic::at(
            &node.origin,
            Some(key),
            format!("{what} not found: {}", path.display()),
        )
        .with_hint(format!(
            "the path is relative to {}; check the spelling",
            node.origin.file.path.display()
        )),
    );
    None
}

/// A shared defaults file, `_lmc.toml`: the officer's, never a practice's.
pub(crate) fn is_shared(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('_'))
}

/// True when the shared file at `path` is the officer's (see [`officers`]),
/// asked of `loader` (see [`Loader`]).
fn only_yours(path: &Path, loader: &Loader) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|meta| loader.officers(path, &meta, None))
}

/// True when a shared file (`_lmc.toml`), whose values and templates every
/// practice extending it takes, is the officer's: nobody but its owner may
/// write to it, and its owner is whoever runs policypack, root, or the
/// owner of its folder when nobody else may write there (so a practice
/// manager checking a config against the LMC's own folder is not refused);
/// and its folder is one nobody else may write to, or has the sticky bit,
/// so nobody else can rename a file into its place. A name starting with
/// `_` alone proves nothing on a folder the practices can write to.
pub fn officers(path: &Path, meta: &std::fs::Metadata) -> bool {
    officers_trusting(path, meta, None)
}

/// [`officers`] for a file another shared file names (a logo, a shared
/// file it extends), owned by `named_by`: then only whoever runs
/// policypack, root and `named_by` are trusted, the file's owner and the
/// owner of every folder on the way to it among them. A file a practice
/// made in a folder of its own, where a shared file names one, is not the
/// officer's.
pub(crate) fn officers_trusting(
    path: &Path,
    meta: &std::fs::Metadata,
    named_by: Option<u32>,
) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        let base = tree::base_dir(path);
        let base = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base.as_path()
        };
        let Ok(folder) = std::fs::metadata(base) else {
            return false;
        };
        let folder_owner =
            named_by.is_none() && folder.uid() == meta.uid() && folder.mode() & 0o022 == 0;
        // In a folder others may write to, without the sticky bit, anyone
        // who may write there could rename another of the officer's files
        // (an old draft, a private one) into the shared file's place.
        let folder_keeps_names = folder.mode() & 0o022 == 0 || folder.mode() & 0o1000 != 0;
        let owner_trusted = meta.uid() == me || meta.uid() == 0 || Some(meta.uid()) == named_by;
        let trusted = [me, 0, named_by.unwrap_or(meta.uid())];
        meta.mode() & 0o022 == 0
            && !has_access_list(path)
            && (owner_trusted || folder_owner)
            && trusted.contains(&folder.uid())
            && folder_keeps_names
            && base
                .canonicalize()
                .is_ok_and(|folder| nobody_else_can_move(&folder, &trusted))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, meta, named_by);
        true
    }
}

/// True when nobody but the `trusted` users can move `folder` (an absolute
/// path with no links in it) or any folder above it: each folder's owner
/// is trusted, and a folder others may write to has the sticky bit, with
/// what it holds on the way owned by a trusted user. Otherwise someone
/// could rename the shared file's whole folder away and put a folder of
/// their own, with their own `_lmc.toml`, in its place.
#[cfg(unix)]
pub(crate) fn nobody_else_can_move(folder: &Path, trusted: &[u32]) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    let mut child = folder;
    // Each folder's metadata, read once: as the folder above one, then as
    // the one below the next.
    let Ok(mut this) = std::fs::symlink_metadata(child) else {
        return false;
    };
    while let Some(parent) = child.parent() {
        let Ok(above) = std::fs::symlink_metadata(parent) else {
            return false;
        };
        let others_may_write = above.mode() & 0o022 != 0;
        let sticky = above.mode() & 0o1000 != 0;
        if !trusted.contains(&above.uid())
            || (others_may_write && !(sticky && trusted.contains(&this.uid())))
        {
            return false;
        }
        child = parent;
        this = above;
    }
    true
}

/// The largest logo file read: a logo prints about 4 cm wide.
/// 2 MB keeps a page with the logo written into it (a third larger, as
/// base64) inside the largest page a template may render, so a logo
/// `check` passes is one `build` can use.
pub const MAX_LOGO_BYTES: u64 = 2 * 1024 * 1024;
/// The most pixels a logo may have on a side: a logo prints about 4 cm
/// wide, and decoding 4,000 × 4,000 at 16 bits took about 260 MB per core.
pub const MAX_LOGO_SIDE: usize = 2_500;

/// Reads a logo, checking from its header alone, before anything decodes
/// it, that it is a PNG or JPEG no larger than [`MAX_LOGO_BYTES`] and
/// [`MAX_LOGO_SIDE`] pixels a side. Used by `check` and again by `build`.
/// A logo as read and checked: its bytes, whether they are a PNG (or a
/// JPEG), and its size in pixels. Renderers get this, never the file.
#[derive(Debug, Clone)]
pub struct LogoFile {
    pub bytes: Vec<u8>,
    pub png: bool,
    /// Width and height in pixels.
    pub size: (u32, u32),
}

pub fn read_logo(path: &Path, reader: Option<&Writers>) -> Result<LogoFile, Problem> {
    read_logo_with(path, reader, &Loader::default())
}

/// [`read_logo`] for one of many configs read by one run (see [`Loader`]).
fn read_logo_with(
    path: &Path,
    reader: Option<&Writers>,
    loader: &Loader,
) -> Result<LogoFile, Problem> {
    let resize = format!(
        "resize it to at most {MAX_LOGO_SIDE} pixels a side and {} MB (a logo prints about 4 cm wide, so 1,000 pixels is plenty)",
        MAX_LOGO_BYTES / 1024 / 1024
    );
    let (bytes, meta) = crate::input::read_own_with_metadata(path, MAX_LOGO_BYTES, "logo")
        .map_err(|refused| Problem {
            hint: if refused.0.contains("larger than") {
                resize.clone()
            } else {
                "name the logo file itself, in the practice's folder: not a link or another name for a file".into()
            },
            message: refused.0,
        })?;
    // The documents publish the logo: it must be a file whoever named it
    // could read already, or a practice could publish one of the officer's
    // private files by naming it.
    {
        if let Some(reader) = reader
            && !reader.can_all_reach(path, &meta)
        {
            return Err(Problem {
                message: format!(
                    "{} is not readable by everyone who may change the config that names it ({}), so they could not read it",
                    path.display(),
                    reader.who()
                ),
                hint:
                    "use a logo file the practice itself can read (its own, or one anyone may read)"
                        .into(),
            });
        }
    }
    // A practice's own logo is the practice's: a file of another user in
    // its place (a shared folder with the sticky bit lets another practice
    // put one there once the practice's own is gone) would put that
    // practice's picture on its documents.
    #[cfg(unix)]
    if let Some(reader) = reader
        && !reader.shared
    {
        use std::os::unix::fs::MetadataExt as _;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if ![me, 0, reader.uid].contains(&meta.uid()) {
            return Err(Problem {
                message: format!(
                    "{} belongs to another user than the config that names it, so another practice could have put it there",
                    path.display()
                ),
                hint: "use a logo file owned by whoever owns the config (or by you)".into(),
            });
        }
    }
    // A logo a shared file names is on every practice's documents: like
    // the shared file, it must be one only the officer could have put there.
    if let Some(reader) = reader
        && reader.shared
        && !loader.officers(path, &meta, Some(reader.uid))
    {
        return Err(Problem {
            message: format!(
                "{} is named by a shared file, so it goes on every practice's documents, but someone besides the officer could change it or put another file in its place",
                path.display()
            ),
            hint: "make the logo the officer's: owned by you (or whoever owns the shared file), writable by nobody else, in a folder nobody else may write to (or one with the sticky bit)".into(),
        });
    }
    // A PNG's first chunk must be its header, which holds the size.
    let png = bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.get(12..16) == Some(b"IHDR");
    let jpeg = bytes.starts_with(&[0xff, 0xd8, 0xff]);
    if !png && !jpeg {
        return Err(Problem {
            message: format!("{} is not a PNG or JPEG image", path.display()),
            hint: "use a PNG or JPEG file; export it again from your image editor if needed".into(),
        });
    }
    let size = imagesize::blob_size(&bytes).map_err(|_| Problem {
        message: format!(
            "{} is not a PNG or JPEG image that can be read",
            path.display()
        ),
        hint: "export it again from your image editor as PNG or JPEG".into(),
    })?;
    if size.width == 0 || size.height == 0 {
        return Err(Problem {
            message: format!(
                "{} is {} × {} pixels: an image with nothing in it",
                path.display(),
                size.width,
                size.height
            ),
            hint: "export the logo again from your image editor".into(),
        });
    }
    if size.width > MAX_LOGO_SIDE || size.height > MAX_LOGO_SIDE {
        return Err(Problem {
            message: format!(
                "{} is {} × {} pixels, too large to print as a logo",
                path.display(),
                size.width,
                size.height
            ),
            hint: resize,
        });
    }
    // The PDF decodes a PNG, so its picture data must be whole and valid
    // (checksums, a palette where one is needed): read row by row, which
    // holds one row in memory, not the picture.
    if png && let Err(error) = png_decodes(&bytes) {
        return Err(Problem {
            message: format!("{} is a damaged PNG image ({error})", path.display()),
            hint: "export it again from your image editor as PNG or JPEG".into(),
        });
    }
    // Both sides are at most MAX_LOGO_SIDE, checked above.
    let side = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(LogoFile {
        bytes,
        png,
        size: (side(size.width), side(size.height)),
    })
}

/// Decodes every row of a PNG, keeping none, as the PDF and Word writers
/// will: a palette image's colours looked up (so one with no palette is
/// damaged).
fn png_decodes(bytes: &[u8]) -> Result<(), png::DecodingError> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info()?;
    while reader.next_row()?.is_some() {}
    Ok(())
}
