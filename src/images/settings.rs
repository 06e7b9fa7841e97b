//! `[images]` in `config.toml`: the widths variants are made at, their quality, and the
//! `sizes` attribute pages give them.

use serde::Deserialize;

/// Keys of `[images]` (`config/keys.rs` reports every other one).
pub const IMAGES_KEYS: &[&str] = &["widths", "quality", "sizes", "share_cards"];

/// The widths of the built-in theme's column and of common screens, doubled for sharp
/// screens: 480 (phones), 800, 1200 (the 42rem column at 2x), 1600.
const DEFAULT_WIDTHS: [u32; 4] = [480, 800, 1200, 1600];
/// The built-in theme's text column is 42rem wide, less on a narrow screen.
const DEFAULT_SIZES: &str = "(min-width: 44rem) 42rem, 100vw";
const DEFAULT_QUALITY: u8 = 80;
/// Widths a variant may have.
const WIDTH_RANGE: std::ops::RangeInclusive<u32> = 16..=8192;

/// `[images]`, checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Settings {
    /// Distinct, ascending.
    pub widths: Vec<u32>,
    /// Of the lossy WebP and JPEG files, 1 to 100.
    pub quality: u8,
    /// The `sizes` attribute of every responsive image.
    pub sizes: String,
    /// Whether an article without a lead image gets a generated share card (`card.rs`).
    pub share_cards: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            widths: DEFAULT_WIDTHS.to_vec(),
            quality: DEFAULT_QUALITY,
            sizes: DEFAULT_SIZES.into(),
            share_cards: true,
        }
    }
}

impl Settings {
    /// The defaults, for code that reads content without a `config.toml` (tests, benches).
    pub fn defaults() -> &'static Settings {
        static DEFAULTS: std::sync::OnceLock<Settings> = std::sync::OnceLock::new();
        DEFAULTS.get_or_init(Settings::default)
    }
}

/// `[images]` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    widths: Option<Vec<i64>>,
    quality: Option<i64>,
    sizes: Option<String>,
    share_cards: Option<bool>,
}

impl RawSettings {
    /// The checked settings, or what is wrong with the key named first.
    pub fn check(self) -> Result<Settings, (&'static str, String)> {
        let mut settings = Settings::default();
        if let Some(widths) = self.widths {
            let mut checked = Vec::with_capacity(widths.len());
            for w in widths {
                match u32::try_from(w).ok().filter(|w| WIDTH_RANGE.contains(w)) {
                    Some(w) => checked.push(w),
                    None => {
                        return Err((
                            "widths",
                            format!(
                                "`widths` holds {w}: each width must be {} to {} pixels",
                                WIDTH_RANGE.start(),
                                WIDTH_RANGE.end()
                            ),
                        ))
                    }
                }
            }
            if checked.is_empty() {
                return Err((
                    "widths",
                    "`widths` is empty: list at least one width, e.g. `widths = [800, 1600]`"
                        .into(),
                ));
            }
            checked.sort_unstable();
            checked.dedup();
            settings.widths = checked;
        }
        if let Some(q) = self.quality {
            settings.quality = u8::try_from(q)
                .ok()
                .filter(|q| (1..=100).contains(q))
                .ok_or_else(|| ("quality", format!("`quality` is {q}: it must be 1 to 100")))?;
        }
        if let Some(sizes) = self.sizes {
            let sizes = sizes.trim();
            if sizes.is_empty() || sizes.contains(['"', '<', '>']) {
                return Err((
                    "sizes",
                    "`sizes` must be a media condition list such as \"(min-width: 44rem) 42rem, 100vw\""
                        .into(),
                ));
            }
            settings.sizes = sizes.into();
        }
        if let Some(cards) = self.share_cards {
            settings.share_cards = cards;
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> RawSettings {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn defaults_and_checks() {
        assert_eq!(raw("").check().unwrap(), Settings::default());
        let s = raw("widths = [1600, 480, 480]\nquality = 70")
            .check()
            .unwrap();
        assert_eq!((s.widths, s.quality), (vec![480, 1600], 70));
        assert!(s.share_cards);
        assert!(!raw("share_cards = false").check().unwrap().share_cards);
        assert!(raw("widths = []").check().unwrap_err().1.contains("empty"));
        assert!(raw("widths = [0]")
            .check()
            .unwrap_err()
            .1
            .contains("16 to 8192"));
        assert!(raw("quality = 101")
            .check()
            .unwrap_err()
            .1
            .contains("1 to 100"));
        assert!(raw("sizes = \"\\\"x\"").check().is_err());
        assert!(toml::from_str::<RawSettings>("width = [1]").is_err());
    }
}
