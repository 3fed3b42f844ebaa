//! Reading files that policypack did not write (configs, templates, logos,
//! CSVs): each one is treated as hostile. Only regular files are read,
//! never a device (`/dev/zero`), a FIFO (which would block for ever) or a
//! socket, and never more than a limit, so no input can hang a build or
//! fill its memory.

use std::fs::{File, OpenOptions};
use std::io::Read as _;
use std::path::Path;

/// The most a config or template may hold: ours are under 40 KB.
pub const MAX_TEXT_BYTES: u64 = 1024 * 1024;

/// Why a file was not read, in words a user can act on.
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// Opens `path` only if it is a regular file (following links), without
/// blocking on a FIFO even if one is swapped in after the check.
pub fn open_regular(path: &Path) -> Result<File, Refused> {
    open_file(path, true, true).map(|(file, _)| file)
}

/// Opens a regular file that is not a link, reached through no link: for
/// what a member practice names (its config, what it extends, its logo),
/// so a link planted in the shared folder, or a folder swapped for one
/// while a build runs, never reads the officer's files. The path is
/// walked one folder at a time from the folder the officer named
/// ([`trust_folder`]; for a file named on the command line, its own
/// folder), each opened without following a link. With the metadata of
/// the file opened.
fn open_own(path: &Path) -> Result<(File, std::fs::Metadata), Refused> {
    // The checks on the path give the clearest message; the walk holds.
    check_path(path, false, false)?;
    let file = open_beneath(path)?;
    let meta = file
        .metadata()
        .map_err(|e| Refused(format!("cannot read {}: {}", path.display(), reason(&e))))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if meta.nlink() > 1 {
            return Err(Refused(format!(
                "{} has other names (hard links); copy the file instead of linking it",
                path.display()
            )));
        }
    }
    if !meta.is_file() {
        return Err(Refused(format!("{} is not a regular file", path.display())));
    }
    Ok((file, meta))
}

/// The folders the officer named on the command line: links on the way
/// to them are the officer's own; below them none is followed.
static TRUSTED: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Marks `folder`, named by the officer, as where practices' files are
/// walked from by [`read_own`] and [`read_own_with_metadata`].
pub fn trust_folder(folder: &Path) {
    let mut trusted = TRUSTED.lock().unwrap_or_else(|e| e.into_inner());
    if !trusted.iter().any(|t| t == folder) {
        trusted.push(folder.to_path_buf());
    }
}

/// Opens `path` from the deepest trusted folder above it (or its own
/// folder), one component at a time, never through a link.
fn open_beneath(path: &Path) -> Result<File, Refused> {
    use cap_fs_ext::{DirExt as _, FollowSymlinks, OpenOptionsFollowExt as _};
    use cap_std::fs::{Dir, OpenOptionsExt as _};
    use std::path::Component;
    let trusted = TRUSTED.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let anchor = trusted
        .iter()
        .filter(|folder| path.starts_with(folder))
        .max_by_key(|folder| folder.components().count())
        .cloned()
        .or_else(|| path.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let rest = path.strip_prefix(&anchor).unwrap_or(path);
    let cannot =
        |e: std::io::Error| Refused(format!("cannot read {}: {}", path.display(), reason(&e)));
    let start = if anchor.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &anchor
    };
    let mut dir = Dir::open_ambient_dir(start, cap_std::ambient_authority()).map_err(cannot)?;
    let parts: Vec<_> = rest
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    let Some((last, folders)) = parts.split_last() else {
        return Err(Refused(format!("{} is not a file", path.display())));
    };
    let mut reached = anchor.clone();
    for part in folders {
        let Component::Normal(name) = part else {
            return Err(Refused(format!(
                "{} reaches outside the folder it was found in",
                path.display()
            )));
        };
        reached.push(name);
        dir = dir.open_dir_nofollow(name).map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) || e.raw_os_error() == Some(libc::ENOTDIR) {
                Refused(format!(
                    "{} is reached through {}, which is a link (or no longer a folder); policypack reads a practice's files only where they are",
                    path.display(),
                    reached.display()
                ))
            } else {
                cannot(e)
            }
        })?;
    }
    let Component::Normal(name) = last else {
        return Err(Refused(format!("{} is not a file", path.display())));
    };
    let mut options = cap_std::fs::OpenOptions::new();
    options
        .read(true)
        .follow(FollowSymlinks::No)
        .custom_flags(libc::O_NONBLOCK);
    let file = dir.open_with(name, &options).map_err(|e| {
        if e.raw_os_error() == Some(libc::ELOOP) {
            Refused(format!(
                "{} is a link; policypack reads a practice's files only from the files themselves",
                path.display()
            ))
        } else {
            cannot(e)
        }
    })?;
    Ok(file.into_std())
}

