//! One page's inputs and its fingerprint. [`PageInputs`] holds everything a page shows, as
//! typed references whose hash is the hash of what the page shows of them; the page's
//! fingerprint is the hash of that value, and its template context (`context`) is made from
//! that value alone, so an incremental build cannot miss an input.

use super::views::story_neighbours;
use super::{Renderer, Views};
use crate::model::{ArticleId, EditionId, ListPage, Page, PageKind};
use crate::model::{AuthorId, MonthId, SourceId, StoryId, TopicId};
use std::hash::{Hash, Hasher};

macro_rules! refs {
    ($($(#[$doc:meta])* $name:ident($id:ty): Views::$make:ident from $hashes:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name {
            pub id: $id,
            /// The hash of what a page shows of it (see [`Views`]).
            hash: u64,
        }

        impl Hash for $name {
            fn hash<H: Hasher>(&self, state: &mut H) {
                self.hash.hash(state);
            }
        }

        impl Views {
            fn $make(&self, id: $id) -> $name {
                $name {
                    id,
                    hash: self.$hashes[id.index()],
                }
            }
        }
    )*};
}

refs! {
    /// An article as a list item (or as the article of its page).
    ItemRef(ArticleId): Views::item from item_hash;
    /// An edition, with its title and note.
    EditionRef(EditionId): Views::edition from edition_hash;
    /// A topic: its name, slug, URL and count.
    TopicRef(TopicId): Views::topic from topic_hash;
    /// An outlet: its name, slug, URL, count, description and home page.
    SourceRef(SourceId): Views::source from source_hash;
    /// A story: its name, slug, URL and count.
    StoryRef(StoryId): Views::story from story_hash;
    /// A month: its year, number, name, URL and count.
    MonthRef(MonthId): Views::month from month_hash;
    /// An author: name, slug, URL, count, bio, photo and links.
    AuthorRef(AuthorId): Views::author from author_hash;
}

/// What one page shows: the fingerprint is this value's hash, and the template context is
/// made from this value (and the site-wide values that `site` stands for) alone.
#[derive(Hash)]
pub struct PageInputs<'p> {
    /// The config, the templates, the `site` variable, editions' titles and notes.
    pub(super) site: u64,
    pub(super) path: &'p str,
    pub(super) shown: Shown,
    pub(super) list: Option<ListShown<'p>>,
    /// The page in each of the site's languages that has it.
    pub(super) translations: Option<std::sync::Arc<[super::Translation]>>,
}

/// What a page shows besides its list, by kind of page.
#[derive(Hash)]
pub(super) enum Shown {
    Index,
    Article(ArticleShown),
    Day(DayShown),
    Month(MonthRef),
    Year(i32, Vec<MonthRef>, usize),
    Topic(TopicRef),
    Topics(Vec<TopicRef>),
    Source(SourceRef),
    Sources(Vec<SourceRef>),
    Author(AuthorRef),
    Authors(Vec<AuthorRef>),
    /// A page that is no article, with the hash of its text.
    Standalone(crate::model::StandaloneId, u64),
    Story(StoryRef, Vec<ItemRef>),
    /// Every story, with its latest article, the most recently followed first.
    Stories(Vec<(StoryRef, ItemRef)>),
    Search,
    Editions(Vec<EditionRef>),
    /// Each year (number, article count) with its months.
    Archive(Vec<(i32, usize, Vec<MonthRef>)>),
    NotFound,
    /// An old address: where it leads.
    Redirect(String),
}

/// What an article's page shows besides the article: its neighbours, related articles and
/// story.
#[derive(Hash)]
pub(super) struct ArticleShown {
    pub(super) item: ItemRef,
    /// The rendered body's inputs (its Markdown's key and the update time).
    pub(super) body: u64,
    pub(super) previous: Option<ItemRef>,
    pub(super) next: Option<ItemRef>,
    pub(super) related: Vec<ItemRef>,
    pub(super) story: Option<(StoryRef, Vec<ItemRef>, Vec<ItemRef>)>,
}

/// A day's (an edition's) page: the edition and its neighbours.
#[derive(Hash)]
pub(super) struct DayShown {
    pub(super) edition: EditionRef,
    pub(super) previous: Option<EditionRef>,
    pub(super) next: Option<EditionRef>,
}

/// A list page: where it is among its pages, and its articles grouped by edition.
#[derive(Hash)]
pub(super) struct ListShown<'p> {
    pub(super) current: usize,
    pub(super) total: usize,
    pub(super) count: usize,
    pub(super) first_path: &'p str,
    pub(super) groups: Vec<(EditionRef, Vec<ItemRef>)>,
}

