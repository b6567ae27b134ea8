//! Problems found in a site's input, reported as `path:line: message`.

use std::fmt;

/// One problem in one input file. `line` is 1-based and counts lines of the whole file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn new(path: impl Into<String>, line: Option<usize>, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for Problem {}

/// Every problem found in one build, reported together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.0 {
            writeln!(f, "{problem}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "{} problem{} found; nothing was written",
            n,
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Problems {}

/// What `gazette check` found wrong: the problems, listed as a build lists them, and how
/// many warnings came with them (a check writes nothing, so it never says it did not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Findings {
    pub problems: Vec<Problem>,
    pub warnings: usize,
}

impl fmt::Display for Findings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(f, "{problem}")?;
        }
        let n = self.problems.len();
        write!(f, "{n} problem{} found", if n == 1 { "" } else { "s" })?;
        if self.warnings > 0 {
            let w = self.warnings;
            write!(f, ", and {w} warning{}", if w == 1 { "" } else { "s" })?;
        }
        Ok(())
    }
}

impl std::error::Error for Findings {}

/// An error as the terminal shows it: problems as their `path:line: message` lines, any
/// other error as its whole chain, once (`error: a: b: c`).
pub fn describe(error: &anyhow::Error) -> String {
    if let Some(findings) = error.downcast_ref::<Findings>() {
        return findings.to_string();
    }
    match error.downcast_ref::<Problems>() {
        Some(problems) => problems.to_string(),
        None => format!("error: {error:#}"),
    }
}

/// The 1-based line (within `text`) of the top-level key `key`, for YAML (`key:`) and
/// TOML (`key =`) alike. Used to point errors about a value at the line that holds it.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let Some(rest) = line.strip_prefix(key) else {
                return false;
            };
            let rest = rest.trim_start();
            rest.starts_with(':') || rest.starts_with('=')
        })
        .map(|i| i + 1)
}
