//! Renders the validated site through the theme's Tera templates into output files, in
//! memory. Pure apart from reading nothing at all: the theme comes in as data, files go out
//! as data, `output` writes them.

pub mod context;
pub mod digest;
pub mod export;
pub mod feeds;
mod pages;
pub mod phrasing;
pub mod pictures;
pub mod search;
pub mod svg;
pub mod theme;
pub mod words;

pub use pages::dirty;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::config::Config;
use crate::content::date::DateView;
use crate::content::{ClaimKind, Count, Incident, Site};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::index::Index;
use crate::load::Sources;
use crate::markdown::{self, BodySource, LinkResolver};
use crate::routes;
use crate::validate::slug;
use context::*;
use digest::{Digest, digest_months};
use phrasing::*;
use theme::ThemeFiles;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output directory, `/`-separated.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// What the extra outputs (feeds, exports, search index) are computed from.
pub struct Inputs<'a> {
    /// The validated site.
    pub site: &'a Site,
    /// Its indexes.
    pub index: &'a Index,
    /// The configuration.
    pub config: &'a Config,
    /// Date of the last commit touching each page's source, by page path (e.g.
    /// `incidents/x/`); empty unless `git_info` is on.
    pub updated: &'a BTreeMap<String, chrono::NaiveDate>,
}

/// Relative prefix from a page at `path` (e.g. `groups/jnim/`) to the site root.
pub fn root_of(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// Compiles the theme's templates with the words of `langs` (the function `t` and the
/// filters of `words`, which templates are checked against), reporting syntax errors with
/// file and line.
pub fn compile(
    theme: &ThemeFiles,
    langs: &[std::sync::Arc<words::Words>],
) -> Result<Tera, Diagnostics> {
    let mut tera = Tera::default();
    tera.autoescape_on([".html", ".xml", ".svg"]);
    words::register(&mut tera, langs);
    let mut diags = Diagnostics::default();
    // Compile one by one first so each syntax error is reported against its own file.
    // Templates include and extend each other, so alone they only show their own syntax
    // errors; references between them are checked when all are added together below.
    for (name, src) in &theme.templates {
        let mut probe = Tera::default();
        words::register(&mut probe, langs);
        if let Err(e) = probe.add_raw_template(name, &src.text)
            && let tera::ErrorKind::SyntaxError(r) = e.kind()
            && !r.message().starts_with("Unknown template")
        {
            diags.push(template_diag(&e, theme, Some(name)));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let all: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(n, s)| (n.as_str(), s.text.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(all) {
        diags.push(template_diag(&e, theme, None));
        return Err(diags);
    }
    for t in pages::templates() {
        if !theme.templates.contains_key(t) {
            diags.push(
                Diagnostic::error("missing-template", format!("template `{t}` is missing")).help(
                    format!("add templates/{t} (the default theme has one to copy)"),
                ),
            );
        }
    }
    if diags.is_empty() {
        Ok(tera)
    } else {
        Err(diags)
    }
}

/// Turns a Tera error into a diagnostic pointing at the template file and line.
fn template_diag(e: &tera::Error, theme: &ThemeFiles, fallback: Option<&str>) -> Diagnostic {
    use std::error::Error as _;
    let (message, file, span) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => (
            r.message().to_string(),
            Some(r.filename().to_string()),
            Some(r.span().clone()),
        ),
        tera::ErrorKind::TemplateNotFound(t) => {
            // Point at the template that names the missing one, when one does.
            let quoted = format!("\"{t}\"");
            let user = theme
                .templates
                .iter()
                .find(|(_, src)| src.text.contains(&quoted))
                .map(|(n, _)| n.clone());
            (
                format!("template `{t}` not found"),
                user.or_else(|| fallback.map(str::to_string)),
                None,
            )
        }
        tera::ErrorKind::MissingParent { current, parent } => (
            format!("template `{current}` extends `{parent}`, which does not exist"),
            Some(current.clone()),
            None,
        ),
        other => {
            let mut m = other.to_string();
            let mut src = e.source();
            while let Some(s) = src {
                m.push_str(": ");
                m.push_str(&s.to_string());
                src = s.source();
            }
            (m, fallback.map(str::to_string), None)
        }
    };
    let mut d = Diagnostic::error("template", format!("template error: {message}"));
    if let Some(f) = file.or_else(|| fallback.map(str::to_string))
        && let Some(src) = theme.templates.get(&f)
    {
        let loc = match span {
            Some(s) => {
                let start = crate::source::offset_of(&src.text, s.start_line, s.start_col + 1);
                let end = if s.end_line == s.start_line {
                    crate::source::offset_of(&src.text, s.end_line, s.end_col + 1)
                } else {
                    start + 1
                };
                Location::new(&src.origin, &src.text, start, end)
            }
            None => {
                // Tera gives no position for a missing template: find where it is named.
                let named = match e.kind() {
                    tera::ErrorKind::MissingParent { parent, .. } => Some(parent.as_str()),
                    tera::ErrorKind::TemplateNotFound(t) => Some(t.as_str()),
                    _ => None,
                };
                match named
                    .and_then(|n| src.text.find(&format!("\"{n}\"")).map(|i| (i, n.len() + 2)))
                {
                    Some((i, len)) => Location::new(&src.origin, &src.text, i, i + len),
                    None => Location::file(&src.origin),
                }
            }
        };
        d = d.at(loc, "here");
    }
    d
}

/// Paths of every page, for `@` links and navigation.
struct Paths<'a> {
    site: &'a Site,
    index: &'a Index,
}

impl LinkResolver for Paths<'_> {
    fn resolve(&self, kind: &str, id: &str) -> Option<String> {
        match kind {
            "incident" => self
                .index
                .incident_pos
                .contains_key(id)
                .then(|| routes::incident(id)),
            "group" => self.site.group(id).map(|_| routes::group(id)),
            "briefing" => self
                .index
                .briefing_pos
                .contains_key(id)
                .then(|| routes::briefing(id)),
            "page" => self
                .index
                .page_pos
                .contains_key(id)
                .then(|| routes::page(id)),
            _ => None,
        }
    }

    fn candidates(&self, kind: &str) -> Vec<&str> {
        match kind {
            "incident" => self.index.incident_pos.keys().map(String::as_str).collect(),
            "group" => self.site.groups.iter().map(|g| g.id.as_str()).collect(),
            "briefing" => self.index.briefing_pos.keys().map(String::as_str).collect(),
            "page" => self.index.page_pos.keys().map(String::as_str).collect(),
            _ => vec!["incident", "group", "briefing", "page"],
        }
    }
}

/// Renders one record's Markdown body, resolving `@` links.
struct BodyRenderer<'a> {
    paths: Paths<'a>,
    sources: &'a Sources,
    config: &'a Config,
}

