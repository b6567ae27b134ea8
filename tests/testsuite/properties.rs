//! Property tests: slugs are always safe path segments, dates survive a round trip
//! through every form Gazette reads, and pagination shows every article exactly once.

use chrono::{DateTime, FixedOffset, TimeZone};
use chrono_tz::Tz;
use gazette::config::SiteConfig;
use gazette::model::{ArticleId, Digest, Selection};
use gazette::source::articles::{read_article, LoadedArticle};
use gazette::source::front_matter::{parse_date, Options};
use gazette::util::slug::slugify;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

fn config(paginate_by: usize, paginate_later_by: usize) -> SiteConfig {
    SiteConfig::parse(&format!(
        "title = \"P\"\nbase_url = \"https://example.org/\"\ntimezone = \"UTC\"\npaginate_by = {paginate_by}\npaginate_later_by = {paginate_later_by}\n"
    ))
    .unwrap()
}

fn selection() -> Selection {
    Selection {
        drafts: false,
        future: true,
        expired: true,
        now: chrono::Utc::now(),
    }
}

/// Reads one article file as a build does.
fn load(file_name: &str, front: &str) -> LoadedArticle {
    let text = format!("---\n{front}\n---\nBody.\n");
    let options = Options::new(chrono_tz::UTC);
    let rel = Path::new(file_name);
    read_article(rel, file_name, text.as_bytes(), &options)
        .unwrap_or_else(|e| panic!("{front}: {e:?}"))
        .0
}

/// `text` as a YAML double-quoted string, every control character escaped.
fn yaml_quote(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || ('\u{fffe}'..='\u{ffff}').contains(&c) => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A safe path segment: not empty, not `.` or `..`, no separators, NUL or controls.
fn is_safe_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s
            .chars()
            .any(|c| matches!(c, '/' | '\\' | '\0') || c.is_control())
}

