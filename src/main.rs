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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
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
