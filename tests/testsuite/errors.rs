//! Bad input: every problem is reported as `path:line: message`, together, with a non-zero exit.

use crate::common;

use common::{TestSite, SITE_TOML};

fn error_for(text: &str) -> String {
    let site = TestSite::new(SITE_TOML, &[("content/2018/bad.md", text)]);
    site.build_error()
}

const TAIL: &str = "\n1 problem found; nothing was written";

#[test]
fn missing_front_matter() {
    assert_eq!(
        error_for("# Just a heading\n"),
        format!("content/2018/bad.md:1: no front matter; start the file with a line `---`, then `title:` and `date:` lines, then a closing `---`{TAIL}")
    );
}

#[test]
fn unclosed_front_matter() {
    assert_eq!(
        error_for("---\ntitle: Kim\ndate: 2018-08-15\n\nBody text\n"),
        format!("content/2018/bad.md:1: front matter is never closed; did you forget the closing `---`?{TAIL}")
    );
}

#[test]
fn invalid_yaml_points_at_the_file_line() {
    assert_eq!(
        error_for("---\ntitle: Kim\ntopics: [Diplomacy\ndate: 2018-08-15\n---\nBody\n"),
        format!("content/2018/bad.md:3: invalid YAML: did not find expected ',' or ']'; check the indentation, and quote values that contain `: ` or start with `[`, `{{`, `&`, `*` or `#`{TAIL}")
    );
}

/// As Jekyll does, a post without a title is named after its file (with a warning).
#[test]
fn missing_title_comes_from_the_file_name() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/2018/kim-meets-moon.md",
            "---\ndate: 2018-08-15\n---\nBody\n",
        )],
    );
    let report = site.build();
    assert_eq!(
        common::lines(&report.warnings),
        ["content/2018/kim-meets-moon.md:1: has no `title`; it is named \"Kim Meets Moon\" after its file, as Jekyll does: add a `title:` line to choose another"]
    );
    assert!(site
        .read("2018/08/15/kim-meets-moon/index.html")
        .contains("<h1 class=\"article__title\">Kim Meets Moon</h1>"));
}

#[test]
fn missing_date() {
    assert_eq!(
        error_for("---\ntitle: Kim\n---\nBody\n"),
        format!("content/2018/bad.md:1: missing `date`; add a line such as `date: 2018-08-15` or start the file name with the date (2018-08-15-slug.md){TAIL}")
    );
}

#[test]
fn bad_date() {
    assert_eq!(
        error_for("---\ntitle: Kim\n\ndate: 15 August 2018\n---\n"),
        format!("content/2018/bad.md:4: `date` \"15 August 2018\" is not a date Gazette reads; did you mean 2018-08-15? write it as 2018-08-15, 2018-08-15T10:00:00+09:00 or 2018-08-15 10:00:00 +0900{TAIL}")
    );
}

#[test]
fn wrong_types() {
    assert_eq!(
        error_for("---\ntitle: Kim\ndate: 2018-08-15\ndraft: maybe\ntopics: {a: b}\nsource: not a url\n---\n"),
        "content/2018/bad.md:4: `draft` must be `true` or `false`\n\
         content/2018/bad.md:5: `topics` must be a list of topic names, such as `topics: [Diplomacy, Russia]`\n\
         content/2018/bad.md:6: `source` must have a `url` that starts with http:// or https://\n\
         3 problems found; nothing was written"
    );
}

#[test]
fn all_problems_of_a_build_are_reported_together() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            ("content/a.md", "---\ntitle: A\n---\n"),
            ("content/b.md", "---\ndate: 2018-08-15\ndraft: maybe\n---\n"),
            ("content/c.md", "---\ntitle: C\ndate: 2018-08-15\n---\nfine"),
        ],
    );
    let error = site.build_error();
    assert!(
        error.starts_with("content/a.md:1: missing `date`"),
        "{error}"
    );
    assert!(
        error.contains("\ncontent/b.md:3: `draft` must be"),
        "{error}"
    );
    assert!(
        error.ends_with("2 problems found; nothing was written"),
        "{error}"
    );
}

#[test]
fn crlf_and_bom_are_read() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/w.md",
            "\u{feff}---\r\ntitle: Windows\r\ndate: 2018-08-15\r\n---\r\nBody\r\n",
        )],
    );
    site.build();
    assert!(site.read("2018/08/15/w/index.html").contains("Windows"));
}

