"""Drawing a diagram with a local mermaid-cli (`mmdc`): finding it and a browser for it, running it
for an SVG and a PNG at once within the timeout, and stopping it and its browser on the way out."""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import zlib
from pathlib import Path

from gitspec.render.drawway import LOCKED_KEYS, MAX_BYTES, MERMAID_CONFIG, DrawFailed, background, checked
from gitspec.render.imagecheck import PNG_MAGIC, check_png, check_svg

# No network for the browser: every request goes to a proxy nothing answers (loopback addresses too,
# which Chromium would otherwise reach directly) and no host name resolves. mmdc serves mermaid itself
# to the page by request interception, which needs neither.
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--host-resolver-rules=MAP * ~NOTFOUND"]
# mermaid drops LOCKED_KEYS from a diagram's own init directive or front matter config.
MMDC_CONFIG = {**MERMAID_CONFIG, "secure": list(LOCKED_KEYS)}
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PNG_SCALE = 2  # Word shows the PNG at page width; twice the CSS pixels keeps it sharp when printed
# A failed mmdc run is worth a retry unless mermaid itself threw: then the error depends on the diagram's
# text alone (a parse error, too many edges...) and drawing the same text gives it again. mermaid runs in
# the page, and the first frame of the stack mmdc prints is in its code; a browser that would not start, a
# crash or a timeout is thrown by puppeteer or node instead. The words are for an mmdc printing no stack.
MERMAID_CODE = re.compile(r"[/\\]mermaid[/\\]dist[/\\]")
MERMAID_WORDS = re.compile(r"Parse error|Lexical error|Syntax error|UnknownDiagramError|No diagram type detected")
# mermaid's own code failing to load (a chunk the page could not fetch, node_modules changed under it, the
# page gone): its files are named in the message, but the next run may well draw the diagram.
NOT_LOADED = re.compile(r"Failed to fetch dynamically imported module|Failed to load module script|"
                        r"Importing a module script failed|net::ERR_|Protocol error|Target closed")
# puppeteer could not start a browser (none found, or it would not run): no diagram will be drawn by this
# mmdc until that changes, so a run asks it no more (DrawFailed.down).
NO_BROWSER = re.compile(r"Failed to launch the browser process|Could not find (Chrome|Chromium|expected browser)|"
                        r"Browser was not found at the configured executablePath|"
                        r"Timed out after \d+ ms while waiting for the WS endpoint")
# A line of a stack trace: "at f (file:1:2)", or the first one node prints without "at".
STACK_FRAME = re.compile(r"at\s|\S+ \(\S+:\d+:\d+\)$")
POINTER = re.compile(r"-*\^$")  # "------^" under the quoted diagram text
EXPLANATION_LINES, EXPLANATION_CHARS = 3, 300


def mermaid_threw(log: list[str]) -> bool:
    """Whether a failed mmdc run's output says mermaid threw on the diagram's text (see MERMAID_CODE)."""
    if any(NOT_LOADED.search(line) for line in log):
        return False
    frame = next((line for line in log if STACK_FRAME.match(line.strip())), None)
    return bool(frame and MERMAID_CODE.search(frame)) or any(MERMAID_WORDS.search(line) for line in log)


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


def render_with_mmdc(source: str, mmdc: str, timeout: float) -> tuple[bytes, bytes]:
    """SVG and PNG from one `mmdc` run each, side by side, in a private temp folder. Raises DrawFailed."""
    with tempfile.TemporaryDirectory(prefix="gitspec-mmdc-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        (folder / "diagram.mmd").write_text(source, encoding="utf-8")
        (folder / "mermaid.json").write_text(json.dumps(MMDC_CONFIG), encoding="utf-8")
        puppeteer: dict = {"args": BROWSER_ARGS, "pipe": True}  # pipe: the browser exits with mmdc
        browser = find_browser()
        if browser:
            puppeteer["executablePath"] = browser
        (folder / "puppeteer.json").write_text(json.dumps(puppeteer), encoding="utf-8")
        # A stable, per-diagram SVG id keeps the SVG's own CSS from leaking between inlined diagrams.
        svg_id = "mermaid-" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]
        common = [mmdc, "-q", "-i", "diagram.mmd", "-c", "mermaid.json", "-p", "puppeteer.json",
                  "-I", svg_id, "-b", background(source)]
        runs = {"svg": common + ["-o", "diagram.svg"],
                "png": common + ["-o", "diagram.png", "-s", str(PNG_SCALE)]}
        _run_all(runs, folder, timeout)
        svg = _read_output(folder / "diagram.svg")
        png = _read_output(folder / "diagram.png")
    checked(check_svg, svg)
    checked(check_png, png)
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
                raise DrawFailed(f"timed out after {timeout:g} s", down=True) from None
            if process.returncode != 0:
                log = _log_lines(folder / f"{name}.log")
                if mermaid_threw(log):
                    raise DrawFailed(f"the diagram's text is invalid: {_explanation(log)}", invalid=True)
                no_browser = any(NO_BROWSER.search(line) for line in log)
                raise DrawFailed(f"exit {process.returncode}: {_last_line(log)}", down=no_browser, temporary=True)
    except OSError as error:
        raise DrawFailed(f"could not start {runs[next(iter(runs))][0]}: {error.strerror or error}",
                         down=True) from None
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


def _log_lines(log: Path) -> list[str]:
    try:
        return [line.strip() for line in log.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return []


def _last_line(lines: list[str]) -> str:
    # mmdc prints a stack trace after the message: the first "Error" line says the most.
    errors = [line for line in lines if "error" in line.lower()]
    text = (errors or lines or ["no output"])[0]
    return text[:300]


def _explanation(lines: list[str]) -> str:
    """What mermaid says is wrong with a diagram: mmdc's message from its first "Error" line to the stack
    after it, without the "^" line pointing into the quoted text (it lines up only in a terminal)."""
    start = next((n for n, line in enumerate(lines) if "error" in line.lower()), 0)
    kept = []
    for line in lines[start:]:
        if STACK_FRAME.match(line) or len(kept) == EXPLANATION_LINES:
            break
        if not POINTER.match(line):
            kept.append(line)
    text = " ".join(kept).removeprefix("Error: ").rstrip(".") or "no output"  # a sentence goes on after it
    return text if len(text) <= EXPLANATION_CHARS else text[:EXPLANATION_CHARS - 1] + "…"


def _read_output(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DrawFailed(f"{path.name} is larger than {MAX_BYTES} bytes")
        return path.read_bytes()
    except FileNotFoundError:
        raise DrawFailed(f"it wrote no {path.name}", temporary=True) from None
    except OSError as error:
        raise DrawFailed(f"cannot read {path.name}: {error.strerror or error}", temporary=True) from None


def with_density(png: bytes, dpi: int) -> bytes:
    """`png` declaring `dpi` (a pHYs chunk after IHDR), so Word sizes a 2x image at its CSS size."""
    if not png.startswith(PNG_MAGIC) or png[12:16] != b"IHDR" or b"pHYs" in png[:4096]:
        return png
    ihdr_end = 8 + 8 + struct.unpack(">I", png[8:12])[0] + 4
    per_metre = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    return png[:ihdr_end] + chunk + png[ihdr_end:]
