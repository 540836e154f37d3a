//! An incident's `location`: the country and coordinates checked (in range, inside the
//! country's box, not more precise than the place is known), the precision read or derived.
//!
//! Takes the raw location and returns the validated place, or `None` when it cannot be
//! built; pushes every problem as a diagnostic and reads nothing beyond the record.

use super::ctx::Ctx;
use crate::content::raw::RawLocation;
use crate::content::{Location as Place, PlacePrecision, country};
use crate::diagnostic::Diagnostic;
use crate::load::RecordLoc;
use crate::yaml::{Part, Seg};

/// The validated place of an incident, or `None` (reported) when it has none or no usable
/// country.
pub(super) fn location(
    cx: &mut Ctx<'_>,
    loc: &RecordLoc,
    raw: Option<RawLocation>,
) -> Option<Place> {
    let Some(r) = raw else {
        if loc.dropped(&[Seg::Key("location")]) {
            return None;
        }
        let l = cx.record_start(loc);
        cx.err(
            Diagnostic::error("missing-field", "missing required field `location`")
                .at(l, "this incident has no `location`")
                .help("add `location: {place: …, country: ML}` (country is required)"),
        );
        return None;
    };
    let mut country_ok = false;
    let country = match r.country {
        Some(c) => {
            country_ok = cx.country(loc, &[Seg::Key("location"), Seg::Key("country")], &c);
            c
        }
        None if loc.dropped(&[Seg::Key("location"), Seg::Key("country")]) => String::new(),
        None => {
            let l = cx.at(loc, &[Seg::Key("location")], Part::Key);
            cx.err(
                Diagnostic::error("missing-field", "missing required field `location.country`")
                    .at(l, "this location has no `country`")
                    .help("add `country:` with an ISO 3166-1 alpha-2 code, e.g. `ML`"),
            );
            String::new()
        }
    };
    let coords = match (r.lat, r.lon) {
        (Some(lat), Some(lon)) => {
            let mut ok = true;
            if !(-90.0..=90.0).contains(&lat) {
                let l = cx.at(loc, &[Seg::Key("location"), Seg::Key("lat")], Part::Value);
                let mut d = Diagnostic::error(
                    "invalid-coordinates",
                    format!("latitude {lat} is out of range"),
                )
                .at(l, "expected -90 to 90");
                if (-90.0..=90.0).contains(&lon) && (-180.0..=180.0).contains(&lat) {
                    d = d.help("did you swap `lat` and `lon`? `lat` runs north–south (-90 to 90)");
                }
                cx.err(d);
                ok = false;
            }
            if !(-180.0..=180.0).contains(&lon) {
                let l = cx.at(loc, &[Seg::Key("location"), Seg::Key("lon")], Part::Value);
                cx.err(
                    Diagnostic::error(
                        "invalid-coordinates",
                        format!("longitude {lon} is out of range"),
                    )
                    .at(l, "expected -180 to 180"),
                );
                ok = false;
            }
            if ok && country_ok {
                outside_country(cx, loc, &country, lat, lon);
            }
            ok.then_some((lat, lon))
        }
        (None, None) => None,
        // The other one left out for an error already reported.
        (lat, _)
            if loc.dropped(&[
                Seg::Key("location"),
                Seg::Key(if lat.is_some() { "lon" } else { "lat" }),
            ]) =>
        {
            None
        }
        (lat, _) => {
            let (have, missing) = if lat.is_some() {
                ("lat", "lon")
            } else {
                ("lon", "lat")
            };
            let l = cx.at(loc, &[Seg::Key("location"), Seg::Key(have)], Part::Key);
            cx.err(
                Diagnostic::error(
                    "invalid-coordinates",
                    format!("`{have}` given without `{missing}`"),
                )
                .at(l, format!("needs a `{missing}` too"))
                .help("give both coordinates, or neither"),
            );
            None
        }
    };
    let derived = PlacePrecision::default_for(
        coords.is_some(),
        r.place.as_deref().is_some_and(|p| !p.trim().is_empty()),
        r.admin1.as_deref().is_some_and(|a| !a.trim().is_empty()),
    );
    let precision = match r.precision.as_deref().map(str::trim) {
        Some(p) => match PlacePrecision::parse(p) {
            Some(p) => {
                if p != PlacePrecision::Exact
                    && let Some((lat, lon)) = coords
                {
                    false_precision(cx, loc, p, lat, lon);
                }
                p
            }
            None => {
                cx.vocab_at(
                    loc,
                    &[Seg::Key("location"), Seg::Key("precision")],
                    "precision",
                    p,
                    PlacePrecision::ALL,
                );
                derived
            }
        },
        None => derived,
    };
    Some(Place {
        place: r.place,
        admin1: r.admin1,
        admin2: r.admin2.filter(|a| !a.trim().is_empty()),
        country,
        coords,
        precision,
    })
}

