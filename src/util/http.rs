//! HTTP requests with Gazette's limits, for `add` (a page to read) and `check --external`
//! (a link to probe): http and https only, time-outs to connect and to read (10 s each, and
//! 30 s in all), at most 5 redirects, followed here so that loops are told apart, at most
//! 5 MB read, and a `User-Agent` that names Gazette. `GAZETTE_HTTP_TIMEOUT_MS` sets the
//! time-outs (connect and read; three times it in all), so tests need not wait 30 s.
//! A page on a public address is never followed to one on this machine or a private
//! network ([`may_redirect`]), so a news site cannot make Gazette read a local service;
//! a local page given directly is read as any other.

use std::io::Read;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::time::{Duration, Instant};

/// How Gazette introduces itself to the sites it reads.
pub const USER_AGENT: &str = concat!(
    "Gazette/",
    env!("CARGO_PKG_VERSION"),
    " (static site generator for news digests)"
);

/// The most redirects followed from one address.
pub const MAX_REDIRECTS: usize = 5;

/// The most bytes of a page read (a page's metadata is in its first kilobytes).
pub const MAX_BYTES: u64 = 5 << 20;

/// How long requests may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// To connect, and for each read.
    pub step: Duration,
    /// For the whole fetch, redirects included.
    pub total: Duration,
}

impl Limits {
    /// 10 s per step and 30 s in all, or what `GAZETTE_HTTP_TIMEOUT_MS` says (per step).
    pub fn from_env() -> Limits {
        let step = std::env::var("GAZETTE_HTTP_TIMEOUT_MS")
            .ok()
            .and_then(|ms| ms.trim().parse::<u64>().ok())
            .filter(|&ms| ms > 0)
            .map_or(Duration::from_secs(10), Duration::from_millis);
        Limits {
            step,
            total: step * 3,
        }
    }
}

/// Why a fetch gave nothing; each says what to do, in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Not an http:// or https:// address.
    NotWeb,
    /// An error status, with its reason phrase.
    Status(u16, String),
    /// No answer within the limits.
    TimedOut(Limits),
    /// A redirect back to an address already visited.
    Loop(Vec<String>),
    /// More than [`MAX_REDIRECTS`].
    TooManyRedirects,
    /// A redirect without a usable `Location`.
    BadRedirect(u16),
    /// No connection, or a broken answer.
    Unreachable(String),
    /// A redirect from a public address to the one given, which is not public.
    PrivateRedirect(String, IpAddr),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::NotWeb => write!(f, "is not a web address; give one that starts with http:// or https://"),
            Failure::Status(code, reason) => {
                write!(f, "answered HTTP {code}")?;
                if !reason.is_empty() {
                    write!(f, " ({reason})")?;
                }
                match code {
                    500.. => write!(f, "; the site is failing, try again later"),
                    _ => write!(f, "; check the address"),
                }
            }
            Failure::TimedOut(limits) => write!(
                f,
                "did not answer in time ({} to connect or to read, {} in all); try again later",
                seconds(limits.step),
                seconds(limits.total)
            ),
            Failure::Loop(chain) => write!(f, "redirects in a loop ({}); open it in a browser to find the page's address", chain.join(" -> ")),
            Failure::TooManyRedirects => write!(f, "redirects more than {MAX_REDIRECTS} times; open it in a browser and give the address it ends at"),
            Failure::BadRedirect(code) => write!(f, "answered HTTP {code} without a usable Location"),
            Failure::Unreachable(why) => write!(f, "could not be reached ({why}); check the address and the connection"),
            Failure::PrivateRedirect(to, ip) => write!(f, "redirects to {to}, which is on this machine or a private network ({ip}); Gazette does not follow a public page there. If you meant that page, give its address itself"),
        }
    }
}

/// `10 s`, `0.3 s`.
fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{} s", (s * 1000.0).round() / 1000.0)
    }
}

/// A page as fetched.
#[derive(Debug, Clone)]
pub struct Page {
    /// The address after redirects.
    pub url: String,
    /// The whole `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// At most [`MAX_BYTES`] of the body.
    pub body: Vec<u8>,
}

/// Where a link ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The address after redirects.
    pub url: String,
    /// How many redirects led there.
    pub redirects: usize,
}

/// Whether `ip` is on the public internet: not this machine, a private or shared
/// network, a link, multicast, documentation or reserved (IPv4 and IPv6, IPv4 written as
/// IPv6 too).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public(IpAddr::V4(v4)),
            None => {
                let first = v6.segments()[0];
                !(v6.is_loopback()
                    || v6.is_unspecified()
                    || v6.is_multicast()
                    || first & 0xfe00 == 0xfc00
                    || first & 0xffc0 == 0xfe80
                    || first & 0xffc0 == 0xfec0
                    || first == 0x2001 && v6.segments()[1] == 0xdb8)
            }
        },
    }
}

