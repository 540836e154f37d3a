//! Free pages (`content/pages/`), the search page and the page for missing paths.

use super::dirty::{Changes, Dirty, overview};
use super::{Job, Kind, lazy, pusher};
use crate::config::Config;
use crate::content::Site;
use crate::index::Index;
use crate::render::context::*;
use crate::render::*;
use crate::routes;

/// A free page (`content/pages/<id>.md`).
pub(super) struct Page;

impl Kind for Page {
    fn template(&self) -> &'static str {
        "page.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, bodies: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let site = sh.site;
        let mut push = pusher(out);
        for (p, page) in site.pages.iter().enumerate() {
            push(
                self.template(),
                routes::page(&page.id),
                page.title.clone(),
                page.description.clone(),
                lazy(move || FreePage {
                    title: page.title.clone(),
                    description: page.description.clone(),
                    body: bodies.pages[p].html.clone(),
                    toc: headings(&bodies.pages[p]),
                }),
            );
        }
    }

    fn listed(&self, site: &Site, _: &Index, _: &Config, out: &mut Vec<String>) {
        out.extend(site.pages.iter().map(|p| routes::page(&p.id)));
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        for p in &c.pages {
            d.add(routes::page(p));
        }
    }
}

/// The search page (its index is written by `render::search`).
pub(super) struct Search;

impl Kind for Search {
    fn template(&self) -> &'static str {
        "search.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, _: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let mut push = pusher(out);
        push(
            self.template(),
            routes::SEARCH.into(),
            sh.words.text("section.search", &[]),
            None,
            Box::new(|| Ok(Context::new())),
        );
    }

    fn listed(&self, _: &Site, _: &Index, _: &Config, out: &mut Vec<String>) {
        out.push(routes::SEARCH.into());
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        overview(c, d, routes::SEARCH);
    }
}

/// The page served for a missing path (it links from the site root, wherever it is served).
pub(super) struct NotFound;

impl Kind for NotFound {
    fn template(&self) -> &'static str {
        "404.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, _: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let mut push = pusher(out);
        push(
            self.template(),
            routes::NOT_FOUND.into(),
            sh.words.text("page.not_found", &[]),
            None,
            Box::new(|| Ok(Context::new())),
        );
    }

    fn listed(&self, _: &Site, _: &Index, _: &Config, _: &mut Vec<String>) {
        // The page for missing paths is no page to find.
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        overview(c, d, routes::NOT_FOUND);
    }
}
