//! `site.toml` as written: the keys it may hold and their defaults, before checking.

use super::*;

/// A renamed topic or outlet in site.toml: its old names.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Renamed {
    #[serde(default)]
    pub(super) aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) title: String,
    #[serde(default)]
    pub(super) description: String,
    pub(super) base_url: String,
    #[serde(default = "default_language")]
    pub(super) language: String,
    #[serde(default = "default_timezone")]
    pub(super) timezone: String,
    #[serde(default = "default_paginate_by")]
    pub(super) paginate_by: i64,
    #[serde(default = "default_paginate_later_by")]
    pub(super) paginate_later_by: i64,
    #[serde(default = "default_article_path")]
    pub(super) article_path: String,
    #[serde(default = "default_theme")]
    pub(super) theme: String,
    pub(super) author: Option<String>,
    #[serde(default = "default_feed_limit")]
    pub(super) feed_limit: i64,
    #[serde(default = "default_topic_feed_limit")]
    pub(super) topic_feed_limit: i64,
    pub(super) cname: Option<String>,
    #[serde(default = "default_minify")]
    pub(super) minify: bool,
    #[serde(default = "default_max_article_mb")]
    pub(super) max_article_mb: i64,
    #[serde(default = "default_true")]
    pub(super) unsafe_html: bool,
    #[serde(default)]
    pub(super) keep_image_metadata: bool,
    pub(super) topic_keys: Option<Vec<String>>,
    pub(super) author_keys: Option<Vec<String>>,
    pub(super) editions: Option<String>,
    #[serde(default)]
    pub(super) redirects: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub(super) topics: std::collections::BTreeMap<String, Renamed>,
    #[serde(default)]
    pub(super) sources: std::collections::BTreeMap<String, Renamed>,
    #[serde(default)]
    pub(super) style: ThemeLook,
    #[serde(default)]
    pub(super) inbox: InboxSettings,
    #[serde(default)]
    pub(super) newsletter: NewsletterSettings,
    #[serde(default)]
    pub(super) archive: ArchiveSettings,
    #[serde(default)]
    pub(super) feeds: FeedSettings,
    #[serde(default)]
    pub(super) social: SocialSettings,
    #[serde(default)]
    pub(super) languages: std::collections::BTreeMap<String, toml::Table>,
    #[serde(default)]
    pub(super) extra: toml::Table,
}

pub(super) fn default_true() -> bool {
    true
}

pub(super) fn default_language() -> String {
    "en".into()
}

pub(super) fn default_timezone() -> String {
    "UTC".into()
}

pub(super) fn default_paginate_by() -> i64 {
    20
}

pub(super) fn default_paginate_later_by() -> i64 {
    500
}

pub(super) fn default_minify() -> bool {
    true
}

pub(super) fn default_article_path() -> String {
    "{year}/{month}/{day}/{slug}/".into()
}

pub(super) fn default_theme() -> String {
    "default".into()
}

pub(super) fn default_max_article_mb() -> i64 {
    4
}

pub(super) fn default_feed_limit() -> i64 {
    50
}

pub(super) fn default_topic_feed_limit() -> i64 {
    10
}
