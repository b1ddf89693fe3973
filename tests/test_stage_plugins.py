"""How gitspec drives third-party stage and kind plugins: what it refuses before any stage runs."""
from __future__ import annotations

import pytest

from conftest import install_plugin, requirement, requirements_doc, run_gitspec

REQS = requirements_doc("reqs", requirement("REQ-001"))
HEADER = "from gitspec import hookimpl\nfrom gitspec.kinds import Kind\nfrom gitspec.stage import Output, Stage\n" \
         "from pathlib import Path\nHERE = Path(__file__).resolve().parent\n"


def _plugin(tmp_path, name: str, code: str, files: dict[str, str] | None = None) -> dict:
    return install_plugin(tmp_path / name, name, {f"{name}.py": HEADER + code, **(files or {})})


@pytest.mark.parametrize("key", ["title", "id", "generated"])
def test_a_stage_output_named_after_a_header_key_is_refused_before_anything_is_written(repo, tmp_path, key):
    env = _plugin(tmp_path, "headline", (
        "@hookimpl\ndef gitspec_stages():\n"
        f"    return [Stage('headline', '1', 'reqs', 'requirements', 'Reqs', ('reqs#items',),\n"
        f"                  (Output('{key}', ('reqs#items',)),), lambda inp: {{'{key}': 'Generated'}})]\n"))
    root = repo({"specs/reqs.yaml": REQS})
    for command in ("build", "status"):
        result = run_gitspec(root, command, env=env)
        assert result.code == 2, result
        assert result.err.count("\n") == 1 and "Traceback" not in result.err
        assert f"stage 'headline' (plugin headline) declares an output reqs#{key}" in result.err
        assert f"'{key}' is a header key" in result.err
    assert (root / "specs" / "reqs.yaml").read_text() == REQS


# No `$id`: its relative `$ref` has no base to resolve against, so the schema cannot be loaded.
UNLOADABLE_SCHEMA = ('{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", '
                     '"$ref": "common.schema.json#/$defs/header"}')
DIGEST = ("@hookimpl\ndef gitspec_kinds():\n"
          "    return [Kind('digest', HERE / 'digest.schema.json', suffix='{suffix}')]\n"
          "@hookimpl\ndef gitspec_stages():\n"
          "    return [Stage('req-digest', '1', 'req-digest', 'digest', 'Requirement digest', ('reqs#items',),\n"
          "                  (Output('digest', ('reqs#items',)),),\n"
          "                  lambda inp: {{'digest': 'There are **%d** requirements.' % len(inp.get('reqs#items'))}})]\n")


def test_an_output_kind_whose_schema_cannot_be_loaded_stops_the_build_before_any_stage_runs(repo, tmp_path):
    env = _plugin(tmp_path, "digest", DIGEST.format(suffix=".yaml"), {"digest.schema.json": UNLOADABLE_SCHEMA})
    root = repo({"specs/reqs.yaml": REQS})
    result = run_gitspec(root, "build", env=env)
    assert result.code == 2, result
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "digest.schema.json:1:1: error: schema of kind 'digest' is not a valid JSON Schema" in result.err
    assert result.out == "" and sorted(p.name for p in (root / "specs").iterdir()) == [".keep", "reqs.yaml"]


DIGEST_SCHEMA = ('{"$schema": "https://json-schema.org/draft/2020-12/schema", '
                 '"$id": "https://gitspec.dev/schemas/digest.schema.json", "type": "object", '
                 '"$ref": "common.schema.json#/$defs/header", "properties": {"digest": {"type": "string"}}}')


def test_a_stage_creates_a_missing_markdown_document_with_its_kinds_suffix(repo, tmp_path):
    env = _plugin(tmp_path, "digest", DIGEST.format(suffix=".md").replace("requirements.'", "requirements.  \\n\\n'"),
                  {"digest.schema.json": DIGEST_SCHEMA})
    root = repo({"specs/reqs.yaml": REQS})
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0 and "regenerated req-digest#digest" in built.out, built
    assert sorted(p.name for p in (root / "specs").iterdir()) == [".keep", "req-digest.md", "reqs.yaml"]
    text = (root / "specs" / "req-digest.md").read_text()
    assert text.startswith('---\nkind: "digest"\nid: "req-digest"\n---\n\n# Requirement digest\n\n## Digest\n\n'
                           "<!-- gitspec:generated {")
    assert text.endswith(" -->\nThere are **1** requirements.\n<!-- gitspec:end -->\n")
    status = run_gitspec(root, "status", "--all", env=env)
    assert status.code == 0 and status.out == "req-digest#digest: fresh\n", status
    assert run_gitspec(root, "check", env=env).code == 0
    again = run_gitspec(root, "build", env=env)
    assert again.code == 0 and again.out == "" and (root / "specs" / "req-digest.md").read_text() == text
