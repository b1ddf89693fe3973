"""The shipped pipeline as a user meets it: one directive in a fresh git folder becomes a spec set."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import make_repo, product_workspace, run_gitspec

DIRECTIVE = "Build a Stripe-level billing dashboard"
KINDS = ("product", "brand", "design", "architecture", "ui", "launch", "evolution", "code", "assembly")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_repo(tmp_path_factory.mktemp("fresh") / "demo", {}, commit=False)
    assert run_gitspec(root, "init").code == 0
    assert run_gitspec(root, "new", "product", DIRECTIVE).code == 0
    first = run_gitspec(root, "build", "--json")
    return root, first


def test_one_directive_becomes_a_full_valid_spec_set(built):
    root, first = built
    assert first.code == 0, first
    complete = json.loads(first.out.splitlines()[-1])
    assert {a.split("#")[0] for a in complete["generated"]} == set(KINDS)
    for kind in KINDS:
        assert (root / "specs" / f"{kind}.yaml").is_file()
    check = run_gitspec(root, "check")
    assert check.code == 0 and check.out == "", check
    assert run_gitspec(root, "status").code == 0
    stubs = {p.relative_to(root).as_posix() for p in (root / "generated").rglob("*") if p.is_file()}
    assert "generated/app/routes.py" in stubs and "generated/db/migrations/0001_init.sql" in stubs


def test_placeholders_are_marked_and_listed(built):
    root, _ = built
    result = run_gitspec(root, "check", "--placeholders")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines and all("[placeholder]" in line for line in lines)
    assert any(line.startswith("specs/brand.yaml:") for line in lines)


def test_editing_the_brand_hue_regenerates_design_and_its_dependants_only(built):
    root, _ = built
    brand = root / "specs" / "brand.yaml"
    brand.write_text(re.sub(r"(\n  hue: )\d+", r"\g<1>145", brand.read_text(), count=1))
    untouched = {k: (root / "specs" / f"{k}.yaml").read_bytes() for k in KINDS if k not in ("design", "assembly")}
    result = run_gitspec(root, "build", "--json")
    assert result.code == 0, result
    generated = json.loads(result.out.splitlines()[-1])["generated"]
    assert generated and {a.split("#")[0] for a in generated} <= {"design", "assembly"}
    assert "design#color" in generated
    assert {k: (root / "specs" / f"{k}.yaml").read_bytes() for k in untouched} == untouched
    assert "hue: 145" in brand.read_text()  # the edit itself survives


def test_rewrites_keep_comments_key_order_and_quotes(built):
    root, _ = built
    design = root / "specs" / "design.yaml"
    text = design.read_text()
    text = text.replace("kind: design\n", "# our design system, see Figma\nkind: design\n", 1)
    text = text.replace("title: Design system\n", "title: 'Design system'  # quoted on purpose\n", 1)
    design.write_text(text)
    brand = root / "specs" / "brand.yaml"
    brand.write_text(re.sub(r"(\n  hue: )\d+", r"\g<1>20", brand.read_text(), count=1))
    assert run_gitspec(root, "build").code == 0
    after = design.read_text()
    assert after.startswith("# our design system, see Figma\nkind: design\n")
    assert "title: 'Design system'  # quoted on purpose\n" in after
    keys = [line.split(":")[0] for line in after.splitlines() if re.match(r"^[a-zA-Z]", line)]
    assert keys[:4] == ["kind", "id", "title", "generated"]


def test_a_build_from_the_cache_writes_the_very_bytes_of_a_fresh_one(tmp_path):
    root = make_repo(tmp_path / "demo", {}, commit=False)
    assert run_gitspec(root, "init").code == 0 and run_gitspec(root, "new", "product", DIRECTIVE).code == 0
    directive = (root / "specs/product.yaml").read_bytes()
    assert run_gitspec(root, "build", "--no-render").code == 0
    fresh = {p.name: p.read_bytes() for p in (root / "specs").glob("*.yaml")}
    assert not any(b"&id0" in data for data in fresh.values())  # no YAML anchors for repeated values
    for name in fresh:
        (root / "specs" / name).unlink()
    (root / "specs/product.yaml").write_bytes(directive)
    again = run_gitspec(root, "build", "--no-render")
    assert again.code == 0 and f"{len(KINDS)} from cache" in again.err, again
    assert {p.name: p.read_bytes() for p in (root / "specs").glob("*.yaml")} == fresh


def test_comments_above_below_and_inside_regenerated_keys_survive_a_build(tmp_path):
    root = product_workspace(tmp_path / "demo", DIRECTIVE)
    launch = root / "specs" / "launch.yaml"
    text = launch.read_text()
    text = text.replace("\ntweets:", "\n# launch copy below, reviewed by legal\ntweets:", 1)
    text = text.replace("\npinnedTweet:", "\n# NOTE from marketing: keep it short\npinnedTweet:", 1)
    launch.write_text(text + "# end of the launch notes\n")
    product = root / "specs" / "product.yaml"
    product.write_text(re.sub(r"\ntagline: .*", "\ntagline: A calmer billing dashboard.", product.read_text()))
    result = run_gitspec(root, "build", "--no-render")
    assert result.code == 0 and "regenerated launch#pinnedTweet" in result.out, result
    after = launch.read_text()
    assert "A calmer billing dashboard" in after
    assert "\n# launch copy below, reviewed by legal\ntweets:\n" in after
    assert "\n# NOTE from marketing: keep it short\npinnedTweet: " in after
    assert after.endswith("\n# end of the launch notes\n")


def test_one_build_after_a_directive_change_leaves_everything_fresh(tmp_path):
    # The directive renames the product, so architecture#dataModel changes; the architecture
    # sections drawn from it (apiContract, then openapi from that) must follow in the same build.
    root = product_workspace(tmp_path / "demo", DIRECTIVE)
    product = root / "specs" / "product.yaml"
    product.write_text(re.sub(r"\ndirective: .*", "\ndirective: Build a small invoicing tool", product.read_text()))
    result = run_gitspec(root, "build", "--no-render")
    assert result.code == 0, result
    assert "regenerated architecture#apiContract" in result.out and "regenerated architecture#openapi" in result.out
    status = run_gitspec(root, "status")
    assert status.code == 0 and status.out == "", status
    check = run_gitspec(root, "check")
    assert check.code == 0 and check.out == "", check
    again = run_gitspec(root, "build", "--no-render")
    assert again.code == 0 and "0 sections regenerated" in again.err, again


def test_a_named_pipe_where_a_code_stub_goes_is_refused_not_read(tmp_path):
    """Before, the build read the pipe to compare it with the stub, and hung there for ever."""
    import os

    root = make_repo(tmp_path / "demo", {}, commit=False)
    assert run_gitspec(root, "init").code == 0
    assert run_gitspec(root, "new", "product", DIRECTIVE).code == 0
    (root / "generated" / "app").mkdir(parents=True)
    os.mkfifo(root / "generated" / "app" / "routes.py")
    result = run_gitspec(root, "build", "--no-render", prefix=("timeout", "120"))
    assert result.code == 1, result  # (124: it hung)
    assert "generated/app/routes.py is not a file; not overwritten" in result.err, result


def test_a_hand_edited_stub_stops_the_code_stage_before_anything_is_written_and_deleted_stubs_come_back(tmp_path):
    """Before, the build refused the edited stub (exit 1) after rewriting specs/code.yaml as if every stub
    were written: later stubs stayed out of date, every command then said all was fresh, and a deleted
    stub was never written again."""
    root = product_workspace(tmp_path / "demo", DIRECTIVE)
    generated = root / "generated"
    (generated / "app" / "models.py").write_text((generated / "app" / "models.py").read_text() + "# my edit\n")
    architecture = root / "specs" / "architecture.yaml"
    text = architecture.read_text()
    assert "description: When it last changed." in text
    architecture.write_text(text.replace("description: When it last changed.", "description: When it was edited.", 1))
    code_before, types_before = (root / "specs" / "code.yaml").read_bytes(), (generated / "web" / "types.ts").read_bytes()

    for _ in range(2):  # and again: nothing was committed to
        refused = run_gitspec(root, "build", "--no-render")
        assert refused.code == 1, refused
        assert refused.err.splitlines()[-1] == ("gitspec: error: generated/app/models.py was edited by hand; not "
                                                "overwritten, and code#files not regenerated (delete it or move "
                                                "your changes, then build again)"), refused
        assert (root / "specs" / "code.yaml").read_bytes() == code_before
        assert (generated / "web" / "types.ts").read_bytes() == types_before
    assert "code#files: stale" in run_gitspec(root, "status").out
    check = run_gitspec(root, "check")
    assert check.code == 1 and "code#files is stale" in check.out, check

    (generated / "app" / "models.py").unlink()  # as the error advises
    built = run_gitspec(root, "build", "--no-render")
    assert built.code == 0 and "regenerated code#files" in built.out, built
    assert "# my edit" not in (generated / "app" / "models.py").read_text()  # written again
    assert "When it was edited." in (generated / "web" / "types.ts").read_text()

    (generated / "web" / "types.ts").unlink()  # with code#files up to date
    (generated / "app" / "routes.py").write_text("# mine\n")
    again = run_gitspec(root, "build", "--no-render")
    assert again.code == 0, again
    assert "warning: generated/web/types.ts was missing: written again from code#files" in again.err, again
    assert "warning: generated/app/routes.py differs from code#files: kept" in again.err, again
    assert "When it was edited." in (generated / "web" / "types.ts").read_text()
    assert (generated / "app" / "routes.py").read_text() == "# mine\n"


def _defined_ids(root) -> list[str]:
    return [match for path in sorted((root / "specs").glob("*.yaml"))
            for match in re.findall(r"(?m)^\s*- id: ([A-Z]+-[0-9]+)$", path.read_text())]


def test_generated_items_are_numbered_past_the_ids_other_documents_define(tmp_path):
    # Before, the first build numbered its items from 001 whatever the workspace held: next to skeletons
    # `new` wrote (FLOW-001, SCR-001, FEAT-001, PERS-001, JOUR-001), check found duplicate ids (exit 1).
    root = make_repo(tmp_path / "demo", {}, commit=False)
    assert run_gitspec(root, "init").code == 0
    for args in (("ui", "mobile-screens"), ("product", "--id", "legacy"), ("product", DIRECTIVE)):
        assert run_gitspec(root, "new", *args).code == 0
    assert run_gitspec(root, "build", "--no-render").code == 0
    check = run_gitspec(root, "check")
    assert check.code == 0, check
    ids = _defined_ids(root)
    assert len(ids) == len(set(ids))
    ui = (root / "specs" / "ui.yaml").read_text()
    assert "id: FLOW-002" in ui and "id: SCR-002" in ui and "id: FLOW-001" not in ui


def test_generated_items_are_numbered_past_the_ids_a_document_that_cannot_be_read_writes(tmp_path):
    # Before, the build left out only the ids of documents it could read: once the broken one was mended,
    # check found FEAT-001, PERS-001 and JOUR-001 twice (new already counted them).
    root = make_repo(tmp_path / "demo", {}, commit=False)
    assert run_gitspec(root, "init").code == 0
    for args in (("product", "--id", "legacy"), ("product", DIRECTIVE)):
        assert run_gitspec(root, "new", *args).code == 0
    legacy = root / "specs" / "legacy.yaml"
    text = legacy.read_text()
    legacy.write_text(text + "oops: [\n")
    assert run_gitspec(root, "build", "--no-render", "--only", "product").code == 1  # legacy.yaml: a finding
    legacy.write_text(text)
    check = run_gitspec(root, "check")
    assert "duplicate-id" not in check.out, check
    assert "id: FEAT-001" not in (root / "specs" / "product.yaml").read_text()


def test_the_cache_serves_no_ids_another_document_took_since(tmp_path):
    # Ids other documents hold are part of a stage's cache key: the same directive built again once a
    # skeleton holds FEAT-001 is not served the cached product that numbered its features from 001.
    root = make_repo(tmp_path / "demo", {}, commit=False)
    assert run_gitspec(root, "init").code == 0
    assert run_gitspec(root, "new", "product", DIRECTIVE).code == 0
    directive_only = (root / "specs" / "product.yaml").read_bytes()
    assert run_gitspec(root, "build", "--no-render").code == 0
    assert "id: FEAT-001" in (root / "specs" / "product.yaml").read_text()
    for path in (root / "specs").iterdir():
        path.unlink()
    shutil.rmtree(root / "generated")  # the code stage's stubs of that build, started over too
    (root / "specs" / "product.yaml").write_bytes(directive_only)
    assert run_gitspec(root, "new", "product", "--id", "legacy").code == 0  # FEAT-001, PERS-001, JOUR-001
    again = run_gitspec(root, "build", "--no-render", "--json")
    assert again.code == 0, again
    assert run_gitspec(root, "check").code == 0
    product = (root / "specs" / "product.yaml").read_text()
    assert "id: FEAT-001" not in product and "id: FEAT-002" in product and "id: PERS-002" in product
