//! The only code that writes the output folder. A build renders the whole site first and
//! puts every new or changed file into a staging folder beside the output; only when the
//! whole build succeeded does `commit` make it the output: unchanged files are hard-linked
//! in beside the new ones and the two folders trade places in one atomic rename. So a
//! failed or killed build leaves the previous site exactly as it was, and files that did
//! not change are never rewritten (their modification times stay, and deploys or `rsync`
//! upload only what changed). `serve` previews into a private folder and moves just the
//! changed files in, which is faster on big sites.

use anyhow::{bail, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// A new version of the site being prepared. Dropped without `commit`, it removes itself.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Every site path of the new site, and whether it was written to the staging folder
    /// (`false`: unchanged from the previous output).
    paths: Mutex<HashMap<String, bool>>,
    /// The site paths made again (written, or found the same as the previous file).
    made: Mutex<Vec<String>>,
    /// How many files differ from the previous site.
    changed: std::sync::atomic::AtomicUsize,
    /// Whether `commit` swaps whole folders (a build) or moves changed files into the
    /// output one by one (`serve`'s private preview folder, where speed matters more).
    atomic: bool,
    committed: bool,
    /// Whether there is a previous site to compare with (a first build has none, and
    /// skips looking for each file in it).
    previous: bool,
    /// Whether the output lacked the marker file that says it is Gazette's.
    marker_new: bool,
}

impl Staging {
    /// Starts a new site for `output` (which need not exist yet).
    pub fn new(output: &Path, atomic: bool) -> Result<Staging> {
        let output = crate::util::fs::absolute(output)?;
        let Some(name) = output.file_name().map(|n| n.to_string_lossy().to_string()) else {
            bail!(
                "the output folder {} has no name; choose a folder such as public/",
                output.display()
            );
        };
        let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
        crate::util::fs::create_dir_all(&parent)?;
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        remove_abandoned(&parent, &[&format!(".{name}.staging-")]);
        let dir = parent.join(format!(".{name}.staging-{}-{n}", std::process::id()));
        crate::util::fs::remove_dir_all_if_exists(&dir)?;
        crate::util::fs::create_dir_all(&dir)?;
        let previous = output.is_dir();
        let mut staging = Staging {
            output,
            dir,
            paths: Mutex::new(HashMap::new()),
            made: Mutex::new(Vec::new()),
            changed: Default::default(),
            atomic,
            committed: false,
            previous,
            marker_new: false,
        };
        // Not counted as a change: it is no part of the site a reader sees.
        staging.marker_new = staging.stage(
            crate::output::guard::MARKER,
            crate::output::guard::MARKER_TEXT.as_bytes(),
        )?;
        Ok(staging)
    }

