//! The validated, immutable content of a site: incidents, groups, briefings and pages.
//!
//! Built by `validate` from the raw on-disk shapes in [`raw`]; read by every later stage,
//! never modified after.

pub mod count;
pub mod country;
pub mod date;
pub mod frontmatter;
pub mod raw;
pub mod translation;

use serde::Serialize;

pub use count::{Count, Tally, Trend};
pub use date::{PartialDate, Precision};
pub use translation::{Coverage, RecordKind, Translation, Translations};

/// Where a record came from, for diagnostics found after validation (e.g. `@` links).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// Index of the file in the loaded sources.
    pub file: usize,
    /// Byte offset of the Markdown body in the file.
    pub body_offset: usize,
}

/// How an incident is attributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Attribution {
    /// A group claimed it.
    Claimed,
    /// A group is blamed, without a claim.
    Suspected,
    /// Nobody claimed it and nobody is blamed.
    Unattributed,
    /// A claim or a blame that others contest (e.g. a claim the group later denied).
    Disputed,
}

impl Attribution {
    /// The allowed words for an incident's `attribution`.
    pub const ALL: &'static [&'static str] = &["claimed", "suspected", "unattributed", "disputed"];

    /// The allowed words for the `attribution` of one group (a group is always named, so it
    /// cannot be unattributed).
    pub const GROUP: &'static [&'static str] = &["claimed", "suspected", "disputed"];

    /// Parses one of [`Self::ALL`].
    pub fn parse(s: &str) -> Option<Attribution> {
        match s {
            "claimed" => Some(Attribution::Claimed),
            "suspected" => Some(Attribution::Suspected),
            "unattributed" => Some(Attribution::Unattributed),
            "disputed" => Some(Attribution::Disputed),
            _ => None,
        }
    }

    /// The word as written.
    pub fn as_str(&self) -> &'static str {
        match self {
            Attribution::Claimed => "claimed",
            Attribution::Suspected => "suspected",
            Attribution::Unattributed => "unattributed",
            Attribution::Disputed => "disputed",
        }
    }
}

/// How one group is tied to an incident: an entry of `groups`, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupClaim {
    /// Group id (exists).
    pub id: String,
    /// The group's own `attribution`, else the record's, else unattributed.
    pub attribution: Attribution,
    /// When the group claimed it.
    pub claim_date: Option<PartialDate>,
    /// How it claimed it ("statement", "video", …).
    pub claim_medium: Option<String>,
    /// The group's own figures (`claimed_killed`, …): only on a `claimed` tie, shown beside
    /// the independent figures and never added to any total.
    pub claimed: ClaimedFigures,
}

/// What a group said it killed, wounded or captured, in its claim.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ClaimedFigures {
    /// `claimed_killed`.
    pub killed: Option<Count>,
    /// `claimed_wounded`.
    pub wounded: Option<Count>,
    /// `claimed_captured`.
    pub captured: Option<Count>,
}

impl ClaimedFigures {
    /// No figure claimed.
    pub fn is_empty(&self) -> bool {
        self.killed.is_none() && self.wounded.is_none() && self.captured.is_none()
    }
}

/// How two or more claims of one incident relate (YAML key `claims`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimRelation {
    /// The claimants claimed it together (one joint statement, or statements naming each
    /// other), as AQIM and al-Mourabitoun claimed Ouagadougou in January 2016.
    Joint,
    /// Each claimant says it alone did it.
    Competing,
}

impl ClaimRelation {
    /// The allowed words.
    pub const ALL: &'static [&'static str] = &["joint", "competing"];

    /// Parses one of [`Self::ALL`].
    pub fn parse(s: &str) -> Option<ClaimRelation> {
        match s {
            "joint" => Some(ClaimRelation::Joint),
            "competing" => Some(ClaimRelation::Competing),
            _ => None,
        }
    }

    /// The word as written.
    pub fn as_str(&self) -> &'static str {
        match self {
            ClaimRelation::Joint => "joint",
            ClaimRelation::Competing => "competing",
        }
    }
}

/// How an incident is claimed, all claims taken together: what its words should say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimKind {
    /// No group claimed it.
    None,
    /// One group claimed it.
    Single,
    /// Two or more claimed it together (`claims: joint`).
    Joint,
    /// Two or more each claimed it alone (`claims: competing`).
    Competing,
    /// Two or more claimed it and the record does not say how the claims relate: neutral
    /// words, neither "jointly" nor "competing".
    Several,
}

