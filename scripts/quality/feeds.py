#!/usr/bin/env python3
"""Feeds and sitemap gate: every feed and sitemap of a built site, read by real parsers.

    python3 scripts/quality/feeds.py DIR BASE_URL

- Every ``*.xml`` file under DIR must be well-formed XML (``xml.etree``).
- Atom/RSS feeds (root ``feed`` or ``rss``) are parsed with feedparser and must come out with
  ``bozo == 0`` (no warning at all), a title, an id/link, and entries that each have a title, an
  id, a date and a link; Atom also needs ``updated`` and an author; internal links must resolve
  to files of the site.
- Sitemaps (root ``urlset``) must use the sitemaps.org namespace, hold absolute ``<loc>`` URLs
  under BASE_URL that resolve to files, without duplicates, and valid ``<lastmod>`` dates.

When the site has no ``atom.xml`` and no ``sitemap.xml`` yet, prints
``feeds=skipped (not built yet)`` and passes; a file that exists and is invalid always fails.
Ends with ``feeds_ok=N feeds_failed=N sitemaps_ok=N sitemaps_failed=N``; exit 1 on any failure,
2 when feedparser is missing.
"""

import os
import re
import sys
import xml.etree.ElementTree as ET
from urllib.parse import unquote, urlsplit

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
W3C_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$")


def resolve(site, base_url, url):
    """The file under `site` that an absolute URL under `base_url` names, or None if outside."""
    if not url.startswith(base_url):
        return None
    rel = unquote(urlsplit(url[len(base_url) :]).path)
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return os.path.join(site, rel)


def check_feed(site, base_url, rel, data, problems, notes):
    import feedparser

    d = feedparser.parse(data)
    if d.bozo:
        problems.append(f"feedparser: bozo=1: {d.get('bozo_exception')!r}")
    ver = d.get("version", "")
    if not ver:
        problems.append("feedparser does not recognise the format")
    feed = d.feed
    if not feed.get("title"):
        problems.append("the feed has no title")
    if not (feed.get("id") or feed.get("link")):
        problems.append("the feed has no id or link")
    if not d.entries:
        # Valid (a group with no incidents yet has an empty feed), but worth seeing.
        notes.append("no entries")
    if ver.startswith("atom"):
        root = ET.fromstring(data)
        if root.find(ATOM + "updated") is None:
            problems.append("atom: the feed has no <updated>")
        if root.find(ATOM + "id") is None:
            problems.append("atom: the feed has no <id>")
        selfs = [l for l in root.findall(ATOM + "link") if l.get("rel") == "self"]
        if not selfs:
            problems.append('atom: no <link rel="self">')
        feed_author = root.find(ATOM + "author") is not None
        for i, e in enumerate(root.findall(ATOM + "entry")):
            for tag in ("id", "title", "updated"):
                if e.find(ATOM + tag) is None:
                    problems.append(f"atom: entry {i + 1} has no <{tag}>")
            if not feed_author and e.find(ATOM + "author") is None:
                problems.append(f"atom: entry {i + 1} has no <author> and the feed has none")
    ids = set()
    for i, e in enumerate(d.entries):
        label = f"entry {i + 1} ({e.get('title', '?')[:40]!r})"
        if not e.get("title"):
            problems.append(f"{label}: no title")
        eid = e.get("id") or e.get("link")
        if not eid:
            problems.append(f"{label}: no id")
        elif eid in ids:
            problems.append(f"{label}: duplicate id {eid}")
        ids.add(eid)
        if not (e.get("updated") or e.get("published")):
            problems.append(f"{label}: no date")
        link = e.get("link")
        if not link:
            problems.append(f"{label}: no link")
        else:
            f = resolve(site, base_url, link)
            if f is not None and not os.path.isfile(f):
                problems.append(f"{label}: link {link} names no file of the site")
    return len(d.entries)


