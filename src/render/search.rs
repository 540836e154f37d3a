//! The static full-text search index (issue 6): incidents, groups and briefings, searched in
//! the browser by `themes/default/static/search.js` with no server.
//!
//! Takes the validated site and returns files under `search/`; reads and writes nothing. The
//! index is split so that a visitor downloads only what a query needs, however large the site:
//!
//! - `search/index.json`: a small manifest: format version, document count, stop words, the
//!   first term of every term shard, and the filter values with counts.
//! - `search/t/<n>.json`: one term shard, `{term: postings}` for a contiguous run of the sorted
//!   terms, cut at about [`SHARD_TARGET_BYTES`], so the shard of a term (and the shards of every
//!   term starting with a prefix) is found by a binary search in the manifest. Postings are a
//!   flat array of integers `(doc_delta << 2) | weight`, doc ids ascending, weight 3 (title or
//!   name), 2 (summary and metadata) or 1 (body text).
//! - `search/d/<n>.json`: metadata of documents `n * DOCS_PER_SHARD ..`, for showing results.
//! - `search/f/{group,country,year}/<value>.json`: doc ids (delta-coded) carrying a filter value.
//!
//! Document order is the ranking tie-break: group profiles, then briefings newest first, then
//! incidents newest first. Drafts are never indexed. Text is folded the same way here and in
//! search.js (lower case, Unicode NFD, combining marks dropped, apostrophes removed), so the
//! two must change together.
//!
//! Why not pagefind (tried first, 1.6.0, as a library): its service API adds records one at a
//! time and checks each against every earlier one (quadratic: 1.2 s for 10,000 records, 97 s
//! for 100,000, before briefwerk renders anything), needs a tokio runtime inside this pure,
//! rayon-parallel stage, and does not compile without its default `serve` feature (actix-web)
//! unless we add tokio features on its behalf.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::char::is_combining_mark;

use super::{Inputs, OutputFile};
use crate::config::Config;
use crate::content::{Site, country};
use crate::index::Index;
use crate::routes;
use crate::text::fold;

/// Version of the index layout; search.js refuses an index it does not understand.
pub const FORMAT: u32 = 1;

/// Documents per metadata shard (`search/d/<n>.json`): about 25 KB each, so a page of twenty
/// results costs at most twenty small requests and usually two or three.
pub const DOCS_PER_SHARD: usize = 100;

/// Size at which a term shard is cut (one term larger than this gets a shard of its own).
pub const SHARD_TARGET_BYTES: usize = 32 * 1024;

/// Shortest indexed term, in characters.
pub const MIN_TERM: usize = 2;

/// Words left out of English sites' indexes (and, through the manifest, out of queries).
pub const STOPWORDS_EN: &[&str] = &[
    "after", "also", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from",
    "had", "has", "have", "he", "his", "in", "into", "is", "it", "its", "of", "on", "or", "that",
    "the", "their", "they", "this", "to", "was", "were", "which", "who", "will", "with",
];

/// Weight of a term found in a title or name.
const W_TITLE: u8 = 3;
/// Weight of a term found in a summary or metadata field.
const W_META: u8 = 2;
/// Weight of a term found in body text.
const W_BODY: u8 = 1;

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || is_apostrophe(c) || is_combining_mark(c)
}

/// Splits text into folded terms. A word written with hyphens or apostrophes (`al-Qaeda`,
/// `Jama'at`) yields its parts and, for the index only (`joined`), the parts run together
/// (`alqaeda`, `jamaat`), so either spelling finds it. Words are cut before folding (marks
/// count as word characters, so a decomposed `é` stays inside its word) so that the common
/// all-ASCII word skips Unicode normalisation.
pub fn terms(text: &str, joined: bool, stopwords: &[&str], out: &mut Vec<String>) {
    for raw in text
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
    {
        let folded = if raw.is_ascii() {
            raw.to_ascii_lowercase()
        } else {
            fold(raw)
        };
        for word in folded.split(|c: char| !is_word_char(c)) {
            let parts: Vec<&str> = word
                .split(|c: char| c == '-' || is_apostrophe(c))
                .filter(|p| !p.is_empty())
                .collect();
            let mut keep = |t: String| {
                if t.chars().count() >= MIN_TERM && !stopwords.contains(&t.as_str()) {
                    out.push(t);
                }
            };
            if joined && parts.len() > 1 {
                keep(parts.concat());
            }
            for p in parts {
                keep(p.to_string());
            }
        }
    }
}

