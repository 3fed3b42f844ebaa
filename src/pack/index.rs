//! `OUT/index.html`: every practice in the manifest, with links to its
//! files and its review date, as one accessible page.

use std::path::Path;

use serde_json::json;

use super::manifest::Manifest;
use crate::content::context::long_date;
use crate::content::{DocKind, Templates};
use crate::render::{EditionName, Format};

pub const FILE_NAME: &str = "index.html";

/// Each file a document may have, as the index names it.
const LABELS: [(EditionName, Format, &str); 6] = [
    (EditionName::Standard, Format::Pdf, "PDF"),
    (EditionName::LargePrint, Format::Pdf, "Large print PDF"),
    (EditionName::Standard, Format::Html, "Web page"),
    (EditionName::Standard, Format::Docx, "Word"),
    (EditionName::LargePrint, Format::Docx, "Large print Word"),
    (EditionName::Standard, Format::Md, "Markdown"),
];

/// The index page for `manifest`.
pub fn render(manifest: &Manifest, templates: &Templates) -> anyhow::Result<String> {
    let mut practices: Vec<_> = manifest.practices.iter().collect();
    practices.sort_by(|a, b| {
        a.1.name
            .to_lowercase()
            .cmp(&b.1.name.to_lowercase())
            .then(a.0.cmp(b.0))
    });
    let rows: Vec<_> = practices
        .iter()
        .map(|(slug, entry)| {
            let documents: Vec<_> = DocKind::ALL
                .iter()
                .map(|kind| {
                    // In the order a practice manager looks for them.
                    let files: Vec<_> = LABELS
                        .iter()
                        .filter_map(|&(edition, format, label)| {
                            let path =
                                format!("{slug}/{}", format.file_name(*kind, edition.edition()));
                            entry
                                .files
                                .iter()
                                .find(|f| f.path == path)
                                .map(|f| json!({ "href": href(&f.path), "label": label }))
                        })
                        .collect();
                    // "Ref 3F9A-21C0", as printed on the document's copies.
                    let reference = entry.reference(*kind).map(|r| r.to_string());
                    json!({ "title": kind.title(), "files": files, "reference": reference })
                })
                .collect();
            let zip = entry
                .files
                .iter()
                .find(|f| f.path.ends_with(".zip"))
                .map(|f| href(&f.path));
            json!({
                "name": entry.name,
                "documents": documents,
                "zip": zip,
                "issued": date_words(&entry.issued),
                "review_due": date_words(&entry.review_due),
            })
        })
        .collect();
    let documents: Vec<_> = DocKind::ALL
        .iter()
        .map(|k| json!({ "title": k.title() }))
        .collect();
    let context = tera::Context::from_value(json!({ "practices": rows, "documents": documents }))?;
    templates.render_at_most(
        FILE_NAME,
        &context,
        crate::content::templates::MAX_INDEX_BYTES,
    )
}

/// A file path as a relative link, each segment percent-encoded.
fn href(path: &str) -> String {
    path.split('/')
        .map(|segment| url::form_urlencoded::byte_serialize(segment.as_bytes()).collect::<String>())
        .collect::<Vec<_>>()
        .join("/")
}

fn date_words(iso: &str) -> String {
    iso.parse()
        .map(long_date)
        .unwrap_or_else(|_| iso.to_string())
}

/// Writes the index unless it is already as it would be.
pub fn write(out: &Path, manifest: &Manifest, templates: &Templates) -> anyhow::Result<bool> {
    let html = render(manifest, templates)?;
    let path = out.join(FILE_NAME);
    if std::fs::read(&path).is_ok_and(|old| old == html.as_bytes()) {
        return Ok(false);
    }
    super::write::atomic(&path, html.as_bytes())?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::manifest::{FileEntry, PracticeEntry};

    /// Every practice in England, with nine files each, fits the index.
    #[test]
    fn an_index_of_every_practice_in_england_renders() {
        let templates = Templates::load(None).unwrap();
        let mut manifest = Manifest::default();
        for i in 0..7000 {
            let slug = format!("the-long-named-medical-practice-number-{i}");
            let files = DocKind::ALL
                .iter()
                .flat_map(|kind| {
                    [Format::Pdf, Format::Html, Format::Md].map(|format| FileEntry {
                        path: format!(
                            "{slug}/{}",
                            format.file_name(*kind, EditionName::Standard.edition())
                        ),
                        sha256: String::new(),
                        bytes: 1,
                        fingerprint: String::new(),
                        modified: None,
                    })
                })
                .collect();
            manifest.practices.insert(
                slug.clone(),
                PracticeEntry {
                    config: format!("configs/{slug}.toml"),
                    name: format!("The Long Named Medical Practice Number {i}"),
                    issued: "2026-11-01".into(),
                    review_due: "2027-11-01".into(),
                    fingerprint: String::new(),
                    documents: Default::default(),
                    references: DocKind::ALL
                        .iter()
                        .map(|kind| (kind.stem().to_string(), "3F9A-21C0".to_string()))
                        .collect(),
                    values: Default::default(),
                    files,
                },
            );
        }
        let html = render(&manifest, &templates).unwrap();
        assert!(html.len() > 4 * 1024 * 1024, "{} bytes", html.len());
    }
}