/// The kind of actor a target is, after ACLED's `inter` codes 1–8 (in that order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// 1: state forces (army, police, gendarmerie).
    StateForces,
    /// 2: rebel groups.
    Rebels,
    /// 3: political militias.
    PoliticalMilitia,
    /// 4: identity (communal, ethnic) militias.
    IdentityMilitia,
    /// 5: rioters.
    Rioters,
    /// 6: protesters.
    Protesters,
    /// 7: civilians.
    Civilians,
    /// 8: external or other forces (peacekeepers, foreign troops, contractors).
    ExternalForces,
}

impl TargetKind {
    /// The allowed words, in ACLED `inter` order.
    pub const ALL: &'static [&'static str] = &[
        "state_forces",
        "rebels",
        "political_militia",
        "identity_militia",
        "rioters",
        "protesters",
        "civilians",
        "external_forces",
    ];

    const VARIANTS: [TargetKind; 8] = [
        TargetKind::StateForces,
        TargetKind::Rebels,
        TargetKind::PoliticalMilitia,
        TargetKind::IdentityMilitia,
        TargetKind::Rioters,
        TargetKind::Protesters,
        TargetKind::Civilians,
        TargetKind::ExternalForces,
    ];

    /// Parses one of [`Self::ALL`].
    pub fn parse(s: &str) -> Option<TargetKind> {
        Self::ALL
            .iter()
            .position(|w| *w == s)
            .map(|i| Self::VARIANTS[i])
    }

    /// The word as written.
    pub fn as_str(&self) -> &'static str {
        Self::ALL[self.inter() as usize - 1]
    }

    /// ACLED's `inter` code, 1–8.
    pub fn inter(&self) -> u8 {
        match self {
            TargetKind::StateForces => 1,
            TargetKind::Rebels => 2,
            TargetKind::PoliticalMilitia => 3,
            TargetKind::IdentityMilitia => 4,
            TargetKind::Rioters => 5,
            TargetKind::Protesters => 6,
            TargetKind::Civilians => 7,
            TargetKind::ExternalForces => 8,
        }
    }

    /// The kind of ACLED `inter` code `n`, if it is one (1–8).
    pub fn from_inter(n: u8) -> Option<TargetKind> {
        Self::VARIANTS.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// In words, for prose: "state forces", "external forces".
    pub fn label(&self) -> &'static str {
        match self {
            TargetKind::StateForces => "state forces",
            TargetKind::Rebels => "rebels",
            TargetKind::PoliticalMilitia => "political militia",
            TargetKind::IdentityMilitia => "identity militia",
            TargetKind::Rioters => "rioters",
            TargetKind::Protesters => "protesters",
            TargetKind::Civilians => "civilians",
            TargetKind::ExternalForces => "external forces",
        }
    }
}

/// Who or what an incident targeted: a plain name as before, or a typed actor, possibly a
/// profiled group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// The actor as named ("Malian armed forces", "civilians").
    pub actor: String,
    /// Its kind, when given.
    pub kind: Option<TargetKind>,
    /// The profiled group targeted, when it is one (exists).
    pub group: Option<String>,
}

impl From<&str> for Target {
    /// A plain name, as `targets: [civilians]` gives it.
    fn from(actor: &str) -> Target {
        Target {
            actor: actor.to_string(),
            kind: None,
            group: None,
        }
    }
}

/// How precisely an incident's place is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlacePrecision {
    /// At the coordinates given.
    Exact,
    /// Near the named place.
    Near,
    /// Somewhere in the first-level region.
    Region,
    /// Somewhere in the country.
    Country,
}

