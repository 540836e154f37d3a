//! On-disk shapes of content files, exactly as serde reads them. Nothing here is checked
//! beyond YAML types; `validate` turns these into the domain types.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// A YAML scalar read as text whether it was written as a string or a number
/// (an unquoted `2017` is an integer to YAML but a date to us).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A casualty figure as written: `12`, `{min: 10, max: 12}`, `{min: 257}` or `unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawCount {
    /// An exact figure.
    Exact(u32),
    /// A range; `max` absent means "at least `min`".
    Range {
        /// Lower bound.
        min: u32,
        /// Upper bound, if any.
        max: Option<u32>,
    },
    /// Explicitly not known (not zero).
    Unknown,
}

impl Serialize for RawCount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match *self {
            RawCount::Exact(n) => s.serialize_u32(n),
            RawCount::Unknown => s.serialize_str("unknown"),
            RawCount::Range { min, max } => {
                let mut m = s.serialize_map(None)?;
                m.serialize_entry("min", &min)?;
                if let Some(max) = max {
                    m.serialize_entry("max", &max)?;
                }
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for RawCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawCount, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number, `unknown`, or `{min: N, max: M}`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawCount, E> {
                u32::try_from(v)
                    .map(RawCount::Exact)
                    .map_err(|_| E::custom("casualty figure too large; at most 4294967295"))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawCount, E> {
                if v < 0 {
                    Err(E::custom(format!(
                        "negative casualty figure {v}; figures count people and start at 0"
                    )))
                } else {
                    self.visit_u64(v as u64)
                }
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawCount, E> {
                Err(E::custom(format!(
                    "casualty figure {v} is not a whole number; expected a whole number of people"
                )))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawCount, E> {
                if v.trim() == "unknown" {
                    Ok(RawCount::Unknown)
                } else {
                    Err(E::custom(format!(
                        "invalid casualty figure `{v}`; expected a whole number, `unknown` or `{{min: N, max: M}}`"
                    )))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawCount, A::Error> {
                let mut min = None;
                let mut max = None;
                while let Some(key) = map.next_key::<String>()? {
                    let val: RangeEnd = map.next_value()?;
                    let v = match val {
                        RangeEnd::N(n) => n,
                        RangeEnd::Unknown => {
                            return Err(de::Error::custom(format!(
                                "`unknown` cannot be a bound of a range; write `{key}` as a number or make the whole figure `unknown`"
                            )));
                        }
                    };
                    match key.as_str() {
                        "min" => min = Some(v),
                        "max" => max = Some(v),
                        other => return Err(de::Error::unknown_field(other, &["min", "max"])),
                    }
                }
                let min = min.ok_or_else(|| de::Error::missing_field("min"))?;
                Ok(RawCount::Range { min, max })
            }
        }
        d.deserialize_any(V)
    }
}

enum RangeEnd {
    N(u32),
    Unknown,
}

impl<'de> Deserialize<'de> for RangeEnd {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RangeEnd, D::Error> {
        match RawCount::deserialize(d)? {
            RawCount::Exact(n) => Ok(RangeEnd::N(n)),
            RawCount::Unknown => Ok(RangeEnd::Unknown),
            RawCount::Range { .. } => Err(de::Error::custom("a range bound must be a number")),
        }
    }
}

/// `location:` of an incident.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocation {
    /// Town, village or site.
    pub place: Option<String>,
    /// First-level administrative region.
    pub admin1: Option<String>,
    /// Second-level administrative region (free text, e.g. ACLED's `admin2`).
    pub admin2: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// Latitude in degrees.
    pub lat: Option<f64>,
    /// Longitude in degrees.
    pub lon: Option<f64>,
    /// exact | near | region | country; absent = derived from what is given.
    pub precision: Option<String>,
}

/// `casualties:` of an incident.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCasualties {
    /// People killed (victims).
    pub killed: Option<RawCount>,
    /// People wounded.
    pub wounded: Option<RawCount>,
    /// People captured or kidnapped.
    pub captured: Option<RawCount>,
    /// Attackers killed, kept apart from the victims (GTD's `nkillter`).
    pub attackers_killed: Option<RawCount>,
    /// Every death, victims and attackers not separated (ACLED's `fatalities`).
    pub fatalities: Option<RawCount>,
}

/// One entry of `sources:`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// Headline or document title.
    pub title: Option<String>,
    /// Link (http or https).
    pub url: Option<String>,
    /// Outlet or organisation.
    pub publisher: Option<String>,
    /// Publication date.
    pub date: Option<Text>,
}

/// An incident record as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawIncident {
    /// Identifier; defaults to the file stem.
    pub id: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Start date.
    pub date: Option<Text>,
    /// End date of a multi-day event.
    pub end_date: Option<Text>,
    /// Where.
    pub location: Option<RawLocation>,
    /// Perpetrator or claimant groups: plain ids or `{id, attribution, …}` objects.
    #[serde(default)]
    pub groups: Vec<RawGroupRef>,
    /// claimed | suspected | unattributed | disputed.
    pub attribution: Option<String>,
    /// joint | competing: how two or more claims relate.
    pub claims: Option<String>,
    /// One of the site's event types.
    pub event_type: Option<String>,
    /// Who or what was targeted: plain names or `{actor, kind, group}` objects.
    #[serde(default)]
    pub targets: Vec<RawTarget>,
    /// Killed, wounded, captured.
    pub casualties: Option<RawCasualties>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// One-sentence summary.
    pub summary: Option<String>,
    /// Where the facts come from.
    #[serde(default)]
    pub sources: Vec<RawSource>,
    /// Ids of incidents this one is known not to duplicate.
    #[serde(default)]
    pub distinct_from: Vec<String>,
    /// Id of the incident this record describes again (this one is then not counted).
    pub same_event_as: Option<String>,
    /// Left out of builds unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Markdown body (only in multi-record `.yaml` files).
    pub body: Option<String>,
}

