//! Briefings: each analysis's title, date and data cutoff checked, and every group and
//! incident it cites known (or a draft, said so).
//!
//! Takes the raw briefings with their ids and returns the validated ones in chronological
//! order (ties by id); pushes every problem as a diagnostic.

use super::ctx::{Ctx, origin, valid_tags};
use super::refs::{GroupRefs, Refs};
use crate::content::Briefing;
use crate::content::raw::RawBriefing;
use crate::diagnostic::{Diagnostic, Suggester, Suggestion};
use crate::load::Record;
use crate::yaml::{Part, Seg};

/// Validates every briefing.
pub(super) fn briefings(
    cx: &mut Ctx<'_>,
    refs: &Refs,
    checks: &GroupRefs<'_>,
    raw: Vec<(String, Record<RawBriefing>)>,
) -> Vec<Briefing> {
    let mut incident_names = Suggester::new(refs.incidents.keys().map(String::as_str));
    let mut out: Vec<Briefing> = raw
        .into_iter()
        .filter_map(|(id, rec)| briefing(cx, refs, checks, &mut incident_names, id, rec))
        .collect();
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    out
}

/// One briefing, or `None` when it has no usable date (reported).
fn briefing(
    cx: &mut Ctx<'_>,
    refs: &Refs,
    checks: &GroupRefs<'_>,
    incident_names: &mut Suggester<'_>,
    id: String,
    rec: Record<RawBriefing>,
) -> Option<Briefing> {
    let Record { raw, body, loc } = rec;
    let RawBriefing {
        id: _,
        title,
        date,
        authors,
        summary,
        groups,
        incidents,
        tags,
        data_cutoff,
        draft,
    } = raw;
    let loc = &loc;
    let title = cx.required(loc, title.as_ref(), "title", "briefing");
    let date = cx.required_date(loc, date.as_ref(), "briefing", None);
    let data_cutoff = cx.date(loc, &[Seg::Key("data_cutoff")], data_cutoff.as_ref());
    for (i, g) in groups.iter().enumerate() {
        checks.check(cx, loc, &[Seg::Key("groups"), Seg::Index(i)], "groups", g);
    }
    for (i, inc) in incidents.iter().enumerate() {
        if !refs.incidents.contains_key(inc)
            && !refs.unparsed_incidents.contains(inc)
            && !refs.incident_ids_lost
        {
            let l = cx.at(loc, &[Seg::Key("incidents"), Seg::Index(i)], Part::Value);
            let mut d = Diagnostic::error(
                "unknown-incident",
                format!("unknown incident `{inc}` in `incidents`"),
            )
            .at(
                l,
                if refs.draft_incidents.contains(inc) {
                    "this incident is a draft"
                } else {
                    "no incident with this id"
                },
            );
            if refs.draft_incidents.contains(inc) {
                d = d.help("publish the incident (remove `draft: true`) or build with `--drafts`");
            } else if let Suggestion::Found(s) = incident_names.suggest(inc, &cx.budget) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            cx.err(d);
        }
    }
    if incidents.is_empty() && !loc.dropped(&[Seg::Key("incidents")]) {
        let l = cx.record_start(loc);
        cx.err(
            Diagnostic::warning(
                "uncited-briefing",
                format!("briefing `{id}` cites no incident"),
            )
            .at(l, "no `incidents:`")
            .help("list the incidents the analysis rests on in `incidents:`"),
        );
    }
    // Briefings' tags share the tag pages with incidents': the same rules.
    let tags = valid_tags(cx, loc, tags);
    Some(Briefing {
        id,
        title,
        date: date?,
        authors,
        summary,
        groups,
        incidents,
        tags,
        data_cutoff,
        draft,
        body,
        origin: origin(loc),
    })
}
