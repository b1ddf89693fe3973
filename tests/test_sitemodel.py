"""The render tree is a pure function of documents and facts: badges, links, swatches, matrix, keys."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest
from conftest import CONFIG
from gitspec.approvals import content_hash
from gitspec.render.model import (
    Change, Code, Diagram, Heading, Link, ListBlock, Notice, Paragraph, Swatches, Table, Text, walk,
)
from gitspec.render.sitemodel import Facts, build_site
from gitspec.stamps import SectionState
from gitspec.verdicts import Verdict


@dataclass
class Doc:
    id: str
    kind: str
    path: str
    sections: dict
    header: dict = field(default_factory=dict)

    def __post_init__(self):
        self.header = {"kind": self.kind, "id": self.id, "title": self.id.title(), **self.header}


def facts(**overrides) -> Facts:
    base = Facts(states={}, changes={}, uncommitted={}, verdicts={}, markdown_titles={})
    return replace(base, **overrides)


REQS = Doc("reqs", "requirements", "specs/reqs.yaml", {"items": [
    {"id": "REQ-1", "title": "Invoices", "statement": "Show invoices.", "acceptance": ["Listed within 60 s."]},
    {"id": "REQ-2", "title": "Refunds", "statement": "Allow refunds.", "parent": "REQ-1"},
]}, {"status": "review"})
TASKS = Doc("tasks", "tasks", "specs/tasks.yaml", {"items": [
    {"id": "TASK-1", "title": "Ledger", "requirements": ["REQ-1", "REQ-2"], "status": "done"}]})
EVIDENCE = Doc("ev-1", "evidence", "specs/ev-1.yaml", {"requirements": ["REQ-1"], "verdict": "passed"})


def test_items_get_anchors_and_ids_become_links():
    site = build_site({d.id: d for d in (REQS, TASKS)}, facts())
    blocks = site.page("reqs").sections[0].blocks
    assert Heading(3, "REQ-1 Invoices", "REQ-1") in blocks
    assert Paragraph((Text("Show invoices."),)) in blocks
    tables = [b for b in site.page("reqs").sections[0].blocks if isinstance(b, Table)]
    assert any(Link("REQ-1", "doc:reqs#REQ-1") in row[1] for t in tables for row in t.rows)
    task_tables = [b for b in site.page("tasks").sections[0].blocks if isinstance(b, Table)]
    assert any(Link("REQ-2", "doc:reqs#REQ-2") in row[1] for t in task_tables for row in t.rows)
    assert any(isinstance(b, ListBlock) for b in blocks)  # acceptance criteria as a list


def test_matrix_links_requirements_tasks_evidence_and_verdicts():
    verdicts = {("reqs", "REQ-1"): Verdict("REQ-1", "verified", "ev-1", "newest evidence ev-1 passed"),
                ("reqs", "REQ-2"): Verdict("REQ-2", "missing", None, "no evidence")}
    site = build_site({d.id: d for d in (REQS, TASKS, EVIDENCE)}, facts(verdicts=verdicts))
    matrix = site.page("traceability")
    table = matrix.sections[0].blocks[1]
    first = table.rows[0]
    assert first[0] == (Link("REQ-1", "doc:reqs#REQ-1"),)
    assert Link("TASK-1", "doc:tasks#TASK-1") in first[2]
    assert Link("ev-1", "doc:ev-1") in first[3]
    assert first[4][0].label == "verified" and first[4][0].tone == "ok"
    assert table.rows[1][4][0].label == "missing"
    assert site.kinds[-1] == "matrix"
    # the verdict also shows beside the requirement on its own page
    assert any(isinstance(b, Paragraph) and b.inlines[0].label == "verified"
               for b in site.page("reqs").sections[0].blocks if isinstance(b, Paragraph) and b.inlines
               and hasattr(b.inlines[0], "tone"))


def test_no_requirements_no_matrix():
    site = build_site({TASKS.id: TASKS}, facts())
    assert site.page("traceability") is None


def test_stamp_states_become_section_and_page_badges():
    design = Doc("design", "design", "specs/design.yaml", {"spacing": {"base": 4}, "motion": {"fast": "120ms"}})
    states = {"design#spacing": SectionState("design#spacing", "stale", ("brand#color",)),
              "design#motion": SectionState("design#motion", "hand-edited")}
    site = build_site({"design": design}, facts(states=states))
    page = site.page("design")
    assert [b.label for b in page.sections[0].badges] == ["stale: brand#color changed"]
    assert [b.label for b in page.sections[1].badges] == ["hand-edited"]
    assert {"1 stale", "hand-edited"} <= {b.label for b in page.badges}
    # A generated section deleted from the document is named on the page (and so in the index).
    gone = {**states, "design#lineHeights": SectionState("design#lineHeights", "missing")}
    missing = build_site({"design": design}, facts(states=gone)).page("design")
    assert ("missing: Line heights", "bad") in [(b.label, b.tone) for b in missing.badges]
    assert missing.key != page.key


def test_an_orphaned_section_has_a_bad_badge_naming_its_inputs_that_are_gone():
    """Before, a section whose inputs were all gone had no badge, though check fails on it."""
    design = Doc("design", "design", "specs/design.yaml", {"spacing": {"base": 4}})
    states = {"design#spacing": SectionState("design#spacing", "orphaned", ("brand#color",))}
    page = build_site({"design": design}, facts(states=states)).page("design")
    assert [(b.label, b.tone) for b in page.sections[0].badges] == [("orphaned: brand#color gone", "bad")]
    assert ("1 orphaned", "bad") in [(b.label, b.tone) for b in page.badges]


def test_approval_badges():
    sections = {"name": "Ledgerline"}
    good = Doc("product", "product", "p.yaml", sections,
               {"status": "approved", "approvals": [{"by": "Ana <a@x>", "hash": content_hash(sections)}]})
    assert "approved by Ana <a@x>" in [b.label for b in build_site({"p": good}, facts()).pages[0].badges]
    stale = Doc("product", "product", "p.yaml", {"name": "Changed"}, good.header)
    assert "approval stale" in [b.label for b in build_site({"p": stale}, facts()).pages[0].badges]
    missing = Doc("product", "product", "p.yaml", sections, {"status": "approved"})
    assert "no approval recorded" in [b.label for b in build_site({"p": missing}, facts()).pages[0].badges]


@pytest.mark.parametrize("status", ["draft", "review", "deprecated", None])
def test_the_approvals_of_a_document_not_approved_give_no_badge(status):
    # Before, a document in review with an older approval showed "approval stale", which check does not
    # report: the approvals of a document not `approved` are history.
    sections = {"name": "Ledgerline"}
    header = {"approvals": [{"by": "Ana", "hash": content_hash(sections)}], **({"status": status} if status else {})}
    for content in (sections, {"name": "Changed"}):
        badges = build_site({"p": Doc("product", "product", "p.yaml", content, header)}, facts()).pages[0].badges
        assert not [b.label for b in badges if "approv" in b.label], badges


def test_a_document_in_review_with_an_older_approval_is_rendered_without_an_approval_badge(repo):
    import yaml
    from conftest import requirement, requirements_doc, run_gitspec

    doc = requirements_doc("reqs", requirement("REQ-001"))
    approvals = f'approvals:\n  - {{by: Dana, date: "2026-11-23", hash: {content_hash({"items": []})}}}\n'
    draft = requirements_doc("draft", requirement("REQ-002")).replace("items:", "status: draft\nitems:")
    approved = content_hash({"items": yaml.safe_load(draft)["items"]})  # of its content as it is
    root = repo({"specs/reqs.yaml": doc.replace("items:", "status: review\nitems:") + approvals,
                 "specs/draft.yaml": draft + f'approvals:\n  - {{by: Dana, date: "2026-11-23", hash: {approved}}}\n'},
                config=CONFIG.replace("formats: []", "formats: [html]"))
    check = run_gitspec(root, "check")
    assert check.code == 0 and check.out == "", check
    render = run_gitspec(root, "render")
    assert render.code == 0, render
    for page in ("index", "reqs", "draft"):
        html = (root / "build" / "html" / f"{page}.html").read_text()
        assert "approval stale" not in html and "approved by" not in html, page


def test_design_colours_diagrams_and_code():
    color = {"palette": {"primary": {"tones": [{"step": 500, "hex": "#00a39e"}]}},
             "lightTheme": {"colors": {"text": {"hex": "#111111"}, "background": {"tone": "neutral.0", "hex": "#ffffff"}},
                            "contrast": [{"foreground": "text", "background": "background", "ratio": 18.88,
                                          "minimum": 4.5, "passes": True}]}}
    design = Doc("design", "design", "d.yaml", {"color": color, "css": ":root { --x: 1px; }"})
    arch = Doc("architecture", "architecture", "a.yaml", {"erDiagram": "erDiagram\n  A ||--o{ B : has\n",
                                                          "ddl": "CREATE TABLE a (id int);"})
    site = build_site({"design": design, "architecture": arch}, facts())
    swatches = [b for b in site.page("design").sections[0].blocks if isinstance(b, Swatches)]
    assert swatches[0].swatches[0].hex == "#00a39e"
    assert swatches[1].contrast[0].ratio == 18.88 and swatches[1].contrast[0].passes
    assert not any(isinstance(b, Notice) for b in site.page("design").sections[0].blocks)  # stated as measured
    # The theme's roles (under `colors`, as the schema has them) are its swatches, and each
    # contrast pair knows the colours its roles name.
    assert [(s.name, s.hex, s.note) for s in swatches[1].swatches] == [
        ("text", "#111111", ""), ("background", "#ffffff", "neutral.0")]
    assert swatches[1].contrast[0].colours == ("#111111", "#ffffff")
    assert site.page("design").sections[1].blocks == (Code(":root { --x: 1px; }", "css"),)
    arch_blocks = [b for s in site.page("architecture").sections for b in s.blocks]
    assert isinstance(arch_blocks[0], Diagram) and arch_blocks[0].source.startswith("erDiagram")
    assert Code("CREATE TABLE a (id int);", "sql") in arch_blocks


def test_page_key_changes_with_content_only():
    one = build_site({"reqs": REQS}, facts())
    two = build_site({"reqs": REQS}, facts())
    assert one.page("reqs").key == two.page("reqs").key
    edited = Doc("reqs", "requirements", REQS.path, {"items": [dict(REQS.sections["items"][0], statement="New.")]},
                 {"status": "review"})
    assert build_site({"reqs": edited}, facts()).page("reqs").key != one.page("reqs").key


def test_a_section_keeps_its_own_anchor_when_an_earlier_heading_has_the_same_name():
    prd = Doc("prd", "prd", "specs/prd.md", {"problem": "Text.\n\n### Goals\n\nNot the section.\n",
                                             "goals": "The goals.\n"})
    site = build_site({"prd": prd}, facts(markdown_titles={"specs/prd.md": {"problem": "Problem", "goals": "Goals"}}))
    problem, goals = site.page("prd").sections
    assert (problem.anchor, goals.anchor) == ("problem", "goals")  # where prd.html#goals leads
    assert [b.anchor for b in problem.blocks if isinstance(b, Heading)] == ["goals-2"]


def test_headings_in_quotes_and_lists_keep_anchors_no_later_heading_takes():
    prd = Doc("prd", "prd", "specs/prd.md", {"problem": "> ### Notes\n> quoted\n\n- ### Steps\n",
                                             "goals": "### Notes\n\n### Steps\n"})
    site = build_site({"prd": prd}, facts(markdown_titles={"specs/prd.md": {"problem": "Problem", "goals": "Goals"}}))
    anchors = [b.anchor for s in site.page("prd").sections for b in walk(s.blocks) if isinstance(b, Heading)]
    assert anchors == ["notes", "steps", "notes-2", "steps-2"]  # Word's bookmarks are these: one each


def test_no_heading_takes_an_id_of_the_page_frame():
    prd = Doc("prd", "prd", "specs/prd.md", {"problem": "### Gitspec search\n\nOurs.\n", "gitspec-results": "x\n"})
    site = build_site({"prd": prd}, facts(markdown_titles={"specs/prd.md": {"problem": "Problem",
                                                                            "gitspec-results": "Gitspec results"}}))
    problem, results = site.page("prd").sections
    assert results.anchor == "gitspec-results-2"
    assert [b.anchor for b in problem.blocks if isinstance(b, Heading)] == ["gitspec-search-2"]


def test_a_page_is_dirty_when_its_file_differs_from_its_commit_whichever_part_changed():
    """Its header alone, say: no section is uncommitted, yet the file is not what the commit holds."""
    version = {REQS.path: Change("abc1234", "Ada", "2026-01-02T10:00:00+00:00", "create")}
    clean = build_site({"reqs": REQS}, facts(versions=version)).page("reqs")
    edited = build_site({"reqs": REQS}, facts(versions=version, changed={REQS.path})).page("reqs")
    assert (clean.commit, clean.dirty) == ("abc1234", False)
    assert (edited.commit, edited.dirty) == ("abc1234", True) and edited.key != clean.key


def test_a_requirement_id_two_documents_define_is_two_rows_each_with_its_own_verdict_and_link():
    other = Doc("more", "requirements", "specs/more.yaml", {"items": [{"id": "REQ-1", "title": "Again"}]})
    verdicts = {("reqs", "REQ-1"): Verdict("REQ-1", "verified", "ev-1", "passed"),
                ("more", "REQ-1"): Verdict("REQ-1", "stale", "ev-1", "changed")}
    site = build_site({d.id: d for d in (REQS, other)}, facts(verdicts=verdicts))
    rows = [row for row in site.page("traceability").sections[0].blocks[1].rows if row[0][0].text == "REQ-1"]
    assert [(row[0][0].target, row[4][0].label) for row in rows] == [
        ("doc:more#REQ-1", "stale"), ("doc:reqs#REQ-1", "verified")]


def test_a_page_key_holds_the_ids_its_values_name_not_every_id():
    """An id added elsewhere changes the key of a page that names it (in a paragraph of prose, as a
    number in a cell) and of no other page."""
    notes = Doc("notes", "notes", "specs/notes.yaml", {"summary": "Intro.\n\nREQ-3\n", "limits": {"count": 42}})
    plain = Doc("plain", "notes", "specs/plain.yaml", {"summary": "REQ-1 is not named alone here."})
    more = Doc("reqs", "requirements", REQS.path, {"items": [*REQS.sections["items"], {"id": "REQ-3", "title": "C"},
                                                             {"id": "42", "title": "Answer"}]}, {"status": "review"})
    before = build_site({d.id: d for d in (REQS, TASKS, notes, plain)}, facts())
    after = build_site({d.id: d for d in (more, TASKS, notes, plain)}, facts())
    assert [p.id for p in after.pages if p.key != before.page(p.id).key] == ["reqs", "notes", "traceability"]
    # (a count of 42 is a number, not a reference to the item whose id is "42": it stays text)
    assert links(after, "notes") == [Link("REQ-3", "doc:reqs#REQ-3")]
    assert links(before, "notes") == []


def links(site, page_id: str) -> list[Link]:
    """The links in a page's paragraphs and table cells, in reading order."""
    found = []
    for section in site.page(page_id).sections:
        for block in walk(section.blocks):
            if isinstance(block, Paragraph):
                found += block.inlines
            elif isinstance(block, Table):
                found += [inline for row in block.rows for cell in row for inline in cell]
    return [inline for inline in found if isinstance(inline, Link)]


