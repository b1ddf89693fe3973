"""Time working out every requirement's verdict from its evidence, as each render does (even one with
nothing to redo), for growing numbers of requirements and evidence records.

Usage:
    python bench/verdicts.py [--sizes 250,1000,4000] [--cases 20]

For each size N: N requirements, N evidence records (one per requirement, each with `--cases` test
cases mapped to it) passed to ``gitspec.verdicts.decide_verdicts`` in process; git is stood in for by
answers that cost nothing, so the figure is the verdict logic alone. Best of 3, in seconds.
"""
from __future__ import annotations

import argparse
import time

from gitspec.verdicts import decide_verdicts

COMMIT = "0" * 40


def records(n: int, cases: int) -> list[dict]:
    return [{"id": f"ev-{i:05d}", "requirements": [f"REQ-{i:05d}"], "verdict": "passed",
             "startedAt": "2026-01-02T00:00:00Z", "commit": COMMIT,
             "cases": [{"name": f"t{j}", "verdict": "passed", "requirements": [f"REQ-{i:05d}"]}
                       for j in range(cases)]}
            for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,1000,4000")
    parser.add_argument("--cases", type=int, default=20)
    args = parser.parse_args()
    print(f"{'requirements':>12}  {'records':>7}  {'cases':>5}  best s")
    for n in (int(size) for size in args.sizes.split(",")):
        evidence, requirements = records(n, args.cases), [f"REQ-{i:05d}" for i in range(n)]
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            verdicts = decide_verdicts(requirements, evidence, lambda commit: True, lambda req, commit: False)
            best = min(best, time.perf_counter() - started)
        assert all(v.state == "verified" for v in verdicts.values())
        print(f"{n:>12}  {n:>7}  {args.cases:>5}  {best:.3f}")


if __name__ == "__main__":
    main()
