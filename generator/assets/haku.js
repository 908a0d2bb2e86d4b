// Haku: the search page's own UI on Pagefind's JS API (pagefind/pagefind.js).
//
// Why not Pagefind's default UI: it loads the whole filter index when the page opens (172 KB
// at 10,000 records) to show the filter counts. Here a query fetches only what it needs (the
// wasm, the page meta, the index chunks of its words and the fragments of the results shown);
// the filter index is fetched when the reader opens "Rajaa tuloksia".
//
// Record text never becomes markup: titles and filter values are set as text, and Pagefind's
// excerpt (text with <mark> around the matched words) is taken apart into text nodes and
// <mark> elements (excerptNodes). Without JavaScript the page says so and links to /selaa/.
(function () {
  "use strict";

  var PAGE_SIZE = 5;             // results rendered at once; "Näytä lisää" adds as many
  var DEBOUNCE_MS = 300;         // wait this long after the last keystroke before searching
  var EXCERPT_WORDS = 30;
  // Filter groups in this order; unknown ones after them, alphabetically.
  var GROUP_ORDER = ["Tyyppi", "Teema", "Kohderyhmä", "Maakunta", "Rahoittaja", "Kehitysvaihe"];

  var root = document.getElementById("hk-haku");
  var script = document.currentScript;
  if (!root || !script) return;
  var form = document.getElementById("hk-haku-form");
  var input = document.getElementById("hk-haku-q");
  var status = document.getElementById("hk-haku-status");
  var list = document.getElementById("hk-haku-results");
  var more = document.getElementById("hk-haku-more");
  var panel = document.getElementById("hk-haku-filters");
  var groupsBox = document.getElementById("hk-haku-groups");
  var clearButton = document.getElementById("hk-haku-clear");
  var panelNote = document.getElementById("hk-haku-filters-note");

  // The bundle sits next to assets/ at the site root: <root>/assets/haku.js → <root>/pagefind/.
  var BUNDLE = new URL("../pagefind/", script.src).href;
  var SITE_PATH = new URL("../", script.src).pathname;

  var state = {
    query: "",
    chosen: {},          // filter key → array of chosen values
    results: [],
    shown: 0,
    seq: 0,              // the newest search; older ones drop their answers
    groups: null,        // {key: {value: count}} once the panel has loaded the filters
    boxes: [],           // the panel's checkboxes
    loadingFilters: false,
    loadingMore: false,
    unavailable: false   // pagefind.js could not be loaded (no index was built)
  };
  var pagefindPromise = null;
  var timer = null;

  // ------------------------------------------------------------------ text helpers

  // "1 tulos", "12 tulosta", "7 043 tulosta", "Ei tuloksia".
  function countText(n) {
    if (n === 0) return "Ei tuloksia";
    return n.toLocaleString("fi-FI") + (n === 1 ? " tulos" : " tulosta");
  }

  // Record pages end with hidden search words (base forms, compound parts, Perustiedot values;
  // generator/searchwords.py), indexed at low weight; meta "hakusanat" says how many. Pagefind's
  // own excerpt may run into them, so the excerpt is taken from the page text before them: the
  // run of EXCERPT_WORDS words with the most matches. A page found only through them shows its
  // short description (meta "kuvaus"). Null: keep Pagefind's excerpt (no search words).
  function textExcerpt(page) {
    var count = Number(page.meta && page.meta.hakusanat) || 0;
    if (!count || typeof page.content !== "string") return null;
    var words = page.content.split(/[\r\n\s]+/g);
    var end = words.length - count;
    var hits = {};
    var at = (page.weighted_locations || []).map(function (l) { return l.location; })
      .filter(function (l) { return l >= 0 && l < end; }).sort(function (a, b) { return a - b; });
    if (!at.length) {
      var out = document.createDocumentFragment();
      out.appendChild(document.createTextNode((page.meta && page.meta.kuvaus) || words.slice(0, Math.min(end, EXCERPT_WORDS)).join(" ")));
      return out;
    }
    at.forEach(function (l) { hits[l] = true; });
    var best = at[0], most = 0;
    at.forEach(function (first, i) {
      var n = 0;
      for (var j = i; j < at.length && at[j] < first + EXCERPT_WORDS; j++) n++;
      if (n > most) { most = n; best = first; }
    });
    var start = Math.max(0, Math.min(best - Math.floor(EXCERPT_WORDS / 3), end - EXCERPT_WORDS));
    var stop = Math.min(end, start + EXCERPT_WORDS);
    var frag = document.createDocumentFragment();
    for (var k = start; k < stop; k++) {
      if (k > start) frag.appendChild(document.createTextNode(" "));
      var text = document.createTextNode(words[k]);
      if (hits[k]) {
        var mark = document.createElement("mark");
        mark.appendChild(text);
        frag.appendChild(mark);
      } else {
        frag.appendChild(text);
      }
    }
    return frag;
  }

  // Pagefind's excerpt: the page text with "<" and ">" escaped as &lt; &gt; and each matched
  // word in <mark>…</mark>. Those two tags are the only markup it can contain; everything
  // between them becomes text nodes, so no record text is ever parsed as HTML.
  function excerptNodes(excerpt) {
    var out = document.createDocumentFragment();
    var parts = String(excerpt || "").split(/(<mark>|<\/mark>)/);
    var marked = false;
    parts.forEach(function (part) {
      if (part === "<mark>") { marked = true; return; }
      if (part === "</mark>") { marked = false; return; }
      if (!part) return;
      var text = document.createTextNode(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
      if (marked) {
        var mark = document.createElement("mark");
        mark.appendChild(text);
        out.appendChild(mark);
      } else {
        out.appendChild(text);
      }
    });
    return out;
  }

  // A result's link: only a page of this site (Pagefind gives site paths), else no link.
  function sameSiteHref(raw) {
    try {
      var url = new URL(raw, window.location.href);
      return url.origin === window.location.origin ? url.pathname + url.search + url.hash : null;
    } catch (error) {
      return null;
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // URL parameter of a filter group: "Kohderyhmä" → "kohderyhma".
  function slug(key) {
    return key.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-");
  }

  // ------------------------------------------------------------------ Pagefind

  // A large site's index comes in parts (generator/search.py, parts_of): the main bundle and
  // the folders that pagefind/hk-osat.json lists, merged into one search (Pagefind loads its
  // wasm once). No list (an index made before parts existed): the main bundle alone.
  function bundleParts() {
    return fetch(BUNDLE + "hk-osat.json").then(function (response) {
      return response.ok ? response.json() : { osat: [] };
    }).then(function (listed) {
      var parts = listed && Array.isArray(listed.osat) ? listed.osat : [];
      return parts.filter(function (part) { return /^osa-[0-9]+\/$/.test(part); })
        .map(function (part) { return new URL(part, BUNDLE).pathname; });
    }, function () { return []; });
  }

  function pagefind() {
    if (!pagefindPromise) {
      var options = { baseUrl: SITE_PATH, excerptLength: EXCERPT_WORDS };
      pagefindPromise = Promise.all([import(BUNDLE + "pagefind.js"), bundleParts()]).then(function (loaded) {
        var pf = loaded[0];
        return pf.options(options).then(function () {
          return Promise.all(loaded[1].map(function (part) { return pf.mergeIndex(part, options); }));
        }).then(function () { return pf; });
      });
      pagefindPromise.catch(function () {
        state.unavailable = true;
        status.textContent = "Hakua ei voi käyttää: sivustolle ei ole tehty hakuhakemistoa.";
      });
    }
    return pagefindPromise;
  }

  // Pagefind's filter option: OR within a group ({any: [...]}), AND across groups.
  function filterOption(skipKey) {
    var option = {};
    Object.keys(state.chosen).forEach(function (key) {
      if (key !== skipKey && state.chosen[key].length) option[key] = { any: state.chosen[key].slice() };
    });
    return option;
  }

  function hasFilters() {
    return Object.keys(filterOption(null)).length > 0;
  }

  // The counts to show next to each value: in a group with choices, how many results each
  // value would give with the other groups' choices (so ticking a second value in the same
  // group shows what it adds); in other groups, the counts among the current results.
  function countsFor(pf, term, search) {
    var counts = {};
    Object.keys(search.filters || {}).forEach(function (key) { counts[key] = search.filters[key]; });
    var keys = Object.keys(filterOption(null));
    return Promise.all(keys.map(function (key) {
      var others = filterOption(key);
      var lookup = term || Object.keys(others).length ? pf.search(term || null, { filters: others }) : pf.filters().then(function (all) { return { filters: all }; });
      return lookup.then(function (other) { counts[key] = (other.filters || {})[key] || {}; });
    })).then(function () { return counts; });
  }

  // ------------------------------------------------------------------ searching

  function writeUrl() {
    var params = new URLSearchParams();
    if (state.query.trim()) params.set("q", state.query.trim());
    Object.keys(state.chosen).sort().forEach(function (key) {
      state.chosen[key].forEach(function (value) { params.append(slug(key), value); });
    });
    var query = params.toString();
    window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
  }

  function clearResults() {
    state.results = [];
    state.shown = 0;
    list.textContent = "";
    more.hidden = true;
    status.textContent = "";
    root.removeAttribute("data-searched");
  }

  function search() {
    var seq = ++state.seq;
    var term = state.query.trim();
    writeUrl();
    if (!term && !hasFilters()) {
      clearResults();
      if (state.groups) renderCounts(state.groups);
      return Promise.resolve();
    }
    list.setAttribute("aria-busy", "true");
    return pagefind().then(function (pf) {
      return pf.search(term || null, { filters: filterOption(null) }).then(function (found) {
        if (seq !== state.seq) return null;
        var counting = state.groups ? countsFor(pf, term, found) : Promise.resolve(null);
        return counting.then(function (counts) {
          if (seq !== state.seq) return null;
          if (counts) renderCounts(counts);
          state.results = found.results;
          state.shown = 0;
          list.textContent = "";
          return showMore(seq, false).then(function () {
            if (seq !== state.seq) return;
            status.textContent = countText(found.results.length);
            root.setAttribute("data-searched", term);
          });
        });
      });
    }).catch(function (error) {
      if (seq === state.seq && !state.unavailable) {
        status.textContent = "Haku epäonnistui. Yritä uudelleen.";
        if (window.console) window.console.error(error);
      }
    }).then(function () {
      if (seq === state.seq) list.removeAttribute("aria-busy");
    });
  }

  function showMore(seq, moveFocus) {
    var next = state.results.slice(state.shown, state.shown + PAGE_SIZE);
    return Promise.all(next.map(function (result) { return result.data(); })).then(function (pages) {
      if (seq !== state.seq) return;
      var first = null;
      pages.forEach(function (page) {
        var item = resultItem(page);
        list.appendChild(item);
        first = first || item.querySelector("a");
      });
      state.shown += next.length;
      more.hidden = state.shown >= state.results.length;
      if (moveFocus && first) first.focus();
    });
  }

  function resultItem(page) {
    var item = element("li", "hk-haku__result");
    var heading = element("h2", "hk-haku__result-title");
    var title = (page.meta && page.meta.title) || page.url;
    var href = sameSiteHref(page.url);
    if (href) {
      var link = element("a", null, title);
      link.href = href;
      heading.appendChild(link);
    } else {
      heading.textContent = title;
    }
    item.appendChild(heading);
    var kind = page.filters && page.filters.Tyyppi && page.filters.Tyyppi[0];
    if (kind) item.appendChild(element("p", "hk-haku__kind", kind));
    var excerpt = element("p", "hk-haku__excerpt");
    excerpt.appendChild(textExcerpt(page) || excerptNodes(page.excerpt));
    item.appendChild(excerpt);
    return item;
  }

  function searchSoon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, DEBOUNCE_MS);
  }

  // ------------------------------------------------------------------ the filter panel

  function orderedKeys(groups) {
    return Object.keys(groups).sort(function (a, b) {
      var ia = GROUP_ORDER.indexOf(a), ib = GROUP_ORDER.indexOf(b);
      if (ia === -1 && ib === -1) return a.localeCompare(b, "fi");
      if (ia === -1 || ib === -1) return ia === -1 ? 1 : -1;
      return ia - ib;
    });
  }

  function renderGroups(groups) {
    groupsBox.textContent = "";
    state.boxes = [];
    orderedKeys(groups).forEach(function (key, g) {
      var fieldset = element("fieldset", "hk-haku__group");
      fieldset.appendChild(element("legend", null, key));
      var values = Object.keys(groups[key]).sort(function (a, b) { return a.localeCompare(b, "fi"); });
      values.forEach(function (value, v) {
        var label = element("label", "hk-haku__option");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.id = "hk-haku-f" + g + "-" + v;
        box.name = key;
        box.value = value;
        box.checked = (state.chosen[key] || []).indexOf(value) !== -1;
        var text = element("span", "hk-haku__value", value);
        text.appendChild(document.createTextNode(" "));
        text.appendChild(element("span", "hk-count", "(" + groups[key][value] + ")"));
        label.appendChild(box);
        label.appendChild(text);
        fieldset.appendChild(label);
        state.boxes.push(box);
      });
      groupsBox.appendChild(fieldset);
    });
  }

  function renderCounts(counts) {
    state.boxes.forEach(function (box) {
      var count = (counts[box.name] || {})[box.value] || 0;
      box.parentNode.querySelector(".hk-count").textContent = "(" + count + ")";
      box.parentNode.classList.toggle("hk-haku__option--none", count === 0 && !box.checked);
    });
  }

  function loadFilters() {
    if (state.groups || state.loadingFilters) return;
    state.loadingFilters = true;
    panelNote.textContent = "Ladataan rajauksia…";
    pagefind().then(function (pf) {
      return pf.filters().then(function (all) {
        state.groups = all;
        renderGroups(all);
        clearButton.hidden = false;
        panelNote.textContent = "";
        var term = state.query.trim();
        if (!term && !hasFilters()) return null;
        var seq = state.seq;
        return pf.search(term || null, { filters: filterOption(null) }).then(function (found) {
          return countsFor(pf, term, found);
        }).then(function (counts) {
          if (seq === state.seq) renderCounts(counts);
        });
      });
    }).catch(function (error) {
      panelNote.textContent = "Rajauksia ei voitu ladata.";
      if (window.console) window.console.error(error);
    }).then(function () {
      state.loadingFilters = false;
    });
  }

  // ------------------------------------------------------------------ wiring

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    state.query = params.get("q") || "";
    var keys = GROUP_ORDER.slice();
    params.forEach(function (value, name) {
      var key = keys.filter(function (k) { return slug(k) === name; })[0];
      if (key && value) {
        state.chosen[key] = state.chosen[key] || [];
        if (state.chosen[key].indexOf(value) === -1) state.chosen[key].push(value);
      }
    });
  }

  root.hidden = false;
  readUrl();
  input.value = state.query;

  input.addEventListener("input", function () {
    state.query = input.value;
    searchSoon();
  });
  input.addEventListener("focus", function () { pagefind(); }, { once: true });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    state.query = input.value;
    search();
  });
  more.addEventListener("click", function () {
    if (state.loadingMore) return;
    state.loadingMore = true;
    showMore(state.seq, true).then(function () { state.loadingMore = false; }, function () { state.loadingMore = false; });
  });
  panel.addEventListener("toggle", function () {
    if (panel.open) loadFilters();
  });
  groupsBox.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.type !== "checkbox") return;
    var chosen = state.chosen[box.name] || [];
    chosen = chosen.filter(function (v) { return v !== box.value; });
    if (box.checked) chosen.push(box.value);
    if (chosen.length) state.chosen[box.name] = chosen; else delete state.chosen[box.name];
    window.clearTimeout(timer);
    search();
  });
  clearButton.addEventListener("click", function () {
    state.chosen = {};
    state.boxes.forEach(function (box) { box.checked = false; });
    window.clearTimeout(timer);
    search();
  });

  window.hkHaku = { excerptNodes: excerptNodes, countText: countText };

  if (hasFilters()) panel.open = true;  // a shared link with filters: show them (loads the panel)
  if (state.query.trim() || hasFilters()) {
    search();
  } else {
    input.focus();
  }
})();
