//! `gazette serve`: builds the site (drafts, scheduled and expired articles included) into its own
//! folder, serves it over HTTP under the base URL's path, watches the sources, rebuilds on
//! change and reloads open browser tabs over Server-Sent Events. A failed rebuild keeps
//! the last good site served and shows the problem in the terminal and in the browser.

use crate::pipeline::build::{
    prepare, publish, take_in_markdown_edits, BuildOptions, BuildReport, Prepared,
};
use crate::pipeline::cache::BuildCache;
use anyhow::{Context, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

/// The path of the event stream; outside any site path, so it never clashes with a page.
pub const EVENTS_PATH: &str = "/__gazette/events";

/// The script added to every HTML page served (never to the files on disk).
const LIVE_RELOAD: &str = r#"<script>
(() => {
  const events = new EventSource("/__gazette/events");
  events.onopen = () => { document.documentElement.dataset.gazetteLive = "connected"; };
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("problem", (e) => {
    let box = document.getElementById("gazette-problem");
    if (!box) {
      box = document.createElement("div");
      box.id = "gazette-problem";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;border-top:4px solid #e5484d";
      document.body.appendChild(box);
    }
    box.textContent = "gazette: the last save could not be built; showing the last good version.\n\n" + JSON.parse(e.data);
  });
})();
</script>"#;

/// What the server shares between its threads.
pub struct State {
    /// The folder of the last good build.
    site: RwLock<PathBuf>,
    base_path: String,
    clients: Mutex<Vec<Sender<String>>>,
    /// The problem of the last build, shown to every tab that connects until it is fixed.
    problem: Mutex<Option<String>>,
}

impl State {
    pub fn new(site: PathBuf, base_path: &str) -> State {
        State {
            site: RwLock::new(site),
            base_path: base_path.to_string(),
            clients: Mutex::new(Vec::new()),
            problem: Mutex::new(None),
        }
    }

    /// Sends one event to every open tab, forgetting tabs that have gone.
    pub fn broadcast(&self, event: &str, data: &str) {
        let message = format!(
            "event: {event}\ndata: {}\n\n",
            serde_json::to_string(data).unwrap_or_default()
        );
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(message.clone()).is_ok());
        }
    }

    fn site_dir(&self) -> PathBuf {
        self.site.read().map(|s| s.clone()).unwrap_or_default()
    }
}

/// A running server: its address, and its state for rebuilds.
pub struct Server {
    pub addr: SocketAddr,
    pub state: Arc<State>,
}

/// Serves `state`'s site on `listener` from background threads.
pub fn listen(listener: TcpListener, state: Arc<State>) -> Result<Server> {
    let addr = listener.local_addr()?;
    let shared = state.clone();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let state = shared.clone();
            thread::spawn(move || {
                let _ = handle(stream, &state);
            });
        }
    });
    Ok(Server { addr, state })
}

/// One HTTP answer.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub location: Option<String>,
}

impl Response {
    fn text(status: u16, body: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.as_bytes().to_vec(),
            location: None,
        }
    }
}

fn handle(stream: TcpStream, state: &State) -> Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.by_ref().take(8192).read_line(&mut request_line)?;
    // Read (and ignore) the headers.
    loop {
        let mut line = String::new();
        if reader.by_ref().take(8192).read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut stream = stream;
    if method == "GET" && target == EVENTS_PATH {
        return event_stream(stream, state);
    }
    let response = match method {
        "GET" | "HEAD" => respond(state, target),
        _ => Response::text(405, "Only GET and HEAD are supported.\n"),
    };
    let reason = match response.status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    if let Some(location) = &response.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    if method == "GET" && response.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&response.body)?;
    }
    stream.flush()?;
    Ok(())
}

