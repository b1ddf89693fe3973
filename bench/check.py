"""Time ``gitspec check`` on synthetic workspaces of growing size.

Usage:
    python bench/check.py [--sizes 1000,10000] [--doorstop PATH] [--gitspec PATH]

For each size (the total number of requirement items: size/2 parents and
size/2 children, plus size/4 tasks) a workspace is written to a temporary
folder with ``corpus.py`` and these are timed with ``time.perf_counter``
around ``subprocess.run``:

* ``gitspec check`` cold: ``.gitspec`` deleted before each run, best of 3;
* ``gitspec check`` no-op: cache kept, best of 5;
* ``gitspec --help`` start-up and ``python -c pass`` with the same
  interpreter, best of 10 each;
* with ``--doorstop``, ``doorstop -F`` on the same requirements written as a
  Doorstop tree: one first run (Doorstop stamps links, reviews new items and
  ``git add``s every file) and then the steady state, best of 3.

A non-zero exit from ``gitspec check`` (1 means findings) still counts as a
run; its exit code is shown so that mismatches are visible. Only the
standard library is used.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "billing-dashboard"

COLD_RUNS = 3
NOOP_RUNS = 5
STARTUP_RUNS = 10
DOORSTOP_RUNS = 3


def find_gitspec(explicit):
    """Return the gitspec executable: explicit, next to Python, or on PATH."""
    if explicit:
        return str(Path(explicit).resolve())
    beside = Path(sys.executable).parent / "gitspec"
    if beside.exists():
        return str(beside)
    found = shutil.which("gitspec")
    if not found:
        raise SystemExit("check: no gitspec executable next to {} or on PATH".format(
            sys.executable))
    return found


def run_once(command, cwd, timeout):
    """Run ``command`` once; return (seconds, exit code, stderr text)."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, timeout=timeout)
    seconds = time.perf_counter() - start
    return seconds, done.returncode, done.stderr.decode("utf-8", "replace")


def best_of(runs, command, cwd, timeout, before=None):
    """Return (best seconds, exit codes seen, last stderr) over ``runs`` runs."""
    best, codes, stderr = None, set(), ""
    for _ in range(runs):
        if before:
            before()
        seconds, code, stderr = run_once(command, cwd, timeout)
        best = seconds if best is None else min(best, seconds)
        codes.add(code)
    return best, sorted(codes), stderr


def remove_cache(workspace):
    """Return a function that deletes the workspace's ``.gitspec`` folder."""
    return lambda: shutil.rmtree(workspace / ".gitspec", ignore_errors=True)


def describe_codes(codes):
    """Return exit codes as text, e.g. ``0`` or ``0,1``."""
    return ",".join(str(code) for code in codes)


def show_stderr(label, codes, stderr):
    """Print the tail of stderr when a run exited with 2 or more."""
    if any(code not in (0, 1) for code in codes):
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        print("  ! {} exited {}:\n    {}".format(
            label, describe_codes(codes), tail.replace("\n", "\n    ")))


def ratio(numerator, denominator):
    """Return ``numerator / denominator`` as text, or ``-``."""
    if numerator is None or not denominator:
        return "-"
    return "{:.1f}x".format(numerator / denominator)


