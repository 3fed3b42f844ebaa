//! The Tera templates and nation facts: built into the binary from
//! `policy-templates/`, overridable file by file from a folder.
//!
//! As zola does with its built-in templates, the binary needs no files beside
//! it; a folder given with `--templates` (or `templates =` in a config)
//! replaces any file of the same relative path and may add partials.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use anyhow::{Context as _, anyhow, bail};
use cap_fs_ext::{DirExt as _, FollowSymlinks, OpenOptionsFollowExt as _};
use cap_std::fs::{Dir as Handle, MetadataExt as _, OpenOptions, OpenOptionsExt as _};
use include_dir::Dir;
use rayon::prelude::*;
use tera::Tera;

use super::nation::NationFacts;
use super::{DocKind, TemplateSet};
use crate::config::Nation;
use crate::diagnostics::{Diagnostic, Origin, SourceFile};
use crate::reply::model::ModelReplies;
use crate::reply::rules::Rules;
use crate::utils::BUILT_IN;

/// The most a rendered document may hold: the handbook is about 40 KB.
const MAX_RENDERED_BYTES: usize = 4 * 1024 * 1024;

/// The most the pack index may hold: about 1 KB per practice, so room for
/// every practice in the UK many times over.
pub const MAX_INDEX_BYTES: usize = 64 * 1024 * 1024;

/// Templates and nation facts, parsed once and shared by every document built with them.
pub struct Templates {
    tera: Tera,
    /// Each template's text and where it came from, to point at a line.
    sources: HashMap<String, Arc<SourceFile>>,
    nations: HashMap<Nation, NationFacts>,
    /// The model public replies the handbook prints and `reply draft` fills.
    replies: ModelReplies,
    /// Hash of every template and facts file: outputs change when it does.
    fingerprint: String,
    /// What the fingerprint stands for, to name what changed.
    set: TemplateSet,
}

/// Which templates a load parses (every file's text is read, checked and
/// fingerprinted either way).
#[derive(Clone, Copy)]
pub enum Parse<'a> {
    /// Every template, so that a syntax error in any is found.
    All,
    /// The templates a build of `docs` uses: their templates in each
    /// language, the HTML page if `html`, and every template that is no
    /// document's own (the pack index, an LMC's partials and macros), with
    /// any template one of these names.
    For { docs: &'a [DocKind], html: bool },
}

impl Parse<'_> {
    /// The templates of `files` to parse, with their places in it.
    fn templates<'f>(&self, files: &'f [(String, String)]) -> Vec<(usize, &'f (String, String))> {
        let templates = files
            .iter()
            .enumerate()
            .filter(|(_, (name, _))| name.ends_with(".md") || name.ends_with(".html"));
        let Parse::For { docs, html } = *self else {
            return templates.collect();
        };
        let unused = |name: &str| {
            (name == "page.html" && !html)
                || DocKind::ALL
                    .iter()
                    .filter(|kind| !docs.contains(kind))
                    .flat_map(|kind| kind.templates())
                    .any(|template| template == name)
        };
        let (mut used, mut unused): (Vec<_>, Vec<_>) =
            templates.partition(|(_, (name, _))| !unused(name));
        // A template another one names (includes, extends or imports) is
        // used after all, and so is what it names.
        loop {
            let named = |(_, (name, _)): &(usize, &(String, String))| {
                let quoted = [format!("\"{name}\""), format!("'{name}'")];
                used.iter().any(|(_, (_, text))| {
                    quoted
                        .iter()
                        .any(|q| memchr::memmem::find(text.as_bytes(), q.as_bytes()).is_some())
                })
            };
            let (now, still): (Vec<_>, Vec<_>) = unused.into_iter().partition(named);
            if now.is_empty() {
                break;
            }
            used.extend(now);
            unused = still;
        }
        used
    }
}

impl Templates {
    /// The built-in templates, with the files of `overrides` (if any,
    /// chosen on the command line) replacing them.
    pub fn load(overrides: Option<&Path>) -> anyhow::Result<Templates> {
        Templates::load_as(overrides, Trust::Officer)
    }

