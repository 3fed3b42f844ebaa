//! `OUT/index.html`: every practice in the manifest, with links to its
//! files and its review date, as one accessible page.

use rayon::prelude::*;
use serde_json::json;
use sha2::Digest as _;

use std::path::Path;

use super::manifest::{Manifest, Stamp};
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
    practices.sort_by_cached_key(|(slug, entry)| (entry.name.to_lowercase(), *slug));
    let rows: Vec<_> = practices
        .par_iter()
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
    // The rows are moved in: `json!` would copy them (tens of MB nationally).
    let mut context = serde_json::Map::new();
    context.insert("practices".into(), serde_json::Value::Array(rows));
    context.insert("documents".into(), documents.into());
    context.insert("lmc".into(), lmc.into());
    context.insert("accent".into(), accent.into());
    context.insert("search_script".into(), SEARCH_SCRIPT.into());
    context.insert("script_hash".into(), format!("sha256-{script_hash}").into());
    let context = tera::Context::from_value(context.into())?;
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

/// What the index last written for an output folder was made from, and the
/// file written, kept in the officer's own record folder (see
/// [`super::record`]), where no practice can write.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Made {
    /// The SHA-256 of the manifest, the day, the templates and policypack.
    inputs: String,
    /// The index file written from them.
    file: Stamp,
}

/// Writes the index of `out` unless it is already as it would be.
/// `manifest_bytes` is `manifest` as written. When the officer's record
/// says the index was made from these same inputs, and the file there is
/// still the one written then (the officer's, with its size, times and
/// inode; the change time is set by the kernel alone), the index is not
/// made again: nationally, rendering it was a third of a build with
/// nothing to do.
pub fn write(
    out: &Folder,
    out_path: &Path,
    manifest: &Manifest,
    manifest_bytes: &[u8],
    templates: &Templates,
) -> anyhow::Result<bool> {
    let today = chrono::Local::now().date_naive();
    let inputs = {
        let mut hash = sha2::Sha256::new();
        for part in [
            manifest_bytes,
            today.to_string().as_bytes(),
            templates.fingerprint().as_bytes(),
            env!("CARGO_PKG_VERSION").as_bytes(),
        ] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part);
        }
        crate::utils::hex(&hash.finalize())
    };
    let record = super::record::index_record(out_path);
    let made = record
        .as_deref()
        .and_then(|path| crate::input::read_written(path, 4096, "index record").ok())
        .and_then(|bytes| serde_json::from_slice::<Made>(&bytes).ok());
    let current = out.file_metadata(FILE_NAME);
    if let (Some(made), Some(stamp)) = (&made, current)
        && made.inputs == inputs
        && made.file == stamp
    {
        return Ok(false);
    }
    let (written, stamp) = write_html(out, &render(manifest, templates, today)?)?;
    if let (Some(path), Some(stamp)) = (record, stamp) {
        // Without it, the next build makes the index again: no harm.
        let made = serde_json::to_vec(&Made {
            inputs,
            file: stamp,
        })?;
        let _ = crate::utils::fs::atomic(&path, &made);
    }
    Ok(written)
}

/// Writes `html` as the index unless the file there already holds it;
/// whether it wrote, and the size and times of the file that holds it,
/// read from that file itself.
fn write_html(out: &Folder, html: &str) -> anyhow::Result<(bool, Option<Stamp>)> {
    // Only a regular file no larger than the new index is read back: one
    // planted in its place (a FIFO, a link to /dev/zero, a folder) is
    // replaced unread.
    // Kept only if it is this user's file: one someone else wrote, even
    // with the same words, is theirs to change later.
    if let Ok((old, Some(stamp))) = out.read_with_stamp(FILE_NAME, html.len() as u64, "index")
        && stamp.is_mine()
        && old == html.as_bytes()
    {
        return Ok((false, Some(stamp)));
    }
    let stamp = out.replace(FILE_NAME, html.as_bytes())?;
    Ok((true, Some(stamp)))
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
                        inode: None,
                        owner: None,
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
