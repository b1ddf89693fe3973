"""`gitspec build`, `status` and `pin` as a user meets them, with a small test pipeline:

source#text --upper--> derived#shout, derived#length --echo--> echoed#echo ; source#text --sleepy--> slow#value
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import time

import pytest

from conftest import (
    GIT_ENV, GITSPEC, install_plugin, make_repo, requirement, requirements_doc, run_gitspec, without_read_all,
)
from gitspec.yamlread import read_yaml

SOURCE = "kind: notes\nid: source\ntitle: Source\ntext: hello\n"


@pytest.fixture
def ws(repo, stage_plugin, tmp_path):
    calls = tmp_path / "calls.log"
    config = f"specs: [specs]\nformats: [html]\nplugins:\n  upper: {{calls: {calls}}}\n  echo: {{calls: {calls}}}\n" \
             f"  sleepy: {{calls: {calls}}}\n"
    root = repo({"specs/source.yaml": SOURCE}, config=config)
    return root, stage_plugin, calls


def _build(root, env, *args):
    return run_gitspec(root, "build", *args, env=env)


def _calls(log) -> list[str]:
    return log.read_text().split() if log.exists() else []


def _snapshot(root):
    return {p.name: p.read_bytes() for p in (root / "specs").glob("*.yaml")}


def _set_text(root, text):
    (root / "specs" / "source.yaml").write_text(SOURCE.replace("hello", text))


def _edit(root, name, old, new):
    path = root / "specs" / name
    path.write_text(path.read_text().replace(old, new, 1))


def test_first_build_generates_everything_with_stamps(ws):
    root, env, calls = ws
    result = _build(root, env)
    assert result.code == 0, result
    assert sorted(_calls(calls)) == ["echo", "sleepy", "upper"]
    derived = (root / "specs" / "derived.yaml").read_text()
    assert "shout: HELLO" in derived and "length: 5" in derived
    assert "generated:\n  shout:\n    stage: upper\n" in derived
    assert "echo: 'echo: HELLO'" in (root / "specs" / "echoed.yaml").read_text() or \
        'echo: "echo: HELLO"' in (root / "specs" / "echoed.yaml").read_text()
    assert run_gitspec(root, "check", env=env).code == 0
    assert run_gitspec(root, "status", env=env).code == 0


def test_a_build_asks_plugins_for_kinds_once(ws):
    root, env, calls = ws
    # it checks, loads its stages' schemas, names the documents it creates and checks what it wrote
    result = _build(root, {**env, "GITSPEC_TRACE_HOOKS": "1"}, "--no-render")
    assert result.code == 0 and "regenerated derived#shout" in result.out, result
    assert (root / "specs" / "derived.yaml").is_file()
    assert result.err.count("gitspec hook: gitspec_kinds(") == 1, result.err


def test_second_build_changes_no_file_and_calls_no_stage(ws):
    root, env, calls = ws
    _build(root, env)
    before, stat = _snapshot(root), {p: p.stat().st_mtime_ns for p in (root / "specs").glob("*.yaml")}
    result = _build(root, env, "--json")
    complete = json.loads(result.out.splitlines()[-1])
    assert complete["event"] == "complete" and complete["generated"] == [] and complete["provider_calls"] == 0
    assert _snapshot(root) == before
    assert {p: p.stat().st_mtime_ns for p in (root / "specs").glob("*.yaml")} == stat
    assert len(_calls(calls)) == 3


def test_an_edited_input_regenerates_only_its_dependants(ws):
    root, env, calls = ws
    _build(root, env)
    _set_text(root, "hello world")
    result = _build(root, env)
    assert result.code == 0, result
    assert "regenerated derived#shout" in result.out and "regenerated echoed#echo" in result.out
    assert "regenerated slow#value" in result.out
    assert sorted(_calls(calls)) == ["echo", "echo", "sleepy", "sleepy", "upper", "upper"]


def test_rewritten_files_keep_their_permissions_and_new_ones_follow_the_umask(ws):
    root, env, calls = ws
    _build(root, env)
    derived = root / "specs" / "derived.yaml"
    derived.chmod(0o754)
    _set_text(root, "hello again")
    umask = os.umask(0o022)
    os.umask(umask)
    result = _build(root, env)
    assert result.code == 0 and "regenerated derived#shout" in result.out, result
    assert "HELLO AGAIN" in derived.read_text()
    assert stat.S_IMODE(derived.stat().st_mode) == 0o754
    for new in (root / "build" / "html" / "index.html", root / "specs" / "echoed.yaml"):
        assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask, new


def test_status_and_check_report_staleness_from_stamps_alone(ws):
    root, env, calls = ws
    _build(root, env)
    _set_text(root, "changed")
    status = run_gitspec(root, "status", env=env)
    assert status.code == 1
    assert "derived#shout: stale (source#text changed)" in status.out
    check = run_gitspec(root, "check", env=env)
    assert check.code == 1
    assert "derived#shout is stale: source#text changed since it was generated" in check.out
    assert len(_calls(calls)) == 3  # nothing ran


def test_sections_whose_inputs_are_all_gone_are_orphaned_alike_in_status_check_and_build(ws):
    """Before, with the input document deleted, check called the sections stale "(run gitspec build)" for
    ever, while status said there was nothing to do and build did nothing (exit 0)."""
    root, env, calls = ws
    assert _build(root, env, "--no-render").code == 0
    (root / "specs" / "source.yaml").unlink()
    status = run_gitspec(root, "status", env=env)
    assert status.code == 1, status
    assert "derived#shout: orphaned (source#text gone) — restore its inputs, remove it, or pin it" in status.out
    assert "slow#value: orphaned (source#text gone)" in status.out and "echoed#echo" not in status.out, status
    message = ("derived#shout was generated from inputs that are all gone (source#text): restore them (gitspec "
               "build brings back those a stage writes), remove the section or its document, or keep it as it is "
               "with 'gitspec pin derived#shout'; or, if its stage now reads other inputs, run gitspec build [orphaned]")
    check = run_gitspec(root, "check", env=env)
    assert check.code == 1 and message in check.out, check
    build = _build(root, env, "--no-render")
    assert build.code == 1 and message in build.err, build
    assert len(_calls(calls)) == 3  # nothing ran: from nothing, a stage would write nothing
    forced = _build(root, env, "--no-render", "--force", "derived#shout")  # before: not a word of the --force
    assert ("--force derived#shout: not regenerated, its stage 'upper' has nothing to derive it from (none of its "
            "inputs exists)") in forced.err, forced
    for address in ("derived#shout", "derived#length", "slow#value"):
        assert run_gitspec(root, "pin", address, env=env).code == 0
    for command in ("status", "check"):
        result = run_gitspec(root, command, env=env)
        assert result.code == 0 and "orphaned" not in result.out, result
    assert _build(root, env, "--no-render").code == 0


def test_sections_orphaned_by_a_deleted_generated_document_come_back_with_it(ws):
    root, env, calls = ws
    assert _build(root, env, "--no-render").code == 0
    (root / "specs" / "derived.yaml").unlink()
    status = run_gitspec(root, "status", env=env)
    assert status.code == 1, status
    assert "echoed#echo: orphaned (derived#shout gone) — gitspec build makes its inputs again" in status.out, status
    assert run_gitspec(root, "check", env=env).code == 1
    assert _build(root, env, "--no-render").code == 0
    for command in ("status", "check"):
        result = run_gitspec(root, command, env=env)
        assert result.code == 0 and result.out == "", result


def test_hand_edit_is_kept_while_its_inputs_stay_the_same(ws):
    root, env, calls = ws
    _build(root, env)
    _edit(root, "derived.yaml", "shout: HELLO", "shout: HI THERE")
    result = _build(root, env)
    assert result.code == 0, result
    assert "shout: HI THERE" in (root / "specs" / "derived.yaml").read_text()
    assert "warning: derived#shout is hand-edited: kept" in result.err
    assert "regenerated echoed#echo" in result.out  # its input changed
    check = run_gitspec(root, "check", env=env)
    assert "warning: derived#shout was edited by hand" in check.out


def test_hand_edit_with_changed_inputs_is_a_conflict_then_pin_or_force(ws):
    root, env, calls = ws
    _build(root, env)
    _edit(root, "derived.yaml", "shout: HELLO", "shout: MINE")
    _set_text(root, "bye")
    derived_before = (root / "specs" / "derived.yaml").read_bytes()
    result = _build(root, env)
    assert result.code == 1
    assert "conflict: derived#shout was edited by hand and its inputs changed (source#text)" in result.err
    assert (root / "specs" / "derived.yaml").read_bytes() == derived_before  # byte for byte
    assert "skipped: echo" in result.err
    assert result.err.endswith("gitspec: 1 section regenerated (0 from cache, 1 generated), 1 conflict\n"), result

    assert run_gitspec(root, "pin", "derived#shout", env=env).code == 0
    pinned = _build(root, env)
    assert pinned.code == 0, pinned
    derived = (root / "specs" / "derived.yaml").read_text()
    assert "shout: MINE" in derived and "length: 3" in derived
    assert "derived#shout is pinned, but its inputs changed: source#text" in pinned.err

    forced = _build(root, env, "--force", "derived#shout")
    assert forced.code == 0, forced
    assert "warning" not in forced.err, forced  # before: "derived#shout is pinned, but its inputs changed"
    derived = (root / "specs" / "derived.yaml").read_text()
    assert "shout: BYE" in derived and "pinned" not in derived


def test_unpinning_leaves_each_comment_on_its_own_item_never_on_a_neighbour(ws):
    root, env, calls = ws
    _build(root, env, "--no-render")
    path = root / "specs" / "derived.yaml"
    pinned = "pinned:\n  - shout   # legal signed off\n  - length\nshout:"
    path.write_text(path.read_text().replace("shout: HELLO", "shout: MINE").replace("\nshout:", "\n" + pinned, 1))
    for unpin in [("pin", "--unpin", "derived#shout"), ("build", "--no-render", "--force", "derived#shout")]:
        before = path.read_text()
        assert run_gitspec(root, *unpin, env=env).code == 0
        after = path.read_text()
        assert "pinned:\n  - length\n# legal signed off\nshout:" in after, after
        path.write_text(before)


def test_a_flow_style_generated_header_keeps_its_comments_when_rebuilt(ws):
    root, env, calls = ws
    _build(root, env, "--no-render")
    path = root / "specs" / "derived.yaml"
    text = path.read_text()
    stamps = ",\n  ".join(f"{key}: {json.dumps(stamp)}" for key, stamp in read_yaml(text).value["generated"].items())
    start, end = text.index("generated:\n"), text.index("\nshout:")
    mine = "mine: [1,  # one\n  2]\n"
    path.write_text(text[:start] + "generated: {  # stamps: do not edit by hand\n  " + stamps + "}" + text[end:] + mine)
    assert run_gitspec(root, "check", env=env).code == 0

    _set_text(root, "bye")
    assert _build(root, env, "--no-render").code == 0
    text = path.read_text()
    assert "title: Derived\n# stamps: do not edit by hand\ngenerated:\n  shout:\n    stage: upper\n" in text, text
    assert text.endswith(mine) and max(len(line) for line in text.splitlines()) < 120, text


def test_a_flow_style_generated_header_is_rebuilt_in_block_style_with_its_comment_above(example):
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096
    brand = example / "specs" / "brand.yaml"
    data = yaml.load(brand.read_text())
    data["generated"].fa.set_flow_style()
    with brand.open("w") as handle:
        yaml.dump(data, handle)
    brand.write_text(re.sub(r"(?m)^(generated: \{.*\})$", r"\1  # stamps: do not edit", brand.read_text()))
    subprocess.run(["git", "commit", "-qam", "flow stamps"], cwd=example, check=True, env={**os.environ, **GIT_ENV})
    product = example / "specs" / "product.yaml"
    product.write_text(re.sub(r"\ntagline: .*", "\ntagline: Billing you can read at a glance", product.read_text()))

    built = run_gitspec(example, "build", "--no-render")
    assert built.code == 0 and "regenerated brand#brandPromise" in built.out, built
    text = brand.read_text()
    assert "\n# stamps: do not edit\ngenerated:\n  archetype:\n    stage: brand\n" in text, text
    assert not re.search(r"[{}]|  #", text.split("\narchetype:")[0]), text  # no flow stamp, no comment far right
    assert run_gitspec(example, "status").code == 0


def test_an_anchor_in_a_regenerated_value_its_alias_needs_is_kept_or_the_build_says_why_not(ws):
    root, env, calls = ws
    _build(root, env, "--no-render")
    path = root / "specs" / "derived.yaml"
    path.write_text(path.read_text().replace("length: 5", "length: &n 5") + "mine:\n  size: *n\n")
    _set_text(root, "HOWDY")  # shout regenerated, length the same
    assert _build(root, env, "--no-render").code == 0
    assert "length: &n 5\n" in path.read_text() and path.read_text().endswith("mine:\n  size: *n\n")

    before = path.read_bytes()
    _set_text(root, "bye")  # length 3: the alias would lose its anchor
    result = _build(root, env, "--no-render")
    assert result.code == 2, result
    assert result.err.startswith("specs/derived.yaml:") and "*n refers to &n in length" in result.err, result
    assert len(result.err.strip().splitlines()) == 1 and path.read_bytes() == before


def test_directives_end_markers_and_the_comments_around_them_stay_byte_for_byte(ws):
    root, env, calls = ws
    _build(root, env, "--no-render")
    path = root / "specs" / "derived.yaml"
    text = "%YAML 1.2\n# reviewed\n---\n" + path.read_text().replace("title: Derived", "title:    Derived")
    path.write_text(text + "...\n# Reviewed by legal 2026-11-01\n")
    assert run_gitspec(root, "check", env=env).code == 0
    assert run_gitspec(root, "pin", "derived#shout", env=env).code == 0
    assert path.read_text() == text.replace("\nshout:", "\npinned:\n  - shout\nshout:") + \
        "...\n# Reviewed by legal 2026-11-01\n"
    assert run_gitspec(root, "pin", "--unpin", "derived#shout", env=env).code == 0
    _set_text(root, "bye")
    assert _build(root, env, "--no-render").code == 0
    after = path.read_text()
    assert after.startswith("%YAML 1.2\n# reviewed\n---\nkind: notes\nid: derived\ntitle:    Derived\n"), after
    assert after.endswith("shout: BYE\nlength: 3\n...\n# Reviewed by legal 2026-11-01\n"), after


def test_a_rewrite_that_would_drop_a_comment_is_refused_in_one_line(ws):
    root, env, calls = ws
    _build(root, env, "--no-render")
    path = root / "specs" / "derived.yaml"
    value = read_yaml(path.read_text()).value
    flow = "{" + ",\n ".join(f"{key}: {json.dumps(item)}" for key, item in value.items()) + "}\n"
    path.write_text(flow.replace('"HELLO",', '"HELLO",  # loud'))  # the whole document in flow style
    assert run_gitspec(root, "check", env=env).code == 0
    before = path.read_bytes()
    _set_text(root, "bye")
    result = _build(root, env, "--no-render")
    assert result.code == 2, result
    assert result.err.startswith("specs/derived.yaml:") and "would drop the comment '# loud'" in result.err
    assert len(result.err.strip().splitlines()) == 1 and path.read_bytes() == before


def test_a_file_without_a_final_newline_keeps_its_ending_when_its_last_key_is_rebuilt(ws):
    root, env, calls = ws
    _build(root, env, "--no-render")
    path = root / "specs" / "derived.yaml"
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    _set_text(root, "bye")
    assert _build(root, env, "--no-render").code == 0
    assert path.read_bytes().endswith(b"\nlength: 3")


def test_pin_rewrites_only_its_pinned_list_keeping_every_other_byte(ws):
    root, env, calls = ws
    _build(root, env)
    path = root / "specs" / "derived.yaml"
    hand_written = "shout:\n  n: 1\n  on: ~\n  y: True\n  sign: +1\n  empty:\n  list: [a,  b]  # spaced\n"
    text = path.read_text().replace("shout: HELLO\n", hand_written) + "extra: {no: 'off', off: Null}\n"
    edited = text.replace("\n", "\r\n").encode()
    path.write_bytes(edited)

    assert run_gitspec(root, "pin", "derived#shout", env=env).code == 0
    assert path.read_bytes() == edited.replace(b"\r\nshout:", b"\r\npinned:\r\n  - shout\r\nshout:", 1)
    assert "derived#shout: pinned" in run_gitspec(root, "status", env=env).out
    assert run_gitspec(root, "pin", "--unpin", "derived#shout", env=env).code == 0
    assert path.read_bytes() == edited


def test_build_rewrites_only_the_lines_of_the_sections_and_stamps_it_changes(ws):
    root, env, calls = ws
    _build(root, env, "--no-render")
    path = root / "specs" / "derived.yaml"
    hand_written = "mine:\n  n: 1\n  on: ~\n  y: True\n  sign: +1\n  empty:\n  list: [a,  b]  # spaced\n"
    text = path.read_text().replace("shout: HELLO\n", "shout: HELLO\n" + hand_written)
    text = text.replace("length: 5\n", "length: 5  # by hand\n") + "extra: {no: 'off', off: Null}\n"
    edited = text.replace("\n", "\r\n").encode()
    path.write_bytes(edited)
    stamps, sections = edited.split(b"\r\nshout:")

    _set_text(root, "HELLO")  # the same outputs from new inputs: only their stamps change
    assert "regenerated derived#shout" in _build(root, env, "--no-render").out
    after = path.read_bytes().split(b"\r\nshout:")
    assert after[1] == sections and after[0] != stamps, after
    _set_text(root, "bye")
    assert "regenerated derived#shout" in _build(root, env, "--no-render").out
    after = path.read_bytes().split(b"\r\nshout:")
    assert after[1] == sections.replace(b" HELLO", b" BYE").replace(b"length: 5", b"length: 3"), after
    assert after[0].startswith(b"kind: notes\r\nid: derived\r\ntitle: Derived\r\ngenerated:\r\n  shout:\r\n")
    assert _crlf_only(path.read_bytes())
    assert run_gitspec(root, "status", env=env).code == 0


def test_tabs_yaml_allows_as_separators_and_in_plain_text_are_kept_by_build_and_pin(ws):
    root, env, calls = ws
    _build(root, env, "--no-render")
    path = root / "specs" / "derived.yaml"
    tabbed = "mine:\t# by hand\n  hue:\t271\t# brand blue\n  note: tab\there\n  more: a\n    b\tc  # two lines\n"
    text = path.read_text().replace("shout: HELLO\n", "shout: HELLO\n" + tabbed)
    path.write_text(text.replace("kind: notes\n", "kind:\tnotes\n \t\n"))
    assert run_gitspec(root, "check", env=env).code == 0

    _set_text(root, "bye")
    result = _build(root, env, "--no-render")
    assert result.code == 0 and "regenerated derived#shout" in result.out, result
    assert "shout: BYE\n" + tabbed in path.read_text() and path.read_text().startswith("kind:\tnotes\n \t\nid:")
    assert run_gitspec(root, "pin", "derived#shout", env=env).code == 0
    assert "pinned:\n  - shout\n" in path.read_text() and tabbed in path.read_text()
    assert run_gitspec(root, "pin", "--unpin", "derived#shout", env=env).code == 0
    assert "pinned" not in path.read_text() and tabbed in path.read_text()


def test_a_line_separator_that_only_some_yaml_readers_break_at_is_an_error_and_never_rewritten(ws):
    # Before, check passed a file that PyYAML read as two keys and ruamel (which rewrites) as one.
    root, env, calls = ws
    _build(root, env, "--no-render")
    _edit(root, "derived.yaml", "length: 5", "length: 5\u2028mine: a line separator is a line break to libyaml only")
    before = (root / "specs" / "derived.yaml").read_bytes()
    line = before.decode().split("\n").index("length: 5\u2028mine: a line separator is a line break to libyaml only") + 1
    check = run_gitspec(root, "check", env=env)
    assert check.code == 1 and (f"specs/derived.yaml:{line}:10: error: line separator U+2028: YAML readers disagree "
                                "whether it ends a line") in check.out, check
    for result in (run_gitspec(root, "pin", "derived#shout", env=env), (_set_text(root, "bye"), _build(root, env))[1]):
        assert result.code in (1, 2) and "derived.yaml" in result.out + result.err, result
        assert "Traceback" not in result.err and "internal error" not in result.err, result
    assert (root / "specs" / "derived.yaml").read_bytes() == before


def test_pin_of_a_document_that_cannot_be_read_names_the_file_and_its_error(ws):
    root, env, calls = ws
    _build(root, env)
    _edit(root, "derived.yaml", "shout: HELLO", "shout: MINE: yes")
    result = run_gitspec(root, "pin", "derived#shout", env=env)
    assert (result.code, result.out) == (1, ""), result
    line = (root / "specs" / "derived.yaml").read_text().splitlines().index("shout: MINE: yes") + 1
    assert result.err == (f"specs/derived.yaml:{line}:12: error: cannot pin derived#shout: the file cannot be read "
                          "(YAML syntax error: mapping values are not allowed in this context)\n"), result


# Saves an edit to the document (as an editor would) while gitspec has its new text on disk, not yet in place:
# the moment it flushes the temp file beside it. Only the standard library is hooked, never gitspec.
EDIT_WHILE_WRITING = """
import os
_fsync = os.fsync

