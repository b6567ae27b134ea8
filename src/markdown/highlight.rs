//! Code highlighting with syntect: a code block as classed spans whose colours, light and
//! dark, are in `highlight.css` (made once from two of syntect's themes, made readable).

use super::*;

pub(super) fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A code block as `<pre class="code" tabindex="0">` with highlighting classes (`hl-…`) when the
/// language is known, and plain escaped text otherwise.
pub fn highlight(code: &str, lang: &str) -> String {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    /// Blocks of at most this many bytes are remembered, at most `MEMO_BLOCKS` of them:
    /// a few megabytes at most.
    const MEMO_BYTES: usize = 4096;
    const MEMO_BLOCKS: usize = 1024;
    type Memo = HashMap<u64, (Box<str>, Box<str>, Arc<str>)>; // (language, code, HTML)
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    // Digests quote the same command or snippet in many articles, and syntect takes tens of
    // microseconds a line: each block is highlighted once per process.
    if code.len() > MEMO_BYTES {
        return highlight_block(code, lang);
    }
    let memo = MEMO.get_or_init(Default::default);
    let key = crate::util::hash::fingerprint((lang, code));
    if let Ok(memo) = memo.lock() {
        if let Some((l, c, html)) = memo.get(&key) {
            if **l == *lang && **c == *code {
                return html.to_string();
            }
        }
    }
    let html = highlight_block(code, lang);
    if let Ok(mut memo) = memo.lock() {
        if memo.len() >= MEMO_BLOCKS {
            memo.clear();
        }
        memo.insert(key, (lang.into(), code.into(), html.as_str().into()));
    }
    html
}

/// [`highlight`] without the memo.
pub(super) fn highlight_block(code: &str, lang: &str) -> String {
    let set = syntaxes();
    let syntax = if lang.is_empty() {
        None
    } else {
        set.find_syntax_by_token(lang)
    };
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", escape(lang))
    };
    let inner = syntax
        .and_then(|syntax| classed(code, syntax))
        .unwrap_or_else(|| escape(code));
    // tabindex: a keyboard can reach (and scroll) a block wider than the screen.
    format!("<pre class=\"code\" tabindex=\"0\"{lang_attr}><code>{inner}</code></pre>\n")
}

/// The two colour schemes of highlighted code. Each token gets one class per scheme
/// (`hl-N` light, `hd-N` dark), N being its colour and font style's place in that
/// scheme's [`Scheme::styles`]: a few bytes a token, where a class per scope took
/// hundreds, and the stylesheet stays a few hundred rules.
pub(super) struct Palette {
    light: Scheme,
    dark: Scheme,
}

/// One syntect theme, made readable on the code background, and its distinct styles.
pub(super) struct Scheme {
    theme: syntect::highlighting::Theme,
    /// Every colour and font style a token can get, sorted; the default one first.
    styles: Vec<(Color, u8)>,
}

impl Scheme {
    pub(super) fn new(mut theme: syntect::highlighting::Theme, background: Color) -> Scheme {
        readable(&mut theme, background);
        let default = theme.settings.foreground.unwrap_or(Color::BLACK);
        let key = |c: Color| (c.r, c.g, c.b);
        let mut colours: Vec<Color> = theme
            .scopes
            .iter()
            .filter_map(|item| item.style.foreground)
            .filter(|c| key(*c) != key(default))
            .collect();
        colours.sort_by_key(|c| key(*c));
        colours.dedup_by_key(|c| key(*c));
        let mut styles = Vec::new();
        for colour in std::iter::once(default).chain(colours) {
            for font in 0..8u8 {
                styles.push((colour, font));
            }
        }
        Scheme { theme, styles }
    }

    /// The place of a style in `styles`; 0 (the default) for one it does not know.
    pub(super) fn index(&self, style: syntect::highlighting::Style) -> usize {
        let font = style.font_style.bits() & 7;
        let c = style.foreground;
        self.styles
            .iter()
            .position(|(s, f)| (s.r, s.g, s.b) == (c.r, c.g, c.b) && *f == font)
            .unwrap_or(0)
    }

    /// The stylesheet rules for `prefix-N` classes.
    pub(super) fn css(&self, prefix: &str) -> String {
        let mut css = String::new();
        for (i, (c, font)) in self.styles.iter().enumerate().skip(1) {
            let mut rule = format!(".{prefix}-{i}{{color:#{:02x}{:02x}{:02x}", c.r, c.g, c.b);
            if font & 1 != 0 {
                rule.push_str(";font-weight:bold");
            }
            if font & 2 != 0 {
                rule.push_str(";text-decoration:underline");
            }
            if font & 4 != 0 {
                rule.push_str(";font-style:italic");
            }
            css.push_str(&rule);
            css.push_str("}\n");
        }
        css
    }
}

