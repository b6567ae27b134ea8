//! One article file's front matter: splitting it from the body and reading its fields.
//! serde_yaml is used only in this module, so the YAML parser can be swapped here alone.

use crate::problem::key_line;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

/// The typed front matter of one article.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FrontMatter {
    pub title: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub topics: Vec<String>,
    pub summary: Option<String>,
    pub source: Option<SourceLink>,
    /// The line of the file that holds `source:`.
    pub source_line: usize,
    pub image: Option<Image>,
    /// The line of the file that holds `image:`.
    pub image_line: usize,
    /// Whether `date` is a day without a time (`2018-08-15`, or the day of a Jekyll file
    /// name): pages then show no time of day.
    #[serde(default)]
    pub date_only: bool,
    pub author: Option<String>,
    pub slug: Option<String>,
    pub draft: bool,
    /// The story the article follows (`story: putin-kim-summit`).
    pub story: Option<String>,
    /// The article's language, where it is not the site's (`lang: ko`).
    #[serde(default)]
    pub lang: Option<String>,
    /// Left out of builds before this time (a scheduled article).
    pub publish_date: Option<DateTime<FixedOffset>>,
    /// Left out of builds from this time on.
    pub expiry_date: Option<DateTime<FixedOffset>>,
    pub extra: Json,
    /// Old addresses of the article (`aliases`, `redirect_from`, Jekyll's `permalink`),
    /// as written, each with its line: each becomes a page that redirects to the article.
    #[serde(default)]
    pub aliases: Vec<(String, usize)>,
    /// The front matter has no `title`: the caller names the article after its file.
    #[serde(default)]
    pub untitled: bool,
    /// Keys Gazette does not know, with their line in the file (reported as warnings).
    pub unknown_keys: Vec<(String, usize)>,
    /// Keys that Jekyll, Hugo, Zola or Pelican use and Gazette has no use for: left as
    /// they are, without a warning (`check` lists them once).
    #[serde(default)]
    pub other_tools_keys: Vec<String>,
}

/// The original story an article summarises.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceLink {
    pub name: Option<String>,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// The image's size in pixels, for `<img width height>` (no layout shift while it loads).
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// How front matter is read: the site's time zone, and which keys hold topics and authors
/// (from `site.toml`, so posts from other generators build unedited).
#[derive(Debug, Clone)]
pub struct Options {
    /// Dates without an offset are read in this time zone.
    pub tz: Tz,
    /// Keys whose values are topics, merged in this order (`topics`, `tags`, …).
    pub topic_keys: Vec<String>,
    /// Keys whose values are the author (the first one present wins).
    pub author_keys: Vec<String>,
    /// The largest article file read, in bytes (`max_article_mb` in site.toml).
    pub max_bytes: u64,
    /// What converting imported posts' Liquid tags and Hugo shortcodes needs of the site.
    pub import: crate::markdown::imported::Env,
}

/// The most topics one article may have: every topic adds the article to a topic page and
/// its feeds, so an article with thousands would fill the disk.
pub const MAX_TOPICS: usize = 100;

impl Options {
    /// How article front matter is read on the site `config` describes.
    pub fn for_site(config: &crate::config::SiteConfig) -> Options {
        Options {
            tz: config.timezone,
            topic_keys: config.topic_keys.clone(),
            author_keys: config.author_keys.clone(),
            max_bytes: config.max_article_mb.saturating_mul(1 << 20),
            import: crate::markdown::imported::Env {
                base_path: config.base_path.clone(),
                base_url: config.base_url.clone(),
                unsafe_html: config.unsafe_html,
            },
        }
    }

    /// Gazette's own keys plus the usual ones of Jekyll and Hugo.
    pub fn new(tz: Tz) -> Options {
        Options {
            tz,
            topic_keys: crate::config::DEFAULT_TOPIC_KEYS
                .iter()
                .map(|k| k.to_string())
                .collect(),
            author_keys: crate::config::DEFAULT_AUTHOR_KEYS
                .iter()
                .map(|k| k.to_string())
                .collect(),
            max_bytes: 4 << 20,
            import: crate::markdown::imported::Env {
                base_path: "/".into(),
                ..Default::default()
            },
        }
    }
}

/// The syntax of a front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Between `---` lines (Gazette, Jekyll, Hugo, Zola's YAML).
    Yaml,
    /// Between `+++` lines (Hugo and Zola).
    Toml,
}

