//! Hostile files, shared folders and interruptions: every attack gets a
//! clear message and the right exit code within seconds, and nothing
//! outside the output folder is touched.

use std::io::Read as _;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Sandbox, example, repo};

fn spawn(sandbox: &Sandbox, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("policypack"))
        .args(args)
        .current_dir(sandbox.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for a child at most `limit`; kills it and fails if it hangs.
fn finish(mut child: Child, limit: Duration) -> (i32, String, String) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            let mut err = String::new();
            child
                .stdout
                .take()
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            let code = status.code().unwrap_or(-1);
            return (code, out, err);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("policypack did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Takes the output folder's lock, as another build would.
fn hold_lock(dir: &std::path::Path) -> std::fs::File {
    let held = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("out/.policypack.lock"))
        .unwrap();
    held.lock().unwrap();
    held
}

fn manifest_entry(config: &str, files: &[&str]) -> serde_json::Value {
    serde_json::json!({
        "config": config,
        "name": "X",
        "issued": "2026-11-01",
        "review_due": "2027-11-01",
        "fingerprint": "0",
        "documents": {},
        "values": {},
        "files": files.iter().map(|p| serde_json::json!({
            "path": p, "sha256": "0", "bytes": 1, "fingerprint": "0"
        })).collect::<Vec<_>>(),
    })
}

#[test]
fn prune_never_deletes_outside_the_output_folder() {
    let sandbox = Sandbox::new();
    sandbox.write("victim/keep.txt", "mine");
    sandbox.write("victim/staff-handbook.md", "mine too");
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    std::fs::create_dir_all(sandbox.path().join("out")).unwrap();
    std::os::unix::fs::symlink(
        sandbox.path().join("victim"),
        sandbox.path().join("out/linked"),
    )
    .unwrap();
    let manifest = serde_json::json!({
        "tool_version": "0.1.0",
        "practices": {
            "../victim": manifest_entry("gone.toml", &["../victim/keep.txt"]),
            "evil": manifest_entry("gone.toml", &["evil/../../victim/keep.txt", "../victim/keep.txt", "/etc/hostname"]),
            "linked": manifest_entry("gone.toml", &["linked/staff-handbook.md"]),
        }
    });
    sandbox.write("out/manifest.json", &manifest.to_string());
    let run = sandbox.run(&["build", "a.toml", "--prune", "--formats", "md"]);
    run.expect_code(0);
    assert_eq!(sandbox.read("victim/keep.txt"), "mine");
    assert_eq!(sandbox.read("victim/staff-handbook.md"), "mine too");
    let stderr = run.stderr();
    assert!(
        stderr.contains("manifest.json: warning: manifest.json lists a practice \"../victim\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("\"evil/../../victim/keep.txt\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("out/linked is a link to somewhere else"),
        "{stderr}"
    );
    // The distrusted entries are not written back.
    let written = sandbox.read("out/manifest.json");
    assert!(!written.contains("victim"), "{written}");

    // A practice folder that is a link is never written through.
    std::fs::remove_file(sandbox.path().join("out/linked")).unwrap();
    std::fs::remove_dir_all(sandbox.path().join("out/ashfield-medical-centre")).unwrap();
    std::os::unix::fs::symlink(
        sandbox.path().join("victim"),
        sandbox.path().join("out/ashfield-medical-centre"),
    )
    .unwrap();
    let run = sandbox.run(&["build", "a.toml", "--formats", "md", "--force"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("is a link to somewhere else"),
        "{}",
        run.stderr()
    );
    assert!(!sandbox.path().join("victim/complaints-leaflet.md").exists());
}

#[test]
fn a_second_build_into_the_same_folder_waits_or_stops() {
    let sandbox = Sandbox::new();
    sandbox.write("a/a.toml", &example("ashfield-medical-centre.toml"));
    std::fs::create_dir_all(sandbox.path().join("out")).unwrap();
    // Another build holds the lock.
    let held = hold_lock(sandbox.path());
    let run = sandbox.run(&["build", "a", "--no-wait", "--formats", "md"]);
    run.expect_code(2);
    assert!(
        run.stderr()
            .contains("another policypack build is writing to out"),
        "{}",
        run.stderr()
    );

    let child = spawn(&sandbox, &["build", "a", "--formats", "md"]);
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        !sandbox.path().join("out/ashfield-medical-centre").exists(),
        "built while locked"
    );
    held.unlock().unwrap();
    let (code, _, stderr) = finish(child, Duration::from_secs(60));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("waiting for another policypack build in out"),
        "{stderr}"
    );
    assert!(
        sandbox
            .path()
            .join("out/ashfield-medical-centre/staff-handbook.md")
            .is_file()
    );
}

#[test]
fn two_builds_at_once_keep_both_sets_of_practices() {
    let sandbox = Sandbox::new();
    sandbox.write("one/a.toml", &example("ashfield-medical-centre.toml"));
    sandbox.write("two/b.toml", &example("leith-walk-medical-practice.toml"));
    sandbox.write("two/c.toml", &example("ormeau-road-surgery.toml"));
    let first = spawn(&sandbox, &["build", "one", "--formats", "md,pdf"]);
    let second = spawn(&sandbox, &["build", "two", "--formats", "md,pdf"]);
    assert_eq!(finish(first, Duration::from_secs(120)).0, 0);
    assert_eq!(finish(second, Duration::from_secs(120)).0, 0);
    let manifest: serde_json::Value =
        serde_json::from_str(&sandbox.read("out/manifest.json")).unwrap();
    for slug in [
        "ashfield-medical-centre",
        "leith-walk-medical-practice",
        "ormeau-road-surgery",
    ] {
        assert!(
            manifest["practices"][slug].is_object(),
            "{slug} lost from the manifest"
        );
        assert!(
            sandbox.read("out/index.html").contains(slug),
            "{slug} lost from the index"
        );
    }
}

#[test]
fn inputs_that_never_end_are_refused_quickly() {
    let sandbox = Sandbox::new();
    let config = example("ashfield-medical-centre.toml");
    sandbox.write("zero.toml", &format!("extends = \"/dev/zero\"\n{config}"));
    let status = Command::new("mkfifo")
        .arg(sandbox.path().join("pipe.toml"))
        .status()
        .unwrap();
    assert!(status.success());
    sandbox.write("fifo.toml", &format!("extends = \"pipe.toml\"\n{config}"));
    sandbox.write(
        "big.toml",
        &format!("{config}\n#{}\n", "x".repeat(1_100_000)),
    );
    for (file, says) in [
        ("zero.toml", "\"/dev/zero\" is not a config file"),
        (
            "fifo.toml",
            "pipe.toml is not a regular file (a named pipe)",
        ),
        ("big.toml", "big.toml is larger than 1024 KB"),
    ] {
        let (code, _, stderr) = finish(spawn(&sandbox, &["check", file]), Duration::from_secs(10));
        assert_eq!(code, 1, "{file}: {stderr}");
        assert!(stderr.contains(says), "{file}: {stderr}");
    }
    // A FIFO named directly on the command line, too.
    let (code, _, stderr) = finish(
        spawn(&sandbox, &["check", "pipe.toml"]),
        Duration::from_secs(10),
    );
    assert_eq!(code, 1, "{stderr}");

    // Templates folders that are endless: a link loop, and /sys.
    sandbox.write("a.toml", &config);
    std::fs::create_dir_all(sandbox.path().join("loop/inner")).unwrap();
    std::os::unix::fs::symlink(
        sandbox.path().join("loop"),
        sandbox.path().join("loop/inner/back"),
    )
    .unwrap();
    for folder in ["loop", "/sys/class"] {
        let child = spawn(
            &sandbox,
            &[
                "build",
                "a.toml",
                "--templates",
                folder,
                "--formats",
                "md",
                "-o",
                "out-t",
            ],
        );
        // A link in a templates folder is refused at once, naming it: a
        // template is never read through a link (nor loops round one).
        let (code, _, stderr) = finish(child, Duration::from_secs(20));
        assert_eq!(code, 2, "{folder}: {stderr}");
        assert!(stderr.contains("is a link"), "{folder}: {stderr}");
    }
    std::fs::remove_file(sandbox.path().join("loop/inner/back")).unwrap();
    // A template that is a link to a device is refused, naming it.
    std::os::unix::fs::symlink(
        "/dev/zero",
        sandbox.path().join("loop/complaints-leaflet.md"),
    )
    .unwrap();
    let child = spawn(
        &sandbox,
        &["build", "a.toml", "--templates", "loop", "-o", "out-t"],
    );
    let (code, _, stderr) = finish(child, Duration::from_secs(20));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("complaints-leaflet.md is a link"),
        "{stderr}"
    );
}

