"""The bundled example is a complete, realistic, clean spec set."""
from __future__ import annotations

import yaml

from conftest import EXAMPLE, run_gitspec
from gitspec.builtin.kinds import SHIPPED_KINDS
from gitspec.documents import parse_document


def _documents():
    return [parse_document(p.relative_to(EXAMPLE).as_posix(), p.read_bytes())
            for p in sorted((EXAMPLE / "specs").rglob("*")) if p.suffix in (".yaml", ".md")]


def test_example_checks_clean(example):
    result = run_gitspec(example, "check")
    assert result.code == 0, result
    assert result.out == ""


def test_example_has_every_shipped_kind_and_a_markdown_prd():
    documents = _documents()
    assert {d.kind for d in documents} >= set(SHIPPED_KINDS)
    assert any(d.kind == "prd" and d.format == "markdown" for d in documents)


def test_example_has_enough_linked_requirements_and_tasks():
    documents = _documents()
    requirements = [i for d in documents if d.kind == "requirements" for i in d.sections["items"]]
    tasks = [i for d in documents if d.kind == "tasks" for i in d.sections["items"]]
    assert len(requirements) >= 20 and all(r["acceptance"] for r in requirements)
    assert sum(1 for r in requirements if r.get("parent")) >= 10
    assert len(tasks) >= 15 and sum(1 for t in tasks if t.get("dependsOn")) >= 10


def test_example_config_is_plain():
    config = yaml.safe_load((EXAMPLE / "gitspec.yaml").read_text())
    assert config["specs"] == ["specs"]


def test_example_generated_documents_are_fresh_and_rebuild_to_the_same_bytes(example):
    status = run_gitspec(example, "status")
    assert status.code == 0 and status.out == "", status
    def sources():
        return {p: p.read_bytes() for p in example.rglob("*") if p.is_file()
                and not {".git", ".gitspec", "build"} & set(p.relative_to(example).parts)}

    before = sources()
    build = run_gitspec(example, "build")
    assert build.code == 0 and "0 sections regenerated" in build.err, build
    assert sources() == before
    # and the build ends with the rendered spec set, as README promises
    output = example / "build"
    assert (output / "html" / "index.html").is_file() and (output / "html" / "traceability.html").is_file()
    assert (output / "pdf" / "book.pdf").is_file() and (output / "pdf" / "design.pdf").is_file()
    assert (output / "docx" / "book.docx").is_file() and (output / "docx" / "billing-prd.docx").is_file()


def test_example_generated_documents_carry_stamps():
    for kind in ("brand", "design", "ui", "launch", "evolution", "code", "assembly"):
        text = (EXAMPLE / "specs" / f"{kind}.yaml").read_text()
        assert "\ngenerated:\n" in text and f"stage: {kind}\n" in text
