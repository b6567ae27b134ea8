//! The bookmarklet of `gazette serve` and the page it opens. The bookmarklet holds no
//! secret: clicked on a news page, it only opens `/__gazette/add?url=<page>` here. That
//! page (a GET, which writes nothing) reads the story through `add`'s own code and shows
//! what would be added: headline, outlet, whether the digest already cites the story, and
//! the site's topics to choose from. Only its form's POST writes the draft, and only with
//! the form's token (random, made for that one page, used once) and from this server's
//! own page (`Origin` is this server; `Sec-Fetch-Site`, when sent, is `same-origin`): a
//! request from another site, a GET, a HEAD or a request without the token writes
//! nothing. Adds run a few at a time, off the server's workers, so the preview answers
//! while a news site is slow. Answered only on a loopback address, from this machine.

use super::files::{text, Body};
use super::State;
use crate::app::add::text::printable;
use crate::app::add::{add, look, AddRequest, Added};
use anyhow::{anyhow, Result};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue, HOST, LOCATION, RETRY_AFTER};
use hyper::{Method, Request, Response, StatusCode};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The path the bookmarklet opens; outside any site path, as the event stream's is.
pub const ADD_PATH: &str = "/__gazette/add";

/// How long the answer waits for the preview to show the new draft before redirecting.
const PREVIEW_WAIT: Duration = Duration::from_secs(10);

/// How many pages are read or added at once.
const AT_ONCE: usize = 4;

/// How long a request waits for its turn before it is told the server is busy.
const BUSY_WAIT: Duration = Duration::from_secs(3);

/// How long a form's token may be used (once).
const FORM_LIFE: Duration = Duration::from_secs(30 * 60);

/// The most forms whose tokens are kept; the oldest go first.
const MOST_FORMS: usize = 64;

/// The most bytes of a form's body read.
const MOST_FORM_BYTES: usize = 64 * 1024;

/// What answering the bookmarklet needs: the site's root, the forms shown and not yet
/// sent, and the turns of the adds.
#[derive(Debug)]
pub struct Adder {
    root: PathBuf,
    /// Each token with the page its form adds and when it was made.
    forms: Mutex<HashMap<String, (String, Instant)>>,
    /// The tokens of inbox pages shown, with when each was made (used many times each).
    pages: Mutex<Vec<(String, Instant)>>,
    turns: Arc<Semaphore>,
}

impl Adder {
    pub fn new(root: PathBuf) -> Adder {
        Adder {
            root,
            forms: Mutex::new(HashMap::new()),
            pages: Mutex::new(Vec::new()),
            turns: Arc::new(Semaphore::new(AT_ONCE)),
        }
    }

    /// A new form's token for adding `url`; older tokens past their life are forgotten.
    fn new_form(&self, url: &str) -> Result<String> {
        let token = new_token()?;
        let mut forms = self
            .forms
            .lock()
            .map_err(|_| anyhow!("the forms' lock broke"))?;
        forms.retain(|_, (_, made)| made.elapsed() < FORM_LIFE);
        while forms.len() >= MOST_FORMS {
            let oldest = forms.iter().min_by_key(|(_, (_, made))| *made);
            let Some(oldest) = oldest.map(|(t, _)| t.clone()) else {
                break;
            };
            forms.remove(&oldest);
        }
        forms.insert(token.clone(), (url.to_string(), Instant::now()));
        Ok(token)
    }

