/* gitspec offline search: on first use loads search-index.js, which lists one part per
   page (search/<id>.js), then the parts (scripts, since fetch() is refused under file://),
   and lists matching pages and sections. No network, no innerHTML. */
(function () {
  "use strict";
  var MAX_RESULTS = 30;
  var input = null, results = null, requested = false;

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

  function show() {
    var query = input.value.normalize("NFC").trim().toLowerCase();  // the index is NFC too
    while (results.firstChild) { results.removeChild(results.firstChild); }
    if (!query || !window.GITSPEC_SEARCH) { return; }
    var terms = query.split(/\s+/), hits = [], data = window.GITSPEC_SEARCH;
    for (var i = 0; i < data.length; i++) {
      var s = score(data[i], terms, query);
      if (s > 0) { hits.push([s, i]); }
    }
    hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "no-hits";
      none.textContent = "No matches";
      results.appendChild(none);
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
      text.textContent = entry.x;
      a.appendChild(id);
      a.appendChild(document.createTextNode(entry.t));
      a.appendChild(text);
      li.appendChild(a);
      results.appendChild(li);
    }
  }

  function start() {
    input = document.getElementById("gitspec-search");
    results = document.getElementById("gitspec-results");
    if (!input || !results) { return; }
    input.addEventListener("focus", loadIndex);
    input.addEventListener("input", function () {
      if (window.GITSPEC_SEARCH) { show(); } else { loadIndex(); }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { input.value = ""; show(); }
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
