//! A curator's first day: what a new user meets, each with the behaviour that makes it
//! safe or clear (issue 22): broken links and placeholders before publishing, `new`'s
//! files, messages, template errors, the theme's own settings and what readers see.

use crate::common::{self, article, TestSite, SITE_TOML};
use std::path::Path;
use std::process::{Command, Output};

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Runs `gazette ARGS` in the folder `dir` (no `--root`).
fn gazette_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn linking_site() -> TestSite {
    TestSite::new(
        SITE_TOML,
        &[
            (
                "content/2018/08/kim.md",
                &article(
                    "title: Kim\ndate: 2018-08-15T10:00:00Z",
                    "See [the other one](no-such-article.md).\n\nAnd [this](/2018/08/30/nope/).\n",
                ),
            ),
            (
                "content/2018/08/ok.md",
                &article(
                    "title: Ok\ndate: 2018-08-16T10:00:00Z",
                    "Fine: [Kim](kim.md).",
                ),
            ),
        ],
    )
}

#[test]
fn build_warns_about_every_broken_link_check_reports_and_strict_publishes_nothing() {
    let site = linking_site();
    let check = common::gazette(&["check", "--root"], site.root());
    assert_eq!(check.status.code(), Some(1));
    let problems: Vec<String> = stderr(&check)
        .lines()
        .filter(|l| l.starts_with("content/"))
        .map(String::from)
        .collect();
    assert_eq!(problems.len(), 2, "{}", stderr(&check));
    let build = common::gazette(&["build", "--quiet", "--root"], site.root());
    assert!(build.status.success(), "{}", stderr(&build));
    let warned: Vec<String> = stderr(&build)
        .lines()
        .map(|l| l.trim_start_matches("warning: ").to_string())
        .collect();
    assert_eq!(warned, problems, "build warns with check's messages");
    assert!(
        warned[0].starts_with("content/2018/08/kim.md:5: link `no-such-article.md`"),
        "{warned:?}"
    );
    assert_eq!(warned[1], "content/2018/08/kim.md:7: link `/2018/08/30/nope/` points at no page of the site; check the date and slug, or link to the article's .md file");

    // --strict: the same lines, an exit of 1, and the previous output untouched.
    let before = common::snapshot(&site.public());
    site.write(
        "content/2018/08/new.md",
        &article("title: New\ndate: 2018-08-17T10:00:00Z", "New."),
    );
    let strict = common::gazette(&["build", "--strict", "--root"], site.root());
    assert_eq!(strict.status.code(), Some(1));
    let printed = stderr(&strict);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(
        lines[..2],
        problems.iter().map(String::as_str).collect::<Vec<_>>()[..]
    );
    assert_eq!(lines[2], "2 problems found; nothing was written");
    assert_eq!(common::snapshot(&site.public()), before);
}

#[test]
fn the_placeholder_address_is_a_warning_and_newsletter_takes_base_url() {
    let toml = "title = \"T\"\nbase_url = \"https://example.com/\"\nminify = false\n";
    let site = TestSite::new(
        toml,
        &[(
            "content/2018/08/kim.md",
            &article(
                "title: Kim\ndate: 2018-08-15T10:00:00Z\nsummary: S.",
                "Body.",
            ),
        )],
    );
    let placeholder = "site.toml:2: `base_url` is still the placeholder https://example.com/, so feeds, the sitemap and newsletters link there; set it to the address the site will live at (such as https://user.github.io/digest/), or pass --base-url";
    assert_eq!(common::lines(&site.build().warnings), [placeholder]);
    let news = common::gazette(&["newsletter", "--latest", "--root"], site.root());
    assert!(news.status.success(), "{}", stderr(&news));
    assert_eq!(stderr(&news), format!("warning: {placeholder}\n"));
    let news = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args([
            "newsletter",
            "--latest",
            "--base-url",
            "https://me.github.io/brief/",
            "--root",
        ])
        .arg(site.root())
        .output()
        .unwrap();
    assert!(
        news.status.success() && stderr(&news).is_empty(),
        "{}",
        stderr(&news)
    );
    let text = std::fs::read_to_string(site.root().join("newsletter/2018-08-15.txt")).unwrap();
    assert!(
        text.contains("https://me.github.io/brief/2018/08/15/kim/"),
        "{text}"
    );
    assert!(!text.contains("example.com"), "{text}");
}

