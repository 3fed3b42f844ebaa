//! `policypack import epraccur` on a small fixture and on the real
//! Doncaster rows of the national ODS file.

use std::path::PathBuf;

use crate::harness::{Run, Sandbox, repo};

/// 13 rows: seven practices to write, a closed one, a walk-in centre
/// (prescribing setting 9), three "High Street Surgery" rows and four bad
/// rows (lines 8–11).
pub fn fixture() -> String {
    std::fs::read_to_string(repo().join("tests/fixtures/ods/epraccur-small.csv")).unwrap()
}

/// The fixture without its bad rows.
pub fn clean_fixture() -> String {
    fixture()
        .split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| !(7..=10).contains(i))
        .map(|(_, line)| line)
        .collect()
}

/// The national file from NHS ODS, kept beside the repository.
pub fn national_file() -> PathBuf {
    let path = repo().join("../shared/data/ods/epraccur.csv");
    assert!(
        path.exists(),
        "{} is missing: the ODS data lives in shared/ beside the repository",
        path.display()
    );
    path
}

/// `import epraccur` of the 40 active Doncaster practices (commissioner
/// 02X) into `doncaster/`, on its `_lmc.toml`, with `extra` arguments.
pub fn import_doncaster(sandbox: &Sandbox, extra: &[&str]) -> Run {
    let csv = national_file();
    let mut args = vec![
        "import",
        "epraccur",
        csv.to_str().unwrap(),
        "--into",
        "doncaster",
        "--commissioner",
        "02X",
        "--extends",
        "_lmc.toml",
    ];
    args.extend_from_slice(extra);
    sandbox.run(&args)
}

