//! Turns raw records into the validated [`Site`], checking every rule of the content format
//! and collecting every problem (never stopping at the first).
//!
//! Pure: takes parsed records and the config, returns the site or all diagnostics; reads no
//! file. The cross-reference tables ([`refs`]) are built first; then each record kind is
//! checked by its own module ([`group`], [`incident`], [`briefing`], [`page`], [`digest`]),
//! each destructuring its raw type, in the order that makes "did you mean" and "unused"
//! answers stable; then the checks over the whole site ([`duplicates`], [`at_links`]). The
//! checks every kind shares are [`ctx::Ctx`]'s.

use crate::config::Config;
use crate::content::Site;
use crate::diagnostic::Diagnostics;
use crate::load::{RawSite, Sources};

mod at_links;
mod briefing;
mod ctx;
mod digest;
pub mod duplicates;
mod group;
mod incident;
mod page;
mod place;
mod refs;
mod sources;
mod translation;

pub use duplicates::may_repeat;
pub use page::RESERVED_PAGE_IDS;
pub(crate) use translation::stale as stale_translations;

/// The longest id or tag slug, in bytes (moved to [`crate::ids`]).
pub use crate::ids::MAX_NAME_BYTES;

/// Moved to [`crate::ids::slug`]; re-exported only for `rebuild.rs` and `render/mod.rs`, which
/// other work is rewriting (issue 16). New code imports `crate::ids::slug`.
#[doc(hidden)]
pub use crate::ids::slug;

/// Validates the whole raw site. Returns the site when there are no errors, and every
/// diagnostic (errors and warnings) in any case.
pub fn validate(
    raw: RawSite,
    sources: &Sources,
    config: &Config,
    today: chrono::NaiveDate,
) -> (Option<Site>, Diagnostics) {
    let mut cx = ctx::Ctx::new(sources);
    let drafts = config.drafts;
    // Bodies are checked last, against every id; taken now, before the records are used.
    let bodies = at_links::bodies(&raw, drafts);
    let unparsed_by_kind = at_links::unparsed(&raw);
    let written = translation::Written::of(&raw, &cx);
    let RawSite {
        incidents,
        groups,
        briefings,
        pages,
        home,
        assessments,
        translations,
        unparsed,
    } = raw;
    let (refs, ided) = refs::build(&mut cx, &unparsed, groups, incidents, briefings, drafts);
    let checks = refs::GroupRefs::new(&refs);

    let groups = group::groups(&mut cx, &refs, &checks, ided.groups);
    let with = incident::Against {
        config,
        today,
        groups: &groups,
        refs: &refs,
        checks: &checks,
    };
    let incidents = incident::incidents(&mut cx, &with, ided.incidents);
    duplicates::check(&mut cx, &incidents, &refs.incidents);
    // After the incidents (which name groups) and before the briefings, whose references
    // do not make a group used.
    group::unused(&mut cx, &refs, &groups);
    let briefings = briefing::briefings(&mut cx, &refs, &checks, ided.briefings);
    let pages = page::pages(&mut cx, pages, drafts);
    let home = page::home(home);
    let assessments = digest::assessments(&mut cx, assessments, config, today);
    let records = translation::Records {
        incidents: &incidents,
        groups: &groups,
        briefings: &briefings,
        pages: &pages,
        home: home.as_ref(),
    };
    let translations = translation::translations(&mut cx, config, translations, &written, &records);

    let known = at_links::Known {
        incidents: &refs.incidents,
        valid: &incidents,
        drafts: &refs.draft_incidents,
        groups: &refs.groups,
        briefings: &refs.briefings,
        pages: pages.iter().map(|p| p.id.as_str()).collect(),
        unparsed: unparsed_by_kind,
        incident_ids_lost: refs.incident_ids_lost,
    };
    let all = cx.diags.has_errors();
    at_links::check(&mut cx, sources, &bodies, &known, all);

    let diags = cx.diags;
    if diags.has_errors() {
        return (None, diags);
    }
    (
        Some(Site {
            incidents,
            groups,
            briefings,
            pages,
            home,
            assessments,
            translations,
        }),
        diags,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Attribution, PlacePrecision};

    /// Validates a site made of `files` (path, text) plus a minimal site.yaml.
    fn validated(files: &[(&str, &str)]) -> (Option<Site>, Diagnostics) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), "title: T\n").unwrap();
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
        validate(raw, &sources, &config, today)
    }

    const GROUPS: [(&str, &str); 2] = [
        ("content/groups/jnim.md", "---\nname: JNIM\n---\n"),
        ("content/groups/isgs.md", "---\nname: ISGS\n---\n"),
    ];

    #[test]
    fn each_group_takes_its_own_attribution_else_the_records() {
        let inc = "---\ntitle: T\ndate: \"2017-06\"\nlocation: {admin1: Mopti, country: ML}\nattribution: claimed\ngroups:\n  - jnim\n  - {id: isgs, attribution: suspected, claim_medium: \" \"}\nsources: [{title: S}]\n---\n";
        let (site, d) = validated(&[GROUPS[0], GROUPS[1], ("content/incidents/a.md", inc)]);
        let site = site.unwrap_or_else(|| panic!("{}", d.render(false)));
        let i = &site.incidents[0];
        assert_eq!(i.groups, ["jnim", "isgs"]);
        let words: Vec<_> = i
            .claims
            .iter()
            .map(|c| (c.id.as_str(), c.attribution))
            .collect();
        assert_eq!(
            words,
            [
                ("jnim", Attribution::Claimed),
                ("isgs", Attribution::Suspected)
            ]
        );
        assert_eq!(i.claims[1].claim_medium, None, "blank medium is none");
        assert!(!i.competing_claim());
        assert_eq!(i.location.precision, PlacePrecision::Region);

        // No record attribution: a plain id is unattributed, an object keeps its own word.
        let inc = inc
            .replace("attribution: claimed\n", "")
            .replace("suspected", "claimed");
        let (site, _) = validated(&[GROUPS[0], GROUPS[1], ("content/incidents/a.md", &inc)]);
        let i = &site.unwrap().incidents[0];
        assert_eq!(i.claims[0].attribution, Attribution::Unattributed);
        assert_eq!(i.claims[1].attribution, Attribution::Claimed);
    }

    #[test]
    fn written_precision_wins_over_the_default() {
        let inc = |loc: &str| {
            format!(
                "---\ntitle: T\ndate: \"2017\"\nlocation: {loc}\ngroups: [jnim, isgs]\nsources: [{{title: S}}]\n---\n"
            )
        };
        for (loc, want) in [
            (
                "{place: Boni, country: ML, lat: 15.03, lon: -2.22}",
                PlacePrecision::Exact,
            ),
            ("{place: Boni, country: ML}", PlacePrecision::Near),
            ("{country: ML}", PlacePrecision::Country),
            (
                "{place: Boni, country: ML, lat: 15.03, lon: -2.22, precision: near}",
                PlacePrecision::Near,
            ),
        ] {
            let (site, d) =
                validated(&[GROUPS[0], GROUPS[1], ("content/incidents/a.md", &inc(loc))]);
            let site = site.unwrap_or_else(|| panic!("{}", d.render(false)));
            assert_eq!(site.incidents[0].location.precision, want, "{loc}");
            assert!(d.is_empty(), "{}", d.render(false));
        }
    }
}
