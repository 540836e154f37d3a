//! The typed views templates receive: one struct per page kind, built from the site and its
//! indexes. Every path is relative to the site root (e.g. `groups/jnim/`); templates prefix
//! it with `root`, which makes links work under any base path and from the file system.
//!
//! docs/themes.md lists every field; keep the two in step.

use serde::Serialize;

/// Totals as counted, before display.
pub use crate::content::count::Totals as CountTotals;
use crate::content::date::DateView;
use crate::content::{Count, PartialDate, Precision};

/// Site-wide values, the same on every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteMeta {
    /// Site title.
    pub title: String,
    /// One-line description.
    pub description: String,
    /// BCP 47 language.
    pub language: String,
    /// Author or institution.
    pub author: Option<String>,
    /// Absolute base URL ending in `/`.
    pub base_url: String,
    /// The site's main sections for the menu (Incidents, Groups, …), from `routes`.
    pub sections: Vec<Link>,
    /// Free pages for the navigation (about, methodology).
    pub pages: Vec<Link>,
    /// Build year range shown in the footer ("2015–2017"), from the data.
    pub coverage: Option<String>,
    /// True when Atom feeds and the sitemap are written (they need an absolute `base_url`).
    pub feeds: bool,
    /// The date the site's data is complete to (`data_cutoff` in site.yaml): pages with
    /// totals, charts and maps say "Data as of …".
    pub data_cutoff: Option<DateView>,
}

/// A titled link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Text.
    pub title: String,
    /// Path relative to the site root.
    pub path: String,
}

/// A reference to a group.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRef {
    /// Id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Short name, if any.
    pub short_name: Option<String>,
    /// Short name if any, else name.
    pub label: String,
    /// Path.
    pub path: String,
}

/// A reference to a country.
#[derive(Debug, Clone, Serialize)]
pub struct CountryRef {
    /// ISO alpha-2 code.
    pub code: String,
    /// English short name.
    pub name: String,
    /// Path.
    pub path: String,
}

/// An incident as listings show it; computed once per build and shared by every page.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentSummary {
    /// Id.
    pub id: String,
    /// Path of its page.
    pub path: String,
    /// Headline.
    pub title: String,
    /// Start date.
    pub date: DateView,
    /// End date, if any.
    pub end_date: Option<DateView>,
    /// "Kangaba, Koulikoro" (place and region as known).
    pub place: String,
    /// Country.
    pub country: CountryRef,
    /// Event type label.
    pub event_type: Option<String>,
    /// Start and end as data: templates write ranges from it, never by splitting words.
    pub when: DateRangeView,
    /// The record's figures as data (known / unknown / not recorded): what templates
    /// branch on.
    pub casualties: CasualtiesView,
    /// Killed, as displayed ("5", "10–12", "at least 257", "unknown"); kept for themes
    /// written before `casualties`; never compare it.
    pub killed: Option<String>,
    /// Wounded, as displayed.
    pub wounded: Option<String>,
    /// Attackers killed, as displayed, kept apart from `killed`.
    pub attackers_killed: Option<String>,
    /// Every death, victims and attackers not separated (`fatalities`), as displayed;
    /// never part of `killed`.
    pub fatalities: Option<String>,
    /// What each claiming group said it killed, never part of `killed`: "JNIM claimed 12".
    pub claimed_killed: Vec<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Groups named.
    pub groups: Vec<GroupRef>,
    /// How each group of `groups` is tied to it (same order).
    pub claims: Vec<ClaimView>,
    /// How its claims read together: none | single | joint | competing | several (two or
    /// more claimants, the record not saying how they relate: neutral words).
    pub claim_kind: &'static str,
    /// Two or more groups each claim it alone (`claims: competing`).
    pub competing_claim: bool,
    /// Two or more groups claimed it together (`claims: joint`).
    pub joint_claim: bool,
    /// The groups are not all tied to it the same way (listings then mark each group).
    pub mixed_attribution: bool,
    /// The record's attribution: claimed | suspected | unattributed | disputed.
    pub attribution: Option<&'static str>,
    /// exact | near | region | country.
    pub precision: &'static str,
    /// The place in words at its precision: "Kangaba, Koulikoro", "near Boulkessi",
    /// "somewhere in Mopti region", "somewhere in Mali".
    pub where_phrase: String,
    /// Dated after the site's data cutoff: published, but left out of totals and charts.
    pub after_cutoff: bool,
    /// The record this one repeats (`same_event_as`): published, but left out of totals,
    /// charts and digests, which count the other.
    pub same_event_as: Option<Link>,
    /// Counted in totals, charts and digests: neither after the cutoff nor a repeat.
    pub counted: bool,
    /// True for drafts (only built with `--drafts`).
    pub draft: bool,
}