def _rendered(root, page_id: str, code: int = 0) -> tuple[str, str, str, str]:
    """The page's HTML, the index's, its PDF's text and its Word file's paragraphs, after a render of
    that page alone (the index lists it; the other documents' PDFs are what costs) that exits with
    `code` (1: it renders, and reports what check finds)."""
    import docx
    import pypdf
    from conftest import run_gitspec

    result = run_gitspec(root, "render", "--format", "html,pdf,docx", page_id)
    assert result.code == code, result
    pdf = "\n".join(p.extract_text() for p in pypdf.PdfReader(root / f"build/pdf/{page_id}.pdf").pages)
    word = "\n".join(p.text for p in docx.Document(str(root / f"build/docx/{page_id}.docx")).paragraphs)
    return ((root / f"build/html/{page_id}.html").read_text(), (root / "build/html/index.html").read_text(),
            pdf, word)


def test_a_documents_owners_are_in_its_facts_line_in_every_format_and_in_the_index(repo):
    """`owners` was shown nowhere."""
    from conftest import requirement, requirements_doc

    doc = requirements_doc("reqs", requirement("REQ-001")).replace(
        "items:", 'owners: [alice-owner, "Team Bob <bob@example.com>"]\nitems:')
    html, index, pdf, word = _rendered(repo({"specs/reqs.yaml": doc}), "reqs")
    owners = "Owners: <bdi>alice-owner</bdi>, <bdi>Team Bob &lt;bob@example.com&gt;</bdi>"
    assert f'<span class="doc-kind"><bdi>requirements</bdi></span> · <span class="doc-fact">{owners}</span>' in html
    assert ('<th scope="col">Owners</th>' in index
            and "<td><bdi>alice-owner</bdi>, <bdi>Team Bob &lt;bob@example.com&gt;</bdi></td>" in index)
    assert "requirements · Owners: alice-owner, Team Bob <bob@example.com>" in pdf
    assert "reqs · requirements · Owners: alice-owner, Team Bob <bob@example.com> · specs/reqs.yaml" in word


