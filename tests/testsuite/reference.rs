//! References ("Ref 3F9A-21C0"): one per document, the same in every
//! format and edition and in the manifest, printed on every page; changed
//! by what a document says or shows and by nothing else; a warning when a
//! document changes but its version and issue date do not; and the staff
//! handbook's sign-off sheet, which prints the handbook's own reference.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::harness::{Sandbox, example, repo};
use crate::pdf::page_texts;

const STEMS: [&str; 3] = [
    "zero-tolerance-notice",
    "complaints-leaflet",
    "staff-handbook",
];

/// Every "Ref XXXX-XXXX" in `text`, in order.
fn refs_in(text: &str) -> Vec<String> {
    let hex = |s: &str| {
        s.len() == 4
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
    };
    text.match_indices("Ref ")
        .filter_map(|(at, _)| text.get(at..at + 13))
        .filter(|r| hex(&r[4..8]) && &r[8..9] == "-" && hex(&r[9..13]))
        .map(str::to_string)
        .collect()
}

/// The practice's references in `out/manifest.json`, by stem, as printed.
pub fn manifest_refs(out: &Path, slug: &str) -> BTreeMap<String, String> {
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    manifest["practices"][slug]["references"]
        .as_object()
        .unwrap_or_else(|| panic!("no references for {slug} in the manifest"))
        .iter()
        .map(|(stem, code)| (stem.clone(), format!("Ref {}", code.as_str().unwrap())))
        .collect()
}

/// What python-docx reads from a Word file (tests/docx/read.py).
fn word(path: &Path) -> Value {
    let output = Command::new("python3")
        .arg(repo().join("tests/docx/read.py"))
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "python-docx cannot read {} (install it as .ci/run does): {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// `ashfield.toml` (the English example) in a new sandbox.
fn ashfield() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.write("ashfield.toml", &example("ashfield-medical-centre.toml"));
    sandbox
}

const SLUG: &str = "ashfield-medical-centre";

/// Builds `ashfield.toml` into `out` as Markdown (fast), with `extra` args.
fn build_md(sandbox: &Sandbox, extra: &[&str]) -> crate::harness::Run {
    let mut args = vec!["build", "ashfield.toml", "--formats", "md"];
    args.extend(extra);
    sandbox.run(&args)
}

/// Rewrites `ashfield.toml` with `from` replaced by `to`.
fn edit(sandbox: &Sandbox, from: &str, to: &str) {
    let text = sandbox.read("ashfield.toml");
    assert!(text.contains(from), "{from:?} not in the config");
    sandbox.write("ashfield.toml", &text.replace(from, to));
}

