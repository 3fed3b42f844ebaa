//! `Folder`: a folder under `out/` held by handle, through which every
//! write, read-back and removal there goes. (Files outside `out/`, such as
//! the officer's record and imported configs, are written by
//! [`crate::utils::fs`].)

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, bail};
use cap_fs_ext::{DirExt as _, FollowSymlinks, OpenOptionsFollowExt as _};
use cap_std::ambient_authority;
use cap_std::fs::{Dir, OpenOptions, OpenOptionsExt as _};

use crate::input::{Refused, reason};

/// A folder under `out/`, held open by handle. Every name in it is looked
/// up by the kernel from the handle, one name at a time (`openat`,
/// `renameat`), and a link in a folder's or file's place is refused or
/// replaced, never followed. So a practice folder swapped for a link to
/// somewhere else between policypack's check and its write cannot take the
/// write (or a zip's read) outside the output folder.
pub struct Folder {
    dir: Dir,
    path: PathBuf,
    staging: Arc<Staging>,
}

/// A folder's device and inode.
type FolderId = (u64, u64);

/// Numbers the files written in a staging folder by one process.
static TEMP: AtomicU64 = AtomicU64::new(0);

/// Where a file is written before it is renamed into place: a folder of
/// this process's own in `out/` (`.policypack-<random>.tmp`, mode 0700),
/// made at the first write and held by handle. In an `out/` others may
/// write to, a temporary file beside its final name could be swapped for
/// theirs between the write and the rename (which goes by name), and the
/// build would install their file as its own; nobody else can put a file
/// in this folder, and a rename from its handle takes only what is in it,
/// wherever the folder has been moved. It is removed when the output
/// folder's last handle is dropped; one a stopped build left is swept by
/// the next.
struct Staging {
    /// The output folder, `out/` itself.
    out: Dir,
    folder: Mutex<Option<(String, Arc<Dir>)>>,
}

impl Staging {
    /// The staging folder, made if there is none (or if someone removed
    /// it, which anyone who may write in `out/` can do while it is empty).
    fn folder(&self, remade: bool) -> io::Result<Arc<Dir>> {
        let mut folder = self.folder.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, dir)) = &*folder
            && !remade
        {
            return Ok(dir.clone());
        }
        if let Some((name, _)) = folder.take() {
            let _ = self.out.remove_dir(&name);
        }
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        let mut builder = cap_std::fs::DirBuilder::new();
        {
            use cap_std::fs::DirBuilderExt as _;
            builder.mode(0o700);
        }
        for _ in 0..100 {
            // A name nobody can foresee: one made of the process number
            // could be taken in advance, by the hundred, by anyone who may
            // write in `out/`.
            let mut random = [0u8; 16];
            getrandom::fill(&mut random).map_err(|e| io::Error::other(e.to_string()))?;
            let name = format!(".policypack-{}.tmp", crate::utils::hex(&random));
            match self.out.create_dir_with(&name, &builder) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
            // Opened without following a link, and checked to be the one
            // made: someone may have put their own in its place already.
            let Ok(dir) = self.out.open_dir_nofollow(&name) else {
                continue;
            };
            let ours = dir.dir_metadata().is_ok_and(|meta| {
                use cap_std::fs::{MetadataExt as _, PermissionsExt as _};
                meta.uid() == me && meta.permissions().mode() & 0o077 == 0
            });
            if !ours {
                continue;
            }
            let dir = Arc::new(dir);
            *folder = Some((name, dir.clone()));
            return Ok(dir);
        }
        Err(io::Error::other(
            "a folder of policypack's own could not be made there: something else keeps taking its place",
        ))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let folder = self.folder.get_mut().unwrap_or_else(|e| e.into_inner());
        if let Some((name, _)) = folder.take() {
            // Empty unless a write was cut short; only an empty folder goes
            // by name (one put in its place is left alone).
            let _ = self.out.remove_dir(&name);
        }
    }
}

