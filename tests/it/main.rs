//! Integration tests: each builds a small site in a temp folder with the real `digest`
//! binary and checks the output files, the messages and the exit code.

mod authoring;
mod browser;
mod build_output;
mod errors;
mod incremental;
mod publish;
mod support;
mod timeline;