#[test]
fn each_document_prints_one_reference_in_every_format_edition_and_page() {
    let sandbox = ashfield();
    let welsh = example("meddygfa-ty-gwyn.toml");
    sandbox.write("welsh.toml", &welsh);
    sandbox
        .run(&[
            "build",
            "ashfield.toml",
            "welsh.toml",
            "--formats",
            "md,html,pdf,docx",
            "--editions",
            "standard,large-print",
        ])
        .expect_code(0);
    let out = sandbox.path().join("out");
    let index = sandbox.read("out/index.html");
    for slug in [SLUG, "meddygfa-ty-gwyn"] {
        let refs = manifest_refs(&out, slug);
        assert_eq!(refs.len(), 3, "{slug}: {refs:?}");
        let distinct: std::collections::BTreeSet<_> = refs.values().collect();
        assert_eq!(distinct.len(), 3, "{slug}: documents share a reference");
        for stem in STEMS {
            let reference = &refs[stem];
            assert_eq!(refs_in(reference), [reference.as_str()], "{reference}");
            let folder = out.join(slug);
            // Markdown: the last line; the notice's own "Issued …" line
            // ends with it, so it is not said twice.
            let md = std::fs::read_to_string(folder.join(format!("{stem}.md"))).unwrap();
            let last = md.lines().last().unwrap();
            let notice_line = last.starts_with("Issued ") && last.ends_with(reference.as_str());
            assert!(
                last.starts_with(&format!("{reference} · issued "))
                    || (stem == "zero-tolerance-notice" && notice_line),
                "{slug}/{stem}.md ends {last:?}"
            );
            // The web page: in its footer, with the issue date and version.
            let html = std::fs::read_to_string(folder.join(format!("{stem}.html"))).unwrap();
            assert!(
                html.contains(&format!("<dt>Reference</dt><dd>{reference}</dd>")),
                "{slug}/{stem}.html"
            );
            assert!(refs_in(&html).iter().all(|r| r == reference), "{stem}");
            // Every page of every PDF, standard and large print.
            let editions: &[&str] = if stem == "staff-handbook" {
                &[""]
            } else {
                &["", ".large-print"]
            };
            for edition in editions {
                let pdf = folder.join(format!("{stem}{edition}.pdf"));
                for (n, text) in page_texts(&pdf).iter().enumerate() {
                    let found = refs_in(text);
                    assert!(
                        !found.is_empty() && found.iter().all(|r| r == reference),
                        "{slug}/{stem}{edition}.pdf page {}: {found:?}, not {reference}\n{text}",
                        n + 1
                    );
                }
                // The Word file's footer; a poster's sign-off instead.
                let docx = folder.join(format!("{stem}{edition}.docx"));
                let report = word(&docx);
                if stem == "zero-tolerance-notice" && edition.is_empty() {
                    let signed = report["paragraphs"].as_array().unwrap().iter().any(|p| {
                        p["style"] == "Footer" && p["text"].as_str().unwrap().ends_with(reference)
                    });
                    assert!(
                        signed,
                        "{slug}/{stem}.docx has no sign-off with {reference}"
                    );
                    continue;
                }
                let footer = report["footer"][0].as_str().unwrap().to_string();
                assert!(
                    footer.ends_with(&format!("\t{reference} · Page 1 of 1")),
                    "{slug}/{stem}{edition}.docx footer {footer:?}"
                );
            }
            // The pack index, beside the document's files.
            assert!(
                index.contains(&format!("<span class=\"ref\">{reference}</span>")),
                "{slug}/{stem} not in the index"
            );
        }
    }
}

#[test]
fn the_reference_follows_what_is_printed_and_nothing_else() {
    let sandbox = ashfield();
    let out = sandbox.path().join("out");
    build_md(&sandbox, &[]).expect_code(0);
    let first = manifest_refs(&out, SLUG);

    // Built again from the same config: the same references.
    build_md(&sandbox, &["--force", "-o", "again"]).expect_code(0);
    assert_eq!(manifest_refs(&sandbox.path().join("again"), SLUG), first);

    // The LMC's phone is printed only in the handbook.
    edit(&sandbox, "0114 496 0400", "01302 999999");
    build_md(&sandbox, &[]).expect_code(0);
    let lmc = manifest_refs(&out, SLUG);
    assert_ne!(lmc["staff-handbook"], first["staff-handbook"]);
    assert_eq!(lmc["zero-tolerance-notice"], first["zero-tolerance-notice"]);
    assert_eq!(lmc["complaints-leaflet"], first["complaints-leaflet"]);

    // The complaints phone is printed in all three.
    edit(&sandbox, "0114 496 0457", "01302 123999");
    build_md(&sandbox, &[]).expect_code(0);
    let phone = manifest_refs(&out, SLUG);
    for stem in STEMS {
        assert_ne!(phone[stem], lmc[stem], "{stem}");
    }

    // The accent colour is not in the words, but it is what a copy shows.
    edit(&sandbox, "#005EB8", "#330072");
    build_md(&sandbox, &[]).expect_code(0);
    let accent = manifest_refs(&out, SLUG);
    for stem in STEMS {
        assert_ne!(accent[stem], phone[stem], "{stem}");
    }

    // Back as it was: back to the first references.
    sandbox.write("ashfield.toml", &example("ashfield-medical-centre.toml"));
    build_md(&sandbox, &[]).expect_code(0);
    assert_eq!(manifest_refs(&out, SLUG), first);
}

const WARNING: &str = "changed, but policy.version and policy.issued did not";

