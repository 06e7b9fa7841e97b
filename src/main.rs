//! The `digest` command line: parses arguments, dispatches, and maps results to exit codes.

use clap::{CommandFactory, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc, tuned for a low peak (src/allocator.rs); the system allocator without the
/// `mimalloc` feature.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: digest::allocator::Allocator = digest::allocator::Allocator;

/// digest: a static site generator for AI-industry news digests.
///
/// Articles are Markdown files with a TOML header (title, date, summary, companies, tags,
/// sources, events) under content/articles/. `digest build` renders them into a site with a
/// home page, article pages, a timeline, company and topic pages, feeds, a sitemap and
/// search; `digest serve` shows it while you write.
///
/// Start with `digest init my-digest`, then `digest new "A headline"` and `digest serve`.
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
    /// succeeded: a failed build leaves the previous output untouched. The output it
    /// replaces is kept beside it (.public.previous for public/; hidden, ignored by git) and
    /// reused by the next build, which rewrites only the files that changed. Every problem
    /// is listed as path:line:column: message, and the exit code is 1.
    ///
    /// digest replaces only a folder it wrote (marked by the .digest-output file it leaves
    /// there, which lists every file it wrote) or an empty one. It refuses a folder holding
    /// anything else, a file, and the site's own folders (., content/, templates/, static/),
    /// and never deletes a file it did not write.
    Build {
        /// The site's folder, holding config.toml, content/, templates/ and static/.
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
        /// Write the site here instead of the config's `output_dir`.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Use this base URL instead of the config's (for previews or a project sub-path).
        #[arg(short = 'u', long)]
        base_url: Option<String>,
        /// Include articles and pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Include scheduled stories: articles dated after now (read in config.toml's
        /// `timezone`, UTC by default), which a build leaves out of every page, list, feed
        /// and the sitemap until their moment; marked "Scheduled for ..." on their pages.
        /// DIGEST_NOW=2025-03-01T09:00:00Z sets "now" (for previews and tests).
        #[arg(long)]
        future: bool,
    },
    /// Serve the site locally and rebuild it as you write; the browser reloads by itself.
    ///
    /// Builds into memory, watches content/, templates/, static/ and config.toml, re-renders
    /// only the pages a change touches, and reloads open pages (stylesheet changes are
    /// swapped in place). Errors are shown in the terminal and over the page; the last good
    /// version stays served.
    Serve {
        /// The site's folder, holding config.toml.
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; keep 127.0.0.1 unless others must reach it. Requests
        /// are answered only when addressed to localhost, 127.0.0.1, [::1] or this address
        /// (on 0.0.0.0 or ::, any IP address); other Host names get a 403.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// The port to listen on (0 picks a free one).
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Check the site without writing it: broken internal links and anchors (errors), and
    /// near-duplicate company or tag names, missing summaries, events far from their
    /// article, drafts and images without alt text (warnings); lists scheduled stories and when each goes live.
    Check {
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
        /// Treat warnings as errors (for CI).
        #[arg(long)]
        strict: bool,
    },
    /// Create a new digest that builds at once: config, an example article and company
    /// profile, static/, .gitignore and a GitHub Pages workflow. Uses the built-in theme.
    Init {
        /// The folder to create (default: the current one).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Add the starter files to a non-empty folder (existing files are kept).
        #[arg(long)]
        force: bool,
    },
    /// Start an article: writes content/articles/YYYY/<slug>.md with its front matter
    /// (with --folder, content/articles/YYYY/<slug>/index.md, to keep images beside it).
    New {
        /// The headline.
        title: String,
        /// A company the article is about (repeatable); matched to profiles and aliases.
        #[arg(long = "company")]
        companies: Vec<String>,
        /// A topic (repeatable).
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// A writer for the byline (repeatable): `--author "Maya Chen"`.
        #[arg(long = "author")]
        authors: Vec<String>,
        /// The article's date, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        /// Mark it as a draft.
        #[arg(long)]
        draft: bool,
        /// Make a folder article (<slug>/index.md): files put beside it (images, data)
        /// are published at its URL.
        #[arg(long)]
        folder: bool,
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
    },
    /// Work with the built-in theme.
    Theme {
        #[command(subcommand)]
        action: ThemeAction,
    },
    /// Print a shell completion script: digest completions bash > /etc/bash_completion.d/digest
    Completions { shell: clap_complete::Shell },
}

#[derive(Subcommand)]
enum ThemeAction {
    /// Copy the built-in templates (all, or those named) into templates/ to customise them.
    /// Files already there are kept.
    Eject {
        /// Template names such as article.html (default: all).
        names: Vec<String>,
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
    },
}

/// Output piped into a command that stops reading early (`digest build | head -1`) ends
/// the process quietly, as `cat` or `ls` would, instead of a panic on the next print.
/// Not for `serve`, which must outlive any one client.
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restores the default action of one signal before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        quiet_on_closed_pipe();
    }
    let result = match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            future,
        } => build(digest::BuildOptions {
            root,
            output,
            base_url,
            drafts,
            future,
            now: None,
        }),
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            open,
        } => digest::serve::serve(digest::serve::ServeOptions {
            root,
            bind,
            port,
            drafts,
            open,
        })
        .map(|_| ExitCode::SUCCESS),
        Command::Check { root, strict } => check(root, strict),
        Command::Init { dir, force } => digest::authoring::init(&dir, force).map(|written| {
            for path in &written {
                println!("created {}", path.display());
            }
            println!("next: cd {} && digest serve", dir.display());
            ExitCode::SUCCESS
        }),
        Command::New {
            title,
            companies,
            tags,
            authors,
            date,
            draft,
            folder,
            root,
        } => {
            let article = digest::authoring::NewArticle {
                title,
                companies,
                tags,
                authors,
                date,
                draft,
                folder,
            };
            digest::authoring::new_article(&root, &article).map(|path| {
                println!("{}", path.display());
                ExitCode::SUCCESS
            })
        }
        Command::Theme {
            action: ThemeAction::Eject { names, root },
        } => digest::authoring::eject(&root, &names).map(|(written, kept)| {
            for p in written {
                println!("created {}", p.display());
            }
            for p in kept {
                println!("kept {} (already there)", p.display());
            }
            ExitCode::SUCCESS
        }),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "digest", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|e| {
        match e.downcast_ref::<digest::BuildError>() {
            // Already one `path:line:col: message` line per problem.
            Some(build_error) => eprintln!("{}", paint(&build_error.to_string(), Level::Error)),
            None => eprintln!("{} {e:#}", paint("error:", Level::Error)),
        }
        ExitCode::FAILURE
    })
}

