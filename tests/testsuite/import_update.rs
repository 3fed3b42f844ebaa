//! `policypack import epraccur --update` as an LMC officer relies on it:
//! `--dry-run` writes nothing, `keep` is never overwritten, a name or phone
//! number the practice changed is reported rather than replaced (unless
//! `--force`), formatting alone is never a change, addresses follow ODS.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::harness::{Run, Sandbox, example};
use crate::import::clean_fixture;

/// The fixture's first practice, as `import` writes it into `configs/`.
const ST_JOHNS: &str = "configs/st-johns-medical-centre.toml";

/// A sandbox with the clean fixture imported into `configs/`, with
/// `extends` when given (and that file written from the example LMC's).
fn imported(extends: Option<&str>) -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.write("epraccur.csv", &clean_fixture());
    let mut args = vec!["import", "epraccur", "epraccur.csv", "--into", "configs"];
    if let Some(shared) = extends {
        sandbox.write(
            &format!("configs/{shared}"),
            &example("doncaster-lmc/_lmc.toml"),
        );
        args.extend(["--extends", shared]);
    }
    sandbox.run(&args).expect_code(0);
    sandbox
}

/// `import epraccur epraccur.csv --into configs` and `extra`.
fn import(sandbox: &Sandbox, extra: &[&str]) -> Run {
    let mut args = vec!["import", "epraccur", "epraccur.csv", "--into", "configs"];
    args.extend_from_slice(extra);
    sandbox.run(&args)
}

/// Rewrites a file of the sandbox, each of `swaps` made (each must be
/// there, so that a test cannot pass by editing nothing).
fn edit(sandbox: &Sandbox, file: &str, top: &str, swaps: &[(&str, &str)]) -> String {
    let mut text = format!("{top}{}", sandbox.read(file));
    for (from, to) in swaps {
        assert!(text.contains(from), "{from} is not in {file}:\n{text}");
        text = text.replace(from, to);
    }
    sandbox.write(file, &text);
    text
}

/// Every file and folder under `dir`: its bytes (none for a folder) and
/// when it was last modified. A file created and deleted again (a
/// temporary file) changes its folder's time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut seen = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let meta = std::fs::metadata(&folder).unwrap();
        seen.insert(folder.clone(), (Vec::new(), meta.modified().unwrap()));
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                folders.push(path);
            } else {
                seen.insert(
                    path.clone(),
                    (std::fs::read(&path).unwrap(), meta.modified().unwrap()),
                );
            }
        }
    }
    seen
}

/// The fixture with St John's phone number, name and address changed in
/// the config, as a practice might.
fn st_johns_edited(sandbox: &Sandbox, top: &str) -> String {
    edit(
        sandbox,
        ST_JOHNS,
        top,
        &[
            ("01302 123456", "01302 999999"),
            ("\"St John's Medical Centre\"", "\"St John's Surgery\""),
            ("\"12 High St\"", "\"14 High St\""),
        ],
    )
}

