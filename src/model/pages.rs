//! The pages of a digest, in a fixed order: what each shows (`PageKind`), list pages and
//! their pagination (`ListPage`, `PageSizes`), and where each is written.

use super::*;

/// What a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Index,
    Article(ArticleId),
    Day(EditionId),
    Month(MonthId),
    Year(YearId),
    Topic(TopicId),
    Topics,
    Source(SourceId),
    Sources,
    Author(AuthorId),
    /// A page that is no article (`/about/`).
    Standalone(StandaloneId),
    /// Everyone who writes the digest.
    Authors,
    Story(StoryId),
    /// Every story thread.
    Stories,
    Editions,
    Search,
    Archive,
    NotFound,
    /// An old address that sends readers on (`digest[id]` is where it leads).
    Redirect(RedirectId),
}

/// One page of a paginated list.
#[derive(Debug, Clone)]
pub struct ListPage {
    /// The articles on this page.
    pub articles: Vec<ArticleId>,
    /// Articles in the whole list.
    pub count: usize,
    pub current: usize,
    pub total: usize,
    /// Site path of the list's first page (`topics/diplomacy/`).
    pub first_path: String,
}

/// How many articles the pages of a list hold: `paginate_by` on the first, which shows
/// each article in full, and `paginate_later_by` on each later one, where themes list
/// headlines (so a long list costs a few pages, not hundreds). `later: 0`: the list has
/// its first page only (the front page, which shows the latest editions and links to
/// the rest).
#[derive(Debug, Clone, Copy)]
pub struct PageSizes {
    pub first: usize,
    pub later: usize,
}

impl PageSizes {
    /// The number of pages of a list of `len` articles (1 for an empty list).
    pub fn pages(self, len: usize) -> usize {
        if self.later == 0 {
            return 1;
        }
        1 + len.saturating_sub(self.first).div_ceil(self.later)
    }

    /// The articles (`start..end`) on page `current` (1-based) of a list of `len`.
    pub fn range(self, current: usize, len: usize) -> (usize, usize) {
        let (start, per) = if current <= 1 {
            (0, self.first)
        } else {
            (self.first + (current - 2) * self.later, self.later)
        };
        (start.min(len), (start + per).min(len))
    }
}

impl ListPage {
    pub fn path_of(&self, number: usize) -> String {
        page_path(&self.first_path, number)
    }
}

/// One page to render: its site path (relative to the base URL; `""` is the front page).
#[derive(Debug, Clone)]
pub struct Page {
    pub path: String,
    pub kind: PageKind,
    pub list: Option<ListPage>,
}

/// The file of a page at `path` (`2018/08/15/kim/` -> `2018/08/15/kim/index.html`).
/// A path that names a file (`blog/welcome.html`, an old address) is that file.
pub fn page_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The site path of page `number` of a list whose first page is at `first`.
pub fn page_path(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{number}/")
    }
}

impl Digest {
    /// Every page of the site, in a fixed order: the front page, articles, each edition,
    /// month, year, topic and outlet with their pages, stories, the single pages, and
    /// the old addresses.
    pub(super) fn enumerate_pages(&self, config: &SiteConfig) -> Vec<Page> {
        let sizes = PageSizes {
            first: config.paginate_by.max(1),
            later: config.paginate_later_by.max(1),
        };
        let first_only = PageSizes { later: 0, ..sizes };
        let mut pages = Vec::new();
        let all: Vec<ArticleId> = self.listed_ids().collect();
        paged(&mut pages, first_only, "", PageKind::Index, &all);
        for (i, a) in self.article_ids().zip(&self.articles) {
            pages.push(Page::single(&a.url_path, PageKind::Article(i)));
        }
        self.list_pages(&mut pages, sizes);
        for (i, s) in self.story_ids().zip(&self.stories) {
            pages.push(Page::single(&s.url_path, PageKind::Story(i)));
        }
        // The pages of which a site has one.
        let single = [
            ("stories/", PageKind::Stories),
            ("search/", PageKind::Search),
            ("editions/", PageKind::Editions),
            ("sources/", PageKind::Sources),
            ("archive/", PageKind::Archive),
            ("404.html", PageKind::NotFound),
        ];
        pages.extend(
            single
                .into_iter()
                .map(|(path, kind)| Page::single(path, kind)),
        );
        for (i, p) in self.standalone_ids().zip(&self.standalone) {
            pages.push(Page::single(&p.url_path, PageKind::Standalone(i)));
        }
        pages.extend(self.redirect_pages());
        pages
    }

    /// Each edition's, month's, year's, topic's and outlet's pages (and the topics page).
    fn list_pages(&self, pages: &mut Vec<Page>, sizes: PageSizes) {
        for (i, e) in self.edition_ids().zip(&self.editions) {
            paged(pages, sizes, &e.url_path, PageKind::Day(i), &e.articles);
        }
        for (i, m) in self.month_ids().zip(&self.months) {
            paged(pages, sizes, &m.url_path, PageKind::Month(i), &m.articles);
        }
        for (i, y) in self.year_ids().zip(&self.years) {
            paged(pages, sizes, &y.url_path, PageKind::Year(i), &y.articles);
        }
        for (i, t) in self.topic_ids().zip(&self.topics) {
            paged(pages, sizes, &t.url_path, PageKind::Topic(i), &t.articles);
        }
        pages.push(Page::single("topics/", PageKind::Topics));
        for (i, s) in self.source_ids().zip(&self.sources) {
            paged(pages, sizes, &s.url_path, PageKind::Source(i), &s.articles);
        }
        for (i, a) in self.author_ids().zip(&self.authors) {
            paged(pages, sizes, &a.url_path, PageKind::Author(i), &a.articles);
        }
        if !self.authors.is_empty() {
            pages.push(Page::single("authors/", PageKind::Authors));
        }
    }
}

impl Page {
    /// A page that is no list.
    fn single(path: &str, kind: PageKind) -> Page {
        Page {
            path: path.into(),
            kind,
            list: None,
        }
    }
}

/// The pages of a list of `articles` whose first page is at `first`, as `sizes` cut it.
fn paged(
    pages: &mut Vec<Page>,
    sizes: PageSizes,
    first: &str,
    kind: PageKind,
    articles: &[ArticleId],
) {
    let total = sizes.pages(articles.len());
    for current in 1..=total {
        let (start, end) = sizes.range(current, articles.len());
        let list = ListPage {
            articles: articles.get(start..end).unwrap_or(&[]).to_vec(),
            count: articles.len(),
            current,
            total,
            first_path: first.to_string(),
        };
        pages.push(Page {
            path: page_path(first, current),
            kind,
            list: Some(list),
        });
    }
}