    /// [`Templates::load`] for a folder `trust` says who chose.
    pub fn load_as(overrides: Option<&Path>, trust: Trust) -> anyhow::Result<Templates> {
        Templates::load_for(overrides, trust, Parse::All)
    }

    /// [`Templates::load_as`], parsing only the templates `parse` names.
    pub fn load_for(
        overrides: Option<&Path>,
        trust: Trust,
        parse: Parse<'_>,
    ) -> anyhow::Result<Templates> {
        let mut files: Vec<(String, String)> = Vec::new();
        collect_built_in(&BUILT_IN, &mut files);
        let mut paths: HashMap<String, PathBuf> = files
            .iter()
            .map(|(name, _)| {
                (
                    name.clone(),
                    PathBuf::from(format!("policy-templates/{name} (built in)")),
                )
            })
            .collect();
        if let Some(dir) = overrides {
            let mut extra = Vec::new();
            collect_dir(dir, trust, &mut extra)
                .with_context(|| format!("cannot read the templates folder {}", dir.display()))?;
            for (name, text) in extra {
                paths.insert(name.clone(), dir.join(&name));
                match files.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = text,
                    None => files.push((name, text)),
                }
            }
        }
        files.sort();

        let mut tera = Tera::default();
        // Templates may be an LMC's override, read from a shared folder: no
        // reading the environment (secrets, and output the fingerprint does
        // not cover), and no `range`, whose loops could run for ever. Loops
        // go over the practice's own lists, which `check` bounds.
        for name in ["get_env", "range", "get_random", "now"] {
            tera.register_function(name, move |_: &HashMap<String, tera::Value>| {
                Err(tera::Error::msg(format!(
                    "`{name}` is not available in policypack templates"
                )))
            });
        }
        // What `Tera::add_raw_templates` does, but parsed on every core: the
        // handbook alone is most of a cold start's parsing. The checks, the
        // facts and the fingerprints, which need only the files' text, are
        // done meanwhile; problems are reported after any template's syntax
        // error, as before.
        let (parsed, (recursion, (facts, (fingerprint, sources)))) = rayon::join(
            || -> Vec<tera::Result<(String, tera::Template)>> {
                // The longest first, so that the handbook is not left to
                // the end of one thread's share; their problems are
                // reported in the files' order.
                let mut templates: Vec<(usize, &(String, String))> = parse.templates(&files);
                templates.sort_by_key(|(i, (_, text))| (std::cmp::Reverse(text.len()), *i));
                let mut parsed: Vec<_> = templates
                    .par_iter()
                    .map(|&(i, (name, text))| {
                        let parsed = tera::Template::new(name, None, text)
                            .map(|template| (name.clone(), template))
                            .map_err(|e| {
                                tera::Error::chain(format!("Failed to parse '{name}'"), e)
                            });
                        (i, parsed)
                    })
                    .collect();
                parsed.sort_by_key(|(i, _)| *i);
                parsed.into_iter().map(|(_, r)| r).collect()
            },
            || {
                rayon::join(
                    || refuse_recursive_macros(&files),
                    || rayon::join(|| facts_of(&files), || sources_of(&files, &paths)),
                )
            },
        );
        let syntax = |e: tera::Error| anyhow!(chain(&e)).context("a template has a syntax error");
        for result in parsed {
            let (name, template) = result.map_err(syntax)?;
            tera.templates.insert(name, template);
        }
        tera.build_inheritance_chains().map_err(syntax)?;
        tera.check_macro_files().map_err(syntax)?;
        recursion?;
        let (nations, replies, set) = facts?;
        Ok(Templates {
            tera,
            sources,
            nations,
            replies,
            fingerprint,
            set,
        })
    }

    pub fn nation(&self, nation: Nation) -> anyhow::Result<&NationFacts> {
        self.nations
            .get(&nation)
            .ok_or_else(|| anyhow!("no facts for {}", nation.key()))
    }

    /// The model public replies.
    pub fn replies(&self) -> &ModelReplies {
        &self.replies
    }

    /// A template file's text, if there is one of that name.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.sources.get(name).map(|file| file.text.as_str())
    }

    /// A template file with where it came from, for problems found in it.
    /// The text of a built-in template, whatever an override holds.
    /// The reply checker's rules: the built-in `reply-rules.toml`, with an
    /// LMC's override in `--templates` laid over it (see [`Rules::load`]).
    pub fn reply_rules(&self) -> anyhow::Result<Rules> {
        let name = "reply-rules.toml";
        let built_in = Templates::built_in_text(name)
            .ok_or_else(|| anyhow!("the built-in {name} is missing"))?;
        let file = self
            .source(name)
            .ok_or_else(|| anyhow!("the template {name} is missing"))?;
        Rules::load(built_in, &file.text, &file.path.display().to_string())
    }

    pub fn built_in_text(name: &str) -> Option<&'static str> {
        BUILT_IN.get_file(name).and_then(|f| f.contents_utf8())
    }

    pub fn source(&self, name: &str) -> Option<&Arc<SourceFile>> {
        self.sources.get(name)
    }

    /// Whether there is a template of this name (built in or added).
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Each file's hash and each nation's facts: what the fingerprint covers.
    pub fn set(&self) -> &TemplateSet {
        &self.set
    }

    /// Renders a template, with Tera's whole cause chain in the error.
    pub fn render(&self, name: &str, context: &tera::Context) -> anyhow::Result<String> {
        self.render_at_most(name, context, MAX_RENDERED_BYTES)
    }

    /// Renders a template that may hold up to `limit` bytes.
    pub fn render_at_most(
        &self,
        name: &str,
        context: &tera::Context,
        limit: usize,
    ) -> anyhow::Result<String> {
        let rendered = self.tera.render(name, context).map_err(|e| {
            let message = chain(&e);
            // "Variable `x.y` not found …": point at the line that uses it.
            // or "Function call 'range' failed": at the call.
            let line_of = if message.contains("Variable `") {
                message.split('`').nth(1).map(str::to_owned)
            } else if message.contains("Function call '") {
                message.split('\'').nth(3).map(|f| format!("{f}("))
            } else {
                None
            };
            anyhow::Error::new(self.problem(name, line_of.as_deref(), message))
        })?;
        if rendered.len() > limit {
            return Err(self
                .problem(
                    name,
                    None,
                    format!(
                        "renders to more than {} MB, far more than any document",
                        limit / 1024 / 1024
                    ),
                )
                .into());
        }
        Ok(rendered)
    }

    /// A problem in template `name`, at the first line holding `needle` if
    /// there is one.
    pub fn problem(&self, name: &str, needle: Option<&str>, message: String) -> TemplateProblem {
        let Some(file) = self.sources.get(name) else {
            return TemplateProblem(Diagnostic::file(Path::new(name), message));
        };
        let diagnostic = match needle.and_then(|n| file.text.find(n).map(|at| at..at + n.len())) {
            Some(span) => Diagnostic::at(
                &Origin {
                    file: file.clone(),
                    span,
                },
                None,
                message,
            ),
            None => Diagnostic::file(&file.path, message),
        };
        TemplateProblem(diagnostic.with_hint(
            "fix the template (or remove it from the templates folder to use the built-in one)",
        ))
    }
}