/// Plain text of a Markdown body (link targets and markup dropped).
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::with_capacity(markdown.len());
    for ev in Parser::new(markdown) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => {
                out.push(' ');
            }
            _ => {}
        }
    }
    out
}

/// Shortens text to about `max` characters at a word boundary.
fn snippet(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// What search.js shows for one result.
#[derive(Debug, Clone, Serialize)]
pub struct DocMeta {
    /// `i` incident, `g` group, `b` briefing.
    pub k: &'static str,
    /// Title or name.
    pub t: String,
    /// Path relative to the site root.
    pub u: String,
    /// ISO date at its precision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
    /// Place line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p: Option<String>,
    /// Summary or the start of the text.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub s: String,
}

/// One document before inversion.
#[derive(Debug)]
struct Doc {
    meta: DocMeta,
    /// Term → highest weight in this document.
    terms: HashMap<String, u8>,
    groups: Vec<String>,
    countries: Vec<String>,
    year: Option<i32>,
}

struct Collector<'a> {
    stop: &'a [&'a str],
    terms: HashMap<String, u8>,
    buf: Vec<String>,
}

impl Collector<'_> {
    fn add(&mut self, text: &str, w: u8) {
        self.buf.clear();
        terms(text, true, self.stop, &mut self.buf);
        for t in self.buf.drain(..) {
            let e = self.terms.entry(t).or_insert(0);
            *e = (*e).max(w);
        }
    }
}

/// Documents per batch: tokenised in parallel, then merged into the index and dropped, so
/// the per-document term maps of a large site are never all in memory at once.
const BATCH: usize = 4096;

/// Key of every document in index order (groups, briefings newest first, incidents newest
/// first): `g/<id>`, `b/<id>`, `i/<id>`.
pub fn doc_keys(site: &Site) -> Vec<String> {
    let mut keys: Vec<String> = site.groups.iter().map(|g| format!("g/{}", g.id)).collect();
    keys.extend(
        site.briefings
            .iter()
            .rev()
            .filter(|b| !b.draft)
            .map(|b| format!("b/{}", b.id)),
    );
    keys.extend(
        site.incidents
            .iter()
            .rev()
            .filter(|i| !i.draft)
            .map(|i| format!("i/{}", i.id)),
    );
    keys
}

/// Hands the documents `want` accepts (by key, see [`doc_keys`]) to `each` with their
/// position, in index order.
fn documents(
    site: &Site,
    index: &Index,
    config: &Config,
    stop: &[&str],
    want: &(dyn Fn(&str) -> bool + Sync),
    mut each: impl FnMut(u32, Doc),
) {
    let docs = DocMaker {
        site,
        config,
        stop,
        incident_countries: incident_countries(site, index),
    };
    let groups: Vec<_> = site.groups.iter().collect();
    let briefings: Vec<_> = site.briefings.iter().rev().filter(|b| !b.draft).collect();
    let incidents: Vec<_> = site.incidents.iter().rev().filter(|i| !i.draft).collect();
    let mut n = 0u32;
    batches(
        &groups,
        "g",
        |g| &g.id,
        |g| docs.group(g),
        want,
        &mut n,
        &mut each,
    );
    batches(
        &briefings,
        "b",
        |b| &b.id,
        |b| docs.briefing(b),
        want,
        &mut n,
        &mut each,
    );
    batches(
        &incidents,
        "i",
        |i| &i.id,
        |i| docs.incident(i),
        want,
        &mut n,
        &mut each,
    );
}

/// The lower-case codes of the countries of each group's published incidents, by group id.
///
/// A group is filed under these, as its page counts them, not under every country of its
/// `area` (which may hold none of its incidents).
fn incident_countries<'a>(site: &'a Site, index: &Index) -> HashMap<&'a str, Vec<String>> {
    site.groups
        .iter()
        .zip(&index.by_group)
        .map(|(g, positions)| {
            let mut cc: Vec<String> = positions
                .iter()
                .map(|&p| &site.incidents[p])
                .filter(|i| !i.draft)
                .map(|i| i.location.country.to_ascii_lowercase())
                .collect();
            cc.sort_unstable();
            cc.dedup();
            (g.id.as_str(), cc)
        })
        .collect()
}

