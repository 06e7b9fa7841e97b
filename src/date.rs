//! Publication dates: parsed from TOML dates, datetimes or `"YYYY-MM-DD"` strings, validated
//! against the calendar, and formatted for readers, feeds and URLs.

use serde::Serialize;
use std::cmp::Ordering;
use std::fmt::Display;
use std::ops::RangeInclusive;

/// The years a date may have. Bounded here, where every date is read, so that no later
/// computation steps off the calendar: the week holding 31 December 9999 ends in year
/// 10000, past what the `time` crate holds (it panicked), and year 0's first week starts
/// in year -1.
pub const YEARS: RangeInclusive<i32> = 1..=9998;

/// The message for a date (or period, like `9999-W52`) outside [`YEARS`].
pub fn out_of_range(date: impl Display) -> String {
    format!(
        "`{date}` is out of range: digest takes years {} to {}",
        YEARS.start(),
        YEARS.end()
    )
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar date with an optional time of day and UTC offset, as authors write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostDate {
    pub date: time::Date,
    /// Seconds since midnight, when the author gave a time.
    pub seconds: Option<u32>,
    /// Offset from UTC in minutes, when the author gave one.
    pub offset_minutes: Option<i16>,
}

impl PostDate {
    /// Parses a TOML value: a date, a datetime, or a string holding either.
    pub fn from_toml(value: &toml::Value) -> Result<PostDate, String> {
        let datetime = match value {
            toml::Value::Datetime(dt) => *dt,
            toml::Value::String(s) => parse_text(s.trim())?,
            other => {
                let kind = other.type_str();
                let a = if matches!(kind, "integer" | "array") {
                    "an"
                } else {
                    "a"
                };
                return Err(format!(
                    "`{other}` is {a} {kind}, not a date; write the date as YYYY-MM-DD, e.g. 2025-01-27"
                ));
            }
        };
        Self::from_datetime(&datetime)
    }

    fn from_datetime(dt: &toml::value::Datetime) -> Result<PostDate, String> {
        let d = dt
            .date
            .ok_or_else(|| format!("`{dt}` has a time but no date: write YYYY-MM-DD"))?;
        let month = time::Month::try_from(d.month)
            .map_err(|_| format!("`{dt}` is not a date: there is no month {}", d.month))?;
        let date =
            time::Date::from_calendar_date(i32::from(d.year), month, d.day).map_err(|_| {
                format!(
                    "`{dt}` is not a date: {} has no day {}",
                    MONTHS[usize::from(d.month - 1)],
                    d.day
                )
            })?;
        if !YEARS.contains(&date.year()) {
            return Err(out_of_range(dt));
        }
        let seconds = dt.time.map(|t| {
            u32::from(t.hour) * 3600 + u32::from(t.minute) * 60 + u32::from(t.second.unwrap_or(0))
        });
        let offset_minutes = match dt.offset {
            Some(toml::value::Offset::Z) => Some(0),
            Some(toml::value::Offset::Custom { minutes }) => Some(minutes),
            None => None,
        };
        Ok(PostDate {
            date,
            seconds,
            offset_minutes,
        })
    }

    pub fn year(&self) -> i32 {
        self.date.year()
    }

    pub fn month(&self) -> u8 {
        self.date.month() as u8
    }

    /// `2025-01-27`
    pub fn iso(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.date.year(),
            self.month(),
            self.date.day()
        )
    }

    /// `27 January 2025`
    pub fn long(&self) -> String {
        format!(
            "{} {} {}",
            self.date.day(),
            MONTHS[usize::from(self.month() - 1)],
            self.date.year()
        )
    }

    /// `2025-01-27T09:30:00+01:00`; a date alone is taken as midnight UTC.
    pub fn rfc3339(&self) -> String {
        let s = self.seconds.unwrap_or(0);
        let offset = match self.offset_minutes.unwrap_or(0) {
            0 => "Z".to_string(),
            m => format!(
                "{}{:02}:{:02}",
                if m < 0 { '-' } else { '+' },
                m.abs() / 60,
                m.abs() % 60
            ),
        };
        format!(
            "{}T{:02}:{:02}:{:02}{offset}",
            self.iso(),
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    }

    /// Seconds since the Unix epoch in UTC, for ordering dates written with different offsets.
    pub fn timestamp(&self) -> i64 {
        let days = i64::from(self.date.to_julian_day()) - 2_440_588;
        days * 86_400 + i64::from(self.seconds.unwrap_or(0))
            - i64::from(self.offset_minutes.unwrap_or(0)) * 60
    }

    /// The month name, `January`.
    pub fn month_name(&self) -> &'static str {
        month_name(self.month())
    }
}

