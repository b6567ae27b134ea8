//! `site.toml`: the site's settings (`SiteConfig`), as written with their defaults
//! (`raw`), and their validation (`check`).

use crate::problem::{key_line, Problem};
use anyhow::Result;
use chrono_tz::Tz;
use serde::Deserialize;
use std::path::Path;

mod check;
mod raw;
use check::*;
use raw::*;

/// The settings of one site, validated.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    /// Absolute, always ends with `/` (e.g. `https://user.github.io/digest/`).
    pub base_url: String,
    /// The path part of `base_url`; starts and ends with `/` (e.g. `/digest/`).
    pub base_path: String,
    /// The path of the whole site's root, where the static files are: the same as
    /// `base_path` but in a language's tree (`base_path` `/ko/`, `static_path` `/`).
    pub static_path: String,
    pub language: String,
    /// The site's other languages (`[languages.<code>]`), by code; each has its own tree
    /// under `/<code>/` (see [`SiteConfig::tree`]). The same list in every tree's config.
    pub languages: Vec<Language>,
    /// The default language (`language`), which is at the root; the same in every tree.
    pub default_language: String,
    pub timezone: Tz,
    pub paginate_by: usize,
    /// Articles on each page of a list after the first (`paginate_later_by`, default 500),
    /// where the default theme lists headlines.
    pub paginate_later_by: usize,
    /// URL pattern of an article, relative to `base_url`: `{year}/{month}/{day}/{slug}/`.
    pub article_path: String,
    pub theme: String,
    pub author: Option<String>,
    pub feed_limit: usize,
    /// Entries in each topic's feeds (`topic_feed_limit`, default 10); they carry
    /// summaries, the site's feed whole articles.
    pub topic_feed_limit: usize,
    pub cname: Option<String>,
    pub minify: bool,
    /// The largest article file read, in megabytes (`max_article_mb`, default 4).
    pub max_article_mb: u64,
    /// Whether raw HTML in article bodies is kept as written (`unsafe_html = true`, the
    /// default) or cleaned by a sanitiser that drops scripts, styles and event handlers.
    pub unsafe_html: bool,
    /// Keep photos' EXIF and XMP metadata (GPS positions included) in the published
    /// versions (`keep_image_metadata = true`); stripped by default.
    pub keep_image_metadata: bool,
    /// Front-matter keys read as topics, and as the author (`topic_keys`, `author_keys`).
    pub topic_keys: Vec<String>,
    pub author_keys: Vec<String>,
    /// How articles group into editions: one a day, or one an ISO week.
    pub editions: Cadence,
    /// Old site paths and where they moved (`[redirects]`: `"old/path/" = "new/path/"`).
    pub redirects: Vec<(String, String)>,
    /// Renamed topics and outlets: each name with its old names (`[topics."European
    /// Union"] aliases = ["EU"]`, `[sources."The Times"] aliases = ["Times"]`).
    pub topic_aliases: Vec<(String, Vec<String>)>,
    pub source_aliases: Vec<(String, Vec<String>)>,
    /// The default theme's colours and fonts (`[style]`), for its CSS custom properties.
    pub look: ThemeLook,
    pub inbox: InboxSettings,
    pub newsletter: NewsletterSettings,
    pub archive: ArchiveSettings,
    pub feeds: FeedSettings,
    pub social: SocialSettings,
    /// Whether the site has `static/custom.css`, which the default theme links after its own.
    pub custom_css: bool,
    /// A warning while `base_url` is still the placeholder `gazette init` wrote
    /// (example.com): feeds, the sitemap and newsletters would point there.
    pub placeholder: Option<Problem>,
    pub extra: serde_json::Value,
}

impl ThemeLook {
    /// The CSS that sets these values over the default theme's custom properties
    /// (`:root{--accent-light:#0b5394}`), or `None` when none is set.
    pub fn css(&self) -> Option<String> {
        let props = [
            ("--accent-light", &self.accent),
            ("--accent-dark", &self.accent_dark),
            ("--font-headline", &self.font_headline),
            ("--font-body", &self.font_body),
        ];
        let set: Vec<String> = props
            .iter()
            .filter_map(|(name, value)| Some(format!("{name}:{}", value.as_deref()?.trim())))
            .collect();
        (!set.is_empty()).then(|| format!(":root{{{}}}", set.join(";")))
    }
}

/// One of the site's other languages: `[languages.ko]` with what it changes.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    /// The site's settings with the table's keys over them (its `[extra]` and `[style]`
    /// keys over the site's), checked as a whole site.toml is.
    pub settings: Box<SiteConfig>,
}