/// Whether a redirect from a host with the addresses `from` may be followed to one with
/// the addresses `to`: always from a host whose addresses are all local (a local page
/// given directly), and from any other only to public addresses. `public` says which
/// addresses are ([`is_public`]; tests give their own).
pub fn may_redirect(from: &[IpAddr], to: &[IpAddr], public: fn(IpAddr) -> bool) -> bool {
    local(from, public) || to.iter().all(|ip| public(*ip))
}

/// Whether a host with the addresses `ips` is local: it has some, and none is public.
fn local(ips: &[IpAddr], public: fn(IpAddr) -> bool) -> bool {
    !ips.is_empty() && ips.iter().all(|ip| !public(*ip))
}

/// The addresses of `url`'s host (none when it has none or they cannot be found).
fn addresses(url: &str) -> Vec<IpAddr> {
    let Ok(parsed) = url::Url::parse(url) else {
        return Vec::new();
    };
    let port = parsed.port_or_known_default().unwrap_or(80);
    match parsed.host() {
        Some(url::Host::Ipv4(v4)) => vec![IpAddr::V4(v4)],
        Some(url::Host::Ipv6(v6)) => vec![IpAddr::V6(v6)],
        Some(url::Host::Domain(name)) => (name, port)
            .to_socket_addrs()
            .map(|addrs| addrs.map(|a| a.ip()).collect())
            .unwrap_or_default(),
        None => Vec::new(),
    }
}

/// One fetch: the agent, its deadline, the addresses visited so far, and whether it began
/// at a public address (then it goes to public addresses only).
struct Fetch {
    agent: ureq::Agent,
    limits: Limits,
    started: Instant,
    visited: Vec<String>,
    /// The status of each redirect followed (301, 302…), in order.
    redirects: Vec<u16>,
    origin: Vec<IpAddr>,
    public: fn(IpAddr) -> bool,
    accept: &'static str,
    /// Sent with every request besides the usual ones (`If-None-Match`…).
    headers: Vec<(&'static str, String)>,
}

impl Fetch {
    fn new(url: &str, limits: Limits, public: fn(IpAddr) -> bool) -> Result<Fetch, Failure> {
        if !crate::util::url::is_web(url) {
            return Err(Failure::NotWeb);
        }
        let origin = addresses(url.trim());
        let public_only = !local(&origin, public);
        // Connections go only where the checks said: a name that changes its addresses
        // between a check and the connection (DNS rebinding) finds no private one.
        let resolver = move |netloc: &str| -> std::io::Result<Vec<SocketAddr>> {
            let mut found: Vec<SocketAddr> = netloc.to_socket_addrs()?.collect();
            if public_only {
                found.retain(|a| public(a.ip()));
            }
            match found.is_empty() {
                true => Err(std::io::Error::other("no public address")),
                false => Ok(found),
            }
        };
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(limits.step)
            .timeout_read(limits.step)
            .timeout_write(limits.step)
            .redirects(0)
            .user_agent(USER_AGENT)
            .resolver(resolver)
            .build();
        Ok(Fetch {
            agent,
            limits,
            started: Instant::now(),
            visited: vec![url.trim().to_string()],
            redirects: Vec::new(),
            origin,
            public,
            accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
            headers: Vec::new(),
        })
    }

    fn current(&self) -> &str {
        self.visited.last().map_or("", String::as_str)
    }

    fn remaining(&self) -> Result<Duration, Failure> {
        self.limits
            .total
            .checked_sub(self.started.elapsed())
            .filter(|d| !d.is_zero())
            .ok_or(Failure::TimedOut(self.limits))
    }

    /// One request to the current address; a redirect's target, or the final answer.
    fn step(&mut self, method: &str) -> Result<Option<ureq::Response>, Failure> {
        let mut request = self
            .agent
            .request(method, self.current())
            .timeout(self.remaining()?)
            .set("Accept", self.accept);
        for (name, value) in &self.headers {
            request = request.set(name, value);
        }
        let response = match request.call() {
            Ok(response) => response,
            Err(ureq::Error::Status(code, response)) => {
                return Err(Failure::Status(code, response.status_text().to_string()))
            }
            Err(ureq::Error::Transport(t)) => return Err(self.transport(&t)),
        };
        let code = response.status();
        if !(300..400).contains(&code) || code == 304 {
            return Ok(Some(response));
        }
        let next = response
            .header("Location")
            .and_then(|to| crate::util::url::join(self.current(), to))
            .ok_or(Failure::BadRedirect(code))?;
        if self.visited.contains(&next) {
            let mut chain = self.visited.clone();
            chain.push(next);
            return Err(Failure::Loop(chain));
        }
        if self.visited.len() > MAX_REDIRECTS {
            return Err(Failure::TooManyRedirects);
        }
        let to = addresses(&next);
        if !may_redirect(&self.origin, &to, self.public) {
            if let Some(ip) = to.iter().find(|ip| !(self.public)(**ip)) {
                return Err(Failure::PrivateRedirect(next, *ip));
            }
        }
        self.visited.push(next);
        self.redirects.push(code);
        Ok(None)
    }

