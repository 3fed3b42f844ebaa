//! The commands as a user runs them: exit codes, files written, messages.

use crate::harness::{Sandbox, example, repo};

const HOSTILE_NAME: &str = "St John's & Woodlands *Star* Surgery #1";
const HOSTILE_LEAD: &str = "Zoë O'Brien-Núñez {{ 7*7 }}";
const HOSTILE_ROLE: &str = "<script>alert('x')</script>";

/// The English example with hostile values in the name, lead and role.
pub fn hostile_config() -> String {
    example("ashfield-medical-centre.toml")
        .replace(
            "name = \"Ashfield Medical Centre\"",
            &format!("name = {}", toml_string(HOSTILE_NAME)),
        )
        .replace(
            "lead_name = \"Jane Smith\"",
            &format!("lead_name = {}", toml_string(HOSTILE_LEAD)),
        )
        .replace(
            "lead_role = \"Practice Manager\"",
            &format!("lead_role = {}", toml_string(HOSTILE_ROLE)),
        )
}

fn toml_string(value: &str) -> String {
    toml::Value::String(value.into()).to_string()
}

#[test]
fn new_writes_a_starter_that_checks_once_filled_in() {
    let sandbox = Sandbox::new();
    sandbox
        .run(&[
            "new",
            "configs/my-surgery.toml",
            "--name",
            "My Surgery",
            "--nation",
            "wales",
        ])
        .expect_code(0);
    let starter = sandbox.read("configs/my-surgery.toml");
    assert!(starter.contains("name = \"My Surgery\""));
    assert!(starter.contains("nation = \"wales\""));

    // As written, check points at each value still to fill in.
    let run = sandbox.run(&["check", "configs/my-surgery.toml"]);
    run.expect_code(1);
    for key in [
        "practice.address",
        "practice.postcode",
        "practice.phone",
        "commissioner.name",
    ] {
        assert!(
            run.stderr().contains(key),
            "{key} not reported:\n{}",
            run.stderr()
        );
    }

    let filled = starter
        .replace("address = []", "address = [\"1 Heol y Frenhines\", \"Caerdydd\"]")
        .replace("postcode = \"\"", "postcode = \"cf11 9aa\"")
        .replace("phone = \"\"  ", "phone = \"029 2018 0234\"")
        .replace(
            "[commissioner]\nname = \"\"",
            "[commissioner]\nwebsite = \"https://cavuhb.nhs.wales\"\nname = \"Cardiff and Vale University Health Board\"",
        );
    sandbox.write("configs/my-surgery.toml", &filled);
    sandbox
        .run(&["check", "configs/my-surgery.toml"])
        .expect_code(0);
}

#[test]
fn new_refuses_to_overwrite() {
    let sandbox = Sandbox::new();
    sandbox.write("mine.toml", "# my own work\n");
    let run = sandbox.run(&["new", "mine.toml", "--name", "My Surgery"]);
    run.expect_code(2);
    assert!(run.stderr().contains("already exists"), "{}", run.stderr());
    assert_eq!(sandbox.read("mine.toml"), "# my own work\n");
}

#[test]
fn check_reports_every_bad_file_and_keeps_going() {
    let sandbox = Sandbox::new();
    sandbox.write("good.toml", &example("ashfield-medical-centre.toml"));
    sandbox.write(
        "bad.toml",
        &example("ashfield-medical-centre.toml").replace("DN5 0AA", "DN5"),
    );
    sandbox.write("worse.toml", "[practice\n");
    let run = sandbox.run(&["check", "good.toml", "bad.toml", "worse.toml"]);
    run.expect_code(1);
    assert!(run.stdout().contains("ok: good.toml"), "{}", run.stdout());
    assert!(
        run.stderr()
            .contains("bad.toml:12:12: error: practice.postcode"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("worse.toml:1:"), "{}", run.stderr());
    assert!(
        run.stderr().contains("2 of 3 configs had problems"),
        "{}",
        run.stderr()
    );
}

#[test]
fn check_missing_file_is_a_usage_error() {
    let sandbox = Sandbox::new();
    let run = sandbox.run(&["check", "nowhere.toml"]);
    run.expect_code(2);
    assert!(run.stderr().contains("nowhere.toml"), "{}", run.stderr());
    sandbox.run(&["check"]).expect_code(2);
    sandbox
        .run(&["build", "--formats", "docx", "x.toml"])
        .expect_code(2);
}

#[test]
fn check_json_gives_one_object_per_problem() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "bad.toml",
        &example("ashfield-medical-centre.toml").replace("0114 496 0457", "123"),
    );
    let run = sandbox.run(&["check", "--message-format", "json", "bad.toml"]);
    run.expect_code(1);
    let problem: serde_json::Value =
        serde_json::from_str(run.stdout().lines().next().unwrap()).unwrap();
    assert_eq!(problem["file"], "bad.toml");
    assert_eq!(problem["key"], "complaints.phone");
    assert_eq!(problem["line"], 21);
    assert!(problem["hint"].as_str().unwrap().contains("0114 496 0456"));
}