def check_sitemap(site, base_url, root, problems):
    if root.tag != SITEMAP + "urlset":
        problems.append(f"root element {root.tag} is not a sitemaps.org <urlset>")
        return 0
    seen = set()
    urls = root.findall(SITEMAP + "url")
    if not urls:
        problems.append("no <url> entries")
    if len(urls) > 50000:
        problems.append(f"{len(urls)} URLs (the protocol allows 50,000 per file)")
    for u in urls:
        loc = (u.findtext(SITEMAP + "loc") or "").strip()
        if not loc:
            problems.append("a <url> without <loc>")
            continue
        if loc in seen:
            problems.append(f"duplicate <loc> {loc}")
        seen.add(loc)
        if not re.match(r"^https?://", loc):
            problems.append(f"<loc> {loc} is not an absolute http(s) URL")
            continue
        f = resolve(site, base_url, loc)
        if f is None:
            problems.append(f"<loc> {loc} is outside the base URL {base_url}")
        elif not os.path.isfile(f):
            problems.append(f"<loc> {loc} names no file of the site")
        lastmod = u.findtext(SITEMAP + "lastmod")
        if lastmod is not None and not W3C_DATE.match(lastmod.strip()):
            problems.append(f"<lastmod> {lastmod!r} of {loc} is not a W3C date")
    return len(urls)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    site, base_url = sys.argv[1], sys.argv[2]
    if not base_url.endswith("/"):
        base_url += "/"
    try:
        import feedparser  # noqa: F401
    except ImportError:
        print("feeds: python3 feedparser is not installed (pip install feedparser)")
        return 2
    xml_files = []
    for dirpath, _, names in os.walk(site):
        for n in names:
            if n.endswith((".xml", ".atom", ".rss")):
                xml_files.append(os.path.relpath(os.path.join(dirpath, n), site))
    xml_files.sort()
    if not os.path.exists(os.path.join(site, "atom.xml")) and not os.path.exists(os.path.join(site, "sitemap.xml")):
        print(f"  note atom.xml and sitemap.xml are not built yet ({len(xml_files)} other XML files checked)")
        if not xml_files:
            print("feeds=skipped (not built yet)")
            return 0
    counts = {"feeds_ok": 0, "feeds_failed": 0, "sitemaps_ok": 0, "sitemaps_failed": 0, "xml_failed": 0}
    for rel in xml_files:
        with open(os.path.join(site, rel), "rb") as fh:
            data = fh.read()
        problems = []
        notes = []
        try:
            root = ET.fromstring(data)
        except ET.ParseError as e:
            problems.append(f"not well-formed XML: {e}")
            root = None
        kind = "xml"
        detail = ""
        local = root.tag.rsplit("}", 1)[-1] if root is not None else ""
        if local in ("feed", "rss", "RDF") or (root is None and rel.endswith(("atom.xml", "rss.xml", ".atom", ".rss"))):
            kind = "feeds"
            n = check_feed(site, base_url, rel, data, problems, notes) if root is not None else 0
            if root is None:
                # Still show what a feed reader makes of it.
                import feedparser

                d = feedparser.parse(data)
                problems.append(f"feedparser: bozo={int(bool(d.bozo))}: {d.get('bozo_exception')!r}")
            detail = f"{n} entr{'y' if n == 1 else 'ies'}"
        elif local in ("urlset", "sitemapindex") or (root is None and "sitemap" in rel):
            kind = "sitemaps"
            n = check_sitemap(site, base_url, root, problems) if root is not None else 0
            detail = f"{n} URLs"
        if problems:
            counts[f"{kind}_failed" if kind != "xml" else "xml_failed"] += 1
            print(f"  FAIL {rel} ({kind}): {len(problems)} problem(s)")
            for p in problems[:20]:
                print(f"         {p}")
            if len(problems) > 20:
                print(f"         … and {len(problems) - 20} more")
        else:
            if kind != "xml":
                counts[f"{kind}_ok"] += 1
            print(f"  ok   {rel} ({kind}{', ' + detail if detail else ''}){'  note: ' + '; '.join(notes) if notes else ''}")
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    failed = counts["feeds_failed"] + counts["sitemaps_failed"] + counts["xml_failed"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
