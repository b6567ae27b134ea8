//! Files written into a folder the user shares with Gazette (`gazette newsletter`'s
//! `newsletter/` or `--output`): a file there is replaced only when Gazette wrote it and
//! nobody changed it since, which a record beside them (`.gazette-written`: each file's
//! name and the hash of what was written) tells.

use crate::problem::{Problem, Problems};
use crate::util::hash::fnv;
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The record of what Gazette wrote into the folder.
pub const RECORD: &str = ".gazette-written";

/// Writes `files` (name, contents) into `dir`, after checking every one: a file already
/// there that Gazette did not write, or that was changed since, is a problem, and then
/// nothing is written. Returns the paths written.
pub fn write_owned(dir: &Path, files: &[(String, String)]) -> Result<Vec<PathBuf>> {
    let Some(mut record) = read_record(dir) else {
        let path = dir.join(RECORD);
        return Err(Problem::new(path.display().to_string(), None, "is not the record Gazette keeps of the files it wrote here, so it is left as it is; move it away, or pass another --output").into());
    };
    let problems: Vec<Problem> = files
        .iter()
        .filter_map(|(name, contents)| foreign(dir, name, contents, &record))
        .collect();
    if !problems.is_empty() {
        return Err(Problems(problems).into());
    }
    let mut paths = Vec::new();
    for (name, contents) in files {
        paths.push(super::staging::write_file(dir, name, contents)?);
        record.insert(name.clone(), fnv(contents.as_bytes()));
    }
    let text: String = record
        .iter()
        .map(|(name, hash)| format!("{hash:016x} {name}\n"))
        .collect();
    super::staging::write_file(dir, RECORD, text)?;
    Ok(paths)
}

/// The problem with writing `name` into `dir`, when there is a file there that is not
/// Gazette's as it wrote it (the same bytes as `contents` lose nothing, and pass).
fn foreign(
    dir: &Path,
    name: &str,
    contents: &str,
    record: &BTreeMap<String, u64>,
) -> Option<Problem> {
    let path = dir.join(name);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    let old = meta
        .is_file()
        .then(|| crate::util::fs::read(&path).ok())
        .flatten();
    let ours = old
        .as_deref()
        .is_some_and(|old| record.get(name) == Some(&fnv(old)) || old == contents.as_bytes());
    (!ours).then(|| {
        Problem::new(
            path.display().to_string(),
            None,
            "is already there and Gazette did not write it (or it was changed since), so it is left as it is; move it away, or pass another --output".to_string(),
        )
    })
}

/// What the folder's record says (empty when there is none yet), or `None` when a file
/// of its name is not such a record (a file of the user's, which is never replaced).
fn read_record(dir: &Path) -> Option<BTreeMap<String, u64>> {
    let path = dir.join(RECORD);
    if std::fs::symlink_metadata(&path).is_err() {
        return Some(BTreeMap::new());
    }
    let text = crate::util::fs::read_to_string(&path).ok()?;
    text.lines()
        .map(|line| {
            let (hash, name) = line.split_once(' ')?;
            Some((name.to_string(), u64::from_str_radix(hash, 16).ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_gazette_wrote_and_nobody_changed_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let files = |text: &str| vec![("a.html".to_string(), text.to_string())];
        write_owned(d, &files("one")).unwrap();
        write_owned(d, &files("two")).unwrap();
        assert_eq!(std::fs::read_to_string(d.join("a.html")).unwrap(), "two");
        std::fs::write(d.join("a.html"), "edited by hand").unwrap();
        let e = write_owned(d, &files("three")).unwrap_err();
        assert!(e.to_string().contains("a.html: is already there and Gazette did not write it (or it was changed since), so it is left as it is; move it away, or pass another --output"), "{e}");
        assert_eq!(
            std::fs::read_to_string(d.join("a.html")).unwrap(),
            "edited by hand"
        );
        // The same bytes again lose nothing.
        write_owned(d, &files("edited by hand")).unwrap();
        // A file of the record's name that is not one is the user's too.
        std::fs::write(d.join(RECORD), "my notes\n").unwrap();
        assert!(write_owned(d, &files("four")).is_err());
        assert_eq!(
            std::fs::read_to_string(d.join(RECORD)).unwrap(),
            "my notes\n"
        );
    }
}
