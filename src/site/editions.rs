//! Editions: the articles and events of one period (an ISO week, or a month) as one roundup,
//! the way a newsletter reads. One pass over the articles, in date order: O(n log n).
//!
//! An edition exists when its period has an article or an editor's intro
//! (`content/editions/2025-W05.md`); other periods are skipped. Events join the edition of
//! the period they are dated in, when there is one.

use std::collections::BTreeMap;

use super::Site;
use crate::config::Period;
use crate::content::EditionIntro;

/// One edition: a period and what happened in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// `2025-W05` or `2025-01`: its URL segment and the name of its intro file.
    pub key: String,
    /// The period's first and last day.
    pub start: time::Date,
    pub end: time::Date,
    /// Articles published in the period, newest first (indices into `site.articles`).
    pub articles: Vec<usize>,
    /// (article, event) of the events dated in the period, in date order, then article
    /// order, then event order.
    pub events: Vec<(usize, usize)>,
    /// The index of the editor's intro in `site.edition_intros`, if there is one.
    pub intro: Option<usize>,
}

/// The key and first/last day of the period holding `date`. Checked arithmetic: a date
/// outside [`crate::date::YEARS`] (never read, but not impossible) gets a period cut at
/// the calendar's end instead of a panic.
pub fn period_of(date: time::Date, period: Period) -> (String, time::Date, time::Date) {
    match period {
        Period::Week => {
            let (year, week, weekday) = date.to_iso_week_date();
            let back = time::Duration::days(i64::from(weekday.number_days_from_monday()));
            let monday = date.checked_sub(back).unwrap_or(time::Date::MIN);
            let sunday = monday
                .checked_add(time::Duration::days(6))
                .unwrap_or(time::Date::MAX);
            (format!("{year}-W{week:02}"), monday, sunday)
        }
        Period::Month => {
            let first = date.replace_day(1).unwrap_or(date);
            let last = first
                .replace_day(first.month().length(first.year()))
                .unwrap_or(date);
            (
                format!("{:04}-{:02}", date.year(), date.month() as u8),
                first,
                last,
            )
        }
    }
}

/// Why a file name is not an edition's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    /// Not `2025-W05` (or `2025-01`), or no such week or month.
    NotAPeriod,
    /// A period of a year outside [`crate::date::YEARS`].
    OutOfRange,
}

/// The first and last day of a period named like `2025-W05` or `2025-01`.
pub fn parse_key(key: &str, period: Period) -> Result<(time::Date, time::Date), KeyError> {
    let (year, rest) = match period {
        Period::Week => key.split_once("-W"),
        Period::Month => key.split_once('-'),
    }
    .ok_or(KeyError::NotAPeriod)?;
    if rest.len() != 2 || (period == Period::Month && year.len() != 4) {
        return Err(KeyError::NotAPeriod);
    }
    let year: i32 = year.parse().map_err(|_| KeyError::NotAPeriod)?;
    let number: u8 = rest.parse().map_err(|_| KeyError::NotAPeriod)?;
    if !crate::date::YEARS.contains(&year) {
        return Err(KeyError::OutOfRange);
    }
    let date = match period {
        Period::Week => time::Date::from_iso_week_date(year, number, time::Weekday::Monday),
        Period::Month => {
            let month = time::Month::try_from(number).map_err(|_| KeyError::NotAPeriod)?;
            time::Date::from_calendar_date(year, month, 1)
        }
    }
    .map_err(|_| KeyError::NotAPeriod)?;
    let (canonical, start, end) = period_of(date, period);
    if canonical == key {
        Ok((start, end))
    } else {
        Err(KeyError::NotAPeriod)
    }
}