/// What a record says of one figure. Templates branch on this, never on the words, so a
/// rewording in Rust (or a translation) cannot change which branch a theme takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureState {
    /// A number, a range or a lower bound.
    Known,
    /// The record states the figure is not known (`unknown`).
    Unknown,
    /// The record does not give the figure at all.
    NotRecorded,
}

/// One figure of one record, as data with its display form beside it.
#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    /// known | unknown | not_recorded.
    pub state: FigureState,
    /// True unless `state` is not_recorded (stated unknown is recorded).
    pub recorded: bool,
    /// Lower bound (the figure itself when exact); absent unless known.
    pub min: Option<u32>,
    /// Upper bound (the figure itself when exact); absent when open-ended ("at least") or
    /// not known.
    pub max: Option<u32>,
    /// The English display form: "5", "10–12", "at least 257", "unknown"; empty when not
    /// recorded.
    pub display: String,
}

impl FigureView {
    /// The view of a record's figure (`None`: not recorded).
    pub fn of(w: &super::words::Words, c: Option<&Count>) -> FigureView {
        let (state, min, max) = match c {
            None => (FigureState::NotRecorded, None, None),
            Some(Count::Unknown) => (FigureState::Unknown, None, None),
            Some(Count::Exact { n }) => (FigureState::Known, Some(*n), Some(*n)),
            Some(Count::Range { min, max }) => (FigureState::Known, Some(*min), *max),
        };
        FigureView {
            state,
            recorded: state != FigureState::NotRecorded,
            min,
            max,
            display: c.map(|c| w.figure(c)).unwrap_or_default(),
        }
    }
}

/// A record's figures, each known, stated unknown, or not recorded.
#[derive(Debug, Clone, Serialize)]
pub struct CasualtiesView {
    /// Victims killed.
    pub killed: FigureView,
    /// Wounded.
    pub wounded: FigureView,
    /// Captured or abducted.
    pub captured: FigureView,
    /// Attackers killed, never part of `killed`.
    pub attackers_killed: FigureView,
    /// Every death, victims and attackers not separated; never part of `killed`.
    pub fatalities: FigureView,
}

impl CasualtiesView {
    /// The view of a record's casualties.
    pub fn of(w: &super::words::Words, c: &crate::content::Casualties) -> CasualtiesView {
        CasualtiesView {
            killed: FigureView::of(w, c.killed.as_ref()),
            wounded: FigureView::of(w, c.wounded.as_ref()),
            captured: FigureView::of(w, c.captured.as_ref()),
            attackers_killed: FigureView::of(w, c.attackers_killed.as_ref()),
            fatalities: FigureView::of(w, c.fatalities.as_ref()),
        }
    }
}

/// A date or date range as data. `shared` says what a range's two ends have in common, so a
/// theme can write "18–20 June 2017" or "30 June – 2 July 2017" without taking dates apart.
#[derive(Debug, Clone, Serialize)]
pub struct DateRangeView {
    /// Start.
    pub start: DateView,
    /// End, if any.
    pub end: Option<DateView>,
    /// For two day-precision ends: `month` when they share month and year, `year` when they
    /// share only the year; otherwise (and for a single date) `none`.
    pub shared: &'static str,
    /// The start without what it shares with the end, in English: "18" (shared month),
    /// "30 June" (shared year), else the start's full display form.
    pub start_short: String,
}

impl DateRangeView {
    /// The range from `start` to `end`.
    pub fn of(start: &PartialDate, end: Option<&PartialDate>) -> DateRangeView {
        let days = |d: &PartialDate| matches!(d.precision(), Precision::Day);
        let (shared, start_short) = match end {
            Some(e) if days(start) && days(e) && start.year == e.year => {
                if start.month == e.month {
                    ("month", start.day.unwrap_or_default().to_string())
                } else {
                    let full = start.display();
                    // "30 June 2017" less its year.
                    let short = full
                        .strip_suffix(&format!(" {}", start.year))
                        .unwrap_or(&full)
                        .to_string();
                    ("year", short)
                }
            }
            _ => ("none", start.display()),
        };
        DateRangeView {
            start: DateView::from(start),
            end: end.map(DateView::from),
            shared,
            start_short,
        }
    }
}

