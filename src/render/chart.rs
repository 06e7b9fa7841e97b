//! Activity charts: articles and events per month as inline SVG, made at build time. No
//! JavaScript, colours from the page's CSS (so light and dark both work), and a text
//! alternative saying what the chart shows.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::date::month_name;
use crate::html::escape;

/// Articles and events in one month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
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

/// Drawing width in SVG units; bars share it, so long ranges get thinner bars.
fn chart_width(size: ChartSize) -> f64 {
    match size {
        ChartSize::Full => 720.0,
        ChartSize::Spark => 240.0,
    }
}

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
        ChartSize::Full => (120, 16),
        ChartSize::Spark => (28, 0),
    };
    let width = chart_width(size);
    let step = width / months.len() as f64;
    let bar = (step * 0.8).max(0.5);
    let height = plot_h + label_h;
    let mut svg = String::with_capacity(months.len() * 160);
    let _ = write!(
        svg,
        "<svg class=\"chart chart-{}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title\"><title id=\"{id}-title\">{}</title><g aria-hidden=\"true\">",
        if size == ChartSize::Full { "full" } else { "spark" },
        escape(&describe(name, activity))
    );
    let scale = |n: usize| (n * plot_h).div_ceil(max);
    let mut last_label = f64::NEG_INFINITY;
    for (i, &(year, month)) in months.iter().enumerate() {
        let x = i as f64 * step;
        let count = activity.get(&(year, month)).copied().unwrap_or_default();
        // Scale the stack as a whole, so rounding never lifts it above the plot.
        let total = scale(count.articles + count.events);
        let a = scale(count.articles).min(total);
        let e = total - a;
        if a > 0 {
            let _ = write!(svg, "<rect class=\"chart-articles\" x=\"{x:.1}\" y=\"{}\" width=\"{bar:.1}\" height=\"{a}\"/>", plot_h - a);
        }
        if e > 0 {
            let _ = write!(svg, "<rect class=\"chart-events\" x=\"{x:.1}\" y=\"{}\" width=\"{bar:.1}\" height=\"{e}\"/>", plot_h - total);
        }
        // Year labels at each January (and the start), if there is room for them.
        if size == ChartSize::Full
            && (month == 1 || i == 0)
            && x - last_label >= 36.0
            && x <= width - 28.0
        {
            let _ = write!(
                svg,
                "<text class=\"chart-label\" x=\"{x:.1}\" y=\"{}\">{year}</text>",
                height - 3
            );
            last_label = x;
        }
    }
    let _ = write!(svg, "<line class=\"chart-axis\" x1=\"0\" x2=\"{width}\" y1=\"{plot_h}.5\" y2=\"{plot_h}.5\"/></g></svg>");
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
        assert!(svg.contains(">2024</text>"), "{svg}");
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
