//! Typed ids: an article, edition, topic, outlet, story, month, year, redirect or language
//! tree is named by its own type (`ArticleId`, `TopicId`, …), never a bare index, so one
//! cannot be passed for another; `digest[id]` is the thing it names.

use super::redirects::Redirect;
use super::{Article, Author, Digest, Edition, Month, Source, Story, Topic, Year};
use crate::source::data::StandalonePage;
use std::ops::{Index, IndexMut};

/// An id type over an index (it hashes as the index does, so fingerprints stay the same),
/// and, with the list of `Digest` it indexes, `digest[id]` and the ids of that list.
macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(usize);

        impl $name {
            /// The id of the thing at `index` of its list.
            pub const fn new(index: usize) -> $name {
                $name(index)
            }

            /// Where it is in its list.
            pub const fn index(self) -> usize {
                self.0
            }

            /// The id before it in its list (`None` for the first).
            pub fn before(self) -> Option<$name> {
                self.0.checked_sub(1).map($name)
            }

            /// The id after it in its list of `len` things (`None` for the last).
            pub fn after(self, len: usize) -> Option<$name> {
                (self.0 + 1 < len).then_some($name(self.0 + 1))
            }

            /// The ids of a list of `len` things, in order.
            pub fn all(len: usize) -> impl DoubleEndedIterator<Item = $name> + ExactSizeIterator {
                (0..len).map($name)
            }
        }
    )*};
}

macro_rules! digest_index {
    ($($name:ident => $list:ident: $item:ty, $ids:ident;)*) => {
        $(
            impl Index<$name> for Digest {
                type Output = $item;
                fn index(&self, id: $name) -> &$item {
                    &self.$list[id.0]
                }
            }

            impl IndexMut<$name> for Digest {
                fn index_mut(&mut self, id: $name) -> &mut $item {
                    &mut self.$list[id.0]
                }
            }
        )*

        impl Digest {
            $(
                #[doc = concat!("The ids of `", stringify!($list), "`, in order.")]
                pub fn $ids(&self) -> impl DoubleEndedIterator<Item = $name> + ExactSizeIterator {
                    $name::all(self.$list.len())
                }
            )*
        }
    };
}

ids! {
    /// An article: its place in `Digest::articles` (newest first).
    ArticleId;
    /// An edition: its place in `Digest::editions` (newest first).
    EditionId;
    /// A topic: its place in `Digest::topics`.
    TopicId;
    /// An outlet: its place in `Digest::sources`.
    SourceId;
    /// A story: its place in `Digest::stories`.
    StoryId;
    /// An author: its place in `Digest::authors`.
    AuthorId;
    /// A page that is no article: its place in `Digest::standalone`.
    StandaloneId;
    /// A month: its place in `Digest::months` (newest first).
    MonthId;
    /// A year: its place in `Digest::years` (newest first).
    YearId;
    /// An old address: its place in `Digest::redirects`.
    RedirectId;
    /// A language's tree: its place in `SiteConfig::trees` (0 is the default language's).
    TreeId;
}

digest_index! {
    ArticleId => articles: Article, article_ids;
    EditionId => editions: Edition, edition_ids;
    TopicId => topics: Topic, topic_ids;
    SourceId => sources: Source, source_ids;
    StoryId => stories: Story, story_ids;
    AuthorId => authors: Author, author_ids;
    StandaloneId => standalone: StandalonePage, standalone_ids;
    MonthId => months: Month, month_ids;
    YearId => years: Year, year_ids;
    RedirectId => redirects: Redirect, redirect_ids;
}