/// Makes the search document of a group, a briefing or an incident.
struct DocMaker<'a> {
    site: &'a Site,
    config: &'a Config,
    stop: &'a [&'a str],
    incident_countries: HashMap<&'a str, Vec<String>>,
}

impl DocMaker<'_> {
    /// An empty term collector.
    fn collector(&self) -> Collector<'_> {
        Collector {
            stop: self.stop,
            terms: HashMap::new(),
            buf: Vec::new(),
        }
    }

    /// The names and short names of the groups `ids`.
    fn group_names(&self, ids: &[String]) -> Vec<String> {
        ids.iter()
            .filter_map(|id| self.site.group(id))
            .flat_map(|g| std::iter::once(g.name.clone()).chain(g.short_name.clone()))
            .collect()
    }

    /// A group profile's document.
    fn group(&self, g: &crate::content::Group) -> Doc {
        let mut c = self.collector();
        c.add(&g.name, W_TITLE);
        if let Some(s) = &g.short_name {
            c.add(s, W_TITLE);
        }
        for a in &g.aliases {
            c.add(a, W_TITLE);
        }
        c.add(&g.id, W_META);
        if let Some(i) = &g.ideology {
            c.add(i, W_META);
        }
        let countries = self
            .incident_countries
            .get(g.id.as_str())
            .cloned()
            .unwrap_or_default();
        // Both are words of the profile: where it has incidents, and the area it claims.
        for a in countries
            .iter()
            .map(|c| c.to_ascii_uppercase())
            .chain(g.area.iter().cloned())
        {
            c.add(country::name(&a).unwrap_or(&a), W_META);
        }
        for l in &g.leaders {
            c.add(&l.name, W_META);
        }
        let text = plain_text(&g.body);
        c.add(&text, W_BODY);
        let title = match &g.short_name {
            Some(s) if s != &g.name => format!("{} ({s})", g.name),
            _ => g.name.clone(),
        };
        Doc {
            meta: DocMeta {
                k: "g",
                t: title,
                u: routes::group(&g.id),
                d: g.founded.map(|d| d.iso()),
                p: None,
                s: snippet(&text, 200),
            },
            terms: c.terms,
            groups: vec![g.id.clone()],
            countries,
            year: None,
        }
    }

    /// A published briefing's document.
    fn briefing(&self, b: &crate::content::Briefing) -> Doc {
        let mut c = self.collector();
        c.add(&b.title, W_TITLE);
        if let Some(s) = &b.summary {
            c.add(s, W_META);
        }
        for a in &b.authors {
            c.add(a, W_META);
        }
        for t in &b.tags {
            c.add(t, W_META);
        }
        for n in self.group_names(&b.groups) {
            c.add(&n, W_META);
        }
        let text = plain_text(&b.body);
        c.add(&text, W_BODY);
        Doc {
            meta: DocMeta {
                k: "b",
                t: b.title.clone(),
                u: routes::briefing(&b.id),
                d: Some(b.date.iso()),
                p: None,
                s: snippet(b.summary.as_deref().unwrap_or(&text), 200),
            },
            terms: c.terms,
            groups: b.groups.clone(),
            countries: Vec::new(),
            year: Some(b.date.year),
        }
    }

    /// A published incident's document.
    fn incident(&self, i: &crate::content::Incident) -> Doc {
        let mut c = self.collector();
        c.add(&i.title, W_TITLE);
        if let Some(s) = &i.summary {
            c.add(s, W_META);
        }
        let cname = country::name(&i.location.country).unwrap_or(&i.location.country);
        let mut place: Vec<&str> = [
            i.location.place.as_deref(),
            i.location.admin1.as_deref(),
            Some(cname),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
        place.dedup();
        for p in &place {
            c.add(p, W_META);
        }
        for n in self.group_names(&i.groups) {
            c.add(&n, W_META);
        }
        if let Some(et) = &i.event_type {
            c.add(self.config.event_label(et).unwrap_or(et), W_META);
        }
        for t in i.targets.iter().map(|t| &t.actor).chain(&i.tags) {
            c.add(t, W_META);
        }
        let text = plain_text(&i.body);
        c.add(&text, W_BODY);
        Doc {
            meta: DocMeta {
                k: "i",
                t: i.title.clone(),
                u: routes::incident(&i.id),
                d: Some(i.date.iso()),
                p: Some(place.join(", ")),
                s: snippet(i.summary.as_deref().unwrap_or(&text), 200),
            },
            terms: c.terms,
            groups: i.groups.clone(),
            countries: vec![i.location.country.to_ascii_lowercase()],
            year: Some(i.date.year),
        }
    }
}