fn toml_files(sandbox: &Sandbox, dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(sandbox.path().join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") && !n.starts_with('_'))
        .collect();
    names.sort();
    names
}

#[test]
fn fixture_writes_active_gp_practices_and_reports_bad_rows() {
    let sandbox = Sandbox::new();
    sandbox.write("epraccur.csv", &fixture());
    let run = sandbox.run(&["import", "epraccur", "epraccur.csv", "--into", "configs"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout(),
        "written 7, skipped 0 (already exist), updated 0, bad rows 4\n"
    );
    assert_eq!(
        run.stderr(),
        "epraccur.csv:8: error: row skipped: practice C99008: \"DN5\" is not a UK postcode\n\
         epraccur.csv:9: error: row skipped: practice C99009 has no phone number\n\
         epraccur.csv:10: error: row skipped: it has 5 columns, not 27\n\
         epraccur.csv:11: error: row skipped: practice C99011 has no name\n"
    );
    // Not the closed practice, not the walk-in centre; the repeated name
    // gets the town, and the ODS code where the town repeats too.
    assert_eq!(
        toml_files(&sandbox, "configs"),
        [
            "bridgend-road-surgery.toml",
            "dr-j-mckenzie-dr-obrien.toml",
            "high-street-surgery-doncaster-c99005.toml",
            "high-street-surgery-doncaster-c99006.toml",
            "high-street-surgery-leeds.toml",
            "st-johns-medical-centre.toml",
            "the-densham-surgery.toml",
        ]
    );

    let config: toml::Table =
        toml::from_str(&sandbox.read("configs/st-johns-medical-centre.toml")).unwrap();
    let practice = config["practice"].as_table().unwrap();
    assert_eq!(practice["name"].as_str(), Some("St John's Medical Centre"));
    assert_eq!(practice["slug"].as_str(), Some("st-johns-medical-centre"));
    assert_eq!(practice["ods_code"].as_str(), Some("C99001"));
    assert_eq!(practice["nation"].as_str(), Some("england"));
    assert_eq!(practice["postcode"].as_str(), Some("DN5 0AA"));
    assert_eq!(practice["phone"].as_str(), Some("01302 123456"));
    let address: Vec<&str> = practice["address"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        address,
        [
            "The Surgery",
            "12 High St",
            "Bentley",
            "Doncaster",
            "South Yorkshire"
        ]
    );

    let welsh = sandbox.read("configs/bridgend-road-surgery.toml");
    assert!(welsh.contains("nation = \"wales\""), "{welsh}");
    assert!(
        welsh.contains("name = \"Bridgend Road Surgery\""),
        "{welsh}"
    );
    let densham = sandbox.read("configs/the-densham-surgery.toml");
    assert!(
        densham.contains(
            "address = [\"The Health Centre\", \"Lawson Street\", \"Stockton-on-Tees\", \"Cleveland\"]"
        ),
        "{densham}"
    );
}

#[test]
fn without_extends_check_points_at_what_to_fill_in() {
    let sandbox = Sandbox::new();
    sandbox.write("epraccur.csv", &clean_fixture());
    sandbox
        .run(&["import", "epraccur", "epraccur.csv", "--into", "configs"])
        .expect_code(0);
    let run = sandbox.run(&["check", "configs/high-street-surgery-leeds.toml"]);
    run.expect_code(1);
    for key in [
        "complaints.lead_role",
        "commissioner.name",
        "social_media.monitored_by",
        "policy.issued",
    ] {
        assert!(run.stderr().contains(key), "{key}:\n{}", run.stderr());
    }
    // ... and no error about the keys that came from ODS (only the
    // warning that ODS has no complaints page).
    assert!(
        !run.stderr().contains("error: practice."),
        "{}",
        run.stderr()
    );
}

#[test]
fn filters_never_change_a_slug() {
    let sandbox = Sandbox::new();
    sandbox.write("epraccur.csv", &clean_fixture());
    let run = sandbox.run(&[
        "import",
        "epraccur",
        "epraccur.csv",
        "--into",
        "armthorpe",
        "--commissioner",
        "02x",
        "--postcode-prefix",
        "dn3",
    ]);
    run.expect_code(0);
    assert_eq!(
        toml_files(&sandbox, "armthorpe"),
        ["high-street-surgery-doncaster-c99005.toml"]
    );

    sandbox
        .run(&[
            "import",
            "epraccur",
            "epraccur.csv",
            "--into",
            "north",
            "--commissioner",
            "02V",
            "--commissioner",
            "00K",
        ])
        .expect_code(0);
    assert_eq!(
        toml_files(&sandbox, "north"),
        ["high-street-surgery-leeds.toml", "the-densham-surgery.toml"]
    );
}

#[test]
fn quiet_prints_only_the_bad_rows() {
    let sandbox = Sandbox::new();
    sandbox.write("epraccur.csv", &fixture());
    let run = sandbox.run(&["import", "epraccur", "epraccur.csv", "--into", "c", "-q"]);
    run.expect_code(1);
    assert_eq!(run.stdout(), "");
    assert_eq!(run.stderr().lines().count(), 4, "{}", run.stderr());
}

#[test]
fn missing_csv_or_unwritable_folder_is_exit_2() {
    let sandbox = Sandbox::new();
    let run = sandbox.run(&["import", "epraccur", "nowhere.csv", "--into", "c"]);
    run.expect_code(2);
    assert!(run.stderr().contains("nowhere.csv"), "{}", run.stderr());

    sandbox.write("epraccur.csv", &clean_fixture());
    sandbox.write("a-file", "not a folder");
    let run = sandbox.run(&["import", "epraccur", "epraccur.csv", "--into", "a-file"]);
    run.expect_code(2);
    assert!(run.stderr().contains("a-file"), "{}", run.stderr());
}

#[test]
fn doncaster_imports_checks_skips_and_updates() {
    let sandbox = Sandbox::new();
    let lmc =
        std::fs::read_to_string(repo().join("practice-configs/doncaster-lmc/_lmc.toml")).unwrap();
    sandbox.write("doncaster/_lmc.toml", &lmc);
    let import = |extra: &[&str]| import_doncaster(&sandbox, extra);

    let run = import(&[]);
    run.expect_code(0);
    assert_eq!(
        run.stdout(),
        "written 40, skipped 0 (already exist), updated 0, bad rows 0\n"
    );
    assert_eq!(toml_files(&sandbox, "doncaster").len(), 40);
    let run = sandbox.run(&["check", "doncaster"]);
    run.expect_code(0);
    // Valid; ODS has no complaints lead or complaints page, so each config
    // is warned about those two, in its own file.
    assert!(
        run.stdout().ends_with("40 configs checked: 80 warnings\n"),
        "{}",
        run.stdout()
    );

    // A second import leaves every file alone.
    let run = import(&[]);
    run.expect_code(0);
    assert_eq!(
        run.stdout(),
        "written 0, skipped 40 (already exist), updated 0, bad rows 0\n"
    );

    // The practice edits its config; ODS has not changed. --update puts
    // back the address, reports the phone number the practice changed and
    // leaves it, and keeps the rest.
    let file = "doncaster/the-mayflower-medical-practice.toml";
    let imported = sandbox.read(file);
    assert!(imported.contains("phone = \"01302 710326\""), "{imported}");
    assert!(imported.contains("\"Station Road\""), "{imported}");
    let edited = imported
        .replace(
            "[practice]\n",
            "[practice]\n# Our own note, kept by --update.\n",
        )
        .replace("# email = \"\"", "email = \"mayflower@nhs.net\"")
        .replace("01302 710326", "01302 999999")
        .replace("\"Station Road\"", "\"Old Station Road\"");
    sandbox.write(file, &edited);
    // A practice's private config stays private, and (when root imports)
    // stays the practice's.
    let path = sandbox.path().join(file);
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
    }
    let run = import(&["--update"]);
    run.expect_code(0);
    {
        use std::os::unix::fs::MetadataExt as _;
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(
            meta.mode() & 0o777,
            0o600,
            "the update widened the permissions"
        );
        if root {
            assert_eq!(meta.uid(), 65534, "the update took the practice's file");
        }
    }
    assert_eq!(
        run.stdout(),
        "updated doncaster/the-mayflower-medical-practice.toml: practice.address\n    \
         practice.address: [\"The Health Centre\", \"Old Station Road\", \"Bawtry\", \"Doncaster\"] → \
         [\"The Health Centre\", \"Station Road\", \"Bawtry\", \"Doncaster\"]\n\
         written 0, skipped 0 (already exist), updated 1, bad rows 0; unchanged 39; not replaced 1\n"
    );
    assert!(
        run.stderr().contains(
            "doncaster/the-mayflower-medical-practice.toml:18:9: warning: practice.phone: the config says \"01302 999999\", ODS says \"01302 710326\"; not replaced"
        ),
        "{}",
        run.stderr()
    );
    let updated = edited.replace("\"Old Station Road\"", "\"Station Road\"");
    assert_eq!(sandbox.read(file), updated);
    // --force takes the ODS phone number.
    let run = import(&["--update", "--force"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout(),
        "updated doncaster/the-mayflower-medical-practice.toml: practice.phone\n    \
         practice.phone: \"01302 999999\" → \"01302 710326\"\n\
         written 0, skipped 0 (already exist), updated 1, bad rows 0; unchanged 39\n"
    );
    assert_eq!(
        sandbox.read(file),
        updated.replace("01302 999999", "01302 710326")
    );
    sandbox.run(&["check", file]).expect_code(0);
}

/// `--extends` names a file in the folder imported into: one that reaches
/// outside it would write configs none of which builds.
#[test]
fn extends_that_reaches_outside_the_folder_is_refused() {
    let sandbox = Sandbox::new();
    sandbox.write("_lmc.toml", "");
    let csv = repo().join("tests/fixtures/ods/epraccur-small.csv");
    let run = sandbox.run(&[
        "import",
        "epraccur",
        csv.to_str().unwrap(),
        "--into",
        "configs",
        "--extends",
        "../_lmc.toml",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("--extends _lmc.toml"),
        "{}",
        run.stderr()
    );
    assert!(!sandbox.path().join("configs").exists());
}
