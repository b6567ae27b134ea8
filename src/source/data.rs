//! Site data besides articles: outlet details from `data/sources.yaml` and editor's notes
//! from `content/editions/`. Reading the files is the only I/O here; parsing is pure, with
//! exact `path:line` messages.

use crate::problem::{key_line, Problem};
use anyhow::Result;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::Path;

/// Where outlet details live, relative to the site root.
pub const SOURCES_FILE: &str = "data/sources.yaml";

/// Where the people behind the digest are described, relative to the site root.
pub const AUTHORS_FILE: &str = "data/authors.yaml";

/// What `data/authors.yaml` says about one author.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorInfo {
    /// The name as the file writes it (as articles' `author:` write it).
    pub name: String,
    /// The line of the file that names the author.
    pub line: usize,
    pub bio: Option<String>,
    /// A photo: a site path (`/images/ana.jpg`) or a web address.
    pub photo: Option<String>,
    /// Their pages elsewhere (a home page, a profile), web addresses.
    pub links: Vec<String>,
}

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

/// Which edition a note is for: a day (`2018-08-15.md`) or an ISO week (`2018-w33.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteFor {
    Day(chrono::NaiveDate),
    Week(i32, u32),
}

/// An editor's note: `content/editions/2018-08-15.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionNote {
    /// The path shown in messages: `content/editions/2018-08-15.md`.
    pub path: String,
    pub edition: NoteFor,
    pub title: Option<String>,
    /// Article slugs, in the order the edition shows them first.
    pub order: Vec<String>,
    /// The line of `order:` in the file.
    pub order_line: usize,
    /// The note itself, Markdown.
    pub body: String,
    /// What was wrong but did not stop it (unknown keys).
    pub warnings: Vec<Problem>,
    /// The language of a translated note (`2018-08-15.ko.md`), for that language's tree.
    pub language: Option<String>,
}

/// A page that is no article: `content/pages/about.md`, published at `/about/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandalonePage {
    /// The path shown in messages: `content/pages/about.md`.
    pub path: String,
    /// Its site path: `about/`.
    pub url_path: String,
    pub title: String,
    pub description: Option<String>,
    /// Markdown.
    pub body: String,
    /// `draft: true`: published only with `--drafts` (and in `serve`).
    pub draft: bool,
    /// What was wrong but did not stop it (unknown keys, the scaffold text still there).
    pub warnings: Vec<Problem>,
}

/// The marker in the About page `init` writes: while a page holds it, the build warns.
pub const SCAFFOLD_MARK: &str = "(Replace this:";

/// Where the archived copies of cited stories are recorded, relative to the site root.
pub const ARCHIVE_FILE: &str = "data/archive.yaml";

/// What `data/archive.yaml` records of one cited address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Archived {
    /// The snapshot's address (`https://web.archive.org/web/20180815…/…`), if one is known.
    pub url: Option<String>,
    /// When the snapshot was taken: `2018-08-15` or a full RFC 3339 time.
    pub date: Option<String>,
    /// `alive` or `dead`, as `check --external` last found the original.
    pub state: Option<String>,
    /// When it was last checked (`2026-12-06`).
    pub checked: Option<String>,
}

impl Archived {
    pub fn is_dead(&self) -> bool {
        self.state.as_deref() == Some("dead")
    }
}

/// Everything read from the site's data files.
#[derive(Debug, Clone, Default)]
pub struct SiteData {
    /// Outlet details by the slug of the outlet's name.
    pub sources: BTreeMap<String, SourceInfo>,
    /// Author details by the slug of the author's name.
    pub authors: BTreeMap<String, AuthorInfo>,
    /// Archived copies and states of cited addresses, by the address as written.
    pub archive: BTreeMap<String, Archived>,
    /// Sorted by edition.
    pub notes: Vec<EditionNote>,
    /// `content/pages/*.md`, by file name.
    pub pages: Vec<StandalonePage>,
}

