//! What a curator can trust: imported references become addresses and no placeholder
//! reaches a page, a summary is shown once, template errors point at the tag's line,
//! `check` says what the deploy will do, other tools' front matter is quiet, and text
//! from anywhere stays well-formed in pages, feeds and the terminal.

use crate::common::{self, article, TestSite, SITE_TOML};

/// Every file of the output that holds `needle`.
fn files_holding(site: &TestSite, needle: &str) -> Vec<String> {
    site.files()
        .into_iter()
        .filter(|f| {
            let bytes = std::fs::read(site.public().join(f)).unwrap();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .collect()
}

#[test]
fn a_hugo_ref_outside_a_link_becomes_the_articles_address_and_no_placeholder_is_published() {
    let site = TestSite::new(
        "title = \"T\"\nbase_url = \"https://example.org/digest/\"\ntimezone = \"UTC\"\nminify = false\n",
        &[
            (
                "content/2018/08/a.md",
                &article(
                    "title: A\ndate: 2018-08-15",
                    "# See {{< ref \"b.md\" >}}\n\nRead {{< ref \"b.md\" >}} first.\n\nThen [the link]({{< relref \"b.md\" >}}) and <a href=\"{{< ref \"b.md\" >}}\">raw</a>.\n\n`{{< ref \"b.md\" >}}` in code.\n",
                ),
            ),
            (
                "content/2018/08/b.md",
                &article("title: B\ndate: 2018-08-14", "B."),
            ),
        ],
    );
    let out = common::gazette(&["build", "--strict", "--quiet", "--root"], site.root());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = site.read("2018/08/15/a/index.html");
    assert!(
        page.contains(
            "<p>Read <a href=\"/digest/2018/08/14/b/\">/digest/2018/08/14/b/</a> first.</p>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/digest/2018/08/14/b/\">the link</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/digest/2018/08/14/b/\">raw</a>"),
        "{page}"
    );
    assert!(
        page.contains("<meta name=\"description\" content=\"Read /digest/2018/08/14/b/ first.\">"),
        "{page}"
    );
    assert_eq!(files_holding(&site, "gazette-ref"), Vec::<String>::new());
}

#[test]
fn without_a_summary_the_first_paragraph_is_shown_once_on_the_article_page() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/2018/08/a.md",
                &article(
                    "title: A\ndate: 2018-08-15",
                    "The first paragraph says it all.\n\nMore.",
                ),
            ),
            (
                "content/2018/08/b.md",
                &article(
                    "title: B\ndate: 2018-08-15\nsummary: My own words.",
                    "The body.\n",
                ),
            ),
        ],
    );
    site.build();
    let a = site.read("2018/08/15/a/index.html");
    assert_eq!(
        common::count(&a, "<p>The first paragraph says it all.</p>"),
        1,
        "{a}"
    );
    assert!(
        a.contains("content=\"The first paragraph says it all.\""),
        "the description keeps it"
    );
    assert!(!a.contains("class=\"standfirst\""), "{a}");
    let b = site.read("2018/08/15/b/index.html");
    assert!(
        b.contains("<div class=\"standfirst\"><p>My own words.</p>"),
        "{b}"
    );
    // Lists still show the first paragraph as the summary.
    let day = site.read("2018/08/15/index.html");
    assert!(day.contains("The first paragraph says it all."));
}

