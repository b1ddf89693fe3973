"""The HTML site's live-reload signal, `assets/live.js`, which every page loads. The HTML renderer
writes it with the OFF token; `gitspec render --watch` writes a new token into it after each render
that changed the site, and OFF again when it stops. A page reloads when the token it loaded changes;
with OFF, a page opened from disk checks slowly for a watch to start (live.js says how often).

Every token has the same length, and the HTML renderer names live.js `volatile` (known to a watch's
renders by its size alone), so the cache still finds the site fresh while a watch's token is in place;
any other render finds it changed and writes OFF over a token a watch left (one killed, say).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from gitspec.atomic import write_atomic
from gitspec.render.packageassets import package_asset

LIVE_JS = "assets/live.js"
OFF = "0" * 16  # no watch is rendering this site


def live_script(token: str) -> bytes:
    return package_asset("live.js").replace(b"@TOKEN@", token.encode("ascii"))


def site_script(assets, format_name: str) -> bytes:
    """live.js as a render writes it: OFF, except under a watch, which keeps the token its open pages
    loaded, so that they reload only once, after everything is written (see `watched`)."""
    if getattr(assets, "live", False):
        previous = getattr(assets, "previous", None)
        current = previous(format_name, LIVE_JS) if previous else None
        if current is not None and _has_token(current):
            return current
    return live_script(OFF)


def _has_token(script: bytes) -> bool:
    """Whether `script` is live.js as gitspec writes it, with some token."""
    before, after = package_asset("live.js").split(b"@TOKEN@")
    token = script[len(before):len(script) - len(after)]
    return (script.startswith(before) and script.endswith(after) and len(token) == len(OFF)
            and all(c in b"0123456789abcdef" for c in token))


def watched(output: Path, changed: bool) -> None:
    """After a watch's HTML render into `output`: a new token when the site `changed`, or when the
    pages have none yet, so that open pages reload and pages opened from now on poll."""
    target = output / "html" / LIVE_JS
    script = _own_script(target)
    if script is None:  # the user's file, which the render kept (and named): left as it is
        return
    if changed or script == live_script(OFF):
        try:
            write_atomic(target, live_script(os.urandom(8).hex()), durable=False)
        except OSError as error:
            from gitspec.errors import EXIT_USAGE, GitspecError

            raise GitspecError(f"cannot write {target}: {error.strerror or error}", exit_code=EXIT_USAGE) from None


def stopped(output: Path) -> None:
    """The watch ends: open pages reload once more and then only look for the next watch
    (a site deleted meanwhile stays deleted)."""
    target = output / "html" / LIVE_JS
    if _own_script(target) is not None:
        try:
            write_atomic(target, live_script(OFF), durable=False)
        except OSError as error:  # the watch is over all the same; open pages go on polling
            sys.stderr.write(f"gitspec: warning: cannot write {target}: {error.strerror or error}\n")


def _own_script(target: Path) -> bytes | None:
    """live.js as gitspec wrote it, or None for anything else there (only a regular file is read: a
    named pipe would hang the watch)."""
    try:
        script = target.read_bytes() if target.is_file() else None
    except OSError:
        return None
    return script if script is not None and _has_token(script) else None
