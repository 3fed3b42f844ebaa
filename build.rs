//! Hashes the bundled fonts at compile time, so that a build does not spend
//! its start-up hashing 1.6 MB that cannot change while the binary exists.
//! The hash is the one `pack::fingerprint::hash` gives (each part
//! length-prefixed); a unit test checks that they agree. It also has the
//! crate rebuilt when a file is added to `policy-templates/`.

use std::path::Path;

use sha2::{Digest, Sha256};

const FACES: [&str; 4] = [
    "LiberationSans-Regular.ttf",
    "LiberationSans-Bold.ttf",
    "LiberationSans-Italic.ttf",
    "LiberationSans-BoldItalic.ttf",
];

fn main() {
    // `include_dir!` embeds the templates and nation facts, but cargo does
    // not see a file added to the folder (a new nation) on its own.
    println!("cargo::rerun-if-changed=policy-templates");
    let mut hasher = Sha256::new();
    for face in FACES {
        let path = Path::new("assets/fonts").join(face);
        println!("cargo::rerun-if-changed={}", path.display());
        let bytes = std::fs::read(&path).expect("a bundled font");
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    println!("cargo::rustc-env=POLICYPACK_FONTS_SHA256={hex}");
}
