//! Any bytes as a practice config: loading must report problems, never
//! panic; a config that loads must render every document in every format
//! without panicking, or fail with an error.

#![no_main]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use policypack::render::{EditionName, Format};
use policypack::content::{DocKind, Templates};
use policypack::pack::build::{self, BuildOptions};

fn templates() -> &'static Templates {
    static TEMPLATES: OnceLock<Templates> = OnceLock::new();
    TEMPLATES.get_or_init(|| Templates::load(None).expect("built-in templates load"))
}

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("practice.toml");
    std::fs::write(&path, data).expect("write the input");
    let Ok(practice) = policypack::config::load(&path) else {
        return;
    };
    let options = BuildOptions {
        out: PathBuf::from("unused"),
        docs: DocKind::ALL.to_vec(),
        formats: Format::ALL.to_vec(),
        editions: vec![EditionName::Standard, EditionName::LargePrint],
        templates: None,
        force: true,
        zip: false,
        deny_warnings: false,
    };
    // The stages a build runs, with nothing recorded: every output renders.
    if let Ok(plan) = build::plan(&practice, templates(), None, &BTreeMap::new(), &options) {
        let _ = plan.render();
    }
});
