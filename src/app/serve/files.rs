//! The answers of `gazette serve` with the site's files: which file a path names (never
//! one outside the site), the live-reload script added to HTML pages, streaming, `Range`,
//! `HEAD`, `ETag` / `Last-Modified` with 304, and the site's 404 page.

use super::State;
use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Empty, Full, StreamBody};
use hyper::body::Frame;
use hyper::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT_RANGES, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE,
    ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_RANGE, LAST_MODIFIED, LOCATION, RANGE,
};
use hyper::{Response, StatusCode};
use std::io::SeekFrom;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::fs::File;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

/// The body of every answer: a few bytes in memory, a file streamed, or the event stream.
pub type Body = UnsyncBoxBody<Bytes, std::io::Error>;

/// HTML pages up to this size are read whole to add the live-reload script; larger ones
/// are streamed as they are.
const INJECT_LIMIT: u64 = 16 * 1024 * 1024;

/// The size of the pieces a file is streamed in.
const CHUNK: usize = 64 * 1024;

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

/// What a request's path names.
enum Target {
    File(PathBuf),
    NotFound,
    Redirect(StatusCode, String),
    Refused(StatusCode, &'static str),
}

/// The answer to a GET (or, with `head`, a HEAD) for `path`: a file of the site, a
/// folder's `index.html`, the site's 404 page, a redirect or a refusal.
pub(super) async fn respond(
    state: &State,
    path: &str,
    request: &HeaderMap,
    head: bool,
) -> Response<Body> {
    let site = state.site_dir();
    let (root, base, wanted) = (site.clone(), state.base_path.clone(), path.to_string());
    // Finding the file asks the file system a few times: off the runtime's workers.
    let target = tokio::task::spawn_blocking(move || resolve(&root, &base, &wanted)).await;
    match target {
        Ok(Target::File(file)) => match serve_file(&file, request, head).await {
            Some(response) => response,
            None => not_found(&site, head).await,
        },
        Ok(Target::NotFound) => not_found(&site, head).await,
        Ok(Target::Redirect(status, location)) => {
            let mut response = text(status, "Moved.\n");
            set(&mut response, LOCATION, location);
            response
        }
        Ok(Target::Refused(status, why)) => text(status, why),
        Err(_) => text(StatusCode::INTERNAL_SERVER_ERROR, "Internal error.\n"),
    }
}

/// The file `path` names in `site` served under `base`. Never a file outside the site's
/// folder: `..`, encoded or not, backslashes, NUL and absolute paths are refused, and so
/// are symbolic links that lead outside.
fn resolve(site: &Path, base: &str, path: &str) -> Target {
    let Some(decoded) = crate::util::slug::percent_decode(path) else {
        return Target::Refused(
            StatusCode::BAD_REQUEST,
            "Bad request: the path is not percent-encoded UTF-8.\n",
        );
    };
    if !decoded.starts_with('/') || decoded.contains('\0') || decoded.contains('\\') {
        return Target::Refused(StatusCode::BAD_REQUEST, "Bad request.\n");
    }
    if decoded.split('/').any(|s| s == ".." || s == ".") {
        return Target::Refused(StatusCode::FORBIDDEN, "Forbidden.\n");
    }
    let rel = match decoded.strip_prefix(base) {
        Some(rel) => rel,
        // `/digest` without its slash.
        None if format!("{decoded}/") == base => {
            return Target::Redirect(StatusCode::MOVED_PERMANENTLY, base.to_string())
        }
        // The site is served under its base path.
        None if decoded == "/" => return Target::Redirect(StatusCode::FOUND, base.to_string()),
        None => return Target::NotFound,
    };
    if !Path::new(rel)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Target::Refused(StatusCode::FORBIDDEN, "Forbidden.\n");
    }
    let mut file = site.join(rel);
    if file.is_dir() {
        if !decoded.ends_with('/') {
            return Target::Redirect(StatusCode::MOVED_PERMANENTLY, format!("{path}/"));
        }
        file.push("index.html");
    }
    // Symbolic links may not lead outside the site.
    let (Ok(real), Ok(root)) = (file.canonicalize(), site.canonicalize()) else {
        return Target::NotFound;
    };
    if !real.starts_with(&root) {
        return Target::Refused(StatusCode::FORBIDDEN, "Forbidden.\n");
    }
    Target::File(real)
}

/// What the answers with one file say about it.
struct Facts {
    /// Its length on disk.
    len: u64,
    content_type: &'static str,
    /// Whether the live-reload script is added (a page small enough to read whole).
    inject: bool,
    etag: String,
    modified: Option<SystemTime>,
}

/// Opens a file of the site; None if it is not a file that can be read.
async fn open(path: &Path) -> Option<(File, Facts)> {
    let file = File::open(path).await.ok()?;
    let meta = file.metadata().await.ok()?;
    if !meta.is_file() {
        return None;
    }
    let content_type = content_type(path);
    let inject = content_type.starts_with("text/html") && meta.len() <= INJECT_LIMIT;
    let facts = Facts {
        len: meta.len(),
        content_type,
        inject,
        etag: etag(&meta, inject),
        modified: meta.modified().ok(),
    };
    Some((file, facts))
}

