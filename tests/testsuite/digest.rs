//! The digest features of issue 7 on small fixture sites: outlet pages and data/sources.yaml,
//! the OPML list of feeds, story threads and related articles, scheduled and expiring
//! articles, editions (notes, order, neighbours, feeds, weekly) and the search index.

use crate::common;

use common::{article, count, TestSite, SITE_TOML};

/// Runs Python on `script` with `args`; returns its stdout, panicking with its output on failure.
fn python(script: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 is needed; run .ci/run");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn sources_site() -> TestSite {
    TestSite::new(
        SITE_TOML,
        &[
            ("content/a.md", &article("title: Lira falls\ndate: 2018-08-13T10:00:00Z\ntopics: [Turkey]\nsource: {name: Reuters, url: \"https://www.reuters.com/a\"}", "A.")),
            ("content/b.md", &article("title: Tariffs doubled\ndate: 2018-08-10T10:00:00Z\ntopics: [Trade]\nsource: {name: reuters, url: \"https://www.reuters.com/b\"}", "B.")),
            ("content/c.md", &article("title: Bridge collapses\ndate: 2018-08-14T10:00:00Z\ntopics: [Italy]\nsource: \"https://www.bbc.co.uk/news/c\"", "C.")),
            ("content/d.md", &article("title: No source\ndate: 2018-08-14T11:00:00Z", "D.")),
            ("data/sources.yaml", "Reuters:\n  description: \"An international news agency.\"\n  url: https://www.reuters.com/\nReuter:\n  description: A typo.\n"),
        ],
    )
}

#[test]
fn every_outlet_gets_a_page_and_the_sources_page_counts_them() {
    let site = sources_site();
    let report = site.build();
    let warnings: Vec<String> = common::lines(&report.warnings);
    assert_eq!(warnings, ["data/sources.yaml:4: no article cites \"Reuter\"; check the spelling against the articles' `source.name` (or the site's host name)"]);

    let list = site.read("sources/index.html");
    assert!(
        list.contains("<a href=\"/sources/reuters/\">Reuters</a> <span class=\"count\">2<"),
        "{list}"
    );
    assert!(list.contains("<a href=\"/sources/bbc-co-uk/\">bbc.co.uk</a> <span class=\"count\">1<"));
    assert!(
        list.find("bbc.co.uk").unwrap() < list.find(">Reuters<").unwrap(),
        "sorted by name"
    );

    let reuters = site.read("sources/reuters/index.html");
    assert!(reuters.contains("An international news agency."));
    assert!(reuters.contains("<a href=\"https://www.reuters.com/\" rel=\"external\">"));
    assert!(reuters.contains("Lira falls") && reuters.contains("Tariffs doubled"));
    assert!(!reuters.contains("Bridge collapses"));
    assert!(reuters.find("Lira falls").unwrap() < reuters.find("Tariffs doubled").unwrap());

    assert!(site
        .read("sources/index.html")
        .contains("<a href=\"/sources/bbc-co-uk/\">bbc.co.uk</a>"));
    assert!(site
        .read("sitemap.xml")
        .contains("<loc>https://example.org/sources/reuters/</loc>"));
}

#[test]
fn a_bad_sources_file_names_its_line() {
    let site = sources_site();
    site.write(
        "data/sources.yaml",
        "Reuters:\n  homepage: https://www.reuters.com/\n",
    );
    assert_eq!(
        site.build_error(),
        "data/sources.yaml:1: unknown key `homepage` for \"Reuters\"; an outlet has `description` and `url` (its home page)\n1 problem found; nothing was written"
    );
}

#[test]
#[ignore = "needs python3: run scripts/test"]
fn the_opml_file_lists_the_site_and_topic_feeds() {
    let site = sources_site();
    site.build();
    let outlines = python(
        "import sys, xml.etree.ElementTree as ET\n\
         root = ET.parse(sys.argv[1]).getroot()\n\
         assert root.tag == 'opml' and root.get('version') == '2.0'\n\
         print(root.find('head/title').text)\n\
         for o in root.iter('outline'):\n    print(o.get('text'), o.get('xmlUrl'), o.get('htmlUrl'))",
        &[site.public().join("feeds.opml").to_str().unwrap()],
    );
    let lines: Vec<&str> = outlines.lines().collect();
    assert_eq!(lines[0], "Test Digest: feeds");
    assert!(lines.contains(&"Test Digest https://example.org/atom.xml https://example.org/"));
    assert!(lines.contains(&"Topics None None"));
    assert!(lines.contains(&"Test Digest: Turkey https://example.org/topics/turkey/atom.xml https://example.org/topics/turkey/"));
    assert!(site
        .read("topics/index.html")
        .contains("href=\"/feeds.opml\""));
    assert_eq!(count(&site.read("feeds.opml"), "type=\"rss\""), 5);
}