/// A regular file opened for reading, with its metadata, following
/// links or not, and taking a file with other names (hard links) or not.
fn open_file(
    path: &Path,
    follow: bool,
    hard_links: bool,
) -> Result<(File, std::fs::Metadata), Refused> {
    check_path(path, follow, hard_links)?;
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(libc::O_NONBLOCK | nofollow);
    }
    let file = options
        .open(path)
        .map_err(|e| Refused(format!("cannot read {}: {}", path.display(), reason(&e))))?;
    // Checked again on the open file, in case the path changed meanwhile.
    match file.metadata() {
        Ok(meta) if meta.is_file() => Ok((file, meta)),
        _ => Err(Refused(format!("{} is not a regular file", path.display()))),
    }
}

/// What the path itself says, for a message that names the problem: a
/// link, a file with other names, or not a regular file. The open file is
/// checked again, as the path may change meanwhile. One `stat`: of the
/// link itself when links are not followed (a path that is no link is
/// its own target).
fn check_path(path: &Path, follow: bool, hard_links: bool) -> Result<(), Refused> {
    let meta = if follow {
        std::fs::metadata(path)
    } else {
        std::fs::symlink_metadata(path)
    }
    .map_err(|e| Refused(format!("cannot read {}: {}", path.display(), reason(&e))))?;
    if meta.file_type().is_symlink() {
        return Err(Refused(format!(
            "{} is a link; policypack reads a practice's files only from the files themselves",
            path.display()
        )));
    }
    // A hard link is another name for a file that may be the officer's.
    #[cfg(unix)]
    if !hard_links && meta.is_file() && {
        use std::os::unix::fs::MetadataExt as _;
        meta.nlink() > 1
    } {
        return Err(Refused(format!(
            "{} has other names (hard links); copy the file instead of linking it",
            path.display()
        )));
    }
    if !meta.is_file() {
        return Err(Refused(format!(
            "{} is not a regular file ({}); give the path of a file",
            path.display(),
            kind(&meta)
        )));
    }
    Ok(())
}

/// `relative`, named by a config in `base`, as a path confined to `base`:
/// relative, with no `..`, and with no link anywhere along it, so a
/// member practice's config can name only what lies in its own folder.
/// The message says what is wrong; the caller adds where.
pub fn confined(base: &Path, relative: &str) -> Result<std::path::PathBuf, String> {
    use std::path::Component;
    let named = Path::new(relative);
    if relative.trim().is_empty() {
        return Err("the path is empty".into());
    }
    let mut path = base.to_path_buf();
    for component in named.components() {
        match component {
            Component::Normal(part) => {
                path.push(part);
                if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                    return Err(format!(
                        "{} is a link; policypack does not follow links a config names",
                        path.display()
                    ));
                }
            }
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(format!(
                    "{relative:?} reaches outside {}; a config may name only files in its own folder",
                    if base.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        base
                    }
                    .display()
                ));
            }
        }
    }
    Ok(path)
}

/// A path the officer names may pass through links the officer (or root)
/// made, never through one someone else made: a practice that may write
/// in the folder could make `configs/m` a link to a folder only the
/// officer may read.
pub fn no_link_of_others(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::MetadataExt as _;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let mut reached = std::path::PathBuf::new();
    for component in path.components() {
        reached.push(component);
        if let Ok(meta) = std::fs::symlink_metadata(&reached)
            && meta.file_type().is_symlink()
            && meta.uid() != me
            && meta.uid() != 0
        {
            anyhow::bail!(
                "{} is reached through {}, a link that user {} made, not you: policypack will not follow it. \
                 Name the folder it points to instead, if you trust it",
                crate::diagnostics::printable(&path.display().to_string()),
                crate::diagnostics::printable(&reached.display().to_string()),
                meta.uid()
            );
        }
    }
    Ok(())
}

/// Reads a regular file of at most `limit` bytes.
pub fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, Refused> {
    read_opened(open_file(path, true, true)?, path, limit, what).map(|(bytes, _)| bytes)
}

