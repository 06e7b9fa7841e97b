//! Values a build makes once and many pages show (each article's card, each company's and
//! term's header), lent to the page being rendered instead of copied into it.
//!
//! Tera's contexts own their values, so a shared value used to be deep-copied into each page's
//! context and freed after it: at 10,000 articles cards sit in ~100,000 contexts (related
//! articles, previous and next, home, company and term lists), and those copies were about a
//! sixth of the render phase's CPU (bench/HISTORY.md). Now a value is moved into the context and
//! moved back onto its [`Shelf`] once the page is rendered. Pages render in parallel, so a value
//! may be out on loan when another page wants it: that page makes its own, which is rare, as
//! the threads work on pages far apart in the job list.

use serde_json::Value;
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, PoisonError};
use tera::Context;

/// One slot per value: the value, or nothing while it is lent (or not made yet).
#[derive(Default)]
pub struct Shelf {
    slots: Vec<Mutex<Option<Value>>>,
    /// Whether values given back are kept (else dropped: each page makes its own).
    keeps: bool,
}

impl Shelf {
    /// A shelf holding `values`.
    pub fn new(values: Vec<Value>) -> Self {
        Shelf::holding(values.into_iter().map(Some).collect())
    }

    /// A shelf holding `values`, `None` for one to make on first use.
    pub fn holding(values: Vec<Option<Value>>) -> Self {
        Shelf {
            slots: values.into_iter().map(Mutex::new).collect(),
            keeps: true,
        }
    }

    /// A shelf of `n` values, each made on first use.
    pub fn empty(n: usize) -> Self {
        Shelf::holding(vec![None; n])
    }

    /// A shelf of `n` values that keeps none: each is made for the page that takes it,
    /// and dropped when given back.
    pub fn passing(n: usize) -> Self {
        Shelf {
            keeps: false,
            ..Shelf::empty(n)
        }
    }

    /// This shelf, or for one that keeps nothing an empty one of its size that keeps.
    pub fn kept(self) -> Self {
        if self.keeps {
            self
        } else {
            Shelf::empty(self.len())
        }
    }

