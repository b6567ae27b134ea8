//! Each story once: items that report the same story are one cluster. Two items are the
//! same story when they have the same address ([`crate::util::url::story_key`]), or when
//! they appeared within [`WINDOW_HOURS`] of each other and their headlines and summaries
//! are alike: the cosine of their TF-IDF word vectors (headline words count twice; words
//! of Chinese, Japanese and Korean as pairs of characters) is at least [`THRESHOLD`].
//! Rare words carry the weight, so two stories that share one word stay apart.
//! Only items that share a word of fewer than [`COMMON_SHARE`] of all items are compared,
//! which keeps 15,000 items well under a second.

use super::store::Item;
use std::collections::{BTreeMap, HashMap};

/// The least similarity of two items about one story (chosen on the labelled set in
/// `tests/fixtures/inbox/labelled.tsv`; see `docs/inbox.md`).
pub const THRESHOLD: f32 = 0.10;

/// Items further apart in time are different stories.
pub const WINDOW_HOURS: i64 = 48;

/// Two items about one story share at least this many words (one shared word is not a
/// story: two earthquakes, two elections).
const MIN_SHARED: u32 = 2;

/// A word in more than this share of the items is too common to find pairs by.
const COMMON_SHARE: f32 = 0.02;

/// One story: the items about it, oldest first.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// Indexes into the items given, oldest first.
    pub items: Vec<usize>,
}

/// The items' clusters, each story once, in no particular order.
pub fn clusters(items: &[Item]) -> Vec<Cluster> {
    clusters_at(items, THRESHOLD)
}

fn clusters_at(items: &[Item], threshold: f32) -> Vec<Cluster> {
    let mut sets = Sets::new(items.len());
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let key = crate::util::url::story_key(&item.url);
        match by_key.get(&key) {
            Some(&first) => sets.join(first, i),
            None => {
                by_key.insert(key, i);
            }
        }
    }
    let vectors = Vectors::new(items);
    let mut pairs = vectors.similar_pairs(items, threshold * LOWEST_PAIR);
    pairs.sort_by(|a, b| b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    average_linkage(&mut sets, items.len(), &pairs, threshold);
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..items.len() {
        groups.entry(sets.find(i)).or_default().push(i);
    }
    groups
        .into_values()
        .map(|mut members| {
            members.sort_by(|&a, &b| items[a].date.cmp(&items[b].date).then(a.cmp(&b)));
            Cluster { items: members }
        })
        .collect()
}

/// Pairs are candidates from this share of the threshold up; two groups join when the
/// average similarity of their items reaches the threshold (average linkage: a chain of
/// look-alikes does not join two stories).
const LOWEST_PAIR: f32 = 0.5;

/// Joins the groups of `sets` (items joined by address already) by average linkage: for
/// each pair, most similar first, the groups of its two items become one when the sum of
/// the similarities between their items, over the product of their sizes, reaches
/// `threshold`. The sums are kept per pair of groups and merged on each join, so a pair
/// costs the same whatever the groups' sizes.
fn average_linkage(sets: &mut Sets, n: usize, pairs: &[(usize, usize, f32)], threshold: f32) {
    let mut size: HashMap<usize, usize> = HashMap::new();
    for i in 0..n {
        *size.entry(sets.find(i)).or_default() += 1;
    }
    // For each group, the sum of similarities to each group it has pairs with.
    let mut links: HashMap<usize, HashMap<usize, f32>> = HashMap::new();
    for &(i, j, score) in pairs {
        let (a, b) = (sets.find(i), sets.find(j));
        if a != b {
            *links.entry(a).or_default().entry(b).or_default() += score;
            *links.entry(b).or_default().entry(a).or_default() += score;
        }
    }
    for &(i, j, _) in pairs {
        let (a, b) = (sets.find(i), sets.find(j));
        if a == b {
            continue;
        }
        let sum = links
            .get(&a)
            .and_then(|l| l.get(&b))
            .copied()
            .unwrap_or(0.0);
        let (size_a, size_b) = (size[&a], size[&b]);
        if sum / ((size_a * size_b) as f32) < threshold {
            continue;
        }
        sets.join(a, b);
        let (kept, gone) = match sets.find(a) == a {
            true => (a, b),
            false => (b, a),
        };
        size.insert(kept, size_a + size_b);
        let moved = links.remove(&gone).unwrap_or_default();
        for (other, score) in moved {
            if let Some(l) = links.get_mut(&other) {
                l.remove(&gone);
            }
            if other == kept {
                continue;
            }
            *links.entry(kept).or_default().entry(other).or_default() += score;
            *links.entry(other).or_default().entry(kept).or_default() += score;
        }
        if let Some(l) = links.get_mut(&kept) {
            l.remove(&gone);
        }
    }
}

/// Union-find over item indexes.
struct Sets {
    parent: Vec<usize>,
}

