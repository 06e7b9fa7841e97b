//! The `digest` command line: parses arguments, dispatches, and maps results to exit codes.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// digest: a static site generator for AI-industry news digests.
///
/// Write articles as Markdown with TOML front matter in content/articles/, then run
/// `digest build` to render the site (home, articles, company and tag pages) into public/.
#[derive(Parser)]
#[command(version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (public/ unless config.toml says otherwise).
    ///
    /// The new output is written beside the old and swapped in only when the whole build
    /// succeeded: a failed build leaves the previous output untouched.
    Build {
        /// The site's folder, holding config.toml, content/, templates/ and static/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write the site here instead of the config's `output_dir`.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Use this base URL instead of the config's (for previews or a project sub-path).
        #[arg(long)]
        base_url: Option<String>,
        /// Include articles and pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Serve the site locally and rebuild it as you write; the browser reloads by itself.
    ///
    /// Builds into memory, watches content/, templates/, static/ and config.toml, re-renders
    /// only the pages a change touches, and reloads open pages (stylesheet changes are
    /// swapped in place). Errors are shown in the terminal and over the page; the last good
    /// version stays served.
    Serve {
        /// The site's folder, holding config.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; keep 127.0.0.1 unless others must reach it.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            open,
        } => {
            let options = digest::serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
                open,
            };
            match digest::serve::serve(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => {
            let options = digest::BuildOptions {
                root,
                output,
                base_url,
                drafts,
            };
            match digest::build(&options) {
                Ok(report) => {
                    println!(
                        "built {} article{} into {} files in {} ms -> {}/",
                        report.article_count,
                        if report.article_count == 1 { "" } else { "s" },
                        report.file_count,
                        report.elapsed.as_millis(),
                        report.output_dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    match e.downcast_ref::<digest::BuildError>() {
                        // Already one `path:line:col: message` line per problem.
                        Some(build_error) => eprintln!("{build_error}"),
                        None => eprintln!("error: {e:#}"),
                    }
                    ExitCode::FAILURE
                }
            }
        }
    }
}
