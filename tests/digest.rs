//! The digest features of issue 7 on small fixture sites: outlet pages and data/sources.yaml,
//! the OPML list of feeds, story threads and related articles, scheduled and expiring
//! articles, editions (notes, order, neighbours, feeds, weekly) and the search index.

mod common;

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
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
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

    let page = site.read("2018/08/14/c/index.html");
    assert!(page.contains("<a href=\"/sources/bbc-co-uk/\">More from bbc.co.uk in this digest</a>"));
    assert!(!site.read("2018/08/14/d/index.html").contains("More from"));
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
    assert!(site.read("index.html").contains("href=\"/feeds.opml\""));
    assert_eq!(count(&site.read("feeds.opml"), "type=\"rss\""), 4);
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
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = TestSite::new(SITE_TOML, &refs);
    site.build();
    let loaded = gazette::build::load_site(&site.options()).unwrap();
    let d = &loaded.digest;
    let x = d.articles.iter().position(|a| a.title == "X").unwrap();
    let titles: Vec<&str> = d
        .related(x, 5)
        .iter()
        .map(|&i| d.articles[i].title.as_str())
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
    assert_eq!(count(related, "class=\"item__title\""), 5);
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
        options.serve = preview;
        gazette::build::build(&options).unwrap();
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
    gazette::new::init(&dir.path().join("site")).unwrap();
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
