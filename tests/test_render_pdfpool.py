"""Laying several documents out at once: the same PDFs as one at a time, each page's refused
fetches reported with that page, and the book made from the PDFs of the same run."""
from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from conftest import GITSPEC, requirement, requirements_doc
from rendersite import FakeAssets, sample_site
from test_render_pdf import LeakyAssets, loopback  # noqa: F401  (a fixture)

from gitspec.render.htmlprint import PrintPage, print_page
from gitspec.render.model import Diagram, Page, Section
from gitspec.render.pdf import PdfRenderer, page_key
from gitspec.render.pdfpage import page_pdf
from gitspec.render.pdfpool import cpus, lay_out
from gitspec.render.renderer import DiagramImage

pypdf = pytest.importorskip("pypdf")


def test_processes_make_the_same_pdfs_as_one_at_a_time(tmp_path: Path) -> None:
    site = sample_site(requirements=30)
    assets = FakeAssets(tmp_path)
    roots = (tmp_path, assets.package_assets)
    jobs = [(page, print_page(site, page, assets, page_key("v", site, page))) for page in site.pages]
    alone = {page.id: result for page, result in lay_out(jobs, roots, processes=1)}
    together = {page.id: result for page, result in lay_out(jobs, roots, processes=3)}
    assert sorted(together) == sorted(alone) == sorted(page.id for page in site.pages)
    assert together == alone  # same bytes, whichever process laid a document out
    assert all(pdf.startswith(b"%PDF") and refused == [] for pdf, refused in together.values())


def test_each_page_reports_its_own_refusals_from_any_process(tmp_path: Path, loopback) -> None:  # noqa: F811
    base, hits = loopback
    site = sample_site()
    renderer = PdfRenderer()
    refused = {}
    for page, files in renderer.pages_files(site, site.pages, LeakyAssets(tmp_path, base=base)):
        assert list(files) == [f"{page.id}.pdf"]
        refused[page.id] = list(renderer.refused)
    assert hits == []
    for page_id in ("PRD-billing", "ARCH-overview"):  # the pages with (leaky) diagram images
        assert f"{base}/logo.png" in refused.pop(page_id)
    assert refused == {"REQ-billing": [], "DESIGN-brand": [], "TRACE": []}


def test_the_book_uses_the_pdfs_laid_out_at_once(tmp_path: Path) -> None:
    site = sample_site()

    @dataclass
    class NoPrevious(FakeAssets):
        def previous(self, format_name: str, relpath: str) -> bytes | None:
            raise AssertionError("the book should use this run's PDFs")

    assets = NoPrevious(tmp_path)
    renderer = PdfRenderer()
    made = {name: pdf for _, files in renderer.pages_files(site, site.pages, assets) for name, pdf in files.items()}
    book = pypdf.PdfReader(io.BytesIO(renderer.site_files(site, assets)["book.pdf"]))
    counts = [len(pypdf.PdfReader(io.BytesIO(made[f"{page.id}.pdf"])).pages) for page in site.pages]
    assert len(book.pages) == 2 + sum(counts)  # the cover and contents, then every document as made


def font_names(pdf: bytes) -> set[str]:
    """The fonts a PDF's pages and their images draw with."""
    found: set[str] = set()

    def walk(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            found.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
        for xobject in (resources.get("/XObject") or {}).values():
            walk(xobject.get_object().get("/Resources"))

    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        walk(page.get("/Resources"))
    return found


def svg_page(page_id: str, svg: str) -> PrintPage:
    site = replace(sample_site(), pages=(Page(page_id, "design", page_id, "", "", (), (
        Section("s", "S", "s", (Diagram("graph TD", title="D"),)),), key=page_id),))

    @dataclass
    class OneSvg(FakeAssets):
        def diagram(self, diagram: Diagram) -> DiagramImage:
            return DiagramImage(svg.encode(), None)

    return print_page(site, site.pages[0], OneSvg(Path(".")))


def test_fonts_an_image_declares_never_reach_the_next_document(tmp_path: Path) -> None:
    """A worker lays out many documents with one font configuration, but not once a
    document's SVG added a font face to it: the next document is laid out as if alone."""
    serif = next(Path("/usr/share/fonts").rglob("DejaVuSerif.ttf"), None)
    if serif is None:
        pytest.skip("needs the DejaVu Serif font file")
    (tmp_path / "serif.ttf").write_bytes(serif.read_bytes())  # inside the workspace: may be fetched
    text = '<text x="2" y="30" font-size="20" font-family="Leaky">Leak?</text></svg>'
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
    face = f'<style>@font-face {{ font-family: Leaky; src: url("{(tmp_path / "serif.ttf").as_uri()}") }}</style>'
    declares, uses = svg_page("A", svg + face + text), svg_page("B", svg + text)
    alone, _ = page_pdf(uses, [tmp_path])
    assert "Leaky" in font_names(page_pdf(declares, [tmp_path])[0])  # the face did load
    assert page_pdf(uses, [tmp_path])[0] == alone


def _children(parent: int, named: bytes = b"") -> list[int]:
    """The pids of `parent`'s child processes whose command line holds `named`."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            status = Path(f"/proc/{entry}/status").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if f"\nPPid:\t{parent}\n" in status and named in cmdline:
            found.append(int(entry))
    return found


@pytest.mark.skipif(not Path("/proc/self/status").exists() or cpus() < 2, reason="needs Linux and two CPUs")
def test_ctrl_c_during_a_pdf_render_stops_the_workers_without_a_traceback(example) -> None:
    """A terminal sends Ctrl-C to every process of the group. A worker starting up printed a
    KeyboardInterrupt traceback (and once gitspec never exited): the workers now ignore it and this
    process stops them. Forty more documents keep the workers busy long after they start, so that
    the stop comes while there is work to stop."""
    for number in range(40):
        items = "".join(requirement(f"REQ-{5000 + 100 * number + item}") for item in range(30))
        (example / "specs" / f"extra-{number:02}.yaml").write_text(requirements_doc(f"extra-{number:02}", items))
    render = subprocess.Popen([GITSPEC, "render", "--format", "pdf"], cwd=example, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        server = workers = None
        for _ in range(600):
            server = next(iter(_children(render.pid, b"forkserver")), None)
            workers = _children(server) if server else None
            if workers or render.poll() is not None:
                break
            time.sleep(0.05)
        assert server and workers, "no worker process was started"
        ignored = int(re.search(r"\nSigIgn:\t([0-9a-f]+)", Path(f"/proc/{workers[0]}/status").read_text())[1], 16)
        assert ignored & (1 << (signal.SIGINT - 1)), "a worker takes Ctrl-C"
        os.killpg(render.pid, signal.SIGINT)
        err = render.communicate(timeout=60)[1]
    finally:
        if render.poll() is None:
            os.killpg(render.pid, signal.SIGKILL)
            render.wait()
    assert render.returncode == 130 and err.strip().splitlines()[-1] == "gitspec: interrupted", err
    assert "Traceback" not in err, err
    for _ in range(100):
        if not Path(f"/proc/{server}").exists():
            break
        time.sleep(0.05)
    assert not Path(f"/proc/{server}").exists(), "the workers' server outlived gitspec"