/// A related incident, as an incident page lists it: only what the list shows, because
/// every incident page carries five, and whole summaries (claims, groups, figures) would be
/// converted into the template context for nothing.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedIncident<'a> {
    /// Path of its page.
    pub path: &'a str,
    /// Headline.
    pub title: &'a str,
    /// Start date.
    pub date: &'a DateView,
    /// The place in words at its precision.
    pub where_phrase: &'a str,
    /// Dated after the data cutoff.
    pub after_cutoff: bool,
    /// A draft.
    pub draft: bool,
}

impl<'a> From<&'a IncidentSummary> for RelatedIncident<'a> {
    fn from(s: &'a IncidentSummary) -> Self {
        RelatedIncident {
            path: &s.path,
            title: &s.title,
            date: &s.date,
            where_phrase: &s.where_phrase,
            after_cutoff: s.after_cutoff,
            draft: s.draft,
        }
    }
}

/// One group's tie to an incident.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimView {
    /// The group.
    pub group: GroupRef,
    /// claimed | suspected | disputed | unattributed.
    pub attribution: &'static str,
    /// When it claimed it.
    pub claim_date: Option<DateView>,
    /// How it claimed it ("statement", "video", …).
    pub claim_medium: Option<String>,
    /// The group's own figure of the killed, as displayed (`claimed_killed`); never counted.
    pub claimed_killed: Option<String>,
    /// The group's own figure of the wounded.
    pub claimed_wounded: Option<String>,
    /// The group's own figure of the captured.
    pub claimed_captured: Option<String>,
}

/// What one group claimed to have done, beside the independent figures.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimedFigures {
    /// The group.
    pub group: GroupRef,
    /// "claimed 12 killed, at least 20 wounded and 2 captured" (follows the group's label).
    pub text: String,
}

/// A target as an incident page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct TargetView {
    /// Who was targeted, as named ("Malian armed forces").
    pub actor: String,
    /// state_forces | rebels | political_militia | identity_militia | rioters | protesters
    /// | civilians | external_forces, when given.
    pub kind: Option<&'static str>,
    /// The kind in words: "state forces", "external forces".
    pub kind_label: Option<&'static str>,
    /// The profiled group targeted, when it is one.
    pub group: Option<GroupRef>,
}

/// An analyst's assessment of a country's month, as its digest shows it.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    /// deteriorated | improved | unchanged, as the analyst wrote it.
    pub trend: &'static str,
    /// Who assessed it.
    pub author: Option<String>,
    /// The assessment, rendered (HTML).
    pub body: String,
}

/// A piece of a sentence in words: text, or a group to link.
#[derive(Debug, Clone, Serialize)]
pub struct Words {
    /// Plain text (empty when `group` is set).
    pub text: String,
    /// A group named in the sentence.
    pub group: Option<GroupRef>,
}

/// An incident in a table, with what the table's page adds to it.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentRow<'a> {
    /// The summary fields.
    #[serde(flatten)]
    pub incident: &'a IncidentSummary,
    /// On a group's page: that group's own attribution (claimed | suspected | disputed |
    /// unattributed); elsewhere absent.
    pub role: Option<&'static str>,
}

/// A briefing as listings show it.
#[derive(Debug, Clone, Serialize)]
pub struct BriefingSummary {
    /// Id.
    pub id: String,
    /// Path of its page.
    pub path: String,
    /// Title.
    pub title: String,
    /// Publication date.
    pub date: DateView,
    /// Authors.
    pub authors: Vec<String>,
    /// Standfirst.
    pub summary: Option<String>,
    /// The date its data runs to (its own `data_cutoff`, else the site's).
    pub data_cutoff: Option<DateView>,
    /// True for drafts.
    pub draft: bool,
}

/// A tag with its page.
#[derive(Debug, Clone, Serialize)]
pub struct TagRef {
    /// Display name.
    pub name: String,
    /// Path.
    pub path: String,
    /// Number of records carrying it (on the tags index).
    pub count: usize,
}

/// One year of a chronology.
#[derive(Debug, Clone, Serialize)]
pub struct YearBlock<'a> {
    /// The year.
    pub year: i32,
    /// Path of the year's chronology page.
    pub path: String,
    /// Number of incidents, records repeating another (`same_event_as`) left out.
    pub count: usize,
    /// The incidents, oldest first (repeats included, marked).
    pub incidents: Vec<IncidentRow<'a>>,
}

/// One month (or "date unknown within the year") of a year page.
#[derive(Debug, Clone, Serialize)]
pub struct MonthBlock<'a> {
    /// "June 2017", or "2017 (month unknown)".
    pub label: String,
    /// Month number, absent for year-precision incidents.
    pub month: Option<u8>,
    /// Anchor id, e.g. `m06` or `unknown`.
    pub anchor: String,
    /// Incidents in the block, records repeating another (`same_event_as`) left out.
    pub count: usize,
    /// The incidents, oldest first (repeats included, marked).
    pub incidents: Vec<&'a IncidentSummary>,
}