/// Tokenises the `items` whose key (`kind/id`) `want` accepts, a batch at a time in
/// parallel, handing each document on with its position (`n` counts every item).
fn batches<T: Sync>(
    items: &[&T],
    kind: &str,
    id: impl Fn(&T) -> &str + Sync,
    doc: impl Fn(&T) -> Doc + Sync,
    want: &(dyn Fn(&str) -> bool + Sync),
    n: &mut u32,
    each: &mut impl FnMut(u32, Doc),
) {
    for chunk in items.chunks(BATCH) {
        let docs: Vec<(u32, Doc)> = chunk
            .par_iter()
            .enumerate()
            .filter(|(_, x)| want(&format!("{kind}/{}", id(x))))
            .map(|(k, x)| (*n + k as u32, doc(x)))
            .collect();
        docs.into_iter().for_each(|(k, d)| each(k, d));
        *n += chunk.len() as u32;
    }
}

/// Delta-codes ascending doc ids with their weights: `(delta << 2) | weight`.
fn encode_postings(postings: &[(u32, u8)], out: &mut String) {
    out.push('[');
    let mut prev = 0u32;
    for (n, &(doc, w)) in postings.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}", (u64::from(doc - prev) << 2) | u64::from(w));
        prev = doc;
    }
    out.push(']');
}

/// Delta-codes ascending doc ids.
fn encode_ids(ids: &[u32]) -> String {
    let mut out = String::from("[");
    let mut prev = 0u32;
    for (n, &doc) in ids.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}", doc - prev);
        prev = doc;
    }
    out.push_str("]\n");
    out
}

/// Cuts the sorted term entries into contiguous runs of about [`SHARD_TARGET_BYTES`] each
/// (one term larger than that gets a shard of its own). Returns the end index of each run.
fn shard_ends(sizes: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut size = 0;
    let mut n = 0;
    for (i, s) in sizes.enumerate() {
        if size > 0 && size + s > SHARD_TARGET_BYTES {
            ends.push(i);
            size = 0;
        }
        size += s;
        n = i + 1;
    }
    if size > 0 {
        ends.push(n);
    }
    ends
}

/// The manifest, `search/index.json`.
#[derive(Serialize)]
struct Manifest<'a> {
    format: u32,
    docs: usize,
    docs_per_shard: usize,
    min_term: usize,
    stopwords: &'a [&'a str],
    /// First term of each term shard, ascending (shard `n` holds the terms from `shards[n]`
    /// up to `shards[n + 1]`, exclusive).
    shards: Vec<&'a str>,
    /// Filter name → `[value, label, count]`, in display order.
    filters: BTreeMap<&'static str, Vec<(String, String, usize)>>,
}

/// The index of the last build, kept by `serve` so that an edit re-tokenises only the
/// documents that changed (the files come out exactly as a full build writes them).
#[derive(Debug, Default)]
pub struct Cache(Option<State>);

/// The inverted index with everything needed to update it in place.
#[derive(Debug)]
struct State {
    /// Document keys in index order (see [`doc_keys`]).
    keys: Vec<String>,
    /// Each document's metadata and filter values, its term map dropped.
    docs: Vec<Doc>,
    /// Each document's terms with their weights (kept only when cached).
    doc_terms: Vec<Vec<(u32, u8)>>,
    /// Term of each term id.
    terms: Vec<String>,
    /// Term id of each term.
    ids: HashMap<String, u32>,
    /// Postings of each term id, doc ids ascending.
    postings: Vec<Vec<(u32, u8)>>,
    /// `"term":[postings]` of each term id.
    encoded: Vec<String>,
    /// Term ids in term order.
    sorted: Vec<u32>,
}

