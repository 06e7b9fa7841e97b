//! Runs the browser tests of `digest serve` (live reload, and the page shown before the
//! first good build) and of the search page (tests/e2e, node's test runner driving Debian's
//! Chromium through playwright-core) against the binary this test run built.
//!
//! Passes when every test named in [`EXPECTED`] passed and no other ran, as node's TAP
//! report tells them. Needs `chromium` (`apt-get install chromium`) and `node`/`npm`;
//! `.ci/run` installs them.

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
        .args(["--test", "--test-reporter=tap"])
        .env("DIGEST_BIN", env!("CARGO_BIN_EXE_digest"))
        .env("CHROMIUM", &chromium)
        .current_dir(&e2e)
        .output()
        .expect("node is needed for the browser test");
    let report = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let results = TapResults::read(&report);
    let missing: Vec<&str> = EXPECTED
        .iter()
        .copied()
        .filter(|name| !results.passed.iter().any(|p| p == name))
        .collect();
    let unexpected: Vec<&String> = results
        .passed
        .iter()
        .filter(|p| !EXPECTED.contains(&p.as_str()))
        .collect();
    assert!(
        missing.is_empty() && unexpected.is_empty() && results.not_passed.is_empty(),
        "expected but not passed: {missing:?}\nfailed or skipped: {:?}\n\
         passed but not in EXPECTED (add them): {unexpected:?}\n{report}\n{stderr}",
        results.not_passed
    );
    assert!(
        output.status.success(),
        "node --test failed:\n{report}\n{stderr}"
    );
}

/// Every test in tests/e2e, by the name node's test runner reports for it. A test added,
/// renamed or removed there is named here too, so that none can go missing unnoticed.
const EXPECTED: &[&str] = &[
    // building.test.mjs
    "before a good build, every page is the building page with the errors over it",
    "fixing the content turns the building page into the site without a manual reload",
    // search.test.mjs
    "a word from a summary finds its article",
    "the company filter narrows the results",
    "a word nobody wrote finds nothing, and says so",
    // serve.test.mjs
    "serves under the base path",
    "an edit appears without a manual reload",
    "broken front matter shows the overlay; fixing it clears it",
    "a stylesheet change is swapped in place without a reload",
    "a deleted article is gone at once",
    "unsafe paths and methods are refused",
];

/// What a TAP report says of each test: `ok N - name` passed; `not ok N - name` failed, and
/// `ok N - name # SKIP` or `# TODO` did not run or does not count. Lines at any depth.
#[derive(Debug, Default, PartialEq)]
struct TapResults {
    passed: Vec<String>,
    not_passed: Vec<String>,
}

impl TapResults {
    fn read(report: &str) -> Self {
        let mut results = TapResults::default();
        for line in report.lines().map(str::trim_start) {
            let (ok, rest) = if let Some(rest) = line.strip_prefix("not ok ") {
                (false, rest)
            } else if let Some(rest) = line.strip_prefix("ok ") {
                (true, rest)
            } else {
                continue;
            };
            let Some((_number, name)) = rest.split_once(" - ") else {
                continue;
            };
            // A directive follows an unescaped `#`; node writes a `#` in a name as `\#`.
            let (name, directive) = name.split_once(" # ").unwrap_or((name, ""));
            let name = name.replace("\\#", "#").replace("\\\\", "\\");
            let counts = directive.is_empty();
            if ok && counts {
                results.passed.push(name);
            } else {
                results.not_passed.push(name);
            }
        }
        results
    }
}

#[test]
fn tap_results_tell_passed_from_failed_and_skipped() {
    let report = "TAP version 13\n\
        # Subtest: a\n\
        ok 1 - a\n  ---\n  duration_ms: 1\n  ...\n\
        not ok 2 - b\n\
        ok 3 - c # SKIP no browser\n\
        ok 4 - d \\# 2 # TODO later\n\
        \x20   ok 1 - e, nested\n\
        1..4\n# pass 1\n";
    let results = TapResults::read(report);
    assert_eq!(results.passed, ["a", "e, nested"]);
    assert_eq!(results.not_passed, ["b", "c", "d # 2"]);
}
