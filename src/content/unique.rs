//! Unique ids from base names (`market-reaction`, `market-reaction-2`...), for heading ids
//! and event anchors, in time linear in the number of ids: each base remembers the last
//! number it gave, so a thousand headings of one title do not count from 2 a thousand times.

use std::collections::{HashMap, HashSet};

#[derive(Default)]
pub struct UniqueIds {
    taken: HashSet<String>,
    /// Per base: the last number tried after it.
    last: HashMap<String, usize>,
}

impl UniqueIds {
    /// `base` if it is free, else `base-2`, `base-3`... the first free one.
    pub fn unique(&mut self, base: String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        let n = self.last.entry(base.clone()).or_insert(1);
        loop {
            *n += 1;
            let id = format!("{base}-{n}");
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UniqueIds;

    #[test]
    fn numbers_repeats_and_skips_ids_already_taken() {
        let mut ids = UniqueIds::default();
        let got: Vec<String> = ["a", "a-2", "a", "a", "b", "a"]
            .into_iter()
            .map(|b| ids.unique(b.to_string()))
            .collect();
        assert_eq!(got, ["a", "a-2", "a-3", "a-4", "b", "a-5"]);
    }
}