impl PlacePrecision {
    /// The allowed words.
    pub const ALL: &'static [&'static str] = &["exact", "near", "region", "country"];

    /// Parses one of [`Self::ALL`].
    pub fn parse(s: &str) -> Option<PlacePrecision> {
        match s {
            "exact" => Some(PlacePrecision::Exact),
            "near" => Some(PlacePrecision::Near),
            "region" => Some(PlacePrecision::Region),
            "country" => Some(PlacePrecision::Country),
            _ => None,
        }
    }

    /// The word as written.
    pub fn as_str(&self) -> &'static str {
        match self {
            PlacePrecision::Exact => "exact",
            PlacePrecision::Near => "near",
            PlacePrecision::Region => "region",
            PlacePrecision::Country => "country",
        }
    }

    /// The precision of a location that does not state one: `exact` with coordinates,
    /// else as fine as the most precise name given.
    pub fn default_for(has_coords: bool, has_place: bool, has_admin1: bool) -> PlacePrecision {
        if has_coords {
            PlacePrecision::Exact
        } else if has_place {
            PlacePrecision::Near
        } else if has_admin1 {
            PlacePrecision::Region
        } else {
            PlacePrecision::Country
        }
    }
}

/// A group's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Operating.
    Active,
    /// Merged into another group.
    Merged,
    /// No longer operating.
    Defunct,
}

impl Status {
    /// The allowed words.
    pub const ALL: &'static [&'static str] = &["active", "merged", "defunct"];

    /// Parses one of [`Self::ALL`].
    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "active" => Some(Status::Active),
            "merged" => Some(Status::Merged),
            "defunct" => Some(Status::Defunct),
            _ => None,
        }
    }
}

/// Where an incident happened.
#[derive(Debug, Clone, Serialize)]
pub struct Location {
    /// Town, village or site.
    pub place: Option<String>,
    /// First-level administrative region.
    pub admin1: Option<String>,
    /// Second-level administrative region (ACLED's `admin2`: cercle, province, department).
    pub admin2: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// Coordinates, when both are known.
    pub coords: Option<(f64, f64)>,
    /// How precisely the place is known (always filled: written or derived).
    pub precision: PlacePrecision,
}

/// Casualty figures of an incident.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Casualties {
    /// Killed (victims).
    pub killed: Option<Count>,
    /// Wounded.
    pub wounded: Option<Count>,
    /// Captured or kidnapped.
    pub captured: Option<Count>,
    /// Attackers killed, never added to the victims.
    pub attackers_killed: Option<Count>,
    /// Every death, victims and attackers not separated (ACLED's `fatalities`): never added
    /// to the victims, counted apart.
    pub fatalities: Option<Count>,
}

impl Casualties {
    /// The deaths are known only as the not-separated `fatalities` figure: neither
    /// `killed` nor `attackers_killed` gives a number. Only then is `fatalities` counted
    /// (see [`count::Totals`]); otherwise its parts are counted and it would count them twice.
    pub fn fatalities_only(&self) -> bool {
        let known = |c: &Option<Count>| c.as_ref().and_then(Count::min).is_some();
        self.fatalities.is_some() && !known(&self.killed) && !known(&self.attackers_killed)
    }
}

/// A cited source.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// Title of the article or document.
    pub title: String,
    /// Link, if any (always http or https).
    pub url: Option<String>,
    /// Outlet.
    pub publisher: Option<String>,
    /// Publication date.
    pub date: Option<PartialDate>,
}

/// One incident record.
#[derive(Debug, Clone)]
pub struct Incident {
    /// Unique id, `[a-z0-9-]+`.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Start date.
    pub date: PartialDate,
    /// End date.
    pub end_date: Option<PartialDate>,
    /// Where.
    pub location: Location,
    /// Group ids (all exist).
    pub groups: Vec<String>,
    /// How each group of `groups` is tied to it (same length and order).
    pub claims: Vec<GroupClaim>,
    /// How sure the attribution is, for the record as a whole.
    pub attribution: Option<Attribution>,
    /// How two or more claims relate (YAML `claims`); only with two or more claimants.
    pub claim_relation: Option<ClaimRelation>,
    /// Event type key (in the site's vocabulary).
    pub event_type: Option<String>,
    /// Targets, as written (plain names become a `Target` with no kind and no group).
    pub targets: Vec<Target>,
    /// Casualty figures.
    pub casualties: Casualties,
    /// Tags.
    pub tags: Vec<String>,
    /// One-sentence summary.
    pub summary: Option<String>,
    /// Sources.
    pub sources: Vec<Source>,
    /// Ids of incidents this one is known not to duplicate (silences `possible-duplicate`).
    pub distinct_from: Vec<String>,
    /// The incident this record describes again (exists, is not itself linked on): this
    /// record is published but counted in no total; the other one is.
    pub same_event_as: Option<String>,
    /// Draft (only present with `--drafts`).
    pub draft: bool,
    /// Markdown body.
    pub body: String,
    /// Where it came from.
    pub origin: Origin,
}

