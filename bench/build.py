"""Time ``gitspec build`` and ``gitspec status``: the shipped pipeline and a 200-stage synthetic one.

Usage:
    python bench/build.py [--quick] [--stages 200] [--files-per-stage 50]
                          [--dvc PATH] [--gitspec PATH] [--keep]

Three parts, each timed with ``time.perf_counter`` around ``subprocess.run``:

* shipped pipeline: in a fresh git repository, ``gitspec init`` and
  ``gitspec new product "Build a Stripe-level billing dashboard"``; then the
  first ``gitspec build`` (best of 3, each in a fresh copy), the second,
  no-op ``gitspec build`` (best of 5; every ``specs/*.yaml`` must keep its
  bytes and mtime) and their ratio (target < 0.25). Then the brand hue
  (``visualSignature.hue`` in ``specs/brand.yaml``) is changed and
  ``gitspec build --json`` is run once: its ``complete`` event names the
  sections it regenerated.
* synthetic pipeline, the shape of DVC's benchmark (201 stages, 10,000
  files): a plugin written to a temporary folder (a module plus a
  ``*.dist-info`` with an entry point, put on ``PYTHONPATH``) declares a
  permissive ``notes`` kind and 200 stages; the workspace holds 10,000 small
  ``notes`` documents (the source); stage i reads the ``text`` section of its
  50 documents and writes ``out-iii#digest``. Timed: the first build (once),
  a no-op ``gitspec build`` and a no-op ``gitspec status`` (best of 5 each;
  target < 0.3 s).
* with ``--dvc``, the same shape as a DVC project (``git init``, ``dvc init``,
  10,000 files in ``data/``, a ``dvc.yaml`` of 200 stages each depending on
  its 50 files and writing one output): ``dvc repro`` once, then
  ``dvc status`` (best of 3). Install DVC in a separate virtual environment
  for this; it is never a gitspec dependency. At the full size ``dvc repro``
  takes long (about 26 minutes with DVC 3.67 on two CPUs).

Rendering is off in every workspace (``formats: []`` in ``gitspec.yaml``) when
the gitspec under test renders at the end of ``build`` at all (its ``build``
has ``--no-render``): these figures are about generation and staleness, as
DVC's are; rendering has its own costs and its own benchmark.

gitspec runs with bytecode caching on, in a private ``PYTHONPYCACHEPREFIX``
under the temporary folder (filled by one untimed warm-up build), so that
missing or stale ``.pyc`` files in the source tree, as under
``PYTHONDONTWRITEBYTECODE=1``, neither slow the runs down nor get written
into the tree. DVC runs in the environment as it is.

``--quick`` runs each shipped-pipeline command once and a synthetic pipeline
of 10 stages over 5 files each (for the test suite). Only the standard
library is used.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from check import find_gitspec  # bench/ is on sys.path when a script here runs

DIRECTIVE = "Build a Stripe-level billing dashboard"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "gitspec bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "gitspec bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}

CONFIG = "specs:\n  - specs\noutput: build\npage_size: A4\nexclude: []\nmax_file_size: 1048576\n"

FIRST_TARGET = 0.25   # second (no-op) build / first build, shipped pipeline
NOOP_TARGET = 0.3     # seconds, no-op build and status, synthetic pipeline

# `visualSignature:` at the top level, then its indented `hue:` (not the stamp in the header).
HUE = re.compile(r"(^visualSignature:[ \t]*\n(?:(?:[ \t]+.*)?\n)*?[ \t]+hue:[ \t]*)(\d+)", re.MULTILINE)

PLUGIN = '''"""Synthetic gitspec stages for bench/build.py: {stages} stages over {per} documents each."""
import hashlib
from pathlib import Path

from gitspec import hookimpl
from gitspec.kinds import Kind
from gitspec.stage import Output, Stage

HERE = Path(__file__).resolve().parent
STAGES = {stages}
PER = {per}


def digest(inp):
    texts = sorted(value for value in inp.values.values() if isinstance(value, str))
    joined = "\\n".join(texts)
    return {{"digest": {{"documents": len(texts), "length": len(joined),
                        "sha256": hashlib.sha256(joined.encode("utf-8")).hexdigest()}}}}


def _stage(number):
    inputs = tuple("doc-{{:05d}}#text".format(number * PER + k + 1) for k in range(PER))
    return Stage("synth-{{:03d}}".format(number + 1), "1", "out-{{:03d}}".format(number + 1), "notes",
                 "Digest {{:03d}}".format(number + 1), inputs, (Output("digest", inputs),), digest)


@hookimpl
def gitspec_kinds():
    return [Kind("notes", HERE / "notes.schema.json")]


@hookimpl
def gitspec_stages():
    return [_stage(number) for number in range(STAGES)]
'''

NOTES_SCHEMA = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://gitspec.dev/schemas/notes.schema.json",
  "description": "Free-form notes for the build benchmark.",
  "type": "object",
  "$ref": "common.schema.json#/$defs/header"
}
"""


