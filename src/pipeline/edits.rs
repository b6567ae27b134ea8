//! `serve`'s shortcut for saves that change only articles' Markdown: when the front
//! matter of every saved article is as it was, every article keeps its place in every
//! list, so the last [`Prepared`] site is taken with the new bodies (their Markdown
//! rendered again, their pages' views updated) instead of loading and grouping the whole
//! site again. Anything else (a new, removed or unreadable file, changed front matter, a
//! template, `site.toml`) goes through [`super::build::prepare`].

use super::cache::BuildCache;
use super::options::{BuildOptions, Prepared, Tree};
use crate::model::{ArticleId, Digest};
use crate::problem::Problem;
use crate::render::{self, MarkdownInputs};
use crate::source::articles::LoadedArticle;
use std::path::{Path, PathBuf};

/// What [`take_in`] made of the last site.
pub enum Edited {
    /// The site with the edits taken in.
    Updated(Prepared),
    /// The site as it was: the saves need a whole rebuild.
    Rebuild(Prepared),
}

/// One saved article whose Markdown alone changed.
struct Edit {
    id: ArticleId,
    rel: PathBuf,
    stamp: Option<crate::util::fs::Stamp>,
    new: LoadedArticle,
    warnings: Vec<Problem>,
}

/// Takes in saved article files (`paths`, absolute) whose front matter is unchanged,
/// giving the site with their new Markdown; gives it back as it was when any path is
/// something else. The articles remembered in `cache` are updated too.
pub fn take_in(
    options: &BuildOptions,
    cache: &mut BuildCache,
    prepared: Prepared,
    paths: &[PathBuf],
) -> Edited {
    match read_edits(options, cache, &prepared, paths) {
        Some(edits) => Edited::Updated(with_edits(cache, prepared, edits)),
        None => Edited::Rebuild(prepared),
    }
}

/// Reads each saved file; `None` unless every one (an editor's temporary file aside) is
/// an article of the site whose Markdown alone changed. A site in several languages is
/// loaded again.
fn read_edits(
    options: &BuildOptions,
    cache: &BuildCache,
    prepared: &Prepared,
    paths: &[PathBuf],
) -> Option<Vec<Edit>> {
    let [tree] = prepared.trees.as_slice() else {
        return None;
    };
    let content_dir = options.root.join("content");
    let front_options = crate::source::front_matter::Options::for_site(&tree.site.config);
    let mut edits = Vec::new();
    for path in paths {
        let rel = path.strip_prefix(&content_dir).ok()?;
        let name = rel.file_name().unwrap_or_default().to_string_lossy();
        if crate::util::fs::is_ignored(&name) {
            continue; // an editor's temporary file
        }
        let digest = &tree.site.digest;
        edits.push(read_edit(cache, &front_options, digest, path, rel)?);
    }
    (!edits.is_empty()).then_some(edits)
}

/// The article at `path` (`rel` in `content/`) as saved, if only its Markdown changed.
fn read_edit(
    cache: &BuildCache,
    front_options: &crate::source::front_matter::Options,
    digest: &Digest,
    path: &Path,
    rel: &Path,
) -> Option<Edit> {
    let id = digest.article_index(rel)?;
    let old = cache.articles.article(rel)?;
    let (bytes, stamp) = crate::util::fs::read_stamped(path).ok()?;
    let shown = &digest[id].path;
    let (new, warnings) =
        crate::source::articles::read_article(rel, shown, &bytes, front_options).ok()?;
    // (A new `{% post_url %}` or `{{< ref >}}` is looked up by a whole rebuild.)
    // (A new or moved image needs its header read: a whole rebuild too.)
    let same = new.front == old.front
        && new.body_line == old.body_line
        && new.refs == old.refs
        && new.images == old.images;
    same.then(|| Edit {
        id,
        rel: rel.to_path_buf(),
        stamp,
        new,
        warnings,
    })
}

/// `prepared` (one tree) with `edits` taken in: the new digest, each edited article's
/// Markdown rendered again and its pages' views updated; `cache` remembers the new files.
fn with_edits(cache: &mut BuildCache, mut prepared: Prepared, edits: Vec<Edit>) -> Prepared {
    let Tree {
        mut site,
        mut views,
    } = prepared.trees.pop().expect("one tree");
    let links = render::link_map_fingerprint(&site.digest);
    site.digest = edited(site.digest, &edits);
    for edit in &edits {
        let inputs = MarkdownInputs {
            config: &site.config,
            digest: &site.digest,
            article: &site.digest[edit.id],
            links,
        };
        site.markdown_keys[edit.id.index()] = inputs.key();
        site.html[edit.id.index()] = inputs.summary();
    }
    for edit in &edits {
        let (config, digest) = (&site.config, &site.digest);
        views.update_article(config, digest, &site.html, &site.markdown_keys, edit.id);
    }
    for Edit {
        rel,
        stamp,
        mut new,
        warnings,
        ..
    } in edits
    {
        new.body = String::new();
        cache.articles.replace(rel, stamp, Ok((new, warnings)));
    }
    prepared.trees.push(Tree { site, views });
    prepared
}

/// `digest` with each edited article's Markdown as saved: what it is made of (its hash),
/// its lead, its length and whether it links inside the site.
fn edited(mut digest: Digest, edits: &[Edit]) -> Digest {
    for edit in edits {
        let a = &mut digest[edit.id];
        a.source_hash = edit.new.source_hash;
        a.lead = edit.new.lead.clone();
        a.words = edit.new.words;
        a.links_inside = edit.new.links_inside;
    }
    digest
}
