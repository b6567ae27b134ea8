//! Thin wrappers over `std::fs` that name the path in every error.

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Files editors and systems leave behind, which are never content, templates or static
/// files.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// The entries of the folder at `path`, sorted by name.
pub fn read_dir(path: &Path) -> Result<Vec<std::fs::DirEntry>> {
    let entries = std::fs::read_dir(path)
        .with_context(|| format!("could not read the folder {}", path.display()))?;
    let mut entries = entries
        .collect::<std::io::Result<Vec<_>>>()
        .with_context(|| format!("could not read the folder {}", path.display()))?;
    entries.sort_by_key(|e| e.file_name());
    Ok(entries)
}

/// `path` made absolute against the current folder (nothing is resolved or checked).
pub fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    let here = std::env::current_dir().context("could not read the current folder")?;
    Ok(here.join(path))
}

pub fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))
}

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("could not read {}", path.display()))
}

/// A file's size and the time of its last change: the later of its modification time and
/// (where the system keeps one) its status change time, which no program can set back, so
/// a file rewritten with its old size and modification time put back still looks changed.
pub type Stamp = (u64, std::time::SystemTime);

/// The [`Stamp`] of a file with metadata `meta`.
pub fn stamp(meta: &std::fs::Metadata) -> Option<Stamp> {
    let modified = meta.modified().ok()?;
    let changed = status_changed(meta).map_or(modified, |c| c.max(modified));
    Some((meta.len(), changed))
}

/// A file's last status change (its contents, name, links or permissions), which no
/// program can set back; `None` where the system keeps no such time.
pub fn status_changed(meta: &std::fs::Metadata) -> Option<std::time::SystemTime> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let seconds = u64::try_from(meta.ctime()).ok()?;
        let nanos = u32::try_from(meta.ctime_nsec()).ok()?;
        std::time::UNIX_EPOCH.checked_add(std::time::Duration::new(seconds, nanos))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// A file's bytes, with its [`Stamp`] as the open file reports it
/// (one path lookup for both).
pub fn read_stamped(path: &Path) -> Result<(Vec<u8>, Option<Stamp>)> {
    use std::io::Read;
    let read = || -> std::io::Result<_> {
        let mut file = std::fs::File::open(path)?;
        let meta = file.metadata()?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.read_to_end(&mut bytes)?;
        Ok((bytes, stamp(&meta)))
    };
    read().with_context(|| format!("could not read {}", path.display()))
}

/// A file's bytes and stamp, or the size of a file over the limit.
pub type Limited = std::result::Result<(Vec<u8>, Option<Stamp>), u64>;

/// Like [`read_stamped`], for a file of at most `limit` bytes: a larger one is not read,
/// and `Ok(Err(size))` gives its size.
pub fn read_stamped_up_to(path: &Path, limit: u64) -> Result<Limited> {
    use std::io::Read;
    let read = || -> std::io::Result<_> {
        let mut file = std::fs::File::open(path)?;
        let meta = file.metadata()?;
        if meta.len() > limit {
            return Ok(Err(meta.len()));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        // A file that grows while it is read stops at the limit.
        file.by_ref().take(limit + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > limit {
            return Ok(Err(bytes.len() as u64));
        }
        Ok(Ok((bytes, stamp(&meta))))
    };
    read().with_context(|| format!("could not read {}", path.display()))
}

pub fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, contents).with_context(|| format!("could not write {}", path.display()))
}

/// Writes a new file at `path` whole or not at all, and never over an existing one: the
/// bytes go to a temporary file beside it, which is then linked to `path` (refused when
/// `path` exists, even if it appeared a moment ago) or, where links are not supported,
/// moved there after a last look. An error leaves nothing behind.
pub fn write_new(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    use std::io::ErrorKind;
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = path
        .file_name()
        .map_or("new".into(), |n| n.to_string_lossy());
    let tmp = path.with_file_name(format!(".{name}.{}-{n}.tmp", std::process::id()));
    let placed =
        std::fs::write(&tmp, contents).and_then(|()| match std::fs::hard_link(&tmp, path) {
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(e),
            Err(_) if !path.exists() => std::fs::rename(&tmp, path),
            other => other,
        });
    let _ = std::fs::remove_file(&tmp);
    placed.with_context(|| match path.exists() {
        true => format!("{} already exists", path.display()),
        false => format!("could not write {}", path.display()),
    })
}

