//! Moving in: posts from Jekyll, Hugo and Zola (`tests/fixtures/import/`) build as they are,
//! and every old address (aliases, `redirect_from`, `permalink`, `[redirects]`, renamed
//! topics and outlets) is a page that sends readers to the new one.

use crate::common;

use common::{article, TestSite, SITE_TOML};
use gazette::pipeline::check::check;

/// The fixture, built; returns it with the build's warnings as printed.
fn imported() -> (TestSite, Vec<String>) {
    let site = TestSite::fixture("import");
    let report = site.build();
    let warnings = common::lines(&report.warnings);
    (site, warnings)
}

/// Asserts that `html` contains `part`, showing the page when it does not.
fn assert_has(html: &str, part: &str) {
    assert!(html.contains(part), "lacks {part}:\n{html}");
}

/// Asserts that `path` is a redirect page to `to` (an absolute address).
fn assert_redirect(site: &TestSite, path: &str, to: &str) {
    let html = site.read(path);
    for part in [
        format!("<meta http-equiv=\"refresh\" content=\"0; url={to}\">"),
        format!("<link rel=\"canonical\" href=\"{to}\">"),
        "<meta name=\"robots\" content=\"noindex\">".to_string(),
        format!("<a href=\"{to}\">"),
    ] {
        assert_has(&html, &part);
    }
}

#[test]
fn every_old_address_is_a_redirect_page_under_the_base_path() {
    let (site, _) = imported();
    let welcome = "https://example.org/blog/2013/05/06/welcome/";
    // Jekyll: `permalink` (with its placeholders) and `redirect_from`.
    assert_redirect(&site, "jekyll/update/2013/05/06/welcome.html", welcome);
    assert_redirect(&site, "2013/05/welcome/index.html", welcome);
    assert_redirect(&site, "old-welcome/index.html", welcome);
    // Hugo: `aliases`, folders and files.
    let hugo = "https://example.org/blog/2019/03/01/hugo-post/";
    assert_redirect(&site, "posts/hugo-post/index.html", hugo);
    assert_redirect(&site, "2019/old.html", hugo);
    // `[redirects]` in site.toml.
    assert_redirect(
        &site,
        "old-archive/index.html",
        "https://example.org/blog/archive/",
    );
    // Redirect pages stay out of the sitemap.
    assert!(!site.read("sitemap.xml").contains("old-welcome"));
}

#[test]
fn renamed_topics_and_outlets_redirect_and_their_feeds_point_on() {
    let (site, _) = imported();
    // The Hugo post's `EU` is the topic European Union now.
    assert!(site.exists("topics/european-union/index.html"));
    assert_redirect(
        &site,
        "topics/eu/index.html",
        "https://example.org/blog/topics/european-union/",
    );
    let new_feed = "https://example.org/blog/topics/european-union/atom.xml";
    let atom = site.read("topics/eu/atom.xml");
    assert!(
        atom.contains(&format!("<link rel=\"self\" href=\"{new_feed}\"/>")),
        "{atom}"
    );
    assert!(atom.contains(&format!("This feed has moved to {new_feed}")));
    let rss = site.read("topics/eu/rss.xml");
    assert!(rss.contains(
        "<itunes:new-feed-url>https://example.org/blog/topics/european-union/rss.xml</itunes:new-feed-url>"
    ));
    let json: serde_json::Value = serde_json::from_str(&site.read("topics/eu/feed.json")).unwrap();
    assert_eq!(
        json["feed_url"],
        "https://example.org/blog/topics/european-union/feed.json"
    );
    // The outlet "Times" is "The Times".
    assert!(site.exists("sources/the-times/index.html"));
    assert_redirect(
        &site,
        "sources/times/index.html",
        "https://example.org/blog/sources/the-times/",
    );
}

