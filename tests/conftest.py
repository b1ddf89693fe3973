"""Fixtures: real git repositories in tmp_path and the installed `gitspec` as a subprocess."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# The property tests draw the same examples on every run, so CI passes or fails on the code alone;
# HYPOTHESIS_PROFILE=explore draws new ones, to look for more.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

# A suite started in the background (`nohup`, `cmd &` in a script) inherits Ctrl-C ignored, and so would
# every gitspec the tests start: those that stop one with SIGINT would see it run on. Python's own
# handler here makes a child start with Ctrl-C's default again.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "billing-dashboard"
GITSPEC = shutil.which("gitspec", path=str(Path(sys.executable).parent)) or "gitspec"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada Tester", "GIT_AUTHOR_EMAIL": "ada@example.invalid",
    "GIT_COMMITTER_NAME": "Ada Tester", "GIT_COMMITTER_EMAIL": "ada@example.invalid",
}

# formats: [] — most tests are about checking and building; the render tests ask for formats.
CONFIG = "specs:\n  - specs\noutput: build\npage_size: A4\nexclude: []\nmax_file_size: 1048576\nformats: []\n"


class Result:
    def __init__(self, completed: subprocess.CompletedProcess) -> None:
        self.code = completed.returncode
        self.out = completed.stdout
        self.err = completed.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self) -> str:
        return f"<exit {self.code}\nstdout:\n{self.out}\nstderr:\n{self.err}>"


def run_gitspec(cwd: Path, *args: str, env: dict | None = None, input: str | None = None,
                prefix: tuple[str, ...] = (), timeout: float = 120) -> Result:
    """The installed gitspec run in `cwd`; `prefix` is a command to run it under (see `read_only`). Past
    `timeout` seconds it is killed (SIGKILL: a libgit2 loop is deaf to SIGTERM) and the test fails."""
    full_env = {k: v for k, v in os.environ.items() if k != "GITSPEC_TRACE_HOOKS"}
    full_env.update(GIT_ENV, **(env or {}))
    return Result(subprocess.run([*prefix, GITSPEC, *args], cwd=cwd, capture_output=True, text=True, env=full_env,
                                 input=input, timeout=timeout))


def without_read_all() -> tuple[str, ...]:
    """A command prefix that makes file permissions count for root (the tests run as root here): it keeps
    its uid but loses its right to read and write every file. Empty for another user; skips without setpriv."""
    if os.geteuid() != 0:
        return ()
    if not shutil.which("setpriv"):
        pytest.skip("needs setpriv to drop root's right to read and write every file")
    return ("setpriv", "--bounding-set=-all", "--inh-caps=-all")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout


def truncate(root: Path, rev: str) -> str:
    """Cuts the loose object of `rev` in the repository at `root` to half its size (a crash or a full disk
    while git wrote it: libgit2 loops for good on it, deaf to SIGTERM); its id."""
    oid = git(root, "rev-parse", rev).strip()
    loose = root / ".git" / "objects" / oid[:2] / oid[2:]
    loose.chmod(0o644)
    loose.write_bytes(loose.read_bytes()[:loose.stat().st_size // 2])
    return oid


def make_repo(root: Path, files: dict[str, str | bytes], commit: bool = True) -> Path:
    """A git repository at `root` holding `files` (path -> text or bytes), committed."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    write_files(root, files)
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "specs")
    return root


def product_workspace(root: Path, directive: str = "Build a billing dashboard", build: bool = True) -> Path:
    """A new repository at `root` with `gitspec init` and a product directive, built (no render) unless not
    `build`: the spec set a user starts from."""
    make_repo(root, {}, commit=False)
    assert run_gitspec(root, "init").code == 0
    assert run_gitspec(root, "new", "product", directive).code == 0
    if build:
        built = run_gitspec(root, "build", "--no-render")
        assert built.code == 0, built
    return root


