//! `gazette serve` over real HTTP, and `gazette new` / `gazette init`.

use crate::common;

use common::{article, TestSite, SITE_TOML};
use gazette::app::serve::{listen, State};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A raw HTTP/1.1 request, so paths reach the server exactly as written.
fn request(addr: SocketAddr, method: &str, target: &str) -> (u16, String, Vec<u8>) {
    request_with(addr, method, target, "")
}

/// A request with more header lines (each ending in `\r\n`).
fn request_with(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &str,
) -> (u16, String, Vec<u8>) {
    let raw =
        format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n");
    exchange(addr, raw.as_bytes())
}

/// Sends `raw` as it is and reads the answer until the server closes the connection.
fn exchange(addr: SocketAddr, raw: &[u8]) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(raw).unwrap();
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

/// Reads one answer from a kept-alive connection: the head, then Content-Length bytes.
fn read_response(reader: &mut BufReader<TcpStream>) -> (u16, String, Vec<u8>) {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "closed: {head}");
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let length = header(&head, "Content-Length").map_or(0, |l| l.parse().unwrap());
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head.trim_end().to_string(), body)
}

/// The value of a header of `head` (names are case-insensitive).
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (n, value) = line.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// A number field of this process's /proc/self/status (`VmRSS` in kB, `Threads`).
fn proc_status(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .unwrap();
    line.split_whitespace().next().unwrap().parse().unwrap()
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

/// Old addresses of imported posts (tests/fixtures/import) are pages like any other.
#[test]
fn serves_the_redirect_pages_of_old_addresses() {
    let site = TestSite::fixture("import");
    site.build();
    let state = Arc::new(State::new(site.public(), "/blog/"));
    let server = listen(TcpListener::bind("127.0.0.1:0").unwrap(), state).unwrap();
    for target in [
        "/blog/old-welcome/",
        "/blog/2019/old.html",
        "/blog/topics/eu/",
    ] {
        let (status, _, body) = get(server.addr, target);
        assert_eq!(status, 200, "{target}");
        assert!(body.contains("http-equiv=\"refresh\""), "{target}: {body}");
    }
    let (status, _, body) = get(server.addr, "/blog/topics/eu/atom.xml");
    assert_eq!(status, 200);
    assert!(body.contains("This feed has moved"));
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

/// Connections are tasks on a small runtime, not threads: hundreds of idle ones (silent,
/// or stuck halfway through a request line) neither hold up a request nor add threads.
#[test]
fn idle_connections_hold_up_no_request_and_take_no_thread_each() {
    let (_site, addr) = served_site();
    assert_eq!(get(addr, "/digest/style.css").0, 200);
    let threads = proc_status("Threads");
    let idle: Vec<TcpStream> = (0..300)
        .map(|i| {
            let mut stream = TcpStream::connect(addr).unwrap();
            if i % 2 == 1 {
                stream.write_all(b"GET /digest/ HT").unwrap();
            }
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    let (status, _, body) = get(addr, "/digest/style.css");
    assert_eq!(status, 200);
    assert!(!body.is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    let now = proc_status("Threads");
    assert!(now < threads + 100, "{threads} threads before, {now} after");
    drop(idle);
}

#[test]
fn one_connection_carries_several_requests() {
    let (_site, addr) = served_site();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for (path, wanted) in [
        ("/digest/style.css", "text/css; charset=utf-8"),
        ("/digest/2018/08/15/kim/", "text/html; charset=utf-8"),
        ("/digest/robots.txt", "text/plain; charset=utf-8"),
    ] {
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let (status, head, body) = read_response(&mut reader);
        assert_eq!(status, 200, "{path}");
        assert_eq!(header(&head, "Content-Type"), Some(wanted), "{path}");
        assert_ne!(header(&head, "Connection"), Some("close"), "{path}");
        assert!(!body.is_empty(), "{path}");
    }
}

/// A file of the site that is far larger than the server should hold in memory.
fn sparse_file(site: &TestSite, name: &str, len: u64) {
    let file = std::fs::File::create(site.public().join(name)).unwrap();
    file.set_len(len).unwrap();
}

#[test]
fn large_files_are_streamed_as_the_client_reads() {
    let (site, addr) = served_site();
    sparse_file(&site, "big.bin", 300 << 20);
    let before = proc_status("VmRSS");
    let slow: Vec<TcpStream> = (0..5)
        .map(|_| {
            let mut stream = TcpStream::connect(addr).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            write!(
                stream,
                "GET /digest/big.bin HTTP/1.1\r\nHost: {addr}\r\n\r\n"
            )
            .unwrap();
            let mut first = [0; 4096];
            stream.read_exact(&mut first).unwrap();
            let head = String::from_utf8_lossy(&first).to_string();
            assert!(head.starts_with("HTTP/1.1 200"), "{head}");
            assert_eq!(header(&head, "Content-Length"), Some("314572800"));
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    let grown = proc_status("VmRSS").saturating_sub(before);
    assert!(grown < 64 * 1024, "memory grew by {grown} kB");
    assert_eq!(get(addr, "/digest/style.css").0, 200);
    drop(slow);
}

#[test]
fn ranges_of_a_file_are_answered_with_206() {
    let (site, addr) = served_site();
    std::fs::write(site.public().join("letters.txt"), "0123456789abcdefghij").unwrap();
    let path = "/digest/letters.txt";
    let (status, head, body) = request(addr, "GET", path);
    assert_eq!(status, 200);
    assert_eq!(header(&head, "Accept-Ranges"), Some("bytes"));
    assert_eq!(body, b"0123456789abcdefghij");
    let range = |spec: &str| request_with(addr, "GET", path, &format!("Range: {spec}\r\n"));
    for (spec, part, content_range) in [
        ("bytes=2-5", "2345", "bytes 2-5/20"),
        ("bytes=15-", "fghij", "bytes 15-19/20"),
        ("bytes=-3", "hij", "bytes 17-19/20"),
        ("bytes=10-99", "abcdefghij", "bytes 10-19/20"),
    ] {
        let (status, head, body) = range(spec);
        assert_eq!(status, 206, "{spec}");
        assert_eq!(
            header(&head, "Content-Range"),
            Some(content_range),
            "{spec}"
        );
        assert_eq!(
            header(&head, "Content-Length"),
            Some(part.len().to_string().as_str())
        );
        assert_eq!(String::from_utf8_lossy(&body), part, "{spec}");
    }
    for spec in ["bytes=20-", "bytes=-0"] {
        let (status, head, _) = range(spec);
        assert_eq!(status, 416, "{spec}");
        assert_eq!(header(&head, "Content-Range"), Some("bytes */20"), "{spec}");
    }
    // Several ranges get the whole file; so does an If-Range for another version.
    let (status, _, body) = range("bytes=0-1,4-5");
    assert_eq!((status, body.len()), (200, 20));
    let (status, _, body) = request_with(
        addr,
        "GET",
        path,
        "Range: bytes=2-5\r\nIf-Range: \"old\"\r\n",
    );
    assert_eq!((status, body.len()), (200, 20));
    // A page served with the live-reload script is always sent whole.
    let (status, head, body) = request_with(
        addr,
        "GET",
        "/digest/2018/08/15/kim/",
        "Range: bytes=0-9\r\n",
    );
    assert_eq!(status, 200);
    assert_eq!(header(&head, "Content-Range"), None);
    assert!(String::from_utf8_lossy(&body).contains("/__gazette/events"));
}

/// Every header line of `head` but the date, in order.
fn without_date(head: &str) -> Vec<&str> {
    head.lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("date:"))
        .collect()
}

#[test]
fn head_answers_with_the_headers_of_get_and_no_body() {
    let (site, addr) = served_site();
    for path in [
        "/digest/style.css",
        "/digest/2018/08/15/kim/",
        "/digest/no/such/page/",
    ] {
        let (status, head, body) = request(addr, "GET", path);
        let (head_status, head_head, head_body) = request(addr, "HEAD", path);
        assert_eq!(head_status, status, "{path}");
        assert!(head_body.is_empty(), "{path}");
        assert_eq!(
            header(&head_head, "Content-Length"),
            Some(body.len().to_string().as_str()),
            "{path}"
        );
        assert_eq!(without_date(&head_head), without_date(&head), "{path}");
        if status == 200 {
            assert!(header(&head_head, "ETag").is_some(), "{path}: {head_head}");
        }
    }
    // The length of a file far too large to read in the time allowed.
    sparse_file(&site, "huge.bin", 1 << 30);
    let started = Instant::now();
    let (status, head, body) = request(addr, "HEAD", "/digest/huge.bin");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(status, 200);
    assert!(body.is_empty());
    assert_eq!(header(&head, "Content-Length"), Some("1073741824"));
    assert!(header(&head, "ETag").is_some(), "{head}");
    assert_eq!(header(&head, "Accept-Ranges"), Some("bytes"));
}

#[test]
fn browsers_revalidate_and_get_304_for_what_they_have() {
    let (site, addr) = served_site();
    for path in ["/digest/style.css", "/digest/2018/08/15/kim/"] {
        let (status, head, _) = request(addr, "GET", path);
        assert_eq!(status, 200);
        assert_eq!(header(&head, "Cache-Control"), Some("no-cache"), "{path}");
        let etag = header(&head, "ETag").expect("an ETag").to_string();
        let modified = header(&head, "Last-Modified").expect("a date").to_string();
        let ask = |line: String| request_with(addr, "GET", path, &format!("{line}\r\n"));
        for line in [
            format!("If-None-Match: {etag}"),
            format!("If-None-Match: \"other\", W/{etag}"),
            format!("If-Modified-Since: {modified}"),
        ] {
            let (status, head, body) = ask(line.clone());
            assert_eq!(status, 304, "{path}, {line}");
            assert!(body.is_empty(), "{path}, {line}");
            assert_eq!(header(&head, "ETag"), Some(etag.as_str()), "{path}");
        }
        let (status, _, body) = ask("If-None-Match: \"other\"".into());
        assert_eq!(status, 200, "{path}");
        assert!(!body.is_empty());
    }
    // A rebuild replaces the file: the tag the browser has no longer matches.
    let (_, head, _) = get(addr, "/digest/style.css");
    let etag = header(&head, "ETag").unwrap().to_string();
    let style = site.public().join("style.css");
    std::fs::write(site.public().join("style.css.new"), "body { color: red }").unwrap();
    std::fs::rename(site.public().join("style.css.new"), &style).unwrap();
    let (status, head, body) = request_with(
        addr,
        "GET",
        "/digest/style.css",
        &format!("If-None-Match: {etag}\r\n"),
    );
    assert_eq!(status, 200);
    assert_ne!(header(&head, "ETag"), Some(etag.as_str()));
    assert_eq!(body, b"body { color: red }");
}

#[test]
fn malformed_requests_get_400_and_other_methods_405() {
    let (_site, addr) = served_site();
    assert_eq!(exchange(addr, b"\x00\xff\xfe garbage\r\n\r\n").0, 400);
    let mut invalid_utf8 = b"GET /digest/\xff\xfe HTTP/1.1\r\n".to_vec();
    invalid_utf8.extend(format!("Host: {addr}\r\nConnection: close\r\n\r\n").bytes());
    assert_eq!(exchange(addr, &invalid_utf8).0, 400);
    for target in ["/digest/%ff", "/digest/%zz", "/digest/%e2%82", "/digest/%"] {
        assert_eq!(get(addr, target).0, 400, "{target}");
    }
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let (status, head, _) = request(addr, method, "/digest/");
        assert_eq!(status, 405, "{method}");
        assert_eq!(header(&head, "Allow"), Some("GET, HEAD"), "{method}");
    }
    for method in ["PUT", "DELETE"] {
        let (status, head, body) = request(addr, method, "/__gazette/add");
        assert_eq!(status, 405, "{method}");
        assert_eq!(header(&head, "Allow"), Some("GET, HEAD, POST"), "{method}");
        assert_eq!(
            body,
            b"Only GET, HEAD and POST (the page's form) are supported here.\n"
        );
    }
    assert_eq!(get(addr, "/digest/style.css").0, 200);
}

/// A page elsewhere cannot read the preview by pointing its own host name at 127.0.0.1
/// (DNS rebinding): only requests for this server's own names are answered.
#[test]
fn only_requests_for_this_server_are_answered() {
    let (_site, addr) = served_site();
    let port = addr.port();
    let ask = |target: &str, host: &str| {
        let raw = format!("GET {target} HTTP/1.1\r\n{host}Connection: close\r\n\r\n");
        exchange(addr, raw.as_bytes())
    };
    for host in [
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(
            ask("/digest/", &format!("Host: {host}\r\n")).0,
            200,
            "{host}"
        );
    }
    for host in [
        format!("evil.example:{port}"),
        "localhost:1".to_string(),
        "localhost".to_string(),
        "127.0.0.1".to_string(),
    ] {
        let (status, head, body) = ask("/digest/", &format!("Host: {host}\r\n"));
        assert_eq!(status, 403, "{host}");
        assert_eq!(
            header(&head, "Content-Type"),
            Some("text/plain; charset=utf-8")
        );
        let body = String::from_utf8_lossy(&body);
        assert!(
            body.contains(&format!("localhost:{port}, 127.0.0.1:{port}")),
            "{body}"
        );
    }
    let host = format!("Host: evil.example:{port}\r\n");
    assert_eq!(ask("/__gazette/events", &host).0, 403);
    let target = format!("http://evil.example:{port}/digest/");
    let host = format!("Host: {addr}\r\n");
    assert_eq!(ask(&target, &host).0, 403, "the host a target names counts");
    assert_eq!(ask("/digest/", "").0, 400, "no Host");
}

pub(crate) struct Serve {
    pub(crate) child: Child,
    pub(crate) url: String,
    /// The line printed after the URL (the bookmarklet).
    pub(crate) next_line: String,
    /// The lines printed after it, as they come.
    pub(crate) later: Arc<Mutex<Vec<String>>>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_serve(site: &TestSite) -> Serve {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root());
    spawn_serve(command)
}

/// Runs a `gazette serve` command and waits for the URL it prints and the line after.
pub(crate) fn spawn_serve(mut command: Command) -> Serve {
    let mut child = command
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
    let next_line = lines
        .next()
        .expect("serve printed its bookmarklet")
        .unwrap();
    let later = Arc::new(Mutex::new(Vec::new()));
    let sink = later.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    Serve {
        child,
        url,
        next_line,
        later,
    }
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
        .set_read_timeout(Some(Duration::from_secs(30)))
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
    assert_eq!(get(addr, "/search-index/manifest.json").0, 200);
    assert!(!index_has(addr, "zeppelin"));
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
        let (status, _, _) = get(addr, "/search-index/manifest.json");
        assert_eq!(status, 200, "the index is never missing");
        if index_has(addr, "zeppelin") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the index never got the new words"
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
        .join("content/2018/08/2018-08-15-putin-ready-to-meet-kim.md");
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
    let out = run(&[
        "Putin ready to meet Kim",
        "--date",
        "2018-08-15T18:00:00+09:00",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "error: content/2018/08/2018-08-15-putin-ready-to-meet-kim.md already exists; choose another title or pass --slug\n");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited by hand");
    // The same headline on another day is a file (and a URL) of its own.
    let out = run(&["Putin ready to meet Kim", "--date", "2018-08-20"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site
        .root()
        .join("content/2018/08/2018-08-20-putin-ready-to-meet-kim.md")
        .exists());
    std::fs::write(
        &path,
        "---\ntitle: Putin ready to meet Kim\ndate: 2018-08-15\n---\nMine.\n",
    )
    .unwrap();
    site.build();
    assert!(site.exists("2018/08/15/putin-ready-to-meet-kim/index.html"));
    assert!(site.exists("2018/08/20/putin-ready-to-meet-kim/index.html"));

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
        workflow.contains("releases/download/v$GAZETTE_VERSION"),
        "the site's workflow installs Gazette (see workflows.rs)"
    );
    assert!(workflow.contains("gazette build --strict --base-url"));
    let toml = std::fs::read_to_string(target.join("site.toml")).unwrap();
    // Every key and table docs/site-toml.md lists is in init's, with a comment.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/site-toml.md")).unwrap();
    let block = readme
        .split("## site.toml\n\n```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let keys: Vec<&str> = block
        .lines()
        .filter_map(|l| match l.trim_start() {
            t if t.starts_with('[') => t.split(']').next().map(|k| k.trim_start_matches('[')),
            t => t.split_once(" = ").map(|(k, _)| k.trim()),
        })
        .filter(|k| !k.starts_with('"') && !k.starts_with("editor_note"))
        .collect();
    assert!(keys.len() >= 20, "{keys:?}");
    for key in keys {
        let key = key.split('.').next().unwrap();
        let line = toml
            .lines()
            .position(|l| {
                let l = l.trim_start_matches("# ");
                l.starts_with(&format!("{key} =")) || l.starts_with(&format!("[{key}"))
            })
            .unwrap_or_else(|| panic!("{key} missing from init's site.toml"));
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
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "warning: site.toml:10: `base_url` is still the placeholder https://example.com/, so feeds, the sitemap and newsletters link there; set it to the address the site will live at (such as https://user.github.io/digest/), or pass --base-url\n",
        "the one warning: the placeholder address"
    );
    assert!(target.join("public/topics/meta/index.html").exists());
    let out = common::gazette(
        &[
            "build",
            "--strict",
            "--base-url",
            "https://me.github.io/news/",
            "--root",
        ],
        &target,
    );
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
#[ignore = "needs chromium, chromium-driver and selenium: run scripts/test"]
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
    assert!(
        !site.root().join(".gazette-serve.lock").exists(),
        "and its lock"
    );
}

#[test]
fn a_second_serve_of_a_site_touches_nothing_and_the_first_keeps_answering() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/a.md",
            &article("title: Apples\ndate: 2018-08-15", "x"),
        )],
    );
    let first = start_serve(&site);
    let addr = addr_of(&first.url);
    let before = common::snapshot(&site.root().join(".serve"));
    let lock = std::fs::read_to_string(site.root().join(".gazette-serve.lock")).unwrap();
    let pid = first.child.id();
    assert_eq!(lock, format!("{pid}\n{}\n", first.url));
    for port in ["0", &addr.port().to_string()] {
        let out = common::gazette(&["serve", "--port", port, "--root"], site.root());
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("error: already previewing this site at {} (pid {pid}); open that address, or stop that gazette serve (Ctrl-C) first\n", first.url)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    }
    assert_eq!(common::snapshot(&site.root().join(".serve")), before);
    let (status, _, body) = get(addr, "/");
    assert_eq!(status, 200);
    assert!(body.contains("Apples"), "{body}");
}

#[test]
fn a_lock_left_by_a_killed_serve_is_taken_over() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/a.md",
            &article("title: Apples\ndate: 2018-08-15", "x"),
        )],
    );
    let mut gone = Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    let lock = site.root().join(".gazette-serve.lock");
    std::fs::write(&lock, format!("{dead}\nhttp://127.0.0.1:1/\n")).unwrap();
    let serve = start_serve(&site);
    let text = std::fs::read_to_string(&lock).unwrap();
    assert_eq!(text, format!("{}\n{}\n", serve.child.id(), serve.url));
    let (status, _, body) = get(addr_of(&serve.url), "/");
    assert_eq!(status, 200);
    assert!(body.contains("Apples"), "{body}");
}