/// One entry of an incident's `targets:`: a plain name, or a typed actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawTarget {
    /// `- civilians`.
    Name(String),
    /// `- {actor: "Malian armed forces", kind: state_forces, group: …}`.
    Actor(RawTargetActor),
}

/// The object form of a `targets:` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargetActor {
    /// Who was targeted, as named (required; checked by `validate`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// One of the eight ACLED actor kinds (`state_forces`, …, `external_forces`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A profiled group's id, when the target is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl From<String> for RawTarget {
    fn from(name: String) -> RawTarget {
        RawTarget::Name(name)
    }
}

// As for `RawGroupRef`: a plain name is written back as a plain string.
impl Serialize for RawTarget {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RawTarget::Name(n) => s.serialize_str(n),
            RawTarget::Actor(a) => a.serialize(s),
        }
    }
}

// Hand-written for the same reason as `RawGroupRef`'s: keeps an unknown key's name and place.
impl<'de> Deserialize<'de> for RawTarget {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawTarget, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawTarget;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a target's name or `{actor: …, kind: …}`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawTarget, E> {
                Ok(RawTarget::Name(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawTarget, A::Error> {
                RawTargetActor::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawTarget::Actor)
            }
        }
        d.deserialize_any(V)
    }
}

/// One entry of an incident's `groups:`: a plain id, or an object saying how this group
/// is tied to the incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawGroupRef {
    /// `- jnim`: the group takes the record's `attribution`.
    Id(String),
    /// `- {id: isgs, attribution: suspected, …}`.
    Claim(RawGroupClaim),
}

impl RawGroupRef {
    /// The group id, in either form.
    pub fn id(&self) -> &str {
        match self {
            RawGroupRef::Id(id) => id,
            RawGroupRef::Claim(c) => &c.id,
        }
    }
}

impl From<String> for RawGroupRef {
    fn from(id: String) -> RawGroupRef {
        RawGroupRef::Id(id)
    }
}

/// The object form of a `groups:` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroupClaim {
    /// Group id.
    pub id: String,
    /// claimed | suspected | disputed; absent = the record's `attribution`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// When the group claimed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_date: Option<Text>,
    /// How it claimed it, e.g. "statement", "video".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_medium: Option<String>,
    /// The group's own figure of the killed, as claimed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimed_killed: Option<RawCount>,
    /// The group's own figure of the wounded, as claimed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimed_wounded: Option<RawCount>,
    /// The group's own figure of the captured, as claimed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimed_captured: Option<RawCount>,
}