#[test]
fn dry_run_creates_no_folder_and_no_file() {
    let sandbox = Sandbox::new();
    sandbox.write("epraccur.csv", &clean_fixture());
    let before = snapshot(sandbox.path());
    for extra in [&[][..], &["--update"], &["--update", "--force"]] {
        for into in ["configs", "lmc/doncaster/configs"] {
            let mut args = vec![
                "import",
                "epraccur",
                "epraccur.csv",
                "--into",
                into,
                "--dry-run",
            ];
            args.extend_from_slice(extra);
            let run = sandbox.run(&args);
            run.expect_code(0);
            assert!(
                run.stdout().contains(&format!(
                    "would write {into}/st-johns-medical-centre.toml\n    practice.name = \"St John's Medical Centre\"\n    practice.slug = \"st-johns-medical-centre\"\n"
                )),
                "{}",
                run.stdout()
            );
            let tail = if extra.contains(&"--update") {
                "; unchanged 0"
            } else {
                ""
            };
            assert!(
                run.stdout().ends_with(&format!(
                    "dry run, nothing written: would write 7, skipped 0 (already exist), would update 0, bad rows 0{tail}\n"
                )),
                "{}",
                run.stdout()
            );
            assert!(!sandbox.path().join("lmc").exists());
            assert!(!sandbox.path().join("configs").exists());
        }
    }
    assert_eq!(snapshot(sandbox.path()), before);

    // The exit code is the real run's: bad rows are errors in both.
    sandbox.write("epraccur.csv", &crate::import::fixture());
    let run = sandbox.run(&[
        "import",
        "epraccur",
        "epraccur.csv",
        "--into",
        "configs",
        "--dry-run",
    ]);
    run.expect_code(1);
    assert!(run.stderr().contains("epraccur.csv:8: error: row skipped"));
    assert!(!sandbox.path().join("configs").exists());

    // A folder that cannot be made fails as the real run does.
    sandbox.write("a-file", "not a folder");
    for into in ["a-file", "a-file/configs"] {
        let run = sandbox.run(&[
            "import",
            "epraccur",
            "epraccur.csv",
            "--into",
            into,
            "--dry-run",
        ]);
        run.expect_code(2);
        assert!(
            run.stderr().contains("cannot create the folder"),
            "{}",
            run.stderr()
        );
    }
}

#[cfg(unix)]
/// `import` (dry and real) in a folder nobody may write to: a read-only
/// bind mount in a mount namespace of its own, which refuses root too (as
/// CI runs), so the refusal is really taken. Returns each run's exit code
/// and standard error.
fn import_read_only(sandbox: &Sandbox, folder: &str, args: &[&str]) -> [(i32, String); 2] {
    std::fs::create_dir_all(sandbox.path().join("seen")).unwrap();
    let args = args.join(" ");
    let script = format!(
        "mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} {folder} || exit 99
         \"$POLICYPACK\" import epraccur epraccur.csv {args} --dry-run 2>seen/dry; echo $? >seen/dry.code
         \"$POLICYPACK\" import epraccur epraccur.csv {args} 2>seen/real; echo $? >seen/real.code"
    );
    let status = sandbox
        .shell(&format!("exec unshare -rm sh -c '{script}'"))
        .status()
        .expect("unshare runs");
    assert_ne!(
        status.code(),
        Some(99),
        "cannot make a read-only bind mount here"
    );
    ["dry", "real"].map(|run| {
        let code = sandbox
            .read(&format!("seen/{run}.code"))
            .trim()
            .parse()
            .unwrap();
        (code, sandbox.read(&format!("seen/{run}")))
    })
}

#[test]
fn dry_run_exits_as_the_real_run_in_a_read_only_folder() {
    let sandbox = imported(None);
    std::fs::create_dir_all(sandbox.path().join("shut")).unwrap();
    edit(&sandbox, ST_JOHNS, "", &[("01302 123456", "01302 999999")]);
    for (folder, args) in [
        ("shut", &["--into", "shut/configs"][..]),
        ("configs", &["--into", "configs", "--update", "--force"]),
    ] {
        let [(dry, dry_err), (real, real_err)] = import_read_only(&sandbox, folder, args);
        // Both refuse, and the dry run says where.
        assert_eq!((dry, real), (2, 2), "{dry_err}\n{real_err}");
        assert!(dry_err.contains(folder), "{dry_err}");
    }
    // Where nothing would be written, a read-only folder is no problem.
    let [(dry, dry_err), (real, real_err)] =
        import_read_only(&sandbox, "configs", &["--into", "configs", "--update"]);
    assert_eq!((dry, real), (0, 0), "{dry_err}\n{real_err}");
}

/// What a dry run prints, as the real run would print it.
fn as_real(dry: &str) -> String {
    dry.replace("dry run, nothing written: would write", "written")
        .replace("would update", "updated")
}

