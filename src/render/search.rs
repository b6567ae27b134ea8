//! The search index (`search-index.json`) that the theme's search page loads in the
//! browser: every article's path, title, day and topics, and an inverted index of the words
//! of its summary and the start of its body. Pure: text in, JSON text out.
//!
//! The format (version 1), kept compact so that 10,000 articles load quickly on a phone:
//!
//! ```json
//! {"v": 1,
//!  "topics": ["Diplomacy", "Russia"],
//!  "docs": [["2018/08/15/kim/", "Putin ready to meet Kim", "2018-08-15", [0, 1]]],
//!  "terms": {"kremlin": "0,4|2"}}
//! ```
//!
//! `docs` are newest first (a document's number is its place in this list); paths are
//! relative to the site's base path. Each term maps to the documents whose summary holds
//! it, then `|` and the documents whose body holds it (and summary and title do not):
//! document numbers as gaps from the previous one, in base 36. Words of titles and topic
//! names are not listed: the page matches them against `docs` itself. The page weighs a
//! match in the title over one in the topics, the summary and the body, and breaks ties by
//! recency (the order of `docs`).

use crate::model::Digest;
use anyhow::Result;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Where the index is written, relative to the base URL.
pub const INDEX_PATH: &str = "search-index.json";

/// How many distinct words of each body are indexed (the first ones: a news summary
/// puts the facts first). Title and summary words are always indexed.
pub const BODY_TERMS: usize = 250;

/// Words too common to search for, in sorted order. The search page's script leaves out
/// the same ones (a test checks).
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "could", "did", "do", "for", "from", "had", "has", "have", "he", "her",
    "his", "if", "in", "into", "is", "it", "its", "more", "most", "no", "not", "of", "on", "one",
    "or", "our", "out", "over", "said", "says", "she", "so", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "to", "two", "up", "was", "we",
    "were", "what", "when", "which", "who", "will", "with", "would", "you",
];

/// Whether `word` is one of [`STOP_WORDS`] (a set built once: a hash and one comparison,
/// where a binary search over the list makes six).
fn is_stop_word(word: &str) -> bool {
    static SET: std::sync::OnceLock<FastSet<&str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(word)
}

/// The longest stop word, in bytes: longer words need no lookup.
const LONGEST_STOP_WORD: usize = 5;

/// The searchable words of `text`: runs of letters and digits, lower-cased, at least two
/// characters long, without stop words. (The page's script splits the same way.)
/// Words already in lower case are borrowed, not copied. ASCII, the common case, is
/// checked byte by byte; other characters by their Unicode properties.
pub fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    text.split(|c: char| {
        if c.is_ascii() {
            !c.is_ascii_alphanumeric()
        } else {
            !c.is_alphanumeric()
        }
    })
    .filter(|w| w.len() >= 2 && (w.len() > 4 || w.chars().nth(1).is_some()))
    .map(|w| {
        let upper = if w.is_ascii() {
            w.bytes().any(|b| b.is_ascii_uppercase())
        } else {
            w.chars().any(char::is_uppercase)
        };
        if upper {
            Cow::Owned(w.to_lowercase())
        } else {
            Cow::Borrowed(w)
        }
    })
    .filter(|w| w.len() > LONGEST_STOP_WORD || !is_stop_word(w))
}

/// The text of a Markdown document, without markup.
pub fn plain_text(markdown: &str) -> String {
    crate::markdown::search_text(markdown)
}

/// FNV-1a: for the many short words hashed here, several times faster than the standard
/// library's SipHash (which guards maps against chosen keys; these keys are the site's own).
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastSet<K> = HashSet<K, std::hash::BuildHasherDefault<Fnv>>;
type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// The distinct searchable words of a Markdown body, in the order they first appear.
/// At most twice [`BODY_TERMS`]: enough for the index after the title's and summary's
/// words are set aside, and a bound on what `serve` keeps per article.
pub fn body_words(markdown: &str) -> Vec<String> {
    let text = plain_text(markdown);
    let mut seen = FastSet::default();
    let mut distinct = Vec::new();
    for w in words(&text) {
        if distinct.len() == 2 * BODY_TERMS {
            break;
        }
        if seen.insert(w.clone()) {
            distinct.push(w.into_owned());
        }
    }
    distinct
}

/// term -> (summary documents, body documents).
type Postings = FastMap<String, (DocList, DocList)>;

/// Document numbers, packed as the gaps between them (LEB128: about a byte each instead
/// of four, and 100,000 articles make tens of millions of them). Numbers pushed in
/// ascending order are stored as gaps; a smaller one, or a list appended by
/// [`DocList::append`], starts again from 0 after a 0 byte. [`DocList::sorted`] gives them
/// all in order.
#[derive(Default, Debug)]
struct DocList {
    bytes: Vec<u8>,
    /// The smallest number the next gap can reach (one past the last number).
    base: u32,
    last: Option<u32>,
}

