//! The HTTP server of `gazette serve`: hyper (HTTP/1.1 with keep-alive) on a small tokio
//! runtime, with a cap on simultaneous connections, the `Host` check, the method check and
//! the live-reload event stream. The answers with the site's files are in [`super::files`].

use super::files::{self, text, Body};
use super::State;
use anyhow::{Context, Result};
use bytes::Bytes;
use futures_util::stream::{self, StreamExt};
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{HeaderValue, ALLOW, CACHE_CONTROL, CONTENT_TYPE, HOST};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode, Version};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The path of the event stream; outside any site path, so it never clashes with a page.
pub const EVENTS_PATH: &str = "/__gazette/events";

/// The most connections served at once; more wait in the system's queue until one closes.
const MAX_CONNECTIONS: usize = 1024;

/// How long a client has to send a request's headers, and how long a kept-alive connection
/// may wait idle for its next request.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How often an idle event stream gets a comment, which also finds tabs that have gone.
const PING_EVERY: Duration = Duration::from_secs(10);

/// How long the server waits after a failed accept (out of file descriptors, say).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// A running server: its address, and its state for rebuilds.
pub struct Server {
    pub addr: SocketAddr,
    pub state: Arc<State>,
}

/// What every connection needs: the site, and the address the listener is bound to.
struct Shared {
    state: Arc<State>,
    bound: SocketAddr,
}

/// Serves `state`'s site on `listener` from background threads: a tokio runtime of two
/// workers, driven by a thread of its own that accepts connections until the process ends.
pub fn listen(listener: std::net::TcpListener, state: Arc<State>) -> Result<Server> {
    let addr = listener
        .local_addr()
        .context("could not read the server's address")?;
    listener
        .set_nonblocking(true)
        .context("could not make the server's socket non-blocking")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(32)
        .thread_name("gazette-serve")
        .enable_io()
        .enable_time()
        .build()
        .context("could not start the server's runtime")?;
    let listener = {
        let _entered = runtime.enter();
        TcpListener::from_std(listener).context("could not hand the socket to the runtime")?
    };
    let shared = Arc::new(Shared {
        state: state.clone(),
        bound: addr,
    });
    std::thread::Builder::new()
        .name("gazette-accept".into())
        .spawn(move || runtime.block_on(accept_loop(listener, shared)))
        .context("could not start the server's thread")?;
    Ok(Server { addr, state })
}

/// Accepts connections while fewer than [`MAX_CONNECTIONS`] are open, each served by a
/// task. A failed accept is reported once and retried after a pause, never in a busy loop.
async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut failing = false;
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                failing = false;
                tokio::spawn(connection(stream, shared.clone(), slot));
            }
            Err(e) => {
                if !failing {
                    eprintln!(
                        "warning: the server could not accept a connection ({e}); retrying every {} ms",
                        ACCEPT_BACKOFF.as_millis()
                    );
                    failing = true;
                }
                drop(slot);
                tokio::time::sleep(ACCEPT_BACKOFF).await;
            }
        }
    }
}