impl Incident {
    /// How many different groups claimed it.
    pub fn claimants(&self) -> usize {
        let mut ids: Vec<&str> = self
            .claims
            .iter()
            .filter(|c| c.attribution == Attribution::Claimed)
            .map(|c| c.id.as_str())
            .collect();
        // Ids are distinct in valid content, but a repeated id is still one claimant.
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }

    /// How its claims read together (see [`ClaimKind`]).
    pub fn claim_kind(&self) -> ClaimKind {
        match (self.claimants(), self.claim_relation) {
            (0, _) => ClaimKind::None,
            (1, _) => ClaimKind::Single,
            (_, Some(ClaimRelation::Joint)) => ClaimKind::Joint,
            (_, Some(ClaimRelation::Competing)) => ClaimKind::Competing,
            (_, None) => ClaimKind::Several,
        }
    }

    /// Two or more groups each claim it alone (`claims: competing`). Two claims without
    /// `claims:` are not called competing: joint claims are routine.
    pub fn competing_claim(&self) -> bool {
        self.claim_kind() == ClaimKind::Competing
    }

    /// Counted in totals, charts and digests: not after the cutoff, and not a second
    /// record of an event counted through another record (`same_event_as`).
    pub fn counted(&self, cutoff: Option<&PartialDate>) -> bool {
        !self.after_cutoff(cutoff) && self.same_event_as.is_none()
    }

    /// Dated after the cutoff, compared at the coarser precision of the two
    /// (an incident in 2017-06 is not after a cutoff of 2017-06-30).
    pub fn after_cutoff(&self, cutoff: Option<&PartialDate>) -> bool {
        cutoff.is_some_and(|c| self.date.cmp_coarse(c).is_gt())
    }
}

/// A leader's term.
#[derive(Debug, Clone, Serialize)]
pub struct Leader {
    /// Name.
    pub name: String,
    /// Role.
    pub role: Option<String>,
    /// Start of term.
    pub from: Option<PartialDate>,
    /// End of term.
    pub to: Option<PartialDate>,
}

/// One armed-group profile.
#[derive(Debug, Clone)]
pub struct Group {
    /// Unique id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Abbreviation.
    pub short_name: Option<String>,
    /// Other names.
    pub aliases: Vec<String>,
    /// Founding date.
    pub founded: Option<PartialDate>,
    /// Dissolution date.
    pub dissolved: Option<PartialDate>,
    /// State.
    pub status: Option<Status>,
    /// Affiliated group ids.
    pub affiliations: Vec<String>,
    /// Groups merged to form this one.
    pub merged_from: Vec<String>,
    /// Group this merged into.
    pub merged_into: Option<String>,
    /// Leaders.
    pub leaders: Vec<Leader>,
    /// Country codes.
    pub area: Vec<String>,
    /// Ideology.
    pub ideology: Option<String>,
    /// The name ACLED uses for this actor.
    pub acled_actor: Option<String>,
    /// ACLED's actor type code (1–8).
    pub inter: Option<u8>,
    /// Relationships as written in this group's file (inverses are in the index).
    pub relationships: Vec<Relationship>,
    /// Profile in Markdown.
    pub body: String,
    /// Where it came from.
    pub origin: Origin,
}

/// The kind of a relationship between two groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// Fight on the same side.
    Ally,
    /// Fight each other.
    Rival,
    /// Formally affiliated.
    Affiliate,
    /// Broke away from the other group.
    SplinterOf,
    /// Pledged allegiance to the other group.
    PledgedTo,
}

