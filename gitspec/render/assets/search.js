/* gitspec offline search: on first use loads search-index.js, which lists one part per
   page (search/<id>.js), then the parts (scripts, since fetch() is refused under file://),
   and lists matching pages and sections. No network, no innerHTML. A screen reader hears only
   the count (a separate live region), never the list; Escape or leaving the search closes it. */
(function () {
  "use strict";
  var MAX_RESULTS = 30;
  var SNIPPET_WORDS_BEFORE = 6, SNIPPET_CHARS = 160;  // a result shows the words around its first match
  var input = null, results = null, status = null, requested = false;

  function addScript(src, done) {
    var script = document.createElement("script");
    script.src = src;
    script.async = false;  // run the parts in the order they are added: the reading order
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
      window.GITSPEC_SEARCH = [].concat.apply([], window.GITSPEC_SEARCH_PARTS);
      show();
    }
    if (!left) { left = 1; partDone(); return; }
    for (var i = 0; i < files.length; i++) { addScript(files[i], partDone); }
  }

  function loadIndex() {
    if (window.GITSPEC_SEARCH || requested) { return; }
    requested = true;
    addScript(input.getAttribute("data-index") || "search-index.js", loadParts);
  }

  function score(entry, terms, query) {
    var id = entry.p.toLowerCase(), title = entry.t.toLowerCase();
    var hay = id + " " + entry.a.toLowerCase() + " " + title + " " + entry.x.toLowerCase();
    for (var i = 0; i < terms.length; i++) {
      if (hay.indexOf(terms[i]) < 0) { return 0; }
    }
    if (entry.a.toLowerCase() === query || title === query) { return 4; }
    if (id === query && !entry.a) { return 4; }
    if (title.indexOf(query) >= 0 || id.indexOf(query) >= 0) { return 3; }
    return entry.a ? 1 : 2;
  }

  function wordStart(text, n) {  // where word n of a text of words one space apart starts
    var at = 0;
    for (var i = 0; i < n && at >= 0; i++) { at = text.indexOf(" ", at) + 1; }
    return at;
  }

  // The entry's text around the first word holding a term, as [before, that word, after];
  // its start when no term is in its text (the match was in its title or id).
  function snippet(entry, terms) {
    var text = entry.x, hay = text.toLowerCase(), first = -1;
    for (var i = 0; i < terms.length; i++) {
      var at = hay.indexOf(terms[i]);
      if (at >= 0 && (first < 0 || at < first)) { first = at; }
    }
    if (first < 0) { return ["", "", cut(text, SNIPPET_CHARS)]; }
    var word = hay.slice(0, first).split(" ").length - 1;
    var from = wordStart(text, Math.max(0, word - SNIPPET_WORDS_BEFORE));
    var start = wordStart(text, word), end = text.indexOf(" ", start);
    if (end < 0) { end = text.length; }
    return [(from > 0 ? "\u2026" : "") + text.slice(from, start), text.slice(start, end),
            cut(text.slice(end), Math.max(0, SNIPPET_CHARS - (end - from)))];
  }

  function cut(text, length) {
    return text.length > length ? text.slice(0, length) + "\u2026" : text;
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

  function show() {
    var query = input.value.normalize("NFC").trim().toLowerCase();  // the index is NFC too
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
      var entry = data[hits[k][1]];
      var li = document.createElement("li"), a = document.createElement("a");
      var id = document.createElement("span"), text = document.createElement("span");
      a.href = entry.h;
      id.className = "hit-id";
      id.textContent = entry.p + (entry.a ? " #" + entry.a : "") + " ";
      text.className = "hit-text";
      var parts = snippet(entry, terms), mark = document.createElement("mark");
      mark.textContent = parts[1];
      text.appendChild(document.createTextNode(parts[0]));
      if (parts[1]) { text.appendChild(mark); }
      text.appendChild(document.createTextNode(parts[2]));
      a.appendChild(id);
      a.appendChild(document.createTextNode(entry.t));
      a.appendChild(text);
      li.appendChild(a);
      results.appendChild(li);
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
