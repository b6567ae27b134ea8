//! A bound on how deep templates may nest: Tera has none, so a macro that calls itself (or
//! templates that include each other) would overflow the stack and abort the process. Each
//! macro body and each template is given an invisible call at its start and end that counts
//! the nesting on this thread; past [`MAX_DEPTH`] levels the render fails with an error
//! that names the template, and the build (or `serve`) reports it like any other.

use std::cell::RefCell;
use std::collections::HashMap;

/// How many macro calls and includes may be open at once while one page renders.
pub const MAX_DEPTH: usize = 64;

const ENTER: &str = "__gazette_enter";
const LEAVE: &str = "__gazette_leave";

thread_local! {
    /// What is being rendered on this thread: `(file, what)` for each open level.
    static OPEN: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

/// Forgets any levels a failed render left open (call before each render).
pub fn reset() {
    OPEN.with(|open| open.borrow_mut().clear());
}

/// Registers the two counting functions on `tera`.
pub fn register(tera: &mut tera::Tera) {
    tera.register_function(ENTER, enter);
    tera.register_function(LEAVE, |_: &HashMap<String, tera::Value>| {
        OPEN.with(|open| open.borrow_mut().pop());
        Ok(tera::Value::String(String::new()))
    });
}

fn enter(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let text = |key: &str| {
        args.get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let (file, what) = (text("file"), text("what"));
    OPEN.with(|open| {
        let mut open = open.borrow_mut();
        if open.len() >= MAX_DEPTH {
            let message = too_deep(&open, &file, &what);
            open.clear();
            return Err(tera::Error::msg(message));
        }
        open.push((file, what));
        Ok(tera::Value::String(String::new()))
    })
}

/// The error for a chain that went too deep: the level that repeats most, by its file.
fn too_deep(open: &[(String, String)], file: &str, what: &str) -> String {
    let mut counts: HashMap<&(String, String), usize> = HashMap::new();
    for level in open {
        *counts.entry(level).or_default() += 1;
    }
    let top = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(level, _)| level.clone())
        .unwrap_or_else(|| (file.to_string(), what.to_string()));
    let verb = if top.1.starts_with("macro ") {
        "calls itself"
    } else {
        "includes itself"
    };
    format!(
        "{}: {} {verb} more than {MAX_DEPTH} levels deep; give it a condition that stops the recursion",
        top.0, top.1
    )
}

/// `source` with the counting calls added: after the opening tag of every macro and before
/// its closing tag, and around the whole template (after its `extends` and `import` tags,
/// which must come first). Nothing is added to what the template outputs, and no line
/// moves, so error line numbers stay right. `file` is the template's file as the user
/// knows it (`templates/macros.html`).
pub fn instrument(source: &str, file: &str, name: &str) -> String {
    let file = file.replace(['"', '\\'], "");
    let name = name.replace(['"', '\\'], "");
    let mut out = String::with_capacity(source.len() + 256);
    let start = after_top_tags(source);
    out.push_str(&source[..start]);
    out.push_str(&format!(
        "{{{{ {ENTER}(file=\"{file}\", what=\"template {name}\") }}}}"
    ));
    let mut rest = &source[start..];
    while let Some(open) = rest.find("{%") {
        // A comment's text is no tag.
        if let Some(comment) = rest[..open].find("{#") {
            let end = rest[comment..]
                .find("#}")
                .map_or(rest.len(), |e| comment + e + 2);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let Some(close) = rest[open..].find("%}").map(|c| open + c + 2) else {
            break;
        };
        let tag = &rest[open..close];
        let words = tag_words(tag);
        match words.first().copied() {
            Some("macro") => {
                out.push_str(&rest[..close]);
                let macro_name = words.get(1).and_then(|w| w.split('(').next()).unwrap_or("");
                let trim = if tag.ends_with("-%}") { "-" } else { "" };
                out.push_str(&format!(
                    "{{{{ {ENTER}(file=\"{file}\", what=\"macro {macro_name}\") {trim}}}}}"
                ));
            }
            Some("endmacro") => {
                out.push_str(&rest[..open]);
                let trim = if tag.starts_with("{%-") { "-" } else { "" };
                out.push_str(&format!("{{{{{trim} {LEAVE}() }}}}"));
                out.push_str(tag);
            }
            Some("raw") => {
                // Nothing inside `{% raw %}` is a tag.
                let end = rest[close..]
                    .find("endraw")
                    .and_then(|e| rest[close + e..].find("%}").map(|c| close + e + c + 2))
                    .unwrap_or(rest.len());
                out.push_str(&rest[..end]);
                rest = &rest[end..];
                continue;
            }
            _ => out.push_str(&rest[..close]),
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out.push_str(&format!("{{{{ {LEAVE}() }}}}"));
    out
}

/// The words of a tag such as `{%- macro kicker(item) -%}`: `["macro", "kicker(item)"]`.
fn tag_words(tag: &str) -> Vec<&str> {
    let inner = tag
        .trim_start_matches("{%")
        .trim_end_matches("%}")
        .trim_matches('-');
    inner.split_whitespace().collect()
}

/// Where a template's leading comments, `extends` and `import` tags end, with the white
/// space after them (which Tera drops).
fn after_top_tags(source: &str) -> usize {
    let mut at = 0;
    loop {
        if at > 0 {
            at = source.len() - source[at..].trim_start().len();
        }
        let rest = &source[at..];
        let skipped = rest.len() - rest.trim_start().len();
        let rest = rest.trim_start();
        let end = if rest.starts_with("{#") {
            rest.find("#}").map(|e| e + 2)
        } else if rest.starts_with("{%")
            && matches!(
                rest.find("%}").map(|e| tag_words(&rest[..e + 2])).as_deref(),
                Some([first, ..]) if *first == "extends" || *first == "import"
            )
        {
            rest.find("%}").map(|e| e + 2)
        } else {
            None
        };
        match end {
            Some(end) => at += skipped + end,
            None => return at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(templates: &[(&str, &str)], name: &str) -> Result<String, String> {
        let mut tera = tera::Tera::default();
        register(&mut tera);
        let sources: Vec<(String, String)> = templates
            .iter()
            .map(|(n, s)| (n.to_string(), instrument(s, &format!("templates/{n}"), n)))
            .collect();
        tera.add_raw_templates(sources)
            .map_err(|e| format!("{e:?}"))?;
        reset();
        tera.render(name, &tera::Context::new()).map_err(|e| {
            let mut chain = vec![e.to_string()];
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                chain.push(s.to_string());
                source = s.source();
            }
            chain.join(": ")
        })
    }

    #[test]
    fn leading_tags_and_their_white_space_render_the_same() {
        let macros = "{% macro m() %}M{% endmacro %}";
        for page in [
            "  \n{% import \"macros.html\" as m %}\n\n x{{ m::m() }}",
            "{# c #}\n{% import \"macros.html\" as m %}  {{ m::m() }}\n",
            "{# c #}\n  y",
            "  \n z",
            "{%- import \"macros.html\" as m -%}\n {{ m::m() }}",
        ] {
            let templates = [("macros.html", macros), ("page.html", page)];
            let mut plain = tera::Tera::default();
            plain.add_raw_templates(templates.to_vec()).unwrap();
            let expected = plain.render("page.html", &tera::Context::new()).unwrap();
            assert_eq!(
                render(&templates, "page.html").unwrap(),
                expected,
                "{page:?}"
            );
        }
    }

    #[test]
    fn instrumented_templates_render_the_same() {
        let macros = "{% macro kicker(n) -%}\n  <b>{{ n }}</b>\n{%- endmacro kicker %}\n{% macro plain() %} x {% endmacro %}";
        let page = "{% import \"macros.html\" as m %}\n<p>{{ m::kicker(n=1) }}|{{ m::plain() }}</p>{% raw %}{% macro %}{% endraw %}\n";
        let templates = [("macros.html", macros), ("page.html", page)];
        let mut plain = tera::Tera::default();
        plain.add_raw_templates(templates.to_vec()).unwrap();
        let expected = plain.render("page.html", &tera::Context::new()).unwrap();
        assert_eq!(render(&templates, "page.html").unwrap(), expected);
        assert_eq!(expected, "<p><b>1</b>| x </p>{% macro %}\n");
    }

    #[test]
    fn a_macro_that_calls_itself_is_an_error_naming_it() {
        let macros = "{% macro kicker(n) %}{{ self::kicker(n=n + 1) }}{% endmacro %}";
        let page = "{% import \"macros.html\" as m %}{{ m::kicker(n=1) }}";
        let error =
            render(&[("macros.html", macros), ("page.html", page)], "page.html").unwrap_err();
        assert!(
            error.ends_with("templates/macros.html: macro kicker calls itself more than 64 levels deep; give it a condition that stops the recursion"),
            "{error}"
        );
    }

    #[test]
    fn recursion_that_stops_is_allowed_and_includes_that_loop_are_errors() {
        let macros = "{% macro count(n) %}{% if n > 0 %}{{ n }}{{ self::count(n=n - 1) }}{% endif %}{% endmacro %}";
        let page = "{% import \"macros.html\" as m %}{{ m::count(n=5) }}";
        assert_eq!(
            render(&[("macros.html", macros), ("page.html", page)], "page.html").unwrap(),
            "54321"
        );
        let error = render(
            &[
                ("a.html", "a{% include \"b.html\" %}"),
                ("b.html", "b{% include \"a.html\" %}"),
            ],
            "a.html",
        )
        .unwrap_err();
        assert!(
            error.contains("includes itself more than 64 levels deep"),
            "{error}"
        );
    }
}