def made_once(tmp_path_factory, name: str, make) -> tuple[Path, object]:
    """A folder that `make(folder)` fills once in the whole run, however many xdist workers ask for it
    (a module-scoped fixture is made again on each worker that runs a test using it): the first to ask
    makes it, holding a lock, and the others wait and take it. `make` returns what else to keep, as
    JSON. The folder is shared: a test only reads it (or copies it first)."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # this run's, above each worker's own
    folder, kept = base / f"once-{name}", base / f"once-{name}.json"
    with open(base / f"once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not kept.exists():  # (a worker whose make failed left no record: the next tries again)
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            kept.write_text(json.dumps(make(folder)))
    return folder, json.loads(kept.read_text())


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    """A factory: repo({path: content}) -> a committed workspace with gitspec.yaml."""

    def build(files: dict[str, str | bytes] | None = None, config: str = CONFIG) -> Path:
        return make_repo(tmp_path / "ws", {"gitspec.yaml": config, "specs/.keep": "", **(files or {})})

    return build


# Runs a command with its working folder mounted read-only over itself, in a private mount namespace
# (nothing outside the command sees it), as a read-only CI volume or container mount is.
READ_ONLY = ("unshare", "-rm", "sh", "-c", 'mount --bind . . && mount -o remount,bind,ro . && cd "$PWD" && exec "$@"',
             "read-only")


@pytest.fixture
def read_only(tmp_path) -> tuple[str, ...]:
    """The `prefix` for run_gitspec that runs it in a read-only working folder; skips where unshare cannot."""
    probe = tmp_path / "probe"
    probe.mkdir()
    done = subprocess.run([*READ_ONLY, "touch", "written"], cwd=probe, capture_output=True) \
        if shutil.which("unshare") else None
    if done is None or (probe / "written").exists() or b"Read-only file system" not in done.stderr:
        pytest.skip("needs unshare -rm (user and mount namespaces) to mount a folder read-only")
    return READ_ONLY


@pytest.fixture
def example(tmp_path):
    """A copy of the bundled example workspace, as its own git repository."""
    target = tmp_path / "billing-dashboard"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".gitspec", "build"))
    return make_repo(target, {})


def requirements_doc(doc_id: str = "reqs", items: str = "") -> str:
    return f"kind: requirements\nid: {doc_id}\ntitle: Requirements\nitems:\n{items}"


def passed_evidence(commit: str, requirements: str = "REQ-001") -> str:
    """An evidence record `ev-0001`: a passed run of pytest on `commit`, the first of its chain."""
    return f"""kind: evidence
id: ev-0001
title: tests
requirements: [{requirements}]
source: run
command: pytest
exitCode: 0
verdict: passed
startedAt: "2026-12-01T10:00:00Z"
commit: "{commit}"
dirty: false
previous: null
previousHash: null
"""


def requirement(req_id: str, parent: str | None = None, links: str | None = None) -> str:
    text = (f"  - id: {req_id}\n    title: Title of {req_id}\n    statement: The system shall do {req_id}.\n"
            f"    acceptance:\n      - It does {req_id}.\n    priority: must\n")
    if parent:
        text += f"    parent: {parent}\n"
    if links:
        text += f"    links: {links}\n"
    return text


def tasks_doc(doc_id: str = "tasks", items: str = "") -> str:
    return f"kind: tasks\nid: {doc_id}\ntitle: Tasks\nitems:\n{items}"


def task(task_id: str, requirements: str = "[REQ-001]", depends: str | None = None) -> str:
    text = (f"  - id: {task_id}\n    title: Do {task_id}\n    requirements: {requirements}\n"
            f"    status: todo\n    priority: p1\n    ownerRole: backend\n")
    if depends:
        text += f"    dependsOn: {depends}\n"
    return text


def schema_errors(kind: str, sections: dict, doc_id: str | None = None) -> list[str]:
    """Errors of a document of `kind` made of `sections` (plus a header), against the shipped schemas."""
    from gitspec.config import Config
    from gitspec.documents import parse_document
    from gitspec.engine import Engine

    import yaml as _yaml

    text = _yaml.safe_dump({"kind": kind, "id": doc_id or kind, "title": kind.title(), **sections},
                           sort_keys=False, allow_unicode=True)
    document = parse_document(f"specs/{kind}.yaml", text.encode())
    return [f.message for f in Engine(Config()).schemas.check(document)]


def example_values() -> dict:
    """Every section of the bundled example, by address (`product#features`)."""
    from gitspec.documents import parse_document

    values = {}
    for path in sorted((EXAMPLE / "specs").rglob("*")):
        if path.suffix in (".yaml", ".md"):
            document = parse_document(path.name, path.read_bytes())
            for section, value in document.sections.items():
                values[f"{document.id}#{section}"] = value
    return values


def strings_in(value) -> list[str]:
    """Every string inside `value`, however deeply nested in dicts and lists."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