#[test]
fn cli_exits_non_zero_and_prints_path_line_messages() {
    let site = TestSite::new(
        SITE_TOML,
        &[("content/bad.md", "---\ntitle: x\ndate: yesterday\n---\n")],
    );
    let out = common::gazette(&["build", "--root"], site.root());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "content/bad.md:3: `date` \"yesterday\" is not a date; write it as 2018-08-15, 2018-08-15T10:00:00+09:00 or 2018-08-15 10:00:00 +0900\n1 problem found; nothing was written\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn unknown_keys_are_warnings_naming_the_file() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/w.md",
            "---\ntitle: x\ndate: 2018-08-15\ntag: [a]\n---\n",
        )],
    );
    let out = common::gazette(&["build", "--root"], site.root());
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "warning: content/w.md:4: unknown front matter key `tag` is ignored; did you mean `topics`? put your own fields under `extra:`\n"
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Built 1 article into "));
}

#[test]
fn config_errors_name_site_toml_and_line() {
    let site = TestSite::new(
        "title = \"x\"\nbase_url = \"https://x.org/\"\npaginate_by = 0\n",
        &[],
    );
    assert_eq!(
        site.build_error(),
        "site.toml:3: `paginate_by` must be 1 or more"
    );
    let site = TestSite::new(
        "title = \"x\"\nbase_url = \"https://x.org/\"\ncolour = \"red\"\n",
        &[],
    );
    assert_eq!(
        site.build_error(),
        "site.toml:3: unknown key `colour` (docs/site-toml.md lists every key)"
    );
    // A typo gets the key meant, not all 26; a number in quotes, what to write.
    for (toml, expected) in [
        ("titel = \"x\"\nbase_url = \"https://x.org/\"\n", "site.toml:1: unknown key `titel`; did you mean `title`? (docs/site-toml.md lists every key)"),
        ("title = \"x\"\nbase_url = \"https://x.org/\"\npaginate_by = \"20\"\n", "site.toml:3: `paginate_by` must be a number, such as `paginate_by = 20` (without quotes)"),
        ("title = \"x\"\nbase_url = \"https://x.org/\"\nminify = \"no\"\n", "site.toml:3: `minify` must be `true` or `false`, such as `minify = true` (without quotes)"),
        ("title = 7\nbase_url = \"https://x.org/\"\n", "site.toml:1: `title` must be text in quotes, such as `title = \"7\"`"),
    ] {
        assert_eq!(TestSite::new(toml, &[]).build_error(), expected);
    }
    let site = TestSite::new("title = \"x\"\nbase_url = \"example.org\"\n", &[]);
    assert_eq!(site.build_error(), "site.toml:2: `base_url` \"example.org\" must start with http:// or https://, e.g. \"https://example.com/\"");
}

#[test]
fn missing_site_toml_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let error = format!(
        "{:#}",
        gazette::pipeline::build::build(&gazette::pipeline::build::BuildOptions::new(dir.path()))
            .unwrap_err()
    );
    assert!(error.starts_with("site.toml: not found in "), "{error}");
    assert!(
        error.ends_with("; run `gazette init DIR` to start a site, or pass --root"),
        "{error}"
    );
}

#[test]
fn binary_garbage_does_not_panic() {
    let site = TestSite::new(SITE_TOML, &[]);
    std::fs::write(site.root().join("content/x.md"), [0xff, 0xfe, 0x00, 0x41]).unwrap();
    assert_eq!(site.build_error(), "content/x.md:1: is not valid UTF-8 text (byte 0 of the file); save the file as UTF-8\n1 problem found; nothing was written");
}

#[test]
fn a_theme_outside_themes_is_refused() {
    for theme in ["../../etc", "/etc", "..", "a\\\\b"] {
        let site = TestSite::new(&format!("{SITE_TOML}theme = \"{theme}\"\n"), &[]);
        let shown = theme.replace("\\\\", "\\");
        assert_eq!(
            site.build_error(),
            format!("site.toml:5: `theme` \"{shown}\" must be the name of a folder in themes/, such as \"default\"")
        );
    }
}

#[test]
fn topic_and_author_keys_cannot_take_keys_with_a_meaning() {
    let site = TestSite::new(
        &format!("{SITE_TOML}topic_keys = [\"tags\", \"title\"]\n"),
        &[],
    );
    assert_eq!(
        site.build_error(),
        "site.toml:5: `topic_keys` cannot include \"title\", which has a meaning of its own; list keys such as \"tags\" or \"categories\""
    );
    let site = TestSite::new(
        &format!("{SITE_TOML}topic_keys = [\"by\"]\nauthor_keys = [\"by\"]\n"),
        &[],
    );
    assert_eq!(
        site.build_error(),
        "site.toml:6: \"by\" is in both `topic_keys` and `author_keys`; keep it in one"
    );
}
