//! Web addresses as a digest cites them: tracking parameters taken out (`clean`), the key
//! that says two addresses are the same story (`story_key`), and relative addresses made
//! absolute (`join`). Shared by `add`, `build` and `check`, so all three agree.

/// Query parameters that only say where a click came from, by exact (lower-case) name.
const TRACKING: &[&str] = &[
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "mc_cid",
    "mc_eid",
    "igshid",
    "igsh",
    "ref_src",
    "ref_url",
    "mkt_tok",
    "spm",
    "_ga",
    "_gl",
    "s_kwcid",
    "ocid",
    "cmpid",
    "icid",
    "ncid",
    "smid",
    "smtyp",
    "xtor",
    "guccounter",
    "guce_referrer",
    "guce_referrer_sig",
    "rb_clickid",
    "wickedid",
    "srsltid",
    "wt.mc_id",
];

/// Prefixes of tracking parameters' names: Google Analytics campaigns (`utm_source`…),
/// HubSpot (`_hsenc`, `_hsmi`, `__hstc`, `hsa_cam`), Matomo and Piwik (`mtm_`, `pk_`),
/// Olytics and Vero (`oly_`, `vero_`).
const TRACKING_PREFIXES: &[&str] = &[
    "utm_", "_hs", "__hs", "hsa_", "mtm_", "pk_", "oly_", "vero_",
];