def fsync(fd):
    _fsync(fd)
    name = os.readlink(f"/proc/self/fd/{fd}")
    if os.path.basename(name).startswith(".derived.yaml.") and not os.environ.get("EDITED"):
        os.environ["EDITED"] = "1"
        with open(os.path.join(os.path.dirname(name), "derived.yaml"), "a") as handle:
            handle.write("# saved meanwhile\\n")

os.fsync = fsync
"""


def test_pin_never_writes_over_an_edit_saved_while_it_runs(ws, tmp_path):
    root, env, calls = ws
    _build(root, env)
    _edit(root, "derived.yaml", "shout: HELLO", "shout: MINE")
    editor = tmp_path / "editor"
    editor.mkdir()
    (editor / "sitecustomize.py").write_text(EDIT_WHILE_WRITING)
    result = run_gitspec(root, "pin", "derived#shout", env={"PYTHONPATH": f"{editor}:{env['PYTHONPATH']}"})
    assert (result.code, result.out) == (1, ""), result
    assert result.err == ("gitspec: error: specs/derived.yaml changed while gitspec was pinning derived#shout; "
                          "run the pin again\n"), result
    derived = (root / "specs" / "derived.yaml").read_text()
    assert derived.endswith("shout: MINE\nlength: 5\n# saved meanwhile\n") and "pinned" not in derived
    assert not list((root / "specs").glob(".*.tmp"))
    assert run_gitspec(root, "pin", "derived#shout", env=env).code == 0


def test_pin_cache_and_render_in_a_read_only_checkout_work_or_say_why_not(ws, read_only):
    root, env, calls = ws
    _build(root, env)
    _edit(root, "derived.yaml", "shout: HELLO", "shout: MINE")
    edited = _snapshot(root)
    note = ("gitspec: note: cannot write .gitspec/index: Read-only file system; nothing is cached, "
            "so the next run reads every file again\n")
    pinned = run_gitspec(root, "pin", "derived#shout", env=env, prefix=read_only)
    assert pinned.code == 2, pinned
    assert pinned.err == note + "gitspec: error: cannot write specs/derived.yaml: Read-only file system\n", pinned
    stats = run_gitspec(root, "cache", "stats", env=env, prefix=read_only)
    assert stats.code == 0 and "cache entries: 3" in stats.out, stats
    lock = ("gitspec: error: cannot write .gitspec/build.lock: Read-only file system (gitspec "
            "keeps its cache in this folder: make it writable, or delete it)\n")
    for args in (["cache", "gc"], ["render"]):
        refused = run_gitspec(root, *args, env=env, prefix=read_only)
        assert refused.code == 2 and refused.err == lock and refused.out == "", (args, refused)
    assert _snapshot(root) == edited


def test_dry_run_in_a_read_only_checkout_lists_changes(ws, read_only):
    root, env, calls = ws
    _build(root, env)
    _set_text(root, "dry")
    before = _snapshot(root)
    result = run_gitspec(root, "build", "--dry-run", env=env, prefix=read_only)
    assert result.code == 0, result
    assert result.out == "would regenerate slow#value\nwould regenerate derived#shout\nwould regenerate " \
        "derived#length\nwould regenerate echoed#echo\n", result
    assert "error" not in result.err and result.err.endswith("gitspec: 0 sections regenerated (0 from cache, 0 "
                                                             "generated), 0 conflicts\n"), result
    assert _snapshot(root) == before and len(_calls(calls)) == 3


def test_dry_run_lists_changes_and_writes_nothing(ws):
    root, env, calls = ws
    _build(root, env)
    _set_text(root, "dry")
    before = _snapshot(root)
    result = _build(root, env, "--dry-run")
    assert result.code == 0
    assert "would regenerate derived#shout" in result.out and "would regenerate echoed#echo" in result.out
    assert _snapshot(root) == before and len(_calls(calls)) == 3


def test_a_stage_reading_a_document_that_cannot_be_read_is_skipped_not_fed_nothing(ws):
    root, env, calls = ws
    _build(root, env)
    before = _snapshot(root)
    source = root / "specs" / "source.yaml"
    source.write_text(SOURCE + "  oops: [\n")  # a typo: nothing in the file can be read
    result = _build(root, env, "--no-render")
    assert result.code == 1, result
    assert ("skipped: upper: skipped, its input source#text cannot be read: specs/source.yaml line 5: "
            "YAML syntax error") in result.err
    assert "skipped: echo: skipped, upstream stage 'upper' was not built" in result.err
    assert "skipped: sleepy: skipped, its input source#text cannot be read" in result.err
    assert "specs/source.yaml:5:" in result.err and "[yaml-syntax]" in result.err
    assert _snapshot(root) == {**before, "source.yaml": source.read_bytes()}  # nothing regenerated from nothing
    assert len(_calls(calls)) == 3
    status = run_gitspec(root, "status", env=env)
    assert status.code == 1, status
    assert status.out.startswith("unreadable: specs/source.yaml line 5: YAML syntax error")
    assert status.out.count("YAML syntax error") == 1, status  # once, not on every section it leaves unjudged
    assert status.out.splitlines()[1:] == ["  slow#value (its input source#text)",
                                           "  derived#shout, derived#length (its input source#text)"]
    assert status.err == "gitspec: 1 fresh, 3 unreadable\n"
    rows = run_gitspec(root, "status", "--format", "json", env=env).json()
    assert {row["address"]: row["state"] for row in rows}["derived#length"] == "unreadable"
    assert all(row["reason"] == "its input source#text cannot be read: specs/source.yaml line 5: YAML syntax "
               "error: mapping values are not allowed in this context" for row in rows if row["state"] == "unreadable")


def test_status_as_json_lists_what_text_lists_and_everything_with_all(ws):
    # Before, `status --format json` listed fresh sections too, with or without --all.
    root, env, calls = ws
    assert _build(root, env).code == 0
    assert run_gitspec(root, "status", env=env).out == ""
    assert run_gitspec(root, "status", "--format", "json", env=env).json() == []
    everything = run_gitspec(root, "status", "--all", "--format", "json", env=env).json()
    assert {row["state"] for row in everything} == {"fresh"} and len(everything) == 4
    (root / "specs" / "source.yaml").write_text(SOURCE.replace("hello", "howdy"))
    stale = run_gitspec(root, "status", "--format", "json", env=env)
    text = run_gitspec(root, "status", env=env)
    assert stale.code == text.code == 1
    assert [row["address"] for row in stale.json()] == [line.split(":")[0] for line in text.out.splitlines()] != []


def test_a_stage_whose_own_document_cannot_be_read_is_skipped_and_the_rest_built(ws):
    root, env, calls = ws
    _build(root, env)
    derived = root / "specs" / "derived.yaml"
    derived.write_text(derived.read_text() + "  oops: [\n")
    broken = derived.read_bytes()
    _set_text(root, "changed")
    result = _build(root, env, "--no-render")
    assert result.code == 1, result
    assert "skipped: upper: skipped, its document derived cannot be read: specs/derived.yaml line" in result.err
    assert "skipped: echo: skipped, upstream stage 'upper' was not built" in result.err
    assert "regenerated slow#value" in result.out and derived.read_bytes() == broken
    status = run_gitspec(root, "status", env=env)
    assert "unreadable: specs/derived.yaml line" in status.out
    assert "  derived#shout, derived#length (its document derived)\n" in status.out
    assert "derived#shout: missing" not in status.out


def test_only_runs_one_stage(ws):
    root, env, calls = ws
    result = _build(root, env, "--only", "upper")
    assert result.code == 0 and _calls(calls) == ["upper"]
    assert not (root / "specs" / "echoed.yaml").exists()
    bad = _build(root, env, "--only", "nope")
    assert bad.code == 2 and "unknown stage 'nope'" in bad.err


@pytest.mark.parametrize("limits, why", [
    (("--only", "echo"), "--only leaves it out (add --only upper)"),
    (("echoed#echo", "--only", "upper", "--only", "echo"), ""),  # both stages run: forced
    (("slow#value",), "the ADDRESSes given do not need it (name it as an ADDRESS too)"),
    (("echoed#echo",), ""),  # upstream of the address: forced
])
def test_a_forced_section_whose_stage_the_build_does_not_run_is_a_usage_error(ws, limits, why):
    # Before, the --force was silently ignored: exit 0, the hand edit still there.
    root, env, calls = ws
    _build(root, env, "--no-render")
    _edit(root, "derived.yaml", "shout: HELLO", "shout: MINE")
    before = _snapshot(root)
    result = _build(root, env, "--no-render", *limits, "--force", "derived#shout")
    if why:
        assert (result.code, result.out) == (2, ""), result
        assert result.err == ("gitspec: error: argument --force: derived#shout is written by stage 'upper', which "
                              f"this build does not run: {why}\n"), result
        assert _snapshot(root) == before
    else:
        assert result.code == 0 and "regenerated derived#shout" in result.out, result
        assert "shout: HELLO" in (root / "specs" / "derived.yaml").read_text()


def test_deleted_output_comes_back_from_the_cache_without_a_call(ws):
    root, env, calls = ws
    _build(root, env)
    original = (root / "specs" / "derived.yaml").read_text()
    (root / "specs" / "derived.yaml").unlink()
    result = _build(root, env, "--json")
    complete = json.loads(result.out.splitlines()[-1])
    assert complete["cache_hits"] >= 1 and complete["provider_calls"] == 0
    assert len(_calls(calls)) == 3
    assert (root / "specs" / "derived.yaml").read_text() == original


def test_corrupt_objects_are_discarded_and_regenerated(ws):
    root, env, calls = ws
    _build(root, env)
    for path in (root / ".gitspec" / "objects").glob("??/*"):
        path.write_bytes(b"{corrupt")
    (root / "specs" / "derived.yaml").unlink()
    result = _build(root, env)
    assert result.code == 0, result
    assert "shout: HELLO" in (root / "specs" / "derived.yaml").read_text()
    assert _calls(calls).count("upper") == 2


def test_two_builds_at_once_serialise(ws, tmp_path):
    root, env, calls = ws
    config = (root / "gitspec.yaml").read_text().replace("  sleepy: {", "  sleepy: {seconds: 1.5, ")
    (root / "gitspec.yaml").write_text(config)
    full_env = {**os.environ, **GIT_ENV, **env}
    procs = [subprocess.Popen([GITSPEC, "build"], cwd=root, env=full_env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert sorted(_calls(calls)) == ["echo", "sleepy", "upper"]  # the second found everything fresh
    assert run_gitspec(root, "check", env=env).code == 0


def test_a_build_killed_mid_way_leaves_valid_files_and_no_stale_lock(ws):
    root, env, calls = ws
    config = (root / "gitspec.yaml").read_text().replace("  sleepy: {", "  sleepy: {seconds: 30, ")
    (root / "gitspec.yaml").write_text(config)
    proc = subprocess.Popen([GITSPEC, "build", "--jobs", "1"], cwd=root, env={**os.environ, **GIT_ENV, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 30
    while "sleepy" not in _calls(calls) and time.time() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for path in (root / "specs").glob("*.yaml"):
        assert path.read_text().startswith("kind: notes") or path.read_text().startswith("#")
    assert not list((root / "specs").glob(".*.tmp"))
    (root / "gitspec.yaml").write_text(config.replace("seconds: 30, ", ""))
    result = _build(root, env, "--lock-timeout", "2")
    assert result.code == 0, result
    assert (root / "specs" / "slow.yaml").exists()
    assert run_gitspec(root, "check", env=env).code == 0


def test_lock_timeout_names_the_lock(ws):
    root, env, calls = ws
    config = (root / "gitspec.yaml").read_text().replace("  sleepy: {", "  sleepy: {seconds: 3, ")
    (root / "gitspec.yaml").write_text(config)
    proc = subprocess.Popen([GITSPEC, "build"], cwd=root, env={**os.environ, **GIT_ENV, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while "sleepy" not in _calls(calls) and time.time() < deadline:
        time.sleep(0.05)
    result = _build(root, env, "--lock-timeout", "0.2")
    proc.wait(timeout=60)
    # before, exit 1, which README's table calls findings
    assert result.code == 2 and "another gitspec build or render holds" in result.err, result
    assert "(waited 0.2 s; try again, or raise --lock-timeout)" in result.err


@pytest.mark.parametrize("address, expected", [
    ("derived#shuot", "argument --force: no stage writes derived#shuot (did you mean derived#shout?)"),
    ("nosuch", "argument --force: 'nosuch' is not an address (DOC-ID#SECTION[/pointer])"),
])
def test_force_of_a_section_no_stage_writes_is_refused_before_building(ws, address, expected):
    root, env, calls = ws
    result = _build(root, env, "--force", address)
    assert result.code == 2, result
    assert result.err == f"gitspec: error: {expected}\n"
    assert _calls(calls) == [] and not (root / "specs" / "derived.yaml").exists()


def test_force_of_a_pointer_regenerates_its_section(ws):
    root, env, calls = ws
    _build(root, env)
    _edit(root, "derived.yaml", "shout: HELLO", "shout: HI")
    assert _build(root, env, "--force", "derived#shout/0").code == 0
    assert "shout: HELLO" in (root / "specs" / "derived.yaml").read_text()


@pytest.mark.parametrize("command", ["build", "render"])
@pytest.mark.parametrize("seconds", ["nan", "-1", "inf"])
def test_lock_timeout_that_would_wait_for_ever_is_refused(repo, command, seconds):
    result = run_gitspec(repo({}), command, f"--lock-timeout={seconds}")
    assert result.code == 2, result
    assert f"error: argument --lock-timeout: '{seconds}' must be a finite number of seconds" in result.err
    assert "Traceback" not in result.err


def test_json_events_and_trace_file(ws, tmp_path):
    root, env, calls = ws
    trace = tmp_path / "trace.json"
    result = _build(root, env, "--json", "--trace", str(trace))
    events = [json.loads(line) for line in result.out.splitlines()]
    kinds = {e["event"] for e in events}
    assert {"status", "partial", "complete"} <= kinds
    assert all(0 <= e["progress"] <= 100 for e in events)
    assert events[-1]["event"] == "complete" and events[-1]["progress"] == 100
    spans = [e for e in json.loads(trace.read_text())["traceEvents"] if e["ph"] == "X"]
    stages = [s for s in spans if s["cat"] == "stage"]
    assert {s["name"] for s in stages} == {"upper", "echo", "sleepy"}
    assert all(s["args"]["cache"] == "miss" for s in stages)
    renders = {s["name"] for s in spans if s["cat"] == "render"}
    assert {"render html source", "render html derived", "render html site"} <= renders, renders


def test_json_events_say_why_a_build_fails(ws):
    root, env, calls = ws
    (root / "specs" / "tasks.yaml").write_text("kind: tasks\nid: tasks\ntitle: Tasks\nitems:\n  - id: TASK-001\n"
                                              "    title: Do\n    requirements: [REQ-404]\n    status: todo\n"
                                              "    priority: p1\n    ownerRole: backend\n")
    result = _build(root, env, "--json", "--no-render")
    events = [json.loads(line) for line in result.out.splitlines()]
    assert result.code == 1 and events[-1]["exit_code"] == 1, result
    assert all({"event", "stage", "progress"} <= set(e) for e in events), events
    assert [e for e in events if e["event"] == "error"] == [
        {"event": "error", "stage": "", "progress": 100, "file": "specs/tasks.yaml", "line": 7, "col": 20,
         "message": "unknown requirement 'REQ-404'", "rule": "unknown-reference"}]
    (root / "specs" / "tasks.yaml").unlink()

    _build(root, env)
    _edit(root, "derived.yaml", "shout: HELLO", "shout: MINE")
    _set_text(root, "bye")
    conflict = [json.loads(line) for line in _build(root, env, "--json").out.splitlines()]
    errors = {e["stage"]: e["message"] for e in conflict if e["event"] == "error"}
    assert errors["upper"].startswith("derived#shout was edited by hand")
    assert errors["echo"] == "skipped, upstream stage 'upper' was not built"  # as the text report says
    assert all("progress" in e for e in conflict)

    (root / "gitspec.yaml").write_text("specs: [specs]\nformats: [html, rtf]\n")
    config = _build(root, env, "--json")
    assert config.code == 2 and [json.loads(line) for line in config.out.splitlines()] == [
        {"event": "error", "stage": "", "progress": 100, "file": "gitspec.yaml", "line": 2, "col": 17,
         "message": config.err.split(": error: ", 1)[1].strip()},
        {"event": "complete", "stage": "", "progress": 100, "exit_code": 2}], config
    assert len(config.err.splitlines()) == 1


@pytest.mark.parametrize("args, message", [
    (["--json", "--jobs", "abc"], "argument --jobs: 'abc' is not a whole number"),
    (["--lock-timeout", "-1", "--json"], "argument --lock-timeout: '-1' must be a finite number of seconds, 0 or more"),
    (["--json", "--bogus"], "unrecognized arguments: --bogus"),
])
def test_json_events_tell_a_usage_error_the_argument_parser_finds(repo, args, message):
    result = run_gitspec(repo({}), "build", *args)
    assert result.code == 2 and [json.loads(line) for line in result.out.splitlines()] == [
        {"event": "error", "stage": "", "progress": 100, "file": None, "line": None, "col": None, "message": message},
        {"event": "complete", "stage": "", "progress": 100, "exit_code": 2}], result
    assert result.err.splitlines()[-1].endswith(f"error: {message}") and "Traceback" not in result.err


def test_a_usage_error_without_json_prints_nothing_on_stdout(repo):
    result = run_gitspec(repo({}), "build", "--jobs", "abc")
    assert (result.code, result.out) == (2, ""), result
    assert result.err.splitlines()[-1] == "gitspec build: error: argument --jobs: 'abc' is not a whole number"


@pytest.mark.parametrize("given, reason", [
    ("specs/source.yaml", "specs/source.yaml is in the spec folder 'specs'"),
    ("gitspec.yaml", "gitspec.yaml is the workspace's gitspec.yaml"),
    ("notes.txt", "notes.txt exists and is not a trace gitspec wrote; remove it or name another file"),
    ("missing/dir/t.json", "the folder missing/dir of missing/dir/t.json does not exist"),
    ("", "needs a file name"),
    ("specs", "specs is a folder, not a file"),
    (".", ". is a folder, not a file"),
    # before, these were written: a file of gitspec's in git's or gitspec's own folder
    (".git/trace.json", ".git/trace.json is inside .git or .gitspec, which belong to git and gitspec"),
    (".gitspec/trace.json", ".gitspec/trace.json is inside .git or .gitspec, which belong to git and gitspec"),
])
def test_trace_that_would_replace_a_file_not_its_own_is_refused_before_building(ws, given, reason):
    root, env, calls = ws
    (root / "notes.txt").write_text("mine\n")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}
    result = _build(root, env, "--trace", given)
    assert result.code == 2, result
    assert result.err == f"gitspec: error: argument --trace: {reason}\n"
    assert _calls(calls) == [] and not (root / "missing").exists() and not (root / ".git" / "trace.json").exists()
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts} == before


def test_trace_replaces_a_trace_it_wrote(ws):
    root, env, calls = ws
    assert _build(root, env, "--trace", "trace.json").code == 0
    _set_text(root, "again")
    assert _build(root, env, "--trace", "trace.json").code == 0, "the second build may replace its own trace"
    assert {"upper", "echo"} <= {e["name"] for e in json.loads((root / "trace.json").read_text())["traceEvents"]}


def test_a_trace_may_go_in_a_spec_folder_where_it_is_not_read_as_a_document(ws):
    root, env, calls = ws  # (with `specs: [.]` every path is in a spec folder)
    assert _build(root, env, "--trace", "specs/trace.json").code == 0
    assert "traceEvents" in json.loads((root / "specs" / "trace.json").read_text())


def test_stage_cycle_is_a_configuration_error(ws, tmp_path):
    root, env, calls = ws
    plugin = install_plugin(tmp_path / "cycle", "cyclestages", {"cyclestages.py": (
        "from gitspec import hookimpl\nfrom gitspec.stage import Output, Stage\n"
        "@hookimpl\ndef gitspec_stages():\n"
        "    return [Stage('a', '1', 'a', 'notes', 'A', ('b#x',), (Output('x', ('b#x',)),), dict),\n"
        "            Stage('b', '1', 'b', 'notes', 'B', ('a#x',), (Output('x', ('a#x',)),), dict)]\n")})
    result = _build(root, {"PYTHONPATH": f"{env['PYTHONPATH']}:{plugin['PYTHONPATH']}"})
    assert result.code == 2 and "stage cycle: a → b → a" in result.err


def test_cache_stats_and_gc(ws):
    root, env, calls = ws
    _build(root, env)
    _set_text(root, "second")
    _build(root, env)
    stats = run_gitspec(root, "cache", "stats", env=env)
    assert stats.code == 0 and "cache entries: 6" in stats.out
    (root / ".gitspec" / "renders").mkdir(exist_ok=True)
    (root / ".gitspec" / "renders" / "pages.pickle").write_bytes(b"from an older gitspec")
    (root / ".gitspec" / "renders" / "html.json").write_text("{}")
    gc = run_gitspec(root, "cache", "gc", env=env)
    assert gc.code == 0 and "removed 3 cache entries" in gc.err
    assert "removed 1 old file(s) from .gitspec/renders" in gc.err
    assert sorted(p.name for p in (root / ".gitspec" / "renders").iterdir()) == ["html.json"]
    assert "cache entries: 3" in run_gitspec(root, "cache", "stats", env=env).out
    (root / "specs" / "derived.yaml").unlink()
    _build(root, env)
    assert _calls(calls).count("upper") == 2  # still served from the cache after gc


def _journal_plugin(tmp_path):
    """A Markdown stage: facts#text -> journal#summary, a generated region in specs/journal.md."""
    return install_plugin(tmp_path / "mdplugin", "mdstages", {
        "mdstages.py": (
            "from gitspec import hookimpl\nfrom gitspec.kinds import Kind\nfrom gitspec.stage import Output, Stage\n"
            "from pathlib import Path\n"
            "@hookimpl\ndef gitspec_kinds():\n    return [Kind('journal', Path(__file__).with_name('journal.schema.json'))]\n"
            "@hookimpl\ndef gitspec_stages():\n"
            "    return [Stage('digest', '1', 'journal', 'journal', 'Journal', ('facts#text',),\n"
            "                  (Output('summary', ('facts#text',)),),\n"
            "                  lambda inp: {'summary': 'The facts say **' + inp.get('facts#text', '') + '**.\\n'})]\n"),
        "journal.schema.json": (
            '{"$schema": "https://json-schema.org/draft/2020-12/schema", '
            '"$id": "https://gitspec.dev/schemas/journal.schema.json",'
            ' "description": "Test kind.", "type": "object", "$ref": "common.schema.json#/$defs/header"}')})


