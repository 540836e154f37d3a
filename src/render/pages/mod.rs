//! The page table: every kind of page the site has, each a small type that owns its route
//! (spelled by `crate::routes`), its template, its context builder and the paths the
//! sitemap lists.
//!
//! Takes the shared per-build data of `render` (`Shared`, `Bodies`) and returns jobs —
//! pages with a lazily built context — and page paths; renders and writes nothing itself
//! (`render::render` does). A new kind of page is one new type here and one line in
//! [`TABLE`]; `render`, the theme's required templates and the sitemap follow from it.

pub mod dirty;

mod briefings;
mod chronology;
mod countries;
mod groups;
mod home;
mod incidents;
mod other;
mod tags;

use serde::Serialize;
use tera::Context;

use super::{Bodies, Shared, ctx};
use crate::config::Config;
use crate::content::Site;
use crate::diagnostic::Diagnostic;
use crate::index::Index;

/// A page to render: template, output path (a directory path ending in `/`, or a file),
/// title for `<title>`, description, and how to build its context. Contexts are built only
/// when the page is rendered, so memory holds the contexts of the pages in flight, not of
/// the whole site (at 100,000 incidents that is the difference between gigabytes and
/// megabytes).
pub(super) struct Job<'a> {
    pub(super) template: &'static str,
    pub(super) path: String,
    pub(super) title: String,
    pub(super) description: Option<String>,
    pub(super) context: Lazy<'a>,
}

/// Builds a page's template context on demand.
pub(super) type Lazy<'a> = Box<dyn Fn() -> Result<Context, Vec<Diagnostic>> + Send + Sync + 'a>;

/// Defers building `page` until the page is rendered.
fn lazy<'a, T: Serialize>(page: impl Fn() -> T + Send + Sync + 'a) -> Lazy<'a> {
    Box::new(move || ctx(&page()).map_err(|d| vec![d]))
}

/// Appends pages to `out`: template, path, title, description, context.
fn pusher<'a>(
    out: &mut Vec<Job<'a>>,
) -> impl FnMut(&'static str, String, String, Option<String>, Lazy<'a>) {
    |template, path, title, description, context| {
        out.push(Job {
            template,
            path,
            title,
            description,
            context,
        });
    }
}

/// One kind of page (incident, group, tag…): its template, its pages and their contexts.
pub(super) trait Kind: Sync {
    /// The template rendering every page of this kind.
    fn template(&self) -> &'static str;

    /// Every page of this kind in site order, each with how to build its context.
    fn jobs<'a>(&self, sh: &'a Shared<'a>, bodies: &'a Bodies<'a>, out: &mut Vec<Job<'a>>);

    /// Paths of the pages of this kind a sitemap lists: published ones (drafts left out,
    /// as they are from feeds) in the order of [`Kind::jobs`].
    fn listed(&self, site: &Site, index: &Index, config: &Config, out: &mut Vec<String>);

    /// Adds the pages of this kind whose dependencies meet `changes`: the records (and
    /// their neighbours, counts and links) its pages show (serve's partial rebuild).
    fn dirty(&self, changes: &dirty::Changes<'_>, d: &mut dirty::Dirty);
}

/// Every kind of page, in the order the site lists them (the sitemap's order; the 404 page,
/// which it leaves out, keeps its place among the templates a theme must have). A country's
/// monthly digests come with their country (`countries::Country`), so that each country's
/// pages stay together.
pub(super) const TABLE: &[&dyn Kind] = &[
    &home::Home,
    &incidents::Incidents,
    &incidents::Incident,
    &groups::Groups,
    &groups::Group,
    &chronology::Chronology,
    &chronology::Year,
    &countries::Countries,
    &countries::Country,
    &briefings::Briefings,
    &briefings::Briefing,
    &tags::Tags,
    &tags::Tag,
    &other::Page,
    &other::NotFound,
    &other::Search,
];

/// Every page of the site, in table order.
pub(super) fn jobs<'a>(sh: &'a Shared<'a>, bodies: &'a Bodies<'a>) -> Vec<Job<'a>> {
    let mut out = Vec::new();
    for kind in TABLE {
        kind.jobs(sh, bodies, &mut out);
    }
    out
}

/// Paths (relative to the site root, `""` for the home page) of every HTML page the build
/// renders except the 404 page and draft records, in the order of [`jobs`].
pub(super) fn listed(site: &Site, index: &Index, config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    for kind in TABLE {
        kind.listed(site, index, config, &mut out);
    }
    out
}

/// Every template the table renders with, in table order (a theme must provide each).
pub(super) fn templates() -> Vec<&'static str> {
    let mut v: Vec<&str> = TABLE.iter().map(|k| k.template()).collect();
    let country = v.iter().position(|t| *t == countries::Country.template());
    v.insert(
        country.map_or(v.len(), |i| i + 1),
        countries::CountryMonth::TEMPLATE,
    );
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_page_kind_has_its_own_template() {
        let t = super::templates();
        let mut unique = t.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), t.len(), "{t:?}");
        // The 17 kinds of issue 16, the country month beside its country.
        assert_eq!(t.len(), 17);
        let at = |name| t.iter().position(|x| *x == name);
        assert_eq!(at("country_month.html"), at("country.html").map(|i| i + 1));
        assert_eq!(t.first(), Some(&"index.html"));
    }
}
