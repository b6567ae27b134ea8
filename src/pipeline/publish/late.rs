//! `serve`'s late commit: the files written after the browser was told to reload.

use super::*;

/// What `serve` writes after the browser was told to reload.
pub(super) struct Late {
    pub(super) made: Vec<Made>,
    pub(super) files: usize,
    pub(super) changed: usize,
    pub(super) paths: Vec<String>,
    /// The paths made again.
    pub(super) remade: Vec<String>,
    pub(super) encoded: usize,
}

impl Publisher<'_> {
    /// In `serve`, once the pages are in place: the search index and sitemaps, then the
    /// photo versions that were not in the build cache (encoded now, so that they do not
    /// hold back the reload of the text; the browser reloads again when they are there).
    pub(super) fn after_reload(
        &self,
        options: &BuildOptions,
        missing: &[(&String, &crate::model::images::Picture)],
        pages_ready: &dyn Fn(),
    ) -> Result<Late> {
        let timer = Timer::new();
        let late = Staging::new(&self.output, false)?;
        let (made, files) = self.write_indexes(&late, Default::default(), &timer)?;
        let mut tally = Late {
            made,
            files,
            changed: late.changed(),
            paths: late
                .paths()
                .into_iter()
                .filter(|p| is_index_file(p))
                .collect(),
            remade: late.made(),
            encoded: 0,
        };
        late.commit(Some(index_files(self.cache, &self.output)))?;
        timer.lap("sitemaps");
        if missing.is_empty() {
            return Ok(tally);
        }
        tally.encoded = self.encode(options, missing)?;
        let late = Staging::new(&self.output, false)?;
        let pictures = self.pictures(options, &late)?;
        tally.files += tally.encoded;
        tally.made.extend(pictures);
        tally.changed += late.changed();
        tally.paths.extend(late.paths());
        tally.remade.extend(late.made());
        late.commit(Some(Vec::new()))?;
        timer.lap("images");
        pages_ready();
        Ok(tally)
    }
}