# --- running and timing --------------------------------------------------------


PYCACHE = {}  # PYTHONPYCACHEPREFIX for gitspec runs, set by main()
NO_RENDER = []  # the gitspec.yaml line that turns rendering off, when the gitspec under test renders


def environment(extra=None):
    """The environment for every command: git identity, no hook tracing, ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "GITSPEC_TRACE_HOOKS"}
    env.update(GIT_ENV)
    env.update(extra or {})
    return env


def gitspec_env(extra=None):
    """Extra environment for gitspec runs: bytecode cached under the private prefix."""
    env = dict(PYCACHE)
    env.update(extra or {})
    return env


def run_once(command, cwd, timeout, env=None):
    """Run ``command`` once; return (seconds, exit code, stdout text, stderr text).

    ``env`` adds to the environment; a value of None removes that variable.
    """
    full = {k: v for k, v in environment(env).items() if v is not None}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout, env=full)
    seconds = time.perf_counter() - start
    return (seconds, done.returncode, done.stdout.decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"))


def best_of(runs, command, cwd, timeout, env=None, before=None):
    """Return (best seconds, exit codes seen, last stdout, last stderr) over ``runs`` runs.

    ``before(i)`` may return another folder to run in (e.g. a fresh copy).
    """
    best, codes, out, err = None, set(), "", ""
    for i in range(runs):
        where = before(i) if before else cwd
        seconds, code, out, err = run_once(command, where or cwd, timeout, env)
        best = seconds if best is None else min(best, seconds)
        codes.add(code)
    return best, sorted(codes), out, err


def must(command, cwd, timeout, env=None):
    """Run a set-up command; stop the benchmark with its output if it fails."""
    seconds, code, out, err = run_once(command, cwd, timeout, env)
    if code != 0:
        raise SystemExit("build: {} exited {} in {}:\n{}{}".format(
            " ".join(str(c) for c in command), code, cwd, out[-2000:], err[-2000:]))
    return out


def describe_codes(codes):
    """Return exit codes as text, e.g. ``0`` or ``0,1``."""
    return ",".join(str(code) for code in codes)


def show_stderr(label, codes, stderr):
    """Print the tail of stderr when a run exited with 2 or more."""
    if any(code not in (0, 1) for code in codes):
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        print("  ! {} exited {}:\n    {}".format(label, describe_codes(codes), tail.replace("\n", "\n    ")))


def renders(gitspec, timeout):
    """Whether this gitspec renders at the end of ``build`` (then ``formats: []`` turns it off)."""
    out = run_once([gitspec, "build", "--help"], Path.cwd(), timeout)[2]
    return "--no-render" in out


def without_rendering(workspace):
    """Set ``formats: []`` in the workspace's gitspec.yaml if this gitspec renders."""
    if not NO_RENDER:
        return
    config = workspace / "gitspec.yaml"
    lines = [line for line in config.read_text(encoding="utf-8").splitlines() if not line.startswith("formats:")]
    config.write_text("\n".join(lines + NO_RENDER) + "\n", encoding="utf-8")


