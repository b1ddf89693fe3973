"""The PDF renderer: contents with page numbers, running headers, page sizes, and the fetch sandbox."""
from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rendersite import FakeAssets, sample_site

from gitspec.render.htmlprint import print_book, print_document
from gitspec.render.model import Diagram
from gitspec.render.pdf import PdfRenderer, html_to_pdf
from gitspec.render.renderer import DiagramImage

pypdf = pytest.importorskip("pypdf")


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def toc_number(texts: list[str], entry: str) -> int:
    found = re.search(re.escape(entry) + r" ?\.+ ?(\d+)", "\n".join(texts))
    assert found, entry
    return int(found.group(1))


@pytest.fixture
def loopback():
    """A loopback HTTP server that counts the requests it gets."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_page_pdf_has_contents_header_and_text(tmp_path: Path) -> None:
    site = sample_site(requirements=40)
    renderer = PdfRenderer()
    files = renderer.page_files(site, site.pages[0], FakeAssets(tmp_path))
    assert list(files) == ["REQ-billing.pdf"] and renderer.refused == []
    texts = pages_text(files["REQ-billing.pdf"])
    assert len(texts) > 3 and "Contents" in texts[0]
    for n in (1, 40):
        title = f"REQ-{n:03d} Export invoice batch {n} as CSV"
        number = toc_number(texts, title)
        assert f"The system shall export invoice batch {n} as CSV" in texts[number - 1]
    assert toc_number(texts, "REQ-040 Export invoice batch 40 as CSV") > 1
    for number, text in enumerate(texts, 1):
        assert "REQ-billing" in text and "commit abc1234" in text and f"Page {number} of {len(texts)}" in text
    assert "Last change: commit 0000002 · Ada Tester · 2026-01-03" in "\n".join(texts)


def test_book_has_cover_contents_and_every_page(tmp_path: Path) -> None:
    site = sample_site()
    renderer = PdfRenderer()
    files = renderer.site_files(site, FakeAssets(tmp_path))
    assert list(files) == ["book.pdf"] and renderer.refused == []
    texts = pages_text(files["book.pdf"])
    assert "Billing <Dashboard> & specs" in texts[0] and "commit abc1234" in texts[0]
    assert "Page 1" not in texts[0]  # the cover has no running header or footer
    assert "Contents" in texts[1]
    for page in site.pages:
        number = toc_number(texts, f"{page.id} · {page.title}")
        assert page.title in texts[number - 1] and page.id in texts[number - 1]
    prd = texts[toc_number(texts, "PRD-billing · Billing <em>PRD</em>") - 1]
    assert "<script>alert(1)</script>" in prd  # planted markup printed as text
    assert "No mermaid renderer" in "\n".join(texts)


@pytest.mark.parametrize(("size", "box"), [("A4", (595, 842)), ("Letter", (612, 792)), ("bogus", (595, 842))])
def test_page_size(tmp_path: Path, size: str, box: tuple[int, int]) -> None:
    site = sample_site(page_size=size)
    pdf = PdfRenderer().page_files(site, site.pages[2], FakeAssets(tmp_path))["DESIGN-brand.pdf"]
    mediabox = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(mediabox.width)), round(float(mediabox.height))) == box


def test_print_html_is_standalone_and_deterministic(tmp_path: Path) -> None:
    site = sample_site()
    assets = FakeAssets(tmp_path)
    book = print_book(site, assets)
    assert book == print_book(site, assets)
    assert "<script" not in book and "<link" not in book and "javascript:" not in book.lower()
    assert '<section class="cover">' in book and 'href="#REQ-billing--req-001"' in book
    single = print_document(site, site.pages[1], assets)
    assert 'href="#req-001"' not in single and "see REQ-001" in single  # other documents: text only
    assert "@page { size: A4; }" in single
    renderer = PdfRenderer()
    first = renderer.page_files(site, site.pages[3], assets)
    assert first == renderer.page_files(site, site.pages[3], assets)


def test_fetcher_refuses_network_and_outside_files(tmp_path: Path, loopback) -> None:
    base, hits = loopback
    root = tmp_path / "workspace"
    root.mkdir()
    (root / "ok.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"/>')
    (root / "escape.svg").symlink_to("/etc/passwd")
    html = f"""<html><head><link rel="stylesheet" href="{base}/style.css">
      <style>@import url("{base}/import.css"); body {{ background: url("{base}/bg.png") }}
      @font-face {{ font-family: x; src: url("{base}/font.woff") }} p {{ font-family: x }}</style></head>
      <body><p>hello</p><img src="{base}/x.png"><img src="file:///etc/passwd">
      <img src="{(root / 'ok.svg').as_uri()}"><img src="{(root / 'escape.svg').as_uri()}">
      <img src="{root.as_uri()}/../../../../etc/hostname"><img src="data:image/svg+xml,%3Csvg%2F%3E">
      <img src="ftp://127.0.0.1/x.png"></body></html>"""
    pdf, refused = html_to_pdf(html, {}, [root])
    assert pdf.startswith(b"%PDF")
    assert hits == []
    assert f"{base}/x.png" in refused and "file:///etc/passwd" in refused
    for url in (f"{base}/style.css", f"{base}/import.css", f"{base}/bg.png", f"{base}/font.woff",
                (root / "escape.svg").as_uri(), "ftp://127.0.0.1/x.png"):
        assert url in refused
    assert any(u.startswith("data:") for u in refused)
    assert any(u.endswith("/etc/hostname") for u in refused)
    assert (root / "ok.svg").as_uri() not in refused


@dataclass
class LeakyAssets(FakeAssets):
    """Diagram images that try to reach the network (as some mermaid SVGs do for fonts)."""

    base: str = ""

    def diagram(self, diagram: Diagram) -> DiagramImage:
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
               f'width="50" height="50"><style>@import url("{self.base}/fa.css");</style>'
               f'<image href="{self.base}/logo.png" width="10" height="10"/></svg>')
        return DiagramImage(svg.encode(), None)


def test_renderer_reports_refusals(tmp_path: Path, loopback) -> None:
    base, hits = loopback
    site = sample_site()
    renderer = PdfRenderer()
    renderer.page_files(site, site.pages[3], LeakyAssets(tmp_path, base=base))
    assert hits == []
    assert f"{base}/logo.png" in renderer.refused
    renderer.page_files(site, site.pages[2], FakeAssets(tmp_path))
    assert renderer.refused == []  # reset at each call
