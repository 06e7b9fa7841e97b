//! The timeline: articles and their dated events grouped by year and month, newest first.
//! One sort of all entries, O(n log n); pages then take months or years from it.

use crate::date::PostDate;

use super::Site;

/// One line on a timeline: an article, or one event of an article.
/// Ordered articles first, then by article index, then by event index: how entries of one
/// date are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Entry {
    Article(usize),
    /// (article index, event index)
    Event(usize, usize),
}

impl Entry {
    pub fn date<'a>(&self, site: &'a Site) -> &'a PostDate {
        match *self {
            Entry::Article(a) => &site.articles[a].date,
            Entry::Event(a, e) => &site.articles[a].events[e].date,
        }
    }

    pub fn article(&self) -> usize {
        match *self {
            Entry::Article(a) | Entry::Event(a, _) => a,
        }
    }
}

/// The entries of one calendar month, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    pub year: i32,
    pub month: u8,
    pub entries: Vec<Entry>,
}

/// Groups entries by month, newest month and newest entry first. Entries of one date are
/// articles before events, then in article order (never in the order given).
pub fn by_month(site: &Site, entries: impl IntoIterator<Item = Entry>) -> Vec<Month> {
    let mut entries: Vec<Entry> = entries.into_iter().collect();
    entries.sort_unstable_by(|a, b| b.date(site).cmp(a.date(site)).then_with(|| a.cmp(b)));
    let mut months: Vec<Month> = Vec::new();
    for entry in entries {
        let d = entry.date(site);
        match months.last_mut() {
            Some(m) if m.year == d.year() && m.month == d.month() => m.entries.push(entry),
            _ => months.push(Month {
                year: d.year(),
                month: d.month(),
                entries: vec![entry],
            }),
        }
    }
    months
}

/// Every article and every event of the site.
pub fn all_entries(site: &Site) -> impl Iterator<Item = Entry> + '_ {
    site.articles.iter().enumerate().flat_map(|(a, article)| {
        std::iter::once(Entry::Article(a))
            .chain((0..article.events.len()).map(move |e| Entry::Event(a, e)))
    })
}

/// The site timeline: every month, and the list of years with their entry counts.
#[derive(Debug, Default)]
pub struct Timeline {
    pub months: Vec<Month>,
    /// (year, number of entries), newest first.
    pub years: Vec<(i32, usize)>,
}

impl Timeline {
    pub fn build(site: &Site) -> Timeline {
        let months = by_month(site, all_entries(site));
        let mut years: Vec<(i32, usize)> = Vec::new();
        for m in &months {
            match years.last_mut() {
                Some((y, n)) if *y == m.year => *n += m.entries.len(),
                _ => years.push((m.year, m.entries.len())),
            }
        }
        Timeline { months, years }
    }

    /// Where the months of one year are in [`Timeline::months`] (newest first).
    pub fn year_months(&self, year: i32) -> std::ops::Range<usize> {
        let start = self.months.partition_point(|m| m.year > year);
        let end = self.months.partition_point(|m| m.year >= year);
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two articles and three events on one day, and an article the day before.
    fn site() -> Site {
        super::super::test_site(&[
            ("b.md", "title = \"B\"\ndate = 2025-01-10\n[[events]]\ndate = 2025-01-10\ntitle = \"E\""),
            ("a.md", "title = \"A\"\ndate = 2025-01-10\n[[events]]\ndate = 2025-01-10\ntitle = \"Y\"\n[[events]]\ndate = 2025-01-10\ntitle = \"X\""),
            ("c.md", "title = \"C\"\ndate = 2025-01-09"),
        ])
    }

    #[test]
    fn entries_of_one_date_are_in_one_order_whatever_the_order_given() {
        let site = site();
        assert_eq!(site.articles[0].title, "A");
        let expected = vec![
            Entry::Article(0),
            Entry::Article(1),
            Entry::Event(0, 0),
            Entry::Event(0, 1),
            Entry::Event(1, 0),
            Entry::Article(2),
        ];
        let entries: Vec<Entry> = all_entries(&site).collect();
        let shown = |entries: Vec<Entry>| -> Vec<Entry> {
            by_month(&site, entries)
                .into_iter()
                .flat_map(|m| m.entries)
                .collect()
        };
        assert_eq!(shown(entries.clone()), expected);
        assert_eq!(shown(entries.into_iter().rev().collect()), expected);
        // An article's events of one date are in title order.
        assert_eq!(site.articles[0].events[0].title, "X");
    }

    #[test]
    fn a_terms_latest_events_are_in_one_order_whatever_the_order_kept() {
        let site = site();
        let mut term = crate::site::Term {
            slug: "x".into(),
            name: "X".into(),
            articles: Vec::new(),
            events: vec![(1, 0), (0, 1), (0, 0)],
            profile: None,
        };
        assert_eq!(term.latest_events(&site, 2), vec![(0, 0), (0, 1)]);
        term.events.reverse();
        assert_eq!(term.latest_events(&site, 2), vec![(0, 0), (0, 1)]);
        assert_eq!(term.latest_events(&site, 9), vec![(0, 0), (0, 1), (1, 0)]);
    }
}