fn story_site() -> TestSite {
    let a = |title: &str, date: &str, extra: &str| {
        article(&format!("title: {title}\ndate: {date}\n{extra}"), "Body.")
    };
    TestSite::new(
        SITE_TOML,
        &[
            (
                "content/s1.md",
                &a(
                    "Koreas agree to a summit",
                    "2018-08-13T09:00:00Z",
                    "story: putin-kim-summit\ntopics: [Korea]",
                ),
            ),
            (
                "content/s2.md",
                &a(
                    "Putin ready to meet Kim",
                    "2018-08-15T09:00:00Z",
                    "story: Putin-Kim-Summit\ntopics: [Russia]",
                ),
            ),
            (
                "content/s3.md",
                &a(
                    "Kremlin awaits an answer",
                    "2018-08-17T09:00:00Z",
                    "story: putin-kim-summit",
                ),
            ),
            (
                "content/alone.md",
                &a("A story of one", "2018-08-16T09:00:00Z", "story: lonely"),
            ),
        ],
    )
}

#[test]
fn stories_with_two_or_more_articles_get_a_timeline_and_neighbours() {
    let site = story_site();
    site.build();
    let timeline = site.read("stories/putin-kim-summit/index.html");
    assert!(
        timeline.contains("<h1 class=\"page-head__title\">Putin kim summit</h1>"),
        "{timeline}"
    );
    let at = |t: &str| timeline.find(t).unwrap_or_else(|| panic!("{t} missing"));
    assert!(at("Koreas agree") < at("Putin ready") && at("Putin ready") < at("Kremlin awaits"));
    assert!(
        !site.exists("stories/lonely/index.html"),
        "a story of one has no page"
    );

    let middle = site.read("2018/08/15/s2/index.html");
    let earlier = middle.find("Earlier in this story").expect("earlier");
    let later = middle.find("Later in this story").expect("later");
    assert!(middle.contains("<a href=\"/stories/putin-kim-summit/\">Putin kim summit</a>"));
    assert!(
        middle[earlier..later].contains("<a href=\"/2018/08/13/s1/\">Koreas agree to a summit</a>")
    );
    assert!(middle[later..].contains("<a href=\"/2018/08/17/s3/\">Kremlin awaits an answer</a>"));
    let first = site.read("2018/08/13/s1/index.html");
    assert!(!first.contains("Earlier in this story") && first.contains("Later in this story"));
    assert!(!site
        .read("2018/08/16/alone/index.html")
        .contains("The story:"));
}

