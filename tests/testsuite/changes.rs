//! Change reports that an LMC can trust: every change reported once, never
//! lost, and no reprint asked for that is not needed.

use crate::harness::{Sandbox, example};

const SLUG: &str = "ashfield-medical-centre";
const OLD_PHONE: &str = "0114 496 0456";
const NEW_PHONE: &str = "01302 123499";

fn ashfield() -> Sandbox {
    let sandbox = Sandbox::new();
    let config = example("ashfield-medical-centre.toml");
    assert!(config.contains(OLD_PHONE), "the example's phone moved");
    sandbox.write("a/ashfield.toml", &config);
    sandbox
}

fn new_phone(sandbox: &Sandbox) {
    let config = sandbox
        .read("a/ashfield.toml")
        .replace(OLD_PHONE, NEW_PHONE);
    sandbox.write("a/ashfield.toml", &config);
}

/// The newest report's rows, as JSON.
fn newest(sandbox: &Sandbox) -> Vec<serde_json::Value> {
    let run = sandbox.run(&["changes", "--format", "json"]);
    run.expect_code(0);
    run.stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_build_of_some_documents_leaves_the_others_stale_until_they_are_built() {
    let sandbox = ashfield();
    sandbox
        .run(&["build", "a", "--formats", "md"])
        .expect_code(0);
    new_phone(&sandbox);
    sandbox
        .run(&[
            "build",
            "a",
            "--formats",
            "md",
            "--docs",
            "complaints-leaflet",
        ])
        .expect_code(0);
    let status = sandbox.run(&["status", "a", "--format", "json"]);
    let row: serde_json::Value = serde_json::from_str(status.stdout().trim()).unwrap();
    assert_eq!(row["outputs"], "stale", "{row}");
    assert_eq!(row["why"]["keys"][0]["key"], "practice.phone", "{row}");

    let full = sandbox.run(&["build", "a", "--formats", "md"]);
    full.expect_code(0);
    assert!(
        full.stdout().contains(&format!(
            "{SLUG}: zero-tolerance-notice, staff-handbook — practice.phone (reprint; staff sign again)"
        )),
        "{}",
        full.stdout()
    );
    for doc in ["zero-tolerance-notice", "staff-handbook"] {
        let text = sandbox.read(&format!("out/{SLUG}/{doc}.md"));
        assert!(
            !text.contains(OLD_PHONE),
            "{doc} still prints the old phone"
        );
    }
}

#[test]
fn a_change_report_that_cannot_be_written_is_made_by_the_next_build() {
    let sandbox = ashfield();
    sandbox
        .run(&["build", "a", "--formats", "md"])
        .expect_code(0);
    new_phone(&sandbox);
    // Something in the way of the report's folder.
    let changes = sandbox.path().join("out/changes");
    std::fs::remove_dir_all(&changes).unwrap();
    std::fs::write(&changes, "in the way").unwrap();
    let blocked = sandbox.run(&["build", "a", "--formats", "md"]);
    blocked.expect_code(2);
    assert!(
        blocked
            .stderr()
            .contains("the change report could not be written"),
        "{}",
        blocked.stderr()
    );
    std::fs::remove_file(&changes).unwrap();
    let again = sandbox.run(&["build", "a", "--formats", "md"]);
    again.expect_code(0);
    let rows = newest(&sandbox);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["reprint"], true);
    assert_eq!(rows[0]["keys"][0]["old"], OLD_PHONE);
    assert_eq!(rows[0]["keys"][0]["new"], NEW_PHONE);
}

#[test]
fn files_made_again_with_the_same_words_ask_for_nothing() {
    let sandbox = ashfield();
    sandbox
        .run(&["build", "a", "--formats", "md"])
        .expect_code(0);
    std::fs::remove_file(
        sandbox
            .path()
            .join(format!("out/{SLUG}/complaints-leaflet.md")),
    )
    .unwrap();
    for args in [
        &["build", "a", "--formats", "md"][..],
        &["build", "a", "--formats", "md", "--force"],
        &["build", "a", "--formats", "md,html"],
    ] {
        let run = sandbox.run(args);
        run.expect_code(0);
        assert!(
            run.stdout().contains("nothing to reprint"),
            "{}",
            run.stdout()
        );
        assert_eq!(
            newest(&sandbox),
            Vec::<serde_json::Value>::new(),
            "{args:?}"
        );
    }
}

