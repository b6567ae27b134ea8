//! Gazette's integration tests, in one binary so the suite links once (as mdBook's
//! `tests/testsuite/`). Each module builds small sites into temporary folders and asserts
//! on the files written and the exact messages printed.

mod add;
mod archive;
mod build;
mod common;
mod digest;
mod errors;
mod firstday;
mod fuzz;
mod guard;
mod i18n;
mod images;
mod import;
mod inbox;
mod languages;
mod layers;
mod newsletter;
mod platforms;
mod properties;
mod publish;
mod reach;
mod robustness;
mod search;
mod send;
mod serve;
mod theme;
mod trust;
mod unchanged;
mod workflows;
