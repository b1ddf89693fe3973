"""Kinds that plugins declare: the paths of their files, and what gitspec says of a field it cannot use."""
from __future__ import annotations

import pytest

from conftest import NOTES_SCHEMA, requirement, requirements_doc, run_gitspec
from test_renderer_plugins import install

PLUGIN = '''
from pathlib import Path
from gitspec import hookimpl
from gitspec.kinds import Kind

HERE = Path(__file__).resolve().parent

@hookimpl
def gitspec_kinds():
    return [Kind({fields})]
'''


@pytest.fixture
def kinds(repo, tmp_path):
    """(workspace, environment) with a plugin whose kind is `Kind(fields)`."""

    def make(fields: str):
        ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
        env = install(tmp_path / "site", "gitspec-kinds", "kinds", PLUGIN.format(fields=fields))
        (tmp_path / "site" / "notes.schema.json").write_text(NOTES_SCHEMA)
        (tmp_path / "site" / "notes.yaml").write_text("kind: notes\nid: $id\ntitle: \"$title\"\n")
        return ws, env

    return make


def test_a_kinds_files_may_be_given_as_str(kinds):
    # Before, a str schema (docs/plugins.md calls it "the path of a JSON Schema") made every command an
    # internal error (AttributeError: 'str' object has no attribute 'is_relative_to'), exit 3.
    ws, env = kinds("'notes', str(HERE / 'notes.schema.json'), str(HERE / 'notes.yaml')")
    assert run_gitspec(ws, "check", env=env).code == 0
    created = run_gitspec(ws, "new", "notes", "Meeting notes", env=env)
    assert created.code == 0, created
    assert (ws / "specs" / "meeting-notes.yaml").read_text().startswith("kind: notes\nid: meeting-notes\n")
    assert run_gitspec(ws, "check", env=env).code == 0
    (ws / "specs" / "meeting-notes.yaml").write_text("kind: notes\nid: meeting-notes\n")  # no title
    checked = run_gitspec(ws, "check", env=env)
    assert checked.code == 1 and "specs/meeting-notes.yaml:1:1: error: " in checked.out, checked


@pytest.mark.parametrize("fields, problem", [
    ("'notes', None", "declares kind 'notes' with schema None: it must be the path of a JSON Schema file "
                      "(a pathlib.Path or a str)"),
    ("'notes', {'type': 'object'}", "declares kind 'notes' with schema a dict: it must be the path of a JSON "
                                    "Schema file (a pathlib.Path or a str)"),
    ("'notes', HERE / 'notes.schema.json', 3", "declares kind 'notes' with template an int: it must be the path "
                                               "of a template file (a pathlib.Path or a str) or None"),
    ("'notes', HERE / 'notes.schema.json', suffix='yaml'", "declares kind 'notes' with suffix 'yaml': it must be "
                                                           "one of .yaml, .yml, .md"),
    ("None, HERE / 'notes.schema.json'", "declares a kind named None: its name must be a non-empty string"),
])
def test_a_kind_gitspec_cannot_use_names_its_plugin(kinds, fields, problem):
    ws, env = kinds(fields)
    for command in (("check",), ("new", "notes", "n")):
        result = run_gitspec(ws, *command, env=env)
        assert result.code == 2 and "Traceback" not in result.err, result
        assert result.err.splitlines() == [
            f"gitspec: error: plugin gitspec-kinds (entry point kinds): gitspec_kinds {problem}"], result
