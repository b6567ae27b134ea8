//! Which front matter keys are whose: other tools' keys Gazette leaves as they are, and
//! the key a misspelt one probably meant.

use super::*;

/// The front matter keys of Jekyll, Hugo, Zola and Pelican (and their common themes) that
/// Gazette has no use for, in lower case: posts copied from those tools carry them, and
/// they build as they are, also with `--strict`. (Keys Gazette reads under another name,
/// such as `tags` or `lastmod`, are read; look-alikes of its own keys are suggested.)
pub(super) const OTHER_TOOLS_KEYS: &[&str] = &[
    // Jekyll and its themes
    "layout",
    "comments",
    "excerpt_separator",
    "sitemap",
    "last_modified_at",
    "render_with_liquid",
    "share",
    "toc",
    "toc_label",
    "toc_sticky",
    "header",
    "feature",
    "classes",
    "sidebar",
    "author_profile",
    "related",
    "read_time",
    "teaser",
    "seo",
    "redirect_to",
    "pin",
    "sticky",
    "locale",
    "ref",
    "og_image",
    "canonical_url",
    "keywords",
    "search",
    "type",
    "mathjax",
    "math",
    "show_date",
    "subtitle",
    // Hugo and its themes
    "weight",
    "menu",
    "outputs",
    "headless",
    "iscjklanguage",
    "linktitle",
    "markup",
    "resources",
    "series",
    "translationkey",
    "url",
    "cascade",
    "build",
    "params",
    "kind",
    "images",
    "videos",
    "audio",
    "featured_image",
    "featuredimage",
    "showtoc",
    "tocopen",
    "hidemeta",
    "showreadingtime",
    "showbreadcrumbs",
    "showpostnavlinks",
    "cover",
    "disableshare",
    "hidesummary",
    "searchhidden",
    "canonicalurl",
    "robotsnoindex",
    // Zola
    "template",
    "render",
    "in_search_index",
    "insert_anchor_links",
    "path",
    "page_template",
    "sort_by",
    "paginate_by",
    "transparent",
    "generate_feeds",
    // Pelican
    "status",
    "save_as",
    "modified",
];

/// Whether `key` is one of [`OTHER_TOOLS_KEYS`] (in any case: Hugo writes `linkTitle`).
pub fn is_other_tools_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    OTHER_TOOLS_KEYS.contains(&lower.as_str())
}

/// Suggests a known key for an unknown one (`tags` -> `topics`).
pub fn suggest_key(key: &str) -> Option<&'static str> {
    match key {
        "tags" | "categories" | "category" | "tag" | "topic" => Some("topics"),
        // (`description`, `excerpt`, `lastmod` and `published` are read, not suggested.)
        "abstract" => Some("summary"),
        "link" | "original" | "via" => Some("source"),
        "last_modified" => Some("updated"),
        "pubdate" | "publishdate" => Some("date"),
        "authors" | "by" => Some("author"),
        "drafts" | "draf" => Some("draft"),
        "expires" | "expiry" | "expirydate" | "unpublish" => Some("expiry_date"),
        "thread" | "storyline" | "stories" => Some("story"),
        _ => crate::config::FRONT_MATTER_KEYS
            .iter()
            .copied()
            .find(|k| edit_distance(k, key) <= 2 && key.len() > 3),
    }
}
