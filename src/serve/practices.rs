//! The list of practices, one practice's page, and its files, built on
//! demand by the same incremental build as `policypack build`.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use rayon::prelude::*;
use serde::Deserialize;

use super::{App, Who, blocking, pages};
use crate::cmd::status;
use crate::config::Practice;
use crate::content::DocKind;
use crate::content::context::long_date;
use crate::pack::batch::{self, BatchOptions};
use crate::pack::build::BuildOptions;
use crate::pack::manifest::Manifest;
use crate::render::Format;
use crate::render::edition::EditionName;

/// The largest built file served: a handbook PDF is a few hundred KB, a
/// practice's zip a few MB.
const MAX_FILE: u64 = 64 * 1024 * 1024;

#[derive(Deserialize)]
pub struct Search {
    q: Option<String>,
}

/// `GET /`: every practice as `status` shows it, overdue first, with a
/// search by name, slug, ODS code or postcode.
pub async fn list(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Who>,
    Query(search): Query<Search>,
) -> Response {
    if let Who::Practice { config, .. } = &who {
        // A practice's link opens its own page.
        let config = config.clone();
        let app2 = app.clone();
        let found = blocking(move || app2.load(&config)).await;
        return match found {
            Ok(Some(practice)) if !who.may_open(&practice.path, &super::Seen::of(&practice)) => {
                pages::forbidden()
            }
            Ok(Some(practice)) => {
                Redirect::to(&format!("/practices/{}", practice.slug)).into_response()
            }
            _ => Redirect::to(&format!("/practices/{}/edit", super::form::MINE)).into_response(),
        };
    }
    let dir = app.dir.clone();
    let out = app.out.clone();
    let today = chrono::Local::now().date_naive();
    let collected = match blocking(move || status::collect(&[dir], &out, None, today)).await {
        Ok(Ok(collected)) => collected,
        Ok(Err(error)) => return pages::failed(&format!("{error:#}")),
        Err(response) => return response,
    };
    let query = search.q.unwrap_or_default();
    let needle = query.trim().to_lowercase();
    let rows: Vec<serde_json::Value> = collected
        .rows
        .iter()
        .filter(|row| needle.is_empty() || matches(&row.practice, &needle))
        .map(|row| {
            serde_json::json!({
                "slug": row.practice.slug,
                "name": row.practice.name(),
                "issued": long_date(row.practice.issued),
                "review_due": long_date(row.practice.review_due),
                "overdue": row.overdue,
                "days_overdue": (today - row.practice.review_due).num_days(),
                "outputs": row.state.outputs.word(),
                "why": row.state.reason(),
            })
        })
        .collect();
    let problems: Vec<serde_json::Value> = collected
        .problems
        .iter()
        .map(|p| {
            serde_json::json!({
                "file": shown_file(&app, &p.path),
                "key": p.key,
                "message": p.message,
                "hint": p.hint,
                "warning": p.is_warning(),
            })
        })
        .collect();
    let mut context = tera::Context::new();
    context.insert("title", "Practices");
    context.insert("rows", &rows);
    context.insert("total", &collected.rows.len());
    context.insert("query", &query);
    context.insert("problems", &problems);
    context.insert("today", &long_date(today));
    app.pages.page(StatusCode::OK, "list.html", &context)
}

fn matches(practice: &Practice, needle: &str) -> bool {
    let p = &practice.config.practice;
    practice.name().to_lowercase().contains(needle)
        || practice.slug.contains(needle)
        || p.ods_code
            .as_deref()
            .is_some_and(|c| c.to_lowercase() == needle)
        || p.postcode.to_lowercase().starts_with(needle)
}