// A plain id is written back as a plain string, so a file read and written again by
// `import` or `new` keeps the form its author chose.
impl Serialize for RawGroupRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RawGroupRef::Id(id) => s.serialize_str(id),
            RawGroupRef::Claim(c) => c.serialize(s),
        }
    }
}

// Hand-written rather than `#[serde(untagged)]`: an untagged enum would turn an unknown key
// inside the object form into "data did not match any variant", losing the key and its
// position.
impl<'de> Deserialize<'de> for RawGroupRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawGroupRef, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawGroupRef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a group id or `{id: …, attribution: …}`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawGroupRef, E> {
                Ok(RawGroupRef::Id(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawGroupRef, A::Error> {
                RawGroupClaim::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawGroupRef::Claim)
            }
        }
        d.deserialize_any(V)
    }
}

/// A `.yaml` file holding many incidents.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIncidentFile {
    /// The records.
    pub incidents: Vec<RawIncident>,
}

/// One entry of `leaders:`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawLeader {
    /// Person's name.
    pub name: Option<String>,
    /// Role, e.g. "emir".
    pub role: Option<String>,
    /// Start of the term.
    pub from: Option<Text>,
    /// End of the term.
    pub to: Option<Text>,
}

/// A group profile's front matter.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    /// Identifier; defaults to the file stem.
    pub id: Option<String>,
    /// Full name.
    pub name: Option<String>,
    /// Abbreviation, e.g. JNIM.
    pub short_name: Option<String>,
    /// Other names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Founding date.
    pub founded: Option<Text>,
    /// Dissolution date.
    pub dissolved: Option<Text>,
    /// active | merged | defunct.
    pub status: Option<String>,
    /// Groups this one is affiliated with.
    #[serde(default)]
    pub affiliations: Vec<String>,
    /// Groups that merged to form this one.
    #[serde(default)]
    pub merged_from: Vec<String>,
    /// Group this one merged into.
    pub merged_into: Option<String>,
    /// Leaders with terms.
    #[serde(default)]
    pub leaders: Vec<RawLeader>,
    /// Country codes where it operates.
    #[serde(default)]
    pub area: Vec<String>,
    /// Ideology in a few words.
    pub ideology: Option<String>,
    /// The name ACLED uses for this actor.
    pub acled_actor: Option<String>,
    /// ACLED's actor type code, 1–8.
    pub inter: Option<u8>,
    /// Typed, dated relationships to other groups.
    #[serde(default)]
    pub relationships: Vec<RawRelationship>,
    /// Left out of builds unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
}

/// One entry of a group's `relationships:`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelationship {
    /// The other group's id.
    pub group: Option<String>,
    /// ally | rival | affiliate | splinter_of | pledged_to.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Since when.
    pub from: Option<Text>,
    /// Until when.
    pub to: Option<Text>,
    /// One or two sentences of context.
    pub note: Option<String>,
    /// Where the relationship is documented.
    #[serde(default)]
    pub sources: Vec<RawSource>,
}

/// A briefing's front matter.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawBriefing {
    /// Identifier; defaults to the file stem.
    pub id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Publication date.
    pub date: Option<Text>,
    /// Authors' names.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Standfirst.
    pub summary: Option<String>,
    /// Groups discussed.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Incidents cited.
    #[serde(default)]
    pub incidents: Vec<String>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The date the briefing's data runs to.
    pub data_cutoff: Option<Text>,
    /// Left out of builds unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
}

/// An analyst's monthly assessment's front matter (`content/digests/<cc>/<yyyy-mm>.md`);
/// the country and the month are the file's path.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAssessment {
    /// deteriorated | improved | unchanged (required).
    pub trend: Option<String>,
    /// Who assessed the month.
    pub author: Option<String>,
    /// Left out of builds unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
}

