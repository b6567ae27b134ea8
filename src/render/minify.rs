//! Minifying a rendered page in one pass, for `minify = true`: white space next to blocks,
//! comments, quotes around attribute values and the end tags HTML leaves optional are
//! dropped, and the page parses to the same document (html5lib reads both alike in
//! `publish::minified_pages_parse_to_the_same_documents_as_the_templates_wrote`). No
//! recursion: any nesting is safe.

/// What an element's name says of it, as bits.
const BLOCK: u8 = 1; // white space next to its tags never shows
const VOID: u8 = 2; // no content, no end tag
const RAW_TEXT: u8 = 4; // its content is text up to its end tag, copied as it is
const PREFORMATTED: u8 = 8; // white space shows inside (its tags are still minified)
const CLOSES_P: u8 = 16; // its start tag ends an open `<p>`
const KEEPS_P: u8 = 32; // its end does not end a `<p>` inside it by itself
const FOREIGN: u8 = 64; // SVG or MathML inside: tags keep their quotes and `/>`
const ENDS_OPEN: u8 = 128; // its end tag also ends an `<li>`, `<p>`, `<dd>`, cell… left open in it

/// What tag name `name` says of its element (nothing for names HTML does not know).
fn flags(name: &[u8]) -> u8 {
    match Lower::of(name).as_bytes() {
        b"area" | b"base" | b"br" | b"col" | b"embed" | b"img" | b"input" | b"param"
        | b"source" | b"track" | b"wbr" => VOID,
        b"hr" => VOID | BLOCK | CLOSES_P,
        b"link" | b"meta" => VOID | BLOCK,
        b"script" | b"style" | b"textarea" | b"xmp" => RAW_TEXT,
        b"title" => RAW_TEXT | BLOCK,
        b"pre" | b"listing" => PREFORMATTED | BLOCK | CLOSES_P | ENDS_OPEN,
        b"address" | b"article" | b"aside" | b"blockquote" | b"details" | b"dialog" | b"div"
        | b"dl" | b"fieldset" | b"figcaption" | b"figure" | b"footer" | b"form" | b"h1" | b"h2"
        | b"h3" | b"h4" | b"h5" | b"h6" | b"header" | b"hgroup" | b"main" | b"menu" | b"nav"
        | b"ol" | b"p" | b"ul" | b"section" | b"search" => BLOCK | CLOSES_P | ENDS_OPEN,
        b"body" | b"caption" | b"dd" | b"dt" | b"html" | b"li" | b"summary" | b"table"
        | b"tbody" | b"td" | b"tfoot" | b"th" | b"thead" | b"tr" => BLOCK | ENDS_OPEN,
        // Outside a <select>, the end of an <option> does not end what is open in it.
        b"colgroup" | b"head" | b"optgroup" | b"option" => BLOCK,
        b"button" | b"select" => ENDS_OPEN,
        b"a" | b"del" | b"ins" | b"map" | b"noscript" => KEEPS_P,
        b"audio" | b"video" => KEEPS_P,
        b"svg" | b"math" => FOREIGN,
        _ => 0,
    }
}

/// A tag name in lower case, if no longer than HTML's longest that this file names.
struct Lower([u8; 10], usize);

impl Lower {
    fn of(name: &[u8]) -> Lower {
        let mut lower = [0u8; 10];
        if name.len() > lower.len() {
            return Lower(lower, 0);
        }
        for (to, from) in lower.iter_mut().zip(name) {
            *to = from.to_ascii_lowercase();
        }
        Lower(lower, name.len())
    }

    fn as_bytes(&self) -> &[u8] {
        &self.0[..self.1]
    }
}