/// Links between pages of a listing.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// 1-based current page.
    pub current: usize,
    /// Number of pages.
    pub total_pages: usize,
    /// Number of items over all pages.
    pub total_items: usize,
    /// Previous page's path.
    pub prev: Option<String>,
    /// Next page's path.
    pub next: Option<String>,
    /// Every page: (number, path).
    pub pages: Vec<PageLink>,
}

/// One entry of a pagination bar.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// Page number.
    pub number: usize,
    /// Path.
    pub path: String,
    /// True for the page being shown.
    pub current: bool,
    /// True for a gap ("…") between non-adjacent page numbers; `number` and `path` are then
    /// empty.
    pub gap: bool,
}

/// Totals as displayed, computed by `content::count::Totals` (incidents after the data
/// cutoff left out). Every figure says how many counted incidents give no figure for it, and
/// "not known" when none does: a total is never "0" for want of figures.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    /// Number of incidents counted.
    pub incidents: usize,
    /// Incidents left out because they are dated after the data cutoff.
    pub after_cutoff: usize,
    /// Killed (victims), e.g. "312–347", "at least 312", or "not known" when no counted
    /// incident gives a figure.
    pub killed: String,
    /// Killed with what the total leaves out: "312–347 (3 incidents give no figure)".
    pub killed_full: String,
    /// "3 incidents give no figure", when some counted incident gives no killed figure.
    pub killed_unknown: Option<String>,
    /// Wounded, as `killed`.
    pub wounded: String,
    /// Wounded with what the total leaves out.
    pub wounded_full: String,
    /// "3 incidents give no figure", when some counted incident gives no wounded figure.
    pub wounded_unknown: Option<String>,
    /// Captured with what it leaves out; absent when no counted incident mentions captives.
    pub captured: Option<String>,
    /// Attackers killed, with what it leaves out; absent when no incident gives the figure.
    pub attackers_killed: Option<String>,
    /// Deaths not separated into victims and attackers, of the incidents that give only
    /// that figure, with how many they are; absent when none does. Never in `killed`.
    pub fatalities: Option<String>,
    /// Every figure in order (killed, wounded, then captured, attackers killed and deaths
    /// not separated when any incident mentions them), for templates that list them all.
    pub figures: Vec<FigureTotal>,
    /// Records left out because they repeat another record (`same_event_as`).
    pub same_event: usize,
    /// On a group's page: incidents it claimed.
    pub claimed: usize,
    /// On a group's page: incidents it is suspected of.
    pub suspected: usize,
    /// On a group's page: incidents whose tie to it is disputed.
    pub disputed: usize,
    /// On a group's page: incidents naming it without any attribution.
    pub unattributed: usize,
    /// On a group's page: killed in the incidents it claimed (with what it leaves out).
    pub killed_claimed: String,
    /// On a group's page: killed in the incidents it is suspected of.
    pub killed_suspected: String,
    /// On a group's page: killed in the incidents whose tie to it is disputed.
    pub killed_disputed: String,
}

/// One total of one figure over the counted incidents, in words.
#[derive(Debug, Clone, Serialize)]
pub struct FigureTotal {
    /// killed | wounded | captured | attackers_killed | fatalities.
    pub key: &'static str,
    /// "Killed", "Wounded", "Captured", "Attackers killed", "Dead in all, not separated".
    pub label: String,
    /// "312–347", "at least 312", "0", or "not known" when no counted incident gives one.
    pub total: String,
    /// The total with what it leaves out: "at least 312 (3 incidents give no figure)".
    pub full: String,
    /// "3 incidents give no figure", when some do.
    pub note: Option<String>,
    /// True when at least one counted incident gives the figure (then `total` is a number).
    pub known: bool,
    /// Counted incidents giving the figure.
    pub given: usize,
    /// Counted incidents giving no figure (stated `unknown`, or not recorded at all); for
    /// `fatalities`, which only some incidents are expected to give, always 0.
    pub no_figure: usize,
}

/// A leader's term as displayed.
#[derive(Debug, Clone, Serialize)]
pub struct LeaderView {
    /// Name.
    pub name: String,
    /// Role.
    pub role: Option<String>,
    /// Start of term.
    pub from: Option<DateView>,
    /// End of term.
    pub to: Option<DateView>,
}

/// A cited source as displayed.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// Title.
    pub title: String,
    /// Link, if any.
    pub url: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Publication date.
    pub date: Option<DateView>,
}

