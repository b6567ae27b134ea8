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
    fn line_at(&self, at: usize) -> usize {
        self.text[..at].matches('\n').count()
    }

    fn run(&mut self) {
        let mut at = 0;
        while let Some(found) = self.text[at..].find('{') {
            let start = at + found;
            if let Some(&(_, end)) = self.fences.iter().find(|(s, e)| (*s..*e).contains(&start)) {
                self.out.push_str(&self.text[at..end]);
                at = end;
                continue;
            }
            self.out.push_str(&self.text[at..start]);
            at = match tag_at(self.text, start) {
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
        let line = self.line_at(start);
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
                self.out.push_str(REF_SCHEME);
                self.out.push_str(&target.replace(' ', "%20"));
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
        let (inner_end, end) = find_close(self.text, from, close, kind);
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

/// The tag that starts at `start` (a `{`), if one does.
fn tag_at(text: &str, start: usize) -> Option<Tag<'_>> {
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
    let len = rest[open..].find(close)? + open + close.len();
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

/// Where the closing tag `close` starts after `from`, and where it ends.
fn find_close(text: &str, from: usize, close: &str, kind: Kind) -> (usize, usize) {
    let mut at = from;
    while let Some(found) = text[at..].find('{') {
        let start = at + found;
        if let Some(tag) = tag_at(text, start) {
            if tag.kind == kind && split_name(tag.inner).0 == close {
                return (start, tag.end);
            }
        }
        at = start + 1;
    }
    (text.len(), text.len())
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
