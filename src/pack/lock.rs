//! One build at a time in an output folder, as cargo locks `target/`.
//!
//! Two builds into the same folder would each write their own manifest and
//! index, and the second would drop the first's practices. So a build takes
//! an exclusive lock on `OUT/.policypack.lock` (an OS file lock, released
//! when the process ends, however it ends) and holds it until its manifest
//! and index are written. A second build waits, saying so, or with
//! `--no-wait` stops at once. Waiting can be interrupted with Ctrl-C.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;

use super::interrupt;

pub const FILE_NAME: &str = ".policypack.lock";

/// Held while the build runs; the lock goes when it is dropped.
pub struct OutputLock {
    _file: File,
}

/// What came of asking for the lock.
pub enum Acquired {
    Locked(OutputLock),
    /// Ctrl-C or SIGTERM while waiting.
    Interrupted,
}

pub fn acquire(out: &Path, wait: bool) -> anyhow::Result<Acquired> {
    let path = out.join(FILE_NAME);
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    // A link planted in its place is refused, never followed out of `out`.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(&path).with_context(|| {
        format!(
            "cannot open the lock file {} (if it is a link or a folder, remove it)",
            path.display()
        )
    })?;
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Acquired::Locked(OutputLock { _file: file })),
            Err(TryLockError::WouldBlock) if !wait => anyhow::bail!(
                "another policypack build is writing to {}; try again when it has finished, or leave out --no-wait to wait for it",
                out.display()
            ),
            Err(TryLockError::WouldBlock) => {
                if !told {
                    eprintln!(
                        "waiting for another policypack build in {} to finish …",
                        out.display()
                    );
                    told = true;
                }
                if interrupt::requested() {
                    return Ok(Acquired::Interrupted);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(TryLockError::Error(error)) => {
                return Err(error).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
    }
}
