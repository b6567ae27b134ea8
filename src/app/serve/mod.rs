//! `gazette serve`: builds the site (drafts, scheduled and expired articles included) into its own
//! folder, serves it over HTTP under the base URL's path, watches the sources, rebuilds on
//! change and reloads open browser tabs over Server-Sent Events. A failed rebuild keeps
//! the last good site served and shows the problem in the terminal and in the browser.
//! This module owns the watch-and-rebuild loop and the state shared with the server;
//! [`http`] owns the HTTP server, [`files`] the answers with the site's files and
//! [`bookmarklet`] the link that adds the page a browser shows to the digest.

mod add_page;
mod bookmarklet;
mod files;
mod http;
mod inbox_page;
mod lock;

use crate::pipeline::build::{prepare, BuildOptions, BuildReport, Prepared};
use crate::pipeline::cache::BuildCache;
use crate::pipeline::edits::{self, Edited};
use crate::pipeline::options::Delivery;
use crate::pipeline::publish::publish;
use crate::util::plural;
use anyhow::{Context, Result};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

pub use bookmarklet::{Adder, ADD_PATH};
pub use files::content_type;
pub use http::{listen, Server, EVENTS_PATH};
pub use inbox_page::INBOX_PATH;
pub use lock::LOCK_FILE;

/// What the server shares between its connections and the rebuild loop.
pub struct State {
    /// The folder of the last good build.
    site: RwLock<PathBuf>,
    base_path: String,
    /// One sender per open event stream (browser tab); sending needs no runtime, so the
    /// rebuild loop's plain threads can broadcast.
    clients: Mutex<Vec<UnboundedSender<String>>>,
    /// The problem of the last build, shown to every tab that connects until it is fixed.
    problem: Mutex<Option<String>>,
    /// What the bookmarklet's requests need; without it they are refused.
    adder: Option<Arc<Adder>>,
}

impl State {
    pub fn new(site: PathBuf, base_path: &str) -> State {
        State {
            site: RwLock::new(site),
            base_path: base_path.to_string(),
            clients: Mutex::new(Vec::new()),
            problem: Mutex::new(None),
            adder: None,
        }
    }

    /// The same state, answering the bookmarklet's requests for the site `adder` names.
    pub fn with_adder(self, adder: Adder) -> State {
        State {
            adder: Some(Arc::new(adder)),
            ..self
        }
    }

    /// Sends one event to every open tab, forgetting tabs that have gone.
    pub fn broadcast(&self, event: &str, data: &str) {
        let message = event_message(event, data);
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(message.clone()).is_ok());
        }
    }

    /// Registers a new tab: the events sent to it from now on, and the current problem.
    /// Registered before the tab learns it is connected, so no event is missed.
    fn subscribe(&self) -> (UnboundedReceiver<String>, Option<String>) {
        let (tx, rx) = unbounded_channel();
        if let Ok(mut clients) = self.clients.lock() {
            clients.push(tx);
        }
        let problem = self.problem.lock().ok().and_then(|p| p.clone());
        (rx, problem)
    }

    fn site_dir(&self) -> PathBuf {
        self.site.read().map(|s| s.clone()).unwrap_or_default()
    }
}

/// One server-sent event; the data is a JSON string, so it is always one line.
fn event_message(event: &str, data: &str) -> String {
    format!(
        "event: {event}\ndata: {}\n\n",
        serde_json::to_string(data).unwrap_or_default()
    )
}

/// The folders whose changes rebuild the site (site.toml is watched with the root).
const SOURCE_FOLDERS: [&str; 6] = ["content", "themes", "templates", "static", "data", "i18n"];

/// The source folders being watched, each with its identity (device and inode), so a
/// folder made after start, or removed and made again, is watched anew.
pub type Watched = Vec<(PathBuf, (u64, u64))>;

