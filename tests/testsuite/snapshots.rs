//! insta snapshots of the Markdown and HTML of every example practice, so a
//! change to wording or layout shows up as a reviewable diff
//! (`cargo insta review`).

use crate::harness::{Sandbox, repo};

#[test]
fn example_documents_match_snapshots() {
    let sandbox = Sandbox::new();
    sandbox
        .run(&[
            "build",
            repo().join("practice-configs").to_str().unwrap(),
            "-o",
            "out",
            "--formats",
            "md,html",
        ])
        .expect_code(0);
    let mut files: Vec<_> = Vec::new();
    let out = sandbox.path().join("out");
    for practice in std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
    {
        for file in std::fs::read_dir(practice).unwrap() {
            files.push(file.unwrap().path());
        }
    }
    files.sort();
    assert_eq!(
        files.len(),
        6 * 3 * 2,
        "six examples, three documents, two formats"
    );
    for path in files {
        let slug = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy();
        let name = format!("{slug}__{}", path.file_name().unwrap().to_string_lossy());
        let text = std::fs::read_to_string(&path).unwrap();
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, text);
        });
    }
}