impl BodyRenderer<'_> {
    /// The body of a record from `origin`, for a page `root` levels below the site root.
    fn render(
        &self,
        body: &str,
        origin: &crate::content::Origin,
        root: &str,
    ) -> (markdown::Rendered, Vec<Diagnostic>) {
        let f = &self.sources.files[origin.file];
        let src = BodySource {
            rel: &f.rel,
            file_text: &f.text,
            body_offset: origin.body_offset,
        };
        let mut d = Vec::new();
        let r = markdown::render(body, &src, root, &self.paths, self.config.raw_html, &mut d);
        (r, d)
    }
}

/// Rendered Markdown bodies of every record but incidents, whose bodies are rendered with
/// their page (there are many, and each is used once).
struct Bodies<'a> {
    renderer: BodyRenderer<'a>,
    groups: Vec<markdown::Rendered>,
    briefings: Vec<markdown::Rendered>,
    pages: Vec<markdown::Rendered>,
    home: Option<markdown::Rendered>,
}

fn render_bodies<'a>(
    site: &'a Site,
    index: &'a Index,
    sources: &'a Sources,
    config: &'a Config,
) -> Result<Bodies<'a>, Diagnostics> {
    let renderer = BodyRenderer {
        paths: Paths { site, index },
        sources,
        config,
    };
    let one = |body: &str, origin: &crate::content::Origin, root: &str| {
        renderer.render(body, origin, root)
    };
    let mut diags = Diagnostics::default();
    let mut collect = |v: Vec<(markdown::Rendered, Vec<Diagnostic>)>| {
        v.into_iter()
            .map(|(r, d)| {
                d.into_iter().for_each(|x| diags.push(x));
                r
            })
            .collect::<Vec<_>>()
    };
    // Every record's body sits two levels deep (`kind/id/`) except free pages (`id/`).
    let groups = collect(
        site.groups
            .par_iter()
            .map(|g| one(&g.body, &g.origin, "../../"))
            .collect(),
    );
    let briefings = collect(
        site.briefings
            .par_iter()
            .map(|b| one(&b.body, &b.origin, "../../"))
            .collect(),
    );
    let pages = collect(
        site.pages
            .par_iter()
            .map(|p| one(&p.body, &p.origin, "../"))
            .collect(),
    );
    let home = site.home.as_ref().map(|h| one(&h.body, &h.origin, "./"));
    let home = home.map(|(r, d)| {
        d.into_iter().for_each(|x| diags.push(x));
        r
    });
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Bodies {
        renderer,
        groups,
        briefings,
        pages,
        home,
    })
}