impl DocList {
    fn push(&mut self, doc: u32) {
        if doc < self.base {
            self.bytes.push(0);
            self.base = 0;
        }
        let mut value = doc - self.base + 1;
        while value >= 0x80 {
            self.bytes.push((value as u8 & 0x7f) | 0x80);
            value >>= 7;
        }
        self.bytes.push(value as u8);
        self.base = doc + 1;
        self.last = Some(doc);
    }

    fn append(&mut self, other: DocList) {
        if other.last.is_none() {
            return;
        }
        if self.last.is_none() {
            *self = other;
            return;
        }
        self.bytes.push(0);
        self.bytes.extend_from_slice(&other.bytes);
        self.base = other.base;
        self.last = other.last;
    }

    /// Every number, ascending.
    fn sorted(&self) -> Vec<u32> {
        let mut docs = Vec::with_capacity(self.bytes.len());
        let (mut base, mut value, mut shift) = (0u32, 0u32, 0);
        for &byte in &self.bytes {
            value |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 != 0 {
                shift += 7;
                continue;
            }
            if value == 0 {
                base = 0;
            } else {
                let doc = base + value - 1;
                docs.push(doc);
                base = doc + 1;
            }
            value = 0;
            shift = 0;
        }
        docs.sort_unstable();
        docs
    }
}

/// The index terms of some articles, gathered while their pages are rendered (so their
/// bodies need not be read and parsed again), then completed by [`index`].
#[derive(Default)]
pub struct Terms {
    postings: Postings,
    /// The articles whose terms are in.
    done: Vec<u32>,
}

impl Terms {
    /// Adds article `doc`: each word once, where it first appears (title, summary, body);
    /// at most [`BODY_TERMS`] from the body. `body` is its text ([`plain_text`]) or its
    /// distinct words.
    pub fn add<'w>(
        &mut self,
        doc: usize,
        title: &str,
        summary: &str,
        body: impl Iterator<Item = Cow<'w, str>>,
    ) {
        let doc = doc as u32;
        let postings = &mut self.postings;
        // Adds a document to a term's list; the term is copied only the first time.
        let mut add = |term: &str, body: bool| {
            let lists = match postings.get_mut(term) {
                Some(lists) => lists,
                None => postings.entry(term.to_string()).or_default(),
            };
            if body { &mut lists.1 } else { &mut lists.0 }.push(doc);
        };
        // The title's and summary's words, and whether the body has had each yet. (A
        // body word already listed for this document ends its term's body list.)
        let mut head: FastMap<Cow<str>, bool> = words(title).map(|w| (w, false)).collect();
        for w in words(summary) {
            if !head.contains_key(w.as_ref()) {
                add(&w, false);
                head.insert(w, false);
            }
        }
        // As `body_words` gives them: its first 2 x BODY_TERMS distinct words, of which
        // the first BODY_TERMS that are not in the title or summary.
        let (mut body_terms, mut distinct) = (0, 0);
        for w in body {
            if body_terms == BODY_TERMS || distinct == 2 * BODY_TERMS {
                break;
            }
            let lists = postings.get_mut(w.as_ref());
            if lists.as_ref().is_some_and(|l| l.1.last == Some(doc)) {
                continue; // already a body term of this document
            }
            if let Some(in_body) = head.get_mut(w.as_ref()) {
                if !*in_body {
                    *in_body = true;
                    distinct += 1;
                }
                continue;
            }
            let lists = match lists {
                Some(lists) => lists,
                None => postings.entry(w.into_owned()).or_default(),
            };
            lists.1.push(doc);
            body_terms += 1;
            distinct += 1;
        }
        self.done.push(doc);
    }

    /// Both sets of terms in one.
    pub fn merge(mut self, other: Terms) -> Terms {
        let (mut big, small) = if self.postings.len() >= other.postings.len() {
            (self.postings, other.postings)
        } else {
            (other.postings, self.postings)
        };
        for (term, (summary, body)) in small {
            let entry = big.entry(term).or_default();
            entry.0.append(summary);
            entry.1.append(body);
        }
        self.postings = big;
        self.done.extend(other.done);
        self
    }
}

