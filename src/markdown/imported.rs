//! Posts imported from Jekyll and Hugo: the Liquid tags and Hugo shortcodes they use most,
//! turned into Markdown (or a little HTML) before the body is rendered. A pure text pass:
//! lines stay where they were wherever a tag sits on its own line, and every tag left as
//! written comes back as a note with its line, for a warning.

use std::borrow::Cow;

/// What the conversion needs to know of the site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Env {
    /// The site's base path, `/` or `/digest/` (what `{{ site.baseurl }}` becomes, without
    /// its last `/`).
    pub base_path: String,
    /// The site's address (`{{ site.url }}` is its scheme and host).
    pub base_url: String,
    /// `unsafe_html`: videos are embedded as frames only when raw HTML is kept.
    pub unsafe_html: bool,
}

/// Where a converted `{% post_url %}`, `{% link %}` or `{{< ref >}}` points: this scheme
/// and the name as written, which the model resolves to the article's address.
pub const REF_SCHEME: &str = "gazette-ref:";

/// The converted text, the tags left as written (line within the text, 0-based, and the
/// message), and the references to other articles (line, the tag as written, the name).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Converted<'a> {
    pub text: Cow<'a, str>,
    pub notes: Vec<(usize, String)>,
    pub refs: Vec<(usize, String, String)>,
}

/// Converts the Liquid tags and Hugo shortcodes of `text` (fenced code blocks are left
/// alone).
pub fn convert<'a>(text: &'a str, env: &Env) -> Converted<'a> {
    if !text.contains("{%") && !text.contains("{{") {
        return Converted {
            text: Cow::Borrowed(text),
            ..Default::default()
        };
    }
    let mut pass = Pass {
        env,
        text,
        out: String::with_capacity(text.len()),
        notes: Vec::new(),
        refs: Vec::new(),
        fences: fenced_ranges(text),
        fence: 0,
        marks: Marks::of(text),
        closing: std::collections::HashMap::new(),
    };
    pass.run();
    Converted {
        text: Cow::Owned(pass.out),
        notes: pass.notes,
        refs: pass.refs,
    }
}

struct Pass<'e, 't> {
    env: &'e Env,
    text: &'t str,
    out: String,
    notes: Vec<(usize, String)>,
    refs: Vec<(usize, String, String)>,
    fences: Vec<(usize, usize)>,
    /// The first fence that does not end before the text now looked at.
    fence: usize,
    marks: Marks,
    /// For each closing tag looked for, where the last search started and what it found
    /// (so that a text of unclosed `{% raw %}`s is searched once, not once a tag).
    closing: std::collections::HashMap<String, (usize, Option<(usize, usize)>)>,
}

/// Where every line break and every closing delimiter of a text is (overlapping ones too),
/// found in one pass, so that finding the next one is a binary search and a text of
/// unclosed tags converts in linear time.
struct Marks {
    newlines: Vec<usize>,
    /// `%}`, `>}}`, `%}}` and `}}`, in that order.
    closes: [Vec<usize>; 4],
}

const CLOSES: [&str; 4] = ["%}", ">}}", "%}}", "}}"];

impl Marks {
    fn of(text: &str) -> Marks {
        let bytes = text.as_bytes();
        let mut marks = Marks {
            newlines: Vec::new(),
            closes: Default::default(),
        };
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                marks.newlines.push(i);
            }
            if b == b'%' || b == b'>' || b == b'}' {
                for (c, close) in CLOSES.iter().enumerate() {
                    if bytes[i..].starts_with(close.as_bytes()) {
                        marks.closes[c].push(i);
                    }
                }
            }
        }
        marks
    }

    /// The first `close` that starts at or after `from`.
    fn next_close(&self, close: &str, from: usize) -> Option<usize> {
        let list = &self.closes[CLOSES.iter().position(|c| *c == close)?];
        list.get(list.partition_point(|&at| at < from)).copied()
    }

    /// How many line breaks come before `at`: its line, 0-based.
    fn line_at(&self, at: usize) -> usize {
        self.newlines.partition_point(|&n| n < at)
    }

    /// Where the line that holds `at` ends.
    fn line_end(&self, at: usize, len: usize) -> usize {
        let i = self.newlines.partition_point(|&n| n < at);
        self.newlines.get(i).copied().unwrap_or(len)
    }
}