#[test]
fn related_articles_rank_story_then_shared_topics_then_closeness_in_time() {
    let mut files = vec![
        (
            "content/x.md".to_string(),
            article(
                "title: X\ndate: 2018-08-15T12:00:00Z\ntopics: [A, B]\nstory: s",
                "x",
            ),
        ),
        (
            "content/story.md".to_string(),
            article(
                "title: Same story\ndate: 2018-08-01T12:00:00Z\nstory: s",
                "x",
            ),
        ),
        (
            "content/both.md".to_string(),
            article(
                "title: Both topics\ndate: 2018-08-05T12:00:00Z\ntopics: [A, B]",
                "x",
            ),
        ),
        (
            "content/none.md".to_string(),
            article(
                "title: Unrelated\ndate: 2018-08-15T13:00:00Z\ntopics: [C]",
                "x",
            ),
        ),
    ];
    for (i, day) in [14, 20, 10, 25, 3].iter().enumerate() {
        files.push((
            format!("content/a{i}.md"),
            article(
                &format!("title: Only A {day}\ndate: 2018-08-{day:02}T12:00:00Z\ntopics: [A]"),
                "x",
            ),
        ));
    }
    let site = TestSite::owned(SITE_TOML, &files);
    site.build();
    let loaded = gazette::pipeline::build::load_site(&site.options()).unwrap();
    let d = &loaded.digest;
    let x = d.article_ids().find(|&i| d[i].title == "X").unwrap();
    let titles: Vec<&str> = d
        .related(x, 5)
        .iter()
        .map(|&i| d[i].title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Same story",
            "Both topics",
            "Only A 14",
            "Only A 20",
            "Only A 10"
        ]
    );

    let page = site.read("2018/08/15/x/index.html");
    let related = &page[page.find("id=\"related-heading\"").unwrap()..];
    let related = &related[..related.find("</section>").unwrap()];
    // The page shows the best three, by headline, besides the story's own articles, which
    // its story thread lists already.
    assert_eq!(count(related, "<li><a href="), 3);
    assert!(!related.contains("Same story"), "{related}");
    let thread = &page[page.find("id=\"story-heading\"").unwrap()..];
    assert!(thread.contains(">Same story</a>"), "{thread}");
    for title in ["Both topics", "Only A 14", "Only A 20"] {
        assert!(
            related.contains(&format!(">{title}</a></li>")),
            "{title}: {related}"
        );
    }
    assert!(!related.contains("Unrelated") && !related.contains("Only A 3"));
}

#[test]
fn scheduled_and_expired_articles_are_left_out_of_builds_and_marked_in_previews() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/scheduled.md",
                &article(
                    "title: Embargoed report\ndate: 2018-08-10\npublish_date: 2018-08-20T06:00:00Z",
                    "x",
                ),
            ),
            (
                "content/expiring.md",
                &article(
                    "title: Offer ends\ndate: 2018-08-10\nexpiry_date: 2018-08-15 18:00",
                    "x",
                ),
            ),
            (
                "content/plain.md",
                &article("title: Plain\ndate: 2018-08-10", "x"),
            ),
        ],
    );
    let at = |now: &str, preview: bool| {
        let mut options = site.options();
        options.now = Some(now.parse().unwrap());
        options.future = preview;
        options.expired = preview;
        if preview {
            options.delivery = gazette::app::serve::PREVIEW;
        }
        gazette::pipeline::build::build(&options).unwrap();
        site.read("2018/08/10/index.html")
    };
    let day = at("2018-08-14T00:00:00Z", false);
    assert!(day.contains("Offer ends") && !day.contains("Embargoed report"));
    let day = at("2018-08-16T00:00:00Z", false);
    assert!(
        !day.contains("Offer ends") && !day.contains("Embargoed report") && day.contains("Plain")
    );
    assert!(
        !site.exists("2018/08/10/expiring/index.html"),
        "an expired article's page is removed"
    );
    let day = at("2018-08-21T00:00:00Z", false);
    assert!(day.contains("Embargoed report") && !day.contains("Offer ends"));

    // serve's options: everything shown, marked.
    let day = at("2018-08-16T00:00:00Z", true);
    assert!(
        day.contains("Embargoed report</a> <span class=\"badge badge--future\">Scheduled</span>"),
        "{day}"
    );
    assert!(day.contains("Offer ends</a> <span class=\"badge badge--expired\">Expired</span>"));
    assert_eq!(count(&day, "class=\"badge"), 2);
}

