"""A document that fails the check is still rendered from what can be read, or left out: never a crash."""
from __future__ import annotations

import pytest
from conftest import CONFIG, requirement, requirements_doc, run_gitspec
from test_render_word import tiny_png

HTML_AND_WORD = CONFIG.replace("formats: []", "formats: [html, docx]")
GOOD = {"specs/good.yaml": requirements_doc("good", requirement("REQ-001"))}

WRONG_TYPES = {
    "requirement items not a list": {"specs/bad.yaml": "kind: requirements\nid: bad\ntitle: Bad\nitems: 5\n"},
    "task requirements not a list": {"specs/bad.yaml": (
        "kind: tasks\nid: bad\ntitle: Bad\nitems:\n  - id: TASK-001\n    title: T\n    requirements: 5\n"
        "    status: todo\n    priority: p1\n    ownerRole: backend\n")},
    "evidence requirements and cases not lists": {"specs/bad.yaml": (
        "kind: evidence\nid: bad\ntitle: Bad\nrequirements: 5\ncases: 7\n")},
    "contrast ratio not a number": {"specs/bad.yaml": (
        "kind: design\nid: bad\ntitle: Bad\ncolor:\n  lightTheme:\n    contrast:\n"
        "      - {foreground: '#000000', background: '#ffffff', ratio: abc}\n      - {ratio: null}\n")},
    "roles, contrast and tones of the wrong type": {"specs/bad.yaml": (
        "kind: design\nid: bad\ntitle: Bad\ncolor:\n  palette: {primary: {tones: 5}}\n"
        "  lightTheme: {roles: [a, b], contrast: 5}\n")},
    "approvals not a list": {"specs/bad.yaml": "kind: product\nid: bad\ntitle: Bad\nstatus: approved\napprovals: 5\n"},
}


