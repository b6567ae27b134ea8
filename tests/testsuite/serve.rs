//! `gazette serve` over real HTTP, and `gazette new` / `gazette init`.

use crate::common;

use common::{article, TestSite, SITE_TOML};
use gazette::app::serve::{listen, State};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A raw HTTP/1.1 request, so paths reach the server exactly as written.
fn request(addr: SocketAddr, method: &str, target: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

fn get(addr: SocketAddr, target: &str) -> (u16, String, String) {
    let (status, head, body) = request(addr, "GET", target);
    (status, head, String::from_utf8_lossy(&body).to_string())
}

/// A built site served in-process under `/digest/`.
fn served_site() -> (TestSite, SocketAddr) {
    let toml = SITE_TOML.replace("https://example.org/", "https://user.github.io/digest/");
    let site = TestSite::new(
        &toml,
        &[(
            "content/2018/08/kim.md",
            &article("title: Kim\ndate: 2018-08-15\ntopics: [Diplomacy]", "Body."),
        )],
    );
    site.build();
    std::fs::write(site.root().join("secret.txt"), "TOP SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(site.root(), site.public().join("escape")).unwrap();
    let state = Arc::new(State::new(site.public(), "/digest/"));
    let server = listen(TcpListener::bind("127.0.0.1:0").unwrap(), state).unwrap();
    (site, server.addr)
}

#[test]
fn serves_files_with_their_types_under_the_base_path() {
    let (_site, addr) = served_site();
    let (status, head, body) = get(addr, "/digest/2018/08/15/kim/");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/html; charset=utf-8"));
    assert!(body.contains("Kim"));
    assert!(
        body.contains("/__gazette/events"),
        "the live-reload script is added"
    );
    for (path, ctype) in [
        ("/digest/style.css", "text/css; charset=utf-8"),
        ("/digest/favicon.svg", "image/svg+xml"),
        ("/digest/atom.xml", "application/atom+xml"),
        ("/digest/rss.xml", "application/rss+xml"),
        ("/digest/feed.json", "application/json"),
        ("/digest/sitemap.xml", "application/xml"),
        ("/digest/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let (status, head, _) = get(addr, path);
        assert_eq!(status, 200, "{path}");
        assert!(
            head.contains(&format!("Content-Type: {ctype}\r\n")),
            "{path}: {head}"
        );
    }
    let (status, head, _) = get(addr, "/");
    assert_eq!(status, 302);
    assert!(head.contains("Location: /digest/"));
    let (status, head, _) = get(addr, "/digest/2018/08/15/kim");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /digest/2018/08/15/kim/"));
    let (status, _, body) = get(addr, "/digest/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("<!doctype html>"), "the site's own 404 page");
    let (status, head, body) = request(addr, "HEAD", "/digest/style.css");
    assert_eq!(status, 200);
    assert!(body.is_empty());
    assert!(!head.contains("Content-Length: 0"));
    assert_eq!(request(addr, "POST", "/digest/").0, 405);
    // Unicode paths, percent-encoded by browsers.
    assert_eq!(get(addr, "/digest/topics/diplomacy/").0, 200);
}

#[test]
fn no_request_reads_outside_the_site() {
    let (site, addr) = served_site();
    let root = site.root().display().to_string();
    for target in [
        "/digest/../secret.txt",
        "/digest/../../../../etc/passwd",
        "/digest/%2e%2e/secret.txt",
        "/digest/%2E%2E/%2e%2e/etc/passwd",
        "/digest/..%2fsecret.txt",
        "/digest/..%5csecret.txt",
        "/digest//etc/passwd",
        &format!("/digest/{root}/secret.txt"),
        "/digest/escape/secret.txt",
        "/digest/%00",
        "/../secret.txt",
        "/etc/passwd",
    ] {
        let (status, _, body) = get(addr, target);
        assert!(matches!(status, 400 | 403 | 404), "{target}: {status}");
        assert!(
            !body.contains("TOP SECRET") && !body.contains("root:"),
            "{target} leaked a file"
        );
    }
}

struct Serve {
    child: Child,
    url: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_serve(site: &TestSite) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("serve printed its URL").unwrap();
        if let Some(rest) = line.split(" at ").nth(1) {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Serve { child, url }
}

fn addr_of(url: &str) -> SocketAddr {
    url.trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Reads server-sent events until one named `name` arrives; returns its data and the wait.
fn next_event(stream: &mut BufReader<TcpStream>, name: &str) -> (String, Duration) {
    let started = Instant::now();
    let mut event = String::new();
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).unwrap() == 0 {
            panic!("the event stream closed");
        }
        let line = line.trim_end();
        if let Some(e) = line.strip_prefix("event: ") {
            event = e.to_string();
        } else if let Some(data) = line.strip_prefix("data: ") {
            if event == name {
                return (serde_json::from_str(data).unwrap(), started.elapsed());
            }
        }
    }
}

fn events(addr: SocketAddr) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "GET /__gazette/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    reader
}

/// A site of one article, `content/2018/08/kim.md` ("First version.").
fn kim_site(site_toml: &str) -> TestSite {
    TestSite::new(
        site_toml,
        &[(
            "content/2018/08/kim.md",
            &article("title: Kim\ndate: 2018-08-15", "First version."),
        )],
    )
}

/// An editor that empties a file and writes it again a moment later (or a build that
/// reads it in between) must not flash a problem: only the finished save counts.
#[test]
fn a_save_read_midway_is_not_reported_as_a_problem() {
    let site = kim_site(SITE_TOML);
    let serve = start_serve(&site);
    let addr = addr_of(&serve.url);
    let mut stream = events(addr);
    let path = site.root().join("content/2018/08/kim.md");
    std::fs::write(&path, "").unwrap();
    // Long enough for the watcher's quiet time to pass and a build to read the empty file.
    std::thread::sleep(Duration::from_millis(40));
    std::fs::write(
        &path,
        article("title: Kim\ndate: 2018-08-15", "Second version."),
    )
    .unwrap();
    let mut seen = Vec::new();
    let started = Instant::now();
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).unwrap() == 0 {
            panic!("the event stream closed");
        }
        if let Some(event) = line.trim_end().strip_prefix("event: ") {
            seen.push(event.to_string());
            if event == "reload" {
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "no reload: {seen:?}"
        );
    }
    assert!(!seen.contains(&"problem".to_string()), "{seen:?}");
    assert!(get(addr, "/2018/08/15/kim/").2.contains("Second version."));
}

#[test]
fn edits_are_served_and_reloaded_within_a_second_and_errors_keep_the_last_good_site() {
    let site = TestSite::new(
        &SITE_TOML.replace("https://example.org/", "https://user.github.io/digest/"),
        &[
            (
                "content/2018/08/kim.md",
                &article(
                    "title: Kim\ndate: 2018-08-15\ntopics: [Diplomacy]",
                    "First version.",
                ),
            ),
            (
                "content/2018/08/draft.md",
                &article("title: Unfinished\ndate: 2018-08-15\ndraft: true", "Draft."),
            ),
        ],
    );
    let serve = start_serve(&site);
    assert!(
        serve.url.starts_with("http://127.0.0.1:") && serve.url.ends_with("/digest/"),
        "{}",
        serve.url
    );
    let addr = addr_of(&serve.url);
    let page = "/digest/2018/08/15/kim/";
    let (status, _, body) = get(addr, page);
    assert_eq!(status, 200);
    assert!(body.contains("First version."));
    assert!(
        body.contains("href=\"/digest/2018/08/15/\""),
        "links keep the base path"
    );
    let (status, _, draft) = get(addr, "/digest/2018/08/15/draft/");
    assert_eq!(status, 200, "drafts are previewed");
    assert!(
        draft.contains("badge--draft\">Draft</span>"),
        "and marked as drafts"
    );
    assert!(!site.public().exists(), "serve does not write public/");

    let mut stream = events(addr);
    site.write(
        "content/2018/08/kim.md",
        &article(
            "title: Kim\ndate: 2018-08-15\ntopics: [Diplomacy]",
            "Second version.",
        ),
    );
    let (_, waited) = next_event(&mut stream, "reload");
    assert!(waited < Duration::from_secs(1), "reload took {waited:?}");
    assert!(get(addr, page).2.contains("Second version."));

    site.write(
        "content/2018/08/kim.md",
        "---\ntitle: Kim\ndate: when\n---\nThird version.\n",
    );
    let (problem, waited) = next_event(&mut stream, "problem");
    assert!(
        waited < Duration::from_secs(1),
        "the problem took {waited:?}"
    );
    assert!(
        problem.starts_with("content/2018/08/kim.md:3: `date` \"when\" is not a date"),
        "{problem}"
    );
    let (status, _, body) = get(addr, page);
    assert_eq!(status, 200);
    assert!(
        body.contains("Second version."),
        "the last good site stays served"
    );
    // A tab opened now is told about the problem at once.
    let mut late = events(addr);
    assert!(next_event(&mut late, "problem").0.contains("kim.md:3:"));

    site.write(
        "content/2018/08/kim.md",
        &article("title: Kim\ndate: 2018-08-15", "Fixed version."),
    );
    next_event(&mut stream, "reload");
    assert!(get(addr, page).2.contains("Fixed version."));

    // A templates/ folder created while serving is watched too.
    site.write(
        "templates/article.html",
        "<!doctype html><title>t</title><p>Custom {{ article.title }}</p>",
    );
    next_event(&mut stream, "reload");
    site.write(
        "templates/article.html",
        "<!doctype html><title>t</title><p>Changed {{ article.title }}</p>",
    );
    next_event(&mut stream, "reload");
    assert!(get(addr, page).2.contains("Changed Kim"));
}

/// The browser is told to reload as soon as the pages are written; the search index and
/// sitemap follow, and hold the saved words moments later.
#[test]
fn the_search_index_follows_a_save() {
    let site = kim_site(SITE_TOML);
    let serve = start_serve(&site);
    let addr = addr_of(&serve.url);
    let (status, _, index) = get(addr, "/search-index.json");
    assert_eq!(status, 200);
    assert!(!index.contains("zeppelin"));
    let mut stream = events(addr);
    site.write(
        "content/2018/08/kim.md",
        &article("title: Kim\ndate: 2018-08-15", "A zeppelin over Pyongyang."),
    );
    next_event(&mut stream, "reload");
    assert!(get(addr, "/2018/08/15/kim/")
        .2
        .contains("A zeppelin over Pyongyang."));
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (status, _, index) = get(addr, "/search-index.json");
        assert_eq!(status, 200, "the index is never missing");
        if index.contains("\"zeppelin\"") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the index never got the new words: {index}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(get(addr, "/sitemap.xml").0, 200);
}

#[test]
fn a_burst_of_saves_causes_one_rebuild() {
    let site = TestSite::new(
        SITE_TOML,
        &[("content/a.md", &article("title: A\ndate: 2018-08-15", "x"))],
    );
    let serve = start_serve(&site);
    let addr = addr_of(&serve.url);
    let mut stream = events(addr);
    // Like an editor: write a temp file, rename it over the article, write again.
    site.write("content/.a.md.swp", "junk");
    site.write(
        "content/a.md.tmp",
        &article("title: A\ndate: 2018-08-15", "y"),
    );
    std::fs::rename(
        site.root().join("content/a.md.tmp"),
        site.root().join("content/a.md"),
    )
    .unwrap();
    site.write("content/a.md", &article("title: A\ndate: 2018-08-15", "z"));
    next_event(&mut stream, "reload");
    stream
        .get_mut()
        .set_read_timeout(Some(Duration::from_millis(800)))
        .unwrap();
    let mut line = String::new();
    let mut more = String::new();
    while stream.read_line(&mut line).is_ok_and(|n| n > 0) {
        more.push_str(&line);
        line.clear();
    }
    assert!(!more.contains("event: reload"), "a second rebuild: {more}");
}

#[test]
fn new_creates_an_article_and_never_overwrites() {
    let site = TestSite::new(&SITE_TOML.replace("UTC", "Asia/Seoul"), &[]);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_gazette"))
            .arg("new")
            .args(args)
            .arg("--root")
            .arg(site.root())
            .output()
            .unwrap()
    };
    let out = run(&[
        "Putin ready to meet Kim",
        "--topics",
        "Diplomacy,North Korea",
        "--source",
        "https://www.timesofisrael.com/putin/",
        "--date",
        "2018-08-15T10:00:00+09:00",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = site
        .root()
        .join("content/2018/08/putin-ready-to-meet-kim.md");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        path.display().to_string()
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("---\ntitle: \"Putin ready to meet Kim\"\ndate: 2018-08-15T10:00:00+09:00\ntopics: [\"Diplomacy\", \"North Korea\"]\n"), "{text}");
    assert!(text.contains("  url: \"https://www.timesofisrael.com/putin/\""));
    site.build();
    assert!(site.exists("2018/08/15/putin-ready-to-meet-kim/index.html"));
    assert!(site
        .read("topics/north-korea/index.html")
        .contains("Putin ready to meet Kim"));

    std::fs::write(&path, "edited by hand").unwrap();
    let out = run(&["Putin ready to meet Kim", "--date", "2018-08-20"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "error: content/2018/08/putin-ready-to-meet-kim.md already exists; choose another title or pass --slug\n");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited by hand");

    // Without --date: now, in the site's time zone.
    let out = run(&["Today's story"]);
    assert!(out.status.success());
    let created = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let text = std::fs::read_to_string(&created).unwrap();
    assert!(text.contains("+09:00\n"), "{text}");
}

#[test]
fn init_makes_a_site_that_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("my-digest");
    let out = common::gazette(&["init"], &target);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in [
        "site.toml",
        ".gitignore",
        ".github/workflows/pages.yml",
        "themes/default/templates/base.html",
        "themes/default/static/style.css",
    ] {
        assert!(target.join(file).exists(), "{file}");
    }
    let workflow = std::fs::read_to_string(target.join(".github/workflows/pages.yml")).unwrap();
    assert!(
        workflow.contains("cargo install --locked --git \"$GAZETTE_GIT\" gazette"),
        "the site's workflow installs Gazette"
    );
    assert!(workflow.contains("gazette build --base-url"));
    let toml = std::fs::read_to_string(target.join("site.toml")).unwrap();
    for key in [
        "title",
        "description",
        "base_url",
        "language",
        "timezone",
        "paginate_by",
        "article_path",
        "theme",
        "author",
        "feed_limit",
        "cname",
    ] {
        let line = toml
            .lines()
            .position(|l| l.trim_start_matches("# ").starts_with(&format!("{key} =")))
            .unwrap_or_else(|| panic!("{key} missing"));
        assert!(
            toml.lines().nth(line - 1).unwrap().starts_with('#'),
            "{key} has a comment above it"
        );
    }
    let out = common::gazette(&["build", "--root"], &target);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "no warnings: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(target.join("public/topics/meta/index.html").exists());
    let again = common::gazette(&["init"], &target);
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn the_built_in_theme_matches_the_theme_folder() {
    let dir = common::repo().join("themes/default");
    let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    on_disk.sort();
    let mut built_in: Vec<String> = gazette::app::new::THEME_FILES
        .iter()
        .map(|(p, _)| p.to_string())
        .collect();
    built_in.sort();
    assert_eq!(
        built_in, on_disk,
        "list every theme file in src/new.rs THEME_FILES"
    );
}

#[test]
fn chromium_reloads_the_page_on_save_and_shows_problems() {
    let site =
        kim_site(&SITE_TOML.replace("https://example.org/", "https://user.github.io/digest/"));
    let serve = start_serve(&site);
    let page = format!("{}2018/08/15/kim/", serve.url);
    let out = Command::new("python3")
        .arg(common::repo().join("tests/tools/browser_reload.py"))
        .arg(&page)
        .arg(site.root().join("content/2018/08/kim.md"))
        .output()
        .expect("python3 with selenium, chromium and chromium-driver are needed; run .ci/run");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(text.contains("no console errors"), "{text}");
}

#[test]
fn ctrl_c_stops_cleanly() {
    let site = TestSite::new(
        SITE_TOML,
        &[("content/a.md", &article("title: A\ndate: 2018-08-15", "x"))],
    );
    let mut serve = start_serve(&site);
    assert!(site.root().join(".serve").is_dir());
    let pid = serve.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = serve.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "serve did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert!(
        !site.root().join(".serve").exists(),
        "serve removes its folder"
    );
}

/// Every file of serve's output, by path, with its own address written as `SERVER`.
fn serve_output(site: &TestSite, url: &str) -> std::collections::BTreeMap<String, String> {
    let root = site.root().join(".serve/site");
    let origin = url.trim_end_matches('/');
    walkdir::WalkDir::new(&root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .to_string();
            let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).to_string();
            (rel, text.replace(origin, "SERVER"))
        })
        .collect()
}