/// A heading of a body, for tables of contents.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// Anchor.
    pub id: String,
    /// Text.
    pub text: String,
}

/// `index.html`.
#[derive(Serialize)]
pub struct HomePage<'a> {
    /// Title of `_index.md`, if any.
    pub intro_title: Option<String>,
    /// Rendered introduction.
    pub intro: String,
    /// Newest briefings first (up to 5).
    pub latest_briefings: Vec<&'a BriefingSummary>,
    /// Newest incidents first (up to 10).
    pub latest_incidents: Vec<&'a IncidentSummary>,
    /// Headline figures (incidents after the data cutoff left out).
    pub figures: Figures,
    /// Inline SVG chart of the last 12 months of data (HTML, may be empty).
    pub chart: String,
}

/// Headline figures of the home page.
#[derive(Serialize)]
pub struct Figures {
    /// Incidents counted (published up to the data cutoff).
    pub incidents: usize,
    /// Incidents published after the data cutoff, not counted.
    pub after_cutoff: usize,
    /// Group profiles.
    pub groups: usize,
    /// Briefings.
    pub briefings: usize,
    /// Countries with incidents.
    pub countries: usize,
    /// Killed in all incidents, as displayed.
    pub killed: String,
    /// Killed with what the total leaves out.
    pub killed_full: String,
    /// "N incidents with unknown figures", when some killed figure is unknown.
    pub killed_unknown: Option<String>,
    /// Attackers killed, kept apart; absent when no incident gives the figure.
    pub attackers_killed: Option<String>,
    /// The figures the home page shows, in order: killed, then attackers killed and deaths
    /// not separated when any incident mentions them.
    pub figures: Vec<FigureTotal>,
    /// Records left out because they repeat another record (`same_event_as`).
    pub same_event: usize,
    /// First year with incidents.
    pub first_year: Option<i32>,
    /// Last year with incidents.
    pub last_year: Option<i32>,
}

/// `incidents.html` (one page of the paginated list, newest first).
#[derive(Serialize)]
pub struct IncidentsPage<'a> {
    /// This page's incidents.
    pub incidents: Vec<&'a IncidentSummary>,
    /// Pagination.
    pub pagination: Pagination,
    /// Inline SVG map of this page's incidents (HTML, may be empty).
    pub map: String,
}

/// `incident.html`.
#[derive(Serialize)]
pub struct IncidentPage<'a> {
    /// The summary fields.
    pub incident: &'a IncidentSummary,
    /// Place name alone.
    pub place_name: Option<String>,
    /// First-level region.
    pub admin1: Option<String>,
    /// Coordinates.
    pub coords: Option<Coords>,
    /// Targets, as named.
    pub targets: Vec<String>,
    /// Targets with their kind and, for a profiled group, a link.
    pub typed_targets: Vec<TargetView>,
    /// Captured, as displayed (`incident.casualties.captured` is the same as data).
    pub captured: Option<String>,
    /// "9 dead in all; victims and attackers not separated." and how it is counted, when
    /// the record gives `fatalities`.
    pub fatalities_words: Option<String>,
    /// What each claiming group said it did, beside the independent figures; never counted.
    pub claimed_figures: Vec<ClaimedFigures>,
    /// Records that repeat this one (`same_event_as` it): published, not counted.
    pub repeated_by: Vec<Link>,
    /// Who did it, in words: "Claimed by JNIM on 19 June 2017 in a statement; ISGS is
    /// suspected." Text and group links in order.
    pub who: Vec<Words>,
    /// The same sentence as plain text.
    pub who_text: String,
    /// Up to five related incidents: sharing a group first, then the same region, then
    /// nearest in time (`Index::related`).
    pub related: Vec<RelatedIncident<'a>>,
    /// Sources, numbered in order.
    pub sources: Vec<SourceView>,
    /// Tags.
    pub tags: Vec<TagRef>,
    /// Briefings citing it.
    pub briefings: Vec<&'a BriefingSummary>,
    /// Rendered body.
    pub body: String,
    /// Previous incident in time.
    pub prev: Option<Link>,
    /// Next incident in time.
    pub next: Option<Link>,
    /// Inline SVG locator map (HTML, empty when the place cannot be drawn).
    pub map: String,
}

/// Latitude and longitude.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Coords {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// `groups.html`.
#[derive(Serialize)]
pub struct GroupsPage {
    /// Every group, by name.
    pub groups: Vec<GroupListItem>,
    /// Inline SVG diagram of all groups and their relations (HTML, may be empty).
    pub lineage: String,
    /// Every typed relationship once, as written (by the writer's name, then date).
    pub network: Vec<NetworkRow>,
}