impl RelationKind {
    /// The allowed words.
    pub const ALL: &'static [&'static str] =
        &["ally", "rival", "affiliate", "splinter_of", "pledged_to"];

    /// Parses one of [`Self::ALL`].
    pub fn parse(s: &str) -> Option<RelationKind> {
        match s {
            "ally" => Some(RelationKind::Ally),
            "rival" => Some(RelationKind::Rival),
            "affiliate" => Some(RelationKind::Affiliate),
            "splinter_of" => Some(RelationKind::SplinterOf),
            "pledged_to" => Some(RelationKind::PledgedTo),
            _ => None,
        }
    }

    /// The word as written in YAML.
    pub fn as_str(&self) -> &'static str {
        match self {
            RelationKind::Ally => "ally",
            RelationKind::Rival => "rival",
            RelationKind::Affiliate => "affiliate",
            RelationKind::SplinterOf => "splinter_of",
            RelationKind::PledgedTo => "pledged_to",
        }
    }

    /// Reads before the other group's name on the group that wrote it: "splinter of ISGS".
    pub fn label(&self) -> &'static str {
        match self {
            RelationKind::Ally => "ally of",
            RelationKind::Rival => "rival of",
            RelationKind::Affiliate => "affiliate of",
            RelationKind::SplinterOf => "splinter of",
            RelationKind::PledgedTo => "pledged allegiance to",
        }
    }

    /// Reads before the writer's name on the other group: "splinter group ISGS".
    pub fn inverse_label(&self) -> &'static str {
        match self {
            RelationKind::Ally => "ally of",
            RelationKind::Rival => "rival of",
            RelationKind::Affiliate => "affiliate of",
            RelationKind::SplinterOf => "splinter group",
            RelationKind::PledgedTo => "received a pledge from",
        }
    }

    /// The same both ways (ally, rival, affiliate): either side may write it.
    pub fn symmetric(&self) -> bool {
        matches!(
            self,
            RelationKind::Ally | RelationKind::Rival | RelationKind::Affiliate
        )
    }
}

/// A typed, dated relationship from the group that writes it to `group`.
#[derive(Debug, Clone, Serialize)]
pub struct Relationship {
    /// The other group's id (exists, not the writer).
    pub group: String,
    /// What the relationship is.
    pub kind: RelationKind,
    /// Since when.
    pub from: Option<PartialDate>,
    /// Until when.
    pub to: Option<PartialDate>,
    /// Context.
    pub note: Option<String>,
    /// Where it is documented.
    pub sources: Vec<Source>,
}

impl Relationship {
    /// Says the same as `other`, written on the other group's side: the same symmetric kind,
    /// and the same `from` and `to` wherever both give them (at the coarser precision).
    pub fn agrees_with(&self, other: &Relationship) -> bool {
        let same = |a: Option<PartialDate>, b: Option<PartialDate>| match (a, b) {
            (Some(a), Some(b)) => a.cmp_coarse(&b).is_eq(),
            _ => true,
        };
        self.kind == other.kind
            && self.kind.symmetric()
            && same(self.from, other.from)
            && same(self.to, other.to)
    }

    /// The two periods share some time (a missing end is open). Periods that only touch,
    /// one ending in the month the other begins (`to: 2019-07`, `from: 2019-07`), do not
    /// overlap: that is how a switch of sides is written.
    pub fn overlaps(&self, other: &Relationship) -> bool {
        let before = |a: Option<PartialDate>, b: Option<PartialDate>| match (a, b) {
            (Some(a), Some(b)) => a.cmp_coarse(&b).is_lt(),
            _ => true,
        };
        before(self.from, other.to) && before(other.from, self.to)
    }
}

impl Group {
    /// The short name if there is one, else the full name.
    pub fn label(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }
}

/// An analytical briefing.
#[derive(Debug, Clone)]
pub struct Briefing {
    /// Unique id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Publication date.
    pub date: PartialDate,
    /// Authors.
    pub authors: Vec<String>,
    /// Standfirst.
    pub summary: Option<String>,
    /// Groups discussed (ids).
    pub groups: Vec<String>,
    /// Incidents cited (ids).
    pub incidents: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// The date the briefing's data runs to.
    pub data_cutoff: Option<PartialDate>,
    /// Draft.
    pub draft: bool,
    /// Analysis in Markdown.
    pub body: String,
    /// Where it came from.
    pub origin: Origin,
}

/// A free page (about, methodology) or the home page introduction.
#[derive(Debug, Clone)]
pub struct Page {
    /// Id = file stem; the page lives at `/<id>/`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Meta description.
    pub description: Option<String>,
    /// Markdown body.
    pub body: String,
    /// Where it came from.
    pub origin: Origin,
}

