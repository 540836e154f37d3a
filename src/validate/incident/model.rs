//! Checks of what an incident says about claims, targets, all-deaths figures and other
//! records of the same event (issue 15): `claims`, a group's `claimed_*` figures, typed
//! `targets`, `casualties.fatalities`, `distinct_from` and `same_event_as`.

use std::collections::{BTreeMap, BTreeSet};

use crate::content::raw::{RawGroupClaim, RawTarget};
use crate::content::{Attribution, Casualties, ClaimRelation, GroupClaim, Target, TargetKind};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::load::RecordLoc;
use crate::validate::ctx::Ctx;
use crate::yaml::{Part, Seg};

/// Reports `claimed_*` figures on a group whose tie to the incident is not a claim: a
/// figure "claimed" by a group that did not claim the attack is someone else's figure.
pub(super) fn claimed_without_claim(
    cx: &mut Ctx<'_>,
    loc: &RecordLoc,
    path: &dyn Fn(Option<&'static str>) -> Vec<Seg>,
    c: &RawGroupClaim,
    resolved: Attribution,
) {
    let given = [
        ("claimed_killed", c.claimed_killed.is_some()),
        ("claimed_wounded", c.claimed_wounded.is_some()),
        ("claimed_captured", c.claimed_captured.is_some()),
    ];
    let Some((field, _)) = given.iter().find(|(_, g)| *g) else {
        return;
    };
    let l = cx.at(loc, &path(Some(field)), Part::Key);
    cx.err(
        Diagnostic::error(
            "claimed-figure-without-claim",
            format!(
                "`{field}` on group `{}`, whose tie to this incident is `{}`, not `claimed`",
                c.id,
                resolved.as_str()
            ),
        )
        .at(l, "only a group that claimed the incident has a claimed figure")
        .help(
            "give the group `attribution: claimed` if it claimed the incident, or move the figure to `casualties` (with a source) if it is not the group's own",
        ),
    );
}

/// Parses `claims:` and checks that two or more groups claimed the incident.
pub(super) fn claim_relation(
    cx: &mut Ctx<'_>,
    loc: &RecordLoc,
    raw: Option<&str>,
    claims: &[GroupClaim],
) -> Option<ClaimRelation> {
    let word = raw?.trim();
    let Some(rel) = ClaimRelation::parse(word) else {
        cx.vocab(loc, "claims", word, ClaimRelation::ALL);
        return None;
    };
    let mut claimants: Vec<&str> = claims
        .iter()
        .filter(|c| c.attribution == Attribution::Claimed)
        .map(|c| c.id.as_str())
        .collect();
    claimants.sort_unstable();
    claimants.dedup();
    if claimants.len() < 2 {
        let l = cx.at(loc, &[Seg::Key("claims")], Part::Value);
        let label = match claimants.as_slice() {
            [] => "no group in `groups` is `claimed`".to_string(),
            [one] => format!("only `{one}` is `claimed` in `groups`"),
            _ => unreachable!("fewer than two"),
        };
        cx.err(
            Diagnostic::error(
                "claims-without-claimants",
                format!(
                    "`claims: {}` needs two or more groups that claimed the incident",
                    rel.as_str()
                ),
            )
            .at(l, label)
            .help("give each claimant `attribution: claimed` in `groups`, or remove `claims:`"),
        );
        return None;
    }
    Some(rel)
}

/// Checks a group id at a path (validate's `check_group_ref`): reports `unknown-group`.
pub(super) type GroupRefCheck<'a> = dyn Fn(&mut Ctx<'_>, &RecordLoc, &[Seg], &str, &str) + 'a;