/// One typed relationship of the whole network.
#[derive(Serialize)]
pub struct NetworkRow {
    /// The group that wrote it.
    pub group: GroupRef,
    /// The relationship as it reads from `group`: "rival of", "splinter of", …
    pub relationship: RelationshipView,
}

/// A typed relationship as a group's page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RelationshipView {
    /// ally | rival | affiliate | splinter_of | pledged_to (as written by whichever group).
    pub kind: &'static str,
    /// True when the other group wrote it (then `label` is the inverse label).
    pub inverse: bool,
    /// Reads before the other group's name: "rival of", "splinter group", …
    pub label: &'static str,
    /// The other group.
    pub other: GroupRef,
    /// Since when.
    pub from: Option<DateView>,
    /// Until when.
    pub to: Option<DateView>,
    /// Context.
    pub note: Option<String>,
    /// Where it is documented.
    pub sources: Vec<SourceView>,
}

/// One row of the groups index.
#[derive(Serialize)]
pub struct GroupListItem {
    /// The group.
    pub group: GroupRef,
    /// Status word.
    pub status: Option<&'static str>,
    /// Founding date.
    pub founded: Option<DateView>,
    /// Number of incidents.
    pub incidents: usize,
    /// Aliases.
    pub aliases: Vec<String>,
}

/// `group.html`.
#[derive(Serialize)]
pub struct GroupPage<'a> {
    /// The group itself.
    pub group: GroupView,
    /// Mergers and affiliations, both directions.
    pub relations: RelationsView,
    /// Typed, dated relationships, both directions (`Index::relationships`).
    pub relationships: Vec<RelationshipView>,
    /// Totals over its incidents.
    pub totals: Totals,
    /// Its incidents by year, oldest first.
    pub chronology: Vec<YearBlock<'a>>,
    /// Incidents in which it was the target (a `targets` entry naming it), oldest first;
    /// not part of its totals or chronology.
    pub targeted_in: Vec<&'a IncidentSummary>,
    /// Briefings discussing it.
    pub briefings: Vec<&'a BriefingSummary>,
    /// Rendered profile.
    pub body: String,
    /// Inline SVG overview map of its incidents (HTML, may be empty).
    pub map: String,
    /// Incidents and killed per year, as SVG charts with data tables (HTML).
    pub charts: String,
    /// Inline SVG lineage diagram (HTML, empty without relations).
    pub lineage: String,
}

/// A group's facts.
#[derive(Serialize)]
pub struct GroupView {
    /// Id, names and path.
    #[serde(flatten)]
    pub r#ref: GroupRef,
    /// Other names.
    pub aliases: Vec<String>,
    /// Founded.
    pub founded: Option<DateView>,
    /// Dissolved.
    pub dissolved: Option<DateView>,
    /// active | merged | defunct.
    pub status: Option<&'static str>,
    /// Ideology.
    pub ideology: Option<String>,
    /// Countries of operation as the profile gives them (`area`). Only countries with
    /// incidents have a page, so `path` may lead nowhere: the default theme shows names.
    pub area: Vec<CountryRef>,
    /// Leaders.
    pub leaders: Vec<LeaderView>,
}

/// A group's relationships in both directions.
#[derive(Serialize)]
pub struct RelationsView {
    /// Groups that merged to form it.
    pub merged_from: Vec<GroupRef>,
    /// The group it merged into.
    pub merged_into: Option<GroupRef>,
    /// Groups it is affiliated with.
    pub affiliated_with: Vec<GroupRef>,
    /// Groups affiliated with it.
    pub affiliates: Vec<GroupRef>,
}

/// `chronology.html`.
#[derive(Serialize)]
pub struct ChronologyPage {
    /// Years with counts.
    pub years: Vec<YearCount>,
    /// All incidents.
    pub total: usize,
    /// Incidents per month stacked by group, SVG chart with table (HTML).
    pub chart: String,
    /// Visual timeline of the years (HTML list that works without CSS).
    pub timeline: String,
}

/// A year and its count.
#[derive(Serialize)]
pub struct YearCount {
    /// Year.
    pub year: i32,
    /// Incidents.
    pub count: usize,
    /// Killed, as displayed ("not known" when no counted incident gives a figure).
    pub killed: String,
    /// "2 incidents give no figure", when some counted incident gives no killed figure.
    pub killed_note: Option<String>,
    /// Path of the year page.
    pub path: String,
}