/// A problem at a line of the file (1-based).
pub type LineError = (usize, String);

/// An article file split into its parts.
#[derive(Debug)]
pub struct Split<'a> {
    pub syntax: Syntax,
    /// The text between the fences (YAML or TOML, as `syntax` says).
    pub yaml: &'a str,
    /// Line of the file where the YAML starts (the line after the opening `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// Line of the file where the body starts.
    pub body_line: usize,
}

/// Splits `text` (with `\n` line ends) at its `---` (YAML) or `+++` (TOML) fences.
pub fn split(text: &str) -> Result<Split<'_>, LineError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    let fence = text[..first_end].trim_end();
    let syntax = match fence {
        "---" => Syntax::Yaml,
        "+++" => Syntax::Toml,
        _ if text.trim().is_empty() => {
            return Err((
                1,
                "the file is empty; add front matter (a line `---`, then `title:` and `date:` lines, then `---`) or delete the file".into(),
            ))
        }
        _ => {
            return Err((
                1,
                "no front matter; start the file with a line `---`, then `title:` and `date:` lines, then a closing `---`".into(),
            ))
        }
    };
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map(|i| offset + i)
            .unwrap_or(text.len());
        let content = text[offset..end].trim_end();
        if content == fence || (syntax == Syntax::Yaml && content == "...") {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                syntax,
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset = end + 1;
        line += 1;
    }
    Err((
        1,
        format!("front matter is never closed; did you forget the closing `{fence}`?"),
    ))
}

/// Parses the front matter of a split file, reading keys as `options` says.
/// Returns every problem found, each with its line in the file.
pub fn parse(split: &Split<'_>, options: &Options) -> Result<FrontMatter, Vec<LineError>> {
    let map = parse_map(split)?;
    let mut reading = Reading {
        fm: FrontMatter {
            extra: Json::Object(Default::default()),
            ..Default::default()
        },
        errors: Vec::new(),
        title: None,
        summary_alias: None,
        updated_alias: None,
    };
    for (key, value) in &map {
        let Some(key) = key.as_str() else {
            reading.errors.push((
                split.yaml_line,
                "front matter keys must be plain names such as `title`".into(),
            ));
            continue;
        };
        let line = match (key, value) {
            // The address is what a reader of the message looks for.
            ("source", Yaml::Mapping(_)) => nested_key_at(split, key, "url"),
            _ => key_at(split, key),
        };
        reading.key(key, value, line, options);
    }
    reading.finish(split, &map, options)
}

/// The file line of top-level key `key` (the opening fence's line when it is not found).
fn key_at(split: &Split<'_>, key: &str) -> usize {
    key_line(split.yaml, key)
        .map(|yaml_line| split.yaml_line + yaml_line - 1)
        .unwrap_or(split.yaml_line - 1)
}

/// The file line of `inner:` indented under the top-level key `outer` (the line of `outer`
/// when it is not found there, as with `source: {name: …, url: …}` on one line).
fn nested_key_at(split: &Split<'_>, outer: &str, inner: &str) -> usize {
    let at = key_at(split, outer);
    let below = split.yaml.lines().skip(at + 1 - split.yaml_line);
    let found = below
        .take_while(|l| l.starts_with([' ', '\t']) || l.trim().is_empty())
        .position(|l| key_line(l.trim_start(), inner).is_some());
    found.map_or(at, |i| at + 1 + i)
}

/// The front matter as a map of keys, from YAML or TOML, with the parser's errors turned
/// into messages that say what to do.
fn parse_map(split: &Split<'_>) -> Result<serde_yaml::Mapping, Vec<LineError>> {
    let file_line = |yaml_line: usize| split.yaml_line + yaml_line - 1;
    let value: Yaml = if split.yaml.trim().is_empty() {
        Yaml::Mapping(Default::default())
    } else {
        match split.syntax {
            Syntax::Yaml => serde_yaml::from_str(split.yaml).map_err(|e| yaml_error(split, e))?,
            Syntax::Toml => toml_to_yaml(toml::from_str::<toml::Table>(split.yaml).map_err(|e| {
        let line = e.span().map(|s| file_line(split.yaml[..s.start.min(split.yaml.len())].matches('\n').count() + 1)).unwrap_or(split.yaml_line);
        vec![(line, format!("invalid TOML: {}; write `key = \"value\"` lines between the `+++` fences", e.message().trim_end().replace('\n', ": ")))]
            })?.into()),
        }
    };
    match cleaned(value) {
        Yaml::Mapping(map) => Ok(map),
        _ => Err(vec![(
            split.yaml_line,
            "front matter must be `key: value` lines, such as `title: \"…\"`".into(),
        )]),
    }
}