    /// The page a token's form adds; the token is used up. `None` for a token never made,
    /// used or too old.
    fn use_form(&self, token: &str) -> Option<String> {
        let mut forms = self.forms.lock().ok()?;
        let key = forms.keys().find(|k| same(k, token))?.clone();
        let (url, made) = forms.remove(&key)?;
        (made.elapsed() < FORM_LIFE).then_some(url)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A new inbox page's token (good for its decisions while it is younger than a form).
    pub fn new_page_token(&self) -> Result<String> {
        let token = new_token()?;
        let mut pages = self
            .pages
            .lock()
            .map_err(|_| anyhow!("the pages' lock broke"))?;
        pages.retain(|(_, made)| made.elapsed() < FORM_LIFE);
        if pages.len() >= MOST_FORMS {
            pages.remove(0);
        }
        pages.push((token.clone(), Instant::now()));
        Ok(token)
    }

    /// Whether `token` is an inbox page's, still good.
    pub fn page_token_ok(&self, token: &str) -> bool {
        let Ok(pages) = self.pages.lock() else {
            return false;
        };
        pages
            .iter()
            .any(|(t, made)| same(t, token) && made.elapsed() < FORM_LIFE)
    }

    /// A turn to read or add a page, waited for a while.
    pub(super) async fn turn(&self) -> Option<OwnedSemaphorePermit> {
        let turn = tokio::time::timeout(BUSY_WAIT, self.turns.clone().acquire_owned()).await;
        turn.ok()?.ok()
    }
}

/// A new random token: 128 bits from the system's generator, as hex.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow!("could not make a form's token: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The bookmarklet for the server at `addr`: it opens this server's add page for the
/// page it is clicked on, and can do nothing else.
pub fn bookmarklet(addr: SocketAddr) -> String {
    format!(
        "javascript:(()=>{{location.href='http://{addr}{ADD_PATH}?url='+encodeURIComponent(location.href)}})()"
    )
}

/// Compares without stopping at the first difference, so the answer's timing does not
/// tell how much of a guess was right.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0, |d, (x, y)| d | (x ^ y)) == 0
}

/// The answer to a request for [`ADD_PATH`] from `peer`, on a server bound to `bound`.
pub(super) async fn answer(
    state: &State,
    request: Request<Incoming>,
    bound: SocketAddr,
    peer: SocketAddr,
) -> Response<Body> {
    if let Some(refused) = loopback_only(bound, peer) {
        return refused;
    }
    let Some(adder) = state.adder.clone() else {
        return text(StatusCode::NOT_FOUND, "Not found.\n");
    };
    match *request.method() {
        Method::HEAD => super::add_page::response(None),
        Method::POST => send(state, &adder, request).await,
        _ => show(state, &adder, request.uri().query()).await,
    }
}

/// A refusal unless the server listens on a loopback address and `peer` is this machine:
/// the pages that write into the site answer only there.
pub(super) fn loopback_only(bound: SocketAddr, peer: SocketAddr) -> Option<Response<Body>> {
    (!bound.ip().is_loopback() || !peer.ip().is_loopback()).then(|| text(StatusCode::FORBIDDEN, "The bookmarklet and the inbox work only when gazette serve listens on a loopback address (the default, --bind 127.0.0.1), from this machine.\n"))
}

/// The add page for `?url=…`: what adding it would write, and the form that adds it.
async fn show(state: &State, adder: &Arc<Adder>, query: Option<&str>) -> Response<Body> {
    let pairs = form_pairs(query.unwrap_or("").as_bytes());
    let Some(url) = first(&pairs, "url") else {
        return text(StatusCode::BAD_REQUEST, "No page given: open this from the bookmarklet, which adds ?url=<the page you are reading>.\n");
    };
    let Some(turn) = adder.turn().await else {
        return busy();
    };
    let (root, asked) = (adder.root.clone(), url.clone());
    let looked = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        look(&root, &asked)
    })
    .await;
    match looked {
        Ok(Ok(look)) => match adder.new_form(&url) {
            Ok(token) => {
                let page = super::add_page::render(&look, &token, &state.base_path);
                super::add_page::response(Some(page))
            }
            Err(e) => text(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("error: {e:#}\n"),
            ),
        },
        Ok(Err(e)) => text(StatusCode::UNPROCESSABLE_ENTITY, &format!("error: {e:#}\n")),
        Err(_) => text(StatusCode::INTERNAL_SERVER_ERROR, "Internal error.\n"),
    }
}