/// A date written as a string: `2025-01-27`, or a full TOML/RFC 3339 datetime.
fn parse_text(s: &str) -> Result<toml::value::Datetime, String> {
    let not_a_date = || format!("`{s}` is not a date: write it as YYYY-MM-DD, e.g. 2025-01-27");
    let parts: Vec<&str> = s.splitn(3, '-').collect();
    if let [y, m, d] = parts[..] {
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if digits(y, 4) && digits(m, 2) && digits(d, 2) {
            // Plain dates are checked here, so that `2025-02-30` gets a precise message.
            return Ok(toml::value::Datetime {
                date: Some(toml::value::Date {
                    year: y.parse().map_err(|_| not_a_date())?,
                    month: m.parse().map_err(|_| not_a_date())?,
                    day: d.parse().map_err(|_| not_a_date())?,
                }),
                time: None,
                offset: None,
            });
        }
    }
    s.parse::<toml::value::Datetime>().map_err(|_| not_a_date())
}

/// Today's date in UTC.
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// Today as `YYYY-MM-DD`.
pub fn today_iso() -> String {
    let d = today();
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// `January` for 1.
pub fn month_name(month: u8) -> &'static str {
    MONTHS[usize::from(month.clamp(1, 12) - 1)]
}

impl Ord for PostDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.timestamp().cmp(&other.timestamp())
    }
}

impl PartialOrd for PostDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<time::Date> for PostDate {
    /// A calendar day, taken as midnight UTC.
    fn from(date: time::Date) -> Self {
        PostDate {
            date,
            seconds: None,
            offset_minutes: None,
        }
    }
}

/// A date as templates see it.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct DateView {
    /// `2025-01-27`, for `<time datetime>`.
    pub iso: String,
    /// `27 January 2025`, for readers.
    pub long: String,
    /// `2025-01-27T00:00:00Z`, for feeds and JSON-LD.
    pub rfc3339: String,
    pub year: i32,
    pub month: u8,
    /// `09:30`, when the author gave a time of day (as written, in its own zone).
    pub time: Option<String>,
}

impl From<&PostDate> for DateView {
    fn from(d: &PostDate) -> Self {
        DateView {
            iso: d.iso(),
            long: d.long(),
            rfc3339: d.rfc3339(),
            time: d
                .seconds
                .map(|s| format!("{:02}:{:02}", s / 3600, s / 60 % 60)),
            year: d.year(),
            month: d.month(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<PostDate, String> {
        let v: toml::Table = toml::from_str(s).unwrap();
        PostDate::from_toml(&v["d"])
    }

    #[test]
    fn parses_dates_datetimes_and_strings() {
        assert_eq!(parse("d = 2025-01-27").unwrap().long(), "27 January 2025");
        assert_eq!(parse("d = \"2025-01-27\"").unwrap().iso(), "2025-01-27");
        assert_eq!(
            parse("d = 2025-01-27T09:30:00+01:00").unwrap().rfc3339(),
            "2025-01-27T09:30:00+01:00"
        );
    }

    #[test]
    fn rejects_impossible_dates_and_wrong_types() {
        let e = parse("d = \"2025-02-30\"").unwrap_err();
        assert!(e.contains("February has no day 30"), "{e}");
        assert!(parse("d = \"yesterday\"")
            .unwrap_err()
            .contains("not a date"));
        assert!(parse("d = 5").unwrap_err().contains("integer"));
    }

    #[test]
    fn rejects_years_off_the_calendar_that_later_steps_need() {
        for d in [
            "9999-12-31",
            "\"9999-01-01\"",
            "0000-06-01",
            "9999-12-31T23:00:00Z",
        ] {
            let e = parse(&format!("d = {d}")).unwrap_err();
            assert!(
                e.contains("out of range: digest takes years 1 to 9998"),
                "{d}: {e}"
            );
        }
        assert_eq!(parse("d = 9998-12-31").unwrap().iso(), "9998-12-31");
        assert_eq!(parse("d = 0001-01-01").unwrap().iso(), "0001-01-01");
    }

    #[test]
    fn orders_by_instant() {
        let a = parse("d = 2025-01-27T10:00:00+02:00").unwrap();
        let b = parse("d = 2025-01-27T09:00:00Z").unwrap();
        assert!(a < b);
    }
}
