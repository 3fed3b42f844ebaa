//! The Word files, checked with the readers people and tools use:
//! LibreOffice (each file converted to PDF, and pdftotext reads it back),
//! python-docx (styles, lists, tables, links, pictures, properties and
//! languages, through tests/docx/read.py) and pandoc.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use serde_json::Value;

use crate::harness::{Sandbox, repo};

/// A practice name made of WordprocessingML and template syntax.
const HOSTILE_NAME: &str = "<w:p>&\"'{{x}}";
const HOSTILE_SLUG: &str = "w-p-x";
/// A practice built with tests/docx/templates: numbered, nested and
/// restarted lists, every kind of link, a quote and an aligned table.
const LISTS_SLUG: &str = "list-test-surgery";

const INSTALL: &str = "install LibreOffice, pandoc, poppler-utils and python-docx as .ci/run does \
(apt-get install libreoffice-writer-nogui pandoc poppler-utils; python3 -m pip install python-docx)";

/// Runs a tool, failing with what to install when it cannot be run.
fn tool(name: &str, args: &[&str]) -> Output {
    Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name} ({e}); {INSTALL}"))
}

fn toml_string(value: &str) -> String {
    toml::Value::String(value.into()).to_string()
}

/// The English example renamed, with `extra` added to its branding.
fn renamed_example(name: &str, branding: &str) -> String {
    std::fs::read_to_string(repo().join("practice-configs/ashfield-medical-centre.toml"))
        .unwrap()
        .replace(
            "name = \"Ashfield Medical Centre\"",
            &format!("name = {}", toml_string(name)),
        )
        .replace(
            "accent_colour = \"#005EB8\"",
            &format!("accent_colour = \"#005EB8\"{branding}"),
        )
}

/// Builds `configs` into `out` in Markdown and Word, both editions.
fn build(sandbox: &Sandbox, configs: &[&Path], out: &Path, extra: &[&str]) {
    let mut args = vec!["build"];
    args.extend(configs.iter().map(|c| c.to_str().unwrap()));
    args.extend([
        "-o",
        out.to_str().unwrap(),
        "--formats",
        "md,docx",
        "--editions",
        "standard,large-print",
    ]);
    args.extend(extra);
    sandbox.run(&args).expect_code(0);
}

/// Every example practice, the hostile one (with a logo) and the lists
/// practice, built once for all tests here.
fn built() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("docx-examples");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let hostile = dir.join("hostile.toml");
        std::fs::write(
            &hostile,
            renamed_example(HOSTILE_NAME, "\nlogo = \"logo.png\""),
        )
        .unwrap();
        std::fs::write(dir.join("logo.png"), crate::a11y::LOGO_PNG).unwrap();
        let lists = dir.join("lists.toml");
        std::fs::write(&lists, renamed_example("List Test Surgery", "")).unwrap();
        let sandbox = Sandbox::new();
        let out = dir.join("out");
        build(
            &sandbox,
            &[&repo().join("practice-configs"), &hostile],
            &out,
            &[],
        );
        let templates = repo().join("tests/docx/templates");
        build(
            &sandbox,
            &[&lists],
            &dir.join("lists-out"),
            &[
                "--docs",
                "notice",
                "--templates",
                templates.to_str().unwrap(),
            ],
        );
        // The lists practice joins the others, so every test sees it.
        std::fs::rename(dir.join("lists-out").join(LISTS_SLUG), out.join(LISTS_SLUG)).unwrap();
        out
    })
}

fn all_docx() -> Vec<PathBuf> {
    let files: Vec<PathBuf> = crate::harness::practice_files(built())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    // Seven practices of three documents, two large-print documents each,
    // and the lists practice's notice in both editions.
    assert_eq!(files.len(), 7 * 5 + 2, "{files:#?}");
    files
}

fn docx(slug: &str, name: &str) -> PathBuf {
    built().join(slug).join(name)
}