/// `[style]` in site.toml: a few values the default theme puts into its CSS custom
/// properties, so a site changes its colours and fonts without copying `style.css`.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct ThemeLook {
    /// Links, labels and rules, light scheme (`accent = "#0b5394"`).
    pub accent: Option<String>,
    /// The same in the dark scheme (`accent_dark = "#9fc5f8"`).
    pub accent_dark: Option<String>,
    /// Headlines and the masthead (`font_headline = "Georgia, serif"`).
    pub font_headline: Option<String>,
    /// Everything else (`font_body = "system-ui, sans-serif"`).
    pub font_body: Option<String>,
}

/// `[inbox]`: how the curator's inbox behaves.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct InboxSettings {
    /// Items older than this many days leave the inbox (`keep_days = 14`).
    #[serde(default = "default_keep_days")]
    pub keep_days: u32,
}

impl Default for InboxSettings {
    fn default() -> Self {
        InboxSettings {
            keep_days: default_keep_days(),
        }
    }
}

fn default_keep_days() -> u32 {
    14
}

/// `[newsletter]`: how `gazette newsletter --send` delivers an edition. Secrets are never
/// here: only the names of the environment variables that hold them.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct NewsletterSettings {
    /// `"smtp"` or `"buttondown"`.
    pub send_with: Option<String>,
    /// `The Morning Brief <brief@example.org>`.
    pub from: Option<String>,
    /// SMTP: the list address(es).
    #[serde(default)]
    pub to: Vec<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    /// `"tls"` (implicit), `"starttls"` (the default) or `"none"` (loopback servers only).
    pub smtp_security: Option<String>,
    pub smtp_user_env: Option<String>,
    pub smtp_password_env: Option<String>,
    /// A PEM certificate to trust besides the system's (a relative path is from the site).
    pub smtp_ca_file: Option<String>,
    /// Default `https://api.buttondown.com/v1`.
    pub buttondown_api: Option<String>,
    /// Default `BUTTONDOWN_API_KEY`.
    pub buttondown_key_env: Option<String>,
    /// `"draft"` (the default), `"about_to_send"` or `"scheduled"`.
    pub buttondown_status: Option<String>,
    /// An `https://` or `mailto:` address: `List-Unsubscribe` (and `-Post` for https).
    pub list_unsubscribe: Option<String>,
    /// Seconds to connect, to send or for an API call (default 30).
    pub timeout_s: Option<u64>,
    /// The Pages workflow sends the newest edition after each deploy (`--on-deploy`).
    #[serde(default)]
    pub send_on_deploy: bool,
}

/// `[feeds]`: where feed readers learn of new entries at once.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct FeedSettings {
    /// A WebSub hub (`https://pubsubhubbub.appspot.com/`): the feeds name it, and `gazette
    /// ping` tells it which feeds changed.
    pub websub_hub: Option<String>,
}

/// `[social]`: the digest's profiles in the fediverse.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct SocialSettings {
    /// Profiles that link back to the site (`<link rel="me">`, which Mastodon verifies).
    #[serde(default)]
    pub me: Vec<String>,
    /// The fediverse account credited when an article is shared (`@digest@mastodon.social`).
    pub fediverse_creator: Option<String>,
}

/// `[archive]`: where `gazette archive` finds and asks for archived copies.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct ArchiveSettings {
    /// The Internet Archive's availability API.
    #[serde(default = "default_availability_api")]
    pub availability_api: String,
    /// Its Save Page Now API.
    #[serde(default = "default_save_api")]
    pub save_api: String,
    /// The environment variable holding Save Page Now keys (`accesskey:secret`); without
    /// it, captures are anonymous.
    pub archive_keys_env: Option<String>,
    /// Seconds between two captures.
    #[serde(default = "default_capture_interval")]
    pub capture_interval_s: u64,
    /// Also every outbound link in article bodies, not only cited sources.
    #[serde(default)]
    pub all_links: bool,
    /// The Pages workflow runs `gazette archive` on its daily schedule.
    #[serde(default)]
    pub on_schedule: bool,
    /// `add` and the inbox's draft ask for an archived copy of the story they draft.
    #[serde(default)]
    pub capture_on_add: bool,
}

impl Default for ArchiveSettings {
    fn default() -> Self {
        ArchiveSettings {
            availability_api: default_availability_api(),
            save_api: default_save_api(),
            archive_keys_env: None,
            capture_interval_s: default_capture_interval(),
            all_links: false,
            on_schedule: false,
            capture_on_add: false,
        }
    }
}