    /// Drops value `i`, to be made again on first use.
    pub fn forget(&self, i: usize) {
        *self.slot(i) = None;
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    fn slot(&self, i: usize) -> std::sync::MutexGuard<'_, Option<Value>> {
        // A value is only moved in and out under the lock, so a poisoned slot is still whole.
        self.slots[i].lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes value `i` off the shelf, or `make`s it if it is out or not made yet.
    pub fn take(&self, i: usize, make: impl FnOnce() -> Value) -> Value {
        let taken = self.slot(i).take();
        taken.unwrap_or_else(make)
    }

    /// A copy of value `i`, which stays on the shelf (or a new one, if it is out).
    pub fn copy(&self, i: usize, make: impl FnOnce() -> Value) -> Value {
        let copied = self.slot(i).clone();
        copied.unwrap_or_else(make)
    }

    /// Puts value `i` back. If its slot was filled meanwhile (by a copy made while it was
    /// out), `value` is dropped: both are the same value.
    pub fn give_back(&self, i: usize, value: Value) {
        let mut slot = self.slot(i);
        if self.keeps && slot.is_none() {
            *slot = Some(value);
        }
    }

    /// The values, in order; `None` for one never made (or, after a failure, not given back).
    pub fn into_values(self) -> impl Iterator<Item = Option<Value>> {
        self.slots
            .into_iter()
            .map(|s| s.into_inner().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Which of the renderer's shelves a loan came from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ShelfId {
    Cards,
    CompanyHeads,
    /// The term headers of the taxonomy at this index of `Site::taxonomies`.
    TermHeads(usize),
    /// `site`, one copy per rendering thread (by rayon's thread index).
    Sites,
    /// The timeline's months, by index in `Timeline::months`.
    Months,
    /// `data` (the files of `data/`), one copy per rendering thread.
    Data,
}

/// Something a page's context holds on loan, and where it sits there.
#[derive(Debug, PartialEq)]
pub enum Loan {
    /// Value `i` of a shelf, as it is, at `key`.
    Whole {
        key: &'static str,
        shelf: ShelfId,
        i: usize,
    },
    /// Value `i` of a shelf, an object whose fields are at the top of the context.
    Spread { shelf: ShelfId, i: usize },
    /// Values `ids` of a shelf, as an array at `key`, each with fields `added` for this page
    /// (its `html`, say), which are taken off again when it goes back.
    Decorated {
        key: &'static str,
        shelf: ShelfId,
        ids: Vec<usize>,
        added: &'static [&'static str],
    },
    /// Cards in groups, inside the object at `key`: group `g` is element `g` of its array
    /// `groups`, and its cards are the array `articles` in it, cards `ids[g]`.
    Grouped {
        key: &'static str,
        ids: Vec<Vec<usize>>,
    },
    /// Card `i` at `key` with fields `added` for this page.
    Extended {
        key: &'static str,
        i: usize,
        added: Vec<String>,
    },
}

/// A page's template context, and the loans in it to give back once it is rendered.
/// Dereferences to the [`Context`], so a page kind fills it as it would a context.
pub struct PageContext {
    context: Context,
    /// Each loan, with the keys a [`Loan::Spread`] value's fields were put at.
    loans: Vec<(Loan, Vec<String>)>,
}

impl PageContext {
    pub fn new(context: Context) -> Self {
        PageContext {
            context,
            loans: Vec::new(),
        }
    }

    /// Puts `value`, lent as `loan`, in the context.
    pub fn lend(&mut self, loan: Loan, value: Value) {
        let mut spread = Vec::new();
        match &loan {
            Loan::Whole { key, .. }
            | Loan::Decorated { key, .. }
            | Loan::Grouped { key, .. }
            | Loan::Extended { key, .. } => put(&mut self.context, key, value),
            Loan::Spread { .. } => {
                if let Value::Object(fields) = value {
                    for (key, value) in fields {
                        put(&mut self.context, &key, value);
                        spread.push(key);
                    }
                }
            }
        }
        self.loans.push((loan, spread));
    }

    /// Takes every loan back out of the context: each value with the shelf it goes back to.
    pub fn into_returns(mut self) -> Vec<(ShelfId, usize, Value)> {
        let mut back = Vec::new();
        for (loan, spread) in std::mem::take(&mut self.loans) {
            match loan {
                Loan::Whole { key, shelf, i } => {
                    if let Some(v) = self.context.remove(key) {
                        back.push((shelf, i, v));
                    }
                }
                Loan::Spread { shelf, i } => {
                    let fields = spread
                        .into_iter()
                        .filter_map(|k| self.context.remove(&k).map(|v| (k, v)))
                        .collect();
                    back.push((shelf, i, Value::Object(fields)));
                }
                Loan::Decorated {
                    key,
                    shelf,
                    ids,
                    added,
                } => {
                    if let Some(Value::Array(values)) = self.context.remove(key) {
                        for (i, mut value) in ids.into_iter().zip(values) {
                            strip(&mut value, added);
                            back.push((shelf, i, value));
                        }
                    }
                }
                Loan::Grouped { key, ids } => {
                    let mut value = self.context.remove(key).unwrap_or(Value::Null);
                    let groups = match value.get_mut("groups") {
                        Some(Value::Array(groups)) => std::mem::take(groups),
                        _ => Vec::new(),
                    };
                    for (mut group, ids) in groups.into_iter().zip(ids) {
                        if let Some(Value::Array(cards)) = group.get_mut("articles") {
                            for (i, card) in ids.into_iter().zip(std::mem::take(cards)) {
                                back.push((ShelfId::Cards, i, card));
                            }
                        }
                    }
                }
                Loan::Extended { key, i, added } => {
                    if let Some(mut card) = self.context.remove(key) {
                        strip(&mut card, &added);
                        back.push((ShelfId::Cards, i, card));
                    }
                }
            }
        }
        back
    }
}

fn strip<K: AsRef<str>>(value: &mut Value, keys: &[K]) {
    if let Value::Object(fields) = value {
        for k in keys {
            fields.remove(k.as_ref());
        }
    }
}

impl Deref for PageContext {
    type Target = Context;
    fn deref(&self) -> &Context {
        &self.context
    }
}

impl DerefMut for PageContext {
    fn deref_mut(&mut self) -> &mut Context {
        &mut self.context
    }
}

/// Puts an already serialised `value` in `ctx` as `key`: moved in, where `Context::insert`
/// would serialise it again field by field (a third of an article page's context time went
/// there).
pub fn put(ctx: &mut Context, key: &str, value: Value) {
    let mut one = serde_json::Map::new();
    one.insert(key.to_owned(), value);
    if let Ok(more) = Context::from_value(Value::Object(one)) {
        ctx.extend(more);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_lent_value_goes_back_to_its_shelf_whole() {
        let shelf = Shelf::new(vec![json!({"t": 0}), json!({"t": 1})]);
        let mut page = PageContext::new(Context::new());
        let card = shelf.take(1, || unreachable!("card 1 is on the shelf"));
        page.lend(
            Loan::Extended {
                key: "article",
                i: 1,
                added: vec!["content".into()],
            },
            {
                let mut c = card;
                c["content"] = json!("<p>body</p>");
                c
            },
        );
        assert_eq!(page.get("article").unwrap()["content"], "<p>body</p>");
        // While lent, a copy is made anew.
        assert_eq!(shelf.copy(1, || json!("made")), json!("made"));
        for (id, i, v) in page.into_returns() {
            assert_eq!((id, i), (ShelfId::Cards, 1));
            shelf.give_back(i, v);
        }
        let values: Vec<_> = shelf.into_values().collect();
        assert_eq!(values, vec![Some(json!({"t": 0})), Some(json!({"t": 1}))]);
    }

    #[test]
    fn lists_and_spread_fields_come_back_in_order() {
        let mut page = PageContext::new(Context::new());
        page.lend(
            Loan::Decorated {
                key: "articles",
                shelf: ShelfId::Cards,
                ids: vec![4, 2],
                added: &["html"],
            },
            json!([{"t": 4, "html": "<a>"}, {"t": 2, "html": "<b>"}]),
        );
        page.lend(
            Loan::Spread {
                shelf: ShelfId::CompanyHeads,
                i: 7,
            },
            json!({"company": {"name": "X"}, "profile": null}),
        );
        assert_eq!(page.get("company").unwrap()["name"], "X");
        assert_eq!(page.get("articles").unwrap()[1]["html"], "<b>");
        let back = page.into_returns();
        assert_eq!(
            back,
            vec![
                (ShelfId::Cards, 4, json!({"t": 4})),
                (ShelfId::Cards, 2, json!({"t": 2})),
                (
                    ShelfId::CompanyHeads,
                    7,
                    json!({"company": {"name": "X"}, "profile": null})
                ),
            ]
        );
    }

    #[test]
    fn grouped_cards_come_back_from_inside_their_groups() {
        let mut page = PageContext::new(Context::new());
        let edition = json!({
            "title": "Week 5",
            "groups": [
                {"name": "A", "articles": [{"t": 3}, {"t": 1}]},
                {"name": "B", "articles": [{"t": 8}]},
            ],
        });
        page.lend(
            Loan::Grouped {
                key: "edition",
                ids: vec![vec![3, 1], vec![8]],
            },
            edition,
        );
        assert_eq!(
            page.get("edition").unwrap()["groups"][1]["articles"][0]["t"],
            8
        );
        let back: Vec<_> = page
            .into_returns()
            .into_iter()
            .map(|(_, i, v)| (i, v))
            .collect();
        assert_eq!(
            back,
            vec![
                (3, json!({"t": 3})),
                (1, json!({"t": 1})),
                (8, json!({"t": 8}))
            ]
        );
    }

    #[test]
    fn a_list_comes_back_to_its_shelf_and_a_passing_shelf_keeps_nothing() {
        for shelf in [Shelf::empty(3), Shelf::passing(3)] {
            let mut page = PageContext::new(Context::new());
            let values = [2, 0].map(|i| shelf.take(i, || json!(i))).to_vec();
            page.lend(
                Loan::Decorated {
                    key: "months",
                    shelf: ShelfId::Months,
                    ids: vec![2, 0],
                    added: &[],
                },
                Value::Array(values),
            );
            assert_eq!(page.get("months").unwrap()[0], 2);
            for (id, i, v) in page.into_returns() {
                assert_eq!(id, ShelfId::Months);
                shelf.give_back(i, v);
            }
            let kept = if shelf.keeps {
                vec![Some(json!(0)), None, Some(json!(2))]
            } else {
                vec![None, None, None]
            };
            assert_eq!(shelf.into_values().collect::<Vec<_>>(), kept);
        }
    }

    #[test]
    fn a_forgotten_value_is_made_again_and_a_passing_shelf_becomes_one_that_keeps() {
        let shelf = Shelf::new(vec![json!(0), json!(1)]);
        shelf.forget(0);
        assert_eq!(shelf.take(0, || json!("made")), json!("made"));
        assert_eq!(
            shelf.take(1, || unreachable!("1 is on the shelf")),
            json!(1)
        );
        let kept = Shelf::passing(2).kept();
        kept.give_back(1, json!(5));
        assert_eq!(
            kept.into_values().collect::<Vec<_>>(),
            vec![None, Some(json!(5))]
        );
    }

    #[test]
    fn a_value_given_back_twice_is_kept_once() {
        let shelf = Shelf::empty(1);
        let made = shelf.take(0, || json!(1));
        shelf.give_back(0, json!(2));
        shelf.give_back(0, made);
        assert_eq!(
            shelf.into_values().collect::<Vec<_>>(),
            vec![Some(json!(2))]
        );
    }
}
