//! A whole build: many practices on all cores, one manifest and index.
//!
//! Configs are loaded in parallel, slugs checked for clashes, templates
//! loaded once per folder, then each practice is built on a worker thread
//! (rayon). One bad practice never stops the others. Practices whose config
//! has gone are reported, and their files deleted with `--prune`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::build::{BuildOptions, Built, DeniedWarnings, build_practice};
use super::changes::{ChangeReport, PracticeChange};
use super::manifest::{self, Manifest};
use super::write::Folder;
use super::{discover, index, interrupt, lock};
use crate::config::Practice;
use crate::content::Templates;
use crate::content::templates::{Parse, TemplateProblem, Trust};
use crate::diagnostics::Diagnostic;
use crate::render::Format;

pub struct BatchOptions {
    pub build: BuildOptions,
    pub jobs: Option<usize>,
    pub prune: bool,
    pub progress: bool,
    /// Wait for another build of the same output folder to finish, rather
    /// than stop.
    pub wait: bool,
    /// A practice with warnings is not built, as if they were errors.
    pub deny_warnings: bool,
}

/// A practice that was built (or found unchanged).
pub struct Done {
    pub slug: String,
    pub config: PathBuf,
    pub built: Built,
}

/// A practice whose outputs are in the manifest but whose config is gone.
pub struct Gone {
    pub slug: String,
    pub config: String,
    pub deleted: bool,
    /// The slug its config builds now, when it builds another (its name or
    /// `slug` changed).
    pub now: Option<String>,
}

#[derive(Default)]
pub struct Report {
    pub done: Vec<Done>,
    pub failed: Vec<(PathBuf, Vec<Diagnostic>)>,
    /// Warnings of the practices that were built.
    pub warnings: Vec<Diagnostic>,
    pub gone: Vec<Gone>,
    pub interrupted: bool,
    /// Files that could not be written (a full disk, a folder that cannot
    /// be written): reported, and the exit code is 2.
    pub io_failed: bool,
    /// Outputs of the whole build (manifest, index) that could not be written.
    pub io_errors: Vec<String>,
    /// What this build changed, per practice that had files written.
    pub changes: Vec<PracticeChange>,
    /// Where the change report was written (the CSV), if anything was.
    pub change_report: Option<PathBuf>,
}