/// A problem with a template rather than with a practice's config: it
/// names the template file and line.
#[derive(Debug)]
pub struct TemplateProblem(pub Diagnostic);

impl std::fmt::Display for TemplateProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.0.path.display(), self.0.message)
    }
}

impl std::error::Error for TemplateProblem {}

/// Tera keeps the useful part of an error in `source()`; show all of it.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The nations' facts and the model replies, with the set of files and
/// facts the fingerprint stands for.
fn facts_of(
    files: &[(String, String)],
) -> anyhow::Result<(HashMap<Nation, NationFacts>, ModelReplies, TemplateSet)> {
    let (nations, replies) = nations_and_replies(files)?;
    let set = TemplateSet::of(
        files
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str())),
        nations.iter().map(|(nation, facts)| {
            let value = serde_json::to_value(facts).unwrap_or_default();
            (nation.key(), value)
        }),
    );
    Ok((nations, replies, set))
}

/// The files' fingerprint, and each file with where it came from.
fn sources_of(
    files: &[(String, String)],
    paths: &HashMap<String, PathBuf>,
) -> (String, HashMap<String, Arc<SourceFile>>) {
    let fingerprint = crate::utils::hash(
        files
            .iter()
            .flat_map(|(name, text)| [name.as_bytes(), text.as_bytes()]),
    );
    let sources = files
        .iter()
        .map(|(name, text)| {
            let file = SourceFile::new(paths[name].clone(), text.clone());
            (name.clone(), Arc::new(file))
        })
        .collect();
    (fingerprint, sources)
}