#[test]
fn jekyll_titles_and_dates_come_from_file_names() {
    let (site, warnings) = imported();
    let empty = site.read("2009/06/22/empty-yaml/index.html");
    assert!(empty.contains("<title>Empty Yaml"), "{empty}");
    assert!(warnings.contains(&"content/_posts/2009-06-22-empty-yaml.markdown:1: has no `title`; it is named \"Empty Yaml\" after its file, as Jekyll does: add a `title:` line to choose another".to_string()), "{warnings:#?}");
    let zeroes = site.read("2017/02/05/i-dont-like-zeroes/index.html");
    assert!(zeroes.contains("I do not like zeroes"));
    assert!(zeroes.contains("2017-02-05"));
}

#[test]
fn liquid_tags_are_converted_and_includes_are_warned_about() {
    let (site, warnings) = imported();
    let html = site.read("2013/05/06/welcome/index.html");
    for part in [
        "<a href=\"/blog/2017/02/05/i-dont-like-zeroes/\">the zeroes post</a>",
        "<a href=\"/blog/2009/06/22/empty-yaml/\">the empty one</a>",
        "src=\"/blog/logo.png\"",
        "from https://example.org.",
        "{{ not_liquid }}",
        "{% include footer.html %}",
        "<a href=\"/blog/assets/chart.csv\">data</a>",
    ] {
        assert_has(&html, part);
    }
    // The highlighted Ruby: syntect's classes, no Liquid left.
    assert!(html.contains("data-lang=\"ruby\"") && html.contains("print_hi"));
    assert!(!html.contains("highlight ruby"));
    assert!(!html.contains("endhighlight"));
    assert!(warnings.contains(&"content/_posts/2013-05-06-welcome.markdown:23: `{% include %}` is left as written: Gazette does not run Liquid includes; paste the included text in its place".to_string()), "{warnings:#?}");
}

#[test]
fn hugo_shortcodes_are_converted_and_others_are_warned_about() {
    let (site, warnings) = imported();
    let html = site.read("2019/03/01/hugo-post/index.html");
    for part in [
        "<figure><img src=\"/blog/img/a.png\" alt=\"A chart\"><figcaption>The chart</figcaption></figure>",
        "<a href=\"/blog/2020/01/02/taxo/\">the Zola post</a>",
        "<a href=\"/blog/2020/01/02/taxo/\">again</a>",
        "src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\"",
        "src=\"https://player.vimeo.com/video/146022717?dnt=1\"",
        "<a href=\"https://gist.github.com/spf13/7896402\">Gist spf13/7896402</a>",
        "<a href=\"https://twitter.com/SanDiegoZoo/status/1453110110599868418\">Post on X (Twitter)</a>",
        "{{&lt; instagram BWNjjyYFxVx &gt;}}",
    ] {
        assert_has(&html, part);
    }
    assert!(html.contains("data-lang=\"go\"") && !html.contains("highlight go"));
    assert!(warnings.contains(&"content/hugo/hugo-post.md:27: the Hugo shortcode `instagram` is left as written; Gazette converts figure, ref, relref, highlight, youtube, vimeo, gist and tweet: write the others as Markdown or HTML".to_string()), "{warnings:#?}");
}

#[test]
fn videos_are_plain_links_when_raw_html_is_sanitised() {
    let site = TestSite::new(
        &format!("{SITE_TOML}unsafe_html = false\n"),
        &[(
            "content/2019/v.md",
            &article(
                "title: V\ndate: 2019-01-01",
                "{{< youtube dQw4w9WgXcQ >}}\n\n{{< vimeo 1 >}}",
            ),
        )],
    );
    site.build();
    let html = site.read("2019/01/01/v/index.html");
    assert!(html.contains("<a href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\" rel=\"noopener\">YouTube video</a>"), "{html}");
    assert!(html.contains("<a href=\"https://vimeo.com/1\" rel=\"noopener\">Vimeo video</a>"));
    assert!(!html.contains("<iframe"));
}

#[test]
fn zola_taxonomies_become_topics_and_extra_stays_extra() {
    let (site, _) = imported();
    assert!(site.exists("topics/rust/index.html"));
    assert!(site.exists("topics/tech/index.html"));
    let html = site.read("2020/01/02/taxo/index.html");
    assert!(html.contains("/blog/topics/rust/"));
}

