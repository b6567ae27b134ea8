//! The lock of a running `gazette serve`: `.gazette-serve.lock` at the site's root holds
//! its process id and, once it listens, its address. A second `serve` of the same site
//! finds it and stops before it touches anything (a second one used to empty the first
//! one's `.serve/`, which then answered 404 to everything); a lock whose process is gone
//! (a `serve` that was killed) is taken over. The lock goes when `serve` stops.

use anyhow::{bail, Context, Result};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The lock's file, at the site's root.
pub const LOCK_FILE: &str = ".gazette-serve.lock";

/// The lock this process holds; removed when dropped (and by [`release`] on Ctrl-C).
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    pid: u32,
}

/// What a lock file says: the process holding it and, once it listens, its address.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Holder {
    pid: u32,
    url: Option<String>,
}

impl Holder {
    fn parse(text: &str) -> Option<Holder> {
        let mut lines = text.lines();
        let pid = lines.next()?.trim().parse().ok()?;
        let url = lines.next().map(str::trim).filter(|u| !u.is_empty());
        Some(Holder {
            pid,
            url: url.map(String::from),
        })
    }

    fn text(&self) -> String {
        format!("{}\n{}\n", self.pid, self.url.as_deref().unwrap_or(""))
    }
}

impl Lock {
    /// Takes the lock of the site at `root`; an error says which `serve` holds it.
    pub fn take(root: &Path) -> Result<Lock> {
        let path = root.join(LOCK_FILE);
        let pid = std::process::id();
        let mine = Holder { pid, url: None };
        for _ in 0..5 {
            if create(&path, &mine.text())? {
                return Ok(Lock { path, pid });
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            match Holder::parse(&text) {
                Some(holder) if holder.pid != pid && holds(&holder) => {
                    bail!("{}", held_by(&holder, &path))
                }
                // Left by a serve that is gone: taken over, unless it changed meanwhile.
                _ => {
                    if std::fs::read_to_string(&path).is_ok_and(|now| now == text) {
                        let _ = std::fs::remove_file(&path);
                    }
                }
            }
        }
        bail!(
            "could not take {}: it keeps changing; is another gazette serve starting for this site?",
            path.display()
        )
    }

    /// Records the address this `serve` answers at, for the message a second one gives.
    pub fn set_url(&self, url: &str) -> Result<()> {
        let holder = Holder {
            pid: self.pid,
            url: Some(url.to_string()),
        };
        std::fs::write(&self.path, holder.text())
            .with_context(|| format!("could not write {}", self.path.display()))
    }

    /// What [`release`] needs, for a handler that ends the process without dropping.
    pub fn parts(&self) -> (PathBuf, u32) {
        (self.path.clone(), self.pid)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        release(&self.path, self.pid);
    }
}

/// Removes the lock at `path` if process `pid` still holds it.
pub fn release(path: &Path, pid: u32) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    if Holder::parse(&text).is_some_and(|h| h.pid == pid) {
        let _ = std::fs::remove_file(path);
    }
}

/// The message for a site another `serve` previews.
fn held_by(holder: &Holder, path: &Path) -> String {
    match &holder.url {
        Some(url) => format!(
            "already previewing this site at {url} (pid {}); open that address, or stop that gazette serve (Ctrl-C) first",
            holder.pid
        ),
        None => format!(
            "another gazette serve (pid {}) is starting for this site; open the address it prints, or stop it first (if no gazette serve runs, remove {})",
            holder.pid,
            path.display()
        ),
    }
}

/// Makes the lock file with `text` in one step (written beside it, then linked in, so no
/// other `serve` ever reads it half written); `false` when it exists.
fn create(path: &Path, text: &str) -> Result<bool> {
    let temp = path.with_extension(format!("lock.{}", std::process::id()));
    std::fs::write(&temp, text).with_context(|| format!("could not write {}", temp.display()))?;
    let linked = std::fs::hard_link(&temp, path);
    let _ = std::fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e).with_context(|| format!("could not make {}", path.display())),
    }
}

/// Whether the `serve` a lock names still runs: its process does and, once it has an
/// address, something answers there (a process number can be given again to another
/// program; some systems cannot tell whether a process runs at all).
fn holds(holder: &Holder) -> bool {
    alive(holder.pid) && holder.url.as_deref().is_none_or(listening)
}

/// Whether a connection to the address of `url` is accepted; `true` when the address
/// cannot be read (the lock is then left alone).
fn listening(url: &str) -> bool {
    let Ok(parsed) = url::Url::parse(url) else {
        return true;
    };
    let ip = match parsed.host() {
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return true,
    };
    // A server bound to every interface answers on the loopback one.
    let ip = match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let port = parsed.port_or_known_default().unwrap_or(80);
    TcpStream::connect_timeout(&SocketAddr::new(ip, port), Duration::from_millis(500)).is_ok()
}

/// Whether process `pid` runs (and, where the system tells, is a `gazette`: a number
/// given again to another program after a reboot does not hold the lock).
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(id) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if id <= 0 {
        return false;
    }
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    let exists = unsafe { libc::kill(id, 0) } == 0
        || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
    let command = std::fs::read(format!("/proc/{pid}/cmdline"));
    exists && command.map_or(true, |c| String::from_utf8_lossy(&c).contains("gazette"))
}

#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_is_held_once_and_a_dead_ones_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let lock = Lock::take(dir.path()).unwrap();
        lock.set_url("http://127.0.0.1:1111/").unwrap();
        let path = dir.path().join(LOCK_FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            format!("{}\nhttp://127.0.0.1:1111/\n", std::process::id())
        );
        drop(lock);
        assert!(!path.exists(), "released when dropped");
        // No such process (pid_max is at most 2^22), and a number that is no process.
        for stale in ["4194305\nhttp://127.0.0.1:1/\n", "0\n", "not a pid\n", ""] {
            std::fs::write(&path, stale).unwrap();
            let lock = Lock::take(dir.path()).unwrap();
            assert!(std::fs::read_to_string(&path)
                .unwrap()
                .starts_with(&format!("{}\n", std::process::id())));
            drop(lock);
        }
        // A gazette that runs but answers nowhere near the address (a number given again).
        let mut other = std::process::Command::new("bash")
            .args(["-c", "exec -a gazette-other sleep 30"])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let open = format!("http://{}/", listener.local_addr().unwrap());
        let closed = format!("http://127.0.0.1:{}/digest/", {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        });
        std::fs::write(&path, format!("{}\n{open}\n", other.id())).unwrap();
        let held = Lock::take(dir.path()).unwrap_err().to_string();
        assert!(
            held.starts_with(&format!(
                "already previewing this site at {open} (pid {})",
                other.id()
            )),
            "{held}"
        );
        std::fs::write(&path, format!("{}\n{closed}\n", other.id())).unwrap();
        drop(Lock::take(dir.path()).unwrap());
        let _ = other.kill();
        let _ = other.wait();
        assert_eq!(
            held_by(&Holder::parse("12\nhttp://127.0.0.1:1111/\n").unwrap(), &path),
            "already previewing this site at http://127.0.0.1:1111/ (pid 12); open that address, or stop that gazette serve (Ctrl-C) first"
        );
    }
}
