"""Time ``gitspec render`` on the synthetic corpus and the example, against StrictDoc.

Usage:
    python bench/render.py [--requirements 1000] [--strictdoc PATH] [--gitspec PATH] [--skip-example]

Rows printed:

* corpus (N parents + N children, N/2 tasks; ``corpus.py``): ``gitspec render
  --format html`` cold (``.gitspec`` and the output deleted, so parsing,
  checking, history and rendering all count), best of 3, with peak memory;
* the same after editing one requirement document (a different statement each
  time), best of 3, and the ratio cold / re-render;
* a no-op render (nothing changed), best of 3;
* the floor of any one-shot re-render: a Python (the one gitspec runs on) that only imports
  argparse, dataclasses, PyYAML, jsonschema-rs and pluggy, best of 5, and cold / that;
* ``gitspec render --watch``: the re-render time it reports after an edit, and the
  time from the edit to its report, best of 3;
* with ``gitspec daemon start`` run in the corpus: a one-shot ``gitspec render`` after an
  edit and a no-op one, best of 3 (the daemon's first render is not counted), and the
  ratio cold / re-render;
* with ``--strictdoc``: ``strictdoc export --formats html`` on the same items
  written as ``.sdoc`` files (output deleted each time), best of 3, with peak
  memory, and the ratios;
* the example workspace: HTML, PDF and DOCX rendered cold, one run each.

Every command runs with bytecode caching on in a private
``PYTHONPYCACHEPREFIX`` (as in ``bench/build.py``), StrictDoc included. Each command is
timed from inside a small wrapper process, so the wrapper's own start-up is not
counted. Peak memory is the largest resident set of the command or any process it
waited for (``RUSAGE_CHILDREN`` of a fresh wrapper process), in MiB. Only the
standard library is used.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus
from check import EXAMPLE, find_gitspec

RUNS = 3
ENV = dict(os.environ)  # main() adds a private bytecode cache, as bench/build.py does
# Times the command from inside a wrapper process (so the wrapper's own start-up is not counted)
# and reports the largest resident set of the command or any process it waited for.
PEAK = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def timed(command, cwd, before=None, runs=RUNS):
    """Best wall time of ``runs`` runs and the peak RSS (MiB) seen; ``before()`` runs untimed first."""
    best, peak = float("inf"), 0
    for _ in range(runs):
        if before:
            before()
        done = subprocess.run([sys.executable, "-c", PEAK] + command, cwd=cwd, capture_output=True, text=True,
                              env=ENV, check=True)
        seconds, rss = done.stdout.split()
        best = min(best, float(seconds))
        peak = max(peak, int(rss) // 1024)
    return best, peak


def reset(folder, *paths):
    def clear():
        for rel in paths:
            shutil.rmtree(folder / rel, ignore_errors=True)
    return clear


def edit_one(folder):
    """Each call changes one requirement statement in the first requirements document."""
    counter = {"n": 0}

    def edit():
        counter["n"] += 1
        path = sorted((folder / "specs" / "requirements").glob("*.yaml"))[0]
        text = path.read_text(encoding="utf-8")
        marker = "statement: "
        at = text.index(marker) + len(marker)
        path.write_text(text[:at] + "Edited {} ".format(counter["n"]) + text[at:], encoding="utf-8")
    return edit


def watched(gitspec, work, edit, runs=RUNS):
    """`gitspec render --watch`: the best re-render time it reports ("... in 0.07 s") after an edit,
    and the best time from the edit to that line (which adds the watcher's 50 ms wait for more changes)."""
    process = subprocess.Popen([gitspec, "render", "--watch", "--format", "html"], cwd=work, env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while "watching" not in process.stderr.readline():
            pass
        took = latency = float("inf")
        for _ in range(runs):
            start = time.perf_counter()
            edit()
            line = process.stderr.readline()
            while " in " not in line or "rendered" not in line:
                line = process.stderr.readline()
            latency = min(latency, time.perf_counter() - start)
            took = min(took, float(line.rsplit(" in ", 1)[1].split()[0]))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # SIGINT is ignored when this bench was started in the background
            process.terminate()
            process.wait()
    return took, latency


def daemon_row(gitspec, work, cold, edit):
    """A one-shot `gitspec render` after an edit, and a no-op one, with `gitspec daemon` running there."""
    started = subprocess.run([gitspec, "daemon", "start"], cwd=work, env=ENV, capture_output=True, text=True)
    if started.returncode:
        print("  daemon: could not start: {}".format(started.stderr.strip()))
        return
    try:
        render = [gitspec, "render", "--format", "html"]
        timed(render, work)  # its first render reads what a fresh process would
        again, _ = timed(render, work, edit)
        noop, _ = timed(render, work)
        served = subprocess.run([gitspec, "daemon", "status"], cwd=work, env=ENV, capture_output=True, text=True)
        print("  daemon: re-render after one edit   {:7.2f} s   cold / re-render = {:.1f}x (target >= 10x); "
              "no-op {:.2f} s ({})".format(again, cold / again, noop, served.stdout.split(", ")[2]))
    finally:
        subprocess.run([gitspec, "daemon", "stop"], cwd=work, env=ENV, capture_output=True)


def bench_corpus(gitspec, strictdoc, n, tmp):
    work, sdoc = tmp / "corpus", tmp / "strictdoc"
    items = corpus.write_workspace(work, n, n // 2)
    corpus.write_strictdoc(sdoc, items)
    print("corpus: {} requirements, {} tasks".format(len(items), n // 2))
    render = [gitspec, "render", "--format", "html"]
    subprocess.run([gitspec, "check"], cwd=work, capture_output=True)  # warm the OS file cache
    cold, cold_peak = timed(render, work, reset(work, ".gitspec", "build"))
    print("  gitspec render html, cold          {:7.2f} s   peak {:4d} MiB".format(cold, cold_peak))
    again, _ = timed(render, work, edit_one(work))
    print("  re-render after one document edit  {:7.2f} s   cold / re-render = {:.1f}x (target >= 10x)".format(
        again, cold / again))
    noop, _ = timed(render, work)
    print("  no-op render                       {:7.2f} s".format(noop))
    # What any new process that reads one edited spec pays before gitspec does anything: the
    # interpreter and the libraries parsing and validating YAML. cold / this bounds a one-shot ratio.
    python = str(Path(gitspec).with_name("python"))
    floor, _ = timed([python, "-c", "import argparse, dataclasses, yaml, jsonschema_rs, pluggy"], work, runs=5)
    print("  floor: python + yaml, jsonschema_rs {:6.2f} s   cold / floor = {:.1f}x (no one-shot run can beat it)".format(
        floor, cold / floor))
    took, latency = watched(gitspec, work, edit_one(work))
    print("  --watch: re-render after one edit  {:7.2f} s   cold / re-render = {:.1f}x; "
          "saved to page written {:.2f} s".format(took, cold / took, latency))
    daemon_row(gitspec, work, cold, edit_one(work))
    if strictdoc:
        out = tmp / "strictdoc-out"
        export = [strictdoc, "export", "--formats", "html", "--output-dir", str(out), str(sdoc / "docs")]
        sd, sd_peak = timed(export, sdoc, lambda: shutil.rmtree(out, ignore_errors=True))
        print("  strictdoc export html, cold        {:7.2f} s   peak {:4d} MiB".format(sd, sd_peak))
        print("  gitspec is {:.1f}x faster (target >= 5x); memory {:.2f} of StrictDoc's (target <= 0.33)".format(
            sd / cold, cold_peak / max(sd_peak, 1)))


def bench_example(gitspec, tmp):
    work = tmp / "example"
    shutil.copytree(EXAMPLE, work, ignore=shutil.ignore_patterns(".gitspec", "build"))
    corpus.git_commit(work, "example")
    print("example: {}".format(EXAMPLE.name))
    for fmt in ("html", "pdf", "docx"):
        seconds, peak = timed([gitspec, "render", "--format", fmt], work, reset(work, ".gitspec/renders", "build"),
                              runs=1)
        files = sorted((work / "build" / fmt).rglob("*.{}".format(fmt if fmt != "html" else "html")))
        print("  {:4s} cold: {:6.2f} s  peak {:4d} MiB  {} files".format(fmt, seconds, peak, len(files)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requirements", type=int, default=1000, metavar="N")
    parser.add_argument("--strictdoc", help="path of a strictdoc executable to compare with")
    parser.add_argument("--gitspec", help="gitspec executable (default: next to this Python)")
    parser.add_argument("--skip-example", action="store_true")
    args = parser.parse_args(argv)
    gitspec = find_gitspec(args.gitspec)
    with tempfile.TemporaryDirectory(prefix="gitspec-bench-render-") as tmp:
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        ENV["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        subprocess.run([gitspec, "--help"], env=ENV, capture_output=True)
        bench_corpus(gitspec, args.strictdoc, args.requirements, Path(tmp))
        if not args.skip_example:
            bench_example(gitspec, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