fn nations_and_replies(
    files: &[(String, String)],
) -> anyhow::Result<(HashMap<Nation, NationFacts>, ModelReplies)> {
    let mut nations = HashMap::new();
    for nation in Nation::all() {
        let name = format!("nations/{}.toml", nation.key());
        let (_, text) = files
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| anyhow!("the nation facts file {name} is missing"))?;
        let facts = NationFacts::parse(text)
            .with_context(|| format!("the nation facts file {name} is not valid"))?;
        // A template in the nation's own language prints the facts'
        // sentences in that language; an override of those facts
        // must not leave them out.
        if let Some(code) = nation.language_code() {
            let suffix = format!(".{code}.md");
            let missing = facts.missing_in_own_language();
            if files.iter().any(|(n, _)| n.ends_with(&suffix)) && !missing.is_empty() {
                bail!(
                    "the nation facts file {name} has no {}: the templates in {} print them",
                    missing.join(", "),
                    facts.language.as_deref().unwrap_or(code),
                );
            }
        }
        nations.insert(nation, facts);
    }
    let name = "model-replies.toml";
    let (_, text) = files
        .iter()
        .find(|(n, _)| n == name)
        .ok_or_else(|| anyhow!("the template {name} is missing"))?;
    let replies =
        ModelReplies::parse(text).with_context(|| format!("the template {name} is not valid"))?;
    Ok((nations, replies))
}

/// Refuses a macro that calls itself, directly or through other macros:
/// Tera has no depth limit, and the stack overflow would end the whole
/// build, every practice's, with nothing recorded.
fn refuse_recursive_macros(files: &[(String, String)]) -> anyhow::Result<()> {
    use regex::bytes::Regex;
    // Tera's names and the space between its tokens are ASCII, so the
    // patterns are too (`(?-u)`, on the text's bytes): Unicode classes
    // take far longer to compile.
    static DEFINE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?-u)\{%-?\s*macro\s+(\w+)\s*\(").expect("valid"));
    static END: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?-u)\{%-?\s*endmacro\b").expect("valid"));
    static IMPORT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?-u)\{%-?\s*import\s+["']([^"']+)["']\s+as\s+(\w+)"#).expect("valid")
    });
    static CALL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?-u)\b(\w+)::(\w+)\s*\(").expect("valid"));
    // A group's text: between ASCII bytes, so whole characters.
    let text_of = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    type Macro = (String, String);
    let mut calls: HashMap<Macro, Vec<Macro>> = HashMap::new();
    for (file, text) in files {
        if !(file.ends_with(".md") || file.ends_with(".html")) {
            continue;
        }
        let text = text.as_bytes();
        let imports: HashMap<String, String> = IMPORT
            .captures_iter(text)
            .map(|c| (text_of(&c[2]), text_of(&c[1])))
            .collect();
        for definition in DEFINE.captures_iter(text) {
            let whole = definition.get(0).expect("match");
            let body_end = END
                .find_at(text, whole.end())
                .map_or(text.len(), |m| m.start());
            let called = CALL
                .captures_iter(&text[whole.end()..body_end])
                .filter_map(|c| {
                    let target = match text_of(&c[1]).as_str() {
                        "self" => file.clone(),
                        namespace => imports.get(namespace)?.clone(),
                    };
                    Some((target, text_of(&c[2])))
                })
                .collect();
            calls.insert((file.clone(), text_of(&definition[1])), called);
        }
    }
    // A depth-first walk; a macro met again on the path is a cycle.
    fn walk(
        at: &Macro,
        calls: &HashMap<Macro, Vec<Macro>>,
        path: &mut Vec<Macro>,
        done: &mut HashSet<Macro>,
    ) -> Option<Vec<Macro>> {
        if let Some(start) = path.iter().position(|m| m == at) {
            let mut cycle = path[start..].to_vec();
            cycle.push(at.clone());
            return Some(cycle);
        }
        if done.contains(at) {
            return None;
        }
        path.push(at.clone());
        for next in calls.get(at).into_iter().flatten() {
            if let Some(cycle) = walk(next, calls, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(at.clone());
        None
    }
    let mut done = HashSet::new();
    let mut names: Vec<&Macro> = calls.keys().collect();
    names.sort();
    for start in names {
        if let Some(cycle) = walk(start, &calls, &mut Vec::new(), &mut done) {
            let chain: Vec<String> = cycle.iter().map(|(_, name)| name.clone()).collect();
            bail!(
                "{}: the macro {} calls itself ({}); a template cannot recurse, since a build would crash with no depth limit",
                cycle[0].0,
                cycle[0].1,
                chain.join(" → ")
            );
        }
    }
    Ok(())
}

fn collect_built_in(dir: &Dir<'_>, files: &mut Vec<(String, String)>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            files.push((
                file.path().to_string_lossy().replace('\\', "/"),
                text.to_string(),
            ));
        }
    }
    for sub in dir.dirs() {
        collect_built_in(sub, files);
    }
}