#[test]
fn an_unclosed_template_tag_is_reported_at_the_line_it_opens() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/2018/08/a.md",
            &article("title: A\ndate: 2018-08-15", "A."),
        )],
    );
    site.write(
        "templates/topics.html",
        "{% extends \"base.html\" %}\n{% block content %}\n\n{%- if page.title %\n<p>x</p>\n{% endif %}\n{% endblock content %}\n",
    );
    let error = site.build_error();
    assert!(
        error.starts_with("templates/topics.html:4: template syntax error: "),
        "{error}"
    );
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_ends_with_what_the_deploy_will_do_and_strict_fails_exactly_when_build_strict_does() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/2018/08/a.md",
                &article("title: A\ndate: 2018-08-15\nsumary: typo", "A."),
            ),
            (
                "content/2018/08/b.md",
                &article("title: B\ndate: 2018-08-15", "B."),
            ),
        ],
    );
    let warning = "warning: content/2018/08/a.md:4: unknown front matter key `sumary` is ignored; did you mean `summary`? put your own fields under `extra:`\n";
    let out = common::gazette(&["check", "--root"], site.root());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), warning);
    assert_eq!(
        text(&out.stdout),
        "No problems found in 2 articles (0 links checked)\n1 warning: the Pages workflow (build --strict) would stop on it\n"
    );
    let strict = common::gazette(&["check", "--strict", "--root"], site.root());
    assert_eq!(strict.status.code(), Some(1));
    assert_eq!(
        text(&strict.stderr),
        format!("{warning}error: 1 warning, which --strict treats as problems: the Pages workflow (build --strict) would stop on it\n")
    );
    let build = common::gazette(&["build", "--strict", "--quiet", "--root"], site.root());
    assert_eq!(build.status.code(), Some(1));
    // Fixed: both pass.
    site.write(
        "content/2018/08/a.md",
        &article("title: A\ndate: 2018-08-15\nsummary: Fixed.", "A."),
    );
    let strict = common::gazette(&["check", "--strict", "--root"], site.root());
    assert_eq!(strict.status.code(), Some(0), "{}", text(&strict.stderr));
    assert_eq!(
        text(&strict.stdout),
        "No problems found in 2 articles (0 links checked)\n"
    );
    let build = common::gazette(&["build", "--strict", "--quiet", "--root"], site.root());
    assert_eq!(build.status.code(), Some(0));
    // A problem: counted, and never "nothing was written" (a check writes nothing).
    site.write(
        "content/2018/08/b.md",
        &article(
            "title: B\ndate: 2018-08-15\nsumary: again",
            "[x](missing.md)",
        ),
    );
    let out = common::gazette(&["check", "--root"], site.root());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.ends_with("\n1 problem found, and 1 warning\n"),
        "{stderr}"
    );
    assert!(!stderr.contains("nothing was written"), "{stderr}");
}

#[test]
fn front_matter_of_jekyll_hugo_zola_and_pelican_is_quiet_and_listed_once_by_check() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            ("content/2018/08/a.md", &article("title: A\ndate: 2018-08-15\nlayout: post\ncomments: true\nexcerpt: Short.\ncategories: [World]", "A.")),
            ("content/2018/08/b.md", &article("title: B\ndate: 2018-08-15\nlayout: post\nweight: 3\nlinkTitle: Bee\ntemplate: page.html\nsave_as: b.html", "B.")),
            ("content/2018/08/c.md", &article("title: C\ndate: 2018-08-15\nstatus: draft", "C.")),
            ("content/2018/08/d.md", &article("title: D\ndate: 2018-08-15\ntitel: typo", "D.")),
        ],
    );
    let out = common::gazette(&["build", "--quiet", "--root"], site.root());
    assert_eq!(
        text(&out.stderr),
        "warning: content/2018/08/d.md:4: unknown front matter key `titel` is ignored; did you mean `title`? put your own fields under `extra:`\n"
    );
    // Pelican's `status: draft` is a draft.
    assert!(!site.exists("2018/08/15/c/index.html"));
    let out = common::gazette(&["check", "--root"], site.root());
    assert_eq!(
        text(&out.stdout),
        "Front matter of other tools, left as it is (Gazette does not use it): comments (1 article), layout (2 articles), linkTitle (1 article), save_as (1 article), template (1 article), weight (1 article)\nNo problems found in 4 articles (0 links checked)\nOf these, 1 not published: 1 draft; --drafts to include it\n1 warning: the Pages workflow (build --strict) would stop on it\n"
    );
}

#[test]
fn new_with_a_day_writes_the_day_alone() {
    let site = TestSite::new(SITE_TOML, &[]);
    let out = common::gazette(
        &["new", "Rates held", "--date", "2026-12-05", "--root"],
        site.root(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written =
        std::fs::read_to_string(site.root().join("content/2026/12/2026-12-05-rates-held.md"))
            .unwrap();
    assert!(written.contains("\ndate: 2026-12-05\n"), "{written}");
    let out = common::gazette(
        &[
            "new",
            "Later",
            "--date",
            "2026-12-05T10:30:00+09:00",
            "--root",
        ],
        site.root(),
    );
    assert_eq!(out.status.code(), Some(0));
    let written =
        std::fs::read_to_string(site.root().join("content/2026/12/2026-12-05-later.md")).unwrap();
    assert!(
        written.contains("\ndate: 2026-12-05T01:30:00+00:00\n"),
        "{written}"
    );
}

#[test]
fn a_stray_working_file_in_content_is_a_warning_naming_it() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/2018/08/a.md",
                &article("title: A\ndate: 2018-08-15", "See [the data](data.txt)."),
            ),
            ("content/2018/08/data.txt", "linked, so meant"),
            ("content/2018/08/todo.txt", "call the editor"),
            ("content/2018/notes.docx", "draft"),
            ("content/2018/08/chart.csv", "a,b"),
        ],
    );
    let warnings = common::lines(&site.build().warnings);
    assert_eq!(
        warnings,
        [
            "content/2018/08/todo.txt: would be published at /2018/08/15/a/todo.txt though no article links to it; move it out of content/ (files to publish as they are go in static/), or link it from an article",
            "content/2018/notes.docx: would be published at /2018/notes.docx though no article links to it; move it out of content/ (files to publish as they are go in static/), or link it from an article",
        ]
    );
}

