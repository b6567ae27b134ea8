//! `site.toml`: the site's settings, their defaults and their validation.

use crate::problem::{key_line, Problem};
use anyhow::Result;
use chrono_tz::Tz;
use serde::Deserialize;
use std::path::Path;

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

/// Keys a language's table cannot change: where the site is, its default language, the
/// theme (whose static files every language shares) and the root's own files.
const SHARED_KEYS: &[&str] = &[
    "base_url",
    "language",
    "languages",
    "theme",
    "cname",
    "redirects",
];

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

/// A renamed topic or outlet in site.toml: its old names.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Renamed {
    #[serde(default)]
    aliases: Vec<String>,
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

/// Whether front matter key `k` has a meaning of its own, so that `topic_keys` and
/// `author_keys` may not name it (`topics` and `author` are theirs).
fn is_reserved_key(k: &str) -> bool {
    (FRONT_MATTER_KEYS.contains(&k) && k != "topics" && k != "author")
        || READ_AS_OWN_KEYS.contains(&k)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default = "default_paginate_by")]
    paginate_by: i64,
    #[serde(default = "default_paginate_later_by")]
    paginate_later_by: i64,
    #[serde(default = "default_article_path")]
    article_path: String,
    #[serde(default = "default_theme")]
    theme: String,
    author: Option<String>,
    #[serde(default = "default_feed_limit")]
    feed_limit: i64,
    #[serde(default = "default_topic_feed_limit")]
    topic_feed_limit: i64,
    cname: Option<String>,
    #[serde(default = "default_minify")]
    minify: bool,
    #[serde(default = "default_max_article_mb")]
    max_article_mb: i64,
    #[serde(default = "default_true")]
    unsafe_html: bool,
    #[serde(default)]
    keep_image_metadata: bool,
    topic_keys: Option<Vec<String>>,
    author_keys: Option<Vec<String>>,
    editions: Option<String>,
    #[serde(default)]
    redirects: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    topics: std::collections::BTreeMap<String, Renamed>,
    #[serde(default)]
    sources: std::collections::BTreeMap<String, Renamed>,
    #[serde(default)]
    style: ThemeLook,
    #[serde(default)]
    languages: std::collections::BTreeMap<String, toml::Table>,
    #[serde(default)]
    extra: toml::Table,
}

fn default_true() -> bool {
    true
}
fn default_language() -> String {
    "en".into()
}
fn default_timezone() -> String {
    "UTC".into()
}
fn default_paginate_by() -> i64 {
    20
}
fn default_paginate_later_by() -> i64 {
    500
}
fn default_minify() -> bool {
    true
}
fn default_article_path() -> String {
    "{year}/{month}/{day}/{slug}/".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_max_article_mb() -> i64 {
    4
}
fn default_feed_limit() -> i64 {
    50
}
fn default_topic_feed_limit() -> i64 {
    10
}

/// Reading and checking the text of a site.toml: each check names its key's line.
struct Check<'t> {
    text: &'t str,
}

/// Where every key of site.toml is listed, for messages about unknown ones.
const KEYS_HINT: &str = " (docs/site-toml.md lists every key)";

/// The TOML reader's message about an unknown key or a value of the wrong type, in a
/// curator's words: the key most like a misspelt one (not all 26), and the kind of value
/// a key takes with an example (not `expected i64`). `written` is the line it is on.
fn explain_toml_error(message: &str, written: &str) -> Option<String> {
    let quoted = |from: &str| -> Option<String> {
        let rest = &message[message.find(from)? + from.len()..];
        Some(rest[..rest.find('`')?].to_string())
    };
    if let Some(unknown) = quoted("unknown field `") {
        let expected: Vec<&str> = message
            .split_once("expected")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let near = expected
            .iter()
            .map(|k| (crate::util::text::edit_distance(k, &unknown), *k))
            .filter(|(d, k)| *d <= 2 || (k.contains(unknown.as_str()) && unknown.len() > 3))
            .min();
        return Some(match near {
            Some((_, known)) => {
                format!("unknown key `{unknown}`; did you mean `{known}`?{KEYS_HINT}")
            }
            None => format!("unknown key `{unknown}`{KEYS_HINT}"),
        });
    }
    let wanted = message.split_once("expected ")?.1.trim();
    let key = written
        .split('=')
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('"');
    let value = written.split_once('=').map(|(_, v)| v.trim()).unwrap_or("");
    let bare = value.trim_matches('"').trim_matches('\'');
    let kind = match wanted {
        w if w.starts_with('i') || w.starts_with('u') || w.contains("integer") => {
            let example = if bare.parse::<i64>().is_ok() {
                bare
            } else {
                "20"
            };
            format!("a number, such as `{key} = {example}` (without quotes)")
        }
        w if w.contains("bool") => {
            format!("`true` or `false`, such as `{key} = true` (without quotes)")
        }
        w if w.contains("string") => format!("text in quotes, such as `{key} = \"{bare}\"`"),
        w if w.contains("sequence") => format!("a list, such as `{key} = [\"…\"]`"),
        w if w.contains("map") || w.contains("struct") => {
            format!("a table: `[{key}]` with its keys on the lines below")
        }
        _ => return None,
    };
    (!key.is_empty()).then(|| format!("`{key}` must be {kind}"))
}

