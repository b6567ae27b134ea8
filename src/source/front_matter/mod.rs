//! One article file's front matter: splitting it from the body and reading its fields.
//! serde_yaml is used only in this module, so the YAML parser can be swapped here alone.

use crate::problem::key_line;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

mod keys;
mod pelican;
mod reading;
mod values;
mod yaml;
pub use keys::*;
use reading::*;
pub use values::*;
pub use yaml::*;

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
    /// Each of its authors' names (`author: [Ana Lima, Ben Ode]`), in order.
    pub authors: Vec<String>,
    pub slug: Option<String>,
    pub draft: bool,
    /// Published at its address but listed nowhere (`hidden: true`, Pelican's `Status:
    /// hidden`): no list page, feed, search index or sitemap.
    pub hidden: bool,
    /// Pelican's `Translation: true`: the translation (into its `lang`) of the article
    /// with the same `slug`.
    pub translation: bool,
    /// The story the article follows (`story: putin-kim-summit`).
    pub story: Option<String>,
    /// The article's language, where it is not the site's (`lang: ko`).
    #[serde(default)]
    pub lang: Option<String>,
    /// A digest issue's number (`number: 665`, also `issue:` and Pelican's `Number:`).
    #[serde(default)]
    pub number: Option<u32>,
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
    /// Pelican's metadata header: `Key: value` lines up to the first blank line.
    Pelican,
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
        _ if pelican::starts_header(fence) => return Ok(pelican::split(text)),
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
    if split.syntax == Syntax::Pelican {
        return pelican::key_line(split, key);
    }
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

pub use crate::util::text::edit_distance;

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
        assert_eq!(split("hello: x\n").unwrap_err().0, 1);
        // A first line `Title: …` starts Pelican's metadata header.
        assert_eq!(split("title: x\n").unwrap().syntax, Syntax::Pelican);
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