/// The `targets:` list: plain names as before, or `{actor, kind, group}` objects.
pub(super) fn targets(
    cx: &mut Ctx<'_>,
    loc: &RecordLoc,
    raw: Vec<RawTarget>,
    check_group_ref: &GroupRefCheck<'_>,
) -> Vec<Target> {
    let mut out = Vec::with_capacity(raw.len());
    for (i, t) in raw.into_iter().enumerate() {
        let path = |k: Option<&'static str>| {
            let mut p = vec![Seg::Key("targets"), Seg::Index(i)];
            p.extend(k.map(Seg::Key));
            p
        };
        match t {
            // Kept exactly as written, as before issue 15 (the exports round-trip it).
            RawTarget::Name(actor) => out.push(Target {
                actor,
                kind: None,
                group: None,
            }),
            RawTarget::Actor(a) => {
                let actor = a.actor.unwrap_or_default();
                if actor.trim().is_empty() {
                    let l = cx.at(loc, &path(None), Part::Value);
                    cx.err(
                        Diagnostic::error("missing-field", "target without an `actor`")
                            .at(l, "this target names nobody")
                            .help("add `actor:` with who was targeted, e.g. `{actor: \"Malian armed forces\", kind: state_forces}`"),
                    );
                }
                let kind = a.kind.as_deref().map(str::trim).and_then(|k| {
                    let parsed = TargetKind::parse(k);
                    if parsed.is_none() {
                        cx.vocab_at(loc, &path(Some("kind")), "kind", k, TargetKind::ALL);
                    }
                    parsed
                });
                let group = a.group.as_deref().map(str::trim).map(str::to_string);
                if let Some(g) = &group {
                    check_group_ref(cx, loc, &path(Some("group")), "targets", g);
                }
                if !actor.trim().is_empty() {
                    out.push(Target { actor, kind, group });
                }
            }
        }
    }
    out
}

/// Warns when the all-deaths figure is below its parts: `fatalities` counts every death,
/// so it cannot be fewer than the victims and attackers killed together (lower bounds).
pub(super) fn fatalities_below_parts(cx: &mut Ctx<'_>, loc: &RecordLoc, c: &Casualties) {
    let Some(max) = c.fatalities.as_ref().and_then(|f| f.max()) else {
        return;
    };
    let killed = c.killed.as_ref().and_then(|k| k.min()).unwrap_or(0);
    let attackers = c
        .attackers_killed
        .as_ref()
        .and_then(|k| k.min())
        .unwrap_or(0);
    let parts = u64::from(killed) + u64::from(attackers);
    if u64::from(max) >= parts {
        return;
    }
    let l = cx.at(
        loc,
        &[Seg::Key("casualties"), Seg::Key("fatalities")],
        Part::Value,
    );
    cx.err(
        Diagnostic::warning(
            "fatalities-below-parts",
            format!(
                "`fatalities` ({max} at most) is fewer than `killed` and `attackers_killed` together ({parts} at least)"
            ),
        )
        .at(l, "every death, victims and attackers together")
        .help("check the figures: `fatalities` counts everyone killed, the victims and the attackers"),
    );
}

/// What one published incident says about other records of the same event, kept with its
/// place until every incident id is known.
pub(super) struct SameEventLinks {
    /// The record's id.
    pub(super) id: String,
    /// Where it is.
    pub(super) loc: RecordLoc,
    /// `distinct_from`, trimmed, as written.
    pub(super) distinct_from: Vec<String>,
    /// `same_event_as`, trimmed.
    pub(super) same_event_as: Option<String>,
}