#[test]
fn a_document_that_changes_without_a_new_version_or_date_warns() {
    let sandbox = ashfield();
    let first = build_md(&sandbox, &[]);
    first.expect_code(0);
    assert!(!first.stderr().contains(WARNING), "{}", first.stderr());

    // A new complaints phone, and the same version and date.
    edit(&sandbox, "0114 496 0457", "01302 123999");
    let run = build_md(&sandbox, &[]);
    run.expect_code(0);
    let stderr = run.stderr();
    assert!(
        stderr.contains("ashfield.toml: warning: policy.version: zero-tolerance-notice (was Ref "),
        "{stderr}"
    );
    assert!(stderr.contains(WARNING), "{stderr}");
    assert!(
        stderr.contains("hint: raise policy.version, or set policy.issued"),
        "{stderr}"
    );
    assert!(run.stdout().contains("1 warning"), "{}", run.stdout());

    // The same as a JSON line.
    edit(&sandbox, "01302 123999", "01302 123888");
    let run = build_md(&sandbox, &["--message-format", "json"]);
    run.expect_code(0);
    let warning: Value = run
        .stdout()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|v| v["severity"] == "warning")
        .unwrap_or_else(|| panic!("no warning in {}", run.stdout()));
    assert_eq!(warning["key"], "policy.version");
    assert!(
        warning["message"].as_str().unwrap().contains(WARNING),
        "{warning}"
    );

    // With --deny-warnings the practice is not built: no file changes, and
    // the next build still compares with the last one that was.
    edit(&sandbox, "01302 123888", "01302 123777");
    let before = sandbox.read("out/ashfield-medical-centre/complaints-leaflet.md");
    let denied = build_md(&sandbox, &["--deny-warnings"]);
    denied.expect_code(1);
    assert!(
        denied.stderr().contains("error: policy.version"),
        "{}",
        denied.stderr()
    );
    assert_eq!(
        sandbox.read("out/ashfield-medical-centre/complaints-leaflet.md"),
        before
    );
    assert!(build_md(&sandbox, &[]).stderr().contains(WARNING));

    // A new version, or a new issue date, and no warning.
    edit(&sandbox, "01302 123777", "01302 123666");
    edit(&sandbox, "version = \"1.0\"", "version = \"1.1\"");
    let run = build_md(&sandbox, &[]);
    run.expect_code(0);
    assert!(run.stdout().contains("complaints.phone, policy.version"));
    assert!(!run.stderr().contains(WARNING), "{}", run.stderr());
    edit(&sandbox, "01302 123666", "01302 123555");
    edit(&sandbox, "issued = 2026-11-01", "issued = 2026-12-01");
    let run = build_md(&sandbox, &[]);
    run.expect_code(0);
    assert!(!run.stderr().contains(WARNING), "{}", run.stderr());
}

/// The manifest as JSON, edited and written back.
fn edit_manifest(sandbox: &Sandbox, change: impl Fn(&mut Value)) {
    let path = sandbox.path().join("out/manifest.json");
    let mut manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    change(&mut manifest);
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
}

#[test]
fn a_new_policypack_that_prints_the_same_does_not_warn() {
    let sandbox = ashfield();
    build_md(&sandbox, &[]).expect_code(0);
    let first = manifest_refs(&sandbox.path().join("out"), SLUG);
    // As an older policypack would have recorded the same documents: other
    // fingerprints (tool, templates, fonts), the same references.
    edit_manifest(&sandbox, |manifest| {
        manifest["tool_version"] = "0.0.1".into();
        let entry = &mut manifest["practices"][SLUG];
        entry["tool_version"] = "0.0.1".into();
        entry["fingerprint"] = "old".into();
        for fp in entry["documents"].as_object_mut().unwrap().values_mut() {
            *fp = "old".into();
        }
        for file in entry["files"].as_array_mut().unwrap() {
            file["fingerprint"] = "old".into();
        }
    });
    let run = build_md(&sandbox, &[]);
    run.expect_code(0);
    assert!(
        run.stdout().contains("— policypack 0.0.1 → "),
        "{}",
        run.stdout()
    );
    assert!(!run.stderr().contains(WARNING), "{}", run.stderr());
    assert_eq!(manifest_refs(&sandbox.path().join("out"), SLUG), first);
}

#[test]
fn a_manifest_from_before_references_is_read_and_its_files_made_again() {
    let sandbox = ashfield();
    build_md(&sandbox, &[]).expect_code(0);
    let first = manifest_refs(&sandbox.path().join("out"), SLUG);
    edit_manifest(&sandbox, |manifest| {
        let entry = manifest["practices"][SLUG].as_object_mut().unwrap();
        entry.remove("references");
    });
    let run = build_md(&sandbox, &[]);
    run.expect_code(0);
    assert!(
        run.stdout().contains("1 built") && run.stdout().contains("3 files written"),
        "{}",
        run.stdout()
    );
    assert!(!run.stderr().contains(WARNING), "{}", run.stderr());
    assert_eq!(manifest_refs(&sandbox.path().join("out"), SLUG), first);
}

