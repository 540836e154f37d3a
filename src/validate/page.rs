//! Free pages (`content/pages/<id>.md`) and the home page's introduction: a title, and an id
//! that does not take a URL the site itself uses.
//!
//! Takes the raw pages and returns the validated ones sorted by id; pushes every problem as
//! a diagnostic.

use super::ctx::{Ctx, origin};
use crate::content::Page;
use crate::content::raw::RawPage;
use crate::diagnostic::{Diagnostic, Location};
use crate::load::Record;

/// Top-level URL segments that pages may not take (the site's own, from `routes`).
pub const RESERVED_PAGE_IDS: &[&str] = crate::routes::RESERVED;

/// Validates every free page.
pub(super) fn pages(cx: &mut Ctx<'_>, raw: Vec<Record<RawPage>>, drafts: bool) -> Vec<Page> {
    let mut pages = Vec::new();
    for rec in raw {
        let Record { raw, body, loc } = rec;
        let RawPage {
            title,
            description,
            draft,
        } = raw;
        let loc = &loc;
        if draft && !drafts {
            continue;
        }
        let stem = cx.stem(loc).to_string();
        let id = cx.id(loc, None, &stem, "page");
        if RESERVED_PAGE_IDS.contains(&id.as_str()) {
            let rel = cx.rel(loc).to_string();
            cx.err(
                Diagnostic::error("reserved-id", format!("a page cannot be called `{id}`"))
                    .at(Location::file(&rel), "")
                    .help(format!(
                        "`/{id}/` belongs to the site itself; rename the file"
                    )),
            );
        }
        let title = cx.required(loc, title.as_ref(), "title", "page");
        pages.push(Page {
            id,
            title,
            description,
            body,
            origin: origin(loc),
        });
    }
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    pages
}

/// The home page's introduction (`content/_index.md`): nothing is required of it.
pub(super) fn home(raw: Option<Record<RawPage>>) -> Option<Page> {
    raw.map(|rec| Page {
        id: String::new(),
        title: rec.raw.title.unwrap_or_default(),
        description: rec.raw.description,
        body: rec.body,
        origin: origin(&rec.loc),
    })
}
