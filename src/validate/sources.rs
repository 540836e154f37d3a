//! The `sources:` list of a record (an incident's, or a relationship's): each source's URL
//! and date checked, its title taken from the publisher or URL when it has none, and the
//! warning when every dated source of an incident predates it.
//!
//! Takes raw sources and returns validated ones with their positions as written; pushes
//! every problem as a diagnostic.

use super::ctx::Ctx;
use crate::content::Source;
use crate::content::date::PartialDate;
use crate::content::raw::RawSource;
use crate::diagnostic::{Diagnostic, Location};
use crate::load::RecordLoc;
use crate::yaml::{Part, Seg};

/// The `sources:` list found at `prefix` (an incident's, or a relationship's), each with
/// its position in the list as written.
pub(super) fn sources_at(
    cx: &mut Ctx<'_>,
    loc: &RecordLoc,
    prefix: &[Seg],
    raw: Vec<RawSource>,
) -> Vec<(usize, Source)> {
    let mut out = Vec::new();
    for (i, s) in raw.into_iter().enumerate() {
        let path = |k: Option<&'static str>| {
            let mut p = prefix.to_vec();
            p.extend([Seg::Key("sources"), Seg::Index(i)]);
            p.extend(k.map(Seg::Key));
            p
        };
        let url = match s.url {
            Some(u) => cx.url(loc, &path(Some("url")), &u).then_some(u),
            None => None,
        };
        let date = cx.date(loc, &path(Some("date")), s.date.as_ref());
        let title = match s.title {
            Some(t) if !t.trim().is_empty() => t,
            _ => match (&s.publisher, &url) {
                (Some(p), _) => p.clone(),
                (None, Some(u)) => u.clone(),
                (None, None) if loc.touched(&path(None)) => continue,
                (None, None) => {
                    let l = cx.at(loc, &path(None), Part::Value);
                    cx.err(
                        Diagnostic::error(
                            "empty-source",
                            "source has neither `title`, `publisher` nor `url`",
                        )
                        .at(l, "this source says nothing"),
                    );
                    continue;
                }
            },
        };
        out.push((
            i,
            Source {
                title,
                url,
                publisher: s.publisher,
                date,
            },
        ));
    }
    out
}

/// When the incident has dated sources and every one is dated before `date`: where the
/// latest source's date is written, and that date.
pub(super) fn predating_sources(
    cx: &mut Ctx<'_>,
    loc: &RecordLoc,
    date: Option<PartialDate>,
    sources: &[(usize, Source)],
) -> Option<(Location, PartialDate)> {
    let date = date?;
    let dated: Vec<(usize, PartialDate)> = sources
        .iter()
        .filter_map(|(i, s)| s.date.map(|d| (*i, d)))
        .collect();
    if dated.is_empty() || !dated.iter().all(|(_, d)| d.cmp_coarse(&date).is_lt()) {
        return None;
    }
    let &(latest_i, latest) = dated.iter().max_by(|a, b| a.1.cmp(&b.1))?;
    let note = cx.at(
        loc,
        &[Seg::Key("sources"), Seg::Index(latest_i), Seg::Key("date")],
        Part::Value,
    );
    Some((note, latest))
}

/// Warns when every dated source of an incident is dated before the incident began: the
/// date or the sources are probably wrong.
pub(super) fn sources_predate(
    cx: &mut Ctx<'_>,
    loc: &RecordLoc,
    date: PartialDate,
    sources: &[(usize, Source)],
) {
    let Some((note, latest)) = predating_sources(cx, loc, Some(date), sources) else {
        return;
    };
    let dated = sources.iter().filter(|(_, s)| s.date.is_some()).count();
    let l = cx.at(loc, &[Seg::Key("date")], Part::Value);
    let what = if dated == 1 {
        "its only dated source predates this".to_string()
    } else {
        format!("all {dated} of its dated sources predate this")
    };
    cx.err(
        Diagnostic::warning(
            "sources-predate",
            format!(
                "incident dated {} is reported only by sources from before it",
                date.iso()
            ),
        )
        .at(l, what)
        .note(
            Some(note),
            format!("the latest source is dated {}", latest.iso()),
        )
        .help("check the incident's `date` and the sources' dates"),
    );
}
