//! Group profiles: each profile's fields checked (dates, status, lineage references,
//! leaders, area, ACLED actor type, typed relationships), then what only the whole set can
//! show (merge cycles, relationships written differently on both sides, groups no incident
//! names).
//!
//! Takes the raw profiles with their ids and returns the validated groups sorted by id;
//! pushes every problem as a diagnostic and never looks at other record kinds' fields.

use std::collections::{BTreeMap, BTreeSet};

use super::ctx::{Ctx, origin};
use super::refs::{GroupRefs, Refs};
use super::sources::sources_at;
use crate::content::raw::{RawGroup, RawLeader, RawRelationship};
use crate::content::{Group, Leader, PartialDate, RelationKind, Relationship, Status};
use crate::diagnostic::{Diagnostic, Location};
use crate::load::{Record, RecordLoc};
use crate::yaml::{Part, Seg};

/// Validates every group profile, then the lineage and relationships between them.
pub(super) fn groups(
    cx: &mut Ctx<'_>,
    refs: &Refs,
    checks: &GroupRefs<'_>,
    raw: Vec<(String, Record<RawGroup>)>,
) -> Vec<Group> {
    let mut out = Vec::new();
    // Per group id, the position in `relationships:` as written of each parsed relationship,
    // to place diagnostics found once all groups are known.
    let mut relationship_at: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (id, rec) in raw {
        let (group, written_at) = group(cx, checks, id, rec);
        relationship_at.insert(group.id.clone(), written_at);
        out.push(group);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    check_lineage(cx, &out, &refs.groups);
    check_relationships(cx, &out, &refs.groups, &relationship_at);
    out
}

/// One profile, with the position as written of each relationship it keeps.
fn group(
    cx: &mut Ctx<'_>,
    checks: &GroupRefs<'_>,
    id: String,
    rec: Record<RawGroup>,
) -> (Group, Vec<usize>) {
    let Record { raw, body, loc } = rec;
    let RawGroup {
        id: _,
        name,
        short_name,
        aliases,
        founded,
        dissolved,
        status,
        affiliations,
        merged_from,
        merged_into,
        leaders,
        area,
        ideology,
        acled_actor,
        inter,
        relationships,
        draft: _,
    } = raw;
    let loc = &loc;
    let name = cx.required(loc, name.as_ref(), "name", "group");
    let founded = cx.date(loc, &[Seg::Key("founded")], founded.as_ref());
    let dissolved = cx.date(loc, &[Seg::Key("dissolved")], dissolved.as_ref());
    if let (Some(f), Some(d)) = (founded, dissolved)
        && d.cmp_coarse(&f).is_lt()
    {
        let l = cx.at(loc, &[Seg::Key("dissolved")], Part::Value);
        cx.err(
            Diagnostic::error("date-order", "`dissolved` is before `founded`")
                .at(l, "earlier than the founding date"),
        );
    }
    let status = status.as_deref().and_then(|s| {
        let st = Status::parse(s);
        if st.is_none() {
            cx.vocab(loc, "status", s, Status::ALL);
        }
        st
    });
    lineage_refs(
        cx,
        checks,
        loc,
        &id,
        &affiliations,
        &merged_from,
        merged_into.as_ref(),
    );
    let leaders: Vec<Leader> = leaders
        .into_iter()
        .enumerate()
        .map(|(i, l)| leader(cx, loc, i, l))
        .collect();
    for (i, c) in area.iter().enumerate() {
        cx.country(loc, &[Seg::Key("area"), Seg::Index(i)], c);
    }
    overlapping_leaders(cx, loc, &leaders);
    if let Some(n) = inter
        && !(1..=8).contains(&n)
    {
        let l = cx.at(loc, &[Seg::Key("inter")], Part::Value);
        cx.err(
            Diagnostic::error("invalid-value", format!("`inter` {n} is not an ACLED actor type"))
                .at(l, "expected a code from 1 to 8")
                .help("ACLED's codes: 1 state forces, 2 rebel groups, 3 political militias, 4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces"),
        );
    }
    let mut kept = Vec::new();
    let mut written_at = Vec::new();
    for (i, rel) in relationships.into_iter().enumerate() {
        if let Some(r) = relationship(cx, checks, loc, &id, i, rel) {
            written_at.push(i);
            kept.push(r);
        }
    }
    let group = Group {
        id,
        name,
        short_name: short_name.filter(|s| !s.trim().is_empty()),
        aliases,
        founded,
        dissolved,
        status,
        affiliations,
        merged_from,
        merged_into,
        leaders,
        area,
        ideology,
        acled_actor: acled_actor.filter(|a| !a.trim().is_empty()),
        inter,
        relationships: kept,
        body,
        origin: origin(loc),
    };
    (group, written_at)
}

/// `affiliations`, `merged_from` and `merged_into`: every id a known group, never itself.
fn lineage_refs(
    cx: &mut Ctx<'_>,
    checks: &GroupRefs<'_>,
    loc: &RecordLoc,
    id: &str,
    affiliations: &[String],
    merged_from: &[String],
    merged_into: Option<&String>,
) {
    for (i, a) in affiliations.iter().enumerate() {
        checks.check(
            cx,
            loc,
            &[Seg::Key("affiliations"), Seg::Index(i)],
            "affiliations",
            a,
        );
    }
    for (i, a) in merged_from.iter().enumerate() {
        checks.check(
            cx,
            loc,
            &[Seg::Key("merged_from"), Seg::Index(i)],
            "merged_from",
            a,
        );
    }
    if let Some(m) = merged_into {
        if *m == id {
            let l = cx.at(loc, &[Seg::Key("merged_into")], Part::Value);
            cx.err(
                Diagnostic::error("self-merge", format!("group `{id}` is merged into itself"))
                    .at(l, "names this same group"),
            );
        } else {
            checks.check(cx, loc, &[Seg::Key("merged_into")], "merged_into", m);
        }
    }
}

/// The leader at `leaders[i]`: dates in order, a name.
fn leader(cx: &mut Ctx<'_>, loc: &RecordLoc, i: usize, l: RawLeader) -> Leader {
    let base = [Seg::Key("leaders"), Seg::Index(i)];
    let from = cx.date(
        loc,
        &[base[0].clone(), base[1].clone(), Seg::Key("from")],
        l.from.as_ref(),
    );
    let to = cx.date(
        loc,
        &[base[0].clone(), base[1].clone(), Seg::Key("to")],
        l.to.as_ref(),
    );
    if let (Some(f), Some(t)) = (from, to)
        && t.cmp_coarse(&f).is_lt()
    {
        let at = cx.at(
            loc,
            &[base[0].clone(), base[1].clone(), Seg::Key("to")],
            Part::Value,
        );
        cx.err(
            Diagnostic::error("date-order", "leader's `to` is before `from`")
                .at(at, "earlier than `from`")
                .help("swap `from` and `to`"),
        );
    }
    let name = match l.name {
        Some(n) if !n.trim().is_empty() => n,
        None if loc.dropped(&[base[0].clone(), base[1].clone(), Seg::Key("name")]) => String::new(),
        _ => {
            let at = cx.at(loc, &base, Part::Value);
            cx.err(
                Diagnostic::error("missing-field", "leader without a `name`").at(at, "this leader"),
            );
            String::new()
        }
    };
    Leader {
        name,
        role: l.role,
        from,
        to,
    }
}

/// The relationship at `relationships[i]` of group `id`, or `None` (reported) when it names
/// no other group or no known type.
fn relationship(
    cx: &mut Ctx<'_>,
    checks: &GroupRefs<'_>,
    loc: &RecordLoc,
    id: &str,
    i: usize,
    rel: RawRelationship,
) -> Option<Relationship> {
    let path = |k: Option<&'static str>| {
        let mut p = vec![Seg::Key("relationships"), Seg::Index(i)];
        p.extend(k.map(Seg::Key));
        p
    };
    let RawRelationship {
        group: other,
        kind,
        from,
        to,
        note,
        sources: rel_sources,
    } = rel;
    let mut ok = true;
    let other = other.map(|g| g.trim().to_string()).unwrap_or_default();
    if other.is_empty() && loc.dropped(&path(Some("group"))) {
        ok = false;
    } else if other.is_empty() {
        let l = cx.at(loc, &path(None), Part::Value);
        cx.err(
            Diagnostic::error("missing-field", "relationship without a `group`")
                .at(l, "this relationship names no group")
                .help("add `group: <id>` with the other group's id"),
        );
        ok = false;
    } else if other == id {
        let l = cx.at(loc, &path(Some("group")), Part::Value);
        cx.err(
            Diagnostic::error(
                "self-relationship",
                format!("group `{id}` has a relationship with itself"),
            )
            .at(l, "names this same group")
            .help("a relationship links two different groups; fix the id"),
        );
        ok = false;
    } else {
        checks.check(cx, loc, &path(Some("group")), "relationships", &other);
    }
    let kind = match kind.as_deref().map(str::trim) {
        Some(k) => {
            let parsed = RelationKind::parse(k);
            if parsed.is_none() {
                cx.vocab_at(loc, &path(Some("type")), "type", k, RelationKind::ALL);
            }
            parsed
        }
        None if loc.dropped(&path(Some("type"))) => None,
        None => {
            let l = cx.at(loc, &path(None), Part::Value);
            cx.err(
                Diagnostic::error("missing-field", "relationship without a `type`")
                    .at(l, "this relationship has no `type`")
                    .help(format!(
                        "add `type:` with one of {}",
                        RelationKind::ALL
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
            );
            None
        }
    };
    let from = cx.date(loc, &path(Some("from")), from.as_ref());
    let to = cx.date(loc, &path(Some("to")), to.as_ref());
    if let (Some(f), Some(t)) = (from, to)
        && t.cmp_coarse(&f).is_lt()
    {
        let l = cx.at(loc, &path(Some("to")), Part::Value);
        cx.err(
            Diagnostic::error("date-order", "relationship's `to` is before `from`")
                .at(l, "earlier than `from`")
                .help("swap `from` and `to`"),
        );
    }
    let rel_sources = sources_at(cx, loc, &path(None), rel_sources);
    let (true, Some(kind)) = (ok, kind) else {
        return None;
    };
    Some(Relationship {
        group: other,
        kind,
        from,
        to,
        note: note.filter(|n| !n.trim().is_empty()),
        sources: rel_sources.into_iter().map(|(_, s)| s).collect(),
    })
}

/// Warns about groups no incident names. A profile tied to others (a merger, an
/// affiliation, a typed relationship, either way) is there for the lineage, not for
/// incidents: no warning.
pub(super) fn unused(cx: &mut Ctx<'_>, refs: &Refs, groups: &[Group]) {
    let mut linked: BTreeSet<&str> = BTreeSet::new();
    for g in groups {
        let others: Vec<&str> = g
            .affiliations
            .iter()
            .chain(&g.merged_from)
            .chain(&g.merged_into)
            .map(String::as_str)
            .chain(g.relationships.iter().map(|r| r.group.as_str()))
            .collect();
        if !others.is_empty() {
            linked.insert(g.id.as_str());
            linked.extend(others);
        }
    }
    for g in groups {
        // An incident file that did not parse may name the group; say nothing rather than guess.
        if !refs.named_groups.contains(&g.id)
            && !linked.contains(g.id.as_str())
            && !cx.suggested_groups.contains(&g.id)
            && !refs.incidents_lost
        {
            let f = &cx.sources.files[g.origin.file];
            cx.err(
                Diagnostic::warning(
                    "unused-group",
                    format!("no incident names group `{}`", g.id),
                )
                .at(
                    Location::new(&f.rel, &f.text, 0, 3),
                    "this profile has no incidents",
                ),
            );
        }
    }
}

/// Warns when two leaders of one group held the same role over overlapping terms. Terms
/// without a start are left alone (nothing is known of them); a term without an end runs on.
fn overlapping_leaders(cx: &mut Ctx<'_>, loc: &RecordLoc, leaders: &[Leader]) {
    let role = |l: &Leader| {
        l.role
            .as_deref()
            .map(|r| r.trim().to_lowercase())
            .filter(|r| !r.is_empty())
    };
    // Coarse comparison: a handover within the month written (`to: 2017-03`,
    // `from: 2017-03`) is not an overlap.
    let before =
        |a: &PartialDate, b: Option<&PartialDate>| b.is_none_or(|b| a.cmp_coarse(b).is_lt());
    for (j, b) in leaders.iter().enumerate() {
        let Some(bf) = b.from.as_ref() else { continue };
        let Some(br) = role(b) else { continue };
        let earlier = leaders[..j].iter().enumerate().find(|(_, a)| {
            role(a).as_deref() == Some(br.as_str())
                && a.from
                    .as_ref()
                    .is_some_and(|af| before(af, b.to.as_ref()) && before(bf, a.to.as_ref()))
        });
        let Some((i, a)) = earlier else { continue };
        let l = cx.at(loc, &[Seg::Key("leaders"), Seg::Index(j)], Part::Value);
        let note = cx.at(loc, &[Seg::Key("leaders"), Seg::Index(i)], Part::Value);
        let term = |x: &Leader| match (x.from, x.to) {
            (Some(f), Some(t)) => format!("from {} to {}", f.iso(), t.iso()),
            (Some(f), None) => format!("from {}, no end given", f.iso()),
            _ => String::new(),
        };
        cx.err(
            Diagnostic::warning(
                "overlapping-leaders",
                format!(
                    "{} and {} both hold the role `{}` at the same time",
                    a.name,
                    b.name,
                    b.role.as_deref().unwrap_or_default().trim()
                ),
            )
            .at(l, format!("{}: {}", b.name, term(b)))
            .note(Some(note), format!("{}: {}", a.name, term(a)))
            .help("end the first term (`to:`) where the second begins, or tell the roles apart"),
        );
    }
}

/// Checks that merges are consistent: no cycles, and `merged_from`/`merged_into` agree.
fn check_lineage(cx: &mut Ctx<'_>, groups: &[Group], locs: &BTreeMap<String, RecordLoc>) {
    let by_id: BTreeMap<&str, &Group> = groups.iter().map(|g| (g.id.as_str(), g)).collect();
    for g in groups {
        let Some(loc) = locs.get(&g.id) else { continue };
        // Follow merged_into until it ends or returns.
        let mut seen = vec![g.id.as_str()];
        let mut cur = g;
        while let Some(next) = cur.merged_into.as_deref().and_then(|n| by_id.get(n)) {
            if next.id == g.id {
                // Report a cycle once, at its member with the smallest id, and show the
                // other links of the chain as notes.
                if seen.len() > 1 && seen.iter().all(|s| *s >= g.id.as_str()) {
                    let l = cx.at(loc, &[Seg::Key("merged_into")], Part::Value);
                    let mut d = Diagnostic::error(
                        "merge-cycle",
                        format!("`merged_into` forms a cycle: {} → {}", seen.join(" → "), g.id),
                    )
                    .at(l, format!("`{}` merged into `{}`…", g.id, seen[1]))
                    .help("a group can only merge into a group that outlived it; remove one `merged_into`");
                    for (i, member) in seen.iter().enumerate().skip(1) {
                        let into = seen.get(i + 1).copied().unwrap_or(g.id.as_str());
                        let note = locs
                            .get(*member)
                            .map(|ml| cx.at(ml, &[Seg::Key("merged_into")], Part::Value));
                        d = d.note(note, format!("…`{member}` merged into `{into}`"));
                    }
                    cx.err(d);
                }
                break;
            }
            if seen.contains(&next.id.as_str()) {
                break;
            }
            seen.push(next.id.as_str());
            cur = next;
        }
        for (i, from) in g.merged_from.iter().enumerate() {
            let Some(src) = by_id.get(from.as_str()) else {
                continue;
            };
            if let Some(other) = &src.merged_into
                && other != &g.id
            {
                let l = cx.at(loc, &[Seg::Key("merged_from"), Seg::Index(i)], Part::Value);
                let note = locs
                    .get(&src.id)
                    .map(|sl| cx.at(sl, &[Seg::Key("merged_into")], Part::Value));
                cx.err(
                    Diagnostic::error(
                        "merge-conflict",
                        format!("`{}` lists `{from}` in `merged_from`, but `{from}` merged into `{other}`", g.id),
                    )
                    .at(l, "claimed here")
                    .note(note, format!("`{from}` says `merged_into: {other}` here")),
                );
            }
        }
    }
}

/// Checks relationships written on both sides: the same symmetric kind must give the same
/// dates where both give them; two groups cannot each be the other's splinter (or each
/// pledge to the other); allies cannot be rivals over the same time. Each conflict is one
/// error pointing at both entries.
fn check_relationships(
    cx: &mut Ctx<'_>,
    groups: &[Group],
    locs: &BTreeMap<String, RecordLoc>,
    written_at: &BTreeMap<String, Vec<usize>>,
) {
    let pos = |id: &str| groups.binary_search_by(|g| g.id.as_str().cmp(id)).ok();
    for a in groups {
        for (ai, ra) in a.relationships.iter().enumerate() {
            // Each pair once: from the group with the smaller id.
            if ra.group <= a.id {
                continue;
            }
            let Some(b) = pos(&ra.group).map(|p| &groups[p]) else {
                continue;
            };
            for (bi, rb) in b.relationships.iter().enumerate() {
                if rb.group != a.id {
                    continue;
                }
                let (problem, field) = if ra.kind == rb.kind {
                    if !ra.kind.symmetric() {
                        (
                            format!(
                                "`{}` and `{}` each say they are `{}` the other",
                                a.id,
                                b.id,
                                ra.kind.as_str()
                            ),
                            "type",
                        )
                    } else if ra.overlaps(rb) && !ra.agrees_with(rb) {
                        let from_differs = matches!((ra.from, rb.from), (Some(x), Some(y)) if !x.cmp_coarse(&y).is_eq());
                        (
                            format!(
                                "`{}` and `{}` give different dates for the same `{}` relationship",
                                a.id,
                                b.id,
                                ra.kind.as_str()
                            ),
                            if from_differs { "from" } else { "to" },
                        )
                    } else {
                        continue;
                    }
                } else if matches!(
                    (ra.kind, rb.kind),
                    (RelationKind::Ally, RelationKind::Rival)
                        | (RelationKind::Rival, RelationKind::Ally)
                ) && ra.overlaps(rb)
                {
                    (
                        format!(
                            "`{}` calls `{}` `{}`, but `{}` calls `{}` `{}` over the same time",
                            a.id,
                            b.id,
                            ra.kind.as_str(),
                            b.id,
                            a.id,
                            rb.kind.as_str()
                        ),
                        "type",
                    )
                } else {
                    continue;
                };
                let (Some(la), Some(lb)) = (locs.get(&a.id), locs.get(&b.id)) else {
                    continue;
                };
                let at = |id: &str, i: usize| {
                    written_at
                        .get(id)
                        .and_then(|v| v.get(i))
                        .copied()
                        .unwrap_or(i)
                };
                let said = |r: &Relationship| {
                    let mut s = format!("{} `{}`", r.kind.label(), r.group);
                    if let Some(f) = r.from {
                        s.push_str(&format!(" from {}", f.iso()));
                    }
                    if let Some(t) = r.to {
                        s.push_str(&format!(" to {}", t.iso()));
                    }
                    s
                };
                let path = |i: usize| [Seg::Key("relationships"), Seg::Index(i), Seg::Key(field)];
                let here = cx
                    .at_exact(la, &path(at(&a.id, ai)), Part::Value)
                    .unwrap_or_else(|| cx.at(la, &path(at(&a.id, ai))[..2], Part::Value));
                let there = cx
                    .at_exact(lb, &path(at(&b.id, bi)), Part::Value)
                    .unwrap_or_else(|| cx.at(lb, &path(at(&b.id, bi))[..2], Part::Value));
                cx.err(
                    Diagnostic::error("relationship-conflict", problem)
                        .at(here, format!("`{}` says: {}", a.id, said(ra)))
                        .note(Some(there), format!("`{}` says: {}", b.id, said(rb)))
                        .help("write the relationship on one side only, or make both sides say the same"),
                );
            }
        }
    }
}
