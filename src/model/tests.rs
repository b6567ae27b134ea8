//! In-memory unit tests of the model: articles built as values (no files), a site.toml
//! given as text, and assertions on the digest `Digest::assemble` makes of them.

use super::*;
use crate::source::front_matter::FrontMatter;

/// The site.toml of every test, with `extra` lines appended.
fn config(extra: &str) -> SiteConfig {
    SiteConfig::parse(&format!(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n{extra}"
    ))
    .unwrap()
}

fn time(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

/// An article file at `content/{path}`, dated `date` (RFC 3339).
fn loaded(path: &str, title: &str, date: &str, topics: &[&str]) -> LoadedArticle {
    LoadedArticle {
        path: format!("content/{path}"),
        rel: PathBuf::from(path),
        front: FrontMatter {
            title: title.to_string(),
            date: Some(time(date)),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        },
        body: String::new(),
        body_line: 4,
        source_hash: 0,
        lead: None,
        words: 0,
        links_inside: false,
        site_links: Vec::new(),
        refs: Vec::new(),
        images: Vec::new(),
    }
}

/// Published articles only, as of 2030 (so no test article is in the future).
fn published() -> Selection {
    Selection {
        drafts: false,
        future: false,
        expired: false,
        now: time("2030-01-01T00:00:00Z").with_timezone(&Utc),
    }
}

fn digest(extra: &str, articles: Vec<LoadedArticle>) -> Digest {
    Digest::assemble(&config(extra), articles, Vec::new(), published()).unwrap()
}

/// The titles of the articles `ids`.
fn titles(d: &Digest, ids: &[ArticleId]) -> Vec<String> {
    ids.iter().map(|&i| d[i].title.clone()).collect()
}

/// The articles at `places` in the digest's list.
fn ids(places: &[usize]) -> Vec<ArticleId> {
    places.iter().map(|&i| ArticleId::new(i)).collect()
}

/// The places of the articles `ids` in the digest's list.
fn places(ids: &[ArticleId]) -> Vec<usize> {
    ids.iter().map(|i| i.index()).collect()
}

fn index_of(d: &Digest, title: &str) -> ArticleId {
    d.article_ids().find(|&i| d[i].title == title).unwrap()
}

/// The pages of one kind, in the digest's order.
fn pages_of(d: &Digest, kind: PageKind) -> Vec<&Page> {
    d.pages.iter().filter(|p| p.kind == kind).collect()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

#[test]
fn articles_on_two_days_make_two_editions_newest_first() {
    let d = digest(
        "",
        vec![
            loaded("a.md", "A", "2018-08-14T09:00:00Z", &[]),
            loaded("b.md", "B", "2018-08-15T09:00:00Z", &[]),
            loaded("c.md", "C", "2018-08-15T18:00:00Z", &[]),
        ],
    );
    assert_eq!(titles(&d, &ids(&[0, 1, 2])), ["C", "B", "A"]);
    assert_eq!(d.editions.len(), 2);
    let (newest, oldest) = (&d.editions[0], &d.editions[1]);
    assert_eq!(
        (newest.day, newest.last_day),
        (day("2018-08-15"), day("2018-08-15"))
    );
    assert_eq!(newest.number, 2);
    assert_eq!(newest.url_path, "2018/08/15/");
    assert_eq!(newest.week, None);
    assert_eq!(titles(&d, &newest.articles), ["C", "B"]);
    assert_eq!(oldest.number, 1);
    assert_eq!(oldest.url_path, "2018/08/14/");
    assert_eq!(titles(&d, &oldest.articles), ["A"]);
    let editions: Vec<usize> = d.articles.iter().map(|a| a.edition.index()).collect();
    assert_eq!(editions, [0, 0, 1]);
    assert_eq!(d.articles[0].url_path, "2018/08/15/c/");
}

#[test]
fn editions_and_urls_follow_the_site_time_zone_not_utc() {
    // 20:00 UTC on the 14th is 05:00 on the 15th in Seoul.
    let d = digest(
        "timezone = \"Asia/Seoul\"",
        vec![
            loaded("late.md", "Late", "2018-08-14T20:00:00Z", &[]),
            loaded("early.md", "Early", "2018-08-14T10:00:00Z", &[]),
        ],
    );
    let days: Vec<NaiveDate> = d.editions.iter().map(|e| e.day).collect();
    assert_eq!(days, [day("2018-08-15"), day("2018-08-14")]);
    assert_eq!(d.articles[0].url_path, "2018/08/15/late/");
    assert_eq!(d.articles[0].local.to_string(), "2018-08-15 05:00:00");
}

#[test]
fn weekly_editions_group_by_iso_week_across_a_month_boundary() {
    let d = digest(
        "editions = \"weekly\"",
        vec![
            loaded("mon.md", "Mon", "2018-07-30T09:00:00Z", &[]),
            loaded("thu.md", "Thu", "2018-08-02T09:00:00Z", &[]),
            loaded("sun.md", "Sun", "2018-08-05T23:00:00Z", &[]),
            loaded("next.md", "Next", "2018-08-06T00:30:00Z", &[]),
        ],
    );
    assert_eq!(d.editions.len(), 2);
    let (w32, w31) = (&d.editions[0], &d.editions[1]);
    assert_eq!(w32.week, Some((2018, 32)));
    assert_eq!(w32.url_path, "2018/w32/");
    assert_eq!(w32.number, 2);
    assert_eq!(titles(&d, &w32.articles), ["Next"]);
    assert_eq!(w31.week, Some((2018, 31)));
    assert_eq!(
        (w31.day, w31.last_day),
        (day("2018-07-30"), day("2018-08-05"))
    );
    assert_eq!(w31.url_path, "2018/w31/");
    assert_eq!(w31.number, 1);
    assert_eq!(titles(&d, &w31.articles), ["Sun", "Thu", "Mon"]);
    // Months still split the week: July and August.
    let months: Vec<&str> = d.months.iter().map(|m| m.url_path.as_str()).collect();
    assert_eq!(months, ["2018/08/", "2018/07/"]);
}

#[test]
fn a_weekly_edition_over_new_year_is_named_by_its_iso_year() {
    // 2020-12-31 and 2021-01-01 are both in ISO week 53 of 2020.
    let d = digest(
        "editions = \"weekly\"",
        vec![
            loaded("old.md", "Old", "2020-12-31T12:00:00Z", &[]),
            loaded("new.md", "New", "2021-01-01T12:00:00Z", &[]),
        ],
    );
    assert_eq!(d.editions.len(), 1);
    assert_eq!(d.editions[0].week, Some((2020, 53)));
    assert_eq!(d.editions[0].url_path, "2020/w53/");
    assert_eq!(d.editions[0].day, day("2020-12-28"));
    let years: Vec<i32> = d.years.iter().map(|y| y.year).collect();
    assert_eq!(years, [2021, 2020]);
}

#[test]
fn months_and_years_are_listed_newest_first() {
    let d = digest(
        "",
        vec![
            loaded("dec.md", "Dec", "2017-12-31T12:00:00Z", &[]),
            loaded("jan.md", "Jan", "2018-01-05T12:00:00Z", &[]),
            loaded("feb1.md", "Feb 1", "2018-02-10T12:00:00Z", &[]),
            loaded("feb2.md", "Feb 2", "2018-02-11T12:00:00Z", &[]),
        ],
    );
    let months: Vec<(i32, u32, &str)> = d
        .months
        .iter()
        .map(|m| (m.year, m.month, m.url_path.as_str()))
        .collect();
    assert_eq!(
        months,
        [
            (2018, 2, "2018/02/"),
            (2018, 1, "2018/01/"),
            (2017, 12, "2017/12/")
        ]
    );
    assert_eq!(titles(&d, &d.months[0].articles), ["Feb 2", "Feb 1"]);
    assert_eq!(d.years.len(), 2);
    assert_eq!(
        (d.years[0].year, d.years[0].url_path.as_str()),
        (2018, "2018/")
    );
    assert_eq!(d.years[0].months, [MonthId::new(0), MonthId::new(1)]);
    assert_eq!(titles(&d, &d.years[0].articles), ["Feb 2", "Feb 1", "Jan"]);
    assert_eq!(d.years[1].months, [MonthId::new(2)]);
    assert_eq!(titles(&d, &d.years[1].articles), ["Dec"]);
}

#[test]
fn articles_at_the_same_instant_are_ordered_by_url_not_title() {
    // The same instant written with two offsets; the URL comes from the file name.
    let d = digest(
        "",
        vec![
            loaded("zz.md", "Aardvark", "2018-08-15T12:00:00+02:00", &[]),
            loaded("aa.md", "Zulu", "2018-08-15T10:00:00Z", &[]),
            loaded("mm.md", "Middle", "2018-08-15T10:00:01Z", &[]),
        ],
    );
    let urls: Vec<&str> = d.articles.iter().map(|a| a.url_path.as_str()).collect();
    assert_eq!(urls, ["2018/08/15/mm/", "2018/08/15/aa/", "2018/08/15/zz/"]);
    assert_eq!(titles(&d, &ids(&[0, 1, 2])), ["Middle", "Zulu", "Aardvark"]);
}

#[test]
fn the_same_articles_in_another_order_give_the_same_digest() {
    let articles = vec![
        loaded("2018/b.md", "B", "2018-08-15T10:00:00Z", &["Trade"]),
        loaded(
            "2018/a.md",
            "A",
            "2018-08-15T10:00:00Z",
            &["trade", "Korea"],
        ),
        loaded("2018/c.md", "C", "2018-08-14T10:00:00Z", &["Korea"]),
        loaded("2018/d.md", "D", "2018-07-01T10:00:00Z", &["Trade"]),
        loaded("2018/e.md", "E", "2018-08-16T10:00:00Z", &[]),
    ];
    let shape = |d: &Digest| {
        let lists = |l: Vec<&Vec<ArticleId>>| l.iter().map(|v| titles(d, v)).collect::<Vec<_>>();
        (
            titles(d, &d.article_ids().collect::<Vec<_>>()),
            lists(d.editions.iter().map(|e| &e.articles).collect()),
            lists(d.topics.iter().map(|t| &t.articles).collect()),
            d.topics.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
            d.pages.iter().map(|p| p.path.clone()).collect::<Vec<_>>(),
        )
    };
    let forward = digest("", articles.clone());
    let mut reversed = articles;
    reversed.reverse();
    let backward = digest("", reversed);
    assert_eq!(shape(&forward), shape(&backward));
    assert_eq!(shape(&forward).0, ["E", "A", "B", "C", "D"]);
}

#[test]
fn topic_names_differing_only_in_case_or_punctuation_are_one_topic() {
    let d = digest(
        "",
        vec![
            loaded("old.md", "Old", "2018-08-13T10:00:00Z", &["north-korea"]),
            loaded(
                "mid.md",
                "Mid",
                "2018-08-14T10:00:00Z",
                &["NORTH KOREA!", "Trade"],
            ),
            loaded(
                "new.md",
                "New",
                "2018-08-15T10:00:00Z",
                &["North Korea", "trade", "Trade"],
            ),
        ],
    );
    let slugs: Vec<&str> = d.topics.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs, ["north-korea", "trade"]);
    // The newest article's spelling names the topic.
    assert_eq!(d.topics[0].name, "North Korea");
    assert_eq!(d.topics[1].name, "trade");
    assert_eq!(d.topics[0].url_path, "topics/north-korea/");
    assert_eq!(titles(&d, &d.topics[0].articles), ["New", "Mid", "Old"]);
    assert_eq!(titles(&d, &d.topics[1].articles), ["New", "Mid"]);
    // "trade" and "Trade" in one article: it is in the topic once.
    let new = &d[index_of(&d, "New")];
    assert_eq!(new.topics, [TopicId::new(0), TopicId::new(1)]);
    assert_eq!(new.topic_names, ["North Korea", "trade", "Trade"]);
}

#[test]
fn topics_are_sorted_by_slug_and_slugs_keep_any_script() {
    let d = digest(
        "",
        vec![loaded(
            "a.md",
            "A",
            "2018-08-15T10:00:00Z",
            &["Zimbabwe", "Côte d’Ivoire", "東京 2020", "!!!"],
        )],
    );
    let slugs: Vec<&str> = d.topics.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs.len(), 4);
    assert_eq!(&slugs[..1], ["côte-d-ivoire"]);
    // A name without letters or digits gets a made-up slug, the same in every build.
    assert!(slugs[1].starts_with("topic-"), "{slugs:?}");
    assert_eq!(slugs[1], topic_slug("!!!"));
    assert_eq!(&slugs[2..], ["zimbabwe", "東京-2020"]);
    // The article's topic ids follow its front matter's order.
    let names: Vec<&str> = d.articles[0]
        .topics
        .iter()
        .map(|&t| d[t].name.as_str())
        .collect();
    assert_eq!(names, ["Zimbabwe", "Côte d’Ivoire", "東京 2020", "!!!"]);
}

