//! YAML and TOML turned into values: the parsers' errors as `path:line` messages that
//! say what to do, TOML as YAML, YAML as JSON, every string cleaned of what is not text.

use super::*;

/// The front matter as a map of keys, from YAML or TOML, with the parser's errors turned
/// into messages that say what to do.
pub(super) fn parse_map(split: &Split<'_>) -> Result<serde_yaml::Mapping, Vec<LineError>> {
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
            Syntax::Pelican => super::pelican::to_yaml(split.yaml)?,
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
pub(super) fn cleaned(value: Yaml) -> Yaml {
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
pub(super) fn yaml_error(split: &Split<'_>, e: serde_yaml::Error) -> Vec<LineError> {
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

/// TOML front matter as the YAML value the rest of this module reads.
pub(super) fn toml_to_yaml(value: toml::Value) -> Yaml {
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

pub(super) fn to_json(value: &Yaml) -> Json {
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
