"""Mermaid source to SVG and PNG: a local `mmdc`, else a mermaid.ink-compatible server, else a visible note.

Never raises and never prints: every failure (missing tool, timeout, bad exit,
bad response) falls through to the next way and ends in `DiagramImage.note`. An
image is returned only once it is checked whole and inert (nothing runs or fetches).
"""
from __future__ import annotations

import base64
import functools
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from gitspec.render.diagramcache import DiagramCache  # noqa: F401  (the render run imports it from here)
from gitspec.render.imagecheck import PNG_MAGIC, ImageRefused, check_png, check_svg
from gitspec.render.renderer import DiagramImage

HINT = ("To get diagram images, install mmdc (npm install -g @mermaid-js/mermaid-cli) "
        "or set mermaid_server in gitspec.yaml.")

# weasyprint drops labels drawn as HTML inside <foreignObject>; SVG <text> survives.
MERMAID_CONFIG = {"htmlLabels": False, "flowchart": {"htmlLabels": False}, "class": {"htmlLabels": False}}
INIT_DIRECTIVE = "%%{init: " + json.dumps(MERMAID_CONFIG) + "}%%\n"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PNG_SCALE = 2  # Word shows the PNG at page width; twice the CSS pixels keeps it sharp when printed
MAX_BYTES = 20_000_000


