//! Pages that keep together what belongs together (SPEC §7): a phone
//! number, a postcode, "Dr A Patel" never broken across lines, in PDF,
//! Word and the web page; a contact's name never left at the foot of a
//! page without its details; a model reply never parted from its
//! sign-off. Read back from the files of every example practice and the
//! longest fixtures, standard and large print.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::harness::{Sandbox, practice_files, repo};

/// Every example practice and the longest fixtures, every document in
/// PDF, Word and HTML, standard and large print, built once.
fn built() -> &'static Path {
    static BUILT: OnceLock<Sandbox> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let sandbox = Sandbox::new();
            let configs = sandbox.path().join("configs");
            std::fs::create_dir_all(&configs).unwrap();
            for entry in std::fs::read_dir(repo().join("practice-configs")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "toml") {
                    std::fs::copy(&path, configs.join(path.file_name().unwrap())).unwrap();
                }
            }
            for fixture in ["longest", "longest-wales"] {
                let from = repo().join("tests/fixtures/valid").join(fixture);
                let to = configs.join(fixture);
                std::fs::create_dir_all(&to).unwrap();
                for name in ["practice.toml", "logo.png"] {
                    std::fs::copy(from.join(name), to.join(name)).unwrap();
                }
            }
            sandbox
                .run(&[
                    "build",
                    "configs",
                    "--formats",
                    "pdf,docx,html",
                    "--editions",
                    "standard,large-print",
                ])
                .expect_code(0);
            sandbox
        })
        .path()
}

fn files(extension: &str) -> Vec<PathBuf> {
    practice_files(&built().join("out"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect()
}

#[test]
fn no_number_or_name_is_split_and_contacts_and_replies_keep_together() {
    let pdfs = files("pdf");
    // 6 practices: the notice and leaflet in 2 editions, the handbook
    // (for staff) in standard print.
    assert_eq!(pdfs.len(), 30, "{pdfs:?}");
    let mut broken = Vec::new();
    for file in crate::pdf::read_back("keep.py", &pdfs) {
        let splits = file["splits"].as_array().unwrap();
        let apart = file["apart"].as_array().unwrap();
        if !splits.is_empty() || !apart.is_empty() {
            broken.push(file);
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

/// Word and the web page get the same no-break spaces as the PDF: a phone
/// number or postcode with a plain space in it could break anywhere. And
/// Word keeps each table row whole, as the PDF does.
#[test]
fn word_and_web_pages_never_break_a_phone_number_or_postcode() {
    let breakable =
        regex::Regex::new(r"\b0\d{2,4} \d{3,4}\b|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b").unwrap();
    let bound = regex::Regex::new(r"\b0\d{2,4}\u{a0}\d{3,4}\b").unwrap();
    let mut checked = 0;
    for path in files("docx").into_iter().chain(files("html")) {
        let text = if path.extension().is_some_and(|e| e == "docx") {
            let file = std::fs::File::open(&path).unwrap();
            let mut zip = zip::ZipArchive::new(file).unwrap();
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
                .unwrap();
            // Every table row stays whole on one page.
            assert_eq!(
                xml.matches("<w:tr>").count(),
                xml.matches("<w:cantSplit/>").count(),
                "{}",
                path.display()
            );
            xml
        } else {
            std::fs::read_to_string(&path).unwrap()
        };
        if let Some(found) = breakable.find(&text) {
            panic!(
                "{} has {:?} with a plain space",
                path.display(),
                found.as_str()
            );
        }
        assert!(
            bound.is_match(&text),
            "{} has no phone number",
            path.display()
        );
        checked += 1;
    }
    // 30 Word files, as the PDFs; one web page per document (18).
    assert_eq!(checked, 48);
}

/// In Wales the leaflet says "concern" from its title on, and offers
/// itself in Welsh; in England it offers no Welsh.
#[test]
fn the_welsh_leaflet_is_raising_a_concern_and_offers_welsh() {
    let out = built().join("out");
    let wales =
        std::fs::read_to_string(out.join("meddygfa-ty-gwyn/complaints-leaflet.html")).unwrap();
    assert!(
        wales.contains("<h1 id=\"raising-a-concern\">Raising a concern</h1>"),
        "{wales}"
    );
    assert!(wales.contains("<title>Raising a concern"), "{wales}");
    assert!(
        wales.contains("this leaflet in Welsh, large print"),
        "{wales}"
    );
    assert!(!wales.contains("Complaints leaflet"), "{wales}");
    let england =
        std::fs::read_to_string(out.join("ashfield-medical-centre/complaints-leaflet.html"))
            .unwrap();
    assert!(england.contains(">Complaints leaflet</h1>"), "{england}");
    assert!(england.contains("this leaflet in large print"), "{england}");
}