#[test]
fn an_unknown_post_url_name_is_an_error_with_its_line() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/2019/a.md",
            &article(
                "title: A\ndate: 2019-01-01",
                "Intro.\n\nSee [b]({% post_url 2019-01-01-nothing %}).",
            ),
        )],
    );
    assert_eq!(
        site.build_error(),
        "content/2019/a.md:7: `{% post_url 2019-01-01-nothing %}` names no article: `2019-01-01-nothing` matches no file in content/; check the file name (without the folder, or as a path from content/)\n1 problem found; nothing was written"
    );
}

#[test]
fn an_old_address_over_a_page_or_another_old_address_is_an_error_naming_both() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/2019/a.md",
                &article(
                    "title: A\ndate: 2019-01-01\naliases: [/2019/01/02/b/]",
                    "A.",
                ),
            ),
            (
                "content/2019/b.md",
                &article("title: B\ndate: 2019-01-02", "B."),
            ),
            (
                "content/2019/c.md",
                &article("title: C\ndate: 2019-01-03\nredirect_from: /old/", "C."),
            ),
            (
                "content/2019/d.md",
                &article("title: D\ndate: 2019-01-04\naliases: [/old]", "D."),
            ),
        ],
    );
    let error = site.build_error();
    assert!(error.contains("content/2019/a.md:4: the old address /2019/01/02/b/ would overwrite the page of content/2019/b.md (2019/01/02/b/index.html); remove it, or move the page"), "{error}");
    assert!(error.contains("content/2019/d.md:4: the old address /old/ would overwrite the old address /old/ of content/2019/c.md:4 (old/index.html); remove it, or move the page"), "{error}");
}

#[test]
fn check_knows_old_addresses_and_suggests_aliases_for_moved_articles() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/2019/a.md",
                &article("title: A\ndate: 2019-01-01\naliases: [/a-old/]", "A."),
            ),
            (
                "content/2019/b.md",
                &article("title: B\ndate: 2019-01-02", "Intro.\n\nSee [a](/a-old/)."),
            ),
        ],
    );
    site.build();
    let report = check(&site.options(), false).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    // Advice that build does not give: a note, which --strict does not count.
    let warnings: Vec<String> = common::lines(&report.notes);
    assert!(warnings.contains(&"content/2019/b.md:7: `/a-old/` is an old address that redirects to /2019/01/01/a/; link to /2019/01/01/a/ instead".to_string()), "{warnings:#?}");
    // B moves to another day: check suggests keeping its old address.
    site.write(
        "content/2019/b.md",
        &article("title: B\ndate: 2019-01-05", "Intro."),
    );
    let report = check(&site.options(), false).unwrap();
    let warnings: Vec<String> = common::lines(&report.notes);
    assert!(warnings.contains(&"content/2019/b.md: its address changed from /2019/01/02/b/ to /2019/01/05/b/ since the last build; add `aliases: [\"/2019/01/02/b/\"]` to its front matter so links to the old one keep working".to_string()), "{warnings:#?}");
    // With the alias, the old address is kept and check is quiet about it.
    site.write(
        "content/2019/b.md",
        &article(
            "title: B\ndate: 2019-01-05\naliases: [\"/2019/01/02/b/\"]",
            "Intro.",
        ),
    );
    let report = check(&site.options(), false).unwrap();
    assert!(!report
        .notes
        .iter()
        .any(|w| w.message.contains("address changed")));
    site.build();
    assert_redirect(
        &site,
        "2019/01/02/b/index.html",
        "https://example.org/2019/01/05/b/",
    );
}

#[test]
fn an_old_address_over_a_static_file_is_an_error_naming_both() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/2019/a.md",
                &article("title: A\ndate: 2019-01-01\naliases: [/old/]", "A."),
            ),
            ("static/old/index.html", "<p>old</p>"),
        ],
    );
    assert_eq!(
        site.build_error(),
        "static/old/index.html: would be written to /old/index.html, where content/2019/a.md:4 (the old address /old/) goes; rename or move the file\n1 problem found; nothing was written"
    );
}