#[test]
fn an_article_still_as_new_wrote_it_is_a_warning_in_build_and_check() {
    let site = TestSite::new(SITE_TOML, &[]);
    let new = common::gazette(
        &["new", "Markets wrap", "--date", "2018-08-15", "--root"],
        site.root(),
    );
    assert!(new.status.success(), "{}", stderr(&new));
    let expected = [
        "content/2018/08/2018-08-15-markets-wrap.md:5: `summary` is empty; write one or two sentences in your own words (or delete the line, and the first paragraph is the summary)",
        "content/2018/08/2018-08-15-markets-wrap.md:8: still has the text `gazette new` starts with (\"What happened, and why it matters to your readers.\"); write the story in your own words, or add `draft: true` until it is ready",
    ];
    assert_eq!(common::lines(&site.build().warnings), expected);
    let check = common::gazette(&["check", "--root"], site.root());
    let warned: Vec<String> = stderr(&check)
        .lines()
        .map(|l| l.trim_start_matches("warning: ").to_string())
        .collect();
    assert_eq!(warned, expected);
}

#[test]
fn moving_an_ordered_article_to_another_day_is_a_warning_saying_where_it_went() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/a.md",
                &article("title: A\ndate: 2018-08-15T09:00:00Z", "A."),
            ),
            (
                "content/b.md",
                &article("title: B\ndate: 2018-08-15T10:00:00Z", "B."),
            ),
            (
                "content/editions/2018-08-15.md",
                "---\norder: [b, a]\n---\nNote.\n",
            ),
        ],
    );
    site.build();
    site.write(
        "content/b.md",
        &article("title: B\ndate: 2018-08-16T10:00:00Z", "B."),
    );
    let report = site.build();
    assert_eq!(
        common::lines(&report.warnings),
        ["content/editions/2018-08-15.md:2: `order` names `b`, which is now in the edition of 2018-08-16 (/2018/08/16/), not this one; it is left out of the order: remove it from `order`, or move the article back by its `date`"]
    );
    assert!(site.exists("2018/08/16/b/index.html"));
}

#[test]
fn new_adds_https_to_a_bare_address_and_refuses_other_schemes() {
    let site = TestSite::new(SITE_TOML, &[]);
    let out = common::gazette(
        &[
            "new",
            "BBC",
            "--date",
            "2018-08-15",
            "--source",
            "www.bbc.co.uk/news/x",
            "--root",
        ],
        site.root(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text =
        std::fs::read_to_string(site.root().join("content/2018/08/2018-08-15-bbc.md")).unwrap();
    assert!(
        text.contains("  url: \"https://www.bbc.co.uk/news/x\"\n"),
        "{text}"
    );
    site.build();
    let out = common::gazette(
        &[
            "new",
            "FTP",
            "--source",
            "ftp://files.example.org/x",
            "--root",
        ],
        site.root(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "error: --source \"ftp://files.example.org/x\" is not a web address (ftp:); give the story's http:// or https:// address\n");
    // A source address that is wrong points at its own line, not at `source:`.
    site.write(
        "content/2018/08/bad.md",
        "---\ntitle: Bad\ndate: 2018-08-15\nsource:\n  name: BBC\n  url: www.bbc.co.uk/news/x\n---\nBody.\n",
    );
    assert_eq!(
        site.build_error(),
        "content/2018/08/bad.md:6: `source` must have a `url` that starts with http:// or https://\n1 problem found; nothing was written"
    );
}

#[test]
fn commands_find_the_site_from_a_subfolder() {
    let site = linking_site();
    let deep = site.root().join("content/2018/08");
    let out = gazette_in(&deep, &["build", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.exists("2018/08/16/ok/index.html"));
    let nowhere = tempfile::tempdir().unwrap();
    let out = gazette_in(nowhere.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "error: site.toml: not found in {} or any folder above it; run gazette inside your digest's folder, pass --root DIR, or start a digest with `gazette init DIR`\n",
            std::fs::canonicalize(nowhere.path()).unwrap().display()
        )
    );
}

#[test]
fn build_says_what_it_left_out_and_counts_in_the_singular() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/a.md",
                &article("title: A\ndate: 2018-08-15T09:00:00Z", "A."),
            ),
            (
                "content/d.md",
                &article("title: D\ndate: 2018-08-15T09:00:00Z\ndraft: true", "D."),
            ),
            (
                "content/f.md",
                &article("title: F\ndate: 2999-08-15T09:00:00Z", "F."),
            ),
        ],
    );
    let out = common::gazette(&["build", "--root"], site.root());
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<String> = stdout(&out).lines().map(String::from).collect();
    assert!(
        lines[0].starts_with("Built 1 article into "),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        "2 not published: 1 draft, 1 scheduled; --drafts / --future to include them"
    );
    let out = common::gazette(&["check", "--root"], site.root());
    assert_eq!(
        stdout(&out),
        "No problems found in 3 articles (0 links checked)\nOf these, 2 not published: 1 draft, 1 scheduled; --drafts / --future to include them\n"
    );
}

