//! The inbox in the preview, at `/__gazette/inbox` (never published): every story not yet
//! decided, newest first, with filters by subscription, language and date, a search box,
//! and the keyboard (`j`/`k` move, `d` drafts with a topic picker, `x` skips, `o` opens
//! the story). Decisions are POSTs with the page's token from this server's own page
//! (the bookmarklet's model: loopback only, `Origin` checked); a draft is written as
//! `gazette inbox draft` writes it, and the tab then shows its preview.

use super::add_page::escape;
use super::bookmarklet::{first, foreign_to, form_pairs, loopback_only, Adder};
use super::files::{text, Body};
use super::State;
use crate::app::add::text::printable;
use crate::app::inbox::{age, Inbox, Story};
use chrono::{DateTime, Utc};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

/// The inbox page's path; outside any site path.
pub const INBOX_PATH: &str = "/__gazette/inbox";

/// The answer to a request for [`INBOX_PATH`].
pub(super) async fn answer(
    state: &State,
    request: Request<Incoming>,
    bound: SocketAddr,
    peer: SocketAddr,
) -> Response<Body> {
    if let Some(refused) = loopback_only(bound, peer) {
        return refused;
    }
    let Some(adder) = state.adder.clone() else {
        return text(StatusCode::NOT_FOUND, "Not found.\n");
    };
    match *request.method() {
        Method::POST => decide(state, &adder, request).await,
        _ => {
            // Opened by the curator (typed, a bookmark, a link of the preview), not loaded
            // by another site's page (each showing makes a token, and clusters the inbox).
            let site = request
                .headers()
                .get("sec-fetch-site")
                .and_then(|s| s.to_str().ok());
            if site.is_some_and(|s| s != "none" && s != "same-origin") {
                return text(StatusCode::FORBIDDEN, "The inbox opens only from this machine's browser directly or from the preview's own pages.\n");
            }
            show(state, &adder, request.method() == Method::HEAD).await
        }
    }
}

async fn show(state: &State, adder: &Arc<Adder>, head: bool) -> Response<Body> {
    let Some(turn) = adder.turn().await else {
        return super::bookmarklet::busy();
    };
    let Ok(token) = adder.new_page_token() else {
        return text(StatusCode::INTERNAL_SERVER_ERROR, "Internal error.\n");
    };
    let root = adder.root().to_path_buf();
    let base_path = state.base_path.clone();
    let page = tokio::task::spawn_blocking(move || -> anyhow::Result<(String, String)> {
        let _turn = turn;
        let inbox = Inbox::open(&root)?;
        let nonce = super::bookmarklet::new_token()?;
        let html = render(&inbox, &token, &nonce, &base_path, Utc::now())?;
        Ok((html, nonce))
    })
    .await;
    match page {
        Ok(Ok((html, nonce))) => page_response(if head { String::new() } else { html }, &nonce),
        Ok(Err(e)) => text(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("error: {}\n", printable(&format!("{e:#}"))),
        ),
        Err(_) => text(StatusCode::INTERNAL_SERVER_ERROR, "Internal error.\n"),
    }
}