/// Text with the characters that make paths dangerous mixed in.
fn tricky_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("..".to_string()),
        Just("/".to_string()),
        Just("\\".to_string()),
        Just("\0".to_string()),
        Just(" ".to_string()),
        Just("-".to_string()),
        Just("%2e".to_string()),
        Just("Côte d’Ivoire".to_string()),
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// `slugify` keeps only letters, digits, `_` and single inner dashes.
    #[test]
    fn slugify_gives_letters_digits_and_single_dashes(text in tricky_text()) {
        let slug = slugify(&text);
        prop_assert!(slug.is_empty() || is_safe_segment(&slug));
        prop_assert!(slug.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-'));
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
        prop_assert!(slug.len() <= gazette::util::slug::MAX_SLUG_BYTES);
        prop_assert_eq!(slugify(&slug), slug.clone(), "slugify is idempotent");
    }

    /// Whatever the title, `slug:` and file name, an article's URL ends in a safe,
    /// non-empty segment under its date folders.
    #[test]
    fn article_urls_end_in_a_safe_non_empty_segment(
        title in tricky_text(),
        slug in proptest::option::of(tricky_text()),
        stem in tricky_text(),
    ) {
        // (A title of nothing but characters that are not text is empty once cleaned: an
        // error, as an empty title is.)
        let title = if gazette::util::text::clean(&title).trim().is_empty() { "?".to_string() } else { title };
        let mut front = format!("title: {}\ndate: 2018-08-15", yaml_quote(&title));
        if let Some(slug) = &slug {
            front.push_str(&format!("\nslug: {}", yaml_quote(slug)));
        }
        let stem: String = stem.chars().filter(|c| !matches!(c, '/' | '\\' | '\0')).collect();
        let file = format!("{stem}.md");
        let digest = Digest::assemble(&config(10, 10), vec![load(&file, &front)], vec![], selection()).unwrap();
        let url = &digest.articles[0].url_path;
        let segments: Vec<&str> = url.trim_end_matches('/').split('/').collect();
        prop_assert_eq!(segments.len(), 4, "{}", url);
        prop_assert_eq!(&segments[..3], &["2018", "08", "15"]);
        prop_assert!(is_safe_segment(segments[3]), "{}", url);
    }

    /// A time written in any accepted form with an offset reads back as the same instant
    /// and offset.
    #[test]
    fn dates_with_offsets_round_trip(
        seconds in 0i64..4_102_444_800,
        quarter_hours in -56i32..=56,
    ) {
        let offset = FixedOffset::east_opt(quarter_hours * 15 * 60).unwrap();
        let date: DateTime<FixedOffset> = offset.timestamp_opt(seconds, 0).unwrap();
        for text in [
            date.to_rfc3339(),
            date.format("%Y-%m-%d %H:%M:%S %z").to_string(),
            date.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string(),
            date.format("%Y-%m-%d %H:%M:%S%z").to_string(),
        ] {
            let read = parse_date(&text, chrono_tz::UTC);
            prop_assert_eq!(read, Some(date), "{}", text);
            prop_assert_eq!(read.map(|d| *d.offset()), Some(*date.offset()));
        }
    }

    /// A wall-clock time without an offset is read in the site's time zone.
    #[test]
    fn dates_without_offsets_are_read_in_the_site_time_zone(
        seconds in 0i64..4_102_444_800,
        zone in prop_oneof![Just("UTC"), Just("Asia/Seoul"), Just("America/New_York"), Just("Europe/London"), Just("Australia/Lord_Howe")],
    ) {
        let tz: Tz = zone.parse().unwrap();
        let local = tz.timestamp_opt(seconds, 0).unwrap().naive_local();
        for text in [local.format("%Y-%m-%d %H:%M:%S").to_string(), local.format("%Y-%m-%dT%H:%M:%S").to_string()] {
            let read = parse_date(&text, tz).unwrap();
            // Times that a clock change repeats take the earlier instant, so compare
            // the wall-clock time, which is what the curator wrote.
            prop_assert_eq!(read.with_timezone(&tz).naive_local(), local, "{} in {}", text, zone);
        }
        let day = local.date();
        let read = parse_date(&day.format("%Y-%m-%d").to_string(), tz).unwrap();
        prop_assert_eq!(read.with_timezone(&tz).date_naive(), day);
    }

    /// Every list (days, months, years, topics) shows each of its articles exactly once
    /// across its pages, newest first: `per` on the first page, `later` on each of the
    /// others. The front page is one page, with the newest `per`.
    #[test]
    fn pagination_shows_every_article_exactly_once(
        articles in proptest::collection::vec((0u32..40, 0u32..24, proptest::collection::btree_set(0usize..5, 0..3)), 0..50),
        per in 1usize..12,
        later in 1usize..12,
    ) {
        let loaded: Vec<LoadedArticle> = articles
            .iter()
            .enumerate()
            .map(|(i, (day, hour, topics))| {
                let topics: Vec<String> = topics.iter().map(|t| format!("T{t}")).collect();
                let front = format!(
                    "title: A{i}\ndate: {}\ntopics: [{}]",
                    (chrono::NaiveDate::from_ymd_opt(2018, 8, 1).unwrap() + chrono::Duration::days(*day as i64))
                        .and_hms_opt(*hour, 0, 0).unwrap().format("%Y-%m-%d %H:%M:%S"),
                    topics.join(", ")
                );
                load(&format!("a{i}.md"), &front)
            })
            .collect();
        let digest = Digest::assemble(&config(per, later), loaded, vec![], selection()).unwrap();
        // Each list's pages: (current, total, count, articles on the page).
        type Pages = Vec<(usize, usize, usize, Vec<ArticleId>)>;
        let mut lists: BTreeMap<String, Pages> = BTreeMap::new();
        for page in &digest.pages {
            if let Some(list) = &page.list {
                lists.entry(list.first_path.clone()).or_default().push((list.current, list.total, list.count, list.articles.clone()));
            }
        }
        let mut wanted: BTreeMap<String, Vec<ArticleId>> = BTreeMap::new();
        let front = lists.remove("").unwrap();
        prop_assert_eq!(front.len(), 1);
        let newest: Vec<ArticleId> = digest.article_ids().take(per).collect();
        prop_assert_eq!(&front[0].3, &newest);
        for e in &digest.editions { wanted.insert(e.url_path.clone(), e.articles.clone()); }
        for m in &digest.months { wanted.insert(m.url_path.clone(), m.articles.clone()); }
        for y in &digest.years { wanted.insert(y.url_path.clone(), y.articles.clone()); }
        for (ti, t) in digest.topic_ids().zip(&digest.topics) {
            let with_topic: Vec<ArticleId> = digest.article_ids()
                .filter(|&i| digest[i].topics.contains(&ti))
                .collect();
            prop_assert_eq!(&t.articles, &with_topic);
            wanted.insert(t.url_path.clone(), t.articles.clone());
        }
        prop_assert_eq!(lists.keys().collect::<Vec<_>>(), wanted.keys().collect::<Vec<_>>());
        for (first, pages) in &lists {
            let expected = &wanted[first];
            let shown: Vec<ArticleId> = pages.iter().flat_map(|p| p.3.iter().copied()).collect();
            prop_assert_eq!(&shown, expected, "{}", first);
            prop_assert_eq!(pages.len(), 1 + expected.len().saturating_sub(per).div_ceil(later));
            for (n, (current, total, count, on_page)) in pages.iter().enumerate() {
                prop_assert_eq!(*current, n + 1);
                prop_assert_eq!(*total, pages.len());
                prop_assert_eq!(*count, expected.len());
                let most = if n == 0 { per } else { later };
                prop_assert!(on_page.len() <= most);
            }
            // Newest first.
            prop_assert!(shown.windows(2).all(|w| digest[w[0]].date >= digest[w[1]].date));
        }
    }
}