/// An analyst's assessment of one country's month (`content/digests/<cc>/<yyyy-mm>.md`),
/// shown on that month's digest instead of the computed trend, marked as an assessment.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// Upper-case ISO 3166-1 alpha-2 code (the folder name).
    pub country: String,
    /// (year, month 1–12) (the file stem).
    pub month: (i32, u32),
    /// The analyst's word for the month.
    pub trend: Trend,
    /// Who assessed it.
    pub author: Option<String>,
    /// The assessment in Markdown.
    pub body: String,
    /// Where it came from.
    pub origin: Origin,
}

impl Assessment {
    /// `YYYY-MM`, as in the digest's URL.
    pub fn month_iso(&self) -> String {
        format!("{:04}-{:02}", self.month.0, self.month.1)
    }
}

/// Everything the site publishes, sorted: incidents oldest first (ties by id), groups,
/// briefings and pages by id, assessments by country then month.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// Incidents in chronological order.
    pub incidents: Vec<Incident>,
    /// Groups by id.
    pub groups: Vec<Group>,
    /// Briefings by date, newest last.
    pub briefings: Vec<Briefing>,
    /// Free pages by id.
    pub pages: Vec<Page>,
    /// Home page introduction (`content/_index.md`).
    pub home: Option<Page>,
    /// Analysts' monthly assessments, by country then month.
    pub assessments: Vec<Assessment>,
    /// Records' words in the site's other languages.
    pub translations: Translations,
}

impl Site {
    /// Position of a group in `groups` (sorted by id, so this is a binary search).
    pub fn group_pos(&self, id: &str) -> Option<usize> {
        self.groups.binary_search_by(|g| g.id.as_str().cmp(id)).ok()
    }