/// `value` with every string (keys too) without the characters that are not text, which
/// YAML's and TOML's escapes (`"\e"`, `"\u001b"`) can still write.
fn cleaned(value: Yaml) -> Yaml {
    match value {
        Yaml::String(s) => match crate::util::text::clean(&s) {
            std::borrow::Cow::Borrowed(_) => Yaml::String(s),
            std::borrow::Cow::Owned(clean) => Yaml::String(clean),
        },
        Yaml::Sequence(items) => Yaml::Sequence(items.into_iter().map(cleaned).collect()),
        Yaml::Mapping(map) => Yaml::Mapping(
            map.into_iter()
                .map(|(k, v)| (cleaned(k), cleaned(v)))
                .collect(),
        ),
        Yaml::Tagged(tagged) => {
            let tagged = *tagged;
            Yaml::Tagged(Box::new(serde_yaml::value::TaggedValue {
                tag: tagged.tag,
                value: cleaned(tagged.value),
            }))
        }
        other => other,
    }
}

/// A YAML parser's error as `(line, message)`, with a hint for the usual mistakes.
fn yaml_error(split: &Split<'_>, e: serde_yaml::Error) -> Vec<LineError> {
    let file_line = |yaml_line: usize| split.yaml_line + yaml_line - 1;
    let mut message = e.to_string();
    // An unclosed `[` or `{` is noticed on a later line; the line that opened it is the one
    // to fix ("… at line 5 column 1, while parsing a flow sequence at line 4 column 9").
    let opened = message
        .split_once(", while parsing a flow ")
        .and_then(|(_, context)| context.split_once(" at line "))
        .and_then(|(_, at)| at.split(' ').next()?.parse::<usize>().ok());
    let line = opened
        .or_else(|| e.location().map(|l| l.line()))
        .map(file_line)
        .unwrap_or(split.yaml_line);
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let tab = split
        .yaml
        .lines()
        .nth(line.saturating_sub(split.yaml_line))
        .is_some_and(|l| l.starts_with('\t'));
    let message = if message.contains("repetition limit") {
        "invalid YAML: its aliases (`*name`) expand without bound; write the values out instead"
            .to_string()
    } else if message.contains("recursion limit") {
        "invalid YAML: nested too deeply; flatten the value".to_string()
    } else if tab {
        "invalid YAML: a tab indents this line; YAML allows only spaces for indentation".to_string()
    } else {
        format!("invalid YAML: {message}; check the indentation, and quote values that contain `: ` or start with `[`, `{{`, `&`, `*` or `#`")
    };
    vec![(line, message)]
}

/// Front matter being read, key by key, with the problems found so far.
struct Reading {
    fm: FrontMatter,
    errors: Vec<LineError>,
    title: Option<String>,
    // Summary and update time may also come under the names other generators use;
    // Gazette's own key wins when both are present.
    summary_alias: Option<String>,
    updated_alias: Option<DateTime<FixedOffset>>,
}

impl Reading {
    /// Reads one key (topic and author keys as `options` names them).
    fn key(&mut self, key: &str, value: &Yaml, line: usize, options: &Options) {
        if options.topic_keys.iter().any(|k| k == key) {
            // Jekyll reads a string of `tags` or `categories` as words separated by spaces.
            let words = matches!(key, "tags" | "categories");
            match topic_names(value, words) {
                Some(names) => self.add_topics(names),
                None => self.errors.push((line, format!("`{key}` must be a list of topic names, such as `topics: [Diplomacy, Russia]`"))),
            }
            return;
        }
        if key == "taxonomies" {
            self.taxonomies(value, line, options);
            return;
        }
        let fm = &mut self.fm;
        let errors = &mut self.errors;
        let mut bad = |what: &str| errors.push((line, format!("`{key}` {what}")));
        if options.author_keys.iter().any(|k| k == key) {
            let name = match value {
                Yaml::Null => return,
                Yaml::Sequence(items) => {
                    let names: Option<Vec<String>> = items.iter().map(scalar).collect();
                    names.map(|n| n.join(", "))
                }
                _ => scalar(value),
            };
            match name {
                Some(name) if fm.author.is_none() && !name.trim().is_empty() => {
                    fm.author = Some(name.trim().to_string())
                }
                Some(_) => {}
                None => bad("must be a name, or a list of names"),
            }
            return;
        }
        if matches!(key, "aliases" | "redirect_from" | "permalink") {
            match topic_names(value, false) {
                Some(paths) => fm.aliases.extend(paths.into_iter().map(|p| (p, line))),
                None => bad("must be an old address of the article, such as `/2018/08/kim/`, or a list of them"),
            }
            return;
        }
        if matches!(
            key,
            "date" | "updated" | "lastmod" | "publish_date" | "expiry_date"
        ) {
            self.date(key, value, line, options.tz);
        } else {
            self.field(key, value, line);
        }
    }

