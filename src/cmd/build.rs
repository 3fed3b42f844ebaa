//! `policypack build`: build the documents of every practice named.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::Outcome;
use crate::cli::{BuildArgs, GlobalArgs, MessageFormat};
use crate::config::Practice;
use crate::diagnostics::Diagnostic;
use crate::pack::build::{BuildOptions, TemplateCache, build_practice};
use crate::pack::{discover, report};

pub fn run(args: &BuildArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let paths = discover::practice_files(&args.paths)?;
    let mut formats = args.formats.clone();
    formats.sort();
    formats.dedup();
    let mut docs = args.docs.clone();
    docs.sort();
    docs.dedup();
    let options = BuildOptions {
        out: args.out.clone(),
        docs,
        formats,
        templates: args.templates.clone(),
    };
    if let Some(dir) = &options.templates {
        anyhow::ensure!(
            dir.is_dir(),
            "the templates folder {} does not exist",
            dir.display()
        );
    }
    let mut cache = TemplateCache::default();
    // A broken override folder is reported once, as a usage error.
    cache.get(options.templates.as_deref())?;

    let mut failures: Vec<PathBuf> = Vec::new();
    let fail = |path: &Path, problems: &[Diagnostic], failures: &mut Vec<PathBuf>| {
        report::problems(problems, global);
        failures.push(path.to_path_buf());
    };

    let mut practices: Vec<Practice> = Vec::new();
    let mut slugs: HashMap<String, PathBuf> = HashMap::new();
    for path in &paths {
        match crate::config::load(path) {
            Ok(practice) => {
                match slugs.get(&practice.slug) {
                    Some(first) => {
                        let problem = Diagnostic::file(
                        path,
                        format!("slug \"{}\" is also used by {}; both would write to the same folder", practice.slug, first.display()),
                    )
                    .with_hint("give one of them its own slug = \"…\" under [practice]");
                        fail(path, &[problem], &mut failures);
                    }
                    None => {
                        slugs.insert(practice.slug.clone(), path.clone());
                        practices.push(practice);
                    }
                }
            }
            Err(problems) => fail(path, &problems, &mut failures),
        }
    }

    let mut built = 0;
    for practice in &practices {
        match build_practice(practice, &mut cache, &options) {
            Ok(written) => {
                built += 1;
                if global.message_format == MessageFormat::Json {
                    let files: Vec<String> =
                        written.iter().map(|p| p.display().to_string()).collect();
                    println!(
                        "{}",
                        serde_json::json!({ "file": practice.path.display().to_string(), "slug": practice.slug, "built": files })
                    );
                } else if !global.quiet {
                    println!(
                        "built {}: {} files in {}",
                        practice.slug,
                        written.len(),
                        options.out.join(&practice.slug).display()
                    );
                }
            }
            Err(error) => fail(
                &practice.path,
                &[Diagnostic::file(&practice.path, format!("{error:#}"))],
                &mut failures,
            ),
        }
    }
    if global.message_format == MessageFormat::Human && !global.quiet {
        println!("{built} built, {} failed", failures.len());
    }
    if failures.is_empty() {
        return Ok(Outcome::Success);
    }
    if global.message_format == MessageFormat::Human {
        eprintln!("failed:");
        for path in &failures {
            eprintln!("  {}", path.display());
        }
    }
    Ok(Outcome::InputProblems)
}