/// Everything computed once per build that page contexts borrow from.
struct Shared<'a> {
    /// The language of this render: every word a page shows comes from here.
    words: &'a words::Words,
    site: &'a Site,
    index: &'a Index,
    config: &'a Config,
    meta: SiteMeta,
    incidents: Vec<IncidentSummary>,
    briefings: Vec<BriefingSummary>,
    groups: Vec<GroupRef>,
    /// Records repeating each incident (`same_event_as` it), by incident position.
    repeated_by: BTreeMap<usize, Vec<usize>>,
    /// Incidents in which each group (by position) is a target, in order.
    targeted_in: Vec<Vec<usize>>,
}

fn country_ref(w: &words::Words, code: &str) -> CountryRef {
    CountryRef {
        code: code.to_string(),
        name: w.country(code),
        path: routes::country(code),
    }
}

fn group_ref(g: &crate::content::Group) -> GroupRef {
    GroupRef {
        id: g.id.clone(),
        name: g.name.clone(),
        short_name: g.short_name.clone(),
        label: g.label().to_string(),
        path: routes::group(&g.id),
    }
}

fn place_line(i: &Incident) -> String {
    let parts: Vec<&str> = [i.location.place.as_deref(), i.location.admin1.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    parts.join(", ")
}

fn show(w: &words::Words, c: &Option<Count>) -> Option<String> {
    c.as_ref().map(|c| w.figure(c))
}

/// none | single | joint | competing | several.
fn claim_kind_word(k: ClaimKind) -> &'static str {
    match k {
        ClaimKind::None => "none",
        ClaimKind::Single => "single",
        ClaimKind::Joint => "joint",
        ClaimKind::Competing => "competing",
        ClaimKind::Several => "several",
    }
}

/// An incident as every listing shows it, computed once per build.
fn incident_summary(
    i: &Incident,
    site: &Site,
    index: &Index,
    config: &Config,
    groups: &[GroupRef],
    w: &words::Words,
) -> IncidentSummary {
    let country = country_ref(w, &i.location.country);
    let claims: Vec<ClaimView> = i
        .claims
        .iter()
        .filter_map(|c| {
            site.group_pos(&c.id).map(|p| ClaimView {
                group: groups[p].clone(),
                attribution: c.attribution.as_str(),
                claim_date: c.claim_date.as_ref().map(DateView::from),
                claim_medium: c.claim_medium.clone(),
                claimed_killed: show(w, &c.claimed.killed),
                claimed_wounded: show(w, &c.claimed.wounded),
                claimed_captured: show(w, &c.claimed.captured),
            })
        })
        .collect();
    IncidentSummary {
        id: i.id.clone(),
        path: routes::incident(&i.id),
        title: i.title.clone(),
        date: DateView::from(&i.date),
        end_date: i.end_date.as_ref().map(DateView::from),
        place: place_line(i),
        where_phrase: where_phrase(w, i, &country.name),
        country,
        event_type: i
            .event_type
            .as_deref()
            .and_then(|e| config.event_label(e))
            .map(str::to_string),
        when: DateRangeView::of(&i.date, i.end_date.as_ref()),
        casualties: CasualtiesView::of(w, &i.casualties),
        killed: show(w, &i.casualties.killed),
        wounded: show(w, &i.casualties.wounded),
        attackers_killed: show(w, &i.casualties.attackers_killed),
        fatalities: show(w, &i.casualties.fatalities),
        claimed_killed: claims
            .iter()
            .filter_map(|c| {
                c.claimed_killed.as_ref().map(|k| {
                    format!(
                        "{} {}",
                        c.group.label,
                        w.text("figure.claimed", &[("figures", k)])
                    )
                })
            })
            .collect(),
        summary: i.summary.clone(),
        groups: claims.iter().map(|c| c.group.clone()).collect(),
        mixed_attribution: claims
            .windows(2)
            .any(|w| w[0].attribution != w[1].attribution),
        claim_kind: claim_kind_word(i.claim_kind()),
        competing_claim: i.claim_kind() == ClaimKind::Competing,
        joint_claim: i.claim_kind() == ClaimKind::Joint,
        claims,
        attribution: i.attribution.map(|a| a.as_str()),
        precision: i.location.precision.as_str(),
        after_cutoff: i.after_cutoff(config.data_cutoff.as_ref()),
        same_event_as: i.same_event_as.as_ref().and_then(|other| {
            index.incident_pos.get(other).map(|&q| Link {
                title: site.incidents[q].title.clone(),
                path: routes::incident(other),
            })
        }),
        counted: i.counted(config.data_cutoff.as_ref()),
        draft: i.draft,
    }
}