    /// Checks that a site path such as `2018/08/15/kim/index.html` stays inside the output.
    fn check(site_path: &str) -> Result<&Path> {
        let rel = Path::new(site_path);
        if site_path.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            bail!("refusing to write `{site_path}`: outside the output folder");
        }
        Ok(rel)
    }

    /// Adds one file to the new site; it is staged only if it differs from the current one.
    pub fn write(&self, site_path: &str, contents: impl AsRef<[u8]>) -> Result<()> {
        if self.stage(site_path, contents.as_ref())? {
            self.changed
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    }

    /// Stages one file if it differs from the current one; says whether it did.
    fn stage(&self, site_path: &str, contents: &[u8]) -> Result<bool> {
        let rel = Self::check(site_path)?;
        if let Ok(mut made) = self.made.lock() {
            made.push(site_path.to_string());
        }
        if self.previous && unchanged(&self.output.join(rel), contents) {
            self.remember(site_path, false);
            return Ok(false);
        }
        self.remember(site_path, true);
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            crate::util::fs::create_dir_all(parent)?;
        }
        crate::util::fs::write(&path, contents)?;
        Ok(true)
    }

    /// Adds a copy of a file to the new site.
    pub fn copy(&self, from: &Path, site_path: &str) -> Result<()> {
        let contents = crate::util::fs::read(from)?;
        self.write(site_path, contents)
    }

    /// Marks a file of the current site as part of the new one, unchanged, without
    /// rendering it again (the build cache has checked that it is what the page makes).
    pub fn keep(&self, site_path: &str) -> Result<()> {
        Self::check(site_path)?;
        self.remember(site_path, false);
        Ok(())
    }

    /// The site paths made again so far (written, or the same as before: every path but
    /// those [`Staging::keep`] kept).
    pub fn made(&self) -> Vec<String> {
        self.made.lock().map(|k| k.clone()).unwrap_or_default()
    }

    fn remember(&self, site_path: &str, written: bool) {
        if let Ok(mut paths) = self.paths.lock() {
            *paths.entry(site_path.to_string()).or_default() |= written;
        }
    }

    /// Every site path of the new site so far.
    pub fn paths(&self) -> Vec<String> {
        self.paths
            .lock()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// How many files of the new site differ from the previous one (so far).
    pub fn changed(&self) -> usize {
        self.changed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Makes the new site the output, all at once: files that did not change are
    /// hard-linked from the previous output into the staging folder (so they keep their
    /// modification times), then the two folders trade places in one atomic rename. A
    /// build killed at any moment leaves either the whole previous site or the whole new
    /// one. `previous` lists every file the last build put into this output (from the
    /// build cache), so a build that changed nothing is known without walking the output;
    /// with `None` the output is walked.
    pub fn commit(mut self, previous: Option<Vec<String>>) -> Result<PathBuf> {
        if !self.output.exists() {
            crate::util::fs::rename(&self.dir, &self.output)?;
            self.committed = true;
            return Ok(self.output.clone());
        }
        let paths = std::mem::take(
            &mut *self
                .paths
                .lock()
                .map_err(|_| anyhow::anyhow!("lock poisoned"))?,
        );
        if !self.atomic {
            return self.commit_in_place(paths, previous);
        }
        let has_stale = !self.stale_files(&paths, previous).is_empty();
        if self.changed() == 0 && !has_stale && !self.marker_new {
            // The output already is the new site.
            crate::util::fs::remove_dir_all_if_exists(&self.dir)?;
            self.committed = true;
            return Ok(self.output.clone());
        }
        let kept: Vec<&String> = paths
            .iter()
            .filter(|(_, written)| !**written)
            .map(|(path, _)| path)
            .collect();
        // Folders first (creating one twice is harmless), then the links, both in
        // parallel: on big sites this is most of the commit's time.
        let mut folders: Vec<&Path> = kept
            .iter()
            .filter_map(|p| Path::new(p.as_str()).parent())
            .filter(|d| !d.as_os_str().is_empty())
            .collect();
        folders.sort();
        folders.dedup();
        folders
            .par_iter()
            .try_for_each(|d| crate::util::fs::create_dir_all(&self.dir.join(d)))?;
        kept.par_iter().try_for_each(|path| {
            let (from, to) = (self.output.join(path), self.dir.join(path));
            // A file system without hard links gets a copy.
            if crate::util::fs::hard_link(&from, &to).is_err() {
                crate::util::fs::copy(&from, &to)?;
            }
            Ok::<_, anyhow::Error>(())
        })?;
        self.keep_dot_entries(&paths)?;
        swap(&self.dir, &self.output)?;
        // `dir` now holds the previous site.
        remove_tree(&self.dir)?;
        self.committed = true;
        Ok(self.output.clone())
    }
}

/// Removes a folder and everything in it, its top-level entries in parallel.
fn remove_tree(dir: &Path) -> Result<()> {
    let entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => bail!("could not list {}: {e}", dir.display()),
    };
    entries.par_iter().try_for_each(|path| {
        if path.is_dir() {
            crate::util::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
                .map_err(|e| anyhow::anyhow!("could not remove {}: {e}", path.display()))
        }
    })?;
    crate::util::fs::remove_dir_all_if_exists(dir)
}

/// Removes what builds killed midway left in `dir`: entries named `PREFIX` + `PID-N` (a
/// staging folder `.public.staging-PID-N` beside the output, a cache file
/// `articles.tmp-PID-N`) where process PID no longer runs. Only Linux says cheaply whether a
/// process runs (`/proc/PID`); elsewhere they stay, harmless.
pub fn remove_abandoned(dir: &Path, prefixes: &[&str]) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = prefixes.iter().find_map(|p| file_name.strip_prefix(p)) else {
            continue;
        };
        let pid = rest.split(['-', '.']).next().unwrap_or("");
        if !pid.is_empty()
            && pid.bytes().all(|b| b.is_ascii_digit())
            && !Path::new("/proc").join(pid).exists()
        {
            let _ = match entry.file_type() {
                Ok(kind) if kind.is_dir() => std::fs::remove_dir_all(entry.path()),
                _ => std::fs::remove_file(entry.path()),
            };
        }
    }
}

impl Staging {
    /// Files of the output the new site does not have: those of `previous` (every file the
    /// last build wrote) that it does not list, or with `None` every file found in the
    /// output, top-level dot-entries aside.
    fn stale_files(
        &self,
        paths: &HashMap<String, bool>,
        previous: Option<Vec<String>>,
    ) -> Vec<PathBuf> {
        match previous {
            Some(previous) => previous
                .into_iter()
                .filter(|p| !paths.contains_key(p))
                .map(|p| self.output.join(p))
                .collect(),
            None => walkdir::WalkDir::new(&self.output)
                .min_depth(1)
                .into_iter()
                .filter_entry(|e| !is_kept_dot_entry(e))
                .filter_map(Result::ok)
                .filter(|e| !e.file_type().is_dir())
                .filter(|e| {
                    let rel = e
                        .path()
                        .strip_prefix(&self.output)
                        .map(|r| r.to_string_lossy().replace('\\', "/"));
                    rel.is_ok_and(|r| !paths.contains_key(&r))
                })
                .map(|e| e.into_path())
                .collect(),
        }
    }