#[test]
fn check_takes_folders_and_skips_shared_defaults() {
    let sandbox = Sandbox::new();
    let run = sandbox.run(&["check", repo().join("practice-configs").to_str().unwrap()]);
    run.expect_code(0);
    // The examples are valid; some leave out recommended keys (warnings).
    assert!(
        run.stdout().contains("6 configs checked: ") && !run.stdout().contains("error"),
        "{}",
        run.stdout()
    );
    assert!(!run.stdout().contains("_lmc.toml"), "{}", run.stdout());
}

#[test]
fn build_writes_every_document_in_every_format() {
    let sandbox = Sandbox::new();
    sandbox.write("ashfield.toml", &example("ashfield-medical-centre.toml"));
    sandbox.run(&["build", "ashfield.toml"]).expect_code(0);
    for stem in [
        "zero-tolerance-notice",
        "complaints-leaflet",
        "staff-handbook",
    ] {
        for ext in ["md", "html"] {
            let text = sandbox.read(&format!("out/ashfield-medical-centre/{stem}.{ext}"));
            assert!(text.contains("Ashfield Medical Centre"), "{stem}.{ext}");
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(sandbox.path().join("out/ashfield-medical-centre"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn build_docs_and_formats_choose_outputs() {
    let sandbox = Sandbox::new();
    sandbox.write("ashfield.toml", &example("ashfield-medical-centre.toml"));
    sandbox
        .run(&[
            "build",
            "ashfield.toml",
            "-o",
            "pack",
            "--docs",
            "complaints-leaflet",
            "--formats",
            "md",
        ])
        .expect_code(0);
    let files: Vec<_> = std::fs::read_dir(sandbox.path().join("pack/ashfield-medical-centre"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["complaints-leaflet.md"]);
}

#[test]
fn hostile_values_appear_literally_in_every_output() {
    let sandbox = Sandbox::new();
    sandbox.write("hostile.toml", &hostile_config());
    sandbox.run(&["build", "hostile.toml"]).expect_code(0);
    let folder = "out/st-johns-woodlands-star-surgery-1";
    for stem in [
        "zero-tolerance-notice",
        "complaints-leaflet",
        "staff-handbook",
    ] {
        let md = sandbox.read(&format!("{folder}/{stem}.md"));
        let html = sandbox.read(&format!("{folder}/{stem}.html"));
        // Markdown: escaped so that a renderer shows the text as typed.
        assert!(
            md.contains(r"St John's & Woodlands \*Star\* Surgery #1"),
            "{stem}.md"
        );
        assert!(
            !md.contains("{{") || md.contains("{{ 7\\*7 }}"),
            "{stem}.md evaluated or lost the braces"
        );
        assert!(
            !md.contains("Núñez 49"),
            "{stem}.md: {{ 7*7 }} was evaluated"
        );
        // HTML: the same text, escaped, and never a script element.
        assert!(
            html.contains("St John&#39;s &amp; Woodlands *Star* Surgery #1")
                || html.contains("St John's &amp; Woodlands *Star* Surgery #1"),
            "{stem}.html"
        );
        assert!(
            !html.contains("<script"),
            "{stem}.html has a script element"
        );
        assert!(
            !html.contains("<em>Star</em>"),
            "{stem}.html turned *Star* into markup"
        );
        if stem != "zero-tolerance-notice" {
            assert!(
                html.contains("&lt;script&gt;alert("),
                "{stem}.html lost the role"
            );
            assert!(
                html.contains("Zoë O&#39;Brien-Núñez {{ 7*7 }}")
                    || html.contains("Zoë O'Brien-Núñez {{ 7*7 }}"),
                "{stem}.html lost the lead"
            );
        }
    }
}

#[test]
fn template_override_replaces_one_file_and_raw_html_is_refused() {
    let sandbox = Sandbox::new();
    sandbox.write("ashfield.toml", &example("ashfield-medical-centre.toml"));
    sandbox.write(
        "mine/zero-tolerance-notice.md",
        "# Our own notice\n\nCall {{ practice.phone_link }}.\n",
    );
    sandbox
        .run(&["build", "ashfield.toml", "--templates", "mine"])
        .expect_code(0);
    let notice = sandbox.read("out/ashfield-medical-centre/zero-tolerance-notice.md");
    // The template's Markdown, then the line with the notice's reference.
    let (text, reference) = notice.split_once("\nRef ").unwrap();
    assert_eq!(
        text,
        "# Our own notice\n\nCall [0114 496 0456](<tel:+441144960456>).\n"
    );
    assert!(
        reference.ends_with(" · issued 1 November 2026 · version 1.0\n"),
        "{notice}"
    );
    let leaflet = sandbox.read("out/ashfield-medical-centre/complaints-leaflet.md");
    assert!(leaflet.contains("Ombudsman"), "built-in leaflet still used");

    sandbox.write(
        "evil/zero-tolerance-notice.md",
        "# Notice\n\n<img src=x onerror=alert(1)>\n",
    );
    let run = sandbox.run(&[
        "build",
        "ashfield.toml",
        "--templates",
        "evil",
        "-o",
        "evil-out",
    ]);
    run.expect_code(1);
    assert!(run.stderr().contains("raw HTML"), "{}", run.stderr());
    assert!(
        !sandbox
            .path()
            .join("evil-out/ashfield-medical-centre")
            .exists(),
        "a failed practice wrote files"
    );
}

#[test]
fn one_bad_practice_does_not_stop_the_others() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    sandbox.write(
        "b.toml",
        &example("ormeau-road-surgery.toml").replace("BT7 2EB", "nowhere"),
    );
    sandbox.write("c.toml", &example("meddygfa-ty-gwyn.toml"));
    let run = sandbox.run(&["build", "a.toml", "b.toml", "c.toml"]);
    run.expect_code(1);
    assert!(
        sandbox
            .path()
            .join("out/ashfield-medical-centre/staff-handbook.html")
            .exists()
    );
    assert!(
        sandbox
            .path()
            .join("out/meddygfa-ty-gwyn/staff-handbook.html")
            .exists()
    );
    assert!(!sandbox.path().join("out/ormeau-road-surgery").exists());
    assert!(
        run.stderr().contains("failed:\n  b.toml"),
        "{}",
        run.stderr()
    );
}

#[test]
fn duplicate_slugs_name_both_files() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    sandbox.write("b.toml", &example("ashfield-medical-centre.toml"));
    let run = sandbox.run(&["build", "a.toml", "b.toml"]);
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("b.toml: error: slug \"ashfield-medical-centre\" is also used by a.toml"),
        "{}",
        run.stderr()
    );
}

#[test]
fn schema_describes_every_section() {
    let run = Sandbox::new().run(&["schema"]);
    run.expect_code(0);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    for key in [
        "practice",
        "complaints",
        "commissioner",
        "advocacy",
        "lmc",
        "defence_organisations",
        "social_media",
        "policy",
        "branding",
        "keep",
    ] {
        assert!(schema["properties"][key].is_object(), "{key}");
    }
    assert_eq!(
        schema["$defs"]["KeptKey"]["enum"],
        serde_json::json!([
            "practice.name",
            "practice.address",
            "practice.postcode",
            "practice.phone"
        ])
    );
    assert_eq!(
        schema["$defs"]["PracticeSection"]["additionalProperties"],
        false
    );
}

/// Every command the parser knows, walked from `Cli::command()` so a new
/// one cannot be left out: a command with subcommands (`import`, `reply`)
/// lists them, and every other one shows an example.
#[test]
fn every_command_has_help_with_an_example() {
    use clap::CommandFactory as _;
    fn walk(command: &clap::Command, path: &[String], out: &mut Vec<(Vec<String>, bool)>) {
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut here = path.to_vec();
            here.push(sub.get_name().to_string());
            walk(sub, &here, out);
            out.push((here, sub.has_subcommands()));
        }
    }
    let mut commands = Vec::new();
    walk(&policypack::cli::Cli::command(), &[], &mut commands);
    assert!(commands.len() >= 13, "{commands:?}");
    let sandbox = Sandbox::new();
    for (path, is_group) in &commands {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let run = sandbox.run(&args);
        run.expect_code(0);
        let help = run.stdout();
        if *is_group {
            let listed = policypack::cli::Cli::command()
                .find_subcommand(&path[0])
                .map(|c| {
                    c.get_subcommands()
                        .filter(|s| s.get_name() != "help")
                        .all(|s| help.contains(s.get_name()))
                });
            assert_eq!(
                listed,
                Some(true),
                "{path:?} --help lists its commands:\n{help}"
            );
        } else {
            assert!(
                help.contains("Example:"),
                "{path:?} --help has no example:\n{help}"
            );
        }
    }
    sandbox.run(&["completions", "bash"]).expect_code(0);
}

/// An issue date years ahead would be printed as a fact and keep the
/// practice off `status`'s overdue list: more than a year from today is an
/// error; a month ahead (a policy adopted next month) is fine.
#[test]
fn an_issue_date_years_ahead_is_refused() {
    let sandbox = Sandbox::new();
    let good = example("ashfield-medical-centre.toml");
    assert!(good.contains("issued = 2026-11-01"));
    sandbox.write(
        "far.toml",
        &good.replace("issued = 2026-11-01", "issued = 2099-01-01"),
    );
    let run = sandbox.run(&["check", "far.toml"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("policy.issued")
            && run.stderr().contains("more than a year after today"),
        "{}",
        run.stderr()
    );
    let soon = chrono::Local::now().date_naive() + chrono::Days::new(30);
    sandbox.write(
        "soon.toml",
        &good.replace("issued = 2026-11-01", &format!("issued = {soon}")),
    );
    sandbox.run(&["check", "soon.toml"]).expect_code(0);
}

/// A Welsh ODS code with another nation chosen would print the other
/// nation's complaints route on the leaflet: `check` warns.
#[test]
fn an_ods_code_of_another_nation_is_warned_of() {
    let sandbox = Sandbox::new();
    let good = example("ashfield-medical-centre.toml");
    sandbox.write("welsh.toml", &good.replace("C86099", "W91016"));
    let run = sandbox.run(&["check", "welsh.toml"]);
    assert!(
        run.stderr().contains("practice.ods_code")
            && run.stderr().contains("in Wales, but nation = \"england\""),
        "{}",
        run.stderr()
    );
    sandbox.write("english.toml", &good);
    let english = sandbox.run(&["check", "english.toml"]);
    assert!(
        !english.stderr().contains("ODS code of a practice in"),
        "{}",
        english.stderr()
    );
}

#[test]
fn garbage_never_panics() {
    let sandbox = Sandbox::new();
    let good = example("ashfield-medical-centre.toml");
    let mut inputs: Vec<Vec<u8>> = vec![
        vec![0xff, 0xfe, 0x00],
        b"\0\0\0".to_vec(),
        b"[[practice]]\nname = 1\n".to_vec(),
        b"practice = 5\ncomplaints = []\n".to_vec(),
        b"[policy]\nissued = 2026-02-30\n".to_vec(),
        b"[practice]\nname = \"\xc3\"\n".to_vec(),
        b"extends = 5\n".to_vec(),
        b"extends = \"/\"\n".to_vec(),
        b"[social_media]\naccounts = [1, \"x\", { platform = 2 }]\n".to_vec(),
        b"[policy]\nreview_months = 99999999999999999999999\n".to_vec(),
    ];
    // Every prefix of a good config, cut at line ends.
    let mut cut = 0;
    for line in good.lines() {
        cut += line.len() + 1;
        inputs.push(good.as_bytes()[..cut.min(good.len())].to_vec());
    }
    for (i, input) in inputs.iter().enumerate() {
        let name = format!("g{i}.toml");
        std::fs::write(sandbox.path().join(&name), input).unwrap();
        let run = sandbox.run(&["check", &name]);
        assert!(
            !run.stderr().contains("panicked"),
            "{name}: {}",
            run.stderr()
        );
        assert!(matches!(run.code(), 0 | 1), "{name}: exit {}", run.code());
    }
}

#[test]
fn facts_lists_every_fact_with_a_source_and_the_date_checked() {
    let sandbox = Sandbox::new();
    let run = sandbox.run(&["facts", "--message-format", "json"]);
    run.expect_code(0);
    let mut nations = std::collections::BTreeSet::new();
    let mut keys = std::collections::BTreeSet::new();
    for line in run.stdout().lines() {
        let fact: serde_json::Value = serde_json::from_str(line).unwrap();
        let key = fact["fact"].as_str().unwrap().to_string();
        let sources = fact["sources"].as_array().unwrap();
        assert!(!sources.is_empty(), "{line}");
        for source in sources {
            assert!(source["url"].as_str().unwrap().starts_with("https://"));
            let checked = source["checked"].as_str().unwrap();
            assert!(
                chrono::NaiveDate::parse_from_str(checked, "%Y-%m-%d").is_ok(),
                "{checked}"
            );
        }
        nations.insert(fact["nation"].as_str().unwrap().to_string());
        keys.insert(key);
    }
    assert_eq!(nations.len(), 4);
    for key in [
        "time_limit_months",
        "ombudsman.phone",
        "advocacy.name",
        "removal.notice",
        "offences.notice",
        "defamation.law",
        "review_sites",
    ] {
        assert!(keys.contains(key), "no {key}");
    }

    // A table: fact, value, date checked, source.
    let wales = sandbox.run(&["facts", "wales"]);
    wales.expect_code(0);
    let text = wales.stdout();
    assert!(text.starts_with("Wales\n"), "{text}");
    let row = text
        .lines()
        .find(|l| l.starts_with("advocacy.website "))
        .expect("a row per fact");
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[1], "https://llaiswales.org", "{row}");
    assert!(cells[2].starts_with("2026-"), "{row}");
    assert!(cells[3].starts_with("https://llaiswales.org/"), "{row}");
    assert!(!text.contains("England\n"), "only the nation asked for");
    // --verbose adds each source's title and what it says.
    let long = sandbox.run(&["facts", "wales", "-v"]).stdout();
    assert!(long.contains("advocacy.website: https://llaiswales.org"));
    assert!(
        long.contains("source: Complaints advocacy (Llais)"),
        "{long}"
    );
}

#[test]
fn a_nation_file_with_an_unsourced_fact_is_refused() {
    let sandbox = Sandbox::new();
    let scotland =
        std::fs::read_to_string(repo().join("policy-templates/nations/scotland.toml")).unwrap();
    // A new fact that no [[sources]] entry names.
    let changed = scotland.replace(
        "time_limit_months = 6",
        "time_limit_months = 6\nresponse_working_days_note = \"x\"",
    );
    sandbox.write("t/nations/scotland.toml", &changed);
    let run = sandbox.run(&["facts", "scotland", "--templates", "t"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("nations/scotland.toml"),
        "{}",
        run.stderr()
    );

    let unsourced = scotland.replace("facts = [\"rules\", \"term\", ", "facts = [\"term\", ");
    assert_ne!(unsourced, scotland);
    sandbox.write("t/nations/scotland.toml", &unsourced);
    let run = sandbox.run(&["facts", "scotland", "--templates", "t"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("no source for rules"),
        "{}",
        run.stderr()
    );
}

/// The permission bits of every file below `dir`.
fn modes(dir: &std::path::Path) -> Vec<(std::path::PathBuf, u32)> {
    use std::os::unix::fs::PermissionsExt as _;
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(modes(&path));
        } else {
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            out.push((path, mode));
        }
    }
    out
}

#[test]
fn outputs_are_readable_under_the_users_umask() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    let csv = repo().join("tests/fixtures/ods/epraccur-small.csv");
    for (umask, expected) in [("022", 0o644), ("077", 0o600)] {
        let out = format!("out{umask}");
        let with_umask = |args: &str| {
            sandbox
                .shell(&format!("umask {umask} && exec \"$POLICYPACK\" {args}"))
                .output()
                .unwrap()
        };
        let build = with_umask(&format!("build a.toml -o {out} --zip"));
        assert!(build.status.success(), "{build:?}");
        let import = with_umask(&format!(
            "import epraccur '{}' --into configs{umask}",
            csv.display()
        ));
        assert_eq!(
            import.status.code(),
            Some(1),
            "bad rows in the fixture: {import:?}"
        );
        let files: Vec<_> = modes(&sandbox.path().join(&out))
            .into_iter()
            .chain(modes(&sandbox.path().join(format!("configs{umask}"))))
            .collect();
        assert!(files.len() > 12, "{files:?}");
        for (path, mode) in files {
            assert_eq!(mode, expected, "{} under umask {umask}", path.display());
        }
    }
}

#[test]
fn a_platform_called_x_is_accepted() {
    let sandbox = Sandbox::new();
    let config = example("ashfield-medical-centre.toml");
    let config = config.replacen("platform = \"Facebook\"", "platform = \"X\"", 1);
    assert!(config.contains("platform = \"X\""));
    sandbox.write("a.toml", &config);
    sandbox.run(&["check", "a.toml"]).expect_code(0);
}

/// `{file: error count}` from validating files against a schema with the
/// Python `jsonschema` package, as an editor validates them.
fn validate_with_jsonschema(
    sandbox: &Sandbox,
    schema: &str,
    files: &[&str],
) -> std::collections::BTreeMap<String, usize> {
    let output = std::process::Command::new("python3")
        .arg(repo().join("tests/schema/validate.py"))
        .arg(schema)
        .args(files)
        .current_dir(sandbox.path())
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .filter(|l| !l.starts_with(' '))
        .map(|l| {
            let (file, count) = l.rsplit_once(' ').unwrap();
            (file.to_string(), count.parse().unwrap())
        })
        .collect()
}

#[test]
fn schema_accepts_configs_that_extend_and_shared_defaults() {
    let sandbox = Sandbox::new();
    let practice = sandbox.run(&["schema"]);
    practice.expect_code(0);
    sandbox.write("practice.schema.json", &practice.stdout());
    let shared = sandbox.run(&["schema", "--shared"]);
    shared.expect_code(0);
    sandbox.write("shared.schema.json", &shared.stdout());

    for name in [
        "ashfield-medical-centre.toml",
        "leith-walk-medical-practice.toml",
        "meddygfa-ty-gwyn.toml",
        "ormeau-road-surgery.toml",
        "doncaster-lmc/conisbrough-group-practice.toml",
        "doncaster-lmc/thorne-moor-surgery.toml",
        "doncaster-lmc/_lmc.toml",
    ] {
        sandbox.write(&format!("c/{name}"), &example(name));
    }
    let ashfield = example("ashfield-medical-centre.toml");
    sandbox.write(
        "c/no-phone.toml",
        &ashfield.replace("phone = \"0114 496 0456\"\n", ""),
    );
    sandbox.write(
        "c/unknown-key.toml",
        &format!(
            "extends = \"_lmc.toml\"\npostcod = \"x\"\n\n{}",
            "[practice]\nname = \"A\"\n"
        ),
    );
    sandbox.write(
        "c/wrong-type.toml",
        "extends = \"_lmc.toml\"\n\n[policy]\nreview_months = \"twelve\"\n",
    );
    sandbox.write(
        "c/keep.toml",
        "extends = \"_lmc.toml\"\nkeep = [\"practice.phone\", \"practice.name\"]\n",
    );
    sandbox.write(
        "c/keep-email.toml",
        "extends = \"_lmc.toml\"\nkeep = [\"practice.email\"]\n",
    );

    let practices = validate_with_jsonschema(
        &sandbox,
        "practice.schema.json",
        &[
            "c/ashfield-medical-centre.toml",
            "c/leith-walk-medical-practice.toml",
            "c/meddygfa-ty-gwyn.toml",
            "c/ormeau-road-surgery.toml",
            "c/doncaster-lmc/conisbrough-group-practice.toml",
            "c/doncaster-lmc/thorne-moor-surgery.toml",
            "c/no-phone.toml",
            "c/unknown-key.toml",
            "c/wrong-type.toml",
            "c/keep.toml",
            "c/keep-email.toml",
        ],
    );
    for (file, errors) in &practices {
        let expected = matches!(
            file.as_str(),
            "c/no-phone.toml" | "c/unknown-key.toml" | "c/wrong-type.toml" | "c/keep-email.toml"
        );
        assert_eq!(*errors > 0, expected, "{file}: {errors} errors");
    }
    // A config without `extends` still needs every required key ...
    assert!(practices["c/no-phone.toml"] > 0);
    // ... and a shared defaults file validates against --shared, but not
    // as a practice.
    let shared = validate_with_jsonschema(
        &sandbox,
        "shared.schema.json",
        &["c/doncaster-lmc/_lmc.toml", "c/unknown-key.toml"],
    );
    assert_eq!(shared["c/doncaster-lmc/_lmc.toml"], 0);
    assert!(shared["c/unknown-key.toml"] > 0);
    let as_practice = validate_with_jsonschema(
        &sandbox,
        "practice.schema.json",
        &["c/doncaster-lmc/_lmc.toml"],
    );
    assert!(as_practice["c/doncaster-lmc/_lmc.toml"] > 0);
}

/// A starter config with each empty value replaced by the example in its
/// comment, empty values without one removed, and a commissioner website.
fn filled_from_its_examples(starter: &str) -> String {
    let mut out = String::new();
    for line in starter.lines() {
        let trimmed = line.trim_start();
        let empty = trimmed.contains("= \"\"")
            || trimmed.contains("= []")
            || trimmed.starts_with("website = \"https://\"");
        if trimmed.starts_with('#') || !empty {
            out.push_str(line);
        } else if let Some((_, example)) = line.split_once("e.g. ") {
            let key = trimmed.split(" = ").next().unwrap();
            out.push_str(&format!("{key} = {example}"));
        } else {
            continue;
        }
        out.push('\n');
        if trimmed == "[commissioner]" {
            out.push_str("website = \"https://www.nhs.uk\"\n");
        }
    }
    out
}

#[test]
fn new_gives_each_nation_its_own_examples_and_the_filled_starter_builds() {
    let sandbox = Sandbox::new();
    for (nation, postcode, commissioner) in [
        ("england", "DN5 0AA", "Integrated Care Board"),
        (
            "wales",
            "CF11 9AA",
            "Cardiff and Vale University Health Board",
        ),
        ("scotland", "EH6 5EQ", "NHS Lothian"),
        (
            "northern-ireland",
            "BT7 2EB",
            "Strategic Planning and Performance Group",
        ),
    ] {
        let path = format!("{nation}.toml");
        sandbox
            .run(&["new", &path, "--name", "New Surgery", "--nation", nation])
            .expect_code(0);
        let starter = sandbox.read(&path);
        assert!(starter.contains(postcode), "{nation}: {starter}");
        assert!(starter.contains(commissioner), "{nation}: {starter}");
        if nation != "england" {
            for english in ["Doncaster", "DN5", "Integrated Care Board", "01302"] {
                assert!(
                    !starter.contains(english),
                    "{nation} starter has {english:?}"
                );
            }
        }
        let filled = filled_from_its_examples(&starter)
            .replace("slug = \"\"", "")
            .replace(
                "name = \"New Surgery\"",
                &format!("name = \"New Surgery\"\nslug = \"new-{nation}\""),
            );
        sandbox.write(&path, &filled);
        let check = sandbox.run(&["check", &path]);
        check.expect_code(0);
        sandbox.run(&["build", &path]).expect_code(0);
        for doc in [
            "zero-tolerance-notice",
            "complaints-leaflet",
            "staff-handbook",
        ] {
            for format in ["md", "html", "pdf"] {
                let file = sandbox
                    .path()
                    .join(format!("out/new-{nation}/{doc}.{format}"));
                assert!(file.is_file(), "{}", file.display());
            }
        }
    }
}