/// The form sent: checked, then the draft written and the browser sent to its preview.
async fn send(state: &State, adder: &Arc<Adder>, request: Request<Incoming>) -> Response<Body> {
    if let Some(refused) = foreign(request.headers()) {
        return text(StatusCode::FORBIDDEN, &refused);
    }
    let body = Limited::new(request.into_body(), MOST_FORM_BYTES);
    let Ok(body) = body.collect().await.map(|b| b.to_bytes()) else {
        return text(
            StatusCode::BAD_REQUEST,
            "Bad request: the form could not be read (at most 64 KB).\n",
        );
    };
    let pairs = form_pairs(&body);
    let url = first(&pairs, "token").and_then(|token| adder.use_form(&token));
    let Some(url) = url else {
        return text(StatusCode::FORBIDDEN, "This form cannot add anything: its token is missing, used or more than 30 minutes old. Click the bookmarklet on the news page again, then Add on the page it opens.\n");
    };
    let request = AddRequest {
        url,
        topics: chosen_topics(&pairs),
        force: first(&pairs, "force").is_some(),
        ..Default::default()
    };
    let Some(turn) = adder.turn().await else {
        return busy();
    };
    let (root, site) = (adder.root.clone(), state.site_dir());
    let added = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        add_and_wait(&root, &request, &site)
    })
    .await;
    match added {
        Ok(Ok(added)) => see_preview(&state.base_path, &added),
        Ok(Err(e)) => text(StatusCode::UNPROCESSABLE_ENTITY, &format!("error: {e:#}\n")),
        Err(_) => text(StatusCode::INTERNAL_SERVER_ERROR, "Internal error.\n"),
    }
}

/// Why a POST does not come from this server's own page, if it does not: its `Origin`
/// must be this server's (the `Host` it was sent to, which the server has checked), and
/// its `Sec-Fetch-Site`, when a browser sends one, `same-origin`.
fn foreign(headers: &HeaderMap) -> Option<String> {
    foreign_to(headers, ADD_PATH, "add page", "add a draft")
}

/// Why a POST does not come from this server's page at `path` (the `page`, which alone
/// may `act`), if it does not.
pub(super) fn foreign_to(headers: &HeaderMap, path: &str, page: &str, act: &str) -> Option<String> {
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let origin = headers.get("origin").and_then(|o| o.to_str().ok());
    let site = headers.get("sec-fetch-site").and_then(|s| s.to_str().ok());
    let own = format!("http://{host}");
    let why = match (origin, site) {
        (None, _) => "it has no Origin".to_string(),
        (Some(origin), _) if !origin.eq_ignore_ascii_case(&own) => {
            format!("it comes from {}", printable(origin))
        }
        (_, Some(site)) if site != "same-origin" => {
            format!("it is {} (Sec-Fetch-Site)", printable(site))
        }
        _ => return None,
    };
    Some(format!("Refused: only the {page} of this gazette serve ({own}{path}) can {act}, and {why}. Nothing was written.\n"))
}

/// The pairs of a query or of a form's body.
pub(super) fn form_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

pub(super) fn first(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// The topics ticked (`topic`), then those typed (`topics`, commas between), each once.
fn chosen_topics(pairs: &[(String, String)]) -> Vec<String> {
    let mut topics: Vec<String> = Vec::new();
    for (name, value) in pairs {
        let values: Vec<&str> = match name.as_str() {
            "topic" => vec![value.as_str()],
            "topics" => value.split(',').collect(),
            _ => continue,
        };
        for topic in values.into_iter().map(str::trim).filter(|t| !t.is_empty()) {
            if !topics.iter().any(|t| t == topic) {
                topics.push(topic.to_string());
            }
        }
    }
    topics
}

/// 503: every turn is taken.
pub(super) fn busy() -> Response<Body> {
    let mut response = text(StatusCode::SERVICE_UNAVAILABLE, &format!("Busy: gazette serve is reading {AT_ONCE} pages already (a slow news site holds them up). Try again in a moment.\n"));
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from_static("5"));
    response
}

