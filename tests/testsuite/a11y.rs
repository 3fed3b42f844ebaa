//! Accessibility and HTML validity of every page policypack writes.
//!
//! Builds every example practice, a practice with hostile values (markup,
//! template syntax, Markdown punctuation) and a logo, and a layout fixture
//! that puts every kind of Markdown through `page.html`; then runs
//! `tests/a11y/check.mjs` over all the HTML: axe-core in headless Chromium
//! (WCAG 2.2 A/AA), a self-containment and reflow check, and the W3C Nu
//! HTML checker. One test, so the browser and the JVM start once.
//!
//! Needs Node with `npm ci --prefix tests/a11y` done, Java, and Chromium
//! (Debian's `chromium` package); `.ci/run` sets all of them up. If any is
//! missing the test fails and says what to install: it never passes silently.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::harness::{Sandbox, repo};

/// A 32×32 PNG: the logo of the hostile practice.
pub const LOGO_PNG: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x20\x00\x00\x00\x20\x08\x02\x00\x00\x00\xfc\x18\xed\xa3\x00\x00\x00\x2e\x49\x44\x41\x54\x78\xda\x63\x60\x88\xdb\x41\x5b\x34\x6a\xc1\xa8\x05\x43\xd8\x82\xff\x24\x82\x51\x0b\x46\x2d\x18\xb5\x60\xd4\x82\x51\x0b\x86\xa7\x05\xa3\x55\xe6\xa8\x05\x23\xc8\x02\x00\x0c\x22\x3f\x5b\x78\xda\x5a\x66\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

const HOSTILE_NAME: &str = "St John's & Woodlands *Star* Surgery #1";
const HOSTILE_LEAD_NAME: &str = "Zoë O'Brien-Núñez {{ 7*7 }}";
const HOSTILE_LEAD_ROLE: &str = "<script>alert('x')</script>";

const SETUP: &str = "the accessibility check needs Node packages, Java and Chromium: \
run `npm ci --prefix tests/a11y` from the repository root and install Chromium \
(`apt-get install chromium`); .ci/run shows the whole setup";

#[test]
fn every_html_page_passes_axe_and_the_nu_checker() {
    let started = Instant::now();
    let a11y = repo().join("tests/a11y");
    for package in ["axe-core", "playwright-core", "vnu-jar"] {
        assert!(
            a11y.join("node_modules").join(package).is_dir(),
            "tests/a11y/node_modules/{package} is missing; {SETUP}"
        );
    }

    let sandbox = Sandbox::new();
    let out = sandbox.path().join("out");
    let configs = repo().join("practice-configs");
    sandbox
        .run(&[
            "build",
            path(&configs),
            "-o",
            path(&out),
            "--formats",
            "md,html",
        ])
        .expect_code(0);

    // A practice whose values try to be markup, Markdown and template code.
    let hostile_config = sandbox.write("hostile/hostile.toml", &hostile_config());
    std::fs::write(sandbox.path().join("hostile/logo.png"), LOGO_PNG).unwrap();
    let hostile_out = sandbox.path().join("hostile-out");
    sandbox
        .run(&[
            "build",
            path(&hostile_config),
            "-o",
            path(&hostile_out),
            "--formats",
            "md,html",
        ])
        .expect_code(0);

    // Every kind of Markdown (tables, block quotes, nested lists, long
    // links) through the page layout, whatever the real templates hold today.
    let layout_out = sandbox.path().join("layout-out");
    let ashfield = configs.join("ashfield-medical-centre.toml");
    sandbox
        .run(&[
            "build",
            path(&ashfield),
            "-o",
            path(&layout_out),
            "--formats",
            "html",
            "--docs",
            "staff-handbook",
            "--templates",
            path(&a11y.join("layout-templates")),
        ])
        .expect_code(0);

    let mut pages = Vec::new();
    for dir in [&out, &hostile_out, &layout_out] {
        html_files(dir, &mut pages);
    }
    pages.sort();
    // Each example practice's three documents, and the index.
    let practices = crate::harness::practice_configs(&configs).len();
    assert!(practices >= 6, "{practices} example practices");
    let examples = pages.iter().filter(|p| p.starts_with(&out)).count();
    assert_eq!(
        examples,
        3 * practices + 1,
        "the example practices' HTML in {}",
        out.display()
    );
    assert!(
        pages.iter().any(|p| p.starts_with(&hostile_out)),
        "the hostile practice wrote no HTML"
    );

    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        // The pack index has one script of its own, its search, which
        // check.mjs matches against the page's CSP hash; no other page has any.
        let own = usize::from(page.ends_with("index.html"));
        assert_eq!(
            html.matches("<script").count(),
            own,
            "{} has a <script>: a value was not escaped",
            page.display()
        );
    }
    let hostile_pages: Vec<String> = pages
        .iter()
        .filter(|p| p.starts_with(&hostile_out) && !p.ends_with("index.html"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(
        hostile_pages
            .iter()
            .all(|html| html.contains("<img class=\"logo\" src=\"data:image/png;base64,")),
        "the hostile practice's pages should show its logo as a data: URI"
    );

    let output = Command::new("node")
        .arg(a11y.join("check.mjs"))
        .args(&pages)
        .current_dir(sandbox.path())
        .output()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}); install Node.js; {SETUP}"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    match output.status.code() {
        Some(0) => {}
        Some(2) => panic!("the accessibility check could not run; {SETUP}\n\n{report}"),
        _ => panic!(
            "the HTML pages have accessibility or validity problems \
             (reproduce with `node tests/a11y/check.mjs FILES...`):\n\n{report}"
        ),
    }
    eprintln!(
        "{report}a11y test: {} pages in {:.1}s",
        pages.len(),
        started.elapsed().as_secs_f64()
    );
}

/// The Ashfield example with hostile values and a logo.
fn hostile_config() -> String {
    let path = repo().join("practice-configs/ashfield-medical-centre.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut config: toml::Table = text
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table = |config: &mut toml::Table, key: &str| -> toml::Table {
        match config.remove(key) {
            Some(toml::Value::Table(t)) => t,
            None => toml::Table::new(),
            Some(other) => panic!("[{key}] is not a table: {other}"),
        }
    };
    let mut practice = table(&mut config, "practice");
    practice.insert("name".into(), HOSTILE_NAME.into());
    config.insert("practice".into(), practice.into());
    let mut complaints = table(&mut config, "complaints");
    complaints.insert("lead_name".into(), HOSTILE_LEAD_NAME.into());
    complaints.insert("lead_role".into(), HOSTILE_LEAD_ROLE.into());
    config.insert("complaints".into(), complaints.into());
    let mut branding = table(&mut config, "branding");
    branding.insert("logo".into(), "logo.png".into());
    config.insert("branding".into(), branding.into());
    toml::to_string(&config).unwrap()
}

fn html_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            html_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "html") {
            files.push(path);
        }
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}