/// How deep the open elements are followed. Past that (no real page nests so deep) the
/// rest of the page keeps every end tag, so a hostile page costs linear time.
const MAX_FOLLOWED: usize = 512;

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// What comes after an end tag whose omission waits on it.
enum Next<'h> {
    Start(&'h [u8]),
    End(&'h [u8]),
    Other,
}

/// Removes what browsers do not need, keeping the page valid HTML and its document the
/// same: white space between and around blocks (runs of it elsewhere become one space,
/// except in `<pre>`), comments, quotes around attribute values that need none, empty
/// attribute values and optional end tags (`</li>`, `</p>`, …).
pub fn minify(html: &str) -> String {
    let mut m = Minifier {
        src: html.as_bytes(),
        at: 0,
        out: Vec::with_capacity(html.len()),
        open: Vec::new(),
        space: false,
        after_block: true,
        pending: None,
        preformatted: 0,
        foreign: 0,
    };
    m.run();
    // Only ASCII is ever dropped or added, so the output is UTF-8 as the input was.
    String::from_utf8(m.out).unwrap_or_else(|_| html.to_string())
}

struct Minifier<'h> {
    src: &'h [u8],
    at: usize,
    out: Vec<u8>,
    /// The open elements' names, outermost first.
    open: Vec<&'h [u8]>,
    /// White space was seen since the last thing written (written as one space if the
    /// next thing is text or an inline tag).
    space: bool,
    /// The last thing written was a block's tag (or nothing yet): white space goes.
    after_block: bool,
    /// An end tag not yet written: left out if what follows allows it.
    pending: Option<&'h [u8]>,
    /// How many `<pre>` are open: inside, text is copied as it is.
    preformatted: usize,
    /// How many `<svg>` or `<math>` are open: inside, tags keep their quotes and `/>`.
    foreign: usize,
}

impl<'h> Minifier<'h> {
    fn run(&mut self) {
        while self.at < self.src.len() {
            let rest = &self.src[self.at..];
            if rest[0] != b'<' {
                let end = memchr::memchr(b'<', rest).map_or(self.src.len(), |i| self.at + i);
                self.text(end);
            } else if rest.starts_with(b"<!--") {
                self.comment();
            } else if rest.len() > 1 && (rest[1] == b'!' || rest[1] == b'?') {
                self.declaration();
            } else if rest.len() > 2 && rest[1] == b'/' && rest[2].is_ascii_alphabetic() {
                self.end_tag();
            } else if rest.len() > 1 && rest[1].is_ascii_alphabetic() {
                self.start_tag();
            } else {
                self.text(self.at + 1);
            }
        }
        self.settle(Next::Other, true);
    }

    /// Text up to `end`: runs of white space become one space, none next to a block.
    fn text(&mut self, end: usize) {
        let text = &self.src[self.at..end];
        self.at = end;
        // White space shows inside <pre>, and SVG and MathML have rules of their own.
        if self.preformatted > 0 || self.foreign > 0 {
            self.settle(Next::Other, false);
            push_text(&mut self.out, text);
            self.after_block = false;
            return;
        }
        for (i, &b) in text.iter().enumerate() {
            if is_space(b) {
                self.space = true;
                continue;
            }
            if self.pending.is_some() {
                self.settle(Next::Other, false);
            }
            if std::mem::take(&mut self.space) && !self.after_block {
                self.out.push(b' ');
            }
            self.after_block = false;
            return self.text_after(text, i);
        }
    }

    /// The rest of a text from `i`, a character that is not white space (no pending tag
    /// is left to settle): stretches with single spaces alone are copied at once, other
    /// white space becomes one space, or the pending space at the end.
    fn text_after(&mut self, text: &[u8], mut i: usize) {
        while i < text.len() {
            let mut end = stretch_end(text, i);
            if text[end - 1] == b' ' {
                end -= 1;
            }
            push_text(&mut self.out, &text[i..end]);
            let mut next = end;
            while next < text.len() && is_space(text[next]) {
                next += 1;
            }
            if next == text.len() {
                self.space = next > end;
                return;
            }
            if next > end {
                self.out.push(b' ');
            }
            i = next;
        }
    }

