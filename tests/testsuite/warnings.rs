//! Warnings before placeholder text reaches paper: severity, `--deny-warnings`,
//! a shared file's problem reported once, colour as cargo has it.

use crate::harness::{Sandbox, example, repo};

/// The Doncaster LMC folder, with `edit` applied to its shared `_lmc.toml`.
fn lmc_folder(sandbox: &Sandbox, edit: impl Fn(&str) -> String) {
    for name in [
        "conisbrough-group-practice.toml",
        "thorne-moor-surgery.toml",
    ] {
        sandbox.write(
            &format!("lmc/{name}"),
            &example(&format!("doncaster-lmc/{name}")),
        );
    }
    sandbox.write("lmc/_lmc.toml", &edit(&example("doncaster-lmc/_lmc.toml")));
}

fn without_table(text: &str, header: &str) -> String {
    let start = text.find(header).unwrap();
    let end = text[start + header.len()..]
        .find("\n[")
        .map_or(text.len(), |i| start + header.len() + i + 1);
    format!("{}{}", &text[..start], &text[end..])
}

#[test]
fn missing_recommended_keys_warn_but_still_check_and_build() {
    let sandbox = Sandbox::new();
    let config = example("ashfield-medical-centre.toml")
        .replace("lead_name = \"Jane Smith\"\n", "")
        .replace(
            "complaints_page = \"https://www.ashfieldmedical.nhs.uk/complaints\"\n",
            "",
        );
    let config = without_table(&without_table(&config, "[lmc]"), "[advocacy]");
    let config = config
        .split("[[defence_organisations]]")
        .next()
        .unwrap()
        .to_string()
        + &config[config.find("[social_media]").unwrap()..];
    sandbox.write("a.toml", &config);

    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(0);
    let stderr = run.stderr();
    for key in [
        "complaints.lead_name",
        "practice.complaints_page",
        "advocacy",
        "lmc",
        "defence_organisations",
    ] {
        assert!(
            stderr.contains(&format!(": warning: {key}: not set")),
            "no warning for {key}:\n{stderr}"
        );
    }
    assert!(!stderr.contains("error"), "{stderr}");
    assert!(stderr.contains("a.toml:"), "{stderr}");
    assert!(
        run.stdout().contains("1 config checked: 5 warnings"),
        "{}",
        run.stdout()
    );

    let json = sandbox.run(&["check", "a.toml", "--message-format", "json"]);
    json.expect_code(0);
    let warnings: Vec<serde_json::Value> = json
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v.get("severity").is_some())
        .collect();
    assert_eq!(warnings.len(), 5, "{}", json.stdout());
    assert!(warnings.iter().all(|w| w["severity"] == "warning"));

    // They count with --deny-warnings, as errors, and nothing is built.
    let denied = sandbox.run(&["check", "a.toml", "--deny-warnings"]);
    denied.expect_code(1);
    assert!(!denied.stdout().contains("ok:"), "{}", denied.stdout());
    assert!(
        denied.stderr().contains(": error: lmc: not set"),
        "{}",
        denied.stderr()
    );
    assert!(!denied.stderr().contains("warning:"), "{}", denied.stderr());
    let build = sandbox.run(&["build", "a.toml", "--deny-warnings"]);
    build.expect_code(1);
    assert!(!sandbox.path().join("out/ashfield-medical-centre").exists());

    // Without it, the documents are built and the placeholders are the
    // ones the warnings named.
    let build = sandbox.run(&["build", "a.toml", "--formats", "md"]);
    build.expect_code(0);
    assert!(
        build.stdout().contains("; 5 warnings"),
        "{}",
        build.stdout()
    );
    let handbook = sandbox.read("out/ashfield-medical-centre/staff-handbook.md");
    assert!(handbook.contains("Not set."));
}