pub fn run(paths: &[PathBuf], options: &BatchOptions) -> anyhow::Result<Report> {
    interrupt::install();
    let out = &options.build.out;
    let files = discover::practice_files(paths)?;
    // Made if missing, and refused if it is not the officer's, before it is locked.
    Folder::out(out)?;
    // Held until the manifest and index are written; temporary files are
    // swept only while it is held, when no other build can be writing them.
    let _lock = match lock::acquire(out, options.wait)? {
        lock::Acquired::Locked(lock) => lock,
        lock::Acquired::Interrupted => {
            return Ok(Report {
                interrupted: true,
                ..Report::default()
            });
        }
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    pool.install(|| build_all(&files, paths, options))
}

fn build_all(
    files: &[PathBuf],
    paths: &[PathBuf],
    options: &BatchOptions,
) -> anyhow::Result<Report> {
    let out = &options.build.out;
    let out_folder = Folder::out(out)?;
    let mut report = Report::default();
    // Only the templates of what this build makes are parsed.
    let parse = Parse::For {
        docs: &options.build.docs,
        html: options.build.formats.contains(&Format::Html),
    };
    // While the configs load: the default templates are parsed, the
    // manifest read, and temporary files a stopped build left are swept
    // (safe now that this build holds the lock; none writes before all
    // four are done). The templates, the longest of the four, start on
    // this thread at once; the others wait for a thread to take them.
    let (default_templates, (loaded, (read, ()))) = rayon::join(
        || Templates::load_for(options.build.templates.as_deref(), Trust::Officer, parse),
        || {
            rayon::join(
                || -> Vec<_> {
                    let loader = crate::config::Loader::default();
                    files
                        .par_iter()
                        .map(|path| {
                            (
                                path,
                                (!interrupt::requested())
                                    .then(|| crate::config::load_with(path, &loader)),
                            )
                        })
                        .collect()
                },
                || {
                    rayon::join(
                        || Manifest::read_keeping(out),
                        || remove_leftover_temp_files(&out_folder),
                    )
                },
            )
        },
    );
    if interrupt::requested() {
        report.interrupted = true;
        return Ok(report);
    }
    let loaded = loaded
        .into_iter()
        .map(|(path, result)| (path, result.expect("loaded unless interrupted")));

    let mut candidates: Vec<Practice> = Vec::with_capacity(loaded.len());
    for (path, result) in loaded {
        match result {
            Ok(practice) if options.deny_warnings && !practice.warnings.is_empty() => {
                report.failed.push((path.clone(), practice.warnings));
            }
            Ok(practice) => candidates.push(practice),
            Err(problems) => report.failed.push((path.clone(), problems)),
        }
    }
    let (mut manifest, distrusted, read_back) = read;
    let manifest_path = out.join(manifest::FILE_NAME);
    if manifest.reports.is_none() {
        // A manifest from before reports were recorded: the reports already
        // there that pass `changes`'s checks are taken as this folder's.
        let (found, _) = super::changes::find(out);
        let newest = found.len().saturating_sub(1);
        let mut reports = std::collections::BTreeMap::new();
        for (i, found) in found.iter().enumerate() {
            if found.read(&manifest, i == newest).is_ok()
                && let Some(name) = found.path.file_name().and_then(|n| n.to_str())
                && let Ok(bytes) = crate::input::read_written(
                    &found.path,
                    super::changes::MAX_REPORT_BYTES,
                    "change report",
                )
            {
                reports.insert(name.to_string(), crate::utils::sha256(&bytes));
            }
        }
        manifest.reports = Some(reports);
    }
    report.warnings.extend(
        distrusted
            .into_iter()
            .map(|message| Diagnostic::file(&manifest_path, message).warning()),
    );
    // Two configs with one slug would write to one folder: neither is
    // built (unless one of them built that folder, which it keeps), so one
    // practice can never fill another's folder, nor stop its owner.
    let mut by_slug: HashMap<String, Vec<PathBuf>> = HashMap::new();
    // Each config's path as the manifest records it, worked out once, and
    // the user who owned the file read.
    let mut recorded: HashMap<PathBuf, (String, u32)> = HashMap::with_capacity(candidates.len());
    for practice in &candidates {
        by_slug
            .entry(practice.slug.clone())
            .or_default()
            .push(practice.path.clone());
        recorded.insert(
            practice.path.clone(),
            (practice.recorded_config().to_string(), practice.owner),
        );
    }
    let built_from = |entry: &manifest::PracticeEntry, path: &Path| {
        let (config, owner) = &recorded[path];
        entry.built_by(config, *owner)
    };
    // An ODS code belongs to one practice, and two practices of one name
    // could not be told apart on the index or in the reprint round: a
    // second config with either is a copy, or a practice posing as
    // another. Both are built, so no practice can stop another's build,
    // but the officer is told.
    let name_key = |p: &Practice| {
        let name = p.name().split_whitespace().collect::<Vec<_>>().join(" ");
        Some(name.to_lowercase())
    };
    let code_key = |p: &Practice| {
        p.config
            .practice
            .ods_code
            .as_ref()
            .map(|c| c.to_ascii_uppercase())
    };
    let mut shared = Vec::new();
    shared.extend(shared_by_others(
        &candidates,
        name_key,
        |p, others| format!("the practice name \"{}\" is also used by {others}", p.name()),
        "add the town to the name of one, e.g. \"The Surgery, Bentley\"; or remove the config that is not the practice's own",
    ));
    shared.extend(shared_by_others(
        &candidates,
        code_key,
        |p, others| {
            format!(
                "ODS code {} is also used by {others}; an ODS code belongs to one practice",
                p.config.practice.ods_code.as_deref().unwrap_or_default()
            )
        },
        "check which config is the practice's own, and remove or correct the other",
    ));
    // With --deny-warnings such a practice fails, as any warning fails it.
    if options.deny_warnings {
        let mut failing: HashMap<PathBuf, Vec<Diagnostic>> = HashMap::new();
        for warning in shared.drain(..) {
            failing
                .entry(warning.path.clone())
                .or_default()
                .push(warning);
        }
        candidates.retain(|practice| match failing.remove(&practice.path) {
            Some(problems) => {
                report.failed.push((practice.path.clone(), problems));
                false
            }
            None => true,
        });
    }
    report.warnings.extend(shared);
    let mut practices: Vec<Practice> = Vec::with_capacity(candidates.len());
    for mut practice in candidates {
        let claimants = &by_slug[&practice.slug];
        let entry = manifest
            .practices
            .get(&practice.slug)
            .filter(|entry| claimants.iter().any(|p| built_from(entry, p)));
        let owner = entry.map(|entry| entry.config.as_str());
        let is_owner = entry.is_some_and(|entry| built_from(entry, &practice.path));
        if claimants.len() > 1 && !is_owner {
            let others: Vec<String> = claimants
                .iter()
                .filter(|p| **p != practice.path)
                .map(|p| p.display().to_string())
                .collect();
            let problem = Diagnostic::file(
                &practice.path,
                match owner {
                    Some(_) => format!(
                        "slug \"{}\" is also used by {}, which built {}; this config would replace it, so it is not built",
                        practice.slug,
                        others.join(", "),
                        out.join(&practice.slug).display()
                    ),
                    None => format!(
                        "slug \"{}\" is also used by {}; both would write to the same folder, so neither is built",
                        practice.slug,
                        others.join(", ")
                    ),
                },
            )
            .with_hint("give each practice its own slug = \"…\" under [practice]");
            report.failed.push((practice.path.clone(), vec![problem]));
        } else {
            report.warnings.append(&mut practice.warnings);
            practices.push(practice);
        }
    }

    // Templates once per override folder; `--templates` wins over a config's own.
    let folder_of = |p: &Practice| {
        options
            .build
            .templates
            .clone()
            .or_else(|| p.templates.clone())
    };
    let mut templates: HashMap<Option<PathBuf>, Templates> = HashMap::new();
    templates.insert(options.build.templates.clone(), default_templates?);
    for practice in &practices {
        let folder = folder_of(practice);
        if let std::collections::hash_map::Entry::Vacant(slot) = templates.entry(folder.clone()) {
            // `--templates` is loaded above: this folder is a shared file's.
            match Templates::load_for(folder.as_deref(), Trust::Shared, parse) {
                Ok(loaded) => {
                    slot.insert(loaded);
                }
                Err(error) => {
                    let problem = Diagnostic::file(&practice.path, format!("{error:#}"));
                    report.failed.push((practice.path.clone(), vec![problem]));
                }
            }
        }
    }
    practices.retain(|p| templates.contains_key(&folder_of(p)));

    let configs_in_build: HashMap<String, String> = practices
        .iter()
        .map(|p| (p.recorded_config().to_string(), p.slug.clone()))
        .collect();
    // A folder in `out/` belongs to the config that built it: another
    // config with its slug is refused while that config is still there,
    // and noted when it has gone (renamed or moved).
    practices.retain(|practice| {
        let Some(entry) = manifest.practices.get(&practice.slug) else {
            return true;
        };
        // The recorded path, if it is this config's as it is now, needs no
        // second walk: both were made the same way.
        let same = entry.config == practice.recorded_config()
            || Path::new(&entry.config)
                .canonicalize()
                .is_ok_and(|recorded| recorded == Path::new(practice.recorded_config()));
        // Another user's file in the recorded config's place is not it.
        // This config, read just now, is there, owned as it was read.
        if entry.built_by(practice.recorded_config(), practice.owner) {
            return true;
        }
        let present = entry.config_present();
        if present && same {
            return true;
        }
        // The recorded config builds another slug now (its name or `slug`
        // changed): its old folder is still its pack until --prune.
        let moved_on = configs_in_build
            .get(&entry.config)
            .filter(|slug| present && **slug != practice.slug);
        if present && moved_on.is_none() {
            let problem = Diagnostic::file(
                &practice.path,
                format!(
                    "slug \"{}\": {} holds the pack of {}, built from {}; this config would replace it",
                    practice.slug,
                    out.join(&practice.slug).display(),
                    entry.name,
                    super::build::shown_config(&entry.config)
                ),
            )
            .with_hint("give this practice its own slug = \"…\" under [practice]; if it really replaces that practice, delete or rename that config first");
            report.failed.push((practice.path.clone(), vec![problem]));
            return false;
        }
        // A config that is gone may have been renamed, or hidden for one
        // build by a practice taking its folder over; one that builds
        // another slug now may be followed by one taking the slug it left.
        // The officer says which, with --prune (which lets what is gone
        // go), and the practice's ODS code must be the one recorded.
        let recorded_code = entry.values.get("practice.ods_code");
        let code = practice.config.practice.ods_code.as_ref();
        if !options.prune || (recorded_code.is_some() && recorded_code != code) {
            let problem = Diagnostic::file(
                &practice.path,
                format!(
                    "slug \"{}\": {} holds the pack of {}, built from {}, which {}; this config is not built into it{}",
                    practice.slug,
                    out.join(&practice.slug).display(),
                    entry.name,
                    super::build::shown_config(&entry.config),
                    match moved_on {
                        Some(now) => format!("builds {now} now"),
                        None => "is gone".to_string(),
                    },
                    match recorded_code {
                        Some(recorded) if recorded_code != code => {
                            format!(" (that practice's ODS code was {recorded})")
                        }
                        _ => String::new(),
                    }
                ),
            )
            .with_hint("if that config was renamed to this one, build with --prune to move the pack to it; otherwise give this practice its own slug");
            report.failed.push((practice.path.clone(), vec![problem]));
            return false;
        }
        report.warnings.push(
            Diagnostic::file(
                &practice.path,
                format!(
                    "slug \"{}\" was built from {}, which is gone or builds another slug now; it is now built from this config",
                    practice.slug,
                    super::build::shown_config(&entry.config)
                ),
            )
            .warning(),
        );
        true
    });
    let bar = if options.progress {
        ProgressBar::new(practices.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} practices {msg} ({eta} left)")
            .expect("a valid progress template"),
    );
    // A config that built another folder last time, and builds under a new
    // slug now (its name or `slug` changed), is built from that folder's
    // entry: its change report names what changed, and what to reprint.
    let by_config: HashMap<&str, &str> = manifest
        .practices
        .iter()
        .map(|(slug, entry)| (entry.config.as_str(), slug.as_str()))
        .collect();
    let earlier: HashMap<&str, &str> = practices
        .iter()
        .filter(|p| !manifest.practices.contains_key(&p.slug))
        .filter_map(|p| {
            let old = *by_config.get(p.recorded_config())?;
            let same_file = built_from(&manifest.practices[old], &p.path);
            (same_file && !by_slug.contains_key(old)).then_some((p.slug.as_str(), old))
        })
        .collect();
    let previous = |slug: &str| {
        manifest
            .practices
            .get(slug)
            .or_else(|| manifest.practices.get(*earlier.get(slug)?))
    };
    let results: Vec<_> = practices
        .par_iter()
        .map(|practice| {
            if interrupt::requested() {
                return None;
            }
            let result = build_practice(
                practice,
                &templates[&folder_of(practice)],
                previous(&practice.slug),
                &manifest.template_sets,
                &options.build,
                &out_folder,
            );
            bar.inc(1);
            Some((practice, result))
        })
        .collect();
    bar.finish_and_clear();

    let mut replaced = Vec::new();
    for (practice, result) in results.into_iter().flatten() {
        match result {
            Ok(mut built) => {
                report.warnings.append(&mut built.warnings);
                let mut done = Done {
                    slug: practice.slug.clone(),
                    config: practice.path.clone(),
                    built,
                };
                report.changes.extend(PracticeChange::of(&done, practice));
                // The entry moves into the manifest (one copy of each
                // practice's values, not two, in a national build); the
                // one it replaces is freed with the rest, at the end
                // (freed meanwhile, on another thread, it slows the
                // writing of the manifest more than it saves).
                let entry = std::mem::take(&mut done.built.entry);
                replaced.extend(manifest.practices.insert(practice.slug.clone(), entry));
                report.done.push(done);
            }
            Err(error) if error.is::<interrupt::Interrupted>() => {}
            // Nothing was written: the manifest keeps what the last build made.
            Err(ref error) if let Some(DeniedWarnings(warnings)) = error.downcast_ref() => {
                report
                    .failed
                    .push((practice.path.clone(), warnings.clone()));
            }
            Err(error) => {
                // A template's problem names the template and its line.
                let problem = match error.downcast_ref::<TemplateProblem>() {
                    Some(TemplateProblem(diagnostic)) => diagnostic.clone(),
                    None => Diagnostic::file(&practice.path, format!("{error:#}")),
                };
                let io = error
                    .chain()
                    .find_map(|e| e.downcast_ref::<std::io::Error>());
                report.io_failed |= io.is_some();
                let problem = match io.map(std::io::Error::kind) {
                    Some(std::io::ErrorKind::StorageFull) => problem.with_hint(
                        "the disk is full: free some space, or build into another folder with -o, then build again",
                    ),
                    _ => problem,
                };
                report.failed.push((practice.path.clone(), vec![problem]));
                // Some of its files may be new and some old. Keep what the
                // last build recorded (its values, so the next build can say
                // what changed) but no fingerprint, so the next build looks
                // at every document and remakes whatever is not as recorded.
                if let Some(entry) = manifest.practices.get_mut(&practice.slug) {
                    entry.fingerprint.clear();
                }
            }
        }
    }
    report.interrupted = interrupt::requested();
    report.failed.sort_by(|a, b| a.0.cmp(&b.0));

    // Practices in the manifest whose config no longer exists, or whose
    // config now builds under another slug.
    let built_configs: HashSet<String> = practices
        .iter()
        .map(|p| p.recorded_config().to_string())
        .collect();
    // A recorded config that is not a practice's (a shared `_*.toml`, or a
    // file in a folder being built that is not one of its configs) marks an
    // entry planted in the manifest: it is gone too.
    let canonical = |p: &Path| p.canonicalize().ok();
    let discovered: HashSet<PathBuf> = files
        .iter()
        .filter_map(|f| {
            recorded
                .get(f)
                .map(|(config, _)| PathBuf::from(config))
                .or_else(|| canonical(f))
        })
        .collect();
    let folders: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.is_dir())
        .filter_map(|p| canonical(p))
        .collect();
    let not_a_practice = |config: &str| {
        let path = Path::new(config);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.starts_with('_')
            || !name.ends_with(".toml")
            || canonical(path).is_some_and(|c| {
                folders.iter().any(|f| c.starts_with(f)) && !discovered.contains(&c)
            })
    };
    let gone: Vec<String> = manifest
        .practices
        .iter()
        .filter(|(slug, entry)| {
            !by_slug.contains_key(*slug)
                && (!entry.config_present()
                    || built_configs.contains(&entry.config)
                    || not_a_practice(&entry.config))
        })
        .map(|(slug, _)| slug.clone())
        .collect();
    for slug in gone {
        let entry = manifest.practices[&slug].clone();
        let mut deleted = false;
        if options.prune && !report.interrupted {
            match prune(&out_folder, &slug, &entry) {
                Ok(()) => {
                    manifest.practices.remove(&slug);
                    deleted = true;
                }
                Err(problem) => report
                    .warnings
                    .push(Diagnostic::file(&manifest_path, problem).warning()),
            }
        }
        let now = configs_in_build.get(&entry.config).cloned();
        report.gone.push(Gone {
            slug,
            config: super::build::shown_config(&entry.config),
            deleted,
            now,
        });
    }

    // A practice not built this time (it failed, was refused, or is
    // another folder's) keeps its manifest entry, but not a file that is no
    // longer the one its build wrote: a practice that may write in `out/`
    // could have planted its own there. Such a file is not linked from the
    // index again, and a zip (which sits in `out/` itself) is taken away.
    if !report.interrupted {
        let built: HashSet<&str> = report.done.iter().map(|d| d.slug.as_str()).collect();
        for (slug, entry) in manifest.practices.iter_mut() {
            if built.contains(slug.as_str()) {
                continue;
            }
            let folder = std::cell::OnceCell::new();
            entry.files.retain(|file| {
                let meta = match file.path.split_once('/') {
                    Some((_, name)) => folder
                        .get_or_init(|| out_folder.existing(slug).ok())
                        .as_ref()
                        .and_then(|f: &Folder| f.file_metadata(name)),
                    None => out_folder.file_metadata(&file.path),
                };
                if meta.as_ref().is_some_and(|meta| file.is(meta)) {
                    return true;
                }
                let shown = out.join(&file.path);
                if file.path.split_once('/').is_none() && out_folder.has(&file.path) {
                    out_folder.remove(&file.path);
                    report.warnings.push(
                        Diagnostic::file(
                            &shown,
                            "is not the file its build wrote (changed or replaced since), so it is taken away and the index no longer links it",
                        )
                        .warning(),
                    );
                } else if meta.is_some() || out_folder.has(slug) {
                    report.warnings.push(
                        Diagnostic::file(
                            &shown,
                            "is missing, or not the file its build wrote (changed or replaced since), so the index no longer links it",
                        )
                        .with_hint("build that practice again to make it afresh")
                        .warning(),
                    );
                }
                false
            });
        }
    }

    // What `out/` holds, listed once for the two checks below.
    let names = out_folder.names();

    // A zip no build wrote, under the name of a practice that is built or
    // recorded: a practice that may write in `out/` could put its own pack
    // there for another practice's name. It is taken away. (Anything but
    // a folder counts: a link named so is taken away as a link.)
    if !report.interrupted {
        for (zip, _) in names.iter().filter(|(_, is_folder)| !is_folder) {
            let Some(slug) = zip.strip_suffix(".zip") else {
                continue;
            };
            let entry = manifest.practices.get(slug);
            if entry.is_none() && !by_slug.contains_key(slug) {
                continue;
            }
            let recorded = entry.is_some_and(|entry| entry.files.iter().any(|f| f.path == *zip));
            if !recorded {
                out_folder.remove(zip);
                report.warnings.push(
                    Diagnostic::file(
                        &out.join(zip),
                        "no build wrote this zip for that practice, so it is taken away",
                    )
                    .with_hint("build with --zip to make each practice's zip")
                    .warning(),
                );
            }
        }
    }

    // Practice outputs no manifest entry accounts for (left by a build
    // whose manifest was lost or distrusted): `--prune` cannot know them,
    // so the officer is told.
    for (name, is_folder) in &names {
        let slug = if *is_folder {
            Some(name.as_str())
        } else {
            name.strip_suffix(".zip")
        };
        if let Some(slug) = slug
            && slug != crate::utils::CHANGES_FOLDER
            && crate::config::rules::check_slug(slug).is_ok()
            && !manifest.practices.contains_key(slug)
            && !by_slug.contains_key(slug)
        {
            report.warnings.push(
                Diagnostic::file(
                    &out.join(name),
                    "no build recorded this (its manifest entry was lost), so it may be out of date",
                )
                .with_hint("delete it if that practice is no longer built; build its config to bring it up to date")
                .warning(),
            );
        }
    }

    // What this build changed, before the manifest: if the report cannot
    // be written, the manifest is not either, so the next build finds the
    // same changes and reports them.
    let wrote_files = report.done.iter().any(|d| !d.built.written.is_empty());
    let mut report_lost = false;
    if wrote_files {
        // Moved in and back out: a national build's rows are tens of MB.
        let changes = ChangeReport::new(chrono::Utc::now(), std::mem::take(&mut report.changes));
        let written = changes.write(&out_folder);
        report.changes = changes.practices;
        match written {
            Ok(written) => {
                manifest.record_report(written.name, written.sha256);
                report.change_report = Some(written.csv);
            }
            Err(error) => {
                report_lost = true;
                report.io_failed = true;
                report.io_errors.push(format!(
                    "{error:#}; the change report could not be written, so the manifest was left as it was: the next build will make these practices again and report them"
                ));
            }
        }
    }

    // The manifest records every practice whose files were all written;
    // if even it cannot be written (a full disk), say so and go on to say
    // what was built.
    manifest.tool_version = env!("CARGO_PKG_VERSION").to_string();
    manifest.keep_sets(templates.values().map(|t| (t.fingerprint(), t.set())));
    let bytes = manifest.to_bytes()?;
    // What the manifest and the record held when this build read them
    // answers, unless they have been written since.
    let unchanged = report_lost
        || read_back
            .as_ref()
            .and_then(|read| {
                read.published_is(&bytes, out_folder.file_metadata(manifest::FILE_NAME))
            })
            .unwrap_or_else(|| {
                // Another user's manifest is replaced, even if it reads
                // right: it is theirs to change after the build.
                out_folder
                    .read_with_stamp(manifest::FILE_NAME, manifest::MAX_BYTES, "manifest")
                    .is_ok_and(|(old, stamp)| {
                        old == bytes && stamp.is_some_and(|stamp| stamp.is_officers())
                    })
            });
    let published = if unchanged {
        Ok(())
    } else {
        out_folder.replace(manifest::FILE_NAME, &bytes).map(|_| ())
    };
    // Once the manifest is written: the officer's own record of it,
    // outside `out/`, and the index, each on a thread of its own.
    let index_template = &templates[&options.build.templates];
    let (recorded, indexed) = rayon::join(
        || match &published {
            Ok(()) if !report_lost => {
                let recorded = read_back
                    .as_ref()
                    .and_then(|read| read.record_is(&bytes))
                    .unwrap_or_else(|| {
                        super::record::read(out).is_some_and(|(_, old, _)| old == bytes)
                    });
                if recorded {
                    Ok(())
                } else {
                    super::record::write(out, &bytes)
                }
            }
            _ => Ok(()),
        },
        || index::write(&out_folder, out, &manifest, &bytes, index_template),
    );
    match published {
        Err(error) => {
            report.io_failed = true;
            report.io_errors.push(format!(
                "{error:#}; the next build will make again whatever this one wrote"
            ));
        }
        Ok(()) => {
            if let Err(error) = recorded {
                report.warnings.push(
                    Diagnostic::file(&manifest_path, format!("{error:#}"))
                        .with_hint("without it, the next build trusts out/manifest.json as far as its checks go")
                        .warning(),
                );
            }
        }
    }
    if let Err(error) = indexed {
        report.io_failed = true;
        report.io_errors.push(format!("{error:#}"));
    }
    drop_aside((manifest, replaced, practices, templates, bytes, read_back));
    Ok(report)
}