#[test]
fn sigterm_and_sigint_stop_a_waiting_build_with_their_exit_codes() {
    let sandbox = Sandbox::new();
    sandbox.write("a/a.toml", &example("ashfield-medical-centre.toml"));
    std::fs::create_dir_all(sandbox.path().join("out")).unwrap();
    let _held = hold_lock(sandbox.path());
    for (signal, code) in [(libc::SIGTERM, 143), (libc::SIGINT, 130)] {
        let child = spawn(&sandbox, &["build", "a"]);
        std::thread::sleep(Duration::from_millis(500));
        unsafe { libc::kill(child.id() as i32, signal) };
        let (got, _, stderr) = finish(child, Duration::from_secs(10));
        assert_eq!(got, code, "{stderr}");
    }
    assert!(!sandbox.path().join("out/ashfield-medical-centre").exists());
}

/// The English example with `branding.logo` set.
fn with_logo(file: &str) -> String {
    example("ashfield-medical-centre.toml")
        .replace("[branding]\n", &format!("[branding]\nlogo = \"{file}\"\n"))
}

/// A PNG header claiming `width` × `height` pixels (nothing decodes it).
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend(width.to_be_bytes());
    bytes.extend(height.to_be_bytes());
    bytes.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    bytes.extend(vec![0; 64]);
    bytes
}

#[test]
fn logos_too_large_to_print_are_refused_by_check() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &with_logo("logo.png"));
    std::fs::write(sandbox.path().join("logo.png"), png_header(20_000, 20_000)).unwrap();
    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(1);
    assert!(run.stderr().contains("branding.logo: "), "{}", run.stderr());
    assert!(
        run.stderr().contains("20000 × 20000 pixels"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("hint: resize it"), "{}", run.stderr());

    // A 3.3 MB photo passed `check` and failed `build`, blaming page.html
    // (its base64 made the page over 4 MB): now `check` refuses it.
    for megabytes in [6.0, 3.3] {
        let mut big = png_header(800, 400);
        big.resize((megabytes * 1024.0 * 1024.0) as usize, 0);
        std::fs::write(sandbox.path().join("logo.png"), big).unwrap();
        let run = sandbox.run(&["check", "a.toml"]);
        run.expect_code(1);
        assert!(
            run.stderr().contains("larger than 2048 KB"),
            "{megabytes} MB: {}",
            run.stderr()
        );
    }
}

