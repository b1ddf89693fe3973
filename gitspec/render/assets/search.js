/* gitspec offline search: on first use loads search-index.js, which lists the pages in reading
   order and the parts that hold their entries (search/parts/<nn>.js, a bounded number of them, each
   holding the pages its name's hash picks), then the parts (scripts, since fetch() is refused under
   file://), and lists matching pages and sections. No network, no innerHTML. A screen reader hears only
   the count (a separate live region), never the list; Escape or leaving the search closes it. */
(function () {
  "use strict";
  var MAX_RESULTS = 30;
  var input = null, results = null, status = null, requested = false, pageTitles = {};
  var SNIPPET_WORDS_BEFORE = 6, SNIPPET_CHARS = 160;  // a result shows the words around its match
  var graphemes = null;  // an Intl.Segmenter, made when a snippet is first cut
  // Accents of Latin, Greek and Cyrillic letters, as NFKD writes them apart (é is e + U+0301), Arabic's
  // vowel marks and tatweel, Hebrew's points and cantillation marks, and what shows as nothing (a soft
  // hyphen, a zero-width space or joiner, Persian's ZWNJ: Unicode's Default_Ignorable_Code_Point): as
  // searchindex.py's _MARKS
  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u064b-\u065f\u0670\u0640\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0000}-\u{e0fff}]/gu;

  // A word as search compares it, as gitspec.render.searchindex.fold folds each word of the index:
  // CAFÉ, café and cafe alike; İ as i, ß as ss, ё as е; ﬁ as fi, fullwidth ＰＤＦ as pdf; كَتَبَ as كتب.
  function foldWord(word) {
    return word.toLowerCase().normalize("NFKD").toLowerCase().replace(MARKS, "").replace(/\u00df/g, "ss")
      .replace(/\u03c2/g, "\u03c3").replace(/ /g, "");
  }

  function fold(text) {  // its words folded, one space between them
    return text.split(/\s+/).map(foldWord).join(" ");
  }

  function prepare(entry) {  // once per entry: its fields folded (its text by the render, but where lower case is enough)
    entry.fp = fold(entry.p);
    entry.fa = fold(entry.a);
    entry.ft = fold(entry.t);
    entry.fx = entry.f === undefined ? entry.x.toLowerCase() : entry.f;
    if (!entry.a) { pageTitles[entry.p] = entry.t; }  // a page's own entry: its title
  }

  function addScript(src, done) {
    var script = document.createElement("script");
    script.src = src;
    script.addEventListener("load", done);
    script.addEventListener("error", done);  // a missing part leaves its page out, nothing more
    document.head.appendChild(script);
  }

  function loadParts() {
    var files = window.GITSPEC_SEARCH_FILES || [], left = files.length;
    window.GITSPEC_SEARCH_PARTS = [];
    function partDone() {
      left -= 1;
      if (left > 0) { return; }
      var data = inReadingOrder(window.GITSPEC_SEARCH_PARTS, window.GITSPEC_SEARCH_PAGES || []);
      data.forEach(prepare);
      window.GITSPEC_SEARCH = data;
      show();
    }
    if (!left) { left = 1; partDone(); return; }
    for (var i = 0; i < files.length; i++) { addScript(files[i], partDone); }
  }

  // Every page's entries, in the site's reading order: a part lists its pages as [id, tag, entries]
  // (the tag tells the next render the entries are still the page's), in no particular order.
  function inReadingOrder(parts, order) {
    var entries = new Map(), data = [];
    parts.forEach(function (part) {
      part.forEach(function (page) { entries.set(page[0], page[2]); });
    });
    order.forEach(function (id) {
      (entries.get(id) || []).forEach(function (entry) { data.push(entry); });  // a missing part: none
    });
    return data;
  }

  function loadIndex() {
    if (window.GITSPEC_SEARCH || requested) { return; }
    requested = true;
    addScript(input.getAttribute("data-index") || "search-index.js", loadParts);
  }

  function score(entry, terms, query) {
    var id = entry.fp, title = entry.ft;
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      if (entry.fx.indexOf(term) < 0 && title.indexOf(term) < 0 && id.indexOf(term) < 0 &&
          entry.fa.indexOf(term) < 0) { return 0; }
    }
    if (entry.fa === query || title === query) { return 4; }
    if (id === query && !entry.a) { return 4; }
    if (title.indexOf(query) >= 0 || id.indexOf(query) >= 0) { return 3; }
    return entry.a ? 1 : 2;
  }

  function wordStart(text, n) {  // where word n of a text of words one space apart starts
    var at = 0;
    for (var i = 0; i < n && at >= 0; i++) { at = text.indexOf(" ", at) + 1; }
    return at;
  }

  function wordsBefore(text, at) {  // how many words of a text of words one space apart end before `at`
    return text.slice(0, at).split(" ").length - 1;
  }

  // Where in a folded text the snippet is: the query's words together, else its longest word (the
  // likeliest to be rare: REQ-00150, not "no"), else any other; [start, end), or null.
  function matchIn(hay, terms) {
    var sought = [terms.join(" ")].concat(terms.slice().sort(function (a, b) { return b.length - a.length; }));
    for (var i = 0; i < sought.length; i++) {
      var at = hay.indexOf(sought[i]);
      if (at >= 0) { return [at, at + sought[i].length]; }
    }
    return null;
  }

  // The entry's text around its match, as [before, the matched words, after], as written (its
  // folded text has the same words, one space apart); its start when no term is in its text (the
  // match was in its title or id).
  function snippet(entry, terms) {
    var text = entry.x, hay = entry.fx, match = matchIn(hay, terms);
    if (!match) { return ["", "", cut(text, SNIPPET_CHARS)]; }
    var first = wordsBefore(hay, match[0]), last = wordsBefore(hay, match[1] - 1);
    var from = wordStart(text, Math.max(0, first - SNIPPET_WORDS_BEFORE));
    var start = wordStart(text, first), end = text.indexOf(" ", wordStart(text, last));
    if (end < 0) { end = text.length; }
    return [(from > 0 ? "\u2026" : "") + text.slice(from, start), text.slice(start, end),
            cut(text.slice(end), Math.max(0, SNIPPET_CHARS - (end - from)))];
  }

  // The text's start, at most `length` UTF-16 units of it, then "\u2026": cut between two characters as
  // a reader sees them (a whole emoji, a letter with its accents), never inside one, which would show
  // as a replacement character; without Intl.Segmenter (browsers before 2021-2024), between code points.
  function cut(text, length) {
    if (text.length <= length) { return text; }
    var end = length;
    if (window.Intl && Intl.Segmenter) {
      graphemes = graphemes || new Intl.Segmenter(undefined, {granularity: "grapheme"});
      end = 0;
      for (var piece of graphemes.segment(text)) {
        if (piece.index + piece.segment.length > length) { break; }
        end = piece.index + piece.segment.length;
      }
    } else if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) {
      end -= 1;  // (a high surrogate: the first half of an emoji's pair)
    }
    return text.slice(0, end) + "\u2026";
  }

  function close() {
    while (results.firstChild) { results.removeChild(results.firstChild); }
    status.textContent = "";
  }

  function line(className, text) {
    var li = document.createElement("li");
    li.className = className;
    li.textContent = text;
    results.appendChild(li);
  }

  function span(className, text) {  // dir="auto": an Arabic or Hebrew title or text reads right to left
    var element = document.createElement("span");
    element.className = className;
    element.dir = "auto";
    element.textContent = text;
    return element;
  }

  // A result: a link named by its id, title and document's title, and next to it (its description,
  // not its name, which a screen reader reads at every result) the words around the match.
  // The link covers the whole result (site.css), the snippet too. Its words are the documents', in
  // the page's language; the search around it is gitspec's, declared English on a page in another.
  function result(entry, terms, n) {
    var li = document.createElement("li"), a = document.createElement("a"), id = document.createElement("span");
    li.lang = document.documentElement.lang;
    var parts = snippet(entry, terms), text = span("hit-text", parts[0]), mark = document.createElement("mark");
    a.href = entry.h;
    id.className = "hit-id";
    id.textContent = entry.p + (entry.a ? " #" + entry.a : "") + " ";
    a.appendChild(id);
    a.appendChild(span("hit-title", entry.t));
    if (entry.a && pageTitles[entry.p]) {
      a.appendChild(document.createTextNode(" \u00b7 "));
      a.appendChild(span("hit-doc", pageTitles[entry.p]));
    }
    mark.textContent = parts[1];
    if (parts[1]) { text.appendChild(mark); }
    text.appendChild(document.createTextNode(parts[2]));
    text.id = "gitspec:hit-" + n;  // a colon, which no heading's anchor has: never the id of one
    a.setAttribute("aria-describedby", text.id);
    li.appendChild(a);
    li.appendChild(text);
    return li;
  }

  function show() {
    var query = fold(input.value).trim();
    close();
    if (!query || !window.GITSPEC_SEARCH) { return; }
    var terms = query.split(/\s+/), hits = [], data = window.GITSPEC_SEARCH;
    for (var i = 0; i < data.length; i++) {
      var s = score(data[i], terms, query);
      if (s > 0) { hits.push([s, i]); }
    }
    hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    if (!hits.length) {
      line("no-hits", "No matches");
      status.textContent = "No matches";
      return;
    }
    for (var k = 0; k < hits.length && k < MAX_RESULTS; k++) {
      results.appendChild(result(data[hits[k][1]], terms, k));
    }
    var count = hits.length + (hits.length === 1 ? " result" : " results");
    if (hits.length > MAX_RESULTS) {
      line("more-hits", "Showing " + MAX_RESULTS + " of " + count + "; type more to narrow them.");
      count = "Showing " + MAX_RESULTS + " of " + count;
    }
    status.textContent = count;
  }

  function start() {
    input = document.getElementById("gitspec-search");
    results = document.getElementById("gitspec-results");
    status = document.getElementById("gitspec-status");
    if (!input || !results || !status) { return; }
    var search = input.closest(".search") || input.parentNode;
    input.addEventListener("focus", loadIndex);
    input.addEventListener("input", function () {
      if (window.GITSPEC_SEARCH) { show(); } else { loadIndex(); }
    });
    search.addEventListener("focusout", function (event) {  // focus left the search: close the list
      if (!event.relatedTarget || !search.contains(event.relatedTarget)) { close(); }
    });
    search.addEventListener("keydown", function (event) {  // from the input or from a result
      if (event.key !== "Escape") { return; }
      if (event.target === input || !results.firstChild) { input.value = ""; }
      input.focus();  // first: a result that had focus is about to go
      close();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        var first = results.querySelector("a");
        if (first) { window.location.href = first.href; }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