def test_markdown_generated_regions_carry_their_stamp_in_marker_comments(repo, tmp_path):
    env = _journal_plugin(tmp_path)
    journal = "---\nkind: journal\nid: journal\n---\n# Journal\n\n## Notes\nWritten by hand.\n"
    root = repo({"specs/facts.yaml": "kind: journal\nid: facts\ntitle: Facts\ntext: calm\n",
                 "specs/journal.md": journal}, config="specs: [specs]\nformats: []\n")
    assert run_gitspec(root, "build", env=env).code == 0
    text = (root / "specs" / "journal.md").read_text()
    assert text.startswith(journal)  # the hand-written part is untouched
    assert "## Summary\n\n<!-- gitspec:generated {" in text and '"stage":"digest"' in text
    assert "The facts say **calm**.\n<!-- gitspec:end -->" in text
    assert run_gitspec(root, "status", env=env).out == ""
    (root / "specs" / "journal.md").write_text(text.replace("**calm**", "**calm, mostly**"))
    status = run_gitspec(root, "status", env=env)
    assert "journal#summary: hand-edited" in status.out
    (root / "specs" / "facts.yaml").write_text("kind: journal\nid: facts\ntitle: Facts\ntext: stormy\n")
    conflict = run_gitspec(root, "build", env=env)
    assert conflict.code == 1 and "conflict: journal#summary was edited by hand" in conflict.err
    forced = run_gitspec(root, "build", "--force", "journal#summary", env=env)
    assert forced.code == 0 and "**stormy**" in (root / "specs" / "journal.md").read_text()
    assert run_gitspec(root, "check", env=env).code == 0


