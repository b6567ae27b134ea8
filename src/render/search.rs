//! The search index the theme's search page reads in the browser, split so that a query
//! downloads only the parts it needs: a small manifest, posting lists sharded by word
//! prefix, and result records in small shared files. Built from the model's own text
//! (headline, summary, body text, topics, outlet, date, URL). Pure: text in, files out.
//!
//! Layout (version 2), under `search-index/`:
//!
//! - `manifest.json`: `{"v":2,"count":N,"records":32,"span":16384,"topics":[[name,n,slug]…],
//!   "outlets":[[name,n,slug]…],"leaves":{"ki":0,"minister$":1,…}}`. Article ids run from 0
//!   (the oldest) to N-1 (the newest), so adding an article changes only the newest parts.
//! - `r/K.json`: the records of ids `32K…32K+31`, each `[path, headline, summary, outlet,
//!   "YYYY-MM-DD", [topics]]` (paths relative to the site's base path).
//! - `t/HEX.bin`: a leaf of the term trie (HEX: the leaf's key, its UTF-8 bytes in hex).
//!   A leaf `p` holds every term that starts with `p` and has no longer leaf; a key
//!   ending in `$` holds only the term before it. Each entry: LEB128 term length, the
//!   term, LEB128 list length in bytes, the list. A leaf marked 1 in the manifest holds
//!   one term whose list is too long for one file: it is cut by id into pieces
//!   `t/HEX.J.bin` (ids `span·J…span·(J+1)-1`, the list alone), and the page loads the
//!   newest piece first.
//! - A posting list: ascending ids, each as LEB128 `((id - previous - 1) << 2) | field`
//!   (previous starts at -1), field 0 headline, 1 topic or outlet, 2 summary, 3 body.
//!
//! Terms are the words of [`words`]; text in Han, kana or Hangul is indexed as
//! overlapping pairs of characters, so a word anywhere in unspaced text is found (the
//! page splits queries the same way). Topics and outlets are also listed under the
//! filter terms `#t` + slug and `#o` + slug.

use crate::model::{ArticleId, Digest};
use anyhow::Result;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The folder of the index, relative to the base URL.
pub const INDEX_DIR: &str = "search-index/";

/// The manifest, the one file every search loads first.
pub const MANIFEST_PATH: &str = "search-index/manifest.json";

/// How many distinct words of each body are indexed (the first ones: a news summary
/// puts the facts first). Title and summary words are always indexed.
pub const BODY_TERMS: usize = 250;

/// Records per record file: a result list of 20 loads at most 20 small files.
pub const RECORDS_PER_FILE: usize = 32;

/// Ids per piece of a long posting list.
pub const SPAN: u32 = 16_384;

/// A leaf bigger than this (in bytes) is split by the next character; a single term's
/// list bigger than this is cut into pieces.
const LEAF_LIMIT: usize = 24 * 1024;

/// A summary longer than this (in bytes) is cut at a word in its record.
const SUMMARY_LIMIT: usize = 320;

/// The field a term was found in, best first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Field {
    Headline = 0,
    Topic = 1,
    Summary = 2,
    Body = 3,
}

/// An article's place in the index: 0 is the oldest article, so ids stay put when newer
/// articles are added.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
pub struct DocId(pub u32);

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

/// The characters indexed in pairs (Han, kana, Hangul), as the script's regular
/// expression writes them (a test checks that search.js has the same class).
pub const PAIRED_CLASS: &str = "[\\u1100-\\u11ff\\u3040-\\u30ff\\u3130-\\u318f\\u31f0-\\u31ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\uff66-\\uff9f]";

/// Whether `c` is written without spaces between words (or, for Hangul, is matched by
/// its syllables): see [`PAIRED_CLASS`].
fn is_paired(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11ff | 0x3040..=0x30ff | 0x3130..=0x318f | 0x31f0..=0x31ff
        | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff
        | 0xff66..=0xff9f)
}

/// Whether `word` is one of [`STOP_WORDS`] (a set built once).
fn is_stop_word(word: &str) -> bool {
    static SET: std::sync::OnceLock<FastSet<&str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(word)
}