/// How far a templates folder is searched: ours is two levels deep.
const MAX_DEPTH: usize = 4;
/// How many entries are looked at in all, so that pointing `--templates`
/// at a huge or endless tree (`/sys`, a link loop) stops quickly.
const MAX_ENTRIES: usize = 2_000;
/// The most all templates of a folder may hold together (ours: 150 KB).
const MAX_TOTAL_BYTES: usize = 8 * 1024 * 1024;

/// Who may have written a templates folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// Named on the command line (`--templates`): the officer chose it.
    Officer,
    /// Named by a shared `_*.toml` in a folder member practices may write
    /// to: the folder, every folder in it and every file must belong to
    /// whoever runs policypack (or root) and be writable by nobody else,
    /// or a practice could swap in its own templates.
    Shared,
}

/// The `.md`, `.html` and `.toml` files below `root`. The folder is opened
/// once and walked by handle; no link is followed (so a link loop cannot
/// make the walk endless, and nothing is swapped in between a check and a
/// read), only regular files are read, each of at most
/// [`crate::input::MAX_TEXT_BYTES`].
fn collect_dir(root: &Path, trust: Trust, files: &mut Vec<(String, String)>) -> anyhow::Result<()> {
    let handle = open_no_link(root)?;
    let meta = handle.metadata()?;
    check_owner(root, Owner::of(&meta), trust)?;
    // Nor may anyone else be able to move it, or a folder above it: a
    // practice could rename another of the officer's folders (an old
    // draft) into its place.
    if trust == Trust::Shared {
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        let movable = !root
            .canonicalize()
            .is_ok_and(|folder| crate::config::nobody_else_can_move(&folder, &[me, 0]));
        if movable {
            bail!(
                "{} is in a folder that someone other than you owns, or may rename things in: they could put another folder in its place. Keep a templates folder where only you (or root) own every folder on the way to it, and give any folder others may write to the sticky bit (chmod +t)",
                root.display()
            );
        }
    }
    let dir = Handle::from_std_file(handle);
    let mut seen = 0;
    walk(root, &dir, Path::new(""), trust, &mut seen, files)
}

/// A folder opened without following a link in its place.
fn open_no_link(path: &Path) -> anyhow::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => anyhow!(
                "{} is a link; a templates folder must be the folder itself, not a link to one",
                path.display()
            ),
            _ => anyhow!("{}: {}", path.display(), crate::input::reason(&e)),
        })
}