#[test]
fn the_front_page_is_one_page_and_lists_take_their_later_pages_at_another_size() {
    let articles = (1..=7)
        .map(|n| {
            let date = format!("2018-08-1{n}T10:00:00Z");
            loaded(&format!("a{n}.md"), &format!("A{n}"), &date, &["Trade"])
        })
        .collect();
    let d = digest("paginate_by = 2\npaginate_later_by = 3", articles);
    let index = pages_of(&d, PageKind::Index);
    let paths: Vec<&str> = index.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, [""], "the front page links to the editions instead");
    assert_eq!(places(&index[0].list.as_ref().unwrap().articles), [0, 1]);
    let topic = pages_of(&d, PageKind::Topic(TopicId::new(0)));
    let lists: Vec<&ListPage> = topic.iter().map(|p| p.list.as_ref().unwrap()).collect();
    let on_pages: Vec<Vec<ArticleId>> = lists.iter().map(|l| l.articles.clone()).collect();
    let numbers: Vec<Vec<usize>> = on_pages.iter().map(|l| places(l)).collect();
    assert_eq!(numbers, [vec![0, 1], vec![2, 3, 4], vec![5, 6]]);
    assert_eq!(titles(&d, &on_pages[2]), ["A2", "A1"]);
    let numbers: Vec<(usize, usize, usize)> = lists
        .iter()
        .map(|l| (l.current, l.total, l.count))
        .collect();
    assert_eq!(numbers, [(1, 3, 7), (2, 3, 7), (3, 3, 7)]);
    assert_eq!(lists[0].path_of(3), "topics/trade/page/3/");
    assert_eq!(lists[2].path_of(1), "topics/trade/");
    // A topic's list pages go under its own path.
    let topic = pages_of(&d, PageKind::Topic(TopicId::new(0)));
    let topic: Vec<&str> = topic.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        topic,
        [
            "topics/trade/",
            "topics/trade/page/2/",
            "topics/trade/page/3/"
        ]
    );
}