/// Reads the data files under `root` (none is required). Problems in them are returned as
/// errors, all at once.
pub fn load(root: &Path) -> Result<SiteData> {
    let mut data = SiteData::default();
    let mut problems = Vec::new();
    // Each data file is optional: its text where it is there.
    let text_of = |file: &str| -> Result<Option<String>> {
        let path = root.join(file);
        path.is_file()
            .then(|| crate::util::fs::read_to_string(&path))
            .transpose()
    };
    if let Some(text) = text_of(SOURCES_FILE)? {
        match parse_sources(&text) {
            Ok(sources) => data.sources = sources,
            Err(p) => problems.extend(p),
        }
    }
    if let Some(text) = text_of(AUTHORS_FILE)? {
        match parse_authors(&text) {
            Ok(authors) => data.authors = authors,
            Err(p) => problems.extend(p),
        }
    }
    if let Some(text) = text_of(ARCHIVE_FILE)? {
        match parse_archive(&text) {
            Ok(archive) => data.archive = archive,
            Err(p) => problems.push(p),
        }
    }
    let dir = root.join("content").join(super::NOTES_DIR);
    if dir.is_dir() {
        let files = crate::util::fs::overlay_files(std::slice::from_ref(&dir))?;
        for (name, path) in files {
            let shown = format!("content/{}/{name}", super::NOTES_DIR);
            if !crate::source::is_article(Path::new(&name)) {
                continue;
            }
            let text = crate::util::fs::read_to_string(&path)?;
            match parse_note(&shown, &name, &text) {
                Ok(note) => data.notes.push(note),
                Err(p) => problems.push(p),
            }
        }
        data.notes.sort_by_key(|n| n.edition);
    }
    let dir = root.join("content").join(super::PAGES_DIR);
    if dir.is_dir() {
        for entry in crate::util::fs::read_dir(&dir)? {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !crate::source::is_article(Path::new(&name))
                || crate::util::fs::is_ignored(&name)
                || !entry.path().is_file()
            {
                continue;
            }
            let shown = format!("content/{}/{name}", super::PAGES_DIR);
            let text = crate::util::fs::read_to_string(&entry.path())?;
            match parse_page(&shown, &name, &text) {
                Ok(page) => data.pages.push(page),
                Err(p) => problems.push(p),
            }
        }
    }
    if problems.is_empty() {
        Ok(data)
    } else {
        problems.sort();
        Err(crate::problem::Problems(problems).into())
    }
}