impl Folder {
    /// The output folder the officer named, made if missing. It may be a
    /// link the officer made (the command line is trusted, what is inside
    /// is not), but not one that someone else made or a folder someone
    /// else owns: `out` is the default name, and a practice that may write
    /// where the officer runs policypack could plant it, pointing at
    /// another LMC's packs.
    pub fn out(out: &Path) -> anyhow::Result<Folder> {
        use std::os::unix::fs::MetadataExt as _;
        crate::input::no_link_of_others(out)?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        let ours = |uid: u32| uid == me || uid == 0;
        if let Ok(link) = std::fs::symlink_metadata(out)
            && link.file_type().is_symlink()
            && !ours(link.uid())
        {
            bail!(
                "the output folder {} is a link that user {} made, not you: policypack will not write through it. \
                 Remove the link, or name the folder it points to with -o if you trust it",
                out.display(),
                link.uid()
            );
        }
        if let Ok(folder) = std::fs::metadata(out)
            && !ours(folder.uid())
        {
            bail!(
                "the output folder {} belongs to user {}, not you: they could plant files in it for you to publish. \
                 Build into a folder of your own (-o PATH)",
                out.display(),
                folder.uid()
            );
        }
        std::fs::create_dir_all(out)
            .with_context(|| format!("cannot create the output folder {}", out.display()))?;
        Folder::open(out)
            .with_context(|| format!("cannot open the output folder {}", out.display()))
    }

    /// The output folder the officer named, if it is there.
    pub fn open(out: &Path) -> io::Result<Folder> {
        let dir = Dir::open_ambient_dir(out, ambient_authority())?;
        // One staging folder per output folder while any handle to it is
        // held: a build, the manifest's reader and the web app's requests
        // may each open `out/`.
        static OPEN: Mutex<Vec<(FolderId, std::sync::Weak<Staging>)>> = Mutex::new(Vec::new());
        let id = {
            use cap_std::fs::MetadataExt as _;
            let meta = dir.dir_metadata()?;
            (meta.dev(), meta.ino())
        };
        let mut open = OPEN.lock().unwrap_or_else(|e| e.into_inner());
        open.retain(|(_, staging)| staging.strong_count() > 0);
        let staging = open
            .iter()
            .filter(|(key, _)| *key == id)
            .find_map(|(_, staging)| staging.upgrade());
        let staging = match staging {
            Some(staging) => staging,
            None => {
                let staging = Arc::new(Staging {
                    out: dir.try_clone()?,
                    folder: Mutex::new(None),
                });
                open.push((id, Arc::downgrade(&staging)));
                staging
            }
        };
        drop(open);
        Ok(Folder {
            dir,
            path: out.to_path_buf(),
            staging,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when something (a file, a folder, a link) is called `name` here.
    pub fn has(&self, name: &str) -> bool {
        self.dir.symlink_metadata(name).is_ok()
    }

    /// The folder `name` (one name, no `/`) in this one, made if missing.
    /// A link or a file in its place is refused.
    pub fn sub(&self, name: &str) -> anyhow::Result<Folder> {
        let path = self.path.join(name);
        match self.dir.create_dir(name) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot create the folder {}", path.display()));
            }
        }
        self.existing(name)
    }

    /// The folder `name` in this one, if it is there and is a folder, not
    /// a link to one.
    pub fn existing(&self, name: &str) -> anyhow::Result<Folder> {
        let path = self.path.join(name);
        // Opened without following a link; what is there instead is
        // looked at only to say what it is.
        let dir = match self.dir.open_dir_nofollow(name) {
            Ok(dir) => dir,
            Err(error) => match self.dir.symlink_metadata(name) {
                Ok(meta) if meta.file_type().is_symlink() => anyhow::bail!(
                    "{} is a link to somewhere else; policypack writes only inside the output folder. Remove the link and build again",
                    path.display()
                ),
                Ok(meta) if !meta.is_dir() => anyhow::bail!(
                    "{} is not a folder; move it away and build again",
                    path.display()
                ),
                _ => {
                    return Err(error)
                        .with_context(|| format!("cannot open the folder {}", path.display()));
                }
            },
        };
        // A folder someone else made here (in an output folder others may
        // write to) is theirs to change after the build: not written into.
        {
            use cap_std::fs::MetadataExt as _;
            let owner = dir
                .dir_metadata()
                .with_context(|| format!("cannot read the folder {}", path.display()))?
                .uid();
            // SAFETY: geteuid has no preconditions and cannot fail.
            let me = unsafe { libc::geteuid() };
            if owner != me && owner != 0 {
                anyhow::bail!(
                    "{} belongs to user {owner}, not you, so they could change what policypack writes there; remove it (or make it yours) and build again",
                    path.display()
                );
            }
        }
        Ok(Folder {
            dir,
            path,
            staging: self.staging.clone(),
        })
    }

    /// Writes the file `name` whole or not at all: a temporary file in the
    /// build's own staging folder (see `Staging`), renamed over `name` (a
    /// link there is replaced, not followed). Readable as the user's umask
    /// allows, like any file a program writes. Returns the written file's
    /// size and times, read from the file itself after the rename: a file
    /// someone puts at `name` afterwards is not taken for it.
    pub fn write(&self, name: &str, bytes: &[u8]) -> anyhow::Result<super::manifest::Stamp> {
        let path = self.path.join(name);
        let mut options = OpenOptions::new();
        // 0666 less the umask (0644 under the usual 022), as `cp` would.
        options.write(true).create_new(true).mode(0o666);
        let cannot = || format!("cannot write in {}", self.path.display());
        let temp = TEMP.fetch_add(1, Ordering::Relaxed).to_string();
        let (staging, mut file) = {
            let staging = self.staging.folder(false).with_context(cannot)?;
            match staging.open_with(&temp, &options) {
                Ok(file) => (staging, file),
                // Removed by someone since it was made: made again.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    let staging = self.staging.folder(true).with_context(cannot)?;
                    let file = staging.open_with(&temp, &options).with_context(cannot)?;
                    (staging, file)
                }
                Err(e) => return Err(e).with_context(cannot),
            }
        };
        let written = file
            .write_all(bytes)
            .with_context(|| format!("cannot write {}", path.display()))
            .and_then(|()| {
                staging
                    .rename(&temp, &self.dir, name)
                    .with_context(|| format!("cannot replace {}", path.display()))
            })
            .and_then(|()| {
                let meta = file
                    .metadata()
                    .with_context(|| format!("cannot read {}", path.display()))?;
                super::manifest::Stamp::of_handle(&meta)
                    .with_context(|| format!("{} is not a regular file", path.display()))
            });
        if written.is_err() {
            let _ = staging.remove_file(&temp);
        }
        written
    }