def bench_size(size, gitspec, doorstop, timeout, keep):
    """Build a corpus of ``size`` requirement items and time it; return rows."""
    parents = size // 2
    root = Path(tempfile.mkdtemp(prefix="gitspec-bench-{}-".format(size)))
    workspace = root / "workspace"
    doorstop_tree = root / "doorstop" if doorstop else None
    items = corpus.write_workspace(workspace, parents, parents // 2)
    if doorstop_tree:
        corpus.write_doorstop(doorstop_tree, items)
    print("size {}: {} requirements, {} tasks in {}".format(
        size, len(items), parents // 2, workspace))
    rows = []
    try:
        rows = time_commands(size, workspace, doorstop_tree, gitspec, doorstop, timeout)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    return rows


def bench_example(gitspec, timeout):
    """Time check on a copy of the bundled example: the no-op start-up target."""
    root = Path(tempfile.mkdtemp(prefix="gitspec-bench-example-"))
    workspace = root / "billing-dashboard"
    shutil.copytree(EXAMPLE, workspace, ignore=shutil.ignore_patterns(".gitspec", "build"))
    try:
        return time_commands("example", workspace, None, gitspec, None, timeout)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def time_commands(size, workspace, doorstop_tree, gitspec, doorstop, timeout):
    """Time every command for one workspace; return table rows."""
    check = [gitspec, "check"]
    cold = best_of(COLD_RUNS, check, workspace, timeout, remove_cache(workspace))
    show_stderr("gitspec check (cold)", cold[1], cold[2])
    noop = best_of(NOOP_RUNS, check, workspace, timeout)
    show_stderr("gitspec check (no-op)", noop[1], noop[2])
    helps = best_of(STARTUP_RUNS, [gitspec, "--help"], workspace, timeout)
    python = best_of(STARTUP_RUNS, [sys.executable, "-c", "pass"], workspace, timeout)
    rows = [
        (size, "gitspec check (cold)", COLD_RUNS, cold[0], cold[1], ""),
        (size, "gitspec check (no-op)", NOOP_RUNS, noop[0], noop[1],
         "no-op/python " + ratio(noop[0], python[0])),
        (size, "gitspec --help", STARTUP_RUNS, helps[0], helps[1],
         "help/python " + ratio(helps[0], python[0])),
        (size, "python -c pass", STARTUP_RUNS, python[0], python[1], ""),
    ]
    if doorstop_tree:
        rows += time_doorstop(size, doorstop_tree, doorstop, timeout, cold[0], noop[0])
    return rows


def time_doorstop(size, tree, doorstop, timeout, cold, noop):
    """Time ``doorstop -F`` in ``tree``: the first run, then best of 3."""
    command = [doorstop, "-F"]
    first = best_of(1, command, tree, timeout)
    steady = best_of(DOORSTOP_RUNS, command, tree, timeout)
    show_stderr("doorstop", steady[1], steady[2])
    return [
        (size, "doorstop -F (first run)", 1, first[0], first[1], ""),
        (size, "doorstop -F", DOORSTOP_RUNS, steady[0], steady[1],
         "doorstop/cold {}, doorstop/no-op {}".format(
             ratio(steady[0], cold), ratio(steady[0], noop))),
    ]


def print_table(rows):
    """Print the rows as an aligned table."""
    header = ("size", "command", "runs", "best s", "exit", "notes")
    lines = [header] + [
        (str(size), label, str(runs), "{:.3f}".format(best), describe_codes(codes), note)
        for size, label, runs, best, codes, note in rows
    ]
    widths = [max(len(line[column]) for line in lines) for column in range(5)]
    for line in lines:
        cells = [line[i].rjust(widths[i]) if i in (0, 2, 3) else line[i].ljust(widths[i])
                 for i in range(5)]
        print("  ".join(cells + [line[5]]).rstrip())


def parse_sizes(text):
    """Parse ``1000,10000`` into a list of even integers of at least 2."""
    sizes = [int(part) for part in text.split(",") if part.strip()]
    if not sizes or any(size < 2 for size in sizes):
        raise argparse.ArgumentTypeError("sizes must be integers of at least 2")
    return sizes


def parse_args(argv):
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[1000, 10000],
                        help="total requirement items per run (default 1000,10000)")
    parser.add_argument("--gitspec", metavar="PATH",
                        help="gitspec executable (default: next to Python, then PATH)")
    parser.add_argument("--doorstop", metavar="PATH",
                        help="also time this doorstop executable on the same items")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds before one run is abandoned (default 1800)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary workspaces")
    return parser.parse_args(argv)


def main(argv=None):
    """Run the benchmark and print the table."""
    args = parse_args(argv)
    gitspec = find_gitspec(args.gitspec)
    doorstop = None
    if args.doorstop:
        doorstop = shutil.which(args.doorstop) or args.doorstop
    print("gitspec: {}\npython: {}".format(gitspec, sys.executable))
    if doorstop:
        print("doorstop: {}".format(doorstop))
    rows = bench_example(gitspec, args.timeout)
    for size in args.sizes:
        rows += bench_size(size, gitspec, doorstop, args.timeout, args.keep)
    print()
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