/// The Markdown a Word file was made from (large print: the same text),
/// without the `.md` file's last line, "Ref … · issued …", which Word
/// shows in its footer instead. A document that prints its reference in
/// its own last line (the notice) keeps that line, as Word does.
fn markdown_of(path: &Path) -> String {
    let name = path.file_name().unwrap().to_str().unwrap();
    let stem = name
        .trim_end_matches(".docx")
        .trim_end_matches(".large-print");
    let markdown = std::fs::read_to_string(path.with_file_name(format!("{stem}.md"))).unwrap();
    let markdown = if stem == "zero-tolerance-notice" {
        poster_part(&markdown)
    } else {
        markdown
    };
    let (text, last) = markdown.trim_end().rsplit_once('\n').unwrap();
    if !(last.starts_with("Ref ") && last.contains(" · issued ")) {
        // A template that prints its reference on its own last line, as the
        // notice's "Issued … Ref …" does: that line is the document's.
        assert!(last.contains(" Ref "), "{stem}: {last}");
        return markdown;
    }
    format!("{text}\n")
}

/// The printed notice's Markdown: in each language, what comes before its
/// first `---` line (what follows is for the web page).
fn poster_part(markdown: &str) -> String {
    let mut kept = String::new();
    let mut skipping = false;
    for line in markdown.lines() {
        if line == "---" {
            skipping = true;
        } else if line.starts_with("# ") {
            skipping = false;
        }
        if !skipping {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}

/// What a reader must find of a document's Markdown.
#[derive(Default)]
struct Expected {
    /// Each heading's level and text, in order.
    headings: Vec<(u8, String)>,
    /// The first words of each paragraph outside tables.
    openings: Vec<String>,
    /// How many rules stand just before a level-1 or level-2 heading.
    page_breaks: usize,
}

fn expected(markdown: &str) -> Expected {
    let mut out = Expected::default();
    let (mut text, mut in_text, mut in_table) = (String::new(), false, false);
    let mut last_rule = false;
    for event in policypack::markdown::parser(markdown) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                if last_rule && matches!(level, HeadingLevel::H1 | HeadingLevel::H2) {
                    out.page_breaks += 1;
                }
                (in_text, last_rule) = (true, false);
                text.clear();
            }
            Event::End(TagEnd::Heading(level)) => {
                out.headings.push((level as u8, normalise(&text)));
                in_text = false;
            }
            Event::Start(Tag::Table(_)) => in_table = true,
            Event::End(TagEnd::Table) => in_table = false,
            Event::Start(Tag::Paragraph) if !in_table => {
                (in_text, last_rule) = (true, false);
                text.clear();
            }
            Event::End(TagEnd::Paragraph) if in_text => {
                let words: Vec<&str> = text.split_whitespace().take(4).collect();
                out.openings.push(words.join(" "));
                in_text = false;
            }
            Event::Text(t) | Event::Code(t) if in_text => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_text => text.push(' '),
            Event::Rule => last_rule = true,
            Event::Start(_) => last_rule = false,
            _ => {}
        }
    }
    out
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What python-docx reads of every Word file, by path.
fn python_docx() -> &'static BTreeMap<PathBuf, Value> {
    static REPORT: OnceLock<BTreeMap<PathBuf, Value>> = OnceLock::new();
    REPORT.get_or_init(|| {
        let script = repo().join("tests/docx/read.py");
        let files = all_docx();
        let mut args = vec![script.to_str().unwrap()];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        let output = tool("python3", &args);
        assert!(
            output.status.success(),
            "python-docx could not read the files ({INSTALL}):\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(|line| {
                let report: Value = serde_json::from_str(line).unwrap();
                (PathBuf::from(report["path"].as_str().unwrap()), report)
            })
            .collect()
    })
}

fn report(path: &Path) -> &'static Value {
    python_docx()
        .get(path)
        .unwrap_or_else(|| panic!("no report for {}", path.display()))
}