/// A logo `check` passes is one every format can use: a PNG whose picture
/// data is damaged failed only the PDF, as "a fault in policypack".
#[test]
fn a_damaged_or_empty_logo_is_refused_by_check_with_the_right_hint() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &with_logo("logo.png"));
    let good = std::fs::read(repo().join("tests/fixtures/valid/longest/logo.png")).unwrap();
    // Flip bytes inside the first picture-data chunk, and mend its checksum
    // so that only the compressed data is wrong.
    let at = good.windows(4).position(|w| w == b"IDAT").unwrap();
    let length = u32::from_be_bytes(good[at - 4..at].try_into().unwrap()) as usize;
    let mut damaged = good.clone();
    for byte in &mut damaged[at + 14..at + 4 + length.min(60)] {
        *byte ^= 0x5a;
    }
    let crc = crc32(&damaged[at..at + 4 + length]);
    damaged[at + 4 + length..at + 8 + length].copy_from_slice(&crc.to_be_bytes());
    std::fs::write(sandbox.path().join("logo.png"), &damaged).unwrap();
    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("branding.logo") && run.stderr().contains("damaged PNG"),
        "{}",
        run.stderr()
    );
    let run = sandbox.run(&["build", "a.toml", "--formats", "pdf"]);
    run.expect_code(1);
    assert!(
        !run.stderr().contains("fault in policypack"),
        "{}",
        run.stderr()
    );

    // A palette image with no palette: its rows decode, its colours do not.
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
        chunk.extend(kind);
        chunk.extend(data);
        chunk.extend(crc32(&chunk[4..]).to_be_bytes());
        chunk
    };
    let mut paletteless = b"\x89PNG\r\n\x1a\n".to_vec();
    paletteless.extend(chunk(b"IHDR", &[0, 0, 0, 8, 0, 0, 0, 8, 8, 3, 0, 0, 0]));
    let mut rows = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut rows, &[0u8; 8 * 9]).unwrap();
    paletteless.extend(chunk(b"IDAT", &rows.finish().unwrap()));
    paletteless.extend(chunk(b"IEND", &[]));
    std::fs::write(sandbox.path().join("logo.png"), &paletteless).unwrap();
    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(1);
    assert!(run.stderr().contains("damaged PNG"), "{}", run.stderr());

    std::fs::write(sandbox.path().join("logo.png"), png_header(0, 0)).unwrap();
    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(1);
    assert!(run.stderr().contains("nothing in it"), "{}", run.stderr());
    assert!(!run.stderr().contains("too large"), "{}", run.stderr());

    // A hard link is refused with a hint about links, not about size.
    std::fs::write(sandbox.path().join("logo.png"), &good).unwrap();
    std::fs::hard_link(
        sandbox.path().join("logo.png"),
        sandbox.path().join("other.png"),
    )
    .unwrap();
    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(1);
    assert!(run.stderr().contains("hard links"), "{}", run.stderr());
    assert!(!run.stderr().contains("resize"), "{}", run.stderr());
}

/// CRC-32 as PNG chunks use it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn characters_the_fonts_cannot_draw_are_found_by_check() {
    let sandbox = Sandbox::new();
    let config = example("ashfield-medical-centre.toml")
        .replace(
            "name = \"Ashfield Medical Centre\"",
            "name = \"Smile 😀 Surgery\"",
        )
        .replace("lead_name = \"Jane Smith\"", "lead_name = \"يوسف\"");
    sandbox.write("a.toml", &config);
    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(1);
    let stderr = run.stderr();
    assert!(
        stderr.contains("a.toml:8:8: error: practice.name: contains '😀'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: complaints.lead_name: contains 'ي'"),
        "{stderr}"
    );
    let build = sandbox.run(&["build", "a.toml"]);
    build.expect_code(1);
    assert!(
        !build.stderr().contains("Validation("),
        "{}",
        build.stderr()
    );
    assert!(!sandbox.path().join("out/smile-surgery").exists());
}

#[test]
fn unsafe_links_and_unknown_variables_in_templates_name_the_template_line() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    let notice =
        std::fs::read_to_string(repo().join("policy-templates/zero-tolerance-notice.md")).unwrap();
    for (bad, shows) in [
        ("[our leaflet](javascript:alert(1))", "javascript:alert(1)"),
        ("![logo](javascript:alert(1))", "javascript:alert(1)"),
        ("[file](file:///etc/passwd)", "file:///etc/passwd"),
        ("{{ practice.nmae }}", "practice.nmae"),
    ] {
        let changed = notice.replace(
            "To give feedback or complain, ask for our complaints lead.",
            &format!("To give feedback or complain, or see {bad}."),
        );
        sandbox.write("t/zero-tolerance-notice.md", &changed);
        let line = changed.lines().position(|l| l.contains(bad)).unwrap() + 1;
        let run = sandbox.run(&["build", "a.toml", "--templates", "t", "--formats", "html"]);
        run.expect_code(1);
        let stderr = run.stderr();
        assert!(
            stderr.contains(&format!("t/zero-tolerance-notice.md:{line}:")),
            "{bad}: {stderr}"
        );
        assert!(stderr.contains(shows), "{bad}: {stderr}");
        let html = sandbox
            .path()
            .join("out/ashfield-medical-centre/zero-tolerance-notice.html");
        assert!(
            !html.exists()
                || !std::fs::read_to_string(&html)
                    .unwrap()
                    .contains("javascript:")
        );
    }
}

