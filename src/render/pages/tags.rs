//! The list of tags and each tag's page.

use super::dirty::{Changes, Dirty, overview};
use super::{Job, Kind, lazy, pusher};
use crate::config::Config;
use crate::content::Site;
use crate::ids::slug;
use crate::index::Index;
use crate::render::context::*;
use crate::render::*;
use crate::routes;

/// The list of tags with their counts.
pub(super) struct Tags;

impl Kind for Tags {
    fn template(&self) -> &'static str {
        "tags.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, _: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let index = sh.index;
        let mut push = pusher(out);
        push(
            self.template(),
            routes::TAGS.into(),
            "Tags".into(),
            None,
            lazy(move || TagsPage {
                tags: index
                    .by_tag
                    .iter()
                    .map(|(s, t)| TagRef {
                        name: t.name.clone(),
                        path: routes::tag(s),
                        count: t.count(),
                    })
                    .collect(),
            }),
        );
    }

    fn listed(&self, _: &Site, _: &Index, _: &Config, out: &mut Vec<String>) {
        out.push(routes::TAGS.into());
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        overview(c, d, routes::TAGS);
    }
}

/// A tag's incidents and briefings, newest first.
pub(super) struct Tag;

impl Kind for Tag {
    fn template(&self) -> &'static str {
        "tag.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, _: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let index = sh.index;
        let mut push = pusher(out);
        for (s, t) in &index.by_tag {
            push(
                self.template(),
                routes::tag(s),
                sh.words.text("title.tag", &[("tag", &t.name)]),
                None,
                lazy(move || TagPage {
                    tag: TagRef {
                        name: t.name.clone(),
                        path: routes::tag(s),
                        count: t.count(),
                    },
                    incidents: t
                        .incidents
                        .iter()
                        .rev()
                        .map(|&p| &sh.incidents[p])
                        .collect(),
                    briefings: t
                        .briefings
                        .iter()
                        .rev()
                        .map(|&b| &sh.briefings[b])
                        .collect(),
                }),
            );
        }
    }

    fn listed(&self, _: &Site, index: &Index, _: &Config, out: &mut Vec<String>) {
        out.extend(index.by_tag.keys().map(|s| routes::tag(s)));
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        for i in &c.shown_records {
            for t in &i.tags {
                d.add(routes::tag(&slug(t)));
            }
        }
        // Counts changed, or the tag went.
        for s in &c.tags {
            d.add(routes::tag(s));
        }
        for b in &c.briefings {
            for t in &b.tags {
                d.add(routes::tag(&slug(t)));
            }
        }
    }
}