fn paragraphs(report: &Value) -> &Vec<Value> {
    report["paragraphs"].as_array().unwrap()
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

#[test]
fn libreoffice_converts_every_file_and_shows_its_text() {
    let sandbox = Sandbox::new();
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        sandbox.path().display()
    );
    // Copied under unique names: LibreOffice names each PDF after its file.
    let mut copies = Vec::new();
    for path in all_docx() {
        let slug = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let copy = sandbox.path().join(format!("{slug}__{name}"));
        std::fs::copy(&path, &copy).unwrap();
        copies.push((path, copy));
    }
    let pdfs = sandbox.path().join("pdf");
    let mut args = vec![
        profile.as_str(),
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        pdfs.to_str().unwrap(),
    ];
    args.extend(copies.iter().map(|(_, copy)| copy.to_str().unwrap()));
    let output = tool("soffice", &args);
    let log = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success() && !log.contains("Error"), "{log}");
    for (original, copy) in copies {
        let pdf = pdfs.join(copy.with_extension("pdf").file_name().unwrap());
        assert!(
            pdf.is_file(),
            "LibreOffice made no PDF of {}:\n{log}",
            original.display()
        );
        let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        assert!(
            text.status.success(),
            "pdftotext failed on {}",
            pdf.display()
        );
        let text = normalise(&String::from_utf8_lossy(&text.stdout));
        let expected = expected(&markdown_of(&original));
        assert!(!expected.headings.is_empty());
        for wanted in expected
            .headings
            .iter()
            .map(|(_, h)| h)
            .chain(&expected.openings)
        {
            assert!(
                text.contains(wanted.as_str()),
                "{} as LibreOffice shows it lacks {wanted:?}:\n{text}",
                original.display()
            );
        }
    }
}

#[test]
fn headings_are_title_and_word_headings_with_bookmarks() {
    for path in all_docx() {
        let report = report(&path);
        let markdown = markdown_of(&path);
        let headings: Vec<(&str, &str)> = paragraphs(report)
            .iter()
            .filter_map(|p| {
                let style = p["style"].as_str()?;
                (style == "Title" || style.starts_with("Heading "))
                    .then(|| (style, p["text"].as_str().unwrap_or("")))
            })
            .collect();
        let wanted: Vec<(&str, String)> = expected(&markdown)
            .headings
            .into_iter()
            .map(|(level, text)| {
                let style = match level {
                    1 => "Title",
                    2 => "Heading 1",
                    3 => "Heading 2",
                    _ => "Heading 3",
                };
                (style, text)
            })
            .collect();
        let got: Vec<(&str, String)> = headings
            .iter()
            .map(|(style, text)| (*style, normalise(text)))
            .collect();
        assert_eq!(got, wanted, "{}", path.display());
        // One bookmark per heading, named by its anchor as Word allows
        // (letters, digits and underscores, at most 40, no leading digit).
        let mut ids = policypack::markdown::HeadingIds::default();
        let anchors: Vec<String> = wanted
            .iter()
            .map(|(_, text)| policypack::render::docx::bookmark_name(&ids.next(text)))
            .collect();
        let bookmarks = strings(&report["bookmarks"]);
        assert_eq!(bookmarks, anchors, "{}", path.display());
        for name in bookmarks {
            assert!(
                name.len() <= 40
                    && name.starts_with('_')
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{name}"
            );
        }
    }
}

#[test]
fn a_rule_before_a_section_starts_a_new_page() {
    let path = docx("ashfield-medical-centre", "staff-handbook.docx");
    let breaks = paragraphs(report(&path))
        .iter()
        .filter(|p| p["page_break_before"] == Value::Bool(true))
        .count();
    let wanted = expected(&markdown_of(&path)).page_breaks;
    assert!(
        wanted >= 3,
        "the handbook has its log, checklist and appendix"
    );
    assert_eq!(breaks, wanted);
}

