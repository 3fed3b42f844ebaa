//! insta snapshots of the Markdown and HTML of every example practice, so a
//! change to wording or layout shows up as a reviewable diff
//! (`cargo insta review`).

use crate::harness::{built_examples, practice_files};

#[test]
fn example_documents_match_snapshots() {
    let sandbox = built_examples("md,html");
    let files = practice_files(&sandbox.path().join("out"));
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