impl State {
    fn new(keys: Vec<String>) -> State {
        State {
            docs: Vec::with_capacity(keys.len()),
            keys,
            doc_terms: Vec::new(),
            terms: Vec::new(),
            ids: HashMap::new(),
            postings: Vec::new(),
            encoded: Vec::new(),
            sorted: Vec::new(),
        }
    }

    fn intern(&mut self, t: String) -> u32 {
        if let Some(&id) = self.ids.get(&t) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.ids.insert(t.clone(), id);
        self.terms.push(t);
        self.postings.push(Vec::new());
        self.encoded.push(String::new());
        id
    }

    fn encode(&self, id: u32) -> String {
        let mut s = serde_json::to_string(&self.terms[id as usize]).unwrap_or_default();
        s.push(':');
        encode_postings(&self.postings[id as usize], &mut s);
        s
    }

    /// Builds the whole index; `keep` keeps each document's terms for later updates.
    fn build(
        site: &Site,
        index: &Index,
        config: &Config,
        stop: &[&str],
        keys: Vec<String>,
        keep: bool,
    ) -> State {
        let mut st = State::new(keys);
        documents(site, index, config, stop, &|_| true, |n, mut d| {
            let mut mine = Vec::new();
            // Sorted, so that term ids (and everything after) do not depend on hash order.
            let mut terms: Vec<(String, u8)> = std::mem::take(&mut d.terms).into_iter().collect();
            terms.sort_unstable();
            for (t, w) in terms {
                let id = st.intern(t);
                // Documents come in order, so postings stay ascending.
                st.postings[id as usize].push((n, w));
                if keep {
                    mine.push((id, w));
                }
            }
            st.docs.push(d);
            if keep {
                st.doc_terms.push(mine);
            }
        });
        let mut sorted: Vec<u32> = (0..st.terms.len() as u32).collect();
        sorted.par_sort_unstable_by(|a, b| st.terms[*a as usize].cmp(&st.terms[*b as usize]));
        st.sorted = sorted;
        st.encoded = (0..st.terms.len() as u32)
            .into_par_iter()
            .map(|id| st.encode(id))
            .collect();
        st
    }

    /// Re-tokenises the documents whose keys are in `changed` (same documents, same order).
    fn update(
        &mut self,
        site: &Site,
        index: &Index,
        config: &Config,
        stop: &[&str],
        changed: &HashSet<String>,
    ) {
        // A changed incident may move its groups into or out of a country: their documents
        // are made again too (the groups it named before, and those it names now).
        let mut changed = changed.clone();
        let incidents: Vec<&str> = changed
            .iter()
            .filter_map(|k| k.strip_prefix("i/"))
            .collect();
        if !incidents.is_empty() {
            let pos: HashMap<&str, usize> = self
                .keys
                .iter()
                .enumerate()
                .map(|(n, k)| (k.as_str(), n))
                .collect();
            let mut groups: Vec<String> = Vec::new();
            for id in incidents {
                if let Some(&n) = pos.get(format!("i/{id}").as_str()) {
                    groups.extend(self.docs[n].groups.iter().map(|g| format!("g/{g}")));
                }
                if let Some(&p) = index.incident_pos.get(id) {
                    groups.extend(site.incidents[p].groups.iter().map(|g| format!("g/{g}")));
                }
            }
            changed.extend(groups);
        }
        let changed = &changed;
        let mut fresh: Vec<(u32, Doc)> = Vec::new();
        documents(
            site,
            index,
            config,
            stop,
            &|k| changed.contains(k),
            |n, d| {
                fresh.push((n, d));
            },
        );
        let mut touched: HashSet<u32> = HashSet::new();
        for (n, mut d) in fresh {
            let old: HashMap<u32, u8> = self.doc_terms[n as usize].iter().copied().collect();
            let mut terms: Vec<(String, u8)> = std::mem::take(&mut d.terms).into_iter().collect();
            terms.sort_unstable();
            let mut mine = Vec::with_capacity(terms.len());
            for (t, w) in terms {
                let known = self.ids.contains_key(&t);
                let id = self.intern(t);
                if !known {
                    let term = &self.terms[id as usize];
                    let at = self
                        .sorted
                        .partition_point(|x| self.terms[*x as usize].as_str() < term.as_str());
                    self.sorted.insert(at, id);
                }
                mine.push((id, w));
                if old.get(&id) != Some(&w) {
                    let p = &mut self.postings[id as usize];
                    match p.binary_search_by_key(&n, |e| e.0) {
                        Ok(i) => p[i].1 = w,
                        Err(i) => p.insert(i, (n, w)),
                    }
                    touched.insert(id);
                }
            }
            let now: HashSet<u32> = mine.iter().map(|e| e.0).collect();
            for &id in old.keys().filter(|id| !now.contains(id)) {
                let p = &mut self.postings[id as usize];
                if let Ok(i) = p.binary_search_by_key(&n, |e| e.0) {
                    p.remove(i);
                }
                touched.insert(id);
            }
            self.doc_terms[n as usize] = mine;
            self.docs[n as usize] = d;
        }
        for id in touched {
            self.encoded[id as usize] = self.encode(id);
        }
    }
}

