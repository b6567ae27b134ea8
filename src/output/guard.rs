//! The output guard: decides, before anything is moved, whether a folder may become the
//! built site. A build replaces everything in its output (top-level dot entries aside), so
//! the output may never be the site itself, a folder above it, one of its source folders,
//! `/`, a home folder, a file, or a folder holding files that no Gazette build wrote.

use anyhow::{bail, Result};
use std::path::{Component, Path, PathBuf};

/// The file every build puts at the top of its output, so that the next build knows the
/// folder is its own (even after `.gazette-cache/` was deleted).
pub const MARKER: &str = ".gazette-output";

/// What the marker file says to whoever opens it.
pub const MARKER_TEXT: &str = "This folder is a site built by Gazette. Every build replaces \
what is in it, except top-level entries whose names start with a dot.\n";

/// The site's folders of sources: an output inside one would replace (or publish) them.
const SOURCE_FOLDERS: [&str; 5] = ["content", "themes", "templates", "static", "data"];

/// What the caller knows about the folder beyond its contents.
#[derive(Debug, Clone, Copy, Default)]
pub struct Permission {
    /// `--force`: a folder holding files that Gazette did not write may be replaced.
    pub force: bool,
    /// The build cache lists files that an earlier build wrote into this very folder (so
    /// an output built before the marker existed is still recognised as Gazette's own).
    pub cached: bool,
}

/// Checks that `output` (as the user gave it) may be replaced by a site built from `root`,
/// and returns the folder to write: absolute, with symbolic links followed, so an output
/// that is a link to a deploy folder stays a link and the site goes into the folder it
/// points to. Nothing is changed on disk.
pub fn check_output(root: &Path, output: &Path, permission: Permission) -> Result<PathBuf> {
    // `./public` (the default output of the default root) is shown as `public`.
    let output = match output.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest,
        _ => output,
    };
    let shown = output.display();
    let root = crate::util::fs::canonicalize(root)?;
    let real = resolve(output)?;
    check_kind(output, &real)?;
    if real == root {
        bail!(
            "refusing to build into {shown}: it is the site's own folder, and a build replaces \
             everything in its output (site.toml, content/ and themes/ would be lost); \
             choose a folder inside it, such as {}",
            root.join("public").display()
        );
    }
    if root.starts_with(&real) {
        bail!(
            "refusing to build into {shown}: it holds the site's folder {}, and a build \
             replaces everything in its output; choose a folder inside the site, such as {}",
            root.display(),
            root.join("public").display()
        );
    }
    for dir in SOURCE_FOLDERS {
        let source = resolve(&root.join(dir))?;
        if real.starts_with(&source) {
            bail!(
                "refusing to build into {shown}: it is inside the site's {dir}/ folder, whose \
                 files a build would replace or publish; choose a folder outside {dir}/, such as {}",
                root.join("public").display()
            );
        }
    }
    check_home(&shown.to_string(), &real)?;
    check_contents(&shown.to_string(), &real, permission)?;
    Ok(real)
}

/// The file `serve` writes first into its folder (`.serve/`) and removes last, so a
/// `.serve/` whose removal was cut short (a second Ctrl-C, a kill) is still known as its.
pub const SERVE_MARKER: &str = ".gazette-serve";

/// Checks that `serve`'s own folder (`.serve/`, removed and made anew at each start) holds
/// nothing but what an earlier `serve` left there: its marker and anything beside it, or
/// (from a serve before the marker) a `site/` with the output marker (or empty), staging
/// folders, or nothing.
pub fn check_serve_folder(work: &Path) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(work) else {
        return Ok(());
    };
    let marked = || {
        std::fs::symlink_metadata(work.join(SERVE_MARKER)).is_ok_and(|m| m.file_type().is_file())
    };
    let own = meta.is_dir() && marked()
        || meta.is_dir()
            && std::fs::read_dir(work).is_ok_and(|entries| {
                entries.flatten().all(|e| {
                    let name = e.file_name().to_string_lossy().to_string();
                    // A serve killed midway leaves its staging folders beside the site.
                    name.starts_with(".site.staging-")
                        || (name == "site"
                            && (e.path().join(MARKER).is_file() || is_empty(&e.path())))
                })
            });
    if !own {
        bail!(
            "refusing to start: {} is not a folder that `gazette serve` made (serve replaces it \
             at every start); move it away or rename it",
            work.display()
        );
    }
    Ok(())
}

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// Refuses a file, or a symbolic link that leads nowhere.
fn check_kind(output: &Path, real: &Path) -> Result<()> {
    let shown = output.display();
    match std::fs::symlink_metadata(output) {
        Ok(meta) if meta.file_type().is_symlink() && !real.exists() => {
            let target = std::fs::read_link(output).unwrap_or_default();
            bail!(
                "refusing to build into {shown}: it is a symbolic link to {}, which does not \
                 exist; create that folder or remove the link",
                target.display()
            )
        }
        _ => {}
    }
    if real.exists() && !real.is_dir() {
        bail!(
            "refusing to build into {shown}: it is a file, not a folder; move the file away \
             or choose another --output"
        );
    }
    Ok(())
}

/// Refuses `/`, a home folder and the folders above one.
fn check_home(shown: &str, real: &Path) -> Result<()> {
    let mut homes: Vec<PathBuf> = vec![PathBuf::from("/root")];
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        homes.push(resolve(Path::new(&home))?);
    }
    let is_home = homes.iter().any(|home| home.starts_with(real))
        || real.parent() == Some(Path::new("/home"))
        || real.parent() == Some(Path::new("/Users"));
    if real.parent().is_none() || is_home {
        bail!(
            "refusing to build into {shown}: it is {}, and a build replaces everything in its \
             output; choose a folder inside the site, such as public/",
            if real.parent().is_none() {
                "the file system's root".to_string()
            } else {
                format!("the home folder {} or a folder above one", real.display())
            }
        );
    }
    Ok(())
}

/// Refuses a folder that holds files no Gazette build wrote, unless forced.
fn check_contents(shown: &str, real: &Path, permission: Permission) -> Result<()> {
    if permission.force || permission.cached || real.join(MARKER).is_file() {
        return Ok(());
    }
    let Ok(entries) = std::fs::read_dir(real) else {
        return Ok(());
    };
    let mut foreign: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| !name.starts_with('.'))
        .collect();
    foreign.sort();
    if let Some(first) = foreign.first() {
        bail!(
            "refusing to build into {shown}: it holds files that no Gazette build wrote (such \
             as {first}), and a build replaces everything in its output except top-level dot \
             entries; empty it, choose another --output, or pass --force to replace its contents"
        );
    }
    Ok(())
}

/// `path` made absolute, with `.` and `..` taken out and every symbolic link of its
/// existing part followed (the part that does not exist yet is kept as written).
pub fn resolve(path: &Path) -> Result<PathBuf> {
    let absolute = crate::util::fs::absolute(path)?;
    let mut real = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => real.push(component.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                real.pop();
            }
            Component::Normal(name) => {
                real.push(name);
                if let Ok(resolved) = std::fs::canonicalize(&real) {
                    real = resolved;
                }
            }
        }
    }
    Ok(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_takes_out_dots_and_keeps_missing_parts() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(base.join("site")).unwrap();
        let path = base.join("site/./missing/../public");
        assert_eq!(resolve(&path).unwrap(), base.join("site/public"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.join("site"), base.join("link")).unwrap();
            assert_eq!(resolve(&base.join("link/x")).unwrap(), base.join("site/x"));
        }
    }
}