/// Every edition of the site, newest first.
pub fn editions(site: &Site, intros: &[EditionIntro], period: Period) -> Vec<Edition> {
    let mut by_key: BTreeMap<String, Edition> = BTreeMap::new();
    fn slot(
        by_key: &mut BTreeMap<String, Edition>,
        date: time::Date,
        period: Period,
    ) -> &mut Edition {
        let (key, start, end) = period_of(date, period);
        by_key.entry(key.clone()).or_insert_with(|| Edition {
            key,
            start,
            end,
            articles: Vec::new(),
            events: Vec::new(),
            intro: None,
        })
    }
    for (i, a) in site.articles.iter().enumerate() {
        slot(&mut by_key, a.date.date, period).articles.push(i);
    }
    for (n, intro) in intros.iter().enumerate() {
        if let Ok((start, _)) = parse_key(&intro.key, period) {
            slot(&mut by_key, start, period).intro = Some(n);
        }
    }
    // Events join the edition of their own date, when it has one: an event alone does
    // not make an edition.
    for (i, a) in site.articles.iter().enumerate() {
        for (e, event) in a.events.iter().enumerate() {
            let (key, _, _) = period_of(event.date.date, period);
            if let Some(edition) = by_key.get_mut(&key) {
                edition.events.push((i, e));
            }
        }
    }
    let mut list: Vec<Edition> = by_key.into_values().rev().collect();
    for edition in &mut list {
        edition
            .events
            .sort_unstable_by_key(|&(a, e)| (site.articles[a].events[e].date, a, e));
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u8, d: u8) -> time::Date {
        time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap()
    }

    #[test]
    fn iso_weeks_cross_new_year() {
        // 30 December 2024 is the Monday of ISO week 1 of 2025.
        let (key, start, end) = period_of(date(2025, 1, 1), Period::Week);
        assert_eq!(key, "2025-W01");
        assert_eq!((start, end), (date(2024, 12, 30), date(2025, 1, 5)));
        assert_eq!(period_of(date(2024, 12, 30), Period::Week).0, "2025-W01");
        assert_eq!(period_of(date(2024, 12, 29), Period::Week).0, "2024-W52");
        // 2020 had 53 weeks; 1 January 2021 belongs to its last.
        assert_eq!(period_of(date(2021, 1, 1), Period::Week).0, "2020-W53");
    }

    #[test]
    fn months() {
        let (key, start, end) = period_of(date(2024, 2, 10), Period::Month);
        assert_eq!(
            (key.as_str(), start, end),
            ("2024-02", date(2024, 2, 1), date(2024, 2, 29))
        );
    }

    #[test]
    fn keys_round_trip_and_reject_nonsense() {
        assert_eq!(
            parse_key("2025-W01", Period::Week),
            Ok((date(2024, 12, 30), date(2025, 1, 5)))
        );
        assert_eq!(
            parse_key("2025-W1", Period::Week),
            Err(KeyError::NotAPeriod)
        );
        assert_eq!(
            parse_key("2025-W54", Period::Week),
            Err(KeyError::NotAPeriod)
        );
        assert_eq!(
            parse_key("2021-W53", Period::Week),
            Err(KeyError::NotAPeriod),
            "2021 had 52 weeks"
        );
        assert_eq!(
            parse_key("2025-13", Period::Month),
            Err(KeyError::NotAPeriod)
        );
        assert_eq!(
            parse_key("2025-01", Period::Week),
            Err(KeyError::NotAPeriod)
        );
        assert!(parse_key("2025-01", Period::Month).is_ok());
    }

    #[test]
    fn periods_at_the_ends_of_the_calendar_are_refused_or_cut_not_a_panic() {
        for key in ["9999-W52", "0000-W01", "-001-W01"] {
            let got = parse_key(key, Period::Week);
            assert_ne!(got.map(|_| ()), Ok(()), "{key}");
        }
        assert_eq!(
            parse_key("9999-12", Period::Month),
            Err(KeyError::OutOfRange)
        );
        assert_eq!(
            parse_key("9999-W52", Period::Week),
            Err(KeyError::OutOfRange)
        );
        // The last week of 9998 ends in 9999: still on the calendar.
        assert!(parse_key("9998-W52", Period::Week).is_ok());
        let (key, start, end) = period_of(time::Date::MAX, Period::Week);
        assert_eq!(
            (key.as_str(), start, end),
            ("9999-W52", date(9999, 12, 27), time::Date::MAX)
        );
        assert_eq!(period_of(time::Date::MIN, Period::Week).1, time::Date::MIN);
    }
}