#[test]
fn an_empty_digest_still_has_one_front_page_and_the_fixed_pages() {
    let d = digest("", Vec::new());
    let paths: Vec<&str> = d.pages.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "",
            "topics/",
            "stories/",
            "search/",
            "editions/",
            "sources/",
            "archive/",
            "404.html"
        ]
    );
    let front = d.pages[0].list.as_ref().unwrap();
    assert_eq!((front.current, front.total, front.count), (1, 1, 0));
    assert!(front.articles.is_empty());
    assert!(d.editions.is_empty() && d.months.is_empty() && d.years.is_empty());
}

/// Five articles: published, draft, dated after `now`, scheduled after `now`, expired.
fn mixed() -> Vec<LoadedArticle> {
    let mut draft = loaded("draft.md", "Draft", "2018-08-15T10:00:00Z", &[]);
    draft.front.draft = true;
    let future = loaded("future.md", "Future", "2030-01-01T00:00:01Z", &[]);
    let mut scheduled = loaded("scheduled.md", "Scheduled", "2018-08-14T10:00:00Z", &[]);
    scheduled.front.publish_date = Some(time("2030-02-01T00:00:00Z"));
    let mut expired = loaded("expired.md", "Expired", "2018-08-13T10:00:00Z", &[]);
    // Expiring exactly at `now` counts as expired.
    expired.front.expiry_date = Some(time("2030-01-01T00:00:00Z"));
    let mut current = loaded("current.md", "Current", "2030-01-01T00:00:00Z", &[]);
    current.front.publish_date = Some(time("2030-01-01T00:00:00Z"));
    current.front.expiry_date = Some(time("2030-01-01T00:00:01Z"));
    vec![draft, future, scheduled, expired, current]
}