/// Keeps the connection open and writes every event sent to this tab.
fn event_stream(mut stream: TcpStream, state: &State) -> Result<()> {
    let (tx, rx) = channel();
    // Registered before the tab learns it is connected, so no event is missed.
    state
        .clients
        .lock()
        .map_err(|_| anyhow::anyhow!("lock poisoned"))?
        .push(tx);
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n")?;
    if let Some(problem) = state.problem.lock().ok().and_then(|p| p.clone()) {
        let data = serde_json::to_string(&problem)?;
        stream.write_all(format!("event: problem\ndata: {data}\n\n").as_bytes())?;
    }
    loop {
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(message) => stream.write_all(message.as_bytes())?,
            // A comment keeps the connection alive and finds closed tabs.
            Err(RecvTimeoutError::Timeout) => stream.write_all(b": ping\n\n")?,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        stream.flush()?;
    }
}

/// The answer to a GET for `target`: a file of the site, a folder's `index.html`, the
/// site's 404 page, or a refusal. Never a file outside the site's folder.
pub fn respond(state: &State, target: &str) -> Response {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = crate::util::slug::percent_decode(path) else {
        return Response::text(400, "Bad request.\n");
    };
    if !decoded.starts_with('/') || decoded.contains('\0') || decoded.contains('\\') {
        return Response::text(400, "Bad request.\n");
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Response::text(403, "Forbidden.\n");
    }
    let site = state.site_dir();
    let base = state.base_path.as_str();
    let rel = match decoded.strip_prefix(base) {
        Some(rel) => rel,
        // `/digest` without its slash.
        None if format!("{decoded}/") == base => {
            return Response {
                location: Some(base.to_string()),
                ..Response::text(301, "Moved.\n")
            };
        }
        None if decoded == "/" => {
            return Response {
                location: Some(base.to_string()),
                ..Response::text(302, "The site is served under its base path.\n")
            };
        }
        None => return not_found(&site),
    };
    let mut file = site.join(rel);
    if !Path::new(rel)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        && !rel.is_empty()
    {
        return Response::text(403, "Forbidden.\n");
    }
    if file.is_dir() {
        if !decoded.ends_with('/') {
            return Response {
                location: Some(format!("{path}/")),
                ..Response::text(301, "Moved.\n")
            };
        }
        file = file.join("index.html");
    }
    // Symbolic links may not lead outside the site.
    let (Ok(real), Ok(root)) = (file.canonicalize(), site.canonicalize()) else {
        return not_found(&site);
    };
    if !real.starts_with(&root) {
        return Response::text(403, "Forbidden.\n");
    }
    match std::fs::read(&real) {
        Ok(body) => {
            let content_type = content_type(&real);
            let body = if content_type.starts_with("text/html") {
                inject(body)
            } else {
                body
            };
            Response {
                status: 200,
                content_type,
                body,
                location: None,
            }
        }
        Err(_) => not_found(&site),
    }
}

fn not_found(site: &Path) -> Response {
    match std::fs::read(site.join("404.html")) {
        Ok(body) => Response {
            status: 404,
            content_type: "text/html; charset=utf-8",
            body: inject(body),
            location: None,
        },
        Err(_) => Response::text(404, "Not found.\n"),
    }
}

/// Adds the live-reload script before `</body>`.
fn inject(body: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&body);
    match text.rfind("</body>") {
        Some(i) => format!("{}{LIVE_RELOAD}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{LIVE_RELOAD}").into_bytes(),
    }
}

/// The Content-Type for every kind of file a digest site has.
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => match path.file_name().and_then(|n| n.to_str()) {
            Some("atom.xml") => "application/atom+xml",
            Some("rss.xml") => "application/rss+xml",
            _ => "application/xml",
        },
        Some("txt") => "text/plain; charset=utf-8",
        Some("opml") => "text/x-opml; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("pdf") => "application/pdf",
        Some("mp4") => "video/mp4",
        Some("webm") => "video/webm",
        Some("mp3") => "audio/mpeg",
        Some("wasm") => "application/wasm",
        _ => match path.file_name().and_then(|n| n.to_str()) {
            Some("CNAME" | ".nojekyll") => "text/plain; charset=utf-8",
            _ => "application/octet-stream",
        },
    }
}

