"""Mermaid images: a local mmdc, a mermaid.ink-style server on loopback, and the visible fallback.

Stand-ins are real programs and real sockets (a script named mmdc, an HTTP server);
gitspec's own code is never mocked. The real mmdc runs only when one is installed.
What the user sees (warnings, the pages written) is checked through the real CLI.
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
import zipfile
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import CONFIG, make_repo, run_gitspec

from gitspec.render.mermaid import DiagramCache, diagram_image
from gitspec.render.mermaidserver import with_init_directive
from gitspec.render.mmdc import find_mmdc, mmdc_version, with_density
from gitspec.render.model import Diagram
from gitspec.render.renderer import DiagramImage
from gitspec.render.resources import RenderAssets, diagram_label

REPO = Path(__file__).resolve().parent.parent
SOURCE = "flowchart LR\n  A[Start here] --> B{Decide}\n  B -->|yes| C[Done]\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>Start here</text></svg>'


def grey_png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = grey_png(4, 2)
# The right first bytes and a plausible header, then junk: what a broken proxy or server may send.
JUNK_PNG = PNG[:33] + struct.pack(">I", 596) + b"IDAT" + os.urandom(600)


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
        if mode.startswith("http-"):  # e.g. http-503
            self.send_error(int(mode[5:]))
            return
        if mode.startswith("drip"):  # a byte every 0.2 s, for 8 s: each read gets something in time
            head = b"Content-Length: 1000000\r\n\r\n" if mode == "drip-body" else b""
            self.wfile.write(b"HTTP/1.0 200 OK\r\n" + head)
            self.drip()
            return
        if mode.startswith("redirect "):  # e.g. "redirect http://127.0.0.1:8812" or "redirect /moved"
            if not self.path.startswith("/moved/"):
                self.send_response(302)
                self.send_header("Location", mode[9:] + self.path)
                self.end_headers()
                return
            self.path = self.path[len("/moved"):]
        if mode == "escape":  # not HTTP at all: a status line that would clear the user's terminal
            self.wfile.write(b"\x1b[2J\x1b[31mFAKE\r\n\r\n")
            return
        if mode == "garbage":
            body, kind = b"<html>rate limited</html>", "text/html"
        elif self.path.startswith("/svg/"):
            body, kind = (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
                          if mode == "script" else server.svg), "image/svg+xml"
        else:
            body, kind = JUNK_PNG if mode == "junk-png" else PNG, "image/png"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def drip(self) -> None:
        for _ in range(40):
            if self.server.closing.wait(0.2):
                return
            try:
                self.wfile.write(b"x")
            except OSError:  # the client gave up
                return

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture
def ink(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    yield from _serve()


@pytest.fixture
def other_ink(ink):
    """A second server, standing in for another host than the one configured."""
    yield from _serve()


@pytest.fixture
def https_ink(ink, tmp_path, monkeypatch):
    """The server `ink` stands for, speaking https on its host's default port (443), with a certificate for
    127.0.0.1 that SSL_CERT_FILE (set here, so the gitspec a test runs sees it too) makes trusted."""
    import shutil
    import socket
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("needs openssl to make a certificate for 127.0.0.1")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 443), Ink, bind_and_activate=False)
    try:
        server.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.server_bind()
        server.server_activate()
    except OSError as error:
        server.server_close()
        pytest.skip(f"needs to listen on 127.0.0.1:443, the https default port ({error.strerror})")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    yield from _serve(server, "https://127.0.0.1")


def _serve(server: ThreadingHTTPServer | None = None, url: str | None = None):
    server = server or ThreadingHTTPServer(("127.0.0.1", 0), Ink)
    server.daemon_threads = True
    server.mode, server.paths, server.closing, server.svg = "good", [], threading.Event(), SVG
    server.handle_error = lambda request, address: None  # a client that gave up is expected here
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = url or f"http://127.0.0.1:{server.server_address[1]}"
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
    # before, the command downloaded a Chromium of puppeteer's own, which fails offline and is not the one used
    assert "(PUPPETEER_SKIP_DOWNLOAD=1 npm install -g @mermaid-js/mermaid-cli)" in image.note
    assert "install Chromium" in image.note


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


def test_a_redirect_to_another_server_is_refused_and_one_within_the_server_followed(ink, other_ink):
    ink.mode = f"redirect {other_ink.url}"
    image = diagram_image(SOURCE, mmdc=None, server=ink.url, timeout=5)
    assert image.svg is None and other_ink.paths == []  # before, the diagram's text went there
    port = other_ink.server_address[1]
    assert (f"mermaid server {ink.url} failed (it redirected to http://127.0.0.1:{port}, another address than "
            "the one configured, and gitspec sends diagram text only to mermaid_server)") in image.note
    ink.mode = f"redirect {ink.url.replace('127.0.0.1', 'localhost')}"  # another host name, though the same machine
    assert diagram_image(SOURCE, mmdc=None, server=ink.url, timeout=5).svg is None
    ink.mode, ink.paths[:] = "redirect /moved", []
    image = diagram_image(SOURCE, mmdc=None, server=ink.url, timeout=5)
    assert (image.svg, image.png) == (SVG, PNG) and len(ink.paths) == 4


@pytest.mark.parametrize("url, redirected, followed", [
    ("http://ink.example/svg/x", "https://ink.example/svg/x", True),  # the same host upgraded to https
    ("http://ink.example:8080/svg/x", "https://INK.example:443/svg/x", True),
    ("https://ink.example/svg/x", "https://ink.example:443/moved/svg/x", True),  # the same origin
    ("http://ink.example/svg/x", "https://ink.example:8443/svg/x", False),  # another port than https's own
    ("http://ink.example/svg/x", "https://other.example/svg/x", False),
    ("https://ink.example/svg/x", "http://ink.example/svg/x", False),  # never back to http
    ("http://ink.example/svg/x", "ftp://ink.example/svg/x", False),
])
def test_a_redirect_is_followed_only_within_the_host_configured(url: str, redirected: str, followed: bool):
    from gitspec.render.mermaidserver import may_follow

    assert may_follow(url, redirected) is followed


def test_unreachable_server_and_bad_address_fall_back():
    image = diagram_image(SOURCE, mmdc=None, server="http://127.0.0.1:9", timeout=2)
    assert image.svg is None and "mermaid server http://127.0.0.1:9 failed" in image.note
    image = diagram_image(SOURCE, mmdc=None, server="file:///etc/passwd", timeout=2)
    assert image.svg is None and "must start with http" in image.note


@pytest.mark.parametrize("mode", ["drip-body", "drip-headers"])
def test_dripping_server_is_cut_off_at_the_timeout(ink, mode):
    ink.mode = mode
    start = time.perf_counter()
    image = diagram_image(SOURCE, mmdc=None, server=ink.url, timeout=1)
    assert time.perf_counter() - start < 3  # the server would go on for 8 s
    assert image.svg is None and f"mermaid server {ink.url} failed (timed out after 1 s)" in image.note


def test_png_with_the_right_start_and_a_junk_body_is_refused_and_not_cached(ink, tmp_path):
    ink.mode = "junk-png"
    assets = RenderAssets(tmp_path, tmp_path, tmp_path / "diagrams", ink.url, 5)
    image = assets.diagram(Diagram(SOURCE))
    assert image.svg is None and image.png is None and "the PNG image is damaged" in image.note
    assert not (tmp_path / "diagrams").exists()
    assert assets.warnings == [(f"mermaid server {ink.url}: the PNG image is damaged (broken data stream when reading image file); "
                                'diagram "flowchart LR; A[Start here] --> B{Decide}" shown as source')]



def test_a_junk_png_is_refused_after_weasyprint_made_pillow_lenient():
    import weasyprint  # noqa: F401 (importing it sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES for the process)
    from PIL import ImageFile

    from gitspec.render.imagecheck import ImageRefused, check_png

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    with pytest.raises(ImageRefused, match="the PNG image is damaged"):
        check_png(JUNK_PNG)
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # left as weasyprint wants it
    check_png(PNG)


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
HOSTILE_SVGS = {
    "iframe in foreignObject, entity-encoded javascript: link":
        SVG_OPEN + '<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" srcdoc="&lt;script&gt;parent.pwned=42'
        '&lt;/script&gt;"/></foreignObject><a href="&#106;avascript:window.pwned=43"><rect/></a></svg>',
    "javascript: link with a tab": SVG_OPEN + '<a xlink:href=" java&#9;script:alert(1)"><rect/></a></svg>',
    "link out": SVG_OPEN + '<image href="http://127.0.0.1:9/x.png"/></svg>',
    "set changes href": SVG_OPEN + '<a href="#x"><set attributeName="href" to="javascript:alert(1)"/><rect/></a></svg>',
    "animate changes xlink:href":
        SVG_OPEN + '<a><animate attributeName="xlink:href" values="javascript:alert(1)"/></a></svg>',
    "html link in foreignObject": SVG_OPEN + '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">'
        '<a href="#x">x</a></div></foreignObject></svg>',
    "@import": SVG_OPEN + "<style>@import 'http://127.0.0.1:9/a.css';</style></svg>",
    "url() split by an entity": SVG_OPEN + "<style>rect { fill: u&#114;l(http://127.0.0.1:9/p#a) }</style></svg>",
    "url() spelt with a CSS escape": SVG_OPEN + "<style>rect { fill: \\75 rl(http://127.0.0.1:9/p#a) }</style></svg>",
    "url() in a style attribute": SVG_OPEN + '<rect style="fill: url(//127.0.0.1:9/p#a)"/></svg>',
    "url() in a presentation attribute": SVG_OPEN + '<rect filter="url(\'http://127.0.0.1:9/f#a\')"/></svg>',
    "url() after an escaped comment start": SVG_OPEN + "<style>.x\\2f\\2a{} rect{fill:url(http://127.0.0.1:9/s)}</style></svg>",
    "url() after an escaped comment start in an attribute":
        SVG_OPEN + '<rect style="a:b\\2f\\2a;background-image:url(http://127.0.0.1:9/a)"/></svg>',
    "expression()": SVG_OPEN + '<rect style="width: expression(alert(1))"/></svg>',
    "xml-stylesheet": '<?xml-stylesheet type="text/xsl" href="http://127.0.0.1:9/x.xsl"?>' + SVG_OPEN + "</svg>",
    "xml:base": SVG_OPEN + '<a xml:base="javascript:alert(1)//" href="#x"><rect/></a></svg>',
    "script from another namespace":
        SVG_OPEN + '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>',
}


@pytest.mark.parametrize("body", HOSTILE_SVGS.values(), ids=HOSTILE_SVGS.keys())
def test_svg_that_could_run_script_or_fetch_is_refused(ink, body):
    ink.svg = body.encode()
    image = diagram_image(SOURCE, mmdc=None, server=ink.url, timeout=5)
    assert image.svg is None and image.png is None
    assert "contains script or an outside reference" in image.note, image.note


def test_svg_parser_keeps_refusing_what_the_old_pattern_refused(ink):
    """Guards for the parser that replaced a pattern: an entity bomb, and a handler in the XHTML
    that <foreignObject> may now hold (both refused before, too)."""
    for body, reason in (('<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + SVG_OPEN
                          + "<text>&b;</text></svg>", "the SVG has a DOCTYPE"),
                         (SVG_OPEN + '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml" onmouseover="alert(1)">'
                          "x</div></foreignObject></svg>", "contains script or an outside reference")):
        ink.svg = body.encode()
        image = diagram_image(SOURCE, mmdc=None, server=ink.url, timeout=5)
        assert image.svg is None and reason in image.note, image.note


def test_svg_as_mermaid_draws_it_is_accepted(ink):
    ink.svg = (SVG_OPEN.replace(">", ' id="m1" style="max-width: 80px; background-color: white;">', 1)
               + "<style>#m1{font-family:\"trebuchet ms\",verdana;}#m1 .marker{fill:#333;}</style>"
               '<defs><marker id="m1_end"><path d="M0,0L10,5z"/></marker></defs>'
               '<path d="M0,0L9,9" marker-end="url(#m1_end)" style="fill:none;"/>'
               '<a xlink:href="#m1"><use href="#m1_end"/></a>'
               '<foreignObject width="50" height="20"><div xmlns="http://www.w3.org/1999/xhtml" class="task" '
               'style="display: table;"><div class="label">Make tea</div></div></foreignObject></svg>').encode()
    image = diagram_image(SOURCE, mmdc=None, server=ink.url, timeout=5)
    assert (image.svg, image.png, image.note) == (ink.svg, PNG, "")


def test_a_failing_server_is_asked_again_and_each_diagram_warned_of_once(ink, tmp_path):
    ink.mode = "error"
    assets = RenderAssets(tmp_path, tmp_path, tmp_path / "diagrams", ink.url, 5)
    twice = "graph TD\n  A-->B\n"
    for source in (twice, "---\ntitle: Flow\n---\n%% c\nflowchart LR\n  A-->B\n", twice):
        assert assets.diagram(Diagram(source)).svg is None
    assert len(ink.paths) == 2  # an HTTP error is not a dead server; the repeated diagram is drawn once
    assert assets.warnings == [f'mermaid server {ink.url}: HTTP 500; diagram "graph TD; A-->B" shown as source',
                               f'mermaid server {ink.url}: HTTP 500; diagram "Flow" shown as source']
    assert diagram_label(Diagram("%%{init: {}}%%\nsequenceDiagram\n", title="Login")) == '"Login"'
    assert diagram_label(Diagram("%% a comment\nsequenceDiagram\n  A->>B: " + "x" * 80)) == \
        '"sequenceDiagram; A->>B: ' + "x" * 35 + '…"'


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
    # no network for the browser, and a diagram's own config may not undo these settings or add CSS
    assert {"--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            "--host-resolver-rules=MAP * ~NOTFOUND"} <= set(svg_run["puppeteer"]["args"])
    assert {"securityLevel", "htmlLabels", "themeCSS", "fontFamily"} <= set(svg_run["config"]["secure"])
    assert png_run["args"][png_run["args"].index("-s") + 1] == "2"


THEMED = [  # a diagram, and the background it is drawn on
    (SOURCE, "white"),
    ("---\ntitle: Themed\nconfig:\n  theme: dark\n---\nflowchart LR\n  A --> B\n", "#333"),
    ("%%{init: {'theme': 'dark'}}%%\nflowchart LR\n  A --> B\n", "#333"),
    ("---\nconfig:\n  theme: forest\n---\nflowchart LR\n  A --> B\n", "white"),
    # mermaid merges its init directives in order: the last theme named is drawn (found by a review)
    ("%%{init: {'theme': 'dark'}}%%\nflowchart LR\n%%{init: {'theme': 'default'}}%%\n  A --> B\n", "white"),
]


@pytest.mark.parametrize("source, background", THEMED)
def test_mmdc_draws_a_dark_theme_on_its_own_background(tmp_path, monkeypatch, source, background):
    # Before, every diagram was drawn on white (-b white): a dark theme's light lines all but vanished.
    monkeypatch.setenv("MMDC_RECORD", str(tmp_path / "record"))
    mmdc = fake_mmdc(tmp_path, f"SVG = {SVG!r}\nPNG = {PNG!r}\n" + textwrap.dedent(DRAWING_MMDC))
    assert diagram_image(source, mmdc=mmdc, server=None, timeout=20).svg == SVG
    for kind in ("svg", "png"):
        args = json.loads((tmp_path / f"record.{kind}").read_text())["args"]
        assert args[args.index("-b") + 1] == background


@pytest.mark.parametrize("source, background", THEMED)
def test_the_server_is_asked_to_draw_a_dark_theme_on_its_own_background(ink, source, background):
    # Before, the server was asked for the diagram alone: a dark theme came back on nothing (transparent),
    # its light lines all but gone on the white page, where mmdc drew it on its own background.
    from urllib.parse import parse_qs, urlsplit

    assert diagram_image(source, mmdc=None, server=ink.url, timeout=5).svg == SVG
    asked = {"theme": ["dark"], "bgColor": [background.lstrip("#")]} if background != "white" else {}
    svg_path, png_path = ink.paths
    assert parse_qs(urlsplit(svg_path).query) == asked
    assert parse_qs(urlsplit(png_path).query) == {"type": ["png"], **asked}


def test_failing_mmdc_falls_through_to_the_server_quietly(tmp_path, ink, capfd):
    mmdc = fake_mmdc(tmp_path, "print('noise on stdout'); sys.stderr.write('Error: Parse error\\n'); sys.exit(1)\n")
    image = diagram_image(SOURCE, mmdc=mmdc, server=ink.url, timeout=20)
    assert (image.svg, image.png) == (SVG, PNG)
    image = diagram_image(SOURCE, mmdc=mmdc, server=None, timeout=20)
    assert image.svg is None and image.note == "Diagram shown as source: the diagram's text is invalid: Parse error."
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


def test_a_cache_entry_planted_with_a_matching_hash_is_checked_like_a_drawn_image(tmp_path):
    import hashlib
    import json

    cache = DiagramCache(tmp_path)
    key = cache.key(SOURCE, None, None)
    planted = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
    (tmp_path / f"{key}.svg").write_bytes(planted)
    (tmp_path / f"{key}.json").write_text(json.dumps({"svg": hashlib.sha256(planted).hexdigest()}))
    assert cache.load(key) is None and not (tmp_path / f"{key}.svg").exists()


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



REAL_KINDS = {"journey (labels in foreignObject)": "journey\n  title Day\n  section Go\n    Make tea: 5: Me\n",
              "sequence": "sequenceDiagram\n  actor A\n  A->>B: Hello\n  Note right of B: a note\n",
              "er": "---\ntitle: Data\n---\nerDiagram\n  CUSTOMER ||--o{ ORDER : places\n"}


@pytest.mark.skipif(REAL_MMDC is None, reason="mmdc not installed")
@pytest.mark.parametrize("source", REAL_KINDS.values(), ids=REAL_KINDS.keys())
def test_real_mmdc_output_passes_the_image_checks(source):
    image = diagram_image(source, mmdc=REAL_MMDC, server=None, timeout=60)
    assert image.note == "" and image.svg and image.png

@pytest.mark.skipif(REAL_MMDC is None, reason="mmdc not installed")
def test_real_mmdc_fetches_nothing_even_for_a_diagram_the_text_check_would_refuse(ink):
    """The browser's own layers, under the text check (gitspec.render.diagramreach): no network, and
    mermaid drops a diagram's themeCSS, fontFamily and htmlLabels. Drawn straight with mmdc here."""
    from gitspec.render.drawway import DrawFailed
    from gitspec.render.mmdc import render_with_mmdc

    for source in (f'%%{{init: {{"themeCSS": ".node rect {{ fill: url({ink.url}/themecss) }}", '
                   f'"fontFamily": "x; background: url({ink.url}/font)", "htmlLabels": true, '
                   f'"flowchart": {{"htmlLabels": true}}}}}}%%\nflowchart LR\n  M["<img src=\'{ink.url}/label\'>"] --> N\n',
                   f'flowchart LR\n  A@{{ img: "{ink.url}/shape.png", label: "x", w: 60, h: 60 }} --> B\n'):
        try:
            render_with_mmdc(source, REAL_MMDC, 60)
        except DrawFailed:
            pass  # refusing it is fine too; fetching is not
    assert ink.paths == []