def snapshot(folder):
    """(bytes, mtime_ns) of every ``*.yaml`` directly in ``folder``, by name."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.glob("*.yaml"))}


def target_note(value, target, unit=""):
    """``target < X: met`` or ``... MISSED``."""
    verdict = "met" if value is not None and value < target else "MISSED"
    return "target < {}{}: {}".format(target, unit, verdict)


# --- part 1: the shipped pipeline ----------------------------------------------


def bench_shipped(gitspec, root, runs_first, runs_noop, timeout):
    """Time the shipped pipeline on a new product; return (rows, notes)."""
    template = root / "shipped-template"
    template.mkdir()
    must(["git", "init", "-q"], template, timeout)
    env = gitspec_env()
    must([gitspec, "init"], template, timeout, env)
    without_rendering(template)
    must([gitspec, "new", "product", DIRECTIVE], template, timeout, env)
    warm = root / "shipped-warm-up"
    shutil.copytree(template, warm, symlinks=True)
    must([gitspec, "build"], warm, timeout, env)  # fills the bytecode cache; untimed
    must([gitspec, "status"], warm, timeout, env)

    copies = []

    def fresh_copy(i):
        target = root / "shipped-{}".format(i)
        shutil.copytree(template, target, symlinks=True)
        copies.append(target)
        return target

    first = best_of(runs_first, [gitspec, "build"], template, timeout, env, before=fresh_copy)
    show_stderr("gitspec build (first)", first[1], first[3])
    workspace = copies[-1]
    generated = sum(1 for line in first[2].splitlines() if line.startswith("regenerated "))

    specs = workspace / "specs"
    before = snapshot(specs)
    time.sleep(0.01)
    second = best_of(runs_noop, [gitspec, "build"], workspace, timeout, env)
    show_stderr("gitspec build (no-op)", second[1], second[3])
    after = snapshot(specs)
    unchanged = "yes" if before == after else "no"
    regenerated_again = sum(1 for line in second[2].splitlines() if line.startswith("regenerated "))
    ratio = second[0] / first[0] if first[0] else None

    brand = specs / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    match = HUE.search(text)
    if match is None:
        raise SystemExit("build: no visualSignature hue in {}".format(brand))
    old_hue = int(match.group(2))
    new_hue = (old_hue + 137) % 360
    brand.write_text(text[:match.start(2)] + str(new_hue) + text[match.end(2):], encoding="utf-8")
    edit = run_once([gitspec, "build", "--json"], workspace, timeout, env)
    show_stderr("gitspec build --json (hue edit)", [edit[1]], edit[3])
    complete = None
    for line in edit[2].splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get("event") == "complete":
            complete = event
    regenerated = complete.get("generated", []) if complete else None

    rows = [
        ("shipped", "gitspec build (first)", runs_first, first[0], first[1],
         "{} sections regenerated".format(generated)),
        ("shipped", "gitspec build (no-op)", runs_noop, second[0], second[1],
         "specs unchanged (bytes, mtimes): {}; {} regenerated".format(unchanged, regenerated_again)),
        ("shipped", "no-op/first ratio", "", ratio, [], target_note(ratio, FIRST_TARGET)),
        ("shipped", "gitspec build --json (hue edit)", 1, edit[0], [edit[1]],
         "hue {} -> {}: {} sections regenerated".format(
             old_hue, new_hue, "?" if regenerated is None else len(regenerated))),
    ]
    notes = ["hue {} -> {} regenerated: {}".format(
        old_hue, new_hue, "no complete event" if regenerated is None else ", ".join(regenerated) or "nothing")]
    return rows, notes


# --- part 2: a synthetic pipeline ------------------------------------------------


def write_plugin(folder, stages, per):
    """Write the synthetic plugin (module, schema, dist-info); return its PYTHONPATH entry."""
    folder.mkdir(parents=True)
    (folder / "benchstages.py").write_text(PLUGIN.format(stages=stages, per=per), encoding="utf-8")
    (folder / "notes.schema.json").write_text(NOTES_SCHEMA, encoding="utf-8")
    info = folder / "benchstages-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: benchstages\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[gitspec]\nbenchstages = benchstages\n", encoding="utf-8")
    return str(folder)


def write_documents(workspace, count, timeout):
    """A git repository holding ``count`` notes documents doc-00001..; committed."""
    docs = workspace / "specs" / "docs"
    docs.mkdir(parents=True)
    must(["git", "init", "-q"], workspace, timeout)
    (workspace / "gitspec.yaml").write_text(CONFIG, encoding="utf-8")
    without_rendering(workspace)
    (workspace / ".gitignore").write_text(".gitspec/\n", encoding="utf-8")
    for number in range(1, count + 1):
        doc_id = "doc-{:05d}".format(number)
        (docs / (doc_id + ".yaml")).write_text(
            "kind: notes\nid: {0}\ntitle: Note {1}\ntext: Note number {1} of the source, "
            "with a few words to digest.\n".format(doc_id, number), encoding="utf-8")
    must(["git", "add", "-A"], workspace, timeout)
    must(["git", "commit", "-q", "-m", "source"], workspace, timeout)


def bench_synthetic(gitspec, root, stages, per, runs_noop, timeout):
    """Time a synthetic pipeline of ``stages`` stages over ``stages * per`` files; return rows."""
    count = stages * per
    env = gitspec_env({"PYTHONPATH": write_plugin(root / "benchplugin", stages, per)})
    workspace = root / "synthetic"
    write_documents(workspace, count, timeout)
    label = "{}x{}".format(stages, per)

    first = run_once([gitspec, "build"], workspace, timeout, env)
    show_stderr("gitspec build (first, synthetic)", [first[1]], first[3])
    generated = sum(1 for line in first[2].splitlines() if line.startswith("regenerated "))
    outputs = len(list((workspace / "specs").glob("out-*.yaml")))
    build = best_of(runs_noop, [gitspec, "build"], workspace, timeout, env)
    show_stderr("gitspec build (no-op, synthetic)", build[1], build[3])
    again = sum(1 for line in build[2].splitlines() if line.startswith("regenerated "))
    status = best_of(runs_noop, [gitspec, "status"], workspace, timeout, env)
    show_stderr("gitspec status (no-op, synthetic)", status[1], status[3])
    summary = status[3].strip().splitlines()[-1] if status[3].strip() else ""
    return [
        (label, "gitspec build (first)", 1, first[0], [first[1]],
         "{} files, {} stages: {} sections regenerated, {} output files".format(
             count, stages, generated, outputs)),
        (label, "gitspec build (no-op)", runs_noop, build[0], build[1],
         "{} regenerated; {}".format(again, target_note(build[0], NOOP_TARGET, " s"))),
        (label, "gitspec status (no-op)", runs_noop, status[0], status[1],
         "{}; {}".format(summary.replace("gitspec: ", ""), target_note(status[0], NOOP_TARGET, " s"))),
    ], workspace, env


# --- part 3: the same shape in DVC ------------------------------------------------


def bench_dvc(dvc, root, stages, per, runs, timeout):
    """Time ``dvc repro`` (once) and ``dvc status`` (best of ``runs``) on the same shape; return rows."""
    project = root / "dvc"
    data = project / "data"
    data.mkdir(parents=True)
    env = {"DVC_NO_ANALYTICS": "1"}
    must(["git", "init", "-q"], project, timeout)
    must([dvc, "init", "-q"], project, timeout, env)
    count = stages * per
    for number in range(1, count + 1):
        (data / "doc-{:05d}.txt".format(number)).write_text(
            "Note number {} of the source, with a few words to digest.\n".format(number), encoding="utf-8")
    lines = ["stages:"]
    for stage in range(stages):
        deps = ["data/doc-{:05d}.txt".format(stage * per + k + 1) for k in range(per)]
        out = "out/out-{:03d}.txt".format(stage + 1)
        lines.append("  synth-{:03d}:".format(stage + 1))
        lines.append("    cmd: mkdir -p out && cat {} | wc -c > {}".format(" ".join(deps), out))
        lines.append("    deps:")
        lines += ["      - " + dep for dep in deps]
        lines.append("    outs:")
        lines.append("      - " + out)
    (project / "dvc.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    must(["git", "add", "-A"], project, timeout)
    must(["git", "commit", "-q", "-m", "source"], project, timeout)
    label = "{}x{}".format(stages, per)
    repro = run_once([dvc, "repro"], project, timeout, env)
    show_stderr("dvc repro", [repro[1]], repro[3])
    status = best_of(runs, [dvc, "status"], project, timeout, env)
    show_stderr("dvc status", status[1], status[3])
    state = status[2].strip().splitlines()[-1] if status[2].strip() else ""
    return [
        (label, "dvc repro (first)", 1, repro[0], [repro[1]], "{} files, {} stages".format(count, stages)),
        (label, "dvc status (no-op)", runs, status[0], status[1], state),
    ]


# --- the table -------------------------------------------------------------------


def print_table(rows):
    """Print the rows as an aligned table."""
    header = ("pipeline", "command", "runs", "best s", "exit", "notes")
    lines = [header]
    for pipeline, label, runs, best, codes, note in rows:
        shown = "-" if best is None else ("{:.3f}".format(best) if label.startswith(("gitspec", "dvc"))
                                          else "{:.2f}".format(best))
        lines.append((pipeline, label, str(runs), shown, describe_codes(codes), note))
    widths = [max(len(line[column]) for line in lines) for column in range(5)]
    for line in lines:
        cells = [line[i].rjust(widths[i]) if i in (2, 3) else line[i].ljust(widths[i]) for i in range(5)]
        print("  ".join(cells + [line[5]]).rstrip())


def parse_args(argv):
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="one run each and a 10-stage x 5-file synthetic pipeline (for tests)")
    parser.add_argument("--stages", type=int, help="synthetic stages (default 200; 10 with --quick)")
    parser.add_argument("--files-per-stage", type=int, help="documents each stage reads (default 50; 5 with --quick)")
    parser.add_argument("--gitspec", metavar="PATH", help="gitspec executable (default: next to Python, then PATH)")
    parser.add_argument("--dvc", metavar="PATH", help="also time this dvc executable on the same shape")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before one run is abandoned")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspaces")
    args = parser.parse_args(argv)
    if args.stages is None:
        args.stages = 10 if args.quick else 200
    if args.files_per_stage is None:
        args.files_per_stage = 5 if args.quick else 50
    if args.stages < 1 or args.files_per_stage < 1 or args.stages * args.files_per_stage > 99999:
        parser.error("need at least 1 stage and 1 file per stage, and at most 99999 files")
    return args


def main(argv=None):
    """Run the benchmark and print the table."""
    args = parse_args(argv)
    gitspec = find_gitspec(args.gitspec)
    dvc = (shutil.which(args.dvc) or args.dvc) if args.dvc else None
    print("gitspec: {}\npython: {}".format(gitspec, sys.executable))
    if dvc:
        print("dvc: {}".format(dvc))
    root = Path(tempfile.mkdtemp(prefix="gitspec-bench-build-"))
    PYCACHE.update({"PYTHONPYCACHEPREFIX": str(root / "pycache"), "PYTHONDONTWRITEBYTECODE": None})
    if renders(gitspec, args.timeout):
        NO_RENDER.append("formats: []  # bench/build.py times generation, not rendering")
        print("rendering: off (formats: [])")
    try:
        runs = (1, 1, 1) if args.quick else (3, 5, 3)
        rows, notes = bench_shipped(gitspec, root, runs[0], runs[1], args.timeout)
        synthetic, _, _ = bench_synthetic(gitspec, root, args.stages, args.files_per_stage, runs[1],
                                          args.timeout)
        rows += synthetic
        if dvc:
            rows += bench_dvc(dvc, root, args.stages, args.files_per_stage, runs[2], args.timeout)
    finally:
        if args.keep:
            print("workspaces kept in {}".format(root))
        else:
            shutil.rmtree(root, ignore_errors=True)
    print()
    print_table(rows)
    print()
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