    /// Reads the regular file `name`, of at most `limit` bytes, never
    /// through a link.
    pub fn read(&self, name: &str, limit: u64, what: &str) -> Result<Vec<u8>, Refused> {
        self.read_with_stamp(name, limit, what)
            .map(|(bytes, _)| bytes)
    }

    /// [`Folder::read`], with the size and times of the file read, from
    /// the file itself (not from its name, where another may be by now).
    pub fn read_with_stamp(
        &self,
        name: &str,
        limit: u64,
        what: &str,
    ) -> Result<(Vec<u8>, Option<super::manifest::Stamp>), Refused> {
        let path = self.path.join(name);
        let (file, meta) = self
            .open_file(name)
            .map_err(|e| Refused(format!("cannot read {}: {e}", path.display())))?;
        let stamp = super::manifest::Stamp::of(&meta);
        Ok((
            crate::input::read_sized(file, meta.len(), &path, limit, what)?,
            stamp,
        ))
    }

    /// The regular file `name` opened for reading, not through a link and
    /// without waiting on a named pipe, with its metadata.
    fn open_file(&self, name: &str) -> Result<(std::fs::File, std::fs::Metadata), String> {
        let mut options = OpenOptions::new();
        options
            .read(true)
            .follow(FollowSymlinks::No)
            .custom_flags(libc::O_NONBLOCK);
        let file = self
            .dir
            .open_with(name, &options)
            .map_err(|e| match e.raw_os_error() {
                Some(libc::ELOOP) => "it is a link".to_string(),
                _ => reason(&e),
            })?
            .into_std();
        let meta = file.metadata().map_err(|e| reason(&e))?;
        if !meta.is_file() {
            return Err("it is not a regular file".to_string());
        }
        Ok((file, meta))
    }

