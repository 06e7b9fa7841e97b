//! A small chainable builder for test sites: write files, run `digest build`, read output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

pub const CONFIG: &str =
    "title = \"Test Digest\"\nbase_url = \"https://example.com/\"\npaginate_by = 2\n";

/// An article's text with the given date and extra front-matter lines.
pub fn article(title: &str, date: &str, extra: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = {date}\n{extra}\n+++\n{body}\n")
}

impl TestSite {
    /// A site with a config and nothing else.
    pub fn new() -> Self {
        let site = TestSite {
            dir: tempfile::tempdir().unwrap(),
        };
        site.file("config.toml", CONFIG)
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` at `path` below the root, creating folders.
    pub fn file(self, path: &str, text: &str) -> Self {
        self.bytes(path, text.as_bytes())
    }

    pub fn bytes(self, path: &str, bytes: &[u8]) -> Self {
        let full = self.root().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
        self
    }

    pub fn article(self, name: &str, text: &str) -> Self {
        self.file(&format!("content/articles/{name}"), text)
    }

    /// Runs `digest build` in the site's folder with extra arguments.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_digest"))
            .arg("build")
            .args(args)
            .current_dir(self.root())
            .output()
            .unwrap()
    }

    /// Builds and asserts success; returns stdout.
    pub fn build_ok(&self) -> String {
        let out = self.run(&[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "build failed:\n{stderr}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Builds, asserts exit code 1, and returns stderr.
    pub fn build_err(&self) -> String {
        let out = self.run(&[]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "expected failure; stdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    pub fn output(&self, path: &str) -> String {
        let full = self.out_path(path);
        std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
    }

    pub fn out_path(&self, path: &str) -> PathBuf {
        self.root().join("public").join(path)
    }

    pub fn exists(&self, path: &str) -> bool {
        self.out_path(path).exists()
    }
}
