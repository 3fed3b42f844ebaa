//! `OUT/index.html`: every practice in the manifest, with links to its
//! files and its review date, as one accessible page.

use serde_json::json;
use sha2::Digest as _;

use super::manifest::Manifest;
use super::write::Folder;
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

/// Filters the table as the officer types: rows whose name, ODS code,
/// town or postcode contain every word typed. Without it (scripts off, or a
/// CSP that does not allow it) the page lists every practice, and the
/// search box stays hidden.
const SEARCH_SCRIPT: &str = r#"
(function () {
  var form = document.getElementById('search');
  var box = document.getElementById('q');
  var rows = document.querySelectorAll('tbody tr[data-search]');
  var count = document.getElementById('shown');
  form.hidden = false;
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  box.addEventListener('input', function () {
    var typed = box.value.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    var words = typed.split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute('data-search');
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    count.textContent = !words.length ? ''
      : shown ? shown + ' of ' + rows.length + ' practices shown'
      : 'No practice matches \u201c' + box.value.trim() + '\u201d';
  });
})();
"#;

/// The index page for `manifest`.
pub fn render(
    manifest: &Manifest,
    templates: &Templates,
    today: chrono::NaiveDate,
) -> anyhow::Result<String> {
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
                    let reference = entry
                        .reference(*kind)
                        .filter(|_| !files.is_empty())
                        .map(|r| r.to_string());
                    json!({ "title": kind.title(), "files": files, "reference": reference })
                })
                .collect();
            let zip = entry
                .files
                .iter()
                .find(|f| f.path.ends_with(".zip"))
                .map(|f| href(&f.path));
            let value = |key: &str| entry.values.get(key).map(String::as_str).unwrap_or("");
            let address: Vec<String> =
                serde_json::from_str(value("practice.address")).unwrap_or_default();
            let town = address.last().cloned().unwrap_or_default();
            // Also as typed without accents ("ty gwyn" finds "Tŷ Gwyn") and
            // the postcode without its space ("dn85aa").
            let plain = crate::config::rules::slugify(&entry.name)
                .unwrap_or_default()
                .replace('-', " ");
            let postcode = value("practice.postcode");
            let search = [
                entry.name.as_str(),
                &plain,
                value("practice.ods_code"),
                &town,
                postcode,
                &postcode.replace(' ', ""),
            ]
            .join(" ")
            .to_lowercase();
            json!({
                "name": entry.name,
                "ods_code": value("practice.ods_code"),
                "town": town,
                "search": search,
                "documents": documents,
                "zip": zip,
                "issued": date_words(&entry.issued),
                "review_due": date_words(&entry.review_due),
                // As `status` says it: past its review date on the day the
                // index was made.
                "overdue": entry
                    .review_due
                    .parse::<chrono::NaiveDate>()
                    .is_ok_and(|due| today > due),
                "changed": date_words(&entry.changed),
            })
        })
        .collect();
    let documents: Vec<_> = DocKind::ALL
        .iter()
        .map(|k| json!({ "title": k.title() }))
        .collect();
    let lmc = shared_by_all(manifest, "lmc.name");
    let accent = shared_by_all(manifest, "branding.accent_colour")
        .filter(|c| crate::config::rules::check_accent_colour(c).is_ok())
        .map(|c| c.to_ascii_lowercase())
        .unwrap_or_else(|| crate::config::DEFAULT_ACCENT.to_ascii_lowercase());
    let script_hash = {
        use base64::Engine as _;
        let digest = sha2::Sha256::digest(SEARCH_SCRIPT.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(digest)
    };
    let context = tera::Context::from_value(json!({
        "practices": rows,
        "documents": documents,
        "lmc": lmc,
        "accent": accent,
        "search_script": SEARCH_SCRIPT,
        "script_hash": format!("sha256-{script_hash}"),
    }))?;
    templates.render_at_most(
        FILE_NAME,
        &context,
        crate::content::templates::MAX_INDEX_BYTES,
    )
}

/// The value of `key` that every practice shares (the shared defaults'),
/// if there is one. Not the most common: practices that set their own
/// could then choose the name and colour every other practice's index
/// shows. One practice's own colour, or a folder of several LMCs, names
/// no LMC and keeps the default colour.
fn shared_by_all(manifest: &Manifest, key: &str) -> Option<String> {
    let mut values = manifest
        .practices
        .values()
        .map(|entry| entry.values.get(key).filter(|v| !v.trim().is_empty()));
    let first = values.next()??;
    values
        .all(|value| value == Some(first))
        .then(|| first.to_string())
}

/// A file path as a relative link, each segment percent-encoded.
fn href(path: &str) -> String {
    path.split('/')
        .map(|segment| url::form_urlencoded::byte_serialize(segment.as_bytes()).collect::<String>())
        .collect::<Vec<_>>()
        .join("/")
}

fn date_words(iso: &str) -> String {
    if iso.is_empty() {
        return String::new();
    }
    iso.parse()
        .map(long_date)
        .unwrap_or_else(|_| iso.to_string())
}

/// Writes the index unless it is already as it would be.
pub fn write(out: &Folder, manifest: &Manifest, templates: &Templates) -> anyhow::Result<bool> {
    let html = render(manifest, templates, chrono::Local::now().date_naive())?;
    // Only a regular file no larger than the new index is read back: one
    // planted in its place (a FIFO, a link to /dev/zero, a folder) is
    // replaced unread.
    let same = out
        .read(FILE_NAME, html.len() as u64, "index")
        .is_ok_and(|old| old == html.as_bytes());
    if same {
        return Ok(false);
    }
    out.replace(FILE_NAME, html.as_bytes())?;
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
                        changed: None,
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
                    references: DocKind::ALL
                        .iter()
                        .map(|kind| (kind.stem().to_string(), "3F9A-21C0".to_string()))
                        .collect(),
                    files,
                    ..PracticeEntry::default()
                },
            );
        }
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let html = render(&manifest, &templates, today).unwrap();
        assert!(html.len() > 4 * 1024 * 1024, "{} bytes", html.len());
    }

    /// Two practices of three setting their own LMC name and colour do not
    /// choose what the third's index shows.
    #[test]
    fn the_lmc_is_named_only_when_every_practice_shares_it() {
        let practice = |lmc: &str| PracticeEntry {
            values: [("lmc.name".to_string(), lmc.to_string())].into(),
            ..PracticeEntry::default()
        };
        let mut manifest = Manifest::default();
        for (slug, lmc) in [("a", "Doncaster LMC"), ("b", "Doncaster LMC")] {
            manifest.practices.insert(slug.into(), practice(lmc));
        }
        assert_eq!(
            shared_by_all(&manifest, "lmc.name").as_deref(),
            Some("Doncaster LMC")
        );
        manifest.practices.insert("c".into(), practice("Evil LMC"));
        manifest.practices.insert("d".into(), practice("Evil LMC"));
        manifest.practices.insert("e".into(), practice("Evil LMC"));
        assert_eq!(shared_by_all(&manifest, "lmc.name"), None);
        assert_eq!(shared_by_all(&manifest, "branding.accent_colour"), None);
    }
}