    /// A comment goes, except a conditional one (`<!--[if …]>`) or one inside `<pre>`.
    fn comment(&mut self) {
        let rest = &self.src[self.at..];
        let end = find(rest, b"-->").map_or(rest.len(), |i| i + 3);
        // Inside <pre> a comment stays: without it a line break after it could become the
        // first one after `<pre>`, which the parser drops.
        if rest.starts_with(b"<!--[if")
            || rest.starts_with(b"<!--<![endif]")
            || self.preformatted > 0
        {
            self.settle(Next::Other, false);
            self.out.extend_from_slice(&rest[..end]);
        }
        self.at += end;
    }

    /// `<!doctype html>`, CDATA or a processing instruction: copied as it is.
    fn declaration(&mut self) {
        let rest = &self.src[self.at..];
        let end = if rest.starts_with(b"<![CDATA[") {
            find(rest, b"]]>").map_or(rest.len(), |i| i + 3)
        } else {
            memchr::memchr(b'>', rest).map_or(rest.len(), |i| i + 1)
        };
        self.settle(Next::Other, false);
        self.out.extend_from_slice(&rest[..end]);
        self.at += end;
        self.after_block = true;
        self.space = false;
    }

    /// Writes the pending end tag unless `next` (or the end of the page) makes it optional.
    fn settle(&mut self, next: Next<'_>, at_end: bool) {
        let Some(name) = self.pending.take() else {
            return;
        };
        let parent = self.open.last().copied().unwrap_or_default();
        // The parent's end tag ends what is left open in it only for some parents (a
        // `</span>` does not end an `<li>`: the parser ignores it).
        let ends_parent = |n: &[u8]| n.eq_ignore_ascii_case(parent) && flags(n) & ENDS_OPEN != 0;
        let next_name = match next {
            Next::Start(n) | Next::End(n) => Lower::of(n),
            Next::Other => Lower::of(b""),
        };
        let n = next_name.as_bytes();
        let optional = match (Lower::of(name).as_bytes(), &next) {
            (b"li", Next::Start(_)) => n == b"li",
            (b"p", Next::Start(_)) => flags(n) & CLOSES_P != 0,
            (b"p", Next::End(n)) => ends_parent(n) && flags(n) & KEEPS_P == 0,
            (b"dt" | b"dd", Next::Start(_)) => n == b"dt" || n == b"dd",
            (b"option", Next::Start(_)) => n == b"option" || n == b"optgroup",
            (b"td" | b"th", Next::Start(_)) => n == b"td" || n == b"th",
            (b"tr", Next::Start(_)) => n == b"tr",
            (b"thead" | b"tbody", Next::Start(_)) => n == b"tbody" || n == b"tfoot",
            (b"head", Next::Start(_)) => n == b"body",
            (b"li" | b"dd" | b"option" | b"td" | b"th" | b"tr" | b"tbody", Next::End(n)) => {
                ends_parent(n)
            }
            (b"body", Next::End(n)) => n.eq_ignore_ascii_case(b"html") && ends_parent(n),
            (b"body" | b"html", Next::Other) => at_end,
            _ => false,
        };
        if !optional {
            self.out.extend_from_slice(b"</");
            self.out.extend_from_slice(name);
            self.out.push(b'>');
        }
    }

    /// White space before a tag: dropped next to a block, else one space.
    fn before_tag(&mut self, block: bool) {
        if std::mem::take(&mut self.space) && !block && !self.after_block && self.preformatted == 0
        {
            self.out.push(b' ');
        }
        self.after_block = block;
    }

    fn end_tag(&mut self) {
        let start = self.at + 2;
        let name_end = name_end(self.src, start);
        let name = &self.src[start..name_end];
        let close = memchr::memchr(b'>', &self.src[name_end..])
            .map_or(self.src.len(), |i| name_end + i + 1);
        self.at = close;
        self.settle(Next::End(name), false);
        let flags = self.tag_flags(name, false);
        self.before_tag(flags & BLOCK != 0);
        if flags & PREFORMATTED != 0 {
            self.preformatted = self.preformatted.saturating_sub(1);
        }
        if flags & FOREIGN != 0 {
            self.foreign = self.foreign.saturating_sub(1);
        }
        if self.open.len() > MAX_FOLLOWED {
            self.out.extend_from_slice(&self.src[start - 2..close]);
            return;
        }
        match self.open.iter().rposition(|n| n.eq_ignore_ascii_case(name)) {
            Some(i) => {
                self.open.truncate(i);
                self.pending = Some(name);
            }
            // A stray end tag: kept as it is, for the browser to ignore as before.
            None => self.out.extend_from_slice(&self.src[start - 2..close]),
        }
    }