@pytest.mark.parametrize("where", ["after", "before"])
def test_text_written_next_to_a_markdown_region_is_a_hand_edit_of_its_section(repo, tmp_path, where):
    env = _journal_plugin(tmp_path)
    root = repo({"specs/facts.yaml": "kind: journal\nid: facts\ntitle: Facts\ntext: calm\n",
                 "specs/journal.md": "---\nkind: journal\nid: journal\n---\n# Journal\n"},
                config="specs: [specs]\nformats: []\n")
    assert run_gitspec(root, "build", env=env).code == 0
    journal = root / "specs" / "journal.md"
    text = journal.read_text()
    if where == "after":  # still inside '## Summary'
        journal.write_text(text + "See also the notes above.\n")
    else:
        journal.write_text(text.replace("\n<!-- gitspec:", "\nSee also the notes above.\n<!-- gitspec:", 1))
    edited = journal.read_bytes()
    status = run_gitspec(root, "status", env=env)
    assert "journal#summary: hand-edited" in status.out, status
    check = run_gitspec(root, "check", env=env)
    assert "warning: journal#summary was edited by hand" in check.out, check
    (root / "specs" / "facts.yaml").write_text("kind: journal\nid: facts\ntitle: Facts\ntext: stormy\n")
    conflict = run_gitspec(root, "build", env=env)
    assert conflict.code == 1 and "conflict: journal#summary was edited by hand" in conflict.err, conflict
    assert journal.read_bytes() == edited
    assert run_gitspec(root, "pin", "journal#summary", env=env).code == 0
    pinned = run_gitspec(root, "build", env=env)
    assert pinned.code == 0 and "journal#summary is pinned, but its inputs changed" in pinned.err, pinned
    assert "See also the notes above." in journal.read_text()
    forced = run_gitspec(root, "build", "--force", "journal#summary", env=env)
    assert forced.code == 0 and "**stormy**" in journal.read_text(), forced
    assert "See also" not in journal.read_text()