impl Check<'_> {
    fn fail(&self, key: &str, message: String) -> Problem {
        Problem::new("site.toml", key_line(self.text, key), message)
    }

    /// The keys as written, or the TOML parser's error with a hint.
    fn raw(&self) -> Result<RawConfig, Problem> {
        let text = self.text;
        let fail = |line: Option<usize>, message: String| Problem::new("site.toml", line, message);
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let message = e.message().trim_end().to_string();
            let written = line.and_then(|l| text.lines().nth(l - 1)).unwrap_or("");
            if let Some(explained) = explain_toml_error(&message, written) {
                return fail(line, explained);
            }
            let hint = if message.contains("missing field") {
                "; add it to site.toml"
            } else {
                ""
            };
            fail(line, format!("{message}{hint}"))
        })
    }

    /// `[style]`: colours and font lists go into CSS as written, so they may hold only what
    /// such values need (no `;`, `{`, `<` that would end the rule or the style element).
    fn style(&self, style: &ThemeLook) -> Result<(), Problem> {
        let fields = [
            ("accent", &style.accent, "a CSS colour, such as \"#0b5394\""),
            (
                "accent_dark",
                &style.accent_dark,
                "a CSS colour, such as \"#9fc5f8\"",
            ),
            (
                "font_headline",
                &style.font_headline,
                "a CSS font list, such as \"Georgia, serif\"",
            ),
            (
                "font_body",
                &style.font_body,
                "a CSS font list, such as \"system-ui, sans-serif\"",
            ),
        ];
        for (key, value, what) in fields {
            let Some(value) = value else { continue };
            let fine = !value.trim().is_empty()
                && value
                    .chars()
                    .all(|c| c.is_alphanumeric() || " #(),.%-_'\"/+".contains(c));
            if !fine {
                return Err(self.fail(key, format!("`style.{key}` \"{value}\" must be {what}")));
            }
        }
        Ok(())
    }

    /// `base_url`, with a slash at its end, and its path (`/` or `/digest/`).
    fn base(&self, raw: &RawConfig) -> Result<(String, String), Problem> {
        let mut base_url = raw.base_url.trim().to_string();
        let Some(after_scheme) = base_url
            .strip_prefix("https://")
            .or_else(|| base_url.strip_prefix("http://"))
        else {
            return Err(self.fail(
            "base_url",
            format!(
                "`base_url` \"{}\" must start with http:// or https://, e.g. \"https://example.com/\"",
                raw.base_url
            ),
        ));
        };
        let base_path = match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".to_string(),
        };
        let base_path = if base_path.ends_with('/') {
            base_path
        } else {
            format!("{base_path}/")
        };
        if !base_url.ends_with('/') {
            base_url.push('/');
        }

        Ok((base_url, base_path))
    }

    fn timezone(&self, raw: &RawConfig) -> Result<Tz, Problem> {
        raw.timezone.parse().map_err(|_| {
        self.fail(
            "timezone",
            format!(
                "unknown `timezone` \"{}\"; use an IANA name such as \"Europe/London\", \"Asia/Seoul\" or \"UTC\"",
                raw.timezone
            ),
        )
    })
    }

    fn numbers(&self, raw: &RawConfig) -> Result<(), Problem> {
        if raw.paginate_by < 1 {
            return Err(self.fail("paginate_by", "`paginate_by` must be 1 or more".into()));
        }
        if raw.paginate_later_by < 1 {
            return Err(self.fail(
                "paginate_later_by",
                "`paginate_later_by` must be 1 or more".into(),
            ));
        }
        if raw.feed_limit < 1 {
            return Err(self.fail("feed_limit", "`feed_limit` must be 1 or more".into()));
        }
        if raw.topic_feed_limit < 1 {
            return Err(self.fail(
                "topic_feed_limit",
                "`topic_feed_limit` must be 1 or more".into(),
            ));
        }
        if raw.max_article_mb < 1 {
            return Err(self.fail(
                "max_article_mb",
                format!(
                    "`max_article_mb` must be a whole number of megabytes, at least 1 (it is {})",
                    raw.max_article_mb
                ),
            ));
        }
        Ok(())
    }

    /// `article_path`, relative, ending in a slash, with a `{slug}`.
    fn article_path(&self, raw: &RawConfig) -> Result<String, Problem> {
        let article_path = raw.article_path.trim_start_matches('/').to_string();
        let article_path = if article_path.ends_with('/') {
            article_path
        } else {
            format!("{article_path}/")
        };
        if !article_path.contains("{slug}")
            || article_path.split('/').any(|seg| seg == ".." || seg == ".")
        {
            return Err(self.fail(
            "article_path",
            format!(
                "`article_path` \"{}\" must contain {{slug}} and no `.` or `..` segments, e.g. \"{{year}}/{{month}}/{{day}}/{{slug}}/\"",
                raw.article_path
            ),
        ));
        }
        Ok(article_path)
    }

    /// `topic_keys` and `author_keys`: no reserved key, none in both.
    fn key_lists(&self, raw: &RawConfig) -> Result<(Vec<String>, Vec<String>), Problem> {
        let keys = |setting: &str, given: Option<Vec<String>>, default: &[&str]| {
            let keys: Vec<String> = match given {
                Some(keys) => keys.iter().map(|k| k.trim().to_string()).collect(),
                None => default.iter().map(|k| k.to_string()).collect(),
            };
            match keys.iter().find(|k| {
            k.is_empty() || is_reserved_key(k)
        }) {
            Some(k) => Err(self.fail(
                setting,
                format!("`{setting}` cannot include \"{k}\", which has a meaning of its own; list keys such as \"tags\" or \"categories\""),
            )),
            None => Ok(keys),
        }
        };
        let topic_keys = keys("topic_keys", raw.topic_keys.clone(), DEFAULT_TOPIC_KEYS)?;
        let author_keys = keys("author_keys", raw.author_keys.clone(), DEFAULT_AUTHOR_KEYS)?;
        if let Some(k) = topic_keys.iter().find(|k| author_keys.contains(k)) {
            return Err(self.fail(
                "author_keys",
                format!("\"{k}\" is in both `topic_keys` and `author_keys`; keep it in one"),
            ));
        }
        Ok((topic_keys, author_keys))
    }

    /// `language`: a BCP 47 tag (`ko`, `pt-BR`, `zh-Hans`), which `<html lang>` and feeds
    /// carry as it is written.
    fn language(&self, language: &str) -> Result<(), Problem> {
        if is_language_tag(language) {
            return Ok(());
        }
        let hint = language.replace('_', "-");
        let hint = if hint != language {
            format!(" (\"{hint}\")")
        } else {
            String::new()
        };
        Err(self.fail(
            "language",
            format!("`language` \"{language}\" must be a BCP 47 language tag{hint}, such as \"en\", \"ko\", \"pt-BR\" or \"zh-Hans\""),
        ))
    }

    /// `[languages.<code>]`: each code a language tag other than `language`, in a form
    /// that is one folder name (`ko`, `pt-br`, `zh-hans`: lower case, as URLs go).
    fn languages(&self, raw: &RawConfig) -> Result<Vec<Language>, Problem> {
        let mut languages = Vec::new();
        for (code, table) in &raw.languages {
            let line = self.table_line(&format!("languages.{code}"));
            let fail = |message: String| Problem::new("site.toml", line, message);
            if !is_language_tag(code) {
                return Err(fail(format!("`[languages.{code}]`: \"{code}\" must be a BCP 47 language tag, such as \"ko\", \"fr\" or \"pt-BR\"")));
            }
            if code.eq_ignore_ascii_case(&raw.language) {
                return Err(fail(format!("`[languages.{code}]` is the site's own `language`; the default language needs no table (its settings are the top-level keys), so remove it")));
            }
            if code.chars().any(|c| c.is_ascii_uppercase()) {
                return Err(fail(format!("`[languages.{code}]`: write the code in lower case (\"{}\"); it is the folder of the language's pages and the suffix of its files (`kim.{}.md`)", code.to_ascii_lowercase(), code.to_ascii_lowercase())));
            }
            if let Some(key) = table.keys().find(|k| SHARED_KEYS.contains(&k.as_str())) {
                return Err(fail(format!("`[languages.{code}]` cannot set `{key}`: every language shares the site's; set it at the top of site.toml")));
            }
            let settings = self.language_settings(table).map_err(|p| {
                let message = p.message.trim_end_matches(KEYS_HINT);
                fail(format!("in `[languages.{code}]`: {message}"))
            })?;
            languages.push(Language {
                code: code.clone(),
                settings: Box::new(settings),
            });
        }
        Ok(languages)
    }

    /// The whole site.toml with `table`'s keys over its own (`[extra]` and `[style]` key
    /// by key), parsed as a site.toml: every check applies to a language's values too.
    fn language_settings(&self, table: &toml::Table) -> Result<SiteConfig, Problem> {
        let mut merged: toml::Table = toml::from_str(self.text).unwrap_or_default();
        merged.remove("languages");
        for (key, value) in table {
            match (merged.get_mut(key), value) {
                (Some(toml::Value::Table(old)), toml::Value::Table(new))
                    if key == "extra" || key == "style" =>
                {
                    old.extend(new.clone());
                }
                _ => {
                    merged.insert(key.clone(), value.clone());
                }
            }
        }
        SiteConfig::parse(&toml::to_string(&merged).unwrap_or_default())
    }

    /// The line of a table's header (`[languages.ko]`).
    fn table_line(&self, table: &str) -> Option<usize> {
        let header = format!("[{table}]");
        self.text
            .lines()
            .position(|l| l.trim().replace(' ', "") == header)
            .map(|i| i + 1)
    }

    fn editions(&self, raw: &RawConfig) -> Result<Cadence, Problem> {
        match raw.editions.as_deref() {
            None | Some("daily") => Ok(Cadence::Daily),
            Some("weekly") => Ok(Cadence::Weekly),
            Some(other) => Err(self.fail(
                "editions",
                format!("`editions` \"{other}\" must be \"daily\" (an edition a day) or \"weekly\" (an edition an ISO week)"),
            )),
        }
    }
}