#[test]
fn lists_are_numbered_nested_and_restarted() {
    let report = report(&docx(LISTS_SLUG, "zero-tolerance-notice.docx"));
    let item = |text: &str| {
        paragraphs(report)
            .iter()
            .find(|p| p["text"] == text)
            .unwrap_or_else(|| panic!("no paragraph {text:?}"))
    };
    let list = |p: &Value| {
        let num = p["numbering"]["num"].as_i64().unwrap().to_string();
        let level = p["numbering"]["level"].as_i64().unwrap();
        (report["lists"][&num].clone(), level)
    };
    // A numbered list starting at 3, with a bullet and a number nested in it.
    for (text, style, format, level, start) in [
        ("Third step", "List Number", "decimal", 0, Some(3)),
        ("Fifth step", "List Number", "decimal", 0, Some(3)),
        ("A bullet under it", "List Bullet", "bullet", 1, None),
        ("A number under that", "List Number", "decimal", 2, Some(1)),
        ("First again", "List Number", "decimal", 0, Some(1)),
    ] {
        let p = item(text);
        assert_eq!(p["style"], style, "{text}");
        let (instance, got_level) = list(p);
        assert_eq!(got_level, level, "{text}");
        assert_eq!(instance["formats"][level as usize], format, "{text}");
        if let Some(start) = start {
            assert_eq!(instance["starts"][level.to_string()], start, "{text}");
        }
    }
    // The second list is a list of its own, so it counts from 1 again.
    assert_ne!(
        item("Third step")["numbering"]["num"],
        item("First again")["numbering"]["num"]
    );
    assert_eq!(item("A quoted line.")["style"], "Quote");
    // The examples' bulleted lists are real lists too.
    // The handbook has dozens of them; a Word file with none would be a
    // failure, not a pass.
    let handbook = report_of("ashfield-medical-centre", "staff-handbook.docx");
    let bullets: Vec<&Value> = paragraphs(handbook)
        .iter()
        .filter(|p| p["style"] == "List Bullet")
        .collect();
    assert!(bullets.len() >= 20, "{} bulleted paragraphs", bullets.len());
    for p in bullets {
        let num = p["numbering"]["num"].as_i64().unwrap().to_string();
        let level = p["numbering"]["level"].as_u64().unwrap() as usize;
        assert_eq!(handbook["lists"][&num]["formats"][level], "bullet", "{p}");
    }
}

fn report_of(slug: &str, name: &str) -> &'static Value {
    report(&docx(slug, name))
}

