//! The PDFs, checked with the tools a printer or an auditor would use:
//! qpdf, pdfinfo, pdffonts, pdftotext (poppler-utils) and zbarimg.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::cli::hostile_config;
use crate::harness::{Sandbox, repo};

/// Every example practice and the hostile one, built once for all tests here.
fn built() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pdf-examples");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("hostile.toml"), hostile_config()).unwrap();
        let sandbox = Sandbox::new();
        let configs = repo().join("practice-configs");
        let hostile = dir.join("hostile.toml");
        let out = dir.join("out");
        sandbox
            .run(&[
                "build",
                configs.to_str().unwrap(),
                hostile.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                "--formats",
                "pdf",
                "--editions",
                "standard,large-print",
            ])
            .expect_code(0);
        out
    })
}

fn pdf(slug: &str, stem: &str) -> PathBuf {
    built().join(slug).join(format!("{stem}.pdf"))
}

/// Runs a tool, failing with a hint to install it when it is missing.
fn tool(name: &str, args: &[&str]) -> (bool, String) {
    let output = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!(
            "cannot run {name} ({e}); install it as .ci/run does (poppler-utils, qpdf, zbar-tools)"
        )
    });
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

fn text_of(path: &Path) -> String {
    let (ok, text) = tool("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
    assert!(ok, "pdftotext failed on {}: {text}", path.display());
    text
}

/// The text with every run of white space (line ends included) as one
/// space, so a phrase is found wherever the lines broke; a line broken
/// after a hyphen joins without one.
fn flat(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() && !out.ends_with('-') {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn info(path: &Path) -> String {
    tool("pdfinfo", &[path.to_str().unwrap()]).1
}

pub(crate) fn pages(path: &Path) -> usize {
    let info = info(path);
    let line = info
        .lines()
        .find(|l| l.starts_with("Pages:"))
        .expect("pdfinfo prints Pages");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The text of each page, in order (`pdftotext -layout`, page by page).
pub(crate) fn page_texts(path: &Path) -> Vec<String> {
    (1..=pages(path))
        .map(|n| {
            let n = n.to_string();
            let (ok, text) = tool(
                "pdftotext",
                &["-layout", "-f", &n, "-l", &n, path.to_str().unwrap(), "-"],
            );
            assert!(
                ok,
                "pdftotext failed on page {n} of {}: {text}",
                path.display()
            );
            text
        })
        .collect()
}

/// The PDF's objects as text: streams uncompressed, no object streams.
fn uncompressed(path: &Path) -> String {
    let sandbox = Sandbox::new();
    let expanded = sandbox.path().join("qdf.pdf");
    let args = [
        "--qdf",
        "--object-streams=disable",
        path.to_str().unwrap(),
        expanded.to_str().unwrap(),
    ];
    let (ok, out) = tool("qpdf", &args);
    assert!(ok, "{out}");
    String::from_utf8_lossy(&std::fs::read(expanded).unwrap()).into_owned()
}

fn all_pdfs() -> Vec<PathBuf> {
    let files = crate::harness::practice_files(built());
    assert_eq!(
        files.len(),
        7 * 5,
        "seven practices, three PDFs each and two in large print"
    );
    files
}

#[test]
fn every_pdf_is_clean_tagged_a4_with_title_and_author() {
    for path in all_pdfs() {
        let (ok, report) = tool("qpdf", &["--check", path.to_str().unwrap()]);
        assert!(
            ok && report.contains("No syntax or stream encoding errors"),
            "{}: {report}",
            path.display()
        );
        let info = info(&path);
        assert!(
            info.contains("Tagged:          yes"),
            "{}: {info}",
            path.display()
        );
        // Everything is A4, the bilingual poster in Wales too.
        let paper = "Page size:       595.28 x 841.89 pts (A4)";
        // Checking a file raises no alarm (poppler misreads `/Suspects false`).
        assert!(!info.contains("Syntax Error"), "{}: {info}", path.display());
        assert!(info.contains(paper), "{}: {info}", path.display());
        let title = info.lines().find(|l| l.starts_with("Title:")).unwrap_or("");
        let author = info
            .lines()
            .find(|l| l.starts_with("Author:"))
            .unwrap_or("");
        assert!(
            title.len() > 20 && !author.trim_start_matches("Author:").trim().is_empty(),
            "{}: {info}",
            path.display()
        );
    }
}

/// The reference the manifest in `out` records for a PDF's document,
/// as printed: "Ref 3F9A-21C0".
fn manifest_reference(out: &Path, pdf: &Path) -> String {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let slug = name_of_practice(pdf);
    let name = pdf.file_name().unwrap().to_string_lossy();
    let stem = name
        .trim_end_matches(".pdf")
        .trim_end_matches(".large-print");
    let code = manifest["practices"][&slug]["references"][stem]
        .as_str()
        .unwrap_or_else(|| panic!("no reference for {slug}/{stem} in the manifest"));
    format!("Ref {code}")
}

/// Asserts that every page of `pdf` prints `reference` in its footer, on
/// the footer's own line, beside the page number.
#[track_caller]
fn every_page_prints(pdf: &Path, reference: &str) {
    let texts = page_texts(pdf);
    for (n, text) in texts.iter().enumerate() {
        // Pages that hold only Welsh number in Welsh.
        let welsh = format!("Tudalen {} o {}", n + 1, texts.len());
        let page = if text.contains(&welsh) {
            welsh
        } else {
            format!("Page {} of {}", n + 1, texts.len())
        };
        let footer: Vec<&str> = text.lines().skip_while(|l| !l.contains(&page)).collect();
        assert!(
            footer.iter().take(2).any(|l| l.contains(reference)),
            "{} page {}: no {reference} by {page:?}:\n{text}",
            pdf.display(),
            n + 1
        );
    }
}

#[test]
fn every_page_of_every_pdf_prints_its_documents_reference() {
    for path in all_pdfs() {
        let reference = manifest_reference(built(), &path);
        if path.ends_with("zero-tolerance-notice.pdf") {
            // A poster: the reference ends its sign-off; no "Page 1 of 1".
            let text = page_texts(&path).join(" ");
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(text.contains(&reference), "{}: {text}", path.display());
            assert!(!text.contains("Page 1 of 1"), "{}: {text}", path.display());
            continue;
        }
        every_page_prints(&path, &reference);
    }
    // The Welsh large-print notice: its Welsh pages say "Tudalen", the
    // English ones "Page", and no English page says "Tudalen".
    let texts = page_texts(&built().join("meddygfa-ty-gwyn/zero-tolerance-notice.large-print.pdf"));
    let total = texts.len();
    assert!(total >= 2, "{total} pages");
    assert!(
        texts[0].contains(&format!("Tudalen 1 o {total}")),
        "{}",
        texts[0]
    );
    let last = &texts[total - 1];
    assert!(last.contains(&format!("Page {total} of {total}")), "{last}");
    assert!(!last.contains("Tudalen"), "{last}");
}

#[test]
fn page_counts_fit_each_document() {
    for path in all_pdfs() {
        let n = pages(&path);
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let range = match name.as_str() {
            "zero-tolerance-notice" => 1..=1,
            "complaints-leaflet" => 2..=4,
            // Two languages in large print, each starting a page.
            "zero-tolerance-notice.large-print"
                if name_of_practice(&path) == "meddygfa-ty-gwyn" =>
            {
                2..=3
            }
            "zero-tolerance-notice.large-print" => 1..=2,
            "complaints-leaflet.large-print" => 5..=8,
            "staff-handbook" => 8..=20,
            other => panic!("unexpected {other}"),
        };
        assert!(range.contains(&n), "{}: {n} pages", path.display());
    }
}

fn name_of_practice(path: &Path) -> String {
    path.parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What `tests/pdf/sizes.py` (PyMuPDF) reads back from each PDF.
fn sizes(paths: &[PathBuf]) -> Vec<serde_json::Value> {
    read_back("sizes.py", paths)
}

/// What the PyMuPDF script `tests/pdf/<script>` prints for each PDF: one
/// JSON object a line.
pub(crate) fn read_back(script: &str, paths: &[PathBuf]) -> Vec<serde_json::Value> {
    let script = repo().join("tests/pdf").join(script);
    let output = Command::new("python3")
        .arg(&script)
        .args(paths)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{} failed (install PyMuPDF as .ci/run does: python3 -m pip install 'PyMuPDF<2'): {}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn text_sizes_read_back_meet_clear_print_and_large_print() {
    let pdfs = all_pdfs();
    let notices: Vec<PathBuf> = pdfs
        .iter()
        .filter(|p| p.ends_with("zero-tolerance-notice.pdf"))
        .cloned()
        .collect();
    let large: Vec<PathBuf> = pdfs
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".large-print.pdf"))
        .cloned()
        .collect();
    assert_eq!((notices.len(), large.len()), (7, 14));
    // The poster: its text at 18 pt or more (tests/testsuite/poster.rs),
    // and nothing, its sign-off at the foot included, under 10 pt.
    for file in sizes(&notices) {
        assert!(file["smallest"].as_f64().unwrap() >= 10.0, "{file}");
        assert_eq!(file["pages"], 1, "{file}");
    }
    // Large print (UKAAF G003): body 18 pt, nothing under 16 pt, page
    // numbers as large as the body, no italics.
    for file in sizes(&large) {
        assert!(file["smallest"].as_f64().unwrap() >= 18.0, "{file}");
        assert_eq!(file["page_numbers"], serde_json::json!([18.0]), "{file}");
        assert_eq!(file["italic"], false, "{file}");
    }
}

#[test]
fn fonts_are_embedded_and_subset() {
    for path in all_pdfs() {
        let (ok, fonts) = tool("pdffonts", &[path.to_str().unwrap()]);
        assert!(ok, "{fonts}");
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{}: no fonts", path.display());
        for row in rows {
            let name = row.split_whitespace().next().unwrap();
            assert!(
                name.contains("+LiberationSans"),
                "{}: {row}",
                path.display()
            );
            assert!(
                row.contains(" yes yes yes "),
                "{}: not embedded, subset and mapped: {row}",
                path.display()
            );
        }
    }
}

#[test]
fn metadata_comes_from_the_config_not_the_clock() {
    let info = info(&pdf("ashfield-medical-centre", "staff-handbook"));
    assert!(info.contains("Title:           Staff guidance: online and social media feedback — Ashfield Medical Centre"), "{info}");
    assert!(
        info.contains("Author:          Ashfield Medical Centre"),
        "{info}"
    );
    assert!(
        info.contains("Keywords:        Ashfield Medical Centre, complaints"),
        "{info}"
    );
    assert!(info.contains("Subject:"), "{info}");
    assert!(
        info.contains("CreationDate:    Sun Nov  1 00:00:00 2026 UTC"),
        "{info}"
    );
}

#[test]
fn text_extracts_literally_and_in_reading_order() {
    let notice = flat(&text_of(&pdf(
        "st-johns-woodlands-star-surgery-1",
        "zero-tolerance-notice",
    )));
    for literal in ["St John's & Woodlands *Star* Surgery #1", "0114 496 0457"] {
        assert!(
            notice.contains(literal),
            "notice lacks {literal:?}:\n{notice}"
        );
    }
    // The lead's name is in the leaflet (the poster asks for the lead).
    let leaflet = flat(&text_of(&pdf(
        "st-johns-woodlands-star-surgery-1",
        "complaints-leaflet",
    )));
    assert!(leaflet.contains("Zoë O'Brien-Núñez {{ 7*7 }}"), "{leaflet}");
    let handbook = flat(&text_of(&pdf(
        "st-johns-woodlands-star-surgery-1",
        "staff-handbook",
    )));
    assert!(
        handbook.contains("<script>alert('x')</script>"),
        "{handbook}"
    );
    let order = [
        "Respect our staff",
        "We will not accept",
        "We may give a warning",
        "Honest feedback",
        "Issued 1 November 2026",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|s| notice.find(s).unwrap_or_else(|| panic!("no {s:?}")))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "reading order broken: {positions:?}"
    );
    assert!(!notice.contains("Page 1 of 1"));

    let welsh = text_of(&pdf("meddygfa-ty-gwyn", "complaints-leaflet"));
    assert!(
        welsh.contains("Meddygfa Tŷ Gwyn") && welsh.contains("Rhian Llŵyd"),
        "{welsh}"
    );
    assert!(
        welsh.contains("Public Services Ombudsman for Wales") && welsh.contains("0300 790 0203")
    );
}

#[test]
fn latin_extended_characters_render_and_extract() {
    let sandbox = Sandbox::new();
    let config =
        std::fs::read_to_string(repo().join("practice-configs/ashfield-medical-centre.toml"))
            .unwrap();
    sandbox.write("a.toml", &config);
    let sample = "Prices £3.50 or €4 — a dash – ‘single’ “double” ŵ ŷ Ŵ Ŷ Zoë Núñez Łukasz";
    sandbox.write(
        "t/zero-tolerance-notice.md",
        &format!("# Sample\n\n{sample}\n\n*{sample}*\n\n**{sample}**\n\n***{sample}***\n"),
    );
    sandbox
        .run(&[
            "build",
            "a.toml",
            "--templates",
            "t",
            "--docs",
            "zero-tolerance-notice",
            "--formats",
            "pdf",
        ])
        .expect_code(0);
    let path = sandbox
        .path()
        .join("out/ashfield-medical-centre/zero-tolerance-notice.pdf");
    let text = flat(&text_of(&path));
    assert_eq!(text.matches(sample).count(), 4, "{text}");
    let (_, fonts) = tool("pdffonts", &[path.to_str().unwrap()]);
    for face in [
        "LiberationSans ",
        "LiberationSans-Bold ",
        "LiberationSans-Italic ",
        "LiberationSans-BoldItalic ",
    ] {
        assert!(fonts.contains(face), "{face} missing:\n{fonts}");
    }
}

#[test]
fn qr_code_decodes_to_the_complaints_page() {
    let sandbox = Sandbox::new();
    for (slug, stem) in [
        ("ashfield-medical-centre", "zero-tolerance-notice"),
        ("ashfield-medical-centre", "complaints-leaflet"),
    ] {
        let prefix = sandbox.path().join(stem);
        let (ok, out) = tool(
            "pdftoppm",
            &[
                "-png",
                "-r",
                "150",
                "-f",
                "1",
                "-l",
                "1",
                pdf(slug, stem).to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
        assert!(ok, "{out}");
        let image = sandbox.path().join(format!("{stem}-1.png"));
        let (ok, decoded) = tool("zbarimg", &["-q", "--raw", image.to_str().unwrap()]);
        assert!(ok, "no QR code found on {stem}: {decoded}");
        assert!(
            decoded
                .lines()
                .any(|l| l == "https://www.ashfieldmedical.nhs.uk/complaints"),
            "{decoded}"
        );
    }
    // No complaints page, no QR code.
    let prefix = sandbox.path().join("welsh");
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "150",
            "-f",
            "1",
            "-l",
            "1",
            pdf("meddygfa-ty-gwyn", "zero-tolerance-notice")
                .to_str()
                .unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let (found, _) = tool(
        "zbarimg",
        &["-q", sandbox.path().join("welsh-1.png").to_str().unwrap()],
    );
    assert!(!found, "a QR code without a complaints page");
}

#[test]
fn links_are_clickable_with_mailto_and_tel() {
    let raw = uncompressed(&pdf("ashfield-medical-centre", "zero-tolerance-notice"));
    for uri in [
        "/URI (tel:+441144960457)",
        "/URI (https://www.ashfieldmedical.nhs.uk/complaints)",
    ] {
        assert!(raw.contains(uri), "no link {uri}");
    }
    // The poster leaves email to the leaflet.
    let leaflet = uncompressed(&pdf("ashfield-medical-centre", "complaints-leaflet"));
    assert!(leaflet.contains("/URI (mailto:complaints.ashfield@nhs.net)"));
    assert!(raw.contains("/Lang (en-GB)"), "no document language");
    assert!(
        raw.contains("/DisplayDocTitle true"),
        "window does not show the title"
    );
    assert!(
        raw.contains("/Alt (QR code linking to https://www.ashfieldmedical.nhs.uk/complaints)"),
        "QR figure has no alt text"
    );
}

#[test]
fn structure_tree_and_outline_follow_the_document() {
    let handbook = pdf("ashfield-medical-centre", "staff-handbook");
    let (ok, structure) = tool("pdfinfo", &["-struct", handbook.to_str().unwrap()]);
    assert!(ok, "{structure}");
    for tag in [
        "H1",
        "H2",
        "H3",
        "P",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "Link",
        "BlockQuote",
    ] {
        assert!(
            structure.lines().any(|l| l.trim_start().starts_with(tag)),
            "no {tag} in the structure tree"
        );
    }
    let raw = uncompressed(&handbook);
    for title in [
        "/Title (2. The nine principles)",
        "/Title (Appendix A. Contacts)",
    ] {
        assert!(raw.contains(title), "no bookmark {title}");
    }
}

#[test]
fn same_input_gives_byte_identical_pdfs() {
    let sandbox = Sandbox::new();
    let config =
        std::fs::read_to_string(repo().join("practice-configs/ashfield-medical-centre.toml"))
            .unwrap();
    sandbox.write("a.toml", &config);
    // The same practice under another slug, built in the same process.
    sandbox.write(
        "b.toml",
        &config.replace(
            "ods_code = \"C86099\"",
            "ods_code = \"C86099\"\nslug = \"copy\"",
        ),
    );
    // A practice built alone on four threads has each document's
    // paragraphs broken into lines on several at once (ahead of the page
    // layout); on one thread, all on one; two practices, either way.
    for (configs, out, threads) in [
        (&["a.toml"][..], "three", "4"),
        (&["a.toml", "b.toml"][..], "one", "4"),
        (&["a.toml"][..], "two", "1"),
    ] {
        let mut args = vec!["build"];
        args.extend(configs);
        args.extend(["--formats", "pdf", "-o", out, "-j", threads]);
        sandbox.run(&args).expect_code(0);
    }
    for stem in [
        "zero-tolerance-notice",
        "complaints-leaflet",
        "staff-handbook",
    ] {
        let first = std::fs::read(
            sandbox
                .path()
                .join(format!("one/ashfield-medical-centre/{stem}.pdf")),
        )
        .unwrap();
        let copy = std::fs::read(sandbox.path().join(format!("one/copy/{stem}.pdf"))).unwrap();
        let again = std::fs::read(
            sandbox
                .path()
                .join(format!("two/ashfield-medical-centre/{stem}.pdf")),
        )
        .unwrap();
        let alone = std::fs::read(
            sandbox
                .path()
                .join(format!("three/ashfield-medical-centre/{stem}.pdf")),
        )
        .unwrap();
        assert!(first == again, "{stem} differs between runs");
        assert!(alone == again, "{stem} differs between one thread and four");
        assert!(first == copy, "{stem} differs within one run");
    }
}

#[test]
fn a_notice_too_long_for_one_page_fails_naming_the_overflow() {
    let sandbox = Sandbox::new();
    let config =
        std::fs::read_to_string(repo().join("practice-configs/ashfield-medical-centre.toml"))
            .unwrap();
    sandbox.write("a.toml", &config);
    let long =
        "We ask everyone to be kind to our staff when they write about us online. ".repeat(30);
    sandbox.write("t/zero-tolerance-notice.md", &format!("# Notice\n\n## Our promise\n\n{long}\n\n## Why it matters\n\n{long}\n\n## What happens next\n\n{long}\n"));
    let run = sandbox.run(&["build", "a.toml", "--templates", "t", "--formats", "pdf"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("does not fit on one A4 poster page"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("\"What happens next\""),
        "{}",
        run.stderr()
    );
    assert!(
        !sandbox.path().join("out/ashfield-medical-centre").exists(),
        "files written for a failed practice"
    );
}

#[test]
fn logo_is_drawn_as_a_figure() {
    let sandbox = Sandbox::new();
    let config =
        std::fs::read_to_string(repo().join("practice-configs/ashfield-medical-centre.toml"))
            .unwrap();
    sandbox.write(
        "a.toml",
        &config.replace(
            "accent_colour = \"#005EB8\"",
            "accent_colour = \"#005EB8\"\nlogo = \"logo.png\"",
        ),
    );
    std::fs::write(sandbox.path().join("logo.png"), crate::a11y::LOGO_PNG).unwrap();
    sandbox
        .run(&[
            "build",
            "a.toml",
            "--formats",
            "pdf,html",
            "--docs",
            "complaints-leaflet",
        ])
        .expect_code(0);
    let path = sandbox
        .path()
        .join("out/ashfield-medical-centre/complaints-leaflet.pdf");
    let (ok, images) = tool("pdfimages", &["-list", path.to_str().unwrap()]);
    assert!(
        ok && images.lines().count() == 3,
        "expected one image:\n{images}"
    );
    let (_, structure) = tool("pdfinfo", &["-struct", path.to_str().unwrap()]);
    assert!(structure.contains("Figure"), "{structure}");
}

/// The page (from 0) and height of an `[page, /XYZ, x, y, zoom]` destination.
fn xyz(dest: &serde_json::Value, pages: &[String]) -> (usize, f64) {
    let page = dest[0].as_str().unwrap();
    let index = pages
        .iter()
        .position(|p| p == page)
        .expect("destination on a page");
    (index, dest[3].as_f64().unwrap())
}

#[test]
fn contents_entries_jump_to_their_headings_inside_the_pdf() {
    for slug in ["ashfield-medical-centre", "meddygfa-ty-gwyn", "hostile"] {
        let slug = if slug == "hostile" {
            "st-johns-woodlands-star-surgery-1"
        } else {
            slug
        };
        let path = pdf(slug, "staff-handbook");
        let (ok, json) = tool(
            "qpdf",
            &[
                "--json",
                "--json-key=pages",
                "--json-key=qpdf",
                path.to_str().unwrap(),
            ],
        );
        assert!(ok, "{json}");
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        let pages: Vec<String> = json["pages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["object"].as_str().unwrap().to_string())
            .collect();
        // Headings, from the outline: where each is, and its title.
        let mut headings = Vec::new();
        for page in json["pages"].as_array().unwrap() {
            for item in page["outlines"].as_array().unwrap() {
                let (index, y) = xyz(&item["dest"], &pages);
                headings.push((index, y, item["title"].as_str().unwrap().to_string()));
            }
        }
        let objects = json["qpdf"][1].as_object().unwrap();
        // A value, or the object an "N 0 R" reference points to.
        let resolve = |v: &'_ serde_json::Value| -> serde_json::Value {
            match v.as_str() {
                Some(id) if id.ends_with(" R") => objects[&format!("obj:{id}")]["value"].clone(),
                _ => v.clone(),
            }
        };
        // The named destinations, from the catalog's /Dests name tree.
        let trailer = &objects["trailer"]["value"];
        let catalog = resolve(&trailer["/Root"]);
        let names = resolve(&catalog["/Names"]);
        let tree = resolve(&names["/Dests"])["/Names"].clone();
        let mut dests = std::collections::HashMap::new();
        for pair in tree.as_array().unwrap().chunks(2) {
            let name = pair[0]
                .as_str()
                .unwrap()
                .trim_start_matches("u:")
                .to_string();
            dests.insert(name, xyz(&resolve(&pair[1]), &pages));
        }
        let links: Vec<String> = objects
            .values()
            .filter(|o| o["value"]["/Subtype"] == "/Link")
            .filter_map(|o| o["value"]["/Dest"].as_str())
            .map(|d| d.trim_start_matches("u:").to_string())
            .collect();
        assert!(
            links.len() >= 10,
            "{slug}: the contents should link to each of its ten sections, found {links:?}"
        );
        for name in links {
            let (page, y) = dests[&name];
            let (_, _, title) = headings
                .iter()
                .find(|(p, hy, _)| *p == page && (hy - y).abs() < 0.5)
                .unwrap_or_else(|| panic!("{slug}: #{name} lands on no heading"));
            assert_eq!(
                policypack::markdown::heading_id(title),
                name,
                "{slug}: #{name} lands on {title:?}"
            );
            let n = (page + 1).to_string();
            let (ok, text) = tool(
                "pdftotext",
                &["-f", &n, "-l", &n, path.to_str().unwrap(), "-"],
            );
            assert!(
                ok && text.contains(title.as_str()),
                "{slug}: {title} not on page {n}"
            );
        }
        // No contents entry is left as a web link to "#…".
        assert!(!uncompressed(&path).contains("/URI (#"), "{slug}");
    }
}

/// The English example in several shapes (contacts left out, longer
/// addresses, more organisations), so page breaks fall in many places.
fn print_shape_variants() -> Vec<(String, String)> {
    let base =
        std::fs::read_to_string(repo().join("practice-configs/ashfield-medical-centre.toml"))
            .unwrap();
    let cut = |text: &str, header: &str| {
        let start = text.find(header).unwrap();
        let end = text[start + header.len()..]
            .find("\n[")
            .map_or(text.len(), |i| start + header.len() + i + 1);
        format!("{}{}", &text[..start], &text[end..])
    };
    let extra_org = "[[defence_organisations]]\nname = \"MDDUS\"\nphone = \"0306 999 0444\"\nwebsite = \"https://www.mddus.com\"\n\n[social_media]";
    let mut variants = vec![
        ("as-is", base.clone()),
        ("no-lmc", cut(&base, "[lmc]")),
        ("no-advocacy", cut(&base, "[advocacy]")),
        ("no-email", base.replace("email = \"complaints.ashfield@nhs.net\"\n", "")),
        ("no-page", base.replace("complaints_page = \"https://www.ashfieldmedical.nhs.uk/complaints\"\n", "")),
        ("no-lead-name", base.replace("lead_name = \"Jane Smith\"\n", "")),
        ("three-orgs", base.replace("[social_media]", extra_org)),
        (
            "long-address",
            base.replace(
                "address = [\"12 High Street\", \"Bentley\", \"Doncaster\"]",
                "address = [\"Unit 4, The Old Mill Business Park\", \"12 High Street\", \"Bentley\", \"Near Toll Bar\", \"Doncaster\", \"South Yorkshire\"]",
            ),
        ),
    ];
    for name in [
        "leith-walk-medical-practice.toml",
        "meddygfa-ty-gwyn.toml",
        "ormeau-road-surgery.toml",
    ] {
        let text = std::fs::read_to_string(repo().join("practice-configs").join(name)).unwrap();
        variants.push((name.trim_end_matches(".toml"), text.clone()));
        variants.push(("", text.replace("[social_media]", extra_org)));
    }
    variants
        .into_iter()
        .enumerate()
        .map(|(i, (name, text))| {
            let slug = format!("shape-{i}-{name}")
                .trim_end_matches('-')
                .to_string();
            let text = text.replacen(
                "[practice]\n",
                &format!("[practice]\nslug = \"{slug}\"\n"),
                1,
            );
            (slug, text)
        })
        .collect()
}

#[test]
fn no_page_holds_only_a_line_or_two_and_no_heading_ends_a_page() {
    let sandbox = Sandbox::new();
    let variants = print_shape_variants();
    for (slug, text) in &variants {
        sandbox.write(&format!("v/{slug}.toml"), text);
    }
    sandbox
        .run(&[
            "build",
            "v",
            "--formats",
            "pdf",
            "--docs",
            "complaints-leaflet,staff-handbook",
        ])
        .expect_code(0);
    let mut problems = Vec::new();
    for (slug, _) in &variants {
        for stem in ["complaints-leaflet", "staff-handbook"] {
            let path = sandbox.path().join(format!("out/{slug}/{stem}.pdf"));
            let (ok, json) = tool(
                "qpdf",
                &["--json", "--json-key=pages", path.to_str().unwrap()],
            );
            assert!(ok, "{json}");
            let json: serde_json::Value = serde_json::from_str(&json).unwrap();
            for (index, page) in json["pages"].as_array().unwrap().iter().enumerate() {
                let n = (index + 1).to_string();
                let (_, text) = tool(
                    "pdftotext",
                    &["-layout", "-f", &n, "-l", &n, path.to_str().unwrap(), "-"],
                );
                let lines: Vec<&str> = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with("Syntax Error"))
                    .filter(|l| !l.contains(&format!("Page {n} of")))
                    .collect();
                if lines.len() <= 3 {
                    problems.push(format!("{slug}/{stem} page {n} holds only {lines:?}"));
                }
                // The last line of a page is never a heading that starts there.
                let last = lines.last().copied().unwrap_or("");
                for item in page["outlines"].as_array().unwrap() {
                    let title = item["title"].as_str().unwrap();
                    if title == last {
                        problems.push(format!(
                            "{slug}/{stem} page {n} ends with the heading {title:?}"
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_bilingual_notice_marks_its_welsh_and_keeps_welsh_first() {
    let path = pdf("meddygfa-ty-gwyn", "zero-tolerance-notice");
    let text = flat(&text_of(&path));
    let welsh = text.find("Parchwch").expect("Welsh headline");
    let english = text.find("Respect our").expect("English headline");
    assert!(welsh < english, "{text}");
    let objects = uncompressed(&path);
    assert!(objects.contains("/Lang (cy)"), "no Welsh structure element");
    assert!(objects.contains("/Lang (en-GB)"), "no document language");
    assert_eq!(pages(&path), 1);
}

#[test]
fn a_very_long_name_never_pushes_the_large_print_footer_off_the_paper() {
    let sandbox = Sandbox::new();
    let fixture = repo().join("tests/fixtures/valid/longest");
    let config = std::fs::read_to_string(fixture.join("practice.toml"))
        .unwrap()
        .replace(
            "name = \"The Dearne Valley and Hoyland Common Health Centre Partnership\"",
            "name = \"The Dearne Valley, Hoyland Common and Birdwell Health Centre Partnership of General Practitioners\"",
        );
    sandbox.write("practice.toml", &config);
    std::fs::copy(fixture.join("logo.png"), sandbox.path().join("logo.png")).unwrap();
    sandbox
        .run(&[
            "build",
            "practice.toml",
            "--editions",
            "large-print",
            "--formats",
            "pdf",
        ])
        .expect_code(0);
    let out = sandbox.path().join("out");
    let files = crate::harness::practice_files(&out);
    assert_eq!(files.len(), 2);
    // The name is cut short, never the reference.
    for file in &files {
        every_page_prints(file, &manifest_reference(&out, file));
    }
    for file in sizes(&files) {
        assert!(file["bottom_clearance"].as_f64().unwrap() >= 24.0, "{file}");
        assert_eq!(file["page_numbers"], serde_json::json!([18.0]), "{file}");
    }
}