#[test]
fn drafts_future_scheduled_and_expired_articles_are_left_out_by_default() {
    let d = digest("", mixed());
    assert_eq!(titles(&d, &ids(&[0])), ["Current"]);
    assert_eq!(d.articles.len(), 1);
    let a = &d.articles[0];
    assert_eq!((a.draft, a.future, a.expired), (false, false, false));
    assert_eq!(d.editions.len(), 1);
}

#[test]
fn each_kind_of_unpublished_article_is_kept_when_selected() {
    let select = |drafts, future, expired| {
        let selection = Selection {
            drafts,
            future,
            expired,
            ..published()
        };
        let d = Digest::assemble(&config(""), mixed(), Vec::new(), selection).unwrap();
        let mut got = titles(&d, &d.article_ids().collect::<Vec<_>>());
        got.sort();
        got
    };
    assert_eq!(select(true, false, false), ["Current", "Draft"]);
    assert_eq!(
        select(false, true, false),
        ["Current", "Future", "Scheduled"]
    );
    assert_eq!(select(false, false, true), ["Current", "Expired"]);
    let all = Selection {
        drafts: true,
        future: true,
        expired: true,
        ..published()
    };
    let d = Digest::assemble(&config(""), mixed(), Vec::new(), all).unwrap();
    let flags = |t: &str| {
        let a = &d[index_of(&d, t)];
        (a.draft, a.future, a.expired)
    };
    assert_eq!(flags("Draft"), (true, false, false));
    assert_eq!(flags("Future"), (false, true, false));
    assert_eq!(flags("Scheduled"), (false, true, false));
    assert_eq!(flags("Expired"), (false, false, true));
    assert_eq!(flags("Current"), (false, false, false));
}