#[test]
fn publishing_workflows_also_run_daily() {
    let ours = std::fs::read_to_string(common::repo().join(".github/workflows/pages.yml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    gazette::app::new::init(&dir.path().join("site")).unwrap();
    let theirs =
        std::fs::read_to_string(dir.path().join("site/.github/workflows/pages.yml")).unwrap();
    for workflow in [ours, theirs] {
        let on =
            &workflow[workflow.find("\non:\n").unwrap()..workflow.find("\npermissions:").unwrap()];
        assert!(
            on.contains("  push:\n") && on.contains("  schedule:\n    - cron: \"17 0 * * *\"\n"),
            "{on}"
        );
    }
}

fn editions_site(toml: &str) -> TestSite {
    let a = |title: &str, date: &str| {
        article(
            &format!("title: {title}\ndate: {date}\ntopics: [World]"),
            &format!("The body of {title}."),
        )
    };
    TestSite::new(
        toml,
        &[
            ("content/first.md", &a("First day", "2018-08-13T09:00:00Z")),
            ("content/early.md", &a("Early news", "2018-08-15T08:00:00Z")),
            ("content/late.md", &a("Late news", "2018-08-15T20:00:00Z")),
            ("content/next-week.md", &a("Next week", "2018-08-21T09:00:00Z")),
            ("content/editions/2018-08-15.md", "---\ntitle: The lira's worst week\norder: [early]\n---\nA note with a [link](/2018/08/13/).\n"),
        ],
    )
}

#[test]
fn editions_have_notes_an_order_neighbours_and_a_page_listing_them() {
    let site =
        editions_site(&SITE_TOML.replace("https://example.org/", "https://example.org/digest/"));
    let report = site.build();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(
        !site.exists("2018/08/15/2018-08-15/index.html"),
        "notes are not articles"
    );
    let day = site.read("2018/08/15/index.html");
    assert!(day.contains("Edition No.\u{a0}2"));
    assert!(
        day.contains("<p class=\"editor-note__title\">The lira’s worst week</p>"),
        "{day}"
    );
    assert!(day.contains("A note with a <a href=\"/digest/2018/08/13/\">link</a>."));
    assert!(
        day.find("Early news").unwrap() < day.find("Late news").unwrap(),
        "the editor's order wins over newest first"
    );
    assert!(day.contains("<a href=\"/digest/2018/08/13/\" rel=\"prev\">"));
    assert!(day.contains("<a href=\"/digest/2018/08/21/\" rel=\"next\">"));
    let first = site.read("2018/08/13/index.html");
    assert!(!first.contains("rel=\"prev\"") && first.contains("rel=\"next\""));

    let editions = site.read("editions/index.html");
    assert!(editions.contains("<a href=\"/digest/2018/08/15/\">No.\u{a0}2: <time datetime=\"2018-08-15\">Wednesday, 15 August 2018</time></a>"));
    assert_eq!(count(&editions, "class=\"count\""), 3);

    // The front page leads with the latest edition; a note there shows there.
    site.write(
        "content/editions/2018-08-21.md",
        "Only a note, no front matter.\n",
    );
    site.build();
    let front = site.read("index.html");
    let lead = &front[..front.find("Earlier editions").unwrap()];
    assert!(lead.contains("Only a note, no front matter.") && lead.contains("Next week"));
    assert!(
        front.contains("title=\"Test Digest: editions (Atom)\" href=\"/digest/editions/atom.xml\"")
    );
}

#[test]
fn editor_notes_that_do_not_fit_are_reported() {
    let site = editions_site(SITE_TOML);
    site.write(
        "content/editions/2018-08-15.md",
        "---\ntitle: T\norder: [early, nope]\n---\nNote.\n",
    );
    assert_eq!(
        common::lines(&site.build().warnings),
        ["content/editions/2018-08-15.md:3: `order` names `nope`, which is not an article of this edition; it is left out of the order: check the slug against this edition's articles: early, late"]
    );
    site.write(
        "content/editions/2018-08-15.md",
        "---\nheadline: T\n---\nNote.\n",
    );
    assert_eq!(
        common::lines(&site.build().warnings),
        ["content/editions/2018-08-15.md:2: unknown key `headline` is ignored; an editor's note has `title` and `order` (a list of article slugs)"]
    );
    site.write(
        "content/editions/2018-08-15.md",
        "---\ntitel: T\n---\nNote.\n",
    );
    assert_eq!(
        common::lines(&site.build().warnings),
        ["content/editions/2018-08-15.md:2: unknown key `titel` is ignored; did you mean `title`? an editor's note has `title` and `order` (a list of article slugs)"]
    );
    site.write("content/editions/2018-08-15.md", "Note.\n");
    site.write("content/editions/august.md", "Note.\n");
    assert_eq!(
        site.build_error(),
        "content/editions/august.md: the file name must be the edition's date, such as 2018-08-15.md (or its ISO week, such as 2018-w33.md, for weekly editions)\n1 problem found; nothing was written"
    );
    std::fs::remove_file(site.root().join("content/editions/august.md")).unwrap();
    site.write("content/editions/2018-08-15.markdown", "Another note.\n");
    assert_eq!(
        site.build_error(),
        "content/editions/2018-08-15.md: is a second note for the edition that content/editions/2018-08-15.markdown is for; merge the two files\n1 problem found; nothing was written"
    );
    std::fs::remove_file(site.root().join("content/editions/2018-08-15.markdown")).unwrap();
    site.write("content/editions/2018-08-14.md", "Note.\n");
    let warnings: Vec<String> = common::lines(&site.build().warnings);
    assert_eq!(warnings, ["content/editions/2018-08-14.md: the note is not shown: no edition has articles then (yet); it is shown once one does"]);
}

#[test]
#[ignore = "needs Python's feedparser and jsonfeed-util: run scripts/test"]
fn the_editions_feeds_hold_one_entry_per_edition_with_every_article() {
    let site = editions_site(SITE_TOML);
    site.build();
    let out = python(
        "import sys, json, feedparser, jsonfeed\n\
         for name in ['atom.xml', 'rss.xml']:\n\
         \x20   f = feedparser.parse(sys.argv[1] + '/editions/' + name)\n\
         \x20   assert not f.bozo, f.bozo_exception\n\
         \x20   for e in f.entries:\n\
         \x20       c = e.content[0].value\n\
         \x20       print(name, e.title, '|', e.link, '|', c.count('<h2>'), 'Early' in c and 'Late' in c, c.find('Early') <= c.find('Late'), 'href=\"/' in c)\n\
         j = jsonfeed.Feed.parse(json.load(open(sys.argv[1] + '/editions/feed.json')))\n\
         for i in j.items:\n\
         \x20   print('json', i.title, '|', i.url, '|', i.content_html.count('<h2>'))",
        &[site.public().to_str().unwrap()],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "atom.xml No.\u{a0}3, Tuesday, 21 August 2018 | https://example.org/2018/08/21/ | 1 False True False",
            "atom.xml No.\u{a0}2, Wednesday, 15 August 2018: The lira’s worst week | https://example.org/2018/08/15/ | 2 True True False",
            "atom.xml No.\u{a0}1, Monday, 13 August 2018 | https://example.org/2018/08/13/ | 1 False True False",
            "rss.xml No.\u{a0}3, Tuesday, 21 August 2018 | https://example.org/2018/08/21/ | 1 False True False",
            "rss.xml No.\u{a0}2, Wednesday, 15 August 2018: The lira’s worst week | https://example.org/2018/08/15/ | 2 True True False",
            "rss.xml No.\u{a0}1, Monday, 13 August 2018 | https://example.org/2018/08/13/ | 1 False True False",
            "json No.\u{a0}3, Tuesday, 21 August 2018 | https://example.org/2018/08/21/ | 1",
            "json No.\u{a0}2, Wednesday, 15 August 2018: The lira’s worst week | https://example.org/2018/08/15/ | 2",
            "json No.\u{a0}1, Monday, 13 August 2018 | https://example.org/2018/08/13/ | 1",
        ]
    );
    let atom = site.read("editions/atom.xml");
    assert!(atom.contains(
        "A note with a &lt;a href=&quot;https://example.org/2018/08/13/&quot;&gt;link&lt;/a&gt;."
    ));
    assert!(site
        .read("feeds.opml")
        .contains("xmlUrl=\"https://example.org/editions/atom.xml\""));
}

#[test]
fn weekly_editions_group_iso_weeks() {
    let site = editions_site(&format!("{SITE_TOML}editions = \"weekly\"\n"));
    site.write(
        "content/editions/2018-w34.md",
        "---\ntitle: Week note\n---\n",
    );
    std::fs::remove_file(site.root().join("content/editions/2018-08-15.md")).unwrap();
    site.build();
    assert!(!site.exists("2018/08/13/index.html") && !site.exists("2018/08/15/index.html"));
    let week = site.read("2018/w33/index.html");
    assert!(week.contains("Week 33, 2018: 13–19 August"), "{week}");
    assert!(week.contains("Edition No.\u{a0}1"));
    assert!(
        week.contains("First day") && week.contains("Early news") && week.contains("Late news")
    );
    assert!(!week.contains(">Next week<"));
    assert!(week.contains("href=\"/2018/w34/\" rel=\"next\""));
    let next = site.read("2018/w34/index.html");
    assert!(next.contains("Week note") && next.contains("Week 34, 2018: 20–26 August"));
    let article = site.read("2018/08/15/early/index.html");
    assert!(
        article.contains("<a href=\"/2018/w33/\"><time"),
        "articles link their week"
    );
    assert!(site
        .read("sitemap.xml")
        .contains("<loc>https://example.org/2018/w33/</loc>"));
    let bad = TestSite::new(&format!("{SITE_TOML}editions = \"monthly\"\n"), &[]);
    assert_eq!(
        bad.build_error(),
        "site.toml:5: `editions` \"monthly\" must be \"daily\" (an edition a day) or \"weekly\" (an edition an ISO week)"
    );
}

#[test]
fn the_sample_digest_shows_threads_sources_notes_and_editions() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = gazette::pipeline::build::BuildOptions::new(common::repo());
    options.output = Some(dir.path().join("public"));
    let report = gazette::pipeline::build::build(&options).unwrap_or_else(|e| panic!("{e:#}"));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let read = |p: &str| std::fs::read_to_string(dir.path().join("public").join(p)).unwrap();
    let site = gazette::pipeline::build::load_site(&options).unwrap();
    let d = &site.digest;
    assert!(d.editions.len() >= 8, "{} editions", d.editions.len());
    for story in ["korean-peace-talks", "turkish-lira-crisis"] {
        let s = d.stories.iter().find(|s| s.slug == story).unwrap();
        assert!(s.articles.len() >= 3, "{story}");
        assert_eq!(
            count(
                &read(&format!("stories/{story}/index.html")),
                "class=item__title"
            ),
            s.articles.len()
        );
    }
    let shared: Vec<&str> = d
        .sources
        .iter()
        .filter(|s| s.articles.len() >= 2)
        .map(|s| s.name.as_str())
        .collect();
    assert!(shared.len() >= 3, "{shared:?}");
    assert!(read("sources/reuters/index.html").contains("International news agency"));
    assert!(d.editions.iter().filter(|e| e.note.is_some()).count() >= 3);
    // The demo is minified, as every site is by default.
    assert!(read("index.html").contains("<p class=editor-note__title>A trip called off"));
    assert!(read("editions/atom.xml").matches("<entry>").count() >= 8);
}

