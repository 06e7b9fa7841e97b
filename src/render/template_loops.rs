//! Loops between templates, found once when the theme is loaded: a template that extends,
//! imports or includes itself (directly or through others) and a macro that calls itself
//! would make Tera recurse until the stack overflows, which aborts the process (and would
//! kill `digest serve`). Each loop is an error naming its chain.
//!
//! Macro recursion is refused outright, even when it would stop: whether a recursion stops
//! depends on the data, so it cannot be proven before rendering.
//!
//! A macro call `ns::name` is resolved the way Tera resolves it from the file it is written
//! in: `self`, that file's imports, what those import, and its parents' imports.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use tera::ast::{Expr, ExprVal, Node};
use tera::Template;

use crate::error::Diagnostic;

/// A template, or a macro of one (file, macro name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Vertex {
    Template(String),
    Macro(String, String),
}

impl Vertex {
    fn file(&self) -> &str {
        match self {
            Vertex::Template(f) | Vertex::Macro(f, _) => f,
        }
    }

    fn shown(&self) -> String {
        match self {
            Vertex::Template(f) => f.clone(),
            Vertex::Macro(f, m) => format!("{f}::{m}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Extends,
    Import,
    Include,
    Call,
}

/// One step from a template or macro to another, and the text of the tag that makes it
/// (to find it in the source).
#[derive(Debug, Clone)]
struct Edge {
    to: Vertex,
    kind: Kind,
    needle: String,
}

type Graph = BTreeMap<Vertex, Vec<Edge>>;

/// Every loop among `templates`, each reported at the tag that starts it. `sources` holds
/// (name, path shown, text) of each template, for positions.
pub fn check(
    templates: &HashMap<String, Template>,
    sources: &[(String, PathBuf, String)],
) -> Vec<Diagnostic> {
    let mut found = report(&links(templates, Kind::Extends), sources);
    found.extend(report(&links(templates, Kind::Import), sources));
    if found.is_empty() {
        // Macro names resolve through imports and parents: only once those have no loop.
        found = report(&calls(templates), sources);
    }
    found
}

/// The graph of `{% extends %}` or of `{% import %}` between templates.
fn links(templates: &HashMap<String, Template>, kind: Kind) -> Graph {
    let mut graph = Graph::new();
    for (name, t) in templates {
        let targets: Vec<&String> = match kind {
            Kind::Extends => t.parent.iter().collect(),
            _ => t.imported_macro_files.iter().map(|(f, _)| f).collect(),
        };
        let edges = targets
            .into_iter()
            .filter(|f| templates.contains_key(*f))
            .map(|f| Edge {
                to: Vertex::Template(f.clone()),
                kind,
                needle: f.clone(),
            })
            .collect();
        graph.insert(Vertex::Template(name.clone()), edges);
    }
    graph
}

/// The graph of includes and macro calls: what rendering each template or macro renders.
fn calls(templates: &HashMap<String, Template>) -> Graph {
    let mut namespaces = Namespaces {
        templates,
        maps: HashMap::new(),
    };
    let mut graph = Graph::new();
    for (name, t) in templates {
        let map = namespaces.of(name);
        let mut edges = Vec::new();
        walk(&t.ast, &map, templates, &mut edges);
        graph.insert(Vertex::Template(name.clone()), edges);
        for (macro_name, definition) in &t.macros {
            let mut edges = Vec::new();
            walk(&definition.body, &map, templates, &mut edges);
            graph.insert(Vertex::Macro(name.clone(), macro_name.clone()), edges);
        }
    }
    graph
}

/// Namespace -> macro file, for each template, as Tera's `MacroCollection` builds it.
struct Namespaces<'a> {
    templates: &'a HashMap<String, Template>,
    maps: HashMap<String, HashMap<String, String>>,
}

impl Namespaces<'_> {
    /// Needs imports and parents without loops (checked before).
    fn of(&mut self, name: &str) -> HashMap<String, String> {
        if let Some(map) = self.maps.get(name) {
            return map.clone();
        }
        let mut map = HashMap::new();
        if let Some(t) = self.templates.get(name) {
            if !t.macros.is_empty() {
                map.insert("self".to_string(), name.to_string());
            }
            for (file, namespace) in &t.imported_macro_files {
                map.insert(namespace.clone(), file.clone());
                for (ns, f) in self.of(file) {
                    map.entry(ns).or_insert(f);
                }
            }
            let mut parent = t.parent.clone();
            while let Some(p) = parent {
                for (ns, f) in self.of(&p) {
                    map.entry(ns).or_insert(f);
                }
                parent = self.templates.get(&p).and_then(|t| t.parent.clone());
            }
        }
        self.maps.insert(name.to_string(), map.clone());
        map
    }
}

/// Collects the includes and macro calls of `nodes` (macro definitions are walked on
/// their own).
fn walk(
    nodes: &[Node],
    namespaces: &HashMap<String, String>,
    templates: &HashMap<String, Template>,
    edges: &mut Vec<Edge>,
) {
    let mut exprs: Vec<&Expr> = Vec::new();
    let mut bodies: Vec<&[Node]> = vec![nodes];
    while let Some(body) = bodies.pop() {
        for node in body {
            match node {
                Node::Include(_, names, _) => {
                    // Tera renders the first of the names that exists.
                    if let Some(name) = names.iter().find(|n| templates.contains_key(*n)) {
                        edges.push(Edge {
                            to: Vertex::Template(name.clone()),
                            kind: Kind::Include,
                            needle: name.clone(),
                        });
                    }
                }
                Node::VariableBlock(_, e) => exprs.push(e),
                Node::Set(_, set) => exprs.push(&set.value),
                Node::FilterSection(_, section, _) => {
                    exprs.extend(section.filter.args.values());
                    bodies.push(&section.body);
                }
                Node::Block(_, block, _) => bodies.push(&block.body),
                Node::Forloop(_, for_loop, _) => {
                    exprs.push(&for_loop.container);
                    bodies.push(&for_loop.body);
                    bodies.extend(for_loop.empty_body.as_deref());
                }
                Node::If(branches, _) => {
                    for (_, condition, body) in &branches.conditions {
                        exprs.push(condition);
                        bodies.push(body);
                    }
                    bodies.extend(branches.otherwise.as_ref().map(|(_, b)| b.as_slice()));
                }
                Node::MacroDefinition(..)
                | Node::Super
                | Node::Text(_)
                | Node::Extends(..)
                | Node::ImportMacro(..)
                | Node::Raw(..)
                | Node::Break(_)
                | Node::Continue(_)
                | Node::Comment(..) => {}
            }
        }
    }
    while let Some(expr) = exprs.pop() {
        exprs.extend(expr.filters.iter().flat_map(|f| f.args.values()));
        match &expr.val {
            ExprVal::MacroCall(call) => {
                exprs.extend(call.args.values());
                let target = namespaces.get(&call.namespace).filter(|file| {
                    templates
                        .get(*file)
                        .is_some_and(|t| t.macros.contains_key(&call.name))
                });
                if let Some(file) = target {
                    edges.push(Edge {
                        to: Vertex::Macro(file.clone(), call.name.clone()),
                        kind: Kind::Call,
                        needle: format!("{}::{}", call.namespace, call.name),
                    });
                }
            }
            ExprVal::FunctionCall(call) => exprs.extend(call.args.values()),
            ExprVal::Math(m) => exprs.extend([&*m.lhs, &*m.rhs]),
            ExprVal::Logic(l) => exprs.extend([&*l.lhs, &*l.rhs]),
            ExprVal::In(i) => exprs.extend([&*i.lhs, &*i.rhs]),
            ExprVal::Test(t) => exprs.extend(&t.args),
            ExprVal::Array(items) => exprs.extend(items),
            ExprVal::String(_)
            | ExprVal::Int(_)
            | ExprVal::Float(_)
            | ExprVal::Bool(_)
            | ExprVal::Ident(_)
            | ExprVal::StringConcat(_) => {}
        }
    }
    // In a fixed order (macro arguments are a hash map), so reports do not vary.
    edges.sort_by(|a, b| a.to.cmp(&b.to));
}

/// Every loop of `graph` (one per edge that closes one, in a depth-first search from each
/// vertex in order), as diagnostics.
fn report(graph: &Graph, sources: &[(String, PathBuf, String)]) -> Vec<Diagnostic> {
    cycles(graph)
        .into_iter()
        .map(|cycle| diagnose(&cycle, sources))
        .collect()
}

/// The loops of `graph`: each as its edges, the first leaving the vertex it returns to.
fn cycles(graph: &Graph) -> Vec<Vec<(Vertex, Edge)>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Open,
        Done,
    }
    let mut state: HashMap<&Vertex, State> = HashMap::new();
    let mut found = Vec::new();
    for start in graph.keys() {
        if state.contains_key(start) {
            continue;
        }
        // The path from `start`: each vertex with the index of its next edge to follow.
        let mut path: Vec<(&Vertex, usize)> = vec![(start, 0)];
        state.insert(start, State::Open);
        while let Some((vertex, next)) = path.last_mut() {
            let edges = graph.get(*vertex).map_or(&[][..], Vec::as_slice);
            let Some(edge) = edges.get(*next) else {
                state.insert(*vertex, State::Done);
                path.pop();
                continue;
            };
            *next += 1;
            match state.get(&edge.to) {
                Some(State::Done) => {}
                Some(State::Open) => {
                    let from = path.iter().position(|(v, _)| **v == edge.to).unwrap_or(0);
                    let cycle = path[from..]
                        .iter()
                        .map(|&(v, next)| {
                            let edges = graph.get(v).map_or(&[][..], Vec::as_slice);
                            (v.clone(), edges[next - 1].clone())
                        })
                        .collect();
                    found.push(cycle);
                }
                None => {
                    let to = graph
                        .get_key_value(&edge.to)
                        .map_or(&edge.to, |(key, _)| key);
                    state.insert(to, State::Open);
                    path.push((to, 0));
                }
            }
        }
    }
    found
}