/// Waits until serve's search index holds `word`.
fn wait_for_index(addr: SocketAddr, word: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !get(addr, "/search-index.json")
        .2
        .contains(&format!("\"{word}\""))
    {
        assert!(Instant::now() < deadline, "the index never got {word}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Saves that change only articles' Markdown are taken into the loaded site in place
/// (serve's quick path); what serve then shows is exactly what a fresh start shows.
#[test]
fn body_edits_give_the_same_site_as_a_fresh_start() {
    let alpha =
        "title: Alpha\ndate: 2018-08-15T09:00:00Z\ntopics: [Diplomacy]\nsummary: Alpha in short.";
    // No summary: the lead paragraph is the summary every list shows.
    let bravo = "title: Bravo\ndate: 2018-08-15T10:00:00Z\ntopics: [Diplomacy, Energy]";
    let charlie = "title: Charlie\ndate: 2018-08-16T10:00:00Z\ntopics: [Energy]\nstory: grid";
    let delta = "title: Delta\ndate: 2018-08-17T10:00:00Z\ntopics: [Energy]\nstory: grid";
    let site = TestSite::new(
        SITE_TOML,
        &[
            ("content/2018/08/alpha.md", &article(alpha, "Alpha body.")),
            (
                "content/2018/08/bravo.md",
                &article(bravo, "Bravo lead.\n\nBravo body."),
            ),
            (
                "content/2018/08/charlie.md",
                &article(charlie, "Charlie body."),
            ),
            ("content/2018/08/delta.md", &article(delta, "Delta body.")),
        ],
    );
    let serve = start_serve(&site);
    let addr = addr_of(&serve.url);
    let mut stream = events(addr);
    // A body edit; a lead edit and a much longer body (its list item and reading time
    // change); a link to another article; two articles in one save.
    site.write(
        "content/2018/08/alpha.md",
        &article(alpha, "Alpha body, **edited**."),
    );
    next_event(&mut stream, "reload");
    let long = "word ".repeat(900);
    site.write(
        "content/2018/08/bravo.md",
        &article(bravo, &format!("A zeppelin lead.\n\n{long}")),
    );
    next_event(&mut stream, "reload");
    site.write(
        "content/2018/08/charlie.md",
        &article(charlie, "See [Alpha](alpha.md) and a <b>bold</b> move."),
    );
    site.write(
        "content/2018/08/delta.md",
        &article(delta, "Delta, quietly rewritten."),
    );
    next_event(&mut stream, "reload");
    assert!(get(addr, "/2018/08/15/bravo/")
        .2
        .contains("A zeppelin lead."));
    assert!(get(addr, "/topics/energy/").2.contains("A zeppelin lead."));
    assert!(get(addr, "/2018/08/16/charlie/")
        .2
        .contains("href=\"/2018/08/15/alpha/\""));
    wait_for_index(addr, "quietly");
    let edited = serve_output(&site, &serve.url);
    drop(serve);

    let fresh = start_serve(&site);
    wait_for_index(addr_of(&fresh.url), "quietly");
    let expected = serve_output(&site, &fresh.url);
    assert_eq!(
        edited.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (path, text) in &expected {
        assert_eq!(&edited[path], text, "{path} differs from a fresh start");
    }
}