/// In a long story an article page lists the five articles just before and after it, in
/// order; the story's own page lists them all.
#[test]
fn long_stories_list_their_nearest_articles() {
    let files: Vec<(String, String)> = (1..=15)
        .map(|n| {
            (
                format!("content/s{n:02}.md"),
                article(
                    &format!("title: Part {n:02}\ndate: 2018-08-{n:02}\nstory: long-story"),
                    "Text.",
                ),
            )
        })
        .collect();
    let site = TestSite::owned(SITE_TOML, &files);
    site.build();
    let page = site.read("2018/08/08/s08/index.html");
    let thread = &page[page.find("class=\"story-thread\"").unwrap()..];
    let thread = &thread[..thread.find("</section>").unwrap()];
    let parts: Vec<&str> = thread
        .match_indices("Part ")
        .map(|(i, _)| &thread[i..i + 7])
        .collect();
    assert_eq!(
        parts,
        [
            "Part 03", "Part 04", "Part 05", "Part 06", "Part 07", "Part 09", "Part 10", "Part 11",
            "Part 12", "Part 13"
        ]
    );
    assert_eq!(
        count(&site.read("stories/long-story/index.html"), ">Part "),
        15
    );
}

/// The editions feed holds the newest editions whose articles together stay within
/// `feed_limit`, and always the latest edition.
#[test]
fn the_editions_feed_is_bounded_by_feed_limit() {
    let files: Vec<(String, String)> = (0..6)
        .map(|n| {
            (
                format!("content/a{n}.md"),
                article(
                    &format!("title: A{n}\ndate: 2018-08-{:02}T0{n}:00:00Z", 10 + n / 2),
                    "Text.",
                ),
            )
        })
        .collect();
    for (limit, entries) in [(1, 1), (3, 1), (4, 2), (50, 3)] {
        let site = TestSite::owned(&format!("{SITE_TOML}feed_limit = {limit}\n"), &files);
        site.build();
        assert_eq!(
            count(&site.read("editions/atom.xml"), "<entry>"),
            entries,
            "feed_limit {limit}"
        );
    }
}
