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
            crate::harness::examples_and_longest(&sandbox);
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

/// The handbook's contents list gives each section's page, right-aligned
/// after a dotted leader: the number beside each entry is the page its
/// link goes to (which `pdf.rs` checks is its heading's). In Word the
/// numbers are fields that LibreOffice fills in as it lays the pages out.
#[test]
fn the_handbook_contents_give_each_sections_page() {
    let handbooks: Vec<PathBuf> = files("pdf")
        .into_iter()
        .filter(|p| p.ends_with("staff-handbook.pdf"))
        .collect();
    assert_eq!(handbooks.len(), 6);
    for file in crate::pdf::read_back("contents.py", &handbooks) {
        let entries = file["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 12, "{file}");
        assert!(file["wrong"].as_array().unwrap().is_empty(), "{file}");
        // Not every section on one page: the numbers are read, not assumed.
        assert!(entries.iter().any(|e| e[1] != entries[0][1]), "{file}");
    }
    // Word, laid out by LibreOffice.
    let dir = built().join("word-contents");
    std::fs::create_dir_all(&dir).unwrap();
    let word = built().join("out/ashfield-medical-centre/staff-handbook.docx");
    let output = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&word)
        .output()
        .expect("soffice (LibreOffice) runs");
    assert!(output.status.success(), "{output:?}");
    let pdf = dir.join("staff-handbook.pdf");
    let file = &crate::pdf::read_back("contents.py", &[pdf])[0];
    let entries = file["entries"].as_array().unwrap();
    assert!(entries.len() >= 12, "{file}");
    assert!(file["wrong"].as_array().unwrap().is_empty(), "{file}");
}

/// A leaflet is printed on both sides: an even number of pages, standard
/// and large print, and its last page is no near-empty sheet (the PDF
/// layout spreads its sections over one more page rather than leave a
/// blank side).
#[test]
fn leaflets_print_on_an_even_number_of_pages() {
    let leaflets: Vec<PathBuf> = files("pdf")
        .into_iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("complaints-leaflet")
        })
        .collect();
    assert_eq!(leaflets.len(), 12);
    let odd: Vec<(PathBuf, usize)> = leaflets
        .into_iter()
        .map(|p| {
            let pages = crate::pdf::pages(&p);
            (p, pages)
        })
        .filter(|(_, pages)| pages % 2 == 1)
        .collect();
    assert!(odd.is_empty(), "{odd:#?}");
}

/// The large-print footer fits on one line where the practice's name lets
/// it (the examples): the name, the reference and the page number beside
/// each other; a name too long for that takes two.
#[test]
fn the_large_print_footer_is_one_line() {
    let large: Vec<PathBuf> = files("pdf")
        .into_iter()
        .filter(|p| {
            let path = p.to_string_lossy();
            path.ends_with(".large-print.pdf")
                && !path.contains("/out/the-dearne-valley")
                && !path.contains("/out/canolfan-iechyd")
        })
        .collect();
    assert_eq!(large.len(), 8);
    for file in crate::pdf::read_back("footer.py", &large) {
        // The poster has no running footer.
        let lines = file["footer_lines"].as_u64().unwrap();
        assert!(lines <= 1, "{file}");
    }
}

/// The notice's web page printed from Chromium is the poster: one A4 page
/// in English, without the "More about this notice" part; in Wales the
/// Welsh on a page of its own, then the English.
#[test]
fn the_notice_printed_from_its_web_page_is_the_poster() {
    let out = built().join("out");
    let dir = built().join("printed");
    std::fs::create_dir_all(&dir).unwrap();
    let print = |slug: &str| -> Vec<String> {
        let pdf = dir.join(format!("{slug}.pdf"));
        let run = std::process::Command::new("node")
            .arg(repo().join("tests/a11y/print.mjs"))
            .arg(out.join(slug).join("zero-tolerance-notice.html"))
            .arg(&pdf)
            .output()
            .expect("node runs (see .ci/run)");
        assert!(run.status.success(), "{run:?}");
        (1..=crate::pdf::pages(&pdf))
            .map(|n| {
                let n = n.to_string();
                let text = std::process::Command::new("pdftotext")
                    .args(["-f", &n, "-l", &n])
                    .arg(&pdf)
                    .arg("-")
                    .output()
                    .expect("pdftotext runs");
                String::from_utf8_lossy(&text.stdout).into_owned()
            })
            .collect()
    };
    let english = print("ashfield-medical-centre");
    assert_eq!(english.len(), 1, "{english:#?}");
    assert!(english[0].contains("Respect our staff"), "{english:#?}");
    assert!(
        !english[0].contains("More about this notice"),
        "{english:#?}"
    );
    let welsh = print("meddygfa-ty-gwyn");
    assert_eq!(welsh.len(), 2, "{welsh:#?}");
    assert!(welsh[0].contains("Parchwch ein staff") && !welsh[0].contains("Respect our staff"));
    assert!(welsh[1].contains("Respect our staff") && !welsh[1].contains("Parchwch ein staff"));
}