    /// Adds topics, each once, in the order met.
    fn add_topics(&mut self, names: Vec<String>) {
        for name in names {
            if !self.fm.topics.contains(&name) {
                self.fm.topics.push(name);
            }
        }
    }

    /// Reads Zola's `[taxonomies]`: `tags`, `categories` and every topic key become topics.
    fn taxonomies(&mut self, value: &Yaml, line: usize, options: &Options) {
        let Yaml::Mapping(map) = value else {
            let what = "`taxonomies` must be a table of lists, such as `tags = [\"Diplomacy\"]`";
            self.errors.push((line, what.into()));
            return;
        };
        for (name, names) in map {
            let Some(name) = name.as_str() else { continue };
            if options.topic_keys.iter().any(|k| k == name) || matches!(name, "tags" | "categories")
            {
                match topic_names(names, false) {
                    Some(found) => self.add_topics(found),
                    None => self.errors.push((line, format!("`taxonomies.{name}` must be a list of topic names, such as `{name} = [\"Diplomacy\"]`"))),
                }
            } else {
                self.fm
                    .unknown_keys
                    .push((format!("taxonomies.{name}"), line));
            }
        }
    }

    /// Reads a date key.
    fn date(&mut self, key: &str, value: &Yaml, line: usize, tz: Tz) {
        let fm = &mut self.fm;
        let updated_alias = &mut self.updated_alias;
        let errors = &mut self.errors;
        let mut bad = |what: &str| errors.push((line, format!("`{key}` {what}")));
        match scalar(value).and_then(|s| parse_date(&s, tz).ok_or(s).ok()) {
                Some(d) => match key {
                    "date" => {
                        fm.date = Some(d);
                        fm.date_only = scalar(value).is_some_and(|t| !t.contains(':'));
                    }
                    "updated" => fm.updated = Some(d),
                    "lastmod" => *updated_alias = Some(d),
                    "publish_date" => fm.publish_date = Some(d),
                    _ => fm.expiry_date = Some(d),
                },
                None => bad(&match scalar(value) {
                    Some(text) if parse_any_date(&text, tz).is_some() => format!(
                        "\"{text}\" falls outside the years 1 to 9999 (in UTC or in the site's time zone, {}); write a date within them",
                        tz.name()
                    ),
                    Some(text) => match suggest_day(&text) {
                        Some(day) => format!("\"{text}\" is not a date Gazette reads; did you mean {day}? {DATE_FORMS}"),
                        None => format!("\"{text}\" is not a date; {DATE_FORMS}"),
                    },
                    None => format!("must be a date; {DATE_FORMS}"),
                }),
            }
    }

