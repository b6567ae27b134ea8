//! What the site's data files add to a digest: editor's notes (each edition's title, note
//! and order of articles) and outlets' details from `data/sources.yaml`.

use super::*;
use crate::source::data::{EditionNote, NoteFor, SiteData};

impl Digest {
    /// Adds what the site's data files say: outlet details, and editor's notes (title,
    /// note, order of articles). Returns the problems (a second note for one edition) and
    /// warnings (an `order` entry that names no article of its edition, data that matches
    /// nothing in the content).
    pub(super) fn apply_data(
        &mut self,
        config: &SiteConfig,
        data: &SiteData,
    ) -> (Vec<Problem>, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        // The note each edition got, so a second one for it is reported, not lost.
        let mut noted: HashMap<EditionId, &str> = HashMap::new();
        for note in &data.notes {
            warnings.extend(note.warnings.iter().cloned());
            let Some(e) = self.edition_of(note) else {
                let what = match (note.edition, config.editions) {
                    (NoteFor::Week(..), Cadence::Daily) => "this site has daily editions (`editions = \"weekly\"` in site.toml makes them weekly); name the note after a day, such as 2018-08-15.md".to_string(),
                    _ => "no edition has articles then (yet); it is shown once one does".to_string(),
                };
                let message = format!("the note is not shown: {what}");
                warnings.push(Problem::new(&note.path, None, message));
                continue;
            };
            if let Some(first) = noted.insert(e, &note.path) {
                let message = format!(
                    "is a second note for the edition that {first} is for; merge the two files"
                );
                problems.push(Problem::new(&note.path, None, message));
                continue;
            }
            warnings.extend(self.take_note(e, note));
        }
        // A draft page is published (and warned about) only where drafts are.
        self.standalone = data
            .pages
            .iter()
            .filter(|p| !p.draft || self.with_drafts)
            .cloned()
            .collect();
        for page in &self.standalone {
            warnings.extend(page.warnings.iter().cloned());
        }
        problems.extend(page_clashes(config, &self.standalone));
        if !data.notes.is_empty() || !data.pages.is_empty() {
            self.pages = self.enumerate_pages(config);
        }
        // Entries that match nothing are the default language's to report (translations
        // cite the same outlets; the other trees would report each again).
        let sources = self.take_sources(data);
        let authors = self.take_authors(data);
        if config.is_root_tree() {
            warnings.extend(sources);
            warnings.extend(authors);
        }
        warnings.extend(self.take_archive(data));
        (problems, warnings)
    }

    /// Takes in `data/archive.yaml`; warns about each article whose source is gone with no
    /// archived copy to lead readers to.
    fn take_archive(&mut self, data: &SiteData) -> Vec<Problem> {
        // Two spellings of one address are one story: what each records is merged (a
        // snapshot from one, the state `check --external` found from the other).
        self.archive = HashMap::new();
        for (url, a) in &data.archive {
            let merged = self
                .archive
                .entry(crate::util::url::story_key(url))
                .or_default();
            if merged.url.is_none() {
                merged.url = a.url.clone();
                merged.date = a.date.clone();
            }
            if a.checked > merged.checked || merged.state.is_none() {
                merged.state = a.state.clone().or(merged.state.take());
                merged.checked = a.checked.clone().or(merged.checked.take());
            }
        }
        let mut warnings = Vec::new();
        for a in &self.articles {
            let Some(source) = &a.source else { continue };
            let key = crate::util::url::story_key(&source.url);
            if self
                .archive
                .get(&key)
                .is_some_and(|r| r.is_dead() && r.url.is_none())
            {
                let message = format!("the source {} is no longer available (check --external found it gone) and has no archived copy; run `gazette archive` to find one, or cite another address", source.url);
                warnings.push(Problem::new(&a.path, Some(a.source_line), message));
            }
        }
        warnings
    }

    /// The edition a note is for: the day's, or the week's that holds the day.
    fn edition_of(&self, note: &EditionNote) -> Option<EditionId> {
        self.edition_ids().zip(&self.editions).find_map(|(id, e)| {
            let found = match (note.edition, e.week) {
                (NoteFor::Day(day), None) => e.day == day,
                (NoteFor::Day(day), Some(_)) => e.day <= day && day <= e.last_day,
                (NoteFor::Week(y, w), Some(week)) => (y, w) == week,
                (NoteFor::Week(..), None) => false,
            };
            found.then_some(id)
        })
    }

