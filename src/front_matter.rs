//! One article file's front matter: splitting it from the body and reading its fields.
//! serde_yaml is used only in this module, so the YAML parser can be swapped here alone.

use crate::problem::key_line;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

/// The typed front matter of one article.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FrontMatter {
    pub title: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub topics: Vec<String>,
    pub summary: Option<String>,
    pub source: Option<SourceLink>,
    pub image: Option<Image>,
    /// The line of the file that holds `image:`.
    pub image_line: usize,
    pub author: Option<String>,
    pub slug: Option<String>,
    pub draft: bool,
    /// The story the article follows (`story: putin-kim-summit`).
    pub story: Option<String>,
    /// Left out of builds before this time (a scheduled article).
    pub publish_date: Option<DateTime<FixedOffset>>,
    /// Left out of builds from this time on.
    pub expiry_date: Option<DateTime<FixedOffset>>,
    pub extra: Json,
    /// Keys Gazette does not know, with their line in the file (reported as warnings).
    pub unknown_keys: Vec<(String, usize)>,
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
}

/// A problem at a line of the file (1-based).
pub type LineError = (usize, String);

/// An article file split into its parts.
#[derive(Debug)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Line of the file where the YAML starts (the line after the opening `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// Line of the file where the body starts.
    pub body_line: usize,
}

const KNOWN_KEYS: &[&str] = &[
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
    "publish_date",
    "expiry_date",
];

/// Splits `text` (with `\n` line ends) at its `---` fences.
pub fn split(text: &str) -> Result<Split<'_>, LineError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err((
            1,
            "no front matter; start the file with a line `---`, then `title:` and `date:` lines, then a closing `---`".into(),
        ));
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map(|i| offset + i)
            .unwrap_or(text.len());
        let content = text[offset..end].trim_end();
        if content == "---" || content == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
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
        "front matter is never closed; did you forget the closing `---`?".into(),
    ))
}