/// Whether the query parameter `name` only tracks clicks (`utm_source`, `fbclid`…).
pub fn is_tracking(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    TRACKING.contains(&name.as_str()) || TRACKING_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The parts of an address: everything before the query, the query (without `?`) and
/// the fragment (with its `#`).
fn split(url: &str) -> (&str, Option<&str>, &str) {
    let (rest, fragment) = match url.find('#') {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    match rest.split_once('?') {
        Some((base, query)) => (base, Some(query), fragment),
        None => (rest, None, fragment),
    }
}

/// The query's `name=value` parts that do not track clicks, as written.
fn kept_params(query: &str) -> Vec<&str> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .filter(|part| {
            let name = part.split('=').next().unwrap_or(part);
            let name = crate::util::slug::percent_decode(name).unwrap_or_else(|| name.into());
            !is_tracking(&name)
        })
        .collect()
}

/// `url` without its tracking parameters; everything else stays as written:
/// `https://x.com/a?id=3&utm_source=tw#top` -> `https://x.com/a?id=3#top`.
pub fn clean(url: &str) -> String {
    let url = url.trim();
    let (base, query, fragment) = split(url);
    let Some(query) = query else {
        return url.to_string();
    };
    let kept = kept_params(query);
    let mut out = String::with_capacity(url.len());
    out.push_str(base);
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    out.push_str(fragment);
    out
}

/// Whether `url` has a tracking parameter that [`clean`] takes out.
pub fn has_tracking(url: &str) -> bool {
    match split(url.trim()).1 {
        Some(query) => {
            let parts = query.split('&').filter(|p| !p.is_empty()).count();
            kept_params(query).len() != parts
        }
        None => false,
    }
}

/// What makes two addresses the same story: the address without its scheme, `www.`, user,
/// default port, trailing slash, fragment and tracking parameters, the host in lower case
/// and the other parameters sorted. `http://www.Example.com/a/?utm_source=x` and
/// `https://example.com/a` both give `example.com/a`.
pub fn story_key(url: &str) -> String {
    let url = url.trim();
    let rest = match url.find("://") {
        Some(i) if url[..i].chars().all(|c| c.is_ascii_alphanumeric()) => &url[i + 3..],
        _ => url,
    };
    let (base, query, _) = split(rest);
    let (authority, path) = match base.find('/') {
        Some(i) => base.split_at(i),
        None => (base, ""),
    };
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.to_ascii_lowercase();
    let host = host
        .strip_suffix(":80")
        .or_else(|| host.strip_suffix(":443"))
        .unwrap_or(&host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    let mut key = format!("{host}{}", path.trim_end_matches('/'));
    let mut kept = query.map(kept_params).unwrap_or_default();
    if !kept.is_empty() {
        kept.sort_unstable();
        key.push('?');
        key.push_str(&kept.join("&"));
    }
    key
}

/// Whether `url` starts with `http://` or `https://` (in any case) and names a host.
pub fn is_web(url: &str) -> bool {
    let url = url.trim();
    let after = |scheme: &str| {
        url.get(..scheme.len())
            .filter(|s| s.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    };
    match after("https://").or_else(|| after("http://")) {
        Some(rest) => !rest.is_empty() && !rest.starts_with(['/', '?', '#']),
        None => false,
    }
}

/// `href` made absolute against `base` (relative links, `//host/…`, `/path`); only web
/// addresses come out: `None` for `javascript:`, `data:` and the like.
pub fn join(base: &str, href: &str) -> Option<String> {
    let joined = url::Url::parse(base).ok()?.join(href.trim()).ok()?;
    matches!(joined.scheme(), "http" | "https").then(|| joined.to_string())
}

/// The host and port of a web address, in lower case (`example.com:8080`): requests to
/// one of them are made one at a time.
pub fn authority(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    authority
        .rsplit('@')
        .next()
        .unwrap_or(authority)
        .to_ascii_lowercase()
}

/// Whether `url` is a site's front page: nothing after the host but `/` (and no query).
pub fn is_front_page(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.split('#').next().unwrap_or(rest);
    match rest.find('/') {
        Some(i) => &rest[i..] == "/" || rest[i..].is_empty(),
        None => !rest.contains('?'),
    }
}

/// A URL path as URLs must write it (RFC 3986): every byte that is not allowed in a path
/// (non-ASCII letters, spaces, `"<>`…) percent-encoded, `서울시-버스/` as
/// `%EC%84%9C%EC%9A%B8%EC%8B%9C-%EB%B2%84%EC%8A%A4/`; what is already encoded stays.
pub fn encode_path(path: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b);
    let bytes = path.as_bytes();
    let encoded = |i: usize| {
        bytes[i] == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    };
    if (0..bytes.len()).all(|i| allowed(bytes[i]) || encoded(i)) {
        return std::borrow::Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() * 3);
    for (i, &b) in bytes.iter().enumerate() {
        if allowed(b) || encoded(i) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_are_percent_encoded_once() {
        use super::encode_path;
        assert_eq!(encode_path("2018/08/15/kim/"), "2018/08/15/kim/");
        assert_eq!(
            encode_path("2018/08/15/서울시-버스/"),
            "2018/08/15/%EC%84%9C%EC%9A%B8%EC%8B%9C-%EB%B2%84%EC%8A%A4/"
        );
        assert_eq!(encode_path("a b/%ED%95%9C/100%"), "a%20b/%ED%95%9C/100%25");
    }

    use super::*;

    #[test]
    fn tracking_parameters_are_taken_out_and_the_rest_kept_as_written() {
        assert_eq!(
            clean("https://x.com/a?id=3&utm_source=tw&utm_medium=social#top"),
            "https://x.com/a?id=3#top"
        );
        assert_eq!(
            clean("https://x.com/a?fbclid=IwAR0&gclid=1&mc_cid=2&mc_eid=3&igshid=4&ref_src=twsrc%5Etfw"),
            "https://x.com/a"
        );
        assert_eq!(
            clean("https://x.com/a?_hsenc=p2&_hsmi=1&yclid=2&msclkid=3&dclid=4&spm=a2.b&page=2"),
            "https://x.com/a?page=2"
        );
        assert_eq!(
            clean("https://x.com/a?UTM_Source=x&q=a%20b"),
            "https://x.com/a?q=a%20b"
        );
        assert_eq!(clean("https://x.com/a?%75tm_source=x"), "https://x.com/a");
        assert_eq!(clean("  https://x.com/a  "), "https://x.com/a");
        assert_eq!(clean("https://x.com/a?"), "https://x.com/a");
        assert_eq!(
            clean("https://x.com/a?q=1&&ref=home"),
            "https://x.com/a?q=1&ref=home"
        );
        assert_eq!(
            clean("https://x.com/#?utm_source=x"),
            "https://x.com/#?utm_source=x"
        );
        assert!(has_tracking("https://x.com/a?utm_campaign=z"));
        assert!(!has_tracking("https://x.com/a?id=3"));
        assert!(!has_tracking("https://x.com/a?q=1&&x=2"));
        assert!(!has_tracking("https://x.com/a"));
    }

    #[test]
    fn one_story_has_one_key_whatever_the_scheme_www_slash_or_tracking() {
        let key = "example.com/news/kerala-floods";
        for url in [
            "https://example.com/news/kerala-floods",
            "http://www.example.com/news/kerala-floods/",
            "HTTPS://WWW.Example.COM/news/kerala-floods?utm_source=twitter",
            "https://example.com:443/news/kerala-floods#comments",
            "http://example.com:80/news/kerala-floods?fbclid=x",
        ] {
            assert_eq!(story_key(url), key, "{url}");
        }
        assert_eq!(
            story_key("https://x.com/a?b=2&a=1&utm_source=z"),
            story_key("https://x.com/a?a=1&b=2")
        );
        assert_ne!(
            story_key("https://x.com/a?id=1"),
            story_key("https://x.com/a?id=2")
        );
        assert_ne!(
            story_key("https://x.com/News"),
            story_key("https://x.com/news")
        );
        assert_ne!(
            story_key("https://x.com:8080/a"),
            story_key("https://x.com/a")
        );
        assert_eq!(story_key("https://x.com"), "x.com");
        assert_eq!(story_key("https://x.com/"), "x.com");
    }

    #[test]
    fn addresses_are_joined_checked_and_split() {
        let base = "https://news.example/world/asia/story.html?x=1";
        assert_eq!(
            join(base, "/img/a.jpg").unwrap(),
            "https://news.example/img/a.jpg"
        );
        assert_eq!(
            join(base, "b.jpg").unwrap(),
            "https://news.example/world/asia/b.jpg"
        );
        assert_eq!(
            join(base, "//cdn.example/c.png").unwrap(),
            "https://cdn.example/c.png"
        );
        assert_eq!(
            join(base, "http://other.example/").unwrap(),
            "http://other.example/"
        );
        assert_eq!(join(base, "javascript:alert(1)"), None);
        assert_eq!(join(base, "data:image/png;base64,AA"), None);
        assert_eq!(join("not a url", "/a"), None);
        assert!(is_web("https://example.com/a"));
        assert!(is_web("HTTP://example.com"));
        assert!(is_web("  https://example.com/a "));
        for url in [
            "hé://example.com/",
            "httpé://x",
            "ftp://example.com/",
            "example.com",
            "https://",
            "http:///a",
            "mailto:a@b.c",
            "",
        ] {
            assert!(!is_web(url), "{url}");
        }
        assert_eq!(
            authority("https://user@Example.com:8080/a?b"),
            "example.com:8080"
        );
        assert_eq!(authority("http://example.com"), "example.com");
        for url in ["https://x.com/", "https://x.com", "https://x.com/#top"] {
            assert!(is_front_page(url), "{url}");
        }
        for url in ["https://x.com/a", "https://x.com/?p=2", "https://x.com?p=2"] {
            assert!(!is_front_page(url), "{url}");
        }
    }
}