    fn start_tag(&mut self) {
        let start = self.at + 1;
        let name = &self.src[start..name_end(self.src, start)];
        self.settle(Next::Start(name), false);
        let flags = self.tag_flags(name, true);
        if flags != 0 {
            self.close_implied(name);
        }
        self.before_tag(flags & BLOCK != 0);
        let began = self.out.len();
        self.out.push(b'<');
        self.out.extend_from_slice(name);
        let Some((end, self_closing)) = self.attributes(start + name.len()) else {
            // No `>` before the end of the page: left as it was.
            self.out.truncate(began);
            self.out.extend_from_slice(&self.src[self.at..]);
            self.at = self.src.len();
            return;
        };
        self.at = end;
        if self.foreign > 0 && self_closing {
            self.out.extend_from_slice(b"/>");
            return;
        }
        self.out.push(b'>');
        if flags & VOID != 0 && self.foreign == 0 {
            return;
        }
        if self.open.len() <= MAX_FOLLOWED {
            // Past the limit the stack stops growing and stays over it: end tags are kept.
            self.open.push(name);
        }
        if flags & FOREIGN != 0 {
            self.foreign += 1;
        } else if self.foreign == 0 && flags & PREFORMATTED != 0 {
            self.preformatted += 1;
        } else if self.foreign == 0 && flags & RAW_TEXT != 0 {
            self.raw_text(name);
        }
    }

    /// What a tag does where it is: the parser ignores a table's part outside any table,
    /// and `<html>`, `<head>` or `<body>` inside the body, so those count as unknown
    /// inline tags (white space next to them stays).
    fn tag_flags(&self, name: &[u8], start: bool) -> u8 {
        let has = |open: &[&[u8]], n: &[u8]| open.iter().rev().any(|o| o.eq_ignore_ascii_case(n));
        let ignored = match Lower::of(name).as_bytes() {
            b"tr" | b"td" | b"th" | b"tbody" | b"thead" | b"tfoot" | b"caption" | b"colgroup" => {
                !has(&self.open, b"table")
            }
            b"html" | b"head" | b"body" => start && has(&self.open, b"body"),
            _ => false,
        };
        if ignored {
            0
        } else {
            flags(name)
        }
    }

    /// The elements a start tag `name` ends by itself (an open `<li>` before another).
    fn close_implied(&mut self, name: &[u8]) {
        let lower = Lower::of(name);
        let closes: &[&[u8]] = match lower.as_bytes() {
            b"li" => &[b"li"],
            b"dt" | b"dd" => &[b"dt", b"dd"],
            b"option" => &[b"option"],
            b"td" | b"th" => &[b"td", b"th"],
            b"tr" => &[b"td", b"th", b"tr"],
            n if flags(n) & CLOSES_P != 0 => &[b"p"],
            _ => return,
        };
        let top_is = |open: &[&[u8]]| {
            open.last()
                .is_some_and(|t| closes.iter().any(|c| t.eq_ignore_ascii_case(c)))
        };
        while top_is(&self.open) {
            self.open.pop();
        }
    }

    /// Writes a start tag's attributes from `at`, each as ` name`, ` name=value` or
    /// ` name="value"`; gives where the tag ends and whether it ended in `/>`.
    fn attributes(&mut self, mut at: usize) -> Option<(usize, bool)> {
        let src = self.src;
        loop {
            while at < src.len() && is_space(src[at]) {
                at += 1;
            }
            match *src.get(at)? {
                b'>' => return Some((at + 1, false)),
                b'/' if src.get(at + 1) == Some(&b'>') => return Some((at + 2, true)),
                b'/' => at += 1,
                _ => at = self.attribute(at)?,
            }
        }
    }

