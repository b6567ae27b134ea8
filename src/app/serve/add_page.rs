//! The page the bookmarklet opens: what adding a news page would write (headline, outlet,
//! address, whether the digest already cites the story, with a link to the article that
//! does) and the form that adds it, with the site's topics to tick. Everything taken from
//! the news page is escaped; the page runs no script, and no other site may frame it.

use super::bookmarklet::ADD_PATH;
use super::files::Body;
use crate::app::add::Look;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};

/// `text` safe inside HTML text and attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}dt{font-weight:600;margin-top:.5rem}dd{margin:0;overflow-wrap:anywhere}.cited{background:#fff4d6;padding:.5rem .75rem;border-left:4px solid #e5a000}fieldset{border:1px solid #ccc;margin:1rem 0}label{display:block}button{font:inherit;padding:.4rem 1.2rem}";

/// The add page for `look`, whose form carries `token`; links into the preview start with
/// `base_path`.
pub fn render(look: &Look, token: &str, base_path: &str) -> String {
    let source = match crate::util::url::is_web(&look.source) {
        true => format!(
            "<a href=\"{0}\" rel=\"noreferrer\">{0}</a>",
            escape(&look.source)
        ),
        false => escape(&look.source),
    };
    let mut page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Add to the digest? {}</title><style>{STYLE}</style></head><body>\n\
         <h1>Add this story to the digest?</h1>\n<dl>\
         <dt>Headline</dt><dd id=\"headline\">{}</dd>\
         <dt>Outlet</dt><dd id=\"outlet\">{}</dd>\
         <dt>Address</dt><dd id=\"address\">{source}</dd></dl>\n",
        escape(&look.title),
        escape(&look.title),
        escape(&look.outlet),
    );
    page.push_str(&cited(look, base_path));
    page.push_str(&form(look, token));
    page.push_str("<p>Nothing is written until you press <b>Add draft</b>: the draft goes into <code>content/</code> with <code>draft: true</code>, and this tab then shows its preview.</p>\n</body></html>\n");
    page
}

/// Says which article already cites the story, with a link to its preview.
fn cited(look: &Look, base_path: &str) -> String {
    let Some(cited) = &look.cited else {
        return String::new();
    };
    let file = escape(&cited.by.to_string());
    let file = match &cited.url_path {
        Some(path) => format!(
            "<a href=\"{}{}\">{file}</a>",
            escape(base_path),
            escape(path)
        ),
        None => file,
    };
    format!("<p class=\"cited\" id=\"cited\">The digest already cites this story: {file}. Tick <b>Add it anyway</b> to add it again.</p>\n")
}

/// The form: the token, the site's topics to tick, more topics to type, and the button.
fn form(look: &Look, token: &str) -> String {
    let mut form = format!(
        "<form method=\"post\" action=\"{ADD_PATH}\">\n\
         <input type=\"hidden\" name=\"token\" value=\"{}\">\n\
         <fieldset><legend>Topics</legend>\n",
        escape(token)
    );
    for topic in &look.topics {
        let topic = escape(topic);
        form.push_str(&format!(
            "<label><input type=\"checkbox\" name=\"topic\" value=\"{topic}\"> {topic}</label>\n"
        ));
    }
    form.push_str("<label>New topics, commas between: <input type=\"text\" name=\"topics\"></label>\n</fieldset>\n");
    if look.cited.is_some() {
        form.push_str(
            "<label><input type=\"checkbox\" name=\"force\" value=\"1\"> Add it anyway</label>\n",
        );
    }
    form.push_str("<p><button type=\"submit\">Add draft</button></p>\n</form>\n");
    form
}

/// The page as an answer (`None`: to a HEAD, without the body). No script runs in it, no
/// other site may show it in a frame (where a click could be stolen), and its form may
/// only be sent here.
pub fn response(page: Option<String>) -> Response<Body> {
    guarded_html(
        page.as_deref().unwrap_or(""),
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
}

/// A page of serve's own (the add page, the inbox) with its `Content-Security-Policy`:
/// no other site may frame it, and it sends no `Referer` away.
pub(super) fn guarded_html(page: &str, policy: &str) -> Response<Body> {
    let mut response = super::files::text(StatusCode::OK, page);
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(policy) {
        headers.insert("content-security-policy", value);
    }
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}