/// The heights of the full-width horizontal rules on a PDF's last page,
/// top to bottom (PyMuPDF).
fn last_page_rules(path: &Path) -> Vec<f64> {
    let script = "import json, sys, pymupdf\n\
page = pymupdf.open(sys.argv[1])[-1]\n\
ys = sorted({round(item[1].y0, 1) for d in page.get_drawings() for item in d['items']\n\
    if item[0] == 're' and item[1].width > 400 and item[1].height < 2})\n\
print(json.dumps(ys))\n";
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "PyMuPDF (install it as .ci/run does): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn the_handbook_ends_with_a_sign_off_sheet_that_prints_its_own_reference() {
    let sandbox = ashfield();
    sandbox
        .run(&[
            "build",
            "ashfield.toml",
            "--docs",
            "staff-handbook",
            "--formats",
            "md,html,pdf,docx",
        ])
        .expect_code(0);
    let out = sandbox.path().join("out");
    let reference = &manifest_refs(&out, SLUG)["staff-handbook"];
    let sheet = format!("This version: {reference} · version 1.0 · issued 1 November 2026");

    // The PDF's last page is the sheet, and only the sheet.
    let pdf = out.join(SLUG).join("staff-handbook.pdf");
    let pages = page_texts(&pdf);
    let last = pages.last().unwrap();
    let lines: Vec<&str> = last
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("Syntax Error"))
        .collect();
    assert_eq!(lines[0], "Staff sign-off sheet", "{last}");
    assert!(lines[1].starts_with("When you sign this sheet"), "{last}");
    assert_eq!(lines[2], sheet, "{last}");
    let header: Vec<&str> = lines[3].split_whitespace().collect();
    assert_eq!(header, ["Name", "Role", "Signature", "Date"], "{last}");
    // Nothing else but the footer, whose reference is the sheet's.
    assert_eq!(lines.len(), 5, "{last}");
    assert_eq!(refs_in(lines[4]), [reference.as_str()], "{last}");
    assert!(
        pages[..pages.len() - 1]
            .iter()
            .all(|p| !p.contains("When you sign this sheet")),
        "the sheet starts before the last page"
    );
    // Fifteen rows, each tall enough to sign in (10 mm or more): the
    // rules under the header and each row (the last rule is the footer's).
    let rules = last_page_rules(&pdf);
    let rows = &rules[..rules.len() - 1];
    let tall = rows.windows(2).filter(|w| w[1] - w[0] >= 28.3).count();
    assert_eq!(tall, 15, "rules at {rules:?}");

    // Word: the sheet starts a page; its table is there to type or write in.
    let docx = word(&out.join(SLUG).join("staff-handbook.docx"));
    let paragraphs = docx["paragraphs"].as_array().unwrap();
    let heading = paragraphs
        .iter()
        .find(|p| p["text"] == "Staff sign-off sheet" && p["style"] == "Heading 1")
        .expect("a sign-off heading");
    assert_eq!(heading["page_break_before"], true);
    assert!(paragraphs.iter().any(|p| p["text"] == sheet.as_str()));
    let table = docx["tables"].as_array().unwrap().last().unwrap();
    assert_eq!(
        table["header"],
        serde_json::json!(["Name", "Role", "Signature", "Date"])
    );
    assert_eq!(table["rows"], 16);
    assert!(
        docx["footer"][0]
            .as_str()
            .unwrap()
            .contains(reference.as_str())
    );

    // The web page and the Markdown.
    let html = sandbox.read("out/ashfield-medical-centre/staff-handbook.html");
    let sheet_at = html.find("id=\"staff-sign-off-sheet\"").unwrap();
    assert_eq!(
        html[sheet_at..].matches("<tr class=\"write-in\">").count(),
        15
    );
    assert!(
        html.contains(&format!(
            "<strong>This version:</strong> {reference} · version 1.0 · issued 1 November 2026"
        )),
        "{html}"
    );
    let md = sandbox.read("out/ashfield-medical-centre/staff-handbook.md");
    assert!(
        md.contains(&format!("**This version:** {reference} · version 1.0")),
        "{md}"
    );
    assert!(md.contains("- [Staff sign-off sheet](#staff-sign-off-sheet)"));
}