/// The interface string naming a section of the menu (`routes::SECTIONS`).
fn section_key(title: &str) -> &'static str {
    match title {
        "Groups" => "nav.groups",
        "Chronology" => "section.chronology",
        "Countries" => "section.countries",
        "Briefings" => "section.briefings",
        "Tags" => "section.tags",
        "Search" => "section.search",
        _ => "section.incidents",
    }
}

/// What every page is told about the site (`site` in templates).
fn site_meta(site: &Site, index: &Index, config: &Config, words: &words::Words) -> SiteMeta {
    let coverage = match (
        index.by_year.keys().next(),
        index.by_year.keys().next_back(),
    ) {
        (Some(a), Some(b)) if a != b => Some(format!("{a}–{b}")),
        (Some(a), _) => Some(a.to_string()),
        _ => None,
    };
    SiteMeta {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        author: config.author.clone(),
        base_url: config.base_url.clone(),
        sections: routes::SECTIONS
            .iter()
            .map(|(title, path)| Link {
                title: words.text(section_key(title), &[]),
                path: (*path).to_string(),
            })
            .collect(),
        pages: site
            .pages
            .iter()
            .map(|p| Link {
                title: p.title.clone(),
                path: routes::page(&p.id),
            })
            .collect(),
        coverage,
        feeds: config.base_url.starts_with("http"),
        data_cutoff: config.data_cutoff.as_ref().map(DateView::from),
    }
}

