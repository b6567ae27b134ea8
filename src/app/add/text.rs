//! Text from a fetched page made safe for where `add` and `serve` put it: [`plain`] for
//! the draft's front matter (no control characters or noncharacters, which YAML refuses),
//! [`markdown_text`] for a value rendered as Markdown (the page's words stay words: no
//! image, link or HTML), and [`printable`] for the terminal (no escape sequences).

/// `text` without the characters a YAML file may not hold or a reader cannot see: C0
/// controls (tab and line breaks too, as spaces), DEL, C1 controls, the noncharacters
/// U+FDD0–U+FDEF and U+xFFFE/U+xFFFF, and the byte-order mark; spaces squeezed, trimmed.
pub fn plain(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|&c| !unwanted(c))
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `c` has no place in text `add` writes.
fn unwanted(c: char) -> bool {
    c.is_control() || crate::util::text::is_not_text(c) || c == '\u{FEFF}'
}

/// [`plain`] text written so that Markdown shows it as it is: the characters that make
/// emphasis, links, images, HTML, entities, tables and strikethrough are escaped, and so
/// is what would start a heading, list or quote.
pub fn markdown_text(text: &str) -> String {
    let text = plain(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '!' | '~' | '|' | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // A block that starts the text: `# `, `- `, `+ `, `= `, `1. `, `1) `.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    let marker = out[digits..].chars().next();
    let starts_block = match digits {
        0 => matches!(marker, Some('#' | '-' | '+' | '=')),
        _ => matches!(marker, Some('.' | ')')),
    };
    if starts_block {
        out.insert(digits, '\\');
    }
    out
}

/// `text` safe to print in a terminal: every control character but line breaks and tabs,
/// and the characters that reorder text (bidirectional overrides), as `\u{…}`, so no
/// escape sequence from a page or a server reaches the terminal.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c as u32, 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069);
        if (c.is_control() && c != '\n' && c != '\t') || bidi {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_no_character_yaml_refuses() {
        let title = "A\u{7f}B\u{85}C\u{9b}D\u{fffe}E\u{ffff}F\u{fdd0}G\u{1b}[31mH\u{7}I\u{1fffe}J\u{feff}K\tL\nM";
        assert_eq!(plain(title), "AB CDEFG[31mHIJK L M");
        assert_eq!(plain("  two\u{0}  words \r\n"), "two words");
        assert_eq!(plain("서울 — 뉴스"), "서울 — 뉴스");
        let yaml = format!("t: {}\n", serde_json::to_string(&plain(title)).unwrap());
        assert!(
            serde_yaml::from_str::<serde_yaml::Value>(&yaml).is_ok(),
            "{yaml}"
        );
    }

    #[test]
    fn markdown_text_is_shown_as_written() {
        assert_eq!(
            markdown_text("![p](http://tracker.example/pixel.gif) <img src=x> a_b *c* & d"),
            "\\!\\[p\\](http://tracker.example/pixel.gif) \\<img src=x\\> a\\_b \\*c\\* \\& d"
        );
        assert_eq!(markdown_text("# Not a heading"), "\\# Not a heading");
        assert_eq!(markdown_text("- not a list"), "\\- not a list");
        assert_eq!(markdown_text("2018. A year"), "2018\\. A year");
        assert_eq!(
            markdown_text("The worst floods, in 2018."),
            "The worst floods, in 2018."
        );
    }

    #[test]
    fn printable_text_has_no_escape_sequence() {
        assert_eq!(
            printable("a\u{1b}[2Jb\u{9b}c\u{7}d\u{202e}e\nf\tg"),
            "a\\u{1b}[2Jb\\u{9b}c\\u{7}d\\u{202e}e\nf\tg"
        );
    }
}
