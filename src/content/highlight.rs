//! Syntax highlighting of fenced code with syntect, as CSS classes (never inline styles),
//! and the stylesheet for those classes in a light and a dark variant.
//!
//! The syntax set (syntect's defaults plus bat's extras via `two-face`, which add TOML,
//! TypeScript, Dockerfile and more) is loaded once, on first use, and shared by all threads.
//! Its regexes run on Oniguruma (syntect's `regex-onig`): grammars compiled ~15 times faster
//! on first use and code highlighted about twice as fast as with the pure-Rust fancy-regex
//! engine (bench/HISTORY.md, "What each change bought").
//!
//! Each token gets one short class for what it is (`hl-k` keyword, `hl-s` string...), like
//! Pygments' and Hugo's token classes, rather than one class per atom of each of its
//! TextMate scopes (`hl-punctuation hl-section hl-group hl-begin hl-rust`, nested once per
//! scope, as syntect's own HTML generator writes): a 25-line Rust block is ~3 KB of HTML
//! instead of ~13 KB, and the colours live in one table ([`CLASSES`]), checked for contrast
//! by a test.

use std::sync::OnceLock;
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::html::{escape, escape_into};

/// A kind of token, its CSS class, and its colour on the light and the dark code background.
pub struct TokenClass {
    pub class: &'static str,
    pub what: &'static str,
    pub light: &'static str,
    pub dark: &'static str,
    /// Extra CSS for the class (weight or style), the same in both schemes.
    pub extra: &'static str,
}

const fn class(
    class: &'static str,
    what: &'static str,
    light: &'static str,
    dark: &'static str,
    extra: &'static str,
) -> TokenClass {
    TokenClass {
        class,
        what,
        light,
        dark,
        extra,
    }
}

/// Every token class. Light colours are GitHub's (darkened where under 4.5:1 on the code
/// background), dark ones Base16 Ocean's (lightened likewise).
pub const CLASSES: &[TokenClass] = &[
    class(
        "hl-c",
        "comment",
        "#6b6c6e",
        "#8d9aa5",
        "font-style: italic;",
    ),
    class("hl-s", "string", "#183691", "#a3be8c", ""),
    class(
        "hl-e",
        "escape or regular expression",
        "#b5441d",
        "#96b5b4",
        "",
    ),
    class("hl-n", "number", "#00739a", "#d08770", ""),
    class("hl-l", "constant or literal", "#00739a", "#d08770", ""),
    class("hl-k", "keyword or storage", "#a71d5d", "#b48ead", ""),
    class("hl-o", "operator", "#a71d5d", "#c0c5ce", ""),
    class("hl-f", "function name", "#795da3", "#8fa1b3", ""),
    class("hl-t", "type or class name", "#00739a", "#ebcb8b", ""),
    class("hl-g", "markup tag", "#3a7a33", "#e0868d", ""),
    class("hl-a", "attribute name", "#795da3", "#d08770", ""),
    class(
        "hl-h",
        "heading",
        "#1d3e81",
        "#8fa1b3",
        "font-weight: bold;",
    ),
    class("hl-i", "inserted", "#3a7a33", "#a3be8c", ""),
    class("hl-d", "deleted", "#bd2c00", "#e0868d", ""),
    class("hl-u", "link", "#2d68a3", "#96b5b4", ""),
    class("hl-b", "bold", "inherit", "inherit", "font-weight: bold;"),
    class(
        "hl-em",
        "italic",
        "inherit",
        "inherit",
        "font-style: italic;",
    ),
    class(
        "hl-x",
        "invalid",
        "#bd2c00",
        "#e0868d",
        "text-decoration: underline wavy;",
    ),
];

/// Which class a scope gets: the first rule whose selector is a prefix of it. A token's
/// class is that of its innermost scope that has one (punctuation inside a string is
/// string; a scope no rule names, like `meta.block`, passes to the one around it).
const RULES: &[(&str, &str)] = &[
    ("comment", "hl-c"),
    ("string.regexp", "hl-e"),
    ("constant.character.escape", "hl-e"),
    ("string.other.link", "hl-u"),
    ("string", "hl-s"),
    ("constant.numeric", "hl-n"),
    ("constant", "hl-l"),
    ("support.constant", "hl-l"),
    ("variable.language", "hl-l"),
    ("keyword.operator", "hl-o"),
    ("keyword", "hl-k"),
    ("storage", "hl-k"),
    ("entity.name.function", "hl-f"),
    ("support.function", "hl-f"),
    ("variable.function", "hl-f"),
    ("entity.name.tag", "hl-g"),
    ("entity.other.attribute-name", "hl-a"),
    ("entity.name.section", "hl-h"),
    ("markup.heading", "hl-h"),
    ("entity.name", "hl-t"),
    ("entity.other.inherited-class", "hl-t"),
    ("support.type", "hl-t"),
    ("support.class", "hl-t"),
    ("markup.inserted", "hl-i"),
    ("markup.deleted", "hl-d"),
    ("markup.underline.link", "hl-u"),
    ("markup.bold", "hl-b"),
    ("markup.italic", "hl-em"),
    ("markup.raw", "hl-s"),
    ("markup.quote", "hl-c"),
    ("invalid", "hl-x"),
];