/// The file's entity tag: its length, modification time and inode, which a rebuild's
/// rename always changes; `-i` for a page served with the live-reload script.
fn etag(meta: &std::fs::Metadata, inject: bool) -> String {
    let nanos = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let inode = 0u64;
    let suffix = if inject { "-i" } else { "" };
    format!("\"{:x}-{nanos:x}-{inode:x}{suffix}\"", meta.len())
}

/// The answer with a file of the site: 200, 206 for a range, 304 when the browser's copy
/// is current, 416 for a range past its end. None if it cannot be read.
async fn serve_file(path: &Path, request: &HeaderMap, head: bool) -> Option<Response<Body>> {
    let (file, facts) = open(path).await?;
    let mut response = if not_modified(request, &facts) {
        let mut response = Response::new(empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        response
    } else {
        let wanted = if facts.inject || !if_range_holds(request, &facts) {
            Wanted::Whole
        } else {
            wanted_range(request.get(RANGE), facts.len)
        };
        match wanted {
            Wanted::Whole => whole(file, &facts, head).await?,
            Wanted::Part(start, end) => part(file, &facts, start, end, head).await?,
            Wanted::Unsatisfiable => unsatisfiable(facts.len),
        }
    };
    set(&mut response, ETAG, facts.etag.clone());
    if let Some(modified) = facts.modified {
        set(
            &mut response,
            LAST_MODIFIED,
            httpdate::fmt_http_date(modified),
        );
    }
    Some(response)
}

/// The answer to a range that starts past the end of a file of `total` bytes.
fn unsatisfiable(total: u64) -> Response<Body> {
    let mut response = text(
        StatusCode::RANGE_NOT_SATISFIABLE,
        "Range not satisfiable.\n",
    );
    set(&mut response, CONTENT_RANGE, format!("bytes */{total}"));
    response
}

/// The whole file: a page read with the live-reload script added, anything else streamed.
async fn whole(file: File, facts: &Facts, head: bool) -> Option<Response<Body>> {
    let (body, length) = match (facts.inject, head) {
        (true, true) => (empty(), facts.len + LIVE_RELOAD.len() as u64),
        (true, false) => {
            let mut page = Vec::new();
            file.take(INJECT_LIMIT).read_to_end(&mut page).await.ok()?;
            let page = inject(page);
            let length = page.len() as u64;
            (full(page), length)
        }
        (false, true) => (empty(), facts.len),
        (false, false) => (stream(file, facts.len), facts.len),
    };
    let mut response = file_response(StatusCode::OK, facts, body, length);
    if !facts.inject {
        set(
            &mut response,
            ACCEPT_RANGES,
            HeaderValue::from_static("bytes"),
        );
    }
    Some(response)
}

/// Bytes `start..=end` of the file.
async fn part(
    mut file: File,
    facts: &Facts,
    start: u64,
    end: u64,
    head: bool,
) -> Option<Response<Body>> {
    let length = end - start + 1;
    let body = if head {
        empty()
    } else {
        file.seek(SeekFrom::Start(start)).await.ok()?;
        stream(file, length)
    };
    let mut response = file_response(StatusCode::PARTIAL_CONTENT, facts, body, length);
    set(
        &mut response,
        CONTENT_RANGE,
        format!("bytes {start}-{end}/{}", facts.len),
    );
    set(
        &mut response,
        ACCEPT_RANGES,
        HeaderValue::from_static("bytes"),
    );
    Some(response)
}

fn file_response(status: StatusCode, facts: &Facts, body: Body, length: u64) -> Response<Body> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    set(
        &mut response,
        CONTENT_TYPE,
        HeaderValue::from_static(facts.content_type),
    );
    set(&mut response, CONTENT_LENGTH, HeaderValue::from(length));
    response
}

/// The site's `404.html` with status 404, or a line of text if it has none.
async fn not_found(site: &Path, head: bool) -> Response<Body> {
    let page = match open(&site.join("404.html")).await {
        Some((file, facts)) => whole(file, &facts, head).await,
        None => None,
    };
    match page {
        Some(mut page) => {
            *page.status_mut() = StatusCode::NOT_FOUND;
            page
        }
        None => text(StatusCode::NOT_FOUND, "Not found.\n"),
    }
}

/// Whether the browser's copy is the file as it is: `If-None-Match` names its tag, or
/// (without `If-None-Match`) `If-Modified-Since` is no older than the file.
fn not_modified(request: &HeaderMap, facts: &Facts) -> bool {
    if let Some(tags) = request.get(IF_NONE_MATCH) {
        let ours = weak(&facts.etag);
        return tags
            .to_str()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || weak(tag) == ours);
    }
    let since = request
        .get(IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    match (since, facts.modified) {
        (Some(since), Some(modified)) => whole_seconds(modified) <= since,
        _ => false,
    }
}

