//! The digest's source links: which article already cites a story (for `add`), and the
//! warnings `build` and `check` give about them: two articles citing the same story, and a
//! source address with tracking parameters. Addresses are compared by
//! [`crate::util::url::story_key`].

use crate::problem::Problem;
use crate::source::articles::LoadedArticle;
use crate::util::url::{clean, has_tracking, story_key};
use std::collections::HashMap;

/// An article file that cites a story: its path and the line of `source:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub path: String,
    pub line: usize,
}

impl std::fmt::Display for Citation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
    }
}

fn citation(article: &LoadedArticle) -> Citation {
    Citation {
        path: article.path.clone(),
        line: article.front.source_line,
    }
}

/// The first article (by path) whose source is the same story as `url`.
pub fn cited_by(articles: &[LoadedArticle], url: &str) -> Option<Citation> {
    let key = story_key(url);
    articles
        .iter()
        .find(|a| {
            a.front
                .source
                .as_ref()
                .is_some_and(|s| story_key(&s.url) == key)
        })
        .map(citation)
}

/// Every cited story by its [`story_key`]: the first article (by path) citing it, as
/// [`cited_by`] finds it, for many look-ups at once.
pub fn citations(articles: &[LoadedArticle]) -> std::collections::HashMap<String, Citation> {
    let mut found = std::collections::HashMap::new();
    for article in articles {
        if let Some(source) = &article.front.source {
            found
                .entry(story_key(&source.url))
                .or_insert_with(|| citation(article));
        }
    }
    found
}

/// The site path of `article`'s page (`2018/08/16/kerala-floods/`) when it has a date,
/// whether or not a build publishes it (`serve` previews drafts too).
pub fn url_path(config: &crate::config::SiteConfig, article: &LoadedArticle) -> Option<String> {
    let local = article
        .front
        .date?
        .with_timezone(&config.timezone)
        .naive_local();
    Some(super::article_url_path(
        config,
        local,
        &super::article_slug(config, article),
    ))
}

/// The warnings about source links: each article that cites a story an earlier one (by
/// path) cites too, unless both follow the same `story:`, and each source address with
/// tracking parameters. Sorted by path.
pub fn source_warnings(articles: &[LoadedArticle]) -> Vec<Problem> {
    let mut first: HashMap<String, &LoadedArticle> = HashMap::new();
    let mut warnings = Vec::new();
    for article in articles {
        let Some(source) = &article.front.source else {
            continue;
        };
        let here = citation(article);
        if has_tracking(&source.url) {
            warnings.push(Problem::new(
                &here.path,
                Some(here.line),
                format!(
                    "the source address has tracking parameters; cite the clean address instead: {}",
                    clean(&source.url)
                ),
            ));
        }
        let earlier = *first.entry(story_key(&source.url)).or_insert(article);
        let same_story =
            earlier.front.story.is_some() && earlier.front.story == article.front.story;
        if !std::ptr::eq(earlier, article) && !same_story {
            warnings.push(Problem::new(
                &here.path,
                Some(here.line),
                format!(
                    "cites the same story as {}; if both follow it, give them the same `story:`, else remove one",
                    citation(earlier)
                ),
            ));
        }
    }
    warnings.sort();
    warnings
}
