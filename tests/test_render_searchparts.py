"""The files of the site's search index (gitspec/render/searchparts.py): a bounded number of parts, of
which an edit rewrites only its document's, reusing the others' entries as the previous render wrote them."""
from __future__ import annotations

import json

from conftest import run_gitspec
from test_render_searchindex import HTML, _index_part, _many

from gitspec.render.deferred import Deferred
from gitspec.render.model import Page, Paragraph, Section, Text
from gitspec.render.searchparts import bucket_name, search_files


def test_a_render_takes_an_unchanged_pages_entries_from_the_previous_render_and_makes_a_changed_ones():
    """A page's entries are made again only when its key, the renderer's version or its line in its part
    changed: the run that re-renders one document of 10,000 must not read the others' sections."""
    def page(n: int, key: str, word: str = "", sections=None) -> Page:
        made = (Section("s", "S", "s", (Paragraph((Text(f"thing{n} {word}"),)),)),)
        return Page(f"p{n}", "prd", f"P {n}", "", "draft", (), made if sections is None else sections, key=key)

    def unread():
        raise AssertionError("the sections of an unchanged page were read")

    pages = [page(n, f"k{n}") for n in range(40)]
    first = search_files(pages, "v1")
    previous = [page(n, f"k{n}", sections=Deferred(unread)) for n in range(40)]
    assert search_files(previous, "v1", first.get) == first
    edited = search_files(previous[:7] + [page(7, "k7-new", "zebracorn")] + previous[8:], "v1", first.get)
    assert [name for name in first if edited[name] != first[name]] == [bucket_name("p7")]
    assert "zebracorn" in edited[bucket_name("p7")].decode()
    tampered = dict(first, **{bucket_name("p3"): first[bucket_name("p3")].replace(b"thing3 ", b"thing3 forged")})
    assert search_files([page(n, f"k{n}") for n in range(40)], "v1", tampered.get) == first  # made again
    assert b"forged" not in b"".join(search_files(pages, "v2", tampered.get).values())  # another version: too


def test_editing_one_of_many_documents_rewrites_only_its_part_of_the_search_index(repo):
    root = repo(_many(100), HTML)
    assert run_gitspec(root, "render").code == 0
    before = _search_files(root)
    (root / "specs" / "r042.yaml").write_text((root / "specs" / "r042.yaml").read_text().replace(
        "thing042", "thing042 and a zebracorn"))
    assert run_gitspec(root, "render").code == 0
    after = _search_files(root)
    changed = {name for name in after if after[name] != before[name]}  # (the matrix lists the requirement too)
    assert set(after) == set(before) and changed == {bucket_name("r042"), bucket_name("traceability")}, changed
    assert "zebracorn" in json.dumps(_index_part(root, "r042"))


def _search_files(root) -> dict[str, bytes]:
    html = root / "build" / "html"
    return {path.relative_to(html).as_posix(): path.read_bytes()
            for path in [html / "search-index.js", *(html / "search").rglob("*")] if path.is_file()}