def test_a_prds_product_is_in_its_facts_line_as_a_link_to_that_documents_page(repo):
    """A PRD's `product` front-matter key was shown nowhere."""
    import docx
    from conftest import run_gitspec

    prd = ("---\nkind: prd\nid: checkout\ntitle: Checkout\nproduct: product\n---\n\n# Checkout\n\n" + "".join(
        f"## {name}\n\nNone.\n\n" for name in ("Problem", "Goals", "Non-goals", "Users", "Requirements",
                                              "Success metrics", "Risks", "Open questions")))
    root = repo({"specs/checkout.md": prd})
    assert run_gitspec(root, "new", "product", "Build a billing dashboard").code == 0
    assert run_gitspec(root, "build", "--no-render").code == 0  # its generated sections
    html, _, pdf, word = _rendered(root, "checkout")
    assert ('<span class="doc-kind"><bdi>prd</bdi></span> · <span class="doc-fact">Product: '
            '<bdi><a href="product.html">product</a></bdi></span>') in html
    assert "checkout · prd · Product: product" in pdf
    assert "checkout · prd · Product: product · specs/checkout.md" in word
    links = [r.target_ref for r in docx.Document(str(root / "build/docx/checkout.docx")).part.rels.values()
             if r.reltype.endswith("/hyperlink")]
    assert links == ["product.docx"]


