//! The bookmarklet of `gazette serve`: a `javascript:` link that, clicked on any news
//! page, opens `/__gazette/add?url=<page>&token=<token>` on the preview server, which runs
//! `gazette add` for the page and redirects (303) to the new draft's preview. The token is
//! made at start-up, so no other page can add to the digest: a request without it is
//! refused (403) and writes nothing. It is answered only when the server listens on a
//! loopback address, and only to connections from this machine.

use super::files::{text, Body};
use super::State;
use crate::app::add::{add, AddRequest, Added};
use anyhow::{Context, Result};
use hyper::header::{HeaderValue, LOCATION};
use hyper::{Response, StatusCode};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The path the bookmarklet opens; outside any site path, as the event stream's is.
pub const ADD_PATH: &str = "/__gazette/add";

/// How long the answer waits for the preview to show the new draft before redirecting.
const PREVIEW_WAIT: Duration = Duration::from_secs(10);

/// What answering the bookmarklet needs: the site's root and the token of this start.
#[derive(Debug, Clone)]
pub struct Adder {
    pub root: PathBuf,
    pub token: String,
}

/// A new random token: 128 bits from the system's generator, as hex.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("could not make the bookmarklet's token")?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The bookmarklet for the server at `addr`: it sends the address of the page it is
/// clicked on.
pub fn bookmarklet(addr: SocketAddr, token: &str) -> String {
    format!(
        "javascript:(()=>{{location.href='http://{addr}{ADD_PATH}?token={token}&url='+encodeURIComponent(location.href)}})()"
    )
}

/// Compares without stopping at the first difference, so the answer's timing does not
/// tell how much of a guess was right.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0, |d, (x, y)| d | (x ^ y)) == 0
}

/// The answer to `/__gazette/add?…` from `peer`, on a server bound to `bound`.
pub(super) async fn answer(
    state: &State,
    query: Option<&str>,
    bound: SocketAddr,
    peer: SocketAddr,
) -> Response<Body> {
    if !bound.ip().is_loopback() || !peer.ip().is_loopback() {
        return text(StatusCode::FORBIDDEN, "The bookmarklet works only when gazette serve listens on a loopback address (the default, --bind 127.0.0.1), from this machine.\n");
    }
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let adder = match (&state.adder, get("token")) {
        (Some(adder), Some(token)) if same(&token, &adder.token) => adder.clone(),
        _ => return text(StatusCode::FORBIDDEN, "Wrong or missing token: use the bookmarklet gazette serve printed when it started (each start makes a new one).\n"),
    };
    let Some(url) = get("url") else {
        return text(StatusCode::BAD_REQUEST, "No page given: open this from the bookmarklet, which adds ?url=<the page you are reading>.\n");
    };
    let site = state.site_dir();
    let added = tokio::task::spawn_blocking(move || add_and_wait(&adder, &url, &site)).await;
    match added {
        Ok(Ok(added)) => {
            let location = format!("{}{}", state.base_path, added.url_path);
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
        Ok(Err(e)) => text(StatusCode::UNPROCESSABLE_ENTITY, &format!("error: {e:#}\n")),
        Err(_) => text(StatusCode::INTERNAL_SERVER_ERROR, "Internal error.\n"),
    }
}

/// Adds the page, says so in the terminal, and waits (a while) until the preview, which
/// rebuilds on its own when the draft appears, has its page.
fn add_and_wait(adder: &Adder, url: &str, site: &std::path::Path) -> Result<Added> {
    let request = AddRequest {
        url: url.to_string(),
        ..Default::default()
    };
    let added = match add(&adder.root, &request) {
        Ok(added) => added,
        Err(e) => {
            eprintln!("error: could not add {url} from the bookmarklet: {e:#}");
            return Err(e);
        }
    };
    println!("Added {} from {url}", added.rel.display());
    let page = site.join(crate::model::page_file(&added.url_path));
    let started = Instant::now();
    while !page.exists() && started.elapsed() < PREVIEW_WAIT {
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_new_each_time_and_compared_whole() {
        let (a, b) = (super::new_token().unwrap(), super::new_token().unwrap());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(super::same(&a, &a.clone()));
        assert!(!super::same(&a, &b));
        assert!(!super::same(&a, &a[..31]));
        let link = super::bookmarklet("127.0.0.1:1111".parse().unwrap(), &a);
        assert_eq!(link, format!("javascript:(()=>{{location.href='http://127.0.0.1:1111/__gazette/add?token={a}&url='+encodeURIComponent(location.href)}})()"));
    }
}