class _Failed(Exception):
    """One way of rendering failed; the message names what happened, for the note. `unreachable`:
    the server timed out or could not be reached, so a run asks it no more."""

    def __init__(self, message: str, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


@dataclass(frozen=True)
class Failure:
    """A way of drawing a diagram that failed: `way` is "mmdc" or "mermaid server URL"."""

    way: str
    reason: str
    unreachable: bool = False  # a server that timed out or could not be reached


def diagram_image(source: str, *, mmdc: str | None, server: str | None, timeout: float) -> DiagramImage:
    """Render `source` with `mmdc` (a path) if given, else with `server` (a mermaid.ink-style URL) if
    given; `timeout` (seconds) bounds each way. Falls back to DiagramImage(None, None, note)."""
    return draw_diagram(source, mmdc=mmdc, server=server, timeout=timeout)[0]


def draw_diagram(source: str, *, mmdc: str | None, server: str | None, timeout: float,
                 server_down: Failure | None = None) -> tuple[DiagramImage, list[Failure]]:
    """As diagram_image, and what failed on the way (empty when drawn, or when nothing was tried).
    `server_down`: the server already failed this way in this run; it is not asked again."""
    failures = []
    ways = ((mmdc, render_with_mmdc, "mmdc"), (server, fetch_from_server, f"mermaid server {server}"))
    for where, way, name in ways:
        if not where:
            continue
        if way is fetch_from_server and server_down is not None:
            failures.append(Failure(name, f"not asked again after it failed earlier in this run: {server_down.reason}"))
            continue
        try:
            svg, png = way(source, where, timeout)
            return DiagramImage(svg, png), failures
        except _Failed as failure:
            failures.append(Failure(name, str(failure), failure.unreachable))
        except Exception as error:  # a diagram must never stop a build: report it in the note
            failures.append(Failure(name, f"{type(error).__name__}: {error}"))
    return DiagramImage(None, None, fallback_note(failures)), failures


def _checked(check, data: bytes) -> None:
    try:
        check(data)
    except ImageRefused as refused:
        raise _Failed(str(refused)) from None


def fallback_note(failures: list[Failure]) -> str:
    """The sentence shown in place of an image: what was tried, and how to get images."""
    if not failures:
        return f"Diagram shown as source: no Mermaid renderer is available. {HINT}"
    tried = "; ".join(f"{'the ' if f.way != 'mmdc' else ''}{f.way} failed ({f.reason})" for f in failures)
    return f"Diagram shown as source: {tried}. {HINT}"


# --- Finding the tools ---------------------------------------------------------


def find_mmdc(root: Path | None = None) -> str | None:
    """`mmdc` on PATH, else `node_modules/.bin/mmdc` in `root` (default: the current folder)."""
    found = shutil.which("mmdc")
    if found:
        return found
    local = (root or Path.cwd()) / "node_modules" / ".bin" / "mmdc"
    return str(local) if local.is_file() and os.access(local, os.X_OK) else None


def find_browser() -> str | None:
    """The browser mmdc's puppeteer should drive: $PUPPETEER_EXECUTABLE_PATH, else a Chromium or
    Chrome on PATH. None leaves puppeteer to its own downloaded browser, if any."""
    chosen = os.environ.get("PUPPETEER_EXECUTABLE_PATH")
    if chosen and Path(chosen).is_file():
        return chosen
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


@functools.lru_cache(maxsize=8)
def mmdc_version(mmdc: str) -> str:
    """The mermaid-cli version behind an `mmdc` path, read from its package.json (no process started);
    the path and modification time stand in when it cannot be read."""
    try:
        script = Path(mmdc).resolve()  # node_modules/.bin/mmdc -> @mermaid-js/mermaid-cli/src/cli.js
        for folder in script.parents[:3]:
            manifest = folder / "package.json"
            if manifest.is_file():
                data = json.loads(manifest.read_text(encoding="utf-8"))
                if data.get("name") == "@mermaid-js/mermaid-cli":
                    return f"mermaid-cli {data.get('version', '?')}"
        return f"{script} {script.stat().st_mtime_ns}"
    except (OSError, ValueError):
        return mmdc


# --- A local mmdc --------------------------------------------------------------


def render_with_mmdc(source: str, mmdc: str, timeout: float) -> tuple[bytes, bytes]:
    """SVG and PNG from one `mmdc` run each, side by side, in a private temp folder. Raises _Failed."""
    import hashlib

    with tempfile.TemporaryDirectory(prefix="gitspec-mmdc-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        (folder / "diagram.mmd").write_text(source, encoding="utf-8")
        (folder / "mermaid.json").write_text(json.dumps(MERMAID_CONFIG), encoding="utf-8")
        puppeteer: dict = {"args": BROWSER_ARGS, "pipe": True}  # pipe: the browser exits with mmdc
        browser = find_browser()
        if browser:
            puppeteer["executablePath"] = browser
        (folder / "puppeteer.json").write_text(json.dumps(puppeteer), encoding="utf-8")
        # A stable, per-diagram SVG id keeps the SVG's own CSS from leaking between inlined diagrams.
        svg_id = "mermaid-" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]
        common = [mmdc, "-q", "-i", "diagram.mmd", "-c", "mermaid.json", "-p", "puppeteer.json",
                  "-I", svg_id, "-b", "white"]
        runs = {"svg": common + ["-o", "diagram.svg"],
                "png": common + ["-o", "diagram.png", "-s", str(PNG_SCALE)]}
        _run_all(runs, folder, timeout)
        svg = _read_output(folder / "diagram.svg")
        png = _read_output(folder / "diagram.png")
    _checked(check_svg, svg)
    _checked(check_png, png)
    return svg, with_density(png, 96 * PNG_SCALE)


def _run_all(runs: dict[str, list[str]], folder: Path, timeout: float) -> None:
    """Start every command, wait for all within `timeout` overall, end them all on a timeout."""
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1", NO_COLOR="1")
    started: dict[str, subprocess.Popen] = {}
    try:
        for name, command in runs.items():
            with open(folder / f"{name}.log", "wb") as log:
                started[name] = subprocess.Popen(
                    command, cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=log,
                    stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        for name, process in started.items():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.01))
            except subprocess.TimeoutExpired:
                raise _Failed(f"timed out after {timeout:g} s") from None
            if process.returncode != 0:
                raise _Failed(f"exit {process.returncode}: {_last_line(folder / f'{name}.log')}")
    except OSError as error:
        raise _Failed(f"could not start {runs[next(iter(runs))][0]}: {error.strerror or error}") from None
    finally:
        for process in started.values():
            _end(process)