/// Serves the requests of one connection, kept alive between them; its slot is freed when
/// it closes. Unparseable requests are answered (400) and timed out by hyper.
async fn connection(stream: TcpStream, shared: Arc<Shared>, _slot: OwnedSemaphorePermit) {
    let _ = stream.set_nodelay(true);
    let Ok(peer) = stream.peer_addr() else {
        return;
    };
    let service = service_fn(move |request| {
        let shared = shared.clone();
        async move { Ok::<_, Infallible>(answer(request, &shared, peer).await) }
    });
    // Errors here are the client's (a reset, a timeout, garbage) and end only this connection.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .keep_alive(true)
        // `Content-Type`, as people (and this project's tests) write it.
        .title_case_headers(true)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// The answer to one request from `peer`. Every answer is revalidated by the browser
/// before it is used again, so the preview never shows a stale page.
async fn answer(request: Request<Incoming>, shared: &Shared, peer: SocketAddr) -> Response<Body> {
    let mut response = match refusal(&request, shared.bound) {
        Some(refused) => refused,
        None if request.uri().path() == EVENTS_PATH => {
            event_stream(&shared.state, request.method() == Method::HEAD)
        }
        None if request.uri().path() == super::ADD_PATH => {
            super::bookmarklet::answer(&shared.state, request, shared.bound, peer).await
        }
        None if request.uri().path() == super::INBOX_PATH => {
            super::inbox_page::answer(&shared.state, request, shared.bound, peer).await
        }
        None => {
            let head = request.method() == Method::HEAD;
            files::respond(&shared.state, request.uri().path(), request.headers(), head).await
        }
    };
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A refusal for a request the server does not answer: one for another host (a page on
/// another site reaching this server through DNS rebinding), or a method other than GET
/// and HEAD (and POST, for the bookmarklet's form).
fn refusal(request: &Request<Incoming>, bound: SocketAddr) -> Option<Response<Body>> {
    // A target in absolute form (`GET http://host/path`) names the host itself.
    let host = match request.uri().authority() {
        Some(authority) => Some(Ok(authority.as_str())),
        None => request.headers().get(HOST).map(|h| h.to_str()),
    };
    match host {
        None if request.version() < Version::HTTP_11 => {}
        None => {
            return Some(text(
                StatusCode::BAD_REQUEST,
                "Bad request: no Host header.\n",
            ))
        }
        Some(Err(_)) => {
            return Some(text(
                StatusCode::BAD_REQUEST,
                "Bad request: the Host header is not text.\n",
            ))
        }
        Some(Ok(host)) if !host_allowed(host, bound) => {
            let served = served_hosts(bound);
            let body = format!(
                "gazette serve answers only requests for {served}, not for the host {host:?}.\n"
            );
            return Some(text(StatusCode::FORBIDDEN, &body));
        }
        Some(Ok(_)) => {}
    }
    let adding = [super::ADD_PATH, super::INBOX_PATH].contains(&request.uri().path());
    if matches!(*request.method(), Method::GET | Method::HEAD)
        || (adding && request.method() == Method::POST)
    {
        return None;
    }
    let (why, allow) = match adding {
        true => (
            "Only GET, HEAD and POST (the page's form) are supported here.\n",
            "GET, HEAD, POST",
        ),
        false => ("Only GET and HEAD are supported.\n", "GET, HEAD"),
    };
    let mut refused = text(StatusCode::METHOD_NOT_ALLOWED, why);
    refused
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    Some(refused)
}

/// Whether `host` (a `Host` header) names this server: `localhost`, a loopback address or
/// the bound address, with the bound port. A server bound to every interface (0.0.0.0,
/// `::`) also answers to any IP address literal, which no DNS rebinding can forge.
fn host_allowed(host: &str, bound: SocketAddr) -> bool {
    let Some((name, port)) = host.rsplit_once(':') else {
        return false;
    };
    if port != bound.port().to_string() {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let ip = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().map(IpAddr::V6),
        None => name.parse::<std::net::Ipv4Addr>().map(IpAddr::V4),
    };
    ip.is_ok_and(|ip| ip.is_loopback() || ip == bound.ip() || bound.ip().is_unspecified())
}

/// The host names [`host_allowed`] accepts, for the refusal's text.
fn served_hosts(bound: SocketAddr) -> String {
    let port = bound.port();
    let last = if bound.ip().is_unspecified() {
        format!("any IP address of this machine with port {port}")
    } else if !bound.ip().is_loopback() {
        bound.to_string()
    } else {
        return format!("localhost:{port}, 127.0.0.1:{port} and [::1]:{port}");
    };
    format!("localhost:{port}, 127.0.0.1:{port}, [::1]:{port} and {last}")
}

/// The live-reload stream of one tab: `retry: 500`, the pending problem if there is one,
/// then every event broadcast, with a `: ping` comment when nothing was sent for a while.
fn event_stream(state: &State, head: bool) -> Response<Body> {
    let body = if head {
        files::empty()
    } else {
        let (events, problem) = state.subscribe();
        let mut first = String::from("retry: 500\n\n");
        if let Some(problem) = problem {
            first.push_str(&super::event_message("problem", &problem));
        }
        let start = tokio::time::Instant::now() + PING_EVERY;
        let pings = tokio::time::interval_at(start, PING_EVERY);
        let rest = stream::unfold((events, pings), |(mut events, mut pings)| async move {
            let chunk = tokio::select! {
                message = events.recv() => Bytes::from(message?),
                _ = pings.tick() => Bytes::from_static(b": ping\n\n"),
            };
            Some((Ok(Frame::data(chunk)), (events, pings)))
        });
        let stream = stream::once(async move { Ok(Frame::data(Bytes::from(first))) }).chain(rest);
        StreamBody::new(stream).boxed_unsync()
    };
    let mut response = Response::new(body);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    response
}

#[cfg(test)]
mod tests {
    use super::host_allowed;

    #[test]
    fn hosts_are_this_server_with_its_port() {
        let local = "127.0.0.1:8080".parse().unwrap();
        for host in [
            "localhost:8080",
            "LocalHost:8080",
            "127.0.0.1:8080",
            "[::1]:8080",
        ] {
            assert!(host_allowed(host, local), "{host}");
        }
        for host in [
            "localhost",
            "127.0.0.1",
            "localhost:80",
            "evil.example:8080",
            "[127.0.0.1]:8080",
            "::1:8080",
            "192.168.1.5:8080",
            "",
        ] {
            assert!(!host_allowed(host, local), "{host}");
        }
        let everywhere = "0.0.0.0:8080".parse().unwrap();
        assert!(host_allowed("0.0.0.0:8080", everywhere));
        assert!(host_allowed("192.168.1.5:8080", everywhere));
        assert!(!host_allowed("evil.example:8080", everywhere));
        let lan = "192.168.1.5:8080".parse().unwrap();
        assert!(host_allowed("192.168.1.5:8080", lan));
        assert!(!host_allowed("192.168.1.6:8080", lan));
    }
}
