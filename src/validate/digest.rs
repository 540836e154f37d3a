//! Analysts' monthly assessments (`content/digests/<cc>/<yyyy-mm>.md`, issue 15 §2): the
//! country and the month are the file's path, the `trend` and `author` its front matter.

use std::collections::BTreeMap;

use super::ctx::{Ctx, origin};
use crate::config::Config;
use crate::content::raw::RawAssessment;
use crate::content::{Assessment, PartialDate, Precision, Trend, country};
use crate::diagnostic::{Diagnostic, Location};
use crate::load::Record;

/// Where assessments live, relative to the site root.
const DIR: &str = "content/digests/";

/// Validates every assessment; returns them sorted by country, then month.
pub(super) fn assessments(
    cx: &mut Ctx<'_>,
    raw: Vec<Record<RawAssessment>>,
    config: &Config,
    today: chrono::NaiveDate,
) -> Vec<Assessment> {
    let mut out: Vec<Assessment> = Vec::new();
    let mut seen: BTreeMap<(String, (i32, u32)), String> = BTreeMap::new();
    for rec in raw {
        if rec.raw.draft && !config.drafts {
            continue;
        }
        let loc = &rec.loc;
        let rel = cx.rel(loc).to_string();
        let place = parse_path(&rel);
        let (code, month) = match place {
            Ok(p) => p,
            Err(PathError::Shape) => {
                cx.err(
                    Diagnostic::error(
                        "misplaced-digest",
                        format!("`{rel}` is not where an assessment goes"),
                    )
                    .at(Location::file(&rel), "")
                    .help("an analyst's assessment of a month lives at `content/digests/<country code>/<YYYY-MM>.md`, e.g. `content/digests/ml/2017-06.md`"),
                );
                continue;
            }
            Err(PathError::Parts { code, month }) => {
                if code.is_none() {
                    let folder = folder_of(&rel);
                    let mut d = Diagnostic::error(
                        "invalid-country",
                        format!("`{folder}` is not an ISO 3166-1 alpha-2 country code"),
                    )
                    .at(Location::file(&rel), "");
                    d = d.help(match country::COUNTRIES
                        .iter()
                        .find(|c| c.2.eq_ignore_ascii_case(folder))
                    {
                        Some(c) => format!(
                            "the folder is the country's code: `content/digests/{}/`",
                            c.0.to_ascii_lowercase()
                        ),
                        None => "name the folder after the country's two-letter code, e.g. `content/digests/ml/`".to_string(),
                    });
                    cx.err(d);
                }
                if month.is_none() {
                    let stem = &cx.sources.files[loc.file].stem;
                    cx.err(
                        Diagnostic::error(
                            "invalid-date",
                            format!("`{stem}` is not a month"),
                        )
                        .at(Location::file(&rel), "")
                        .help("name the file after the month it assesses, `YYYY-MM.md`, e.g. `2017-06.md`"),
                    );
                }
                continue;
            }
        };
        let trend = match rec.raw.trend.as_deref().map(str::trim) {
            Some(t) => {
                let parsed = Trend::parse(t);
                if parsed.is_none() {
                    cx.vocab(loc, "trend", t, Trend::ALL);
                }
                parsed
            }
            None => {
                let l = cx.record_start(loc);
                cx.err(
                    Diagnostic::error("missing-field", "missing required field `trend`")
                        .at(l, "this assessment has no `trend`")
                        .help("add `trend:` with one of `deteriorated`, `improved`, `unchanged`"),
                );
                None
            }
        };
        let as_date = PartialDate::parse(&format!("{:04}-{:02}", month.0, month.1)).ok();
        if let Some(d) = as_date {
            if d.first_day() > today {
                cx.err(
                    Diagnostic::warning(
                        "future-date",
                        format!("assessment of {} is in the future", d.iso()),
                    )
                    .at(Location::file(&rel), "after today"),
                );
            } else if let Some(cutoff) = config.data_cutoff.as_ref()
                && d.cmp_coarse(cutoff).is_gt()
            {
                cx.err(
                    Diagnostic::warning(
                        "after-cutoff",
                        format!(
                            "assessment of {} is after the site's data cutoff {}",
                            d.iso(),
                            cutoff.iso()
                        ),
                    )
                    .at(Location::file(&rel), "after `data_cutoff` in site.yaml")
                    .help("the month's incidents are not counted; move `data_cutoff` in site.yaml to include the month"),
                );
            }
        }
        let key = (code.clone(), month);
        if let Some(first) = seen.get(&key) {
            cx.err(
                Diagnostic::error(
                    "duplicate-id",
                    format!("two assessments of {code} {:04}-{:02}", month.0, month.1),
                )
                .at(Location::file(&rel), "second assessment")
                .note(Some(Location::file(first)), "first assessment")
                .help("keep one file per country and month (folder names are not case-sensitive)"),
            );
            continue;
        }
        seen.insert(key, rel.clone());
        let Some(trend) = trend else { continue };
        out.push(Assessment {
            country: code,
            month,
            trend,
            author: rec
                .raw
                .author
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty()),
            body: rec.body,
            origin: origin(loc),
        });
    }
    out.sort_by(|a, b| (&a.country, a.month).cmp(&(&b.country, b.month)));
    out
}

enum PathError {
    /// Not `content/digests/<one folder>/<file>.md`.
    Shape,
    /// The right shape, but the folder is no country (`code: None`) or the stem no month.
    Parts {
        code: Option<String>,
        month: Option<(i32, u32)>,
    },
}

fn folder_of(rel: &str) -> &str {
    rel.strip_prefix(DIR)
        .and_then(|r| r.split('/').next())
        .unwrap_or("")
}

/// The (upper-case country code, (year, month)) a file's path names.
fn parse_path(rel: &str) -> Result<(String, (i32, u32)), PathError> {
    let rest = rel.strip_prefix(DIR).ok_or(PathError::Shape)?;
    let mut parts = rest.split('/');
    let (Some(folder), Some(file), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(PathError::Shape);
    };
    let stem = file.strip_suffix(".md").ok_or(PathError::Shape)?;
    let upper = folder.to_ascii_uppercase();
    let code = (folder.len() == 2 && country::by_code(&upper).is_some()).then_some(upper);
    let month = PartialDate::parse(stem)
        .ok()
        .filter(|d| d.precision() == Precision::Month)
        .and_then(|d| Some((d.year, u32::from(d.month?))));
    match (code, month) {
        (Some(c), Some(m)) => Ok((c, m)),
        (code, month) => Err(PathError::Parts { code, month }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_names_country_and_month() {
        assert!(matches!(
            parse_path("content/digests/ml/2017-06.md"),
            Ok((c, (2017, 6))) if c == "ML"
        ));
        assert!(matches!(
            parse_path("content/digests/BF/2016-01.md"),
            Ok((c, (2016, 1))) if c == "BF"
        ));
        assert!(matches!(
            parse_path("content/digests/2017-06.md"),
            Err(PathError::Shape)
        ));
        assert!(matches!(
            parse_path("content/digests/ml/x/2017-06.md"),
            Err(PathError::Shape)
        ));
        assert!(matches!(
            parse_path("content/digests/mali/2017-06.md"),
            Err(PathError::Parts {
                code: None,
                month: Some(_)
            })
        ));
        for stem in ["2017", "2017-06-01", "2017-13", "june"] {
            assert!(
                matches!(
                    parse_path(&format!("content/digests/ml/{stem}.md")),
                    Err(PathError::Parts {
                        code: Some(_),
                        month: None
                    })
                ),
                "{stem}"
            );
        }
    }
}