#[test]
fn the_lock_file_is_the_only_thing_left_behind() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    sandbox
        .run(&["build", "a.toml", "--formats", "md"])
        .expect_code(0);
    let names: Vec<String> = std::fs::read_dir(sandbox.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&".policypack.lock".to_string()), "{names:?}");
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn a_full_disk_is_reported_practice_by_practice_and_records_only_what_was_written() {
    let sandbox = Sandbox::new();
    for name in [
        "ashfield-medical-centre.toml",
        "leith-walk-medical-practice.toml",
        "meddygfa-ty-gwyn.toml",
        "ormeau-road-surgery.toml",
    ] {
        sandbox.write(&format!("cfg/{name}"), &example(name));
    }
    std::fs::create_dir_all(sandbox.path().join("out")).unwrap();
    std::fs::create_dir_all(sandbox.path().join("seen")).unwrap();
    // A 900 KB disk, in a mount namespace of its own (root, as in CI).
    let script = "mount -t tmpfs -o size=900k tmpfs out || exit 99
         \"$POLICYPACK\" build cfg -o out --jobs 1 >seen/stdout 2>seen/stderr; echo $? >seen/code
         cp -r out seen/out; find out -type d -empty >seen/empty";
    let status = sandbox
        .shell(&format!("exec unshare -rm sh -c '{script}'"))
        .status()
        .expect("unshare runs");
    assert_ne!(status.code(), Some(99), "cannot mount a small tmpfs here");
    assert_eq!(sandbox.read("seen/code").trim(), "2");
    let stderr = sandbox.read("seen/stderr");
    let stdout = sandbox.read("seen/stdout");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(stderr.contains("hint: the disk is full"), "{stderr}");
    assert!(stderr.contains("failed:\n"), "{stderr}");
    assert!(stdout.contains("4 practices: "), "{stdout}");
    assert!(
        sandbox.read("seen/empty").trim().is_empty(),
        "empty folders left"
    );
    // The manifest records exactly the practices whose files are all there.
    let manifest: serde_json::Value =
        serde_json::from_str(&sandbox.read("seen/out/manifest.json")).unwrap();
    let practices = manifest["practices"].as_object().unwrap();
    assert!(
        !practices.is_empty() && practices.len() < 4,
        "{practices:?}"
    );
    for (slug, entry) in practices {
        let files = entry["files"].as_array().unwrap();
        assert_eq!(files.len(), 9, "{slug}");
        for file in files {
            let path = sandbox
                .path()
                .join("seen/out")
                .join(file["path"].as_str().unwrap());
            assert_eq!(
                std::fs::metadata(&path).unwrap().len(),
                file["bytes"].as_u64().unwrap(),
                "{}",
                path.display()
            );
        }
    }
    for failed in [
        "leith-walk-medical-practice",
        "meddygfa-ty-gwyn",
        "ormeau-road-surgery",
    ] {
        if !practices.contains_key(failed) {
            assert!(
                !sandbox.path().join("seen/out").join(failed).exists(),
                "{failed} half written"
            );
        }
    }
}

/// An epraccur row for an active GP practice.
fn ods_row(code: &str, name: &str, commissioner: &str) -> String {
    format!(
        "\"{code}\",\"{name}\",\"Y63\",\"Q74\",\"THE HEALTH CENTRE\",\"LAWSON STREET\",\"STOCKTON-ON-TEES\",\"CLEVELAND\",\"\",\"TS18 1HU\",\"19740401\",\"\",\"A\",\"B\",\"{commissioner}\",\"20130401\",\"\",\"01642 672351\",\"\",\"\",\"\",\"0\",\"\",\"{commissioner}\",\"\",\"4\",\"\"\r\n"
    )
}

/// Bad rows are counted, and only the first thousand kept and shown: a
/// file of two million bad rows held every one (383 MB).
#[test]
fn thousands_of_bad_ods_rows_are_counted_not_all_kept() {
    let sandbox = Sandbox::new();
    let mut csv = ods_row("A00001", "GOOD SURGERY", "00K");
    for _ in 0..1_500 {
        csv.push_str("\"too\",\"few\",\"columns\"\r\n");
    }
    sandbox.write("bad.csv", &csv);
    let run = sandbox.run(&["import", "epraccur", "bad.csv", "--into", "c"]);
    run.expect_code(1);
    let shown = run.stderr().matches("row skipped").count();
    assert_eq!(
        shown,
        1_000,
        "{}",
        run.stderr().lines().last().unwrap_or("")
    );
    assert!(
        run.stderr().contains("… and 500 more bad rows"),
        "{}",
        run.stderr().lines().last().unwrap_or("")
    );
    assert!(run.stdout().contains("bad rows 1500"), "{}", run.stdout());
    assert!(sandbox.path().join("c/good-surgery.toml").is_file());
}