    /// Reads any other key.
    fn field(&mut self, key: &str, value: &Yaml, line: usize) {
        let fm = &mut self.fm;
        let (title, summary_alias) = (&mut self.title, &mut self.summary_alias);
        let errors = &mut self.errors;
        let mut bad = |what: &str| errors.push((line, format!("`{key}` {what}")));
        match key {
            "title" => match scalar(value) {
                Some(t) if !t.trim().is_empty() => *title = Some(t),
                _ => bad("must be a non-empty text, such as `title: \"Putin ready to meet Kim\"`"),
            },
            "summary" | "slug" | "story" | "description" | "excerpt" => match value {
                Yaml::Null => {}
                _ => match scalar(value) {
                    Some(s) => match key {
                        "summary" => fm.summary = Some(s),
                        "slug" => fm.slug = Some(s),
                        "story" => fm.story = Some(s).filter(|s| !s.trim().is_empty()),
                        _ => *summary_alias = summary_alias.take().or(Some(s)),
                    },
                    None => bad("must be a text"),
                },
            },
            "lang" => match scalar(value) {
                Some(l) if crate::config::is_language_tag(l.trim()) => {
                    fm.lang = Some(l.trim().to_string())
                }
                _ => bad("must be a language tag, such as `lang: ko` or `lang: pt-BR`"),
            },
            "draft" => match value {
                Yaml::Bool(b) => fm.draft = *b,
                _ => bad("must be `true` or `false`"),
            },
            // Jekyll's `published: false` leaves a post out, as `draft: true` does.
            "published" => match value {
                Yaml::Bool(b) => fm.draft |= !*b,
                _ => bad("must be `true` or `false` (for the publication time, use `date`)"),
            },
            // Pelican's `status: draft` leaves a post out too.
            "status" if scalar(value).is_some_and(|s| s.trim().eq_ignore_ascii_case("draft")) => {
                fm.draft = true;
            }
            "source" => match parse_source(value) {
                Ok(s) => {
                    fm.source = s;
                    fm.source_line = line;
                }
                Err(what) => bad(what),
            },
            "image" => match parse_image(value) {
                Ok(i) => {
                    fm.image = i;
                    fm.image_line = line;
                }
                Err(what) => bad(what),
            },
            "extra" => match value {
                Yaml::Null => {}
                Yaml::Mapping(_) => fm.extra = to_json(value),
                _ => {
                    bad("must be a map of your own fields, such as `extra: {edition_note: \"…\"}`")
                }
            },
            other if is_other_tools_key(other) => fm.other_tools_keys.push(other.to_string()),
            other => fm.unknown_keys.push((other.to_string(), line)),
        }
    }

    /// The front matter read, or every problem found: the topic bound, a missing title.
    fn finish(
        mut self,
        split: &Split<'_>,
        map: &serde_yaml::Mapping,
        options: &Options,
    ) -> Result<FrontMatter, Vec<LineError>> {
        let (mut fm, mut errors) = (self.fm, std::mem::take(&mut self.errors));
        if fm.topics.len() > MAX_TOPICS {
            let key = options
                .topic_keys
                .iter()
                .find(|k| map.contains_key(k.as_str()))
                .map_or("topics", String::as_str);
            errors.push((
                key_at(split, key),
                format!(
                    "`{key}` lists {} topics; an article may have at most {MAX_TOPICS}: keep the ones readers follow",
                    fm.topics.len()
                ),
            ));
        }
        fm.summary = fm.summary.or(self.summary_alias);
        fm.updated = fm.updated.or(self.updated_alias);
        match self.title {
            Some(t) => fm.title = t,
            None if map.contains_key("title") => {} // reported above as an invalid title
            None => fm.untitled = true,
        }
        if errors.is_empty() {
            Ok(fm)
        } else {
            errors.sort();
            Err(errors)
        }
    }
}

/// Topic names from a list or a single value; with `words`, a string is split at spaces.
fn topic_names(value: &Yaml, words: bool) -> Option<Vec<String>> {
    let mut names = Vec::new();
    match value {
        Yaml::Null => {}
        Yaml::Sequence(items) => {
            for item in items {
                match scalar(item) {
                    Some(t) if !t.trim().is_empty() => names.push(t.trim().to_string()),
                    _ => return None,
                }
            }
        }
        _ => {
            let text = scalar(value)?;
            if words {
                names.extend(text.split_whitespace().map(String::from));
            } else if !text.trim().is_empty() {
                names.push(text.trim().to_string());
            } else {
                return None;
            }
        }
    }
    Some(names)
}

/// TOML front matter as the YAML value the rest of this module reads.
fn toml_to_yaml(value: toml::Value) -> Yaml {
    match value {
        toml::Value::String(s) => Yaml::String(s),
        toml::Value::Integer(i) => Yaml::Number(i.into()),
        toml::Value::Float(f) => Yaml::Number(f.into()),
        toml::Value::Boolean(b) => Yaml::Bool(b),
        toml::Value::Datetime(d) => Yaml::String(d.to_string()),
        toml::Value::Array(items) => Yaml::Sequence(items.into_iter().map(toml_to_yaml).collect()),
        toml::Value::Table(table) => Yaml::Mapping(
            table
                .into_iter()
                .map(|(k, v)| (Yaml::String(k), toml_to_yaml(v)))
                .collect(),
        ),
    }
}