/// Frees `values` on a thread of its own. Freeing a national build's
/// values one at a time takes a fifth of a second, which a command-line
/// build does not wait for as it exits (and the web app does not wait for
/// either). If no thread can be started, they are freed here.
fn drop_aside<T: Send + 'static>(values: T) {
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(values));
}

/// A warning for each practice whose `key` another practice shares,
/// naming the others' configs.
fn shared_by_others(
    practices: &[Practice],
    key: impl Fn(&Practice) -> Option<String>,
    message: impl Fn(&Practice, &str) -> String,
    hint: &str,
) -> Vec<Diagnostic> {
    let mut by_key: HashMap<String, Vec<&Path>> = HashMap::new();
    for practice in practices {
        if let Some(k) = key(practice) {
            by_key.entry(k).or_default().push(&practice.path);
        }
    }
    practices
        .iter()
        .filter_map(|practice| {
            let others: Vec<String> = by_key
                .get(&key(practice)?)?
                .iter()
                .filter(|p| **p != practice.path)
                .map(|p| p.display().to_string())
                .collect();
            (!others.is_empty()).then(|| {
                Diagnostic::file(&practice.path, message(practice, &others.join(", ")))
                    .with_hint(hint)
                    .warning()
            })
        })
        .collect()
}

/// Deletes a removed practice's files. The manifest has been read with
/// distrust (only `<slug>/<stem>.<format>` and `<slug>.zip` survive), and
/// here nothing is followed out of `out`: a practice folder that is a link
/// is left alone, and a file that is a link is removed as a link, never its
/// target.
fn prune(out: &Folder, slug: &str, entry: &manifest::PracticeEntry) -> Result<(), String> {
    // A folder already gone leaves only its zip, if any, to take away.
    let folder = match out.has(slug) {
        true => Some(
            out.existing(slug)
                .map_err(|e| format!("not pruned: {e:#}"))?,
        ),
        false => None,
    };
    for file in &entry.files {
        debug_assert!(manifest::is_output_of(slug, &file.path));
        match (file.path.split_once('/'), &folder) {
            (Some((_, name)), Some(folder)) => folder.remove(name),
            (Some(_), None) => {}
            (None, _) => out.remove(&file.path),
        }
    }
    out.remove_empty(slug);
    Ok(())
}

/// Temporary files left by a build that was killed outright (`kill -9`).
fn remove_leftover_temp_files(out: &Folder) {
    let is_temp = |name: &str| name.starts_with(".policypack-") && name.ends_with(".tmp");
    for (name, is_folder) in out.names() {
        // A stopped build's staging folder, with what it holds.
        if is_folder && is_temp(&name) {
            out.remove_folder(&name);
            continue;
        }
        // A link to a folder elsewhere is not followed. Most folders hold
        // none (a build writes in its staging folder), so a folder is
        // opened to remove one only when one is there.
        if is_folder {
            let Some(names) = out.names_in(&name) else {
                continue;
            };
            if !names.iter().any(|inner| is_temp(inner)) {
                continue;
            }
            let Ok(folder) = out.existing(&name) else {
                continue;
            };
            for inner in names.iter().filter(|inner| is_temp(inner)) {
                folder.remove(inner);
            }
        } else if is_temp(&name) {
            out.remove(&name);
        }
    }
}
