//! A small, forgiving scanner of HTML tags, enough to read a page's metadata: each start
//! tag with its attributes (names in lower case, values with character references
//! decoded), and the text of `<title>` and `<script>`. Comments, end tags and everything
//! else are skipped; no input makes it fail, it only finds fewer tags.

/// One start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// In lower case: `meta`, `link`, `script`.
    pub name: String,
    /// In the order written; names in lower case.
    pub attrs: Vec<(String, String)>,
    /// The text up to the matching end tag, for `title` (references decoded), `script`
    /// and `style` (as written).
    pub text: Option<String>,
}

impl Tag {
    /// The value of the attribute `name` (lower case), if the tag has it.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every start tag of `html`, in order.
pub fn tags(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |j| &after[j + 3..]);
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // An end tag, a doctype, a processing instruction or a stray `<`.
            continue;
        }
        let (mut tag, after) = start_tag(rest);
        rest = after;
        if matches!(tag.name.as_str(), "title" | "script" | "style" | "textarea") {
            let (text, after) = raw_text(rest, &tag.name);
            tag.text = Some(if tag.name == "title" {
                decode_references(text)
            } else {
                text.to_string()
            });
            rest = after;
        }
        tags.push(tag);
    }
    tags
}

/// Reads a start tag from just after its `<`; returns it and the text after its `>`.
fn start_tag(text: &str) -> (Tag, &str) {
    let end = text
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .unwrap_or(text.len());
    let name = text[..end].to_ascii_lowercase();
    let mut rest = &text[end..];
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            break;
        }
        if let Some(after) = rest.strip_prefix('>') {
            rest = after;
            break;
        }
        let (attr, after) = attribute(rest);
        attrs.push(attr);
        rest = after;
    }
    let tag = Tag {
        name,
        attrs,
        text: None,
    };
    (tag, rest)
}

/// Reads one attribute (`name`, `name=value`, `name="value"`, `name='value'`).
fn attribute(text: &str) -> ((String, String), &str) {
    let end = text
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
        .map_or(text.len(), |(i, _)| i);
    let name = text[..end].to_ascii_lowercase();
    let rest = text[end..].trim_start_matches(|c: char| c.is_ascii_whitespace());
    let Some(rest) = rest.strip_prefix('=') else {
        return ((name, String::new()), rest);
    };
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let (value, rest) = match rest.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let inner = &rest[1..];
            match inner.find(quote) {
                Some(j) => (&inner[..j], &inner[j + 1..]),
                None => (inner, ""),
            }
        }
        _ => {
            let j = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(rest.len());
            (&rest[..j], &rest[j..])
        }
    };
    ((name, decode_references(value)), rest)
}

/// The text of a raw-text element up to `</name` (in any case), and what follows its end tag.
fn raw_text<'a>(text: &'a str, name: &str) -> (&'a str, &'a str) {
    let mut from = 0;
    while let Some(j) = text[from..].find("</") {
        let at = from + j;
        let after = &text[at + 2..];
        let closes = after
            .as_bytes()
            .get(..name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        if closes {
            // The name's bytes are ASCII, so this is a character boundary.
            let rest = &after[name.len()..];
            return (&text[..at], rest.find('>').map_or("", |k| &rest[k + 1..]));
        }
        from = at + 2;
    }
    (text, "")
}

/// Named references seen in titles and descriptions; others stay as written.
const NAMED: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", "\u{a0}"),
    ("ndash", "–"),
    ("mdash", "—"),
    ("hellip", "…"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("middot", "·"),
    ("bull", "•"),
    ("copy", "©"),
    ("reg", "®"),
    ("eacute", "é"),
    ("egrave", "è"),
    ("aacute", "á"),
    ("agrave", "à"),
    ("ouml", "ö"),
    ("uuml", "ü"),
    ("auml", "ä"),
    ("ccedil", "ç"),
];

/// `text` with its character references (`&amp;`, `&#39;`, `&#x2014;`) decoded.
pub fn decode_references(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match reference(rest) {
            Some((decoded, len)) => {
                out.push_str(&decoded);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The reference at the start of `text` (which starts with `&`): its text and length.
fn reference(text: &str) -> Option<(String, usize)> {
    let end = text.bytes().take(12).position(|b| b == b';')?;
    let body = text.get(1..end)?;
    let decoded = if let Some(number) = body.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(code)
            .filter(|c| *c != '\0')
            .unwrap_or('\u{fffd}')
            .to_string()
    } else {
        NAMED.iter().find(|(n, _)| *n == body)?.1.to_string()
    };
    Some((decoded, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_attributes_and_texts_are_read_from_any_html() {
        let html = r#"<!doctype html><HTML lang=ml><head>
<!-- <meta property="og:title" content="commented out"> -->
<META Property='og:title' CONTENT="Floods &amp; rain &#8212; day&#x20;2">
<meta name=description content=unquoted>
<meta charset="utf-8"/><link rel="canonical" href="/a?b=1&amp;c=2">
<title>Kerala &lt;floods&gt; | Daily</title>
<script type="application/ld+json">{"a": "</p><b>"}</SCRIPT>
<p>1 < 2 and <br/> a stray &unknown; <img src="x.png" alt='it"s'"#;
        let tags = tags(html);
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["html", "head", "meta", "meta", "meta", "link", "title", "script", "p", "br", "img"]
        );
        assert_eq!(tags[0].attr("lang"), Some("ml"));
        assert_eq!(tags[2].attr("property"), Some("og:title"));
        assert_eq!(tags[2].attr("content"), Some("Floods & rain — day 2"));
        assert_eq!(tags[3].attr("content"), Some("unquoted"));
        assert_eq!(tags[4].attr("charset"), Some("utf-8"));
        assert_eq!(tags[5].attr("href"), Some("/a?b=1&c=2"));
        assert_eq!(tags[6].text.as_deref(), Some("Kerala <floods> | Daily"));
        assert_eq!(tags[7].text.as_deref(), Some(r#"{"a": "</p><b>"}"#));
        assert_eq!(tags[10].attr("alt"), Some("it\"s"));
        assert_eq!(
            decode_references("a &unknown; &#0; &#xZZ; &"),
            "a &unknown; \u{fffd} &#xZZ; &"
        );
    }

    #[test]
    fn broken_html_gives_fewer_tags_and_never_fails() {
        for html in [
            "<",
            "<a",
            "<a b",
            "<a b=",
            "<a b='x",
            "<!--",
            "<title>x",
            "<script>",
            "&#",
            "<é>",
            "<a é=é>",
        ] {
            let _ = tags(html);
        }
        assert_eq!(tags("<title>Unclosed")[0].text.as_deref(), Some("Unclosed"));
    }
}