/// One tag: `{% name args %}`, `{{< name args >}}` / `{{% name args %}}`, or `{{ expr }}`.
struct Tag<'t> {
    kind: Kind,
    /// The whole tag as written.
    written: &'t str,
    /// What is inside the delimiters, trimmed.
    inner: &'t str,
    end: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Liquid,
    Output,
    Shortcode,
}

impl<'t> Pass<'_, 't> {
    fn run(&mut self) {
        let mut at = 0;
        while let Some(found) = self.text[at..].find('{') {
            let start = at + found;
            while self.fences.get(self.fence).is_some_and(|f| f.1 <= start) {
                self.fence += 1;
            }
            if let Some(&(_, end)) = self.fences.get(self.fence).filter(|f| f.0 <= start) {
                self.out.push_str(&self.text[at..end]);
                at = end;
                continue;
            }
            self.out.push_str(&self.text[at..start]);
            at = match tag_at(self.text, start, &self.marks) {
                Some(tag) => self.tag(start, tag),
                None => {
                    self.out.push('{');
                    start + 1
                }
            };
        }
        self.out.push_str(&self.text[at..]);
    }

    /// Writes what the tag at `start` becomes; returns where the text goes on.
    fn tag(&mut self, start: usize, tag: Tag<'t>) -> usize {
        let line = self.marks.line_at(start);
        let (name, args) = split_name(tag.inner);
        match (tag.kind, name) {
            (Kind::Liquid, "raw") => self.block(tag.end, "endraw", Kind::Liquid, None),
            (Kind::Liquid, "highlight") => {
                let lang = args.split_whitespace().next().unwrap_or("");
                self.block(tag.end, "endhighlight", Kind::Liquid, Some(lang))
            }
            (Kind::Shortcode, "highlight") => {
                let lang = words(args).into_iter().next().map(|w| w.1).unwrap_or_default();
                self.block(tag.end, "/highlight", Kind::Shortcode, Some(lang.as_str()))
            }
            (Kind::Liquid, "post_url" | "link") | (Kind::Shortcode, "ref" | "relref") => {
                let target = words(args).into_iter().next().map(|w| w.1).unwrap_or_default();
                self.refs.push((line, tag.written.to_string(), target.clone()));
                // In a Markdown link or an HTML attribute the address is the link's; in
                // text it is shown, as Hugo shows it: an autolink, whose text becomes
                // the address when the Markdown is rendered.
                let in_link = self.out.ends_with("](")
                    || self.out.ends_with("]: ")
                    || self.out.ends_with("=\"")
                    || self.out.ends_with("='");
                let name = target.replace(' ', "%20");
                if in_link {
                    self.out.push_str(REF_SCHEME);
                    self.out.push_str(&name);
                } else {
                    self.out.push_str(&format!("<{REF_SCHEME}{name}>"));
                }
                tag.end
            }
            (Kind::Output, "site.baseurl") => {
                // A Markdown link's `/path` gets the base path when it is rendered, so
                // there the tag becomes nothing; in raw HTML it is the base path.
                let in_link = self.out.ends_with("](") || self.out.ends_with("]: ");
                if !in_link {
                    self.out.push_str(self.env.base_path.trim_end_matches('/'));
                }
                tag.end
            }
            (Kind::Output, "site.url") => {
                self.out.push_str(&origin(&self.env.base_url));
                tag.end
            }
            (Kind::Shortcode, _) => match shortcode(name, args, self.env) {
                Some(made) => {
                    self.out.push_str(&made);
                    tag.end
                }
                None => self.leave(line, tag, format!("the Hugo shortcode `{name}` is left as written; Gazette converts figure, ref, relref, highlight, youtube, vimeo, gist and tweet: write the others as Markdown or HTML")),
            },
            (Kind::Liquid, "include") => self.leave(line, tag, "`{% include %}` is left as written: Gazette does not run Liquid includes; paste the included text in its place".into()),
            (Kind::Liquid, _) => self.leave(line, tag, format!("the Liquid tag `{name}` is left as written; Gazette converts highlight, raw, post_url and link: write the others as Markdown")),
            (Kind::Output, _) => {
                self.out.push_str(tag.written);
                tag.end
            }
        }
    }

    fn leave(&mut self, line: usize, tag: Tag<'t>, note: String) -> usize {
        self.notes.push((line, note));
        self.out.push_str(tag.written);
        tag.end
    }

    /// A block up to its closing tag: its text as written (`raw`), or as a fenced code
    /// block in `lang` (`highlight`). Without a closing tag the rest of the text is taken.
    fn block(&mut self, from: usize, close: &str, kind: Kind, lang: Option<&str>) -> usize {
        let (inner_end, end) = self.find_close(from, close, kind);
        let inner = &self.text[from..inner_end];
        match lang {
            None => self.out.push_str(inner),
            Some(lang) => {
                let code = inner.strip_prefix('\n').unwrap_or(inner);
                if !self.out.is_empty() && !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
                self.out.push_str("```");
                self.out.push_str(lang);
                self.out.push('\n');
                self.out.push_str(code);
                if !code.is_empty() && !code.ends_with('\n') {
                    self.out.push('\n');
                }
                self.out.push_str("```");
            }
        }
        end
    }
}