#[test]
fn dry_run_changes_nothing_on_disk_and_says_what_the_real_run_does() {
    let sandbox = imported(None);
    st_johns_edited(&sandbox, "");
    edit(
        &sandbox,
        "configs/high-street-surgery-leeds.toml",
        "keep = [\"practice.postcode\"]\n",
        &[("LS1 1AA", "LS2 2BB")],
    );
    let before = snapshot(sandbox.path());
    for extra in [
        &["--dry-run"][..],
        &["--dry-run", "--update"],
        &["--dry-run", "--update", "--force"],
        &["--dry-run", "--update", "-v"],
        &["--dry-run", "--update", "--message-format", "json"],
    ] {
        import(&sandbox, extra).expect_code(0);
        assert_eq!(snapshot(sandbox.path()), before, "{extra:?}");
    }

    let dry = import(&sandbox, &["--update", "--dry-run"]);
    assert_eq!(
        dry.stdout(),
        "would update configs/st-johns-medical-centre.toml: practice.address\n    \
         practice.address: [\"The Surgery\", \"14 High St\", \"Bentley\", \"Doncaster\", \"South Yorkshire\"] → \
         [\"The Surgery\", \"12 High St\", \"Bentley\", \"Doncaster\", \"South Yorkshire\"]\n\
         dry run, nothing written: would write 0, skipped 0 (already exist), would update 1, bad rows 0; \
         unchanged 6; not replaced 2; kept 1\n"
    );
    // The real run does what the dry run said, and says it the same way.
    let real = import(&sandbox, &["--update"]);
    real.expect_code(0);
    assert_eq!(real.stdout(), as_real(&dry.stdout()));
    assert_eq!(real.stderr(), dry.stderr());
    assert_ne!(snapshot(sandbox.path()), before);
    assert!(sandbox.read(ST_JOHNS).contains("\"12 High St\""));

    // With --force too.
    let dry = import(&sandbox, &["--update", "--force", "--dry-run"]);
    let real = import(&sandbox, &["--update", "--force"]);
    real.expect_code(0);
    assert_eq!(real.stdout(), as_real(&dry.stdout()));
    assert!(
        real.stdout()
            .contains("    practice.phone: \"01302 999999\" → \"01302 123456\"\n"),
        "{}",
        real.stdout()
    );
}

#[test]
fn dry_run_exits_as_the_real_run_with_deny_warnings() {
    let sandbox = imported(None);
    let edited = st_johns_edited(&sandbox, "");
    let dry = import(&sandbox, &["--update", "--dry-run", "--deny-warnings"]);
    dry.expect_code(1);
    assert!(
        dry.stderr()
            .contains("error: practice.phone: the config says"),
        "{}",
        dry.stderr()
    );
    import(&sandbox, &["--update", "--deny-warnings"]).expect_code(1);
    // Denied warnings stop nothing else: the address was still updated.
    assert_eq!(
        sandbox.read(ST_JOHNS),
        edited.replace("\"14 High St\"", "\"12 High St\"")
    );
}

