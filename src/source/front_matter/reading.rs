//! Reading front matter key by key into a `FrontMatter`: each key's value checked, the
//! names other tools use read as Gazette's own, unknown keys kept for warnings.

use super::*;

/// Front matter being read, key by key, with the problems found so far.
pub(super) struct Reading {
    pub(super) fm: FrontMatter,
    pub(super) errors: Vec<LineError>,
    pub(super) title: Option<String>,
    // Summary and update time may also come under the names other generators use;
    // Gazette's own key wins when both are present.
    pub(super) summary_alias: Option<String>,
    pub(super) updated_alias: Option<DateTime<FixedOffset>>,
}

impl Reading {
    /// Reads one key (topic and author keys as `options` names them).
    pub(super) fn key(&mut self, key: &str, value: &Yaml, line: usize, options: &Options) {
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
            let names: Option<Vec<String>> = match value {
                Yaml::Null => return,
                Yaml::Sequence(items) => items.iter().map(scalar).collect(),
                _ => scalar(value).map(|n| vec![n]),
            };
            match names {
                Some(names) if fm.author.is_none() => {
                    let names: Vec<String> = names
                        .iter()
                        .map(|n| n.trim().to_string())
                        .filter(|n| !n.is_empty())
                        .collect();
                    if !names.is_empty() {
                        fm.author = Some(names.join(", "));
                        fm.authors = names;
                    }
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
    pub(super) fn add_topics(&mut self, names: Vec<String>) {
        for name in names {
            if !self.fm.topics.contains(&name) {
                self.fm.topics.push(name);
            }
        }
    }

    /// Reads Zola's `[taxonomies]`: `tags`, `categories` and every topic key become topics.
    pub(super) fn taxonomies(&mut self, value: &Yaml, line: usize, options: &Options) {
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
    pub(super) fn date(&mut self, key: &str, value: &Yaml, line: usize, tz: Tz) {
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
    pub(super) fn field(&mut self, key: &str, value: &Yaml, line: usize) {
        let read = match key {
            "title" | "summary" | "slug" | "story" | "description" | "excerpt" | "lang" => {
                self.text_field(key, value)
            }
            "draft" | "published" | "status" | "hidden" => self.draft_field(key, value),
            "number" | "issue" => match scalar(value).and_then(|n| {
                n.trim()
                    .trim_start_matches(['#', 'N', 'o', '.', ' '])
                    .parse::<u32>()
                    .ok()
            }) {
                Some(n) => {
                    self.fm.number = Some(n);
                    Ok(())
                }
                None => Err("must be the issue's number, such as `number: 665`"),
            },
            "translation" => match scalar(value)
                .map(|v| v.trim().to_ascii_lowercase())
                .as_deref()
            {
                Some("true" | "yes") => {
                    self.fm.translation = true;
                    Ok(())
                }
                Some("false" | "no") => Ok(()),
                _ => Err("must be `true` or `false`"),
            },
            "source" | "image" | "extra" => self.value_field(key, value, line),
            other if is_other_tools_key(other) => {
                self.fm.other_tools_keys.push(other.to_string());
                Ok(())
            }
            other => {
                self.fm.unknown_keys.push((other.to_string(), line));
                Ok(())
            }
        };
        if let Err(what) = read {
            self.errors.push((line, format!("`{key}` {what}")));
        }
    }

    /// `title`, the summary (also as `description` and `excerpt`), `slug`, `story`, `lang`.
    fn text_field(&mut self, key: &str, value: &Yaml) -> Result<(), &'static str> {
        let fm = &mut self.fm;
        if key == "title" {
            let title = scalar(value).filter(|t| !t.trim().is_empty());
            self.title =
                Some(title.ok_or(
                    "must be a non-empty text, such as `title: \"Putin ready to meet Kim\"`",
                )?);
            return Ok(());
        }
        if key == "lang" {
            let lang = scalar(value).filter(|l| crate::config::is_language_tag(l.trim()));
            let lang = lang.ok_or("must be a language tag, such as `lang: ko` or `lang: pt-BR`")?;
            fm.lang = Some(lang.trim().to_string());
            return Ok(());
        }
        if matches!(value, Yaml::Null) {
            return Ok(());
        }
        let text = scalar(value).ok_or("must be a text")?;
        match key {
            "summary" => fm.summary = Some(text),
            "slug" => fm.slug = Some(text),
            "story" => fm.story = Some(text).filter(|s| !s.trim().is_empty()),
            _ => self.summary_alias = self.summary_alias.take().or(Some(text)),
        }
        Ok(())
    }

    /// `draft`, Jekyll's `published: false` and Pelican's `status: draft`, which leave a
    /// post out; `hidden: true` and Pelican's `status: hidden`, which list it nowhere.
    fn draft_field(&mut self, key: &str, value: &Yaml) -> Result<(), &'static str> {
        let fm = &mut self.fm;
        match (key, value) {
            ("draft", Yaml::Bool(b)) => fm.draft = *b,
            ("draft", _) => return Err("must be `true` or `false`"),
            ("published", Yaml::Bool(b)) => fm.draft |= !*b,
            ("hidden", Yaml::Bool(b)) => fm.hidden = *b,
            ("hidden", _) => return Err("must be `true` or `false`"),
            ("published", _) => {
                return Err("must be `true` or `false` (for the publication time, use `date`)")
            }
            _ if scalar(value).is_some_and(|s| s.trim().eq_ignore_ascii_case("draft")) => {
                fm.draft = true
            }
            _ if scalar(value).is_some_and(|s| s.trim().eq_ignore_ascii_case("hidden")) => {
                fm.hidden = true
            }
            _ => fm.other_tools_keys.push(key.to_string()),
        }
        Ok(())
    }

    /// `source`, `image` (each with its line) and `extra`.
    fn value_field(&mut self, key: &str, value: &Yaml, line: usize) -> Result<(), &'static str> {
        let fm = &mut self.fm;
        match key {
            "source" => {
                fm.source = parse_source(value)?;
                fm.source_line = line;
            }
            "image" => {
                fm.image = parse_image(value)?;
                fm.image_line = line;
            }
            _ => {
                match value {
                    Yaml::Null => {}
                    Yaml::Mapping(_) => fm.extra = to_json(value),
                    _ => return Err(
                        "must be a map of your own fields, such as `extra: {edition_note: \"…\"}`",
                    ),
                }
            }
        }
        Ok(())
    }

    /// The front matter read, or every problem found: the topic bound, a missing title.
    pub(super) fn finish(
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
pub(super) fn topic_names(value: &Yaml, words: bool) -> Option<Vec<String>> {
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
