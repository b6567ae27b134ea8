//! Real-world and hostile input: posts imported from other generators, pathological files,
//! and builds that fail or are killed midway, which must never lose the published site.

use crate::common;

use common::{article, gazette, snapshot, TestSite, SITE_TOML};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What `tests/fixtures/real-world/expected.txt` says each file becomes.
#[derive(Default)]
struct Expected {
    /// `(file, "LINE: MESSAGE")`
    errors: Vec<(String, String)>,
    /// `(file, url path)`
    pages: Vec<(String, String)>,
    drafts: Vec<String>,
    /// `FILE:LINE: MESSAGE`
    warnings: Vec<String>,
}

impl Expected {
    /// The build printed the number of articles, and each good file became its page.
    fn assert_pages(&self, site: &TestSite, stdout: &str) {
        assert!(
            stdout.starts_with(&format!("Built {} articles", self.pages.len())),
            "{stdout}"
        );
        for (file, url) in &self.pages {
            assert!(
                site.exists(&format!("{url}index.html")),
                "{file} should build into /{url}"
            );
        }
    }

    /// The problem lines a build should print, sorted: `FILE:LINE: MESSAGE`.
    fn problem_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .errors
            .iter()
            .map(|(file, outcome)| format!("{file}:{outcome}"))
            .collect();
        lines.sort();
        lines
    }
}

fn expected() -> Expected {
    let text =
        std::fs::read_to_string(common::repo().join("tests/fixtures/real-world/expected.txt"))
            .unwrap();
    let mut expected = Expected::default();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        if let Some(warning) = line.strip_prefix("warning ") {
            expected.warnings.push(warning.to_string());
            continue;
        }
        let (file, outcome) = line.split_once(" -> ").expect("FILE -> OUTCOME");
        let file = file.to_string();
        if let Some(url) = outcome.strip_prefix("page ") {
            expected.pages.push((file, url.to_string()));
        } else if outcome == "draft" {
            expected.drafts.push(file);
        } else {
            expected.errors.push((file, outcome.to_string()));
        }
    }
    expected
}