/// Shared highlighter; cheap to create, loads its syntaxes only when code is first seen.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    rules: OnceLock<Vec<(Scope, &'static str)>>,
}

impl Highlighter {
    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(two_face::syntax::extra_newlines)
    }

    fn rules(&self) -> &[(Scope, &'static str)] {
        self.rules.get_or_init(|| {
            RULES
                .iter()
                .filter_map(|(selector, class)| Scope::new(selector).ok().map(|s| (s, *class)))
                .collect()
        })
    }

    /// Compiles what highlighting `lang` needs first (its grammar's main rules), so that
    /// it can happen on another thread before the first code block of `lang` is met.
    pub fn warm_up(&self, lang: &str) {
        self.highlight("x\n", lang);
    }

    /// `<pre>` HTML for a code block. Unknown or missing languages give plain escaped code.
    pub fn highlight(&self, code: &str, lang: &str) -> String {
        let lang = lang.split([',', ' ']).next().unwrap_or("").trim();
        let lang_attr = escape(lang);
        let mut out = String::with_capacity(code.len() * 2 + 128);
        if lang.is_empty() {
            out.push_str("<pre class=\"code\" tabindex=\"0\"><code>");
        } else {
            out.push_str(&format!(
                "<pre class=\"code\" tabindex=\"0\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">"
            ));
        }
        let start = out.len();
        let highlighted = !lang.is_empty() && self.highlight_known(code, lang, &mut out);
        if !highlighted {
            out.truncate(start);
            escape_into(&mut out, code);
        }
        out.push_str("</code></pre>\n");
        out
    }

    /// Appends `code` highlighted as `lang` to `out`; false when `lang` is unknown or its
    /// grammar fails on this code (the caller then shows it plain).
    fn highlight_known(&self, code: &str, lang: &str, out: &mut String) -> bool {
        let syntaxes = self.syntaxes();
        let Some(syntax) = find_syntax(syntaxes, lang) else {
            return false;
        };
        let rules = self.rules();
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        // The class of each prefix of `stack`: kept in step with pushes and pops, so a
        // scope is classified once, when it is pushed.
        let mut classes: Vec<Option<&'static str>> = Vec::new();
        let mut tokens = Tokens { out, open: None };
        for line in LinesWithEndings::from(code) {
            let Ok(ops) = state.parse_line(line, syntaxes) else {
                return false;
            };
            let mut at = 0;
            for (to, op) in ops {
                tokens.push(&line[at..to], classes.last().copied().flatten());
                at = to;
                if stack.apply(&op).is_err() {
                    return false;
                }
                match op {
                    ScopeStackOp::Push(scope) => push_class(&mut classes, scope, rules),
                    ScopeStackOp::Pop(n) => classes.truncate(classes.len().saturating_sub(n)),
                    ScopeStackOp::Noop => {}
                    // Clearing and restoring scopes (rare): classify the stack afresh.
                    _ => {
                        classes.clear();
                        for &scope in stack.as_slice() {
                            push_class(&mut classes, scope, rules);
                        }
                    }
                }
            }
            tokens.push(&line[at..], classes.last().copied().flatten());
        }
        tokens.close();
        true
    }
}

fn find_syntax<'s>(syntaxes: &'s SyntaxSet, lang: &str) -> Option<&'s SyntaxReference> {
    syntaxes
        .find_syntax_by_token(lang)
        .or_else(|| syntaxes.find_syntax_by_token(&lang.to_ascii_lowercase()))
}