/// An article whose every field holds characters that are not text (ESC, BEL, DEL, C1,
/// U+FFFE), as YAML escapes and raw in the body, with a data file doing the same.
fn site_with_control_characters() -> TestSite {
    let site_toml = "title = \"Test \\u001b[31mDigest\\u0007\"\ndescription = \"About\\u0085 things\"\nbase_url = \"https://example.org/\"\ntimezone = \"UTC\"\nminify = false\n[extra]\nmotto = \"M\\u001b\"\n";
    let front = "title: \"Markets \\e[31mcrash\\a\\x7f\\x85 \\uFFFE\\uFFFF now\"\ndate: 2018-08-15\ntopics: [\"Eco\\bnomy\"]\nsummary: \"Sum\\emary.\"\nsource: {url: \"https://news.example.org/a\", name: \"Wire\\x1b\"}";
    TestSite::new(
        site_toml,
        &[
            (
                "content/2018/08/a.md",
                &article(front, "Body \u{1b}[2J with \u{7}bell and \u{85}C1."),
            ),
            (
                "data/sources.yaml",
                "\"Wire\": {description: \"An agency\\e\"}\n",
            ),
            ("i18n/en.toml", "nav_latest = \"Latest\\u001b\"\n"),
        ],
    )
}

#[test]
fn characters_that_are_not_text_never_reach_a_page_or_feed() {
    let site = site_with_control_characters();
    site.build();
    for file in site.files() {
        let bytes = std::fs::read(site.public().join(&file)).unwrap();
        if file.ends_with(".bin") {
            continue; // the search index's posting lists
        }
        let written = String::from_utf8(bytes).unwrap();
        let bad: Vec<char> = written
            .chars()
            .filter(|&c| gazette::util::text::is_not_text(c) && c != '\r')
            .collect();
        assert!(bad.is_empty(), "{file}: {bad:?}");
    }
    let atom = site.read("atom.xml");
    assert!(
        atom.contains("<title>Markets [31mcrash  now</title>"),
        "{atom}"
    );
    assert!(atom.contains("<title>Test [31mDigest</title>"), "{atom}");
    assert!(site.read("feeds.opml").contains("Test [31mDigest"));
    assert!(site
        .read("2018/08/15/a/index.html")
        .contains("Body [2J with bell and C1."));
    assert!(site.exists("topics/economy/index.html"));
}