/// The tag that starts at `start` (a `{`), if one does. Only a shortcode may span lines.
fn tag_at<'t>(text: &'t str, start: usize, marks: &Marks) -> Option<Tag<'t>> {
    let rest = &text[start..];
    let (kind, open, close) = if rest.starts_with("{%") {
        (Kind::Liquid, 2, "%}")
    } else if rest.starts_with("{{<") {
        (Kind::Shortcode, 3, ">}}")
    } else if rest.starts_with("{{%") {
        (Kind::Shortcode, 3, "%}}")
    } else if rest.starts_with("{{") {
        (Kind::Output, 2, "}}")
    } else {
        return None;
    };
    let close_at = marks.next_close(close, start + open)?;
    if kind != Kind::Shortcode && close_at > marks.line_end(start, text.len()) {
        return None;
    }
    let len = close_at - start + close.len();
    let written = &rest[..len];
    let inner = written[open..len - close.len()].trim();
    // `{%- tag -%}` trims whitespace in Liquid; `{{</* x */>}}` is Hugo's escape.
    let inner = inner.trim_start_matches('-').trim_end_matches('-').trim();
    if inner.contains('\n') && kind != Kind::Shortcode {
        return None;
    }
    Some(Tag {
        kind,
        written,
        inner,
        end: start + len,
    })
}

impl Pass<'_, '_> {
    /// Where the closing tag `close` starts after `from`, and where it ends (the end of
    /// the text where there is none). A search that starts after an earlier one for the
    /// same tag, and before what that one found, finds the same.
    fn find_close(&mut self, from: usize, close: &str, kind: Kind) -> (usize, usize) {
        let len = self.text.len();
        if let Some(&(searched, found)) = self.closing.get(close) {
            if searched <= from && found.is_none_or(|(start, _)| start >= from) {
                return found.unwrap_or((len, len));
            }
        }
        let found = self.search_close(from, close, kind);
        self.closing.insert(close.to_string(), (from, found));
        found.unwrap_or((len, len))
    }

    fn search_close(&self, from: usize, close: &str, kind: Kind) -> Option<(usize, usize)> {
        let mut at = from;
        while let Some(found) = self.text[at..].find('{') {
            let start = at + found;
            if let Some(tag) = tag_at(self.text, start, &self.marks) {
                if tag.kind == kind && split_name(tag.inner).0 == close {
                    return Some((start, tag.end));
                }
            }
            at = start + 1;
        }
        None
    }
}

/// A tag's name and the rest.
fn split_name(inner: &str) -> (&str, &str) {
    match inner.find(char::is_whitespace) {
        Some(i) => (&inner[..i], inner[i..].trim()),
        None => (inner, ""),
    }
}

/// A shortcode's arguments: `(key, value)`, with an empty key for positional ones.
fn words(args: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut chars = args.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return found;
        }
        let mut key = String::new();
        let mut value = String::new();
        let mut quoted = None;
        for c in chars.by_ref() {
            match (quoted, c) {
                (None, '"' | '\'' | '`') => quoted = Some(c),
                (Some(q), c) if c == q => quoted = None,
                (None, '=') if key.is_empty() => key = std::mem::take(&mut value),
                (None, c) if c.is_whitespace() => break,
                (_, c) => value.push(c),
            }
        }
        found.push((key, value));
    }
}

