/* gitspec live reload. While `gitspec render --watch` runs, this file holds a token that changes
   after each render that changed the site; otherwise the token is all zeros. A page that loaded a
   token loads this file again twice a second (as a script: fetch() is refused under file://) and
   reloads itself when the token changes. All zeros: a page opened from disk looks every two
   seconds whether a watch has started (and then reloads, to follow it); a served page polls nothing. */
(function (token) {
  "use strict";
  var OFF = /^0+$/, POLL_MS = 500, IDLE_MS = 2000, live = window.GITSPEC_LIVE;
  if (live) { live.latest = token; return; }  // a poll's copy of this file: report what it says
  live = window.GITSPEC_LIVE = { loaded: token, latest: token };
  var idle = OFF.test(token);
  if (idle && window.location.protocol !== "file:") { return; }
  var src = document.currentScript.src.split("?")[0], polls = 0, wait = idle ? IDLE_MS : POLL_MS;

  function poll() {
    var script = document.createElement("script");
    polls += 1;
    script.src = src + "?" + polls;  // a new URL each time, so no copy is reused
    function done() {
      script.parentNode.removeChild(script);
      if (live.latest !== token) { window.location.reload(); } else { window.setTimeout(poll, wait); }
    }
    script.addEventListener("load", done);
    script.addEventListener("error", done);  // a file being replaced just now: try again
    document.head.appendChild(script);
  }

  window.setTimeout(poll, wait);
})("@TOKEN@");
