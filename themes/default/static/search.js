/*
 * briefwerk search (issue 6): full-text search over incidents, groups and briefings, run in
 * the browser against the fragmented index that src/render/search.rs writes under search/.
 * Plain JavaScript, no build step, no external requests; every URL is relative to the page,
 * so the site works under any base path. Only the manifest, the term shards a query needs, the
 * filter lists in use and the metadata shards of the results shown are downloaded.
 *
 * Text is folded exactly as the Rust side folds it (`fold` below: lower case, NFD, combining
 * marks removed, the Arabic letters readers type interchangeably made one; words split at
 * anything but letters and digits, hyphens and apostrophes split words); change the two
 * together.
 */
(function () {
  "use strict";

  // Folds text exactly as text::fold in src/text.rs folds the index: lower case, NFD,
  // combining marks removed (Latin accents; Arabic harakat, shadda, sukun, superscript alef,
  // and the hamza and madda NFD takes off alef, waw and yeh), then alef wasla as alef,
  // taa marbuta as haa, alef maqsura as yeh, tatweel dropped. A test runs this function in
  // Node over the same words as text::fold (tests/testsuite/writing_systems.rs).
  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")
      .replace(/\u0671/g, "\u0627")
      .replace(/\u0629/g, "\u0647")
      .replace(/\u0649/g, "\u064A")
      .replace(/\u0640/g, "");
  }

  if (typeof document === "undefined") {
    // Loaded by Node for that test, not by a browser: hand over the fold and stop.
    if (typeof module === "object" && module.exports) {
      module.exports.fold = fold;
    }
    return;
  }

  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.Map) {
    return;
  }
  var root = form.getAttribute("data-root") || "./";
  var base = root + "search/";
  var input = document.getElementById("search-q");
  var selects = {
    group: document.getElementById("search-group"),
    country: document.getElementById("search-country"),
    year: document.getElementById("search-year")
  };
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");

  var PAGE = 20;            // results shown per "page"
  var MAX_PREFIX_SHARDS = 4; // term shards fetched at most to expand a word being typed
  var FORMAT = 1;           // index layout this script understands
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var KINDS = { i: "Incident", g: "Group", b: "Briefing" };

  var cache = new Map();
  var manifest = null;
  var stopwords = new Set();
  var run = 0;        // id of the latest search; older ones stop when they see a newer one
  var ranked = [];    // doc ids of the current results, best first
  var shown = 0;      // how many of them are on the page

  function getJSON(path) {
    if (!cache.has(path)) {
      var p = fetch(base + path).then(function (r) {
        if (!r.ok) {
          throw new Error(r.status + " " + r.statusText + " for " + path);
        }
        return r.json();
      });
      p.catch(function () { cache.delete(path); });
      cache.set(path, p);
    }
    return cache.get(path);
  }

  // Query words, folded and split like the index (without the joined forms the index adds).
  function queryTerms(q) {
    var out = [];
    fold(q).split(/[^\p{Alphabetic}\p{N}'\u2019\u2018\u02BC`-]+/u).forEach(function (word) {
      word.split(/[-'\u2019\u2018\u02BC`]+/).forEach(function (t) {
        if (Array.from(t).length >= manifest.min_term && !stopwords.has(t) && out.indexOf(t) < 0) {
          out.push(t);
        }
      });
    });
    return out;
  }

  // Compares by code point, as Rust orders strings.
  function cmp(a, b) {
    var A = Array.from(a), B = Array.from(b), n = Math.min(A.length, B.length);
    for (var i = 0; i < n; i++) {
      var x = A[i].codePointAt(0), y = B[i].codePointAt(0);
      if (x !== y) {
        return x < y ? -1 : 1;
      }
    }
    return A.length - B.length;
  }

  // The shard whose first term is the last one not after `t`.
  function shardOf(t) {
    var firsts = manifest.shards, lo = 0, hi = firsts.length - 1, found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(firsts[mid], t) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  // Adds decoded postings to `scores` (doc -> best weight), exact matches counting double.
  function addPostings(scores, postings, factor) {
    var doc = 0;
    for (var i = 0; i < postings.length; i++) {
      var v = postings[i];
      doc += Math.floor(v / 4);
      var w = (v % 4) * factor;
      var old = scores.get(doc);
      if (old === undefined || old < w) {
        scores.set(doc, w);
      }
    }
  }

  // Docs matching one term; with `prefix`, also every longer term starting with it.
  function lookup(t, prefix) {
    if (!manifest.shards.length) {
      return Promise.resolve({ scores: new Map(), truncated: false });
    }
    var first = shardOf(t), ids = [first], truncated = false;
    if (prefix) {
      for (var i = first + 1; i < manifest.shards.length && manifest.shards[i].indexOf(t) === 0; i++) {
        if (ids.length >= MAX_PREFIX_SHARDS) {
          truncated = true;
          break;
        }
        ids.push(i);
      }
    }
    return Promise.all(ids.map(function (n) { return getJSON("t/" + n + ".json"); })).then(function (shards) {
      var scores = new Map();
      shards.forEach(function (shard) {
        if (Object.prototype.hasOwnProperty.call(shard, t)) {
          addPostings(scores, shard[t], 2);
        }
        if (prefix) {
          Object.keys(shard).forEach(function (term) {
            if (term !== t && term.indexOf(t) === 0) {
              addPostings(scores, shard[term], 1);
            }
          });
        }
      });
      return { scores: scores, truncated: truncated };
    });
  }

  function filterIds(name, value) {
    return getJSON("f/" + name + "/" + encodeURIComponent(value) + ".json").then(function (deltas) {
      var set = new Set(), doc = 0;
      deltas.forEach(function (d) { doc += d; set.add(doc); });
      return set;
    });
  }

  function activeFilters() {
    var out = [];
    Object.keys(selects).forEach(function (name) {
      if (selects[name].value) {
        out.push([name, selects[name].value]);
      }
    });
    return out;
  }

  function formatDate(iso) {
    var p = iso.split("-");
    if (p.length === 3) {
      return parseInt(p[2], 10) + " " + MONTHS[parseInt(p[1], 10) - 1] + " " + p[0];
    }
    if (p.length === 2) {
      return MONTHS[parseInt(p[1], 10) - 1] + " " + p[0];
    }
    return iso;
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text) {
      e.textContent = text;
    }
    return e;
  }

  function resultItem(doc) {
    var li = el("li", "search-result search-result--" + (KINDS[doc.k] || "").toLowerCase());
    var h = el("h2", "search-result__title");
    var a = el("a", null, doc.t);
    a.href = root + doc.u;
    h.appendChild(a);
    li.appendChild(h);
    var meta = el("p", "search-result__meta");
    meta.appendChild(document.createTextNode(KINDS[doc.k] || ""));
    if (doc.d) {
      meta.appendChild(document.createTextNode(doc.k === "g" ? " · founded " : " · "));
      var time = el("time", null, formatDate(doc.d));
      time.setAttribute("datetime", doc.d);
      meta.appendChild(time);
    }
    if (doc.p) {
      meta.appendChild(document.createTextNode(" · " + doc.p));
    }
    li.appendChild(meta);
    if (doc.s) {
      li.appendChild(el("p", "search-result__snippet", doc.s));
    }
    return li;
  }

  // Appends the next page of results, fetching only the metadata shards they live in.
  function showMore(id, focusFirst) {
    var ids = ranked.slice(shown, shown + PAGE);
    var per = manifest.docs_per_shard;
    var needed = [];
    ids.forEach(function (d) {
      var n = Math.floor(d / per);
      if (needed.indexOf(n) < 0) {
        needed.push(n);
      }
    });
    list.setAttribute("aria-busy", "true");
    return Promise.all(needed.map(function (n) { return getJSON("d/" + n + ".json"); })).then(function (shards) {
      if (id !== run) {
        return;
      }
      var byShard = new Map();
      needed.forEach(function (n, k) { byShard.set(n, shards[k]); });
      var firstNew = null;
      ids.forEach(function (d) {
        var doc = byShard.get(Math.floor(d / per))[d % per];
        if (doc) {
          var li = resultItem(doc);
          firstNew = firstNew || li;
          list.appendChild(li);
        }
      });
      shown += ids.length;
      more.hidden = shown >= ranked.length;
      list.removeAttribute("aria-busy");
      if (focusFirst && firstNew) {
        firstNew.querySelector("a").focus();
      }
    });
  }

  function describe(q, filters) {
    var parts = [];
    if (q.trim()) {
      parts.push("for \u201c" + q.trim() + "\u201d");
    }
    filters.forEach(function (f) {
      var opt = selects[f[0]].selectedOptions[0];
      parts.push((f[0] === "year" ? "in " : f[0] === "country" ? "in " : "involving ") +
        (opt ? opt.getAttribute("data-label") : f[1]));
    });
    return parts.join(", ");
  }

  function updateUrl(q, filters) {
    var params = new URLSearchParams();
    if (q.trim()) {
      params.set("q", q.trim());
    }
    filters.forEach(function (f) { params.set(f[0], f[1]); });
    var s = params.toString();
    history.replaceState(null, "", s ? "?" + s : location.pathname);
  }

  function search() {
    var id = ++run;
    var q = input.value;
    var filters = activeFilters();
    var terms = queryTerms(q);
    updateUrl(q, filters);
    list.textContent = "";
    more.hidden = true;
    ranked = [];
    shown = 0;
    if (!terms.length && !filters.length) {
      status.textContent = q.trim() ? "Type at least " + manifest.min_term + " letters or digits of a word that is not too common." : "";
      return Promise.resolve();
    }
    var truncated = false;
    var scores = null;
    var chain = Promise.resolve();
    terms.forEach(function (t, k) {
      var prefix = k === terms.length - 1 && Array.from(t).length >= 3 && !/\s$/.test(q);
      chain = chain.then(function () {
        if (id !== run || (scores && !scores.size)) {
          return;
        }
        return lookup(t, prefix).then(function (r) {
          truncated = truncated || r.truncated;
          if (scores === null) {
            scores = r.scores;
          } else {
            var next = new Map();
            scores.forEach(function (s, d) {
              var s2 = r.scores.get(d);
              if (s2 !== undefined) {
                next.set(d, s + s2);
              }
            });
            scores = next;
          }
        });
      });
    });
    chain = chain.then(function () {
      return Promise.all(filters.map(function (f) { return filterIds(f[0], f[1]); }));
    }).then(function (sets) {
      if (id !== run) {
        return;
      }
      sets.forEach(function (set) {
        if (scores === null) {
          scores = new Map();
          set.forEach(function (d) { scores.set(d, 0); });
        } else {
          var next = new Map();
          scores.forEach(function (s, d) {
            if (set.has(d)) {
              next.set(d, s);
            }
          });
          scores = next;
        }
      });
      ranked = Array.from(scores.keys()).sort(function (a, b) {
        return (scores.get(b) - scores.get(a)) || (a - b);
      });
      var n = ranked.length;
      var text = (n === 0 ? "No results" : n === 1 ? "1 result" : n.toLocaleString("en") + " results") + " " +
        describe(q, filters) + ".";
      if (truncated) {
        text += " Type more of the last word to match all the words that start with it.";
      }
      return showMore(id, false).then(function () {
        if (id === run) {
          status.textContent = text;
        }
      });
    });
    return chain.catch(function (e) { fail(e); });
  }

  function fail(e) {
    list.removeAttribute("aria-busy");
    status.textContent = location.protocol === "file:"
      ? "Search needs the site to be served over HTTP; it does not work on pages opened as files."
      : "The search index could not be loaded (" + e.message + ").";
  }

  function fillSelect(name, values) {
    var sel = selects[name];
    (values || []).forEach(function (v) {
      var o = document.createElement("option");
      o.value = v[0];
      o.textContent = v[1] + " (" + v[2].toLocaleString("en") + ")";
      o.setAttribute("data-label", v[1]);
      sel.appendChild(o);
    });
  }

  var timer = null;
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  }

  form.hidden = false;
  getJSON("index.json").then(function (m) {
    if (m.format !== FORMAT) {
      throw new Error("index format " + m.format + ", expected " + FORMAT);
    }
    manifest = m;
    stopwords = new Set(m.stopwords);
    Object.keys(selects).forEach(function (name) { fillSelect(name, m.filters[name]); });
    var params = new URLSearchParams(location.search);
    if (params.has("q")) {
      input.value = params.get("q");
    }
    Object.keys(selects).forEach(function (name) {
      var v = params.get(name);
      if (v) {
        selects[name].value = v;
      }
    });
    input.addEventListener("input", soon);
    Object.keys(selects).forEach(function (name) { selects[name].addEventListener("change", search); });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      search();
    });
    more.addEventListener("click", function () { showMore(run, true).catch(fail); });
    return search();
  }).catch(fail);
}());
