"""Start-up: what each command imports. gitspec runs as a pre-commit hook on every commit, so a
command imports only what its run needs (DESIGN: heavy modules only by the commands that need them)."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from conftest import GIT_ENV, GITSPEC, requirement, requirements_doc, run_gitspec
from PIL import Image

PRD = """---
kind: prd
id: checkout
title: Checkout
status: draft
owners: [qa]
---

# Checkout

## Problem

Paying takes {steps} steps.{picture}
""" + "".join(f"\n## {name}\n\nNone.\n" for name in
              ("Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions"))


def imported(cwd: Path, *args: str) -> tuple[set[str], subprocess.CompletedProcess]:
    """The modules the installed gitspec imports to run `args` in `cwd`, as `python -v` lists them
    (-X importtime leaves out those loaded by importlib.import_module, as plugins are)."""
    env = {k: v for k, v in os.environ.items() if k != "GITSPEC_TRACE_HOOKS"}
    done = subprocess.run([sys.executable, "-v", GITSPEC, *args], cwd=cwd, capture_output=True,
                          text=True, env={**env, **GIT_ENV}, timeout=120)
    return set(re.findall(r"^import '([^']+)'", done.stderr, re.M)), done


def png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "PNG")
    return out.getvalue()


def age(root: Path) -> None:
    """Make every file older than the index's racy-clean window, as files normally are."""
    past = time.time() - 60
    for path in (root / "specs").rglob("*"):
        os.utime(path, (past, past))


def test_check_of_a_markdown_document_without_pictures_imports_no_render_tree(repo):
    root = repo({"specs/checkout.md": PRD.format(steps="five", picture=""),
                 "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    # The first check after a config change loads the renderers, to find its formats installed.
    assert run_gitspec(root, "check").code == 0
    (root / "specs/checkout.md").write_text(PRD.format(steps="six", picture=""))
    modules, done = imported(root, "check")
    assert done.returncode == 0, done.stderr
    assert "gitspec.engine" in modules  # the document was parsed and checked
    assert not {"gitspec.render.model", "gitspec.render.localimages", "gitspec.render.markdowntree"} & modules


def test_check_of_a_changed_picture_imports_no_render_tree(repo):
    """Only the picture changed: it is looked at again (its document was parsed before)."""
    root = repo({"specs/checkout.md": PRD.format(steps="five", picture="\n\n![Flow](img/flow.png)"),
                 "specs/img/flow.png": png((0, 0, 200))})
    age(root)
    assert run_gitspec(root, "check").code == 0
    (root / "specs/img/flow.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really a picture")
    modules, done = imported(root, "check")
    assert done.returncode == 1 and "specs/img/flow.png" in done.stdout + done.stderr, done.stdout + done.stderr
    assert "gitspec.render.localimages" in modules and "gitspec.render.model" not in modules


def test_declaring_the_shipped_stages_imports_none_of_their_generators(repo):
    """Without .gitspec/plan (a fresh clone, a new gitspec) every stage is declared: only generating
    a section needs the colour maths, the DDL, OpenAPI and stub writers, or the template provider."""
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    modules, done = imported(root, "status")
    assert done.returncode == 0, done.stderr
    assert {"gitspec.stages.design", "gitspec.stages.architecture", "gitspec.stages.code"} <= modules
    generators = {"gitspec.stages.colorsystem", "gitspec.stages.tokens", "gitspec.stages.ddl",
                  "gitspec.stages.erdiagram", "gitspec.stages.openapi", "gitspec.stages.pystubs",
                  "gitspec.stages.tsstubs", "gitspec.providers"}
    assert not generators & modules


def test_a_no_op_check_imports_no_parser_schema_plugin_or_typing_machinery(repo):
    root = repo({"specs/checkout.md": PRD.format(steps="five", picture=""),
                 "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    age(root)
    assert run_gitspec(root, "check").code == 0
    modules, done = imported(root, "check")
    assert done.returncode == 0, done.stderr
    assert not {"typing", "yaml", "jsonschema_rs", "pluggy", "gitspec.engine", "gitspec.render.model"} & modules


def test_help_imports_no_pathlib_and_no_command(tmp_path):
    modules, done = imported(tmp_path, "--help")
    assert done.returncode == 0 and "Exit codes" in done.stdout, done.stderr
    assert not {"pathlib", "gitspec.commands.check", "gitspec.opening"} & modules
