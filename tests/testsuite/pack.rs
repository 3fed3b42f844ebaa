//! Building many practices: incremental rebuilds that name what changed,
//! manifest, index, zips, pruning, interruption and review status.

use std::path::Path;
use std::time::SystemTime;

use crate::harness::{Sandbox, example, repo};

/// The example LMC folder and the English example, copied into a sandbox.
fn lmc_sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    let lmc = repo().join("practice-configs/doncaster-lmc");
    for entry in std::fs::read_dir(lmc).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        sandbox.write(
            &format!("lmc/{}", path.file_name().unwrap().to_string_lossy()),
            &text,
        );
    }
    let ashfield =
        std::fs::read_to_string(repo().join("practice-configs/ashfield-medical-centre.toml"))
            .unwrap();
    sandbox.write("lmc/ashfield.toml", &ashfield);
    sandbox
}

fn mtimes(dir: &Path) -> Vec<(String, SystemTime)> {
    let mut out = Vec::new();
    for practice in std::fs::read_dir(dir).unwrap() {
        let practice = practice.unwrap().path();
        let files: Vec<_> = if practice.is_dir() {
            std::fs::read_dir(&practice)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect()
        } else {
            vec![practice]
        };
        for file in files {
            out.push((
                file.display().to_string(),
                std::fs::metadata(&file).unwrap().modified().unwrap(),
            ));
        }
    }
    out.sort();
    out
}

