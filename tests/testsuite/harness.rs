//! A small harness: run the built `policypack` in a temp dir with a clean
//! environment, and show paths in its output as `[TMP]`.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The repository root, where `practice-configs/` lives.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of an example config in `practice-configs/`.
pub fn example(name: &str) -> String {
    std::fs::read_to_string(repo().join("practice-configs").join(name)).unwrap()
}

/// A temporary working folder and the command runner bound to it.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `policypack ARGS` in the sandbox with a clean environment.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Runs `policypack ARGS` with a clean environment plus `env`.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let output = Command::cargo_bin("policypack")
            .expect("binary built")
            .args(args)
            .current_dir(self.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(env.iter().copied())
            .output()
            .expect("policypack runs");
        Run {
            output,
            tmp: self.path().to_path_buf(),
        }
    }

    /// `sh -c SCRIPT` in the sandbox with a clean environment, for what
    /// needs a shell (a umask, a memory limit, one stream for stdout and
    /// stderr); the script finds the binary as `"$POLICYPACK"`.
    pub fn shell(&self, script: &str) -> std::process::Command {
        let mut command = std::process::Command::new("sh");
        command
            .args(["-c", script])
            .current_dir(self.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("POLICYPACK", assert_cmd::cargo::cargo_bin("policypack"));
        command
    }

    /// Writes a file into the sandbox, creating folders.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }
}

/// The result of one run.
pub struct Run {
    pub output: Output,
    tmp: PathBuf,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().expect("exit code")
    }

    fn clean(&self, bytes: &[u8]) -> String {
        let mut text = String::from_utf8_lossy(bytes).into_owned();
        let real = self.tmp.canonicalize().ok();
        for (path, placeholder) in [
            (real.as_deref(), "[TMP]"),
            (Some(self.tmp.as_path()), "[TMP]"),
            (Some(&*repo()), "[REPO]"),
        ] {
            if let Some(path) = path
                .map(|p| p.display().to_string())
                .filter(|p| !p.is_empty())
            {
                text = text.replace(&path, placeholder);
            }
        }
        text
    }

    pub fn stdout(&self) -> String {
        self.clean(&self.output.stdout)
    }

    pub fn stderr(&self) -> String {
        self.clean(&self.output.stderr)
    }

    /// Asserts the exit code, showing both streams when it is wrong.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code(),
            code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

/// Every example practice built into `out/` of a new sandbox, in `formats`.
/// The sandbox is under the target folder's temporary folder: a test that
/// keeps it for the whole run never removes it, and `cargo clean` does.
pub fn built_examples(formats: &str) -> Sandbox {
    let sandbox = Sandbox {
        dir: tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir"),
    };
    let configs = repo().join("practice-configs");
    sandbox
        .run(&[
            "build",
            configs.to_str().unwrap(),
            "-o",
            "out",
            "--formats",
            formats,
        ])
        .expect_code(0);
    sandbox
}

/// A folder `configs` in the sandbox with every example practice's config
/// and the longest fixtures (each in its own folder, with its logo): the
/// practices every print check reads back.
pub fn examples_and_longest(sandbox: &Sandbox) {
    let configs = sandbox.path().join("configs");
    std::fs::create_dir_all(&configs).unwrap();
    for entry in std::fs::read_dir(repo().join("practice-configs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, configs.join(path.file_name().unwrap())).unwrap();
        }
    }
    for fixture in ["longest", "longest-wales"] {
        let from = repo().join("tests/fixtures/valid").join(fixture);
        let to = configs.join(fixture);
        std::fs::create_dir_all(&to).unwrap();
        for name in ["practice.toml", "logo.png"] {
            std::fs::copy(from.join(name), to.join(name)).unwrap();
        }
    }
}

/// The files in each practice's folder under `out`, sorted (not the
/// pack's own index and manifest).
pub fn practice_files(out: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for practice in std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        // `changes/` holds the builds' change reports, not a practice.
        .filter(|p| p.is_dir() && !p.ends_with("changes"))
    {
        for file in std::fs::read_dir(practice).unwrap() {
            files.push(file.unwrap().path());
        }
    }
    files.sort();
    files
}

/// Two paths that change places atomically (`renameat2` with
/// `RENAME_EXCHANGE`), as fast as one core can, until [`Swapper::stop`]:
/// a folder and a link, to race what a build opens.
pub struct Swapper {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<u64>,
}

impl Swapper {
    pub fn start(a: &Path, b: &Path) -> Swapper {
        use std::os::unix::ffi::OsStrExt as _;
        use std::sync::atomic::Ordering;
        let path = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap();
        let (a, b) = (path(a), path(b));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let thread = {
            let stop = std::sync::Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut swaps = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    // SAFETY: both are NUL-terminated paths.
                    let done = unsafe {
                        libc::renameat2(
                            libc::AT_FDCWD,
                            a.as_ptr(),
                            libc::AT_FDCWD,
                            b.as_ptr(),
                            libc::RENAME_EXCHANGE,
                        )
                    };
                    assert_eq!(done, 0, "the swap failed");
                    swaps += 1;
                }
                swaps
            })
        };
        Swapper { stop, thread }
    }

    /// Stops the swapping; how many swaps were made.
    pub fn stop(self) -> u64 {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.join().unwrap()
    }
}

/// The practice configs under `dir` (not the shared `_*.toml` files), in
/// every folder below it, as `build` finds them.
pub fn practice_configs(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            found.extend(practice_configs(&path));
        } else if name.ends_with(".toml") && !name.starts_with('_') {
            found.push(path);
        }
    }
    found
}