def test_a_hand_edited_section_whose_inputs_changed_is_shown_as_the_conflict_status_reports(repo):
    """It was shown as "hand-edited" alone, in every format and the index, while `status` said
    "conflict: pin or --force it" and the next build stopped on it."""
    import re

    from conftest import git, run_gitspec

    root = repo()
    assert run_gitspec(root, "new", "product", "Build a billing dashboard").code == 0
    assert run_gitspec(root, "build", "--no-render").code == 0
    brand, product = root / "specs/brand.yaml", root / "specs/product.yaml"
    brand.write_text(re.sub(r"(?m)^brandPromise:.*$", "brandPromise: My own promise.", brand.read_text(), count=1))
    product.write_text(re.sub(r"(?m)^tagline:.*$", "tagline: A new tagline.", product.read_text(), count=1))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "built, then edited")
    assert "brand#brandPromise: hand-edited (product#tagline changed) — conflict" in run_gitspec(root, "status").out
    html, index, pdf, word = _rendered(root, "brand", code=1)  # (the sections after it are stale)
    badge = "conflict: hand-edited, product#tagline changed"
    assert f'Brand promise <span class="badge badge-bad"><bdi>{badge}</bdi></span>' in html
    assert re.search(r"<td><code>brand</code></td>.*<bdi>1 conflict</bdi>", index)
    assert badge in " ".join(pdf.split()) and f"[{badge}]" in word


def test_an_approval_is_shown_with_its_date_in_every_format(repo):
    """Only "approved by Dana Ortiz" was shown: not when."""
    import yaml
    from conftest import requirement, requirements_doc

    doc = requirements_doc("reqs", requirement("REQ-001")).replace("items:", "status: approved\nitems:")
    approved = content_hash({"items": yaml.safe_load(doc)["items"]})
    approvals = (f'approvals:\n  - {{by: Earlier Approver, date: "2026-01-15", hash: {content_hash({"items": []})}}}\n'
                 f'  - {{by: Dana Ortiz, date: "2026-11-23", hash: {approved}}}\n')
    html, index, pdf, word = _rendered(repo({"specs/reqs.yaml": doc + approvals}), "reqs")
    badge = "approved by Dana Ortiz on 2026-11-23"
    assert f"<bdi>{badge}</bdi>" in html and f"<bdi>{badge}</bdi>" in index
    assert badge in " ".join(pdf.split()) and f"[{badge}]" in word