/// Pushes the class of `scope`, pushed inside the scopes whose classes `classes` holds: its
/// own, else the one around it.
fn push_class(
    classes: &mut Vec<Option<&'static str>>,
    scope: Scope,
    rules: &[(Scope, &'static str)],
) {
    let outer = classes.last().copied().flatten();
    classes.push(own_class(scope, rules).or(outer));
}

/// The class of `scope` itself (the first rule that selects it), if any.
fn own_class(scope: Scope, rules: &[(Scope, &'static str)]) -> Option<&'static str> {
    rules
        .iter()
        .find(|(selector, _)| selector.is_prefix_of(scope))
        .map(|(_, class)| *class)
}

/// Highlighted HTML being written: one `<span>` per run of tokens of the same class.
struct Tokens<'o> {
    out: &'o mut String,
    open: Option<&'static str>,
}

impl Tokens<'_> {
    fn push(&mut self, text: &str, class: Option<&'static str>) {
        if text.is_empty() {
            return;
        }
        // Spaces look the same in any span: they join the open one rather than split it.
        let blank = text.bytes().all(|b| b.is_ascii_whitespace());
        if class != self.open && !blank {
            self.close();
            if let Some(class) = class {
                self.out.push_str("<span class=\"");
                self.out.push_str(class);
                self.out.push_str("\">");
            }
            self.open = class;
        }
        escape_into(self.out, text);
    }

    fn close(&mut self) {
        if self.open.take().is_some() {
            self.out.push_str("</span>");
        }
    }
}

/// The stylesheet for highlighted code (`/highlight.css`): each class's colour, light, and
/// dark in dark mode.
pub fn stylesheet() -> String {
    let rules = |dark: bool| {
        CLASSES
            .iter()
            .map(|c| {
                let colour = if dark { c.dark } else { c.light };
                let gap = if c.extra.is_empty() { "" } else { " " };
                format!(
                    ".{} {{ color: {colour};{gap}{} }} /* {} */\n",
                    c.class, c.extra, c.what
                )
            })
            .collect::<String>()
    };
    format!(
        "/* Generated by digest (src/content/highlight.rs); do not edit. */\n{}@media (prefers-color-scheme: dark) {{\n{}}}\n",
        rules(false),
        rules(true)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_short_class_per_token_and_no_styles() {
        let h = Highlighter::default();
        let html = h.highlight("// hi\nfn main() { let x = \"s\"; }\n", "rust");
        assert!(html.starts_with("<pre class=\"code\" tabindex=\"0\" data-lang=\"rust\"><code class=\"language-rust\">"), "{html}");
        assert!(
            html.contains("<span class=\"hl-c\">// hi\n</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"hl-k\">fn </span>"), "{html}");
        assert!(html.contains("<span class=\"hl-f\">main</span>"), "{html}");
        // The quotes belong to the string.
        assert!(
            html.contains("<span class=\"hl-s\">&quot;s&quot;</span>"),
            "{html}"
        );
        assert!(!html.contains("style="));
        assert!(!html.contains("hl-rust"), "no per-scope classes: {html}");
        // Every span opened is closed, and the text is the code.
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count()
        );
        let text = html
            .trim_end()
            .split('<')
            .map(|part| part.split_once('>').map_or(part, |p| p.1))
            .collect::<String>();
        assert_eq!(
            text.replace("&quot;", "\""),
            "// hi\nfn main() { let x = \"s\"; }\n"
        );
    }

    #[test]
    fn knows_toml_typescript_and_dockerfile() {
        let h = Highlighter::default();
        for (lang, code) in [
            ("toml", "a = \"x\"\n"),
            ("ts", "let a: string = \"x\";\n"),
            ("Dockerfile", "FROM debian\n"),
        ] {
            let html = h.highlight(code, lang);
            assert!(html.contains("<span class=\"hl-"), "{lang}: {html}");
        }
    }

    #[test]
    fn unknown_languages_are_plain_escaped_code() {
        let h = Highlighter::default();
        let html = h.highlight("<b>&</b>\n", "no-such-lang");
        assert!(html.contains("&lt;b&gt;&amp;&lt;/b&gt;"));
        assert!(!html.contains("hl-"));
        let plain = h.highlight("x < y\n", "");
        assert_eq!(
            plain,
            "<pre class=\"code\" tabindex=\"0\"><code>x &lt; y\n</code></pre>\n"
        );
    }

    #[test]
    fn every_rule_names_a_class_with_colours() {
        for (selector, class) in RULES {
            assert!(Scope::new(selector).is_ok(), "{selector}");
            assert!(CLASSES.iter().any(|c| c.class == *class), "{class}");
        }
        let css = stylesheet();
        for c in CLASSES {
            assert_eq!(
                css.matches(&format!(".{} {{", c.class)).count(),
                2,
                "{}",
                c.class
            );
        }
        assert!(css.contains("prefers-color-scheme: dark"));
    }

    /// WCAG 2 contrast of two `#rrggbb` colours.
    fn contrast(a: &str, b: &str) -> f64 {
        let luminance = |hex: &str| {
            let channel = |i: usize| {
                let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
                if c <= 0.03928 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// Every colour reads at 4.5:1 (WCAG AA) on the theme's code background, light and dark
    /// (taken from style.css, so changing either side is checked).
    #[test]
    fn every_colour_has_enough_contrast_on_the_code_background() {
        let css = include_str!("../../templates/style.css");
        let backgrounds: Vec<&str> = css
            .match_indices("--code-bg: ")
            .map(|(i, m)| &css[i + m.len()..i + m.len() + 7])
            .collect();
        let [light_bg, dark_bg] = backgrounds[..] else {
            panic!("style.css should set --code-bg twice, light and dark: {backgrounds:?}");
        };
        for c in CLASSES.iter().filter(|c| c.light != "inherit") {
            let (light, dark) = (contrast(c.light, light_bg), contrast(c.dark, dark_bg));
            assert!(
                light >= 4.5,
                "{} light {} on {light_bg}: {light:.2}",
                c.class,
                c.light
            );
            assert!(
                dark >= 4.5,
                "{} dark {} on {dark_bg}: {dark:.2}",
                c.class,
                c.dark
            );
        }
    }
}