/// Every file of the search index. With a cache, the index of the last build is updated
/// for the documents whose keys are in `changed` (when the same documents are indexed in
/// the same order) and kept for the next build.
pub fn render(
    inputs: &Inputs<'_>,
    cache: Option<&std::sync::Mutex<Cache>>,
    changed: Option<&HashSet<String>>,
) -> Vec<OutputFile> {
    let Inputs {
        site,
        index,
        config,
        ..
    } = *inputs;
    let stop: &[&str] = if config.language.to_ascii_lowercase().starts_with("en") {
        STOPWORDS_EN
    } else {
        &[]
    };
    let keys = doc_keys(site);
    let mut guard = cache.map(|c| c.lock().unwrap_or_else(|p| p.into_inner()));
    let reusable = guard
        .as_mut()
        .and_then(|g| g.0.take())
        .filter(|st| st.keys == keys && !st.doc_terms.is_empty());
    let st = match (reusable, changed) {
        (Some(mut st), Some(changed)) => {
            st.update(site, index, config, stop, changed);
            st
        }
        _ => State::build(site, index, config, stop, keys, guard.is_some()),
    };
    let files = assemble(&st, site, stop);
    if let Some(g) = guard.as_mut() {
        g.0 = Some(st);
    }
    files
}

/// Writes the index files from its state.
fn assemble(st: &State, site: &Site, stop: &[&str]) -> Vec<OutputFile> {
    let mut files = Vec::new();
    let docs = &st.docs;
    let encoded: Vec<(&str, &str)> = st
        .sorted
        .iter()
        .filter(|&&id| !st.postings[id as usize].is_empty())
        .map(|&id| {
            (
                st.terms[id as usize].as_str(),
                st.encoded[id as usize].as_str(),
            )
        })
        .collect();
    let mut firsts = Vec::new();
    let mut start = 0;
    for (n, end) in shard_ends(encoded.iter().map(|e| e.1.len() + 2))
        .into_iter()
        .enumerate()
    {
        firsts.push(encoded[start].0);
        let mut s = String::from("{");
        for (k, e) in encoded[start..end].iter().enumerate() {
            s.push_str(if k == 0 { "\n" } else { ",\n" });
            s.push_str(e.1);
        }
        s.push_str("\n}\n");
        files.push(OutputFile {
            path: routes::search_terms(n),
            bytes: s.into_bytes(),
        });
        start = end;
    }

    // Document metadata shards.
    for (n, chunk) in docs.chunks(DOCS_PER_SHARD).enumerate() {
        let metas: Vec<&DocMeta> = chunk.iter().map(|d| &d.meta).collect();
        let mut s = String::from("[");
        for (k, m) in metas.iter().enumerate() {
            s.push_str(if k == 0 { "\n" } else { ",\n" });
            s.push_str(&serde_json::to_string(m).unwrap_or_default());
        }
        s.push_str("\n]\n");
        files.push(OutputFile {
            path: routes::search_docs(n),
            bytes: s.into_bytes(),
        });
    }

    // Filters.
    let mut by_group: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut by_country: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut by_year: BTreeMap<i32, Vec<u32>> = BTreeMap::new();
    for (n, d) in docs.iter().enumerate() {
        let n = n as u32;
        for g in &d.groups {
            by_group.entry(g).or_default().push(n);
        }
        for c in &d.countries {
            by_country.entry(c).or_default().push(n);
        }
        if let Some(y) = d.year {
            by_year.entry(y).or_default().push(n);
        }
    }
    let mut filters: BTreeMap<&'static str, Vec<(String, String, usize)>> = BTreeMap::new();
    let mut groups: Vec<(String, String, usize)> = by_group
        .iter()
        .filter_map(|(g, ids)| {
            site.group(g)
                .map(|gr| (g.to_string(), gr.label().to_string(), ids.len()))
        })
        .collect();
    groups.sort_by(|a, b| {
        a.1.to_lowercase()
            .cmp(&b.1.to_lowercase())
            .then_with(|| a.0.cmp(&b.0))
    });
    let mut countries: Vec<(String, String, usize)> = by_country
        .iter()
        .map(|(c, ids)| {
            let up = c.to_ascii_uppercase();
            (
                c.to_string(),
                country::name(&up).unwrap_or(&up).to_string(),
                ids.len(),
            )
        })
        .collect();
    countries.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    let years: Vec<(String, String, usize)> = by_year
        .iter()
        .rev()
        .map(|(y, ids)| (y.to_string(), y.to_string(), ids.len()))
        .collect();
    for (g, ids) in &by_group {
        files.push(OutputFile {
            path: routes::search_filter("group", g),
            bytes: encode_ids(ids).into_bytes(),
        });
    }
    for (c, ids) in &by_country {
        files.push(OutputFile {
            path: routes::search_filter("country", c),
            bytes: encode_ids(ids).into_bytes(),
        });
    }
    for (y, ids) in &by_year {
        files.push(OutputFile {
            path: routes::search_filter("year", &y.to_string()),
            bytes: encode_ids(ids).into_bytes(),
        });
    }
    filters.insert("group", groups);
    filters.insert("country", countries);
    filters.insert("year", years);

    let manifest = Manifest {
        format: FORMAT,
        docs: docs.len(),
        docs_per_shard: DOCS_PER_SHARD,
        min_term: MIN_TERM,
        stopwords: stop,
        shards: firsts,
        filters,
    };
    let mut m = serde_json::to_string(&manifest).unwrap_or_default();
    m.push('\n');
    files.push(OutputFile {
        path: routes::SEARCH_INDEX.into(),
        bytes: m.into_bytes(),
    });
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str, joined: bool) -> Vec<String> {
        let mut v = Vec::new();
        terms(s, joined, STOPWORDS_EN, &mut v);
        v
    }

    #[test]
    fn folds_accents_case_and_apostrophes() {
        assert_eq!(
            t("Sévaré, the BYBLOS hotel", false),
            ["sevare", "byblos", "hotel"]
        );
        assert_eq!(
            t("Jama’at al-Qaeda", true),
            ["jamaat", "jama", "alqaeda", "al", "qaeda"]
        );
        assert_eq!(t("Jama'at", false), ["jama"]);
        assert_eq!(t("a 5 57", false), ["57"]);
    }

    #[test]
    fn postings_are_delta_coded_with_weights() {
        let mut s = String::new();
        encode_postings(&[(0, 3), (5, 1), (6, 2)], &mut s);
        assert_eq!(s, "[3,21,6]");
        assert_eq!(encode_ids(&[2, 3, 10]), "[2,1,7]\n");
    }

    #[test]
    fn shards_cut_at_the_target_size() {
        let t = SHARD_TARGET_BYTES;
        assert_eq!(shard_ends([10, 10, 10].into_iter()), [3]);
        assert_eq!(shard_ends([t - 5, 10, t * 2, 1].into_iter()), [1, 2, 3, 4]);
        assert!(shard_ends(std::iter::empty()).is_empty());
    }

    #[test]
    fn snippets_cut_at_words() {
        assert_eq!(snippet("one two three four", 11), "one two…");
        assert_eq!(snippet("short", 10), "short");
    }
}