#[test]
fn a_document_made_for_the_first_time_is_to_print_not_to_reprint() {
    let sandbox = ashfield();
    sandbox
        .run(&[
            "build",
            "a",
            "--formats",
            "md",
            "--docs",
            "complaints-leaflet",
        ])
        .expect_code(0);
    sandbox
        .run(&["build", "a", "--formats", "md"])
        .expect_code(0);
    let rows = newest(&sandbox);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["reprint"], false);
    assert_eq!(
        rows[0]["message"],
        "Print and display your new zero-tolerance notice. Staff should read the staff handbook and sign its last page."
    );
    // Every build as one CSV: one header, then a row from each of the two builds.
    let all = sandbox.run(&["changes", "--all", "--format", "csv"]);
    all.expect_code(0);
    let lines: Vec<String> = all.stdout().lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 3, "{}", all.stdout());
    assert!(lines[0].starts_with("built_at,slug,"), "{}", all.stdout());
    assert!(
        lines[1..].iter().all(|l| l.contains(SLUG)),
        "{}",
        all.stdout()
    );
}

#[test]
fn status_judges_a_pack_built_with_other_templates_by_those_templates() {
    let sandbox = ashfield();
    let templates = sandbox.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    let notice = crate::harness::repo().join("policy-templates/zero-tolerance-notice.md");
    let text = std::fs::read_to_string(notice).unwrap();
    std::fs::write(
        templates.join("zero-tolerance-notice.md"),
        text + "\nOur own closing line.\n",
    )
    .unwrap();
    let dir = templates.to_str().unwrap();
    sandbox
        .run(&["build", "a", "--formats", "md", "--templates", dir])
        .expect_code(0);
    let with = sandbox.run(&["status", "a", "--templates", dir, "--format", "csv"]);
    assert!(with.stdout().contains(",current,"), "{}", with.stdout());
    let without = sandbox.run(&["status", "a", "--format", "csv"]);
    assert!(
        without
            .stdout()
            .contains(",stale,zero-tolerance-notice,,,,template zero-tolerance-notice.md changed,"),
        "{}",
        without.stdout()
    );
    let md = sandbox.run(&["changes"]);
    assert!(
        md.stdout().contains("| Ashfield Medical Centre |"),
        "{}",
        md.stdout()
    );
}

#[test]
fn a_changed_fact_or_template_is_named_with_its_values() {
    let sandbox = ashfield();
    let templates = sandbox.path().join("templates");
    std::fs::create_dir_all(templates.join("nations")).unwrap();
    let built_in = crate::harness::repo().join("policy-templates");
    let facts = std::fs::read_to_string(built_in.join("nations/england.toml")).unwrap();
    let england = templates.join("nations/england.toml");
    std::fs::write(&england, &facts).unwrap();
    let dir = templates.to_str().unwrap();
    let build = || sandbox.run(&["build", "a", "--formats", "md", "--templates", dir]);
    build().expect_code(0);

    // The ombudsman on a premium-rate number: the build line, the report
    // and its message name the fact and both values.
    let ombudsman = "phone = \"0345 015 4033\"";
    assert!(facts.contains(ombudsman), "the ombudsman's number moved");
    std::fs::write(
        &england,
        facts.replacen(ombudsman, "phone = \"0906 123 4567\"", 1),
    )
    .unwrap();
    let run = build();
    run.expect_code(0);
    assert!(
        run.stdout().contains("fact ombudsman.phone"),
        "{}",
        run.stdout()
    );
    assert!(
        !run.stdout().contains("templates changed"),
        "{}",
        run.stdout()
    );
    let rows = newest(&sandbox);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["reprint"], true);
    assert_eq!(
        rows[0]["facts"],
        serde_json::json!([{ "key": "ombudsman.phone", "old": "0345 015 4033", "new": "0906 123 4567" }])
    );
    assert_eq!(rows[0]["other"], serde_json::json!([]));
    let message = rows[0]["message"].as_str().unwrap();
    assert!(
        message.contains(
            "Why: the fact ombudsman.phone changed from \"0345 015 4033\" to \"0906 123 4567\"."
        ),
        "{message}"
    );
    let csv = sandbox.run(&["changes", "--format", "csv"]);
    assert!(
        csv.stdout()
            .contains(",fact ombudsman.phone,0345 015 4033,0906 123 4567,"),
        "{}",
        csv.stdout()
    );

    // New wording: the file is named, not "templates changed".
    let leaflet = std::fs::read_to_string(built_in.join("complaints-leaflet.md")).unwrap();
    std::fs::write(
        templates.join("complaints-leaflet.md"),
        leaflet + "\nOur own closing line.\n",
    )
    .unwrap();
    build().expect_code(0);
    let rows = newest(&sandbox);
    assert_eq!(rows[0]["facts"], serde_json::json!([]));
    assert_eq!(
        rows[0]["other"],
        serde_json::json!(["template complaints-leaflet.md changed"])
    );
    assert_eq!(
        rows[0]["changed_documents"],
        serde_json::json!(["complaints-leaflet"])
    );
}

