//! Publishing a tree's pages: rendered in parallel where their fingerprint changed, each
//! page's words gathered for the search index on the way, with a progress bar.

use super::*;

/// A progress bar for long builds: drawn on stderr only when it is a terminal, and only
/// once the build has taken more than a second (short builds stay quiet).
pub(super) struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    fn new(wanted: bool, pages: usize, started: Instant) -> Progress {
        use std::io::IsTerminal;
        let bar = (wanted && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(pages as u64),
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{prefix} [{bar:30}] {pos}/{len} pages, {eta} left",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_prefix("Rendering");
            bar
        });
        Progress {
            bar,
            started,
            shown: Default::default(),
        }
    }

    fn tick(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if !self.shown.load(std::sync::atomic::Ordering::Relaxed)
                && self.started.elapsed() > Duration::from_secs(1)
            {
                self.shown.store(true, std::sync::atomic::Ordering::Relaxed);
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Publisher<'_> {
    /// Every page whose inputs changed, in parallel. A build that makes a new search index
    /// takes each rendered article's words from the same pass (`gather`), instead of
    /// reading and parsing its body again.
    pub(super) fn pages(
        &self,
        staging: &Staging,
        options: &BuildOptions,
        started: Instant,
        defer: bool,
    ) -> Result<(Vec<Made>, Terms)> {
        if defer {
            for path in self.cache.files_in(&self.output).unwrap_or_default() {
                if is_index_file(&path) {
                    staging.keep(&path)?;
                }
            }
        }
        let index = self.at(crate::render::search::MANIFEST_PATH);
        let gather = !defer && !self.is_current(&index, self.index_fingerprint);
        let pages = &self.site.digest.pages;
        let progress = Progress::new(options.progress, pages.len(), started);
        let pass = pages
            .par_iter()
            .try_fold(
                <(Vec<Made>, Terms)>::default,
                |(mut made, mut terms), page| -> Result<(Vec<Made>, Terms)> {
                    progress.tick();
                    let text = std::cell::Cell::new(None);
                    made.push(self.render_if_changed(
                        staging,
                        crate::model::page_file(&page.path),
                        self.renderer.fingerprint(page),
                        &|| {
                            let (html, body_text) = self.renderer.render_with_text(page, gather)?;
                            text.set(body_text);
                            Ok(html)
                        },
                    )?);
                    if let (PageKind::Article(i), Some(text)) = (page.kind, text.take()) {
                        let at = Instant::now();
                        let title = &self.site.digest[i].title;
                        let words = crate::render::search::words(&text);
                        terms.add(i, title, self.summaries[i.index()], words);
                        let took = at.elapsed().as_nanos() as u64;
                        self.gather_ns.fetch_add(took, Ordering::Relaxed);
                    }
                    Ok((made, terms))
                },
            )
            .try_reduce(Default::default, |(mut a, terms_a), (b, terms_b)| {
                a.extend(b);
                Ok((a, terms_a.merge(terms_b)))
            })?;
        progress.finish();
        Ok(pass)
    }
}