/// Checks `distinct_from` and `same_event_as` once every incident id is known: each names
/// another existing incident; `same_event_as` names a published one that is not itself a
/// repeat (no chains), and no pair is said to be both the same event and distinct.
pub(super) fn check_links(
    cx: &mut Ctx<'_>,
    links: &[SameEventLinks],
    ids: &BTreeMap<String, RecordLoc>,
    drafts: &BTreeSet<String>,
    unparsed: &BTreeSet<String>,
    ids_lost: bool,
) {
    let by_id: BTreeMap<&str, &SameEventLinks> = links.iter().map(|l| (l.id.as_str(), l)).collect();
    // Built on the first unknown id only: a million ids are not copied for a clean site.
    let mut names: Option<Vec<&str>> = None;
    let mut unknown =
        |cx: &mut Ctx<'_>, l: &SameEventLinks, path: &[Seg], field: &str, other: &str| {
            let at = cx.at(&l.loc, path, Part::Value);
            if drafts.contains(other) {
                cx.err(
                    Diagnostic::error(
                        "unknown-incident",
                        format!("`{field}` names draft incident `{other}`"),
                    )
                    .at(at, "this incident is a draft")
                    .help("publish the incident (remove `draft: true`) or build with `--drafts`"),
                );
                return;
            }
            let names = names.get_or_insert_with(|| ids.keys().map(String::as_str).collect());
            let mut d = Diagnostic::error(
                "unknown-incident",
                format!("unknown incident `{other}` in `{field}`"),
            )
            .at(at, "no incident with this id");
            if let Some(s) = did_you_mean(other, names.iter().copied()) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            cx.err(d);
        };
    let known = |other: &str| ids.contains_key(other) || unparsed.contains(other) || ids_lost;
    for l in links {
        for (i, other) in l.distinct_from.iter().enumerate() {
            let path = [Seg::Key("distinct_from"), Seg::Index(i)];
            if other.is_empty() {
                continue;
            }
            if *other == l.id {
                self_reference(cx, l, &path, "distinct_from");
            } else if !known(other) && !drafts.contains(other) {
                unknown(cx, l, &path, "distinct_from", other);
            }
        }
        let Some(other) = l.same_event_as.as_deref() else {
            continue;
        };
        let path = [Seg::Key("same_event_as")];
        if other.is_empty() {
            let at = cx.at(&l.loc, &path, Part::Value);
            cx.err(
                Diagnostic::error("empty-field", "`same_event_as` is empty")
                    .at(at, "names no incident")
                    .help("give the id of the incident this record repeats, or remove the line"),
            );
            continue;
        }
        if other == l.id {
            self_reference(cx, l, &path, "same_event_as");
            continue;
        }
        if !known(other) {
            unknown(cx, l, &path, "same_event_as", other);
            continue;
        }
        let Some(target) = by_id.get(other) else {
            continue; // a record with errors of its own, already reported
        };
        if let Some(further) = target.same_event_as.as_deref().filter(|f| !f.is_empty()) {
            let at = cx.at(&l.loc, &path, Part::Value);
            let there = cx.at(&target.loc, &path, Part::Value);
            let help = if further == l.id {
                "keep `same_event_as` on one of the two records only: the one that is not counted"
                    .to_string()
            } else {
                format!("point at the record that is counted: `same_event_as: {further}`")
            };
            cx.err(
                Diagnostic::error(
                    "same-event-chain",
                    format!(
                        "`{}` is the same event as `{other}`, which is itself the same event as `{further}`",
                        l.id
                    ),
                )
                .at(at, format!("`{other}` is not counted either"))
                .note(Some(there), format!("`{other}` says `same_event_as: {further}` here"))
                .help(help),
            );
            continue;
        }
        let conflict = |a: &SameEventLinks, b: &str| a.distinct_from.iter().position(|d| d == b);
        let (here_i, there_i) = (conflict(l, other), conflict(target, &l.id));
        if here_i.is_some() || there_i.is_some() {
            let at = cx.at(&l.loc, &path, Part::Value);
            let there = match (here_i, there_i) {
                (Some(i), _) => cx.at(
                    &l.loc,
                    &[Seg::Key("distinct_from"), Seg::Index(i)],
                    Part::Value,
                ),
                (None, Some(i)) => cx.at(
                    &target.loc,
                    &[Seg::Key("distinct_from"), Seg::Index(i)],
                    Part::Value,
                ),
                (None, None) => unreachable!("checked above"),
            };
            cx.err(
                Diagnostic::error(
                    "same-event-conflict",
                    format!(
                        "`{}` and `{other}` are said to be the same event and distinct events",
                        l.id
                    ),
                )
                .at(at, "the same event here")
                .note(Some(there), "distinct here")
                .help("keep `same_event_as` if they are one event, or `distinct_from` if they are two"),
            );
        }
    }
}

fn self_reference(cx: &mut Ctx<'_>, l: &SameEventLinks, path: &[Seg], field: &str) {
    let at = cx.at(&l.loc, path, Part::Value);
    cx.err(
        Diagnostic::error(
            "self-reference",
            format!("incident `{}` names itself in `{field}`", l.id),
        )
        .at(at, "this same incident")
        .help("name another incident's id"),
    );
}

#[cfg(test)]
pub(super) mod tests {
    use crate::content::{ClaimKind, Count, Site, TargetKind};
    use crate::diagnostic::Diagnostics;