/// A loop as an error at its first tag: `include loop: a.html -> b.html -> a.html; ...`.
fn diagnose(cycle: &[(Vertex, Edge)], sources: &[(String, PathBuf, String)]) -> Diagnostic {
    let kinds: Vec<Kind> = cycle.iter().map(|(_, e)| e.kind).collect();
    let all = |k: Kind| kinds.iter().all(|&x| x == k);
    let (what, advice) = if all(Kind::Extends) {
        (
            "extends loop",
            "a template cannot extend itself, directly or through others: extend a template \
             outside this chain",
        )
    } else if all(Kind::Import) {
        (
            "import loop",
            "macro files cannot import each other in a circle: move the shared macros into \
             one file",
        )
    } else if all(Kind::Include) {
        (
            "include loop",
            "a template cannot include itself, directly or through others: remove one of \
             these includes",
        )
    } else {
        let what = if all(Kind::Call) {
            "macro recursion"
        } else {
            "include and macro loop"
        };
        (
            what,
            "digest refuses macros that call themselves, directly or through others, as such \
             a call may never stop: write the levels out, or loop over them with {% for %}",
        )
    };
    let chain: Vec<String> = cycle
        .iter()
        .map(|(v, _)| v.shown())
        .chain(cycle.first().map(|(v, _)| v.shown()))
        .collect();
    let message = format!("{what}: {}; {advice}", chain.join(" -> "));
    let (from, edge) = &cycle[0];
    match sources.iter().find(|(n, _, _)| n == from.file()) {
        Some((_, path, text)) => {
            let offset = tag_offset(text, from, edge).unwrap_or(0);
            Diagnostic::at_offset(path, text, offset, 1, message)
        }
        None => Diagnostic::file(&PathBuf::from(from.file()), message),
    }
}