def _crlf_only(data: bytes) -> bool:
    return data.count(b"\n") == data.count(b"\r\n") > 0


def test_a_crlf_yaml_document_keeps_its_line_endings_when_rebuilt(ws):
    root, env, calls = ws
    _build(root, env, "--no-render")
    derived = root / "specs" / "derived.yaml"
    derived.write_bytes(derived.read_bytes().replace(b"\n", b"\r\n"))
    assert run_gitspec(root, "status", env=env).code == 0  # line endings are no edit
    _set_text(root, "windows")
    result = _build(root, env, "--no-render")
    assert result.code == 0 and "regenerated derived#shout" in result.out, result
    assert b"shout: WINDOWS\r\n" in derived.read_bytes() and _crlf_only(derived.read_bytes())
    assert run_gitspec(root, "status", env=env).code == 0


@pytest.mark.parametrize("newline", [b"\r", b"\r\n"], ids=["cr", "crlf"])
def test_a_yaml_document_keeps_its_own_line_endings_when_rebuilt_and_pinned(ws, newline):
    # Before, a document saved with a CR alone ending each line (as old Macs save) got LF lines mixed into it.
    root, env, calls = ws
    _build(root, env, "--no-render")
    derived = root / "specs" / "derived.yaml"
    text = derived.read_bytes().replace(b"shout: HELLO\n", b"# shouted\nshout: HELLO # loud\n")
    derived.write_bytes(text.replace(b"\n", newline))
    assert run_gitspec(root, "status", env=env).code == 0  # line endings are no edit
    _set_text(root, "old mac")
    result = _build(root, env, "--no-render")
    assert result.code == 0 and "regenerated derived#shout" in result.out, result
    assert b"# shouted" + newline + b"shout: OLD MAC # loud" + newline in derived.read_bytes()
    derived.write_bytes(derived.read_bytes().replace(b"OLD MAC", b"MINE"))
    assert run_gitspec(root, "pin", "derived#shout", env=env).code == 0
    assert newline + b"pinned:" + newline + b"  - shout" + newline in derived.read_bytes()
    assert run_gitspec(root, "pin", "--unpin", "derived#shout", env=env).code == 0
    written = derived.read_bytes()
    assert written.replace(newline, b"") == written.replace(b"\r", b"").replace(b"\n", b""), written  # no other
    assert b"pinned" not in written and b"# shouted" + newline + b"shout: MINE # loud" + newline in written
    assert "derived#shout: hand-edited\n" in run_gitspec(root, "status", env=env).out