#[test]
#[ignore = "needs Python's feedparser: run scripts/test"]
fn feeds_stay_well_formed_whatever_a_title_holds() {
    let site = site_with_control_characters();
    site.build();
    let script = "import sys, feedparser, xml.etree.ElementTree as ET\n\
         ET.parse(sys.argv[1] + '/feeds.opml')\n\
         for name in ['atom.xml', 'rss.xml']:\n\
         \x20   f = feedparser.parse(sys.argv[1] + '/' + name)\n\
         \x20   assert not f.bozo, (name, f.bozo_exception)\n\
         \x20   print(name, f.entries[0].title)";
    let out = std::process::Command::new("python3")
        .args(["-c", script, site.public().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "atom.xml Markets [31mcrash  now\nrss.xml Markets [31mcrash  now\n"
    );
}

#[test]
fn an_old_address_that_needs_a_file_as_a_folder_is_refused_by_build_and_check() {
    // `/atom.xml/` is written as atom.xml/index.html: build failed with "File exists".
    let site = TestSite::new(
        SITE_TOML,
        &[
            ("content/2018/08/kim.md", &article("title: Kim\ndate: 2018-08-15\naliases: [\"/atom.xml/\", \"/2018/08/14/b/index.html/\"]", "Kim.")),
            ("content/2018/08/b.md", &article("title: B\ndate: 2018-08-14", "B.")),
        ],
    );
    let expected = [
        "content/2018/08/kim.md:4 (the old address /2018/08/14/b/index.html/): would be written to /2018/08/14/b/index.html/index.html, which needs /2018/08/14/b/index.html to be a folder, where the page /2018/08/14/b/ goes; rename or move the file",
        "content/2018/08/kim.md:4 (the old address /atom.xml/): would be written to /atom.xml/index.html, which needs /atom.xml to be a folder, where a feed goes; rename or move the file",
    ];
    assert_eq!(
        site.build_error(),
        format!(
            "{}\n2 problems found; nothing was written",
            expected.join("\n")
        )
    );
    let report = gazette::pipeline::check::check(&site.options(), false).unwrap();
    assert_eq!(common::lines(&report.problems), expected);
}

#[test]
fn checks_advice_that_build_does_not_give_is_a_note_strict_does_not_count() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/2018/08/a.md",
                &article(
                    "title: A\ndate: 2018-08-15\naliases: [/old/]\nsummary: A.",
                    "A.",
                ),
            ),
            (
                "content/2018/08/b.md",
                &article("title: B\ndate: 2018-08-15\nsummary: B.", "See [a](/old/)."),
            ),
        ],
    );
    let build = common::gazette(&["build", "--strict", "--quiet", "--root"], site.root());
    assert_eq!(build.status.code(), Some(0), "{}", text(&build.stderr));
    let check = common::gazette(&["check", "--strict", "--root"], site.root());
    assert_eq!(check.status.code(), Some(0));
    assert_eq!(
        text(&check.stderr),
        "note: content/2018/08/b.md:6: `/old/` is an old address that redirects to /2018/08/15/a/; link to /2018/08/15/a/ instead\n"
    );
}

#[test]
fn a_link_to_a_photo_leads_to_its_widest_version_and_the_original_is_never_published() {
    use image::{DynamicImage, ImageFormat, RgbImage};
    let jpeg = |w, h| {
        let mut out = std::io::Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 250) as u8, (y % 250) as u8, 9])
        }))
        .write_to(&mut out, ImageFormat::Jpeg)
        .unwrap();
        out.into_inner()
    };
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/2018/08/a.md",
            &article(
                "title: A\ndate: 2018-08-15",
                "See [the photo](photo.jpg) and [the thread](thread.png).\n",
            ),
        )],
    );
    std::fs::write(
        site.root().join("content/2018/08/photo.jpg"),
        jpeg(2000, 1000),
    )
    .unwrap();
    let mut thread = std::io::Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(RgbImage::new(1, 20_000))
        .write_to(&mut thread, ImageFormat::Png)
        .unwrap();
    std::fs::write(
        site.root().join("content/2018/08/thread.png"),
        thread.into_inner(),
    )
    .unwrap();
    let report = site.build();
    assert_eq!(
        common::lines(&report.warnings),
        ["content/2018/08/a.md:5: image `content/2018/08/thread.png` is 1×20000 pixels: no WebP version can be that tall or wide (16,383 px a side), so it is published as PNG only; crop it, or split it into parts, for smaller files"]
    );
    let files = site.files();
    assert!(
        !files.iter().any(|f| f.ends_with("/photo.jpg")),
        "{files:?}"
    );
    let widest = files
        .iter()
        .find(|f| f.contains("photo.") && f.ends_with("-1600.jpg"))
        .unwrap();
    let page = site.read("2018/08/15/a/index.html");
    assert!(
        page.contains(&format!("<a href=\"/{widest}\">the photo</a>")),
        "{page}"
    );
}

#[test]
fn check_finds_a_truncated_photo_as_build_does() {
    use image::{DynamicImage, ImageFormat, RgbImage};
    let mut png = std::io::Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(RgbImage::from_fn(300, 200, |x, y| {
        image::Rgb([x as u8, y as u8, 3])
    }))
    .write_to(&mut png, ImageFormat::Png)
    .unwrap();
    let png = png.into_inner();
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/2018/08/a.md",
            &article("title: A\ndate: 2018-08-15", "![A chart](chart.png)\n"),
        )],
    );
    std::fs::write(
        site.root().join("content/2018/08/chart.png"),
        &png[..png.len() / 2],
    )
    .unwrap();
    let message = "content/2018/08/a.md:5: image `content/2018/08/chart.png` could not be decoded: its data stops before the end of the image, so the file is truncated or corrupt; open it in an image editor and export it again as JPEG or PNG";
    let report = gazette::pipeline::check::check(&site.options(), false).unwrap();
    assert_eq!(common::lines(&report.problems), [message]);
    assert_eq!(
        site.build_error(),
        format!("{message}\n1 problem found; nothing was written")
    );
}