def stage_inputs(module, **overrides) -> dict:
    """The example's value of every input of `module.STAGE`, by address, with `overrides` on top."""
    example = example_values()
    return {**{address: example[address] for address in module.STAGE.inputs}, **overrides}


def run_stage(module, values: dict | None = None, provider=None) -> dict:
    """`module.STAGE.generate` on `values` (default: the example's inputs); the template provider unless told."""
    from gitspec.providers import TemplateProvider
    from gitspec.stage import StageInput

    values = stage_inputs(module) if values is None else values
    return module.STAGE.generate(StageInput(values=values, provider=provider or TemplateProvider()))


def assert_stage_contract(module, output: dict, values: dict | None = None, given: dict | None = None) -> None:
    """What every stage promises: exactly its declared sections, each depending only on declared inputs,
    valid against its kind's schema (with `given`, the document's other sections), and the same `output`
    again from the same `values` (default: the example's inputs)."""
    stage = module.STAGE
    assert set(output) == {o.section for o in stage.outputs}
    for out in stage.outputs:
        assert set(out.depends_on) <= set(stage.inputs), out.section
    assert schema_errors(stage.kind, {**(given or {}), **output}) == []
    assert run_stage(module, values) == output


STAGE_PLUGIN = '''
"""A test plugin: a `notes` kind and three small stages, counting every generate call."""
import json, os, time
from pathlib import Path
from gitspec import hookimpl
from gitspec.kinds import Kind
from gitspec.stage import Output, Stage

HERE = Path(__file__).resolve().parent

def _count(inp, name):
    log = inp.options.get("calls")
    if log:
        with open(log, "a") as handle:
            handle.write(name + "\\n")

def upper(inp):
    _count(inp, "upper")
    text = inp.get("source#text", "")
    return {"shout": text.upper(), "length": len(text)}

def echo(inp):
    _count(inp, "echo")
    return {"echo": "echo: " + inp.get("derived#shout", "")}

def sleepy(inp):
    _count(inp, "sleepy")
    time.sleep(float(inp.options.get("seconds", 0)))
    return {"value": inp.get("source#text", "") + "!"}

@hookimpl
def gitspec_kinds():
    return [Kind("notes", HERE / "notes.schema.json")]

@hookimpl
def gitspec_stages():
    return [
        Stage("upper", "1", "derived", "notes", "Derived", ("source#text",),
              (Output("shout", ("source#text",)), Output("length", ("source#text",))), upper),
        Stage("echo", "1", "echoed", "notes", "Echoed", ("derived#shout",), (Output("echo", ("derived#shout",)),), echo),
        Stage("sleepy", "1", "slow", "notes", "Slow", ("source#text",), (Output("value", ("source#text",)),), sleepy),
    ]
'''

# The schema of the `journal` kind the Markdown test stages write: only the common header.
JOURNAL_SCHEMA = ('{"$schema": "https://json-schema.org/draft/2020-12/schema", '
                  '"$id": "https://gitspec.dev/schemas/journal.schema.json", "description": "Test kind.", '
                  '"type": "object", "$ref": "common.schema.json#/$defs/header"}')
NOTES_SCHEMA = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://gitspec.dev/schemas/notes.schema.json",
  "description": "Free-form notes for tests.",
  "type": "object",
  "$ref": "common.schema.json#/$defs/header"
}"""


def install_plugin(folder: Path, name: str, files: dict[str, str], module: str | None = None) -> dict:
    """Install a plugin the way pip would, on PYTHONPATH: its files plus a dist-info whose
    `gitspec` entry point names `module` (default: `name`). Returns the environment for run_gitspec."""
    write_files(folder, {
        **files,
        f"{name}-1.0.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
        f"{name}-1.0.dist-info/entry_points.txt": f"[gitspec]\n{name} = {module or name}\n",
    })
    return {"PYTHONPATH": str(folder)}


@pytest.fixture
def stage_plugin(tmp_path):
    """Environment for `run_gitspec` that installs the test stages (a real entry point on PYTHONPATH)."""
    return install_plugin(tmp_path / "stageplugin", "teststages",
                          {"teststages.py": STAGE_PLUGIN, "notes.schema.json": NOTES_SCHEMA})