/// A practice pruned after the round that asked others to reprint is left
/// out of the newest report, with a count: the others' reprints are still
/// shown, not the whole report dropped.
#[test]
fn a_practice_pruned_after_a_round_leaves_the_others_reprints() {
    let sandbox = Sandbox::new();
    for name in [
        "_lmc.toml",
        "conisbrough-group-practice.toml",
        "thorne-moor-surgery.toml",
    ] {
        sandbox.write(
            &format!("lmc/{name}"),
            &example(&format!("doncaster-lmc/{name}")),
        );
    }
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "lmc", "--formats", "md"];
        args.extend(extra);
        sandbox.run(&args)
    };
    build(&[]).expect_code(0);
    let lmc = sandbox.read("lmc/_lmc.toml");
    assert!(lmc.contains("0114 496 0100"), "the example's phone moved");
    sandbox.write(
        "lmc/_lmc.toml",
        &lmc.replace("0114 496 0100", "0114 496 0199"),
    );
    build(&[]).expect_code(0);
    assert_eq!(newest(&sandbox).len(), 2);

    std::fs::remove_file(sandbox.path().join("lmc/conisbrough-group-practice.toml")).unwrap();
    build(&["--prune"]).expect_code(0);
    let run = sandbox.run(&["changes", "--format", "json"]);
    run.expect_code(0);
    let rows: Vec<serde_json::Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 1, "{}", run.stderr());
    assert_eq!(rows[0]["slug"], "thorne-moor-surgery");
    assert_eq!(rows[0]["reprint"], true);
    assert!(
        run.stderr()
            .contains("1 practice no longer in the manifest (pruned) left out"),
        "{}",
        run.stderr()
    );
}

/// A practice renamed (so its slug changes) with a new phone number in
/// the same edit is reported as what it is: its documents changed and must
/// be reprinted, naming the keys, and its old folder is one its config no
/// longer builds, not a practice that left.
#[test]
fn a_new_slug_with_a_new_phone_still_asks_for_a_reprint() {
    let sandbox = ashfield();
    sandbox
        .run(&["build", "a", "--formats", "md"])
        .expect_code(0);
    let config = sandbox.read("a/ashfield.toml");
    assert!(config.contains("name = \"Ashfield Medical Centre\""));
    sandbox.write(
        "a/ashfield.toml",
        &config
            .replace(
                "name = \"Ashfield Medical Centre\"",
                "name = \"Ashfield Health Centre\"",
            )
            .replace(OLD_PHONE, NEW_PHONE),
    );
    let run = sandbox.run(&["build", "a", "--formats", "md"]);
    run.expect_code(0);
    assert!(
        run.stdout().contains(&format!(
            "{SLUG}: a/ashfield.toml builds ashfield-health-centre now"
        )),
        "{}",
        run.stdout()
    );
    let rows = newest(&sandbox);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["slug"], "ashfield-health-centre");
    assert_eq!(rows[0]["reprint"], true);
    assert_eq!(rows[0]["new"], false);
    let keys: Vec<&str> = rows[0]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["key"].as_str().unwrap())
        .collect();
    assert!(keys.contains(&"practice.phone"), "{keys:?}");
    // The new entry lists only its own folder's files.
    let manifest: serde_json::Value =
        serde_json::from_str(&sandbox.read("out/manifest.json")).unwrap();
    let files = manifest["practices"]["ashfield-health-centre"]["files"]
        .as_array()
        .unwrap();
    assert!(!files.is_empty());
    assert!(
        files.iter().all(|f| f["path"]
            .as_str()
            .unwrap()
            .starts_with("ashfield-health-centre/")),
        "{files:?}"
    );
}