#[test]
fn import_refuses_rows_check_would_refuse_and_streams_big_files() {
    let sandbox = Sandbox::new();
    let huge = "A".repeat(10 * 1024 * 1024);
    let csv = [
        ods_row("A00001", "GOOD SURGERY", "00K"),
        ods_row("A00002", &huge, "00K"),
        ods_row("A00003", "EVIL \u{202E}YREGRUS", "00K"),
        ods_row("A00004", "SMILE 😀 SURGERY", "00K"),
    ]
    .concat();
    sandbox.write("hostile.csv", &csv);
    let run = sandbox.run(&["import", "epraccur", "hostile.csv", "--into", "c"]);
    run.expect_code(1);
    let stderr = run.stderr();
    assert!(stderr.contains("hostile.csv:2: error: row skipped: practice A00002: column 2 is longer than 120 characters"), "{stderr}");
    assert!(stderr.contains("hostile.csv:3: error: row skipped: practice A00003: the name contains the control character U+202E"), "{stderr}");
    assert!(
        stderr
            .contains("hostile.csv:4: error: row skipped: practice A00004: the name contains '😀'"),
        "{stderr}"
    );
    let written: Vec<_> = std::fs::read_dir(sandbox.path().join("c"))
        .unwrap()
        .collect();
    assert_eq!(written.len(), 1, "only the good row is written");
    assert!(sandbox.path().join("c/good-surgery.toml").is_file());

    // Half a million rows import in bounded memory: under a 450 MB address
    // space limit (reading the file whole took about 600 MB for this).
    let path = sandbox.path().join("big.csv");
    {
        use std::io::Write as _;
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        for i in 0..500_000 {
            file.write_all(
                ods_row(&format!("Z{i:06}"), &format!("PRACTICE NUMBER {i}"), "00K").as_bytes(),
            )
            .unwrap();
        }
    }
    let child = sandbox
        .shell("ulimit -v 450000 && exec \"$POLICYPACK\" import epraccur big.csv --into none --commissioner XXX")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (code, stdout, stderr) = finish(child, Duration::from_secs(120));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("written 0"), "{stdout}");
}

#[test]
fn a_link_planted_in_place_of_an_output_is_replaced_never_followed() {
    let sandbox = Sandbox::new();
    sandbox.write("victim/secret.txt", "secret");
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    sandbox
        .run(&["build", "a.toml", "--formats", "md"])
        .expect_code(0);
    let planted = sandbox
        .path()
        .join("out/ashfield-medical-centre/staff-handbook.md");
    std::fs::remove_file(&planted).unwrap();
    std::os::unix::fs::symlink(sandbox.path().join("victim/secret.txt"), &planted).unwrap();
    sandbox
        .run(&["build", "a.toml", "--formats", "md", "--zip"])
        .expect_code(0);
    assert_eq!(sandbox.read("victim/secret.txt"), "secret");
    let meta = std::fs::symlink_metadata(&planted).unwrap();
    assert!(meta.is_file(), "the link was replaced by the document");
    let file = std::fs::File::open(sandbox.path().join("out/ashfield-medical-centre.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let name = zip
        .file_names()
        .find(|n| n.ends_with("staff-handbook.md"))
        .expect("the handbook is in the zip")
        .to_string();
    let mut member = String::new();
    zip.by_name(&name)
        .unwrap()
        .read_to_string(&mut member)
        .unwrap();
    assert!(
        member.starts_with("# Staff guidance"),
        "the zip read through the link: {member}"
    );
}

#[test]
fn a_lock_file_or_folder_that_is_a_link_is_never_followed() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    std::fs::create_dir_all(sandbox.path().join("out")).unwrap();
    std::os::unix::fs::symlink(
        sandbox.path().join("victim-created"),
        sandbox.path().join("out/.policypack.lock"),
    )
    .unwrap();
    let run = sandbox.run(&["build", "a.toml", "--formats", "md"]);
    run.expect_code(2);
    assert!(run.stderr().contains("if it is a link"), "{}", run.stderr());
    assert!(!sandbox.path().join("victim-created").exists());

    // The sweep of leftover temporary files does not follow a linked folder.
    std::fs::remove_file(sandbox.path().join("out/.policypack.lock")).unwrap();
    sandbox.write("elsewhere/.policypack-keep.tmp", "not ours");
    std::os::unix::fs::symlink(
        sandbox.path().join("elsewhere"),
        sandbox.path().join("out/linked"),
    )
    .unwrap();
    sandbox
        .run(&["build", "a.toml", "--formats", "md"])
        .expect_code(0);
    assert_eq!(sandbox.read("elsewhere/.policypack-keep.tmp"), "not ours");
}

#[test]
fn a_fifo_manifest_or_lock_never_hangs_a_build() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    std::fs::create_dir_all(sandbox.path().join("out")).unwrap();
    for (fifo, expected) in [("out/.policypack.lock", 2), ("out/manifest.json", 0)] {
        let status = Command::new("mkfifo")
            .arg(sandbox.path().join(fifo))
            .status()
            .unwrap();
        assert!(status.success());
        let child = spawn(&sandbox, &["build", "a.toml", "--formats", "md"]);
        let (code, _, stderr) = finish(child, Duration::from_secs(10));
        assert_eq!(code, expected, "{fifo}: {stderr}");
        let _ = std::fs::remove_file(sandbox.path().join(fifo));
    }
}

#[test]
fn templates_cannot_loop_for_ever_or_read_the_environment() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    for (template, shows) in [
        (
            "{% for i in range(end=20000000) %}ab{% endfor %}\n",
            "`range` is not available",
        ),
        (
            "{{ get_env(name=\"HOME\") }}\n",
            "`get_env` is not available",
        ),
    ] {
        sandbox.write("t/zero-tolerance-notice.md", template);
        let child = spawn(
            &sandbox,
            &[
                "build",
                "a.toml",
                "--templates",
                "t",
                "--docs",
                "notice",
                "--formats",
                "md",
            ],
        );
        let (code, _, stderr) = finish(child, Duration::from_secs(20));
        assert_eq!(code, 1, "{stderr}");
        assert!(stderr.contains("t/zero-tolerance-notice.md:1:"), "{stderr}");
        assert!(stderr.contains(shows), "{stderr}");
    }
}