/// A decision sent from the page: `action=draft|skip`, `story=ID`, `topics=a,b`, `token`.
async fn decide(state: &State, adder: &Arc<Adder>, request: Request<Incoming>) -> Response<Body> {
    if let Some(refused) = foreign_to(
        request.headers(),
        INBOX_PATH,
        "inbox page",
        "change the inbox",
    ) {
        return text(StatusCode::FORBIDDEN, &refused);
    }
    let body = Limited::new(request.into_body(), 64 * 1024);
    let Ok(body) = body.collect().await.map(|b| b.to_bytes()) else {
        return text(
            StatusCode::BAD_REQUEST,
            "Bad request: the form could not be read (at most 64 KB).\n",
        );
    };
    let pairs = form_pairs(&body);
    let token_ok = first(&pairs, "token").is_some_and(|t| adder.page_token_ok(&t));
    if !token_ok {
        return text(
            StatusCode::FORBIDDEN,
            "This page's token is missing or too old: reload the inbox. Nothing was written.\n",
        );
    }
    let (Some(action), Some(story)) = (first(&pairs, "action"), first(&pairs, "story")) else {
        return text(
            StatusCode::BAD_REQUEST,
            "Bad request: no action or story.\n",
        );
    };
    let topics: Vec<String> = first(&pairs, "topics")
        .unwrap_or_default()
        .split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let Some(turn) = adder.turn().await else {
        return super::bookmarklet::busy();
    };
    let (root, site, base_path) = (
        adder.root().to_path_buf(),
        state.site_dir(),
        state.base_path.clone(),
    );
    let done = tokio::task::spawn_blocking(move || -> anyhow::Result<String> {
        let _turn = turn;
        let inbox = Inbox::open(&root)?;
        let story = inbox.find(&story, Utc::now())?;
        match action.as_str() {
            "skip" => {
                inbox.skip(&story)?;
                Ok(String::new())
            }
            "draft" => {
                let added = inbox.draft(&story, topics)?;
                println!("Drafted {} from the inbox", added.rel.display());
                super::bookmarklet::wait_for_page(&site, &added.url_path);
                Ok(format!("{base_path}{}", added.url_path))
            }
            other => anyhow::bail!("unknown action `{}`", printable(other)),
        }
    })
    .await;
    match done {
        Ok(Ok(preview)) => text(StatusCode::OK, &preview),
        Ok(Err(e)) => text(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("error: {}\n", printable(&format!("{e:#}"))),
        ),
        Err(_) => text(StatusCode::INTERNAL_SERVER_ERROR, "Internal error.\n"),
    }
}

fn page_response(page: String, nonce: &str) -> Response<Body> {
    let policy = format!("default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    super::add_page::guarded_html(&page, &policy)
}

const STYLE: &str = include_str!("inbox_page.css");
const SCRIPT: &str = include_str!("inbox_page.js");

/// The whole page.
pub fn render(
    inbox: &Inbox,
    token: &str,
    nonce: &str,
    base_path: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let stories = inbox.stories(now)?;
    let topics = site_topics(inbox)?;
    let subscriptions = inbox.subscriptions()?;
    let mut page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><link rel=\"icon\" href=\"data:,\"><title>Inbox ({}) · {}</title><style>{STYLE}</style></head><body>\n<header><h1>Inbox <span id=\"count\">{}</span></h1><p class=\"keys\"><kbd>j</kbd>/<kbd>k</kbd> move · <kbd>d</kbd> draft · <kbd>x</kbd> skip · <kbd>o</kbd> open · <a href=\"{}\">the preview</a></p>\n",
        stories.len(),
        escape(&inbox.config.title),
        stories.len(),
        escape(base_path),
    );
    page.push_str(&filters(&stories, &subscriptions));
    page.push_str("</header>\n<ol id=\"stories\">\n");
    for story in &stories {
        page.push_str(&row(story, &topics, now));
    }
    page.push_str("</ol>\n<p id=\"empty\"");
    if !stories.is_empty() {
        page.push_str(" hidden");
    }
    page.push_str(">Nothing to triage. <code>gazette inbox fetch</code> asks your subscriptions for news.</p>\n");
    page.push_str(&picker(&topics));
    page.push_str(&format!(
        "<script nonce=\"{nonce}\">const TOKEN=\"{}\",PATH=\"{}\";{SCRIPT}</script>\n</body></html>\n",
        escape(token),
        INBOX_PATH
    ));
    Ok(page)
}

/// Every topic of the site's articles, sorted.
fn site_topics(inbox: &Inbox) -> anyhow::Result<Vec<String>> {
    let articles = crate::app::new::site_articles(&inbox.root, &inbox.config)?;
    let topics: std::collections::BTreeSet<String> = articles
        .iter()
        .flat_map(|a| a.front.topics.iter().cloned())
        .collect();
    Ok(topics.into_iter().collect())
}