/// Parses one editor's note. `name` is its file name (`2018-08-15.md`), which says which
/// edition it is for; the optional front matter has `title` and `order`.
pub fn parse_note(shown: &str, name: &str, text: &str) -> Result<EditionNote, Problem> {
    let problem = |line: Option<usize>, message: String| Problem::new(shown, line, message);
    let (edition, language) = note_for(name).ok_or_else(|| problem(None, "the file name must be the edition's date, such as 2018-08-15.md (or its ISO week, such as 2018-w33.md, for weekly editions)".into()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = crate::util::text::clean(text).replace("\r\n", "\n");
    let mut note = EditionNote {
        path: shown.to_string(),
        edition,
        title: None,
        order: Vec::new(),
        order_line: 1,
        body: text.clone(),
        warnings: Vec::new(),
        language,
    };
    if !text.starts_with("---") {
        return Ok(note);
    }
    let split =
        crate::source::front_matter::split(&text).map_err(|(line, m)| problem(Some(line), m))?;
    let file_line = |line: usize| split.yaml_line + line - 1;
    let value = crate::source::front_matter::yaml_to_json(split.yaml)
        .map_err(|(line, m)| problem(Some(file_line(line)), m))?;
    let Json::Object(map) = value else {
        return Err(problem(
            Some(split.yaml_line),
            "the front matter must be `key: value` lines: `title:` and `order:`".into(),
        ));
    };
    for (key, value) in map {
        let line = file_line(key_line(split.yaml, &key).unwrap_or(1));
        note_key(&mut note, &key, value, line).map_err(|m| problem(Some(line), m))?;
    }
    note.body = split.body.to_string();
    Ok(note)
}

/// Parses one page of `content/pages/`: front matter with `title` (required) and
/// `description`, then Markdown. `name` (`about.md`) gives its address (`/about/`).
pub fn parse_page(shown: &str, name: &str, text: &str) -> Result<StandalonePage, Problem> {
    let problem = |line: Option<usize>, message: String| Problem::new(shown, line, message);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let slug = crate::util::slug::slugify(stem);
    if slug.is_empty()
        || RESERVED_PAGES.contains(&slug.as_str())
        || slug.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(problem(None, format!("`{slug}` is an address the site's own pages use (or no name at all); rename the file, such as about.md")));
    }
    let text = crate::util::text::clean(text.strip_prefix('\u{feff}').unwrap_or(text))
        .replace("\r\n", "\n");
    let split =
        crate::source::front_matter::split(&text).map_err(|(line, m)| problem(Some(line), m))?;
    let file_line = |line: usize| split.yaml_line + line - 1;
    let value = crate::source::front_matter::yaml_to_json(split.yaml)
        .map_err(|(line, m)| problem(Some(file_line(line)), m))?;
    let mut page = StandalonePage {
        path: shown.to_string(),
        url_path: format!("{slug}/"),
        title: String::new(),
        description: None,
        body: split.body.to_string(),
        draft: false,
        warnings: Vec::new(),
    };
    for (key, value) in value.as_object().cloned().unwrap_or_default() {
        if key == "draft" {
            page.draft = value.as_bool().unwrap_or(false);
            continue;
        }
        let line = file_line(key_line(split.yaml, &key).unwrap_or(1));
        let text = value
            .as_str()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        match (key.as_str(), text) {
            ("title", Some(t)) => page.title = t,
            ("description" | "summary", d) => page.description = d,
            ("title", None) => {
                return Err(problem(
                    Some(line),
                    "`title` must be a non-empty text, such as `title: About`".into(),
                ))
            }
            (other, _) => page.warnings.push(problem(
                Some(line),
                format!("unknown key `{other}`; a page has `title`, `description` and `draft`"),
            )),
        }
    }
    if page.title.is_empty() {
        return Err(problem(
            Some(1),
            "a page needs front matter with a `title`, such as `---\ntitle: About\n---`".into(),
        ));
    }
    if let Some(at) = page.body.find(SCAFFOLD_MARK) {
        let line = split.body_line + page.body[..at].matches('\n').count();
        page.warnings.push(problem(Some(line), "still holds the text `gazette init` wrote; say who edits the digest, how stories are chosen and corrected, and how to reach you (news surfaces ask for it), then remove each \"(Replace this: …)\"".into()));
    }
    Ok(page)
}

/// The first parts of the site paths Gazette's own pages use.
const RESERVED_PAGES: &[&str] = &[
    "topics",
    "sources",
    "authors",
    "stories",
    "editions",
    "archive",
    "search",
    "search-index",
    "page",
    "feeds",
];

/// The edition a note's file name names (its day, `2018-08-15.md`, or ISO week,
/// `2018-w33.md`), and the language it names (`2018-08-15.ko.md`).
fn note_for(name: &str) -> Option<(NoteFor, Option<String>)> {
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    let (stem, language) = match stem.rsplit_once('.') {
        Some((stem, code)) if crate::config::is_language_tag(code) => {
            (stem, Some(code.to_string()))
        }
        _ => (stem, None),
    };
    if let Ok(day) = chrono::NaiveDate::parse_from_str(stem, "%Y-%m-%d") {
        return Some((NoteFor::Day(day), language));
    }
    let lower = stem.to_ascii_lowercase();
    let (y, w) = lower.split_once("-w")?;
    let (y, w) = (y.parse::<i32>().ok()?, w.parse::<u32>().ok()?);
    chrono::NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Mon)?;
    Some((NoteFor::Week(y, w), language))
}

