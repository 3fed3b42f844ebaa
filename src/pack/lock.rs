//! One build at a time in an output folder, as cargo locks `target/`.
//!
//! Two builds into the same folder would each write their own manifest and
//! index, and the second would drop the first's practices. So a build takes
//! an exclusive lock on `OUT/.policypack.lock` (an OS file lock, released
//! when the process ends, however it ends) and holds it until its manifest
//! and index are written. A second build waits, saying so, or with
//! `--no-wait` stops at once. Waiting can be interrupted with Ctrl-C.
//!
//! The folder itself is locked too: a lock file deleted while a build
//! holds it would let a second build create a new one and run beside the
//! first, but a folder with files in it cannot be deleted.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;

use super::interrupt;

pub const FILE_NAME: &str = ".policypack.lock";

/// Held while the build runs; the lock goes when it is dropped.
pub struct OutputLock {
    _file: File,
    _folder: File,
}

/// What came of asking for the lock.
pub enum Acquired {
    Locked(OutputLock),
    /// Ctrl-C or SIGTERM while waiting.
    Interrupted,
}

pub fn acquire(out: &Path, wait: bool) -> anyhow::Result<Acquired> {
    let path = out.join(FILE_NAME);
    let file = open(&path, true)
        .or_else(|error| match error.kind() {
            // Another user's lock file on a shared folder: a lock works on
            // a file opened only for reading too.
            std::io::ErrorKind::PermissionDenied => open(&path, false),
            _ => Err(error),
        })
        .with_context(|| {
            format!(
                "cannot open the lock file {} (if it is a link or a folder, remove it)",
                path.display()
            )
        })?;
    anyhow::ensure!(
        file.metadata().is_ok_and(|m| m.is_file()),
        "the lock file {} is not a regular file; remove it and build again",
        path.display()
    );
    let folder = File::open(out)
        .with_context(|| format!("cannot open the output folder {}", out.display()))?;
    let mut told = false;
    for (held, what) in [(&file, path.as_path()), (&folder, out)] {
        if !wait_for(held, what, out, wait, &mut told)? {
            return Ok(Acquired::Interrupted);
        }
    }
    Ok(Acquired::Locked(OutputLock {
        _file: file,
        _folder: folder,
    }))
}

/// Locks `held` (the file or folder at `what`), waiting while another build
/// holds it unless `wait` is false; false when Ctrl-C or SIGTERM came first.
fn wait_for(
    held: &File,
    what: &Path,
    out: &Path,
    wait: bool,
    told: &mut bool,
) -> anyhow::Result<bool> {
    loop {
        match held.try_lock() {
            Ok(()) => return Ok(true),
            Err(TryLockError::WouldBlock) if !wait => anyhow::bail!(
                "another policypack build is writing to {}; try again when it has finished, or leave out --no-wait to wait for it",
                out.display()
            ),
            Err(TryLockError::WouldBlock) => {
                if !*told {
                    // Anyone on this machine who can read the folder can
                    // hold a lock on it, so say how to see who does.
                    eprintln!(
                        "waiting for another policypack build in {} to finish … (`fuser -v {}` shows who holds the lock)",
                        out.display(),
                        what.display()
                    );
                    *told = true;
                }
                if interrupt::requested() {
                    return Ok(false);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(TryLockError::Error(error)) => {
                return Err(error).with_context(|| format!("cannot lock {}", what.display()));
            }
        }
    }
}

/// Opens (or with `write`, creates) the lock file: never through a link
/// planted in its place, never blocking on a FIFO, readable and writable by
/// others as the umask allows, so colleagues on a shared folder can lock it.
fn open(path: &Path, write: bool) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    if write {
        options.create(true).truncate(false).write(true);
    } else {
        options.read(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .mode(0o666);
    }
    options.open(path)
}