#[test]
fn an_output_changed_since_it_was_recorded_is_made_again() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    sandbox
        .run(&["build", "a.toml", "--formats", "md"])
        .expect_code(0);
    let leaflet = "out/ashfield-medical-centre/complaints-leaflet.md";
    let original = sandbox.read(leaflet);
    // As a build that could not record what it wrote would leave it.
    std::thread::sleep(Duration::from_millis(20));
    sandbox.write(leaflet, &original.replace("Jane Smith", "Mallory Evil"));
    let run = sandbox.run(&["build", "a.toml", "--formats", "md"]);
    run.expect_code(0);
    assert!(
        run.stdout().contains("complaints-leaflet"),
        "{}",
        run.stdout()
    );
    assert_eq!(sandbox.read(leaflet), original);
    let status = sandbox.run(&["status", "a.toml"]);
    assert!(status.stdout().contains("current"), "{}", status.stdout());
}

#[test]
fn extends_names_a_config_file_in_a_short_chain() {
    let sandbox = Sandbox::new();
    let config = example("ashfield-medical-centre.toml");
    sandbox.write(
        "env.toml",
        &format!("extends = \"/proc/self/environ\"\n{config}"),
    );
    let run = sandbox.run(&["check", "env.toml"]);
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("\"/proc/self/environ\" is not a config file"),
        "{}",
        run.stderr()
    );
    assert!(!run.stderr().contains("PATH="), "{}", run.stderr());
    for i in 0..10 {
        sandbox.write(
            &format!("c{i}.toml"),
            &format!("extends = \"c{}.toml\"\n", i + 1),
        );
    }
    sandbox.write("c10.toml", &config);
    let run = sandbox.run(&["check", "c0.toml"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("more than 8 files long"),
        "{}",
        run.stderr()
    );
}

#[test]
fn an_endless_csv_line_and_a_png_without_its_header_are_refused() {
    let sandbox = Sandbox::new();
    std::fs::write(sandbox.path().join("zeros.csv"), vec![0u8; 20_000_000]).unwrap();
    let child = spawn(
        &sandbox,
        &["import", "epraccur", "zeros.csv", "--into", "c"],
    );
    let (code, _, stderr) = finish(child, Duration::from_secs(10));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("a line longer than 16 MB"), "{stderr}");

    sandbox.write("a.toml", &with_logo("logo.png"));
    let mut png = png_header(100, 100);
    png[12..16].copy_from_slice(b"aaaa");
    std::fs::write(sandbox.path().join("logo.png"), png).unwrap();
    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("is not a PNG or JPEG image"),
        "{}",
        run.stderr()
    );
}

/// A template that renders for ever (loops within loops over the letters
/// of the practice's name) still stops on SIGTERM, within the grace
/// period, with SIGTERM's exit code.
#[test]
fn sigterm_stops_a_build_stuck_in_a_template() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    let letters = "practice.name | split(pat=\"\")";
    let mut template = String::new();
    for level in 0..7 {
        template.push_str(&format!("{{% for l{level} in {letters} %}}"));
    }
    for _ in 0..7 {
        template.push_str("{% endfor %}");
    }
    sandbox.write("t/zero-tolerance-notice.md", &template);
    let child = spawn(
        &sandbox,
        &[
            "build",
            "a.toml",
            "--templates",
            "t",
            "--docs",
            "notice",
            "--formats",
            "md",
            "-o",
            "out",
        ],
    );
    std::thread::sleep(Duration::from_millis(1500));
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let started = std::time::Instant::now();
    let (code, _, stderr) = finish(child, Duration::from_secs(30));
    assert_eq!(code, 143, "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(20), "{stderr}");
}

/// Deleting the lock file while a build holds the lock does not let a
/// second build run beside it: the output folder is locked too.
#[test]
fn a_deleted_lock_file_does_not_let_a_second_build_in() {
    let sandbox = Sandbox::new();
    sandbox.write("a/a.toml", &example("ashfield-medical-centre.toml"));
    std::fs::create_dir_all(sandbox.path().join("out")).unwrap();
    // What a running build holds: the lock file and the folder.
    let _file = hold_lock(sandbox.path());
    let folder = std::fs::File::open(sandbox.path().join("out")).unwrap();
    folder.lock().unwrap();
    std::fs::remove_file(sandbox.path().join("out/.policypack.lock")).unwrap();
    let run = sandbox.run(&["build", "a", "--formats", "md", "--no-wait"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("another policypack build"),
        "{}",
        run.stderr()
    );
    assert!(!sandbox.path().join("out/ashfield-medical-centre").exists());
}

/// A 60 KB draft on one line with thousands of findings: a person is shown
/// a window of the line for each of the first fifty, and a count of the rest.
#[test]
fn a_long_draft_shows_windows_and_a_count() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    let words = [
        "sorry",
        "the",
        "rash",
        "Tuesday",
        "voucher",
        "nurse",
        "appointment",
    ];
    let draft: Vec<&str> = (0..9000)
        .map(|i| words[(i * 7 + i / 3) % words.len()])
        .collect();
    sandbox.write("draft.txt", &draft.join(" "));
    let run = sandbox.run(&["reply", "check", "draft.txt", "--config", "a.toml"]);
    run.expect_code(1);
    let stderr = run.stderr();
    assert!(
        stderr.contains("more findings; --message-format json lists every one"),
        "{}",
        &stderr[..2000.min(stderr.len())]
    );
    assert!(stderr.len() < 64 * 1024, "{} bytes", stderr.len());
    // The quoted line and its underline: a window, not the whole line.
    assert!(
        stderr
            .lines()
            .filter(|l| l.contains(" | "))
            .all(|l| l.chars().count() < 200)
    );
}