/// The front matter keys of Jekyll, Hugo, Zola and Pelican (and their common themes) that
/// Gazette has no use for, in lower case: posts copied from those tools carry them, and
/// they build as they are, also with `--strict`. (Keys Gazette reads under another name,
/// such as `tags` or `lastmod`, are read; look-alikes of its own keys are suggested.)
const OTHER_TOOLS_KEYS: &[&str] = &[
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
    "hidden",
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
    "translation",
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

pub use crate::util::text::edit_distance;

/// A scalar as text (numbers and booleans too, so `title: 1984` works).
fn scalar(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

const DATE_FORMS: &str =
    "write it as 2018-08-15, 2018-08-15T10:00:00+09:00 or 2018-08-15 10:00:00 +0900";

/// The day a date written another way most likely means, as Gazette writes it:
/// `30/11/2026` and `11/30/2026` -> "2026-11-30", `15 August 2018` -> "2018-08-15"; both
/// readings of `06/05/2013` ("2013-05-06 or 2013-06-05"); `None` when it reads as no day.
pub fn suggest_day(text: &str) -> Option<String> {
    use chrono::NaiveDate;
    let text = text.trim();
    let words = [
        "%d %B %Y",
        "%d %b %Y",
        "%B %d %Y",
        "%b %d %Y",
        "%B %d, %Y",
        "%b %d, %Y",
    ];
    if let Some(day) = words
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
    {
        return Some(day.format("%Y-%m-%d").to_string());
    }
    let parts: Vec<u32> = text
        .split(['/', '.', '-'])
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    let [a, b, year] = parts[..] else { return None };
    let year = i32::try_from(year).ok().filter(|y| *y >= 1000)?;
    let day = |d: u32, m: u32| NaiveDate::from_ymd_opt(year, m, d);
    let readings: Vec<String> = [day(a, b), day(b, a)]
        .into_iter()
        .flatten()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect();
    match &readings[..] {
        [one] => Some(one.clone()),
        [x, y] if x == y => Some(x.clone()),
        [x, y] => Some(format!("{x} or {y}")),
        _ => None,
    }
}

fn parse_source(value: &Yaml) -> Result<Option<SourceLink>, &'static str> {
    const HOW: &str =
        "must be the original story's URL, or `{name: \"The Times\", url: \"https://…\"}`";
    let link = match value {
        Yaml::Null => return Ok(None),
        Yaml::String(url) => SourceLink {
            name: None,
            url: url.trim().to_string(),
        },
        Yaml::Mapping(map) => {
            let get = |k: &str| map.get(k).and_then(scalar).filter(|s| !s.trim().is_empty());
            if map
                .keys()
                .any(|k| !matches!(k.as_str(), Some("name" | "url")))
            {
                return Err(HOW);
            }
            SourceLink {
                name: get("name"),
                url: get("url").ok_or(HOW)?.trim().to_string(),
            }
        }
        _ => return Err(HOW),
    };
    if !(link.url.starts_with("http://") || link.url.starts_with("https://")) {
        return Err("must have a `url` that starts with http:// or https://");
    }
    Ok(Some(link))
}

fn parse_image(value: &Yaml) -> Result<Option<Image>, &'static str> {
    let image = image_fields(value)?;
    if image
        .as_ref()
        .is_some_and(|i| crate::markdown::is_script_url(&i.src) || i.src.contains('\0'))
    {
        return Err("must be a path or an https:// URL, not a script URL");
    }
    Ok(image)
}

fn image_fields(value: &Yaml) -> Result<Option<Image>, &'static str> {
    const HOW: &str =
        "must be a path or URL, or `{src: \"…\", alt: \"…\", caption: \"…\", credit: \"…\"}`";
    match value {
        Yaml::Null => Ok(None),
        Yaml::String(src) => Ok(Some(Image {
            src: src.clone(),
            alt: String::new(),
            caption: None,
            credit: None,
            width: None,
            height: None,
        })),
        Yaml::Mapping(map) => {
            if map.keys().any(|k| {
                !matches!(
                    k.as_str(),
                    Some("src" | "alt" | "caption" | "credit" | "width" | "height")
                )
            }) {
                return Err(HOW);
            }
            let get = |k: &str| map.get(k).and_then(scalar).filter(|s| !s.trim().is_empty());
            let pixels = |k: &str| match map.get(k) {
                None | Some(Yaml::Null) => Ok(None),
                Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
                    Some(n) if n > 0 => Ok(Some(n)),
                    _ => Err(
                        "`width` and `height` must be whole numbers of pixels, like `width: 640`",
                    ),
                },
            };
            Ok(Some(Image {
                src: get("src").ok_or(HOW)?,
                alt: get("alt").unwrap_or_default(),
                caption: get("caption"),
                credit: get("credit"),
                width: pixels("width")?,
                height: pixels("height")?,
            }))
        }
        _ => Err(HOW),
    }
}