#[test]
fn a_rename_to_a_topic_no_article_has_is_a_warning() {
    let site = TestSite::new(
        &format!("{SITE_TOML}[topics.\"Europe\"]\naliases = [\"EU\"]\n"),
        &[(
            "content/a.md",
            &article("title: A\ndate: 2018-08-15\ntopics: [Trade]", "x"),
        )],
    );
    let warnings: Vec<String> = common::lines(&site.build().warnings);
    let expected = "site.toml: [topics.\"Europe\"] renames EU to a topic no article has, so no old address redirects; check the spelling of \"Europe\"";
    assert_eq!(warnings, [expected]);
    assert!(!site.exists("topics/eu/index.html"));
    let report = gazette::pipeline::check::check(&site.options(), false).unwrap();
    let warnings: Vec<String> = common::lines(&report.warnings);
    assert_eq!(warnings, [expected]);
}

/// Pelican's Markdown, as a Pelican digest writes it: the metadata header, an issue number,
/// a draft, and an old address.
#[test]
fn pelican_articles_build_as_they_are() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            ("content/issue-665.md", "Title: Newsletter 665\nDate: 2024-6-7 18:46\nModified: 2024-06-08 09:00\nCategory: Python\nTags: pelican, packaging\nSlug: issue-665\nAuthors: Ana Silva, Ben Okafor\nSummary: This week: a new packaging\n  standard and a release.\nNumber: 665\nSave_as: issue-665.html\n\nThe week in *Python*. After [last week]({filename}/2024/issue-664.md) and [the one before](|filename|2024/issue-664.md#top),\nsee [packaging]({tag}packaging), [Python]({category}Python), [home]({index}) and ![a chart]({static}/images/chart.svg).\n"),
            ("content/2024/issue-664.md", "Title: Newsletter 664\nDate: 2024-05-31\nCategory: Python\n\nEarlier, [next]({filename}../issue-665.md).\n"),
            ("content/images/chart.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>"),
            ("content/draft.md", "title: Not yet\ndate: 2024-06-07\nstatus: draft\n\nLater.\n"),
            ("content/pages/about.rst", "About\n=====\n"),
            ("content/old/issue-1.rst", "Issue 1\n=======\n"),
        ],
    );
    let report = site.build();
    assert_eq!(
        common::lines(&report.warnings),
        ["content/: 2 files in formats Gazette does not read as articles (old/issue-1.rst, pages/about.rst); Gazette reads Markdown: convert them (for example `pandoc -f rst -t markdown`), or move them out of content/"],
        "listed once, with a count"
    );
    let page = site.read("2024/06/07/issue-665/index.html");
    assert_has(&page, "<h1 class=\"article__title\"><span class=\"item__number\">No.\u{a0}665</span> Newsletter 665");
    assert_has(&page, "<em>Python</em>");
    assert_has(&page, "Ana Silva, Ben Okafor");
    assert_has(&page, "2024-06-08T09:00:00");
    assert!(site.exists("topics/python/index.html") && site.exists("topics/pelican/index.html"));
    assert_redirect(
        &site,
        "issue-665.html",
        "https://example.org/2024/06/07/issue-665/",
    );
    let feed = site.read("atom.xml");
    assert_has(&feed, "<title>No.\u{a0}665: Newsletter 665</title>");
    assert_has(&feed, "This week: a new packaging standard and a release.");
    let feed: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    let item = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Newsletter 665")
        .unwrap();
    assert_eq!(item["_gazette"]["number"], 665, "the JSON Feed's extension");
    assert!(
        !site.exists("2024/06/07/not-yet/index.html"),
        "a draft stays out"
    );
    for link in [
        "href=\"/2024/05/31/issue-664/\"",
        "href=\"/2024/05/31/issue-664/#top\"",
        "href=\"/topics/packaging/\"",
        "href=\"/topics/python/\"",
        "href=\"/\"",
    ] {
        assert_has(&page, link);
    }
    // `{static}` names the file of content/; it is published where Gazette puts it.
    assert_has(
        &page,
        "<img src=\"/2024/06/07/issue-665/images/chart.svg\" alt=\"a chart\"",
    );
    assert!(site.exists("2024/06/07/issue-665/images/chart.svg"));
    assert_has(
        &site.read("2024/05/31/issue-664/index.html"),
        "href=\"/2024/06/07/issue-665/\"",
    );
    // A name that matches nothing is a problem at its line, as for Liquid.
    site.write("content/broken.md", "Title: Broken\nDate: 2024-06-01\n\nSee [this]({filename}/nope.md) and [that]({tag}nothing).\n");
    let warnings = common::lines(&site.build().warnings);
    assert!(warnings.contains(&"content/broken.md:4: link `{filename}/nope.md` points at no article; fix the path (relative to this file) or remove the link".to_string()), "{warnings:?}");
    assert!(warnings.contains(&"content/broken.md:4: link `{tag}nothing` names no topic; check the name against the articles' topics".to_string()), "{warnings:?}");
}