/// Writes `path` whole or not at all: the bytes go to a temporary file beside it, which
/// then takes its place (a reader, or a run killed halfway, sees the old file or the new
/// one, never half of one). For files Gazette keeps up to date (`inbox.opml`…).
pub fn replace(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    let name = path
        .file_name()
        .map_or("file".into(), |n| n.to_string_lossy());
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_file_name(format!(".{name}.{}-{n}.tmp", std::process::id()));
    let placed = std::fs::write(&tmp, contents).and_then(|()| std::fs::rename(&tmp, path));
    if placed.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    placed.with_context(|| format!("could not write {}", path.display()))
}

/// Adds `text` at the end of `path` in one write (creating the file if needed).
pub fn append(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .with_context(|| format!("could not write {}", path.display()))
}

/// Creates a folder and any missing parents. The folder itself is tried first: when only
/// it is missing (as for each new article's folder) that is one system call, where
/// `std::fs::create_dir_all` makes three (two looks, then the folder).
pub fn create_dir_all(path: &Path) -> Result<()> {
    fn make(path: &Path) -> std::io::Result<()> {
        use std::io::ErrorKind;
        let exists = |e: std::io::Error| match e.kind() {
            ErrorKind::AlreadyExists if path.is_dir() => Ok(()),
            _ => Err(e),
        };
        match std::fs::create_dir(path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                match path.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => make(parent)?,
                    _ => return Err(e),
                }
                std::fs::create_dir(path).or_else(exists)
            }
            Err(e) => exists(e),
        }
    }
    make(path).with_context(|| format!("could not create folder {}", path.display()))
}

pub fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .with_context(|| format!("could not copy {} to {}", from.display(), to.display()))
}

pub fn canonicalize(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).with_context(|| format!("could not resolve {}", path.display()))
}

pub fn hard_link(from: &Path, to: &Path) -> Result<()> {
    std::fs::hard_link(from, to)
        .with_context(|| format!("could not link {} to {}", from.display(), to.display()))
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .with_context(|| format!("could not move {} to {}", from.display(), to.display()))
}

pub fn remove_file(path: &Path) -> Result<()> {
    std::fs::remove_file(path).with_context(|| format!("could not remove {}", path.display()))
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    std::fs::remove_dir_all(path)
        .with_context(|| format!("could not remove folder {}", path.display()))
}

/// Removes a folder if it exists; a missing folder is not an error.
pub fn remove_dir_all_if_exists(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => remove_dir_all(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("could not inspect {}", path.display())),
    }
}

/// The files under several folders, by path relative to their folder ("a/b.css"); a file
/// in a later folder replaces one of the same name in an earlier one (a site's own
/// `templates/` or `static/` over its theme's). Missing folders and editor leftovers are
/// skipped.
pub fn overlay_files(dirs: &[PathBuf]) -> Result<BTreeMap<String, PathBuf>> {
    let mut files = BTreeMap::new();
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.with_context(|| format!("could not list {}", dir.display()))?;
            if entry.file_type().is_file()
                && !crate::util::fs::is_ignored(&entry.file_name().to_string_lossy())
            {
                let rel = entry
                    .path()
                    .strip_prefix(dir)?
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, entry.path().to_path_buf());
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    #[test]
    fn create_dir_all_makes_missing_parents_and_accepts_existing_folders() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("2018/08/15/kim");
        super::create_dir_all(&deep).unwrap();
        assert!(deep.is_dir());
        super::create_dir_all(&deep).unwrap();
        super::create_dir_all(&dir.path().join("2018/08/16")).unwrap();
        std::fs::write(dir.path().join("file"), "x").unwrap();
        let error = super::create_dir_all(&dir.path().join("file")).unwrap_err();
        assert!(
            format!("{error:#}").starts_with("could not create folder "),
            "{error:#}"
        );
        let error = super::create_dir_all(&dir.path().join("file/below")).unwrap_err();
        assert!(format!("{error:#}").contains("file/below"), "{error:#}");
    }

    #[test]
    fn write_new_never_overwrites_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        super::write_new(&path, "first").unwrap();
        let error = super::write_new(&path, "second").unwrap_err();
        assert_eq!(
            format!("{error}"),
            format!("{} already exists", path.display())
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first");
        let error = super::write_new(&dir.path().join("missing/b.md"), "x").unwrap_err();
        assert!(
            format!("{error:#}").starts_with("could not write "),
            "{error:#}"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.md"]);
    }
}
