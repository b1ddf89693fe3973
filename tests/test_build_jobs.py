"""`gitspec build --jobs N`: independent stages of one DAG level run at the same time, and only then.

Two test stages, `left` and `right`, both read source#text and nothing else, so
they form one level. Each records when its generate starts and ends. So that
the test proves overlap without trusting the clock or the machine's load, each
stage, once started, waits for the other to start (a rendezvous through the
log file): with two workers both are running together; with one worker the
first waits in vain for a short while and the second starts only after it
ended.
"""
from __future__ import annotations

import json

import pytest

from conftest import install_plugin, run_gitspec

PLUGIN = '''
import time
from pathlib import Path
from gitspec import hookimpl
from gitspec.kinds import Kind
from gitspec.stage import Output, Stage

HERE = Path(__file__).resolve().parent

def _record(log, line):
    with open(log, "a") as handle:
        handle.write(line + "\\n")

def _started(log):
    return {line.split()[1] for line in Path(log).read_text().splitlines() if line.startswith("start ")}

def _stage(name, peer):
    def generate(inp):
        log, wait = inp.options["log"], float(inp.options["wait"])
        _record(log, f"start {name} {time.monotonic()}")
        deadline = time.monotonic() + wait
        while peer not in _started(log) and time.monotonic() < deadline:
            time.sleep(0.01)
        _record(log, f"end {name} {time.monotonic()}")
        return {"value": name + ": " + inp.get("source#text", "")}
    return Stage(name, "1", name, "notes", name.title(), ("source#text",),
                 (Output("value", ("source#text",)),), generate)

@hookimpl
def gitspec_kinds():
    return [Kind("notes", HERE / "notes.schema.json")]

@hookimpl
def gitspec_stages():
    return [_stage("left", "right"), _stage("right", "left")]
'''

NOTES_SCHEMA = ('{"$schema": "https://json-schema.org/draft/2020-12/schema", '
                '"$id": "https://gitspec.dev/schemas/notes.schema.json", "description": "Notes for tests.", '
                '"type": "object", "$ref": "common.schema.json#/$defs/header"}')

SOURCE = "kind: notes\nid: source\ntitle: Source\ntext: hello\n"


@pytest.fixture
def ws(repo, tmp_path):
    env = install_plugin(tmp_path / "jobsplugin", "jobstages",
                         {"jobstages.py": PLUGIN, "notes.schema.json": NOTES_SCHEMA})

    def workspace(wait: float):
        log = tmp_path / "stages.log"
        options = f"{{log: {log}, wait: {wait}}}"
        # formats: [] — rendering has its own tests; this is about generation only.
        root = repo({"specs/source.yaml": SOURCE},
                    config=f"specs: [specs]\nformats: []\nplugins:\n  left: {options}\n  right: {options}\n")
        return root, env, log

    return workspace


def _intervals(log) -> dict[str, tuple[float, float]]:
    times: dict[str, dict[str, float]] = {}
    for line in log.read_text().splitlines():
        what, name, when = line.split()
        times.setdefault(name, {})[what] = float(when)
    return {name: (t["start"], t["end"]) for name, t in times.items()}


def _overlap(a: tuple[float, float], b: tuple[float, float], slack: float = 0) -> bool:
    return a[0] + slack < b[1] and b[0] + slack < a[1]


def _trace_spans(path) -> dict[str, tuple[float, float]]:
    events = json.loads(path.read_text())["traceEvents"]
    return {e["name"]: (e["ts"], e["ts"] + e["dur"]) for e in events if e["ph"] == "X" and e.get("cat") == "stage"}


def test_stages_of_one_level_overlap_with_two_jobs(ws, tmp_path):
    root, env, log = ws(wait=20)  # returns as soon as the other stage has started
    trace = tmp_path / "trace.json"
    result = run_gitspec(root, "build", "--jobs", "2", "--trace", str(trace), env=env)
    assert result.code == 0, result
    intervals = _intervals(log)
    assert set(intervals) == {"left", "right"}
    assert _overlap(intervals["left"], intervals["right"]), intervals
    spans = _trace_spans(trace)
    assert set(spans) == {"left", "right"} and _overlap(spans["left"], spans["right"]), spans


def test_stages_of_one_level_take_turns_with_one_job(ws, tmp_path):
    root, env, log = ws(wait=0.3)  # the first waits for its peer in vain, then ends
    trace = tmp_path / "trace.json"
    result = run_gitspec(root, "build", "--jobs", "1", "--trace", str(trace), env=env)
    assert result.code == 0, result
    intervals = _intervals(log)
    assert set(intervals) == {"left", "right"}
    assert not _overlap(intervals["left"], intervals["right"]), intervals
    spans = _trace_spans(trace)
    # the trace rounds to whole microseconds: one either way is not an overlap
    assert set(spans) == {"left", "right"} and not _overlap(spans["left"], spans["right"], slack=1), spans


@pytest.mark.parametrize("given, message", [("abc", "'abc' is not a whole number"), ("0", "'0' must be at least 1"),
                                            ("٣", "'٣' is not a whole number"), ("３", "'３' is not a whole number")])
def test_a_bad_jobs_count_is_named(tmp_path, given, message):
    result = run_gitspec(tmp_path, "build", "--jobs", given)
    assert result.code == 2 and result.err.endswith(f"gitspec build: error: argument --jobs: {message}\n"), result