#[test]
fn a_name_or_phone_that_says_something_else_is_reported_not_replaced() {
    let sandbox = imported(None);
    let edited = edit(
        &sandbox,
        ST_JOHNS,
        "",
        &[
            ("01302 123456", "01302 999999"),
            ("\"St John's Medical Centre\"", "\"St John's Surgery\""),
        ],
    );
    let run = import(&sandbox, &["--update"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout(),
        "written 0, skipped 0 (already exist), updated 0, bad rows 0; unchanged 7; not replaced 2\n"
    );
    assert_eq!(
        run.stderr(),
        "configs/st-johns-medical-centre.toml:13:8: warning: practice.name: the config says \"St John's Surgery\", ODS says \"St John's Medical Centre\"; not replaced\n \
         13 | name = \"St John's Surgery\"\n    \
            |        ^^^^^^^^^^^^^^^^^^^\n  \
         hint: if the config is right, add it to keep = [\"practice.name\"] at the top of the file to silence this, or run with --force to take the ODS value\n\n\
         configs/st-johns-medical-centre.toml:19:9: warning: practice.phone: the config says \"01302 999999\", ODS says \"01302 123456\"; not replaced\n \
         19 | phone = \"01302 999999\"\n    \
            |         ^^^^^^^^^^^^^^\n  \
         hint: if the config is right, add it to keep = [\"practice.phone\"] at the top of the file to silence this, or run with --force to take the ODS value\n\n"
    );
    assert_eq!(sandbox.read(ST_JOHNS), edited);
    // -q leaves warnings out, as in check and build.
    let quiet = import(&sandbox, &["--update", "-q"]);
    quiet.expect_code(0);
    assert_eq!(quiet.stdout(), "");
    assert_eq!(quiet.stderr(), "");

    // --force takes the ODS values, and says so.
    let run = import(&sandbox, &["--update", "--force"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout(),
        "updated configs/st-johns-medical-centre.toml: practice.name, practice.phone\n    \
         practice.name: \"St John's Surgery\" → \"St John's Medical Centre\"\n    \
         practice.phone: \"01302 999999\" → \"01302 123456\"\n\
         written 0, skipped 0 (already exist), updated 1, bad rows 0; unchanged 6\n"
    );
    assert_eq!(run.stderr(), "");
    assert_eq!(
        sandbox.read(ST_JOHNS),
        edited
            .replace("01302 999999", "01302 123456")
            .replace("\"St John's Surgery\"", "\"St John's Medical Centre\"")
    );
}

#[test]
fn formatting_alone_is_never_a_change() {
    let sandbox = imported(None);
    let edited = edit(
        &sandbox,
        ST_JOHNS,
        "",
        &[
            ("01302 123456", "(01302) 123-456"),
            (
                "\"St John's Medical Centre\"",
                "\"ST. JOHNS  MEDICAL CENTRE\"",
            ),
            ("\"12 High St\"", "\"12, HIGH ST.\""),
            ("DN5 0AA", "dn50aa"),
        ],
    );
    for force in [&[][..], &["--force"]] {
        let mut args = vec!["--update"];
        args.extend_from_slice(force);
        let run = import(&sandbox, &args);
        run.expect_code(0);
        assert_eq!(
            run.stdout(),
            "written 0, skipped 0 (already exist), updated 0, bad rows 0; unchanged 7\n"
        );
        assert_eq!(run.stderr(), "");
        assert_eq!(sandbox.read(ST_JOHNS), edited);
    }
}

#[test]
fn address_and_postcode_follow_ods() {
    let sandbox = imported(None);
    let edited = edit(
        &sandbox,
        ST_JOHNS,
        "",
        &[("\"Bentley\", ", ""), ("DN5 0AA", "DN5 9ZZ")],
    );
    let run = import(&sandbox, &["--update"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout(),
        "updated configs/st-johns-medical-centre.toml: practice.address, practice.postcode\n    \
         practice.address: [\"The Surgery\", \"12 High St\", \"Doncaster\", \"South Yorkshire\"] → \
         [\"The Surgery\", \"12 High St\", \"Bentley\", \"Doncaster\", \"South Yorkshire\"]\n    \
         practice.postcode: \"DN5 9ZZ\" → \"DN5 0AA\"\n\
         written 0, skipped 0 (already exist), updated 1, bad rows 0; unchanged 6\n"
    );
    assert_eq!(
        sandbox.read(ST_JOHNS),
        edited
            .replace("\"12 High St\", ", "\"12 High St\", \"Bentley\", ")
            .replace("DN5 9ZZ", "DN5 0AA")
    );
}

#[test]
fn keep_is_never_overwritten_even_with_force() {
    let sandbox = imported(Some("_lmc.toml"));
    let edited = st_johns_edited(
        &sandbox,
        "keep = [\"practice.phone\", \"practice.address\"]  # agreed with the LMC\n",
    );
    for extra in [&[][..], &["--force"], &["--force", "-v"]] {
        let mut args = vec!["--update"];
        args.extend_from_slice(extra);
        let run = import(&sandbox, &args);
        run.expect_code(0);
        if extra.is_empty() {
            // Only the name is reported; the kept keys are silent.
            assert_eq!(run.stderr().matches("warning:").count(), 1);
            assert!(
                run.stderr().contains(
                    "hint: if the config is right, add it to keep = [\"practice.phone\", \"practice.address\", \"practice.name\"]"
                ),
                "{}",
                run.stderr()
            );
            assert_eq!(sandbox.read(ST_JOHNS), edited);
        } else {
            assert_eq!(run.stderr(), "");
        }
        if extra.contains(&"-v") {
            assert!(
                run.stdout().contains(
                    "kept configs/st-johns-medical-centre.toml: practice.phone \"01302 999999\" (ODS: \"01302 123456\"), as keep asks\n"
                ),
                "{}",
                run.stdout()
            );
        }
    }
    // --force took the name, and nothing that keep holds.
    assert_eq!(
        sandbox.read(ST_JOHNS),
        edited.replace("\"St John's Surgery\"", "\"St John's Medical Centre\"")
    );
    // A config with `keep` is valid.
    sandbox.run(&["check", ST_JOHNS]).expect_code(0);
}

#[test]
fn keep_in_shared_defaults_applies_to_the_configs_that_extend_it() {
    let sandbox = imported(Some("_lmc.toml"));
    edit(
        &sandbox,
        "configs/_lmc.toml",
        "keep = [\"practice.phone\"]\n",
        &[],
    );
    let st_johns = edit(&sandbox, ST_JOHNS, "", &[("01302 123456", "01302 999999")]);
    // This practice's own list replaces the shared one, as lists do.
    let leeds = "configs/high-street-surgery-leeds.toml";
    let own = edit(
        &sandbox,
        leeds,
        "keep = [\"practice.name\"]\n",
        &[("0113 777 7777", "0113 777 0000")],
    );
    let run = import(&sandbox, &["--update", "--force"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout(),
        "updated configs/high-street-surgery-leeds.toml: practice.phone\n    \
         practice.phone: \"0113 777 0000\" → \"0113 777 7777\"\n\
         written 0, skipped 0 (already exist), updated 1, bad rows 0; unchanged 6; kept 1\n"
    );
    assert_eq!(sandbox.read(ST_JOHNS), st_johns);
    assert_eq!(
        sandbox.read(leeds),
        own.replace("0113 777 0000", "0113 777 7777")
    );
    sandbox.run(&["check", "configs"]).expect_code(0);
}

#[test]
fn a_keep_entry_import_does_not_manage_is_refused_with_file_line_and_key() {
    let sandbox = imported(None);
    let edited = edit(
        &sandbox,
        ST_JOHNS,
        "keep = [\"practice.phon\"]\n",
        &[("\"12 High St\"", "\"14 High St\"")],
    );
    let run = import(&sandbox, &["--update", "--force"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr(),
        "configs/st-johns-medical-centre.toml:1:9: error: keep[1]: not updated: \"practice.phon\" is not one of the keys keep can hold\n \
         1 | keep = [\"practice.phon\"]\n   \
           |         ^^^^^^^^^^^^^^^\n  \
         hint: did you mean \"practice.phone\"? keep may hold practice.name, practice.address, practice.postcode and practice.phone\n\n"
    );
    assert!(
        run.stdout().ends_with("; unchanged 6; not updated 1\n"),
        "{}",
        run.stdout()
    );
    // Not even the address changed: what the practice meant to keep is unknown.
    assert_eq!(sandbox.read(ST_JOHNS), edited);

    // `check` says the same of the same place.
    let check = sandbox.run(&["check", ST_JOHNS]);
    check.expect_code(1);
    assert!(
        check.stderr().contains(
            "configs/st-johns-medical-centre.toml:1:9: error: keep[1]: \"practice.phon\" is not one of the keys keep can hold"
        ),
        "{}",
        check.stderr()
    );

    // In a shared file: every config extending it is left, the problem
    // printed once, at its place in the shared file.
    let sandbox = imported(Some("_lmc.toml"));
    edit(
        &sandbox,
        "configs/_lmc.toml",
        "keep = [\"practice.phone\", \"practice.email\"]\n",
        &[],
    );
    let run = import(&sandbox, &["--update"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr()
            .matches("configs/_lmc.toml:1:27: error: keep[2]: not updated: \"practice.email\" is not one of the keys keep can hold")
            .count(),
        1,
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr()
            .contains("hint: import never changes practice.email, so it needs no keep"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stdout().ends_with("; unchanged 0; not updated 7\n"),
        "{}",
        run.stdout()
    );
}

#[test]
fn json_carries_the_same_facts() {
    let sandbox = imported(None);
    st_johns_edited(&sandbox, "keep = [\"practice.address\"]\n");
    for dry_run in [true, false] {
        let mut args = vec!["--update", "--message-format", "json"];
        if dry_run {
            args.push("--dry-run");
        }
        let run = import(&sandbox, &args);
        run.expect_code(0);
        assert_eq!(run.stderr(), "");
        let lines: Vec<serde_json::Value> = run
            .stdout()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 7 + 2 + 1, "{}", run.stdout());
        let st_johns = lines
            .iter()
            .find(|l| l["file"] == ST_JOHNS && l.get("action").is_some())
            .unwrap();
        assert_eq!(
            st_johns,
            &serde_json::json!({
                "file": ST_JOHNS,
                "action": "unchanged",
                "dry_run": dry_run,
                "changes": [],
                "not_replaced": [
                    { "key": "practice.name", "config": "St John's Surgery", "ods": "St John's Medical Centre" },
                    { "key": "practice.phone", "config": "01302 999999", "ods": "01302 123456" },
                ],
                "kept": [
                    {
                        "key": "practice.address",
                        "config": ["The Surgery", "14 High St", "Bentley", "Doncaster", "South Yorkshire"],
                        "ods": ["The Surgery", "12 High St", "Bentley", "Doncaster", "South Yorkshire"],
                    },
                ],
            })
        );
        let warnings: Vec<&serde_json::Value> = lines
            .iter()
            .filter(|l| l["severity"] == "warning")
            .collect();
        assert_eq!(warnings.len(), 2);
        assert_eq!(warnings[0]["file"], ST_JOHNS);
        assert_eq!(warnings[0]["line"], 14);
        assert_eq!(warnings[0]["key"], "practice.name");
        assert!(
            warnings[1]["hint"]
                .as_str()
                .unwrap()
                .contains("keep = [\"practice.address\", \"practice.phone\"]")
        );
        assert_eq!(
            lines.last().unwrap(),
            &serde_json::json!({ "summary": {
                "dry_run": dry_run, "written": 0, "skipped": 0, "updated": 0,
                "unchanged": 7, "not_updated": 0, "bad_rows": 0,
                "not_replaced": 2, "kept": 1,
            }})
        );
    }

    // A change, as the human output shows it.
    edit(&sandbox, ST_JOHNS, "", &[("DN5 0AA", "DN5 9ZZ")]);
    let run = import(
        &sandbox,
        &["--update", "--dry-run", "--message-format", "json"],
    );
    let record: serde_json::Value = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|l| l["file"] == ST_JOHNS && l.get("action").is_some())
        .unwrap();
    assert_eq!(record["action"], "updated");
    assert_eq!(
        record["changes"],
        serde_json::json!([{ "key": "practice.postcode", "old": "DN5 9ZZ", "new": "DN5 0AA" }])
    );
}

#[test]
fn force_needs_update() {
    let sandbox = imported(None);
    let run = import(&sandbox, &["--force"]);
    run.expect_code(2);
    assert!(run.stderr().contains("--update"), "{}", run.stderr());
}

/// A practice that plants a link where a config is (to a file only the
/// officer may read) gets nothing from `--update`: the link is refused
/// unread, nothing of the file is printed, and the link is left alone.
#[test]
fn update_never_reads_a_config_through_a_link() {
    let sandbox = imported(None);
    let configs = sandbox.path().join("configs");
    let victim = std::fs::read_dir(&configs)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "toml"))
        .unwrap();
    let secret = sandbox.write("private.toml", "TOPSECRET-line1 = \"XYZZY\"\n");
    std::fs::remove_file(&victim).unwrap();
    std::os::unix::fs::symlink(&secret, &victim).unwrap();
    for extra in [
        &["--update"][..],
        &["--update", "--dry-run"],
        &["--update", "--force"],
    ] {
        let run = import(&sandbox, extra);
        let said = format!("{}{}", run.stdout(), run.stderr());
        assert!(!said.contains("TOPSECRET"), "{said}");
        assert!(said.contains("is a link"), "{said}");
        assert!(
            std::fs::symlink_metadata(&victim)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            sandbox.read("private.toml"),
            "TOPSECRET-line1 = \"XYZZY\"\n"
        );
    }
}

/// A practice's config is its own: what `--update` shows of it (a value
/// it replaces, a value it keeps) never carries a control character or a
/// direction override to the officer's terminal, nor raw into JSON.
#[test]
fn update_shows_a_configs_control_characters_escaped() {
    let sandbox = imported(None);
    edit(
        &sandbox,
        ST_JOHNS,
        "",
        &[
            (
                "\"St John's Medical Centre\"",
                "\"St John's \\u009b2J\\u202e Surgery\"",
            ),
            (
                "\"12 High St\"",
                "\"\\u009b31mALL CLEAR\\u202e 12 High St\"",
            ),
        ],
    );
    for extra in [&["-v"][..], &["--message-format", "json"]] {
        let mut args = vec!["--update", "--dry-run"];
        args.extend_from_slice(extra);
        let run = import(&sandbox, &args);
        let raw = [&run.output.stdout[..], &run.output.stderr[..]].concat();
        let text = String::from_utf8_lossy(&raw);
        assert!(
            text.contains("High St") && text.contains("Surgery"),
            "{extra:?}: the values are not shown at all:\n{text}"
        );
        assert!(
            !text.contains(['\u{9b}', '\u{202e}']),
            "{extra:?}: a control character or override reached the output:\n{text:?}"
        );
    }
}

/// An officer who is not root cannot keep a practice's ownership of its
/// config, and a config whose owner changed is another practice's to
/// `build`: such a config is reported, not updated, and stays the
/// practice's; the import goes on to the rest.
#[test]
fn an_officer_who_is_not_root_leaves_a_practices_own_config_as_it_is() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("needs root to give files to other users; skipped");
        return;
    }
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    let sandbox = imported(None);
    let edited = edit(&sandbox, ST_JOHNS, "", &[("DN5 0AA", "DN5 9ZZ")]);
    let config = sandbox.path().join(ST_JOHNS);
    // The practice (65534) owns its config; the officer (65533) runs the
    // import in a folder both may write to.
    std::os::unix::fs::chown(&config, Some(65534), Some(65534)).unwrap();
    for folder in [sandbox.path().to_path_buf(), sandbox.path().join("configs")] {
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o1777)).unwrap();
    }
    for entry in std::fs::read_dir(sandbox.path().join("configs")).unwrap() {
        let path = entry.unwrap().path();
        if path != config {
            std::os::unix::fs::chown(&path, Some(65533), Some(65533)).unwrap();
        }
    }
    std::fs::set_permissions(
        sandbox.path().join("epraccur.csv"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let output = sandbox
        .shell("exec setpriv --reuid 65533 --regid 65533 --clear-groups \"$POLICYPACK\" import epraccur epraccur.csv --into configs --update")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_ne!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("not updated: it belongs to another user (uid 65534)"),
        "{stderr}"
    );
    assert!(stderr.contains("run the import as root"), "{stderr}");
    assert_eq!(
        sandbox.read(ST_JOHNS),
        edited,
        "left as the practice wrote it"
    );
    assert_eq!(
        std::fs::metadata(&config).unwrap().uid(),
        65534,
        "still the practice's"
    );
}