def test_a_yaml_document_keeps_its_byte_order_mark_when_rebuilt(ws):
    root, env, calls = ws
    _build(root, env, "--no-render")
    derived = root / "specs" / "derived.yaml"
    derived.write_bytes(b"\xef\xbb\xbf" + derived.read_bytes())  # as some Windows editors save it
    _set_text(root, "marked")
    assert _build(root, env, "--no-render").code == 0
    assert derived.read_bytes().startswith(b"\xef\xbb\xbfkind:") and b"shout: MARKED" in derived.read_bytes()
    assert run_gitspec(root, "status", env=env).code == 0


def test_a_markdown_document_keeps_its_byte_order_mark_when_a_region_is_written(repo, tmp_path):
    journal_env = _journal_plugin(tmp_path)
    journal = "\ufeff---\nkind: journal\nid: journal\n---\n# Journal\n\n## Notes\nWritten by hand.\n"
    md = repo({"specs/facts.yaml": "kind: journal\nid: facts\ntitle: Facts\ntext: calm\n",
               "specs/journal.md": journal.encode()}, config="specs: [specs]\nformats: []\n")
    assert run_gitspec(md, "build", env=journal_env).code == 0
    assert (md / "specs" / "journal.md").read_bytes().startswith(journal.encode())


def test_a_crlf_markdown_document_keeps_its_line_endings_when_a_region_is_written(repo, tmp_path):
    env = _journal_plugin(tmp_path)
    journal = "---\r\nkind: journal\r\nid: journal\r\n---\r\n# Journal\r\n\r\n## Notes\r\nWritten by hand.\r\n"
    root = repo({"specs/facts.yaml": "kind: journal\nid: facts\ntitle: Facts\ntext: calm\n",
                 "specs/journal.md": journal.encode()}, config="specs: [specs]\nformats: []\n")
    path = root / "specs" / "journal.md"
    for text in ("calm", "stormy"):  # a new region, then one rewritten
        (root / "specs" / "facts.yaml").write_text(f"kind: journal\nid: facts\ntitle: Facts\ntext: {text}\n")
        result = run_gitspec(root, "build", env=env)
        assert result.code == 0 and "regenerated journal#summary" in result.out, result
        written = path.read_bytes()
        assert written.startswith(journal.encode()) and _crlf_only(written), written
        assert f"The facts say **{text}**.\r\n<!-- gitspec:end -->\r\n".encode() in written
        assert run_gitspec(root, "status", env=env).out == ""