#[test]
fn template_errors_name_the_file_and_line_the_author_wrote() {
    let site = linking_site();
    site.write(
        "content/2018/08/kim.md",
        &article("title: Kim\ndate: 2018-08-15T10:00:00Z", "Kim."),
    );
    let layout = |body: &str| {
        format!("{{% extends \"base.html\" %}}\n{{% block content %}}\n\n{body}\n{{% endblock content %}}\n")
    };
    site.write("templates/topics.html", &layout("<p>{{ page.title }</p>"));
    assert_eq!(
        site.build_error(),
        "templates/topics.html:4: template syntax error: expected `or`, `and`, `not`, `<=`, `>=`, `<`, `>`, `==`, `!=`, `+`, `-`, `*`, `/`, `%`, a filter, or a variable end (`}}`); check the `{{ }}` or `{% %}` tag on this line\n1 problem found; nothing was written"
    );
    site.write(
        "templates/topics.html",
        &layout("<p>{{ page.title | shout }}</p>"),
    );
    assert_eq!(
        site.build_error(),
        "templates/topics.html:4: there is no filter `shout`; check its name against Tera's filters and those docs/templates.md lists (rendering /topics/)\n1 problem found; nothing was written"
    );
    site.write(
        "templates/topics.html",
        &layout("<p>{{ page.subtitle }}</p>"),
    );
    assert_eq!(
        site.build_error(),
        "templates/topics.html:4: `page.subtitle` is not defined on this page; check the name against docs/templates.md, or test it first: {% if page.subtitle %} (rendering /topics/)\n1 problem found; nothing was written"
    );
    // An error in the theme's own file names that file.
    std::fs::remove_file(site.root().join("templates/topics.html")).unwrap();
    let theme = site.root().join("themes/default/templates/sources.html");
    let text = std::fs::read_to_string(&theme).unwrap();
    std::fs::write(
        &theme,
        text.replace("{{ source.name }}", "{{ source.name }"),
    )
    .unwrap();
    let error = site.build_error();
    assert!(
        error.starts_with("themes/default/templates/sources.html:11: template syntax error: "),
        "{error}"
    );
}

#[test]
fn style_settings_and_custom_css_change_the_look_without_copying_the_theme() {
    let toml = format!(
        "{SITE_TOML}[style]\naccent = \"#0b5394\"\nfont_headline = \"'Source Serif', Georgia, serif\"\n"
    );
    let site = TestSite::new(
        &toml,
        &[(
            "content/a.md",
            &article("title: A\ndate: 2018-08-15T09:00:00Z\nsummary: S.", "A."),
        )],
    );
    site.build();
    let page = site.read("index.html");
    assert!(
        page.contains("<style>:root{--accent-light:#0b5394;--font-headline:'Source Serif', Georgia, serif}</style>"),
        "{page}"
    );
    assert!(!page.contains("custom.css"));
    site.write("static/custom.css", ".masthead { border: 0 }\n");
    site.build();
    let page = site.read("index.html");
    let theme = page.find("style.css").unwrap();
    let custom = page.find("/custom.css\"").expect("custom.css linked");
    assert!(custom > theme, "after the theme's stylesheet");
    assert_eq!(site.read("custom.css"), ".masthead { border: 0 }\n");
    // The newsletter uses the same accent.
    let news = common::gazette(&["newsletter", "--latest", "--root"], site.root());
    assert!(news.status.success(), "{}", stderr(&news));
    let html = std::fs::read_to_string(site.root().join("newsletter/2018-08-15.html")).unwrap();
    assert!(
        html.contains("color:#0b5394") && !html.contains("#a8321e"),
        "{html}"
    );
    // A value that would end the rule is refused at its line.
    let site = TestSite::new(
        &format!("{SITE_TOML}[style]\naccent = \"red}}body{{x:y\"\n"),
        &[],
    );
    assert_eq!(
        site.build_error(),
        "site.toml:6: `style.accent` \"red}body{x:y\" must be a CSS colour, such as \"#0b5394\""
    );
}

