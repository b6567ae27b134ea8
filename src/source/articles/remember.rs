//! The memory of parsed articles between builds (`serve`'s in memory, a build's in
//! `.gazette-cache/`): a file whose size and modification time are the same is not read
//! or parsed again.

use super::*;

/// Articles read before, by path, with the size and time of the file they came from.
/// `build` keeps them in the build cache, `serve` in memory.
#[derive(Default)]
pub struct Remembered {
    /// Off by default (`check` reads everything afresh).
    pub enabled: bool,
    /// Keep each article's whole body (for `check`, which reads its links). A build
    /// does not: it reads a body again only to render that article's page.
    pub keep_bodies: bool,
    /// Remember each article as its line of the cache file, ready to save, instead of as
    /// a parsed copy (a build, which saves them and reads them only in the next run).
    pub as_lines: bool,
    /// Whether the last load read any file anew (so a saved copy is out of date).
    pub changed: bool,
    /// How the front matter was read (time zone and keys), as text.
    pub(super) options: Option<String>,
    pub(super) files: Files,
}

/// The remembered files, by path relative to `content/`.
pub(super) type Files = HashMap<PathBuf, (Stamp, Kept)>;

/// One remembered file: what reading it gave, parsed or as JSON.
pub(super) enum Kept {
    Parsed(Box<ReadResult>),
    Line(Box<str>),
}

pub(super) type ReadResult = Result<(LoadedArticle, Vec<Problem>), Vec<Problem>>;

impl Remembered {
    /// Remembers what this load read (`read`, each with its stamp and what to keep of it
    /// if it was read anew), moving over from `previous` what was reused; notes whether
    /// anything changed, files deleted included.
    pub(super) fn take_in(&mut self, read: &mut [super::Read], mut previous: Files) {
        self.files.reserve(read.len());
        for (rel, stamp, _, kept) in read.iter_mut() {
            let Some(stamp) = *stamp else { continue };
            // A reused entry moves over as it is; a new read brings its own.
            let entry = match kept.take() {
                Some(kept) => {
                    self.changed = true;
                    previous.remove(rel);
                    Some((stamp, kept))
                }
                None => previous.remove(rel),
            };
            if let Some(entry) = entry {
                self.files.insert(rel.clone(), entry);
            }
        }
        if !previous.is_empty() {
            self.changed = true; // files were deleted or changed
        }
    }

    /// The article last read from `rel` (relative to `content/`), if it read without errors
    /// and is kept parsed.
    pub fn article(&self, rel: &Path) -> Option<&LoadedArticle> {
        match self.files.get(rel) {
            Some((_, Kept::Parsed(parsed))) => parsed.as_ref().as_ref().ok().map(|(a, _)| a),
            _ => None,
        }
    }

    /// Remembers what reading `rel` gave, outside a whole load (`serve` taking in a save).
    pub fn replace(&mut self, rel: PathBuf, stamp: Option<Stamp>, result: ReadResult) {
        match stamp {
            Some(stamp) if self.enabled => {
                self.files
                    .insert(rel, (stamp, Kept::Parsed(Box::new(result))));
            }
            _ => {
                self.files.remove(&rel);
            }
        }
        self.changed = true;
    }

    /// Writes the remembered files as lines: the options, then one line per file with its
    /// size, time, path and what reading it gave, each field but the last ending in a tab
    /// (JSON text never holds a raw tab or line break). Files kept parsed are turned into
    /// JSON here.
    pub fn write_lines(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        let json = |e: serde_json::Error| std::io::Error::other(e);
        serde_json::to_writer(&mut *w, &self.options).map_err(json)?;
        w.write_all(b"\n")?;
        for (rel, ((len, time), kept)) in &self.files {
            let since = time
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(std::io::Error::other)?;
            write!(w, "{len}\t{}\t{}\t", since.as_secs(), since.subsec_nanos())?;
            serde_json::to_writer(&mut *w, rel).map_err(json)?;
            w.write_all(b"\t")?;
            match kept {
                Kept::Line(line) => w.write_all(line.as_bytes())?,
                Kept::Parsed(result) => serde_json::to_writer(&mut *w, result).map_err(json)?,
            }
            w.write_all(b"\n")?;
        }
        Ok(())
    }

    /// Reads what [`Remembered::write_lines`] wrote (the lines side by side), keeping each
    /// file's result as its JSON line until a load needs it. `None` if any line is damaged.
    pub fn read_lines(text: &str) -> Option<Remembered> {
        let (options, lines) = text.split_once('\n')?;
        if !lines.is_empty() && !lines.ends_with('\n') {
            return None; // cut short
        }
        let options = serde_json::from_str(options).ok()?;
        let files = lines
            .par_split_terminator('\n')
            .map(|line| {
                let mut fields = line.splitn(5, '\t');
                let len = fields.next()?.parse().ok()?;
                let secs = fields.next()?.parse().ok()?;
                let nanos = fields.next()?.parse().ok()?;
                let time =
                    std::time::UNIX_EPOCH.checked_add(std::time::Duration::new(secs, nanos))?;
                let rel: PathBuf = serde_json::from_str(fields.next()?).ok()?;
                Some((rel, ((len, time), Kept::Line(fields.next()?.into()))))
            })
            .collect::<Option<HashMap<_, _>>>()?;
        Some(Remembered {
            options,
            files,
            as_lines: true,
            ..Default::default()
        })
    }
}

impl Kept {
    /// What reading the file gave (`None` if a saved line no longer parses).
    pub(super) fn result(&self) -> Option<ReadResult> {
        match self {
            Kept::Parsed(result) => Some(result.as_ref().clone()),
            Kept::Line(line) => serde_json::from_str(line).ok(),
        }
    }
}