impl Sets {
    fn new(n: usize) -> Sets {
        Sets {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}

/// Each item's words, weighted by TF-IDF and normalised, and which items hold each word.
struct Vectors {
    /// Per item: (word id, weight), by word id.
    weights: Vec<Vec<(usize, f32)>>,
    /// Per word id: the items holding it.
    postings: Vec<Vec<usize>>,
}

impl Vectors {
    fn new(items: &[Item]) -> Vectors {
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut counts: Vec<Vec<(usize, f32)>> = Vec::with_capacity(items.len());
        for item in items {
            let mut tf: BTreeMap<usize, f32> = BTreeMap::new();
            for (text, weight) in [(&item.title, 2.0), (&item.summary, 1.0)] {
                for word in words(text) {
                    let next = ids.len();
                    let id = *ids.entry(word).or_insert(next);
                    *tf.entry(id).or_default() += weight;
                }
            }
            counts.push(tf.into_iter().collect());
        }
        let mut postings = vec![Vec::new(); ids.len()];
        for (i, words) in counts.iter().enumerate() {
            for (id, _) in words {
                postings[*id].push(i);
            }
        }
        let n = items.len().max(1) as f32;
        let weights = counts
            .into_iter()
            .map(|words| {
                let mut v: Vec<(usize, f32)> = words
                    .into_iter()
                    .map(|(id, tf)| {
                        (
                            id,
                            tf.sqrt() * (n / postings[id].len() as f32).ln().max(0.0),
                        )
                    })
                    .collect();
                let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
                if norm > 0.0 {
                    v.iter_mut().for_each(|(_, w)| *w /= norm);
                }
                v
            })
            .collect();
        Vectors { weights, postings }
    }

    /// Pairs `(i, j)`, `i < j`, of items close in time whose similarity reaches
    /// [`THRESHOLD`] (summed over the words rare enough to compare by).
    fn similar_pairs(&self, items: &[Item], threshold: f32) -> Vec<(usize, usize, f32)> {
        let common = ((items.len() as f32 * COMMON_SHARE) as usize).max(20);
        let window = chrono::Duration::hours(WINDOW_HOURS);
        let mut pairs = Vec::new();
        let mut scores: HashMap<usize, (f32, u32)> = HashMap::new();
        for (i, words) in self.weights.iter().enumerate() {
            scores.clear();
            for &(id, w) in words {
                let holders = &self.postings[id];
                if holders.len() > common {
                    continue;
                }
                for &j in holders.iter().filter(|&&j| j > i) {
                    let other = self.weights[j].binary_search_by_key(&id, |(k, _)| *k);
                    if let Ok(at) = other {
                        let score = scores.entry(j).or_default();
                        score.0 += w * self.weights[j][at].1;
                        score.1 += 1;
                    }
                }
            }
            for (&j, &(score, shared)) in &scores {
                let apart = (items[i].date - items[j].date).abs();
                if score >= threshold && shared >= MIN_SHARED && apart <= window {
                    pairs.push((i, j, score));
                }
            }
        }
        pairs
    }
}

/// Words too common in news to tell stories apart.
const STOPWORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "with",
    "that",
    "this",
    "from",
    "has",
    "have",
    "had",
    "was",
    "were",
    "are",
    "its",
    "his",
    "her",
    "their",
    "they",
    "them",
    "will",
    "would",
    "could",
    "should",
    "after",
    "before",
    "over",
    "into",
    "about",
    "than",
    "then",
    "but",
    "not",
    "all",
    "more",
    "new",
    "says",
    "said",
    "say",
    "year",
    "years",
    "who",
    "what",
    "when",
    "where",
    "which",
    "while",
    "also",
    "been",
    "being",
    "out",
    "off",
    "amid",
    "may",
    "can",
    "one",
    "two",
    "first",
    "last",
    "week",
    "day",
    "days",
    "today",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "per",
    "cent",
    "percent",
    "some",
    "other",
    "most",
    "many",
    "under",
    "against",
    "between",
    "during",
    "since",
    "still",
    "just",
    "how",
    "why",
    "our",
    "you",
    "your",
    "people",
    "report",
    "reports",
    "reported",
    "news",
    "told",
    "time",
    "back",
    "government",
    "officials",
    "official",
    "country",
    "world",
];

/// The words of `text` that can tell stories apart: lower case, without stop words or
/// words under three letters, a plural's `s` dropped; Chinese, Japanese and Korean text
/// as overlapping pairs of characters.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let chars: Vec<char> = word.chars().collect();
        if chars.iter().any(|&c| is_cjk(c)) {
            out.extend(chars.windows(2).map(|p| p.iter().collect::<String>()));
            if chars.len() == 1 {
                out.push(word.to_string());
            }
            continue;
        }
        let lower = word.to_lowercase();
        if lower.chars().count() < 3 || STOPWORDS.contains(&lower.as_str()) {
            continue;
        }
        out.push(stem(lower));
    }
    out
}