impl<'a> Shared<'a> {
    fn new(
        site: &'a Site,
        index: &'a Index,
        config: &'a Config,
        words: &'a words::Words,
    ) -> Shared<'a> {
        let groups: Vec<GroupRef> = site.groups.iter().map(group_ref).collect();
        let incidents = site
            .incidents
            .par_iter()
            .map(|i| incident_summary(i, site, index, config, &groups, words))
            .collect();
        let briefings = site
            .briefings
            .iter()
            .map(|b| BriefingSummary {
                id: b.id.clone(),
                path: routes::briefing(&b.id),
                title: b.title.clone(),
                date: DateView::from(&b.date),
                authors: b.authors.clone(),
                summary: b.summary.clone(),
                data_cutoff: b
                    .data_cutoff
                    .as_ref()
                    .or(config.data_cutoff.as_ref())
                    .map(DateView::from),
                draft: b.draft,
            })
            .collect();
        let meta = site_meta(site, index, config, words);
        let mut repeated_by: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut targeted_in = vec![Vec::new(); site.groups.len()];
        for (p, i) in site.incidents.iter().enumerate() {
            if let Some(&q) = i
                .same_event_as
                .as_ref()
                .and_then(|o| index.incident_pos.get(o))
            {
                repeated_by.entry(q).or_default().push(p);
            }
            for g in i.targets.iter().filter_map(|t| t.group.as_deref()) {
                if let Some(g) = site.group_pos(g) {
                    let v: &mut Vec<usize> = &mut targeted_in[g];
                    // A group targeted twice in one record is listed once.
                    if v.last() != Some(&p) {
                        v.push(p);
                    }
                }
            }
        }
        Shared {
            words,
            site,
            index,
            config,
            meta,
            incidents,
            briefings,
            groups,
            repeated_by,
            targeted_in,
        }
    }

    /// Counts `positions` the one way (`content::count::Totals`): after-cutoff incidents
    /// left out, and with `group` that group's claimed, suspected and disputed apart.
    fn count(&self, positions: &[usize], group: Option<&str>) -> CountTotals {
        CountTotals::over(
            positions.iter().map(|&p| &self.site.incidents[p]),
            self.config.data_cutoff.as_ref(),
            group,
        )
    }

    fn totals(&self, positions: &[usize], group: Option<&str>) -> Totals {
        totals_view(self.words, &self.count(positions, group))
    }

    /// A typed relationship as a group page shows it.
    fn relationship(&self, v: &crate::index::RelationView) -> RelationshipView {
        RelationshipView {
            kind: v.kind.as_str(),
            inverse: v.inverse,
            label: v.label(),
            other: self.groups[v.other].clone(),
            from: v.from.as_ref().map(DateView::from),
            to: v.to.as_ref().map(DateView::from),
            note: v.note.clone(),
            sources: v
                .sources
                .iter()
                .map(|src| SourceView {
                    title: src.title.clone(),
                    url: src.url.clone(),
                    publisher: src.publisher.clone(),
                    date: src.date.as_ref().map(DateView::from),
                })
                .collect(),
        }
    }

    /// The monthly digests of a country's incidents `positions`: every month with an
    /// incident counted (dated to the month or day, up to the data cutoff), oldest first,
    /// each against the calendar month before it (`digest::digests`).
    fn digests(&self, country: &str, positions: &[usize]) -> Vec<Digest> {
        let months = digest_months(
            self.site,
            country,
            positions,
            self.config.data_cutoff.as_ref(),
        );
        digest::digests(self.words, self.site, country, &months, |v| {
            self.count(v, None)
        })
    }

    /// Incidents by year; with `group`, each row carries that group's own attribution.
    fn chronology(&self, positions: &[usize], group: Option<&str>) -> Vec<YearBlock<'_>> {
        let mut out: Vec<YearBlock<'_>> = Vec::new();
        for &p in positions {
            let year = self.site.incidents[p].date.year;
            if out.last().is_none_or(|b| b.year != year) {
                out.push(YearBlock {
                    year,
                    path: routes::year(year),
                    count: 0,
                    incidents: Vec::new(),
                });
            }
            let b = out.last_mut().expect("just pushed");
            // A record repeating another is listed (and marked) but is not another incident.
            if self.incidents[p].same_event_as.is_none() {
                b.count += 1;
            }
            let role = group.map(|g| {
                self.site.incidents[p]
                    .claims
                    .iter()
                    .find(|c| c.id == g)
                    .map_or("unattributed", |c| c.attribution.as_str())
            });
            b.incidents.push(IncidentRow {
                incident: &self.incidents[p],
                role,
            });
        }
        out
    }

    fn tag_refs(&self, tags: &[String]) -> Vec<TagRef> {
        tags.iter()
            .map(|t| {
                let s = slug(t);
                let count = self
                    .index
                    .by_tag
                    .get(&s)
                    .map_or(0, crate::index::TagRecords::count);
                TagRef {
                    name: t.clone(),
                    path: routes::tag(&s),
                    count,
                }
            })
            .collect()
    }
}

/// Maps each page path to the last-commit date of the file it comes from.
fn page_dates(
    site: &Site,
    sources: &Sources,
    updated: &BTreeMap<String, chrono::NaiveDate>,
) -> BTreeMap<String, chrono::NaiveDate> {
    let mut out = BTreeMap::new();
    if updated.is_empty() {
        return out;
    }
    let mut add = |path: String, origin: &crate::content::Origin| {
        if let Some(d) = sources
            .files
            .get(origin.file)
            .and_then(|f| updated.get(&f.rel))
        {
            out.insert(path, *d);
        }
    };
    for i in &site.incidents {
        add(routes::incident(&i.id), &i.origin);
    }
    for g in &site.groups {
        add(routes::group(&g.id), &g.origin);
    }
    for b in &site.briefings {
        add(routes::briefing(&b.id), &b.origin);
    }
    for p in &site.pages {
        add(routes::page(&p.id), &p.origin);
    }
    if let Some(h) = &site.home {
        add(routes::HOME.to_string(), &h.origin);
    }
    out
}

/// Receives the built site's files as they are rendered, from several threads at once.
pub trait Sink: Sync {
    /// Takes one finished file.
    fn put(&self, file: OutputFile) -> Result<(), crate::Error>;
}