/// The longest stop word, in bytes: longer words need no lookup.
const LONGEST_STOP_WORD: usize = 5;

/// The searchable words of `text`: runs of letters and digits, lower-cased, at least two
/// characters long, without stop words; a run of Han, kana or Hangul gives each pair of
/// neighbouring characters (one character alone gives itself). The page's script splits
/// the same way. Words already in lower case are borrowed, not copied.
pub fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    text.split(|c: char| {
        if c.is_ascii() {
            !c.is_ascii_alphanumeric()
        } else {
            !c.is_alphanumeric()
        }
    })
    .filter(|w| !w.is_empty())
    .flat_map(split_paired)
    .filter(|w| w.len() >= 2 && (w.len() > 4 || w.chars().nth(1).is_some() || is_lone_pair(w)))
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

/// A single paired character (a one-character run of Han, kana or Hangul).
fn is_lone_pair(w: &str) -> bool {
    let mut chars = w.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_paired(c))
}

/// A run of letters as words: itself when it has no paired characters (the common case,
/// without allocating), else its other parts and the pairs of its paired parts.
fn split_paired(run: &str) -> Parts<'_> {
    if run.is_ascii() || !run.chars().any(is_paired) {
        Parts::One(Some(run))
    } else {
        Parts::Many(split_pairs(run).into_iter())
    }
}

/// The words of one run of letters: the run itself, or its parts.
enum Parts<'a> {
    One(Option<&'a str>),
    Many(std::vec::IntoIter<&'a str>),
}

impl<'a> Iterator for Parts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Parts::One(run) => run.take(),
            Parts::Many(parts) => parts.next(),
        }
    }
}

/// A run with paired characters: its other parts, and the pairs of its paired parts.
fn split_pairs(run: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = run.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(run.len(), |&(at, _)| at);
    let mut k = 0;
    while k < chars.len() {
        let paired = is_paired(chars[k].1);
        let start = k;
        while k < chars.len() && is_paired(chars[k].1) == paired {
            k += 1;
        }
        if !paired || k - start == 1 {
            out.push(&run[chars[start].0..end_of(k)]);
            continue;
        }
        for j in start..k - 1 {
            out.push(&run[chars[j].0..end_of(j + 2)]);
        }
    }
    out
}

/// The text of a Markdown document, without markup.
pub fn plain_text(markdown: &str) -> String {
    crate::markdown::search_text(markdown)
}

use crate::util::hash::Fnv;

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

/// term -> postings, each `(article number in the digest << 2) | field` (unsorted; an
/// article may be listed more than once, its best field wins).
type Postings = FastMap<String, Vec<u32>>;

/// The index terms of some articles, gathered while their pages are rendered (so their
/// bodies need not be read and parsed again), then completed by [`index`].
#[derive(Default)]
pub struct Terms {
    postings: Postings,
    /// The articles whose terms are in.
    done: Vec<u32>,
}

impl Terms {
    /// Adds article `doc`: the words of its headline and
    /// summary, and the first [`BODY_TERMS`] distinct words of its body that are in
    /// neither. `body` is its text's [`words`] or its [`body_words`].
    pub fn add<'w>(
        &mut self,
        doc: ArticleId,
        title: &str,
        summary: &str,
        body: impl Iterator<Item = Cow<'w, str>>,
    ) {
        let doc = doc.index() as u32;
        // Sized for what they take, so they never grow (and rehash) while filling.
        let mut head: FastSet<Cow<str>> = FastSet::with_capacity_and_hasher(64, Default::default());
        for w in words(title) {
            if head.insert(w.clone()) {
                self.push(&w, doc, Field::Headline);
            }
        }
        for w in words(summary) {
            if head.insert(w.clone()) {
                self.push(&w, doc, Field::Summary);
            }
        }
        let (mut body_terms, mut distinct) = (0, 0);
        let mut seen: FastSet<Cow<str>> =
            FastSet::with_capacity_and_hasher(2 * BODY_TERMS, Default::default());
        for w in body {
            if body_terms == BODY_TERMS || distinct == 2 * BODY_TERMS {
                break;
            }
            if !seen.insert(w.clone()) {
                continue;
            }
            distinct += 1;
            if !head.contains(w.as_ref()) {
                self.push(&w, doc, Field::Body);
                body_terms += 1;
            }
        }
        self.done.push(doc);
    }

    /// Lists `doc` under `term`; the term is copied only the first time.
    fn push(&mut self, term: &str, doc: u32, field: Field) {
        let value = (doc << 2) | field as u32;
        match self.postings.get_mut(term) {
            Some(list) => list.push(value),
            None => self
                .postings
                .insert(term.to_string(), vec![value])
                .map_or((), drop),
        }
    }

    /// Both sets of terms in one.
    pub fn merge(mut self, other: Terms) -> Terms {
        let (mut big, small) = if self.postings.len() >= other.postings.len() {
            (self.postings, other.postings)
        } else {
            (other.postings, self.postings)
        };
        for (term, list) in small {
            big.entry(term).or_default().extend(list);
        }
        self.postings = big;
        self.done.extend(other.done);
        self
    }
}