/// Reads one key of a note's front matter (at file line `line`): `title` and `order`; an
/// unknown key is a warning on the note.
fn note_key(note: &mut EditionNote, key: &str, value: Json, line: usize) -> Result<(), String> {
    const ORDER: &str = "`order` must be a list of article slugs, such as `order: [turkish-lira-crisis, kerala-floods]`";
    match (key, value) {
        ("title", Json::String(t)) if !t.trim().is_empty() => {
            note.title = Some(t.trim().to_string())
        }
        ("title", _) => {
            return Err("`title` must be a text, such as `title: \"The lira's worst week\"`".into())
        }
        ("order", Json::Array(items)) => {
            note.order_line = line;
            for item in items {
                match item {
                    Json::String(slug) => note.order.push(slug.trim().to_string()),
                    _ => return Err(ORDER.into()),
                }
            }
        }
        ("order", _) => return Err(ORDER.into()),
        (other, _) => {
            let hint = match ["title", "order"]
                .into_iter()
                .find(|k| crate::source::front_matter::edit_distance(k, other) <= 2)
            {
                Some(known) => format!("did you mean `{known}`? "),
                None => String::new(),
            };
            let message = format!("unknown key `{other}` is ignored; {hint}an editor's note has `title` and `order` (a list of article slugs)");
            note.warnings
                .push(Problem::new(&note.path, Some(line), message));
        }
    }
    Ok(())
}

/// Parses `data/sources.yaml`: a map from outlet name to `{description, url}`.
pub fn parse_sources(text: &str) -> Result<BTreeMap<String, SourceInfo>, Vec<Problem>> {
    let file = NamedFile {
        path: SOURCES_FILE,
        kind: "outlet",
        how: SOURCES_HOW,
    };
    parse_named(text, &file, source_info, |s: &SourceInfo| s.name.clone())
}

/// A data file that maps names to entries (`data/sources.yaml`, `data/authors.yaml`):
/// where it is, what its entries are, and how one is written (for its messages).
struct NamedFile {
    path: &'static str,
    kind: &'static str,
    how: &'static str,
}

/// Reads each entry of a [`NamedFile`] with `read`, keyed by the slug of its name; a name
/// without letters or digits, two spellings of one name and each entry's problems are
/// reported at their line, all at once.
fn parse_named<T>(
    text: &str,
    file: &NamedFile,
    read: impl Fn(String, usize, Json) -> (T, Vec<String>),
    name_of: impl Fn(&T) -> String,
) -> Result<BTreeMap<String, T>, Vec<Problem>> {
    let (kind, how) = (file.kind, file.how);
    let problem = |line: usize, message: String| Problem::new(file.path, Some(line), message);
    let value = crate::source::front_matter::yaml_to_json(text)
        .map_err(|(line, message)| vec![problem(line, message)])?;
    let Json::Object(map) = value else {
        return Err(vec![problem(1, format!("must be a map of {kind}s; {how}"))]);
    };
    let mut entries: BTreeMap<String, T> = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, entry) in map {
        let line = name_line(text, &name);
        let slug = crate::util::slug::slugify(&name);
        if slug.is_empty() {
            problems.push(problem(
                line,
                format!("the {kind} name \"{name}\" has no letters or digits; {how}"),
            ));
            continue;
        }
        let (info, found) = read(name, line, entry);
        problems.extend(found.into_iter().map(|m| problem(line, m)));
        if let Some(first) = entries.get(&slug).map(&name_of) {
            let message = format!(
                "\"{}\" is the same {kind} as \"{first}\"; keep one entry",
                name_of(&info)
            );
            problems.push(problem(line, message));
            continue;
        }
        entries.insert(slug, info);
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        problems.sort();
        Err(problems)
    }
}

/// How `data/authors.yaml` is written, for its messages.
const AUTHORS_HOW: &str = "write one entry per author, such as `Ana Lima: {bio: \"…\", photo: /images/ana.jpg, links: [\"https://ana.example/\"]}`";

