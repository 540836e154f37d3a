//! The typed views templates receive: one struct per page kind, built from the site and its
//! indexes. Every path is relative to the site root (e.g. `groups/jnim/`); templates prefix
//! it with `root`, which makes links work under any base path and from the file system.
//!
//! docs/themes.md lists every field; keep the two in step.

use serde::Serialize;

use crate::content::date::DateView;

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
    /// Free pages for the navigation (about, methodology).
    pub pages: Vec<Link>,
    /// Build year range shown in the footer ("2015–2017"), from the data.
    pub coverage: Option<String>,
    /// True when Atom feeds and the sitemap are written (they need an absolute `base_url`).
    pub feeds: bool,
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
    /// Killed, as displayed ("5", "10–12", "at least 257", "unknown").
    pub killed: Option<String>,
    /// Wounded, as displayed.
    pub wounded: Option<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Groups named.
    pub groups: Vec<GroupRef>,
    /// claimed | suspected | unattributed.
    pub attribution: Option<&'static str>,
    /// True for drafts (only built with `--drafts`).
    pub draft: bool,
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
    /// Number of incidents.
    pub count: usize,
    /// The incidents, oldest first.
    pub incidents: Vec<&'a IncidentSummary>,
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
    /// The incidents, oldest first.
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
}

/// Casualty totals as displayed.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    /// Number of incidents.
    pub incidents: usize,
    /// Killed, e.g. "312–347" or "at least 312".
    pub killed: String,
    /// Killed with what the total leaves out ("…, 3 incidents with unknown figures").
    pub killed_full: String,
    /// Wounded.
    pub wounded: String,
    /// Incidents the group(s) claimed.
    pub claimed: usize,
    /// Incidents the group(s) are suspected of.
    pub suspected: usize,
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
    /// Headline figures.
    pub figures: Figures,
    /// Inline SVG chart of the last 12 months of data (HTML, may be empty).
    pub chart: String,
}

/// Headline figures of the home page.
#[derive(Serialize)]
pub struct Figures {
    /// Incidents published.
    pub incidents: usize,
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
    /// Targets.
    pub targets: Vec<String>,
    /// Captured, as displayed.
    pub captured: Option<String>,
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
    /// Inline SVG locator map (HTML, empty without coordinates).
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
    /// Relationships, both directions.
    pub relations: RelationsView,
    /// Totals over its incidents.
    pub totals: Totals,
    /// Its incidents by year, oldest first.
    pub chronology: Vec<YearBlock<'a>>,
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
    /// Countries of operation.
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
    /// Killed, as displayed.
    pub killed: String,
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
    /// Countries with incidents.
    pub countries: Vec<CountryListItem>,
}

/// One row of the countries index.
#[derive(Serialize)]
pub struct CountryListItem {
    /// The country.
    pub country: CountryRef,
    /// Incidents.
    pub count: usize,
    /// Killed, as displayed.
    pub killed: String,
}

/// `country.html`.
#[derive(Serialize)]
pub struct CountryPage<'a> {
    /// The country.
    pub country: CountryRef,
    /// Totals.
    pub totals: Totals,
    /// Groups active there, with counts, most active first.
    pub groups: Vec<GroupCount>,
    /// Incidents by year.
    pub chronology: Vec<YearBlock<'a>>,
    /// Inline SVG overview map (HTML, may be empty).
    pub map: String,
    /// Incidents per year by group, SVG chart with table (HTML).
    pub chart: String,
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