fn filters(stories: &[Story], subscriptions: &[crate::app::inbox::opml::Subscription]) -> String {
    let mut languages: BTreeMap<String, usize> = BTreeMap::new();
    for story in stories {
        if let Some(lang) = story.items.iter().find_map(|i| i.lang.clone()) {
            *languages.entry(lang.to_ascii_lowercase()).or_default() += 1;
        }
    }
    let mut out = String::from("<form id=\"filters\" role=\"search\"><label>Search <input id=\"q\" type=\"search\" autocomplete=\"off\"></label> <label>Subscription <select id=\"feed\"><option value=\"*\">All</option><option value=\"\">Imported links</option>");
    for s in subscriptions {
        out.push_str(&format!(
            "<option value=\"{}\">{}</option>",
            escape(&s.xml_url),
            escape(&s.title)
        ));
    }
    out.push_str(
        "</select></label> <label>Language <select id=\"lang\"><option value=\"*\">All</option>",
    );
    for lang in languages.keys() {
        out.push_str(&format!("<option>{}</option>", escape(lang)));
    }
    out.push_str("</select></label> <label>Date <select id=\"since\"><option value=\"0\">Any time</option><option value=\"86400\">Last 24 hours</option><option value=\"259200\">Last 3 days</option><option value=\"604800\">Last week</option></select></label></form>\n");
    out
}

fn row(story: &Story, topics: &[String], now: DateTime<Utc>) -> String {
    let mut feeds: Vec<&str> = story
        .items
        .iter()
        .map(|i| i.feed.as_deref().unwrap_or(""))
        .collect();
    feeds.dedup();
    let lang = story
        .items
        .iter()
        .find_map(|i| i.lang.clone())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let text = format!(
        "{} {}",
        story.title,
        story
            .items
            .iter()
            .map(|i| i.summary.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    )
    .to_lowercase();
    // A topic is suggested when each of its words is a word of the story ("AI" is not in "said").
    let words: std::collections::HashSet<&str> =
        text.split(|c: char| !c.is_alphanumeric()).collect();
    let suggested: Vec<String> = topics
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            let t = t.to_lowercase();
            let mut parts = t
                .split(|c: char| !c.is_alphanumeric())
                .filter(|p| !p.is_empty())
                .peekable();
            parts.peek().is_some() && parts.all(|p| words.contains(p))
        })
        .map(|(i, _)| i.to_string())
        .collect();
    let cited = story.cited.as_ref().map_or(String::new(), |c| {
        format!(
            " <span class=\"cited\">cited by {}</span>",
            escape(&c.to_string())
        )
    });
    format!(
        "<li id=\"s-{id}\" data-id=\"{id}\" data-feeds=\"{}\" data-lang=\"{}\" data-t=\"{}\" data-sug=\"{}\"><a href=\"{}\" rel=\"noreferrer\" target=\"_blank\">{}</a><br><span class=\"meta\">{} · {} ago</span>{cited}</li>\n",
        escape(&feeds.join(" ")),
        escape(&lang),
        story.newest.timestamp(),
        suggested.join(" "),
        escape(&story.url),
        escape(&story.title),
        escape(&story.outlets_line()),
        age(story.newest, now),
        id = escape(&story.id),
    )
}

/// The topic picker `d` opens: the site's topics (the story's suggested ones first, marked
/// by the script), new ones to type, and Enter to draft.
fn picker(topics: &[String]) -> String {
    let mut out = String::from("<dialog id=\"picker\"><form method=\"dialog\" id=\"pick\"><h2>Draft with topics</h2><div id=\"topics\">");
    for (i, topic) in topics.iter().enumerate() {
        out.push_str(&format!(
            "<label data-i=\"{i}\"><input type=\"checkbox\" value=\"{0}\"> {0}</label>",
            escape(topic)
        ));
    }
    out.push_str("</div><label>New topics, commas between <input id=\"new-topics\" type=\"text\"></label><p><button id=\"draft\" value=\"draft\">Draft (Enter)</button> <button value=\"cancel\" formnovalidate>Cancel (Esc)</button></p></form></dialog>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headline_cannot_break_out_of_its_row() {
        assert_eq!(
            escape("<script>\"x\"&'"),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;"
        );
    }
}