/// The folders whose changes rebuild the site (site.toml is watched with the root).
const SOURCE_FOLDERS: [&str; 5] = ["content", "themes", "templates", "static", "data"];

/// Watches each source folder that exists; call again after a change to pick up folders
/// created since (watching a folder twice is harmless).
pub fn watch_source_folders(watcher: &mut notify::RecommendedWatcher, root: &Path) -> Result<()> {
    use notify::{RecursiveMode, Watcher};
    for dir in SOURCE_FOLDERS {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .with_context(|| format!("could not watch {}", path.display()))?;
        }
    }
    Ok(())
}

/// How long the watcher waits for more events of the same save (editors write a temporary
/// file and rename it, or write twice, within a few milliseconds).
const QUIET_MS: u64 = 15;

/// How long a failed rebuild waits for more changes before it reports its problem (a
/// build that read a file midway through its save fails, and the save's last events come
/// within the quiet time after it).
const PROBLEM_GRACE_MS: u64 = 100;

/// Watches the site's sources and sends one message per burst of changes: the paths that
/// changed.
pub fn watch(root: &Path) -> Result<(notify::RecommendedWatcher, Receiver<Vec<PathBuf>>)> {
    use notify::{RecursiveMode, Watcher};
    let (raw_tx, raw_rx) = channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(raw_tx)?;
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .with_context(|| format!("could not watch {}", root.display()))?;
    watch_source_folders(&mut watcher, root)?;
    let (tx, rx) = channel();
    let root = root.to_path_buf();
    thread::spawn(move || {
        let relevant = |event: &notify::Event| {
            !matches!(event.kind, notify::EventKind::Access(_))
                && event.paths.iter().any(|p| {
                    let name = p
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_default();
                    let top = p
                        .strip_prefix(&root)
                        .ok()
                        .and_then(|r| r.components().next())
                        .map(|c| c.as_os_str().to_string_lossy().to_string());
                    let watched_top = top
                        .as_deref()
                        .is_some_and(|t| t == "site.toml" || SOURCE_FOLDERS.contains(&t));
                    watched_top
                        && !crate::util::fs::is_ignored(&name)
                        && !name.ends_with(".kate-swp")
                        && !name.starts_with(".#")
                })
        };
        while let Ok(first) = raw_rx.recv() {
            let mut paths = match first {
                Ok(event) if relevant(&event) => event.paths,
                _ => continue,
            };
            // Editors save in bursts (temp file, rename, second write): wait for quiet.
            let started = Instant::now();
            loop {
                match raw_rx.recv_timeout(Duration::from_millis(QUIET_MS)) {
                    Ok(event) => {
                        match event {
                            Ok(event) if relevant(&event) => paths.extend(event.paths),
                            Ok(_) => {}
                            // A missed event (queue overflow): say that anything may have changed.
                            Err(_) => paths.push(root.clone()),
                        }
                        if started.elapsed() >= Duration::from_millis(300) {
                            break;
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            paths.sort();
            paths.dedup();
            if tx.send(paths).is_err() {
                return;
            }
        }
    });
    Ok((watcher, rx))
}

/// Serves the site at `options.root` until Ctrl-C.
pub fn run(options: BuildOptions, addr: SocketAddr, quiet: bool) -> Result<()> {
    let config = crate::config::SiteConfig::load(&options.root)?;
    let work = options.root.join(".serve");
    crate::util::fs::remove_dir_all_if_exists(&work)?;
    crate::util::fs::create_dir_all(&work)?;
    // Bind first, so the URL (and a port chosen by the system for --port 0) is known.
    let listener = TcpListener::bind(addr).with_context(|| {
        format!("could not listen on {addr}; is another server using the port? Try --port")
    })?;
    let listener_addr = listener.local_addr()?;
    let url = format!("http://{listener_addr}{}", config.base_path);
    let mut options = options;
    // The watcher reports absolute paths; an absolute root lets them be matched.
    options.root = options
        .root
        .canonicalize()
        .with_context(|| format!("could not find {}", options.root.display()))?;
    options.base_url = Some(url.clone());
    options.drafts = true;
    options.future = true;
    options.expired = true;
    options.serve = true;
    options.output = Some(work.join("site"));

    // Rebuilds reuse everything that did not change: articles whose files are the same,
    // their rendered Markdown, and pages whose inputs are the same. Each changed file is
    // replaced with one rename, so a request sees either the old or the new version.
    let mut cache = BuildCache {
        trust_output: true,
        keep_search_words: true,
        ..Default::default()
    };
    cache.articles.enabled = true;
    let state = Arc::new(State::new(work.join("site"), &config.base_path));
    // The last site loaded: a save that changes only articles' Markdown is taken into it,
    // and only the pages showing those articles are rendered again.
    let mut last: Option<Prepared> = None;
    let rebuild =
        |cache: &mut BuildCache, last: &mut Option<Prepared>, changed: Option<&[PathBuf]>| {
            let started = Instant::now();
            let first = changed.is_none();
            // The browser reloads as soon as the pages are in place; the search index and
            // sitemaps follow.
            let pages_ready = || {
                if let Ok(mut problem) = state.problem.lock() {
                    *problem = None;
                }
                if !first {
                    state.broadcast("reload", "");
                }
            };
            let mut build = || -> Result<BuildReport> {
                if let (Some(paths), Some(prepared)) = (changed, last.as_mut()) {
                    if take_in_markdown_edits(&options, cache, prepared, paths) {
                        return publish(&options, cache, prepared, started, &pages_ready);
                    }
                }
                if let Some(previous) = last.take() {
                    cache.keep_markdown(previous.site);
                }
                let (prepared, _) = prepare(&options, cache)?;
                let report = publish(&options, cache, &prepared, started, &pages_ready)?;
                *last = Some(prepared);
                Ok(report)
            };
            let result = build();
            if result.is_err() {
                *last = None;
            }
            match result {
                Ok(report) => {
                    for w in &report.warnings {
                        eprintln!("warning: {w}");
                    }
                    if !quiet {
                        println!(
                            "{} {} articles in {:.0} ms ({} pages rendered, {} files changed)",
                            if first { "Built" } else { "Rebuilt" },
                            report.articles,
                            started.elapsed().as_secs_f64() * 1000.0,
                            report.rendered,
                            report.changed
                        );
                    }
                }
                Err(e) => return Some(crate::problem::describe(&e)),
            }
            None
        };
    let report = |text: String| {
        eprintln!("{text}");
        if let Ok(mut problem) = state.problem.lock() {
            *problem = Some(text.clone());
        }
        state.broadcast("problem", &text);
    };
    // Ctrl-C removes serve's folder and stops; set before anything can be interrupted.
    let cleanup = work.clone();
    ctrlc::set_handler(move || {
        let _ = std::fs::remove_dir_all(&cleanup);
        println!("\nStopped.");
        std::process::exit(0);
    })
    .context("could not set the Ctrl-C handler")?;
    if let Some(problem) = rebuild(&mut cache, &mut last, None) {
        report(problem);
    }
    // Watch before telling anyone the URL, so no save after that is missed.
    let (mut watcher, changes) = watch(&options.root)?;
    let _server = listen(listener, state.clone())?;
    println!("Serving {} at {url} (Ctrl-C to stop)", config.title);

    while let Ok(mut paths) = changes.recv() {
        loop {
            // A `templates/` or `static/` folder made after start is watched from now on.
            if let Err(e) = watch_source_folders(&mut watcher, &options.root) {
                eprintln!("warning: {e:#}");
            }
            let Some(problem) = rebuild(&mut cache, &mut last, Some(&paths)) else {
                break;
            };
            // A build can read a file while it is being saved (an empty file, half a
            // file) and fail. The save's own events then follow within the watcher's quiet
            // time: build again with them, and report only a problem that stays.
            match changes.recv_timeout(Duration::from_millis(PROBLEM_GRACE_MS)) {
                Ok(more) => paths = more,
                Err(_) => {
                    report(problem);
                    break;
                }
            }
        }
    }
    Ok(())
}