/// Runs `gazette build --root ROOT`: (exit code, stdout, stderr).
fn build(root: &Path) -> (i32, String, String) {
    let out = gazette(&["build", "--root"], root);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// The problem lines a failed build printed (without warnings and the count line).
fn problem_lines(stderr: &str) -> Vec<String> {
    let mut lines: Vec<String> = stderr
        .lines()
        .filter(|l| !l.starts_with("warning: ") && !l.ends_with("nothing was written"))
        .map(String::from)
        .collect();
    lines.sort();
    lines
}

/// Each file of the imported corpus becomes the page, draft or exact message that
/// `expected.txt` lists; nothing is written while any file is broken.
#[test]
fn imported_posts_build_or_are_reported_exactly() {
    let site = TestSite::fixture("real-world");
    let expected = expected();
    let (code, _, stderr) = build(site.root());
    assert_eq!(code, 1, "{stderr}");
    let wanted = expected.problem_lines();
    assert_eq!(problem_lines(&stderr), wanted);
    assert!(stderr.ends_with(&format!(
        "{} problems found; nothing was written\n",
        wanted.len()
    )));
    assert!(!site.public().exists());

    for (file, _) in &expected.errors {
        std::fs::remove_file(site.root().join(file)).unwrap();
    }
    let (code, stdout, stderr) = build(site.root());
    assert_eq!(code, 0, "{stderr}");
    let warnings: Vec<String> = expected
        .warnings
        .iter()
        .map(|w| format!("warning: {w}\n"))
        .collect();
    assert_eq!(stderr, warnings.concat());
    expected.assert_pages(&site, &stdout);
    assert!(!site.read("index.html").contains("published: false"));

    // What each convention means, page by page.
    let jekyll = site.read("2013/05/06/welcome-to-jekyll/index.html");
    assert!(jekyll.contains("2013-05-06T02:12:52+02:00"));
    assert!(jekyll.contains("/topics/jekyll/") && jekyll.contains("/topics/update/"));
    // Liquid converted: highlighted code, and the base path for `{{ site.baseurl }}`.
    assert!(!jekyll.contains("{% highlight ruby %}") && jekyll.contains("print_hi"));
    assert!(
        jekyll.contains("<a href=\"/docs/\">Jekyll docs</a>"),
        "{jekyll}"
    );
    // Hugo's `aliases` is an old address now.
    assert!(site
        .read("old/url/index.html")
        .contains("url=https://example.org/2018/08/20/yaml-hugo/"));
    assert!(site
        .read("2024/03/21/one-digit-hour/index.html")
        .contains("2024-03-21T04:00:00+00:00"));
    assert!(site
        .read("2015/02/06/quoted-iso/index.html")
        .contains("/topics/north-korea/"));
    assert!(site
        .read("2017/01/02/date-only/index.html")
        .contains("/topics/middle-east/"));
    let toml = site.read("2018/08/15/toml-front-matter/index.html");
    assert!(toml.contains("Kim Jae-won, Anna Lee"));
    assert!(toml.contains("description becomes the summary."));
    assert!(toml.contains("\"dateModified\":\"2018-08-16T09:00:00+09:00\""));
    assert!(toml.contains("/topics/asia/") && toml.contains("/topics/korea/"));
    let fragments = site.read("2019/01/05/template-fragments/index.html");
    assert!(fragments
        .contains("Body with {{ site.title }}, {% include footer.html %} and {# a comment #}."));
    assert!(
        fragments.contains(">Templates {{ shown }} as {% written %}</h1>"),
        "{fragments}"
    );
    assert!(site
        .read("2019/01/02/crlf/index.html")
        .contains("<p>Second paragraph.</p>"));
    assert!(site
        .read("2019/01/01/bom/index.html")
        .contains("Saved with a byte order mark"));
}

/// Copies the corpus `copies` times into `content/batch-NN/`, each file's name suffixed
/// `-NN` so every copy has a URL of its own.
fn replicate(site: &TestSite, copies: usize) -> Expected {
    let corpus = common::repo().join("tests/fixtures/real-world");
    let source = expected();
    let content = site.root().join("content");
    std::fs::remove_dir_all(&content).unwrap();
    let renamed = |file: &str, n: usize| -> String {
        let path = Path::new(file);
        let rel = path.strip_prefix("content").unwrap();
        let stem = rel.file_stem().unwrap().to_string_lossy();
        let ext = rel.extension().unwrap().to_string_lossy();
        let name = format!("{stem}-{n:02}.{ext}");
        let parent = rel.parent().unwrap().to_string_lossy();
        format!("content/batch-{n:02}/{parent}/{name}")
    };
    let mut expected = Expected::default();
    for n in 0..copies {
        for file in walkdir::WalkDir::new(corpus.join("content"))
            .into_iter()
            .filter_map(Result::ok)
        {
            if !file.file_type().is_file() {
                continue;
            }
            let rel = file
                .path()
                .strip_prefix(&corpus)
                .unwrap()
                .to_string_lossy()
                .to_string();
            let target = site.root().join(renamed(&rel, n));
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(file.path(), &target).unwrap();
            // Each copy keeps an old address of its own (two copies of one would collide).
            if rel.ends_with("yaml-hugo.md") {
                let text = std::fs::read_to_string(&target).unwrap();
                let text = text.replace("/old/url/", &format!("/old/url-{n:02}/"));
                std::fs::write(&target, text).unwrap();
            }
        }
        for (file, outcome) in &source.errors {
            expected.errors.push((renamed(file, n), outcome.clone()));
        }
        for (file, url) in &source.pages {
            let url = format!("{}-{n:02}/", url.trim_end_matches('/'));
            expected.pages.push((renamed(file, n), url));
        }
    }
    expected
}

/// Several hundred imported posts (the corpus twenty times over) build without a crash:
/// every broken one is reported with its own path, and the rest become pages.
#[test]
fn several_hundred_imported_posts_build_without_a_crash() {
    let site = TestSite::fixture("real-world");
    let expected = replicate(&site, 20);
    let files = walkdir::WalkDir::new(site.root().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    assert!(files >= 400, "{files}");
    let (code, _, stderr) = build(site.root());
    assert_eq!(code, 1, "a crash, not a report: {stderr}");
    let wanted = expected.problem_lines();
    assert_eq!(problem_lines(&stderr), wanted);

    for (file, _) in &expected.errors {
        std::fs::remove_file(site.root().join(file)).unwrap();
    }
    let (code, stdout, stderr) = build(site.root());
    assert_eq!(code, 0, "{stderr}");
    expected.assert_pages(&site, &stdout);
}

/// Runs a build with its address space limited to 4 GiB, and gives up after `limit`.
fn bounded_build(root: &Path, limit: Duration) -> (bool, Duration, String) {
    let started = Instant::now();
    let mut child = Command::new("bash")
        .arg("-c")
        .arg("ulimit -v 4194304; exec \"$0\" build --root \"$1\"")
        .arg(env!("CARGO_BIN_EXE_gazette"))
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            return (status.success(), started.elapsed(), stderr);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("the build took over {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Very long articles, million-character lines and deeply nested Markdown build in
/// bounded time and memory, with raw HTML kept and with it sanitised.
#[test]
fn pathological_bodies_finish_in_bounded_time_and_memory() {
    let paragraph = "A digest summarises the news in its own words. ".repeat(20);
    let long_body = format!("{paragraph}\n\n").repeat(1200); // about 1.1 MB
    let bodies = [
        ("long", long_body),
        ("one-line", "word ".repeat(200_000)),
        ("quotes", format!("{} deep", ">".repeat(50_000))),
        ("lists", format!("{}item", "- ".repeat(10_000))),
        (
            "emphasis",
            format!("{}a{}", "*".repeat(50_000), "*".repeat(50_000)),
        ),
        (
            "brackets",
            format!("{}a{}", "[".repeat(50_000), "](x)".repeat(50_000)),
        ),
        (
            "html",
            format!(
                "{}x{}",
                "<div onclick=\"alert(1)\">".repeat(20_000),
                "</div>".repeat(20_000)
            ),
        ),
        (
            "code",
            format!("```rust\n{}\n```\n", "let x = [(1, 2)];".repeat(60_000)),
        ),
    ];
    for unsafe_html in [true, false] {
        let site = TestSite::new(&format!("{SITE_TOML}unsafe_html = {unsafe_html}\n"), &[]);
        for (i, (name, body)) in bodies.iter().enumerate() {
            let front = format!("title: {name}\ndate: 2018-08-{:02}", i + 1);
            site.write(&format!("content/{name}.md"), &article(&front, body));
        }
        let (ok, took, stderr) = bounded_build(site.root(), Duration::from_secs(120));
        assert!(ok, "{stderr}");
        eprintln!("pathological bodies, unsafe_html = {unsafe_html}: {took:?}");
        let long = site.read("2018/08/01/long/index.html");
        assert!(long.len() > 1_000_000);
        if !unsafe_html {
            let html = site.read("2018/08/07/html/index.html");
            assert!(html.contains("<div><div>") && !html.contains("onclick"));
        }
    }
}

/// Titles, summaries, topics, authors and source names are escaped in every file the
/// build writes; `javascript:` and other script URLs in Markdown never reach a page.
#[test]
fn hostile_text_is_escaped_everywhere() {
    let front = [
        r#"title: "<script>alert('title')</script>""#,
        "date: 2018-08-15",
        r#"summary: "\"><img src=x onerror=alert('summary')>""#,
        r#"topics: ["<b>bold</b>", "</script><script>alert('topic')</script>"]"#,
        r#"author: "</script><script>alert('author')</script>""#,
        r#"source: {name: "<iframe src=x>", url: "https://example.com/?a=1&b=\"2\""}"#,
    ]
    .join("\n");
    let body = [
        "[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) ![c](javascript:alert(1))",
        "<javascript:alert(1)> [d](&#106;avascript:alert(1)) [e](java&#x09;script:alert(1))",
        "[f](data:text/html;base64,PHNjcmlwdD4=) [g](vbscript:msgbox) [h](https://ok.example/)",
    ]
    .join("\n\n");
    let site = TestSite::new(SITE_TOML, &[("content/x.md", &article(&front, &body))]);
    site.build();
    let mut checked = 0;
    for file in site.files() {
        let text = std::fs::read_to_string(site.public().join(&file)).unwrap_or_default();
        for raw in [
            "<script>alert",
            "<img src=x",
            "<iframe src=x",
            "<b>bold</b>",
        ] {
            assert!(!text.contains(raw), "{file} contains {raw}");
        }
        // Every href and src, also inside escaped HTML in feeds, read as a browser would.
        let text = text
            .replace("&quot;", "\"")
            .replace("\\\"", "\"")
            .replace("&#x27;", "'");
        for attribute in ["href=", "src="] {
            for (at, _) in text.match_indices(attribute) {
                let value: String = text[at + attribute.len()..]
                    .chars()
                    .take(30)
                    .filter(|c| !c.is_whitespace() && !c.is_control() && *c != '"' && *c != '\'')
                    .flat_map(char::to_lowercase)
                    .collect();
                for scheme in ["javascript:", "vbscript:", "data:text/html"] {
                    assert!(!value.starts_with(scheme), "{file} has {attribute}{value}");
                }
            }
        }
        checked += 1;
    }
    assert!(checked > 10);
    let page = site.read("2018/08/15/x/index.html");
    assert!(
        page.contains("<title>&lt;script&gt;alert(‘title’)&lt;/script&gt; — Test Digest</title>"),
        "{page}"
    );
    assert!(page.contains(r#"<a href="https://ok.example/">h</a>"#));
    assert!(site
        .read("feed.json")
        .contains("\\u003cscript>alert(‘title’)\\u003c/script>"));
}

/// Raw HTML in bodies is kept as written by default (curators embed things), and
/// `unsafe_html = false` cleans it with a sanitiser that keeps highlighted code.
#[test]
fn raw_html_is_kept_by_default_and_cleaned_on_request() {
    let body = "<script>track()</script>\n\n<iframe src=\"https://video.example/embed\"></iframe>\n\n<img src=\"chart.png\" onerror=\"alert(1)\" alt=\"Chart\">\n\n<a href=\"javascript:alert(1)\">x</a>\n\n```rust\nfn main() {}\n```\n";
    let files = [("content/x.md", article("title: X\ndate: 2018-08-15", body))];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let kept = TestSite::new(SITE_TOML, &files);
    kept.build();
    let page = kept.read("2018/08/15/x/index.html");
    assert!(page.contains("<script>track()</script>"));
    assert!(page.contains("<iframe src=\"https://video.example/embed\"></iframe>"));

    let cleaned = TestSite::new(&format!("{SITE_TOML}unsafe_html = false\n"), &files);
    cleaned.build();
    let page = cleaned.read("2018/08/15/x/index.html");
    let article = &page[page.find("<article").unwrap()..];
    for gone in ["<script>track", "<iframe", "onerror", "javascript:"] {
        assert!(!article.contains(gone), "{gone} was kept: {article}");
    }
    assert!(
        article.contains("<img src=\"chart.png\" alt=\"Chart\">"),
        "{article}"
    );
    assert!(
        article.contains("<span class=\""),
        "highlighting classes are kept: {article}"
    );
}

/// Slugs, image paths and links with `..`, absolute paths, backslashes or NUL never make
/// the build read or write outside the site; symbolic links out of the site are refused.
#[test]
fn nothing_outside_the_site_is_read_or_written() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(
        outer.path().join("secret.md"),
        "---\ntitle: TOPSECRET\ndate: 2018-08-15\n---\nTOPSECRET\n",
    )
    .unwrap();
    std::fs::write(outer.path().join("secret.png"), "TOPSECRET").unwrap();
    let root = outer.path().join("site");
    common::copy_dir(
        &common::repo().join("themes/default"),
        &root.join("themes/default"),
    );
    std::fs::write(root.join("site.toml"), SITE_TOML).unwrap();
    let articles = [
        (
            "dots.md",
            r#"slug: "../../../../etc/passwd""#,
            "![s](../../secret.png) [s](../../secret.md)",
        ),
        (
            "backslash.md",
            r#"slug: "..\\..\\evil""#,
            r"![s](..\..\secret.png)",
        ),
        ("nul.md", r#"slug: "a\0b""#, "![s](/etc/passwd)"),
        ("image.md", r#"image: "../../secret.png""#, ""),
        (
            "absolute.md",
            r#"image: {src: "/etc/passwd", alt: "x"}"#,
            "",
        ),
        ("only-dots.md", r#"slug: "..""#, ""),
    ];
    for (i, (name, front, body)) in articles.iter().enumerate() {
        let text = article(&format!("title: t{i}\ndate: 2018-08-15\n{front}"), body);
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content").join(name), text).unwrap();
    }
    // A link out of the site is refused; one inside it is followed.
    std::os::unix::fs::symlink(outer.path().join("secret.md"), root.join("content/leak.md"))
        .unwrap();
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::write(
        root.join("shared/inside.md"),
        article("title: Inside\ndate: 2018-08-16", "Linked."),
    )
    .unwrap();
    std::os::unix::fs::symlink(root.join("shared"), root.join("content/linked")).unwrap();

    let (code, _, stderr) = build(&root);
    let target = std::fs::canonicalize(outer.path().join("secret.md")).unwrap();
    assert_eq!(code, 1);
    assert_eq!(stderr, format!("content/leak.md: is a symbolic link to {}, outside the site; copy what it points to into content/ instead\n1 problem found; nothing was written\n", target.display()));

    std::fs::remove_file(root.join("content/leak.md")).unwrap();
    let before: Vec<PathBuf> = walkdir::WalkDir::new(outer.path())
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .collect();
    let (code, _, stderr) = build(&root);
    assert_eq!(code, 0, "{stderr}");
    for entry in walkdir::WalkDir::new(outer.path())
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if !before.contains(&path.to_path_buf()) {
            assert!(
                path.starts_with(root.join("public"))
                    || path.starts_with(root.join(".gazette-cache")),
                "wrote {}",
                path.display()
            );
        }
        if path.starts_with(root.join("public")) && entry.file_type().is_file() {
            let bytes = std::fs::read(path).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains("TOPSECRET"),
                "{}",
                path.display()
            );
        }
    }
    let public = root.join("public/2018/08/15");
    for slug in ["etc-passwd", "evil", "ab", "image", "absolute", "only-dots"] {
        assert!(
            public.join(slug).join("index.html").is_file(),
            "{slug}: {:?}",
            std::fs::read_dir(&public).unwrap().collect::<Vec<_>>()
        );
    }
    assert!(root.join("public/2018/08/16/inside/index.html").is_file());
}

/// A site big enough that a build takes a while: `n` short articles.
fn big_site(n: usize) -> TestSite {
    let site = TestSite::new(SITE_TOML, &[]);
    for i in 0..n {
        let front = format!(
            "title: Article {i}\ndate: 2018-08-{:02}\ntopics: [T{}]",
            i % 28 + 1,
            i % 17
        );
        site.write(
            &format!("content/a{i}.md"),
            &article(&front, "Some *text* here.\n\nMore."),
        );
    }
    site
}

/// A build killed at any moment leaves the previous site whole: every state the output
/// folder is found in is either the old site or the complete new one.
#[test]
fn a_killed_build_leaves_the_previous_site_whole() {
    let site = big_site(1500);
    let (code, _, stderr) = build(site.root());
    assert_eq!(code, 0, "{stderr}");
    let old = snapshot(&site.public());
    std::fs::write(
        site.root().join("site.toml"),
        SITE_TOML.replace("Test Digest", "Renamed Digest"),
    )
    .unwrap();
    let mut seen = Vec::new();
    for delay_ms in [5, 30, 80, 150, 250, 400, 600, 900] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["build", "--root"])
            .arg(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL: no chance to clean up
        child.wait().unwrap();
        seen.push((delay_ms, snapshot(&site.public())));
    }
    let (code, _, stderr) = build(site.root());
    assert_eq!(code, 0, "{stderr}");
    let new = snapshot(&site.public());
    assert_ne!(old, new);
    for (delay_ms, state) in seen {
        assert!(
            state == old || state == new,
            "killed after {delay_ms} ms, the output is a mix"
        );
    }
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
}

/// A build that cannot write (here: files over a size limit, as on a full disk) fails
/// with the file's path, and leaves the previous site unchanged.
#[test]
fn a_failed_write_leaves_the_previous_site_whole() {
    let site = big_site(20);
    site.build();
    let old = snapshot(&site.public());
    let huge = "Long paragraph of words. ".repeat(8000); // 200 kB, over the 64 kB limit
    site.write(
        "content/huge.md",
        &article("title: Huge\ndate: 2018-08-03", &huge),
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 64; exec \"$0\" build --root \"$1\"")
        .arg(env!("CARGO_BIN_EXE_gazette"))
        .arg(site.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: could not write "), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    assert_eq!(snapshot(&site.public()), old);
}

/// Two copies of one site whose files were created in opposite orders build into
/// byte-identical output.
#[test]
fn output_does_not_depend_on_the_order_files_are_listed() {
    let mut files: Vec<(String, String)> = (0..40)
        .map(|i| {
            let front = format!(
                "title: Same day {i}\ndate: 2018-08-15T10:00:00Z\ntopics: [A, B{}]",
                i % 3
            );
            (
                format!("content/{}/a{i}.md", ["x", "y", "z"][i % 3]),
                article(&front, "Text."),
            )
        })
        .collect();
    let first = TestSite::new(SITE_TOML, &[]);
    for (path, text) in &files {
        first.write(path, text);
    }
    files.reverse();
    let second = TestSite::new(SITE_TOML, &[]);
    for (path, text) in &files {
        second.write(path, text);
    }
    first.build();
    second.build();
    let (a, b) = (first.files(), second.files());
    assert_eq!(a, b);
    for file in &a {
        assert!(
            std::fs::read(first.public().join(file)).unwrap()
                == std::fs::read(second.public().join(file)).unwrap(),
            "{file} differs"
        );
    }
}

/// Names longer than a file name may be (a topic of 300 characters, found by the fuzzer)
/// get shortened slugs that stay distinct, and the site builds.
#[test]
fn very_long_names_get_short_distinct_slugs() {
    let long = "Better answers feed into forecasts of the space weather ".repeat(6);
    let front =
        format!("title: \"{long}\"\ndate: 2018-08-15\ntopics: [\"{long} one\", \"{long} two\"]");
    let site = TestSite::new(SITE_TOML, &[("content/x.md", &article(&front, "Text."))]);
    site.build();
    let topics: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| {
            f.starts_with("topics/") && f.ends_with("/index.html") && f.matches('/').count() == 2
        })
        .collect();
    assert_eq!(topics.len(), 2, "{topics:?}");
    for topic in &topics {
        let slug = topic.split('/').nth(1).unwrap();
        assert!(slug.len() <= gazette::util::slug::MAX_SLUG_BYTES, "{slug}");
        assert!(
            slug.starts_with("better-answers-feed-into-forecasts"),
            "{slug}"
        );
    }
}

/// `topic_keys` and `author_keys` read another generator's fields as topics and author;
/// keys left out of them are ignored with a warning.
#[test]
fn topic_and_author_keys_map_other_fields() {
    let site = TestSite::new(
        &format!("{SITE_TOML}topic_keys = [\"section\", \"keywords\"]\nauthor_keys = [\"byline\"]\n"),
        &[(
            "content/x.md",
            &article(
                "title: X\ndate: 2018-08-15\nsection: World\nkeywords: [Trade, World]\nbyline: Ana Ruiz\ntags: [ignored]",
                "Text.",
            ),
        )],
    );
    let report = site.build();
    let page = site.read("2018/08/15/x/index.html");
    assert!(page.contains("/topics/world/") && page.contains("/topics/trade/"));
    assert!(page.contains("Ana Ruiz"));
    assert!(!site.exists("topics/ignored/index.html"));
    let warnings: Vec<String> = common::lines(&report.warnings);
    assert_eq!(
        warnings,
        ["content/x.md:7: unknown front matter key `tags` is ignored; did you mean `topics`? put your own fields under `extra:`"]
    );
}

/// The output's own dot-entries (a `.git` of a gh-pages checkout) survive every build, as
/// with Jekyll's `keep_files`; other files the build did not write are removed.
#[test]
fn dot_entries_in_the_output_are_kept() {
    let site = big_site(3);
    site.build();
    std::fs::create_dir_all(site.public().join(".git/objects")).unwrap();
    std::fs::write(
        site.public().join(".git/HEAD"),
        "ref: refs/heads/gh-pages\n",
    )
    .unwrap();
    std::fs::write(site.public().join(".git/objects/ab"), "object").unwrap();
    std::fs::write(site.public().join("stray.html"), "left by hand").unwrap();
    site.write(
        "content/new.md",
        &article("title: New\ndate: 2018-08-20", "Text."),
    );
    site.build();
    assert_eq!(
        std::fs::read_to_string(site.public().join(".git/HEAD")).unwrap(),
        "ref: refs/heads/gh-pages\n"
    );
    assert!(site.public().join(".git/objects/ab").is_file());
    assert!(!site.public().join("stray.html").exists());
    assert!(site.exists("2018/08/20/new/index.html"));
    // Without a build cache the output is walked: dot-entries are still kept.
    std::fs::remove_dir_all(site.root().join(".gazette-cache")).unwrap();
    site.write(
        "content/newer.md",
        &article("title: Newer\ndate: 2018-08-21", "Text."),
    );
    site.build();
    assert!(site.public().join(".git/HEAD").is_file());
}