/// Collects every file in memory, sorted by path when taken (tests, small sites).
#[derive(Debug, Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files received, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut v = self.0.into_inner().unwrap_or_else(|p| p.into_inner());
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), crate::Error> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(file);
        Ok(())
    }
}

/// What a render produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// HTML pages of the site (rendered or, in a partial render, left as they were).
    pub pages: usize,
    /// Files handed to the sink.
    pub files: usize,
    /// Files of the site that were not handed to the sink because they cannot have changed
    /// (partial renders only): they stay as the last render left them.
    pub skipped: Vec<String>,
    /// Wall time of each part of the render (pages, feeds, exports, search index), named
    /// with a two-space indent so that stage listings show them inside `render`.
    pub parts: Vec<(&'static str, std::time::Duration)>,
}

/// What a partial render (`serve` after an edit) renders again.
pub struct Partial<'a> {
    /// Whether the page at a path (e.g. `groups/jnim/`) must be rendered.
    pub pages: &'a (dyn Fn(&str) -> bool + Sync),
    /// Records whose content changed, as search document keys (`i/<id>`, `b/<id>`, `g/<id>`).
    pub changed: &'a std::collections::HashSet<String>,
}

/// What a session keeps from one render to the next, to redo only what changed.
#[derive(Debug, Default)]
pub struct Caches {
    /// The search index.
    pub search: std::sync::Mutex<search::Cache>,
    /// Encoded export rows.
    pub export: std::sync::Mutex<export::Cache>,
    /// The compiled templates (the theme does not change between partial renders).
    pub templates: std::sync::Mutex<Option<Tera>>,
}

/// What one render takes: the validated site and what it is rendered with.
pub struct Request<'a> {
    /// The validated site.
    pub site: &'a Site,
    /// Its indexes.
    pub index: &'a Index,
    /// The files it was read from (for `@` link and body diagnostics).
    pub sources: &'a Sources,
    /// The configuration.
    pub config: &'a Config,
    /// The theme's templates and static files.
    pub theme: &'a ThemeFiles,
    /// The words of each language the site is rendered in, the default first (loaded with
    /// the theme: the renderer reads no file).
    pub words: &'a [std::sync::Arc<words::Words>],
    /// Date of the last commit touching each source file, by path; empty unless `git_info`.
    pub updated: &'a BTreeMap<String, chrono::NaiveDate>,
    /// Just the pages it names (`serve` after an edit); `None` renders every page.
    pub partial: Option<&'a Partial<'a>>,
    /// What the last render of a session left to reuse.
    pub caches: Option<&'a Caches>,
}

/// Renders every page, the feeds, exports and search index, and the static files, handing
/// each file to `sink` as soon as it is ready. Template errors are all collected and
/// returned as [`crate::Error::Invalid`]; the sink may then have received some files, so a
/// sink that writes must only publish them once this returns `Ok` (as `output` does).
/// With `partial`, just the pages it names are rendered, and with `caches` the search
/// index is updated from the last render's instead of built anew.
pub fn render(req: &Request<'_>, sink: &dyn Sink) -> Result<Rendered, crate::Error> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let Request {
        site,
        index,
        sources,
        config,
        theme,
        words,
        updated,
        partial,
        caches,
    } = *req;
    let mut clock = std::time::Instant::now();
    let mut parts = Vec::new();
    let mut lap = |name: &'static str| {
        parts.push((name, clock.elapsed()));
        clock = std::time::Instant::now();
    };
    let reused = match (partial, caches) {
        (Some(_), Some(c)) => c.templates.lock().unwrap_or_else(|p| p.into_inner()).take(),
        _ => None,
    };
    let tera = match reused {
        Some(t) => t,
        None => compile(theme, words).map_err(crate::Error::Invalid)?,
    };
    let Some(lang_words) = words.first() else {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::error("internal", "no language to render in"));
        return Err(crate::Error::Invalid(d));
    };
    let page_updated = page_dates(site, sources, updated);
    let bodies = render_bodies(site, index, sources, config).map_err(crate::Error::Invalid)?;
    let sh = Shared::new(site, index, config, lang_words);
    let jobs = pages::jobs(&sh, &bodies);
    lap("  prepare");
    let files = AtomicUsize::new(0);
    let put = |f: OutputFile| {
        files.fetch_add(1, Ordering::Relaxed);
        sink.put(f)
    };
    let pages = jobs.len();
    let mut skipped = Vec::new();
    let jobs: Vec<pages::Job<'_>> = match partial {
        Some(p) => jobs
            .into_iter()
            .filter(|j| {
                let keep = (p.pages)(&j.path);
                if !keep {
                    skipped.push(routes::page_file(&j.path));
                }
                keep
            })
            .collect(),
        None => jobs,
    };
    let pass = Pass {
        req,
        lang: lang_words.lang.tag(),
        dir: lang_words.lang.dir().as_str(),
        tera: &tera,
        site_value: to_value(&sh.meta),
        page_updated: &page_updated,
        put: &put,
    };
    pass.pages(jobs)?;
    lap("  pages");
    skipped.extend(pass.extras(&mut lap)?);
    if let Some(c) = caches {
        *c.templates.lock().unwrap_or_else(|p| p.into_inner()) = Some(tera);
    }
    Ok(Rendered {
        pages,
        files: files.into_inner(),
        skipped,
        parts,
    })
}

