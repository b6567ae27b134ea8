//! Publishing what search and search engines read: the search index (with the words of
//! each body, kept between builds in `serve`), sitemaps, robots.txt and the list of feeds.

use super::*;

impl Publisher<'_> {
    /// The search index (made again only when an article changed; `gathered` holds the
    /// index terms of the articles whose pages were just rendered), sitemaps, robots.txt
    /// and the OPML list of feeds.
    pub(super) fn write_indexes(
        &self,
        staging: &Staging,
        gathered: Terms,
        timer: &Timer,
    ) -> Result<(Vec<Made>, usize)> {
        let (site, cache) = (self.site, self.cache);
        let made = self.write_search_index(staging, gathered)?;
        let gathering = Duration::from_nanos(self.gather_ns.load(Ordering::Relaxed));
        timer.lap(&format!(
            "search index (and {gathering:.2?} of threads' time gathering words while rendering)"
        ));
        if self.delivery.keep_search_words {
            // Forget the words of article versions that are gone.
            let current: std::collections::HashSet<u64> =
                site.digest.articles.iter().map(|a| a.source_hash).collect();
            cache.forget_search_words_but(&current);
        }
        use crate::render::sitemap::{opml, robots};
        let tera = self.renderer.templates();
        let (made, sitemaps) = self.write_sitemaps(staging, made)?;
        let news = crate::render::sitemap::news_sitemap(tera, &site.config, &site.digest)?;
        if let Some(text) = &news {
            staging.write(&self.at("news-sitemap.xml"), text)?;
            // The index lists the files of URLs: sitemap.xml, or its parts past the limit.
            let mut files: Vec<String> = match sitemaps.len() {
                1 => vec!["sitemap.xml".to_string()],
                _ => sitemaps.iter().skip(1).cloned().collect(),
            };
            files.push("news-sitemap.xml".into());
            let index = crate::render::sitemap::sitemap_index(tera, &site.config, &files)?;
            staging.write(&self.at("sitemap-index.xml"), index)?;
        }
        if let Some(all) = &self.robots {
            staging.write("robots.txt", robots(tera, &site.config, all)?)?;
        }
        staging.write(
            &self.at("feeds.opml"),
            opml(tera, &site.config, self.renderer.locale(), &site.digest)?,
        )?;
        // The search index's and sitemap's files are in `made`; then feeds.opml.
        let files =
            made.len() + 1 + usize::from(self.robots.is_some()) + 2 * usize::from(news.is_some());
        Ok((made, files))
    }

    /// The sitemap files (their names, as [`crate::render::sitemap::sitemaps`] gives them):
    /// kept as they are when nothing they list changed, else made again; with `made`.
    fn write_sitemaps(
        &self,
        staging: &Staging,
        mut made: Vec<Made>,
    ) -> Result<(Vec<Made>, Vec<String>)> {
        let (f, names) = self.renderer.sitemap_fingerprint();
        if names.iter().all(|name| self.is_current(&self.at(name), f)) {
            for name in &names {
                staging.keep(&self.at(name))?;
                made.push((self.at(name), f));
            }
            return Ok((made, names));
        }
        let site = self.site;
        let translations = |path: &str| self.renderer.translations(path);
        let tera = self.renderer.templates();
        let files = crate::render::sitemap::sitemaps(
            tera,
            &site.config,
            &site.digest,
            &site.digest.pages,
            &translations,
        )?;
        let mut names = Vec::new();
        for (name, text) in files {
            staging.write(&self.at(&name), text)?;
            made.push((self.at(&name), f));
            names.push(name);
        }
        Ok((made, names))
    }

    /// The search index's files: kept as they are when no article changed, else made
    /// again and written (only files whose bytes changed reach the output).
    pub(super) fn write_search_index(
        &self,
        staging: &Staging,
        gathered: Terms,
    ) -> Result<Vec<Made>> {
        let (site, cache, f) = (self.site, self.cache, self.index_fingerprint);
        let manifest = self.at(crate::render::search::MANIFEST_PATH);
        let dir = self.at(crate::render::search::INDEX_DIR);
        let kept: Vec<String> = cache
            .files_in(&self.output)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.starts_with(&dir))
            .collect();
        // Every file as the last build left it (one removed or changed by hand is made again).
        if self.is_current(&manifest, f) && kept.par_iter().all(|p| self.is_current(p, f)) {
            for path in &kept {
                staging.keep(path)?;
            }
            return Ok(kept.into_iter().map(|p| (p, f)).collect());
        }
        self.rendered.fetch_add(1, Ordering::Relaxed);
        let body_words = |i: ArticleId| self.body_words(i);
        let files =
            crate::render::search::index(&site.digest, &self.summaries, gathered, &body_words)?;
        files
            .into_par_iter()
            .map(|(path, bytes)| {
                let path = self.at(&path);
                staging.write(&path, bytes)?;
                Ok((path, f))
            })
            .collect()
    }

    /// The search words of article `i`'s body: remembered by `serve` between rebuilds,
    /// else read and parsed.
    pub(super) fn body_words(&self, i: ArticleId) -> Result<Arc<Vec<String>>> {
        let hash = self.site.digest[i].source_hash;
        let cache = self.cache;
        if let Some(words) = cache.search_words(hash) {
            return Ok(words);
        }
        let words = Arc::new(crate::render::search::body_words(
            &self.renderer.markdown(i)?,
        ));
        if self.delivery.keep_search_words {
            cache.keep_search_words(hash, words.clone());
        }
        Ok(words)
    }
}

/// The index files the last build put into `output`: the only files a late commit can
/// leave stale (a leaf of the search index split in two, say).
pub(super) fn index_files(cache: &BuildCache, output: &Path) -> Vec<String> {
    let previous = cache.files_in(output).unwrap_or_default();
    previous.into_iter().filter(|p| is_index_file(p)).collect()
}

/// Files that only search and search engines read: in `serve` they are written after the
/// pages, once the browser has been told to reload.
pub(super) fn is_index_file(site_path: &str) -> bool {
    site_path.starts_with(crate::render::search::INDEX_DIR)
        || (site_path.starts_with("sitemap") && site_path.ends_with(".xml"))
        || site_path == "robots.txt"
        || site_path == "feeds.opml"
}
