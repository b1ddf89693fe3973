"""`--trace FILE`: a Chrome trace-event file (open it in Perfetto or chrome://tracing)."""
from __future__ import annotations

import json
from pathlib import Path

from gitspec.atomic import write_atomic


def write_trace(path: str, report, render_spans=()) -> None:
    """Stage spans (with cache hits and tokens) and render spans: (name, start, end) per page and format."""
    origin = min([span.start for span in report.spans] + [start for _, start, _ in render_spans], default=0.0)
    events = [{"name": "build", "ph": "M", "pid": 1, "args": {"name": "gitspec build"}}]
    for lane, span in enumerate(report.spans):
        events.append({"name": span.stage, "cat": "stage", "ph": "X", "pid": 1, "tid": 1 + lane % 8,
                       "ts": round((span.start - origin) * 1e6), "dur": max(1, round((span.end - span.start) * 1e6)),
                       "args": {"cache": "hit" if span.cache_hit else "miss", "tokens": span.tokens}})
        if span.cache_hit:
            events.append({"name": f"cache hit: {span.stage}", "cat": "cache", "ph": "i", "s": "t", "pid": 1,
                           "tid": 1 + lane % 8, "ts": round((span.start - origin) * 1e6)})
    for name, start, end in render_spans:
        events.append({"name": name, "cat": "render", "ph": "X", "pid": 1, "tid": 9,
                       "ts": round((start - origin) * 1e6), "dur": max(1, round((end - start) * 1e6))})
    events.append({"name": "provider tokens", "ph": "C", "pid": 1, "ts": 0,
                   "args": {"tokens": sum(span.tokens for span in report.spans)}})
    write_atomic(Path(path), json.dumps({"traceEvents": events, "displayTimeUnit": "ms"}, indent=1).encode())