def _end(process: subprocess.Popen) -> None:
    """Stop a still-running mmdc and everything in its process group (its node children)."""
    if process.poll() is not None:
        return
    if not hasattr(os, "killpg"):  # Windows: no process groups to signal
        process.kill()
        process.wait()
        return
    for sig, grace in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def _last_line(log: Path) -> str:
    try:
        lines = [line.strip() for line in log.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no output"
    # mmdc prints a stack trace after the message: the first "Error" line says the most.
    errors = [line for line in lines if "error" in line.lower()]
    text = (errors or lines or ["no output"])[0]
    return text[:300]


def _read_output(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _Failed(f"{path.name} is larger than {MAX_BYTES} bytes")
        return path.read_bytes()
    except FileNotFoundError:
        raise _Failed(f"it wrote no {path.name}") from None
    except OSError as error:
        raise _Failed(f"cannot read {path.name}: {error.strerror or error}") from None


# --- A mermaid.ink-compatible server -------------------------------------------


def fetch_from_server(source: str, server: str, timeout: float) -> tuple[bytes, bytes]:
    """GET {server}/svg/{code} and {server}/img/{code}?type=png, both within `timeout`. Raises _Failed."""
    if not re.match(r"https?://", server):
        raise _Failed("the address must start with http:// or https://")
    code = base64.urlsafe_b64encode(with_init_directive(source).encode("utf-8")).decode("ascii")
    base = server.rstrip("/")
    deadline = time.monotonic() + timeout
    svg = _get(f"{base}/svg/{code}", deadline, timeout)
    _checked(check_svg, svg)
    png = _get(f"{base}/img/{code}?type=png", deadline, timeout)
    _checked(check_png, png)
    return svg, png


def with_init_directive(source: str) -> str:
    """`source` with an init directive turning HTML labels off, after any YAML front matter
    (which must stay first); a server cannot be handed a config file."""
    lines = source.splitlines(keepends=True)
    if lines and lines[0].strip() == "---":
        for n, line in enumerate(lines[1:], start=1):
            if line.strip() == "---":
                return "".join(lines[: n + 1]) + INIT_DIRECTIVE + "".join(lines[n + 1:])
    return INIT_DIRECTIVE + source


class _Deadline:
    """Shuts a request's sockets down when its time is up. A socket timeout bounds each read, not
    the response: a server sending a byte a second would otherwise hold a render for ever."""

    def __init__(self, seconds: float) -> None:
        self.expired = self._done = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        with self._lock:
            self._done = True  # the sockets are closed from here on; never touch them

    def watch(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)
        return sock

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:  # wakes a read blocked in another thread; closing would not
        sock.shutdown(socket.SHUT_RDWR)
    except (OSError, ValueError):
        pass


def _opener(deadline: _Deadline):
    """urllib for http and https only (redirects included), every socket watched by `deadline`."""
    import http.client
    import urllib.request

    def watched(base):
        class Connection(base):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                create = self._create_connection  # the TCP socket, watched before any TLS or proxy talk
                self._create_connection = lambda *a, **k: deadline.watch(create(*a, **k))

            def connect(self) -> None:
                super().connect()
                deadline.watch(self.sock)  # under TLS, the socket wrapping the first one
        return Connection

    plain, tls = watched(http.client.HTTPConnection), watched(http.client.HTTPSConnection)

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(plain, req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(tls, req, context=self._context)

    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.UnknownHandler(), Http(), Https(),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPRedirectHandler(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _get(url: str, deadline: float, timeout: float) -> bytes:
    """The body at `url`, all of it (connecting, headers, body) by `deadline` (time.monotonic());
    `timeout` is the configured limit, for the message. Raises _Failed."""
    import http.client
    import urllib.error
    import urllib.request

    timed_out = _Failed(f"timed out after {timeout:g} s", unreachable=True)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise timed_out
    request = urllib.request.Request(url, headers={"User-Agent": "gitspec"})
    watch = _Deadline(remaining)
    try:
        with watch, _opener(watch).open(request, timeout=remaining) as response:
            if (response.length or 0) > MAX_BYTES:
                raise _Failed(f"response larger than {MAX_BYTES} bytes")
            chunks, size = [], 0
            while chunk := response.read(65536):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise _Failed(f"response larger than {MAX_BYTES} bytes")
                chunks.append(chunk)
            if watch.expired:  # the body ended because its socket was shut
                raise timed_out
            return b"".join(chunks)
    except _Failed:
        raise
    except Exception as error:
        if watch.expired or isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError):
            raise timed_out from None
        if isinstance(error, urllib.error.HTTPError):
            error.close()
            raise _Failed(f"HTTP {error.code}") from None
        if isinstance(error, urllib.error.URLError):  # could not connect (refused, no such host)
            raise _Failed(str(error.reason), unreachable=True) from None
        if isinstance(error, OSError):  # the connection was reset or dropped
            raise _Failed(str(error) or type(error).__name__, unreachable=True) from None
        if isinstance(error, (http.client.HTTPException, ValueError)):  # not HTTP, a cut-short body
            raise _Failed(f"{type(error).__name__}: {error}" if str(error) else type(error).__name__) from None
        raise


# --- Preparing the PNG for Word --------------------------------------------------


def with_density(png: bytes, dpi: int) -> bytes:
    """`png` declaring `dpi` (a pHYs chunk after IHDR), so Word sizes a 2x image at its CSS size."""
    if not png.startswith(PNG_MAGIC) or png[12:16] != b"IHDR" or b"pHYs" in png[:4096]:
        return png
    ihdr_end = 8 + 8 + struct.unpack(">I", png[8:12])[0] + 4
    per_metre = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    return png[:ihdr_end] + chunk + png[ihdr_end:]