/// Watches each source folder that exists and is not watched yet; call again after a
/// change to pick up folders created since. Watching a folder walks all of it (a watch per
/// subfolder), so folders already watched are left alone: on a big `content/` that walk
/// took a good part of each rebuild.
pub fn watch_source_folders(
    watcher: &mut notify::RecommendedWatcher,
    root: &Path,
    watched: &mut Watched,
) -> Result<()> {
    use notify::{RecursiveMode, Watcher};
    for dir in SOURCE_FOLDERS {
        let path = root.join(dir);
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if !meta.is_dir() {
            continue;
        }
        let id = folder_id(&meta);
        if watched.iter().any(|(p, known)| *p == path && *known == id) {
            continue;
        }
        watcher
            .watch(&path, RecursiveMode::Recursive)
            .with_context(|| format!("could not watch {}", path.display()))?;
        watched.retain(|(p, _)| *p != path);
        watched.push((path, id));
    }
    Ok(())
}

#[cfg(unix)]
fn folder_id(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn folder_id(meta: &std::fs::Metadata) -> (u64, u64) {
    // No inode: a folder is known by its creation time.
    let created = meta
        .created()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    (0, created)
}

/// How long the watcher waits for more events of the same save (editors write a temporary
/// file and rename it, or write twice, within a few milliseconds).
const QUIET_MS: u64 = 15;

/// How long a failed rebuild waits for more changes before it reports its problem (a
/// build that read a file midway through its save fails, and the save's last events come
/// within the quiet time after it).
const PROBLEM_GRACE_MS: u64 = 100;

/// Whether a watcher's event is about a source of the site: `site.toml` or a file in a
/// source folder, not an editor's leftover, and not a mere read.
fn is_relevant(root: &Path, event: &notify::Event) -> bool {
    !matches!(event.kind, notify::EventKind::Access(_))
        && event.paths.iter().any(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let top = p
                .strip_prefix(root)
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
}

/// The paths of one burst of changes, starting with `paths`: editors save in bursts (temp
/// file, rename, second write), so events are taken until the watcher is quiet (or for at
/// most 300 ms). `None` when the watcher is gone.
fn burst(
    root: &Path,
    raw_rx: &Receiver<notify::Result<notify::Event>>,
    mut paths: Vec<PathBuf>,
) -> Option<Vec<PathBuf>> {
    let started = Instant::now();
    loop {
        match raw_rx.recv_timeout(Duration::from_millis(QUIET_MS)) {
            Ok(event) => {
                match event {
                    Ok(event) if is_relevant(root, &event) => paths.extend(event.paths),
                    Ok(_) => {}
                    // A missed event (queue overflow): say that anything may have changed.
                    Err(_) => paths.push(root.to_path_buf()),
                }
                if started.elapsed() >= Duration::from_millis(300) {
                    return Some(paths);
                }
            }
            Err(RecvTimeoutError::Timeout) => return Some(paths),
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
}

/// Watches the site's sources and sends one message per burst of changes: the paths that
/// changed.
pub fn watch(root: &Path) -> Result<(notify::RecommendedWatcher, Watched, Receiver<Vec<PathBuf>>)> {
    use notify::{RecursiveMode, Watcher};
    let (raw_tx, raw_rx) = channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(raw_tx)?;
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .with_context(|| format!("could not watch {}", root.display()))?;
    let mut watched = Watched::new();
    watch_source_folders(&mut watcher, root, &mut watched)?;
    let (tx, rx) = channel();
    let root = root.to_path_buf();
    thread::spawn(move || {
        while let Ok(first) = raw_rx.recv() {
            let paths = match first {
                Ok(event) if is_relevant(&root, &event) => event.paths,
                _ => continue,
            };
            let Some(mut paths) = burst(&root, &raw_rx, paths) else {
                return;
            };
            paths.sort();
            paths.dedup();
            if tx.send(paths).is_err() {
                return;
            }
        }
    });
    Ok((watcher, watched, rx))
}

/// Removes serve's folder, its marker last: removal cut short leaves a folder the next
/// `serve` still knows as its own.
fn remove_serve_folder(work: &std::path::Path) -> Result<()> {
    let marker = work.join(crate::output::guard::SERVE_MARKER);
    if let Ok(entries) = std::fs::read_dir(work) {
        for entry in entries.flatten().filter(|e| e.path() != marker) {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                crate::util::fs::remove_dir_all_if_exists(&path)?;
            } else {
                crate::util::fs::remove_file(&path)?;
            }
        }
    }
    if marker.is_file() {
        crate::util::fs::remove_file(&marker)?;
    }
    crate::util::fs::remove_dir_all_if_exists(work)
}

/// Serves the site at `options.root` until Ctrl-C.
pub fn run(options: BuildOptions, addr: SocketAddr, quiet: bool) -> Result<()> {
    let config = crate::config::SiteConfig::load(&options.root)?;
    // Before anything is removed or bound: a second serve of the site stops here.
    let lock = lock::Lock::take(&options.root)?;
    let work = options.root.join(".serve");
    crate::output::guard::check_serve_folder(&work)?;
    remove_serve_folder(&work)?;
    crate::util::fs::create_dir_all(&work)?;
    crate::util::fs::write(
        &work.join(crate::output::guard::SERVE_MARKER),
        "gazette serve's preview; removed when it stops\n",
    )?;
    // Bind first, so the URL (and a port chosen by the system for --port 0) is known.
    let listener = TcpListener::bind(addr).with_context(|| {
        format!("could not listen on {addr}; is another server using the port? Try --port")
    })?;
    let listener_addr = listener.local_addr()?;
    let url = format!("http://{listener_addr}{}", config.base_path);
    lock.set_url(&url)?;
    let options = preview_options(options, &url, &work)?;
    let adder = Adder::new(options.root.clone());
    let state = State::new(work.join("site"), &config.base_path).with_adder(adder);
    let mut preview = Preview {
        options,
        // (What is kept between rebuilds: see `PREVIEW`.)
        cache: BuildCache::default(),
        last: None,
        state: Arc::new(state),
        quiet,
    };
    preview.cache.articles.enabled = true;
    // Ctrl-C removes serve's folder and its lock and stops; set before anything can be
    // interrupted.
    let cleanup = work.clone();
    let (lock_path, pid) = lock.parts();
    ctrlc::set_handler(move || {
        let _ = remove_serve_folder(&cleanup);
        lock::release(&lock_path, pid);
        println!("\nStopped.");
        std::process::exit(0);
    })
    .context("could not set the Ctrl-C handler")?;
    if let Some(problem) = preview.rebuild(None) {
        preview.report(problem);
    }
    // Watch before telling anyone the URL, so no save after that is missed.
    let (watcher, watched, changes) = watch(&preview.options.root)?;
    let _server = listen(listener, preview.state.clone())?;
    println!("Serving {} at {url} (Ctrl-C to stop)", config.title);
    print_bookmarklet(listener_addr);
    preview.follow(watcher, watched, changes);
    Ok(())
}

/// Prints the bookmarklet, or why there is none (a server other machines can reach).
fn print_bookmarklet(addr: SocketAddr) {
    if addr.ip().is_loopback() {
        println!(
            "Bookmarklet (make it a bookmark; clicked on a news page, it opens a page here that adds a draft for it when you press Add): {}",
            bookmarklet::bookmarklet(addr)
        );
    } else {
        println!(
            "No bookmarklet: it works only on a loopback address (the default, --bind 127.0.0.1)"
        );
    }
}

/// How the preview differs from a build. Rebuilds reuse everything that did not change:
/// articles whose files are the same (kept in memory), their rendered Markdown, each
/// body's search words, and pages whose inputs are the same (nobody else writes serve's
/// folder, so its files are taken as left). Each changed file is replaced with one rename,
/// so a request sees either the old or the new one; in a site of one language the search
/// index, sitemaps and new photos follow once the browser was told to reload.
pub const PREVIEW: Delivery = Delivery {
    swap_output: false,
    index_after_reload: true,
    warn_placeholder: false,
    save_articles: false,
    trust_output: true,
    keep_search_words: true,
    previewing: true,
};

/// What `serve` builds: everything (drafts, scheduled and expired articles), for the
/// preview's own URL, into its own folder, delivered as [`PREVIEW`].
fn preview_options(options: BuildOptions, url: &str, work: &Path) -> Result<BuildOptions> {
    let mut options = options;
    // The watcher reports absolute paths; an absolute root lets them be matched.
    options.root = options
        .root
        .canonicalize()
        .with_context(|| format!("could not find {}", options.root.display()))?;
    options.base_url = Some(url.to_string());
    options.drafts = true;
    options.future = true;
    options.expired = true;
    options.delivery = PREVIEW;
    options.output = Some(work.join("site"));
    Ok(options)
}

/// The preview between rebuilds: what to build, what the last build left to reuse, and
/// what the server shares with the browser.
struct Preview {
    options: BuildOptions,
    cache: BuildCache,
    /// The last site loaded: a save that changes only articles' Markdown is taken into
    /// it, and only the pages showing those articles are rendered again.
    last: Option<Prepared>,
    state: Arc<State>,
    quiet: bool,
}

impl Preview {
    /// Rebuilds after the saves that changed `paths` (`None`: the first build); returns
    /// the problem when the build failed. The browser reloads as soon as the pages are in
    /// place; the search index and sitemaps follow.
    fn rebuild(&mut self, changed: Option<&[PathBuf]>) -> Option<String> {
        let started = Instant::now();
        let first = changed.is_none();
        let state = self.state.clone();
        let pages_ready = move || {
            if let Ok(mut problem) = state.problem.lock() {
                *problem = None;
            }
            if !first {
                state.broadcast("reload", "");
            }
        };
        let result = self.build(changed, started, &pages_ready);
        let report = match result {
            Ok(report) => report,
            Err(e) => {
                self.last = None;
                return Some(crate::problem::describe(&e));
            }
        };
        for w in &report.warnings {
            eprintln!("warning: {w}");
        }
        if !self.quiet {
            println!(
                "{} {} in {:.0} ms ({} rendered, {} changed)",
                if first { "Built" } else { "Rebuilt" },
                plural(report.articles, "article", "articles"),
                started.elapsed().as_secs_f64() * 1000.0,
                plural(report.rendered, "page", "pages"),
                plural(report.changed, "file", "files")
            );
        }
        None
    }

    /// Takes Markdown-only edits into the last site in place where it can; loads and
    /// groups the site again otherwise.
    fn build(
        &mut self,
        changed: Option<&[PathBuf]>,
        started: Instant,
        pages_ready: &dyn Fn(),
    ) -> Result<BuildReport> {
        let (options, cache) = (&self.options, &mut self.cache);
        let mut previous = self.last.take();
        if let (Some(paths), Some(prepared)) = (changed, previous.take_if(|_| changed.is_some())) {
            match edits::take_in(options, cache, prepared, paths) {
                Edited::Updated(prepared) => {
                    let report = publish(options, cache, &prepared, started, pages_ready);
                    self.last = Some(prepared);
                    return report;
                }
                Edited::Rebuild(prepared) => previous = Some(prepared),
            }
        }
        if let Some(previous) = previous {
            cache.keep_markdown(previous.trees.into_iter().map(|t| t.site));
        }
        let prepared = prepare(options, cache)?;
        let report = publish(options, cache, &prepared, started, pages_ready)?;
        self.last = Some(prepared);
        Ok(report)
    }

    /// Shows a problem in the terminal and in every open tab (and in tabs opened later,
    /// until a build succeeds).
    fn report(&self, text: String) {
        eprintln!("{text}");
        if let Ok(mut problem) = self.state.problem.lock() {
            *problem = Some(text.clone());
        }
        self.state.broadcast("problem", &text);
    }

    /// Rebuilds on every burst of saves until the watcher stops.
    fn follow(
        &mut self,
        mut watcher: notify::RecommendedWatcher,
        mut watched: Watched,
        changes: Receiver<Vec<PathBuf>>,
    ) {
        while let Ok(mut paths) = changes.recv() {
            loop {
                // A `templates/` or `static/` folder made after start is watched from now on.
                if let Err(e) = watch_source_folders(&mut watcher, &self.options.root, &mut watched)
                {
                    eprintln!("warning: {e:#}");
                }
                let Some(problem) = self.rebuild(Some(&paths)) else {
                    break;
                };
                // A build can read a file while it is being saved (an empty file, half a
                // file) and fail. The save's own events then follow within the watcher's
                // quiet time: build again with them, and report only a problem that stays.
                match changes.recv_timeout(Duration::from_millis(PROBLEM_GRACE_MS)) {
                    Ok(more) => paths = more,
                    Err(_) => {
                        self.report(problem);
                        break;
                    }
                }
            }
        }
    }
}
