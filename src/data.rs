//! Site data besides articles: outlet details from `data/sources.yaml`. Reading the file
//! is the only I/O here; parsing is a pure function with exact `path:line` messages.

use crate::problem::{key_line, Problem};
use anyhow::Result;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::Path;

/// Where outlet details live, relative to the site root.
pub const SOURCES_FILE: &str = "data/sources.yaml";

/// What `data/sources.yaml` says about one outlet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceInfo {
    /// The outlet's name as the file writes it.
    pub name: String,
    /// The line of the file that names it.
    pub line: usize,
    pub description: Option<String>,
    /// The outlet's home page.
    pub url: Option<String>,
}

/// Everything read from the site's data files.
#[derive(Debug, Clone, Default)]
pub struct SiteData {
    /// Outlet details by the slug of the outlet's name.
    pub sources: BTreeMap<String, SourceInfo>,
}

/// Reads the data files under `root` (none is required). Problems in them are returned as
/// errors, all at once.
pub fn load(root: &Path) -> Result<SiteData> {
    let mut data = SiteData::default();
    let path = root.join(SOURCES_FILE);
    if path.is_file() {
        let text = crate::fs::read_to_string(&path)?;
        data.sources = parse_sources(&text).map_err(crate::problem::Problems)?;
    }
    Ok(data)
}

/// Parses `data/sources.yaml`: a map from outlet name to `{description, url}`.
pub fn parse_sources(text: &str) -> Result<BTreeMap<String, SourceInfo>, Vec<Problem>> {
    let problem = |line: usize, message: String| Problem::new(SOURCES_FILE, Some(line), message);
    const HOW: &str = "write one entry per outlet, such as `Reuters: {description: \"…\", url: \"https://www.reuters.com/\"}`";
    let value = crate::front_matter::yaml_to_json(text)
        .map_err(|(line, message)| vec![problem(line, message)])?;
    let Json::Object(map) = value else {
        return Err(vec![problem(1, format!("must be a map of outlets; {HOW}"))]);
    };
    let mut sources = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, entry) in map {
        let line = name_line(text, &name);
        let slug = crate::slug::slugify(&name);
        if slug.is_empty() {
            problems.push(problem(
                line,
                format!("the outlet name \"{name}\" has no letters or digits; {HOW}"),
            ));
            continue;
        }
        let mut info = SourceInfo {
            name: name.clone(),
            line,
            ..Default::default()
        };
        match entry {
            Json::Null => {}
            Json::Object(fields) => {
                for (key, value) in fields {
                    let text = match &value {
                        Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                        Json::Null => None,
                        _ => {
                            problems.push(problem(
                                line,
                                format!("`{key}` of \"{name}\" must be a text"),
                            ));
                            continue;
                        }
                    };
                    match key.as_str() {
                        "description" => info.description = text,
                        "url" => match text {
                            Some(url) if !(url.starts_with("http://") || url.starts_with("https://")) => {
                                problems.push(problem(line, format!("`url` of \"{name}\" must start with http:// or https://, e.g. \"https://www.reuters.com/\"")));
                            }
                            url => info.url = url,
                        },
                        other => problems.push(problem(
                            line,
                            format!("unknown key `{other}` for \"{name}\"; an outlet has `description` and `url` (its home page)"),
                        )),
                    }
                }
            }
            _ => problems.push(problem(
                line,
                format!("\"{name}\" must have `description:` and `url:` lines; {HOW}"),
            )),
        }
        if let Some(first) = sources.get(&slug).map(|s: &SourceInfo| s.name.clone()) {
            problems.push(problem(
                line,
                format!("\"{name}\" is the same outlet as \"{first}\"; keep one entry"),
            ));
            continue;
        }
        sources.insert(slug, info);
    }
    if problems.is_empty() {
        Ok(sources)
    } else {
        problems.sort();
        Err(problems)
    }
}

/// The line of a top-level YAML key, written plain or quoted.
fn name_line(text: &str, name: &str) -> usize {
    key_line(text, name)
        .or_else(|| key_line(text, &format!("\"{name}\"")))
        .or_else(|| key_line(text, &format!("'{name}'")))
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_file_is_read_by_slug() {
        let text = "Reuters:\n  description: A news agency.\n  url: https://www.reuters.com/\n\"BBC News\": {description: Public broadcaster}\n";
        let sources = parse_sources(text).unwrap();
        assert_eq!(
            sources["reuters"].url.as_deref(),
            Some("https://www.reuters.com/")
        );
        assert_eq!(
            sources["bbc-news"].description.as_deref(),
            Some("Public broadcaster")
        );
        assert_eq!(sources["bbc-news"].line, 4);
    }

    #[test]
    fn sources_file_problems_name_their_line() {
        let text = "Reuters:\n  homepage: https://www.reuters.com/\nAP:\n  url: www.apnews.com\nreuters: {}\n";
        let lines: Vec<String> = parse_sources(text)
            .unwrap_err()
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            lines,
            [
                "data/sources.yaml:1: unknown key `homepage` for \"Reuters\"; an outlet has `description` and `url` (its home page)",
                "data/sources.yaml:3: `url` of \"AP\" must start with http:// or https://, e.g. \"https://www.reuters.com/\"",
                "data/sources.yaml:5: \"reuters\" is the same outlet as \"Reuters\"; keep one entry",
            ]
        );
    }
}
