//! The `fragment(template="masthead.html", …)` template function: a part that many pages
//! share (the default theme's masthead and footer), rendered once per build for each set of
//! arguments and then reused, as `item_html` reuses list items.

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use tera::Tera;

/// At most this many distinct fragments are kept (a fragment given something of each
/// page, such as a multilingual page's language switch, is rendered for every page and
/// kept only until the memo is full).
const KEPT: usize = 256;

/// `fragment(template="NAME", …)`: renders template `NAME` with `site` and the other
/// arguments as its variables (and nothing else of the page), once for each distinct set
/// of arguments.
#[derive(Clone)]
pub(super) struct Fragment {
    /// The templates, without this function (a fragment holds no fragment).
    tera: Arc<Tera>,
    site: Arc<Value>,
    memo: Arc<Mutex<HashMap<String, Arc<str>>>>,
}

impl Fragment {
    pub(super) fn new(tera: &Tera, site: &Value) -> Fragment {
        Fragment {
            tera: Arc::new(tera.clone()),
            site: Arc::new(site.clone()),
            memo: Default::default(),
        }
    }

    /// The same function after an article's list item changed (`serve`, on a save): its
    /// templates get the new `item_html`, and what it rendered is forgotten. Its templates
    /// are always the ones without `fragment`, so no chain of older copies is kept.
    pub(super) fn with_item_html(&self, item_html: super::item::ItemHtml) -> Fragment {
        let mut tera = (*self.tera).clone();
        tera.register_function("item_html", item_html);
        Fragment {
            tera: Arc::new(tera),
            site: self.site.clone(),
            memo: Default::default(),
        }
    }

    fn render(&self, template: &str, args: &HashMap<String, Value>) -> tera::Result<String> {
        let mut context = tera::Context::new();
        context.insert("site", &*self.site);
        for (name, value) in args {
            if name != "template" {
                context.insert(name, value);
            }
        }
        self.tera.render(template, &context)
    }
}

impl tera::Function for Fragment {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let template = args
            .get("template")
            .and_then(Value::as_str)
            .ok_or("fragment needs `template=\"masthead.html\"` (the template to render)")?;
        // The arguments in name order, so the same ones always make the same key.
        let sorted: BTreeMap<&String, &Value> = args.iter().collect();
        let key = serde_json::to_string(&sorted).unwrap_or_default();
        let kept = |memo: &HashMap<String, Arc<str>>| memo.get(&key).cloned();
        if let Some(html) = self.memo.lock().ok().and_then(|memo| kept(&memo)) {
            return Ok(Value::String(html.to_string()));
        }
        let html = self.render(template, args)?;
        if let Ok(mut memo) = self.memo.lock() {
            if memo.len() < KEPT {
                memo.insert(key, html.as_str().into());
            }
        }
        Ok(Value::String(html))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn templates(calls: &'static AtomicUsize) -> Tera {
        let mut tera = Tera::default();
        tera.add_raw_template(
            "part.html",
            "{{ counted() }}<p>{{ site.title }}: {{ kind }}",
        )
        .unwrap();
        tera.register_function("counted", move |_: &HashMap<String, Value>| {
            calls.fetch_add(1, Ordering::Relaxed);
            Ok(Value::String(String::new()))
        });
        tera
    }

    fn call(f: &Fragment, kind: &str) -> String {
        let args = HashMap::from([
            ("template".to_string(), Value::from("part.html")),
            ("kind".to_string(), Value::from(kind)),
        ]);
        let value = tera::Function::call(f, &args).unwrap();
        value.as_str().unwrap().to_string()
    }

    #[test]
    fn each_set_of_arguments_is_rendered_once() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        let f = Fragment::new(&templates(&CALLS), &serde_json::json!({"title": "Brief"}));
        assert_eq!(call(&f, "article"), "<p>Brief: article");
        assert_eq!(call(&f, "article"), "<p>Brief: article");
        assert_eq!(call(&f, "day"), "<p>Brief: day");
        assert_eq!(CALLS.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn the_memo_stops_growing_but_every_call_is_answered() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        let f = Fragment::new(&templates(&CALLS), &serde_json::json!({"title": "Brief"}));
        for n in 0..KEPT + 10 {
            assert_eq!(call(&f, &n.to_string()), format!("<p>Brief: {n}"));
        }
        assert_eq!(f.memo.lock().unwrap().len(), KEPT);
        assert_eq!(
            call(&f, &(KEPT + 5).to_string()),
            format!("<p>Brief: {}", KEPT + 5)
        );
        assert_eq!(CALLS.load(Ordering::Relaxed), KEPT + 11);
    }

    #[test]
    fn a_call_without_a_template_says_what_to_give() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        let f = Fragment::new(&templates(&CALLS), &Value::Null);
        let error = tera::Function::call(&f, &HashMap::new()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "fragment needs `template=\"masthead.html\"` (the template to render)"
        );
    }
}