/// The warning for a `base_url` on example.com (the address `gazette init` writes, which
/// belongs to no one's site), or `None`.
fn placeholder_warning(base_url: &str, line: Option<usize>) -> Option<Problem> {
    let host = base_url
        .split_once("://")
        .map_or("", |(_, rest)| rest.split(['/', ':']).next().unwrap_or(""));
    let placeholder = host == "example.com" || host.ends_with(".example.com");
    placeholder.then(|| {
        Problem::new(
            "site.toml",
            line,
            format!("`base_url` is still the placeholder {base_url}, so feeds, the sitemap and newsletters link there; set it to the address the site will live at (such as https://user.github.io/digest/), or pass --base-url"),
        )
    })
}

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
        if raw.theme.is_empty()
            || raw.theme == "."
            || raw.theme == ".."
            || raw.theme.contains(['/', '\\', '\0'])
        {
            return Err(check.fail(
                "theme",
                format!(
                    "`theme` \"{}\" must be the name of a folder in themes/, such as \"default\"",
                    raw.theme
                ),
            ));
        }
        let mut extra = serde_json::to_value(&raw.extra).unwrap_or(serde_json::Value::Null);
        crate::util::text::clean_json(&mut extra);
        let renamed = |table: &std::collections::BTreeMap<String, Renamed>| {
            table
                .iter()
                .map(|(name, r)| (name.clone(), r.aliases.clone()))
                .collect()
        };
        let (topic_aliases, source_aliases) = (renamed(&raw.topics), renamed(&raw.sources));
        check.style(&raw.style)?;
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