impl<'a> Renderer<'a> {
    /// Everything page `page` shows.
    pub fn inputs<'p>(&self, page: &'p Page) -> PageInputs<'p> {
        PageInputs {
            site: self.views.site_hash,
            path: &page.path,
            shown: self.shown(page.kind),
            list: page.list.as_ref().map(|list| self.list_shown(list)),
            translations: self.views.translations(&page.path),
        }
    }

    /// A fingerprint of everything page `page` is rendered from: two equal fingerprints
    /// mean identical HTML, so the page need not be rendered again.
    pub fn fingerprint(&self, page: &Page) -> u64 {
        crate::util::hash::fingerprint(self.inputs(page))
    }

    fn shown(&self, kind: PageKind) -> Shown {
        let (d, v) = (self.digest, self.views);
        match kind {
            PageKind::Index => Shown::Index,
            PageKind::Article(i) => self.article_shown(i),
            PageKind::Day(i) => Shown::Day(DayShown {
                edition: v.edition(i),
                // Editions are newest first: the previous (older) one comes after.
                previous: i.after(d.editions.len()).map(|j| v.edition(j)),
                next: i.before().map(|j| v.edition(j)),
            }),
            PageKind::Month(i) => Shown::Month(v.month(i)),
            PageKind::Year(i) => {
                let y = &d[i];
                let months = y.months.iter().map(|&m| v.month(m)).collect();
                Shown::Year(y.year, months, y.articles.len())
            }
            PageKind::Topic(i) => Shown::Topic(v.topic(i)),
            PageKind::Topics => Shown::Topics(d.topic_ids().map(|i| v.topic(i)).collect()),
            PageKind::Source(i) => Shown::Source(v.source(i)),
            PageKind::Sources => Shown::Sources(d.source_ids().map(|i| v.source(i)).collect()),
            PageKind::Author(i) => Shown::Author(v.author(i)),
            PageKind::Standalone(i) => {
                let p = &d[i];
                let hash = crate::util::hash::fingerprint((&p.title, &p.description, &p.body));
                Shown::Standalone(i, hash)
            }
            PageKind::Authors => Shown::Authors(d.author_ids().map(|i| v.author(i)).collect()),
            PageKind::Story(i) => {
                let items = d[i].articles.iter().map(|&j| v.item(j)).collect();
                Shown::Story(v.story(i), items)
            }
            PageKind::Stories => self.stories_shown(),
            PageKind::Search => Shown::Search,
            PageKind::Editions => Shown::Editions(d.edition_ids().map(|i| v.edition(i)).collect()),
            PageKind::Archive => self.archive_shown(),
            PageKind::NotFound => Shown::NotFound,
            PageKind::Redirect(i) => Shown::Redirect(d[i].to.clone()),
        }
    }

    /// Every story with articles, with its latest article, the most recently followed
    /// first.
    fn stories_shown(&self) -> Shown {
        let (d, v) = (self.digest, self.views);
        let mut stories: Vec<StoryId> = d
            .story_ids()
            .filter(|&i| !d[i].articles.is_empty())
            .collect();
        let latest = |i: StoryId| *d[i].articles.last().unwrap_or(&ArticleId::new(0));
        // Articles are numbered newest first: the smallest number is the latest.
        stories.sort_by_key(|&i| (latest(i), i));
        Shown::Stories(
            stories
                .into_iter()
                .map(|i| (v.story(i), v.item(latest(i))))
                .collect(),
        )
    }

    /// Each year, with its article count and its months.
    fn archive_shown(&self) -> Shown {
        let (d, v) = (self.digest, self.views);
        Shown::Archive(
            d.years
                .iter()
                .map(|y| {
                    (
                        y.year,
                        y.articles.len(),
                        y.months.iter().map(|&m| v.month(m)).collect(),
                    )
                })
                .collect(),
        )
    }

    fn article_shown(&self, i: ArticleId) -> Shown {
        let (d, v) = (self.digest, self.views);
        let story = d[i].story.map(|s| {
            let list = &d[s].articles;
            let at = list.iter().position(|&j| j == i).unwrap_or(0);
            let (earlier, later) = story_neighbours(list, at);
            let refs = |js: &[ArticleId]| js.iter().map(|&j| v.item(j)).collect::<Vec<_>>();
            (v.story(s), refs(earlier), refs(later))
        });
        Shown::Article(ArticleShown {
            item: v.item(i),
            body: v.body_hash[i.index()],
            // The list is newest first: the previous (older) article comes after.
            previous: d.listed_older(i).map(|j| v.item(j)),
            next: d.listed_newer(i).map(|j| v.item(j)),
            related: v.related[i.index()].iter().map(|&j| v.item(j)).collect(),
            story,
        })
    }

    /// A list's articles grouped by edition, in list order; inside an edition, in the
    /// edition's order (the editor's `order`, then newest first).
    fn list_shown<'p>(&self, list: &'p ListPage) -> ListShown<'p> {
        let (d, v) = (self.digest, self.views);
        let mut groups: Vec<(EditionId, Vec<ArticleId>)> = Vec::new();
        for &i in &list.articles {
            let e = d[i].edition;
            match groups.last_mut() {
                Some((last, items)) if *last == e => items.push(i),
                _ => groups.push((e, vec![i])),
            }
        }
        let groups = groups
            .into_iter()
            .map(|(e, mut items)| {
                items.sort_by_key(|&i| v.place_in_edition[i.index()]);
                (v.edition(e), items.into_iter().map(|i| v.item(i)).collect())
            })
            .collect();
        ListShown {
            current: list.current,
            total: list.total,
            count: list.count,
            first_path: &list.first_path,
            groups,
        }
    }
}
