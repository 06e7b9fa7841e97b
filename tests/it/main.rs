//! Integration tests: each builds a small site in a temp folder with the real `digest`
//! binary and checks the output files, the messages and the exit code.

mod authoring;
mod browser;
mod build_output;
mod bylines;
mod content_safety;
mod corrections;
mod data_files;
mod editions;
mod errors;
mod extra;
mod images;
mod incremental;
mod large_inputs;
mod logos;
mod output_safety;
mod properties;
mod publish;
mod redirects;
mod responsive;
mod schedule;
mod serve_safety;
mod session_properties;
mod share_cards;
mod support;
mod template_safety;
mod timeline;