    /// A failure to connect or to read: a time-out, or the connection's error.
    fn transport(&self, error: &(dyn std::error::Error + 'static)) -> Failure {
        let mut source = Some(error);
        while let Some(e) = source {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if matches!(
                    io.kind(),
                    std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
                ) {
                    return Failure::TimedOut(self.limits);
                }
            }
            source = e.source();
        }
        if self.started.elapsed() >= self.limits.total {
            return Failure::TimedOut(self.limits);
        }
        // The innermost cause says it best ("Connection refused (os error 111)").
        let mut innermost = error;
        while let Some(cause) = innermost.source() {
            innermost = cause;
        }
        Failure::Unreachable(innermost.to_string())
    }

    /// Requests until an answer that is no redirect.
    fn follow(&mut self, method: &str) -> Result<ureq::Response, Failure> {
        loop {
            if let Some(response) = self.step(method)? {
                return Ok(response);
            }
        }
    }
}

/// Fetches the page at `url`, following redirects; reads at most [`MAX_BYTES`].
pub fn get(url: &str, limits: Limits) -> Result<Page, Failure> {
    get_with(url, limits, is_public)
}

fn get_with(url: &str, limits: Limits, public: fn(IpAddr) -> bool) -> Result<Page, Failure> {
    let mut fetch = Fetch::new(url, limits, public)?;
    let response = fetch.follow("GET")?;
    let content_type = response.header("Content-Type").map(str::to_string);
    let mut body = Vec::new();
    let read = response
        .into_reader()
        .take(MAX_BYTES)
        .read_to_end(&mut body);
    if let Err(e) = read {
        return Err(fetch.transport(&e));
    }
    Ok(Page {
        url: fetch.current().to_string(),
        content_type,
        body,
    })
}

/// Asks for `url`'s headers (HEAD, or GET from a server that refuses HEAD), following
/// redirects; says where it ended.
pub fn probe(url: &str, limits: Limits) -> Result<Probe, Failure> {
    let mut fetch = Fetch::new(url, limits, is_public)?;
    loop {
        match fetch.step("HEAD") {
            Ok(Some(_)) => break,
            Ok(None) => {}
            Err(Failure::Status(403 | 405 | 501, _)) => {
                fetch.follow("GET")?;
                break;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Probe {
        url: fetch.current().to_string(),
        redirects: fetch.visited.len() - 1,
    })
}

/// What a feed's last answer said, to ask only for what changed (a conditional GET).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    /// The `ETag` it sent, sent back as `If-None-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The `Last-Modified` it sent, sent back as `If-Modified-Since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// A feed's answer to a conditional GET.
#[derive(Debug, Clone)]
pub enum FeedAnswer {
    /// 304: nothing new since the validators.
    NotModified { moved: Option<String> },
    /// The feed, at most `max_bytes` of it.
    Body {
        page: Page,
        validators: Validators,
        /// The body was longer than the cap and was cut there.
        cut: bool,
        /// Where every redirect followed was permanent (301, 308): the feed's new address.
        moved: Option<String>,
    },
}

/// Fetches the feed at `url` as [`get`] fetches a page, sending `validators` (a feed
/// that has not changed answers 304), reading at most `max_bytes`.
pub fn get_feed(
    url: &str,
    limits: Limits,
    validators: &Validators,
    max_bytes: u64,
) -> Result<FeedAnswer, Failure> {
    get_feed_with(url, limits, validators, max_bytes, is_public)
}

fn get_feed_with(
    url: &str,
    limits: Limits,
    validators: &Validators,
    max_bytes: u64,
    public: fn(IpAddr) -> bool,
) -> Result<FeedAnswer, Failure> {
    let mut fetch = Fetch::new(url, limits, public)?;
    fetch.accept = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8";
    if let Some(etag) = &validators.etag {
        fetch.headers.push(("If-None-Match", etag.clone()));
    }
    if let Some(date) = &validators.last_modified {
        fetch.headers.push(("If-Modified-Since", date.clone()));
    }
    let response = fetch.follow("GET")?;
    let moved = (!fetch.redirects.is_empty()
        && fetch.redirects.iter().all(|c| matches!(c, 301 | 308)))
    .then(|| fetch.current().to_string());
    if response.status() == 304 {
        return Ok(FeedAnswer::NotModified { moved });
    }
    let header = |name: &str| response.header(name).map(str::to_string);
    let validators = Validators {
        etag: header("ETag"),
        last_modified: header("Last-Modified"),
    };
    let content_type = header("Content-Type");
    let mut body = Vec::new();
    let read = response
        .into_reader()
        .take(max_bytes + 1)
        .read_to_end(&mut body);
    if let Err(e) = read {
        return Err(fetch.transport(&e));
    }
    let cut = body.len() as u64 > max_bytes;
    body.truncate(max_bytes as usize);
    let page = Page {
        url: fetch.current().to_string(),
        content_type,
        body,
    };
    Ok(FeedAnswer::Body {
        page,
        validators,
        cut,
        moved,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_read_as_one_line_each() {
        let limits = Limits {
            step: Duration::from_millis(300),
            total: Duration::from_millis(900),
        };
        assert_eq!(
            Failure::TimedOut(limits).to_string(),
            "did not answer in time (0.3 s to connect or to read, 0.9 s in all); try again later"
        );
        let limits = Limits {
            step: Duration::from_secs(10),
            total: Duration::from_secs(30),
        };
        assert_eq!(
            Failure::TimedOut(limits).to_string(),
            "did not answer in time (10 s to connect or to read, 30 s in all); try again later"
        );
        assert_eq!(
            Failure::Status(404, "Not Found".into()).to_string(),
            "answered HTTP 404 (Not Found); check the address"
        );
        assert_eq!(
            Failure::Status(503, String::new()).to_string(),
            "answered HTTP 503; the site is failing, try again later"
        );
        assert!(USER_AGENT.starts_with("Gazette/0."));
    }

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|ip| ip.parse().unwrap()).collect()
    }

    #[test]
    fn public_pages_are_never_followed_to_private_addresses() {
        let public = ips(&["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]);
        for private in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            let to = ips(&[private]);
            assert!(!is_public(to[0]), "{private}");
            assert!(
                !may_redirect(&public, &to, is_public),
                "public -> {private}"
            );
            assert!(
                !may_redirect(&public, &ips(&["8.8.8.8", private]), is_public),
                "a name with both -> {private}"
            );
            assert!(
                may_redirect(&to, &to, is_public),
                "{private} given directly"
            );
            assert!(
                may_redirect(&ips(&["127.0.0.1"]), &to, is_public),
                "local -> {private}"
            );
        }
        assert!(may_redirect(&public, &ips(&["8.8.8.8"]), is_public));
        assert!(may_redirect(&ips(&["127.0.0.1"]), &public, is_public));
        assert!(
            !may_redirect(
                &ips(&["127.0.0.1", "8.8.8.8"]),
                &ips(&["10.0.0.1"]),
                is_public
            ),
            "a name with a public address is public"
        );
        assert!(
            !may_redirect(&[], &ips(&["10.0.0.1"]), is_public),
            "an origin not found is not local"
        );
    }

    /// A server on `ip` that redirects every request to `to`; its address.
    fn redirecting(ip: &str, to: String) -> String {
        use std::io::Write;
        let listener = std::net::TcpListener::bind((ip, 0)).unwrap();
        let url = format!("http://{}/story", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut head = [0u8; 2048];
                let _ = std::io::Read::read(&mut stream, &mut head);
                let _ = write!(stream, "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
        url
    }

    #[test]
    fn a_redirect_from_a_public_address_to_a_private_one_is_refused() {
        // Here 127.0.0.2 plays a public address, and 127.0.0.1 this machine.
        let public = |ip: IpAddr| ip != IpAddr::from([127, 0, 0, 1]);
        let local = redirecting("127.0.0.1", "http://127.0.0.2:9/".into());
        let news = redirecting("127.0.0.2", local.clone());
        let limits = Limits::from_env();
        let refused = get_with(&news, limits, public).unwrap_err();
        assert_eq!(
            refused,
            Failure::PrivateRedirect(local.clone(), IpAddr::from([127, 0, 0, 1]))
        );
        assert_eq!(refused.to_string(), format!("redirects to {local}, which is on this machine or a private network (127.0.0.1); Gazette does not follow a public page there. If you meant that page, give its address itself"));
        // A local page given directly follows its redirects (here to the "public" one).
        let followed = get_with(&local, limits, public).unwrap_err();
        assert!(matches!(followed, Failure::Unreachable(_)), "{followed:?}");
    }

    #[test]
    fn only_web_addresses_are_fetched() {
        let limits = Limits::from_env();
        for url in ["ftp://example.com/a", "file:///etc/passwd", "example.com"] {
            assert_eq!(get(url, limits).unwrap_err(), Failure::NotWeb, "{url}");
            assert_eq!(probe(url, limits).unwrap_err(), Failure::NotWeb, "{url}");
        }
    }
}
