//! The only code that writes the output folder. A build writes a complete new site into a
//! staging folder beside the output and swaps it in only when everything succeeded, so a
//! failed build leaves the previous site exactly as it was.

use anyhow::{bail, Result};
use std::path::{Component, Path, PathBuf};

/// A new site being written. Dropped without `commit`, it removes itself.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Starts a new site for `output` (which need not exist yet).
    pub fn new(output: &Path) -> Result<Staging> {
        let output = absolute(output)?;
        let Some(name) = output.file_name().map(|n| n.to_string_lossy().to_string()) else {
            bail!(
                "the output folder {} has no name; choose a folder such as public/",
                output.display()
            );
        };
        let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
        crate::fs::create_dir_all(&parent)?;
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        crate::fs::remove_dir_all_if_exists(&dir)?;
        crate::fs::create_dir_all(&dir)?;
        Ok(Staging {
            output,
            dir,
            committed: false,
        })
    }

    /// Where the new site is being written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file for a site path such as `2018/08/15/kim/index.html`. Refuses any path that
    /// could leave the output folder.
    pub fn path_for(&self, site_path: &str) -> Result<PathBuf> {
        let rel = Path::new(site_path);
        if site_path.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            bail!("refusing to write `{site_path}`: outside the output folder");
        }
        Ok(self.dir.join(rel))
    }

    /// Writes one file of the new site.
    pub fn write(&self, site_path: &str, contents: impl AsRef<[u8]>) -> Result<()> {
        let path = self.path_for(site_path)?;
        if let Some(parent) = path.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        crate::fs::write(&path, contents)
    }

    /// Copies a file into the new site.
    pub fn copy(&self, from: &Path, site_path: &str) -> Result<()> {
        let path = self.path_for(site_path)?;
        if let Some(parent) = path.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        crate::fs::copy(from, &path)
    }

    /// Replaces the output folder with the new site.
    pub fn commit(mut self) -> Result<PathBuf> {
        let old = self.dir.with_file_name(format!(
            ".{}.old-{}",
            self.output
                .file_name()
                .unwrap_or_default()
                .to_string_lossy(),
            std::process::id()
        ));
        let had_output = self.output.exists();
        if had_output {
            crate::fs::rename(&self.output, &old)?;
        }
        if let Err(e) = crate::fs::rename(&self.dir, &self.output) {
            if had_output {
                // Put the previous site back before reporting.
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(e);
        }
        self.committed = true;
        if had_output {
            crate::fs::remove_dir_all_if_exists(&old)?;
        }
        Ok(self.output.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(path))
    }
}
