//! The stamp of everything a build reads: each file's name, size, times and identity under
//! the site's input folders, as one number. Two equal stamps mean no input was written,
//! replaced, added or removed in between (as git's index and make trust the same facts).

use crate::util::hash::Fingerprint;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// What a build reads, relative to the site's folder (`themes/` whole: a theme may name
/// another's files only through its own, but a stamp that covers more only costs a
/// rebuild).
pub const INPUTS: [&str; 7] = [
    "site.toml",
    "content",
    "data",
    "i18n",
    "static",
    "templates",
    "themes",
];

/// How long after its last change a file's size and times are trusted to tell every later
/// change: a file system keeps times to a clock tick (a few milliseconds; two seconds on
/// FAT), and a second write within the tick of the first, of the same size, would leave
/// the same stamp.
pub const SETTLED: Duration = Duration::from_secs(2);

/// The stamp of the inputs of the site at `root`; `None` when a file changed after
/// `settled` (for a build, [`SETTLED`] before it began: such a file may change again
/// within its clock tick, or while the build reads it), a folder cannot be listed, or the
/// system keeps no status-change times (then no stamp can be trusted).
pub fn inputs(root: &Path, settled: SystemTime) -> Option<u64> {
    if !cfg!(unix) {
        return None;
    }
    // Each input file, and each entry at the top of each input folder, walked side by side.
    let mut parts = Vec::new();
    for name in INPUTS {
        let path = root.join(name);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                let entries = crate::util::fs::read_dir(&path).ok()?;
                parts.push(Part::Folder(path));
                parts.extend(entries.iter().map(|e| Part::Tree(e.path())));
            }
            Ok(_) => parts.push(Part::Tree(path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => parts.push(Part::Absent(name)),
            Err(_) => return None,
        }
    }
    let stamps: Vec<u64> = parts
        .par_iter()
        .map(|part| part.stamp(root, settled))
        .collect::<Option<_>>()?;
    Some(crate::util::hash::fingerprint(stamps))
}

/// A part of the inputs, stamped on its own.
enum Part {
    Absent(&'static str),
    /// An input folder itself (its entries are parts of their own).
    Folder(PathBuf),
    /// A file, or a folder with everything in it.
    Tree(PathBuf),
}

impl Part {
    fn stamp(&self, root: &Path, settled: SystemTime) -> Option<u64> {
        let mut stamp = Fingerprint::new();
        let path = match self {
            Part::Absent(name) => return Some(stamp.add((name, "absent")).finish()),
            Part::Folder(path) => {
                return Some(stamp.add((path.strip_prefix(root).ok()?, "dir")).finish())
            }
            Part::Tree(path) => path,
        };
        // Links are followed, as the build follows them: their targets' changes count.
        for entry in walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = entry.ok()?;
            let meta = entry.metadata().ok()?;
            stamp.add(entry.path().strip_prefix(root).ok()?);
            if meta.is_dir() {
                stamp.add("dir");
                continue;
            }
            let times = times(&meta)?;
            if times.iter().any(|&t| t > settled) {
                return None;
            }
            stamp.add(meta.len()).add(times).add(identity(&meta));
        }
        Some(stamp.finish())
    }
}

/// A file's last modification and (where the system keeps it) last status change, which
/// no program can set back: a file rewritten and given its old modification time still
/// changes its stamp.
fn times(meta: &std::fs::Metadata) -> Option<[SystemTime; 2]> {
    Some([
        meta.modified().ok()?,
        crate::util::fs::status_changed(meta)?,
    ])
}

/// The file's device and inode (a file replaced by another has a new one).
fn identity(meta: &std::fs::Metadata) -> (u64, u64) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (meta.dev(), meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        (0, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settled_site() -> tempfile::TempDir {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("content/2024")).unwrap();
        std::fs::write(site.path().join("site.toml"), "title = \"T\"\n").unwrap();
        std::fs::write(site.path().join("content/2024/a.md"), "---\n---\nabc\n").unwrap();
        site
    }

    #[test]
    fn a_file_changed_within_the_settling_time_gives_no_stamp() {
        let site = settled_site();
        assert_eq!(inputs(site.path(), SystemTime::now() - SETTLED), None);
    }

    #[test]
    fn a_settled_site_has_a_stamp_that_every_change_alters() {
        let site = settled_site();
        std::thread::sleep(SETTLED + Duration::from_millis(50));
        let first = inputs(site.path(), SystemTime::now() - SETTLED).expect("settled");
        assert_eq!(
            inputs(site.path(), SystemTime::now() - SETTLED),
            Some(first)
        );
        // Same size, and the old modification time put back: the status change still shows.
        let file = site.path().join("content/2024/a.md");
        let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
        std::fs::write(&file, "---\n---\nabd\n").unwrap();
        let f = std::fs::File::options().write(true).open(&file).unwrap();
        f.set_modified(modified).unwrap();
        drop(f);
        assert_eq!(
            inputs(site.path(), SystemTime::now() - SETTLED),
            None,
            "just changed"
        );
        std::thread::sleep(SETTLED + Duration::from_millis(50));
        let second = inputs(site.path(), SystemTime::now() - SETTLED).expect("settled again");
        assert_ne!(first, second);
        // A new file in a folder the stamp did not see before.
        std::fs::create_dir_all(site.path().join("data")).unwrap();
        std::thread::sleep(SETTLED + Duration::from_millis(50));
        assert_ne!(
            inputs(site.path(), SystemTime::now() - SETTLED),
            Some(second)
        );
    }
}