/// One render's pass over its outputs, once the pages are prepared.
struct Pass<'r> {
    req: &'r Request<'r>,
    /// The language tag of the pages (`lang` in templates; `t` reads it).
    lang: &'r str,
    /// Its writing direction, `ltr` or `rtl` (`dir` in templates).
    dir: &'static str,
    tera: &'r Tera,
    /// The `site` every template sees, serialised once.
    site_value: tera::Value,
    /// Last-commit dates by page path.
    page_updated: &'r BTreeMap<String, chrono::NaiveDate>,
    put: &'r (dyn Fn(OutputFile) -> Result<(), crate::Error> + Sync),
}

impl Pass<'_> {
    /// Builds, renders and hands over every page of `jobs`, each in one task (nothing
    /// waits for the rest); all template errors come back together.
    fn pages(&self, jobs: Vec<pages::Job<'_>>) -> Result<(), crate::Error> {
        let io_error = std::sync::Mutex::new(None);
        let failures: Vec<Result<(), Vec<Diagnostic>>> = jobs
            .into_par_iter()
            .map(|job| {
                let html = self.page(&job)?;
                if let Err(e) = (self.put)(OutputFile {
                    path: routes::page_file(&job.path),
                    bytes: html.into_bytes(),
                }) {
                    io_error
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .get_or_insert(e);
                }
                Ok(())
            })
            .filter(Result::is_err)
            .collect();
        if let Some(e) = io_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
            return Err(e);
        }
        let mut diags = Diagnostics::default();
        failures
            .into_iter()
            .filter_map(Result::err)
            .flatten()
            .for_each(|d| diags.push(d));
        if !diags.is_empty() {
            diags.sort();
            return Err(crate::Error::Invalid(diags));
        }
        Ok(())
    }

    /// One page's HTML: its context and what every page is given (`site`, `root`, `path`,
    /// `canonical`, titles, `page_kind`, `updated`).
    fn page(&self, job: &pages::Job<'_>) -> Result<String, Vec<Diagnostic>> {
        let (config, template) = (self.req.config, job.template);
        let mut ctx = (job.context)()?;
        let root = if job.path == routes::NOT_FOUND {
            config.base_path.clone()
        } else {
            root_of(&job.path)
        };
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert("lang", self.lang);
        ctx.insert("dir", self.dir);
        ctx.insert("root", &root);
        ctx.insert("path", &job.path);
        ctx.insert("canonical", &routes::absolute(&config.base_url, &job.path));
        ctx.insert("page_title", &job.title);
        ctx.insert(
            "page_description",
            job.description.as_ref().unwrap_or(&config.description),
        );
        ctx.insert("page_kind", template.trim_end_matches(".html"));
        ctx.insert(
            "updated",
            &self
                .page_updated
                .get(&job.path)
                .map(|d| DateView::from(&crate::content::PartialDate::from(*d))),
        );
        self.tera
            .render(template, &ctx)
            .map_err(|e| vec![template_diag(&e, self.req.theme, Some(template))])
    }

    /// The feeds, exports, search index and static files; returns the files a partial
    /// render left as they were.
    fn extras(&self, lap: &mut impl FnMut(&'static str)) -> Result<Vec<String>, crate::Error> {
        let Request {
            site,
            index,
            config,
            theme,
            partial,
            caches,
            ..
        } = *self.req;
        let put = self.put;
        let inputs = Inputs {
            site,
            index,
            config,
            updated: self.page_updated,
        };
        // Each of these returns its files at once; they are handed over one producer at a
        // time so that only one producer's files are in memory together.
        feeds::render(&inputs).into_iter().try_for_each(put)?;
        lap("  feeds");
        let skipped = export::render(
            &inputs,
            put,
            caches.map(|c| &c.export),
            partial.map(|p| p.changed),
        )?;
        lap("  exports");
        search::render(
            &inputs,
            caches.map(|c| &c.search),
            partial.map(|p| p.changed),
        )
        .into_iter()
        .try_for_each(put)?;
        lap("  search");
        put(OutputFile {
            path: routes::PICTURES_CSS.into(),
            bytes: pictures::stylesheet().into_bytes(),
        })?;
        for (path, bytes) in &theme.statics {
            put(OutputFile {
                path: theme::published_path(path),
                bytes: bytes.clone(),
            })?;
        }
        Ok(skipped)
    }
}