    /// Finds a group by id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.group_pos(id).map(|i| &self.groups[i])
    }

    /// The analyst's assessment of `country`'s month, if there is one.
    pub fn assessment(&self, country: &str, month: (i32, u32)) -> Option<&Assessment> {
        self.assessments
            .binary_search_by(|a| (a.country.as_str(), a.month).cmp(&(country, month)))
            .ok()
            .map(|i| &self.assessments[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    fn claim(id: &str, attribution: Attribution) -> GroupClaim {
        GroupClaim {
            id: id.into(),
            attribution,
            claim_date: None,
            claim_medium: None,
            claimed: ClaimedFigures::default(),
        }
    }

    fn incident(d: &str, claims: Vec<GroupClaim>) -> Incident {
        Incident {
            id: "x".into(),
            title: "T".into(),
            date: date(d),
            end_date: None,
            location: Location {
                place: None,
                admin1: None,
                admin2: None,
                country: "ML".into(),
                coords: None,
                precision: PlacePrecision::Country,
            },
            groups: claims.iter().map(|c| c.id.clone()).collect(),
            claims,
            attribution: None,
            claim_relation: None,
            event_type: None,
            targets: vec![],
            casualties: Casualties::default(),
            tags: vec![],
            summary: None,
            sources: vec![],
            distinct_from: vec![],
            same_event_as: None,
            draft: false,
            body: String::new(),
            origin: Origin {
                file: 0,
                body_offset: 0,
            },
        }
    }

    #[test]
    fn precision_defaults_to_the_finest_thing_given() {
        use PlacePrecision as P;
        assert_eq!(P::default_for(true, true, true), P::Exact);
        assert_eq!(P::default_for(true, false, false), P::Exact);
        assert_eq!(P::default_for(false, true, true), P::Near);
        assert_eq!(P::default_for(false, false, true), P::Region);
        assert_eq!(P::default_for(false, false, false), P::Country);
        for w in P::ALL {
            assert_eq!(P::parse(w).map(|p| p.as_str()), Some(*w));
        }
    }

    #[test]
    fn only_claims_competing_makes_a_competing_claim() {
        use Attribution::*;
        let one = incident(
            "2017",
            vec![claim("jnim", Claimed), claim("isgs", Suspected)],
        );
        assert_eq!(one.claim_kind(), ClaimKind::Single);
        assert!(!one.competing_claim());
        // Two claimants and no `claims:`: several claims, read neutrally.
        let mut two = incident("2017", vec![claim("jnim", Claimed), claim("isgs", Claimed)]);
        assert_eq!(two.claim_kind(), ClaimKind::Several);
        assert!(!two.competing_claim());
        two.claim_relation = Some(ClaimRelation::Joint);
        assert_eq!(two.claim_kind(), ClaimKind::Joint);
        assert!(!two.competing_claim());
        two.claim_relation = Some(ClaimRelation::Competing);
        assert_eq!(two.claim_kind(), ClaimKind::Competing);
        assert!(two.competing_claim());
        let disputed = incident(
            "2017",
            vec![claim("jnim", Claimed), claim("isgs", Disputed)],
        );
        assert_eq!(disputed.claim_kind(), ClaimKind::Single);
        let mut same = incident("2017", vec![claim("jnim", Claimed), claim("jnim", Claimed)]);
        same.claim_relation = Some(ClaimRelation::Competing);
        assert_eq!(
            same.claim_kind(),
            ClaimKind::Single,
            "one claimant named twice"
        );
        assert_eq!(incident("2017", vec![]).claim_kind(), ClaimKind::None);
    }

    #[test]
    fn target_kinds_follow_acled_inter_codes() {
        for (i, w) in TargetKind::ALL.iter().enumerate() {
            let k = TargetKind::parse(w).unwrap();
            assert_eq!(k.as_str(), *w);
            assert_eq!(usize::from(k.inter()), i + 1);
            assert_eq!(TargetKind::from_inter(k.inter()), Some(k));
        }
        assert_eq!(TargetKind::from_inter(0), None);
        assert_eq!(TargetKind::from_inter(9), None);
        assert_eq!(TargetKind::parse("state forces"), None);
    }

    #[test]
    fn same_event_records_and_records_after_the_cutoff_are_not_counted() {
        let cutoff = date("2017-06-30");
        let mut i = incident("2017-06", vec![]);
        assert!(i.counted(Some(&cutoff)));
        i.same_event_as = Some("other".into());
        assert!(!i.counted(Some(&cutoff)));
        assert!(!i.counted(None));
        let late = incident("2017-07", vec![]);
        assert!(!late.counted(Some(&cutoff)));
        assert!(late.counted(None));
    }

    #[test]
    fn fatalities_count_only_when_the_parts_are_not_given() {
        let n = |n| Some(Count::Exact { n });
        let c = |killed, attackers_killed, fatalities| Casualties {
            killed,
            attackers_killed,
            fatalities,
            ..Casualties::default()
        };
        assert!(c(None, None, n(9)).fatalities_only());
        assert!(c(Some(Count::Unknown), None, n(9)).fatalities_only());
        assert!(!c(n(5), None, n(9)).fatalities_only());
        assert!(!c(None, n(4), n(9)).fatalities_only());
        assert!(!c(None, None, None).fatalities_only());
    }

    #[test]
    fn after_cutoff_compares_at_the_coarser_precision() {
        let cutoff = date("2017-06-30");
        assert!(!incident("2017-06", vec![]).after_cutoff(Some(&cutoff)));
        assert!(!incident("2017", vec![]).after_cutoff(Some(&cutoff)));
        assert!(!incident("2017-06-30", vec![]).after_cutoff(Some(&cutoff)));
        assert!(incident("2017-07-01", vec![]).after_cutoff(Some(&cutoff)));
        assert!(incident("2017-07", vec![]).after_cutoff(Some(&cutoff)));
        assert!(incident("2018", vec![]).after_cutoff(Some(&cutoff)));
        assert!(!incident("2099", vec![]).after_cutoff(None));
        // A month cutoff keeps the whole month.
        assert!(!incident("2017-06-30", vec![]).after_cutoff(Some(&date("2017-06"))));
    }

    #[test]
    fn relation_words_read_both_ways() {
        for w in RelationKind::ALL {
            let k = RelationKind::parse(w).unwrap();
            assert_eq!(k.as_str(), *w);
            assert_eq!(k.symmetric(), k.label() == k.inverse_label(), "{w}");
        }
        assert_eq!(RelationKind::SplinterOf.inverse_label(), "splinter group");
        assert_eq!(
            RelationKind::PledgedTo.inverse_label(),
            "received a pledge from"
        );
    }

    #[test]
    fn coarser_dates_are_not_before_finer_ones_in_the_same_period() {
        // The rule behind before-founded: an incident in March 2017 may follow a founding
        // on 2 March 2017.
        assert!(date("2017-03").cmp_coarse(&date("2017-03-02")).is_eq());
        assert!(date("2017-03-01").cmp_coarse(&date("2017-03-02")).is_lt());
        assert!(date("2017-02").cmp_coarse(&date("2017-03-02")).is_lt());
    }
}