#[test]
fn two_articles_with_the_same_slug_and_day_give_a_problem_naming_both_files() {
    let articles = vec![
        loaded(
            "2018/08/other/kim.md",
            "Kim again",
            "2018-08-15T18:00:00Z",
            &[],
        ),
        loaded("2018/08/kim.md", "Kim", "2018-08-15T09:00:00Z", &[]),
        loaded("2018/09/kim.md", "Kim later", "2018-09-01T09:00:00Z", &[]),
    ];
    let problems = Digest::assemble(&config(""), articles.clone(), Vec::new(), published())
        .unwrap_err()
        .0;
    assert_eq!(
        problems,
        [Problem::new(
            "content/2018/08/other/kim.md",
            None,
            "has the same URL /2018/08/15/kim/ as content/2018/08/kim.md; give one of them a different `slug:`",
        )]
    );
    // `assemble_all` keeps both, ordered by time as usual.
    let (d, problems) = Digest::assemble_all(&config(""), articles, Vec::new(), published());
    assert_eq!(problems.len(), 1);
    assert_eq!(
        titles(&d, &ids(&[0, 1, 2])),
        ["Kim later", "Kim again", "Kim"]
    );
}

#[test]
fn a_slug_from_front_matter_avoids_the_collision() {
    let mut again = loaded("2018/08/other/kim.md", "Kim", "2018-08-15T18:00:00Z", &[]);
    again.front.slug = Some("Kim, Again!".into());
    let d = digest(
        "",
        vec![
            again,
            loaded("2018/08/kim.md", "Kim", "2018-08-15T09:00:00Z", &[]),
        ],
    );
    let urls: Vec<&str> = d.articles.iter().map(|a| a.url_path.as_str()).collect();
    assert_eq!(urls, ["2018/08/15/kim-again/", "2018/08/15/kim/"]);
    // A date prefix of the file name is not part of the slug.
    let d = digest(
        "",
        vec![loaded(
            "2018-08-15-putin.md",
            "P",
            "2018-08-15T09:00:00Z",
            &[],
        )],
    );
    assert_eq!(d.articles[0].slug, "putin");
}