fn to_value<T: Serialize>(v: &T) -> tera::Value {
    tera::Value::from_serializable(v)
}

fn ctx<T: Serialize>(v: &T) -> Result<Context, Diagnostic> {
    Context::from_serialize(v)
        .map_err(|e| Diagnostic::error("internal", format!("cannot build template context: {e}")))
}

/// Page links around page `n`: the first and last pages, the two on either side of `n`, and
/// a gap where numbers are skipped. Listing every page would make each listing page as long
/// as the number of pages, and the listings together quadratic (50,000 pages of links on
/// each of 50,000 pages at a million incidents).
fn page_window(pages: &[(usize, String)], n: usize) -> Vec<PageLink> {
    const AROUND: usize = 2;
    let last = pages.len();
    let mut out: Vec<PageLink> = Vec::new();
    let mut prev = 0;
    for (m, path) in pages {
        let m = *m;
        if m != 1 && m != last && m.abs_diff(n) > AROUND {
            continue;
        }
        if m > prev + 1 {
            out.push(PageLink {
                number: 0,
                path: String::new(),
                current: false,
                gap: true,
            });
        }
        out.push(PageLink {
            number: m,
            path: path.clone(),
            current: m == n,
            gap: false,
        });
        prev = m;
    }
    out
}

/// The incidents listing's pages for `total` incidents, `per` a page: number and path.
fn paginate(total: usize, per: usize) -> Vec<(usize, String)> {
    let pages = total.div_ceil(per).max(1);
    (1..=pages)
        .map(|n| (n, routes::incidents_page(n)))
        .collect()
}

fn headings(r: &markdown::Rendered) -> Vec<Heading> {
    r.headings
        .iter()
        .filter(|h| h.0 == 2)
        .map(|(l, id, t)| Heading {
            level: *l,
            id: id.clone(),
            text: t.clone(),
        })
        .collect()
}

/// Orders names as a reader expects: accents and case do not move a name ("Côte d'Ivoire"
/// sorts with the Cs), ties by the names as written.
pub(crate) fn by_name(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |s: &str| deunicode::deunicode(s).to_lowercase();
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
}

fn status_word(s: crate::content::Status) -> &'static str {
    match s {
        crate::content::Status::Active => "active",
        crate::content::Status::Merged => "merged",
        crate::content::Status::Defunct => "defunct",
    }
}

#[cfg(test)]
mod tests {
    use super::{page_window, paginate};

    #[test]
    fn page_links_are_a_window_with_gaps() {
        let pages = paginate(100, 10);
        let shown = |n| {
            page_window(&pages, n)
                .iter()
                .map(|p| {
                    if p.gap {
                        "…".to_string()
                    } else {
                        p.number.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(shown(1), "1 2 3 … 10");
        assert_eq!(shown(5), "1 … 3 4 5 6 7 … 10");
        assert_eq!(shown(4), "1 2 3 4 5 6 … 10");
        assert_eq!(shown(10), "1 … 8 9 10");
        assert_eq!(page_window(&paginate(3, 10), 1).len(), 1);
    }

    #[test]
    fn root_prefix_follows_depth() {
        assert_eq!(super::root_of(""), "./");
        assert_eq!(super::root_of("groups/"), "../");
        assert_eq!(super::root_of("incidents/page/2/"), "../../../");
    }
}