    /// Moves new and changed files into the output and removes files the new site lacks.
    fn commit_in_place(
        mut self,
        paths: HashMap<String, bool>,
        previous: Option<Vec<String>>,
    ) -> Result<PathBuf> {
        let stale = self.stale_files(&paths, previous);
        let mut emptied: Vec<PathBuf> = Vec::new();
        for file in &stale {
            match std::fs::remove_file(file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => bail!("could not remove {}: {e}", file.display()),
            }
            emptied.extend(
                file.ancestors()
                    .skip(1)
                    .take_while(|d| *d != self.output)
                    .map(Path::to_path_buf),
            );
        }
        for entry in walkdir::WalkDir::new(&self.dir).min_depth(1) {
            let entry =
                entry.map_err(|e| anyhow::anyhow!("could not list {}: {e}", self.dir.display()))?;
            if entry.file_type().is_file() {
                let target = self.output.join(entry.path().strip_prefix(&self.dir)?);
                if let Some(parent) = target.parent() {
                    crate::util::fs::create_dir_all(parent)?;
                }
                if target.is_dir() {
                    crate::util::fs::remove_dir_all(&target)?;
                }
                crate::util::fs::rename(entry.path(), &target)?;
            }
        }
        // Folders left empty, deepest first; folders that still hold files stay.
        emptied.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        emptied.dedup();
        for dir in emptied {
            let _ = std::fs::remove_dir(dir);
        }
        crate::util::fs::remove_dir_all_if_exists(&self.dir)?;
        self.committed = true;
        Ok(self.output.clone())
    }
}

impl Staging {
    /// Carries over the output's top-level entries whose names start with `.` and that the
    /// build does not write (a `.git` of a gh-pages checkout, `.well-known/`), as Jekyll's
    /// `keep_files` and Zola's `preserve_dotfiles_in_output` do: hard links, folders
    /// recreated, symbolic links copied as links.
    fn keep_dot_entries(&self, paths: &HashMap<String, bool>) -> Result<()> {
        let Ok(entries) = std::fs::read_dir(&self.output) else {
            return Ok(());
        };
        let written_tops: std::collections::HashSet<&str> =
            paths.keys().filter_map(|p| p.split('/').next()).collect();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if !name.starts_with('.') || written_tops.contains(name.as_str()) {
                continue;
            }
            for item in walkdir::WalkDir::new(entry.path()) {
                let item = item.map_err(|e| anyhow::anyhow!("could not list {name}: {e}"))?;
                let to = self.dir.join(item.path().strip_prefix(&self.output)?);
                let kind = item.file_type();
                if kind.is_dir() {
                    crate::util::fs::create_dir_all(&to)?;
                } else if kind.is_symlink() {
                    #[cfg(unix)]
                    {
                        let target = std::fs::read_link(item.path()).map_err(|e| {
                            anyhow::anyhow!("could not read link {}: {e}", item.path().display())
                        })?;
                        std::os::unix::fs::symlink(target, &to)
                            .map_err(|e| anyhow::anyhow!("could not link {}: {e}", to.display()))?;
                    }
                } else if crate::util::fs::hard_link(item.path(), &to).is_err() {
                    crate::util::fs::copy(item.path(), &to)?;
                }
            }
        }
        Ok(())
    }
}

/// A top-level entry of the output whose name starts with `.`: never removed as stale.
fn is_kept_dot_entry(entry: &walkdir::DirEntry) -> bool {
    entry.depth() == 1 && entry.file_name().to_string_lossy().starts_with('.')
}

/// Exchanges two folders atomically (Linux `renameat2` with `RENAME_EXCHANGE`). Where that
/// is not available, the output is moved aside and the new site moved in: two renames, with
/// the previous site kept beside until the second is done.
fn swap(new: &Path, output: &Path) -> Result<()> {
    #[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes());
        if let (Ok(a), Ok(b)) = (c(new), c(output)) {
            // SAFETY: both arguments are valid NUL-terminated paths that outlive the call.
            let done = unsafe {
                libc::renameat2(
                    libc::AT_FDCWD,
                    a.as_ptr(),
                    libc::AT_FDCWD,
                    b.as_ptr(),
                    libc::RENAME_EXCHANGE,
                )
            };
            if done == 0 {
                return Ok(());
            }
        }
    }
    let aside = new.with_extension("previous");
    crate::util::fs::remove_dir_all_if_exists(&aside)?;
    crate::util::fs::rename(output, &aside)?;
    crate::util::fs::rename(new, output)?;
    crate::util::fs::rename(&aside, new)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes one file into `dir` (created if needed) by a temporary name and a rename, so a
/// reader never sees half a file; for outputs that are not a whole site (`gazette
/// newsletter`), where other files in `dir` must stay. Returns the file's path.
pub fn write_file(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> Result<PathBuf> {
    let rel = Staging::check(name)?;
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        crate::util::fs::create_dir_all(parent)?;
    }
    let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    crate::util::fs::write(&temp, contents)?;
    crate::util::fs::rename(&temp, &path)?;
    Ok(path)
}

/// Whether `path` already holds exactly `contents`.
fn unchanged(path: &Path, contents: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == contents.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == contents)
        }
        _ => false,
    }
}
