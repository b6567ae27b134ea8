//! Imported references (`{{< ref >}}`, `{% post_url %}`) left in rendered HTML or text,
//! replaced by the addresses they resolve to as a last pass.

use super::*;

/// `out` (HTML or text) with each imported reference left in it (`gazette-ref:name` in
/// text, code, raw HTML or a link that did not form, bracketed as an autolink or not,
/// escaped or percent-encoded) replaced by the address it resolves to, or by its name where
/// it resolves to none (the link check reports those): no placeholder reaches a page.
pub(super) fn with_refs_resolved(out: &str, link: &dyn Fn(&str) -> Option<String>) -> String {
    let mut resolved = String::with_capacity(out.len());
    let mut rest = out;
    while let Some(at) = rest.find(imported::REF_SCHEME) {
        let tail = &rest[at + imported::REF_SCHEME.len()..];
        let (name_len, close) = ref_name_end(tail);
        let name = &tail[..name_len];
        let before = &rest[..at];
        let open = ["<", "&lt;", "%3C", "%3c"]
            .into_iter()
            .find(|o| close.is_some() && before.ends_with(o))
            .map_or(0, str::len);
        resolved.push_str(&before[..before.len() - open]);
        match link(&format!("{}{name}", imported::REF_SCHEME)) {
            Some(address) => resolved.push_str(&address),
            None => resolved.push_str(name),
        }
        let closed = if open > 0 {
            close.map_or(0, str::len)
        } else {
            0
        };
        rest = &tail[name_len + closed..];
    }
    resolved.push_str(rest);
    resolved
}

/// Where the name of a reference ends in `tail`, and the closing bracket that follows it
/// there, if any (`>`, `&gt;`, `%3E`).
pub(super) fn ref_name_end(tail: &str) -> (usize, Option<&'static str>) {
    let mut end = 0;
    for (i, c) in tail.char_indices() {
        for close in [">", "&gt;", "%3E", "%3e"] {
            if tail[i..].starts_with(close) {
                return (i, Some(close));
            }
        }
        if c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '&' | '(' | ')' | '[' | ']' | '`') {
            return (i, None);
        }
        end = i + c.len_utf8();
    }
    (end, None)
}
