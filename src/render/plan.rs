//! The plan: every page the site publishes, as a list of jobs naming a URL path and what
//! to render there. Pagination keeps each list page bounded by `paginate_by`.

use crate::site::Site;

/// What one output page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    /// Page `page` (from 1) of the latest articles.
    Home {
        page: usize,
    },
    Article(usize),
    Page(usize),
    Companies,
    Company {
        id: usize,
        page: usize,
    },
    Tags,
    Tag {
        id: usize,
        page: usize,
    },
    NotFound,
    /// A non-HTML theme file rendered as is (the stylesheet).
    Asset(String),
}

/// One page to render: its path below the site root (`2025/01/x/`, `404.html`) and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageJob {
    pub path: String,
    pub kind: PageKind,
}

impl PageJob {
    /// The output file: `index.html` inside a directory path, else the path itself.
    pub fn file(&self) -> String {
        if self.path.is_empty() || self.path.ends_with('/') {
            format!("{}index.html", self.path)
        } else {
            self.path.clone()
        }
    }
}

/// Number of pages `items` fill at `per_page` each; an empty list still has one page.
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// The path of page `page` of a list whose first page is at `base` (`companies/x/`).
pub fn pager_path(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// Every page of the site, in a stable order.
pub fn plan(site: &Site, per_page: usize, assets: &[String]) -> Vec<PageJob> {
    let mut jobs = Vec::with_capacity(site.articles.len() * 2 + 16);
    let paged =
        |jobs: &mut Vec<PageJob>, base: &str, items: usize, kind: &dyn Fn(usize) -> PageKind| {
            for page in 1..=page_count(items, per_page) {
                jobs.push(PageJob {
                    path: pager_path(base, page),
                    kind: kind(page),
                });
            }
        };
    paged(&mut jobs, "", site.articles.len(), &|page| PageKind::Home {
        page,
    });
    for i in 0..site.articles.len() {
        jobs.push(PageJob {
            path: site.articles[i].path_in_site(),
            kind: PageKind::Article(i),
        });
    }
    for (i, p) in site.pages.iter().enumerate() {
        jobs.push(PageJob {
            path: p.path_in_site(),
            kind: PageKind::Page(i),
        });
    }
    jobs.push(PageJob {
        path: "companies/".into(),
        kind: PageKind::Companies,
    });
    for (id, c) in site.companies.iter().enumerate() {
        paged(
            &mut jobs,
            &format!("companies/{}/", c.slug),
            c.articles.len(),
            &|page| PageKind::Company { id, page },
        );
    }
    jobs.push(PageJob {
        path: "tags/".into(),
        kind: PageKind::Tags,
    });
    for (id, t) in site.tags.iter().enumerate() {
        paged(
            &mut jobs,
            &format!("tags/{}/", t.slug),
            t.articles.len(),
            &|page| PageKind::Tag { id, page },
        );
    }
    jobs.push(PageJob {
        path: "404.html".into(),
        kind: PageKind::NotFound,
    });
    for name in assets {
        jobs.push(PageJob {
            path: name.clone(),
            kind: PageKind::Asset(name.clone()),
        });
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_boundaries() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(1, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        assert_eq!(pager_path("tags/x/", 1), "tags/x/");
        assert_eq!(pager_path("", 3), "page/3/");
    }

    #[test]
    fn job_files() {
        let job = |p: &str| {
            PageJob {
                path: p.into(),
                kind: PageKind::NotFound,
            }
            .file()
        };
        assert_eq!(job(""), "index.html");
        assert_eq!(job("2025/01/x/"), "2025/01/x/index.html");
        assert_eq!(job("404.html"), "404.html");
    }
}
