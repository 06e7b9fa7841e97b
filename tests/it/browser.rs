//! Runs the browser tests of `digest serve` (live reload, and the page shown before the
//! first good build) and of the search page (tests/e2e, node's test runner driving Debian's
//! Chromium through playwright-core) against the binary this test run built.
//!
//! Needs `chromium` (`apt-get install chromium`) and `node`/`npm`; `.ci/run` installs them.

use std::path::Path;
use std::process::Command;

#[test]
fn serve_live_reload_in_a_real_browser() {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "this test drives Chromium: install it with `apt-get install chromium` (or set CHROMIUM)"
    );
    if !e2e.join("node_modules/playwright-core").exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&e2e)
            .status()
            .expect("npm is needed to install playwright-core");
        assert!(status.success(), "npm ci failed in tests/e2e");
    }
    let output = Command::new("node")
        .arg("--test")
        .env("DIGEST_BIN", env!("CARGO_BIN_EXE_digest"))
        .env("CHROMIUM", &chromium)
        .current_dir(&e2e)
        .output()
        .expect("node is needed for the browser test");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "browser test failed:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        report.contains("# fail 0") && report.contains("# pass 11"),
        "{report}"
    );
}