/// One file of the index: its site path and its bytes.
pub type IndexFile = (String, Vec<u8>);

/// The index's files, in path order. `summaries[i]` is article `i`'s summary as plain
/// text; `gathered` holds the terms of the articles whose pages were rendered, and
/// `body_words(i)` gives the distinct words of any other article's body ([`body_words`]).
pub fn index(
    digest: &Digest,
    summaries: &[&str],
    gathered: Terms,
    body_words: &(dyn Fn(ArticleId) -> Result<std::sync::Arc<Vec<String>>> + Sync),
) -> Result<Vec<IndexFile>> {
    let count = digest.articles.len();
    let mut done = vec![false; count];
    for &doc in &gathered.done {
        if let Some(d) = done.get_mut(doc as usize) {
            *d = true;
        }
    }
    let rest: Vec<ArticleId> = digest.article_ids().filter(|&i| !done[i.index()]).collect();
    // Built in parallel over runs of articles and merged, so only each term's postings
    // are held, never every article's words at once.
    let mut terms = rest
        .into_par_iter()
        .try_fold(Terms::default, |mut terms, i| -> Result<Terms> {
            let body = body_words(i)?;
            let summary = summaries.get(i.index()).copied().unwrap_or("");
            terms.add(
                i,
                &digest[i].title,
                summary,
                body.iter().map(|w| Cow::Borrowed(w.as_str())),
            );
            Ok(terms)
        })
        .try_reduce(Terms::default, |a, b| Ok(a.merge(b)))?
        .merge(gathered);
    add_topics_and_outlets(&mut terms, digest);
    let hidden: Vec<bool> = digest.articles.iter().map(|a| a.hidden).collect();
    let lists = sorted_lists(terms.postings, count, &hidden);
    let mut leaves = BTreeMap::new();
    let mut files = Vec::new();
    partition(&lists, "", count, &mut leaves, &mut files);
    files.extend(records(digest, summaries)?);
    files.push((MANIFEST_PATH.to_string(), manifest(digest, &leaves)?));
    files.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// The words of each article's topics and outlet (the second field), and the filter
/// terms `#t` + topic slug and `#o` + outlet slug.
fn add_topics_and_outlets(terms: &mut Terms, digest: &Digest) {
    let topic_words: Vec<Vec<String>> = digest
        .topics
        .iter()
        .map(|t| words(&t.name).map(Cow::into_owned).collect())
        .collect();
    let outlet_words: Vec<Vec<String>> = digest
        .sources
        .iter()
        .map(|s| words(&s.name).map(Cow::into_owned).collect())
        .collect();
    for (i, a) in digest.article_ids().zip(&digest.articles) {
        let doc = i.index() as u32;
        for &t in &a.topics {
            for w in &topic_words[t.index()] {
                terms.push(w, doc, Field::Topic);
            }
            terms.push(&format!("#t{}", digest[t].slug), doc, Field::Headline);
        }
        if let Some(s) = a.source_id {
            for w in &outlet_words[s.index()] {
                terms.push(w, doc, Field::Topic);
            }
            terms.push(&format!("#o{}", digest[s].slug), doc, Field::Headline);
        }
    }
}

/// A term and its postings, each `(id << 2) | field`, ascending, one per article.
struct List {
    term: String,
    postings: Vec<u32>,
    /// The postings as a leaf stores them ([`encode`]).
    bytes: Vec<u8>,
}

/// Every term's list in term order, with ids (newest highest) in place of digest places
/// (newest first), each article once with its best field.
fn sorted_lists(postings: Postings, count: usize, hidden: &[bool]) -> Vec<List> {
    let mut lists: Vec<List> = postings
        .into_par_iter()
        .filter_map(|(term, list)| {
            let mut ids: Vec<u32> = list
                .into_iter()
                .filter(|v| !hidden.get((v >> 2) as usize).copied().unwrap_or(false))
                .map(|v| ((count as u32 - 1 - (v >> 2)) << 2) | (v & 3))
                .collect();
            ids.sort_unstable();
            ids.dedup_by_key(|v| *v >> 2);
            let bytes = encode(&ids);
            (!ids.is_empty()).then_some(List {
                term,
                postings: ids,
                bytes,
            })
        })
        .collect();
    lists.par_sort_unstable_by(|a, b| a.term.cmp(&b.term));
    lists
}

/// Postings as LEB128 numbers: `((id - previous - 1) << 2) | field`.
fn encode(postings: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(postings.len() + 4);
    let mut next = 0u32;
    for &v in postings {
        let id = v >> 2;
        push_varint(&mut out, (u64::from(id - next) << 2) | u64::from(v & 3));
        next = id + 1;
    }
    out
}

fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// The bytes a list takes in a leaf.
fn entry_size(list: &List) -> usize {
    list.term.len() + list.bytes.len() + 6
}

/// Splits the terms that start with `prefix` (all of `lists`) into leaves of at most
/// [`LEAF_LIMIT`] bytes, by their next character; a single term too big for a leaf is
/// cut into pieces. The root is always split, so every leaf has a key.
fn partition(
    lists: &[List],
    prefix: &str,
    count: usize,
    leaves: &mut BTreeMap<String, u8>,
    files: &mut Vec<IndexFile>,
) {
    if lists.is_empty() {
        return;
    }
    let size: usize = lists.iter().map(entry_size).sum();
    if !prefix.is_empty() && size <= LEAF_LIMIT {
        leaves.insert(prefix.to_string(), 0);
        files.push((leaf_path(prefix, None), leaf_bytes(lists)));
        return;
    }
    if let [only] = lists {
        let key = format!("{}$", only.term);
        if size <= LEAF_LIMIT {
            files.push((leaf_path(&key, None), leaf_bytes(lists)));
            leaves.insert(key, 0);
        } else {
            files.extend(pieces(only, &key, count));
            leaves.insert(key, 1);
        }
        return;
    }
    let mut rest = lists;
    if rest[0].term == prefix {
        partition(&rest[..1], &format!("{prefix}$"), count, leaves, files);
        rest = &rest[1..];
    }
    let at = prefix.len();
    while let Some(first) = rest.first() {
        let c = first.term[at..].chars().next().unwrap_or(' ');
        let child = format!("{prefix}{c}");
        let n = rest.partition_point(|l| l.term.starts_with(&child));
        partition(&rest[..n.max(1)], &child, count, leaves, files);
        rest = &rest[n.max(1)..];
    }
}

/// Where a leaf (or its piece `j`) is written.
fn leaf_path(key: &str, piece: Option<u32>) -> String {
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    match piece {
        Some(j) => format!("{INDEX_DIR}t/{hex}.{j}.bin"),
        None => format!("{INDEX_DIR}t/{hex}.bin"),
    }
}

/// A leaf: each term's length, the term, its list's length, the list.
fn leaf_bytes(lists: &[List]) -> Vec<u8> {
    let mut out = Vec::with_capacity(lists.iter().map(entry_size).sum());
    for list in lists {
        push_varint(&mut out, list.term.len() as u64);
        out.extend_from_slice(list.term.as_bytes());
        push_varint(&mut out, list.bytes.len() as u64);
        out.extend_from_slice(&list.bytes);
    }
    out
}

/// A long list cut by id into pieces of [`SPAN`] ids (empty pieces too, so the page can
/// name every piece from the manifest alone).
fn pieces(list: &List, key: &str, count: usize) -> Vec<IndexFile> {
    let n = (count as u32).div_ceil(SPAN).max(1);
    (0..n)
        .map(|j| {
            let (lo, hi) = (j * SPAN, (j + 1) * SPAN);
            let from = list.postings.partition_point(|v| v >> 2 < lo);
            let to = list.postings.partition_point(|v| v >> 2 < hi);
            (leaf_path(key, Some(j)), encode(&list.postings[from..to]))
        })
        .collect()
}

/// The record files: each article's path, headline, summary, outlet, day and topics (and
/// its language where it differs from the site's).
fn records(digest: &Digest, summaries: &[&str]) -> Result<Vec<IndexFile>> {
    let count = digest.articles.len();
    let files = count.div_ceil(RECORDS_PER_FILE);
    (0..files)
        .into_par_iter()
        .map(|k| {
            let ids = k * RECORDS_PER_FILE..((k + 1) * RECORDS_PER_FILE).min(count);
            let records: Vec<serde_json::Value> = ids
                .map(|id| {
                    let i = ArticleId::new(count - 1 - id);
                    let a = &digest[i];
                    if a.hidden {
                        // Listed nowhere: no record, only its place (no term leads to it).
                        return serde_json::Value::Null;
                    }
                    let outlet = a.source_id.map_or("", |s| digest[s].name.as_str());
                    let topics: Vec<&str> =
                        a.topics.iter().map(|&t| digest[t].name.as_str()).collect();
                    let summary = cut(summaries.get(i.index()).copied().unwrap_or("").trim());
                    let mut record = serde_json::json!([
                        a.url_path,
                        a.title,
                        summary,
                        outlet,
                        a.day().format("%Y-%m-%d").to_string(),
                        topics
                    ]);
                    // An article in another language than the site's says which (`lang:`).
                    if let (Some(lang), Some(list)) = (&a.lang, record.as_array_mut()) {
                        list.push(lang.as_str().into());
                    }
                    record
                })
                .collect();
            let mut json = serde_json::to_vec(&records)?;
            json.push(b'\n');
            Ok((format!("{INDEX_DIR}r/{k}.json"), html_safe(json)))
        })
        .collect()
}

/// JSON safe inside a `<script>`, like every JSON file the build writes (copied only
/// when it holds a `<`).
fn html_safe(json: Vec<u8>) -> Vec<u8> {
    if !json.contains(&b'<') {
        return json;
    }
    let text = String::from_utf8_lossy(&json);
    crate::markdown::html_safe_json(&text).into_bytes()
}

/// `text` cut after a word near [`SUMMARY_LIMIT`] bytes, with an ellipsis.
fn cut(text: &str) -> Cow<'_, str> {
    if text.len() <= SUMMARY_LIMIT {
        return Cow::Borrowed(text);
    }
    let mut end = SUMMARY_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let head = head.rfind(' ').map_or(head, |at| &head[..at]);
    Cow::Owned(format!("{}…", head.trim_end()))
}

