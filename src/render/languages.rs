//! A site in several languages, as pages show it: each page's translations (for
//! `<link rel="alternate" hreflang>`, the sitemap and the language switch), and every
//! language's front page.

use super::Locale;
use crate::config::SiteConfig;
use crate::model::languages::TreePage;
use crate::model::Digest;
use crate::model::TreeId;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// A page in one of the site's languages (the `translations` and `site.languages` of
/// templates).
#[derive(Debug, Clone, Hash, Serialize, PartialEq, Eq)]
pub struct Translation {
    /// Its language as `hreflang` and `lang` take it (`ko`).
    pub lang: String,
    /// The language's name in itself (`한국어`): the theme's word `language_name`.
    pub name: String,
    /// Its root-relative URL (`/ko/2018/08/15/kim/`).
    pub url: String,
    /// Its absolute URL, percent-encoded.
    pub href: String,
    /// Whether it is the page being rendered (or its language's front page for it).
    pub current: bool,
    /// Whether it is in the site's default language (`hreflang="x-default"`).
    pub default: bool,
}

/// What one tree's pages know of the other languages; empty in a site in one language.
#[derive(Debug, Default)]
pub struct Languages {
    /// Every language's front page, the default language's first.
    pub fronts: Vec<Translation>,
    /// The tree's pages that another language has too, by site path: the page in each
    /// language (itself included).
    pages: HashMap<String, Arc<[Translation]>>,
}

impl Languages {
    /// What each tree knows (in the order of `trees`: the default language's first).
    pub fn of(trees: &[(&SiteConfig, &Digest, &Locale)]) -> Vec<Languages> {
        if trees.len() < 2 {
            return trees.iter().map(|_| Languages::default()).collect();
        }
        let digests: Vec<(&SiteConfig, &Digest)> = trees.iter().map(|(c, d, _)| (*c, *d)).collect();
        let found = crate::model::languages::translations(&digests);
        let make = |here: TreeId, page: &TreePage| {
            let (config, _, locale) = trees[page.tree.index()];
            let name = locale.word("language_name");
            // (A language the theme has no words for is named by its code, not "English".)
            let english = name == "English" && !config.language.starts_with("en");
            Translation {
                lang: config.language.clone(),
                name: if english {
                    config.language.clone()
                } else {
                    name.to_string()
                },
                url: config.root_url(&page.path),
                href: config.absolute_url(&page.path),
                current: page.tree == here,
                default: page.tree == TreeId::new(0),
            }
        };
        TreeId::all(found.len())
            .zip(found)
            .map(|(here, pages)| Languages {
                fronts: TreeId::all(trees.len())
                    .map(|tree| {
                        make(
                            here,
                            &TreePage {
                                tree,
                                path: String::new(),
                            },
                        )
                    })
                    .collect(),
                pages: pages
                    .into_iter()
                    .map(|(path, list)| (path, list.iter().map(|p| make(here, p)).collect()))
                    .collect(),
            })
            .collect()
    }

    /// The page at `path` in every language that has it, or `None` when only this one does.
    pub fn of_page(&self, path: &str) -> Option<Arc<[Translation]>> {
        self.pages.get(path).cloned()
    }
}
