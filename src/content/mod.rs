//! The validated, immutable content of a site: incidents, groups, briefings and pages.
//!
//! Built by `validate` from the raw on-disk shapes in [`raw`]; read by every later stage,
//! never modified after.

pub mod count;
pub mod country;
pub mod date;
pub mod frontmatter;
pub mod raw;

use serde::Serialize;

pub use count::{Count, Tally};
pub use date::{PartialDate, Precision};

/// Where a record came from, for diagnostics found after validation (e.g. `@` links).
#[derive(Debug, Clone)]
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
}

impl Attribution {
    /// The allowed words.
    pub const ALL: &'static [&'static str] = &["claimed", "suspected", "unattributed"];

    /// Parses one of [`Self::ALL`].
    pub fn parse(s: &str) -> Option<Attribution> {
        match s {
            "claimed" => Some(Attribution::Claimed),
            "suspected" => Some(Attribution::Suspected),
            "unattributed" => Some(Attribution::Unattributed),
            _ => None,
        }
    }

    /// The word as written.
    pub fn as_str(&self) -> &'static str {
        match self {
            Attribution::Claimed => "claimed",
            Attribution::Suspected => "suspected",
            Attribution::Unattributed => "unattributed",
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
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// Coordinates, when both are known.
    pub coords: Option<(f64, f64)>,
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
    /// How sure the attribution is.
    pub attribution: Option<Attribution>,
    /// Event type key (in the site's vocabulary).
    pub event_type: Option<String>,
    /// Targets.
    pub targets: Vec<String>,
    /// Casualty figures.
    pub casualties: Casualties,
    /// Tags.
    pub tags: Vec<String>,
    /// One-sentence summary.
    pub summary: Option<String>,
    /// Sources.
    pub sources: Vec<Source>,
    /// Draft (only present with `--drafts`).
    pub draft: bool,
    /// Markdown body.
    pub body: String,
    /// Where it came from.
    pub origin: Origin,
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
    /// Profile in Markdown.
    pub body: String,
    /// Where it came from.
    pub origin: Origin,
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

/// Everything the site publishes, sorted: incidents oldest first (ties by id), groups,
/// briefings and pages by id.
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
}
