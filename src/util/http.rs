//! HTTP requests with Gazette's limits, for `add` (a page to read) and `check --external`
//! (a link to probe): http and https only, time-outs to connect and to read (10 s each, and
//! 30 s in all), at most 5 redirects, followed here so that loops are told apart, at most
//! 5 MB read, and a `User-Agent` that names Gazette. `GAZETTE_HTTP_TIMEOUT_MS` sets the
//! time-outs (connect and read; three times it in all), so tests need not wait 30 s.

use std::io::Read;
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

/// One fetch: the agent, its deadline, and the addresses visited so far.
struct Fetch {
    agent: ureq::Agent,
    limits: Limits,
    started: Instant,
    visited: Vec<String>,
}

impl Fetch {
    fn new(url: &str, limits: Limits) -> Result<Fetch, Failure> {
        if !crate::util::url::is_web(url) {
            return Err(Failure::NotWeb);
        }
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(limits.step)
            .timeout_read(limits.step)
            .timeout_write(limits.step)
            .redirects(0)
            .user_agent(USER_AGENT)
            .build();
        Ok(Fetch {
            agent,
            limits,
            started: Instant::now(),
            visited: vec![url.trim().to_string()],
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
        let request = self
            .agent
            .request(method, self.current())
            .timeout(self.remaining()?)
            .set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
        let response = match request.call() {
            Ok(response) => response,
            Err(ureq::Error::Status(code, response)) => {
                return Err(Failure::Status(code, response.status_text().to_string()))
            }
            Err(ureq::Error::Transport(t)) => return Err(self.transport(&t)),
        };
        let code = response.status();
        if !(300..400).contains(&code) {
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
        self.visited.push(next);
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
    let mut fetch = Fetch::new(url, limits)?;
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
    let mut fetch = Fetch::new(url, limits)?;
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

    #[test]
    fn only_web_addresses_are_fetched() {
        let limits = Limits::from_env();
        for url in ["ftp://example.com/a", "file:///etc/passwd", "example.com"] {
            assert_eq!(get(url, limits).unwrap_err(), Failure::NotWeb, "{url}");
            assert_eq!(probe(url, limits).unwrap_err(), Failure::NotWeb, "{url}");
        }
    }
}
