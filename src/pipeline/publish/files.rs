//! Publishing a tree's files: the static files and the root's own files, the files
//! beside articles, and the photos' versions (encoded into the build cache, then copied).

use super::*;

impl Publisher<'_> {
    /// The root's own files: the static files, the code colours, `.nojekyll` and
    /// `CNAME`; says how many.
    pub(super) fn copy_root_files(
        &self,
        staging: &Staging,
        statics: &BTreeMap<String, PathBuf>,
    ) -> Result<usize> {
        for (rel, path) in statics {
            staging.copy(path, rel)?;
        }
        staging.write("highlight.css", crate::markdown::highlight_css())?;
        staging.write(".nojekyll", "")?;
        let mut files = statics.len() + 2;
        if let Some(cname) = &self.site.config.cname {
            staging.write("CNAME", format!("{cname}\n"))?;
            files += 1;
        }
        Ok(files)
    }

    /// The files beside the tree's articles (photos in their versions); says how many,
    /// and gives the photo versions.
    pub(super) fn copy_files(
        &self,
        options: &BuildOptions,
        staging: &Staging,
        processed: &std::collections::HashSet<&Path>,
    ) -> Result<(usize, Vec<Made>)> {
        let content = options.root.join("content");
        let mut files = 0;
        for asset in &self.site.digest.assets {
            // A photo is published in its resized versions only (without its metadata).
            if processed.contains(asset.rel.as_path()) {
                continue;
            }
            staging.copy(&content.join(&asset.rel), &self.at(&asset.out_path))?;
            files += 1;
        }
        let pictures = self.pictures(options, staging)?;
        Ok((files + pictures.len(), pictures))
    }

    /// Encodes the versions of `missing` photos into the build cache; says how many. A
    /// build does it before anything is staged, so that a photo which does not decode
    /// leaves the output as it was; `serve` does it after the reload.
    pub(super) fn encode(
        &self,
        options: &BuildOptions,
        missing: &[(&String, &crate::model::images::Picture)],
    ) -> Result<usize> {
        let digest = &self.site.digest;
        crate::pipeline::images::encode_all(
            &options.root,
            &self.site.config,
            &digest.picture_uses,
            missing,
        )
    }

    /// Every photo version that the build cache holds, copied into the output unless it is
    /// there already (its name holds its content's hash, so a file of that name that the
    /// last build wrote is the same).
    pub(super) fn pictures(&self, options: &BuildOptions, staging: &Staging) -> Result<Vec<Made>> {
        let mut made = Vec::new();
        for picture in self.site.digest.pictures.values() {
            for v in picture.variants() {
                let fingerprint = crate::util::hash::fingerprint(&v.path);
                let cached = crate::pipeline::images::cached(&options.root, v);
                let path = self.at(&v.path);
                if self.is_current(&path, fingerprint) {
                    staging.keep(&path)?;
                } else if cached.is_file() {
                    staging.copy(&cached, &path)?;
                } else {
                    continue; // `serve` encodes it after the reload
                }
                made.push((path, fingerprint));
            }
        }
        Ok(made)
    }
}
