//! A member practice is not trusted: what its config, and the files it
//! names, can do to the LMC officer who builds the packs and to the other
//! practices. The officer's `--templates`, the shared `_*.toml` files and
//! the command line are trusted; a practice's own config is not.

use std::path::Path;

use crate::harness::{Sandbox, example, repo};

/// The English example with `extra` added at the top (before any table).
fn config_with(extra: &str) -> String {
    format!("{extra}\n{}", example("ashfield-medical-centre.toml"))
}

/// Every byte written under `out`, as one string, to look for a secret.
fn everything_under(out: &Path) -> String {
    let mut all = String::new();
    for entry in walk(out) {
        all.push_str(&String::from_utf8_lossy(&std::fs::read(entry).unwrap()));
    }
    all
}

/// A home folder of the officer's own in the sandbox, where the record of
/// each build is kept.
fn officers_home(sandbox: &Sandbox) -> std::path::PathBuf {
    let home = sandbox.path().join("home");
    std::fs::create_dir(&home).unwrap();
    home
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
    }
    files
}

const SECRET: &str = "OFFICER-SECRET-KEY-3141";

#[test]
fn a_practice_cannot_choose_templates_that_publish_the_officers_files() {
    let sandbox = Sandbox::new();
    sandbox.write("secret.txt", SECRET);
    // The practice's templates folder holds a link to a file the officer
    // can read, in place of a template.
    std::fs::create_dir_all(sandbox.path().join("lmc/mine")).unwrap();
    std::os::unix::fs::symlink(
        sandbox.path().join("secret.txt"),
        sandbox.path().join("lmc/mine/zero-tolerance-notice.md"),
    )
    .unwrap();
    sandbox.write("lmc/a.toml", &config_with("templates = \"mine\""));
    let run = sandbox.run(&["build", "lmc", "--formats", "md,html", "-o", "out"]);
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("a practice's own config cannot choose templates"),
        "{}",
        run.stderr()
    );
    assert!(!everything_under(&sandbox.path().join("out")).contains(SECRET));

    // The officer's own templates folder with a link in it is refused too,
    // naming the link.
    let run = sandbox.run(&[
        "build",
        "lmc/a.toml",
        "--templates",
        "lmc/mine",
        "--formats",
        "md",
        "-o",
        "out2",
    ]);
    run.expect_code(2);
    assert!(run.stderr().contains("is a link"), "{}", run.stderr());
    assert!(!everything_under(&sandbox.path().join("out2")).contains(SECRET));
}

#[test]
fn a_practice_can_name_only_files_in_its_own_folder() {
    let sandbox = Sandbox::new();
    let logo = std::fs::read(repo().join("tests/fixtures/valid/longest/logo.png")).unwrap();
    std::fs::write(sandbox.path().join("officer.png"), &logo).unwrap();
    std::fs::create_dir_all(sandbox.path().join("lmc")).unwrap();
    std::os::unix::fs::symlink(
        sandbox.path().join("officer.png"),
        sandbox.path().join("lmc/linked.png"),
    )
    .unwrap();
    std::fs::write(sandbox.path().join("lmc/own.png"), &logo).unwrap();
    std::fs::hard_link(
        sandbox.path().join("officer.png"),
        sandbox.path().join("lmc/hard.png"),
    )
    .unwrap();
    sandbox.write("_elsewhere.toml", "[lmc]\nname = \"Somewhere LMC\"\n");
    let absolute = sandbox.path().join("officer.png");
    let cases = [
        ("[branding]\nlogo = \"../officer.png\"", "reaches outside"),
        (
            &format!("[branding]\nlogo = \"{}\"", absolute.display()) as &str,
            "reaches outside",
        ),
        ("[branding]\nlogo = \"linked.png\"", "is a link"),
        ("[branding]\nlogo = \"hard.png\"", "has other names"),
        ("extends = \"../_elsewhere.toml\"", "reaches outside"),
        ("extends = \"/etc/passwd.toml\"", "reaches outside"),
    ];
    for (extra, message) in cases {
        let text = if extra.starts_with("[branding]") {
            example("ashfield-medical-centre.toml").replace("[branding]\n", &format!("{extra}\n"))
        } else {
            config_with(extra)
        };
        sandbox.write("lmc/a.toml", &text);
        let run = sandbox.run(&["check", "lmc/a.toml"]);
        assert_eq!(run.code(), 1, "{extra}: {}", run.stderr());
        assert!(run.stderr().contains(message), "{extra}: {}", run.stderr());
    }
    // Its own logo, in its own folder, is fine.
    sandbox.write(
        "lmc/a.toml",
        &example("ashfield-medical-centre.toml")
            .replace("[branding]\n", "[branding]\nlogo = \"own.png\"\n"),
    );
    sandbox.run(&["check", "lmc/a.toml"]).expect_code(0);
}