@pytest.mark.parametrize("files", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_a_value_of_the_wrong_type_is_a_finding_and_the_rest_is_rendered(repo, files):
    root = repo({**GOOD, **files}, HTML_AND_WORD)
    check = run_gitspec(root, "check")
    assert check.code == 1 and "specs/bad.yaml:" in check.out, check
    result = run_gitspec(root, "render")
    assert result.code in (0, 1) and "internal error" not in result.err and "Traceback" not in result.err, result
    assert (root / "build" / "html" / "good.html").exists()
    assert (root / "build" / "html" / "bad.html").exists()  # from what could be read of it


@pytest.mark.parametrize("kind", ["[a]", "{a: 1}"])
def test_a_kind_that_is_not_a_name_is_a_finding(repo, kind):
    root = repo({**GOOD, "specs/bad.yaml": f"kind: {kind}\nid: bad\ntitle: Bad\n"}, HTML_AND_WORD)
    check = run_gitspec(root, "check")
    assert check.code == 1 and "specs/bad.yaml:" in check.out and "internal error" not in check.err, check
    result = run_gitspec(root, "render", "--format", "html")
    assert result.code in (0, 1) and "internal error" not in result.err and "Traceback" not in result.err, result
    assert (root / "build" / "html" / "good.html").exists()


def nested(depth: int, inner: str = "x", opening: str = "[", closing: str = "]") -> str:
    return opening * depth + inner + closing * depth


# Up to about 500 levels pass the YAML reader; these keys are not validated deeply, so the check only reports them.
DEEP = {
    "list": "kind: requirements\nid: bad\ntitle: Bad\nitems: []\ndeep: " + nested(200) + "\n",
    "mapping": "kind: requirements\nid: bad\ntitle: Bad\nitems: []\ndeep: " + nested(200, "x", "{a: ", "}") + "\n",
    "lists of mappings": "kind: requirements\nid: bad\ntitle: Bad\nitems: []\ndeep: " + nested(200, "x", "[{a: ", "}]") + "\n",
    "dumped openapi": "kind: architecture\nid: bad\ntitle: Bad\nopenapi: " + nested(300, "x", "{a: ", "}") + "\n",
}


@pytest.mark.parametrize("name", DEEP)
def test_a_value_nested_hundreds_deep_is_rendered_flattened(repo, name):
    root = repo({**GOOD, "specs/bad.yaml": DEEP[name]})
    check = run_gitspec(root, "check")
    assert check.code == 1 and "specs/bad.yaml:" in check.out, check
    result = run_gitspec(root, "render", "--format", "html")
    assert result.code in (0, 1) and "internal error" not in result.err and "Traceback" not in result.err, result
    html = (root / "build" / "html" / "bad.html").read_text(encoding="utf-8")
    assert {"list": "[" * 20, "lists of mappings": "[{a: [{a: "}.get(name, "{a: {a: {a: ") in html  # the deep part, as one line of text
    assert (root / "build" / "html" / "good.html").exists()


DEEP_IN_PRINT = {"list": "bad-list", "lists of mappings": "bad-lists-of-mappings"}  # the cases' document ids


@pytest.fixture(scope="module")
def deep_in_print(tmp_path_factory):
    """One render to PDF and Word of the good document and a document for each case of
    DEEP_IN_PRINT, rather than one render per case: the render's exit code and stderr, and its output folder."""
    from conftest import made_once, make_repo

    def render(folder):
        docs = {f"specs/{doc_id}.yaml": DEEP[name].replace("id: bad\n", f"id: {doc_id}\n", 1)
                for name, doc_id in DEEP_IN_PRINT.items()}
        root = make_repo(folder / "ws", {"gitspec.yaml": CONFIG, "specs/.keep": "", **GOOD, **docs})
        result = run_gitspec(root, "render", "--format", "pdf,docx")
        return {"code": result.code, "err": result.err}

    folder, result = made_once(tmp_path_factory, "deep-in-print", render)
    return result, folder / "ws" / "build"


@pytest.mark.parametrize("name", DEEP_IN_PRINT)
def test_a_value_nested_two_hundred_deep_is_rendered_in_pdf_and_word(deep_in_print, name):
    result, build = deep_in_print
    assert result["code"] in (0, 1) and "internal error" not in result["err"] and "Traceback" not in result["err"], result
    bad = DEEP_IN_PRINT[name]
    for path in (f"pdf/{bad}.pdf", "pdf/good.pdf", f"docx/{bad}.docx", "docx/good.docx"):
        assert (build / path).exists(), path


def test_a_value_nested_too_deeply_for_the_schema_check_is_a_finding(repo):
    root = repo({**GOOD, "specs/bad.yaml": "kind: design\nid: bad\ntitle: Bad\ntokens: " + nested(300, "x", "{a: ", "}")
                 + "\n"})
    check = run_gitspec(root, "check")
    assert check.code == 1 and "internal error" not in check.err, check
    assert "specs/bad.yaml:1:1: error: design: nested too deeply to be checked against its schema [schema]" in check.out


def test_an_ambiguous_value_is_a_finding_and_its_document_is_still_rendered(repo):
    root = repo(GOOD, HTML_AND_WORD)
    assert run_gitspec(root, "render").code == 0
    (root / "specs/good.yaml").write_text(requirements_doc("good", requirement("REQ-001").replace(
        "statement: The system shall do REQ-001.", "statement: 12:30")))
    result = run_gitspec(root, "render")
    assert result.code == 1, result
    assert "specs/good.yaml:7:16: error: unquoted '12:30' means different things" in result.err, result
    assert "left out" not in result.err, result
    page = (root / "build" / "html" / "good.html").read_text()
    assert "12:30" in page  # read as its text, as YAML 1.2 reads it
    assert (root / "build" / "docx" / "good.docx").exists()
    assert "good.html" in (root / "build" / "html" / "index.html").read_text()


def test_a_document_left_out_of_the_render_is_named(repo):
    root = repo({**GOOD, "specs/bad.yaml": "kind: requirements\nid: bad\ntitle: [Bad\n",
                 "specs/old/good.yaml": requirements_doc("good", requirement("REQ-002"))}, HTML_AND_WORD)
    result = run_gitspec(root, "render")
    assert result.code == 1, result
    assert "warning: specs/bad.yaml left out of the render: line 4: YAML syntax error" in result.err, result
    assert ("warning: specs/old/good.yaml left out of the render: line 2: duplicate id 'good' (also defined at "
            "specs/good.yaml:2)") in result.err, result
    assert (root / "build" / "html" / "good.html").exists()


def test_a_stamp_whose_input_cannot_be_read_is_not_called_stale(example):
    # Before, a YAML error in launch.yaml also made assembly#summary and assembly#documents "stale:
    # launch#heroCopy changed since it was generated", though nothing had changed
    launch = example / "specs" / "launch.yaml"
    launch.write_text(launch.read_text().replace("\nheroCopy:", "\nheroCopy: [", 1))
    check = run_gitspec(example, "check")
    assert check.code == 1 and "specs/launch.yaml:" in check.out, check
    assert "stale" not in check.out and "assembly" not in check.out, check
    status = run_gitspec(example, "status")
    assert "assembly#summary, assembly#documents (its input launch#heroCopy)" in status.out, status


def test_a_markdown_document_with_merge_conflict_markers_is_left_out_of_render_and_build(repo):
    # Before, its conflict was rendered as text: a setext heading of "<<<<<<< HEAD …" and seven nested
    # quotes. A YAML document with conflicts was already left out; a Markdown one is now too.
    root = repo(GOOD, HTML_AND_WORD)
    assert run_gitspec(root, "new", "prd", "Checkout flow").code == 0
    prd = root / "specs" / "checkout-flow.md"
    assert run_gitspec(root, "render").code == 0 and (root / "build" / "html" / "checkout-flow.html").exists()
    text = prd.read_text()
    prd.write_text(text.replace("## Goals\n", "## Goals\n\n<<<<<<< HEAD\nShip it.\n=======\nWait.\n>>>>>>> other\n"))
    line = prd.read_text().splitlines().index("<<<<<<< HEAD") + 1
    result = run_gitspec(root, "render")
    assert result.code == 1, result
    assert (f"warning: specs/checkout-flow.md left out of the render: line {line}: unresolved merge conflict "
            in result.err), result
    assert not (root / "build" / "html" / "checkout-flow.html").exists()
    assert "checkout-flow.html" not in (root / "build" / "html" / "index.html").read_text()
    assert (root / "build" / "html" / "good.html").exists()
    build = run_gitspec(root, "build", "--no-render")
    assert build.code == 1 and prd.read_text().count(">>>>>>> other") == 1, build  # never rewritten
    status = run_gitspec(root, "status")
    assert "checkout-flow" not in status.out, status


STALE_APPROVAL = ("status: approved\napprovals:\n  - {by: Dana, date: \"2026-11-23\", hash: " + "ab" * 32 + "}\n")


def test_a_document_left_out_for_a_merge_conflict_is_explained_by_the_conflict_not_its_first_error(repo):
    # Before, each command named the file's first error by line, here a stale approval at line 7
    # ("left out of the render: line 7: approval stale ..."), and check offered a hash of the markers.
    root = repo(GOOD, HTML_AND_WORD)
    assert run_gitspec(root, "new", "prd", "Checkout flow").code == 0
    prd = root / "specs" / "checkout-flow.md"
    text = prd.read_text().replace("status: draft\n", STALE_APPROVAL)
    prd.write_text(text.replace("## Goals\n", "## Goals\n\n<<<<<<< HEAD\nShip it.\n=======\nWait.\n>>>>>>> other\n"))
    line = prd.read_text().splitlines().index("<<<<<<< HEAD") + 1
    conflict = f"line {line}: unresolved merge conflict (lines {line}-{line + 4}: <<<<<<< … >>>>>>>)"
    check = run_gitspec(root, "check")
    assert check.code == 1 and "approval stale" in check.out and "content hash now" not in check.out, check
    assert "resolve the merge conflict, then review it and record a new approval" in check.out, check
    render = run_gitspec(root, "render")
    assert render.code == 1 and f"warning: specs/checkout-flow.md left out of the render: {conflict}" in render.err, \
        render
    one = run_gitspec(root, "render", "checkout-flow")
    assert one.code == 2 and f"(specs/checkout-flow.md could not be read, {conflict}" in one.err, one
    prd.rename(root / "specs" / "notes.md")  # its `id:` line may still be the id `new` is asked for
    new = run_gitspec(root, "new", "prd", "Checkout flow")
    assert new.code == 2 and f"specs/notes.md, which could not be read ({conflict}" in new.err, new


PRD_SECTIONS = ("Problem", "Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions")
DEEP_INLINE = {  # 300 levels inside one line: emphasis, struck-out text, emphasis inside links
    "emphasis": "*a " * 300 + "deepest" + " a*" * 300,
    "strikethrough": "~~a " * 300 + "deepest" + " a~~" * 300,
    "links in emphasis": "[*a " * 300 + "deepest" + "*](https://e.com)" * 300,
    "a picture's alt text": "![" + "*a " * 300 + "deepest" + " a*" * 300 + "](x.png)",
}


@pytest.mark.parametrize("line", DEEP_INLINE.values(), ids=DEEP_INLINE.keys())
def test_formatting_nested_hundreds_deep_in_a_line_is_shown_as_text(repo, line):
    # Before, check, render and build stopped with "internal error (RecursionError …)"
    problem = f"[top](#problem) {line}\n\n### Also {line}"
    body = "".join(f"## {name}\n\n{problem if name == 'Problem' else 'x'}\n\n" for name in PRD_SECTIONS)
    root = repo({"specs/p.md": f"---\nkind: prd\nid: p\ntitle: P\n---\n\n# P\n\n{body}", "specs/x.png": tiny_png()},
                HTML_AND_WORD)
    check = run_gitspec(root, "check")
    assert check.code == 0, check
    result = run_gitspec(root, "render", "--format", "html,docx,pdf")
    assert result.code == 0, result
    page = (root / "build" / "html" / "p.html").read_text(encoding="utf-8")
    assert page.count("deepest") >= 2  # the paragraph and the heading