/// Parses the YAML of a split file. Dates without an offset are read in `tz`.
/// Returns every problem found, each with its line in the file.
pub fn parse(split: &Split<'_>, tz: Tz) -> Result<FrontMatter, Vec<LineError>> {
    let file_line = |yaml_line: usize| split.yaml_line + yaml_line - 1;
    let key_at = |key: &str| {
        key_line(split.yaml, key)
            .map(file_line)
            .unwrap_or(split.yaml_line - 1)
    };
    let value: Yaml = if split.yaml.trim().is_empty() {
        Yaml::Mapping(Default::default())
    } else {
        serde_yaml::from_str(split.yaml).map_err(|e| {
            let line = e.location().map(|l| file_line(l.line())).unwrap_or(split.yaml_line);
            let mut message = e.to_string();
            if let Some(i) = message.find(" at line ") {
                message.truncate(i);
            }
            vec![(line, format!("invalid YAML: {message}; check the indentation, and quote values that contain `: ` or start with `[`, `{{`, `&`, `*` or `#`"))]
        })?
    };
    let Yaml::Mapping(map) = value else {
        return Err(vec![(
            split.yaml_line,
            "front matter must be `key: value` lines, such as `title: \"…\"`".into(),
        )]);
    };

    let mut fm = FrontMatter {
        extra: Json::Object(Default::default()),
        ..Default::default()
    };
    let mut errors: Vec<LineError> = Vec::new();
    let mut title = None;
    for (key, value) in &map {
        let Some(key) = key.as_str() else {
            errors.push((
                split.yaml_line,
                "front matter keys must be plain names such as `title`".into(),
            ));
            continue;
        };
        let line = key_at(key);
        let mut bad = |what: &str| errors.push((line, format!("`{key}` {what}")));
        match key {
            "title" => match scalar(value) {
                Some(t) if !t.trim().is_empty() => title = Some(t),
                _ => bad("must be a non-empty text, such as `title: \"Putin ready to meet Kim\"`"),
            },
            "date" | "updated" | "publish_date" | "expiry_date" => {
                match scalar(value).and_then(|s| parse_date(&s, tz).ok_or(s).ok()) {
                    Some(d) => match key {
                        "date" => fm.date = Some(d),
                        "updated" => fm.updated = Some(d),
                        "publish_date" => fm.publish_date = Some(d),
                        _ => fm.expiry_date = Some(d),
                    },
                    None => bad(&match scalar(value) {
                        Some(text) => format!("\"{text}\" is not a date; {DATE_FORMS}"),
                        None => format!("must be a date; {DATE_FORMS}"),
                    }),
                }
            }
            "topics" => match value {
                Yaml::Null => {}
                Yaml::Sequence(items) => {
                    for item in items {
                        match scalar(item) {
                            Some(t) if !t.trim().is_empty() => fm.topics.push(t.trim().to_string()),
                            _ => {
                                bad("must be a list of topic names, such as `topics: [Diplomacy, Russia]`");
                                break;
                            }
                        }
                    }
                }
                _ => match scalar(value) {
                    Some(t) if !t.trim().is_empty() => fm.topics.push(t.trim().to_string()),
                    _ => {
                        bad("must be a list of topic names, such as `topics: [Diplomacy, Russia]`")
                    }
                },
            },
            "summary" | "author" | "slug" | "story" => match value {
                Yaml::Null => {}
                _ => match scalar(value) {
                    Some(s) => {
                        let s = Some(s);
                        match key {
                            "summary" => fm.summary = s,
                            "author" => fm.author = s,
                            "story" => fm.story = s.filter(|s| !s.trim().is_empty()),
                            _ => fm.slug = s,
                        }
                    }
                    None => bad("must be a text"),
                },
            },
            "draft" => match value {
                Yaml::Bool(b) => fm.draft = *b,
                _ => bad("must be `true` or `false`"),
            },
            "source" => match parse_source(value) {
                Ok(s) => fm.source = s,
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
            other => fm.unknown_keys.push((other.to_string(), line)),
        }
    }
    match title {
        Some(t) => fm.title = t,
        None if map.contains_key("title") => {} // reported above as an invalid title
        None => errors.push((split.yaml_line - 1, "missing `title`; add a line such as `title: \"Putin ready to meet Kim\"` to the front matter".into())),
    }
    if errors.is_empty() {
        Ok(fm)
    } else {
        errors.sort();
        Err(errors)
    }
}

/// Suggests a known key for an unknown one (`tags` -> `topics`).
pub fn suggest_key(key: &str) -> Option<&'static str> {
    match key {
        "tags" | "categories" | "category" | "tag" | "topic" => Some("topics"),
        "description" | "excerpt" | "abstract" => Some("summary"),
        "link" | "url" | "original" | "via" => Some("source"),
        "lastmod" | "modified" | "last_modified" => Some("updated"),
        "published" | "pubdate" | "publishdate" => Some("date"),
        "authors" | "by" => Some("author"),
        "drafts" | "draf" => Some("draft"),
        "expires" | "expiry" | "expirydate" | "unpublish" => Some("expiry_date"),
        "thread" | "storyline" | "stories" => Some("story"),
        _ => KNOWN_KEYS
            .iter()
            .copied()
            .find(|k| edit_distance(k, key) <= 2 && key.len() > 3),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

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
    const HOW: &str =
        "must be a path or URL, or `{src: \"…\", alt: \"…\", caption: \"…\", credit: \"…\"}`";
    match value {
        Yaml::Null => Ok(None),
        Yaml::String(src) => Ok(Some(Image {
            src: src.clone(),
            alt: String::new(),
            caption: None,
            credit: None,
        })),
        Yaml::Mapping(map) => {
            if map
                .keys()
                .any(|k| !matches!(k.as_str(), Some("src" | "alt" | "caption" | "credit")))
            {
                return Err(HOW);
            }
            let get = |k: &str| map.get(k).and_then(scalar).filter(|s| !s.trim().is_empty());
            Ok(Some(Image {
                src: get("src").ok_or(HOW)?,
                alt: get("alt").unwrap_or_default(),
                caption: get("caption"),
                credit: get("credit"),
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
pub fn parse_date(text: &str, tz: Tz) -> Option<DateTime<FixedOffset>> {
    let s = text.trim();
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
    Ok(to_json(&value))
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
        assert_eq!(date("15 August"), "");
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

    #[test]
    fn suggests_known_keys() {
        assert_eq!(suggest_key("tags"), Some("topics"));
        assert_eq!(suggest_key("titel"), Some("title"));
        assert_eq!(suggest_key("mood"), None);
    }
}