@pytest.mark.skipif(not shutil.which("prlimit"), reason="needs prlimit to cap gitspec's memory")
def test_a_document_far_over_max_file_size_is_not_read_whole(repo):
    # Before, status, build and render read it whole to look for its id: one bigger than the memory
    # they may use stopped them (exit 3).
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    big = root / "specs" / "big.md"
    big.write_text("---\nkind: prd\nid: big\ntitle: Big\n---\n")
    with open(big, "r+b") as file:
        file.truncate(640 << 20)  # sparse: no disk used
    for command in (("status",), ("build", "--no-render"), ("render", "--format", "html")):
        result = run_gitspec(root, *command, prefix=("prlimit", f"--as={512 << 20}"))
        assert result.code in (0, 1) and "internal error" not in result.err, (command, result)
        assert command == ("status",) or "big.md" in result.err and "file is 671,088,640 bytes" in result.err, result


def test_a_spec_folder_build_cannot_write_is_one_line_naming_the_file(ws):
    # Before, a PermissionError from the document's temp file was an internal error (exit 3), and with
    # --json the stream ended with no error or complete event.
    root, env, calls = ws
    (root / "specs").chmod(0o555)
    try:
        text = run_gitspec(root, "build", "--no-render", env=env, prefix=without_read_all())
        events = run_gitspec(root, "build", "--no-render", "--json", env=env, prefix=without_read_all())
    finally:
        (root / "specs").chmod(0o755)
    written = r"cannot write specs/(derived|slow)\.yaml: Permission denied"  # whichever stage comes first
    assert text.code == 2 and re.fullmatch("gitspec: error: " + written, text.err.splitlines()[-1]), text
    assert "internal error" not in text.err and not list((root / ".gitspec" / "logs").glob("*")), text
    assert events.code == 2, events
    error, complete = (json.loads(line) for line in events.out.splitlines()[-2:])
    assert error["event"] == "error" and re.fullmatch(written, error["message"]), error
    assert complete == {"event": "complete", "stage": "", "progress": 100, "exit_code": 2}
    assert sorted(p.name for p in (root / "specs").iterdir()) == [".keep", "source.yaml"]  # no temp file left
    assert _build(root, env, "--no-render").code == 0