/// A shortcode's arguments, by name or by place.
struct Args(Vec<(String, String)>);

impl Args {
    /// The argument named `key`, else the positional one at `at` (`None`: by name only).
    fn get(&self, key: &str, at: Option<usize>) -> String {
        let named = self.0.iter().find(|(k, _)| k == key);
        let placed = || at.and_then(|at| self.0.iter().filter(|(k, _)| k.is_empty()).nth(at));
        named
            .or_else(placed)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// What a known Hugo shortcode becomes (`None`: not one Gazette converts).
fn shortcode(name: &str, args: &str, env: &Env) -> Option<String> {
    let args = Args(words(args));
    Some(match name {
        "figure" => figure(&args, env),
        "youtube" | "vimeo" => video(name, &args.get("id", Some(0)), env),
        "gist" => {
            let (user, id) = (args.get("user", Some(0)), args.get("id", Some(1)));
            format!("[Gist {user}/{id}](https://gist.github.com/{user}/{id})")
        }
        "tweet" => {
            let user = args.get("user", None);
            let path = if user.is_empty() {
                format!("i/status/{}", args.get("id", Some(0)))
            } else {
                format!("{user}/status/{}", args.get("id", None))
            };
            format!("[Post on X (Twitter)](https://twitter.com/{path})")
        }
        _ => return None,
    })
}

/// `{{< figure >}}` as a `<figure>` (raw HTML is not rewritten: a `/src` gets the base path).
fn figure(args: &Args, env: &Env) -> String {
    let esc = super::escape;
    let src = args.get("src", Some(0));
    let src = match src.strip_prefix('/') {
        Some(rest) => format!("{}{rest}", env.base_path),
        None => src,
    };
    let caption = [args.get("caption", None), args.get("title", None)]
        .into_iter()
        .find(|c| !c.is_empty());
    let figcaption = caption
        .map(|c| format!("<figcaption>{}</figcaption>", esc(&c)))
        .unwrap_or_default();
    format!(
        "<figure><img src=\"{}\" alt=\"{}\">{figcaption}</figure>",
        esc(&src),
        esc(&args.get("alt", None))
    )
}

/// A YouTube or Vimeo video: a frame that sets no cookies until played, or a link when
/// raw HTML is sanitised (which drops frames).
fn video(name: &str, id: &str, env: &Env) -> String {
    let (site, embed, watch) = if name == "youtube" {
        (
            "YouTube",
            format!("https://www.youtube-nocookie.com/embed/{id}"),
            format!("https://www.youtube.com/watch?v={id}"),
        )
    } else {
        (
            "Vimeo",
            format!("https://player.vimeo.com/video/{id}?dnt=1"),
            format!("https://vimeo.com/{id}"),
        )
    };
    if !env.unsafe_html {
        return format!("[{site} video]({watch})");
    }
    format!(
        "<iframe class=\"video\" src=\"{}\" title=\"{site} video\" width=\"560\" height=\"315\" loading=\"lazy\" referrerpolicy=\"strict-origin-when-cross-origin\" allow=\"encrypted-media; picture-in-picture\" allowfullscreen></iframe>",
        super::escape(&embed)
    )
}

/// The scheme and host of an address (`https://example.org/digest/` -> `https://example.org`).
fn origin(url: &str) -> String {
    match url.find("://") {
        Some(i) => {
            let host_end = url[i + 3..].find('/').map_or(url.len(), |j| i + 3 + j);
            url[..host_end].to_string()
        }
        None => url.trim_end_matches('/').to_string(),
    }
}

/// The byte ranges of fenced code blocks (from the opening fence to the end of the closing
/// one), which are left as written.
fn fenced_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let fence_len = trimmed
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .count();
        let fence = &trimmed[..fence_len];
        let is_fence =
            fence_len >= 3 && (fence.chars().all(|c| c == '`') || fence.chars().all(|c| c == '~'));
        match open {
            None if is_fence => open = Some((at, fence)),
            Some((start, opened))
                if is_fence
                    && fence.starts_with(opened)
                    && trimmed[fence_len..].trim().is_empty() =>
            {
                ranges.push((start, at + line.len()));
                open = None;
            }
            _ => {}
        }
        at += line.len();
    }
    if let Some((start, _)) = open {
        ranges.push((start, text.len()));
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        Env {
            base_path: "/digest/".into(),
            base_url: "https://example.org/digest/".into(),
            unsafe_html: true,
        }
    }

