//! Related articles: those sharing companies (weighted 2) and other terms (tags, models,
//! people: weighted 1), then the
//! nearest in time. Only each shared group's few articles nearest in time are compared, so
//! the work is O(n · groups · window), never every pair.

use super::Site;

/// How many neighbours in time each shared company or tag contributes as candidates.
const WINDOW: usize = 8;
const COMPANY_WEIGHT: u32 = 2;
const TAG_WEIGHT: u32 = 1;

/// Up to `limit` related article indices for article `index`, best first.
pub fn related(site: &Site, index: usize, limit: usize) -> Vec<usize> {
    let mut candidates: Vec<usize> = Vec::new();
    let groups = site.article_companies[index]
        .iter()
        .map(|&c| &site.companies[c].articles)
        .chain(
            site.taxonomies
                .iter()
                .flat_map(|g| g.article_terms[index].iter().map(|&t| &g.terms[t].articles)),
        );
    for members in groups {
        // Members are article indices in ascending order (newest first by date).
        let at = members.partition_point(|&m| m < index);
        let from = at.saturating_sub(WINDOW);
        let to = (at + WINDOW + 1).min(members.len());
        candidates.extend(members[from..to].iter().filter(|&&m| m != index));
    }
    candidates.sort_unstable();
    candidates.dedup();
    let target = site.articles[index].date.timestamp();
    let mut ranked: Vec<(u32, i64, usize)> = candidates
        .into_iter()
        .map(|other| {
            let distance = (site.articles[other].date.timestamp() - target).abs();
            (score(site, index, other), distance, other)
        })
        .collect();
    ranked.sort_by_key(|&(score, distance, other)| (std::cmp::Reverse(score), distance, other));
    ranked
        .into_iter()
        .take(limit)
        .map(|(_, _, other)| other)
        .collect()
}

/// Shared companies count twice, other shared terms once.
fn score(site: &Site, a: usize, b: usize) -> u32 {
    let shared = |x: &[usize], y: &[usize]| x.iter().filter(|i| y.contains(i)).count() as u32;
    COMPANY_WEIGHT * shared(&site.article_companies[a], &site.article_companies[b])
        + TAG_WEIGHT
            * site
                .taxonomies
                .iter()
                .map(|g| shared(&g.article_terms[a], &g.article_terms[b]))
                .sum::<u32>()
}
