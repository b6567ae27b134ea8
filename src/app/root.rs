//! Where the site a command works on is: `--root`, else the nearest folder up that holds
//! `site.toml`.

use anyhow::Result;
use std::path::PathBuf;

/// The site's folder: `--root` as given, else the nearest folder from the current one up
/// that holds site.toml (as git and cargo look for theirs).
pub fn site_root(root: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(root) = root {
        return Ok(root);
    }
    let here = std::env::current_dir()?;
    match here.ancestors().find(|dir| dir.join("site.toml").is_file()) {
        Some(dir) if dir == here => Ok(PathBuf::from(".")),
        Some(dir) => Ok(dir.to_path_buf()),
        None => Err(crate::problem::Problem::new(
            "site.toml",
            None,
            format!(
                "not found in {} or any folder above it; run gazette inside your digest's folder, pass --root DIR, or start a digest with `gazette init DIR`",
                here.display()
            ),
        )
        .into()),
    }
}
