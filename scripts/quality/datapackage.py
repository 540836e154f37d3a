#!/usr/bin/env python3
"""Validate a built site's data exports against their Frictionless Data Packages.

    python3 scripts/quality/datapackage.py SITE_DIR [LABEL]

Reads data/datapackage.json and every groups/<id>/ and countries/<cc>/datapackage.json,
and with the `frictionless` package (PyPI) validates every tabular resource (CSV and JSON)
against its Table Schema: column names in order, types, constraints, primary keys. The
GeoJSON resource is not tabular: each feature must be a Feature with a null or Point
geometry, and its properties are validated against the incidents-json schema. Every export
file of a folder must be listed by its package, and every listed file must exist.

Prints one FAIL line per problem and a last line `datapackage_files=N datapackage_errors=M`;
exits 1 when there is any error, 2 when it cannot run (frictionless missing).
"""

import json
import os
import sys

try:
    from frictionless import Resource, Schema, system
except ImportError:  # pragma: no cover - reported as "could not run"
    print("datapackage: the frictionless package is not installed (pip install 'frictionless[json]')")
    sys.exit(2)

EXPORT_SUFFIXES = (".csv", ".json", ".geojson")


def packages(site):
    """Folders holding a datapackage.json, data/ first."""
    out = []
    if os.path.isfile(os.path.join(site, "data", "datapackage.json")):
        out.append("data")
    for kind in ("groups", "countries"):
        base = os.path.join(site, kind)
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            folder = os.path.join(kind, name)
            if any(
                os.path.isfile(os.path.join(site, folder, f))
                for f in ("incidents.csv", "datapackage.json")
            ):
                out.append(folder)
    return out


def report_errors(report, label):
    """FAIL lines of a frictionless report; returns how many."""
    n = 0
    for task in report.tasks:
        for e in task.errors[:20]:
            where = ""
            if getattr(e, "row_number", None):
                where = f" row {e.row_number}"
            if getattr(e, "field_name", None):
                where += f" field {e.field_name}"
            print(f"FAIL {label}{where}: {e.type}: {e.note or e.message}")
            n += 1
        n += max(0, len(task.errors) - 20)
    for e in report.errors:
        print(f"FAIL {label}: {e.type}: {e.note or e.message}")
        n += 1
    return n


def validate_table(folder, res, label):
    path = os.path.join(folder, res["path"])
    if res.get("format") == "json":
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if not isinstance(data, list):
            print(f"FAIL {label}: not a JSON array")
            return 1
        if not data:
            # An empty array is a table with no rows (frictionless cannot infer one).
            return 0
    resource = Resource.from_descriptor(dict(res), basepath=folder)
    return report_errors(resource.validate(), label)


def validate_geojson(folder, res, schema, label):
    path = os.path.join(folder, res["path"])
    with open(path, encoding="utf-8") as f:
        geo = json.load(f)
    errors = 0
    if geo.get("type") != "FeatureCollection" or not isinstance(geo.get("features"), list):
        print(f"FAIL {label}: not a GeoJSON FeatureCollection")
        return 1
    rows = []
    for n, feat in enumerate(geo["features"], 1):
        g = feat.get("geometry", "missing")
        point = (
            isinstance(g, dict)
            and g.get("type") == "Point"
            and isinstance(g.get("coordinates"), list)
            and len(g["coordinates"]) == 2
            and all(isinstance(x, (int, float)) for x in g["coordinates"])
        )
        if feat.get("type") != "Feature" or not (g is None or point):
            print(f"FAIL {label} feature {n}: not a Feature with a null or Point geometry")
            errors += 1
        props = feat.get("properties")
        if not isinstance(props, dict):
            print(f"FAIL {label} feature {n}: no properties object")
            errors += 1
            continue
        if point and (props.get("location") or {}).get("lon") != g["coordinates"][0]:
            print(f"FAIL {label} feature {n}: geometry and properties disagree")
            errors += 1
        rows.append(props)
    if rows:
        resource = Resource(data=rows, schema=Schema.from_descriptor(schema), name="geojson-properties")
        errors += report_errors(resource.validate(), label + " properties")
    return errors


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    site = sys.argv[1]
    label = sys.argv[2] if len(sys.argv) > 2 else site
    files = errors = 0
    folders = packages(site)
    if "data" not in folders:
        print(f"FAIL {label}: no data/datapackage.json")
        errors += 1
    # Paths are relative to each package's folder and never leave it: nothing to trust.
    with system.use_context(trusted=False):
        for rel in folders:
            folder = os.path.join(site, rel)
            try:
                with open(os.path.join(folder, "datapackage.json"), encoding="utf-8") as f:
                    pkg = json.load(f)
            except (OSError, ValueError) as e:
                print(f"FAIL {label} {rel}/datapackage.json: {e}")
                errors += 1
                continue
            resources = pkg.get("resources") or []
            listed = {r.get("path") for r in resources}
            present = {
                n
                for n in os.listdir(folder)
                if n.endswith(EXPORT_SUFFIXES) and n != "datapackage.json"
            }
            for n in sorted(present - listed):
                print(f"FAIL {label} {rel}/{n}: exported but not described by {rel}/datapackage.json")
                errors += 1
            schemas = {r.get("name"): r.get("schema") for r in resources}
            for res in resources:
                where = f"{label} {rel}/{res.get('path')}"
                if not os.path.isfile(os.path.join(folder, res.get("path", ""))):
                    print(f"FAIL {where}: listed in datapackage.json but missing")
                    errors += 1
                    continue
                files += 1
                try:
                    if res.get("format") == "geojson":
                        errors += validate_geojson(folder, res, schemas.get("incidents-json"), where)
                    else:
                        errors += validate_table(folder, res, where)
                except Exception as e:  # a file that does not even parse
                    print(f"FAIL {where}: {type(e).__name__}: {e}")
                    errors += 1
    print(f"datapackage: {label}: {len(folders)} packages")
    print(f"datapackage_files={files} datapackage_errors={errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
