//! Archived copies: `gazette archive` against a fake Internet Archive on 127.0.0.1 that
//! speaks the availability API's and Save Page Now's shapes (snapshots found and asked
//! for, a 429 whose `Retry-After` is obeyed, a run killed halfway and resumed), the
//! Robust Links attributes on source links, and the dead-source flow from `check
//! --external` against a server that answers 410.

use crate::common::{self, article, Reply, TestSite, TestWeb, SITE_TOML};
use std::io::Write;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the fake archive was asked: method, path with query, body.
type Asked = Arc<Mutex<Vec<(String, String, String)>>>;

/// A fake archive: the availability API at `/wayback/available` (a snapshot for each
/// address in `archived`), Save Page Now at `/save` (the first `busy` captures answered
/// 429 with `Retry-After: 1`) and its status at `/save/status/<job>` (success after
/// `status_delay`).
struct FakeArchive {
    base: String,
    asked: Asked,
}

fn fake_archive(archived: &[String], busy: usize, status_delay: Duration) -> FakeArchive {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let asked: Asked = Arc::default();
    let (log, archived, busy) = (asked.clone(), archived.to_vec(), Arc::new(Mutex::new(busy)));
    let host = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (log, archived, busy, host) =
                (log.clone(), archived.clone(), busy.clone(), host.clone());
            std::thread::spawn(move || answer(stream, &log, &archived, &busy, &host, status_delay));
        }
    });
    FakeArchive { base, asked }
}

fn answer(
    mut stream: std::net::TcpStream,
    log: &Asked,
    archived: &[String],
    busy: &Mutex<usize>,
    host: &str,
    delay: Duration,
) {
    let received = common::Received::read(&stream);
    let (method, target, body) = (received.method, received.target, received.body);
    log.lock()
        .unwrap()
        .push((method.clone(), target.clone(), body.clone()));
    let form = |text: &str, key: &str| {
        url::form_urlencoded::parse(text.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    };
    let (status, extra, json) = if let Some(query) = target.strip_prefix("/wayback/available?") {
        let url = form(query, "url");
        match archived.contains(&url) {
            true => (200, "", format!("{{\"archived_snapshots\":{{\"closest\":{{\"available\":true,\"status\":\"200\",\"timestamp\":\"20180815093000\",\"url\":\"{host}/web/20180815093000/{url}\"}}}}}}")),
            false => (200, "", "{\"archived_snapshots\":{}}".to_string()),
        }
    } else if target == "/save" && method == "POST" {
        let mut left = busy.lock().unwrap();
        if *left > 0 {
            *left -= 1;
            (
                429,
                "Retry-After: 1\r\n",
                "{\"message\":\"slow down\"}".to_string(),
            )
        } else {
            let url = form(&body, "url");
            // Jobs are named as Save Page Now names them; the status tells the address back.
            let job = format!("spn2-{}", hex(&url));
            (
                200,
                "",
                format!("{{\"url\":\"{url}\",\"job_id\":\"{job}\"}}"),
            )
        }
    } else if let Some(job) = target.strip_prefix("/save/status/") {
        std::thread::sleep(delay);
        let url = unhex(job.strip_prefix("spn2-").unwrap_or(""));
        (200, "", format!("{{\"status\":\"success\",\"timestamp\":\"20261206120000\",\"original_url\":\"{url}\"}}"))
    } else {
        (404, "", "{}".to_string())
    };
    let _ = write!(stream, "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{json}", json.len());
}

fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> String {
    let bytes: Vec<u8> = (0..text.len() / 2)
        .filter_map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok())
        .collect();
    String::from_utf8_lossy(&bytes).to_string()
}

impl FakeArchive {
    fn settings(&self) -> String {
        format!("\n[archive]\navailability_api = \"{0}/wayback/available\"\nsave_api = \"{0}/save\"\ncapture_interval_s = 0\n", self.base)
    }

    fn captures(&self) -> Vec<String> {
        let asked = self.asked.lock().unwrap();
        asked
            .iter()
            .filter(|(m, t, _)| m == "POST" && t == "/save")
            .map(|(_, _, body)| {
                url::form_urlencoded::parse(body.as_bytes())
                    .next()
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default()
            })
            .collect()
    }
}

/// A site whose articles cite `sources` (one article each, dated 2018-08-15).
fn site(settings: &str, sources: &[String]) -> TestSite {
    let files: Vec<(String, String)> = sources
        .iter()
        .enumerate()
        .map(|(n, url)| {
            (format!("content/a{n}.md"), article(&format!("title: Story {n}\ndate: 2018-08-15T0{}:00:00Z\nsource:\n  name: Wire\n  url: {url}", n % 10), "Body."))
        })
        .collect();
    TestSite::owned(&format!("{SITE_TOML}{settings}"), &files)
}