    /// Gives edition `e` its note's title, text and order of articles (those it names
    /// first, in its order, then the others); warns about each entry of `order` that names
    /// no article of the edition.
    fn take_note(&mut self, e: EditionId, note: &EditionNote) -> Vec<Problem> {
        let mut warnings = Vec::new();
        let mut ordered = Vec::with_capacity(self[e].articles.len());
        for slug in &note.order {
            match self[e].articles.iter().position(|&i| &self[i].slug == slug) {
                Some(at) => ordered.push(self[e].articles.remove(at)),
                None if ordered.iter().any(|&i| &self[i].slug == slug) => {}
                None => {
                    let message = self.misplaced_order(slug, &ordered, e);
                    warnings.push(Problem::new(&note.path, Some(note.order_line), message));
                }
            }
        }
        let edition = &mut self[e];
        ordered.append(&mut edition.articles);
        edition.articles = ordered;
        edition.title = note.title.as_deref().map(crate::markdown::smart_text);
        edition.note = Some(note.body.clone()).filter(|b| !b.trim().is_empty());
        warnings
    }

    /// Gives each outlet its description and home page from `data/sources.yaml`; warns
    /// about an entry that no article cites.
    /// Takes in `data/authors.yaml`; warns about each entry no article's `author:` names.
    fn take_authors(&mut self, data: &SiteData) -> Vec<Problem> {
        let mut warnings = Vec::new();
        for (slug, info) in &data.authors {
            match self.authors.iter_mut().find(|a| &a.slug == slug) {
                Some(author) => {
                    author.bio = info.bio.clone();
                    author.photo = info.photo.clone();
                    author.links = info.links.clone();
                }
                None => warnings.push(Problem::new(
                    crate::source::data::AUTHORS_FILE,
                    Some(info.line),
                    format!("no published article has \"{}\" as its `author`; check the spelling against the articles' `author:`", info.name),
                )),
            }
        }
        warnings
    }

    fn take_sources(&mut self, data: &SiteData) -> Vec<Problem> {
        let mut warnings = Vec::new();
        for (slug, info) in &data.sources {
            match self.sources.iter_mut().find(|s| &s.slug == slug) {
                Some(source) => {
                    source.description = info.description.clone();
                    source.home = info.url.clone();
                }
                None => warnings.push(Problem::new(
                    crate::source::data::SOURCES_FILE,
                    Some(info.line),
                    format!(
                        "no article cites \"{}\"; check the spelling against the articles' `source.name` (or the site's host name)",
                        info.name
                    ),
                )),
            }
        }
        warnings
    }
    /// Why an editor's note's `order` entry `slug` matches no article of edition `e`
    /// (`ordered` holds the ones taken so far): the article moved to another edition (its
    /// date or the time zone changed), or no article has that slug.
    fn misplaced_order(&self, slug: &str, ordered: &[ArticleId], e: EditionId) -> String {
        let elsewhere = self
            .editions
            .iter()
            .find(|other| other.articles.iter().any(|&i| self[i].slug == slug));
        if let Some(other) = elsewhere {
            return format!(
                "`order` names `{slug}`, which is now in the edition of {} (/{}), not this one; it is left out of the order: remove it from `order`, or move the article back by its `date`",
                other.day, other.url_path
            );
        }
        let mut slugs: Vec<&str> = ordered
            .iter()
            .chain(&self[e].articles)
            .map(|&i| self[i].slug.as_str())
            .collect();
        slugs.sort();
        format!(
            "`order` names `{slug}`, which is not an article of this edition; it is left out of the order: check the slug against this edition's articles: {}",
            slugs.join(", ")
        )
    }
}

/// A page of `content/pages/` whose address is a language's tree (`ko.md` at `/ko/`), or
/// another page's (`About.md` beside `about.md`): each a problem naming both.
fn page_clashes(
    config: &SiteConfig,
    pages: &[crate::source::data::StandalonePage],
) -> Vec<Problem> {
    let codes = config.language_codes();
    let mut problems = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let name = page.url_path.trim_end_matches('/');
        if codes.contains(&name) {
            problems.push(Problem::new(&page.path, None, format!("`/{name}/` is where the site's `{name}` pages are; rename the file, such as about.md")));
        } else if let Some(first) = pages[..n].iter().find(|p| p.url_path == page.url_path) {
            problems.push(Problem::new(
                &page.path,
                None,
                format!(
                    "is published at `/{name}/` too, as {} is; keep one of them",
                    first.path
                ),
            ));
        }
    }
    problems
}