/// Seconds of CPU time process `pid` has used (user and system; Linux counts in 1/100 s).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    ticks as f64 / 100.0
}

/// The lines `from` gives, collected by a thread as they come.
pub(crate) fn collect_lines(from: impl Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    lines
}

/// A server out of file descriptors cannot accept the connections waiting for it: it
/// says so once and tries again a little later, instead of trying in a busy loop.
#[test]
fn a_failed_accept_waits_instead_of_spinning() {
    let site = kim_site(SITE_TOML);
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("ulimit -n 64 && exec \"$0\" serve --port 0 --root \"$1\"")
        .arg(env!("CARGO_BIN_EXE_gazette"))
        .arg(site.root());
    let mut serve = spawn_serve(command);
    let stderr = collect_lines(serve.child.stderr.take().unwrap());
    let addr = addr_of(&serve.url);
    assert_eq!(get(addr, "/").0, 200);
    // More connections than it has descriptors: it takes what it can, the rest wait.
    let held: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let pid = serve.child.id();
    let before = cpu_seconds(pid);
    std::thread::sleep(Duration::from_secs(1));
    let busy = cpu_seconds(pid) - before;
    assert!(busy < 0.3, "the server used {busy:.2} s of CPU in 1 s");
    let said = stderr.lock().unwrap().clone();
    // Said once when accepting starts to fail (again, if a descriptor came free in
    // between and the next accept failed anew), never once per retry: that would be a
    // dozen lines in this time.
    let failures = said
        .iter()
        .filter(|l| l.contains("could not accept"))
        .count();
    assert!((1..=3).contains(&failures), "{said:?}");
    drop(held);
    assert_eq!(get(addr, "/").0, 200, "the server recovers");
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

/// Whether serve's search index lists `word` (of a small site, whose leaves are cut by
/// first letter).
fn index_has(addr: SocketAddr, word: &str) -> bool {
    let leaf = format!("/search-index/t/{:02x}.bin", word.as_bytes()[0]);
    let (status, _, bytes) = get(addr, &leaf);
    status == 200 && bytes.contains(word)
}

/// Waits until serve's search index holds `word`.
fn wait_for_index(addr: SocketAddr, word: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !index_has(addr, word) {
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

#[test]
fn serve_never_replaces_a_serve_folder_it_did_not_make() {
    let site = TestSite::new(
        SITE_TOML,
        &[("content/a.md", &article("title: A\ndate: 2018-08-15", "x"))],
    );
    site.write(".serve/notes.txt", "mine");
    let out = common::gazette(&["serve", "--port", "0", "--root"], site.root());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: refusing to start: {} is not a folder that `gazette serve` made (serve replaces it at every start); move it away or rename it\n",
            site.root().join(".serve").display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join(".serve/notes.txt")).unwrap(),
        "mine"
    );
    // What a killed serve left behind is its own, and replaced.
    std::fs::remove_file(site.root().join(".serve/notes.txt")).unwrap();
    site.write(".serve/site/.gazette-output", "");
    site.write(".serve/site/old.html", "old");
    site.write(".serve/.site.staging-99999999-3/sitemap.xml", "<urlset/>");
    let serve = start_serve(&site);
    assert!(!site.root().join(".serve/site/old.html").exists());
    assert!(site.root().join(".serve/.gazette-serve").is_file());
    drop(serve);
    // A removal cut short (the site's marker gone first) leaves serve's own marker, so
    // the folder is still known as serve's and replaced.
    let _ = std::fs::remove_dir_all(site.root().join(".serve"));
    site.write(".serve/.gazette-serve", "");
    site.write(".serve/site/2018/half-removed.html", "x");
    let serve = start_serve(&site);
    assert!(!site
        .root()
        .join(".serve/site/2018/half-removed.html")
        .exists());
    drop(serve);
}

/// `serve` previews every language's tree, and a save in a translation reloads it.
#[test]
fn serve_previews_each_language_and_follows_a_translation() {
    let site = TestSite::new(
        "title = \"t\"\nbase_url = \"https://u.github.io/\"\n[languages.ko]\ntitle = \"티\"\n",
        &[
            (
                "content/2018/08/kim.md",
                &article("title: Kim\ndate: 2018-08-15", "First version."),
            ),
            (
                "content/2018/08/kim.ko.md",
                &article("title: 김\ndate: 2018-08-15", "첫 번째 판."),
            ),
        ],
    );
    let serve = start_serve(&site);
    let addr = addr_of(&serve.url);
    let (status, _, body) = get(addr, "/ko/2018/08/15/kim/");
    assert_eq!(status, 200);
    assert!(
        body.contains("첫 번째 판.") && body.contains("hreflang=en"),
        "{body}"
    );
    assert_eq!(get(addr, "/ko/search-index/manifest.json").0, 200);
    let mut stream = events(addr);
    site.write(
        "content/2018/08/kim.ko.md",
        &article("title: 김\ndate: 2018-08-15", "두 번째 판."),
    );
    next_event(&mut stream, "reload");
    assert!(get(addr, "/ko/2018/08/15/kim/").2.contains("두 번째 판."));
    assert!(get(addr, "/2018/08/15/kim/").2.contains("First version."));
}
