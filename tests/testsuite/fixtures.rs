//! Every config under `tests/fixtures/invalid/<case>/` is rejected with the
//! message in `expected.txt` beside it, exit code 1, and no panic; every
//! config under `tests/fixtures/valid/<case>/` passes `check` and builds.
//!
//! Run with `UPDATE_EXPECTED=1` to rewrite the expected messages after a
//! deliberate change, then read the diff.

use std::path::PathBuf;

use crate::harness::{Sandbox, repo};

fn cases(kind: &str) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/fixtures").join(kind))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no {kind} fixtures");
    cases
}

/// Copies a fixture folder into a sandbox, so messages show short paths.
fn sandbox_with(case: &PathBuf) -> Sandbox {
    let sandbox = Sandbox::new();
    for entry in std::fs::read_dir(case).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, sandbox.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    sandbox
}

#[test]
fn invalid_configs_are_reported_with_location_key_and_hint() {
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut mismatches = Vec::new();
    for case in cases("invalid") {
        let sandbox = sandbox_with(&case);
        let run = sandbox.run(&["check", "practice.toml"]);
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(run.code(), 1, "{name}: expected exit 1\n{}", run.stderr());
        let stderr = run.stderr();
        assert!(!stderr.contains("panicked"), "{name} panicked:\n{stderr}");
        assert!(
            stderr.contains("hint: "),
            "{name}: every problem needs a hint:\n{stderr}"
        );
        assert!(
            stderr.contains("practice.toml") || stderr.contains(".toml"),
            "{name}: names no file:\n{stderr}"
        );
        let expected_path = case.join("expected.txt");
        if update {
            std::fs::write(&expected_path, &stderr).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != stderr {
            mismatches.push(format!(
                "--- {name}: expected\n{expected}\n--- {name}: got\n{stderr}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn every_problem_line_names_file_line_column_and_key() {
    for case in cases("invalid") {
        let sandbox = sandbox_with(&case);
        let stderr = sandbox.run(&["check", "practice.toml"]).stderr();
        for line in stderr.lines().filter(|l| l.contains(": error: ")) {
            let location = line.split(": error: ").next().unwrap();
            let whole_file = ["empty", "not UTF-8"].iter().any(|w| line.contains(w));
            if !whole_file {
                let parts: Vec<&str> = location.rsplitn(3, ':').collect();
                assert!(
                    parts.len() == 3
                        && parts[0].parse::<usize>().is_ok()
                        && parts[1].parse::<usize>().is_ok(),
                    "{}: no file:line:col in {line}",
                    case.display()
                );
            }
        }
    }
}

#[test]
fn valid_configs_check_and_build() {
    for case in cases("valid") {
        let sandbox = sandbox_with(&case);
        sandbox.run(&["check", "practice.toml"]).expect_code(0);
        sandbox
            .run(&["build", "practice.toml", "-o", "out"])
            .expect_code(0);
    }
}