fn to_json(value: &Yaml) -> Json {
    match value {
        Yaml::Null => Json::Null,
        Yaml::Bool(b) => Json::Bool(*b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Json::from(i)
            } else if let Some(u) = n.as_u64() {
                Json::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Json::Number)
                    .unwrap_or(Json::Null)
            }
        }
        Yaml::String(s) => Json::String(s.clone()),
        Yaml::Sequence(items) => Json::Array(items.iter().map(to_json).collect()),
        Yaml::Mapping(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (scalar(k).unwrap_or_default(), to_json(v)))
                .collect(),
        ),
        Yaml::Tagged(t) => to_json(&t.value),
    }
}

/// Reads a date in any of the accepted forms. Dates without an offset are in `tz`.
/// Years outside 1–9999 are refused: URLs have four-digit years, and date arithmetic
/// (weeks, neighbours) stays far from the limits of the date type.
pub fn parse_date(text: &str, tz: Tz) -> Option<DateTime<FixedOffset>> {
    use chrono::Datelike;
    // Both the written day and the site's local day (which names the URL) must be in range:
    // 9999-12-31T23:59:59+00:00 is already year 10000 in Seoul.
    parse_any_date(text, tz).filter(|d| {
        [d.year(), d.with_timezone(&tz).year(), d.to_utc().year()]
            .iter()
            .all(|year| (1..=9999).contains(year))
    })
}

fn parse_any_date(text: &str, tz: Tz) -> Option<DateTime<FixedOffset>> {
    let s = normalise_date(text.trim());
    let s = s.as_str();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    for format in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, format) {
            return Some(d);
        }
    }
    let naive = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })?;
    local_to_fixed(naive, tz)
}

/// Smooths the variants other generators write into the forms `parse_date` knows:
/// `2024-03-21 4:00:00 +0000` (a one-digit hour) and `2018-08-15 10:00:00 UTC`.
fn normalise_date(s: &str) -> String {
    let mut s = s.to_string();
    for zone in [" UTC", " GMT", " Z"] {
        if let Some(rest) = s.strip_suffix(zone) {
            s = format!("{rest} +0000");
        }
    }
    let bytes = s.as_bytes();
    if bytes.len() > 12
        && matches!(bytes[10], b' ' | b'T')
        && bytes[11].is_ascii_digit()
        && bytes[12] == b':'
    {
        s.insert(11, '0');
    }
    s
}