/// `year.html`.
#[derive(Serialize)]
pub struct YearPage<'a> {
    /// The year.
    pub year: i32,
    /// Incidents in the year.
    pub count: usize,
    /// Killed, as displayed.
    pub killed: String,
    /// Totals of the year (incidents after the data cutoff left out).
    pub totals: Totals,
    /// Months, in order.
    pub months: Vec<MonthBlock<'a>>,
    /// Previous year with incidents.
    pub prev: Option<Link>,
    /// Next year with incidents.
    pub next: Option<Link>,
}

/// `countries.html`.
#[derive(Serialize)]
pub struct CountriesPage {
    /// Countries with incidents, then (if any) with analysts' assessments only, by name.
    pub countries: Vec<CountryListItem>,
    /// How many of them have incidents (the others have assessments only).
    pub with_incidents: usize,
}

/// One row of the countries index.
#[derive(Serialize)]
pub struct CountryListItem {
    /// The country.
    pub country: CountryRef,
    /// Incidents counted.
    pub count: usize,
    /// Killed, as displayed ("not known" when no counted incident gives a figure).
    pub killed: String,
    /// "2 incidents give no figure", when some counted incident gives no killed figure.
    pub killed_note: Option<String>,
    /// Incidents after the data cutoff, not counted.
    pub after_cutoff: usize,
}

/// `country.html`.
#[derive(Serialize)]
pub struct CountryPage<'a> {
    /// The country.
    pub country: CountryRef,
    /// Totals.
    pub totals: Totals,
    /// Groups named in its counted incidents, with counts, most active first.
    pub groups: Vec<GroupCount>,
    /// Groups that list it in their `area` but are named in none of its counted incidents,
    /// by label: "also active here", not counted.
    pub also_active: Vec<GroupRef>,
    /// Incidents by year.
    pub chronology: Vec<YearBlock<'a>>,
    /// Inline SVG overview map (HTML, may be empty).
    pub map: String,
    /// Incidents per year by group, SVG chart with table (HTML).
    pub chart: String,
    /// Monthly digests, newest first.
    pub months: Vec<MonthDigestLink>,
    /// True when it has published incidents, so its data files and feed exist (a country
    /// with analysts' assessments only has a page for its digests, and no data).
    pub has_data: bool,
}

/// A monthly digest in a country's archive.
#[derive(Serialize)]
pub struct MonthDigestLink {
    /// "June 2017".
    pub label: String,
    /// Path of the digest.
    pub path: String,
    /// Incidents counted that month.
    pub count: usize,
    /// deteriorated | improved | unchanged, when the month could be compared with the one
    /// before (docs/content.md, *Monthly digests*); absent otherwise.
    pub trend: Option<&'static str>,
    /// The trend word, or why there is none: first | too-few | incomplete.
    pub status: &'static str,
    /// The same in words: "deteriorated", "first month on record", "too few incidents to
    /// compare", "figures too incomplete to compare".
    pub status_words: &'static str,
    /// An analyst's assessment of the month: its trend word, shown instead of the computed one.
    pub assessed: Option<&'static str>,
}

/// `country_month.html`: one country's monthly digest.
#[derive(Serialize)]
pub struct CountryMonthPage<'a> {
    /// The country.
    pub country: CountryRef,
    /// "June 2017".
    pub label: String,
    /// "2017-06".
    pub month: String,
    /// The month's incidents, oldest first (none after the data cutoff).
    pub incidents: Vec<&'a IncidentSummary>,
    /// The month's totals.
    pub totals: Totals,
    /// The previous calendar month's totals.
    pub previous: PreviousMonth,
    /// deteriorated | improved | unchanged, when the month could be compared with the one
    /// before; absent otherwise (see `status`).
    pub trend: Option<&'static str>,
    /// The trend word, or why there is none: first | too-few | incomplete.
    pub status: &'static str,
    /// The same in words ("too few incidents to compare").
    pub status_words: &'static str,
    /// Why, in words: "4 incidents against 3 in January 2016, a rise; …".
    pub trend_reason: String,
    /// How the trend is computed, in one paragraph (`digest::rule`).
    pub trend_rule: String,
    /// An analyst's assessment of the month, shown as the month's assessment above the
    /// computed comparison.
    pub assessment: Option<AssessmentView>,
    /// The previous digest of this country.
    pub prev: Option<Link>,
    /// The next digest of this country.
    pub next: Option<Link>,
    /// Inline SVG map of the month's incidents (HTML, may be empty).
    pub map: String,
}