pub(super) fn palette() -> &'static Palette {
    static PALETTE: OnceLock<Palette> = OnceLock::new();
    PALETTE.get_or_init(|| {
        let themes = ThemeSet::load_defaults();
        let theme = |name: &str| themes.themes.get(name).cloned().unwrap_or_default();
        // Colours readable on the default theme's code background (`--color-surface`).
        let rgb = |r, g, b| Color { r, g, b, a: 0xff };
        Palette {
            light: Scheme::new(theme("InspiredGitHub"), rgb(0xf1, 0xee, 0xe7)),
            dark: Scheme::new(theme("base16-ocean.dark"), rgb(0x23, 0x21, 0x1e)),
        }
    })
}

/// Highlighted HTML for `code`: runs of text with the same styles in both schemes share
/// one `<span class="hl-N hd-M">`; text in the default style has none. None when the
/// syntax definition fails on the text.
pub(super) fn classed(code: &str, syntax: &syntect::parsing::SyntaxReference) -> Option<String> {
    use syntect::highlighting::Highlighter;
    use syntect::parsing::{ParseState, ScopeStack};
    let palette = palette();
    let (light, dark) = (
        Highlighter::new(&palette.light.theme),
        Highlighter::new(&palette.dark.theme),
    );
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = String::with_capacity(code.len() * 2);
    let mut run = (0, 0, String::new());
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, syntaxes()).ok()?;
        let mut at = 0;
        for (end, op) in ops
            .iter()
            .map(|(i, op)| (*i, Some(op)))
            .chain([(line.len(), None)])
        {
            if end > at {
                let classes = (
                    palette.light.index(light.style_for_stack(stack.as_slice())),
                    palette.dark.index(dark.style_for_stack(stack.as_slice())),
                );
                if classes != (run.0, run.1) {
                    flush_run(&mut out, &run);
                    run = (classes.0, classes.1, String::new());
                }
                run.2.push_str(&line[at..end]);
                at = end;
            }
            if let Some(op) = op {
                stack.apply(op).ok()?;
            }
        }
    }
    flush_run(&mut out, &run);
    Some(out)
}

pub(super) fn flush_run(out: &mut String, (light, dark, text): &(usize, usize, String)) {
    if text.is_empty() {
        return;
    }
    if (*light, *dark) == (0, 0) {
        out.push_str(&escape(text));
    } else {
        out.push_str(&format!(
            "<span class=\"hl-{light} hd-{dark}\">{}</span>",
            escape(text)
        ));
    }
}

/// The stylesheet for highlighted code: a light theme, and a dark one for dark mode.
/// Made once per process (loading the themes takes a while).
pub fn highlight_css() -> &'static str {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(|| {
        let palette = palette();
        format!(
            "/* Written by gazette build: syntax highlighting for code blocks. */\n@media (prefers-color-scheme: light) {{\n{}}}\n@media (prefers-color-scheme: dark) {{\n{}}}\n",
            palette.light.css("hl"),
            palette.dark.css("hd")
        )
    })
}

/// Darkens (on a light background) or lightens (on a dark one) every colour of a syntax
/// theme until it has a contrast ratio of at least 4.6:1 with `background`: WCAG AA for
/// text (4.5:1), which the stock themes' comment colours miss.
pub(super) fn readable(theme: &mut syntect::highlighting::Theme, background: Color) {
    let luminance = |c: Color| {
        let channel = |v: u8| {
            let v = v as f64 / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
    };
    let contrast = |a: Color, b: Color| {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    };
    theme.settings.background = Some(background);
    let toward = if luminance(background) > 0.5 {
        0u8
    } else {
        255u8
    };
    let fix = |colour: &mut Option<Color>| {
        if let Some(c) = colour.as_mut() {
            let mut step = 0;
            while contrast(*c, background) < 4.6 && step < 20 {
                let mix = |v: u8| (v as f64 + (toward as f64 - v as f64) * 0.1).round() as u8;
                *c = Color {
                    r: mix(c.r),
                    g: mix(c.g),
                    b: mix(c.b),
                    a: 0xff,
                };
                step += 1;
            }
        }
    };
    fix(&mut theme.settings.foreground);
    for item in &mut theme.scopes {
        // A token with a background of its own keeps its colours.
        if item.style.background.is_none() {
            fix(&mut item.style.foreground);
        }
    }
}
