//! Which earlier names may be within two edits of a name, without comparing every pair: a
//! name is cut into three parts, and two names within two edits share one part unchanged
//! (two edits touch at most two parts), at most two characters from where it was. So each
//! name is filed under its three parts, and a name looks up its own text at those places.
//! `digest check` used to compare every pair: 20,000 distinct tags took 43 s.

use std::collections::HashMap;

/// The most edits apart two names may be to be compared.
const EDITS: usize = 2;
const PARTS: usize = EDITS + 1;

#[derive(Default)]
pub struct NearIndex {
    /// (length in characters, part number, the part) -> ids of the names filed there.
    parts: HashMap<(usize, usize, String), Vec<usize>>,
    /// Names too short to cut in three parts: compared with every name.
    short: Vec<usize>,
}

/// Where part `p` of a name of `len` characters starts and ends.
fn part(len: usize, p: usize) -> (usize, usize) {
    (len * p / PARTS, len * (p + 1) / PARTS)
}

impl NearIndex {
    pub fn insert(&mut self, name: &str, id: usize) {
        let chars: Vec<char> = name.chars().collect();
        if chars.len() < PARTS {
            self.short.push(id);
            return;
        }
        for p in 0..PARTS {
            let (start, end) = part(chars.len(), p);
            let text: String = chars[start..end].iter().collect();
            self.parts
                .entry((chars.len(), p, text))
                .or_default()
                .push(id);
        }
    }

    /// The ids of names inserted so far that may be within two edits of `name`, and maybe
    /// some others; ascending, each once.
    pub fn candidates(&self, name: &str) -> Vec<usize> {
        let chars: Vec<char> = name.chars().collect();
        let mut found = self.short.clone();
        let lengths = chars.len().saturating_sub(EDITS).max(PARTS)..=chars.len() + EDITS;
        for len in lengths {
            for p in 0..PARTS {
                let (start, end) = part(len, p);
                for shifted in start.saturating_sub(EDITS)..=start + EDITS {
                    let Some(text) = chars.get(shifted..shifted + (end - start)) else {
                        continue;
                    };
                    let key = (len, p, text.iter().collect::<String>());
                    if let Some(ids) = self.parts.get(&key) {
                        found.extend(ids);
                    }
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::NearIndex;
    use crate::content::front_matter::edit_distance;

    #[test]
    fn finds_every_name_within_two_edits() {
        let names = [
            "anthropic",
            "anthropics",
            "antropic",
            "anthropi",
            "xanthropicx",
            "nthropc",
            "openai",
            "openal",
            "opnai",
            "deepseek",
            "deepsek",
            "ab",
            "abc",
            "mistral",
            "mistralai",
            "zhipuai",
            "zhipu",
            "é本é本é",
            "é本本é",
        ];
        offers_every_pair_within_two_edits(&names);
    }

    /// Inserting `names` in order, each is offered every earlier name within two edits.
    fn offers_every_pair_within_two_edits<S: AsRef<str>>(names: &[S]) {
        let mut index = NearIndex::default();
        for (i, name) in names.iter().map(AsRef::as_ref).enumerate() {
            let candidates = index.candidates(name);
            for (j, other) in names[..i].iter().map(AsRef::as_ref).enumerate() {
                if edit_distance(name, other) <= 2 {
                    assert!(candidates.contains(&j), "{name} / {other}");
                }
            }
            index.insert(name, i);
        }
    }

    #[test]
    fn agrees_with_comparing_every_pair_on_many_close_names() {
        // Names of 1 to 9 characters over three letters: many pairs within two edits.
        let mut seed: u32 = 18;
        let mut next = |n: u32| {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 16) % n
        };
        let names: Vec<String> = (0..300)
            .map(|_| {
                let len = 1 + next(9);
                (0..len)
                    .map(|_| ['a', 'b', '本'][next(3) as usize])
                    .collect()
            })
            .collect();
        offers_every_pair_within_two_edits(&names);
    }

    #[test]
    fn does_not_offer_unrelated_names() {
        let mut index = NearIndex::default();
        index.insert("anthropic", 0);
        index.insert("deepseek", 1);
        assert_eq!(index.candidates("anthropik"), [0]);
        assert!(index.candidates("mistralai").is_empty());
    }
}