#[test]
fn readers_see_latest_no_midnight_times_the_stories_page_and_related_without_the_thread() {
    let story = |n: u32, day: u32| {
        article(
            &format!("title: Summit {n}\ndate: 2018-08-{day:02}T10:00:00Z\ntopics: [Diplomacy]\nstory: Summit"),
            "Body.",
        )
    };
    let site = TestSite::new(
        SITE_TOML,
        &[
            ("content/s1.md", &story(1, 10)),
            ("content/s2.md", &story(2, 11)),
            ("content/s3.md", &story(3, 12)),
            (
                "content/other.md",
                &article(
                    "title: Other\ndate: 2018-08-12\ntopics: [Diplomacy]",
                    "Body.",
                ),
            ),
        ],
    );
    site.build();
    let front = site.read("index.html");
    assert!(
        front.contains(">Latest</a>") && !front.contains(">Today<"),
        "no \"Today\""
    );
    let other = site.read("2018/08/12/other/index.html");
    assert!(
        other.contains(">Sunday, 12 August 2018</time>"),
        "a date-only article shows no time"
    );
    assert!(!other.contains(", 00:00"));
    let day = site.read("2018/08/12/index.html");
    assert!(
        day.contains(">10:00</time>") && !day.contains("00:00<"),
        "{day}"
    );
    let stories = site.read("stories/index.html");
    assert!(
        stories.contains("<a href=\"/stories/summit/\">Summit</a>"),
        "{stories}"
    );
    assert!(
        stories.contains(
            "latest <time datetime=\"2018-08-12T10:00:00+00:00\">Sunday, 12 August 2018</time>"
        ),
        "{stories}"
    );
    let page = site.read("2018/08/12/s3/index.html");
    assert!(page.contains("href=\"/stories/\">All stories</a>"));
    let related = page.split("Related").nth(1).unwrap_or("");
    assert!(
        !related.contains("Summit 2") && !related.contains("Summit 1"),
        "the thread's articles are not repeated: {related}"
    );
    assert!(related.contains("Other"), "{related}");
}

#[test]
fn a_long_headline_is_cut_at_a_word() {
    let title = "Kim and Putin agree on a binding treaty to end the war and open the long border for trade, travel and tourism";
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/a.md",
            &article(
                &format!("title: {title}\nslug: {title}\ndate: 2018-08-15"),
                "A.",
            ),
        )],
    );
    site.build();
    let page = site
        .files()
        .into_iter()
        .find(|f| f.starts_with("2018/08/15/kim-") && f.ends_with("/index.html"))
        .unwrap();
    let slug = page.split('/').nth(3).unwrap();
    let (words, hash) = slug.rsplit_once('-').unwrap();
    assert_eq!(hash.len(), 8, "{slug}");
    assert!(
        "kim-and-putin-agree-on-a-binding-treaty-to-end-the-war-and-open-the-long-border-for-trade-travel-and-tourism"
            .starts_with(&format!("{words}-")),
        "cut after a whole word: {slug}"
    );
}

#[test]
fn the_text_newsletter_keeps_link_addresses_and_a_slashed_date_gets_a_suggestion() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            ("content/a.md", &article("title: A\ndate: 2018-08-15T09:00:00Z\nstory: Protests", "A.")),
            (
                "content/editions/2018-08-15.md",
                "Follow [the protests story](/stories/protests/) and [Reuters](https://www.reuters.com/).\n",
            ),
        ],
    );
    let out = common::gazette(&["newsletter", "2018-08-15", "--root"], site.root());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(site.root().join("newsletter/2018-08-15.txt")).unwrap();
    assert!(
        text.contains("Follow the protests story <https://example.org/stories/protests/> and Reuters <https://www.reuters.com/>."),
        "{text}"
    );
    let out = common::gazette(&["newsletter", "15/08/2018", "--root"], site.root());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "gazette newsletter: no edition on 15/08/2018: that is not a date; did you mean 2018-08-15? write it as YYYY-MM-DD, such as 2018-08-15, or use --latest\n1 problem found; nothing was written\n"
    );
}