fn default_availability_api() -> String {
    "https://archive.org/wayback/available".into()
}

fn default_save_api() -> String {
    "https://web.archive.org/save".into()
}

fn default_capture_interval() -> u64 {
    5
}

/// How often an edition comes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cadence {
    /// One edition a day: `/YYYY/MM/DD/`.
    Daily,
    /// One edition an ISO week (Monday to Sunday): `/YYYY/wNN/`.
    Weekly,
}

pub const DEFAULT_TOPIC_KEYS: &[&str] = &["topics", "tags", "categories", "category"];
pub const DEFAULT_AUTHOR_KEYS: &[&str] = &["author", "authors"];

/// Gazette's own front matter keys (`source::front_matter` reads them, and suggests them
/// for misspelt ones).
pub const FRONT_MATTER_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "topics",
    "summary",
    "source",
    "image",
    "author",
    "slug",
    "draft",
    "extra",
    "story",
    "lang",
    "publish_date",
    "expiry_date",
    "aliases",
    "redirect_from",
    "permalink",
    "taxonomies",
];

/// Other tools' names that Gazette reads as its own keys (`published: false` as a draft,
/// `lastmod` as `updated`, `description` and `excerpt` as `summary`).
pub const READ_AS_OWN_KEYS: &[&str] = &["published", "lastmod", "description", "excerpt"];

impl SiteConfig {
    /// Reads `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<SiteConfig> {
        let path = root.join("site.toml");
        if !path.is_file() {
            return Err(Problem::new(
                "site.toml",
                None,
                format!(
                    "not found in {}; run `gazette init DIR` to start a site, or pass --root",
                    root.display()
                ),
            )
            .into());
        }
        // (Without the characters that are not text: a title's ESC would reach every page.)
        let text = crate::util::text::clean(&crate::util::fs::read_to_string(&path)?).into_owned();
        let mut config = SiteConfig::parse(&text)?;
        config.custom_css = root.join("static").join("custom.css").is_file();
        Ok(config)
    }

    /// Parses and validates the text of a `site.toml`.
    pub fn parse(text: &str) -> Result<SiteConfig, Problem> {
        let check = Check { text };
        let raw = check.raw()?;
        let (base_url, base_path) = check.base(&raw)?;
        let timezone = check.timezone(&raw)?;
        check.numbers(&raw)?;
        let article_path = check.article_path(&raw)?;
        let (topic_keys, author_keys) = check.key_lists(&raw)?;
        let editions = check.editions(&raw)?;
        check.language(&raw.language)?;
        let languages = check.languages(&raw)?;
        check.theme(&raw.theme)?;
        let mut extra = serde_json::to_value(&raw.extra).unwrap_or(serde_json::Value::Null);
        crate::util::text::clean_json(&mut extra);
        let (topic_aliases, source_aliases) = (renamed(&raw.topics), renamed(&raw.sources));
        check.style(&raw.style)?;
        check.reach(&raw.feeds, &raw.social)?;
        let placeholder = placeholder_warning(&base_url, key_line(text, "base_url"));
        // The words pages show, without what is not text (TOML's "\u001b" escapes).
        let clean = |s: String| crate::util::text::clean(&s).into_owned();
        Ok(SiteConfig {
            title: clean(raw.title),
            description: clean(raw.description),
            base_url,
            static_path: base_path.clone(),
            base_path,
            default_language: raw.language.clone(),
            language: raw.language,
            languages,
            timezone,
            paginate_by: raw.paginate_by as usize,
            paginate_later_by: raw.paginate_later_by as usize,
            article_path,
            theme: raw.theme,
            author: raw.author.map(clean),
            feed_limit: raw.feed_limit as usize,
            topic_feed_limit: raw.topic_feed_limit as usize,
            cname: raw.cname.filter(|c| !c.trim().is_empty()),
            minify: raw.minify,
            max_article_mb: raw.max_article_mb as u64,
            unsafe_html: raw.unsafe_html,
            keep_image_metadata: raw.keep_image_metadata,
            topic_keys,
            author_keys,
            editions,
            redirects: raw.redirects.into_iter().collect(),
            topic_aliases,
            source_aliases,
            look: raw.style,
            inbox: raw.inbox,
            newsletter: raw.newsletter,
            archive: raw.archive,
            feeds: raw.feeds,
            social: raw.social,
            custom_css: false,
            placeholder,
            extra,
        })
    }

    /// Replaces the base URL (for `--base-url` and `serve`).
    pub fn with_base_url(mut self, url: &str) -> Result<SiteConfig, Problem> {
        let mut text = String::from("title = \"x\"\nbase_url = ");
        text.push_str(&toml::Value::String(url.to_string()).to_string());
        let parsed =
            SiteConfig::parse(&text).map_err(|p| Problem::new("--base-url", None, p.message))?;
        self.base_url = parsed.base_url;
        self.base_path = parsed.base_path;
        self.static_path = self.base_path.clone();
        self.placeholder = parsed
            .placeholder
            .map(|p| Problem::new("--base-url", None, p.message));
        Ok(self)
    }

    /// Every language's tree: the default language's (this config) first, then each of
    /// `[languages.*]` by code.
    pub fn trees(&self) -> Vec<SiteConfig> {
        let mut trees = vec![self.clone()];
        trees.extend(self.languages.iter().map(|l| self.tree(l)));
        trees
    }

    /// The config of `language`'s tree: its pages under `/<code>/`, in its language, with
    /// the title, description and author it sets. The root's own files (CNAME, redirects)
    /// stay with the default language.
    fn tree(&self, language: &Language) -> SiteConfig {
        let code = &language.code;
        let mut tree = (*language.settings).clone();
        tree.base_url = format!("{}{code}/", self.base_url);
        tree.base_path = format!("{}{code}/", self.base_path);
        tree.static_path = self.static_path.clone();
        tree.language = code.clone();
        tree.default_language = self.default_language.clone();
        tree.languages = self.languages.clone();
        tree.custom_css = self.custom_css;
        tree.cname = None;
        tree.redirects = Vec::new();
        tree.placeholder = None;
        tree
    }

    /// Whether this is the default language's tree (at the root).
    pub fn is_root_tree(&self) -> bool {
        self.base_path == self.static_path
    }

    /// The language codes of every tree, the default first.
    pub fn language_codes(&self) -> Vec<&str> {
        let mut codes = vec![self.default_language.as_str()];
        codes.extend(self.languages.iter().map(|l| l.code.as_str()));
        codes
    }

    /// The absolute URL of a site path such as `2018/08/15/kim/` (no leading slash),
    /// percent-encoded as sitemaps, feeds, canonical links and email need it.
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, crate::util::url::encode_path(path))
    }

    /// The root-relative URL of a site path, including the base path: `/digest/2018/`.
    pub fn root_url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }
}