#[test]
fn an_article_whose_url_is_a_list_page_is_a_problem() {
    let articles = vec![loaded("topics.md", "Topics", "2018-08-15T09:00:00Z", &[])];
    let problems = Digest::assemble(
        &config("article_path = \"{slug}/\""),
        articles,
        Vec::new(),
        published(),
    )
    .unwrap_err()
    .0;
    assert_eq!(
        problems,
        [Problem::new(
            "content/topics.md",
            None,
            "its URL /topics/ is already used by a list page; give it a different `slug:` or change `article_path`",
        )]
    );
}

#[test]
fn a_story_needs_two_articles_and_lists_them_oldest_first() {
    let mut articles = vec![
        loaded("a.md", "A", "2018-08-13T10:00:00Z", &[]),
        loaded("b.md", "B", "2018-08-15T10:00:00Z", &[]),
        loaded("c.md", "C", "2018-08-14T10:00:00Z", &[]),
        loaded("lone.md", "Lone", "2018-08-14T11:00:00Z", &[]),
    ];
    articles[0].front.story = Some("putin-kim-summit".into());
    articles[1].front.story = Some("Putin Kim summit".into());
    articles[2].front.story = Some("putin-kim-summit".into());
    articles[3].front.story = Some("A lone story".into());
    let d = digest("", articles);
    assert_eq!(d.stories.len(), 1);
    let story = &d.stories[0];
    assert_eq!(story.slug, "putin-kim-summit");
    assert_eq!(story.url_path, "stories/putin-kim-summit/");
    // Named as the newest article writes it.
    assert_eq!(story.name, "Putin Kim summit");
    assert_eq!(titles(&d, &story.articles), ["A", "C", "B"]);
    let lone = &d[index_of(&d, "Lone")];
    assert_eq!(lone.story, None);
    assert_eq!(lone.story_name.as_deref(), Some("A lone story"));
    assert_eq!(d[index_of(&d, "A")].story, Some(StoryId::new(0)));
}

#[test]
fn a_story_written_as_a_slug_is_shown_with_spaces_and_a_capital() {
    let mut articles = vec![
        loaded("a.md", "A", "2018-08-13T10:00:00Z", &[]),
        loaded("b.md", "B", "2018-08-15T10:00:00Z", &[]),
    ];
    for a in &mut articles {
        a.front.story = Some("putin-kim-summit".into());
    }
    let d = digest("", articles);
    assert_eq!(d.stories[0].name, "Putin kim summit");
}

