//! Activity charts: articles and events per month as inline SVG, made at build time. No
//! JavaScript, colours from the page's CSS (so light and dark both work), and a text
//! alternative saying what the chart shows.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::date::month_name;
use crate::html::escape;

/// Articles and events in one month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonthCount {
    pub articles: usize,
    pub events: usize,
}

/// Counts keyed by (year, month).
pub type Activity = BTreeMap<(i32, u8), MonthCount>;

/// Chart sizes: a full chart with year labels, or a small sparkline for lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartSize {
    Full,
    Spark,
}

const BAR: usize = 12;
const GAP: usize = 2;

/// The chart of `activity` for `name`, covering at least the last 12 months of the range.
pub fn activity_chart(name: &str, id: &str, activity: &Activity, size: ChartSize) -> String {
    let (Some((&first, _)), Some((&last, _))) =
        (activity.first_key_value(), activity.last_key_value())
    else {
        return String::new();
    };
    let months = month_range(first, last);
    let max = activity
        .values()
        .map(|c| c.articles + c.events)
        .max()
        .unwrap_or(1)
        .max(1);
    let (plot_h, label_h) = match size {
        ChartSize::Full => (80, 16),
        ChartSize::Spark => (24, 0),
    };
    let width = months.len() * BAR;
    let height = plot_h + label_h;
    let description = describe(name, activity);
    let mut svg = String::with_capacity(months.len() * 160);
    let _ = write!(
        svg,
        "<svg class=\"chart chart-{}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title\" preserveAspectRatio=\"xMinYMax meet\"><title id=\"{id}-title\">{}</title>",
        if size == ChartSize::Full { "full" } else { "spark" },
        escape(&description)
    );
    svg.push_str("<g aria-hidden=\"true\">");
    for (i, &(year, month)) in months.iter().enumerate() {
        let x = i * BAR;
        let count = activity.get(&(year, month)).copied().unwrap_or_default();
        let scale = |n: usize| (n * plot_h).div_ceil(max);
        // Scale the stack as a whole, so rounding never lifts it above the plot.
        let total = scale(count.articles + count.events);
        let a = scale(count.articles).min(total);
        let e = total - a;
        if a > 0 {
            let _ = write!(
                svg,
                "<rect class=\"chart-articles\" x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{a}\"/>",
                plot_h - a,
                BAR - GAP
            );
        }
        if e > 0 {
            let _ = write!(
                svg,
                "<rect class=\"chart-events\" x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{e}\"/>",
                plot_h - a - e,
                BAR - GAP
            );
        }
        if size == ChartSize::Full && (month == 1 || i == 0) {
            let _ = write!(
                svg,
                "<text class=\"chart-label\" x=\"{x}\" y=\"{}\">{year}</text>",
                height - 3
            );
        }
    }
    svg.push_str("<line class=\"chart-axis\" x1=\"0\" x2=\"");
    let _ = write!(
        svg,
        "{width}\" y1=\"{plot_h}.5\" y2=\"{plot_h}.5\"/></g></svg>"
    );
    svg
}

/// Every month from `first` to `last`, padded to at least a year.
fn month_range(first: (i32, u8), last: (i32, u8)) -> Vec<(i32, u8)> {
    let index = |(y, m): (i32, u8)| y * 12 + i32::from(m) - 1;
    let end = index(last);
    let start = index(first).min(end - 11);
    (start..=end)
        .map(|i| (i.div_euclid(12), (i.rem_euclid(12) + 1) as u8))
        .collect()
}

/// The text alternative: totals, the span, and the busiest month.
fn describe(name: &str, activity: &Activity) -> String {
    let articles: usize = activity.values().map(|c| c.articles).sum();
    let events: usize = activity.values().map(|c| c.events).sum();
    let label = |&(y, m): &(i32, u8)| format!("{} {y}", month_name(m));
    let first = activity.keys().next().map(label).unwrap_or_default();
    let last = activity.keys().next_back().map(label).unwrap_or_default();
    let busiest = activity
        .iter()
        .max_by_key(|(k, c)| (c.articles + c.events, std::cmp::Reverse(**k)))
        .map(|(k, c)| format!("; busiest month {} ({})", label(k), c.articles + c.events))
        .unwrap_or_default();
    format!(
        "{name}: {articles} article{} and {events} event{} per month, {first} to {last}{busiest}",
        if articles == 1 { "" } else { "s" },
        if events == 1 { "" } else { "s" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity() -> Activity {
        let mut a = Activity::new();
        a.insert(
            (2024, 11),
            MonthCount {
                articles: 1,
                events: 0,
            },
        );
        a.insert(
            (2025, 1),
            MonthCount {
                articles: 3,
                events: 2,
            },
        );
        a
    }

    #[test]
    fn chart_has_bars_labels_and_text_alternative() {
        let svg = activity_chart("DeepSeek", "c1", &activity(), ChartSize::Full);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains(">DeepSeek: 4 articles and 2 events per month, November 2024 to January 2025; busiest month January 2025 (5)</title>"), "{svg}");
        assert_eq!(svg.matches("chart-articles").count(), 2);
        assert_eq!(svg.matches("chart-events").count(), 1);
        assert!(svg.contains(">2025</text>"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn range_is_padded_to_a_year_across_new_year() {
        let r = month_range((2024, 11), (2025, 1));
        assert_eq!(r.len(), 12);
        assert_eq!(r.first(), Some(&(2024, 2)));
        assert_eq!(r.last(), Some(&(2025, 1)));
    }

    #[test]
    fn empty_activity_draws_nothing() {
        assert_eq!(
            activity_chart("X", "x", &Activity::new(), ChartSize::Spark),
            ""
        );
    }
}