/// Parses `data/authors.yaml`: a map from an author's name (as articles write it) to
/// `{bio, photo, links}`.
pub fn parse_authors(text: &str) -> Result<BTreeMap<String, AuthorInfo>, Vec<Problem>> {
    let file = NamedFile {
        path: AUTHORS_FILE,
        kind: "author",
        how: AUTHORS_HOW,
    };
    parse_named(text, &file, author_info, |a: &AuthorInfo| a.name.clone())
}

/// One author's entry of `data/authors.yaml` (at `line`), and what is wrong with it.
fn author_info(name: String, line: usize, entry: Json) -> (AuthorInfo, Vec<String>) {
    let mut problems = Vec::new();
    let mut info = AuthorInfo {
        name: name.clone(),
        line,
        ..Default::default()
    };
    let lines = "`bio:`, `photo:` or `links:` lines";
    let fields = match entry_fields(&name, entry, lines, AUTHORS_HOW) {
        Ok(fields) => fields,
        Err(message) => return (info, vec![message]),
    };
    let text = |v: &Json| match v {
        Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    for (key, value) in fields {
        match key.as_str() {
            "bio" => info.bio = text(&value),
            "photo" => match text(&value) {
                Some(p) if p.starts_with('/') || crate::util::url::is_web(&p) => info.photo = Some(p),
                Some(_) => problems.push(format!("`photo` of \"{name}\" must be a path of the site (/images/ana.jpg) or an address starting with https://")),
                None => {}
            },
            "links" => {
                let list = match &value {
                    Json::Array(items) => items.iter().map(text).collect::<Option<Vec<_>>>(),
                    other => text(other).map(|t| vec![t]),
                };
                match list {
                    Some(urls) if urls.iter().all(|u| crate::util::url::is_web(u)) => info.links = urls,
                    _ => problems.push(format!("`links` of \"{name}\" must be a list of addresses starting with https://, such as [\"https://ana.example/\"]")),
                }
            }
            other => problems.push(format!("unknown key `{other}` for \"{name}\"; an author has `bio`, `photo` and `links`")),
        }
    }
    (info, problems)
}

/// Parses `data/archive.yaml`: a map from a cited address to its snapshot's `url` and
/// `date`, and the original's `state` (`alive`, `dead`) and when it was `checked`.
/// Gazette writes the file (`gazette archive`, `check --external`); entries it cannot use
/// are skipped, a file that is no map is a problem.
pub fn parse_archive(text: &str) -> Result<BTreeMap<String, Archived>, Problem> {
    let problem = |line: usize, message: String| Problem::new(ARCHIVE_FILE, Some(line), message);
    let value =
        crate::source::front_matter::yaml_to_json(text).map_err(|(line, m)| problem(line, m))?;
    let Json::Object(map) = value else {
        return Err(problem(1, "must be a map from each cited address to its archived copy; `gazette archive` writes it: move it away and run that".into()));
    };
    let text_of = |v: &Json, key: &str| {
        v.get(key)
            .and_then(|x| match x {
                Json::String(s) => Some(s.trim().to_string()),
                Json::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .filter(|s| !s.is_empty())
    };
    Ok(map
        .into_iter()
        .filter(|(url, _)| crate::util::url::is_web(url))
        .map(|(url, entry)| {
            let archived = Archived {
                url: text_of(&entry, "url").filter(|u| crate::util::url::is_web(u)),
                date: text_of(&entry, "date"),
                state: text_of(&entry, "state"),
                checked: text_of(&entry, "checked"),
            };
            (url, archived)
        })
        .collect())
}

/// `data/archive.yaml`'s text for `archive` (entries sorted by address).
pub fn write_archive(archive: &BTreeMap<String, Archived>) -> String {
    let quote = crate::util::text::yaml_quoted;
    let mut out = String::from("# Archived copies of the stories this digest cites, and whether each original still\n# answers. Written by `gazette archive` and `gazette check --external`; commit it.\n");
    // (A key over 1,024 characters is more than YAML readers take.)
    for (url, a) in archive
        .iter()
        .filter(|(url, _)| url.chars().count() <= 1000)
    {
        let fields = [
            ("url", &a.url),
            ("date", &a.date),
            ("state", &a.state),
            ("checked", &a.checked),
        ];
        if fields.iter().all(|(_, v)| v.is_none()) {
            out.push_str(&format!("{}: {{}}\n", quote(url)));
            continue;
        }
        out.push_str(&format!("{}:\n", quote(url)));
        for (key, value) in fields {
            if let Some(v) = value {
                out.push_str(&format!("  {key}: {}\n", quote(v)));
            }
        }
    }
    out
}

/// How `data/sources.yaml` is written, for its messages.
const SOURCES_HOW: &str = "write one entry per outlet, such as `Reuters: {description: \"…\", url: \"https://www.reuters.com/\"}`";

/// One outlet's entry of `data/sources.yaml` (at `line`), and what is wrong with it.
fn source_info(name: String, line: usize, entry: Json) -> (SourceInfo, Vec<String>) {
    let mut problems = Vec::new();
    let mut info = SourceInfo {
        name: name.clone(),
        line,
        ..Default::default()
    };
    let lines = "`description:` and `url:` lines";
    let fields = match entry_fields(&name, entry, lines, SOURCES_HOW) {
        Ok(fields) => fields,
        Err(message) => return (info, vec![message]),
    };
    for (key, value) in fields {
        let text = match &value {
            Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Json::Null => None,
            _ => {
                problems.push(format!("`{key}` of \"{name}\" must be a text"));
                continue;
            }
        };
        match key.as_str() {
            "description" => info.description = text,
            "url" => match text {
                Some(url) if !(url.starts_with("http://") || url.starts_with("https://")) => {
                    problems.push(format!("`url` of \"{name}\" must start with http:// or https://, e.g. \"https://www.reuters.com/\""));
                }
                url => info.url = url,
            },
            other => problems.push(format!("unknown key `{other}` for \"{name}\"; an outlet has `description` and `url` (its home page)")),
        }
    }
    (info, problems)
}

/// The fields of the entry `name` of a data file of names (none for an empty entry), or
/// what to write instead: the entry must have `lines`, as `how` shows.
fn entry_fields(
    name: &str,
    entry: Json,
    lines: &str,
    how: &str,
) -> Result<serde_json::Map<String, Json>, String> {
    match entry {
        Json::Null => Ok(Default::default()),
        Json::Object(fields) => Ok(fields),
        _ => Err(format!("\"{name}\" must have {lines}; {how}")),
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
    #[test]
    fn the_archive_record_reads_back_as_it_was_written() {
        let mut archive = BTreeMap::new();
        for (n, url) in [
            "https://a.example/x?q=\"1\"&b=\\",
            "https://b.example/\u{7f}\u{85}\u{9b}[31m",
            "https://c.example/한국어/\tx",
            "https://d.example/\u{fffe}",
        ]
        .iter()
        .enumerate()
        {
            archive.insert(
                url.to_string(),
                Archived {
                    url: Some(format!("https://web.archive.org/web/20180815093000/{url}")),
                    date: Some("2018-08-15T09:30:00Z".into()),
                    state: (n % 2 == 0).then(|| "dead".to_string()),
                    checked: None,
                },
            );
        }
        archive.insert("https://e.example/only-state".into(), Archived::default());
        let text = write_archive(&archive);
        let read = parse_archive(&text).unwrap_or_else(|p| panic!("{p}: {text}"));
        assert_eq!(read.len(), archive.len());
        // Quotes, backslashes, tabs and Korean as they were; controls the reader drops.
        for url in [
            "https://a.example/x?q=\"1\"&b=\\",
            "https://c.example/한국어/\tx",
            "https://e.example/only-state",
        ] {
            assert_eq!(read[url], archive[url], "{url}");
        }
        assert!(read.contains_key("https://b.example/[31m"), "{read:?}");
        let long = format!("https://f.example/{}", "x".repeat(1100));
        archive.insert(long.clone(), Archived::default());
        assert!(!parse_archive(&write_archive(&archive))
            .unwrap()
            .contains_key(&long));
    }

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