def test_a_code_folder_build_cannot_write_is_one_line_naming_the_file(tmp_path):
    root = make_repo(tmp_path / "demo", {}, commit=False)
    assert run_gitspec(root, "init").code == 0
    assert run_gitspec(root, "new", "product", "Build a billing dashboard").code == 0
    (root / "generated").mkdir(mode=0o555)
    try:
        result = run_gitspec(root, "build", "--no-render", prefix=without_read_all())
    finally:
        (root / "generated").chmod(0o755)
    assert result.code == 2 and result.err.splitlines()[-1] == "gitspec: error: cannot write " \
        "generated/app/__init__.py: Permission denied", result
    assert run_gitspec(root, "build", "--no-render").code == 0


def test_a_trace_in_a_folder_that_cannot_be_written_is_refused_before_building(ws):
    # Before, the whole build ran and rewrote the specs, then the trace's write failed (exit 2).
    root, env, calls = ws
    (root / "traces").mkdir(mode=0o555)
    before = _snapshot(root)
    try:
        result = run_gitspec(root, "build", "--trace", "traces/t.json", env=env, prefix=without_read_all())
    finally:
        (root / "traces").chmod(0o755)
    assert result.code == 2 and result.out == "", result
    assert result.err == "gitspec: error: argument --trace: cannot write traces/t.json: Permission denied\n", result
    assert _calls(calls) == [] and _snapshot(root) == before and list((root / "traces").iterdir()) == []


@pytest.mark.parametrize("signum, word, code", [(signal.SIGINT, "interrupted", 130),
                                                (signal.SIGTERM, "terminated", 143)])
def test_build_json_ends_with_an_error_and_the_complete_event_when_stopped(ws, signum, word, code):
    # Before, Ctrl-C or SIGTERM ended the stream with no `error` and no `complete` event.
    # (a long sleep: under load the signal must still come while the stage runs; the stop does not wait for it)
    root, env, calls = ws
    config = (root / "gitspec.yaml").read_text().replace("  sleepy: {", "  sleepy: {seconds: 20, ")
    (root / "gitspec.yaml").write_text(config)
    proc = subprocess.Popen([GITSPEC, "build", "--json", "--jobs", "1"], cwd=root, env={**os.environ, **GIT_ENV, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 30
    while "sleepy" not in _calls(calls) and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == code and err == f"gitspec: {word}\n", (out, err)
    *_, error, complete = [json.loads(event) for event in out.splitlines()]
    assert error["event"] == "error" and error["message"] == word, out
    assert complete == {"event": "complete", "stage": "", "progress": 100, "exit_code": code}


def test_build_json_read_by_a_reader_that_goes_away_is_quiet(ws):
    """`build --json | head -c 100` printed "internal error (BrokenPipeError ...)" and wrote a crash log."""
    root, env, _ = ws
    done = subprocess.run(f"{GITSPEC} build --json --no-render | head -c 20", shell=True, cwd=root,
                          capture_output=True, text=True, env={**os.environ, **GIT_ENV, **env})
    assert done.returncode == 0 and len(done.stdout) == 20 and done.stderr == "", done
    assert not (root / ".gitspec" / "logs").exists() or not list((root / ".gitspec" / "logs").iterdir())


def test_a_document_a_stage_would_make_over_max_file_size_is_not_written(repo, stage_plugin, tmp_path):
    # Before, build wrote it, then reported the file it had just written as too large (exit 1), and
    # every later build skipped the stage: it could not read its own document.
    root = repo({"specs/source.yaml": SOURCE}, config="specs: [specs]\nformats: []\nmax_file_size: 1400\n")
    assert _build(root, stage_plugin, "--only", "upper").code == 0
    before = _snapshot(root)
    _set_text(root, "x" * 1000)  # the source stays under the limit; derived.yaml, stamped twice, would not
    result = _build(root, stage_plugin, "--only", "upper")
    assert result.code == 1, result
    assert re.fullmatch(r"specs/derived\.yaml:1:1: error: stage 'upper' would make this file 1,\d{3} bytes, over "
                        r"the 1,400-byte limit \(max_file_size in gitspec\.yaml\); its largest new section is "
                        r"derived#shout; nothing was written", result.err.splitlines()[-1]), result
    assert _snapshot(root) == {**before, "source.yaml": (root / "specs" / "source.yaml").read_bytes()}
    again = run_gitspec(root, "check", env=stage_plugin)
    assert again.code == 1 and "file-too-large" not in again.out and "stale" in again.out, again


def test_status_and_build_warn_alike_of_a_stage_whose_inputs_are_all_missing(ws):
    # Before, once the stage had generated, status said "reads an input that does not exist" where build
    # said "did not run: none of its inputs exists" of the same workspace.
    root, env, _ = ws
    assert _build(root, env, "--no-render").code == 0
    (root / "specs" / "source.yaml").write_text(SOURCE.replace("text: hello", "body: hello"))
    said = "warning: stage 'upper' did not run: none of its inputs exists (source#text: specs/source.yaml has no " \
           "section 'text')"
    status = run_gitspec(root, "status", env=env)
    build = _build(root, env, "--no-render")
    assert said in status.err and said in build.err, (status, build)


def test_a_tagged_value_yaml_1_2_refuses_stops_the_build_of_its_document_and_is_never_rewritten(example):
    # `!!bool yes` was read as false by check and written back as `true` by build: the DDL flipped each build
    architecture = example / "specs" / "architecture.yaml"
    field = "        - {name: taxId, type: string, description: VAT or GST number.}\n"
    text = architecture.read_text()
    assert field in text
    architecture.write_text(text.replace(field, field + "        - {name: isVip, type: boolean, default: !!bool yes}\n"))
    before = architecture.read_bytes()

    built = run_gitspec(example, "build", "--no-render")
    assert built.code == 1, built
    assert "specs/architecture.yaml:97:49: error: !!bool 'yes' is not valid YAML 1.2" in built.err, built
    assert architecture.read_bytes() == before