/// 20,000 unknown keys: each is found (JSON has every one), a person is
/// shown the first hundred and a count; where each is in the file is found
/// from an index of line starts, not by reading the file from the top for
/// each (which took 93 s).
#[test]
fn thousands_of_unknown_keys_are_counted_not_all_shown() {
    let sandbox = Sandbox::new();
    let keys: String = (0..20_000)
        .map(|i| format!("unknown_key_{i} = 1\n"))
        .collect();
    let config = example("ashfield-medical-centre.toml").replacen(
        "[practice]\n",
        &format!("[practice]\n{keys}"),
        1,
    );
    sandbox.write("a.toml", &config);
    let run = sandbox.run(&["check", "a.toml"]);
    run.expect_code(1);
    let stderr = run.stderr();
    assert!(
        stderr.contains("and 19900 more problems like these"),
        "{}",
        &stderr[stderr.len().saturating_sub(500)..]
    );
    let stdout = sandbox
        .run(&["check", "a.toml", "--message-format", "json"])
        .stdout();
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("unknown_key_"))
            .count(),
        20_000
    );
}

/// A macro that calls itself (directly, or through another in an imported
/// file) is refused when the templates load, naming it: Tera has no depth
/// limit, and the stack overflow would end the whole build.
#[test]
fn a_recursive_macro_is_refused_not_a_crash() {
    let sandbox = Sandbox::new();
    sandbox.write("a/a.toml", &example("ashfield-medical-centre.toml"));
    sandbox.write(
        "t/zero-tolerance-notice.md",
        "{% macro boom(n) %}{{ self::boom(n=n) }}{% endmacro boom %}{{ self::boom(n=1) }}\n",
    );
    sandbox.write(
        "u/macros.md",
        "{% import \"zero-tolerance-notice.md\" as notice %}{% macro ping() %}{{ notice::pong() }}{% endmacro ping %}",
    );
    sandbox.write(
        "u/zero-tolerance-notice.md",
        "{% import \"macros.md\" as m %}{% macro pong() %}{{ m::ping() }}{% endmacro pong %}{{ self::pong() }}\n",
    );
    for (folder, name) in [("t", "boom"), ("u", "p")] {
        let run = sandbox.run(&[
            "build",
            "a",
            "--templates",
            folder,
            "--formats",
            "md",
            "-o",
            "out",
        ]);
        run.expect_code(2);
        assert!(
            run.stderr().contains("calls itself") && run.stderr().contains(name),
            "{folder}: {}",
            run.stderr()
        );
    }
}

#[test]
fn a_practice_folder_swapped_for_a_link_mid_build_never_takes_a_write_outside() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    sandbox
        .run(&["build", "a.toml", "--formats", "md"])
        .expect_code(0);
    let elsewhere = sandbox.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let out = sandbox.path().join("out");
    let link = out.join("swap");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    // The practice's folder and a link to elsewhere change places, atomically,
    // as fast as one core can, while builds write and zip the practice.
    let swapper = crate::harness::Swapper::start(&out.join("ashfield-medical-centre"), &link);
    for _ in 0..12 {
        let child = spawn(
            &sandbox,
            &[
                "build",
                "a.toml",
                "--formats",
                "md,html",
                "--zip",
                "--force",
            ],
        );
        let (code, _, err) = finish(child, Duration::from_secs(60));
        // A build that met the link says so and fails; one that did not succeeds.
        assert!(code == 0 || code == 1 || code == 2, "exit {code}: {err}");
    }
    assert!(swapper.stop() > 1000, "the folder hardly moved");
    let written: Vec<_> = std::fs::read_dir(&elsewhere).unwrap().flatten().collect();
    assert!(
        written.is_empty(),
        "a build wrote outside the output folder: {:?}",
        written.iter().map(|e| e.file_name()).collect::<Vec<_>>()
    );
}