/// The month a digest compares against.
#[derive(Serialize)]
pub struct PreviousMonth {
    /// "May 2017".
    pub label: String,
    /// Its digest, when it has incidents.
    pub path: Option<String>,
    /// Incidents counted.
    pub incidents: usize,
    /// Killed, as displayed ("not known" when no counted incident gives a figure).
    pub killed: String,
    /// "1 incident gives no figure", when some counted incident gives no killed figure.
    pub killed_note: Option<String>,
}

/// A group and a count.
#[derive(Serialize)]
pub struct GroupCount {
    /// The group.
    pub group: GroupRef,
    /// Incidents.
    pub count: usize,
}

/// `briefings.html`.
#[derive(Serialize)]
pub struct BriefingsPage<'a> {
    /// Newest first.
    pub briefings: Vec<&'a BriefingSummary>,
}

/// `briefing.html`.
#[derive(Serialize)]
pub struct BriefingPage<'a> {
    /// Summary fields.
    pub briefing: &'a BriefingSummary,
    /// Groups discussed.
    pub groups: Vec<GroupRef>,
    /// Incidents cited, oldest first.
    pub incidents: Vec<&'a IncidentSummary>,
    /// Tags.
    pub tags: Vec<TagRef>,
    /// Headings of the body.
    pub toc: Vec<Heading>,
    /// Rendered analysis.
    pub body: String,
}

/// `tags.html`.
#[derive(Serialize)]
pub struct TagsPage {
    /// Every tag with its count.
    pub tags: Vec<TagRef>,
}

/// `tag.html`.
#[derive(Serialize)]
pub struct TagPage<'a> {
    /// The tag.
    pub tag: TagRef,
    /// Incidents carrying it, newest first.
    pub incidents: Vec<&'a IncidentSummary>,
    /// Briefings carrying it.
    pub briefings: Vec<&'a BriefingSummary>,
}

/// `page.html`.
#[derive(Serialize)]
pub struct FreePage {
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Rendered body.
    pub body: String,
    /// Headings of the body.
    pub toc: Vec<Heading>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(a: &str, b: Option<&str>) -> DateRangeView {
        let b = b.map(|b| PartialDate::parse(b).unwrap());
        DateRangeView::of(&PartialDate::parse(a).unwrap(), b.as_ref())
    }

    #[test]
    fn a_range_says_what_its_ends_share() {
        let r = range("2017-06-18", Some("2017-06-20"));
        assert_eq!((r.shared, r.start_short.as_str()), ("month", "18"));
        let r = range("2017-06-30", Some("2017-07-02"));
        assert_eq!((r.shared, r.start_short.as_str()), ("year", "30 June"));
        let r = range("2016-12-31", Some("2017-01-01"));
        assert_eq!(
            (r.shared, r.start_short.as_str()),
            ("none", "31 December 2016")
        );
        // Only two days share parts: a month-precision start is said in full.
        let r = range("2017-06", Some("2017-06-20"));
        assert_eq!((r.shared, r.start_short.as_str()), ("none", "June 2017"));
        let r = range("2017-06-18", None);
        assert_eq!((r.shared, r.end.is_none()), ("none", true));
    }

    #[test]
    fn a_figure_says_whether_it_is_known_stated_unknown_or_not_recorded() {
        let en = super::super::words::Words::default_theme("en").unwrap();
        let f = FigureView::of(
            &en,
            Some(&Count::Range {
                min: 257,
                max: None,
            }),
        );
        assert_eq!(
            (f.state, f.min, f.max, f.display.as_str()),
            (FigureState::Known, Some(257), None, "at least 257")
        );
        let f = FigureView::of(&en, Some(&Count::Unknown));
        assert_eq!((f.state, f.recorded), (FigureState::Unknown, true));
        let f = FigureView::of(&en, None);
        assert_eq!((f.state, f.recorded), (FigureState::NotRecorded, false));
    }

    #[test]
    fn the_default_theme_branches_on_states_never_on_words() {
        // Words change (issue 17 translates them); states do not. A template that compares
        // a display string or takes a date apart breaks silently when Rust rewords it.
        for (path, bytes) in super::super::theme::embedded() {
            if !path.ends_with(".html") {
                continue;
            }
            let text = std::str::from_utf8(bytes).unwrap();
            // States and codes (`f.state == "unknown"`) are what templates compare; a
            // comparison with a figure's words anywhere else is a display string.
            for word in ["unknown", "not recorded", "not known"] {
                let pat = format!("== \"{word}\"");
                for (at, _) in text.match_indices(&pat) {
                    assert!(
                        text[..at].ends_with(".state "),
                        "{path} compares a display string with \"{word}\""
                    );
                }
            }
            assert!(!text.contains("split("), "{path} splits a string");
        }
    }
}