/// Whether a range may be served: no `If-Range`, or one naming the file as it is.
fn if_range_holds(request: &HeaderMap, facts: &Facts) -> bool {
    let Some(value) = request.get(IF_RANGE) else {
        return true;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    if value.starts_with('"') || value.starts_with("W/") {
        // A strong comparison: a weak tag never matches.
        return value == facts.etag;
    }
    match (httpdate::parse_http_date(value), facts.modified) {
        (Ok(date), Some(modified)) => whole_seconds(modified) == date,
        _ => false,
    }
}

fn weak(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

/// A time to the second, as HTTP dates have it.
fn whole_seconds(time: SystemTime) -> SystemTime {
    let seconds = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    UNIX_EPOCH + Duration::from_secs(seconds)
}

/// What a `Range` header asks of a file of `total` bytes.
#[derive(Debug, PartialEq)]
enum Wanted {
    Whole,
    /// The first and last byte, both included.
    Part(u64, u64),
    Unsatisfiable,
}

/// One range, `bytes=a-b`, `bytes=a-` or `bytes=-n`. Several ranges, or a header that is
/// not understood, get the whole file.
fn wanted_range(header: Option<&HeaderValue>, total: u64) -> Wanted {
    let Some(spec) = header
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.trim().strip_prefix("bytes="))
    else {
        return Wanted::Whole;
    };
    let Some((first, last)) = spec.split_once('-') else {
        return Wanted::Whole;
    };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let (first, last) = (first.trim(), last.trim());
    // Digits only: `parse` would also take a sign.
    let number = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    if first.is_empty() {
        return match number(last) {
            None => Wanted::Whole,
            Some(0) => Wanted::Unsatisfiable,
            Some(_) if total == 0 => Wanted::Unsatisfiable,
            Some(n) => Wanted::Part(total.saturating_sub(n), total - 1),
        };
    }
    let Some(start) = number(first) else {
        return Wanted::Whole;
    };
    let end = match last {
        "" => u64::MAX,
        last => match number(last) {
            Some(end) if end >= start => end,
            _ => return Wanted::Whole,
        },
    };
    if start >= total {
        return Wanted::Unsatisfiable;
    }
    Wanted::Part(start, end.min(total - 1))
}

/// Adds the live-reload script before the last `</body>` (or at the end).
fn inject(mut page: Vec<u8>) -> Vec<u8> {
    let at = page
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(page.len());
    page.splice(at..at, LIVE_RELOAD.bytes());
    page
}

/// A short answer in plain text.
pub(super) fn text(status: StatusCode, body: &str) -> Response<Body> {
    let mut response = Response::new(full(body.as_bytes().to_vec()));
    *response.status_mut() = status;
    set(
        &mut response,
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Sets a header; a value that is not a valid header (never the case for the ones made
/// here) is left out rather than failing the answer.
fn set(response: &mut Response<Body>, name: HeaderName, value: impl TryInto<HeaderValue>) {
    if let Ok(value) = value.try_into() {
        response.headers_mut().insert(name, value);
    }
}

fn full(bytes: Vec<u8>) -> Body {
    Full::new(Bytes::from(bytes))
        .map_err(|never| match never {})
        .boxed_unsync()
}

pub(super) fn empty() -> Body {
    Empty::new().map_err(|never| match never {}).boxed_unsync()
}

/// `len` bytes of `file` from where it stands, read a piece at a time as the client takes
/// them.
fn stream(file: File, len: u64) -> Body {
    let pieces = ReaderStream::with_capacity(file.take(len), CHUNK).map(|r| r.map(Frame::data));
    StreamBody::new(pieces).boxed_unsync()
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

#[cfg(test)]
mod tests {
    use super::{inject, wanted_range, Wanted, LIVE_RELOAD};
    use hyper::header::HeaderValue;

    fn range(spec: &str, total: u64) -> Wanted {
        wanted_range(Some(&HeaderValue::from_str(spec).unwrap()), total)
    }

    #[test]
    fn ranges_are_read_as_rfc_9110_has_them() {
        assert_eq!(range("bytes=2-5", 20), Wanted::Part(2, 5));
        assert_eq!(range("bytes=15-", 20), Wanted::Part(15, 19));
        assert_eq!(range("bytes=10-99", 20), Wanted::Part(10, 19));
        assert_eq!(range("bytes=-3", 20), Wanted::Part(17, 19));
        assert_eq!(range("bytes=-30", 20), Wanted::Part(0, 19));
        assert_eq!(range("bytes=20-", 20), Wanted::Unsatisfiable);
        assert_eq!(range("bytes=-0", 20), Wanted::Unsatisfiable);
        assert_eq!(range("bytes=-1", 0), Wanted::Unsatisfiable);
        for whole in [
            "bytes=0-1,4-5",
            "bytes=5-2",
            "bytes=x-",
            "bytes=+1-2",
            "items=0-1",
            "bytes=5",
        ] {
            assert_eq!(range(whole, 20), Wanted::Whole, "{whole}");
        }
        assert_eq!(wanted_range(None, 20), Wanted::Whole);
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = inject(b"<p>\xff</body></body>".to_vec());
        assert_eq!(page.len(), 18 + LIVE_RELOAD.len());
        assert!(page.starts_with(b"<p>\xff</body><script>"));
        assert!(page.ends_with(b"</script></body>"));
        assert!(inject(b"<p>".to_vec()).ends_with(b"</script>"));
    }
}
