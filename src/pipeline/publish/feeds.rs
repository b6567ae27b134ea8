//! Publishing a tree's feeds: the site's and each topic's (Atom, RSS, JSON Feed), and the
//! editions feed, each rendered only when its inputs changed.

use super::*;

impl Publisher<'_> {
    /// Every feed: the site's and each topic's (Atom, RSS, JSON Feed), and the editions
    /// feed. Recent articles appear in several feeds: each body is rendered once for all.
    pub(super) fn feeds(&self, staging: &Staging, specs: &[FeedSpec]) -> Result<Vec<Made>> {
        let bodies: Vec<std::sync::OnceLock<String>> = (0..self.site.digest.articles.len())
            .map(|_| Default::default())
            .collect();
        let feed_body = |i: ArticleId| -> Result<String> {
            if let Some(body) = bodies[i.index()].get() {
                return Ok(body.clone());
            }
            let body =
                crate::render::feed::entry_body(&self.site.config, &self.renderer.feed_body(i)?);
            Ok(bodies[i.index()].get_or_init(|| body).clone())
        };
        let mut made: Vec<Made> = specs
            .par_iter()
            .map(|spec| self.feed(staging, spec, &feed_body))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect();
        made.extend(self.editions_feeds(staging, &feed_body)?);
        let config = &self.site.config;
        for moved in &self.site.digest.moved_feeds {
            for format in crate::model::FEED_FILES {
                let text = crate::render::feed::moved_feed(config, moved, format);
                staging.write(&self.at(&format!("{}{format}", moved.from)), text)?;
            }
        }
        Ok(made)
    }

    /// One feed in its three formats; entry bodies are rendered once, and only if one of
    /// its files changed.
    pub(super) fn feed(
        &self,
        staging: &Staging,
        spec: &FeedSpec,
        feed_body: &(dyn Fn(ArticleId) -> Result<String> + Sync),
    ) -> Result<Vec<Made>> {
        let f = self
            .renderer
            .feed_fingerprint(&spec.title, &spec.page_path, &spec.articles);
        let p = &spec.page_path;
        let cell = std::cell::OnceCell::new();
        let view = || -> Result<&crate::render::feed::FeedView> {
            if let Some(view) = cell.get() {
                return Ok(view);
            }
            let bodies = spec
                .articles
                .iter()
                .map(|&i| {
                    if spec.full {
                        feed_body(i)
                    } else {
                        Ok(String::new())
                    }
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(cell.get_or_init(|| crate::render::feed::feed_view(spec, &bodies)))
        };
        let tera = self.renderer.templates();
        crate::model::FEED_FILES
            .into_iter()
            .map(|format| {
                self.render_if_changed(staging, format!("{p}{format}"), f, &|| {
                    view()?.render(tera, format)
                })
            })
            .collect()
    }

    /// The editions feed: one entry per edition, every article in full.
    pub(super) fn editions_feeds(
        &self,
        staging: &Staging,
        feed_body: &(dyn Fn(ArticleId) -> Result<String> + Sync),
    ) -> Result<Vec<Made>> {
        let (config, digest) = (&self.site.config, &self.site.digest);
        let in_editions: Vec<ArticleId> = crate::render::feed::feed_editions(config, digest)
            .into_iter()
            .flat_map(|e| e.articles.iter().copied())
            .collect();
        let f = self
            .renderer
            .feed_fingerprint("editions", "editions/", &in_editions);
        let view = std::cell::OnceCell::new();
        let tera = self.renderer.templates();
        let mut made = Vec::new();
        for format in crate::model::FEED_FILES {
            let path = format!("editions/{format}");
            made.push(self.render_if_changed(staging, path, f, &|| {
                if view.get().is_none() {
                    let made = crate::render::feed::editions_view(
                        config,
                        self.renderer.locale(),
                        digest,
                        feed_body,
                    )?;
                    let _ = view.set(made);
                }
                match view.get() {
                    Some(view) => view.render(tera, format),
                    None => Ok(String::new()),
                }
            })?);
        }
        Ok(made)
    }
}