#[test]
fn related_puts_the_same_story_first_then_shared_topics_then_the_nearest_in_time() {
    let mut articles = vec![
        loaded(
            "t.md",
            "Target",
            "2018-08-10T10:00:00Z",
            &["Korea", "Trade"],
        ),
        loaded("s.md", "Story", "2018-01-01T10:00:00Z", &[]),
        loaded("k2.md", "Both", "2018-08-01T10:00:00Z", &["Korea", "Trade"]),
        loaded("near.md", "Near", "2018-08-09T10:00:00Z", &["Korea"]),
        loaded("far.md", "Far", "2018-07-01T10:00:00Z", &["Trade"]),
        loaded("u.md", "Unrelated", "2018-08-10T11:00:00Z", &["Sports"]),
    ];
    articles[0].front.story = Some("summit".into());
    articles[1].front.story = Some("summit".into());
    let d = digest("", articles);
    let target = index_of(&d, "Target");
    assert_eq!(
        titles(&d, &d.related(target, 5)),
        ["Story", "Both", "Near", "Far"]
    );
    assert_eq!(titles(&d, &d.related(target, 2)), ["Story", "Both"]);
    assert_eq!(d.related(index_of(&d, "Unrelated"), 5), []);
}

#[test]
fn related_breaks_equal_score_and_distance_by_the_newer_article() {
    let d = digest(
        "",
        vec![
            loaded("mid.md", "Mid", "2018-08-10T10:00:00Z", &["Trade"]),
            loaded("before.md", "Before", "2018-08-09T10:00:00Z", &["Trade"]),
            loaded("after.md", "After", "2018-08-11T10:00:00Z", &["Trade"]),
        ],
    );
    assert_eq!(
        titles(&d, &d.related(index_of(&d, "Mid"), 5)),
        ["After", "Before"]
    );
}

#[test]
fn articles_sources_and_page_bundles_are_found_by_path() {
    let mut kim = loaded("2018/08/kim/index.md", "Kim", "2018-08-15T09:00:00Z", &[]);
    kim.front.source = Some(SourceLink {
        name: None,
        url: "https://www.example.com/news/1".into(),
    });
    let assets = vec![PathBuf::from("2018/08/kim/photo.jpg")];
    let d = Digest::assemble(&config(""), vec![kim], assets, published()).unwrap();
    assert_eq!(d.articles[0].url_path, "2018/08/15/kim/");
    assert_eq!(d.assets[0].out_path, "2018/08/15/kim/photo.jpg");
    assert_eq!(
        d.article_index(Path::new("2018/08/kim/index.md")),
        Some(ArticleId::new(0))
    );
    assert_eq!(d.sources[0].name, "example.com");
    assert_eq!(d.sources[0].url_path, "sources/example-com/");
    assert_eq!(d.articles[0].source_id, Some(SourceId::new(0)));
    let from = Path::new("2018/08/kim/index.md");
    assert_eq!(
        d.resolve_link(from, "photo.jpg#x"),
        Ok(Some("2018/08/15/kim/photo.jpg#x".into()))
    );
    assert_eq!(d.resolve_link(from, "https://example.org/"), Ok(None));
    assert!(d.resolve_link(from, "../../../../x.md").is_err());
}

/// An article at `content/{path}` that cites `url` (at line 5) and follows `story`.
fn citing(path: &str, url: &str, story: Option<&str>) -> LoadedArticle {
    let mut article = loaded(path, "T", "2018-08-15T10:00:00Z", &[]);
    article.front.source = Some(SourceLink {
        name: None,
        url: url.into(),
    });
    article.front.source_line = 5;
    article.front.story = story.map(String::from);
    article
}

