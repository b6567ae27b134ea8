//! Reading a site's templates: which files they come from (its theme's `templates/`, then
//! the site's own `templates/` on top) and their text. They are compiled by `render`.

use crate::config::SiteConfig;
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One template as read from its file.
pub struct TemplateSource {
    /// The name templates use for it (`feeds/atom.xml`).
    pub name: String,
    /// Its file as the site's author knows it (`themes/default/templates/feeds/atom.xml`).
    pub file: String,
    pub text: String,
}

/// Reads every template of the site at `root`.
pub fn read(root: &Path, config: &SiteConfig) -> Result<Vec<TemplateSource>> {
    template_files(root, config)?
        .into_iter()
        .map(|(name, path)| {
            Ok(TemplateSource {
                file: user_path(&path, &name),
                text: crate::util::fs::read_to_string(&path)?,
                name,
            })
        })
        .collect()
}

/// The template files of a site: its theme's, then the site's own `templates/` on top.
pub fn template_files(root: &Path, config: &SiteConfig) -> Result<BTreeMap<String, PathBuf>> {
    let theme_dir = root.join("themes").join(&config.theme).join("templates");
    if !theme_dir.is_dir() {
        return Err(crate::problem::Problem::new(
            "site.toml",
            crate::problem::key_line(&crate::util::fs::read_to_string(&root.join("site.toml")).unwrap_or_default(), "theme"),
            format!("theme \"{}\" not found: there is no folder themes/{}/templates/; copy the default theme there or fix `theme`", config.theme, config.theme),
        )
        .into());
    }
    crate::util::fs::overlay_files(&[theme_dir, root.join("templates")])
}

/// A template's file as the site's author knows it: `templates/x.html` for the site's own,
/// `themes/NAME/templates/x.html` for the theme's.
fn user_path(path: &Path, name: &str) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    let depth = name.split('/').count();
    let Some(at) = parts.len().checked_sub(depth + 1) else {
        return name.to_string();
    };
    let start = if at >= 2 && parts[at - 2] == "themes" {
        at - 2
    } else {
        at
    };
    parts[start..].join("/")
}
