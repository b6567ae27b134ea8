//! Pages as HTML: loads the Tera templates (theme, then the site's overrides) and turns the
//! digest into the template views documented in docs/templates.md.

mod context;
mod depth;
pub mod feed;
mod fragment;
mod head;
mod item;
pub mod languages;
pub mod locale;
mod markdown_inputs;
mod minify;
mod page;
pub mod pictures;
mod renderer;
pub mod search;
pub mod sitemap;
mod templates;
mod values;
mod views;

pub use item::Item;
pub use languages::{Languages, Translation};
pub use locale::Locale;
pub use markdown_inputs::{link_map_fingerprint, ArticleHtml, MarkdownInputs};
pub use minify::minify;
pub use page::PageInputs;
pub use renderer::{Bodies, Renderer};
pub use templates::{load_templates, tidy, TemplateFiles, Templates};
pub use values::note_html;
pub use views::{look_values, ViewInputs, Views, RELATED, STORY_NEIGHBOURS};

/// Everything loaded and grouped, ready to render.
pub struct Site {
    pub config: crate::config::SiteConfig,
    pub digest: crate::model::Digest,
    pub html: Vec<ArticleHtml>,
    pub warnings: Vec<crate::problem::Problem>,
    /// The input hash of each article's Markdown (for the build cache).
    pub markdown_keys: Vec<u64>,
}
