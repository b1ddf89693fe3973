"""Mermaid images: a local mmdc, a mermaid.ink-style server on loopback, and the visible fallback.

Stand-ins are real programs and real sockets (a script named mmdc, an HTTP server);
gitspec's own code is never mocked. The real mmdc runs only when one is installed.
"""
from __future__ import annotations

import base64
import json
import os
import re
import stat
import struct
import sys
import textwrap
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

from gitspec.render.mermaid import (
    DiagramCache, diagram_image, find_mmdc, mmdc_version, with_density, with_init_directive,
)
from gitspec.render.renderer import DiagramImage

REPO = Path(__file__).resolve().parent.parent
SOURCE = "flowchart LR\n  A[Start here] --> B{Decide}\n  B -->|yes| C[Done]\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>Start here</text></svg>'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(13) + b"\x00\x00\x00\x00" + b"rest"


# --- A loopback stand-in for mermaid.ink ---------------------------------------


class Ink(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        server = self.server
        server.paths.append(self.path)
        mode = server.mode
        if mode == "hang":
            server.closing.wait(5)
            return
        if mode == "error":
            self.send_error(500)
            return
        if mode == "garbage":
            body, kind = b"<html>rate limited</html>", "text/html"
        elif self.path.startswith("/svg/"):
            body, kind = (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
                          if mode == "script" else SVG), "image/svg+xml"
        else:
            body, kind = PNG, "image/png"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture
def ink(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ink)
    server.daemon_threads = True
    server.mode, server.paths, server.closing = "good", [], threading.Event()
    server.handle_error = lambda request, address: None  # a client that gave up is expected here
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.closing.set()
    server.shutdown()
    server.server_close()


# --- Stand-in mmdc programs ------------------------------------------------------


def fake_mmdc(folder: Path, body: str) -> str:
    """An executable named mmdc running `body` (Python) with the arguments in `args`."""
    script = folder / "mmdc"
    script.write_text(f"#!{sys.executable}\nimport sys, json, os, time\nargs = sys.argv[1:]\n"
                      + textwrap.dedent(body))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


DRAWING_MMDC = """
    out = args[args.index("-o") + 1]
    record = {"args": args, "config": json.load(open(args[args.index("-c") + 1])),
              "puppeteer": json.load(open(args[args.index("-p") + 1])),
              "source": open(args[args.index("-i") + 1]).read()}
    json.dump(record, open(os.environ["MMDC_RECORD"] + "." + out.rsplit(".", 1)[1], "w"))
    data = {"svg": SVG, "png": PNG}[out.rsplit(".", 1)[1]]
    open(out, "wb").write(data)
"""


def test_fallback_note_when_nothing_is_available():
    image = diagram_image(SOURCE, mmdc=None, server=None, timeout=1)
    assert image.svg is None and image.png is None
    assert "npm install -g @mermaid-js/mermaid-cli" in image.note and "mermaid_server" in image.note


def test_server_svg_and_png_with_html_labels_off(ink):
    image = diagram_image(SOURCE, mmdc=None, server=ink.url + "/", timeout=5)
    assert (image.svg, image.png, image.note) == (SVG, PNG, "")
    svg_path, png_path = ink.paths
    assert svg_path.startswith("/svg/") and png_path.startswith("/img/") and png_path.endswith("?type=png")
    sent = base64.urlsafe_b64decode(unquote(svg_path[5:])).decode()
    assert sent.endswith(SOURCE) and '"htmlLabels": false' in sent.splitlines()[0]


def test_hanging_server_times_out_into_the_fallback(ink):
    ink.mode = "hang"
    start = time.perf_counter()
    image = diagram_image(SOURCE, mmdc=None, server=ink.url, timeout=0.5)
    assert time.perf_counter() - start < 3
    assert image.svg is None and f"mermaid server {ink.url} failed (timed out after 0.5 s)" in image.note
    assert "npm install" in image.note


@pytest.mark.parametrize("mode, reason", [("garbage", "not an SVG image"), ("error", "HTTP 500"),
                                          ("script", "contains script")])
def test_bad_server_responses_fall_back(ink, mode, reason):
    ink.mode = mode
    image = diagram_image(SOURCE, mmdc=None, server=ink.url, timeout=5)
    assert image.svg is None and image.png is None and reason in image.note


def test_unreachable_server_and_bad_address_fall_back():
    image = diagram_image(SOURCE, mmdc=None, server="http://127.0.0.1:9", timeout=2)
    assert image.svg is None and "mermaid server http://127.0.0.1:9 failed" in image.note
    image = diagram_image(SOURCE, mmdc=None, server="file:///etc/passwd", timeout=2)
    assert image.svg is None and "must start with http" in image.note


def test_mmdc_is_called_with_config_browser_and_scale(tmp_path, monkeypatch):
    monkeypatch.setenv("MMDC_RECORD", str(tmp_path / "record"))
    mmdc = fake_mmdc(tmp_path, f"SVG = {SVG!r}\nPNG = {PNG!r}\n" + textwrap.dedent(DRAWING_MMDC))
    image = diagram_image(SOURCE, mmdc=mmdc, server=None, timeout=20)
    assert image.svg == SVG and image.note == ""
    assert image.png.startswith(PNG[:33]) and b"pHYs" in image.png  # declared 192 dpi: 2x pixels
    svg_run = json.loads((tmp_path / "record.svg").read_text())
    png_run = json.loads((tmp_path / "record.png").read_text())
    assert svg_run["source"] == SOURCE
    assert svg_run["config"]["htmlLabels"] is False and svg_run["config"]["flowchart"]["htmlLabels"] is False
    assert {"--no-sandbox", "--disable-gpu"} <= set(svg_run["puppeteer"]["args"])
    assert png_run["args"][png_run["args"].index("-s") + 1] == "2"


def test_failing_mmdc_falls_through_to_the_server_quietly(tmp_path, ink, capfd):
    mmdc = fake_mmdc(tmp_path, "print('noise on stdout'); sys.stderr.write('Error: Parse error\\n'); sys.exit(1)\n")
    image = diagram_image(SOURCE, mmdc=mmdc, server=ink.url, timeout=20)
    assert (image.svg, image.png) == (SVG, PNG)
    image = diagram_image(SOURCE, mmdc=mmdc, server=None, timeout=20)
    assert image.svg is None and "mmdc failed (exit 1: Error: Parse error)" in image.note
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_hanging_mmdc_is_stopped_at_the_timeout(tmp_path):
    pid_file = tmp_path / "pid"
    mmdc = fake_mmdc(tmp_path, f"open({str(pid_file)!r} + args[args.index('-o') + 1][-3:], 'w')"
                               ".write(str(os.getpid()))\ntime.sleep(60)\n")
    start = time.perf_counter()
    image = diagram_image(SOURCE, mmdc=mmdc, server=None, timeout=1)
    assert time.perf_counter() - start < 10
    assert "mmdc failed (timed out after 1 s)" in image.note
    for suffix in ("svg", "png"):
        pid = int((tmp_path / f"pid{suffix}").read_text())
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_mmdc_that_cannot_start_or_writes_nothing_falls_back(tmp_path):
    image = diagram_image(SOURCE, mmdc=str(tmp_path / "missing-mmdc"), server=None, timeout=5)
    assert image.svg is None and "mmdc failed (could not start" in image.note
    mmdc = fake_mmdc(tmp_path, "pass\n")
    image = diagram_image(SOURCE, mmdc=mmdc, server=None, timeout=5)
    assert image.svg is None and "wrote no diagram.svg" in image.note


def test_find_mmdc_in_the_workspace_node_modules(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert find_mmdc(tmp_path) is None
    local = tmp_path / "node_modules" / ".bin"
    local.mkdir(parents=True)
    found = fake_mmdc(local, "pass\n")
    assert find_mmdc(tmp_path) == found


def test_init_directive_goes_after_front_matter():
    text = "---\ntitle: Flow\n---\nflowchart LR\n  A-->B\n"
    lines = with_init_directive(text).splitlines()
    assert lines[:3] == ["---", "title: Flow", "---"] and lines[3].startswith("%%{init:")
    assert with_init_directive("graph TD\n").startswith("%%{init:")


def grey_png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_density_chunk_makes_word_show_2x_pixels_at_css_size():
    from docx.image.image import Image
    from docx.shared import Inches

    image = Image.from_blob(with_density(grey_png(384, 96), 192))
    assert (image.horz_dpi, image.px_width, image.width) == (192, 384, Inches(2))
    assert with_density(b"not a png", 192) == b"not a png"


# --- The cache ------------------------------------------------------------------


def test_cache_stores_images_once_and_never_the_fallback(tmp_path):
    cache, calls = DiagramCache(tmp_path / "diagrams"), []

    def draw(image: DiagramImage):
        def run() -> DiagramImage:
            calls.append(1)
            return image
        return run

    note = DiagramImage(None, None, "no renderer")
    assert cache.get_or_draw(SOURCE, None, None, draw(note)) == note
    assert cache.get_or_draw(SOURCE, None, None, draw(note)) == note and len(calls) == 2  # not cached
    drawn = DiagramImage(SVG, PNG)
    assert cache.get_or_draw(SOURCE, None, "http://ink", draw(drawn)) == drawn
    assert cache.get_or_draw(SOURCE, None, "http://ink/", draw(note)) == drawn and len(calls) == 3
    key = cache.key(SOURCE, None, "http://ink")
    assert sorted(p.name for p in (tmp_path / "diagrams").iterdir()) == [f"{key}.json", f"{key}.png", f"{key}.svg"]
    assert cache.key(SOURCE, None, "http://other") != key and cache.key(SOURCE + " ", None, "http://ink") != key


def test_damaged_cache_entry_is_deleted_and_redrawn(tmp_path):
    cache = DiagramCache(tmp_path)
    cache.get_or_draw(SOURCE, None, "http://ink", lambda: DiagramImage(SVG, PNG))
    key = cache.key(SOURCE, None, "http://ink")
    (tmp_path / f"{key}.svg").write_bytes(b"<svg>tampered</svg>")
    assert cache.load(key) is None and not (tmp_path / f"{key}.json").exists()
    redrawn = cache.get_or_draw(SOURCE, None, "http://ink", lambda: DiagramImage(SVG, PNG))
    assert redrawn.svg == SVG and cache.load(key) == DiagramImage(SVG, PNG)


def test_cache_key_follows_the_mmdc_version(tmp_path):
    package = tmp_path / "node_modules" / "@mermaid-js" / "mermaid-cli"
    (package / "src").mkdir(parents=True)
    (package / "src" / "cli.js").write_text("")
    (package / "package.json").write_text(json.dumps({"name": "@mermaid-js/mermaid-cli", "version": "11.0.0"}))
    bin_dir = tmp_path / "node_modules" / ".bin"
    bin_dir.mkdir()
    (bin_dir / "mmdc").symlink_to(package / "src" / "cli.js")
    assert mmdc_version(str(bin_dir / "mmdc")) == "mermaid-cli 11.0.0"


# --- The real mmdc, when installed ------------------------------------------------

# CI installs mermaid-cli outside PATH (so other tests stay fast) and names it here.
REAL_MMDC = os.environ.get("GITSPEC_TEST_MMDC") or find_mmdc(REPO)


@pytest.mark.skipif(REAL_MMDC is None, reason="mmdc not installed (npm install -g @mermaid-js/mermaid-cli, "
                                              "or PUPPETEER_SKIP_DOWNLOAD=1 npm install in the repo)")
def test_real_mmdc_draws_labels_as_svg_text(tmp_path):
    cache = DiagramCache(tmp_path)

    def draw() -> DiagramImage:
        return diagram_image(SOURCE, mmdc=REAL_MMDC, server=None, timeout=60)

    image = cache.get_or_draw(SOURCE, REAL_MMDC, None, draw)
    assert image.note == "" and image.png.startswith(b"\x89PNG")
    svg = image.svg.decode()
    assert "<foreignObject" not in svg  # weasyprint would drop those labels
    texts = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text\b.*?</text>", svg, re.S)]
    words = " ".join(texts)
    assert all(label in words for label in ("Start", "here", "Decide", "Done", "yes")), texts

    def must_not_draw() -> DiagramImage:
        raise AssertionError("drawn again instead of read from the cache")

    assert cache.get_or_draw(SOURCE, REAL_MMDC, None, must_not_draw) == image