#[test]
fn a_buttondown_export_becomes_articles_once_and_the_site_builds_strict() {
    let site = TestSite::new(SITE_TOML, &[]);
    let file = common::repo().join("tests/fixtures/platforms/buttondown-emails.csv");
    let import = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["import", "buttondown"])
            .arg(&file)
            .arg("--root")
            .arg(site.root())
            .output()
            .unwrap()
    };
    let out = import();
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        said.trim(),
        format!(
            "Imported {}: 3 articles written into content/, 0 skipped",
            file.display()
        )
    );
    let first = std::fs::read_to_string(
        site.root()
            .join("content/2024/06/2024-06-07-weekly-brief-41.md"),
    )
    .unwrap();
    assert_eq!(first, "---\ntitle: \"The Weekly Brief #41: Floods and the grid\"\ndate: 2024-06-07T09:00:00+02:00\ntopics: []\nsummary: \"Floods, the grid and a week of rain.\"\nnumber: 41\naliases: [\"/weeklybrief/archive/weekly-brief-41/\"]\n---\n## Floods\n\nRivers rose across the north. [Read more](https://news.example/floods).\n\n- One\n- Two\n");
    let paid = std::fs::read_to_string(
        site.root()
            .join("content/2024/06/2024-06-14-weekly-brief-42.md"),
    )
    .unwrap();
    assert!(
        paid.contains("draft: true\n") && paid.contains("  paid_only: true"),
        "{paid}"
    );
    let draft = std::fs::read_to_string(
        site.root()
            .join("content/2024/06/2024-06-21-draft-next-week.md"),
    )
    .unwrap();
    assert!(draft.contains("draft: true\n"), "{draft}");
    // The site builds with --strict; the old address redirects.
    let report = gazette::pipeline::build::build(&gazette::pipeline::build::BuildOptions {
        strict: true,
        ..site.options()
    })
    .unwrap();
    assert_eq!(
        report.articles, 1,
        "the paid-only post and the draft stay drafts"
    );
    assert_redirect(
        &site,
        "weeklybrief/archive/weekly-brief-41/index.html",
        "https://example.org/2024/06/07/weekly-brief-41/",
    );
    assert_has(
        &site.read("2024/06/07/weekly-brief-41/index.html"),
        "No.\u{a0}41",
    );
    // A second import writes nothing.
    let before = common::snapshot(&site.root().join("content"));
    let out = import();
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        said.contains("0 articles written into content/, 3 skipped (see above why)"),
        "{said}"
    );
    assert_eq!(common::snapshot(&site.root().join("content")), before);
}