/// 303 to the new draft's preview.
fn see_preview(base_path: &str, added: &Added) -> Response<Body> {
    let location = format!("{base_path}{}", added.url_path);
    let body = format!(
        "Added {}; its preview is at {location}\n",
        added.rel.display()
    );
    let mut response = text(StatusCode::SEE_OTHER, &body);
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// Adds the page, says so in the terminal, and waits (a while) until the preview, which
/// rebuilds on its own when the draft appears, has its page.
fn add_and_wait(root: &Path, request: &AddRequest, site: &Path) -> Result<Added> {
    let url = printable(&request.url);
    let added = match add(root, request) {
        Ok(added) => added,
        Err(e) => {
            eprintln!("error: could not add {url} from the bookmarklet: {e:#}");
            return Err(e);
        }
    };
    println!("Added {} from {url}", added.rel.display());
    wait_for_page(site, &added.url_path);
    Ok(added)
}

/// Waits (a while) until the preview, which rebuilds on its own when a draft appears, has
/// the page at `url_path`.
pub(super) fn wait_for_page(site: &Path, url_path: &str) {
    let page = site.join(crate::model::page_file(url_path));
    let started = Instant::now();
    while !page.exists() && started.elapsed() < PREVIEW_WAIT {
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bookmarklet_only_opens_the_add_page() {
        let link = bookmarklet("127.0.0.1:1111".parse().unwrap());
        assert_eq!(link, "javascript:(()=>{location.href='http://127.0.0.1:1111/__gazette/add?url='+encodeURIComponent(location.href)})()");
        assert!(!link.contains("token"));
    }

    #[test]
    fn each_form_adds_once_and_only_its_page() {
        let adder = Adder::new(PathBuf::from("."));
        let (a, b) = (
            adder.new_form("https://a.example/").unwrap(),
            adder.new_form("https://b.example/").unwrap(),
        );
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert_eq!(adder.use_form(&a[..31]), None);
        assert_eq!(adder.use_form(&b).as_deref(), Some("https://b.example/"));
        assert_eq!(adder.use_form(&b), None, "used once");
        assert_eq!(adder.use_form(&a).as_deref(), Some("https://a.example/"));
        for i in 0..MOST_FORMS + 5 {
            adder.new_form(&format!("https://{i}.example/")).unwrap();
        }
        assert_eq!(adder.forms.lock().unwrap().len(), MOST_FORMS);
    }

    #[test]
    fn only_this_servers_own_page_may_send_the_form() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(*name, HeaderValue::from_static(value));
            }
            map
        };
        let own = [
            ("host", "127.0.0.1:1111"),
            ("origin", "http://127.0.0.1:1111"),
        ];
        assert_eq!(foreign(&headers(&own)), None);
        let same = [own[0], own[1], ("sec-fetch-site", "same-origin")];
        assert_eq!(foreign(&headers(&same)), None);
        let refused = |pairs: &[(&'static str, &'static str)]| foreign(&headers(pairs)).unwrap();
        assert_eq!(refused(&[own[0]]), "Refused: only the add page of this gazette serve (http://127.0.0.1:1111/__gazette/add) can add a draft, and it has no Origin. Nothing was written.\n");
        assert!(refused(&[own[0], ("origin", "https://news.example")])
            .contains("and it comes from https://news.example."));
        assert!(refused(&[own[0], ("origin", "null")]).contains("it comes from null"));
        assert!(refused(&[own[0], own[1], ("sec-fetch-site", "cross-site")])
            .contains("and it is cross-site (Sec-Fetch-Site)."));
    }

    #[test]
    fn topics_ticked_and_typed_each_once() {
        let pairs = form_pairs(b"topic=India&topic=Weather&topics=+Floods%2C+India%2C%2C&token=x");
        assert_eq!(chosen_topics(&pairs), ["India", "Weather", "Floods"]);
    }
}