    /// What is called `name` here (a file, a folder, a link as a link).
    pub fn symlink_metadata(&self, name: &str) -> Option<cap_std::fs::Metadata> {
        self.dir.symlink_metadata(name).ok()
    }

    /// The file `name`'s size and times, if it is a regular file (not a
    /// link), from one `stat` that does not follow a link.
    pub fn file_metadata(&self, name: &str) -> Option<super::manifest::Stamp> {
        let meta = self.dir.symlink_metadata(name).ok()?;
        super::manifest::Stamp::of_handle(&meta)
    }

    /// [`Folder::write`] for a file of policypack's own in `out/` (the
    /// index, the manifest): a folder planted in its place, which a rename
    /// cannot replace, is removed first, with everything in it. One that
    /// cannot be removed (another user's, in a folder with the sticky bit)
    /// stops the write with a message that says so.
    pub fn replace(&self, name: &str, bytes: &[u8]) -> anyhow::Result<super::manifest::Stamp> {
        let planted = self.dir.symlink_metadata(name).is_ok_and(|m| m.is_dir());
        if planted {
            self.remove_folder(name);
        }
        self.write(name, bytes).with_context(|| {
            if planted {
                format!(
                    "{} is a folder, not policypack's file, and it could not be removed: remove it, and let nobody else write to {}",
                    self.path.join(name).display(),
                    self.path.display()
                )
            } else {
                format!("cannot write {}", self.path.join(name).display())
            }
        })
    }

    /// Removes the file (or link) `name`, if there is one.
    pub fn remove(&self, name: &str) {
        let _ = self.dir.remove_file_or_symlink(name);
    }

    /// Removes the folder `name` and everything in it; a link is removed
    /// as a link.
    pub fn remove_folder(&self, name: &str) {
        match self.dir.symlink_metadata(name) {
            Ok(meta) if meta.is_dir() => {
                let _ = self.dir.remove_dir_all(name);
            }
            Ok(_) => self.remove(name),
            Err(_) => {}
        }
    }

    /// Removes the folder `name` if it is empty.
    pub fn remove_empty(&self, name: &str) {
        let _ = self.dir.remove_dir(name);
    }

    /// The names in the folder `name` here, if it is a folder and not a
    /// link to one. For a look into each of a national build's 6,830
    /// folders: one `openat` (which refuses a link), the reads and a
    /// `close`, where opening a [`Folder`] and listing it through cap-std
    /// takes a dozen system calls. Nothing is written through it: what is
    /// removed is removed through [`Folder::existing`], which refuses a
    /// folder another user owns.
    pub fn names_in(&self, name: &str) -> Option<Vec<String>> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.dir, name, flags, Mode::empty()).ok()?;
        let entries = rustix::fs::Dir::new(fd).ok()?;
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.ok()?;
            let name = entry.file_name().to_bytes();
            if name != b"." && name != b".." {
                names.push(String::from_utf8_lossy(name).into_owned());
            }
        }
        Some(names)
    }

    /// The names in this folder, with whether each is a folder (not a link).
    pub fn names(&self) -> Vec<(String, bool)> {
        let Ok(entries) = self.dir.entries() else {
            return Vec::new();
        };
        entries
            .flatten()
            .map(|e| {
                let folder = e.file_type().is_ok_and(|t| t.is_dir());
                (e.file_name().to_string_lossy().into_owned(), folder)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder's names are listed; a link to a folder, or a file, is not
    /// looked into.
    #[test]
    fn names_in_lists_a_folder_and_not_a_link_to_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("practice")).unwrap();
        std::fs::write(dir.path().join("practice/a.md"), "a").unwrap();
        std::fs::write(dir.path().join("practice/.policypack-x.tmp"), "").unwrap();
        std::os::unix::fs::symlink(dir.path().join("practice"), dir.path().join("link")).unwrap();
        let out = Folder::open(dir.path()).unwrap();
        let mut names = out.names_in("practice").unwrap();
        names.sort();
        assert_eq!(names, [".policypack-x.tmp", "a.md"]);
        assert_eq!(out.names_in("link"), None);
        assert_eq!(out.names_in("practice/a.md"), None);
        assert_eq!(out.names_in("missing"), None);
    }
}