/// A Pelican digest of `tests/fixtures/pelican/`, every metadata field and link form of
/// Pelican's Markdown in it, builds with `--strict` as it is.
#[test]
fn a_pelican_site_builds_strict_with_every_field_and_link_form() {
    let site = TestSite::fixture("pelican");
    let report = gazette::pipeline::build::build(&gazette::pipeline::build::BuildOptions {
        strict: true,
        ..site.options()
    })
    .unwrap();
    assert_eq!(
        report.articles, 5,
        "four listed, one hidden; the draft stays out"
    );
    let page = site.read("2024/06/07/issue-665/index.html");
    for part in [
        "<span class=\"item__number\">No.\u{a0}665</span> Newsletter 665: packaging, again",
        "Ana Silva, Ben Okafor",
        "datetime=\"2024-06-08T09:00:00+02:00\"",
        "<a href=\"/notes/2024/05/31/issue-664/\">last week</a>",
        "<a href=\"/notes/2024/05/24/issue-663/#top\">the week before</a>",
        "<a href=\"/notes/topics/packaging/\">packaging</a>",
        "<a href=\"/notes/topics/python/\">Python</a>",
        "<a href=\"/notes/\">home</a>",
        "<img src=\"/notes/images/chart.svg\" alt=\"A chart of downloads\"",
        "<a href=\"/notes/downloads/data.csv\">downloads.csv</a>",
        // `{author}` and the byline lead to the author's page.
        "everything by <a href=\"/notes/authors/ana-silva/\">Ana</a>",
        "<span>By <a href=\"/notes/authors/ana-silva/\" rel=\"author\">Ana Silva</a>, <a href=\"/notes/authors/ben-okafor/\" rel=\"author\">Ben Okafor</a></span>",
        "\"author\":[{\"@type\":\"Person\",\"name\":\"Ana Silva\",\"url\":\"https://example.org/notes/authors/ana-silva/\"}",
        // The French translation (paired by its slug) is this page in French.
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.org/notes/fr/2024/06/07/issue-665/\">",
        // The previous listed article is 664: the hidden note between them is skipped.
        "<a href=\"/notes/2024/05/31/issue-664/\" rel=\"prev\">",
    ] {
        assert_has(&page, part);
    }
    assert_redirect(
        &site,
        "issue-665.html",
        "https://example.org/notes/2024/06/07/issue-665/",
    );
    let french = site.read("fr/2024/06/07/issue-665/index.html");
    assert_has(&french, "<html lang=\"fr\"");
    assert_has(&french, "Lettre 665");
    assert_has(
        &french,
        "hreflang=\"en\" href=\"https://example.org/notes/2024/06/07/issue-665/\"",
    );
    assert!(
        !site.read("index.html").contains("Lettre 665"),
        "a translation is not listed in English"
    );
    // `Status: hidden`: published at its address, listed nowhere.
    assert_has(&site.read("2024/06/01/sponsors/index.html"), "sponsorsonly");
    let mut listing = Vec::new();
    for file in site.files() {
        if file != "2024/06/01/sponsors/index.html" {
            let text = std::fs::read(site.public().join(&file)).unwrap();
            if String::from_utf8_lossy(&text).contains("sponsors") {
                listing.push(file);
            }
        }
    }
    assert!(
        listing.is_empty(),
        "the hidden article is listed in {listing:?}"
    );
    assert!(
        !site.exists("topics/about/index.html"),
        "a topic only hidden articles have is no topic"
    );
    assert!(
        !site.exists("2024/06/14/newsletter-666/index.html"),
        "a draft stays out"
    );
    // Each author has a page (with what data/authors.yaml says) and a feed.
    let ana = site.read("authors/ana-silva/index.html");
    for part in [
        "<h1 class=\"page-head__title\">Ana Silva<span class=\"page-head__count\">: 2 articles</span></h1>",
        "<p class=\"page-head__meta\">Ana edits the notes and writes about packaging.</p>",
        "<img class=\"author-head__photo\" src=\"/notes/images/ana.svg\"",
        "<a href=\"https://social.example/@ana\" rel=\"me external\">social.example/@ana</a>",
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Python Weekly Notes: Ana Silva (Atom)\" href=\"/notes/authors/ana-silva/atom.xml\">",
    ] {
        assert_has(&ana, part);
    }
    let feed = site.read("authors/ana-silva/atom.xml");
    assert_eq!(common::count(&feed, "</entry>"), 2, "{feed}");
    assert_has(
        &site.read("authors/index.html"),
        "<a href=\"/notes/authors/ben-okafor/\">Ben Okafor</a>",
    );
}
