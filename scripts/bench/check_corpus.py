#!/usr/bin/env python3
"""Sanity-checks a generated briefwerk benchmark corpus (needs PyYAML).

usage: check_corpus.py DIR
Checks: every front matter parses; required fields; ids are [a-z0-9-]+ file stems; group and
incident references resolve (front matter and @links); merged_into/merged_from agree;
casualty ranges have min <= max; coordinates fall in the country's bounding box; and prints
the distribution of date precisions, lat/lon presence and counts.
"""
import collections, os, re, sys
import yaml

BBOX = {"ML": (10.1, 25.0, -12.3, 4.3), "BF": (9.4, 15.1, -5.6, 2.5), "NE": (11.6, 23.6, 0.1, 16.0)}
ID = re.compile(r"^[a-z0-9-]+$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
LINK = re.compile(r"\]\(@(group|incident)/([a-z0-9-]+)\)")


def front(path):
    text = open(path, encoding="utf-8").read()
    assert text.startswith("---\n"), path
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]), text[end + 5:]


def main(root):
    errs = []
    site = yaml.safe_load(open(os.path.join(root, "site.yaml")))
    assert set(site) == {"title", "description", "base_url", "language", "author", "paginate_by"}, site
    c = os.path.join(root, "content")
    groups = {}
    for f in sorted(os.listdir(os.path.join(c, "groups"))):
        fm, body = front(os.path.join(c, "groups", f))
        groups[f[:-3]] = (fm, body)
    incidents = {}
    for y in sorted(os.listdir(os.path.join(c, "incidents"))):
        for f in os.listdir(os.path.join(c, "incidents", y)):
            fm, body = front(os.path.join(c, "incidents", y, f))
            incidents[f[:-3]] = (fm, body)
    briefings = {}
    for f in sorted(os.listdir(os.path.join(c, "briefings"))):
        briefings[f[:-3]] = front(os.path.join(c, "briefings", f))
    links = collections.Counter()

    def check_links(where, body):
        for kind, ident in LINK.findall(body):
            links[kind] += 1
            if ident not in (groups if kind == "group" else incidents):
                errs.append(f"{where}: broken @{kind}/{ident}")

    for gid, (fm, body) in groups.items():
        if not ID.match(gid):
            errs.append(f"bad group id {gid}")
        if fm.get("merged_into"):
            t = fm["merged_into"]
            if fm["status"] != "merged" or gid not in groups.get(t, ({},))[0].get("merged_from", []):
                errs.append(f"group {gid}: merged_into {t} inconsistent")
        for a in fm.get("affiliations", []) + fm.get("merged_from", []):
            if a not in groups:
                errs.append(f"group {gid}: unknown group {a}")
        if not DATE.match(fm["founded"]):
            errs.append(f"group {gid}: founded {fm['founded']}")
        check_links(gid, body)
    prec = collections.Counter()
    nolatlon = 0
    ranges = 0
    for iid, (fm, body) in incidents.items():
        if not ID.match(iid):
            errs.append(f"bad incident id {iid}")
        d = fm["date"]
        if not isinstance(d, str) or not DATE.match(d) or not (2012 <= int(d[:4]) <= 2025):
            errs.append(f"{iid}: date {d!r}")
        prec[len(d)] += 1
        for g in fm["groups"]:
            if g not in groups:
                errs.append(f"{iid}: unknown group {g}")
        if not 1 <= len(fm["groups"]) <= 2:
            errs.append(f"{iid}: {len(fm['groups'])} groups")
        loc = fm["location"]
        if "lat" in loc:
            la, lo1, lo, hi = BBOX[loc["country"]]
            if not (la <= loc["lat"] <= lo1 and lo <= loc["lon"] <= hi):
                errs.append(f"{iid}: coords outside {loc['country']}")
        else:
            nolatlon += 1
        for k in ("killed", "wounded", "captured"):
            v = fm["casualties"][k]
            if isinstance(v, dict):
                ranges += 1
                if v["min"] > v["max"]:
                    errs.append(f"{iid}: {k} min > max")
        for s in fm["sources"]:
            if not s["url"].startswith("https://"):
                errs.append(f"{iid}: url")
        check_links(iid, body)
    for bid, (fm, body) in briefings.items():
        for i in fm["incidents"]:
            if i not in incidents:
                errs.append(f"briefing {bid}: unknown incident {i}")
        check_links(bid, body)
    n = len(incidents)
    print(f"{n} incidents, {len(groups)} groups, {len(briefings)} briefings; "
          f"date precision day/month/year = {prec[10]}/{prec[7]}/{prec[4]}; "
          f"without lat/lon {nolatlon}; casualty ranges {ranges}; @links {dict(links)}")
    for e in errs[:50]:
        print("ERROR", e)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
