//! The LMC officer's round, on the 40 active Doncaster practices of the real
//! ODS file: the LMC's phone and one practice's complaints lead change, and
//! the officer learns from `status`, the build, `changes` and the index
//! who must reprint what, and can tell the new copies from the old.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use crate::harness::{Sandbox, repo};
use crate::import::import_doncaster;
use crate::reference::manifest_refs;

const OLD_PHONE: &str = "0114 496 0400";
const NEW_PHONE: &str = "01302 123499";

/// Every file under `dir`, with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let meta = std::fs::metadata(&path).unwrap();
                files.insert(
                    path.display().to_string(),
                    (std::fs::read(&path).unwrap(), meta.modified().unwrap()),
                );
            }
        }
    }
    files
}

fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn an_lmc_officers_round() {
    let sandbox = Sandbox::new();
    let lmc =
        std::fs::read_to_string(repo().join("practice-configs/doncaster-lmc/_lmc.toml")).unwrap();
    assert!(lmc.contains(OLD_PHONE), "the example LMC's phone moved");
    sandbox.write("doncaster/_lmc.toml", &lmc);
    import_doncaster(&sandbox, &[]).expect_code(0);

    // One practice names its complaints lead.
    let mut configs: Vec<_> = std::fs::read_dir(sandbox.path().join("doncaster"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    configs.sort();
    assert_eq!(configs.len(), 40);
    let one = &configs[0];
    let one_slug = one.file_stem().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(one).unwrap();
    assert!(!text.contains("[complaints]"));
    std::fs::write(
        one,
        format!("{text}\n[complaints]\nlead_name = \"Jane Smith\"\n"),
    )
    .unwrap();

    sandbox
        .run(&["build", "doncaster", "--formats", "md,html,pdf"])
        .expect_code(0);
    let out = sandbox.path().join("out");
    let slugs_of = |dir: &Path| -> Vec<String> {
        let mut slugs: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir() && !p.ends_with("changes"))
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        slugs.sort();
        slugs
    };
    let old_refs: BTreeMap<String, BTreeMap<String, String>> = slugs_of(&out)
        .into_iter()
        .map(|slug| (slug.clone(), manifest_refs(&out, &slug)))
        .collect();
    assert_eq!(old_refs.len(), 40);

    // The LMC's phone changes for everyone; the one practice's lead changes.
    sandbox.write("doncaster/_lmc.toml", &lmc.replace(OLD_PHONE, NEW_PHONE));
    let text = std::fs::read_to_string(one).unwrap();
    std::fs::write(one, text.replace("Jane Smith", "Amir Khan")).unwrap();

    // Before the rebuild, status names the stale keys.
    let status = sandbox.run(&["status", "doncaster", "--format", "csv"]);
    status.expect_code(0);
    let rows = csv_rows(&status.stdout());
    assert_eq!(rows.len(), 40, "{}", status.stdout());
    for row in &rows {
        assert_eq!(row["outputs"], "stale", "{row:?}");
        assert!(row["changed_keys"].contains("lmc.phone"), "{row:?}");
        assert!(row["stale_documents"].contains("staff-handbook"), "{row:?}");
        let lead = row["slug"] == one_slug;
        assert_eq!(
            row["changed_keys"].contains("complaints.lead_name"),
            lead,
            "{row:?}"
        );
    }

    let rebuild = sandbox.run(&["build", "doncaster", "--formats", "md,html,pdf"]);
    rebuild.expect_code(0);
    assert!(
        rebuild.stdout().contains("40 practices: 40 built")
            && rebuild.stdout().contains("changes: out/changes/")
            && rebuild.stdout().contains("1 practice must reprint"),
        "{}",
        rebuild.stdout()
    );
    assert!(
        rebuild
            .stdout()
            .lines()
            .any(|l| l.starts_with(&format!("{one_slug}: "))
                && l.ends_with("(reprint; staff sign again)")),
        "{}",
        rebuild.stdout()
    );

    // The officer's list: exactly the 40, with documents, keys and values.
    let changes = sandbox.run(&["changes", "--format", "csv"]);
    changes.expect_code(0);
    let rows = csv_rows(&changes.stdout());
    assert_eq!(rows.len(), 40, "{}", changes.stdout());
    let slugs: std::collections::BTreeSet<_> = rows.iter().map(|r| r["slug"].clone()).collect();
    assert_eq!(slugs.len(), 40);
    for row in &rows {
        assert_eq!(row["ods_code"].len(), 6, "{row:?}");
        if row["slug"] == one_slug {
            assert_eq!(
                row["changed_keys"], "complaints.lead_name; lmc.phone",
                "{row:?}"
            );
            assert_eq!(
                row["old_values"],
                format!("Jane Smith; {OLD_PHONE}"),
                "{row:?}"
            );
            assert_eq!(
                row["new_values"],
                format!("Amir Khan; {NEW_PHONE}"),
                "{row:?}"
            );
            assert_eq!(
                row["documents"],
                "zero-tolerance-notice; complaints-leaflet; staff-handbook"
            );
            assert_eq!(row["reprint"], "yes");
            assert!(
                row["message"].starts_with(
                    "Please replace your printed zero-tolerance notice and complaints leaflet"
                ),
                "{row:?}"
            );
        } else {
            assert_eq!(row["changed_keys"], "lmc.phone", "{row:?}");
            assert_eq!(row["old_values"], OLD_PHONE);
            assert_eq!(row["new_values"], NEW_PHONE);
            assert_eq!(row["documents"], "staff-handbook", "{row:?}");
            assert_eq!(row["reprint"], "no", "{row:?}");
        }
        assert_eq!(row["sign_again"], "yes", "{row:?}");
    }
    // New copies can be told from the old: the references of what changed
    // differ, the rest stay, and the footers and the index print the new.
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for row in &rows {
        let slug = &row["slug"];
        let new = manifest_refs(&out, slug);
        let old = &old_refs[slug];
        for (stem, reference) in &new {
            let changed = row["changed_documents"].contains(stem.as_str());
            assert_eq!(reference != &old[stem], changed, "{slug} {stem}: {row:?}");
            assert!(
                index.contains(reference.as_str()),
                "index lacks {reference}"
            );
        }
        assert!(
            row["references"].contains(&format!("staff-handbook: {}", new["staff-handbook"])),
            "{row:?}"
        );
        assert_eq!(
            row["changed_documents"],
            if *slug == one_slug {
                "zero-tolerance-notice; complaints-leaflet; staff-handbook"
            } else {
                "staff-handbook"
            }
        );
    }
    let leaflet = out.join(&one_slug).join("complaints-leaflet.pdf");
    let text = Command::new("pdftotext")
        .arg(&leaflet)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8_lossy(&text.stdout);
    let new_ref = &manifest_refs(&out, &one_slug)["complaints-leaflet"];
    let old_ref = &old_refs[&one_slug]["complaints-leaflet"];
    assert_ne!(new_ref, old_ref);
    assert!(
        text.contains(new_ref.as_str()) && !text.contains(old_ref.as_str()),
        "{text}"
    );

    // The same, kept on disk for a mail merge.
    let reports: Vec<_> = std::fs::read_dir(sandbox.path().join("out/changes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        reports.len(),
        4,
        "two builds, each .csv and .json: {reports:?}"
    );

    // The index finds a practice by its ODS code.
    let ods = rows
        .iter()
        .find(|r| r["slug"] == one_slug)
        .map(|r| (r["ods_code"].clone(), r["name"].clone()))
        .unwrap();
    let search = Command::new("node")
        .arg(repo().join("tests/a11y/search.mjs"))
        .arg(sandbox.path().join("out/index.html"))
        .arg(ods.0.to_lowercase())
        .arg(&ods.1)
        .output()
        .expect("node runs (see .ci/run)");
    assert!(
        search.status.success(),
        "{}{}",
        String::from_utf8_lossy(&search.stdout),
        String::from_utf8_lossy(&search.stderr)
    );

    // A refresh from ODS, dry: nothing on disk changes.
    let before = snapshot(&sandbox.path().join("doncaster"));
    let dry = import_doncaster(&sandbox, &["--update", "--dry-run"]);
    dry.expect_code(0);
    assert_eq!(before, snapshot(&sandbox.path().join("doncaster")));
}

/// The index's search, in Chromium, as people type: without the accent of
/// "Tŷ", or a postcode without its space; and a search that finds nothing
/// says so.
#[test]
fn the_index_search_forgives_accents_and_spaces() {
    let sandbox = Sandbox::new();
    let configs = repo().join("practice-configs");
    sandbox
        .run(&["build", configs.to_str().unwrap(), "--formats", "md"])
        .expect_code(0);
    let index = sandbox.path().join("out/index.html");
    for (query, name) in [
        ("ty gwyn", "Meddygfa Tŷ Gwyn"),
        ("Tŷ Gwyn", "Meddygfa Tŷ Gwyn"),
        ("dn85aa", "Thorne Moor Surgery"),
        ("thorne dn8", "Thorne Moor Surgery"),
        // Nothing found: the page says so.
        ("no such place", ""),
    ] {
        let search = Command::new("node")
            .arg(repo().join("tests/a11y/search.mjs"))
            .arg(&index)
            .arg(query)
            .args((!name.is_empty()).then_some(name))
            .output()
            .expect("node runs (see .ci/run)");
        assert!(
            search.status.success(),
            "{query}: {}{}",
            String::from_utf8_lossy(&search.stdout),
            String::from_utf8_lossy(&search.stderr)
        );
    }
}