/// A free page's front matter (about, methodology) and the home page's `_index.md`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    /// Title.
    pub title: Option<String>,
    /// Meta description.
    pub description: Option<String>,
    /// Left out of builds unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_entries_are_ids_or_objects_and_write_back_as_written() {
        let yaml = "title: T\ngroups:\n  - jnim\n  - id: isgs\n    attribution: suspected\n    claim_date: 2017-06-19\n";
        let r: RawIncident = crate::yaml::from_str(yaml).unwrap();
        assert_eq!(r.groups[0], RawGroupRef::Id("jnim".into()));
        let RawGroupRef::Claim(c) = &r.groups[1] else {
            panic!("{:?}", r.groups[1])
        };
        assert_eq!(
            (
                c.id.as_str(),
                c.attribution.as_deref(),
                c.claim_date.as_ref()
            ),
            ("isgs", Some("suspected"), Some(&Text("2017-06-19".into())))
        );
        let out = crate::yaml::to_string(&r.groups).unwrap();
        assert!(out.starts_with("- jnim\n- id: isgs\n"), "{out}");
        assert!(!out.contains("claim_medium"), "{out}");
    }

    #[test]
    fn targets_are_names_or_typed_actors_and_write_back_as_written() {
        let yaml = "targets:\n  - civilians\n  - {actor: MNLA fighters, kind: rebels, group: mnla}\ngroups:\n  - {id: jnim, attribution: claimed, claimed_killed: {min: 12}}\n";
        let r: RawIncident = crate::yaml::from_str(yaml).unwrap();
        assert_eq!(r.targets[0], RawTarget::Name("civilians".into()));
        let RawTarget::Actor(a) = &r.targets[1] else {
            panic!("{:?}", r.targets[1])
        };
        assert_eq!(
            (a.actor.as_deref(), a.kind.as_deref(), a.group.as_deref()),
            (Some("MNLA fighters"), Some("rebels"), Some("mnla"))
        );
        let RawGroupRef::Claim(c) = &r.groups[0] else {
            panic!()
        };
        assert_eq!(
            c.claimed_killed,
            Some(RawCount::Range { min: 12, max: None })
        );
        let out = crate::yaml::to_string(&r.targets).unwrap();
        assert!(
            out.starts_with("- civilians\n- actor: MNLA fighters\n"),
            "{out}"
        );
        let e = crate::yaml::from_str::<RawIncident>("targets:\n  - {actor: a, knd: rebels}\n")
            .unwrap_err();
        assert!(e.message.contains("unknown field `knd`"), "{}", e.message);
    }

    #[test]
    fn an_unknown_key_in_a_group_object_is_named() {
        let e =
            crate::yaml::from_str::<RawIncident>("groups:\n  - {id: jnim, atribution: claimed}\n")
                .unwrap_err();
        assert!(
            e.message.contains("unknown field `atribution`"),
            "{}",
            e.message
        );
    }
}

/// The front matter of a translation file (`<id>.<lang>.md`, issue 17): the words of one
/// record, by the kind of record it translates. Facts are not fields here: `load` reports a
/// fact written in a translation apart from a misspelt field.
#[derive(Debug, Clone)]
pub enum RawWords {
    /// An incident's words.
    Incident(RawIncidentWords),
    /// A group's words.
    Group(RawGroupWords),
    /// A briefing's words.
    Briefing(RawBriefingWords),
    /// A free page's or the home introduction's words.
    Page(RawPageWords),
}

/// An incident's words in another language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIncidentWords {
    /// Headline.
    pub title: Option<String>,
    /// One-sentence summary.
    pub summary: Option<String>,
    /// `location: {place: …}`: the place's name only.
    pub location: Option<RawPlaceWords>,
    /// The targets' names, in the record's order (`~` leaves one in the default language).
    pub targets: Option<Vec<Option<String>>>,
}

/// `location:` of an incident translation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlaceWords {
    /// Town, village or site, as the language writes it.
    pub place: Option<String>,
}

/// A group's words in another language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroupWords {
    /// Full name.
    pub name: Option<String>,
    /// Abbreviation.
    pub short_name: Option<String>,
    /// Other names.
    pub aliases: Option<Vec<String>>,
    /// Leaders' roles, in the record's order.
    pub leaders: Option<Vec<RawLeaderWords>>,
}

/// One leader of a group translation: the name as the record writes it (a check that the
/// positions agree) and the role in the language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLeaderWords {
    /// The leader's name exactly as in the record (not translated).
    pub name: Option<String>,
    /// The role, translated.
    pub role: Option<String>,
}

/// A briefing's words in another language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBriefingWords {
    /// Title.
    pub title: Option<String>,
    /// Standfirst.
    pub summary: Option<String>,
}

/// A free page's (or the home introduction's) words in another language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPageWords {
    /// Title.
    pub title: Option<String>,
    /// Meta description.
    pub description: Option<String>,
}
