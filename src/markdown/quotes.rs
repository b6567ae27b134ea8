//! Smart punctuation's quotes, closed where they close. pulldown-cmark reads a quote with
//! a letter on both sides as an opening one, so `"탑승한다"고` (Korean, Japanese and
//! Chinese write the particle right after the quote) became `“탑승한다“고`: a quote
//! right after a letter, while one of its kind is open, closes it. Also the smart
//! punctuation of headlines, which are text, not Markdown.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The quotes open in the block being read.
#[derive(Debug, Default)]
pub(super) struct Quotes {
    open: Vec<char>,
    /// A `’` at a word's start (pulldown-cmark's guess for a single quote it could not
    /// pair), with the place of its event: an opening quote if one closes after it.
    unpaired: Option<usize>,
    /// The place of an event whose `’` turned out to open a quote (see [`Quotes::reopened`]).
    reopen: Option<usize>,
}

/// What may stand before an opening quote without closing one.
const OPENERS: &[char] = &[
    '(', '[', '{', '“', '‘', '«', '「', '『', '（', '—', '–', '-', '/',
];

impl Quotes {
    /// The event with its quotes closed where they close; `before` is the character of
    /// the text just before it. A block's start or end forgets the open quotes.
    pub(super) fn take<'a>(
        &mut self,
        event: Event<'a>,
        before: Option<char>,
        at: usize,
    ) -> Event<'a> {
        match &event {
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::BlockQuote(_)
                | Tag::FootnoteDefinition(_),
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => {
                self.open.clear();
                self.unpaired = None;
            }
            Event::Text(t) if t.as_ref() == "’" && !after_letter(before) => {
                self.unpaired = Some(at);
            }
            Event::Text(t) if t.as_ref() == "’" && self.unpaired.is_some() => {
                self.reopen = self.unpaired.take();
            }
            Event::Text(t) if t.contains(['“', '‘', '”', '’']) => {
                return Event::Text(self.fix(t, before).into());
            }
            _ => {}
        }
        event
    }

    /// The place of the event whose `’` opens a quote that just closed: the caller makes
    /// it `‘`.
    pub(super) fn reopened(&mut self) -> Option<usize> {
        self.reopen.take()
    }

    /// `text` with every opening quote that closes an open one turned into a closing one.
    fn fix(&mut self, text: &str, mut before: Option<char>) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            let c = match c {
                '“' | '‘' => match self.open.iter().rposition(|&o| o == c) {
                    Some(at) if after_letter(before) => {
                        self.open.truncate(at);
                        if c == '“' {
                            '”'
                        } else {
                            '’'
                        }
                    }
                    _ => {
                        self.open.push(c);
                        c
                    }
                },
                '”' | '’' => {
                    let opening = if c == '”' { '“' } else { '‘' };
                    if let Some(at) = self.open.iter().rposition(|&o| o == opening) {
                        self.open.truncate(at);
                    }
                    c
                }
                other => other,
            };
            out.push(c);
            before = Some(c);
        }
        out
    }
}

/// Whether a quote after `before` follows a word (and so may close a quote).
fn after_letter(before: Option<char>) -> bool {
    before.is_some_and(|b| !b.is_whitespace() && !OPENERS.contains(&b))
}

/// A headline (or any one-line text) with the smart punctuation article bodies get:
/// curly quotes and apostrophes, `--` and `---` as dashes, `...` as an ellipsis. The text
/// is read as text: Markdown's other signs (`*`, `_`, `#`, `<`, `&`…) stay as written.
pub fn smart_text(text: &str) -> String {
    if !text.contains(['\'', '"', '-', '.']) {
        return text.to_string();
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    // A leading "1." or "-" would start a list.
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let dash_item = text.starts_with("- ");
    for (i, c) in text.chars().enumerate() {
        let list_marker = (i == 0 && dash_item) || (i == digits && digits > 0 && c == '.');
        if (c.is_ascii_punctuation() && !matches!(c, '\'' | '"' | '-' | '.')) || list_marker {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    let mut quotes = Quotes::default();
    let mut out = String::with_capacity(text.len());
    for event in Parser::new_ext(escaped.trim(), Options::ENABLE_SMART_PUNCTUATION) {
        // (The place given for each event is where its text starts in `out`.)
        match quotes.take(event, out.chars().last(), out.len()) {
            Event::Text(t) => {
                out.push_str(&t);
                if let Some(at) = quotes.reopened() {
                    out.replace_range(at..at + '’'.len_utf8(), "‘");
                }
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    if out.trim().is_empty() {
        text.to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::smart_text;

    fn body(markdown: &str) -> String {
        super::super::render_html(markdown, super::super::RawHtml::Keep, &|_| None)
    }

    #[test]
    fn a_quote_followed_by_hangul_kana_or_han_closes() {
        assert_eq!(
            body("\"안전요원이 계속 탑승한다\"고 밝혔다."),
            "<p>“안전요원이 계속 탑승한다”고 밝혔다.</p>\n"
        );
        assert_eq!(
            body("\"自動運転\"と発表した。"),
            "<p>“自動運転”と発表した。</p>\n"
        );
        assert_eq!(
            body("他说\"自动驾驶\"很安全。"),
            "<p>他说“自动驾驶”很安全。</p>\n"
        );
        assert_eq!(
            body("그는 '안전'이라고 했다"),
            "<p>그는 ‘안전’이라고 했다</p>\n"
        );
        assert_eq!(
            body("He said \"yes\" and \"no\"; it's the week's news."),
            "<p>He said “yes” and “no”; it’s the week’s news.</p>\n"
        );
    }

    #[test]
    fn headlines_get_the_smart_punctuation_of_bodies() {
        assert_eq!(smart_text("The week's news"), "The week’s news");
        assert_eq!(
            smart_text("\"Funding secured\" -- or not..."),
            "“Funding secured” – or not…"
        );
        assert_eq!(smart_text("\"탑승한다\"고 밝혀"), "“탑승한다”고 밝혀");
        assert_eq!(smart_text("'안전'이라고"), "‘안전’이라고");
        assert_eq!(smart_text("\"自動運転\"と発表"), "“自動運転”と発表");
        assert_eq!(smart_text("专家称\"安全\"无虞"), "专家称“安全”无虞");
        assert_eq!(
            smart_text("1. *Not* a <list> & #1's"),
            "1. *Not* a <list> & #1’s"
        );
        assert_eq!(smart_text("- dash's"), "- dash’s");
        assert_eq!(smart_text("No quotes at all"), "No quotes at all");
        assert_eq!(smart_text("---"), "---");
    }
}