# --- As the user sees it ------------------------------------------------------------

DIAGRAMS_PRD = """---
kind: prd
id: flows
title: Flows
status: draft
owners: [qa]
---

# Flows

## Problem

```mermaid
flowchart LR
  A-->B
```

```mermaid
sequenceDiagram
  A->>B: hi
```

## Goals

```mermaid
graph TD
  C-->D
```
""" + "".join(f"\n## {name}\n\nNone.\n" for name in
              ("Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions"))


def diagram_workspace(repo, url: str, formats: str = "[html]"):
    config = CONFIG.replace("formats: []", f"formats: {formats}") + f"mermaid_server: {url}\nmermaid_timeout: 1\n"
    return repo({"specs/flows.md": DIAGRAMS_PRD}, config)


NO_MMDC = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/bin{os.pathsep}/bin"}


def test_hanging_server_is_asked_once_and_every_fallback_is_a_warning(repo, ink):
    ink.mode = "hang"
    root = diagram_workspace(repo, ink.url)
    start = time.perf_counter()
    result = run_gitspec(root, "render", env=NO_MMDC)
    assert result.code == 0, result
    assert len(ink.paths) == 1 and time.perf_counter() - start < 20
    skipped = "not asked again after it failed earlier in this run: timed out after 1 s"
    assert [line for line in result.err.splitlines() if line.startswith("warning:")] == [
        (f'warning: mermaid server {ink.url}: timed out after 1 s (not asked again in this run); '
         'diagram "flowchart LR; A-->B" shown as source (in flows)'),  # each names the documents showing it
        f'warning: mermaid server {ink.url}: {skipped}; diagram "sequenceDiagram; A->>B: hi" shown as source (in flows)',
        f'warning: mermaid server {ink.url}: {skipped}; diagram "graph TD; C-->D" shown as source (in flows)'], result
    page = (root / "build" / "html" / "flows.html").read_text()
    assert page.count("diagram-missing") == 3 and page.count("Diagram shown as source") == 3