    /// Writes one attribute starting at `at`; gives where it ends.
    fn attribute(&mut self, at: usize) -> Option<usize> {
        let src = self.src;
        let mut end = at + 1;
        while end < src.len() && !is_space(src[end]) && !matches!(src[end], b'=' | b'>' | b'/') {
            end += 1;
        }
        self.out.push(b' ');
        self.out.extend_from_slice(&src[at..end]);
        let mut next = end;
        while next < src.len() && is_space(src[next]) {
            next += 1;
        }
        if src.get(next) != Some(&b'=') {
            return Some(end);
        }
        next += 1;
        while next < src.len() && is_space(src[next]) {
            next += 1;
        }
        let (value, quote, after) = match *src.get(next)? {
            q @ (b'"' | b'\'') => {
                let close = memchr::memchr(q, &src[next + 1..])? + next + 1;
                (&src[next + 1..close], q, close + 1)
            }
            _ => {
                let mut close = next;
                while close < src.len() && !is_space(src[close]) && src[close] != b'>' {
                    close += 1;
                }
                let value = &src[next..close];
                let quote = if value.contains(&b'"') { b'\'' } else { b'"' };
                (value, quote, close)
            }
        };
        self.value(value, quote);
        Some(after)
    }

    /// An attribute's value: none when empty, unquoted when HTML allows it.
    fn value(&mut self, value: &[u8], quote: u8) {
        let bare = |b: &u8| !is_space(*b) && !matches!(b, b'"' | b'\'' | b'=' | b'<' | b'>' | b'`');
        if self.foreign == 0 && value.is_empty() {
            return;
        }
        self.out.push(b'=');
        if self.foreign == 0 && value.iter().all(bare) {
            self.out.extend_from_slice(value);
        } else {
            self.out.push(quote);
            self.out.extend_from_slice(value);
            self.out.push(quote);
        }
    }

    /// The text of a `<script>`, `<style>`, `<textarea>` or `<title>`, as it is, up to its
    /// end tag.
    fn raw_text(&mut self, name: &[u8]) {
        let mut from = self.at;
        let end = loop {
            match find(&self.src[from..], b"</") {
                None => break self.src.len(),
                Some(i) => {
                    let tag = from + i + 2;
                    let candidate = self.src.get(tag..tag + name.len());
                    if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name)) {
                        break from + i;
                    }
                    from = tag;
                }
            }
        };
        self.out.extend_from_slice(&self.src[self.at..end]);
        self.at = end;
        self.after_block = false;
    }
}

/// Where the stretch of `text` from `from` (not white space) that needs no change ends:
/// at the first white space other than a single space, or at the end. Each search stops
/// at that point, so a text costs linear time however its lines break.
fn stretch_end(text: &[u8], from: usize) -> usize {
    let rest = &text[from..];
    let odd = memchr::memchr3(b'\n', b'\t', b'\r', rest).unwrap_or(rest.len());
    let feed = memchr::memchr(b'\x0c', &rest[..odd]).unwrap_or(odd);
    from + memchr::memmem::find(&rest[..feed], b"  ").unwrap_or(feed)
}

/// Copies text, writing the quotes escaped outside attributes as themselves.
fn push_text(out: &mut Vec<u8>, mut text: &[u8]) {
    const QUOTES: [(&[u8], u8); 5] = [
        (b"&quot;", b'"'),
        (b"&#34;", b'"'),
        (b"&#39;", b'\''),
        (b"&#x27;", b'\''),
        (b"&apos;", b'\''),
    ];
    while let Some(i) = memchr::memchr(b'&', text) {
        out.extend_from_slice(&text[..i]);
        let rest = &text[i..];
        match QUOTES.iter().find(|(entity, _)| rest.starts_with(entity)) {
            Some((entity, quote)) => {
                out.push(*quote);
                text = &rest[entity.len()..];
            }
            None => {
                out.push(b'&');
                text = &rest[1..];
            }
        }
    }
    out.extend_from_slice(text);
}