/// A word without the endings English adds to it (`strikes`, `struck` stay apart; `talks`,
/// `talking` and `talked` meet), so that two outlets' wordings of one event meet.
fn stem(word: String) -> String {
    let n = word.chars().count();
    for (suffix, min) in [("ing", 6), ("ed", 5), ("ies", 5), ("es", 6), ("s", 5)] {
        if n >= min
            && word.ends_with(suffix)
            && !word.ends_with("ss")
            && !word.ends_with("us")
            && !word.ends_with("is")
        {
            let stem = &word[..word.len() - suffix.len()];
            return match suffix {
                "ies" => format!("{stem}y"),
                _ => stem.to_string(),
            };
        }
    }
    word
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(url: &str, outlet: &str, hours: i64, title: &str, summary: &str) -> Item {
        let start: chrono::DateTime<chrono::Utc> = "2026-12-01T00:00:00Z".parse().unwrap();
        Item {
            url: url.into(),
            title: title.into(),
            outlet: outlet.into(),
            date: start + chrono::Duration::hours(hours),
            summary: summary.into(),
            image: None,
            lang: None,
            feed: None,
        }
    }

    fn grouped(items: &[Item]) -> Vec<Vec<usize>> {
        let mut groups: Vec<Vec<usize>> = clusters(items)
            .into_iter()
            .map(|c| {
                let mut v = c.items;
                v.sort();
                v
            })
            .collect();
        groups.sort();
        groups
    }

    #[test]
    fn one_story_from_three_outlets_is_one_cluster_and_a_shared_word_is_not_enough() {
        let mut items = vec![
            item("https://reuters.example/a", "Reuters", 0, "Magnitude 7.1 earthquake strikes off Chile's coast, tsunami warning issued", "A powerful earthquake struck off the coast of northern Chile, prompting a tsunami warning for Antofagasta."),
            item("https://ap.example/b", "AP", 2, "Strong quake shakes northern Chile; tsunami alert for Antofagasta", "The 7.1-magnitude quake hit off northern Chile, and authorities issued a tsunami alert for the Antofagasta coast."),
            item("https://bbc.example/c", "BBC", 5, "Chile earthquake: tsunami warning lifted after 7.1 tremor", "Chile lifted a tsunami warning for Antofagasta hours after a magnitude 7.1 earthquake struck offshore."),
            item("https://dw.example/d", "DW", 30, "Earthquake damages homes in central Turkey", "A magnitude 5.4 earthquake damaged dozens of homes in Kayseri province in central Turkey."),
            item("https://reuters.example/a?utm_source=x", "Reuters", 1, "Chile quake", "Repeat."),
        ];
        // Filler so that word weights are those of a real inbox.
        for n in 0..40 {
            items.push(item(
                &format!("https://x.example/{n}"),
                "X",
                n,
                &format!("Filler story number {n} about topic{n}"),
                &format!("Unrelated words alpha{n} beta{n} gamma{n}."),
            ));
        }
        let groups = grouped(&items);
        assert!(groups.contains(&vec![0, 1, 2, 4]), "{groups:?}");
        assert!(groups.contains(&vec![3]), "{groups:?}");
    }

    #[test]
    fn words_drop_stopwords_and_pair_cjk_characters() {
        assert_eq!(
            words("The Floods in Kerala: 2 dead"),
            ["flood", "kerala", "dead"]
        );
        assert_eq!(words("북한 미사일"), ["북한", "미사", "사일"]);
    }

    /// Pairwise precision and recall of [`clusters`] on the labelled set: of the pairs put
    /// in one cluster, how many are one story; of the pairs that are one story, how many
    /// were put in one cluster.
    pub fn scores(text: &str, threshold: f32) -> (f64, f64, usize, usize) {
        let mut items = Vec::new();
        let mut labels = Vec::new();
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let f: Vec<&str> = line.split('\t').collect();
            let date: chrono::DateTime<chrono::Utc> = f[2].parse().unwrap();
            items.push(Item {
                date,
                ..item(f[3], f[1], 0, f[4], f[5])
            });
            labels.push(f[0].to_string());
        }
        let mut found = vec![0; items.len()];
        for (n, c) in clusters_at(&items, threshold).iter().enumerate() {
            for &i in &c.items {
                found[i] = n;
            }
        }
        let (mut both, mut predicted, mut actual) = (0, 0, 0);
        for i in 0..items.len() {
            for j in i + 1..items.len() {
                let p = found[i] == found[j];
                let a = labels[i] == labels[j];
                both += usize::from(p && a);
                predicted += usize::from(p);
                actual += usize::from(a);
            }
        }
        let stories: std::collections::HashSet<&String> = labels.iter().collect();
        (
            both as f64 / predicted.max(1) as f64,
            both as f64 / actual.max(1) as f64,
            items.len(),
            stories.len(),
        )
    }

    #[test]
    fn the_labelled_set_clusters_with_high_precision_and_recall() {
        let text = include_str!("../../../tests/fixtures/inbox/labelled.tsv");
        if std::env::var("GAZETTE_SWEEP").is_ok() {
            for t in [0.08, 0.1, 0.12, 0.15, 0.18, 0.2, 0.22, 0.25, 0.3] {
                let (p, r, _, _) = scores(text, t);
                println!("{t}: precision {p:.3} recall {r:.3}");
            }
        }
        let (precision, recall, items, stories) = scores(text, THRESHOLD);
        println!("labelled set: {items} items, {stories} stories: precision {precision:.3}, recall {recall:.3}");
        assert!(precision >= 0.95, "precision {precision:.3}");
        assert!(recall >= 0.85, "recall {recall:.3}");
    }
}