def test_a_server_redirecting_elsewhere_is_a_warning_and_the_other_server_gets_nothing(repo, ink, other_ink):
    ink.mode = f"redirect {other_ink.url}"
    result = run_gitspec(diagram_workspace(repo, ink.url), "render", env=NO_MMDC)
    assert result.code == 0 and other_ink.paths == [], result
    warnings = [line for line in result.err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 3 and all(line.startswith(f"warning: mermaid server {ink.url}: it redirected to "
                                                      f"http://127.0.0.1:{other_ink.server_address[1]}, another")
                                      for line in warnings), result


def test_a_server_upgrading_to_https_on_its_host_is_followed_and_never_back_to_http(repo, ink, https_ink, tmp_path):
    # Before, the upgrade was refused as another address ("it redirected to https://127.0.0.1:443"), and
    # each diagram was shown as source: only the host configured may get the text, and it still does.
    ink.mode = f"redirect {https_ink.url}"
    root = diagram_workspace(repo, ink.url)
    result = run_gitspec(root, "render", env=NO_MMDC)
    assert result.code == 0 and "warning" not in result.err, result
    assert len(list((root / "build" / "html").glob("diagrams/*.svg"))) == 3
    assert len(ink.paths) == len(https_ink.paths) == 6  # the SVG and the PNG of each, asked of both
    https_ink.mode, ink.paths[:] = "redirect http://127.0.0.1", []  # port 80 on the same host: in the clear
    config = CONFIG.replace("formats: []", "formats: [html]") + f"mermaid_server: {https_ink.url}\nmermaid_timeout: 1\n"
    result = run_gitspec(make_repo(tmp_path / "back", {"gitspec.yaml": config, "specs/flows.md": DIAGRAMS_PRD}),
                         "render", env=NO_MMDC)
    warnings = [line for line in result.err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 3 and all(line.startswith(f"warning: mermaid server {https_ink.url}: it redirected to "
                                                      "http://127.0.0.1:80, another") for line in warnings), result


def test_junk_png_is_a_visible_note_in_the_pdf_and_is_not_cached(repo, ink):
    pypdf = pytest.importorskip("pypdf")
    ink.mode = "junk-png"
    root = diagram_workspace(repo, ink.url, "[pdf]")
    result = run_gitspec(root, "render", env=NO_MMDC)
    assert result.code == 0, result
    assert result.err.count("the PNG image is damaged") == 3, result
    reader = pypdf.PdfReader(root / "build" / "pdf" / "flows.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert text.count("Diagram shown as source") == 3, text
    assert not list((root / ".gitspec" / "diagrams").glob("*"))


def test_hostile_svg_is_never_written_into_the_site(repo, ink):
    ink.svg = HOSTILE_SVGS["iframe in foreignObject, entity-encoded javascript: link"].encode()
    root = diagram_workspace(repo, ink.url)
    result = run_gitspec(root, "render", env=NO_MMDC)
    assert result.code == 0, result
    assert result.err.count("contains script or an outside reference (a <iframe> element") == 3, result
    assert not list((root / "build" / "html").glob("diagrams/*")), result
    assert not list((root / ".gitspec" / "diagrams").glob("*"))


def test_a_page_showing_diagrams_as_source_is_drawn_once_the_server_is_back(repo, ink):
    ink.mode = "hang"
    root = diagram_workspace(repo, ink.url, "[html, docx]")
    assert run_gitspec(root, "render", env=NO_MMDC).code == 0
    page = root / "build" / "html" / "flows.html"
    assert page.read_text().count("diagram-missing") == 3
    ink.mode = "good"  # the document is unchanged, but its page showed the diagrams only as source
    result = run_gitspec(root, "render", env=NO_MMDC)
    assert result.code == 0 and "warning" not in result.err, result
    assert "diagram-missing" not in page.read_text() and len(list((root / "build" / "html").glob("diagrams/*.svg"))) == 3
    assert "rendered 0 (" in run_gitspec(root, "render", env=NO_MMDC).err  # drawn now: nothing left to redo


def test_a_page_showing_diagrams_as_source_stays_until_a_way_to_draw_them_is_set_up(repo, ink):
    root = repo({"specs/flows.md": DIAGRAMS_PRD}, CONFIG.replace("formats: []", "formats: [html, docx]"))
    assert run_gitspec(root, "render", env=NO_MMDC).code == 0
    page = root / "build" / "html" / "flows.html"
    assert page.read_text().count("diagram-missing") == 3
    again = run_gitspec(root, "render", env=NO_MMDC)
    assert "rendered 0 (" in again.err and ink.paths == [], again  # nothing can draw them: nothing to redo
    config = root / "gitspec.yaml"
    config.write_text(config.read_text() + f"mermaid_server: {ink.url}\n")
    assert run_gitspec(root, "render", env=NO_MMDC).code == 0
    assert "diagram-missing" not in page.read_text()
    book = root / "build" / "docx" / "book.docx"
    assert b"Diagram shown as source" not in _docx_text(book)


def _docx_text(path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml")


def test_a_diagram_file_two_pages_share_stays_when_one_page_drops_the_diagram(repo, ink):
    second = DIAGRAMS_PRD.replace("id: flows", "id: more").replace("# Flows", "# More")
    config = CONFIG.replace("formats: []", "formats: [html]") + f"mermaid_server: {ink.url}\n"
    root = repo({"specs/flows.md": DIAGRAMS_PRD, "specs/more.md": second}, config)
    assert run_gitspec(root, "render", env=NO_MMDC).code == 0
    html = root / "build" / "html"
    shared = sorted(p.name for p in (html / "diagrams").glob("*.svg"))
    assert len(shared) == 3 and all(f"diagrams/{name}" in (html / "more.html").read_text() for name in shared)
    flows = root / "specs" / "flows.md"
    flows.write_text(re.sub(r"```mermaid\n.*?```\n", "No diagram here any more.\n", flows.read_text(), flags=re.S))
    result = run_gitspec(root, "render", env=NO_MMDC)
    assert result.code == 0 and "diagrams/" not in (html / "flows.html").read_text(), result
    assert sorted(p.name for p in (html / "diagrams").glob("*.svg")) == shared, result  # more.html still shows them
    assert "rendered 0 (" in run_gitspec(root, "render", env=NO_MMDC).err
    (root / "specs" / "more.md").unlink()  # the last page showing them is gone: so are they
    assert run_gitspec(root, "render", env=NO_MMDC).code == 0
    assert not list((html / "diagrams").glob("*.svg"))


def test_what_a_server_says_reaches_the_terminal_as_one_inert_line(repo, ink):
    ink.mode = "escape"
    result = run_gitspec(diagram_workspace(repo, ink.url), "render", env=NO_MMDC)
    assert result.code == 0, result
    warnings = [line for line in result.err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 3 and len(result.err.splitlines()) == 4 and result.out == "", result  # and the summary
    assert "\x1b" not in result.err and "\r" not in result.err
    assert "\\x1b[2J\\x1b[31mFAKE" in warnings[0], warnings[0]


# An mmdc on PATH that does what the file $MMDC_MODE says: take 3 s, find no browser, read the diagram as
# invalid, or draw it.
MODAL_MMDC = f"SVG = {SVG!r}\nPNG = {PNG!r}\n" + """
mode = open(os.environ["MMDC_MODE"]).read()
open(os.environ["MMDC_MODE"] + ".calls", "a").write("x")
if mode == "slow":
    time.sleep(3)
if mode == "no-browser":
    sys.stderr.write("Error: Could not find Chrome (ver. 131.0.6778.204). This can occur if either\\n")
    sys.exit(1)
if mode == "invalid":
    sys.stderr.write("Error: Parse error on line 2:\\nflowchart LR A-->\\n---^\\nExpecting 'NODE_STRING'\\n")
    sys.exit(1)
if mode in ("edges", "crash"):  # as mermaid-cli 11 prints them: the error, then its stack
    stack = ["    at #evaluate (file:///m/node_modules/puppeteer-core/lib/esm/puppeteer/cdp/ExecutionContext.js:388:19)",
             "    at async renderMermaid (file:///m/node_modules/@mermaid-js/mermaid-cli/src/index.js:480:22)"]
    if mode == "edges":
        message = ["Error: Edge limit exceeded. 500 edges found, but the limit is 500.", "",
                   "Initialize mermaid with maxEdges set to a higher number to allow more edges.",
                   "FlowDB.addSingleLink (https://mermaid-cli-intercept.invalid/m/node_modules/mermaid/dist/"
                   "chunks/mermaid.esm/chunk-6HLVECFW.mjs:318:13)"]
    else:
        message = ["Error: Protocol error (Runtime.callFunctionOn): Target closed"]
    sys.stderr.write("\\n".join(message + stack) + "\\n")
    sys.exit(1)
out = args[args.index("-o") + 1]
open(out, "wb").write({"svg": SVG, "png": PNG}[out[-3:]])
"""


def mmdc_workspace(repo, tmp_path, mode: str, diagram: str = "flowchart LR\n  A-->B\n"):
    """A one-diagram workspace rendering HTML with the MODAL_MMDC, set to `mode`, on PATH; and its environment."""
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    fake_mmdc(bin_folder, MODAL_MMDC)
    (tmp_path / "mode").write_text(mode)
    env = {"PATH": f"{bin_folder}{os.pathsep}{NO_MMDC['PATH']}", "MMDC_MODE": str(tmp_path / "mode")}
    prd = DIAGRAMS_PRD.split("```\n\n```mermaid\nsequenceDiagram")[0].replace(
        "flowchart LR\n  A-->B\n", diagram) + "```\n" + "".join(
        f"\n## {name}\n\nNone.\n" for name in
        ("Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions"))
    config = CONFIG.replace("formats: []", "formats: [html]") + "mermaid_timeout: 1\n"
    return repo({"specs/flows.md": prd}, config), env


@pytest.mark.parametrize("mode", ["slow", "no-browser", "crash"])
def test_a_diagram_mmdc_failed_to_draw_is_drawn_once_the_cause_is_gone(repo, tmp_path, mode):
    root, env = mmdc_workspace(repo, tmp_path, mode)
    first = run_gitspec(root, "render", env=env)
    assert first.code == 0 and "shown as source" in first.err, first
    page = root / "build" / "html" / "flows.html"
    assert page.read_text().count("diagram-missing") == 1
    if mode == "slow":  # the user gives mmdc the time it needs
        config = root / "gitspec.yaml"
        config.write_text(config.read_text().replace("mermaid_timeout: 1", "mermaid_timeout: 20"))
    else:  # the user installs a browser, or the browser does not crash this time
        (tmp_path / "mode").write_text("draw")
    result = run_gitspec(root, "render", env=env)
    assert result.code == 0 and "warning" not in result.err, result
    assert "diagram-missing" not in page.read_text() and len(list(page.parent.glob("diagrams/*.svg"))) == 1
    assert "rendered 0 (" in run_gitspec(root, "render", env=env).err  # drawn now: nothing left to redo


@pytest.mark.parametrize("mode, reason", [
    ("slow", "timed out after 1 s"),
    ("no-browser", "exit 1: Error: Could not find Chrome (ver. 131.0.6778.204). This can occur if either")])
def test_an_mmdc_that_timed_out_or_found_no_browser_is_not_asked_again_in_the_run(repo, ink, tmp_path, mode, reason):
    """Before, every diagram of a render ran mmdc again: 50 diagrams with a hung browser cost 50 timeouts."""
    root, env = mmdc_workspace(repo, tmp_path, mode)
    (root / "specs" / "flows.md").write_text(DIAGRAMS_PRD)  # three diagrams
    calls = tmp_path / "mode.calls"
    result = run_gitspec(root, "render", env=env)
    assert result.code == 0, result
    # the first diagram's SVG and PNG runs, and no more (the second may be stopped before it begins)
    assert 1 <= len(calls.read_text()) <= 2, result
    skipped = f"mmdc: not asked again after it failed earlier in this run: {reason}"
    assert [line for line in result.err.splitlines() if line.startswith("warning:")] == [
        f'warning: mmdc: {reason} (not asked again in this run); diagram "flowchart LR; A-->B" shown as source '
        '(in flows)',
        f'warning: {skipped}; diagram "sequenceDiagram; A->>B: hi" shown as source (in flows)',
        f'warning: {skipped}; diagram "graph TD; C-->D" shown as source (in flows)'], result
    assert (root / "build" / "html" / "flows.html").read_text().count("diagram-missing") == 3
    before = len(calls.read_text())
    assert run_gitspec(root, "render", env=env).code == 0 and 1 <= len(calls.read_text()) - before <= 2  # retried
    config = root / "gitspec.yaml"  # with a server, it draws what mmdc is no longer asked for
    config.write_text(config.read_text() + f"mermaid_server: {ink.url}\n")
    before = len(calls.read_text())
    result = run_gitspec(root, "render", env=env)
    assert result.code == 0 and "warning" not in result.err, result
    assert 1 <= len(calls.read_text()) - before <= 2 and len(ink.paths) == 6, result  # the server draws all three
    assert "diagram-missing" not in (root / "build" / "html" / "flows.html").read_text()


@pytest.mark.parametrize("mode, said", [("invalid", "Parse error on line 2"), ("edges", "Edge limit exceeded")])
def test_a_diagram_mmdc_reads_as_invalid_is_not_drawn_again_until_it_changes(repo, tmp_path, mode, said):
    """Any error mermaid itself throws depends on the diagram's text: before, one worded otherwise than a
    parse error (too many edges) was retried, for seconds, by every render of the unchanged document."""
    root, env = mmdc_workspace(repo, tmp_path, mode)
    first = run_gitspec(root, "render", env=env)
    assert first.code == 0 and said in first.err, first
    calls = (tmp_path / "mode.calls").read_text()
    again = run_gitspec(root, "render", env=env)
    assert "rendered 0 (" in again.err and (tmp_path / "mode.calls").read_text() == calls, again


def test_an_invalid_diagrams_note_says_what_is_wrong_and_not_to_install_mmdc(repo, tmp_path):
    """Before, the note kept only "Parse error on line 2:" and told the reader to install Chromium and
    mmdc, which were installed."""
    root, env = mmdc_workspace(repo, tmp_path, "invalid")
    result = run_gitspec(root, "render", env=env)
    assert result.code == 0, result
    said = "Parse error on line 2: flowchart LR A--&gt; Expecting &#x27;NODE_STRING&#x27;"
    page = (root / "build" / "html" / "flows.html").read_text()
    assert f"Diagram shown as source: the diagram&#x27;s text is invalid: {said}." in page, page
    assert "install" not in page and "---^" not in page
    assert "warning: mmdc: the diagram's text is invalid: Parse error on line 2: flowchart LR A--> Expecting " in result.err


def test_an_mmdc_message_is_kept_to_its_explanation():
    from gitspec.render.mmdc import _explanation

    stack = ["Parser.parseError (https://mermaid-cli-intercept.invalid/m/mermaid/dist/chunk.mjs:1523:21)",
             "at #evaluate (file:///m/puppeteer-core/lib/esm/puppeteer/cdp/ExecutionContext.js:388:19)"]
    assert _explanation(["Error: Parse error on line 5:", "... -- broken ((( -->", "---------------------^",
                         "Expecting 'AMP', 'COLON', got 'EOF'"] + stack) == \
        "Parse error on line 5: ... -- broken ((( --> Expecting 'AMP', 'COLON', got 'EOF'"
    long = _explanation(["Error: Expecting " + "'NODE', " * 100])
    assert len(long) == 300 and long.endswith("…")


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_diagram_the_server_was_too_busy_for_is_drawn_once_it_answers(repo, ink, status):
    ink.mode = f"http-{status}"
    root = diagram_workspace(repo, ink.url)
    first = run_gitspec(root, "render", env=NO_MMDC)
    assert first.code == 0 and first.err.count(f"HTTP {status}") == 3, first
    page = root / "build" / "html" / "flows.html"
    assert page.read_text().count("diagram-missing") == 3
    ink.mode = "good"  # the document is unchanged, but the server is back
    result = run_gitspec(root, "render", env=NO_MMDC)
    assert result.code == 0 and "warning" not in result.err, result
    assert "diagram-missing" not in page.read_text() and len(list(page.parent.glob("diagrams/*.svg"))) == 3


@pytest.mark.parametrize("status", [400, 404])
def test_a_diagram_the_server_refused_is_not_asked_for_again_until_it_changes(repo, ink, status):
    ink.mode = f"http-{status}"
    root = diagram_workspace(repo, ink.url)
    assert run_gitspec(root, "render", env=NO_MMDC).code == 0
    asked = len(ink.paths)
    again = run_gitspec(root, "render", env=NO_MMDC)
    assert "rendered 0 (" in again.err and len(ink.paths) == asked, again


def test_a_diagram_naming_a_url_is_never_handed_to_mmdc_and_not_retried(repo, tmp_path):
    diagram = 'flowchart LR\n  A@{ img: "http://127.0.0.1:9/shape.png", label: "x", w: 60, h: 60 } --> B\n'
    root, env = mmdc_workspace(repo, tmp_path, "draw", diagram)
    first = run_gitspec(root, "render", env=env)
    assert first.code == 0, first
    assert [line for line in first.err.splitlines() if line.startswith("warning:")] == [
        'warning: diagram "flowchart LR; A@{ img: \"http://127.0.0.1:9/shape.png\", labe…" shown as source: '
        'it names a URL or a file (at img: "http://127.0.0.1:9/shape.png", label: "x", …), '
        "and gitspec lets no diagram fetch from the network or read a file (in flows)"], first.err
    assert not (tmp_path / "mode.calls").exists()  # mmdc never ran
    page = (root / "build" / "html" / "flows.html").read_text()
    assert page.count("diagram-missing") == 1 and "Diagram shown as source: it names a URL or a file" in page
    again = run_gitspec(root, "render", env=env)
    assert "rendered 0 (" in again.err and not (tmp_path / "mode.calls").exists(), again


def test_a_diagram_over_mermaids_size_limit_is_shown_as_source_and_not_retried(repo, tmp_path):
    """mermaid draws a diagram over its maxTextSize as a box saying "Maximum text size in diagram
    exceeded", with no error: before, that box was taken for the diagram and cached, without a warning."""
    diagram = "flowchart LR\n" + "".join(f"  B{n}[long label text, long label text, long label text {n}] --> "
                                         f"B{n + 1}\n" for n in range(800))
    root, env = mmdc_workspace(repo, tmp_path, "draw", diagram)
    first = run_gitspec(root, "render", env=env)
    size = f"{len(diagram) - 1:,}"  # the fence's last newline is not the diagram's
    assert first.code == 0 and not (tmp_path / "mode.calls").exists(), first  # mmdc never ran
    assert [line for line in first.err.splitlines() if line.startswith("warning:")] == [
        'warning: diagram "flowchart LR; B0[long label text, long label text, long lab…" '
        f"shown as source: it is {size} characters long, and mermaid draws no diagram over 50,000 "
        "(maxTextSize); split it into smaller diagrams (in flows)"], first.err
    page = (root / "build" / "html" / "flows.html").read_text()
    assert page.count("diagram-missing") == 1 and f"Diagram shown as source: it is {size} characters" in page
    assert not list((root / ".gitspec" / "diagrams").glob("*"))
    assert "rendered 0 (" in run_gitspec(root, "render", env=env).err  # the same text: nothing to redo


def test_the_size_limit_counts_what_mermaid_counts():
    from gitspec.render.drawway import over_text_limit

    body = "flowchart LR\n" + "  A --> B\n" * 4990  # 49,913 characters
    assert over_text_limit("---\ntitle: T\n---\n%% " + "c" * 9000 + "\n" + body) is None  # comments do not count
    assert over_text_limit(body + "  C[" + "é" * 100 + "] --> D\n") is not None
    assert over_text_limit(body + "  C[" + "😀" * 50 + "] --> D\n") is not None  # two UTF-16 units each, as in JavaScript
    # found by a review: as mermaid's preprocessDiagram, a directive over several lines and the leading
    # blank lines do not count; a bare `%%` line does
    assert over_text_limit('%%{init: {"theme":\n "forest", "x": "' + "c" * 9000 + '"}}%%\n' + body) is None
    assert over_text_limit("\n" * 100 + body) is None
    assert over_text_limit("%%\n" * 50 + body) is not None


def test_two_drawings_of_one_diagram_on_two_pages_are_no_internal_error(repo, ink):
    """A diagram's file is named by its source: a server whose drawing changed, once the drawings cache
    was cleared, gave a re-rendered page other bytes than a cached page's for the same file, and the
    check meant for renderer plugins stopped gitspec's own HTML renderer (exit 3)."""
    second = DIAGRAMS_PRD.replace("id: flows", "id: more").replace("# Flows", "# More")
    config = CONFIG.replace("formats: []", "formats: [html]") + f"mermaid_server: {ink.url}\n"
    root = repo({"specs/flows.md": DIAGRAMS_PRD, "specs/more.md": second}, config)
    assert run_gitspec(root, "render", env=NO_MMDC).code == 0
    (root / "specs/more.md").write_text(second + "\nA new line.\n")
    for drawn in (root / ".gitspec" / "diagrams").rglob("*"):
        if drawn.is_file():
            drawn.unlink()
    ink.svg = SVG.replace(b"Start here", b"Start there")
    again = run_gitspec(root, "render", env=NO_MMDC)
    assert again.code == 0 and "internal error" not in again.err, again


@pytest.mark.parametrize("log, permanent", [
    (["Error: Edge limit exceeded. 501 edges found, but the limit is 500.",
      "    at Ke (https://mermaid-cli-intercept.invalid/node_modules/mermaid/dist/chunks/mermaid.core/x.mjs:1:2)"], True),
    (["Error: Parse error on line 2:"], True),  # an mmdc printing no stack: mermaid's words
    # found by a review: mermaid's code failing to load names its files too, and may load next time
    (["TypeError: Failed to fetch dynamically imported module: "
      "https://mermaid-cli-intercept.invalid/node_modules/mermaid/dist/chunks/mermaid.core/flowDiagram.mjs",
      "    at renderMermaid (file:///usr/lib/node_modules/@mermaid-js/mermaid-cli/src/index.js:2:3)"], False),
    (["ProtocolError: Protocol error (Runtime.callFunctionOn): Target closed",
      "    at CDPSession.send (file:///x/node_modules/puppeteer-core/lib/esm/cdp.js:1:2)",
      "    at y (https://mermaid-cli-intercept.invalid/node_modules/mermaid/dist/mermaid.esm.mjs:3:4)"], False),
    (["Error: boom", "    at launch (file:///x/node_modules/puppeteer-core/lib/esm/launcher.js:5:6)",
      "    at z (https://mermaid-cli-intercept.invalid/node_modules/mermaid/dist/mermaid.esm.mjs:3:4)"], False),
])
def test_an_mmdc_failure_is_the_diagrams_only_when_mermaid_threw_it(log, permanent):
    from gitspec.render.mmdc import mermaid_threw

    assert mermaid_threw(log) is permanent