/// Where the tag of `edge` is in `text`: in the macro's own definition when it leaves a
/// macro; at the template name (inside its quotes) or at the `ns::name` of a call.
fn tag_offset(text: &str, from: &Vertex, edge: &Edge) -> Option<usize> {
    let start = match from {
        Vertex::Macro(_, name) => macro_start(text, name).unwrap_or(0),
        Vertex::Template(_) => 0,
    };
    let rest = &text[start..];
    let found = match edge.kind {
        Kind::Call => rest.find(&edge.needle),
        _ => ['"', '\'', '`']
            .iter()
            .filter_map(|q| rest.find(&format!("{q}{}{q}", edge.needle)))
            .min()
            .map(|o| o + 1),
    };
    found.map(|o| o + start)
}

/// The offset of `macro NAME(` in `text`.
fn macro_start(text: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find("macro ") {
        let at = from + at;
        let after = text[at + 6..].trim_start();
        if after
            .strip_prefix(name)
            .is_some_and(|r| r.trim_start().starts_with('('))
        {
            return Some(at);
        }
        from = at + 6;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(files: &[(&str, &str)]) -> Vec<String> {
        let sources: Vec<(String, PathBuf, String)> = files
            .iter()
            .map(|(n, t)| (n.to_string(), PathBuf::from(n), t.to_string()))
            .collect();
        let templates = sources
            .iter()
            .map(|(n, _, t)| (n.clone(), Template::new(n, None, t).unwrap()))
            .collect();
        check(&templates, &sources)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn the_built_in_theme_has_no_loop() {
        let files: Vec<(&str, &str)> = crate::render::templates::BUILTIN.to_vec();
        assert_eq!(problems(&files), Vec::<String>::new());
    }

    #[test]
    fn recursion_is_refused_even_when_it_would_stop() {
        let found = problems(&[(
            "m.html",
            "{% macro down(n) %}{% if n > 0 %}{{ self::down(n=n - 1) }}{% endif %}{% endmacro down %}",
        )]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("m.html:1:37: macro recursion: m.html::down -> m.html::down; ")
        );
    }

    #[test]
    fn calls_through_other_macros_and_nested_tags_are_followed() {
        let found = problems(&[
            ("a.html", "{% import \"b.html\" as b %}{% macro x() %}{% for i in [1] %}{% filter upper %}{{ 1 + b::y() | trim }}{% endfilter %}{% endfor %}{% endmacro x %}"),
            ("b.html", "{% import \"a.html\" as a %}{% macro y() %}{% if true %}{% else %}{{ a::x() }}{% endif %}{% endmacro y %}"),
        ]);
        // a and b import each other: that loop is found first, and is enough.
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("import loop: a.html -> b.html -> a.html"),
            "{found:?}"
        );
        let found = problems(&[
            ("a.html", "{% import \"b.html\" as b %}{% macro x() %}{% for i in [1] %}{% filter upper %}{{ 1 + b::y() | trim }}{% endfilter %}{% endfor %}{% endmacro x %}"),
            ("b.html", "{% macro y() %}{% if true %}{% else %}{% include \"c.html\" %}{% endif %}{% endmacro y %}"),
            ("c.html", "{% import \"a.html\" as a %}{% set v = [a::x()] %}"),
        ]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("include and macro loop: c.html -> a.html::x -> b.html::y -> c.html"),
            "{found:?}"
        );
    }

    #[test]
    fn shared_partials_and_macros_called_many_times_are_no_loop() {
        let found = problems(&[
            ("base.html", "{% import \"m.html\" as m %}{% block body %}{% endblock body %}{% include \"nav.html\" %}{% include \"nav.html\" %}"),
            ("page.html", "{% extends \"base.html\" %}{% block body %}{{ m::card() }}{{ m::card() }}{% include \"nav.html\" %}{% endblock body %}"),
            ("nav.html", "{% import \"m.html\" as m %}{{ m::link() }}"),
            ("m.html", "{% macro link() %}<a>{% endmacro link %}{% macro card() %}{{ self::link() }}{{ self::link() }}{% endmacro card %}"),
        ]);
        assert_eq!(found, Vec::<String>::new());
    }
}
