//! Pelican's Markdown metadata, read as it is: `Key: value` lines up to the first blank
//! line (keys in any case; a value may go on over indented lines), turned into the keys
//! the rest of the front matter reads: `Tags` and `Authors` split at commas, `Category` a
//! topic, `Modified` the update time, `Status: draft` a draft, `Save_as` and `URL` old
//! addresses, dates with single-digit months and days padded (`2013-6-7 18:46`).

use super::{LineError, Split, Syntax};
use serde_yaml::{Mapping, Value as Yaml};

/// The keys that start a Pelican header (the first line must be one of them).
const KEYS: &[&str] = &[
    "title",
    "date",
    "modified",
    "category",
    "tags",
    "slug",
    "author",
    "authors",
    "summary",
    "status",
    "lang",
    "translation",
    "save_as",
    "url",
    "number",
    "issue",
    "template",
];

/// Whether `line` (a file's first) is a Pelican metadata line.
pub(super) fn starts_header(line: &str) -> bool {
    line.split_once(':').is_some_and(|(key, _)| {
        KEYS.contains(&key.trim().to_ascii_lowercase().as_str()) && !key.starts_with(' ')
    })
}

/// Splits a file that starts with a Pelican header at its first blank line.
pub(super) fn split(text: &str) -> Split<'_> {
    let mut offset = 0;
    let mut line = 1;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        if text[offset..end].trim().is_empty() {
            let body_start = (end + 1).min(text.len());
            return Split {
                syntax: Syntax::Pelican,
                yaml: &text[..offset],
                yaml_line: 1,
                body: &text[body_start..],
                body_line: line + 1,
            };
        }
        offset = end + 1;
        line += 1;
    }
    Split {
        syntax: Syntax::Pelican,
        yaml: text,
        yaml_line: 1,
        body: "",
        body_line: line,
    }
}

/// The line (in the file) of the header line that sets `key` (as [`to_yaml`] names it).
pub(super) fn key_line(split: &Split<'_>, key: &str) -> usize {
    let names: &[&str] = match key {
        "updated" => &["modified"],
        "aliases" => &["save_as", "url"],
        "draft" => &["status"],
        other => &[other],
    };
    split
        .yaml
        .lines()
        .position(|l| {
            l.split_once(':').is_some_and(|(k, _)| {
                !k.starts_with([' ', '\t'])
                    && names.contains(&k.trim().to_ascii_lowercase().as_str())
            })
        })
        .map_or(1, |i| i + 1)
}

/// The header's keys and values as the front matter map.
pub(super) fn to_yaml(header: &str) -> Result<Yaml, Vec<LineError>> {
    let mut fields: Vec<(String, String, usize)> = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in header.lines().enumerate() {
        if line.starts_with([' ', '\t']) {
            match fields.last_mut() {
                Some((_, value, _)) => {
                    value.push(' ');
                    value.push_str(line.trim());
                }
                None => errors.push((i + 1, "an indented line goes on the value above it, and there is none; start the file with `Title: …`".into())),
            }
            continue;
        }
        match line.split_once(':') {
            Some((key, value)) => fields.push((key.trim().to_ascii_lowercase(), value.trim().to_string(), i + 1)),
            None => errors.push((i + 1, format!("\"{}\" is not a `Key: value` line; Pelican's metadata ends at the first blank line", crate::util::text::clean(line.trim())))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut map = Mapping::new();
    let mut aliases = Vec::new();
    for (key, value, _) in fields {
        let list = |v: &str| {
            Yaml::Sequence(
                v.split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(|t| Yaml::String(t.into()))
                    .collect(),
            )
        };
        let (key, value) = match key.as_str() {
            "tags" => (key, list(&value)),
            "authors" => ("author".into(), list(&value)),
            "date" => (key, Yaml::String(padded_date(&value))),
            "modified" => ("updated".into(), Yaml::String(padded_date(&value))),
            "number" | "issue" => ("number".into(), Yaml::String(value)),
            "status" => match value.to_ascii_lowercase().as_str() {
                "draft" => ("draft".into(), Yaml::Bool(true)),
                "hidden" => ("hidden".into(), Yaml::Bool(true)),
                _ => continue,
            },
            "save_as" | "url" => {
                let path = format!("/{}", value.trim_start_matches('/'));
                if !aliases.contains(&path) {
                    aliases.push(path);
                }
                continue;
            }
            _ => (key, Yaml::String(value)),
        };
        map.insert(Yaml::String(key), value);
    }
    if !aliases.is_empty() {
        map.insert(
            Yaml::String("aliases".into()),
            Yaml::Sequence(aliases.into_iter().map(Yaml::String).collect()),
        );
    }
    Ok(Yaml::Mapping(map))
}

/// `2013-6-7 18:46` as `2013-06-07 18:46` (Pelican reads both).
fn padded_date(value: &str) -> String {
    let (day, rest) = value
        .split_once([' ', 'T'])
        .map_or((value, ""), |(d, r)| (d, r));
    let parts: Vec<&str> = day.split('-').collect();
    let padded = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) => {
            format!("{y}-{m:0>2}-{d:0>2}")
        }
        _ => return value.to_string(),
    };
    match rest.is_empty() {
        true => padded,
        false => format!("{padded} {rest}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pelican_header_reads_as_front_matter() {
        let text = "Title: My super title\nDate: 2013-6-7 18:46\nModified: 2013-06-08\nCategory: Python\nTags: pelican, publishing\nSlug: my-super-post\nAuthors: Alexis Metaireau, Conan Doyle\nSummary: Short version\n  for index and feeds\nStatus: draft\nSave_as: 2013/06/my-super-post.html\nNumber: 665\n\nThis is the content.\n";
        let split = super::super::split(text).unwrap();
        assert_eq!(
            (split.syntax, split.body, split.body_line),
            (Syntax::Pelican, "This is the content.\n", 14)
        );
        let Yaml::Mapping(map) = to_yaml(split.yaml).unwrap() else {
            panic!()
        };
        let get = |k: &str| map.get(Yaml::String(k.into())).cloned().unwrap();
        assert_eq!(get("date"), Yaml::String("2013-06-07 18:46".into()));
        assert_eq!(get("updated"), Yaml::String("2013-06-08".into()));
        assert_eq!(
            get("tags"),
            serde_yaml::from_str::<Yaml>("[pelican, publishing]").unwrap()
        );
        assert_eq!(
            get("author"),
            serde_yaml::from_str::<Yaml>("[Alexis Metaireau, Conan Doyle]").unwrap()
        );
        assert_eq!(
            get("summary"),
            Yaml::String("Short version for index and feeds".into())
        );
        assert_eq!(get("draft"), Yaml::Bool(true));
        assert_eq!(
            get("aliases"),
            serde_yaml::from_str::<Yaml>("[/2013/06/my-super-post.html]").unwrap()
        );
        assert_eq!(key_line(&split, "updated"), 3);
        assert!(!starts_header("Hello there: a line"));
        assert!(starts_header("TITLE: x"));
    }
}