#[test]
fn a_contact_with_only_a_name_warns_of_no_contact_details() {
    let sandbox = Sandbox::new();
    let config = example("ashfield-medical-centre.toml");
    let start = config.find("[lmc]").unwrap();
    let end = start + config[start..].find("\n[").unwrap() + 1;
    let config = format!(
        "{}[lmc]\nname = \"Doncaster LMC\"\n\n{}",
        &config[..start],
        &config[end..]
    );
    sandbox.write("a.toml", &config);
    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(0);
    assert!(
        run.stderr().contains("warning: lmc: has only a name"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_shared_files_problem_is_reported_once_at_the_shared_file() {
    let sandbox = Sandbox::new();
    lmc_folder(&sandbox, |text| without_table(text, "[lmc]"));
    let run = sandbox.run(&["check", "lmc"]);
    run.expect_code(0);
    let stderr = run.stderr();
    assert_eq!(
        stderr.matches("warning: lmc: not set").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("_lmc.toml: warning: lmc: not set"),
        "{stderr}"
    );

    let build = sandbox.run(&["build", "lmc", "--formats", "md"]);
    build.expect_code(0);
    assert_eq!(build.stderr().matches("warning: lmc: not set").count(), 1);
}

#[test]
fn import_warns_when_the_shared_file_to_extend_is_missing() {
    let sandbox = Sandbox::new();
    let csv = repo().join("tests/fixtures/ods/epraccur-small.csv");
    let args = |extends: &str| {
        vec![
            "import".to_string(),
            "epraccur".to_string(),
            csv.display().to_string(),
            "--into".to_string(),
            "lmc".to_string(),
            "--extends".to_string(),
            extends.to_string(),
        ]
    };
    let owned = args("_lmc.toml");
    let run = sandbox.run(&owned.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        run.stderr()
            .contains("warning: --extends: lmc/_lmc.toml does not exist"),
        "{}",
        run.stderr()
    );
    sandbox.write("lmc2/_lmc.toml", &example("doncaster-lmc/_lmc.toml"));
    let mut owned = args("_lmc.toml");
    owned[4] = "lmc2".into();
    let run = sandbox.run(&owned.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
}

#[test]
fn colour_follows_color_flag_and_no_color() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "bad.toml",
        &example("ashfield-medical-centre.toml")
            .replace("lead_name = \"Jane Smith\"\n", "")
            .replace("postcode = \"DN5 0AA\"", "postcode = \"nope\""),
    );
    let red = "\u{1b}[31m";
    let yellow = "\u{1b}[33m";
    // Not a terminal: plain text.
    let plain = sandbox.run(&["check", "bad.toml"]);
    plain.expect_code(1);
    assert!(!plain.stderr().contains('\u{1b}'), "{:?}", plain.stderr());
    // Asked for: errors red, warnings yellow.
    let always = sandbox.run(&["check", "bad.toml", "--color", "always"]);
    assert!(always.stderr().contains(red), "{:?}", always.stderr());
    assert!(always.stderr().contains(yellow), "{:?}", always.stderr());
    // NO_COLOR and --color never win over a terminal; here over CLICOLOR_FORCE.
    let never = sandbox.run_with_env(
        &["check", "bad.toml"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(!never.stderr().contains('\u{1b}'), "{:?}", never.stderr());
    let forced = sandbox.run_with_env(&["check", "bad.toml"], &[("CLICOLOR_FORCE", "1")]);
    assert!(forced.stderr().contains(red), "{:?}", forced.stderr());
    let flag = sandbox.run_with_env(
        &["check", "bad.toml", "--color", "never"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(!flag.stderr().contains('\u{1b}'), "{:?}", flag.stderr());
}

#[test]
fn build_prints_its_summary_after_the_problems() {
    let sandbox = Sandbox::new();
    sandbox.write("ok.toml", &example("ashfield-medical-centre.toml"));
    sandbox.write(
        "bad.toml",
        &example("ashfield-medical-centre.toml")
            .replace("postcode = \"DN5 0AA\"", "postcode = \"nope\""),
    );
    // One stream, as a terminal shows it.
    let output = sandbox
        .shell("\"$POLICYPACK\" build ok.toml bad.toml --formats md 2>&1")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let problem = text.find("error: practice.postcode").expect(&text);
    let summary = text.find("2 practices: 1 built").expect(&text);
    assert!(problem < summary, "{text}");
    // The summary, then where the change report is.
    let last: Vec<&str> = text.trim_end().lines().rev().take(2).collect();
    assert!(last[1].ends_with("files written"), "{text}");
    assert!(
        last[0].starts_with("changes: out/changes/") && last[0].ends_with("nothing to reprint"),
        "{text}"
    );
}

/// A premium-rate or personal number for patients to call is printed on
/// the poster and leaflet: `check` warns at the key, and `--deny-warnings`
/// refuses to build it.
#[test]
fn a_costly_number_for_patients_warns() {
    let sandbox = Sandbox::new();
    let config = example("ashfield-medical-centre.toml");
    for (number, kind) in [
        ("09061 234567", "premium-rate"),
        ("07011 234567", "personal number (070)"),
        ("+44 871 234 5678", "service charge"),
        ("+44 (0)906 123 4567", "premium-rate"),
    ] {
        sandbox.write(
            "a.toml",
            &config.replacen(
                "phone = \"0114 496 0456\"",
                &format!("phone = \"{number}\""),
                1,
            ),
        );
        let run = sandbox.run(&["check", "a.toml"]);
        run.expect_code(0);
        assert!(
            run.stderr().contains("warning: practice.phone") && run.stderr().contains(kind),
            "{number}: {}",
            run.stderr()
        );
        sandbox
            .run(&["build", "a.toml", "--formats", "md", "--deny-warnings"])
            .expect_code(1);
    }
    // A defence organisation's number is printed for staff: the same.
    assert!(
        config.contains("phone = \"0800 716 646\""),
        "the MDU's number moved"
    );
    sandbox.write(
        "a.toml",
        &config.replace("phone = \"0800 716 646\"", "phone = \"0909 876 5432\""),
    );
    let run = sandbox.run(&["check", "a.toml"]);
    assert!(
        run.stderr()
            .contains("warning: defence_organisations[1].phone"),
        "{}",
        run.stderr()
    );
    sandbox.write("a.toml", &config);
    let run = sandbox.run(&["check", "a.toml"]);
    assert!(!run.stderr().contains("cost far more"), "{}", run.stderr());
    sandbox
        .run(&["build", "a.toml", "--formats", "md", "--deny-warnings"])
        .expect_code(0);
}