/// A wall-clock time in `tz` as a fixed-offset time. Times skipped by a DST change move
/// forward by an hour; repeated times take the earlier instant.
pub fn local_to_fixed(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<FixedOffset>> {
    let local = tz.from_local_datetime(&naive).earliest().or_else(|| {
        tz.from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
    })?;
    Some(local.fixed_offset())
}

/// Parses YAML that is not an article's front matter (a data file such as
/// `data/sources.yaml`, an edition note's front matter) into JSON values, so callers need
/// no YAML parser of their own. An error carries its line within `text` (1-based).
pub fn yaml_to_json(text: &str) -> Result<Json, LineError> {
    if text.trim().is_empty() {
        return Ok(Json::Object(Default::default()));
    }
    let value: Yaml = serde_yaml::from_str(text).map_err(|e| {
        let line = e.location().map(|l| l.line()).unwrap_or(1);
        let mut message = e.to_string();
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        (line, format!("invalid YAML: {message}; check the indentation, and quote values that contain `: `"))
    })?;
    Ok(to_json(&cleaned(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> String {
        parse_date(s, "Asia/Seoul".parse().unwrap())
            .map(|d| d.to_rfc3339())
            .unwrap_or_default()
    }

    #[test]
    fn accepts_the_documented_date_forms() {
        assert_eq!(
            date("2018-08-15T10:00:00+09:00"),
            "2018-08-15T10:00:00+09:00"
        );
        assert_eq!(date("2018-08-15T01:00:00Z"), "2018-08-15T01:00:00+00:00");
        assert_eq!(
            date("2018-08-15 10:00:00 +0900"),
            "2018-08-15T10:00:00+09:00"
        );
        assert_eq!(date("2018-08-15"), "2018-08-15T00:00:00+09:00");
        assert_eq!(date("2018-08-15 10:30"), "2018-08-15T10:30:00+09:00");
        // As Jekyll and Hugo sites write them.
        assert_eq!(
            date("2013-05-06 02:12:52 +0200"),
            "2013-05-06T02:12:52+02:00"
        );
        assert_eq!(
            date("2024-03-21 4:00:00 +0000"),
            "2024-03-21T04:00:00+00:00"
        );
        assert_eq!(
            date("2015-02-06T12:00:00.000Z"),
            "2015-02-06T12:00:00+00:00"
        );
        assert_eq!(date("2018-08-15 10:00:00 UTC"), "2018-08-15T10:00:00+00:00");
        assert_eq!(date("15 August"), "");
        assert_eq!(date("+262142-12-31"), "");
        assert_eq!(date("10000-01-01"), "");
        assert_eq!(date("2018-02-30"), "");
    }

    #[test]
    fn split_reports_lines() {
        let s = split("---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!(
            (s.yaml, s.yaml_line, s.body, s.body_line),
            ("title: x\n", 2, "body\n", 4)
        );
        assert_eq!(split("title: x\n").unwrap_err().0, 1);
        assert!(split("---\ntitle: x\n")
            .unwrap_err()
            .1
            .contains("closing `---`"));
    }

    /// `image.width` / `image.height` are optional positive pixel counts.
    #[test]
    fn image_sizes_are_whole_pixels() {
        let image = |yaml: &str| parse_image(&serde_yaml::from_str(yaml).unwrap());
        let sized = image("{src: a.png, width: 640, height: 480}")
            .unwrap()
            .unwrap();
        assert_eq!((sized.width, sized.height), (Some(640), Some(480)));
        let plain = image("{src: a.png}").unwrap().unwrap();
        assert_eq!((plain.width, plain.height), (None, None));
        for bad in [
            "{src: a.png, width: wide}",
            "{src: a.png, height: 0}",
            "{src: a.png, width: 1.5}",
        ] {
            assert!(image(bad).unwrap_err().contains("whole numbers"), "{bad}");
        }
    }

    fn toml(text: &str) -> FrontMatter {
        let text = format!("+++\n{text}+++\n");
        parse(&split(&text).unwrap(), &Options::new(chrono_tz::UTC)).unwrap()
    }

    /// Zola: `[taxonomies]` lists are topics, `[extra]` is extra.
    #[test]
    fn zola_taxonomies_are_topics_and_extra_is_extra() {
        let fm = toml("title = \"Z\"\n[taxonomies]\ntags = [\"Rust\"]\ncategories = [\"Tech\", \"Rust\"]\nauthors = [\"x\"]\n[extra]\nmood = \"calm\"\n");
        // (TOML tables are read in key order: categories, then tags.)
        assert_eq!(fm.topics, ["Tech", "Rust"]);
        assert_eq!(fm.extra["mood"], "calm");
        assert_eq!(fm.unknown_keys[0].0, "taxonomies.authors");
    }

    /// `aliases`, `redirect_from` (a text or a list) and `permalink` are old addresses.
    #[test]
    fn old_addresses_are_collected_with_their_lines() {
        let text =
            "---\ntitle: A\naliases: [/a/, /b/]\nredirect_from: /c/\npermalink: /d.html\n---\n";
        let fm = parse(&split(text).unwrap(), &Options::new(chrono_tz::UTC)).unwrap();
        let paths: Vec<(&str, usize)> = fm.aliases.iter().map(|(p, l)| (p.as_str(), *l)).collect();
        assert_eq!(paths, [("/a/", 3), ("/b/", 3), ("/c/", 4), ("/d.html", 5)]);
        let untitled = parse(&split("---\n---\n").unwrap(), &Options::new(chrono_tz::UTC)).unwrap();
        assert!(untitled.untitled);
    }

    #[test]
    fn suggests_known_keys() {
        assert_eq!(suggest_key("tags"), Some("topics"));
        assert_eq!(suggest_key("titel"), Some("title"));
        assert_eq!(suggest_key("mood"), None);
    }
}