/// The index as JSON. `summaries[i]` is article `i`'s summary as plain text; `gathered`
/// holds the terms of the articles whose pages were rendered, and `body_words(i)` gives
/// the distinct words of any other article's body ([`body_words`]).
pub fn index(
    digest: &Digest,
    summaries: &[&str],
    gathered: Terms,
    body_words: &(dyn Fn(usize) -> Result<std::sync::Arc<Vec<String>>> + Sync),
) -> Result<String> {
    // Built in parallel over runs of articles and merged, so only each term's document
    // numbers are held, never every article's words at once (100,000 articles would
    // need hundreds of megabytes).
    let mut done = vec![false; digest.articles.len()];
    for &doc in &gathered.done {
        if let Some(d) = done.get_mut(doc as usize) {
            *d = true;
        }
    }
    let rest: Vec<usize> = (0..digest.articles.len()).filter(|&i| !done[i]).collect();
    let terms = rest
        .into_par_iter()
        .try_fold(Terms::default, |mut terms, i| -> Result<Terms> {
            let body = body_words(i)?;
            let summary = summaries.get(i).copied().unwrap_or("");
            terms.add(
                i,
                &digest.articles[i].title,
                summary,
                body.iter().map(|w| Cow::Borrowed(w.as_str())),
            );
            Ok(terms)
        })
        .try_reduce(Terms::default, |a, b| Ok(a.merge(b)))?
        .merge(gathered);
    // Terms in order, each with ascending document numbers, whatever order the runs
    // were merged in. Each term's entry is written on its own, side by side: at 100,000
    // articles the lists hold tens of millions of document numbers.
    let mut postings: Vec<_> = terms.postings.into_iter().collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let entries: Vec<String> = postings
        .into_par_iter()
        .map(|(term, (summary, body))| {
            let (summary, body) = (summary.sorted(), body.sorted());
            let mut entry =
                String::with_capacity(term.len() + 3 * (summary.len() + body.len()) + 8);
            entry.push_str(&serde_json::to_string(&term).unwrap_or_default());
            entry.push_str(":\"");
            push_gaps(&mut entry, &summary);
            if !body.is_empty() {
                entry.push('|');
                push_gaps(&mut entry, &body);
            }
            entry.push('"');
            entry
        })
        .collect();
    let mut json = String::with_capacity(
        64 * digest.articles.len() + entries.iter().map(|e| e.len() + 1).sum::<usize>(),
    );
    json.push_str("{\"v\":1,\"topics\":");
    let topics: Vec<&str> = digest.topics.iter().map(|t| t.name.as_str()).collect();
    json.push_str(&serde_json::to_string(&topics)?);
    json.push_str(",\"docs\":[");
    let docs: Vec<String> = digest
        .articles
        .par_iter()
        .map(|a| {
            let doc = (
                &a.url_path,
                &a.title,
                a.day().format("%Y-%m-%d").to_string(),
                &a.topics,
            );
            serde_json::to_string(&doc)
        })
        .collect::<Result<_, _>>()?;
    json.push_str(&docs.join(","));
    json.push_str("],\"terms\":{");
    for (n, entry) in entries.iter().enumerate() {
        if n > 0 {
            json.push(',');
        }
        json.push_str(entry);
    }
    json.push_str("}}\n");
    // Safe inside a <script> like every JSON file the build writes; copied only if needed
    // (the index of 100,000 articles is tens of megabytes).
    if json.contains('<') {
        json = crate::markdown::html_safe_json(&json);
    }
    Ok(json)
}

/// Writes ascending document numbers as the gaps between them, in base 36, separated by commas.
fn push_gaps(out: &mut String, list: &[u32]) {
    let mut last = 0;
    for (n, &i) in list.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        push_base36(out, (i - last) as usize);
        last = i;
    }
}

fn push_base36(out: &mut String, mut n: usize) {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = [0u8; 16];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = DIGITS[n % 36];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| d as char));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_runs_of_letters_without_stop_words() {
        let w: Vec<String> = words("Putin's “offer” to Kim: Côte d’Ivoire, 2018 & a 7")
            .map(Cow::into_owned)
            .collect();
        assert_eq!(w, ["putin", "offer", "kim", "côte", "ivoire", "2018"]);
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("## Why\n\nSee [the *map*](x.md) and `code`.")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["Why", "See", "the", "map", "and", "code", "."]
        );
    }

    #[test]
    fn no_stop_word_is_longer_than_the_shortcut_allows() {
        let longest = STOP_WORDS.iter().map(|w| w.len()).max().unwrap();
        assert_eq!(longest, LONGEST_STOP_WORD);
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]), "sorted");
        assert!(
            STOP_WORDS.iter().all(|w| is_stop_word(w)),
            "the match has every stop word"
        );
        assert!(!is_stop_word("zeppelin") && !is_stop_word("abo") && !is_stop_word(""));
    }

    #[test]
    fn doc_lists_pack_and_give_back_every_number_in_order() {
        let mut list = DocList::default();
        for doc in [0, 1, 5, 200, 70_000, 3_000_000_000, 2, 3] {
            list.push(doc);
        }
        assert_eq!(list.last, Some(3));
        let mut other = DocList::default();
        for doc in [4, 6, 127, 128] {
            other.push(doc);
        }
        list.append(other);
        list.append(DocList::default());
        assert_eq!(list.last, Some(128));
        assert_eq!(
            list.sorted(),
            [0, 1, 2, 3, 4, 5, 6, 127, 128, 200, 70_000, 3_000_000_000]
        );
        // Ascending numbers with small gaps take a byte each.
        let mut dense = DocList::default();
        (0..1000).for_each(|doc| dense.push(doc));
        assert_eq!(dense.bytes.len(), 1000);
        assert_eq!(dense.sorted(), (0..1000).collect::<Vec<u32>>());
    }

    #[test]
    fn base36_gaps() {
        let base36 = |n| {
            let mut out = String::new();
            push_base36(&mut out, n);
            out
        };
        assert_eq!(base36(0), "0");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36), "10");
        assert_eq!(base36(36 * 36 * 36 + 1), "1001");
        let mut gaps = String::new();
        push_gaps(&mut gaps, &[3, 5, 41]);
        assert_eq!(gaps, "3,2,10");
    }
}
