//! When stories go live: the site's `timezone` (an IANA name, `Europe/Paris`; UTC when
//! unset), in which dates written without an offset are read, and the build's clock, which
//! a story's date must have passed for it to be published.
//!
//! The clock is the system's, or `DIGEST_NOW` (`2025-03-01T09:00:00Z`, or a date) when it is
//! set: tests and previews fix "now" with it rather than waiting.

use crate::date::PostDate;

/// The variable that fixes the build's clock.
pub const NOW_VARIABLE: &str = "DIGEST_NOW";

/// The site's time zone, as `timezone` in config.toml names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Timezone {
    /// `None`: UTC, and dates without an offset are left as written (shown in UTC).
    zone: Option<(String, jiff::tz::TimeZone)>,
}

/// UTC, the default.
pub const UTC: Timezone = Timezone { zone: None };

impl Timezone {
    /// UTC, the default.
    pub fn utc() -> Timezone {
        UTC
    }

    /// The zone called `name` (`Europe/Paris`, `UTC`); an error says what to write.
    pub fn named(name: &str) -> Result<Timezone, String> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("utc") {
            return Ok(Timezone::utc());
        }
        jiff::tz::db()
            .get(name)
            .map(|tz| Timezone {
                zone: Some((name.to_string(), tz)),
            })
            .map_err(|_| {
                format!(
                    "`timezone` \"{name}\" is not a time zone: write an IANA name such as \"Europe/Paris\", \"America/New_York\" or \"UTC\""
                )
            })
    }

    /// Its name (`UTC` when unset).
    pub fn name(&self) -> &str {
        self.zone.as_ref().map_or("UTC", |(n, _)| n)
    }

    /// `date` with the zone's offset at that moment filled in when it was written without
    /// one (a date alone is midnight there); unchanged when it has one, or the zone is UTC.
    pub fn resolve(&self, date: PostDate) -> PostDate {
        let (Some((_, tz)), None) = (&self.zone, date.offset_minutes) else {
            return date;
        };
        // A leap second (`23:59:60`, which TOML accepts) is read as the second before it.
        let s = date.seconds.unwrap_or(0).min(86_399);
        let (Ok(day), Ok(month)) = (
            i8::try_from(date.date.day()),
            i8::try_from(date.date.month() as u8),
        ) else {
            return date;
        };
        let Ok(year) = i16::try_from(date.date.year()) else {
            return date;
        };
        let (Ok(day), Ok(time)) = (
            jiff::civil::Date::new(year, month, day),
            jiff::civil::Time::new((s / 3600) as i8, (s / 60 % 60) as i8, (s % 60) as i8, 0),
        ) else {
            return date;
        };
        let civil = day.to_datetime(time);
        // The moment, as Temporal's "compatible" rule picks it where a clock change skips
        // or repeats the time (02:30 on a spring-forward night is 03:30 summer time; a
        // repeated time is its first occurrence); the offset is what makes the time as
        // written (read as UTC, its offset unset) that moment.
        let Ok(moment) = tz.to_ambiguous_zoned_datetime(civil).compatible() else {
            return date;
        };
        let offset_seconds = date.timestamp() - moment.timestamp().as_second();
        PostDate {
            offset_minutes: i16::try_from(offset_seconds / 60).ok(),
            ..date
        }
    }
}

/// The build's clock, in seconds since the Unix epoch: `DIGEST_NOW` when set, else the
/// system's. An error names the variable and what to write.
pub fn now() -> Result<i64, String> {
    match std::env::var(NOW_VARIABLE) {
        Ok(text) if !text.trim().is_empty() => {
            let date = PostDate::from_toml(&toml::Value::String(text.clone())).map_err(|e| {
                format!("{e} (in {NOW_VARIABLE}, which sets the build's clock: write e.g. 2025-03-01T09:00:00Z)")
            })?;
            Ok(date.timestamp())
        }
        _ => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)),
    }
}

/// Whether a story dated `date` is scheduled (not yet live) at `now`.
pub fn is_scheduled(date: &PostDate, now: i64) -> bool {
    date.timestamp() > now
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> PostDate {
        PostDate::from_toml(&toml::Value::String(text.into())).unwrap()
    }

    #[test]
    fn dates_without_an_offset_are_read_in_the_sites_zone() {
        let paris = Timezone::named("Europe/Paris").unwrap();
        // Winter: UTC+1; summer: UTC+2; a date alone is midnight there.
        assert_eq!(
            paris.resolve(date("2025-01-27")).rfc3339(),
            "2025-01-27T00:00:00+01:00"
        );
        assert_eq!(
            paris.resolve(date("2025-07-01T09:30:00")).rfc3339(),
            "2025-07-01T09:30:00+02:00"
        );
        // A written offset wins.
        assert_eq!(
            paris.resolve(date("2025-07-01T09:30:00-05:00")).rfc3339(),
            "2025-07-01T09:30:00-05:00"
        );
        // 02:30 on 30 March 2025 does not exist in Paris: 03:30 summer time, 01:30 UTC.
        let skipped = paris.resolve(date("2025-03-30T02:30:00"));
        assert_eq!(
            skipped.timestamp(),
            date("2025-03-30T01:30:00Z").timestamp()
        );
        // 02:30 on 26 October 2025 happens twice: the first, summer time (00:30 UTC).
        let repeated = paris.resolve(date("2025-10-26T02:30:00"));
        assert_eq!(
            repeated.timestamp(),
            date("2025-10-26T00:30:00Z").timestamp()
        );
        // A leap second is no panic: read as the second before it.
        let leap = paris.resolve(date("2016-12-31T23:59:60"));
        assert_eq!(leap.offset_minutes, Some(60));
        let utc = Timezone::utc();
        assert_eq!(utc.resolve(date("2025-01-27")), date("2025-01-27"));
        assert_eq!(Timezone::named("utc").unwrap(), utc);
        assert_eq!(paris.name(), "Europe/Paris");
        assert_eq!(utc.name(), "UTC");
    }

    #[test]
    fn an_unknown_zone_is_an_error_saying_what_to_write() {
        let e = Timezone::named("Europe/Pariss").unwrap_err();
        assert!(e.contains("\"Europe/Pariss\" is not a time zone"), "{e}");
        assert!(e.contains("Europe/Paris"), "{e}");
    }

    #[test]
    fn a_story_is_scheduled_until_its_moment() {
        let tokyo = Timezone::named("Asia/Tokyo").unwrap();
        // Midnight of 1 March in Tokyo is 15:00 UTC on 28 February.
        let d = tokyo.resolve(date("2025-03-01"));
        let at = |t: &str| date(t).timestamp();
        assert!(is_scheduled(&d, at("2025-02-28T14:59:59Z")));
        assert!(!is_scheduled(&d, at("2025-02-28T15:00:00Z")));
    }
}