/// A file's path as shown on a page: relative to the served folder.
pub fn shown_file(app: &App, path: &std::path::Path) -> String {
    path.strip_prefix(&app.dir)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The practice whose slug this is, if this person may open it: the
/// config is found by loading the configs below the served folder, never
/// by making a path of the URL.
pub async fn find(app: &Arc<App>, who: &Who, slug: &str) -> Result<Arc<Practice>, Response> {
    if crate::config::rules::check_slug(slug).is_err() {
        return Err(pages::not_found());
    }
    // The config that had this slug last time, if it still has: one file
    // read, not every config (the reply page is used all day).
    let cached = app.slugs.lock().ok().and_then(|s| s.get(slug).cloned());
    if let Some(path) = cached {
        let wanted = slug.to_string();
        let app2 = app.clone();
        let loaded = blocking(move || app2.load(&path)).await?;
        if let Some(practice) = loaded.filter(|p| p.slug == wanted) {
            if !who.may_open(&practice.path, &super::Seen::of(&practice)) {
                return Err(pages::forbidden());
            }
            return Ok(practice);
        }
    }
    let Some(practice) = owners(app).await?.remove(slug) else {
        return Err(pages::not_found());
    };
    if !who.may_open(&practice.path, &super::Seen::of(&practice)) {
        return Err(pages::forbidden());
    }
    Ok(practice)
}

/// Each slug's practice, as `build` decides whose a slug is: the config
/// that alone claims it, or of two that claim it, the one that built its
/// folder (and if neither did, neither). Every config below the served
/// folder is loaded.
pub async fn owners(
    app: &Arc<App>,
) -> Result<std::collections::HashMap<String, Arc<Practice>>, Response> {
    let app2 = app.clone();
    let found = blocking(move || -> anyhow::Result<Vec<Arc<Practice>>> {
        let files = crate::pack::discover::practice_files(std::slice::from_ref(&app2.dir))?;
        Ok(files
            .par_iter()
            .filter_map(|path| app2.load(path))
            .collect())
    })
    .await?
    .map_err(|error| pages::failed(&format!("{error:#}")))?;
    // Every slug one config alone claims; two configs claiming one slug
    // are both refused, as `build` refuses them.
    let mut by_slug: std::collections::HashMap<String, Vec<Arc<Practice>>> = Default::default();
    for practice in found {
        by_slug
            .entry(practice.slug.clone())
            .or_default()
            .push(practice);
    }
    // A slug two configs claim belongs, as `build` decides, to the config
    // that built its folder; if neither did, to neither.
    let out = app.out.clone();
    let manifest = blocking(move || Manifest::read(&out).0).await?;
    let owner = |s: &str, claimants: &[Arc<Practice>]| -> Option<Arc<Practice>> {
        match claimants {
            [only] => Some(only.clone()),
            _ => {
                let entry = manifest.practices.get(s)?;
                claimants
                    .iter()
                    .find(|p| entry.built_by(p.recorded_config(), p.owner))
                    .cloned()
            }
        }
    };
    let owners: std::collections::HashMap<String, Arc<Practice>> = by_slug
        .iter()
        .filter_map(|(s, claimants)| Some((s.clone(), owner(s, claimants)?)))
        .collect();
    if let Ok(mut slugs) = app.slugs.lock() {
        slugs.clear();
        for (s, owner) in &owners {
            slugs.insert(s.clone(), owner.path.clone());
        }
    }
    Ok(owners)
}

/// The practice with this slug, if this person may open it, and its files
/// built now.
async fn find_and_build(
    app: &Arc<App>,
    who: &Who,
    slug: &str,
) -> Result<(Arc<Practice>, batch::Report), Response> {
    let practice = find(app, who, slug).await?;
    let report = build(app, practice.path.clone()).await?;
    Ok((practice, report))
}

/// Builds one practice's files as `policypack build CONFIG --formats
/// md,html,pdf,docx --editions standard,large-print --zip` would.
pub async fn build(app: &Arc<App>, config: PathBuf) -> Result<batch::Report, Response> {
    let _one_at_a_time = app.building.lock().await;
    let out = app.out.clone();
    let report = blocking(move || {
        let options = BatchOptions {
            build: BuildOptions {
                out,
                docs: DocKind::ALL.to_vec(),
                formats: Format::ALL.to_vec(),
                editions: vec![EditionName::Standard, EditionName::LargePrint],
                templates: None,
                force: false,
                zip: true,
                deny_warnings: false,
            },
            jobs: Some(2),
            prune: false,
            progress: false,
            wait: true,
            deny_warnings: false,
        };
        batch::run(&[config], &options)
    })
    .await?;
    report.map_err(|error| pages::failed(&format!("the build could not run: {error:#}")))
}

/// `GET /practices/{slug}`: its documents, built now if anything changed,
/// with previews, downloads and what the build changed.
pub async fn show(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Who>,
    Path(slug): Path<String>,
) -> Response {
    let (practice, report) = match find_and_build(&app, &who, &slug).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let mut context = tera::Context::new();
    context.insert("title", practice.name());
    context.insert("slug", &practice.slug);
    context.insert("sees_all", &who.sees_all());
    context.insert("file", &shown_file(&app, &practice.path));
    context.insert("issued", &long_date(practice.issued));
    context.insert("review_due", &long_date(practice.review_due));
    context.insert(
        "overdue",
        &(chrono::Local::now().date_naive() > practice.review_due),
    );
    let problems: Vec<serde_json::Value> = report
        .failed
        .iter()
        .flat_map(|(_, problems)| problems)
        .chain(&practice.warnings)
        .map(|p| {
            serde_json::json!({
                "key": p.key,
                "message": p.message,
                "hint": p.hint,
                "warning": p.is_warning(),
            })
        })
        .collect();
    context.insert("problems", &problems);
    if report.interrupted {
        return app.pages.message(
            StatusCode::SERVICE_UNAVAILABLE,
            "The web app is stopping",
            "The web app is being stopped. Try again in a minute.",
        );
    }
    let (manifest, _) = Manifest::read(&app.out);
    let entry = manifest
        .practices
        .get(&practice.slug)
        .filter(|entry| entry.built_by(practice.recorded_config(), practice.owner));
    let built = entry.is_some() && report.failed.is_empty();
    context.insert("built", &built);
    if let Some(entry) = entry {
        let documents: Vec<serde_json::Value> = DocKind::ALL
            .into_iter()
            .filter(|kind| entry.documents.contains_key(kind.stem()))
            .map(|kind| {
                let prefix = format!("{}/{}.", practice.slug, kind.stem());
                let large = format!("{}/{}.large-print.", practice.slug, kind.stem());
                let mut files: Vec<&crate::pack::manifest::FileEntry> = entry
                    .files
                    .iter()
                    .filter(|f| f.path.starts_with(&prefix) || f.path.starts_with(&large))
                    .collect();
                // PDF first, then Word, the web page and the text; large
                // print after the standard edition.
                files.sort_by_key(|f| {
                    let format = ["pdf", "docx", "html", "md"]
                        .iter()
                        .position(|e| f.path.ends_with(&format!(".{e}")))
                        .unwrap_or(4);
                    (f.path.contains(".large-print."), format)
                });
                let files: Vec<serde_json::Value> = files
                    .into_iter()
                    .map(|f| {
                        let name = f.path.rsplit('/').next().unwrap_or(&f.path);
                        serde_json::json!({
                            "name": name,
                            "label": file_label(name),
                            "size": size(f.bytes),
                        })
                    })
                    .collect();
                serde_json::json!({
                    "title": kind.title(),
                    "stem": kind.stem(),
                    "reference": entry.references.get(kind.stem()),
                    "files": files,
                })
            })
            .collect();
        context.insert("documents", &documents);
        let zip = format!("{}.zip", practice.slug);
        context.insert(
            "zip",
            &entry
                .files
                .iter()
                .find(|f| f.path == zip)
                .map(|f| serde_json::json!({ "name": zip, "size": size(f.bytes) })),
        );
    }
    // The newest change report that names this practice.
    let out = app.out.clone();
    let wanted = practice.slug.clone();
    let latest = blocking(move || {
        let (manifest, _) = Manifest::read(&out);
        let (found, _) = crate::pack::changes::find(&out);
        // An older report must not stand in for the newest, deleted since.
        let newest = match crate::pack::changes::newest(&manifest, &found) {
            crate::pack::changes::Newest::At(at) => at,
            crate::pack::changes::Newest::None => return None,
            crate::pack::changes::Newest::Missing(_) => {
                return Some(serde_json::json!({ "missing": true }));
            }
        };
        found[..=newest]
            .iter()
            .enumerate()
            .rev()
            .take(20)
            .find_map(|(i, report)| {
                let (read, _) = report.read(&manifest, i == newest).ok()?;
                let change = read.practices.into_iter().find(|c| c.slug == wanted)?;
                Some(serde_json::json!({
                    "built_at": read.built_at,
                    "change": change,
                }))
            })
    })
    .await
    .ok()
    .flatten();
    context.insert("latest", &latest);
    app.pages.page(StatusCode::OK, "practice.html", &context)
}

/// "PDF", "Word, large print".
fn file_label(name: &str) -> String {
    let large = name.contains(".large-print.");
    let kind = match name.rsplit('.').next() {
        Some("pdf") => "PDF, to print",
        Some("docx") => "Word, to edit",
        Some("html") => "web page",
        Some("md") => "plain text (Markdown)",
        _ => "file",
    };
    if large {
        format!("{kind}, large print")
    } else {
        kind.to_string()
    }
}

fn size(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// `GET /practices/{slug}/files/{file}`: one built file, built first if
/// anything changed. The name is looked up among the files the manifest
/// records for this practice, and the bytes must be the ones recorded.
pub async fn file(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Who>,
    Path((slug, file)): Path<(String, String)>,
) -> Response {
    if !known_file_name(&slug, &file) {
        return pages::not_found();
    }
    let (practice, report) = match find_and_build(&app, &who, &slug).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !report.failed.is_empty() {
        return app.pages.message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "This practice's documents cannot be built",
            "Its config has errors. Open the practice's page to see them, and correct them with \"Edit details\".",
        );
    }
    let wanted = if file.ends_with(".zip") {
        file.clone()
    } else {
        format!("{slug}/{file}")
    };
    let out = app.out.clone();
    let config = practice.recorded_config().to_string();
    let owner = practice.owner;
    let read = blocking(move || -> Option<Vec<u8>> {
        let (manifest, _) = Manifest::read(&out);
        let entry = manifest.practices.get(&slug)?;
        if !entry.built_by(&config, owner) {
            return None;
        }
        let recorded = entry.files.iter().find(|f| f.path == wanted)?;
        let bytes =
            crate::input::read_written(&out.join(&recorded.path), MAX_FILE, "built file").ok()?;
        (crate::utils::sha256(&bytes) == recorded.sha256).then_some(bytes)
    })
    .await;
    let Ok(Some(bytes)) = read else {
        return pages::not_found();
    };
    let content_type = match file.rsplit('.').next() {
        Some("pdf") => "application/pdf",
        Some("html") => "text/html; charset=utf-8",
        Some("md") => "text/markdown; charset=utf-8",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    };
    // Web pages and PDFs open in the browser; the rest are saved.
    let disposition = if matches!(content_type, "application/pdf" | "text/html; charset=utf-8") {
        format!("inline; filename=\"{file}\"")
    } else {
        format!("attachment; filename=\"{file}\"")
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// Whether `file` is a name a build of `slug` writes: a document stem, an
/// edition suffix and a format, or the practice's zip.
fn known_file_name(slug: &str, file: &str) -> bool {
    if file == format!("{slug}.zip") {
        return true;
    }
    DocKind::ALL.into_iter().any(|kind| {
        [EditionName::Standard, EditionName::LargePrint]
            .into_iter()
            .any(|edition| {
                Format::ALL
                    .into_iter()
                    .any(|format| format.file_name(kind, edition.edition()) == file)
            })
    })
}