/// Who owns a file, and its permission bits.
struct Owner {
    uid: u32,
    mode: u32,
}

impl Owner {
    fn of(meta: &std::fs::Metadata) -> Owner {
        use std::os::unix::fs::MetadataExt as _;
        Owner {
            uid: meta.uid(),
            mode: meta.mode(),
        }
    }
}

/// For [`Trust::Shared`], refuses what another user owns or may change.
fn check_owner(path: &Path, meta: Owner, trust: Trust) -> anyhow::Result<()> {
    if trust == Trust::Officer {
        return Ok(());
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid != me && meta.uid != 0 {
        bail!(
            "{} belongs to another user; templates a shared file chooses must be yours (or root's), or a member practice could change them. Use --templates, or copy the folder",
            path.display()
        );
    }
    if meta.mode & 0o022 != 0 {
        bail!(
            "{} may be changed by someone other than you; templates a shared file chooses must be writable by you alone (chmod go-w)",
            path.display()
        );
    }
    Ok(())
}

fn walk(
    root: &Path,
    dir: &Handle,
    below: &Path,
    trust: Trust,
    seen: &mut usize,
    files: &mut Vec<(String, String)>,
) -> anyhow::Result<()> {
    for entry in dir.entries()? {
        let entry = entry?;
        *seen += 1;
        if *seen > MAX_ENTRIES {
            bail!(
                "{} holds more than {MAX_ENTRIES} files and folders; a templates folder holds a few templates",
                root.display()
            );
        }
        let file_name = entry.file_name();
        let relative = below.join(&file_name);
        let path = root.join(&relative);
        let file_type = entry.file_type()?;
        if file_type.is_symlink() {
            bail!(
                "{} is a link; a templates folder must hold its own files, not links to others",
                path.display()
            );
        }
        if file_type.is_dir() {
            if below.components().count() + 1 >= MAX_DEPTH {
                bail!(
                    "{} is more than {MAX_DEPTH} folders deep; a templates folder mirrors policy-templates/",
                    path.display()
                );
            }
            let sub = dir
                .open_dir_nofollow(&file_name)
                .map_err(|e| anyhow!("{}: {}", path.display(), crate::input::reason(&e)))?;
            let meta = sub.dir_metadata()?;
            let owner = Owner {
                uid: meta.uid(),
                mode: meta.mode(),
            };
            check_owner(&path, owner, trust)?;
            walk(root, &sub, &relative, trust, seen, files)?;
        } else if path
            .extension()
            .is_some_and(|e| e == "md" || e == "html" || e == "toml")
        {
            let name = relative.to_string_lossy().replace('\\', "/");
            let mut options = OpenOptions::new();
            options
                .read(true)
                .follow(FollowSymlinks::No)
                .custom_flags(libc::O_NONBLOCK);
            let file = dir
                .open_with(&file_name, &options)
                .map_err(|e| anyhow!("{}: {}", path.display(), crate::input::reason(&e)))?
                .into_std();
            let meta = file.metadata()?;
            if !meta.is_file() {
                bail!(
                    "{} is not a regular file; a templates folder holds text files",
                    path.display()
                );
            }
            check_owner(&path, Owner::of(&meta), trust)?;
            let bytes = crate::input::read_sized(
                file,
                meta.len(),
                &path,
                crate::input::MAX_TEXT_BYTES,
                "template",
            )?;
            let total: usize = files.iter().map(|(_, t)| t.len()).sum::<usize>() + bytes.len();
            if total > MAX_TOTAL_BYTES {
                bail!(
                    "{} holds more than {} MB of templates; a templates folder holds a few small files",
                    root.display(),
                    MAX_TOTAL_BYTES / 1024 / 1024
                );
            }
            let text = String::from_utf8(bytes)
                .map_err(|_| anyhow!("{} is not UTF-8 text", path.display()))?;
            files.push((name, text));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_templates_load_with_all_nations() {
        let templates = Templates::load(None).unwrap();
        for nation in Nation::all() {
            assert!(templates.nation(nation).is_ok());
        }
    }

    /// Text between tags is found by searching for the next `{{`, `{%`
    /// or `{#` (the patched grammar in `vendor/tera`): braces, percent and
    /// hash signs that start no tag stay as written, wherever they are.
    #[test]
    fn text_around_tags_is_kept_as_written() {
        let mut context = tera::Context::new();
        context.insert("name", "N");
        for (template, expected) in [
            ("{ a } {b} %} #} }} 100% {", "{ a } {b} %} #} }} 100% {"),
            ("{", "{"),
            ("x{", "x{"),
            ("{ {{ name }}{-{{ name }}#}", "{ N{-N#}"),
            ("a{# note #}b{%- if true %} c{% endif -%} d", "ab cd"),
            ("é {😀 } {{ name }}\n{", "é {😀 } N\n{"),
        ] {
            let rendered = tera::Tera::one_off(template, &context, false).unwrap();
            assert_eq!(rendered, expected, "{template}");
        }
        // A tag left open is still an error, not text.
        assert!(tera::Tera::one_off("a {{ name", &context, false).is_err());
        assert!(tera::Tera::one_off("a {% if true %}", &context, false).is_err());
    }

    #[test]
    fn override_folder_replaces_one_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("zero-tolerance-notice.md"),
            "# Overridden {{ practice.name }}\n",
        )
        .unwrap();
        let templates = Templates::load(Some(dir.path())).unwrap();
        let mut context = tera::Context::new();
        context.insert("practice", &serde_json::json!({ "name": "X" }));
        assert_eq!(
            templates
                .render("zero-tolerance-notice.md", &context)
                .unwrap(),
            "# Overridden X\n"
        );
        // The other templates are still there: rendering fails on the
        // missing values of this bare context, not on a missing template.
        let err = templates
            .render("staff-handbook.md", &context)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("Variable") && !err.contains("Template 'staff-handbook.md' not found"),
            "{err}"
        );
    }

    fn parsed(templates: &Templates) -> Vec<&str> {
        let mut names: Vec<&str> = templates
            .tera
            .templates
            .keys()
            .map(String::as_str)
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_build_parses_the_templates_of_what_it_makes() {
        let handbook = Parse::For {
            docs: &[DocKind::Handbook],
            html: false,
        };
        let templates = Templates::load_for(None, Trust::Officer, handbook).unwrap();
        assert_eq!(parsed(&templates), ["index.html", "staff-handbook.md"]);
        // Every file is still read, and the fingerprint covers them all.
        assert!(templates.has("complaints-leaflet.md"));
        assert_eq!(
            templates.fingerprint(),
            Templates::load(None).unwrap().fingerprint()
        );
        let notice = Parse::For {
            docs: &[DocKind::Notice],
            html: true,
        };
        let templates = Templates::load_for(None, Trust::Officer, notice).unwrap();
        assert_eq!(
            parsed(&templates),
            [
                "index.html",
                "page.html",
                "zero-tolerance-notice.cy.md",
                "zero-tolerance-notice.md"
            ]
        );
    }

    #[test]
    fn a_template_another_names_is_parsed_and_an_unused_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write(
            "staff-handbook.md",
            "# Handbook\n{% include 'zero-tolerance-notice.md' %}\n{% include \"notes.md\" %}\n",
        );
        write("notes.md", "Notes\n");
        // A syntax error in a document this build does not make.
        write("complaints-leaflet.md", "# Leaflet {{ practice.name \n");
        let handbook = Parse::For {
            docs: &[DocKind::Handbook],
            html: false,
        };
        let templates = Templates::load_for(Some(dir.path()), Trust::Officer, handbook).unwrap();
        assert_eq!(
            parsed(&templates),
            [
                "index.html",
                "notes.md",
                "staff-handbook.md",
                "zero-tolerance-notice.md"
            ]
        );
        // Loading them all finds it.
        let err = Templates::load(Some(dir.path())).err().unwrap();
        assert!(
            format!("{err:#}").contains("complaints-leaflet.md"),
            "{err:#}"
        );
    }
}