#[test]
fn the_same_story_twice_and_tracking_parameters_are_warned_about() {
    use super::links::{cited_by, source_warnings};
    let articles = [
        citing("a.md", "https://x.com/floods", None),
        citing("b.md", "http://www.x.com/floods/?utm_source=tw", None),
        citing("c.md", "https://x.com/other", Some("floods")),
        citing("d.md", "https://x.com/other", Some("floods")),
    ];
    let lines: Vec<String> = source_warnings(&articles)
        .iter()
        .map(|w| w.to_string())
        .collect();
    assert_eq!(lines, [
        "content/b.md:5: cites the same story as content/a.md:5; if both follow it, give them the same `story:`, else remove one",
        "content/b.md:5: the source address has tracking parameters; cite the clean address instead: http://www.x.com/floods/",
    ]);
    let found = cited_by(&articles, "https://X.com/floods#top").map(|c| c.to_string());
    assert_eq!(found.as_deref(), Some("content/a.md:5"));
    assert_eq!(cited_by(&articles, "https://x.com/new"), None);
}

#[test]
fn old_addresses_name_folders_or_files() {
    use super::redirects::old_path;
    assert_eq!(old_path("/old/path").unwrap(), "old/path/");
    assert_eq!(old_path("/old/path/").unwrap(), "old/path/");
    assert_eq!(old_path("blog/welcome.html").unwrap(), "blog/welcome.html");
    assert_eq!(old_path("/").unwrap(), "");
    assert!(old_path("/../x/").is_err());
    assert!(old_path("https://example.org/x/").is_err());
    assert!(old_path("/x/?p=1").is_err());
}

#[test]
fn dates_in_file_names_may_lack_leading_zeros() {
    use crate::source::articles::{date_prefix, title_from_file_name};
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(
        date_prefix("2017-2-5-i-dont-like-zeroes.md"),
        Some((day(2017, 2, 5), 8))
    );
    assert_eq!(
        date_prefix("2018-08-15-kim.md"),
        Some((day(2018, 8, 15), 10))
    );
    assert_eq!(date_prefix("2018-08-15.md"), Some((day(2018, 8, 15), 10)));
    assert_eq!(date_prefix("2018-08-15"), None);
    assert_eq!(date_prefix("2018-13-01-x.md"), None);
    assert_eq!(date_prefix("kim.md"), None);
    assert_eq!(
        title_from_file_name(Path::new("_posts/2009-06-22-empty-yaml.markdown")),
        "Empty Yaml"
    );
}

#[test]
fn a_hidden_article_has_its_page_and_is_in_no_list() {
    let mut hidden = loaded(
        "b.md",
        "Hidden",
        "2018-08-14T10:00:00Z",
        &["Sponsors", "Korea"],
    );
    hidden.front.hidden = true;
    let d = digest(
        "",
        vec![
            loaded("a.md", "Newest", "2018-08-15T10:00:00Z", &["Korea"]),
            hidden,
            loaded("c.md", "Oldest", "2018-08-13T10:00:00Z", &["Korea"]),
        ],
    );
    let h = ArticleId::new(1);
    assert!(d[h].hidden && d.pages.iter().any(|p| p.path == d[h].url_path));
    let korea = d.topics.iter().find(|t| t.name == "Korea").unwrap();
    assert_eq!(titles(&d, &korea.articles), ["Newest", "Oldest"]);
    assert!(
        d.topics.iter().all(|t| t.name != "Sponsors"),
        "a topic only it has is none"
    );
    assert_eq!(d.editions.len(), 2, "no edition of its own");
    assert!(d.editions.iter().all(|e| !e.articles.contains(&h)));
    assert!(d.months.iter().all(|m| !m.articles.contains(&h)));
    assert_eq!(
        titles(&d, &d.listed_ids().collect::<Vec<_>>()),
        ["Newest", "Oldest"]
    );
    assert_eq!(d.listed_older(ArticleId::new(0)), Some(ArticleId::new(2)));
    assert_eq!(d.listed_newer(ArticleId::new(2)), Some(ArticleId::new(0)));
    assert_eq!(d[h].topics.len(), 1, "its page links the topics that exist");
}
