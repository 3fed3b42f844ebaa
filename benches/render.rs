//! How long one practice takes, in process, with templates loaded once as in
//! a batch build: the handbook PDF alone, and all nine files of a practice
//! (three documents as Markdown, HTML and PDF), rendered in memory by the
//! stages a build runs (`build::plan`, then `Plan::render`), with nothing
//! recorded, so every output is rendered.
//!
//! Run: `cargo bench --bench render`. Results are recorded in BENCHMARKS.md.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use policypack::content::{self, DocKind, Templates};
use policypack::document::Model;
use policypack::pack::build::{self, BuildOptions, Output};
use policypack::pack::write::Folder;
use policypack::render::{self, EditionName, Format, Input, Presentation};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("practice-configs/ashfield-medical-centre.toml")
}

fn bench(c: &mut Criterion) {
    let practice = policypack::config::load(&example()).expect("example config is valid");
    let templates = Templates::load(None).expect("built-in templates load");

    let presentation = Presentation::of(&practice).unwrap();
    let shown = presentation.shown();
    c.bench_function("handbook_pdf", |b| {
        b.iter(|| {
            let doc = content::render(&practice, DocKind::Handbook, &templates, &shown).unwrap();
            let model = Model::of(&doc).unwrap();
            let input = Input {
                doc: &doc,
                model: &model,
                presentation: &presentation,
                edition: EditionName::Standard.edition(),
                templates: &templates,
            };
            render::render(Format::Pdf, &input).unwrap()
        })
    });

    let dir = tempfile::tempdir().unwrap();
    let out = Folder::out(dir.path()).unwrap();
    let options = BuildOptions {
        out: PathBuf::from("unused"),
        docs: DocKind::ALL.to_vec(),
        formats: Format::DEFAULT.to_vec(),
        editions: vec![EditionName::Standard],
        templates: None,
        force: true,
        zip: false,
        deny_warnings: false,
    };
    c.bench_function("practice_nine_files", |b| {
        b.iter(|| {
            let outputs = render_all(&practice, &templates, &options, &out);
            assert_eq!(outputs.len(), 9);
            outputs
        })
    });

    // What Word and large print add to a practice.
    for (name, formats, editions, files) in [
        (
            "practice_three_docx",
            vec![Format::Docx],
            vec![EditionName::Standard],
            3,
        ),
        (
            "practice_large_print_pdfs",
            vec![Format::Pdf],
            vec![EditionName::LargePrint],
            2,
        ),
    ] {
        let options = BuildOptions {
            formats,
            editions,
            ..options.clone()
        };
        c.bench_function(name, |b| {
            b.iter(|| {
                let outputs = render_all(&practice, &templates, &options, &out);
                assert_eq!(outputs.len(), files);
                outputs
            })
        });
    }
}

/// Every output of a practice no build has recorded, as a build renders it
/// (into memory: nothing is written in the output folder `out`).
fn render_all(
    practice: &policypack::config::Practice,
    templates: &Templates,
    options: &BuildOptions,
    out: &Folder,
) -> Vec<Output> {
    let plan = build::plan(practice, templates, None, &BTreeMap::new(), options, out).unwrap();
    plan.render().unwrap().outputs
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(40);
    targets = bench
}
criterion_main!(benches);
