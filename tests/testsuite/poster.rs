//! The notice is a poster read from the chairs (SPEC §7, the table at the
//! top): one A4 page; a headline of 40 pt or more; every other text of
//! 18 pt or more (the sign-off at the foot may be smaller); at most 160
//! words a language; the QR code at least 35 mm where a complaints page is
//! set; in Wales, Welsh and English on the one page. The same holds in
//! Word, laid out by LibreOffice, and for the longest practices.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::harness::Sandbox;

/// Every example practice and the longest fixtures, built once: PDF and
/// Word, standard and large print.
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
                    "--docs",
                    "notice",
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

fn notices(suffix: &str) -> Vec<PathBuf> {
    let out = built().join("out");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.path().join(format!("zero-tolerance-notice{suffix}")))
        .filter(|p| p.exists())
        .collect();
    found.sort();
    found
}

/// What `tests/pdf/poster.py` (PyMuPDF) reads back from each poster.
fn read_back(paths: &[PathBuf]) -> Vec<serde_json::Value> {
    crate::pdf::read_back("poster.py", paths)
}

fn welsh(path: &Path) -> bool {
    let name = path
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy();
    name.starts_with("meddygfa") || name.starts_with("canolfan")
}

#[test]
fn every_poster_is_one_a4_page_read_from_the_chairs() {
    let posters = notices(".pdf");
    assert_eq!(posters.len(), 6, "{posters:?}");
    for (path, poster) in posters.iter().zip(read_back(&posters)) {
        let languages = if welsh(path) { 2 } else { 1 };
        assert_eq!(poster["pages"], 1, "{poster}");
        assert_eq!(
            (poster["width"].as_f64(), poster["height"].as_f64()),
            (Some(595.28), Some(841.89)),
            "{poster}"
        );
        assert!(poster["largest"].as_f64().unwrap() >= 40.0, "{poster}");
        assert!(
            poster["smallest_body"].as_f64().unwrap() >= 18.0,
            "{poster}"
        );
        assert!(
            poster["words"].as_u64().unwrap() <= 160 * languages,
            "{poster}"
        );
        // Printers leave about 5 mm bare at the edge.
        assert!(
            poster["bottom_clearance"].as_f64().unwrap() >= 15.0,
            "{poster}"
        );
        let qr = poster["qr_mm"].as_f64().unwrap();
        assert!(qr == 0.0 || qr >= 35.0, "{poster}");
    }
    // The practices with a complaints page have their code, 35 mm or more.
    let with_code: Vec<_> = read_back(&posters)
        .into_iter()
        .filter(|p| p["qr_mm"].as_f64().unwrap() >= 35.0)
        .collect();
    assert!(with_code.len() >= 3, "{with_code:?}");
}

#[test]
fn the_welsh_poster_carries_both_languages_side_by_side_on_a4() {
    let posters: Vec<PathBuf> = notices(".pdf").into_iter().filter(|p| welsh(p)).collect();
    assert_eq!(posters.len(), 2);
    for path in posters {
        let text = crate::pdf::page_texts(&path).join("\n");
        for words in [
            "Parchwch",
            "Respect our",
            "Ni fydd adborth",
            "Honest feedback",
        ] {
            assert!(text.contains(words), "{}: {words}\n{text}", path.display());
        }
        // Level: each heading's Welsh starts on the same line as its English.
        let (ok, layout) = tool("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
        assert!(ok);
        assert!(
            layout
                .lines()
                .any(|l| l.contains("Parchwch") && l.contains("Respect our")),
            "{layout}"
        );
    }
}

#[test]
fn the_legal_detail_is_on_the_web_page_not_the_poster() {
    for path in notices(".pdf") {
        let text = crate::pdf::page_texts(&path).join("\n");
        assert!(!text.contains("Act 20"), "{}: {text}", path.display());
        assert!(
            text.contains("Honest feedback"),
            "{}: {text}",
            path.display()
        );
        let html = std::fs::read_to_string(path.with_extension("html")).unwrap();
        assert!(html.contains("Act 20"), "{}", path.display());
        assert!(
            html.contains("More about this notice"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn the_word_poster_is_one_page_when_libreoffice_lays_it_out() {
    let posters = notices(".docx");
    assert_eq!(posters.len(), 6);
    let dir = built().join("word-pdf");
    std::fs::create_dir_all(&dir).unwrap();
    // A LibreOffice profile of its own: another test's soffice running at
    // the same time holds the default one, and this one then converts nothing.
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.display());
    let mut args = vec![
        profile.as_str(),
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        dir.to_str().unwrap(),
    ];
    let copies: Vec<PathBuf> = posters
        .iter()
        .map(|p| {
            let name = p
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let copy = dir.join(format!("{name}.docx"));
            std::fs::copy(p, &copy).unwrap();
            copy
        })
        .collect();
    args.extend(copies.iter().map(|p| p.to_str().unwrap()));
    let (ok, said) = tool("soffice", &args);
    assert!(ok, "{said}");
    for copy in copies {
        let pdf = copy.with_extension("pdf");
        assert_eq!(crate::pdf::pages(&pdf), 1, "{}", copy.display());
    }
}

fn tool(name: &str, args: &[&str]) -> (bool, String) {
    let output = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} runs: {e}"));
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
}