/// A practice's folder replaced by a copy with one file forged (same size,
/// same modification time) is not taken for the build's own: the file is
/// made again, and the zip holds what the build wrote.
#[test]
fn a_forged_copy_with_the_recorded_size_and_time_is_made_again() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    sandbox
        .run(&["build", "a.toml", "--formats", "md", "--zip"])
        .expect_code(0);
    let out = sandbox.path().join("out");
    let folder = out.join("ashfield-medical-centre");
    let notice = folder.join("zero-tolerance-notice.md");
    let real = std::fs::read_to_string(&notice).unwrap();
    assert!(real.contains("Ashfield"), "the example's name moved");
    let time = std::fs::metadata(&notice).unwrap().modified().unwrap();
    // The folder moved away, a copy put in its place, one number changed
    // for another of the same length, and the time put back.
    std::fs::rename(&folder, out.join(".hidden")).unwrap();
    std::fs::create_dir(&folder).unwrap();
    for entry in std::fs::read_dir(out.join(".hidden")).unwrap() {
        let entry = entry.unwrap();
        let copy = folder.join(entry.file_name());
        std::fs::copy(entry.path(), &copy).unwrap();
        let modified = std::fs::metadata(entry.path()).unwrap().modified().unwrap();
        std::fs::File::options()
            .write(true)
            .open(&copy)
            .unwrap()
            .set_modified(modified)
            .unwrap();
    }
    std::fs::write(&notice, real.replace("Ashfield", "Ashfie1d")).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&notice)
        .unwrap()
        .set_modified(time)
        .unwrap();
    std::fs::remove_file(out.join("ashfield-medical-centre.zip")).unwrap();
    sandbox
        .run(&["build", "a.toml", "--formats", "md", "--zip"])
        .expect_code(0);
    assert_eq!(std::fs::read_to_string(&notice).unwrap(), real);
    let file = std::fs::File::open(out.join("ashfield-medical-centre.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut member = String::new();
    zip.by_name("ashfield-medical-centre/zero-tolerance-notice.md")
        .unwrap()
        .read_to_string(&mut member)
        .unwrap();
    assert!(!member.contains("Ashfie1d"), "the zip holds the forgery");
}

/// A build with nothing to do leaves the index alone while the officer's
/// record says it is the file the last build wrote from the same inputs;
/// one changed since, even given back its size and time, is made again.
#[test]
fn an_index_changed_since_the_last_build_is_made_again() {
    use std::os::unix::fs::MetadataExt as _;
    let sandbox = Sandbox::new();
    sandbox.write("lmc/a.toml", &example("ashfield-medical-centre.toml"));
    // The officer's record is kept under the home folder.
    let home = sandbox.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let build = || {
        sandbox
            .run_with_env(
                &["build", "lmc", "--formats", "md", "-o", "out"],
                &[("HOME", home.to_str().unwrap())],
            )
            .expect_code(0);
    };
    build();
    let index = sandbox.path().join("out/index.html");
    let real = std::fs::read_to_string(&index).unwrap();
    let changed = |path: &std::path::Path| {
        let meta = std::fs::metadata(path).unwrap();
        (meta.ctime(), meta.ctime_nsec(), meta.ino())
    };
    let before = changed(&index);
    build();
    assert_eq!(
        changed(&index),
        before,
        "nothing to do: the index is not written"
    );

    let time = std::fs::metadata(&index).unwrap().modified().unwrap();
    assert!(real.contains("Ashfield Medical Centre"));
    std::fs::write(
        &index,
        real.replace("Ashfield Medical Centre", "Ashfield Medical Cantre"),
    )
    .unwrap();
    std::fs::File::options()
        .write(true)
        .open(&index)
        .unwrap()
        .set_modified(time)
        .unwrap();
    build();
    assert_eq!(std::fs::read_to_string(&index).unwrap(), real);
}

/// No file is written under a temporary name in `out/` or a practice's
/// folder, where anyone who may write there (a practice, on a shared drive
/// without the sticky bit) could swap it for their own before it is
/// renamed into place: each is written in the build's own staging folder
/// (mode 0700, which only the officer can put files in) and renamed from
/// there. Watched with inotify while a build rewrites every file.
#[test]
fn no_file_is_written_under_a_temporary_name_where_others_may_write() {
    use std::os::unix::ffi::OsStrExt as _;
    let sandbox = Sandbox::new();
    let config = example("ashfield-medical-centre.toml");
    sandbox.write("a.toml", &config);
    let build = || {
        sandbox
            .run(&["build", "a.toml", "--formats", "md,html", "--zip"])
            .expect_code(0);
    };
    build();
    sandbox.write("a.toml", &config.replace("0114 496 0456", "01302 123499"));
    let fd = unsafe { libc::inotify_init1(libc::IN_NONBLOCK) };
    assert!(fd >= 0);
    let mut watched = std::collections::HashMap::new();
    for folder in ["out", "out/ashfield-medical-centre", "out/changes"] {
        let path =
            std::ffi::CString::new(sandbox.path().join(folder).as_os_str().as_bytes()).unwrap();
        let wd = unsafe {
            libc::inotify_add_watch(fd, path.as_ptr(), libc::IN_CREATE | libc::IN_MOVED_TO)
        };
        assert!(wd >= 0, "{folder}");
        watched.insert(wd, folder);
    }
    build();
    let mut created = Vec::new();
    let mut moved_in = Vec::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = unsafe { libc::read(fd, buffer.as_mut_ptr().cast(), buffer.len()) };
        if n <= 0 {
            break;
        }
        let mut at = 0;
        while at < n as usize {
            let event: libc::inotify_event =
                unsafe { std::ptr::read_unaligned(buffer[at..].as_ptr().cast()) };
            let name_at = at + std::mem::size_of::<libc::inotify_event>();
            let name = &buffer[name_at..name_at + event.len as usize];
            let name = String::from_utf8_lossy(name)
                .trim_end_matches('\0')
                .to_string();
            let is_dir = event.mask & libc::IN_ISDIR != 0;
            let name = format!("{}/{name}", watched[&event.wd]);
            if event.mask & libc::IN_CREATE != 0 && !is_dir {
                created.push(name);
            } else if event.mask & libc::IN_MOVED_TO != 0 {
                moved_in.push(name);
            }
            at = name_at + event.len as usize;
        }
    }
    unsafe { libc::close(fd) };
    // The watch saw the build: its files arrive whole, by rename.
    for file in [
        "out/ashfield-medical-centre/zero-tolerance-notice.md",
        "out/ashfield-medical-centre.zip",
        "out/manifest.json",
    ] {
        assert!(moved_in.iter().any(|n| n == file), "{file}: {moved_in:?}");
    }
    let temporary: Vec<&String> = created
        .iter()
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(
        temporary.is_empty(),
        "files made under a temporary name where others may write: {temporary:?}"
    );
    // And the staging folder is gone once the build is done.
    let left: Vec<_> = std::fs::read_dir(sandbox.path().join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".policypack-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