/// Whether `tag` has the shape of a BCP 47 language tag: `ko`, `pt-BR`, `zh-Hans`.
/// `[topics]` or `[sources]` renames: each new name with its old ones.
fn renamed(table: &std::collections::BTreeMap<String, Renamed>) -> Vec<(String, Vec<String>)> {
    table
        .iter()
        .map(|(name, r)| (name.clone(), r.aliases.clone()))
        .collect()
}

pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `https://user.github.io` from `https://user.github.io/digest/`.
pub fn origin(config: &SiteConfig) -> String {
    config
        .base_url
        .trim_end_matches('/')
        .strip_suffix(config.base_path.trim_end_matches('/'))
        .unwrap_or(&config.base_url)
        .trim_end_matches('/')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_comes_from_base_url() {
        let c =
            SiteConfig::parse("title = \"t\"\nbase_url = \"https://u.github.io/digest\"").unwrap();
        assert_eq!(c.base_url, "https://u.github.io/digest/");
        assert_eq!(c.base_path, "/digest/");
        assert_eq!(c.root_url("2018/"), "/digest/2018/");
    }

    #[test]
    fn language_must_be_a_tag() {
        let e =
            SiteConfig::parse("title = \"t\"\nbase_url = \"https://x.org/\"\nlanguage = \"ko_KR\"")
                .unwrap_err();
        assert_eq!(
            e.to_string(),
            "site.toml:3: `language` \"ko_KR\" must be a BCP 47 language tag (\"ko-KR\"), such as \"en\", \"ko\", \"pt-BR\" or \"zh-Hans\""
        );
        for ok in ["ko", "pt-BR", "zh-Hans", "ar"] {
            let text = format!("title = \"t\"\nbase_url = \"https://x.org/\"\nlanguage = \"{ok}\"");
            assert!(SiteConfig::parse(&text).is_ok(), "{ok}");
        }
    }

    #[test]
    fn bad_timezone_names_the_line() {
        let e = SiteConfig::parse(
            "title = \"t\"\nbase_url = \"https://x.org/\"\ntimezone = \"Mars/Base\"",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "site.toml:3: unknown `timezone` \"Mars/Base\"; use an IANA name such as \"Europe/London\", \"Asia/Seoul\" or \"UTC\""
        );
    }
}