fn changed(before: &[(String, SystemTime)], after: &[(String, SystemTime)]) -> Vec<String> {
    after
        .iter()
        .filter(|(path, time)| {
            before
                .iter()
                .find(|(p, _)| p == path)
                .is_none_or(|(_, t)| t != time)
        })
        .map(|(path, _)| {
            path.rsplit('/')
                .take(2)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

#[test]
fn rebuilds_only_what_changed_and_names_the_keys() {
    let sandbox = lmc_sandbox();
    let first = sandbox.run(&["build", "lmc", "--formats", "md,html", "--zip"]);
    first.expect_code(0);
    assert!(
        first.stdout().contains("3 practices: 3 built"),
        "{}",
        first.stdout()
    );
    let out = sandbox.path().join("out");
    let before = mtimes(&out);

    // Nothing changed: nothing is written, not even the manifest or index.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let noop = sandbox.run(&["build", "lmc", "--formats", "md,html", "--zip"]);
    noop.expect_code(0);
    assert!(
        noop.stdout()
            .contains("0 built, 3 unchanged, 0 failed; 0 files written"),
        "{}",
        noop.stdout()
    );
    assert_eq!(changed(&before, &mtimes(&out)), Vec::<String>::new());

    // One practice's complaints phone: its documents that print it, and its zip.
    let ashfield = sandbox
        .read("lmc/ashfield.toml")
        .replace("0114 496 0457", "01302 123499");
    sandbox.write("lmc/ashfield.toml", &ashfield);
    let phone = sandbox.run(&["build", "lmc", "--formats", "md,html", "--zip"]);
    phone.expect_code(0);
    assert!(
        phone.stdout().contains("ashfield-medical-centre: zero-tolerance-notice, complaints-leaflet, staff-handbook — complaints.phone"),
        "{}",
        phone.stdout()
    );
    let rewritten = changed(&before, &mtimes(&out));
    assert!(
        rewritten.iter().all(|p| p.contains("ashfield")
            || p.ends_with("manifest.json")
            || p.ends_with("index.html")
            || p.starts_with("changes/")),
        "{rewritten:?}"
    );
    assert!(
        rewritten
            .iter()
            .any(|p| p.ends_with("ashfield-medical-centre.zip")),
        "{rewritten:?}"
    );
    assert!(
        sandbox
            .read("out/ashfield-medical-centre/complaints-leaflet.md")
            .contains("01302 123499")
    );

    // The LMC's shared defaults: every practice that extends them.
    let before = mtimes(&out);
    let lmc = sandbox
        .read("lmc/_lmc.toml")
        .replace("0114 496 0100", "0114 305 1099");
    sandbox.write("lmc/_lmc.toml", &lmc);
    let shared = sandbox.run(&["build", "lmc", "--formats", "md,html"]);
    shared.expect_code(0);
    for slug in ["conisbrough-group-practice", "thorne-moor-surgery"] {
        assert!(
            shared.stdout().contains(&format!(
                "{slug}: complaints-leaflet, staff-handbook — commissioner.phone"
            )),
            "{}",
            shared.stdout()
        );
    }
    assert!(
        !shared.stdout().contains("ashfield-medical-centre:"),
        "{}",
        shared.stdout()
    );
    assert!(
        changed(&before, &mtimes(&out))
            .iter()
            .all(|p| !p.contains("ashfield"))
    );
}

#[test]
fn manifest_index_and_zip_describe_every_file() {
    let sandbox = lmc_sandbox();
    sandbox.run(&["build", "lmc", "--zip"]).expect_code(0);
    let manifest: serde_json::Value =
        serde_json::from_str(&sandbox.read("out/manifest.json")).unwrap();
    let practices = manifest["practices"].as_object().unwrap();
    assert_eq!(practices.len(), 3);
    for (slug, entry) in practices {
        let files = entry["files"].as_array().unwrap();
        assert_eq!(files.len(), 10, "{slug}: nine documents and a zip");
        for file in files {
            let path = sandbox
                .path()
                .join("out")
                .join(file["path"].as_str().unwrap());
            let bytes = std::fs::read(&path).unwrap();
            assert_eq!(file["bytes"].as_u64().unwrap(), bytes.len() as u64);
            use sha2::Digest as _;
            let digest: String = sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(
                file["sha256"].as_str().unwrap(),
                digest,
                "{}",
                path.display()
            );
            assert_eq!(file["fingerprint"].as_str().unwrap().len(), 64);
        }
        // The zip holds the practice's nine files.
        let zip = std::fs::File::open(sandbox.path().join(format!("out/{slug}.zip"))).unwrap();
        let archive = zip::ZipArchive::new(zip).unwrap();
        let mut names: Vec<&str> = archive.file_names().collect();
        names.sort();
        assert_eq!(names.len(), 9, "{names:?}");
        assert!(
            names.iter().all(|n| n.starts_with(&format!("{slug}/"))),
            "{names:?}"
        );
    }
    let index = sandbox.read("out/index.html");
    assert!(index.contains("<html lang=\"en-GB\">"));
    for name in [
        "Ashfield Medical Centre",
        "Conisbrough Group Practice",
        "Thorne Moor Surgery",
        "1 November 2027",
    ] {
        assert!(index.contains(name), "index lacks {name}");
    }
    let hrefs: Vec<&str> = index
        .split(" href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|href| *href != "#main")
        .collect();
    assert_eq!(hrefs.len(), 3 * 10, "nine documents and a zip per practice");
    for href in hrefs {
        let href = href.replace("&#x2F;", "/");
        assert!(
            sandbox.path().join("out").join(&href).is_file(),
            "broken link {href}"
        );
    }
}

#[test]
fn a_broken_config_does_not_stop_the_folder() {
    let sandbox = lmc_sandbox();
    let broken = sandbox
        .read("lmc/thorne-moor-surgery.toml")
        .replace("DN8 5AA", "DN8");
    sandbox.write("lmc/thorne-moor-surgery.toml", &broken);
    let run = sandbox.run(&["build", "lmc", "--formats", "md", "-j", "2"]);
    run.expect_code(1);
    assert!(
        run.stdout()
            .contains("3 practices: 2 built, 0 unchanged, 1 failed"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stderr()
            .contains("thorne-moor-surgery.toml:10:12: error: practice.postcode"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr()
            .contains("failed:\n  lmc/thorne-moor-surgery.toml"),
        "{}",
        run.stderr()
    );
    assert!(
        sandbox
            .path()
            .join("out/ashfield-medical-centre/staff-handbook.md")
            .is_file()
    );
}

#[test]
fn removed_practices_are_reported_and_pruned() {
    let sandbox = lmc_sandbox();
    sandbox
        .run(&["build", "lmc", "--formats", "md"])
        .expect_code(0);
    std::fs::remove_file(sandbox.path().join("lmc/ashfield.toml")).unwrap();
    let kept = sandbox.run(&["build", "lmc", "--formats", "md"]);
    assert!(
        kept.stdout()
            .contains("ashfield-medical-centre: lmc/ashfield.toml is no longer built"),
        "{}",
        kept.stdout()
    );
    assert!(
        sandbox
            .path()
            .join("out/ashfield-medical-centre/staff-handbook.md")
            .is_file()
    );
    let pruned = sandbox.run(&["build", "lmc", "--formats", "md", "--prune"]);
    assert!(
        pruned.stdout().contains("ashfield-medical-centre: removed"),
        "{}",
        pruned.stdout()
    );
    assert!(!sandbox.path().join("out/ashfield-medical-centre").exists());
    assert!(
        !sandbox
            .read("out/manifest.json")
            .contains("ashfield-medical-centre")
    );
}

#[test]
fn leftover_temporary_files_are_cleaned_up() {
    let sandbox = lmc_sandbox();
    sandbox
        .run(&["build", "lmc", "--formats", "md"])
        .expect_code(0);
    // As a build killed with kill -9 in the middle of a write leaves them.
    sandbox.write(
        "out/ashfield-medical-centre/.policypack-AbC123.tmp",
        "half a file",
    );
    sandbox.write("out/.policypack-XyZ789.tmp", "half a manifest");
    // One in a folder elsewhere, linked from `out/`, is not the build's.
    sandbox.write("elsewhere/.policypack-Keep00.tmp", "not the build's");
    std::os::unix::fs::symlink(
        sandbox.path().join("elsewhere"),
        sandbox.path().join("out/linked"),
    )
    .unwrap();
    sandbox
        .run(&["build", "lmc", "--formats", "md"])
        .expect_code(0);
    assert!(
        sandbox
            .path()
            .join("elsewhere/.policypack-Keep00.tmp")
            .exists()
    );
    assert!(
        !sandbox
            .path()
            .join("out/ashfield-medical-centre/.policypack-AbC123.tmp")
            .exists()
    );
    assert!(!sandbox.path().join("out/.policypack-XyZ789.tmp").exists());
}

#[test]
fn ctrl_c_stops_the_build_with_130_and_every_file_whole() {
    let sandbox = Sandbox::new();
    let config =
        std::fs::read_to_string(repo().join("practice-configs/ashfield-medical-centre.toml"))
            .unwrap();
    for i in 0..60 {
        sandbox.write(
            &format!("many/p{i}.toml"),
            &config.replace(
                "ods_code = \"C86099\"",
                &format!("ods_code = \"C86099\"\nslug = \"p{i}\""),
            ),
        );
    }
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("policypack"))
        .args(["build", "many", "-j", "1", "-q"])
        .current_dir(sandbox.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the build is under way, then interrupt it.
    let first = sandbox.path().join("out/p0");
    let started = std::time::Instant::now();
    while !first.exists() && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out = sandbox.path().join("out");
    let built = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert!(built < 60, "the build was not stopped");
    for practice in std::fs::read_dir(&out).unwrap() {
        let practice = practice.unwrap().path();
        if !practice.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&practice).unwrap() {
            let name = file.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                !name.starts_with(".policypack-"),
                "temporary file left: {name}"
            );
        }
        // Interrupted practices are whole or absent: every PDF there is complete.
        let pdf = practice.join("staff-handbook.pdf");
        if pdf.exists() {
            let bytes = std::fs::read(&pdf).unwrap();
            assert!(
                bytes.ends_with(b"%%EOF") || bytes.ends_with(b"%%EOF\n"),
                "{} is cut short",
                pdf.display()
            );
        }
    }
    // The next build finishes the job.
    let again = sandbox.run(&["build", "many", "-q"]);
    again.expect_code(0);
    assert_eq!(
        std::fs::read_dir(&out)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_dir())
            .count(),
        60 + 1,
        "60 practices and changes/"
    );
}

#[test]
fn status_shows_reviews_and_stale_outputs() {
    let sandbox = lmc_sandbox();
    let before = sandbox.run(&["status", "lmc", "--today", "2027-09-01"]);
    before.expect_code(0);
    assert!(before.stdout().contains("not built"), "{}", before.stdout());
    sandbox
        .run(&["build", "lmc", "--formats", "md"])
        .expect_code(0);
    let current = sandbox.run(&[
        "status",
        "lmc",
        "--today",
        "2027-09-01",
        "--fail-on-overdue",
    ]);
    current.expect_code(0);
    assert!(
        current.stdout().contains(
            "3 practices on 1 September 2027: 0 overdue for review, 0 with outputs to build"
        ),
        "{}",
        current.stdout()
    );

    // After the review date (Conisbrough: issued 1 October 2026, 12 months).
    let late = sandbox.run(&[
        "status",
        "lmc",
        "--today",
        "2027-10-02",
        "--fail-on-overdue",
    ]);
    late.expect_code(1);
    assert!(late.stdout().contains("yes, 1 days"), "{}", late.stdout());
    sandbox
        .run(&["status", "lmc", "--today", "2027-10-02"])
        .expect_code(0);

    // A changed config makes that practice's outputs stale.
    let ashfield = sandbox
        .read("lmc/ashfield.toml")
        .replace("0114 496 0457", "01302 123499");
    sandbox.write("lmc/ashfield.toml", &ashfield);
    let json = sandbox.run(&[
        "status",
        "lmc",
        "--today",
        "2027-09-01",
        "--message-format",
        "json",
    ]);
    json.expect_code(0);
    let rows: Vec<serde_json::Value> = json
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ashfield = rows
        .iter()
        .find(|r| r["slug"] == "ashfield-medical-centre")
        .unwrap();
    assert_eq!(ashfield["outputs"], "stale");
    assert_eq!(ashfield["review_due"], "2027-11-01");
    assert!(
        rows.iter()
            .filter(|r| r["slug"] != "ashfield-medical-centre")
            .all(|r| r["outputs"] == "current")
    );
}

/// The 40 active Doncaster practices (commissioner 02X) from the real ODS
/// file, with the example LMC defaults: the whole LMC workflow.
#[test]
fn doncaster_lmc_end_to_end() {
    let sandbox = Sandbox::new();
    let lmc =
        std::fs::read_to_string(repo().join("practice-configs/doncaster-lmc/_lmc.toml")).unwrap();
    sandbox.write("doncaster/_lmc.toml", &lmc);
    let import = crate::import::import_doncaster(&sandbox, &[]);
    import.expect_code(0);
    assert!(
        import.stdout().contains("written 40"),
        "{}",
        import.stdout()
    );
    sandbox.run(&["check", "doncaster", "-q"]).expect_code(0);

    let first = sandbox.run(&["build", "doncaster", "--zip"]);
    first.expect_code(0);
    assert!(
        first
            .stdout()
            .contains("40 practices: 40 built, 0 unchanged, 0 failed; 400 files written"),
        "{}",
        first.stdout()
    );
    let out = sandbox.path().join("out");
    let before = mtimes(&out);

    let noop = sandbox.run(&["build", "doncaster", "--zip"]);
    assert!(
        noop.stdout()
            .contains("0 built, 40 unchanged, 0 failed; 0 files written"),
        "{}",
        noop.stdout()
    );
    assert_eq!(changed(&before, &mtimes(&out)), Vec::<String>::new());

    // One practice changes its phone number.
    let mut configs: Vec<_> = std::fs::read_dir(sandbox.path().join("doncaster"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    configs.sort();
    let one = &configs[0];
    let slug = one.file_stem().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(one).unwrap();
    let phone_line = text
        .lines()
        .find(|l| l.starts_with("phone = "))
        .unwrap()
        .to_string();
    std::fs::write(one, text.replace(&phone_line, "phone = \"01302 999999\"")).unwrap();
    let phone = sandbox.run(&["build", "doncaster", "--zip"]);
    assert!(
        phone.stdout().contains(&format!("{slug}: "))
            && phone.stdout().contains("— practice.phone"),
        "{}",
        phone.stdout()
    );
    assert!(
        phone
            .stdout()
            .contains("40 practices: 1 built, 39 unchanged"),
        "{}",
        phone.stdout()
    );
    assert!(
        changed(&before, &mtimes(&out))
            .iter()
            .all(|p| p.contains(&slug) || p.starts_with("out/") || p.starts_with("changes/")),
        "other practices touched"
    );

    // The LMC's defaults change: all 40 are rebuilt, naming the key.
    let lmc = sandbox
        .read("doncaster/_lmc.toml")
        .replace("0306 999 0370", "0300 456 2399");
    sandbox.write("doncaster/_lmc.toml", &lmc);
    let shared = sandbox.run(&["build", "doncaster", "--zip", "--formats", "md,html,pdf"]);
    assert!(
        shared.stdout().contains("40 practices: 40 built"),
        "{}",
        shared.stdout()
    );
    assert_eq!(
        shared.stdout().matches("— advocacy.phone").count(),
        40,
        "{}",
        shared.stdout()
    );

    // Reviews: issued 1 November 2026 for 12 months in the LMC defaults.
    sandbox
        .run(&[
            "status",
            "doncaster",
            "--today",
            "2027-11-01",
            "--fail-on-overdue",
        ])
        .expect_code(0);
    let late = sandbox.run(&[
        "status",
        "doncaster",
        "--today",
        "2027-11-02",
        "--fail-on-overdue",
    ]);
    late.expect_code(1);
    assert!(
        late.stdout().contains(
            "40 practices on 2 November 2027: 40 overdue for review, 0 with outputs to build"
        ),
        "{}",
        late.stdout()
    );
}

#[test]
fn a_changed_issue_date_is_reported_as_policy_issued() {
    let sandbox = Sandbox::new();
    let config =
        std::fs::read_to_string(repo().join("practice-configs/ashfield-medical-centre.toml"))
            .unwrap();
    sandbox.write("a.toml", &config);
    sandbox
        .run(&["build", "a.toml", "--formats", "md"])
        .expect_code(0);
    sandbox.write(
        "a.toml",
        &config.replace("issued = 2026-11-01", "issued = 2026-12-01"),
    );
    let human = sandbox.run(&["build", "a.toml", "--formats", "md"]);
    human.expect_code(0);
    assert!(
        human
            .stdout()
            .contains("— policy.issued (reprint; staff sign again)\n"),
        "{}",
        human.stdout()
    );
    sandbox.write(
        "a.toml",
        &config.replace("issued = 2026-11-01", "issued = 2027-01-04"),
    );
    let json = sandbox.run(&[
        "build",
        "a.toml",
        "--formats",
        "md",
        "--message-format",
        "json",
    ]);
    json.expect_code(0);
    let line: serde_json::Value =
        serde_json::from_str(json.stdout().lines().next().unwrap()).unwrap();
    assert_eq!(line["changed_keys"], serde_json::json!(["policy.issued"]));
    let manifest = sandbox.read("out/manifest.json");
    assert!(!manifest.contains("toml_private"), "{manifest}");
    assert!(manifest.contains("\"policy.issued\""), "{manifest}");
}

#[test]
fn a_changed_document_takes_its_other_editions_away_and_nothing_to_build_is_refused() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    sandbox
        .run(&[
            "build",
            "a.toml",
            "--formats",
            "md,pdf",
            "--editions",
            "standard,large-print",
            "--zip",
        ])
        .expect_code(0);
    let large = sandbox
        .path()
        .join("out/ashfield-medical-centre/complaints-leaflet.large-print.pdf");
    assert!(large.is_file());
    // The complaints phone changes; this build makes the standard edition only.
    let changed = example("ashfield-medical-centre.toml").replace("0114 496 0457", "01302 999999");
    sandbox.write("a.toml", &changed);
    sandbox
        .run(&["build", "a.toml", "--formats", "md,pdf", "--zip"])
        .expect_code(0);
    assert!(
        !large.exists(),
        "a large-print leaflet with the old phone number was kept"
    );
    let zip = std::fs::read(sandbox.path().join("out/ashfield-medical-centre.zip")).unwrap();
    assert!(
        !String::from_utf8_lossy(&zip).contains("large-print"),
        "the zip still holds large print"
    );
    let status = sandbox.run(&["status", "a.toml", "-o", "out", "--message-format", "json"]);
    assert!(
        status.stdout().contains("\"outputs\":\"current\""),
        "{}",
        status.stdout()
    );
    // The handbook has no large-print edition: nothing to make is an error.
    let run = sandbox.run(&[
        "build",
        "a.toml",
        "--docs",
        "handbook",
        "--editions",
        "large-print",
    ]);
    run.expect_code(2);
    assert!(run.stderr().contains("make no file"), "{}", run.stderr());
}

/// The index puts a practice's issue date before its review date, and
/// marks in words (not colour alone) a review that is overdue on the day
/// the index is made.
#[test]
fn the_index_marks_overdue_reviews() {
    let sandbox = Sandbox::new();
    let today = chrono::Local::now().date_naive();
    let ashfield = example("ashfield-medical-centre.toml");
    sandbox.write(
        "configs/old.toml",
        &ashfield.replace("issued = 2026-11-01", "issued = 2020-01-01"),
    );
    sandbox.write(
        "configs/new.toml",
        &ashfield
            .replace("issued = 2026-11-01", &format!("issued = {today}"))
            .replace(
                "name = \"Ashfield Medical Centre\"",
                "name = \"Newfield Medical Centre\"",
            ),
    );
    sandbox
        .run(&["build", "configs", "--formats", "md", "-o", "out"])
        .expect_code(0);
    let index = sandbox.read("out/index.html");
    let header = index
        .lines()
        .find(|l| l.starts_with("<tr><th scope=\"col\">"))
        .unwrap();
    assert!(
        header.find(">Issued<").unwrap() < header.find(">Review due<").unwrap(),
        "{header}"
    );
    let row = |name: &str| {
        let at = index.find(&format!("<th scope=\"row\">{name}")).unwrap();
        index[at..at + index[at..].find("</tr>").unwrap()].to_string()
    };
    assert!(row("Ashfield Medical Centre").contains("1 January 2021 <strong>(overdue)</strong>"));
    assert!(!row("Newfield Medical Centre").contains("overdue"));
}