    fn text(s: &str) -> String {
        convert(s, &env()).text.into_owned()
    }

    #[test]
    fn liquid_tags_become_markdown() {
        assert_eq!(
            text("a\n{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\nb\n"),
            "a\n```ruby\nputs 1\n```\nb\n"
        );
        assert_eq!(text("{% raw %}{{ x }}{% endraw %}"), "{{ x }}");
        assert_eq!(
            text("![a]({{ site.baseurl }}/a.png) {{site.url}} <img src=\"{{ site.baseurl }}/b.png\">"),
            "![a](/a.png) https://example.org <img src=\"/digest/b.png\">"
        );
        let c = convert("x\n[a]({% post_url 2010-01-09-x %})", &env());
        assert_eq!(c.text, "x\n[a](gazette-ref:2010-01-09-x)");
        assert_eq!(
            c.refs,
            [(
                1,
                "{% post_url 2010-01-09-x %}".into(),
                "2010-01-09-x".into()
            )]
        );
        let c = convert("a\n\n{% include note.html %}\n", &env());
        assert_eq!(c.text, "a\n\n{% include note.html %}\n");
        assert_eq!(c.notes.len(), 1);
        assert_eq!(c.notes[0].0, 2);
    }

    #[test]
    fn four_megabytes_of_unclosed_tags_convert_in_linear_time() {
        // Each of these was quadratic: 400 KB of `{{ ` took 23 s.
        for unit in [
            "{{ ",
            "{% ",
            "{{< ",
            "{% raw %}{{",
            "x\n{{ a }}",
            "{%x%}{{<y",
        ] {
            let body = unit.repeat(4 * 1024 * 1024 / unit.len());
            let started = std::time::Instant::now();
            let converted = convert(&body, &env());
            assert!(converted.text.len() >= body.len() / 2, "{unit}");
            let took = started.elapsed();
            // Linear work takes well under a second even unoptimised; quadratic, hours.
            assert!(took.as_secs() < 5, "{unit:?} took {took:?}");
        }
    }

    #[test]
    fn tags_keep_their_lines_and_only_shortcodes_span_lines() {
        let c = convert("a\n\nb {% nope %}\n{{ x\n}} {% include y %}", &env());
        assert_eq!(c.notes.iter().map(|n| n.0).collect::<Vec<_>>(), [2, 4]);
        assert_eq!(c.text, "a\n\nb {% nope %}\n{{ x\n}} {% include y %}");
        assert_eq!(
            text("{{< figure\n src=\"/i.png\" >}}"),
            "<figure><img src=\"/digest/i.png\" alt=\"\"></figure>"
        );
    }

    #[test]
    fn shortcodes_become_markdown_or_html() {
        assert_eq!(
            text("{{< figure src=\"/i.png\" alt=\"A\" caption=\"C\" >}}"),
            "<figure><img src=\"/digest/i.png\" alt=\"A\"><figcaption>C</figcaption></figure>"
        );
        assert!(text("{{< youtube abc >}}").contains("youtube-nocookie.com/embed/abc"));
        let safe = Env {
            unsafe_html: false,
            ..env()
        };
        assert_eq!(
            convert("{{< youtube abc >}}", &safe).text,
            "[YouTube video](https://www.youtube.com/watch?v=abc)"
        );
        assert_eq!(
            text("{{< gist spf13 7896402 >}}"),
            "[Gist spf13/7896402](https://gist.github.com/spf13/7896402)"
        );
        assert_eq!(
            text("{{< highlight go >}}\nx := 1\n{{< /highlight >}}"),
            "```go\nx := 1\n```"
        );
        assert_eq!(
            text("{{< tweet 1453110110599868418 >}}"),
            "[Post on X (Twitter)](https://twitter.com/i/status/1453110110599868418)"
        );
        let c = convert("a\n{{< instagram x >}}", &env());
        assert_eq!(c.notes[0].0, 1);
        assert!(c.notes[0].1.contains("`instagram`"));
        assert_eq!(
            text("```\n{{< youtube abc >}}\n```\n"),
            "```\n{{< youtube abc >}}\n```\n"
        );
    }
}