fn archive(site: &TestSite) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["archive", "--root"])
        .arg(site.root())
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn record(site: &TestSite) -> String {
    std::fs::read_to_string(site.root().join("data/archive.yaml")).unwrap_or_default()
}

/// The attributes of the first `<a` tag whose class is `class` in `html`.
fn link_attrs(html: &str, class: &str) -> std::collections::HashMap<String, String> {
    let at = html
        .find(&format!("class=\"{class}\""))
        .unwrap_or_else(|| panic!("{class} in {html}"));
    let start = html[..at].rfind("<a ").unwrap();
    let tag = &html[start..start + html[start..].find('>').unwrap()];
    let mut attrs = std::collections::HashMap::new();
    let mut rest = &tag[3..];
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].trim().to_string();
        let value_end = rest[eq + 2..].find('"').unwrap();
        attrs.insert(name, rest[eq + 2..eq + 2 + value_end].replace("&amp;", "&"));
        rest = &rest[eq + 2 + value_end + 1..];
    }
    attrs
}

#[test]
fn snapshots_are_found_or_captured_recorded_and_shown_with_robust_links() {
    let sources: Vec<String> = [
        "https://news.example/old-story",
        "https://news.example/new-story",
        "https://wire.example/x?id=1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let fake = fake_archive(&sources[..1], 0, Duration::ZERO);
    let site = site(&fake.settings(), &sources);
    let out = archive(&site);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(text(&out).trim(), "Archived 3 of 3 cited addresses: 1 found in the archive, 2 captured now (data/archive.yaml)");
    let recorded = record(&site);
    assert!(recorded.contains(&format!("\"https://news.example/old-story\":\n  url: \"{}/web/20180815093000/https://news.example/old-story\"\n  date: \"2018-08-15T09:30:00Z\"", fake.base)), "{recorded}");
    assert!(recorded.contains(&format!("\"https://wire.example/x?id=1\":\n  url: \"{}/web/20261206120000/https://wire.example/x?id=1\"\n  date: \"2026-12-06T12:00:00Z\"", fake.base)), "{recorded}");
    let asked = fake.asked.lock().unwrap().clone();
    assert!(
        asked.iter().any(|(_, t, _)| t
            == "/wayback/available?url=https%3A%2F%2Fnews.example%2Fold-story&timestamp=20180815"),
        "near the article's day: {asked:?}"
    );
    assert_eq!(
        fake.captures(),
        [
            "https://news.example/new-story",
            "https://wire.example/x?id=1"
        ]
    );
    // A second run finds everything recorded and asks nothing.
    let before = fake.asked.lock().unwrap().len();
    let again = archive(&site);
    assert_eq!(
        text(&again).trim(),
        "Every cited story has an archived copy (3 recorded in data/archive.yaml)"
    );
    assert_eq!(fake.asked.lock().unwrap().len(), before);
    // Pages carry both links.
    site.build();
    let page = site.read("2018/08/15/a0/index.html");
    let a = link_attrs(&page, "article__original");
    assert_eq!(a["href"], "https://news.example/old-story");
    assert_eq!(a["data-originalurl"], "https://news.example/old-story");
    assert_eq!(
        a["data-versionurl"],
        format!(
            "{}/web/20180815093000/https://news.example/old-story",
            fake.base
        )
    );
    assert_eq!(a["data-versiondate"], "2018-08-15");
    let copy = link_attrs(&page, "source__archived");
    assert_eq!(copy["href"], a["data-versionurl"]);
    assert_eq!(copy["aria-label"], "archived copy: Wire");
    let list = site.read("index.html");
    // The newest article first: its source was captured today.
    let first = link_attrs(&list, "item__source");
    assert_eq!(first["data-originalurl"], "https://wire.example/x?id=1");
    assert_eq!(
        first["data-versiondate"], "2018-08-15",
        "the day the article linked it"
    );
    let feed = site.read("atom.xml");
    assert!(feed.contains(&format!("<link rel=\"related\" type=\"text/html\" href=\"{}/web/20180815093000/https://news.example/old-story\" title=\"archived copy: Wire\"/>", fake.base)), "{feed}");
}

#[test]
fn a_429_is_waited_out_as_its_retry_after_says() {
    let sources = vec!["https://news.example/busy".to_string()];
    let fake = fake_archive(&[], 2, Duration::ZERO);
    let site = site(&fake.settings(), &sources);
    let started = Instant::now();
    let out = archive(&site);
    let took = started.elapsed();
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        took >= Duration::from_secs(2),
        "two 429s with Retry-After: 1 wait 2 s, took {took:?}"
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert_eq!(
        fake.captures().len(),
        3,
        "refused twice with 429, then taken"
    );
    assert!(record(&site).contains("/web/20261206120000/https://news.example/busy"));
}

#[test]
fn a_run_killed_halfway_loses_nothing_and_the_next_records_each_once() {
    let sources: Vec<String> = (0..6)
        .map(|n| format!("https://news.example/story-{n}"))
        .collect();
    let fake = fake_archive(&[], 0, Duration::from_millis(400));
    let site = site(&fake.settings(), &sources);
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["archive", "--root"])
        .arg(site.root())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while common::count(&record(&site), "  url: ") < 2 {
        assert!(started.elapsed() < Duration::from_secs(20), "no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let halfway = record(&site);
    let done_before: Vec<&String> = sources
        .iter()
        .filter(|u| halfway.contains(&format!("\"{u}\":")))
        .collect();
    assert!(done_before.len() >= 2 && done_before.len() < 6, "{halfway}");
    let captures_before = fake.captures().len();
    let out = archive(&site);
    assert!(out.status.success(), "{}", text(&out));
    let all = record(&site);
    for url in &sources {
        assert_eq!(
            common::count(&all, &format!("\"{url}\":")),
            1,
            "{url} once: {all}"
        );
    }
    let captures = fake.captures();
    for url in done_before {
        assert_eq!(
            captures.iter().filter(|c| *c == url).count(),
            1,
            "{url} was not captured again"
        );
    }
    assert!(captures.len() <= captures_before + 6 - 2);
}

#[test]
fn a_dead_source_leads_with_its_archived_copy_and_one_without_a_copy_is_a_warning() {
    let web = TestWeb::start(&[
        ("/gone", Reply::status(410)),
        ("/lost", Reply::status(404)),
        ("/fine", Reply::html("<title>ok</title>")),
    ]);
    let (gone, lost, fine) = (web.url("/gone"), web.url("/lost"), web.url("/fine"));
    let copy = "https://web.archive.org/web/20180815093000/gone".to_string();
    let site = site("", &[gone.clone(), lost.clone(), fine.clone()]);
    site.write(
        "data/archive.yaml",
        &format!("\"{gone}\":\n  url: \"{copy}\"\n  date: \"2018-08-15T09:30:00Z\"\n"),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["check", "--external", "--root"])
        .arg(site.root())
        .env("GAZETTE_HTTP_TIMEOUT_MS", "2000")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "gone links are problems: {}",
        text(&out)
    );
    let recorded = record(&site);
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert!(recorded.contains(&format!("\"{gone}\":\n  url: \"{copy}\"\n  date: \"2018-08-15T09:30:00Z\"\n  state: \"dead\"\n  checked: \"{today}\"")), "{recorded}");
    assert!(
        recorded.contains(&format!("\"{lost}\":\n  state: \"dead\"")),
        "{recorded}"
    );
    assert!(
        recorded.contains(&format!("\"{fine}\":\n  state: \"alive\"")),
        "{recorded}"
    );
    // The next build, from the record alone (the server is gone too).
    drop(web);
    let report = site.build();
    let warnings = common::lines(&report.warnings);
    assert!(warnings.contains(&format!("content/a1.md:6: the source {lost} is no longer available (check --external found it gone) and has no archived copy; run `gazette archive` to find one, or cite another address")), "{warnings:?}");
    let page = site.read("2018/08/15/a0/index.html");
    let a = link_attrs(&page, "article__original");
    assert_eq!(a["href"], copy, "the archived copy leads");
    assert_eq!(a["data-originalurl"], gone);
    assert_eq!(a["data-versionurl"], copy);
    assert!(page.contains("original no longer available"), "{page}");
    let page = site.read("2018/08/15/a2/index.html");
    assert_eq!(link_attrs(&page, "article__original")["href"], fine);
}

#[test]
fn add_asks_for_a_copy_of_the_story_it_drafts_when_site_toml_says_so() {
    let web = TestWeb::start(&[("/story", Reply::html("<!doctype html><title>Harbour reopens | Wire</title><meta property=\"og:description\" content=\"Ships return.\">"))]);
    let fake = fake_archive(&[], 0, Duration::ZERO);
    let site = site(&format!("{}capture_on_add = true\n", fake.settings()), &[]);
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["add", &web.url("/story"), "--root"])
        .arg(site.root())
        .env("GAZETTE_HTTP_TIMEOUT_MS", "2000")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "Archived copy recorded in data/archive.yaml"
    );
    assert_eq!(fake.captures(), [web.url("/story")]);
    assert!(record(&site).contains(&format!(
        "\"{}\":\n  url: \"{}/web/20261206120000/{}\"",
        web.url("/story"),
        fake.base,
        web.url("/story")
    )));
    // Off by default: add asks the archive nothing.
    let plain = site_without_archive();
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["add", &web.url("/story"), "--root"])
        .arg(plain.root())
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        text(&out)
    );
    assert!(!plain.root().join("data/archive.yaml").exists());
}

fn site_without_archive() -> TestSite {
    TestSite::new(SITE_TOML, &[])
}
