//! Reading the theme's words: its `themes/NAME/i18n/<language>.toml` files, then the
//! site's own `i18n/<language>.toml` on top. They are looked up by `render::locale`.

use crate::config::SiteConfig;
use anyhow::Result;
use std::path::Path;

/// One file of words, as read.
#[derive(Debug, Clone, Hash)]
pub struct WordFile {
    /// The language its name gives (`ko` for `ko.toml`, `pt-BR` for `pt-BR.toml`).
    pub language: String,
    /// Its file as the site's author knows it (`themes/default/i18n/ko.toml`, `i18n/ko.toml`).
    pub file: String,
    /// Whether it is the site's own (which wins over the theme's).
    pub site: bool,
    pub text: String,
}

/// Reads every word file of the theme, then of the site (missing folders have none).
pub fn read(root: &Path, config: &SiteConfig) -> Result<Vec<WordFile>> {
    let theme = format!("themes/{}/i18n", config.theme);
    let mut files = Vec::new();
    for (dir, site) in [(theme.as_str(), false), ("i18n", true)] {
        let found = crate::util::fs::overlay_files(&[root.join(dir)])?;
        for (name, path) in found {
            let Some(language) = name.strip_suffix(".toml") else {
                continue;
            };
            if language.contains('/') {
                continue;
            }
            files.push(WordFile {
                language: language.to_string(),
                file: format!("{dir}/{name}"),
                site,
                text: crate::util::text::clean(&crate::util::fs::read_to_string(&path)?)
                    .into_owned(),
            });
        }
    }
    Ok(files)
}