fn build(options: digest::BuildOptions) -> anyhow::Result<ExitCode> {
    // A page whose template runs away ends the build with its error (render/budget.rs).
    digest::render::budget::exit_on_runaway();
    // A status line for builds that take over a second, on a terminal only (not in CI logs).
    let progress = (std::io::stderr().is_terminal() && std::env::var_os("CI").is_none())
        .then(|| digest::progress::show_after(std::time::Duration::from_secs(1)));
    let result = digest::build(&options);
    drop(progress);
    let report = result?;
    let counts: Vec<String> = [
        (report.images_processed, "image resized", "images resized"),
        (report.cards_drawn, "share card drawn", "share cards drawn"),
    ]
    .into_iter()
    .filter(|&(n, _, _)| n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    let images = if counts.is_empty() {
        String::new()
    } else {
        format!(" ({})", counts.join(", "))
    };
    println!(
        "{} -> {}/{images}",
        digest::pipeline::built_line(
            report.article_count,
            report.file_count,
            report.elapsed.as_millis()
        ),
        report.output_dir.display()
    );
    // The process ends here: its memory goes back to the system whole (see BuildReport).
    std::mem::forget(report.session);
    Ok(ExitCode::SUCCESS)
}

fn check(root: PathBuf, strict: bool) -> anyhow::Result<ExitCode> {
    digest::render::budget::exit_on_runaway();
    let options = digest::BuildOptions {
        root,
        ..Default::default()
    };
    let report = digest::check::check(&options)?;
    for (path, when) in &report.scheduled {
        eprintln!(
            "{} {}: goes live {when}; builds leave it out until then (--future shows it)",
            paint("scheduled:", Level::Info),
            path.display()
        );
    }
    for e in &report.errors {
        eprintln!("{} {e}", paint("error:", Level::Error));
    }
    for w in &report.warnings {
        eprintln!("{} {w}", paint("warning:", Level::Warning));
    }
    println!(
        "checked {} pages and {} links: {} error{}, {} warning{}",
        report.pages_checked,
        report.links_checked,
        report.errors.len(),
        if report.errors.len() == 1 { "" } else { "s" },
        report.warnings.len(),
        if report.warnings.len() == 1 { "" } else { "s" },
    );
    let failed = !report.errors.is_empty() || (strict && !report.warnings.is_empty());
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

enum Level {
    Error,
    Warning,
    Info,
}

/// Colours a label on a terminal, unless NO_COLOR is set (https://no-color.org).
fn paint(text: &str, level: Level) -> String {
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if !color {
        return text.to_string();
    }
    let code = match level {
        Level::Error => "1;31",
        Level::Warning => "1;33",
        Level::Info => "1;36",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}