/// Decimals in the shortest form of `x` that reads back as the same number: as written,
/// short of trailing zeros.
fn decimals(x: f64) -> usize {
    let s = x.to_string();
    s.split_once('.').map_or(0, |(_, frac)| frac.len())
}

/// Warns when a place known only roughly has coordinates written as if surveyed: more
/// than 2 decimals is a point within about a kilometre, which a `near` or `region`
/// location cannot honestly claim.
fn false_precision(cx: &mut Ctx<'_>, loc: &RecordLoc, p: PlacePrecision, lat: f64, lon: f64) {
    let (field, value, n) = if decimals(lat) >= decimals(lon) {
        ("lat", lat, decimals(lat))
    } else {
        ("lon", lon, decimals(lon))
    };
    if n <= 2 {
        return;
    }
    let l = cx.at(loc, &[Seg::Key("location"), Seg::Key(field)], Part::Value);
    let note = cx.at(
        loc,
        &[Seg::Key("location"), Seg::Key("precision")],
        Part::Value,
    );
    let rounded = (value * 100.0).round() / 100.0;
    cx.err(
        Diagnostic::warning(
            "false-precision",
            format!(
                "`{field}` {value} has {n} decimals, but the location is only `{}`",
                p.as_str()
            ),
        )
        .at(l, "as precise as about a hundred metres or better")
        .note(Some(note), format!("precision `{}` given here", p.as_str()))
        .help(format!(
            "round the coordinates to 2 decimals (`{field}: {rounded}`), or set `precision: exact` if the spot is known"
        )),
    );
}

/// Warns when coordinates lie far outside the bounding box of the named country (issue 3):
/// a swapped `lat`/`lon`, a lost minus sign or the wrong country. Countries without a box
/// in [`country::bbox`] are not checked.
fn outside_country(cx: &mut Ctx<'_>, loc: &RecordLoc, code: &str, lat: f64, lon: f64) {
    let Some(b) = country::bbox::by_code(code) else {
        return;
    };
    let km = b.distance_km(lat, lon);
    if km <= country::bbox::TOLERANCE_KM {
        return;
    }
    let name = country::name(code).unwrap_or(code);
    let l = cx.at(loc, &[Seg::Key("location"), Seg::Key("lat")], Part::Value);
    let note = cx.at(
        loc,
        &[Seg::Key("location"), Seg::Key("country")],
        Part::Value,
    );
    let rounded = ((km / 10.0).round() * 10.0) as u64;
    let mut d = Diagnostic::warning(
        "coordinates-outside-country",
        format!("coordinates {lat}, {lon} are far outside {name} (`{code}`)"),
    )
    .at(l, format!("about {rounded} km outside {name}"))
    .note(Some(note), "the country is given here");
    if b.distance_km(lon, lat) <= country::bbox::TOLERANCE_KM {
        d = d.help("did you swap `lat` and `lon`?");
    } else if b.distance_km(lat, -lon) <= country::bbox::TOLERANCE_KM {
        d = d.help("check the sign of `lon`: west of Greenwich is negative");
    } else if b.distance_km(-lat, lon) <= country::bbox::TOLERANCE_KM {
        d = d.help("check the sign of `lat`: south of the equator is negative");
    } else if let Some(other) = country::bbox::containing(lat, lon) {
        let other_name = country::name(other).unwrap_or(other);
        d = d.help(format!(
            "the point lies in or near {other_name} (`{other}`); check `country`"
        ));
    } else {
        d = d.help("check the coordinates and the country code");
    }
    cx.err(d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_counted_as_written() {
        assert_eq!(decimals(12.58), 2);
        assert_eq!(decimals(12.583), 3);
        assert_eq!(decimals(12.0), 0);
        assert_eq!(decimals(-1.03), 2);
    }
}