/// Where a tag name starting at `start` ends.
fn name_end(src: &[u8], start: usize) -> usize {
    src[start..]
        .iter()
        .position(|&b| is_space(b) || b == b'>' || b == b'/')
        .map_or(src.len(), |i| start + i)
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn white_space_goes_next_to_blocks_and_shrinks_to_one_space_elsewhere() {
        assert_eq!(
            minify("<div>\n  <p>\n    Hello,   <b>big</b>\n  <i>world</i> !\n  </p>\n</div>\n"),
            "<div><p>Hello, <b>big</b> <i>world</i> !</div>"
        );
        assert_eq!(
            minify("<span>a</span>\n<span>b</span>"),
            "<span>a</span> <span>b</span>"
        );
    }

    #[test]
    fn preformatted_and_raw_text_are_copied_as_they_are() {
        let page = "<pre class=\"x\">\n  a  <b class=\"y\"> b </b>\n\n</pre>\n<textarea>\n  <p>t  </textarea><script>if (a <b) {  }</script><style>p  { }</style>";
        assert_eq!(
            minify(page),
            "<pre class=x>\n  a  <b class=y> b </b>\n\n</pre><textarea>\n  <p>t  </textarea><script>if (a <b) {  }</script><style>p  { }</style>"
        );
    }

    #[test]
    fn attribute_values_lose_the_quotes_they_do_not_need() {
        assert_eq!(
            minify(
                r#"<a  href="/a/b/"   title="Two words" data-x='say "hi"' hidden="" rel=next>x</a>"#
            ),
            r#"<a href=/a/b/ title="Two words" data-x='say "hi"' hidden rel=next>x</a>"#
        );
        assert_eq!(
            minify(r#"<img src="a.png" alt="" />"#),
            "<img src=a.png alt>"
        );
        assert_eq!(minify(r#"<a href="a=b">x</a>"#), r#"<a href="a=b">x</a>"#);
    }

    #[test]
    fn optional_end_tags_go_only_where_the_document_stays_the_same() {
        assert_eq!(
            minify("<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
            "<ul><li>a<li>b</ul>"
        );
        assert_eq!(minify("<div><p>a</p><p>b</p></div>"), "<div><p>a<p>b</div>");
        // A paragraph inside a link, or followed by text or an inline element, keeps its end.
        assert_eq!(minify("<a href=x><p>a</p></a>"), "<a href=x><p>a</p></a>");
        assert_eq!(minify("<div><p>a</p>b</div>"), "<div><p>a</p>b</div>");
        assert_eq!(
            minify("<div><p>a</p><span>b</span></div>"),
            "<div><p>a</p><span>b</span></div>"
        );
        assert_eq!(
            minify("<html><head><title>t</title></head>\n<body><p>x</p></body></html>\n"),
            "<html><head><title>t</title><body><p>x"
        );
    }

    #[test]
    fn comments_go_and_quotes_escaped_in_text_come_back() {
        assert_eq!(
            minify("<p>She said &quot;yes&quot; &amp; <!-- note -->left&#39;s</p>"),
            "<p>She said \"yes\" &amp; left's</p>"
        );
        // In an attribute, an escaped quote stays escaped (and needs no quotes around it).
        assert_eq!(minify("<p title=\"&quot;\">x</p>"), "<p title=&quot;>x</p>");
    }

    #[test]
    fn svg_keeps_its_quotes_and_self_closing_tags() {
        assert_eq!(
            minify(r#"<svg viewBox="0 0 1 1"><path d="M0" /></svg>"#),
            r#"<svg viewBox="0 0 1 1"><path d="M0"/></svg>"#
        );
    }

    #[test]
    fn broken_or_deeply_nested_markup_never_panics() {
        assert_eq!(minify("<p>a <b"), "<p>a <b");
        assert_eq!(minify("</div><p>x"), "</div><p>x");
        assert_eq!(minify("<a href='x"), "<a href='x");
        let deep = format!(
            "<p>{}x{}</p>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        assert!(minify(&deep).len() <= deep.len());
    }
}