#[test]
fn a_slug_clash_fails_both_configs_and_a_folder_keeps_its_owner() {
    let sandbox = Sandbox::new();
    let victim = example("ashfield-medical-centre.toml");
    let thief = example("ashfield-medical-centre.toml")
        .replace(
            "name = \"Ashfield Medical Centre\"",
            "name = \"Aardvark Surgery\"\nslug = \"ashfield-medical-centre\"",
        )
        .replace("0114 496 0456", "0909 879 0000");
    sandbox.write("lmc/ashfield.toml", &victim);
    sandbox.write("lmc/aardvark.toml", &thief);
    let run = sandbox.run(&["build", "lmc", "--formats", "md", "-o", "out"]);
    run.expect_code(1);
    for name in ["ashfield.toml", "aardvark.toml"] {
        assert!(
            run.stderr()
                .lines()
                .any(|l| l.contains(name) && l.contains("neither is built")),
            "{name}: {}",
            run.stderr()
        );
    }
    assert!(!sandbox.path().join("out/ashfield-medical-centre").exists());

    // The victim builds alone; then another folder's config with its slug
    // cannot take its folder over while the victim's config is there.
    std::fs::remove_file(sandbox.path().join("lmc/aardvark.toml")).unwrap();
    sandbox
        .run(&["build", "lmc", "--formats", "md", "-o", "out"])
        .expect_code(0);
    let before = sandbox.read("out/ashfield-medical-centre/zero-tolerance-notice.md");
    sandbox.write("other/aardvark.toml", &thief);
    let run = sandbox.run(&["build", "other", "--formats", "md", "-o", "out"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("would replace it"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        sandbox.read("out/ashfield-medical-centre/zero-tolerance-notice.md"),
        before
    );
    assert!(!before.contains("0909 879 0000"));
    // Nor from another working folder, where the recorded config's path
    // would not be found if it were kept as typed.
    std::fs::create_dir(sandbox.path().join("elsewhere")).unwrap();
    let output = sandbox
        .shell("cd elsewhere && \"$POLICYPACK\" build ../other --formats md -o ../out")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("would replace it"));
    assert_eq!(
        sandbox.read("out/ashfield-medical-centre/zero-tolerance-notice.md"),
        before
    );

    // The thief in the victim's own folder: the victim, which built the
    // folder, builds on; only the thief fails.
    sandbox.write("lmc/aardvark.toml", &thief);
    let run = sandbox.run(&["build", "lmc", "--formats", "md", "-o", "out"]);
    run.expect_code(1);
    assert!(
        run.stderr()
            .lines()
            .any(|l| l.contains("aardvark.toml") && l.contains("which built")),
        "{}",
        run.stderr()
    );
    assert!(run.stdout().contains("1 unchanged"), "{}", run.stdout());
    std::fs::remove_file(sandbox.path().join("lmc/aardvark.toml")).unwrap();

    // The victim's config hidden for one build (renamed as a shared file),
    // and the thief, with the victim's name, claims the folder: refused.
    std::fs::rename(
        sandbox.path().join("lmc/ashfield.toml"),
        sandbox.path().join("lmc/_ashfield.toml"),
    )
    .unwrap();
    sandbox.write("lmc/aardvark.toml", &thief);
    let run = sandbox.run(&["build", "lmc", "--formats", "md", "-o", "out"]);
    run.expect_code(1);
    assert!(run.stderr().contains("which is gone"), "{}", run.stderr());
    // Even with --prune, another ODS code cannot take it.
    let other_code = thief.replace("C86099", "C86666");
    sandbox.write("lmc/aardvark.toml", &other_code);
    let run = sandbox.run(&["build", "lmc", "--formats", "md", "-o", "out", "--prune"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("ODS code was C86099"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        sandbox.read("out/ashfield-medical-centre/zero-tolerance-notice.md"),
        before
    );
    std::fs::remove_file(sandbox.path().join("lmc/aardvark.toml")).unwrap();
    std::fs::rename(
        sandbox.path().join("lmc/_ashfield.toml"),
        sandbox.path().join("lmc/ashfield.toml"),
    )
    .unwrap();

    // A config really renamed: refused until the officer says so with
    // --prune, then built on, with a note.
    std::fs::rename(
        sandbox.path().join("lmc/ashfield.toml"),
        sandbox.path().join("lmc/ashfield-mc.toml"),
    )
    .unwrap();
    let run = sandbox.run(&["build", "lmc", "--formats", "md", "-o", "out"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("build with --prune"),
        "{}",
        run.stderr()
    );
    let run = sandbox.run(&["build", "lmc", "--formats", "md", "-o", "out", "--prune"]);
    run.expect_code(0);
    assert!(run.stderr().contains("which is gone"), "{}", run.stderr());
}

#[test]
fn every_page_carries_the_security_policy_first() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    // An override page with no policy and a script in its body.
    sandbox.write(
        "t/page.html",
        "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{{ title }}</title>\n</head>\n<body>\n<script>alert(1)</script>\n{{ body | safe }}\n</body>\n</html>\n",
    );
    sandbox
        .run(&[
            "build",
            "a.toml",
            "--templates",
            "t",
            "--formats",
            "html",
            "--docs",
            "notice",
            "-o",
            "out",
        ])
        .expect_code(0);
    let page = sandbox.read("out/ashfield-medical-centre/zero-tolerance-notice.html");
    let head = page.find("<head>").unwrap() + "<head>".len();
    assert!(
        page[head..].trim_start().starts_with(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
        ),
        "{page}"
    );
    // A script before the head, where a policy could not reach it, is refused.
    sandbox.write(
        "t/page.html",
        "<!doctype html>\n<script>alert(1)</script>\n<html><head><title>x</title></head><body>{{ body | safe }}</body></html>\n",
    );
    let run = sandbox.run(&[
        "build",
        "a.toml",
        "--templates",
        "t",
        "--formats",
        "html",
        "--docs",
        "notice",
        "-o",
        "out",
    ]);
    run.expect_code(1);
    assert!(run.stderr().contains("before <head>"), "{}", run.stderr());
}

#[test]
fn an_override_cannot_switch_the_reply_checker_off() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    // A rules file keeping one harmless rule, no general-information
    // sentences, and every escalation gone.
    let built_in =
        std::fs::read_to_string(repo().join("policy-templates/reply-rules.toml")).unwrap();
    let sources_at = built_in.find("[[sources]]").unwrap();
    let escalate_at = built_in.find("[[escalate]]").unwrap();
    let unclear_at = built_in
        .find("# A review with none of the words above")
        .unwrap();
    let harmless = format!(
        "general = ['.']\npersonal = []\n\n[[rule]]\nid = \"too-long\"\nseverity = \"warning\"\nmessage = \"long\"\nwhy = \"long\"\nsources = [\"lmc-guidance\"]\nhint = \"shorter\"\nbuiltin = \"length\"\nmax_sentences = 50\n\n{}\n{}",
        &built_in[sources_at..escalate_at],
        &built_in[unclear_at..]
    );
    sandbox.write("t/reply-rules.toml", &harmless);
    sandbox.write(
        "draft.txt",
        "Thank you Mrs Whitlock. Your blood test results were normal and your NHS number 943 476 5919 is on file. Please call 0114 496 0457.",
    );
    let run = sandbox.run(&[
        "reply",
        "check",
        "draft.txt",
        "--config",
        "a.toml",
        "--templates",
        "t",
    ]);
    run.expect_code(1);
    for rule in ["names-person", "clinical-detail", "identifier"] {
        assert!(run.stderr().contains(rule), "{rule}: {}", run.stderr());
    }
    assert!(
        run.stderr()
            .contains("t/reply-rules.toml, over the built-in rules"),
        "{}",
        run.stderr()
    );
    // Escalations cannot be removed either.
    sandbox.write("review.txt", "I can't go on, no one would miss me.");
    let run = sandbox.run(&[
        "reply",
        "draft",
        "--config",
        "a.toml",
        "--templates",
        "t",
        "--review",
        "review.txt",
    ]);
    run.expect_code(1);
    // Without an override, the built-in file is named.
    let run = sandbox.run(&["reply", "check", "draft.txt", "--config", "a.toml"]);
    assert!(
        run.stderr().contains("reply-rules.toml (built in)"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_look_alike_letter_in_a_web_address_is_refused() {
    let sandbox = Sandbox::new();
    let text = example("ashfield-medical-centre.toml").replace(
        "website = \"https://southyorkshire.icb.nhs.uk\"",
        // A label all in Cyrillic ("іс"), in an address otherwise Latin:
        // refused as mixed letters (and its host is not plain a–z).
        "website = \"https://southyorkshire.\u{456}\u{441}.nhs.uk\"",
    );
    assert!(text.contains('\u{456}'));
    sandbox.write("a.toml", &text);
    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("commissioner.website")
            && (run.stderr().contains("not plain a–z") || run.stderr().contains("U+0456")),
        "{}",
        run.stderr()
    );
}

/// A practice posing as another: a name with a Cyrillic "о" is refused;
/// another practice's ODS code under a new slug is built, with a warning
/// on both configs.
#[test]
fn a_look_alike_name_is_refused_and_a_shared_ods_code_is_named() {
    let sandbox = Sandbox::new();
    let victim = example("ashfield-medical-centre.toml");
    let look_alike = victim.replace(
        "name = \"Ashfield Medical Centre\"",
        "name = \"Ashfield Medical Centr\u{435}\"\nslug = \"ashfield-mc\"",
    );
    sandbox.write("lmc/ashfield.toml", &victim);
    sandbox.write("lmc/copy.toml", &look_alike);
    let run = sandbox.run(&["check", "lmc/copy.toml"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("practice.name") && run.stderr().contains("Cyrillic letter U+0435"),
        "{}",
        run.stderr()
    );
    // Nor a phonetic "ɡ", nor a soft hyphen, which shows nothing, nor the
    // click "ǀ" or the capital iota "Ɩ" for an "l", an Armenian "օ", a
    // full-width "ｅ", or a letter under a pile of accents.
    for name in [
        "Ashfield Medical Centr\u{0261}",
        "Ashfield Medical Centre\u{ad}",
        "Ashfie\u{01c0}d Medical Centre",
        "Ashfield Medica\u{0196} Centre",
        "Ashfield Medical Centr\u{0585}",
        "Ashfield Medical Centr\u{ff45}",
        "Ashfield Medical Centre\u{0301}\u{0301}\u{0301}",
        // Split from the Latin by an apostrophe, an ampersand or a space,
        // or beside a digit; and the deprecated format characters.
        "Dr \u{041e}'Brien Medical Centre",
        "A&\u{0412} Medical Centre",
        "Ashfield Medical Centre 1\u{0430}",
        "\u{0422}\u{04bb}\u{0435} Ashfield Medical Centre",
        "Ashfield Mo\u{206f}or Medical Centre",
        // A ligature that reads as "fi", and an accent typed apart.
        "Ash\u{fb01}eld Medical Centre",
        "Ashfield Medical Centre Ty\u{0302}",
    ] {
        sandbox.write(
            "lmc/copy.toml",
            &victim.replace(
                "name = \"Ashfield Medical Centre\"",
                &format!("name = \"{name}\"\nslug = \"ashfield-mc\""),
            ),
        );
        let run = sandbox.run(&["check", "lmc/copy.toml"]);
        run.expect_code(1);
        assert!(
            run.stderr().contains("practice.name"),
            "{name}: {}",
            run.stderr()
        );
    }
    // Welsh letters are Latin, and so are Romanian ones.
    sandbox.write(
        "lmc/copy.toml",
        &victim.replace(
            "name = \"Ashfield Medical Centre\"",
            "name = \"Meddygfa Tŷ Ŵyn ẁ ș\"\nslug = \"ashfield-mc\"",
        ),
    );
    let run = sandbox.run(&["build", "lmc", "--formats", "md", "-o", "out"]);
    run.expect_code(0);
    for config in ["ashfield.toml", "copy.toml"] {
        assert!(
            run.stderr()
                .lines()
                .any(|l| l.contains(config) && l.contains("ODS code C86099 is also used by")),
            "{config}: {}",
            run.stderr()
        );
    }
    // The same name under another slug, without an ODS code: named too.
    sandbox.write(
        "lmc/copy.toml",
        &victim
            .replace("slug = ", "# slug = ")
            .replace("ods_code = \"C86099\"\n", "")
            .replace(
                "name = \"Ashfield Medical Centre\"",
                "name = \"Ashfield  Medical Centre\"\nslug = \"ashfield-mc\"",
            ),
    );
    let run = sandbox.run(&["build", "lmc", "--formats", "md", "-o", "out"]);
    run.expect_code(0);
    assert!(
        run.stderr().lines().any(|l| l.contains("copy.toml")
            && l.contains("is also used by")
            && l.contains("practice name")),
        "{}",
        run.stderr()
    );
}

/// Reports planted in `out/changes/` are read with distrust: one dated in
/// the future is skipped; one whose slug no build makes, or whose
/// references are not the manifest's, is refused; the real one is shown.
#[test]
fn a_forged_change_report_is_not_shown() {
    let sandbox = Sandbox::new();
    sandbox.write("a/ashfield.toml", &example("ashfield-medical-centre.toml"));
    sandbox
        .run(&["build", "a", "--formats", "md", "-o", "out"])
        .expect_code(0);
    let real = walk(&sandbox.path().join("out/changes"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let text = std::fs::read_to_string(&real).unwrap();
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let forge = |name: &str, built_at: &str, edit: &dyn Fn(&mut serde_json::Value)| {
        let mut forged = report.clone();
        forged["built_at"] = built_at.into();
        edit(&mut forged["practices"][0]);
        std::fs::write(
            sandbox.path().join("out/changes").join(name),
            serde_json::to_string(&forged).unwrap(),
        )
        .unwrap();
    };
    let premium = |p: &mut serde_json::Value| {
        p["keys"] = serde_json::json!([{"key": "ombudsman.phone", "old": "0345 015 4033", "new": "0909 879 0000"}]);
    };
    forge("2099-01-01T00-00-00Z.json", "2099-01-01T00:00:00Z", &|p| {
        premium(p);
        p["slug"] = "../../etc".into();
    });
    let shows_real = |run: &crate::harness::Run| {
        assert!(!run.stdout().contains("0909 879 0000"), "{}", run.stdout());
        assert!(run.stdout().contains("Ashfield"), "{}", run.stdout());
    };
    let run = sandbox.run(&["changes", "-o", "out", "--format", "csv"]);
    run.expect_code(0);
    assert!(
        run.stderr().contains("dated in the future"),
        "{}",
        run.stderr()
    );
    shows_real(&run);
    // Newer than the real one (the same second, a later number), but
    // naming a slug no build makes…
    let stem = real.file_stem().unwrap().to_str().unwrap().to_string();
    let built_at = report["built_at"].as_str().unwrap().to_string();
    forge(&format!("{stem}-2.json"), &built_at, &|p| {
        premium(p);
        p["slug"] = "../../etc".into();
    });
    let run = sandbox.run(&["changes", "-o", "out", "--all", "--format", "csv"]);
    assert!(run.stderr().contains("no build makes"), "{}", run.stderr());
    shows_real(&run);
    // …or the real slug with references the manifest does not hold.
    forge(&format!("{stem}-3.json"), &built_at, &|p| {
        premium(p);
        p["references"]["zero-tolerance-notice"] = "AAAA-BBBB".into();
    });
    let run = sandbox.run(&["changes", "-o", "out", "--all", "--format", "csv"]);
    assert!(
        run.stderr()
            .contains(&format!("{stem}-3.json was skipped: no build recorded")),
        "{}",
        run.stderr()
    );
    shows_real(&run);
    // A report whose time is not its name's is refused too.
    forge(&format!("{stem}-4.json"), "2026-01-01T00:00:00Z", &|_| {});
    let run = sandbox.run(&["changes", "-o", "out", "--all", "--format", "csv"]);
    assert!(
        run.stderr().contains("but its name says"),
        "{}",
        run.stderr()
    );
    // Backdated, well formed, with made-up references and another email:
    // no check of its own can fault it, but no build the manifest records
    // wrote it.
    forge("2026-01-05T09-00-00Z.json", "2026-01-05T09:00:00Z", &|p| {
        premium(p);
        p["email"] = "attacker@evil.example".into();
        p["references"]["zero-tolerance-notice"] = "AAAA-BBBB".into();
    });
    let run = sandbox.run(&[
        "changes",
        "-o",
        "out",
        "--since",
        "2026-01-01",
        "--format",
        "csv",
    ]);
    run.expect_code(0);
    assert!(
        run.stderr()
            .contains("no build recorded in the manifest wrote it"),
        "{}",
        run.stderr()
    );
    assert!(!run.stdout().contains("evil.example"), "{}", run.stdout());
    shows_real(&run);
    // The real report edited after the build: not shown either.
    std::fs::write(&real, text.replace("Ashfield", "Ashfie1d")).unwrap();
    let run = sandbox.run(&["changes", "-o", "out", "--all", "--format", "csv"]);
    assert!(
        run.stderr().contains("changed after the build wrote it"),
        "{}",
        run.stderr()
    );
    assert!(!run.stdout().contains("Ashfie1d"), "{}", run.stdout());
    std::fs::write(&real, &text).unwrap();

    // A manifest from before reports were recorded: the next build takes
    // the reports that pass the checks as the folder's, and no others.
    // (Forgeries that pass every check would be taken too: the upgrade
    // trusts what the old checks trusted.)
    for forged in [
        "2026-01-05T09-00-00Z.json".to_string(),
        format!("{stem}-3.json"),
    ] {
        std::fs::remove_file(sandbox.path().join("out/changes").join(forged)).unwrap();
    }
    let manifest_path = sandbox.path().join("out/manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    manifest.as_object_mut().unwrap().remove("reports");
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    sandbox
        .run(&["build", "a", "--formats", "md", "-o", "out"])
        .expect_code(0);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let recorded: Vec<&String> = manifest["reports"].as_object().unwrap().keys().collect();
    assert_eq!(recorded, [&format!("{stem}.json")], "{manifest}");
}

/// The complaints lead's name and role are a private route and never a
/// name finding, but shelter nothing else: a role set to a sentence about
/// test results, or a name holding an NHS number, is still found.
#[test]
fn config_values_do_not_shelter_a_draft() {
    let sandbox = Sandbox::new();
    let config = example("ashfield-medical-centre.toml")
        .replace(
            "lead_name = \"Jane Smith\"",
            "lead_name = \"Mrs Jane Smith, NHS number 943 476 5919\"",
        )
        .replace(
            "lead_role = \"Practice Manager\"",
            "lead_role = \"We checked and your blood test results from Tuesday were normal\"",
        );
    sandbox.write("a.toml", &config);
    sandbox.write(
        "draft.txt",
        "Thank you for your feedback. We checked and your blood test results from Tuesday were normal, Mrs Jane Smith, NHS number 943 476 5919. Please call 0114 496 0457.",
    );
    let run = sandbox.run(&["reply", "check", "draft.txt", "--config", "a.toml"]);
    run.expect_code(1);
    for rule in ["confirms-patient", "clinical-detail", "identifier"] {
        assert!(run.stderr().contains(rule), "{rule}: {}", run.stderr());
    }
    // Nor does the practice's own name: a "name" that is a sentence about
    // someone's results, or a word of it spoken to someone.
    let named = |name: &str| {
        example("ashfield-medical-centre.toml").replace(
            "name = \"Ashfield Medical Centre\"",
            &format!("name = \"{name}\""),
        )
    };
    sandbox.write(
        "a.toml",
        &named("Your Blood Test Results Were Normal Surgery"),
    );
    sandbox.write(
        "draft.txt",
        "Thank you for your feedback. Your blood test results were normal surgery.",
    );
    let run = sandbox.run(&["reply", "check", "draft.txt", "--config", "a.toml"]);
    run.expect_code(1);
    assert!(run.stderr().contains("clinical-detail"), "{}", run.stderr());
    sandbox.write("a.toml", &named("Thorne Moor Surgery"));
    for draft in [
        "Dear Thorne, thank you for your feedback.",
        "Cheers Moor! Thank you for your feedback.",
        "Thank you for your feedback, Mr Thorne.",
    ] {
        sandbox.write("draft.txt", draft);
        let run = sandbox.run(&["reply", "check", "draft.txt", "--config", "a.toml"]);
        run.expect_code(1);
        assert!(
            run.stderr().contains("names-person"),
            "{draft}: {}",
            run.stderr()
        );
    }
    // The practice's name in full is its own.
    sandbox.write(
        "draft.txt",
        "Thank you for your feedback about Thorne Moor Surgery. Please call 0114 496 0457.",
    );
    sandbox
        .run(&["reply", "check", "draft.txt", "--config", "a.toml"])
        .expect_code(0);
}

/// A config file found in a folder that is a link to a file outside it is
/// refused unread, and so is a logo that is a link.
#[test]
fn a_linked_config_or_logo_is_not_read() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "private.toml",
        &example("ashfield-medical-centre.toml").replace(
            "approved_by = \"Dr A Patel, Senior Partner\"",
            &format!("approved_by = \"{SECRET}\""),
        ),
    );
    sandbox.write("secret.txt", SECRET);
    std::fs::create_dir_all(sandbox.path().join("lmc")).unwrap();
    std::os::unix::fs::symlink(
        sandbox.path().join("private.toml"),
        sandbox.path().join("lmc/mine.toml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        sandbox.path().join("secret.txt"),
        sandbox.path().join("lmc/zz.toml"),
    )
    .unwrap();
    let run = sandbox.run(&["build", "lmc", "--formats", "md,html", "-o", "out"]);
    assert_ne!(run.code(), 0);
    assert!(run.stderr().contains("is a link"), "{}", run.stderr());
    assert!(!run.stderr().contains(SECRET), "{}", run.stderr());
    assert!(!everything_under(&sandbox.path().join("out")).contains(SECRET));
}

/// A value with spaces before a Markdown marker stays text.
#[test]
fn leading_spaces_do_not_make_a_value_markup() {
    let sandbox = Sandbox::new();
    let config = example("ashfield-medical-centre.toml")
        .replace("\"12 High Street\"", "\"   # Evil heading\"");
    sandbox.write("a.toml", &config);
    sandbox
        .run(&[
            "build",
            "a.toml",
            "--formats",
            "html",
            "--docs",
            "leaflet",
            "-o",
            "out",
        ])
        .expect_code(0);
    let page = sandbox.read("out/ashfield-medical-centre/complaints-leaflet.html");
    assert!(
        !page.contains("<h1 id=\"evil-heading"),
        "a heading from an address"
    );
    assert!(page.contains("# Evil heading"));
}

/// A shared file that others may change cannot choose templates: a name
/// starting with `_` alone does not make a file the officer's.
#[test]
fn a_shared_file_others_can_write_cannot_choose_templates() {
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::new();
    sandbox.write("lmc/t/zero-tolerance-notice.md", "Ours.\n");
    let shared = sandbox.write("lmc/_mine.toml", "templates = \"t\"\n");
    sandbox.write("lmc/a.toml", &config_with("extends = \"_mine.toml\""));
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o666)).unwrap();
    let run = sandbox.run(&["check", "lmc/a.toml"]);
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("may be changed by someone other than you"),
        "{}",
        run.stderr()
    );
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o644)).unwrap();
    sandbox.run(&["check", "lmc/a.toml"]).expect_code(0);
}

/// One practice's files cannot stop the others being found, nor write to
/// the officer's terminal: a subfolder that cannot be read, a file name
/// with control characters, a planted FIFO index.
#[test]
fn one_practices_folder_does_not_stop_the_build() {
    let sandbox = Sandbox::new();
    sandbox.write("lmc/a.toml", &example("ashfield-medical-centre.toml"));
    // A path too long to read, made of long folder names.
    let mut deep = sandbox.path().join("lmc");
    for i in 0..18 {
        deep = deep.join(format!("{i}{}", "x".repeat(248)));
    }
    let made = std::fs::create_dir_all(&deep).is_ok();
    sandbox.write(
        "lmc/x\u{1b}[2J\u{1b}[1;32mALL GOOD\u{1b}[0m\nok: 3 practices built.toml",
        &example("ashfield-medical-centre.toml"),
    );
    std::fs::create_dir_all(sandbox.path().join("out")).unwrap();
    let fifo =
        std::ffi::CString::new(sandbox.path().join("out/index.html").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let run = sandbox.run(&["build", "lmc", "--formats", "md", "-o", "out"]);
    run.expect_code(0);
    assert!(!run.stderr().contains('\u{1b}'), "{:?}", run.stderr());
    assert!(
        run.stderr().contains("control characters"),
        "{}",
        run.stderr()
    );
    if made {
        assert!(run.stderr().contains("was passed over"), "{}", run.stderr());
    }
    assert!(
        sandbox
            .path()
            .join("out/ashfield-medical-centre/zero-tolerance-notice.md")
            .exists()
    );
}

/// A practice planted in the manifest with a shared file as its config is
/// gone: `--prune` removes it, and the index no longer lists it.
#[test]
fn a_practice_planted_in_the_manifest_is_pruned() {
    let sandbox = Sandbox::new();
    sandbox.write("lmc/a.toml", &example("ashfield-medical-centre.toml"));
    sandbox.write("lmc/_lmc.toml", "[lmc]\nname = \"Doncaster LMC\"\n");
    sandbox
        .run(&["build", "lmc", "--formats", "html", "-o", "out"])
        .expect_code(0);
    let path = sandbox.path().join("out/manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut planted = manifest["practices"]["ashfield-medical-centre"].clone();
    planted["config"] = "lmc/_lmc.toml".into();
    planted["name"] = "URGENT: all patients must re-register".into();
    manifest["practices"]["urgent-recall"] = planted;
    std::fs::write(&path, serde_json::to_string(&manifest).unwrap()).unwrap();
    sandbox.write(
        "out/urgent-recall/zero-tolerance-notice.html",
        "<script>alert(1)</script>",
    );
    sandbox
        .run(&["build", "lmc", "--formats", "html", "-o", "out", "--prune"])
        .expect_code(0);
    assert!(!sandbox.read("out/index.html").contains("URGENT"));
    assert!(!sandbox.read("out/manifest.json").contains("urgent-recall"));
}

/// The templates a trusted shared file chooses are the officer's only if
/// every folder and file in them is: a practice that can write to them, or
/// swap the folder for its own or for a link, would otherwise choose them.
#[test]
fn templates_a_shared_file_chooses_must_be_the_officers_alone() {
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::new();
    let notice = sandbox.write("lmc/t/zero-tolerance-notice.md", "Ours.\n");
    sandbox.write("lmc/_mine.toml", "templates = \"t\"\n");
    sandbox.write("lmc/a.toml", &config_with("extends = \"_mine.toml\""));
    let folder = sandbox.path().join("lmc/t");
    let build = || sandbox.run(&["build", "lmc/a.toml", "--formats", "md", "-o", "out"]);
    let refused = |what: &str| {
        let run = build();
        run.expect_code(1);
        assert!(run.stderr().contains(what), "{}", run.stderr());
        assert!(!sandbox.path().join("out/ashfield-medical-centre").exists());
        // `status` names them too, and fails, rather than call the
        // practice stale with no reason.
        let status = sandbox.run(&["status", "lmc/a.toml", "-o", "out"]);
        status.expect_code(1);
        assert!(status.stderr().contains(what), "{}", status.stderr());
    };
    let mode = |path: &std::path::Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };

    mode(&notice, 0o666);
    refused("zero-tolerance-notice.md may be changed by someone other than you");
    mode(&notice, 0o644);
    mode(&folder, 0o777);
    refused("lmc/t may be changed by someone other than you");
    mode(&folder, 0o755);

    // The folder swapped for a link to another folder of templates.
    std::fs::rename(&folder, sandbox.path().join("lmc/elsewhere")).unwrap();
    std::os::unix::fs::symlink("elsewhere", &folder).unwrap();
    refused("lmc/t is a link");
    std::fs::remove_file(&folder).unwrap();
    std::fs::rename(sandbox.path().join("lmc/elsewhere"), &folder).unwrap();
    // A file another user owns (only root can make one here).
    if unsafe { libc::geteuid() } == 0 {
        let path = std::ffi::CString::new(notice.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::chown(path.as_ptr(), 65534, 65534) }, 0);
        refused("belongs to another user");
        assert_eq!(unsafe { libc::chown(path.as_ptr(), 0, 0) }, 0);
    }
    // `reply check` takes the same templates, and refuses them the same way.
    mode(&notice, 0o666);
    let draft = sandbox.write("draft.txt", "Thank you for your feedback.\n");
    let reply = sandbox.run(&[
        "reply",
        "check",
        draft.to_str().unwrap(),
        "--config",
        "lmc/a.toml",
    ]);
    assert_ne!(reply.code(), 0);
    assert!(
        reply.stderr().contains("someone other than you"),
        "{}",
        reply.stderr()
    );
    mode(&notice, 0o644);
    build().expect_code(0);
    assert!(
        sandbox
            .read("out/ashfield-medical-centre/zero-tolerance-notice.md")
            .contains("Ours.")
    );
    // The folder it is in lets others rename what it holds: another
    // folder could be put in its place.
    let above = sandbox.path().join("lmc/x");
    std::fs::create_dir(&above).unwrap();
    std::fs::rename(&folder, above.join("t")).unwrap();
    sandbox.write("lmc/_mine.toml", "templates = \"x/t\"\n");
    mode(&above, 0o777);
    std::fs::remove_dir_all(sandbox.path().join("out")).unwrap();
    refused("may rename things in");
    mode(&above, 0o1777);
    build().expect_code(0);
}

/// Outputs no manifest entry accounts for (the manifest was lost or
/// distrusted, and that practice is no longer built) are named, since
/// `--prune` cannot know them.
#[test]
fn outputs_no_build_recorded_are_named() {
    let sandbox = Sandbox::new();
    sandbox.write("a/ashfield.toml", &example("ashfield-medical-centre.toml"));
    sandbox
        .run(&["build", "a", "--formats", "md", "--zip", "-o", "out"])
        .expect_code(0);
    std::fs::write(sandbox.path().join("out/manifest.json"), "not a manifest").unwrap();
    let other = example("ashfield-medical-centre.toml").replace(
        "name = \"Ashfield Medical Centre\"",
        "name = \"Thorne Surgery\"\nslug = \"thorne-surgery\"",
    );
    sandbox.write("b/thorne.toml", &other);
    let run = sandbox.run(&["build", "b", "--formats", "md", "-o", "out"]);
    run.expect_code(0);
    for name in [
        "out/ashfield-medical-centre:",
        "out/ashfield-medical-centre.zip:",
    ] {
        assert!(
            run.stderr()
                .lines()
                .any(|l| l.starts_with(name) && l.contains("no build recorded this")),
            "{name}: {}",
            run.stderr()
        );
    }
    assert!(
        !run.stderr().contains("out/thorne-surgery:"),
        "{}",
        run.stderr()
    );
    // With --deny-warnings they are errors, and the build says so by its
    // exit code too.
    let run = sandbox.run(&[
        "build",
        "b",
        "--formats",
        "md",
        "-o",
        "out",
        "--deny-warnings",
    ]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("error: no build recorded this"),
        "{}",
        run.stderr()
    );
}

/// A shared file sets values for every practice that extends it, so a
/// practice that swaps in its own (the folder lets it), or one it can
/// write to, is refused: no practice sets another's LMC phone number.
#[test]
fn a_shared_file_a_practice_could_replace_is_refused() {
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::new();
    let (lmc, practice) = lmc_and_practice();
    let lmc = lmc.as_str();
    let shared = sandbox.write("lmc/_lmc.toml", lmc);
    sandbox.write("lmc/a.toml", &practice);
    sandbox.run(&["check", "lmc/a.toml"]).expect_code(0);
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o664)).unwrap();
    let run = sandbox.run(&["build", "lmc", "--formats", "md", "-o", "out"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("extends") && run.stderr().contains("cannot trust it"),
        "{}",
        run.stderr()
    );
    assert!(!sandbox.path().join("out/ashfield-medical-centre").exists());
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o644)).unwrap();
    // Swapped for one another user owns (only root can make one here).
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::chown(&shared, Some(65534), Some(65534)).unwrap();
        std::fs::set_permissions(
            sandbox.path().join("lmc"),
            std::fs::Permissions::from_mode(0o777),
        )
        .unwrap();
        let run = sandbox.run(&["check", "lmc/a.toml"]);
        run.expect_code(1);
        assert!(run.stderr().contains("cannot trust it"), "{}", run.stderr());
        std::os::unix::fs::chown(&shared, Some(0), Some(0)).unwrap();
        // The officer's own file, in a folder anyone may rename files in:
        // it could be any of the officer's files moved there.
        let run = sandbox.run(&["check", "lmc/a.toml"]);
        run.expect_code(1);
        assert!(run.stderr().contains("cannot trust it"), "{}", run.stderr());
        // The sticky bit keeps the names: only a file's owner may rename it.
        std::fs::set_permissions(
            sandbox.path().join("lmc"),
            std::fs::Permissions::from_mode(0o1777),
        )
        .unwrap();
        sandbox.run(&["check", "lmc/a.toml"]).expect_code(0);
        std::fs::set_permissions(
            sandbox.path().join("lmc"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    sandbox
        .run(&["build", "lmc", "--formats", "md", "-o", "out"])
        .expect_code(0);
}

/// A practice cannot publish a file it could not read itself by naming it
/// as its logo: the officer's private image in the shared folder.
#[test]
fn a_logo_the_practice_could_not_read_is_refused() {
    if unsafe { libc::geteuid() } != 0 {
        return; // Only root can make a file another user owns.
    }
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::new();
    let logo = std::fs::read(crate::harness::repo().join("tests/fixtures/valid/longest/logo.png"))
        .unwrap();
    std::fs::write(sandbox.path().join("private.png"), &logo).unwrap();
    std::fs::set_permissions(
        sandbox.path().join("private.png"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let config = sandbox.write(
        "a.toml",
        &example("ashfield-medical-centre.toml")
            .replace("[branding]\n", "[branding]\nlogo = \"private.png\"\n"),
    );
    std::os::unix::fs::chown(&config, Some(65534), Some(65534)).unwrap();
    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("branding.logo") && run.stderr().contains("could not read it"),
        "{}",
        run.stderr()
    );
    // Nor by extending it: a shared file only the officer may read.
    std::fs::write(
        sandbox.path().join("_private.toml"),
        "[lmc]\nname = \"PRIVATE NOTE\"\nphone = \"0114 496 0400\"\n",
    )
    .unwrap();
    std::fs::set_permissions(
        sandbox.path().join("_private.toml"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    sandbox.write(
        "b.toml",
        &format!(
            "extends = \"_private.toml\"\n{}",
            example("ashfield-medical-centre.toml")
        ),
    );
    std::os::unix::fs::chown(sandbox.path().join("b.toml"), Some(65534), Some(65534)).unwrap();
    let run = sandbox.run(&["build", "b.toml", "--formats", "md", "-o", "out-b"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("could not read it"),
        "{}",
        run.stderr()
    );
    assert!(!everything_under(&sandbox.path().join("out-b")).contains("PRIVATE NOTE"));
    // Readable by everyone, it was public already.
    std::fs::set_permissions(
        sandbox.path().join("private.png"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    sandbox.run(&["check", "a.toml"]).expect_code(0);
}

/// A forged `out/manifest.json` (naming the thief's config as a folder's
/// owner, vouching for a forged report) is not believed: the officer's own
/// record of the last build, kept outside `out/`, is used.
#[test]
fn a_forged_manifest_is_not_believed_over_the_officers_record() {
    let sandbox = Sandbox::new();
    let home = officers_home(&sandbox);
    let env = [("HOME", home.to_str().unwrap())];
    let victim = example("ashfield-medical-centre.toml");
    let thief = victim
        .replace(
            "name = \"Ashfield Medical Centre\"",
            "name = \"Aardvark Surgery\"\nslug = \"ashfield-medical-centre\"",
        )
        .replace("0114 496 0456", "0909 879 0000");
    sandbox.write("lmc/ashfield.toml", &victim);
    sandbox
        .run_with_env(&["build", "lmc", "--formats", "md", "-o", "out"], &env)
        .expect_code(0);
    let before = sandbox.read("out/ashfield-medical-centre/zero-tolerance-notice.md");
    let record = walk(&home.join(".local/state/policypack/manifests"));
    assert_eq!(record.len(), 1, "{record:?}");

    // The thief's config recorded as the folder's owner, and a forged
    // report vouched for.
    sandbox.write("other/aardvark.toml", &thief);
    let thief_path = sandbox
        .path()
        .join("other/aardvark.toml")
        .canonicalize()
        .unwrap();
    let manifest_path = sandbox.path().join("out/manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    manifest["practices"]["ashfield-medical-centre"]["config"] =
        thief_path.to_str().unwrap().into();
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();

    let run = sandbox.run_with_env(&["build", "other", "--formats", "md", "-o", "out"], &env);
    run.expect_code(1);
    assert!(
        run.stderr().contains("would replace it"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("your own record"), "{}", run.stderr());
    assert_eq!(
        sandbox.read("out/ashfield-medical-centre/zero-tolerance-notice.md"),
        before
    );
}

/// Builds the example practice in `lmc/` into `out/` as Markdown, the
/// officer's record kept under `home`.
fn build_ashfield(sandbox: &Sandbox, home: &Path) -> crate::harness::Run {
    let env = [("HOME", home.to_str().unwrap())];
    sandbox.run_with_env(&["build", "lmc", "--formats", "md", "-o", "out"], &env)
}

/// The example practice written to `lmc/` and built: the manifest's path
/// and bytes.
fn built_manifest(sandbox: &Sandbox, home: &Path) -> (std::path::PathBuf, Vec<u8>) {
    sandbox.write(
        "lmc/ashfield.toml",
        &example("ashfield-medical-centre.toml"),
    );
    build_ashfield(sandbox, home).expect_code(0);
    let path = sandbox.path().join("out/manifest.json");
    let bytes = std::fs::read(&path).unwrap();
    (path, bytes)
}

/// A copy of the manifest changed in `out/` is written again from the
/// build's own record, even by a build that changes nothing else, and
/// even when the forgery keeps the manifest's size and times.
#[test]
fn a_forged_manifest_is_put_right_by_a_build_that_changes_nothing() {
    let sandbox = Sandbox::new();
    let home = officers_home(&sandbox);
    let build = || build_ashfield(&sandbox, &home);
    let (manifest_path, built) = built_manifest(&sandbox, &home);
    let times = std::fs::metadata(&manifest_path).unwrap();
    // The same length, in place, with the old modification time put back.
    let forged = String::from_utf8(built.clone())
        .unwrap()
        .replace("Ashfield Medical Centre", "Ashfield Medical Centrx");
    assert_eq!(forged.len(), built.len());
    std::fs::write(&manifest_path, &forged).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&manifest_path)
        .unwrap()
        .set_modified(times.modified().unwrap())
        .unwrap();
    let run = build();
    run.expect_code(0);
    assert!(run.stderr().contains("your own record"), "{}", run.stderr());
    assert_eq!(std::fs::read(&manifest_path).unwrap(), built);
    // And a build after that finds it as it left it.
    let run = build();
    run.expect_code(0);
    assert!(
        !run.stderr().contains("your own record"),
        "{}",
        run.stderr()
    );
    assert_eq!(std::fs::read(&manifest_path).unwrap(), built);
}

/// A manifest in `out/` that another user owns is replaced by a build,
/// even one with nothing else to do and a manifest that reads right:
/// its owner could write to it in place after the build.
#[test]
fn a_manifest_another_user_owns_is_replaced() {
    use std::os::unix::fs::MetadataExt as _;
    if unsafe { libc::geteuid() } != 0 {
        return; // Only root can give a file to another user.
    }
    let sandbox = Sandbox::new();
    let home = officers_home(&sandbox);
    let build = || build_ashfield(&sandbox, &home);
    let (manifest_path, built) = built_manifest(&sandbox, &home);
    std::os::unix::fs::chown(&manifest_path, Some(65534), Some(65534)).unwrap();
    build().expect_code(0);
    let meta = std::fs::metadata(&manifest_path).unwrap();
    assert_eq!(meta.uid(), 0, "the manifest is the build's again");
    assert_eq!(std::fs::read(&manifest_path).unwrap(), built);
}

/// A practice's own missing key is its problem: it is reported in its own
/// file, not at the LMC's shared file that opened the table.
#[test]
fn a_practices_missing_key_is_reported_in_its_own_file() {
    let sandbox = Sandbox::new();
    let config = example("ashfield-medical-centre.toml");
    sandbox.write("lmc/_lmc.toml", "[practice]\nnation = \"england\"\n");
    let own = config.replace("nation = \"england\"\n", "").replace(
        "address = [\"12 High Street\", \"Bentley\", \"Doncaster\"]\n",
        "",
    );
    assert_ne!(own, config, "the example's address moved");
    sandbox.write("lmc/a.toml", &format!("extends = \"_lmc.toml\"\n{own}"));
    let run = sandbox.run(&["check", "lmc/a.toml"]);
    run.expect_code(1);
    let line = run
        .stderr()
        .lines()
        .find(|l| l.contains("practice.address"))
        .unwrap_or_default()
        .to_string();
    assert!(line.starts_with("lmc/a.toml"), "{}", run.stderr());

    // A list the LMC's file sets, emptied by the practice's own: the
    // practice's file is named, not the LMC's.
    let (lmc, practice) = lmc_and_practice();
    let defence = {
        let start = practice.find("[[defence_organisations]]").unwrap();
        practice[start..].to_string()
    };
    sandbox.write("lmc/_lmc.toml", &format!("{lmc}\n{defence}"));
    let start = practice.find("[[defence_organisations]]").unwrap();
    sandbox.write(
        "lmc/a.toml",
        &practice[..start].replacen(
            "extends = \"_lmc.toml\"\n",
            "extends = \"_lmc.toml\"\ndefence_organisations = []\n",
            1,
        ),
    );
    let run = sandbox.run(&["check", "lmc/a.toml"]);
    let line = run
        .stderr()
        .lines()
        .find(|l| l.contains("defence_organisations"))
        .unwrap_or_default()
        .to_string();
    assert!(line.starts_with("lmc/a.toml"), "{}", run.stderr());
}

/// A subfolder of the configs swapped, again and again, for a link to a
/// folder outside them while builds run: no config outside is ever read,
/// built or published (the path is walked from the folder the officer
/// named, one folder at a time, never through a link).
#[test]
fn a_subfolder_swapped_for_a_link_during_builds_never_reads_outside() {
    let sandbox = Sandbox::new();
    let secret = example("ashfield-medical-centre.toml")
        .replace("Jane Smith", "Zed Secretperson")
        .replacen("[practice]", "[practice]\nslug = \"outside-secret\"", 1);
    sandbox.write("private/x.toml", &secret);
    sandbox.write(
        "configs/sub/x.toml",
        &example("leith-walk-medical-practice.toml"),
    );
    let configs = sandbox.path().join("configs");
    std::os::unix::fs::symlink(sandbox.path().join("private"), configs.join("subl")).unwrap();
    let swapper = crate::harness::Swapper::start(&configs.join("sub"), &configs.join("subl"));
    let mut said = String::new();
    for _ in 0..40 {
        let run = sandbox.run(&["build", "configs", "--formats", "md"]);
        said.push_str(&run.stdout());
        said.push_str(&run.stderr());
        let run = sandbox.run(&["check", "configs"]);
        said.push_str(&run.stdout());
        said.push_str(&run.stderr());
    }
    assert!(swapper.stop() > 1000, "the folder hardly moved");
    let out = sandbox.path().join("out");
    assert!(
        !out.join("outside-secret").exists(),
        "a config outside was built"
    );
    assert!(!everything_under(&out).contains("Zed Secretperson"));
    assert!(!said.contains("Zed Secretperson"), "{said}");
}

/// A config the officer owns but a practice's group (or everyone) may
/// write to is the practice's to change: what it names must be readable by
/// them too, or the practice could publish the officer's private logo, or
/// a private file's lines in errors, by editing it.
#[test]
fn a_config_the_practice_may_write_to_cannot_publish_the_officers_files() {
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::new();
    let logo = std::fs::read(crate::harness::repo().join("tests/fixtures/valid/longest/logo.png"))
        .unwrap();
    std::fs::write(sandbox.path().join("private.png"), &logo).unwrap();
    let mode = |name: &str, mode: u32| {
        std::fs::set_permissions(
            sandbox.path().join(name),
            std::fs::Permissions::from_mode(mode),
        )
        .unwrap()
    };
    mode("private.png", 0o600);
    let config = sandbox.write(
        "a.toml",
        &example("ashfield-medical-centre.toml")
            .replace("[branding]\n", "[branding]\nlogo = \"private.png\"\n"),
    );
    // Root's config, root's logo: the officer's own.
    mode("a.toml", 0o644);
    sandbox.run(&["check", "a.toml"]).expect_code(0);
    // The practice's group may write to the config: refused.
    std::os::unix::fs::chown(&config, Some(0), Some(65534)).unwrap();
    mode("a.toml", 0o664);
    let run = sandbox.run(&["build", "a.toml", "--formats", "html", "-o", "out-a"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("branding.logo")
            && run
                .stderr()
                .contains("not readable by everyone who may change"),
        "{}",
        run.stderr()
    );
    assert!(
        !sandbox
            .path()
            .join("out-a/ashfield-medical-centre")
            .exists()
    );
    // So may everyone.
    std::os::unix::fs::chown(&config, Some(0), Some(0)).unwrap();
    mode("a.toml", 0o666);
    sandbox.run(&["check", "a.toml"]).expect_code(1);
    // The same for a file it extends.
    std::fs::write(
        sandbox.path().join("_private.toml"),
        "[lmc]\nname = \"PRIVATE NOTE\"\nphone = \"0114 496 0400\"\n",
    )
    .unwrap();
    mode("_private.toml", 0o600);
    let b = sandbox.write(
        "b.toml",
        &format!(
            "extends = \"_private.toml\"\n{}",
            example("ashfield-medical-centre.toml")
        ),
    );
    std::os::unix::fs::chown(&b, Some(0), Some(65534)).unwrap();
    mode("b.toml", 0o664);
    let run = sandbox.run(&["build", "b.toml", "--formats", "md", "-o", "out-b"]);
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("not readable by everyone who may change"),
        "{}",
        run.stderr()
    );
    assert!(!everything_under(&sandbox.path().join("out-b")).contains("PRIVATE NOTE"));
    // A group that may read both is fine.
    std::os::unix::fs::chown(sandbox.path().join("_private.toml"), Some(0), Some(65534)).unwrap();
    mode("_private.toml", 0o640);
    sandbox.run(&["check", "b.toml"]).expect_code(0);
}

/// `out` is the default output folder: a link called `out` that someone
/// else planted where the officer runs policypack (pointing at another
/// LMC's packs, say), or an `out` folder someone else owns, is refused
/// before anything is written.
#[test]
fn an_output_folder_someone_else_planted_is_refused() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    let elsewhere = sandbox.path().join("other-lmc");
    std::fs::create_dir(&elsewhere).unwrap();
    let out = sandbox.path().join("out");
    std::os::unix::fs::symlink(&elsewhere, &out).unwrap();
    std::os::unix::fs::lchown(&out, Some(65534), Some(65534)).unwrap();
    let run = sandbox.run(&["build", "a.toml", "--formats", "md"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("a link that user 65534 made"),
        "{}",
        run.stderr()
    );
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    // A link of the officer's own is theirs to use.
    std::fs::remove_file(&out).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &out).unwrap();
    sandbox
        .run(&["build", "a.toml", "--formats", "md"])
        .expect_code(0);
    // A folder someone else owns is refused too.
    std::fs::remove_file(&out).unwrap();
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::chown(&out, Some(65534), Some(65534)).unwrap();
    let run = sandbox.run(&["build", "a.toml", "--formats", "md"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("belongs to user 65534"),
        "{}",
        run.stderr()
    );
    // So is a practice's folder someone else made in an output folder
    // they may write to: that practice fails, and nothing is written there.
    std::fs::remove_dir(&out).unwrap();
    std::fs::create_dir(&out).unwrap();
    let planted = out.join("ashfield-medical-centre");
    std::fs::create_dir(&planted).unwrap();
    std::os::unix::fs::chown(&planted, Some(65534), Some(65534)).unwrap();
    let run = sandbox.run(&["build", "a.toml", "--formats", "md"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("belongs to user 65534"),
        "{}",
        run.stderr()
    );
    assert_eq!(std::fs::read_dir(&planted).unwrap().count(), 0);
}

/// With --deny-warnings, a config that shares its ODS code with another
/// fails, as any warning fails a practice then: neither is built and the
/// build exits 1.
#[test]
fn deny_warnings_fails_the_configs_that_share_an_ods_code() {
    let sandbox = Sandbox::new();
    let victim = example("ashfield-medical-centre.toml");
    sandbox.write("lmc/ashfield.toml", &victim);
    sandbox.write(
        "lmc/copy.toml",
        &victim.replace(
            "name = \"Ashfield Medical Centre\"",
            "name = \"Ashfield Surgery\"\nslug = \"ashfield-copy\"",
        ),
    );
    let run = sandbox.run(&["build", "lmc", "--formats", "md", "--deny-warnings"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("ODS code C86099 is also used by"),
        "{}",
        run.stderr()
    );
    assert!(!sandbox.path().join("out/ashfield-medical-centre").exists());
    assert!(!sandbox.path().join("out/ashfield-copy").exists());
}

/// A config the officer owns with an access control list that lets a
/// practice's user write to it counts as writable by everyone: what it
/// names must be readable by everyone (the mode bits alone do not say who
/// may write).
#[test]
fn a_config_with_an_access_list_cannot_publish_the_officers_files() {
    use std::os::unix::ffi::OsStrExt as _;
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::new();
    let logo = std::fs::read(crate::harness::repo().join("tests/fixtures/valid/longest/logo.png"))
        .unwrap();
    std::fs::write(sandbox.path().join("private.png"), &logo).unwrap();
    std::fs::set_permissions(
        sandbox.path().join("private.png"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let config = sandbox.write(
        "a.toml",
        &example("ashfield-medical-centre.toml")
            .replace("[branding]\n", "[branding]\nlogo = \"private.png\"\n"),
    );
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    sandbox.run(&["check", "a.toml"]).expect_code(0);
    // user::rw-, user:65534:rw-, group::r--, mask::rw-, other::r--
    let mut acl = 2u32.to_le_bytes().to_vec();
    for (tag, perm, id) in [
        (0x01u16, 6u16, u32::MAX),
        (0x02, 6, 65534),
        (0x04, 4, u32::MAX),
        (0x10, 6, u32::MAX),
        (0x20, 4, u32::MAX),
    ] {
        acl.extend(tag.to_le_bytes());
        acl.extend(perm.to_le_bytes());
        acl.extend(id.to_le_bytes());
    }
    let path = std::ffi::CString::new(config.as_os_str().as_bytes()).unwrap();
    let set = unsafe {
        libc::setxattr(
            path.as_ptr(),
            c"system.posix_acl_access".as_ptr(),
            acl.as_ptr().cast(),
            acl.len(),
            0,
        )
    };
    assert_eq!(
        set,
        0,
        "the access list was not set: {}",
        std::io::Error::last_os_error()
    );
    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("not readable by everyone who may change"),
        "{}",
        run.stderr()
    );
    // An access list on the logo itself (which may deny a practice what
    // its mode bits allow) is refused too, from a config without one.
    let removed = unsafe { libc::removexattr(path.as_ptr(), c"system.posix_acl_access".as_ptr()) };
    assert_eq!(removed, 0);
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(
        sandbox.path().join("private.png"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    sandbox.run(&["check", "a.toml"]).expect_code(0);
    let logo =
        std::ffi::CString::new(sandbox.path().join("private.png").as_os_str().as_bytes()).unwrap();
    let set = unsafe {
        libc::setxattr(
            logo.as_ptr(),
            c"system.posix_acl_access".as_ptr(),
            acl.as_ptr().cast(),
            acl.len(),
            0,
        )
    };
    assert_eq!(set, 0);
    sandbox.run(&["check", "a.toml"]).expect_code(1);
}

/// A folder or config the officer names on the command line, reached
/// through a link that a practice made (to a folder only the officer may
/// read), is refused before anything is read.
#[test]
fn a_named_path_through_a_practices_link_is_refused() {
    let sandbox = Sandbox::new();
    let secret = example("ashfield-medical-centre.toml").replace("Jane Smith", "Zed Secretperson");
    sandbox.write("private/x.toml", &secret);
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    std::fs::create_dir(sandbox.path().join("configs")).unwrap();
    let link = sandbox.path().join("configs/m");
    std::os::unix::fs::symlink(sandbox.path().join("private"), &link).unwrap();
    std::os::unix::fs::lchown(&link, Some(65534), Some(65534)).unwrap();
    sandbox.write("draft.txt", "Thank you for your feedback.");
    sandbox.write("ods.csv", &crate::import::clean_fixture());
    // A draft or a review through the link: the officer's private notes.
    sandbox.write(
        "private/notes.txt",
        "Zed Secretperson: the duty doctor must call back today.",
    );
    for args in [
        &[
            "reply",
            "check",
            "configs/m/notes.txt",
            "--config",
            "a.toml",
        ][..],
        &[
            "reply",
            "check",
            "draft.txt",
            "--config",
            "a.toml",
            "--review",
            "configs/m/notes.txt",
        ],
        &[
            "reply",
            "draft",
            "--config",
            "a.toml",
            "--review",
            "configs/m/notes.txt",
        ],
        &["build", "configs/m", "--formats", "md"],
        &["build", "configs/m/x.toml", "--formats", "md"],
        &["check", "configs/m/x.toml"],
        &[
            "reply",
            "check",
            "draft.txt",
            "--config",
            "configs/m/x.toml",
        ],
        &["build", "a.toml", "--formats", "md", "-o", "configs/m/out"],
        &["status", "a.toml", "-o", "configs/m/out"],
        &["changes", "-o", "configs/m"],
        &["new", "configs/m/new.toml"],
        &["import", "epraccur", "ods.csv", "--into", "configs/m"],
    ] {
        let run = sandbox.run(args);
        assert_ne!(run.code(), 0, "{args:?}");
        let said = format!("{}{}", run.stdout(), run.stderr());
        assert!(
            said.contains("a link that user 65534 made"),
            "{args:?}: {said}"
        );
        assert!(!said.contains("Zed Secretperson"));
    }
    assert!(!everything_under(&sandbox.path().join("out")).contains("Zed Secretperson"));
    // Nothing was written through the link.
    let private: Vec<_> = std::fs::read_dir(sandbox.path().join("private"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(private.len(), 2, "{private:?}");
}

/// A logo in a folder the config's writers may not enter (another
/// practice's private folder, or the officer's) is one they could not
/// read: refused, whatever the file's own permissions.
#[test]
fn a_logo_in_a_folder_the_practice_cannot_enter_is_refused() {
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::new();
    let logo = std::fs::read(crate::harness::repo().join("tests/fixtures/valid/longest/logo.png"))
        .unwrap();
    let private = sandbox.path().join("bob");
    std::fs::create_dir(&private).unwrap();
    std::fs::write(private.join("scan.png"), &logo).unwrap();
    std::fs::set_permissions(
        private.join("scan.png"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::os::unix::fs::chown(&private, Some(65533), Some(65533)).unwrap();
    let config = sandbox.write(
        "alice.toml",
        &example("ashfield-medical-centre.toml")
            .replace("[branding]\n", "[branding]\nlogo = \"bob/scan.png\"\n"),
    );
    std::os::unix::fs::chown(&config, Some(65534), Some(65534)).unwrap();
    let run = sandbox.run(&["build", "alice.toml", "--formats", "html", "-o", "out"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("branding.logo")
            && run
                .stderr()
                .contains("not readable by everyone who may change"),
        "{}",
        run.stderr()
    );
    // A folder they may enter is fine.
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o755)).unwrap();
    sandbox.run(&["check", "alice.toml"]).expect_code(0);
}

/// The system reads a file's group bits for its group's members, never
/// the others' bits: a file the officer made readable by "others" but not
/// by the practices' group is one no practice may read, so a practice
/// cannot publish it, as a logo, through a folder shut to its group, or
/// as a file its config extends. The practice here is the user `nobody`,
/// whose group is `nogroup` (65534).
#[test]
fn a_file_shut_to_the_practices_group_is_not_readable_by_them() {
    if unsafe { libc::geteuid() } != 0 {
        return; // Only root can make a file another user owns.
    }
    use std::os::unix::fs::PermissionsExt as _;
    let nobody = |path: &Path| std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
    let shut = |path: &Path, mode: u32| {
        std::os::unix::fs::chown(path, Some(0), Some(65534)).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    let sandbox = Sandbox::new();
    let logo = std::fs::read(crate::harness::repo().join("tests/fixtures/valid/longest/logo.png"))
        .unwrap();
    std::fs::write(sandbox.path().join("private.png"), &logo).unwrap();
    shut(&sandbox.path().join("private.png"), 0o604);
    let config = sandbox.write(
        "a.toml",
        &example("ashfield-medical-centre.toml")
            .replace("[branding]\n", "[branding]\nlogo = \"private.png\"\n"),
    );
    nobody(&config);
    let check = sandbox.run(&["check", "a.toml"]);
    let build = sandbox.run(&["build", "a.toml", "--formats", "html", "-o", "out"]);
    for run in [check, build] {
        run.expect_code(1);
        assert!(run.stderr().contains("branding.logo"), "{}", run.stderr());
    }
    assert!(!sandbox.path().join("out/ashfield-medical-centre").exists());
    // Readable by the group too, it is one the practice could read.
    shut(&sandbox.path().join("private.png"), 0o644);
    sandbox.run(&["check", "a.toml"]).expect_code(0);

    // A folder the practices' group may not enter, though others may.
    let folder = sandbox.path().join("officer");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("scan.png"), &logo).unwrap();
    std::fs::set_permissions(
        folder.join("scan.png"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    shut(&folder, 0o701);
    let config = sandbox.write(
        "b.toml",
        &example("ashfield-medical-centre.toml")
            .replace("[branding]\n", "[branding]\nlogo = \"officer/scan.png\"\n"),
    );
    nobody(&config);
    let run = sandbox.run(&["check", "b.toml"]);
    run.expect_code(1);
    assert!(run.stderr().contains("branding.logo"), "{}", run.stderr());
    shut(&folder, 0o711);
    sandbox.run(&["check", "b.toml"]).expect_code(0);

    // A shared file it extends, shut to the group in the same way.
    std::fs::write(
        sandbox.path().join("_private.toml"),
        "[lmc]\nname = \"PRIVATE NOTE\"\nphone = \"0114 496 0400\"\n",
    )
    .unwrap();
    shut(&sandbox.path().join("_private.toml"), 0o604);
    let config = sandbox.write(
        "c.toml",
        &format!(
            "extends = \"_private.toml\"\n{}",
            example("ashfield-medical-centre.toml")
        ),
    );
    nobody(&config);
    let run = sandbox.run(&["build", "c.toml", "--formats", "md", "-o", "out-c"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("could not read it"),
        "{}",
        run.stderr()
    );
    assert!(!everything_under(&sandbox.path().join("out-c")).contains("PRIVATE NOTE"));
}

/// A folder planted where policypack keeps its own files in `out/` (the
/// index, the manifest), which no rename can replace, is removed, and the
/// files are written: the build does not fail on it for ever.
#[test]
fn a_folder_planted_as_the_index_or_manifest_is_replaced() {
    let sandbox = Sandbox::new();
    sandbox.write("configs/a.toml", &example("ashfield-medical-centre.toml"));
    for name in ["index.html", "manifest.json"] {
        std::fs::create_dir_all(sandbox.path().join("out").join(name).join("inner")).unwrap();
        std::fs::write(
            sandbox.path().join("out").join(name).join("index.html"),
            "forged",
        )
        .unwrap();
    }
    sandbox
        .run(&["build", "configs", "--formats", "md", "-o", "out"])
        .expect_code(0);
    for name in ["index.html", "manifest.json"] {
        let path = sandbox.path().join("out").join(name);
        assert!(path.is_file(), "{name}");
        assert!(!std::fs::read_to_string(&path).unwrap().contains("forged"));
    }
}

/// A practice's zip swapped for another file after the build that wrote
/// it is taken away by the next build, even one that makes no zips, and
/// the index stops linking it: the file is no longer the build's.
#[test]
fn a_zip_changed_since_its_build_is_taken_away() {
    let sandbox = Sandbox::new();
    sandbox.write("configs/a.toml", &example("ashfield-medical-centre.toml"));
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "configs", "--formats", "md", "-o", "out"];
        args.extend(extra);
        sandbox.run(&args).expect_code(0);
    };
    build(&["--zip"]);
    let zip = sandbox.path().join("out/ashfield-medical-centre.zip");
    assert!(zip.is_file());
    let index = || std::fs::read_to_string(sandbox.path().join("out/index.html")).unwrap();
    assert!(index().contains("ashfield-medical-centre.zip"));
    // Unchanged, a build without --zip leaves it be.
    build(&[]);
    assert!(zip.is_file());
    std::fs::remove_file(&zip).unwrap();
    std::fs::write(&zip, "PK forged: ring 0906 123 4567").unwrap();
    build(&[]);
    assert!(!zip.exists(), "the forged zip is still there");
    assert!(
        !index().contains("ashfield-medical-centre.zip"),
        "{}",
        index()
    );
}

/// In a shared folder the practices may write to, without the sticky bit,
/// a practice can rename files, the officer's too: one of the officer's
/// private files moved to the name a config gives its logo, or a private
/// draft moved into `_lmc.toml`'s place, is not published. With the
/// sticky bit (only a file's owner may rename it) the folder keeps its
/// names, and the officer's own choices stand.
#[test]
fn a_private_file_renamed_into_a_configs_way_is_refused() {
    if unsafe { libc::geteuid() } != 0 {
        return; // Only root can give the folder to another group.
    }
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::new();
    let shared = sandbox.path().join("configs");
    std::fs::create_dir(&shared).unwrap();
    let set_folder = |mode: u32| {
        std::os::unix::fs::chown(&shared, Some(0), Some(65534)).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    let logo = std::fs::read(crate::harness::repo().join("tests/fixtures/valid/longest/logo.png"))
        .unwrap();
    // The officer's private image, renamed by a practice to the logo's name.
    std::fs::write(shared.join("logo.png"), &logo).unwrap();
    std::fs::set_permissions(
        shared.join("logo.png"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    sandbox.write(
        "configs/a.toml",
        &example("ashfield-medical-centre.toml")
            .replace("[branding]\n", "[branding]\nlogo = \"logo.png\"\n"),
    );
    set_folder(0o775);
    let run = sandbox.run(&["build", "configs", "--formats", "html", "-o", "out"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("branding.logo") && run.stderr().contains("rename files"),
        "{}",
        run.stderr()
    );
    assert!(!sandbox.path().join("out/ashfield-medical-centre").exists());
    // With the sticky bit nobody else could have put it there.
    set_folder(0o1775);
    sandbox
        .run(&["build", "configs", "--formats", "html", "-o", "out"])
        .expect_code(0);
    std::fs::remove_dir_all(sandbox.path().join("out")).unwrap();
    std::fs::remove_file(shared.join("a.toml")).unwrap();

    // A private draft renamed into the shared file's place.
    std::fs::write(
        shared.join("_lmc.toml"),
        "[lmc]\nname = \"SECRET DRAFT LMC\"\nphone = \"0114 496 0400\"\n",
    )
    .unwrap();
    std::fs::set_permissions(
        shared.join("_lmc.toml"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    sandbox.write(
        "configs/b.toml",
        &format!(
            "extends = \"_lmc.toml\"\n{}",
            example("ashfield-medical-centre.toml")
        ),
    );
    set_folder(0o775);
    let run = sandbox.run(&["build", "configs", "--formats", "md", "-o", "out"]);
    run.expect_code(1);
    assert!(run.stderr().contains("extends"), "{}", run.stderr());
    assert!(!everything_under(&sandbox.path().join("out")).contains("SECRET DRAFT"));
    set_folder(0o1775);
    sandbox
        .run(&["build", "configs", "--formats", "md", "-o", "out"])
        .expect_code(0);
}

/// A practice renamed (so its slug changes) still holds its old folder
/// until `--prune`: another practice's config cannot take that slug, nor
/// can it with `--prune` and an ODS code not the one recorded.
#[test]
fn a_slug_a_renamed_practice_left_is_not_taken() {
    let sandbox = Sandbox::new();
    let ashfield = example("ashfield-medical-centre.toml");
    sandbox.write("configs/a.toml", &ashfield);
    sandbox.write("configs/b.toml", &example("ormeau-road-surgery.toml"));
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "configs", "--formats", "md", "-o", "out"];
        args.extend(extra);
        sandbox.run(&args)
    };
    build(&[]).expect_code(0);
    let notice = "out/ashfield-medical-centre/zero-tolerance-notice.md";
    let before = sandbox.read(notice);
    sandbox.write(
        "configs/a.toml",
        &ashfield.replace(
            "name = \"Ashfield Medical Centre\"",
            "name = \"Ashfield Health Centre\"",
        ),
    );
    build(&[]).expect_code(0);
    sandbox.write(
        "configs/b.toml",
        &example("ormeau-road-surgery.toml").replacen(
            "[practice]",
            "[practice]\nslug = \"ashfield-medical-centre\"",
            1,
        ),
    );
    for extra in [&[][..], &["--prune"][..]] {
        let run = build(extra);
        run.expect_code(1);
        assert!(
            run.stderr().contains("builds ashfield-health-centre now"),
            "{}",
            run.stderr()
        );
        if extra.is_empty() {
            assert_eq!(sandbox.read(notice), before);
        }
    }
    // `--prune` took the renamed practice's old folder away; nothing of
    // the other practice went in its place.
    let old = sandbox.path().join("out/ashfield-medical-centre");
    assert!(!old.exists() || !everything_under(&old).contains("Ormeau"));
}

/// The officer's record in `home` and the published manifest, as a build
/// of 25,000 more practices (more than a manifest may list, their configs
/// gone since) would leave them: copies of the Ashfield example's entry.
fn overfill_record(sandbox: &Sandbox, home: &Path) {
    let record = walk(&home.join(".local/state/policypack/manifests"));
    assert_eq!(record.len(), 1, "{record:?}");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&record[0]).unwrap()).unwrap();
    let entry = manifest["practices"]["ashfield-medical-centre"].clone();
    for i in 0..25_000 {
        let mut extra = entry.clone();
        extra["config"] = format!("/nowhere/p{i}.toml").into();
        for file in extra["files"].as_array_mut().unwrap() {
            let path = file["path"]
                .as_str()
                .unwrap()
                .replace("ashfield-medical-centre/", &format!("p{i}/"));
            file["path"] = path.into();
        }
        manifest["practices"][format!("p{i}")] = extra;
    }
    let bytes = manifest.to_string();
    std::fs::write(&record[0], &bytes).unwrap();
    std::fs::write(sandbox.path().join("out/manifest.json"), &bytes).unwrap();
}

/// Configs added by the thousand make the officer's record more than a
/// manifest may hold. That must not make policypack forget who built each
/// folder, or a config with another practice's slug and public ODS code
/// would be "new" beside it and both would fail for good.
#[test]
fn an_overfull_record_still_says_who_built_each_folder() {
    let sandbox = Sandbox::new();
    let home = officers_home(&sandbox);
    let env = [("HOME", home.to_str().unwrap())];
    let victim = example("ashfield-medical-centre.toml");
    sandbox.write("lmc/ashfield.toml", &victim);
    let build = || sandbox.run_with_env(&["build", "lmc", "--formats", "md", "-o", "out"], &env);
    build().expect_code(0);
    let before = sandbox.read("out/ashfield-medical-centre/zero-tolerance-notice.md");
    overfill_record(&sandbox, &home);

    // The thief: the victim's slug and public ODS code, sorting first.
    let thief = victim
        .replace(
            "name = \"Ashfield Medical Centre\"",
            "name = \"Aardvark Surgery\"\nslug = \"ashfield-medical-centre\"",
        )
        .replace("0114 496 0456", "0909 879 0000");
    sandbox.write("lmc/aardvark.toml", &thief);
    for _ in 0..2 {
        let run = build();
        run.expect_code(1);
        let stderr = run.stderr();
        assert!(
            stderr
                .lines()
                .any(|l| l.contains("aardvark.toml") && l.contains("would replace it")),
            "{stderr}"
        );
        assert!(
            !stderr
                .lines()
                .any(|l| l.starts_with("lmc/ashfield.toml: error")),
            "the folder's owner failed:\n{stderr}"
        );
        assert!(
            stderr.contains("more than policypack reads whole"),
            "{stderr}"
        );
        assert_eq!(
            sandbox.read("out/ashfield-medical-centre/zero-tolerance-notice.md"),
            before
        );
    }
}

/// An overfull record is read one practice at a time, each whole but for
/// the config values of practices not built now: the change report still
/// says what to reprint, naming only the key that changed, and `--prune`
/// still takes away a gone practice's files, and the entries of practices
/// whose folders are gone, so the record is no longer overfull.
#[test]
fn an_overfull_record_still_says_what_to_reprint_and_what_to_prune() {
    let sandbox = Sandbox::new();
    let home = officers_home(&sandbox);
    let env = [("HOME", home.to_str().unwrap())];
    sandbox.write(
        "lmc/ashfield.toml",
        &example("ashfield-medical-centre.toml"),
    );
    sandbox.write("lmc/ormeau.toml", &example("ormeau-road-surgery.toml"));
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "lmc", "--formats", "md", "-o", "out"];
        args.extend(extra);
        sandbox.run_with_env(&args, &env)
    };
    build(&[]).expect_code(0);
    overfill_record(&sandbox, &home);

    // A round that builds one practice alone, or in which the other
    // fails, keeps the other's values for the next.
    sandbox
        .run_with_env(
            &["build", "lmc/ormeau.toml", "--formats", "md", "-o", "out"],
            &env,
        )
        .expect_code(0);
    let config = sandbox.read("lmc/ashfield.toml");
    sandbox.write(
        "lmc/ashfield.toml",
        &config.replace("DN5 0AA", "not a postcode"),
    );
    build(&[]).expect_code(1);
    sandbox.write(
        "lmc/ashfield.toml",
        &config.replacen("0114 496 0456", "0114 496 0999", 1),
    );
    let run = build(&[]);
    run.expect_code(0);
    assert!(
        run.stderr().contains("more than policypack reads whole"),
        "{}",
        run.stderr()
    );
    assert!(
        !run.stderr().contains("nothing to reprint"),
        "{}",
        run.stderr()
    );
    let report = sandbox.run_with_env(&["changes", "-o", "out", "--format", "json"], &env);
    report.expect_code(0);
    let rows: Vec<serde_json::Value> = report
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 1, "{}", report.stdout());
    assert_eq!(rows[0]["slug"], "ashfield-medical-centre");
    assert_eq!(rows[0]["reprint"], true, "{}", report.stdout());
    let keys: Vec<&str> = rows[0]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["practice.phone"], "{}", report.stdout());

    std::fs::remove_file(sandbox.path().join("lmc/ormeau.toml")).unwrap();
    build(&["--prune"]).expect_code(0);
    assert!(!sandbox.path().join("out/ormeau-road-surgery").exists());
    let run = build(&[]);
    run.expect_code(0);
    assert!(
        !run.stderr().contains("more than policypack reads whole"),
        "{}",
        run.stderr()
    );
    assert!(sandbox.path().join("out/ashfield-medical-centre").exists());
}

/// One config can make only so much: a web address, an email address, a
/// phone number or a path longer than any real one is refused, so a
/// practice cannot make hundred-megabyte PDFs, nor swell the manifest
/// that records its values.
#[test]
fn a_value_longer_than_any_real_one_is_refused() {
    let sandbox = Sandbox::new();
    let long = format!("https://www.example.nhs.uk/{}", "a".repeat(320_000));
    let config = example("ashfield-medical-centre.toml").replace(
        "website = \"https://www.ashfieldmedical.nhs.uk\"",
        &format!("website = \"{long}\""),
    );
    assert!(config.contains(&long), "the example's website moved");
    sandbox.write("a.toml", &config);
    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("practice.website") && run.stderr().contains("too long"),
        "{}",
        run.stderr()
    );
    let run = sandbox.run(&["build", "a.toml", "-o", "out"]);
    run.expect_code(1);
    assert!(!sandbox.path().join("out/ashfield-medical-centre").exists());
    // A list has a longest length too: `keep` holds at most 16 entries
    // (import manages four keys), not 55,000 copies of one (a 1 MB
    // manifest entry).
    let keep = format!("keep = [{}]\n", ["\"practice.phone\""; 17].join(", "));
    sandbox.write(
        "a.toml",
        &format!("{keep}{}", example("ashfield-medical-centre.toml")),
    );
    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(1);
    assert!(run.stderr().contains("keep"), "{}", run.stderr());
}

/// A practice whose build fails keeps its manifest entry, but the index
/// stops linking any of its files planted since its last build, and a
/// planted zip is taken away: a practice that may write in `out/` cannot
/// publish its own pack under another's name while that one fails.
#[test]
fn a_failing_practices_planted_files_are_not_published() {
    let sandbox = Sandbox::new();
    let b = example("ashfield-medical-centre.toml").replace(
        "name = \"Ashfield Medical Centre\"",
        "name = \"Bentley Surgery\"\nods_code = \"C86098\"",
    );
    let b = b.replace("ods_code = \"C86099\"\n", "");
    sandbox.write("configs/a.toml", &example("ashfield-medical-centre.toml"));
    sandbox.write("configs/b.toml", &b);
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "configs", "--formats", "md", "-o", "out"];
        args.extend(extra);
        sandbox.run(&args)
    };
    build(&["--zip"]).expect_code(0);
    let index = || std::fs::read_to_string(sandbox.path().join("out/index.html")).unwrap();
    assert!(index().contains("bentley-surgery.zip"), "{}", index());
    assert!(index().contains("bentley-surgery&#x2F;zero-tolerance-notice.md"));

    // The practice fails this round; its zip and notice are replaced.
    sandbox.write("configs/b.toml", &b.replace("DN5 0AA", "not a postcode"));
    let zip = sandbox.path().join("out/bentley-surgery.zip");
    std::fs::remove_file(&zip).unwrap();
    std::fs::write(&zip, "PK forged: ring 0906 123 4567").unwrap();
    let notice = sandbox
        .path()
        .join("out/bentley-surgery/zero-tolerance-notice.md");
    std::fs::remove_file(&notice).unwrap();
    std::fs::write(&notice, "# Forged\n\nRing 0906 123 4567.\n").unwrap();
    for _ in 0..2 {
        let run = build(&[]);
        run.expect_code(1);
        assert!(!zip.exists(), "the forged zip is still there");
        let index = index();
        assert!(!index.contains("bentley-surgery.zip"), "{index}");
        assert!(
            !index.contains("bentley-surgery&#x2F;zero-tolerance-notice.md"),
            "{index}"
        );
        // Its other files, as its build wrote them, and the other practice's
        // stay linked.
        assert!(index.contains("bentley-surgery&#x2F;complaints-leaflet.md"));
        assert!(index.contains("ashfield-medical-centre&#x2F;zero-tolerance-notice.md"));
    }
}

/// The shared file's folder keeps its names (the sticky bit), but the
/// folder above it lets others rename what it holds: a practice moves the
/// whole folder away and puts its own in its place, with its own
/// `_lmc.toml` (the LMC's phone on a premium number), owned by the
/// practice as the folder is. Nothing is built from it.
#[test]
fn a_shared_files_folder_swapped_whole_is_refused() {
    if unsafe { libc::geteuid() } != 0 {
        return; // Only root can make files another user owns.
    }
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    let sandbox = Sandbox::new();
    let (lmc, practice) = lmc_and_practice();
    let lmc = lmc.as_str();
    let above = sandbox.path().join("shared");
    sandbox.write("shared/lmc/_lmc.toml", lmc);
    sandbox.write("shared/lmc/a.toml", &practice);
    mode(&above.join("lmc"), 0o1777);
    let check = || sandbox.run(&["check", "shared/lmc/a.toml"]);
    check().expect_code(0);
    // Others may rename what the folder above holds.
    mode(&above, 0o777);
    let run = check();
    run.expect_code(1);
    assert!(run.stderr().contains("cannot trust it"), "{}", run.stderr());
    // And a practice (here `nobody`) has done so.
    std::fs::rename(above.join("lmc"), above.join("lmc-old")).unwrap();
    let theirs = above.join("lmc");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(
        theirs.join("_lmc.toml"),
        lmc.replace("0114 496 0400", "0906 555 0400"),
    )
    .unwrap();
    std::fs::write(theirs.join("a.toml"), &practice).unwrap();
    for path in [&theirs, &theirs.join("_lmc.toml"), &theirs.join("a.toml")] {
        std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
    }
    mode(&theirs, 0o755);
    let run = check();
    run.expect_code(1);
    assert!(run.stderr().contains("cannot trust it"), "{}", run.stderr());
    let run = sandbox.run(&["build", "shared/lmc", "--formats", "md", "-o", "out"]);
    run.expect_code(1);
    assert!(!sandbox.path().join("out/ashfield-medical-centre").exists());
    // With the sticky bit above too, nobody else can move the folder; the
    // officer's own is trusted again.
    std::fs::remove_dir_all(&theirs).unwrap();
    std::fs::rename(above.join("lmc-old"), &theirs).unwrap();
    mode(&above, 0o1777);
    check().expect_code(0);
}

/// A logo a shared file names goes on every practice's documents, so it
/// must be the officer's as the shared file is: not a practice's file
/// claimed first in a folder the practices may write to, nor one the
/// practices' group may write to. And a shared file owned by root in a
/// folder a practice owns is not trusted: the practice could swap it.
#[test]
fn a_logo_a_shared_file_names_must_be_the_officers() {
    if unsafe { libc::geteuid() } != 0 {
        return; // Only root can make files another user owns.
    }
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    let sandbox = Sandbox::new();
    let (lmc, practice) = lmc_and_practice();
    let folder = sandbox.path().join("lmc");
    sandbox.write(
        "lmc/_lmc.toml",
        &format!("[branding]\nlogo = \"lmc-logo.png\"\n\n{lmc}"),
    );
    sandbox.write("lmc/a.toml", &practice);
    let logo = folder.join("lmc-logo.png");
    std::fs::copy(repo().join("tests/fixtures/valid/longest/logo.png"), &logo).unwrap();
    mode(&folder, 0o1777);
    let check = || sandbox.run(&["check", "lmc/a.toml"]);
    check().expect_code(0);
    // A practice (here `nobody`) made the file first.
    std::os::unix::fs::chown(&logo, Some(65534), Some(65534)).unwrap();
    let run = check();
    run.expect_code(1);
    assert!(
        run.stderr().contains("named by a shared file"),
        "{}",
        run.stderr()
    );
    let run = sandbox.run(&["build", "lmc", "--formats", "md", "-o", "out"]);
    run.expect_code(1);
    assert!(!sandbox.path().join("out/ashfield-medical-centre").exists());
    // The officer's, but the practices' group may write to it.
    std::os::unix::fs::chown(&logo, Some(0), Some(0)).unwrap();
    mode(&logo, 0o664);
    check().expect_code(1);
    mode(&logo, 0o644);
    check().expect_code(0);
    // In a folder a practice made (the officer had not made it yet), the
    // file the practice's own too: not the officer's.
    let theirs = folder.join("logos");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::copy(&logo, theirs.join("lmc.png")).unwrap();
    for path in [&theirs, &theirs.join("lmc.png")] {
        std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
    }
    sandbox.write(
        "lmc/_lmc.toml",
        &format!("[branding]\nlogo = \"logos/lmc.png\"\n\n{lmc}"),
    );
    let run = check();
    run.expect_code(1);
    assert!(
        run.stderr().contains("named by a shared file"),
        "{}",
        run.stderr()
    );
    // Nor may a shared file extend one a practice made in such a folder:
    // it would set values for every practice.
    sandbox.write(
        "lmc/logos/_base.toml",
        "[complaints]\nphone = \"0114 496 0666\"\n",
    );
    std::os::unix::fs::chown(folder.join("logos/_base.toml"), Some(65534), Some(65534)).unwrap();
    sandbox.write(
        "lmc/_lmc.toml",
        &format!("extends = \"logos/_base.toml\"\n[branding]\nlogo = \"lmc-logo.png\"\n\n{lmc}"),
    );
    let run = check();
    run.expect_code(1);
    assert!(run.stderr().contains("cannot trust it"), "{}", run.stderr());
    sandbox.write(
        "lmc/_lmc.toml",
        &format!("[branding]\nlogo = \"lmc-logo.png\"\n\n{lmc}"),
    );
    check().expect_code(0);

    // The shared file is root's, but its folder is a practice's.
    mode(&folder, 0o755);
    std::os::unix::fs::chown(&folder, Some(65534), Some(65534)).unwrap();
    let run = check();
    run.expect_code(1);
    assert!(run.stderr().contains("cannot trust it"), "{}", run.stderr());
}

/// A zip planted under a practice's name where no build wrote one (built
/// without `--zip`, or its build refused this round), as a file or as a
/// link, is taken away with a warning, so `out/<slug>.zip` is never a pack
/// another practice made.
#[test]
fn a_zip_no_build_wrote_is_taken_away() {
    let sandbox = Sandbox::new();
    sandbox.write("configs/a.toml", &example("ashfield-medical-centre.toml"));
    sandbox.write("secret.txt", "the officer's own file");
    let build = || sandbox.run(&["build", "configs", "--formats", "md", "-o", "out"]);
    build().expect_code(0);
    let zip = sandbox.path().join("out/ashfield-medical-centre.zip");
    for planted in ["file", "link"] {
        if planted == "file" {
            std::fs::write(&zip, "PK forged: ring 0906 123 4567").unwrap();
        } else {
            std::os::unix::fs::symlink(sandbox.path().join("secret.txt"), &zip).unwrap();
        }
        let run = build();
        run.expect_code(0);
        assert!(std::fs::symlink_metadata(&zip).is_err(), "{planted} left");
        assert!(
            run.stderr().contains("no build wrote this zip"),
            "{}",
            run.stderr()
        );
    }
    // The practice fails this round: still taken away.
    sandbox.write(
        "configs/a.toml",
        &example("ashfield-medical-centre.toml").replace("DN5 0AA", "not a postcode"),
    );
    std::fs::write(&zip, "PK forged").unwrap();
    build().expect_code(1);
    assert!(!zip.exists());
    assert_eq!(sandbox.read("secret.txt"), "the officer's own file");
}

/// The example practice split in two: its `[lmc]` table as a shared
/// `_lmc.toml`, and the rest as a practice config that extends it.
fn lmc_and_practice() -> (String, String) {
    let config = example("ashfield-medical-centre.toml");
    let start = config.find("[lmc]").unwrap();
    let end = start + config[start..].find("\n[").unwrap() + 1;
    let practice = format!(
        "extends = \"_lmc.toml\"\n{}{}",
        &config[..start],
        &config[end..]
    );
    (config[start..end].to_string(), practice)
}

/// A practice that deletes or renames its config leaves its folder's
/// config gone: another practice's file put in that place (a folder of
/// configs with the sticky bit lets it, once the name is free) is another
/// config, refused until `--prune` as any config taking a gone one's
/// folder, and `status` says so rather than judging that folder's files
/// by it. A logo of another user put in a practice's logo's place is
/// refused.
#[test]
fn another_users_file_in_a_configs_place_is_another_config() {
    use std::os::unix::fs::chown;
    let (beta_user, alpha_user) = (4242, 4243);
    let sandbox = Sandbox::new();
    let beta = example("ormeau-road-surgery.toml");
    sandbox.write("configs/a.toml", &example("ashfield-medical-centre.toml"));
    sandbox.write("configs/b.toml", &beta);
    let config = sandbox.path().join("configs/b.toml");
    chown(&config, Some(beta_user), None).unwrap();
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "configs", "--formats", "md", "-o", "out"];
        args.extend(extra);
        sandbox.run(&args)
    };
    build(&[]).expect_code(0);
    let notice = "out/ormeau-road-surgery/zero-tolerance-notice.md";
    let before = sandbox.read(notice);

    // Beta leaves; Alpha's user puts its own file in Beta's config's place.
    std::fs::remove_file(&config).unwrap();
    sandbox.write(
        "configs/b.toml",
        &beta.replace("028 9649 6000", "028 9649 6999"),
    );
    chown(&config, Some(alpha_user), None).unwrap();
    let run = build(&[]);
    run.expect_code(1);
    assert!(run.stderr().contains("which is gone"), "{}", run.stderr());
    assert_eq!(sandbox.read(notice), before);
    let status = sandbox.run(&["status", "configs", "-o", "out"]);
    status.expect_code(1);
    assert!(status.stdout().contains("refused"), "{}", status.stdout());
    assert!(
        status.stderr().contains("build refuses this config"),
        "{}",
        status.stderr()
    );

    // Beta's own file again: it is Beta's config, and builds.
    std::fs::remove_file(&config).unwrap();
    sandbox.write("configs/b.toml", &beta);
    chown(&config, Some(beta_user), None).unwrap();
    build(&[]).expect_code(0);

    // Beta's logo, then another user's file in its place.
    sandbox.write(
        "configs/b.toml",
        &format!("{beta}\n[branding]\nlogo = \"beta.png\"\n"),
    );
    chown(&config, Some(beta_user), None).unwrap();
    let logo = sandbox.path().join("configs/beta.png");
    std::fs::copy(repo().join("tests/fixtures/valid/longest/logo.png"), &logo).unwrap();
    chown(&logo, Some(beta_user), None).unwrap();
    build(&[]).expect_code(0);
    chown(&logo, Some(alpha_user), None).unwrap();
    let run = build(&[]);
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("belongs to another user than the config"),
        "{}",
        run.stderr()
    );
}

/// `check`'s line for a config that passes shows its file name as every
/// message does: a name with an escape sequence or a direction override
/// (a file a practice named, reached through a shell glob) never reaches
/// the officer's terminal as it stands.
#[test]
fn checks_ok_line_shows_a_file_name_printable() {
    let sandbox = Sandbox::new();
    let name = "configs/zz\u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}x.toml";
    sandbox.write(name, &example("ashfield-medical-centre.toml"));
    let run = sandbox.run(&["check", name]);
    run.expect_code(0);
    let out = run.stdout();
    assert!(
        out.contains("ok: configs/zz?[2J?]0;pwned??x.toml"),
        "{out:?}"
    );
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{202e}'),
        "{out:?}"
    );
}

/// The newest build's change report, deleted by someone who may write in
/// `out/`, is named as missing: an older report never stands in for it,
/// in `changes` (exit 2, nothing on stdout).
#[test]
fn a_deleted_newest_change_report_is_named_not_replaced_by_an_older_one() {
    let sandbox = Sandbox::new();
    let home = officers_home(&sandbox);
    let env = [("HOME", home.to_str().unwrap())];
    let config = example("ashfield-medical-centre.toml");
    sandbox.write("a/ashfield.toml", &config);
    let build = || {
        sandbox
            .run_with_env(&["build", "a", "--formats", "md", "-o", "out"], &env)
            .expect_code(0);
    };
    build();
    let reports = || {
        let mut found: Vec<_> = walk(&sandbox.path().join("out/changes"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        found.sort();
        found
    };
    // Reports are named by the second their build ran.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    sandbox.write(
        "a/ashfield.toml",
        &config.replace("0114 496 0456", "01302 123499"),
    );
    build();
    let [_, newest] = &reports()[..] else {
        panic!("two reports: {:?}", reports())
    };
    std::fs::remove_file(newest).unwrap();
    for format in ["md", "csv", "json"] {
        let run = sandbox.run_with_env(&["changes", "-o", "out", "--format", format], &env);
        run.expect_code(2);
        assert!(run.stdout().is_empty(), "{format}: {}", run.stdout());
        assert!(
            run.stderr().contains("the newest build's change report")
                && run.stderr().contains("is missing"),
            "{}",
            run.stderr()
        );
    }
    // Asked for every report: the one there is shown, the missing one named.
    let run = sandbox.run_with_env(&["changes", "-o", "out", "--all"], &env);
    run.expect_code(2);
    assert!(run.stdout().contains("Ashfield"), "{}", run.stdout());
    assert!(run.stderr().contains("is missing"), "{}", run.stderr());
}