#[test]
fn tables_repeat_their_shaded_header_row() {
    let handbook = report_of("ashfield-medical-centre", "staff-handbook.docx");
    let tables = handbook["tables"].as_array().unwrap();
    assert!(tables.len() >= 3, "{tables:?}");
    for table in tables {
        assert_eq!(table["header_repeats"], true, "{table}");
        assert_eq!(table["style"], "Table Grid", "{table}");
    }
    // The notice's own table (a poster's rows beside its QR code are
    // borderless layout tables, without a style).
    let lists = report_of(LISTS_SLUG, "zero-tolerance-notice.docx");
    let table = lists["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["style"] == "Table Grid")
        .unwrap();
    assert_eq!(table["header"], serde_json::json!(["Who", "When"]));
    assert_eq!(table["header_repeats"], true);
}

#[test]
fn links_keep_their_targets() {
    let lists = report_of(LISTS_SLUG, "zero-tolerance-notice.docx");
    let links = lists["links"].as_array().unwrap();
    let target = |text: &str| {
        let link = links
            .iter()
            .find(|l| l["text"] == text)
            .unwrap_or_else(|| panic!("no link {text:?} in {links:?}"));
        (
            link["address"].as_str().unwrap().to_string(),
            link["fragment"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(target("website").0, "https://example.org/a?b=1&c=2");
    assert_eq!(target("the practice").0, "mailto:practice@example.org");
    assert_eq!(target("0114 496 0456").0, "tel:+441144960456");
    assert_eq!(target("the steps"), (String::new(), "_steps".to_string()));
    assert!(strings(&lists["bookmarks"]).contains(&"_steps"));

    // Every contents entry of every handbook goes to a bookmark in it.
    for path in all_docx()
        .into_iter()
        .filter(|p| p.ends_with("staff-handbook.docx"))
    {
        let report = report(&path);
        let bookmarks = strings(&report["bookmarks"]);
        let fragments: Vec<&str> = report["links"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| l["fragment"].as_str().filter(|f| !f.is_empty()))
            .collect();
        assert!(fragments.len() >= 10, "{}", path.display());
        for fragment in fragments {
            assert!(
                bookmarks.contains(&fragment),
                "{}: #{fragment}",
                path.display()
            );
        }
    }
}

#[test]
fn pictures_are_described() {
    let qr = "QR code linking to https://www.ashfieldmedical.nhs.uk/complaints";
    let logo = format!("{HOSTILE_NAME} logo");
    for (name, wanted) in [
        ("zero-tolerance-notice.docx", vec![logo.as_str(), qr]),
        ("complaints-leaflet.docx", vec![logo.as_str(), qr]),
        (
            "complaints-leaflet.large-print.docx",
            vec![logo.as_str(), qr],
        ),
        ("staff-handbook.docx", vec![logo.as_str()]),
    ] {
        let report = report_of(HOSTILE_SLUG, name);
        assert_eq!(strings(&report["pictures"]), wanted, "{name}");
    }
    let ashfield = report_of("ashfield-medical-centre", "zero-tolerance-notice.docx");
    assert_eq!(strings(&ashfield["pictures"]), vec![qr]);
}

#[test]
fn properties_come_from_the_config_not_the_clock() {
    let handbook = report_of("ashfield-medical-centre", "staff-handbook.docx");
    let core = &handbook["core"];
    assert_eq!(
        core["title"],
        "Staff guidance: online and social media feedback — Ashfield Medical Centre"
    );
    assert_eq!(core["author"], "Ashfield Medical Centre");
    assert_eq!(
        core["subject"],
        "Staff guidance on managing online and social media feedback"
    );
    assert_eq!(core["language"], "en-GB");
    assert_eq!(core["created"], "2026-11-01T00:00:00+00:00");
    assert_eq!(core["modified"], "2026-11-01T00:00:00+00:00");
    // The handbook's reference, as the manifest records it.
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(built().join("manifest.json")).unwrap())
            .unwrap();
    let code = manifest["practices"]["ashfield-medical-centre"]["references"]["staff-handbook"]
        .as_str()
        .unwrap();
    assert_eq!(
        strings(&handbook["footer"]),
        vec![format!(
            "Ashfield Medical Centre — Staff guidance: online and social media feedback\tRef {code} · Page 1 of 1"
        )]
    );
    assert_eq!(handbook["page"]["width"].as_f64().unwrap().round(), 595.0);
    assert_eq!(handbook["page"]["height"].as_f64().unwrap().round(), 842.0);
}

#[test]
fn text_is_british_english_and_a_welsh_part_welsh() {
    for path in all_docx() {
        assert_eq!(
            report(&path)["languages"]["default"],
            "en-GB",
            "{}",
            path.display()
        );
    }
    // The notice in Wales: the Welsh half's runs are Welsh, the link's
    // too, and nothing of the English half is.
    let notice = report(&docx("meddygfa-ty-gwyn", "zero-tolerance-notice.docx"));
    let runs = &notice["languages"]["runs"];
    let welsh = runs["cy-GB"].as_str().unwrap_or_default();
    for text in [
        "Parchwch ein staff",
        "Gallwn roi rhybudd",
        "Cyhoeddwyd 15 Hydref 2026",
        "Ffôn: 029 2018 0234",
    ] {
        assert!(welsh.contains(text), "{text:?} not Welsh: {runs}");
    }
    assert!(!welsh.contains("Respect our staff"), "{runs}");
    let english = runs["None"].as_str().unwrap_or_default();
    assert!(english.contains("Respect our staff"), "{runs}");
    assert!(!english.contains("Parchwch"), "{runs}");
    let titles: Vec<&str> = paragraphs(notice)
        .iter()
        .filter(|p| p["style"] == "Title")
        .filter_map(|p| p["text"].as_str())
        .collect();
    assert_eq!(titles, ["Parchwch ein staff", "Respect our staff"]);
}

#[test]
fn pandoc_reads_every_file() {
    for path in all_docx() {
        let output = tool(
            "pandoc",
            &[
                "-f",
                "docx",
                "-t",
                "markdown",
                "-s",
                "--wrap=none",
                path.to_str().unwrap(),
            ],
        );
        let text = String::from_utf8_lossy(&output.stdout).replace('\\', "");
        assert!(
            output.status.success(),
            "pandoc failed on {}: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let text = normalise(&text);
        for (_, heading) in expected(&markdown_of(&path)).headings {
            assert!(
                text.contains(&heading),
                "pandoc's reading of {} lacks {heading:?}",
                path.display()
            );
        }
    }
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let sandbox = Sandbox::new();
    let hostile = sandbox.write(
        "hostile.toml",
        &renamed_example(HOSTILE_NAME, "\nlogo = \"logo.png\""),
    );
    std::fs::write(sandbox.path().join("logo.png"), crate::a11y::LOGO_PNG).unwrap();
    let welsh = repo().join("practice-configs/meddygfa-ty-gwyn.toml");
    // Once with another practice in the same process, once alone: nothing
    // counted across documents may leak into a file.
    build(
        &sandbox,
        &[&hostile, &welsh],
        &sandbox.path().join("a"),
        &[],
    );
    build(&sandbox, &[&welsh], &sandbox.path().join("b"), &[]);
    build(&sandbox, &[&hostile], &sandbox.path().join("b"), &[]);
    let files = |out: &str| -> Vec<(PathBuf, Vec<u8>)> {
        crate::harness::practice_files(&sandbox.path().join(out))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "docx"))
            .map(|p| {
                (
                    p.strip_prefix(sandbox.path().join(out))
                        .unwrap()
                        .to_path_buf(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect()
    };
    let (a, b) = (files("a"), files("b"));
    assert_eq!(a.len(), 10);
    for ((name_a, bytes_a), (name_b, bytes_b)) in a.iter().zip(&b) {
        assert_eq!(name_a, name_b);
        assert!(
            bytes_a == bytes_b,
            "{} differs between builds",
            name_a.display()
        );
    }
}

#[test]
fn a_hostile_name_comes_out_literally() {
    let path = docx(HOSTILE_SLUG, "zero-tolerance-notice.docx");
    let report = report(&path);
    assert_eq!(report["core"]["author"], HOSTILE_NAME);
    // The poster has no running footer; the leaflet's names the practice.
    let leaflet = self::report(&docx(HOSTILE_SLUG, "complaints-leaflet.docx"));
    assert!(strings(&leaflet["footer"])[0].starts_with(&format!("{HOSTILE_NAME} — ")));
    assert!(
        paragraphs(report).iter().any(|p| p["text"] == HOSTILE_NAME),
        "the notice names the practice"
    );
    // The name is text in the XML, never markup.
    let file = std::fs::File::open(&path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(xml.contains("&lt;w:p&gt;&amp;&quot;&apos;{{x}}"), "{xml}");
    assert!(!xml.contains(HOSTILE_NAME));
}

/// The handbook's feedback log has room for a dozen posts: at least 12
/// empty rows to write in, under its header and example row.
#[test]
fn the_feedback_log_has_twelve_rows_to_write_in() {
    let handbook = report(&docx("ashfield-medical-centre", "staff-handbook.docx"));
    let log = handbook["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["header"][0] == "Ref" && t["header"][1] == "Date seen")
        .expect("the feedback log");
    assert!(log["rows"].as_u64().unwrap() >= 1 + 1 + 12, "{log}");
}