/// The manifest: how many articles, the layout's constants, the topics and outlets with
/// their counts, and every leaf (1: cut into pieces).
fn manifest(digest: &Digest, leaves: &BTreeMap<String, u8>) -> Result<Vec<u8>> {
    let topics: Vec<(&str, usize, &str)> = digest
        .topics
        .iter()
        .map(|t| (t.name.as_str(), t.articles.len(), t.slug.as_str()))
        .collect();
    let mut outlets: Vec<(&str, usize, &str)> = digest
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.articles.len(), s.slug.as_str()))
        .collect();
    outlets.sort_by(|a, b| {
        a.0.to_lowercase()
            .cmp(&b.0.to_lowercase())
            .then(a.0.cmp(b.0))
    });
    let mut json = serde_json::to_vec(&serde_json::json!({
        "v": 2,
        "count": digest.articles.len(),
        "records": RECORDS_PER_FILE,
        "span": SPAN,
        "topics": topics,
        "outlets": outlets,
        "leaves": leaves,
    }))?;
    json.push(b'\n');
    Ok(html_safe(json))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        words(text).map(Cow::into_owned).collect()
    }

    #[test]
    fn words_are_lower_case_runs_of_letters_without_stop_words() {
        assert_eq!(
            all("Putin's “offer” to Kim: Côte d’Ivoire, 2018 & a 7"),
            ["putin", "offer", "kim", "côte", "ivoire", "2018"]
        );
    }

    #[test]
    fn han_kana_and_hangul_are_indexed_in_pairs() {
        assert_eq!(all("早期会談へ"), ["早期", "期会", "会談", "談へ"]);
        assert_eq!(all("普京准备"), ["普京", "京准", "准备"]);
        assert_eq!(all("서울시는 발표"), ["서울", "울시", "시는", "발표"]);
        assert_eq!(all("G7サミット 中"), ["g7", "サミ", "ミッ", "ット", "中"]);
        assert_eq!(all("Tokyo東京"), ["tokyo", "東京"]);
    }

    #[test]
    fn the_script_splits_and_stops_as_the_index_does() {
        let script = include_str!("../../themes/default/static/search.js");
        assert!(
            script.contains(PAIRED_CLASS),
            "search.js pairs other characters"
        );
        assert!(
            script.contains(&STOP_WORDS.join(" ")),
            "search.js has the same stop words"
        );
        for c in [
            '\u{1100}', '\u{3042}', '\u{30a2}', '\u{4e2d}', '\u{ac00}', '\u{ff66}',
        ] {
            assert!(is_paired(c), "{c}");
        }
        for c in ['a', 'é', '\u{3000}', '\u{0e01}'] {
            assert!(!is_paired(c), "{c}");
        }
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
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        assert!(!is_stop_word("zeppelin") && !is_stop_word("abo") && !is_stop_word(""));
    }

    #[test]
    fn postings_are_gaps_and_fields_in_leb128() {
        let posting = |id: u32, field: u32| (id << 2) | field;
        assert_eq!(
            encode(&[posting(0, 3), posting(1, 0), posting(40, 2)]),
            [3, 0, 0x9a, 0x01]
        );
    }

    fn list(term: &str, ids: std::ops::Range<u32>) -> List {
        let postings: Vec<u32> = ids.map(|id| id << 2).collect();
        List {
            term: term.into(),
            bytes: encode(&postings),
            postings,
        }
    }

    #[test]
    fn big_leaves_split_by_the_next_character_and_long_lists_into_pieces() {
        let lists = vec![
            list("gov", 0..10),
            list("government", 0..40_000),
            list("governor", 0..10),
            list("kim", 0..3),
        ];
        let (mut leaves, mut files) = (BTreeMap::new(), Vec::new());
        partition(&lists, "", 40_000, &mut leaves, &mut files);
        let keys: Vec<(&str, u8)> = leaves.iter().map(|(k, &v)| (k.as_str(), v)).collect();
        assert_eq!(
            keys,
            [("gov$", 0), ("government$", 1), ("governo", 0), ("k", 0)]
        );
        let paths: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert!(paths.contains(&"search-index/t/6b.bin"), "{paths:?}");
        assert!(paths.contains(&"search-index/t/676f7665726e6d656e7424.2.bin"));
        let last = files.iter().find(|f| f.0.ends_with("7424.2.bin")).unwrap();
        assert_eq!(
            last.1.len(),
            40_000 - 2 * SPAN as usize + 2,
            "the first id takes three bytes"
        );
    }

    #[test]
    fn long_summaries_are_cut_at_a_word() {
        let long = "word ".repeat(100);
        let cut = cut(&long);
        assert!(
            cut.len() <= SUMMARY_LIMIT + 3 && cut.ends_with("word…"),
            "{cut}"
        );
        assert_eq!(super::cut("Short."), "Short.");
    }
}