/// [`read_limited`] for a file named on the command line that may lie in
/// a folder practices can write to (a draft reply, a review): it may be
/// reached through links the officer or root made, never through one
/// someone else made ([`no_link_of_others`]), checked before the file is
/// opened and again after, when the path must still lead to the very file
/// opened, so a link swapped in between is not read either.
pub fn read_named(path: &Path, limit: u64, what: &str) -> anyhow::Result<Vec<u8>> {
    use std::os::unix::fs::MetadataExt as _;
    no_link_of_others(path)?;
    let file = open_regular(path)?;
    let opened = file
        .metadata()
        .map_err(|e| Refused(format!("cannot read {}: {}", path.display(), reason(&e))))?;
    no_link_of_others(path)?;
    let now = std::fs::metadata(path)
        .map_err(|e| Refused(format!("cannot read {}: {}", path.display(), reason(&e))))?;
    if (now.dev(), now.ino()) != (opened.dev(), opened.ino()) {
        anyhow::bail!(
            "{} was replaced while it was read; nothing of it is used",
            path.display()
        );
    }
    Ok(read_sized(file, opened.len(), path, limit, what)?)
}

/// [`read_limited`] for a file a member practice names: never a link,
/// and never a file with other names (hard links).
pub fn read_own(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, Refused> {
    read_own_with_metadata(path, limit, what).map(|(bytes, _)| bytes)
}

/// [`read_own`], with the metadata of the very file read (its owner and
/// permissions, say), not of whatever the path names a moment later.
pub fn read_own_with_metadata(
    path: &Path,
    limit: u64,
    what: &str,
) -> Result<(Vec<u8>, std::fs::Metadata), Refused> {
    read_opened(open_own(path)?, path, limit, what)
}

/// [`read_limited`] for a file policypack wrote under `out/`: never read
/// through a link planted in its place.
pub fn read_written(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, Refused> {
    read_written_with_metadata(path, limit, what).map(|(bytes, _)| bytes)
}

/// [`read_written`], with the metadata of the very file read.
pub fn read_written_with_metadata(
    path: &Path,
    limit: u64,
    what: &str,
) -> Result<(Vec<u8>, std::fs::Metadata), Refused> {
    read_opened(open_file(path, false, true)?, path, limit, what)
}

/// A file policypack wrote, opened as [`read_written`] opens it, to be
/// read as a stream.
pub fn open_written(path: &Path) -> Result<File, Refused> {
    open_file(path, false, true).map(|(file, _)| file)
}

/// [`read_sized`] for a file just opened, with its metadata.
fn read_opened(
    (file, meta): (File, std::fs::Metadata),
    path: &Path,
    limit: u64,
    what: &str,
) -> Result<(Vec<u8>, std::fs::Metadata), Refused> {
    Ok((read_sized(file, meta.len(), path, limit, what)?, meta))
}

/// Reads an open file of at most `limit` bytes, whose size was `len` when
/// it was opened; `path` names it in messages. Room for that much (up to
/// the limit) is made at once, so the file is read in one call and the
/// end found in a second, not in a dozen growing reads. The limit holds
/// whatever the file holds by then.
pub fn read_sized(
    file: File,
    len: u64,
    path: &Path,
    limit: u64,
    what: &str,
) -> Result<Vec<u8>, Refused> {
    let room = usize::try_from(len.min(limit))
        .unwrap_or(0)
        .saturating_add(1);
    let mut bytes = Vec::with_capacity(room);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Refused(format!("cannot read {}: {}", path.display(), reason(&e))))?;
    if bytes.len() as u64 > limit {
        return Err(Refused(format!(
            "{} is larger than {} KB, more than any {what} needs",
            path.display(),
            limit / 1024
        )));
    }
    Ok(bytes)
}

/// The part of an I/O error a user can act on.
pub fn reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "it is a folder".into(),
        _ => e.to_string(),
    }
}

fn kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_devices_and_big_files() {
        #[cfg(unix)]
        {
            let error = read_limited(Path::new("/dev/zero"), 1024, "config").unwrap_err();
            assert!(error.0.contains("a device"), "{error}");
        }
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; 2048]).unwrap();
        let error = read_limited(&big, 1024, "config").unwrap_err();
        assert!(error.0.contains("larger than 1 KB"), "{error}");
        assert_eq!(read_limited(&big, 4096, "config").unwrap().len(), 2048);
    }
}