    /// Validates a site made of `files` (path, text) plus a minimal site.yaml.
    pub(in crate::validate) fn validated(files: &[(&str, &str)]) -> (Option<Site>, Diagnostics) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.yaml"),
            "title: T\ndata_cutoff: \"2019\"\n",
        )
        .unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let config = crate::config::load(dir.path(), &Default::default()).unwrap();
        let (sources, _) = crate::load::read_sources(dir.path()).unwrap();
        let (raw, d) = crate::load::parse(&sources);
        assert!(d.is_empty(), "{}", d.render(false));
        let today = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        crate::validate::validate(raw, &sources, &config, today)
    }

    pub(in crate::validate) const GROUPS: [(&str, &str); 3] = [
        ("content/groups/aqim.md", "---\nname: AQIM\n---\n"),
        (
            "content/groups/mourabitoun.md",
            "---\nname: al-Mourabitoun\n---\n",
        ),
        ("content/groups/mnla.md", "---\nname: MNLA\n---\n"),
    ];

    /// An incident file with `extra` YAML lines.
    pub(in crate::validate) fn incident(name: &str, extra: &str) -> (String, String) {
        (
            format!("content/incidents/{name}.md"),
            format!(
                "---\ntitle: T\ndate: \"2016-01-15\"\nlocation: {{place: Ouagadougou, admin1: Centre, country: BF}}\nsources: [{{title: S}}]\n{extra}---\n"
            ),
        )
    }

    pub(in crate::validate) fn run(files: &[(String, String)]) -> (Option<Site>, Diagnostics) {
        let mut all: Vec<(&str, &str)> = GROUPS.to_vec();
        all.extend(files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        validated(&all)
    }

    pub(in crate::validate) fn codes(d: &Diagnostics) -> Vec<&'static str> {
        d.0.iter().map(|x| x.code).collect()
    }

    #[test]
    fn joint_claims_and_claimed_figures_are_read() {
        let (site, d) = run(&[incident(
            "a",
            "groups:\n  - {id: aqim, attribution: claimed, claimed_killed: 30, claimed_wounded: {min: 50}}\n  - {id: mourabitoun, attribution: claimed}\nclaims: joint\ntargets: [mnla]\n",
        )]);
        let site = site.unwrap_or_else(|| panic!("{}", d.render(false)));
        let i = &site.incidents[0];
        assert_eq!(i.claim_kind(), ClaimKind::Joint);
        assert_eq!(i.claims[0].claimed.killed, Some(Count::Exact { n: 30 }));
        assert_eq!(
            i.claims[0].claimed.wounded,
            Some(Count::Range { min: 50, max: None })
        );
        assert!(i.claims[1].claimed.is_empty());
        // `mnla` names a target, not a group: the group stays unused.
        assert_eq!(codes(&d), ["unused-group"]);
    }

    #[test]
    fn claims_need_two_claimants_and_a_known_word() {
        let (_, d) = run(&[incident(
            "a",
            "groups: [{id: aqim, attribution: claimed}, {id: mourabitoun, attribution: suspected}]\nclaims: joint\n",
        )]);
        assert_eq!(codes(&d), ["claims-without-claimants", "unused-group"]);
        assert!(d.0[0].label.contains("only `aqim`"), "{}", d.0[0].label);
        let (_, d) = run(&[incident(
            "a",
            "groups: [aqim, mourabitoun]\nattribution: claimed\nclaims: jiont\n",
        )]);
        assert_eq!(codes(&d), ["invalid-value", "unused-group"]);
        assert_eq!(d.0[0].help.as_deref(), Some("did you mean `joint`?"));
    }

    #[test]
    fn a_claimed_figure_needs_a_claim() {
        let (_, d) = run(&[incident(
            "a",
            "groups:\n  - {id: aqim, attribution: suspected, claimed_killed: 12}\n",
        )]);
        assert_eq!(
            codes(&d),
            [
                "claimed-figure-without-claim",
                "unused-group",
                "unused-group"
            ]
        );
        let l = d.0[0].location.as_ref().unwrap();
        assert_eq!((l.start.line, l.start.col), (7, 40));
        // Through the record's attribution, a plain claim is enough.
        let (site, d) = run(&[incident(
            "a",
            "attribution: claimed\ngroups:\n  - {id: aqim, claimed_killed: {min: 12, max: 10}}\n",
        )]);
        assert!(site.is_none());
        assert_eq!(codes(&d), ["invalid-range", "unused-group", "unused-group"]);
    }

    #[test]
    fn typed_targets_are_checked_and_a_targeted_group_is_used() {
        let (site, d) = run(&[incident(
            "a",
            "groups: [aqim, mourabitoun]\ntargets:\n  - civilians\n  - {actor: \"MNLA fighters\", kind: rebels, group: mnla}\n  - {actor: Soldiers, kind: state_forces}\n",
        )]);
        let site = site.unwrap_or_else(|| panic!("{}", d.render(false)));
        assert!(d.is_empty(), "{}", d.render(false));
        let t = &site.incidents[0].targets;
        assert_eq!(t.len(), 3);
        assert_eq!((t[0].actor.as_str(), t[0].kind), ("civilians", None));
        assert_eq!(t[1].group.as_deref(), Some("mnla"));
        assert_eq!(t[2].kind, Some(TargetKind::StateForces));

        let (_, d) = run(&[incident(
            "a",
            "groups: [aqim, mourabitoun, mnla]\ntargets:\n  - {actor: X, kind: state-forces, group: mnl}\n  - {kind: rebels}\n",
        )]);
        assert_eq!(
            codes(&d),
            ["invalid-value", "unknown-group", "missing-field"]
        );
        assert_eq!(d.0[0].help.as_deref(), Some("did you mean `state_forces`?"));
        assert_eq!(d.0[1].help.as_deref(), Some("did you mean `mnla`?"));
    }

    #[test]
    fn fatalities_below_their_parts_is_a_warning() {
        let (site, d) = run(&[incident(
            "a",
            "groups: [aqim, mourabitoun, mnla]\ncasualties: {killed: 5, attackers_killed: 4, fatalities: {min: 6, max: 8}}\n",
        )]);
        assert!(site.is_some());
        assert_eq!(codes(&d), ["fatalities-below-parts"]);
        let (site, d) = run(&[incident(
            "a",
            "groups: [aqim, mourabitoun, mnla]\ncasualties: {killed: 5, attackers_killed: unknown, fatalities: 9}\nadmin2: x\n".replace("admin2: x\n", "").as_str(),
        )]);
        assert!(d.is_empty(), "{}", d.render(false));
        assert_eq!(
            site.unwrap().incidents[0].casualties.fatalities,
            Some(Count::Exact { n: 9 })
        );
    }

    #[test]
    fn same_event_links_name_another_counted_record() {
        let g = "groups: [aqim, mourabitoun, mnla]\n";
        let (site, d) = run(&[
            incident("a", g),
            incident("b", &format!("{g}same_event_as: a\n")),
            incident("c", &format!("{g}distinct_from: [a, b]\n")),
        ]);
        let site = site.unwrap_or_else(|| panic!("{}", d.render(false)));
        assert!(d.is_empty(), "{}", d.render(false));
        assert_eq!(site.incidents[1].same_event_as.as_deref(), Some("a"));
        assert_eq!(site.incidents[2].distinct_from, ["a", "b"]);

        let (_, d) = run(&[
            incident("a", g),
            incident("b", &format!("{g}same_event_as: a\n")),
            incident("c", &format!("{g}same_event_as: b\n")),
            incident(
                "d",
                &format!("{g}same_event_as: d\ndistinct_from: [x-unknown, c]\n"),
            ),
            incident("e", &format!("{g}same_event_as: a\ndistinct_from: [a]\n")),
            incident("f", &format!("{g}same_event_as: aa\n")),
        ]);
        let mut d = d;
        d.0.retain(|x| x.code != "possible-duplicate");
        d.sort();
        assert_eq!(
            codes(&d),
            [
                "same-event-chain",
                "self-reference",
                "unknown-incident",
                "same-event-conflict",
                "unknown-incident"
            ],
            "{}",
            d.render(false)
        );
        assert_eq!(
            d.0[0].help.as_deref(),
            Some("point at the record that is counted: `same_event_as: a`")
        );
        assert_eq!(d.0[4].help.as_deref(), Some("did you mean `a`?"));
    }
}
